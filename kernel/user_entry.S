/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * Ring 3 entry and exit (docs/kernel.md, "Agents"):
 *
 *   kernel_syscall_entry   LSTAR. SYSCALL left the user RIP in RCX, RFLAGS in
 *                          R11, RSP untouched, and SFMASK cleared IF, so
 *                          nothing can interrupt the next instructions. The
 *                          user RSP is parked in kernel_user_rsp, RSP moves
 *                          to the running agent's kernel stack (the same top
 *                          as TSS.RSP0), the FS base comes back to
 *                          kernel_percpu (the stack protector reads
 *                          %fs:0x28), and a KernelExceptionFrame is built
 *                          exactly as isr.S builds one, so one C structure
 *                          describes every way into the kernel.
 *   return                 SYSRETQ only when the RIP to return to is
 *                          canonical; otherwise IRETQ (CVE-2012-0217: on
 *                          Intel a SYSRET to a non-canonical RCX raises #GP
 *                          in ring 0 on the user's stack). An IRETQ to a
 *                          non-canonical RIP faults in ring 0 too, at the
 *                          IRETQ itself, on the kernel stack: exceptions.c
 *                          turns exactly that (#GP, error 0, CPL 0, RIP one
 *                          of the two IRETQs below) into the agent's death.
 *   kernel_iret_to_user    the first entry and every resume after a yield
 *                          or a preemption: pops a frame and IRETQs.
 *   kernel_sched_save /    the scheduler's context (callee-saved registers,
 *   kernel_sched_resume    RSP, return address): a trap that ends an agent's
 *                          turn abandons its kernel stack and resumes the
 *                          scheduler, which runs on the boot stack.
 *   kernel_copy_user       the only code that touches user memory: STAC, a
 *                          byte loop whose load and store each declare a
 *                          fixup (__ex_table), CLAC.
 *
 * SWAPGS: this kernel never reads GS, so it never executes SWAPGS and the
 * agent's GS base is left as the agent made it. On more than one CPU the
 * per-CPU pointer below (kernel_user_rsp, kernel_syscall_stack) would have
 * to come from GS after a SWAPGS, and every entry from ring 3 would need
 * the matching SWAPGS (Linux's entry_SYSCALL_64); with one CPU a global is
 * exact.
 */
#include "frame_macros.h"

  .text

/* __ex_table entries of kind 2 (KERNEL_FIXUP_USER_COPY, fixup.c): only a
 * #PF at CPL 0, supervisor access, no reserved bit, CR2 in the user half. */
.macro EXTABLE fault, resume
  .pushsection __ex_table, "a"
  .balign 4
  .long \fault - .
  .long \resume - .
  .long 2
  .popsection
.endm

/* Offsets in KernelExceptionFrame (kernel.h). */
#define FRAME_RIP 136
#define FRAME_RFLAGS 152
#define FRAME_RSP 160

/* STAC/CLAC are #UD without SMAP (-cpu qemu64): kernel_smap_enabled says
 * whether CR4.SMAP is on (set once by agent.c, read-only in spirit). */
.macro STAC_IF_SMAP
  testb $1, kernel_smap_enabled(%rip)
  jz 9f
  stac
9:
.endm
.macro CLAC_IF_SMAP
  testb $1, kernel_smap_enabled(%rip)
  jz 9f
  clac
9:
.endm

  .globl kernel_syscall_entry
  .type kernel_syscall_entry, @function
kernel_syscall_entry:
  movq %rsp, kernel_user_rsp(%rip)
  movq kernel_syscall_stack(%rip), %rsp
  pushq $0x1B                    /* SS: user data */
  pushq kernel_user_rsp(%rip)    /* RSP */
  pushq %r11                     /* RFLAGS */
  pushq $0x23                    /* CS: user code */
  pushq %rcx                     /* RIP */
  pushq $0                       /* error code */
  pushq $0x100                   /* vector: KERNEL_VECTOR_SYSCALL */
  PUSH_GENERAL
  cld
  RESTORE_FS_BASE
  movq %rsp, %rdi
  call kernel_syscall
  /* Back to the same agent: canonical RIP -> SYSRETQ, else IRETQ. */
  movq FRAME_RIP(%rsp), %rcx
  movq %rcx, %r11
  shlq $16, %r11
  sarq $16, %r11
  cmpq %rcx, %r11
  jne 1f
  POP_GENERAL
  movq 16(%rsp), %rcx            /* RIP */
  movq 32(%rsp), %r11            /* RFLAGS */
  movq 40(%rsp), %rsp            /* user RSP: no kernel access after this */
  sysretq
1:
  incq kernel_syscall_iret_returns(%rip)
  POP_GENERAL
  addq $16, %rsp
  .globl kernel_syscall_iretq
kernel_syscall_iretq:
  iretq
  .size kernel_syscall_entry, . - kernel_syscall_entry

/* void kernel_iret_to_user(const KernelExceptionFrame *frame): RSP = frame
 * (on the agent's kernel stack), pop, IRETQ. */
  .globl kernel_iret_to_user
  .type kernel_iret_to_user, @function
kernel_iret_to_user:
  movq %rdi, %rsp
  POP_GENERAL
  addq $16, %rsp
  .globl kernel_enter_iretq
kernel_enter_iretq:
  iretq
  .size kernel_iret_to_user, . - kernel_iret_to_user

/* int kernel_sched_save(KernelSchedContext *c): 0 now, 1 when resumed. */
  .globl kernel_sched_save
  .type kernel_sched_save, @function
kernel_sched_save:
  movq (%rsp), %rax
  movq %rax, 0(%rdi)             /* return address */
  leaq 8(%rsp), %rax
  movq %rax, 8(%rdi)             /* RSP after the return */
  movq %rbx, 16(%rdi)
  movq %rbp, 24(%rdi)
  movq %r12, 32(%rdi)
  movq %r13, 40(%rdi)
  movq %r14, 48(%rdi)
  movq %r15, 56(%rdi)
  xorl %eax, %eax
  ret
  .size kernel_sched_save, . - kernel_sched_save

  .globl kernel_sched_resume
  .type kernel_sched_resume, @function
kernel_sched_resume:
  movq 8(%rdi), %rsp
  movq 16(%rdi), %rbx
  movq 24(%rdi), %rbp
  movq 32(%rdi), %r12
  movq 40(%rdi), %r13
  movq 48(%rdi), %r14
  movq 56(%rdi), %r15
  movl $1, %eax
  jmp *0(%rdi)
  .size kernel_sched_resume, . - kernel_sched_resume

/* size_t kernel_copy_user(void *to, const void *from, size_t n): bytes NOT
 * copied (0: all). The caller has checked that the user side lies below the
 * user limit (agent.c); a fault on either access resumes at 3 with the
 * count left. */
  .globl kernel_copy_user
  .type kernel_copy_user, @function
kernel_copy_user:
  movq %rdx, %rcx
  STAC_IF_SMAP
  testq %rcx, %rcx
  jz 2f
1:
  .globl kernel_copy_user_load
kernel_copy_user_load:
  movb (%rsi), %al
4:
  movb %al, (%rdi)
  incq %rsi
  incq %rdi
  decq %rcx
  jnz 1b
2:
  CLAC_IF_SMAP
  movq %rcx, %rax
  ret
3:
  CLAC_IF_SMAP
  movq %rcx, %rax
  ret
  EXTABLE 1b, 3b
  EXTABLE 4b, 3b
  .size kernel_copy_user, . - kernel_copy_user

/* size_t kernel_zero_user(void *to, size_t n): bytes NOT zeroed. */
  .globl kernel_zero_user
  .type kernel_zero_user, @function
kernel_zero_user:
  movq %rsi, %rcx
  STAC_IF_SMAP
  testq %rcx, %rcx
  jz 2f
1:
  movb $0, (%rdi)
  incq %rdi
  decq %rcx
  jnz 1b
2:
  CLAC_IF_SMAP
  movq %rcx, %rax
  ret
3:
  CLAC_IF_SMAP
  movq %rcx, %rax
  ret
  EXTABLE 1b, 3b
  .size kernel_zero_user, . - kernel_zero_user

  .section .note.GNU-stack, "", @progbits
