/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * Materializer tests. The staging destination is a buffer with GUARD canary
 * bytes before and after the payload region (both inside destination_size),
 * so a write outside the plan shows up as a broken canary, and a refused call
 * must leave the whole buffer byte-for-byte as it was. The in-place cases
 * write into real planned pages with a canary page on either side (the one
 * after inside destination_size).
 */
#include <check.h>
#include <stdalign.h>
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
  /* Staging: the written range is the payload region alone. */
  ck_assert_uint_eq(result.written_address, (uintptr_t)(f.buffer + GUARD));
  ck_assert_uint_eq(result.written_size, PAYLOAD);
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
  /* A plausible payload with a zero written range (as a caller that never set
   * those fields would hand over) is refused too. */
  zero.payload_address = 0x400000u;
  zero.payload_size = PAYLOAD;
  zero.bytes_copied = 55;
  zero.bytes_trapped = PAYLOAD - 55;
  zero.slot_count = 3;
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
  /* Written-range forgeries. */
  forged = result;
  forged.written_address = 0;
  ck_assert_int_eq(OSPolicy_CheckStubMaterializeResult(&forged), OSPOLICY_ERR_PLAN_NOT_OK);
  forged = result;
  forged.written_size = 0;
  forged.bytes_trapped = 0;
  forged.bytes_copied = 0;
  ck_assert_int_eq(OSPolicy_CheckStubMaterializeResult(&forged), OSPOLICY_ERR_PLAN_NOT_OK);
  forged = result;
  forged.written_size += 1; /* counts no longer add up */
  ck_assert_int_eq(OSPolicy_CheckStubMaterializeResult(&forged), OSPOLICY_ERR_PLAN_NOT_OK);
  forged = result;
  forged.written_address += 16; /* payload starts before the written range */
  ck_assert_int_eq(OSPolicy_CheckStubMaterializeResult(&forged), OSPOLICY_ERR_PLAN_NOT_OK);
  forged = result;
  forged.written_size -= 1; /* payload ends after it */
  forged.bytes_trapped -= 1;
  ck_assert_int_eq(OSPolicy_CheckStubMaterializeResult(&forged), OSPOLICY_ERR_PLAN_NOT_OK);
  forged = result;
  forged.written_address = UINTPTR_MAX - 8u; /* written range wraps */
  ck_assert_int_eq(OSPolicy_CheckStubMaterializeResult(&forged), OSPOLICY_ERR_PLAN_NOT_OK);
  forged = result;
  forged.bytes_copied = PAYLOAD + 1; /* more stub bytes than the payload holds */
  forged.bytes_trapped = 0;
  forged.written_size = PAYLOAD + 1;
  ck_assert_int_eq(OSPolicy_CheckStubMaterializeResult(&forged), OSPOLICY_ERR_PLAN_NOT_OK);
}
END_TEST

/* In place: the planned pages are area[PAGE, 3 * PAGE); area[0, PAGE) and
 * area[3 * PAGE, 4 * PAGE) are canary pages. The payload starts OFFSET bytes
 * into the first page and ends in the second, so both a prefix and a page
 * tail have to be trapped. Slots as in setup(): COM1 at 0, DESC at 48, FAULT
 * at 64 from the payload start. */
enum { OFFSET = 48, PAGES_PAYLOAD = PAGE + 96, PLANNED = 2 * PAGE, AREA = 4 * PAGE };
static alignas(PAGE) unsigned char area[AREA];
static unsigned char area_snapshot[AREA];

typedef struct in_place {
  OSPolicy_StubMemoryPlan memory;
  OSPolicy_StubBundlePlan bundle;
  OSPolicy_StubSource sources[3];
  unsigned char *pages;
} in_place;

static void setup_in_place(in_place *p) {
  p->pages = area + PAGE;
  OSPolicy_StubMemoryRequest mr = {.base = (uintptr_t)p->pages,
                                   .page_size = PAGE,
                                   .payload_offset = OFFSET,
                                   .payload_size = PAGES_PAYLOAD,
                                   .write_protection = OSPOLICY_PROT_RW,
                                   .run_protection = OSPOLICY_PROT_RX};
  ck_assert_int_eq(OSPolicy_PlanStubMemory(&mr, &p->memory), OSPOLICY_OK);
  ck_assert_uint_eq(p->memory.total_size, PLANNED);
  OSPolicy_StubSlotRequest slots[] = {{FAULT, sizeof fault_code},
                                      {COM1, sizeof com1_code},
                                      {DESC, sizeof desc_code}};
  OSPolicy_StubBundleRequest br = {.slots = slots, .slot_count = 3};
  ck_assert_int_eq(OSPolicy_PlanStubBundle(&p->memory, &br, &p->bundle), OSPOLICY_OK);
  p->sources[0] = (OSPolicy_StubSource){DESC, desc_code, sizeof desc_code};
  p->sources[1] = (OSPolicy_StubSource){FAULT, fault_code, sizeof fault_code};
  p->sources[2] = (OSPolicy_StubSource){COM1, com1_code, sizeof com1_code};
  memset(area, CANARY, sizeof area);
  memset(p->pages, 0x00, PLANNED); /* fresh pages: zero, i.e. `add [rax], al` */
  memcpy(area_snapshot, area, sizeof area);
}

static OSPolicy_StubMaterializeRequest request_in_place(const in_place *p) {
  return (OSPolicy_StubMaterializeRequest){.bundle = &p->bundle,
                                           .sources = p->sources,
                                           .source_count = 3,
                                           .destination = p->pages,
                                           .destination_size = PLANNED,
                                           .payload_base_offset = OFFSET};
}

static void assert_area_unchanged(void) {
  ck_assert_int_eq(memcmp(area, area_snapshot, sizeof area), 0);
}

static void assert_canary_pages_intact(void) {
  for (size_t i = 0; i < PAGE; i++) {
    ck_assert_uint_eq(area[i], CANARY);
    ck_assert_uint_eq(area[3 * PAGE + i], CANARY);
  }
}

/* The planned byte at `offset` from the pages' base: a stub byte or a trap. */
static unsigned expected_page_byte(size_t offset) {
  static const struct {
    size_t at;
    const unsigned char *code;
    size_t length;
  } stubs[] = {{OFFSET + 0, com1_code, sizeof com1_code},
               {OFFSET + 48, desc_code, sizeof desc_code},
               {OFFSET + 64, fault_code, sizeof fault_code}};
  for (size_t i = 0; i < sizeof stubs / sizeof stubs[0]; i++) {
    if (offset >= stubs[i].at && offset < stubs[i].at + stubs[i].length) {
      return stubs[i].code[offset - stubs[i].at];
    }
  }
  return OSPOLICY_STUB_TRAP_BYTE;
}

START_TEST(in_place_every_page_byte_is_stub_or_trap) {
  in_place p;
  setup_in_place(&p);
  OSPolicy_StubMaterializeRequest r = request_in_place(&p);
  r.destination_size = PLANNED + PAGE; /* room past the pages: must stay unused */
  OSPolicy_StubMaterializeResult result;
  memset(&result, 0x5A, sizeof result);
  ck_assert_int_eq(OSPolicy_MaterializeStubBundle(&r, &result), OSPOLICY_OK);
  ck_assert_int_eq(result.status, OSPOLICY_OK);
  ck_assert_uint_eq(result.payload_address, (uintptr_t)(p.pages + OFFSET));
  ck_assert_uint_eq(result.payload_size, PAGES_PAYLOAD);
  ck_assert_uint_eq(result.written_address, (uintptr_t)p.pages);
  ck_assert_uint_eq(result.written_size, PLANNED);
  ck_assert_uint_eq(result.bytes_copied, 37 + 16 + 2);
  ck_assert_uint_eq(result.bytes_trapped, PLANNED - (37 + 16 + 2));
  ck_assert_uint_eq(result.slot_count, 3);
  ck_assert_int_eq(OSPolicy_CheckStubMaterializeResult(&result), OSPOLICY_OK);
  size_t traps = 0;
  for (size_t i = 0; i < PLANNED; i++) {
    ck_assert_uint_eq(p.pages[i], expected_page_byte(i));
    traps += p.pages[i] == OSPOLICY_STUB_TRAP_BYTE;
  }
  ck_assert_uint_eq(traps, result.bytes_trapped); /* no stub byte here is 0xCC */
  ck_assert_uint_eq(p.pages[0], OSPOLICY_STUB_TRAP_BYTE);           /* prefix */
  ck_assert_uint_eq(p.pages[OFFSET - 1], OSPOLICY_STUB_TRAP_BYTE);  /* prefix end */
  ck_assert_uint_eq(p.pages[OFFSET + PAGES_PAYLOAD], OSPOLICY_STUB_TRAP_BYTE); /* tail */
  ck_assert_uint_eq(p.pages[PLANNED - 1], OSPOLICY_STUB_TRAP_BYTE); /* last page byte */
  assert_canary_pages_intact();
}
END_TEST

START_TEST(in_place_with_payload_at_page_start) {
  /* payload_offset 0 (the live and kernel layout): no prefix, only a tail. */
  in_place p;
  setup_in_place(&p);
  OSPolicy_StubMemoryRequest mr = {.base = (uintptr_t)p.pages,
                                   .page_size = PAGE,
                                   .payload_offset = 0,
                                   .payload_size = 66,
                                   .write_protection = OSPOLICY_PROT_RW,
                                   .run_protection = OSPOLICY_PROT_RX};
  ck_assert_int_eq(OSPolicy_PlanStubMemory(&mr, &p.memory), OSPOLICY_OK);
  OSPolicy_StubSlotRequest slots[] = {{FAULT, sizeof fault_code},
                                      {COM1, sizeof com1_code},
                                      {DESC, sizeof desc_code}};
  OSPolicy_StubBundleRequest br = {.slots = slots, .slot_count = 3};
  ck_assert_int_eq(OSPolicy_PlanStubBundle(&p.memory, &br, &p.bundle), OSPOLICY_OK);
  OSPolicy_StubMaterializeRequest r = request_in_place(&p);
  r.payload_base_offset = 0;
  r.destination_size = PAGE; /* exactly the one planned page */
  OSPolicy_StubMaterializeResult result;
  ck_assert_int_eq(OSPolicy_MaterializeStubBundle(&r, &result), OSPOLICY_OK);
  ck_assert_uint_eq(result.written_address, (uintptr_t)p.pages);
  ck_assert_uint_eq(result.written_size, PAGE);
  ck_assert_uint_eq(result.bytes_trapped, PAGE - (37 + 16 + 2));
  ck_assert_int_eq(memcmp(p.pages + 64, fault_code, sizeof fault_code), 0);
  for (size_t i = 66; i < PAGE; i++) {
    ck_assert_uint_eq(p.pages[i], OSPOLICY_STUB_TRAP_BYTE);
  }
  /* The second page of the area was not planned this time: untouched. */
  for (size_t i = PAGE; i < PLANNED; i++) {
    ck_assert_uint_eq(p.pages[i], 0x00);
  }
  assert_canary_pages_intact();
}
END_TEST

START_TEST(in_place_refuses_destination_short_of_the_pages) {
  in_place p;
  setup_in_place(&p);
  OSPolicy_StubMaterializeRequest r = request_in_place(&p);
  OSPolicy_StubMaterializeResult result;
  /* Room for the payload (and more), but not for the whole last page. */
  r.destination_size = PLANNED - 1;
  ck_assert_int_eq(OSPolicy_MaterializeStubBundle(&r, &result), OSPOLICY_ERR_DESTINATION_TOO_SMALL);
  ck_assert_int_eq(result.status, OSPOLICY_ERR_DESTINATION_TOO_SMALL);
  ck_assert_uint_eq(result.written_size, 0);
  ck_assert_uint_eq(result.written_address, 0);
  assert_area_unchanged();
  r.destination_size = OFFSET + PAGES_PAYLOAD; /* exactly the payload end */
  ck_assert_int_eq(OSPolicy_MaterializeStubBundle(&r, &result), OSPOLICY_ERR_DESTINATION_TOO_SMALL);
  assert_area_unchanged();
  /* A staging write needs room for the payload only (same payload address,
   * reached from another destination: not in place). */
  r.destination = p.pages + 16;
  r.payload_base_offset = OFFSET - 16;
  r.destination_size = OFFSET - 16 + PAGES_PAYLOAD;
  ck_assert_int_eq(OSPolicy_MaterializeStubBundle(&r, &result), OSPOLICY_OK);
  ck_assert_uint_eq(result.payload_address, (uintptr_t)(p.pages + OFFSET));
  ck_assert_uint_eq(result.written_address, result.payload_address);
  ck_assert_uint_eq(result.written_size, PAGES_PAYLOAD);
  assert_canary_pages_intact();
}
END_TEST

START_TEST(staging_into_the_pages_writes_only_the_payload) {
  /* Destination at the payload start (offset 0): the payload lands where the
   * plan wants it, but this is not the in-place call, so only the payload
   * region is written; the prefix and tail keep their old bytes, and the
   * result says so (the transition refuses it). */
  in_place p;
  setup_in_place(&p);
  OSPolicy_StubMaterializeRequest r = request_in_place(&p);
  r.destination = p.pages + OFFSET;
  r.destination_size = PLANNED - OFFSET;
  r.payload_base_offset = 0;
  OSPolicy_StubMaterializeResult result;
  ck_assert_int_eq(OSPolicy_MaterializeStubBundle(&r, &result), OSPOLICY_OK);
  ck_assert_uint_eq(result.payload_address, (uintptr_t)(p.pages + OFFSET));
  ck_assert_uint_eq(result.written_address, result.payload_address);
  ck_assert_uint_eq(result.written_size, PAGES_PAYLOAD);
  ck_assert_uint_eq(result.bytes_trapped, PAGES_PAYLOAD - (37 + 16 + 2));
  for (size_t i = 0; i < OFFSET; i++) {
    ck_assert_uint_eq(p.pages[i], 0x00);
  }
  for (size_t i = OFFSET + PAGES_PAYLOAD; i < PLANNED; i++) {
    ck_assert_uint_eq(p.pages[i], 0x00);
  }
  /* Same for the plan's base with a different payload offset. */
  setup_in_place(&p);
  r = request_in_place(&p);
  r.payload_base_offset = OFFSET + 16;
  ck_assert_int_eq(OSPolicy_MaterializeStubBundle(&r, &result), OSPOLICY_OK);
  ck_assert_uint_eq(result.written_address, (uintptr_t)(p.pages + OFFSET + 16));
  ck_assert_uint_eq(result.written_size, PAGES_PAYLOAD);
  for (size_t i = 0; i < OFFSET + 16; i++) {
    ck_assert_uint_eq(p.pages[i], 0x00);
  }
  assert_canary_pages_intact();
}
END_TEST

START_TEST(in_place_refuses_sources_inside_the_pages) {
  in_place p;
  setup_in_place(&p);
  OSPolicy_StubMaterializeRequest r = request_in_place(&p);
  OSPolicy_StubMaterializeResult result;
  /* In the prefix: outside the payload, but the prefix is written too. */
  memcpy(p.pages, desc_code, sizeof desc_code);
  memcpy(area_snapshot, area, sizeof area);
  p.sources[0] = (OSPolicy_StubSource){DESC, p.pages, sizeof desc_code};
  ck_assert_int_eq(OSPolicy_MaterializeStubBundle(&r, &result), OSPOLICY_ERR_INVALID_ARGUMENT);
  ck_assert_uint_eq(result.error_index, 0);
  assert_area_unchanged();
  /* In the page tail. */
  p.sources[0] = (OSPolicy_StubSource){DESC, p.pages + PLANNED - 16, 16};
  ck_assert_int_eq(OSPolicy_MaterializeStubBundle(&r, &result), OSPOLICY_ERR_INVALID_ARGUMENT);
  assert_area_unchanged();
  /* Just past the pages (in the canary page) is fine. */
  memcpy(area + 3 * PAGE, desc_code, sizeof desc_code);
  memcpy(area_snapshot, area, sizeof area);
  p.sources[0] = (OSPolicy_StubSource){DESC, area + 3 * PAGE, sizeof desc_code};
  ck_assert_int_eq(OSPolicy_MaterializeStubBundle(&r, &result), OSPOLICY_OK);
  ck_assert_int_eq(memcmp(p.pages + OFFSET + 48, desc_code, sizeof desc_code), 0);
  ck_assert_int_eq(memcmp(area + 3 * PAGE, area_snapshot + 3 * PAGE, PAGE), 0);
  ck_assert_int_eq(memcmp(area, area_snapshot, PAGE), 0);
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
  tcase_add_test(tc, in_place_every_page_byte_is_stub_or_trap);
  tcase_add_test(tc, in_place_with_payload_at_page_start);
  tcase_add_test(tc, in_place_refuses_destination_short_of_the_pages);
  tcase_add_test(tc, staging_into_the_pages_writes_only_the_payload);
  tcase_add_test(tc, in_place_refuses_sources_inside_the_pages);
  suite_add_tcase(suite, tc);
  return suite;
}
