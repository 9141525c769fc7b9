/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * The stub lifecycle, live on this Linux x86-64 host: real pages from the PAL,
 * a memory plan, a bundle of real x86-64 stubs, materialization, the RW -> RX
 * transition through OSPolicy_PalProtectPages, and calls into the stubs.
 * Enforcement is proven by provoking the faults in a forked child: writing to
 * a sealed page and jumping into a writable page must kill it with SIGSEGV,
 * and a jump into padding or into the page tail after the payload (every
 * sealed byte that is not a stub is int3) with SIGTRAP.
 */
#include <check.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ospolicy/pal.h"
#include "ospolicy/stub_transition.h"
#include "proc_maps.h"

#if !defined(__x86_64__)
#error "the stub lifecycle live test runs x86-64 machine code"
#endif

/* Host-safe stand-ins for the three diagnostic stubs (the real COM1 writer
 * and descriptor reader use port I/O and sgdt, which user space cannot). */
static const unsigned char com1_stub[] = {0x8D, 0x87, 0x00, 0x10, 0x00, 0x00, /* lea eax, [rdi+0x1000] */
                                          0xC3};                              /* ret */
static const unsigned char descriptor_stub[] = {0xB8, 0x78, 0x56, 0x34, 0x12, /* mov eax, 0x12345678 */
                                                0xC3};                        /* ret */
static const unsigned char fault_stub[] = {0x0F, 0x0B};                       /* ud2 */

enum { COM1 = OSPOLICY_STUB_SLOT_COM1_WRITER,
       DESC = OSPOLICY_STUB_SLOT_DESCRIPTOR_READER,
       FAULT = OSPOLICY_STUB_SLOT_FAULT_PROBE };

typedef int (*stub_fn)(int);

static stub_fn as_stub(uintptr_t address) {
  stub_fn fn;
  _Static_assert(sizeof fn == sizeof address, "function pointers are addresses here");
  memcpy(&fn, &address, sizeof fn);
  return fn;
}

typedef struct lifecycle {
  size_t page_size;
  void *pages;
  OSPolicy_StubMemoryPlan memory;
  OSPolicy_StubBundlePlan bundle;
  OSPolicy_StubMaterializeResult materialized;
  OSPolicy_StubTransitionPlan transition;
} lifecycle;

/* Allocates, plans, bundles and materializes; the pages are still RW. */
static void build(lifecycle *l) {
  memset(l, 0, sizeof *l);
  ck_assert_int_eq(OSPolicy_PalGetPageSize(&l->page_size), OSPOLICY_OK);
  OSPolicy_StubSlotRequest slots[] = {{FAULT, sizeof fault_stub},
                                      {COM1, sizeof com1_stub},
                                      {DESC, sizeof descriptor_stub}};
  OSPolicy_StubBundleRequest bundle_request = {.slots = slots, .slot_count = 3};
  size_t required = 0;
  ck_assert_int_eq(OSPolicy_MeasureStubBundle(&bundle_request, &required), OSPOLICY_OK);

  OSPolicy_StubMemoryRequest memory_request = {.page_size = l->page_size,
                                               .payload_offset = 0,
                                               .payload_size = required,
                                               .write_protection = OSPOLICY_PROT_RW,
                                               .run_protection = OSPOLICY_PROT_RX};
  size_t page_count = 0;
  ck_assert_int_eq(OSPolicy_MeasureStubMemory(&memory_request, &page_count), OSPOLICY_OK);
  ck_assert_int_eq(OSPolicy_PalAllocatePages(page_count, &l->pages), OSPOLICY_OK);
  memory_request.base = (uintptr_t)l->pages;
  ck_assert_int_eq(OSPolicy_PlanStubMemory(&memory_request, &l->memory), OSPOLICY_OK);
  ck_assert_uint_eq(l->memory.page_count, page_count);
  ck_assert_int_eq(OSPolicy_PlanStubBundle(&l->memory, &bundle_request, &l->bundle), OSPOLICY_OK);

  OSPolicy_StubSource sources[] = {{COM1, com1_stub, sizeof com1_stub},
                                   {DESC, descriptor_stub, sizeof descriptor_stub},
                                   {FAULT, fault_stub, sizeof fault_stub}};
  OSPolicy_StubMaterializeRequest materialize = {.bundle = &l->bundle,
                                                 .sources = sources,
                                                 .source_count = 3,
                                                 .destination = l->pages,
                                                 .destination_size = l->memory.total_size,
                                                 .payload_base_offset = l->memory.payload_offset};
  ck_assert_int_eq(OSPolicy_MaterializeStubBundle(&materialize, &l->materialized), OSPOLICY_OK);

  OSPolicy_StubTransitionRequest transition = {.memory = &l->memory,
                                               .materialized = &l->materialized,
                                               .base = l->memory.base,
                                               .size = l->memory.total_size,
                                               .from = OSPOLICY_PROT_RW,
                                               .to = OSPOLICY_PROT_RX};
  ck_assert_int_eq(OSPolicy_PlanStubTransition(&transition, &l->transition), OSPOLICY_OK);
}

static void seal(lifecycle *l) {
  ck_assert_int_eq(OSPolicy_PalProtectPages(&l->transition.protection), OSPOLICY_OK);
  ck_assert_int_eq(OSPolicy_PalFlushInstructionCache((const void *)l->materialized.payload_address,
                                                     l->materialized.payload_size),
                   OSPOLICY_OK);
}

static void release(lifecycle *l) {
  ck_assert_int_eq(OSPolicy_PalFreePages(l->pages, l->memory.page_count), OSPOLICY_OK);
}

static uintptr_t slot_address(const lifecycle *l, uint32_t id) {
  OSPolicy_StubSlotPlan slot;
  ck_assert_int_eq(OSPolicy_FindStubSlot(&l->bundle, id, &slot), OSPOLICY_OK);
  return l->materialized.payload_address + slot.offset;
}

static const char *perms_of(const void *address) {
  static char perms[5];
  ck_assert_int_eq(proc_maps_perms(address, perms), 0);
  return perms;
}

/* Runs provoke(address) in a forked child with the fault signals at their
 * default action (the sanitizer build installs handlers of its own) and no
 * core dump; returns the signal that killed the child, or -1 if it exited. */
static int signal_in_child(void (*provoke)(uintptr_t), uintptr_t address) {
  pid_t pid = fork();
  ck_assert_int_ge(pid, 0);
  if (pid == 0) {
    struct rlimit no_core = {0, 0};
    (void)setrlimit(RLIMIT_CORE, &no_core);
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    const int signals[] = {SIGSEGV, SIGBUS, SIGILL, SIGTRAP};
    sigset_t unblock;
    sigemptyset(&unblock);
    for (size_t i = 0; i < sizeof signals / sizeof signals[0]; i++) {
      if (sigaction(signals[i], &dfl, NULL) != 0) {
        _exit(3);
      }
      sigaddset(&unblock, signals[i]);
    }
    sigprocmask(SIG_UNBLOCK, &unblock, NULL);
    provoke(address);
    _exit(0); /* survived: the parent reports a missing fault */
  }
  int status = 0;
  pid_t waited;
  do {
    waited = waitpid(pid, &status, 0);
  } while (waited < 0 && errno == EINTR);
  ck_assert_int_eq(waited, pid);
  if (WIFSIGNALED(status)) {
    return WTERMSIG(status);
  }
  return -1;
}

static void write_byte(uintptr_t address) {
  *(volatile unsigned char *)address = 0x90;
}

static void call_stub(uintptr_t address) {
  (void)as_stub(address)(1);
}

START_TEST(stubs_run_after_write_then_execute) {
  lifecycle l;
  build(&l);
  ck_assert_str_eq(perms_of(l.pages), "rw-p");
  seal(&l);
  ck_assert_str_eq(perms_of(l.pages), "r-xp");
  /* Each stub at its planned, 16-byte aligned offset. */
  uintptr_t com1 = slot_address(&l, COM1);
  uintptr_t desc = slot_address(&l, DESC);
  ck_assert_uint_eq(com1 % OSPOLICY_STUB_ALIGNMENT, 0);
  ck_assert_uint_eq(desc % OSPOLICY_STUB_ALIGNMENT, 0);
  ck_assert_int_eq(as_stub(com1)(5), 0x1005);
  ck_assert_int_eq(as_stub(com1)(-0x1000), 0);
  ck_assert_int_eq(as_stub(desc)(0), 0x12345678);
  release(&l);
}
END_TEST

START_TEST(fault_probe_padding_and_page_tail_trap_when_run) {
  lifecycle l;
  build(&l);
  seal(&l);
  /* The controlled-fault probe (ud2) raises #UD: SIGILL. */
  ck_assert_int_eq(signal_in_child(call_stub, slot_address(&l, FAULT)), SIGILL);
  /* Padding after the COM1 stub is int3: landing there traps with SIGTRAP. */
  uintptr_t padding = slot_address(&l, COM1) + sizeof com1_stub;
  ck_assert_uint_eq(*(const unsigned char *)padding, OSPOLICY_STUB_TRAP_BYTE);
  ck_assert_int_eq(signal_in_child(call_stub, padding), SIGTRAP);
  /* So is the page tail after the payload, which the seal made executable
   * too: its first byte and the very last byte of the sealed pages. */
  uintptr_t tail = l.materialized.payload_address + l.materialized.payload_size;
  uintptr_t last = l.memory.base + l.memory.total_size - 1u;
  ck_assert_uint_lt(tail, last);
  ck_assert_uint_eq(*(const unsigned char *)tail, OSPOLICY_STUB_TRAP_BYTE);
  ck_assert_uint_eq(*(const unsigned char *)last, OSPOLICY_STUB_TRAP_BYTE);
  ck_assert_int_eq(signal_in_child(call_stub, tail), SIGTRAP);
  ck_assert_int_eq(signal_in_child(call_stub, last), SIGTRAP);
  /* Every byte of the sealed pages is a stub byte or a trap byte. */
  ck_assert_uint_eq(l.transition.protection.base, l.memory.base);
  ck_assert_uint_eq(l.transition.protection.size, l.memory.total_size);
  const unsigned char *page = l.pages;
  const struct {
    uint32_t id;
    const unsigned char *code;
    size_t length;
  } stubs[] = {{COM1, com1_stub, sizeof com1_stub},
               {DESC, descriptor_stub, sizeof descriptor_stub},
               {FAULT, fault_stub, sizeof fault_stub}};
  size_t stub_bytes = 0;
  for (size_t i = 0; i < sizeof stubs / sizeof stubs[0]; i++) {
    size_t at = (size_t)(slot_address(&l, stubs[i].id) - l.memory.base);
    ck_assert_int_eq(memcmp(page + at, stubs[i].code, stubs[i].length), 0);
    stub_bytes += stubs[i].length;
  }
  size_t traps = 0;
  for (size_t i = 0; i < l.memory.total_size; i++) {
    traps += page[i] == OSPOLICY_STUB_TRAP_BYTE;
  }
  ck_assert_uint_eq(traps, l.memory.total_size - stub_bytes); /* no stub byte is 0xCC */
  release(&l);
}
END_TEST

START_TEST(write_to_sealed_stub_page_faults) {
  lifecycle l;
  build(&l);
  seal(&l);
  uintptr_t com1 = slot_address(&l, COM1);
  ck_assert_int_eq(signal_in_child(write_byte, com1), SIGSEGV);
  /* The parent's page is unchanged and still runs. */
  ck_assert_uint_eq(*(const unsigned char *)com1, com1_stub[0]);
  ck_assert_int_eq(as_stub(com1)(1), 0x1001);
  release(&l);
}
END_TEST

START_TEST(jump_into_writable_page_faults) {
  lifecycle l;
  build(&l);
  /* Valid code, materialized but not sealed: the page is RW, not executable. */
  ck_assert_str_eq(perms_of(l.pages), "rw-p");
  uintptr_t desc = slot_address(&l, DESC);
  ck_assert_int_eq(memcmp((const void *)desc, descriptor_stub, sizeof descriptor_stub), 0);
  ck_assert_int_eq(signal_in_child(call_stub, desc), SIGSEGV);
  /* Sealing then makes the very same bytes runnable. */
  seal(&l);
  ck_assert_int_eq(as_stub(desc)(0), 0x12345678);
  release(&l);
}
END_TEST

START_TEST(rwx_request_refused_before_any_system_call) {
  lifecycle l;
  build(&l);
  /* Planners refuse RWX intent outright. */
  OSPolicy_StubTransitionRequest rwx = {.memory = &l.memory,
                                        .materialized = &l.materialized,
                                        .base = l.memory.base,
                                        .size = l.memory.total_size,
                                        .from = OSPOLICY_PROT_RW,
                                        .to = OSPOLICY_PROT_ALL};
  OSPolicy_StubTransitionPlan refused;
  ck_assert_int_eq(OSPolicy_PlanStubTransition(&rwx, &refused), OSPOLICY_DENIED_RWX);
  ck_assert_int_eq(OSPolicy_PalProtectPages(&refused.protection), OSPOLICY_ERR_PLAN_NOT_OK);

  /* A forged plan handed straight to the backend never reaches mprotect. */
  OSPolicy_PageProtectionPlan forged = l.transition.protection;
  forged.to = OSPOLICY_PROT_ALL;
  ck_assert_int_eq(OSHost_ProtectPages((void *)forged.base, forged.size, forged.from, forged.to), OSHOST_ERR_DENIED);
  ck_assert_str_eq(perms_of(l.pages), "rw-p");
  ck_assert_int_eq(OSPolicy_PalProtectPages(&forged), OSPOLICY_DENIED_RWX);
  ck_assert_str_eq(perms_of(l.pages), "rw-p");
  /* And the pages are still not executable: running them faults. */
  ck_assert_int_eq(signal_in_child(call_stub, slot_address(&l, COM1)), SIGSEGV);
  release(&l);
}
END_TEST

Suite *stub_lifecycle_suite(void);
Suite *stub_lifecycle_suite(void) {
  Suite *suite = suite_create("stub_lifecycle");
  TCase *tc = tcase_create("linux");
  tcase_add_test(tc, stubs_run_after_write_then_execute);
  tcase_add_test(tc, fault_probe_padding_and_page_tail_trap_when_run);
  tcase_add_test(tc, write_to_sealed_stub_page_faults);
  tcase_add_test(tc, jump_into_writable_page_faults);
  tcase_add_test(tc, rwx_request_refused_before_any_system_call);
  suite_add_tcase(suite, tc);
  return suite;
}
