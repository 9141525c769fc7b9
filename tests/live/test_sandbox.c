/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * The Linux sandbox's seccomp filter against the core's bitmap: the
 * differential test. For several profiles (the runtime set alone, a service
 * manifest, random subsets of every x86-64 name), the filter libseccomp
 * builds (sandbox_build_filter) is exported with seccomp_export_bpf and run
 * in a small classic-BPF interpreter here, for every x86-64 number 0..1023
 * and beyond, every x32 number (0x40000000 | n) and every i386 number
 * (AUDIT_ARCH_I386): the filter allows exactly what
 * OSPolicy_DecideSandboxSyscall allows and kills the whole process for
 * everything else. The interpreter also checks that the filter reads only
 * the arch and the number (the kernel's constant-action cache then applies).
 * One filter is loaded for real in a child to tie the interpreter to the
 * kernel: an allowed call returns, a denied one kills with SIGSYS. Last, a
 * host Unix socket mounted as a service at /run/ospolicy/NAME is reachable
 * by the confined probe, and absent without it.
 */
#include <check.h>
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <netinet/in.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ospolicy/manifest.h"
#include "ospolicy/sandbox_profile.h"
#include "sandbox_linux.h"

typedef struct bpf_program_copy {
  struct sock_filter *insns;
  size_t count;
} bpf_program_copy;

static bpf_program_copy export_filter(scmp_filter_ctx ctx) {
  int fd = memfd_create("bpf", MFD_CLOEXEC);
  ck_assert_int_ge(fd, 0);
  ck_assert_int_eq(seccomp_export_bpf(ctx, fd), 0);
  off_t size = lseek(fd, 0, SEEK_END);
  ck_assert_int_gt(size, 0);
  ck_assert_int_eq(size % (off_t)sizeof(struct sock_filter), 0);
  bpf_program_copy p = {malloc((size_t)size), (size_t)size / sizeof(struct sock_filter)};
  ck_assert_int_eq(pread(fd, p.insns, (size_t)size, 0), size);
  close(fd);
  return p;
}

/* Classic BPF as seccomp runs it; fails the test on anything it does not know
 * or on a load outside seccomp_data's nr and arch. */
static uint32_t run_bpf(const bpf_program_copy *p, const struct seccomp_data *d) {
  uint32_t a = 0, x = 0, mem[BPF_MEMWORDS] = {0};
  const uint8_t *data = (const uint8_t *)d;
  for (size_t pc = 0; pc < p->count; pc++) {
    const struct sock_filter *i = &p->insns[pc];
    uint32_t src = BPF_SRC(i->code) == BPF_X ? x : i->k;
    switch (BPF_CLASS(i->code)) {
      case BPF_LD:
        if (i->code == (BPF_LD | BPF_W | BPF_ABS)) {
          /* Arguments only for the one argument-dependent rule, `socket`
           * (docs/sandbox.md, "The seccomp filter"). */
          bool argument = i->k >= offsetof(struct seccomp_data, args) &&
                          i->k < offsetof(struct seccomp_data, args) + sizeof d->args;
          ck_assert_msg(i->k == offsetof(struct seccomp_data, nr) ||
                            i->k == offsetof(struct seccomp_data, arch) ||
                            (argument && d->arch == AUDIT_ARCH_X86_64 && d->nr == SYS_socket),
                        "the filter reads offset %u for arch 0x%x number %d: not only arch + number",
                        i->k, d->arch, d->nr);
          memcpy(&a, data + i->k, 4);
        } else if (i->code == (BPF_LD | BPF_IMM)) {
          a = i->k;
        } else if (i->code == (BPF_LD | BPF_MEM)) {
          ck_assert_uint_lt(i->k, BPF_MEMWORDS);
          a = mem[i->k];
        } else {
          ck_abort_msg("unknown load 0x%x", i->code);
        }
        break;
      case BPF_LDX:
        if (i->code == (BPF_LDX | BPF_IMM)) {
          x = i->k;
        } else if (i->code == (BPF_LDX | BPF_MEM)) {
          ck_assert_uint_lt(i->k, BPF_MEMWORDS);
          x = mem[i->k];
        } else {
          ck_abort_msg("unknown ldx 0x%x", i->code);
        }
        break;
      case BPF_ST:
        ck_assert_uint_lt(i->k, BPF_MEMWORDS);
        mem[i->k] = a;
        break;
      case BPF_STX:
        ck_assert_uint_lt(i->k, BPF_MEMWORDS);
        mem[i->k] = x;
        break;
      case BPF_ALU:
        switch (BPF_OP(i->code)) {
          case BPF_ADD: a += src; break;
          case BPF_SUB: a -= src; break;
          case BPF_MUL: a *= src; break;
          case BPF_DIV: ck_assert_uint_ne(src, 0); a /= src; break;
          case BPF_AND: a &= src; break;
          case BPF_OR: a |= src; break;
          case BPF_LSH: a <<= (src & 31u); break;
          case BPF_RSH: a >>= (src & 31u); break;
          case BPF_NEG: a = (uint32_t)-a; break;
          default: ck_abort_msg("unknown alu 0x%x", i->code);
        }
        break;
      case BPF_JMP: {
        bool taken;
        switch (BPF_OP(i->code)) {
          case BPF_JA: pc += i->k; continue;
          case BPF_JEQ: taken = a == src; break;
          case BPF_JGT: taken = a > src; break;
          case BPF_JGE: taken = a >= src; break;
          case BPF_JSET: taken = (a & src) != 0u; break;
          default: ck_abort_msg("unknown jump 0x%x", i->code); taken = false;
        }
        pc += taken ? i->jt : i->jf;
        break;
      }
      case BPF_RET:
        return BPF_RVAL(i->code) == BPF_A ? a : i->k;
      case BPF_MISC:
        if (BPF_MISCOP(i->code) == BPF_TAX) {
          x = a;
        } else {
          a = x;
        }
        break;
      default:
        ck_abort_msg("unknown class 0x%x", i->code);
    }
  }
  ck_abort_msg("the filter ran off its end");
  return 0;
}

/* `socket(family, type, protocol)` through the filter. */
static uint32_t decide_socket(const bpf_program_copy *p, uint64_t family, uint64_t type,
                              uint64_t protocol) {
  struct seccomp_data d;
  memset(&d, 0, sizeof d);
  d.arch = AUDIT_ARCH_X86_64;
  d.nr = SYS_socket;
  d.instruction_pointer = 0x401000;
  d.args[0] = family;
  d.args[1] = type;
  d.args[2] = protocol;
  return run_bpf(p, &d);
}

/* The socket rules' decisions, when the profile allows `socket`. */
static void check_socket(const bpf_program_copy *p, const char *what) {
  const uint32_t allow = SECCOMP_RET_ALLOW, kill = SECCOMP_RET_KILL_PROCESS,
                 eacces = SECCOMP_RET_ERRNO | EACCES;
  static const struct {
    uint64_t family, type, protocol;
    uint32_t want; /* 0: allow, 1: EACCES, 2: kill */
  } cases[] = {
      {AF_UNIX, SOCK_STREAM, 0, 0},
      {AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, 0},
      {AF_UNIX, SOCK_SEQPACKET, 0, 0},
      {AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, 0, 0},
      {AF_INET, SOCK_STREAM, 0, 0},
      {AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_TCP, 0},
      {AF_INET6, SOCK_STREAM, IPPROTO_TCP, 0},
      {AF_INET, SOCK_DGRAM, 0, 0},
      {AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, IPPROTO_UDP, 0},
      {AF_INET, SOCK_STREAM, 262, 1}, /* IPPROTO_MPTCP */
      {AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 262, 1},
      {AF_INET, SOCK_STREAM, IPPROTO_SCTP, 1},
      {AF_INET6, SOCK_SEQPACKET, IPPROTO_SCTP, 1},
      {AF_INET, SOCK_SEQPACKET, 0, 2}, /* SCTP by default */
      {AF_INET, SOCK_RAW, IPPROTO_TCP, 2},
      {AF_INET, SOCK_RAW, 0, 2},
      {AF_INET, SOCK_DGRAM, IPPROTO_ICMP, 2},
      {AF_INET, SOCK_DGRAM, IPPROTO_UDPLITE, 2},
      {AF_INET, SOCK_STREAM, IPPROTO_UDP, 2},
      {AF_INET, SOCK_DGRAM, IPPROTO_TCP, 2},
      {AF_PACKET, SOCK_RAW, 0, 2},
      {AF_VSOCK, SOCK_STREAM, 0, 2},
      {AF_UNSPEC, SOCK_STREAM, 0, 2},
      {AF_INET | 0x100000000ull, SOCK_STREAM, 0, 2}, /* upper bits: not compared away */
      {AF_INET, SOCK_STREAM, 262 | 0x100000000ull, 2},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    uint32_t want = cases[i].want == 0 ? allow : cases[i].want == 1 ? eacces : kill;
    uint32_t got = decide_socket(p, cases[i].family, cases[i].type, cases[i].protocol);
    ck_assert_msg(got == want, "%s: socket(%llu, 0x%llx, %llu): filter 0x%x, expected 0x%x", what,
                  (unsigned long long)cases[i].family, (unsigned long long)cases[i].type,
                  (unsigned long long)cases[i].protocol, got, want);
  }
}

static uint32_t decide(const bpf_program_copy *p, uint32_t arch, uint32_t nr) {
  struct seccomp_data d;
  memset(&d, 0, sizeof d);
  d.arch = arch;
  d.nr = (int)nr;
  d.instruction_pointer = 0x401000;
  for (int k = 0; k < 6; k++) {
    d.args[k] = 0x1111111111111111ull * (unsigned)(k + 1);
  }
  return run_bpf(p, &d);
}

/* Every number of every ABI: allowed exactly as the bitmap says. */
static void check_profile(const OSPolicy_SandboxProfile *profile, const char *what) {
  scmp_filter_ctx ctx = NULL;
  ck_assert_int_eq(sandbox_build_filter(profile, &ctx), OSPOLICY_OK);
  bpf_program_copy p = export_filter(ctx);
  seccomp_release(ctx);
  uint32_t allowed = 0;
  for (uint32_t n = 0; n < 4096u; n++) {
    uint32_t want = OSPolicy_DecideSandboxSyscall(profile, n) == OSPOLICY_DECISION_ALLOW
                        ? SECCOMP_RET_ALLOW
                        : SECCOMP_RET_KILL_PROCESS;
    if (n == (uint32_t)SYS_socket && want == SECCOMP_RET_ALLOW) {
      check_socket(&p, what);
      /* decide()'s arguments have upper bits set: killed, as any socket()
       * outside the rules; counted as allowed (the number is). */
      ck_assert_uint_eq(decide(&p, AUDIT_ARCH_X86_64, n), SECCOMP_RET_KILL_PROCESS);
      allowed++;
      continue;
    }
    uint32_t got = decide(&p, AUDIT_ARCH_X86_64, n);
    ck_assert_msg(got == want, "%s: x86_64 %u: filter 0x%x, bitmap 0x%x", what, n, got, want);
    allowed += got == SECCOMP_RET_ALLOW;
  }
  ck_assert_uint_eq(allowed, profile->allowed_count);
  for (uint32_t n = 0; n < 4096u; n++) {
    ck_assert_msg(decide(&p, AUDIT_ARCH_X86_64, 0x40000000u | n) == SECCOMP_RET_KILL_PROCESS,
                  "%s: x32 %u not killed", what, n);
    ck_assert_msg(decide(&p, AUDIT_ARCH_I386, n) == SECCOMP_RET_KILL_PROCESS,
                  "%s: i386 %u not killed", what, n);
  }
  uint32_t edges[] = {0x3FFFFFFFu, 0x7FFFFFFFu, 0x80000000u, 0xFFFFFFFFu};
  for (size_t i = 0; i < sizeof edges / sizeof edges[0]; i++) {
    ck_assert_uint_eq(decide(&p, AUDIT_ARCH_X86_64, edges[i]), SECCOMP_RET_KILL_PROCESS);
  }
  ck_assert_uint_eq(decide(&p, 0, 0), SECCOMP_RET_KILL_PROCESS);
  free(p.insns);
}

typedef struct fixture {
  OSPolicy_SyscallTable table;
  OSPolicy_ManifestResult *result;
  void *workspace;
  OSPolicy_SandboxProfile profile;
} fixture;

static void compile_text(fixture *f, const char *text) {
  f->table = sandbox_linux_syscalls;
  size_t required = 0;
  ck_assert_int_eq(OSPolicy_GetManifestWorkspaceSize(strlen(text), &required), OSPOLICY_OK);
  f->workspace = malloc(required);
  f->result = malloc(sizeof *f->result);
  OSPolicy_ManifestRequest request = {.text = text, .size = strlen(text),
                                      .workspace = f->workspace, .workspace_size = required};
  ck_assert_int_eq(OSPolicy_ValidateManifest(&request, f->result), OSPOLICY_OK);
  ck_assert_int_eq(OSPolicy_CompileSandboxProfile(&f->result->manifest, &f->table, &f->profile),
                   OSPOLICY_OK);
}

static void release(fixture *f) {
  free(f->result);
  free(f->workspace);
}

START_TEST(linux_table_matches_the_kernel_numbers) {
  const OSPolicy_SyscallTable t = sandbox_linux_syscalls;
  ck_assert_uint_gt(t.count, 300);
  struct {
    const char *name;
    uint32_t number;
  } known[] = {{"read", SYS_read},       {"socket", SYS_socket},   {"execve", SYS_execve},
               {"getppid", SYS_getppid}, {"exit_group", SYS_exit_group}, {"openat2", SYS_openat2}};
  for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
    ck_assert_str_eq(OSPolicy_SyscallTableName(&t, known[i].number), known[i].name);
  }
}
END_TEST

/* The table generated at build time is the database of the libseccomp in
 * use now, entry for entry, and sorted as the compiler requires. */
START_TEST(linux_table_is_libseccomps_database) {
  const OSPolicy_SyscallTable t = sandbox_linux_syscalls;
  size_t known = 0;
  for (uint32_t number = 0; number < OSPOLICY_SANDBOX_SYSCALL_LIMIT; number++) {
    char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_X86_64, (int)number);
    const char *ours = OSPolicy_SyscallTableName(&t, number);
    if (name == NULL) {
      ck_assert_msg(ours == NULL, "%u: table has %s, libseccomp nothing", number, ours);
      continue;
    }
    ck_assert_msg(ours != NULL && strcmp(ours, name) == 0, "%u: table %s, libseccomp %s", number,
                  ours != NULL ? ours : "(none)", name);
    free(name);
    known++;
  }
  ck_assert_uint_eq(t.count, known);
  for (size_t i = 1; i < t.count; i++) {
    ck_assert_int_lt(strcmp(t.entries[i - 1u].name, t.entries[i].name), 0);
  }
}
END_TEST

START_TEST(filter_equals_bitmap_runtime_only) {
  fixture f;
  compile_text(&f, "{\"manifestVersion\": 1, \"name\": \"t\", \"entry\": \"/app/t\"}");
  ck_assert_uint_eq(f.profile.allowed_count, OSPOLICY_SANDBOX_RUNTIME_COUNT);
  check_profile(&f.profile, "runtime only");
  release(&f);
}
END_TEST

START_TEST(filter_equals_bitmap_service) {
  fixture f;
  compile_text(&f, "{\"manifestVersion\": 1, \"name\": \"t\", \"entry\": \"/app/t\", \"syscalls\": "
                   "[\"read\", \"write\", \"openat\", \"close\", \"socket\", \"bind\", \"listen\", "
                   "\"accept4\", \"epoll_wait\", \"futex\", \"clone3\", \"getppid\", \"no_such\"]}");
  ck_assert_uint_eq(f.profile.unknown_count, 1);
  check_profile(&f.profile, "service");
  release(&f);
}
END_TEST

START_TEST(filter_equals_bitmap_random_subsets) {
  const OSPolicy_SyscallTable t = sandbox_linux_syscalls;
  uint64_t state = 0x9E3779B97F4A7C15ull;
  for (int round = 0; round < 6; round++) {
    /* A manifest naming a random subset (every name once at most). */
    char *text = malloc(64u * 1024u);
    size_t used = (size_t)snprintf(text, 64u * 1024u,
                                   "{\"manifestVersion\": 1, \"name\": \"t\", \"entry\": "
                                   "\"/app/t\", \"syscalls\": [");
    size_t listed = 0;
    for (size_t i = 0; i < t.count && listed < OSPOLICY_MANIFEST_MAX_SYSCALLS; i++) {
      state ^= state << 13;
      state ^= state >> 7;
      state ^= state << 17;
      if ((state % 4u) <= (uint64_t)(round % 4)) {
        used += (size_t)snprintf(text + used, 64u * 1024u - used, "%s\"%s\"",
                                 listed > 0 ? ", " : "", t.entries[i].name);
        listed++;
      }
    }
    snprintf(text + used, 64u * 1024u - used, "]}");
    fixture f;
    compile_text(&f, text);
    ck_assert_uint_eq(f.profile.unknown_count, 0);
    check_profile(&f.profile, "random subset");
    release(&f);
    free(text);
  }
}
END_TEST

/* The interpreter's verdicts are the kernel's: load the filter in a child. */
START_TEST(kernel_agrees_on_samples) {
  fixture f;
  compile_text(&f, "{\"manifestVersion\": 1, \"name\": \"t\", \"entry\": \"/app/t\", \"syscalls\": "
                   "[\"getppid\"]}");
  scmp_filter_ctx ctx = NULL;
  ck_assert_int_eq(sandbox_build_filter(&f.profile, &ctx), OSPOLICY_OK);
  long samples[] = {SYS_getppid, SYS_getpid, 0x40000000L | SYS_getppid};
  bool allowed[] = {true, false, false};
  for (size_t i = 0; i < 3; i++) {
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
      if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 || seccomp_load(ctx) != 0) {
        _exit(2);
      }
      syscall(samples[i]);
      syscall(SYS_exit_group, 0);
    }
    int status = 0;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    if (allowed[i]) {
      ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "sample %zu: status 0x%x", i,
                    status);
    } else {
      ck_assert_msg(WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS, "sample %zu: status 0x%x",
                    i, status);
    }
  }
  seccomp_release(ctx);
  release(&f);
}
END_TEST

/* A host service (a Unix socket) shown at /run/ospolicy/NAME: the extension
 * point for services such as a metadata proxy. The confined probe connects
 * and writes; without the service the path does not exist in its view. */
static int run_probe(const OSPolicy_SandboxProfile *profile, const OSPolicy_Manifest *manifest,
                     const char *app, const sandbox_service *services, size_t count,
                     char *const *args, char *output, size_t output_size,
                     sandbox_outcome *outcome) {
  char path[] = "/tmp/ospolicy-live-out.XXXXXX";
  int fd = mkstemp(path);
  ck_assert_int_ge(fd, 0);
  unlink(path);
  fflush(stdout);
  int saved = dup(1);
  dup2(fd, 1);
  sandbox_request request = {.manifest = manifest, .profile = profile, .app_root = app,
                             .args = args, .services = services, .service_count = count};
  OSPolicy_Status status = sandbox_run(&request, outcome);
  dup2(saved, 1);
  close(saved);
  ssize_t got = pread(fd, output, output_size - 1u, 0);
  output[got > 0 ? got : 0] = '\0';
  close(fd);
  return (int)status;
}

START_TEST(service_socket_is_mounted_into_the_view) {
  char dir[] = "/tmp/ospolicy-live-svc.XXXXXX";
  ck_assert_ptr_nonnull(mkdtemp(dir));
  ck_assert_int_eq(chmod(dir, 0755), 0);
  char app[64], probe[96], sock_path[96], command[256];
  snprintf(app, sizeof app, "%s/app", dir);
  snprintf(probe, sizeof probe, "%s/probe", app);
  snprintf(sock_path, sizeof sock_path, "%s/imds.sock", dir);
  ck_assert_int_eq(mkdir(app, 0755), 0);
  snprintf(command, sizeof command, "cp '%s/sandbox_probe' '%s'", OSPOLICY_TEST_BINARY_DIR, probe);
  ck_assert_int_eq(system(command), 0);

  int server = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  struct sockaddr_un a = {.sun_family = AF_UNIX};
  snprintf(a.sun_path, sizeof a.sun_path, "%s", sock_path);
  ck_assert_int_eq(bind(server, (struct sockaddr *)&a, sizeof a), 0);
  ck_assert_int_eq(listen(server, 4), 0);
  ck_assert_int_eq(chmod(sock_path, 0777), 0); /* the app may run as uid 65534 */

  fixture f;
  compile_text(&f, "{\"manifestVersion\": 1, \"name\": \"svc\", \"entry\": \"/app/probe\", "
                   "\"syscalls\": [\"write\", \"newfstatat\", \"socket\", \"connect\", "
                   "\"close\"]}");
  sandbox_service service = {.name = "imds.sock", .host_path = sock_path};
  char *args[] = {"connect-unix", "/run/ospolicy/imds.sock", NULL};
  char output[256];
  sandbox_outcome outcome;
  int status = run_probe(&f.profile, &f.result->manifest, app, &service, 1, args, output,
                         sizeof output, &outcome);
  ck_assert_msg(status == OSPOLICY_OK, "%s: %s", OSPolicy_StatusName((OSPolicy_Status)status),
                outcome.message);
  ck_assert_msg(outcome.exited && outcome.exit_code == 0, "exit %d signal %d", outcome.exit_code,
                outcome.signal);
  ck_assert_str_eq(output, "connect-unix: ok\n");
  int peer = accept4(server, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
  ck_assert_int_ge(peer, 0);
  char hello[3] = {0};
  ck_assert_int_eq(read(peer, hello, 2), 2);
  ck_assert_str_eq(hello, "hi");
  close(peer);

  /* Without the service the path is not in the view. */
  status = run_probe(&f.profile, &f.result->manifest, app, NULL, 0, args, output, sizeof output,
                     &outcome);
  ck_assert_int_eq(status, OSPOLICY_OK);
  ck_assert_str_eq(output, "connect-unix: ENOENT\n");

  /* A name that could leave /run/ospolicy, or a missing host path, is refused. */
  sandbox_service bad[] = {{"../etc", sock_path}, {"imds.sock", "/nonexistent/imds.sock"}};
  for (size_t i = 0; i < 2; i++) {
    status = run_probe(&f.profile, &f.result->manifest, app, &bad[i], 1, args, output,
                       sizeof output, &outcome);
    ck_assert_int_eq(status, OSPOLICY_ERR_INVALID_ARGUMENT);
    ck_assert_str_eq(output, "");
  }
  close(server);
  release(&f);
  snprintf(command, sizeof command, "rm -rf '%s'", dir);
  ck_assert_int_eq(system(command), 0);
}
END_TEST

START_TEST(filter_refuses_a_profile_that_is_not_ok) {
  OSPolicy_SandboxProfile p;
  memset(&p, 0, sizeof p);
  p.allowed[0] = ~0ull;
  scmp_filter_ctx ctx = (scmp_filter_ctx)&p;
  ck_assert_int_eq(sandbox_build_filter(&p, &ctx), OSPOLICY_ERR_PLAN_NOT_OK);
  ck_assert_ptr_null(ctx);
}
END_TEST

Suite *sandbox_suite(void);
Suite *sandbox_suite(void) {
  Suite *suite = suite_create("sandbox");
  TCase *tc = tcase_create("filter");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, linux_table_matches_the_kernel_numbers);
  tcase_add_test(tc, linux_table_is_libseccomps_database);
  tcase_add_test(tc, filter_equals_bitmap_runtime_only);
  tcase_add_test(tc, filter_equals_bitmap_service);
  tcase_add_test(tc, filter_equals_bitmap_random_subsets);
  tcase_add_test(tc, kernel_agrees_on_samples);
  tcase_add_test(tc, filter_refuses_a_profile_that_is_not_ok);
  tcase_add_test(tc, service_socket_is_mounted_into_the_view);
  suite_add_tcase(suite, tc);
  return suite;
}
