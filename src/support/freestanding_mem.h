/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * memcpy, memmove, memset, memcmp for the images without libc (the UEFI
 * loader, its PAL backend and the kernel), implemented in mem.c. Declared here
 * once instead of by hand in each file; the freestanding core declares the
 * same four for itself (it includes nothing from this folder).
 */
#ifndef OSPOLICY_SUPPORT_FREESTANDING_MEM_H
#define OSPOLICY_SUPPORT_FREESTANDING_MEM_H

#include <stddef.h>

void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int value, size_t n);
int memcmp(const void *a, const void *b, size_t n);

#endif /* OSPOLICY_SUPPORT_FREESTANDING_MEM_H */
