/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * Fault probes (kernel/probes.h). Each returns 0 if the access completed and
 * 1 if it faulted and the exception handler resumed it through a fixup:
 *   kprobe_write8 / kprobe_read8: the access instruction has a static
 *     __ex_table entry pointing at its "faulted" exit;
 *   kprobe_exec: jumps (does not call) to the target, so a target that runs
 *     returns straight to our caller with its own result (0), and a target
 *     that faults has RIP == target: the caller registers a dynamic fixup
 *     target -> kprobe_exec_resume, which returns 1 on the unchanged stack.
 */
  .text

/* An __ex_table entry (fixup.c): faulting instruction, resume point, kind.
 * Kind 1 (KERNEL_FIXUP_PROBE): a #PF at CPL 0 with no reserved bit. */
.macro EXTABLE fault, resume
  .pushsection __ex_table, "a"
  .balign 4
  .long \fault - .
  .long \resume - .
  .long 1
  .popsection
.endm

  .globl kprobe_write8
  .type kprobe_write8, @function
kprobe_write8:
1:
  movb %sil, (%rdi)
  xorl %eax, %eax
  ret
2:
  movl $1, %eax
  ret
  EXTABLE 1b, 2b
  .size kprobe_write8, . - kprobe_write8

  .globl kprobe_read8
  .type kprobe_read8, @function
kprobe_read8:
1:
  movzbl (%rdi), %ecx
  xorl %eax, %eax
  ret
2:
  movl $1, %eax
  ret
  EXTABLE 1b, 2b
  .size kprobe_read8, . - kprobe_read8

  .globl kprobe_exec
  .type kprobe_exec, @function
kprobe_exec:
  jmp *%rdi
  .size kprobe_exec, . - kprobe_exec

  .globl kprobe_exec_resume
  .type kprobe_exec_resume, @function
kprobe_exec_resume:
  movl $1, %eax
  ret
  .size kprobe_exec_resume, . - kprobe_exec_resume

  .section .note.GNU-stack, "", @progbits
