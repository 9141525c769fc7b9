/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * The x86-64 page-table builder (src/arch/x86_64/page_table.c) against a
 * fake physical-memory arena: "physical" addresses start at ARENA_BASE and
 * are translated to the arena, so a builder that confused physical addresses
 * with pointers would fail here.
 */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "page_table.h"

#define ARENA_PAGES 64u
#define ARENA_BASE ((uint64_t)0x40000000)
#define PAGE ((uint64_t)4096)
#define HIGH ((uint64_t)0xffffffff80000000)

static _Alignas(4096) uint8_t arena[ARENA_PAGES][4096];

typedef struct fake_memory {
  uint32_t used;
  uint32_t limit;    /* allocations allowed (<= ARENA_PAGES) */
  uint32_t flushes;  /* flush_page calls */
} fake_memory;

static OSPolicy_Status fake_allocate(void *context, uint64_t *physical) {
  fake_memory *memory = context;
  if (memory->used >= memory->limit) {
    return OSPOLICY_ERR_NO_MEMORY;
  }
  memset(arena[memory->used], 0, sizeof arena[0]);
  *physical = ARENA_BASE + (uint64_t)memory->used * PAGE;
  memory->used++;
  return OSPOLICY_OK;
}

static void *fake_map(void *context, uint64_t physical) {
  (void)context;
  ck_assert_uint_ge(physical, ARENA_BASE);
  ck_assert_uint_lt(physical, ARENA_BASE + ARENA_PAGES * PAGE);
  return arena[(physical - ARENA_BASE) / PAGE];
}

static void fake_flush(void *context, uint64_t virtual_address) {
  (void)virtual_address;
  ((fake_memory *)context)->flushes++;
}

static fake_memory memory;
static OSBaremetal_PageTable table;

static void fresh_table(uint32_t limit) {
  memset(&memory, 0, sizeof memory);
  memory.limit = limit;
  OSBaremetal_PageTableOps ops = {fake_allocate, fake_map, fake_flush, &memory};
  ck_assert_int_eq(OSBaremetal_CreatePageTable(&table, &ops), OSPOLICY_OK);
  ck_assert_uint_eq(table.root, ARENA_BASE);
}

static OSBaremetal_PageInfo query(uint64_t address) {
  OSBaremetal_PageInfo info;
  ck_assert_int_eq(OSBaremetal_QueryPage(&table, address, &info), OSPOLICY_OK);
  return info;
}

START_TEST(maps_4k_pages_with_their_protection) {
  fresh_table(ARENA_PAGES);
  ck_assert_int_eq(OSBaremetal_MapPages(&table, HIGH, 0x200000u, 2 * PAGE, OSPOLICY_PROT_RX), OSPOLICY_OK);
  ck_assert_int_eq(OSBaremetal_MapPages(&table, HIGH + 2 * PAGE, 0x300000u, PAGE, OSPOLICY_PROT_READ), OSPOLICY_OK);
  ck_assert_int_eq(OSBaremetal_MapPages(&table, HIGH + 3 * PAGE, 0x400000u, PAGE, OSPOLICY_PROT_RW), OSPOLICY_OK);
  OSBaremetal_PageInfo info = query(HIGH + PAGE + 0x123u);
  ck_assert_uint_eq(info.present, 1);
  ck_assert_uint_eq(info.prot, OSPOLICY_PROT_RX);
  ck_assert_uint_eq(info.physical, 0x201123u);
  ck_assert_uint_eq(info.mapping_size, PAGE);
  ck_assert_uint_eq(query(HIGH + 2 * PAGE).prot, OSPOLICY_PROT_READ);
  ck_assert_uint_eq(query(HIGH + 3 * PAGE).prot, OSPOLICY_PROT_RW);
  ck_assert_uint_eq(query(HIGH + 4 * PAGE).present, 0);
  ck_assert_uint_eq(query(0).present, 0);
  /* One PML4, PDPT, PD and PT: all four pages share their tables. */
  ck_assert_uint_eq(table.tables_allocated, 4);
  OSBaremetal_WxAudit audit;
  ck_assert_int_eq(OSBaremetal_AuditWx(&table, &audit), OSPOLICY_OK);
  ck_assert_uint_eq(audit.mapped_bytes, 4 * PAGE);
  ck_assert_uint_eq(audit.executable_bytes, 2 * PAGE);
  ck_assert_uint_eq(audit.writable_bytes, PAGE);
  ck_assert_uint_eq(audit.wx_bytes, 0);
}
END_TEST

START_TEST(refuses_rwx_before_touching_anything) {
  fresh_table(ARENA_PAGES);
  ck_assert_int_eq(OSBaremetal_MapPages(&table, HIGH, 0, PAGE, OSPOLICY_PROT_ALL), OSPOLICY_DENIED_RWX);
  ck_assert_uint_eq(table.tables_allocated, 1);
  ck_assert_uint_eq(memory.used, 1);
  ck_assert_int_eq(OSBaremetal_MapPages(&table, HIGH, 0, PAGE, OSPOLICY_PROT_RW), OSPOLICY_OK);
  ck_assert_int_eq(OSBaremetal_ProtectPages(&table, HIGH, PAGE, OSPOLICY_PROT_ALL), OSPOLICY_DENIED_RWX);
  ck_assert_uint_eq(query(HIGH).prot, OSPOLICY_PROT_RW);
}
END_TEST

START_TEST(rejects_bad_ranges_and_protections) {
  fresh_table(ARENA_PAGES);
  ck_assert_int_eq(OSBaremetal_MapPages(&table, HIGH, 0, PAGE, 0), OSPOLICY_ERR_BAD_PROTECTION);
  ck_assert_int_eq(OSBaremetal_MapPages(&table, HIGH, 0, PAGE, OSPOLICY_PROT_WRITE), OSPOLICY_ERR_BAD_PROTECTION);
  ck_assert_int_eq(OSBaremetal_MapPages(&table, HIGH, 0, PAGE, 0x8u | OSPOLICY_PROT_READ), OSPOLICY_ERR_BAD_PROTECTION);
  ck_assert_int_eq(OSBaremetal_MapPages(&table, HIGH, 0, 0, OSPOLICY_PROT_READ), OSPOLICY_ERR_EMPTY_RANGE);
  ck_assert_int_eq(OSBaremetal_MapPages(&table, HIGH + 1u, 0, PAGE, OSPOLICY_PROT_READ), OSPOLICY_ERR_UNALIGNED);
  ck_assert_int_eq(OSBaremetal_MapPages(&table, HIGH, 0, PAGE + 1u, OSPOLICY_PROT_READ), OSPOLICY_ERR_UNALIGNED);
  ck_assert_int_eq(OSBaremetal_MapPages(&table, HIGH, 0x10u, PAGE, OSPOLICY_PROT_READ), OSPOLICY_ERR_UNALIGNED);
  ck_assert_int_eq(OSBaremetal_MapPages(&table, UINT64_MAX - PAGE + 1u, 0, 2 * PAGE, OSPOLICY_PROT_READ),
                   OSPOLICY_ERR_OVERFLOW);
  ck_assert_int_eq(OSBaremetal_MapPages(&table, HIGH, UINT64_MAX - PAGE + 1u, PAGE, OSPOLICY_PROT_READ),
                   OSPOLICY_ERR_OVERFLOW);
  /* The first address past the lower half, and a range running into it. */
  ck_assert_int_eq(OSBaremetal_MapPages(&table, (uint64_t)1 << 47, 0, PAGE, OSPOLICY_PROT_READ),
                   OSBAREMETAL_ERR_NON_CANONICAL);
  ck_assert_int_eq(OSBaremetal_MapPages(&table, ((uint64_t)1 << 47) - PAGE, 0, 2 * PAGE, OSPOLICY_PROT_READ),
                   OSBAREMETAL_ERR_NON_CANONICAL);
  ck_assert_uint_eq(table.error_address, (uint64_t)1 << 47);
  OSBaremetal_PageInfo info;
  ck_assert_int_eq(OSBaremetal_QueryPage(&table, (uint64_t)1 << 47, &info), OSBAREMETAL_ERR_NON_CANONICAL);
  ck_assert_int_eq(info.status, OSBAREMETAL_ERR_NON_CANONICAL);
  ck_assert_uint_eq(memory.used, 1); /* nothing above allocated a table */
  ck_assert_int_eq(OSBaremetal_MapPages(NULL, HIGH, 0, PAGE, OSPOLICY_PROT_READ), OSPOLICY_ERR_NULL_ARGUMENT);
  ck_assert_int_eq(OSBaremetal_QueryPage(&table, HIGH, NULL), OSPOLICY_ERR_NULL_ARGUMENT);
  ck_assert_int_eq(OSBaremetal_CreatePageTable(&table, NULL), OSPOLICY_ERR_NULL_ARGUMENT);
}
END_TEST

START_TEST(zero_table_is_not_usable) {
  OSBaremetal_PageTable zero;
  memset(&zero, 0, sizeof zero);
  ck_assert_int_eq(OSBaremetal_MapPages(&zero, HIGH, 0, PAGE, OSPOLICY_PROT_READ), OSPOLICY_ERR_PLAN_NOT_OK);
  ck_assert_int_eq(OSBaremetal_ProtectPages(&zero, HIGH, PAGE, OSPOLICY_PROT_READ), OSPOLICY_ERR_PLAN_NOT_OK);
  OSBaremetal_WxAudit audit;
  ck_assert_int_eq(OSBaremetal_AuditWx(&zero, &audit), OSPOLICY_ERR_PLAN_NOT_OK);
  ck_assert_int_eq(audit.status, OSPOLICY_ERR_PLAN_NOT_OK);
}
END_TEST

START_TEST(already_mapped_range_changes_nothing) {
  fresh_table(ARENA_PAGES);
  ck_assert_int_eq(OSBaremetal_MapPages(&table, HIGH + 2 * PAGE, 0x5000u, PAGE, OSPOLICY_PROT_READ), OSPOLICY_OK);
  ck_assert_int_eq(OSBaremetal_MapPages(&table, HIGH, 0x1000u, 4 * PAGE, OSPOLICY_PROT_RW),
                   OSBAREMETAL_ERR_PAGE_ALREADY_MAPPED);
  ck_assert_uint_eq(table.error_address, HIGH + 2 * PAGE);
  ck_assert_uint_eq(query(HIGH).present, 0);
  ck_assert_uint_eq(query(HIGH + 2 * PAGE).physical, 0x5000u);
  ck_assert_uint_eq(query(HIGH + 2 * PAGE).prot, OSPOLICY_PROT_READ);
}
END_TEST

START_TEST(allocation_failure_unmaps_what_the_call_mapped) {
  /* Root + PDPT + PD + one PT: the range below needs a second PT. */
  fresh_table(4);
  uint64_t start = HIGH + 0x200000u - 2 * PAGE; /* two pages before a PT boundary */
  ck_assert_int_eq(OSBaremetal_MapPages(&table, start, 0x100000u, 4 * PAGE, OSPOLICY_PROT_RW),
                   OSPOLICY_ERR_NO_MEMORY);
  ck_assert_uint_eq(table.error_address, HIGH + 0x200000u);
  ck_assert_uint_eq(query(start).present, 0);
  ck_assert_uint_eq(query(start + PAGE).present, 0);
  OSBaremetal_WxAudit audit;
  ck_assert_int_eq(OSBaremetal_AuditWx(&table, &audit), OSPOLICY_OK);
  ck_assert_uint_eq(audit.mapped_bytes, 0);
}
END_TEST

START_TEST(protect_changes_w_and_x_together) {
  fresh_table(ARENA_PAGES);
  ck_assert_int_eq(OSBaremetal_MapPages(&table, HIGH, 0x100000u, 3 * PAGE, OSPOLICY_PROT_RW), OSPOLICY_OK);
  ck_assert_int_eq(OSBaremetal_ProtectPages(&table, HIGH, 2 * PAGE, OSPOLICY_PROT_RX), OSPOLICY_OK);
  ck_assert_uint_eq(memory.flushes, 2);
  ck_assert_uint_eq(query(HIGH).prot, OSPOLICY_PROT_RX);
  ck_assert_uint_eq(query(HIGH + PAGE).prot, OSPOLICY_PROT_RX);
  ck_assert_uint_eq(query(HIGH + 2 * PAGE).prot, OSPOLICY_PROT_RW);
  ck_assert_uint_eq(query(HIGH).physical, 0x100000u); /* the frame is kept */
  ck_assert_int_eq(OSBaremetal_ProtectPages(&table, HIGH, PAGE, OSPOLICY_PROT_READ), OSPOLICY_OK);
  ck_assert_uint_eq(query(HIGH).prot, OSPOLICY_PROT_READ);
  /* A hole in the range: refused, and the mapped part is unchanged. */
  ck_assert_int_eq(OSBaremetal_ProtectPages(&table, HIGH + 2 * PAGE, 2 * PAGE, OSPOLICY_PROT_READ),
                   OSBAREMETAL_ERR_PAGE_NOT_MAPPED);
  ck_assert_uint_eq(table.error_address, HIGH + 3 * PAGE);
  ck_assert_uint_eq(query(HIGH + 2 * PAGE).prot, OSPOLICY_PROT_RW);
}
END_TEST

/* Tables built by someone else (firmware): large pages and restrictive upper
 * levels, read on the effective view. */
START_TEST(audits_foreign_tables_on_the_effective_view) {
  fresh_table(ARENA_PAGES);
  uint64_t *pml4 = fake_map(NULL, table.root);
  uint64_t pdpt_phys = 0;
  uint64_t pd_phys = 0;
  uint64_t pt_phys = 0;
  ck_assert_int_eq(fake_allocate(&memory, &pdpt_phys), OSPOLICY_OK);
  ck_assert_int_eq(fake_allocate(&memory, &pd_phys), OSPOLICY_OK);
  ck_assert_int_eq(fake_allocate(&memory, &pt_phys), OSPOLICY_OK);
  uint64_t *pdpt = fake_map(NULL, pdpt_phys);
  uint64_t *pd = fake_map(NULL, pd_phys);
  uint64_t *pt = fake_map(NULL, pt_phys);
  const uint64_t P = OSBAREMETAL_PTE_PRESENT, W = OSBAREMETAL_PTE_WRITABLE;
  const uint64_t PS = OSBAREMETAL_PTE_LARGE, NX = OSBAREMETAL_PTE_NX;
  pml4[0] = pdpt_phys | P | W;
  pdpt[0] = pd_phys | P | W;
  pd[0] = 0x0 | P | W | PS;            /* 0..2 MiB: W+X large page */
  pd[1] = pt_phys | P | W;             /* 2..4 MiB through a page table */
  pt[0] = 0x400000u | P | W;           /* W+X, contiguous with the large page */
  pt[1] = 0x401000u | P;               /* RX */
  pt[2] = 0x402000u | P | W | NX;      /* RW */
  pdpt[1] = 0x40000000u | P | PS | NX; /* 1..2 GiB: a read-only NX 1 GiB page */
  pdpt[2] = pd_phys | P | NX;          /* 2..3 GiB: the same PD under a read-only NX entry */
  OSBaremetal_WxAudit audit;
  ck_assert_int_eq(OSBaremetal_AuditWx(&table, &audit), OSPOLICY_OK);
  ck_assert_uint_eq(audit.wx_bytes, 0x200000u + PAGE);
  ck_assert_uint_eq(audit.wx_regions, 1);
  ck_assert_uint_eq(audit.first_wx_address, 0);
  ck_assert_uint_eq(audit.mapped_bytes, 0x200000u + 3 * PAGE + 0x40000000u + 0x200000u + 3 * PAGE);
  OSBaremetal_PageInfo info = query(0x1234u);
  ck_assert_uint_eq(info.mapping_size, 0x200000u);
  ck_assert_uint_eq(info.prot, OSPOLICY_PROT_ALL);
  ck_assert_uint_eq(info.physical, 0x1234u);
  info = query(0x40000000u + 0x5678u);
  ck_assert_uint_eq(info.mapping_size, 0x40000000u);
  ck_assert_uint_eq(info.prot, OSPOLICY_PROT_READ);
  ck_assert_uint_eq(info.physical, 0x40005678u);
  /* Via pdpt[2] (the 2..3 GiB region) the same W+X PTE is only readable. */
  ck_assert_uint_eq(query(0x80200000u).prot, OSPOLICY_PROT_READ);
  /* Protect refuses what the tables cannot express: part of a 1 GiB page,
   * execute under an NX upper level. */
  ck_assert_int_eq(OSBaremetal_ProtectPages(&table, 0x40000000u, PAGE, OSPOLICY_PROT_READ),
                   OSBAREMETAL_ERR_PAGE_TABLE_CONFLICT);
  ck_assert_int_eq(OSBaremetal_ProtectPages(&table, 0x80201000u, PAGE, OSPOLICY_PROT_RX),
                   OSBAREMETAL_ERR_PAGE_TABLE_CONFLICT);
  ck_assert_int_eq(OSBaremetal_MapPages(&table, 0x1000u, 0, PAGE, OSPOLICY_PROT_READ), OSBAREMETAL_ERR_PAGE_ALREADY_MAPPED);
  /* Attach reads the same tables. */
  OSBaremetal_PageTableOps ops = {NULL, fake_map, NULL, NULL};
  OSBaremetal_PageTable attached;
  ck_assert_int_eq(OSBaremetal_AttachPageTable(&attached, &ops, table.root), OSPOLICY_OK);
  OSBaremetal_WxAudit again;
  ck_assert_int_eq(OSBaremetal_AuditWx(&attached, &again), OSPOLICY_OK);
  ck_assert_uint_eq(again.wx_bytes, audit.wx_bytes);
  ck_assert_int_eq(OSBaremetal_AttachPageTable(&attached, &ops, table.root + 8u), OSPOLICY_ERR_UNALIGNED);
  /* Part of the foreign 2 MiB page: split, and only the asked page changes. */
  ck_assert_int_eq(OSBaremetal_ProtectPages(&table, 0, PAGE, OSPOLICY_PROT_READ), OSPOLICY_OK);
  ck_assert_uint_eq(table.splits, 1);
  ck_assert_uint_eq(query(0).prot, OSPOLICY_PROT_READ);
  ck_assert_uint_eq(query(0).mapping_size, PAGE);
  ck_assert_uint_eq(query(PAGE + 0x10u).prot, OSPOLICY_PROT_ALL);
  ck_assert_uint_eq(query(PAGE + 0x10u).physical, PAGE + 0x10u);
}
END_TEST

#define LARGE ((uint64_t)0x200000)

static void count_full_flush(void *context) {
  (void)context;
  memory.flushes += 1000u; /* distinguishable from flush_page */
}

START_TEST(large_page_is_split_only_when_part_of_it_changes) {
  fresh_table(ARENA_PAGES);
  ck_assert_int_eq(OSBaremetal_MapPagesEx(&table, HIGH, 0x400000u, 2 * LARGE, OSPOLICY_PROT_RW, OSBAREMETAL_MAP_LARGE),
                   OSPOLICY_OK);
  ck_assert_uint_eq(query(HIGH + 0x1234u).mapping_size, LARGE);
  ck_assert_uint_eq(query(HIGH + LARGE + 5u).physical, 0x600005u);
  uint32_t before = memory.used;
  /* Whole large page: changed in place, one flush, no split. */
  ck_assert_int_eq(OSBaremetal_ProtectPages(&table, HIGH + LARGE, LARGE, OSPOLICY_PROT_READ), OSPOLICY_OK);
  ck_assert_uint_eq(table.splits, 0);
  ck_assert_uint_eq(memory.flushes, 1);
  ck_assert_uint_eq(query(HIGH + LARGE).mapping_size, LARGE);
  ck_assert_uint_eq(query(HIGH + LARGE).prot, OSPOLICY_PROT_READ);
  /* One 4 KiB page inside the first: split (one table page), flushed after
   * the split and after the change, frames kept. */
  ck_assert_int_eq(OSBaremetal_ProtectPages(&table, HIGH + 3 * PAGE, PAGE, OSPOLICY_PROT_RX), OSPOLICY_OK);
  ck_assert_uint_eq(table.splits, 1);
  ck_assert_uint_eq(memory.used, before + 1u);
  ck_assert_uint_eq(memory.flushes, 3);
  ck_assert_uint_eq(query(HIGH + 3 * PAGE).prot, OSPOLICY_PROT_RX);
  ck_assert_uint_eq(query(HIGH + 3 * PAGE).physical, 0x403000u);
  ck_assert_uint_eq(query(HIGH + 2 * PAGE).prot, OSPOLICY_PROT_RW);
  ck_assert_uint_eq(query(HIGH + 511 * PAGE).physical, 0x5FF000u);
  ck_assert_uint_eq(query(HIGH + 511 * PAGE).mapping_size, PAGE);
  /* Already split: no second split. */
  ck_assert_int_eq(OSBaremetal_ProtectPages(&table, HIGH + 4 * PAGE, PAGE, OSPOLICY_PROT_READ), OSPOLICY_OK);
  ck_assert_uint_eq(table.splits, 1);
  OSBaremetal_WxAudit audit;
  ck_assert_int_eq(OSBaremetal_AuditWx(&table, &audit), OSPOLICY_OK);
  ck_assert_uint_eq(audit.wx_bytes, 0);
  ck_assert_uint_eq(audit.mapped_bytes, 2 * LARGE);
}
END_TEST

START_TEST(split_needs_a_reserved_table_or_changes_nothing) {
  fresh_table(ARENA_PAGES);
  ck_assert_int_eq(OSBaremetal_MapPagesEx(&table, HIGH, 0x400000u, LARGE, OSPOLICY_PROT_RW, OSBAREMETAL_MAP_LARGE),
                   OSPOLICY_OK);
  memory.limit = memory.used; /* no page left for the split */
  ck_assert_int_eq(OSBaremetal_ProtectPages(&table, HIGH, PAGE, OSPOLICY_PROT_READ), OSPOLICY_ERR_NO_MEMORY);
  ck_assert_uint_eq(table.splits, 0);
  ck_assert_uint_eq(memory.flushes, 0);
  ck_assert_uint_eq(query(HIGH).mapping_size, LARGE);
  ck_assert_uint_eq(query(HIGH).prot, OSPOLICY_PROT_RW);
  /* A range that straddles two large pages needs two tables, taken first. */
  memory.limit = ARENA_PAGES;
  ck_assert_int_eq(OSBaremetal_MapPagesEx(&table, HIGH + LARGE, 0x600000u, LARGE, OSPOLICY_PROT_RW, OSBAREMETAL_MAP_LARGE),
                   OSPOLICY_OK);
  ck_assert_int_eq(OSBaremetal_ProtectPages(&table, HIGH + LARGE - PAGE, 2 * PAGE, OSPOLICY_PROT_READ), OSPOLICY_OK);
  ck_assert_uint_eq(table.splits, 2);
  ck_assert_uint_eq(table.spare_count, 0);
  ck_assert_uint_eq(query(HIGH + LARGE - PAGE).prot, OSPOLICY_PROT_READ);
  ck_assert_uint_eq(query(HIGH + LARGE).prot, OSPOLICY_PROT_READ);
  ck_assert_uint_eq(query(HIGH + LARGE - 2 * PAGE).prot, OSPOLICY_PROT_RW);
  ck_assert_uint_eq(query(HIGH + LARGE + PAGE).prot, OSPOLICY_PROT_RW);
  /* Large mappings: alignment, and nothing may sit in the slot. */
  ck_assert_int_eq(OSBaremetal_MapPagesEx(&table, HIGH + 4 * LARGE + PAGE, 0x800000u, LARGE, OSPOLICY_PROT_RW,
                                          OSBAREMETAL_MAP_LARGE),
                   OSPOLICY_ERR_UNALIGNED);
  ck_assert_int_eq(OSBaremetal_MapPagesEx(&table, HIGH, 0x800000u, LARGE, OSPOLICY_PROT_RW, OSBAREMETAL_MAP_LARGE),
                   OSBAREMETAL_ERR_PAGE_ALREADY_MAPPED);
  ck_assert_int_eq(OSBaremetal_MapPagesEx(&table, HIGH, 0x800000u, LARGE, OSPOLICY_PROT_ALL, OSBAREMETAL_MAP_LARGE),
                   OSPOLICY_DENIED_RWX);
  ck_assert_int_eq(OSBaremetal_MapPagesEx(&table, HIGH, 0x800000u, LARGE, OSPOLICY_PROT_RW, 0x80u),
                   OSPOLICY_ERR_INVALID_ARGUMENT);
}
END_TEST

START_TEST(flush_ceiling_switches_to_a_full_flush) {
  fresh_table(ARENA_PAGES);
  table.flush_all = count_full_flush;
  ck_assert_uint_eq(table.flush_ceiling, OSBAREMETAL_FLUSH_CEILING_DEFAULT);
  ck_assert_int_eq(OSBaremetal_MapPages(&table, HIGH, 0x100000u, 40 * PAGE, OSPOLICY_PROT_RW), OSPOLICY_OK);
  ck_assert_int_eq(OSBaremetal_ProtectPages(&table, HIGH, 33 * PAGE, OSPOLICY_PROT_READ), OSPOLICY_OK);
  ck_assert_uint_eq(memory.flushes, 33);
  ck_assert_uint_eq(table.pages_flushed, 33);
  ck_assert_uint_eq(table.full_flushes, 0);
  ck_assert_int_eq(OSBaremetal_ProtectPages(&table, HIGH, 34 * PAGE, OSPOLICY_PROT_RX), OSPOLICY_OK);
  ck_assert_uint_eq(memory.flushes, 1033);
  ck_assert_uint_eq(table.full_flushes, 1);
  ck_assert_uint_eq(query(HIGH + 33 * PAGE).prot, OSPOLICY_PROT_RX);
  ck_assert_uint_eq(query(HIGH + 34 * PAGE).prot, OSPOLICY_PROT_RW);
}
END_TEST

START_TEST(unmap_removes_pages_and_splits_partial_large_pages) {
  fresh_table(ARENA_PAGES);
  ck_assert_int_eq(OSBaremetal_MapPages(&table, HIGH, 0x100000u, 4 * PAGE, OSPOLICY_PROT_RW), OSPOLICY_OK);
  ck_assert_int_eq(OSBaremetal_UnmapPages(&table, HIGH + PAGE, 2 * PAGE), OSPOLICY_OK);
  ck_assert_uint_eq(query(HIGH).present, 1);
  ck_assert_uint_eq(query(HIGH + PAGE).present, 0);
  ck_assert_uint_eq(query(HIGH + 2 * PAGE).present, 0);
  ck_assert_uint_eq(query(HIGH + 3 * PAGE).present, 1);
  /* A hole: refused, nothing removed. */
  ck_assert_int_eq(OSBaremetal_UnmapPages(&table, HIGH, 2 * PAGE), OSBAREMETAL_ERR_PAGE_NOT_MAPPED);
  ck_assert_uint_eq(table.error_address, HIGH + PAGE);
  ck_assert_uint_eq(query(HIGH).present, 1);
  /* Part of a large page. */
  ck_assert_int_eq(OSBaremetal_MapPagesEx(&table, HIGH + LARGE, 0x400000u, LARGE, OSPOLICY_PROT_RW, OSBAREMETAL_MAP_LARGE),
                   OSPOLICY_OK);
  ck_assert_int_eq(OSBaremetal_UnmapPages(&table, HIGH + LARGE, PAGE), OSPOLICY_OK);
  ck_assert_uint_eq(table.splits, 1);
  ck_assert_uint_eq(query(HIGH + LARGE).present, 0);
  ck_assert_uint_eq(query(HIGH + LARGE + PAGE).physical, 0x401000u);
  ck_assert_int_eq(OSBaremetal_UnmapPages(&table, 0, PAGE), OSBAREMETAL_ERR_PAGE_NOT_MAPPED);
  ck_assert_int_eq(OSBaremetal_UnmapPages(&table, HIGH + 1u, PAGE), OSPOLICY_ERR_UNALIGNED);
}
END_TEST

START_TEST(user_mappings_mark_the_whole_path) {
  fresh_table(ARENA_PAGES);
  ck_assert_int_eq(OSBaremetal_MapPages(&table, 0x40000000u, 0x100000u, PAGE, OSPOLICY_PROT_RW), OSPOLICY_OK);
  ck_assert_int_eq(OSBaremetal_MapPagesEx(&table, 0x40001000u, 0x101000u, PAGE, OSPOLICY_PROT_RX, OSBAREMETAL_MAP_USER),
                   OSPOLICY_OK);
  ck_assert_uint_eq(query(0x40000000u).user, 0); /* the path is user, the leaf is not */
  ck_assert_uint_eq(query(0x40001000u).user, 1);
  ck_assert_uint_eq(query(0x40001000u).prot, OSPOLICY_PROT_RX);
}
END_TEST

/* The audit counts user-accessible leaves on the effective view: the
 * kernel requires none at audit time (it has no user mode). */
START_TEST(audit_counts_user_leaves) {
  fresh_table(ARENA_PAGES);
  OSBaremetal_WxAudit audit;
  ck_assert_int_eq(OSBaremetal_MapPages(&table, 0x40000000u, 0x100000u, PAGE, OSPOLICY_PROT_RW), OSPOLICY_OK);
  ck_assert_int_eq(OSBaremetal_AuditWx(&table, &audit), OSPOLICY_OK);
  ck_assert_uint_eq(audit.user_leaves, 0);
  ck_assert_int_eq(OSBaremetal_MapPagesEx(&table, 0x40001000u, 0x101000u, PAGE, OSPOLICY_PROT_RX, OSBAREMETAL_MAP_USER),
                   OSPOLICY_OK);
  ck_assert_int_eq(OSBaremetal_MapPagesEx(&table, 0x40003000u, 0x103000u, PAGE, OSPOLICY_PROT_RW, OSBAREMETAL_MAP_USER),
                   OSPOLICY_OK);
  ck_assert_int_eq(OSBaremetal_AuditWx(&table, &audit), OSPOLICY_OK);
  ck_assert_uint_eq(audit.user_leaves, 2);
  ck_assert_uint_eq(audit.user_bytes, 2u * PAGE);
  ck_assert_uint_eq(audit.first_user_address, 0x40001000u);
  /* A user leaf under a supervisor-only upper level is not user-accessible. */
  uint64_t *pml4 = fake_map(NULL, table.root);
  uint64_t saved = pml4[0];
  pml4[0] &= ~OSBAREMETAL_PTE_USER;
  ck_assert_int_eq(OSBaremetal_AuditWx(&table, &audit), OSPOLICY_OK);
  ck_assert_uint_eq(audit.user_leaves, 0);
  pml4[0] = saved;
  /* Unmapped again (as the kernel does after its SMEP/SMAP probes): none. */
  ck_assert_int_eq(OSBaremetal_UnmapPages(&table, 0x40001000u, PAGE), OSPOLICY_OK);
  ck_assert_int_eq(OSBaremetal_UnmapPages(&table, 0x40003000u, PAGE), OSPOLICY_OK);
  ck_assert_int_eq(OSBaremetal_AuditWx(&table, &audit), OSPOLICY_OK);
  ck_assert_uint_eq(audit.user_leaves, 0);
  ck_assert_uint_eq(audit.user_bytes, 0);
}
END_TEST

START_TEST(audit_reports_high_half_addresses_sign_extended) {
  fresh_table(ARENA_PAGES);
  ck_assert_int_eq(OSBaremetal_MapPages(&table, HIGH, 0x100000u, PAGE, OSPOLICY_PROT_RW), OSPOLICY_OK);
  /* Forge W+X in the leaf behind the builder's back. */
  OSBaremetal_PageTableOps ops = {NULL, fake_map, NULL, NULL};
  OSBaremetal_PageTable attached;
  ck_assert_int_eq(OSBaremetal_AttachPageTable(&attached, &ops, table.root), OSPOLICY_OK);
  uint64_t *pml4 = fake_map(NULL, table.root);
  uint64_t *pdpt = fake_map(NULL, pml4[511] & OSBAREMETAL_PTE_ADDRESS_MASK);
  uint64_t *pd = fake_map(NULL, pdpt[510] & OSBAREMETAL_PTE_ADDRESS_MASK);
  uint64_t *pt = fake_map(NULL, pd[0] & OSBAREMETAL_PTE_ADDRESS_MASK);
  pt[0] &= ~OSBAREMETAL_PTE_NX;
  OSBaremetal_WxAudit audit;
  ck_assert_int_eq(OSBaremetal_AuditWx(&attached, &audit), OSPOLICY_OK);
  ck_assert_uint_eq(audit.wx_bytes, PAGE);
  ck_assert_uint_eq(audit.first_wx_address, HIGH);
}
END_TEST

/* The alias rule: one frame is never writable through one mapping and
 * executable through another. Refused before any table is allocated. */
START_TEST(map_refuses_a_writable_alias_of_an_executable_frame) {
  fresh_table(ARENA_PAGES);
  ck_assert_int_eq(OSBaremetal_MapPages(&table, HIGH, 0x200000u, PAGE, OSPOLICY_PROT_RX), OSPOLICY_OK);
  uint32_t used = memory.used;
  /* RW elsewhere, far enough to need new tables: none is taken. */
  ck_assert_int_eq(OSBaremetal_MapPages(&table, 0x40000000u, 0x200000u, PAGE, OSPOLICY_PROT_RW),
                   OSPOLICY_DENIED_WX_ALIAS);
  ck_assert_uint_eq(table.error_address, 0x40000000u);
  ck_assert_uint_eq(table.alias_address, HIGH);
  ck_assert_uint_eq(memory.used, used);
  ck_assert_uint_eq(query(0x40000000u).present, 0);
  /* A range whose third page is the executable frame: named, nothing mapped. */
  ck_assert_int_eq(OSBaremetal_MapPages(&table, 0x40000000u, 0x1FE000u, 4 * PAGE, OSPOLICY_PROT_RW),
                   OSPOLICY_DENIED_WX_ALIAS);
  ck_assert_uint_eq(table.error_address, 0x40002000u);
  ck_assert_uint_eq(query(0x40000000u).present, 0);
  /* A 2 MiB writable leaf over it, too. */
  ck_assert_int_eq(OSBaremetal_MapPagesEx(&table, 0x40200000u, 0x200000u, 0x200000u, OSPOLICY_PROT_RW,
                                          OSBAREMETAL_MAP_LARGE),
                   OSPOLICY_DENIED_WX_ALIAS);
  /* Read-only aliases and further executable ones are fine. */
  ck_assert_int_eq(OSBaremetal_MapPages(&table, 0x40000000u, 0x200000u, PAGE, OSPOLICY_PROT_READ), OSPOLICY_OK);
  ck_assert_int_eq(OSBaremetal_MapPages(&table, 0x40001000u, 0x200000u, PAGE, OSPOLICY_PROT_RX), OSPOLICY_OK);
  ck_assert_uint_eq(table.alias_address, 0);
  /* The other way round: an executable alias of a writable frame. */
  ck_assert_int_eq(OSBaremetal_MapPages(&table, HIGH + PAGE, 0x300000u, PAGE, OSPOLICY_PROT_RW), OSPOLICY_OK);
  ck_assert_int_eq(OSBaremetal_MapPages(&table, 0x40002000u, 0x300000u, PAGE, OSPOLICY_PROT_RX),
                   OSPOLICY_DENIED_WX_ALIAS);
  ck_assert_uint_eq(table.alias_address, HIGH + PAGE);
  ck_assert_uint_eq(query(0x40002000u).present, 0);
  /* User mappings obey the same rule, both ways. */
  ck_assert_int_eq(OSBaremetal_MapPagesEx(&table, 0x1000u, 0x400000u, PAGE, OSPOLICY_PROT_RX, OSBAREMETAL_MAP_USER),
                   OSPOLICY_OK);
  ck_assert_int_eq(OSBaremetal_MapPages(&table, 0x40003000u, 0x400000u, PAGE, OSPOLICY_PROT_RW),
                   OSPOLICY_DENIED_WX_ALIAS);
  ck_assert_uint_eq(table.alias_address, 0x1000u);
  ck_assert_int_eq(OSBaremetal_MapPagesEx(&table, 0x2000u, 0x300000u, PAGE, OSPOLICY_PROT_RX, OSBAREMETAL_MAP_USER),
                   OSPOLICY_DENIED_WX_ALIAS);
  OSBaremetal_WxAudit audit;
  ck_assert_int_eq(OSBaremetal_AuditWx(&table, &audit), OSPOLICY_OK);
  ck_assert_uint_eq(audit.wx_alias_bytes, 0);
}
END_TEST

/* Another address space (an agent's tables) counts as well. */
START_TEST(alias_rule_spans_peer_address_spaces) {
  fresh_table(ARENA_PAGES);
  OSBaremetal_PageTableOps ops = {fake_allocate, fake_map, fake_flush, &memory};
  OSBaremetal_PageTable agent;
  ck_assert_int_eq(OSBaremetal_CreatePageTable(&agent, &ops), OSPOLICY_OK);
  ck_assert_int_eq(OSBaremetal_MapPagesEx(&agent, 0x400000u, 0x500000u, PAGE, OSPOLICY_PROT_RX, OSBAREMETAL_MAP_USER),
                   OSPOLICY_OK);
  /* Without the peer the kernel's table cannot see it. */
  ck_assert_int_eq(OSBaremetal_MapPages(&table, HIGH, 0x500000u, PAGE, OSPOLICY_PROT_RW), OSPOLICY_OK);
  ck_assert_int_eq(OSBaremetal_UnmapPages(&table, HIGH, PAGE), OSPOLICY_OK);
  const OSBaremetal_PageTable *peers[1] = {&agent};
  table.alias_peers = peers;
  table.alias_peer_count = 1;
  ck_assert_int_eq(OSBaremetal_MapPages(&table, HIGH, 0x500000u, PAGE, OSPOLICY_PROT_RW), OSPOLICY_DENIED_WX_ALIAS);
  ck_assert_uint_eq(table.alias_address, 0x400000u);
  /* A broken peer fails closed: its mappings would be invisible. */
  OSBaremetal_PageTable broken;
  memset(&broken, 0, sizeof broken);
  peers[0] = &broken;
  ck_assert_int_eq(OSBaremetal_MapPages(&table, HIGH, 0x600000u, PAGE, OSPOLICY_PROT_RW), OSPOLICY_ERR_PLAN_NOT_OK);
  OSBaremetal_WxAudit audit;
  ck_assert_int_eq(OSBaremetal_AuditWx(&table, &audit), OSPOLICY_ERR_PLAN_NOT_OK);
  table.alias_peers = NULL;
  ck_assert_int_eq(OSBaremetal_MapPages(&table, HIGH, 0x600000u, PAGE, OSPOLICY_PROT_RW), OSPOLICY_ERR_PLAN_NOT_OK);
  table.alias_peer_count = 0;
}
END_TEST

/* Protect checks the frames of the whole range against every mapping
 * outside it before the first entry changes: a refused multi-page change
 * leaves every page as it was. */
START_TEST(protect_refuses_a_wx_alias_and_changes_no_page) {
  fresh_table(ARENA_PAGES);
  ck_assert_int_eq(OSBaremetal_MapPages(&table, HIGH, 0x200000u, 3 * PAGE, OSPOLICY_PROT_RW), OSPOLICY_OK);
  ck_assert_int_eq(OSBaremetal_MapPages(&table, 0x40000000u, 0x201000u, PAGE, OSPOLICY_PROT_READ), OSPOLICY_OK);
  ck_assert_int_eq(OSBaremetal_MapPages(&table, 0x40001000u, 0x202000u, PAGE, OSPOLICY_PROT_RW), OSPOLICY_OK);
  uint32_t flushes = memory.flushes;
  ck_assert_int_eq(OSBaremetal_ProtectPages(&table, HIGH, 3 * PAGE, OSPOLICY_PROT_RX), OSPOLICY_DENIED_WX_ALIAS);
  ck_assert_uint_eq(table.error_address, HIGH + 2 * PAGE);
  ck_assert_uint_eq(table.alias_address, 0x40001000u);
  for (uint64_t i = 0; i < 3u; ++i) {
    ck_assert_uint_eq(query(HIGH + i * PAGE).prot, OSPOLICY_PROT_RW);
  }
  ck_assert_uint_eq(memory.flushes, flushes);
  /* Without the writable alias the seal goes through (the read-only one stays). */
  ck_assert_int_eq(OSBaremetal_UnmapPages(&table, 0x40001000u, PAGE), OSPOLICY_OK);
  ck_assert_int_eq(OSBaremetal_ProtectPages(&table, HIGH, 3 * PAGE, OSPOLICY_PROT_RX), OSPOLICY_OK);
  ck_assert_uint_eq(query(HIGH + 2 * PAGE).prot, OSPOLICY_PROT_RX);
  /* The read-only alias may not become writable while the frame executes. */
  ck_assert_int_eq(OSBaremetal_ProtectPages(&table, 0x40000000u, PAGE, OSPOLICY_PROT_RW), OSPOLICY_DENIED_WX_ALIAS);
  ck_assert_uint_eq(table.alias_address, HIGH + PAGE);
  ck_assert_uint_eq(query(0x40000000u).prot, OSPOLICY_PROT_READ);
  /* Two pages of one range that share a frame change together: allowed. */
  ck_assert_int_eq(OSBaremetal_MapPages(&table, 0x40010000u, 0x300000u, PAGE, OSPOLICY_PROT_RW), OSPOLICY_OK);
  ck_assert_int_eq(OSBaremetal_MapPages(&table, 0x40011000u, 0x300000u, PAGE, OSPOLICY_PROT_RW), OSPOLICY_OK);
  ck_assert_int_eq(OSBaremetal_ProtectPages(&table, 0x40010000u, 2 * PAGE, OSPOLICY_PROT_RX), OSPOLICY_OK);
  OSBaremetal_WxAudit audit;
  ck_assert_int_eq(OSBaremetal_AuditWx(&table, &audit), OSPOLICY_OK);
  ck_assert_uint_eq(audit.wx_alias_bytes, 0);
}
END_TEST

/* Inside a large page only the covered part is being changed: the rest of
 * the 2 MiB leaf keeps its frames and is no alias of them. */
START_TEST(protect_alias_check_clips_large_pages) {
  fresh_table(ARENA_PAGES);
  ck_assert_int_eq(OSBaremetal_MapPagesEx(&table, 0x40000000u, 0x400000u, 0x200000u, OSPOLICY_PROT_RW,
                                          OSBAREMETAL_MAP_LARGE),
                   OSPOLICY_OK);
  ck_assert_int_eq(OSBaremetal_MapPages(&table, HIGH, 0x405000u, PAGE, OSPOLICY_PROT_RW), OSPOLICY_OK);
  ck_assert_int_eq(OSBaremetal_ProtectPages(&table, 0x40005000u, PAGE, OSPOLICY_PROT_RX), OSPOLICY_DENIED_WX_ALIAS);
  ck_assert_uint_eq(table.alias_address, HIGH);
  ck_assert_uint_eq(table.splits, 0);
  ck_assert_uint_eq(query(0x40005000u).mapping_size, 0x200000u);
  ck_assert_int_eq(OSBaremetal_ProtectPages(&table, 0x40006000u, PAGE, OSPOLICY_PROT_RX), OSPOLICY_OK);
  ck_assert_uint_eq(table.splits, 1);
  ck_assert_uint_eq(query(0x40006000u).prot, OSPOLICY_PROT_RX);
  ck_assert_uint_eq(query(0x40007000u).prot, OSPOLICY_PROT_RW);
}
END_TEST

/* The audit by physical frame sees what a virtual-address audit cannot:
 * aliases forged behind the editor's back, and table pages reachable for
 * writing through a mapping other than the editor's own. */
START_TEST(audit_checks_by_physical_frame) {
  fresh_table(ARENA_PAGES);
  ck_assert_int_eq(OSBaremetal_MapPages(&table, HIGH, 0x200000u, 2 * PAGE, OSPOLICY_PROT_RX), OSPOLICY_OK);
  ck_assert_int_eq(OSBaremetal_MapPages(&table, HIGH + 0x10000u, 0x300000u, PAGE, OSPOLICY_PROT_RW), OSPOLICY_OK);
  OSBaremetal_WxAudit audit;
  ck_assert_int_eq(OSBaremetal_AuditWx(&table, &audit), OSPOLICY_OK);
  ck_assert_uint_eq(audit.wx_alias_bytes, 0);
  ck_assert_uint_eq(audit.table_pages, 4);
  ck_assert_uint_eq(audit.writable_table_bytes, 0);
  /* Point the RW leaf at the second executable frame. */
  uint64_t *pml4 = fake_map(NULL, table.root);
  uint64_t *pdpt = fake_map(NULL, pml4[511] & OSBAREMETAL_PTE_ADDRESS_MASK);
  uint64_t *pd = fake_map(NULL, pdpt[510] & OSBAREMETAL_PTE_ADDRESS_MASK);
  uint64_t *pt = fake_map(NULL, pd[0] & OSBAREMETAL_PTE_ADDRESS_MASK);
  pt[16] = (pt[16] & ~OSBAREMETAL_PTE_ADDRESS_MASK) | 0x201000u;
  ck_assert_int_eq(OSBaremetal_AuditWx(&table, &audit), OSPOLICY_OK);
  ck_assert_uint_eq(audit.wx_bytes, 0); /* every virtual page is still W^X */
  ck_assert_uint_eq(audit.wx_alias_bytes, PAGE);
  ck_assert_uint_eq(audit.first_wx_alias_address, HIGH + 0x10000u);
  pt[16] = (pt[16] & ~OSBAREMETAL_PTE_ADDRESS_MASK) | 0x300000u;
  /* A writable mapping of a table page (the PT itself): the editor maps
   * data, not tables, so only the audit can catch it. */
  uint64_t pt_physical = pd[0] & OSBAREMETAL_PTE_ADDRESS_MASK;
  ck_assert_int_eq(OSBaremetal_MapPages(&table, HIGH + 0x20000u, pt_physical, PAGE, OSPOLICY_PROT_RW), OSPOLICY_OK);
  /* Read-only is fine; the editor's own address (fake_map's) is fine. */
  ck_assert_int_eq(OSBaremetal_MapPages(&table, HIGH + 0x21000u, table.root, PAGE, OSPOLICY_PROT_READ), OSPOLICY_OK);
  uint64_t own = (uint64_t)(uintptr_t)fake_map(NULL, table.root);
  ck_assert_int_eq(OSBaremetal_MapPages(&table, own, table.root, PAGE, OSPOLICY_PROT_RW), OSPOLICY_OK);
  ck_assert_int_eq(OSBaremetal_AuditWx(&table, &audit), OSPOLICY_OK);
  ck_assert_uint_eq(audit.wx_alias_bytes, 0);
  ck_assert_uint_eq(audit.writable_table_bytes, PAGE);
  ck_assert_uint_eq(audit.first_writable_table_address, HIGH + 0x20000u);
  ck_assert_uint_eq(audit.table_pages, memory.used);
  /* Linux's W+X by virtual page is still counted as before: and a W+X leaf
   * is its own alias. */
  pt[16] &= ~OSBAREMETAL_PTE_NX;
  ck_assert_int_eq(OSBaremetal_AuditWx(&table, &audit), OSPOLICY_OK);
  ck_assert_uint_eq(audit.wx_bytes, PAGE);
  ck_assert_uint_eq(audit.wx_alias_bytes, PAGE);
}
END_TEST

/* One validity test for every table frame: the root a create gets, a root
 * handed to attach, and the tables a map or a split allocates must be page
 * aligned and within the 52-bit address field. */
static uint64_t bad_frame;
static uint32_t bad_after; /* good allocations before the bad one */

static OSPolicy_Status bad_allocate(void *context, uint64_t *physical) {
  fake_memory *m = context;
  if (m->used == bad_after) {
    m->used++;
    *physical = bad_frame;
    return OSPOLICY_OK;
  }
  return fake_allocate(context, physical);
}

START_TEST(table_frames_outside_the_address_field_are_refused) {
  static const uint64_t frames[] = {ARENA_BASE + 8u, (uint64_t)1 << 52, ARENA_BASE | ((uint64_t)1 << 63)};
  for (size_t i = 0; i < sizeof frames / sizeof frames[0]; i++) {
    memset(&memory, 0, sizeof memory);
    memory.limit = ARENA_PAGES;
    bad_frame = frames[i];
    bad_after = 0; /* the root */
    OSBaremetal_PageTableOps ops = {bad_allocate, fake_map, fake_flush, &memory};
    ck_assert_int_eq(OSBaremetal_CreatePageTable(&table, &ops), OSPOLICY_ERR_PAL_CONTRACT);
    memset(&memory, 0, sizeof memory);
    memory.limit = ARENA_PAGES;
    bad_after = 1; /* the first table below the root */
    ck_assert_int_eq(OSBaremetal_CreatePageTable(&table, &ops), OSPOLICY_OK);
    ck_assert_int_eq(OSBaremetal_MapPages(&table, HIGH, 0, PAGE, OSPOLICY_PROT_READ),
                     OSPOLICY_ERR_PAL_CONTRACT);
  }
  OSBaremetal_PageTable attached;
  OSBaremetal_PageTableOps ops = {fake_allocate, fake_map, fake_flush, &memory};
  ck_assert_int_eq(OSBaremetal_AttachPageTable(&attached, &ops, (uint64_t)1 << 52), OSPOLICY_ERR_OUT_OF_RANGE);
  ck_assert_int_eq(OSBaremetal_AttachPageTable(&attached, &ops, ARENA_BASE + 8u), OSPOLICY_ERR_UNALIGNED);
}
END_TEST

Suite *page_table_suite(void);
Suite *page_table_suite(void) {
  Suite *suite = suite_create("page_table");
  TCase *tc = tcase_create("builder");
  tcase_add_test(tc, maps_4k_pages_with_their_protection);
  tcase_add_test(tc, refuses_rwx_before_touching_anything);
  tcase_add_test(tc, rejects_bad_ranges_and_protections);
  tcase_add_test(tc, zero_table_is_not_usable);
  tcase_add_test(tc, already_mapped_range_changes_nothing);
  tcase_add_test(tc, allocation_failure_unmaps_what_the_call_mapped);
  tcase_add_test(tc, protect_changes_w_and_x_together);
  tcase_add_test(tc, audits_foreign_tables_on_the_effective_view);
  tcase_add_test(tc, audit_reports_high_half_addresses_sign_extended);
  tcase_add_test(tc, large_page_is_split_only_when_part_of_it_changes);
  tcase_add_test(tc, split_needs_a_reserved_table_or_changes_nothing);
  tcase_add_test(tc, flush_ceiling_switches_to_a_full_flush);
  tcase_add_test(tc, unmap_removes_pages_and_splits_partial_large_pages);
  tcase_add_test(tc, user_mappings_mark_the_whole_path);
  tcase_add_test(tc, audit_counts_user_leaves);
  tcase_add_test(tc, table_frames_outside_the_address_field_are_refused);
  tcase_add_test(tc, map_refuses_a_writable_alias_of_an_executable_frame);
  tcase_add_test(tc, alias_rule_spans_peer_address_spaces);
  tcase_add_test(tc, protect_refuses_a_wx_alias_and_changes_no_page);
  tcase_add_test(tc, protect_alias_check_clips_large_pages);
  tcase_add_test(tc, audit_checks_by_physical_frame);
  suite_add_tcase(suite, tc);
  return suite;
}
