/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
#include "ospolicy/kaslr.h"

#include <stdbool.h>

OSPolicy_KaslrRequest OSPolicy_GetDefaultKaslrRequest(uint64_t window_base, uint64_t image_size) {
  return (OSPolicy_KaslrRequest){
      .window_base = window_base,
      .window_size = OSPOLICY_KASLR_DEFAULT_WINDOW_SIZE,
      .image_size = image_size,
      .alignment = OSPOLICY_KASLR_DEFAULT_ALIGNMENT,
      .reserved = NULL,
      .reserved_count = 0,
  };
}

/* Slot geometry shared by counting and choosing. */
typedef struct geometry {
  const OSPolicy_KaslrRequest *request;
  uint64_t total; /* slots 0 .. total-1 */
} geometry;

/* Slots whose image [wb + s*A, + image) meets reserved range i, clamped to
 * [0, total). Returns false if none. Ranges were checked not to wrap. */
static bool blocked_slots(const geometry *g, size_t i, uint64_t *lo, uint64_t *hi) {
  const OSPolicy_KaslrRequest *r = g->request;
  const OSPolicy_AddressRange *range = &r->reserved[i];
  if (range->size == 0u) {
    return false;
  }
  uint64_t range_end = range->base + range->size; /* checked: no wrap */
  uint64_t wb = r->window_base;
  uint64_t a = r->alignment;
  /* slot start < range_end  <=>  s <= ceil((range_end - wb) / a) - 1 */
  if (range_end <= wb) {
    return false;
  }
  uint64_t span = range_end - wb;
  uint64_t last = span / a - (span % a == 0u ? 1u : 0u);
  /* slot start + image > range->base  <=>  s * a > range->base - image - wb */
  uint64_t first = 0;
  uint64_t image_end_at_zero = wb + r->image_size; /* checked: inside the window */
  if (range->base >= image_end_at_zero) {
    first = (range->base - image_end_at_zero) / a + 1u;
  }
  if (first >= g->total || first > last) {
    return false;
  }
  *lo = first;
  *hi = last < g->total - 1u ? last : g->total - 1u;
  return true;
}

/* Smallest free slot >= s (g->total if none). */
static uint64_t next_free(const geometry *g, uint64_t s) {
  bool moved = true;
  while (moved && s < g->total) {
    moved = false;
    for (size_t i = 0; i < g->request->reserved_count; i++) {
      uint64_t lo, hi;
      if (blocked_slots(g, i, &lo, &hi) && lo <= s && s <= hi) {
        s = hi + 1u;
        moved = true;
      }
    }
  }
  return s;
}

/* For a free slot s: the end (exclusive) of the run of free slots it starts. */
static uint64_t run_end(const geometry *g, uint64_t s) {
  uint64_t end = g->total;
  for (size_t i = 0; i < g->request->reserved_count; i++) {
    uint64_t lo, hi;
    if (blocked_slots(g, i, &lo, &hi) && lo > s && lo < end) {
      end = lo;
    }
  }
  return end;
}

static uint64_t count_free(const geometry *g) {
  uint64_t count = 0;
  uint64_t s = next_free(g, 0);
  while (s < g->total) {
    uint64_t end = run_end(g, s);
    count += end - s;
    s = next_free(g, end);
  }
  return count;
}

/* The slot number of the index-th free slot (index < count_free). */
static uint64_t nth_free(const geometry *g, uint64_t index) {
  uint64_t s = next_free(g, 0);
  while (s < g->total) {
    uint64_t end = run_end(g, s);
    if (index < end - s) {
      return s + index;
    }
    index -= end - s;
    s = next_free(g, end);
  }
  return g->total; /* unreachable for a valid index */
}

static OSPolicy_Status validate(const OSPolicy_KaslrRequest *r, geometry *g) {
  uint64_t a = r->alignment;
  if (a < OSPOLICY_KASLR_MIN_ALIGNMENT || (a & (a - 1u)) != 0u) {
    return OSPOLICY_ERR_BAD_PAGE_SIZE;
  }
  if (r->window_size == 0u || r->image_size == 0u) {
    return OSPOLICY_ERR_EMPTY_RANGE;
  }
  if ((r->window_base & (a - 1u)) != 0u) {
    return OSPOLICY_ERR_UNALIGNED;
  }
  uint64_t window_end;
  if (__builtin_add_overflow(r->window_base, r->window_size, &window_end)) {
    return OSPOLICY_ERR_OVERFLOW;
  }
  if (r->reserved_count > OSPOLICY_KASLR_MAX_RESERVED) {
    return OSPOLICY_ERR_TOO_MANY;
  }
  for (size_t i = 0; i < r->reserved_count; i++) {
    uint64_t end;
    if (__builtin_add_overflow(r->reserved[i].base, r->reserved[i].size, &end)) {
      return OSPOLICY_ERR_OVERFLOW;
    }
  }
  if (r->image_size > r->window_size) {
    return OSPOLICY_ERR_OUT_OF_RANGE;
  }
  g->request = r;
  g->total = (r->window_size - r->image_size) / a + 1u;
  return OSPOLICY_OK;
}

static uint32_t floor_log2(uint64_t n) {
  return n == 0u ? 0u : (uint32_t)(63 - __builtin_clzll(n));
}

/* Validates and counts; fills the counting fields of *plan. */
static OSPolicy_Status count_into(const OSPolicy_KaslrRequest *request, OSPolicy_KaslrPlan *plan,
                                  geometry *g) {
  *plan = (OSPolicy_KaslrPlan){.status = OSPOLICY_STATUS_UNSET};
  if (request->reserved == NULL && request->reserved_count != 0u) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  OSPolicy_Status status = validate(request, g);
  if (status != OSPOLICY_OK) {
    return status;
  }
  plan->total_slots = g->total;
  plan->eligible_slots = count_free(g);
  plan->entropy_bits = floor_log2(plan->eligible_slots);
  return plan->eligible_slots == 0u ? OSPOLICY_ERR_KASLR_NO_SLOT : OSPOLICY_OK;
}

OSPolicy_Status OSPolicy_CountKaslrSlots(const OSPolicy_KaslrRequest *request,
                                         OSPolicy_KaslrPlan *plan) {
  if (plan == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  if (request == NULL) {
    *plan = (OSPolicy_KaslrPlan){.status = OSPOLICY_ERR_NULL_ARGUMENT};
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  geometry g = {0};
  OSPolicy_Status status = count_into(request, plan, &g);
  plan->status = status;
  return status;
}

OSPolicy_Status OSPolicy_PlanKaslr(const OSPolicy_KaslrRequest *request,
                                   const OSPolicy_RandomWordSource *random,
                                   OSPolicy_KaslrPlan *plan) {
  if (plan == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  if (request == NULL || random == NULL || random->next == NULL) {
    *plan = (OSPolicy_KaslrPlan){.status = OSPOLICY_ERR_NULL_ARGUMENT};
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  geometry g = {0};
  OSPolicy_Status status = count_into(request, plan, &g);
  if (status != OSPOLICY_OK) {
    plan->status = status;
    return status;
  }
  uint64_t index = 0;
  uint32_t draws = 0;
  status = OSPolicy_UniformRandom(random, plan->eligible_slots, &index, &draws);
  plan->draws = draws;
  if (status != OSPOLICY_OK) {
    plan->status = status;
    return status;
  }
  uint64_t slot = nth_free(&g, index);
  if (slot >= g.total) {
    plan->status = OSPOLICY_ERR_PLAN_NOT_OK; /* counting and walking disagree: a bug */
    return plan->status;
  }
  plan->slot = slot;
  plan->slide = slot * request->alignment; /* < window_size: no overflow */
  plan->base = request->window_base + plan->slide;
  plan->status = OSPOLICY_OK;
  return OSPOLICY_OK;
}
