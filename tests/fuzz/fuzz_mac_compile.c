/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * Fuzzes the MAC policy compiler with arbitrary text and checks:
 *   - the status equals result.status, is never UNSET, and an error has a
 *     position inside the text (line and column from 1, offset <= size) and
 *     a message; only neverallow and duplicates name another line (a
 *     duplicate an earlier one; a neverallow the allow that breaks it, on
 *     another line before or after it);
 *   - an accepted policy yields a blob the parser accepts, compiling twice
 *     gives the same bytes, the size query agrees, and every decision over
 *     its labels returns a decision record consistent with its status.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ospolicy/mac.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *text = (const char *)data;
  size_t workspace_size = 0;
  if (OSPolicy_GetMacCompileWorkspaceSize(text, size, &workspace_size) != OSPOLICY_OK) {
    abort();
  }
  void *workspace = malloc(workspace_size);
  OSPolicy_MacCompileRequest request = {.text = text, .size = size, .workspace = workspace,
                                        .workspace_size = workspace_size};
  OSPolicy_MacCompileResult result;
  OSPolicy_Status status = OSPolicy_CompileMacPolicy(&request, &result); /* size query */
  if (status != result.status || status == OSPOLICY_STATUS_UNSET || status == OSPOLICY_OK ||
      result.message == NULL) {
    abort();
  }
  if (status != OSPOLICY_ERR_BUFFER_TOO_SMALL) {
    if (result.line == 0u || result.column == 0u || result.offset > size ||
        result.message[0] == '\0' || result.blob_size != 0u) {
      abort();
    }
    if (result.other_line != 0u && status != OSPOLICY_ERR_MAC_NEVERALLOW &&
        status != OSPOLICY_ERR_MAC_DUPLICATE_NAME && status != OSPOLICY_ERR_MAC_DUPLICATE_RULE) {
      abort();
    }
    uint32_t lines = 1;
    for (size_t i = 0; i < size; i++) {
      lines += data[i] == '\n';
    }
    if (result.other_line > lines) {
      abort(); /* the other rule or declaration is a line of this text */
    }
    if (status == OSPOLICY_ERR_MAC_NEVERALLOW) {
      /* The assertion holds against the whole policy, so the allow that
       * breaks it may stand before or after it, but never on its line. */
      if (result.other_line == result.line) {
        abort();
      }
    } else if (result.other_line >= result.line && result.other_line != 0u) {
      abort(); /* a duplicate names its first occurrence, an earlier line */
    }
    free(workspace);
    return 0;
  }
  size_t blob_size = result.blob_size;
  uint8_t *blob = malloc(blob_size);
  uint8_t *again = malloc(blob_size);
  request.out = blob;
  request.out_capacity = blob_size;
  if (OSPolicy_CompileMacPolicy(&request, &result) != OSPOLICY_OK || result.blob_size != blob_size) {
    abort();
  }
  request.out = again;
  if (OSPolicy_CompileMacPolicy(&request, &result) != OSPOLICY_OK ||
      memcmp(blob, again, blob_size) != 0) {
    abort();
  }
  OSPolicy_MacPolicy policy;
  if (OSPolicy_ParseMacPolicy(blob, blob_size, &policy) != OSPOLICY_OK ||
      policy.label_count != result.label_count || policy.rule_count != result.rule_count) {
    abort();
  }
  uint32_t labels = policy.label_count < 24u ? policy.label_count : 24u;
  for (uint32_t s = 0; s < labels; s++) {
    for (uint32_t o = 0; o < labels; o++) {
      for (uint32_t op = 1; op <= OSPOLICY_MAC_OP_COUNT; op++) {
        OSPolicy_MacDecision d;
        OSPolicy_Status st = OSPolicy_DecideMac(&policy, s, o, op, &d);
        if (st != d.status || (st == OSPOLICY_OK) != (d.decision == OSPOLICY_DECISION_ALLOW) ||
            (d.rule == OSPOLICY_MAC_RULE_DEFAULT) != (d.rule_line == 0u) ||
            (d.rule == OSPOLICY_MAC_RULE_DEFAULT && st != d.default_status) ||
            (st != OSPOLICY_OK && st != OSPOLICY_DENIED_MAC_DENY_RULE &&
             st != OSPOLICY_DENIED_MAC_READ_UP && st != OSPOLICY_DENIED_MAC_WRITE_DOWN)) {
          abort();
        }
      }
    }
  }
  free(again);
  free(blob);
  free(workspace);
  return 0;
}
