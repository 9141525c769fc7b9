/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * Exception fixups: where execution resumes after an expected fault. The
 * static table (__ex_table, built by probes.S) maps each probing
 * instruction to its "faulted" exit, as Linux's exception table does; the
 * dynamic slots map a jump target (exec probes, stubs) to a resume point.
 *
 * A fixup applies only to the fault it was declared for (Linux's exception
 * table types do the same job): the faulting instruction must be the one the
 * entry names, the CPU must have been in ring 0, and
 *   KERNEL_FIXUP_PROBE      (probes.S)  #PF, no reserved-bit error;
 *   KERNEL_FIXUP_USER_COPY  (user_entry.S, the copy helpers)  #PF for a
 *                           supervisor access (U/S clear), no reserved bit,
 *                           CR2 in the user half: a fault on a kernel
 *                           address inside a copy helper is a kernel bug and
 *                           panics;
 *   dynamic slots           #PF for an instruction fetch (I/D set) at the
 *                           target, or #UD at it (the stub probes).
 * Anything else, #GP included, panics (exceptions.c). The static table is in
 * .rodata (read-only from the loader on); the dynamic slots have a page of
 * their own, made read-only by kernel_fixup_seal once the probes that need
 * them have run, after which kernel_fixup_add refuses.
 */
#include "kernel.h"

typedef struct ex_entry {
  int32_t fault;  /* offset of the faulting instruction from this field */
  int32_t resume; /* offset of the resume point from this field */
  uint32_t kind;  /* KERNEL_FIXUP_* */
} ex_entry;

extern const ex_entry __start_ex_table[];
extern const ex_entry __stop_ex_table[];

typedef struct dynamic_fixup {
  uint64_t fault;
  uint64_t resume; /* 0: free */
} dynamic_fixup;

/* A page of its own, sealed read-only by kernel_fixup_seal. */
static _Alignas(4096) dynamic_fixup dynamic[4096u / sizeof(dynamic_fixup)];
_Static_assert(sizeof dynamic == 4096u, "the dynamic fixups fill their page");
static int sealed;

static uint64_t target_of(const int32_t *field) {
  return (uint64_t)(uintptr_t)field + (uint64_t)(int64_t)*field;
}

uint32_t kernel_fixup_static_count(void) {
  return (uint32_t)(__stop_ex_table - __start_ex_table);
}

static int static_kind_allows(uint32_t kind, const KernelFaultSite *site) {
  if (site->vector != KERNEL_VECTOR_PF || (site->error_code & KERNEL_PF_RESERVED) != 0u) {
    return 0;
  }
  switch (kind) {
    case KERNEL_FIXUP_PROBE:
      return 1;
    case KERNEL_FIXUP_USER_COPY:
      return (site->error_code & KERNEL_PF_USER) == 0u && site->cr2 < KERNEL_USER_LIMIT;
    default:
      return 0;
  }
}

int kernel_fixup_find(const KernelFaultSite *site, uint64_t *resume_rip) {
  if ((site->cs & 3u) != 0u) {
    return 0; /* ring 3 faults are the agent's (agent.c), never fixed up */
  }
  for (const ex_entry *e = __start_ex_table; e < __stop_ex_table; ++e) {
    if (target_of(&e->fault) == site->rip) {
      if (!static_kind_allows(e->kind, site)) {
        return 0;
      }
      *resume_rip = target_of(&e->resume);
      return 1;
    }
  }
  int fetch = site->vector == KERNEL_VECTOR_PF && (site->error_code & KERNEL_PF_FETCH) != 0u &&
              (site->error_code & KERNEL_PF_RESERVED) == 0u && site->cr2 == site->rip;
  if (!fetch && site->vector != KERNEL_VECTOR_UD) {
    return 0;
  }
  for (uint32_t i = 0; i < KERNEL_DYNAMIC_FIXUPS; ++i) {
    if (dynamic[i].resume != 0u && dynamic[i].fault == site->rip) {
      *resume_rip = dynamic[i].resume;
      return 1;
    }
  }
  return 0;
}

OSPolicy_Status kernel_fixup_seal(void) {
  for (uint32_t i = 0; i < KERNEL_DYNAMIC_FIXUPS; ++i) {
    if (dynamic[i].resume != 0u) {
      return OSPOLICY_ERR_PAL_CONTRACT; /* a probe left its slot behind */
    }
  }
  OSPolicy_Status status =
      OSBaremetal_ProtectPages(&kernel_memory.live, (uint64_t)(uintptr_t)dynamic, sizeof dynamic, OSPOLICY_PROT_READ);
  if (status == OSPOLICY_OK) {
    sealed = 1;
  }
  return status;
}

uint64_t kernel_fixup_dynamic_base(void) {
  return (uint64_t)(uintptr_t)dynamic;
}

int kernel_fixup_add(uint64_t fault_rip, uint64_t resume_rip) {
  if (sealed) {
    return 0;
  }
  for (uint32_t i = 0; i < KERNEL_DYNAMIC_FIXUPS; ++i) {
    if (dynamic[i].resume == 0u) {
      dynamic[i].fault = fault_rip;
      dynamic[i].resume = resume_rip;
      return 1;
    }
  }
  return 0;
}

void kernel_fixup_remove(uint64_t fault_rip) {
  if (sealed) {
    return;
  }
  for (uint32_t i = 0; i < KERNEL_DYNAMIC_FIXUPS; ++i) {
    if (dynamic[i].fault == fault_rip) {
      dynamic[i].fault = 0;
      dynamic[i].resume = 0;
    }
  }
}

int kernel_probe_exec(uint64_t target) {
  if (!kernel_fixup_add(target, (uint64_t)(uintptr_t)&kprobe_exec_resume)) {
    kernel_panic("no dynamic fixup slot (all in use, or the table is sealed)");
  }
  int faulted = kprobe_exec(target);
  kernel_fixup_remove(target);
  return faulted;
}

/* The lookup's rules on the copy helper's user load (a plan test of
 * kernel_fixup_find: a live fault that breaks a rule would panic the kernel,
 * so each refusal is checked on the table itself; the accepted case is also
 * provoked live by kernel.agent_bad_pointer). Then the dynamic slots are
 * sealed and a write to them must fault. */
void kernel_selftest_fixups(OSBaremetal_TestReport *report) {
  const char *name = "kernel.fixup_rules";
  OSBaremetal_TestStart(report, name);
  uint64_t load = (uint64_t)(uintptr_t)kernel_copy_user_load;
  uint64_t user = 0x1000u;
  uint64_t kernel_address = (uint64_t)(uintptr_t)&sealed;
  struct {
    const char *what;
    KernelFaultSite site;
    int want;
  } cases[] = {
      {"#PF, supervisor read of a user page, ring 0", {KERNEL_VECTOR_PF, 0u, load, 0x08u, user}, 1},
      {"the same from ring 3", {KERNEL_VECTOR_PF, 0u, load, 0x23u, user}, 0},
      {"#GP at the same instruction", {KERNEL_VECTOR_GP, 0u, load, 0x08u, 0u}, 0},
      {"#UD at the same instruction", {KERNEL_VECTOR_UD, 0u, load, 0x08u, 0u}, 0},
      {"#PF with U/S set", {KERNEL_VECTOR_PF, KERNEL_PF_USER, load, 0x08u, user}, 0},
      {"#PF with a reserved bit", {KERNEL_VECTOR_PF, KERNEL_PF_PRESENT | KERNEL_PF_RESERVED, load, 0x08u, user}, 0},
      {"#PF on a kernel address", {KERNEL_VECTOR_PF, KERNEL_PF_PRESENT, load, 0x08u, kernel_address}, 0},
      {"#PF one byte past the declared instruction", {KERNEL_VECTOR_PF, 0u, load + 1u, 0x08u, user}, 0},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; ++i) {
    uint64_t resume = 0;
    int found = kernel_fixup_find(&cases[i].site, &resume);
    if (found != cases[i].want || (found && resume == 0u)) {
      OSBaremetal_TestFail(report, name, "%s: %s", cases[i].what, found ? "fixed up" : "not fixed up");
      return;
    }
  }
  /* The IRETQ rule (agent.c): #GP(0) in ring 0 at one of the two IRETQs
   * to ring 3. The genuine case matches; each frame breaking one condition
   * does not. */
  extern const char kernel_enter_iretq[], kernel_syscall_iretq[];
  uint64_t iretq = (uint64_t)(uintptr_t)kernel_enter_iretq;
  KernelExceptionFrame frame;
  for (unsigned i = 0; i < 6u; ++i) {
    __builtin_memset(&frame, 0, sizeof frame);
    frame.vector = KERNEL_VECTOR_GP;
    frame.rip = i == 1u ? (uint64_t)(uintptr_t)kernel_syscall_iretq : iretq;
    frame.cs = 0x08u;
    frame.vector = i == 2u ? KERNEL_VECTOR_PF : frame.vector;
    frame.error_code = i == 3u ? 0x18u : 0u;
    frame.cs = i == 4u ? 0x23u : frame.cs;
    frame.rip = i == 5u ? iretq + 1u : frame.rip;
    int want = i < 2u;
    if (kernel_iretq_fault_matches(&frame) != want) {
      OSBaremetal_TestFail(report, name, "IRETQ rule, frame %u: %s", i, want ? "not matched" : "matched");
      return;
    }
  }
  OSBaremetal_TestNote(report, "kernel: %u static fixups; each applies only to its instruction, its vector and "
                               "error code, in ring 0",
                       kernel_fixup_static_count());
  OSBaremetal_TestPass(report, name);

  name = "kernel.fixups_sealed";
  OSBaremetal_TestStart(report, name);
  OSPolicy_Status status = kernel_fixup_seal();
  OSBaremetal_PageInfo page;
  if (status != OSPOLICY_OK ||
      OSBaremetal_QueryPage(&kernel_memory.live, kernel_fixup_dynamic_base(), &page) != OSPOLICY_OK ||
      page.prot != OSPOLICY_PROT_READ) {
    OSBaremetal_TestFail(report, name, "dynamic fixups not sealed: %s", OSBaremetal_StatusName(status));
    return;
  }
  volatile uint8_t *slot = (volatile uint8_t *)(uintptr_t)kernel_fixup_dynamic_base();
  uint8_t old = *slot;
  uint64_t before = kernel_fault.count;
  if (!kernel_expect_fault(report, name, kprobe_write8(slot, (uint8_t)(old ^ 0xFFu)), before,
                           kernel_expect_write_fault((uint64_t)(uintptr_t)slot))) {
    return;
  }
  if (*slot != old || kernel_fixup_add(0x1000u, 0x2000u)) {
    OSBaremetal_TestFail(report, name, "the sealed table changed or took a new slot");
    return;
  }
  OSBaremetal_TestPass(report, name);
}
