/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * KASLR slide planner: where in a window the kernel image is placed.
 *
 * The window [window_base, window_base + window_size) is cut into slots at
 * every multiple of `alignment` from window_base (2 MiB and 1 GiB by default,
 * as on Linux x86-64). A slot s is eligible when the image placed there,
 * [window_base + s * alignment, ... + image_size), lies inside the window and
 * overlaps none of the caller's reserved ranges (firmware, loader, boot data).
 * One eligible slot is chosen uniformly: a uniform index in [0, eligible) is
 * drawn by rejection sampling (OSPolicy_UniformRandom: no modulo bias) from a
 * caller-supplied 64-bit word source, so the choice is deterministic for a
 * given stream. A full 1 GiB window with an image of at most 2 MiB has 512
 * slots: 9 bits of entropy.
 *
 * Memory rules: request, reserved ranges and plan are caller owned; the plan
 * is written completely on every call, status first; reserved ranges are only
 * read, and may overlap each other and extend past the window.
 */
#ifndef OSPOLICY_KASLR_H
#define OSPOLICY_KASLR_H

#include <stddef.h>
#include <stdint.h>

#include "ospolicy/random_source.h"
#include "ospolicy/status.h"

#define OSPOLICY_KASLR_DEFAULT_ALIGNMENT ((uint64_t)2 * 1024 * 1024)
#define OSPOLICY_KASLR_DEFAULT_WINDOW_SIZE ((uint64_t)1024 * 1024 * 1024)
#define OSPOLICY_KASLR_MIN_ALIGNMENT ((uint64_t)4096)
#define OSPOLICY_KASLR_MAX_RESERVED 256u

typedef struct OSPolicy_AddressRange {
  uint64_t base;
  uint64_t size; /* bytes; a zero-size range reserves nothing */
} OSPolicy_AddressRange;

typedef struct OSPolicy_KaslrRequest {
  uint64_t window_base; /* aligned to `alignment` */
  uint64_t window_size; /* bytes; non-zero; window_base + window_size must not wrap */
  uint64_t image_size;  /* bytes the image occupies from its load address; non-zero */
  uint64_t alignment;   /* slot spacing: power of two >= 4096 */
  const OSPolicy_AddressRange *reserved;
  size_t reserved_count; /* <= OSPOLICY_KASLR_MAX_RESERVED */
} OSPolicy_KaslrRequest;

typedef struct OSPolicy_KaslrPlan {
  OSPolicy_Status status;
  uint64_t base;           /* chosen load address (0 unless OK) */
  uint64_t slide;          /* base - window_base */
  uint64_t slot;           /* slot number within the window */
  uint64_t total_slots;    /* slots where the image fits in the window */
  uint64_t eligible_slots; /* ... of which free of reserved ranges */
  uint32_t entropy_bits;   /* floor(log2(eligible_slots)); 0 for one slot */
  uint32_t draws;          /* random words consumed (1 + rejections) */
} OSPolicy_KaslrPlan;

#ifdef __cplusplus
extern "C" {
#endif

/* A request for the default geometry (2 MiB slots in a 1 GiB window at
 * window_base) and no reserved ranges. */
OSPolicy_KaslrRequest OSPolicy_GetDefaultKaslrRequest(uint64_t window_base, uint64_t image_size);

/* Counts slots without drawing: fills total_slots, eligible_slots and
 * entropy_bits (base/slide/slot/draws stay 0). Status OK, or the errors of
 * OSPolicy_PlanKaslr before the draw (random is not needed). */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_CountKaslrSlots(const OSPolicy_KaslrRequest *request,
                                                             OSPolicy_KaslrPlan *plan);

/* Chooses the slide. Errors, in order: NULL_ARGUMENT (plan NULL: nothing
 * written; request NULL; reserved NULL with a non-zero count; random NULL);
 * BAD_PAGE_SIZE (alignment not a power of two >= 4096); EMPTY_RANGE
 * (window_size or image_size 0); UNALIGNED (window_base); OVERFLOW (window or
 * a reserved range wraps past 2^64); TOO_MANY (reserved_count above the
 * maximum); OUT_OF_RANGE (image larger than the window); KASLR_NO_SLOT
 * (every slot collides with a reserved range); then the random source's
 * failure (RANDOM_SOURCE_FAILED, RANDOM_SOURCE_CONTRACT, RANDOM_EXHAUSTED).
 * On error the slot counts computed so far are kept and base is 0. */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_PlanKaslr(const OSPolicy_KaslrRequest *request,
                                                       const OSPolicy_RandomWordSource *random,
                                                       OSPolicy_KaslrPlan *plan);

#ifdef __cplusplus
}
#endif

#endif /* OSPOLICY_KASLR_H */
