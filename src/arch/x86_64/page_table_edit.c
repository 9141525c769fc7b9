/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * Editing live page tables: protection changes and unmapping, with large-page
 * splits and batched TLB flushes (rules in page_table.h). Every edit runs in
 * two passes over the range: a survey that checks everything and counts the
 * splits and leaves, then the changes. Only the survey can fail, so a refused
 * edit changes nothing.
 */
#include "page_table_internal.h"

typedef enum edit_kind { EDIT_PROTECT = 1, EDIT_UNMAP = 2 } edit_kind;

typedef struct edit {
  edit_kind kind;
  uint32_t prot;      /* EDIT_PROTECT */
  uint64_t start;
  uint64_t last;      /* last byte of the range */
  uint64_t leaves;    /* leaf entries the edit will change (after splits) */
  uint32_t splits;    /* 2 MiB pages it must split */
} edit;

/* The leaf that maps `address` (found by walk_to) and how the range covers it. */
typedef struct leaf_view {
  uint64_t base;      /* first byte the leaf maps */
  uint64_t last;      /* last byte the leaf maps */
  uint64_t stop;      /* last byte of the range inside this leaf */
  int covered;        /* the range covers the whole leaf */
} leaf_view;

static leaf_view view_of(const edit *e, uint64_t address, int level) {
  leaf_view v;
  uint64_t span = level_size(level);
  v.base = address & ~(span - 1u);
  v.last = v.base + (span - 1u);
  v.stop = v.last < e->last ? v.last : e->last;
  v.covered = v.base >= e->start && v.last <= e->last;
  return v;
}

/* A physically contiguous run of the range being protected: its frames
 * must have no conflicting mapping outside the range (the alias rule). */
typedef struct frame_run {
  int active;
  uint64_t address;  /* first virtual byte of the run */
  uint64_t low;      /* first physical byte */
  uint64_t high;     /* last physical byte */
} frame_run;

static OSPolicy_Status check_run(OSBaremetal_PageTable *table, const edit *e, frame_run *run) {
  if (!run->active) {
    return OSPOLICY_OK;
  }
  run->active = 0;
  uint64_t alias_address = 0;
  uint64_t alias_physical = 0;
  if (osb_pt_find_alias(table, run->low, run->high, conflicting_bits(e->prot), e->start, e->last, &alias_address,
                        &alias_physical)) {
    table->error_address = run->address + ((alias_physical - run->low) & ~(OSBAREMETAL_PAGE_SIZE - 1u));
    table->alias_address = alias_address;
    return OSPOLICY_DENIED_WX_ALIAS;
  }
  return OSPOLICY_OK;
}

/* Adds the piece [address, stop] of the leaf at `found` to the run,
 * checking the run before it when the frames are not contiguous. */
static OSPolicy_Status add_to_run(OSBaremetal_PageTable *table, const edit *e, frame_run *run, const walk *found,
                                  uint64_t address, uint64_t stop) {
  uint64_t span = level_size(found->level);
  uint64_t physical = (*found->entry & OSBAREMETAL_PTE_ADDRESS_MASK & ~(span - 1u)) + (address & (span - 1u));
  if (run->active && physical == run->high + 1u) {
    run->high += stop - address + 1u;
    return OSPOLICY_OK;
  }
  OSPolicy_Status status = check_run(table, e, run);
  run->active = 1;
  run->address = address;
  run->low = physical;
  run->high = physical + (stop - address);
  return status;
}

static OSPolicy_Status survey(OSBaremetal_PageTable *table, edit *e) {
  e->leaves = 0;
  e->splits = 0;
  table->alias_address = 0;
  int aliases = e->kind == EDIT_PROTECT && conflicting_bits(e->prot) != 0u;
  if (aliases) {
    OSPolicy_Status status = check_peers(table);
    if (status != OSPOLICY_OK) {
      table->error_address = e->start;
      return status;
    }
  }
  frame_run run = {0, 0, 0, 0};
  uint64_t address = e->start;
  for (;;) {
    walk found;
    table->error_address = address;
    if (walk_to(table, address, &found) == WALK_ABSENT) {
      return OSBAREMETAL_ERR_PAGE_NOT_MAPPED;
    }
    if (e->kind == EDIT_PROTECT && (((e->prot & OSPOLICY_PROT_WRITE) != 0u && !found.upper_writable) ||
                                    ((e->prot & OSPOLICY_PROT_EXEC) != 0u && found.upper_nx))) {
      return OSBAREMETAL_ERR_PAGE_TABLE_CONFLICT;
    }
    leaf_view v = view_of(e, address, found.level);
    if (v.covered) {
      e->leaves++;
    } else if (found.level == LEVEL_PD) {
      e->splits++;
      e->leaves += ((v.stop - address) >> 12) + 1u;
    } else {
      return OSBAREMETAL_ERR_PAGE_TABLE_CONFLICT; /* part of a 1 GiB page */
    }
    if (aliases) {
      OSPolicy_Status status = add_to_run(table, e, &run, &found, address, v.stop);
      if (status != OSPOLICY_OK) {
        return status;
      }
    }
    if (v.stop == e->last) {
      return aliases ? check_run(table, e, &run) : OSPOLICY_OK;
    }
    address = v.stop + 1u;
  }
}

/* Takes the table pages the splits will need before anything changes. */
static OSPolicy_Status reserve_tables(OSBaremetal_PageTable *table, uint32_t needed) {
  while (table->spare_count < needed) {
    uint64_t fresh = 0;
    OSPolicy_Status status = osb_pt_allocate_table(table, &fresh);
    if (status != OSPOLICY_OK) {
      return status;
    }
    table->spare_tables[table->spare_count++] = fresh;
  }
  return OSPOLICY_OK;
}

static void flush_one(OSBaremetal_PageTable *table, uint64_t address) {
  if (table->ops.flush_page != NULL) {
    table->ops.flush_page(table->ops.context, address);
    table->pages_flushed++;
  }
}

/* Replaces the 2 MiB leaf at `entry` (mapping `base`) by a page table of 512
 * 4 KiB entries with the same frame and attributes, then flushes the large
 * translation before anyone changes a small entry. */
static void split_large(OSBaremetal_PageTable *table, uint64_t *entry, uint64_t base) {
  uint64_t physical_table = table->spare_tables[--table->spare_count];
  table->spare_tables[table->spare_count] = 0;
  uint64_t value = *entry;
  uint64_t frame = value & OSBAREMETAL_PTE_ADDRESS_MASK & ~(OSBAREMETAL_LARGE_PAGE_SIZE - 1u);
  uint64_t flags = value & ~OSBAREMETAL_PTE_ADDRESS_MASK & ~(OSBAREMETAL_PTE_LARGE | OSBAREMETAL_PTE_PAT_LARGE);
  if ((value & OSBAREMETAL_PTE_PAT_LARGE) != 0u) {
    flags |= OSBAREMETAL_PTE_PAT_SMALL;
  }
  uint64_t *small = table_at(table, physical_table);
  for (unsigned i = 0; i < TABLE_ENTRIES; ++i) {
    small[i] = (frame + (uint64_t)i * OSBAREMETAL_PAGE_SIZE) | flags;
  }
  /* The path grants everything (and user access if the page had it): the
   * new leaves decide, exactly as the large leaf did. */
  uint64_t upper = physical_table | OSBAREMETAL_PTE_PRESENT | OSBAREMETAL_PTE_WRITABLE |
                   (value & OSBAREMETAL_PTE_USER);
  /* The 512 entries above are plain stores: the barrier in osb_pt_publish
   * keeps the compiler from sinking them below the store that makes the
   * table reachable. */
  osb_pt_publish(entry, upper);
  table->splits++;
  flush_one(table, base);
}

static void apply(OSBaremetal_PageTable *table, const edit *e) {
  int batch = table->flush_all != NULL && e->leaves > table->flush_ceiling;
  uint64_t bits = e->kind == EDIT_PROTECT ? leaf_bits(e->prot) : 0u;
  uint64_t address = e->start;
  for (;;) {
    walk found;
    (void)walk_to(table, address, &found);
    leaf_view v = view_of(e, address, found.level);
    if (!v.covered) {
      split_large(table, found.entry, v.base);
      (void)walk_to(table, address, &found);
      v = view_of(e, address, found.level);
    }
    uint64_t value = *found.entry;
    /* One store per entry: W and NX change together, never W+X between. */
    value = e->kind == EDIT_PROTECT ? (value & ~(OSBAREMETAL_PTE_WRITABLE | OSBAREMETAL_PTE_NX)) | bits : 0u;
    osb_pt_publish(found.entry, value);
    if (!batch) {
      flush_one(table, address);
    }
    if (v.stop == e->last) {
      break;
    }
    address = v.stop + 1u;
  }
  if (batch) {
    table->flush_all(table->ops.context);
    table->full_flushes++;
  }
}

static OSPolicy_Status run_edit(OSBaremetal_PageTable *table, edit *e, uint64_t size) {
  OSPolicy_Status status = check_range(table, e->start, size);
  if (status != OSPOLICY_OK) {
    return status;
  }
  e->last = e->start + (size - 1u);
  status = survey(table, e);
  if (status == OSPOLICY_OK) {
    table->error_address = e->start;
    status = reserve_tables(table, e->splits);
  }
  if (status != OSPOLICY_OK) {
    return status;
  }
  apply(table, e);
  table->error_address = 0;
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
  edit e = {EDIT_PROTECT, prot, virtual_address, 0, 0, 0};
  return run_edit(table, &e, size);
}

OSPolicy_Status OSBaremetal_UnmapPages(OSBaremetal_PageTable *table, uint64_t virtual_address,
                                       uint64_t size) {
  OSPolicy_Status status = check_table(table);
  if (status != OSPOLICY_OK) {
    return status;
  }
  edit e = {EDIT_UNMAP, 0, virtual_address, 0, 0, 0};
  return run_edit(table, &e, size);
}
