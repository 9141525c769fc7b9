/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * A fast, non-cryptographic 32-bit hash of a byte string, eight bytes at a
 * time, for duplicate detection (the JSON parser's member names, the
 * manifest's env names, paths and syscalls). Equal strings hash alike; the
 * callers always confirm a match by comparing the bytes, and never let many
 * equal hashes cost more than a comparison sort would (an attacker can make
 * names collide). `mask` is and-ed into every 8-byte word first: ~0 for the
 * exact bytes, 0xDFDF... to fold ASCII case on [A-Za-z0-9_] names.
 */
#ifndef OSPOLICY_SRC_HASH_H
#define OSPOLICY_SRC_HASH_H

#include <stddef.h>
#include <stdint.h>

#include "ospolicy/byte_order.h"

/* `key` (0 for hash_bytes) seeds the state: the JSON parser passes a
 * per-parse value so that names chosen to collide under one key need not
 * collide under another. */
static inline uint32_t hash_bytes_keyed(const char *data, size_t length, uint64_t mask,
                                        uint64_t key) {
  const unsigned char *p = (const unsigned char *)data;
  uint64_t h = 0x9E3779B97F4A7C15ull ^ key ^ (uint64_t)length;
  uint64_t g = 0xC2B2AE3D27D4EB4Full ^ key;
  size_t i = 0;
  /* Little-endian loads (the same hash on any host; GCC and clang turn the
   * byte loads into one 8-byte load, where a memcpy call under -fno-builtin
   * would stay a call). Two lanes, so long names do not wait on one chain
   * of multiplies. */
  for (; i + 16u <= length; i += 16u) {
    h = (h ^ (OSPolicy_LoadLe64(p + i) & mask)) * 0xFF51AFD7ED558CCDull;
    g = (g ^ (OSPolicy_LoadLe64(p + i + 8u) & mask)) * 0xFF51AFD7ED558CCDull;
    h ^= h >> 29;
    g ^= g >> 29;
  }
  if (i + 8u <= length) {
    h = (h ^ (OSPolicy_LoadLe64(p + i) & mask)) * 0xFF51AFD7ED558CCDull;
    h ^= h >> 29;
    i += 8u;
  }
  if (length >= 16u) {
    h ^= g * 0x9E3779B97F4A7C15ull;
  }
  size_t rest = length - i;
  if (rest != 0u) {
    /* The last 1..7 bytes as one little-endian word, read without a byte
     * loop and never outside the string: overlapping loads agree where they
     * overlap. */
    uint64_t word;
    if (length >= 8u) {
      word = OSPolicy_LoadLe64(p + length - 8u) >> (8u * (8u - rest));
    } else if (rest >= 4u) {
      word = (uint64_t)OSPolicy_LoadLe32(p + i) |
             ((uint64_t)OSPolicy_LoadLe32(p + length - 4u) << (8u * (rest - 4u)));
    } else {
      word = (uint64_t)p[i] | ((uint64_t)p[i + rest / 2u] << (8u * (rest / 2u))) |
             ((uint64_t)p[length - 1u] << (8u * (rest - 1u)));
    }
    h = (h ^ (word & mask)) * 0xFF51AFD7ED558CCDull;
  }
  h ^= h >> 32;
  h *= 0xC4CEB9FE1A85EC53ull;
  return (uint32_t)(h >> 32);
}

static inline uint32_t hash_bytes(const char *data, size_t length, uint64_t mask) {
  return hash_bytes_keyed(data, length, mask, 0u);
}

#endif
