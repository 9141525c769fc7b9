/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * Native app payload mapping plans: which pages an ELF image needs, and with
 * which protection.
 *
 * The planner reads a little-endian ELF64 x86-64 image (ET_EXEC or ET_DYN)
 * from a caller buffer, checks every header field it relies on against the
 * buffer's length, and plans one page-aligned range per PT_LOAD segment with
 * its protection, plus the total span (lowest page to highest page) and the
 * entry point. It never executes, copies, or relocates anything: that is the
 * executable-memory plan (<ospolicy/native_executable.h>) and the relocation
 * step (<ospolicy/native_relocation.h>).
 *
 * Images are attack surface. The planner refuses: truncated images, wrong
 * magic/class/endianness/version/machine/type, inconsistent header fields,
 * PT_INTERP (we cannot load an interpreter), PT_TLS, any W+X segment or an
 * executable-stack request (PT_GNU_STACK with PF_X), segments beyond the file,
 * segments whose vaddr and offset disagree modulo the page size, segments that
 * share a page, more PT_LOAD segments than the plan holds, and every address
 * or size computation that would overflow.
 *
 * Memory rules: the plan is a plain struct owned by the caller; the planner
 * writes it completely on every call (status first) and reads nothing but the
 * image's first image_size bytes. It does not keep the image pointer: the
 * consumers take the image again and re-check every bound they rely on, so a
 * forged or stale plan cannot make them read or write out of bounds.
 */
#ifndef OSPOLICY_NATIVE_PAYLOAD_H
#define OSPOLICY_NATIVE_PAYLOAD_H

#include <stddef.h>
#include <stdint.h>

#include "ospolicy/page_protection.h"
#include "ospolicy/status.h"

/* Fixed capacity of the plan: PT_LOAD segments beyond this are refused with
 * OSPOLICY_ERR_ELF_TOO_MANY_SEGMENTS. */
#define OSPOLICY_NATIVE_PAYLOAD_MAX_SEGMENTS 16u

/* "No program header" / "no byte offset" in the error and optional fields. */
#define OSPOLICY_NATIVE_PAYLOAD_NO_INDEX UINT32_MAX
#define OSPOLICY_NATIVE_PAYLOAD_NO_OFFSET UINT64_MAX

/* e_type values the planner accepts. */
#define OSPOLICY_NATIVE_PAYLOAD_TYPE_EXEC 2u /* ET_EXEC: runs only at its link address */
#define OSPOLICY_NATIVE_PAYLOAD_TYPE_DYN 3u  /* ET_DYN: any page-aligned load base */

typedef struct OSPolicy_NativePayloadRequest {
  const void *image; /* the ELF file's bytes; any alignment */
  size_t image_size; /* bytes readable at image */
  size_t page_size;  /* power of two >= OSPOLICY_MIN_PAGE_SIZE */
} OSPolicy_NativePayloadRequest;

/* One PT_LOAD segment. Addresses are link-time addresses in the image's own
 * address space (for ET_DYN usually starting at 0). */
typedef struct OSPolicy_NativePayloadSegment {
  uint64_t vaddr;       /* p_vaddr */
  uint64_t memsz;       /* p_memsz, > 0 */
  uint64_t file_offset; /* p_offset; file_offset + filesz <= image_size */
  uint64_t filesz;      /* p_filesz <= memsz; the bytes after it are zero */
  uint64_t page_start;  /* vaddr rounded down to the page size */
  uint64_t page_end;    /* vaddr + memsz rounded up: exclusive, page aligned */
  uint64_t align;       /* p_align: a power of two >= page_size */
  uint32_t prot;        /* OSPOLICY_PROT_*: READ always; WRITE or EXEC, never both */
  uint32_t phdr_index;  /* program header this segment came from */
} OSPolicy_NativePayloadSegment;

typedef struct OSPolicy_NativePayloadMappingPlan {
  OSPolicy_Status status; /* OSPOLICY_OK only if every field below is valid */
  /* Where an error was found (NO_INDEX / NO_OFFSET when not applicable):
   * the program header, a second program header (the earlier segment of an
   * overlapping pair), and the byte offset in the image of the offending
   * field (e.g. 0x12 for e_machine, e_phoff + 56*i + 8 for p_offset). */
  uint32_t error_phdr_index;
  uint32_t error_other_phdr_index;
  uint64_t error_offset;
  /* The request, echoed on every call. */
  size_t page_size;
  size_t image_size;
  /* Everything below is zero unless status is OSPOLICY_OK. */
  uint32_t elf_type;    /* OSPOLICY_NATIVE_PAYLOAD_TYPE_EXEC or _DYN */
  uint32_t phdr_count;  /* e_phnum */
  uint64_t entry;       /* e_entry, a link-time address (checked by the executable plan) */
  uint64_t span_start;  /* lowest segment page_start */
  uint64_t span_end;    /* highest segment page_end (exclusive) */
  uint64_t span_size;   /* span_end - span_start, a page multiple */
  size_t span_pages;    /* span_size / page_size */
  uint64_t max_align;   /* largest p_align: a load base aligned to it keeps every
                           alignment the linker assumed (page alignment suffices
                           for correctness of this loader) */
  /* PT_DYNAMIC (file bytes), or dynamic_phdr_index NO_INDEX if absent. */
  uint32_t dynamic_phdr_index;
  uint64_t dynamic_offset;
  uint64_t dynamic_size;
  uint64_t dynamic_vaddr;
  /* PT_GNU_RELRO, or relro_phdr_index NO_INDEX if absent. When present it lies
   * inside one writable PT_LOAD segment. */
  uint32_t relro_phdr_index;
  uint64_t relro_vaddr;
  uint64_t relro_size;
  uint32_t segment_count; /* 1..OSPOLICY_NATIVE_PAYLOAD_MAX_SEGMENTS */
  OSPolicy_NativePayloadSegment segments[OSPOLICY_NATIVE_PAYLOAD_MAX_SEGMENTS]; /* by vaddr */
} OSPolicy_NativePayloadMappingPlan;

#ifdef __cplusplus
extern "C" {
#endif

/* Reads the image and writes the whole plan. Errors, in the order checked
 * (docs/native_payload.md has the full table with field offsets):
 *   NULL_ARGUMENT (plan NULL: nothing written; request or image NULL);
 *   BAD_PAGE_SIZE;
 *   ELF_BAD_MAGIC (on the bytes present), ELF_TRUNCATED (< 64 bytes);
 *   ELF_UNSUPPORTED_CLASS (EI_CLASS, EI_DATA, EI_VERSION), ELF_BAD_HEADER
 *   (EI_OSABI not SYSV/GNU), ELF_UNSUPPORTED_MACHINE, ELF_UNSUPPORTED_TYPE,
 *   ELF_UNSUPPORTED_CLASS (e_version), ELF_BAD_HEADER (e_flags, e_ehsize,
 *   e_phentsize, PN_XNUM, e_phoff inside the header, section header fields),
 *   ELF_NO_LOAD_SEGMENTS (e_phnum 0), OVERFLOW / ELF_TRUNCATED (program or
 *   section header table past the end);
 *   then per program header, in table order: OVERFLOW / ELF_SEGMENT_BEYOND_FILE
 *   (p_offset + p_filesz), ELF_INTERPRETER, ELF_UNSUPPORTED_SEGMENT (PT_TLS,
 *   PT_SHLIB), DENIED_RWX (PT_GNU_STACK with PF_X), ELF_BAD_SEGMENT (second
 *   PT_DYNAMIC or PT_GNU_RELRO), OVERFLOW (PT_GNU_RELRO end); for PT_LOAD: ELF_BAD_SEGMENT (unknown p_flags
 *   bits), DENIED_RWX (PF_W|PF_X), ELF_BAD_SEGMENT (p_memsz 0, p_filesz >
 *   p_memsz), ELF_SEGMENT_MISALIGNED (p_align, p_vaddr vs p_offset), OVERFLOW
 *   (p_vaddr + p_memsz or its page round-up), ELF_TOO_MANY_SEGMENTS;
 *   finally ELF_NO_LOAD_SEGMENTS, ELF_SEGMENT_OVERLAP (two segments share a
 *   page), ELF_BAD_SEGMENT (PT_GNU_RELRO not inside one writable segment),
 *   OVERFLOW (span larger than SIZE_MAX).
 * On error the plan holds the status, the error location, the echoed request
 * fields, and zero elsewhere. */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_PlanNativePayloadMapping(
    const OSPolicy_NativePayloadRequest *request, OSPolicy_NativePayloadMappingPlan *plan);

#ifdef __cplusplus
}
#endif

#endif /* OSPOLICY_NATIVE_PAYLOAD_H */
