/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * Materializer tests. The destination is a buffer with GUARD canary bytes
 * before and after the payload region (both inside destination_size), so a
 * write outside the plan shows up as a broken canary, and a refused call must
 * leave the whole buffer byte-for-byte as it was.
 */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "ospolicy/stub_materializer.h"

enum { PAGE = 4096, GUARD = 64, PAYLOAD = 96, BUFFER = GUARD + PAYLOAD + GUARD };
enum {
  COM1 = OSPOLICY_STUB_SLOT_COM1_WRITER,
  DESC = OSPOLICY_STUB_SLOT_DESCRIPTOR_READER,
  FAULT = OSPOLICY_STUB_SLOT_FAULT_PROBE
};
#define CANARY 0xA5u
#define STALE 0x5Au /* what the payload region held before */

static const unsigned char com1_code[37] = {0xB8, 0x01, 0x02, 0x03, 0x04, 0xC3, [36] = 0xC3};
static const unsigned char desc_code[16] = {0x0F, 0x01, 0x07, 0xC3, [15] = 0x90};
static const unsigned char fault_code[2] = {0x0F, 0x0B}; /* ud2 */

typedef struct fixture {
  OSPolicy_StubMemoryPlan memory;
  OSPolicy_StubBundlePlan bundle;
  OSPolicy_StubSource sources[3];
  unsigned char buffer[BUFFER];
  unsigned char snapshot[BUFFER];
} fixture;

/* COM1 writer at 0..37, descriptor reader at 48..64, fault probe at 64..66. */
static void setup(fixture *f) {
  OSPolicy_StubMemoryRequest mr = {.base = 0x400000u,
                                   .page_size = PAGE,
                                   .payload_size = PAYLOAD,
                                   .write_protection = OSPOLICY_PROT_RW,
                                   .run_protection = OSPOLICY_PROT_RX};
  ck_assert_int_eq(OSPolicy_PlanStubMemory(&mr, &f->memory), OSPOLICY_OK);
  OSPolicy_StubSlotRequest slots[] = {{FAULT, sizeof fault_code},
                                      {COM1, sizeof com1_code},
                                      {DESC, sizeof desc_code}};
  OSPolicy_StubBundleRequest br = {.slots = slots, .slot_count = 3};
  ck_assert_int_eq(OSPolicy_PlanStubBundle(&f->memory, &br, &f->bundle), OSPOLICY_OK);
  f->sources[0] = (OSPolicy_StubSource){DESC, desc_code, sizeof desc_code};
  f->sources[1] = (OSPolicy_StubSource){FAULT, fault_code, sizeof fault_code};
  f->sources[2] = (OSPolicy_StubSource){COM1, com1_code, sizeof com1_code};
  memset(f->buffer, CANARY, sizeof f->buffer);
  memset(f->buffer + GUARD, STALE, PAYLOAD);
  memcpy(f->snapshot, f->buffer, sizeof f->buffer);
}

static OSPolicy_StubMaterializeRequest request(fixture *f) {
  return (OSPolicy_StubMaterializeRequest){.bundle = &f->bundle,
                                           .sources = f->sources,
                                           .source_count = 3,
                                           .destination = f->buffer,
                                           .destination_size = sizeof f->buffer,
                                           .payload_base_offset = GUARD};
}

/* Materializes into a poisoned result; on error checks the result is fully
 * written and the destination was not touched at all. */
static OSPolicy_Status materialize(fixture *f, const OSPolicy_StubMaterializeRequest *r,
                                   OSPolicy_StubMaterializeResult *result) {
  memset(result, 0x5A, sizeof *result);
  OSPolicy_Status status = OSPolicy_MaterializeStubBundle(r, result);
  ck_assert_int_eq(result->status, status);
  if (status != OSPOLICY_OK) {
    ck_assert_uint_eq(result->payload_address, 0);
    ck_assert_uint_eq(result->payload_size, 0);
    ck_assert_uint_eq(result->bytes_copied, 0);
    ck_assert_uint_eq(result->bytes_trapped, 0);
    ck_assert_uint_eq(result->slot_count, 0);
    ck_assert_int_eq(memcmp(f->buffer, f->snapshot, sizeof f->buffer), 0);
    ck_assert_int_eq(OSPolicy_CheckStubMaterializeResult(result), OSPOLICY_ERR_PLAN_NOT_OK);
  }
  return status;
}

static void assert_guards_intact(const fixture *f) {
  for (size_t i = 0; i < GUARD; i++) {
    ck_assert_uint_eq(f->buffer[i], CANARY);
    ck_assert_uint_eq(f->buffer[GUARD + PAYLOAD + i], CANARY);
  }
}

START_TEST(writes_stubs_at_planned_offsets_and_traps_the_rest) {
  fixture f;
  setup(&f);
  OSPolicy_StubMaterializeRequest r = request(&f);
  OSPolicy_StubMaterializeResult result;
  ck_assert_int_eq(materialize(&f, &r, &result), OSPOLICY_OK);
  ck_assert_uint_eq(result.payload_address, (uintptr_t)(f.buffer + GUARD));
  ck_assert_uint_eq(result.payload_size, PAYLOAD);
  ck_assert_uint_eq(result.bytes_copied, 37 + 16 + 2);
  ck_assert_uint_eq(result.bytes_trapped, PAYLOAD - (37 + 16 + 2));
  ck_assert_uint_eq(result.slot_count, 3);
  ck_assert_uint_eq(result.error_index, OSPOLICY_STUB_NO_INDEX);
  ck_assert_int_eq(OSPolicy_CheckStubMaterializeResult(&result), OSPOLICY_OK);

  const unsigned char *payload = f.buffer + GUARD;
  ck_assert_int_eq(memcmp(payload + 0, com1_code, sizeof com1_code), 0);
  ck_assert_int_eq(memcmp(payload + 48, desc_code, sizeof desc_code), 0);
  ck_assert_int_eq(memcmp(payload + 64, fault_code, sizeof fault_code), 0);
  for (size_t i = 37; i < 48; i++) {
    ck_assert_uint_eq(payload[i], OSPOLICY_STUB_TRAP_BYTE); /* gap after COM1 */
  }
  for (size_t i = 66; i < PAYLOAD; i++) {
    ck_assert_uint_eq(payload[i], OSPOLICY_STUB_TRAP_BYTE); /* tail */
  }
  assert_guards_intact(&f);
}
END_TEST

START_TEST(copies_only_planned_length_from_larger_sources) {
  fixture f;
  setup(&f);
  unsigned char big[200];
  memset(big, 0x90, sizeof big);
  big[1] = 0x0B;
  f.sources[1] = (OSPolicy_StubSource){FAULT, big, sizeof big};
  OSPolicy_StubMaterializeRequest r = request(&f);
  OSPolicy_StubMaterializeResult result;
  ck_assert_int_eq(materialize(&f, &r, &result), OSPOLICY_OK);
  const unsigned char *payload = f.buffer + GUARD;
  ck_assert_uint_eq(payload[64], 0x90);
  ck_assert_uint_eq(payload[65], 0x0B);
  ck_assert_uint_eq(payload[66], OSPOLICY_STUB_TRAP_BYTE);
  assert_guards_intact(&f);
}
END_TEST

START_TEST(payload_exactly_fills_destination) {
  fixture f;
  setup(&f);
  OSPolicy_StubMaterializeRequest r = request(&f);
  r.destination_size = GUARD + PAYLOAD; /* no room to spare */
  OSPolicy_StubMaterializeResult result;
  ck_assert_int_eq(materialize(&f, &r, &result), OSPOLICY_OK);
  assert_guards_intact(&f);
  /* Offset 0 into a destination that starts at the payload. */
  setup(&f);
  r = request(&f);
  r.destination = f.buffer + GUARD;
  r.destination_size = PAYLOAD;
  r.payload_base_offset = 0;
  ck_assert_int_eq(materialize(&f, &r, &result), OSPOLICY_OK);
  ck_assert_uint_eq(result.payload_address, (uintptr_t)(f.buffer + GUARD));
  assert_guards_intact(&f);
}
END_TEST

START_TEST(rejects_failed_bundle_plan) {
  fixture f;
  setup(&f);
  OSPolicy_StubMaterializeRequest r = request(&f);
  OSPolicy_StubMaterializeResult result;
  OSPolicy_StubBundlePlan failed = f.bundle;
  failed.status = OSPOLICY_ERR_PLAN_TOO_SMALL;
  r.bundle = &failed;
  ck_assert_int_eq(materialize(&f, &r, &result), OSPOLICY_ERR_PLAN_NOT_OK);
  /* A forged plan that moves a slot outside the payload is refused too. */
  OSPolicy_StubBundlePlan forged = f.bundle;
  forged.slots[2].offset = PAYLOAD + GUARD - 2;
  r.bundle = &forged;
  ck_assert_int_eq(materialize(&f, &r, &result), OSPOLICY_ERR_PLAN_NOT_OK);
  /* A real failed plan from the planner (duplicate slot). */
  OSPolicy_StubSlotRequest dup[] = {{COM1, 4}, {COM1, 4}};
  OSPolicy_StubBundleRequest br = {.slots = dup, .slot_count = 2};
  ck_assert_int_eq(OSPolicy_PlanStubBundle(&f.memory, &br, &failed), OSPOLICY_ERR_DUPLICATE_SLOT);
  r.bundle = &failed;
  ck_assert_int_eq(materialize(&f, &r, &result), OSPOLICY_ERR_PLAN_NOT_OK);
}
END_TEST

START_TEST(rejects_undersized_source) {
  fixture f;
  setup(&f);
  f.sources[2].length = sizeof com1_code - 1; /* COM1 source one byte short */
  OSPolicy_StubMaterializeRequest r = request(&f);
  OSPolicy_StubMaterializeResult result;
  ck_assert_int_eq(materialize(&f, &r, &result), OSPOLICY_ERR_SOURCE_TOO_SMALL);
  ck_assert_uint_eq(result.error_index, 2);
  ck_assert_uint_eq(result.error_slot, COM1);
  f.sources[2].length = 0;
  ck_assert_int_eq(materialize(&f, &r, &result), OSPOLICY_ERR_SOURCE_TOO_SMALL);
}
END_TEST

START_TEST(rejects_missing_source) {
  fixture f;
  setup(&f);
  OSPolicy_StubMaterializeRequest r = request(&f);
  r.source_count = 2; /* COM1 source left out */
  OSPolicy_StubMaterializeResult result;
  ck_assert_int_eq(materialize(&f, &r, &result), OSPOLICY_ERR_SOURCE_TOO_SMALL);
  ck_assert_uint_eq(result.error_index, OSPOLICY_STUB_NO_INDEX);
  ck_assert_uint_eq(result.error_slot, COM1);
  r.source_count = 0;
  r.sources = NULL;
  ck_assert_int_eq(materialize(&f, &r, &result), OSPOLICY_ERR_SOURCE_TOO_SMALL);
}
END_TEST

START_TEST(rejects_undersized_destination) {
  fixture f;
  setup(&f);
  OSPolicy_StubMaterializeRequest r = request(&f);
  OSPolicy_StubMaterializeResult result;
  r.destination_size = GUARD + PAYLOAD - 1;
  ck_assert_int_eq(materialize(&f, &r, &result), OSPOLICY_ERR_DESTINATION_TOO_SMALL);
  r = request(&f);
  r.payload_base_offset = GUARD + GUARD + 1; /* pushes the payload end past the buffer */
  ck_assert_int_eq(materialize(&f, &r, &result), OSPOLICY_ERR_DESTINATION_TOO_SMALL);
  r = request(&f);
  r.destination_size = 0;
  ck_assert_int_eq(materialize(&f, &r, &result), OSPOLICY_ERR_DESTINATION_TOO_SMALL);
}
END_TEST

START_TEST(rejects_unknown_and_duplicate_sources) {
  fixture f;
  setup(&f);
  OSPolicy_StubMaterializeRequest r = request(&f);
  OSPolicy_StubMaterializeResult result;
  f.sources[1].id = 7u; /* not a slot id at all */
  ck_assert_int_eq(materialize(&f, &r, &result), OSPOLICY_ERR_UNKNOWN_SLOT);
  ck_assert_uint_eq(result.error_index, 1);
  ck_assert_uint_eq(result.error_slot, 7u);
  f.sources[1].id = DESC; /* same slot twice */
  ck_assert_int_eq(materialize(&f, &r, &result), OSPOLICY_ERR_DUPLICATE_SLOT);
  ck_assert_uint_eq(result.error_index, 1);
  /* A known slot that this bundle did not plan. */
  OSPolicy_StubSlotRequest one[] = {{COM1, sizeof com1_code}};
  OSPolicy_StubBundleRequest br = {.slots = one, .slot_count = 1};
  ck_assert_int_eq(OSPolicy_PlanStubBundle(&f.memory, &br, &f.bundle), OSPOLICY_OK);
  f.sources[0] = (OSPolicy_StubSource){COM1, com1_code, sizeof com1_code};
  f.sources[1] = (OSPolicy_StubSource){FAULT, fault_code, sizeof fault_code};
  r.source_count = 2;
  ck_assert_int_eq(materialize(&f, &r, &result), OSPOLICY_ERR_UNKNOWN_SLOT);
  ck_assert_uint_eq(result.error_slot, FAULT);
}
END_TEST

START_TEST(rejects_null_source_bytes_and_overlap) {
  fixture f;
  setup(&f);
  OSPolicy_StubMaterializeRequest r = request(&f);
  OSPolicy_StubMaterializeResult result;
  f.sources[0].bytes = NULL;
  ck_assert_int_eq(materialize(&f, &r, &result), OSPOLICY_ERR_NULL_ARGUMENT);
  ck_assert_uint_eq(result.error_index, 0);
  /* A source inside the payload region it would be copied into. */
  f.sources[0] = (OSPolicy_StubSource){DESC, f.buffer + GUARD + 40, 16};
  ck_assert_int_eq(materialize(&f, &r, &result), OSPOLICY_ERR_INVALID_ARGUMENT);
  /* Ending one byte into the region still overlaps; ending at its start does not. */
  f.sources[0] = (OSPolicy_StubSource){DESC, f.buffer + GUARD - 15, 16};
  ck_assert_int_eq(materialize(&f, &r, &result), OSPOLICY_ERR_INVALID_ARGUMENT);
  memcpy(f.buffer + GUARD - 16, desc_code, 16);
  memcpy(f.snapshot, f.buffer, sizeof f.buffer);
  f.sources[0] = (OSPolicy_StubSource){DESC, f.buffer + GUARD - 16, 16};
  ck_assert_int_eq(materialize(&f, &r, &result), OSPOLICY_OK);
  ck_assert_int_eq(memcmp(f.buffer + GUARD + 48, desc_code, 16), 0);
}
END_TEST

START_TEST(rejects_overflowing_destination_arithmetic) {
  fixture f;
  setup(&f);
  OSPolicy_StubMaterializeRequest r = request(&f);
  OSPolicy_StubMaterializeResult result;
  r.payload_base_offset = SIZE_MAX - PAYLOAD + 1; /* offset + payload wraps */
  r.destination_size = SIZE_MAX;
  ck_assert_int_eq(materialize(&f, &r, &result), OSPOLICY_ERR_OVERFLOW);
  /* Address arithmetic wraps: a forged destination at the top of the address
   * space. Refused before any byte is written (the pointer is never used). */
  r = request(&f);
  r.destination = (void *)(UINTPTR_MAX - 31u);
  r.payload_base_offset = 0;
  r.destination_size = SIZE_MAX;
  ck_assert_int_eq(materialize(&f, &r, &result), OSPOLICY_ERR_OVERFLOW);
  r.destination = (void *)(UINTPTR_MAX - 15u);
  r.payload_base_offset = 32; /* destination + offset itself wraps */
  ck_assert_int_eq(materialize(&f, &r, &result), OSPOLICY_ERR_OVERFLOW);
  r.destination = (void *)(UINTPTR_MAX - 4095u);
  r.payload_base_offset = 4000; /* the region start fits, its end wraps */
  ck_assert_int_eq(materialize(&f, &r, &result), OSPOLICY_ERR_OVERFLOW);
  /* A source whose declared extent wraps. */
  r = request(&f);
  f.sources[1].length = SIZE_MAX;
  ck_assert_int_eq(materialize(&f, &r, &result), OSPOLICY_ERR_OVERFLOW);
  ck_assert_uint_eq(result.error_index, 1);
}
END_TEST

START_TEST(null_arguments) {
  fixture f;
  setup(&f);
  OSPolicy_StubMaterializeRequest r = request(&f);
  OSPolicy_StubMaterializeResult result;
  ck_assert_int_eq(OSPolicy_MaterializeStubBundle(&r, NULL), OSPOLICY_ERR_NULL_ARGUMENT);
  ck_assert_int_eq(memcmp(f.buffer, f.snapshot, sizeof f.buffer), 0);
  ck_assert_int_eq(materialize(&f, NULL, &result), OSPOLICY_ERR_NULL_ARGUMENT);
  r.bundle = NULL;
  ck_assert_int_eq(materialize(&f, &r, &result), OSPOLICY_ERR_NULL_ARGUMENT);
  r = request(&f);
  r.destination = NULL;
  ck_assert_int_eq(materialize(&f, &r, &result), OSPOLICY_ERR_NULL_ARGUMENT);
  r = request(&f);
  r.sources = NULL;
  ck_assert_int_eq(materialize(&f, &r, &result), OSPOLICY_ERR_NULL_ARGUMENT);
  ck_assert_int_eq(OSPolicy_CheckStubMaterializeResult(NULL), OSPOLICY_ERR_NULL_ARGUMENT);
}
END_TEST

START_TEST(zero_result_is_not_success) {
  OSPolicy_StubMaterializeResult zero;
  memset(&zero, 0, sizeof zero);
  ck_assert_int_ne(zero.status, OSPOLICY_OK);
  ck_assert_int_eq(OSPolicy_CheckStubMaterializeResult(&zero), OSPOLICY_ERR_PLAN_NOT_OK);
  zero.status = OSPOLICY_OK; /* an OK label on zero fields is still refused */
  ck_assert_int_eq(OSPolicy_CheckStubMaterializeResult(&zero), OSPOLICY_ERR_PLAN_NOT_OK);
  /* A zero-filled bundle plan is not something the materializer will write. */
  fixture f;
  setup(&f);
  memset(&f.bundle, 0, sizeof f.bundle);
  OSPolicy_StubMaterializeRequest r = request(&f);
  OSPolicy_StubMaterializeResult result;
  ck_assert_int_eq(materialize(&f, &r, &result), OSPOLICY_ERR_PLAN_NOT_OK);
}
END_TEST

START_TEST(check_refuses_inconsistent_results) {
  fixture f;
  setup(&f);
  OSPolicy_StubMaterializeRequest r = request(&f);
  OSPolicy_StubMaterializeResult result;
  ck_assert_int_eq(materialize(&f, &r, &result), OSPOLICY_OK);
  OSPolicy_StubMaterializeResult forged = result;
  forged.bytes_trapped += 1;
  ck_assert_int_eq(OSPolicy_CheckStubMaterializeResult(&forged), OSPOLICY_ERR_PLAN_NOT_OK);
  forged = result;
  forged.payload_address = UINTPTR_MAX - 8u;
  ck_assert_int_eq(OSPolicy_CheckStubMaterializeResult(&forged), OSPOLICY_ERR_PLAN_NOT_OK);
  forged = result;
  forged.slot_count = 0;
  ck_assert_int_eq(OSPolicy_CheckStubMaterializeResult(&forged), OSPOLICY_ERR_PLAN_NOT_OK);
  forged = result;
  forged.status = OSPOLICY_ERR_SOURCE_TOO_SMALL;
  ck_assert_int_eq(OSPolicy_CheckStubMaterializeResult(&forged), OSPOLICY_ERR_PLAN_NOT_OK);
}
END_TEST

Suite *stub_materializer_suite(void);
Suite *stub_materializer_suite(void) {
  Suite *suite = suite_create("stub_materializer");
  TCase *tc = tcase_create("materialize");
  tcase_add_test(tc, writes_stubs_at_planned_offsets_and_traps_the_rest);
  tcase_add_test(tc, copies_only_planned_length_from_larger_sources);
  tcase_add_test(tc, payload_exactly_fills_destination);
  tcase_add_test(tc, rejects_failed_bundle_plan);
  tcase_add_test(tc, rejects_undersized_source);
  tcase_add_test(tc, rejects_missing_source);
  tcase_add_test(tc, rejects_undersized_destination);
  tcase_add_test(tc, rejects_unknown_and_duplicate_sources);
  tcase_add_test(tc, rejects_null_source_bytes_and_overlap);
  tcase_add_test(tc, rejects_overflowing_destination_arithmetic);
  tcase_add_test(tc, null_arguments);
  tcase_add_test(tc, zero_result_is_not_success);
  tcase_add_test(tc, check_refuses_inconsistent_results);
  suite_add_tcase(suite, tc);
  return suite;
}
