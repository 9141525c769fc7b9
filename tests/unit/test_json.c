/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * The strict JSON parser: a table-driven conformance suite (valid and invalid
 * texts, each invalid one with its status and the byte offset it must name),
 * run through both OSPolicy_ParseJson and the tokenizer-only OSPolicy_ScanJson,
 * plus token-structure, limit, workspace and argument tests. The parser under
 * test is the freestanding core build (ospolicy_core, -ffreestanding
 * -nostdlib), the very object files the UEFI loader and kernel link.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ospolicy/json.h"
#include "../../src/policy/json_internal.h" /* the hash seam: forced collisions */

typedef struct parsed {
  OSPolicy_JsonToken *tokens;
  char *strings;
  uint32_t *scratch;
  OSPolicy_JsonDocument doc;
  OSPolicy_Status status;
} parsed;

static parsed parse_sized(const char *text, size_t size, OSPolicy_JsonLimits limits) {
  parsed p;
  memset(&p, 0, sizeof p);
  size_t nt, ns, nx;
  ck_assert_int_eq(OSPolicy_GetJsonWorkspaceSizes(size, &nt, &ns, &nx), OSPOLICY_OK);
  /* Exactly the advertised sizes: a parse must never need more. */
  p.tokens = malloc(nt * sizeof *p.tokens);
  p.strings = malloc(ns > 0 ? ns : 1);
  p.scratch = malloc(nx * sizeof *p.scratch);
  OSPolicy_JsonRequest request = {.text = text, .size = size, .limits = limits,
                                  .tokens = p.tokens, .token_capacity = nt,
                                  .strings = p.strings, .string_capacity = ns,
                                  .scratch = p.scratch, .scratch_capacity = nx};
  memset(&p.doc, 0x5A, sizeof p.doc);
  p.status = OSPolicy_ParseJson(&request, &p.doc);
  ck_assert_int_eq(p.status, p.doc.status);
  return p;
}

static parsed parse_text(const char *text) {
  return parse_sized(text, strlen(text), (OSPolicy_JsonLimits){0});
}

static void release(parsed *p) {
  free(p->tokens);
  free(p->strings);
  free(p->scratch);
}

static OSPolicy_Status scan_sized(const char *text, size_t size, OSPolicy_JsonDocument *doc) {
  OSPolicy_JsonRequest request = {.text = text, .size = size};
  return OSPolicy_ScanJson(&request, doc);
}

typedef struct conformance_case {
  const char *text;
  size_t size; /* 0: strlen(text) */
  OSPolicy_Status status;
  long offset; /* expected error offset; -1 for valid texts */
  /* The tokenizer-only scan does not look for duplicate names: what it
   * reports instead (UNSET: the same as the parse). */
  OSPolicy_Status scan_status;
  long scan_offset;
} conformance_case;

#define VALID(t) {t, 0, OSPOLICY_OK, -1, OSPOLICY_STATUS_UNSET, -1}
#define INVALID(t, s, o) {t, 0, s, o, OSPOLICY_STATUS_UNSET, -1}
/* A duplicate name at offset o; the scan sees status ss at so (-1: valid). */
#define DUPLICATE(t, o, ss, so) {t, 0, OSPOLICY_ERR_JSON_DUPLICATE_MEMBER, o, ss, so}

static const conformance_case cases[] = {
    /* RFC 8259 texts that must be accepted. */
    VALID("0"),
    VALID("-0"),
    VALID("-12.5e+10"),
    VALID("1E-5"),
    VALID("0.0"),
    VALID("\"\""),
    VALID("true"),
    VALID("false"),
    VALID("null"),
    VALID("[]"),
    VALID("{}"),
    VALID(" \t\r\n[ 1 , 2 ]\n"),
    VALID("{\"a\":[1,{\"b\":null}],\"c\":\"d\"}"),
    VALID("\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t\""),
    VALID("\"\\u00e9\\u20AC\\ud83d\\ude00\""),
    VALID("\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\""),
    VALID("\"\x7f\""), /* DEL is not a JSON control character */
    VALID("{\"a\":1,\"A\":2,\"a \":3}"),
    VALID("[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]"), /* depth 32 */
    VALID("1234567890123456789012345678901234567890123456789012345678901234"), /* 64 chars */
    /* jsmn's strict mode accepts these (jsmn issues 52, 158, 178). */
    INVALID("{\"a\"}", OSPOLICY_ERR_JSON_SYNTAX, 4),
    INVALID("{,}", OSPOLICY_ERR_JSON_SYNTAX, 1),
    INVALID("{}{}", OSPOLICY_ERR_JSON_TRAILING_CONTENT, 2),
    INVALID("[thanx]", OSPOLICY_ERR_JSON_SYNTAX, 1),
    /* Structure. */
    INVALID("", OSPOLICY_ERR_JSON_SYNTAX, 0),
    INVALID("  \n ", OSPOLICY_ERR_JSON_SYNTAX, 4),
    INVALID("[", OSPOLICY_ERR_JSON_SYNTAX, 1),
    INVALID("[1 2]", OSPOLICY_ERR_JSON_SYNTAX, 3),
    INVALID("[1,]", OSPOLICY_ERR_JSON_SYNTAX, 3),
    INVALID("{\"a\":1,}", OSPOLICY_ERR_JSON_SYNTAX, 7),
    INVALID("{\"a\" 1}", OSPOLICY_ERR_JSON_SYNTAX, 5),
    INVALID("{\"a\":}", OSPOLICY_ERR_JSON_SYNTAX, 5),
    INVALID("{1:2}", OSPOLICY_ERR_JSON_SYNTAX, 1),
    INVALID("[1}", OSPOLICY_ERR_JSON_SYNTAX, 2),
    INVALID("{\"a\":1]", OSPOLICY_ERR_JSON_SYNTAX, 6),
    INVALID("1 2", OSPOLICY_ERR_JSON_TRAILING_CONTENT, 2),
    INVALID("truex", OSPOLICY_ERR_JSON_TRAILING_CONTENT, 4),
    INVALID("[] x", OSPOLICY_ERR_JSON_TRAILING_CONTENT, 3),
    INVALID("tru", OSPOLICY_ERR_JSON_SYNTAX, 0),
    INVALID("nul", OSPOLICY_ERR_JSON_SYNTAX, 0),
    INVALID("True", OSPOLICY_ERR_JSON_SYNTAX, 0),
    INVALID("// comment\n1", OSPOLICY_ERR_JSON_SYNTAX, 0),
    INVALID("/* c */ 1", OSPOLICY_ERR_JSON_SYNTAX, 0),
    INVALID("[1 /* c */]", OSPOLICY_ERR_JSON_SYNTAX, 3),
    INVALID("['a']", OSPOLICY_ERR_JSON_SYNTAX, 1),
    INVALID("{'a':1}", OSPOLICY_ERR_JSON_SYNTAX, 1),
    INVALID("\xef\xbb\xbf{}", OSPOLICY_ERR_JSON_SYNTAX, 0),
    INVALID("[1,\xef\xbb\xbf" "2]", OSPOLICY_ERR_JSON_SYNTAX, 3), /* not a BOM: not at 0 */
    INVALID("\xef\xbb", OSPOLICY_ERR_JSON_SYNTAX, 0),
    /* Numbers. */
    INVALID("01", OSPOLICY_ERR_JSON_BAD_NUMBER, 0),
    INVALID("-01", OSPOLICY_ERR_JSON_BAD_NUMBER, 0),
    INVALID("1.", OSPOLICY_ERR_JSON_BAD_NUMBER, 2),
    INVALID("1.e5", OSPOLICY_ERR_JSON_BAD_NUMBER, 2),
    INVALID("1e", OSPOLICY_ERR_JSON_BAD_NUMBER, 2),
    INVALID("1e+", OSPOLICY_ERR_JSON_BAD_NUMBER, 3),
    INVALID("-", OSPOLICY_ERR_JSON_BAD_NUMBER, 1),
    INVALID("-Infinity", OSPOLICY_ERR_JSON_BAD_NUMBER, 1),
    INVALID(".5", OSPOLICY_ERR_JSON_SYNTAX, 0),
    INVALID("+1", OSPOLICY_ERR_JSON_SYNTAX, 0),
    INVALID("NaN", OSPOLICY_ERR_JSON_SYNTAX, 0),
    INVALID("Infinity", OSPOLICY_ERR_JSON_SYNTAX, 0),
    INVALID("0x10", OSPOLICY_ERR_JSON_TRAILING_CONTENT, 1),
    INVALID("12345678901234567890123456789012345678901234567890123456789012345",
            OSPOLICY_ERR_JSON_BAD_NUMBER, 0), /* 65 characters */
    /* Strings. */
    INVALID("\"abc", OSPOLICY_ERR_JSON_BAD_STRING, 0),
    INVALID("\"abc\\", OSPOLICY_ERR_JSON_BAD_STRING, 0),
    INVALID("\"a\tb\"", OSPOLICY_ERR_JSON_BAD_STRING, 2),
    INVALID("\"a\nb\"", OSPOLICY_ERR_JSON_BAD_STRING, 2),
    INVALID("\"\\x\"", OSPOLICY_ERR_JSON_BAD_STRING, 1),
    INVALID("\"\\'\"", OSPOLICY_ERR_JSON_BAD_STRING, 1),
    INVALID("\"\\u12\"", OSPOLICY_ERR_JSON_BAD_STRING, 1),
    INVALID("\"\\u12G4\"", OSPOLICY_ERR_JSON_BAD_STRING, 1),
    INVALID("\"\\ud800\"", OSPOLICY_ERR_JSON_BAD_STRING, 1),
    INVALID("\"\\udc00\"", OSPOLICY_ERR_JSON_BAD_STRING, 1),
    INVALID("\"x\\ud800\\u0041\"", OSPOLICY_ERR_JSON_BAD_STRING, 2),
    INVALID("\"\\ud800\\ud800\"", OSPOLICY_ERR_JSON_BAD_STRING, 1),
    INVALID("\"\xff\"", OSPOLICY_ERR_JSON_BAD_STRING, 1),
    INVALID("\"\x80\"", OSPOLICY_ERR_JSON_BAD_STRING, 1),
    INVALID("\"\xc0\xaf\"", OSPOLICY_ERR_JSON_BAD_STRING, 1),          /* overlong '/' */
    INVALID("\"\xe0\x80\xaf\"", OSPOLICY_ERR_JSON_BAD_STRING, 1),      /* overlong */
    INVALID("\"\xed\xa0\x80\"", OSPOLICY_ERR_JSON_BAD_STRING, 1),      /* UTF-8 surrogate */
    INVALID("\"\xf4\x90\x80\x80\"", OSPOLICY_ERR_JSON_BAD_STRING, 1),  /* above U+10FFFF */
    INVALID("\"ab\xc3\"", OSPOLICY_ERR_JSON_BAD_STRING, 3),            /* truncated */
    INVALID("\"\\u0000\"", OSPOLICY_ERR_JSON_NUL_CHARACTER, 1),
    INVALID("{\"a\\u0000b\":1}", OSPOLICY_ERR_JSON_NUL_CHARACTER, 3),
    INVALID("\xff", OSPOLICY_ERR_JSON_SYNTAX, 0),
    /* Duplicate names count at the repeated name, in text order with every
     * other problem: an earlier outer duplicate beats a later inner one, and
     * a duplicate beats a syntax error after it. */
    DUPLICATE("{\"manifestVersion\":1,\"name\":\"a\",\"name\":\"b\",\"limits\":{\"x\":1,\"x\":2}}",
              32, OSPOLICY_OK, -1),
    DUPLICATE("{\"manifestVersion\":1,\"a\":1,\"a\":2 x}", 27, OSPOLICY_ERR_JSON_SYNTAX, 33),
    DUPLICATE("{\"a\":{\"b\":1,\"b\":2},\"a\":3}", 12, OSPOLICY_OK, -1),
    DUPLICATE("{\"a\":1,\"a\":{\"b\":1,\"b\":2}}", 7, OSPOLICY_OK, -1),
    DUPLICATE("{\"a\":1,\"a\":[1,,]}", 7, OSPOLICY_ERR_JSON_SYNTAX, 14),
    DUPLICATE("{\"a\":1,\"a\":\"\\x\"}", 7, OSPOLICY_ERR_JSON_BAD_STRING, 12),
    DUPLICATE("{\"a\":1,\"a\":2}}", 7, OSPOLICY_ERR_JSON_TRAILING_CONTENT, 13),
    DUPLICATE("{\"a\":1,\"a\"", 7, OSPOLICY_ERR_JSON_SYNTAX, 10),
    INVALID("{\"a\":1,\"b\" x,\"a\":2}", OSPOLICY_ERR_JSON_SYNTAX, 11),
    /* Depth: 33 levels against the default 32. */
    INVALID("[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
            OSPOLICY_ERR_JSON_TOO_DEEP, 32),
};

START_TEST(conformance_table) {
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    const conformance_case *c = &cases[i];
    size_t size = c->size != 0 ? c->size : strlen(c->text);
    parsed p = parse_sized(c->text, size, (OSPolicy_JsonLimits){0});
    ck_assert_msg(p.status == c->status, "case %zu '%s': status %s, expected %s", i, c->text,
                  OSPolicy_StatusName(p.status), OSPolicy_StatusName(c->status));
    if (c->offset >= 0) {
      ck_assert_msg(p.doc.error_offset == (size_t)c->offset, "case %zu '%s': offset %zu, expected %ld",
                    i, c->text, p.doc.error_offset, c->offset);
      uint32_t line = 1, column = 1;
      for (size_t k = 0; k < p.doc.error_offset; k++) {
        line = c->text[k] == '\n' ? line + 1 : line;
        column = c->text[k] == '\n' ? 1 : column + 1;
      }
      ck_assert_uint_eq(p.doc.error_line, line);
      ck_assert_uint_eq(p.doc.error_column, column);
      ck_assert_ptr_nonnull(p.doc.error_message);
      ck_assert_uint_gt(strlen(p.doc.error_message), 0);
      ck_assert_ptr_null(p.doc.tokens);
    } else {
      ck_assert_ptr_nonnull(p.doc.tokens);
      ck_assert_uint_ge(p.doc.token_count, 1);
      ck_assert_uint_le(p.doc.token_count, p.doc.tokens_required);
      ck_assert_uint_eq(p.doc.tokens[0].after, p.doc.token_count);
    }
    /* The tokenizer-only pass agrees on everything but duplicate names. */
    OSPolicy_Status scan_status = c->scan_status != OSPOLICY_STATUS_UNSET ? c->scan_status
                                                                           : c->status;
    long scan_offset = c->scan_status != OSPOLICY_STATUS_UNSET ? c->scan_offset : c->offset;
    OSPolicy_JsonDocument scan;
    OSPolicy_Status scanned = scan_sized(c->text, size, &scan);
    ck_assert_msg(scanned == scan_status, "case %zu '%s': scan status %s", i, c->text,
                  OSPolicy_StatusName(scanned));
    if (scan_offset >= 0) {
      ck_assert_uint_eq(scan.error_offset, (size_t)scan_offset);
    } else if (c->offset < 0) {
      ck_assert_uint_eq(scan.token_count, p.doc.token_count);
    }
    release(&p);
  }
}
END_TEST

START_TEST(nul_byte_inside_and_after_text) {
  /* Raw NUL bytes are control characters in a string and junk after a value. */
  static const char in_string[] = "\"a\0b\"";
  parsed p = parse_sized(in_string, sizeof in_string - 1, (OSPolicy_JsonLimits){0});
  ck_assert_int_eq(p.status, OSPOLICY_ERR_JSON_BAD_STRING);
  ck_assert_uint_eq(p.doc.error_offset, 2);
  release(&p);
  static const char after[] = "{}\0";
  p = parse_sized(after, sizeof after - 1, (OSPolicy_JsonLimits){0});
  ck_assert_int_eq(p.status, OSPOLICY_ERR_JSON_TRAILING_CONTENT);
  ck_assert_uint_eq(p.doc.error_offset, 2);
  release(&p);
}
END_TEST

START_TEST(duplicate_members_rejected_in_every_object) {
  parsed p = parse_text("{\"a\":1,\"b\":2,\"a\":3}");
  ck_assert_int_eq(p.status, OSPOLICY_ERR_JSON_DUPLICATE_MEMBER);
  ck_assert_uint_eq(p.doc.error_offset, 13);
  release(&p);
  /* An escape that decodes to the same name is the same name. */
  p = parse_text("{\"name\":1,\"\\u006eame\":2}");
  ck_assert_int_eq(p.status, OSPOLICY_ERR_JSON_DUPLICATE_MEMBER);
  ck_assert_uint_eq(p.doc.error_offset, 10);
  release(&p);
  /* Nested objects, and the scan does not see duplicates. */
  const char *nested = "[{\"x\":{\"y\":1,\"y\":1}}]";
  p = parse_text(nested);
  ck_assert_int_eq(p.status, OSPOLICY_ERR_JSON_DUPLICATE_MEMBER);
  ck_assert_uint_eq(p.doc.error_offset, 13);
  release(&p);
  OSPolicy_JsonDocument scan;
  ck_assert_int_eq(scan_sized(nested, strlen(nested), &scan), OSPOLICY_OK);
  /* Same names in sibling objects are fine. */
  p = parse_text("[{\"x\":1},{\"x\":2}]");
  ck_assert_int_eq(p.status, OSPOLICY_OK);
  release(&p);
}
END_TEST

START_TEST(duplicate_among_many_members) {
  /* 300 distinct keys, then a repeat of key 17: found in the name tree, and
   * the reported member is the later occurrence. */
  char *text = malloc(16384);
  size_t n = 0;
  n += (size_t)sprintf(text + n, "{");
  for (int i = 0; i < 300; i++) {
    n += (size_t)sprintf(text + n, "\"k%d\":%d,", i, i);
  }
  size_t repeat_at = n;
  n += (size_t)sprintf(text + n, "\"k17\":0,\"k299x\":1}");
  parsed p = parse_sized(text, n, (OSPolicy_JsonLimits){0});
  ck_assert_int_eq(p.status, OSPOLICY_ERR_JSON_DUPLICATE_MEMBER);
  ck_assert_uint_eq(p.doc.error_offset, repeat_at);
  release(&p);
  text[repeat_at + 2] = 'X'; /* "kX7": unique now */
  p = parse_sized(text, n, (OSPolicy_JsonLimits){0});
  ck_assert_int_eq(p.status, OSPOLICY_OK);
  ck_assert_uint_eq(p.doc.tokens[0].count, 302);
  release(&p);
  free(text);
}
END_TEST

/* Deterministic pseudo-random numbers for the test (xorshift32). */
static uint32_t next_random(uint32_t *state) {
  uint32_t x = *state;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  *state = x;
  return x;
}

/* One workspace reused by many parses (so the scratch holds the previous
 * parse's table), sized for 64 KiB texts. */
typedef struct reused {
  OSPolicy_JsonToken *tokens;
  char *strings;
  uint32_t *scratch;
  size_t nt, ns, nx;
} reused;

static reused reused_workspace(void) {
  reused w;
  ck_assert_int_eq(OSPolicy_GetJsonWorkspaceSizes(1 << 16, &w.nt, &w.ns, &w.nx), OSPOLICY_OK);
  w.tokens = malloc(w.nt * sizeof *w.tokens);
  w.strings = malloc(w.ns);
  w.scratch = malloc(w.nx * sizeof *w.scratch);
  return w;
}

static void release_reused(reused *w) {
  free(w->tokens);
  free(w->strings);
  free(w->scratch);
}

static OSPolicy_Status parse_hooked(reused *w, const char *text, size_t size,
                                    json_name_hash_fn hash, json_dup_stats *stats,
                                    OSPolicy_JsonDocument *doc) {
  OSPolicy_JsonRequest request = {.text = text, .size = size, .tokens = w->tokens,
                                  .token_capacity = w->nt, .strings = w->strings,
                                  .string_capacity = w->ns, .scratch = w->scratch,
                                  .scratch_capacity = w->nx};
  return ospolicy_json_parse_hooked(&request, doc, hash, stats);
}

/* Every name of an object gets one tag and one home slot. */
static uint32_t hash_constant(const char *name, size_t length, uint64_t key) {
  (void)name;
  (void)length;
  (void)key;
  return 0x12345678u;
}

/* Names collide by length: long runs of equal tags with different bytes. */
static uint32_t hash_length(const char *name, size_t length, uint64_t key) {
  (void)name;
  (void)key;
  return (uint32_t)length;
}

START_TEST(duplicate_names_match_a_pairwise_check) {
  /* Objects of 1..600 members whose names come from small pools (so repeats
   * are common, or absent), in ascending, descending and random order, some
   * nested: the first duplicate in the text, found by an O(n^2) pairwise
   * check here, is the one the parser reports (or none). This exercises
   * every rotation of the parser's name tree. */
  char *text = malloc(1 << 16);
  size_t *starts = malloc(4096 * sizeof *starts);
  char(*names)[16] = malloc(4096 * sizeof *names);
  uint32_t state = 0x9E3779B9u;
  reused w = reused_workspace();
  static const json_name_hash_fn hashes[] = {NULL, hash_constant, hash_length};
  json_dup_stats total[3] = {{0}};
  for (unsigned trial = 0; trial < 400; trial++) {
    unsigned members = 1u + next_random(&state) % (trial < 200 ? 40u : 600u);
    unsigned pool = 1u + next_random(&state) % (members * 3u);
    unsigned order = trial % 4u; /* 0 ascending, 1 descending, 2,3 random */
    size_t n = 0;
    text[n++] = '{';
    size_t expected = SIZE_MAX;
    for (unsigned i = 0; i < members; i++) {
      unsigned id = order == 0u ? i : order == 1u ? members - i : next_random(&state) % pool;
      if (i > 0) {
        text[n++] = ',';
      }
      starts[i] = n;
      snprintf(names[i], sizeof names[i], "k%u", id);
      n += (size_t)sprintf(text + n, "\"%s\":", names[i]);
      if (expected == SIZE_MAX) {
        for (unsigned j = 0; j < i; j++) {
          if (strcmp(names[j], names[i]) == 0) {
            expected = starts[i];
            break;
          }
        }
      }
      /* Now and then a nested object with its own (distinct) names. */
      if (next_random(&state) % 16u == 0u) {
        n += (size_t)sprintf(text + n, "{\"k%u\":1,\"q\":[{\"k%u\":2}]}", id, id);
      } else {
        n += (size_t)sprintf(text + n, "%u", i);
      }
    }
    text[n++] = '}';
    parsed p = parse_sized(text, n, (OSPolicy_JsonLimits){0});
    if (expected == SIZE_MAX) {
      ck_assert_msg(p.status == OSPOLICY_OK, "trial %u: %s at %zu", trial,
                    OSPolicy_StatusName(p.status), p.doc.error_offset);
      ck_assert_uint_eq(p.doc.tokens[0].count, members);
    } else {
      ck_assert_msg(p.status == OSPOLICY_ERR_JSON_DUPLICATE_MEMBER, "trial %u: %s", trial,
                    OSPolicy_StatusName(p.status));
      ck_assert_msg(p.doc.error_offset == expected, "trial %u: offset %zu, expected %zu", trial,
                    p.doc.error_offset, expected);
    }
    release(&p);
    /* The same through the hash seam, in a reused workspace: the real hash,
     * every name colliding (the tree fallback), names colliding by length. */
    for (size_t h = 0; h < 3; h++) {
      OSPolicy_JsonDocument doc;
      json_dup_stats stats = {0};
      OSPolicy_Status status = parse_hooked(&w, text, n, hashes[h], &stats, &doc);
      total[h].hashed_objects += stats.hashed_objects;
      total[h].tree_objects += stats.tree_objects;
      if (expected == SIZE_MAX) {
        ck_assert_msg(status == OSPOLICY_OK, "trial %u hash %zu: %s", trial, h,
                      OSPolicy_StatusName(status));
      } else {
        ck_assert_msg(status == OSPOLICY_ERR_JSON_DUPLICATE_MEMBER && doc.error_offset == expected,
                      "trial %u hash %zu: %s at %zu, expected %zu", trial, h,
                      OSPolicy_StatusName(status), doc.error_offset, expected);
      }
    }
  }
  /* Each path was taken: hashed objects, and with colliding names the tree
   * (every object of more than PROBE_LIMIT = 128 names: 80 of these trials). */
  ck_assert_uint_gt(total[0].hashed_objects, 100);
  ck_assert_uint_ge(total[1].tree_objects, 50);
  ck_assert_uint_gt(total[2].hashed_objects, 100);
  release_reused(&w);
  free(names);
  free(starts);
  free(text);
}
END_TEST

START_TEST(duplicate_check_ignores_stale_scratch) {
  /* The table is never cleared: whatever the scratch holds before the parse
   * (zeros, all ones, small plausible indices, another parse's table), a
   * text with distinct names passes and one with a repeat fails exactly
   * there. Equal names in different objects are not duplicates. */
  char *text = malloc(1 << 16);
  size_t n = 0;
  n += (size_t)sprintf(text + n, "[");
  for (int o = 0; o < 60; o++) {
    n += (size_t)sprintf(text + n, "%s{", o ? "," : "");
    for (int i = 0; i < 40; i++) {
      n += (size_t)sprintf(text + n, "%s\"n%d\":%d", i ? "," : "", i, i);
    }
    n += (size_t)sprintf(text + n, "}");
  }
  n += (size_t)sprintf(text + n, "]");
  reused w = reused_workspace();
  static const json_name_hash_fn hashes[] = {NULL, hash_constant, hash_length};
  for (unsigned fill = 0; fill < 4; fill++) {
    for (size_t i = 0; i < w.nx; i++) {
      w.scratch[i] = fill == 0 ? 0u : fill == 1 ? UINT32_MAX : fill == 2 ? (uint32_t)(i % 97u) : w.scratch[i];
    }
    for (size_t h = 0; h < 3; h++) {
      OSPolicy_JsonDocument doc;
      json_dup_stats stats = {0};
      ck_assert_int_eq(parse_hooked(&w, text, n, hashes[h], &stats, &doc), OSPOLICY_OK);
      ck_assert_uint_eq(stats.hashed_objects, 60);
      /* Repeat "n3" as the last name of object 30. */
      char *copy = malloc(n + 1);
      memcpy(copy, text, n + 1);
      char *at = copy;
      for (int o = 0; o <= 30; o++) {
        at = strchr(at + 1, '{');
      }
      at = strstr(at, "\"n39\"");
      memcpy(at, "\"n3\" ", 5);
      ck_assert_int_eq(parse_hooked(&w, copy, n, hashes[h], &stats, &doc),
                       OSPOLICY_ERR_JSON_DUPLICATE_MEMBER);
      ck_assert_uint_eq(doc.error_offset, (size_t)(at - copy));
      free(copy);
    }
  }
  /* The same text again and again in one workspace: the names reuse their
   * own stale slots, so no probe grows and no object falls back. */
  for (unsigned again = 0; again < 64; again++) {
    OSPolicy_JsonDocument doc;
    json_dup_stats stats = {0};
    ck_assert_int_eq(parse_hooked(&w, text, n, NULL, &stats, &doc), OSPOLICY_OK);
    ck_assert_uint_eq(stats.hashed_objects, 60);
    ck_assert_uint_eq(stats.tree_objects, 0);
  }
  release_reused(&w);
  free(text);
}
END_TEST

START_TEST(objects_at_the_member_limit) {
  /* 8192 distinct names (the default limit) pass with the real hash and
   * with every name colliding; one more member is too many; a repeat as the
   * last member is found there. */
  enum { members = OSPOLICY_JSON_DEFAULT_MEMBERS };
  char *text = malloc(members * 16 + 64);
  size_t n = 0;
  size_t last = 0;
  text[n++] = '{';
  for (unsigned i = 0; i < members; i++) {
    if (i + 1 == members) {
      last = n + (i ? 1 : 0);
    }
    n += (size_t)sprintf(text + n, "%s\"%u\":0", i ? "," : "", i);
  }
  text[n++] = '}';
  static const json_name_hash_fn hashes[] = {NULL, hash_constant};
  OSPolicy_JsonRequest sizes = {.text = text, .size = n};
  OSPolicy_JsonDocument doc;
  ck_assert_int_eq(OSPolicy_ParseJson(&sizes, &doc), OSPOLICY_ERR_BUFFER_TOO_SMALL);
  reused w;
  w.nt = doc.tokens_required + 8;
  w.ns = doc.strings_required + 8;
  w.nx = doc.scratch_required;
  w.tokens = malloc((w.nt) * sizeof *w.tokens);
  w.strings = malloc(w.ns);
  w.scratch = malloc(w.nx * sizeof *w.scratch);
  for (size_t h = 0; h < 2; h++) {
    json_dup_stats stats = {0};
    ck_assert_int_eq(parse_hooked(&w, text, n, hashes[h], &stats, &doc), OSPOLICY_OK);
    ck_assert_uint_eq(doc.tokens[0].count, members);
    ck_assert_uint_eq(stats.hashed_objects, 1);
    ck_assert_uint_eq(stats.tree_objects, h == 1 ? 1 : 0);
    memcpy(text + last, "\"1\"   ", 6); /* was "8191" */
    ck_assert_int_eq(parse_hooked(&w, text, n, hashes[h], &stats, &doc),
                     OSPOLICY_ERR_JSON_DUPLICATE_MEMBER);
    ck_assert_uint_eq(doc.error_offset, last);
    memcpy(text + last, "\"8191\"", 6);
  }
  text[n - 1] = ',';
  n += (size_t)sprintf(text + n, "\"x\":0}");
  release_reused(&w);
  parsed p = parse_sized(text, n, (OSPolicy_JsonLimits){0});
  ck_assert_int_eq(p.status, OSPOLICY_ERR_JSON_TOO_MANY_MEMBERS);
  release(&p);
  free(text);
}
END_TEST

START_TEST(byte_order_mark_only_at_the_start) {
  /* Only EF BB BF at offset 0 is called a byte order mark. */
  parsed p = parse_text("\xef\xbb\xbf{}");
  ck_assert_str_eq(p.doc.error_message, "a byte order mark is not allowed");
  release(&p);
  static const char *not_bom[] = {"[1,\xef\xbb\xbf]", "{\"a\":\xef\xbb\xbf}", "\xef\xbb",
                                  "\xef{}", " \xef\xbb\xbf{}"};
  for (size_t i = 0; i < sizeof not_bom / sizeof not_bom[0]; i++) {
    p = parse_text(not_bom[i]);
    ck_assert_int_eq(p.status, OSPOLICY_ERR_JSON_SYNTAX);
    ck_assert_msg(strcmp(p.doc.error_message, "expected a value") == 0, "case %zu: %s", i,
                  p.doc.error_message);
    release(&p);
  }
}
END_TEST

START_TEST(tokens_describe_the_tree) {
  const char *text = "{\"a\":[1,true],\"b\":\"x\\u00e9\",\"c\":{}}";
  parsed p = parse_text(text);
  ck_assert_int_eq(p.status, OSPOLICY_OK);
  const OSPolicy_JsonToken *t = p.doc.tokens;
  ck_assert_uint_eq(p.doc.token_count, 9);
  ck_assert_uint_eq(t[0].type, OSPOLICY_JSON_OBJECT);
  ck_assert_uint_eq(t[0].count, 3);
  ck_assert_uint_eq(t[0].after, 9);
  ck_assert_uint_eq(t[0].end, strlen(text));
  ck_assert_uint_eq(t[1].type, OSPOLICY_JSON_STRING); /* "a" */
  ck_assert_str_eq(p.doc.strings + t[1].decoded, "a");
  ck_assert_uint_eq(t[2].type, OSPOLICY_JSON_ARRAY);
  ck_assert_uint_eq(t[2].count, 2);
  ck_assert_uint_eq(t[2].after, 5);
  ck_assert_uint_eq(t[3].type, OSPOLICY_JSON_NUMBER);
  ck_assert_uint_eq(t[3].start, 6);
  ck_assert_uint_eq(t[3].end, 7);
  ck_assert_uint_eq(t[4].type, OSPOLICY_JSON_TRUE);
  ck_assert_uint_eq(t[6].type, OSPOLICY_JSON_STRING);
  ck_assert_uint_eq(t[6].count, 3); /* "x" + two UTF-8 bytes */
  ck_assert_str_eq(p.doc.strings + t[6].decoded, "x\xc3\xa9");
  ck_assert_uint_eq(t[8].type, OSPOLICY_JSON_OBJECT);
  ck_assert_uint_eq(t[8].count, 0);
  /* Walk the members without recursion. */
  const char *keys[3];
  size_t found = 0;
  for (uint32_t k = 1; k < t[0].after; k = t[k + 1].after) {
    keys[found++] = p.doc.strings + t[k].decoded;
  }
  ck_assert_uint_eq(found, 3);
  ck_assert_str_eq(keys[2], "c");
  ck_assert_str_eq(OSPolicy_JsonTypeName(OSPOLICY_JSON_ARRAY), "array");
  release(&p);
}
END_TEST

START_TEST(line_and_column_are_reported) {
  parsed p = parse_text("{\n  \"a\": 1,\n  \"b\": [1,\n  ]\n}");
  ck_assert_int_eq(p.status, OSPOLICY_ERR_JSON_SYNTAX);
  ck_assert_uint_eq(p.doc.error_line, 4);
  ck_assert_uint_eq(p.doc.error_column, 3);
  ck_assert_str_eq(p.doc.error_message, "trailing comma is not allowed");
  release(&p);
  uint32_t line, column;
  ck_assert_int_eq(OSPolicy_LocateJsonOffset("ab\r\ncd", 6, 5, &line, &column), OSPOLICY_OK);
  ck_assert_uint_eq(line, 2);
  ck_assert_uint_eq(column, 2);
  ck_assert_int_eq(OSPolicy_LocateJsonOffset("ab", 2, 3, &line, &column),
                   OSPOLICY_ERR_OUT_OF_RANGE);
}
END_TEST

START_TEST(limits_are_enforced) {
  OSPolicy_JsonLimits limits = {.max_depth = 2, .max_string_bytes = 3, .max_members = 2};
  parsed p = parse_sized("[[1]]", 5, limits);
  ck_assert_int_eq(p.status, OSPOLICY_OK);
  release(&p);
  p = parse_sized("[[[1]]]", 7, limits);
  ck_assert_int_eq(p.status, OSPOLICY_ERR_JSON_TOO_DEEP);
  ck_assert_uint_eq(p.doc.error_offset, 2);
  release(&p);
  p = parse_sized("\"abc\"", 5, limits);
  ck_assert_int_eq(p.status, OSPOLICY_OK);
  release(&p);
  p = parse_sized("\"abcd\"", 6, limits);
  ck_assert_int_eq(p.status, OSPOLICY_ERR_JSON_STRING_TOO_LONG);
  ck_assert_uint_eq(p.doc.error_offset, 0);
  release(&p);
  p = parse_sized("\"\\u00e9\\u00e9\"", 14, limits); /* 4 decoded bytes */
  ck_assert_int_eq(p.status, OSPOLICY_ERR_JSON_STRING_TOO_LONG);
  release(&p);
  p = parse_sized("[1,2,3]", 7, limits);
  ck_assert_int_eq(p.status, OSPOLICY_ERR_JSON_TOO_MANY_MEMBERS);
  ck_assert_uint_eq(p.doc.error_offset, 5);
  release(&p);
  p = parse_sized("{\"a\":1,\"b\":2,\"c\":3}", 19, limits);
  ck_assert_int_eq(p.status, OSPOLICY_ERR_JSON_TOO_MANY_MEMBERS);
  ck_assert_uint_eq(p.doc.error_offset, 13);
  release(&p);
  /* A limit above its ceiling is a caller mistake. */
  OSPolicy_JsonDocument doc;
  OSPolicy_JsonRequest request = {.text = "1", .size = 1,
                                  .limits = {.max_depth = OSPOLICY_JSON_MAX_DEPTH + 1}};
  ck_assert_int_eq(OSPolicy_ScanJson(&request, &doc), OSPOLICY_ERR_INVALID_ARGUMENT);
}
END_TEST

START_TEST(deep_nesting_costs_no_stack) {
  /* 100000 levels: rejected at the depth limit, no recursion anywhere. */
  size_t n = 100000;
  char *text = malloc(n);
  memset(text, '[', n);
  parsed p = parse_sized(text, n, (OSPolicy_JsonLimits){.max_depth = OSPOLICY_JSON_MAX_DEPTH});
  ck_assert_int_eq(p.status, OSPOLICY_ERR_JSON_TOO_DEEP);
  ck_assert_uint_eq(p.doc.error_offset, OSPOLICY_JSON_MAX_DEPTH);
  release(&p);
  free(text);
}
END_TEST

START_TEST(worst_case_token_count_fits_the_advertised_size) {
  /* "[0,0,...]" and "[[],[],...]" and "{"":0,...}" are the densest texts. */
  const char *unit[] = {"0,", "[],", "{},"};
  for (size_t u = 0; u < 3; u++) {
    for (size_t count = 1; count < 200; count += 37) {
      char text[1024];
      size_t n = 0;
      text[n++] = '[';
      for (size_t i = 0; i < count; i++) {
        n += (size_t)sprintf(text + n, "%s", unit[u]);
      }
      text[n - 1] = ']';
      parsed p = parse_sized(text, n, (OSPolicy_JsonLimits){0});
      ck_assert_int_eq(p.status, OSPOLICY_OK);
      ck_assert_uint_le(p.doc.token_count, p.doc.tokens_required);
      release(&p);
    }
  }
}
END_TEST

START_TEST(unclosed_containers_fit_the_workspace) {
  /* Regression (found by fuzz_manifest): "[[[...[x" creates one token a byte,
   * more than a valid text of that size could; the advertised workspace must
   * still hold them, up to the deepest nesting allowed. */
  char text[OSPOLICY_JSON_MAX_DEPTH + 2];
  for (size_t depth = 1; depth <= OSPOLICY_JSON_MAX_DEPTH; depth++) {
    memset(text, '[', depth);
    text[depth] = 'x';
    parsed p = parse_sized(text, depth + 1,
                           (OSPolicy_JsonLimits){.max_depth = OSPOLICY_JSON_MAX_DEPTH});
    ck_assert_int_eq(p.status, OSPOLICY_ERR_JSON_SYNTAX);
    ck_assert_uint_eq(p.doc.token_count, depth);
    ck_assert_uint_le(p.doc.token_count, p.doc.tokens_required);
    release(&p);
    memcpy(text + depth, "{\"", 2); /* and an unterminated key inside */
    p = parse_sized(text, depth + 2,
                    (OSPolicy_JsonLimits){.max_depth = OSPOLICY_JSON_MAX_DEPTH});
    ck_assert_int_ne(p.status, OSPOLICY_OK);
    release(&p);
  }
}
END_TEST

START_TEST(workspace_contract) {
  const char *text = "{\"a\":\"b\"}";
  size_t size = strlen(text);
  OSPolicy_JsonToken tokens[2];
  char strings[64];
  uint32_t scratch[8];
  OSPolicy_JsonRequest request = {.text = text, .size = size, .tokens = tokens,
                                  .token_capacity = 2, .strings = strings,
                                  .string_capacity = sizeof strings, .scratch = scratch,
                                  .scratch_capacity = 8};
  OSPolicy_JsonDocument doc;
  ck_assert_int_eq(OSPolicy_ParseJson(&request, &doc), OSPOLICY_ERR_BUFFER_TOO_SMALL);
  ck_assert_uint_eq(doc.tokens_required, size / 2 + OSPOLICY_JSON_MAX_DEPTH + 1);
  ck_assert_uint_eq(doc.strings_required, size);
  /* Tree links (tokens + 1), each name's slot and object (2 x tokens), the table (tokens). */
  ck_assert_uint_eq(doc.scratch_required, 4 * doc.tokens_required + 1);
  /* Capacity 0 asks for the sizes. */
  request = (OSPolicy_JsonRequest){.text = text, .size = size};
  ck_assert_int_eq(OSPolicy_ParseJson(&request, &doc), OSPOLICY_ERR_BUFFER_TOO_SMALL);
  ck_assert_uint_eq(doc.tokens_required, size / 2 + OSPOLICY_JSON_MAX_DEPTH + 1);
  size_t nt, ns, nx;
  ck_assert_int_eq(OSPolicy_GetJsonWorkspaceSizes((size_t)OSPOLICY_JSON_MAX_TEXT_SIZE + 1, &nt,
                                                  &ns, &nx),
                   OSPOLICY_ERR_OVERFLOW);
  ck_assert_uint_eq(nt, 0);
}
END_TEST

START_TEST(null_arguments_and_zero_document) {
  OSPolicy_JsonDocument doc;
  ck_assert_int_eq(OSPolicy_ParseJson(NULL, &doc), OSPOLICY_ERR_NULL_ARGUMENT);
  ck_assert_int_eq(doc.status, OSPOLICY_ERR_NULL_ARGUMENT);
  OSPolicy_JsonRequest request = {.text = NULL, .size = 3};
  ck_assert_int_eq(OSPolicy_ScanJson(&request, &doc), OSPOLICY_ERR_NULL_ARGUMENT);
  ck_assert_int_eq(OSPolicy_ScanJson(&request, NULL), OSPOLICY_ERR_NULL_ARGUMENT);
  ck_assert_int_eq(OSPolicy_GetJsonWorkspaceSizes(1, NULL, NULL, NULL),
                   OSPOLICY_ERR_NULL_ARGUMENT);
  /* A zero-filled document is not a parsed one. */
  OSPolicy_JsonDocument zero;
  memset(&zero, 0, sizeof zero);
  ck_assert_int_ne(zero.status, OSPOLICY_OK);
}
END_TEST

START_TEST(integer_values) {
  const char *text = "[0,65535,18446744073709551615,18446744073709551616,-1,-0,1.0,1e2]";
  parsed p = parse_text(text);
  ck_assert_int_eq(p.status, OSPOLICY_OK);
  const OSPolicy_JsonToken *t = p.doc.tokens;
  uint64_t v = 7;
  ck_assert_int_eq(OSPolicy_GetJsonUint64(text, &t[1], &v), OSPOLICY_OK);
  ck_assert_uint_eq(v, 0);
  ck_assert_int_eq(OSPolicy_GetJsonUint64(text, &t[2], &v), OSPOLICY_OK);
  ck_assert_uint_eq(v, 65535);
  ck_assert_int_eq(OSPolicy_GetJsonUint64(text, &t[3], &v), OSPOLICY_OK);
  ck_assert_uint_eq(v, UINT64_MAX);
  ck_assert_int_eq(OSPolicy_GetJsonUint64(text, &t[4], &v), OSPOLICY_ERR_OUT_OF_RANGE);
  ck_assert_uint_eq(v, 0);
  ck_assert_int_eq(OSPolicy_GetJsonUint64(text, &t[5], &v), OSPOLICY_ERR_OUT_OF_RANGE);
  ck_assert_int_eq(OSPolicy_GetJsonUint64(text, &t[6], &v), OSPOLICY_ERR_OUT_OF_RANGE);
  ck_assert_int_eq(OSPolicy_GetJsonUint64(text, &t[7], &v), OSPOLICY_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(OSPolicy_GetJsonUint64(text, &t[8], &v), OSPOLICY_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(OSPolicy_GetJsonUint64(text, &t[0], &v), OSPOLICY_ERR_INVALID_ARGUMENT);
  release(&p);
}
END_TEST

START_TEST(decoded_strings_are_terminated_and_nul_free) {
  parsed p = parse_text("[\"\\u0041\\n\", \"\\ud834\\udd1e\", \"\"]");
  ck_assert_int_eq(p.status, OSPOLICY_OK);
  const OSPolicy_JsonToken *t = p.doc.tokens;
  ck_assert_str_eq(p.doc.strings + t[1].decoded, "A\n");
  ck_assert_uint_eq(t[2].count, 4);
  ck_assert_str_eq(p.doc.strings + t[2].decoded, "\xf0\x9d\x84\x9e");
  ck_assert_uint_eq(t[3].count, 0);
  ck_assert_int_eq(p.doc.strings[t[3].decoded], '\0');
  release(&p);
}
END_TEST

Suite *json_suite(void);
Suite *json_suite(void) {
  Suite *suite = suite_create("json");
  TCase *tc = tcase_create("parse");
  tcase_add_test(tc, conformance_table);
  tcase_add_test(tc, nul_byte_inside_and_after_text);
  tcase_add_test(tc, duplicate_members_rejected_in_every_object);
  tcase_add_test(tc, duplicate_among_many_members);
  tcase_add_test(tc, duplicate_names_match_a_pairwise_check);
  tcase_add_test(tc, duplicate_check_ignores_stale_scratch);
  tcase_add_test(tc, objects_at_the_member_limit);
  tcase_add_test(tc, byte_order_mark_only_at_the_start);
  tcase_add_test(tc, tokens_describe_the_tree);
  tcase_add_test(tc, line_and_column_are_reported);
  tcase_add_test(tc, limits_are_enforced);
  tcase_add_test(tc, deep_nesting_costs_no_stack);
  tcase_add_test(tc, worst_case_token_count_fits_the_advertised_size);
  tcase_add_test(tc, unclosed_containers_fit_the_workspace);
  tcase_add_test(tc, workspace_contract);
  tcase_add_test(tc, null_arguments_and_zero_document);
  tcase_add_test(tc, integer_values);
  tcase_add_test(tc, decoded_strings_are_terminated_and_nul_free);
  suite_add_tcase(suite, tc);
  return suite;
}
