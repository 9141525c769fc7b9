/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * Where the kernel is linked, and the symbols kernel.ld defines. Must agree
 * with the address in kernel.ld (checked at run time by kernel.slide). It
 * runs at OSPOLICY_BOOT_KERNEL_WINDOW_BASE + slide (<ospolicy/boot_info.h>).
 */
#ifndef OSPOLICY_KERNEL_LAYOUT_H
#define OSPOLICY_KERNEL_LAYOUT_H

#define KERNEL_LINK_BASE 0x0ull

/* Linker-script symbols: only their addresses mean something. */
extern char __kernel_start[];
extern char __kernel_end[];
extern char __text_start[];
extern char __text_end[];
extern char __rodata_start[];
extern char __rodata_end[];
extern char __relro_start[];
extern char __relro_end[];
extern char __data_start[];
extern char __data_end[];

#endif
