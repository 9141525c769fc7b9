/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * COM1 lines, address redaction, panic and __stack_chk_fail.
 *
 * Redaction (docs/kernel.md): a raw kernel address in a log line tells an
 * attacker the KASLR slide. Release builds (OSPOLICY_KERNEL_RELEASE) never
 * print one: addresses inside the image are written as offsets
 * ("kernel+0x1234", which the ELF file already tells everyone), all others
 * (upper or lower half) as "<redacted>", and as a backstop every line passes a filter that replaces
 * any hex literal in the upper half (>= 0xffff800000000000), or equal to
 * the slide once kernel_console_withhold knows it, by "0x<redacted>". The
 * slide is a small number the upper-half rule cannot see: the printing
 * sites withhold it themselves (kernel.slide's failure lines carry no
 * values in a release build); the filter only catches what they miss.
 * Debug builds print addresses as they are.
 */
#include <stdarg.h>

#include "com1.h"
#include "format.h"
#include "kernel.h"
#include "kernel_layout.h"

#define PANIC_EXIT OSBAREMETAL_DEBUG_EXIT_PANIC /* QEMU exit status 37 */

static OSBaremetal_TestReport *active_report; /* audit lines from the syscall gate */
static uint64_t withheld; /* the slide; 0: nothing withheld */

int kernel_is_release(void) {
#ifdef OSPOLICY_KERNEL_RELEASE
  return 1;
#else
  return 0;
#endif
}

static int hex_value(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

/* Copies `line` to `out`, replacing upper-half hex literals. */
static void redact(const char *line, char *out, size_t capacity) {
  static const char mask[] = "0x<redacted>";
  size_t used = 0;
  for (size_t i = 0; line[i] != '\0' && used + 1u < capacity;) {
    if (line[i] == '0' && (line[i + 1u] == 'x' || line[i + 1u] == 'X')) {
      size_t j = i + 2u;
      uint64_t value = 0;
      unsigned digits = 0;
      while (hex_value(line[j]) >= 0) {
        value = (value << 4) | (uint64_t)hex_value(line[j]);
        ++digits;
        ++j;
      }
      if (digits > 0u && (digits > 16u || value >= 0xffff800000000000ull || (withheld != 0u && value == withheld))) {
        for (size_t k = 0; mask[k] != '\0' && used + 1u < capacity; ++k) {
          out[used++] = mask[k];
        }
        i = j;
        continue;
      }
    }
    out[used++] = line[i++];
  }
  out[used] = '\0';
}

void kernel_write_line(void *context, const char *line) {
  (void)context;
  if (kernel_is_release()) {
    char clean[400];
    redact(line, clean, sizeof clean);
    OSBaremetal_Com1WriteString(clean);
  } else {
    OSBaremetal_Com1WriteString(line);
  }
  OSBaremetal_Com1WriteString("\n");
}

void kernel_console_init(OSBaremetal_TestReport *report) {
  OSBaremetal_TestReportInit(report, kernel_write_line, NULL);
  active_report = report;
}

OSBaremetal_TestReport *kernel_report(void) {
  return active_report;
}

void kernel_console_withhold(uint64_t slide) {
  withheld = slide;
}

const char *kernel_describe_address(uint64_t address, char *buffer, size_t capacity) {
  uint64_t start = (uint64_t)(uintptr_t)__kernel_start;
  uint64_t end = (uint64_t)(uintptr_t)__kernel_end;
  if (address >= start && address < end) {
    (void)OSBaremetal_Format(buffer, capacity, "kernel+0x%lx", (unsigned long)(address - start));
  } else if (kernel_is_release()) {
    /* Kernel-half addresses would give the slide away, user-half ones an
     * agent's randomized layout. */
    (void)OSBaremetal_Format(buffer, capacity, "<redacted>");
  } else {
    (void)OSBaremetal_Format(buffer, capacity, "0x%016lx", (unsigned long)address);
  }
  return buffer;
}

void kernel_panic(const char *format, ...) {
  __asm__ volatile("cli");
  char message[300];
  va_list args;
  va_start(args, format);
  (void)OSBaremetal_FormatV(message, sizeof message, format, args);
  va_end(args);
  char line[340];
  (void)OSBaremetal_Format(line, sizeof line, "ospolicy: kernel panic: %s", message);
  kernel_write_line(NULL, line);
  OSBaremetal_DebugExit(PANIC_EXIT);
}

void kernel_panic_callback(void *context, const char *message) {
  (void)context;
  kernel_panic("%s", message);
}

/* -fstack-protector-strong lands here when a frame's canary (read from
 * %fs:0x28, kernel_percpu) changed before its function returned. The frame
 * is untrustworthy: report and stop, never return. */
__attribute__((noreturn)) void __stack_chk_fail(void);
void __stack_chk_fail(void) {
  kernel_panic("stack smashing detected (canary mismatch)");
}
