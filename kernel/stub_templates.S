/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * The three diagnostic stubs as position-independent machine code, assembled
 * into read-only data (never executed here): the kernel copies them through
 * the stub planners into fresh pages and runs them only after RW -> RX.
 *   COM1 writer        writes its own embedded marker line to the UART
 *                      (polling LSR.THRE, bounded) and returns its length;
 *   descriptor reader  returns the IDT base (sidt);
 *   fault probe        ud2: a controlled #UD.
 */
  .section .rodata.stub_templates, "a"

  .globl stub_com1_start, stub_com1_end
stub_com1_start:
  leaq 3f(%rip), %rsi
  movl $(4f - 3f), %ecx
1:
  movl $100000, %r8d
  movw $0x3FD, %dx
2:
  inb %dx, %al
  testb $0x20, %al
  jnz 5f
  decl %r8d
  jnz 2b
5:
  movw $0x3F8, %dx
  movb (%rsi), %al
  outb %al, %dx
  incq %rsi
  decl %ecx
  jnz 1b
  movl $(4f - 3f), %eax
  ret
3:
  .ascii "TEST_PASS kernel.stub_com1_writer\r\n"
4:
stub_com1_end:

  .globl stub_descriptor_start, stub_descriptor_end
stub_descriptor_start:
  subq $16, %rsp
  sidt (%rsp)
  movq 2(%rsp), %rax
  addq $16, %rsp
  ret
stub_descriptor_end:

  .globl stub_fault_start, stub_fault_end
stub_fault_start:
  ud2
stub_fault_end:

  .section .note.GNU-stack, "", @progbits
