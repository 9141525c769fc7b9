/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * The C side of every exception (isr.S). #PF, #UD and #GP at an instruction
 * with a fixup are recorded in kernel_fault and resumed; every other
 * exception (and these three without a fixup) is reported with its reason
 * and faulting address, then the kernel panics. #PF, #DF and NMI arrive on
 * their own IST stacks (cpu_tables.c), so a kernel stack overflow into the
 * guard page still reaches this code.
 */
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
  if ((frame->vector == KERNEL_VECTOR_PF || frame->vector == KERNEL_VECTOR_UD ||
       frame->vector == KERNEL_VECTOR_GP) &&
      kernel_fixup_find(frame->rip, &resume)) {
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
