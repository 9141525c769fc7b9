/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * Stub bundle plans: where each diagnostic stub goes inside the payload of a
 * stub memory plan.
 *
 * Three slots are known: the COM1 writer, the descriptor-table reader and the
 * controlled-fault probe. The caller names the slots it wants and gives each
 * one's byte length; the planner packs them deterministically:
 *   - slots are placed in ascending slot-id order, whatever order the request
 *     lists them in, so the same set of (id, length) pairs always yields the
 *     same offsets;
 *   - the first slot starts at payload offset 0 and every slot starts at a
 *     multiple of OSPOLICY_STUB_ALIGNMENT (16) from the payload start; the
 *     payload start itself is page aligned plus a multiple of 16, so every
 *     stub entry address is 16-byte aligned;
 *   - the gaps between slots are padding (the materializer fills them with
 *     int3 trap bytes); required_size is the end of the last slot.
 *
 * Memory rules: the plan is a plain struct owned by the caller (it embeds a
 * copy of the memory plan, so it is self-contained); the planner writes it
 * completely on every call (status first) and reads only the request, its
 * slot array and the memory plan. Consumers re-check a plan with
 * OSPolicy_CheckStubBundlePlan and refuse it unless that returns OSPOLICY_OK.
 */
#ifndef OSPOLICY_STUB_BUNDLE_H
#define OSPOLICY_STUB_BUNDLE_H

#include <stddef.h>
#include <stdint.h>

#include "ospolicy/status.h"
#include "ospolicy/stub_memory.h"

/* Slot identifiers (stored as uint32_t so unknown values are representable). */
typedef enum OSPolicy_StubSlotId {
  OSPOLICY_STUB_SLOT_UNSET = 0,             /* never a valid slot */
  OSPOLICY_STUB_SLOT_COM1_WRITER = 1,       /* writes bytes to the COM1 UART */
  OSPOLICY_STUB_SLOT_DESCRIPTOR_READER = 2, /* reads the GDT/IDT descriptors (sgdt/sidt) */
  OSPOLICY_STUB_SLOT_FAULT_PROBE = 3        /* raises a controlled fault on purpose */
} OSPolicy_StubSlotId;

/* Number of known slots, and the most a bundle can hold. */
#define OSPOLICY_STUB_SLOT_MAX 3u

/* "No index" marker for error_index fields. */
#define OSPOLICY_STUB_NO_INDEX SIZE_MAX

typedef struct OSPolicy_StubSlotRequest {
  uint32_t id;   /* OSPOLICY_STUB_SLOT_* */
  size_t length; /* stub bytes; non-zero */
} OSPolicy_StubSlotRequest;

typedef struct OSPolicy_StubBundleRequest {
  const OSPolicy_StubSlotRequest *slots; /* slot_count entries, any order */
  size_t slot_count;                     /* 1 .. OSPOLICY_STUB_SLOT_MAX */
} OSPolicy_StubBundleRequest;

typedef struct OSPolicy_StubSlotPlan {
  uint32_t id;
  size_t offset; /* from the payload start; multiple of OSPOLICY_STUB_ALIGNMENT */
  size_t length;
} OSPolicy_StubSlotPlan;

typedef struct OSPolicy_StubBundlePlan {
  OSPolicy_Status status;         /* OSPOLICY_OK only if every field below is valid */
  OSPolicy_StubMemoryPlan memory; /* copy of the memory plan (zero if none was given) */
  size_t required_size;           /* end of the last slot; written whenever the slot
                                     list is valid, also on PLAN_NOT_OK/PLAN_TOO_SMALL */
  size_t slot_count;              /* 0 on error */
  OSPolicy_StubSlotPlan slots[OSPOLICY_STUB_SLOT_MAX]; /* ascending id; unused entries zero */
  size_t error_index; /* index into request->slots of the offending entry, else
                         OSPOLICY_STUB_NO_INDEX */
} OSPolicy_StubBundlePlan;

#ifdef __cplusplus
extern "C" {
#endif

/* Validates the slot list and writes the bytes the packed bundle needs to
 * *required_size (0 on error). Errors, in the order checked:
 *   NULL_ARGUMENT   request or required_size is NULL, or slots is NULL
 *   EMPTY_RANGE     slot_count is 0
 *   TOO_MANY        slot_count > OSPOLICY_STUB_SLOT_MAX
 *   then for each entry in request order:
 *     UNKNOWN_SLOT      the id is not one of OSPOLICY_STUB_SLOT_*
 *     DUPLICATE_SLOT    the id appeared earlier in the list
 *     ZERO_LENGTH_SLOT  the length is 0
 *   OVERFLOW        packing the slots wraps size_t */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_MeasureStubBundle(const OSPolicy_StubBundleRequest *request,
                                                               size_t *required_size);

/* Packs the slots into the payload of `memory` and writes the whole plan.
 * Errors, in the order checked: NULL_ARGUMENT (plan NULL: nothing written;
 * memory or request NULL); the OSPolicy_MeasureStubBundle errors above (with
 * error_index set for per-entry errors); PLAN_NOT_OK (memory does not pass
 * OSPolicy_CheckStubMemoryPlan); PLAN_TOO_SMALL (required_size exceeds
 * memory->payload_size). */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_PlanStubBundle(const OSPolicy_StubMemoryPlan *memory,
                                                            const OSPolicy_StubBundleRequest *request,
                                                            OSPolicy_StubBundlePlan *plan);

/* Re-validates a bundle plan: PLAN_NOT_OK if its status is not OK, its
 * memory plan fails OSPolicy_CheckStubMemoryPlan, or any slot, offset or size
 * differs from what planning its slots afresh yields. Never writes. */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_CheckStubBundlePlan(const OSPolicy_StubBundlePlan *plan);

/* Finds slot `id` in an OK plan: writes *slot and returns OK, or returns
 * PLAN_NOT_OK (plan fails the check) or UNKNOWN_SLOT (id not in the plan). */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_FindStubSlot(const OSPolicy_StubBundlePlan *plan,
                                                          uint32_t id, OSPolicy_StubSlotPlan *slot);

/* Short name of a slot id ("com1-writer", ...); "unknown" otherwise; never NULL. */
const char *OSPolicy_StubSlotName(uint32_t id);

#ifdef __cplusplus
}
#endif

#endif /* OSPOLICY_STUB_BUNDLE_H */
