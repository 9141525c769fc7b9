/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * A native payload in kernel space: tests/payload/native_payload.c (a
 * static-pie ELF the build makes, embedded by blobs.S) is mapped by
 * kernel_map_payload (payload.c: the mapping and executable-memory plans,
 * fresh RW pages from OSHost_AllocatePages, relocated for that address,
 * sealed range by range, text RX, RELRO and rodata R, data RW), and called.
 * Its result depends on relocated function and data pointers, so an
 * unrelocated or mis-protected load cannot produce it; then its text must
 * refuse a write.
 */
#include "kernel.h"

long kernel_payload_expected(long x, long call) {
  return ((x + 13) * 7 - 11) * 100 + call;
}

void kernel_selftest_payload(OSBaremetal_TestReport *report) {
  const char *name = "kernel.native_payload";
  OSBaremetal_TestStart(report, name);
  static KernelPayload payload;
  size_t size = (size_t)(kernel_payload_end - kernel_payload_start);
  OSPolicy_Status status = kernel_map_payload(kernel_payload_start, size, &payload);
  if (status != OSPOLICY_OK) {
    OSBaremetal_TestFail(report, name, "%s of the %lu-byte ELF: %s", kernel_step_name(payload.step), (unsigned long)size,
                         OSBaremetal_StatusName(status));
    return;
  }
  uint64_t entry = payload.entry;
  long first = kernel_call_payload(&payload, 5);
  long second = kernel_call_payload(&payload, -3);
  if (first != kernel_payload_expected(5, 1) || second != kernel_payload_expected(-3, 2)) {
    OSBaremetal_TestFail(report, name, "payload returned %ld and %ld, want %ld and %ld", first, second,
                         kernel_payload_expected(5, 1), kernel_payload_expected(-3, 2));
    return;
  }
  uint64_t before = kernel_fault.count;
  uint8_t old = *(const volatile uint8_t *)(uintptr_t)entry;
  int faulted = kprobe_write8((volatile uint8_t *)(uintptr_t)entry, (uint8_t)(old ^ 0xFFu));
  if (!kernel_expect_fault(report, name, faulted, before, kernel_expect_write_fault(entry))) {
    return; /* the reason names the payload's text write */
  }
  if (*(const volatile uint8_t *)(uintptr_t)entry != old) {
    OSBaremetal_TestFail(report, name, "the payload's text changed");
    return;
  }
  OSBaremetal_TestNote(report, "kernel: payload %lu bytes, %u ranges, %lu relocations, %lu seals; entry(5) = %ld",
                       (unsigned long)size, payload.plan.range_count, (unsigned long)payload.relocation.applied,
                       (unsigned long)payload.seal_count, first);
  OSBaremetal_TestPass(report, name);
}
