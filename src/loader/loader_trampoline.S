/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * The hand-off, copied by the loader into its own page, sealed RX in the
 * firmware's tables and identity-mapped RX in the kernel's, so the
 * instruction after the CR3 write is still mapped. Position independent.
 * System V arguments: rdi = boot info (passed on to the kernel), rsi = kernel
 * entry, rdx = kernel stack top, rcx = new CR3. Never returns.
 */
  .text
  .globl loader_trampoline_start
  .globl loader_trampoline_end
loader_trampoline_start:
  cli
  movq %rcx, %cr3
  movq %rdx, %rsp
  xorl %ebp, %ebp
  jmp *%rsi
loader_trampoline_end:

  .section .note.GNU-stack, "", @progbits
