/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * The UEFI loader (BOOTX64.EFI): state shared by its stages.
 *
 *   loader_main.c      efi_main: the stages in order, the report
 *   loader_checks.c    live PAL checks (protection paths, memory attributes table)
 *   loader_signature.c kernel.elf + kernel.elf.sig from the ESP: streamed through the
 *                      envelope verifier against the embedded trust set, or refused
 *   loader_entropy.c   guarded firmware RNG, RDRAND/RDSEED/RDTSC, the entropy pool
 *   loader_kernel.c    kernel.elf from the ESP: plans, KASLR, staging, relocations
 *   loader_paging.c    the kernel's page tables (W^X) with the page-table builder
 *   loader_handoff.c   boot info, ExitBootServices, CR3 switch and jump
 */
#ifndef OSPOLICY_UEFI_LOADER_H
#define OSPOLICY_UEFI_LOADER_H

#include <efi.h>
#include <stddef.h>
#include <stdint.h>

#include "ospolicy/boot_info.h"
#include "ospolicy/entropy_pool.h"
#include "ospolicy/guarded_random.h"
#include "ospolicy/kaslr.h"
#include "ospolicy/modsign.h"
#include "ospolicy/native_executable.h"
#include "ospolicy/native_payload.h"
#include "ospolicy/native_relocation.h"
#include "com1.h"
#include "page_table.h"
#include "test_report.h"

#define LOADER_KERNEL_PATH L"\\kernel.elf"
#define LOADER_KERNEL_SIGNATURE_PATH L"\\kernel.elf.sig" /* the envelope (docs/modsign.md) */
/* Test hook (docs/uefi.md, "ExitBootServices retry test"): when this file is
 * on the ESP, the first ExitBootServices attempt gets a map key made stale on
 * purpose, so the boot takes the spec's retry path. Contents are ignored. */
#define LOADER_EBS_RETRY_MARKER_PATH L"\\ospolicy-test-ebs-retry"
#define LOADER_KERNEL_MAX_SIZE (64u << 20)
#define LOADER_READ_CHUNK (64u << 10)           /* kernel.elf is read and verified in 64 KiB steps */
/* isa-debug-exit value when a boot object is refused (bad or missing
 * signature): QEMU exits with (0x13 << 1) | 1 = 39, distinct from success
 * (33), failure (35) and a kernel panic (37); the table is in com1.h. */
#define LOADER_DEBUG_EXIT_REFUSED OSBAREMETAL_DEBUG_EXIT_REFUSED
#define LOADER_STACK_PAGES 16u                  /* 64 KiB kernel boot stack */
#define LOADER_TABLE_POOL_PAGES 64u             /* page-table pages for the kernel */

typedef struct Loader {
  OSBaremetal_TestReport report;
  EFI_HANDLE image;
  EFI_SYSTEM_TABLE *system_table;
  EFI_BOOT_SERVICES *boot_services; /* NULL after ExitBootServices */

  /* Entropy. */
  OSPolicy_GuardedRandom firmware_rng;
  OSPolicy_EntropyPool pool;
  OSPolicy_EntropyCollectResult collect;
  OSPolicy_EntropySeed seed;
  int seeded;
  int weak_seed;
  EFI_TPL crypto_saved_tpl; /* TPL to return to while the firmware RNG runs */

  /* Signature verification (loader_signature.c). */
  OSPolicy_ModsignTrustSet trust; /* parsed from the embedded trust set; enforcing */
  OSPolicy_ModsignVerifier verifier;
  OSPolicy_ModsignResult verdict;
  uint8_t envelope[OSPOLICY_MODSIGN_ENVELOPE_MAX_SIZE];
  size_t envelope_size;

  /* The kernel: the bytes in kernel_file are exactly the bytes verified. */
  void *kernel_file;
  size_t kernel_file_size;
  OSPolicy_NativePayloadMappingPlan mapping;
  OSPolicy_NativeExecutableMemoryPlan executable;
  void *staging;            /* physical = identity address of the image's span */
  OSPolicy_KaslrPlan kaslr;
  OSPolicy_NativeRelocationResult relocation;
  uint64_t kernel_virtual_base;
  uint64_t kernel_entry;

  /* Kernel stack (physical) and its virtual placement after the image. */
  void *stack;
  uint64_t stack_guard_virtual;
  uint64_t stack_top_virtual;

  /* Page tables. */
  uint64_t table_pool;      /* physical, LOADER_TABLE_POOL_PAGES pages */
  uint64_t table_pool_used; /* pages handed out */
  OSBaremetal_PageTable tables;

  /* Hand-off. */
  OSPolicy_BootInfo *boot_info; /* one page, identity mapped */
  void *memory_map;             /* buffer for the final memory map */
  uint64_t memory_map_capacity; /* bytes */
  void *trampoline;             /* one page: code copied here, identity mapped RX */
} Loader;

/* Stages; each reports its own TEST_* markers and returns 1 to go on. */
void loader_check_protection(Loader *loader);
void loader_check_memory_attributes_table(Loader *loader);
void loader_collect_entropy(Loader *loader);
/* Reads kernel.elf and its envelope from the ESP and verifies them
 * (loader.kernel_signature). Returns only with a verified kernel in
 * loader->kernel_file; otherwise prints "OSPOLICY_REFUSED kernel: <status>",
 * the summary, and ends the VM with LOADER_DEBUG_EXIT_REFUSED. */
void loader_verify_kernel(Loader *loader);
int loader_load_kernel(Loader *loader);
int loader_build_page_tables(Loader *loader);
int loader_prepare_handoff(Loader *loader);
/* Exits boot services and jumps; returns only if ExitBootServices failed. */
void loader_exit_and_jump(Loader *loader);

/* The trust set compiled into the loader (generated from <build>/modsign/trust.bin). */
extern const uint8_t ospolicy_loader_trust_set[];
extern const size_t ospolicy_loader_trust_set_size;

/* Helpers. */
void loader_write_line(void *context, const char *line);
EFI_STATUS loader_allocate(Loader *loader, uint64_t pages, void **out);
/* The root directory of the volume BOOTX64.EFI was loaded from (boot services
 * only); the caller closes it. */
EFI_STATUS loader_open_esp_root(Loader *loader, EFI_FILE_PROTOCOL **root);
/* Runs libsodium-backed pool work with interrupts masked (TPL_HIGH_LEVEL):
 * the archive reads its stack-protector canary at %fs:0x28. */
void loader_crypto_enter(Loader *loader);
void loader_crypto_leave(Loader *loader);

#endif /* OSPOLICY_UEFI_LOADER_H */
