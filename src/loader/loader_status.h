/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * The UEFI loader's own status codes: firmware failures the loader meets
 * (docs/uefi.md), in the core's reserved platform environment range
 * (0x0340..0x0347; <ospolicy/status.h>, "Platform codes"). They travel in an
 * OSPolicy_Status. loader_status_name names them and falls back to
 * OSBaremetal_StatusName (the core's codes, then the page-table and boot-info
 * codes), so every status the loader prints goes through it.
 *
 * Self-contained (no <efi.h>): the host unit tests check the table.
 */
#ifndef OSPOLICY_LOADER_STATUS_H
#define OSPOLICY_LOADER_STATUS_H

#include "ospolicy/status.h"

/* X(code, "short-name", "what it means") */
#define LOADER_ERR_UEFI_CALL_FAILED ((OSPolicy_Status)0x0340)
#define LOADER_ERR_UEFI_NO_PROTECTION_PATH ((OSPolicy_Status)0x0341)
#define LOADER_ERR_UEFI_ATTRIBUTES_NOT_APPLIED ((OSPolicy_Status)0x0342)
#define LOADER_ERR_UEFI_FILE ((OSPolicy_Status)0x0343)
#define LOADER_ERR_UEFI_EXIT_BOOT_SERVICES ((OSPolicy_Status)0x0344)
#define LOADER_ERR_UEFI_NO_MEMORY_ATTRIBUTES_TABLE ((OSPolicy_Status)0x0345)
#define LOADER_STATUS_LIST_UEFI(X)                                                              \
  X(LOADER_ERR_UEFI_CALL_FAILED, "uefi-call-failed",                                            \
    "a UEFI boot service or protocol call returned an error")                                   \
  X(LOADER_ERR_UEFI_NO_PROTECTION_PATH, "uefi-no-protection-path",                              \
    "the firmware has neither the memory attribute protocol, DXE services nor the CPU arch protocol") \
  X(LOADER_ERR_UEFI_ATTRIBUTES_NOT_APPLIED, "uefi-attributes-not-applied",                      \
    "the firmware accepted an attribute change but the read-back shows other attributes")       \
  X(LOADER_ERR_UEFI_FILE, "uefi-file",                                                          \
    "a file could not be opened or read from the boot volume (ESP)")                            \
  X(LOADER_ERR_UEFI_EXIT_BOOT_SERVICES, "uefi-exit-boot-services",                              \
    "ExitBootServices failed even after a retry with a fresh memory map")                       \
  X(LOADER_ERR_UEFI_NO_MEMORY_ATTRIBUTES_TABLE, "uefi-no-memory-attributes-table",              \
    "the EFI Memory Attributes Table is missing")

/* Short stable name of any status the loader meets; "unknown-status" for a
 * value no table holds. Never NULL. */
const char *loader_status_name(OSPolicy_Status status);
/* One-line description; never NULL. */
const char *loader_status_text(OSPolicy_Status status);

#endif /* OSPOLICY_LOADER_STATUS_H */
