/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
#include "ospolicy/capability.h"

#include <stdbool.h>
#include <stddef.h>

#include "mem.h"

/* Links are slot index + 1; 0 is "none". */
#define NONE 0u

static OSPolicy_CapabilitySlot *slot_at(OSPolicy_CapabilityTable *table, uint32_t link) {
  return &table->slots[link - 1u];
}

static bool rights_valid(uint32_t rights) {
  return rights != 0u && (rights & ~(uint32_t)OSPOLICY_CAP_ALL_RIGHTS) == 0u;
}

OSPolicy_Status OSPolicy_InitCapabilityTable(OSPolicy_CapabilityTable *table,
                                             OSPolicy_CapabilitySlot *slots, uint32_t capacity) {
  if (table == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  table->capacity = 0u;
  table->used = 0u;
  table->retired = 0u;
  table->free_head = NONE;
  table->slots = NULL;
  table->tag = NULL; /* unkeyed until OSPolicy_KeyCapabilityTable */
  memset(table->tag_key, 0, sizeof table->tag_key);
  if (slots == NULL) {
    table->status = OSPOLICY_ERR_NULL_ARGUMENT;
    return table->status;
  }
  if (capacity == 0u || capacity > OSPOLICY_CAP_MAX_SLOTS) {
    table->status = OSPOLICY_ERR_INVALID_ARGUMENT;
    return table->status;
  }
  for (uint32_t i = 0; i < capacity; i++) {
    OSPolicy_CapabilitySlot *s = &slots[i];
    s->object = 0u;
    s->generation = 0u;
    s->owner = OSPOLICY_CAP_NO_AGENT;
    s->rights = 0u;
    s->parent = NONE;
    s->first_child = NONE;
    s->next_sibling = NONE;
    s->prev_sibling = NONE;
    s->next_free = i + 1u < capacity ? i + 2u : NONE;
    s->tag = 0u;
  }
  table->slots = slots;
  table->capacity = capacity;
  table->free_head = 1u;
  table->status = OSPOLICY_OK;
  return OSPOLICY_OK;
}

/* Resolves a token held by `agent` (the order of refusals is documented in
 * the header). On success *link is the slot index + 1. */
static OSPolicy_Status resolve(const OSPolicy_CapabilityTable *table, uint32_t agent,
                               OSPolicy_CapabilityToken token, uint32_t *link) {
  uint32_t index = OSPolicy_CapabilityTokenSlot(token);
  uint64_t generation = OSPolicy_CapabilityTokenGeneration(token);
  if (index >= table->capacity) {
    return OSPOLICY_DENIED_CAPABILITY_NEVER_MINTED;
  }
  const OSPolicy_CapabilitySlot *s = &table->slots[index];
  if (generation == 0u || generation > s->generation) {
    return OSPOLICY_DENIED_CAPABILITY_NEVER_MINTED;
  }
  if (generation != s->generation || s->owner == OSPOLICY_CAP_NO_AGENT) {
    return OSPOLICY_DENIED_CAPABILITY_STALE;
  }
  if (OSPolicy_CapabilityTokenTag(token) != s->tag) {
    return OSPOLICY_DENIED_CAPABILITY_NEVER_MINTED; /* a forged tag */
  }
  if (s->owner != agent) {
    return OSPOLICY_DENIED_CAPABILITY_OTHER_AGENT;
  }
  *link = index + 1u;
  return OSPOLICY_OK;
}

static OSPolicy_Status check_table(const OSPolicy_CapabilityTable *table) {
  if (table == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  return table->status == OSPOLICY_OK && table->slots != NULL ? OSPOLICY_OK
                                                              : OSPOLICY_ERR_PLAN_NOT_OK;
}

/* Takes the first free slot and advances its generation. Every slot on the
 * free list can advance: release() retires a slot whose generation is
 * exhausted instead of listing it. */
static uint32_t take_free(OSPolicy_CapabilityTable *table) {
  uint32_t link = table->free_head;
  OSPolicy_CapabilitySlot *s = slot_at(table, link);
  table->free_head = s->next_free;
  s->next_free = NONE;
  s->generation++;
  table->used++;
  return link;
}

/* Common start of the operations that hand out a token: a usable table and
 * an output that is zeroed until a token is issued. */
static OSPolicy_Status begin_issue(const OSPolicy_CapabilityTable *table,
                                   OSPolicy_CapabilityToken *out) {
  OSPolicy_Status status = check_table(table);
  if (status != OSPOLICY_OK) {
    return status;
  }
  if (out == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  *out = 0u;
  return OSPOLICY_OK;
}

/* The token for a slot's current occupant; computes and stores its tag. */
static OSPolicy_CapabilityToken issue(OSPolicy_CapabilityTable *table, uint32_t link) {
  OSPolicy_CapabilitySlot *s = slot_at(table, link);
  uint16_t tag = table->tag != NULL ? table->tag(table->tag_key, link - 1u, s->generation, s->owner)
                                    : 0u;
  s->tag = tag;
  return OSPolicy_MakeCapabilityToken(link - 1u, s->generation, tag);
}

static OSPolicy_Status place(OSPolicy_CapabilityTable *table, uint32_t agent, uint64_t object,
                             uint32_t rights, uint32_t parent, OSPolicy_CapabilityToken *token) {
  if (table->free_head == NONE) {
    return OSPOLICY_ERR_CAPABILITY_TABLE_FULL;
  }
  uint32_t link = take_free(table);
  OSPolicy_CapabilitySlot *s = slot_at(table, link);
  s->object = object;
  s->owner = agent;
  s->rights = rights;
  s->parent = parent;
  s->first_child = NONE;
  s->prev_sibling = NONE;
  s->next_sibling = NONE;
  if (parent != NONE) {
    OSPolicy_CapabilitySlot *p = slot_at(table, parent);
    s->next_sibling = p->first_child;
    if (p->first_child != NONE) {
      slot_at(table, p->first_child)->prev_sibling = link;
    }
    p->first_child = link;
  }
  *token = issue(table, link);
  return OSPOLICY_OK;
}

OSPolicy_Status OSPolicy_MintCapability(OSPolicy_CapabilityTable *table, uint32_t agent,
                                        uint64_t object, uint32_t rights,
                                        OSPolicy_CapabilityToken *token) {
  OSPolicy_Status status = begin_issue(table, token);
  if (status != OSPOLICY_OK) {
    return status;
  }
  if (agent == OSPOLICY_CAP_NO_AGENT || !rights_valid(rights)) {
    return OSPOLICY_ERR_INVALID_ARGUMENT;
  }
  return place(table, agent, object, rights, NONE, token);
}

OSPolicy_Status OSPolicy_CheckCapability(const OSPolicy_CapabilityTable *table, uint32_t agent,
                                         OSPolicy_CapabilityToken token, uint32_t rights,
                                         OSPolicy_CapabilityInfo *info) {
  if (info != NULL) {
    info->object = 0u;
    info->rights = 0u;
    info->slot = 0u;
  }
  OSPolicy_Status status = check_table(table);
  if (status != OSPOLICY_OK) {
    return status;
  }
  if (!rights_valid(rights)) {
    return OSPOLICY_ERR_INVALID_ARGUMENT;
  }
  uint32_t link = NONE;
  status = resolve(table, agent, token, &link);
  if (status != OSPOLICY_OK) {
    return status;
  }
  const OSPolicy_CapabilitySlot *s = &table->slots[link - 1u];
  if ((s->rights & rights) != rights) {
    return OSPOLICY_DENIED_CAPABILITY_MISSING_RIGHT;
  }
  if (info != NULL) {
    info->object = s->object;
    info->rights = s->rights;
    info->slot = link - 1u;
  }
  return OSPOLICY_OK;
}

OSPolicy_Status OSPolicy_DeriveCapability(OSPolicy_CapabilityTable *table, uint32_t agent,
                                          OSPolicy_CapabilityToken token, uint32_t rights,
                                          OSPolicy_CapabilityToken *derived) {
  OSPolicy_Status status = begin_issue(table, derived);
  if (status != OSPOLICY_OK) {
    return status;
  }
  if (!rights_valid(rights)) {
    return OSPOLICY_ERR_INVALID_ARGUMENT;
  }
  uint32_t link = NONE;
  status = resolve(table, agent, token, &link);
  if (status != OSPOLICY_OK) {
    return status;
  }
  const OSPolicy_CapabilitySlot *parent = slot_at(table, link);
  if ((parent->rights & rights) != rights) {
    return OSPOLICY_DENIED_CAPABILITY_WIDER_RIGHTS;
  }
  return place(table, agent, parent->object, rights, link, derived);
}

OSPolicy_Status OSPolicy_TransferCapability(OSPolicy_CapabilityTable *table, uint32_t agent,
                                            OSPolicy_CapabilityToken token, uint32_t to_agent,
                                            OSPolicy_CapabilityToken *moved) {
  OSPolicy_Status status = begin_issue(table, moved);
  if (status != OSPOLICY_OK) {
    return status;
  }
  uint32_t link = NONE;
  status = resolve(table, agent, token, &link);
  if (status != OSPOLICY_OK) {
    return status;
  }
  OSPolicy_CapabilitySlot *s = slot_at(table, link);
  if ((s->rights & OSPOLICY_CAP_GRANT) == 0u) {
    return OSPOLICY_DENIED_CAPABILITY_MISSING_RIGHT;
  }
  if (to_agent == OSPOLICY_CAP_NO_AGENT) {
    return OSPOLICY_ERR_INVALID_ARGUMENT;
  }
  if (s->generation >= OSPOLICY_CAP_MAX_GENERATION) {
    return OSPOLICY_ERR_CAPABILITY_GENERATION_EXHAUSTED;
  }
  s->generation++;
  s->owner = to_agent;
  *moved = issue(table, link);
  return OSPOLICY_OK;
}

/* Frees one slot that has no children and is unlinked from its siblings'
 * point of view by the caller. Its generation stays: outstanding tokens are
 * now stale; the next occupant gets generation + 1. */
static void release(OSPolicy_CapabilityTable *table, uint32_t link) {
  OSPolicy_CapabilitySlot *s = slot_at(table, link);
  s->object = 0u;
  s->owner = OSPOLICY_CAP_NO_AGENT;
  s->rights = 0u;
  s->parent = NONE;
  s->first_child = NONE;
  s->next_sibling = NONE;
  s->prev_sibling = NONE;
  s->tag = 0u;
  table->used--;
  if (s->generation >= OSPOLICY_CAP_MAX_GENERATION) {
    table->retired++;
    s->next_free = NONE;
    return;
  }
  s->next_free = table->free_head;
  table->free_head = link;
}

OSPolicy_Status OSPolicy_RevokeCapability(OSPolicy_CapabilityTable *table, uint32_t agent,
                                          OSPolicy_CapabilityToken token, uint32_t *revoked) {
  if (revoked != NULL) {
    *revoked = 0u;
  }
  OSPolicy_Status status = check_table(table);
  if (status != OSPOLICY_OK) {
    return status;
  }
  uint32_t root = NONE;
  status = resolve(table, agent, token, &root);
  if (status != OSPOLICY_OK) {
    return status;
  }
  /* Unlink the root from its parent's children. */
  OSPolicy_CapabilitySlot *r = slot_at(table, root);
  if (r->prev_sibling != NONE) {
    slot_at(table, r->prev_sibling)->next_sibling = r->next_sibling;
  } else if (r->parent != NONE) {
    slot_at(table, r->parent)->first_child = r->next_sibling;
  }
  if (r->next_sibling != NONE) {
    slot_at(table, r->next_sibling)->prev_sibling = r->prev_sibling;
  }
  r->parent = NONE;
  r->next_sibling = NONE;
  r->prev_sibling = NONE;
  /* Post-order walk without a stack: descend to a leaf, free it (it is
   * always its parent's first child), continue with its next sibling's
   * subtree or climb to the parent. Bounded by the subtree's size. */
  uint32_t count = 0u;
  uint32_t current = root;
  for (;;) {
    while (slot_at(table, current)->first_child != NONE) {
      current = slot_at(table, current)->first_child;
    }
    uint32_t parent = slot_at(table, current)->parent;
    uint32_t next = slot_at(table, current)->next_sibling;
    bool is_root = current == root;
    release(table, current);
    count++;
    if (is_root) {
      break;
    }
    OSPolicy_CapabilitySlot *p = slot_at(table, parent);
    p->first_child = next;
    if (next != NONE) {
      slot_at(table, next)->prev_sibling = NONE;
      current = next;
    } else {
      current = parent;
    }
  }
  if (revoked != NULL) {
    *revoked = count;
  }
  return OSPOLICY_OK;
}

const char *OSPolicy_CapabilityRightName(uint32_t right) {
  switch (right) {
    case OSPOLICY_CAP_READ:
      return "read";
    case OSPOLICY_CAP_WRITE:
      return "write";
    case OSPOLICY_CAP_EXEC:
      return "exec";
    case OSPOLICY_CAP_IPC:
      return "ipc";
    case OSPOLICY_CAP_NET:
      return "net";
    case OSPOLICY_CAP_FS:
      return "fs";
    case OSPOLICY_CAP_GRANT:
      return "grant";
    default:
      return NULL;
  }
}
