/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * kernel.elf, as read and verified by loader_signature.c (the very bytes
 * whose signature was checked; nothing here reads the file): planned
 * (mapping and executable-memory plans: an RWX segment is refused), placed
 * by the KASLR planner from the entropy pool, staged and relocated. Nothing
 * here maps or runs it; the page tables (loader_paging.c) give each range its
 * final protection. A kernel that cannot be placed is never booted at its
 * link address: loader_place_kernel answers the planner's status and the
 * sequencer refuses the boot.
 */
#include <stdint.h>

#include "elf64.h"
#include "freestanding_mem.h"
#include "loader.h"
#include "ospolicy/byte_order.h"
#include "ospolicy/pal.h"

/* The planner must refuse this very kernel once one PT_LOAD asks for W+X:
 * a copy with the text segment's p_flags set to RWX goes through it. */
static void check_rwx_refused(LoaderContext *context, const LoaderKernelFile *file) {
  const char *name = "loader.rwx_segment_refused";
  OSBaremetal_TestReport *report = &context->report;
  OSBaremetal_TestStart(report, name);
  void *copy = NULL;
  size_t size = file->size;
  if (loader_allocate(loader_pages(size), &copy) != EFI_SUCCESS) {
    OSBaremetal_TestFail(report, name, "no memory for a copy of kernel.elf");
    return;
  }
  memcpy(copy, file->data, size);
  uint8_t *bytes = copy;
  if (size < ELF64_EHDR_SIZE) {
    OSBaremetal_TestFail(report, name, "kernel.elf is shorter than an ELF header");
    loader_free(copy, loader_pages(size));
    return;
  }
  uint64_t phoff = OSPolicy_LoadLe64(bytes + ELF64_E_PHOFF);
  uint16_t phentsize = OSPolicy_LoadLe16(bytes + ELF64_E_PHENTSIZE);
  uint16_t phnum = OSPolicy_LoadLe16(bytes + ELF64_E_PHNUM);
  uint32_t patched = UINT32_MAX;
  for (uint32_t i = 0; i < phnum && phoff + (uint64_t)(i + 1u) * phentsize <= size; ++i) {
    uint8_t *phdr = bytes + phoff + (uint64_t)i * phentsize;
    if (OSPolicy_LoadLe32(phdr + ELF64_P_TYPE) == ELF64_PT_LOAD && (phdr[ELF64_P_FLAGS] & ELF64_PF_X) != 0u) {
      phdr[ELF64_P_FLAGS] = (uint8_t)(ELF64_PF_R | ELF64_PF_W | ELF64_PF_X);
      patched = i;
      break;
    }
  }
  OSPolicy_NativePayloadRequest request = {copy, size, OSBAREMETAL_PAGE_SIZE};
  OSPolicy_NativePayloadMappingPlan plan;
  OSPolicy_Status status = patched == UINT32_MAX ? OSPOLICY_STATUS_UNSET
                                                 : OSPolicy_PlanNativePayloadMapping(&request, &plan);
  if (patched == UINT32_MAX) {
    OSBaremetal_TestFail(report, name, "kernel.elf has no executable PT_LOAD to patch");
  } else if (status != OSPOLICY_DENIED_RWX || plan.error_phdr_index != patched) {
    OSBaremetal_TestFail(report, name, "RWX program header %u: planner answered %s at header %u", patched,
                         loader_status_name(status), plan.error_phdr_index);
  } else {
    OSBaremetal_TestNote(report, "loader: RWX PT_LOAD (program header %u) refused: %s", patched,
                         loader_status_name(status));
    OSBaremetal_TestPass(report, name);
  }
  loader_free(copy, loader_pages(size));
}

OSPolicy_Status loader_plan_kernel(LoaderContext *context, const LoaderKernelFile *file, LoaderKernelPlan *out) {
  const char *name = "loader.kernel_planned";
  OSBaremetal_TestReport *report = &context->report;
  OSBaremetal_TestStart(report, name);
  if (file->data == NULL || file->size == 0u) {
    OSBaremetal_TestFail(report, name, "%s: no verified kernel.elf in memory",
                         loader_status_name(OSPOLICY_ERR_PLAN_NOT_OK));
    return OSPOLICY_ERR_PLAN_NOT_OK;
  }
  OSPolicy_NativePayloadRequest request = {file->data, file->size, OSBAREMETAL_PAGE_SIZE};
  OSPolicy_Status status = OSPolicy_PlanNativePayloadMapping(&request, &out->mapping);
  if (status != OSPOLICY_OK) {
    OSBaremetal_TestFail(report, name, "mapping plan: %s (program header %u, offset 0x%lx)",
                         loader_status_name(status), out->mapping.error_phdr_index,
                         (unsigned long)out->mapping.error_offset);
    return status;
  }
  status = OSPolicy_PlanNativeExecutableMemory(&out->mapping, &out->executable);
  if (status != OSPOLICY_OK) {
    OSBaremetal_TestFail(report, name, "executable plan: %s (program header %u)", loader_status_name(status),
                         out->executable.error_phdr_index);
    return status;
  }
  OSBaremetal_TestNote(report, "loader: kernel.elf %lu bytes, %u segments, span 0x%lx+0x%lx, %u ranges",
                       (unsigned long)file->size, out->mapping.segment_count,
                       (unsigned long)out->mapping.span_start, (unsigned long)out->mapping.span_size,
                       out->executable.range_count);
  for (uint32_t i = 0; i < out->executable.range_count; ++i) {
    const OSPolicy_NativeExecutableRange *range = &out->executable.ranges[i];
    OSBaremetal_TestNote(report, "loader:   +0x%lx 0x%lx %s prot 0x%x", (unsigned long)range->offset,
                         (unsigned long)range->size, OSPolicy_NativeRangeKindName(range->kind), range->final_prot);
  }
  if (!out->executable.relocatable) {
    OSBaremetal_TestFail(report, name, "%s: kernel.elf is ET_EXEC: it cannot slide",
                         loader_status_name(OSPOLICY_ERR_ELF_UNSUPPORTED_TYPE));
    return OSPOLICY_ERR_ELF_UNSUPPORTED_TYPE;
  }
  /* Image, the unmapped guard page, the boot stack: checked, the image may be huge. */
  if (__builtin_add_overflow(out->executable.span_size, OSBAREMETAL_PAGE_SIZE + LOADER_STACK_BYTES,
                             &out->footprint)) {
    OSBaremetal_TestFail(report, name, "%s: image + stack size", loader_status_name(OSPOLICY_ERR_OVERFLOW));
    return OSPOLICY_ERR_OVERFLOW;
  }
  OSBaremetal_TestPass(report, name);
  check_rwx_refused(context, file);
  return OSPOLICY_OK;
}

OSPolicy_Status loader_place_kernel(LoaderContext *context, const LoaderKernelPlan *plan, LoaderEntropy *entropy,
                                    OSPolicy_KaslrPlan *out) {
  const char *name = "loader.kaslr_slide";
  OSBaremetal_TestReport *report = &context->report;
  OSBaremetal_TestStart(report, name);
  OSPolicy_KaslrRequest request = OSPolicy_GetDefaultKaslrRequest(OSPOLICY_BOOT_KERNEL_WINDOW_BASE, plan->footprint);
  OSPolicy_RandomWordSource words = OSPolicy_GetEntropyPoolWordSource(&entropy->pool);
  loader_crypto_enter();
  OSPolicy_Status status = OSPolicy_PlanKaslr(&request, &words, out);
  loader_crypto_leave();
  if (status != OSPOLICY_OK) {
    /* Never "boot at the link address": the sequencer refuses. */
    OSBaremetal_TestFail(report, name, "KASLR plan: %s (image + stack 0x%lx bytes, window 0x%lx bytes)",
                         loader_status_name(status), (unsigned long)plan->footprint,
                         (unsigned long)request.window_size);
    return status;
  }
  /* The loader boots debug and release kernels alike, so it never prints the
   * slide, the slot or any kernel virtual address: a release boot's log must
   * not undo KASLR (the debug kernel reports its own slide). */
  OSBaremetal_TestNote(report, "loader: KASLR slot chosen among %lu eligible (%u bits%s); slide not printed",
                       (unsigned long)out->eligible_slots, out->entropy_bits, entropy->weak_seed ? ", WEAK SEED" : "");
  if (out->slide % request.alignment != 0u || out->slide > request.window_size - plan->footprint ||
      out->base != request.window_base + out->slide) {
    OSBaremetal_TestFail(report, name, "%s: slide outside the window or not 2 MiB aligned",
                         loader_status_name(OSPOLICY_ERR_OUT_OF_RANGE));
    return OSPOLICY_ERR_OUT_OF_RANGE;
  }
  OSBaremetal_TestPass(report, name);
  return OSPOLICY_OK;
}

OSPolicy_Status loader_stage_kernel(LoaderContext *context, const LoaderKernelFile *file,
                                    const LoaderKernelPlan *plan, const OSPolicy_KaslrPlan *kaslr,
                                    LoaderKernelImage *out) {
  const char *name = "loader.kernel_relocated";
  OSBaremetal_TestReport *report = &context->report;
  OSBaremetal_TestStart(report, name);
  if (kaslr->status != OSPOLICY_OK) {
    OSBaremetal_TestFail(report, name, "%s: no KASLR placement", loader_status_name(OSPOLICY_ERR_PLAN_NOT_OK));
    return OSPOLICY_ERR_PLAN_NOT_OK;
  }
  OSPolicy_Status status = OSPolicy_PalAllocatePages(plan->executable.span_pages, &out->staging);
  if (status == OSPOLICY_OK) {
    status = OSPolicy_StageNativePayload(&plan->mapping, file->data, file->size, out->staging,
                                         (size_t)plan->executable.span_size);
  }
  if (status != OSPOLICY_OK) {
    OSBaremetal_TestFail(report, name, "staging: %s", loader_status_name(status));
    return status;
  }
  OSPolicy_NativeRelocationRequest request = {&plan->mapping, file->data, file->size, out->staging,
                                              (size_t)plan->executable.span_size, (uintptr_t)kaslr->base};
  status = OSPolicy_ApplyNativeRelocations(&request, &out->relocation);
  if (status != OSPOLICY_OK) {
    OSBaremetal_TestFail(report, name, "relocations: %s (entry %u, offset 0x%lx)", loader_status_name(status),
                         out->relocation.error_entry_index, (unsigned long)out->relocation.error_offset);
    return status;
  }
  out->virtual_base = kaslr->base;
  out->entry = kaslr->base + plan->executable.entry_offset;
  out->stack_guard_virtual = kaslr->base + plan->executable.span_size;
  out->stack_top_virtual = out->stack_guard_virtual + OSBAREMETAL_PAGE_SIZE + LOADER_STACK_BYTES;
  OSBaremetal_TestNote(report, "loader: %lu relocations applied (%lu skipped), physical 0x%lx",
                       (unsigned long)out->relocation.applied, (unsigned long)out->relocation.skipped,
                       (unsigned long)(uintptr_t)out->staging);
  if (out->relocation.applied == 0u) {
    /* A slid image without one relative relocation would run with link-time pointers. */
    OSBaremetal_TestFail(report, name, "%s: no R_X86_64_RELATIVE relocation applied: the slide would break pointers",
                         loader_status_name(OSPOLICY_ERR_ELF_BAD_RELOCATION));
    return OSPOLICY_ERR_ELF_BAD_RELOCATION;
  }
  OSBaremetal_TestPass(report, name);
  return OSPOLICY_OK;
}
