/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "ospolicy/stub_memory.h"

enum { PAGE = 4096 };

static OSPolicy_StubMemoryRequest request(size_t payload_size) {
  return (OSPolicy_StubMemoryRequest){.base = 0x400000u,
                                      .page_size = PAGE,
                                      .payload_offset = 0,
                                      .payload_size = payload_size,
                                      .write_protection = OSPOLICY_PROT_RW,
                                      .run_protection = OSPOLICY_PROT_RX};
}

/* Plans into a poisoned struct and checks the "fully written" contract. */
static OSPolicy_Status plan_status(OSPolicy_StubMemoryRequest r) {
  OSPolicy_StubMemoryPlan plan;
  memset(&plan, 0x5A, sizeof plan);
  OSPolicy_Status status = OSPolicy_PlanStubMemory(&r, &plan);
  ck_assert_int_eq(plan.status, status);
  ck_assert_uint_eq(plan.base, r.base);
  ck_assert_uint_eq(plan.payload_size, r.payload_size);
  if (status != OSPOLICY_OK) {
    ck_assert_uint_eq(plan.total_size, 0);
    ck_assert_uint_eq(plan.page_count, 0);
    ck_assert_int_eq(OSPolicy_CheckStubMemoryPlan(&plan), OSPOLICY_ERR_PLAN_NOT_OK);
  }
  return status;
}

START_TEST(plans_page_rounded_layout) {
  OSPolicy_StubMemoryRequest r = request(100);
  OSPolicy_StubMemoryPlan plan;
  ck_assert_int_eq(OSPolicy_PlanStubMemory(&r, &plan), OSPOLICY_OK);
  ck_assert_int_eq(plan.status, OSPOLICY_OK);
  ck_assert_uint_eq(plan.base, 0x400000u);
  ck_assert_uint_eq(plan.payload_offset, 0);
  ck_assert_uint_eq(plan.payload_size, 100);
  ck_assert_uint_eq(plan.total_size, PAGE);
  ck_assert_uint_eq(plan.page_count, 1);
  ck_assert_uint_eq(plan.write_protection, OSPOLICY_PROT_RW);
  ck_assert_uint_eq(plan.run_protection, OSPOLICY_PROT_RX);
  ck_assert_int_eq(OSPolicy_CheckStubMemoryPlan(&plan), OSPOLICY_OK);
}
END_TEST

START_TEST(rounds_at_page_boundaries) {
  struct {
    size_t offset, size, total;
  } cases[] = {
      {0, 1, PAGE},           {0, PAGE, PAGE},         {0, PAGE + 1, 2 * PAGE},
      {16, PAGE - 16, PAGE},  {16, PAGE - 15, 2 * PAGE}, {PAGE, 1, 2 * PAGE},
      {3 * PAGE, 3 * PAGE, 6 * PAGE},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    OSPolicy_StubMemoryRequest r = request(cases[i].size);
    r.payload_offset = cases[i].offset;
    OSPolicy_StubMemoryPlan plan;
    ck_assert_int_eq(OSPolicy_PlanStubMemory(&r, &plan), OSPOLICY_OK);
    ck_assert_uint_eq(plan.total_size, cases[i].total);
    ck_assert_uint_eq(plan.page_count, cases[i].total / PAGE);
    ck_assert_uint_eq(plan.payload_offset, cases[i].offset);
  }
  /* Large pages: the whole payload fits one 2 MiB page. */
  OSPolicy_StubMemoryRequest r = request(3 * PAGE);
  r.page_size = 2u * 1024u * 1024u;
  r.base = 0x200000u;
  OSPolicy_StubMemoryPlan plan;
  ck_assert_int_eq(OSPolicy_PlanStubMemory(&r, &plan), OSPOLICY_OK);
  ck_assert_uint_eq(plan.total_size, 2u * 1024u * 1024u);
  ck_assert_uint_eq(plan.page_count, 1);
}
END_TEST

START_TEST(rejects_bad_page_sizes) {
  size_t bad[] = {0, 1, 2048, 4095, 4097, 12288, SIZE_MAX};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    OSPolicy_StubMemoryRequest r = request(16);
    r.page_size = bad[i];
    ck_assert_int_eq(plan_status(r), OSPOLICY_ERR_BAD_PAGE_SIZE);
  }
}
END_TEST

START_TEST(rejects_rwx_intent) {
  OSPolicy_StubMemoryRequest r = request(16);
  r.run_protection = OSPOLICY_PROT_ALL;
  ck_assert_int_eq(plan_status(r), OSPOLICY_DENIED_RWX);
  r = request(16);
  r.write_protection = OSPOLICY_PROT_ALL;
  ck_assert_int_eq(plan_status(r), OSPOLICY_DENIED_RWX);
  r = request(16);
  r.write_protection = OSPOLICY_PROT_ALL;
  r.run_protection = OSPOLICY_PROT_ALL;
  ck_assert_int_eq(plan_status(r), OSPOLICY_DENIED_RWX);
}
END_TEST

START_TEST(rejects_non_write_then_execute_intent) {
  OSPolicy_StubMemoryRequest r = request(16);
  r.write_protection = OSPOLICY_PROT_RX; /* "write" while executable */
  ck_assert_int_eq(plan_status(r), OSPOLICY_DENIED_NOT_WRITE_THEN_EXECUTE);
  r = request(16);
  r.run_protection = OSPOLICY_PROT_READ; /* never executable: not a stub region */
  ck_assert_int_eq(plan_status(r), OSPOLICY_DENIED_NOT_WRITE_THEN_EXECUTE);
  r = request(16);
  r.run_protection = OSPOLICY_PROT_RW;
  ck_assert_int_eq(plan_status(r), OSPOLICY_DENIED_NOT_WRITE_THEN_EXECUTE);
}
END_TEST

START_TEST(rejects_unknown_or_unreadable_protection) {
  OSPolicy_StubMemoryRequest r = request(16);
  r.run_protection = OSPOLICY_PROT_RX | 0x8u;
  ck_assert_int_eq(plan_status(r), OSPOLICY_ERR_BAD_PROTECTION);
  r = request(16);
  r.run_protection = OSPOLICY_PROT_EXEC; /* execute-only does not exist here */
  ck_assert_int_eq(plan_status(r), OSPOLICY_ERR_BAD_PROTECTION);
  r = request(16);
  r.write_protection = 0u; /* zero is not "default" */
  ck_assert_int_eq(plan_status(r), OSPOLICY_ERR_BAD_PROTECTION);
}
END_TEST

START_TEST(rejects_null_and_unaligned_base) {
  OSPolicy_StubMemoryRequest r = request(16);
  r.base = 0;
  ck_assert_int_eq(plan_status(r), OSPOLICY_ERR_NULL_ARGUMENT);
  size_t offsets[] = {1, 16, PAGE / 2, PAGE - 1};
  for (size_t i = 0; i < sizeof offsets / sizeof offsets[0]; i++) {
    r = request(16);
    r.base += offsets[i];
    ck_assert_int_eq(plan_status(r), OSPOLICY_ERR_UNALIGNED);
  }
  r = request(16);
  r.page_size = 2u * PAGE;
  r.base = 0x401000u; /* 4 KiB aligned, not 8 KiB aligned */
  ck_assert_int_eq(plan_status(r), OSPOLICY_ERR_UNALIGNED);
}
END_TEST

START_TEST(rejects_empty_payload) {
  ck_assert_int_eq(plan_status(request(0)), OSPOLICY_ERR_EMPTY_RANGE);
}
END_TEST

START_TEST(rejects_unaligned_payload_offset) {
  size_t bad[] = {1, 8, 15, 17, PAGE - 1};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    OSPolicy_StubMemoryRequest r = request(16);
    r.payload_offset = bad[i];
    ck_assert_int_eq(plan_status(r), OSPOLICY_ERR_UNALIGNED);
  }
}
END_TEST

START_TEST(rejects_overflowing_layouts) {
  /* payload_offset + payload_size wraps. */
  OSPolicy_StubMemoryRequest r = request(SIZE_MAX);
  r.payload_offset = 16;
  ck_assert_int_eq(plan_status(r), OSPOLICY_ERR_OVERFLOW);
  /* The sum fits but rounding up to a page wraps. */
  r = request(SIZE_MAX);
  ck_assert_int_eq(plan_status(r), OSPOLICY_ERR_OVERFLOW);
  r = request(SIZE_MAX - PAGE + 2);
  ck_assert_int_eq(plan_status(r), OSPOLICY_ERR_OVERFLOW);
  /* The largest size that rounds without wrapping: rounding fits, but
   * base + total_size then wraps even at the lowest non-zero base. */
  r = request(SIZE_MAX - PAGE + 1);
  r.base = PAGE;
  ck_assert_int_eq(plan_status(r), OSPOLICY_ERR_OVERFLOW);
  /* base + total wraps at the top of the address space. */
  r = request(2 * PAGE);
  r.base = UINTPTR_MAX - (uintptr_t)PAGE + 1u;
  ck_assert_int_eq(plan_status(r), OSPOLICY_ERR_OVERFLOW);
  /* The very last page: its end would be 2^N, which wraps to 0. */
  r = request(PAGE);
  r.base = UINTPTR_MAX - (uintptr_t)PAGE + 1u;
  ck_assert_int_eq(plan_status(r), OSPOLICY_ERR_OVERFLOW);
  /* The page before it fits. */
  r.base -= PAGE;
  ck_assert_int_eq(plan_status(r), OSPOLICY_OK);
}
END_TEST

START_TEST(measure_sizes_before_allocation) {
  OSPolicy_StubMemoryRequest r = request(PAGE + 1);
  r.base = 0; /* not known yet: measuring ignores base */
  r.payload_offset = 16;
  size_t pages = 99;
  ck_assert_int_eq(OSPolicy_MeasureStubMemory(&r, &pages), OSPOLICY_OK);
  ck_assert_uint_eq(pages, 2);
  r.base = 0x400001u; /* unaligned base: also ignored */
  ck_assert_int_eq(OSPolicy_MeasureStubMemory(&r, &pages), OSPOLICY_OK);
  ck_assert_uint_eq(pages, 2);
  /* Every other check still applies. */
  r.run_protection = OSPOLICY_PROT_ALL;
  ck_assert_int_eq(OSPolicy_MeasureStubMemory(&r, &pages), OSPOLICY_DENIED_RWX);
  ck_assert_uint_eq(pages, 0);
  r = request(SIZE_MAX);
  ck_assert_int_eq(OSPolicy_MeasureStubMemory(&r, &pages), OSPOLICY_ERR_OVERFLOW);
  r = request(0);
  ck_assert_int_eq(OSPolicy_MeasureStubMemory(&r, &pages), OSPOLICY_ERR_EMPTY_RANGE);
  ck_assert_int_eq(OSPolicy_MeasureStubMemory(NULL, &pages), OSPOLICY_ERR_NULL_ARGUMENT);
  ck_assert_int_eq(OSPolicy_MeasureStubMemory(&r, NULL), OSPOLICY_ERR_NULL_ARGUMENT);
}
END_TEST

START_TEST(null_arguments) {
  OSPolicy_StubMemoryPlan plan;
  memset(&plan, 0x5A, sizeof plan);
  ck_assert_int_eq(OSPolicy_PlanStubMemory(NULL, &plan), OSPOLICY_ERR_NULL_ARGUMENT);
  ck_assert_int_eq(plan.status, OSPOLICY_ERR_NULL_ARGUMENT);
  ck_assert_uint_eq(plan.total_size, 0);
  OSPolicy_StubMemoryRequest r = request(16);
  ck_assert_int_eq(OSPolicy_PlanStubMemory(&r, NULL), OSPOLICY_ERR_NULL_ARGUMENT);
  ck_assert_int_eq(OSPolicy_CheckStubMemoryPlan(NULL), OSPOLICY_ERR_NULL_ARGUMENT);
}
END_TEST

START_TEST(zero_result_is_not_success) {
  OSPolicy_StubMemoryPlan zero;
  memset(&zero, 0, sizeof zero);
  ck_assert_int_ne(zero.status, OSPOLICY_OK);
  ck_assert_int_eq(OSPolicy_CheckStubMemoryPlan(&zero), OSPOLICY_ERR_PLAN_NOT_OK);
  /* Even with status forced to OK, all-zero fields do not pass. */
  zero.status = OSPOLICY_OK;
  ck_assert_int_ne(OSPolicy_CheckStubMemoryPlan(&zero), OSPOLICY_OK);
}
END_TEST

START_TEST(check_refuses_forged_plans) {
  OSPolicy_StubMemoryRequest r = request(100);
  OSPolicy_StubMemoryPlan plan;
  ck_assert_int_eq(OSPolicy_PlanStubMemory(&r, &plan), OSPOLICY_OK);

  OSPolicy_StubMemoryPlan forged = plan;
  forged.run_protection = OSPOLICY_PROT_ALL;
  ck_assert_int_eq(OSPolicy_CheckStubMemoryPlan(&forged), OSPOLICY_DENIED_RWX);
  forged = plan;
  forged.payload_size = 2 * PAGE; /* larger than the pages the plan covers */
  ck_assert_int_eq(OSPolicy_CheckStubMemoryPlan(&forged), OSPOLICY_ERR_PLAN_NOT_OK);
  forged = plan;
  forged.page_count = 5;
  ck_assert_int_eq(OSPolicy_CheckStubMemoryPlan(&forged), OSPOLICY_ERR_PLAN_NOT_OK);
  forged = plan;
  forged.base += 16;
  ck_assert_int_eq(OSPolicy_CheckStubMemoryPlan(&forged), OSPOLICY_ERR_UNALIGNED);
  forged = plan;
  forged.status = OSPOLICY_ERR_OVERFLOW;
  ck_assert_int_eq(OSPolicy_CheckStubMemoryPlan(&forged), OSPOLICY_ERR_PLAN_NOT_OK);
}
END_TEST

START_TEST(check_order_is_documented_order) {
  /* Several faults at once: the first in the documented order wins. */
  OSPolicy_StubMemoryRequest r = request(0);
  r.base = 0x400001u;
  r.run_protection = OSPOLICY_PROT_ALL;
  r.page_size = 100;
  ck_assert_int_eq(plan_status(r), OSPOLICY_ERR_BAD_PAGE_SIZE);
  r.page_size = PAGE;
  ck_assert_int_eq(plan_status(r), OSPOLICY_DENIED_RWX);
  r.run_protection = OSPOLICY_PROT_RX;
  ck_assert_int_eq(plan_status(r), OSPOLICY_ERR_UNALIGNED);
  r.base = 0x400000u;
  ck_assert_int_eq(plan_status(r), OSPOLICY_ERR_EMPTY_RANGE);
}
END_TEST

Suite *stub_memory_suite(void);
Suite *stub_memory_suite(void) {
  Suite *suite = suite_create("stub_memory");
  TCase *tc = tcase_create("plan");
  tcase_add_test(tc, plans_page_rounded_layout);
  tcase_add_test(tc, rounds_at_page_boundaries);
  tcase_add_test(tc, rejects_bad_page_sizes);
  tcase_add_test(tc, rejects_rwx_intent);
  tcase_add_test(tc, rejects_non_write_then_execute_intent);
  tcase_add_test(tc, rejects_unknown_or_unreadable_protection);
  tcase_add_test(tc, rejects_null_and_unaligned_base);
  tcase_add_test(tc, rejects_empty_payload);
  tcase_add_test(tc, rejects_unaligned_payload_offset);
  tcase_add_test(tc, rejects_overflowing_layouts);
  tcase_add_test(tc, measure_sizes_before_allocation);
  tcase_add_test(tc, null_arguments);
  tcase_add_test(tc, zero_result_is_not_success);
  tcase_add_test(tc, check_refuses_forged_plans);
  tcase_add_test(tc, check_order_is_documented_order);
  suite_add_tcase(suite, tc);
  return suite;
}
