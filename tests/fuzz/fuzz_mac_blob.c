/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * Fuzzes the MAC policy blob parser with arbitrary bytes (read in place, so
 * ASan sees any read past the input) and checks:
 *   - a refusal has a known status, a non-empty field and an offset <= size,
 *     and a refused policy denies every decision;
 *   - an accepted blob answers every decision over its labels without
 *     reading outside it, each label is found again by its name, and a
 *     decision by rule agrees with the rule's line being set.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ospolicy/mac.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  /* An exact-size heap copy: a read past the end is an ASan report. */
  uint8_t *copy = malloc(size == 0u ? 1u : size);
  memcpy(copy, data, size);
  OSPolicy_MacPolicy policy;
  OSPolicy_Status status = OSPolicy_ParseMacPolicy(copy, size, &policy);
  if (status != policy.status || OSPolicy_GetStatusClass(status) == OSPOLICY_CLASS_UNKNOWN) {
    abort();
  }
  OSPolicy_MacDecision d;
  if (status != OSPOLICY_OK) {
    if (policy.error_field == NULL || policy.error_field[0] == '\0' ||
        policy.error_offset > size ||
        OSPolicy_DecideMac(&policy, 0, 0, OSPOLICY_MAC_OP_READ, &d) != OSPOLICY_ERR_PLAN_NOT_OK ||
        d.decision != OSPOLICY_DECISION_DENY) {
      abort();
    }
    free(copy);
    return 0;
  }
  uint32_t labels = policy.label_count < 32u ? policy.label_count : 32u;
  for (uint32_t s = 0; s < labels; s++) {
    OSPolicy_MacLabel label;
    uint32_t id = 0;
    if (OSPolicy_GetMacLabel(&policy, s, &label) != OSPOLICY_OK ||
        OSPolicy_FindMacLabel(&policy, label.name, label.name_length, &id) != OSPOLICY_OK ||
        id != s) {
      abort();
    }
    const char *name = NULL;
    size_t length = 0;
    if (OSPolicy_GetMacLevelName(&policy, label.level, &name, &length) != OSPOLICY_OK) {
      abort();
    }
    for (uint32_t o = 0; o < labels; o++) {
      for (uint32_t op = 1; op <= OSPOLICY_MAC_OP_COUNT; op++) {
        OSPolicy_Status st = OSPolicy_DecideMac(&policy, s, o, op, &d);
        if (st != d.status || (st == OSPOLICY_OK) != (d.decision == OSPOLICY_DECISION_ALLOW) ||
            (d.rule != OSPOLICY_MAC_RULE_DEFAULT) != (d.rule_line != 0u)) {
          abort();
        }
      }
    }
  }
  if (OSPolicy_DecideMac(&policy, policy.label_count, 0, OSPOLICY_MAC_OP_READ, &d) !=
      OSPOLICY_ERR_INVALID_ARGUMENT) {
    abort();
  }
  free(copy);
  return 0;
}
