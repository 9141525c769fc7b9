/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * A test-only LD_PRELOAD shim (never linked into the tool): kills the
 * process with SIGKILL at one chosen step of a file edit, to prove that a
 * crash at that step loses nothing. OSPOLICY_TEST_KILL=CALL:N kills the
 * process just before its Nth call of CALL; CALL:N+ just after it. CALL is
 * one of write, fsync, linkat, renameat, flock. OSPOLICY_TEST_CHANGE=N:PATH
 * plays another process that truncates PATH to half its size right after
 * the tool's Nth read() returns (a file changing under a signer).
 * OSPOLICY_TEST_NO_TMPFILE=1 makes openat(O_TMPFILE) fail with EOPNOTSUPP,
 * as on a file system without it. Without the variables the shim only
 * passes calls through.
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/stat.h>
#include <unistd.h>

static int counts[5];
static const char *const names[5] = {"write", "fsync", "linkat", "renameat", "flock"};

/* 0: no kill, 1: kill before the call, 2: kill after it. */
static int step(int which) {
  const char *spec = getenv("OSPOLICY_TEST_KILL");
  size_t length = strlen(names[which]);
  int n = ++counts[which];
  if (spec == NULL || strncmp(spec, names[which], length) != 0 || spec[length] != ':') {
    return 0;
  }
  char *end = NULL;
  long want = strtol(spec + length + 1, &end, 10);
  if (want != n) {
    return 0;
  }
  return end != NULL && *end == '+' ? 2 : 1;
}

static void die(void) {
  raise(SIGKILL);
}

#define PASS_THROUGH(index, type, name, params, args)      \
  type name params {                                        \
    static type(*real) params;                              \
    if (real == NULL) {                                     \
      *(void **)(&real) = dlsym(RTLD_NEXT, #name);          \
    }                                                       \
    int when = step(index);                                 \
    if (when == 1) {                                        \
      die();                                                \
    }                                                       \
    type result = real args;                                \
    if (when == 2) {                                        \
      die();                                                \
    }                                                       \
    return result;                                          \
  }

PASS_THROUGH(0, ssize_t, write, (int fd, const void *buf, size_t count), (fd, buf, count))
PASS_THROUGH(1, int, fsync, (int fd), (fd))
PASS_THROUGH(2, int, linkat,
             (int olddirfd, const char *oldpath, int newdirfd, const char *newpath, int flags),
             (olddirfd, oldpath, newdirfd, newpath, flags))
PASS_THROUGH(3, int, renameat, (int olddirfd, const char *oldpath, int newdirfd, const char *newpath),
             (olddirfd, oldpath, newdirfd, newpath))
PASS_THROUGH(4, int, flock, (int fd, int operation), (fd, operation))

static int reads;

ssize_t read(int fd, void *buf, size_t count) {
  static ssize_t (*real)(int, void *, size_t);
  if (real == NULL) {
    *(void **)(&real) = dlsym(RTLD_NEXT, "read");
  }
  ssize_t result = real(fd, buf, count);
  const char *spec = getenv("OSPOLICY_TEST_CHANGE");
  if (spec != NULL) {
    char *end = NULL;
    long want = strtol(spec, &end, 10);
    if (++reads == want && end != NULL && *end == ':') {
      struct stat st;
      if (stat(end + 1, &st) == 0) {
        (void)truncate(end + 1, st.st_size / 2);
      }
    }
  }
  return result;
}

int openat(int dirfd, const char *path, int flags, ...) {
  static int (*real)(int, const char *, int, ...);
  if (real == NULL) {
    *(void **)(&real) = dlsym(RTLD_NEXT, "openat");
  }
  mode_t mode = 0;
  if ((flags & O_CREAT) != 0 || (flags & O_TMPFILE) == O_TMPFILE) {
    va_list args;
    va_start(args, flags);
    mode = (mode_t)va_arg(args, int);
    va_end(args);
  }
  if ((flags & O_TMPFILE) == O_TMPFILE && getenv("OSPOLICY_TEST_NO_TMPFILE") != NULL) {
    errno = EOPNOTSUPP;
    return -1;
  }
  return real(dirfd, path, flags, mode);
}
