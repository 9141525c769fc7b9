/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * Manifest figures: throughput (MB/s) of OSPolicy_ValidateManifest (strict
 * parse + schema validation) on the shipped examples and on generated worst
 * cases at the 64 KiB size limit (and one at the 16 MiB ceiling), each beside
 * the parse alone (OSPolicy_ParseJson with the same limits, tokens, strings
 * and duplicate-name check) over the same bytes in the same run: the ratio is
 * what schema validation adds (goal: validation within 1.5x of the parse).
 * Then the growth check: every worst case at 16 KiB and at 64 KiB, printing
 * both times and their ratio (4x the input; goal: under 4.4x), beside the
 * parse's own growth. Times are the measuring thread's CPU time, best of 9
 * rounds, so that other processes on the machine do not skew the ratios.
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
  OSPolicy_JsonToken *tokens; /* parse-only baseline */
  size_t token_capacity;
  char *strings;
  size_t string_capacity;
  uint32_t *scratch;
  size_t scratch_capacity;
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

/* The parse the validator starts with, alone: same limits as the manifest
 * validator uses, tokens and decoded strings stored, duplicate names checked. */
static void parse_once(void *arg) {
  input *in = arg;
  OSPolicy_JsonRequest request = {
      .text = in->text, .size = in->size,
      .limits = {.max_depth = OSPOLICY_MANIFEST_MAX_DEPTH,
                 .max_string_bytes = OSPOLICY_MANIFEST_MAX_STRING,
                 .max_members = OSPOLICY_JSON_DEFAULT_MEMBERS},
      .tokens = in->tokens, .token_capacity = in->token_capacity,
      .strings = in->strings, .string_capacity = in->string_capacity,
      .scratch = in->scratch, .scratch_capacity = in->scratch_capacity};
  OSPolicy_JsonDocument doc;
  if (OSPolicy_ParseJson(&request, &doc) != OSPOLICY_OK) {
    fprintf(stderr, "%s: parse failed: %s at %zu\n", in->name, doc.error_message,
            doc.error_offset);
    abort();
  }
}

static void prepare(input *in) {
  if (OSPolicy_GetManifestWorkspaceSize(in->size, &in->workspace_size) != OSPOLICY_OK ||
      OSPolicy_GetJsonWorkspaceSizes(in->size, &in->token_capacity, &in->string_capacity,
                                     &in->scratch_capacity) != OSPOLICY_OK) {
    abort();
  }
  in->workspace = malloc(in->workspace_size);
  in->result = malloc(sizeof *in->result);
  in->tokens = malloc(in->token_capacity * sizeof *in->tokens);
  in->strings = malloc(in->string_capacity);
  in->scratch = malloc(in->scratch_capacity * sizeof *in->scratch);
  if (in->workspace == NULL || in->result == NULL || in->tokens == NULL || in->strings == NULL ||
      in->scratch == NULL) {
    abort();
  }
}

static void release(input *in) {
  free(in->workspace);
  free(in->result);
  free(in->tokens);
  free(in->strings);
  free(in->scratch);
  free(in->text);
}

static unsigned iterations_for(size_t size) {
  size_t n = ((size_t)8 << 20) / (size + 1);
  return n < 20 ? 20u : (n > 200000 ? 200000u : (unsigned)n);
}

static double ns_per_op(void (*fn)(void *), input *in) {
  return bench_best_cpu_ns_per_iter(fn, in, iterations_for(in->size), 9);
}

static double megabytes_per_second(size_t size, double ns) {
  return ns > 0.0 ? (double)size / ns * 1e9 / 1e6 : 0.0;
}

/* Prints validation beside the parse alone, in MB/s, and the time ratio. */
static void report_throughput(input *in, double *validate_out, double *parse_out) {
  prepare(in);
  double validate_ns = ns_per_op(validate_once, in);
  double parse_ns = ns_per_op(parse_once, in);
  char label[96];
  snprintf(label, sizeof label, "%s (%zu B)", in->name, in->size);
  bench_report(label, megabytes_per_second(in->size, validate_ns), "parse only",
               megabytes_per_second(in->size, parse_ns), "MB/s");
  printf("    validation costs %.2fx the parse\n", parse_ns > 0.0 ? validate_ns / parse_ns : 0.0);
  if (validate_out != NULL) {
    *validate_out = validate_ns;
  }
  if (parse_out != NULL) {
    *parse_out = parse_ns;
  }
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

/* Thousands of env names that share a long prefix: every comparison of two
 * names would run through 100 equal bytes first. */
static char *gen_env_prefix(size_t size, size_t *out) {
  builder b = start(size);
  put(&b, ",\"env\":[");
  char entry[192];
  const char *prefix = "A_VERY_LONG_SHARED_PREFIX_THAT_EVERY_ENVIRONMENT_VARIABLE_NAME_"
                       "IN_THIS_MANIFEST_STARTS_WITH_X";
  for (unsigned i = 0;; i++) {
    snprintf(entry, sizeof entry, "%s{\"name\":\"%s%u\",\"value\":\"v\"}", i ? "," : "", prefix, i);
    if (b.length + strlen(entry) + 3 > size || i == OSPOLICY_MANIFEST_MAX_ENV) {
      break;
    }
    put(&b, entry);
  }
  put(&b, "]");
  return finish(&b, "}", size, out);
}

/* Long non-ASCII env values (U+00E9 as raw UTF-8) up to the size given:
 * at the 16 MiB ceiling, every code point goes through the invisible-
 * character check. */
static char *gen_long_values(size_t size, size_t *out) {
  builder b = start(size);
  put(&b, ",\"env\":[");
  char head[48];
  for (unsigned i = 0;; i++) {
    snprintf(head, sizeof head, "%s{\"name\":\"V%u\",\"value\":\"", i ? "," : "", i);
    size_t pairs = 2000; /* 4000 bytes, under the 4096-byte value limit */
    if (b.length + strlen(head) + 2 * pairs + 8 > size || i == OSPOLICY_MANIFEST_MAX_ENV) {
      break;
    }
    put(&b, head);
    for (size_t u = 0; u < pairs; u++) {
      put(&b, "\xc3\xa9");
    }
    put(&b, "\"}");
  }
  put(&b, "]");
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
  printf("== manifest validation vs the parse alone (thread CPU time, best of 9 rounds) ==\n");
  static const char *examples[] = {"minimal.json", "service.json", "reject-many-problems.json"};
  static const OSPolicy_Status example_status[] = {OSPOLICY_OK, OSPOLICY_OK,
                                                   OSPOLICY_ERR_MANIFEST_BAD_VALUE};
  double worst_ratio = 0.0;
  for (size_t i = 0; i < sizeof examples / sizeof examples[0]; i++) {
    input in = {.name = examples[i], .expected = example_status[i]};
    in.text = read_example(examples[i], &in.size);
    double v = 0, p = 0;
    report_throughput(&in, &v, &p);
    worst_ratio = p > 0.0 && v / p > worst_ratio ? v / p : worst_ratio;
    release(&in);
  }

  static const generator generators[] = {
      {"worst: thousands of env keys", gen_env_keys, OSPOLICY_OK},
      {"worst: env keys with a long shared prefix", gen_env_prefix, OSPOLICY_OK},
      {"worst: deepest nesting (16), repeated", gen_deep, OSPOLICY_ERR_MANIFEST_UNKNOWN_FIELD},
      {"worst: one object, thousands of names", gen_wide_object,
       OSPOLICY_ERR_MANIFEST_UNKNOWN_FIELD},
      {"worst: escape-heavy strings", gen_escapes, OSPOLICY_OK},
      {"worst: long non-ASCII values", gen_long_values, OSPOLICY_OK},
  };
  size_t count = sizeof generators / sizeof generators[0];
  double small_ns[8], large_ns[8], small_parse[8], large_parse[8];
  for (size_t g = 0; g < count; g++) {
    input in = {.name = generators[g].name, .expected = generators[g].expected};
    in.text = generators[g].make(OSPOLICY_MANIFEST_DEFAULT_MAX_SIZE, &in.size);
    report_throughput(&in, &large_ns[g], &large_parse[g]);
    worst_ratio = large_ns[g] / large_parse[g] > worst_ratio ? large_ns[g] / large_parse[g] : worst_ratio;
    release(&in);
    input quarter = {.name = generators[g].name, .expected = generators[g].expected};
    quarter.text = generators[g].make(OSPOLICY_MANIFEST_DEFAULT_MAX_SIZE / 4, &quarter.size);
    prepare(&quarter);
    small_ns[g] = ns_per_op(validate_once, &quarter);
    small_parse[g] = ns_per_op(parse_once, &quarter);
    release(&quarter);
  }
  /* The ceiling: 16 MiB of long non-ASCII values, the caller's limit raised. */
  input ceiling = {.name = "16 MiB of long non-ASCII values", .expected = OSPOLICY_OK,
                   .max_size = OSPOLICY_MANIFEST_MAX_SIZE_CEILING};
  ceiling.text = gen_long_values(OSPOLICY_MANIFEST_MAX_SIZE_CEILING - 256, &ceiling.size);
  double v16 = 0, p16 = 0;
  report_throughput(&ceiling, &v16, &p16);
  worst_ratio = v16 / p16 > worst_ratio ? v16 / p16 : worst_ratio;
  release(&ceiling);
  printf("validation/parse, worst shape: %.2fx (goal: at most 1.5x)\n", worst_ratio);

  printf("\n== growth: validation time at 64 KiB against 16 KiB (4x the input) ==\n");
  double worst_growth = 0.0;
  for (size_t g = 0; g < count; g++) {
    char label[96];
    snprintf(label, sizeof label, "%s @64K", generators[g].name + 7);
    bench_report(label, large_ns[g] / 1000.0, "same @16K", small_ns[g] / 1000.0, "us");
    printf("    the parse alone grows %.2fx\n", large_parse[g] / small_parse[g]);
    worst_growth = large_ns[g] / small_ns[g] > worst_growth ? large_ns[g] / small_ns[g] : worst_growth;
  }
  printf("growth, worst shape: %.2fx for 4x the input (goal: under 4.4x)\n", worst_growth);
  return 0;
}
