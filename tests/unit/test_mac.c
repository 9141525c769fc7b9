/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
#include <check.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "ospolicy/mac.h"
#include "ospolicy/modsign.h"

#define BLOB_CAPACITY ((size_t)4 << 20)

static uint8_t *blob;
static size_t blob_size;
static OSPolicy_MacPolicy policy;
static OSPolicy_MacCompileResult result;

static OSPolicy_Status compile_text(const char *text) {
  size_t size = strlen(text), workspace_size = 0;
  ck_assert_int_eq(OSPolicy_GetMacCompileWorkspaceSize(text, size, &workspace_size), OSPOLICY_OK);
  void *workspace = malloc(workspace_size);
  ck_assert_ptr_nonnull(workspace);
  if (blob == NULL) {
    blob = malloc(BLOB_CAPACITY);
  }
  OSPolicy_MacCompileRequest request = {.text = text, .size = size, .workspace = workspace,
                                        .workspace_size = workspace_size, .out = blob,
                                        .out_capacity = BLOB_CAPACITY};
  OSPolicy_Status status = OSPolicy_CompileMacPolicy(&request, &result);
  ck_assert_int_eq(status, result.status);
  free(workspace);
  blob_size = result.blob_size;
  if (status == OSPOLICY_OK) {
    ck_assert_int_eq(OSPolicy_ParseMacPolicy(blob, blob_size, &policy), OSPOLICY_OK);
  }
  return status;
}

static uint32_t id_of(const char *name) {
  uint32_t id = 0;
  ck_assert_int_eq(OSPolicy_FindMacLabel(&policy, name, strlen(name), &id), OSPOLICY_OK);
  return id;
}

static OSPolicy_MacDecision decide(const char *subject, const char *object, uint32_t op) {
  OSPolicy_MacDecision d;
  OSPolicy_Status status = OSPolicy_DecideMac(&policy, id_of(subject), id_of(object), op, &d);
  ck_assert_int_eq(status, d.status);
  ck_assert_int_eq(d.decision == OSPOLICY_DECISION_ALLOW, status == OSPOLICY_OK);
  return d;
}

static const char *base_policy =
    "mac 1\n"
    "# levels and categories\n"
    "level public 0\n"
    "level secret 2\n"
    "level internal 1\n"
    "category nuclear\n"
    "category crypto\n"
    "label alice secret nuclear crypto\n"  /* line 8 */
    "label bob internal\n"
    "label console public\n"
    "label plans secret nuclear\n"
    "label keys secret crypto\n"
    "label net public\n"
    "label eve internal\n";                /* line 14 */

START_TEST(bell_lapadula_is_the_default) {
  ck_assert_int_eq(compile_text(base_policy), OSPOLICY_OK);
  /* read down allowed, read up denied */
  OSPolicy_MacDecision d = decide("alice", "console", OSPOLICY_MAC_OP_READ);
  ck_assert_int_eq(d.status, OSPOLICY_OK);
  ck_assert_int_eq(d.rule, OSPOLICY_MAC_RULE_DEFAULT);
  d = decide("bob", "plans", OSPOLICY_MAC_OP_READ);
  ck_assert_int_eq(d.status, OSPOLICY_DENIED_MAC_READ_UP);
  ck_assert_int_eq(d.rule, OSPOLICY_MAC_RULE_DEFAULT);
  ck_assert_uint_eq(d.rule_line, 0);
  /* write down denied, write up allowed */
  ck_assert_int_eq(decide("alice", "console", OSPOLICY_MAC_OP_WRITE).status,
                   OSPOLICY_DENIED_MAC_WRITE_DOWN);
  ck_assert_int_eq(decide("bob", "plans", OSPOLICY_MAC_OP_WRITE).status, OSPOLICY_OK);
  /* categories: same level, the subject needs every category of the object */
  ck_assert_int_eq(decide("keys", "plans", OSPOLICY_MAC_OP_READ).status,
                   OSPOLICY_DENIED_MAC_READ_UP);
  ck_assert_int_eq(decide("alice", "plans", OSPOLICY_MAC_OP_READ).status, OSPOLICY_OK);
  ck_assert_int_eq(decide("plans", "alice", OSPOLICY_MAC_OP_READ).status,
                   OSPOLICY_DENIED_MAC_READ_UP);
  /* exec is like read, net like write, ipc needs both directions */
  ck_assert_int_eq(decide("bob", "plans", OSPOLICY_MAC_OP_EXEC).status,
                   OSPOLICY_DENIED_MAC_READ_UP);
  ck_assert_int_eq(decide("alice", "net", OSPOLICY_MAC_OP_NET).status,
                   OSPOLICY_DENIED_MAC_WRITE_DOWN);
  ck_assert_int_eq(decide("console", "net", OSPOLICY_MAC_OP_NET).status, OSPOLICY_OK);
  ck_assert_int_eq(decide("bob", "eve", OSPOLICY_MAC_OP_IPC).status, OSPOLICY_OK);
  ck_assert_int_eq(decide("bob", "alice", OSPOLICY_MAC_OP_IPC).status,
                   OSPOLICY_DENIED_MAC_READ_UP);
  ck_assert_int_eq(decide("alice", "bob", OSPOLICY_MAC_OP_IPC).status,
                   OSPOLICY_DENIED_MAC_WRITE_DOWN);
}
END_TEST

START_TEST(explicit_allow_lets_one_pair_through) {
  char text[2048];
  snprintf(text, sizeof text, "%sallow bob plans read\n", base_policy); /* line 15 */
  ck_assert_int_eq(compile_text(text), OSPOLICY_OK);
  OSPolicy_MacDecision d = decide("bob", "plans", OSPOLICY_MAC_OP_READ);
  ck_assert_int_eq(d.status, OSPOLICY_OK);
  ck_assert_int_eq(d.rule, OSPOLICY_MAC_RULE_ALLOW);
  ck_assert_uint_eq(d.rule_line, 15);
  ck_assert_int_eq(d.default_status, OSPOLICY_DENIED_MAC_READ_UP);
  /* only that pair and that operation */
  ck_assert_int_eq(decide("eve", "plans", OSPOLICY_MAC_OP_READ).status,
                   OSPOLICY_DENIED_MAC_READ_UP);
  ck_assert_int_eq(decide("bob", "plans", OSPOLICY_MAC_OP_EXEC).status,
                   OSPOLICY_DENIED_MAC_READ_UP);
  ck_assert_int_eq(decide("bob", "keys", OSPOLICY_MAC_OP_READ).status,
                   OSPOLICY_DENIED_MAC_READ_UP);
}
END_TEST

START_TEST(explicit_deny_overrides_default_and_allow) {
  char text[2048];
  snprintf(text, sizeof text,
           "%sdeny alice console read\n"        /* 15 */
           "allow bob plans read,write\n"       /* 16 */
           "deny bob plans write\n",            /* 17 */
           base_policy);
  ck_assert_int_eq(compile_text(text), OSPOLICY_OK);
  OSPolicy_MacDecision d = decide("alice", "console", OSPOLICY_MAC_OP_READ);
  ck_assert_int_eq(d.status, OSPOLICY_DENIED_MAC_DENY_RULE);
  ck_assert_int_eq(d.decision, OSPOLICY_DECISION_DENY);
  ck_assert_int_eq(d.rule, OSPOLICY_MAC_RULE_DENY);
  ck_assert_uint_eq(d.rule_line, 15);
  ck_assert_uint_eq(d.overridden_line, 0);
  ck_assert_int_eq(d.default_status, OSPOLICY_OK);
  d = decide("bob", "plans", OSPOLICY_MAC_OP_WRITE);
  ck_assert_int_eq(d.status, OSPOLICY_DENIED_MAC_DENY_RULE);
  ck_assert_uint_eq(d.rule_line, 17);
  ck_assert_uint_eq(d.overridden_line, 16);
  d = decide("bob", "plans", OSPOLICY_MAC_OP_READ);
  ck_assert_int_eq(d.status, OSPOLICY_OK);
  ck_assert_uint_eq(d.rule_line, 16);
  ck_assert_uint_eq(result.rule_count, 3);
}
END_TEST

START_TEST(unparsed_policy_denies) {
  OSPolicy_MacPolicy zero;
  memset(&zero, 0, sizeof zero);
  OSPolicy_MacDecision d;
  memset(&d, 0, sizeof d);
  ck_assert_int_eq(OSPolicy_DecideMac(&zero, 0, 0, OSPOLICY_MAC_OP_READ, &d),
                   OSPOLICY_ERR_PLAN_NOT_OK);
  ck_assert_int_eq(d.decision, OSPOLICY_DECISION_DENY);
  ck_assert_int_eq(OSPolicy_DecideMac(NULL, 0, 0, OSPOLICY_MAC_OP_READ, &d),
                   OSPOLICY_ERR_NULL_ARGUMENT);
  ck_assert_int_eq(d.decision, OSPOLICY_DECISION_DENY);
  ck_assert_int_eq(compile_text(base_policy), OSPOLICY_OK);
  ck_assert_int_eq(OSPolicy_DecideMac(&policy, 0, policy.label_count, OSPOLICY_MAC_OP_READ, &d),
                   OSPOLICY_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(d.decision, OSPOLICY_DECISION_DENY);
  ck_assert_int_eq(OSPolicy_DecideMac(&policy, 0, 0, 0, &d), OSPOLICY_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(OSPolicy_DecideMac(&policy, 0, 0, 6, &d), OSPOLICY_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(d.decision, OSPOLICY_DECISION_DENY);
}
END_TEST

START_TEST(names_are_found_and_described) {
  ck_assert_int_eq(compile_text(base_policy), OSPOLICY_OK);
  ck_assert_uint_eq(result.label_count, 7);
  ck_assert_uint_eq(result.level_count, 3);
  ck_assert_uint_eq(result.category_count, 2);
  uint32_t id = 99;
  ck_assert_int_eq(OSPolicy_FindMacLabel(&policy, "mallory", 7, &id), OSPOLICY_ERR_MAC_UNKNOWN_NAME);
  OSPolicy_MacLabel label;
  ck_assert_int_eq(OSPolicy_GetMacLabel(&policy, id_of("alice"), &label), OSPOLICY_OK);
  ck_assert_uint_eq(label.name_length, 5);
  ck_assert_int_eq(memcmp(label.name, "alice", 5), 0);
  ck_assert_uint_eq(label.level, 2);
  ck_assert_uint_eq(label.categories, 3); /* crypto (bit 0) and nuclear (bit 1): sorted */
  const char *name = NULL;
  size_t length = 0;
  ck_assert_int_eq(OSPolicy_GetMacLevelName(&policy, 1, &name, &length), OSPOLICY_OK);
  ck_assert_int_eq(memcmp(name, "internal", length), 0);
  ck_assert_int_eq(OSPolicy_GetMacLevelName(&policy, 7, &name, &length),
                   OSPOLICY_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(OSPolicy_GetMacCategoryName(&policy, 0, &name, &length), OSPOLICY_OK);
  ck_assert_int_eq(memcmp(name, "crypto", length), 0);
  ck_assert_int_eq(OSPolicy_GetMacLabel(&policy, 7, &label), OSPOLICY_ERR_INVALID_ARGUMENT);
  ck_assert_str_eq(OSPolicy_MacOpName(OSPOLICY_MAC_OP_IPC), "ipc");
  ck_assert_ptr_null(OSPolicy_MacOpName(0));
  ck_assert_uint_eq(OSPolicy_MacOpFromName("exec", 4), OSPOLICY_MAC_OP_EXEC);
  ck_assert_uint_eq(OSPolicy_MacOpFromName("exe", 3), OSPOLICY_MAC_OP_UNSET);
  ck_assert_str_eq(OSPolicy_MacRuleName(OSPOLICY_MAC_RULE_DENY), "deny");
}
END_TEST

/* ---- compile errors: status, line, column ---------------------------------- */

typedef struct bad_text {
  const char *text;
  OSPolicy_Status status;
  uint32_t line, column, other_line;
} bad_text;

static const bad_text bad_texts[] = {
    {"", OSPOLICY_ERR_MAC_SYNTAX, 1, 1, 0},
    {"level public 0\n", OSPOLICY_ERR_MAC_SYNTAX, 1, 1, 0},
    {"mac 2\n", OSPOLICY_ERR_MAC_SYNTAX, 1, 5, 0},
    {"mac 1\nmac 1\n", OSPOLICY_ERR_MAC_SYNTAX, 2, 1, 0},
    {"mac 1\nlevel public 0\n", OSPOLICY_ERR_MAC_SYNTAX, 3, 1, 0}, /* no label */
    {"mac 1\n  permit a b read\n", OSPOLICY_ERR_MAC_SYNTAX, 2, 3, 0},
    {"mac 1\nlevel public 256\n", OSPOLICY_ERR_MAC_SYNTAX, 2, 14, 0},
    {"mac 1\nlevel public 01\n", OSPOLICY_ERR_MAC_SYNTAX, 2, 14, 0},
    {"mac 1\nlevel public\n", OSPOLICY_ERR_MAC_SYNTAX, 2, 13, 0},
    {"mac 1\nlevel public 0 extra\n", OSPOLICY_ERR_MAC_SYNTAX, 2, 16, 0},
    {"mac 1\nlevel pub/lic 0\n", OSPOLICY_ERR_MAC_SYNTAX, 2, 7, 0},
    {"mac 1\nlevel caf\xc3\xa9 0\n", OSPOLICY_ERR_MAC_SYNTAX, 2, 10, 0},
    {"mac 1\nlevel a 0\nlevel a 1\n", OSPOLICY_ERR_MAC_DUPLICATE_NAME, 3, 7, 2},
    {"mac 1\nlevel a 0\nlevel b 0\n", OSPOLICY_ERR_MAC_DUPLICATE_NAME, 3, 9, 2},
    {"mac 1\nlevel a 0\nlabel x b\n", OSPOLICY_ERR_MAC_UNKNOWN_NAME, 3, 9, 0},
    {"mac 1\nlevel a 0\ncategory c\nlabel x a c d\n", OSPOLICY_ERR_MAC_UNKNOWN_NAME, 4, 13, 0},
    {"mac 1\nlevel a 0\ncategory c\nlabel x a c c\n", OSPOLICY_ERR_MAC_DUPLICATE_NAME, 4, 13, 0},
    {"mac 1\nlevel a 0\nlabel x a\nlabel x a\n", OSPOLICY_ERR_MAC_DUPLICATE_NAME, 4, 7, 3},
    {"mac 1\nlevel a 0\nlabel x a\nallow x y read\n", OSPOLICY_ERR_MAC_UNKNOWN_NAME, 4, 9, 0},
    {"mac 1\nlevel a 0\nlabel x a\nallow * x read\n", OSPOLICY_ERR_MAC_SYNTAX, 4, 7, 0},
    {"mac 1\nlevel a 0\nlabel x a\nallow x x read,wrte\n", OSPOLICY_ERR_MAC_SYNTAX, 4, 16, 0},
    {"mac 1\nlevel a 0\nlabel x a\nallow x x read,read\n", OSPOLICY_ERR_MAC_SYNTAX, 4, 16, 0},
    {"mac 1\nlevel a 0\nlabel x a\nallow x x read,\n", OSPOLICY_ERR_MAC_SYNTAX, 4, 16, 0},
    {"mac 1\nlevel a 0\nlabel x a\nallow x x\n", OSPOLICY_ERR_MAC_SYNTAX, 4, 10, 0},
    {"mac 1\nlevel a 0\nlabel x a\nallow x x read\ndeny x x read\nallow x x write,read\n",
     OSPOLICY_ERR_MAC_DUPLICATE_RULE, 6, 1, 4},
    {"mac 1\nlevel a 0\nlabel x a\nneverallow x z read\n", OSPOLICY_ERR_MAC_UNKNOWN_NAME, 4, 14, 0},
    {"mac 1\nlevel a 0\nlabel x a\nlabel y a\x01\n", OSPOLICY_ERR_MAC_SYNTAX, 4, 10, 0},
};

START_TEST(bad_text_is_refused_where_it_is) {
  const bad_text *b = &bad_texts[_i];
  ck_assert_msg(compile_text(b->text) == b->status, "case %d: got %s (%s)", _i,
                OSPolicy_StatusName(result.status), result.message);
  ck_assert_msg(result.line == b->line && result.column == b->column,
                "case %d: at %u:%u, expected %u:%u (%s)", _i, result.line, result.column, b->line,
                b->column, result.message);
  ck_assert_uint_eq(result.other_line, b->other_line);
  ck_assert_uint_eq(result.blob_size, 0);
  ck_assert_str_ne(result.message, "");
  /* offset and line:column agree */
  const char *p = b->text;
  for (uint32_t line = 1; line < b->line; p++) {
    line += *p == '\n';
  }
  ck_assert_uint_eq(result.offset, (size_t)(p - b->text) + b->column - 1u);
}
END_TEST

START_TEST(too_many_categories) {
  char text[4096] = "mac 1\nlevel a 0\n";
  for (int i = 0; i < 65; i++) {
    char line[32];
    snprintf(line, sizeof line, "category c%d\n", i);
    strcat(text, line);
  }
  ck_assert_int_eq(compile_text(text), OSPOLICY_ERR_MAC_TOO_MANY);
  ck_assert_uint_eq(result.line, 3 + 64);
}
END_TEST

/* ---- neverallow ------------------------------------------------------------- */

START_TEST(neverallow_names_both_rules) {
  char text[2048];
  snprintf(text, sizeof text,
           "%sallow console alice write\n"   /* 15: write up, BLP allows anyway */
           "allow bob plans read\n"          /* 16 */
           "neverallow bob plans read\n",    /* 17 */
           base_policy);
  ck_assert_int_eq(compile_text(text), OSPOLICY_ERR_MAC_NEVERALLOW);
  ck_assert_uint_eq(result.line, 17);
  ck_assert_uint_eq(result.column, 1);
  ck_assert_uint_eq(result.other_line, 16);
  ck_assert_uint_eq(result.other_column, 1);
  ck_assert_uint_eq(result.violation_rule, OSPOLICY_MAC_RULE_ALLOW);
  ck_assert_uint_eq(result.violation_op, OSPOLICY_MAC_OP_READ);
  ck_assert_uint_eq(result.blob_size, 0);
}
END_TEST

START_TEST(neverallow_sees_what_the_default_allows) {
  char text[2048];
  snprintf(text, sizeof text, "%sneverallow alice console read\n", base_policy); /* 15 */
  ck_assert_int_eq(compile_text(text), OSPOLICY_ERR_MAC_NEVERALLOW);
  ck_assert_uint_eq(result.line, 15);
  ck_assert_uint_eq(result.other_line, 0);
  ck_assert_uint_eq(result.violation_rule, OSPOLICY_MAC_RULE_DEFAULT);
  /* a deny rule satisfies it */
  snprintf(text, sizeof text, "%sdeny alice console read\nneverallow alice console read\n",
           base_policy);
  ck_assert_int_eq(compile_text(text), OSPOLICY_OK);
  ck_assert_uint_eq(result.neverallow_count, 1);
  /* a neverallow the default rule already guarantees */
  snprintf(text, sizeof text, "%sneverallow bob plans,keys read\n", base_policy);
  ck_assert_int_eq(compile_text(text), OSPOLICY_ERR_MAC_SYNTAX); /* one object per rule */
  snprintf(text, sizeof text, "%sneverallow console plans read,exec\nneverallow * * ipc\n",
           base_policy);
  ck_assert_int_eq(compile_text(text), OSPOLICY_ERR_MAC_NEVERALLOW);
  ck_assert_uint_eq(result.line, 16); /* x ipc x is always allowed by default */
}
END_TEST

/* ---- sizes ----------------------------------------------------------------- */

START_TEST(size_query_and_small_buffers) {
  const char *text = base_policy;
  size_t workspace_size = 0;
  ck_assert_int_eq(OSPolicy_GetMacCompileWorkspaceSize(text, strlen(text), &workspace_size),
                   OSPOLICY_OK);
  void *workspace = malloc(workspace_size);
  OSPolicy_MacCompileRequest request = {.text = text, .size = strlen(text), .workspace = workspace,
                                        .workspace_size = workspace_size};
  OSPolicy_MacCompileResult r;
  ck_assert_int_eq(OSPolicy_CompileMacPolicy(&request, &r), OSPOLICY_ERR_BUFFER_TOO_SMALL);
  ck_assert_uint_gt(r.blob_size, OSPOLICY_MAC_HEADER_SIZE);
  uint8_t *out = malloc(r.blob_size);
  request.out = out;
  request.out_capacity = r.blob_size - 1u;
  ck_assert_int_eq(OSPolicy_CompileMacPolicy(&request, &r), OSPOLICY_ERR_BUFFER_TOO_SMALL);
  request.out_capacity = r.blob_size;
  ck_assert_int_eq(OSPolicy_CompileMacPolicy(&request, &r), OSPOLICY_OK);
  request.workspace_size = workspace_size - 1u;
  ck_assert_int_eq(OSPolicy_CompileMacPolicy(&request, &r), OSPOLICY_ERR_BUFFER_TOO_SMALL);
  request.workspace = NULL;
  ck_assert_int_eq(OSPolicy_CompileMacPolicy(&request, &r), OSPOLICY_ERR_NULL_ARGUMENT);
  ck_assert_int_eq(OSPolicy_CompileMacPolicy(&request, NULL), OSPOLICY_ERR_NULL_ARGUMENT);
  ck_assert_int_eq(OSPolicy_GetMacCompileWorkspaceSize(NULL, 0, NULL), OSPOLICY_ERR_NULL_ARGUMENT);
  free(out);
  free(workspace);
}
END_TEST

/* ---- blob parser: every refusal with its offset and field ------------------ */

static uint8_t *copy;

static void put32(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)v;
  p[1] = (uint8_t)(v >> 8);
  p[2] = (uint8_t)(v >> 16);
  p[3] = (uint8_t)(v >> 24);
}

static void expect_parse(size_t size, OSPolicy_Status status, size_t offset, const char *field) {
  OSPolicy_MacPolicy p;
  ck_assert_msg(OSPolicy_ParseMacPolicy(copy, size, &p) == status, "expected %s, got %s (%s at %zu)",
                OSPolicy_StatusName(status), OSPolicy_StatusName(p.status), p.error_field,
                p.error_offset);
  ck_assert_int_eq(p.status, status);
  ck_assert_msg(p.error_offset == offset && strcmp(p.error_field, field) == 0,
                "expected %s at %zu, got %s at %zu", field, offset, p.error_field, p.error_offset);
  if (status != OSPOLICY_OK) {
    OSPolicy_MacDecision d;
    ck_assert_int_eq(OSPolicy_DecideMac(&p, 0, 0, OSPOLICY_MAC_OP_READ, &d),
                     OSPOLICY_ERR_PLAN_NOT_OK);
  }
}

START_TEST(blob_refusals_name_offset_and_field) {
  char text[2048];
  snprintf(text, sizeof text, "%sallow bob plans read\ndeny alice console read\n", base_policy);
  ck_assert_int_eq(compile_text(text), OSPOLICY_OK);
  copy = malloc(blob_size + 16);
  const OSPolicy_MacPolicy good = policy;
#define RESET() memcpy(copy, blob, blob_size)
  RESET();
  expect_parse(blob_size, OSPOLICY_OK, 0, "");
  expect_parse(47, OSPOLICY_ERR_MAC_BLOB_TRUNCATED, 47, "header");
  expect_parse(blob_size - 1, OSPOLICY_ERR_MAC_BLOB_TRUNCATED, blob_size - 1, "end");
  copy[blob_size] = 0;
  expect_parse(blob_size + 1, OSPOLICY_ERR_MAC_BLOB_TRAILING_DATA, blob_size, "end");
  copy[3] ^= 1;
  expect_parse(blob_size, OSPOLICY_ERR_MAC_BLOB_MALFORMED, 0, "magic");
  RESET();
  copy[8] = 2;
  expect_parse(blob_size, OSPOLICY_ERR_MAC_BLOB_VERSION, 8, "version");
  RESET();
  copy[12] = 1;
  expect_parse(blob_size, OSPOLICY_ERR_MAC_BLOB_MALFORMED, 12, "flags");
  RESET();
  put32(copy + 16, (uint32_t)blob_size + 4u);
  expect_parse(blob_size, OSPOLICY_ERR_MAC_BLOB_MALFORMED, 16, "total-size");
  RESET();
  put32(copy + 28, 0);
  expect_parse(blob_size, OSPOLICY_ERR_MAC_BLOB_MALFORMED, 28, "label-count");
  RESET();
  put32(copy + 36, 3);
  expect_parse(blob_size, OSPOLICY_ERR_MAC_BLOB_MALFORMED, 36, "bucket-count");
  RESET();
  put32(copy + 40, 0);
  expect_parse(blob_size, OSPOLICY_ERR_MAC_BLOB_MALFORMED, 40, "max-probe");
  /* labels: swap the first two names (unsorted), an undeclared level, a category beyond */
  RESET();
  uint8_t tmp[16];
  memcpy(tmp, copy + good.labels_offset, 16);
  memcpy(copy + good.labels_offset, copy + good.labels_offset + 16, 16);
  memcpy(copy + good.labels_offset + 16, tmp, 16);
  expect_parse(blob_size, OSPOLICY_ERR_MAC_BLOB_MALFORMED, good.labels_offset + 16, "labels.name");
  RESET();
  copy[good.labels_offset + 5] = 9;
  expect_parse(blob_size, OSPOLICY_ERR_MAC_BLOB_MALFORMED, good.labels_offset + 5, "labels.level");
  RESET();
  copy[good.labels_offset + 8] = 4;
  expect_parse(blob_size, OSPOLICY_ERR_MAC_BLOB_MALFORMED, good.labels_offset + 8,
               "labels.categories");
  RESET();
  copy[good.strings_offset] = '/';
  expect_parse(blob_size, OSPOLICY_ERR_MAC_BLOB_MALFORMED, good.levels_offset + 4, "levels.name");
  RESET();
  put32(copy + good.levels_offset, (uint32_t)(blob_size - good.strings_offset));
  expect_parse(blob_size, OSPOLICY_ERR_MAC_BLOB_MALFORMED, good.levels_offset, "levels.name");
  RESET();
  copy[good.levels_offset + 8 + 5] = copy[good.levels_offset + 5];
  expect_parse(blob_size, OSPOLICY_ERR_MAC_BLOB_MALFORMED, good.levels_offset + 8 + 5,
               "levels.value");
  /* rules */
  size_t r0 = good.rules_offset, r1 = good.rules_offset + OSPOLICY_MAC_RULE_SIZE;
  RESET();
  put32(copy + r0, good.label_count);
  expect_parse(blob_size, OSPOLICY_ERR_MAC_BLOB_MALFORMED, r0, "rules.subject");
  RESET();
  put32(copy + r0 + 4, 70000);
  expect_parse(blob_size, OSPOLICY_ERR_MAC_BLOB_MALFORMED, r0 + 4, "rules.object");
  RESET();
  copy[r0 + 8] = 6;
  expect_parse(blob_size, OSPOLICY_ERR_MAC_BLOB_MALFORMED, r0 + 8, "rules.op");
  RESET();
  copy[r0 + 9] = 4;
  expect_parse(blob_size, OSPOLICY_ERR_MAC_BLOB_MALFORMED, r0 + 9, "rules.effects");
  RESET();
  copy[r0 + 11] = 1;
  expect_parse(blob_size, OSPOLICY_ERR_MAC_BLOB_MALFORMED, r0 + 10, "rules.reserved");
  RESET();
  copy[r0 + 9] = 3; /* both effects, but only one line */
  expect_parse(blob_size, OSPOLICY_ERR_MAC_BLOB_MALFORMED,
               r0 + (copy[r0 + 12] == 0 ? 12 : 16),
               copy[r0 + 12] == 0 ? "rules.allow-line" : "rules.deny-line");
  RESET();
  memcpy(copy + r0, copy + r1, OSPOLICY_MAC_RULE_SIZE); /* the same rule twice */
  expect_parse(blob_size, OSPOLICY_ERR_MAC_BLOB_MALFORMED, r1, "rules.order");
  /* index: a bucket pointing past the rules, a lost rule, a probe bound too short */
  RESET();
  size_t b0 = good.buckets_offset;
  size_t empty = b0, full = b0;
  for (uint32_t i = 0; i < good.bucket_count; i++) {
    uint32_t v = copy[b0 + 4 * i];
    if (v == 0) {
      empty = b0 + 4 * i;
    } else {
      full = b0 + 4 * i;
    }
  }
  put32(copy + empty, good.rule_count + 1);
  expect_parse(blob_size, OSPOLICY_ERR_MAC_BLOB_MALFORMED, empty, "buckets");
  RESET();
  put32(copy + full, 0);
  expect_parse(blob_size, OSPOLICY_ERR_MAC_BLOB_MALFORMED, b0, "buckets");
  RESET();
  uint32_t v = copy[full];
  put32(copy + full, 0);
  put32(copy + empty, v); /* the rule moves to a bucket its lookup never reaches */
  OSPolicy_MacPolicy p;
  OSPolicy_Status s = OSPolicy_ParseMacPolicy(copy, blob_size, &p);
  ck_assert_int_eq(s, OSPOLICY_ERR_MAC_BLOB_MALFORMED);
  ck_assert_str_eq(p.error_field, "buckets.lookup");
  ck_assert_uint_eq(p.error_offset, r0 + (v - 1u) * OSPOLICY_MAC_RULE_SIZE);
  free(copy);
#undef RESET
}
END_TEST

/* ---- signed policies (OSPolicy::crypto) -------------------------------------- */

static size_t sign_data(const uint8_t sk[64], const char *name, const uint8_t *object, size_t size,
                        uint8_t *envelope) {
  OSPolicy_ModsignSignRequest request = {.kind = OSPOLICY_MODSIGN_KIND_DATA, .name = name,
                                         .name_length = strlen(name), .generation = 1};
  size_t envelope_size = 0;
  ck_assert_int_eq(OSPolicy_SignModsign(sk, &request, object, size, envelope,
                                        OSPOLICY_MODSIGN_ENVELOPE_MAX_SIZE, &envelope_size),
                   OSPOLICY_OK);
  return envelope_size;
}

START_TEST(signed_policy_loads_only_verified) {
  ck_assert_int_ge(sodium_init(), 0);
  ck_assert_int_eq(compile_text(base_policy), OSPOLICY_OK);
  uint8_t pk[32], sk[64], other_pk[32], other_sk[64], id[8];
  crypto_sign_keypair(pk, sk);
  crypto_sign_keypair(other_pk, other_sk);
  static OSPolicy_ModsignTrustSet trust; /* not enforcing: unsigned must still be refused */
  memset(&trust, 0, sizeof trust);
  ck_assert_int_eq(OSPolicy_InitModsignTrustSet(&trust), OSPOLICY_OK);
  ck_assert_int_eq(OSPolicy_ComputeModsignKeyId(pk, id), OSPOLICY_OK);
  ck_assert_int_eq(OSPolicy_AddModsignKey(&trust, id, pk), OSPOLICY_OK);
  uint8_t envelope[OSPOLICY_MODSIGN_ENVELOPE_MAX_SIZE];
  size_t envelope_size = sign_data(sk, "mac.policy", blob, blob_size, envelope);
  OSPolicy_MacSignedBlob sb = {.blob = blob, .blob_size = blob_size, .envelope = envelope,
                               .envelope_size = envelope_size, .name = "mac.policy",
                               .name_length = 10};
  OSPolicy_ModsignResult sig;
  OSPolicy_MacPolicy p;
  OSPolicy_MacDecision d;
  ck_assert_int_eq(OSPolicy_LoadSignedMacPolicy(&trust, &sb, &sig, &p), OSPOLICY_OK);
  ck_assert_int_eq(OSPolicy_DecideMac(&p, 0, 0, OSPOLICY_MAC_OP_READ, &d), OSPOLICY_OK);
  /* unsigned, another name, another key: refused, and the policy denies everything */
  OSPolicy_MacSignedBlob unsigned_blob = sb;
  unsigned_blob.envelope = NULL;
  unsigned_blob.envelope_size = 0;
  ck_assert_int_eq(OSPolicy_LoadSignedMacPolicy(&trust, &unsigned_blob, &sig, &p),
                   OSPOLICY_DENIED_MODSIGN_NO_SIGNATURE);
  ck_assert_str_eq(p.error_field, "signature");
  ck_assert_int_eq(OSPolicy_DecideMac(&p, 0, 0, OSPOLICY_MAC_OP_READ, &d), OSPOLICY_ERR_PLAN_NOT_OK);
  OSPolicy_MacSignedBlob renamed = sb;
  renamed.name = "other.policy";
  renamed.name_length = 12;
  ck_assert_int_eq(OSPolicy_LoadSignedMacPolicy(&trust, &renamed, &sig, &p),
                   OSPOLICY_DENIED_MODSIGN_WRONG_OBJECT);
  uint8_t other_envelope[OSPOLICY_MODSIGN_ENVELOPE_MAX_SIZE];
  OSPolicy_MacSignedBlob foreign = sb;
  foreign.envelope = other_envelope;
  foreign.envelope_size = sign_data(other_sk, "mac.policy", blob, blob_size, other_envelope);
  ck_assert_int_eq(OSPolicy_LoadSignedMacPolicy(&trust, &foreign, &sig, &p),
                   OSPOLICY_DENIED_MODSIGN_UNKNOWN_KEY);
  ck_assert_int_eq(OSPolicy_DecideMac(&p, 0, 0, OSPOLICY_MAC_OP_READ, &d), OSPOLICY_ERR_PLAN_NOT_OK);
  /* one flipped byte of the blob (its magic) */
  blob[0] ^= 1u;
  ck_assert_int_eq(OSPolicy_LoadSignedMacPolicy(&trust, &sb, &sig, &p),
                   OSPOLICY_DENIED_MODSIGN_DIGEST_MISMATCH);
  /* a well-signed blob that does not parse is refused by the parser */
  envelope_size = sign_data(sk, "mac.policy", blob, blob_size, envelope);
  sb.envelope_size = envelope_size;
  ck_assert_int_eq(OSPolicy_LoadSignedMacPolicy(&trust, &sb, &sig, &p), OSPOLICY_ERR_MAC_BLOB_MALFORMED);
  ck_assert_str_eq(p.error_field, "magic");
  ck_assert_int_eq(OSPolicy_LoadSignedMacPolicy(NULL, &sb, &sig, &p), OSPOLICY_ERR_NULL_ARGUMENT);
  ck_assert_int_eq(OSPolicy_DecideMac(&p, 0, 0, OSPOLICY_MAC_OP_READ, &d), OSPOLICY_ERR_PLAN_NOT_OK);
}
END_TEST

/* ---- property: decisions match a linear reference over random policies ------- */

typedef struct ref_rule {
  uint32_t subject, object, op, effect, line;
} ref_rule;

static uint64_t rng = 0x123456789ABCDEFULL;
static uint64_t next_random(void) {
  rng ^= rng >> 12;
  rng ^= rng << 25;
  rng ^= rng >> 27;
  return rng * 0x2545F4914F6CDD1DULL;
}

START_TEST(random_policies_match_a_linear_reference) {
  enum { LABELS = 40, RULE_LINES = 400, QUERIES = 20000 };
  static char text[64 * 1024];
  static ref_rule refs[RULE_LINES * 5];
  static uint32_t level[LABELS];
  static uint64_t cats[LABELS];
  for (int round = 0; round < 5; round++) {
    size_t n = 0, ref_count = 0;
    uint32_t line = 1;
    n += (size_t)snprintf(text + n, sizeof text - n, "mac 1\n");
    line++;
    for (int l = 0; l < 4; l++, line++) {
      n += (size_t)snprintf(text + n, sizeof text - n, "level l%d %d\n", l, l * 10);
    }
    for (int c = 0; c < 6; c++, line++) {
      n += (size_t)snprintf(text + n, sizeof text - n, "category c%d\n", c);
    }
    for (int i = 0; i < LABELS; i++, line++) {
      level[i] = (uint32_t)(next_random() % 4);
      cats[i] = next_random() % 64;
      n += (size_t)snprintf(text + n, sizeof text - n, "label x%02d l%u", i, level[i]);
      for (int c = 0; c < 6; c++) {
        if ((cats[i] >> c & 1u) != 0u) {
          n += (size_t)snprintf(text + n, sizeof text - n, " c%d", c);
        }
      }
      n += (size_t)snprintf(text + n, sizeof text - n, "\n");
    }
    for (int r = 0; r < RULE_LINES; r++) {
      uint32_t s = (uint32_t)(next_random() % LABELS), o = (uint32_t)(next_random() % LABELS);
      uint32_t effect = next_random() % 3 == 0 ? 2u : 1u;
      uint32_t op = 1u + (uint32_t)(next_random() % 5);
      bool duplicate = false;
      for (size_t k = 0; k < ref_count; k++) {
        duplicate |= refs[k].subject == s && refs[k].object == o && refs[k].op == op &&
                     refs[k].effect == effect;
      }
      if (duplicate) {
        continue;
      }
      refs[ref_count++] = (ref_rule){s, o, op, effect, line};
      n += (size_t)snprintf(text + n, sizeof text - n, "%s x%02u x%02u %s\n",
                            effect == 2 ? "deny" : "allow", s, o, OSPolicy_MacOpName(op));
      line++;
    }
    ck_assert_int_eq(compile_text(text), OSPOLICY_OK);
    for (int q = 0; q < QUERIES; q++) {
      uint32_t s = (uint32_t)(next_random() % LABELS), o = (uint32_t)(next_random() % LABELS);
      uint32_t op = 1u + (uint32_t)(next_random() % 5);
      /* reference: linear scan, deny > allow > Bell-LaPadula */
      uint32_t deny_line = 0, allow_line = 0;
      for (size_t k = 0; k < ref_count; k++) {
        if (refs[k].subject == s && refs[k].object == o && refs[k].op == op) {
          *(refs[k].effect == 2 ? &deny_line : &allow_line) = refs[k].line;
        }
      }
      bool read_ok = level[s] >= level[o] && (cats[o] & ~cats[s]) == 0;
      bool write_ok = level[o] >= level[s] && (cats[s] & ~cats[o]) == 0;
      bool blp = op == OSPOLICY_MAC_OP_READ || op == OSPOLICY_MAC_OP_EXEC ? read_ok
                 : op == OSPOLICY_MAC_OP_IPC                             ? read_ok && write_ok
                                                                         : write_ok;
      bool allowed = deny_line != 0 ? false : allow_line != 0 ? true : blp;
      /* label ids are the sorted positions of "x00".."x39": the numbers */
      OSPolicy_MacDecision d;
      OSPolicy_Status st = OSPolicy_DecideMac(&policy, s, o, op, &d);
      uint32_t rule = deny_line != 0   ? OSPOLICY_MAC_RULE_DENY
                      : allow_line != 0 ? OSPOLICY_MAC_RULE_ALLOW
                                        : OSPOLICY_MAC_RULE_DEFAULT;
      /* Check reports every ck_assert to its parent: assert only on a mismatch */
      if (allowed != (st == OSPOLICY_OK) || st != d.status ||
          d.rule_line != (deny_line != 0 ? deny_line : allow_line) || d.rule != rule ||
          (d.default_status == OSPOLICY_OK) != blp) {
        ck_abort_msg("round %d query %d: x%02u x%02u %s: got %s rule %u line %u", round, q, s, o,
                     OSPolicy_MacOpName(op), OSPolicy_StatusName(st), d.rule, d.rule_line);
      }
    }
  }
}
END_TEST

Suite *mac_suite(void);
Suite *mac_suite(void) {
  Suite *suite = suite_create("mac");
  TCase *tc = tcase_create("rules");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, bell_lapadula_is_the_default);
  tcase_add_test(tc, explicit_allow_lets_one_pair_through);
  tcase_add_test(tc, explicit_deny_overrides_default_and_allow);
  tcase_add_test(tc, unparsed_policy_denies);
  tcase_add_test(tc, names_are_found_and_described);
  tcase_add_loop_test(tc, bad_text_is_refused_where_it_is, 0,
                      (int)(sizeof bad_texts / sizeof bad_texts[0]));
  tcase_add_test(tc, too_many_categories);
  tcase_add_test(tc, neverallow_names_both_rules);
  tcase_add_test(tc, neverallow_sees_what_the_default_allows);
  tcase_add_test(tc, size_query_and_small_buffers);
  tcase_add_test(tc, blob_refusals_name_offset_and_field);
  tcase_add_test(tc, random_policies_match_a_linear_reference);
  tcase_add_test(tc, signed_policy_loads_only_verified);
  suite_add_tcase(suite, tc);
  return suite;
}
