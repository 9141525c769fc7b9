/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * x86-64 4-level page tables: build, edit and audit them.
 *
 * Freestanding and reusable: the UEFI loader builds the kernel's tables with
 * it, the kernel walks its live tables with it, and the host unit tests drive
 * it against a fake physical-memory arena. It never touches CR3 itself; the
 * caller supplies how table pages are allocated and reached (`ops`).
 *
 * Rules the builder enforces:
 *   - every mapping is readable; W and X are never granted together
 *     (OSPOLICY_DENIED_RWX), so the builder cannot produce a W+X page;
 *   - new leaves are 4 KiB (2 MiB with OSBAREMETAL_MAP_LARGE); intermediate
 *     entries it creates are present,
 *     writable and executable, so the leaf alone decides (W only if every
 *     level is writable, X unless any level sets NX: the "effective" view);
 *   - a failed call changes nothing: a range is checked completely before
 *     the first entry is written, and a table-allocation failure mid-way
 *     removes the leaves this call wrote (empty tables may remain).
 * Queries and the W+X audit understand 2 MiB and 1 GiB pages, so they can
 * walk tables someone else built (the firmware's).
 *
 * Editing live tables (page_table_edit.c: ProtectPages, UnmapPages):
 *   - a 2 MiB page is split into 512 4 KiB entries only when the range
 *     covers part of it (a fully covered large page is changed in place, as
 *     Linux's change_page_attr does); the split keeps every attribute, the
 *     large translation is flushed right after the split and before any 4 KiB
 *     entry changes (mixed large/small translations with different
 *     attributes are undefined, Intel SDM vol. 3, 4.10.2.3);
 *   - the page-table pages a split needs (at most two per call: the range's
 *     first and last large page) are taken before the first entry changes
 *     and kept in `spare_tables`, so a split never calls the allocator in the
 *     middle of an edit and an allocation failure changes nothing;
 *   - TLB: one flush_page (invlpg) per changed leaf up to flush_ceiling
 *     leaves, one flush_all (CR3 reload) above it; splits and flushes are
 *     counted in the struct;
 *   - 1 GiB pages are changed in place when fully covered and otherwise
 *     refused (OSBAREMETAL_ERR_PAGE_TABLE_CONFLICT): nothing here maps them.
 *
 * The alias rule (W^X by physical frame, not only by virtual page): Map
 * and Protect refuse (OSPOLICY_DENIED_WX_ALIAS) to make a frame writable
 * while any mapping executes it, or executable while any mapping writes
 * it, in this table or in the caller's alias_peers (other address spaces,
 * user mappings included). The check walks every present leaf once per
 * physically contiguous run of the request, before the first entry is
 * written. Read-only mappings of any frame are always allowed.
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
#define OSBAREMETAL_PTE_PAT_SMALL ((uint64_t)1 << 7)  /* bit 7 in a 4 KiB entry is PAT */
#define OSBAREMETAL_PTE_PAT_LARGE ((uint64_t)1 << 12) /* bit 12 in a 2 MiB / 1 GiB entry */
#define OSBAREMETAL_PTE_NX ((uint64_t)1 << 63)
#define OSBAREMETAL_PTE_ADDRESS_MASK ((uint64_t)0x000FFFFFFFFFF000)

/* OSBaremetal_MapPagesEx flags. */
#define OSBAREMETAL_MAP_USER 0x1u  /* leaf (and the path to it) user-accessible: SMEP/SMAP probes */
#define OSBAREMETAL_MAP_LARGE 0x2u /* 2 MiB leaves; address, physical and size 2 MiB aligned */

/* The page tables' own status codes, in the core's reserved platform
 * environment range (0x0348..0x034f; <ospolicy/status.h>, "Platform codes").
 * They travel in an OSPolicy_Status; OSBaremetal_StatusName
 * (status_name.h) names them.
 * X(code, "short-name", "what it means") */
#define OSBAREMETAL_ERR_PAGE_ALREADY_MAPPED ((OSPolicy_Status)0x0348)
#define OSBAREMETAL_ERR_PAGE_NOT_MAPPED ((OSPolicy_Status)0x0349)
#define OSBAREMETAL_ERR_PAGE_TABLE_CONFLICT ((OSPolicy_Status)0x034A)
#define OSBAREMETAL_ERR_NON_CANONICAL ((OSPolicy_Status)0x034B)
#define OSBAREMETAL_STATUS_LIST_PAGE_TABLE(X)                                                   \
  X(OSBAREMETAL_ERR_PAGE_ALREADY_MAPPED, "page-already-mapped",                                 \
    "a virtual page in the range is already mapped")                                            \
  X(OSBAREMETAL_ERR_PAGE_NOT_MAPPED, "page-not-mapped", "a virtual page in the range is not mapped") \
  X(OSBAREMETAL_ERR_PAGE_TABLE_CONFLICT, "page-table-conflict",                                 \
    "existing page-table entries contradict the request (a large page, or an upper level that forbids it)") \
  X(OSBAREMETAL_ERR_NON_CANONICAL, "non-canonical",                                             \
    "a virtual address is not canonical for 4-level paging")

/* Changed leaves above which an edit reloads CR3 instead of issuing invlpg
 * per leaf: Linux's tlb_single_page_flush_ceiling (docs/baremetal.md). */
#define OSBAREMETAL_FLUSH_CEILING_DEFAULT 33u
#define OSBAREMETAL_SPARE_TABLES 2u

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

typedef struct OSBaremetal_PageTable OSBaremetal_PageTable;

struct OSBaremetal_PageTable {
  OSPolicy_Status status;        /* OK after Create/Attach */
  uint64_t root;                 /* physical address of the PML4 */
  OSBaremetal_PageTableOps ops;
  uint64_t tables_allocated;     /* table pages this struct allocated */
  uint64_t error_address;        /* first offending virtual address of the last error */
  /* Optional, set by the caller after Create/Attach (NULL there): flushes
   * every non-global translation (reload CR3) with ops.context. Without it
   * an edit always flushes leaf by leaf. */
  void (*flush_all)(void *context);
  uint32_t flush_ceiling;        /* OSBAREMETAL_FLUSH_CEILING_DEFAULT after Create/Attach */
  uint32_t spare_count;          /* reserved table pages in spare_tables */
  uint64_t spare_tables[OSBAREMETAL_SPARE_TABLES];
  uint64_t splits;               /* 2 MiB pages split into 4 KiB entries */
  uint64_t pages_flushed;        /* flush_page (invlpg) calls made by edits */
  uint64_t full_flushes;         /* flush_all (CR3 reload) calls made by edits */
  /* After DENIED_WX_ALIAS: the virtual address of the existing mapping
   * that conflicts (in this table or in a peer); error_address is the
   * requested page that would map the same frame. */
  uint64_t alias_address;
  /* Optional, set by the caller after Create/Attach (NULL/0 there): other
   * address spaces whose mappings count for the alias rule (an agent's
   * tables beside the kernel's), so a frame executable in one space is
   * never writable in another. Walked read-only with their own ops. */
  const OSBaremetal_PageTable *const *alias_peers;
  uint32_t alias_peer_count;
};

typedef struct OSBaremetal_PageInfo {
  OSPolicy_Status status;
  uint32_t present;        /* 1 if the address is mapped */
  uint32_t prot;           /* effective OSPOLICY_PROT_* (0 when not present) */
  uint64_t physical;       /* physical address the queried byte maps to */
  uint64_t mapping_size;   /* 4 KiB, 2 MiB or 1 GiB: the leaf that maps it */
  uint32_t user;           /* 1 if every level allows user access */
} OSBaremetal_PageInfo;

typedef struct OSBaremetal_WxAudit {
  OSPolicy_Status status;
  uint64_t mapped_bytes;
  uint64_t writable_bytes;
  uint64_t executable_bytes;
  uint64_t wx_bytes;          /* writable and executable at once (effective view) */
  uint64_t wx_regions;        /* maximal runs of contiguous W+X virtual memory */
  uint64_t first_wx_address;  /* lowest W+X address, valid when wx_bytes > 0 */
  uint64_t user_leaves;       /* leaves user-accessible on the effective view (U/S at every level) */
  uint64_t user_bytes;
  uint64_t first_user_address; /* lowest user-accessible address, valid when user_leaves > 0 */
  /* By physical frame (this table and its alias_peers): */
  uint64_t wx_alias_bytes;     /* bytes of executable mappings whose frames are also writable through
                                  some mapping (the same one included): summed per pair of an
                                  executable run and a writable leaf, so 0 means no such frame */
  uint64_t first_wx_alias_address; /* a writable mapping of such a frame, valid when wx_alias_bytes > 0 */
  uint64_t table_pages;        /* page-table pages reachable from the root, the root included */
  uint64_t writable_table_bytes; /* bytes of table pages writable through a mapping other than the
                                    editor's own (ops.map_physical's address of that page) */
  uint64_t first_writable_table_address; /* such a mapping, valid when writable_table_bytes > 0 */
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
 * which may not cross the canonical hole); PAGE_ALREADY_MAPPED;
 * DENIED_WX_ALIAS (a W mapping of a frame some mapping executes, or an X
 * mapping of a frame some mapping writes: alias_address names it); then the
 * allocator's failure (the pages mapped by this call are unmapped again). */
OSPOLICY_MUST_CHECK OSPolicy_Status OSBaremetal_MapPages(OSBaremetal_PageTable *table,
                                                        uint64_t virtual_address, uint64_t physical,
                                                        uint64_t size, uint32_t prot);

/* MapPages with flags (OSBAREMETAL_MAP_*). MAP_LARGE: UNALIGNED unless the
 * address, physical address and size are 2 MiB multiples; PAGE_ALREADY_MAPPED
 * if any 2 MiB slot holds a mapping or a page table. Unknown flags:
 * INVALID_ARGUMENT. */
OSPOLICY_MUST_CHECK OSPolicy_Status OSBaremetal_MapPagesEx(OSBaremetal_PageTable *table,
                                                          uint64_t virtual_address, uint64_t physical,
                                                          uint64_t size, uint32_t prot, uint32_t flags);

/* Changes the protection of mapped pages; W and X are changed in one 64-bit
 * store per entry, so a transition such as RW -> RX never passes through W+X
 * (Linux's set_memory_rox). Splits 2 MiB pages that the range covers only in
 * part (see above). Errors, in order: NULL_ARGUMENT; PLAN_NOT_OK;
 * BAD_PROTECTION; DENIED_RWX; EMPTY_RANGE; UNALIGNED; OVERFLOW; NON_CANONICAL;
 * PAGE_NOT_MAPPED; PAGE_TABLE_CONFLICT (a 1 GiB page covers part of the
 * range, or an upper level forbids the write or execute asked for);
 * DENIED_WX_ALIAS (a frame of the range is executable, for `prot` with W,
 * or writable, for `prot` with X, through a mapping outside the range);
 * the allocator's status when a split needs a table page. A failure
 * changes nothing, on every page of the range. */
OSPOLICY_MUST_CHECK OSPolicy_Status OSBaremetal_ProtectPages(OSBaremetal_PageTable *table,
                                                            uint64_t virtual_address, uint64_t size,
                                                            uint32_t prot);

/* Removes the mappings of [virtual_address, +size), splitting partially
 * covered 2 MiB pages; the emptied table pages stay in place. Errors, in
 * order: NULL_ARGUMENT; PLAN_NOT_OK; EMPTY_RANGE; UNALIGNED; OVERFLOW;
 * NON_CANONICAL; PAGE_NOT_MAPPED (any page of the range); PAGE_TABLE_CONFLICT
 * (part of a 1 GiB page); the allocator's status. A failure changes nothing. */
OSPOLICY_MUST_CHECK OSPolicy_Status OSBaremetal_UnmapPages(OSBaremetal_PageTable *table,
                                                          uint64_t virtual_address, uint64_t size);

/* Effective translation of one address. A missing mapping is OK with
 * present 0. Errors: NULL_ARGUMENT; PLAN_NOT_OK; NON_CANONICAL. */
OSPOLICY_MUST_CHECK OSPolicy_Status OSBaremetal_QueryPage(const OSBaremetal_PageTable *table,
                                                         uint64_t virtual_address,
                                                         OSBaremetal_PageInfo *info);

/* Walks every present mapping and counts, on the effective view, what is
 * writable, executable and both (as Linux's boot W+X audit does), and
 * which leaves are user-accessible (U/S set at every level). Then by
 * physical frame: executable frames that some mapping (of this table or an
 * alias peer) can write (wx_alias_bytes), and page-table pages writable
 * through any mapping but the editor's own (writable_table_bytes). A clean
 * table has wx_bytes, wx_alias_bytes and writable_table_bytes all 0.
 * Errors: NULL_ARGUMENT; PLAN_NOT_OK. */
OSPOLICY_MUST_CHECK OSPolicy_Status OSBaremetal_AuditWx(const OSBaremetal_PageTable *table,
                                                       OSBaremetal_WxAudit *audit);

/* True if `address` is canonical for 48-bit (4-level) virtual addresses. */
int OSBaremetal_IsCanonical(uint64_t address);

#ifdef __cplusplus
}
#endif

#endif /* OSPOLICY_BAREMETAL_PAGE_TABLE_H */
