/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * Capability tokens (docs/capability.md).
 *
 * A capability table is owned by the caller (a kernel keeps one for the
 * agents that may pass capabilities to each other). Each slot holds one
 * capability: the agent that holds it, the object it names (a 64-bit id whose
 * meaning is the caller's), its rights, and its place in the derivation tree.
 * Agents see 64-bit tokens:
 *
 *     token = tag << 48 | generation << 20 | slot   (slot 20 bits, generation 28, tag 16)
 *
 * The authority is the table, not the integer: a token is checked against
 * the slot it names, so a token that was never minted, whose generation is
 * stale (revoked, or moved by a transfer), that names a slot held by another
 * agent, or that lacks a right is refused, each with its own status. Token 0
 * is never valid (generations start at 1). The tag is 0 unless the table was
 * keyed with OSPolicy_KeyCapabilityTable (OSPolicy::crypto): then it is a
 * keyed hash (libsodium crypto_shorthash, SipHash-2-4, keyed from the entropy
 * pool) of the slot, generation and holder, computed when the token is issued
 * and stored in the slot, so checking stays a comparison. Guessing a live
 * token of a keyed table then also needs its 16-bit tag: a wrong one is
 * refused as never minted.
 *
 * Operations (all O(1) except revoke, which is O(size of the revoked subtree)):
 *   mint      the kernel creates a root capability for an agent;
 *   derive    the holder creates a child with a subset of the rights (a
 *             wider set is refused, not clamped);
 *   transfer  the holder moves a capability to another agent (needs the
 *             GRANT right): the slot's generation advances, so the sender's
 *             token goes stale; descendants stay in the tree;
 *   revoke    the holder revokes a capability and everything derived from
 *             it (transitively): each slot is freed, so every outstanding
 *             token for it is stale at once, and its next occupant gets a
 *             newer generation;
 *   check     may AGENT use TOKEN for RIGHTS? Returns the object and rights.
 *
 * Memory rules: the table and its slot array are owned by the caller; the
 * table keeps the slot pointer given to Init. No allocation, no global state;
 * a table is not thread-safe (the caller serializes, e.g. under the gate's lock).
 * A failed operation changes nothing: a full table refuses new tokens without
 * touching existing ones.
 */
#ifndef OSPOLICY_CAPABILITY_H
#define OSPOLICY_CAPABILITY_H

#include <stdint.h>

#include "ospolicy/status.h"

struct OSPolicy_EntropyPool;

/* Rights. */
#define OSPOLICY_CAP_READ 0x01u
#define OSPOLICY_CAP_WRITE 0x02u
#define OSPOLICY_CAP_EXEC 0x04u
#define OSPOLICY_CAP_IPC 0x08u
#define OSPOLICY_CAP_NET 0x10u
#define OSPOLICY_CAP_FS 0x20u
#define OSPOLICY_CAP_GRANT 0x40u /* may be transferred to another agent */
#define OSPOLICY_CAP_ALL_RIGHTS 0x7Fu

#define OSPOLICY_CAP_SLOT_BITS 20u
#define OSPOLICY_CAP_GENERATION_BITS 28u
#define OSPOLICY_CAP_TAG_BITS 16u
#define OSPOLICY_CAP_MAX_SLOTS ((uint32_t)1u << OSPOLICY_CAP_SLOT_BITS) /* 1,048,576 */
#define OSPOLICY_CAP_MAX_GENERATION ((((uint64_t)1u) << OSPOLICY_CAP_GENERATION_BITS) - 1u)
#define OSPOLICY_CAP_TAG_KEY_SIZE 16u /* crypto_shorthash_KEYBYTES */

/* Agents are named by non-zero 32-bit ids chosen by the caller. */
#define OSPOLICY_CAP_NO_AGENT 0u

typedef uint64_t OSPolicy_CapabilityToken;

/* One slot. Links are slot index + 1 (0: none). Written only by this library;
 * the caller provides the storage (zero-filled or not: Init writes it all). */
typedef struct OSPolicy_CapabilitySlot {
  uint64_t object;     /* the caller's object id */
  uint64_t generation; /* of the current (or last) occupant; 0: never used */
  uint32_t owner;      /* holding agent; OSPOLICY_CAP_NO_AGENT when free */
  uint32_t rights;     /* OSPOLICY_CAP_* bits */
  uint32_t parent;
  uint32_t first_child;
  uint32_t next_sibling;
  uint32_t prev_sibling;
  uint32_t next_free;
  uint32_t tag; /* the current token's tag (0 in an unkeyed table) */
} OSPolicy_CapabilitySlot;

/* Computes a token's tag; set by OSPolicy_KeyCapabilityTable. */
typedef uint16_t (*OSPolicy_CapabilityTagFn)(const uint8_t key[OSPOLICY_CAP_TAG_KEY_SIZE],
                                             uint32_t slot, uint64_t generation, uint32_t owner);

typedef struct OSPolicy_CapabilityTable {
  OSPolicy_Status status; /* OK once initialized; every operation refuses another */
  uint32_t capacity;      /* slots */
  uint32_t used;          /* slots holding a capability */
  uint32_t retired;       /* slots whose generation is exhausted (never reused) */
  uint32_t free_head;     /* slot index + 1 of the first free slot; 0: full */
  OSPolicy_CapabilitySlot *slots;
  OSPolicy_CapabilityTagFn tag; /* NULL: unkeyed, every tag is 0 */
  uint8_t tag_key[OSPOLICY_CAP_TAG_KEY_SIZE];
} OSPolicy_CapabilityTable;

/* What a successful check found. */
typedef struct OSPolicy_CapabilityInfo {
  uint64_t object;
  uint32_t rights;
  uint32_t slot;
} OSPolicy_CapabilityInfo;

#ifdef __cplusplus
extern "C" {
#endif

/* Builds a token from its parts (no check that it was minted). */
static inline OSPolicy_CapabilityToken OSPolicy_MakeCapabilityToken(uint32_t slot,
                                                                    uint64_t generation,
                                                                    uint16_t tag) {
  return (uint64_t)tag << (OSPOLICY_CAP_SLOT_BITS + OSPOLICY_CAP_GENERATION_BITS) |
         (generation & OSPOLICY_CAP_MAX_GENERATION) << OSPOLICY_CAP_SLOT_BITS |
         (uint64_t)(slot & (OSPOLICY_CAP_MAX_SLOTS - 1u));
}
static inline uint32_t OSPolicy_CapabilityTokenSlot(OSPolicy_CapabilityToken token) {
  return (uint32_t)(token & (OSPOLICY_CAP_MAX_SLOTS - 1u));
}
static inline uint64_t OSPolicy_CapabilityTokenGeneration(OSPolicy_CapabilityToken token) {
  return (token >> OSPOLICY_CAP_SLOT_BITS) & OSPOLICY_CAP_MAX_GENERATION;
}
static inline uint16_t OSPolicy_CapabilityTokenTag(OSPolicy_CapabilityToken token) {
  return (uint16_t)(token >> (OSPOLICY_CAP_SLOT_BITS + OSPOLICY_CAP_GENERATION_BITS));
}

/* Makes `slots` (capacity 1..OSPOLICY_CAP_MAX_SLOTS entries) an empty table.
 * Errors: NULL_ARGUMENT, INVALID_ARGUMENT (capacity out of range); the table
 * is then left with that status. */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_InitCapabilityTable(OSPolicy_CapabilityTable *table,
                                                                 OSPolicy_CapabilitySlot *slots,
                                                                 uint32_t capacity);

/* The kernel mints a root capability on `object` with `rights` for `agent`.
 * Errors: NULL_ARGUMENT, PLAN_NOT_OK (table not initialized), INVALID_ARGUMENT
 * (agent 0, rights 0 or unknown bits), ERR_CAPABILITY_TABLE_FULL. */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_MintCapability(OSPolicy_CapabilityTable *table,
                                                            uint32_t agent, uint64_t object,
                                                            uint32_t rights,
                                                            OSPolicy_CapabilityToken *token);

/* May `agent` use `token` for every right in `rights` (non-zero)? O(1).
 * Refusals, in the order checked: DENIED_CAPABILITY_NEVER_MINTED (slot beyond
 * the table, generation 0 or newer than the slot's), DENIED_CAPABILITY_STALE
 * (older generation, or the capability was revoked), DENIED_CAPABILITY_NEVER_MINTED
 * (the current generation with another tag), DENIED_CAPABILITY_OTHER_AGENT,
 * DENIED_CAPABILITY_MISSING_RIGHT. `info` may be NULL; it is written (zeroed
 * on refusal) otherwise. */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_CheckCapability(const OSPolicy_CapabilityTable *table,
                                                             uint32_t agent,
                                                             OSPolicy_CapabilityToken token,
                                                             uint32_t rights,
                                                             OSPolicy_CapabilityInfo *info);

/* The holder derives a child capability with `rights` (non-zero, a subset of
 * the parent's; more is DENIED_CAPABILITY_WIDER_RIGHTS) for itself. Refusals of
 * Check for the parent token, then WIDER_RIGHTS, then ERR_CAPABILITY_TABLE_FULL. */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_DeriveCapability(OSPolicy_CapabilityTable *table,
                                                              uint32_t agent,
                                                              OSPolicy_CapabilityToken token,
                                                              uint32_t rights,
                                                              OSPolicy_CapabilityToken *derived);

/* The holder moves a capability that has OSPOLICY_CAP_GRANT to `to_agent`
 * (non-zero). The slot keeps its object, rights and children; its generation
 * advances, so `token` goes stale and *moved is the receiver's token.
 * Refusals of Check (for the GRANT right), INVALID_ARGUMENT (to_agent 0), then
 * ERR_CAPABILITY_GENERATION_EXHAUSTED (the slot's generation cannot advance:
 * nothing changes, the capability stays with the sender, who may revoke it). */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_TransferCapability(OSPolicy_CapabilityTable *table,
                                                                uint32_t agent,
                                                                OSPolicy_CapabilityToken token,
                                                                uint32_t to_agent,
                                                                OSPolicy_CapabilityToken *moved);

/* The holder revokes `token` and every capability derived from it,
 * transitively. Each freed slot's outstanding tokens go stale. *revoked (may
 * be NULL) receives the number of capabilities revoked. Refusals of Check. */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_RevokeCapability(OSPolicy_CapabilityTable *table,
                                                              uint32_t agent,
                                                              OSPolicy_CapabilityToken token,
                                                              uint32_t *revoked);

/* ---- OSPolicy::crypto (libsodium) ------------------------------------------ */

/* Keys an initialized, empty table: draws a 16-byte key from the entropy
 * pool and sets OSPolicy_CapabilityShorthashTag as its tag function, so every
 * token issued from now on carries a keyed tag. Errors: NULL_ARGUMENT,
 * PLAN_NOT_OK (table not initialized), INVALID_ARGUMENT (the table already
 * holds capabilities, whose tokens would change), the pool's refusals
 * (DENIED_ENTROPY_INSUFFICIENT, NO_ENTROPY_SOURCE, ...); the table is
 * unchanged on error. */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_KeyCapabilityTable(OSPolicy_CapabilityTable *table,
                                                                struct OSPolicy_EntropyPool *pool);

/* The low 16 bits of crypto_shorthash(key, slot || generation || owner), all
 * little-endian (4 + 8 + 4 bytes). */
uint16_t OSPolicy_CapabilityShorthashTag(const uint8_t key[OSPOLICY_CAP_TAG_KEY_SIZE],
                                         uint32_t slot, uint64_t generation, uint32_t owner);

/* "read,write,grant"-style name of one right bit; NULL for an unknown bit. */
const char *OSPolicy_CapabilityRightName(uint32_t right);

#ifdef __cplusplus
}
#endif

#endif /* OSPOLICY_CAPABILITY_H */
