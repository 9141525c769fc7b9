/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * Ring 3, proven by provoking it (docs/kernel.md, "Agents"): a well-behaved
 * agent runs every system call in its own address space; two agents get
 * different layouts; refused images; and, in debug images only, one hostile
 * agent per isolation claim, each checked by how it ended (the vector, the
 * error-code bits and the address of the fault that killed it, or the
 * status the kernel returned). The kernel goes on after each.
 */
#include "kernel.h"
#include "kernel_layout.h"
#include "ospolicy/page_protection.h"
#include "x86_cpu.h"

#define DECLARE_AGENT(n)                                                                                       \
  extern const uint8_t kernel_agent_##n[], kernel_agent_##n##_sig[];                                         \
  extern const size_t kernel_agent_##n##_size, kernel_agent_##n##_sig_size;                                  \
  static const KernelAgentImage n##_image = {#n, kernel_agent_##n, 0, kernel_agent_##n##_sig, 0}
/* The sizes are not constant expressions: image_of() fills them in. */
#define IMAGE(n) image_of(n##_image, kernel_agent_##n##_size, kernel_agent_##n##_sig_size)

DECLARE_AGENT(hello);
DECLARE_AGENT(worker);
#ifdef OSPOLICY_KERNEL_HOSTILE_AGENTS
DECLARE_AGENT(read_address);
DECLARE_AGENT(write_text);
DECLARE_AGENT(exec_stack);
DECLARE_AGENT(exec_heap);
DECLARE_AGENT(syscall_denied);
DECLARE_AGENT(protect_rwx);
DECLARE_AGENT(bad_pointer);
DECLARE_AGENT(spin);
DECLARE_AGENT(quota);
DECLARE_AGENT(over_quota);
DECLARE_AGENT(bad_manifest);
DECLARE_AGENT(privileged);
DECLARE_AGENT(malformed);
DECLARE_AGENT(cap_probe);
DECLARE_AGENT(cap_peer);
DECLARE_AGENT(unlabelled);
extern const uint8_t kernel_mac_policy_tampered[], kernel_mac_policy_sig[];
extern const size_t kernel_mac_policy_tampered_size, kernel_mac_policy_sig_size;
extern const uint8_t kernel_agent_hello_tampered[];
extern const size_t kernel_agent_hello_tampered_size;
#endif

static KernelAgentImage image_of(KernelAgentImage image, size_t size, size_t envelope_size) {
  image.image_size = size;
  image.envelope_size = envelope_size;
  return image;
}

/* Every agent this run made, for the final audit. */
#define MAX_AGENTS 32u
static KernelAgent agents[MAX_AGENTS];
static unsigned agents_used;
/* TSC cycles per PIT tick, measured around the budget case (0: unknown). */
static uint64_t tsc_per_tick;

static uint64_t read_tsc(void) {
  uint32_t low;
  uint32_t high;
  __asm__ volatile("rdtsc" : "=a"(low), "=d"(high));
  return ((uint64_t)high << 32) | low;
}

static KernelAgent *load(OSBaremetal_TestReport *report, const char *test, KernelAgentImage image,
                         KernelAgentStart start) {
  if (agents_used >= MAX_AGENTS) {
    OSBaremetal_TestFail(report, test, "more than %u agents", MAX_AGENTS);
    return NULL;
  }
  KernelAgent *agent = &agents[agents_used];
  OSPolicy_Status status = kernel_agent_load_signed(&image, &start, agent);
  if (status != OSPOLICY_OK) {
    OSBaremetal_TestFail(report, test, "agent %s refused at %s: %s", image.name, agent->load_step,
                         OSBaremetal_StatusName(status));
    return NULL;
  }
  agents_used++;
  return agent;
}

static void run1(KernelAgent *agent) {
  KernelAgent *list[1] = {agent};
  kernel_agents_run(list, 1);
}

static void describe_layout(OSBaremetal_TestReport *report, const KernelAgent *agent) {
  char image[40];
  char stack[40];
  char heap[40];
  OSBaremetal_TestNote(report, "kernel: agent %s layout: image %s (%lu KiB), stack top %s, heap %s", agent->name,
                       kernel_describe_address(agent->image_base, image, sizeof image),
                       (unsigned long)(agent->image_size >> 10),
                       kernel_describe_address(agent->stack_top, stack, sizeof stack),
                       kernel_describe_address(agent->heap_base, heap, sizeof heap));
}

static int expect_exit(OSBaremetal_TestReport *report, const char *test, const KernelAgent *agent, uint64_t code) {
  if (agent->state != KERNEL_AGENT_EXITED) {
    OSBaremetal_TestFail(report, test, "agent %s did not exit (state %u: %s)", agent->name, agent->state,
                         agent->kill_reason != NULL ? agent->kill_reason : "-");
    return 0;
  }
  if (agent->exit_code != code) {
    OSBaremetal_TestFail(report, test, "agent %s exited 0x%lx, want 0x%lx", agent->name,
                         (unsigned long)agent->exit_code, (unsigned long)code);
    return 0;
  }
  return 1;
}

#ifdef OSPOLICY_KERNEL_HOSTILE_AGENTS
/* Killed by a #PF in ring 3 at `address` with `set` bits set (U always) and
 * `clear` bits clear. */
static int expect_user_pf(OSBaremetal_TestReport *report, const char *test, const KernelAgent *agent,
                          uint64_t address, uint64_t set, uint64_t clear) {
  if (agent->state != KERNEL_AGENT_KILLED) {
    OSBaremetal_TestFail(report, test, "agent %s was not killed (state %u, exit 0x%lx)", agent->name, agent->state,
                         (unsigned long)agent->exit_code);
    return 0;
  }
  set |= KERNEL_PF_USER;
  if (agent->kill_vector != KERNEL_VECTOR_PF || agent->kill_cr2 != address || (agent->kill_error & set) != set ||
      (agent->kill_error & clear) != 0u) {
    OSBaremetal_TestFail(report, test, "agent %s: %s, CR2 0x%lx error 0x%lx; want #PF at 0x%lx with 0x%lx set, 0x%lx clear",
                         agent->name, kernel_vector_name(agent->kill_vector), (unsigned long)agent->kill_cr2,
                         (unsigned long)agent->kill_error, (unsigned long)address, (unsigned long)set,
                         (unsigned long)clear);
    return 0;
  }
  return 1;
}
#endif

static void check_hello(OSBaremetal_TestReport *report, KernelAgent **hello_out) {
  const char *name = "kernel.agent_hello";
  OSBaremetal_TestStart(report, name);
  *hello_out = NULL;
  KernelAgent *hello = load(report, name, IMAGE(hello), (KernelAgentStart){0, 0, 0});
  if (hello == NULL) {
    return;
  }
  describe_layout(report, hello);
  OSBaremetal_PageInfo text;
  if (OSBaremetal_QueryPage(&hello->space, hello->entry, &text) != OSPOLICY_OK || !text.present ||
      text.prot != OSPOLICY_PROT_RX || !text.user) {
    OSBaremetal_TestFail(report, name, "entry page not user RX (prot 0x%x user %u)", text.prot, text.user);
    return;
  }
  if (OSBaremetal_QueryPage(&kernel_memory.live, hello->entry, &text) != OSPOLICY_OK || text.present) {
    OSBaremetal_TestFail(report, name, "the agent's text is visible in the kernel's own address space");
    return;
  }
  run1(hello);
  if (!expect_exit(report, name, hello, 0x600d)) {
    return;
  }
  if ((osb_read_cr3() & OSBAREMETAL_PTE_ADDRESS_MASK) != kernel_memory.live.root) {
    OSBaremetal_TestFail(report, name, "CR3 is not the kernel's after the agent ended");
    return;
  }
  OSBaremetal_TestNote(report, "kernel: agent hello: %lu system calls, %lu of %lu quota frames used, exit 0x%lx",
                       (unsigned long)hello->syscall_count, (unsigned long)hello->frames_used,
                       (unsigned long)hello->quota_frames, (unsigned long)hello->exit_code);
  *hello_out = hello;
  OSBaremetal_TestPass(report, name);
}

static void check_layouts(OSBaremetal_TestReport *report, const KernelAgent *hello) {
  const char *name = "kernel.agent_layouts";
  OSBaremetal_TestStart(report, name);
  KernelAgent *worker = load(report, name, IMAGE(worker), (KernelAgentStart){0, 0, 0});
  if (worker == NULL || hello == NULL) {
    if (hello == NULL) {
      OSBaremetal_TestFail(report, name, "no hello agent to compare with");
    }
    return;
  }
  describe_layout(report, worker);
  /* The manifests' policies: hello names the six system calls before the
XX exit, write, yield and openat,
   * which this kernel lacks (denied); the runtime set adds getrandom (and exit). */
  uint64_t all = KERNEL_SYSCALL_BIT(KERNEL_SYS_GETRANDOM + 1u) - 1u;
  uint64_t worker_calls = KERNEL_SYSCALL_BIT(KERNEL_SYS_EXIT) | KERNEL_SYSCALL_BIT(KERNEL_SYS_WRITE) |
                          KERNEL_SYSCALL_BIT(KERNEL_SYS_YIELD) | KERNEL_SYSCALL_BIT(KERNEL_SYS_GETRANDOM);
  if (hello->syscalls != all || hello->unknown_syscalls != 0u || worker->syscalls != worker_calls ||
      worker->unknown_syscalls != 1u || hello->quota_frames != KERNEL_AGENT_DEFAULT_QUOTA) {
    OSBaremetal_TestFail(report, name, "manifest policy: hello bitmap 0x%lx (%u unknown), worker 0x%lx (%u unknown)",
                         (unsigned long)hello->syscalls, hello->unknown_syscalls, (unsigned long)worker->syscalls,
                         worker->unknown_syscalls);
    return;
  }
  OSBaremetal_TestNote(report, "kernel: agent worker: bitmap 0x%lx from its signed manifest; %u name this kernel "
                               "lacks stays denied",
                       (unsigned long)worker->syscalls, worker->unknown_syscalls);
  run1(worker);
  if (!expect_exit(report, name, worker, 0x600d)) {
    return;
  }
  if (worker->image_base == hello->image_base || worker->stack_top == hello->stack_top ||
      worker->heap_base == hello->heap_base) {
    OSBaremetal_TestFail(report, name, "two agents share a randomized base");
    return;
  }
  OSBaremetal_TestPass(report, name);
}

#ifdef OSPOLICY_KERNEL_HOSTILE_AGENTS
static int same_step(const char *a, const char *b) {
  size_t i = 0;
  while (a[i] != '\0' && a[i] == b[i]) {
    ++i;
  }
  return a[i] == b[i];
}

/* Bad agent images, each refused at its step with its status, and the
 * kernel goes on: nothing of theirs is mapped or run. */
static void check_refused(OSBaremetal_TestReport *report) {
  const char *name = "kernel.agent_refused";
  OSBaremetal_TestStart(report, name);
  KernelAgentImage tampered = IMAGE(hello);
  tampered.image = kernel_agent_hello_tampered;
  tampered.image_size = kernel_agent_hello_tampered_size;
  KernelAgentImage wrong_name = IMAGE(hello);
  wrong_name.name = "worker"; /* hello's envelope names hello */
#ifdef OSPOLICY_KERNEL_MODULE_ROGUE
  extern const uint8_t kernel_agent_hello_rogue_sig[];
  extern const size_t kernel_agent_hello_rogue_sig_size;
  KernelAgentImage rogue = IMAGE(hello);
  rogue.envelope = kernel_agent_hello_rogue_sig;
  rogue.envelope_size = kernel_agent_hello_rogue_sig_size;
#endif
  KernelAgentImage unsigned_image = IMAGE(hello);
  unsigned_image.envelope = NULL;
  unsigned_image.envelope_size = 0;
  struct {
    KernelAgentImage image;
    const char *step;
    OSPolicy_Status want;
  } cases[] = {
      {tampered, "verify", OSPOLICY_DENIED_MODSIGN_DIGEST_MISMATCH},
      {wrong_name, "verify", OSPOLICY_DENIED_MODSIGN_WRONG_OBJECT},
      {unsigned_image, "verify", OSPOLICY_DENIED_MODSIGN_NO_SIGNATURE},
#ifdef OSPOLICY_KERNEL_MODULE_ROGUE
      {rogue, "verify", OSPOLICY_DENIED_MODSIGN_UNKNOWN_KEY},
#endif
      {IMAGE(malformed), "manifest", OSPOLICY_ERR_ELF_BAD_MAGIC},
      {IMAGE(bad_manifest), "manifest", OSPOLICY_ERR_MANIFEST_MALFORMED},
      {IMAGE(over_quota), "quota", OSPOLICY_ERR_NO_MEMORY},
  };
  KernelAgent refused;
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; ++i) {
    OSPolicy_Status status = kernel_agent_load_signed(&cases[i].image, &(KernelAgentStart){0, 0, 0}, &refused);
    if (status != cases[i].want || refused.state != KERNEL_AGENT_REFUSED || refused.load_step == NULL ||
        !same_step(refused.load_step, cases[i].step) || refused.frame_base != 0u || refused.space.root != 0u) {
      OSBaremetal_TestFail(report, name, "case %lu (%s): %s at %s, want %s at %s, with no frames or address space",
                           (unsigned long)i, cases[i].image.name, OSBaremetal_StatusName(status),
                           refused.load_step != NULL ? refused.load_step : "-", OSBaremetal_StatusName(cases[i].want),
                           cases[i].step);
      return;
    }
    OSBaremetal_TestNote(report, "kernel: agent image %lu (%s) refused at %s: %s", (unsigned long)i,
                         cases[i].image.name, refused.load_step, OSBaremetal_StatusName(status));
  }
  OSBaremetal_TestPass(report, name);
}
#endif

static void check_smap(OSBaremetal_TestReport *report, const KernelAgent *hello) {
  int smap = (osb_read_cr4() & OSBAREMETAL_CR4_SMAP) != 0u;
  const char *name = smap ? "kernel.agent_smap" : "kernel.agent_smap_absent";
  OSBaremetal_TestStart(report, name);
  if (hello == NULL) {
    OSBaremetal_TestFail(report, name, "no agent address space to probe");
    return;
  }
  uint64_t target = hello->image_base;
  uint8_t byte = 0;
  osb_write_cr3(hello->space.root);
  uint64_t before = kernel_fault.count;
  int faulted = kprobe_read8((const volatile void *)(uintptr_t)target);
  uint64_t after = kernel_fault.count;
  uint64_t error = kernel_fault.error_code;
  uint64_t cr2 = kernel_fault.cr2;
  OSPolicy_Status copied = kernel_copy_from_user(&byte, target, 1);
  osb_write_cr3(kernel_memory.live.root);
  if (copied != OSPOLICY_OK || byte != 0x7Fu) {
    OSBaremetal_TestFail(report, name, "control: copy_from_user of the agent's first byte: %s, 0x%x",
                         OSBaremetal_StatusName(copied), byte);
  } else if (smap) {
    if (!faulted || after != before + 1u || cr2 != target || (error & KERNEL_PF_PRESENT) == 0u ||
        (error & (KERNEL_PF_USER | KERNEL_PF_WRITE | KERNEL_PF_FETCH)) != 0u) {
      OSBaremetal_TestFail(report, name, "a plain kernel read of user memory: faulted %d, CR2 0x%lx, error 0x%lx",
                           faulted, (unsigned long)cr2, (unsigned long)error);
    } else {
      OSBaremetal_TestNote(report, "kernel: SMAP: a plain read of agent memory faults (P, supervisor); "
                                   "the copy helper reads it");
      OSBaremetal_TestPass(report, name);
    }
  } else if (faulted) {
    OSBaremetal_TestFail(report, name, "no SMAP, yet a kernel read of agent memory faulted");
  } else {
    OSBaremetal_TestNote(report, "kernel: no SMAP on this CPU: the kernel can read agent memory outside the copy "
                                 "helpers (the gap, shown)");
    OSBaremetal_TestPass(report, name);
  }
}

#ifdef OSPOLICY_KERNEL_HOSTILE_AGENTS
static KernelAgent *hostile(OSBaremetal_TestReport *report, const char *test, KernelAgentImage image, uint64_t arg0,
                            uint64_t arg1) {
  OSBaremetal_TestStart(report, test);
  KernelAgent *agent = load(report, test, image, (KernelAgentStart){0, arg0, arg1});
  if (agent != NULL) {
    run1(agent);
  }
  return agent;
}

static void hostile_cases(OSBaremetal_TestReport *report) {
  uint64_t kernel_text = (uint64_t)(uintptr_t)__text_start;
  const char *name = "kernel.agent_read_kernel";
  KernelAgent *a = hostile(report, name, IMAGE(read_address), kernel_text, 0);
  if (a != NULL && expect_user_pf(report, name, a, kernel_text, KERNEL_PF_PRESENT, KERNEL_PF_WRITE | KERNEL_PF_FETCH)) {
    OSBaremetal_TestPass(report, name);
  }

  name = "kernel.agent_read_other";
  OSBaremetal_TestStart(report, name);
  KernelAgent *b = load(report, name, IMAGE(worker), (KernelAgentStart){0, 0, 0});
  KernelAgent *r = b != NULL ? load(report, name, IMAGE(read_address), (KernelAgentStart){0, b->image_base, 0}) : NULL;
  if (r != NULL) {
    KernelAgent *pair[2] = {r, b};
    kernel_agents_run(pair, 2);
    if (expect_user_pf(report, name, r, b->image_base, 0u, KERNEL_PF_PRESENT) &&
        expect_exit(report, name, b, 0x600d)) {
      OSBaremetal_TestPass(report, name);
    }
  }

  name = "kernel.agent_write_text";
  a = hostile(report, name, IMAGE(write_text), 0, 0);
  if (a != NULL && expect_user_pf(report, name, a, a->entry, KERNEL_PF_PRESENT | KERNEL_PF_WRITE, KERNEL_PF_FETCH)) {
    OSBaremetal_TestPass(report, name);
  }

  name = "kernel.agent_exec_stack";
  a = hostile(report, name, IMAGE(exec_stack), 0, 0);
  if (a != NULL && expect_user_pf(report, name, a, a->kill_rip, KERNEL_PF_PRESENT | KERNEL_PF_FETCH, KERNEL_PF_WRITE)) {
    if (a->kill_cr2 >= a->stack_top || a->kill_cr2 < a->stack_top - KERNEL_AGENT_STACK_PAGES * OSBAREMETAL_PAGE_SIZE) {
      OSBaremetal_TestFail(report, name, "the fetch fault is not on the agent's stack");
    } else {
      OSBaremetal_TestPass(report, name);
    }
  }

  name = "kernel.agent_exec_heap";
  a = hostile(report, name, IMAGE(exec_heap), 0, 0);
  if (a != NULL && expect_user_pf(report, name, a, a->heap_base, KERNEL_PF_PRESENT | KERNEL_PF_FETCH, KERNEL_PF_WRITE)) {
    OSBaremetal_TestPass(report, name);
  }

  name = "kernel.agent_syscall_denied";
  a = hostile(report, name, IMAGE(syscall_denied), 0, 0);
  if (a != NULL) {
    if (a->state != KERNEL_AGENT_KILLED || a->kill_vector != KERNEL_VECTOR_SYSCALL ||
        a->kill_syscall != KERNEL_SYS_MAP || (a->syscalls & KERNEL_SYSCALL_BIT(KERNEL_SYS_MAP)) != 0u) {
      OSBaremetal_TestFail(report, name, "state %u, vector 0x%lx, syscall %lu: want killed at syscall 3 (map)", a->state,
                           (unsigned long)a->kill_vector, (unsigned long)a->kill_syscall);
    } else {
      OSBaremetal_TestPass(report, name);
    }
  }

  name = "kernel.agent_protect_rwx";
  a = hostile(report, name, IMAGE(protect_rwx), 0, 0);
  if (a != NULL && expect_exit(report, name, a, (uint64_t)OSPOLICY_DENIED_RWX)) {
    OSBaremetal_PageInfo page;
    if (OSBaremetal_QueryPage(&a->space, a->heap_base, &page) != OSPOLICY_OK || page.prot != OSPOLICY_PROT_RW) {
      OSBaremetal_TestFail(report, name, "the refused page is no longer RW (prot 0x%x)", page.prot);
    } else {
      OSBaremetal_TestPass(report, name);
    }
  }

  name = "kernel.agent_bad_pointer";
  uint64_t unmapped = 0x1000u;
  uint64_t fixups = kernel_fault.count;
  a = hostile(report, name, IMAGE(bad_pointer),
              (uint64_t)(uintptr_t)__rodata_start, unmapped);
  uint64_t want = (uint64_t)OSPOLICY_ERR_OUT_OF_RANGE;
  if (a != NULL && expect_exit(report, name, a, want | (want << 16) | (want << 32))) {
    /* One fixup: the unmapped user page faulted inside the copy helper; the
     * kernel address and the wrapping range never reached it. */
    if (kernel_fault.count != fixups + 1u || kernel_fault.vector != KERNEL_VECTOR_PF || kernel_fault.cr2 != unmapped) {
      OSBaremetal_TestFail(report, name, "%lu fixups (want 1, #PF at 0x1000), last CR2 0x%lx",
                           (unsigned long)(kernel_fault.count - fixups), (unsigned long)kernel_fault.cr2);
    } else {
      OSBaremetal_TestPass(report, name);
    }
  }

  name = "kernel.agent_budget";
  OSBaremetal_TestStart(report, name);
  const uint64_t budget = 10u;
  KernelAgent *spin = load(report, name, IMAGE(spin), (KernelAgentStart){budget, 0, 0});
  KernelAgent *worker = spin != NULL ? load(report, name, IMAGE(worker), (KernelAgentStart){0, 0, 0}) : NULL;
  if (worker != NULL) {
    KernelAgent *pair[2] = {spin, worker};
    uint64_t ticks = kernel_timer_ticks;
    uint64_t tsc = read_tsc();
    kernel_agents_run(pair, 2);
    if (kernel_timer_ticks > ticks) {
      tsc_per_tick = (read_tsc() - tsc) / (kernel_timer_ticks - ticks);
    }
    if (spin->state != KERNEL_AGENT_KILLED || spin->ticks != budget) {
      OSBaremetal_TestFail(report, name, "spinning agent: state %u after %lu ticks (budget %lu)", spin->state,
                           (unsigned long)spin->ticks, (unsigned long)budget);
    } else if (expect_exit(report, name, worker, 0x600d)) {
      OSBaremetal_TestNote(report, "kernel: spinning agent preempted and killed at its budget (%lu ticks of %u Hz, "
                                   "%lu ticks in all) while the worker finished",
                           (unsigned long)spin->ticks, KERNEL_TIMER_HZ, (unsigned long)(kernel_timer_ticks - ticks));
      OSBaremetal_TestPass(report, name);
    }
  }

  /* CVE-2012-0217: a SYSCALL whose next instruction is the first
   * non-canonical address. The kernel maps one user RX page at the top of
   * the user half (from the agent's quota) holding
   *   xor esi, esi; mov eax, 1 (write); syscall
   * so that the instruction after SYSCALL is 0x0000800000000000. The return
   * must go through IRETQ, which faults in ring 0 at its own address; the
   * agent dies and the kernel goes on. */
  name = "kernel.agent_sysret_noncanonical";
  OSBaremetal_TestStart(report, name);
  KernelAgent *edge = load(report, name, IMAGE(worker), (KernelAgentStart){0, 0, 0});
  if (edge != NULL) {
    static const uint8_t code[] = {0x31, 0xF6, 0xB8, 0x01, 0x00, 0x00, 0x00, 0x0F, 0x05};
    uint64_t page = KERNEL_USER_LIMIT - OSBAREMETAL_PAGE_SIZE;
    uint64_t start = KERNEL_USER_LIMIT - sizeof code;
    uint64_t frame = edge->frame_base + edge->frames_used * OSBAREMETAL_PAGE_SIZE;
    edge->frames_used++;
    OSPolicy_Status status = OSBaremetal_MapPagesEx(&edge->space, page, frame, OSBAREMETAL_PAGE_SIZE,
                                                    OSPOLICY_PROT_RW, OSBAREMETAL_MAP_USER);
    if (status == OSPOLICY_OK) {
      osb_write_cr3(edge->space.root);
      size_t left = kernel_zero_user((void *)(uintptr_t)page, OSBAREMETAL_PAGE_SIZE);
      OSPolicy_Status copied = kernel_copy_to_user(start, code, sizeof code);
      osb_write_cr3(kernel_memory.live.root);
      status = left != 0u ? OSPOLICY_ERR_PAL_CONTRACT : copied;
    }
    if (status == OSPOLICY_OK) {
      status = OSBaremetal_ProtectPages(&edge->space, page, OSBAREMETAL_PAGE_SIZE, OSPOLICY_PROT_RX);
    }
    if (status != OSPOLICY_OK) {
      OSBaremetal_TestFail(report, name, "top user page: %s", OSBaremetal_StatusName(status));
    } else {
      edge->frame.rip = start;
      uint64_t iret_returns = kernel_syscall_iret_returns;
      run1(edge);
      if (edge->state != KERNEL_AGENT_KILLED || edge->kill_vector != KERNEL_VECTOR_GP ||
          edge->kill_rip != KERNEL_USER_LIMIT || kernel_syscall_iret_returns != iret_returns + 1u) {
        OSBaremetal_TestFail(report, name, "state %u, %s at 0x%lx, %lu IRETQ returns: want killed by #GP at 0x%lx "
                             "after one IRETQ return",
                             edge->state, kernel_vector_name(edge->kill_vector), (unsigned long)edge->kill_rip,
                             (unsigned long)(kernel_syscall_iret_returns - iret_returns),
                             (unsigned long)KERNEL_USER_LIMIT);
      } else {
        OSBaremetal_TestNote(report, "kernel: SYSCALL at the top of the user half: returned through IRETQ, "
                                     "not SYSRETQ; agent killed (%s)", edge->kill_reason);
        OSBaremetal_TestPass(report, name);
      }
    }
  }

  /* Ring 3 may not mask interrupts, touch I/O ports or raise a vector
   * whose gate has DPL 0: each is a #GP in ring 3 that kills the agent
   * (error code 0, 0, and for the INT one naming an IDT gate: bit 1 set,
   * bit 0 clear, the vector in the index field; QEMU's TCG writes the index
   * as the gate's byte offset / 8, i.e. twice the vector, so the index
   * itself is not compared). */
  name = "kernel.agent_privileged";
  OSBaremetal_TestStart(report, name);
  static const char *const what[3] = {"cli", "out to a port", "int $0x0e"};
  static const uint64_t error[3] = {0u, 0u, 2u};
  int privileged_ok = 1;
  for (uint64_t mode = 0; mode < 3u && privileged_ok; ++mode) {
    a = load(report, name, IMAGE(privileged), (KernelAgentStart){0, mode, 0});
    if (a == NULL) {
      privileged_ok = 0;
      break;
    }
    run1(a);
    uint64_t code = mode == 2u ? (a->kill_error & 7u) : a->kill_error;
    if (a->state != KERNEL_AGENT_KILLED || a->kill_vector != KERNEL_VECTOR_GP || code != error[mode] ||
        (mode == 2u && a->kill_error < 8u)) {
      OSBaremetal_TestFail(report, name, "%s: state %u, %s, error 0x%lx (want #GP, error bits 0x%lx)", what[mode], a->state,
                           kernel_vector_name(a->kill_vector), (unsigned long)a->kill_error,
                           (unsigned long)error[mode]);
      privileged_ok = 0;
    }
  }
  if (privileged_ok) {
    OSBaremetal_TestPass(report, name);
  }

  /* FS: an agent may load a selector into FS, which rewrites the FS base
   * the kernel's stack protector reads %fs:0x28 through. Every entry from
   * ring 3 restores it first; the agent's system calls then work. */
  name = "kernel.agent_fs_base";
  a = hostile(report, name, IMAGE(privileged), 3u, 0);
  if (a != NULL && expect_exit(report, name, a, 0x600d)) {
    if (osb_read_msr(OSBAREMETAL_MSR_FS_BASE) != (uint64_t)(uintptr_t)&kernel_percpu) {
      OSBaremetal_TestFail(report, name, "the kernel's FS base was not restored");
    } else {
      OSBaremetal_TestPass(report, name);
    }
  }

  name = "kernel.agent_quota";
  a = hostile(report, name, IMAGE(quota), 0, 0);
  if (a != NULL) {
    uint64_t free_pages = a->quota_frames - (a->image_size / OSBAREMETAL_PAGE_SIZE) - KERNEL_AGENT_STACK_PAGES;
    if (expect_exit(report, name, a, free_pages | ((uint64_t)OSPOLICY_ERR_NO_MEMORY << 16))) {
      OSBaremetal_TestNote(report, "kernel: agent quota: %lu pages mapped, then %s", (unsigned long)free_pages,
                           OSBaremetal_StatusName(OSPOLICY_ERR_NO_MEMORY));
      OSBaremetal_TestPass(report, name);
    }
  }
}

/* ---- The gate: capabilities, then MAC (gate.c) ----------------------------------- */

/* The gate's decision number `i` for `agent` was `status` (and, when rule is
 * non-zero, decided by that MAC rule). */
static int expect_gate(OSBaremetal_TestReport *report, const char *test, const KernelAgent *agent, unsigned i,
                       OSPolicy_Status status, uint32_t rule) {
  if (i >= agent->gate_count || i >= sizeof agent->gate_log / sizeof agent->gate_log[0]) {
    OSBaremetal_TestFail(report, test, "agent %s: gate decision %u never made (%u made)", agent->name, i,
                         agent->gate_count);
    return 0;
  }
  if (agent->gate_log[i] != status || (rule != 0u && agent->gate_rule[i] != rule)) {
    OSBaremetal_TestFail(report, test, "agent %s: gate decision %u was %s by rule %s, want %s by %s", agent->name, i,
                         OSBaremetal_StatusName(agent->gate_log[i]), OSPolicy_MacRuleName(agent->gate_rule[i]),
                         OSBaremetal_StatusName(status), rule != 0u ? OSPolicy_MacRuleName(rule) : "any");
    return 0;
  }
  return 1;
}

static void gate_cases(OSBaremetal_TestReport *report) {
  const uint32_t blp = OSPOLICY_MAC_RULE_DEFAULT;
  /* A policy that fails verification: every agent refused at "mac". */
  const char *name = "kernel.mac_policy_tampered";
  OSBaremetal_TestStart(report, name);
  static KernelMac bad;
  OSPolicy_Status status = kernel_mac_load(kernel_mac_policy_tampered, kernel_mac_policy_tampered_size,
                                           kernel_mac_policy_sig, kernel_mac_policy_sig_size, &bad);
  if (status != OSPOLICY_DENIED_MODSIGN_DIGEST_MISMATCH) {
    OSBaremetal_TestFail(report, name, "the tampered policy: %s, want denied-modsign-digest-mismatch",
                         OSBaremetal_StatusName(status));
  } else {
    const KernelMac *good = kernel_mac_active;
    kernel_mac_active = &bad;
    static KernelAgent refused;
    KernelAgentStart start = {0, 0, 0};
    KernelAgentImage image = IMAGE(hello);
    OSPolicy_Status load = kernel_agent_load_signed(&image, &start, &refused);
    kernel_mac_active = good;
    if (load != OSPOLICY_DENIED_MODSIGN_DIGEST_MISMATCH || refused.state != KERNEL_AGENT_REFUSED ||
        refused.load_step == NULL || refused.load_step[0] != 'm' || refused.load_step[1] != 'a') {
      OSBaremetal_TestFail(report, name, "hello under the tampered policy: %s at %s, want refused at mac",
                           OSBaremetal_StatusName(load), refused.load_step != NULL ? refused.load_step : "-");
    } else {
      OSBaremetal_TestNote(report, "audit: mac policy refused: %s; agent hello refused at mac (no agent runs "
                                   "without a verified policy)", OSBaremetal_StatusName(status));
      OSBaremetal_TestPass(report, name);
    }
  }

  name = "kernel.mac_label_unknown";
  OSBaremetal_TestStart(report, name);
  {
    static KernelAgent refused;
    KernelAgentStart start = {0, 0, 0};
    KernelAgentImage image = IMAGE(unlabelled);
    OSPolicy_Status load = kernel_agent_load_signed(&image, &start, &refused);
    if (load != OSPOLICY_ERR_MAC_UNKNOWN_NAME || refused.state != KERNEL_AGENT_REFUSED) {
      OSBaremetal_TestFail(report, name, "agent with macLabel \"nobody\": %s, want mac-unknown-name",
                           OSBaremetal_StatusName(load));
    } else {
      OSBaremetal_TestNote(report, "audit: agent unlabelled refused at %s: macLabel \"nobody\" is no label of the "
                                   "policy (%s)", refused.load_step, OSBaremetal_StatusName(load));
      OSBaremetal_TestPass(report, name);
    }
  }

  /* The probe, then the other end of its endpoint. */
  uint64_t audit_before = kernel_gate_audit_lines;
  KernelAgent *probe = load(report, "kernel.gate_forged_token", IMAGE(cap_probe), (KernelAgentStart){0, 0, 0});
  KernelAgent *peer = load(report, "kernel.gate_ipc_read_only", IMAGE(cap_peer), (KernelAgentStart){0, 0, 0});
  if (probe != NULL) {
    run1(probe);
  }
  if (peer != NULL) {
    run1(peer);
  }
  int probe_ok = probe != NULL && expect_exit(report, "kernel.gate_forged_token", probe, 0x600d);

  name = "kernel.gate_forged_token";
  OSBaremetal_TestStart(report, name);
  if (probe_ok && expect_gate(report, name, probe, 0, OSPOLICY_DENIED_CAPABILITY_NEVER_MINTED, 0) &&
      expect_gate(report, name, probe, 1, OSPOLICY_DENIED_CAPABILITY_NEVER_MINTED, 0)) {
    OSBaremetal_TestPass(report, name);
  }
  name = "kernel.gate_derive_wider";
  OSBaremetal_TestStart(report, name);
  if (probe_ok && expect_gate(report, name, probe, 2, OSPOLICY_DENIED_CAPABILITY_WIDER_RIGHTS, 0)) {
    OSBaremetal_TestPass(report, name);
  }
  name = "kernel.gate_revoke_stale";
  OSBaremetal_TestStart(report, name);
  if (probe_ok && expect_gate(report, name, probe, 3, OSPOLICY_OK, 0) &&
      expect_gate(report, name, probe, 4, OSPOLICY_OK, 0) && expect_gate(report, name, probe, 5, OSPOLICY_OK, blp) &&
      expect_gate(report, name, probe, 6, OSPOLICY_OK, 0) &&
      expect_gate(report, name, probe, 7, OSPOLICY_DENIED_CAPABILITY_STALE, 0) &&
      expect_gate(report, name, probe, 8, OSPOLICY_DENIED_CAPABILITY_STALE, 0) &&
      expect_gate(report, name, probe, 9, OSPOLICY_OK, blp)) {
    OSBaremetal_TestPass(report, name);
  }
  name = "kernel.gate_blp";
  OSBaremetal_TestStart(report, name);
  if (probe_ok && expect_gate(report, name, probe, 10, OSPOLICY_DENIED_MAC_READ_UP, blp) &&
      expect_gate(report, name, probe, 11, OSPOLICY_DENIED_MAC_WRITE_DOWN, blp) &&
      expect_gate(report, name, probe, 14, OSPOLICY_OK, blp)) {
    OSBaremetal_TestPass(report, name);
  }
  name = "kernel.gate_mac_allow";
  OSBaremetal_TestStart(report, name);
  if (probe_ok && expect_gate(report, name, probe, 12, OSPOLICY_OK, OSPOLICY_MAC_RULE_ALLOW)) {
    OSBaremetal_TestPass(report, name);
  }
  name = "kernel.gate_mac_deny";
  OSBaremetal_TestStart(report, name);
  if (probe_ok && expect_gate(report, name, probe, 13, OSPOLICY_DENIED_MAC_DENY_RULE, OSPOLICY_MAC_RULE_DENY)) {
    OSBaremetal_TestPass(report, name);
  }
  name = "kernel.gate_ipc_read_only";
  OSBaremetal_TestStart(report, name);
  if (probe_ok && peer != NULL && expect_exit(report, name, peer, 0x600d) &&
      expect_gate(report, name, probe, 15, OSPOLICY_OK, 0) && expect_gate(report, name, probe, 16, OSPOLICY_OK, blp) &&
      expect_gate(report, name, probe, 17, OSPOLICY_OK, 0) &&
      expect_gate(report, name, probe, 18, OSPOLICY_DENIED_CAPABILITY_STALE, 0) &&
      expect_gate(report, name, peer, 0, OSPOLICY_OK, blp) && expect_gate(report, name, peer, 1, OSPOLICY_OK, 0) &&
      expect_gate(report, name, peer, 2, OSPOLICY_DENIED_CAPABILITY_MISSING_RIGHT, 0) &&
      expect_gate(report, name, peer, 3, OSPOLICY_OK, blp)) {
    OSBaremetal_TestPass(report, name);
  }
  name = "kernel.gate_audit";
  OSBaremetal_TestStart(report, name);
  if (probe_ok && peer != NULL) {
    uint64_t lines = kernel_gate_audit_lines - audit_before;
    uint64_t denials = (uint64_t)probe->gate_denials + peer->gate_denials;
    if (denials == 0u || lines != denials) {
      OSBaremetal_TestFail(report, name, "%lu gate denials, %lu audit lines", (unsigned long)denials,
                           (unsigned long)lines);
    } else {
      OSBaremetal_TestNote(report, "kernel: gate: %lu denials, %lu audit lines (one each)", (unsigned long)denials,
                           (unsigned long)lines);
      OSBaremetal_TestPass(report, name);
    }
  }
}
#endif

static void check_spaces(OSBaremetal_TestReport *report) {
  const char *name = "kernel.agent_spaces_audit";
  OSBaremetal_TestStart(report, name);
  uint64_t leaves = 0;
  for (unsigned i = 0; i < agents_used; ++i) {
    KernelSpaceAudit audit;
    OSPolicy_Status status = kernel_audit_space(&agents[i], &audit);
    if (status != OSPOLICY_OK) {
      OSBaremetal_TestFail(report, name, "agent %s: audit %s", agents[i].name, OSBaremetal_StatusName(status));
      return;
    }
    if (audit.foreign_frames != 0u || audit.aliased_frames != 0u) {
      OSBaremetal_TestFail(report, name, "agent %s: %lu leaves map frames outside its quota run, %lu frames twice",
                           agents[i].name, (unsigned long)audit.foreign_frames, (unsigned long)audit.aliased_frames);
      return;
    }
    if (audit.wx.wx_bytes != 0u || audit.user_half_supervisor != 0u || audit.kernel_half_mismatches != 0u ||
        audit.user_half_leaves == 0u || audit.wx.user_leaves != audit.user_half_leaves) {
      OSBaremetal_TestFail(report, name,
                           "agent %s: %lu KiB W+X, %lu supervisor leaves in the user half, %lu kernel-half entries "
                           "differ, %lu user leaves of which %lu in the user half",
                           agents[i].name, (unsigned long)(audit.wx.wx_bytes >> 10),
                           (unsigned long)audit.user_half_supervisor, (unsigned long)audit.kernel_half_mismatches,
                           (unsigned long)audit.wx.user_leaves, (unsigned long)audit.user_half_leaves);
      return;
    }
    leaves += audit.user_half_leaves;
  }
  OSBaremetal_TestNote(report, "kernel: %u agent address spaces audited: 0 W+X, %lu user leaves all in the user half, each "
                               "mapping a frame of its agent's own run once; kernel half shared and supervisor-only "
                               "(%u of %u table pages used)",
                       agents_used, (unsigned long)leaves, kernel_memory.pool_used, KERNEL_TABLE_POOL_PAGES);
  OSBaremetal_TestPass(report, name);
}

void kernel_selftest_agents(OSBaremetal_TestReport *report) {
  uint64_t started = read_tsc();
  KernelAgent *hello = NULL;
  check_hello(report, &hello);
  check_layouts(report, hello);
  check_smap(report, hello);
#ifdef OSPOLICY_KERNEL_HOSTILE_AGENTS
  check_refused(report);
  hostile_cases(report);
  gate_cases(report);
#endif
  check_spaces(report);
  if (tsc_per_tick != 0u) {
    uint64_t ms = (read_tsc() - started) / tsc_per_tick * (1000u / KERNEL_TIMER_HZ);
    OSBaremetal_TestNote(report, "kernel: %u agents loaded and run in about %lu ms (TSC against the PIT), "
                                 "the budget case's 100 ms included",
                         agents_used, (unsigned long)ms);
  }
}
