/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * Fuzzes the page-protection planner with arbitrary request fields and checks
 * its invariants: an OK plan is never W+X, is aligned, does not wrap, and
 * passes OSPolicy_CheckPageProtectionPlan; a failed plan never does.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ospolicy/page_protection.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  OSPolicy_PageProtectionRequest request;
  memset(&request, 0, sizeof request);
  memcpy(&request, data, size < sizeof request ? size : sizeof request);
  OSPolicy_PageProtectionPlan plan;
  OSPolicy_Status status = OSPolicy_PlanPageProtection(&request, &plan);
  if (status != plan.status) {
    abort();
  }
  OSPolicy_Status check = OSPolicy_CheckPageProtectionPlan(&plan);
  if (status == OSPOLICY_OK) {
    uintptr_t end;
    if (check != OSPOLICY_OK || ((plan.to & OSPOLICY_PROT_WRITE) && (plan.to & OSPOLICY_PROT_EXEC)) ||
        plan.base % plan.page_size != 0 || plan.size % plan.page_size != 0 || plan.size == 0 ||
        __builtin_add_overflow(plan.base, plan.size, &end) ||
        plan.page_count != plan.size / plan.page_size) {
      abort();
    }
  } else if (check == OSPOLICY_OK) {
    abort();
  }
  return 0;
}
