/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * Page-protection figures: planning cost, and an RW -> RX -> RW flip through
 * the PAL (plan, the wrapper's plan check, the backend's W+X and alignment
 * checks, mprotect; a one-page range needs no mincore hole check) against a
 * raw mprotect pair on the same page, both measured in this run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ospolicy/pal.h"
#include "timing.h"

typedef struct flip_state {
  void *page;
  size_t page_size;
} flip_state;

static void plan_only(void *arg) {
  flip_state *s = arg;
  OSPolicy_PageProtectionRequest r = {.base = (uintptr_t)s->page, .size = s->page_size,
                                      .page_size = s->page_size, .from = OSPOLICY_PROT_RW,
                                      .to = OSPOLICY_PROT_RX};
  OSPolicy_PageProtectionPlan plan;
  if (OSPolicy_PlanPageProtection(&r, &plan) != OSPOLICY_OK) {
    abort();
  }
  __asm__ volatile("" : : "r"(&plan) : "memory");
}

static void field_copy(void *arg) {
  flip_state *s = arg;
  OSPolicy_PageProtectionPlan plan = {.status = OSPOLICY_OK, .base = (uintptr_t)s->page,
                                      .size = s->page_size, .page_size = s->page_size};
  __asm__ volatile("" : : "r"(&plan) : "memory");
}

static void pal_flip(void *arg) {
  flip_state *s = arg;
  OSPolicy_PageProtectionRequest r = {.base = (uintptr_t)s->page, .size = s->page_size,
                                      .page_size = s->page_size, .from = OSPOLICY_PROT_RW,
                                      .to = OSPOLICY_PROT_RX};
  OSPolicy_PageProtectionPlan seal, reclaim;
  if (OSPolicy_PlanPageProtection(&r, &seal) != OSPOLICY_OK ||
      OSPolicy_PalProtectPages(&seal) != OSPOLICY_OK) {
    abort();
  }
  r.from = OSPOLICY_PROT_RX;
  r.to = OSPOLICY_PROT_RW;
  r.flags = OSPOLICY_PAGE_RECLAIM;
  if (OSPolicy_PlanPageProtection(&r, &reclaim) != OSPOLICY_OK ||
      OSPolicy_PalProtectPages(&reclaim) != OSPOLICY_OK) {
    abort();
  }
}

static void raw_flip(void *arg) {
  flip_state *s = arg;
  if (mprotect(s->page, s->page_size, PROT_READ | PROT_EXEC) != 0 ||
      mprotect(s->page, s->page_size, PROT_READ | PROT_WRITE) != 0) {
    abort();
  }
}

int main(void) {
  flip_state s = {0};
  if (OSPolicy_PalGetPageSize(&s.page_size) != OSPOLICY_OK ||
      OSPolicy_PalAllocatePages(1, &s.page) != OSPOLICY_OK) {
    fprintf(stderr, "cannot allocate a page\n");
    return 1;
  }
  printf("== page protection (best of 5 rounds) ==\n");
  bench_report("plan RW->RX (OSPolicy_PlanPageProtection)",
               bench_best_ns_per_iter(plan_only, &s, 200000, 5), "struct fill only",
               bench_best_ns_per_iter(field_copy, &s, 200000, 5), "ns/op");
  /* Thread CPU time (the system calls included): other processes on the
   * machine do not inflate either side. */
  bench_report("RW->RX->RW flip via PAL (thread CPU)", bench_best_cpu_ns_per_iter(pal_flip, &s, 20000, 9),
               "raw mprotect pair", bench_best_cpu_ns_per_iter(raw_flip, &s, 20000, 9), "ns/op");
  return OSPolicy_PalFreePages(s.page, 1) == OSPOLICY_OK ? 0 : 1;
}
