/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * Mapping a native payload (a static-pie ELF) in kernel space, W^X, through
 * the library's plans and the PAL: the mapping and executable-memory plans,
 * fresh RW pages from OSHost_AllocatePages, staging, R_X86_64_RELATIVE
 * relocations for that address, then one seal per range (text RX, RELRO and
 * rodata R, data stays RW) through OSPolicy_PalProtectPages. Shared by
 * kernel.native_payload (selftest_payload.c) and the signed-module loader
 * (module.c), which calls it only after the module verified.
 */
#include "kernel.h"
#include "ospolicy/pal.h"

uint64_t kernel_payload_map_calls;

const char *kernel_step_name(KernelStep step) {
  switch (step) {
    case KERNEL_STEP_PLAN:
      return "plan";
    case KERNEL_STEP_ALLOCATE:
      return "allocate";
    case KERNEL_STEP_STAGE:
      return "stage";
    case KERNEL_STEP_RELOCATE:
      return "relocate";
    case KERNEL_STEP_SEAL:
      return "seal";
    case KERNEL_STEP_PARSE:
      return "parse";
    case KERNEL_STEP_ENFORCE:
      return "enforce";
    case KERNEL_STEP_PROBE:
      return "probe";
    case KERNEL_STEP_TRUST:
      return "trust";
    case KERNEL_STEP_VERIFY:
      return "verify";
    case KERNEL_STEP_NONE:
    default:
      return "none";
  }
}

OSPolicy_Status kernel_map_payload(const uint8_t *elf, size_t size, KernelPayload *payload) {
  ++kernel_payload_map_calls;
  payload->base = NULL;
  payload->entry = 0;
  payload->seal_count = 0;
  payload->step = KERNEL_STEP_PLAN;
  OSPolicy_NativePayloadRequest request = {elf, size, 4096u};
  OSPolicy_Status status = OSPolicy_PlanNativePayloadMapping(&request, &payload->mapping);
  if (status == OSPOLICY_OK) {
    status = OSPolicy_PlanNativeExecutableMemory(&payload->mapping, &payload->plan);
  }
  void *base = NULL;
  if (status == OSPOLICY_OK) {
    payload->step = KERNEL_STEP_ALLOCATE;
    status = OSPolicy_PalAllocatePages(payload->plan.span_pages, &base);
  }
  if (status == OSPOLICY_OK) {
    payload->base = base;
    payload->step = KERNEL_STEP_STAGE;
    status = OSPolicy_StageNativePayload(&payload->mapping, elf, size, base, (size_t)payload->plan.span_size);
  }
  if (status == OSPOLICY_OK) {
    payload->step = KERNEL_STEP_RELOCATE;
    OSPolicy_NativeRelocationRequest relocate = {&payload->mapping, elf, size, base,
                                                 (size_t)payload->plan.span_size, (uintptr_t)base};
    status = OSPolicy_ApplyNativeRelocations(&relocate, &payload->relocation);
  }
  OSPolicy_PageProtectionPlan seals[OSPOLICY_NATIVE_EXECUTABLE_MAX_RANGES];
  size_t count = 0;
  if (status == OSPOLICY_OK) {
    payload->step = KERNEL_STEP_SEAL;
    status = OSPolicy_BuildNativeExecutableProtections(&payload->plan, (uintptr_t)base, seals,
                                                       OSPOLICY_NATIVE_EXECUTABLE_MAX_RANGES, &count);
  }
  for (size_t i = 0; status == OSPOLICY_OK && i < count; ++i) {
    status = OSPolicy_PalProtectPages(&seals[i]);
    payload->seal_count = i + 1u;
  }
  if (status == OSPOLICY_OK) {
    payload->step = KERNEL_STEP_NONE;
    payload->entry = (uint64_t)(uintptr_t)base + payload->plan.entry_offset;
  }
  return status;
}

long kernel_call_payload(const KernelPayload *payload, long x) {
  typedef long (*payload_fn)(long);
  payload_fn fn;
  __builtin_memcpy(&fn, &payload->entry, sizeof fn);
  return fn(x);
}
