/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
#include <check.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "fake_oshost.h"
#include "ospolicy/capability.h"
#include "ospolicy/entropy_pool.h"

#define ALICE 1u
#define BOB 2u
#define CAROL 3u
#define RW (OSPOLICY_CAP_READ | OSPOLICY_CAP_WRITE)

static OSPolicy_CapabilitySlot slots[16];
static OSPolicy_CapabilityTable table;

static void setup(void) {
  memset(slots, 0xA5, sizeof slots); /* Init must not rely on zeroed storage */
  ck_assert_int_eq(OSPolicy_InitCapabilityTable(&table, slots, 16), OSPOLICY_OK);
}

static OSPolicy_CapabilityToken mint(uint32_t agent, uint64_t object, uint32_t rights) {
  OSPolicy_CapabilityToken token = 0;
  ck_assert_int_eq(OSPolicy_MintCapability(&table, agent, object, rights, &token), OSPOLICY_OK);
  ck_assert_uint_ne(token, 0);
  return token;
}

START_TEST(zero_table_is_not_usable) {
  OSPolicy_CapabilityTable zero;
  memset(&zero, 0, sizeof zero);
  OSPolicy_CapabilityToken token = 99;
  ck_assert_int_eq(OSPolicy_MintCapability(&zero, ALICE, 1, OSPOLICY_CAP_READ, &token),
                   OSPOLICY_ERR_PLAN_NOT_OK);
  ck_assert_int_eq(OSPolicy_CheckCapability(&zero, ALICE, 1u << 24, OSPOLICY_CAP_READ, NULL),
                   OSPOLICY_ERR_PLAN_NOT_OK);
  ck_assert_int_eq(OSPolicy_CheckCapability(NULL, ALICE, 1u << 24, OSPOLICY_CAP_READ, NULL),
                   OSPOLICY_ERR_NULL_ARGUMENT);
  ck_assert_int_eq(OSPolicy_InitCapabilityTable(&zero, NULL, 4), OSPOLICY_ERR_NULL_ARGUMENT);
  ck_assert_int_eq(zero.status, OSPOLICY_ERR_NULL_ARGUMENT);
  ck_assert_int_eq(OSPolicy_InitCapabilityTable(&zero, slots, 0), OSPOLICY_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(OSPolicy_MintCapability(&zero, ALICE, 1, OSPOLICY_CAP_READ, &token),
                   OSPOLICY_ERR_PLAN_NOT_OK);
  ck_assert_int_eq(OSPolicy_InitCapabilityTable(&zero, slots, OSPOLICY_CAP_MAX_SLOTS + 1u),
                   OSPOLICY_ERR_INVALID_ARGUMENT);
}
END_TEST

START_TEST(mint_then_check_returns_the_object) {
  OSPolicy_CapabilityToken t = mint(ALICE, 0xC0FFEE, RW);
  OSPolicy_CapabilityInfo info;
  ck_assert_int_eq(OSPolicy_CheckCapability(&table, ALICE, t, OSPOLICY_CAP_READ, &info), OSPOLICY_OK);
  ck_assert_uint_eq(info.object, 0xC0FFEE);
  ck_assert_uint_eq(info.rights, RW);
  ck_assert_int_eq(OSPolicy_CheckCapability(&table, ALICE, t, RW, NULL), OSPOLICY_OK);
  ck_assert_uint_eq(OSPolicy_CapabilityTokenGeneration(t), 1);
  ck_assert_uint_eq(table.used, 1);
}
END_TEST

START_TEST(mint_refuses_bad_arguments) {
  OSPolicy_CapabilityToken t = 7;
  ck_assert_int_eq(OSPolicy_MintCapability(&table, OSPOLICY_CAP_NO_AGENT, 1, OSPOLICY_CAP_READ, &t),
                   OSPOLICY_ERR_INVALID_ARGUMENT);
  ck_assert_uint_eq(t, 0);
  ck_assert_int_eq(OSPolicy_MintCapability(&table, ALICE, 1, 0, &t), OSPOLICY_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(OSPolicy_MintCapability(&table, ALICE, 1, 0x80, &t),
                   OSPOLICY_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(OSPolicy_MintCapability(&table, ALICE, 1, OSPOLICY_CAP_READ, NULL),
                   OSPOLICY_ERR_NULL_ARGUMENT);
  ck_assert_uint_eq(table.used, 0);
}
END_TEST

START_TEST(never_minted_tokens_are_refused) {
  OSPolicy_CapabilityToken t = mint(ALICE, 1, RW);
  uint32_t slot = OSPolicy_CapabilityTokenSlot(t);
  /* token 0, a generation from the future, a slot never used, a slot beyond the table */
  ck_assert_int_eq(OSPolicy_CheckCapability(&table, ALICE, 0, OSPOLICY_CAP_READ, NULL),
                   OSPOLICY_DENIED_CAPABILITY_NEVER_MINTED);
  ck_assert_int_eq(OSPolicy_CheckCapability(&table, ALICE, OSPolicy_MakeCapabilityToken(slot, 2, 0),
                                            OSPOLICY_CAP_READ, NULL),
                   OSPOLICY_DENIED_CAPABILITY_NEVER_MINTED);
  ck_assert_int_eq(OSPolicy_CheckCapability(&table, ALICE, OSPolicy_MakeCapabilityToken(slot, 0, 0),
                                            OSPOLICY_CAP_READ, NULL),
                   OSPOLICY_DENIED_CAPABILITY_NEVER_MINTED);
  ck_assert_int_eq(OSPolicy_CheckCapability(&table, ALICE, OSPolicy_MakeCapabilityToken(slot + 1u, 1, 0),
                                            OSPOLICY_CAP_READ, NULL),
                   OSPOLICY_DENIED_CAPABILITY_NEVER_MINTED);
  ck_assert_int_eq(OSPolicy_CheckCapability(&table, ALICE, OSPolicy_MakeCapabilityToken(16, 1, 0),
                                            OSPOLICY_CAP_READ, NULL),
                   OSPOLICY_DENIED_CAPABILITY_NEVER_MINTED);
  ck_assert_int_eq(OSPolicy_CheckCapability(&table, ALICE, UINT64_MAX, OSPOLICY_CAP_READ, NULL),
                   OSPOLICY_DENIED_CAPABILITY_NEVER_MINTED);
}
END_TEST

START_TEST(other_agents_slot_is_refused) {
  OSPolicy_CapabilityToken t = mint(ALICE, 1, RW);
  OSPolicy_CapabilityInfo info = {.object = 5, .rights = 5, .slot = 5};
  ck_assert_int_eq(OSPolicy_CheckCapability(&table, BOB, t, OSPOLICY_CAP_READ, &info),
                   OSPOLICY_DENIED_CAPABILITY_OTHER_AGENT);
  ck_assert_uint_eq(info.object, 0);
  ck_assert_uint_eq(info.rights, 0);
  OSPolicy_CapabilityToken d = 0;
  ck_assert_int_eq(OSPolicy_DeriveCapability(&table, BOB, t, OSPOLICY_CAP_READ, &d),
                   OSPOLICY_DENIED_CAPABILITY_OTHER_AGENT);
  ck_assert_int_eq(OSPolicy_RevokeCapability(&table, BOB, t, NULL),
                   OSPOLICY_DENIED_CAPABILITY_OTHER_AGENT);
  ck_assert_int_eq(OSPolicy_CheckCapability(&table, ALICE, t, OSPOLICY_CAP_READ, NULL), OSPOLICY_OK);
}
END_TEST

START_TEST(missing_right_is_refused) {
  OSPolicy_CapabilityToken t = mint(ALICE, 1, OSPOLICY_CAP_READ);
  ck_assert_int_eq(OSPolicy_CheckCapability(&table, ALICE, t, OSPOLICY_CAP_WRITE, NULL),
                   OSPOLICY_DENIED_CAPABILITY_MISSING_RIGHT);
  ck_assert_int_eq(OSPolicy_CheckCapability(&table, ALICE, t, RW, NULL),
                   OSPOLICY_DENIED_CAPABILITY_MISSING_RIGHT);
  ck_assert_int_eq(OSPolicy_CheckCapability(&table, ALICE, t, 0, NULL),
                   OSPOLICY_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(OSPolicy_CheckCapability(&table, ALICE, t, 0x100, NULL),
                   OSPOLICY_ERR_INVALID_ARGUMENT);
}
END_TEST

START_TEST(derive_narrows_and_refuses_wider) {
  OSPolicy_CapabilityToken t = mint(ALICE, 42, RW);
  OSPolicy_CapabilityToken ro = 0, wide = 9;
  ck_assert_int_eq(OSPolicy_DeriveCapability(&table, ALICE, t, OSPOLICY_CAP_READ, &ro), OSPOLICY_OK);
  OSPolicy_CapabilityInfo info;
  ck_assert_int_eq(OSPolicy_CheckCapability(&table, ALICE, ro, OSPOLICY_CAP_READ, &info), OSPOLICY_OK);
  ck_assert_uint_eq(info.object, 42);
  ck_assert_int_eq(OSPolicy_CheckCapability(&table, ALICE, ro, OSPOLICY_CAP_WRITE, NULL),
                   OSPOLICY_DENIED_CAPABILITY_MISSING_RIGHT);
  uint32_t used = table.used;
  ck_assert_int_eq(OSPolicy_DeriveCapability(&table, ALICE, ro, RW, &wide),
                   OSPOLICY_DENIED_CAPABILITY_WIDER_RIGHTS);
  ck_assert_uint_eq(wide, 0);
  ck_assert_int_eq(OSPolicy_DeriveCapability(&table, ALICE, t, RW | OSPOLICY_CAP_EXEC, &wide),
                   OSPOLICY_DENIED_CAPABILITY_WIDER_RIGHTS);
  ck_assert_uint_eq(table.used, used);
  ck_assert_int_eq(OSPolicy_DeriveCapability(&table, ALICE, t, 0, &wide),
                   OSPOLICY_ERR_INVALID_ARGUMENT);
  /* equal rights are a subset */
  ck_assert_int_eq(OSPolicy_DeriveCapability(&table, ALICE, t, RW, &wide), OSPOLICY_OK);
}
END_TEST

START_TEST(revoke_kills_all_descendants) {
  OSPolicy_CapabilityToken root = mint(ALICE, 1, RW | OSPOLICY_CAP_GRANT);
  OSPolicy_CapabilityToken other = mint(ALICE, 2, RW);
  OSPolicy_CapabilityToken a = 0, b = 0, c = 0, d = 0, moved = 0;
  ck_assert_int_eq(OSPolicy_DeriveCapability(&table, ALICE, root, RW | OSPOLICY_CAP_GRANT, &a), OSPOLICY_OK);
  ck_assert_int_eq(OSPolicy_DeriveCapability(&table, ALICE, root, OSPOLICY_CAP_READ, &b), OSPOLICY_OK);
  ck_assert_int_eq(OSPolicy_DeriveCapability(&table, ALICE, a, OSPOLICY_CAP_WRITE | OSPOLICY_CAP_GRANT, &c), OSPOLICY_OK);
  ck_assert_int_eq(OSPolicy_DeriveCapability(&table, ALICE, c, OSPOLICY_CAP_WRITE | OSPOLICY_CAP_GRANT, &d), OSPOLICY_OK);
  /* a grandchild given to Bob dies with the root too */
  ck_assert_int_eq(OSPolicy_TransferCapability(&table, ALICE, d, BOB, &moved), OSPOLICY_OK);
  uint32_t revoked = 0;
  ck_assert_int_eq(OSPolicy_RevokeCapability(&table, ALICE, root, &revoked), OSPOLICY_OK);
  ck_assert_uint_eq(revoked, 5);
  ck_assert_uint_eq(table.used, 1);
  const OSPolicy_CapabilityToken dead[] = {root, a, b, c};
  for (size_t i = 0; i < 4; i++) {
    ck_assert_int_eq(OSPolicy_CheckCapability(&table, ALICE, dead[i], OSPOLICY_CAP_READ, NULL),
                     OSPOLICY_DENIED_CAPABILITY_STALE);
  }
  ck_assert_int_eq(OSPolicy_CheckCapability(&table, BOB, moved, OSPOLICY_CAP_WRITE, NULL),
                   OSPOLICY_DENIED_CAPABILITY_STALE);
  ck_assert_int_eq(OSPolicy_CheckCapability(&table, ALICE, other, OSPOLICY_CAP_READ, NULL), OSPOLICY_OK);
  /* the freed slots are reused with a newer generation: old tokens stay stale */
  OSPolicy_CapabilityToken fresh = mint(ALICE, 3, RW);
  ck_assert_uint_ge(OSPolicy_CapabilityTokenGeneration(fresh), 2);
  for (size_t i = 0; i < 4; i++) {
    ck_assert_int_eq(OSPolicy_CheckCapability(&table, ALICE, dead[i], OSPOLICY_CAP_READ, NULL),
                     OSPOLICY_DENIED_CAPABILITY_STALE);
  }
}
END_TEST

START_TEST(revoke_of_a_middle_node_keeps_siblings) {
  OSPolicy_CapabilityToken root = mint(ALICE, 1, RW);
  OSPolicy_CapabilityToken a = 0, b = 0, c = 0, a1 = 0;
  ck_assert_int_eq(OSPolicy_DeriveCapability(&table, ALICE, root, RW, &a), OSPOLICY_OK);
  ck_assert_int_eq(OSPolicy_DeriveCapability(&table, ALICE, root, RW, &b), OSPOLICY_OK);
  ck_assert_int_eq(OSPolicy_DeriveCapability(&table, ALICE, root, RW, &c), OSPOLICY_OK);
  ck_assert_int_eq(OSPolicy_DeriveCapability(&table, ALICE, b, RW, &a1), OSPOLICY_OK);
  uint32_t revoked = 0;
  ck_assert_int_eq(OSPolicy_RevokeCapability(&table, ALICE, b, &revoked), OSPOLICY_OK);
  ck_assert_uint_eq(revoked, 2);
  ck_assert_int_eq(OSPolicy_CheckCapability(&table, ALICE, a1, OSPOLICY_CAP_READ, NULL),
                   OSPOLICY_DENIED_CAPABILITY_STALE);
  ck_assert_int_eq(OSPolicy_CheckCapability(&table, ALICE, a, OSPOLICY_CAP_READ, NULL), OSPOLICY_OK);
  ck_assert_int_eq(OSPolicy_CheckCapability(&table, ALICE, c, OSPOLICY_CAP_READ, NULL), OSPOLICY_OK);
  /* the siblings are still children of root: revoking root takes them */
  ck_assert_int_eq(OSPolicy_RevokeCapability(&table, ALICE, root, &revoked), OSPOLICY_OK);
  ck_assert_uint_eq(revoked, 3);
  ck_assert_uint_eq(table.used, 0);
  ck_assert_int_eq(OSPolicy_RevokeCapability(&table, ALICE, root, &revoked),
                   OSPOLICY_DENIED_CAPABILITY_STALE);
  ck_assert_uint_eq(revoked, 0);
}
END_TEST

START_TEST(transfer_moves_and_needs_grant) {
  OSPolicy_CapabilityToken t = mint(ALICE, 7, OSPOLICY_CAP_READ | OSPOLICY_CAP_GRANT);
  OSPolicy_CapabilityToken no_grant = mint(ALICE, 8, RW);
  OSPolicy_CapabilityToken moved = 1;
  ck_assert_int_eq(OSPolicy_TransferCapability(&table, ALICE, no_grant, BOB, &moved),
                   OSPOLICY_DENIED_CAPABILITY_MISSING_RIGHT);
  ck_assert_uint_eq(moved, 0);
  ck_assert_int_eq(OSPolicy_TransferCapability(&table, ALICE, t, OSPOLICY_CAP_NO_AGENT, &moved),
                   OSPOLICY_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(OSPolicy_TransferCapability(&table, BOB, t, CAROL, &moved),
                   OSPOLICY_DENIED_CAPABILITY_OTHER_AGENT);
  ck_assert_int_eq(OSPolicy_TransferCapability(&table, ALICE, t, BOB, &moved), OSPOLICY_OK);
  ck_assert_uint_eq(OSPolicy_CapabilityTokenSlot(moved), OSPolicy_CapabilityTokenSlot(t));
  /* the sender's token is stale; the receiver can read, but not write */
  ck_assert_int_eq(OSPolicy_CheckCapability(&table, ALICE, t, OSPOLICY_CAP_READ, NULL),
                   OSPOLICY_DENIED_CAPABILITY_STALE);
  ck_assert_int_eq(OSPolicy_CheckCapability(&table, BOB, moved, OSPOLICY_CAP_READ, NULL), OSPOLICY_OK);
  ck_assert_int_eq(OSPolicy_CheckCapability(&table, BOB, moved, OSPOLICY_CAP_WRITE, NULL),
                   OSPOLICY_DENIED_CAPABILITY_MISSING_RIGHT);
  ck_assert_int_eq(OSPolicy_CheckCapability(&table, ALICE, moved, OSPOLICY_CAP_READ, NULL),
                   OSPOLICY_DENIED_CAPABILITY_OTHER_AGENT);
}
END_TEST

START_TEST(ipc_transfer_of_read_only_cannot_write) {
  /* The sender derives a read-only, grantable child and sends that. */
  OSPolicy_CapabilityToken file = mint(ALICE, 100, RW | OSPOLICY_CAP_GRANT);
  OSPolicy_CapabilityToken ro = 0, at_bob = 0, widened = 0;
  ck_assert_int_eq(OSPolicy_DeriveCapability(&table, ALICE, file,
                                             OSPOLICY_CAP_READ | OSPOLICY_CAP_GRANT, &ro),
                   OSPOLICY_OK);
  ck_assert_int_eq(OSPolicy_TransferCapability(&table, ALICE, ro, BOB, &at_bob), OSPOLICY_OK);
  ck_assert_int_eq(OSPolicy_CheckCapability(&table, BOB, at_bob, OSPOLICY_CAP_WRITE, NULL),
                   OSPOLICY_DENIED_CAPABILITY_MISSING_RIGHT);
  ck_assert_int_eq(OSPolicy_DeriveCapability(&table, BOB, at_bob, RW, &widened),
                   OSPOLICY_DENIED_CAPABILITY_WIDER_RIGHTS);
  /* Alice still revokes what she gave away. */
  ck_assert_int_eq(OSPolicy_RevokeCapability(&table, ALICE, file, NULL), OSPOLICY_OK);
  ck_assert_int_eq(OSPolicy_CheckCapability(&table, BOB, at_bob, OSPOLICY_CAP_READ, NULL),
                   OSPOLICY_DENIED_CAPABILITY_STALE);
}
END_TEST

START_TEST(full_table_touches_nothing) {
  OSPolicy_CapabilityToken tokens[16];
  for (unsigned i = 0; i < 16; i++) {
    tokens[i] = mint(ALICE, i, RW);
  }
  OSPolicy_CapabilitySlot before[16];
  memcpy(before, slots, sizeof slots);
  OSPolicy_CapabilityTable table_before = table;
  OSPolicy_CapabilityToken t = 5;
  ck_assert_int_eq(OSPolicy_MintCapability(&table, BOB, 99, RW, &t),
                   OSPOLICY_ERR_CAPABILITY_TABLE_FULL);
  ck_assert_uint_eq(t, 0);
  ck_assert_int_eq(OSPolicy_DeriveCapability(&table, ALICE, tokens[3], OSPOLICY_CAP_READ, &t),
                   OSPOLICY_ERR_CAPABILITY_TABLE_FULL);
  ck_assert_int_eq(memcmp(before, slots, sizeof slots), 0);
  ck_assert_int_eq(memcmp(&table_before, &table, sizeof table), 0);
  for (unsigned i = 0; i < 16; i++) {
    OSPolicy_CapabilityInfo info;
    ck_assert_int_eq(OSPolicy_CheckCapability(&table, ALICE, tokens[i], RW, &info), OSPOLICY_OK);
    ck_assert_uint_eq(info.object, i);
  }
  ck_assert_int_eq(OSPolicy_RevokeCapability(&table, ALICE, tokens[0], NULL), OSPOLICY_OK);
  ck_assert_int_eq(OSPolicy_MintCapability(&table, BOB, 99, RW, &t), OSPOLICY_OK);
}
END_TEST

START_TEST(exhausted_generation_retires_the_slot) {
  OSPolicy_CapabilityToken t = mint(ALICE, 1, RW | OSPOLICY_CAP_GRANT);
  uint32_t slot = OSPolicy_CapabilityTokenSlot(t);
  /* Pretend the slot has lived long: the caller owns the storage. */
  slots[slot].generation = OSPOLICY_CAP_MAX_GENERATION;
  OSPolicy_CapabilityToken old = OSPolicy_MakeCapabilityToken(slot, OSPOLICY_CAP_MAX_GENERATION, 0);
  ck_assert_int_eq(OSPolicy_CheckCapability(&table, ALICE, old, OSPOLICY_CAP_READ, NULL), OSPOLICY_OK);
  OSPolicy_CapabilityToken moved = 0;
  ck_assert_int_eq(OSPolicy_TransferCapability(&table, ALICE, old, BOB, &moved),
                   OSPOLICY_ERR_CAPABILITY_GENERATION_EXHAUSTED);
  ck_assert_int_eq(OSPolicy_CheckCapability(&table, ALICE, old, OSPOLICY_CAP_READ, NULL), OSPOLICY_OK);
  ck_assert_int_eq(OSPolicy_RevokeCapability(&table, ALICE, old, NULL), OSPOLICY_OK);
  ck_assert_uint_eq(table.retired, 1);
  /* the slot is never handed out again: 15 mints fit, the 16th does not */
  for (unsigned i = 0; i < 15; i++) {
    OSPolicy_CapabilityToken x = mint(BOB, i, OSPOLICY_CAP_READ);
    ck_assert_uint_ne(OSPolicy_CapabilityTokenSlot(x), slot);
  }
  ck_assert_int_eq(OSPolicy_MintCapability(&table, BOB, 0, OSPOLICY_CAP_READ, &moved),
                   OSPOLICY_ERR_CAPABILITY_TABLE_FULL);
  ck_assert_int_eq(OSPolicy_CheckCapability(&table, ALICE, old, OSPOLICY_CAP_READ, NULL),
                   OSPOLICY_DENIED_CAPABILITY_STALE);
}
END_TEST

START_TEST(right_names) {
  ck_assert_str_eq(OSPolicy_CapabilityRightName(OSPOLICY_CAP_GRANT), "grant");
  ck_assert_str_eq(OSPolicy_CapabilityRightName(OSPOLICY_CAP_NET), "net");
  ck_assert_ptr_null(OSPolicy_CapabilityRightName(OSPOLICY_CAP_READ | OSPOLICY_CAP_WRITE));
}
END_TEST

/* ---- keyed tags (OSPolicy::crypto) ------------------------------------------ */

static OSPolicy_EntropyPool seeded_pool(void) {
  fake_oshost_reset();
  OSPolicy_EntropyPool pool;
  ck_assert_int_eq(OSPolicy_InitEntropyPool(&pool, OSPOLICY_ENTROPY_DEFAULT_THRESHOLD_BITS),
                   OSPOLICY_OK);
  ck_assert_int_eq(OSPolicy_AddPlatformEntropy(&pool, 64), OSPOLICY_OK);
  return pool;
}

START_TEST(keyed_tokens_carry_a_shorthash_tag) {
  OSPolicy_EntropyPool pool = seeded_pool();
  ck_assert_int_eq(OSPolicy_KeyCapabilityTable(&table, &pool), OSPOLICY_OK);
  ck_assert(table.tag == OSPolicy_CapabilityShorthashTag);
  unsigned nonzero = 0;
  for (unsigned i = 0; i < 16; i++) {
    OSPolicy_CapabilityToken t = mint(ALICE, i, RW | OSPOLICY_CAP_GRANT);
    uint32_t slot = OSPolicy_CapabilityTokenSlot(t);
    uint64_t generation = OSPolicy_CapabilityTokenGeneration(t);
    uint16_t tag = OSPolicy_CapabilityTokenTag(t);
    ck_assert_uint_eq(tag, OSPolicy_CapabilityShorthashTag(table.tag_key, slot, generation, ALICE));
    nonzero += tag != 0;
    ck_assert_int_eq(OSPolicy_CheckCapability(&table, ALICE, t, OSPOLICY_CAP_READ, NULL), OSPOLICY_OK);
    /* the right slot and generation with any other tag is a forgery */
    for (unsigned bit = 0; bit < 16; bit++) {
      OSPolicy_CapabilityToken forged =
          OSPolicy_MakeCapabilityToken(slot, generation, (uint16_t)(tag ^ (1u << bit)));
      ck_assert_int_eq(OSPolicy_CheckCapability(&table, ALICE, forged, OSPOLICY_CAP_READ, NULL),
                       OSPOLICY_DENIED_CAPABILITY_NEVER_MINTED);
    }
    if (i == 15) { /* a transfer re-tags for the receiver */
      OSPolicy_CapabilityToken moved = 0;
      ck_assert_int_eq(OSPolicy_TransferCapability(&table, ALICE, t, BOB, &moved), OSPOLICY_OK);
      ck_assert_uint_eq(OSPolicy_CapabilityTokenTag(moved),
                        OSPolicy_CapabilityShorthashTag(table.tag_key, slot, generation + 1u, BOB));
      ck_assert_int_eq(OSPolicy_CheckCapability(&table, BOB, moved, OSPOLICY_CAP_READ, NULL), OSPOLICY_OK);
    }
  }
  ck_assert_uint_gt(nonzero, 0);
  /* a second table keyed from the same pool gets another key */
  OSPolicy_CapabilitySlot other_slots[4];
  OSPolicy_CapabilityTable other;
  ck_assert_int_eq(OSPolicy_InitCapabilityTable(&other, other_slots, 4), OSPOLICY_OK);
  ck_assert_int_eq(OSPolicy_KeyCapabilityTable(&other, &pool), OSPOLICY_OK);
  ck_assert_int_ne(memcmp(other.tag_key, table.tag_key, sizeof table.tag_key), 0);
  OSPolicy_DestroyEntropyPool(&pool);
}
END_TEST

START_TEST(keying_refusals_leave_the_table_unkeyed) {
  OSPolicy_EntropyPool empty;
  ck_assert_int_eq(OSPolicy_InitEntropyPool(&empty, OSPOLICY_ENTROPY_DEFAULT_THRESHOLD_BITS),
                   OSPOLICY_OK);
  ck_assert_int_eq(OSPolicy_KeyCapabilityTable(&table, &empty), OSPOLICY_ERR_NO_ENTROPY_SOURCE);
  ck_assert(table.tag == NULL);
  ck_assert_int_eq(OSPolicy_KeyCapabilityTable(&table, NULL), OSPOLICY_ERR_NULL_ARGUMENT);
  OSPolicy_EntropyPool pool = seeded_pool();
  OSPolicy_CapabilityTable zero;
  memset(&zero, 0, sizeof zero);
  ck_assert_int_eq(OSPolicy_KeyCapabilityTable(&zero, &pool), OSPOLICY_ERR_PLAN_NOT_OK);
  OSPolicy_CapabilityToken t = mint(ALICE, 1, RW);
  ck_assert_int_eq(OSPolicy_KeyCapabilityTable(&table, &pool), OSPOLICY_ERR_INVALID_ARGUMENT);
  ck_assert(table.tag == NULL);
  ck_assert_uint_eq(OSPolicy_CapabilityTokenTag(t), 0);
  ck_assert_int_eq(OSPolicy_CheckCapability(&table, ALICE, t, OSPOLICY_CAP_READ, NULL), OSPOLICY_OK);
  /* in an unkeyed table too, a non-zero tag is a forgery */
  OSPolicy_CapabilityToken forged = OSPolicy_MakeCapabilityToken(
      OSPolicy_CapabilityTokenSlot(t), OSPolicy_CapabilityTokenGeneration(t), 1);
  ck_assert_int_eq(OSPolicy_CheckCapability(&table, ALICE, forged, OSPOLICY_CAP_READ, NULL),
                   OSPOLICY_DENIED_CAPABILITY_NEVER_MINTED);
  OSPolicy_DestroyEntropyPool(&pool);
  OSPolicy_DestroyEntropyPool(&empty);
}
END_TEST

/* ---- property test: random operations against a reference model ---------- */

#define MODEL_CAPACITY 48u
#define MODEL_MAX_RECORDS 128u /* live records and the dead ones not compacted yet */
#define MODEL_MAX_STALE 4096u
#define MODEL_AGENTS 4u
#define PROPERTY_STEPS 1000000u

typedef struct model_record {
  OSPolicy_CapabilityToken token; /* current token */
  uint32_t agent;
  uint32_t rights;
  uint64_t object;
  uint32_t parent; /* record index + 1, 0: root */
  bool alive;
} model_record;

typedef struct model {
  model_record records[MODEL_MAX_RECORDS];
  uint32_t record_count;
  OSPolicy_CapabilityToken stale[MODEL_MAX_STALE]; /* tokens that once were valid */
  uint32_t stale_count;
  uint64_t max_generation[MODEL_CAPACITY]; /* highest generation issued per slot */
  uint32_t alive;
} model;

/* Check reports every ck_assert to its parent process: too slow for 10^6
 * steps, so the loop only calls it on a failure. */
#define PROP_ASSERT(cond, ...)    \
  do {                            \
    if (!(cond)) {                \
      ck_abort_msg(__VA_ARGS__);  \
    }                             \
  } while (0)

static model the_model;
static OSPolicy_CapabilitySlot property_slots[MODEL_CAPACITY];

static uint64_t rng_state;
static uint64_t next_random(void) { /* xorshift64*: deterministic, reproducible */
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return rng_state * 0x2545F4914F6CDD1DULL;
}

static void note_stale(model *m, OSPolicy_CapabilityToken token) {
  if (m->stale_count < MODEL_MAX_STALE) {
    m->stale[m->stale_count++] = token;
  } else {
    m->stale[next_random() % MODEL_MAX_STALE] = token;
  }
}

/* Compacts dead records out once the record array fills (keeps parents valid
 * by remapping). */
static void compact(model *m) {
  uint32_t map[MODEL_MAX_RECORDS];
  uint32_t n = 0;
  for (uint32_t i = 0; i < m->record_count; i++) {
    map[i] = m->records[i].alive ? ++n : 0u;
    if (m->records[i].alive) {
      m->records[n - 1u] = m->records[i];
    }
  }
  for (uint32_t i = 0; i < n; i++) {
    uint32_t p = m->records[i].parent;
    m->records[i].parent = p != 0u ? map[p - 1u] : 0u;
  }
  m->record_count = n;
}

static uint32_t add_record(model *m, OSPolicy_CapabilityToken token, uint32_t agent,
                           uint32_t rights, uint64_t object, uint32_t parent) {
  if (m->record_count == MODEL_MAX_RECORDS) {
    compact(m);
  }
  model_record *r = &m->records[m->record_count++];
  *r = (model_record){.token = token, .agent = agent, .rights = rights, .object = object,
                      .parent = parent, .alive = true};
  uint32_t slot = OSPolicy_CapabilityTokenSlot(token);
  m->max_generation[slot] = OSPolicy_CapabilityTokenGeneration(token);
  m->alive++;
  return m->record_count;
}

/* What the reference model expects for agent + token: the live record
 * (index + 1) or the refusal. */
static OSPolicy_Status model_resolve(const model *m, uint32_t agent, OSPolicy_CapabilityToken token,
                                     uint32_t *record) {
  for (uint32_t i = 0; i < m->record_count; i++) {
    const model_record *r = &m->records[i];
    if (r->alive && r->token == token) {
      if (r->agent != agent) {
        return OSPOLICY_DENIED_CAPABILITY_OTHER_AGENT;
      }
      *record = i + 1u;
      return OSPOLICY_OK;
    }
  }
  uint32_t slot = OSPolicy_CapabilityTokenSlot(token);
  uint64_t generation = OSPolicy_CapabilityTokenGeneration(token);
  if (slot >= MODEL_CAPACITY || generation == 0u || generation > m->max_generation[slot]) {
    return OSPOLICY_DENIED_CAPABILITY_NEVER_MINTED;
  }
  for (uint32_t i = 0; i < m->record_count; i++) {
    const model_record *r = &m->records[i];
    if (r->alive && OSPolicy_CapabilityTokenSlot(r->token) == slot &&
        OSPolicy_CapabilityTokenGeneration(r->token) == generation) {
      return OSPOLICY_DENIED_CAPABILITY_NEVER_MINTED; /* the live generation, another tag */
    }
  }
  return OSPOLICY_DENIED_CAPABILITY_STALE;
}

static bool descends_from(const model *m, uint32_t record, uint32_t ancestor) {
  for (uint32_t r = record; r != 0u; r = m->records[r - 1u].parent) {
    if (r == ancestor) {
      return true;
    }
  }
  return false;
}

static OSPolicy_CapabilityToken pick_token(const model *m) {
  uint64_t dice = next_random() % 10u;
  if (dice < 5u && m->record_count > 0u) {
    return m->records[next_random() % m->record_count].token;
  }
  if (dice < 6u && m->record_count > 0u) { /* forged: a known token with another tag */
    OSPolicy_CapabilityToken known = m->records[next_random() % m->record_count].token;
    return known ^ ((uint64_t)(1u + next_random() % 0xFFFFu) << 48);
  }
  if (dice < 8u && m->stale_count > 0u) {
    return m->stale[next_random() % m->stale_count];
  }
  if (dice < 9u) { /* forged: a known slot with a future generation, or garbage */
    uint32_t slot = (uint32_t)(next_random() % (MODEL_CAPACITY + 2u));
    uint64_t generation = slot < MODEL_CAPACITY ? the_model.max_generation[slot] + 1u +
                                                      next_random() % 3u
                                                : 1u;
    return OSPolicy_MakeCapabilityToken(slot, generation, 0);
  }
  return next_random();
}

static uint32_t pick_rights(void) {
  uint32_t r = (uint32_t)(next_random() % (OSPOLICY_CAP_ALL_RIGHTS + 1u));
  return r == 0u ? OSPOLICY_CAP_READ : r;
}

/* _i == 0: an unkeyed table; _i == 1: keyed (tags from crypto_shorthash). */
START_TEST(property_random_operations_match_the_model) {
  model *m = &the_model;
  memset(m, 0, sizeof *m);
  rng_state = 0x9E3779B97F4A7C15ULL + (_i == 1 ? 1u : 0u);
  OSPolicy_CapabilityTable t;
  ck_assert_int_eq(OSPolicy_InitCapabilityTable(&t, property_slots, MODEL_CAPACITY), OSPOLICY_OK);
  if (_i == 1) {
    OSPolicy_EntropyPool pool = seeded_pool();
    ck_assert_int_eq(OSPolicy_KeyCapabilityTable(&t, &pool), OSPOLICY_OK);
    OSPolicy_DestroyEntropyPool(&pool);
  }
  uint64_t counts[5] = {0};
  uint64_t ok_counts[5] = {0};
  uint64_t revoked_total = 0;
  for (uint32_t step = 0; step < PROPERTY_STEPS; step++) {
    uint32_t op = (uint32_t)(next_random() % 100u);
    uint32_t agent = 1u + (uint32_t)(next_random() % MODEL_AGENTS);
    OSPolicy_CapabilityToken token = pick_token(m);
    uint32_t rights = pick_rights();
    uint32_t record = 0;
    OSPolicy_Status expected = model_resolve(m, agent, token, &record);
    /* Half the time act as the holder, so operations mostly succeed. */
    if (expected == OSPOLICY_DENIED_CAPABILITY_OTHER_AGENT && next_random() % 2u == 0u) {
      for (uint32_t i = 0; i < m->record_count; i++) {
        if (m->records[i].alive && m->records[i].token == token) {
          agent = m->records[i].agent;
        }
      }
      expected = model_resolve(m, agent, token, &record);
    }
    OSPolicy_Status got;
    uint32_t kind;
    if (op < 20u) { /* mint */
      kind = 0;
      OSPolicy_CapabilityToken minted = 0;
      uint64_t object = next_random();
      got = OSPolicy_MintCapability(&t, agent, object, rights, &minted);
      expected = m->alive == MODEL_CAPACITY ? OSPOLICY_ERR_CAPABILITY_TABLE_FULL : OSPOLICY_OK;
      if (got == OSPOLICY_OK) {
        add_record(m, minted, agent, rights, object, 0u);
      }
    } else if (op < 45u) { /* derive */
      kind = 1;
      OSPolicy_CapabilityToken derived = 0;
      if (expected == OSPOLICY_OK) {
        const model_record *p = &m->records[record - 1u];
        if (next_random() % 2u == 0u) {
          rights &= p->rights; /* usually a subset */
          rights = rights == 0u ? p->rights : rights;
        }
        expected = (p->rights & rights) != rights ? OSPOLICY_DENIED_CAPABILITY_WIDER_RIGHTS
                   : m->alive == MODEL_CAPACITY   ? OSPOLICY_ERR_CAPABILITY_TABLE_FULL
                                                  : OSPOLICY_OK;
      }
      got = OSPolicy_DeriveCapability(&t, agent, token, rights, &derived);
      if (got == OSPOLICY_OK) {
        const model_record *p = &m->records[record - 1u];
        uint32_t parent_record = record;
        uint64_t object = p->object;
        uint32_t before = m->record_count;
        uint32_t added = add_record(m, derived, agent, rights, object, parent_record);
        if (added <= before) { /* compaction moved the parent: find it again */
          for (uint32_t i = 0; i < m->record_count - 1u; i++) {
            if (m->records[i].alive && m->records[i].token == token) {
              m->records[added - 1u].parent = i + 1u;
            }
          }
        }
      } else {
        PROP_ASSERT(derived == 0, "step %u: failed derive wrote a token", step);
      }
    } else if (op < 55u) { /* transfer */
      kind = 2;
      uint32_t to = 1u + (uint32_t)(next_random() % MODEL_AGENTS);
      OSPolicy_CapabilityToken moved = 0;
      if (expected == OSPOLICY_OK && (m->records[record - 1u].rights & OSPOLICY_CAP_GRANT) == 0u) {
        expected = OSPOLICY_DENIED_CAPABILITY_MISSING_RIGHT;
      }
      got = OSPolicy_TransferCapability(&t, agent, token, to, &moved);
      if (got == OSPOLICY_OK) {
        model_record *r = &m->records[record - 1u];
        note_stale(m, r->token);
        r->token = moved;
        r->agent = to;
        m->max_generation[OSPolicy_CapabilityTokenSlot(moved)] =
            OSPolicy_CapabilityTokenGeneration(moved);
        PROP_ASSERT(OSPolicy_CapabilityTokenSlot(moved) == OSPolicy_CapabilityTokenSlot(token),
                    "step %u: transfer changed the slot", step);
      }
    } else if (op < 65u) { /* revoke */
      kind = 3;
      uint32_t revoked = 0;
      got = OSPolicy_RevokeCapability(&t, agent, token, &revoked);
      if (got == OSPOLICY_OK) {
        uint32_t expected_revoked = 0;
        for (uint32_t i = 0; i < m->record_count; i++) {
          if (m->records[i].alive && descends_from(m, i + 1u, record)) {
            expected_revoked++;
          }
        }
        /* mark after counting: descends_from walks through the dying records */
        for (uint32_t i = m->record_count; i-- > 0u;) {
          if (m->records[i].alive && descends_from(m, i + 1u, record)) {
            m->records[i].alive = false;
            note_stale(m, m->records[i].token);
            m->alive--;
          }
        }
        PROP_ASSERT(revoked == expected_revoked, "step %u: revoked %u, model %u", step, revoked,
                    expected_revoked);
        revoked_total += revoked;
      }
    } else { /* check */
      kind = 4;
      OSPolicy_CapabilityInfo info;
      if (expected == OSPOLICY_OK && (m->records[record - 1u].rights & rights) != rights) {
        expected = OSPOLICY_DENIED_CAPABILITY_MISSING_RIGHT;
      }
      got = OSPolicy_CheckCapability(&t, agent, token, rights, &info);
      if (got == OSPOLICY_OK) {
        PROP_ASSERT(info.object == m->records[record - 1u].object &&
                        info.rights == m->records[record - 1u].rights,
                    "step %u: check returned another object or rights", step);
      }
    }
    PROP_ASSERT(got == expected, "step %u op %u: expected %s, got %s", step, kind,
                  OSPolicy_StatusName(expected), OSPolicy_StatusName(got));
    PROP_ASSERT(t.used == m->alive, "step %u: table holds %u, model %u", step, t.used, m->alive);
    counts[kind]++;
    ok_counts[kind] += got == OSPOLICY_OK;
  }
  /* The walk must have exercised every operation, successfully and not. */
  for (unsigned k = 0; k < 5; k++) {
    ck_assert_uint_gt(ok_counts[k], 1000);
    ck_assert_uint_gt(counts[k] - ok_counts[k], 1000);
  }
  ck_assert_uint_gt(revoked_total, ok_counts[3]); /* some revokes took descendants */
}
END_TEST

Suite *capability_suite(void);
Suite *capability_suite(void) {
  Suite *suite = suite_create("capability");
  TCase *tc = tcase_create("rules");
  tcase_add_checked_fixture(tc, setup, NULL);
  tcase_add_test(tc, zero_table_is_not_usable);
  tcase_add_test(tc, mint_then_check_returns_the_object);
  tcase_add_test(tc, mint_refuses_bad_arguments);
  tcase_add_test(tc, never_minted_tokens_are_refused);
  tcase_add_test(tc, other_agents_slot_is_refused);
  tcase_add_test(tc, missing_right_is_refused);
  tcase_add_test(tc, derive_narrows_and_refuses_wider);
  tcase_add_test(tc, revoke_kills_all_descendants);
  tcase_add_test(tc, revoke_of_a_middle_node_keeps_siblings);
  tcase_add_test(tc, transfer_moves_and_needs_grant);
  tcase_add_test(tc, ipc_transfer_of_read_only_cannot_write);
  tcase_add_test(tc, full_table_touches_nothing);
  tcase_add_test(tc, exhausted_generation_retires_the_slot);
  tcase_add_test(tc, right_names);
  tcase_add_test(tc, keyed_tokens_carry_a_shorthash_tag);
  tcase_add_test(tc, keying_refusals_leave_the_table_unkeyed);
  suite_add_tcase(suite, tc);
  TCase *property = tcase_create("property");
  tcase_set_timeout(property, 120);
  tcase_add_loop_test(property, property_random_operations_match_the_model, 0, 2);
  suite_add_tcase(suite, property);
  return suite;
}
