/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * Live protection probes on the kernel's own page tables. Each provokes the
 * fault it names and checks how the CPU reported it (vector, CR2, #PF error
 * code); surviving an access that must fault is a failure (the lkdtm rule).
 * Also: CPU hardening, the large-page split, and the W+X audit.
 */
#include "cpu_hardening.h"
#include "kernel.h"
#include "kernel_layout.h"
#include "x86_cpu.h"

/* xor eax, eax; ret: returns 0 if it ever runs. */
#define RET0_BYTES {0x31, 0xC0, 0xC3}

static uint8_t data_code[16] = RET0_BYTES;
static const uint8_t rodata_probe[16] = {0x5A};

static uint64_t addr(const volatile void *p) {
  return (uint64_t)(uintptr_t)p;
}

static void probe_write(OSBaremetal_TestReport *report, const char *name, volatile uint8_t *target) {
  OSBaremetal_TestStart(report, name);
  uint8_t old = *target;
  uint64_t before = kernel_fault.count;
  int faulted = kprobe_write8(target, (uint8_t)(old ^ 0xFFu));
  if (kernel_expect_fault(report, name, faulted, before, kernel_expect_write_fault(addr(target))) &&
      *target == old) {
    OSBaremetal_TestPass(report, name);
  } else if (*target != old) {
    OSBaremetal_TestFail(report, name, "the byte changed");
  }
}

static void probe_exec(OSBaremetal_TestReport *report, const char *name, uint8_t *target) {
  OSBaremetal_TestStart(report, name);
  static const uint8_t ret0[3] = RET0_BYTES;
  for (size_t i = 0; i < sizeof ret0; ++i) {
    target[i] = ret0[i];
  }
  uint64_t before = kernel_fault.count;
  int faulted = kernel_probe_exec(addr(target));
  /* kernel_expect_fetch_fault: CR2 and RIP both at the target, P+I/D. */
  if (kernel_expect_fault(report, name, faulted, before, kernel_expect_fetch_fault(addr(target)))) {
    OSBaremetal_TestPass(report, name);
  }
}

/* RELRO (kernel.ld, PT_GNU_RELRO): the ISR pointer table the loader
 * relocated, sealed R+NX by the loader's tables and copied so by kmem.c. A
 * write to it must fault, and the page must be read-only and not executable
 * on the live tables. Then the IDT, made read-only after lidt
 * (cpu_tables.c): the CPU only reads it, so nothing needs to write it. */
static void probe_write_relro(OSBaremetal_TestReport *report) {
  const char *name = "kernel.probe_write_relro";
  OSBaremetal_TestStart(report, name);
  uint64_t table = addr(kernel_isr_table);
  uint64_t start = addr(__relro_start);
  uint64_t end = addr(__relro_end);
  OSBaremetal_PageInfo info;
  if (start >= end || table < start || table + 32u * sizeof(uint64_t) > end) {
    OSBaremetal_TestFail(report, name, "kernel_isr_table is outside the RELRO region (%lu bytes)",
                         (unsigned long)(end - start));
    return;
  }
  for (uint64_t page = start; page < end; page += OSBAREMETAL_PAGE_SIZE) {
    if (OSBaremetal_QueryPage(&kernel_memory.live, page, &info) != OSPOLICY_OK || !info.present ||
        info.prot != OSPOLICY_PROT_READ) {
      char where[40];
      OSBaremetal_TestFail(report, name, "RELRO page %s is prot 0x%x, want R+NX",
                           kernel_describe_address(page, where, sizeof where), info.prot);
      return;
    }
  }
  volatile uint8_t *target = (volatile uint8_t *)(uintptr_t)&kernel_isr_table[KERNEL_VECTOR_PF];
  uint8_t old_table = *target;
  uint64_t before = kernel_fault.count;
  int faulted = kprobe_write8(target, (uint8_t)(old_table ^ 0xFFu));
  if (!kernel_expect_fault(report, name, faulted, before, kernel_expect_write_fault(addr(target)))) {
    return;
  }
  volatile uint8_t *idt = (volatile uint8_t *)(uintptr_t)kernel_idt_base();
  uint8_t old_idt = *idt;
  before = kernel_fault.count;
  faulted = kprobe_write8(idt, (uint8_t)(old_idt ^ 0xFFu));
  if (!kernel_expect_fault(report, name, faulted, before, kernel_expect_write_fault(addr(idt)))) {
    return;
  }
  /* The GDT (its user code descriptor, whose DPL a forger would want). */
  volatile uint8_t *gdt = (volatile uint8_t *)(uintptr_t)(kernel_gdt_base() + 8u * 4u + 5u);
  uint8_t old_gdt = *gdt;
  before = kernel_fault.count;
  faulted = kprobe_write8(gdt, (uint8_t)(old_gdt ^ 0xFFu));
  if (!kernel_expect_fault(report, name, faulted, before, kernel_expect_write_fault(addr(gdt)))) {
    return;
  }
  if (*target != old_table || *idt != old_idt || *gdt != old_gdt) {
    OSBaremetal_TestFail(report, name, "a byte changed");
    return;
  }
  OSBaremetal_TestNote(report, "kernel: RELRO %lu page(s) R+NX (ISR table, relocated pointers); "
                               "writes to the ISR table, the IDT and the GDT faulted",
                       (unsigned long)((end - start) / OSBAREMETAL_PAGE_SIZE));
  OSBaremetal_TestPass(report, name);
}

/* The exec-from-stack target lives in this frame; noinline keeps it here. */
__attribute__((noinline)) static void probe_exec_stack(OSBaremetal_TestReport *report) {
  uint8_t code[16];
  probe_exec(report, "kernel.probe_exec_stack", code);
  __asm__ volatile("" : : "r"(code) : "memory");
}

void kernel_selftest_faults(OSBaremetal_TestReport *report) {
  OSBaremetal_TestNote(report, "kernel: %u static fixups in __ex_table", kernel_fixup_static_count());
  /* Text: the first byte of a function that has already run. */
  probe_write(report, "kernel.probe_write_text", (volatile uint8_t *)(uintptr_t)&kprobe_read8);
  probe_write(report, "kernel.probe_write_rodata", (volatile uint8_t *)(uintptr_t)rodata_probe);
  probe_write_relro(report);
  probe_exec(report, "kernel.probe_exec_data", data_code);
  probe_exec_stack(report);
  probe_exec(report, "kernel.probe_exec_heap", kernel_heap_alloc(16));

  const char *name = "kernel.probe_null_page";
  OSBaremetal_TestStart(report, name);
  OSBaremetal_PageInfo info;
  uint64_t before = kernel_fault.count;
  int faulted = kprobe_read8((const volatile void *)(uintptr_t)0x8u);
  if (OSBaremetal_QueryPage(&kernel_memory.live, 0, &info) != OSPOLICY_OK || info.present) {
    OSBaremetal_TestFail(report, name, "page 0 is mapped");
  } else if (kernel_expect_fault(report, name, faulted, before,
                                 (KernelFaultExpectation){KERNEL_VECTOR_PF, 0x8u, 0u,
                                                          KERNEL_PF_PRESENT | KERNEL_PF_WRITE | KERNEL_PF_FETCH})) {
    OSBaremetal_TestPass(report, name);
  }
}

/* SMEP and SMAP with a user page of each kind; qemu64 has neither. */
void kernel_selftest_cpu(OSBaremetal_TestReport *report) {
  OSBaremetal_CpuFeatures features = OSBaremetal_ReadCpuFeatures();
  uint64_t cr4 = osb_read_cr4();
  if (!features.smep && !features.smap) {
    const char *name = "kernel.smep_smap_absent";
    OSBaremetal_TestStart(report, name);
    if ((cr4 & (OSBAREMETAL_CR4_SMEP | OSBAREMETAL_CR4_SMAP)) != 0u) {
      OSBaremetal_TestFail(report, name, "CPUID has no SMEP/SMAP but CR4 is 0x%lx", (unsigned long)cr4);
    } else {
      OSBaremetal_TestNote(report, "kernel: this CPU has no SMEP/SMAP: supervisor access to user pages is not blocked");
      OSBaremetal_TestPass(report, name);
    }
    return;
  }
  uint64_t code_frame = 0;
  uint64_t data_frame = 0;
  uint64_t code_page = KERNEL_USER_PROBE_BASE;
  uint64_t data_page = KERNEL_USER_PROBE_BASE + 2u * OSBAREMETAL_PAGE_SIZE;
  OSPolicy_Status status = kernel_allocate_frames(NULL, 1, &code_frame);
  if (status == OSPOLICY_OK) {
    status = kernel_allocate_frames(NULL, 1, &data_frame);
  }
  /* Written while still a kernel RW page, then handed to "user". */
  if (status == OSPOLICY_OK) {
    status = OSBaremetal_MapPagesEx(&kernel_memory.live, code_page, code_frame, OSBAREMETAL_PAGE_SIZE, OSPOLICY_PROT_RW,
                                    OSBAREMETAL_MAP_USER);
  }
  if (status == OSPOLICY_OK) {
    status = OSBaremetal_MapPagesEx(&kernel_memory.live, data_page, data_frame, OSBAREMETAL_PAGE_SIZE, OSPOLICY_PROT_RW,
                                    OSBAREMETAL_MAP_USER);
  }
  if (status == OSPOLICY_OK && features.smap) {
    osb_stac(); /* the setup itself is a sanctioned user access */
  }
  if (status == OSPOLICY_OK) {
    volatile uint8_t *code = (volatile uint8_t *)(uintptr_t)code_page;
    code[0] = 0x31;
    code[1] = 0xC0;
    code[2] = 0xC3;
    *(volatile uint8_t *)(uintptr_t)data_page = 0x42;
    if (features.smap) {
      osb_clac();
    }
    status = OSBaremetal_ProtectPages(&kernel_memory.live, code_page, OSBAREMETAL_PAGE_SIZE, OSPOLICY_PROT_RX);
  }
  if (features.smep) {
    const char *name = "kernel.probe_smep";
    OSBaremetal_TestStart(report, name);
    uint64_t before = kernel_fault.count;
    if (status != OSPOLICY_OK) {
      OSBaremetal_TestFail(report, name, "user probe pages: %s", OSBaremetal_StatusName(status));
    } else if ((cr4 & OSBAREMETAL_CR4_SMEP) == 0u) {
      OSBaremetal_TestFail(report, name, "CPUID has SMEP but CR4.SMEP is clear");
    } else if (kernel_expect_fault(report, name, kernel_probe_exec(code_page), before,
                                   (KernelFaultExpectation){KERNEL_VECTOR_PF, code_page,
                                                            KERNEL_PF_PRESENT | KERNEL_PF_FETCH,
                                                            KERNEL_PF_USER | KERNEL_PF_WRITE})) {
      /* Control: an NX page gives the same error code, so run the same page
       * with CR4.SMEP cleared for one call: it must execute (the page is RX,
       * so SMEP, not NX or a missing mapping, caused the fault). Interrupts
       * are off; SMEP is back before anything else runs. */
      before = kernel_fault.count;
      osb_write_cr4(cr4 & ~OSBAREMETAL_CR4_SMEP);
      int faulted = kernel_probe_exec(code_page);
      osb_write_cr4(cr4);
      if ((osb_read_cr4() & OSBAREMETAL_CR4_SMEP) == 0u) {
        kernel_panic("CR4.SMEP did not come back after the SMEP probe's control");
      }
      if (faulted || kernel_fault.count != before) {
        OSBaremetal_TestFail(report, name, "the user RX page does not run even with CR4.SMEP clear");
      } else {
        OSBaremetal_TestNote(report, "kernel: SMEP control: the same user RX page runs with CR4.SMEP clear");
        OSBaremetal_TestPass(report, name);
      }
    }
  }
  if (features.smap) {
    const char *name = "kernel.probe_smap";
    OSBaremetal_TestStart(report, name);
    uint64_t before = kernel_fault.count;
    if (status != OSPOLICY_OK) {
      OSBaremetal_TestFail(report, name, "user probe pages: %s", OSBaremetal_StatusName(status));
    } else if ((cr4 & OSBAREMETAL_CR4_SMAP) == 0u) {
      OSBaremetal_TestFail(report, name, "CPUID has SMAP but CR4.SMAP is clear");
    } else if (kernel_expect_fault(report, name, kprobe_read8((const volatile void *)(uintptr_t)data_page), before,
                                   (KernelFaultExpectation){KERNEL_VECTOR_PF, data_page, KERNEL_PF_PRESENT,
                                                            KERNEL_PF_USER | KERNEL_PF_FETCH | KERNEL_PF_WRITE})) {
      /* Control: with RFLAGS.AC set the same read works, so SMAP (not a
       * missing mapping) caused the fault. */
      osb_stac();
      int again = kprobe_read8((const volatile void *)(uintptr_t)data_page);
      osb_clac();
      if (again) {
        OSBaremetal_TestFail(report, name, "the read faults even with RFLAGS.AC set");
      } else {
        OSBaremetal_TestPass(report, name);
      }
    }
  }
  /* The kernel has no user mode: the probe pages go again (the unmap flushes
   * their TLB entries), and kernel.wx_audit requires no user-accessible
   * leaf at all. */
  uint64_t removed = 0;
  for (uint64_t page = code_page; page <= data_page; page += 2u * OSBAREMETAL_PAGE_SIZE) {
    OSBaremetal_PageInfo info;
    if (OSBaremetal_QueryPage(&kernel_memory.live, page, &info) == OSPOLICY_OK && info.present &&
        OSBaremetal_UnmapPages(&kernel_memory.live, page, OSBAREMETAL_PAGE_SIZE) == OSPOLICY_OK) {
      removed++;
    }
  }
  OSBaremetal_TestNote(report, "kernel: %lu user probe page(s) unmapped after the SMEP/SMAP probes",
                       (unsigned long)removed);
}

/* One 4 KiB page in the middle of the heap's 2 MiB page becomes read-only:
 * exactly one split, the page faults on write, its neighbours do not. */
void kernel_selftest_split(OSBaremetal_TestReport *report) {
  const char *name = "kernel.page_split";
  OSBaremetal_TestStart(report, name);
  OSBaremetal_PageTable *live = &kernel_memory.live;
  uint64_t page = KERNEL_HEAP_BASE + 256u * OSBAREMETAL_PAGE_SIZE;
  uint64_t splits = live->splits;
  uint64_t flushed = live->pages_flushed;
  OSPolicy_Status status = OSBaremetal_ProtectPages(live, page, OSBAREMETAL_PAGE_SIZE, OSPOLICY_PROT_READ);
  OSBaremetal_PageInfo info;
  if (status != OSPOLICY_OK) {
    OSBaremetal_TestFail(report, name, "protect: %s", OSBaremetal_StatusName(status));
    return;
  }
  if (live->splits != splits + 1u || OSBaremetal_QueryPage(live, page, &info) != OSPOLICY_OK ||
      info.mapping_size != OSBAREMETAL_PAGE_SIZE || info.prot != OSPOLICY_PROT_READ) {
    OSBaremetal_TestFail(report, name, "splits %lu -> %lu, page prot 0x%x size 0x%lx", (unsigned long)splits,
                         (unsigned long)live->splits, info.prot, (unsigned long)info.mapping_size);
    return;
  }
  uint64_t before = kernel_fault.count;
  if (!kernel_expect_fault(report, name, kprobe_write8((volatile uint8_t *)(uintptr_t)page, 1), before,
                           kernel_expect_write_fault(page))) {
    return;
  }
  if (kprobe_write8((volatile uint8_t *)(uintptr_t)(page - 1u), 1) ||
      kprobe_write8((volatile uint8_t *)(uintptr_t)(page + OSBAREMETAL_PAGE_SIZE), 1)) {
    OSBaremetal_TestFail(report, name, "a neighbouring heap page lost its write permission");
    return;
  }
  OSBaremetal_TestNote(report, "kernel: 2 MiB heap page split once for one 4 KiB change, %lu invlpg",
                       (unsigned long)(live->pages_flushed - flushed));
  OSBaremetal_TestPass(report, name);
}

void kernel_selftest_wx_audit(OSBaremetal_TestReport *report) {
  const char *name = "kernel.wx_audit";
  OSBaremetal_TestStart(report, name);
  OSBaremetal_WxAudit audit;
  OSPolicy_Status status = OSBaremetal_AuditWx(&kernel_memory.live, &audit);
  if (status != OSPOLICY_OK) {
    OSBaremetal_TestFail(report, name, "audit: %s", OSBaremetal_StatusName(status));
    return;
  }
  OSBaremetal_TestNote(report, "kernel: live tables map %lu KiB: %lu KiB writable, %lu KiB executable; "
                       "%lu splits, %lu invlpg, %lu CR3 reloads so far",
                       (unsigned long)(audit.mapped_bytes >> 10), (unsigned long)(audit.writable_bytes >> 10),
                       (unsigned long)(audit.executable_bytes >> 10), (unsigned long)kernel_memory.live.splits,
                       (unsigned long)kernel_memory.live.pages_flushed, (unsigned long)kernel_memory.live.full_flushes);
  OSBaremetal_TestNote(report, "kernel: %lu user-accessible leaf mapping(s) (no user mode: none allowed)",
                       (unsigned long)audit.user_leaves);
  if (audit.user_leaves != 0u) {
    char where[40];
    OSBaremetal_TestFail(report, name, "%lu user-accessible leaves (%lu KiB), first at %s",
                         (unsigned long)audit.user_leaves, (unsigned long)(audit.user_bytes >> 10),
                         kernel_describe_address(audit.first_user_address, where, sizeof where));
    return;
  }
  /* By physical frame too: executable frames writable through any alias,
   * and table pages writable through anything but the pool's own mapping. */
  OSBaremetal_TestNote(report, "kernel: by frame: %lu KiB executable and writable through an alias, "
                       "%lu table pages, %lu KiB of them writable outside the editor's mapping",
                       (unsigned long)(audit.wx_alias_bytes >> 10), (unsigned long)audit.table_pages,
                       (unsigned long)(audit.writable_table_bytes >> 10));
  if (audit.wx_bytes != 0u || audit.wx_alias_bytes != 0u || audit.writable_table_bytes != 0u) {
    char where[40];
    uint64_t pages = (audit.wx_bytes + audit.wx_alias_bytes + audit.writable_table_bytes) / OSBAREMETAL_PAGE_SIZE;
    OSBaremetal_TestNote(report, "kernel: Checked W+X mappings: FAILED, %lu W+X pages found.", (unsigned long)pages);
    if (audit.wx_bytes != 0u) {
      OSBaremetal_TestFail(report, name, "%lu KiB W+X, first at %s", (unsigned long)(audit.wx_bytes >> 10),
                           kernel_describe_address(audit.first_wx_address, where, sizeof where));
    } else if (audit.wx_alias_bytes != 0u) {
      OSBaremetal_TestFail(report, name, "%lu KiB of executable frames writable at %s",
                           (unsigned long)(audit.wx_alias_bytes >> 10),
                           kernel_describe_address(audit.first_wx_alias_address, where, sizeof where));
    } else {
      OSBaremetal_TestFail(report, name, "table pages writable at %s",
                           kernel_describe_address(audit.first_writable_table_address, where, sizeof where));
    }
    return;
  }
  OSBaremetal_TestNote(report, "kernel: Checked W+X mappings: passed, no W+X pages found.");
  OSBaremetal_TestPass(report, name);
}
