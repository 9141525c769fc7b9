/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * User-space ASLR layout: randomised stack, mmap and heap (brk) bases.
 *
 * The layout follows Linux x86-64, top down in the canonical lower half
 * (every address below OSPOLICY_ASLR_CANONICAL_LIMIT = 0x0000800000000000):
 *
 *   top                          highest user address (exclusive), default
 *                                0x00007ffffffff000 (Linux TASK_SIZE_MAX)
 *   stack   [stack_top - stack_size, stack_top)
 *           stack_top = top - R_stack * page,   R_stack < 2^stack_bits
 *   guard   OSPOLICY_ASLR_GUARD_GAP below the lowest possible stack
 *   mmap    [mmap_base - mmap_size, mmap_base), grows down
 *           mmap_base = top - stack_span - guard - R_mmap * page,
 *           R_mmap < 2^mmap_bits, stack_span = stack_size + (2^stack_bits - 1) pages
 *   guard   OSPOLICY_ASLR_GUARD_GAP above the highest possible heap end
 *   heap    [brk_start, brk_start + heap_size)
 *           brk_start = align_up(image_end, page) + R_heap * page, R_heap < 2^heap_bits
 *   image   [image_base, image_end), image_base >= OSPOLICY_ASLR_MIN_ADDRESS
 *
 * Defaults (OSPolicy_GetDefaultAslrLayoutRequest) match Linux x86-64 with 4 KiB
 * pages: mmap 28 bits (1 TiB range), stack 22 bits (16 GiB), heap 18 bits
 * (brk within 1 GiB of the image end), stack 8 MiB, heap 1 GiB, mmap area
 * 16 TiB. The fit is checked for the worst case of every random value, so a
 * configuration is either refused (OSPOLICY_ERR_ASLR_DOES_NOT_FIT) or every
 * draw gives non-overlapping, page-aligned regions below the top.
 *
 * Each region draws one 64-bit word and keeps its low `bits` bits (a power of
 * two range: masking is unbiased). Memory rules: request and layout are
 * caller owned; the layout is written completely on every call, status first.
 */
#ifndef OSPOLICY_ASLR_LAYOUT_H
#define OSPOLICY_ASLR_LAYOUT_H

#include <stdint.h>

#include "ospolicy/random_source.h"
#include "ospolicy/status.h"

#define OSPOLICY_ASLR_CANONICAL_LIMIT ((uint64_t)0x0000800000000000)
#define OSPOLICY_ASLR_DEFAULT_TOP ((uint64_t)0x00007ffffffff000)
#define OSPOLICY_ASLR_MIN_ADDRESS ((uint64_t)0x10000) /* Linux mmap_min_addr */
#define OSPOLICY_ASLR_GUARD_GAP ((uint64_t)1024 * 1024) /* Linux stack_guard_gap */
#define OSPOLICY_ASLR_MAX_BITS 40u
#define OSPOLICY_ASLR_DEFAULT_MMAP_BITS 28u
#define OSPOLICY_ASLR_DEFAULT_STACK_BITS 22u
#define OSPOLICY_ASLR_DEFAULT_HEAP_BITS 18u

typedef struct OSPolicy_AslrLayoutRequest {
  uint64_t page_size;  /* power of two >= 4096 */
  uint64_t top;        /* exclusive; page aligned; <= OSPOLICY_ASLR_CANONICAL_LIMIT */
  uint64_t image_base; /* the program image, which the heap follows */
  uint64_t image_end;  /* exclusive; > image_base */
  uint64_t stack_size; /* bytes reserved for the stack; page multiple, non-zero */
  uint64_t heap_size;  /* bytes reserved for brk growth; page multiple, non-zero */
  uint64_t mmap_size;  /* bytes guaranteed free below mmap_base; page multiple, non-zero */
  uint32_t stack_bits; /* 1..OSPOLICY_ASLR_MAX_BITS each */
  uint32_t mmap_bits;
  uint32_t heap_bits;
} OSPolicy_AslrLayoutRequest;

typedef struct OSPolicy_AslrRegion {
  uint64_t base;         /* lowest address */
  uint64_t size;         /* bytes */
  uint64_t random_pages; /* the drawn offset, in pages */
  uint32_t bits;         /* randomisation bits applied */
} OSPolicy_AslrRegion;

typedef struct OSPolicy_AslrLayout {
  OSPolicy_Status status;
  uint64_t stack_top; /* initial stack pointer region end (exclusive) */
  uint64_t mmap_base; /* top of the mmap area, which grows down */
  uint64_t brk_start; /* first heap byte */
  OSPolicy_AslrRegion stack;
  OSPolicy_AslrRegion mmap;
  OSPolicy_AslrRegion heap;
  uint32_t draws; /* random words consumed */
} OSPolicy_AslrLayout;

#ifdef __cplusplus
extern "C" {
#endif

/* The Linux-like defaults above for an image at [image_base, image_end). */
OSPolicy_AslrLayoutRequest OSPolicy_GetDefaultAslrLayoutRequest(uint64_t image_base,
                                                             uint64_t image_end);

/* Checks the configuration for every possible random value, without drawing.
 * Errors, in order: NULL_ARGUMENT; BAD_PAGE_SIZE; INVALID_ARGUMENT (a bits
 * value 0 or above OSPOLICY_ASLR_MAX_BITS); UNALIGNED (top, or a size not a
 * page multiple); EMPTY_RANGE (a size is 0, or image_end <= image_base);
 * OUT_OF_RANGE (top above the canonical limit, image below
 * OSPOLICY_ASLR_MIN_ADDRESS or above top); ASLR_DOES_NOT_FIT (the worst-case
 * regions overlap or fall below the heap). Never writes. */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_CheckAslrLayoutRequest(
    const OSPolicy_AslrLayoutRequest *request);

/* Draws the three offsets (stack, mmap, heap: one word each, in that order)
 * and writes the layout. Errors: NULL_ARGUMENT (layout NULL: nothing written;
 * request or random NULL); those of OSPolicy_CheckAslrLayoutRequest; the
 * random source's (RANDOM_SOURCE_FAILED, RANDOM_SOURCE_CONTRACT). On error
 * the layout holds only the status. */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_PlanAslrLayout(const OSPolicy_AslrLayoutRequest *request,
                                                            const OSPolicy_RandomWordSource *random,
                                                            OSPolicy_AslrLayout *layout);

#ifdef __cplusplus
}
#endif

#endif /* OSPOLICY_ASLR_LAYOUT_H */
