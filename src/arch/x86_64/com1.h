/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * COM1 (16550 UART at I/O port 0x3F8) by port I/O, and QEMU's isa-debug-exit.
 *
 * Port I/O needs no memory mapping, so the same writer works inside UEFI boot
 * services, after ExitBootServices, and in the kernel under its own page
 * tables. Writes poll the transmit-holding-register-empty bit, with a bound so
 * that a missing UART cannot hang the machine.
 */
#ifndef OSPOLICY_BAREMETAL_COM1_H
#define OSPOLICY_BAREMETAL_COM1_H

#include <stddef.h>
#include <stdint.h>

#define OSBAREMETAL_COM1_PORT 0x3F8u

/* isa-debug-exit at iobase 0xf4: QEMU exits with status (value << 1) | 1. */
#define OSBAREMETAL_DEBUG_EXIT_PORT 0xF4u
#define OSBAREMETAL_DEBUG_EXIT_SUCCESS 0x10u /* QEMU exit status 33 */
#define OSBAREMETAL_DEBUG_EXIT_FAILURE 0x11u /* QEMU exit status 35 */
#define OSBAREMETAL_DEBUG_EXIT_PANIC 0x12u   /* QEMU exit status 37: a kernel panic */
#define OSBAREMETAL_DEBUG_EXIT_REFUSED 0x13u /* QEMU exit status 39: the loader refused a boot object */

#ifdef __cplusplus
extern "C" {
#endif

/* Writes `length` bytes; "\n" is sent as "\r\n". */
void OSBaremetal_Com1Write(const char *bytes, size_t length);

/* Writes a NUL-terminated string. */
void OSBaremetal_Com1WriteString(const char *text);

/* Asks QEMU's isa-debug-exit device to end the VM; halts if it is absent. */
__attribute__((noreturn)) void OSBaremetal_DebugExit(uint32_t value);

#ifdef __cplusplus
}
#endif

#endif /* OSPOLICY_BAREMETAL_COM1_H */
