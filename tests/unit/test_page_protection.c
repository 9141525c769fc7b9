/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "ospolicy/page_protection.h"

enum { PAGE = 4096 };

static OSPolicy_PageProtectionRequest request(uint32_t from, uint32_t to) {
  return (OSPolicy_PageProtectionRequest){
      .base = 0x400000u, .size = 2u * PAGE, .page_size = PAGE, .from = from, .to = to};
}

static OSPolicy_Status plan_status(OSPolicy_PageProtectionRequest r) {
  OSPolicy_PageProtectionPlan plan;
  memset(&plan, 0x5A, sizeof plan);
  OSPolicy_Status status = OSPolicy_PlanPageProtection(&r, &plan);
  ck_assert_int_eq(plan.status, status);
  if (status != OSPOLICY_OK) {
    ck_assert_int_eq(plan.transition, OSPOLICY_TRANSITION_UNSET);
    ck_assert_uint_eq(plan.page_count, 0);
  }
  return status;
}

START_TEST(accepts_write_then_execute) {
  OSPolicy_PageProtectionRequest r = request(OSPOLICY_PROT_RW, OSPOLICY_PROT_RX);
  OSPolicy_PageProtectionPlan plan;
  ck_assert_int_eq(OSPolicy_PlanPageProtection(&r, &plan), OSPOLICY_OK);
  ck_assert_int_eq(plan.status, OSPOLICY_OK);
  ck_assert_int_eq(plan.transition, OSPOLICY_TRANSITION_SEAL_EXEC);
  ck_assert_uint_eq(plan.page_count, 2);
  ck_assert_uint_eq(plan.base, 0x400000u);
  ck_assert_uint_eq(plan.to, OSPOLICY_PROT_RX);
  ck_assert_int_eq(OSPolicy_CheckPageProtectionPlan(&plan), OSPOLICY_OK);
  ck_assert_str_eq(OSPolicy_PageTransitionName(plan.transition), "seal-exec");
}
END_TEST

START_TEST(accepts_rw_to_readonly_and_drop_exec) {
  ck_assert_int_eq(plan_status(request(OSPOLICY_PROT_RW, OSPOLICY_PROT_READ)), OSPOLICY_OK);
  ck_assert_int_eq(plan_status(request(OSPOLICY_PROT_RX, OSPOLICY_PROT_READ)), OSPOLICY_OK);
}
END_TEST

START_TEST(rejects_rwx_intent) {
  uint32_t rwx = OSPOLICY_PROT_ALL;
  ck_assert_int_eq(plan_status(request(OSPOLICY_PROT_RW, rwx)), OSPOLICY_DENIED_RWX);
  ck_assert_int_eq(plan_status(request(rwx, OSPOLICY_PROT_RX)), OSPOLICY_DENIED_RWX);
  OSPolicy_PageProtectionRequest r = request(OSPOLICY_PROT_RX, rwx);
  r.flags = OSPOLICY_PAGE_RECLAIM; /* reclaim never excuses W+X */
  ck_assert_int_eq(plan_status(r), OSPOLICY_DENIED_RWX);
}
END_TEST

START_TEST(rejects_exec_to_writable) {
  ck_assert_int_eq(plan_status(request(OSPOLICY_PROT_RX, OSPOLICY_PROT_RW)),
                   OSPOLICY_DENIED_EXEC_TO_WRITE);
}
END_TEST

START_TEST(reclaim_flag_allows_exec_to_writable_only_as_rw) {
  OSPolicy_PageProtectionRequest r = request(OSPOLICY_PROT_RX, OSPOLICY_PROT_RW);
  r.flags = OSPOLICY_PAGE_RECLAIM;
  OSPolicy_PageProtectionPlan plan;
  ck_assert_int_eq(OSPolicy_PlanPageProtection(&r, &plan), OSPOLICY_OK);
  ck_assert_int_eq(plan.transition, OSPOLICY_TRANSITION_RECLAIM);
  ck_assert_int_eq(OSPolicy_CheckPageProtectionPlan(&plan), OSPOLICY_OK);
  r.from = OSPOLICY_PROT_READ;
  ck_assert_int_eq(plan_status(r), OSPOLICY_OK);
}
END_TEST

START_TEST(rejects_other_transitions) {
  ck_assert_int_eq(plan_status(request(OSPOLICY_PROT_READ, OSPOLICY_PROT_RX)),
                   OSPOLICY_DENIED_TRANSITION);
  ck_assert_int_eq(plan_status(request(OSPOLICY_PROT_RW, OSPOLICY_PROT_RW)),
                   OSPOLICY_DENIED_TRANSITION);
  ck_assert_int_eq(plan_status(request(OSPOLICY_PROT_READ, OSPOLICY_PROT_RW)),
                   OSPOLICY_DENIED_TRANSITION);
  ck_assert_int_eq(plan_status(request(OSPOLICY_PROT_RX, OSPOLICY_PROT_RX)),
                   OSPOLICY_DENIED_TRANSITION);
}
END_TEST

START_TEST(rejects_unknown_or_unreadable_protection) {
  ck_assert_int_eq(plan_status(request(OSPOLICY_PROT_RW, 0x8u | OSPOLICY_PROT_RX)),
                   OSPOLICY_ERR_BAD_PROTECTION);
  ck_assert_int_eq(plan_status(request(OSPOLICY_PROT_RW, OSPOLICY_PROT_EXEC)),
                   OSPOLICY_ERR_BAD_PROTECTION);
  ck_assert_int_eq(plan_status(request(0u, OSPOLICY_PROT_RX)), OSPOLICY_ERR_BAD_PROTECTION);
  OSPolicy_PageProtectionRequest r = request(OSPOLICY_PROT_RW, OSPOLICY_PROT_RX);
  r.flags = 0x80u;
  ck_assert_int_eq(plan_status(r), OSPOLICY_ERR_INVALID_ARGUMENT);
}
END_TEST

START_TEST(rejects_unaligned_ranges) {
  OSPolicy_PageProtectionRequest r = request(OSPOLICY_PROT_RW, OSPOLICY_PROT_RX);
  r.base += 1;
  ck_assert_int_eq(plan_status(r), OSPOLICY_ERR_UNALIGNED);
  r = request(OSPOLICY_PROT_RW, OSPOLICY_PROT_RX);
  r.size = PAGE + 16;
  ck_assert_int_eq(plan_status(r), OSPOLICY_ERR_UNALIGNED);
  r = request(OSPOLICY_PROT_RW, OSPOLICY_PROT_RX);
  r.size = 0;
  ck_assert_int_eq(plan_status(r), OSPOLICY_ERR_EMPTY_RANGE);
}
END_TEST

START_TEST(rejects_overflowing_ranges) {
  OSPolicy_PageProtectionRequest r = request(OSPOLICY_PROT_RW, OSPOLICY_PROT_RX);
  r.base = UINTPTR_MAX - (uintptr_t)PAGE + 1u; /* last page: base + 2 pages wraps */
  ck_assert_int_eq(plan_status(r), OSPOLICY_ERR_OVERFLOW);
}
END_TEST

START_TEST(rejects_bad_page_sizes) {
  OSPolicy_PageProtectionRequest r = request(OSPOLICY_PROT_RW, OSPOLICY_PROT_RX);
  size_t bad[] = {0, 1, 2048, 4095, 4097, 12288};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    r.page_size = bad[i];
    ck_assert_int_eq(plan_status(r), OSPOLICY_ERR_BAD_PAGE_SIZE);
  }
  r.page_size = 2u * 1024u * 1024u;
  r.base = 0x200000u;
  r.size = 0x200000u;
  ck_assert_int_eq(plan_status(r), OSPOLICY_OK);
}
END_TEST

START_TEST(null_arguments) {
  OSPolicy_PageProtectionPlan plan;
  memset(&plan, 0x5A, sizeof plan);
  ck_assert_int_eq(OSPolicy_PlanPageProtection(NULL, &plan), OSPOLICY_ERR_NULL_ARGUMENT);
  ck_assert_int_eq(plan.status, OSPOLICY_ERR_NULL_ARGUMENT);
  OSPolicy_PageProtectionRequest r = request(OSPOLICY_PROT_RW, OSPOLICY_PROT_RX);
  ck_assert_int_eq(OSPolicy_PlanPageProtection(&r, NULL), OSPOLICY_ERR_NULL_ARGUMENT);
  ck_assert_int_eq(OSPolicy_CheckPageProtectionPlan(NULL), OSPOLICY_ERR_NULL_ARGUMENT);
}
END_TEST

START_TEST(zero_result_is_not_success) {
  OSPolicy_PageProtectionPlan zero;
  memset(&zero, 0, sizeof zero);
  ck_assert_int_ne(zero.status, OSPOLICY_OK);
  ck_assert_int_eq(OSPolicy_CheckPageProtectionPlan(&zero), OSPOLICY_ERR_PLAN_NOT_OK);
}
END_TEST

START_TEST(check_refuses_forged_plans) {
  OSPolicy_PageProtectionRequest r = request(OSPOLICY_PROT_RW, OSPOLICY_PROT_RX);
  OSPolicy_PageProtectionPlan plan;
  ck_assert_int_eq(OSPolicy_PlanPageProtection(&r, &plan), OSPOLICY_OK);

  OSPolicy_PageProtectionPlan forged = plan;
  forged.to = OSPOLICY_PROT_ALL; /* RWX smuggled into an OK plan */
  ck_assert_int_eq(OSPolicy_CheckPageProtectionPlan(&forged), OSPOLICY_DENIED_RWX);

  forged = plan;
  forged.base += 8;
  ck_assert_int_eq(OSPolicy_CheckPageProtectionPlan(&forged), OSPOLICY_ERR_UNALIGNED);

  forged = plan;
  forged.page_count = 100; /* disagrees with size */
  ck_assert_int_eq(OSPolicy_CheckPageProtectionPlan(&forged), OSPOLICY_ERR_PLAN_NOT_OK);

  forged = plan;
  forged.from = OSPOLICY_PROT_RX;
  forged.to = OSPOLICY_PROT_RW; /* exec-to-write without a reclaim transition */
  ck_assert_int_eq(OSPolicy_CheckPageProtectionPlan(&forged), OSPOLICY_DENIED_EXEC_TO_WRITE);

  forged = plan;
  forged.transition = OSPOLICY_TRANSITION_RECLAIM; /* label does not match the fields */
  ck_assert_int_eq(OSPolicy_CheckPageProtectionPlan(&forged), OSPOLICY_ERR_PLAN_NOT_OK);
}
END_TEST

Suite *page_protection_suite(void);
Suite *page_protection_suite(void) {
  Suite *suite = suite_create("page_protection");
  TCase *tc = tcase_create("plan");
  tcase_add_test(tc, accepts_write_then_execute);
  tcase_add_test(tc, accepts_rw_to_readonly_and_drop_exec);
  tcase_add_test(tc, rejects_rwx_intent);
  tcase_add_test(tc, rejects_exec_to_writable);
  tcase_add_test(tc, reclaim_flag_allows_exec_to_writable_only_as_rw);
  tcase_add_test(tc, rejects_other_transitions);
  tcase_add_test(tc, rejects_unknown_or_unreadable_protection);
  tcase_add_test(tc, rejects_unaligned_ranges);
  tcase_add_test(tc, rejects_overflowing_ranges);
  tcase_add_test(tc, rejects_bad_page_sizes);
  tcase_add_test(tc, null_arguments);
  tcase_add_test(tc, zero_result_is_not_success);
  tcase_add_test(tc, check_refuses_forged_plans);
  suite_add_tcase(suite, tc);
  return suite;
}
