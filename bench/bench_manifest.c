/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * Manifest figures: throughput (MB/s) of OSPolicy_ValidateManifest (strict
 * parse + schema validation) on the shipped examples and on generated worst
 * cases at the 64 KiB size limit, each beside a tokenizer-only pass
 * (OSPolicy_ScanJson) over the same bytes in the same run. Then the growth
 * check: every worst case at 16 KiB and at 64 KiB, printing both times and
 * their ratio (near-linear cost means about 4x, at most about 5x).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ospolicy/json.h"
#include "ospolicy/manifest.h"
#include "timing.h"

typedef struct input {
  const char *name;
  char *text;
  size_t size;
  size_t max_size;
  OSPolicy_Status expected; /* what validation must return */
  void *workspace;
  size_t workspace_size;
  OSPolicy_ManifestResult *result;
} input;

static void validate_once(void *arg) {
  input *in = arg;
  OSPolicy_ManifestRequest request = {.text = in->text, .size = in->size,
                                      .max_size = in->max_size, .workspace = in->workspace,
                                      .workspace_size = in->workspace_size};
  if (OSPolicy_ValidateManifest(&request, in->result) != in->expected) {
    fprintf(stderr, "%s: unexpected status %s\n", in->name,
            OSPolicy_StatusName(in->result->status));
    abort();
  }
}

static void scan_once(void *arg) {
  input *in = arg;
  OSPolicy_JsonRequest request = {
      .text = in->text, .size = in->size,
      .limits = {.max_depth = OSPOLICY_MANIFEST_MAX_DEPTH,
                 .max_string_bytes = OSPOLICY_MANIFEST_MAX_STRING}};
  OSPolicy_JsonDocument doc;
  if (OSPolicy_ScanJson(&request, &doc) != OSPOLICY_OK) {
    fprintf(stderr, "%s: scan failed: %s at %zu\n", in->name, doc.error_message,
            doc.error_offset);
    abort();
  }
}

static void prepare(input *in) {
  if (OSPolicy_GetManifestWorkspaceSize(in->size, &in->workspace_size) != OSPOLICY_OK) {
    abort();
  }
  in->workspace = malloc(in->workspace_size);
  in->result = malloc(sizeof *in->result);
  if (in->workspace == NULL || in->result == NULL) {
    abort();
  }
}

static void release(input *in) {
  free(in->workspace);
  free(in->result);
  free(in->text);
}

static unsigned iterations_for(size_t size) {
  size_t n = ((size_t)8 << 20) / (size + 1);
  return n < 20 ? 20u : (n > 200000 ? 200000u : (unsigned)n);
}

static double ns_per_op(void (*fn)(void *), input *in) {
  return bench_best_ns_per_iter(fn, in, iterations_for(in->size), 7);
}

static double megabytes_per_second(size_t size, double ns) {
  return ns > 0.0 ? (double)size / ns * 1e9 / 1e6 : 0.0;
}

static void report_throughput(input *in) {
  prepare(in);
  double validate_ns = ns_per_op(validate_once, in);
  double scan_ns = ns_per_op(scan_once, in);
  char label[96];
  snprintf(label, sizeof label, "%s (%zu B)", in->name, in->size);
  bench_report(label, megabytes_per_second(in->size, validate_ns), "tokenizer-only scan",
               megabytes_per_second(in->size, scan_ns), "MB/s");
}

/* ------------------------------------------------------------ generators */

typedef struct builder {
  char *text;
  size_t length;
  size_t capacity;
} builder;

static void put(builder *b, const char *s) {
  size_t n = strlen(s);
  if (b->length + n + 1 > b->capacity) {
    abort();
  }
  memcpy(b->text + b->length, s, n + 1);
  b->length += n;
}

/* Pads with spaces before `tail` so the text is exactly `size` bytes. */
static char *finish(builder *b, const char *tail, size_t size, size_t *out_size) {
  size_t n = strlen(tail);
  while (b->length + n < size) {
    put(b, " ");
  }
  put(b, tail);
  *out_size = b->length;
  return b->text;
}

static builder start(size_t size) {
  builder b = {malloc(size + 256), 0, size + 256};
  if (b.text == NULL) {
    abort();
  }
  put(&b, "{\"manifestVersion\":1,\"name\":\"bench\",\"entry\":\"/app/bin/bench\"");
  return b;
}

/* Thousands of env keys: a valid manifest, every name checked for
 * duplicates (case folded) through the sort. */
static char *gen_env_keys(size_t size, size_t *out) {
  builder b = start(size);
  put(&b, ",\"env\":[");
  char entry[96];
  for (unsigned i = 0;; i++) {
    snprintf(entry, sizeof entry, "%s{\"name\":\"KEY_%u\",\"value\":\"v%u\"}", i ? "," : "", i, i);
    if (b.length + strlen(entry) + 3 > size || i == OSPOLICY_MANIFEST_MAX_ENV) {
      break;
    }
    put(&b, entry);
  }
  put(&b, "]");
  return finish(&b, "}", size, out);
}

/* The deepest nesting the manifest parser allows (16), repeated to the size
 * limit inside one field the schema does not know: the whole text is parsed,
 * then one unknown-field finding. */
static char *gen_deep(size_t size, size_t *out) {
  builder b = start(size);
  put(&b, ",\"x\":[");
  const char *unit = "[[[[[[[[[[[[[[0]]]]]]]]]]]]]]"; /* depth 2 + 14 = 16 */
  for (unsigned i = 0;; i++) {
    if (b.length + strlen(unit) + 4 > size) {
      break;
    }
    if (i) {
      put(&b, ",");
    }
    put(&b, unit);
  }
  put(&b, "]");
  return finish(&b, "}", size, out);
}

/* One object with thousands of distinct member names: the parser's
 * duplicate-name sort at its largest. */
static char *gen_wide_object(size_t size, size_t *out) {
  builder b = start(size);
  put(&b, ",\"x\":{");
  char member[48];
  for (unsigned i = 0;; i++) {
    snprintf(member, sizeof member, "%s\"m%u\":0", i ? "," : "", i);
    if (b.length + strlen(member) + 3 > size) {
      break;
    }
    put(&b, member);
  }
  put(&b, "}");
  return finish(&b, "}", size, out);
}

/* Escape-heavy strings: env values of \u00e9 and surrogate pairs, decoded
 * and checked for invisible characters. */
static char *gen_escapes(size_t size, size_t *out) {
  builder b = start(size);
  put(&b, ",\"env\":[");
  char head[48];
  for (unsigned i = 0;; i++) {
    snprintf(head, sizeof head, "%s{\"name\":\"E%u\",\"value\":\"", i ? "," : "", i);
    const char *unit = "\\u00e9\\ud83d\\ude00x";
    size_t units = 96; /* 96 * 4..5 decoded bytes stays under 4096 */
    size_t need = strlen(head) + units * strlen(unit) + 8;
    if (b.length + need > size) {
      break;
    }
    put(&b, head);
    for (size_t u = 0; u < units; u++) {
      put(&b, unit);
    }
    put(&b, "\"}");
  }
  put(&b, "]");
  return finish(&b, "}", size, out);
}

typedef struct generator {
  const char *name;
  char *(*make)(size_t size, size_t *out);
  OSPolicy_Status expected;
} generator;

static char *read_example(const char *name, size_t *size) {
  char path[512];
  snprintf(path, sizeof path, "%s/examples/manifest/%s", OSPOLICY_SOURCE_DIR, name);
  FILE *f = fopen(path, "rb");
  if (f == NULL) {
    fprintf(stderr, "cannot open %s\n", path);
    exit(1);
  }
  char *text = malloc(1 << 20);
  *size = fread(text, 1, 1 << 20, f);
  fclose(f);
  return text;
}

int main(void) {
  printf("== manifest validation vs tokenizer-only scan (best of 7 rounds) ==\n");
  static const char *examples[] = {"minimal.json", "service.json", "reject-many-problems.json"};
  static const OSPolicy_Status example_status[] = {OSPOLICY_OK, OSPOLICY_OK,
                                                   OSPOLICY_ERR_MANIFEST_BAD_VALUE};
  for (size_t i = 0; i < sizeof examples / sizeof examples[0]; i++) {
    input in = {.name = examples[i], .expected = example_status[i]};
    in.text = read_example(examples[i], &in.size);
    report_throughput(&in);
    release(&in);
  }

  static const generator generators[] = {
      {"worst: thousands of env keys", gen_env_keys, OSPOLICY_OK},
      {"worst: deepest nesting (16), repeated", gen_deep, OSPOLICY_ERR_MANIFEST_UNKNOWN_FIELD},
      {"worst: one object, thousands of names", gen_wide_object,
       OSPOLICY_ERR_MANIFEST_UNKNOWN_FIELD},
      {"worst: escape-heavy strings", gen_escapes, OSPOLICY_OK},
  };
  size_t count = sizeof generators / sizeof generators[0];
  double small_ns[8], large_ns[8];
  for (size_t g = 0; g < count; g++) {
    input in = {.name = generators[g].name, .expected = generators[g].expected};
    in.text = generators[g].make(OSPOLICY_MANIFEST_DEFAULT_MAX_SIZE, &in.size);
    report_throughput(&in);
    large_ns[g] = ns_per_op(validate_once, &in);
    release(&in);
    input quarter = {.name = generators[g].name, .expected = generators[g].expected};
    quarter.text = generators[g].make(OSPOLICY_MANIFEST_DEFAULT_MAX_SIZE / 4, &quarter.size);
    prepare(&quarter);
    small_ns[g] = ns_per_op(validate_once, &quarter);
    release(&quarter);
  }

  printf("\n== growth: validation time at 64 KiB against 16 KiB (4x the input) ==\n");
  int too_steep = 0;
  for (size_t g = 0; g < count; g++) {
    char label[96];
    snprintf(label, sizeof label, "%s @64K", generators[g].name + 7);
    bench_report(label, large_ns[g] / 1000.0, "same @16K", small_ns[g] / 1000.0, "us");
    if (large_ns[g] > 5.0 * small_ns[g]) {
      too_steep = 1;
    }
  }
  printf("growth %s: every 4x input costs %s 5x the time\n", too_steep ? "STEEP" : "near-linear",
         too_steep ? "more than" : "at most");
  return 0;
}
