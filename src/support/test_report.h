/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * Test markers for code that runs where no test framework can (UEFI loader,
 * kernel), in the format the boot-test driver parses (docs/boot_tests.md):
 *   TEST_START <suite.case>
 *   TEST_PASS <suite.case>
 *   TEST_FAIL <suite.case>: <reason>
 *   TEST_SUMMARY pass=<n> fail=<m>
 * plus free-form "# ..." note lines the driver shows but does not count.
 * Every line goes through the caller's write function, once.
 */
#ifndef OSPOLICY_BAREMETAL_TEST_REPORT_H
#define OSPOLICY_BAREMETAL_TEST_REPORT_H

#include <stddef.h>
#include <stdint.h>

typedef void (*OSBaremetal_WriteLineFn)(void *context, const char *line);

typedef struct OSBaremetal_TestReport {
  OSBaremetal_WriteLineFn write_line;
  void *context;
  uint32_t passed;
  uint32_t failed;
} OSBaremetal_TestReport;

#ifdef __cplusplus
extern "C" {
#endif

void OSBaremetal_TestReportInit(OSBaremetal_TestReport *report, OSBaremetal_WriteLineFn write_line,
                                void *context);
void OSBaremetal_TestStart(OSBaremetal_TestReport *report, const char *name);
void OSBaremetal_TestPass(OSBaremetal_TestReport *report, const char *name);
/* Counts a TEST_PASS line that other code wrote by itself (a stub that
 * prints its own marker over COM1), after the caller verified that it ran. */
void OSBaremetal_TestCountPass(OSBaremetal_TestReport *report);
/* The reason is formatted (OSBaremetal_Format conversions). */
void OSBaremetal_TestFail(OSBaremetal_TestReport *report, const char *name, const char *format, ...)
    __attribute__((format(printf, 3, 4)));
/* A "# ..." line. */
void OSBaremetal_TestNote(OSBaremetal_TestReport *report, const char *format, ...)
    __attribute__((format(printf, 2, 3)));
/* TEST_SUMMARY with this report's counts plus earlier stages' counts. */
void OSBaremetal_TestSummary(OSBaremetal_TestReport *report, uint32_t earlier_passed,
                             uint32_t earlier_failed);

#ifdef __cplusplus
}
#endif

#endif /* OSPOLICY_BAREMETAL_TEST_REPORT_H */
