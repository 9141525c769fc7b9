/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * Sandbox profile compiler (include/ospolicy/sandbox_profile.h,
 * docs/sandbox_profile.md). Freestanding: no libc, no allocation, no state.
 */
#include "ospolicy/sandbox_profile.h"

#include "sort.h"
#include "mem.h"

/* What execve of a static x86-64 binary (glibc or musl) needs before main,
 * plus leaving: measured with strace on `int main(void){return 0;}` built
 * with `gcc -static`. */
typedef struct runtime_entry {
  const char *name;
  const char *reason;
} runtime_entry;

static const runtime_entry runtime_set[OSPOLICY_SANDBOX_RUNTIME_COUNT] = {
    {"execve", "starts the entry (the filter is installed before execve)"},
    {"brk", "heap set-up by the C runtime"},
    {"arch_prctl", "thread-local storage base (FS) set-up"},
    {"set_tid_address", "thread id pointer set by the C runtime"},
    {"set_robust_list", "robust futex list registered by the C runtime"},
    {"rseq", "restartable sequences registered by glibc"},
    {"prlimit64", "stack limit read by the C runtime"},
    {"mprotect", "RELRO: relocated data made read-only"},
    {"readlink", "glibc reads /proc/self/exe for the executable's origin"},
    {"getrandom", "glibc seeds its malloc and stack protector"},
    {"rt_sigreturn", "return from a signal handler"},
    {"exit", "a thread ends"},
    {"exit_group", "the process ends"},
};

/* Bytewise order of two NUL-terminated names (strcmp's order: the table's). */
static int name_order(const char *a, const char *b) {
  size_t i = 0;
  while (a[i] != '\0' && a[i] == b[i]) {
    i++;
  }
  return (int)(unsigned char)a[i] - (int)(unsigned char)b[i];
}

static int str_compare(const char *a, size_t alen, const char *b, size_t blen) {
  size_t n = alen < blen ? alen : blen;
  int c = memcmp(a, b, n);
  if (c != 0) {
    return c;
  }
  return alen < blen ? -1 : alen > blen ? 1 : 0;
}

static uint32_t count_bits(uint64_t word) {
  uint32_t n = 0;
  for (; word != 0u; word &= word - 1u) {
    n++;
  }
  return n;
}

static void set_bit(uint64_t *bits, uint32_t number) {
  bits[number / 64u] |= (uint64_t)1 << (number % 64u);
}

static bool test_bit(const uint64_t *bits, uint32_t number) {
  return ((bits[number / 64u] >> (number % 64u)) & 1u) != 0u;
}

static OSPolicy_Status check_table(const OSPolicy_SyscallTable *table) {
  if (table->count > OSPOLICY_SANDBOX_MAX_TABLE_ENTRIES) {
    return OSPOLICY_ERR_SANDBOX_BAD_SYSCALL_TABLE;
  }
  for (size_t i = 0; i < table->count; i++) {
    const OSPolicy_SyscallName *e = &table->entries[i];
    if (e->name == NULL || e->name[0] == '\0' || e->number >= OSPOLICY_SANDBOX_SYSCALL_LIMIT) {
      return OSPOLICY_ERR_SANDBOX_BAD_SYSCALL_TABLE;
    }
    /* Strictly ascending names: each name once, and lookups can bisect. */
    if (i > 0u && name_order(table->entries[i - 1u].name, e->name) >= 0) {
      return OSPOLICY_ERR_SANDBOX_BAD_SYSCALL_TABLE;
    }
  }
  return OSPOLICY_OK;
}

static bool lookup(const OSPolicy_SyscallTable *table, const char *name, uint32_t *number) {
  size_t low = 0;
  size_t high = table->count;
  while (low < high) {
    size_t middle = low + (high - low) / 2u;
    int order = name_order(table->entries[middle].name, name);
    if (order == 0) {
      *number = table->entries[middle].number;
      return true;
    }
    if (order < 0) {
      low = middle + 1u;
    } else {
      high = middle;
    }
  }
  return false;
}

/* Mount order: shorter paths first (a parent is always shorter than what
 * lies below it), then bytes, then index: total and deterministic. */
static int compare_files(uint32_t a, uint32_t b, const void *context) {
  const OSPolicy_ManifestFile *files = context;
  const OSPolicy_ManifestString *x = &files[a].path;
  const OSPolicy_ManifestString *y = &files[b].path;
  if (x->length != y->length) {
    return x->length < y->length ? -1 : 1;
  }
  int c = str_compare(x->data, x->length, y->data, y->length);
  if (c != 0) {
    return c;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

static bool port_before(const void *a, const void *b) {
  return *(const uint16_t *)a < *(const uint16_t *)b;
}

static void sort_ports(uint16_t *ports, size_t count) {
  (void)sort_stable_small(ports, count, sizeof *ports, port_before);
}

static bool manifest_view_ok(const OSPolicy_Manifest *m) {
  if (m->version != OSPOLICY_MANIFEST_VERSION || m->name.data == NULL ||
      m->entry.data == NULL || m->name.length == 0u || m->entry.length == 0u) {
    return false;
  }
  if ((m->syscall_count > 0u && m->syscalls == NULL) ||
      m->syscall_count > OSPOLICY_MANIFEST_MAX_SYSCALLS ||
      (m->file_count > 0u && m->files == NULL) || m->file_count > OSPOLICY_MANIFEST_MAX_FILES ||
      (m->listen_count > 0u && m->listen == NULL) ||
      m->listen_count > OSPOLICY_MANIFEST_MAX_LISTEN) {
    return false;
  }
  for (size_t i = 0; i < m->syscall_count; i++) {
    if (m->syscalls[i].data == NULL) {
      return false;
    }
  }
  for (size_t i = 0; i < m->file_count; i++) {
    if (m->files[i].path.data == NULL || m->files[i].path.length == 0u ||
        (m->files[i].access != OSPOLICY_FILE_ACCESS_READ_ONLY &&
         m->files[i].access != OSPOLICY_FILE_ACCESS_READ_WRITE)) {
      return false;
    }
  }
  for (size_t i = 0; i < m->listen_count; i++) {
    if (m->listen[i].protocol != OSPOLICY_NET_PROTOCOL_TCP &&
        m->listen[i].protocol != OSPOLICY_NET_PROTOCOL_UDP) {
      return false;
    }
  }
  return true;
}

OSPolicy_Status OSPolicy_CompileSandboxProfile(const OSPolicy_Manifest *manifest,
                                               const OSPolicy_SyscallTable *table,
                                               OSPolicy_SandboxProfile *profile) {
  if (profile == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  memset(profile, 0, sizeof *profile);
  OSPolicy_Status status = OSPOLICY_OK;
  if (manifest == NULL || table == NULL || (table->entries == NULL && table->count > 0u)) {
    status = OSPOLICY_ERR_NULL_ARGUMENT;
  } else if (!manifest_view_ok(manifest)) {
    status = OSPOLICY_ERR_PLAN_NOT_OK;
  } else {
    status = check_table(table);
  }
  if (status != OSPOLICY_OK) {
    profile->status = status;
    return status;
  }

  for (size_t i = 0; i < OSPOLICY_SANDBOX_RUNTIME_COUNT; i++) {
    uint32_t number = 0;
    if (lookup(table, runtime_set[i].name, &number)) {
      set_bit(profile->from_runtime, number);
    } else {
      profile->runtime_unresolved |= (uint32_t)1 << i;
    }
  }
  for (size_t i = 0; i < manifest->syscall_count; i++) {
    uint32_t number = 0;
    if (lookup(table, manifest->syscalls[i].data, &number)) {
      set_bit(profile->from_manifest, number);
    } else {
      profile->unknown[profile->unknown_count++] = (uint32_t)i;
    }
  }
  for (size_t w = 0; w < OSPOLICY_SANDBOX_BITMAP_WORDS; w++) {
    profile->allowed[w] = profile->from_manifest[w] | profile->from_runtime[w];
    profile->allowed_count += count_bits(profile->allowed[w]);
  }

  profile->capabilities = manifest->capabilities;
  profile->memory_bytes = manifest->memory_bytes;
  profile->open_files = manifest->open_files;
  profile->processes = manifest->processes;
  for (size_t i = 0; i < manifest->listen_count; i++) {
    if (manifest->listen[i].protocol == OSPOLICY_NET_PROTOCOL_TCP) {
      profile->tcp_bind[profile->tcp_bind_count++] = manifest->listen[i].port;
    } else {
      profile->udp_bind[profile->udp_bind_count++] = manifest->listen[i].port;
    }
  }
  sort_ports(profile->tcp_bind, profile->tcp_bind_count);
  sort_ports(profile->udp_bind, profile->udp_bind_count);

  profile->files = manifest->file_count > 0u ? manifest->files : NULL;
  profile->file_count = manifest->file_count;
  for (size_t i = 0; i < manifest->file_count; i++) {
    profile->file_order[i] = (uint32_t)i;
  }
  sort_indices(profile->file_order, profile->file_count, compare_files, manifest->files);

  profile->status = OSPOLICY_OK;
  return OSPOLICY_OK;
}

OSPolicy_Decision OSPolicy_DecideSandboxSyscall(const OSPolicy_SandboxProfile *profile,
                                                uint32_t number) {
  if (profile == NULL || profile->status != OSPOLICY_OK ||
      number >= OSPOLICY_SANDBOX_SYSCALL_LIMIT) {
    return OSPOLICY_DECISION_DENY;
  }
  return test_bit(profile->allowed, number) ? OSPOLICY_DECISION_ALLOW : OSPOLICY_DECISION_DENY;
}

const char *OSPolicy_SandboxRuntimeSyscall(size_t index, const char **reason) {
  if (index >= OSPOLICY_SANDBOX_RUNTIME_COUNT) {
    if (reason != NULL) {
      *reason = NULL;
    }
    return NULL;
  }
  if (reason != NULL) {
    *reason = runtime_set[index].reason;
  }
  return runtime_set[index].name;
}

const char *OSPolicy_SyscallTableName(const OSPolicy_SyscallTable *table, uint32_t number) {
  if (table == NULL || table->entries == NULL) {
    return NULL;
  }
  for (size_t i = 0; i < table->count; i++) {
    if (table->entries[i].number == number && table->entries[i].name != NULL) {
      return table->entries[i].name;
    }
  }
  return NULL;
}
