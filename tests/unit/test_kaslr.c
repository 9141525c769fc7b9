/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fake_random.h"
#include "ospolicy/kaslr.h"

#define MiB ((uint64_t)1024 * 1024)
#define GiB ((uint64_t)1024 * MiB)
static const uint64_t WINDOW = 0xffffffff80000000u; /* a kernel-style window base */

static OSPolicy_KaslrPlan plan_with(const OSPolicy_KaslrRequest *r, OSPolicy_RandomWordSource *random,
                                    OSPolicy_Status expected) {
  OSPolicy_KaslrPlan plan;
  memset(&plan, 0x5A, sizeof plan);
  ck_assert_int_eq(OSPolicy_PlanKaslr(r, random, &plan), expected);
  ck_assert_int_eq(plan.status, expected);
  if (expected != OSPOLICY_OK) {
    ck_assert_uint_eq(plan.base, 0);
  }
  return plan;
}

/* Naive reference: is slot s free of every reserved range? */
static int slot_free(const OSPolicy_KaslrRequest *r, uint64_t s) {
  uint64_t start = r->window_base + s * r->alignment;
  uint64_t end = start + r->image_size;
  for (size_t i = 0; i < r->reserved_count; i++) {
    uint64_t rb = r->reserved[i].base, re = rb + r->reserved[i].size;
    if (r->reserved[i].size != 0 && start < re && end > rb) {
      return 0;
    }
  }
  return 1;
}

START_TEST(full_window_has_512_slots_and_9_bits) {
  OSPolicy_KaslrRequest r = OSPolicy_GetDefaultKaslrRequest(WINDOW, 1 * MiB);
  OSPolicy_KaslrPlan plan;
  ck_assert_int_eq(OSPolicy_CountKaslrSlots(&r, &plan), OSPOLICY_OK);
  ck_assert_uint_eq(plan.total_slots, 512);
  ck_assert_uint_eq(plan.eligible_slots, 512);
  ck_assert_uint_eq(plan.entropy_bits, 9);
  r.image_size = 2 * MiB; /* still 512: the last slot holds exactly one image */
  ck_assert_int_eq(OSPolicy_CountKaslrSlots(&r, &plan), OSPOLICY_OK);
  ck_assert_uint_eq(plan.eligible_slots, 512);
  ck_assert_uint_eq(plan.entropy_bits, 9);
  /* Linux's formula (window - image) / 2 MiB + 1 for a 64 MiB image: 481 slots, 8 bits. */
  r.image_size = 64 * MiB;
  ck_assert_int_eq(OSPolicy_CountKaslrSlots(&r, &plan), OSPOLICY_OK);
  ck_assert_uint_eq(plan.eligible_slots, (GiB - 64 * MiB) / (2 * MiB) + 1);
  ck_assert_uint_eq(plan.entropy_bits, 8);
}
END_TEST

START_TEST(plan_places_the_image_in_the_chosen_slot) {
  OSPolicy_KaslrRequest r = OSPolicy_GetDefaultKaslrRequest(WINDOW, 3 * MiB);
  uint64_t words[] = {77};
  scripted_words s = {.words = words, .count = 1};
  OSPolicy_RandomWordSource random = scripted_source(&s);
  OSPolicy_KaslrPlan plan = plan_with(&r, &random, OSPOLICY_OK);
  ck_assert_uint_eq(plan.total_slots, 511);
  ck_assert_uint_eq(plan.slot, 77);
  ck_assert_uint_eq(plan.slide, 77 * 2 * MiB);
  ck_assert_uint_eq(plan.base, WINDOW + 77 * 2 * MiB);
  ck_assert_uint_eq(plan.draws, 1);
  ck_assert_uint_eq(plan.entropy_bits, 8);
}
END_TEST

START_TEST(reserved_ranges_exclude_colliding_slots) {
  /* A 1 MiB image. The byte at window + 3 MiB lies in slot 1's 2 MiB stride
   * but outside its image [2, 3) MiB, so it blocks nothing. */
  OSPolicy_AddressRange reserved[] = {{WINDOW + 3 * MiB, 1}, {WINDOW + 8 * MiB, 4 * MiB + 1}};
  OSPolicy_KaslrRequest r = OSPolicy_GetDefaultKaslrRequest(WINDOW, 1 * MiB);
  r.reserved = reserved;
  r.reserved_count = 2;
  OSPolicy_KaslrPlan plan;
  ck_assert_int_eq(OSPolicy_CountKaslrSlots(&r, &plan), OSPOLICY_OK);
  /* Second range [8 MiB, 12 MiB + 1) blocks slots 4, 5 and 6 (6 starts at 12 MiB). */
  ck_assert_uint_eq(plan.eligible_slots, 509);
  for (uint64_t s = 0; s < 512; s++) {
    ck_assert_int_eq(slot_free(&r, s), !(s >= 4 && s <= 6));
  }
  /* Index 4 (the fifth free slot) is slot 7. */
  uint64_t words[] = {4};
  scripted_words sw = {.words = words, .count = 1};
  OSPolicy_RandomWordSource random = scripted_source(&sw);
  plan = plan_with(&r, &random, OSPOLICY_OK);
  ck_assert_uint_eq(plan.slot, 7);
}
END_TEST

START_TEST(eligible_count_matches_naive_reference) {
  uint64_t rng = 0xC0FFEE;
  for (int round = 0; round < 300; round++) {
    OSPolicy_AddressRange reserved[6];
    size_t count = (size_t)(splitmix64_next(&rng) % 7u);
    uint64_t window_base = 0x40000000u;
    for (size_t i = 0; i < count; i++) {
      /* Ranges around and inside a 64 MiB window of 64 KiB slots. */
      reserved[i].base = window_base - 4 * MiB + splitmix64_next(&rng) % (72 * MiB);
      reserved[i].size = splitmix64_next(&rng) % (6 * MiB);
    }
    OSPolicy_KaslrRequest r = {.window_base = window_base, .window_size = 64 * MiB,
                               .image_size = 1 + splitmix64_next(&rng) % (3 * MiB),
                               .alignment = 64 * 1024, .reserved = reserved, .reserved_count = count};
    OSPolicy_KaslrPlan plan;
    OSPolicy_Status status = OSPolicy_CountKaslrSlots(&r, &plan);
    uint64_t naive = 0;
    for (uint64_t s = 0; s < plan.total_slots; s++) {
      naive += (uint64_t)slot_free(&r, s);
    }
    ck_assert_uint_eq(plan.eligible_slots, naive);
    ck_assert_int_eq(status, naive == 0 ? OSPOLICY_ERR_KASLR_NO_SLOT : OSPOLICY_OK);
    if (naive == 0) {
      continue;
    }
    /* Every index maps, in order, onto the free slots. */
    uint64_t expected_slot = 0;
    for (uint64_t index = 0; index < naive; index++) {
      while (!slot_free(&r, expected_slot)) {
        expected_slot++;
      }
      uint64_t w[] = {index};
      scripted_words sw = {.words = w, .count = 1};
      OSPolicy_RandomWordSource random = scripted_source(&sw);
      OSPolicy_KaslrPlan chosen;
      if (OSPolicy_PlanKaslr(&r, &random, &chosen) != OSPOLICY_OK) {
        ck_abort_msg("plan failed at index %llu", (unsigned long long)index);
      }
      if (chosen.slot != expected_slot) {
        ck_abort_msg("index %llu -> slot %llu, expected %llu", (unsigned long long)index,
                     (unsigned long long)chosen.slot, (unsigned long long)expected_slot);
      }
      expected_slot++;
    }
  }
}
END_TEST

static double chi_square(const uint32_t *counts, size_t bins, uint32_t samples) {
  double expected = (double)samples / (double)bins, chi = 0.0;
  for (size_t i = 0; i < bins; i++) {
    double d = (double)counts[i] - expected;
    chi += d * d / expected;
  }
  return chi;
}

START_TEST(chi_square_uniform_over_512_slots) {
  OSPolicy_KaslrRequest r = OSPolicy_GetDefaultKaslrRequest(WINDOW, 16 * MiB);
  r.window_size = GiB + 14 * MiB; /* 512 slots for a 16 MiB image */
  uint64_t state = 0x5EED;
  OSPolicy_RandomWordSource random = splitmix_source(&state);
  enum { SAMPLES = 512 * 256 };
  static uint32_t counts[512];
  memset(counts, 0, sizeof counts);
  for (int i = 0; i < SAMPLES; i++) {
    OSPolicy_KaslrPlan plan;
    ck_assert_int_eq(OSPolicy_PlanKaslr(&r, &random, &plan), OSPOLICY_OK);
    ck_assert_uint_eq(plan.eligible_slots, 512);
    ck_assert_uint_eq((plan.base - WINDOW) % (2 * MiB), 0);
    counts[plan.slot]++;
  }
  double chi = chi_square(counts, 512, SAMPLES);
  /* 511 degrees of freedom: mean 511, sd 32. A fixed stream, so this is not
   * flaky; the band is mean +- 4 sd (p < 1e-4 each side). */
  ck_assert_msg(chi > 511.0 - 127.9 && chi < 511.0 + 127.9, /* 4 * sqrt(2 * 511) */
                "chi-square %.1f outside the band for 511 df", chi);
}
END_TEST

START_TEST(chi_square_uniform_over_non_power_of_two_slots) {
  /* Reserve slots so 500 remain: exercises rejection and the free-slot walk. */
  OSPolicy_AddressRange reserved[] = {{WINDOW + 100 * 2 * MiB, 5 * 2 * MiB},
                                      {WINDOW + 300 * 2 * MiB, 7 * 2 * MiB}};
  OSPolicy_KaslrRequest r = OSPolicy_GetDefaultKaslrRequest(WINDOW, 2 * MiB);
  r.reserved = reserved;
  r.reserved_count = 2;
  uint64_t state = 0xBADC0DE;
  OSPolicy_RandomWordSource random = splitmix_source(&state);
  enum { SAMPLES = 500 * 200 };
  static uint32_t counts[512];
  memset(counts, 0, sizeof counts);
  for (int i = 0; i < SAMPLES; i++) {
    OSPolicy_KaslrPlan plan;
    ck_assert_int_eq(OSPolicy_PlanKaslr(&r, &random, &plan), OSPOLICY_OK);
    counts[plan.slot]++;
  }
  uint32_t eligible[500];
  size_t n = 0;
  for (size_t s = 0; s < 512; s++) {
    if (slot_free(&r, s)) {
      eligible[n++] = counts[s];
    } else {
      ck_assert_uint_eq(counts[s], 0); /* never a reserved slot */
    }
  }
  ck_assert_uint_eq(n, 500);
  double chi = chi_square(eligible, 500, SAMPLES);
  ck_assert_msg(chi > 499.0 - 126.4 && chi < 499.0 + 126.4, /* 4 * sqrt(2 * 499) */
                "chi-square %.1f outside the band for 499 df", chi);
}
END_TEST

START_TEST(rejection_sampling_redraws_biased_values) {
  /* Leave 3 slots (0, 1, 2): 2^64 mod 3 = 1, so UINT64_MAX is the one value
   * above the largest multiple of 3 and must be rejected, not reduced. */
  OSPolicy_AddressRange reserved[] = {{WINDOW + 6 * MiB, GiB}};
  OSPolicy_KaslrRequest r = OSPolicy_GetDefaultKaslrRequest(WINDOW, 2 * MiB);
  r.reserved = reserved;
  r.reserved_count = 1;
  uint64_t words[] = {UINT64_MAX, UINT64_MAX, 5};
  scripted_words s = {.words = words, .count = 3};
  OSPolicy_RandomWordSource random = scripted_source(&s);
  OSPolicy_KaslrPlan plan = plan_with(&r, &random, OSPOLICY_OK);
  ck_assert_uint_eq(plan.eligible_slots, 3);
  ck_assert_uint_eq(plan.entropy_bits, 1);
  ck_assert_uint_eq(plan.draws, 3);
  ck_assert_uint_eq(plan.slot, 5 % 3);
  /* UINT64_MAX % 3 == 0 would have been slot 0 with a modulo. */
  ck_assert_uint_ne(plan.slot, UINT64_MAX % 3);
  /* A stream that only ever gives the rejected value fails cleanly. */
  uint64_t bad[] = {UINT64_MAX};
  scripted_words b = {.words = bad, .count = 1};
  random = scripted_source(&b);
  plan = plan_with(&r, &random, OSPOLICY_ERR_RANDOM_EXHAUSTED);
  ck_assert_uint_eq(plan.draws, OSPOLICY_RANDOM_MAX_DRAWS);
  ck_assert_uint_eq(plan.eligible_slots, 3);
}
END_TEST

START_TEST(deterministic_for_a_given_stream) {
  OSPolicy_KaslrRequest r = OSPolicy_GetDefaultKaslrRequest(WINDOW, 8 * MiB);
  uint64_t s1 = 42, s2 = 42;
  OSPolicy_RandomWordSource a = splitmix_source(&s1), b = splitmix_source(&s2);
  for (int i = 0; i < 100; i++) {
    OSPolicy_KaslrPlan pa, pb;
    ck_assert_int_eq(OSPolicy_PlanKaslr(&r, &a, &pa), OSPOLICY_OK);
    ck_assert_int_eq(OSPolicy_PlanKaslr(&r, &b, &pb), OSPOLICY_OK);
    ck_assert_uint_eq(pa.base, pb.base);
  }
}
END_TEST

START_TEST(no_eligible_slot_fails_cleanly) {
  OSPolicy_AddressRange reserved[] = {{WINDOW - 1, GiB + 2}};
  OSPolicy_KaslrRequest r = OSPolicy_GetDefaultKaslrRequest(WINDOW, 1 * MiB);
  r.reserved = reserved;
  r.reserved_count = 1;
  uint64_t words[] = {1};
  scripted_words s = {.words = words, .count = 1};
  OSPolicy_RandomWordSource random = scripted_source(&s);
  OSPolicy_KaslrPlan plan = plan_with(&r, &random, OSPOLICY_ERR_KASLR_NO_SLOT);
  ck_assert_uint_eq(plan.eligible_slots, 0);
  ck_assert_uint_eq(plan.total_slots, 512);
  ck_assert_uint_eq(plan.entropy_bits, 0);
  ck_assert_uint_eq(s.calls, 0); /* no randomness spent */
}
END_TEST

START_TEST(request_rejections) {
  uint64_t state = 1;
  OSPolicy_RandomWordSource random = splitmix_source(&state);
  OSPolicy_KaslrRequest good = OSPolicy_GetDefaultKaslrRequest(WINDOW, 1 * MiB);
  OSPolicy_KaslrRequest r;
  uint64_t bad_align[] = {0, 1, 3, 2048, 3 * MiB};
  for (size_t i = 0; i < sizeof bad_align / sizeof bad_align[0]; i++) {
    r = good;
    r.alignment = bad_align[i];
    plan_with(&r, &random, OSPOLICY_ERR_BAD_PAGE_SIZE);
  }
  r = good; r.window_size = 0;
  plan_with(&r, &random, OSPOLICY_ERR_EMPTY_RANGE);
  r = good; r.image_size = 0;
  plan_with(&r, &random, OSPOLICY_ERR_EMPTY_RANGE);
  r = good; r.window_base += 4096;
  plan_with(&r, &random, OSPOLICY_ERR_UNALIGNED);
  r = good; r.window_size = 2 * GiB; /* 0xffffffff80000000 + 2 GiB wraps */
  plan_with(&r, &random, OSPOLICY_ERR_OVERFLOW);
  OSPolicy_AddressRange wrapping[] = {{UINT64_MAX - 10, 20}};
  r = good; r.reserved = wrapping; r.reserved_count = 1;
  plan_with(&r, &random, OSPOLICY_ERR_OVERFLOW);
  static OSPolicy_AddressRange many[OSPOLICY_KASLR_MAX_RESERVED + 1];
  r = good; r.reserved = many; r.reserved_count = OSPOLICY_KASLR_MAX_RESERVED + 1;
  plan_with(&r, &random, OSPOLICY_ERR_TOO_MANY);
  r.reserved_count = OSPOLICY_KASLR_MAX_RESERVED; /* zero-size ranges reserve nothing */
  plan_with(&r, &random, OSPOLICY_OK);
  r = good; r.image_size = GiB + 1;
  plan_with(&r, &random, OSPOLICY_ERR_OUT_OF_RANGE);
  r = good; r.reserved = NULL; r.reserved_count = 1;
  plan_with(&r, &random, OSPOLICY_ERR_NULL_ARGUMENT);
  plan_with(NULL, &random, OSPOLICY_ERR_NULL_ARGUMENT);
  plan_with(&good, NULL, OSPOLICY_ERR_NULL_ARGUMENT);
  OSPolicy_RandomWordSource empty = {.next = NULL};
  plan_with(&good, &empty, OSPOLICY_ERR_NULL_ARGUMENT);
  ck_assert_int_eq(OSPolicy_PlanKaslr(&good, &random, NULL), OSPOLICY_ERR_NULL_ARGUMENT);
  ck_assert_int_eq(OSPolicy_CountKaslrSlots(&good, NULL), OSPOLICY_ERR_NULL_ARGUMENT);
  OSPolicy_KaslrPlan plan;
  ck_assert_int_eq(OSPolicy_CountKaslrSlots(NULL, &plan), OSPOLICY_ERR_NULL_ARGUMENT);
  ck_assert_int_eq(plan.status, OSPOLICY_ERR_NULL_ARGUMENT);
}
END_TEST

START_TEST(random_source_failures) {
  OSPolicy_KaslrRequest r = OSPolicy_GetDefaultKaslrRequest(WINDOW, 1 * MiB);
  uint64_t words[] = {1};
  scripted_words s = {.words = words, .count = 1, .fail_at = 1, .failure = OSPOLICY_ERR_PAL_FAILED};
  OSPolicy_RandomWordSource random = scripted_source(&s);
  OSPolicy_KaslrPlan plan = plan_with(&r, &random, OSPOLICY_ERR_RANDOM_SOURCE_FAILED);
  ck_assert_uint_eq(plan.draws, 1);
  ck_assert_uint_eq(plan.eligible_slots, 512);
  s = (scripted_words){.words = words, .count = 1, .fail_at = 1, .failure = OSPOLICY_STATUS_UNSET};
  plan_with(&r, &random, OSPOLICY_ERR_RANDOM_SOURCE_CONTRACT);
}
END_TEST

START_TEST(zero_result_is_not_success) {
  OSPolicy_KaslrPlan zero;
  memset(&zero, 0, sizeof zero);
  ck_assert_int_ne(zero.status, OSPOLICY_OK);
  OSPolicy_KaslrRequest zero_request;
  memset(&zero_request, 0, sizeof zero_request);
  OSPolicy_KaslrPlan plan;
  ck_assert_int_eq(OSPolicy_CountKaslrSlots(&zero_request, &plan), OSPOLICY_ERR_BAD_PAGE_SIZE);
}
END_TEST

Suite *kaslr_suite(void);
Suite *kaslr_suite(void) {
  Suite *suite = suite_create("kaslr");
  TCase *tc = tcase_create("plan");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, full_window_has_512_slots_and_9_bits);
  tcase_add_test(tc, plan_places_the_image_in_the_chosen_slot);
  tcase_add_test(tc, reserved_ranges_exclude_colliding_slots);
  tcase_add_test(tc, eligible_count_matches_naive_reference);
  tcase_add_test(tc, chi_square_uniform_over_512_slots);
  tcase_add_test(tc, chi_square_uniform_over_non_power_of_two_slots);
  tcase_add_test(tc, rejection_sampling_redraws_biased_values);
  tcase_add_test(tc, deterministic_for_a_given_stream);
  tcase_add_test(tc, no_eligible_slot_fails_cleanly);
  tcase_add_test(tc, request_rejections);
  tcase_add_test(tc, random_source_failures);
  tcase_add_test(tc, zero_result_is_not_success);
  suite_add_tcase(suite, tc);
  return suite;
}
