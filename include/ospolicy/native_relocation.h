/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * Native payload relocation: applies an image's R_X86_64_RELATIVE relocations
 * to its staged copy for a chosen load base (ASLR for apps, KASLR for the
 * kernel the UEFI loader boots).
 *
 * The relocations are found through PT_DYNAMIC (DT_RELA, DT_RELASZ,
 * DT_RELAENT; DT_RELACOUNT optional) and read from the ELF image itself, never
 * from the staged copy being written. Only R_X86_64_RELATIVE (written as
 * load_base + (addend - link_base)) and R_X86_64_NONE (skipped) are supported;
 * every other type is OSPOLICY_ERR_ELF_BAD_RELOCATION.
 *
 * Where a relocation may write: only inside a segment that is writable in
 * the final layout (PF_W, which includes the PT_GNU_RELRO pages sealed
 * read-only afterwards). Staging is all RW, so writing into text would be
 * possible, but it is refused: a text relocation (DT_TEXTREL) means code that
 * is patched at load time, and such pages would have to be writable first and
 * executable after, which the toolchain's `-z text` already rules out. A target
 * in a read-only or executable segment, in no segment, or straddling a
 * segment's end is OSPOLICY_ERR_ELF_BAD_RELOCATION; so is a relocated value
 * that would point outside the image's span [link_base, link_base + span_size].
 *
 * All-or-nothing: every entry is checked before the first byte is written, so
 * a refused image leaves the staging copy exactly as it was. The image and
 * the staging buffer must not overlap (no relocation in place): the entries
 * are read from the image while staging is written, so a shared byte could
 * turn a checked entry into another one half-way. Overlap is refused with
 * OSPOLICY_ERR_INVALID_ARGUMENT before anything is read or written.
 *
 * Memory rules: the caller owns the image (read only), the staging copy
 * (written only at validated relocation targets, 8 bytes each, byte by byte)
 * and the result struct, which is written completely on every call.
 */
#ifndef OSPOLICY_NATIVE_RELOCATION_H
#define OSPOLICY_NATIVE_RELOCATION_H

#include <stddef.h>
#include <stdint.h>

#include "ospolicy/native_payload.h"
#include "ospolicy/status.h"

typedef struct OSPolicy_NativeRelocationRequest {
  const OSPolicy_NativePayloadMappingPlan *mapping; /* an OK plan for this image */
  const void *image;  /* the ELF file the mapping plan was made from */
  size_t image_size;
  void *staging;      /* the staged span: staging[0] is link address span_start */
  size_t staging_size; /* at least mapping->span_size */
  uintptr_t load_base; /* run-time address of span_start; page aligned. For
                          ET_EXEC it must equal span_start (bias 0) */
} OSPolicy_NativeRelocationRequest;

typedef struct OSPolicy_NativeRelocationResult {
  OSPolicy_Status status;
  /* Where an error was found: the index of the relocation entry (or of the
   * dynamic entry, for ELF_BAD_DYNAMIC) and the byte offset in the image of
   * the offending field; NO_INDEX / NO_OFFSET when not applicable. */
  uint32_t error_entry_index;
  uint64_t error_offset;
  /* Zero unless status is OSPOLICY_OK. */
  uint64_t relocation_count; /* entries in the DT_RELA table */
  uint64_t applied;          /* R_X86_64_RELATIVE entries written */
  uint64_t skipped;          /* R_X86_64_NONE entries */
} OSPolicy_NativeRelocationResult;

#ifdef __cplusplus
extern "C" {
#endif

/* Applies the relocations. Errors, in the order checked:
 *   NULL_ARGUMENT (result NULL: nothing written; request, mapping, image or
 *   staging NULL); PLAN_NOT_OK (mapping status, segment count);
 *   SOURCE_TOO_SMALL (image_size below the planned size);
 *   DESTINATION_TOO_SMALL (staging_size below span_size); OVERFLOW (image +
 *   image_size or staging + staging_size wraps the address space);
 *   INVALID_ARGUMENT ([image, image + image_size) and [staging, staging +
 *   staging_size) share a byte); UNALIGNED (load_base);
 *   INVALID_ARGUMENT (ET_EXEC with load_base != span_start); OVERFLOW
 *   (load_base + span_size);
 *   then the dynamic section (PT_DYNAMIC file bytes): OVERFLOW / OUT_OF_RANGE
 *   (outside the image), ELF_BAD_DYNAMIC (no DT_NULL, a repeated relocation
 *   tag, DT_NEEDED, DT_REL/DT_RELSZ/DT_RELENT/DT_RELCOUNT, DT_RELR*, DT_TEXTREL
 *   or DF_TEXTREL, DT_JMPREL or non-zero DT_PLTRELSZ, DT_RELA without
 *   DT_RELASZ/DT_RELAENT or the reverse, DT_RELAENT != 24, DT_RELASZ not a
 *   multiple of 24, DT_RELACOUNT above the entry count, a table not inside one
 *   segment's file bytes); OVERFLOW (table address arithmetic);
 *   then per entry, in table order: ELF_BAD_RELOCATION (type other than NONE or
 *   RELATIVE, RELATIVE with a symbol), OVERFLOW (r_offset + 8), ELF_BAD_RELOCATION
 *   (target not inside a writable segment; value outside the span), OVERFLOW
 *   (relocated value).
 * No PT_DYNAMIC, or a dynamic section without DT_RELA, is OK with zero
 * relocations. */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_ApplyNativeRelocations(
    const OSPolicy_NativeRelocationRequest *request, OSPolicy_NativeRelocationResult *result);

#ifdef __cplusplus
}
#endif

#endif /* OSPOLICY_NATIVE_RELOCATION_H */
