/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * MAC figures: OSPolicy_DecideMac on policies with 10 and 10,000 rules (half
 * the queries hit a rule, half fall through to Bell-LaPadula), each beside a
 * linear scan over the same rules for the same queries, measured in this run;
 * and compiling a 10,000-rule policy beside validating the blob it produced.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ospolicy/mac.h"
#include "timing.h"

#define QUERIES 4096u
#define LABELS 1000u

typedef struct rule {
  uint32_t subject, object, op, deny;
} rule;

typedef struct state {
  OSPolicy_MacPolicy policy;
  rule *rules;
  uint32_t rule_count;
  uint32_t query[QUERIES][3];
  uint8_t level[LABELS];
  unsigned next;
  unsigned sink;
  /* compile inputs */
  const char *text;
  size_t text_size;
  void *workspace;
  size_t workspace_size;
  uint8_t *blob;
  size_t blob_size;
} state;

static void decide_one(void *arg) {
  state *s = arg;
  const uint32_t *q = s->query[s->next++ & (QUERIES - 1u)];
  OSPolicy_MacDecision d;
  s->sink += OSPolicy_DecideMac(&s->policy, q[0], q[1], q[2], &d) == OSPOLICY_OK;
}

static void scan_one(void *arg) {
  state *s = arg;
  const uint32_t *q = s->query[s->next++ & (QUERIES - 1u)];
  int found = -1;
  for (uint32_t i = 0; i < s->rule_count; i++) {
    const rule *r = &s->rules[i];
    if (r->subject == q[0] && r->object == q[1] && r->op == q[2]) {
      found = (int)r->deny;
      break;
    }
  }
  unsigned allowed = found == 0 ? 1u : found == 1 ? 0u : s->level[q[0]] >= s->level[q[1]];
  s->sink += allowed;
}

static void compile_once(void *arg) {
  state *s = arg;
  OSPolicy_MacCompileRequest request = {.text = s->text, .size = s->text_size,
                                        .workspace = s->workspace,
                                        .workspace_size = s->workspace_size, .out = s->blob,
                                        .out_capacity = s->blob_size};
  OSPolicy_MacCompileResult result;
  if (OSPolicy_CompileMacPolicy(&request, &result) != OSPOLICY_OK) {
    abort();
  }
}

static void parse_once(void *arg) {
  state *s = arg;
  OSPolicy_MacPolicy policy;
  if (OSPolicy_ParseMacPolicy(s->blob, s->blob_size, &policy) != OSPOLICY_OK) {
    abort();
  }
}

/* Builds the text and compiles it; names are sorted as "x%04u" so ids
 * equal the numbers used here. */
static char *make_policy(state *s, uint32_t rules) {
  size_t capacity = 64u + LABELS * 32u + (size_t)rules * 48u;
  char *text = malloc(capacity);
  size_t n = (size_t)snprintf(text, capacity, "mac 1\nlevel low 0\nlevel mid 1\nlevel high 2\n");
  srand(5);
  for (uint32_t i = 0; i < LABELS; i++) {
    s->level[i] = (uint8_t)(rand() % 3);
    n += (size_t)snprintf(text + n, capacity - n, "label x%04u %s\n", i,
                          s->level[i] == 0 ? "low" : s->level[i] == 1 ? "mid" : "high");
  }
  s->rules = calloc(rules, sizeof(rule));
  s->rule_count = rules;
  for (uint32_t i = 0; i < rules; i++) {
    /* distinct triples: subject i % LABELS, object by a bijective stride */
    rule *r = &s->rules[i];
    r->subject = i % LABELS;
    r->object = (i / LABELS * 7u + i * 13u) % LABELS;
    r->op = OSPOLICY_MAC_OP_READ;
    r->deny = i % 2u;
    n += (size_t)snprintf(text + n, capacity - n, "%s x%04u x%04u read\n",
                          r->deny ? "deny" : "allow", r->subject, r->object);
  }
  s->text = text;
  s->text_size = n;
  if (OSPolicy_GetMacCompileWorkspaceSize(text, n, &s->workspace_size) != OSPOLICY_OK) {
    abort();
  }
  s->workspace = malloc(s->workspace_size);
  OSPolicy_MacCompileRequest request = {.text = text, .size = n, .workspace = s->workspace,
                                        .workspace_size = s->workspace_size};
  OSPolicy_MacCompileResult result;
  if (OSPolicy_CompileMacPolicy(&request, &result) != OSPOLICY_ERR_BUFFER_TOO_SMALL) {
    fprintf(stderr, "bench_mac: %u:%u: %s\n", result.line, result.column, result.message);
    abort();
  }
  s->blob_size = result.blob_size;
  s->blob = malloc(s->blob_size);
  compile_once(s);
  if (OSPolicy_ParseMacPolicy(s->blob, s->blob_size, &s->policy) != OSPOLICY_OK ||
      s->policy.rule_count != rules) {
    abort();
  }
  for (uint32_t q = 0; q < QUERIES; q++) {
    if (q % 2u == 0u) { /* a rule */
      const rule *r = &s->rules[(uint32_t)rand() % rules];
      s->query[q][0] = r->subject;
      s->query[q][1] = r->object;
      s->query[q][2] = r->op;
    } else { /* no rule: write ops are never named */
      s->query[q][0] = (uint32_t)rand() % LABELS;
      s->query[q][1] = (uint32_t)rand() % LABELS;
      s->query[q][2] = OSPOLICY_MAC_OP_WRITE;
    }
  }
  return text;
}

static void release(state *s, char *text) {
  free(text);
  free(s->rules);
  free(s->workspace);
  free(s->blob);
}

int main(void) {
  static state s;
  const uint32_t sizes[2] = {10u, 10000u};
  for (int k = 0; k < 2; k++) {
    char *text = make_policy(&s, sizes[k]);
    printf("policy: %u labels, %u rules, %zu-byte blob, max probe %u\n", LABELS,
           s.policy.rule_count, s.blob_size, s.policy.max_probe);
    double decide = bench_best_ns_per_iter(decide_one, &s, 2000000u, 7u);
    double scan = bench_best_ns_per_iter(scan_one, &s, sizes[k] > 100u ? 20000u : 2000000u, 7u);
    char name[64];
    snprintf(name, sizeof name, "decide, %u rules (hashed)", sizes[k]);
    bench_report(name, decide, "linear scan, same queries", scan, "ns");
    if (sizes[k] == 10000u) {
      double compile = bench_best_ns_per_iter(compile_once, &s, 5u, 5u);
      double parse = bench_best_ns_per_iter(parse_once, &s, 50u, 5u);
      printf("compile 10000 rules: %.2f ms (%zu bytes of text)\n", compile / 1e6, s.text_size);
      bench_report("compile, 10000 rules", compile / 1e3, "validate the blob (parse)", parse / 1e3,
                   "us");
    }
    release(&s, text);
  }
  return s.sink == 0u;
}
