/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * Helpers shared by page_table.c (build, query, audit) and page_table_edit.c
 * (protect, unmap, split, flush). Not a public header.
 */
#ifndef OSPOLICY_BAREMETAL_PAGE_TABLE_INTERNAL_H
#define OSPOLICY_BAREMETAL_PAGE_TABLE_INTERNAL_H

#include <stdbool.h>

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
  int upper_user;     /* every entry above the leaf allows user access */
} walk;

static inline unsigned index_at(uint64_t address, int level) {
  return (unsigned)((address >> (12u + 9u * (unsigned)level)) & (TABLE_ENTRIES - 1u));
}

static inline uint64_t level_size(int level) {
  return OSBAREMETAL_PAGE_SIZE << (9u * (unsigned)level);
}

/* The one test of a physical address that is to hold a page table (a new
 * root, a table handed out by ops.allocate_table): page aligned and within
 * the 52 address bits an entry can hold, i.e. nothing outside the entry's
 * address field. */
static inline bool osb_pt_is_table_frame(uint64_t physical) {
  return (physical & ~OSBAREMETAL_PTE_ADDRESS_MASK) == 0u;
}

/* Asks ops.allocate_table for one zeroed table page and checks it; the one
 * place a new table frame enters the tables. */
static inline OSPolicy_Status osb_pt_allocate_table(OSBaremetal_PageTable *table, uint64_t *physical) {
  if (table->ops.allocate_table == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  uint64_t fresh = 0;
  OSPolicy_Status status = table->ops.allocate_table(table->ops.context, &fresh);
  if (status != OSPOLICY_OK) {
    return status;
  }
  if (!osb_pt_is_table_frame(fresh)) {
    return OSPOLICY_ERR_PAL_CONTRACT;
  }
  table->tables_allocated++;
  *physical = fresh;
  return OSPOLICY_OK;
}

static inline uint64_t *table_at(const OSBaremetal_PageTable *table, uint64_t physical) {
  return (uint64_t *)table->ops.map_physical(table->ops.context, physical);
}

static inline walk_result walk_to(const OSBaremetal_PageTable *table, uint64_t address, walk *out) {
  uint64_t physical = table->root;
  out->upper_writable = 1;
  out->upper_nx = 0;
  out->upper_user = 1;
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
    if ((value & OSBAREMETAL_PTE_USER) == 0u) {
      out->upper_user = 0;
    }
    physical = value & OSBAREMETAL_PTE_ADDRESS_MASK;
  }
}

/* Publishes a page-table entry the MMU may walk at any moment: one 64-bit
 * store (never torn or split by the compiler), after a compiler barrier so
 * that everything written before it (the zeroed or filled table a new
 * upper entry points to) is in memory first. x86 keeps stores in program
 * order (TSO), so a compiler barrier is all the ordering needed; the page
 * walker then sees either the old entry or the new one with its table
 * complete. */
static inline void osb_pt_publish(uint64_t *entry, uint64_t value) {
  __asm__ volatile("" : : : "memory");
  *(volatile uint64_t *)entry = value;
}

static inline uint32_t effective_prot(uint64_t leaf, int upper_writable, int upper_nx) {
  uint32_t prot = OSPOLICY_PROT_READ;
  if (upper_writable && (leaf & OSBAREMETAL_PTE_WRITABLE) != 0u) {
    prot |= OSPOLICY_PROT_WRITE;
  }
  if (!upper_nx && (leaf & OSBAREMETAL_PTE_NX) == 0u) {
    prot |= OSPOLICY_PROT_EXEC;
  }
  return prot;
}

static inline uint64_t leaf_bits(uint32_t prot) {
  uint64_t bits = OSBAREMETAL_PTE_PRESENT;
  if ((prot & OSPOLICY_PROT_WRITE) != 0u) {
    bits |= OSBAREMETAL_PTE_WRITABLE;
  }
  if ((prot & OSPOLICY_PROT_EXEC) == 0u) {
    bits |= OSBAREMETAL_PTE_NX;
  }
  return bits;
}

static inline OSPolicy_Status check_table(const OSBaremetal_PageTable *table) {
  if (table == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  if (table->status != OSPOLICY_OK || table->ops.map_physical == NULL) {
    return OSPOLICY_ERR_PLAN_NOT_OK;
  }
  return OSPOLICY_OK;
}

static inline OSPolicy_Status check_prot(uint32_t prot) {
  if ((prot & ~OSPOLICY_PROT_ALL) != 0u || (prot & OSPOLICY_PROT_READ) == 0u) {
    return OSPOLICY_ERR_BAD_PROTECTION;
  }
  if ((prot & OSPOLICY_PROT_WRITE) != 0u && (prot & OSPOLICY_PROT_EXEC) != 0u) {
    return OSPOLICY_DENIED_RWX;
  }
  return OSPOLICY_OK;
}

/* Every peer of the alias scope must be usable: a broken peer would hide
 * its mappings from the alias rule. */
static inline OSPolicy_Status check_peers(const OSBaremetal_PageTable *table) {
  if (table->alias_peer_count != 0u && table->alias_peers == NULL) {
    return OSPOLICY_ERR_PLAN_NOT_OK;
  }
  for (uint32_t i = 0; i < table->alias_peer_count; ++i) {
    const OSBaremetal_PageTable *peer = table->alias_peers[i];
    if (peer == NULL || peer->status != OSPOLICY_OK || peer->ops.map_physical == NULL) {
      return OSPOLICY_ERR_PLAN_NOT_OK;
    }
  }
  return OSPOLICY_OK;
}

/* One present leaf, as the walk of a whole table sees it. */
typedef struct leaf_info {
  uint64_t address;  /* first virtual byte */
  uint64_t physical; /* first physical byte */
  uint64_t span;     /* 4 KiB, 2 MiB or 1 GiB */
  uint32_t prot;     /* effective OSPOLICY_PROT_* */
  int user;          /* U/S at every level */
} leaf_info;

/* Calls `visit` for every present leaf in address order, and `table_page`
 * (if not NULL) for every table page (the root first); a non-zero return
 * from either stops the walk and is returned. Depth: four levels. */
typedef int (*leaf_visitor)(void *context, const leaf_info *leaf);
typedef int (*table_visitor)(void *context, uint64_t physical);
int osb_pt_walk_all(const OSBaremetal_PageTable *table, leaf_visitor visit, table_visitor table_page,
                    void *context);

/* The alias rule: looks, in `table` and its alias peers, for a leaf with
 * any of `prot_bits` (effective) that maps a byte of [physical,
 * physical_last]. Mappings of `table` inside the virtual range [skip_start,
 * skip_last] are ignored (the pages being changed; skip_last < skip_start
 * skips nothing). Returns 1 and writes the virtual address of the first
 * conflicting byte's mapping and the physical byte itself; 0 if none. */
int osb_pt_find_alias(const OSBaremetal_PageTable *table, uint64_t physical, uint64_t physical_last,
                      uint32_t prot_bits, uint64_t skip_start, uint64_t skip_last, uint64_t *alias_address,
                      uint64_t *alias_physical);

/* The protection bits an alias of a frame must not have for a mapping with
 * `prot`: executable ones if it writes, writable ones if it executes. */
static inline uint32_t conflicting_bits(uint32_t prot) {
  uint32_t bits = 0;
  if ((prot & OSPOLICY_PROT_WRITE) != 0u) {
    bits |= OSPOLICY_PROT_EXEC;
  }
  if ((prot & OSPOLICY_PROT_EXEC) != 0u) {
    bits |= OSPOLICY_PROT_WRITE;
  }
  return bits;
}

/* Range checks shared by Map and Protect; `last` is the range's last byte. */
static inline OSPolicy_Status check_range(OSBaremetal_PageTable *table, uint64_t address, uint64_t size) {
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
    return OSBAREMETAL_ERR_NON_CANONICAL;
  }
  if (!OSBaremetal_IsCanonical(last) || (address >> 47) != (last >> 47)) {
    /* The first non-canonical page: the end of the lower half. */
    table->error_address = (uint64_t)1 << 47;
    return OSBAREMETAL_ERR_NON_CANONICAL;
  }
  return OSPOLICY_OK;
}

/* Returns the entry at `target_level` for `address` (LEVEL_PT or LEVEL_PD),
 * creating missing tables on the way. A present large page above the target
 * level is PAGE_ALREADY_MAPPED. `user` ORs the user bit into the path. */
OSPolicy_Status osb_pt_ensure_slot(OSBaremetal_PageTable *table, uint64_t address, int target_level,
                                   int user, uint64_t **slot);

#endif
