/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * Exception and IRQ entry points for vectors 0..47. Each pushes a zero error code
 * when the CPU pushes none, then its vector number, and joins isr_common,
 * which saves the general registers into a KernelExceptionFrame
 * (kernel/exceptions.h), calls kernel_exception(frame) and returns with
 * iretq to whatever RIP the handler left in the frame (a fixup's resume
 * point). The frame is 176 bytes, a multiple of 16, so the C handler runs on
 * a 16-byte aligned stack (the CPU aligns RSP before pushing in long mode).
 */
#include "frame_macros.h"

  .text

.macro ISR_NOERR n
  .balign 16
isr_\n:
  pushq $0
  pushq $\n
  jmp isr_common
.endm

.macro ISR_ERR n
  .balign 16
isr_\n:
  pushq $\n
  jmp isr_common
.endm

ISR_NOERR 0
ISR_NOERR 1
ISR_NOERR 2
ISR_NOERR 3
ISR_NOERR 4
ISR_NOERR 5
ISR_NOERR 6
ISR_NOERR 7
ISR_ERR 8
ISR_NOERR 9
ISR_ERR 10
ISR_ERR 11
ISR_ERR 12
ISR_ERR 13
ISR_ERR 14
ISR_NOERR 15
ISR_NOERR 16
ISR_ERR 17
ISR_NOERR 18
ISR_NOERR 19
ISR_NOERR 20
ISR_ERR 21
ISR_NOERR 22
ISR_NOERR 23
ISR_NOERR 24
ISR_NOERR 25
ISR_NOERR 26
ISR_NOERR 27
ISR_NOERR 28
ISR_ERR 29
ISR_ERR 30
ISR_NOERR 31
/* The legacy PIC's IRQs 0..15 (timer.c remaps them to 32..47). */
.irp n, 32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47
ISR_NOERR \n
.endr

isr_common:
  PUSH_GENERAL
  cld
  /* From ring 3 (CS RPL 3 in the CPU's frame): the FS base may be whatever
   * the agent made it (loading a selector into FS rewrites it), and the
   * stack protector reads %fs:0x28, so the kernel's FS base comes back
   * before any C runs. The registers are saved, so RAX/RCX/RDX are free. */
  testb $3, 144(%rsp)
  jz 1f
  RESTORE_FS_BASE
1:
  movq %rsp, %rdi
  call kernel_exception
  POP_GENERAL
  addq $16, %rsp
  iretq

/* Absolute addresses: R_X86_64_RELATIVE entries the loader applies. The
 * section is .data.rel.ro.*, which kernel.ld places in PT_GNU_RELRO: written
 * only by the loader's relocation pass, then mapped R+NX
 * (kernel.probe_write_relro). Never in text or rodata (-z text). */
  .section .data.rel.ro.isr_table, "aw"
  .balign 8
  .globl kernel_isr_table
kernel_isr_table:
  .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47
  .quad isr_\n
  .endr

  .section .note.GNU-stack, "", @progbits
