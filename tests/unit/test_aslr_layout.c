/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "fake_random.h"
#include "ospolicy/aslr_layout.h"

#define MiB ((uint64_t)1024 * 1024)
#define GiB ((uint64_t)1024 * MiB)
#define TiB ((uint64_t)1024 * GiB)

static OSPolicy_AslrLayoutRequest default_request(void) {
  return OSPolicy_GetDefaultAslrLayoutRequest(0x400000u, 0x400000u + 3 * MiB + 123);
}

static OSPolicy_AslrLayout layout_with(const OSPolicy_AslrLayoutRequest *r,
                                       OSPolicy_RandomWordSource *random, OSPolicy_Status expected) {
  OSPolicy_AslrLayout layout;
  memset(&layout, 0x5A, sizeof layout);
  ck_assert_int_eq(OSPolicy_PlanAslrLayout(r, random, &layout), expected);
  ck_assert_int_eq(layout.status, expected);
  if (expected != OSPOLICY_OK) {
    ck_assert_uint_eq(layout.stack_top, 0);
    ck_assert_uint_eq(layout.mmap_base, 0);
    ck_assert_uint_eq(layout.brk_start, 0);
  }
  return layout;
}

static int overlaps(uint64_t a, uint64_t asize, uint64_t b, uint64_t bsize) {
  return a < b + bsize && b < a + asize;
}

/* Every invariant the header promises. */
static void check_invariants(const OSPolicy_AslrLayoutRequest *r, const OSPolicy_AslrLayout *l) {
  uint64_t mask = r->page_size - 1u;
  const OSPolicy_AslrRegion *regions[] = {&l->stack, &l->mmap, &l->heap};
  for (int i = 0; i < 3; i++) {
    ck_assert_uint_eq(regions[i]->base & mask, 0);
    ck_assert_uint_eq(regions[i]->size & mask, 0);
    ck_assert_uint_le(regions[i]->base + regions[i]->size, r->top);
    ck_assert_uint_lt(regions[i]->base + regions[i]->size, OSPOLICY_ASLR_CANONICAL_LIMIT);
    ck_assert_uint_lt(regions[i]->random_pages, (uint64_t)1 << regions[i]->bits);
    ck_assert(!overlaps(regions[i]->base, regions[i]->size, r->image_base, r->image_end - r->image_base));
    for (int j = i + 1; j < 3; j++) {
      ck_assert(!overlaps(regions[i]->base, regions[i]->size, regions[j]->base, regions[j]->size));
    }
  }
  ck_assert_uint_eq(l->stack_top, l->stack.base + l->stack.size);
  ck_assert_uint_eq(l->mmap_base, l->mmap.base + l->mmap.size);
  ck_assert_uint_eq(l->brk_start, l->heap.base);
  ck_assert_uint_ge(l->brk_start, r->image_end);
  ck_assert_uint_lt(l->brk_start - r->image_end, 1 * GiB + r->page_size); /* brk within 1 GiB */
  ck_assert_uint_ge(l->stack.base, l->mmap_base + OSPOLICY_ASLR_GUARD_GAP);
  ck_assert_uint_ge(l->mmap.base, l->heap.base + l->heap.size + OSPOLICY_ASLR_GUARD_GAP);
}

START_TEST(defaults_are_linux_like) {
  OSPolicy_AslrLayoutRequest r = default_request();
  ck_assert_uint_eq(r.mmap_bits, 28);
  ck_assert_uint_eq(r.stack_bits, 22);
  ck_assert_uint_eq(r.heap_bits, 18);
  ck_assert_uint_eq(r.page_size, 4096);
  ck_assert_uint_eq(r.top, 0x00007ffffffff000u);
  ck_assert_int_eq(OSPolicy_CheckAslrLayoutRequest(&r), OSPOLICY_OK);
  uint64_t state = 7;
  OSPolicy_RandomWordSource random = splitmix_source(&state);
  OSPolicy_AslrLayout l = layout_with(&r, &random, OSPOLICY_OK);
  ck_assert_uint_eq(l.draws, 3);
  ck_assert_uint_eq(l.stack.bits, 22);
  ck_assert_uint_eq(l.mmap.bits, 28);
  ck_assert_uint_eq(l.heap.bits, 18);
  check_invariants(&r, &l);
}
END_TEST

START_TEST(extreme_draws_still_fit) {
  OSPolicy_AslrLayoutRequest r = default_request();
  uint64_t ones[] = {UINT64_MAX};
  scripted_words s = {.words = ones, .count = 1};
  OSPolicy_RandomWordSource random = scripted_source(&s);
  OSPolicy_AslrLayout high = layout_with(&r, &random, OSPOLICY_OK);
  check_invariants(&r, &high);
  ck_assert_uint_eq(high.stack_top, r.top - (((uint64_t)1 << 22) - 1) * 4096);
  ck_assert_uint_eq(high.brk_start, 0x400000u + 3 * MiB + 4096 + (((uint64_t)1 << 18) - 1) * 4096);
  uint64_t zeros[] = {0};
  scripted_words z = {.words = zeros, .count = 1};
  random = scripted_source(&z);
  OSPolicy_AslrLayout low = layout_with(&r, &random, OSPOLICY_OK);
  check_invariants(&r, &low);
  ck_assert_uint_eq(low.stack_top, r.top);
  ck_assert_uint_eq(low.brk_start, 0x400000u + 3 * MiB + 4096); /* image end rounded up to a page */
  ck_assert_uint_eq(low.mmap_base - high.mmap_base, (((uint64_t)1 << 28) - 1) * 4096);
}
END_TEST

START_TEST(many_draws_keep_the_invariants) {
  OSPolicy_AslrLayoutRequest r = default_request();
  uint64_t state = 99;
  OSPolicy_RandomWordSource random = splitmix_source(&state);
  uint64_t seen_stack_or = 0, seen_mmap_or = 0;
  for (int i = 0; i < 5000; i++) {
    OSPolicy_AslrLayout l;
    ck_assert_int_eq(OSPolicy_PlanAslrLayout(&r, &random, &l), OSPOLICY_OK);
    check_invariants(&r, &l);
    seen_stack_or |= l.stack.random_pages;
    seen_mmap_or |= l.mmap.random_pages;
  }
  /* Every randomisation bit is used. */
  ck_assert_uint_eq(seen_stack_or, ((uint64_t)1 << 22) - 1);
  ck_assert_uint_eq(seen_mmap_or, ((uint64_t)1 << 28) - 1);
}
END_TEST

START_TEST(custom_bits_and_page_size) {
  OSPolicy_AslrLayoutRequest r = default_request();
  r.page_size = 2 * MiB;
  r.image_base = 0x200000u;
  r.image_end = 0x600000u;
  r.top = 0x00007fffffe00000u;
  r.stack_size = 8 * MiB;
  r.stack_bits = 8;
  r.mmap_bits = 12;
  r.heap_bits = 9;
  uint64_t state = 5;
  OSPolicy_RandomWordSource random = splitmix_source(&state);
  for (int i = 0; i < 200; i++) {
    OSPolicy_AslrLayout l = layout_with(&r, &random, OSPOLICY_OK);
    check_invariants(&r, &l);
  }
}
END_TEST

START_TEST(deterministic_for_a_given_stream) {
  OSPolicy_AslrLayoutRequest r = default_request();
  uint64_t s1 = 3, s2 = 3;
  OSPolicy_RandomWordSource a = splitmix_source(&s1), b = splitmix_source(&s2);
  OSPolicy_AslrLayout la = layout_with(&r, &a, OSPOLICY_OK);
  OSPolicy_AslrLayout lb = layout_with(&r, &b, OSPOLICY_OK);
  ck_assert_mem_eq(&la, &lb, sizeof la);
}
END_TEST

START_TEST(refuses_configurations_that_cannot_fit) {
  uint64_t state = 1;
  OSPolicy_RandomWordSource random = splitmix_source(&state);
  OSPolicy_AslrLayoutRequest r = default_request();
  r.mmap_size = 127 * TiB; /* more than the address space leaves */
  layout_with(&r, &random, OSPOLICY_ERR_ASLR_DOES_NOT_FIT);
  ck_assert_int_eq(OSPolicy_CheckAslrLayoutRequest(&r), OSPOLICY_ERR_ASLR_DOES_NOT_FIT);
  r = default_request();
  r.image_base = 0x7f0000000000u; /* PIE image so high the heap meets the mmap area */
  r.image_end = r.image_base + 16 * MiB;
  layout_with(&r, &random, OSPOLICY_ERR_ASLR_DOES_NOT_FIT);
  r = default_request();
  r.stack_bits = 40; /* a 4 PiB stack range */
  layout_with(&r, &random, OSPOLICY_ERR_ASLR_DOES_NOT_FIT);
  r = default_request();
  r.top = 0x10000000u; /* a 256 MiB address space */
  layout_with(&r, &random, OSPOLICY_ERR_ASLR_DOES_NOT_FIT);
  r = default_request();
  r.page_size = (uint64_t)1 << 40; /* (2^28 - 1) pages of 2^40 bytes overflow 64 bits */
  r.top = 0x7f0000000000u;
  r.image_base = 0x10000u;
  r.image_end = 0x20000u;
  r.stack_size = r.heap_size = r.mmap_size = (uint64_t)1 << 40;
  layout_with(&r, &random, OSPOLICY_ERR_ASLR_DOES_NOT_FIT);
}
END_TEST

START_TEST(request_rejections) {
  uint64_t state = 1;
  OSPolicy_RandomWordSource random = splitmix_source(&state);
  OSPolicy_AslrLayoutRequest r;
  uint64_t bad_pages[] = {0, 1, 2048, 4097, 12288};
  for (size_t i = 0; i < sizeof bad_pages / sizeof bad_pages[0]; i++) {
    r = default_request();
    r.page_size = bad_pages[i];
    layout_with(&r, &random, OSPOLICY_ERR_BAD_PAGE_SIZE);
  }
  r = default_request(); r.stack_bits = 0;
  layout_with(&r, &random, OSPOLICY_ERR_INVALID_ARGUMENT);
  r = default_request(); r.mmap_bits = 41;
  layout_with(&r, &random, OSPOLICY_ERR_INVALID_ARGUMENT);
  r = default_request(); r.heap_bits = 0;
  layout_with(&r, &random, OSPOLICY_ERR_INVALID_ARGUMENT);
  r = default_request(); r.top -= 1;
  layout_with(&r, &random, OSPOLICY_ERR_UNALIGNED);
  r = default_request(); r.stack_size += 8;
  layout_with(&r, &random, OSPOLICY_ERR_UNALIGNED);
  r = default_request(); r.heap_size = 0;
  layout_with(&r, &random, OSPOLICY_ERR_EMPTY_RANGE);
  r = default_request(); r.mmap_size = 0;
  layout_with(&r, &random, OSPOLICY_ERR_EMPTY_RANGE);
  r = default_request(); r.image_end = r.image_base;
  layout_with(&r, &random, OSPOLICY_ERR_EMPTY_RANGE);
  r = default_request(); r.top = OSPOLICY_ASLR_CANONICAL_LIMIT + 4096; /* non-canonical */
  layout_with(&r, &random, OSPOLICY_ERR_OUT_OF_RANGE);
  r = default_request(); r.image_base = 0x1000; /* below mmap_min_addr */
  layout_with(&r, &random, OSPOLICY_ERR_OUT_OF_RANGE);
  r = default_request(); r.image_base = r.top; r.image_end = r.top + 4096;
  layout_with(&r, &random, OSPOLICY_ERR_OUT_OF_RANGE);
  r = default_request();
  layout_with(NULL, &random, OSPOLICY_ERR_NULL_ARGUMENT);
  layout_with(&r, NULL, OSPOLICY_ERR_NULL_ARGUMENT);
  ck_assert_int_eq(OSPolicy_PlanAslrLayout(&r, &random, NULL), OSPOLICY_ERR_NULL_ARGUMENT);
  ck_assert_int_eq(OSPolicy_CheckAslrLayoutRequest(NULL), OSPOLICY_ERR_NULL_ARGUMENT);
}
END_TEST

START_TEST(random_source_failures) {
  OSPolicy_AslrLayoutRequest r = default_request();
  uint64_t words[] = {1};
  scripted_words s = {.words = words, .count = 1, .fail_at = 2, .failure = OSPOLICY_ERR_PAL_FAILED};
  OSPolicy_RandomWordSource random = scripted_source(&s);
  OSPolicy_AslrLayout l = layout_with(&r, &random, OSPOLICY_ERR_RANDOM_SOURCE_FAILED);
  ck_assert_uint_eq(l.draws, 2);
  s = (scripted_words){.words = words, .count = 1, .fail_at = 3, .failure = OSPOLICY_STATUS_UNSET};
  l = layout_with(&r, &random, OSPOLICY_ERR_RANDOM_SOURCE_CONTRACT);
  ck_assert_uint_eq(l.draws, 3);
}
END_TEST

START_TEST(zero_result_is_not_success) {
  OSPolicy_AslrLayout zero;
  memset(&zero, 0, sizeof zero);
  ck_assert_int_ne(zero.status, OSPOLICY_OK);
  OSPolicy_AslrLayoutRequest zero_request;
  memset(&zero_request, 0, sizeof zero_request);
  ck_assert_int_eq(OSPolicy_CheckAslrLayoutRequest(&zero_request), OSPOLICY_ERR_BAD_PAGE_SIZE);
}
END_TEST

Suite *aslr_layout_suite(void);
Suite *aslr_layout_suite(void) {
  Suite *suite = suite_create("aslr_layout");
  TCase *tc = tcase_create("layout");
  tcase_add_test(tc, defaults_are_linux_like);
  tcase_add_test(tc, extreme_draws_still_fit);
  tcase_add_test(tc, many_draws_keep_the_invariants);
  tcase_add_test(tc, custom_bits_and_page_size);
  tcase_add_test(tc, deterministic_for_a_given_stream);
  tcase_add_test(tc, refuses_configurations_that_cannot_fit);
  tcase_add_test(tc, request_rejections);
  tcase_add_test(tc, random_source_failures);
  tcase_add_test(tc, zero_result_is_not_success);
  suite_add_tcase(suite, tc);
  return suite;
}
