/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * Stub bundle materializer: writes the stubs of a bundle plan into
 * caller-owned destination storage.
 *
 * The payload region is the memory plan's payload_size bytes starting at
 * destination + payload_base_offset. Every slot's planned bytes are copied
 * from its source to payload offset slot.offset; every other byte of the
 * payload region (padding between slots and the tail after the last slot) is
 * filled with OSPOLICY_STUB_TRAP_BYTE (0xCC, x86 int3), so a jump into padding
 * traps instead of running stale bytes.
 *
 * Two ways to call it, told apart by the request alone:
 *   - in place: destination == the memory plan's base and
 *     payload_base_offset == its payload_offset. The written range is the
 *     planned pages, [base, base + total_size): the payload region as above,
 *     and also the payload_offset bytes before it and the page tail after it
 *     (up to total_size) filled with trap bytes, so every byte of the pages
 *     that the transition seals RX is a stub byte or a trap byte.
 *     destination_size must be >= total_size.
 *   - staging (anything else): the written range is the payload region only.
 * Nothing outside the written range is ever written (in place: nothing
 * outside the planned pages, whatever destination_size says); every check
 * runs before the first write, so a refused call leaves the destination
 * untouched. The result records the written range, and the transition plan
 * accepts only a result whose written range is the planned pages, so a
 * staging result can never be sealed.
 *
 * Memory rules: the result is a plain struct owned by the caller; the
 * materializer writes it completely on every call (status first), reads the
 * bundle plan and sources, and writes only the written range described
 * above. Sources must not overlap the written range.
 */
#ifndef OSPOLICY_STUB_MATERIALIZER_H
#define OSPOLICY_STUB_MATERIALIZER_H

#include <stddef.h>
#include <stdint.h>

#include "ospolicy/status.h"
#include "ospolicy/stub_bundle.h"

/* Filler for every written byte that is not part of a stub: x86 int3. */
#define OSPOLICY_STUB_TRAP_BYTE 0xCCu

typedef struct OSPolicy_StubSource {
  uint32_t id;       /* OSPOLICY_STUB_SLOT_* of a slot in the bundle plan */
  const void *bytes; /* stub code; the first `planned length` bytes are copied */
  size_t length;     /* size of the buffer at `bytes`; >= the planned length */
} OSPolicy_StubSource;

typedef struct OSPolicy_StubMaterializeRequest {
  const OSPolicy_StubBundlePlan *bundle;
  const OSPolicy_StubSource *sources; /* source_count entries, any order, one per planned slot */
  size_t source_count;
  void *destination;          /* caller-owned storage */
  size_t destination_size;    /* bytes writable at destination */
  size_t payload_base_offset; /* where payload byte 0 goes, from destination */
} OSPolicy_StubMaterializeRequest;

typedef struct OSPolicy_StubMaterializeResult {
  OSPolicy_Status status;    /* OSPOLICY_OK only if the whole written range was written */
  uintptr_t payload_address; /* destination + payload_base_offset; 0 on error */
  size_t payload_size;       /* the memory plan's payload_size; 0 on error */
  uintptr_t written_address; /* first byte written: the memory base in place, else
                                payload_address; 0 on error */
  size_t written_size;       /* bytes written: total_size in place, else payload_size;
                                0 on error */
  size_t bytes_copied;       /* stub bytes copied; 0 on error */
  size_t bytes_trapped;      /* trap bytes written (written_size - bytes_copied); 0 on error */
  size_t slot_count;         /* stubs written; 0 on error */
  size_t error_index;        /* offending index into sources, else OSPOLICY_STUB_NO_INDEX */
  uint32_t error_slot;       /* offending slot id, else OSPOLICY_STUB_SLOT_UNSET */
} OSPolicy_StubMaterializeResult;

#ifdef __cplusplus
extern "C" {
#endif

/* Checks everything, then writes the written range (the planned pages in
 * place, else the payload region). Errors, in the order checked (none of
 * them writes a byte of the destination):
 *   NULL_ARGUMENT   result NULL (nothing written), request, bundle or
 *                   destination NULL
 *   PLAN_NOT_OK     the bundle fails OSPolicy_CheckStubBundlePlan
 *   OVERFLOW        payload_base_offset + payload_size, or the destination
 *                   address + that end, wraps
 *   DESTINATION_TOO_SMALL  destination_size < payload_base_offset + payload_size,
 *                   or, in place, destination_size < the memory plan's total_size
 *   NULL_ARGUMENT   sources NULL while source_count > 0
 *   then for each source in order (error_index and error_slot set):
 *     UNKNOWN_SLOT    the id is not a slot of the bundle plan
 *     DUPLICATE_SLOT  the id appeared earlier in the list
 *     NULL_ARGUMENT   bytes is NULL
 *     OVERFLOW        bytes + length wraps
 *     INVALID_ARGUMENT the source buffer overlaps the written range
 *   then for each planned slot in plan order (error_slot set):
 *     SOURCE_TOO_SMALL  no source was given for it, or its length is shorter
 *                       than the planned length */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_MaterializeStubBundle(
    const OSPolicy_StubMaterializeRequest *request, OSPolicy_StubMaterializeResult *result);

/* Re-validates a result a consumer was handed: PLAN_NOT_OK unless status is
 * OK and the fields are consistent (non-zero payload and written ranges that
 * do not wrap, the payload inside the written range, 0 < bytes_copied <=
 * payload_size, bytes_copied + bytes_trapped == written_size, 1..3 slots).
 * Never writes. */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_CheckStubMaterializeResult(
    const OSPolicy_StubMaterializeResult *result);

#ifdef __cplusplus
}
#endif

#endif /* OSPOLICY_STUB_MATERIALIZER_H */
