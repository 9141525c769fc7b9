/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/* Negative fixture for core.undefined_symbols: a freestanding object that
 * calls strlen, which the core must never do. Never linked into anything. */
#include <stddef.h>

size_t strlen(const char *text);
size_t stray_libc_call(const char *text);
size_t stray_libc_call(const char *text) {
  return strlen(text);
}
