/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * EMPTY.EFI: the boot-time baseline (bench/boot_time.sh). Does nothing but
 * end the VM through isa-debug-exit, so OVMF start-up to shutdown is all
 * that is measured.
 */
#include <efi.h>

#include "com1.h"

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *system_table);

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *system_table) {
  (void)image;
  (void)system_table;
  OSBaremetal_DebugExit(OSBAREMETAL_DEBUG_EXIT_SUCCESS);
}
