/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * Boot info, ExitBootServices (retried with a fresh memory map as UEFI 2.10
 * 7.4 requires when the map key is stale), the firmware-RNG latch, and the
 * jump through the trampoline.
 *
 * The retry path is proven live by boot.ebs_retry, in debug loaders only
 * (OSPOLICY_LOADER_TEST_HOOKS): with \ospolicy-test-ebs-retry on the ESP, the
 * loader allocates and frees one page between the first GetMemoryMap and the
 * first ExitBootServices, so that attempt carries a stale key and must answer
 * EFI_INVALID_PARAMETER; the ordinary retry then has to succeed
 * (loader.exit_boot_services_retry). A release loader has neither the code
 * nor the file name (loader.release_has_no_test_hooks).
 */
#include <stdint.h>

#include "freestanding_mem.h"
#include "loader.h"
#include "oshost_uefi.h"
#include "ospolicy/pal.h"
#include "uefi_console.h"

extern const uint8_t loader_trampoline_start[];
extern const uint8_t loader_trampoline_end[];

typedef void (*trampoline_fn)(OSPolicy_BootInfo *boot_info, uint64_t entry, uint64_t stack_top, uint64_t cr3)
    __attribute__((noreturn));

#define EXIT_ATTEMPTS 4u
/* Room for descriptors the allocations after the size query will add. */
#define MEMORY_MAP_SLACK_BYTES (8u * OSBAREMETAL_PAGE_SIZE)

OSPolicy_Status loader_prepare_handoff(LoaderContext *context, LoaderHandoff *loader) {
  const char *name = "loader.handoff_prepared";
  OSBaremetal_TestReport *report = &context->report;
  OSBaremetal_TestStart(report, name);
  void *boot_info = NULL;
  if (loader_allocate(1, &boot_info) != EFI_SUCCESS ||
      loader_allocate(LOADER_STACK_PAGES, &loader->stack) != EFI_SUCCESS) {
    OSBaremetal_TestFail(report, name, "%s: no memory for the boot info or the stack",
                         loader_status_name(OSPOLICY_ERR_NO_MEMORY));
    return OSPOLICY_ERR_NO_MEMORY;
  }
  loader->boot_info = boot_info;
  UINTN size = 0;
  UINTN key = 0;
  UINTN descriptor_size = 0;
  UINT32 descriptor_version = 0;
  EFI_BOOT_SERVICES *bs = OSHostUefi_BootServices();
  EFI_STATUS status = bs != NULL ? bs->GetMemoryMap(&size, NULL, &key, &descriptor_size, &descriptor_version)
                                 : EFI_NOT_READY;
  if (status != EFI_BUFFER_TOO_SMALL) {
    OSBaremetal_TestFail(report, name, "%s: GetMemoryMap size query: 0x%lx",
                         loader_status_name(LOADER_ERR_UEFI_CALL_FAILED), (unsigned long)status);
    return LOADER_ERR_UEFI_CALL_FAILED;
  }
  uint64_t pages = loader_pages(size + MEMORY_MAP_SLACK_BYTES);
  if (loader_allocate(pages, &loader->memory_map) != EFI_SUCCESS) {
    OSBaremetal_TestFail(report, name, "%s: no memory for the memory map", loader_status_name(OSPOLICY_ERR_NO_MEMORY));
    return OSPOLICY_ERR_NO_MEMORY;
  }
  loader->memory_map_capacity = pages * OSBAREMETAL_PAGE_SIZE;
  /* The trampoline page: written while RW+NX, then sealed RX by the PAL. */
  size_t code = (size_t)(loader_trampoline_end - loader_trampoline_start);
  OSPolicy_Status sealed = OSPolicy_PalAllocatePages(1, &loader->trampoline);
  if (sealed == OSPOLICY_OK) {
    memcpy(loader->trampoline, loader_trampoline_start, code);
    OSPolicy_PageProtectionRequest request = {(uintptr_t)loader->trampoline, OSBAREMETAL_PAGE_SIZE,
                                              OSBAREMETAL_PAGE_SIZE, OSPOLICY_PROT_RW, OSPOLICY_PROT_RX, 0u};
    OSPolicy_PageProtectionPlan plan;
    sealed = OSPolicy_PlanPageProtection(&request, &plan);
    if (sealed == OSPOLICY_OK) {
      sealed = OSPolicy_PalProtectPages(&plan);
    }
    if (sealed == OSPOLICY_OK) {
      sealed = OSPolicy_PalFlushInstructionCache(loader->trampoline, code);
    }
  }
  if (sealed != OSPOLICY_OK) {
    OSBaremetal_TestFail(report, name, "trampoline page: %s", loader_status_name(sealed));
    return sealed;
  }
  OSBaremetal_TestNote(report, "loader: boot info 0x%lx, memory map buffer %lu bytes, trampoline %lu bytes at 0x%lx",
                       (unsigned long)(uintptr_t)boot_info, (unsigned long)loader->memory_map_capacity,
                       (unsigned long)code, (unsigned long)(uintptr_t)loader->trampoline);
  OSBaremetal_TestPass(report, name);
  return OSPOLICY_OK;
}

void loader_fill_boot_info(const LoaderEntropy *entropy, const LoaderKernelPlan *plan,
                           const OSPolicy_KaslrPlan *kaslr, const LoaderKernelImage *image,
                           const LoaderHandoff *handoff, const LoaderTables *tables) {
  OSPolicy_BootInfo *info = handoff->boot_info;
  /* The page was zeroed at allocation; every field is written here. The
   * sequencer calls this only after every stage answered OK. */
  info->magic = OSPOLICY_BOOT_INFO_MAGIC;
  info->version = OSPOLICY_BOOT_INFO_VERSION;
  info->size = (uint32_t)sizeof *info;
  info->flags = 0;
  _Static_assert(sizeof(OSPolicy_EntropySeed) <= OSPOLICY_BOOT_INFO_SEED_BYTES, "seed fits the boot info");
  memcpy(info->seed, &entropy->seed, sizeof entropy->seed);
  info->flags |= OSPOLICY_BOOT_INFO_FLAG_SEEDED;
  if (kaslr->status == OSPOLICY_OK) {
    info->flags |= OSPOLICY_BOOT_INFO_FLAG_KASLR;
  }
  if (entropy->weak_seed) {
    info->flags |= OSPOLICY_BOOT_INFO_FLAG_WEAK_SEED;
  }
  info->entropy_sources = entropy->pool.contributed_mask;
  info->entropy_credited_bits = entropy->pool.credited_bits;
  if (image->relocation.status == OSPOLICY_OK && image->relocation.applied != 0u) {
    info->flags |= OSPOLICY_BOOT_INFO_FLAG_RELOCATED;
  }
  info->kernel_link_base = plan->mapping.span_start;
  info->kernel_virtual_base = image->virtual_base;
  info->kernel_slide = image->virtual_base - OSPOLICY_BOOT_KERNEL_WINDOW_BASE;
  info->kernel_physical_base = (uint64_t)(uintptr_t)image->staging;
  info->kernel_size = plan->executable.span_size;
  info->kaslr_window_base = OSPOLICY_BOOT_KERNEL_WINDOW_BASE;
  info->kaslr_window_size = OSPOLICY_KASLR_DEFAULT_WINDOW_SIZE;
  info->kaslr_alignment = OSPOLICY_KASLR_DEFAULT_ALIGNMENT;
  info->kaslr_slots = kaslr->eligible_slots;
  info->relocations_applied = image->relocation.applied;
  info->stack_top = image->stack_top_virtual;
  info->stack_size = LOADER_STACK_BYTES;
  info->stack_guard = image->stack_guard_virtual;
  info->memory_map = (uint64_t)(uintptr_t)handoff->memory_map;
  info->page_table_root_physical = tables->tables.root;
  info->page_table_pool_physical = tables->pool;
  info->page_table_pool_size = (uint64_t)LOADER_TABLE_POOL_PAGES * OSBAREMETAL_PAGE_SIZE;
}

/* After ExitBootServices: the firmware RNG must be refused by the guard and
 * by the backend, and the PAL must report the runtime phase. */
static void check_rng_after_exit(LoaderContext *context, LoaderEntropy *loader) {
  const char *name = "loader.firmware_rng_after_ebs";
  OSBaremetal_TestReport *report = &context->report;
  OSBaremetal_TestStart(report, name);
  uint8_t bytes[16] = {0};
  OSPolicy_GuardedRandomResult result;
  OSPolicy_Status guarded = OSPolicy_FillGuardedRandom(&loader->firmware_rng, bytes, sizeof bytes, &result);
  OSHost_RandomSource source = OSHOST_RANDOM_SOURCE_UNSET;
  OSHost_Status backend = OSHost_FillRandom(bytes, sizeof bytes, &source);
  OSHost_BootPhase phase = OSHost_GetBootPhase();
  if (guarded != OSPOLICY_DENIED_AFTER_EXIT_BOOT_SERVICES) {
    OSBaremetal_TestFail(report, name, "guarded fill answered %s", loader_status_name(guarded));
  } else if (backend != OSHOST_ERR_FIRMWARE_GONE) {
    OSBaremetal_TestFail(report, name, "backend answered %s", OSPolicy_HostStatusName(backend));
  } else if (phase != OSHOST_BOOT_PHASE_RUNTIME || loader->firmware_rng.phase != OSPOLICY_FIRMWARE_PHASE_EXITED) {
    OSBaremetal_TestFail(report, name, "boot phase %u, guard phase %s", (unsigned)phase,
                         OSPolicy_FirmwarePhaseName(loader->firmware_rng.phase));
  } else {
    OSBaremetal_TestPass(report, name);
  }
}

#if OSPOLICY_LOADER_TEST_HOOKS
/* Debug loaders only. Whether the ESP asks for the stale-key first attempt.
 * Runs before the final GetMemoryMap: file I/O allocates. Any answer but
 * "found" keeps the normal path; only an unexpected error is worth a note. */
static int ebs_retry_requested(LoaderContext *context) {
  EFI_FILE_PROTOCOL *root = NULL;
  EFI_FILE_PROTOCOL *file = NULL;
  EFI_STATUS status = loader_open_esp_root(&root);
  if (status == EFI_SUCCESS) {
    status = root->Open(root, &file, (CHAR16 *)L"\\ospolicy-test-ebs-retry", EFI_FILE_MODE_READ, 0);
    if (status == EFI_SUCCESS) {
      (void)file->Close(file);
    }
    (void)root->Close(root);
  }
  if (status == EFI_SUCCESS) {
    return 1;
  }
  if (status != EFI_NOT_FOUND) {
    OSBaremetal_TestNote(&context->report,
                         "loader: cannot look for \\ospolicy-test-ebs-retry (EFI status 0x%lx): normal ExitBootServices",
                         (unsigned long)status);
  }
  return 0;
}
#endif

/* What the loop did, reported only once output is safe again. */
typedef struct ExitAttempts {
  unsigned attempts;          /* GetMemoryMap + ExitBootServices rounds begun */
  unsigned exit_calls;        /* ExitBootServices calls made */
  EFI_STATUS first_exit;      /* answer to the first ExitBootServices call */
  EFI_STATUS status;          /* the last answer (GetMemoryMap or ExitBootServices) */
  int stale_first;            /* the ESP asked for a stale key on attempt 1 */
  EFI_STATUS stale_allocate;  /* AllocatePages that staled the key */
  EFI_STATUS stale_free;      /* FreePages of that page */
} ExitAttempts;

/* Reports loader.exit_boot_services_retry from the recorded attempts. Called
 * after the loop, whatever its outcome, so the case always gets a verdict. */
#if OSPOLICY_LOADER_TEST_HOOKS
static void report_retry(LoaderContext *context, const ExitAttempts *run) {
  const char *name = "loader.exit_boot_services_retry";
  OSBaremetal_TestReport *report = &context->report;
  OSBaremetal_TestStart(report, name);
  OSBaremetal_TestNote(report,
                       "loader: ExitBootServices retry test: attempt 1 (stale key: AllocatePages 0x%lx, FreePages 0x%lx "
                       "after GetMemoryMap) answered 0x%lx; %u attempts, %u ExitBootServices calls, last status 0x%lx",
                       (unsigned long)run->stale_allocate, (unsigned long)run->stale_free,
                       (unsigned long)run->first_exit, run->attempts, run->exit_calls, (unsigned long)run->status);
  if (run->stale_allocate != EFI_SUCCESS || run->stale_free != EFI_SUCCESS) {
    OSBaremetal_TestFail(report, name, "could not stale the map key: AllocatePages 0x%lx, FreePages 0x%lx",
                         (unsigned long)run->stale_allocate, (unsigned long)run->stale_free);
  } else if (run->exit_calls == 0u || run->first_exit != EFI_INVALID_PARAMETER) {
    OSBaremetal_TestFail(report, name, "first ExitBootServices answered 0x%lx, want EFI_INVALID_PARAMETER (0x%lx)",
                         (unsigned long)run->first_exit, (unsigned long)EFI_INVALID_PARAMETER);
  } else if (run->status != EFI_SUCCESS || run->exit_calls < 2u) {
    OSBaremetal_TestFail(report, name, "%s: the retry did not succeed: status 0x%lx after %u calls",
                         loader_status_name(LOADER_ERR_UEFI_EXIT_BOOT_SERVICES), (unsigned long)run->status,
                         run->exit_calls);
  } else {
    OSBaremetal_TestPass(report, name);
  }
}
#endif

OSPolicy_Status loader_exit_boot_services(LoaderContext *context, LoaderEntropy *entropy, LoaderHandoff *loader) {
  OSBaremetal_TestReport *report = &context->report;
  const char *name = "loader.exit_boot_services";
  ExitAttempts run = {0u, 0u, EFI_NOT_READY, EFI_NOT_READY, 0, EFI_SUCCESS, EFI_SUCCESS};
#if OSPOLICY_LOADER_TEST_HOOKS
  run.stale_first = ebs_retry_requested(context);
  if (run.stale_first) {
    OSBaremetal_TestNote(report, "loader: \\ospolicy-test-ebs-retry is on the ESP: the first ExitBootServices attempt "
                                 "gets a stale map key");
  }
#endif
  OSBaremetal_TestStart(report, name);
  EFI_BOOT_SERVICES *bs = OSHostUefi_BootServices();
  EFI_HANDLE image = OSHostUefi_ImageHandle();
  if (bs == NULL) {
    OSBaremetal_TestFail(report, name, "%s: boot services are already gone",
                         loader_status_name(OSPOLICY_ERR_FIRMWARE_GONE));
    return OSPOLICY_ERR_FIRMWARE_GONE;
  }
  UINTN size = 0;
  UINTN descriptor_size = 0;
  UINT32 descriptor_version = 0;
  /* No output and no allocation between GetMemoryMap and ExitBootServices:
   * either could change the map and stale the key (the test hook does so on
   * purpose, before the first ExitBootServices call only). After a failed
   * ExitBootServices only GetMemoryMap and ExitBootServices may be called. */
  while (run.attempts < EXIT_ATTEMPTS) {
    ++run.attempts;
    UINTN key = 0;
    size = (UINTN)loader->memory_map_capacity;
    run.status = bs->GetMemoryMap(&size, loader->memory_map, &key, &descriptor_size, &descriptor_version);
    if (run.status != EFI_SUCCESS) {
      break;
    }
#if OSPOLICY_LOADER_TEST_HOOKS
    if (run.stale_first && run.exit_calls == 0u) {
      /* Boot services are still whole here: one page in and out changes the
       * map, so the firmware's key moves past the one just read. */
      EFI_PHYSICAL_ADDRESS page = 0;
      run.stale_allocate = bs->AllocatePages(AllocateAnyPages, EfiLoaderData, 1, &page);
      if (run.stale_allocate == EFI_SUCCESS) {
        run.stale_free = bs->FreePages(page, 1);
      }
    }
#endif
    run.status = bs->ExitBootServices(image, key);
    if (++run.exit_calls == 1u) {
      run.first_exit = run.status;
    }
    if (run.status != EFI_INVALID_PARAMETER) {
      break; /* success, or an error a fresh map will not fix */
    }
  }
  if (run.status != EFI_SUCCESS) {
    if (run.exit_calls != 0u) {
      /* A failed ExitBootServices may have shut part of boot services down:
       * from here on COM1 only, no ConOut. */
      OSHostUefi_ConsoleFirmwareGone();
    }
    OSBaremetal_TestFail(report, name, "%s: status 0x%lx after %u attempts",
                         loader_status_name(LOADER_ERR_UEFI_EXIT_BOOT_SERVICES), (unsigned long)run.status,
                         run.attempts);
#if OSPOLICY_LOADER_TEST_HOOKS
    if (run.stale_first) {
      report_retry(context, &run);
    }
#endif
    return LOADER_ERR_UEFI_EXIT_BOOT_SERVICES;
  }
  /* The same path that exited marks it: the guard forgets its source and the
   * backend drops every firmware interface (the loader's firmware layer reads
   * the same state, so it has no boot services either from here on). */
  OSPolicy_Status marked = OSPolicy_MarkExitBootServices(&entropy->firmware_rng);
  OSHostUefi_MarkBootServicesExited();
  if (marked != OSPOLICY_OK) {
    OSBaremetal_TestFail(report, name, "MarkExitBootServices: %s", loader_status_name(marked));
  } else {
    OSBaremetal_TestNote(report, "loader: ExitBootServices succeeded on attempt %u; %lu descriptors of %lu bytes",
                         run.attempts, (unsigned long)(size / (descriptor_size != 0u ? descriptor_size : 1u)),
                         (unsigned long)descriptor_size);
    OSBaremetal_TestPass(report, name);
  }
#if OSPOLICY_LOADER_TEST_HOOKS
  if (run.stale_first) {
    report_retry(context, &run);
  }
#endif
  check_rng_after_exit(context, entropy);

  OSPolicy_BootInfo *info = loader->boot_info;
  info->memory_map_size = size;
  info->memory_map_descriptor_size = descriptor_size;
  info->memory_map_descriptor_version = descriptor_version;
  return marked;
}

void loader_jump(const LoaderKernelImage *image, const LoaderHandoff *handoff, const LoaderTables *tables) {
  /* Entry and stack are slid kernel addresses: not printed (see loader_kernel.c). */
  loader_write_line(NULL, "# loader: jumping to the kernel entry");
  trampoline_fn jump = (trampoline_fn)(uintptr_t)handoff->trampoline;
  jump(handoff->boot_info, image->entry, image->stack_top_virtual, tables->tables.root);
}
