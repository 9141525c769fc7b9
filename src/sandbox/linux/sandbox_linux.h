/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * Linux enforcement of a sandbox profile (docs/sandbox.md): the app runs in
 * fresh user, mount, PID, IPC, UTS and (unless it listens) network
 * namespaces, sees only its view (/app read-only, its /data and /tmp grants)
 * under a pivot_root into a tmpfs, behind Landlock, no_new_privs, MDWE, a
 * seccomp filter built with libseccomp from the profile's bitmap, the
 * manifest's capabilities (libcap) and rlimits, with exactly the manifest's
 * environment. A supervisor (the caller's process) stays outside, waits and
 * reports how the app ended.
 *
 * Hosted code, Linux only; never included by the freestanding core.
 */
#ifndef OSPOLICY_SANDBOX_LINUX_H
#define OSPOLICY_SANDBOX_LINUX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <seccomp.h>

#include "ospolicy/manifest.h"
#include "ospolicy/sandbox_profile.h"

/* Where the app sees its pieces. Services (a Unix socket each) and the run
 * directory (`ospolicy run --imds-socket`: the metadata proxy's socket
 * directory) appear under SANDBOX_RUN_DIR. */
#define SANDBOX_APP_DIR "/app"
#define SANDBOX_DATA_DIR "/data"
#define SANDBOX_TMP_DIR "/tmp"
#define SANDBOX_RUN_DIR "/run/ospolicy"
/* The outside uid/gid the app runs as when `run` is started by root. */
#define SANDBOX_ROOT_FALLBACK_ID 65534u

/* The Linux x86-64 syscall names of libseccomp's own table (numbers 0..1023,
 * sorted by name, read at build time): the numbers the filter is built from. */
extern const OSPolicy_SyscallTable sandbox_linux_syscalls;

/* What this host offers; `why` names the first missing mechanism the
 * profile needs. */
typedef struct sandbox_host {
  int landlock_abi; /* 0: none */
  bool seccomp;
  bool mdwe;
  bool user_namespaces; /* /proc/sys/user/max_user_namespaces above 0 */
} sandbox_host;

OSPolicy_Status sandbox_probe_host(const OSPolicy_SandboxProfile *profile, sandbox_host *host,
                                   char *why, size_t why_size);

/* The seccomp filter of a profile: default SCMP_ACT_KILL_PROCESS, other
 * architectures (i386) and x32 numbers killed too, one ALLOW rule per allowed
 * number, no argument tests (so the kernel's constant-action cache applies). */
OSPolicy_Status sandbox_build_filter(const OSPolicy_SandboxProfile *profile,
                                     scmp_filter_ctx *filter);

/* A host service shown to the app as /run/ospolicy/NAME (read-write: a Unix
 * socket the app connects to, such as a metadata proxy's). */
#define SANDBOX_MAX_SERVICES 8u
typedef struct sandbox_service {
  const char *name;      /* 1..64 bytes of [A-Za-z0-9._-], not "." or "..": "imds.sock" */
  const char *host_path; /* an existing file or socket on the host, not a symbolic link */
} sandbox_service;

typedef struct sandbox_request {
  const OSPolicy_Manifest *manifest;
  const OSPolicy_SandboxProfile *profile;
  const char *app_root;  /* host directory shown read-only at /app */
  const char *data_root; /* host directory whose subtrees back /data grants; may be NULL */
  char *const *args;     /* arguments after the entry; NULL-terminated; may be NULL */
  /* Learning run: everything but the seccomp filter; the supervisor traces
   * the app and its children (ptrace syscall stops from the entry's execve
   * on) and records every syscall they make in `learned`. */
  bool learn;
  const sandbox_service *services; /* at most SANDBOX_MAX_SERVICES; may be NULL */
  size_t service_count;
  /* A host directory shown read-only as /run/ospolicy (NULL: none), for a
   * service whose socket is replaced while the app runs: a restarted
   * supervisor renames a new socket into that directory, and the app sees it
   * (a mounted socket file would stay the dead one). Read-only: the app
   * creates nothing there, yet connects to the sockets in it. A real
   * directory, not a symbolic link; excludes `services`. */
  const char *run_dir;
} sandbox_request;

typedef struct sandbox_outcome {
  OSPolicy_Status status; /* OK once the app ran (however it ended) */
  char message[512];      /* why it did not run */
  bool exited;
  int exit_code;
  int signal;           /* the terminating signal when !exited */
  long syscall;         /* with SIGSYS: the denied number, -1 if unknown */
  bool i386;            /* ... made through int 0x80 (an i386 number) */
  long child_syscall;   /* a process the app made was killed by SIGSYS for this; -1 none */
  bool child_i386;
  /* The syscall (socket) is in the manifest but its arguments are outside the
   * filter's rule for it (family, type, protocol in `args`). */
  bool syscall_args;
  bool child_syscall_args;
  uint64_t args[3];
  uint64_t learned[OSPOLICY_SANDBOX_BITMAP_WORDS]; /* learn: x86-64 numbers used */
  bool learned_foreign; /* learn: an i386, x32 or out-of-range call was seen too */
} sandbox_outcome;

/* Checks the app root (a directory, not writable by group or others) and the
 * data root, builds the sandbox, runs the entry and waits for it. The calling
 * process is the supervisor: it traces the app and everything the app
 * starts, and waits with waitpid(-1) while the app runs, so it must have no
 * other children (`ospolicy run` has none). */
OSPolicy_Status sandbox_run(const sandbox_request *request, sandbox_outcome *outcome);

/* The app-root rule alone: OK, or SANDBOX_BAD_APP_ROOT with `why` filled. */
OSPolicy_Status sandbox_check_app_root(const char *path, char *why, size_t why_size);

#endif
