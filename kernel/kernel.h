/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * What the kernel's components share (docs/kernel.md): the exception frame
 * and fault record, fixups, probes, the CPU tables, memory, console and
 * panic, entropy, payloads and signed modules. One header: the kernel is
 * small and these are its seams.
 */
#ifndef OSPOLICY_KERNEL_H
#define OSPOLICY_KERNEL_H

#include <stddef.h>
#include <stdint.h>

#include "ospolicy/boot_info.h"
#include "ospolicy/modsign.h"
#include "ospolicy/mac.h"
#include "ospolicy/native_executable.h"
#include "ospolicy/native_payload.h"
#include "ospolicy/native_relocation.h"
#include "ospolicy/sandbox_profile.h"
#include "ospolicy/status.h"
#include "frame_allocator.h"
#include "page_table.h"
#include "status_name.h"
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

/* What a probe expects of the fault it provokes (exceptions.c). Every fault
 * probe states all of it and checks it with one call:
 *   vector  KERNEL_VECTOR_PF, _UD or _GP;
 *   address #PF: CR2 must equal it; an instruction fetch (#PF with
 *           KERNEL_PF_FETCH in `set`) or #UD/#GP: the faulting RIP must too;
 *   set     #PF error-code bits that must be set (P for a protection fault,
 *           plus W for a write or I/D for a fetch);
 *   clear   #PF error-code bits that must be clear. */
typedef struct KernelFaultExpectation {
  uint64_t vector;
  uint64_t address;
  uint64_t set;
  uint64_t clear;
} KernelFaultExpectation;
/* The expectations of the common probes. */
KernelFaultExpectation kernel_expect_write_fault(uint64_t address);   /* #PF, P+W set, I/D clear */
KernelFaultExpectation kernel_expect_fetch_fault(uint64_t address);   /* #PF, P+I/D set, W clear, RIP too */
/* NULL if the probe faulted exactly once since `count_before` (kernel_fault.count)
 * as `want` says; otherwise what differed, written into `reason`. */
const char *kernel_check_fault(int faulted, uint64_t count_before, const KernelFaultExpectation *want, char *reason,
                               size_t capacity);
/* kernel_check_fault that reports a mismatch as TEST_FAIL `name`: 1 if it matched. */
int kernel_expect_fault(OSBaremetal_TestReport *report, const char *name, int faulted, uint64_t count_before,
                        KernelFaultExpectation want);

/* ---- Fixups (fixup.c) ----------------------------------------------------- */
/* Static entries come from __ex_table (probes.S); dynamic ones are for
 * faults whose RIP is only known at run time (a jump target). */
#define KERNEL_DYNAMIC_FIXUPS 8u
#define KERNEL_FIXUP_PROBE 1u     /* probes.S */
#define KERNEL_FIXUP_USER_COPY 2u /* user_entry.S copy helpers */
#define KERNEL_PF_RESERVED 0x8u   /* #PF error code: a reserved bit was set */
/* What the CPU reported, as a fixup lookup needs it. */
typedef struct KernelFaultSite {
  uint64_t vector, error_code, rip, cs, cr2;
} KernelFaultSite;
/* 1 and *resume_rip if an entry was declared for exactly this fault (the
 * rules in fixup.c); 0 otherwise. */
int kernel_fixup_find(const KernelFaultSite *site, uint64_t *resume_rip);
/* Makes the dynamic slots read-only; kernel_fixup_add refuses from then on. */
OSPolicy_Status kernel_fixup_seal(void);
uint64_t kernel_fixup_dynamic_base(void);
extern const char kernel_copy_user_load[]; /* user_entry.S: the copy helper's user load */
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
 * and the IDT for vectors 0..31, then makes the IDT's page read-only on the
 * live tables (the CPU only reads it). Returns the protection's status. */
OSPolicy_Status kernel_cpu_tables_init(const uint64_t ist_top[3]);
/* Selectors (cpu_tables.c): the user ones carry RPL 3. */
#define KERNEL_SELECTOR_CODE 0x08u
#define KERNEL_SELECTOR_DATA 0x10u
#define KERNEL_SELECTOR_USER_DATA 0x1Bu
#define KERNEL_SELECTOR_USER_CODE 0x23u
#define KERNEL_SELECTOR_TSS 0x28u
#define KERNEL_GDT_ENTRIES 7u
#define KERNEL_MSR_STAR 0xC0000081u
#define KERNEL_MSR_LSTAR 0xC0000082u
#define KERNEL_MSR_SFMASK 0xC0000084u
#define KERNEL_EFER_SCE ((uint64_t)1)
/* Cleared by SYSCALL: IF, TF, DF, NT, AC. */
#define KERNEL_SYSCALL_FLAG_MASK ((uint64_t)0x200u | 0x100u | 0x400u | 0x4000u | 0x40000u)
/* Vectors 0..31 are exceptions, 32..47 the legacy PIC's IRQs (timer.c). */
#define KERNEL_IDT_VECTORS 48u
#define KERNEL_VECTOR_TIMER 32u
/* Entry points of vectors 0..47 (isr.S), in RELRO: relocated, then R+NX. */
extern const uint64_t kernel_isr_table[KERNEL_IDT_VECTORS];
uint64_t kernel_idt_base(void);
uint64_t kernel_gdt_base(void);
uint64_t kernel_tss_ist(unsigned ist);
void kernel_tss_set_rsp0(uint64_t top);
uint64_t kernel_tss_rsp0(void);
void kernel_syscall_entry(void); /* user_entry.S: LSTAR */

/* ---- Memory (kmem.c) ------------------------------------------------------- */
#define KERNEL_HEAP_BASE ((uint64_t)0xffffc88000000000)   /* one 2 MiB page, RW+NX */
#define KERNEL_WINDOW_BASE ((uint64_t)0xffffc90000000000) /* OSHost_AllocatePages */
#define KERNEL_WINDOW_SIZE ((uint64_t)1 << 30)
#define KERNEL_USER_PROBE_BASE ((uint64_t)0x0000000040000000) /* SMEP/SMAP probe pages */
#define KERNEL_TABLE_POOL_PAGES 384u

typedef struct KernelMemory {
  OSBaremetal_PageTable live;    /* the kernel's own tables, in CR3 */
  uint64_t pool_physical;        /* page-table pool (.bss), physically contiguous */
  uint32_t pool_used;
  uint64_t heap_physical;
  uint64_t heap_used;            /* bytes handed out by kernel_heap_alloc */
  OSBaremetal_FrameAllocator frames; /* conventional memory >= 16 MiB (frame_allocator.h) */
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
/* Release builds: from now on the console masks a hex literal equal to `slide`. */
void kernel_console_withhold(uint64_t slide);
/* The report kernel_console_init set up: agent audit lines (agent.c) go to it. */
OSBaremetal_TestReport *kernel_report(void);
/* Writes an address for a log line: "kernel+0x1234" inside the image,
 * raw hex in debug builds, "<redacted>" in release builds otherwise
 * (kernel-half and user-half addresses alike). */
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
/* Every call that reaches libsodium (the entropy pool here, the modsign
 * verifier in module.c, OSHost_FillRandom through the pool) is bracketed by
 * kernel_crypto_enter/leave: pushfq; cli ... popfq. libsodium's archive has
 * the red zone, so it must never be interrupted on its own stack. This
 * kernel never enables interrupts in ring 0 (agents run with IF set; every
 * way into the kernel clears it), so the cli is a second line: the saved
 * flags say whether IF was set on entry, which would mean something
 * enabled interrupts, and kernel_crypto_stats counts such entries. */
#define KERNEL_RFLAGS_IF ((uint64_t)0x200)
typedef struct KernelCryptoStats {
  uint64_t calls;
  uint64_t entered_with_interrupts; /* calls entered with RFLAGS.IF set */
} KernelCryptoStats;
extern KernelCryptoStats kernel_crypto_stats;
uint64_t kernel_crypto_enter(void); /* returns the RFLAGS to restore */
void kernel_crypto_leave(uint64_t flags);
/* Continues the loader's pool (+ RDRAND, jitter); reports kernel.entropy_*. */
void kernel_entropy_init(OSBaremetal_TestReport *report, OSPolicy_BootInfo *info);
/* A canary word from the pool, or 0 when none could be made (reported). */
uint64_t kernel_make_canary(OSBaremetal_TestReport *report);
void kernel_check_canary(OSBaremetal_TestReport *report);
void kernel_check_firmware_rng_denied(OSBaremetal_TestReport *report);

/* ---- Native payloads (payload.c) --------------------------------------------- */
/* Where a payload load, the trust set or a module load stopped: an enum with
 * a name function (for reports), never a string to compare. */
typedef enum KernelStep {
  KERNEL_STEP_NONE = 0, /* nothing failed */
  KERNEL_STEP_PLAN = 1,
  KERNEL_STEP_ALLOCATE = 2,
  KERNEL_STEP_STAGE = 3,
  KERNEL_STEP_RELOCATE = 4,
  KERNEL_STEP_SEAL = 5,
  KERNEL_STEP_PARSE = 6,
  KERNEL_STEP_ENFORCE = 7,
  KERNEL_STEP_PROBE = 8,
  KERNEL_STEP_TRUST = 9,
  KERNEL_STEP_VERIFY = 10
} KernelStep;
/* "plan", "allocate", ..., "none" for NONE; never NULL. */
const char *kernel_step_name(KernelStep step);

/* Caller-owned (the plans are large: keep it static). */
typedef struct KernelPayload {
  OSPolicy_NativePayloadMappingPlan mapping;
  OSPolicy_NativeExecutableMemoryPlan plan;
  OSPolicy_NativeRelocationResult relocation;
  void *base;        /* PAL pages; NULL until allocated */
  uint64_t entry;    /* run-time entry point; 0 unless every step passed */
  size_t seal_count; /* OSPolicy_PalProtectPages calls made */
  KernelStep step;   /* the step that failed: PLAN, ALLOCATE, STAGE, RELOCATE, SEAL */
} KernelPayload;
/* Calls to kernel_map_payload so far: a refused module must not add one. */
extern uint64_t kernel_payload_map_calls;
/* Plans, stages in fresh PAL pages, relocates and seals a static-pie ELF
 * W^X (text RX, RELRO/rodata R, data RW). OK: payload->entry is callable. */
OSPolicy_Status kernel_map_payload(const uint8_t *elf, size_t size, KernelPayload *payload);
long kernel_call_payload(const KernelPayload *payload, long x);
/* What tests/payload/native_payload.c returns on its call-th call with x. */
long kernel_payload_expected(long x, long call);
extern const uint8_t kernel_payload_start[], kernel_payload_end[]; /* blobs.S */

/* ---- Signed modules (module.c) ------------------------------------------------ */
/* The build's trust set (<build>/modsign/trust.bin, generated C array). */
extern const uint8_t kernel_trust_set[];
extern const size_t kernel_trust_set_size;

typedef struct KernelTrust {
  OSPolicy_Status status;                /* OK once parsed, enforcing and sealed */
  KernelStep step;                       /* on error: PARSE, ENFORCE, ALLOCATE, SEAL, PROBE */
  const OSPolicy_ModsignTrustSet *trust; /* in PAL pages, read-only once sealed */
  size_t pages;
} KernelTrust;
/* Parses the embedded trust set into fresh PAL pages, switches enforcement
 * on, seals the pages read-only (RW -> R through the PAL) and proves that a
 * write to the latch faults. Once per boot; later calls return the outcome. */
OSPolicy_Status kernel_trust_init(KernelTrust *out);

typedef struct KernelModule {
  OSPolicy_Status status;         /* OK only if verified (enforced ALLOW) and mapped */
  KernelStep step;                /* VERIFY, TRUST or a kernel_map_payload step */
  OSPolicy_ModsignResult verdict; /* the verifier's whole result */
  KernelPayload payload;          /* untouched (base NULL, entry 0) unless allowed */
  uint32_t chunks;                /* Update calls made */
  uint32_t crypto_calls;          /* libsodium-reaching calls, each under kernel_crypto_enter */
  uint32_t entered_with_interrupts; /* of them, entered with RFLAGS.IF set (must stay 0) */
} KernelModule;
/* The verifier alone (module.c): OK only for an enforced ALLOW of (kind, name). */
OSPolicy_Status kernel_verify_signed(uint32_t kind, const char *name, const uint8_t *envelope, size_t envelope_size,
                                     const uint8_t *object, size_t object_size, KernelModule *module);
/* Streams `object` through the envelope verifier against the sealed trust
 * set (kind module, `name`), interrupts masked around each call; maps it W^X
 * only on an enforced ALLOW. Returns module->status: OK, the verifier's
 * status, or the mapping's. */
OSPolicy_Status kernel_load_module(const char *name, const uint8_t *envelope, size_t envelope_size,
                                   const uint8_t *object, size_t object_size, KernelModule *module);

/* ---- Timer (timer.c) ---------------------------------------------------------- */
#define KERNEL_TIMER_HZ 100u
extern uint64_t kernel_timer_ticks;
void kernel_timer_start(void);
void kernel_timer_stop(void);
int kernel_irq_acknowledge(uint64_t vector);

/* ---- Agents: ring 3 (agent.c, user_entry.S) ------------------------------------ */
/* The system-call ABI (docs/kernel.md, "System calls"): SYSCALL with the
 * number in RAX, arguments in RDI, RSI, RDX; the status comes back in RAX
 * (an OSPolicy_Status: 1 is OK, zero is never success) and a value in RDX. */
#define KERNEL_SYS_EXIT 0u      /* (code): never returns */
#define KERNEL_SYS_WRITE 1u     /* (buffer, length <= 256): RDX = bytes written */
#define KERNEL_SYS_YIELD 2u     /* (): the next agent runs */
#define KERNEL_SYS_MAP 3u       /* (pages): RDX = address of fresh zeroed RW pages */
#define KERNEL_SYS_PROTECT 4u   /* (address, length, prot): through the page-protection plan */
#define KERNEL_SYS_GETRANDOM 5u /* (buffer, length <= 256): from the entropy pool */
/* Capabilities and objects (gate.c): every object through a token, then MAC. */
#define KERNEL_SYS_CAP_INITIAL 6u  /* (index): RDX = the index-th token minted at load */
#define KERNEL_SYS_CAP_DERIVE 7u   /* (token, rights): RDX = a child token with a subset of the rights */
#define KERNEL_SYS_CAP_REVOKE 8u   /* (token): RDX = capabilities revoked (it and its descendants) */
#define KERNEL_SYS_CAP_SEND 9u     /* (endpoint token, token): moves the token into the endpoint */
#define KERNEL_SYS_CAP_RECV 10u    /* (endpoint token): RDX = the token moved to the caller */
#define KERNEL_SYS_OBJ_READ 11u    /* (token, buffer, length <= 256): RDX = bytes read */
#define KERNEL_SYS_OBJ_WRITE 12u   /* (token, buffer, length <= 256): RDX = bytes written */
#define KERNEL_SYS_COUNT 13u
#define KERNEL_SYSCALL_BIT(n) ((uint64_t)1 << (n))
#define KERNEL_VECTOR_SYSCALL 0x100u /* frame->vector of a SYSCALL entry */
#define KERNEL_USER_LIMIT ((uint64_t)0x0000800000000000) /* first non-user address */
#define KERNEL_AGENT_STACK_PAGES 4u
#define KERNEL_AGENT_KSTACK_PAGES 4u
#define KERNEL_AGENT_DEFAULT_BUDGET 50u  /* timer ticks (10 ms each) */
#define KERNEL_AGENT_DEFAULT_QUOTA 32u   /* frames: image + stack + map */
#define KERNEL_AGENT_WRITE_MAX 256u

typedef enum KernelAgentState {
  KERNEL_AGENT_UNSET = 0,
  KERNEL_AGENT_READY = 1,
  KERNEL_AGENT_EXITED = 2,
  KERNEL_AGENT_KILLED = 3,
  KERNEL_AGENT_REFUSED = 4
} KernelAgentState;

typedef struct KernelSchedContext {
  uint64_t rip, rsp, rbx, rbp, r12, r13, r14, r15;
} KernelSchedContext;

/* What the kernel knows of an agent before loading it. */
typedef struct KernelAgentSpec {
  const char *name;
  const uint8_t *elf;
  size_t size;
  uint64_t syscalls;     /* bitmap: bit n allows system call n; everything else kills */
  uint64_t budget_ticks; /* CPU budget in timer ticks */
  uint64_t quota_frames; /* every frame of its memory: image, stack, map */
  uint64_t arg0, arg1;   /* RDI, RSI at entry */
} KernelAgentSpec;

typedef struct KernelAgent {
  KernelAgentState state;
  const char *name;
  OSPolicy_Status load_status;
  const char *load_step;
  OSBaremetal_PageTable space;
  uint64_t syscalls, budget_ticks, quota_frames;
  uint64_t ticks, frames_used, frame_base, syscall_count;
  uint64_t image_base, image_size, entry, stack_top, heap_base, heap_next, heap_end;
  uint64_t kstack_top;
  KernelExceptionFrame frame; /* user state while not running */
  uint64_t exit_code;
  const char *kill_reason;
  uint64_t kill_vector, kill_error, kill_cr2, kill_rip, kill_syscall;
  OSPolicy_Status last_status; /* the last system call's status */
  uint32_t unknown_syscalls;   /* manifest names this kernel lacks: denied */
  /* The gate (gate.c): identity, label, tokens minted at load, and what the
   * gate decided for each of its calls (the self-tests read it). */
  uint32_t id;        /* capability owner id, non-zero */
  uint32_t mac_label; /* label id in the verified policy */
  uint32_t initial_count;
  uint64_t initial[8];
  uint64_t console_token;
  uint32_t gate_count;   /* gate decisions made */
  uint32_t gate_denials; /* of them, denied (each printed as an audit line) */
  OSPolicy_Status gate_log[32];
  uint32_t gate_rule[32]; /* OSPolicy_MacRule that decided, 0 when the capability refused first */
} KernelAgent;

/* This kernel's system-call names (agent_image.c): the table the sandbox-
 * profile compiler turns a manifest's `syscalls` into a bitmap with. */
extern const OSPolicy_SyscallTable kernel_syscall_table;

/* A signed agent as embedded: the image (ELF + .ospolicy.manifest) and its
 * envelope (kind agent, name). */
typedef struct KernelAgentImage {
  const char *name;
  const uint8_t *image;
  size_t image_size;
  const uint8_t *envelope;
  size_t envelope_size;
} KernelAgentImage;
/* What the caller adds: RDI/RSI at entry, and a budget below the default. */
typedef struct KernelAgentStart {
  uint64_t budget_ticks; /* 0: KERNEL_AGENT_DEFAULT_BUDGET; never raises it */
  uint64_t arg0, arg1;
} KernelAgentStart;
/* verify -> manifest -> policy -> kernel_agent_load (agent_image.c). */
OSPolicy_Status kernel_agent_load_signed(const KernelAgentImage *image, const KernelAgentStart *start,
                                         KernelAgent *agent);
OSPolicy_Status kernel_find_manifest_section(const uint8_t *elf, size_t size, const uint8_t **text,
                                             size_t *text_size);
OSPolicy_Status kernel_agent_refuse(KernelAgent *agent, const char *step, OSPolicy_Status status);

/* ---- The gate: capabilities, then MAC (gate.c) ---------------------------------- */
/* The verified MAC policy (kind data, name "agents"). */
typedef struct KernelMac {
  OSPolicy_Status status;       /* OK only when verified and parsed */
  OSPolicy_Status signature;    /* the verifier's status */
  OSPolicy_MacPolicy policy;
} KernelMac;
extern const KernelMac *kernel_mac_active; /* NULL until kernel_mac_init; agents refused unless OK */
OSPolicy_Status kernel_mac_load(const uint8_t *blob, size_t blob_size, const uint8_t *envelope, size_t envelope_size,
                                KernelMac *mac);
/* Verifies the embedded policy once, before any agent; prints the outcome. */
OSPolicy_Status kernel_mac_init(OSBaremetal_TestReport *report);
/* At load, after the manifest: the label (unknown: refused), the id, the
 * tokens minted from the grant table. */
OSPolicy_Status kernel_gate_admit(KernelAgent *agent, const char *label, size_t label_length);
/* The system calls 6..12 and write's console check; OK or the refusal. */
OSPolicy_Status kernel_gate_syscall(KernelAgent *agent, uint64_t number, const KernelExceptionFrame *frame,
                                    uint64_t *value);
OSPolicy_Status kernel_gate_console(KernelAgent *agent);
extern uint64_t kernel_gate_audit_lines;

extern KernelAgent *kernel_current_agent;
extern uint64_t kernel_syscall_iret_returns;
extern uint8_t kernel_smap_enabled;
/* Plans, maps W^X into a fresh address space (user ASLR), sets up the first
 * frame. OK: READY; otherwise REFUSED with load_status/load_step. */
OSPolicy_Status kernel_agent_load(const KernelAgentSpec *spec, KernelAgent *agent);
/* Round robin, the timer on, until no agent is READY. */
void kernel_agents_run(KernelAgent *const *agents, size_t count);
/* From exceptions.c: a trap from ring 3 (never returns unless an IRQ leaves
 * the agent running), and a fault at one of the IRETQs to ring 3. */
void kernel_user_trap(KernelExceptionFrame *frame, uint64_t cr2);
int kernel_user_return_fault(KernelExceptionFrame *frame);
/* The rule alone: #GP(0) in ring 0 at one of the two IRETQs to ring 3. */
int kernel_iretq_fault_matches(const KernelExceptionFrame *frame);
void kernel_syscall(KernelExceptionFrame *frame);
size_t kernel_copy_user(void *to, const void *from, size_t n);
size_t kernel_zero_user(void *to, size_t n);
OSPolicy_Status kernel_copy_from_user(void *to, uint64_t user_from, size_t n);
OSPolicy_Status kernel_copy_to_user(uint64_t user_to, const void *from, size_t n);
typedef struct KernelSpaceAudit {
  OSPolicy_Status status;
  OSBaremetal_WxAudit wx;
  uint64_t user_half_leaves;       /* leaves below KERNEL_USER_LIMIT */
  uint64_t user_half_supervisor;   /* of them, not user-accessible: must be 0 */
  uint64_t kernel_half_mismatches; /* PML4 entries 256..511 unlike the kernel's: must be 0 */
  uint64_t foreign_frames;         /* user leaves outside the agent's own frame run: must be 0 */
  uint64_t aliased_frames;         /* frames mapped by two leaves: must be 0 */
} KernelSpaceAudit;
/* Audits one agent's tables: the W+X audit, the two halves, and per frame
 * (every user leaf maps a frame of the agent's own quota run, once). The
 * runs of different agents are disjoint and never mapped in the kernel
 * half, so no frame has a second mapping anywhere, writable or not. */
OSPolicy_Status kernel_audit_space(const KernelAgent *agent, KernelSpaceAudit *audit);
OSPolicy_Status kernel_random_word(void *context, uint64_t *word);

/* ---- Self-tests ----------------------------------------------------------- */
void kernel_selftest_frames(OSBaremetal_TestReport *report);     /* kmem.c */
void kernel_selftest_faults(OSBaremetal_TestReport *report);     /* selftest_faults.c */
void kernel_selftest_cpu(OSBaremetal_TestReport *report);        /* selftest_faults.c */
void kernel_selftest_wx_audit(OSBaremetal_TestReport *report);   /* selftest_faults.c */
void kernel_selftest_split(OSBaremetal_TestReport *report);      /* selftest_faults.c */
void kernel_selftest_stubs(OSBaremetal_TestReport *report);      /* selftest_stubs.c */
void kernel_selftest_payload(OSBaremetal_TestReport *report);    /* selftest_payload.c */
void kernel_selftest_manifest(OSBaremetal_TestReport *report);   /* selftest_manifest.c */
void kernel_selftest_modules(OSBaremetal_TestReport *report);    /* selftest_modules.c */
void kernel_selftest_agents(OSBaremetal_TestReport *report);
void kernel_selftest_fixups(OSBaremetal_TestReport *report);     /* fixup.c */     /* selftest_agents.c */
void kernel_selftest_kaslr(OSBaremetal_TestReport *report, const OSPolicy_BootInfo *info); /* selftest_stubs.c */
void kernel_selftest_protection(OSBaremetal_TestReport *report); /* selftest_protection.c */

#endif
