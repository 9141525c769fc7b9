/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * Fuzzes the IMDS request-head parser with raw bytes and the planner with
 * what it parsed, and checks their invariants: a parsed head lies inside the
 * input and the size limits; a refused head leaves no request behind; the
 * app itself is never allowed; an allowed request has clean framing, no
 * X-Forwarded-For, a safe path and a valid token (GET) or a TTL within the
 * policy (PUT), and credentials only of the policy's role. The first input
 * byte chooses the token state the supervisor reports.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ospolicy/imds_policy.h"

static const OSPolicy_ManifestString granted[] = {
    {"/latest/meta-data/instance-id", 29, 0},
    {"/latest/meta-data/placement/", 28, 0},
    {"/latest/user-data", 17, 0},
};

static int contains(const char *s, size_t n, const char *needle) {
  size_t k = strlen(needle);
  for (size_t i = 0; i + k <= n; i++) {
    if (memcmp(s + i, needle, k) == 0) {
      return 1;
    }
  }
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0) {
    return 0;
  }
  OSPolicy_ImdsTokenState state = (OSPolicy_ImdsTokenState)(data[0] % 3u);
  const char *bytes = (const char *)data + 1;
  size_t length = size - 1;
  OSPolicy_ImdsRequest request;
  OSPolicy_ImdsParse parse;
  OSPolicy_Status status = OSPolicy_ParseImdsRequest(bytes, length, &request, &parse);
  if (status != parse.status || parse.reason == NULL) {
    abort();
  }
  if (status != OSPOLICY_OK) {
    if (request.target != NULL || request.token != NULL || request.flags != 0 ||
        parse.error_offset > length ||
        (status != OSPOLICY_ERR_IMDS_MALFORMED && status != OSPOLICY_ERR_IMDS_TOO_LARGE)) {
      abort();
    }
    return 0;
  }
  if (parse.head_length > length || parse.head_length > OSPOLICY_IMDS_MAX_HEAD ||
      request.target == NULL || request.target < bytes ||
      request.target + request.target_length > bytes + parse.head_length ||
      request.target_length > OSPOLICY_IMDS_MAX_PATH ||
      (request.token != NULL && request.token_length > OSPOLICY_IMDS_MAX_TOKEN)) {
    abort();
  }
  const OSPolicy_ImdsPolicy policy = {.access = OSPOLICY_METADATA_ACCESS_SUPERVISED,
                                      .paths = granted,
                                      .path_count = 3,
                                      .role = "reader",
                                      .role_length = 6,
                                      .token_ttl_max = 300};
  OSPolicy_ImdsDecision decision;
  request.requester = OSPOLICY_IMDS_REQUESTER_APP;
  if (OSPolicy_DecideImdsRequest(&policy, &request, &decision) != OSPOLICY_DENIED_IMDS_DIRECT ||
      decision.decision != OSPOLICY_DECISION_DENY) {
    abort();
  }
  request.requester = OSPOLICY_IMDS_REQUESTER_SUPERVISOR;
  request.token_state = state;
  status = OSPolicy_DecideImdsRequest(&policy, &request, &decision);
  if (status != decision.status || decision.reason == NULL ||
      (status == OSPOLICY_OK) != (decision.decision == OSPOLICY_DECISION_ALLOW)) {
    abort();
  }
  if (status != OSPOLICY_OK) {
    if (decision.action != OSPOLICY_IMDS_ACTION_UNSET || decision.http_status < 400) {
      abort();
    }
    return 0;
  }
  if (request.flags != 0) {
    abort();
  }
  if (decision.action == OSPOLICY_IMDS_ACTION_ISSUE_TOKEN) {
    if (request.method != OSPOLICY_IMDS_METHOD_PUT || decision.token_ttl < 1 ||
        decision.token_ttl > 300) {
      abort();
    }
    return 0;
  }
  if (request.method != OSPOLICY_IMDS_METHOD_GET || state != OSPOLICY_IMDS_TOKEN_VALID ||
      request.token == NULL ||
      OSPolicy_CheckImdsPath(request.target, request.target_length, NULL) != OSPOLICY_OK ||
      contains(request.target, request.target_length, "/../") ||
      contains(request.target, request.target_length, "/./") ||
      (request.target_length >= 3 &&
       memcmp(request.target + request.target_length - 3, "/..", 3) == 0) ||
      contains(request.target, request.target_length, "%") ||
      contains(request.target, request.target_length, "//")) {
    abort();
  }
  static const char credentials[] = OSPOLICY_IMDS_CREDENTIALS_PATH "/";
  if (request.target_length >= sizeof credentials - 1 &&
      memcmp(request.target, credentials, sizeof credentials - 1) == 0 &&
      decision.action == OSPOLICY_IMDS_ACTION_FETCH &&
      (request.target_length != sizeof credentials - 1 + 6 ||
       memcmp(request.target + sizeof credentials - 1, "reader", 6) != 0)) {
    abort();
  }
  return 0;
}
