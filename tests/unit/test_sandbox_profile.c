/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * The sandbox profile compiler: every rule of include/ospolicy/sandbox_profile.h
 * against manifests validated by the real validator and small syscall tables
 * written here (the Linux table is exercised by live.sandbox).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ospolicy/sandbox_profile.h"

typedef struct compiled {
  OSPolicy_ManifestResult *result;
  void *workspace;
  OSPolicy_SandboxProfile profile;
  OSPolicy_Status status;
} compiled;

/* A tiny ABI, sorted by name: the runtime set at 0..12 (numbered in its
 * documented order), then a few more. */
static const OSPolicy_SyscallName table_entries[] = {
    {"arch_prctl", 2}, {"brk", 1},        {"close", 63},         {"execve", 0},
    {"exit", 11},      {"exit_group", 12}, {"getrandom", 9},     {"mprotect", 7},
    {"openat", 64},    {"prlimit64", 6},   {"read", 100},        {"readlink", 8},
    {"rseq", 5},       {"rt_sigreturn", 10}, {"set_robust_list", 4}, {"set_tid_address", 3},
    {"socket", 1023},  {"write", 101},
};
static const OSPolicy_SyscallTable table = {table_entries,
                                            sizeof table_entries / sizeof table_entries[0]};

static OSPolicy_ManifestResult *validate_text(const char *text, void **workspace) {
  OSPolicy_ManifestResult *result = malloc(sizeof *result);
  size_t required = 0;
  ck_assert_int_eq(OSPolicy_GetManifestWorkspaceSize(strlen(text), &required), OSPOLICY_OK);
  *workspace = malloc(required);
  OSPolicy_ManifestRequest request = {.text = text, .size = strlen(text),
                                      .workspace = *workspace, .workspace_size = required};
  OSPolicy_Status status = OSPolicy_ValidateManifest(&request, result);
  ck_assert_msg(status == OSPOLICY_OK, "%s: %s", text, OSPolicy_StatusName(status));
  return result;
}

static compiled compile_with(const char *extra, const OSPolicy_SyscallTable *t) {
  char text[4096];
  snprintf(text, sizeof text, "{\"manifestVersion\": 1, \"name\": \"t\", \"entry\": \"/app/t\"%s%s}",
           extra[0] != '\0' ? ", " : "", extra);
  compiled c = {0};
  c.result = validate_text(text, &c.workspace);
  memset(&c.profile, 0xA5, sizeof c.profile);
  c.status = OSPolicy_CompileSandboxProfile(&c.result->manifest, t, &c.profile);
  ck_assert_int_eq(c.status, c.profile.status);
  return c;
}

static compiled compile(const char *extra) {
  return compile_with(extra, &table);
}

static void release(compiled *c) {
  free(c->result);
  free(c->workspace);
}

static uint32_t allowed_numbers(const OSPolicy_SandboxProfile *p) {
  uint32_t n = 0;
  for (uint32_t i = 0; i < 2048u; i++) {
    n += OSPolicy_DecideSandboxSyscall(p, i) == OSPOLICY_DECISION_ALLOW;
  }
  return n;
}

START_TEST(absent_syscalls_means_runtime_set_only) {
  compiled c = compile("");
  ck_assert_int_eq(c.status, OSPOLICY_OK);
  ck_assert_uint_eq(c.profile.allowed_count, OSPOLICY_SANDBOX_RUNTIME_COUNT);
  ck_assert_uint_eq(allowed_numbers(&c.profile), OSPOLICY_SANDBOX_RUNTIME_COUNT);
  for (uint32_t i = 0; i < OSPOLICY_SANDBOX_RUNTIME_COUNT; i++) {
    ck_assert_int_eq(OSPolicy_DecideSandboxSyscall(&c.profile, i), OSPOLICY_DECISION_ALLOW);
  }
  ck_assert_int_eq(OSPolicy_DecideSandboxSyscall(&c.profile, 100), OSPOLICY_DECISION_DENY);
  ck_assert_int_eq(OSPolicy_DecideSandboxSyscall(&c.profile, 1023), OSPOLICY_DECISION_DENY);
  for (size_t w = 0; w < OSPOLICY_SANDBOX_BITMAP_WORDS; w++) {
    ck_assert_uint_eq(c.profile.from_manifest[w], 0);
    ck_assert_uint_eq(c.profile.allowed[w], c.profile.from_runtime[w]);
  }
  ck_assert_uint_eq(c.profile.unknown_count, 0);
  ck_assert_uint_eq(c.profile.runtime_unresolved, 0);
  ck_assert_uint_eq(c.profile.file_count, 0);
  ck_assert_ptr_null(c.profile.files);
  release(&c);
}
END_TEST

START_TEST(listed_syscalls_are_allowed_and_marked) {
  compiled c = compile("\"syscalls\": [\"read\", \"socket\", \"exit_group\"]");
  ck_assert_int_eq(c.status, OSPOLICY_OK);
  ck_assert_int_eq(OSPolicy_DecideSandboxSyscall(&c.profile, 100), OSPOLICY_DECISION_ALLOW);
  ck_assert_int_eq(OSPolicy_DecideSandboxSyscall(&c.profile, 1023), OSPOLICY_DECISION_ALLOW);
  ck_assert_int_eq(OSPolicy_DecideSandboxSyscall(&c.profile, 101), OSPOLICY_DECISION_DENY);
  ck_assert_uint_eq(c.profile.allowed_count, OSPOLICY_SANDBOX_RUNTIME_COUNT + 2u);
  ck_assert_uint_eq(allowed_numbers(&c.profile), OSPOLICY_SANDBOX_RUNTIME_COUNT + 2u);
  /* exit_group is in both sets: both marks are kept. */
  ck_assert_uint_ne(c.profile.from_manifest[0] & (1ull << 12), 0);
  ck_assert_uint_ne(c.profile.from_runtime[0] & (1ull << 12), 0);
  ck_assert_uint_eq(c.profile.from_runtime[1] & (1ull << (100 - 64)), 0);
  ck_assert_uint_ne(c.profile.from_manifest[15] & (1ull << 63), 0);
  release(&c);
}
END_TEST

START_TEST(unknown_names_stay_denied_and_are_reported) {
  compiled c = compile("\"syscalls\": [\"read\", \"frobnicate\", \"write\", \"open_sesame\"]");
  ck_assert_int_eq(c.status, OSPOLICY_OK);
  ck_assert_uint_eq(c.profile.unknown_count, 2);
  ck_assert_uint_eq(c.profile.unknown[0], 1);
  ck_assert_uint_eq(c.profile.unknown[1], 3);
  ck_assert_str_eq(c.result->manifest.syscalls[c.profile.unknown[0]].data, "frobnicate");
  ck_assert_str_eq(c.result->manifest.syscalls[c.profile.unknown[1]].data, "open_sesame");
  ck_assert_uint_eq(allowed_numbers(&c.profile), OSPOLICY_SANDBOX_RUNTIME_COUNT + 2u);
  release(&c);
}
END_TEST

START_TEST(runtime_names_missing_from_table_are_flagged) {
  static const OSPolicy_SyscallName small[] = {{"execve", 59}, {"exit_group", 231}, {"read", 0}};
  OSPolicy_SyscallTable t = {small, 3};
  compiled c = compile_with("\"syscalls\": [\"read\"]", &t);
  ck_assert_int_eq(c.status, OSPOLICY_OK);
  ck_assert_uint_eq(c.profile.allowed_count, 3);
  uint32_t expected = 0;
  for (uint32_t i = 0; i < OSPOLICY_SANDBOX_RUNTIME_COUNT; i++) {
    const char *name = OSPolicy_SandboxRuntimeSyscall(i, NULL);
    if (strcmp(name, "execve") != 0 && strcmp(name, "exit_group") != 0) {
      expected |= 1u << i;
    }
  }
  ck_assert_uint_eq(c.profile.runtime_unresolved, expected);
  release(&c);
}
END_TEST

START_TEST(bad_tables_are_refused) {
  compiled ok = compile("");
  const OSPolicy_Manifest *m = &ok.result->manifest;
  OSPolicy_SandboxProfile p;
  static const OSPolicy_SyscallName too_big[] = {{"read", 0}, {"x", 1024}};
  static const OSPolicy_SyscallName empty_name[] = {{"read", 0}, {"", 1}};
  static const OSPolicy_SyscallName null_name[] = {{NULL, 1}};
  static const OSPolicy_SyscallName twice[] = {{"read", 0}, {"write", 1}, {"read", 2}};
  static const OSPolicy_SyscallName adjacent[] = {{"read", 0}, {"read", 2}};
  static const OSPolicy_SyscallName unsorted[] = {{"write", 1}, {"read", 0}};
  /* Byte order, not locale order: "Z" (0x5a) sorts before "a". */
  static const OSPolicy_SyscallName not_bytewise[] = {{"a", 1}, {"Z", 2}};
  static const OSPolicy_SyscallName alias[] = {{"pread", 0}, {"read", 0}};
  const OSPolicy_SyscallTable bad[] = {{too_big, 2}, {empty_name, 2}, {null_name, 1}, {twice, 3},
                                       {adjacent, 2}, {unsorted, 2}, {not_bytewise, 2},
                                       {alias, OSPOLICY_SANDBOX_MAX_TABLE_ENTRIES + 1u}};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    memset(&p, 0xA5, sizeof p);
    ck_assert_int_eq(OSPolicy_CompileSandboxProfile(m, &bad[i], &p),
                     OSPOLICY_ERR_SANDBOX_BAD_SYSCALL_TABLE);
    ck_assert_int_eq(p.status, OSPOLICY_ERR_SANDBOX_BAD_SYSCALL_TABLE);
    ck_assert_uint_eq(p.allowed_count, 0);
    ck_assert_uint_eq(allowed_numbers(&p), 0);
  }
  /* Two names for one number are fine (aliases). */
  OSPolicy_SyscallTable aliases = {alias, 2};
  ck_assert_int_eq(OSPolicy_CompileSandboxProfile(m, &aliases, &p), OSPOLICY_OK);
  ck_assert_str_eq(OSPolicy_SyscallTableName(&aliases, 0), "pread");
  release(&ok);
}
END_TEST

/* Bisection finds every name of the table, at every position, and none of
 * the names that would sit between, before or after them. */
START_TEST(every_table_name_is_found) {
  char list[2048];
  size_t used = 0;
  const size_t count = sizeof table_entries / sizeof table_entries[0];
  for (size_t i = 0; i < count; i++) {
    used += (size_t)snprintf(list + used, sizeof list - used, "%s\"%s\", \"%s_\"",
                             i > 0 ? ", " : "\"syscalls\": [\"aa\", ", table_entries[i].name,
                             table_entries[i].name);
  }
  snprintf(list + used, sizeof list - used, ", \"zzz\"]");
  compiled c = compile_with(list, &table);
  ck_assert_int_eq(c.status, OSPOLICY_OK);
  for (size_t i = 0; i < count; i++) {
    ck_assert_msg(OSPolicy_DecideSandboxSyscall(&c.profile, table_entries[i].number) ==
                      OSPOLICY_DECISION_ALLOW,
                  "%s not found", table_entries[i].name);
  }
  ck_assert_uint_eq(c.profile.allowed_count, count);
  ck_assert_uint_eq(c.profile.unknown_count, count + 2u); /* "aa", every "name_", "zzz" */
  release(&c);
}
END_TEST

START_TEST(null_arguments_and_rejected_views) {
  compiled ok = compile("");
  OSPolicy_SandboxProfile p;
  ck_assert_int_eq(OSPolicy_CompileSandboxProfile(&ok.result->manifest, &table, NULL),
                   OSPOLICY_ERR_NULL_ARGUMENT);
  memset(&p, 0xA5, sizeof p);
  ck_assert_int_eq(OSPolicy_CompileSandboxProfile(NULL, &table, &p), OSPOLICY_ERR_NULL_ARGUMENT);
  ck_assert_int_eq(p.status, OSPOLICY_ERR_NULL_ARGUMENT);
  ck_assert_int_eq(OSPolicy_CompileSandboxProfile(&ok.result->manifest, NULL, &p),
                   OSPOLICY_ERR_NULL_ARGUMENT);
  OSPolicy_SyscallTable no_entries = {NULL, 3};
  ck_assert_int_eq(OSPolicy_CompileSandboxProfile(&ok.result->manifest, &no_entries, &p),
                   OSPOLICY_ERR_NULL_ARGUMENT);
  /* The all-zero view a rejected manifest leaves behind compiles to nothing. */
  OSPolicy_Manifest zero;
  memset(&zero, 0, sizeof zero);
  memset(&p, 0xA5, sizeof p);
  ck_assert_int_eq(OSPolicy_CompileSandboxProfile(&zero, &table, &p), OSPOLICY_ERR_PLAN_NOT_OK);
  ck_assert_uint_eq(allowed_numbers(&p), 0);
  /* A view with counts but no arrays is not an accepted view either. */
  OSPolicy_Manifest broken = ok.result->manifest;
  broken.syscall_count = 2;
  broken.syscalls = NULL;
  ck_assert_int_eq(OSPolicy_CompileSandboxProfile(&broken, &table, &p), OSPOLICY_ERR_PLAN_NOT_OK);
  release(&ok);
}
END_TEST

START_TEST(zero_profile_is_not_success) {
  OSPolicy_SandboxProfile p;
  memset(&p, 0, sizeof p);
  ck_assert_int_eq(p.status, OSPOLICY_STATUS_UNSET);
  p.allowed[0] = ~0ull; /* bits alone never allow: the status must be OK */
  ck_assert_int_eq(OSPolicy_DecideSandboxSyscall(&p, 0), OSPOLICY_DECISION_DENY);
  ck_assert_int_eq(OSPolicy_DecideSandboxSyscall(NULL, 0), OSPOLICY_DECISION_DENY);
  compiled c = compile("\"syscalls\": [\"socket\"]");
  ck_assert_int_eq(OSPolicy_DecideSandboxSyscall(&c.profile, 1023), OSPOLICY_DECISION_ALLOW);
  ck_assert_int_eq(OSPolicy_DecideSandboxSyscall(&c.profile, 1024), OSPOLICY_DECISION_DENY);
  ck_assert_int_eq(OSPolicy_DecideSandboxSyscall(&c.profile, 0x40000000u + 1023u),
                   OSPOLICY_DECISION_DENY);
  ck_assert_int_eq(OSPolicy_DecideSandboxSyscall(&c.profile, UINT32_MAX), OSPOLICY_DECISION_DENY);
  c.profile.status = OSPOLICY_ERR_PLAN_NOT_OK;
  ck_assert_int_eq(OSPolicy_DecideSandboxSyscall(&c.profile, 1023), OSPOLICY_DECISION_DENY);
  release(&c);
}
END_TEST

START_TEST(grants_limits_and_ports) {
  compiled c = compile(
      "\"files\": [{\"path\": \"/data/a/b\", \"access\": \"ro\"}, {\"path\": \"/tmp\", \"access\": "
      "\"rw\"}, {\"path\": \"/data/a\", \"access\": \"rw\"}, {\"path\": \"/data\", \"access\": "
      "\"ro\"}, {\"path\": \"/app/lib\", \"access\": \"ro\"}],"
      "\"network\": {\"listen\": [{\"port\": 8080, \"protocol\": \"tcp\"}, {\"port\": 53, "
      "\"protocol\": \"udp\"}, {\"port\": 80, \"protocol\": \"tcp\"}]},"
      "\"capabilities\": [\"CAP_NET_BIND_SERVICE\", \"CAP_CHOWN\"],"
      "\"limits\": {\"memoryBytes\": 67108864, \"openFiles\": 16, \"processes\": 4}");
  ck_assert_int_eq(c.status, OSPOLICY_OK);
  ck_assert_uint_eq(c.profile.capabilities, (1ull << 10) | (1ull << 0));
  ck_assert_uint_eq(c.profile.memory_bytes, 67108864u);
  ck_assert_uint_eq(c.profile.open_files, 16);
  ck_assert_uint_eq(c.profile.processes, 4);
  ck_assert_uint_eq(c.profile.tcp_bind_count, 2);
  ck_assert_uint_eq(c.profile.tcp_bind[0], 80);
  ck_assert_uint_eq(c.profile.tcp_bind[1], 8080);
  ck_assert_uint_eq(c.profile.udp_bind_count, 1);
  ck_assert_uint_eq(c.profile.udp_bind[0], 53);
  ck_assert_uint_eq(c.profile.file_count, 5);
  const char *order[5];
  for (size_t i = 0; i < 5; i++) {
    order[i] = c.profile.files[c.profile.file_order[i]].path.data;
  }
  ck_assert_str_eq(order[0], "/tmp");
  ck_assert_str_eq(order[1], "/data");
  ck_assert_str_eq(order[2], "/data/a");
  ck_assert_str_eq(order[3], "/app/lib");
  ck_assert_str_eq(order[4], "/data/a/b");
  /* Parents always come before what lies below them. */
  for (size_t i = 0; i < 5; i++) {
    for (size_t k = i + 1; k < 5; k++) {
      size_t n = strlen(order[k]);
      ck_assert_msg(!(strncmp(order[k], order[i], n) == 0 && order[i][n] == '/'),
                    "%s before its parent %s", order[i], order[k]);
    }
  }
  release(&c);
}
END_TEST

START_TEST(runtime_set_is_documented) {
  const char *reason = NULL;
  size_t n = 0;
  while (OSPolicy_SandboxRuntimeSyscall(n, &reason) != NULL) {
    ck_assert_ptr_nonnull(reason);
    ck_assert_uint_gt(strlen(reason), 10);
    n++;
  }
  ck_assert_uint_eq(n, OSPOLICY_SANDBOX_RUNTIME_COUNT);
  ck_assert_ptr_null(OSPolicy_SandboxRuntimeSyscall(n, &reason));
  ck_assert_ptr_null(reason);
  ck_assert_str_eq(OSPolicy_SandboxRuntimeSyscall(0, NULL), "execve");
  ck_assert_str_eq(OSPolicy_SyscallTableName(&table, 1023), "socket");
  ck_assert_ptr_null(OSPolicy_SyscallTableName(&table, 500));
  ck_assert_ptr_null(OSPolicy_SyscallTableName(NULL, 0));
}
END_TEST

Suite *sandbox_profile_suite(void);
Suite *sandbox_profile_suite(void) {
  Suite *suite = suite_create("sandbox_profile");
  TCase *tc = tcase_create("compile");
  tcase_add_test(tc, absent_syscalls_means_runtime_set_only);
  tcase_add_test(tc, listed_syscalls_are_allowed_and_marked);
  tcase_add_test(tc, unknown_names_stay_denied_and_are_reported);
  tcase_add_test(tc, runtime_names_missing_from_table_are_flagged);
  tcase_add_test(tc, bad_tables_are_refused);
  tcase_add_test(tc, every_table_name_is_found);
  tcase_add_test(tc, null_arguments_and_rejected_views);
  tcase_add_test(tc, zero_profile_is_not_success);
  tcase_add_test(tc, grants_limits_and_ports);
  tcase_add_test(tc, runtime_set_is_documented);
  suite_add_tcase(suite, tc);
  return suite;
}
