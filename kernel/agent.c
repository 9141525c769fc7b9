/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * Agents: static-pie ELF programs in ring 3, each in an address space of its
 * own (docs/kernel.md, "Agents").
 *
 * Address space: a PML4 from the kernel's table pool whose entries 256..511
 * are copies of the kernel's (the kernel half is shared and supervisor-only:
 * the kernel's tables have no user leaf, kernel.wx_audit) and whose entries
 * 0..255 are the agent's alone, every leaf user-accessible. The kernel's
 * top-level kernel-half entries exist before the first agent is made (image,
 * stack, heap, PAL window) and never change after, so the copies stay
 * exact; kernel_audit_space checks it.
 *
 * Memory: the agent's frame quota is reserved in one run when it is loaded;
 * its image, its stack and every `map` come out of that run, and a request
 * past it fails with no-memory. The frames are never mapped in the kernel
 * half: the kernel writes the image through the agent's own user mapping
 * (CR3 = the agent, STAC), before the text is sealed RX, so no frame is ever
 * writable and executable through any mapping.
 *
 * Layout (user ASLR): the image base is drawn from the entropy pool
 * (KERNEL_AGENT_IMAGE_FLOOR + up to 2^24 pages), then OSPolicy_PlanAslrLayout
 * (Linux x86-64 defaults) draws the stack top and the heap start; `map`
 * hands out pages upward from the heap start.
 *
 * System calls: every entry checks the agent's bitmap first; a number
 * outside it kills the agent with an audit line. User pointers reach kernel
 * memory only through kernel_copy_from_user/kernel_copy_to_user, which check
 * the range against KERNEL_USER_LIMIT (overflow-checked) and copy with
 * fixups: a bad pointer is an error status, never a kernel fault.
 *
 * Scheduling: round robin. A timer tick in ring 3 ends the agent's turn and
 * costs it one tick of its budget; at the budget it is killed.
 */
#include "format.h"
#include "kernel.h"
#include "ospolicy/aslr_layout.h"
#include "ospolicy/native_executable.h"
#include "ospolicy/native_payload.h"
#include "ospolicy/native_relocation.h"
#include "ospolicy/page_protection.h"
#include "ospolicy/pal.h"
#include "x86_cpu.h"

#define KERNEL_AGENT_IMAGE_FLOOR ((uint64_t)0x0000000010000000) /* 256 MiB */
#define KERNEL_AGENT_IMAGE_BITS 24u
#define PAGE OSBAREMETAL_PAGE_SIZE

KernelAgent *kernel_current_agent;
uint8_t kernel_smap_enabled;
uint64_t kernel_syscall_stack; /* user_entry.S: the running agent's kernel stack top */
uint64_t kernel_user_rsp;      /* user_entry.S: RSP at SYSCALL */
uint64_t kernel_syscall_iret_returns; /* user_entry.S: system calls that returned through IRETQ */

int kernel_sched_save(KernelSchedContext *context) __attribute__((returns_twice));
__attribute__((noreturn)) void kernel_sched_resume(KernelSchedContext *context);
__attribute__((noreturn)) void kernel_iret_to_user(const KernelExceptionFrame *frame);
extern const char kernel_syscall_iretq[], kernel_enter_iretq[];

static KernelSchedContext scheduler;

/* Scratch for the loader: the plans are large, and loading is serial. */
static OSPolicy_NativePayloadMappingPlan load_mapping;
static OSPolicy_NativeExecutableMemoryPlan load_plan;
static OSPolicy_NativeRelocationResult load_relocation;

static void user_access_begin(void) {
  if (kernel_smap_enabled) {
    osb_stac();
  }
}

static void user_access_end(void) {
  if (kernel_smap_enabled) {
    osb_clac();
  }
}

OSPolicy_Status kernel_random_word(void *context, uint64_t *word) {
  (void)context;
  OSHost_RandomSource source;
  return OSPolicy_PalFillRandom(word, sizeof *word, &source);
}

static void *table_page(uint64_t physical) {
  return kernel_memory.live.ops.map_physical(kernel_memory.live.ops.context, physical);
}

static int user_range_ok(uint64_t address, size_t n) {
  uint64_t end;
  return !__builtin_add_overflow(address, (uint64_t)n, &end) && end <= KERNEL_USER_LIMIT;
}

OSPolicy_Status kernel_copy_from_user(void *to, uint64_t user_from, size_t n) {
  if (!user_range_ok(user_from, n)) {
    return OSPOLICY_ERR_OUT_OF_RANGE;
  }
  return kernel_copy_user(to, (const void *)(uintptr_t)user_from, n) == 0u ? OSPOLICY_OK : OSPOLICY_ERR_OUT_OF_RANGE;
}

OSPolicy_Status kernel_copy_to_user(uint64_t user_to, const void *from, size_t n) {
  if (!user_range_ok(user_to, n)) {
    return OSPOLICY_ERR_OUT_OF_RANGE;
  }
  return kernel_copy_user((void *)(uintptr_t)user_to, from, n) == 0u ? OSPOLICY_OK : OSPOLICY_ERR_OUT_OF_RANGE;
}

OSPolicy_Status kernel_agent_refuse(KernelAgent *agent, const char *step, OSPolicy_Status status) {
  agent->state = KERNEL_AGENT_REFUSED;
  agent->load_step = step;
  agent->load_status = status;
  return status;
}

static OSPolicy_Status map_user(KernelAgent *agent, uint64_t address, uint64_t physical, uint64_t size) {
  return OSBaremetal_MapPagesEx(&agent->space, address, physical, size, OSPOLICY_PROT_RW, OSBAREMETAL_MAP_USER);
}

OSPolicy_Status kernel_agent_load(const KernelAgentSpec *spec, KernelAgent *agent) {
  __builtin_memset(agent, 0, sizeof *agent);
  kernel_smap_enabled = (osb_read_cr4() & OSBAREMETAL_CR4_SMAP) != 0u;
  agent->name = spec->name;
  agent->syscalls = spec->syscalls;
  agent->budget_ticks = spec->budget_ticks;
  agent->quota_frames = spec->quota_frames;
  OSPolicy_NativePayloadRequest request = {spec->elf, spec->size, PAGE};
  OSPolicy_Status status = OSPolicy_PlanNativePayloadMapping(&request, &load_mapping);
  if (status == OSPOLICY_OK) {
    status = OSPolicy_PlanNativeExecutableMemory(&load_mapping, &load_plan);
  }
  if (status != OSPOLICY_OK) {
    return kernel_agent_refuse(agent, "plan", status);
  }
  uint64_t image_pages = load_plan.span_pages;
  uint64_t needed;
  if (__builtin_add_overflow(image_pages, (uint64_t)KERNEL_AGENT_STACK_PAGES, &needed) ||
      needed > spec->quota_frames) {
    return kernel_agent_refuse(agent, "quota", OSPOLICY_ERR_NO_MEMORY);
  }
  /* The quota's frames, one run; the kernel stack, a PAL allocation with a
   * guard page below. */
  if ((status = kernel_allocate_frames(NULL, spec->quota_frames, &agent->frame_base)) != OSPOLICY_OK) {
    return kernel_agent_refuse(agent, "frames", status);
  }
  void *kstack = NULL;
  if ((status = OSPolicy_PalAllocatePages(KERNEL_AGENT_KSTACK_PAGES, &kstack)) != OSPOLICY_OK) {
    return kernel_agent_refuse(agent, "kernel-stack", status);
  }
  agent->kstack_top = (uint64_t)(uintptr_t)kstack + KERNEL_AGENT_KSTACK_PAGES * PAGE;
  /* The address space: the kernel half shared, the user half empty. */
  if ((status = OSBaremetal_CreatePageTable(&agent->space, &kernel_memory.live.ops)) != OSPOLICY_OK) {
    return kernel_agent_refuse(agent, "address-space", status);
  }
  agent->space.flush_all = kernel_memory.live.flush_all;
  uint64_t *mine = table_page(agent->space.root);
  const uint64_t *kernel = table_page(kernel_memory.live.root);
  for (unsigned i = 256; i < 512u; ++i) {
    mine[i] = kernel[i];
  }
  /* User ASLR. */
  uint64_t word = 0;
  if ((status = kernel_random_word(NULL, &word)) != OSPOLICY_OK) {
    return kernel_agent_refuse(agent, "aslr", status);
  }
  agent->image_base = KERNEL_AGENT_IMAGE_FLOOR + (word & (((uint64_t)1 << KERNEL_AGENT_IMAGE_BITS) - 1u)) * PAGE;
  agent->image_size = load_plan.span_size;
  OSPolicy_AslrLayoutRequest aslr = OSPolicy_GetDefaultAslrLayoutRequest(agent->image_base,
                                                                      agent->image_base + agent->image_size);
  OSPolicy_RandomWordSource words = {kernel_random_word, NULL};
  OSPolicy_AslrLayout layout;
  if ((status = OSPolicy_PlanAslrLayout(&aslr, &words, &layout)) != OSPOLICY_OK) {
    return kernel_agent_refuse(agent, "aslr", status);
  }
  agent->stack_top = layout.stack_top;
  agent->heap_base = layout.brk_start;
  agent->heap_next = layout.brk_start;
  agent->heap_end = layout.heap.base + layout.heap.size; /* the planner's heap region */
  uint64_t stack_bytes = (uint64_t)KERNEL_AGENT_STACK_PAGES * PAGE;
  if ((status = map_user(agent, agent->image_base, agent->frame_base, agent->image_size)) != OSPOLICY_OK ||
      (status = map_user(agent, agent->stack_top - stack_bytes, agent->frame_base + image_pages * PAGE,
                         stack_bytes)) != OSPOLICY_OK) {
    return kernel_agent_refuse(agent, "map", status);
  }
  agent->frames_used = image_pages + KERNEL_AGENT_STACK_PAGES;
  /* Stage and relocate through the agent's own mapping: no kernel alias. */
  osb_write_cr3(agent->space.root);
  user_access_begin();
  status = OSPolicy_StageNativePayload(&load_mapping, spec->elf, spec->size, (void *)(uintptr_t)agent->image_base,
                                       (size_t)agent->image_size);
  if (status == OSPOLICY_OK) {
    OSPolicy_NativeRelocationRequest relocate = {&load_mapping, spec->elf, spec->size,
                                                 (void *)(uintptr_t)agent->image_base, (size_t)agent->image_size,
                                                 (uintptr_t)agent->image_base};
    status = OSPolicy_ApplyNativeRelocations(&relocate, &load_relocation);
  }
  user_access_end();
  size_t left = kernel_zero_user((void *)(uintptr_t)(agent->stack_top - stack_bytes), stack_bytes);
  osb_write_cr3(kernel_memory.live.root);
  if (status != OSPOLICY_OK) {
    return kernel_agent_refuse(agent, "stage", status);
  }
  if (left != 0u) {
    return kernel_agent_refuse(agent, "stack", OSPOLICY_ERR_PAL_CONTRACT);
  }
  /* Seal per range (text RX, RELRO and rodata R, data RW). */
  OSPolicy_PageProtectionPlan seals[OSPOLICY_NATIVE_EXECUTABLE_MAX_RANGES];
  size_t count = 0;
  status = OSPolicy_BuildNativeExecutableProtections(&load_plan, (uintptr_t)agent->image_base, seals,
                                                     OSPOLICY_NATIVE_EXECUTABLE_MAX_RANGES, &count);
  for (size_t i = 0; status == OSPOLICY_OK && i < count; ++i) {
    status = OSPolicy_CheckPageProtectionPlan(&seals[i]);
    if (status == OSPOLICY_OK) {
      status = OSBaremetal_ProtectPages(&agent->space, seals[i].base, seals[i].size, seals[i].to);
    }
  }
  if (status != OSPOLICY_OK) {
    return kernel_agent_refuse(agent, "seal", status);
  }
  agent->entry = agent->image_base + load_plan.entry_offset;
  KernelExceptionFrame *frame = &agent->frame;
  frame->rip = agent->entry;
  frame->cs = KERNEL_SELECTOR_USER_CODE;
  frame->rflags = KERNEL_RFLAGS_IF | 0x2u;
  frame->rsp = agent->stack_top - 8u; /* as after a call: RSP + 8 is 16-byte aligned */
  frame->ss = KERNEL_SELECTOR_USER_DATA;
  frame->rdi = spec->arg0;
  frame->rsi = spec->arg1;
  agent->load_status = OSPOLICY_OK;
  agent->load_step = "";
  agent->state = KERNEL_AGENT_READY;
  return OSPOLICY_OK;
}

/* ---- Audit ------------------------------------------------------------------ */

/* Frames of the agent being audited, one bit per frame of its quota run. */
#define AUDIT_FRAME_BITS 4096u
static uint64_t audit_frames[AUDIT_FRAME_BITS / 64u];

static void count_user_half(const uint64_t *table, int level, int user, uint64_t frame_base, uint64_t frames,
                            KernelSpaceAudit *audit) {
  for (unsigned i = 0; i < 512u; ++i) {
    uint64_t entry = table[i];
    if ((entry & OSBAREMETAL_PTE_PRESENT) == 0u) {
      continue;
    }
    int path_user = user && (entry & OSBAREMETAL_PTE_USER) != 0u;
    if (level == 1 || (entry & OSBAREMETAL_PTE_LARGE) != 0u) {
      audit->user_half_leaves++;
      if (!path_user) {
        audit->user_half_supervisor++;
      }
      /* Per frame: a 4 KiB leaf inside the agent's own quota run, and the
       * only leaf that maps that frame. */
      uint64_t physical = entry & OSBAREMETAL_PTE_ADDRESS_MASK;
      uint64_t index = (physical - frame_base) / PAGE;
      if (level != 1 || physical < frame_base || index >= frames || index >= AUDIT_FRAME_BITS) {
        audit->foreign_frames++;
      } else if ((audit_frames[index / 64u] & ((uint64_t)1 << (index % 64u))) != 0u) {
        audit->aliased_frames++;
      } else {
        audit_frames[index / 64u] |= (uint64_t)1 << (index % 64u);
      }
      continue;
    }
    count_user_half(table_page(entry & OSBAREMETAL_PTE_ADDRESS_MASK), level - 1, path_user, frame_base, frames,
                    audit);
  }
}

OSPolicy_Status kernel_audit_space(const KernelAgent *agent, KernelSpaceAudit *audit) {
  const OSBaremetal_PageTable *space = &agent->space;
  __builtin_memset(audit, 0, sizeof *audit);
  __builtin_memset(audit_frames, 0, sizeof audit_frames);
  audit->status = OSBaremetal_AuditWx(space, &audit->wx);
  if (audit->status != OSPOLICY_OK) {
    return audit->status;
  }
  const uint64_t *root = table_page(space->root);
  const uint64_t *kernel = table_page(kernel_memory.live.root);
  for (unsigned i = 0; i < 256u; ++i) {
    if ((root[i] & OSBAREMETAL_PTE_PRESENT) != 0u) {
      const uint64_t *pdpt = table_page(root[i] & OSBAREMETAL_PTE_ADDRESS_MASK);
      count_user_half(pdpt, 3, (root[i] & OSBAREMETAL_PTE_USER) != 0u, agent->frame_base, agent->quota_frames,
                      audit);
    }
  }
  for (unsigned i = 256; i < 512u; ++i) {
    if (root[i] != kernel[i]) {
      audit->kernel_half_mismatches++;
    }
  }
  return OSPOLICY_OK;
}

/* ---- Ending a turn ---------------------------------------------------------- */

__attribute__((noreturn)) static void end_turn(void) {
  kernel_sched_resume(&scheduler);
}

__attribute__((noreturn)) static void kill_agent(KernelAgent *agent, const char *reason, const KernelExceptionFrame *frame,
                                                 uint64_t cr2) {
  char rip[40];
  char address[40];
  agent->state = KERNEL_AGENT_KILLED;
  agent->kill_reason = reason;
  agent->kill_vector = frame->vector;
  agent->kill_error = frame->error_code;
  agent->kill_rip = frame->rip;
  agent->kill_cr2 = cr2;
  const char *what = frame->vector == KERNEL_VECTOR_SYSCALL ? "syscall" : kernel_vector_name(frame->vector);
  OSBaremetal_TestNote(kernel_report(), "audit: agent %s killed: %s (%s, rip %s, address %s, error 0x%lx, %lu ticks)",
                       agent->name, reason, what, kernel_describe_address(frame->rip, rip, sizeof rip),
                       kernel_describe_address(cr2, address, sizeof address), (unsigned long)frame->error_code,
                       (unsigned long)agent->ticks);
  end_turn();
}

void kernel_user_trap(KernelExceptionFrame *frame, uint64_t cr2) {
  KernelAgent *agent = kernel_current_agent;
  if (agent == NULL) {
    kernel_panic("trap from ring 3 with no agent running");
  }
  if (frame->vector >= KERNEL_VECTOR_TIMER && frame->vector < KERNEL_IDT_VECTORS) {
    if (!kernel_irq_acknowledge(frame->vector)) {
      return; /* spurious: the agent goes on */
    }
    if (frame->vector != KERNEL_VECTOR_TIMER) {
      return;
    }
    agent->ticks++;
    if (agent->ticks >= agent->budget_ticks) {
      kill_agent(agent, "CPU budget exhausted", frame, 0);
    }
    agent->frame = *frame; /* preempted: resumes exactly here */
    end_turn();
  }
  kill_agent(agent, "fault in ring 3", frame, cr2);
}

/* A fault at one of the two IRETQs to ring 3: the only one that can happen
 * is #GP(0) for a non-canonical return RIP the agent arranged. */
int kernel_iretq_fault_matches(const KernelExceptionFrame *frame) {
  uint64_t rip = frame->rip;
  return frame->vector == KERNEL_VECTOR_GP && frame->error_code == 0u && (frame->cs & 3u) == 0u &&
         (rip == (uint64_t)(uintptr_t)kernel_syscall_iretq || rip == (uint64_t)(uintptr_t)kernel_enter_iretq);
}

int kernel_user_return_fault(KernelExceptionFrame *frame) {
  if (kernel_current_agent == NULL || !kernel_iretq_fault_matches(frame)) {
    return 0;
  }
  /* The IRETQ frame holds the RIP it refused. */
  const uint64_t *iret = (const uint64_t *)(uintptr_t)frame->rsp;
  KernelExceptionFrame user = *frame;
  user.rip = iret[0];
  kill_agent(kernel_current_agent, "return to a non-canonical RIP refused (IRETQ #GP)", &user, 0);
}

/* ---- System calls --------------------------------------------------------------- */

static OSPolicy_Status sys_write(KernelAgent *agent, uint64_t buffer, uint64_t length, uint64_t *written) {
  char text[KERNEL_AGENT_WRITE_MAX + 1u];
  if (length > KERNEL_AGENT_WRITE_MAX) {
    return OSPOLICY_ERR_INVALID_ARGUMENT;
  }
  /* The console is an object like any other: the agent's console token, then MAC. */
  OSPolicy_Status status = kernel_gate_console(agent);
  if (status != OSPOLICY_OK) {
    return status;
  }
  status = kernel_copy_from_user(text, buffer, (size_t)length);
  if (status != OSPOLICY_OK) {
    return status;
  }
  for (uint64_t i = 0; i < length; ++i) {
    if (text[i] < 0x20 || text[i] > 0x7e) {
      text[i] = '?'; /* one line per write, nothing that could pass for a marker's line break */
    }
  }
  text[length] = '\0';
  OSBaremetal_TestNote(kernel_report(), "agent %s: %s", agent->name, text);
  *written = length;
  return OSPOLICY_OK;
}

static OSPolicy_Status sys_map(KernelAgent *agent, uint64_t pages, uint64_t *address) {
  uint64_t total;
  if (pages == 0u || pages > agent->quota_frames) {
    return OSPOLICY_ERR_INVALID_ARGUMENT;
  }
  if (__builtin_add_overflow(agent->frames_used, pages, &total) || total > agent->quota_frames) {
    OSBaremetal_TestNote(kernel_report(), "audit: agent %s: map of %lu page(s) refused: %lu of %lu quota frames in use",
                         agent->name, (unsigned long)pages, (unsigned long)agent->frames_used,
                         (unsigned long)agent->quota_frames);
    return OSPOLICY_ERR_NO_MEMORY; /* the agent's frame quota: the agent goes on */
  }
  uint64_t at = agent->heap_next;
  if (pages > (agent->heap_end - at) / PAGE) {
    return OSPOLICY_ERR_NO_MEMORY; /* the heap region is full */
  }
  OSPolicy_Status status = map_user(agent, at, agent->frame_base + agent->frames_used * PAGE, pages * PAGE);
  if (status != OSPOLICY_OK) {
    return status;
  }
  if (kernel_zero_user((void *)(uintptr_t)at, (size_t)(pages * PAGE)) != 0u) {
    return OSPOLICY_ERR_PAL_CONTRACT;
  }
  agent->frames_used = total;
  agent->heap_next = at + pages * PAGE;
  *address = at;
  return OSPOLICY_OK;
}

/* Anonymous memory only (what `map` handed out), through the page-protection
 * plan: RWX, X->W and unknown bits are the planner's refusals. */
static OSPolicy_Status sys_protect(KernelAgent *agent, uint64_t address, uint64_t length, uint64_t prot) {
  uint64_t end;
  if (length == 0u || __builtin_add_overflow(address, length, &end) || address < agent->heap_base ||
      end > agent->heap_next || prot > 0xFFFFFFFFu) {
    return OSPOLICY_ERR_OUT_OF_RANGE;
  }
  OSBaremetal_PageInfo page;
  OSPolicy_Status status = OSBaremetal_QueryPage(&agent->space, address & ~(PAGE - 1u), &page);
  if (status != OSPOLICY_OK) {
    return status;
  }
  for (uint64_t at = address & ~(PAGE - 1u); at < end; at += PAGE) {
    OSBaremetal_PageInfo other;
    if (OSBaremetal_QueryPage(&agent->space, at, &other) != OSPOLICY_OK || !other.present ||
        other.prot != page.prot) {
      return OSPOLICY_ERR_INVALID_ARGUMENT; /* one protection per call */
    }
  }
  OSPolicy_PageProtectionRequest request = {(uintptr_t)address, (size_t)length, (size_t)PAGE, page.prot,
                                            (uint32_t)prot, 0u};
  OSPolicy_PageProtectionPlan plan;
  status = OSPolicy_PlanPageProtection(&request, &plan);
  if (status != OSPOLICY_OK) {
    return status;
  }
  return OSBaremetal_ProtectPages(&agent->space, plan.base, plan.size, plan.to);
}

static OSPolicy_Status sys_getrandom(uint64_t buffer, uint64_t length) {
  uint8_t bytes[KERNEL_AGENT_WRITE_MAX];
  if (length > sizeof bytes) {
    return OSPOLICY_ERR_INVALID_ARGUMENT;
  }
  if (!user_range_ok(buffer, (size_t)length)) {
    return OSPOLICY_ERR_OUT_OF_RANGE;
  }
  OSHost_RandomSource source;
  OSPolicy_Status status = OSPolicy_PalFillRandom(bytes, (size_t)length, &source);
  if (status == OSPOLICY_OK) {
    status = kernel_copy_to_user(buffer, bytes, (size_t)length);
  }
  __builtin_memset(bytes, 0, sizeof bytes);
  return status;
}

void kernel_syscall(KernelExceptionFrame *frame) {
  KernelAgent *agent = kernel_current_agent;
  if (agent == NULL) {
    kernel_panic("SYSCALL with no agent running");
  }
  agent->syscall_count++;
  uint64_t number = frame->rax;
  /* The bitmap first, before anything reads an argument. */
  if (number >= 64u || (agent->syscalls & KERNEL_SYSCALL_BIT(number)) == 0u) {
    agent->kill_syscall = number;
    const char *known = OSPolicy_SyscallTableName(&kernel_syscall_table, number < 64u ? (uint32_t)number : 0xFFFFFFFFu);
    OSBaremetal_TestNote(kernel_report(), "audit: agent %s: system call %lu (%s) is outside its bitmap 0x%lx",
                         agent->name, (unsigned long)number, known != NULL ? known : "unknown",
                         (unsigned long)agent->syscalls);
    kill_agent(agent, "system call outside its bitmap", frame, 0);
  }
  uint64_t value = 0;
  OSPolicy_Status status = OSPOLICY_STATUS_UNSET;
  switch (number) {
  case KERNEL_SYS_EXIT:
    agent->exit_code = frame->rdi;
    agent->state = KERNEL_AGENT_EXITED;
    end_turn();
  case KERNEL_SYS_WRITE:
    status = sys_write(agent, frame->rdi, frame->rsi, &value);
    break;
  case KERNEL_SYS_YIELD:
    status = OSPOLICY_OK;
    break;
  case KERNEL_SYS_MAP:
    status = sys_map(agent, frame->rdi, &value);
    break;
  case KERNEL_SYS_PROTECT:
    status = sys_protect(agent, frame->rdi, frame->rsi, frame->rdx);
    break;
  case KERNEL_SYS_GETRANDOM:
    status = sys_getrandom(frame->rdi, frame->rsi);
    value = status == OSPOLICY_OK ? frame->rsi : 0u;
    break;
  case KERNEL_SYS_CAP_INITIAL:
  case KERNEL_SYS_CAP_DERIVE:
  case KERNEL_SYS_CAP_REVOKE:
  case KERNEL_SYS_CAP_SEND:
  case KERNEL_SYS_CAP_RECV:
  case KERNEL_SYS_OBJ_READ:
  case KERNEL_SYS_OBJ_WRITE:
    status = kernel_gate_syscall(agent, number, frame, &value);
    break;
  default:
    agent->kill_syscall = number;
    kill_agent(agent, "system call without a handler", frame, 0);
  }
  agent->last_status = status;
  frame->rax = (uint64_t)status;
  frame->rdx = value;
  /* Only the arithmetic flags and IF=1 go back: SYSRETQ loads RFLAGS from
   * R11, IRETQ from the frame. */
  frame->rflags = (frame->rflags & 0xCD5u) | KERNEL_RFLAGS_IF | 0x2u;
  if (number == KERNEL_SYS_YIELD) {
    agent->frame = *frame;
    end_turn();
  }
}

/* ---- Scheduler ---------------------------------------------------------------------- */

__attribute__((noinline)) static void run_turn(KernelAgent *agent) {
  kernel_current_agent = agent;
  kernel_tss_set_rsp0(agent->kstack_top);
  kernel_syscall_stack = agent->kstack_top;
  osb_write_cr3(agent->space.root);
  if (kernel_sched_save(&scheduler) == 0) {
    KernelExceptionFrame *frame = (KernelExceptionFrame *)(uintptr_t)(agent->kstack_top - sizeof *frame);
    *frame = agent->frame;
    kernel_iret_to_user(frame);
  }
  osb_write_cr3(kernel_memory.live.root);
  kernel_current_agent = NULL;
}

void kernel_agents_run(KernelAgent *const *agents, size_t count) {
  kernel_smap_enabled = (osb_read_cr4() & OSBAREMETAL_CR4_SMAP) != 0u;
  kernel_timer_start();
  for (;;) {
    int ran = 0;
    for (size_t i = 0; i < count; ++i) {
      if (agents[i]->state == KERNEL_AGENT_READY) {
        ran = 1;
        run_turn(agents[i]);
      }
    }
    if (!ran) {
      break;
    }
  }
  kernel_timer_stop();
}
