/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
#include "ospolicy/page_protection.h"

#include <stdbool.h>

int OSPolicy_IsValidPageSize(size_t page_size) {
  return page_size >= OSPOLICY_MIN_PAGE_SIZE && (page_size & (page_size - 1u)) == 0u;
}

static bool is_wx(uint32_t prot) {
  return (prot & OSPOLICY_PROT_WRITE) != 0u && (prot & OSPOLICY_PROT_EXEC) != 0u;
}

static bool is_known_readable(uint32_t prot) {
  return (prot & ~OSPOLICY_PROT_ALL) == 0u && (prot & OSPOLICY_PROT_READ) != 0u;
}

/* The transition table. Returns UNSET (with *denial set) for anything else. */
static OSPolicy_PageTransition classify(uint32_t from, uint32_t to, uint32_t flags,
                                        OSPolicy_Status *denial) {
  bool reclaim = (flags & OSPOLICY_PAGE_RECLAIM) != 0u;
  if (from == OSPOLICY_PROT_RW && to == OSPOLICY_PROT_RX) {
    return OSPOLICY_TRANSITION_SEAL_EXEC;
  }
  if (from == OSPOLICY_PROT_RW && to == OSPOLICY_PROT_READ) {
    return OSPOLICY_TRANSITION_SEAL_READONLY;
  }
  if (from == OSPOLICY_PROT_RX && to == OSPOLICY_PROT_READ) {
    return OSPOLICY_TRANSITION_DROP_EXEC;
  }
  if (to == OSPOLICY_PROT_RW && (from == OSPOLICY_PROT_RX || from == OSPOLICY_PROT_READ)) {
    if (reclaim) {
      return OSPOLICY_TRANSITION_RECLAIM;
    }
    *denial = (from & OSPOLICY_PROT_EXEC) != 0u ? OSPOLICY_DENIED_EXEC_TO_WRITE
                                                : OSPOLICY_DENIED_TRANSITION;
    return OSPOLICY_TRANSITION_UNSET;
  }
  *denial = OSPOLICY_DENIED_TRANSITION;
  return OSPOLICY_TRANSITION_UNSET;
}

static OSPolicy_Status plan_fields(const OSPolicy_PageProtectionRequest *r,
                                   OSPolicy_PageTransition *transition, size_t *page_count) {
  *transition = OSPOLICY_TRANSITION_UNSET;
  *page_count = 0;
  if (!OSPolicy_IsValidPageSize(r->page_size)) {
    return OSPOLICY_ERR_BAD_PAGE_SIZE;
  }
  if ((r->flags & ~OSPOLICY_PAGE_RECLAIM) != 0u) {
    return OSPOLICY_ERR_INVALID_ARGUMENT;
  }
  if (!is_known_readable(r->from) || !is_known_readable(r->to)) {
    return OSPOLICY_ERR_BAD_PROTECTION;
  }
  if (is_wx(r->from) || is_wx(r->to)) {
    return OSPOLICY_DENIED_RWX;
  }
  OSPolicy_Status denial = OSPOLICY_STATUS_UNSET;
  OSPolicy_PageTransition t = classify(r->from, r->to, r->flags, &denial);
  if (t == OSPOLICY_TRANSITION_UNSET) {
    return denial;
  }
  if (r->size == 0u) {
    return OSPOLICY_ERR_EMPTY_RANGE;
  }
  size_t mask = r->page_size - 1u;
  if ((r->base & mask) != 0u || (r->size & mask) != 0u) {
    return OSPOLICY_ERR_UNALIGNED;
  }
  uintptr_t end;
  if (__builtin_add_overflow(r->base, r->size, &end)) {
    return OSPOLICY_ERR_OVERFLOW;
  }
  *transition = t;
  *page_count = r->size / r->page_size;
  return OSPOLICY_OK;
}

OSPolicy_Status OSPolicy_PlanPageProtection(const OSPolicy_PageProtectionRequest *request,
                                            OSPolicy_PageProtectionPlan *plan) {
  if (plan == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  if (request == NULL) {
    *plan = (OSPolicy_PageProtectionPlan){.status = OSPOLICY_ERR_NULL_ARGUMENT};
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  OSPolicy_PageTransition transition;
  size_t page_count;
  OSPolicy_Status status = plan_fields(request, &transition, &page_count);
  *plan = (OSPolicy_PageProtectionPlan){
      .status = status,
      .transition = transition,
      .base = request->base,
      .size = request->size,
      .page_size = request->page_size,
      .page_count = page_count,
      .from = request->from,
      .to = request->to,
  };
  return status;
}

OSPolicy_Status OSPolicy_CheckPageProtectionPlan(const OSPolicy_PageProtectionPlan *plan) {
  if (plan == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  if (plan->status != OSPOLICY_OK) {
    return OSPOLICY_ERR_PLAN_NOT_OK;
  }
  OSPolicy_PageProtectionRequest request = {
      .base = plan->base,
      .size = plan->size,
      .page_size = plan->page_size,
      .from = plan->from,
      .to = plan->to,
      .flags = plan->transition == OSPOLICY_TRANSITION_RECLAIM ? OSPOLICY_PAGE_RECLAIM : 0u,
  };
  OSPolicy_PageTransition transition;
  size_t page_count;
  OSPolicy_Status status = plan_fields(&request, &transition, &page_count);
  if (status != OSPOLICY_OK) {
    return status;
  }
  if (transition != plan->transition || page_count != plan->page_count) {
    return OSPOLICY_ERR_PLAN_NOT_OK;
  }
  return OSPOLICY_OK;
}

const char *OSPolicy_PageTransitionName(OSPolicy_PageTransition transition) {
  switch (transition) {
    case OSPOLICY_TRANSITION_SEAL_EXEC:
      return "seal-exec";
    case OSPOLICY_TRANSITION_SEAL_READONLY:
      return "seal-readonly";
    case OSPOLICY_TRANSITION_DROP_EXEC:
      return "drop-exec";
    case OSPOLICY_TRANSITION_RECLAIM:
      return "reclaim";
    case OSPOLICY_TRANSITION_UNSET:
    default:
      return "unset";
  }
}
