/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * Fuzzes the modsign trust-set parser and editors. Invariants: an accepted
 * trust set re-encodes to exactly the input bytes and stays within capacity;
 * a refused one has no keys, revocations or floors (a verifier refuses it);
 * no key id or public key appears twice in an accepted set, revoked ids are
 * strictly increasing and none is an active key's; a revoked id can never be
 * added back, and revoking frees the key's slot; the enforcement
 * latch of an enforcing set survives any sequence of reloads, good or bad,
 * and re-initialization, for every input (whether it parses or not); editing
 * an accepted set keeps it encodable and never lowers a floor.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ospolicy/modsign.h"

/* The latch, for any input: an enforcing set, reloaded from these bytes, from
 * a prefix of them, from a valid file that does not enforce, and
 * re-initialized, in an order the input picks, enforces after every step. */
static void check_latch(const uint8_t *data, size_t size) {
  static OSPolicy_ModsignTrustSet trust;
  static uint8_t plain[OSPOLICY_MODSIGN_TRUST_MAX_SIZE];
  static size_t plain_size;
  if (plain_size == 0) { /* a valid, empty, non-enforcing trust-set file */
    memset(&trust, 0, sizeof trust);
    if (OSPolicy_InitModsignTrustSet(&trust) != OSPOLICY_OK ||
        OSPolicy_EncodeModsignTrustSet(&trust, plain, sizeof plain, &plain_size) != OSPOLICY_OK ||
        plain[9] != 0u) {
      abort();
    }
  }
  memset(&trust, 0, sizeof trust);
  if (OSPolicy_InitModsignTrustSet(&trust) != OSPOLICY_OK ||
      OSPolicy_EnableModsignEnforcement(&trust) != OSPOLICY_OK) {
    abort();
  }
  uint8_t order = size > 0 ? data[0] : 0;
  for (unsigned step = 0; step < 4; step++) {
    switch ((order >> (2u * step)) & 3u) {
      case 0:
        (void)OSPolicy_ParseModsignTrustSet(data, size, &trust);
        break;
      case 1:
        (void)OSPolicy_ParseModsignTrustSet(data, size / 2, &trust);
        break;
      case 2:
        if (OSPolicy_ParseModsignTrustSet(plain, plain_size, &trust) != OSPOLICY_OK) {
          abort();
        }
        break;
      default:
        if (OSPolicy_InitModsignTrustSet(&trust) != OSPOLICY_OK) {
          abort();
        }
        break;
    }
    if (trust.enforce != 1u) {
      abort();
    }
  }
  /* The last word: a valid non-enforcing file still enforces. */
  if (OSPolicy_ParseModsignTrustSet(plain, plain_size, &trust) != OSPOLICY_OK ||
      trust.enforce != 1u) {
    abort();
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  check_latch(data, size);
  static OSPolicy_ModsignTrustSet trust; /* large: keep it off the fuzzer's stack */
  memset(&trust, 0, sizeof trust);
  OSPolicy_Status status = OSPolicy_ParseModsignTrustSet(data, size, &trust);
  if (status != trust.status || status == OSPOLICY_STATUS_UNSET) {
    abort();
  }
  static uint8_t again[OSPOLICY_MODSIGN_TRUST_MAX_SIZE];
  size_t written = 0;
  if (status != OSPOLICY_OK) {
    if (trust.key_count != 0 || trust.revoked_count != 0 || trust.floor_count != 0 ||
        trust.error_offset > size || trust.error_field == OSPOLICY_MODSIGN_FIELD_NONE ||
        OSPolicy_EncodeModsignTrustSet(&trust, again, sizeof again, &written) !=
            OSPOLICY_ERR_PLAN_NOT_OK) {
      abort();
    }
    return 0;
  }
  if (trust.key_count > OSPOLICY_MODSIGN_MAX_KEYS ||
      trust.revoked_count > OSPOLICY_MODSIGN_MAX_REVOKED ||
      trust.floor_count > OSPOLICY_MODSIGN_MAX_FLOORS ||
      OSPolicy_EncodeModsignTrustSet(&trust, again, sizeof again, &written) != OSPOLICY_OK ||
      written != size || memcmp(again, data, size) != 0) {
    abort();
  }
  for (uint32_t k = 0; k < trust.key_count; k++) {
    if (OSPolicy_IsModsignKeyRevoked(&trust, trust.keys[k].key_id)) {
      abort();
    }
    for (uint32_t j = 0; j < k; j++) {
      if (memcmp(trust.keys[j].key_id, trust.keys[k].key_id, OSPOLICY_MODSIGN_KEY_ID_SIZE) == 0 ||
          memcmp(trust.keys[j].public_key, trust.keys[k].public_key,
                 OSPOLICY_MODSIGN_PUBLIC_KEY_SIZE) == 0) {
        abort();
      }
    }
  }
  for (uint32_t r = 1; r < trust.revoked_count; r++) {
    if (memcmp(trust.revoked[r - 1u], trust.revoked[r], OSPOLICY_MODSIGN_KEY_ID_SIZE) >= 0) {
      abort();
    }
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
  if (size >= 40) {
    uint32_t keys_before = trust.key_count;
    int was_active = 0;
    for (uint32_t k = 0; k < trust.key_count; k++) {
      was_active |= memcmp(trust.keys[k].key_id, data + size - 8, 8) == 0;
    }
    OSPolicy_Status revoked = OSPolicy_RevokeModsignKey(&trust, data + size - 8);
    if (revoked != OSPOLICY_OK && revoked != OSPOLICY_ERR_TOO_MANY) {
      abort();
    }
    if (revoked == OSPOLICY_OK &&
        (!OSPolicy_IsModsignKeyRevoked(&trust, data + size - 8) ||
         trust.key_count != keys_before - (was_active ? 1u : 0u) ||
         OSPolicy_AddModsignKey(&trust, data + size - 8, data + size - 40) !=
             OSPOLICY_DENIED_MODSIGN_REVOKED_KEY)) {
      abort();
    }
    if (revoked == OSPOLICY_ERR_TOO_MANY && trust.key_count != keys_before) {
      abort();
    }
  }
  /* A key already in the set never goes in again under another id. */
  if (trust.key_count > 0) {
    uint8_t alias[OSPOLICY_MODSIGN_KEY_ID_SIZE];
    memcpy(alias, trust.keys[0].key_id, sizeof alias);
    alias[0] ^= 0x80u;
    OSPolicy_Status added = OSPolicy_AddModsignKey(&trust, alias, trust.keys[0].public_key);
    if (added == OSPOLICY_OK) {
      abort();
    }
  }
  if (OSPolicy_EncodeModsignTrustSet(&trust, again, sizeof again, &written) != OSPOLICY_OK) {
    abort();
  }
  /* The latch on an edited set: a reload from these bytes, then from half
   * of them (usually refused), then from a valid non-enforcing file. */
  if (OSPolicy_EnableModsignEnforcement(&trust) != OSPOLICY_OK) {
    abort();
  }
  (void)OSPolicy_ParseModsignTrustSet(data, size, &trust);
  (void)OSPolicy_ParseModsignTrustSet(data, size / 2, &trust);
  if (trust.enforce != 1u || OSPolicy_InitModsignTrustSet(&trust) != OSPOLICY_OK ||
      trust.enforce != 1u) {
    abort();
  }
  return 0;
}
