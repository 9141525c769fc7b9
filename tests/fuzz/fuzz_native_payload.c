/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * Fuzzes the native payload loader path with arbitrary bytes as the ELF image:
 * the mapping plan, and when it is OK the executable memory plan, staging
 * into a bounded buffer, R_X86_64_RELATIVE relocation and the page-protection
 * plans for a load base. Checks the invariants a loader relies on: results
 * match the returned status, accepted plans stay inside the image and the
 * span, no segment or range is W+X, a refused relocation leaves staging as
 * it was, and every built page-protection plan passes its own re-check.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ospolicy/native_executable.h"
#include "ospolicy/native_payload.h"
#include "ospolicy/native_relocation.h"

enum { FUZZ_PAGE = 4096 };
#define FUZZ_MAX_STAGING ((uint64_t)4 << 20) /* bigger spans are planned but not staged */
#define FUZZ_LOAD_BASE ((uintptr_t)0x7f0000000000u)

static void check(int condition) {
  if (!condition) {
    abort();
  }
}

static void check_mapping(const OSPolicy_NativePayloadMappingPlan *m, size_t size) {
  check(m->segment_count >= 1u && m->segment_count <= OSPOLICY_NATIVE_PAYLOAD_MAX_SEGMENTS);
  check(m->span_size == m->span_end - m->span_start && m->span_end > m->span_start);
  check(m->span_start % FUZZ_PAGE == 0u && m->span_end % FUZZ_PAGE == 0u);
  for (uint32_t k = 0; k < m->segment_count; k++) {
    const OSPolicy_NativePayloadSegment *s = &m->segments[k];
    check(!((s->prot & OSPOLICY_PROT_WRITE) && (s->prot & OSPOLICY_PROT_EXEC)));
    check(s->filesz <= s->memsz && s->file_offset + s->filesz <= size);
    check(s->page_start >= m->span_start && s->page_end <= m->span_end);
    check(s->page_start <= s->vaddr && s->vaddr + s->memsz <= s->page_end);
    check(k == 0u || m->segments[k - 1u].page_end <= s->page_start);
  }
}

static void exercise_loader(const uint8_t *data, size_t size,
                            const OSPolicy_NativePayloadMappingPlan *mapping) {
  OSPolicy_NativeExecutableMemoryPlan exec;
  OSPolicy_Status status = OSPolicy_PlanNativeExecutableMemory(mapping, &exec);
  check(exec.status == status);
  if (status != OSPOLICY_OK) {
    return;
  }
  check(exec.span_size == mapping->span_size && exec.staging_prot == OSPOLICY_PROT_RW);
  for (uint32_t i = 0; i < exec.range_count; i++) {
    const OSPolicy_NativeExecutableRange *r = &exec.ranges[i];
    check(r->final_prot != OSPOLICY_PROT_ALL && r->size != 0u);
    check(r->offset + r->size <= exec.span_size);
  }
  /* ET_DYN goes to a fixed base; ET_EXEC only runs at its link address. */
  const uintptr_t base = mapping->elf_type == OSPOLICY_NATIVE_PAYLOAD_TYPE_DYN
                             ? FUZZ_LOAD_BASE
                             : (uintptr_t)mapping->span_start;
  uintptr_t end;
  const int wraps = __builtin_add_overflow(base, exec.span_size, &end);
  OSPolicy_PageProtectionPlan plans[OSPOLICY_NATIVE_EXECUTABLE_MAX_RANGES];
  size_t count = 0;
  status = OSPolicy_BuildNativeExecutableProtections(&exec, base, plans,
                                                     OSPOLICY_NATIVE_EXECUTABLE_MAX_RANGES, &count);
  if (wraps) {
    check(status == OSPOLICY_ERR_OVERFLOW);
    return;
  }
  check(status == OSPOLICY_OK && count == exec.protection_count);
  for (size_t i = 0; i < count; i++) {
    check(OSPolicy_CheckPageProtectionPlan(&plans[i]) == OSPOLICY_OK);
    check(plans[i].base >= base && plans[i].base - base + plans[i].size <= exec.span_size);
  }
  if (mapping->span_size > FUZZ_MAX_STAGING) {
    return;
  }
  size_t span = (size_t)mapping->span_size;
  unsigned char *staging = malloc(span);
  unsigned char *before = malloc(span);
  check(staging != NULL && before != NULL);
  check(OSPolicy_StageNativePayload(mapping, data, size, staging, span) == OSPOLICY_OK);
  memcpy(before, staging, span);
  OSPolicy_NativeRelocationRequest rq = {.mapping = mapping, .image = data, .image_size = size,
                                         .staging = staging, .staging_size = span,
                                         .load_base = base};
  OSPolicy_NativeRelocationResult result;
  status = OSPolicy_ApplyNativeRelocations(&rq, &result);
  check(result.status == status);
  if (status == OSPOLICY_OK) {
    check(result.applied + result.skipped == result.relocation_count);
  } else {
    check(memcmp(before, staging, span) == 0);
  }
  free(before);
  free(staging);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  OSPolicy_NativePayloadRequest request = {.image = data, .image_size = size,
                                           .page_size = FUZZ_PAGE};
  OSPolicy_NativePayloadMappingPlan mapping;
  OSPolicy_Status status = OSPolicy_PlanNativePayloadMapping(&request, &mapping);
  check(mapping.status == status);
  if (status != OSPOLICY_OK) {
    check(mapping.segment_count == 0u && mapping.span_size == 0u);
    return 0;
  }
  check_mapping(&mapping, size);
  exercise_loader(data, size, &mapping);
  return 0;
}
