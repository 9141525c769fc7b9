/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * Mandatory access control (docs/mac.md): labels, Bell-LaPadula, explicit
 * allow/deny rules, neverallow assertions, a policy text compiler and the
 * versioned binary policy blob a kernel loads.
 *
 * A label is a level (0..255) and a set of up to 64 categories. Label a
 * dominates label b when a.level >= b.level and a's categories include b's.
 * Subjects and objects are named labels of the policy ("alice", "console");
 * the engine addresses them by id (their index in the blob, names sorted).
 *
 * Decision for (subject, object, operation), in order of precedence:
 *   1. an explicit `deny` rule for exactly this triple      -> DENY
 *   2. an explicit `allow` rule for exactly this triple     -> ALLOW
 *   3. Bell-LaPadula (the default rule):
 *        READ, EXEC  subject dominates object (no read up)
 *        WRITE, NET  object dominates subject (no write down)
 *        IPC         both (a two-way channel: equal labels)
 * Every decision fills an OSPolicy_MacDecision: the audit record (subject,
 * object, operation, the deciding rule and its policy line, and what the
 * default rule alone would have said), which the caller prints for denials.
 * The hot path is O(1): two label reads and one lookup in the blob's hash
 * index of rules (its longest probe sequence is bounded and recorded).
 *
 * The text format is compiled by OSPolicy_CompileMacPolicy (freestanding,
 * caller-owned workspace) into the blob; OSPolicy_ParseMacPolicy validates a
 * blob completely (every count, offset, name, rule and the index) before any
 * decision reads it, and names the status, byte offset and field of the first
 * problem. A loader verifies and parses in one call with
 * OSPolicy_LoadSignedMacPolicy (OSPolicy::crypto): the signature (modsign,
 * object kind data) over exactly the bytes that are then parsed.
 *
 * Memory rules: no allocation, no global state. An OSPolicy_MacPolicy points
 * into the blob it was parsed from: the blob must stay alive and unchanged
 * while the policy is used. Result structs are written completely, status
 * first. Multi-byte integers in the blob are little-endian.
 */
#ifndef OSPOLICY_MAC_H
#define OSPOLICY_MAC_H

#include <stddef.h>
#include <stdint.h>

#include "ospolicy/modsign.h"
#include "ospolicy/status.h"

/* Operations (values; masks are 1u << op). */
typedef enum OSPolicy_MacOp {
  OSPOLICY_MAC_OP_UNSET = 0,
  OSPOLICY_MAC_OP_READ = 1,
  OSPOLICY_MAC_OP_WRITE = 2,
  OSPOLICY_MAC_OP_EXEC = 3,
  OSPOLICY_MAC_OP_IPC = 4,
  OSPOLICY_MAC_OP_NET = 5
} OSPolicy_MacOp;
#define OSPOLICY_MAC_OP_COUNT 5u

/* Which rule decided. */
typedef enum OSPolicy_MacRule {
  OSPOLICY_MAC_RULE_UNSET = 0,
  OSPOLICY_MAC_RULE_DEFAULT = 1, /* Bell-LaPadula */
  OSPOLICY_MAC_RULE_ALLOW = 2,
  OSPOLICY_MAC_RULE_DENY = 3
} OSPolicy_MacRule;

/* Format limits. */
#define OSPOLICY_MAC_BLOB_VERSION 1u
#define OSPOLICY_MAC_BLOB_MAGIC "OSPOLMAC" /* 8 bytes, no NUL */
#define OSPOLICY_MAC_HEADER_SIZE 48u
#define OSPOLICY_MAC_LEVEL_SIZE 8u
#define OSPOLICY_MAC_CATEGORY_SIZE 8u
#define OSPOLICY_MAC_LABEL_SIZE 16u
#define OSPOLICY_MAC_RULE_SIZE 20u
#define OSPOLICY_MAC_BUCKET_SIZE 4u
#define OSPOLICY_MAC_MAX_LEVELS 256u
#define OSPOLICY_MAC_MAX_CATEGORIES 64u
#define OSPOLICY_MAC_MAX_LABELS 65535u
#define OSPOLICY_MAC_MAX_RULES (1u << 20)   /* (subject, object, operation) entries */
#define OSPOLICY_MAC_MAX_BUCKETS (1u << 22)
#define OSPOLICY_MAC_MAX_STRINGS (1u << 24)
#define OSPOLICY_MAC_NAME_MAX 63u           /* names: 1..63 bytes of [A-Za-z0-9_.-] */
#define OSPOLICY_MAC_MAX_TEXT_SIZE ((size_t)16u << 20)

/* A parsed, validated blob. Written completely by OSPolicy_ParseMacPolicy;
 * every other function refuses a policy whose status is not OK. */
typedef struct OSPolicy_MacPolicy {
  OSPolicy_Status status;
  size_t error_offset;     /* on error: byte offset of the problem in the blob */
  const char *error_field; /* on error: the field ("magic", "rules[3].object"...); "" when OK */
  const uint8_t *blob;
  size_t size;
  uint32_t level_count;
  uint32_t category_count;
  uint32_t label_count;
  uint32_t rule_count;
  uint32_t bucket_count;
  uint32_t max_probe;
  uint32_t bucket_shift; /* 64 - log2(bucket_count) */
  size_t levels_offset;
  size_t categories_offset;
  size_t labels_offset;
  size_t rules_offset;
  size_t buckets_offset;
  size_t strings_offset;
} OSPolicy_MacPolicy;

/* One decision: the audit record. */
typedef struct OSPolicy_MacDecision {
  OSPolicy_Status status;     /* OK (allowed), DENIED_MAC_*, or a caller error */
  OSPolicy_Decision decision; /* ALLOW only with status OK; DENY otherwise */
  uint32_t subject;
  uint32_t object;
  uint32_t op;               /* OSPolicy_MacOp */
  uint32_t rule;             /* OSPolicy_MacRule that decided */
  uint32_t rule_line;        /* policy line of the deciding allow/deny rule; 0 for the default */
  uint32_t overridden_line;  /* a deny's line: the allow it overrides (0: none) */
  OSPolicy_Status default_status; /* what Bell-LaPadula alone decides (OK or DENIED_MAC_*) */
} OSPolicy_MacDecision;

/* A label's name and value, pointing into the blob. */
typedef struct OSPolicy_MacLabel {
  const char *name; /* not NUL-terminated */
  size_t name_length;
  uint32_t level;
  uint64_t categories; /* bit i: the policy's category i (names sorted) */
} OSPolicy_MacLabel;

/* Compilation. */
typedef struct OSPolicy_MacCompileRequest {
  const char *text; /* the policy text (docs/mac.md); size bytes, NUL not required */
  size_t size;
  void *workspace; /* OSPolicy_GetMacCompileWorkspaceSize bytes, any alignment */
  size_t workspace_size;
  uint8_t *out; /* the blob; may be NULL with capacity 0 to ask for the size */
  size_t out_capacity;
} OSPolicy_MacCompileRequest;

typedef struct OSPolicy_MacCompileResult {
  OSPolicy_Status status;
  size_t blob_size;     /* the blob's size, written whenever compilation succeeded */
  uint32_t line;        /* where the problem is (1-based; 0 when not in the text) */
  uint32_t column;
  size_t offset;        /* byte offset in the text */
  uint32_t other_line;  /* the other rule or declaration involved (0: none, or the default rule) */
  uint32_t other_column;
  const char *message;  /* what was wrong or expected; "" when OK */
  /* neverallow violations: the access that breaks the assertion */
  uint32_t violation_subject; /* label ids in the compiled policy */
  uint32_t violation_object;
  uint32_t violation_op;
  uint32_t violation_rule;    /* OSPolicy_MacRule that allows it */
  const char *violation_subject_name; /* the labels' names, pointing into the text */
  size_t violation_subject_length;
  const char *violation_object_name;
  size_t violation_object_length;
  /* what was compiled */
  uint32_t level_count;
  uint32_t category_count;
  uint32_t label_count;
  uint32_t rule_count;        /* (subject, object, operation) entries in the blob */
  uint32_t neverallow_count;
} OSPolicy_MacCompileResult;

#ifdef __cplusplus
extern "C" {
#endif

/* Workspace bytes needed to compile `size` bytes of `text` (depends on the
 * number of lines). Errors: NULL_ARGUMENT, ERR_MAC_TOO_MANY (text larger than
 * OSPOLICY_MAC_MAX_TEXT_SIZE). */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_GetMacCompileWorkspaceSize(const char *text,
                                                                        size_t size,
                                                                        size_t *workspace_size);

/* Compiles policy text into a blob. result->blob_size always receives the
 * blob's size once the policy compiled; with out_capacity below it the
 * status is BUFFER_TOO_SMALL (capacity 0 asks for the size) and out is not
 * written. Errors stop at the first problem in text order: ERR_MAC_SYNTAX,
 * ERR_MAC_UNKNOWN_NAME, ERR_MAC_DUPLICATE_NAME, ERR_MAC_DUPLICATE_RULE,
 * ERR_MAC_TOO_MANY (with line, column, offset, message and, for duplicates,
 * the first occurrence), then ERR_MAC_NEVERALLOW (line: the assertion;
 * other_line: the allow rule, or 0 when the default rule allows it; the
 * violating access). Caller errors: NULL_ARGUMENT, BUFFER_TOO_SMALL (workspace). */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_CompileMacPolicy(
    const OSPolicy_MacCompileRequest *request, OSPolicy_MacCompileResult *result);

/* Validates a blob of exactly `size` bytes. Errors (error_offset and
 * error_field say where): NULL_ARGUMENT; ERR_MAC_BLOB_TRUNCATED (shorter than
 * the header or than the size it declares); ERR_MAC_BLOB_MALFORMED (magic,
 * flags, counts over the limits, a size that disagrees with the counts,
 * names, unsorted or duplicate entries, references out of range, reserved
 * bytes not zero, an index that does not find every rule within max_probe);
 * ERR_MAC_BLOB_VERSION; ERR_MAC_BLOB_TRAILING_DATA. */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_ParseMacPolicy(const uint8_t *blob, size_t size,
                                                            OSPolicy_MacPolicy *policy);

/* Decides whether `subject` may perform `op` on `object` (label ids). O(1).
 * The decision is always written (when not NULL) and denies unless allowed.
 * Returns decision->status: OK, DENIED_MAC_DENY_RULE, DENIED_MAC_READ_UP,
 * DENIED_MAC_WRITE_DOWN; or NULL_ARGUMENT, PLAN_NOT_OK (policy not parsed),
 * INVALID_ARGUMENT (id or op out of range). */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_DecideMac(const OSPolicy_MacPolicy *policy,
                                                       uint32_t subject, uint32_t object,
                                                       uint32_t op, OSPolicy_MacDecision *decision);

/* Finds a label id by name (binary search). ERR_MAC_UNKNOWN_NAME if absent. */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_FindMacLabel(const OSPolicy_MacPolicy *policy,
                                                          const char *name, size_t length,
                                                          uint32_t *id);

/* A label's name, level and categories. INVALID_ARGUMENT for an unknown id. */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_GetMacLabel(const OSPolicy_MacPolicy *policy,
                                                         uint32_t id, OSPolicy_MacLabel *label);

/* The name of the level with `value`, or of category `bit`. INVALID_ARGUMENT
 * if the policy has none. */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_GetMacLevelName(const OSPolicy_MacPolicy *policy,
                                                             uint32_t value, const char **name,
                                                             size_t *length);
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_GetMacCategoryName(const OSPolicy_MacPolicy *policy,
                                                                uint32_t bit, const char **name,
                                                                size_t *length);

/* ---- OSPolicy::crypto (libsodium) ------------------------------------------ */

/* A signed policy as a loader has it: the blob, its detached envelope and the
 * object name it must have been signed under (kind is always data). */
typedef struct OSPolicy_MacSignedBlob {
  const uint8_t *blob;
  size_t blob_size;
  const uint8_t *envelope; /* NULL with size 0: unsigned */
  size_t envelope_size;
  const char *name;
  size_t name_length;
} OSPolicy_MacSignedBlob;

/* Verifies the envelope over the blob against `trust` (OSPolicy_VerifyModsign,
 * kind data) and only then parses the same bytes. Fails closed: any
 * signature status other than OK refuses the policy, also when the trust set
 * does not enforce (an unsigned policy is never used). *signature receives
 * the verification result (NULL_ARGUMENT if NULL); *policy is always written:
 * on a signature refusal its status is that refusal, error_field "signature"
 * and error_offset the envelope's, so every decision on it is PLAN_NOT_OK.
 * Returns policy->status. The blob must stay unchanged while the policy is used. */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_LoadSignedMacPolicy(
    const OSPolicy_ModsignTrustSet *trust, const OSPolicy_MacSignedBlob *signed_blob,
    OSPolicy_ModsignResult *signature, OSPolicy_MacPolicy *policy);

/* "read", "write", "exec", "ipc", "net"; NULL for another value. */
const char *OSPolicy_MacOpName(uint32_t op);
/* OSPolicy_MacOp for a name of `length` bytes; OSPOLICY_MAC_OP_UNSET if unknown. */
uint32_t OSPolicy_MacOpFromName(const char *name, size_t length);
/* "default (Bell-LaPadula)", "allow", "deny"; "unset" otherwise. */
const char *OSPolicy_MacRuleName(uint32_t rule);

#ifdef __cplusplus
}
#endif

#endif /* OSPOLICY_MAC_H */
