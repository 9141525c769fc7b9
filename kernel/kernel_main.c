/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * The kernel (docs/kernel.md): checks the UEFI loader's hand-off, moves to
 * its own page tables, installs GDT/TSS/IDT with IST stacks, hardens the CPU,
 * continues the entropy pool and installs the stack canary, then runs the
 * live self-tests (fault probes, stubs, payload, signed modules, manifest,
 * fixups, agents in ring 3, KASLR, W+X audit), one marker each over COM1, and ends the VM through
 * isa-debug-exit (success only if the loader's and its own checks all
 * passed).
 *
 * Interrupts stay off in ring 0 for the whole run (only agents, in ring 3,
 * run with IF set: docs/kernel.md, "Agents"); exceptions arrive through
 * interrupt gates. Before the IDT is installed an exception is a triple fault, which
 * the boot-test driver sees as an unexpected QEMU exit status.
 */
#include <stddef.h>
#include <stdint.h>

#include "com1.h"
#include "cpu_hardening.h"
#include "kernel.h"
#include "ospolicy/byte_order.h"
#include "kernel_layout.h"
#include "oshost_baremetal.h"
#include "ospolicy/pal.h"
#include "ospolicy/boot_info.h"
#include "ospolicy/status.h"
#include "page_table.h"
#include "test_report.h"
#include "x86_cpu.h"

/* No stack protector: kernel_main changes the canary under its own frame
 * (it never returns, so nothing would check it, but say so). */
void kernel_main(OSPolicy_BootInfo *boot_info) __attribute__((noreturn, no_stack_protector));

/* Written by the loader as an R_X86_64_RELATIVE relocation: after a slide it
 * must hold kernel_main's run-time address, not its link-time one. */
static void (*const relocated_self)(OSPolicy_BootInfo *) = kernel_main;

static uint64_t here(const void *symbol) {
  return (uint64_t)(uintptr_t)symbol;
}

static int check_boot_info(OSBaremetal_TestReport *report, const OSPolicy_BootInfo *info) {
  const char *name = "kernel.boot_info";
  OSBaremetal_TestStart(report, name);
  if (info == NULL) {
    OSBaremetal_TestFail(report, name, "no boot-info pointer in RDI");
    return 0;
  }
  if (info->magic != OSPOLICY_BOOT_INFO_MAGIC) {
    char where[40];
    OSBaremetal_TestFail(report, name, "%s: magic 0x%016lx at %s",
                         OSBaremetal_StatusName(OSPOLICY_ERR_BOOT_INFO_BAD_MAGIC), (unsigned long)info->magic,
                         kernel_describe_address((uint64_t)(uintptr_t)info, where, sizeof where));
    return 0;
  }
  if (info->version != OSPOLICY_BOOT_INFO_VERSION || info->size < sizeof *info) {
    OSBaremetal_TestFail(report, name, "%s: version %u size %u (want %u, >= %u)",
                         OSBaremetal_StatusName(OSPOLICY_ERR_BOOT_INFO_BAD_VERSION), info->version,
                         info->size, OSPOLICY_BOOT_INFO_VERSION, (unsigned)sizeof *info);
    return 0;
  }
  char where[40];
  OSBaremetal_TestNote(report, "kernel: boot info v%u at %s, %u bytes", info->version,
                       kernel_describe_address((uint64_t)(uintptr_t)info, where, sizeof where), info->size);
  OSBaremetal_TestPass(report, name);
  return 1;
}

/* The slide is the KASLR secret: a release build prints neither it nor
 * anything it can be computed from (the run-time base, an offset into the
 * window), on the failure paths too. One failure line names what is wrong;
 * only a debug build adds the numbers. */
static void check_slide(OSBaremetal_TestReport *report, const OSPolicy_BootInfo *info) {
  const char *name = "kernel.slide";
  OSBaremetal_TestStart(report, name);
  uint64_t start = here(__kernel_start);
  uint64_t size = here(__kernel_end) - start;
  if (!kernel_is_release()) {
    OSBaremetal_TestNote(report, "kernel: running at 0x%016lx (linked at 0x%lx, slide 0x%lx, one of %lu slots)",
                         (unsigned long)start, (unsigned long)info->kernel_link_base,
                         (unsigned long)info->kernel_slide, (unsigned long)info->kaslr_slots);
  }
  const char *wrong = NULL;
  if (info->kernel_link_base != KERNEL_LINK_BASE) {
    wrong = "the loader's link base is not kernel.ld's";
  } else if (info->kaslr_window_base != OSPOLICY_BOOT_KERNEL_WINDOW_BASE || start != info->kernel_virtual_base ||
             start != info->kaslr_window_base + info->kernel_slide) {
    wrong = "the image does not run at the boot info's window base plus slide";
  } else if (info->kaslr_alignment == 0u || info->kernel_slide % info->kaslr_alignment != 0u) {
    wrong = "the slide is not a multiple of the KASLR alignment";
  } else if (start < info->kaslr_window_base || start - info->kaslr_window_base > info->kaslr_window_size ||
             size > info->kaslr_window_size - (start - info->kaslr_window_base)) {
    wrong = "the image leaves the KASLR window";
  }
  if (wrong == NULL) {
    OSBaremetal_TestPass(report, name);
  } else if (kernel_is_release()) {
    OSBaremetal_TestFail(report, name, "%s (values withheld: release build)", wrong);
  } else {
    OSBaremetal_TestFail(report, name,
                         "%s: image [0x%016lx, +0x%lx) linked at 0x%lx (kernel.ld 0x%lx), boot info base 0x%016lx, "
                         "window [0x%016lx, +0x%lx), slide 0x%lx, alignment 0x%lx",
                         wrong, (unsigned long)start, (unsigned long)size, (unsigned long)info->kernel_link_base,
                         (unsigned long)KERNEL_LINK_BASE, (unsigned long)info->kernel_virtual_base,
                         (unsigned long)info->kaslr_window_base, (unsigned long)info->kaslr_window_size,
                         (unsigned long)info->kernel_slide, (unsigned long)info->kaslr_alignment);
  }
}

#ifdef OSPOLICY_KERNEL_FORGED_SLIDE
/* kernel-badslide.elf only (a test image, release flavour: boot.release_slide_failure):
 * kernel.slide judges four forged copies of the boot info, one per failure
 * line, so the release printing of each is on COM1 for the log scan; then
 * the KASLR report, the summary and the failure exit. */
static void forged_slides(OSBaremetal_TestReport *report, const OSPolicy_BootInfo *info) {
  OSPolicy_BootInfo forged = *info;
  forged.kernel_link_base += OSBAREMETAL_PAGE_SIZE;
  check_slide(report, &forged);
  forged = *info;
  forged.kernel_slide += OSBAREMETAL_LARGE_PAGE_SIZE;
  check_slide(report, &forged);
  forged = *info;
  forged.kaslr_alignment = 0;
  check_slide(report, &forged);
  forged = *info;
  forged.kaslr_window_size = 0;
  check_slide(report, &forged);
  kernel_selftest_kaslr(report, info);
  OSBaremetal_TestSummary(report, info->loader_tests_passed, info->loader_tests_failed);
  OSBaremetal_DebugExit(OSBAREMETAL_DEBUG_EXIT_FAILURE);
}
#endif

static void check_relocations(OSBaremetal_TestReport *report, const OSPolicy_BootInfo *info) {
  const char *name = "kernel.relocations";
  OSBaremetal_TestStart(report, name);
  uint64_t stored = (uint64_t)(uintptr_t)relocated_self;
  uint64_t actual = here((const void *)(uintptr_t)&kernel_main);
  if ((info->flags & OSPOLICY_BOOT_INFO_FLAG_RELOCATED) == 0u || info->relocations_applied == 0u) {
    OSBaremetal_TestFail(report, name, "loader applied no relocations (flags 0x%x, count %lu)",
                         info->flags, (unsigned long)info->relocations_applied);
  } else if (stored != actual) {
    char stored_at[40];
    char actual_at[40];
    OSBaremetal_TestFail(report, name, "relocated pointer %s, function at %s",
                         kernel_describe_address(stored, stored_at, sizeof stored_at),
                         kernel_describe_address(actual, actual_at, sizeof actual_at));
  } else {
    OSBaremetal_TestPass(report, name);
  }
}

static void check_cpu_protection(OSBaremetal_TestReport *report) {
  const char *name = "kernel.cpu_protection";
  OSBaremetal_TestStart(report, name);
  uint64_t cr0 = osb_read_cr0();
  uint64_t cr4 = osb_read_cr4();
  uint64_t efer = osb_read_msr(OSBAREMETAL_MSR_EFER);
  OSBaremetal_TestNote(report, "kernel: CR0=0x%lx CR4=0x%lx EFER=0x%lx (SMEP %s, SMAP %s)",
                       (unsigned long)cr0, (unsigned long)cr4, (unsigned long)efer,
                       (cr4 & OSBAREMETAL_CR4_SMEP) != 0u ? "on" : "off",
                       (cr4 & OSBAREMETAL_CR4_SMAP) != 0u ? "on" : "off");
  if ((cr0 & OSBAREMETAL_CR0_WP) == 0u) {
    OSBaremetal_TestFail(report, name, "CR0.WP is clear: supervisor writes ignore read-only pages");
  } else if ((efer & OSBAREMETAL_EFER_NXE) == 0u) {
    OSBaremetal_TestFail(report, name, "EFER.NXE is clear: NX bits are reserved, nothing is non-executable");
  } else {
    OSBaremetal_TestPass(report, name);
  }
}

static void *identity(void *context, uint64_t physical) {
  (void)context;
  return (void *)(uintptr_t)physical;
}

/* One expectation about the live mapping of an address. */
static int expect_prot(OSBaremetal_TestReport *report, const char *name, const OSBaremetal_PageTable *table,
                       const char *what, uint64_t address, uint32_t present, uint32_t prot) {
  OSBaremetal_PageInfo page;
  char where[40];
  OSPolicy_Status status = OSBaremetal_QueryPage(table, address, &page);
  if (status != OSPOLICY_OK) {
    OSBaremetal_TestFail(report, name, "query of %s at %s: %s", what,
                         kernel_describe_address(address, where, sizeof where), OSBaremetal_StatusName(status));
    return 0;
  }
  if (page.present != present || (present && page.prot != prot)) {
    OSBaremetal_TestFail(report, name, "%s at %s: present %u prot 0x%x, want present %u prot 0x%x", what,
                         kernel_describe_address(address, where, sizeof where), page.present, page.prot, present,
                         prot);
    return 0;
  }
  return 1;
}

static void check_page_tables(OSBaremetal_TestReport *report, const OSPolicy_BootInfo *info) {
  const char *name = "kernel.page_tables_wx";
  OSBaremetal_TestStart(report, name);
  OSBaremetal_PageTableOps ops = {NULL, identity, NULL, NULL};
  OSBaremetal_PageTable live;
  uint64_t cr3 = osb_read_cr3() & OSBAREMETAL_PTE_ADDRESS_MASK;
  OSPolicy_Status status = OSBaremetal_AttachPageTable(&live, &ops, cr3);
  if (status != OSPOLICY_OK) {
    OSBaremetal_TestFail(report, name, "attach CR3 0x%lx: %s", (unsigned long)cr3, OSBaremetal_StatusName(status));
    return;
  }
  if (cr3 != info->page_table_root_physical) {
    OSBaremetal_TestFail(report, name, "CR3 0x%lx is not the loader's root 0x%lx", (unsigned long)cr3,
                         (unsigned long)info->page_table_root_physical);
    return;
  }
  OSBaremetal_WxAudit audit;
  status = OSBaremetal_AuditWx(&live, &audit);
  if (status != OSPOLICY_OK) {
    OSBaremetal_TestFail(report, name, "audit: %s", OSBaremetal_StatusName(status));
    return;
  }
  OSBaremetal_TestNote(report, "kernel: live tables map %lu KiB, %lu KiB writable, %lu KiB executable, %lu KiB W+X",
                       (unsigned long)(audit.mapped_bytes >> 10), (unsigned long)(audit.writable_bytes >> 10),
                       (unsigned long)(audit.executable_bytes >> 10), (unsigned long)(audit.wx_bytes >> 10));
  if (audit.wx_bytes != 0u) {
    char where[40];
    OSBaremetal_TestFail(report, name, "FAILED, %lu W+X regions, first at %s", (unsigned long)audit.wx_regions,
                         kernel_describe_address(audit.first_wx_address, where, sizeof where));
    return;
  }
  if (audit.wx_alias_bytes != 0u || audit.writable_table_bytes != 0u) {
    OSBaremetal_TestFail(report, name, "FAILED by frame: %lu KiB executable and writable through an alias, "
                         "%lu KiB of table pages writable",
                         (unsigned long)(audit.wx_alias_bytes >> 10), (unsigned long)(audit.writable_table_bytes >> 10));
    return;
  }
  uint64_t stack_probe = (uint64_t)(uintptr_t)&audit;
  if (!expect_prot(report, name, &live, "text", here(__text_start), 1, OSPOLICY_PROT_RX) ||
      !expect_prot(report, name, &live, "rodata", here(__rodata_start), 1, OSPOLICY_PROT_READ) ||
      !expect_prot(report, name, &live, "RELRO", here(__relro_start), 1, OSPOLICY_PROT_READ) ||
      !expect_prot(report, name, &live, "RELRO end", here(__relro_end) - 1u, 1, OSPOLICY_PROT_READ) ||
      !expect_prot(report, name, &live, "headers", here(__kernel_start), 1, OSPOLICY_PROT_READ) ||
      !expect_prot(report, name, &live, "data", here(__data_start), 1, OSPOLICY_PROT_RW) ||
      !expect_prot(report, name, &live, "stack", stack_probe, 1, OSPOLICY_PROT_RW) ||
      !expect_prot(report, name, &live, "stack top page", info->stack_top - 1u, 1, OSPOLICY_PROT_RW) ||
      !expect_prot(report, name, &live, "boot info", (uint64_t)(uintptr_t)info, 1, OSPOLICY_PROT_RW) ||
      !expect_prot(report, name, &live, "page-table pool", info->page_table_pool_physical, 1,
                   OSPOLICY_PROT_READ)) {
    return;
  }
  if (stack_probe >= info->stack_top || stack_probe < info->stack_top - info->stack_size) {
    char where[40];
    OSBaremetal_TestFail(report, name, "RSP-area %s outside the reported stack",
                         kernel_describe_address(stack_probe, where, sizeof where));
    return;
  }
  OSBaremetal_TestPass(report, name);

  const char *guard = "kernel.stack_guard";
  OSBaremetal_TestStart(report, guard);
  if (info->stack_guard + OSBAREMETAL_PAGE_SIZE != info->stack_top - info->stack_size) {
    char where[40];
    OSBaremetal_TestFail(report, guard, "guard %s is not the page under the stack",
                         kernel_describe_address(info->stack_guard, where, sizeof where));
  } else if (expect_prot(report, guard, &live, "guard page", info->stack_guard, 0, 0)) {
    OSBaremetal_TestPass(report, guard);
  }
}

static void check_memory_map(OSBaremetal_TestReport *report, const OSPolicy_BootInfo *info) {
  const char *name = "kernel.memory_map";
  OSBaremetal_TestStart(report, name);
  uint64_t stride = info->memory_map_descriptor_size;
  if (info->memory_map == 0u || stride < sizeof(OSPolicy_BootMemoryDescriptor) ||
      info->memory_map_size < stride || info->memory_map_size % stride != 0u) {
    char where[40];
    OSBaremetal_TestFail(report, name, "%s: map %s size %lu descriptor size %lu",
                         OSBaremetal_StatusName(OSPOLICY_ERR_UEFI_BAD_MEMORY_MAP),
                         kernel_describe_address(info->memory_map, where, sizeof where),
                         (unsigned long)info->memory_map_size, (unsigned long)stride);
    return;
  }
  uint64_t count = info->memory_map_size / stride;
  uint64_t conventional_pages = 0;
  for (uint64_t i = 0; i < count; ++i) {
    const OSPolicy_BootMemoryDescriptor *descriptor =
        (const OSPolicy_BootMemoryDescriptor *)(uintptr_t)(info->memory_map + i * stride);
    if (descriptor->type == 7u) { /* EfiConventionalMemory */
      conventional_pages += descriptor->page_count;
    }
  }
  OSBaremetal_TestNote(report, "kernel: memory map %lu descriptors, %lu MiB conventional", (unsigned long)count,
                       (unsigned long)(conventional_pages >> 8));
  if (conventional_pages == 0u) {
    OSBaremetal_TestFail(report, name, "no conventional memory in %lu descriptors", (unsigned long)count);
  } else {
    OSBaremetal_TestPass(report, name);
  }
}

static void check_entropy(OSBaremetal_TestReport *report, const OSPolicy_BootInfo *info) {
  const char *name = "kernel.entropy_seed";
  OSBaremetal_TestStart(report, name);
  /* The block holds an OSPolicy_EntropySeed: magic "OSPS" at 0, 32 seed
   * bytes at 24. This case only checks that a seed was handed over;
   * kernel.entropy_pool (entropy.c) imports it with
   * OSPolicy_ImportEntropySeed (check value verified) and wipes it. */
  uint32_t magic = OSPolicy_LoadLe32(info->seed);
  uint8_t any = 0;
  for (size_t i = 24; i < 56; ++i) {
    any |= info->seed[i];
  }
  OSBaremetal_TestNote(report, "kernel: seed flags 0x%x (%s), %u bits credited, entropy sources mask 0x%x", info->flags,
                       (info->flags & OSPOLICY_BOOT_INFO_FLAG_WEAK_SEED) != 0u ? "WEAK" : "strong",
                       info->entropy_credited_bits, info->entropy_sources);
  if ((info->flags & OSPOLICY_BOOT_INFO_FLAG_SEEDED) == 0u || magic != 0x5350534Fu || any == 0u) {
    OSBaremetal_TestFail(report, name, "no pool seed handed over (flags 0x%x, magic 0x%x)", info->flags, magic);
  } else if (info->entropy_sources == 0u) {
    OSBaremetal_TestFail(report, name, "seed present but no entropy source recorded");
  } else {
    OSBaremetal_TestPass(report, name);
  }
}

static void own_page_tables(OSBaremetal_TestReport *report, const OSPolicy_BootInfo *info, int *ok) {
  const char *name = "kernel.own_page_tables";
  OSBaremetal_TestStart(report, name);
  OSPolicy_Status status = kernel_memory_init(info, report);
  if (status != OSPOLICY_OK) {
    OSBaremetal_TestFail(report, name, "%s", OSBaremetal_StatusName(status));
    *ok = 0;
    return;
  }
  OSHostBaremetal_Config config = {&kernel_memory.live, KERNEL_WINDOW_BASE, KERNEL_WINDOW_SIZE,
                                   kernel_allocate_frames, NULL, kernel_write_line, kernel_panic_callback, NULL};
  if (OSHostBaremetal_Init(&config) != OSHOST_OK) {
    OSBaremetal_TestFail(report, name, "PAL init refused the configuration");
    *ok = 0;
    return;
  }
  OSBaremetal_PageInfo page;
  if (OSBaremetal_QueryPage(&kernel_memory.live, (uint64_t)(uintptr_t)__text_start, &page) != OSPOLICY_OK ||
      page.prot != OSPOLICY_PROT_RX || (osb_read_cr3() & OSBAREMETAL_PTE_ADDRESS_MASK) != kernel_memory.live.root) {
    OSBaremetal_TestFail(report, name, "CR3 or text mapping not what was built");
    *ok = 0;
    return;
  }
  OSBaremetal_TestPass(report, name);
}

#define IST_PAGES 4u

static void cpu_tables(OSBaremetal_TestReport *report, int *ok) {
  const char *name = "kernel.idt_ist";
  OSBaremetal_TestStart(report, name);
  uint64_t tops[3];
  for (unsigned i = 0; i < 3u; ++i) {
    void *stack = NULL;
    if (OSPolicy_PalAllocatePages(IST_PAGES, &stack) != OSPOLICY_OK) {
      OSBaremetal_TestFail(report, name, "no memory for IST stack %u", i + 1u);
      *ok = 0;
      return;
    }
    tops[i] = (uint64_t)(uintptr_t)stack + IST_PAGES * OSBAREMETAL_PAGE_SIZE;
  }
  OSPolicy_Status sealed = kernel_cpu_tables_init(tops);
  OSBaremetal_PageInfo idt_page;
  if (sealed != OSPOLICY_OK || OSBaremetal_QueryPage(&kernel_memory.live, kernel_idt_base(), &idt_page) != OSPOLICY_OK ||
      idt_page.prot != OSPOLICY_PROT_READ) {
    OSBaremetal_TestFail(report, name, "IDT page not read-only: %s", OSBaremetal_StatusName(sealed));
    *ok = 0;
    return;
  }
  struct __attribute__((packed)) {
    uint16_t limit;
    uint64_t base;
  } idtr;
  __asm__ volatile("sidt %0" : "=m"(idtr));
  OSBaremetal_PageInfo guard;
  for (unsigned ist = KERNEL_IST_DF; ist <= KERNEL_IST_PF; ++ist) {
    uint64_t top = kernel_tss_ist(ist);
    if (top == 0u || OSBaremetal_QueryPage(&kernel_memory.live, top - IST_PAGES * OSBAREMETAL_PAGE_SIZE - 1u, &guard) !=
                         OSPOLICY_OK || guard.present) {
      OSBaremetal_TestFail(report, name, "IST%u has no stack with a guard page", ist);
      *ok = 0;
      return;
    }
  }
  if (idtr.base != kernel_idt_base() || idtr.limit != 256u * 16u - 1u) {
    OSBaremetal_TestFail(report, name, "IDTR does not point at the kernel's IDT");
    *ok = 0;
    return;
  }
  OSBaremetal_TestNote(report, "kernel: GDT/TSS/IDT loaded, IDT page read-only; IST1 #DF, IST2 NMI, IST3 #PF, "
                               "%u KiB each with guard pages",
                       IST_PAGES * 4u);
  OSBaremetal_TestPass(report, name);
}

static void harden_cpu(OSBaremetal_TestReport *report) {
  const char *name = "kernel.cpu_hardening";
  OSBaremetal_TestStart(report, name);
  OSBaremetal_CpuHardening hardening;
  OSPolicy_Status status = OSBaremetal_HardenCpu(&hardening);
  OSBaremetal_TestNote(report, "kernel: CR0.WP %s, EFER.NXE %s, CR4.SMEP %s, CR4.SMAP %s (CPUID: SMEP %s, SMAP %s, RDRAND %s)",
                       (hardening.cr0 & OSBAREMETAL_CR0_WP) != 0u ? "on" : "off",
                       (hardening.efer & OSBAREMETAL_EFER_NXE) != 0u ? "on" : "off",
                       (hardening.cr4 & OSBAREMETAL_CR4_SMEP) != 0u ? "on" : "off",
                       (hardening.cr4 & OSBAREMETAL_CR4_SMAP) != 0u ? "on" : "off",
                       hardening.features.smep ? "yes" : "no", hardening.features.smap ? "yes" : "no",
                       hardening.features.rdrand ? "yes" : "no");
  if (status != OSPOLICY_OK) {
    OSBaremetal_TestFail(report, name, "%s", OSBaremetal_StatusName(status));
  } else {
    OSBaremetal_TestPass(report, name);
  }
}

#ifdef OSPOLICY_KERNEL_SMASH
/* The smash boot mode (kernel-smash.elf): overrun a stack buffer on purpose.
 * The index goes through a volatile so the compiler cannot see the overrun;
 * returning from this frame must end in __stack_chk_fail. */
__attribute__((noinline)) static void smash_stack(OSBaremetal_TestReport *report) {
  char buffer[16];
  volatile size_t length = 64;
  OSBaremetal_TestNote(report, "kernel: smash mode: writing %lu bytes into a 16-byte stack buffer",
                       (unsigned long)length);
  for (size_t i = 0; i < length; ++i) {
    ((volatile char *)buffer)[i] = 'A';
  }
  __asm__ volatile("" : : "r"(buffer) : "memory");
}
#endif

/* The boot canary: 8 bytes of the loader's seed (pool output; bytes 24..31
 * of the OSPolicy_EntropySeed block, low byte cleared as every canary here),
 * read before anything with a stack protector runs. 0 if there is no seed:
 * the caller refuses to go on. Touches nothing that is protected. */
static uint64_t boot_canary(const OSPolicy_BootInfo *info) __attribute__((no_stack_protector));
static uint64_t boot_canary(const OSPolicy_BootInfo *info) {
  if (info == NULL || info->magic != OSPOLICY_BOOT_INFO_MAGIC || (info->flags & OSPOLICY_BOOT_INFO_FLAG_SEEDED) == 0u) {
    return 0;
  }
  uint64_t value = 0;
  for (unsigned i = 0; i < 8u; ++i) {
    value |= (uint64_t)info->seed[24u + i] << (8u * i);
  }
  return value & ~(uint64_t)0xFF;
}

static uint64_t installed_boot_canary;

static void report_boot_canary(OSBaremetal_TestReport *report, const OSPolicy_BootInfo *info) {
  const char *name = "kernel.boot_canary";
  OSBaremetal_TestStart(report, name);
  uint64_t value;
  __asm__ volatile("movq %%fs:0x28, %0" : "=r"(value));
  uint32_t credited = info->entropy_credited_bits;
  uint32_t bits = credited < 56u ? credited : 56u;
  if (value == 0u || value != installed_boot_canary || (value & 0xFFu) != 0u) {
    OSBaremetal_TestFail(report, name, "%%fs:0x28 does not hold the boot canary");
    return;
  }
  OSBaremetal_TestNote(report, "kernel: boot canary from the loader's seed installed before any protected function: "
                               "56 bits of seed, %u of them credited (the loader credited %u bits to the whole seed)",
                       bits, credited);
  OSBaremetal_TestPass(report, name);
}

void kernel_main(OSPolicy_BootInfo *boot_info) {
  /* First: the stack protector and libsodium read %fs:0x28, so the FS base
   * and a canary from the loader's seed come before any protected function
   * (kernel_install_fs_base has no protected frame). No seed: no canary, no
   * kernel. */
  kernel_install_fs_base();
  installed_boot_canary = boot_canary(boot_info);
  if (installed_boot_canary == 0u) {
    OSBaremetal_Com1WriteString("ospolicy: kernel panic: no boot seed for the stack canary\r\n");
    OSBaremetal_DebugExit(OSBAREMETAL_DEBUG_EXIT_PANIC);
  }
  kernel_percpu.stack_canary = installed_boot_canary;
  OSBaremetal_TestReport report;
  kernel_console_init(&report);
  OSBaremetal_TestNote(&report, "kernel: entry reached (%s build)", kernel_is_release() ? "release" : "debug");
  uint32_t loader_passed = 0;
  uint32_t loader_failed = 1; /* unknown until the block is validated */
  int ok = 0;
  if (check_boot_info(&report, boot_info)) {
    ok = 1;
    report_boot_canary(&report, boot_info);
    loader_passed = boot_info->loader_tests_passed;
    loader_failed = boot_info->loader_tests_failed;
    kernel_console_withhold(boot_info->kernel_slide);
#ifdef OSPOLICY_KERNEL_FORGED_SLIDE
    forged_slides(&report, boot_info);
#endif
    check_slide(&report, boot_info);
    check_relocations(&report, boot_info);
    check_cpu_protection(&report);
    check_page_tables(&report, boot_info);
    check_memory_map(&report, boot_info);
    check_entropy(&report, boot_info);
    own_page_tables(&report, boot_info, &ok);
  }
  if (ok) {
    cpu_tables(&report, &ok);
  }
  if (ok) {
    harden_cpu(&report);
    kernel_entropy_init(&report, boot_info);
    kernel_check_firmware_rng_denied(&report);
    uint64_t canary = kernel_make_canary(&report);
    if (canary != 0u && canary != installed_boot_canary) {
      /* Only frames without a protector (this one) are live here. */
      kernel_percpu.stack_canary = canary;
      kernel_check_canary(&report);
    }
#ifdef OSPOLICY_KERNEL_SMASH
    kernel_selftest_kaslr(&report, boot_info);
    smash_stack(&report);
    kernel_panic("smash mode: the overrun went undetected");
#endif
    kernel_selftest_frames(&report);
    kernel_selftest_faults(&report);
    kernel_selftest_cpu(&report);
    kernel_selftest_split(&report);
    kernel_selftest_stubs(&report);
    kernel_selftest_payload(&report);
    kernel_selftest_modules(&report);
    kernel_selftest_manifest(&report);
    kernel_selftest_protection(&report);
    kernel_selftest_fixups(&report); /* seals the dynamic fixups: no probe adds one after this */
    (void)kernel_mac_init(&report); /* before any agent: without a verified policy every agent is refused */
    kernel_selftest_agents(&report);
    kernel_selftest_kaslr(&report, boot_info);
    kernel_selftest_wx_audit(&report);
  }
  OSBaremetal_TestSummary(&report, loader_passed, loader_failed);
  int passed = report.failed == 0u && loader_failed == 0u && ok;
  OSBaremetal_DebugExit(passed ? OSBAREMETAL_DEBUG_EXIT_SUCCESS : OSBAREMETAL_DEBUG_EXIT_FAILURE);
}
