/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "fake_random.h"
#include "ospolicy/random_source.h"

static OSPolicy_Status answer_unset(void *context, uint64_t *word) {
  (void)context;
  *word = 7;
  return OSPOLICY_STATUS_UNSET;
}

START_TEST(next_word_passes_words_through) {
  uint64_t words[] = {1, 2, 3};
  scripted_words s = {.words = words, .count = 3};
  OSPolicy_RandomWordSource source = scripted_source(&s);
  uint64_t w = 0;
  for (uint64_t i = 1; i <= 3; i++) {
    ck_assert_int_eq(OSPolicy_NextRandomWord(&source, &w), OSPOLICY_OK);
    ck_assert_uint_eq(w, i);
  }
}
END_TEST

START_TEST(next_word_maps_failure_and_contract_breach) {
  uint64_t words[] = {1};
  scripted_words s = {.words = words, .count = 1, .fail_at = 1, .failure = OSPOLICY_ERR_PAL_FAILED};
  OSPolicy_RandomWordSource source = scripted_source(&s);
  uint64_t w = 99;
  ck_assert_int_eq(OSPolicy_NextRandomWord(&source, &w), OSPOLICY_ERR_RANDOM_SOURCE_FAILED);
  ck_assert_uint_eq(w, 99); /* untouched on failure */
  OSPolicy_RandomWordSource unset = {.next = answer_unset, .context = NULL};
  ck_assert_int_eq(OSPolicy_NextRandomWord(&unset, &w), OSPOLICY_ERR_RANDOM_SOURCE_CONTRACT);
  ck_assert_uint_eq(w, 99);
}
END_TEST

START_TEST(next_word_null_arguments) {
  uint64_t state = 1, w;
  OSPolicy_RandomWordSource source = splitmix_source(&state);
  OSPolicy_RandomWordSource empty = {.next = NULL, .context = &state};
  ck_assert_int_eq(OSPolicy_NextRandomWord(NULL, &w), OSPOLICY_ERR_NULL_ARGUMENT);
  ck_assert_int_eq(OSPolicy_NextRandomWord(&empty, &w), OSPOLICY_ERR_NULL_ARGUMENT);
  ck_assert_int_eq(OSPolicy_NextRandomWord(&source, NULL), OSPOLICY_ERR_NULL_ARGUMENT);
}
END_TEST

START_TEST(uniform_rejects_values_above_the_largest_multiple) {
  /* bound 3: 2^64 mod 3 = 1, so only UINT64_MAX is rejected. */
  uint64_t words[] = {UINT64_MAX, 4};
  scripted_words s = {.words = words, .count = 2};
  OSPolicy_RandomWordSource source = scripted_source(&s);
  uint64_t value = 0;
  uint32_t draws = 0;
  ck_assert_int_eq(OSPolicy_UniformRandom(&source, 3, &value, &draws), OSPOLICY_OK);
  ck_assert_uint_eq(draws, 2);
  ck_assert_uint_eq(value, 1);
  /* The largest accepted word is taken at once. */
  uint64_t edge[] = {UINT64_MAX - 1u};
  scripted_words e = {.words = edge, .count = 1};
  source = scripted_source(&e);
  ck_assert_int_eq(OSPolicy_UniformRandom(&source, 3, &value, &draws), OSPOLICY_OK);
  ck_assert_uint_eq(draws, 1);
  ck_assert_uint_eq(value, (UINT64_MAX - 1u) % 3u);
}
END_TEST

START_TEST(uniform_power_of_two_never_rejects) {
  uint64_t words[] = {UINT64_MAX};
  scripted_words s = {.words = words, .count = 1};
  OSPolicy_RandomWordSource source = scripted_source(&s);
  uint64_t value = 0;
  uint32_t draws = 0;
  ck_assert_int_eq(OSPolicy_UniformRandom(&source, 512, &value, &draws), OSPOLICY_OK);
  ck_assert_uint_eq(draws, 1);
  ck_assert_uint_eq(value, 511);
  ck_assert_int_eq(OSPolicy_UniformRandom(&source, 1, &value, NULL), OSPOLICY_OK);
  ck_assert_uint_eq(value, 0);
}
END_TEST

START_TEST(uniform_exhausted_after_max_draws) {
  uint64_t words[] = {UINT64_MAX};
  scripted_words s = {.words = words, .count = 1};
  OSPolicy_RandomWordSource source = scripted_source(&s);
  uint64_t value = 77;
  uint32_t draws = 0;
  ck_assert_int_eq(OSPolicy_UniformRandom(&source, 3, &value, &draws), OSPOLICY_ERR_RANDOM_EXHAUSTED);
  ck_assert_uint_eq(draws, OSPOLICY_RANDOM_MAX_DRAWS);
  ck_assert_uint_eq(s.calls, OSPOLICY_RANDOM_MAX_DRAWS);
  ck_assert_uint_eq(value, 77);
}
END_TEST

START_TEST(uniform_rejects_bad_arguments) {
  uint64_t state = 1, value;
  uint32_t draws = 5;
  OSPolicy_RandomWordSource source = splitmix_source(&state);
  ck_assert_int_eq(OSPolicy_UniformRandom(&source, 0, &value, &draws), OSPOLICY_ERR_INVALID_ARGUMENT);
  ck_assert_uint_eq(draws, 0);
  ck_assert_int_eq(OSPolicy_UniformRandom(NULL, 3, &value, &draws), OSPOLICY_ERR_NULL_ARGUMENT);
  ck_assert_int_eq(OSPolicy_UniformRandom(&source, 3, NULL, &draws), OSPOLICY_ERR_NULL_ARGUMENT);
  uint64_t words[] = {1};
  scripted_words s = {.words = words, .count = 1, .fail_at = 1, .failure = OSPOLICY_ERR_PAL_FAILED};
  source = scripted_source(&s);
  ck_assert_int_eq(OSPolicy_UniformRandom(&source, 3, &value, &draws), OSPOLICY_ERR_RANDOM_SOURCE_FAILED);
  ck_assert_uint_eq(draws, 1);
}
END_TEST

START_TEST(source_names) {
  ck_assert_str_eq(OSPolicy_RandomSourceName(OSHOST_RANDOM_SOURCE_FIRMWARE_RNG), "firmware-rng");
  ck_assert_str_eq(OSPolicy_RandomSourceName(OSHOST_RANDOM_SOURCE_RDSEED), "rdseed");
  ck_assert_str_eq(OSPolicy_RandomSourceName(OSHOST_RANDOM_SOURCE_RDRAND), "rdrand");
  ck_assert_str_eq(OSPolicy_RandomSourceName(OSHOST_RANDOM_SOURCE_JITTER), "jitter");
  ck_assert_str_eq(OSPolicy_RandomSourceName(OSHOST_RANDOM_SOURCE_PLATFORM), "platform");
  ck_assert_str_eq(OSPolicy_RandomSourceName(OSHOST_RANDOM_SOURCE_SEED), "seed");
  ck_assert_str_eq(OSPolicy_RandomSourceName(OSHOST_RANDOM_SOURCE_UNSET), "unset");
  ck_assert_str_eq(OSPolicy_RandomSourceName((OSHost_RandomSource)99), "unset");
}
END_TEST

START_TEST(entropy_statuses_have_names_and_classes) {
  ck_assert_str_eq(OSPolicy_StatusName(OSPOLICY_ERR_HWRNG_ALL_ONES), "hwrng-all-ones");
  ck_assert_int_eq(OSPolicy_GetStatusClass(OSPOLICY_ERR_ASLR_DOES_NOT_FIT), OSPOLICY_CLASS_INPUT);
  ck_assert_int_eq(OSPolicy_GetStatusClass(OSPOLICY_ERR_RANDOM_SHORT_READ), OSPOLICY_CLASS_ENVIRONMENT);
  ck_assert_int_eq(OSPolicy_GetStatusClass(OSPOLICY_DENIED_AFTER_EXIT_BOOT_SERVICES),
                   OSPOLICY_CLASS_DENIED);
  ck_assert_int_eq(OSPolicy_GetStatusClass(OSPOLICY_DENIED_ENTROPY_INSUFFICIENT), OSPOLICY_CLASS_DENIED);
}
END_TEST

Suite *random_source_suite(void);
Suite *random_source_suite(void) {
  Suite *suite = suite_create("random_source");
  TCase *tc = tcase_create("words");
  tcase_add_test(tc, next_word_passes_words_through);
  tcase_add_test(tc, next_word_maps_failure_and_contract_breach);
  tcase_add_test(tc, next_word_null_arguments);
  tcase_add_test(tc, uniform_rejects_values_above_the_largest_multiple);
  tcase_add_test(tc, uniform_power_of_two_never_rejects);
  tcase_add_test(tc, uniform_exhausted_after_max_draws);
  tcase_add_test(tc, uniform_rejects_bad_arguments);
  tcase_add_test(tc, source_names);
  tcase_add_test(tc, entropy_statuses_have_names_and_classes);
  suite_add_tcase(suite, tc);
  return suite;
}
