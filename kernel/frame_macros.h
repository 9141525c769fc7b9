/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * Assembler macros for the one way the kernel saves a trapped context: the
 * general-register half of KernelExceptionFrame (kernel.h), pushed in this
 * order by every entry (isr.S for exceptions and IRQs, user_entry.S for
 * SYSCALL) and popped in reverse, so one C structure describes them all.
 * Included by .S files only.
 */
#ifndef KERNEL_FRAME_MACROS_H
#define KERNEL_FRAME_MACROS_H

#ifndef __ASSEMBLER__
#error "frame_macros.h is for assembler sources"
#endif

.macro PUSH_GENERAL
  pushq %rax
  pushq %rbx
  pushq %rcx
  pushq %rdx
  pushq %rsi
  pushq %rdi
  pushq %rbp
  pushq %r8
  pushq %r9
  pushq %r10
  pushq %r11
  pushq %r12
  pushq %r13
  pushq %r14
  pushq %r15
.endm

.macro POP_GENERAL
  popq %r15
  popq %r14
  popq %r13
  popq %r12
  popq %r11
  popq %r10
  popq %r9
  popq %r8
  popq %rbp
  popq %rdi
  popq %rsi
  popq %rdx
  popq %rcx
  popq %rbx
  popq %rax
.endm

/* FS base back to kernel_percpu (the stack protector and libsodium read
 * %fs:0x28). Clobbers RAX, RCX, RDX: call it with the registers saved. */
.macro RESTORE_FS_BASE
  movl $0xC0000100, %ecx
  leaq kernel_percpu(%rip), %rax
  movq %rax, %rdx
  shrq $32, %rdx
  wrmsr
.endm

#endif /* KERNEL_FRAME_MACROS_H */
