/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * Native payload figures on the committed static-pie test payload
 * (tests/fuzz/corpus/native_payload/static_pie_payload.elf): the mapping plan,
 * the executable memory plan, staging + relocation into a buffer, and the
 * whole live load (PAL pages, seal, free), each beside a baseline measured in
 * the same run (a memcpy of the image; a raw mmap/mprotect/munmap sequence).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "ospolicy/native_executable.h"
#include "ospolicy/native_payload.h"
#include "ospolicy/native_relocation.h"
#include "ospolicy/pal.h"
#include "timing.h"

typedef struct bench_state {
  unsigned char *image;
  size_t size;
  size_t page;
  OSPolicy_NativePayloadMappingPlan mapping;
  OSPolicy_NativeExecutableMemoryPlan exec;
  unsigned char *staging;
  unsigned char *scratch;
} bench_state;

static void plan_mapping(void *arg) {
  bench_state *s = arg;
  OSPolicy_NativePayloadRequest r = {.image = s->image, .image_size = s->size, .page_size = s->page};
  OSPolicy_NativePayloadMappingPlan plan;
  if (OSPolicy_PlanNativePayloadMapping(&r, &plan) != OSPOLICY_OK) {
    abort();
  }
  __asm__ volatile("" : : "r"(&plan) : "memory");
}

static void plan_executable(void *arg) {
  bench_state *s = arg;
  OSPolicy_NativeExecutableMemoryPlan plan;
  if (OSPolicy_PlanNativeExecutableMemory(&s->mapping, &plan) != OSPOLICY_OK) {
    abort();
  }
  __asm__ volatile("" : : "r"(&plan) : "memory");
}

static void stage_and_relocate(void *arg) {
  bench_state *s = arg;
  if (OSPolicy_StageNativePayload(&s->mapping, s->image, s->size, s->staging,
                                  (size_t)s->exec.span_size) != OSPOLICY_OK) {
    abort();
  }
  OSPolicy_NativeRelocationRequest rq = {.mapping = &s->mapping, .image = s->image,
                                         .image_size = s->size, .staging = s->staging,
                                         .staging_size = (size_t)s->exec.span_size,
                                         .load_base = (uintptr_t)0x7f0000000000u};
  OSPolicy_NativeRelocationResult result;
  if (OSPolicy_ApplyNativeRelocations(&rq, &result) != OSPOLICY_OK) {
    abort();
  }
  __asm__ volatile("" : : "r"(s->staging) : "memory");
}

static void copy_image(void *arg) {
  bench_state *s = arg;
  memcpy(s->scratch, s->image, s->size);
  __asm__ volatile("" : : "r"(s->scratch) : "memory");
}

static void live_load(void *arg) {
  bench_state *s = arg;
  OSPolicy_NativePayloadRequest r = {.image = s->image, .image_size = s->size, .page_size = s->page};
  OSPolicy_NativePayloadMappingPlan mapping;
  OSPolicy_NativeExecutableMemoryPlan exec;
  void *base = NULL;
  if (OSPolicy_PlanNativePayloadMapping(&r, &mapping) != OSPOLICY_OK ||
      OSPolicy_PlanNativeExecutableMemory(&mapping, &exec) != OSPOLICY_OK ||
      OSPolicy_PalAllocatePages(exec.span_pages, &base) != OSPOLICY_OK ||
      OSPolicy_StageNativePayload(&mapping, s->image, s->size, base, (size_t)exec.span_size) !=
          OSPOLICY_OK) {
    abort();
  }
  OSPolicy_NativeRelocationRequest rq = {.mapping = &mapping, .image = s->image,
                                         .image_size = s->size, .staging = base,
                                         .staging_size = (size_t)exec.span_size,
                                         .load_base = (uintptr_t)base};
  OSPolicy_NativeRelocationResult result;
  OSPolicy_PageProtectionPlan plans[OSPOLICY_NATIVE_EXECUTABLE_MAX_RANGES];
  size_t count = 0;
  if (OSPolicy_ApplyNativeRelocations(&rq, &result) != OSPOLICY_OK ||
      OSPolicy_BuildNativeExecutableProtections(&exec, (uintptr_t)base, plans,
                                                OSPOLICY_NATIVE_EXECUTABLE_MAX_RANGES,
                                                &count) != OSPOLICY_OK) {
    abort();
  }
  for (size_t i = 0; i < count; i++) {
    if (OSPolicy_PalProtectPages(&plans[i]) != OSPOLICY_OK) {
      abort();
    }
  }
  if (OSPolicy_PalFreePages(base, exec.span_pages) != OSPOLICY_OK) {
    abort();
  }
}

static void raw_load(void *arg) {
  bench_state *s = arg;
  size_t span = (size_t)s->exec.span_size;
  unsigned char *base = mmap(NULL, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (base == MAP_FAILED) {
    abort();
  }
  memcpy(base, s->image, s->size < span ? s->size : span);
  for (uint32_t i = 0; i < s->exec.range_count; i++) {
    const OSPolicy_NativeExecutableRange *r = &s->exec.ranges[i];
    int prot = r->final_prot == OSPOLICY_PROT_RX ? PROT_READ | PROT_EXEC
               : r->final_prot == OSPOLICY_PROT_RW ? PROT_READ | PROT_WRITE
                                                   : PROT_READ;
    if (mprotect(base + r->offset, (size_t)r->size, prot) != 0) {
      abort();
    }
  }
  if (munmap(base, span) != 0) {
    abort();
  }
}

static int read_file(const char *path, bench_state *s) {
  FILE *file = fopen(path, "rb");
  if (file == NULL || fseek(file, 0, SEEK_END) != 0) {
    return -1;
  }
  long length = ftell(file);
  if (length <= 0 || fseek(file, 0, SEEK_SET) != 0) {
    fclose(file);
    return -1;
  }
  s->size = (size_t)length;
  s->image = malloc(s->size);
  int ok = s->image != NULL && fread(s->image, 1, s->size, file) == s->size;
  fclose(file);
  return ok ? 0 : -1;
}

int main(void) {
  const char *path = OSPOLICY_SOURCE_DIR "/tests/fuzz/corpus/native_payload/static_pie_payload.elf";
  bench_state s;
  memset(&s, 0, sizeof s);
  if (read_file(path, &s) != 0 || OSPolicy_PalGetPageSize(&s.page) != OSPOLICY_OK) {
    fprintf(stderr, "cannot read %s\n", path);
    return 1;
  }
  OSPolicy_NativePayloadRequest r = {.image = s.image, .image_size = s.size, .page_size = s.page};
  if (OSPolicy_PlanNativePayloadMapping(&r, &s.mapping) != OSPOLICY_OK ||
      OSPolicy_PlanNativeExecutableMemory(&s.mapping, &s.exec) != OSPOLICY_OK) {
    fprintf(stderr, "the payload does not plan\n");
    return 1;
  }
  s.staging = malloc((size_t)s.exec.span_size);
  s.scratch = malloc(s.size);
  if (s.staging == NULL || s.scratch == NULL) {
    return 1;
  }
  printf("== native payload: %zu-byte static-pie, %u segments, %zu pages (best of 5) ==\n", s.size,
         (unsigned)s.mapping.segment_count, s.exec.span_pages);
  double copy = bench_best_ns_per_iter(copy_image, &s, 20000, 5);
  bench_report("mapping plan", bench_best_ns_per_iter(plan_mapping, &s, 20000, 5),
               "memcpy of the image", copy, "ns/op");
  bench_report("executable memory plan", bench_best_ns_per_iter(plan_executable, &s, 20000, 5),
               "memcpy of the image", copy, "ns/op");
  bench_report("stage + relocate", bench_best_ns_per_iter(stage_and_relocate, &s, 20000, 5),
               "memcpy of the image", copy, "ns/op");
  bench_report("live load via PAL (plan, allocate, stage, relocate, seal, free)",
               bench_best_ns_per_iter(live_load, &s, 2000, 5),
               "raw mmap + memcpy + mprotect + munmap", bench_best_ns_per_iter(raw_load, &s, 2000, 5),
               "ns/op");
  free(s.staging);
  free(s.scratch);
  free(s.image);
  return 0;
}
