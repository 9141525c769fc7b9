/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * The boot-info block: what the UEFI loader hands the kernel.
 *
 * Fixed-width fields only, no pointers to loader code, versioned (in the
 * spirit of Limine's limine.h): the kernel checks magic, then version, then
 * that `size` covers every field it reads. New fields are appended and bump
 * the version; existing offsets never move (checked by the static asserts).
 *
 * Address conventions: *_physical fields are physical addresses; the other
 * addresses are virtual addresses valid under the loader's page tables. The
 * block itself, the memory map and the page-table pool are identity-mapped
 * (virtual == physical) read-only or read-write, never executable.
 *
 * Memory rules: the loader writes the block completely before the jump; the
 * kernel owns it afterwards. The seed must be mixed into the kernel's pool and
 * then wiped (OSPolicy_ImportEntropySeed wipes it).
 */
#ifndef OSPOLICY_BOOT_INFO_H
#define OSPOLICY_BOOT_INFO_H

#include <stddef.h>
#include <stdint.h>

#include "ospolicy/status.h"

#define OSPOLICY_BOOT_INFO_MAGIC ((uint64_t)0x4F464E49544F4F42) /* "BOOTINFO" little endian */
#define OSPOLICY_BOOT_INFO_VERSION 1u
/* Room for an OSPolicy_EntropySeed (<ospolicy/entropy_pool.h>, 72 bytes:
 * magic, version, credit, source mask, 32 seed bytes, check value), kept as
 * bytes so that this header does not depend on the crypto library. */
#define OSPOLICY_BOOT_INFO_SEED_BYTES 80u

/* The kernel's KASLR window: 1 GiB from here (-2 GiB, the x86-64 kernel code
 * model's range), 2 MiB slots. The kernel is linked at 0 and runs at
 * OSPOLICY_BOOT_KERNEL_WINDOW_BASE + kernel_slide. */
#define OSPOLICY_BOOT_KERNEL_WINDOW_BASE ((uint64_t)0xffffffff80000000)

/* The boot hand-off's status codes, in the core's reserved platform input
 * range (0x0280..0x028f; <ospolicy/status.h>, "Platform codes"): the kernel
 * refuses a block with them, and the loader a firmware memory map or memory
 * attributes table laid out as no UEFI firmware would. They travel in an
 * OSPolicy_Status; OSPolicy_BootInfoStatusName below names them (and
 * OSBaremetal_StatusName names them beside the core's codes).
 * X(code, "short-name", "what it means") */
#define OSPOLICY_ERR_BOOT_INFO_BAD_MAGIC ((OSPolicy_Status)0x0280)
#define OSPOLICY_ERR_BOOT_INFO_BAD_VERSION ((OSPolicy_Status)0x0281)
#define OSPOLICY_ERR_UEFI_BAD_MEMORY_MAP ((OSPolicy_Status)0x0282)
#define OSPOLICY_BOOT_INFO_STATUS_LIST(X)                                                       \
  X(OSPOLICY_ERR_BOOT_INFO_BAD_MAGIC, "boot-info-bad-magic",                                    \
    "the boot-info block does not start with OSPOLICY_BOOT_INFO_MAGIC")                         \
  X(OSPOLICY_ERR_BOOT_INFO_BAD_VERSION, "boot-info-bad-version",                                \
    "the boot-info block has a version or size this build does not understand")                 \
  X(OSPOLICY_ERR_UEFI_BAD_MEMORY_MAP, "uefi-bad-memory-map",                                    \
    "a memory map or memory attributes table has an impossible descriptor size or count")

/* Short name of a boot-info code; NULL for any other value. */
static inline const char *OSPolicy_BootInfoStatusName(OSPolicy_Status status) {
  switch ((unsigned)status) {
#define OSPOLICY_BOOT_INFO_STATUS_NAME(code, short_name, text) \
  case (unsigned)code:                                                         \
    return short_name;
    OSPOLICY_BOOT_INFO_STATUS_LIST(OSPOLICY_BOOT_INFO_STATUS_NAME)
#undef OSPOLICY_BOOT_INFO_STATUS_NAME
    default:
      return NULL;
  }
}

/* One-line description of a boot-info code; NULL for any other value. */
static inline const char *OSPolicy_BootInfoStatusText(OSPolicy_Status status) {
  switch ((unsigned)status) {
#define OSPOLICY_BOOT_INFO_STATUS_TEXT(code, short_name, text) \
  case (unsigned)code:                                                         \
    return text;
    OSPOLICY_BOOT_INFO_STATUS_LIST(OSPOLICY_BOOT_INFO_STATUS_TEXT)
#undef OSPOLICY_BOOT_INFO_STATUS_TEXT
    default:
      return NULL;
  }
}

/* flags */
#define OSPOLICY_BOOT_INFO_FLAG_SEEDED 0x1u      /* seed holds pool output */
#define OSPOLICY_BOOT_INFO_FLAG_KASLR 0x2u       /* the slide was drawn from the pool */
#define OSPOLICY_BOOT_INFO_FLAG_WEAK_SEED 0x4u   /* the pool had less entropy than it wants */
#define OSPOLICY_BOOT_INFO_FLAG_RELOCATED 0x8u   /* relative relocations were applied */

/* entropy_sources: bit (1 << OSHost_RandomSource) for each source the
 * loader mixed into the pool (<ospolicy/random_source.h>). */
#define OSPOLICY_BOOT_ENTROPY_BIT(kind) (1u << (unsigned)(kind))

/* One UEFI memory descriptor, as the firmware lays it out (UEFI 2.10,
 * EFI_MEMORY_DESCRIPTOR). Descriptors are memory_map_descriptor_size apart,
 * which may be larger than this struct. */
typedef struct OSPolicy_BootMemoryDescriptor {
  uint32_t type;
  uint32_t reserved;
  uint64_t physical_start;
  uint64_t virtual_start;
  uint64_t page_count;
  uint64_t attributes;
} OSPolicy_BootMemoryDescriptor;

typedef struct OSPolicy_BootInfo {
  uint64_t magic;   /* OSPOLICY_BOOT_INFO_MAGIC */
  uint32_t version; /* OSPOLICY_BOOT_INFO_VERSION */
  uint32_t size;    /* sizeof(OSPolicy_BootInfo) as the loader built it */
  uint32_t flags;   /* OSPOLICY_BOOT_INFO_FLAG_* */
  uint32_t entropy_sources; /* OSPOLICY_BOOT_ENTROPY_BIT(...) mask */
  uint32_t entropy_credited_bits; /* the loader pool's conservative estimate */
  uint32_t reserved1;
  uint8_t seed[OSPOLICY_BOOT_INFO_SEED_BYTES]; /* OSPolicy_EntropySeed, zero padded */

  /* The kernel image. */
  uint64_t kernel_link_base;       /* link-time address of the image's first page (0) */
  uint64_t kernel_virtual_base;    /* where it runs: kaslr_window_base + kernel_slide */
  uint64_t kernel_slide;           /* a multiple of kaslr_alignment */
  uint64_t kernel_physical_base;
  uint64_t kernel_size;            /* bytes mapped from kernel_virtual_base */
  uint64_t kaslr_window_base;
  uint64_t kaslr_window_size;
  uint64_t kaslr_alignment;
  uint64_t kaslr_slots;            /* eligible slots the slide was drawn from */
  uint64_t relocations_applied;

  /* The initial stack: [stack_top - stack_size, stack_top) RW+NX, and the
   * page below it unmapped (the guard page at stack_guard). */
  uint64_t stack_top;
  uint64_t stack_size;
  uint64_t stack_guard;

  /* The final UEFI memory map (after ExitBootServices). */
  uint64_t memory_map;              /* identity-mapped, read-write, NX */
  uint64_t memory_map_size;         /* bytes of descriptors */
  uint64_t memory_map_descriptor_size;
  uint32_t memory_map_descriptor_version;
  uint32_t reserved0;

  /* The page tables the kernel runs on (CR3) and the pool their table pages
   * come from, identity-mapped read-only so the kernel can audit them. */
  uint64_t page_table_root_physical;
  uint64_t page_table_pool_physical;
  uint64_t page_table_pool_size;

  /* The loader's own live checks, counted into the kernel's TEST_SUMMARY. */
  uint32_t loader_tests_passed;
  uint32_t loader_tests_failed;
} OSPolicy_BootInfo;

_Static_assert(sizeof(OSPolicy_BootMemoryDescriptor) == 40, "UEFI descriptor layout");
_Static_assert(offsetof(OSPolicy_BootInfo, seed) == 32, "boot-info layout is frozen");
_Static_assert(offsetof(OSPolicy_BootInfo, kernel_link_base) == 112, "boot-info layout is frozen");
_Static_assert(offsetof(OSPolicy_BootInfo, memory_map) == 216, "boot-info layout is frozen");
_Static_assert(sizeof(OSPolicy_BootInfo) == 280, "boot-info layout is frozen");

#endif /* OSPOLICY_BOOT_INFO_H */
