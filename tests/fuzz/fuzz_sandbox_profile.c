/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * Fuzzes the path from manifest bytes to a sandbox profile: validate, then
 * compile against a fixed small syscall table, and check the profile's
 * invariants:
 *   - a rejected manifest's (all-zero) view compiles to PLAN_NOT_OK and a
 *     profile that allows nothing;
 *   - an accepted one compiles to OK; `allowed` is exactly the union of the
 *     manifest and runtime bitmaps, allowed_count is its popcount, and the
 *     O(1) decision agrees with a linear scan of the names for every number;
 *   - every unknown index names a syscall the table lacks, and every name the
 *     table lacks is reported exactly once per occurrence;
 *   - file_order is a permutation with parents before children, ports ascend.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ospolicy/manifest.h"
#include "ospolicy/sandbox_profile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Sorted by name, as the compiler requires. */
static const OSPolicy_SyscallName entries[] = {
    {"a", 1023},     {"arch_prctl", 158}, {"b", 64},          {"bind", 49},
    {"brk", 12},     {"close", 3},        {"execve", 59},     {"exit_group", 231},
    {"getppid", 110}, {"openat", 257},    {"read", 0},        {"set_tid_address", 218},
    {"socket", 41},  {"write", 1},
};
static const OSPolicy_SyscallTable table = {entries, sizeof entries / sizeof entries[0]};

static int known(const char *name, uint32_t *number) {
  for (size_t i = 0; i < table.count; i++) {
    if (strcmp(entries[i].name, name) == 0) {
      *number = entries[i].number;
      return 1;
    }
  }
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  size_t required = 0;
  if (OSPolicy_GetManifestWorkspaceSize(size, &required) != OSPOLICY_OK) {
    return 0;
  }
  void *workspace = malloc(required);
  OSPolicy_ManifestResult *result = malloc(sizeof *result);
  OSPolicy_SandboxProfile *p = malloc(sizeof *p);
  OSPolicy_ManifestRequest request = {.text = (const char *)data, .size = size,
                                      .max_size = size > 65536 ? size : 0,
                                      .workspace = workspace, .workspace_size = required};
  OSPolicy_Status v = OSPolicy_ValidateManifest(&request, result);
  memset(p, 0xA5, sizeof *p);
  OSPolicy_Status s = OSPolicy_CompileSandboxProfile(&result->manifest, &table, p);
  if (s != p->status) {
    abort();
  }
  if (v != OSPOLICY_OK) {
    if (s != OSPOLICY_ERR_PLAN_NOT_OK) {
      abort();
    }
    for (uint32_t n = 0; n < 1100u; n++) {
      if (OSPolicy_DecideSandboxSyscall(p, n) != OSPOLICY_DECISION_DENY) {
        abort();
      }
    }
    goto out;
  }
  if (s != OSPOLICY_OK) {
    abort();
  }
  const OSPolicy_Manifest *m = &result->manifest;
  uint32_t count = 0;
  for (size_t w = 0; w < OSPOLICY_SANDBOX_BITMAP_WORDS; w++) {
    if (p->allowed[w] != (p->from_manifest[w] | p->from_runtime[w])) {
      abort();
    }
    count += (uint32_t)__builtin_popcountll(p->allowed[w]);
  }
  if (count != p->allowed_count) {
    abort();
  }
  size_t unknown = 0;
  for (size_t i = 0; i < m->syscall_count; i++) {
    uint32_t number = 0;
    if (!known(m->syscalls[i].data, &number)) {
      if (unknown >= p->unknown_count || p->unknown[unknown] != i) {
        abort();
      }
      unknown++;
    }
  }
  if (unknown != p->unknown_count) {
    abort();
  }
  for (uint32_t n = 0; n < 1100u; n++) {
    int allow = 0;
    for (size_t i = 0; i < m->syscall_count && !allow; i++) {
      uint32_t number = 0;
      allow = known(m->syscalls[i].data, &number) && number == n;
    }
    for (size_t i = 0; !allow && OSPolicy_SandboxRuntimeSyscall(i, NULL) != NULL; i++) {
      uint32_t number = 0;
      allow = known(OSPolicy_SandboxRuntimeSyscall(i, NULL), &number) && number == n;
    }
    if ((OSPolicy_DecideSandboxSyscall(p, n) == OSPOLICY_DECISION_ALLOW) != allow) {
      abort();
    }
  }
  if (p->file_count != m->file_count || p->tcp_bind_count + p->udp_bind_count != m->listen_count) {
    abort();
  }
  unsigned char seen[OSPOLICY_MANIFEST_MAX_FILES] = {0};
  for (size_t i = 0; i < p->file_count; i++) {
    uint32_t k = p->file_order[i];
    if (k >= p->file_count || seen[k]) {
      abort();
    }
    seen[k] = 1;
    if (i > 0 && p->files[p->file_order[i - 1]].path.length > p->files[k].path.length) {
      abort();
    }
  }
  for (size_t i = 1; i < p->tcp_bind_count; i++) {
    if (p->tcp_bind[i - 1] > p->tcp_bind[i]) {
      abort();
    }
  }
  for (size_t i = 1; i < p->udp_bind_count; i++) {
    if (p->udp_bind[i - 1] > p->udp_bind[i]) {
      abort();
    }
  }
out:
  free(p);
  free(result);
  free(workspace);
  return 0;
}
