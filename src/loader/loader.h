/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * The UEFI loader (BOOTX64.EFI): its stages, their inputs and outputs.
 *
 *   loader_firmware.c  the firmware layer: pages, ESP files, console, crypto
 *                      sections, Secure Boot variables (loader_firmware.h)
 *   loader_main.c      efi_main and the sequencer: the one place that decides
 *                      whether the boot goes on or is refused
 *   loader_signature.c kernel.elf + kernel.elf.sig from the ESP: streamed through the
 *                      envelope verifier against the embedded trust set
 *   loader_checks.c    live PAL checks (protection paths, memory attributes table)
 *   loader_entropy.c   guarded firmware RNG, RDRAND/RDSEED/RDTSC, the entropy pool
 *   loader_kernel.c    kernel.elf: plans, KASLR placement, staging, relocations
 *   loader_paging.c    the kernel's page tables (W^X) with the page-table builder
 *   loader_handoff.c   boot info, ExitBootServices, CR3 switch and jump
 *
 * Every stage takes what it reads as const inputs, writes only its own output
 * struct, reports its TEST_* markers, and returns an OSPolicy_Status. No stage
 * ends the VM: anything but OSPOLICY_OK goes back to the sequencer, which
 * prints "OSPOLICY_REFUSED <stage>: <status>", the summary, and ends the VM
 * with LOADER_DEBUG_EXIT_REFUSED. Checks that only observe (the PAL and
 * firmware checks) return nothing and never change the path of the boot.
 *
 * Build flavours (src/loader/CMakeLists.txt):
 *   OSPOLICY_LOADER_TEST_HOOKS    debug loaders only: the ESP file
 *                                 \ospolicy-test-ebs-retry is honoured; release
 *                                 loaders contain neither the code nor its name
 *   OSPOLICY_LOADER_WEAK_SEED_OK  a seed below the pool's threshold boots (loudly);
 *                                 otherwise it is refused. On in debug loaders;
 *                                 release loaders only with the build option
 *                                 OSPOLICY_LOADER_ALLOW_WEAK_SEED.
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
#include "ospolicy/native_executable.h"
#include "ospolicy/native_payload.h"
#include "ospolicy/native_relocation.h"
#include "com1.h"
#include "loader_firmware.h"
#include "loader_status.h"
#include "page_table.h"
#include "status_name.h"
#include "test_report.h"

#ifndef OSPOLICY_LOADER_TEST_HOOKS
#error "OSPOLICY_LOADER_TEST_HOOKS must be defined (0 or 1) by the build"
#endif
#ifndef OSPOLICY_LOADER_WEAK_SEED_OK
#error "OSPOLICY_LOADER_WEAK_SEED_OK must be defined (0 or 1) by the build"
#endif

#define LOADER_KERNEL_PATH L"\\kernel.elf"
#define LOADER_KERNEL_SIGNATURE_PATH L"\\kernel.elf.sig" /* the envelope (docs/modsign.md) */
#define LOADER_KERNEL_MAX_SIZE (64u << 20)
#define LOADER_READ_CHUNK (64u << 10)           /* kernel.elf is read and verified in 64 KiB steps */
/* isa-debug-exit value of every refusal: QEMU exits with (0x13 << 1) | 1 = 39,
 * distinct from success (33), failure (35) and a kernel panic (37); the table
 * is in com1.h. */
#define LOADER_DEBUG_EXIT_REFUSED OSBAREMETAL_DEBUG_EXIT_REFUSED
#define LOADER_STACK_PAGES 16u                  /* 64 KiB kernel boot stack */
#define LOADER_STACK_BYTES ((uint64_t)LOADER_STACK_PAGES * OSBAREMETAL_PAGE_SIZE)
#define LOADER_TABLE_POOL_PAGES 64u             /* page-table pages for the kernel */

/* What every stage shares: the report its markers go to. */
typedef struct LoaderContext {
  OSBaremetal_TestReport report;
} LoaderContext;

/* loader_verify_kernel: the bytes of kernel.elf exactly as verified. */
typedef struct LoaderKernelFile {
  void *data;
  size_t size;
} LoaderKernelFile;

/* loader_collect_entropy. */
typedef struct LoaderEntropy {
  OSPolicy_GuardedRandom firmware_rng;
  OSPolicy_EntropyPool pool;
  OSPolicy_EntropyCollectResult collect;
  OSPolicy_EntropySeed seed; /* exported for the kernel */
  int weak_seed;             /* the pool stayed below its threshold; the seed says so */
} LoaderEntropy;

/* loader_plan_kernel. */
typedef struct LoaderKernelPlan {
  OSPolicy_NativePayloadMappingPlan mapping;
  OSPolicy_NativeExecutableMemoryPlan executable;
  uint64_t footprint; /* image + guard page + boot stack: what KASLR must fit */
} LoaderKernelPlan;

/* loader_stage_kernel: the image in memory, relocated for kaslr->base. */
typedef struct LoaderKernelImage {
  void *staging; /* physical = identity address of the image's span */
  OSPolicy_NativeRelocationResult relocation;
  uint64_t virtual_base;
  uint64_t entry;
  uint64_t stack_guard_virtual; /* unmapped page after the image */
  uint64_t stack_top_virtual;
} LoaderKernelImage;

/* loader_prepare_handoff. */
typedef struct LoaderHandoff {
  OSPolicy_BootInfo *boot_info; /* one page, identity mapped */
  void *stack;                  /* LOADER_STACK_PAGES, physical */
  void *memory_map;             /* buffer for the final memory map */
  uint64_t memory_map_capacity; /* bytes */
  void *trampoline;             /* one page: code copied here, sealed RX */
} LoaderHandoff;

/* loader_build_page_tables. */
typedef struct LoaderTables {
  uint64_t pool;      /* physical, LOADER_TABLE_POOL_PAGES pages */
  uint64_t pool_used; /* pages handed out */
  OSBaremetal_PageTable tables;
} LoaderTables;

/* ---- Stages, in the order the sequencer runs them ---- */

/* Reads kernel.elf and its envelope from the ESP and verifies them against
 * the embedded trust set (loader.kernel_signature). OK only with a verified
 * kernel in *out; any other answer is the refusal's status. */
OSPolicy_Status loader_verify_kernel(LoaderContext *context, LoaderKernelFile *out);

/* Observations: live PAL protection paths and the firmware's W+X state. */
void loader_check_protection(LoaderContext *context);
void loader_check_memory_attributes_table(LoaderContext *context);
/* Observation: crypto sections point FS at the canary block (loader.crypto_fs_base). */
void loader_check_crypto_section(LoaderContext *context);

/* Seeds the pool from every source there is. OK with out->weak_seed set when
 * the pool stayed below its threshold (the sequencer decides about that). */
OSPolicy_Status loader_collect_entropy(LoaderContext *context, LoaderEntropy *out);
/* Replaces the crypto sections' canary with 8 bytes from the seeded pool. */
OSPolicy_Status loader_reseed_canary(LoaderContext *context, LoaderEntropy *entropy);

/* Mapping and executable-memory plans of the verified kernel (loader.kernel_planned). */
OSPolicy_Status loader_plan_kernel(LoaderContext *context, const LoaderKernelFile *file, LoaderKernelPlan *out);
/* KASLR: a slot for plan->footprint drawn from the pool (loader.kaslr_slide). */
OSPolicy_Status loader_place_kernel(LoaderContext *context, const LoaderKernelPlan *plan, LoaderEntropy *entropy,
                                    OSPolicy_KaslrPlan *out);
/* Copies the segments into fresh pages and applies the relocations for
 * kaslr->base (loader.kernel_relocated). */
OSPolicy_Status loader_stage_kernel(LoaderContext *context, const LoaderKernelFile *file,
                                    const LoaderKernelPlan *plan, const OSPolicy_KaslrPlan *kaslr,
                                    LoaderKernelImage *out);
/* Boot info page, stack, memory-map buffer, sealed trampoline (loader.handoff_prepared). */
OSPolicy_Status loader_prepare_handoff(LoaderContext *context, LoaderHandoff *out);
/* The kernel's W^X page tables (loader.page_tables_wx). */
OSPolicy_Status loader_build_page_tables(LoaderContext *context, const LoaderKernelPlan *plan,
                                         const LoaderKernelImage *image, const LoaderHandoff *handoff,
                                         LoaderTables *out);
/* Writes the boot info block from the stages' outputs. */
void loader_fill_boot_info(const LoaderEntropy *entropy, const LoaderKernelPlan *plan,
                           const OSPolicy_KaslrPlan *kaslr, const LoaderKernelImage *image,
                           const LoaderHandoff *handoff, const LoaderTables *tables);
/* ExitBootServices (retried with a fresh map as the spec requires), then the
 * firmware-RNG latch (loader.exit_boot_services, loader.firmware_rng_after_ebs).
 * OK: boot services are gone and the boot info has the final memory map. */
OSPolicy_Status loader_exit_boot_services(LoaderContext *context, LoaderEntropy *entropy, LoaderHandoff *handoff);
/* CR3 switch and jump through the trampoline. */
__attribute__((noreturn)) void loader_jump(const LoaderKernelImage *image, const LoaderHandoff *handoff,
                                           const LoaderTables *tables);

/* The trust set compiled into the loader (generated from <build>/modsign/trust.bin). */
extern const uint8_t ospolicy_loader_trust_set[];
extern const size_t ospolicy_loader_trust_set_size;

#endif /* OSPOLICY_UEFI_LOADER_H */
