/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * A bounded formatter for places without libc (UEFI loader, kernel).
 * Conversions: %s %c %% and the integers %d %u %x of int width, %ld %lu %lx
 * of long width (64-bit on x86-64); %p. No widths or padding except a
 * leading 0 and a width digit string for %x/%lx (for example %016lx).
 * The output is always NUL-terminated when capacity > 0 and truncated, never
 * overrun; the return value is the length that would have been written.
 */
#ifndef OSPOLICY_BAREMETAL_FORMAT_H
#define OSPOLICY_BAREMETAL_FORMAT_H

#include <stdarg.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

size_t OSBaremetal_FormatV(char *buffer, size_t capacity, const char *format, va_list args)
    __attribute__((format(printf, 3, 0)));
size_t OSBaremetal_Format(char *buffer, size_t capacity, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

/* Lower-case hex of `count` bytes, NUL-terminated (2 * count + 1 bytes are
 * needed: a key id of 8 bytes takes 17). Writes "" when the buffer is too
 * small. Returns the length the full text has. */
size_t OSBaremetal_FormatHex(char *buffer, size_t capacity, const unsigned char *bytes, size_t count);

#ifdef __cplusplus
}
#endif

#endif /* OSPOLICY_BAREMETAL_FORMAT_H */
