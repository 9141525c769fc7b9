/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * Stub page transition plans: the single step that makes materialized stub
 * pages executable.
 *
 * The transition is always write-then-execute: the pages go from RW straight
 * to RX (a seal-exec page-protection transition) and are never writable and
 * executable at once. It is planned only for a payload that the materializer
 * wrote successfully in place, that is over the whole planned pages (every
 * byte a stub byte or an int3 trap byte, see stub_materializer.h), and only
 * for a page-aligned range inside those pages that covers the whole payload. The plan embeds an
 * OSPolicy_PageProtectionPlan built with OSPolicy_PlanPageProtection; hand
 * `&plan.protection` to OSPolicy_PalProtectPages to apply it.
 *
 * Memory rules: the plan is a plain struct owned by the caller; the planner
 * writes it completely on every call (status first) and reads only the
 * request, the memory plan and the materialize result. It does not touch the
 * pages. Consumers re-check the plan with OSPolicy_CheckStubTransitionPlan.
 */
#ifndef OSPOLICY_STUB_TRANSITION_H
#define OSPOLICY_STUB_TRANSITION_H

#include <stddef.h>
#include <stdint.h>

#include "ospolicy/page_protection.h"
#include "ospolicy/status.h"
#include "ospolicy/stub_materializer.h"
#include "ospolicy/stub_memory.h"

typedef struct OSPolicy_StubTransitionRequest {
  const OSPolicy_StubMemoryPlan *memory;                /* the plan the stubs live in */
  const OSPolicy_StubMaterializeResult *materialized;   /* result of writing them there */
  uintptr_t base; /* first byte of the range to seal; page aligned */
  size_t size;    /* bytes; non-zero multiple of the page size */
  uint32_t from;  /* current protection: must be OSPOLICY_PROT_RW */
  uint32_t to;    /* wanted protection: must be OSPOLICY_PROT_RX */
} OSPolicy_StubTransitionRequest;

typedef struct OSPolicy_StubTransitionPlan {
  OSPolicy_Status status;                 /* OSPOLICY_OK only if every field below is valid */
  OSPolicy_PageProtectionPlan protection; /* the RW -> RX plan; zero unless status is OK */
  uintptr_t payload_address;              /* the sealed payload; 0 unless status is OK */
  size_t payload_size;
} OSPolicy_StubTransitionPlan;

#ifdef __cplusplus
extern "C" {
#endif

/* Validates `request` and writes the whole plan. Errors, in the order checked:
 *   NULL_ARGUMENT     plan NULL (nothing written); request, memory or
 *                     materialized NULL
 *   PLAN_NOT_OK       memory fails OSPolicy_CheckStubMemoryPlan
 *   BAD_PROTECTION    from/to has unknown bits or is not readable
 *   DENIED_RWX        from or to is writable and executable at once
 *   DENIED_NOT_WRITE_THEN_EXECUTE  the transition is not RW -> RX
 *   NOT_MATERIALIZED  materialized fails OSPolicy_CheckStubMaterializeResult,
 *                     or it was not written into this memory plan's payload
 *                     (address memory->base + payload_offset, size
 *                     payload_size), or it did not write the whole planned
 *                     pages (written_address memory->base, written_size
 *                     total_size): a staging result is always refused
 *   EMPTY_RANGE       size is 0
 *   UNALIGNED         base or size is not a multiple of the plan's page size
 *   OVERFLOW          base + size wraps
 *   OUT_OF_RANGE      the range leaves [memory->base, memory->base + total_size)
 *                     or does not cover the whole payload
 *   any status of OSPolicy_PlanPageProtection (not expected once the checks
 *   above passed) */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_PlanStubTransition(
    const OSPolicy_StubTransitionRequest *request, OSPolicy_StubTransitionPlan *plan);

/* Re-validates a plan: PLAN_NOT_OK unless status is OK, the embedded
 * protection plan passes OSPolicy_CheckPageProtectionPlan as a seal-exec
 * (RW -> RX) transition, and the payload lies inside its range. Never writes. */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_CheckStubTransitionPlan(
    const OSPolicy_StubTransitionPlan *plan);

#ifdef __cplusplus
}
#endif

#endif /* OSPOLICY_STUB_TRANSITION_H */
