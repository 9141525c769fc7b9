/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * `ospolicy run --manifest M --app-root DIR [--data-root DIR] [--imds-socket SOCKET]
 * -- ARGS...` runs a manifest's entry confined to what the manifest grants
 * (docs/sandbox.md); `--explain [--format text|json]` prints the compiled
 * profile and runs nothing. --imds-socket: the app's `ospolicy imds-proxy`
 * socket, whose directory the app sees read-only as /run/ospolicy (only when
 * its manifest grants cloud metadata: docs/sandbox.md "Cloud metadata").
 *
 * Exit statuses: the app's own exit status; 128+N when signal N ended it;
 * 125 when run refused to start it (invalid manifest, bad --app-root or
 * --data-root, a missing host mechanism, a set-up failure); 2 usage error.
 * --explain: 0, or 1 when the manifest is rejected, 3 when unreadable.
 * The supervisor prints one line on stderr when the app ends:
 *   ospolicy run: NAME: exited with status N
 *   ospolicy run: NAME: killed by SIGSYS: syscall 41 (socket) not in the manifest
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cli_files.h"
#include "commands.h"
#include "imds_proxy.h"
#include "ospolicy/manifest.h"
#include "ospolicy/sandbox_profile.h"
#include "sandbox_linux.h"

enum { RUN_EXIT_REFUSED = 125 };

static void run_usage(FILE *out) {
  fprintf(out,
          "usage: ospolicy run --manifest PATH --app-root DIR [--data-root DIR]\n"
          "                    [--imds-socket SOCKET] [--learn] [-- ARGS...]\n"
          "       ospolicy run --manifest PATH --explain [--imds-socket SOCKET]\n"
          "                    [--format text|json]\n\n"
          "Runs the manifest's entry confined to what the manifest grants: its own user,\n"
          "mount, PID and network namespaces, a view with only /app (read-only, from\n"
          "--app-root) and its /data (from --data-root) and /tmp grants, Landlock,\n"
          "no_new_privs, MDWE, a seccomp filter from its syscall list (anything else kills\n"
          "it), its capabilities, limits and environment only. --explain prints the\n"
          "compiled profile and runs nothing. --learn runs the app sandboxed but without\n"
          "the syscall filter, traces it and prints the syscalls array it used.\n"
          "--imds-socket is the app's socket from `ospolicy imds-proxy`, named imds.sock\n"
          "in a directory of its own: required when the manifest's cloudMetadata.access is\n"
          "\"supervised\" (the directory is shown read-only as " IMDS_PROXY_APP_VIEW_DIR "),\n"
          "refused otherwise. Exit: the app's status, 128+N for signal N,\n"
          "125 refused to start, 2 usage error (see docs/sandbox.md).\n");
}

typedef struct run_options {
  const char *manifest;
  const char *app_root;
  const char *data_root;
  const char *imds_socket;
  bool explain;
  bool learn;
  bool json;
  char **args;
} run_options;

static int parse(int argc, char **argv, run_options *o) {
  memset(o, 0, sizeof *o);
  for (int i = 1; i < argc; i++) {
    const char *arg = argv[i];
    if (strcmp(arg, "--") == 0) {
      o->args = argv + i + 1;
      break;
    }
    if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
      run_usage(stdout);
      return CLI_EXIT_OK;
    }
    if (strcmp(arg, "--explain") == 0) {
      o->explain = true;
      continue;
    }
    if (strcmp(arg, "--learn") == 0) {
      o->learn = true;
      continue;
    }
    const char **slot = strcmp(arg, "--manifest") == 0    ? &o->manifest
                        : strcmp(arg, "--app-root") == 0  ? &o->app_root
                        : strcmp(arg, "--data-root") == 0 ? &o->data_root
                        : strcmp(arg, "--imds-socket") == 0 ? &o->imds_socket
                                                          : NULL;
    bool format = strcmp(arg, "--format") == 0;
    if (slot == NULL && !format) {
      fprintf(stderr, "ospolicy run: unexpected argument '%s'\n", arg);
      run_usage(stderr);
      return CLI_EXIT_USAGE;
    }
    if (i + 1 >= argc) {
      fprintf(stderr, "ospolicy run: missing value after '%s'\n", arg);
      return CLI_EXIT_USAGE;
    }
    const char *value = argv[++i];
    if (format) {
      if (strcmp(value, "json") != 0 && strcmp(value, "text") != 0) {
        fprintf(stderr, "ospolicy run: --format: '%s' is not text or json\n", value);
        return CLI_EXIT_USAGE;
      }
      o->json = strcmp(value, "json") == 0;
    } else if (*slot != NULL) {
      fprintf(stderr, "ospolicy run: %s given twice\n", arg);
      return CLI_EXIT_USAGE;
    } else {
      *slot = value;
    }
  }
  if (o->manifest == NULL) {
    fprintf(stderr, "ospolicy run: --manifest PATH is required\n");
    run_usage(stderr);
    return CLI_EXIT_USAGE;
  }
  if (o->json && !o->explain) {
    fprintf(stderr, "ospolicy run: --format applies to --explain only\n");
    return CLI_EXIT_USAGE;
  }
  if (o->explain && o->learn) {
    fprintf(stderr, "ospolicy run: --explain and --learn exclude each other\n");
    return CLI_EXIT_USAGE;
  }
  if (!o->explain && o->app_root == NULL) {
    fprintf(stderr, "ospolicy run: --app-root DIR is required to run an app\n");
    return CLI_EXIT_USAGE;
  }
  return -1;
}

/* ---- cloud metadata ------------------------------------------------------------ */

/* The host directory shown as IMDS_PROXY_APP_VIEW_DIR, from --imds-socket. */
typedef struct imds_mount {
  char dir[4096];
} imds_mount;

static bool listens(const OSPolicy_SandboxProfile *p) {
  return p->tcp_bind_count + p->udp_bind_count > 0u;
}

/* The rules between the manifest's cloudMetadata and --imds-socket (fail
 * closed, docs/sandbox.md "Cloud metadata"): "supervised" needs the socket
 * and cannot be combined with listening (the host's network namespace routes
 * the metadata address); "none" refuses a socket given anyway. The socket
 * must be a Unix socket (not a symbolic link, not another file) named
 * imds.sock, alone in a directory not writable by group or others: that
 * directory is what the app sees. Returns 0 with `out` filled (dir empty when
 * nothing is mounted) or -1 with `why` filled. */
static int check_imds(const OSPolicy_Manifest *m, const OSPolicy_SandboxProfile *p,
                      const char *socket_path, bool need_socket, imds_mount *out, char *why,
                      size_t why_size) {
  out->dir[0] = '\0';
  bool supervised = m->metadata_access == OSPOLICY_METADATA_ACCESS_SUPERVISED;
  if (!supervised) {
    if (socket_path != NULL) {
      snprintf(why, why_size,
               "--imds-socket %s given, but the manifest grants no cloud metadata "
               "(cloudMetadata.access is \"%s\"): nothing may be mounted at %s",
               socket_path, OSPolicy_MetadataAccessName(m->metadata_access),
               IMDS_PROXY_APP_VIEW_SOCKET);
      return -1;
    }
    return 0;
  }
  if (listens(p)) {
    snprintf(why, why_size,
             "the manifest grants cloud metadata (cloudMetadata.access \"supervised\") and "
             "listens (network.listen): a listening app shares the host's network namespace, "
             "where the metadata address is routed, so its socket could not be its only way "
             "to metadata");
    return -1;
  }
  if (socket_path == NULL) {
    if (!need_socket) {
      return 0;
    }
    snprintf(why, why_size,
             "the manifest's cloudMetadata.access is \"supervised\": give the app's "
             "`ospolicy imds-proxy` socket with --imds-socket SOCKET");
    return -1;
  }
  const char *slash = strrchr(socket_path, '/');
  const char *base = slash != NULL ? slash + 1 : socket_path;
  size_t dir_length = slash == NULL ? 0u : slash == socket_path ? 1u : (size_t)(slash - socket_path);
  if (strcmp(base, "imds.sock") != 0) {
    snprintf(why, why_size,
             "--imds-socket %s: the socket must be named imds.sock (its directory is shown as "
             "%s, so the app finds it at %s)",
             socket_path, IMDS_PROXY_APP_VIEW_DIR, IMDS_PROXY_APP_VIEW_SOCKET);
    return -1;
  }
  if (dir_length >= sizeof out->dir) {
    snprintf(why, why_size, "--imds-socket: the path is too long");
    return -1;
  }
  if (dir_length == 0u) {
    snprintf(out->dir, sizeof out->dir, ".");
  } else {
    memcpy(out->dir, socket_path, dir_length);
    out->dir[dir_length] = '\0';
  }
  int dir = open(out->dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  struct stat st;
  if (dir < 0 || fstat(dir, &st) != 0) {
    snprintf(why, why_size, "--imds-socket %s: directory %s: %s", socket_path, out->dir,
             errno == ENOTDIR || errno == ELOOP ? "not a directory (a symbolic link is refused)"
                                                : strerror(errno));
    if (dir >= 0) {
      close(dir);
    }
    return -1;
  }
  if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0u) {
    snprintf(why, why_size,
             "--imds-socket %s: directory %s is writable by %s (mode %04o): anyone could put "
             "another socket there",
             socket_path, out->dir, (st.st_mode & S_IWOTH) != 0u ? "others" : "its group",
             (unsigned)(st.st_mode & 07777u));
    close(dir);
    return -1;
  }
  bool found = fstatat(dir, "imds.sock", &st, AT_SYMLINK_NOFOLLOW) == 0;
  if (!found || !S_ISSOCK(st.st_mode)) {
    snprintf(why, why_size, "--imds-socket %s: %s", socket_path,
             !found                ? strerror(errno)
             : S_ISLNK(st.st_mode) ? "a symbolic link (refused): it must be the socket itself"
                                   : "not a Unix socket (is `ospolicy imds-proxy` serving it?)");
    close(dir);
    return -1;
  }
  /* Everything in the directory is in the app's view: only the socket may be. */
  DIR *listing = fdopendir(dir);
  if (listing == NULL) {
    snprintf(why, why_size, "--imds-socket %s: listing %s: %s", socket_path, out->dir,
             strerror(errno));
    close(dir);
    return -1;
  }
  const struct dirent *entry;
  int result = 0;
  while ((entry = readdir(listing)) != NULL) {
    if (strcmp(entry->d_name, ".") != 0 && strcmp(entry->d_name, "..") != 0 &&
        strcmp(entry->d_name, "imds.sock") != 0) {
      snprintf(why, why_size,
               "--imds-socket %s: directory %s also holds '%s', which the app would see at "
               "%s/%s: give each app's socket a directory of its own",
               socket_path, out->dir, entry->d_name, IMDS_PROXY_APP_VIEW_DIR, entry->d_name);
      result = -1;
      break;
    }
  }
  closedir(listing);
  return result;
}

/* ---- explain ----------------------------------------------------------------- */

static void json_string(const char *s) {
  putchar('"');
  for (; *s != '\0'; s++) {
    unsigned char ch = (unsigned char)*s;
    if (ch == '"' || ch == '\\') {
      printf("\\%c", ch);
    } else if (ch < 0x20u || ch == 0x7Fu) {
      printf("\\u%04x", ch);
    } else {
      putchar(ch);
    }
  }
  putchar('"');
}

static const char *runtime_reason(const OSPolicy_SyscallTable *table, uint32_t number) {
  const char *reason = NULL;
  for (size_t i = 0; OSPolicy_SandboxRuntimeSyscall(i, &reason) != NULL; i++) {
    const char *name = OSPolicy_SandboxRuntimeSyscall(i, NULL);
    for (size_t k = 0; k < table->count; k++) {
      if (table->entries[k].number == number && strcmp(table->entries[k].name, name) == 0) {
        return reason;
      }
    }
  }
  return "";
}

static bool in_bits(const uint64_t *bits, uint32_t n) {
  return ((bits[n / 64u] >> (n % 64u)) & 1u) != 0u;
}

static const char *view_source(const char *path) {
  if (strncmp(path, "/data", 5) == 0) {
    return "--data-root";
  }
  if (strncmp(path, "/tmp", 4) == 0) {
    return "private tmpfs";
  }
  return "--app-root (already read-only)";
}

/* Whether SELinux or AppArmor is active: the LSM list when securityfs shows
 * it, else their own traces (selinuxfs, the apparmor module parameter).
 * Anything that cannot be read counts as active: run then refuses a
 * macLabel it cannot apply instead of ignoring it. */
static bool mac_active(void) {
  uint8_t buf[512];
  size_t size = 0;
  int err = cli_read_small_file("run", "/sys/kernel/security/lsm", sizeof buf - 2u, buf, &size,
                                true, NULL);
  if (err == 0) {
    buf[size < sizeof buf ? size : sizeof buf - 1u] = '\0';
    return strstr((char *)buf, "selinux") != NULL || strstr((char *)buf, "apparmor") != NULL;
  }
  if (err != ENOENT) {
    return true;
  }
  if (access("/sys/fs/selinux/enforce", F_OK) == 0) {
    return true;
  }
  err = cli_read_small_file("run", "/sys/module/apparmor/parameters/enabled", sizeof buf - 2u,
                            buf, &size, true, NULL);
  return err == ENOENT ? false : err != 0 || (size > 0u && buf[0] == 'Y');
}

static void explain_text(const OSPolicy_Manifest *m, const OSPolicy_SandboxProfile *p,
                         const OSPolicy_SyscallTable *t, const char *imds_socket) {
  printf("app: %s (entry %s)\n", m->name.data, m->entry.data);
  printf("syscalls (x86_64, %u allowed; any other kills the process; x32 and i386 killed):\n",
         p->allowed_count);
  for (uint32_t n = 0; n < OSPOLICY_SANDBOX_SYSCALL_LIMIT; n++) {
    if (OSPolicy_DecideSandboxSyscall(p, n) != OSPOLICY_DECISION_ALLOW) {
      continue;
    }
    const char *name = OSPolicy_SyscallTableName(t, n);
    bool mine = in_bits(p->from_manifest, n);
    bool runtime = in_bits(p->from_runtime, n);
    printf("  %4u %-22s %s%s%s\n", n, name != NULL ? name : "?", mine ? "manifest" : "",
           mine && runtime ? ", " : "", runtime ? "runtime" : "");
    if (runtime && !mine) {
      printf("       %-22s (%s)\n", "", runtime_reason(t, n));
    }
  }
  for (size_t i = 0; i < p->unknown_count; i++) {
    printf("  unknown syscall '%s': not on x86_64 Linux, stays denied\n",
           m->syscalls[p->unknown[i]].data);
  }
  printf("view (nothing else exists for the app):\n");
  printf("  %-24s ro  %s\n", "/app", "--app-root");
  for (size_t i = 0; i < p->file_count; i++) {
    const OSPolicy_ManifestFile *f = &p->files[p->file_order[i]];
    printf("  %-24s %s  %s\n", f->path.data, OSPolicy_FileAccessName(f->access),
           view_source(f->path.data));
  }
  if (p->tcp_bind_count == 0u && p->udp_bind_count == 0u) {
    printf("network: own namespace, loopback only; Landlock (ABI 4 and later) also denies TCP "
           "bind and connect\n");
  } else {
    printf("network: host namespace (listening); TCP bind only to");
    for (size_t i = 0; i < p->tcp_bind_count; i++) {
      printf(" %u", (unsigned)p->tcp_bind[i]);
    }
    printf("; TCP connect denied (Landlock)");
    if (p->udp_bind_count > 0u) {
      printf("; udp listen grants cannot be enforced: run refuses them");
    }
    printf("\n");
  }
  printf("capabilities:");
  if (p->capabilities == 0u) {
    printf(" none");
  }
  for (uint32_t c = 0; c < 64u; c++) {
    if ((p->capabilities >> c & 1u) != 0u) {
      printf(" %s", OSPolicy_CapabilityName(c));
    }
  }
  printf(" (bounding, permitted, effective, inheritable, ambient; all others dropped)\n");
  printf("limits:");
  if (p->memory_bytes != 0u) {
    printf(" RLIMIT_AS=%llu", (unsigned long long)p->memory_bytes);
  }
  if (p->open_files != 0u) {
    printf(" RLIMIT_NOFILE=%u", p->open_files);
  }
  if (p->processes != 0u) {
    printf(" RLIMIT_NPROC=%u", p->processes);
  }
  printf(" RLIMIT_CORE=0\n");
  printf("environment: exactly %zu variable%s from the manifest, nothing inherited\n",
         m->env_count, m->env_count == 1u ? "" : "s");
  printf("hardening: no_new_privs, MDWE (no W+X, no exec gain), securebits locked, "
         "setuid ignored\n");
  if (OSPolicy_DecideSandboxSyscall(p, (uint32_t)SYS_socket) == OSPOLICY_DECISION_ALLOW) {
    printf("socket: AF_UNIX, AF_NETLINK, TCP and UDP over AF_INET/AF_INET6; MPTCP and SCTP "
           "EACCES; anything else killed\n");
  }
  if (OSPolicy_DecideSandboxSyscall(p, (uint32_t)SYS_io_uring_setup) == OSPOLICY_DECISION_ALLOW) {
    printf("io_uring: io_uring_setup is listed: run refuses (ring operations bypass the "
           "seccomp filter)\n");
  }
  if (m->mac_label.length > 0u) {
    printf("macLabel: %s: %s\n", m->mac_label.data,
           mac_active() ? "an active SELinux/AppArmor needs it: run refuses (not applied yet)"
                        : "not enforced on this host (no SELinux or AppArmor active)");
  }
  if (m->metadata_access != OSPOLICY_METADATA_ACCESS_SUPERVISED) {
    printf("cloudMetadata: %s: nothing at " IMDS_PROXY_APP_VIEW_DIR "; %s\n",
           OSPolicy_MetadataAccessName(m->metadata_access),
           listens(p) ? "listening: the host's network namespace routes the metadata address; "
                        "Landlock denies TCP connect to it; MPTCP and SCTP sockets are refused"
                      : "no route to the metadata address (own network namespace)");
  } else if (listens(p)) {
    printf("cloudMetadata: supervised: run refuses it for a listening app (the host's network "
           "namespace routes the metadata address)\n");
  } else if (imds_socket != NULL) {
    printf("cloudMetadata: supervised: " IMDS_PROXY_APP_VIEW_SOCKET " (the directory of "
           "--imds-socket %s, read-only at " IMDS_PROXY_APP_VIEW_DIR "); no route to the metadata "
           "address (own network namespace)\n", imds_socket);
  } else {
    printf("cloudMetadata: supervised: " IMDS_PROXY_APP_VIEW_SOCKET " (run needs --imds-socket "
           "SOCKET); no route to the metadata address (own network namespace)\n");
  }
}

static void explain_json(const OSPolicy_Manifest *m, const OSPolicy_SandboxProfile *p,
                         const OSPolicy_SyscallTable *t, const char *imds_socket) {
  printf("{\"app\": ");
  json_string(m->name.data);
  printf(", \"entry\": ");
  json_string(m->entry.data);
  printf(", \"abi\": \"x86_64\", \"defaultAction\": \"kill-process\", \"syscalls\": [");
  bool first = true;
  for (uint32_t n = 0; n < OSPOLICY_SANDBOX_SYSCALL_LIMIT; n++) {
    if (OSPolicy_DecideSandboxSyscall(p, n) != OSPOLICY_DECISION_ALLOW) {
      continue;
    }
    const char *name = OSPolicy_SyscallTableName(t, n);
    printf("%s{\"number\": %u, \"name\": ", first ? "" : ", ", n);
    json_string(name != NULL ? name : "?");
    printf(", \"manifest\": %s, \"runtime\": %s}", in_bits(p->from_manifest, n) ? "true" : "false",
           in_bits(p->from_runtime, n) ? "true" : "false");
    first = false;
  }
  printf("], \"unknownSyscalls\": [");
  for (size_t i = 0; i < p->unknown_count; i++) {
    printf("%s", i > 0u ? ", " : "");
    json_string(m->syscalls[p->unknown[i]].data);
  }
  printf("], \"view\": [{\"path\": \"/app\", \"access\": \"ro\", \"source\": \"--app-root\"}");
  for (size_t i = 0; i < p->file_count; i++) {
    const OSPolicy_ManifestFile *f = &p->files[p->file_order[i]];
    printf(", {\"path\": ");
    json_string(f->path.data);
    printf(", \"access\": \"%s\", \"source\": ", OSPolicy_FileAccessName(f->access));
    json_string(view_source(f->path.data));
    printf("}");
  }
  printf("], \"network\": {\"namespace\": \"%s\", \"tcpBind\": [",
         p->tcp_bind_count + p->udp_bind_count == 0u ? "own" : "host");
  for (size_t i = 0; i < p->tcp_bind_count; i++) {
    printf("%s%u", i > 0u ? ", " : "", (unsigned)p->tcp_bind[i]);
  }
  printf("], \"udpBind\": [");
  for (size_t i = 0; i < p->udp_bind_count; i++) {
    printf("%s%u", i > 0u ? ", " : "", (unsigned)p->udp_bind[i]);
  }
  printf("], \"tcpConnect\": []}, \"capabilities\": [");
  first = true;
  for (uint32_t c = 0; c < 64u; c++) {
    if ((p->capabilities >> c & 1u) != 0u) {
      printf("%s", first ? "" : ", ");
      json_string(OSPolicy_CapabilityName(c));
      first = false;
    }
  }
  printf("], \"limits\": {\"RLIMIT_AS\": %llu, \"RLIMIT_NOFILE\": %u, \"RLIMIT_NPROC\": %u, "
         "\"RLIMIT_CORE\": 0}, \"env\": [",
         (unsigned long long)p->memory_bytes, p->open_files, p->processes);
  for (size_t i = 0; i < m->env_count; i++) {
    printf("%s", i > 0u ? ", " : "");
    json_string(m->env[i].name.data);
  }
  printf("], \"noNewPrivs\": true, \"mdwe\": true, \"macLabel\": ");
  if (m->mac_label.length > 0u) {
    printf("{\"label\": ");
    json_string(m->mac_label.data);
    printf(", \"enforced\": false}");
  } else {
    printf("null");
  }
  printf(", \"cloudMetadata\": \"%s\", \"metadataSocket\": ",
         OSPolicy_MetadataAccessName(m->metadata_access));
  if (m->metadata_access == OSPOLICY_METADATA_ACCESS_SUPERVISED && !listens(p)) {
    printf("{\"path\": \"" IMDS_PROXY_APP_VIEW_SOCKET "\", \"hostSocket\": ");
    if (imds_socket != NULL) {
      json_string(imds_socket);
    } else {
      printf("null");
    }
    printf(", \"access\": \"ro\"}}\n");
  } else {
    printf("null}\n");
  }
}

/* ---- run --------------------------------------------------------------------- */

static const char *denied_name(long number, bool i386, const OSPolicy_SyscallTable *t) {
  const char *name = !i386 && number >= 0 && number < (long)OSPOLICY_SANDBOX_SYSCALL_LIMIT
                         ? OSPolicy_SyscallTableName(t, (uint32_t)number)
                         : NULL;
  return name != NULL                  ? name
         : i386                        ? "i386 ABI, int 0x80"
         : (number & 0x40000000L) != 0 ? "x32 ABI"
                                       : "not an x86_64 syscall";
}

static void report_end(const OSPolicy_Manifest *m, const sandbox_outcome *o,
                       const OSPolicy_SyscallTable *t) {
  if (o->exited) {
    fprintf(stderr, "ospolicy run: %s: exited with status %d\n", m->name.data, o->exit_code);
  } else if (o->signal == SIGSYS && o->syscall >= 0 && o->syscall_args) {
    fprintf(stderr,
            "ospolicy run: %s: killed by SIGSYS: syscall %ld (%s) with arguments the sandbox "
            "refuses (family %llu, type %llu, protocol %llu)\n",
            m->name.data, o->syscall, denied_name(o->syscall, o->i386, t),
            (unsigned long long)o->args[0], (unsigned long long)o->args[1],
            (unsigned long long)o->args[2]);
  } else if (o->signal == SIGSYS && o->syscall >= 0) {
    fprintf(stderr, "ospolicy run: %s: killed by SIGSYS: syscall %ld (%s) not in the manifest\n",
            m->name.data, o->syscall, denied_name(o->syscall, o->i386, t));
  } else if (o->signal == SIGSYS) {
    fprintf(stderr,
            "ospolicy run: %s: killed by SIGSYS: a syscall not in the manifest (number unknown)\n",
            m->name.data);
  } else {
    const char *signame = sigabbrev_np(o->signal);
    fprintf(stderr, "ospolicy run: %s: killed by SIG%s\n", m->name.data,
            signame != NULL ? signame : "?");
  }
  if (o->child_syscall >= 0 && o->child_syscall_args) {
    fprintf(stderr,
            "ospolicy run: %s: a process the app started was killed by SIGSYS: syscall %ld (%s) "
            "with arguments the sandbox refuses (family %llu, type %llu, protocol %llu)\n",
            m->name.data, o->child_syscall, denied_name(o->child_syscall, o->child_i386, t),
            (unsigned long long)o->args[0], (unsigned long long)o->args[1],
            (unsigned long long)o->args[2]);
  } else if (o->child_syscall >= 0) {
    fprintf(stderr,
            "ospolicy run: %s: a process the app started was killed by SIGSYS: syscall %ld (%s) "
            "not in the manifest\n",
            m->name.data, o->child_syscall, denied_name(o->child_syscall, o->child_i386, t));
  }
}

/* The syscalls the learning run saw, minus the runtime set (always added),
 * as one line to paste into the manifest. */
static void print_learned(const OSPolicy_Manifest *m, const OSPolicy_SandboxProfile *p,
                          const sandbox_outcome *o, const OSPolicy_SyscallTable *t) {
  fprintf(stderr, "ospolicy run: %s: syscalls used (the runtime set is added anyway):\n",
          m->name.data);
  fprintf(stderr, "\"syscalls\": [");
  bool first = true;
  for (uint32_t n = 0; n < OSPOLICY_SANDBOX_SYSCALL_LIMIT; n++) {
    if (!in_bits(o->learned, n) || in_bits(p->from_runtime, n)) {
      continue;
    }
    const char *name = OSPolicy_SyscallTableName(t, n);
    fprintf(stderr, "%s\"%s\"", first ? "" : ", ", name != NULL ? name : "?");
    first = false;
  }
  fprintf(stderr, "]\n");
  if (o->learned_foreign) {
    fprintf(stderr, "ospolicy run: %s: the app also made i386 or x32 syscalls: those are always "
                    "denied\n", m->name.data);
  }
}

int cli_run(int argc, char **argv) {
  run_options opt;
  int parsed = parse(argc, argv, &opt);
  if (parsed >= 0) {
    return parsed;
  }
  int refused = opt.explain ? CLI_EXIT_FINDING : RUN_EXIT_REFUSED;
  size_t limit = OSPOLICY_MANIFEST_DEFAULT_MAX_SIZE;
  uint8_t *text = malloc(limit + 1u);
  OSPolicy_ManifestResult *result = malloc(sizeof *result);
  OSPolicy_SandboxProfile *profile = malloc(sizeof *profile);
  size_t size = 0;
  size_t required = 0;
  void *workspace = NULL;
  const OSPolicy_SyscallTable table = sandbox_linux_syscalls;
  int exit_status = refused;
  if (text == NULL || result == NULL || profile == NULL) {
    fprintf(stderr, "ospolicy run: out of memory\n");
    goto out;
  }
  if (cli_read_small_file("run", opt.manifest, limit, text, &size, false, NULL) != 0) {
    exit_status = opt.explain ? CLI_EXIT_UNREADABLE : RUN_EXIT_REFUSED;
    goto out;
  }
  if (size <= limit && OSPolicy_GetManifestWorkspaceSize(size, &required) == OSPOLICY_OK) {
    workspace = malloc(required);
  }
  OSPolicy_ManifestRequest request = {.text = (const char *)text, .size = size,
                                      .workspace = workspace,
                                      .workspace_size = workspace != NULL ? required : 0u};
  OSPolicy_Status status = OSPolicy_ValidateManifest(&request, result);
  if (status != OSPOLICY_OK) {
    fprintf(stderr, "ospolicy run: %s: the manifest is not valid; nothing was run\n",
            opt.manifest);
    for (size_t i = 0; i < result->finding_count; i++) {
      const OSPolicy_ManifestFinding *f = &result->findings[i];
      fprintf(stderr, "%s:%u:%u: error: %s: %s%s%s\n", opt.manifest, f->line, f->column,
              OSPolicy_StatusName(f->status), f->path, f->path[0] != '\0' ? ": " : "",
              f->message);
    }
    if (result->finding_count == 0u) {
      fprintf(stderr, "ospolicy run: %s: %s\n", opt.manifest, OSPolicy_StatusText(status));
    }
    goto out;
  }
  status = OSPolicy_CompileSandboxProfile(&result->manifest, &table, profile);
  if (status != OSPOLICY_OK) {
    fprintf(stderr, "ospolicy run: compiling the profile: %s\n", OSPolicy_StatusText(status));
    goto out;
  }
  const OSPolicy_Manifest *m = &result->manifest;
  imds_mount imds;
  char why[768];
  if (check_imds(m, profile, opt.imds_socket, !opt.explain, &imds, why, sizeof why) != 0 &&
      (!opt.explain || opt.imds_socket != NULL)) {
    fprintf(stderr, "ospolicy run: %s: refused (cloud metadata): %s; nothing was run\n",
            m->name.data, why);
    goto out;
  }
  /* io_uring runs socket, connect, openat... as ring operations the seccomp
   * filter never sees: IORING_OP_SOCKET makes the MPTCP and SCTP sockets the
   * filter's socket rule refuses, and any socket without `socket` in the
   * manifest (docs/sandbox.md, "Network"). Fail closed. */
  if (!opt.explain &&
      OSPolicy_DecideSandboxSyscall(profile, (uint32_t)SYS_io_uring_setup) == OSPOLICY_DECISION_ALLOW) {
    fprintf(stderr,
            "ospolicy run: %s: refused (io_uring): the manifest lists io_uring_setup, and "
            "io_uring operations (IORING_OP_SOCKET, IORING_OP_OPENAT, ...) bypass the seccomp "
            "filter, its socket rule included; nothing was run\n",
            m->name.data);
    goto out;
  }
  if (opt.explain) {
    if (opt.json) {
      explain_json(m, profile, &table, opt.imds_socket);
    } else {
      explain_text(m, profile, &table, opt.imds_socket);
    }
    exit_status = CLI_EXIT_OK;
    goto out;
  }
  for (size_t i = 0; i < profile->unknown_count; i++) {
    fprintf(stderr, "ospolicy run: %s: syscall '%s' is not an x86_64 Linux syscall; it stays denied\n",
            m->name.data, m->syscalls[profile->unknown[i]].data);
  }
  if (m->mac_label.length > 0u) {
    if (mac_active()) {
      fprintf(stderr,
              "ospolicy run: %s: macLabel %s cannot be applied by this build while SELinux or "
              "AppArmor is active; nothing was run\n",
              m->name.data, m->mac_label.data);
      goto out;
    }
    fprintf(stderr, "ospolicy run: %s: macLabel %s not enforced on this host (no SELinux or "
                    "AppArmor active)\n",
            m->name.data, m->mac_label.data);
  }
  sandbox_request run = {.manifest = m, .profile = profile, .app_root = opt.app_root,
                         .data_root = opt.data_root, .args = opt.args, .learn = opt.learn,
                         .run_dir = imds.dir[0] != '\0' ? imds.dir : NULL};
  if (opt.learn) {
    fprintf(stderr, "ospolicy run: %s: learning run: the syscall filter is OFF, everything else "
                    "is enforced\n", m->name.data);
  }
  sandbox_outcome outcome;
  fflush(stdout); /* nothing buffered here is copied into the app's process */
  fflush(stderr);
  status = sandbox_run(&run, &outcome);
  if (status != OSPOLICY_OK) {
    fprintf(stderr, "ospolicy run: %s: refused (%s): %s\n", m->name.data,
            OSPolicy_StatusName(status), outcome.message);
    goto out;
  }
  report_end(m, &outcome, &table);
  if (opt.learn) {
    print_learned(m, profile, &outcome, &table);
  }
  exit_status = outcome.exited ? outcome.exit_code : 128 + outcome.signal;
out:
  free(workspace);
  free(profile);
  free(result);
  free(text);
  return exit_status;
}
