/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * Line output for the loader: COM1 by port I/O always (the boot tests read
 * it, and it keeps working after ExitBootServices), plus the firmware console
 * (ConOut) before ExitBootServices when ConOut does not already reach a
 * serial port, so that every line appears exactly once on COM1.
 */
#ifndef OSPOLICY_UEFI_CONSOLE_H
#define OSPOLICY_UEFI_CONSOLE_H

#include <efi.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Decides whether ConOut is also used (reads the ConOut variable and looks
 * for a UART device-path node). */
void OSHostUefi_ConsoleInit(EFI_SYSTEM_TABLE *system_table);

/* Writes one line (a newline is appended). */
void OSHostUefi_ConsoleWriteLine(const char *line);

/* Stops using ConOut (ExitBootServices). */
void OSHostUefi_ConsoleFirmwareGone(void);

/* True if ConOut mirrors lines (for the report). */
int OSHostUefi_ConsoleUsesConOut(void);

#ifdef __cplusplus
}
#endif

#endif /* OSPOLICY_UEFI_CONSOLE_H */
