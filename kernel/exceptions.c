/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * The C side of every exception (isr.S). A trap from ring 3 belongs to the
 * running agent (agent.c); a fault that a fixup was declared for (fixup.c:
 * the instruction, the vector, the error code and CPL 0 must all match) is
 * recorded in kernel_fault and resumed; every other exception is reported
 * with its reason and faulting address, then the kernel panics. #PF, #DF and NMI arrive on
 * their own IST stacks (cpu_tables.c), so a kernel stack overflow into the
 * guard page still reaches this code.
 */
#include "format.h"
#include "kernel.h"
#include "x86_cpu.h"

volatile KernelFault kernel_fault;

const char *kernel_vector_name(uint64_t vector) {
  static const char *const names[32] = {
      "#DE divide error", "#DB debug", "NMI", "#BP breakpoint", "#OF overflow", "#BR bound range",
      "#UD invalid opcode", "#NM device not available", "#DF double fault", "coprocessor segment overrun",
      "#TS invalid TSS", "#NP segment not present", "#SS stack fault", "#GP general protection",
      "#PF page fault", "reserved 15", "#MF x87 error", "#AC alignment check", "#MC machine check",
      "#XM SIMD error", "#VE virtualization", "#CP control protection", "reserved 22", "reserved 23",
      "reserved 24", "reserved 25", "reserved 26", "reserved 27", "#HV", "#VC", "#SX security", "reserved 31"};
  if (vector >= 32u && vector < KERNEL_IDT_VECTORS) {
    return vector == KERNEL_VECTOR_TIMER ? "timer IRQ" : "PIC IRQ";
  }
  return vector < 32u ? names[vector] : "unknown";
}

static const char *page_fault_reason(uint64_t error) {
  if ((error & KERNEL_PF_PRESENT) == 0u) {
    return (error & KERNEL_PF_FETCH) != 0u ? "fetch from a non-present page" : "access to a non-present page";
  }
  if ((error & KERNEL_PF_FETCH) != 0u) {
    return "instruction fetch from a non-executable (NX or SMEP) page";
  }
  if ((error & KERNEL_PF_WRITE) != 0u) {
    return "write to a read-only page";
  }
  return "read denied (SMAP or reserved bit)";
}

void kernel_exception(KernelExceptionFrame *frame) {
  uint64_t cr2 = frame->vector == KERNEL_VECTOR_PF ? osb_read_cr2() : 0u;
  uint64_t resume = 0;
  /* From ring 3: the agent's business (agent.c), never the kernel's. */
  if ((frame->cs & 3u) == 3u) {
    kernel_user_trap(frame, cr2);
    return;
  }
  if (kernel_user_return_fault(frame)) {
    return;
  }
  if (frame->vector >= KERNEL_VECTOR_TIMER && frame->vector < KERNEL_IDT_VECTORS) {
    /* Interrupts are off in ring 0, but one can be pending across the
     * switch back from ring 3's last instruction: acknowledge it. */
    (void)kernel_irq_acknowledge(frame->vector);
    return;
  }
  KernelFaultSite site = {frame->vector, frame->error_code, frame->rip, frame->cs, cr2};
  if (kernel_fixup_find(&site, &resume)) {
    kernel_fault.vector = frame->vector;
    kernel_fault.error_code = frame->error_code;
    kernel_fault.rip = frame->rip;
    kernel_fault.cr2 = cr2;
    kernel_fault.count = kernel_fault.count + 1u;
    frame->rip = resume;
    return;
  }
  char rip[40];
  char address[40];
  (void)kernel_describe_address(frame->rip, rip, sizeof rip);
  if (frame->vector == KERNEL_VECTOR_PF) {
    (void)kernel_describe_address(cr2, address, sizeof address);
    kernel_panic("unexpected %s at rip %s: %s at %s (error 0x%lx)", kernel_vector_name(frame->vector), rip,
                 page_fault_reason(frame->error_code), address, (unsigned long)frame->error_code);
  }
  kernel_panic("unexpected %s at rip %s (error 0x%lx)", kernel_vector_name(frame->vector), rip,
               (unsigned long)frame->error_code);
}

KernelFaultExpectation kernel_expect_write_fault(uint64_t address) {
  KernelFaultExpectation want = {KERNEL_VECTOR_PF, address, KERNEL_PF_PRESENT | KERNEL_PF_WRITE, KERNEL_PF_FETCH};
  return want;
}

KernelFaultExpectation kernel_expect_fetch_fault(uint64_t address) {
  KernelFaultExpectation want = {KERNEL_VECTOR_PF, address, KERNEL_PF_PRESENT | KERNEL_PF_FETCH, KERNEL_PF_WRITE};
  return want;
}

const char *kernel_check_fault(int faulted, uint64_t count_before, const KernelFaultExpectation *want, char *reason,
                               size_t capacity) {
  char got[40];
  char expected[40];
  if (!faulted || kernel_fault.count == count_before) {
    OSBaremetal_Format(reason, capacity, "no fault: the access succeeded");
    return reason;
  }
  if (kernel_fault.count != count_before + 1u) {
    OSBaremetal_Format(reason, capacity, "%lu faults where one was provoked",
                       (unsigned long)(kernel_fault.count - count_before));
    return reason;
  }
  if (kernel_fault.vector != want->vector) {
    OSBaremetal_Format(reason, capacity, "%s instead of %s", kernel_vector_name(kernel_fault.vector),
                       kernel_vector_name(want->vector));
    return reason;
  }
  if (want->vector == KERNEL_VECTOR_PF) {
    uint64_t error = kernel_fault.error_code;
    if (kernel_fault.cr2 != want->address || (error & want->set) != want->set || (error & want->clear) != 0u) {
      OSBaremetal_Format(reason, capacity, "CR2 %s (want %s), error 0x%lx (want bits 0x%lx set, 0x%lx clear)",
                         kernel_describe_address(kernel_fault.cr2, got, sizeof got),
                         kernel_describe_address(want->address, expected, sizeof expected), (unsigned long)error,
                         (unsigned long)want->set, (unsigned long)want->clear);
      return reason;
    }
  }
  int at_target = want->vector != KERNEL_VECTOR_PF || (want->set & KERNEL_PF_FETCH) != 0u;
  if (at_target && kernel_fault.rip != want->address) {
    OSBaremetal_Format(reason, capacity, "%s at RIP %s, want %s", kernel_vector_name(kernel_fault.vector),
                       kernel_describe_address(kernel_fault.rip, got, sizeof got),
                       kernel_describe_address(want->address, expected, sizeof expected));
    return reason;
  }
  return NULL;
}

int kernel_expect_fault(OSBaremetal_TestReport *report, const char *name, int faulted, uint64_t count_before,
                        KernelFaultExpectation want) {
  char reason[160];
  if (kernel_check_fault(faulted, count_before, &want, reason, sizeof reason) != NULL) {
    OSBaremetal_TestFail(report, name, "%s", reason);
    return 0;
  }
  return 1;
}
