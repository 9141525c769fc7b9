/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * Linux enforcement of a sandbox profile (sandbox_linux.h, docs/sandbox.md).
 *
 * Order in the app's process (the child of clone(2) with new user, mount,
 * PID, IPC, UTS and, unless it listens, network namespaces):
 *   wait for the supervisor (ptrace seized, uid/gid maps written)
 *   -> build the view in a tmpfs and pivot_root into it
 *   -> loopback up (own network namespace) -> rlimits
 *   -> capability bounding set, securebits, ids, capability sets (libcap)
 *   -> no_new_privs -> MDWE -> Landlock -> seccomp (last: libseccomp)
 *   -> execve(entry, args, manifest env).
 * Any failure before execve is written to a pipe (one message) and the child
 * exits: nothing runs with a partial sandbox.
 */
#include "sandbox_linux.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <net/if.h>
#include <poll.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <linux/landlock.h>
#include <linux/openat2.h>
#include <linux/securebits.h>

/* UAPI newer than Debian 12's linux-libc-dev (6.1); values are kernel ABI. */
#ifndef PR_SET_MDWE
#define PR_SET_MDWE 65
#define PR_GET_MDWE 66
#endif
#ifndef PR_MDWE_REFUSE_EXEC_GAIN
#define PR_MDWE_REFUSE_EXEC_GAIN (1UL << 0)
#endif
#ifndef LANDLOCK_ACCESS_FS_TRUNCATE
#define LANDLOCK_ACCESS_FS_TRUNCATE (1ULL << 14)
#endif
#ifndef LANDLOCK_ACCESS_FS_IOCTL_DEV
#define LANDLOCK_ACCESS_FS_IOCTL_DEV (1ULL << 15)
#endif
#define SANDBOX_LANDLOCK_RULE_NET_PORT 2
#define SANDBOX_LANDLOCK_NET_BIND_TCP (1ULL << 0)
#define SANDBOX_LANDLOCK_NET_CONNECT_TCP (1ULL << 1)
#define SANDBOX_LANDLOCK_SCOPE_ABSTRACT_UNIX (1ULL << 0)
#define SANDBOX_LANDLOCK_SCOPE_SIGNAL (1ULL << 1)

typedef struct landlock_ruleset_attr_v6 {
  uint64_t handled_access_fs;
  uint64_t handled_access_net;
  uint64_t scoped;
} landlock_ruleset_attr_v6;

typedef struct landlock_net_port_attr_v4 {
  uint64_t allowed_access;
  uint64_t port;
} landlock_net_port_attr_v4;

#define FS_READ (LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR)
#define FS_WRITE                                                                         \
  (LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_REMOVE_DIR |                       \
   LANDLOCK_ACCESS_FS_REMOVE_FILE | LANDLOCK_ACCESS_FS_MAKE_DIR |                        \
   LANDLOCK_ACCESS_FS_MAKE_REG | LANDLOCK_ACCESS_FS_MAKE_SOCK |                          \
   LANDLOCK_ACCESS_FS_MAKE_FIFO | LANDLOCK_ACCESS_FS_MAKE_SYM)
#define FS_FILE_ONLY                                                                     \
  (LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_WRITE_FILE |                          \
   LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_TRUNCATE | LANDLOCK_ACCESS_FS_IOCTL_DEV)

enum { SETUP_FAILED_EXIT = 125, MESSAGE_MAX = 480 };

/* ---- host probe ---------------------------------------------------------- */

static int landlock_abi(void) {
  long abi = syscall(SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);
  return abi < 0 ? 0 : (int)abi;
}

static long read_long(const char *path, long fallback) {
  FILE *f = fopen(path, "re");
  if (f == NULL) {
    return fallback;
  }
  long value = fallback;
  if (fscanf(f, "%ld", &value) != 1) {
    value = fallback;
  }
  fclose(f);
  return value;
}

OSPolicy_Status sandbox_probe_host(const OSPolicy_SandboxProfile *profile, sandbox_host *host,
                                   char *why, size_t why_size) {
  memset(host, 0, sizeof *host);
  host->landlock_abi = landlock_abi();
  /* Filters whose action is KILL_PROCESS, exactly what the sandbox loads. */
  uint32_t kill_process = SECCOMP_RET_KILL_PROCESS;
  host->seccomp = syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &kill_process) == 0;
  host->mdwe = prctl(PR_GET_MDWE, 0, 0, 0, 0) >= 0;
  host->user_namespaces = read_long("/proc/sys/user/max_user_namespaces", 0) > 0;
  const char *missing = NULL;
  if (!host->user_namespaces) {
    missing = "user namespaces (/proc/sys/user/max_user_namespaces is 0)";
  } else if (!host->seccomp) {
    missing = "seccomp filters";
  } else if (host->landlock_abi < 1) {
    missing = "Landlock (not built in or not enabled in the lsm= list)";
  } else if (profile->tcp_bind_count > 0u && host->landlock_abi < 4) {
    missing = "Landlock ABI 4 (TCP port rules) for network.listen";
  } else if (profile->tcp_bind_count > 0u && host->landlock_abi < 6) {
    /* A listening app shares the host's network namespace, and with it the
     * host's abstract Unix sockets (D-Bus, X11, container runtimes): only
     * Landlock's scoping keeps it off them. */
    missing = "Landlock ABI 6 (scoping of abstract Unix sockets and signals) for an app that "
              "listens in the host's network namespace";
  } else if (profile->udp_bind_count > 0u) {
    missing = "UDP port enforcement (Landlock restricts TCP ports only) for a udp listen grant";
  } else if (!host->mdwe) {
    missing = "PR_SET_MDWE (Linux 6.3)";
  }
  if (missing != NULL) {
    snprintf(why, why_size, "this host lacks %s", missing);
    return OSPOLICY_ERR_SANDBOX_MECHANISM_MISSING;
  }
  return OSPOLICY_OK;
}

/* ---- seccomp -------------------------------------------------------------- */

/* `socket` is the one syscall whose filter rule reads arguments (the
 * deliberate exception to "arch and number only"; docs/sandbox.md, "The
 * seccomp filter"). Landlock's TCP rules hold IPPROTO_TCP sockets only, so a
 * listening app in the host's network namespace could connect anywhere over
 * MPTCP (it falls back to TCP with any server) or SCTP. The rules allow:
 *   AF_UNIX, AF_NETLINK: any type and protocol;
 *   AF_INET, AF_INET6: SOCK_STREAM with protocol 0 or IPPROTO_TCP, SOCK_DGRAM
 *     with protocol 0 or IPPROTO_UDP (the type compared without its
 *     SOCK_NONBLOCK/SOCK_CLOEXEC bits);
 * answer EACCES to AF_INET/AF_INET6 with IPPROTO_MPTCP or IPPROTO_SCTP (so an
 * app that tries MPTCP first, as Go's listeners do, falls back to TCP), and
 * leave everything else (other families, raw, SOCK_SEQPACKET, which is SCTP
 * with protocol 0, values with upper bits set) to the default action:
 * SCMP_ACT_KILL_PROCESS. Every other allowed syscall keeps an unconditional
 * rule, and so the kernel's constant-action cache. */
#define SANDBOX_SOCK_TYPE_MASK 0xfu
#define SANDBOX_IPPROTO_MPTCP 262

static const int any_families[] = {AF_UNIX, AF_NETLINK};
static const int inet_families[] = {AF_INET, AF_INET6};
static const struct {
  int type;
  int protocol;
} inet_allowed[] = {{SOCK_STREAM, 0}, {SOCK_STREAM, IPPROTO_TCP}, {SOCK_DGRAM, 0}, {SOCK_DGRAM, IPPROTO_UDP}};
static const int inet_refused[] = {SANDBOX_IPPROTO_MPTCP, IPPROTO_SCTP};

/* The rules below as C, for the supervisor's line: 0 allowed, 1 EACCES, 2
 * killed. The comparisons are on the full 64-bit registers, as the filter's. */
static int socket_rule(uint64_t family, uint64_t type, uint64_t protocol) {
  for (size_t f = 0; f < sizeof any_families / sizeof any_families[0]; f++) {
    if (family == (uint64_t)any_families[f]) {
      return 0;
    }
  }
  for (size_t f = 0; f < sizeof inet_families / sizeof inet_families[0]; f++) {
    if (family != (uint64_t)inet_families[f]) {
      continue;
    }
    for (size_t i = 0; i < sizeof inet_allowed / sizeof inet_allowed[0]; i++) {
      if ((type & SANDBOX_SOCK_TYPE_MASK) == (uint64_t)inet_allowed[i].type &&
          protocol == (uint64_t)inet_allowed[i].protocol) {
        return 0;
      }
    }
    for (size_t i = 0; i < sizeof inet_refused / sizeof inet_refused[0]; i++) {
      if (protocol == (uint64_t)inet_refused[i]) {
        return 1;
      }
    }
  }
  return 2;
}

static int add_socket_rules(scmp_filter_ctx ctx) {
  for (size_t f = 0; f < sizeof any_families / sizeof any_families[0]; f++) {
    if (seccomp_rule_add_exact(ctx, SCMP_ACT_ALLOW, SCMP_SYS(socket), 1,
                               SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)any_families[f])) != 0) {
      return -1;
    }
  }
  for (size_t f = 0; f < sizeof inet_families / sizeof inet_families[0]; f++) {
    scmp_datum_t family = (scmp_datum_t)inet_families[f];
    for (size_t i = 0; i < sizeof inet_allowed / sizeof inet_allowed[0]; i++) {
      if (seccomp_rule_add_exact(
              ctx, SCMP_ACT_ALLOW, SCMP_SYS(socket), 3, SCMP_A0(SCMP_CMP_EQ, family),
              SCMP_A1(SCMP_CMP_MASKED_EQ, SANDBOX_SOCK_TYPE_MASK, (scmp_datum_t)inet_allowed[i].type),
              SCMP_A2(SCMP_CMP_EQ, (scmp_datum_t)inet_allowed[i].protocol)) != 0) {
        return -1;
      }
    }
    for (size_t i = 0; i < sizeof inet_refused / sizeof inet_refused[0]; i++) {
      if (seccomp_rule_add_exact(ctx, SCMP_ACT_ERRNO(EACCES), SCMP_SYS(socket), 2,
                                 SCMP_A0(SCMP_CMP_EQ, family),
                                 SCMP_A2(SCMP_CMP_EQ, (scmp_datum_t)inet_refused[i])) != 0) {
        return -1;
      }
    }
  }
  return 0;
}

OSPolicy_Status sandbox_build_filter(const OSPolicy_SandboxProfile *profile,
                                     scmp_filter_ctx *filter) {
  *filter = NULL;
  if (profile == NULL || profile->status != OSPOLICY_OK) {
    return OSPOLICY_ERR_PLAN_NOT_OK;
  }
  scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_KILL_PROCESS);
  if (ctx == NULL) {
    return OSPOLICY_ERR_SANDBOX_SETUP_FAILED;
  }
  /* Only the native x86-64 arch is in the filter: i386 (int 0x80) and x32
   * numbers take the bad-arch action. NNP is set by the sandbox itself. */
  if (seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS) != 0 ||
      seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0) != 0) {
    seccomp_release(ctx);
    return OSPOLICY_ERR_SANDBOX_SETUP_FAILED;
  }
  for (uint32_t n = 0; n < OSPOLICY_SANDBOX_SYSCALL_LIMIT; n++) {
    if (OSPolicy_DecideSandboxSyscall(profile, n) != OSPOLICY_DECISION_ALLOW) {
      continue;
    }
    int rc = n == (uint32_t)SYS_socket ? add_socket_rules(ctx)
                                       : seccomp_rule_add_exact(ctx, SCMP_ACT_ALLOW, (int)n, 0);
    if (rc != 0) {
      seccomp_release(ctx);
      return OSPOLICY_ERR_SANDBOX_SETUP_FAILED;
    }
  }
  *filter = ctx;
  return OSPOLICY_OK;
}

/* The BPF program libseccomp generates for `ctx` (seccomp_export_bpf through
 * a memfd), so the child loads exactly these instructions without
 * allocating. */
static int export_program(scmp_filter_ctx ctx, struct sock_fprog *program) {
  program->filter = NULL;
  program->len = 0;
  int fd = memfd_create("ospolicy-seccomp", MFD_CLOEXEC);
  if (fd < 0) {
    return -1;
  }
  off_t size = -1;
  if (seccomp_export_bpf(ctx, fd) == 0) {
    size = lseek(fd, 0, SEEK_END);
  }
  size_t count = size > 0 ? (size_t)size / sizeof(struct sock_filter) : 0u;
  if (count == 0u || count > BPF_MAXINSNS || (size_t)size % sizeof(struct sock_filter) != 0u) {
    close(fd);
    return -1;
  }
  struct sock_filter *insns = malloc((size_t)size);
  if (insns == NULL || pread(fd, insns, (size_t)size, 0) != size) {
    free(insns);
    close(fd);
    return -1;
  }
  close(fd);
  program->filter = insns;
  program->len = (unsigned short)count;
  return 0;
}

/* ---- checks before anything runs ------------------------------------------ */

OSPolicy_Status sandbox_check_app_root(const char *path, char *why, size_t why_size) {
  struct stat st;
  if (path == NULL || path[0] == '\0') {
    snprintf(why, why_size, "--app-root is required");
    return OSPOLICY_ERR_SANDBOX_BAD_APP_ROOT;
  }
  if (stat(path, &st) != 0) {
    snprintf(why, why_size, "app root %s: %s", path, strerror(errno));
    return OSPOLICY_ERR_SANDBOX_BAD_APP_ROOT;
  }
  if (!S_ISDIR(st.st_mode)) {
    snprintf(why, why_size, "app root %s is not a directory", path);
    return OSPOLICY_ERR_SANDBOX_BAD_APP_ROOT;
  }
  if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0u) {
    snprintf(why, why_size, "app root %s is writable by %s (mode %04o): anyone could change the app",
             path, (st.st_mode & S_IWOTH) != 0u ? "others" : "its group",
             (unsigned)(st.st_mode & 07777u));
    return OSPOLICY_ERR_SANDBOX_BAD_APP_ROOT;
  }
  return OSPOLICY_OK;
}

typedef enum grant_area { AREA_APP, AREA_DATA, AREA_TMP } grant_area;

static grant_area area_of(const char *path) {
  if (strncmp(path, SANDBOX_DATA_DIR, 5) == 0 && (path[5] == '\0' || path[5] == '/')) {
    return AREA_DATA;
  }
  if (strncmp(path, SANDBOX_TMP_DIR, 4) == 0 && (path[4] == '\0' || path[4] == '/')) {
    return AREA_TMP;
  }
  return AREA_APP;
}

/* Descriptors of everything the view shows from the host. */
typedef struct sources {
  int app;                                /* O_PATH of the app root */
  int data[OSPOLICY_MANIFEST_MAX_FILES];  /* O_PATH of each /data grant, -1 otherwise */
  int service[SANDBOX_MAX_SERVICES];      /* O_PATH of each service */
  int run_dir;                            /* O_PATH of the request's run_dir, or -1 */
} sources;

static bool service_name_ok(const char *name) {
  size_t n = strlen(name);
  if (n == 0u || n > 64u || strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
    return false;
  }
  return strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-") == n;
}

/* Opens the app root, the host path behind each /data grant (openat2 below
 * --data-root: no symbolic link, no magic link, no other mount) and each
 * service. The supervisor calls it to refuse early with a clear message; the
 * child calls it again in its own mount namespace, where it mounts them (a
 * mount can only be cloned from the caller's own namespace). */
static OSPolicy_Status open_sources(const sandbox_request *r, sources *src, char *why,
                                    size_t why_size) {
  const OSPolicy_SandboxProfile *p = r->profile;
  int data_root = -1;
  for (size_t i = 0; i < OSPOLICY_MANIFEST_MAX_FILES; i++) {
    src->data[i] = -1;
  }
  for (size_t i = 0; i < SANDBOX_MAX_SERVICES; i++) {
    src->service[i] = -1;
  }
  src->run_dir = -1;
  src->app = open(r->app_root, O_PATH | O_DIRECTORY | O_CLOEXEC);
  struct stat st;
  if (src->app < 0 || fstat(src->app, &st) != 0) {
    snprintf(why, why_size, "app root %s: %s", r->app_root, strerror(errno));
    return OSPOLICY_ERR_SANDBOX_BAD_APP_ROOT;
  }
  /* The rule again on what was opened: a directory swapped in after the
   * check is refused too. */
  if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0u) {
    snprintf(why, why_size, "app root %s became writable by group or others", r->app_root);
    return OSPOLICY_ERR_SANDBOX_BAD_APP_ROOT;
  }
  for (size_t i = 0; i < p->file_count; i++) {
    const char *path = p->files[i].path.data;
    if (area_of(path) != AREA_DATA) {
      continue;
    }
    if (data_root < 0) {
      if (r->data_root == NULL) {
        snprintf(why, why_size, "the manifest grants %s but no --data-root was given", path);
        return OSPOLICY_ERR_SANDBOX_BAD_DATA_ROOT;
      }
      data_root = open(r->data_root, O_PATH | O_DIRECTORY | O_CLOEXEC);
      if (data_root < 0) {
        snprintf(why, why_size, "data root %s: %s", r->data_root, strerror(errno));
        return OSPOLICY_ERR_SANDBOX_BAD_DATA_ROOT;
      }
    }
    const char *relative = path[5] == '\0' ? "." : path + 6;
    struct open_how how = {.flags = O_PATH | O_CLOEXEC,
                           .resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS |
                                      RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV};
    int fd = (int)syscall(SYS_openat2, data_root, relative, &how, sizeof how);
    if (fd < 0) {
      int err = errno;
      close(data_root);
      snprintf(why, why_size, "%s: %s/%s: %s", path, r->data_root,
               path[5] == '\0' ? "" : relative,
               err == ELOOP ? "a symbolic link (refused)"
               : err == EXDEV ? "crosses a mount point (refused)"
                              : strerror(err));
      return OSPOLICY_ERR_SANDBOX_BAD_DATA_ROOT;
    }
    src->data[i] = fd;
  }
  if (data_root >= 0) {
    close(data_root);
  }
  if (r->service_count > SANDBOX_MAX_SERVICES ||
      (r->service_count > 0u && r->services == NULL)) {
    snprintf(why, why_size, "more than %u services", SANDBOX_MAX_SERVICES);
    return OSPOLICY_ERR_INVALID_ARGUMENT;
  }
  for (size_t i = 0; i < r->service_count; i++) {
    const sandbox_service *svc = &r->services[i];
    if (svc->name == NULL || svc->host_path == NULL || !service_name_ok(svc->name)) {
      snprintf(why, why_size, "service %zu: the name must be 1..64 bytes of [A-Za-z0-9._-]", i);
      return OSPOLICY_ERR_INVALID_ARGUMENT;
    }
    src->service[i] = open(svc->host_path, O_PATH | O_NOFOLLOW | O_CLOEXEC);
    if (src->service[i] < 0 || fstat(src->service[i], &st) != 0 || S_ISLNK(st.st_mode) ||
        S_ISDIR(st.st_mode)) {
      snprintf(why, why_size, "service %s: %s: %s", svc->name, svc->host_path,
               src->service[i] < 0 ? strerror(errno) : "not a file or socket");
      return OSPOLICY_ERR_INVALID_ARGUMENT;
    }
  }
  if (r->run_dir != NULL) {
    if (r->service_count > 0u) {
      snprintf(why, why_size, "a run directory and services exclude each other (both are %s)",
               SANDBOX_RUN_DIR);
      return OSPOLICY_ERR_INVALID_ARGUMENT;
    }
    src->run_dir = open(r->run_dir, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (src->run_dir < 0) {
      snprintf(why, why_size, "%s: %s", r->run_dir,
               errno == ENOTDIR || errno == ELOOP ? "not a directory (a symbolic link is refused)"
                                                  : strerror(errno));
      return OSPOLICY_ERR_INVALID_ARGUMENT;
    }
    /* Whoever can write there could put another socket in the app's view:
     * checked again on what is mounted. */
    if (fstat(src->run_dir, &st) != 0 || (st.st_mode & (S_IWGRP | S_IWOTH)) != 0u) {
      snprintf(why, why_size, "%s is writable by group or others", r->run_dir);
      return OSPOLICY_ERR_INVALID_ARGUMENT;
    }
  }
  return OSPOLICY_OK;
}

static void close_sources(sources *src) {
  if (src->app >= 0) {
    close(src->app);
    src->app = -1;
  }
  for (size_t i = 0; i < OSPOLICY_MANIFEST_MAX_FILES; i++) {
    if (src->data[i] >= 0) {
      close(src->data[i]);
      src->data[i] = -1;
    }
  }
  for (size_t i = 0; i < SANDBOX_MAX_SERVICES; i++) {
    if (src->service[i] >= 0) {
      close(src->service[i]);
      src->service[i] = -1;
    }
  }
  if (src->run_dir >= 0) {
    close(src->run_dir);
    src->run_dir = -1;
  }
}

/* ---- the child ------------------------------------------------------------ */

typedef struct child_context {
  const sandbox_request *request;
  struct sock_fprog program; /* the filter, exported by the supervisor */
  int sync_fd;   /* read end: one byte when the supervisor is ready */
  int sync_writer; /* the supervisor's ends, inherited by clone: closed at */
  int report_reader; /* once, so the supervisor's death is an EOF here */
  int report_fd; /* write end, close-on-exec: one message on failure, read
                  * by the supervisor after the child is gone */
  sources src;   /* opened again in the child's own mount namespace */
  bool own_network;
  bool clear_groups;
  uid_t uid;
  gid_t gid;
  int landlock_abi;
  char **envp;
  char **argv;
} child_context;

static void child_fail(const child_context *c, const char *format, ...) {
  char message[MESSAGE_MAX];
  va_list ap;
  va_start(ap, format);
  int n = vsnprintf(message, sizeof message, format, ap);
  va_end(ap);
  if (n < 0) {
    n = 0;
  }
  size_t length = (size_t)n < sizeof message ? (size_t)n : sizeof message - 1u;
  ssize_t put = write(c->report_fd, message, length);
  (void)put;
  _exit(SETUP_FAILED_EXIT);
}

static void fd_path(char *buffer, size_t size, int fd) {
  snprintf(buffer, size, "/proc/self/fd/%d", fd);
}

/* The view under construction: its root tmpfs and the filesystems of its
 * own in which mount points may be created (never a host directory). */
typedef struct view {
  int root_fd;
  dev_t own[2]; /* the root tmpfs and the /tmp tmpfs */
  size_t own_count;
} view;

static bool view_owns(const view *v, int dir_fd) {
  struct stat st;
  if (fstat(dir_fd, &st) != 0) {
    return false;
  }
  for (size_t i = 0; i < v->own_count; i++) {
    if (st.st_dev == v->own[i]) {
      return true;
    }
  }
  return false;
}

/* Opens the mount point `path` (absolute in the view) one component at a
 * time from the view's root, never following a symbolic link, creating a
 * missing component only in the view's own tmpfs (a directory, or an empty
 * file for a file grant). A host directory met on the way is used as it is:
 * the grants below it were checked to exist. */
static int open_mount_point(const child_context *c, const view *v, const char *path,
                            bool directory) {
  char copy[OSPOLICY_MANIFEST_MAX_PATH + 1];
  snprintf(copy, sizeof copy, "%s", path);
  int dir = dup(v->root_fd);
  char *save = NULL;
  char *name = strtok_r(copy, "/", &save);
  while (dir >= 0 && name != NULL) {
    char *next = strtok_r(NULL, "/", &save);
    bool last = next == NULL;
    int flags = O_PATH | O_NOFOLLOW | O_CLOEXEC | (last && !directory ? 0 : O_DIRECTORY);
    int fd = openat(dir, name, flags);
    if (fd < 0 && errno == ENOENT && view_owns(v, dir)) {
      int made = last && !directory ? mknodat(dir, name, S_IFREG | 0644, 0)
                                    : mkdirat(dir, name, 0755);
      fd = made == 0 ? openat(dir, name, flags) : -1;
    }
    int err = errno;
    close(dir);
    if (fd < 0) {
      child_fail(c, "view: mount point %s (at %s): %s", path, name,
                 err == ELOOP ? "a symbolic link (refused)" : strerror(err));
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || S_ISLNK(st.st_mode)) {
      child_fail(c, "view: mount point %s: a symbolic link (refused)", path);
    }
    dir = fd;
    name = next;
  }
  return dir;
}

/* Mounts a clone of `source_fd`'s mount (that directory or file, not what is
 * mounted below it) at `path`, already nosuid, nodev and, for `read_only`,
 * read-only before it becomes visible (open_tree, mount_setattr,
 * move_mount: no path is resolved twice). */
static void bind_into_view(const child_context *c, const view *v, int source_fd,
                           const char *path, bool read_only) {
  struct stat st;
  if (fstat(source_fd, &st) != 0) {
    child_fail(c, "view: %s: %s", path, strerror(errno));
  }
  int tree = open_tree(source_fd, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH);
  if (tree < 0) {
    child_fail(c, "view: cloning the mount for %s: %s", path, strerror(errno));
  }
  struct mount_attr attr = {.attr_set = MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV |
                                        (read_only ? MOUNT_ATTR_RDONLY : 0u),
                            .attr_clr = read_only ? 0u : MOUNT_ATTR_RDONLY};
  if (mount_setattr(tree, "", AT_EMPTY_PATH, &attr, sizeof attr) != 0) {
    child_fail(c, "view: flags for %s: %s", path, strerror(errno));
  }
  int target = open_mount_point(c, v, path, S_ISDIR(st.st_mode));
  if (move_mount(tree, "", target, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) != 0) {
    child_fail(c, "view: mounting %s: %s", path, strerror(errno));
  }
  close(target);
  close(tree);
}

static dev_t device_of(const child_context *c, int fd) {
  struct stat st;
  if (fstat(fd, &st) != 0) {
    child_fail(c, "view: %s", strerror(errno));
  }
  return st.st_dev;
}

static void build_view(child_context *c) {
  const OSPolicy_SandboxProfile *p = c->request->profile;
  const char *root = "/tmp";
  char why[MESSAGE_MAX];
  if (open_sources(c->request, &c->src, why, sizeof why) != OSPOLICY_OK) {
    child_fail(c, "%s", why);
  }
  if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0) {
    child_fail(c, "view: making mounts private: %s", strerror(errno));
  }
  /* The view's root: a tmpfs over /tmp in this mount namespace only (the
   * host's /tmp is neither read nor written), entered with pivot_root. */
  if (mount("tmpfs", root, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755,size=64k") != 0) {
    child_fail(c, "view: tmpfs root: %s", strerror(errno));
  }
  view v = {.root_fd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC)};
  if (v.root_fd < 0) {
    child_fail(c, "view: %s", strerror(errno));
  }
  v.own[v.own_count++] = device_of(c, v.root_fd);
  bind_into_view(c, &v, c->src.app, SANDBOX_APP_DIR, true);

  /* /tmp grants live in one private tmpfs; every directory is made before
   * any of them is mounted read-only. */
  for (size_t i = 0; i < p->file_count; i++) {
    const OSPolicy_ManifestFile *f = &p->files[p->file_order[i]];
    if (area_of(f->path.data) != AREA_TMP) {
      continue;
    }
    if (v.own_count < 2u) {
      char target[64];
      int tmp = open_mount_point(c, &v, SANDBOX_TMP_DIR, true);
      fd_path(target, sizeof target, tmp);
      if (mount("tmpfs", target, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755,size=64m") != 0) {
        child_fail(c, "view: tmpfs for /tmp: %s", strerror(errno));
      }
      close(tmp);
      tmp = open_mount_point(c, &v, SANDBOX_TMP_DIR, true); /* now the tmpfs */
      v.own[v.own_count++] = device_of(c, tmp);
      close(tmp);
    }
    close(open_mount_point(c, &v, f->path.data, true));
  }
  for (size_t i = 0; i < p->file_count; i++) {
    uint32_t k = p->file_order[i];
    const OSPolicy_ManifestFile *f = &p->files[k];
    bool ro = f->access == OSPOLICY_FILE_ACCESS_READ_ONLY;
    switch (area_of(f->path.data)) {
      case AREA_APP:
        break; /* already visible, read-only, through /app */
      case AREA_DATA:
        bind_into_view(c, &v, c->src.data[k], f->path.data, ro);
        break;
      case AREA_TMP: {
        /* Its own mount, so a rw grant under a ro one stays writable. */
        int dir = open_mount_point(c, &v, f->path.data, true);
        bind_into_view(c, &v, dir, f->path.data, ro);
        close(dir);
        break;
      }
    }
  }
  for (size_t i = 0; i < c->request->service_count; i++) {
    char path[128];
    snprintf(path, sizeof path, "%s/%s", SANDBOX_RUN_DIR, c->request->services[i].name);
    bind_into_view(c, &v, c->src.service[i], path, false);
  }
  if (c->src.run_dir >= 0) {
    bind_into_view(c, &v, c->src.run_dir, SANDBOX_RUN_DIR, true);
  }
  close_sources(&c->src);
  close(v.root_fd);

  if (chdir(root) != 0 || syscall(SYS_pivot_root, ".", ".") != 0 ||
      umount2(".", MNT_DETACH) != 0 || chdir("/") != 0) {
    child_fail(c, "view: pivot_root: %s", strerror(errno));
  }
  if (mount(NULL, "/", NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV, NULL) !=
      0) {
    child_fail(c, "view: read-only root: %s", strerror(errno));
  }
}

static void loopback_up(const child_context *c) {
  int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  struct ifreq ifr;
  memset(&ifr, 0, sizeof ifr);
  snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "lo");
  if (s < 0 || ioctl(s, SIOCGIFFLAGS, &ifr) != 0) {
    child_fail(c, "network: loopback: %s", strerror(errno));
  }
  ifr.ifr_flags |= IFF_UP;
  if (ioctl(s, SIOCSIFFLAGS, &ifr) != 0) {
    child_fail(c, "network: loopback up: %s", strerror(errno));
  }
  close(s);
}

static void set_limit(const child_context *c, int resource, const char *name, rlim_t value) {
  struct rlimit limit = {value, value};
  if (setrlimit(resource, &limit) != 0) {
    child_fail(c, "limits: %s=%llu: %s", name, (unsigned long long)value, strerror(errno));
  }
}

static void apply_limits(const child_context *c) {
  const OSPolicy_SandboxProfile *p = c->request->profile;
  set_limit(c, RLIMIT_CORE, "RLIMIT_CORE", 0); /* no core file leaves the sandbox */
  if (p->memory_bytes != 0u) {
    set_limit(c, RLIMIT_AS, "RLIMIT_AS", (rlim_t)p->memory_bytes);
  }
  if (p->open_files != 0u) {
    set_limit(c, RLIMIT_NOFILE, "RLIMIT_NOFILE", (rlim_t)p->open_files);
  }
  if (p->processes != 0u) {
    set_limit(c, RLIMIT_NPROC, "RLIMIT_NPROC", (rlim_t)p->processes);
  }
}

/* First, while the process still holds every capability of its new user
 * namespace: root inside the namespace gains nothing by execve, uid changes do
 * not touch the capability sets, neither rule can be undone; then the ids (the
 * view's tmpfs and mount points are created as the app's own id). */
static void apply_identity(const child_context *c) {
  unsigned bits = SECBIT_NOROOT | SECBIT_NOROOT_LOCKED | SECBIT_NO_SETUID_FIXUP |
                  SECBIT_NO_SETUID_FIXUP_LOCKED | SECBIT_KEEP_CAPS_LOCKED;
  if (cap_set_secbits(bits) != 0) {
    child_fail(c, "capabilities: securebits: %s", strerror(errno));
  }
  if (c->clear_groups && setgroups(0, NULL) != 0) {
    child_fail(c, "identity: clearing supplementary groups: %s", strerror(errno));
  }
  if (setresgid(c->gid, c->gid, c->gid) != 0 || setresuid(c->uid, c->uid, c->uid) != 0) {
    child_fail(c, "identity: uid %u gid %u: %s", (unsigned)c->uid, (unsigned)c->gid,
               strerror(errno));
  }
}

/* Last before no_new_privs: every capability not in the manifest leaves the
 * bounding set, and the manifest's are the permitted, effective, inheritable
 * and ambient sets (so they survive execve of a non-root id). */
static void apply_caps(const child_context *c) {
  uint64_t keep = c->request->profile->capabilities;
  int last = (int)cap_max_bits();
  for (int cap = 0; cap < last; cap++) {
    if (cap < 64 && (keep >> cap & 1u) != 0u) {
      continue;
    }
    if (cap_drop_bound((cap_value_t)cap) != 0) {
      child_fail(c, "capabilities: dropping %d from the bounding set: %s", cap, strerror(errno));
    }
  }
  cap_t caps = cap_init();
  if (caps == NULL) {
    child_fail(c, "capabilities: %s", strerror(errno));
  }
  for (int cap = 0; cap < last && cap < 64; cap++) {
    if ((keep >> cap & 1u) != 0u) {
      cap_value_t v = (cap_value_t)cap;
      if (cap_set_flag(caps, CAP_PERMITTED, 1, &v, CAP_SET) != 0 ||
          cap_set_flag(caps, CAP_EFFECTIVE, 1, &v, CAP_SET) != 0 ||
          cap_set_flag(caps, CAP_INHERITABLE, 1, &v, CAP_SET) != 0) {
        child_fail(c, "capabilities: %s", strerror(errno));
      }
    }
  }
  if (cap_set_proc(caps) != 0) {
    child_fail(c, "capabilities: setting the process sets: %s", strerror(errno));
  }
  cap_free(caps);
  if (cap_reset_ambient() != 0) {
    child_fail(c, "capabilities: clearing the ambient set: %s", strerror(errno));
  }
  for (int cap = 0; cap < last && cap < 64; cap++) {
    if ((keep >> cap & 1u) != 0u && cap_set_ambient((cap_value_t)cap, CAP_SET) != 0) {
      child_fail(c, "capabilities: ambient %d: %s", cap, strerror(errno));
    }
  }
}

static void add_path_rule(const child_context *c, int ruleset, const char *path,
                          uint64_t access, uint64_t handled) {
  int fd = open(path, O_PATH | O_CLOEXEC);
  struct stat st;
  if (fd < 0 || fstat(fd, &st) != 0) {
    child_fail(c, "landlock: %s: %s", path, strerror(errno));
  }
  if (!S_ISDIR(st.st_mode)) {
    access &= FS_FILE_ONLY;
  }
  struct landlock_path_beneath_attr rule = {.allowed_access = access & handled,
                                            .parent_fd = fd};
  if (syscall(SYS_landlock_add_rule, ruleset, LANDLOCK_RULE_PATH_BENEATH, &rule, 0) != 0) {
    child_fail(c, "landlock: rule for %s: %s", path, strerror(errno));
  }
  close(fd);
}

static void apply_landlock(const child_context *c) {
  const OSPolicy_SandboxProfile *p = c->request->profile;
  int abi = c->landlock_abi;
  uint64_t fs = FS_READ | FS_WRITE | LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_MAKE_CHAR |
                LANDLOCK_ACCESS_FS_MAKE_BLOCK;
  if (abi >= 2) {
    fs |= LANDLOCK_ACCESS_FS_REFER;
  }
  if (abi >= 3) {
    fs |= LANDLOCK_ACCESS_FS_TRUNCATE;
  }
  if (abi >= 5) {
    fs |= LANDLOCK_ACCESS_FS_IOCTL_DEV;
  }
  landlock_ruleset_attr_v6 attr = {.handled_access_fs = fs};
  size_t size = sizeof attr.handled_access_fs;
  if (abi >= 4) {
    attr.handled_access_net = SANDBOX_LANDLOCK_NET_BIND_TCP | SANDBOX_LANDLOCK_NET_CONNECT_TCP;
    size = 2u * sizeof(uint64_t);
  }
  if (abi >= 6) {
    attr.scoped = SANDBOX_LANDLOCK_SCOPE_ABSTRACT_UNIX | SANDBOX_LANDLOCK_SCOPE_SIGNAL;
    size = sizeof attr;
  }
  int ruleset = (int)syscall(SYS_landlock_create_ruleset, &attr, size, 0);
  if (ruleset < 0) {
    child_fail(c, "landlock: creating the ruleset (ABI %d): %s", abi, strerror(errno));
  }
  add_path_rule(c, ruleset, SANDBOX_APP_DIR, FS_READ | LANDLOCK_ACCESS_FS_EXECUTE, fs);
  uint64_t rw = FS_READ | FS_WRITE | LANDLOCK_ACCESS_FS_REFER | LANDLOCK_ACCESS_FS_TRUNCATE;
  for (size_t i = 0; i < p->file_count; i++) {
    const OSPolicy_ManifestFile *f = &p->files[p->file_order[i]];
    if (area_of(f->path.data) == AREA_APP) {
      continue;
    }
    add_path_rule(c, ruleset, f->path.data,
                  f->access == OSPOLICY_FILE_ACCESS_READ_WRITE ? rw : FS_READ, fs);
  }
  for (size_t i = 0; i < c->request->service_count; i++) {
    char path[128];
    snprintf(path, sizeof path, "%s/%s", SANDBOX_RUN_DIR, c->request->services[i].name);
    add_path_rule(c, ruleset, path, LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_WRITE_FILE,
                  fs);
  }
  for (size_t i = 0; abi >= 4 && i < p->tcp_bind_count; i++) {
    landlock_net_port_attr_v4 port = {.allowed_access = SANDBOX_LANDLOCK_NET_BIND_TCP,
                                      .port = p->tcp_bind[i]};
    if (syscall(SYS_landlock_add_rule, ruleset, SANDBOX_LANDLOCK_RULE_NET_PORT, &port, 0) != 0) {
      child_fail(c, "landlock: TCP port %u: %s", (unsigned)p->tcp_bind[i], strerror(errno));
    }
  }
  if (syscall(SYS_landlock_restrict_self, ruleset, 0) != 0) {
    child_fail(c, "landlock: restrict_self: %s", strerror(errno));
  }
  close(ruleset);
}

static int child_main(void *arg) {
  child_context *c = arg;
  close(c->sync_writer);
  close(c->report_reader);
  char go = 0;
  if (read(c->sync_fd, &go, 1) != 1 || go != 'G') {
    _exit(SETUP_FAILED_EXIT); /* the supervisor is gone: nothing to report to */
  }
  apply_identity(c);
  build_view(c);
  /* Loopback is only of use to an app that may call socket(); bringing it
   * up costs ~0.1 ms of every start (IPv6 address configuration). */
  if (c->own_network &&
      OSPolicy_DecideSandboxSyscall(c->request->profile, SYS_socket) == OSPOLICY_DECISION_ALLOW) {
    loopback_up(c);
  }
  apply_caps(c);
  /* A session of its own: no controlling terminal, so no TIOCSTI typing
   * into the user's shell after the app ends. */
  if (setsid() < 0) {
    child_fail(c, "new session: %s", strerror(errno));
  }
  if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0) {
    child_fail(c, "parent-death signal: %s", strerror(errno));
  }
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
    child_fail(c, "no_new_privs: %s", strerror(errno));
  }
  if (prctl(PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN, 0, 0, 0) != 0) {
    child_fail(c, "MDWE: %s", strerror(errno));
  }
  apply_landlock(c);
  apply_limits(c); /* after Landlock: RLIMIT_NOFILE would refuse its descriptors */
  if (access(c->argv[0], X_OK) != 0) {
    child_fail(c, "entry %s: %s", c->argv[0], strerror(errno));
  }
  if (syscall(SYS_close_range, 3u, ~0u, CLOSE_RANGE_CLOEXEC) != 0) {
    child_fail(c, "closing descriptors: %s", strerror(errno));
  }
  /* Set-up is done: one NUL byte says so (exec_reached() counts on it). The
   * supervisor has traced this process since before the go byte, so a
   * denied syscall from here on is named. A filter that cannot be loaded
   * is not in force, so the failure can still be written; once it is
   * loaded nothing but execve and exit can run here. The program the
   * supervisor exported: nothing is allocated here, after the rlimits
   * (RLIMIT_AS) are in force. */
  if (write(c->report_fd, "", 1) != 1) {
    _exit(SETUP_FAILED_EXIT);
  }
  if (!c->request->learn &&
      syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &c->program) != 0) {
    child_fail(c, "loading the seccomp filter: %s", strerror(errno));
  }
  execve(c->argv[0], c->argv, c->envp);
  _exit(127); /* nothing else is allowed to report here */
}

/* ---- the supervisor ------------------------------------------------------- */

static int write_text(const char *path, const char *text) {
  int fd = open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0) {
    return -1;
  }
  size_t length = strlen(text);
  ssize_t put = write(fd, text, length);
  int saved = errno;
  close(fd);
  errno = saved;
  return put == (ssize_t)length ? 0 : -1;
}

/* Started by root of the initial user namespace: the app runs as an
 * unprivileged id outside, so its processes count against RLIMIT_NPROC and
 * host files owned by root stay out of reach. */
static bool initial_root(void) {
  if (geteuid() != 0) {
    return false;
  }
  FILE *f = fopen("/proc/self/uid_map", "re");
  if (f == NULL) {
    return false;
  }
  unsigned long inside = 1, outside = 1, count = 0;
  int n = fscanf(f, "%lu %lu %lu", &inside, &outside, &count);
  fclose(f);
  return n == 3 && inside == 0 && outside == 0 && count == 4294967295ul;
}

static OSPolicy_Status fail(sandbox_outcome *o, OSPolicy_Status status, const char *format, ...) {
  va_list ap;
  va_start(ap, format);
  vsnprintf(o->message, sizeof o->message, format, ap);
  va_end(ap);
  o->status = status;
  return status;
}

static void free_strings(char **strings, size_t count) {
  if (strings != NULL) {
    for (size_t i = 0; i < count; i++) {
      free(strings[i]);
    }
    free(strings);
  }
}

/* The manifest's environment, exactly: NULL if any entry cannot be built
 * (never a shortened environment). */
static char **build_envp(const OSPolicy_Manifest *m) {
  char **envp = calloc(m->env_count + 1u, sizeof *envp);
  if (envp == NULL) {
    return NULL;
  }
  for (size_t i = 0; i < m->env_count; i++) {
    size_t n = m->env[i].name.length + m->env[i].value.length + 2u;
    envp[i] = malloc(n);
    if (envp[i] == NULL) {
      free_strings(envp, i);
      return NULL;
    }
    snprintf(envp[i], n, "%s=%s", m->env[i].name.data, m->env[i].value.data);
  }
  return envp;
}

/* At a tracee's exit stop after a seccomp kill: the syscall it was making
 * (orig_rax) and how it entered (the two bytes before rip: 0f 05 syscall,
 * cd 80 int 0x80). */
static bool denied_syscall(pid_t tracee, long *number, bool *i386, uint64_t args[3]) {
  unsigned long code = 0;
  struct user_regs_struct regs;
  if (ptrace(PTRACE_GETEVENTMSG, tracee, NULL, &code) != 0 || !WIFSIGNALED((int)code) ||
      WTERMSIG((int)code) != SIGSYS || ptrace(PTRACE_GETREGS, tracee, NULL, &regs) != 0) {
    return false;
  }
  errno = 0;
  long word = ptrace(PTRACE_PEEKTEXT, tracee, (void *)(regs.rip - 2u), NULL);
  *number = (long)regs.orig_rax;
  args[0] = regs.rdi;
  args[1] = regs.rsi;
  args[2] = regs.rdx;
  *i386 = errno == 0 && (word & 0xFFFF) == 0x80CD;
  return true;
}

/* Whether the app's first process, stopped at its exit, had reached the
 * entry's execve: the report pipe's only write end is the child's, close-on-
 * exec, and a process at its exit stop still holds its descriptors, so the
 * pipe has hung up holding only the set-up-done NUL exactly when execve
 * succeeded. This spares every run the PTRACE_EVENT_EXEC stop (a round trip
 * to the supervisor); only learning, which starts recording there, still
 * asks for it. */
static bool exec_reached(int report_fd) {
  struct pollfd p = {.fd = report_fd, .events = POLLIN};
  int pending = 0;
  return poll(&p, 1, 0) == 1 && (p.revents & POLLHUP) != 0 &&
         ioctl(report_fd, FIONREAD, &pending) == 0 && pending == 1; /* the NUL alone */
}

/* The supervisor's loop: waits for the app and every process and thread it
 * makes (traced from the start, so a seccomp kill anywhere is named),
 * resumes each stop (delivering signals unchanged), and while learning
 * records every syscall from the entry's execve on. Returns 0, -1 if waiting
 * failed, or 1 when the app ended without reaching the entry's execve (its
 * set-up failed, or execve itself did). */
static int supervise(pid_t pid, bool learn, int report_fd,
                     const OSPolicy_SandboxProfile *profile, sandbox_outcome *o) {
  bool exec_seen = false;
  bool main_exit_stopped = false;
  bool main_done = false;
  long culprit = -1;     /* the syscall a seccomp kill was for: */
  bool culprit_i386 = false;
  pid_t culprit_tracee = 0; /* ... and who made it */
  bool culprit_args = false; /* an allowed socket() killed for its arguments */
  uint64_t culprit_arg[3] = {0, 0, 0};
  for (;;) {
    int status = 0;
    pid_t got = waitpid(-1, &status, __WALL);
    if (got < 0) {
      if (errno == EINTR) {
        continue;
      }
      if (errno == ECHILD && main_done) {
        break; /* every tracee is gone */
      }
      return -1;
    }
    if (WIFEXITED(status) || WIFSIGNALED(status)) {
      if (got == pid) {
        main_done = true;
        /* No exit stop: a SIGKILL (the kernel skips the stop then), which
         * before execve only an outside kill sends; report it as it is. */
        exec_seen = exec_seen || (!learn && !main_exit_stopped);
        o->exited = WIFEXITED(status);
        o->exit_code = o->exited ? WEXITSTATUS(status) : 0;
        o->signal = o->exited ? 0 : WTERMSIG(status);
      }
      continue;
    }
    if (!WIFSTOPPED(status)) {
      continue;
    }
    int sig = WSTOPSIG(status);
    int event = status >> 16;
    int inject = 0;
    if (sig == (SIGTRAP | 0x80)) {
      struct __ptrace_syscall_info info;
      memset(&info, 0, sizeof info);
      if (learn && exec_seen &&
          ptrace(PTRACE_GET_SYSCALL_INFO, got, (void *)sizeof info, &info) > 0 &&
          info.op == PTRACE_SYSCALL_INFO_ENTRY) {
        if (info.arch == AUDIT_ARCH_X86_64 && info.entry.nr < OSPOLICY_SANDBOX_SYSCALL_LIMIT) {
          o->learned[info.entry.nr / 64u] |= (uint64_t)1 << (info.entry.nr % 64u);
        } else {
          o->learned_foreign = true;
        }
      }
    } else if (event == PTRACE_EVENT_EXIT) {
      if (got == pid && !learn) {
        main_exit_stopped = true;
        exec_seen = exec_reached(report_fd);
      }
      long number = -1;
      bool i386 = false;
      /* Every thread of a killed process reports SIGSYS; only one was making
       * a syscall the profile denies (the others' registers show their own,
       * allowed, calls), and that one is named. */
      uint64_t arg[3] = {0, 0, 0};
      if (denied_syscall(got, &number, &i386, arg)) {
        bool denied = i386 || number < 0 || number >= (long)OSPOLICY_SANDBOX_SYSCALL_LIMIT ||
                      OSPolicy_DecideSandboxSyscall(profile, (uint32_t)number) !=
                          OSPOLICY_DECISION_ALLOW;
        /* An allowed socket() whose arguments the filter's rule kills. */
        bool by_args = !denied && number == SYS_socket && socket_rule(arg[0], arg[1], arg[2]) == 2;
        if ((denied || by_args) && (culprit < 0 || got == pid)) {
          culprit = number;
          culprit_i386 = i386;
          culprit_tracee = got;
          culprit_args = by_args;
          memcpy(culprit_arg, arg, sizeof culprit_arg);
        }
      }
    } else if (event == PTRACE_EVENT_EXEC) {
      exec_seen = exec_seen || got == pid;
    } else if (event == 0) {
      inject = sig; /* a signal for the tracee: deliver it */
    }
    ptrace(learn ? PTRACE_SYSCALL : PTRACE_CONT, got, NULL, (void *)(long)inject);
  }
  if (!o->exited && o->signal == SIGSYS && culprit >= 0) {
    o->syscall = culprit;
    o->i386 = culprit_i386;
    o->syscall_args = culprit_args;
  } else if (culprit >= 0 && culprit_tracee != pid) {
    o->child_syscall = culprit; /* a process the app made was killed */
    o->child_i386 = culprit_i386;
    o->child_syscall_args = culprit_args;
  }
  memcpy(o->args, culprit_arg, sizeof o->args);
  return exec_seen ? 0 : 1;
}

OSPolicy_Status sandbox_run(const sandbox_request *r, sandbox_outcome *o) {
  memset(o, 0, sizeof *o);
  o->syscall = -1;
  o->child_syscall = -1;
  if (r == NULL || r->manifest == NULL || r->profile == NULL) {
    return fail(o, OSPOLICY_ERR_NULL_ARGUMENT, "no manifest or profile");
  }
  if (r->profile->status != OSPOLICY_OK) {
    return fail(o, OSPOLICY_ERR_PLAN_NOT_OK, "the profile was not compiled");
  }
  OSPolicy_Status st = sandbox_check_app_root(r->app_root, o->message, sizeof o->message);
  if (st != OSPOLICY_OK) {
    o->status = st;
    return st;
  }
  sandbox_host host;
  st = sandbox_probe_host(r->profile, &host, o->message, sizeof o->message);
  if (st != OSPOLICY_OK) {
    o->status = st;
    return st;
  }

  static child_context c; /* large; the supervisor runs one app at a time */
  memset(&c, 0, sizeof c);
  c.request = r;
  c.landlock_abi = host.landlock_abi;
  c.own_network = r->profile->tcp_bind_count == 0u && r->profile->udp_bind_count == 0u;
  bool root = initial_root();
  c.uid = root ? SANDBOX_ROOT_FALLBACK_ID : geteuid();
  c.gid = root ? SANDBOX_ROOT_FALLBACK_ID : getegid();
  c.clear_groups = root;
  st = open_sources(r, &c.src, o->message, sizeof o->message);
  close_sources(&c.src);
  if (st != OSPOLICY_OK) {
    o->status = st;
    return st;
  }
  size_t argc = 0;
  while (r->args != NULL && r->args[argc] != NULL) {
    argc++;
  }
  c.argv = calloc(argc + 2u, sizeof *c.argv);
  c.envp = build_envp(r->manifest);
  scmp_filter_ctx filter = NULL;
  st = sandbox_build_filter(r->profile, &filter);
  if (st == OSPOLICY_OK && export_program(filter, &c.program) != 0) {
    st = OSPOLICY_ERR_SANDBOX_SETUP_FAILED;
  }
  seccomp_release(filter);
  if (c.argv == NULL || c.envp == NULL || st != OSPOLICY_OK) {
    free(c.argv);
    free_strings(c.envp, r->manifest->env_count);
    free(c.program.filter);
    return fail(o, OSPOLICY_ERR_SANDBOX_SETUP_FAILED, "building the seccomp filter or arguments");
  }
  c.argv[0] = (char *)r->manifest->entry.data;
  for (size_t i = 0; i < argc; i++) {
    c.argv[i + 1u] = r->args[i];
  }

  int sync_pipe[2] = {-1, -1};
  int report_pipe[2] = {-1, -1};
  size_t stack_size = 256u * 1024u;
  char *stack = malloc(stack_size);
  pid_t pid = -1;
  if (stack != NULL && pipe2(sync_pipe, O_CLOEXEC) == 0 && pipe2(report_pipe, O_CLOEXEC) == 0) {
    c.sync_fd = sync_pipe[0];
    c.sync_writer = sync_pipe[1];
    c.report_fd = report_pipe[1];
    c.report_reader = report_pipe[0];
    int flags = CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS |
                CLONE_NEWCGROUP | (c.own_network ? CLONE_NEWNET : 0) | SIGCHLD;
    pid = clone(child_main, stack + stack_size, flags, &c);
  }
  int clone_errno = errno;
  if (sync_pipe[0] >= 0) {
    close(sync_pipe[0]);
  }
  if (report_pipe[1] >= 0) {
    close(report_pipe[1]);
  }
  free(c.argv);
  free_strings(c.envp, r->manifest->env_count);
  free(c.program.filter);
  if (pid < 0) {
    if (sync_pipe[1] >= 0) {
      close(sync_pipe[1]);
    }
    if (report_pipe[0] >= 0) {
      close(report_pipe[0]);
    }
    free(stack);
    if (clone_errno == EPERM || clone_errno == ENOSPC || clone_errno == EUSERS) {
      return fail(o, OSPOLICY_ERR_SANDBOX_MECHANISM_MISSING,
                  "this host refuses new user namespaces (%s); the app was not started",
                  strerror(clone_errno));
    }
    return fail(o, OSPOLICY_ERR_SANDBOX_SETUP_FAILED, "clone: %s", strerror(clone_errno));
  }

  /* Traced from before the go byte (so a seccomp kill anywhere is named,
   * and PTRACE_O_EXITKILL ends the app if the supervisor dies); the child
   * is blocked reading the go byte, so the supervisor's loop handles every
   * stop from then on and one round trip is enough. */
  long options = PTRACE_O_TRACEEXIT | PTRACE_O_EXITKILL | PTRACE_O_TRACEFORK |
                 PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE;
  if (r->learn) {
    options |= PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEEXEC;
  }
  bool traced = ptrace(PTRACE_SEIZE, pid, NULL, (void *)options) == 0;
  int seize_errno = errno;
  bool ready = true;
  char message[MESSAGE_MAX + 1];
  message[0] = '\0';
  if (!traced) {
    /* Without the tracer a denied syscall cannot be named, nor a set-up
     * failure after the filter told from the app's own exit: refuse. */
    kill(pid, SIGKILL);
    waitpid(pid, NULL, __WALL);
    close(sync_pipe[1]);
    close(report_pipe[0]);
    free(stack);
    return fail(o, OSPOLICY_ERR_SANDBOX_MECHANISM_MISSING,
                "this host does not let the supervisor trace the app (PTRACE_SEIZE: %s; "
                "kernel.yama.ptrace_scope 3 or a security module?): it needs ptrace to name a "
                "denied syscall; the app was not started",
                strerror(seize_errno));
  }
  if (r->learn) {
    /* Learning needs the tracer: stop the child once and resume it in
     * syscall-stop mode (recording starts at the entry's execve), or refuse. */
    int stop = 0;
    ready = ptrace(PTRACE_INTERRUPT, pid, NULL, NULL) == 0 &&
            waitpid(pid, &stop, __WALL) == pid && WIFSTOPPED(stop) &&
            ptrace(PTRACE_SYSCALL, pid, NULL, NULL) == 0;
    if (!ready) {
      snprintf(message, sizeof message, "learning needs ptrace: %s", strerror(errno));
    }
  }
  char map[64];
  char path[64];
  bool mapped = true;
  if (ready) {
    snprintf(path, sizeof path, "/proc/%d/setgroups", (int)pid);
    mapped = root || write_text(path, "deny") == 0;
    snprintf(path, sizeof path, "/proc/%d/uid_map", (int)pid);
    snprintf(map, sizeof map, "%u %u 1\n", (unsigned)c.uid, (unsigned)c.uid);
    mapped = mapped && write_text(path, map) == 0;
    snprintf(path, sizeof path, "/proc/%d/gid_map", (int)pid);
    snprintf(map, sizeof map, "%u %u 1\n", (unsigned)c.gid, (unsigned)c.gid);
    mapped = mapped && write_text(path, map) == 0;
    if (!mapped) {
      snprintf(message, sizeof message, "writing the uid/gid maps: %s", strerror(errno));
    }
    ready = mapped && write(sync_pipe[1], "G", 1) == 1;
  }
  close(sync_pipe[1]);
  if (!ready) {
    kill(pid, SIGKILL);
    sandbox_outcome ignored;
    memset(&ignored, 0, sizeof ignored);
    if (supervise(pid, false, report_pipe[0], r->profile, &ignored) < 0) {
      waitpid(pid, NULL, __WALL);
    }
    close(report_pipe[0]);
    free(stack);
    return fail(o, OSPOLICY_ERR_SANDBOX_SETUP_FAILED, "%s; the app was not started",
                message[0] != '\0' ? message : "the sandbox process ended during set-up");
  }
  int waited = supervise(pid, r->learn, report_pipe[0], r->profile, o);
  free(stack);
  /* What the child wrote: a set-up failure's message, or the set-up-done
   * NUL and, if loading the filter failed, that message after it. Never
   * waits: should the wait above have failed with the app still alive, the
   * pipe may not have hung up. */
  struct pollfd report = {.fd = report_pipe[0], .events = POLLIN};
  ssize_t got = poll(&report, 1, 0) == 1 && (report.revents & POLLIN) != 0
                    ? read(report_pipe[0], message, MESSAGE_MAX)
                    : 0;
  close(report_pipe[0]);
  size_t skip = got > 0 && message[0] == '\0' ? 1u : 0u;
  if (got > (ssize_t)skip) {
    message[got] = '\0';
    return fail(o, OSPOLICY_ERR_SANDBOX_SETUP_FAILED, "%s; the app was not started",
                message + skip);
  }
  if (waited == 1) {
    return fail(o, OSPOLICY_ERR_SANDBOX_SETUP_FAILED,
                "the sandbox process ended before execve (execve of the entry failed after "
                "set-up: a bad format or interpreter, or no memory under memoryBytes); the app "
                "was not started");
  }
  if (waited != 0) {
    return fail(o, OSPOLICY_ERR_SANDBOX_SETUP_FAILED, "waiting for the app: %s", strerror(errno));
  }
  o->status = OSPOLICY_OK;
  return OSPOLICY_OK;
}
