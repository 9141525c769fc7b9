/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
#include "page_table.h"

#define TABLE_ENTRIES 512u
#define LEVEL_PML4 3
#define LEVEL_PDPT 2
#define LEVEL_PD 1
#define LEVEL_PT 0

/* What a walk down to one address found. */
typedef enum walk_result { WALK_ABSENT = 1, WALK_LEAF = 2 } walk_result;

typedef struct walk {
  uint64_t *entry;   /* the non-present entry or the leaf */
  int level;         /* LEVEL_* of `entry` */
  int upper_writable; /* every entry above the leaf allows writes */
  int upper_nx;       /* some entry above the leaf forbids execution */
} walk;

static unsigned index_at(uint64_t address, int level) {
  return (unsigned)((address >> (12u + 9u * (unsigned)level)) & (TABLE_ENTRIES - 1u));
}

static uint64_t level_size(int level) {
  return OSBAREMETAL_PAGE_SIZE << (9u * (unsigned)level);
}

static uint64_t *table_at(const OSBaremetal_PageTable *table, uint64_t physical) {
  return (uint64_t *)table->ops.map_physical(table->ops.context, physical);
}

int OSBaremetal_IsCanonical(uint64_t address) {
  uint64_t top = address >> 47;
  return top == 0u || top == 0x1FFFFu;
}

static walk_result walk_to(const OSBaremetal_PageTable *table, uint64_t address, walk *out) {
  uint64_t physical = table->root;
  out->upper_writable = 1;
  out->upper_nx = 0;
  for (int level = LEVEL_PML4;; --level) {
    uint64_t *entry = &table_at(table, physical)[index_at(address, level)];
    uint64_t value = *entry;
    out->entry = entry;
    out->level = level;
    if ((value & OSBAREMETAL_PTE_PRESENT) == 0u) {
      return WALK_ABSENT;
    }
    if (level == LEVEL_PT ||
        ((level == LEVEL_PD || level == LEVEL_PDPT) && (value & OSBAREMETAL_PTE_LARGE) != 0u)) {
      return WALK_LEAF;
    }
    if ((value & OSBAREMETAL_PTE_WRITABLE) == 0u) {
      out->upper_writable = 0;
    }
    if ((value & OSBAREMETAL_PTE_NX) != 0u) {
      out->upper_nx = 1;
    }
    physical = value & OSBAREMETAL_PTE_ADDRESS_MASK;
  }
}

static uint32_t effective_prot(uint64_t leaf, int upper_writable, int upper_nx) {
  uint32_t prot = OSPOLICY_PROT_READ;
  if (upper_writable && (leaf & OSBAREMETAL_PTE_WRITABLE) != 0u) {
    prot |= OSPOLICY_PROT_WRITE;
  }
  if (!upper_nx && (leaf & OSBAREMETAL_PTE_NX) == 0u) {
    prot |= OSPOLICY_PROT_EXEC;
  }
  return prot;
}

static uint64_t leaf_bits(uint32_t prot) {
  uint64_t bits = OSBAREMETAL_PTE_PRESENT;
  if ((prot & OSPOLICY_PROT_WRITE) != 0u) {
    bits |= OSBAREMETAL_PTE_WRITABLE;
  }
  if ((prot & OSPOLICY_PROT_EXEC) == 0u) {
    bits |= OSBAREMETAL_PTE_NX;
  }
  return bits;
}

static OSPolicy_Status check_table(const OSBaremetal_PageTable *table) {
  if (table == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  if (table->status != OSPOLICY_OK || table->ops.map_physical == NULL) {
    return OSPOLICY_ERR_PLAN_NOT_OK;
  }
  return OSPOLICY_OK;
}

static OSPolicy_Status check_prot(uint32_t prot) {
  if ((prot & ~OSPOLICY_PROT_ALL) != 0u || (prot & OSPOLICY_PROT_READ) == 0u) {
    return OSPOLICY_ERR_BAD_PROTECTION;
  }
  if ((prot & OSPOLICY_PROT_WRITE) != 0u && (prot & OSPOLICY_PROT_EXEC) != 0u) {
    return OSPOLICY_DENIED_RWX;
  }
  return OSPOLICY_OK;
}

/* Range checks shared by Map and Protect; `last` is the range's last byte. */
static OSPolicy_Status check_range(OSBaremetal_PageTable *table, uint64_t address, uint64_t size) {
  uint64_t last;
  table->error_address = address;
  if (size == 0u) {
    return OSPOLICY_ERR_EMPTY_RANGE;
  }
  if ((address & (OSBAREMETAL_PAGE_SIZE - 1u)) != 0u || (size & (OSBAREMETAL_PAGE_SIZE - 1u)) != 0u) {
    return OSPOLICY_ERR_UNALIGNED;
  }
  if (__builtin_add_overflow(address, size - 1u, &last)) {
    return OSPOLICY_ERR_OVERFLOW;
  }
  if (!OSBaremetal_IsCanonical(address)) {
    return OSPOLICY_ERR_NON_CANONICAL;
  }
  if (!OSBaremetal_IsCanonical(last) || (address >> 47) != (last >> 47)) {
    /* The first non-canonical page: the end of the lower half. */
    table->error_address = (uint64_t)1 << 47;
    return OSPOLICY_ERR_NON_CANONICAL;
  }
  return OSPOLICY_OK;
}

OSPolicy_Status OSBaremetal_CreatePageTable(OSBaremetal_PageTable *table,
                                            const OSBaremetal_PageTableOps *ops) {
  if (table == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  table->status = OSPOLICY_STATUS_UNSET;
  table->root = 0;
  table->tables_allocated = 0;
  table->error_address = 0;
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
  if ((root & (OSBAREMETAL_PAGE_SIZE - 1u)) != 0u) {
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
  table->status = OSPOLICY_STATUS_UNSET;
  table->root = 0;
  table->tables_allocated = 0;
  table->error_address = 0;
  if (ops == NULL || ops->map_physical == NULL) {
    table->status = OSPOLICY_ERR_NULL_ARGUMENT;
    return table->status;
  }
  if ((root & (OSBAREMETAL_PAGE_SIZE - 1u)) != 0u) {
    table->status = OSPOLICY_ERR_UNALIGNED;
    return table->status;
  }
  table->ops = *ops;
  table->root = root;
  table->status = OSPOLICY_OK;
  return OSPOLICY_OK;
}

/* Clears the 4 KiB leaves of [address, end): the rollback of a failed map. */
static void unmap_range(OSBaremetal_PageTable *table, uint64_t address, uint64_t end) {
  for (uint64_t page = address; page < end; page += OSBAREMETAL_PAGE_SIZE) {
    walk found;
    if (walk_to(table, page, &found) == WALK_LEAF && found.level == LEVEL_PT) {
      *found.entry = 0;
      if (table->ops.flush_page != NULL) {
        table->ops.flush_page(table->ops.context, page);
      }
    }
  }
}

/* Returns the PT entry for `address`, creating missing tables on the way. */
static OSPolicy_Status ensure_leaf_slot(OSBaremetal_PageTable *table, uint64_t address,
                                        uint64_t **slot) {
  uint64_t physical = table->root;
  for (int level = LEVEL_PML4; level > LEVEL_PT; --level) {
    uint64_t *entry = &table_at(table, physical)[index_at(address, level)];
    if ((*entry & OSBAREMETAL_PTE_PRESENT) == 0u) {
      if (table->ops.allocate_table == NULL) {
        return OSPOLICY_ERR_NULL_ARGUMENT;
      }
      uint64_t fresh = 0;
      OSPolicy_Status status = table->ops.allocate_table(table->ops.context, &fresh);
      if (status != OSPOLICY_OK) {
        return status;
      }
      if ((fresh & (OSBAREMETAL_PAGE_SIZE - 1u)) != 0u || (fresh & ~OSBAREMETAL_PTE_ADDRESS_MASK) != 0u) {
        return OSPOLICY_ERR_PAL_CONTRACT;
      }
      table->tables_allocated++;
      /* Upper levels grant everything; the leaf decides W and X. */
      *entry = fresh | OSBAREMETAL_PTE_PRESENT | OSBAREMETAL_PTE_WRITABLE;
    }
    physical = *entry & OSBAREMETAL_PTE_ADDRESS_MASK;
  }
  *slot = &table_at(table, physical)[index_at(address, LEVEL_PT)];
  return OSPOLICY_OK;
}

OSPolicy_Status OSBaremetal_MapPages(OSBaremetal_PageTable *table, uint64_t virtual_address,
                                     uint64_t physical, uint64_t size, uint32_t prot) {
  OSPolicy_Status status = check_table(table);
  if (status != OSPOLICY_OK) {
    return status;
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
  uint64_t physical_last;
  if ((physical & (OSBAREMETAL_PAGE_SIZE - 1u)) != 0u) {
    return OSPOLICY_ERR_UNALIGNED;
  }
  if (__builtin_add_overflow(physical, size - 1u, &physical_last) ||
      (physical_last & ~(OSBAREMETAL_PTE_ADDRESS_MASK | (OSBAREMETAL_PAGE_SIZE - 1u))) != 0u) {
    return OSPOLICY_ERR_OVERFLOW;
  }
  uint64_t end = virtual_address + (size - 1u); /* last byte: the range may end at 2^64 */
  for (uint64_t page = virtual_address;; page += OSBAREMETAL_PAGE_SIZE) {
    walk found;
    if (walk_to(table, page, &found) == WALK_LEAF) {
      table->error_address = page;
      return OSPOLICY_ERR_PAGE_ALREADY_MAPPED;
    }
    if (end - page < OSBAREMETAL_PAGE_SIZE) {
      break;
    }
  }
  uint64_t bits = leaf_bits(prot);
  uint64_t offset = 0;
  for (;;) {
    uint64_t *slot = NULL;
    status = ensure_leaf_slot(table, virtual_address + offset, &slot);
    if (status != OSPOLICY_OK) {
      table->error_address = virtual_address + offset;
      unmap_range(table, virtual_address, virtual_address + offset);
      return status;
    }
    *slot = (physical + offset) | bits;
    if (size - offset <= OSBAREMETAL_PAGE_SIZE) {
      break;
    }
    offset += OSBAREMETAL_PAGE_SIZE;
  }
  return OSPOLICY_OK;
}

OSPolicy_Status OSBaremetal_ProtectPages(OSBaremetal_PageTable *table, uint64_t virtual_address,
                                         uint64_t size, uint32_t prot) {
  OSPolicy_Status status = check_table(table);
  if (status != OSPOLICY_OK) {
    return status;
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
  /* Check the whole range first so that a refusal changes nothing. */
  for (uint64_t offset = 0; offset < size; offset += OSBAREMETAL_PAGE_SIZE) {
    uint64_t page = virtual_address + offset;
    walk found;
    walk_result result = walk_to(table, page, &found);
    table->error_address = page;
    if (result == WALK_ABSENT) {
      return OSPOLICY_ERR_PAGE_NOT_MAPPED;
    }
    if (found.level != LEVEL_PT) {
      return OSPOLICY_ERR_PAGE_TABLE_CONFLICT;
    }
    if (((prot & OSPOLICY_PROT_WRITE) != 0u && !found.upper_writable) ||
        ((prot & OSPOLICY_PROT_EXEC) != 0u && found.upper_nx)) {
      return OSPOLICY_ERR_PAGE_TABLE_CONFLICT;
    }
    if (size - offset <= OSBAREMETAL_PAGE_SIZE) {
      break;
    }
  }
  uint64_t bits = leaf_bits(prot);
  for (uint64_t offset = 0;; offset += OSBAREMETAL_PAGE_SIZE) {
    uint64_t page = virtual_address + offset;
    walk found;
    (void)walk_to(table, page, &found);
    uint64_t value = *found.entry;
    /* One store: the entry goes from the old W/NX pair to the new one. */
    value = (value & ~(OSBAREMETAL_PTE_WRITABLE | OSBAREMETAL_PTE_NX)) | bits;
    *(volatile uint64_t *)found.entry = value;
    if (table->ops.flush_page != NULL) {
      table->ops.flush_page(table->ops.context, page);
    }
    if (size - offset <= OSBAREMETAL_PAGE_SIZE) {
      break;
    }
  }
  table->error_address = 0;
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

static void audit_leaf(audit_walk *state, uint64_t address, uint64_t span, uint32_t prot) {
  OSBaremetal_WxAudit *audit = state->audit;
  audit->mapped_bytes += span;
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
                        int level, uint64_t prefix, int upper_writable, int upper_nx) {
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
      audit_leaf(state, address, level_size(level), effective_prot(value, upper_writable, upper_nx));
      continue;
    }
    audit_table(table, state, value & OSBAREMETAL_PTE_ADDRESS_MASK, level - 1, address & ((((uint64_t)1) << 48) - 1u),
                upper_writable && (value & OSBAREMETAL_PTE_WRITABLE) != 0u,
                upper_nx || (value & OSBAREMETAL_PTE_NX) != 0u);
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
  OSPolicy_Status status = check_table(table);
  if (status != OSPOLICY_OK) {
    audit->status = status;
    return status;
  }
  audit_walk state = {audit, 0, 0};
  audit_table(table, &state, table->root, LEVEL_PML4, 0, 1, 0);
  audit->status = OSPOLICY_OK;
  return OSPOLICY_OK;
}
