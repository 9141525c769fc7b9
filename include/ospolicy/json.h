/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * A strict RFC 8259 JSON parser for policy documents (manifests, envelopes).
 *
 * Strictness: UTF-8 only (no byte order mark), no comments, no trailing
 * commas, no single quotes, no leading zeros, no NaN/Infinity, no bad escapes,
 * no lone surrogates, no invalid UTF-8 and no raw control characters in
 * strings, nothing but whitespace after the top-level value. On top of RFC
 * 8259 it follows RFC 7493 (I-JSON) where RFC 8259 leaves behaviour
 * "unpredictable": duplicate member names are rejected in every object (each
 * name is checked as soon as it is read, so a duplicate is reported at the
 * repeated name before anything later in the text), and a string that decodes
 * to U+0000 is rejected so that no decoded string can be cut short when it
 * reaches C. Depth, string length, member count, number
 * length and total size are bounded.
 *
 * Memory rules: the parser never allocates and keeps no state between calls.
 * The caller hands in the text and three arrays (tokens, decoded strings,
 * scratch indices) sized with OSPolicy_GetJsonWorkspaceSizes for the text's
 * size; those sizes are worst cases, so a parse never runs out of room
 * half-way. The document written back points into the caller's arrays and is
 * valid as long as they are. The parser is iterative (no recursion): its stack
 * use is constant, whatever the input.
 *
 * Tokens are laid out in document order. A container's children follow it;
 * an object's children alternate key (a STRING token) and value. `after` is
 * the index of the first token after a token's whole subtree, so siblings are
 * walked without recursion:
 *   for (k = obj + 1; k < tokens[obj].after; k = tokens[k + 1].after) {
 *     key = k; value = k + 1;
 *   }
 *
 * Errors carry a status (OSPOLICY_ERR_JSON_*), a static message, the byte
 * offset, and a 1-based line and column (columns count bytes; lines end at
 * '\n').
 */
#ifndef OSPOLICY_JSON_H
#define OSPOLICY_JSON_H

#include <stddef.h>
#include <stdint.h>

#include "ospolicy/status.h"

/* Hard ceilings. Limits in OSPolicy_JsonLimits may lower, never raise, them. */
#define OSPOLICY_JSON_MAX_DEPTH 64u              /* nesting of objects and arrays */
#define OSPOLICY_JSON_MAX_TEXT_SIZE 0x10000000u  /* 256 MiB: offsets fit in 32 bits */
#define OSPOLICY_JSON_MAX_NUMBER_BYTES 64u       /* characters in one number */
/* Defaults used for a zero field in OSPolicy_JsonLimits. */
#define OSPOLICY_JSON_DEFAULT_DEPTH 32u
#define OSPOLICY_JSON_DEFAULT_STRING_BYTES 4096u /* decoded bytes in one string */
#define OSPOLICY_JSON_DEFAULT_MEMBERS 8192u      /* members of one object or array */

typedef enum OSPolicy_JsonType {
  OSPOLICY_JSON_UNSET = 0,
  OSPOLICY_JSON_OBJECT = 1,
  OSPOLICY_JSON_ARRAY = 2,
  OSPOLICY_JSON_STRING = 3,
  OSPOLICY_JSON_NUMBER = 4,
  OSPOLICY_JSON_TRUE = 5,
  OSPOLICY_JSON_FALSE = 6,
  OSPOLICY_JSON_NULL = 7
} OSPolicy_JsonType;

typedef struct OSPolicy_JsonToken {
  uint32_t type;    /* OSPolicy_JsonType */
  uint32_t start;   /* byte offset of the token's first byte ('{', '"', '-', ...) */
  uint32_t end;     /* byte offset one past its last byte */
  uint32_t after;   /* index of the first token after this token's subtree */
  uint32_t count;   /* OBJECT: members; ARRAY: elements; STRING: decoded bytes; else 0 */
  uint32_t decoded; /* STRING: offset of its decoded, NUL-terminated bytes in `strings` */
} OSPolicy_JsonToken;

typedef struct OSPolicy_JsonLimits {
  uint32_t max_depth;        /* 0: OSPOLICY_JSON_DEFAULT_DEPTH; at most OSPOLICY_JSON_MAX_DEPTH */
  uint32_t max_string_bytes; /* 0: OSPOLICY_JSON_DEFAULT_STRING_BYTES (decoded bytes) */
  uint32_t max_members;      /* 0: OSPOLICY_JSON_DEFAULT_MEMBERS (per object or array) */
} OSPolicy_JsonLimits;

typedef struct OSPolicy_JsonRequest {
  const char *text; /* need not be NUL-terminated; never written */
  size_t size;      /* bytes of text; at most OSPOLICY_JSON_MAX_TEXT_SIZE */
  OSPolicy_JsonLimits limits;
  OSPolicy_JsonToken *tokens; /* token_capacity entries */
  size_t token_capacity;
  char *strings; /* string_capacity bytes: decoded strings, each NUL-terminated */
  size_t string_capacity;
  uint32_t *scratch; /* scratch_capacity entries: duplicate-name detection (need not be cleared) */
  size_t scratch_capacity;
} OSPolicy_JsonRequest;

typedef struct OSPolicy_JsonDocument {
  OSPolicy_Status status; /* OSPOLICY_OK only if the whole text is valid */
  /* Sizes the request needs for its text (always written, also on error). */
  size_t tokens_required;
  size_t strings_required;
  size_t scratch_required;
  size_t token_count; /* tokens written (tokens seen, for a scan) */
  /* Where the text is wrong (status not OK): offset, 1-based line and column. */
  size_t error_offset;
  uint32_t error_line;
  uint32_t error_column;
  const char *error_message; /* static; "" when status is OK */
  /* The parsed document (NULL for a scan or on error). */
  const OSPolicy_JsonToken *tokens;
  const char *strings;
} OSPolicy_JsonDocument;

#ifdef __cplusplus
extern "C" {
#endif

/* Worst-case sizes for a text of `size` bytes: token count
 * (size / 2 + OSPOLICY_JSON_MAX_DEPTH + 1), decoded-string bytes (size) and
 * scratch entries (four per token, plus one: a hash table of member names
 * with one slot per token, each name's slot and object, and balanced-tree
 * links for objects whose names collide). OVERFLOW if size exceeds
 * OSPOLICY_JSON_MAX_TEXT_SIZE (the outputs are then 0). */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_GetJsonWorkspaceSizes(size_t size, size_t *tokens,
                                                                   size_t *strings,
                                                                   size_t *scratch);

/* Parses the whole text and writes the whole document. Errors, in the order
 * checked: NULL_ARGUMENT (request or document; text NULL with a non-zero
 * size; an array NULL with a non-zero capacity); INVALID_ARGUMENT (a limit
 * above its ceiling, size above OSPOLICY_JSON_MAX_TEXT_SIZE);
 * BUFFER_TOO_SMALL (a capacity below its *_required figure, written back);
 * then the first problem in the text (the one at the lowest offset; a
 * duplicate member name counts at the repeated name): JSON_SYNTAX,
 * JSON_BAD_NUMBER, JSON_BAD_STRING, JSON_NUL_CHARACTER, JSON_TOO_DEEP,
 * JSON_STRING_TOO_LONG, JSON_TOO_MANY_MEMBERS, JSON_DUPLICATE_MEMBER,
 * JSON_TRAILING_CONTENT. Duplicate detection: a name is compared with the
 * earlier names of a small object (up to 8 members), then looked up in a hash
 * table keyed per parse (bytes compared only with names of the same object
 * met on the probe); an object whose names collide (a probe longer than 128
 * slots) moves to a balanced tree, so a member never costs more than 128
 * probes plus O(log n) name comparisons in an n-member object, whatever the
 * input. */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_ParseJson(const OSPolicy_JsonRequest *request,
                                                       OSPolicy_JsonDocument *document);

/* The tokenizer alone: the same grammar, UTF-8, escape and limit checks as
 * OSPolicy_ParseJson, but no token is stored, no string is decoded into
 * memory and duplicate member names are NOT detected. It needs no
 * workspace (the capacities in `request` are ignored) and counts tokens into
 * document->token_count. Used as the benchmark baseline and to pre-check. */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_ScanJson(const OSPolicy_JsonRequest *request,
                                                      OSPolicy_JsonDocument *document);

/* 1-based line and column of byte `offset` in text (offset may equal size).
 * Columns count bytes; a line ends after '\n'. */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_LocateJsonOffset(const char *text, size_t size,
                                                              size_t offset, uint32_t *line,
                                                              uint32_t *column);

/* Value of a NUMBER token that is a non-negative integer (no fraction, no
 * exponent) fitting in 64 bits. NULL_ARGUMENT; INVALID_ARGUMENT for a token
 * that is not a NUMBER or has a fraction or an exponent (not an integer);
 * OUT_OF_RANGE for a negative integer or one above UINT64_MAX. *value is 0
 * unless OK. */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_GetJsonUint64(const char *text,
                                                           const OSPolicy_JsonToken *token,
                                                           uint64_t *value);

/* Short name of a type ("object", "string", ...); never NULL. */
const char *OSPolicy_JsonTypeName(OSPolicy_JsonType type);

#ifdef __cplusplus
}
#endif

#endif /* OSPOLICY_JSON_H */
