/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * Sandbox profiles: a validated app manifest (ospolicy/manifest.h) compiled
 * into what an enforcer needs: a syscall bitmap for one ABI, the capability
 * mask, resource limits, the file grants in mount order and the TCP/UDP ports
 * the app may bind. The Linux enforcer (`ospolicy run`) turns a profile into
 * namespaces, Landlock, seccomp, capabilities and rlimits; a kernel built on
 * this library can test the same bitmap on its own syscall path.
 *
 * The syscall decision is one bit test (O(1)), default deny: a number is
 * allowed only if its bit is set, and a profile whose status is not
 * OSPOLICY_OK allows nothing. Syscall names are resolved through a table the
 * caller passes (name -> number for the caller's ABI), so Linux x86-64 and a
 * bare-metal kernel each bring theirs. A manifest name the table lacks stays
 * denied and is listed in `unknown` (never dropped silently). The minimal
 * runtime set (what execve of a static binary needs, see
 * OSPolicy_SandboxRuntimeSyscall) is always added and marked as such;
 * a manifest without `syscalls` gets that set only.
 *
 * Memory rules: no allocation and no state. The profile is a caller-owned
 * struct, status first, written completely on every call (all zero apart from
 * status unless status is OSPOLICY_OK). `files` points into the manifest's
 * view, so the profile's file grants are valid only while the manifest
 * workspace is.
 */
#ifndef OSPOLICY_SANDBOX_PROFILE_H
#define OSPOLICY_SANDBOX_PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ospolicy/manifest.h"
#include "ospolicy/status.h"

/* The bitmap covers syscall numbers 0..1023; every larger number is denied. */
#define OSPOLICY_SANDBOX_SYSCALL_LIMIT 1024u
#define OSPOLICY_SANDBOX_BITMAP_WORDS (OSPOLICY_SANDBOX_SYSCALL_LIMIT / 64u)
/* Most entries a syscall table may have (names may alias one number). */
#define OSPOLICY_SANDBOX_MAX_TABLE_ENTRIES 4096u
/* Entries in the minimal runtime set. */
#define OSPOLICY_SANDBOX_RUNTIME_COUNT 13u

typedef struct OSPolicy_SyscallName {
  const char *name; /* NUL-terminated, non-empty */
  uint32_t number;  /* below OSPOLICY_SANDBOX_SYSCALL_LIMIT */
} OSPolicy_SyscallName;

/* One ABI's syscall names, sorted by name in strictly ascending byte order
 * (strcmp's), so each name appears once, the compiler checks the table in one
 * pass and looks names up by bisection. Several names may share a number. */
typedef struct OSPolicy_SyscallTable {
  const OSPolicy_SyscallName *entries;
  size_t count;
} OSPolicy_SyscallTable;

typedef struct OSPolicy_SandboxProfile {
  OSPolicy_Status status;
  /* Bit n of word n/64: syscall n allowed. `allowed` is the union of the other two. */
  uint64_t allowed[OSPOLICY_SANDBOX_BITMAP_WORDS];
  uint64_t from_manifest[OSPOLICY_SANDBOX_BITMAP_WORDS]; /* named by `syscalls` */
  uint64_t from_runtime[OSPOLICY_SANDBOX_BITMAP_WORDS];  /* the minimal runtime set */
  uint32_t allowed_count;                                /* bits set in `allowed` */
  /* Indices into manifest->syscalls of names the table does not know: denied. */
  uint32_t unknown[OSPOLICY_MANIFEST_MAX_SYSCALLS];
  size_t unknown_count;
  /* Bit i: runtime entry i (OSPolicy_SandboxRuntimeSyscall) is not in the table. */
  uint32_t runtime_unresolved;
  uint64_t capabilities; /* bit n: Linux capability n retained */
  uint64_t memory_bytes; /* 0: no limit */
  uint32_t open_files;   /* 0: no limit */
  uint32_t processes;    /* 0: no limit */
  uint16_t tcp_bind[OSPOLICY_MANIFEST_MAX_LISTEN]; /* ascending */
  size_t tcp_bind_count;
  uint16_t udp_bind[OSPOLICY_MANIFEST_MAX_LISTEN]; /* ascending */
  size_t udp_bind_count;
  /* File grants: files[order[i]] for i < file_count is mount order (a parent
   * directory always before anything below it). */
  const OSPolicy_ManifestFile *files;
  uint32_t file_order[OSPOLICY_MANIFEST_MAX_FILES];
  size_t file_count;
} OSPolicy_SandboxProfile;

#ifdef __cplusplus
extern "C" {
#endif

/* Compiles a manifest view into a profile.
 * Order of checks: NULL_ARGUMENT (profile NULL: nothing written; manifest or
 * table NULL, or table entries NULL with a count); PLAN_NOT_OK (the manifest
 * view is not that of an accepted manifest: version not 1 or name/entry
 * missing); SANDBOX_BAD_SYSCALL_TABLE (more than MAX_TABLE_ENTRIES entries, a
 * NULL or empty name, a number at or above the limit, names not in strictly
 * ascending order, which includes a name twice). */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_CompileSandboxProfile(
    const OSPolicy_Manifest *manifest, const OSPolicy_SyscallTable *table,
    OSPolicy_SandboxProfile *profile);

/* The O(1) decision: ALLOW only for a profile with status OK whose bit for
 * `number` is set; DENY otherwise (NULL, numbers >= limit). Never UNSET. */
OSPolicy_Decision OSPolicy_DecideSandboxSyscall(const OSPolicy_SandboxProfile *profile,
                                                uint32_t number);

/* Entry `index` of the minimal runtime set ("execve"), and why it is needed
 * (`*reason`, may be NULL); NULL past the end. */
const char *OSPolicy_SandboxRuntimeSyscall(size_t index, const char **reason);

/* The name of `number` in `table` (the first entry with that number), or NULL. */
const char *OSPolicy_SyscallTableName(const OSPolicy_SyscallTable *table, uint32_t number);

#ifdef __cplusplus
}
#endif

#endif /* OSPOLICY_SANDBOX_PROFILE_H */
