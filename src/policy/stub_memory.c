/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
#include "ospolicy/stub_memory.h"

#include <stdbool.h>

static bool is_known_readable(uint32_t prot) {
  return (prot & ~OSPOLICY_PROT_ALL) == 0u && (prot & OSPOLICY_PROT_READ) != 0u;
}

static bool is_wx(uint32_t prot) {
  return (prot & OSPOLICY_PROT_WRITE) != 0u && (prot & OSPOLICY_PROT_EXEC) != 0u;
}

/* Computes total_size and page_count from the request, or says why not.
 * With check_base false the base is ignored (sizing before allocation). */
static OSPolicy_Status layout(const OSPolicy_StubMemoryRequest *r, bool check_base,
                              size_t *total_size, size_t *page_count) {
  *total_size = 0;
  *page_count = 0;
  if (!OSPolicy_IsValidPageSize(r->page_size)) {
    return OSPOLICY_ERR_BAD_PAGE_SIZE;
  }
  if (!is_known_readable(r->write_protection) || !is_known_readable(r->run_protection)) {
    return OSPOLICY_ERR_BAD_PROTECTION;
  }
  if (is_wx(r->write_protection) || is_wx(r->run_protection)) {
    return OSPOLICY_DENIED_RWX;
  }
  if (r->write_protection != OSPOLICY_PROT_RW || r->run_protection != OSPOLICY_PROT_RX) {
    return OSPOLICY_DENIED_NOT_WRITE_THEN_EXECUTE;
  }
  size_t page_mask = r->page_size - 1u;
  if (check_base && r->base == 0u) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  if (check_base && (r->base & page_mask) != 0u) {
    return OSPOLICY_ERR_UNALIGNED;
  }
  if (r->payload_size == 0u) {
    return OSPOLICY_ERR_EMPTY_RANGE;
  }
  if ((r->payload_offset & (OSPOLICY_STUB_ALIGNMENT - 1u)) != 0u) {
    return OSPOLICY_ERR_UNALIGNED;
  }
  size_t used;
  size_t rounded;
  uintptr_t end;
  if (__builtin_add_overflow(r->payload_offset, r->payload_size, &used) ||
      __builtin_add_overflow(used, page_mask, &rounded)) {
    return OSPOLICY_ERR_OVERFLOW;
  }
  rounded &= ~page_mask;
  if (check_base && __builtin_add_overflow(r->base, rounded, &end)) {
    return OSPOLICY_ERR_OVERFLOW;
  }
  *total_size = rounded;
  *page_count = rounded / r->page_size;
  return OSPOLICY_OK;
}

OSPolicy_Status OSPolicy_PlanStubMemory(const OSPolicy_StubMemoryRequest *request,
                                        OSPolicy_StubMemoryPlan *plan) {
  if (plan == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  if (request == NULL) {
    *plan = (OSPolicy_StubMemoryPlan){.status = OSPOLICY_ERR_NULL_ARGUMENT};
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  size_t total_size;
  size_t page_count;
  OSPolicy_Status status = layout(request, true, &total_size, &page_count);
  *plan = (OSPolicy_StubMemoryPlan){
      .status = status,
      .base = request->base,
      .page_size = request->page_size,
      .payload_offset = request->payload_offset,
      .payload_size = request->payload_size,
      .total_size = total_size,
      .page_count = page_count,
      .write_protection = request->write_protection,
      .run_protection = request->run_protection,
  };
  return status;
}

OSPolicy_Status OSPolicy_CheckStubMemoryPlan(const OSPolicy_StubMemoryPlan *plan) {
  if (plan == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  if (plan->status != OSPOLICY_OK) {
    return OSPOLICY_ERR_PLAN_NOT_OK;
  }
  OSPolicy_StubMemoryRequest request = {
      .base = plan->base,
      .page_size = plan->page_size,
      .payload_offset = plan->payload_offset,
      .payload_size = plan->payload_size,
      .write_protection = plan->write_protection,
      .run_protection = plan->run_protection,
  };
  size_t total_size;
  size_t page_count;
  OSPolicy_Status status = layout(&request, true, &total_size, &page_count);
  if (status != OSPOLICY_OK) {
    return status;
  }
  if (total_size != plan->total_size || page_count != plan->page_count) {
    return OSPOLICY_ERR_PLAN_NOT_OK;
  }
  return OSPOLICY_OK;
}

OSPolicy_Status OSPolicy_MeasureStubMemory(const OSPolicy_StubMemoryRequest *request,
                                           size_t *page_count) {
  if (page_count == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  *page_count = 0;
  if (request == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  size_t total_size;
  return layout(request, false, &total_size, page_count);
}
