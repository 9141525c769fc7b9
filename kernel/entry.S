/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * Kernel entry. The loader arrives here with the kernel's page tables loaded,
 * interrupts off, RSP at the top of a 16-byte aligned RW+NX stack, and the
 * boot-info block's address in RDI (System V: the first argument).
 */
  .section .text.entry, "ax"
  .globl _start
  .type _start, @function
_start:
  cli
  xorl %ebp, %ebp
  andq $-16, %rsp
  call kernel_main
1:
  cli
  hlt
  jmp 1b
  .size _start, . - _start

  .section .note.GNU-stack, "", @progbits
