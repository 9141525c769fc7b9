/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * The UEFI backend of the OSHost PAL (<oshost/oshost.h>), plus the few calls
 * that only a UEFI loader needs: initialisation, which protection path the
 * firmware offers, reading attributes back, and the ExitBootServices latch.
 *
 * Page protection uses, in this order, whichever the firmware has:
 *   1. EFI_MEMORY_ATTRIBUTE_PROTOCOL (UEFI 2.10): Set/ClearMemoryAttributes;
 *   2. DXE services: GetMemorySpaceDescriptor + SetMemorySpaceAttributes,
 *      keeping the descriptor's cacheability bits;
 *   3. the CPU architectural protocol's SetMemoryAttributes.
 * A path that exists but fails is an error (OSHOST_ERR_DEVICE), never a
 * reason to try the next one. Paths 1 and 2 are read back after every change.
 *
 * State: one backend per image, kept in file-scope variables (this is the
 * platform layer, not the core). Not reentrant; UEFI applications run on the
 * boot processor only.
 */
#ifndef OSPOLICY_OSHOST_UEFI_H
#define OSPOLICY_OSHOST_UEFI_H

#include <efi.h>
#include <stdint.h>

#include "oshost/oshost.h"

typedef enum OSHostUefi_ProtectionPath {
  OSHOSTUEFI_PATH_NONE = 0,
  OSHOSTUEFI_PATH_MEMORY_ATTRIBUTE_PROTOCOL = 1,
  OSHOSTUEFI_PATH_DXE_SERVICES = 2,
  OSHOSTUEFI_PATH_CPU_ARCH_PROTOCOL = 3
} OSHostUefi_ProtectionPath;

#ifdef __cplusplus
extern "C" {
#endif

/* Records the system table (the image handle must be non-NULL; it is not
 * kept) and locates the protection
 * services and EFI_RNG_PROTOCOL. Must be called first. Failure:
 * INVALID_ARGUMENT (NULL). A missing service is not a failure here. */
OSHOST_MUST_CHECK OSHost_Status OSHostUefi_Init(EFI_HANDLE image, EFI_SYSTEM_TABLE *system_table);

/* The path OSHost_ProtectPages uses (NONE if the firmware has none). */
OSHostUefi_ProtectionPath OSHostUefi_GetProtectionPath(void);
const char *OSHostUefi_ProtectionPathName(OSHostUefi_ProtectionPath path);

/* Reads the protection attributes (EFI_MEMORY_RO/XP/RP) of one page range
 * back through the same path. UNSUPPORTED for the CPU arch protocol, which
 * has no read. The range must have uniform attributes (else DEVICE). */
OSHOST_MUST_CHECK OSHost_Status OSHostUefi_ReadProtection(uint64_t base, uint64_t size,
                                                          uint64_t *attributes);

/* Firmware calls made by OSHost_ProtectPages so far: lets a test prove that a
 * refused plan never reached the firmware. */
uint64_t OSHostUefi_ProtectionCallCount(void);

/* True while EFI_RNG_PROTOCOL was found and boot services are up. */
int OSHostUefi_HasFirmwareRng(void);

/* Called on the path that calls ExitBootServices, right after it succeeded:
 * the boot phase becomes RUNTIME, the cached RNG and protection interfaces
 * are dropped, and every later firmware request fails FIRMWARE_GONE. */
void OSHostUefi_MarkBootServicesExited(void);

/* The firmware state recorded by OSHostUefi_Init, the one copy the loader's
 * firmware layer reads too: the system table, this image's handle, and boot
 * services (NULL once OSHostUefi_MarkBootServicesExited ran). */
EFI_SYSTEM_TABLE *OSHostUefi_SystemTable(void);
EFI_HANDLE OSHostUefi_ImageHandle(void);
EFI_BOOT_SERVICES *OSHostUefi_BootServices(void);

#ifdef __cplusplus
}
#endif

#endif /* OSPOLICY_OSHOST_UEFI_H */
