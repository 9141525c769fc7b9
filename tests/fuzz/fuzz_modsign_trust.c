/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * Fuzzes the modsign trust-set parser and editors. Invariants: an accepted
 * trust set re-encodes to exactly the input bytes and stays within capacity;
 * a refused one has no keys and no floors (a verifier refuses it); the
 * enforcement latch of an enforcing set survives any reload, good or bad;
 * editing an accepted set keeps it encodable and never lowers a floor.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ospolicy/modsign.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static OSPolicy_ModsignTrustSet trust; /* large: keep it off the fuzzer's stack */
  memset(&trust, 0, sizeof trust);
  OSPolicy_Status status = OSPolicy_ParseModsignTrustSet(data, size, &trust);
  if (status != trust.status || status == OSPOLICY_STATUS_UNSET) {
    abort();
  }
  static uint8_t again[OSPOLICY_MODSIGN_TRUST_MAX_SIZE];
  size_t written = 0;
  if (status != OSPOLICY_OK) {
    if (trust.key_count != 0 || trust.floor_count != 0 || trust.error_offset > size ||
        OSPolicy_EncodeModsignTrustSet(&trust, again, sizeof again, &written) !=
            OSPOLICY_ERR_PLAN_NOT_OK) {
      abort();
    }
    return 0;
  }
  if (trust.key_count > OSPOLICY_MODSIGN_MAX_KEYS ||
      trust.floor_count > OSPOLICY_MODSIGN_MAX_FLOORS ||
      OSPolicy_EncodeModsignTrustSet(&trust, again, sizeof again, &written) != OSPOLICY_OK ||
      written != size || memcmp(again, data, size) != 0) {
    abort();
  }
  /* Edit with bytes taken from the input. */
  if (trust.floor_count > 0) {
    const OSPolicy_ModsignFloor *f = &trust.floors[0];
    uint64_t old = f->min_generation;
    OSPolicy_Status raised = OSPolicy_RaiseModsignFloor(&trust, f->kind, f->name, f->name_length,
                                                        old == 0 ? 0 : old - 1);
    if ((old != 0 && raised != OSPOLICY_DENIED_MODSIGN_FLOOR_LOWERED) ||
        trust.floors[0].min_generation != old) {
      abort();
    }
  }
  if (size >= 24) {
    OSPolicy_Status revoked = OSPolicy_RevokeModsignKey(&trust, data + size - 8);
    if (revoked != OSPOLICY_OK && revoked != OSPOLICY_ERR_TOO_MANY) {
      abort();
    }
    if (revoked == OSPOLICY_OK &&
        OSPolicy_AddModsignKey(&trust, data + size - 8, data + size - 24) !=
            OSPOLICY_DENIED_MODSIGN_REVOKED_KEY) {
      abort();
    }
  }
  if (OSPolicy_EncodeModsignTrustSet(&trust, again, sizeof again, &written) != OSPOLICY_OK) {
    abort();
  }
  /* The latch: an enforcing set reloaded from these bytes (or garbage) still enforces. */
  if (OSPolicy_EnableModsignEnforcement(&trust) != OSPOLICY_OK) {
    abort();
  }
  (void)OSPolicy_ParseModsignTrustSet(data, size, &trust);
  if (trust.enforce != 1u) {
    abort();
  }
  (void)OSPolicy_ParseModsignTrustSet(data, size / 2, &trust);
  if (trust.enforce != 1u) {
    abort();
  }
  return 0;
}
