/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
#include "ospolicy/stub_materializer.h"

#include <stdbool.h>

#include "mem.h"

/* Index of slot `id` in the plan's slot array, or OSPOLICY_STUB_NO_INDEX. */
static size_t planned_index(const OSPolicy_StubBundlePlan *bundle, uint32_t id) {
  for (size_t i = 0; i < bundle->slot_count; i++) {
    if (bundle->slots[i].id == id) {
      return i;
    }
  }
  return OSPOLICY_STUB_NO_INDEX;
}

static OSPolicy_Status fail(OSPolicy_StubMaterializeResult *result, OSPolicy_Status status,
                            size_t error_index, uint32_t error_slot) {
  *result = (OSPolicy_StubMaterializeResult){
      .status = status, .error_index = error_index, .error_slot = error_slot};
  return status;
}

OSPolicy_Status OSPolicy_MaterializeStubBundle(const OSPolicy_StubMaterializeRequest *request,
                                               OSPolicy_StubMaterializeResult *result) {
  if (result == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  const size_t none = OSPOLICY_STUB_NO_INDEX;
  if (request == NULL || request->bundle == NULL || request->destination == NULL) {
    return fail(result, OSPOLICY_ERR_NULL_ARGUMENT, none, OSPOLICY_STUB_SLOT_UNSET);
  }
  const OSPolicy_StubBundlePlan *bundle = request->bundle;
  if (OSPolicy_CheckStubBundlePlan(bundle) != OSPOLICY_OK) {
    return fail(result, OSPOLICY_ERR_PLAN_NOT_OK, none, OSPOLICY_STUB_SLOT_UNSET);
  }
  const OSPolicy_StubMemoryPlan *memory = &bundle->memory;
  const size_t payload_size = memory->payload_size;
  size_t payload_end;
  uintptr_t region;
  uintptr_t region_end;
  if (__builtin_add_overflow(request->payload_base_offset, payload_size, &payload_end) ||
      __builtin_add_overflow((uintptr_t)request->destination, request->payload_base_offset,
                             &region) ||
      __builtin_add_overflow(region, payload_size, &region_end)) {
    return fail(result, OSPOLICY_ERR_OVERFLOW, none, OSPOLICY_STUB_SLOT_UNSET);
  }
  /* In place: the destination is the planned pages themselves, so the whole
   * pages are written (prefix and page tail trapped), not only the payload.
   * The checked memory plan keeps base + total_size from wrapping and
   * payload_offset + payload_size <= total_size. */
  const bool in_place = (uintptr_t)request->destination == memory->base &&
                        request->payload_base_offset == memory->payload_offset;
  const size_t written_size = in_place ? memory->total_size : payload_size;
  const uintptr_t written = in_place ? memory->base : region;
  const uintptr_t written_end = in_place ? memory->base + memory->total_size : region_end;
  if (request->destination_size < payload_end ||
      (in_place && request->destination_size < memory->total_size)) {
    return fail(result, OSPOLICY_ERR_DESTINATION_TOO_SMALL, none, OSPOLICY_STUB_SLOT_UNSET);
  }
  if (request->sources == NULL && request->source_count > 0u) {
    return fail(result, OSPOLICY_ERR_NULL_ARGUMENT, none, OSPOLICY_STUB_SLOT_UNSET);
  }

  /* Source index for each planned slot. */
  size_t source_of[OSPOLICY_STUB_SLOT_MAX];
  for (size_t i = 0; i < OSPOLICY_STUB_SLOT_MAX; i++) {
    source_of[i] = none;
  }
  for (size_t i = 0; i < request->source_count; i++) {
    const OSPolicy_StubSource *source = &request->sources[i];
    size_t slot = planned_index(bundle, source->id);
    if (slot == none) {
      return fail(result, OSPOLICY_ERR_UNKNOWN_SLOT, i, source->id);
    }
    if (source_of[slot] != none) {
      return fail(result, OSPOLICY_ERR_DUPLICATE_SLOT, i, source->id);
    }
    if (source->bytes == NULL) {
      return fail(result, OSPOLICY_ERR_NULL_ARGUMENT, i, source->id);
    }
    uintptr_t start = (uintptr_t)source->bytes;
    uintptr_t end;
    if (__builtin_add_overflow(start, source->length, &end)) {
      return fail(result, OSPOLICY_ERR_OVERFLOW, i, source->id);
    }
    if (start < written_end && written < end) {
      return fail(result, OSPOLICY_ERR_INVALID_ARGUMENT, i, source->id);
    }
    source_of[slot] = i;
  }
  size_t copied = 0;
  for (size_t s = 0; s < bundle->slot_count; s++) {
    const OSPolicy_StubSlotPlan *slot = &bundle->slots[s];
    if (source_of[s] == none) {
      return fail(result, OSPOLICY_ERR_SOURCE_TOO_SMALL, none, slot->id);
    }
    if (request->sources[source_of[s]].length < slot->length) {
      return fail(result, OSPOLICY_ERR_SOURCE_TOO_SMALL, source_of[s], slot->id);
    }
    /* Cannot wrap: the checked bundle keeps every slot end <= payload_size. */
    copied += slot->length;
  }

  /* Every check passed: write the written range front to back, each byte once. */
  unsigned char *out = (unsigned char *)request->destination + request->payload_base_offset;
  if (in_place) {
    memset(request->destination, (int)OSPOLICY_STUB_TRAP_BYTE, memory->payload_offset);
  }
  size_t cursor = 0;
  for (size_t s = 0; s < bundle->slot_count; s++) {
    const OSPolicy_StubSlotPlan *slot = &bundle->slots[s];
    memset(out + cursor, (int)OSPOLICY_STUB_TRAP_BYTE, slot->offset - cursor);
    memcpy(out + slot->offset, request->sources[source_of[s]].bytes, slot->length);
    cursor = slot->offset + slot->length;
  }
  memset(out + cursor, (int)OSPOLICY_STUB_TRAP_BYTE, payload_size - cursor);
  if (in_place) {
    /* The page tail: from the payload end to the end of the last page. */
    memset(out + payload_size, (int)OSPOLICY_STUB_TRAP_BYTE,
           memory->total_size - memory->payload_offset - payload_size);
  }

  *result = (OSPolicy_StubMaterializeResult){
      .status = OSPOLICY_OK,
      .payload_address = region,
      .payload_size = payload_size,
      .written_address = written,
      .written_size = written_size,
      .bytes_copied = copied,
      .bytes_trapped = written_size - copied,
      .slot_count = bundle->slot_count,
      .error_index = none,
      .error_slot = OSPOLICY_STUB_SLOT_UNSET,
  };
  return OSPOLICY_OK;
}

OSPolicy_Status OSPolicy_CheckStubMaterializeResult(const OSPolicy_StubMaterializeResult *result) {
  if (result == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  uintptr_t end;
  uintptr_t written_end;
  size_t total;
  if (result->status != OSPOLICY_OK || result->payload_address == 0u ||
      result->payload_size == 0u ||
      __builtin_add_overflow(result->payload_address, result->payload_size, &end) ||
      result->written_address == 0u || result->written_size == 0u ||
      __builtin_add_overflow(result->written_address, result->written_size, &written_end) ||
      result->payload_address < result->written_address || end > written_end ||
      __builtin_add_overflow(result->bytes_copied, result->bytes_trapped, &total) ||
      total != result->written_size || result->bytes_copied == 0u ||
      result->bytes_copied > result->payload_size || result->slot_count == 0u ||
      result->slot_count > OSPOLICY_STUB_SLOT_MAX) {
    return OSPOLICY_ERR_PLAN_NOT_OK;
  }
  return OSPOLICY_OK;
}
