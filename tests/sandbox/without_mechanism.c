/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * without_mechanism MECHANISM -- COMMAND ARGS...: runs COMMAND on a host that
 * seems to lack one kernel mechanism, by answering its syscalls the way a
 * kernel without it does (a seccomp filter, inherited by COMMAND):
 *   landlock  landlock_create_ruleset -> ENOSYS (CONFIG_SECURITY_LANDLOCK=n)
 *   seccomp   seccomp -> ENOSYS (CONFIG_SECCOMP_FILTER=n)
 *   mdwe      prctl(PR_SET_MDWE / PR_GET_MDWE) -> EINVAL (Linux before 6.3)
 *   userns    clone/unshare with CLONE_NEWUSER -> EPERM (user namespaces refused)
 *   seccomp-load  seccomp(SECCOMP_SET_MODE_FILTER) -> EPERM, while the probe for
 *             KILL_PROCESS still answers: loading the filter fails after set-up
 *   ptrace    ptrace(PTRACE_SEIZE) -> EPERM (kernel.yama.ptrace_scope 3)
 * Used by cli.run.missing-* to prove that `ospolicy run` refuses to start.
 */
#include <errno.h>
#include <sched.h>
#include <seccomp.h>
#include <stdio.h>
#include <string.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <unistd.h>

#ifndef PR_SET_MDWE
#define PR_SET_MDWE 65
#define PR_GET_MDWE 66
#endif

int main(int argc, char **argv) {
  if (argc < 4 || strcmp(argv[2], "--") != 0) {
    fprintf(stderr, "usage: without_mechanism landlock|seccomp|seccomp-load|mdwe|userns -- COMMAND ARGS...\n");
    return 2;
  }
  const char *what = argv[1];
  scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
  int rc = -1;
  if (ctx == NULL) {
    return 2;
  }
  if (strcmp(what, "landlock") == 0) {
    rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(landlock_create_ruleset), 0);
  } else if (strcmp(what, "seccomp") == 0) {
    rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(seccomp), 0);
  } else if (strcmp(what, "seccomp-load") == 0) {
    rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(seccomp), 1,
                          SCMP_A0(SCMP_CMP_EQ, SECCOMP_SET_MODE_FILTER));
  } else if (strcmp(what, "mdwe") == 0) {
    rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EINVAL), SCMP_SYS(prctl), 1,
                          SCMP_A0(SCMP_CMP_EQ, PR_SET_MDWE));
    rc = rc != 0 ? rc
                 : seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EINVAL), SCMP_SYS(prctl), 1,
                                    SCMP_A0(SCMP_CMP_EQ, PR_GET_MDWE));
  } else if (strcmp(what, "ptrace") == 0) {
    rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(ptrace), 1,
                          SCMP_A0(SCMP_CMP_EQ, PTRACE_SEIZE));
  } else if (strcmp(what, "userns") == 0) {
    rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(clone), 1,
                          SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_NEWUSER, CLONE_NEWUSER));
    rc = rc != 0 ? rc
                 : seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(unshare), 1,
                                    SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_NEWUSER, CLONE_NEWUSER));
    /* clone3 passes its flags in memory: answer ENOSYS so callers use clone. */
    rc = rc != 0 ? rc : seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0);
  } else {
    fprintf(stderr, "without_mechanism: unknown mechanism %s\n", what);
    return 2;
  }
  if (rc != 0 || seccomp_load(ctx) != 0) {
    fprintf(stderr, "without_mechanism: could not install the filter\n");
    return 2;
  }
  seccomp_release(ctx);
  execvp(argv[3], argv + 3);
  fprintf(stderr, "without_mechanism: %s: %s\n", argv[3], strerror(errno));
  return 127;
}
