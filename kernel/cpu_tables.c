/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * GDT (null, kernel code 0x08, kernel data 0x10, user data 0x18, user code
 * 0x20, TSS 0x28), the TSS with RSP0 (the running agent's kernel stack) and three
 * interrupt stacks, and the IDT for vectors 0..31 (Intel SDM vol. 3, 6.14).
 * IST1 #DF and IST2 NMI: they may arrive with any stack state. IST3 #PF: a
 * kernel stack overflow faults on the guard page, and pushing the #PF frame
 * onto that same stack would escalate to #DF; on its own stack the handler
 * can still report it. A #PF inside the #PF handler would restart at the
 * top of IST3 and overwrite the frame of the #PF being handled rather than
 * escalate to #DF (the reason Linux keeps #PF off the IST); this handler
 * touches nothing that can fault, and docs/kernel.md lists it as a limit.
 * The GDT and the IDT each have a page of their own and are read-only once
 * loaded (`ltr` sets the busy bit in the TSS descriptor first); the TSS stays
 * writable, because RSP0 changes on every switch to an agent (as Linux keeps
 * its TSS writable and its GDT and IDT read-only).
 *
 * SYSCALL/SYSRET (AMD64 APM vol. 2, 6.1.1): STAR[47:32] = 0x08 gives the
 * kernel CS 0x08 and SS 0x10 on SYSCALL; STAR[63:48] = 0x10 gives the user
 * SS 0x18|3 and CS 0x20|3 on a 64-bit SYSRET, hence the user data descriptor
 * below the user code one. SFMASK clears IF, TF, DF, AC and NT on entry, so
 * the kernel runs every system call with interrupts off.
 */
#include "kernel.h"
#include "x86_cpu.h"

typedef struct __attribute__((packed)) tss64 {
  uint32_t reserved0;
  uint64_t rsp[3];
  uint64_t reserved1;
  uint64_t ist[7];
  uint64_t reserved2;
  uint16_t reserved3;
  uint16_t iomap_base;
} tss64;

typedef struct __attribute__((packed)) idt_entry {
  uint16_t offset_low;
  uint16_t selector;
  uint8_t ist;
  uint8_t type_attributes;
  uint16_t offset_middle;
  uint32_t offset_high;
  uint32_t reserved;
} idt_entry;

typedef struct __attribute__((packed)) table_pointer {
  uint16_t limit;
  uint64_t base;
} table_pointer;

_Static_assert(sizeof(tss64) == 104, "TSS layout");
_Static_assert(sizeof(idt_entry) == 16, "IDT entry layout");

#define SELECTOR_CODE KERNEL_SELECTOR_CODE
#define SELECTOR_DATA KERNEL_SELECTOR_DATA
#define SELECTOR_TSS KERNEL_SELECTOR_TSS

/* One page of its own: read-only once loaded. */
static _Alignas(4096) uint64_t gdt[512];
static _Alignas(64) tss64 tss;
/* One page of its own: read-only once loaded (as Linux maps its IDT). */
static _Alignas(4096) idt_entry idt[256];
_Static_assert(sizeof idt == 4096, "the IDT fills exactly its page");

static void load_gdt(void) {
  table_pointer pointer = {(uint16_t)(8u * KERNEL_GDT_ENTRIES - 1u), (uint64_t)(uintptr_t)gdt};
  __asm__ volatile(
      "lgdt %0\n\t"
      "pushq %1\n\t"
      "leaq 1f(%%rip), %%rax\n\t"
      "pushq %%rax\n\t"
      "lretq\n"
      "1:\n\t"
      "movw %w2, %%ax\n\t"
      "movw %%ax, %%ds\n\t"
      "movw %%ax, %%es\n\t"
      "movw %%ax, %%ss\n\t"
      "ltr %w3\n\t"
      :
      : "m"(pointer), "i"(SELECTOR_CODE), "r"(SELECTOR_DATA), "r"(SELECTOR_TSS)
      : "rax", "memory");
}

static void set_gate(unsigned vector, uint64_t handler, uint8_t ist) {
  if (handler == 0u) {
    return;
  }
  idt_entry *e = &idt[vector];
  e->offset_low = (uint16_t)handler;
  e->selector = SELECTOR_CODE;
  e->ist = ist;
  e->type_attributes = 0x8E; /* present, DPL 0, 64-bit interrupt gate (IF cleared) */
  e->offset_middle = (uint16_t)(handler >> 16);
  e->offset_high = (uint32_t)(handler >> 32);
  e->reserved = 0;
}

OSPolicy_Status kernel_cpu_tables_init(const uint64_t ist_top[3]) {
  gdt[0] = 0;
  /* The accessed bit is set in every descriptor: the GDT is read-only, and
   * a CPU loading a descriptor whose A bit is clear writes it (a #PF on the
   * read-only page; an agent loading a selector into FS would provoke it,
   * kernel.agent_fs_base). Linux presets it for the same reason. */
  gdt[1] = 0x00AF9B000000FFFFull; /* kernel code: present, DPL 0, L=1, accessed */
  gdt[2] = 0x00CF93000000FFFFull; /* kernel data: present, DPL 0, writable, accessed */
  gdt[3] = 0x00CFF3000000FFFFull; /* user data: present, DPL 3, writable, accessed */
  gdt[4] = 0x00AFFB000000FFFFull; /* user code: present, DPL 3, L=1, accessed */
  uint64_t base = (uint64_t)(uintptr_t)&tss;
  uint64_t limit = sizeof tss - 1u;
  gdt[5] = (limit & 0xFFFFu) | ((base & 0xFFFFFFu) << 16) | ((uint64_t)0x89 << 40) |
           (((limit >> 16) & 0xFu) << 48) | (((base >> 24) & 0xFFu) << 56);
  gdt[6] = base >> 32;
  tss.ist[KERNEL_IST_DF - 1u] = ist_top[0];
  tss.ist[KERNEL_IST_NMI - 1u] = ist_top[1];
  tss.ist[KERNEL_IST_PF - 1u] = ist_top[2];
  tss.iomap_base = (uint16_t)sizeof tss; /* no I/O permission bitmap */
  load_gdt();
  for (unsigned v = 0; v < KERNEL_IDT_VECTORS; ++v) {
    uint8_t ist = v == KERNEL_VECTOR_DF ? KERNEL_IST_DF
                  : v == KERNEL_VECTOR_NMI ? KERNEL_IST_NMI
                  : v == KERNEL_VECTOR_PF ? KERNEL_IST_PF
                                          : 0u;
    set_gate(v, kernel_isr_table[v], ist);
  }
  table_pointer pointer = {(uint16_t)(sizeof idt - 1u), (uint64_t)(uintptr_t)idt};
  __asm__ volatile("lidt %0" : : "m"(pointer) : "memory");
  /* SYSCALL: EFER.SCE, the selectors, the entry point and the flag mask. */
  osb_write_msr(KERNEL_MSR_STAR, ((uint64_t)0x10 << 48) | ((uint64_t)SELECTOR_CODE << 32));
  osb_write_msr(KERNEL_MSR_LSTAR, (uint64_t)(uintptr_t)&kernel_syscall_entry);
  osb_write_msr(KERNEL_MSR_SFMASK, KERNEL_SYSCALL_FLAG_MASK);
  osb_write_msr(OSBAREMETAL_MSR_EFER, osb_read_msr(OSBAREMETAL_MSR_EFER) | KERNEL_EFER_SCE);
  /* Nothing writes the IDT or the GDT after this; an overwrite would
   * redirect every exception or hand ring 0 to a forged descriptor, so both
   * pages become R+NX (each edit flushes its TLB entry). The CPU writes the
   * TSS descriptor's busy bit only at `ltr`, done above. */
  OSPolicy_Status status =
      OSBaremetal_ProtectPages(&kernel_memory.live, (uint64_t)(uintptr_t)idt, sizeof idt, OSPOLICY_PROT_READ);
  if (status == OSPOLICY_OK) {
    status = OSBaremetal_ProtectPages(&kernel_memory.live, (uint64_t)(uintptr_t)gdt, sizeof gdt, OSPOLICY_PROT_READ);
  }
  return status;
}

uint64_t kernel_gdt_base(void) {
  return (uint64_t)(uintptr_t)gdt;
}

void kernel_tss_set_rsp0(uint64_t top) {
  tss.rsp[0] = top;
}

uint64_t kernel_tss_rsp0(void) {
  return tss.rsp[0];
}

uint64_t kernel_idt_base(void) {
  return (uint64_t)(uintptr_t)idt;
}

uint64_t kernel_tss_ist(unsigned ist) {
  return ist >= 1u && ist <= 7u ? tss.ist[ist - 1u] : 0u;
}
