/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * BOOTX64.EFI: the ospolicy UEFI loader. Verifies kernel.elf's signature
 * (or refuses it), runs its live checks, seeds the entropy pool, plans and
 * slides kernel.elf, builds W^X page tables, exits boot services and jumps
 * to the kernel with a boot-info block. Every stage
 * reports TEST_* markers on COM1 (docs/boot_tests.md). If a stage cannot go
 * on, the loader prints TEST_SUMMARY itself and ends the VM with the failure
 * code instead of returning to the boot manager.
 */
#include <efi.h>

#include "com1.h"
#include "loader.h"
#include "oshost_uefi.h"
#include "uefi_console.h"

void *memset(void *dst, int value, size_t n);

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *system_table);

/* Large (the pool, the plans): static rather than on the firmware's stack. */
static Loader loader_state;

void loader_write_line(void *context, const char *line) {
  (void)context;
  OSHostUefi_ConsoleWriteLine(line);
}

EFI_STATUS loader_allocate(Loader *loader, uint64_t pages, void **out) {
  EFI_PHYSICAL_ADDRESS address = 0;
  if (loader->boot_services == NULL) {
    return EFI_NOT_READY;
  }
  EFI_STATUS status = loader->boot_services->AllocatePages(AllocateAnyPages, EfiLoaderData, pages, &address);
  if (status == EFI_SUCCESS) {
    memset((void *)(uintptr_t)address, 0, pages * 4096u);
    *out = (void *)(uintptr_t)address;
  }
  return status;
}

static void give_up(Loader *loader) {
  OSBaremetal_TestSummary(&loader->report, 0, 0);
  OSBaremetal_DebugExit(OSBAREMETAL_DEBUG_EXIT_FAILURE);
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *system_table) {
  Loader *loader = &loader_state;
  loader->image = image;
  loader->system_table = system_table;
  loader->boot_services = system_table->BootServices;
  OSHostUefi_ConsoleInit(system_table);
  OSBaremetal_TestReportInit(&loader->report, loader_write_line, NULL);
  /* A fresh line: the firmware may have left its cursor mid-line on COM1. */
  OSBaremetal_Com1WriteString("\n");
  OSBaremetal_TestNote(&loader->report, "loader: ospolicy UEFI loader (firmware console mirrored: %s)",
                       OSHostUefi_ConsoleUsesConOut() ? "yes" : "no, ConOut already reaches serial");
  /* The watchdog would reset the machine after 5 minutes of boot services. */
  (void)loader->boot_services->SetWatchdogTimer(0, 0, 0, NULL);

  OSBaremetal_TestStart(&loader->report, "loader.pal_init");
  if (OSHostUefi_Init(image, system_table) != OSHOST_OK) {
    OSBaremetal_TestFail(&loader->report, "loader.pal_init", "OSHostUefi_Init refused the image handle");
    give_up(loader);
  }
  OSBaremetal_TestPass(&loader->report, "loader.pal_init");

  /* First: a kernel that is not signed by the embedded trust set ends the
   * boot here (OSPOLICY_REFUSED, exit status 39), before anything parses it. */
  loader_verify_kernel(loader);
  loader_check_protection(loader);
  loader_check_memory_attributes_table(loader);
  loader_collect_entropy(loader);
  if (!loader_load_kernel(loader) || !loader_prepare_handoff(loader) || !loader_build_page_tables(loader)) {
    give_up(loader);
  }
  loader_exit_and_jump(loader);
  give_up(loader); /* ExitBootServices failed: nothing to return to safely */
  return EFI_ABORTED;
}
