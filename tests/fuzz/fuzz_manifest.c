/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * Fuzzes the strict JSON parser and the manifest validator with arbitrary
 * bytes (read in place, so ASan sees any byte read past the input) and checks
 * their invariants:
 *   - the parser never needs more than the advertised workspace;
 *   - the tokenizer-only scan agrees with the parser (status, error offset,
 *     token count), except that only the parser detects duplicate names;
 *   - the parse agrees with itself when every member name hashes alike (the
 *     tree fallback) or by its first byte only, in the scratch the first
 *     parse left behind;
 *   - every token lies inside the text and `after` links move forward;
 *   - the validator writes a consistent result: status == findings[0] status,
 *     findings sorted with sane positions and NUL-terminated field paths, and
 *     an accepted manifest's view holds NUL-free, terminated strings that obey
 *     the schema rules (absolute paths, portable env names, known counts).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ospolicy/json.h"
#include "ospolicy/manifest.h"
#include "../../src/policy/json_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_string(const OSPolicy_ManifestString *s) {
  if (s->data == NULL || s->data[s->length] != '\0' || strlen(s->data) != s->length) {
    abort();
  }
}

static uint32_t hash_constant(const char *name, size_t length, uint64_t key) {
  (void)name;
  (void)length;
  (void)key;
  return 0;
}

static uint32_t hash_first_byte(const char *name, size_t length, uint64_t key) {
  (void)key;
  return length > 0 ? (uint32_t)(unsigned char)name[0] * 0x01000193u : 0u;
}

static void fuzz_json(const char *text, size_t size) {
  size_t nt, ns, nx;
  if (OSPolicy_GetJsonWorkspaceSizes(size, &nt, &ns, &nx) != OSPOLICY_OK) {
    abort();
  }
  OSPolicy_JsonToken *tokens = malloc(nt * sizeof *tokens);
  char *strings = malloc(ns + 1);
  uint32_t *scratch = malloc(nx * sizeof *scratch);
  OSPolicy_JsonRequest request = {.text = text, .size = size, .tokens = tokens,
                                  .token_capacity = nt, .strings = strings,
                                  .string_capacity = ns, .scratch = scratch,
                                  .scratch_capacity = nx};
  OSPolicy_JsonDocument parsed, scanned;
  OSPolicy_Status p = OSPolicy_ParseJson(&request, &parsed);
  OSPolicy_Status s = OSPolicy_ScanJson(&request, &scanned);
  static const json_name_hash_fn hashes[] = {hash_constant, hash_first_byte};
  for (size_t h = 0; h < sizeof hashes / sizeof hashes[0]; h++) {
    OSPolicy_JsonDocument again;
    if (ospolicy_json_parse_hooked(&request, &again, hashes[h], NULL) != p ||
        again.error_offset != parsed.error_offset || again.token_count != parsed.token_count) {
      abort();
    }
  }
  if (p == OSPOLICY_OK) {
    p = OSPolicy_ParseJson(&request, &parsed); /* the tokens again, for the checks below */
  }
  if (p != parsed.status || s != scanned.status || p == OSPOLICY_ERR_BUFFER_TOO_SMALL ||
      OSPolicy_GetStatusClass(p) == OSPOLICY_CLASS_UNKNOWN) {
    abort();
  }
  if (p == OSPOLICY_OK) {
    if (s != OSPOLICY_OK || scanned.token_count != parsed.token_count ||
        parsed.token_count > nt || parsed.tokens[0].after != parsed.token_count ||
        parsed.tokens[0].end > size) {
      abort();
    }
    for (size_t i = 0; i < parsed.token_count; i++) {
      const OSPolicy_JsonToken *t = &parsed.tokens[i];
      if (t->start >= t->end || t->end > size || t->after <= i ||
          t->after > parsed.token_count) {
        abort();
      }
      if (t->type == OSPOLICY_JSON_STRING &&
          (t->decoded + t->count >= ns || strings[t->decoded + t->count] != '\0' ||
           memchr(strings + t->decoded, 0, t->count) != NULL)) {
        abort();
      }
    }
  } else if (p == OSPOLICY_ERR_JSON_DUPLICATE_MEMBER) {
    if (s != OSPOLICY_OK && scanned.error_offset < parsed.error_offset) {
      abort(); /* the scan saw nothing wrong before the parse stopped */
    }
  } else if (s != p || scanned.error_offset != parsed.error_offset ||
             parsed.error_offset > size || parsed.error_line == 0 ||
             parsed.error_column == 0) {
    abort();
  }
  free(tokens);
  free(strings);
  free(scratch);
}

static void fuzz_manifest(const char *text, size_t size) {
  OSPolicy_ManifestResult *result = malloc(sizeof *result);
  size_t required = 0;
  void *workspace = NULL;
  if (size <= OSPOLICY_MANIFEST_DEFAULT_MAX_SIZE) {
    if (OSPolicy_GetManifestWorkspaceSize(size, &required) != OSPOLICY_OK) {
      abort();
    }
    workspace = malloc(required);
  }
  OSPolicy_ManifestRequest request = {.text = text, .size = size, .workspace = workspace,
                                      .workspace_size = required};
  OSPolicy_Status status = OSPolicy_ValidateManifest(&request, result);
  if (status != result->status || status == OSPOLICY_STATUS_UNSET ||
      result->finding_count > OSPOLICY_MANIFEST_MAX_FINDINGS ||
      result->findings_total < result->finding_count) {
    abort();
  }
  if (status == OSPOLICY_OK) {
    const OSPolicy_Manifest *m = &result->manifest;
    if (result->finding_count != 0u || m->version != 1u) {
      abort();
    }
    check_string(&m->name);
    check_string(&m->entry);
    if (strncmp(m->entry.data, "/app/", 5) != 0 || strstr(m->entry.data, "/../") != NULL ||
        m->env_count > OSPOLICY_MANIFEST_MAX_ENV || m->file_count > OSPOLICY_MANIFEST_MAX_FILES ||
        m->listen_count > OSPOLICY_MANIFEST_MAX_LISTEN ||
        m->syscall_count > OSPOLICY_MANIFEST_MAX_SYSCALLS) {
      abort();
    }
    for (size_t i = 0; i < m->env_count; i++) {
      check_string(&m->env[i].name);
      check_string(&m->env[i].value);
      if (strspn(m->env[i].name.data,
                 "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_") !=
              m->env[i].name.length ||
          (m->env[i].name.data[0] >= '0' && m->env[i].name.data[0] <= '9')) {
        abort();
      }
    }
    for (size_t i = 0; i < m->file_count; i++) {
      check_string(&m->files[i].path);
      const char *p = m->files[i].path.data;
      if (p[0] != '/' || strstr(p, "//") != NULL || strstr(p, "/./") != NULL ||
          strstr(p, "/../") != NULL || strchr(p, '\\') != NULL ||
          m->files[i].access == OSPOLICY_FILE_ACCESS_UNSET) {
        abort();
      }
    }
    for (size_t i = 0; i < m->listen_count; i++) {
      if (m->listen[i].port == 0u || m->listen[i].protocol == OSPOLICY_NET_PROTOCOL_UNSET) {
        abort();
      }
    }
    for (size_t i = 0; i < m->syscall_count; i++) {
      check_string(&m->syscalls[i]);
    }
    if (m->metadata_access == OSPOLICY_METADATA_ACCESS_UNSET) {
      abort();
    }
  } else {
    if (result->finding_count == 0u || result->findings[0].status != status) {
      abort();
    }
    for (size_t i = 0; i < result->finding_count; i++) {
      const OSPolicy_ManifestFinding *f = &result->findings[i];
      if (f->message == NULL || f->line == 0u || f->column == 0u || f->offset > size ||
          memchr(f->path, 0, sizeof f->path) == NULL ||
          (i > 0u && f->offset < result->findings[i - 1u].offset)) {
        abort();
      }
    }
  }
  free(workspace);
  free(result);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *text = (const char *)data;
  fuzz_json(text, size);
  fuzz_manifest(text, size);
  return 0;
}
