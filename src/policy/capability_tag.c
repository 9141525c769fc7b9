/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * Keyed capability tags (docs/capability.md), in OSPolicy::crypto: libsodium's
 * crypto_shorthash (SipHash-2-4) keyed from the entropy pool. No primitive is
 * implemented here.
 */
#include <sodium/crypto_shorthash.h>
#include <sodium/utils.h>
#include <stddef.h>

#include "mem.h"
#include "ospolicy/capability.h"
#include "ospolicy/entropy_pool.h"

_Static_assert(OSPOLICY_CAP_TAG_KEY_SIZE == crypto_shorthash_KEYBYTES, "tag key size");

static void put32(uint8_t *p, uint32_t v) {
  for (unsigned i = 0; i < 4u; i++) {
    p[i] = (uint8_t)(v >> (8u * i));
  }
}

uint16_t OSPolicy_CapabilityShorthashTag(const uint8_t key[OSPOLICY_CAP_TAG_KEY_SIZE],
                                         uint32_t slot, uint64_t generation, uint32_t owner) {
  uint8_t message[16];
  put32(message, slot);
  put32(message + 4, (uint32_t)generation);
  put32(message + 8, (uint32_t)(generation >> 32));
  put32(message + 12, owner);
  uint8_t hash[crypto_shorthash_BYTES];
  crypto_shorthash(hash, message, sizeof message, key);
  return (uint16_t)(hash[0] | hash[1] << 8);
}

OSPolicy_Status OSPolicy_KeyCapabilityTable(OSPolicy_CapabilityTable *table,
                                            OSPolicy_EntropyPool *pool) {
  if (table == NULL || pool == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  if (table->status != OSPOLICY_OK || table->slots == NULL) {
    return OSPOLICY_ERR_PLAN_NOT_OK;
  }
  if (table->used != 0u) {
    return OSPOLICY_ERR_INVALID_ARGUMENT;
  }
  uint8_t key[OSPOLICY_CAP_TAG_KEY_SIZE];
  OSPolicy_Status status = OSPolicy_GenerateEntropyPoolBytes(pool, key, sizeof key);
  if (status != OSPOLICY_OK) {
    return status;
  }
  memcpy(table->tag_key, key, sizeof key);
  sodium_memzero(key, sizeof key);
  table->tag = OSPolicy_CapabilityShorthashTag;
  return OSPOLICY_OK;
}
