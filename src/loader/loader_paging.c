/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * The kernel's page tables, W^X by construction (the builder refuses RWX):
 *   kernel ranges at the slid address with the executable plan's final
 *   protection (text RX, read-only data and RELRO R+NX, data/bss RW+NX),
 *   the boot stack RW+NX with an unmapped guard page under it,
 *   identity: boot info and memory map RW+NX, the trampoline page RX (it
 *   runs across the CR3 switch), the page-table pool R+NX (for the kernel's
 *   own audit). COM1 and isa-debug-exit are port I/O and need no mapping.
 *
 * 4-level tables only: with CR4.LA57 set (5-level paging) the CR3 switch in
 * the trampoline would load a PML4 where the CPU expects a PML5 and fault
 * with no handler (a triple fault). The stage answers UNSUPPORTED for that
 * case, before ExitBootServices, and the sequencer refuses the boot.
 *
 * Failure messages never print a kernel virtual address (the same loader
 * boots the release kernel: docs/kernel.md, "Redaction"): an address in the
 * KASLR window is written as "kernel+0x..." from the slid base, other
 * addresses (identity-mapped, not randomised) as they are.
 */
#include <stdint.h>

#include "format.h"
#include "loader.h"
#include "x86_cpu.h"

/* What the builder works on: the stage's inputs and its output. */
typedef struct Paging {
  LoaderContext *context;
  const LoaderKernelImage *image;
  LoaderTables *out;
  OSPolicy_Status failure; /* the builder's answer when map() fails */
} Paging;

/* "kernel+0x1234" for an address in the kernel window, raw hex otherwise. */
static const char *describe(const Paging *loader, uint64_t address, char *buffer, size_t capacity) {
  if (address >= OSPOLICY_BOOT_KERNEL_WINDOW_BASE) {
    if (address >= loader->image->virtual_base) {
      (void)OSBaremetal_Format(buffer, capacity, "kernel+0x%lx",
                               (unsigned long)(address - loader->image->virtual_base));
    } else {
      (void)OSBaremetal_Format(buffer, capacity, "<kernel window>");
    }
  } else {
    (void)OSBaremetal_Format(buffer, capacity, "0x%016lx", (unsigned long)address);
  }
  return buffer;
}

static OSPolicy_Status pool_allocate(void *context, uint64_t *physical) {
  LoaderTables *tables = context;
  if (tables->pool_used >= LOADER_TABLE_POOL_PAGES) {
    return OSPOLICY_ERR_NO_MEMORY;
  }
  /* The pool was zeroed when it was allocated. */
  *physical = tables->pool + tables->pool_used * OSBAREMETAL_PAGE_SIZE;
  tables->pool_used++;
  return OSPOLICY_OK;
}

static void *identity(void *context, uint64_t physical) {
  (void)context;
  return (void *)(uintptr_t)physical;
}

static int map(Paging *loader, const char *what, uint64_t virtual_address, uint64_t physical, uint64_t size,
               uint32_t prot) {
  OSPolicy_Status status = OSBaremetal_MapPages(&loader->out->tables, virtual_address, physical, size, prot);
  if (status != OSPOLICY_OK) {
    loader->failure = status;
    char where[40];
    char error[40];
    OSBaremetal_TestFail(&loader->context->report, "loader.page_tables_wx", "map %s %s+0x%lx prot 0x%x: %s at %s", what,
                         describe(loader, virtual_address, where, sizeof where), (unsigned long)size, prot,
                         loader_status_name(status),
                         describe(loader, loader->out->tables.error_address, error, sizeof error));
    return 0;
  }
  return 1;
}

static int expect(const Paging *loader, const char *what, uint64_t address, uint32_t present, uint32_t prot) {
  OSBaremetal_PageInfo info;
  OSPolicy_Status status = OSBaremetal_QueryPage(&loader->out->tables, address, &info);
  if (status != OSPOLICY_OK || info.present != present || (present && info.prot != prot)) {
    char where[40];
    OSBaremetal_TestFail(&loader->context->report, "loader.page_tables_wx",
                         "%s at %s: %s, present %u prot 0x%x (want present %u prot 0x%x)", what,
                         describe(loader, address, where, sizeof where), loader_status_name(status), info.present,
                         info.prot, present, prot);
    return 0;
  }
  return 1;
}

OSPolicy_Status loader_build_page_tables(LoaderContext *context, const LoaderKernelPlan *plan,
                                         const LoaderKernelImage *image, const LoaderHandoff *handoff,
                                         LoaderTables *out) {
  const char *name = "loader.page_tables_wx";
  OSBaremetal_TestReport *report = &context->report;
  Paging paging = {context, image, out, OSPOLICY_STATUS_UNSET};
  Paging *loader = &paging;
  OSBaremetal_TestStart(report, name);
  if ((osb_read_cr4() & OSBAREMETAL_CR4_LA57) != 0u) {
    /* Still in boot services: the sequencer refuses and the firmware keeps running. */
    OSBaremetal_TestFail(report, name, "%s: CR4.LA57 is set (5-level paging) and the loader builds 4-level tables "
                                       "only; refusing before ExitBootServices (the CR3 switch would triple-fault)",
                         loader_status_name(OSPOLICY_ERR_UNSUPPORTED));
    return OSPOLICY_ERR_UNSUPPORTED;
  }
  void *pool = NULL;
  if (loader_allocate(LOADER_TABLE_POOL_PAGES, &pool) != EFI_SUCCESS) {
    OSBaremetal_TestFail(report, name, "%s: no memory for %u page-table pages",
                         loader_status_name(OSPOLICY_ERR_NO_MEMORY), LOADER_TABLE_POOL_PAGES);
    return OSPOLICY_ERR_NO_MEMORY;
  }
  out->pool = (uint64_t)(uintptr_t)pool;
  out->pool_used = 0;
  OSBaremetal_PageTableOps ops = {pool_allocate, identity, NULL, out};
  OSPolicy_Status status = OSBaremetal_CreatePageTable(&out->tables, &ops);
  if (status != OSPOLICY_OK) {
    OSBaremetal_TestFail(report, name, "create: %s", loader_status_name(status));
    return status;
  }
  uint64_t base = image->virtual_base;
  uint64_t physical = (uint64_t)(uintptr_t)image->staging;
  for (uint32_t i = 0; i < plan->executable.range_count; ++i) {
    const OSPolicy_NativeExecutableRange *range = &plan->executable.ranges[i];
    if (!map(loader, OSPolicy_NativeRangeKindName(range->kind), base + range->offset, physical + range->offset,
             range->size, range->final_prot)) {
      return loader->failure;
    }
  }
  uint64_t boot_info = (uint64_t)(uintptr_t)handoff->boot_info;
  uint64_t memory_map = (uint64_t)(uintptr_t)handoff->memory_map;
  uint64_t trampoline = (uint64_t)(uintptr_t)handoff->trampoline;
  if (!map(loader, "stack", image->stack_top_virtual - LOADER_STACK_BYTES, (uint64_t)(uintptr_t)handoff->stack,
           LOADER_STACK_BYTES, OSPOLICY_PROT_RW) ||
      !map(loader, "boot info", boot_info, boot_info, OSBAREMETAL_PAGE_SIZE, OSPOLICY_PROT_RW) ||
      !map(loader, "memory map", memory_map, memory_map, handoff->memory_map_capacity, OSPOLICY_PROT_RW) ||
      !map(loader, "trampoline", trampoline, trampoline, OSBAREMETAL_PAGE_SIZE, OSPOLICY_PROT_RX) ||
      !map(loader, "page-table pool", out->pool, out->pool,
           (uint64_t)LOADER_TABLE_POOL_PAGES * OSBAREMETAL_PAGE_SIZE, OSPOLICY_PROT_READ)) {
    return loader->failure;
  }
  OSBaremetal_WxAudit audit;
  status = OSBaremetal_AuditWx(&out->tables, &audit);
  if (status != OSPOLICY_OK) {
    OSBaremetal_TestFail(report, name, "audit: %s", loader_status_name(status));
    return status;
  }
  OSBaremetal_TestNote(report, "loader: kernel tables: %lu table pages, %lu KiB mapped, %lu KiB X, %lu KiB W, %lu KiB W+X",
                       (unsigned long)out->pool_used, (unsigned long)(audit.mapped_bytes >> 10),
                       (unsigned long)(audit.executable_bytes >> 10), (unsigned long)(audit.writable_bytes >> 10),
                       (unsigned long)(audit.wx_bytes >> 10));
  if (audit.wx_bytes != 0u) {
    char where[40];
    OSBaremetal_TestFail(report, name, "FAILED, %lu W+X regions, first at %s", (unsigned long)audit.wx_regions,
                         describe(loader, audit.first_wx_address, where, sizeof where));
    return OSPOLICY_DENIED_RWX;
  }
  if (!expect(loader, "entry", image->entry, 1, OSPOLICY_PROT_RX) ||
      !expect(loader, "guard page", image->stack_guard_virtual, 0, 0) ||
      !expect(loader, "stack", image->stack_top_virtual - 8u, 1, OSPOLICY_PROT_RW) ||
      !expect(loader, "above the stack", image->stack_top_virtual, 0, 0) ||
      !expect(loader, "trampoline", trampoline, 1, OSPOLICY_PROT_RX) ||
      !expect(loader, "boot info", boot_info, 1, OSPOLICY_PROT_RW)) {
    return OSBAREMETAL_ERR_PAGE_TABLE_CONFLICT;
  }
  for (uint32_t i = 0; i < plan->executable.range_count; ++i) {
    const OSPolicy_NativeExecutableRange *range = &plan->executable.ranges[i];
    if (!expect(loader, OSPolicy_NativeRangeKindName(range->kind), base + range->offset, 1, range->final_prot)) {
      return OSBAREMETAL_ERR_PAGE_TABLE_CONFLICT;
    }
  }
  OSBaremetal_TestPass(report, name);
  return OSPOLICY_OK;
}
