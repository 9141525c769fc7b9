/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * The stub lifecycle, end to end on the kernel's tables: plan the memory,
 * plan the bundle, materialize into fresh RW pages from OSHost_AllocatePages,
 * seal RW -> RX through OSPolicy_PalProtectPages (the checked wrapper around
 * OSHost_ProtectPages), run the three stubs, then prove the seal: a write to
 * the stub page faults and a forged RWX plan never reaches the tables.
 * Also the KASLR report (debug: the slide; release: nothing).
 */
#include "kernel.h"
#include "kernel_layout.h"
#include "oshost_baremetal.h"
#include "ospolicy/pal.h"
#include "ospolicy/stub_transition.h"

extern const uint8_t stub_com1_start[], stub_com1_end[];
extern const uint8_t stub_descriptor_start[], stub_descriptor_end[];
extern const uint8_t stub_fault_start[], stub_fault_end[];

/* The COM1 stub's own line, "TEST_PASS kernel.stub_com1_writer\r\n". */
#define COM1_MESSAGE_LENGTH 35

typedef struct stubs {
  void *pages;
  OSPolicy_StubMemoryPlan memory;
  OSPolicy_StubBundlePlan bundle;
  OSPolicy_StubMaterializeResult materialized;
  OSPolicy_StubTransitionPlan transition;
} stubs;

static size_t length_of(const uint8_t *start, const uint8_t *end) {
  return (size_t)(end - start);
}

static OSPolicy_Status build(stubs *s) {
  OSPolicy_StubSlotRequest slots[] = {
      {OSPOLICY_STUB_SLOT_FAULT_PROBE, length_of(stub_fault_start, stub_fault_end)},
      {OSPOLICY_STUB_SLOT_COM1_WRITER, length_of(stub_com1_start, stub_com1_end)},
      {OSPOLICY_STUB_SLOT_DESCRIPTOR_READER, length_of(stub_descriptor_start, stub_descriptor_end)}};
  OSPolicy_StubBundleRequest bundle_request = {slots, 3};
  size_t required = 0;
  size_t page_size = 0;
  size_t page_count = 0;
  OSPolicy_Status status = OSPolicy_MeasureStubBundle(&bundle_request, &required);
  if (status == OSPOLICY_OK) {
    status = OSPolicy_PalGetPageSize(&page_size);
  }
  OSPolicy_StubMemoryRequest memory_request = {.page_size = page_size,
                                               .payload_offset = 0,
                                               .payload_size = required,
                                               .write_protection = OSPOLICY_PROT_RW,
                                               .run_protection = OSPOLICY_PROT_RX};
  if (status == OSPOLICY_OK) {
    status = OSPolicy_MeasureStubMemory(&memory_request, &page_count);
  }
  if (status == OSPOLICY_OK) {
    status = OSPolicy_PalAllocatePages(page_count, &s->pages);
  }
  if (status != OSPOLICY_OK) {
    return status;
  }
  memory_request.base = (uintptr_t)s->pages;
  status = OSPolicy_PlanStubMemory(&memory_request, &s->memory);
  if (status == OSPOLICY_OK) {
    status = OSPolicy_PlanStubBundle(&s->memory, &bundle_request, &s->bundle);
  }
  OSPolicy_StubSource sources[] = {
      {OSPOLICY_STUB_SLOT_COM1_WRITER, stub_com1_start, length_of(stub_com1_start, stub_com1_end)},
      {OSPOLICY_STUB_SLOT_DESCRIPTOR_READER, stub_descriptor_start, length_of(stub_descriptor_start, stub_descriptor_end)},
      {OSPOLICY_STUB_SLOT_FAULT_PROBE, stub_fault_start, length_of(stub_fault_start, stub_fault_end)}};
  OSPolicy_StubMaterializeRequest materialize = {.bundle = &s->bundle,
                                                 .sources = sources,
                                                 .source_count = 3,
                                                 .destination = s->pages,
                                                 .destination_size = s->memory.total_size,
                                                 .payload_base_offset = s->memory.payload_offset};
  if (status == OSPOLICY_OK) {
    status = OSPolicy_MaterializeStubBundle(&materialize, &s->materialized);
  }
  OSPolicy_StubTransitionRequest transition = {.memory = &s->memory,
                                               .materialized = &s->materialized,
                                               .base = s->memory.base,
                                               .size = s->memory.total_size,
                                               .from = OSPOLICY_PROT_RW,
                                               .to = OSPOLICY_PROT_RX};
  if (status == OSPOLICY_OK) {
    status = OSPolicy_PlanStubTransition(&transition, &s->transition);
  }
  return status;
}

static uint64_t slot_address(const stubs *s, uint32_t id) {
  OSPolicy_StubSlotPlan slot;
  if (OSPolicy_FindStubSlot(&s->bundle, id, &slot) != OSPOLICY_OK) {
    kernel_panic("stub slot %u missing from an OK bundle plan", id);
  }
  return (uint64_t)(s->materialized.payload_address + slot.offset);
}

typedef uint64_t (*stub_fn)(void);

static stub_fn as_fn(uint64_t address) {
  stub_fn fn;
  __builtin_memcpy(&fn, &address, sizeof fn);
  return fn;
}

void kernel_selftest_stubs(OSBaremetal_TestReport *report) {
  static stubs s;
  const char *sealed = "kernel.stub_sealed";
  OSBaremetal_TestStart(report, sealed);
  OSPolicy_Status status = build(&s);
  if (status != OSPOLICY_OK) {
    OSBaremetal_TestFail(report, sealed, "plan/materialize: %s", OSBaremetal_StatusName(status));
    return;
  }
  uint64_t descriptor = slot_address(&s, OSPOLICY_STUB_SLOT_DESCRIPTOR_READER);
  /* Still RW: the materialized code must not run yet. */
  uint64_t before = kernel_fault.count;
  int ran_early = !kernel_probe_exec(descriptor);
  /* What the fault said, kept before the next fault can replace it: #PF at
   * the stub (CR2 = RIP = its address), present, instruction fetch. */
  KernelFaultExpectation early = kernel_expect_fetch_fault(descriptor);
  char early_reason[160];
  const char *early_wrong = ran_early ? NULL : kernel_check_fault(1, before, &early, early_reason, sizeof early_reason);
  /* A forged plan (RWX) is refused by the backend before any entry changes. */
  OSPolicy_PageProtectionPlan forged = s.transition.protection;
  forged.to = OSPOLICY_PROT_ALL;
  uint64_t edits = OSHostBaremetal_ProtectCallCount();
  OSHost_Status forged_answer =
      OSHost_ProtectPages((void *)forged.base, forged.size, forged.from, forged.to);
  status = OSPolicy_PalProtectPages(&s.transition.protection);
  if (status == OSPOLICY_OK) {
    status = OSPolicy_PalFlushInstructionCache((const void *)s.materialized.payload_address,
                                               s.materialized.payload_size);
  }
  OSBaremetal_PageInfo info;
  if (OSBaremetal_QueryPage(&kernel_memory.live, s.memory.base, &info) != OSPOLICY_OK) {
    info.prot = 0;
  }
  if (ran_early) {
    OSBaremetal_TestFail(report, sealed, "materialized stub ran while its page was RW");
    return;
  }
  if (early_wrong != NULL) {
    OSBaremetal_TestFail(report, sealed, "running the RW stub: %s", early_wrong);
    return;
  }
  if (forged_answer != OSHOST_ERR_DENIED || OSHostBaremetal_ProtectCallCount() != edits + 1u) {
    OSBaremetal_TestFail(report, sealed, "forged RWX plan: %s", OSPolicy_HostStatusName(forged_answer));
    return;
  }
  if (status != OSPOLICY_OK || info.prot != OSPOLICY_PROT_RX) {
    OSBaremetal_TestFail(report, sealed, "RW -> RX: %s, page prot 0x%x", OSBaremetal_StatusName(status), info.prot);
    return;
  }
  OSBaremetal_TestNote(report, "kernel: %lu stub page(s) sealed RX: RW run faulted first, forged RWX plan denied",
                       (unsigned long)s.memory.page_count);
  OSBaremetal_TestPass(report, sealed);

  /* The COM1 stub prints its own TEST_PASS line; the kernel counts it only
   * after checking what the stub returned. */
  const char *com1 = "kernel.stub_com1_writer";
  OSBaremetal_TestStart(report, com1);
  uint64_t written = as_fn(slot_address(&s, OSPOLICY_STUB_SLOT_COM1_WRITER))();
  if (written != COM1_MESSAGE_LENGTH) {
    OSBaremetal_TestFail(report, com1, "stub returned %lu, want %u", (unsigned long)written, COM1_MESSAGE_LENGTH);
  } else {
    OSBaremetal_TestCountPass(report);
  }

  const char *reader = "kernel.stub_descriptor_reader";
  OSBaremetal_TestStart(report, reader);
  uint64_t idt = as_fn(descriptor)();
  if (idt != kernel_idt_base()) {
    char got[40];
    char want[40];
    OSBaremetal_TestFail(report, reader, "stub read IDT base %s, kernel installed %s",
                         kernel_describe_address(idt, got, sizeof got),
                         kernel_describe_address(kernel_idt_base(), want, sizeof want));
  } else {
    OSBaremetal_TestPass(report, reader);
  }

  const char *fault = "kernel.stub_fault_probe";
  OSBaremetal_TestStart(report, fault);
  uint64_t probe = slot_address(&s, OSPOLICY_STUB_SLOT_FAULT_PROBE);
  before = kernel_fault.count;
  int faulted = kernel_probe_exec(probe);
  /* #UD at the stub's own address (RIP = probe). */
  if (kernel_expect_fault(report, fault, faulted, before, (KernelFaultExpectation){KERNEL_VECTOR_UD, probe, 0u, 0u})) {
    OSBaremetal_TestPass(report, fault);
  }

  const char *write = "kernel.stub_write_after_seal";
  OSBaremetal_TestStart(report, write);
  volatile uint8_t *target = (volatile uint8_t *)(uintptr_t)slot_address(&s, OSPOLICY_STUB_SLOT_COM1_WRITER);
  uint8_t old = *target;
  before = kernel_fault.count;
  faulted = kprobe_write8(target, 0xCC);
  if (!kernel_expect_fault(report, write, faulted, before, kernel_expect_write_fault((uint64_t)(uintptr_t)target))) {
    return;
  }
  if (*target != old) {
    OSBaremetal_TestFail(report, write, "the sealed stub's byte changed");
  } else {
    OSBaremetal_TestPass(report, write);
  }
}

void kernel_selftest_kaslr(OSBaremetal_TestReport *report, const OSPolicy_BootInfo *info) {
  uint64_t start = (uint64_t)(uintptr_t)__kernel_start;
  if (kernel_is_release()) {
    const char *name = "kernel.kaslr_redacted";
    OSBaremetal_TestStart(report, name);
    /* The release console redacts; this checks the reason it must. */
    if ((info->flags & OSPOLICY_BOOT_INFO_FLAG_KASLR) == 0u || start != info->kaslr_window_base + info->kernel_slide) {
      OSBaremetal_TestFail(report, name, "KASLR not in effect (flags 0x%x)", info->flags);
    } else {
      OSBaremetal_TestNote(report, "kernel: KASLR active, %lu slots; slide and addresses not reported (release build)",
                           (unsigned long)info->kaslr_slots);
      OSBaremetal_TestPass(report, name);
    }
    return;
  }
  const char *name = "kernel.kaslr_reported";
  OSBaremetal_TestStart(report, name);
  if ((info->flags & OSPOLICY_BOOT_INFO_FLAG_KASLR) == 0u || start != info->kaslr_window_base + info->kernel_slide) {
    OSBaremetal_TestFail(report, name, "KASLR not in effect (flags 0x%x)", info->flags);
    return;
  }
  /* The line the boot tests collect across boots (tests/boot/kernel_log_check.py slides). */
  OSBaremetal_TestNote(report, "kernel: KASLR slide 0x%lx (debug build), base 0x%016lx, %lu slots",
                       (unsigned long)info->kernel_slide, (unsigned long)start, (unsigned long)info->kaslr_slots);
  OSBaremetal_TestPass(report, name);
}
