/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
#include "ospolicy/aslr_layout.h"

#include <stdbool.h>
#include <stddef.h>

OSPolicy_AslrLayoutRequest OSPolicy_GetDefaultAslrLayoutRequest(uint64_t image_base,
                                                             uint64_t image_end) {
  return (OSPolicy_AslrLayoutRequest){
      .page_size = 4096,
      .top = OSPOLICY_ASLR_DEFAULT_TOP,
      .image_base = image_base,
      .image_end = image_end,
      .stack_size = (uint64_t)8 * 1024 * 1024,
      .heap_size = (uint64_t)1024 * 1024 * 1024,
      .mmap_size = (uint64_t)16 * 1024 * 1024 * 1024 * 1024,
      .stack_bits = OSPOLICY_ASLR_DEFAULT_STACK_BITS,
      .mmap_bits = OSPOLICY_ASLR_DEFAULT_MMAP_BITS,
      .heap_bits = OSPOLICY_ASLR_DEFAULT_HEAP_BITS,
  };
}

/* Worst-case extents, computed once by check_geometry. */
typedef struct geometry {
  uint64_t page;
  uint64_t guard;
  uint64_t stack_span;    /* stack_size + largest stack offset */
  uint64_t mmap_base_max; /* mmap_base with R_mmap = 0 */
  uint64_t brk_min;       /* brk_start with R_heap = 0 */
} geometry;

static bool bits_ok(uint32_t bits) {
  return bits >= 1u && bits <= OSPOLICY_ASLR_MAX_BITS;
}

/* (2^bits - 1) pages in bytes. */
static bool max_offset(uint32_t bits, uint64_t page, uint64_t *bytes) {
  uint64_t pages = (((uint64_t)1) << bits) - 1u;
  return !__builtin_mul_overflow(pages, page, bytes);
}

static OSPolicy_Status check_geometry(const OSPolicy_AslrLayoutRequest *r, geometry *g) {
  uint64_t page = r->page_size;
  if (page < 4096u || (page & (page - 1u)) != 0u) {
    return OSPOLICY_ERR_BAD_PAGE_SIZE;
  }
  if (!bits_ok(r->stack_bits) || !bits_ok(r->mmap_bits) || !bits_ok(r->heap_bits)) {
    return OSPOLICY_ERR_INVALID_ARGUMENT;
  }
  uint64_t mask = page - 1u;
  if ((r->top & mask) != 0u || (r->stack_size & mask) != 0u || (r->heap_size & mask) != 0u ||
      (r->mmap_size & mask) != 0u) {
    return OSPOLICY_ERR_UNALIGNED;
  }
  if (r->stack_size == 0u || r->heap_size == 0u || r->mmap_size == 0u ||
      r->image_end <= r->image_base) {
    return OSPOLICY_ERR_EMPTY_RANGE;
  }
  if (r->top > OSPOLICY_ASLR_CANONICAL_LIMIT || r->image_base < OSPOLICY_ASLR_MIN_ADDRESS ||
      r->image_end > r->top) {
    return OSPOLICY_ERR_OUT_OF_RANGE;
  }
  uint64_t guard = OSPOLICY_ASLR_GUARD_GAP > page ? OSPOLICY_ASLR_GUARD_GAP : page;
  uint64_t stack_rand, mmap_rand, heap_rand;
  if (!max_offset(r->stack_bits, page, &stack_rand) || !max_offset(r->mmap_bits, page, &mmap_rand) ||
      !max_offset(r->heap_bits, page, &heap_rand)) {
    return OSPOLICY_ERR_ASLR_DOES_NOT_FIT;
  }
  /* Top down: stack span, guard, mmap offset range, mmap area. */
  uint64_t stack_span, below_stack, mmap_base_max, mmap_base_min, mmap_low_min;
  if (__builtin_add_overflow(r->stack_size, stack_rand, &stack_span) ||
      __builtin_sub_overflow(r->top, stack_span, &below_stack) ||
      __builtin_sub_overflow(below_stack, guard, &mmap_base_max) ||
      __builtin_sub_overflow(mmap_base_max, mmap_rand, &mmap_base_min) ||
      __builtin_sub_overflow(mmap_base_min, r->mmap_size, &mmap_low_min)) {
    return OSPOLICY_ERR_ASLR_DOES_NOT_FIT;
  }
  /* Bottom up: image end rounded to a page, heap offset range, heap, guard. */
  uint64_t brk_min = (r->image_end + mask) & ~mask; /* image_end <= top, top aligned */
  uint64_t heap_end_max, heap_guard_end;
  if (__builtin_add_overflow(brk_min, heap_rand, &heap_end_max) ||
      __builtin_add_overflow(heap_end_max, r->heap_size, &heap_end_max) ||
      __builtin_add_overflow(heap_end_max, guard, &heap_guard_end) ||
      heap_guard_end > mmap_low_min) {
    return OSPOLICY_ERR_ASLR_DOES_NOT_FIT;
  }
  g->page = page;
  g->guard = guard;
  g->stack_span = stack_span;
  g->mmap_base_max = mmap_base_max;
  g->brk_min = brk_min;
  return OSPOLICY_OK;
}

OSPolicy_Status OSPolicy_CheckAslrLayoutRequest(const OSPolicy_AslrLayoutRequest *request) {
  if (request == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  geometry g;
  return check_geometry(request, &g);
}

static OSPolicy_Status draw_pages(const OSPolicy_RandomWordSource *random, uint32_t bits,
                                  uint64_t *pages) {
  uint64_t word = 0;
  OSPolicy_Status status = OSPolicy_NextRandomWord(random, &word);
  if (status != OSPOLICY_OK) {
    return status;
  }
  *pages = word & ((((uint64_t)1) << bits) - 1u);
  return OSPOLICY_OK;
}

static OSPolicy_Status fail(OSPolicy_AslrLayout *layout, OSPolicy_Status status, uint32_t draws) {
  *layout = (OSPolicy_AslrLayout){.status = status, .draws = draws};
  return status;
}

OSPolicy_Status OSPolicy_PlanAslrLayout(const OSPolicy_AslrLayoutRequest *request,
                                        const OSPolicy_RandomWordSource *random,
                                        OSPolicy_AslrLayout *layout) {
  if (layout == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  if (request == NULL || random == NULL || random->next == NULL) {
    return fail(layout, OSPOLICY_ERR_NULL_ARGUMENT, 0);
  }
  geometry g;
  OSPolicy_Status status = check_geometry(request, &g);
  if (status != OSPOLICY_OK) {
    return fail(layout, status, 0);
  }
  uint64_t stack_pages = 0, mmap_pages = 0, heap_pages = 0;
  if ((status = draw_pages(random, request->stack_bits, &stack_pages)) != OSPOLICY_OK) {
    return fail(layout, status, 1);
  }
  if ((status = draw_pages(random, request->mmap_bits, &mmap_pages)) != OSPOLICY_OK) {
    return fail(layout, status, 2);
  }
  if ((status = draw_pages(random, request->heap_bits, &heap_pages)) != OSPOLICY_OK) {
    return fail(layout, status, 3);
  }
  /* Every value below was bounded by the worst case check_geometry accepted. */
  uint64_t stack_top = request->top - stack_pages * g.page;
  uint64_t mmap_base = g.mmap_base_max - mmap_pages * g.page;
  uint64_t brk_start = g.brk_min + heap_pages * g.page;
  *layout = (OSPolicy_AslrLayout){
      .status = OSPOLICY_OK,
      .stack_top = stack_top,
      .mmap_base = mmap_base,
      .brk_start = brk_start,
      .stack = {.base = stack_top - request->stack_size,
                .size = request->stack_size,
                .random_pages = stack_pages,
                .bits = request->stack_bits},
      .mmap = {.base = mmap_base - request->mmap_size,
               .size = request->mmap_size,
               .random_pages = mmap_pages,
               .bits = request->mmap_bits},
      .heap = {.base = brk_start,
               .size = request->heap_size,
               .random_pages = heap_pages,
               .bits = request->heap_bits},
      .draws = 3,
  };
  return OSPOLICY_OK;
}
