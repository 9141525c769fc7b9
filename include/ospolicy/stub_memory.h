/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * Executable stub memory plans: the write-then-execute layout of a small
 * region of caller-owned pages that will hold generated stubs.
 *
 * The region starts at a page-aligned `base`. The payload (the stub bytes)
 * starts `payload_offset` bytes into it and is `payload_size` bytes long; the
 * region covers whole pages, so its size is payload_offset + payload_size
 * rounded up to the page size. The pages are written while RW and run while
 * RX; they are never writable and executable at once. There is no way to ask
 * for RWX memory: such a request is denied with OSPOLICY_DENIED_RWX.
 *
 * Memory rules: the plan is a plain struct owned by the caller; the planner
 * writes it completely on every call (status first) and touches nothing else.
 * The planner does not allocate or touch the memory it describes. A consumer
 * (bundle plan, transition plan) re-checks a plan it is handed with
 * OSPolicy_CheckStubMemoryPlan and refuses it unless that returns
 * OSPOLICY_OK, so a zero-filled or hand-edited plan cannot pass.
 */
#ifndef OSPOLICY_STUB_MEMORY_H
#define OSPOLICY_STUB_MEMORY_H

#include <stddef.h>
#include <stdint.h>

#include "ospolicy/page_protection.h"
#include "ospolicy/status.h"

/* Alignment of the payload start and of every stub slot inside it: 16 bytes,
 * the function-entry alignment the x86-64 optimisation guides recommend (and
 * GCC/Clang use), so each stub entry starts its own 16-byte fetch block. */
#define OSPOLICY_STUB_ALIGNMENT ((size_t)16)

typedef struct OSPolicy_StubMemoryRequest {
  uintptr_t base;            /* first byte of the region; non-zero, page aligned */
  size_t page_size;          /* power of two, >= OSPOLICY_MIN_PAGE_SIZE */
  size_t payload_offset;     /* bytes before the payload; multiple of OSPOLICY_STUB_ALIGNMENT */
  size_t payload_size;       /* stub bytes; non-zero */
  uint32_t write_protection; /* protection while writing: must be OSPOLICY_PROT_RW */
  uint32_t run_protection;   /* protection while running: must be OSPOLICY_PROT_RX */
} OSPolicy_StubMemoryRequest;

typedef struct OSPolicy_StubMemoryPlan {
  OSPolicy_Status status; /* OSPOLICY_OK only if every field below is valid */
  uintptr_t base;
  size_t page_size;
  size_t payload_offset;
  size_t payload_size;
  size_t total_size; /* payload_offset + payload_size rounded up to page_size; 0 on error */
  size_t page_count; /* total_size / page_size; 0 on error */
  uint32_t write_protection;
  uint32_t run_protection;
} OSPolicy_StubMemoryPlan;

#ifdef __cplusplus
extern "C" {
#endif

/* Validates `request` and writes the whole plan. Errors, in the order checked:
 *   NULL_ARGUMENT   plan or request is NULL (plan NULL: nothing is written)
 *   BAD_PAGE_SIZE   page_size is not a power of two >= 4096
 *   BAD_PROTECTION  a protection has unknown bits or is not readable
 *   DENIED_RWX      a protection is writable and executable at once
 *   DENIED_NOT_WRITE_THEN_EXECUTE  write_protection is not RW or
 *                   run_protection is not RX
 *   NULL_ARGUMENT   base is 0 (a stub at address 0 would make a NULL
 *                   function pointer callable)
 *   UNALIGNED       base is not page aligned
 *   EMPTY_RANGE     payload_size is 0
 *   UNALIGNED       payload_offset is not a multiple of OSPOLICY_STUB_ALIGNMENT
 *   OVERFLOW        payload_offset + payload_size, its round-up to a page, or
 *                   base + total_size wraps
 * On error the plan carries the error status and the request's fields, with
 * total_size and page_count 0. */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_PlanStubMemory(const OSPolicy_StubMemoryRequest *request,
                                                            OSPolicy_StubMemoryPlan *plan);

/* Sizing before allocation: runs every check of OSPolicy_PlanStubMemory
 * except those on base (NULL_ARGUMENT for base 0, UNALIGNED base, OVERFLOW of
 * base + total_size) and writes the number of pages the plan will cover to
 * *page_count (0 on error). Allocate that many pages, then plan with their
 * address as base. NULL_ARGUMENT if request or page_count is NULL. */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_MeasureStubMemory(const OSPolicy_StubMemoryRequest *request,
                                                               size_t *page_count);

/* Re-validates a plan a consumer was handed: PLAN_NOT_OK if its status is not
 * OK or its computed fields disagree with its inputs, otherwise the status
 * that planning its inputs afresh yields (OK for an untouched plan). Never
 * writes. */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_CheckStubMemoryPlan(const OSPolicy_StubMemoryPlan *plan);

#ifdef __cplusplus
}
#endif

#endif /* OSPOLICY_STUB_MEMORY_H */
