/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
#include "ospolicy/stack_canary.h"

#include <stddef.h>

int OSPolicy_IsValidStackCanary(uint64_t value) {
  return value != 0u && (value & ~OSPOLICY_STACK_CANARY_MASK) == 0u;
}

OSPolicy_Status OSPolicy_MakeStackCanary(const OSPolicy_RandomWordSource *random,
                                         OSPolicy_StackCanary *canary) {
  if (canary == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  if (random == NULL || random->next == NULL) {
    *canary = (OSPolicy_StackCanary){.status = OSPOLICY_ERR_NULL_ARGUMENT};
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  for (uint32_t draw = 1; draw <= OSPOLICY_STACK_CANARY_MAX_DRAWS; draw++) {
    uint64_t word = 0;
    OSPolicy_Status status = OSPolicy_NextRandomWord(random, &word);
    if (status != OSPOLICY_OK) {
      *canary = (OSPolicy_StackCanary){.status = status, .draws = draw};
      return status;
    }
    uint64_t value = word & OSPOLICY_STACK_CANARY_MASK;
    if (value != 0u) {
      *canary = (OSPolicy_StackCanary){.status = OSPOLICY_OK, .value = value, .draws = draw};
      return OSPOLICY_OK;
    }
  }
  *canary = (OSPolicy_StackCanary){.status = OSPOLICY_ERR_RANDOM_EXHAUSTED,
                                   .draws = OSPOLICY_STACK_CANARY_MAX_DRAWS};
  return OSPOLICY_ERR_RANDOM_EXHAUSTED;
}
