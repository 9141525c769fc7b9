/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * ospolicy status codes.
 *
 * Every library operation returns an OSPolicy_Status. Zero is never success:
 * OSPOLICY_STATUS_UNSET (0) means "nothing was decided", so a zero-filled
 * result struct can never be mistaken for an accepted plan. Test for success
 * by equality with OSPOLICY_OK, never with `!status`.
 *
 * Codes are grouped in classes by their high byte:
 *   0x01xx caller mistakes (bad arguments, undersized buffers, unusable plans)
 *   0x02xx bad input data (malformed ELF images, manifests, envelopes)
 *   0x03xx environment (the platform backend failed or broke its contract)
 *   0x04xx policy denials (the request is well formed but not allowed)
 * Values are stable: append within a class, never renumber.
 */
#ifndef OSPOLICY_STATUS_H
#define OSPOLICY_STATUS_H

#include <stdint.h>

#if defined(__GNUC__) || defined(__clang__)
#define OSPOLICY_MUST_CHECK __attribute__((warn_unused_result))
#else
#define OSPOLICY_MUST_CHECK
#endif

/* X(enumerator, value, "short-name", "what it means") */
#define OSPOLICY_STATUS_LIST_GENERAL(X)                                                        \
  X(OSPOLICY_STATUS_UNSET, 0x0000, "status-unset", "no result was written")                    \
  X(OSPOLICY_OK, 0x0001, "ok", "success")                                                       \
  X(OSPOLICY_ERR_NULL_ARGUMENT, 0x0101, "null-argument", "a required pointer was NULL")         \
  X(OSPOLICY_ERR_INVALID_ARGUMENT, 0x0102, "invalid-argument", "an argument has an invalid value") \
  X(OSPOLICY_ERR_BUFFER_TOO_SMALL, 0x0103, "buffer-too-small",                                  \
    "the output buffer is too small; the required size was written back")                       \
  X(OSPOLICY_ERR_PLAN_NOT_OK, 0x0104, "plan-not-ok",                                            \
    "an input plan does not carry OSPOLICY_OK status")                                          \
  X(OSPOLICY_ERR_BAD_PAGE_SIZE, 0x0105, "bad-page-size",                                        \
    "page size is not a power of two of at least 4096")                                         \
  X(OSPOLICY_ERR_UNALIGNED, 0x0106, "unaligned", "an address or size is not aligned as required") \
  X(OSPOLICY_ERR_OVERFLOW, 0x0107, "overflow", "an address or size computation overflows")       \
  X(OSPOLICY_ERR_EMPTY_RANGE, 0x0108, "empty-range", "a range or payload has zero length")       \
  X(OSPOLICY_ERR_OUT_OF_RANGE, 0x0109, "out-of-range",                                          \
    "a range lies outside the region it must stay inside")                                      \
  X(OSPOLICY_ERR_BAD_PROTECTION, 0x010A, "bad-protection",                                      \
    "protection flags are unknown or not readable")                                            \
  X(OSPOLICY_ERR_DUPLICATE_SLOT, 0x010B, "duplicate-slot", "a stub slot was requested twice")   \
  X(OSPOLICY_ERR_UNKNOWN_SLOT, 0x010C, "unknown-slot", "a stub slot identifier is not known")   \
  X(OSPOLICY_ERR_ZERO_LENGTH_SLOT, 0x010D, "zero-length-slot", "a stub slot has zero length")   \
  X(OSPOLICY_ERR_PLAN_TOO_SMALL, 0x010E, "plan-too-small",                                      \
    "the memory plan has too little payload capacity")                                          \
  X(OSPOLICY_ERR_SOURCE_TOO_SMALL, 0x010F, "source-too-small",                                  \
    "a source buffer is shorter than the plan requires")                                        \
  X(OSPOLICY_ERR_DESTINATION_TOO_SMALL, 0x0110, "destination-too-small",                        \
    "a destination buffer is shorter than the plan requires")                                   \
  X(OSPOLICY_ERR_NOT_MATERIALIZED, 0x0111, "not-materialized",                                  \
    "the payload was not materialized successfully")                                            \
  X(OSPOLICY_ERR_TOO_MANY, 0x0112, "too-many", "more entries than the fixed capacity allows")    \
  X(OSPOLICY_ERR_PAL_FAILED, 0x0301, "pal-failed", "the platform backend reported a failure")    \
  X(OSPOLICY_ERR_PAL_CONTRACT, 0x0302, "pal-contract",                                           \
    "the platform backend returned a result that breaks its contract")                          \
  X(OSPOLICY_ERR_NO_MEMORY, 0x0303, "no-memory", "the platform could not provide memory")        \
  X(OSPOLICY_ERR_UNSUPPORTED, 0x0304, "unsupported", "the platform does not support the request") \
  X(OSPOLICY_DENIED_RWX, 0x0401, "denied-rwx", "memory would be writable and executable at once") \
  X(OSPOLICY_DENIED_EXEC_TO_WRITE, 0x0402, "denied-exec-to-write",                              \
    "executable memory may not become writable")                                                \
  X(OSPOLICY_DENIED_TRANSITION, 0x0403, "denied-transition",                                    \
    "this protection transition is not allowed")                                                \
  X(OSPOLICY_DENIED_NOT_WRITE_THEN_EXECUTE, 0x0404, "denied-not-write-then-execute",            \
    "executable memory must be written first and made executable after")

/* ELF payload images (native app payload and executable memory plans). */
#define OSPOLICY_STATUS_LIST_ELF(X)                                                            \
  X(OSPOLICY_ERR_ELF_TRUNCATED, 0x0201, "elf-truncated", "the ELF image is shorter than a header or table it declares") \
  X(OSPOLICY_ERR_ELF_BAD_MAGIC, 0x0202, "elf-bad-magic", "not an ELF image")                     \
  X(OSPOLICY_ERR_ELF_UNSUPPORTED_CLASS, 0x0203, "elf-unsupported-class",                        \
    "not a little-endian ELF64 image of version 1")                                             \
  X(OSPOLICY_ERR_ELF_UNSUPPORTED_MACHINE, 0x0204, "elf-unsupported-machine", "not an x86-64 image") \
  X(OSPOLICY_ERR_ELF_UNSUPPORTED_TYPE, 0x0205, "elf-unsupported-type",                          \
    "not an executable or position-independent (ET_EXEC/ET_DYN) image")                         \
  X(OSPOLICY_ERR_ELF_BAD_HEADER, 0x0206, "elf-bad-header", "an ELF header field is inconsistent") \
  X(OSPOLICY_ERR_ELF_SEGMENT_BEYOND_FILE, 0x0207, "elf-segment-beyond-file",                     \
    "a segment's file bytes extend past the end of the image")                                  \
  X(OSPOLICY_ERR_ELF_SEGMENT_OVERLAP, 0x0208, "elf-segment-overlap",                            \
    "two loadable segments share a page")                                                       \
  X(OSPOLICY_ERR_ELF_SEGMENT_MISALIGNED, 0x0209, "elf-segment-misaligned",                      \
    "p_vaddr and p_offset disagree modulo the page size, or p_align is invalid")                \
  X(OSPOLICY_ERR_ELF_BAD_SEGMENT, 0x020A, "elf-bad-segment",                                    \
    "a segment is malformed (file size above memory size, address out of range)")               \
  X(OSPOLICY_ERR_ELF_NO_LOAD_SEGMENTS, 0x020B, "elf-no-load-segments", "the image has no PT_LOAD segment") \
  X(OSPOLICY_ERR_ELF_TOO_MANY_SEGMENTS, 0x020C, "elf-too-many-segments",                        \
    "the image has more PT_LOAD segments than the plan can hold")                               \
  X(OSPOLICY_ERR_ELF_NO_EXECUTABLE_SEGMENT, 0x020D, "elf-no-executable-segment",                \
    "the image has no executable content")                                                      \
  X(OSPOLICY_ERR_ELF_ENTRY_NOT_EXECUTABLE, 0x020E, "elf-entry-not-executable",                  \
    "the entry point is not inside an executable segment")                                      \
  X(OSPOLICY_ERR_ELF_BAD_RELOCATION, 0x020F, "elf-bad-relocation",                              \
    "a dynamic relocation is unsupported or points outside the image")                         \
  X(OSPOLICY_ERR_ELF_INTERPRETER, 0x0210, "elf-interpreter",                                    \
    "the image names a program interpreter (PT_INTERP) and cannot be loaded on its own")        \
  X(OSPOLICY_ERR_ELF_UNSUPPORTED_SEGMENT, 0x0211, "elf-unsupported-segment",                    \
    "the image has a segment the loader cannot honour (PT_TLS, PT_SHLIB)")                      \
  X(OSPOLICY_ERR_ELF_BAD_DYNAMIC, 0x0212, "elf-bad-dynamic",                                    \
    "the dynamic section is malformed or needs what this loader does not do (DT_NEEDED, DT_REL, DT_RELR, PLT or text relocations)")

/* Manifest statuses are appended here by the manifest component (0x0220..0x02ff). */
#define OSPOLICY_STATUS_LIST_MANIFEST(X)

#define OSPOLICY_STATUS_LIST(X)                                                                \
  OSPOLICY_STATUS_LIST_GENERAL(X)                                                              \
  OSPOLICY_STATUS_LIST_ELF(X)                                                                  \
  OSPOLICY_STATUS_LIST_MANIFEST(X)

typedef enum OSPolicy_Status {
#define OSPOLICY_STATUS_ENUMERATOR(name, value, short_name, text) name = value,
  OSPOLICY_STATUS_LIST(OSPOLICY_STATUS_ENUMERATOR)
#undef OSPOLICY_STATUS_ENUMERATOR
} OSPolicy_Status;

typedef enum OSPolicy_StatusClass {
  OSPOLICY_CLASS_UNSET = 0,
  OSPOLICY_CLASS_OK = 1,
  OSPOLICY_CLASS_CALLER = 2,      /* 0x01xx */
  OSPOLICY_CLASS_INPUT = 3,       /* 0x02xx */
  OSPOLICY_CLASS_ENVIRONMENT = 4, /* 0x03xx */
  OSPOLICY_CLASS_DENIED = 5,      /* 0x04xx */
  OSPOLICY_CLASS_UNKNOWN = 6      /* not a code this build knows */
} OSPolicy_StatusClass;

/* Allow/deny decisions. Zero is UNSET: only an explicit assignment allows. */
typedef enum OSPolicy_Decision {
  OSPOLICY_DECISION_UNSET = 0,
  OSPOLICY_DECISION_ALLOW = 1,
  OSPOLICY_DECISION_DENY = 2
} OSPolicy_Decision;

#ifdef __cplusplus
extern "C" {
#endif

/* Short stable name ("denied-rwx"); "unknown-status" for codes this build lacks. */
const char *OSPolicy_StatusName(OSPolicy_Status status);
/* One-line human description; never NULL. */
const char *OSPolicy_StatusText(OSPolicy_Status status);
OSPolicy_StatusClass OSPolicy_GetStatusClass(OSPolicy_Status status);
/* Name of a class ("caller", "input", "environment", "denied", ...); never NULL. */
const char *OSPolicy_StatusClassName(OSPolicy_StatusClass status_class);

#ifdef __cplusplus
}
#endif

#endif /* OSPOLICY_STATUS_H */
