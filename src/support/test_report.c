/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
#include "test_report.h"

#include <stdarg.h>

#include "format.h"

#define LINE_CAPACITY 256u

static void emit(OSBaremetal_TestReport *report, const char *line) {
  if (report != NULL && report->write_line != NULL) {
    report->write_line(report->context, line);
  }
}

void OSBaremetal_TestReportInit(OSBaremetal_TestReport *report, OSBaremetal_WriteLineFn write_line,
                                void *context) {
  if (report == NULL) {
    return;
  }
  report->write_line = write_line;
  report->context = context;
  report->passed = 0;
  report->failed = 0;
}

void OSBaremetal_TestStart(OSBaremetal_TestReport *report, const char *name) {
  char line[LINE_CAPACITY];
  (void)OSBaremetal_Format(line, sizeof line, "TEST_START %s", name);
  emit(report, line);
}

void OSBaremetal_TestPass(OSBaremetal_TestReport *report, const char *name) {
  char line[LINE_CAPACITY];
  if (report != NULL) {
    report->passed++;
  }
  (void)OSBaremetal_Format(line, sizeof line, "TEST_PASS %s", name);
  emit(report, line);
}

void OSBaremetal_TestFail(OSBaremetal_TestReport *report, const char *name, const char *format, ...) {
  char reason[LINE_CAPACITY];
  char line[LINE_CAPACITY];
  va_list args;
  va_start(args, format);
  (void)OSBaremetal_FormatV(reason, sizeof reason, format, args);
  va_end(args);
  if (report != NULL) {
    report->failed++;
  }
  (void)OSBaremetal_Format(line, sizeof line, "TEST_FAIL %s: %s", name, reason);
  emit(report, line);
}

void OSBaremetal_TestNote(OSBaremetal_TestReport *report, const char *format, ...) {
  char text[LINE_CAPACITY];
  char line[LINE_CAPACITY];
  va_list args;
  va_start(args, format);
  (void)OSBaremetal_FormatV(text, sizeof text, format, args);
  va_end(args);
  (void)OSBaremetal_Format(line, sizeof line, "# %s", text);
  emit(report, line);
}

void OSBaremetal_TestSummary(OSBaremetal_TestReport *report, uint32_t earlier_passed,
                             uint32_t earlier_failed) {
  char line[LINE_CAPACITY];
  uint32_t passed = earlier_passed + (report != NULL ? report->passed : 0u);
  uint32_t failed = earlier_failed + (report != NULL ? report->failed : 0u);
  (void)OSBaremetal_Format(line, sizeof line, "TEST_SUMMARY pass=%u fail=%u", passed, failed);
  emit(report, line);
}

void OSBaremetal_TestCountPass(OSBaremetal_TestReport *report) {
  if (report != NULL) {
    report->passed++;
  }
}
