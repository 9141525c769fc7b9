/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * What the kernel's components share (docs/kernel.md): the exception frame
 * and fault record, fixups, probes, the CPU tables, memory, console and
 * panic, entropy. One header: the kernel is small and these are its seams.
 */
#ifndef OSPOLICY_KERNEL_H
#define OSPOLICY_KERNEL_H

#include <stddef.h>
#include <stdint.h>

#include "ospolicy/boot_info.h"
#include "ospolicy/status.h"
#include "page_table.h"
#include "test_report.h"

/* ---- Exceptions (exceptions.c, isr.S) ---------------------------------- */
typedef struct KernelExceptionFrame {
  uint64_t r15, r14, r13, r12, r11, r10, r9, r8, rbp, rdi, rsi, rdx, rcx, rbx, rax;
  uint64_t vector, error_code;
  uint64_t rip, cs, rflags, rsp, ss; /* pushed by the CPU */
} KernelExceptionFrame;

#define KERNEL_VECTOR_NMI 2u
#define KERNEL_VECTOR_BP 3u
#define KERNEL_VECTOR_UD 6u
#define KERNEL_VECTOR_DF 8u
#define KERNEL_VECTOR_GP 13u
#define KERNEL_VECTOR_PF 14u
/* #PF error code bits (Intel SDM vol. 3, 4.7). */
#define KERNEL_PF_PRESENT 0x1u
#define KERNEL_PF_WRITE 0x2u
#define KERNEL_PF_USER 0x4u
#define KERNEL_PF_FETCH 0x10u /* I/D: instruction fetch */

/* The last fault a fixup resumed from; `count` grows by one per fixup. */
typedef struct KernelFault {
  uint64_t count;
  uint64_t vector;
  uint64_t error_code;
  uint64_t rip;
  uint64_t cr2;
} KernelFault;
extern volatile KernelFault kernel_fault;

void kernel_exception(KernelExceptionFrame *frame);
const char *kernel_vector_name(uint64_t vector);

/* ---- Fixups (fixup.c) ----------------------------------------------------- */
/* Static entries come from __ex_table (probes.S); dynamic ones are for
 * faults whose RIP is only known at run time (a jump target). */
#define KERNEL_DYNAMIC_FIXUPS 8u
int kernel_fixup_find(uint64_t fault_rip, uint64_t *resume_rip);
int kernel_fixup_add(uint64_t fault_rip, uint64_t resume_rip);
void kernel_fixup_remove(uint64_t fault_rip);
uint32_t kernel_fixup_static_count(void);

/* ---- Probes (probes.S) ------------------------------------------------------ */
int kprobe_write8(volatile void *address, uint8_t value);
int kprobe_read8(const volatile void *address);
int kprobe_exec(uint64_t target);
void kprobe_exec_resume(void);
/* Jumps to `target` with a fixup registered for a fault at it: 1 if it faulted. */
int kernel_probe_exec(uint64_t target);

/* ---- CPU tables (cpu_tables.c) ---------------------------------------------- */
#define KERNEL_IST_DF 1u
#define KERNEL_IST_NMI 2u
#define KERNEL_IST_PF 3u
/* Loads the GDT (code, data, TSS), the TSS with the three IST stacks (tops),
 * and the IDT for vectors 0..31. */
void kernel_cpu_tables_init(const uint64_t ist_top[3]);
uint64_t kernel_idt_base(void);
uint64_t kernel_tss_ist(unsigned ist);

/* ---- Memory (kmem.c) ------------------------------------------------------- */
#define KERNEL_HEAP_BASE ((uint64_t)0xffffc88000000000)   /* one 2 MiB page, RW+NX */
#define KERNEL_WINDOW_BASE ((uint64_t)0xffffc90000000000) /* OSHost_AllocatePages */
#define KERNEL_WINDOW_SIZE ((uint64_t)1 << 30)
#define KERNEL_USER_PROBE_BASE ((uint64_t)0x0000000040000000) /* SMEP/SMAP probe pages */
#define KERNEL_TABLE_POOL_PAGES 64u

typedef struct KernelMemory {
  OSBaremetal_PageTable live;    /* the kernel's own tables, in CR3 */
  uint64_t pool_physical;        /* page-table pool (.bss), physically contiguous */
  uint32_t pool_used;
  uint64_t heap_physical;
  uint64_t heap_used;            /* bytes handed out by kernel_heap_alloc */
  uint64_t frames_allocated;     /* 4 KiB frames taken from conventional memory */
  uint64_t frame_next;           /* next free frame in the current descriptor */
  uint64_t frame_end;
  uint64_t descriptor;           /* index of the current descriptor */
  const OSPolicy_BootInfo *info;
} KernelMemory;
extern KernelMemory kernel_memory;

/* Builds the kernel's own tables from the loader's (same frames, same
 * protections, no loader trampoline or table pool, NULL page unmapped), adds
 * the heap's 2 MiB page, and loads them into CR3. */
OSPolicy_Status kernel_memory_init(const OSPolicy_BootInfo *info, OSBaremetal_TestReport *report);
OSPolicy_Status kernel_allocate_frames(void *context, uint64_t pages, uint64_t *physical);
void *kernel_heap_alloc(uint64_t bytes); /* 16-byte aligned, never freed */
void kernel_flush_page(void *context, uint64_t address);
void kernel_flush_all(void *context);

/* ---- Console, redaction and panic (console.c) ------------------------------- */
void kernel_write_line(void *context, const char *line);
void kernel_console_init(OSBaremetal_TestReport *report);
OSBaremetal_TestReport *kernel_report(void);
/* Writes an address for a log line: "kernel+0x1234" inside the image,
 * raw hex in debug builds, "<redacted>" in release builds otherwise. */
const char *kernel_describe_address(uint64_t address, char *buffer, size_t capacity);
__attribute__((noreturn)) void kernel_panic(const char *format, ...) __attribute__((format(printf, 1, 2)));
__attribute__((noreturn)) void kernel_panic_callback(void *context, const char *message);
int kernel_is_release(void);

/* ---- Entropy, canary (entropy.c) ---------------------------------------------- */
/* FS base block: the stack protector reads the canary at %fs:0x28. */
typedef struct KernelPerCpu {
  uint8_t reserved[0x28];
  uint64_t stack_canary;
} KernelPerCpu;
extern KernelPerCpu kernel_percpu;
void kernel_install_fs_base(void);
/* Continues the loader's pool (+ RDRAND, jitter); reports kernel.entropy_*. */
void kernel_entropy_init(OSBaremetal_TestReport *report, OSPolicy_BootInfo *info);
/* A canary word from the pool, or 0 when none could be made (reported). */
uint64_t kernel_make_canary(OSBaremetal_TestReport *report);
void kernel_check_canary(OSBaremetal_TestReport *report);
void kernel_check_firmware_rng_denied(OSBaremetal_TestReport *report);

/* ---- Self-tests ----------------------------------------------------------- */
void kernel_selftest_faults(OSBaremetal_TestReport *report);     /* selftest_faults.c */
void kernel_selftest_cpu(OSBaremetal_TestReport *report);        /* selftest_faults.c */
void kernel_selftest_wx_audit(OSBaremetal_TestReport *report);   /* selftest_faults.c */
void kernel_selftest_split(OSBaremetal_TestReport *report);      /* selftest_faults.c */
void kernel_selftest_stubs(OSBaremetal_TestReport *report);      /* selftest_stubs.c */
void kernel_selftest_payload(OSBaremetal_TestReport *report);    /* selftest_payload.c */
void kernel_selftest_manifest(OSBaremetal_TestReport *report);   /* selftest_manifest.c */
void kernel_selftest_kaslr(OSBaremetal_TestReport *report, const OSPolicy_BootInfo *info); /* selftest_stubs.c */

#endif
