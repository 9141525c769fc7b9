/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * The MAC policy blob layout (docs/mac.md), shared by the parser and
 * decision (mac.c) and the compiler (mac_compile.c). Little-endian fields,
 * read byte by byte (the compiler turns the shifts into plain loads).
 */
#ifndef OSPOLICY_SRC_MAC_FORMAT_H
#define OSPOLICY_SRC_MAC_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mem.h"
#include "ospolicy/mac.h"

/* Header field offsets (the magic is at 0). */
#define MAC_HDR_VERSION 8u
#define MAC_HDR_FLAGS 12u
#define MAC_HDR_TOTAL_SIZE 16u
#define MAC_HDR_LEVELS 20u
#define MAC_HDR_CATEGORIES 24u
#define MAC_HDR_LABELS 28u
#define MAC_HDR_RULES 32u
#define MAC_HDR_BUCKETS 36u
#define MAC_HDR_MAX_PROBE 40u
#define MAC_HDR_STRINGS 44u

/* Entry fields: every named entry starts with u32 name offset, u8 length. */
#define MAC_LEVEL_VALUE 5u
#define MAC_LABEL_LEVEL 5u
#define MAC_LABEL_CATEGORIES 8u
#define MAC_RULE_SUBJECT 0u
#define MAC_RULE_OBJECT 4u
#define MAC_RULE_OP 8u
#define MAC_RULE_EFFECTS 9u
#define MAC_RULE_ALLOW_LINE 12u
#define MAC_RULE_DENY_LINE 16u

#define MAC_EFFECT_ALLOW 0x01u
#define MAC_EFFECT_DENY 0x02u

static inline uint32_t mac_get32(const uint8_t *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t mac_get64(const uint8_t *p) {
  return (uint64_t)mac_get32(p) | (uint64_t)mac_get32(p + 4) << 32;
}

static inline void mac_put32(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)v;
  p[1] = (uint8_t)(v >> 8);
  p[2] = (uint8_t)(v >> 16);
  p[3] = (uint8_t)(v >> 24);
}

static inline void mac_put64(uint8_t *p, uint64_t v) {
  mac_put32(p, (uint32_t)v);
  mac_put32(p + 4, (uint32_t)(v >> 32));
}

/* Rule key: (subject, object, op) in lexicographic order; ids < 2^16. */
static inline uint64_t mac_key(uint32_t subject, uint32_t object, uint32_t op) {
  return (uint64_t)subject << 24 | (uint64_t)object << 4 | (uint64_t)op;
}

static inline uint64_t mac_rule_key(const uint8_t *rule) {
  return mac_key(mac_get32(rule + MAC_RULE_SUBJECT), mac_get32(rule + MAC_RULE_OBJECT),
                 rule[MAC_RULE_OP]);
}

/* Fibonacci hashing: the top bits of key * 2^64/phi. shift = 64 - log2(buckets). */
static inline uint32_t mac_hash(uint64_t key, uint32_t shift) {
  if (shift >= 64u) {
    return 0u;
  }
  return (uint32_t)(((key + 1u) * 0x9E3779B97F4A7C15ull) >> shift);
}

/* Label a dominates label b. */
static inline bool mac_dominates(uint32_t level_a, uint64_t cats_a, uint32_t level_b, uint64_t cats_b) {
  return level_a >= level_b && (cats_b & ~cats_a) == 0u;
}

static inline OSPolicy_Status mac_default_rule(uint32_t s_level, uint64_t s_cats, uint32_t o_level,
                                 uint64_t o_cats, uint32_t op) {
  bool read_ok = mac_dominates(s_level, s_cats, o_level, o_cats);
  bool write_ok = mac_dominates(o_level, o_cats, s_level, s_cats);
  switch (op) {
    case OSPOLICY_MAC_OP_READ:
    case OSPOLICY_MAC_OP_EXEC:
      return read_ok ? OSPOLICY_OK : OSPOLICY_DENIED_MAC_READ_UP;
    case OSPOLICY_MAC_OP_WRITE:
    case OSPOLICY_MAC_OP_NET:
      return write_ok ? OSPOLICY_OK : OSPOLICY_DENIED_MAC_WRITE_DOWN;
    case OSPOLICY_MAC_OP_IPC:
    default:
      return !read_ok ? OSPOLICY_DENIED_MAC_READ_UP
             : !write_ok ? OSPOLICY_DENIED_MAC_WRITE_DOWN
                         : OSPOLICY_OK;
  }
}

static inline bool mac_name_valid(const uint8_t *name, size_t length) {
  if (length == 0u || length > OSPOLICY_MAC_NAME_MAX) {
    return false;
  }
  for (size_t i = 0; i < length; i++) {
    uint8_t c = name[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '.' || c == '-';
    if (!ok) {
      return false;
    }
  }
  return true;
}

static inline int mac_name_compare(const uint8_t *a, size_t a_length, const uint8_t *b, size_t b_length) {
  size_t n = a_length < b_length ? a_length : b_length;
  int c = memcmp(a, b, n);
  if (c != 0) {
    return c;
  }
  return a_length < b_length ? -1 : a_length > b_length ? 1 : 0;
}


#endif
