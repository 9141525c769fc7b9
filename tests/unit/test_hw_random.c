/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "fake_random.h"
#include "ospolicy/hw_random.h"

static OSPolicy_HwRandomDraw draw_from(fake_hw *hw, OSHost_RandomSource kind,
                                       OSPolicy_Status expected) {
  OSPolicy_HwRandomSource source = fake_hw_source(hw, kind);
  OSPolicy_HwRandomDraw draw;
  memset(&draw, 0x5A, sizeof draw);
  ck_assert_int_eq(OSPolicy_DrawHwRandom(&source, &draw), expected);
  ck_assert_int_eq(draw.status, expected);
  if (expected != OSPOLICY_OK) {
    ck_assert_uint_eq(draw.value, 0);
  }
  return draw;
}

START_TEST(good_source_draws_first_time) {
  fake_hw hw = {.mode = FAKE_HW_GOOD, .state = 1};
  OSPolicy_HwRandomDraw d = draw_from(&hw, OSHOST_RANDOM_SOURCE_RDRAND, OSPOLICY_OK);
  uint64_t expected_state = 1;
  ck_assert_uint_eq(d.value, splitmix64_next(&expected_state));
  ck_assert_uint_eq(d.attempts, 1);
}
END_TEST

START_TEST(rdrand_never_ready_gives_up_after_ten) {
  fake_hw hw = {.mode = FAKE_HW_NEVER_READY};
  OSPolicy_HwRandomDraw d = draw_from(&hw, OSHOST_RANDOM_SOURCE_RDRAND, OSPOLICY_ERR_HWRNG_NOT_READY);
  ck_assert_uint_eq(d.attempts, 10);
  ck_assert_uint_eq(hw.steps, 10);
  ck_assert_uint_eq(OSPolicy_GetHwRandomRetryLimit(OSHOST_RANDOM_SOURCE_RDRAND), 10);
}
END_TEST

START_TEST(rdseed_never_ready_gives_up_after_its_limit) {
  fake_hw hw = {.mode = FAKE_HW_NEVER_READY};
  OSPolicy_HwRandomDraw d = draw_from(&hw, OSHOST_RANDOM_SOURCE_RDSEED, OSPOLICY_ERR_HWRNG_NOT_READY);
  ck_assert_uint_eq(d.attempts, OSPOLICY_RDSEED_RETRIES);
  ck_assert_uint_eq(hw.steps, OSPOLICY_RDSEED_RETRIES);
  ck_assert_uint_eq(OSPolicy_GetHwRandomRetryLimit(OSHOST_RANDOM_SOURCE_RDSEED), 64);
  ck_assert_uint_eq(OSPolicy_GetHwRandomRetryLimit(OSHOST_RANDOM_SOURCE_JITTER), 1);
  ck_assert_uint_eq(OSPolicy_GetHwRandomRetryLimit(OSHOST_RANDOM_SOURCE_FIRMWARE_RNG), 0);
}
END_TEST

START_TEST(late_ready_is_retried) {
  fake_hw hw = {.mode = FAKE_HW_LATE, .not_ready_first = 9, .state = 3};
  OSPolicy_HwRandomDraw d = draw_from(&hw, OSHOST_RANDOM_SOURCE_RDRAND, OSPOLICY_OK);
  ck_assert_uint_eq(d.attempts, 10); /* the tenth and last attempt succeeds */
  fake_hw late = {.mode = FAKE_HW_LATE, .not_ready_first = 10, .state = 3};
  draw_from(&late, OSHOST_RANDOM_SOURCE_RDRAND, OSPOLICY_ERR_HWRNG_NOT_READY);
}
END_TEST

START_TEST(all_ones_rejected_immediately) {
  fake_hw hw = {.mode = FAKE_HW_ALL_ONES};
  OSPolicy_HwRandomDraw d = draw_from(&hw, OSHOST_RANDOM_SOURCE_RDRAND, OSPOLICY_ERR_HWRNG_ALL_ONES);
  ck_assert_uint_eq(d.attempts, 1);
  ck_assert_uint_eq(hw.steps, 1);
  fake_hw seed = {.mode = FAKE_HW_ALL_ONES};
  draw_from(&seed, OSHOST_RANDOM_SOURCE_RDSEED, OSPOLICY_ERR_HWRNG_ALL_ONES);
}
END_TEST

START_TEST(zero_with_success_rejected_immediately) {
  fake_hw hw = {.mode = FAKE_HW_ZERO_OK};
  OSPolicy_HwRandomDraw d = draw_from(&hw, OSHOST_RANDOM_SOURCE_RDSEED, OSPOLICY_ERR_HWRNG_ZERO);
  ck_assert_uint_eq(d.attempts, 1);
  fake_hw rdrand = {.mode = FAKE_HW_ZERO_OK};
  draw_from(&rdrand, OSHOST_RANDOM_SOURCE_RDRAND, OSPOLICY_ERR_HWRNG_ZERO);
  /* A zero reported as NOT ready is just a failed attempt (the register is
   * cleared on failure), and is retried. */
  fake_hw late = {.mode = FAKE_HW_LATE, .not_ready_first = 2, .state = 5};
  d = draw_from(&late, OSHOST_RANDOM_SOURCE_RDSEED, OSPOLICY_OK);
  ck_assert_uint_eq(d.attempts, 3);
}
END_TEST

START_TEST(draw_rejects_bad_arguments) {
  fake_hw hw = {.mode = FAKE_HW_GOOD, .state = 1};
  draw_from(&hw, OSHOST_RANDOM_SOURCE_JITTER, OSPOLICY_ERR_INVALID_ARGUMENT);
  draw_from(&hw, OSHOST_RANDOM_SOURCE_UNSET, OSPOLICY_ERR_INVALID_ARGUMENT);
  ck_assert_uint_eq(hw.steps, 0);
  OSPolicy_HwRandomDraw draw;
  ck_assert_int_eq(OSPolicy_DrawHwRandom(NULL, &draw), OSPOLICY_ERR_NULL_ARGUMENT);
  ck_assert_int_eq(draw.status, OSPOLICY_ERR_NULL_ARGUMENT);
  OSPolicy_HwRandomSource no_step = {.step = NULL, .kind = OSHOST_RANDOM_SOURCE_RDRAND};
  ck_assert_int_eq(OSPolicy_DrawHwRandom(&no_step, &draw), OSPOLICY_ERR_NULL_ARGUMENT);
  OSPolicy_HwRandomSource source = fake_hw_source(&hw, OSHOST_RANDOM_SOURCE_RDRAND);
  ck_assert_int_eq(OSPolicy_DrawHwRandom(&source, NULL), OSPOLICY_ERR_NULL_ARGUMENT);
}
END_TEST

static OSPolicy_HwRandomHealth health_of(fake_hw *hw, OSHost_RandomSource kind,
                                         OSPolicy_Status expected) {
  OSPolicy_HwRandomSource source = fake_hw_source(hw, kind);
  OSPolicy_HwRandomHealth health;
  memset(&health, 0x5A, sizeof health);
  ck_assert_int_eq(OSPolicy_CheckHwRandomHealth(&source, &health), expected);
  ck_assert_int_eq(health.status, expected);
  return health;
}

START_TEST(health_passes_a_good_source) {
  fake_hw hw = {.mode = FAKE_HW_GOOD, .state = 9};
  OSPolicy_HwRandomHealth h = health_of(&hw, OSHOST_RANDOM_SOURCE_RDRAND, OSPOLICY_OK);
  ck_assert_uint_eq(h.samples, 8);
  ck_assert_uint_eq(h.changes, 7);
}
END_TEST

START_TEST(health_rejects_a_constant_source) {
  fake_hw hw = {.mode = FAKE_HW_CONSTANT, .value = 0x4242424242424242u};
  OSPolicy_HwRandomHealth h = health_of(&hw, OSHOST_RANDOM_SOURCE_RDRAND, OSPOLICY_ERR_HWRNG_HEALTH);
  ck_assert_uint_eq(h.samples, 8);
  ck_assert_uint_eq(h.changes, 0);
}
END_TEST

START_TEST(health_boundary_five_changes) {
  /* 8 samples a a b b c c d e: 4 changes -> refused. */
  const uint64_t four[] = {1, 1, 2, 2, 3, 3, 4, 5};
  fake_hw hw4 = {.mode = FAKE_HW_CYCLE, .values = four, .count = 8};
  OSPolicy_HwRandomHealth h = health_of(&hw4, OSHOST_RANDOM_SOURCE_RDRAND, OSPOLICY_ERR_HWRNG_HEALTH);
  ck_assert_uint_eq(h.changes, 4);
  /* a a b b c d e f: 5 changes -> accepted. */
  const uint64_t five[] = {1, 1, 2, 2, 3, 4, 5, 6};
  fake_hw hw5 = {.mode = FAKE_HW_CYCLE, .values = five, .count = 8};
  h = health_of(&hw5, OSHOST_RANDOM_SOURCE_RDRAND, OSPOLICY_OK);
  ck_assert_uint_eq(h.changes, 5);
}
END_TEST

START_TEST(health_reports_each_failure_with_its_status) {
  fake_hw ones = {.mode = FAKE_HW_ALL_ONES};
  OSPolicy_HwRandomHealth h = health_of(&ones, OSHOST_RANDOM_SOURCE_RDRAND, OSPOLICY_ERR_HWRNG_ALL_ONES);
  ck_assert_uint_eq(h.samples, 0);
  fake_hw never = {.mode = FAKE_HW_NEVER_READY};
  health_of(&never, OSHOST_RANDOM_SOURCE_RDRAND, OSPOLICY_ERR_HWRNG_NOT_READY);
  fake_hw zero = {.mode = FAKE_HW_ZERO_OK};
  health_of(&zero, OSHOST_RANDOM_SOURCE_RDSEED, OSPOLICY_ERR_HWRNG_ZERO);
  /* A source that turns bad after three good values. */
  const uint64_t turning[] = {5, 6, 7, UINT64_MAX};
  fake_hw turn = {.mode = FAKE_HW_CYCLE, .values = turning, .count = 4};
  h = health_of(&turn, OSHOST_RANDOM_SOURCE_RDRAND, OSPOLICY_ERR_HWRNG_ALL_ONES);
  ck_assert_uint_eq(h.samples, 3);
  ck_assert_int_eq(OSPolicy_CheckHwRandomHealth(NULL, NULL), OSPOLICY_ERR_NULL_ARGUMENT);
}
END_TEST

START_TEST(zero_result_is_not_success) {
  OSPolicy_HwRandomDraw draw;
  OSPolicy_HwRandomHealth health;
  memset(&draw, 0, sizeof draw);
  memset(&health, 0, sizeof health);
  ck_assert_int_ne(draw.status, OSPOLICY_OK);
  ck_assert_int_ne(health.status, OSPOLICY_OK);
}
END_TEST

Suite *hw_random_suite(void);
Suite *hw_random_suite(void) {
  Suite *suite = suite_create("hw_random");
  TCase *tc = tcase_create("draw");
  tcase_add_test(tc, good_source_draws_first_time);
  tcase_add_test(tc, rdrand_never_ready_gives_up_after_ten);
  tcase_add_test(tc, rdseed_never_ready_gives_up_after_its_limit);
  tcase_add_test(tc, late_ready_is_retried);
  tcase_add_test(tc, all_ones_rejected_immediately);
  tcase_add_test(tc, zero_with_success_rejected_immediately);
  tcase_add_test(tc, draw_rejects_bad_arguments);
  suite_add_tcase(suite, tc);
  TCase *health = tcase_create("health");
  tcase_add_test(health, health_passes_a_good_source);
  tcase_add_test(health, health_rejects_a_constant_source);
  tcase_add_test(health, health_boundary_five_changes);
  tcase_add_test(health, health_reports_each_failure_with_its_status);
  tcase_add_test(health, zero_result_is_not_success);
  suite_add_tcase(suite, health);
  return suite;
}
