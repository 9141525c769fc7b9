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
      return OSPOLICY_ERR_PAGE_ALREADY_MAPPED;
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
      return OSPOLICY_ERR_PAGE_ALREADY_MAPPED;
    }
    if (end - page < step) {
      break;
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
    status = OSPOLICY_ERR_NON_CANONICAL;
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

typedef struct audit_walk {
  OSBaremetal_WxAudit *audit;
  uint64_t wx_run_end; /* end of the current W+X run, 0 if none */
  int in_run;
} audit_walk;

static void audit_leaf(audit_walk *state, uint64_t address, uint64_t span, uint32_t prot, int user) {
  OSBaremetal_WxAudit *audit = state->audit;
  audit->mapped_bytes += span;
  if (user) {
    if (audit->user_leaves == 0u) {
      audit->first_user_address = address;
    }
    audit->user_leaves++;
    audit->user_bytes += span;
  }
  int writable = (prot & OSPOLICY_PROT_WRITE) != 0u;
  int executable = (prot & OSPOLICY_PROT_EXEC) != 0u;
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
}

/* Depth is bounded by the four paging levels. */
static void audit_table(const OSBaremetal_PageTable *table, audit_walk *state, uint64_t physical,
                        int level, uint64_t prefix, int upper_writable, int upper_nx, int upper_user) {
  const uint64_t *entries = table_at(table, physical);
  for (unsigned i = 0; i < TABLE_ENTRIES; ++i) {
    uint64_t value = entries[i];
    uint64_t address = sign_extend(prefix | ((uint64_t)i << (12u + 9u * (unsigned)level)));
    if ((value & OSBAREMETAL_PTE_PRESENT) == 0u) {
      state->in_run = 0;
      continue;
    }
    int leaf = level == LEVEL_PT ||
               ((level == LEVEL_PD || level == LEVEL_PDPT) && (value & OSBAREMETAL_PTE_LARGE) != 0u);
    if (leaf) {
      audit_leaf(state, address, level_size(level), effective_prot(value, upper_writable, upper_nx),
                 upper_user && (value & OSBAREMETAL_PTE_USER) != 0u);
      continue;
    }
    audit_table(table, state, value & OSBAREMETAL_PTE_ADDRESS_MASK, level - 1, address & ((((uint64_t)1) << 48) - 1u),
                upper_writable && (value & OSBAREMETAL_PTE_WRITABLE) != 0u,
                upper_nx || (value & OSBAREMETAL_PTE_NX) != 0u, upper_user && (value & OSBAREMETAL_PTE_USER) != 0u);
  }
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
  OSPolicy_Status status = check_table(table);
  if (status != OSPOLICY_OK) {
    audit->status = status;
    return status;
  }
  audit_walk state = {audit, 0, 0};
  audit_table(table, &state, table->root, LEVEL_PML4, 0, 1, 0, 1);
  audit->status = OSPOLICY_OK;
  return OSPOLICY_OK;
}
