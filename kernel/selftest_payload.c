/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * A native payload in kernel space: tests/payload/native_payload.c (a
 * static-pie ELF the build makes, embedded by blobs.S) goes through the
 * mapping and executable-memory plans, is staged into fresh RW pages from
 * OSHost_AllocatePages, relocated for that address, sealed range by range
 * (text RX, RELRO and rodata R, data stays RW) through the PAL, and called.
 * Its result depends on relocated function and data pointers, so an
 * unrelocated or mis-protected load cannot produce it; then its text must
 * refuse a write.
 */
#include "kernel.h"
#include "ospolicy/native_executable.h"
#include "ospolicy/native_relocation.h"
#include "ospolicy/pal.h"

extern const uint8_t kernel_payload_start[], kernel_payload_end[];

typedef long (*payload_fn)(long);

static long expected(long x, long call) {
  return ((x + 13) * 7 - 11) * 100 + call;
}

void kernel_selftest_payload(OSBaremetal_TestReport *report) {
  const char *name = "kernel.native_payload";
  OSBaremetal_TestStart(report, name);
  static OSPolicy_NativePayloadMappingPlan mapping;
  static OSPolicy_NativeExecutableMemoryPlan plan;
  static OSPolicy_NativeRelocationResult relocation;
  size_t size = (size_t)(kernel_payload_end - kernel_payload_start);
  OSPolicy_NativePayloadRequest request = {kernel_payload_start, size, 4096u};
  OSPolicy_Status status = OSPolicy_PlanNativePayloadMapping(&request, &mapping);
  if (status == OSPOLICY_OK) {
    status = OSPolicy_PlanNativeExecutableMemory(&mapping, &plan);
  }
  void *base = NULL;
  if (status == OSPOLICY_OK) {
    status = OSPolicy_PalAllocatePages(plan.span_pages, &base);
  }
  if (status == OSPOLICY_OK) {
    status = OSPolicy_StageNativePayload(&mapping, kernel_payload_start, size, base, (size_t)plan.span_size);
  }
  if (status != OSPOLICY_OK) {
    OSBaremetal_TestFail(report, name, "plan/stage %lu-byte ELF: %s", (unsigned long)size, OSPolicy_StatusName(status));
    return;
  }
  OSPolicy_NativeRelocationRequest relocate = {&mapping, kernel_payload_start, size, base, (size_t)plan.span_size,
                                               (uintptr_t)base};
  status = OSPolicy_ApplyNativeRelocations(&relocate, &relocation);
  OSPolicy_PageProtectionPlan seals[OSPOLICY_NATIVE_EXECUTABLE_MAX_RANGES];
  size_t count = 0;
  if (status == OSPOLICY_OK) {
    status = OSPolicy_BuildNativeExecutableProtections(&plan, (uintptr_t)base, seals,
                                                       OSPOLICY_NATIVE_EXECUTABLE_MAX_RANGES, &count);
  }
  for (size_t i = 0; status == OSPOLICY_OK && i < count; ++i) {
    status = OSPolicy_PalProtectPages(&seals[i]);
  }
  if (status != OSPOLICY_OK) {
    OSBaremetal_TestFail(report, name, "relocate/seal: %s", OSPolicy_StatusName(status));
    return;
  }
  uint64_t entry = (uint64_t)(uintptr_t)base + plan.entry_offset;
  payload_fn fn;
  __builtin_memcpy(&fn, &entry, sizeof fn);
  long first = fn(5);
  long second = fn(-3);
  if (first != expected(5, 1) || second != expected(-3, 2)) {
    OSBaremetal_TestFail(report, name, "payload returned %ld and %ld, want %ld and %ld", first, second, expected(5, 1),
                         expected(-3, 2));
    return;
  }
  uint64_t before = kernel_fault.count;
  int faulted = kprobe_write8((volatile uint8_t *)(uintptr_t)entry, 0xC3);
  if (!faulted || kernel_fault.count != before + 1u || kernel_fault.vector != KERNEL_VECTOR_PF ||
      (kernel_fault.error_code & KERNEL_PF_WRITE) == 0u) {
    OSBaremetal_TestFail(report, name, "the payload's text accepted a write");
    return;
  }
  OSBaremetal_TestNote(report, "kernel: payload %lu bytes, %u ranges, %lu relocations, %lu seals; entry(5) = %ld",
                       (unsigned long)size, plan.range_count, (unsigned long)relocation.applied,
                       (unsigned long)count, first);
  OSBaremetal_TestPass(report, name);
}
