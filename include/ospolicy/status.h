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
 *
 * Platform codes. Two ranges are reserved for the layers below and beside the
 * core (page tables, the boot hand-off, UEFI firmware); the core never returns
 * them and its name table does not hold them:
 *   0x0280..0x029f  input       (OSPOLICY_STATUS_PLATFORM_INPUT_*)
 *   0x0340..0x035f  environment (OSPOLICY_STATUS_PLATFORM_ENVIRONMENT_*)
 * Each code is defined, with its name and text, in the header of the layer
 * that returns it: the x86-64 page tables in src/arch/x86_64/page_table.h,
 * the boot-info block in <ospolicy/boot_info.h>, the UEFI loader's firmware
 * failures in src/loader/loader_status.h. The values travel in an
 * OSPolicy_Status. For them OSPolicy_StatusName answers "unknown-status" and
 * OSPolicy_GetStatusClass the class of the high byte; a program that meets
 * them prints names through its platform's name function, which asks the
 * core first and the platform tables after (OSBaremetal_StatusName in
 * src/arch/x86_64/status_name.h, and the loader's loader_status_name).
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
  X(OSPOLICY_ERR_PAL_INVALID_ARGUMENT, 0x0305, "pal-invalid-argument",                           \
    "the platform backend refused the arguments (a range it does not own, not mapped, misaligned)") \
  X(OSPOLICY_DENIED_RWX, 0x0401, "denied-rwx", "memory would be writable and executable at once") \
  X(OSPOLICY_DENIED_EXEC_TO_WRITE, 0x0402, "denied-exec-to-write",                              \
    "executable memory may not become writable")                                                \
  X(OSPOLICY_DENIED_TRANSITION, 0x0403, "denied-transition",                                    \
    "this protection transition is not allowed")                                                \
  X(OSPOLICY_DENIED_NOT_WRITE_THEN_EXECUTE, 0x0404, "denied-not-write-then-execute",            \
    "executable memory must be written first and made executable after")                       \
  X(OSPOLICY_DENIED_BY_PLATFORM, 0x0405, "denied-by-platform",                                  \
    "the platform backend refused the request by its own checks")                              \
  X(OSPOLICY_DENIED_WX_ALIAS, 0x0406, "denied-wx-alias",                                        \
    "a physical frame would be writable through one mapping and executable through another")

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

/* App manifests (0x0220..0x023f, docs/manifest.md), the strict JSON parser under them
 * (0x0240..0x025f, include/ospolicy/json.h), and manifest policy denials (0x0480..). */
#define OSPOLICY_STATUS_LIST_MANIFEST(X)                                                       \
  X(OSPOLICY_ERR_MANIFEST_MALFORMED, 0x0220, "manifest-malformed",                              \
    "the manifest is not valid JSON (the finding's detail says why)")                          \
  X(OSPOLICY_ERR_MANIFEST_OVERSIZED, 0x0221, "manifest-oversized",                              \
    "the manifest is larger than the size limit")                                              \
  X(OSPOLICY_ERR_MANIFEST_UNKNOWN_VERSION, 0x0222, "manifest-unknown-version",                  \
    "manifestVersion is missing, not an integer, or not supported by this build")              \
  X(OSPOLICY_ERR_MANIFEST_UNSAFE_PATH, 0x0223, "manifest-unsafe-path",                          \
    "a path could escape where it belongs or is not canonical")                                \
  X(OSPOLICY_ERR_MANIFEST_DUPLICATE_ENV_KEY, 0x0224, "manifest-duplicate-env-key",              \
    "an environment variable is named twice (names are compared ignoring ASCII case)")         \
  X(OSPOLICY_ERR_MANIFEST_BAD_ENV_NAME, 0x0225, "manifest-bad-env-name",                        \
    "an environment variable name is not [A-Za-z_][A-Za-z0-9_]* of 1..128 bytes")             \
  X(OSPOLICY_ERR_MANIFEST_WRONG_TYPE, 0x0226, "manifest-wrong-type",                            \
    "a manifest field has the wrong JSON type")                                                 \
  X(OSPOLICY_ERR_MANIFEST_OUT_OF_RANGE, 0x0227, "manifest-out-of-range",                        \
    "a number or length is outside the range the field allows")                                \
  X(OSPOLICY_ERR_MANIFEST_TOO_MANY, 0x0228, "manifest-too-many",                                \
    "a list has more entries than the field allows")                                           \
  X(OSPOLICY_ERR_MANIFEST_UNKNOWN_FIELD, 0x0229, "manifest-unknown-field",                      \
    "a member name is not part of the manifest schema")                                        \
  X(OSPOLICY_ERR_MANIFEST_MISSING_FIELD, 0x022A, "manifest-missing-field",                      \
    "a required field is missing")                                                              \
  X(OSPOLICY_ERR_MANIFEST_BAD_VALUE, 0x022B, "manifest-bad-value",                              \
    "a string is not one of the values or the syntax the field allows")                        \
  X(OSPOLICY_ERR_MANIFEST_UNKNOWN_CAPABILITY, 0x022C, "manifest-unknown-capability",            \
    "a capability name is not known to this build")                                            \
  X(OSPOLICY_ERR_MANIFEST_DUPLICATE_ENTRY, 0x022D, "manifest-duplicate-entry",                  \
    "the same path, port, capability or syscall is listed twice")                              \
  X(OSPOLICY_ERR_MANIFEST_UNPRINTABLE, 0x022E, "manifest-unprintable",                          \
    "a string holds control or invisible characters that would hide what is granted")          \
  X(OSPOLICY_ERR_JSON_SYNTAX, 0x0240, "json-syntax",                                            \
    "not JSON: unexpected character, missing separator, comment, trailing comma or end")       \
  X(OSPOLICY_ERR_JSON_BAD_NUMBER, 0x0241, "json-bad-number",                                    \
    "a number is not RFC 8259 syntax (leading zero, missing digits, too long)")                \
  X(OSPOLICY_ERR_JSON_BAD_STRING, 0x0242, "json-bad-string",                                    \
    "a string has a bad escape, a lone surrogate, invalid UTF-8 or a raw control character")   \
  X(OSPOLICY_ERR_JSON_NUL_CHARACTER, 0x0243, "json-nul-character",                              \
    "a string decodes to a NUL character")                                                     \
  X(OSPOLICY_ERR_JSON_TOO_DEEP, 0x0244, "json-too-deep", "objects and arrays nest too deeply")  \
  X(OSPOLICY_ERR_JSON_STRING_TOO_LONG, 0x0245, "json-string-too-long",                          \
    "a string is longer than the limit")                                                        \
  X(OSPOLICY_ERR_JSON_TOO_MANY_MEMBERS, 0x0246, "json-too-many-members",                        \
    "an object or array has more members than the limit")                                      \
  X(OSPOLICY_ERR_JSON_DUPLICATE_MEMBER, 0x0247, "json-duplicate-member",                        \
    "an object names the same member twice")                                                   \
  X(OSPOLICY_ERR_JSON_TRAILING_CONTENT, 0x0248, "json-trailing-content",                        \
    "there is content after the top-level value")                                              \
  X(OSPOLICY_DENIED_MANIFEST_WRITABLE_APP, 0x0480, "denied-manifest-writable-app",              \
    "the manifest asks for write access to the app's own code under /app")

/* Entropy, platform random, KASLR, user ASLR and stack canaries (docs/entropy_pool.md,
 * docs/guarded_random.md, docs/kaslr.md, docs/aslr_layout.md, docs/stack_canary.md):
 * input 0x0260..0x027f, environment 0x0320..0x033f, denials 0x0420..0x043f. */
#define OSPOLICY_STATUS_LIST_ENTROPY(X)                                                        \
  X(OSPOLICY_ERR_ASLR_DOES_NOT_FIT, 0x0260, "aslr-does-not-fit",                                \
    "the ASLR regions cannot all fit apart, page aligned, below the canonical user top")       \
  X(OSPOLICY_ERR_ENTROPY_SEED_INVALID, 0x0261, "entropy-seed-invalid",                          \
    "an entropy seed has a bad magic, version, flags, credit or check value")                  \
  X(OSPOLICY_ERR_RANDOM_SOURCE_FAILED, 0x0320, "random-source-failed",                          \
    "a random source reported a failure")                                                      \
  X(OSPOLICY_ERR_RANDOM_SHORT_READ, 0x0321, "random-short-read",                                \
    "a random source returned fewer bytes than asked; the buffer was wiped")                   \
  X(OSPOLICY_ERR_RANDOM_SOURCE_CONTRACT, 0x0322, "random-source-contract",                      \
    "a random source returned an answer that breaks its contract (UNSET, too many bytes)")     \
  X(OSPOLICY_ERR_FIRMWARE_GONE, 0x0323, "firmware-gone",                                        \
    "firmware services are gone (the PAL reports the runtime phase)")                          \
  X(OSPOLICY_ERR_HWRNG_NOT_PRESENT, 0x0324, "hwrng-not-present",                                \
    "the CPU does not have this random instruction (CPUID)")                                   \
  X(OSPOLICY_ERR_HWRNG_NOT_READY, 0x0325, "hwrng-not-ready",                                    \
    "the hardware random instruction reported not-ready on every retry")                       \
  X(OSPOLICY_ERR_HWRNG_ALL_ONES, 0x0326, "hwrng-all-ones",                                      \
    "the hardware random instruction returned all ones (known AMD failure)")                   \
  X(OSPOLICY_ERR_HWRNG_ZERO, 0x0327, "hwrng-zero",                                              \
    "the hardware random instruction reported success with the value zero (known AMD failure)") \
  X(OSPOLICY_ERR_HWRNG_HEALTH, 0x0328, "hwrng-health",                                          \
    "the hardware random source failed its health check (fewer than 5 changes in 8 samples)")  \
  X(OSPOLICY_ERR_NO_ENTROPY_SOURCE, 0x0329, "no-entropy-source",                                \
    "no entropy source has contributed to the pool")                                           \
  X(OSPOLICY_ERR_RANDOM_EXHAUSTED, 0x032A, "random-exhausted",                                  \
    "the random source gave only values that had to be rejected, draw after draw")             \
  X(OSPOLICY_ERR_KASLR_NO_SLOT, 0x032B, "kaslr-no-slot",                                        \
    "no KASLR slot in the window is free of the reserved ranges")                              \
  X(OSPOLICY_DENIED_AFTER_EXIT_BOOT_SERVICES, 0x0420, "denied-after-exit-boot-services",        \
    "the firmware random source may not be used after ExitBootServices was marked")            \
  X(OSPOLICY_DENIED_ENTROPY_INSUFFICIENT, 0x0421, "denied-entropy-insufficient",                \
    "the pool has fewer credited bits than its threshold and no weak seed was accepted")

/* Signed kernels and modules (docs/modsign.md, include/ospolicy/modsign.h):
 * input 0x02a0..0x02bf, denials 0x0440..0x045f. */
#define OSPOLICY_STATUS_LIST_MODSIGN(X)                                                        \
  X(OSPOLICY_ERR_MODSIGN_MALFORMED, 0x02A0, "modsign-malformed",                                \
    "the signature envelope cannot be parsed (size, magic, version, kind, name or reserved bytes)") \
  X(OSPOLICY_ERR_MODSIGN_UNSUPPORTED_ALGORITHM, 0x02A1, "modsign-unsupported-algorithm",        \
    "the signature or key names an algorithm this build does not verify")                      \
  X(OSPOLICY_ERR_MODSIGN_OBJECT_TRUNCATED, 0x02A2, "modsign-object-truncated",                  \
    "the object is shorter than the length its signature declares")                            \
  X(OSPOLICY_ERR_MODSIGN_TRAILING_DATA, 0x02A3, "modsign-trailing-data",                        \
    "bytes follow the end of the envelope, trust set or key, or the object length it declares") \
  X(OSPOLICY_ERR_MODSIGN_TRUST_MALFORMED, 0x02A4, "modsign-trust-malformed",                    \
    "the trust-set file cannot be parsed (magic, version, flags, counts, entries)")             \
  X(OSPOLICY_ERR_MODSIGN_DUPLICATE_KEY, 0x02A5, "modsign-duplicate-key",                        \
    "a key id appears twice in a trust set")                                                   \
  X(OSPOLICY_ERR_MODSIGN_DUPLICATE_FLOOR, 0x02A6, "modsign-duplicate-floor",                    \
    "an object kind and name has two generation floors in a trust set")                        \
  X(OSPOLICY_ERR_MODSIGN_KEY_MALFORMED, 0x02A7, "modsign-key-malformed",                        \
    "a key file cannot be parsed (size, magic, version or reserved bytes)")                    \
  X(OSPOLICY_ERR_MODSIGN_DUPLICATE_PUBLIC_KEY, 0x02A8, "modsign-duplicate-public-key",          \
    "a public key appears twice in a trust set (under two key ids)")                           \
  X(OSPOLICY_ERR_MODSIGN_KEY_ID_MISMATCH, 0x02A9, "modsign-key-id-mismatch",                    \
    "a trust-set key id is not the one its public key derives (SHA-512, first 8 bytes)")       \
  X(OSPOLICY_DENIED_MODSIGN_NO_SIGNATURE, 0x0440, "denied-modsign-no-signature",                \
    "the object carries no signature")                                                         \
  X(OSPOLICY_DENIED_MODSIGN_UNKNOWN_KEY, 0x0441, "denied-modsign-unknown-key",                  \
    "no key in the trust set has the signature's key id")                                      \
  X(OSPOLICY_DENIED_MODSIGN_REVOKED_KEY, 0x0442, "denied-modsign-revoked-key",                  \
    "the signing key is revoked")                                                              \
  X(OSPOLICY_DENIED_MODSIGN_GENERATION, 0x0443, "denied-modsign-generation",                    \
    "the object's generation is below the trust set's floor for its kind and name")            \
  X(OSPOLICY_DENIED_MODSIGN_BAD_SIGNATURE, 0x0444, "denied-modsign-bad-signature",              \
    "the signature does not verify")                                                           \
  X(OSPOLICY_DENIED_MODSIGN_DIGEST_MISMATCH, 0x0445, "denied-modsign-digest-mismatch",          \
    "the object's SHA-256 differs from the signed digest: it is not the object that was signed") \
  X(OSPOLICY_DENIED_MODSIGN_WRONG_OBJECT, 0x0446, "denied-modsign-wrong-object",                \
    "the signature is for another object kind or name than the one being loaded")             \
  X(OSPOLICY_DENIED_MODSIGN_FLOOR_LOWERED, 0x0447, "denied-modsign-floor-lowered",              \
    "a generation floor may only be raised")

/* Sandbox profiles and their Linux enforcement (docs/sandbox_profile.md, docs/sandbox.md):
 * caller 0x0130..0x013f, input 0x02c0..0x02cf, environment 0x0360..0x036f. */
#define OSPOLICY_STATUS_LIST_SANDBOX(X)                                                        \
  X(OSPOLICY_ERR_SANDBOX_BAD_SYSCALL_TABLE, 0x0130, "sandbox-bad-syscall-table",                \
    "the syscall table has a NULL or empty name, names out of order or twice, or a number above the bitmap") \
  X(OSPOLICY_ERR_SANDBOX_BAD_APP_ROOT, 0x02C0, "sandbox-bad-app-root",                          \
    "the app root is missing, not a directory, or writable by group or others")                \
  X(OSPOLICY_ERR_SANDBOX_BAD_DATA_ROOT, 0x02C1, "sandbox-bad-data-root",                        \
    "a /data grant has no data root, or its directory is missing or unusable")                 \
  X(OSPOLICY_ERR_SANDBOX_MECHANISM_MISSING, 0x0360, "sandbox-mechanism-missing",                \
    "the host lacks a mechanism the manifest needs (user namespaces, Landlock, seccomp, MDWE)") \
  X(OSPOLICY_ERR_SANDBOX_SETUP_FAILED, 0x0361, "sandbox-setup-failed",                          \
    "building the sandbox failed before the app started")

/* Cloud instance metadata (docs/imds.md, include/ospolicy/imds_policy.h):
 * input 0x02d0..0x02df, denials 0x04c0..0x04df. */
#define OSPOLICY_STATUS_LIST_IMDS(X)                                                           \
  X(OSPOLICY_ERR_IMDS_MALFORMED, 0x02D0, "imds-malformed",                                      \
    "the metadata request is not well-formed HTTP/1.1 (request line, header syntax, bare LF, body)") \
  X(OSPOLICY_ERR_IMDS_TOO_LARGE, 0x02D1, "imds-too-large",                                      \
    "the metadata request's head, URL or a header is longer than the limit")                   \
  X(OSPOLICY_ERR_IMDS_SMUGGLING, 0x02D2, "imds-smuggling",                                      \
    "the request's framing is ambiguous (Transfer-Encoding, Content-Length twice, obs-fold)")  \
  X(OSPOLICY_ERR_IMDS_UNSAFE_PATH, 0x02D3, "imds-unsafe-path",                                  \
    "the request path needs normalising ('..', '//', '%', query) and is refused, not rewritten") \
  X(OSPOLICY_DENIED_IMDS_DIRECT, 0x04C0, "denied-imds-direct",                                  \
    "an app may not reach instance metadata directly, only through its supervisor")            \
  X(OSPOLICY_DENIED_IMDS_NOT_GRANTED, 0x04C1, "denied-imds-not-granted",                        \
    "the app's manifest grants no cloud-metadata access")                                      \
  X(OSPOLICY_DENIED_IMDS_PATH, 0x04C2, "denied-imds-path",                                      \
    "the metadata path is not among the paths the manifest grants")                            \
  X(OSPOLICY_DENIED_IMDS_CREDENTIALS, 0x04C3, "denied-imds-credentials",                        \
    "role credentials are not enabled for this app, or not for this role")                    \
  X(OSPOLICY_DENIED_IMDS_FORWARDED, 0x04C4, "denied-imds-forwarded",                            \
    "the request carries X-Forwarded-For (a relayed request is never served)")                 \
  X(OSPOLICY_DENIED_IMDS_TOKEN_REQUIRED, 0x04C5, "denied-imds-token-required",                  \
    "the request has no session token (IMDSv1-style access is never granted)")                 \
  X(OSPOLICY_DENIED_IMDS_TOKEN_INVALID, 0x04C6, "denied-imds-token-invalid",                    \
    "the session token is unknown, expired or belongs to another app")                         \
  X(OSPOLICY_DENIED_IMDS_TTL, 0x04C7, "denied-imds-ttl",                                        \
    "the token TTL header is missing, not an integer, or outside 1..the app's maximum")        \
  X(OSPOLICY_DENIED_IMDS_METHOD, 0x04C8, "denied-imds-method",                                  \
    "only PUT /latest/api/token and GET of metadata paths are served")

/* Capability tokens (docs/capability.md, include/ospolicy/capability.h): environment
 * 0x0370..0x037f, denials 0x04e0..0x04ef. Mandatory access control and its policy
 * text and blob formats (docs/mac.md, include/ospolicy/mac.h): input 0x02e0..0x02ff,
 * denials 0x04f0..0x04ff. */
#define OSPOLICY_STATUS_LIST_ACCESS(X)                                                         \
  X(OSPOLICY_ERR_CAPABILITY_TABLE_FULL, 0x0370, "capability-table-full",                        \
    "the capability table has no free slot; nothing was changed")                              \
  X(OSPOLICY_ERR_CAPABILITY_GENERATION_EXHAUSTED, 0x0371, "capability-generation-exhausted",    \
    "the slot's generation counter is exhausted; the slot is retired and the capability must be minted anew") \
  X(OSPOLICY_DENIED_CAPABILITY_NEVER_MINTED, 0x04E0, "denied-capability-never-minted",          \
    "the token names a slot or generation that was never minted (forged)")                    \
  X(OSPOLICY_DENIED_CAPABILITY_STALE, 0x04E1, "denied-capability-stale",                        \
    "the token's generation is stale: the capability was revoked or transferred")             \
  X(OSPOLICY_DENIED_CAPABILITY_OTHER_AGENT, 0x04E2, "denied-capability-other-agent",            \
    "the token names a capability held by another agent")                                     \
  X(OSPOLICY_DENIED_CAPABILITY_MISSING_RIGHT, 0x04E3, "denied-capability-missing-right",        \
    "the capability lacks a right the operation needs")                                       \
  X(OSPOLICY_DENIED_CAPABILITY_WIDER_RIGHTS, 0x04E4, "denied-capability-wider-rights",          \
    "a derived capability may only have a subset of its parent's rights")                     \
  X(OSPOLICY_ERR_MAC_SYNTAX, 0x02E0, "mac-syntax",                                              \
    "a policy line is not a statement of the policy language (the message says what was expected)") \
  X(OSPOLICY_ERR_MAC_UNKNOWN_NAME, 0x02E1, "mac-unknown-name",                                  \
    "a policy names a level, category or label that was not declared before")                 \
  X(OSPOLICY_ERR_MAC_DUPLICATE_NAME, 0x02E2, "mac-duplicate-name",                              \
    "a level, category or label is declared twice (or two levels share a value)")             \
  X(OSPOLICY_ERR_MAC_DUPLICATE_RULE, 0x02E3, "mac-duplicate-rule",                              \
    "the same allow or deny rule is given twice for a subject, object and operation")          \
  X(OSPOLICY_ERR_MAC_TOO_MANY, 0x02E4, "mac-too-many",                                          \
    "more levels, categories, labels or rules than the format allows")                        \
  X(OSPOLICY_ERR_MAC_NEVERALLOW, 0x02E5, "mac-neverallow",                                      \
    "the policy allows an access that a neverallow assertion forbids")                        \
  X(OSPOLICY_ERR_MAC_BLOB_MALFORMED, 0x02E6, "mac-blob-malformed",                              \
    "the policy blob cannot be parsed (magic, sizes, counts, names, rules or index)")          \
  X(OSPOLICY_ERR_MAC_BLOB_VERSION, 0x02E7, "mac-blob-version",                                  \
    "the policy blob has a format version this build does not read")                          \
  X(OSPOLICY_ERR_MAC_BLOB_TRUNCATED, 0x02E8, "mac-blob-truncated",                              \
    "the policy blob is shorter than its header or a section it declares")                    \
  X(OSPOLICY_ERR_MAC_BLOB_TRAILING_DATA, 0x02E9, "mac-blob-trailing-data",                      \
    "bytes follow the end of the policy blob")                                                \
  X(OSPOLICY_DENIED_MAC_DENY_RULE, 0x04F0, "denied-mac-deny-rule",                              \
    "an explicit deny rule forbids this access")                                              \
  X(OSPOLICY_DENIED_MAC_READ_UP, 0x04F1, "denied-mac-read-up",                                  \
    "Bell-LaPadula: the subject's label does not dominate the object's (no read up)")          \
  X(OSPOLICY_DENIED_MAC_WRITE_DOWN, 0x04F2, "denied-mac-write-down",                            \
    "Bell-LaPadula: the object's label does not dominate the subject's (no write down)")

#define OSPOLICY_STATUS_LIST(X)                                                                \
  OSPOLICY_STATUS_LIST_GENERAL(X)                                                              \
  OSPOLICY_STATUS_LIST_ELF(X)                                                                  \
  OSPOLICY_STATUS_LIST_MANIFEST(X)                                                             \
  OSPOLICY_STATUS_LIST_ENTROPY(X)                                                              \
  OSPOLICY_STATUS_LIST_MODSIGN(X)                                                              \
  OSPOLICY_STATUS_LIST_SANDBOX(X)                                                              \
  OSPOLICY_STATUS_LIST_IMDS(X)                                                                 \
  OSPOLICY_STATUS_LIST_ACCESS(X)

typedef enum OSPolicy_Status {
#define OSPOLICY_STATUS_ENUMERATOR(name, value, short_name, text) name = value,
  OSPOLICY_STATUS_LIST(OSPOLICY_STATUS_ENUMERATOR)
#undef OSPOLICY_STATUS_ENUMERATOR
} OSPolicy_Status;

#define OSPOLICY_STATUS_PLATFORM_INPUT_FIRST 0x0280u
#define OSPOLICY_STATUS_PLATFORM_INPUT_LAST 0x029Fu
#define OSPOLICY_STATUS_PLATFORM_ENVIRONMENT_FIRST 0x0340u
#define OSPOLICY_STATUS_PLATFORM_ENVIRONMENT_LAST 0x035Fu

/* True for a value inside one of the reserved platform ranges (whether or not
 * any layer defines it). */
#define OSPOLICY_IS_PLATFORM_STATUS(value)                                                       \
  (((unsigned)(value) >= OSPOLICY_STATUS_PLATFORM_INPUT_FIRST &&                                 \
    (unsigned)(value) <= OSPOLICY_STATUS_PLATFORM_INPUT_LAST) ||                                 \
   ((unsigned)(value) >= OSPOLICY_STATUS_PLATFORM_ENVIRONMENT_FIRST &&                           \
    (unsigned)(value) <= OSPOLICY_STATUS_PLATFORM_ENVIRONMENT_LAST))

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

/* Short stable name ("denied-rwx"); "unknown-status" for codes this build lacks
 * and for platform codes (their layer names them). */
const char *OSPolicy_StatusName(OSPolicy_Status status);
/* One-line human description; never NULL. */
const char *OSPolicy_StatusText(OSPolicy_Status status);
/* The class of a core code or of a value in a platform range (by its high
 * byte); OSPOLICY_CLASS_UNKNOWN for anything else. */
OSPolicy_StatusClass OSPolicy_GetStatusClass(OSPolicy_Status status);
/* Name of a class ("caller", "input", "environment", "denied", ...); never NULL. */
const char *OSPolicy_StatusClassName(OSPolicy_StatusClass status_class);

#ifdef __cplusplus
}
#endif

#endif /* OSPOLICY_STATUS_H */
