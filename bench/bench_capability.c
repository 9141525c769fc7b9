/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * Capability figures: OSPolicy_CheckCapability on a full 4096-slot table
 * (tokens in a shuffled order) against the same lookup done as a bounds-checked
 * array index into a plain object array, both measured in this run through the
 * same call harness; and mint + revoke of a 64-node derivation tree against
 * filling and clearing 64 array entries, unkeyed and keyed (a keyed table
 * hashes every issued token with crypto_shorthash; its check still compares).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "ospolicy/capability.h"
#include "ospolicy/entropy_pool.h"
#include "timing.h"

#define SLOTS 4096u
#define AGENT 7u

typedef struct state {
  OSPolicy_CapabilityTable table;
  OSPolicy_CapabilityToken tokens[SLOTS];
  uint32_t indices[SLOTS];
  uint64_t objects[SLOTS];
  unsigned next;
  uint64_t sink;
} state;

static OSPolicy_CapabilitySlot slots[SLOTS];

static void check_one(void *arg) {
  state *s = arg;
  OSPolicy_CapabilityInfo info;
  unsigned i = s->next++ & (SLOTS - 1u);
  if (OSPolicy_CheckCapability(&s->table, AGENT, s->tokens[i], OSPOLICY_CAP_READ, &info) !=
      OSPOLICY_OK) {
    abort();
  }
  s->sink += info.object;
}

static void index_one(void *arg) {
  state *s = arg;
  unsigned i = s->next++ & (SLOTS - 1u);
  uint32_t index = s->indices[i];
  if (index >= SLOTS) {
    abort();
  }
  s->sink += s->objects[index];
}

static void tree_cycle(void *arg) {
  state *s = arg;
  OSPolicy_CapabilityToken root = 0, t = 0;
  if (OSPolicy_MintCapability(&s->table, AGENT, 1, OSPOLICY_CAP_ALL_RIGHTS, &root) != OSPOLICY_OK) {
    abort();
  }
  for (unsigned i = 0; i < 63u; i++) {
    if (OSPolicy_DeriveCapability(&s->table, AGENT, root, OSPOLICY_CAP_READ, &t) != OSPOLICY_OK) {
      abort();
    }
  }
  uint32_t revoked = 0;
  if (OSPolicy_RevokeCapability(&s->table, AGENT, root, &revoked) != OSPOLICY_OK || revoked != 64u) {
    abort();
  }
}

static void array_cycle(void *arg) {
  state *s = arg;
  for (unsigned i = 0; i < 64u; i++) {
    s->objects[i] = i + 1u;
  }
  for (unsigned i = 0; i < 64u; i++) {
    s->objects[i] = 0u;
  }
  __asm__ volatile("" : : "r"(s->objects) : "memory");
}

int main(void) {
  static state s;
  if (OSPolicy_InitCapabilityTable(&s.table, slots, SLOTS) != OSPOLICY_OK) {
    return 1;
  }
  for (unsigned i = 0; i < SLOTS; i++) {
    if (OSPolicy_MintCapability(&s.table, AGENT, 1000u + i, OSPOLICY_CAP_READ, &s.tokens[i]) !=
        OSPOLICY_OK) {
      return 1;
    }
    s.objects[i] = 1000u + i;
    s.indices[i] = i;
  }
  srand(11);
  for (unsigned i = SLOTS - 1u; i > 0u; i--) { /* same shuffled order for both */
    unsigned j = (unsigned)rand() % (i + 1u);
    OSPolicy_CapabilityToken t = s.tokens[i];
    s.tokens[i] = s.tokens[j];
    s.tokens[j] = t;
    uint32_t x = s.indices[i];
    s.indices[i] = s.indices[j];
    s.indices[j] = x;
  }
  printf("capability table: %u slots, %u in use\n", SLOTS, s.table.used);
  double check = bench_best_ns_per_iter(check_one, &s, 4000000u, 7u);
  double index = bench_best_ns_per_iter(index_one, &s, 4000000u, 7u);
  bench_report("check (token -> object, rights)", check, "array index", index, "ns");

  static OSPolicy_CapabilitySlot small[128];
  if (OSPolicy_InitCapabilityTable(&s.table, small, 128u) != OSPOLICY_OK) {
    return 1;
  }
  double tree = bench_best_ns_per_iter(tree_cycle, &s, 20000u, 7u);
  double array = bench_best_ns_per_iter(array_cycle, &s, 20000u, 7u);
  bench_report("mint+63 derive+revoke subtree", tree, "fill+clear 64 entries", array, "ns");

  /* The same on keyed tables (the platform RNG seeds the pool). */
  static OSPolicy_EntropyPool pool;
  if (OSPolicy_InitEntropyPool(&pool, OSPOLICY_ENTROPY_DEFAULT_THRESHOLD_BITS) != OSPOLICY_OK ||
      OSPolicy_AddPlatformEntropy(&pool, 64) != OSPOLICY_OK) {
    fprintf(stderr, "bench_capability: the entropy pool could not be seeded\n");
    return 1;
  }
  if (OSPolicy_InitCapabilityTable(&s.table, small, 128u) != OSPOLICY_OK ||
      OSPolicy_KeyCapabilityTable(&s.table, &pool) != OSPOLICY_OK) {
    return 1;
  }
  double keyed_tree = bench_best_ns_per_iter(tree_cycle, &s, 20000u, 7u);
  bench_report("mint+63 derive+revoke subtree, keyed", keyed_tree, "the same, unkeyed", tree, "ns");
  if (OSPolicy_InitCapabilityTable(&s.table, slots, SLOTS) != OSPOLICY_OK ||
      OSPolicy_KeyCapabilityTable(&s.table, &pool) != OSPOLICY_OK) {
    return 1;
  }
  for (unsigned i = 0; i < SLOTS; i++) {
    if (OSPolicy_MintCapability(&s.table, AGENT, 1000u + s.indices[i], OSPOLICY_CAP_READ,
                                &s.tokens[i]) != OSPOLICY_OK) {
      return 1;
    }
  }
  double keyed_check = bench_best_ns_per_iter(check_one, &s, 4000000u, 7u);
  bench_report("check, keyed table", keyed_check, "array index", index, "ns");
  OSPolicy_DestroyEntropyPool(&pool);
  return s.sink == 0u;
}
