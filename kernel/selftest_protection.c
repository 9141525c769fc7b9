/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * The memory rules that hold below the plans (docs/kernel.md, "Page tables
 * and the W+X audit"), proved on the live tables:
 *   kernel.wx_alias_refused      the editor refuses a writable alias of an
 *                                executable frame (kernel text; a user RX
 *                                page) and an executable alias of a writable
 *                                one; the refused address stays unmapped (a
 *                                write there faults, not present) and the
 *                                text is unchanged;
 *   kernel.forged_from_refused   a valid RW -> RX plan for a page that is
 *                                read-only (the plan lies about `from`) is
 *                                denied by the PAL before any entry changes:
 *                                the page stays R, fetching from it faults;
 *   kernel.sealed_reclaim_refused a reclaim plan (R -> RW) for the sealed
 *                                trust set is denied: still R, a write to the
 *                                enforcement latch still faults.
 */
#include "kernel.h"
#include "kernel_layout.h"
#include "ospolicy/page_protection.h"
#include "ospolicy/pal.h"
#include "oshost_baremetal.h"

/* Nothing is ever mapped here: the alias probes' target. */
#define ALIAS_PROBE_ADDRESS ((uint64_t)0xffffca0000000000)
#define USER_ALIAS_ADDRESS (KERNEL_USER_PROBE_BASE + ((uint64_t)16 << 20))

static uint64_t addr(const void *pointer) {
  return (uint64_t)(uintptr_t)pointer;
}

static int physical_of(uint64_t address, uint64_t *physical) {
  OSBaremetal_PageInfo info;
  if (OSBaremetal_QueryPage(&kernel_memory.live, address, &info) != OSPOLICY_OK || !info.present) {
    return 0;
  }
  *physical = info.physical & ~(OSBAREMETAL_PAGE_SIZE - 1u);
  return 1;
}

static uint32_t prot_of(uint64_t address) {
  OSBaremetal_PageInfo info;
  if (OSBaremetal_QueryPage(&kernel_memory.live, address, &info) != OSPOLICY_OK || !info.present) {
    return 0;
  }
  return info.prot;
}

/* One refused alias: DENIED_WX_ALIAS naming `existing`, nothing mapped. */
static int refused(OSBaremetal_TestReport *report, const char *name, const char *what, uint64_t target,
                   uint64_t frame, uint32_t prot, uint32_t flags, uint64_t existing) {
  OSPolicy_Status status = OSBaremetal_MapPagesEx(&kernel_memory.live, target, frame, OSBAREMETAL_PAGE_SIZE, prot, flags);
  OSBaremetal_PageInfo info;
  if (status != OSPOLICY_DENIED_WX_ALIAS || kernel_memory.live.alias_address != existing) {
    char where[40];
    OSBaremetal_TestFail(report, name, "%s: %s (alias named %s)", what, OSBaremetal_StatusName(status),
                         kernel_describe_address(kernel_memory.live.alias_address, where, sizeof where));
    if (status == OSPOLICY_OK) {
      /* Take the alias away again; the failure is already reported. */
      OSPolicy_Status undone = OSBaremetal_UnmapPages(&kernel_memory.live, target, OSBAREMETAL_PAGE_SIZE);
      (void)undone;
    }
    return 0;
  }
  if (OSBaremetal_QueryPage(&kernel_memory.live, target, &info) != OSPOLICY_OK || info.present) {
    OSBaremetal_TestFail(report, name, "%s: refused, but the address is mapped", what);
    return 0;
  }
  return 1;
}

static void wx_alias_refused(OSBaremetal_TestReport *report) {
  const char *name = "kernel.wx_alias_refused";
  OSBaremetal_TestStart(report, name);
  uint64_t text = addr(__text_start);
  uint64_t text_frame = 0;
  uint64_t user_frame = 0;
  void *data = NULL;
  uint64_t data_frame = 0;
  if (!physical_of(text, &text_frame) || kernel_allocate_frames(NULL, 1, &user_frame) != OSPOLICY_OK ||
      OSPolicy_PalAllocatePages(1, &data) != OSPOLICY_OK || !physical_of(addr(data), &data_frame)) {
    OSBaremetal_TestFail(report, name, "setup: text frame, a fresh frame or a PAL page missing");
    return;
  }
  volatile const uint8_t *text_bytes = (volatile const uint8_t *)(uintptr_t)text;
  uint8_t old = text_bytes[0];
  /* Kernel text writable elsewhere. */
  if (!refused(report, name, "RW alias of kernel text", ALIAS_PROBE_ADDRESS, text_frame, OSPOLICY_PROT_RW, 0u, text)) {
    return;
  }
  /* The live proof: the would-be alias is not there, a write faults
   * (not present) and the text is as it was. */
  uint64_t before = kernel_fault.count;
  int faulted = kprobe_write8((volatile void *)(uintptr_t)ALIAS_PROBE_ADDRESS, 0xCC);
  if (!kernel_expect_fault(report, name, faulted, before,
                           (KernelFaultExpectation){KERNEL_VECTOR_PF, ALIAS_PROBE_ADDRESS, KERNEL_PF_WRITE,
                                                    KERNEL_PF_PRESENT | KERNEL_PF_FETCH})) {
    return;
  }
  if (text_bytes[0] != old || prot_of(text) != OSPOLICY_PROT_RX) {
    OSBaremetal_TestFail(report, name, "kernel text changed");
    return;
  }
  /* A writable PAL page executable elsewhere. */
  if (!refused(report, name, "RX alias of a RW page", ALIAS_PROBE_ADDRESS, data_frame, OSPOLICY_PROT_RX, 0u,
               addr(data))) {
    return;
  }
  /* A frame an (agent's) user mapping executes is writable nowhere. */
  OSPolicy_Status status = OSBaremetal_MapPagesEx(&kernel_memory.live, USER_ALIAS_ADDRESS, user_frame,
                                                  OSBAREMETAL_PAGE_SIZE, OSPOLICY_PROT_RX, OSBAREMETAL_MAP_USER);
  if (status != OSPOLICY_OK) {
    OSBaremetal_TestFail(report, name, "user RX page: %s", OSBaremetal_StatusName(status));
    return;
  }
  int ok = refused(report, name, "RW alias of a user RX page", ALIAS_PROBE_ADDRESS, user_frame, OSPOLICY_PROT_RW, 0u,
                   USER_ALIAS_ADDRESS);
  /* No user mode here: the user page goes again (kernel.wx_audit wants none). */
  status = OSBaremetal_UnmapPages(&kernel_memory.live, USER_ALIAS_ADDRESS, OSBAREMETAL_PAGE_SIZE);
  if (ok && status != OSPOLICY_OK) {
    OSBaremetal_TestFail(report, name, "unmapping the user page: %s", OSBaremetal_StatusName(status));
    return;
  }
  if (ok) {
    OSBaremetal_TestNote(report, "kernel: W+X aliases refused (%s): kernel text RW, a RW page RX, a user RX page RW",
                         OSBaremetal_StatusName(OSPOLICY_DENIED_WX_ALIAS));
    OSBaremetal_TestPass(report, name);
  }
}

static OSPolicy_Status apply(void *base, size_t size, uint32_t from, uint32_t to, uint32_t flags) {
  OSPolicy_PageProtectionRequest request = {(uintptr_t)base, size, OSBAREMETAL_PAGE_SIZE, from, to, flags};
  OSPolicy_PageProtectionPlan plan;
  OSPolicy_Status status = OSPolicy_PlanPageProtection(&request, &plan);
  return status == OSPOLICY_OK ? OSPolicy_PalProtectPages(&plan) : status;
}

static void forged_from_refused(OSBaremetal_TestReport *report) {
  const char *name = "kernel.forged_from_refused";
  OSBaremetal_TestStart(report, name);
  void *page = NULL;
  OSPolicy_Status status = OSPolicy_PalAllocatePages(1, &page);
  if (status == OSPOLICY_OK) {
    volatile uint8_t *bytes = page;
    bytes[0] = 0x31; /* xor eax, eax; ret: returns 0 if it ever runs */
    bytes[1] = 0xC0;
    bytes[2] = 0xC3;
    status = apply(page, OSBAREMETAL_PAGE_SIZE, OSPOLICY_PROT_RW, OSPOLICY_PROT_READ, 0u);
  }
  if (status != OSPOLICY_OK) {
    OSBaremetal_TestFail(report, name, "setup (allocate, seal R): %s", OSBaremetal_StatusName(status));
    return;
  }
  uint64_t calls = OSHostBaremetal_ProtectCallCount();
  /* A valid plan: RW -> RX is seal-exec. Only its `from` is false. */
  status = apply(page, OSBAREMETAL_PAGE_SIZE, OSPOLICY_PROT_RW, OSPOLICY_PROT_RX, 0u);
  if (status != OSPOLICY_DENIED_BY_PLATFORM || OSHostBaremetal_ProtectCallCount() != calls ||
      prot_of(addr(page)) != OSPOLICY_PROT_READ) {
    OSBaremetal_TestFail(report, name, "RW -> RX plan on a read-only page: %s, page prot 0x%x, %lu edits",
                         OSBaremetal_StatusName(status), prot_of(addr(page)),
                         (unsigned long)(OSHostBaremetal_ProtectCallCount() - calls));
    return;
  }
  uint64_t before = kernel_fault.count;
  if (!kernel_expect_fault(report, name, kernel_probe_exec(addr(page)), before,
                           kernel_expect_fetch_fault(addr(page)))) {
    return;
  }
  OSBaremetal_TestNote(report, "kernel: forged-from plan (RW -> RX on a read-only page) %s before any edit; "
                               "a fetch from the page still faults",
                       OSBaremetal_StatusName(status));
  OSBaremetal_TestPass(report, name);
}

static void sealed_reclaim_refused(OSBaremetal_TestReport *report) {
  const char *name = "kernel.sealed_reclaim_refused";
  OSBaremetal_TestStart(report, name);
  KernelTrust trust;
  OSPolicy_Status status = kernel_trust_init(&trust);
  if (status != OSPOLICY_OK || trust.trust == NULL) {
    OSBaremetal_TestFail(report, name, "trust set (%s): %s", kernel_step_name(trust.step), OSBaremetal_StatusName(status));
    return;
  }
  uint64_t base = addr(trust.trust);
  uint64_t calls = OSHostBaremetal_ProtectCallCount();
  status = apply((void *)(uintptr_t)base, trust.pages * OSBAREMETAL_PAGE_SIZE, OSPOLICY_PROT_READ, OSPOLICY_PROT_RW,
                 OSPOLICY_PAGE_RECLAIM);
  uint32_t prot = prot_of(base);
  if (status != OSPOLICY_DENIED_BY_PLATFORM || OSHostBaremetal_ProtectCallCount() != calls ||
      prot != OSPOLICY_PROT_READ) {
    OSBaremetal_TestFail(report, name, "reclaim of the trust set: %s, prot 0x%x", OSBaremetal_StatusName(status), prot);
    return;
  }
  volatile uint8_t *latch = (volatile uint8_t *)&trust.trust->enforce;
  uint64_t before = kernel_fault.count;
  if (!kernel_expect_fault(report, name, kprobe_write8(latch, 0), before,
                           kernel_expect_write_fault(addr((const void *)latch)))) {
    return;
  }
  if (trust.trust->enforce != 1u) {
    OSBaremetal_TestFail(report, name, "enforcement latch changed");
    return;
  }
  OSBaremetal_TestNote(report, "kernel: reclaim of the sealed trust set (%lu page(s)) %s; the latch still faults",
                       (unsigned long)trust.pages, OSBaremetal_StatusName(status));
  OSBaremetal_TestPass(report, name);
}

void kernel_selftest_protection(OSBaremetal_TestReport *report) {
  wx_alias_refused(report);
  forged_from_refused(report);
  sealed_reclaim_refused(report);
}
