/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * The manifest validator: every rejection docs/manifest.md promises, each fed
 * exactly its bad input and checked for its specific status, field path and
 * position; the parsed view of valid manifests; the shipped examples; the
 * workspace contract. Runs against the freestanding core build.
 */
#include <check.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ospolicy/manifest.h"
#include "../../src/policy/hash.h" /* to craft names that share a table slot */

/* Set by cmake/OSPolicyManifestTests.cmake. */
#ifndef OSPOLICY_EXAMPLES_DIR
#define OSPOLICY_EXAMPLES_DIR OSPOLICY_TEST_DATA_DIR "/../../examples"
#endif
#define EXAMPLES_DIR OSPOLICY_EXAMPLES_DIR "/manifest"

typedef struct run {
  OSPolicy_ManifestResult *result;
  void *workspace;
  OSPolicy_Status status;
} run;

static run validate_sized(const char *text, size_t size, size_t max_size) {
  run r = {0};
  r.result = malloc(sizeof *r.result);
  memset(r.result, 0x5A, sizeof *r.result);
  size_t required = 0;
  ck_assert_int_eq(OSPolicy_GetManifestWorkspaceSize(size, &required), OSPOLICY_OK);
  r.workspace = malloc(required);
  OSPolicy_ManifestRequest request = {.text = text, .size = size, .max_size = max_size,
                                      .workspace = r.workspace, .workspace_size = required};
  r.status = OSPolicy_ValidateManifest(&request, r.result);
  ck_assert_int_eq(r.status, r.result->status);
  ck_assert_uint_le(r.result->finding_count, OSPOLICY_MANIFEST_MAX_FINDINGS);
  ck_assert_uint_ge(r.result->findings_total, r.result->finding_count);
  if (r.status == OSPOLICY_OK) {
    ck_assert_uint_eq(r.result->finding_count, 0);
    ck_assert_uint_eq(r.result->manifest.version, 1);
  } else {
    /* A rejected manifest leaves no half-usable view behind. */
    OSPolicy_Manifest zero;
    memset(&zero, 0, sizeof zero);
    ck_assert_int_eq(memcmp(&r.result->manifest, &zero, sizeof zero), 0);
    ck_assert_uint_ge(r.result->finding_count, 1);
    ck_assert_int_eq(r.result->findings[0].status, r.status);
    for (size_t i = 0; i < r.result->finding_count; i++) {
      ck_assert_ptr_nonnull(r.result->findings[i].message);
      ck_assert_uint_ge(r.result->findings[i].line, 1);
      ck_assert_uint_ge(r.result->findings[i].column, 1);
      if (i > 0) {
        ck_assert_uint_ge(r.result->findings[i].offset, r.result->findings[i - 1].offset);
      }
    }
  }
  return r;
}

static run validate(const char *text) {
  return validate_sized(text, strlen(text), 0);
}

static void release(run *r) {
  free(r->result);
  free(r->workspace);
}

/* A manifest with the required fields and `extra` members appended. */
static char *with(const char *extra) {
  const char *head = "{\"manifestVersion\": 1, \"name\": \"t\", \"entry\": \"/app/bin/t\"";
  size_t n = strlen(head) + strlen(extra) + 8;
  char *text = malloc(n);
  snprintf(text, n, "%s%s%s}", head, extra[0] != '\0' ? ", " : "", extra);
  return text;
}

/* Exactly one finding, with this status and field path. */
static void expect_one(const char *extra, OSPolicy_Status status, const char *path) {
  char *text = with(extra);
  run r = validate(text);
  ck_assert_msg(r.status == status, "%s: status %s, expected %s", extra,
                OSPolicy_StatusName(r.status), OSPolicy_StatusName(status));
  ck_assert_msg(r.result->finding_count == 1, "%s: %zu findings (first: %s %s)", extra,
                r.result->finding_count, r.result->findings[0].path,
                r.result->findings[0].message);
  ck_assert_str_eq(r.result->findings[0].path, path);
  release(&r);
  free(text);
}

static void expect_valid(const char *extra) {
  char *text = with(extra);
  run r = validate(text);
  ck_assert_msg(r.status == OSPOLICY_OK, "%s: %s at %s: %s", extra, OSPolicy_StatusName(r.status),
                r.result->findings[0].path, r.result->findings[0].message);
  release(&r);
  free(text);
}

static char *read_file(const char *path, size_t *size) {
  FILE *f = fopen(path, "rb");
  ck_assert_msg(f != NULL, "cannot open %s", path);
  char *data = malloc(1 << 20);
  *size = fread(data, 1, 1 << 20, f);
  fclose(f);
  return data;
}

START_TEST(accepts_minimal_manifest) {
  run r = validate("{\"manifestVersion\":1,\"name\":\"hello\",\"entry\":\"/app/bin/hello\"}");
  ck_assert_int_eq(r.status, OSPOLICY_OK);
  const OSPolicy_Manifest *m = &r.result->manifest;
  ck_assert_str_eq(m->name.data, "hello");
  ck_assert_uint_eq(m->name.length, 5);
  ck_assert_str_eq(m->entry.data, "/app/bin/hello");
  ck_assert_uint_eq(m->entry.offset, 44);
  ck_assert_uint_eq(m->env_count, 0);
  ck_assert_uint_eq(m->capabilities, 0);
  ck_assert_uint_eq(m->mac_label.length, 0);
  /* No cloudMetadata means no metadata access: the default is closed. */
  ck_assert_int_eq(m->metadata_access, OSPOLICY_METADATA_ACCESS_NONE);
  ck_assert_uint_eq(r.result->findings_total, 0);
  release(&r);
}
END_TEST

START_TEST(service_example_parsed_view) {
  size_t size;
  char *text = read_file(EXAMPLES_DIR "/service.json", &size);
  run r = validate_sized(text, size, 0);
  ck_assert_int_eq(r.status, OSPOLICY_OK);
  const OSPolicy_Manifest *m = &r.result->manifest;
  ck_assert_str_eq(m->name.data, "com.example.web-api");
  ck_assert_uint_eq(m->env_count, 4);
  ck_assert_str_eq(m->env[1].name.data, "LOG_LEVEL");
  ck_assert_str_eq(m->env[1].value.data, "info");
  ck_assert_str_eq(m->env[3].value.data, "Gr\xc3\xbc\xc3\x9f Gott \xf0\x9f\x91\x8b");
  ck_assert_uint_eq(m->file_count, 4);
  ck_assert_str_eq(m->files[1].path.data, "/data/web-api");
  ck_assert_int_eq(m->files[1].access, OSPOLICY_FILE_ACCESS_READ_WRITE);
  ck_assert_int_eq(m->files[0].access, OSPOLICY_FILE_ACCESS_READ_ONLY);
  ck_assert_uint_eq(m->listen_count, 3);
  ck_assert_uint_eq(m->listen[1].port, 8443);
  ck_assert_int_eq(m->listen[1].protocol, OSPOLICY_NET_PROTOCOL_UDP);
  ck_assert_uint_eq(m->capabilities, (uint64_t)1 << 10);
  ck_assert_str_eq(OSPolicy_CapabilityName(10), "CAP_NET_BIND_SERVICE");
  ck_assert_uint_eq(m->capability_count, 1);
  ck_assert_str_eq(m->mac_label.data, "system_u:system_r:web_api_t:s0");
  ck_assert_uint_eq(m->syscall_count, 25);
  ck_assert_str_eq(m->syscalls[24].data, "exit_group");
  ck_assert_uint_eq(m->memory_bytes, 536870912u);
  ck_assert_uint_eq(m->open_files, 4096);
  ck_assert_uint_eq(m->processes, 64);
  ck_assert_int_eq(m->metadata_access, OSPOLICY_METADATA_ACCESS_SUPERVISED);
  ck_assert_uint_eq(m->metadata_token_ttl, 300);
  ck_assert_uint_eq(m->metadata_path_count, 2);
  ck_assert_str_eq(m->metadata_paths[0].data, "/latest/meta-data/instance-id");
  ck_assert_str_eq(m->metadata_paths[1].data, "/latest/meta-data/placement/");
  ck_assert_str_eq(m->metadata_role.data, "web-api-reader");
  ck_assert_str_eq(OSPolicy_MetadataAccessName(m->metadata_access), "supervised");
  ck_assert_str_eq(OSPolicy_FileAccessName(m->files[0].access), "ro");
  ck_assert_str_eq(OSPolicy_NetProtocolName(m->listen[0].protocol), "tcp");
  release(&r);
  free(text);
}
END_TEST

START_TEST(examples_reject_with_their_status) {
  static const struct {
    const char *file;
    OSPolicy_Status status;
    uint32_t line, column;
    const char *path;
  } examples[] = {
      {"minimal.json", OSPOLICY_OK, 0, 0, NULL},
      {"reject-malformed.json", OSPOLICY_ERR_MANIFEST_MALFORMED, 5, 1, ""},
      {"reject-oversized.json", OSPOLICY_ERR_MANIFEST_OVERSIZED, 1, 1, ""},
      {"reject-unknown-version.json", OSPOLICY_ERR_MANIFEST_UNKNOWN_VERSION, 2, 22,
       "manifestVersion"},
      {"reject-unsafe-path.json", OSPOLICY_ERR_MANIFEST_UNSAFE_PATH, 6, 14, "files[0].path"},
      {"reject-duplicate-env-key.json", OSPOLICY_ERR_MANIFEST_DUPLICATE_ENV_KEY, 7, 14,
       "env[1].name"},
      {"reject-bad-env-name.json", OSPOLICY_ERR_MANIFEST_BAD_ENV_NAME, 6, 14, "env[0].name"},
      {"reject-unknown-field.json", OSPOLICY_ERR_MANIFEST_UNKNOWN_FIELD, 5, 3, "capabilites"},
      {"reject-wrong-type.json", OSPOLICY_ERR_MANIFEST_WRONG_TYPE, 5, 35,
       "network.listen[0].port"},
      {"reject-out-of-range.json", OSPOLICY_ERR_MANIFEST_OUT_OF_RANGE, 5, 35,
       "network.listen[0].port"},
      {"reject-missing-field.json", OSPOLICY_ERR_MANIFEST_MISSING_FIELD, 1, 1, "entry"},
      {"reject-bad-value.json", OSPOLICY_ERR_MANIFEST_BAD_VALUE, 5, 31, "cloudMetadata.access"},
      {"reject-unknown-capability.json", OSPOLICY_ERR_MANIFEST_UNKNOWN_CAPABILITY, 5, 20,
       "capabilities[0]"},
      {"reject-duplicate-entry.json", OSPOLICY_ERR_MANIFEST_DUPLICATE_ENTRY, 5, 33, "syscalls[2]"},
      {"reject-unprintable.json", OSPOLICY_ERR_MANIFEST_UNPRINTABLE, 6, 33, "env[0].value"},
      {"reject-writable-app.json", OSPOLICY_DENIED_MANIFEST_WRITABLE_APP, 6, 36,
       "files[0].access"},
      {"reject-duplicate-member.json", OSPOLICY_ERR_MANIFEST_MALFORMED, 5, 3, ""},
      {"reject-nul-character.json", OSPOLICY_ERR_MANIFEST_MALFORMED, 4, 28, ""},
      {"reject-too-many.json", OSPOLICY_ERR_MANIFEST_TOO_MANY, 5, 25, "network.listen"},
      {"reject-many-problems.json", OSPOLICY_ERR_MANIFEST_BAD_VALUE, 3, 11, "name"},
  };
  for (size_t i = 0; i < sizeof examples / sizeof examples[0]; i++) {
    char path[512];
    snprintf(path, sizeof path, "%s/%s", EXAMPLES_DIR, examples[i].file);
    size_t size;
    char *text = read_file(path, &size);
    run r = validate_sized(text, size, 0);
    ck_assert_msg(r.status == examples[i].status, "%s: %s", examples[i].file,
                  OSPolicy_StatusName(r.status));
    if (examples[i].path != NULL) {
      const OSPolicy_ManifestFinding *f = &r.result->findings[0];
      ck_assert_msg(f->line == examples[i].line && f->column == examples[i].column,
                    "%s: at %u:%u", examples[i].file, f->line, f->column);
      ck_assert_str_eq(f->path, examples[i].path);
    }
    release(&r);
    free(text);
  }
}
END_TEST

START_TEST(malformed_reports_json_detail_and_position) {
  run r = validate("{\"manifestVersion\": 1,\n \"name\": 'x'}");
  ck_assert_int_eq(r.status, OSPOLICY_ERR_MANIFEST_MALFORMED);
  ck_assert_uint_eq(r.result->finding_count, 1);
  ck_assert_int_eq(r.result->findings[0].detail, OSPOLICY_ERR_JSON_SYNTAX);
  ck_assert_uint_eq(r.result->findings[0].line, 2);
  ck_assert_uint_eq(r.result->findings[0].column, 10);
  ck_assert_uint_eq(r.result->findings[0].offset, 32);
  ck_assert_str_eq(r.result->findings[0].message, "single quotes are not JSON strings");
  release(&r);
  r = validate("");
  ck_assert_int_eq(r.status, OSPOLICY_ERR_MANIFEST_MALFORMED);
  release(&r);
  /* Duplicates in any object, including the root: shown != granted. */
  r = validate("{\"manifestVersion\":1,\"name\":\"a\",\"entry\":\"/app/a\",\"name\":\"b\"}");
  ck_assert_int_eq(r.status, OSPOLICY_ERR_MANIFEST_MALFORMED);
  ck_assert_int_eq(r.result->findings[0].detail, OSPOLICY_ERR_JSON_DUPLICATE_MEMBER);
  release(&r);
  /* Nesting beyond the manifest depth limit (16). */
  char *deep = with("\"x\": [[[[[[[[[[[[[[[[0]]]]]]]]]]]]]]]]");
  r = validate(deep);
  ck_assert_int_eq(r.status, OSPOLICY_ERR_MANIFEST_MALFORMED);
  ck_assert_int_eq(r.result->findings[0].detail, OSPOLICY_ERR_JSON_TOO_DEEP);
  release(&r);
  free(deep);
}
END_TEST

START_TEST(oversized_is_refused_before_reading) {
  /* The text lies in pages that cannot be read: any parsing work would fault. */
  size_t size = (size_t)1 << 20;
  void *pages = mmap(NULL, size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  ck_assert_ptr_ne(pages, MAP_FAILED);
  OSPolicy_ManifestResult *result = malloc(sizeof *result);
  OSPolicy_ManifestRequest request = {.text = pages, .size = size};
  ck_assert_int_eq(OSPolicy_ValidateManifest(&request, result), OSPOLICY_ERR_MANIFEST_OVERSIZED);
  ck_assert_uint_eq(result->finding_count, 1);
  ck_assert_int_eq(result->findings[0].status, OSPOLICY_ERR_MANIFEST_OVERSIZED);
  /* One byte over the default 64 KiB. */
  request.size = OSPOLICY_MANIFEST_DEFAULT_MAX_SIZE + 1;
  ck_assert_int_eq(OSPolicy_ValidateManifest(&request, result), OSPOLICY_ERR_MANIFEST_OVERSIZED);
  munmap(pages, size);
  /* The caller sets the limit. */
  const char *minimal = "{\"manifestVersion\":1,\"name\":\"a\",\"entry\":\"/app/a\"}";
  size_t n = strlen(minimal);
  run r = validate_sized(minimal, n, n - 1);
  ck_assert_int_eq(r.status, OSPOLICY_ERR_MANIFEST_OVERSIZED);
  release(&r);
  r = validate_sized(minimal, n, n);
  ck_assert_int_eq(r.status, OSPOLICY_OK);
  release(&r);
  request = (OSPolicy_ManifestRequest){.text = minimal, .size = n,
                                       .max_size = OSPOLICY_MANIFEST_MAX_SIZE_CEILING + 1};
  ck_assert_int_eq(OSPolicy_ValidateManifest(&request, result), OSPOLICY_ERR_INVALID_ARGUMENT);
  free(result);
}
END_TEST

START_TEST(unknown_version) {
  static const char *versions[] = {"2", "0", "-1", "1.0", "1e0", "\"1\"", "true", "null",
                                   "[1]", "18446744073709551617"};
  for (size_t i = 0; i < sizeof versions / sizeof versions[0]; i++) {
    char text[256];
    /* Other problems are not reported: nothing can be read without a version. */
    snprintf(text, sizeof text,
             "{\"manifestVersion\": %s, \"name\": \"t\", \"entry\": \"/etc/x\", \"bogus\": 1}",
             versions[i]);
    run r = validate(text);
    ck_assert_msg(r.status == OSPOLICY_ERR_MANIFEST_UNKNOWN_VERSION, "%s: %s", versions[i],
                  OSPolicy_StatusName(r.status));
    ck_assert_uint_eq(r.result->finding_count, 1);
    ck_assert_uint_eq(r.result->findings[0].offset, 20);
    ck_assert_str_eq(r.result->findings[0].path, "manifestVersion");
    release(&r);
  }
  run r = validate("{\"name\": \"t\", \"entry\": \"/app/x\"}");
  ck_assert_int_eq(r.status, OSPOLICY_ERR_MANIFEST_UNKNOWN_VERSION);
  ck_assert_str_eq(r.result->findings[0].message, "manifestVersion is missing");
  release(&r);
  r = validate("[1]");
  ck_assert_int_eq(r.status, OSPOLICY_ERR_MANIFEST_WRONG_TYPE);
  release(&r);
}
END_TEST

START_TEST(unsafe_paths) {
  static const char *bad[] = {
      "/data/../etc/shadow", "/data/./x",        "/data//x",       "/data/x/",
      "data/x",              "",                 "/",              "/data\\\\x",
      "/data/a\\u0001b",     "/data/a\\u007fb",  "/data/a\\u200bb", "/data/a\\u202eb",
      "/etc/passwd",         "/application/x",   "/Data/x",        "/tmp/..",
      "/..",                 "/data/x/.",        "~/x",
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    char extra[256];
    snprintf(extra, sizeof extra, "\"files\": [{\"path\": \"%s\", \"access\": \"ro\"}]", bad[i]);
    expect_one(extra, OSPOLICY_ERR_MANIFEST_UNSAFE_PATH, "files[0].path");
  }
  /* Overlong: 1025 bytes in all; a 256-byte segment. */
  char *extra = malloc(4096);
  char *long_path = malloc(2048);
  strcpy(long_path, "/data/");
  while (strlen(long_path) < 1025) {
    strcat(long_path, "abcdefgh/");
  }
  long_path[1025] = '\0';
  if (long_path[1024] == '/') {
    long_path[1024] = 'x';
  }
  snprintf(extra, 4096, "\"files\": [{\"path\": \"%s\", \"access\": \"ro\"}]", long_path);
  expect_one(extra, OSPOLICY_ERR_MANIFEST_UNSAFE_PATH, "files[0].path");
  long_path[1024] = '\0'; /* 1024 bytes: allowed */
  if (long_path[1023] == '/') {
    long_path[1023] = 'y';
  }
  snprintf(extra, 4096, "\"files\": [{\"path\": \"%s\", \"access\": \"ro\"}]", long_path);
  expect_valid(extra);
  char segment[300];
  memset(segment, 's', 256);
  segment[256] = '\0';
  snprintf(extra, 4096, "\"files\": [{\"path\": \"/data/%s\", \"access\": \"ro\"}]", segment);
  expect_one(extra, OSPOLICY_ERR_MANIFEST_UNSAFE_PATH, "files[0].path");
  segment[255] = '\0';
  snprintf(extra, 4096, "\"files\": [{\"path\": \"/data/%s\", \"access\": \"ro\"}]", segment);
  expect_valid(extra);
  free(long_path);
  free(extra);
  /* Allowed: the roots themselves, dotted names that are not . or .., UTF-8. */
  expect_valid("\"files\": [{\"path\": \"/data\", \"access\": \"rw\"}, {\"path\": \"/tmp/x.y\", "
               "\"access\": \"rw\"}, {\"path\": \"/data/..hidden\", \"access\": \"ro\"}, "
               "{\"path\": \"/data/...\", \"access\": \"ro\"}, {\"path\": \"/app\", \"access\": "
               "\"ro\"}, {\"path\": \"/data/caf\\u00e9\", \"access\": \"ro\"}]");
}
END_TEST

START_TEST(entry_must_be_a_file_under_app) {
  static const char *bad[] = {"/data/bin/x", "/tmp/x", "/app", "/app/../x", "bin/x", "/app/x/"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    char text[256];
    snprintf(text, sizeof text, "{\"manifestVersion\":1,\"name\":\"t\",\"entry\":\"%s\"}", bad[i]);
    run r = validate(text);
    ck_assert_msg(r.status == OSPOLICY_ERR_MANIFEST_UNSAFE_PATH, "%s: %s", bad[i],
                  OSPolicy_StatusName(r.status));
    ck_assert_str_eq(r.result->findings[0].path, "entry");
    ck_assert_uint_eq(r.result->findings[0].offset, 40);
    release(&r);
  }
}
END_TEST

START_TEST(writable_app_is_denied) {
  expect_one("\"files\": [{\"path\": \"/app/bin\", \"access\": \"rw\"}]",
             OSPOLICY_DENIED_MANIFEST_WRITABLE_APP, "files[0].access");
  expect_valid("\"files\": [{\"path\": \"/app/bin\", \"access\": \"ro\"}]");
}
END_TEST

START_TEST(duplicate_env_keys) {
  expect_one("\"env\": [{\"name\": \"A\", \"value\": \"1\"}, {\"name\": \"A\", \"value\": \"1\"}]",
             OSPOLICY_ERR_MANIFEST_DUPLICATE_ENV_KEY, "env[1].name");
  /* Names differing only in ASCII case are the same name. */
  expect_one("\"env\": [{\"name\": \"Path\", \"value\": \"1\"}, {\"name\": \"B\", \"value\": "
             "\"2\"}, {\"name\": \"PATH\", \"value\": \"3\"}]",
             OSPOLICY_ERR_MANIFEST_DUPLICATE_ENV_KEY, "env[2].name");
  /* Each later occurrence is reported. */
  char *text = with("\"env\": [{\"name\": \"x\", \"value\": \"\"}, {\"name\": \"X\", \"value\": "
                    "\"\"}, {\"name\": \"x\", \"value\": \"\"}]");
  run r = validate(text);
  ck_assert_int_eq(r.status, OSPOLICY_ERR_MANIFEST_DUPLICATE_ENV_KEY);
  ck_assert_uint_eq(r.result->finding_count, 2);
  ck_assert_str_eq(r.result->findings[0].path, "env[1].name");
  ck_assert_str_eq(r.result->findings[1].path, "env[2].name");
  release(&r);
  free(text);
  /* An escape spelling the same name is the same name. */
  expect_one("\"env\": [{\"name\": \"AB\", \"value\": \"\"}, {\"name\": \"\\u0041B\", \"value\": "
             "\"\"}]",
             OSPOLICY_ERR_MANIFEST_DUPLICATE_ENV_KEY, "env[1].name");
  expect_valid("\"env\": [{\"name\": \"AB\", \"value\": \"\"}, {\"name\": \"A_B\", \"value\": "
               "\"\"}, {\"name\": \"ABC\", \"value\": \"\"}]");
}
END_TEST

START_TEST(many_env_keys_with_one_duplicate) {
  /* 3000 names (the sorted path); the repeat is found and named. */
  char *text = malloc(256 * 1024);
  size_t n = (size_t)sprintf(text, "{\"manifestVersion\":1,\"name\":\"t\",\"entry\":\"/app/t\","
                                   "\"env\":[");
  for (int i = 0; i < 3000; i++) {
    n += (size_t)sprintf(text + n, "%s{\"name\":\"K%d\",\"value\":\"v\"}", i ? "," : "", i);
  }
  n += (size_t)sprintf(text + n, ",{\"name\":\"k1234\",\"value\":\"v\"}]}");
  run r = validate_sized(text, n, 1 << 20);
  ck_assert_int_eq(r.status, OSPOLICY_ERR_MANIFEST_DUPLICATE_ENV_KEY);
  ck_assert_uint_eq(r.result->finding_count, 1);
  ck_assert_str_eq(r.result->findings[0].path, "env[3000].name");
  release(&r);
  free(text);
}
END_TEST

START_TEST(bad_env_names) {
  static const char *bad[] = {"",    "1A",  "A-B", "A B",      "A=B", "A.B",
                              "\\u00c9", "A\\u0001", "LD-PRELOAD", "$A"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    char extra[256];
    snprintf(extra, sizeof extra, "\"env\": [{\"name\": \"%s\", \"value\": \"x\"}]", bad[i]);
    expect_one(extra, OSPOLICY_ERR_MANIFEST_BAD_ENV_NAME, "env[0].name");
  }
  char extra[512];
  char name[200];
  memset(name, 'N', 129);
  name[129] = '\0';
  snprintf(extra, sizeof extra, "\"env\": [{\"name\": \"%s\", \"value\": \"x\"}]", name);
  expect_one(extra, OSPOLICY_ERR_MANIFEST_BAD_ENV_NAME, "env[0].name");
  name[128] = '\0';
  snprintf(extra, sizeof extra, "\"env\": [{\"name\": \"%s\", \"value\": \"x\"}]", name);
  expect_valid(extra);
  expect_valid("\"env\": [{\"name\": \"_\", \"value\": \"\"}, {\"name\": \"a1_B2\", \"value\": "
               "\"tab-free = fine, caf\\u00e9\"}]");
  /* Values: control and invisible characters hide what is set. */
  expect_one("\"env\": [{\"name\": \"A\", \"value\": \"a\\nb\"}]",
             OSPOLICY_ERR_MANIFEST_UNPRINTABLE, "env[0].value");
  expect_one("\"env\": [{\"name\": \"A\", \"value\": \"a\\u202eb\"}]",
             OSPOLICY_ERR_MANIFEST_UNPRINTABLE, "env[0].value");
  expect_one("\"env\": [{\"name\": \"A\", \"value\": \"a\\u0085b\"}]",
             OSPOLICY_ERR_MANIFEST_UNPRINTABLE, "env[0].value");
}
END_TEST

/* ---- the invisible set against Unicode's own data (Debian unicode-data) ----
 * The refused set is General_Category Cc, White_Space except U+0020,
 * Default_Ignorable_Code_Point, and U+FFF9..U+FFFB and U+2800 (they render
 * as nothing). This derives the set from the Unicode files and checks every
 * code point through the validator: one env value per expected-invisible
 * code point (refused, UNPRINTABLE), and the visible ones in batches of 512
 * per value (accepted). */
#define UNICODE_DIR "/usr/share/unicode"
#define CODE_POINTS 0x110000u

static void mark_property(unsigned char *set, const char *file, const char *field, size_t column) {
  char path[256];
  snprintf(path, sizeof path, "%s/%s", UNICODE_DIR, file);
  FILE *f = fopen(path, "r");
  ck_assert_msg(f != NULL, "%s is missing: install Debian's unicode-data (scripts/deps.sh)", path);
  char line[512];
  size_t marked = 0;
  while (fgets(line, sizeof line, f) != NULL) {
    if (line[0] == '#' || line[0] == '\n') {
      continue;
    }
    /* Fields are separated by ';'; `column` is the field holding the value. */
    char *fields[16] = {0};
    size_t n = 0;
    for (char *cursor = line; n < 16 && cursor != NULL; n++) {
      fields[n] = cursor;
      char *semi = strchr(cursor, ';');
      if (semi != NULL) {
        *semi = '\0';
      }
      cursor = semi != NULL ? semi + 1 : NULL;
    }
    if (column >= n) {
      continue;
    }
    char value[64];
    if (sscanf(fields[column], " %63[A-Za-z_]", value) != 1 || strcmp(value, field) != 0) {
      continue;
    }
    unsigned first = 0, last = 0;
    if (sscanf(fields[0], "%x..%x", &first, &last) == 2) {
    } else if (sscanf(fields[0], "%x", &first) == 1) {
      last = first;
    } else {
      continue;
    }
    ck_assert_uint_le(last, CODE_POINTS - 1u);
    for (unsigned cp = first; cp <= last; cp++) {
      set[cp] = 1;
      marked++;
    }
  }
  fclose(f);
  ck_assert_msg(marked > 0, "%s: no code point has %s", file, field);
}

/* \uXXXX, or a surrogate pair, for one code point. */
static size_t json_escape(char *out, unsigned cp) {
  if (cp < 0x10000u) {
    return (size_t)sprintf(out, "\\u%04x", cp);
  }
  unsigned v = cp - 0x10000u;
  return (size_t)sprintf(out, "\\u%04x\\u%04x", 0xD800u + (v >> 10), 0xDC00u + (v & 0x3FFu));
}

static OSPolicy_Status validate_value(const char *escaped, void *workspace, size_t workspace_size,
                                      OSPolicy_ManifestResult *result, char *text, size_t cap) {
  int n = snprintf(text, cap,
                   "{\"manifestVersion\":1,\"name\":\"u\",\"entry\":\"/app/u\","
                   "\"env\":[{\"name\":\"V\",\"value\":\"a%sb\"}]}",
                   escaped);
  ck_assert(n > 0 && (size_t)n < cap);
  OSPolicy_ManifestRequest request = {.text = text, .size = (size_t)n, .workspace = workspace,
                                      .workspace_size = workspace_size};
  return OSPolicy_ValidateManifest(&request, result);
}

START_TEST(invisible_set_matches_unicode_data) {
  unsigned char *expected = calloc(CODE_POINTS, 1);
  ck_assert_ptr_nonnull(expected);
  mark_property(expected, "UnicodeData.txt", "Cc", 2);
  mark_property(expected, "PropList.txt", "White_Space", 1);
  mark_property(expected, "DerivedCoreProperties.txt", "Default_Ignorable_Code_Point", 1);
  expected[0x20] = 0;
  for (unsigned cp = 0xFFF9u; cp <= 0xFFFBu; cp++) {
    expected[cp] = 1;
  }
  expected[0x2800] = 1;

  enum { BATCH = 512 };
  size_t text_cap = 256 + BATCH * 13;
  char *text = malloc(text_cap);
  char *escaped = malloc(BATCH * 13 + 1);
  size_t workspace_size = 0;
  ck_assert_int_eq(OSPolicy_GetManifestWorkspaceSize(text_cap, &workspace_size), OSPOLICY_OK);
  void *workspace = malloc(workspace_size);
  OSPolicy_ManifestResult *result = malloc(sizeof *result);
  ck_assert(text != NULL && escaped != NULL && workspace != NULL && result != NULL);
  size_t invisible = 0, visible = 0, batch = 0, used = 0;
  unsigned batch_first = 1;
  /* U+0000 is refused earlier, by the JSON parser (NUL); surrogates are not
   * characters. */
  for (unsigned cp = 1; cp < CODE_POINTS; cp++) {
    if (cp >= 0xD800u && cp <= 0xDFFFu) {
      continue;
    }
    if (expected[cp]) {
      char one[16];
      json_escape(one, cp);
      OSPolicy_Status status = validate_value(one, workspace, workspace_size, result, text, text_cap);
      ck_assert_msg(status == OSPOLICY_ERR_MANIFEST_UNPRINTABLE, "U+%04X is invisible in Unicode 15 "
                    "data but the validator answered %s", cp, OSPolicy_StatusName(status));
      invisible++;
      continue;
    }
    if (batch == 0) {
      batch_first = cp;
    }
    used += json_escape(escaped + used, cp);
    batch++;
    visible++;
    bool last = cp == CODE_POINTS - 1u;
    if (batch == BATCH || last) {
      OSPolicy_Status status = validate_value(escaped, workspace, workspace_size, result, text, text_cap);
      if (status != OSPOLICY_OK) {
        /* Find the one the validator refused, to name it. */
        for (unsigned probe = batch_first; probe <= cp; probe++) {
          if (expected[probe] || (probe >= 0xD800u && probe <= 0xDFFFu)) {
            continue;
          }
          char one[16];
          json_escape(one, probe);
          ck_assert_msg(validate_value(one, workspace, workspace_size, result, text, text_cap) ==
                            OSPOLICY_OK,
                        "U+%04X is visible in Unicode 15 data but the validator refused it", probe);
        }
        ck_abort_msg("a batch from U+%04X was refused: %s", batch_first, OSPolicy_StatusName(status));
      }
      batch = 0;
      used = 0;
    }
  }
  /* The issue that started this: a space-like character between two names. */
  ck_assert_uint_ge(invisible, 4000);
  ck_assert_uint_ge(visible, 1000000);
  free(expected);
  free(text);
  free(escaped);
  free(workspace);
  free(result);
}
END_TEST

/* Names that share a hash are compared byte by byte: a few pairwise, a large
 * group (here 40 case variants of one name, which hash alike on purpose) by
 * the full-comparison sort. Every later occurrence is reported, once, by its
 * own index; a name that only looks alike (differs in a digit) is not. */
START_TEST(duplicates_found_in_small_and_large_hash_groups) {
  static const char *const groups[] = {"KEY", "kEy", "Key"};
  for (size_t size = 3; size <= 40; size += 37) {
    char extra[4096] = "\"env\": [";
    for (size_t i = 0; i < size; i++) {
      char entry[64];
      snprintf(entry, sizeof entry, "%s{\"name\": \"%s\", \"value\": \"v\"}", i ? ", " : "",
               groups[i % 3]);
      strcat(extra, entry);
    }
    strcat(extra, ", {\"name\": \"KEY1\", \"value\": \"v\"}]");
    char *text = with(extra);
    run r = validate(text);
    ck_assert_int_eq(r.status, OSPOLICY_ERR_MANIFEST_DUPLICATE_ENV_KEY);
    ck_assert_uint_eq(r.result->findings_total, size - 1u);
    ck_assert_str_eq(r.result->findings[0].path, "env[1].name");
    /* The stored ones are the earliest: env[1] .. env[stored], in order. */
    for (size_t k = 0; k < r.result->finding_count; k++) {
      char want[32];
      snprintf(want, sizeof want, "env[%zu].name", k + 1u);
      ck_assert_str_eq(r.result->findings[k].path, want);
    }
    release(&r);
    free(text);
  }
}
END_TEST

/* Short lists go through a 128-slot table on the stack; names crafted to
 * share a slot (same hash low bits, different names) make a probe run past
 * 8 slots and send the list to the sort. Either way, every later occurrence
 * (case folded) is reported by its own index, as a pairwise check says; and
 * lists of 64 (the table's limit) and 65 entries find their repeat. */
START_TEST(duplicates_found_through_the_small_table_and_its_fallback) {
  char names[24][16];
  size_t found = 0;
  for (unsigned k = 0; found < 24; k++) {
    char name[16];
    snprintf(name, sizeof name, "N%u", k);
    if ((hash_bytes(name, strlen(name), 0xDFDFDFDFDFDFDFDFull) & 127u) == 5u) {
      memcpy(names[found++], name, sizeof name);
    }
  }
  /* 24 colliding names, then repeats of three of them (one in lower case). */
  static const size_t repeats[] = {3, 17, 3};
  for (size_t variant = 0; variant < 2; variant++) {
    char extra[4096] = "\"env\": [";
    size_t used = strlen(extra);
    size_t total = variant == 0 ? 24u : 8u; /* 8: a probe never runs past the limit */
    for (size_t i = 0; i < total; i++) {
      used += (size_t)snprintf(extra + used, sizeof extra - used,
                               "%s{\"name\": \"%s\", \"value\": \"v\"}", i ? ", " : "", names[i]);
    }
    for (size_t r = 0; r < 3; r++) {
      char name[16];
      snprintf(name, sizeof name, "%s", names[repeats[r] % total]);
      if (r == 2) {
        name[0] = 'n';
      }
      used += (size_t)snprintf(extra + used, sizeof extra - used,
                               ", {\"name\": \"%s\", \"value\": \"v\"}", name);
    }
    snprintf(extra + used, sizeof extra - used, "]");
    char *text = with(extra);
    run r = validate(text);
    ck_assert_int_eq(r.status, OSPOLICY_ERR_MANIFEST_DUPLICATE_ENV_KEY);
    ck_assert_uint_eq(r.result->finding_count, 3);
    for (size_t k = 0; k < 3; k++) {
      char want[32];
      snprintf(want, sizeof want, "env[%zu].name", total + k);
      ck_assert_str_eq(r.result->findings[k].path, want);
    }
    release(&r);
    free(text);
  }
  for (size_t count = 63; count <= 64; count++) {
    char extra[8192] = "\"syscalls\": [";
    size_t used = strlen(extra);
    for (size_t i = 0; i < count; i++) {
      used += (size_t)snprintf(extra + used, sizeof extra - used, "%s\"s%zu\"", i ? ", " : "", i);
    }
    snprintf(extra + used, sizeof extra - used, ", \"s%zu\"]", count / 2);
    char want[32];
    snprintf(want, sizeof want, "syscalls[%zu]", count);
    expect_one(extra, OSPOLICY_ERR_MANIFEST_DUPLICATE_ENTRY, want);
  }
}
END_TEST

/* Lists longer than 64 go through an open-addressing table in the scratch
 * (slots: a power of two, at least twice the list); 136 names crafted to
 * share a home slot make a probe run past 128 slots and send the list to the
 * sort. Either way exactly the later occurrences (case folded) are reported,
 * each by its own index; and 65 and 1,000 entries find their repeat. */
START_TEST(duplicates_found_through_the_large_table_and_its_fallback) {
  enum { COUNT = 300, COLLIDING = 136, SLOTS = 1024 }; /* 2 * 300 rounds up to 1024 */
  char colliding[COLLIDING][16];
  size_t found = 0;
  for (unsigned k = 0; found < COLLIDING; k++) {
    char name[16];
    snprintf(name, sizeof name, "C%u", k);
    if ((hash_bytes(name, strlen(name), 0xDFDFDFDFDFDFDFDFull) & (SLOTS - 1u)) == 77u) {
      memcpy(colliding[found++], name, sizeof name);
    }
  }
  static const size_t repeats[] = {5, 123, 5};
  for (size_t variant = 0; variant < 2; variant++) {
    size_t capacity = 64u * 1024u;
    char *extra = malloc(capacity);
    size_t used = (size_t)snprintf(extra, capacity, "\"env\": [");
    char names[COUNT][16];
    for (size_t i = 0; i < COUNT; i++) {
      /* variant 0: the colliding names first, then plain ones */
      if (variant == 0 && i < COLLIDING) {
        memcpy(names[i], colliding[i], sizeof names[i]);
      } else {
        snprintf(names[i], sizeof names[i], "V%zu", i);
      }
      used += (size_t)snprintf(extra + used, capacity - used,
                               "%s{\"name\": \"%s\", \"value\": \"v\"}", i ? ", " : "",
                               names[i]);
    }
    for (size_t r = 0; r < 3; r++) {
      char name[16];
      snprintf(name, sizeof name, "%s", names[repeats[r]]);
      if (r == 2) {
        name[0] = (char)(name[0] | 0x20); /* lower case: the same env key */
      }
      used += (size_t)snprintf(extra + used, capacity - used,
                               ", {\"name\": \"%s\", \"value\": \"v\"}", name);
    }
    snprintf(extra + used, capacity - used, "]");
    char *text = with(extra);
    run r = validate(text);
    ck_assert_int_eq(r.status, OSPOLICY_ERR_MANIFEST_DUPLICATE_ENV_KEY);
    ck_assert_uint_eq(r.result->findings_total, 3);
    for (size_t k = 0; k < 3; k++) {
      char want[32];
      snprintf(want, sizeof want, "env[%zu].name", (size_t)COUNT + k);
      ck_assert_str_eq(r.result->findings[k].path, want);
    }
    release(&r);
    free(text);
    free(extra);
  }
  static const size_t counts[] = {65, 1000};
  for (size_t c = 0; c < 2; c++) {
    size_t count = counts[c];
    char *extra = malloc(64u * 1024u);
    size_t used = (size_t)snprintf(extra, 64u * 1024u, "\"env\": [");
    for (size_t i = 0; i < count; i++) {
      used += (size_t)snprintf(extra + used, 64u * 1024u - used,
                               "%s{\"name\": \"K%zu\", \"value\": \"\"}", i ? ", " : "", i);
    }
    snprintf(extra + used, 64u * 1024u - used, ", {\"name\": \"k%zu\", \"value\": \"\"}]",
             count / 3);
    char want[32];
    snprintf(want, sizeof want, "env[%zu].name", count);
    expect_one(extra, OSPOLICY_ERR_MANIFEST_DUPLICATE_ENV_KEY, want);
    free(extra);
  }
}
END_TEST

/* Line and column of every stored finding, counted a word at a time, match
 * a byte-by-byte count, with newlines and findings at every distance from
 * each other and from the end of the text. */
START_TEST(finding_positions_match_a_byte_count) {
  uint32_t state = 12345;
  for (unsigned trial = 0; trial < 200; trial++) {
    char text[4096];
    size_t n = (size_t)snprintf(text, sizeof text,
                                "{\"manifestVersion\": 1, \"name\": \"t\", \"entry\": \"/app/bin/t\"");
    unsigned fields = 1u + trial % 40u;
    for (unsigned f = 0; f < fields; f++) {
      text[n++] = ',';
      state = state * 1103515245u + 12345u;
      unsigned gap = (state >> 16) % 12u;
      for (unsigned g = 0; g < gap; g++) {
        state = state * 1103515245u + 12345u;
        text[n++] = ((state >> 16) & 3u) == 0u ? '\n' : ' ';
      }
      n += (size_t)snprintf(text + n, sizeof text - n, "\"u%u\":1", f);
    }
    state = state * 1103515245u + 12345u;
    unsigned tail = (state >> 16) % 10u;
    for (unsigned g = 0; g < tail; g++) {
      text[n++] = g % 3u == 0u ? '\n' : ' ';
    }
    text[n++] = '}';
    text[n] = '\0';
    run r = validate(text);
    ck_assert_int_eq(r.status, OSPOLICY_ERR_MANIFEST_UNKNOWN_FIELD);
    ck_assert_uint_eq(r.result->findings_total, fields);
    for (size_t k = 0; k < r.result->finding_count; k++) {
      const OSPolicy_ManifestFinding *f = &r.result->findings[k];
      uint32_t line = 1, column = 1;
      for (size_t i = 0; i < f->offset; i++) {
        line = text[i] == '\n' ? line + 1u : line;
        column = text[i] == '\n' ? 1u : column + 1u;
      }
      ck_assert_msg(f->line == line && f->column == column, "trial %u finding %zu: %u:%u, want %u:%u",
                    trial, k, f->line, f->column, line, column);
    }
    release(&r);
  }
}
END_TEST

/* The app name: control and invisible characters are UNPRINTABLE (that
 * finding first), any other character outside [A-Za-z0-9._-] BAD_VALUE. */
START_TEST(app_name_characters) {
  static const struct {
    const char *name; /* as written in the JSON text */
    OSPolicy_Status status;
  } cases[] = {
      {"a\\u0001b", OSPOLICY_ERR_MANIFEST_UNPRINTABLE}, {"a\\u200bb", OSPOLICY_ERR_MANIFEST_UNPRINTABLE},
      {"a\\u00a0", OSPOLICY_ERR_MANIFEST_UNPRINTABLE},  {"\\u007f", OSPOLICY_ERR_MANIFEST_UNPRINTABLE},
      {"a b", OSPOLICY_ERR_MANIFEST_BAD_VALUE},         {"\\u00e9", OSPOLICY_ERR_MANIFEST_BAD_VALUE},
      {".a", OSPOLICY_ERR_MANIFEST_BAD_VALUE},          {"a/b", OSPOLICY_ERR_MANIFEST_BAD_VALUE},
      {"1.0-x_Y", OSPOLICY_OK},
  };
  for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
    char text[256];
    snprintf(text, sizeof text,
             "{\"manifestVersion\": 1, \"name\": \"%s\", \"entry\": \"/app/bin/t\"}", cases[c].name);
    run r = validate(text);
    ck_assert_msg(r.status == cases[c].status, "%s: %s", cases[c].name, OSPolicy_StatusName(r.status));
    if (cases[c].status != OSPOLICY_OK) {
      ck_assert_str_eq(r.result->findings[0].path, "name");
    }
    release(&r);
  }
}
END_TEST

/* Field paths: a name from the input is shown with unsafe bytes as '?', and
 * cut with "..." where it would not fit (95 bytes and the NUL), after the
 * prefix and index too. */
START_TEST(field_paths_are_safe_and_cut_to_fit) {
  static const struct {
    size_t length;  /* of an unknown member name of 'a's */
    bool in_env;    /* inside env[0] (prefix "env[0].") or at the top */
    size_t kept;    /* 'a's shown */
    bool cut;       /* then "..." */
  } cases[] = {{95, false, 95, false}, {96, false, 92, true},  {200, false, 92, true},
               {88, true, 88, false},  {89, true, 85, true}};
  for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
    char name[256];
    memset(name, 'a', cases[c].length);
    name[cases[c].length] = '\0';
    char extra[512];
    if (cases[c].in_env) {
      snprintf(extra, sizeof extra, "\"env\": [{\"name\": \"A\", \"value\": \"v\", \"%s\": 1}]", name);
    } else {
      snprintf(extra, sizeof extra, "\"%s\": 1", name);
    }
    char want[128];
    snprintf(want, sizeof want, "%s%.*s%s", cases[c].in_env ? "env[0]." : "", (int)cases[c].kept, name,
             cases[c].cut ? "..." : "");
    expect_one(extra, OSPOLICY_ERR_MANIFEST_UNKNOWN_FIELD, want);
  }
  expect_one("\"x y\\u00e9$-_\\u001b\": 1", OSPOLICY_ERR_MANIFEST_UNKNOWN_FIELD, "x?y??$-_?");
}
END_TEST

/* Paths are scanned eight bytes at a time (the last word overlapping): a
 * backslash, a control character, DEL or an invisible character at every
 * position of paths of 7 to 26 bytes is found, with its own message, and
 * the first of two problems wins. */
START_TEST(path_bytes_at_every_position) {
  static const struct {
    const char *spelled; /* as written in the JSON text */
    const char *message;
  } bad[] = {
      {"\\\\", "backslashes are not allowed in paths"},
      {"\\u0001", "control characters are not allowed in paths"},
      {"\\u007f", "control characters are not allowed in paths"},
      {"\\u00a0", "invisible or formatting characters are not allowed in paths"},
  };
  for (size_t length = 7; length <= 26; length++) {
    for (size_t at = 6; at < length; at++) {
      for (size_t b = 0; b < sizeof bad / sizeof bad[0]; b++) {
        char path[160] = "/data/";
        size_t used = 6;
        for (size_t k = 6; k < length; k++) {
          used += (size_t)snprintf(path + used, sizeof path - used, "%s",
                                   k == at ? bad[b].spelled : (k + 1 == length && b == 3 ? "\\\\" : "x"));
        }
        char extra[256];
        snprintf(extra, sizeof extra, "\"files\": [{\"path\": \"%s\", \"access\": \"ro\"}]", path);
        char *text = with(extra);
        run r = validate(text);
        ck_assert_msg(r.status == OSPOLICY_ERR_MANIFEST_UNSAFE_PATH, "%s: %s", path,
                      OSPolicy_StatusName(r.status));
        /* A backslash after an invisible character: the backslash is found
         * first (every byte is checked before the UTF-8 pass). */
        const char *want = b == 3 && at + 1 < length ? bad[0].message : bad[b].message;
        ck_assert_msg(strcmp(r.result->findings[0].message, want) == 0, "%s: %s", path,
                      r.result->findings[0].message);
        release(&r);
        free(text);
      }
    }
  }
  expect_valid("\"files\": [{\"path\": \"/data/abcdefghijklmnopqrstuvwxyz\", \"access\": \"ro\"}]");
}
END_TEST

/* Syscall and app names are checked eight bytes at a time too (the tail as
 * an overlapping word, short names as their bytes repeated): every byte
 * value at every position of names of 1 to 17 bytes is accepted exactly when
 * it is in the name's set. */
START_TEST(syscall_and_app_name_bytes_at_every_position) {
  for (size_t length = 1; length <= 17; length++) {
    for (size_t at = 0; at < length; at++) {
      for (unsigned b = 1; b < 256u; b++) {
        char name[160];
        size_t used = 0;
        for (size_t k = 0; k < length; k++) {
          if (k == at) {
            used += (size_t)snprintf(name + used, sizeof name - used, "\\u%04x", b);
          } else {
            name[used++] = k == 0 ? 'n' : 'x';
          }
        }
        name[used] = '\0';
        bool lower = (b >= 'a' && b <= 'z') || b == '_';
        bool digit = b >= '0' && b <= '9';
        bool upper = b >= 'A' && b <= 'Z';
        char extra[256];
        snprintf(extra, sizeof extra, "\"syscalls\": [\"%s\"]", name);
        char *text = with(extra);
        run r = validate(text);
        bool ok = lower || (digit && at > 0);
        ck_assert_msg(r.status == (ok ? OSPOLICY_OK : OSPOLICY_ERR_MANIFEST_BAD_VALUE),
                      "syscall byte 0x%02x at %zu of %zu: %s", b, at, length,
                      OSPolicy_StatusName(r.status));
        release(&r);
        free(text);
        snprintf(text = malloc(512), 512,
                 "{\"manifestVersion\": 1, \"name\": \"%s\", \"entry\": \"/app/bin/t\"}", name);
        r = validate(text);
        bool app_ok = lower || digit || upper || (at > 0 && (b == '.' || b == '-'));
        if (b == '_' && at == 0) {
          app_ok = false; /* [A-Za-z0-9] first */
        }
        ck_assert_msg(r.status == OSPOLICY_OK ? app_ok : !app_ok,
                      "app name byte 0x%02x at %zu of %zu: %s", b, at, length,
                      OSPolicy_StatusName(r.status));
        release(&r);
        free(text);
      }
    }
  }
}
END_TEST

/* The env-name check reads eight bytes at a time: every byte value at every
 * position of names of 1, 8, 9 and 17 bytes (whole words, a tail, both) is
 * accepted exactly when it is in [A-Za-z0-9_], and not a digit first. */
START_TEST(env_name_bytes_at_every_position) {
  static const size_t lengths[] = {1, 8, 9, 17};
  for (size_t l = 0; l < sizeof lengths / sizeof lengths[0]; l++) {
    for (size_t at = 0; at < lengths[l]; at++) {
      for (unsigned b = 1; b < 256u; b++) {
        char name[160];
        size_t used = 0;
        for (size_t k = 0; k < lengths[l]; k++) {
          if (k == at) {
            used += (size_t)snprintf(name + used, sizeof name - used, "\\u%04x", b);
          } else {
            name[used++] = k == 0 ? 'N' : 'x';
          }
        }
        name[used] = '\0';
        char extra[256];
        snprintf(extra, sizeof extra, "\"env\": [{\"name\": \"%s\", \"value\": \"v\"}]", name);
        char *text = with(extra);
        run r = validate(text);
        bool letter = (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || b == '_';
        bool ok = letter || (b >= '0' && b <= '9' && at > 0);
        ck_assert_msg(r.status == (ok ? OSPOLICY_OK : OSPOLICY_ERR_MANIFEST_BAD_ENV_NAME),
                      "byte 0x%02x at %zu of %zu: %s", b, at, lengths[l], OSPolicy_StatusName(r.status));
        release(&r);
        free(text);
      }
    }
  }
}
END_TEST

START_TEST(space_like_characters_in_paths) {
  /* "/data/x\u2002y" next to "/data/x y" would read as one grant twice. */
  expect_one("\"files\": [{\"path\": \"/data/x\\u2002y\", \"access\": \"ro\"}]",
             OSPOLICY_ERR_MANIFEST_UNSAFE_PATH, "files[0].path");
  expect_valid("\"files\": [{\"path\": \"/data/x y\", \"access\": \"ro\"}]");
  static const char *const spaces[] = {"\\u1680", "\\u2000", "\\u200a", "\\u205f", "\\u3000",
                                       "\\u2800", "\\ufe0f", "\\u17b4", "\\udb40\\udd00"};
  for (size_t i = 0; i < sizeof spaces / sizeof spaces[0]; i++) {
    char extra[128];
    snprintf(extra, sizeof extra, "\"files\": [{\"path\": \"/data/x%sy\", \"access\": \"ro\"}]",
             spaces[i]);
    expect_one(extra, OSPOLICY_ERR_MANIFEST_UNSAFE_PATH, "files[0].path");
  }
}
END_TEST

/* Invisible characters that print as nothing or as a plain space, or reorder
 * text: no-break space, combining grapheme joiner, Arabic letter mark, Hangul
 * fillers (choseong, jungseong, letter, halfwidth), Mongolian vowel
 * separator. Each is refused in env values, macLabel and paths, written as
 * an escape and as raw UTF-8. */
START_TEST(invisible_fillers_and_marks) {
  static const struct {
    const char *escape;
    const char *utf8;
  } invisible[] = {
      {"\\u00a0", "\xc2\xa0"},     {"\\u034f", "\xcd\x8f"},     {"\\u061c", "\xd8\x9c"},
      {"\\u115f", "\xe1\x85\x9f"}, {"\\u1160", "\xe1\x85\xa0"}, {"\\u180e", "\xe1\xa0\x8e"},
      {"\\u3164", "\xe3\x85\xa4"}, {"\\uffa0", "\xef\xbe\xa0"},
  };
  for (size_t i = 0; i < sizeof invisible / sizeof invisible[0]; i++) {
    const char *forms[2] = {invisible[i].escape, invisible[i].utf8};
    for (size_t f = 0; f < 2; f++) {
      char extra[256];
      snprintf(extra, sizeof extra, "\"env\": [{\"name\": \"A\", \"value\": \"a%sb\"}]",
               forms[f]);
      expect_one(extra, OSPOLICY_ERR_MANIFEST_UNPRINTABLE, "env[0].value");
      snprintf(extra, sizeof extra, "\"macLabel\": \"a%sb\"", forms[f]);
      expect_one(extra, OSPOLICY_ERR_MANIFEST_UNPRINTABLE, "macLabel");
      snprintf(extra, sizeof extra, "\"files\": [{\"path\": \"/data/a%sb\", \"access\": \"ro\"}]",
               forms[f]);
      expect_one(extra, OSPOLICY_ERR_MANIFEST_UNSAFE_PATH, "files[0].path");
      char text[256];
      snprintf(text, sizeof text, "{\"manifestVersion\":1,\"name\":\"a%sb\",\"entry\":\"/app/x\"}",
               forms[f]);
      run r = validate(text);
      ck_assert_int_eq(r.status, OSPOLICY_ERR_MANIFEST_UNPRINTABLE);
      release(&r);
    }
  }
  /* Their visible neighbours are ordinary text. */
  expect_valid("\"env\": [{\"name\": \"A\", \"value\": \"\\u00a1 \\u034e \\u061b \\u1161 "
               "\\u3165 \\uffa1\"}], \"files\": [{\"path\": \"/data/\\u00a1\\u3165\", "
               "\"access\": \"ro\"}]");
}
END_TEST

START_TEST(wrong_types) {
  static const struct {
    const char *extra;
    const char *path;
  } cases[] = {
      {"\"env\": {\"A\": \"1\"}", "env"},
      {"\"env\": [\"A=1\"]", "env[0]"},
      {"\"env\": [{\"name\": 1, \"value\": \"1\"}]", "env[0].name"},
      {"\"env\": [{\"name\": \"A\", \"value\": 1}]", "env[0].value"},
      {"\"files\": {}", "files"},
      {"\"files\": [{\"path\": [\"/data\"], \"access\": \"ro\"}]", "files[0].path"},
      {"\"files\": [{\"path\": \"/data\", \"access\": true}]", "files[0].access"},
      {"\"network\": []", "network"},
      {"\"network\": {\"listen\": {}}", "network.listen"},
      {"\"network\": {\"listen\": [8080]}", "network.listen[0]"},
      {"\"network\": {\"listen\": [{\"port\": 80.0, \"protocol\": \"tcp\"}]}",
       "network.listen[0].port"},
      {"\"network\": {\"listen\": [{\"port\": 80, \"protocol\": null}]}",
       "network.listen[0].protocol"},
      {"\"capabilities\": \"CAP_KILL\"", "capabilities"},
      {"\"capabilities\": [10]", "capabilities[0]"},
      {"\"macLabel\": 5", "macLabel"},
      {"\"syscalls\": [\"read\", 0]", "syscalls[1]"},
      {"\"limits\": 5", "limits"},
      {"\"limits\": {\"openFiles\": \"1024\"}", "limits.openFiles"},
      {"\"limits\": {\"memoryBytes\": 1e9}", "limits.memoryBytes"},
      {"\"cloudMetadata\": \"none\"", "cloudMetadata"},
      {"\"cloudMetadata\": {\"access\": false}", "cloudMetadata.access"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    expect_one(cases[i].extra, OSPOLICY_ERR_MANIFEST_WRONG_TYPE, cases[i].path);
  }
  run r = validate("{\"manifestVersion\":1,\"name\":7,\"entry\":{}}");
  ck_assert_int_eq(r.status, OSPOLICY_ERR_MANIFEST_WRONG_TYPE);
  ck_assert_uint_eq(r.result->finding_count, 2);
  release(&r);
}
END_TEST

START_TEST(values_out_of_range) {
  static const struct {
    const char *extra;
    const char *path;
  } cases[] = {
      {"\"network\": {\"listen\": [{\"port\": 0, \"protocol\": \"tcp\"}]}", "network.listen[0].port"},
      {"\"network\": {\"listen\": [{\"port\": 65536, \"protocol\": \"tcp\"}]}",
       "network.listen[0].port"},
      {"\"network\": {\"listen\": [{\"port\": -80, \"protocol\": \"tcp\"}]}",
       "network.listen[0].port"},
      {"\"network\": {\"listen\": [{\"port\": 99999999999999999999999, \"protocol\": \"tcp\"}]}",
       "network.listen[0].port"},
      {"\"limits\": {\"memoryBytes\": 1048575}", "limits.memoryBytes"},
      {"\"limits\": {\"memoryBytes\": 1099511627777}", "limits.memoryBytes"},
      {"\"limits\": {\"openFiles\": 0}", "limits.openFiles"},
      {"\"limits\": {\"openFiles\": 1048577}", "limits.openFiles"},
      {"\"limits\": {\"processes\": 65537}", "limits.processes"},
      {"\"cloudMetadata\": {\"access\": \"supervised\", \"paths\": [\"/latest/dynamic/\"], "
       "\"tokenTtlSeconds\": 0}",
       "cloudMetadata.tokenTtlSeconds"},
      {"\"cloudMetadata\": {\"access\": \"supervised\", \"paths\": [\"/latest/dynamic/\"], "
       "\"tokenTtlSeconds\": 21601}",
       "cloudMetadata.tokenTtlSeconds"},
      {"\"macLabel\": \"\"", "macLabel"},
      {"\"name\": \"\"", "name"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    if (strncmp(cases[i].extra, "\"name\"", 6) == 0) {
      run r = validate("{\"manifestVersion\":1,\"name\":\"\",\"entry\":\"/app/x\"}");
      ck_assert_int_eq(r.status, OSPOLICY_ERR_MANIFEST_OUT_OF_RANGE);
      release(&r);
      continue;
    }
    expect_one(cases[i].extra, OSPOLICY_ERR_MANIFEST_OUT_OF_RANGE, cases[i].path);
  }
  expect_valid("\"network\": {\"listen\": [{\"port\": 1, \"protocol\": \"tcp\"}, {\"port\": "
               "65535, \"protocol\": \"udp\"}]}, \"limits\": {\"memoryBytes\": 1048576, "
               "\"openFiles\": 1048576, \"processes\": 65536}");
  expect_valid("\"limits\": {\"memoryBytes\": 1099511627776, \"openFiles\": 1, \"processes\": 1}");
  expect_valid("\"limits\": {}");
  expect_valid("\"cloudMetadata\": {\"access\": \"supervised\", \"paths\": [\"/latest/dynamic/\"], "
               "\"tokenTtlSeconds\": 21600}");
  expect_valid("\"cloudMetadata\": {\"access\": \"supervised\", \"paths\": [\"/latest/dynamic/\"], "
               "\"tokenTtlSeconds\": 1}");
  char label[300];
  memset(label, 'l', 256);
  label[256] = '\0';
  char extra[400];
  snprintf(extra, sizeof extra, "\"macLabel\": \"%s\"", label);
  expect_one(extra, OSPOLICY_ERR_MANIFEST_OUT_OF_RANGE, "macLabel");
  label[255] = '\0';
  snprintf(extra, sizeof extra, "\"macLabel\": \"%s\"", label);
  expect_valid(extra);
}
END_TEST

START_TEST(too_many_entries) {
  static const struct {
    const char *field;
    const char *head; /* item = head + number + tail */
    const char *tail;
    unsigned limit;
  } lists[] = {
      {"files", "{\"path\": \"/data/f", "\", \"access\": \"ro\"}", OSPOLICY_MANIFEST_MAX_FILES},
      {"syscalls", "\"s", "\"", OSPOLICY_MANIFEST_MAX_SYSCALLS},
      {"env", "{\"name\": \"E", "\", \"value\": \"\"}", OSPOLICY_MANIFEST_MAX_ENV},
  };
  char *extra = malloc(1 << 20);
  for (size_t l = 0; l < sizeof lists / sizeof lists[0]; l++) {
    for (unsigned count = lists[l].limit; count <= lists[l].limit + 1; count++) {
      size_t n = (size_t)sprintf(extra, "\"%s\": [", lists[l].field);
      for (unsigned i = 0; i < count; i++) {
        n += (size_t)sprintf(extra + n, i ? "," : "");
        n += (size_t)sprintf(extra + n, "%s%u%s", lists[l].head, i, lists[l].tail);
      }
      sprintf(extra + n, "]");
      char *text = with(extra);
      run r = validate_sized(text, strlen(text), 1 << 20);
      if (count == lists[l].limit) {
        ck_assert_msg(r.status == OSPOLICY_OK, "%s at the limit: %s", lists[l].field,
                      OSPolicy_StatusName(r.status));
      } else {
        ck_assert_int_eq(r.status, OSPOLICY_ERR_MANIFEST_TOO_MANY);
        ck_assert_uint_eq(r.result->finding_count, 1);
        ck_assert_str_eq(r.result->findings[0].path, lists[l].field);
      }
      release(&r);
      free(text);
    }
  }
  /* 65 listen entries (distinct ports), 65 capabilities (repeats, so duplicates too). */
  size_t n = (size_t)sprintf(extra, "\"network\": {\"listen\": [");
  for (unsigned i = 0; i < 65; i++) {
    n += (size_t)sprintf(extra + n, "%s{\"port\": %u, \"protocol\": \"tcp\"}", i ? "," : "",
                         1000 + i);
  }
  sprintf(extra + n, "]}");
  expect_one(extra, OSPOLICY_ERR_MANIFEST_TOO_MANY, "network.listen");
  n = (size_t)sprintf(extra, "\"capabilities\": [");
  for (unsigned i = 0; i < 65; i++) {
    n += (size_t)sprintf(extra + n, "%s\"%s\"", i ? "," : "",
                         OSPolicy_CapabilityName(i % OSPOLICY_CAPABILITY_COUNT));
  }
  sprintf(extra + n, "]");
  char *text = with(extra);
  run r = validate(text);
  ck_assert_int_eq(r.status, OSPOLICY_ERR_MANIFEST_TOO_MANY);
  ck_assert_uint_eq(r.result->findings_total, 1 + 65 - OSPOLICY_CAPABILITY_COUNT);
  release(&r);
  free(text);
  free(extra);
}
END_TEST

START_TEST(unknown_fields_at_every_level) {
  static const struct {
    const char *extra;
    const char *path;
  } cases[] = {
      {"\"capabilites\": []", "capabilites"},
      {"\"Name\": \"x\"", "Name"},
      {"\"env\": [{\"name\": \"A\", \"value\": \"\", \"secret\": true}]", "env[0].secret"},
      {"\"files\": [{\"path\": \"/data\", \"access\": \"ro\", \"mode\": 420}]", "files[0].mode"},
      {"\"network\": {\"listen\": [], \"connect\": []}", "network.connect"},
      {"\"network\": {\"listen\": [{\"port\": 1, \"protocol\": \"tcp\", \"host\": \"0.0.0.0\"}]}",
       "network.listen[0].host"},
      {"\"limits\": {\"cpus\": 2}", "limits.cpus"},
      {"\"cloudMetadata\": {\"access\": \"none\", \"version\": 1}", "cloudMetadata.version"},
      /* A hostile name is shown with safe characters only. */
      {"\"\\u001b[31mred\": 1", "??31mred"},
      {"\"a.b\": 1", "a?b"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    expect_one(cases[i].extra, OSPOLICY_ERR_MANIFEST_UNKNOWN_FIELD, cases[i].path);
  }
}
END_TEST

START_TEST(missing_fields) {
  run r = validate("{\"manifestVersion\": 1}");
  ck_assert_int_eq(r.status, OSPOLICY_ERR_MANIFEST_MISSING_FIELD);
  ck_assert_uint_eq(r.result->finding_count, 2);
  ck_assert_str_eq(r.result->findings[0].path, "name");
  ck_assert_str_eq(r.result->findings[1].path, "entry");
  ck_assert_uint_eq(r.result->findings[0].offset, 0);
  release(&r);
  expect_one("\"env\": [{\"value\": \"x\"}]", OSPOLICY_ERR_MANIFEST_MISSING_FIELD, "env[0].name");
  expect_one("\"env\": [{\"name\": \"X\"}]", OSPOLICY_ERR_MANIFEST_MISSING_FIELD, "env[0].value");
  expect_one("\"files\": [{\"path\": \"/data\"}]", OSPOLICY_ERR_MANIFEST_MISSING_FIELD,
             "files[0].access");
  expect_one("\"files\": [{\"access\": \"ro\"}]", OSPOLICY_ERR_MANIFEST_MISSING_FIELD,
             "files[0].path");
  expect_one("\"network\": {\"listen\": [{\"port\": 80}]}", OSPOLICY_ERR_MANIFEST_MISSING_FIELD,
             "network.listen[0].protocol");
  expect_one("\"cloudMetadata\": {}", OSPOLICY_ERR_MANIFEST_MISSING_FIELD, "cloudMetadata.access");
}
END_TEST

START_TEST(bad_values) {
  static const struct {
    const char *extra;
    const char *path;
  } cases[] = {
      {"\"files\": [{\"path\": \"/data\", \"access\": \"RW\"}]", "files[0].access"},
      {"\"files\": [{\"path\": \"/data\", \"access\": \"rwx\"}]", "files[0].access"},
      {"\"network\": {\"listen\": [{\"port\": 80, \"protocol\": \"TCP\"}]}",
       "network.listen[0].protocol"},
      {"\"cloudMetadata\": {\"access\": \"imdsv1\"}", "cloudMetadata.access"},
      {"\"cloudMetadata\": {\"access\": \"imdsv2-token\"}", "cloudMetadata.access"},
      {"\"cloudMetadata\": {\"access\": \"none\", \"paths\": [\"/latest/dynamic/\"]}",
       "cloudMetadata.paths"},
      {"\"cloudMetadata\": {\"access\": \"none\", \"credentials\": {\"role\": \"r\"}}",
       "cloudMetadata.credentials"},
      {"\"cloudMetadata\": {\"access\": \"none\", \"tokenTtlSeconds\": 60}",
       "cloudMetadata.tokenTtlSeconds"},
      {"\"macLabel\": \"a b\"", "macLabel"},
      {"\"macLabel\": \"caf\\u00e9\"", "macLabel"},
      {"\"syscalls\": [\"Read\"]", "syscalls[0]"},
      {"\"syscalls\": [\"\"]", "syscalls[0]"},
      {"\"syscalls\": [\"9p\"]", "syscalls[0]"},
      {"\"syscalls\": [\"read write\"]", "syscalls[0]"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    expect_one(cases[i].extra, OSPOLICY_ERR_MANIFEST_BAD_VALUE, cases[i].path);
  }
  run r = validate("{\"manifestVersion\":1,\"name\":\"-x\",\"entry\":\"/app/x\"}");
  ck_assert_int_eq(r.status, OSPOLICY_ERR_MANIFEST_BAD_VALUE);
  release(&r);
  r = validate("{\"manifestVersion\":1,\"name\":\"a/b\",\"entry\":\"/app/x\"}");
  ck_assert_int_eq(r.status, OSPOLICY_ERR_MANIFEST_BAD_VALUE);
  release(&r);
  /* Invisible characters in names and labels are their own finding. */
  r = validate("{\"manifestVersion\":1,\"name\":\"app\\u202egnp.exe\",\"entry\":\"/app/x\"}");
  ck_assert_int_eq(r.status, OSPOLICY_ERR_MANIFEST_UNPRINTABLE);
  release(&r);
  expect_one("\"macLabel\": \"a\\tb\"", OSPOLICY_ERR_MANIFEST_UNPRINTABLE, "macLabel");
}
END_TEST

START_TEST(capabilities) {
  char *extra = malloc(8192);
  size_t n = (size_t)sprintf(extra, "\"capabilities\": [");
  for (uint32_t i = 0; i < OSPOLICY_CAPABILITY_COUNT; i++) {
    n += (size_t)sprintf(extra + n, "%s\"%s\"", i ? "," : "", OSPolicy_CapabilityName(i));
  }
  sprintf(extra + n, "]");
  char *text = with(extra);
  run r = validate(text);
  ck_assert_int_eq(r.status, OSPOLICY_OK);
  ck_assert_uint_eq(r.result->manifest.capabilities, ((uint64_t)1 << OSPOLICY_CAPABILITY_COUNT) - 1);
  ck_assert_uint_eq(r.result->manifest.capability_count, OSPOLICY_CAPABILITY_COUNT);
  release(&r);
  free(text);
  free(extra);
  ck_assert_ptr_null(OSPolicy_CapabilityName(OSPOLICY_CAPABILITY_COUNT));
  expect_one("\"capabilities\": [\"net_admin\"]", OSPOLICY_ERR_MANIFEST_UNKNOWN_CAPABILITY,
             "capabilities[0]");
  expect_one("\"capabilities\": [\"CAP_NET_ADMIN\", \"CAP_EVERYTHING\"]",
             OSPOLICY_ERR_MANIFEST_UNKNOWN_CAPABILITY, "capabilities[1]");
  expect_one("\"capabilities\": [\"CAP_KILL\", \"CAP_CHOWN\", \"CAP_KILL\"]",
             OSPOLICY_ERR_MANIFEST_DUPLICATE_ENTRY, "capabilities[2]");
}
END_TEST

START_TEST(duplicate_entries) {
  expect_one("\"files\": [{\"path\": \"/data/x\", \"access\": \"ro\"}, {\"path\": \"/data/x\", "
             "\"access\": \"rw\"}]",
             OSPOLICY_ERR_MANIFEST_DUPLICATE_ENTRY, "files[1].path");
  expect_one("\"network\": {\"listen\": [{\"port\": 80, \"protocol\": \"tcp\"}, {\"port\": 80, "
             "\"protocol\": \"tcp\"}]}",
             OSPOLICY_ERR_MANIFEST_DUPLICATE_ENTRY, "network.listen[1].port");
  expect_valid("\"network\": {\"listen\": [{\"port\": 80, \"protocol\": \"tcp\"}, {\"port\": 80, "
               "\"protocol\": \"udp\"}]}");
  expect_one("\"syscalls\": [\"read\", \"write\", \"read\"]", OSPOLICY_ERR_MANIFEST_DUPLICATE_ENTRY,
             "syscalls[2]");
  /* Paths are compared as bytes: case differs, so these are two paths. */
  expect_valid("\"files\": [{\"path\": \"/data/x\", \"access\": \"ro\"}, {\"path\": \"/data/X\", "
               "\"access\": \"ro\"}]");
}
END_TEST

START_TEST(every_problem_in_one_run) {
  size_t size;
  char *text = read_file(EXAMPLES_DIR "/reject-many-problems.json", &size);
  run r = validate_sized(text, size, 0);
  static const OSPolicy_Status expected[] = {
      OSPOLICY_ERR_MANIFEST_BAD_VALUE,    OSPOLICY_ERR_MANIFEST_UNSAFE_PATH,
      OSPOLICY_ERR_MANIFEST_BAD_ENV_NAME, OSPOLICY_ERR_MANIFEST_DUPLICATE_ENV_KEY,
      OSPOLICY_ERR_MANIFEST_UNSAFE_PATH,  OSPOLICY_ERR_MANIFEST_UNSAFE_PATH,
      OSPOLICY_ERR_MANIFEST_BAD_VALUE,    OSPOLICY_ERR_MANIFEST_OUT_OF_RANGE,
      OSPOLICY_ERR_MANIFEST_BAD_VALUE,    OSPOLICY_ERR_MANIFEST_UNKNOWN_FIELD,
      OSPOLICY_ERR_MANIFEST_WRONG_TYPE,   OSPOLICY_ERR_MANIFEST_OUT_OF_RANGE,
  };
  size_t count = sizeof expected / sizeof expected[0];
  ck_assert_uint_eq(r.result->finding_count, count);
  ck_assert_uint_eq(r.result->findings_total, count);
  for (size_t i = 0; i < count; i++) {
    ck_assert_msg(r.result->findings[i].status == expected[i], "finding %zu: %s", i,
                  OSPolicy_StatusName(r.result->findings[i].status));
  }
  release(&r);
  free(text);
  /* More findings than the result holds: the first 32 are kept, all counted. */
  char *extra = malloc(16384);
  size_t n = (size_t)sprintf(extra, "\"syscalls\": [");
  for (int i = 0; i < 50; i++) {
    n += (size_t)sprintf(extra + n, "%s\"BAD%d\"", i ? "," : "", i);
  }
  sprintf(extra + n, "]");
  text = with(extra);
  r = validate(text);
  ck_assert_int_eq(r.status, OSPOLICY_ERR_MANIFEST_BAD_VALUE);
  ck_assert_uint_eq(r.result->finding_count, OSPOLICY_MANIFEST_MAX_FINDINGS);
  ck_assert_uint_eq(r.result->findings_total, 50);
  ck_assert_str_eq(r.result->findings[31].path, "syscalls[31]");
  release(&r);
  free(text);
  free(extra);
}
END_TEST

/* Findings are discovered field by field (unknown root members first, then
 * name, entry, ...), not in document order. With more than the result holds,
 * the ones kept must be the earliest in the document, and the status that of
 * the very first, even when it is discovered last. */
START_TEST(kept_findings_are_the_earliest_by_offset) {
  char *text = malloc(4096);
  size_t n =
      (size_t)sprintf(text, "{\"manifestVersion\":1,\"name\":\"b a d\",\"entry\":\"/app/x\"");
  size_t unknown_at[40];
  for (int i = 0; i < 40; i++) {
    n += (size_t)sprintf(text + n, ",");
    unknown_at[i] = n;
    n += (size_t)sprintf(text + n, "\"u%d\":1", i);
  }
  sprintf(text + n, "}");
  run r = validate(text);
  ck_assert_int_eq(r.status, OSPOLICY_ERR_MANIFEST_BAD_VALUE);
  ck_assert_uint_eq(r.result->findings_total, 41);
  ck_assert_uint_eq(r.result->finding_count, OSPOLICY_MANIFEST_MAX_FINDINGS);
  const OSPolicy_ManifestFinding *f = r.result->findings;
  ck_assert_int_eq(f[0].status, OSPOLICY_ERR_MANIFEST_BAD_VALUE);
  ck_assert_str_eq(f[0].path, "name");
  ck_assert_uint_eq(f[0].offset, 28);
  ck_assert_uint_eq(f[0].line, 1);
  ck_assert_uint_eq(f[0].column, 29);
  for (int i = 0; i < 31; i++) { /* then u0..u30: the 31 earliest unknown fields */
    char name[8];
    snprintf(name, sizeof name, "u%d", i);
    ck_assert_int_eq(f[i + 1].status, OSPOLICY_ERR_MANIFEST_UNKNOWN_FIELD);
    ck_assert_str_eq(f[i + 1].path, name);
    ck_assert_uint_eq(f[i + 1].offset, unknown_at[i]);
    ck_assert_uint_eq(f[i + 1].column, unknown_at[i] + 1);
  }
  release(&r);
  /* The other way round (unknown fields first in the text): the earliest
   * 32 are unknown fields, the later bad name is counted but not kept. */
  n = (size_t)sprintf(text, "{");
  for (int i = 0; i < 40; i++) {
    unknown_at[i] = n;
    n += (size_t)sprintf(text + n, "\"u%d\":1,", i);
  }
  sprintf(text + n, "\"manifestVersion\":1,\"name\":\"b a d\",\"entry\":\"/app/x\"}");
  r = validate(text);
  ck_assert_int_eq(r.status, OSPOLICY_ERR_MANIFEST_UNKNOWN_FIELD);
  ck_assert_uint_eq(r.result->findings_total, 41);
  ck_assert_uint_eq(r.result->finding_count, OSPOLICY_MANIFEST_MAX_FINDINGS);
  for (int i = 0; i < 32; i++) {
    ck_assert_int_eq(r.result->findings[i].status, OSPOLICY_ERR_MANIFEST_UNKNOWN_FIELD);
    ck_assert_uint_eq(r.result->findings[i].offset, unknown_at[i]);
  }
  release(&r);
  /* Findings at the same offset keep the order they were found in: two
   * missing fields at the root, then 40 unknown fields after them. */
  n = (size_t)sprintf(text, "{\"manifestVersion\":1");
  for (int i = 0; i < 40; i++) {
    n += (size_t)sprintf(text + n, ",\"u%d\":1", i);
  }
  sprintf(text + n, "}");
  r = validate(text);
  ck_assert_int_eq(r.status, OSPOLICY_ERR_MANIFEST_MISSING_FIELD);
  ck_assert_uint_eq(r.result->findings_total, 42);
  ck_assert_str_eq(r.result->findings[0].path, "name");
  ck_assert_str_eq(r.result->findings[1].path, "entry");
  ck_assert_str_eq(r.result->findings[2].path, "u0");
  ck_assert_str_eq(r.result->findings[31].path, "u29");
  release(&r);
  free(text);
}
END_TEST

START_TEST(workspace_contract) {
  const char *text = "{\"manifestVersion\":1,\"name\":\"a\",\"entry\":\"/app/a\"}";
  size_t size = strlen(text);
  OSPolicy_ManifestResult *result = malloc(sizeof *result);
  /* Size 0 asks for the size. */
  OSPolicy_ManifestRequest request = {.text = text, .size = size};
  ck_assert_int_eq(OSPolicy_ValidateManifest(&request, result), OSPOLICY_ERR_BUFFER_TOO_SMALL);
  size_t required;
  ck_assert_int_eq(OSPolicy_GetManifestWorkspaceSize(size, &required), OSPOLICY_OK);
  ck_assert_uint_eq(result->workspace_required, required);
  ck_assert_uint_eq(result->finding_count, 0);
  /* One byte short is refused; any alignment of the workspace works. */
  unsigned char *block = malloc(required + 8);
  request.workspace = block + 1;
  request.workspace_size = required - 1;
  ck_assert_int_eq(OSPolicy_ValidateManifest(&request, result), OSPOLICY_ERR_BUFFER_TOO_SMALL);
  for (size_t shift = 0; shift < 8; shift++) {
    request.workspace = block + shift;
    request.workspace_size = required;
    ck_assert_int_eq(OSPolicy_ValidateManifest(&request, result), OSPOLICY_OK);
    ck_assert_str_eq(result->manifest.entry.data, "/app/a");
  }
  free(block);
  ck_assert_int_eq(OSPolicy_GetManifestWorkspaceSize(OSPOLICY_MANIFEST_MAX_SIZE_CEILING + 1,
                                                     &required),
                   OSPOLICY_ERR_OVERFLOW);
  /* The 64 KiB default needs about 1.58 MiB, a small manifest some KiB. */
  ck_assert_int_eq(OSPolicy_GetManifestWorkspaceSize(65536, &required), OSPOLICY_OK);
  ck_assert_uint_lt(required, 2u << 20);
  free(result);
}
END_TEST

/* cloudMetadata: mediated access only (docs/manifest.md, docs/imds.md). */
START_TEST(cloud_metadata_supervised) {
  static const struct {
    const char *extra;
    OSPolicy_Status status;
    const char *path;
  } cases[] = {
      /* Granted paths follow the planner's request-path syntax: refused, not normalised. */
      {"\"cloudMetadata\": {\"access\": \"supervised\", \"paths\": [\"/latest/meta-data/../user-data\"]}",
       OSPOLICY_ERR_MANIFEST_UNSAFE_PATH, "cloudMetadata.paths[0]"},
      {"\"cloudMetadata\": {\"access\": \"supervised\", \"paths\": [\"/latest/meta-data//x\"]}",
       OSPOLICY_ERR_MANIFEST_UNSAFE_PATH, "cloudMetadata.paths[0]"},
      {"\"cloudMetadata\": {\"access\": \"supervised\", \"paths\": [\"/latest/meta-data/%2e%2e/x\"]}",
       OSPOLICY_ERR_MANIFEST_UNSAFE_PATH, "cloudMetadata.paths[0]"},
      {"\"cloudMetadata\": {\"access\": \"supervised\", \"paths\": [\"/latest/meta-data/a?b\"]}",
       OSPOLICY_ERR_MANIFEST_UNSAFE_PATH, "cloudMetadata.paths[0]"},
      {"\"cloudMetadata\": {\"access\": \"supervised\", \"paths\": [\"/latest/api/token\"]}",
       OSPOLICY_ERR_MANIFEST_UNSAFE_PATH, "cloudMetadata.paths[0]"},
      {"\"cloudMetadata\": {\"access\": \"supervised\", \"paths\": [\"/latest/user-data/\"]}",
       OSPOLICY_ERR_MANIFEST_UNSAFE_PATH, "cloudMetadata.paths[0]"},
      {"\"cloudMetadata\": {\"access\": \"supervised\", \"paths\": [\"meta-data/instance-id\"]}",
       OSPOLICY_ERR_MANIFEST_UNSAFE_PATH, "cloudMetadata.paths[0]"},
      /* Credentials are granted by credentials.role, never by a path. */
      {"\"cloudMetadata\": {\"access\": \"supervised\", \"paths\": "
       "[\"/latest/meta-data/iam/security-credentials/admin\"]}",
       OSPOLICY_ERR_MANIFEST_UNSAFE_PATH, "cloudMetadata.paths[0]"},
      {"\"cloudMetadata\": {\"access\": \"supervised\", \"paths\": "
       "[\"/latest/meta-data/iam/security-credentials\"]}",
       OSPOLICY_ERR_MANIFEST_UNSAFE_PATH, "cloudMetadata.paths[0]"},
      {"\"cloudMetadata\": {\"access\": \"supervised\", \"paths\": [\"/latest/dynamic/\", "
       "\"/latest/dynamic/\"]}",
       OSPOLICY_ERR_MANIFEST_DUPLICATE_ENTRY, "cloudMetadata.paths[1]"},
      {"\"cloudMetadata\": {\"access\": \"supervised\", \"paths\": \"/latest/dynamic/\"}",
       OSPOLICY_ERR_MANIFEST_WRONG_TYPE, "cloudMetadata.paths"},
      {"\"cloudMetadata\": {\"access\": \"supervised\", \"paths\": [7]}",
       OSPOLICY_ERR_MANIFEST_WRONG_TYPE, "cloudMetadata.paths[0]"},
      {"\"cloudMetadata\": {\"access\": \"supervised\", \"credentials\": {}}",
       OSPOLICY_ERR_MANIFEST_MISSING_FIELD, "cloudMetadata.credentials.role"},
      {"\"cloudMetadata\": {\"access\": \"supervised\", \"credentials\": {\"role\": \"a/b\"}}",
       OSPOLICY_ERR_MANIFEST_BAD_VALUE, "cloudMetadata.credentials.role"},
      /* '@' is an IAM character no metadata path can carry: never fetchable. */
      {"\"cloudMetadata\": {\"access\": \"supervised\", \"credentials\": {\"role\": \"svc@prod\"}}",
       OSPOLICY_ERR_MANIFEST_BAD_VALUE, "cloudMetadata.credentials.role"},
      /* The instance's own identity credentials are never an app's. */
      {"\"cloudMetadata\": {\"access\": \"supervised\", \"paths\": "
       "[\"/latest/meta-data/identity-credentials/ec2/\"]}",
       OSPOLICY_ERR_MANIFEST_UNSAFE_PATH, "cloudMetadata.paths[0]"},
      {"\"cloudMetadata\": {\"access\": \"supervised\", \"credentials\": {\"role\": \"\"}}",
       OSPOLICY_ERR_MANIFEST_BAD_VALUE, "cloudMetadata.credentials.role"},
      {"\"cloudMetadata\": {\"access\": \"supervised\", \"credentials\": true}",
       OSPOLICY_ERR_MANIFEST_WRONG_TYPE, "cloudMetadata.credentials"},
      {"\"cloudMetadata\": {\"access\": \"supervised\", \"credentials\": {\"role\": \"r\", "
       "\"enabled\": true}}",
       OSPOLICY_ERR_MANIFEST_UNKNOWN_FIELD, "cloudMetadata.credentials.enabled"},
      /* hopLimit belonged to direct access, which no longer exists. */
      {"\"cloudMetadata\": {\"access\": \"supervised\", \"paths\": [\"/latest/dynamic/\"], "
       "\"hopLimit\": 1}",
       OSPOLICY_ERR_MANIFEST_UNKNOWN_FIELD, "cloudMetadata.hopLimit"},
      /* Supervised access that grants nothing is a mistake, not a policy. */
      {"\"cloudMetadata\": {\"access\": \"supervised\"}", OSPOLICY_ERR_MANIFEST_MISSING_FIELD,
       "cloudMetadata.paths"},
      {"\"cloudMetadata\": {\"access\": \"supervised\", \"paths\": []}",
       OSPOLICY_ERR_MANIFEST_MISSING_FIELD, "cloudMetadata.paths"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    expect_one(cases[i].extra, cases[i].status, cases[i].path);
  }
  /* 33 paths: too many. */
  char extra[4096];
  size_t n = (size_t)snprintf(extra, sizeof extra,
                              "\"cloudMetadata\": {\"access\": \"supervised\", \"paths\": [");
  for (int i = 0; i < 33; i++) {
    n += (size_t)snprintf(extra + n, sizeof extra - n, "%s\"/latest/meta-data/p%d\"",
                          i > 0 ? ", " : "", i);
  }
  snprintf(extra + n, sizeof extra - n, "]}");
  expect_one(extra, OSPOLICY_ERR_MANIFEST_TOO_MANY, "cloudMetadata.paths");

  char *text = with("\"cloudMetadata\": {\"access\": \"supervised\", \"paths\": "
                    "[\"/latest/meta-data/instance-id\", \"/latest/user-data\", \"/latest/meta-data/\"], "
                    "\"credentials\": {\"role\": \"Reader._-1\"}}");
  run r = validate(text);
  ck_assert_int_eq(r.status, OSPOLICY_OK);
  const OSPolicy_Manifest *m = &r.result->manifest;
  ck_assert_int_eq(m->metadata_access, OSPOLICY_METADATA_ACCESS_SUPERVISED);
  ck_assert_uint_eq(m->metadata_path_count, 3);
  ck_assert_str_eq(m->metadata_paths[1].data, "/latest/user-data");
  ck_assert_str_eq(m->metadata_role.data, "Reader._-1");
  ck_assert_uint_eq(m->metadata_token_ttl, 21600); /* the default */
  release(&r);
  free(text);
  /* Credentials alone are a grant; without cloudMetadata nothing is granted. */
  expect_valid("\"cloudMetadata\": {\"access\": \"supervised\", \"credentials\": {\"role\": \"r\"}}");
  r = validate("{\"manifestVersion\":1,\"name\":\"t\",\"entry\":\"/app/t\"}");
  ck_assert_int_eq(r.status, OSPOLICY_OK);
  ck_assert_int_eq(r.result->manifest.metadata_access, OSPOLICY_METADATA_ACCESS_NONE);
  ck_assert_uint_eq(r.result->manifest.metadata_path_count, 0);
  ck_assert_uint_eq(r.result->manifest.metadata_role.length, 0);
  release(&r);
}
END_TEST

START_TEST(null_arguments_and_zero_result) {
  ck_assert_int_eq(OSPolicy_ValidateManifest(NULL, NULL), OSPOLICY_ERR_NULL_ARGUMENT);
  OSPolicy_ManifestResult *result = malloc(sizeof *result);
  ck_assert_int_eq(OSPolicy_ValidateManifest(NULL, result), OSPOLICY_ERR_NULL_ARGUMENT);
  ck_assert_int_eq(result->status, OSPOLICY_ERR_NULL_ARGUMENT);
  OSPolicy_ManifestRequest request = {.text = NULL, .size = 10};
  ck_assert_int_eq(OSPolicy_ValidateManifest(&request, result), OSPOLICY_ERR_NULL_ARGUMENT);
  ck_assert_int_eq(OSPolicy_GetManifestWorkspaceSize(10, NULL), OSPOLICY_ERR_NULL_ARGUMENT);
  /* A zero-filled result is not an accepted manifest. */
  memset(result, 0, sizeof *result);
  ck_assert_int_ne(result->status, OSPOLICY_OK);
  ck_assert_int_eq(result->manifest.metadata_access, OSPOLICY_METADATA_ACCESS_UNSET);
  free(result);
}
END_TEST

Suite *manifest_suite(void);
Suite *manifest_suite(void) {
  Suite *suite = suite_create("manifest");
  TCase *tc = tcase_create("validate");
  tcase_add_test(tc, accepts_minimal_manifest);
  tcase_add_test(tc, service_example_parsed_view);
  tcase_add_test(tc, examples_reject_with_their_status);
  tcase_add_test(tc, malformed_reports_json_detail_and_position);
  tcase_add_test(tc, oversized_is_refused_before_reading);
  tcase_add_test(tc, unknown_version);
  tcase_add_test(tc, unsafe_paths);
  tcase_add_test(tc, entry_must_be_a_file_under_app);
  tcase_add_test(tc, writable_app_is_denied);
  tcase_add_test(tc, duplicate_env_keys);
  tcase_add_test(tc, many_env_keys_with_one_duplicate);
  tcase_add_test(tc, bad_env_names);
  tcase_add_test(tc, wrong_types);
  tcase_add_test(tc, values_out_of_range);
  tcase_add_test(tc, too_many_entries);
  tcase_add_test(tc, unknown_fields_at_every_level);
  tcase_add_test(tc, missing_fields);
  tcase_add_test(tc, bad_values);
  tcase_add_test(tc, capabilities);
  tcase_add_test(tc, duplicate_entries);
  tcase_add_test(tc, every_problem_in_one_run);
  tcase_add_test(tc, kept_findings_are_the_earliest_by_offset);
  tcase_add_test(tc, invisible_fillers_and_marks);
  tcase_add_test(tc, invisible_set_matches_unicode_data);
  tcase_add_test(tc, space_like_characters_in_paths);
  tcase_add_test(tc, env_name_bytes_at_every_position);
  tcase_add_test(tc, duplicates_found_in_small_and_large_hash_groups);
  tcase_add_test(tc, duplicates_found_through_the_small_table_and_its_fallback);
  tcase_add_test(tc, duplicates_found_through_the_large_table_and_its_fallback);
  tcase_add_test(tc, path_bytes_at_every_position);
  tcase_add_test(tc, field_paths_are_safe_and_cut_to_fit);
  tcase_add_test(tc, app_name_characters);
  tcase_add_test(tc, finding_positions_match_a_byte_count);
  tcase_add_test(tc, syscall_and_app_name_bytes_at_every_position);
  tcase_add_test(tc, workspace_contract);
  tcase_add_test(tc, null_arguments_and_zero_result);
  tcase_add_test(tc, cloud_metadata_supervised);
  suite_add_tcase(suite, tc);
  return suite;
}
