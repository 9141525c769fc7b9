/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * Transition-plan tests (plan tests: nothing here changes a real page
 * protection; tests/live/test_stub_lifecycle.c does that). The memory is a
 * page-aligned static buffer so the payload can really be materialized.
 */
#include <check.h>
#include <stdalign.h>
#include <stdint.h>
#include <string.h>

#include "fake_oshost.h"
#include "ospolicy/pal.h"
#include "ospolicy/stub_transition.h"

enum { PAGE = 4096, OFFSET = 32, PAYLOAD = 5000 }; /* payload spans both pages */

static alignas(PAGE) unsigned char pages[3 * PAGE];
static unsigned char staging[OFFSET + PAYLOAD];
static const unsigned char stub[] = {0xB8, 0x2A, 0x00, 0x00, 0x00, 0xC3}; /* mov eax, 42; ret */

typedef struct fixture {
  OSPolicy_StubMemoryPlan memory;
  OSPolicy_StubBundlePlan bundle;
  OSPolicy_StubMaterializeResult materialized;
} fixture;

static void setup(fixture *f) {
  OSPolicy_StubMemoryRequest mr = {.base = (uintptr_t)pages,
                                   .page_size = PAGE,
                                   .payload_offset = OFFSET,
                                   .payload_size = PAYLOAD,
                                   .write_protection = OSPOLICY_PROT_RW,
                                   .run_protection = OSPOLICY_PROT_RX};
  ck_assert_int_eq(OSPolicy_PlanStubMemory(&mr, &f->memory), OSPOLICY_OK);
  ck_assert_uint_eq(f->memory.total_size, 2 * PAGE);
  OSPolicy_StubSlotRequest slots[] = {{OSPOLICY_STUB_SLOT_FAULT_PROBE, sizeof stub}};
  OSPolicy_StubBundleRequest br = {.slots = slots, .slot_count = 1};
  ck_assert_int_eq(OSPolicy_PlanStubBundle(&f->memory, &br, &f->bundle), OSPOLICY_OK);
  OSPolicy_StubSource source = {OSPOLICY_STUB_SLOT_FAULT_PROBE, stub, sizeof stub};
  OSPolicy_StubMaterializeRequest r = {.bundle = &f->bundle,
                                       .sources = &source,
                                       .source_count = 1,
                                       .destination = pages,
                                       .destination_size = f->memory.total_size,
                                       .payload_base_offset = f->memory.payload_offset};
  ck_assert_int_eq(OSPolicy_MaterializeStubBundle(&r, &f->materialized), OSPOLICY_OK);
}

static OSPolicy_StubTransitionRequest request(const fixture *f) {
  return (OSPolicy_StubTransitionRequest){.memory = &f->memory,
                                          .materialized = &f->materialized,
                                          .base = f->memory.base,
                                          .size = f->memory.total_size,
                                          .from = OSPOLICY_PROT_RW,
                                          .to = OSPOLICY_PROT_RX};
}

/* Plans into a poisoned struct; on error checks the plan is fully written
 * with a zero (never OK) protection plan. */
static OSPolicy_Status transition_status(OSPolicy_StubTransitionRequest r) {
  OSPolicy_StubTransitionPlan plan;
  memset(&plan, 0x5A, sizeof plan);
  OSPolicy_Status status = OSPolicy_PlanStubTransition(&r, &plan);
  ck_assert_int_eq(plan.status, status);
  if (status != OSPOLICY_OK) {
    ck_assert_int_eq(plan.protection.status, OSPOLICY_STATUS_UNSET);
    ck_assert_uint_eq(plan.protection.size, 0);
    ck_assert_uint_eq(plan.payload_address, 0);
    ck_assert_int_eq(OSPolicy_CheckStubTransitionPlan(&plan), OSPOLICY_ERR_PLAN_NOT_OK);
  }
  return status;
}

START_TEST(plans_seal_exec_for_materialized_payload) {
  fixture f;
  setup(&f);
  OSPolicy_StubTransitionRequest r = request(&f);
  OSPolicy_StubTransitionPlan plan;
  ck_assert_int_eq(OSPolicy_PlanStubTransition(&r, &plan), OSPOLICY_OK);
  ck_assert_int_eq(plan.status, OSPOLICY_OK);
  ck_assert_int_eq(plan.protection.status, OSPOLICY_OK);
  ck_assert_int_eq(plan.protection.transition, OSPOLICY_TRANSITION_SEAL_EXEC);
  ck_assert_uint_eq(plan.protection.base, (uintptr_t)pages);
  ck_assert_uint_eq(plan.protection.size, 2 * PAGE);
  ck_assert_uint_eq(plan.protection.page_count, 2);
  ck_assert_uint_eq(plan.protection.page_size, PAGE);
  ck_assert_uint_eq(plan.protection.from, OSPOLICY_PROT_RW);
  ck_assert_uint_eq(plan.protection.to, OSPOLICY_PROT_RX);
  ck_assert_uint_eq(plan.payload_address, (uintptr_t)pages + OFFSET);
  ck_assert_uint_eq(plan.payload_size, PAYLOAD);
  ck_assert_int_eq(OSPolicy_CheckStubTransitionPlan(&plan), OSPOLICY_OK);
  ck_assert_int_eq(OSPolicy_CheckPageProtectionPlan(&plan.protection), OSPOLICY_OK);
  /* Every byte of the range to be sealed RX is the stub or an int3 trap. */
  const unsigned char *sealed = (const unsigned char *)plan.protection.base;
  for (size_t i = 0; i < plan.protection.size; i++) {
    if (i >= OFFSET && i < OFFSET + sizeof stub) {
      ck_assert_uint_eq(sealed[i], stub[i - OFFSET]);
    } else {
      ck_assert_uint_eq(sealed[i], OSPOLICY_STUB_TRAP_BYTE);
    }
  }
  ck_assert_uint_eq(f.materialized.written_address, plan.protection.base);
  ck_assert_uint_eq(f.materialized.written_size, plan.protection.size);
  /* The page after the plan was never written. */
  for (size_t i = 2 * PAGE; i < sizeof pages; i++) {
    ck_assert_uint_eq(pages[i], 0);
  }
}
END_TEST

START_TEST(protection_plan_is_accepted_by_the_pal_wrapper) {
  fixture f;
  setup(&f);
  fake_oshost_reset();
  OSPolicy_StubTransitionRequest r = request(&f);
  OSPolicy_StubTransitionPlan plan;
  ck_assert_int_eq(OSPolicy_PlanStubTransition(&r, &plan), OSPOLICY_OK);
  ck_assert_int_eq(OSPolicy_PalProtectPages(&plan.protection), OSPOLICY_OK);
  ck_assert_uint_eq(fake_host.protect_calls, 1);
  ck_assert_ptr_eq(fake_host.last_protect_base, (void *)plan.protection.base);
  ck_assert_uint_eq(fake_host.last_protect_size, plan.protection.size);
  ck_assert_uint_eq(fake_host.last_protect_to, OSPOLICY_PROT_RX);
}
END_TEST

START_TEST(rejects_rwx) {
  fixture f;
  setup(&f);
  OSPolicy_StubTransitionRequest r = request(&f);
  r.to = OSPOLICY_PROT_ALL;
  ck_assert_int_eq(transition_status(r), OSPOLICY_DENIED_RWX);
  r = request(&f);
  r.from = OSPOLICY_PROT_ALL;
  ck_assert_int_eq(transition_status(r), OSPOLICY_DENIED_RWX);
}
END_TEST

START_TEST(requires_write_then_execute) {
  fixture f;
  setup(&f);
  uint32_t pairs[][2] = {{OSPOLICY_PROT_RX, OSPOLICY_PROT_RX},
                         {OSPOLICY_PROT_RW, OSPOLICY_PROT_READ},
                         {OSPOLICY_PROT_READ, OSPOLICY_PROT_RX},
                         {OSPOLICY_PROT_RX, OSPOLICY_PROT_RW},
                         {OSPOLICY_PROT_RW, OSPOLICY_PROT_RW}};
  for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
    OSPolicy_StubTransitionRequest r = request(&f);
    r.from = pairs[i][0];
    r.to = pairs[i][1];
    ck_assert_int_eq(transition_status(r), OSPOLICY_DENIED_NOT_WRITE_THEN_EXECUTE);
  }
}
END_TEST

START_TEST(rejects_unknown_or_unreadable_protection) {
  fixture f;
  setup(&f);
  OSPolicy_StubTransitionRequest r = request(&f);
  r.to = OSPOLICY_PROT_EXEC;
  ck_assert_int_eq(transition_status(r), OSPOLICY_ERR_BAD_PROTECTION);
  r = request(&f);
  r.from = OSPOLICY_PROT_RW | 0x10u;
  ck_assert_int_eq(transition_status(r), OSPOLICY_ERR_BAD_PROTECTION);
  r = request(&f);
  r.from = 0;
  ck_assert_int_eq(transition_status(r), OSPOLICY_ERR_BAD_PROTECTION);
}
END_TEST

START_TEST(requires_successful_materialization) {
  fixture f;
  setup(&f);
  OSPolicy_StubTransitionRequest r = request(&f);
  /* A failed materialization (as the materializer writes it). */
  OSPolicy_StubSource short_source = {OSPOLICY_STUB_SLOT_FAULT_PROBE, stub, 1};
  OSPolicy_StubMaterializeRequest mr = {.bundle = &f.bundle,
                                        .sources = &short_source,
                                        .source_count = 1,
                                        .destination = pages,
                                        .destination_size = f.memory.total_size,
                                        .payload_base_offset = OFFSET};
  OSPolicy_StubMaterializeResult failed;
  ck_assert_int_eq(OSPolicy_MaterializeStubBundle(&mr, &failed), OSPOLICY_ERR_SOURCE_TOO_SMALL);
  r.materialized = &failed;
  ck_assert_int_eq(transition_status(r), OSPOLICY_ERR_NOT_MATERIALIZED);
  /* Materialized successfully, but into a staging buffer, not this memory. */
  OSPolicy_StubSource source = {OSPOLICY_STUB_SLOT_FAULT_PROBE, stub, sizeof stub};
  mr.sources = &source;
  mr.destination = staging;
  mr.destination_size = sizeof staging;
  OSPolicy_StubMaterializeResult elsewhere;
  ck_assert_int_eq(OSPolicy_MaterializeStubBundle(&mr, &elsewhere), OSPOLICY_OK);
  r.materialized = &elsewhere;
  ck_assert_int_eq(transition_status(r), OSPOLICY_ERR_NOT_MATERIALIZED);
  /* Right address, wrong size (still a consistent result on its own). */
  OSPolicy_StubMaterializeResult resized = f.materialized;
  resized.payload_size -= 16;
  ck_assert_int_eq(OSPolicy_CheckStubMaterializeResult(&resized), OSPOLICY_OK);
  r.materialized = &resized;
  ck_assert_int_eq(transition_status(r), OSPOLICY_ERR_NOT_MATERIALIZED);
  /* Status forged to OK on a failed result. */
  failed.status = OSPOLICY_OK;
  r.materialized = &failed;
  ck_assert_int_eq(transition_status(r), OSPOLICY_ERR_NOT_MATERIALIZED);
}
END_TEST

START_TEST(requires_the_whole_pages_written) {
  fixture f;
  setup(&f);
  OSPolicy_StubTransitionRequest r = request(&f);
  /* A real result with the payload at the planned address, written from a
   * destination at the payload start: not in place, so the prefix and the
   * page tail were not trapped. It must never be sealed. */
  OSPolicy_StubSource source = {OSPOLICY_STUB_SLOT_FAULT_PROBE, stub, sizeof stub};
  OSPolicy_StubMaterializeRequest mr = {.bundle = &f.bundle,
                                        .sources = &source,
                                        .source_count = 1,
                                        .destination = pages + OFFSET,
                                        .destination_size = PAYLOAD,
                                        .payload_base_offset = 0};
  OSPolicy_StubMaterializeResult payload_only;
  ck_assert_int_eq(OSPolicy_MaterializeStubBundle(&mr, &payload_only), OSPOLICY_OK);
  ck_assert_uint_eq(payload_only.payload_address, f.materialized.payload_address);
  ck_assert_uint_eq(payload_only.payload_size, f.materialized.payload_size);
  ck_assert_uint_eq(payload_only.written_size, PAYLOAD);
  r.materialized = &payload_only;
  ck_assert_int_eq(transition_status(r), OSPOLICY_ERR_NOT_MATERIALIZED);
  /* ... also when only the first page (payload start) would be sealed. */
  r.size = PAGE;
  ck_assert_int_eq(transition_status(r), OSPOLICY_ERR_NOT_MATERIALIZED);
  /* Consistent forgeries that claim less than the whole pages. */
  OSPolicy_StubMaterializeResult forged = f.materialized;
  forged.written_size -= PAGE; /* only the first page, payload spills over */
  forged.bytes_trapped -= PAGE;
  r = request(&f);
  r.materialized = &forged;
  ck_assert_int_eq(transition_status(r), OSPOLICY_ERR_NOT_MATERIALIZED);
  forged = f.materialized;
  forged.written_address += OFFSET; /* starts at the payload: prefix not written */
  forged.written_size -= OFFSET;
  forged.bytes_trapped -= OFFSET;
  ck_assert_int_eq(OSPolicy_CheckStubMaterializeResult(&forged), OSPOLICY_OK);
  ck_assert_int_eq(transition_status(r), OSPOLICY_ERR_NOT_MATERIALIZED);
  forged = f.materialized;
  forged.written_size += PAGE; /* claims more than the plan's pages */
  forged.bytes_trapped += PAGE;
  ck_assert_int_eq(OSPolicy_CheckStubMaterializeResult(&forged), OSPOLICY_OK);
  ck_assert_int_eq(transition_status(r), OSPOLICY_ERR_NOT_MATERIALIZED);
}
END_TEST

START_TEST(rejects_failed_memory_plan) {
  fixture f;
  setup(&f);
  OSPolicy_StubTransitionRequest r = request(&f);
  OSPolicy_StubMemoryPlan failed = f.memory;
  failed.status = OSPOLICY_ERR_OVERFLOW;
  r.memory = &failed;
  ck_assert_int_eq(transition_status(r), OSPOLICY_ERR_PLAN_NOT_OK);
  failed = f.memory;
  failed.run_protection = OSPOLICY_PROT_ALL; /* forged: OK label on an RWX plan */
  ck_assert_int_eq(transition_status(r), OSPOLICY_ERR_PLAN_NOT_OK);
}
END_TEST

START_TEST(rejects_empty_and_unaligned_ranges) {
  fixture f;
  setup(&f);
  OSPolicy_StubTransitionRequest r = request(&f);
  r.size = 0;
  ck_assert_int_eq(transition_status(r), OSPOLICY_ERR_EMPTY_RANGE);
  r = request(&f);
  r.base += OFFSET; /* the payload address itself is not a page boundary */
  r.size = PAGE;
  ck_assert_int_eq(transition_status(r), OSPOLICY_ERR_UNALIGNED);
  r = request(&f);
  r.size = PAGE + 1;
  ck_assert_int_eq(transition_status(r), OSPOLICY_ERR_UNALIGNED);
  r = request(&f);
  r.size = OFFSET + PAYLOAD; /* exactly the payload end, not a page multiple */
  ck_assert_int_eq(transition_status(r), OSPOLICY_ERR_UNALIGNED);
}
END_TEST

START_TEST(rejects_ranges_outside_the_memory_plan) {
  fixture f;
  setup(&f);
  OSPolicy_StubTransitionRequest r = request(&f);
  r.size = 3 * PAGE; /* one page past the plan (the buffer has it, the plan does not) */
  ck_assert_int_eq(transition_status(r), OSPOLICY_ERR_OUT_OF_RANGE);
  r = request(&f);
  r.base -= PAGE; /* starts before the plan */
  ck_assert_int_eq(transition_status(r), OSPOLICY_ERR_OUT_OF_RANGE);
  r = request(&f);
  r.size = PAGE; /* inside the plan but leaves the payload's second half writable */
  ck_assert_int_eq(transition_status(r), OSPOLICY_ERR_OUT_OF_RANGE);
  r = request(&f);
  r.base += PAGE; /* second page only: misses the payload start */
  r.size = PAGE;
  ck_assert_int_eq(transition_status(r), OSPOLICY_ERR_OUT_OF_RANGE);
}
END_TEST

START_TEST(rejects_overflowing_ranges) {
  fixture f;
  setup(&f);
  OSPolicy_StubTransitionRequest r = request(&f);
  r.base = UINTPTR_MAX - (uintptr_t)PAGE + 1u; /* last page: base + 2 pages wraps */
  ck_assert_int_eq(transition_status(r), OSPOLICY_ERR_OVERFLOW);
  r = request(&f);
  r.size = SIZE_MAX - PAGE + 1; /* page aligned, wraps from any non-zero base */
  ck_assert_int_eq(transition_status(r), OSPOLICY_ERR_OVERFLOW);
}
END_TEST

START_TEST(check_order_is_documented_order) {
  fixture f;
  setup(&f);
  OSPolicy_StubMaterializeResult zero;
  memset(&zero, 0, sizeof zero);
  OSPolicy_StubTransitionRequest r = request(&f);
  r.to = OSPOLICY_PROT_ALL;
  r.materialized = &zero;
  r.size = 0;
  ck_assert_int_eq(transition_status(r), OSPOLICY_DENIED_RWX);
  r.to = OSPOLICY_PROT_RX;
  ck_assert_int_eq(transition_status(r), OSPOLICY_ERR_NOT_MATERIALIZED);
  r.materialized = &f.materialized;
  ck_assert_int_eq(transition_status(r), OSPOLICY_ERR_EMPTY_RANGE);
}
END_TEST

START_TEST(null_arguments) {
  fixture f;
  setup(&f);
  OSPolicy_StubTransitionRequest r = request(&f);
  OSPolicy_StubTransitionPlan plan;
  ck_assert_int_eq(OSPolicy_PlanStubTransition(&r, NULL), OSPOLICY_ERR_NULL_ARGUMENT);
  memset(&plan, 0x5A, sizeof plan);
  ck_assert_int_eq(OSPolicy_PlanStubTransition(NULL, &plan), OSPOLICY_ERR_NULL_ARGUMENT);
  ck_assert_int_eq(plan.status, OSPOLICY_ERR_NULL_ARGUMENT);
  ck_assert_int_eq(plan.protection.status, OSPOLICY_STATUS_UNSET);
  r.memory = NULL;
  ck_assert_int_eq(transition_status(r), OSPOLICY_ERR_NULL_ARGUMENT);
  r = request(&f);
  r.materialized = NULL;
  ck_assert_int_eq(transition_status(r), OSPOLICY_ERR_NULL_ARGUMENT);
  ck_assert_int_eq(OSPolicy_CheckStubTransitionPlan(NULL), OSPOLICY_ERR_NULL_ARGUMENT);
}
END_TEST

START_TEST(zero_result_is_not_success) {
  OSPolicy_StubTransitionPlan zero;
  memset(&zero, 0, sizeof zero);
  ck_assert_int_ne(zero.status, OSPOLICY_OK);
  ck_assert_int_eq(OSPolicy_CheckStubTransitionPlan(&zero), OSPOLICY_ERR_PLAN_NOT_OK);
  /* The PAL wrapper refuses the zero embedded plan before the backend runs. */
  fake_oshost_reset();
  ck_assert_int_eq(OSPolicy_PalProtectPages(&zero.protection), OSPOLICY_ERR_PLAN_NOT_OK);
  ck_assert_uint_eq(fake_host.protect_calls, 0);
  /* A zero memory plan and a zero materialize result are refused as inputs. */
  fixture f;
  setup(&f);
  OSPolicy_StubMemoryPlan zero_memory;
  memset(&zero_memory, 0, sizeof zero_memory);
  OSPolicy_StubTransitionRequest r = request(&f);
  r.memory = &zero_memory;
  ck_assert_int_eq(transition_status(r), OSPOLICY_ERR_PLAN_NOT_OK);
  OSPolicy_StubMaterializeResult zero_result;
  memset(&zero_result, 0, sizeof zero_result);
  r = request(&f);
  r.materialized = &zero_result;
  ck_assert_int_eq(transition_status(r), OSPOLICY_ERR_NOT_MATERIALIZED);
}
END_TEST

START_TEST(check_refuses_forged_plans) {
  fixture f;
  setup(&f);
  OSPolicy_StubTransitionRequest r = request(&f);
  OSPolicy_StubTransitionPlan plan;
  ck_assert_int_eq(OSPolicy_PlanStubTransition(&r, &plan), OSPOLICY_OK);
  OSPolicy_StubTransitionPlan forged = plan;
  forged.protection.to = OSPOLICY_PROT_ALL;
  ck_assert_int_eq(OSPolicy_CheckStubTransitionPlan(&forged), OSPOLICY_ERR_PLAN_NOT_OK);
  forged = plan;
  forged.protection.to = OSPOLICY_PROT_READ; /* a valid page plan, but not seal-exec */
  forged.protection.transition = OSPOLICY_TRANSITION_SEAL_READONLY;
  ck_assert_int_eq(OSPolicy_CheckPageProtectionPlan(&forged.protection), OSPOLICY_OK);
  ck_assert_int_eq(OSPolicy_CheckStubTransitionPlan(&forged), OSPOLICY_ERR_PLAN_NOT_OK);
  forged = plan;
  forged.payload_address += 2 * PAGE; /* payload outside the sealed range */
  ck_assert_int_eq(OSPolicy_CheckStubTransitionPlan(&forged), OSPOLICY_ERR_PLAN_NOT_OK);
  forged = plan;
  forged.payload_size = 0;
  ck_assert_int_eq(OSPolicy_CheckStubTransitionPlan(&forged), OSPOLICY_ERR_PLAN_NOT_OK);
}
END_TEST

Suite *stub_transition_suite(void);
Suite *stub_transition_suite(void) {
  Suite *suite = suite_create("stub_transition");
  TCase *tc = tcase_create("plan");
  tcase_add_test(tc, plans_seal_exec_for_materialized_payload);
  tcase_add_test(tc, protection_plan_is_accepted_by_the_pal_wrapper);
  tcase_add_test(tc, rejects_rwx);
  tcase_add_test(tc, requires_write_then_execute);
  tcase_add_test(tc, rejects_unknown_or_unreadable_protection);
  tcase_add_test(tc, requires_successful_materialization);
  tcase_add_test(tc, requires_the_whole_pages_written);
  tcase_add_test(tc, rejects_failed_memory_plan);
  tcase_add_test(tc, rejects_empty_and_unaligned_ranges);
  tcase_add_test(tc, rejects_ranges_outside_the_memory_plan);
  tcase_add_test(tc, rejects_overflowing_ranges);
  tcase_add_test(tc, check_order_is_documented_order);
  tcase_add_test(tc, null_arguments);
  tcase_add_test(tc, zero_result_is_not_success);
  tcase_add_test(tc, check_refuses_forged_plans);
  suite_add_tcase(suite, tc);
  return suite;
}
