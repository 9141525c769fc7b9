/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * Sandbox figures, each beside a baseline from the same run:
 *   1. the profile's O(1) syscall decision vs a linear scan of the manifest's
 *      name list (what a naive checker does);
 *   2. getppid() inside `ospolicy run` vs the same static probe outside (the
 *      seccomp filter tests only arch + number, so the kernel's
 *      constant-action cache should make the difference a few ns);
 *   3. start-to-exit of a static probe that exits at once: `ospolicy run` vs
 *      bubblewrap with the equivalent namespaces and mounts (when `bwrap` is
 *      installed) vs plain fork+exec, interleaved, medians.
 * Parts 2 and 3 need the built tool and probe (a build with tests).
 */
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ospolicy/manifest.h"
#include "ospolicy/sandbox_profile.h"
#include "sandbox_linux.h"
#include "timing.h"

extern char **environ;

#define TOOL OSPOLICY_BINARY_DIR "/src/cli/ospolicy"
#define PROBE OSPOLICY_BINARY_DIR "/tests/sandbox_probe"

static const char *service_calls[] = {
    "read", "write", "openat", "close", "fstat", "newfstatat", "mmap", "munmap", "futex",
    "epoll_wait", "epoll_ctl", "epoll_create1", "socket", "bind", "listen", "accept4",
    "sendto", "recvfrom", "setsockopt", "getsockopt", "clock_gettime", "nanosleep", "clone3",
    "rt_sigaction", "rt_sigprocmask", "madvise", "getrandom", "lseek", "pread64", "pwrite64",
    "writev", "readv", "poll", "ppoll", "pipe2", "dup3", "fcntl", "ioctl", "getpid", "getppid",
    "gettid", "tgkill", "sched_yield", "shutdown", "getsockname", "getpeername", "statx",
    "unlinkat", "renameat2", "mkdirat", "fsync", "fdatasync", "ftruncate", "eventfd2",
    "timerfd_create", "timerfd_settime", "prctl", "uname", "sysinfo", "wait4"};
#define SERVICE_COUNT (sizeof service_calls / sizeof service_calls[0])

typedef struct decide_state {
  const OSPolicy_SandboxProfile *profile;
  const char *names[OSPOLICY_SANDBOX_SYSCALL_LIMIT]; /* number -> name ("" if none) */
  uint32_t next;
  volatile uint32_t sink;
} decide_state;

static void decide_bitmap(void *arg) {
  decide_state *s = arg;
  s->next = (s->next + 97u) % OSPOLICY_SANDBOX_SYSCALL_LIMIT;
  s->sink += OSPolicy_DecideSandboxSyscall(s->profile, s->next) == OSPOLICY_DECISION_ALLOW;
}

static void decide_scan(void *arg) {
  decide_state *s = arg;
  s->next = (s->next + 97u) % OSPOLICY_SANDBOX_SYSCALL_LIMIT;
  const char *name = s->names[s->next];
  uint32_t allow = 0;
  for (size_t i = 0; i < SERVICE_COUNT && allow == 0u; i++) {
    allow = strcmp(service_calls[i], name) == 0;
  }
  s->sink += allow;
}

static void bench_decision(void) {
  const OSPolicy_SyscallTable table = sandbox_linux_syscalls;
  char text[8192];
  size_t used = (size_t)snprintf(text, sizeof text, "{\"manifestVersion\": 1, \"name\": \"b\", "
                                                    "\"entry\": \"/app/b\", \"syscalls\": [");
  for (size_t i = 0; i < SERVICE_COUNT; i++) {
    used += (size_t)snprintf(text + used, sizeof text - used, "%s\"%s\"", i > 0 ? ", " : "",
                             service_calls[i]);
  }
  snprintf(text + used, sizeof text - used, "]}");
  size_t required = 0;
  if (OSPolicy_GetManifestWorkspaceSize(strlen(text), &required) != OSPOLICY_OK) {
    exit(1);
  }
  void *workspace = malloc(required);
  OSPolicy_ManifestResult *result = malloc(sizeof *result);
  OSPolicy_SandboxProfile *profile = malloc(sizeof *profile);
  OSPolicy_ManifestRequest request = {.text = text, .size = strlen(text),
                                      .workspace = workspace, .workspace_size = required};
  if (OSPolicy_ValidateManifest(&request, result) != OSPOLICY_OK ||
      OSPolicy_CompileSandboxProfile(&result->manifest, &table, profile) != OSPOLICY_OK) {
    fprintf(stderr, "bench_sandbox: profile did not compile\n");
    exit(1);
  }
  static decide_state s;
  s.profile = profile;
  for (uint32_t n = 0; n < OSPOLICY_SANDBOX_SYSCALL_LIMIT; n++) {
    const char *name = OSPolicy_SyscallTableName(&table, n);
    s.names[n] = name != NULL ? name : "";
  }
  double bitmap = bench_best_ns_per_iter(decide_bitmap, &s, 1000000u, 7u);
  double scan = bench_best_ns_per_iter(decide_scan, &s, 1000000u, 7u);
  printf("decision over %zu listed syscalls (numbers 0..1023):\n", SERVICE_COUNT);
  bench_report("  bitmap (OSPolicy_DecideSandboxSyscall)", bitmap,
               "linear scan of the name list", scan, "ns/decision");
  free(profile);
  free(result);
  free(workspace);
}

/* Runs argv, stdout to `out` (may be NULL: /dev/null); returns the status. */
static int run_command(char *const argv[], char *out, size_t out_size) {
  int pipefd[2];
  if (pipe(pipefd) != 0) {
    return -1;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipefd[1], 1);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addclose(&actions, pipefd[0]);
  pid_t pid;
  int rc = posix_spawn(&pid, argv[0], &actions, NULL, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  close(pipefd[1]);
  if (rc != 0) {
    close(pipefd[0]);
    return -1;
  }
  size_t used = 0;
  ssize_t got;
  char scratch[256];
  while ((got = read(pipefd[0], out != NULL ? out + used : scratch,
                     out != NULL ? out_size - 1u - used : sizeof scratch)) > 0) {
    if (out != NULL) {
      used += (size_t)got;
    }
  }
  if (out != NULL) {
    out[used] = '\0';
  }
  close(pipefd[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static double getppid_ns(char *const argv[]) {
  double best = 1e18;
  for (int round = 0; round < 5; round++) {
    char out[256];
    double ns = 0;
    if (run_command(argv, out, sizeof out) != 0 ||
        sscanf(strstr(out, "loop-getppid:") != NULL ? strstr(out, "loop-getppid:") : "",
               "loop-getppid: %lf", &ns) != 1) {
      return -1;
    }
    best = ns < best ? ns : best;
  }
  return best;
}

static double loop_getppid_ns(void) {
  uint64_t start = bench_now_ns();
  for (int i = 0; i < 2000000; i++) {
    syscall(SYS_getppid);
  }
  return (double)(bench_now_ns() - start) / 2e6;
}

/* socket(AF_INET, SOCK_STREAM, 0) + close: `socket` is the one syscall whose
 * filter rule reads arguments (no constant-action cache for it). */
static double loop_socket_ns(void) {
  uint64_t start = bench_now_ns();
  for (int i = 0; i < 200000; i++) {
    long fd = syscall(SYS_socket, AF_INET, SOCK_STREAM, 0);
    if (fd >= 0) {
      syscall(SYS_close, fd);
    }
  }
  return (double)(bench_now_ns() - start) / 2e5;
}

/* Figures a child measures before and after loading one filter. */
typedef struct filter_figures {
  double getppid_before, getppid_after; /* ns/call */
  double socket_before, socket_after;   /* ns/pair */
} filter_figures;

/* In a child: getppid and socket+close, then load `ctx` (or the raw
 * `program`), then the same again. Best of 5 children. */
static filter_figures measure_filter(scmp_filter_ctx ctx, const struct sock_fprog *program) {
  filter_figures best = {-1, -1, -1, -1};
  for (int round = 0; round < 5; round++) {
    int fds[2];
    if (pipe(fds) != 0) {
      break;
    }
    pid_t pid = fork();
    if (pid == 0) {
      filter_figures f;
      f.getppid_before = loop_getppid_ns();
      f.socket_before = loop_socket_ns();
      if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
          (ctx != NULL ? seccomp_load(ctx) != 0
                       : syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, program) != 0)) {
        _exit(1);
      }
      f.getppid_after = loop_getppid_ns();
      f.socket_after = loop_socket_ns();
      ssize_t put = write(fds[1], &f, sizeof f);
      syscall(SYS_exit_group, put == (ssize_t)sizeof f ? 0 : 1);
    }
    close(fds[1]);
    filter_figures f;
    if (pid > 0 && read(fds[0], &f, sizeof f) == (ssize_t)sizeof f) {
      double *mine[] = {&best.getppid_before, &best.getppid_after, &best.socket_before,
                        &best.socket_after};
      double got[] = {f.getppid_before, f.getppid_after, f.socket_before, f.socket_after};
      for (int i = 0; i < 4; i++) {
        *mine[i] = *mine[i] < 0 || got[i] < *mine[i] ? got[i] : *mine[i];
      }
    }
    close(fds[0]);
    waitpid(pid, NULL, 0);
  }
  return best;
}

/* The profile's filter alone (nothing else of the sandbox), and the floor:
 * a one-instruction filter that allows everything, which is what any
 * seccomp filter costs on this host (the kernel's seccomp entry path). */
static void filter_only_ns(filter_figures *profile_filter, filter_figures *floor) {
  filter_figures none = {-1, -1, -1, -1};
  *profile_filter = *floor = none;
  static const char text[] = "{\"manifestVersion\": 1, \"name\": \"b\", \"entry\": \"/app/b\", "
                             "\"syscalls\": [\"write\", \"newfstatat\", \"getppid\", "
                             "\"clock_gettime\", \"socket\", \"close\"]}";
  size_t required = 0;
  if (OSPolicy_GetManifestWorkspaceSize(sizeof text - 1u, &required) != OSPOLICY_OK) {
    return;
  }
  void *workspace = malloc(required);
  OSPolicy_ManifestResult *result = malloc(sizeof *result);
  OSPolicy_SandboxProfile *profile = malloc(sizeof *profile);
  OSPolicy_ManifestRequest request = {.text = text, .size = sizeof text - 1u,
                                      .workspace = workspace, .workspace_size = required};
  scmp_filter_ctx ctx = NULL;
  if (workspace != NULL && result != NULL && profile != NULL &&
      OSPolicy_ValidateManifest(&request, result) == OSPOLICY_OK &&
      OSPolicy_CompileSandboxProfile(&result->manifest, &sandbox_linux_syscalls, profile) ==
          OSPOLICY_OK &&
      sandbox_build_filter(profile, &ctx) == OSPOLICY_OK) {
    *profile_filter = measure_filter(ctx, NULL);
    struct sock_filter allow = BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
    struct sock_fprog program = {.len = 1, .filter = &allow};
    *floor = measure_filter(NULL, &program);
  }
  seccomp_release(ctx);
  free(profile);
  free(result);
  free(workspace);
}

static int compare_doubles(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y ? 1 : 0;
}

/* Start-to-exit of each command, in rounds that run every command once in
 * turn (so a burst of load elsewhere hits all of them alike); the median per
 * command, in ms, or -1 if a run failed. */
#define START_ROUNDS 101u
static void start_to_exit_ms(char *const *const commands[], size_t count, double *medians) {
  static double samples[4][START_ROUNDS];
  for (size_t c = 0; c < count; c++) {
    medians[c] = -1;
  }
  for (unsigned round = 0; round < START_ROUNDS; round++) {
    for (size_t c = 0; c < count; c++) {
      uint64_t start = bench_now_ns();
      if (run_command(commands[c], NULL, 0) != 0) {
        return;
      }
      samples[c][round] = (double)(bench_now_ns() - start) / 1e6;
    }
  }
  for (size_t c = 0; c < count; c++) {
    qsort(samples[c], START_ROUNDS, sizeof samples[c][0], compare_doubles);
    medians[c] = samples[c][START_ROUNDS / 2u];
  }
}

static void bench_live(void) {
  if (access(TOOL, X_OK) != 0 || access(PROBE, X_OK) != 0) {
    printf("live figures: %s or %s not built (a build with tests has both)\n", TOOL, PROBE);
    return;
  }
  char dir[] = "/tmp/ospolicy-bench.XXXXXX";
  if (mkdtemp(dir) == NULL) {
    return;
  }
  char app[64], probe[96], manifest[96], command[512];
  snprintf(app, sizeof app, "%s/app", dir);
  snprintf(probe, sizeof probe, "%s/probe", app);
  snprintf(manifest, sizeof manifest, "%s/m.json", dir);
  chmod(dir, 0755);
  mkdir(app, 0755);
  snprintf(command, sizeof command, "cp '%s' '%s'", PROBE, probe);
  if (system(command) != 0) {
    return;
  }
  FILE *f = fopen(manifest, "w");
  if (f == NULL) {
    return;
  }
  fprintf(f, "{\"manifestVersion\": 1, \"name\": \"bench\", \"entry\": \"/app/probe\", "
             "\"syscalls\": [\"write\", \"newfstatat\", \"getppid\", \"clock_gettime\"]}\n");
  fclose(f);
  chmod(manifest, 0644);

  char *outside[] = {probe, "loop-getppid", "2000000", NULL};
  char *inside[] = {TOOL, "run", "--manifest", manifest, "--app-root", app, "--",
                    "loop-getppid", "2000000", NULL};
  double out_ns = getppid_ns(outside);
  double in_ns = getppid_ns(inside);
  printf("getppid() (best of 5 runs of 2,000,000 calls):\n");
  bench_report("  inside ospolicy run", in_ns, "outside", out_ns, "ns/call");
  printf("  difference: %+.2f ns/call\n", in_ns - out_ns);
  filter_figures mine, floor;
  filter_only_ns(&mine, &floor);
  bench_report("  the profile's filter alone (no other sandbox part)", mine.getppid_after,
               "same process before", mine.getppid_before, "ns/call");
  printf("  difference: %+.2f ns/call\n", mine.getppid_after - mine.getppid_before);
  bench_report("  any filter at all (1 instruction: allow)", floor.getppid_after,
               "same process before", floor.getppid_before, "ns/call");
  printf("  difference: %+.2f ns/call (seccomp's own entry cost on this host: the floor)\n",
         floor.getppid_after - floor.getppid_before);
  printf("  the profile's filter beyond the floor: %+.2f ns/call (the constant-action cache: "
         "the filter itself is not run)\n",
         (mine.getppid_after - mine.getppid_before) -
             (floor.getppid_after - floor.getppid_before));
  printf("socket(AF_INET, SOCK_STREAM, 0) + close (best of 5 runs of 200,000; socket's rule reads "
         "its arguments):\n");
  bench_report("  under the profile's filter alone", mine.socket_after, "same process before",
               mine.socket_before, "ns/pair");
  printf("  difference: %+.2f ns/pair\n", mine.socket_after - mine.socket_before);

  char *plain[] = {probe, "exit", "0", NULL};
  char *sandboxed[] = {TOOL, "run", "--manifest", manifest, "--app-root", app, "--",
                       "exit", "0", NULL};
  char *bwrap[] = {"/usr/bin/bwrap", "--unshare-user", "--unshare-pid", "--unshare-net",
                   "--unshare-ipc", "--unshare-uts", "--unshare-cgroup", "--die-with-parent",
                   "--clearenv", "--ro-bind", app, "/app", "--cap-drop", "ALL", "/app/probe",
                   "exit", "0", NULL};
  bool have_bwrap = access(bwrap[0], X_OK) == 0;
  char *const *const commands[] = {plain, sandboxed, bwrap};
  double ms[3];
  start_to_exit_ms(commands, have_bwrap ? 3u : 2u, ms);
  printf("start to exit of a static probe that exits at once (median of %u rounds, each "
         "running every command once in turn):\n",
         START_ROUNDS);
  bench_report("  ospolicy run", ms[1], "fork+exec", ms[0], "ms");
  if (have_bwrap) {
    bench_report("  ospolicy run", ms[1], "bwrap (same namespaces, no seccomp)", ms[2], "ms");
    bench_report("  bwrap", ms[2], "fork+exec", ms[0], "ms");
  } else {
    printf("  bwrap: not installed (Debian package bubblewrap), no comparison\n");
  }
  snprintf(command, sizeof command, "rm -rf '%s'", dir);
  if (system(command) != 0) {
    fprintf(stderr, "bench_sandbox: could not remove %s\n", dir);
  }
}

int main(void) {
  bench_decision();
  bench_live();
  return 0;
}
