/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
#include "page_table_internal.h"

int OSBaremetal_IsCanonical(uint64_t address) {
  uint64_t top = address >> 47;
  return top == 0u || top == 0x1FFFFu;
}


static void reset(OSBaremetal_PageTable *table) {
  table->status = OSPOLICY_STATUS_UNSET;
  table->root = 0;
  table->tables_allocated = 0;
  table->error_address = 0;
  table->flush_all = NULL;
  table->flush_ceiling = OSBAREMETAL_FLUSH_CEILING_DEFAULT;
  table->spare_count = 0;
  for (uint32_t i = 0; i < OSBAREMETAL_SPARE_TABLES; ++i) {
    table->spare_tables[i] = 0;
  }
  table->splits = 0;
  table->pages_flushed = 0;
  table->full_flushes = 0;
  table->alias_address = 0;
  table->alias_peers = NULL;
  table->alias_peer_count = 0;
}

OSPolicy_Status OSBaremetal_CreatePageTable(OSBaremetal_PageTable *table,
                                            const OSBaremetal_PageTableOps *ops) {
  if (table == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  reset(table);
  if (ops == NULL || ops->allocate_table == NULL || ops->map_physical == NULL) {
    table->status = OSPOLICY_ERR_NULL_ARGUMENT;
    return table->status;
  }
  table->ops = *ops;
  uint64_t root = 0;
  OSPolicy_Status status = ops->allocate_table(ops->context, &root);
  if (status != OSPOLICY_OK) {
    table->status = status;
    return status;
  }
  if (!osb_pt_is_table_frame(root)) {
    table->status = OSPOLICY_ERR_PAL_CONTRACT;
    return table->status;
  }
  table->root = root;
  table->tables_allocated = 1;
  table->status = OSPOLICY_OK;
  return OSPOLICY_OK;
}

OSPolicy_Status OSBaremetal_AttachPageTable(OSBaremetal_PageTable *table,
                                            const OSBaremetal_PageTableOps *ops, uint64_t root) {
  if (table == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  reset(table);
  if (ops == NULL || ops->map_physical == NULL) {
    table->status = OSPOLICY_ERR_NULL_ARGUMENT;
    return table->status;
  }
  if (!osb_pt_is_table_frame(root)) {
    table->status = (root & (OSBAREMETAL_PAGE_SIZE - 1u)) != 0u ? OSPOLICY_ERR_UNALIGNED
                                                               : OSPOLICY_ERR_OUT_OF_RANGE;
    return table->status;
  }
  table->ops = *ops;
  table->root = root;
  table->status = OSPOLICY_OK;
  return OSPOLICY_OK;
}

/* Clears the leaves of [address, end) of size `step`: the rollback of a
 * failed map (those entries were empty before the call). */
static void unmap_range(OSBaremetal_PageTable *table, uint64_t address, uint64_t end, uint64_t step) {
  for (uint64_t page = address; page < end; page += step) {
    walk found;
    if (walk_to(table, page, &found) == WALK_LEAF) {
      osb_pt_publish(found.entry, 0);
      if (table->ops.flush_page != NULL) {
        table->ops.flush_page(table->ops.context, page);
      }
    }
  }
}

OSPolicy_Status osb_pt_ensure_slot(OSBaremetal_PageTable *table, uint64_t address, int target_level,
                                   int user, uint64_t **slot) {
  uint64_t physical = table->root;
  for (int level = LEVEL_PML4; level > target_level; --level) {
    uint64_t *entry = &table_at(table, physical)[index_at(address, level)];
    if ((*entry & OSBAREMETAL_PTE_PRESENT) == 0u) {
      uint64_t fresh = 0;
      OSPolicy_Status status = osb_pt_allocate_table(table, &fresh);
      if (status != OSPOLICY_OK) {
        return status;
      }
      /* Upper levels grant everything; the leaf decides W and X. The
       * allocator zeroed the table: publish it only after that. */
      osb_pt_publish(entry, fresh | OSBAREMETAL_PTE_PRESENT | OSBAREMETAL_PTE_WRITABLE);
    } else if (level != LEVEL_PML4 && (*entry & OSBAREMETAL_PTE_LARGE) != 0u) {
      return OSBAREMETAL_ERR_PAGE_ALREADY_MAPPED;
    }
    if (user) {
      /* Only widens the path: the leaf's own user bit still decides. */
      osb_pt_publish(entry, *entry | OSBAREMETAL_PTE_USER);
    }
    physical = *entry & OSBAREMETAL_PTE_ADDRESS_MASK;
  }
  *slot = &table_at(table, physical)[index_at(address, target_level)];
  return OSPOLICY_OK;
}

OSPolicy_Status OSBaremetal_MapPages(OSBaremetal_PageTable *table, uint64_t virtual_address,
                                     uint64_t physical, uint64_t size, uint32_t prot) {
  return OSBaremetal_MapPagesEx(table, virtual_address, physical, size, prot, 0u);
}

OSPolicy_Status OSBaremetal_MapPagesEx(OSBaremetal_PageTable *table, uint64_t virtual_address,
                                       uint64_t physical, uint64_t size, uint32_t prot, uint32_t flags) {
  OSPolicy_Status status = check_table(table);
  if (status != OSPOLICY_OK) {
    return status;
  }
  if ((flags & ~(uint32_t)(OSBAREMETAL_MAP_USER | OSBAREMETAL_MAP_LARGE)) != 0u) {
    table->error_address = virtual_address;
    return OSPOLICY_ERR_INVALID_ARGUMENT;
  }
  status = check_prot(prot);
  if (status != OSPOLICY_OK) {
    table->error_address = virtual_address;
    return status;
  }
  status = check_range(table, virtual_address, size);
  if (status != OSPOLICY_OK) {
    return status;
  }
  int large = (flags & OSBAREMETAL_MAP_LARGE) != 0u;
  int user = (flags & OSBAREMETAL_MAP_USER) != 0u;
  uint64_t step = large ? OSBAREMETAL_LARGE_PAGE_SIZE : OSBAREMETAL_PAGE_SIZE;
  uint64_t physical_last;
  if ((physical & (step - 1u)) != 0u ||
      (large && ((virtual_address | size) & (OSBAREMETAL_LARGE_PAGE_SIZE - 1u)) != 0u)) {
    return OSPOLICY_ERR_UNALIGNED;
  }
  if (__builtin_add_overflow(physical, size - 1u, &physical_last) ||
      (physical_last & ~(OSBAREMETAL_PTE_ADDRESS_MASK | (OSBAREMETAL_PAGE_SIZE - 1u))) != 0u) {
    return OSPOLICY_ERR_OVERFLOW;
  }
  uint64_t end = virtual_address + (size - 1u); /* last byte: the range may end at 2^64 */
  for (uint64_t page = virtual_address;; page += step) {
    walk found;
    walk_result result = walk_to(table, page, &found);
    /* A large slot must be empty at its own level: a page table there
     * (absent only at the PT level below it) is in the way too. */
    if (result == WALK_LEAF || (large && found.level < LEVEL_PD)) {
      table->error_address = page;
      return OSBAREMETAL_ERR_PAGE_ALREADY_MAPPED;
    }
    if (end - page < step) {
      break;
    }
  }
  table->alias_address = 0;
  uint32_t conflicts = conflicting_bits(prot);
  if (conflicts != 0u) {
    status = check_peers(table);
    if (status != OSPOLICY_OK) {
      table->error_address = virtual_address;
      return status;
    }
    uint64_t alias_address = 0;
    uint64_t alias_physical = 0;
    /* Nothing of this range is mapped yet: nothing to skip. */
    if (osb_pt_find_alias(table, physical, physical_last, conflicts, 1u, 0u, &alias_address, &alias_physical)) {
      table->error_address = virtual_address + ((alias_physical - physical) & ~(OSBAREMETAL_PAGE_SIZE - 1u));
      table->alias_address = alias_address;
      return OSPOLICY_DENIED_WX_ALIAS;
    }
  }
  uint64_t bits = leaf_bits(prot) | (user ? OSBAREMETAL_PTE_USER : 0u) | (large ? OSBAREMETAL_PTE_LARGE : 0u);
  uint64_t offset = 0;
  for (;;) {
    uint64_t *slot = NULL;
    status = osb_pt_ensure_slot(table, virtual_address + offset, large ? LEVEL_PD : LEVEL_PT, user, &slot);
    if (status != OSPOLICY_OK) {
      table->error_address = virtual_address + offset;
      unmap_range(table, virtual_address, virtual_address + offset, step);
      return status;
    }
    osb_pt_publish(slot, (physical + offset) | bits);
    if (size - offset <= step) {
      break;
    }
    offset += step;
  }
  return OSPOLICY_OK;
}

OSPolicy_Status OSBaremetal_QueryPage(const OSBaremetal_PageTable *table, uint64_t virtual_address,
                                      OSBaremetal_PageInfo *info) {
  if (info == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  info->status = OSPOLICY_STATUS_UNSET;
  info->present = 0;
  info->prot = 0;
  info->physical = 0;
  info->mapping_size = 0;
  info->user = 0;
  OSPolicy_Status status = check_table(table);
  if (status == OSPOLICY_OK && !OSBaremetal_IsCanonical(virtual_address)) {
    status = OSBAREMETAL_ERR_NON_CANONICAL;
  }
  if (status != OSPOLICY_OK) {
    info->status = status;
    return status;
  }
  walk found;
  if (walk_to(table, virtual_address, &found) == WALK_LEAF) {
    uint64_t span = level_size(found.level);
    uint64_t base = *found.entry & OSBAREMETAL_PTE_ADDRESS_MASK & ~(span - 1u);
    info->present = 1;
    info->prot = effective_prot(*found.entry, found.upper_writable, found.upper_nx);
    info->physical = base + (virtual_address & (span - 1u));
    info->mapping_size = span;
    info->user = found.upper_user && (*found.entry & OSBAREMETAL_PTE_USER) != 0u;
  }
  info->status = OSPOLICY_OK;
  return OSPOLICY_OK;
}

static uint64_t sign_extend(uint64_t address) {
  return (address & ((uint64_t)1 << 47)) != 0u ? (address | ~(((uint64_t)1 << 48) - 1u)) : address;
}

typedef struct walk_all {
  const OSBaremetal_PageTable *table;
  leaf_visitor visit;
  table_visitor table_page;
  void *context;
} walk_all;

/* Depth is bounded by the four paging levels. */
static int walk_level(const walk_all *w, uint64_t physical, int level, uint64_t prefix, int upper_writable,
                      int upper_nx, int upper_user) {
  const uint64_t *entries = table_at(w->table, physical);
  for (unsigned i = 0; i < TABLE_ENTRIES; ++i) {
    uint64_t value = entries[i];
    if ((value & OSBAREMETAL_PTE_PRESENT) == 0u) {
      continue;
    }
    uint64_t address = sign_extend(prefix | ((uint64_t)i << (12u + 9u * (unsigned)level)));
    int leaf = level == LEVEL_PT ||
               ((level == LEVEL_PD || level == LEVEL_PDPT) && (value & OSBAREMETAL_PTE_LARGE) != 0u);
    int stop;
    if (leaf) {
      uint64_t span = level_size(level);
      leaf_info info = {address, value & OSBAREMETAL_PTE_ADDRESS_MASK & ~(span - 1u), span,
                        effective_prot(value, upper_writable, upper_nx),
                        upper_user && (value & OSBAREMETAL_PTE_USER) != 0u};
      stop = w->visit != NULL ? w->visit(w->context, &info) : 0;
    } else {
      uint64_t next = value & OSBAREMETAL_PTE_ADDRESS_MASK;
      stop = w->table_page != NULL ? w->table_page(w->context, next) : 0;
      if (stop == 0) {
        stop = walk_level(w, next, level - 1, address & ((((uint64_t)1) << 48) - 1u),
                          upper_writable && (value & OSBAREMETAL_PTE_WRITABLE) != 0u,
                          upper_nx || (value & OSBAREMETAL_PTE_NX) != 0u,
                          upper_user && (value & OSBAREMETAL_PTE_USER) != 0u);
      }
    }
    if (stop != 0) {
      return stop;
    }
  }
  return 0;
}

int osb_pt_walk_all(const OSBaremetal_PageTable *table, leaf_visitor visit, table_visitor table_page,
                    void *context) {
  walk_all w = {table, visit, table_page, context};
  if (table_page != NULL) {
    int stop = table_page(context, table->root);
    if (stop != 0) {
      return stop;
    }
  }
  return walk_level(&w, table->root, LEVEL_PML4, 0, 1, 0, 1);
}

typedef struct alias_search {
  uint64_t low;       /* physical range looked for */
  uint64_t high;      /* its last byte */
  uint32_t bits;
  int skip;           /* skip [skip_start, skip_last] (own table only) */
  uint64_t skip_start;
  uint64_t skip_last;
  uint64_t found_address;
  uint64_t found_physical;
} alias_search;

/* Virtual [address, +length) maps physical [physical, +length). */
static int alias_piece(alias_search *search, uint64_t address, uint64_t physical, uint64_t length) {
  uint64_t last = physical + (length - 1u);
  if (last < search->low || physical > search->high) {
    return 0;
  }
  uint64_t first = physical > search->low ? physical : search->low;
  search->found_physical = first;
  search->found_address = address + (first - physical);
  return 1;
}

static int alias_leaf(void *context, const leaf_info *leaf) {
  alias_search *search = context;
  if ((leaf->prot & search->bits) == 0u) {
    return 0;
  }
  uint64_t last = leaf->address + (leaf->span - 1u);
  if (!search->skip || last < search->skip_start || leaf->address > search->skip_last) {
    return alias_piece(search, leaf->address, leaf->physical, leaf->span);
  }
  /* The parts of the leaf outside the skipped range keep their frames. */
  if (leaf->address < search->skip_start &&
      alias_piece(search, leaf->address, leaf->physical, search->skip_start - leaf->address)) {
    return 1;
  }
  if (last > search->skip_last &&
      alias_piece(search, search->skip_last + 1u, leaf->physical + (search->skip_last + 1u - leaf->address),
                  last - search->skip_last)) {
    return 1;
  }
  return 0;
}

int osb_pt_find_alias(const OSBaremetal_PageTable *table, uint64_t physical, uint64_t physical_last,
                      uint32_t prot_bits, uint64_t skip_start, uint64_t skip_last, uint64_t *alias_address,
                      uint64_t *alias_physical) {
  alias_search search = {physical, physical_last, prot_bits, skip_last >= skip_start, skip_start, skip_last, 0, 0};
  int found = osb_pt_walk_all(table, alias_leaf, NULL, &search);
  search.skip = 0; /* a peer's addresses are another space: nothing of it is being changed */
  for (uint32_t i = 0; found == 0 && i < table->alias_peer_count; ++i) {
    found = osb_pt_walk_all(table->alias_peers[i], alias_leaf, NULL, &search);
  }
  if (found != 0) {
    *alias_address = search.found_address;
    *alias_physical = search.found_physical;
    return 1;
  }
  return 0;
}

typedef struct audit_walk {
  const OSBaremetal_PageTable *table;
  OSBaremetal_WxAudit *audit;
  uint64_t wx_run_end; /* end of the current W+X run */
  int in_run;
  /* Executable run by physical frame, being gathered. */
  int have_run;
  uint64_t run_low;
  uint64_t run_high;
  uint64_t table_page; /* the table page being checked */
} audit_walk;

static int audit_leaf(void *context, const leaf_info *leaf) {
  audit_walk *state = context;
  OSBaremetal_WxAudit *audit = state->audit;
  uint64_t address = leaf->address;
  uint64_t span = leaf->span;
  audit->mapped_bytes += span;
  if (leaf->user) {
    if (audit->user_leaves == 0u) {
      audit->first_user_address = address;
    }
    audit->user_leaves++;
    audit->user_bytes += span;
  }
  int writable = (leaf->prot & OSPOLICY_PROT_WRITE) != 0u;
  int executable = (leaf->prot & OSPOLICY_PROT_EXEC) != 0u;
  if (writable) {
    audit->writable_bytes += span;
  }
  if (executable) {
    audit->executable_bytes += span;
  }
  if (writable && executable) {
    if (audit->wx_bytes == 0u) {
      audit->first_wx_address = address;
    }
    audit->wx_bytes += span;
    if (!state->in_run || state->wx_run_end != address) {
      audit->wx_regions++;
    }
    state->in_run = 1;
    state->wx_run_end = address + span;
  } else {
    state->in_run = 0;
  }
  return 0;
}

/* Adds the bytes of [run_low, run_high] that one writable leaf maps. */
static int writable_overlap(void *context, const leaf_info *leaf) {
  audit_walk *state = context;
  if ((leaf->prot & OSPOLICY_PROT_WRITE) == 0u) {
    return 0;
  }
  uint64_t last = leaf->physical + (leaf->span - 1u);
  if (last < state->run_low || leaf->physical > state->run_high) {
    return 0;
  }
  uint64_t first = leaf->physical > state->run_low ? leaf->physical : state->run_low;
  uint64_t end = last < state->run_high ? last : state->run_high;
  if (state->audit->wx_alias_bytes == 0u) {
    state->audit->first_wx_alias_address = leaf->address + (first - leaf->physical);
  }
  state->audit->wx_alias_bytes += end - first + 1u;
  return 0;
}

static void flush_run(audit_walk *state) {
  if (!state->have_run) {
    return;
  }
  state->have_run = 0;
  (void)osb_pt_walk_all(state->table, writable_overlap, NULL, state);
  for (uint32_t i = 0; i < state->table->alias_peer_count; ++i) {
    (void)osb_pt_walk_all(state->table->alias_peers[i], writable_overlap, NULL, state);
  }
}

/* Gathers executable leaves into physically contiguous runs: one walk of
 * every table in scope per run, not per leaf. */
static int executable_leaf(void *context, const leaf_info *leaf) {
  audit_walk *state = context;
  if ((leaf->prot & OSPOLICY_PROT_EXEC) == 0u) {
    return 0;
  }
  if (state->have_run && leaf->physical == state->run_high + 1u) {
    state->run_high += leaf->span;
    return 0;
  }
  flush_run(state);
  state->have_run = 1;
  state->run_low = leaf->physical;
  state->run_high = leaf->physical + (leaf->span - 1u);
  return 0;
}

/* A writable mapping of the table page being checked, unless it is the
 * address through which the editor itself reaches that page. */
static int writable_table_leaf(void *context, const leaf_info *leaf) {
  audit_walk *state = context;
  uint64_t page = state->table_page;
  if ((leaf->prot & OSPOLICY_PROT_WRITE) == 0u || page < leaf->physical || page - leaf->physical >= leaf->span) {
    return 0;
  }
  uint64_t address = leaf->address + (page - leaf->physical);
  if (address == (uint64_t)(uintptr_t)state->table->ops.map_physical(state->table->ops.context, page)) {
    return 0;
  }
  if (state->audit->writable_table_bytes == 0u) {
    state->audit->first_writable_table_address = address;
  }
  state->audit->writable_table_bytes += OSBAREMETAL_PAGE_SIZE;
  return 0;
}

static int table_page_seen(void *context, uint64_t physical) {
  audit_walk *state = context;
  state->audit->table_pages++;
  state->table_page = physical;
  (void)osb_pt_walk_all(state->table, writable_table_leaf, NULL, state);
  for (uint32_t i = 0; i < state->table->alias_peer_count; ++i) {
    (void)osb_pt_walk_all(state->table->alias_peers[i], writable_table_leaf, NULL, state);
  }
  return 0;
}

OSPolicy_Status OSBaremetal_AuditWx(const OSBaremetal_PageTable *table, OSBaremetal_WxAudit *audit) {
  if (audit == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  audit->status = OSPOLICY_STATUS_UNSET;
  audit->mapped_bytes = 0;
  audit->writable_bytes = 0;
  audit->executable_bytes = 0;
  audit->wx_bytes = 0;
  audit->wx_regions = 0;
  audit->first_wx_address = 0;
  audit->user_leaves = 0;
  audit->user_bytes = 0;
  audit->first_user_address = 0;
  audit->wx_alias_bytes = 0;
  audit->first_wx_alias_address = 0;
  audit->table_pages = 0;
  audit->writable_table_bytes = 0;
  audit->first_writable_table_address = 0;
  OSPolicy_Status status = check_table(table);
  if (status == OSPOLICY_OK) {
    status = check_peers(table);
  }
  if (status != OSPOLICY_OK) {
    audit->status = status;
    return status;
  }
  audit_walk state = {table, audit, 0, 0, 0, 0, 0, 0};
  (void)osb_pt_walk_all(table, audit_leaf, NULL, &state);
  (void)osb_pt_walk_all(table, executable_leaf, NULL, &state);
  flush_run(&state);
  (void)osb_pt_walk_all(table, NULL, table_page_seen, &state);
  audit->status = OSPOLICY_OK;
  return OSPOLICY_OK;
}
