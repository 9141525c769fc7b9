/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * Stub materializer figures, each beside a baseline from the same run:
 *   - throughput (MB/s of payload written) of OSPolicy_MaterializeStubBundle
 *     writing in place, against the same bytes written by hand: the planned
 *     pages memset to the trap byte, then the payload memcpy'd, for a large
 *     bundle (about 1 MiB) and for realistic tiny stubs (one page);
 *   - plan construction cost (memory plan + bundle plan) against filling the
 *     same two structs by hand without any checks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ospolicy/stub_materializer.h"
#include "timing.h"

enum { PAGE = 4096 };

typedef struct bench_state {
  OSPolicy_StubMemoryPlan memory;
  OSPolicy_StubBundlePlan bundle;
  OSPolicy_StubSource sources[3];
  OSPolicy_StubSlotRequest slots[3];
  unsigned char *destination;
  unsigned char *flat_source; /* payload_size bytes, for the memcpy baseline */
  size_t payload_size;
} bench_state;

static int setup(bench_state *s, const size_t lengths[3]) {
  memset(s, 0, sizeof *s);
  for (uint32_t i = 0; i < 3; i++) {
    s->slots[i] = (OSPolicy_StubSlotRequest){.id = i + 1u, .length = lengths[i]};
  }
  OSPolicy_StubBundleRequest br = {.slots = s->slots, .slot_count = 3};
  size_t required = 0;
  if (OSPolicy_MeasureStubBundle(&br, &required) != OSPOLICY_OK) {
    return -1;
  }
  OSPolicy_StubMemoryRequest mr = {.page_size = PAGE,
                                   .payload_size = required,
                                   .write_protection = OSPOLICY_PROT_RW,
                                   .run_protection = OSPOLICY_PROT_RX};
  size_t pages = 0;
  if (OSPolicy_MeasureStubMemory(&mr, &pages) != OSPOLICY_OK) {
    return -1;
  }
  s->destination = aligned_alloc(PAGE, pages * PAGE);
  s->flat_source = malloc(required);
  if (s->destination == NULL || s->flat_source == NULL) {
    return -1;
  }
  memset(s->destination, 0, pages * PAGE);
  memset(s->flat_source, 0x90, required);
  mr.base = (uintptr_t)s->destination;
  if (OSPolicy_PlanStubMemory(&mr, &s->memory) != OSPOLICY_OK ||
      OSPolicy_PlanStubBundle(&s->memory, &br, &s->bundle) != OSPOLICY_OK) {
    return -1;
  }
  for (uint32_t i = 0; i < 3; i++) {
    unsigned char *bytes = malloc(lengths[i]);
    if (bytes == NULL) {
      return -1;
    }
    memset(bytes, (int)(0x40u + i), lengths[i]);
    s->sources[i] = (OSPolicy_StubSource){.id = i + 1u, .bytes = bytes, .length = lengths[i]};
  }
  s->payload_size = required;
  return 0;
}

static void teardown(bench_state *s) {
  for (size_t i = 0; i < 3; i++) {
    free((void *)(uintptr_t)s->sources[i].bytes);
  }
  free(s->destination);
  free(s->flat_source);
}

static void materialize(void *arg) {
  bench_state *s = arg;
  OSPolicy_StubMaterializeRequest r = {.bundle = &s->bundle,
                                       .sources = s->sources,
                                       .source_count = 3,
                                       .destination = s->destination,
                                       .destination_size = s->memory.total_size,
                                       .payload_base_offset = s->memory.payload_offset};
  OSPolicy_StubMaterializeResult result;
  if (OSPolicy_MaterializeStubBundle(&r, &result) != OSPOLICY_OK) {
    abort();
  }
  __asm__ volatile("" : : "r"(s->destination) : "memory");
}

/* The same writes without any checks: the materializer in place fills the
 * whole planned pages (trap bytes around the stubs), so this is its floor. */
static void fill_and_copy(void *arg) {
  bench_state *s = arg;
  memset(s->destination, (int)OSPOLICY_STUB_TRAP_BYTE, s->memory.total_size);
  memcpy(s->destination + s->memory.payload_offset, s->flat_source, s->payload_size);
  __asm__ volatile("" : : "r"(s->destination) : "memory");
}

static void plan_both(void *arg) {
  bench_state *s = arg;
  OSPolicy_StubMemoryRequest mr = {.base = (uintptr_t)s->destination,
                                   .page_size = PAGE,
                                   .payload_size = s->payload_size,
                                   .write_protection = OSPOLICY_PROT_RW,
                                   .run_protection = OSPOLICY_PROT_RX};
  OSPolicy_StubBundleRequest br = {.slots = s->slots, .slot_count = 3};
  OSPolicy_StubMemoryPlan memory;
  OSPolicy_StubBundlePlan bundle;
  if (OSPolicy_PlanStubMemory(&mr, &memory) != OSPOLICY_OK ||
      OSPolicy_PlanStubBundle(&memory, &br, &bundle) != OSPOLICY_OK) {
    abort();
  }
  __asm__ volatile("" : : "r"(&memory), "r"(&bundle) : "memory");
}

static void fill_structs(void *arg) {
  bench_state *s = arg;
  OSPolicy_StubMemoryPlan memory = {.status = OSPOLICY_OK,
                                    .base = (uintptr_t)s->destination,
                                    .page_size = PAGE,
                                    .payload_size = s->payload_size,
                                    .total_size = PAGE,
                                    .page_count = 1};
  OSPolicy_StubBundlePlan bundle = {.status = OSPOLICY_OK, .memory = memory, .slot_count = 3};
  for (size_t i = 0; i < 3; i++) {
    bundle.slots[i] = (OSPolicy_StubSlotPlan){.id = s->slots[i].id, .length = s->slots[i].length};
  }
  __asm__ volatile("" : : "r"(&memory), "r"(&bundle) : "memory");
}

static double mb_per_s(size_t bytes, double ns) {
  return ns > 0.0 ? (double)bytes / ns * 1000.0 : 0.0;
}

int main(void) {
  bench_state large;
  bench_state tiny;
  const size_t large_lengths[3] = {524288u, 300001u, 200003u};
  const size_t tiny_lengths[3] = {7u, 6u, 2u};
  if (setup(&large, large_lengths) != 0 || setup(&tiny, tiny_lengths) != 0) {
    fprintf(stderr, "cannot set up the bench state\n");
    return 1;
  }
  printf("== stub materializer (best of 5 rounds) ==\n");
  double ours = bench_best_ns_per_iter(materialize, &large, 2000, 5);
  double base = bench_best_ns_per_iter(fill_and_copy, &large, 2000, 5);
  char label[96];
  snprintf(label, sizeof label, "materialize %zu-byte bundle", large.payload_size);
  bench_report(label, mb_per_s(large.payload_size, ours), "memset pages + memcpy",
               mb_per_s(large.payload_size, base), "MB/s");
  ours = bench_best_ns_per_iter(materialize, &tiny, 1000000, 5);
  base = bench_best_ns_per_iter(fill_and_copy, &tiny, 1000000, 5);
  snprintf(label, sizeof label, "materialize %zu-byte bundle", tiny.payload_size);
  bench_report(label, ours, "memset pages + memcpy", base, "ns/op");
  bench_report("plan memory + bundle (3 slots)", bench_best_ns_per_iter(plan_both, &tiny, 1000000, 5),
               "struct fill only", bench_best_ns_per_iter(fill_structs, &tiny, 1000000, 5), "ns/op");
  teardown(&large);
  teardown(&tiny);
  return 0;
}
