/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * The kernel's own page tables and memory.
 *
 * Tables: a pool of KERNEL_TABLE_POOL_PAGES pages in .bss (zeroed by the
 * loader, mapped RW+NX in the data segment), reached through the kernel's
 * own mapping, so editing a table never needs a mapping that does not exist
 * yet. The new tables copy the loader's view page by page (kernel image with
 * its segment protections, boot stack with its guard, boot info, memory map)
 * and leave out what the kernel no longer needs: the loader's trampoline and
 * table pool, and everything else, including the NULL page.
 *
 * Frames: a bump allocator over EfiConventionalMemory above 16 MiB from the
 * final memory map (boot services are gone, so that memory is the kernel's),
 * src/arch/x86_64/frame_allocator.c (host-tested: unit.frame_allocator). A
 * failed request leaves its cursor untouched, so frames are handed out once
 * and never reused: the kernel's lifetime is one self-test run.
 *
 * Heap: one 2 MiB page (KERNEL_HEAP_BASE), RW+NX: the exec-from-heap probe
 * and the large-page split test use it.
 */
#include "kernel.h"
#include "kernel_layout.h"
#include "x86_cpu.h"

#define FRAME_FLOOR ((uint64_t)16 << 20)

KernelMemory kernel_memory;

static _Alignas(4096) uint8_t table_pool[KERNEL_TABLE_POOL_PAGES][4096];

static OSPolicy_Status pool_allocate(void *context, uint64_t *physical) {
  KernelMemory *memory = context;
  if (memory->pool_used >= KERNEL_TABLE_POOL_PAGES) {
    return OSPOLICY_ERR_NO_MEMORY;
  }
  uint8_t *page = table_pool[memory->pool_used];
  for (size_t i = 0; i < sizeof table_pool[0]; ++i) {
    ((volatile uint8_t *)page)[i] = 0;
  }
  *physical = memory->pool_physical + (uint64_t)memory->pool_used * 4096u;
  memory->pool_used++;
  return OSPOLICY_OK;
}

static void *pool_map(void *context, uint64_t physical) {
  KernelMemory *memory = context;
  uint64_t offset = physical - memory->pool_physical;
  if (physical < memory->pool_physical || offset >= (uint64_t)KERNEL_TABLE_POOL_PAGES * 4096u) {
    /* Only tables from the pool are ever linked in: anything else is a bug. */
    kernel_panic("page-table walk reached physical 0x%lx outside the kernel's table pool",
                 (unsigned long)physical);
  }
  return table_pool[offset / 4096u];
}

static void *identity(void *context, uint64_t physical) {
  (void)context;
  return (void *)(uintptr_t)physical;
}

void kernel_flush_page(void *context, uint64_t address) {
  (void)context;
  osb_invlpg(address);
}

/* A CR3 write does not evict global translations. The kernel makes no global
 * entries, but the loader's or the firmware's could linger in the TLB, so a
 * full flush toggles CR4.PGE when it is set (which flushes everything,
 * global entries included, Intel SDM vol. 3, 4.10.4.1) and reloads CR3
 * otherwise. kernel_memory_init clears CR4.PGE at the switch to the kernel's
 * own tables, so from then on the reload alone is complete either way. */
void kernel_flush_all(void *context) {
  (void)context;
  uint64_t cr4 = osb_read_cr4();
  if ((cr4 & OSBAREMETAL_CR4_PGE) != 0u) {
    osb_write_cr4(cr4 & ~OSBAREMETAL_CR4_PGE);
    osb_write_cr4(cr4);
  } else {
    osb_write_cr3(osb_read_cr3());
  }
}

OSPolicy_Status kernel_allocate_frames(void *context, uint64_t pages, uint64_t *physical) {
  (void)context;
  /* A failed request changes nothing (frame_allocator.h): a big request can
   * neither strand small ones nor rewind the cursor onto frames in use. */
  return OSBaremetal_AllocateFrames(&kernel_memory.frames, pages, OSBAREMETAL_PAGE_SIZE, physical);
}

void *kernel_heap_alloc(uint64_t bytes) {
  uint64_t rounded = (bytes + 15u) & ~(uint64_t)15u;
  if (rounded > OSBAREMETAL_LARGE_PAGE_SIZE - kernel_memory.heap_used) {
    kernel_panic("kernel heap exhausted (%lu bytes asked)", (unsigned long)bytes);
  }
  void *block = (void *)(uintptr_t)(KERNEL_HEAP_BASE + kernel_memory.heap_used);
  kernel_memory.heap_used += rounded;
  return block;
}

/* Copies the loader's mapping of [start, start + size) page by page. */
static OSPolicy_Status copy_range(const OSBaremetal_PageTable *loader, uint64_t start, uint64_t size,
                                  uint64_t *pages) {
  for (uint64_t page = start & ~(uint64_t)4095u; page < start + size; page += 4096u) {
    OSBaremetal_PageInfo info;
    OSPolicy_Status status = OSBaremetal_QueryPage(loader, page, &info);
    if (status != OSPOLICY_OK) {
      return status;
    }
    if (!info.present) {
      continue; /* holes stay holes */
    }
    status = OSBaremetal_MapPages(&kernel_memory.live, page, info.physical & ~(uint64_t)4095u, 4096u, info.prot);
    if (status != OSPOLICY_OK) {
      return status;
    }
    (*pages)++;
  }
  return OSPOLICY_OK;
}

OSPolicy_Status kernel_memory_init(const OSPolicy_BootInfo *info, OSBaremetal_TestReport *report) {
  KernelMemory *memory = &kernel_memory;
  memory->info = info;
  OSBaremetal_PageTableOps loader_ops = {NULL, identity, NULL, NULL};
  OSBaremetal_PageTable loader;
  OSPolicy_Status status = OSBaremetal_AttachPageTable(&loader, &loader_ops, osb_read_cr3() & OSBAREMETAL_PTE_ADDRESS_MASK);
  if (status != OSPOLICY_OK) {
    return status;
  }
  status = OSBaremetal_InitFrameAllocator(&memory->frames, (const void *)(uintptr_t)info->memory_map,
                                          info->memory_map_size, info->memory_map_descriptor_size, FRAME_FLOOR);
  if (status != OSPOLICY_OK) {
    return status;
  }
  /* The pool's frames, through the loader's tables: pool_map turns a
   * physical address into pool + offset, so every page must be present,
   * writable and exactly one frame after the one before it. */
  uint64_t pool = (uint64_t)(uintptr_t)table_pool;
  OSBaremetal_PageInfo first;
  if (OSBaremetal_QueryPage(&loader, pool, &first) != OSPOLICY_OK || !first.present) {
    return OSPOLICY_ERR_PAL_CONTRACT;
  }
  for (uint64_t i = 0; i < KERNEL_TABLE_POOL_PAGES; ++i) {
    OSBaremetal_PageInfo page;
    if (OSBaremetal_QueryPage(&loader, pool + i * 4096u, &page) != OSPOLICY_OK || !page.present ||
        page.prot != OSPOLICY_PROT_RW || (page.physical & ~(uint64_t)4095u) != first.physical + i * 4096u) {
      return OSPOLICY_ERR_PAL_CONTRACT;
    }
  }
  memory->pool_physical = first.physical;
  memory->pool_used = 0;
  OSBaremetal_PageTableOps ops = {pool_allocate, pool_map, NULL, memory};
  status = OSBaremetal_CreatePageTable(&memory->live, &ops);
  if (status != OSPOLICY_OK) {
    return status;
  }
  uint64_t pages = 0;
  uint64_t map_start = info->memory_map & ~(uint64_t)4095u;
  uint64_t map_size = info->memory_map + info->memory_map_size - map_start;
  if ((status = copy_range(&loader, info->kernel_virtual_base, info->kernel_size, &pages)) != OSPOLICY_OK ||
      (status = copy_range(&loader, info->stack_top - info->stack_size, info->stack_size, &pages)) != OSPOLICY_OK ||
      (status = copy_range(&loader, (uint64_t)(uintptr_t)info, sizeof *info, &pages)) != OSPOLICY_OK ||
      (status = copy_range(&loader, map_start, map_size, &pages)) != OSPOLICY_OK) {
    return status;
  }
  /* The heap: one 2 MiB page, physically 2 MiB aligned. */
  status = OSBaremetal_AllocateFrames(&memory->frames, 512u, OSBAREMETAL_LARGE_PAGE_SIZE, &memory->heap_physical);
  if (status == OSPOLICY_OK) {
    status = OSBaremetal_MapPagesEx(&memory->live, KERNEL_HEAP_BASE, memory->heap_physical,
                                    OSBAREMETAL_LARGE_PAGE_SIZE, OSPOLICY_PROT_RW, OSBAREMETAL_MAP_LARGE);
  }
  if (status != OSPOLICY_OK) {
    return status;
  }
  /* No global translations from here on: with CR4.PGE clear, the CR3 write
   * below drops every entry the loader's and the firmware's tables left in
   * the TLB, global or not, and every later CR3 reload is a full flush
   * (kernel_flush_all). The kernel has one address space, so global pages
   * would buy nothing. */
  osb_write_cr4(osb_read_cr4() & ~OSBAREMETAL_CR4_PGE);
  osb_write_cr3(memory->live.root);
  /* From here on the tables are live: edits flush. */
  memory->live.ops.flush_page = kernel_flush_page;
  memory->live.flush_all = kernel_flush_all;
  volatile uint64_t *heap = (volatile uint64_t *)(uintptr_t)KERNEL_HEAP_BASE;
  for (uint64_t i = 0; i < OSBAREMETAL_LARGE_PAGE_SIZE / 8u; ++i) {
    heap[i] = 0;
  }
  OSBaremetal_TestNote(report, "kernel: own page tables live: %lu pages copied from the loader, %u table pages, heap 2 MiB page",
                       (unsigned long)pages, memory->pool_used);
  return OSPOLICY_OK;
}

/* The allocator on the live memory map: one frame, a request no descriptor
 * can satisfy (the search walks every descriptor and fails), one frame
 * again. The two frames must differ and the failed request must leave the
 * cursor as it was (unit.frame_allocator covers the rest on the host). */
void kernel_selftest_frames(OSBaremetal_TestReport *report) {
  const char *name = "kernel.frame_allocator";
  OSBaremetal_TestStart(report, name);
  OSBaremetal_FrameAllocator *frames = &kernel_memory.frames;
  uint64_t first = 0;
  uint64_t second = 0;
  uint64_t never = 0;
  OSPolicy_Status status = kernel_allocate_frames(NULL, 1, &first);
  OSBaremetal_FrameCursor before = frames->cursor;
  uint64_t allocated = frames->frames_allocated;
  OSPolicy_Status oversized = kernel_allocate_frames(NULL, (uint64_t)1 << 40, &never);
  int unchanged = frames->cursor.descriptor == before.descriptor && frames->cursor.next == before.next &&
                  frames->frames_allocated == allocated;
  if (status == OSPOLICY_OK) {
    status = kernel_allocate_frames(NULL, 1, &second);
  }
  if (status != OSPOLICY_OK) {
    OSBaremetal_TestFail(report, name, "one frame: %s", OSBaremetal_StatusName(status));
  } else if (oversized != OSPOLICY_ERR_NO_MEMORY || never != 0u || !unchanged) {
    OSBaremetal_TestFail(report, name, "oversized request: %s, cursor %s", OSBaremetal_StatusName(oversized),
                         unchanged ? "unchanged" : "moved");
  } else if (first == second || (first & 4095u) != 0u || (second & 4095u) != 0u || first < FRAME_FLOOR ||
             second < FRAME_FLOOR) {
    OSBaremetal_TestFail(report, name, "frames 0x%lx and 0x%lx: handed out twice or misaligned",
                         (unsigned long)first, (unsigned long)second);
  } else {
    OSBaremetal_TestNote(report, "kernel: frames 0x%lx then 0x%lx around a refused 2^40-page request "
                                 "(%lu frames handed out, %lu requests refused)",
                         (unsigned long)first, (unsigned long)second, (unsigned long)frames->frames_allocated,
                         (unsigned long)frames->failed_requests);
    OSBaremetal_TestPass(report, name);
  }
}
