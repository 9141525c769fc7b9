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
 * final memory map (boot services are gone, so that memory is the kernel's).
 * Frames are never reused: the kernel's lifetime is one self-test run.
 *
 * Heap: one 2 MiB page (KERNEL_HEAP_BASE), RW+NX: the exec-from-heap probe
 * and the large-page split test use it.
 */
#include "kernel.h"
#include "kernel_layout.h"
#include "x86_cpu.h"

#define EFI_CONVENTIONAL_MEMORY 7u
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

void kernel_flush_all(void *context) {
  (void)context;
  osb_write_cr3(osb_read_cr3());
}

static const OSPolicy_BootMemoryDescriptor *descriptor_at(const OSPolicy_BootInfo *info, uint64_t index) {
  return (const OSPolicy_BootMemoryDescriptor *)(uintptr_t)(info->memory_map +
                                                            index * info->memory_map_descriptor_size);
}

/* `pages` contiguous frames aligned to `alignment` bytes. */
static OSPolicy_Status allocate_aligned(KernelMemory *memory, uint64_t pages, uint64_t alignment, uint64_t *physical) {
  const OSPolicy_BootInfo *info = memory->info;
  uint64_t count = info->memory_map_size / info->memory_map_descriptor_size;
  uint64_t bytes = pages * 4096u;
  for (; memory->descriptor < count; ++memory->descriptor) {
    const OSPolicy_BootMemoryDescriptor *d = descriptor_at(info, memory->descriptor);
    if (d->type != EFI_CONVENTIONAL_MEMORY) {
      continue;
    }
    uint64_t start = d->physical_start;
    uint64_t end = start + d->page_count * 4096u;
    if (memory->frame_end != end) { /* entering this descriptor */
      memory->frame_next = start < FRAME_FLOOR ? FRAME_FLOOR : start;
      memory->frame_end = end;
    }
    uint64_t candidate = (memory->frame_next + alignment - 1u) & ~(alignment - 1u);
    if (candidate < end && end - candidate >= bytes) {
      memory->frame_next = candidate + bytes;
      memory->frames_allocated += pages;
      *physical = candidate;
      return OSPOLICY_OK;
    }
  }
  return OSPOLICY_ERR_NO_MEMORY;
}

OSPolicy_Status kernel_allocate_frames(void *context, uint64_t pages, uint64_t *physical) {
  (void)context;
  uint64_t saved = kernel_memory.descriptor;
  OSPolicy_Status status = allocate_aligned(&kernel_memory, pages, 4096u, physical);
  if (status != OSPOLICY_OK) {
    kernel_memory.descriptor = saved; /* a big request must not strand small ones */
  }
  return status;
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
  /* The pool's frames, through the loader's tables: they must be contiguous. */
  OSBaremetal_PageInfo first;
  OSBaremetal_PageInfo last;
  uint64_t pool = (uint64_t)(uintptr_t)table_pool;
  uint64_t pool_bytes = (uint64_t)KERNEL_TABLE_POOL_PAGES * 4096u;
  if (OSBaremetal_QueryPage(&loader, pool, &first) != OSPOLICY_OK ||
      OSBaremetal_QueryPage(&loader, pool + pool_bytes - 4096u, &last) != OSPOLICY_OK || !first.present ||
      !last.present || last.physical - first.physical != pool_bytes - 4096u) {
    return OSPOLICY_ERR_PAL_CONTRACT;
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
  status = allocate_aligned(memory, 512u, OSBAREMETAL_LARGE_PAGE_SIZE, &memory->heap_physical);
  if (status == OSPOLICY_OK) {
    status = OSBaremetal_MapPagesEx(&memory->live, KERNEL_HEAP_BASE, memory->heap_physical,
                                    OSBAREMETAL_LARGE_PAGE_SIZE, OSPOLICY_PROT_RW, OSBAREMETAL_MAP_LARGE);
  }
  if (status != OSPOLICY_OK) {
    return status;
  }
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
