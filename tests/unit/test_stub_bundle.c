/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "ospolicy/stub_bundle.h"

enum { PAGE = 4096 };

enum {
  COM1 = OSPOLICY_STUB_SLOT_COM1_WRITER,
  DESC = OSPOLICY_STUB_SLOT_DESCRIPTOR_READER,
  FAULT = OSPOLICY_STUB_SLOT_FAULT_PROBE
};

static OSPolicy_StubMemoryPlan memory_plan(size_t payload_size) {
  OSPolicy_StubMemoryRequest r = {.base = 0x400000u,
                                  .page_size = PAGE,
                                  .payload_size = payload_size,
                                  .write_protection = OSPOLICY_PROT_RW,
                                  .run_protection = OSPOLICY_PROT_RX};
  OSPolicy_StubMemoryPlan plan;
  ck_assert_int_eq(OSPolicy_PlanStubMemory(&r, &plan), OSPOLICY_OK);
  return plan;
}

/* Plans into a poisoned struct and checks the "fully written" contract. */
static OSPolicy_Status bundle_status(const OSPolicy_StubMemoryPlan *memory,
                                     const OSPolicy_StubSlotRequest *slots, size_t count,
                                     OSPolicy_StubBundlePlan *plan) {
  OSPolicy_StubBundleRequest r = {.slots = slots, .slot_count = count};
  memset(plan, 0x5A, sizeof *plan);
  OSPolicy_Status status = OSPolicy_PlanStubBundle(memory, &r, plan);
  ck_assert_int_eq(plan->status, status);
  if (status != OSPOLICY_OK) {
    ck_assert_uint_eq(plan->slot_count, 0);
    for (size_t i = 0; i < OSPOLICY_STUB_SLOT_MAX; i++) {
      ck_assert_uint_eq(plan->slots[i].id, 0);
      ck_assert_uint_eq(plan->slots[i].offset, 0);
      ck_assert_uint_eq(plan->slots[i].length, 0);
    }
    ck_assert_int_eq(OSPolicy_CheckStubBundlePlan(plan), OSPOLICY_ERR_PLAN_NOT_OK);
  }
  return status;
}

START_TEST(packs_slots_by_id_at_16_byte_alignment) {
  OSPolicy_StubMemoryPlan memory = memory_plan(256);
  OSPolicy_StubSlotRequest slots[] = {{FAULT, 2}, {COM1, 37}, {DESC, 16}};
  OSPolicy_StubBundlePlan plan;
  ck_assert_int_eq(bundle_status(&memory, slots, 3, &plan), OSPOLICY_OK);
  ck_assert_uint_eq(plan.slot_count, 3);
  ck_assert_uint_eq(plan.slots[0].id, COM1);
  ck_assert_uint_eq(plan.slots[0].offset, 0);
  ck_assert_uint_eq(plan.slots[0].length, 37);
  ck_assert_uint_eq(plan.slots[1].id, DESC);
  ck_assert_uint_eq(plan.slots[1].offset, 48); /* 37 rounded up to 16 */
  ck_assert_uint_eq(plan.slots[1].length, 16);
  ck_assert_uint_eq(plan.slots[2].id, FAULT);
  ck_assert_uint_eq(plan.slots[2].offset, 64); /* 48 + 16, already aligned */
  ck_assert_uint_eq(plan.slots[2].length, 2);
  ck_assert_uint_eq(plan.required_size, 66);
  ck_assert_uint_eq(plan.error_index, OSPOLICY_STUB_NO_INDEX);
  ck_assert_int_eq(memcmp(&plan.memory, &memory, sizeof memory), 0);
  ck_assert_int_eq(OSPolicy_CheckStubBundlePlan(&plan), OSPOLICY_OK);
  for (size_t i = 0; i < plan.slot_count; i++) {
    ck_assert_uint_eq(plan.slots[i].offset % OSPOLICY_STUB_ALIGNMENT, 0);
  }
}
END_TEST

START_TEST(offsets_do_not_depend_on_request_order) {
  OSPolicy_StubMemoryPlan memory = memory_plan(PAGE);
  const OSPolicy_StubSlotRequest a = {COM1, 21}, b = {DESC, 33}, c = {FAULT, 5};
  OSPolicy_StubSlotRequest orders[6][3] = {{a, b, c}, {a, c, b}, {b, a, c},
                                           {b, c, a}, {c, a, b}, {c, b, a}};
  OSPolicy_StubBundlePlan first;
  ck_assert_int_eq(bundle_status(&memory, orders[0], 3, &first), OSPOLICY_OK);
  for (size_t i = 1; i < 6; i++) {
    OSPolicy_StubBundlePlan plan;
    ck_assert_int_eq(bundle_status(&memory, orders[i], 3, &plan), OSPOLICY_OK);
    ck_assert_uint_eq(plan.required_size, first.required_size);
    for (size_t s = 0; s < 3; s++) {
      ck_assert_uint_eq(plan.slots[s].id, first.slots[s].id);
      ck_assert_uint_eq(plan.slots[s].offset, first.slots[s].offset);
      ck_assert_uint_eq(plan.slots[s].length, first.slots[s].length);
    }
  }
  /* Subsets keep id order and start at offset 0. */
  OSPolicy_StubSlotRequest subset[] = {c, b};
  OSPolicy_StubBundlePlan plan;
  ck_assert_int_eq(bundle_status(&memory, subset, 2, &plan), OSPOLICY_OK);
  ck_assert_uint_eq(plan.slot_count, 2);
  ck_assert_uint_eq(plan.slots[0].id, DESC);
  ck_assert_uint_eq(plan.slots[0].offset, 0);
  ck_assert_uint_eq(plan.slots[1].id, FAULT);
  ck_assert_uint_eq(plan.slots[1].offset, 48);
  ck_assert_uint_eq(plan.slots[2].id, 0);
}
END_TEST

START_TEST(find_slot_and_names) {
  OSPolicy_StubMemoryPlan memory = memory_plan(PAGE);
  OSPolicy_StubSlotRequest slots[] = {{DESC, 7}, {FAULT, 2}};
  OSPolicy_StubBundlePlan plan;
  ck_assert_int_eq(bundle_status(&memory, slots, 2, &plan), OSPOLICY_OK);
  OSPolicy_StubSlotPlan slot;
  ck_assert_int_eq(OSPolicy_FindStubSlot(&plan, FAULT, &slot), OSPOLICY_OK);
  ck_assert_uint_eq(slot.offset, 16);
  ck_assert_uint_eq(slot.length, 2);
  ck_assert_int_eq(OSPolicy_FindStubSlot(&plan, COM1, &slot), OSPOLICY_ERR_UNKNOWN_SLOT);
  ck_assert_int_eq(OSPolicy_FindStubSlot(&plan, 99u, &slot), OSPOLICY_ERR_UNKNOWN_SLOT);
  ck_assert_int_eq(OSPolicy_FindStubSlot(NULL, FAULT, &slot), OSPOLICY_ERR_NULL_ARGUMENT);
  ck_assert_int_eq(OSPolicy_FindStubSlot(&plan, FAULT, NULL), OSPOLICY_ERR_NULL_ARGUMENT);
  OSPolicy_StubBundlePlan zero;
  memset(&zero, 0, sizeof zero);
  ck_assert_int_eq(OSPolicy_FindStubSlot(&zero, FAULT, &slot), OSPOLICY_ERR_PLAN_NOT_OK);
  ck_assert_str_eq(OSPolicy_StubSlotName(COM1), "com1-writer");
  ck_assert_str_eq(OSPolicy_StubSlotName(DESC), "descriptor-reader");
  ck_assert_str_eq(OSPolicy_StubSlotName(FAULT), "fault-probe");
  ck_assert_str_eq(OSPolicy_StubSlotName(0), "unknown");
  ck_assert_str_eq(OSPolicy_StubSlotName(4), "unknown");
}
END_TEST

START_TEST(rejects_duplicate_slot) {
  OSPolicy_StubMemoryPlan memory = memory_plan(PAGE);
  OSPolicy_StubSlotRequest slots[] = {{COM1, 8}, {DESC, 8}, {COM1, 8}};
  OSPolicy_StubBundlePlan plan;
  ck_assert_int_eq(bundle_status(&memory, slots, 3, &plan), OSPOLICY_ERR_DUPLICATE_SLOT);
  ck_assert_uint_eq(plan.error_index, 2);
  ck_assert_uint_eq(plan.required_size, 0);
  /* A duplicate is a duplicate even when the lengths differ. */
  OSPolicy_StubSlotRequest twice[] = {{FAULT, 2}, {FAULT, 9}};
  ck_assert_int_eq(bundle_status(&memory, twice, 2, &plan), OSPOLICY_ERR_DUPLICATE_SLOT);
  ck_assert_uint_eq(plan.error_index, 1);
}
END_TEST

START_TEST(rejects_unknown_slot) {
  OSPolicy_StubMemoryPlan memory = memory_plan(PAGE);
  uint32_t bad[] = {OSPOLICY_STUB_SLOT_UNSET, 4u, 0x80000000u, UINT32_MAX};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    OSPolicy_StubSlotRequest slots[] = {{COM1, 8}, {bad[i], 8}};
    OSPolicy_StubBundlePlan plan;
    ck_assert_int_eq(bundle_status(&memory, slots, 2, &plan), OSPOLICY_ERR_UNKNOWN_SLOT);
    ck_assert_uint_eq(plan.error_index, 1);
  }
}
END_TEST

START_TEST(rejects_zero_length_slot) {
  OSPolicy_StubMemoryPlan memory = memory_plan(PAGE);
  OSPolicy_StubSlotRequest slots[] = {{DESC, 0}, {COM1, 8}};
  OSPolicy_StubBundlePlan plan;
  ck_assert_int_eq(bundle_status(&memory, slots, 2, &plan), OSPOLICY_ERR_ZERO_LENGTH_SLOT);
  ck_assert_uint_eq(plan.error_index, 0);
}
END_TEST

START_TEST(rejects_empty_and_oversized_slot_lists) {
  OSPolicy_StubMemoryPlan memory = memory_plan(PAGE);
  OSPolicy_StubSlotRequest slots[] = {{COM1, 8}, {DESC, 8}, {FAULT, 8}, {COM1, 8}};
  OSPolicy_StubBundlePlan plan;
  ck_assert_int_eq(bundle_status(&memory, slots, 0, &plan), OSPOLICY_ERR_EMPTY_RANGE);
  ck_assert_int_eq(bundle_status(&memory, slots, 4, &plan), OSPOLICY_ERR_TOO_MANY);
  ck_assert_int_eq(bundle_status(&memory, slots, SIZE_MAX, &plan), OSPOLICY_ERR_TOO_MANY);
}
END_TEST

START_TEST(rejects_failed_memory_plan) {
  OSPolicy_StubSlotRequest slots[] = {{COM1, 8}};
  OSPolicy_StubBundlePlan plan;
  /* A memory plan that failed (RWX) is refused even though its fields look usable. */
  OSPolicy_StubMemoryRequest r = {.base = 0x400000u,
                                  .page_size = PAGE,
                                  .payload_size = 64,
                                  .write_protection = OSPOLICY_PROT_RW,
                                  .run_protection = OSPOLICY_PROT_ALL};
  OSPolicy_StubMemoryPlan failed;
  ck_assert_int_eq(OSPolicy_PlanStubMemory(&r, &failed), OSPOLICY_DENIED_RWX);
  ck_assert_int_eq(bundle_status(&failed, slots, 1, &plan), OSPOLICY_ERR_PLAN_NOT_OK);
  /* The required size is still reported: the slot list itself was fine. */
  ck_assert_uint_eq(plan.required_size, 8);
  /* A forged OK status on an RWX plan is refused by the re-check. */
  failed.status = OSPOLICY_OK;
  failed.total_size = PAGE;
  failed.page_count = 1;
  ck_assert_int_eq(bundle_status(&failed, slots, 1, &plan), OSPOLICY_ERR_PLAN_NOT_OK);
}
END_TEST

START_TEST(rejects_too_small_memory_plan) {
  OSPolicy_StubSlotRequest slots[] = {{COM1, 17}, {DESC, 1}};
  OSPolicy_StubBundlePlan plan;
  /* Needs 32 + 1 = 33 bytes: padding counts. */
  OSPolicy_StubMemoryPlan memory = memory_plan(32);
  ck_assert_int_eq(bundle_status(&memory, slots, 2, &plan), OSPOLICY_ERR_PLAN_TOO_SMALL);
  ck_assert_uint_eq(plan.required_size, 33);
  memory = memory_plan(33);
  ck_assert_int_eq(bundle_status(&memory, slots, 2, &plan), OSPOLICY_OK);
  ck_assert_uint_eq(plan.required_size, 33);
}
END_TEST

START_TEST(rejects_overflowing_slots) {
  OSPolicy_StubMemoryPlan memory = memory_plan(PAGE);
  OSPolicy_StubBundlePlan plan;
  /* Second slot's aligned start wraps. */
  OSPolicy_StubSlotRequest a[] = {{COM1, SIZE_MAX - 3}, {DESC, 1}};
  ck_assert_int_eq(bundle_status(&memory, a, 2, &plan), OSPOLICY_ERR_OVERFLOW);
  ck_assert_uint_eq(plan.error_index, 1);
  /* Aligned start fits, start + length wraps. */
  OSPolicy_StubSlotRequest b[] = {{FAULT, SIZE_MAX}, {COM1, 16}};
  ck_assert_int_eq(bundle_status(&memory, b, 2, &plan), OSPOLICY_ERR_OVERFLOW);
  ck_assert_uint_eq(plan.error_index, 0);
  /* A single huge slot does not wrap but cannot fit. */
  OSPolicy_StubSlotRequest c[] = {{COM1, SIZE_MAX}};
  ck_assert_int_eq(bundle_status(&memory, c, 1, &plan), OSPOLICY_ERR_PLAN_TOO_SMALL);
  ck_assert_uint_eq(plan.required_size, SIZE_MAX);
}
END_TEST

START_TEST(measure_reports_required_size) {
  OSPolicy_StubSlotRequest slots[] = {{FAULT, 2}, {COM1, 37}};
  OSPolicy_StubBundleRequest r = {.slots = slots, .slot_count = 2};
  size_t required = 1234;
  ck_assert_int_eq(OSPolicy_MeasureStubBundle(&r, &required), OSPOLICY_OK);
  ck_assert_uint_eq(required, 50); /* COM1 at 0..37, fault probe at 48..50 */
  slots[0].length = 0;
  ck_assert_int_eq(OSPolicy_MeasureStubBundle(&r, &required), OSPOLICY_ERR_ZERO_LENGTH_SLOT);
  ck_assert_uint_eq(required, 0);
  ck_assert_int_eq(OSPolicy_MeasureStubBundle(NULL, &required), OSPOLICY_ERR_NULL_ARGUMENT);
  ck_assert_int_eq(OSPolicy_MeasureStubBundle(&r, NULL), OSPOLICY_ERR_NULL_ARGUMENT);
}
END_TEST

START_TEST(null_arguments) {
  OSPolicy_StubMemoryPlan memory = memory_plan(PAGE);
  OSPolicy_StubSlotRequest slots[] = {{COM1, 8}};
  OSPolicy_StubBundleRequest r = {.slots = slots, .slot_count = 1};
  OSPolicy_StubBundlePlan plan;
  memset(&plan, 0x5A, sizeof plan);
  ck_assert_int_eq(OSPolicy_PlanStubBundle(NULL, &r, &plan), OSPOLICY_ERR_NULL_ARGUMENT);
  ck_assert_int_eq(plan.status, OSPOLICY_ERR_NULL_ARGUMENT);
  ck_assert_uint_eq(plan.slot_count, 0);
  memset(&plan, 0x5A, sizeof plan);
  ck_assert_int_eq(OSPolicy_PlanStubBundle(&memory, NULL, &plan), OSPOLICY_ERR_NULL_ARGUMENT);
  ck_assert_int_eq(plan.status, OSPOLICY_ERR_NULL_ARGUMENT);
  ck_assert_int_eq(OSPolicy_PlanStubBundle(&memory, &r, NULL), OSPOLICY_ERR_NULL_ARGUMENT);
  OSPolicy_StubBundleRequest no_slots = {.slots = NULL, .slot_count = 1};
  ck_assert_int_eq(bundle_status(&memory, NULL, 1, &plan), OSPOLICY_ERR_NULL_ARGUMENT);
  ck_assert_int_eq(OSPolicy_PlanStubBundle(&memory, &no_slots, &plan), OSPOLICY_ERR_NULL_ARGUMENT);
  ck_assert_int_eq(OSPolicy_CheckStubBundlePlan(NULL), OSPOLICY_ERR_NULL_ARGUMENT);
}
END_TEST

START_TEST(zero_result_is_not_success) {
  OSPolicy_StubBundlePlan zero;
  memset(&zero, 0, sizeof zero);
  ck_assert_int_ne(zero.status, OSPOLICY_OK);
  ck_assert_int_eq(OSPolicy_CheckStubBundlePlan(&zero), OSPOLICY_ERR_PLAN_NOT_OK);
  zero.status = OSPOLICY_OK; /* an OK label on zero fields is still refused */
  ck_assert_int_eq(OSPolicy_CheckStubBundlePlan(&zero), OSPOLICY_ERR_PLAN_NOT_OK);
  /* A zero memory plan is a failed memory plan. */
  OSPolicy_StubMemoryPlan zero_memory;
  memset(&zero_memory, 0, sizeof zero_memory);
  OSPolicy_StubSlotRequest slots[] = {{COM1, 8}};
  OSPolicy_StubBundlePlan plan;
  ck_assert_int_eq(bundle_status(&zero_memory, slots, 1, &plan), OSPOLICY_ERR_PLAN_NOT_OK);
}
END_TEST

START_TEST(check_refuses_forged_plans) {
  OSPolicy_StubMemoryPlan memory = memory_plan(128);
  OSPolicy_StubSlotRequest slots[] = {{COM1, 20}, {FAULT, 2}};
  OSPolicy_StubBundlePlan plan;
  ck_assert_int_eq(bundle_status(&memory, slots, 2, &plan), OSPOLICY_OK);

  OSPolicy_StubBundlePlan forged = plan;
  forged.slots[1].offset = 20; /* unaligned, overlaps padding rule */
  ck_assert_int_eq(OSPolicy_CheckStubBundlePlan(&forged), OSPOLICY_ERR_PLAN_NOT_OK);
  forged = plan;
  forged.slots[0].length = 200; /* beyond the payload */
  forged.required_size = 210;
  ck_assert_int_eq(OSPolicy_CheckStubBundlePlan(&forged), OSPOLICY_ERR_PLAN_NOT_OK);
  forged = plan;
  forged.slots[1].id = COM1; /* duplicate */
  ck_assert_int_eq(OSPolicy_CheckStubBundlePlan(&forged), OSPOLICY_ERR_PLAN_NOT_OK);
  forged = plan;
  forged.slots[2] = (OSPolicy_StubSlotPlan){.id = DESC, .offset = 64, .length = 4}; /* hidden */
  ck_assert_int_eq(OSPolicy_CheckStubBundlePlan(&forged), OSPOLICY_ERR_PLAN_NOT_OK);
  forged = plan;
  forged.memory.run_protection = OSPOLICY_PROT_ALL;
  ck_assert_int_eq(OSPolicy_CheckStubBundlePlan(&forged), OSPOLICY_ERR_PLAN_NOT_OK);
  forged = plan;
  forged.slot_count = 4;
  ck_assert_int_eq(OSPolicy_CheckStubBundlePlan(&forged), OSPOLICY_ERR_PLAN_NOT_OK);
}
END_TEST

Suite *stub_bundle_suite(void);
Suite *stub_bundle_suite(void) {
  Suite *suite = suite_create("stub_bundle");
  TCase *tc = tcase_create("plan");
  tcase_add_test(tc, packs_slots_by_id_at_16_byte_alignment);
  tcase_add_test(tc, offsets_do_not_depend_on_request_order);
  tcase_add_test(tc, find_slot_and_names);
  tcase_add_test(tc, rejects_duplicate_slot);
  tcase_add_test(tc, rejects_unknown_slot);
  tcase_add_test(tc, rejects_zero_length_slot);
  tcase_add_test(tc, rejects_empty_and_oversized_slot_lists);
  tcase_add_test(tc, rejects_failed_memory_plan);
  tcase_add_test(tc, rejects_too_small_memory_plan);
  tcase_add_test(tc, rejects_overflowing_slots);
  tcase_add_test(tc, measure_reports_required_size);
  tcase_add_test(tc, null_arguments);
  tcase_add_test(tc, zero_result_is_not_success);
  tcase_add_test(tc, check_refuses_forged_plans);
  suite_add_tcase(suite, tc);
  return suite;
}
