/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * Native app executable memory plans: how a mapped payload goes from staging
 * to its final protections without ever being writable and executable.
 *
 * From an OK mapping plan (<ospolicy/native_payload.h>) the planner computes
 *   - staging: the whole span, page aligned, RW and never executable, where the
 *     loader copies the segments (OSPolicy_StageNativePayload) and applies the
 *     relocations (<ospolicy/native_relocation.h>);
 *   - final ranges, page-granular, in address order, each with one transition
 *     out of staging:
 *       TEXT      PF_X segment            RW -> RX  seal-exec
 *       READONLY  PF_R-only segment       RW -> R   seal-readonly
 *       RELRO     PT_GNU_RELRO pages of   RW -> R   seal-readonly (after
 *                 a writable segment                relocation, like ld.so)
 *       DATA      rest of a PF_W segment  RW stays RW (no transition)
 *       GAP       pages between segments  RW -> R   seal-readonly
 *     No final range is writable and executable; no executable page is ever
 *     writable after its seal.
 * OSPolicy_BuildNativeExecutableProtections turns the ranges that change into
 * OSPolicy_PageProtectionPlans for a given load base, ready for
 * OSPolicy_PalProtectPages.
 *
 * Loader sequence: PlanNativePayloadMapping -> PlanNativeExecutableMemory ->
 * PalAllocatePages(span_pages) -> StageNativePayload -> ApplyNativeRelocations
 * -> BuildNativeExecutableProtections -> PalProtectPages for each plan ->
 * PalFlushInstructionCache -> call load_base + entry_offset.
 *
 * Memory rules: plans are plain caller-owned structs, written completely on
 * every call (status first). Every consumer refuses an input plan whose status
 * is not OSPOLICY_OK and re-checks the fields it relies on, so a hand-forged
 * plan cannot make it read or write outside the buffers it was given.
 */
#ifndef OSPOLICY_NATIVE_EXECUTABLE_H
#define OSPOLICY_NATIVE_EXECUTABLE_H

#include <stddef.h>
#include <stdint.h>

#include "ospolicy/native_payload.h"
#include "ospolicy/page_protection.h"
#include "ospolicy/status.h"

/* Segments, the gaps between them, and the at most two extra pieces a RELRO
 * region splits its segment into. */
#define OSPOLICY_NATIVE_EXECUTABLE_MAX_RANGES (2u * OSPOLICY_NATIVE_PAYLOAD_MAX_SEGMENTS + 2u)

typedef enum OSPolicy_NativeRangeKind {
  OSPOLICY_NATIVE_RANGE_UNSET = 0,
  OSPOLICY_NATIVE_RANGE_TEXT = 1,     /* RW -> RX */
  OSPOLICY_NATIVE_RANGE_READONLY = 2, /* RW -> R */
  OSPOLICY_NATIVE_RANGE_RELRO = 3,    /* RW -> R, after relocation */
  OSPOLICY_NATIVE_RANGE_DATA = 4,     /* stays RW */
  OSPOLICY_NATIVE_RANGE_GAP = 5       /* RW -> R */
} OSPolicy_NativeRangeKind;

typedef struct OSPolicy_NativeExecutableRange {
  uint64_t offset;     /* from the start of the span (the load base); page aligned */
  uint64_t size;       /* non-zero page multiple */
  uint32_t final_prot; /* OSPOLICY_PROT_RX, OSPOLICY_PROT_READ or OSPOLICY_PROT_RW */
  OSPolicy_PageTransition transition; /* SEAL_EXEC, SEAL_READONLY, or UNSET (stays RW) */
  OSPolicy_NativeRangeKind kind;
  uint32_t phdr_index; /* the PT_LOAD it belongs to; NO_INDEX for a gap */
} OSPolicy_NativeExecutableRange;

typedef struct OSPolicy_NativeExecutableMemoryPlan {
  OSPolicy_Status status; /* OSPOLICY_OK only if every field below is valid */
  uint32_t error_phdr_index; /* program header an error refers to, or NO_INDEX */
  /* Everything below is zero unless status is OSPOLICY_OK. */
  size_t page_size;
  uint64_t link_base;     /* the mapping plan's span_start: address offset 0 was linked at */
  uint64_t span_size;     /* staging bytes: a page multiple */
  size_t span_pages;      /* pages to allocate for staging */
  uint32_t staging_prot;  /* OSPOLICY_PROT_RW: everything writable, nothing executable */
  uint32_t relocatable;   /* 1 for ET_DYN (any page-aligned base), 0 for ET_EXEC
                             (the load base must equal link_base) */
  uint64_t entry_offset;  /* e_entry - link_base: inside a TEXT range's file bytes */
  uint64_t executable_size; /* bytes in TEXT ranges */
  uint32_t range_count;
  uint32_t protection_count; /* ranges whose transition is not UNSET */
  OSPolicy_NativeExecutableRange ranges[OSPOLICY_NATIVE_EXECUTABLE_MAX_RANGES];
} OSPolicy_NativeExecutableMemoryPlan;

#ifdef __cplusplus
extern "C" {
#endif

/* Plans staging and final protections. Errors, in the order checked:
 *   NULL_ARGUMENT (plan NULL: nothing written); PLAN_NOT_OK (mapping status);
 *   BAD_PAGE_SIZE; ELF_NO_LOAD_SEGMENTS / ELF_TOO_MANY_SEGMENTS (segment
 *   count); UNALIGNED (span start or end); PLAN_NOT_OK (span size or page count
 *   disagree with start/end); then per segment: BAD_PROTECTION, DENIED_RWX,
 *   UNALIGNED (page_start/page_end: the executable offsets), ELF_BAD_SEGMENT
 *   (filesz > memsz), OVERFLOW (vaddr + memsz), OUT_OF_RANGE (pages do not
 *   cover the segment, or leave the span), ELF_SEGMENT_OVERLAP (not sorted or
 *   sharing a page); ELF_NO_EXECUTABLE_SEGMENT; ELF_ENTRY_NOT_EXECUTABLE (entry
 *   not inside the file bytes of an executable segment); ELF_BAD_SEGMENT
 *   (RELRO not inside a writable segment, or overflowing). */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_PlanNativeExecutableMemory(
    const OSPolicy_NativePayloadMappingPlan *mapping, OSPolicy_NativeExecutableMemoryPlan *plan);

/* Copies every segment's file bytes from the image into staging (staging[0]
 * is the mapping's span_start) and zeroes every other byte of the span.
 * Checks everything before writing anything: NULL_ARGUMENT; PLAN_NOT_OK;
 * SOURCE_TOO_SMALL (image_size below the planned image size);
 * DESTINATION_TOO_SMALL (staging_size below span_size); OVERFLOW / OUT_OF_RANGE
 * (a segment's file bytes outside the image or its memory outside the span).
 * The image and staging must not overlap. */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_StageNativePayload(
    const OSPolicy_NativePayloadMappingPlan *mapping, const void *image, size_t image_size,
    void *staging, size_t staging_size);

/* Writes one OSPolicy_PageProtectionPlan per range whose transition is not
 * UNSET, in range order, for pages at load_base + range.offset. Output
 * contract: *count always receives the number of plans required; capacity 0
 * (plans may then be NULL) asks for it. Errors: NULL_ARGUMENT; PLAN_NOT_OK;
 * UNALIGNED (load_base not page aligned); INVALID_ARGUMENT (ET_EXEC image and
 * load_base != link_base); OVERFLOW (load_base + span_size); OUT_OF_RANGE or
 * PLAN_NOT_OK (a range outside the span or inconsistent with its kind);
 * BUFFER_TOO_SMALL (capacity below *count; nothing written to plans); or the
 * status OSPolicy_PlanPageProtection returned for a range. */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_BuildNativeExecutableProtections(
    const OSPolicy_NativeExecutableMemoryPlan *plan, uintptr_t load_base,
    OSPolicy_PageProtectionPlan *plans, size_t capacity, size_t *count);

/* Short name of a range kind ("text", "readonly", "relro", "data", "gap");
 * never NULL. */
const char *OSPolicy_NativeRangeKindName(OSPolicy_NativeRangeKind kind);

#ifdef __cplusplus
}
#endif

#endif /* OSPOLICY_NATIVE_EXECUTABLE_H */
