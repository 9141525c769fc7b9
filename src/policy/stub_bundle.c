/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
#include "ospolicy/stub_bundle.h"

#include <stdbool.h>

static bool is_known_slot(uint32_t id) {
  return id >= OSPOLICY_STUB_SLOT_COM1_WRITER && id <= OSPOLICY_STUB_SLOT_FAULT_PROBE;
}

typedef struct packing {
  OSPolicy_StubSlotPlan slots[OSPOLICY_STUB_SLOT_MAX];
  size_t slot_count;
  size_t required_size;
  size_t error_index;
} packing;

/* Validates the slot list and packs it: ascending id, each slot at the next
 * multiple of OSPOLICY_STUB_ALIGNMENT. Writes *out completely. */
static OSPolicy_Status pack(const OSPolicy_StubBundleRequest *request, packing *out) {
  *out = (packing){.error_index = OSPOLICY_STUB_NO_INDEX};
  if (request->slots == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  if (request->slot_count == 0u) {
    return OSPOLICY_ERR_EMPTY_RANGE;
  }
  if (request->slot_count > OSPOLICY_STUB_SLOT_MAX) {
    return OSPOLICY_ERR_TOO_MANY;
  }
  /* Indexed by slot id; entry 0 (UNSET) stays unused. */
  size_t length_by_id[OSPOLICY_STUB_SLOT_MAX + 1u] = {0};
  size_t index_by_id[OSPOLICY_STUB_SLOT_MAX + 1u] = {0};
  bool seen[OSPOLICY_STUB_SLOT_MAX + 1u] = {false};
  for (size_t i = 0; i < request->slot_count; i++) {
    const OSPolicy_StubSlotRequest *slot = &request->slots[i];
    if (!is_known_slot(slot->id)) {
      out->error_index = i;
      return OSPOLICY_ERR_UNKNOWN_SLOT;
    }
    if (seen[slot->id]) {
      out->error_index = i;
      return OSPOLICY_ERR_DUPLICATE_SLOT;
    }
    if (slot->length == 0u) {
      out->error_index = i;
      return OSPOLICY_ERR_ZERO_LENGTH_SLOT;
    }
    seen[slot->id] = true;
    length_by_id[slot->id] = slot->length;
    index_by_id[slot->id] = i;
  }
  const size_t align_mask = OSPOLICY_STUB_ALIGNMENT - 1u;
  size_t cursor = 0;
  size_t count = 0;
  for (uint32_t id = OSPOLICY_STUB_SLOT_COM1_WRITER; id <= OSPOLICY_STUB_SLOT_FAULT_PROBE; id++) {
    if (!seen[id]) {
      continue;
    }
    size_t offset;
    size_t end;
    if (__builtin_add_overflow(cursor, align_mask, &offset)) {
      out->error_index = index_by_id[id];
      return OSPOLICY_ERR_OVERFLOW;
    }
    offset &= ~align_mask;
    if (__builtin_add_overflow(offset, length_by_id[id], &end)) {
      out->error_index = index_by_id[id];
      return OSPOLICY_ERR_OVERFLOW;
    }
    out->slots[count] = (OSPolicy_StubSlotPlan){.id = id, .offset = offset, .length = length_by_id[id]};
    count++;
    cursor = end;
  }
  out->slot_count = count;
  out->required_size = cursor;
  return OSPOLICY_OK;
}

OSPolicy_Status OSPolicy_MeasureStubBundle(const OSPolicy_StubBundleRequest *request,
                                           size_t *required_size) {
  if (required_size == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  *required_size = 0;
  if (request == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  packing packed;
  OSPolicy_Status status = pack(request, &packed);
  if (status == OSPOLICY_OK) {
    *required_size = packed.required_size;
  }
  return status;
}

OSPolicy_Status OSPolicy_PlanStubBundle(const OSPolicy_StubMemoryPlan *memory,
                                        const OSPolicy_StubBundleRequest *request,
                                        OSPolicy_StubBundlePlan *plan) {
  if (plan == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  *plan = (OSPolicy_StubBundlePlan){.status = OSPOLICY_ERR_NULL_ARGUMENT,
                                    .error_index = OSPOLICY_STUB_NO_INDEX};
  if (memory == NULL || request == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  plan->memory = *memory;
  packing packed;
  OSPolicy_Status status = pack(request, &packed);
  plan->error_index = packed.error_index;
  if (status == OSPOLICY_OK) {
    plan->required_size = packed.required_size;
    if (OSPolicy_CheckStubMemoryPlan(memory) != OSPOLICY_OK) {
      status = OSPOLICY_ERR_PLAN_NOT_OK;
    } else if (packed.required_size > memory->payload_size) {
      status = OSPOLICY_ERR_PLAN_TOO_SMALL;
    }
  }
  plan->status = status;
  if (status == OSPOLICY_OK) {
    plan->slot_count = packed.slot_count;
    for (size_t i = 0; i < packed.slot_count; i++) {
      plan->slots[i] = packed.slots[i];
    }
  }
  return status;
}

OSPolicy_Status OSPolicy_CheckStubBundlePlan(const OSPolicy_StubBundlePlan *plan) {
  if (plan == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  if (plan->status != OSPOLICY_OK || OSPolicy_CheckStubMemoryPlan(&plan->memory) != OSPOLICY_OK ||
      plan->slot_count == 0u || plan->slot_count > OSPOLICY_STUB_SLOT_MAX) {
    return OSPOLICY_ERR_PLAN_NOT_OK;
  }
  OSPolicy_StubSlotRequest slots[OSPOLICY_STUB_SLOT_MAX];
  for (size_t i = 0; i < plan->slot_count; i++) {
    slots[i] = (OSPolicy_StubSlotRequest){.id = plan->slots[i].id, .length = plan->slots[i].length};
  }
  OSPolicy_StubBundleRequest request = {.slots = slots, .slot_count = plan->slot_count};
  packing packed;
  if (pack(&request, &packed) != OSPOLICY_OK || packed.required_size != plan->required_size ||
      packed.required_size > plan->memory.payload_size) {
    return OSPOLICY_ERR_PLAN_NOT_OK;
  }
  for (size_t i = 0; i < OSPOLICY_STUB_SLOT_MAX; i++) {
    OSPolicy_StubSlotPlan expected = i < packed.slot_count ? packed.slots[i]
                                                           : (OSPolicy_StubSlotPlan){.id = 0};
    if (plan->slots[i].id != expected.id || plan->slots[i].offset != expected.offset ||
        plan->slots[i].length != expected.length) {
      return OSPOLICY_ERR_PLAN_NOT_OK;
    }
  }
  return OSPOLICY_OK;
}

OSPolicy_Status OSPolicy_FindStubSlot(const OSPolicy_StubBundlePlan *plan, uint32_t id,
                                      OSPolicy_StubSlotPlan *slot) {
  if (plan == NULL || slot == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  if (OSPolicy_CheckStubBundlePlan(plan) != OSPOLICY_OK) {
    return OSPOLICY_ERR_PLAN_NOT_OK;
  }
  for (size_t i = 0; i < plan->slot_count; i++) {
    if (plan->slots[i].id == id) {
      *slot = plan->slots[i];
      return OSPOLICY_OK;
    }
  }
  return OSPOLICY_ERR_UNKNOWN_SLOT;
}

const char *OSPolicy_StubSlotName(uint32_t id) {
  switch (id) {
    case OSPOLICY_STUB_SLOT_COM1_WRITER:
      return "com1-writer";
    case OSPOLICY_STUB_SLOT_DESCRIPTOR_READER:
      return "descriptor-reader";
    case OSPOLICY_STUB_SLOT_FAULT_PROBE:
      return "fault-probe";
    default:
      return "unknown";
  }
}
