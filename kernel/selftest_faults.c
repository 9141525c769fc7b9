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

/* Checks the last fault: vector, CR2 and the #PF error bits that must be set
 * (and, through `clear`, must not be). */
static int expect_fault(OSBaremetal_TestReport *report, const char *name, int faulted, uint64_t before,
                        uint64_t vector, uint64_t cr2, uint64_t set, uint64_t clear) {
  if (!faulted || kernel_fault.count != before + 1u) {
    OSBaremetal_TestFail(report, name, "no fault: the access succeeded");
    return 0;
  }
  if (kernel_fault.vector != vector) {
    OSBaremetal_TestFail(report, name, "%s instead of %s", kernel_vector_name(kernel_fault.vector),
                         kernel_vector_name(vector));
    return 0;
  }
  if (vector == KERNEL_VECTOR_PF &&
      (kernel_fault.cr2 != cr2 || (kernel_fault.error_code & set) != set || (kernel_fault.error_code & clear) != 0u)) {
    char want[40];
    char got[40];
    OSBaremetal_TestFail(report, name, "CR2 %s (want %s), error 0x%lx (want bits 0x%lx set, 0x%lx clear)",
                         kernel_describe_address(kernel_fault.cr2, got, sizeof got),
                         kernel_describe_address(cr2, want, sizeof want), (unsigned long)kernel_fault.error_code,
                         (unsigned long)set, (unsigned long)clear);
    return 0;
  }
  return 1;
}

static void probe_write(OSBaremetal_TestReport *report, const char *name, volatile uint8_t *target) {
  OSBaremetal_TestStart(report, name);
  uint8_t old = *target;
  uint64_t before = kernel_fault.count;
  int faulted = kprobe_write8(target, (uint8_t)(old ^ 0xFFu));
  if (expect_fault(report, name, faulted, before, KERNEL_VECTOR_PF, addr(target),
                   KERNEL_PF_PRESENT | KERNEL_PF_WRITE, KERNEL_PF_FETCH) &&
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
  if (expect_fault(report, name, faulted, before, KERNEL_VECTOR_PF, addr(target),
                   KERNEL_PF_PRESENT | KERNEL_PF_FETCH, KERNEL_PF_WRITE) &&
      kernel_fault.rip == addr(target)) {
    OSBaremetal_TestPass(report, name);
  }
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
  } else if (expect_fault(report, name, faulted, before, KERNEL_VECTOR_PF, 0x8u, 0u,
                          KERNEL_PF_PRESENT | KERNEL_PF_WRITE | KERNEL_PF_FETCH)) {
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
      OSBaremetal_TestFail(report, name, "user probe pages: %s", OSPolicy_StatusName(status));
    } else if ((cr4 & OSBAREMETAL_CR4_SMEP) == 0u) {
      OSBaremetal_TestFail(report, name, "CPUID has SMEP but CR4.SMEP is clear");
    } else if (expect_fault(report, name, kernel_probe_exec(code_page), before, KERNEL_VECTOR_PF, code_page,
                            KERNEL_PF_PRESENT | KERNEL_PF_FETCH, KERNEL_PF_USER)) {
      OSBaremetal_TestPass(report, name);
    }
  }
  if (features.smap) {
    const char *name = "kernel.probe_smap";
    OSBaremetal_TestStart(report, name);
    uint64_t before = kernel_fault.count;
    if (status != OSPOLICY_OK) {
      OSBaremetal_TestFail(report, name, "user probe pages: %s", OSPolicy_StatusName(status));
    } else if ((cr4 & OSBAREMETAL_CR4_SMAP) == 0u) {
      OSBaremetal_TestFail(report, name, "CPUID has SMAP but CR4.SMAP is clear");
    } else if (expect_fault(report, name, kprobe_read8((const volatile void *)(uintptr_t)data_page), before,
                            KERNEL_VECTOR_PF, data_page, KERNEL_PF_PRESENT, KERNEL_PF_USER | KERNEL_PF_FETCH)) {
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
    OSBaremetal_TestFail(report, name, "protect: %s", OSPolicy_StatusName(status));
    return;
  }
  if (live->splits != splits + 1u || OSBaremetal_QueryPage(live, page, &info) != OSPOLICY_OK ||
      info.mapping_size != OSBAREMETAL_PAGE_SIZE || info.prot != OSPOLICY_PROT_READ) {
    OSBaremetal_TestFail(report, name, "splits %lu -> %lu, page prot 0x%x size 0x%lx", (unsigned long)splits,
                         (unsigned long)live->splits, info.prot, (unsigned long)info.mapping_size);
    return;
  }
  uint64_t before = kernel_fault.count;
  if (!expect_fault(report, name, kprobe_write8((volatile uint8_t *)(uintptr_t)page, 1), before, KERNEL_VECTOR_PF,
                    page, KERNEL_PF_PRESENT | KERNEL_PF_WRITE, 0u)) {
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
    OSBaremetal_TestFail(report, name, "audit: %s", OSPolicy_StatusName(status));
    return;
  }
  OSBaremetal_TestNote(report, "kernel: live tables map %lu KiB: %lu KiB writable, %lu KiB executable; "
                       "%lu splits, %lu invlpg, %lu CR3 reloads so far",
                       (unsigned long)(audit.mapped_bytes >> 10), (unsigned long)(audit.writable_bytes >> 10),
                       (unsigned long)(audit.executable_bytes >> 10), (unsigned long)kernel_memory.live.splits,
                       (unsigned long)kernel_memory.live.pages_flushed, (unsigned long)kernel_memory.live.full_flushes);
  if (audit.wx_bytes != 0u) {
    char where[40];
    OSBaremetal_TestNote(report, "kernel: Checked W+X mappings: FAILED, %lu W+X regions found",
                         (unsigned long)audit.wx_regions);
    OSBaremetal_TestFail(report, name, "%lu KiB W+X, first at %s", (unsigned long)(audit.wx_bytes >> 10),
                         kernel_describe_address(audit.first_wx_address, where, sizeof where));
    return;
  }
  OSBaremetal_TestNote(report, "kernel: Checked W+X mappings: passed, no W+X pages found.");
  OSBaremetal_TestPass(report, name);
}
