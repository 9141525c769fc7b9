/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
#include "ospolicy/stub_transition.h"

#include <stdbool.h>

static bool is_known_readable(uint32_t prot) {
  return (prot & ~OSPOLICY_PROT_ALL) == 0u && (prot & OSPOLICY_PROT_READ) != 0u;
}

static bool is_wx(uint32_t prot) {
  return (prot & OSPOLICY_PROT_WRITE) != 0u && (prot & OSPOLICY_PROT_EXEC) != 0u;
}

static OSPolicy_Status check_request(const OSPolicy_StubTransitionRequest *r, uintptr_t *payload) {
  const OSPolicy_StubMemoryPlan *memory = r->memory;
  if (OSPolicy_CheckStubMemoryPlan(memory) != OSPOLICY_OK) {
    return OSPOLICY_ERR_PLAN_NOT_OK;
  }
  if (!is_known_readable(r->from) || !is_known_readable(r->to)) {
    return OSPOLICY_ERR_BAD_PROTECTION;
  }
  if (is_wx(r->from) || is_wx(r->to)) {
    return OSPOLICY_DENIED_RWX;
  }
  if (r->from != OSPOLICY_PROT_RW || r->to != OSPOLICY_PROT_RX) {
    return OSPOLICY_DENIED_NOT_WRITE_THEN_EXECUTE;
  }
  /* The checked memory plan guarantees base + total_size does not wrap, and
   * payload_offset + payload_size <= total_size. The result must have written
   * the whole planned pages (stub or trap bytes only), which contain every
   * range the checks below accept, so nothing unwritten is ever sealed RX. */
  uintptr_t memory_end = memory->base + memory->total_size;
  uintptr_t payload_start = memory->base + memory->payload_offset;
  uintptr_t payload_end = payload_start + memory->payload_size;
  if (OSPolicy_CheckStubMaterializeResult(r->materialized) != OSPOLICY_OK ||
      r->materialized->payload_address != payload_start ||
      r->materialized->payload_size != memory->payload_size ||
      r->materialized->written_address != memory->base ||
      r->materialized->written_size != memory->total_size) {
    return OSPOLICY_ERR_NOT_MATERIALIZED;
  }
  if (r->size == 0u) {
    return OSPOLICY_ERR_EMPTY_RANGE;
  }
  size_t page_mask = memory->page_size - 1u;
  if ((r->base & page_mask) != 0u || (r->size & page_mask) != 0u) {
    return OSPOLICY_ERR_UNALIGNED;
  }
  uintptr_t end;
  if (__builtin_add_overflow(r->base, r->size, &end)) {
    return OSPOLICY_ERR_OVERFLOW;
  }
  if (r->base < memory->base || end > memory_end) {
    return OSPOLICY_ERR_OUT_OF_RANGE;
  }
  if (payload_start < r->base || payload_end > end) {
    return OSPOLICY_ERR_OUT_OF_RANGE;
  }
  *payload = payload_start;
  return OSPOLICY_OK;
}

OSPolicy_Status OSPolicy_PlanStubTransition(const OSPolicy_StubTransitionRequest *request,
                                            OSPolicy_StubTransitionPlan *plan) {
  if (plan == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  *plan = (OSPolicy_StubTransitionPlan){.status = OSPOLICY_ERR_NULL_ARGUMENT};
  if (request == NULL || request->memory == NULL || request->materialized == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  uintptr_t payload = 0;
  OSPolicy_Status status = check_request(request, &payload);
  if (status != OSPOLICY_OK) {
    plan->status = status;
    return status;
  }
  OSPolicy_PageProtectionRequest protection = {
      .base = request->base,
      .size = request->size,
      .page_size = request->memory->page_size,
      .from = OSPOLICY_PROT_RW,
      .to = OSPOLICY_PROT_RX,
      .flags = 0u,
  };
  OSPolicy_PageProtectionPlan sealed;
  status = OSPolicy_PlanPageProtection(&protection, &sealed);
  if (status != OSPOLICY_OK) {
    plan->status = status;
    return status;
  }
  *plan = (OSPolicy_StubTransitionPlan){
      .status = OSPOLICY_OK,
      .protection = sealed,
      .payload_address = payload,
      .payload_size = request->memory->payload_size,
  };
  return OSPOLICY_OK;
}

OSPolicy_Status OSPolicy_CheckStubTransitionPlan(const OSPolicy_StubTransitionPlan *plan) {
  if (plan == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  if (plan->status != OSPOLICY_OK ||
      OSPolicy_CheckPageProtectionPlan(&plan->protection) != OSPOLICY_OK ||
      plan->protection.transition != OSPOLICY_TRANSITION_SEAL_EXEC ||
      plan->protection.from != OSPOLICY_PROT_RW || plan->protection.to != OSPOLICY_PROT_RX) {
    return OSPOLICY_ERR_PLAN_NOT_OK;
  }
  uintptr_t payload_end;
  if (plan->payload_size == 0u ||
      __builtin_add_overflow(plan->payload_address, plan->payload_size, &payload_end) ||
      plan->payload_address < plan->protection.base ||
      payload_end > plan->protection.base + plan->protection.size) {
    return OSPOLICY_ERR_PLAN_NOT_OK;
  }
  return OSPOLICY_OK;
}
