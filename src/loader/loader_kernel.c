/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * kernel.elf, as read and verified by loader_signature.c (the very bytes
 * whose signature was checked; nothing here reads the file): planned
 * (mapping and executable-memory plans: an RWX segment is refused), placed
 * by the KASLR planner from the entropy pool, staged and relocated. Nothing here maps or runs it; the page
 * tables (loader_paging.c) give each range its final protection.
 */
#include <stdint.h>

#include "loader.h"
#include "ospolicy/pal.h"

void *memcpy(void *restrict dst, const void *restrict src, size_t n);

#define ELF_PT_LOAD 1u
#define ELF_PF_X 1u
#define ELF_PF_W 2u
#define ELF_PF_R 4u

static uint16_t read16(const uint8_t *p) {
  return (uint16_t)(p[0] | (p[1] << 8));
}

static uint64_t read64(const uint8_t *p) {
  uint64_t value = 0;
  for (unsigned i = 8; i > 0; --i) {
    value = (value << 8) | p[i - 1u];
  }
  return value;
}

/* The planner must refuse this very kernel once one PT_LOAD asks for W+X:
 * a copy with the text segment's p_flags set to RWX goes through it. */
static void check_rwx_refused(Loader *loader) {
  const char *name = "loader.rwx_segment_refused";
  OSBaremetal_TestReport *report = &loader->report;
  OSBaremetal_TestStart(report, name);
  void *copy = NULL;
  size_t size = loader->kernel_file_size;
  if (loader_allocate(loader, (size + 4095u) / 4096u, &copy) != EFI_SUCCESS) {
    OSBaremetal_TestFail(report, name, "no memory for a copy of kernel.elf");
    return;
  }
  memcpy(copy, loader->kernel_file, size);
  uint8_t *bytes = copy;
  uint64_t phoff = read64(bytes + 0x20);
  uint16_t phentsize = read16(bytes + 0x36);
  uint16_t phnum = read16(bytes + 0x38);
  uint32_t patched = UINT32_MAX;
  for (uint32_t i = 0; i < phnum && phoff + (uint64_t)(i + 1u) * phentsize <= size; ++i) {
    uint8_t *phdr = bytes + phoff + (uint64_t)i * phentsize;
    if (phdr[0] == ELF_PT_LOAD && phdr[1] == 0 && phdr[2] == 0 && phdr[3] == 0 && (phdr[4] & ELF_PF_X) != 0u) {
      phdr[4] = (uint8_t)(ELF_PF_R | ELF_PF_W | ELF_PF_X);
      patched = i;
      break;
    }
  }
  OSPolicy_NativePayloadRequest request = {copy, size, 4096u};
  OSPolicy_NativePayloadMappingPlan plan;
  OSPolicy_Status status = patched == UINT32_MAX ? OSPOLICY_STATUS_UNSET
                                                 : OSPolicy_PlanNativePayloadMapping(&request, &plan);
  if (patched == UINT32_MAX) {
    OSBaremetal_TestFail(report, name, "kernel.elf has no executable PT_LOAD to patch");
  } else if (status != OSPOLICY_DENIED_RWX || plan.error_phdr_index != patched) {
    OSBaremetal_TestFail(report, name, "RWX program header %u: planner answered %s at header %u", patched,
                         OSPolicy_StatusName(status), plan.error_phdr_index);
  } else {
    OSBaremetal_TestNote(report, "loader: RWX PT_LOAD (program header %u) refused: %s", patched,
                         OSPolicy_StatusName(status));
    OSBaremetal_TestPass(report, name);
  }
  (void)loader->boot_services->FreePages((EFI_PHYSICAL_ADDRESS)(uintptr_t)copy, (size + 4095u) / 4096u);
}

static int plan_kernel(Loader *loader) {
  const char *name = "loader.kernel_planned";
  OSBaremetal_TestReport *report = &loader->report;
  OSBaremetal_TestStart(report, name);
  if (loader->kernel_file == NULL || loader->kernel_file_size == 0u) {
    OSBaremetal_TestFail(report, name, "%s: no verified kernel.elf in memory",
                         OSPolicy_StatusName(OSPOLICY_ERR_PLAN_NOT_OK));
    return 0;
  }
  OSPolicy_NativePayloadRequest request = {loader->kernel_file, loader->kernel_file_size, 4096u};
  OSPolicy_Status status = OSPolicy_PlanNativePayloadMapping(&request, &loader->mapping);
  if (status != OSPOLICY_OK) {
    OSBaremetal_TestFail(report, name, "mapping plan: %s (program header %u, offset 0x%lx)",
                         OSPolicy_StatusName(status), loader->mapping.error_phdr_index,
                         (unsigned long)loader->mapping.error_offset);
    return 0;
  }
  status = OSPolicy_PlanNativeExecutableMemory(&loader->mapping, &loader->executable);
  if (status != OSPOLICY_OK) {
    OSBaremetal_TestFail(report, name, "executable plan: %s (program header %u)", OSPolicy_StatusName(status),
                         loader->executable.error_phdr_index);
    return 0;
  }
  OSBaremetal_TestNote(report, "loader: kernel.elf %lu bytes, %u segments, span 0x%lx+0x%lx, %u ranges",
                       (unsigned long)loader->kernel_file_size, loader->mapping.segment_count,
                       (unsigned long)loader->mapping.span_start, (unsigned long)loader->mapping.span_size,
                       loader->executable.range_count);
  for (uint32_t i = 0; i < loader->executable.range_count; ++i) {
    const OSPolicy_NativeExecutableRange *range = &loader->executable.ranges[i];
    OSBaremetal_TestNote(report, "loader:   +0x%lx 0x%lx %s prot 0x%x", (unsigned long)range->offset,
                         (unsigned long)range->size, OSPolicy_NativeRangeKindName(range->kind), range->final_prot);
  }
  if (!loader->executable.relocatable) {
    OSBaremetal_TestFail(report, name, "kernel.elf is ET_EXEC: it cannot slide");
    return 0;
  }
  OSBaremetal_TestPass(report, name);
  return 1;
}

static void choose_slide(Loader *loader) {
  const char *name = "loader.kaslr_slide";
  OSBaremetal_TestReport *report = &loader->report;
  OSBaremetal_TestStart(report, name);
  uint64_t footprint = loader->executable.span_size + 4096u + (uint64_t)LOADER_STACK_PAGES * 4096u;
  OSPolicy_KaslrRequest request = OSPolicy_GetDefaultKaslrRequest(OSPOLICY_BOOT_KERNEL_WINDOW_BASE, footprint);
  OSPolicy_Status status = OSPOLICY_ERR_NO_ENTROPY_SOURCE;
  if (loader->seeded) {
    OSPolicy_RandomWordSource words = OSPolicy_GetEntropyPoolWordSource(&loader->pool);
    loader_crypto_enter(loader);
    status = OSPolicy_PlanKaslr(&request, &words, &loader->kaslr);
    loader_crypto_leave(loader);
  }
  if (status != OSPOLICY_OK) {
    /* Boot on at the link address so the run still ends with a report. */
    loader->kaslr.slide = 0;
    loader->kaslr.base = request.window_base;
    OSBaremetal_TestFail(report, name, "KASLR plan: %s; booting unslid", OSPolicy_StatusName(status));
    return;
  }
  uint64_t slide = loader->kaslr.slide;
  /* The loader boots debug and release kernels alike, so it never prints the
   * slide, the slot or any kernel virtual address: a release boot's log must
   * not undo KASLR (the debug kernel reports its own slide). */
  OSBaremetal_TestNote(report, "loader: KASLR slot chosen among %lu eligible (%u bits%s); slide not printed",
                       (unsigned long)loader->kaslr.eligible_slots, loader->kaslr.entropy_bits,
                       loader->weak_seed ? ", WEAK SEED" : "");
  if (slide % request.alignment != 0u || slide > request.window_size - footprint ||
      loader->kaslr.base != request.window_base + slide) {
    OSBaremetal_TestFail(report, name, "slide outside the window or not 2 MiB aligned");
  } else {
    OSBaremetal_TestPass(report, name);
  }
}

static int stage_and_relocate(Loader *loader) {
  const char *name = "loader.kernel_relocated";
  OSBaremetal_TestReport *report = &loader->report;
  OSBaremetal_TestStart(report, name);
  OSPolicy_Status status = OSPolicy_PalAllocatePages(loader->executable.span_pages, &loader->staging);
  if (status == OSPOLICY_OK) {
    status = OSPolicy_StageNativePayload(&loader->mapping, loader->kernel_file, loader->kernel_file_size,
                                         loader->staging, (size_t)loader->executable.span_size);
  }
  if (status != OSPOLICY_OK) {
    OSBaremetal_TestFail(report, name, "staging: %s", OSPolicy_StatusName(status));
    return 0;
  }
  OSPolicy_NativeRelocationRequest request = {&loader->mapping, loader->kernel_file, loader->kernel_file_size,
                                              loader->staging, (size_t)loader->executable.span_size,
                                              (uintptr_t)loader->kaslr.base};
  status = OSPolicy_ApplyNativeRelocations(&request, &loader->relocation);
  if (status != OSPOLICY_OK) {
    OSBaremetal_TestFail(report, name, "relocations: %s (entry %u, offset 0x%lx)", OSPolicy_StatusName(status),
                         loader->relocation.error_entry_index, (unsigned long)loader->relocation.error_offset);
    return 0;
  }
  loader->kernel_virtual_base = loader->kaslr.base;
  loader->kernel_entry = loader->kaslr.base + loader->executable.entry_offset;
  loader->stack_guard_virtual = loader->kaslr.base + loader->executable.span_size;
  loader->stack_top_virtual = loader->stack_guard_virtual + 4096u + (uint64_t)LOADER_STACK_PAGES * 4096u;
  OSBaremetal_TestNote(report, "loader: %lu relocations applied (%lu skipped), physical 0x%lx",
                       (unsigned long)loader->relocation.applied, (unsigned long)loader->relocation.skipped,
                       (unsigned long)(uintptr_t)loader->staging);
  if (loader->relocation.applied == 0u) {
    OSBaremetal_TestFail(report, name, "no R_X86_64_RELATIVE relocation applied: the slide would break pointers");
    return 1;
  }
  OSBaremetal_TestPass(report, name);
  return 1;
}

int loader_load_kernel(Loader *loader) {
  if (!plan_kernel(loader)) {
    return 0;
  }
  check_rwx_refused(loader);
  choose_slide(loader);
  return stage_and_relocate(loader);
}
