/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * x86-64 4-level page tables: build, change and audit them with 4 KiB pages.
 *
 * Freestanding and reusable: the UEFI loader builds the kernel's tables with
 * it, the kernel walks its live tables with it, and the host unit tests drive
 * it against a fake physical-memory arena. It never touches CR3 itself; the
 * caller supplies how table pages are allocated and reached (`ops`).
 *
 * Rules the builder enforces:
 *   - every mapping is readable; W and X are never granted together
 *     (OSPOLICY_DENIED_RWX), so the builder cannot produce a W+X page;
 *   - new leaves are 4 KiB; intermediate entries it creates are present,
 *     writable and executable, so the leaf alone decides (W only if every
 *     level is writable, X unless any level sets NX: the "effective" view);
 *   - a failed call changes nothing: a range is checked completely before
 *     the first entry is written, and a table-allocation failure mid-way
 *     removes the leaves this call wrote (empty tables may remain).
 * Queries and the W+X audit understand 2 MiB and 1 GiB pages, so they can
 * walk tables someone else built (the firmware's).
 *
 * Memory rules: the OSBaremetal_PageTable struct is caller owned; the builder
 * keeps no other state. On an error that concerns an address, error_address
 * holds the first offending virtual address.
 */
#ifndef OSPOLICY_BAREMETAL_PAGE_TABLE_H
#define OSPOLICY_BAREMETAL_PAGE_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "ospolicy/page_protection.h"
#include "ospolicy/status.h"

#define OSBAREMETAL_PAGE_SIZE ((uint64_t)4096)
#define OSBAREMETAL_LARGE_PAGE_SIZE ((uint64_t)2 * 1024 * 1024)
#define OSBAREMETAL_HUGE_PAGE_SIZE ((uint64_t)1024 * 1024 * 1024)

/* Entry bits (Intel SDM vol. 3, 4.5). */
#define OSBAREMETAL_PTE_PRESENT ((uint64_t)1 << 0)
#define OSBAREMETAL_PTE_WRITABLE ((uint64_t)1 << 1)
#define OSBAREMETAL_PTE_USER ((uint64_t)1 << 2)
#define OSBAREMETAL_PTE_LARGE ((uint64_t)1 << 7)
#define OSBAREMETAL_PTE_NX ((uint64_t)1 << 63)
#define OSBAREMETAL_PTE_ADDRESS_MASK ((uint64_t)0x000FFFFFFFFFF000)

typedef struct OSBaremetal_PageTableOps {
  /* Hands out one zero-filled, 4 KiB aligned page for a table and writes its
   * physical address. Required for building; may be NULL for read-only use. */
  OSPolicy_Status (*allocate_table)(void *context, uint64_t *physical);
  /* Where this code can read (and write) the 4 KiB page at `physical`.
   * Identity (return the address) under UEFI and in the kernel's window. */
  void *(*map_physical)(void *context, uint64_t physical);
  /* Optional: invalidates the TLB entry for a virtual page after a live entry
   * changed (invlpg). NULL for tables that are not loaded in CR3. */
  void (*flush_page)(void *context, uint64_t virtual_address);
  void *context;
} OSBaremetal_PageTableOps;

typedef struct OSBaremetal_PageTable {
  OSPolicy_Status status;        /* OK after Create/Attach */
  uint64_t root;                 /* physical address of the PML4 */
  OSBaremetal_PageTableOps ops;
  uint64_t tables_allocated;     /* table pages this struct allocated */
  uint64_t error_address;        /* first offending virtual address of the last error */
} OSBaremetal_PageTable;

typedef struct OSBaremetal_PageInfo {
  OSPolicy_Status status;
  uint32_t present;        /* 1 if the address is mapped */
  uint32_t prot;           /* effective OSPOLICY_PROT_* (0 when not present) */
  uint64_t physical;       /* physical address the queried byte maps to */
  uint64_t mapping_size;   /* 4 KiB, 2 MiB or 1 GiB: the leaf that maps it */
} OSBaremetal_PageInfo;

typedef struct OSBaremetal_WxAudit {
  OSPolicy_Status status;
  uint64_t mapped_bytes;
  uint64_t writable_bytes;
  uint64_t executable_bytes;
  uint64_t wx_bytes;          /* writable and executable at once (effective view) */
  uint64_t wx_regions;        /* maximal runs of contiguous W+X virtual memory */
  uint64_t first_wx_address;  /* lowest W+X address, valid when wx_bytes > 0 */
} OSBaremetal_WxAudit;

#ifdef __cplusplus
extern "C" {
#endif

/* Allocates an empty PML4. Errors: NULL_ARGUMENT (table, ops callbacks);
 * the allocator's status; PAL_CONTRACT (an unaligned table page). */
OSPOLICY_MUST_CHECK OSPolicy_Status OSBaremetal_CreatePageTable(OSBaremetal_PageTable *table,
                                                               const OSBaremetal_PageTableOps *ops);

/* Adopts existing tables (for instance the value of CR3) for queries, audits
 * and ProtectPages. Errors: NULL_ARGUMENT; UNALIGNED (root). */
OSPOLICY_MUST_CHECK OSPolicy_Status OSBaremetal_AttachPageTable(OSBaremetal_PageTable *table,
                                                               const OSBaremetal_PageTableOps *ops,
                                                               uint64_t root);

/* Maps [virtual_address, +size) to [physical, +size) with 4 KiB pages and
 * protection `prot`. Errors, in order: NULL_ARGUMENT; PLAN_NOT_OK (table not
 * created); BAD_PROTECTION (unknown bits, not readable); DENIED_RWX;
 * EMPTY_RANGE; UNALIGNED; OVERFLOW; NON_CANONICAL (any page of the range,
 * which may not cross the canonical hole); PAGE_ALREADY_MAPPED; then the
 * allocator's failure (the pages mapped by this call are unmapped again). */
OSPOLICY_MUST_CHECK OSPolicy_Status OSBaremetal_MapPages(OSBaremetal_PageTable *table,
                                                        uint64_t virtual_address, uint64_t physical,
                                                        uint64_t size, uint32_t prot);

/* Changes the protection of mapped 4 KiB pages; W and X are changed in one
 * 64-bit store per entry, so a transition such as RW -> RX never passes
 * through W+X. Errors, in order: NULL_ARGUMENT; PLAN_NOT_OK; BAD_PROTECTION;
 * DENIED_RWX; EMPTY_RANGE; UNALIGNED; OVERFLOW; NON_CANONICAL;
 * PAGE_NOT_MAPPED; PAGE_TABLE_CONFLICT (a large page covers part of the
 * range, or an upper level forbids the write or execute asked for). */
OSPOLICY_MUST_CHECK OSPolicy_Status OSBaremetal_ProtectPages(OSBaremetal_PageTable *table,
                                                            uint64_t virtual_address, uint64_t size,
                                                            uint32_t prot);

/* Effective translation of one address. A missing mapping is OK with
 * present 0. Errors: NULL_ARGUMENT; PLAN_NOT_OK; NON_CANONICAL. */
OSPOLICY_MUST_CHECK OSPolicy_Status OSBaremetal_QueryPage(const OSBaremetal_PageTable *table,
                                                         uint64_t virtual_address,
                                                         OSBaremetal_PageInfo *info);

/* Walks every present mapping and counts, on the effective view, what is
 * writable, executable and both (as Linux's boot W+X audit does).
 * Errors: NULL_ARGUMENT; PLAN_NOT_OK. */
OSPOLICY_MUST_CHECK OSPolicy_Status OSBaremetal_AuditWx(const OSBaremetal_PageTable *table,
                                                       OSBaremetal_WxAudit *audit);

/* True if `address` is canonical for 48-bit (4-level) virtual addresses. */
int OSBaremetal_IsCanonical(uint64_t address);

#ifdef __cplusplus
}
#endif

#endif /* OSPOLICY_BAREMETAL_PAGE_TABLE_H */
