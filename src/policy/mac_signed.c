/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * Loading a signed MAC policy (docs/mac.md), in OSPolicy::crypto: the
 * signature is checked with the modsign verifier (libsodium) over exactly the
 * bytes the freestanding parser then reads.
 */
#include <stddef.h>

#include "mem.h"
#include "ospolicy/mac.h"
#include "ospolicy/modsign.h"

OSPolicy_Status OSPolicy_LoadSignedMacPolicy(const OSPolicy_ModsignTrustSet *trust,
                                             const OSPolicy_MacSignedBlob *signed_blob,
                                             OSPolicy_ModsignResult *signature,
                                             OSPolicy_MacPolicy *policy) {
  if (policy == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  memset(policy, 0, sizeof *policy);
  policy->error_field = "signature";
  if (trust == NULL || signed_blob == NULL || signature == NULL) {
    policy->status = OSPOLICY_ERR_NULL_ARGUMENT;
    return policy->status;
  }
  OSPolicy_ModsignRequest request = {.envelope = signed_blob->envelope,
                                     .envelope_size = signed_blob->envelope_size,
                                     .kind = OSPOLICY_MODSIGN_KIND_DATA,
                                     .name = signed_blob->name,
                                     .name_length = signed_blob->name_length};
  OSPolicy_Status status = OSPolicy_VerifyModsign(trust, &request, signed_blob->blob,
                                                  signed_blob->blob_size, signature);
  if (status != OSPOLICY_OK) {
    /* Not even a non-enforcing trust set lets an unverified policy through. */
    policy->status = status == OSPOLICY_STATUS_UNSET ? OSPOLICY_ERR_PLAN_NOT_OK : status;
    policy->error_offset = signature->error_offset;
    return policy->status;
  }
  return OSPolicy_ParseMacPolicy(signed_blob->blob, signed_blob->blob_size, policy);
}
