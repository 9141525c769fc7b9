/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "fake_random.h"
#include "ospolicy/stack_canary.h"

static OSPolicy_StackCanary canary_with(OSPolicy_RandomWordSource *random, OSPolicy_Status expected) {
  OSPolicy_StackCanary canary;
  memset(&canary, 0x5A, sizeof canary);
  ck_assert_int_eq(OSPolicy_MakeStackCanary(random, &canary), expected);
  ck_assert_int_eq(canary.status, expected);
  if (expected != OSPOLICY_OK) {
    ck_assert_uint_eq(canary.value, 0);
  }
  return canary;
}

START_TEST(low_byte_is_zero) {
  uint64_t words[] = {0x1122334455667788u};
  scripted_words s = {.words = words, .count = 1};
  OSPolicy_RandomWordSource random = scripted_source(&s);
  OSPolicy_StackCanary c = canary_with(&random, OSPOLICY_OK);
  ck_assert_uint_eq(c.value, 0x1122334455667700u);
  ck_assert_uint_eq(c.draws, 1);
  /* The lowest-address byte (x86-64 is little endian) is the NUL. */
  unsigned char bytes[8];
  memcpy(bytes, &c.value, sizeof bytes);
  ck_assert_uint_eq(bytes[0], 0);
  ck_assert(OSPolicy_IsValidStackCanary(c.value));
}
END_TEST

START_TEST(never_all_zero) {
  /* 0xAB masks to zero and is redrawn. */
  uint64_t words[] = {0xABu, 0x100u};
  scripted_words s = {.words = words, .count = 2};
  OSPolicy_RandomWordSource random = scripted_source(&s);
  OSPolicy_StackCanary c = canary_with(&random, OSPOLICY_OK);
  ck_assert_uint_eq(c.value, 0x100u);
  ck_assert_uint_eq(c.draws, 2);
  /* A source that only yields low-byte noise is refused. */
  uint64_t zeros[] = {0xFFu};
  scripted_words z = {.words = zeros, .count = 1};
  random = scripted_source(&z);
  c = canary_with(&random, OSPOLICY_ERR_RANDOM_EXHAUSTED);
  ck_assert_uint_eq(c.draws, OSPOLICY_STACK_CANARY_MAX_DRAWS);
  ck_assert_uint_eq(z.calls, OSPOLICY_STACK_CANARY_MAX_DRAWS);
}
END_TEST

START_TEST(uses_all_56_bits) {
  uint64_t state = 2026;
  OSPolicy_RandomWordSource random = splitmix_source(&state);
  uint64_t seen_one = 0, seen_zero = 0;
  for (int i = 0; i < 1000; i++) {
    OSPolicy_StackCanary c = canary_with(&random, OSPOLICY_OK);
    ck_assert(OSPolicy_IsValidStackCanary(c.value));
    seen_one |= c.value;
    seen_zero |= ~c.value;
  }
  ck_assert_uint_eq(seen_one, OSPOLICY_STACK_CANARY_MASK);
  ck_assert_uint_eq(seen_zero & OSPOLICY_STACK_CANARY_MASK, OSPOLICY_STACK_CANARY_MASK);
  ck_assert_uint_eq(OSPOLICY_STACK_CANARY_BITS, 56);
}
END_TEST

START_TEST(random_source_failures) {
  uint64_t words[] = {1};
  scripted_words s = {.words = words, .count = 1, .fail_at = 1, .failure = OSPOLICY_ERR_PAL_FAILED};
  OSPolicy_RandomWordSource random = scripted_source(&s);
  OSPolicy_StackCanary c = canary_with(&random, OSPOLICY_ERR_RANDOM_SOURCE_FAILED);
  ck_assert_uint_eq(c.draws, 1);
  s = (scripted_words){.words = words, .count = 1, .fail_at = 1, .failure = OSPOLICY_STATUS_UNSET};
  canary_with(&random, OSPOLICY_ERR_RANDOM_SOURCE_CONTRACT);
  canary_with(NULL, OSPOLICY_ERR_NULL_ARGUMENT);
  OSPolicy_RandomWordSource empty = {.next = NULL};
  canary_with(&empty, OSPOLICY_ERR_NULL_ARGUMENT);
  ck_assert_int_eq(OSPolicy_MakeStackCanary(&random, NULL), OSPOLICY_ERR_NULL_ARGUMENT);
}
END_TEST

START_TEST(zero_result_is_not_success) {
  OSPolicy_StackCanary zero;
  memset(&zero, 0, sizeof zero);
  ck_assert_int_ne(zero.status, OSPOLICY_OK);
  ck_assert(!OSPolicy_IsValidStackCanary(zero.value));
  ck_assert(!OSPolicy_IsValidStackCanary(0x1122334455667788u)); /* low byte set */
}
END_TEST

Suite *stack_canary_suite(void);
Suite *stack_canary_suite(void) {
  Suite *suite = suite_create("stack_canary");
  TCase *tc = tcase_create("canary");
  tcase_add_test(tc, low_byte_is_zero);
  tcase_add_test(tc, never_all_zero);
  tcase_add_test(tc, uses_all_56_bits);
  tcase_add_test(tc, random_source_failures);
  tcase_add_test(tc, zero_result_is_not_success);
  suite_add_tcase(suite, tc);
  return suite;
}
