/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * BOOTX64.EFI: the ospolicy UEFI loader, and its sequencer.
 *
 * efi_main runs the stages of loader.h in order. It alone decides whether the
 * boot goes on: a stage that answers anything but OSPOLICY_OK, a seed below
 * the pool's threshold in a loader built without OSPOLICY_LOADER_WEAK_SEED_OK,
 * or a kernel that cannot be placed by KASLR ends the boot in refuse(): one
 * line "OSPOLICY_REFUSED <stage>: <status-name>", TEST_SUMMARY, and
 * isa-debug-exit LOADER_DEBUG_EXIT_REFUSED (QEMU status 39). Nothing is
 * handed to the kernel on a refused path, and every refusal happens before
 * ExitBootServices except a failed ExitBootServices itself. The observation
 * checks (PAL, firmware W+X, crypto sections) report TEST_* markers and never
 * change the path.
 */
#include <efi.h>

#include "com1.h"
#include "format.h"
#include "loader.h"
#include "oshost_uefi.h"
#include "uefi_console.h"

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *system_table);

/* Large (the pool, the plans): static rather than on the firmware's stack. */
static LoaderContext context;
static LoaderKernelFile kernel_file;
static LoaderEntropy entropy;
static LoaderKernelPlan kernel_plan;
static OSPolicy_KaslrPlan kaslr;
static LoaderKernelImage kernel_image;
static LoaderHandoff handoff;
static LoaderTables tables;

__attribute__((noreturn)) static void refuse(const char *stage, OSPolicy_Status status) {
  char line[128];
  (void)OSBaremetal_Format(line, sizeof line, "OSPOLICY_REFUSED %s: %s", stage, loader_status_name(status));
  loader_write_line(NULL, line);
  OSBaremetal_TestSummary(&context.report, 0, 0);
  OSBaremetal_DebugExit(LOADER_DEBUG_EXIT_REFUSED);
}

static void report_secure_boot(void) {
  LoaderSecureBoot state = loader_secure_boot_state();
  if (state.read == EFI_SUCCESS && state.secure_boot == 1u) {
    OSBaremetal_TestNote(&context.report, "loader: UEFI Secure Boot: on");
  } else if (state.read == EFI_SUCCESS) {
    OSBaremetal_TestNote(&context.report, "loader: UEFI Secure Boot: off (SecureBoot=%u, SetupMode=%u)",
                         state.secure_boot, state.setup_mode);
  } else {
    OSBaremetal_TestNote(&context.report, "loader: UEFI Secure Boot: off (no SecureBoot variable: EFI status 0x%lx)",
                         (unsigned long)state.read);
  }
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *system_table) {
  OSHostUefi_ConsoleInit(system_table);
  OSBaremetal_TestReportInit(&context.report, loader_write_line, NULL);
  /* A fresh line: the firmware may have left its cursor mid-line on COM1. */
  OSBaremetal_Com1WriteString("\n");
  OSBaremetal_TestNote(&context.report, "loader: ospolicy UEFI loader, %s build (firmware console mirrored: %s)",
                       OSPOLICY_LOADER_TEST_HOOKS ? "debug" : "release",
                       OSHostUefi_ConsoleUsesConOut() ? "yes" : "no, ConOut already reaches serial");
  /* The watchdog would reset the machine after 5 minutes of boot services. */
  (void)system_table->BootServices->SetWatchdogTimer(0, 0, 0, NULL);

  OSBaremetal_TestStart(&context.report, "loader.pal_init");
  if (OSHostUefi_Init(image, system_table) != OSHOST_OK) {
    OSBaremetal_TestFail(&context.report, "loader.pal_init", "OSHostUefi_Init refused the image handle");
    refuse("pal", OSPOLICY_ERR_PAL_FAILED);
  }
  OSBaremetal_TestPass(&context.report, "loader.pal_init");
  report_secure_boot();

  /* First: a kernel that is not signed by the embedded trust set ends the
   * boot here, before anything parses it. */
  OSPolicy_Status status = loader_verify_kernel(&context, &kernel_file);
  if (status != OSPOLICY_OK) {
    refuse("kernel", status);
  }
  loader_check_protection(&context);
  loader_check_memory_attributes_table(&context);
  loader_check_crypto_section(&context);

  status = loader_collect_entropy(&context, &entropy);
  if (status != OSPOLICY_OK) {
    refuse("entropy", status);
  }
  if (entropy.weak_seed) {
    if (!OSPOLICY_LOADER_WEAK_SEED_OK) {
      OSBaremetal_TestNote(&context.report, "loader: weak seed (%u of %u bits credited) refused: this loader was "
                                            "built without OSPOLICY_LOADER_ALLOW_WEAK_SEED",
                           entropy.pool.credited_bits, entropy.pool.threshold_bits);
      refuse("entropy", OSPOLICY_DENIED_ENTROPY_INSUFFICIENT);
    }
    OSBaremetal_TestNote(&context.report, "loader: WARNING: booting with a WEAK SEED (%u of %u bits credited): "
                                          "KASLR and the kernel's seed are guessable; allowed by %s",
                         entropy.pool.credited_bits, entropy.pool.threshold_bits,
                         OSPOLICY_LOADER_TEST_HOOKS ? "this debug build" : "OSPOLICY_LOADER_ALLOW_WEAK_SEED");
  }
  status = loader_reseed_canary(&context, &entropy);
  if (status != OSPOLICY_OK) {
    refuse("canary", status);
  }

  status = loader_plan_kernel(&context, &kernel_file, &kernel_plan);
  if (status != OSPOLICY_OK) {
    refuse("kernel-plan", status);
  }
  status = loader_place_kernel(&context, &kernel_plan, &entropy, &kaslr);
  if (status != OSPOLICY_OK) {
    refuse("kaslr", status);
  }
  status = loader_stage_kernel(&context, &kernel_file, &kernel_plan, &kaslr, &kernel_image);
  if (status != OSPOLICY_OK) {
    refuse("kernel-stage", status);
  }
  status = loader_prepare_handoff(&context, &handoff);
  if (status != OSPOLICY_OK) {
    refuse("handoff", status);
  }
  status = loader_build_page_tables(&context, &kernel_plan, &kernel_image, &handoff, &tables);
  if (status != OSPOLICY_OK) {
    refuse("page-tables", status);
  }
  loader_fill_boot_info(&entropy, &kernel_plan, &kaslr, &kernel_image, &handoff, &tables);
  status = loader_exit_boot_services(&context, &entropy, &handoff);
  if (status != OSPOLICY_OK) {
    refuse("exit-boot-services", status);
  }
  handoff.boot_info->loader_tests_passed = context.report.passed;
  handoff.boot_info->loader_tests_failed = context.report.failed;
  loader_jump(&kernel_image, &handoff, &tables);
}
