/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * The four memory functions the freestanding core may call. They are the
 * only symbols besides OSHost_* that the core leaves undefined (checked by the
 * core.undefined_symbols test): every environment provides them, from libc on
 * a host and from a tiny implementation in the UEFI loader and the kernel.
 * Declared here instead of including <string.h>, which a freestanding
 * toolchain need not have.
 */
#ifndef OSPOLICY_SRC_MEM_H
#define OSPOLICY_SRC_MEM_H

#include <stddef.h>

void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int value, size_t n);
int memcmp(const void *a, const void *b, size_t n);

#endif
