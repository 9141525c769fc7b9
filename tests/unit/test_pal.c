/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/* The checked PAL wrappers against a scripted backend: every contract breach
 * a backend can commit is caught and reported as PAL_CONTRACT. */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "fake_oshost.h"
#include "ospolicy/pal.h"

static void setup(void) {
  fake_oshost_reset();
}

START_TEST(maps_every_host_status) {
  ck_assert_int_eq(OSPolicy_MapHostStatus(OSHOST_OK), OSPOLICY_OK);
  ck_assert_int_eq(OSPolicy_MapHostStatus(OSHOST_ERR_NO_MEMORY), OSPOLICY_ERR_NO_MEMORY);
  ck_assert_int_eq(OSPolicy_MapHostStatus(OSHOST_ERR_UNSUPPORTED), OSPOLICY_ERR_UNSUPPORTED);
  ck_assert_int_eq(OSPolicy_MapHostStatus(OSHOST_ERR_DEVICE), OSPOLICY_ERR_PAL_FAILED);
  /* Each backend failure keeps its meaning through the wrapper. */
  ck_assert_int_eq(OSPolicy_MapHostStatus(OSHOST_ERR_DENIED), OSPOLICY_DENIED_BY_PLATFORM);
  ck_assert_int_eq(OSPolicy_GetStatusClass(OSPOLICY_DENIED_BY_PLATFORM), OSPOLICY_CLASS_DENIED);
  ck_assert_int_eq(OSPolicy_MapHostStatus(OSHOST_ERR_INVALID_ARGUMENT), OSPOLICY_ERR_PAL_INVALID_ARGUMENT);
  ck_assert_int_eq(OSPolicy_MapHostStatus(OSHOST_ERR_SHORT), OSPOLICY_ERR_RANDOM_SHORT_READ);
  ck_assert_int_eq(OSPolicy_MapHostStatus(OSHOST_ERR_FIRMWARE_GONE), OSPOLICY_ERR_FIRMWARE_GONE);
  ck_assert_int_eq(OSPolicy_MapHostStatus(OSHOST_STATUS_UNSET), OSPOLICY_ERR_PAL_CONTRACT);
  ck_assert_int_eq(OSPolicy_MapHostStatus((OSHost_Status)99), OSPOLICY_ERR_PAL_CONTRACT);
  ck_assert_str_eq(OSPolicy_HostStatusName(OSHOST_ERR_FIRMWARE_GONE), "firmware-gone");
  ck_assert_str_eq(OSPolicy_HostStatusName((OSHost_Status)99), "unknown-status");
}
END_TEST

START_TEST(log_level_names) {
  ck_assert_str_eq(OSHost_LogLevelName(OSHOST_LOG_DEBUG), "debug");
  ck_assert_str_eq(OSHost_LogLevelName(OSHOST_LOG_INFO), "info");
  ck_assert_str_eq(OSHost_LogLevelName(OSHOST_LOG_WARNING), "warning");
  ck_assert_str_eq(OSHost_LogLevelName(OSHOST_LOG_ERROR), "error");
  ck_assert_ptr_null(OSHost_LogLevelName(OSHOST_LOG_UNSET));
  ck_assert_ptr_null(OSHost_LogLevelName((OSHost_LogLevel)9));
}
END_TEST

START_TEST(page_size_breach_is_caught) {
  size_t page = 123;
  fake_host.page_size = 3000; /* not a power of two */
  ck_assert_int_eq(OSPolicy_PalGetPageSize(&page), OSPOLICY_ERR_PAL_CONTRACT);
  ck_assert_uint_eq(page, 123);
  fake_host.page_size_status = OSHOST_STATUS_UNSET; /* "success" by zero */
  ck_assert_int_eq(OSPolicy_PalGetPageSize(&page), OSPOLICY_ERR_PAL_CONTRACT);
  ck_assert_int_eq(OSPolicy_PalGetPageSize(NULL), OSPOLICY_ERR_NULL_ARGUMENT);
}
END_TEST

START_TEST(allocation_breaches_are_caught_and_released) {
  void *base = (void *)0x1;
  fake_host.allocate_misaligned = 1;
  ck_assert_int_eq(OSPolicy_PalAllocatePages(1, &base), OSPOLICY_ERR_PAL_CONTRACT);
  ck_assert_ptr_eq(base, (void *)0x1); /* untouched on failure */
  ck_assert_uint_eq(fake_host.free_calls, 1); /* the bad pages went back */

  fake_oshost_reset();
  fake_host.allocate_null = 1;
  ck_assert_int_eq(OSPolicy_PalAllocatePages(1, &base), OSPOLICY_ERR_PAL_CONTRACT);

  fake_oshost_reset();
  fake_host.allocate_status = OSHOST_ERR_NO_MEMORY;
  ck_assert_int_eq(OSPolicy_PalAllocatePages(1, &base), OSPOLICY_ERR_NO_MEMORY);
}
END_TEST

START_TEST(allocation_argument_errors_never_reach_the_backend) {
  void *base = NULL;
  ck_assert_int_eq(OSPolicy_PalAllocatePages(0, &base), OSPOLICY_ERR_EMPTY_RANGE);
  ck_assert_int_eq(OSPolicy_PalAllocatePages(1, NULL), OSPOLICY_ERR_NULL_ARGUMENT);
  ck_assert_int_eq(OSPolicy_PalAllocatePages(SIZE_MAX / 2, &base), OSPOLICY_ERR_OVERFLOW);
  ck_assert_uint_eq(fake_host.allocate_calls, 0);
  ck_assert_int_eq(OSPolicy_PalFreePages(NULL, 1), OSPOLICY_ERR_NULL_ARGUMENT);
  ck_assert_uint_eq(fake_host.free_calls, 0);
}
END_TEST

START_TEST(allocation_happy_path) {
  void *base = NULL;
  ck_assert_int_eq(OSPolicy_PalAllocatePages(2, &base), OSPOLICY_OK);
  ck_assert_ptr_nonnull(base);
  ck_assert_uint_eq((uintptr_t)base % 4096u, 0);
  ck_assert_int_eq(OSPolicy_PalFreePages(base, 2), OSPOLICY_OK);
}
END_TEST

START_TEST(protect_never_forwards_a_bad_plan) {
  OSPolicy_PageProtectionPlan zero;
  memset(&zero, 0, sizeof zero);
  ck_assert_int_eq(OSPolicy_PalProtectPages(&zero), OSPOLICY_ERR_PLAN_NOT_OK);
  ck_assert_int_eq(OSPolicy_PalProtectPages(NULL), OSPOLICY_ERR_NULL_ARGUMENT);

  OSPolicy_PageProtectionRequest r = {.base = 0x10000, .size = 4096, .page_size = 4096,
                                      .from = OSPOLICY_PROT_RW, .to = OSPOLICY_PROT_RX};
  OSPolicy_PageProtectionPlan plan;
  ck_assert_int_eq(OSPolicy_PlanPageProtection(&r, &plan), OSPOLICY_OK);
  OSPolicy_PageProtectionPlan forged = plan;
  forged.to = OSPOLICY_PROT_ALL;
  ck_assert_int_eq(OSPolicy_PalProtectPages(&forged), OSPOLICY_DENIED_RWX);
  ck_assert_uint_eq(fake_host.protect_calls, 0);

  ck_assert_int_eq(OSPolicy_PalProtectPages(&plan), OSPOLICY_OK);
  ck_assert_uint_eq(fake_host.protect_calls, 1);
  /* The backend gets the plan's range and protections as plain values. */
  ck_assert_ptr_eq(fake_host.last_protect_base, (void *)plan.base);
  ck_assert_uint_eq(fake_host.last_protect_size, plan.size);
  ck_assert_uint_eq(fake_host.last_protect_from, plan.from);
  ck_assert_uint_eq(fake_host.last_protect_to, plan.to);

  fake_host.protect_status = OSHOST_ERR_DEVICE;
  ck_assert_int_eq(OSPolicy_PalProtectPages(&plan), OSPOLICY_ERR_PAL_FAILED);
  fake_host.protect_status = OSHOST_STATUS_UNSET;
  ck_assert_int_eq(OSPolicy_PalProtectPages(&plan), OSPOLICY_ERR_PAL_CONTRACT);
}
END_TEST

START_TEST(random_source_breaches_are_caught) {
  unsigned char buffer[16];
  OSHost_RandomSource source = OSHOST_RANDOM_SOURCE_OS;
  fake_host.random_source = OSHOST_RANDOM_SOURCE_UNSET; /* OK but no source named */
  ck_assert_int_eq(OSPolicy_PalFillRandom(buffer, sizeof buffer, &source), OSPOLICY_ERR_PAL_CONTRACT);
  ck_assert_int_eq(source, OSHOST_RANDOM_SOURCE_UNSET);
  fake_host.random_source = (OSHost_RandomSource)42;
  ck_assert_int_eq(OSPolicy_PalFillRandom(buffer, sizeof buffer, &source), OSPOLICY_ERR_PAL_CONTRACT);
  /* The pool's accounting-only kinds are not sources a backend fills from. */
  static const OSHost_RandomSource accounting[] = {OSHOST_RANDOM_SOURCE_JITTER, OSHOST_RANDOM_SOURCE_PLATFORM,
                                                   OSHOST_RANDOM_SOURCE_SEED};
  for (size_t i = 0; i < sizeof accounting / sizeof accounting[0]; i++) {
    fake_host.random_source = accounting[i];
    ck_assert_int_eq(OSPolicy_PalFillRandom(buffer, sizeof buffer, &source), OSPOLICY_ERR_PAL_CONTRACT);
  }

  fake_oshost_reset();
  fake_host.random_status = OSHOST_ERR_SHORT;
  ck_assert_int_eq(OSPolicy_PalFillRandom(buffer, sizeof buffer, &source), OSPOLICY_ERR_RANDOM_SHORT_READ);
  ck_assert_int_eq(source, OSHOST_RANDOM_SOURCE_UNSET);

  fake_oshost_reset();
  ck_assert_int_eq(OSPolicy_PalFillRandom(buffer, sizeof buffer, &source), OSPOLICY_OK);
  ck_assert_int_eq(source, OSHOST_RANDOM_SOURCE_OS);
  ck_assert_uint_eq(buffer[0], 0xA5);
  ck_assert_int_eq(OSPolicy_PalFillRandom(buffer, 0, &source), OSPOLICY_ERR_EMPTY_RANGE);
  ck_assert_int_eq(OSPolicy_PalFillRandom(NULL, 1, &source), OSPOLICY_ERR_NULL_ARGUMENT);
  ck_assert_uint_eq(fake_host.random_calls, 1);
}
END_TEST

START_TEST(log_and_flush_checks) {
  ck_assert_int_eq(OSPolicy_PalLog(OSHOST_LOG_ERROR, "x"), OSPOLICY_OK);
  ck_assert_int_eq(OSPolicy_PalLog((OSHost_LogLevel)9, "x"), OSPOLICY_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(OSPolicy_PalLog(OSHOST_LOG_INFO, NULL), OSPOLICY_ERR_NULL_ARGUMENT);
  ck_assert_uint_eq(fake_host.log_calls, 1);
  unsigned char code[4] = {0};
  ck_assert_int_eq(OSPolicy_PalFlushInstructionCache(code, sizeof code), OSPOLICY_OK);
  ck_assert_int_eq(OSPolicy_PalFlushInstructionCache(code, 0), OSPOLICY_ERR_EMPTY_RANGE);
  fake_host.flush_status = OSHOST_ERR_DEVICE;
  ck_assert_int_eq(OSPolicy_PalFlushInstructionCache(code, 1), OSPOLICY_ERR_PAL_FAILED);
}
END_TEST

Suite *pal_suite(void);
Suite *pal_suite(void) {
  Suite *suite = suite_create("pal");
  TCase *tc = tcase_create("wrappers");
  tcase_add_checked_fixture(tc, setup, NULL);
  tcase_add_test(tc, maps_every_host_status);
  tcase_add_test(tc, log_level_names);
  tcase_add_test(tc, page_size_breach_is_caught);
  tcase_add_test(tc, allocation_breaches_are_caught_and_released);
  tcase_add_test(tc, allocation_argument_errors_never_reach_the_backend);
  tcase_add_test(tc, allocation_happy_path);
  tcase_add_test(tc, protect_never_forwards_a_bad_plan);
  tcase_add_test(tc, random_source_breaches_are_caught);
  tcase_add_test(tc, log_and_flush_checks);
  suite_add_tcase(suite, tc);
  return suite;
}
