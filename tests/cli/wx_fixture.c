/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * Fixture for cli.wx_audit: `wx_fixture wx` maps one anonymous RWX page,
 * `wx_fixture clean` maps nothing unusual; either prints "ready" and then
 * waits until its standard input closes, so the test can audit it by pid.
 */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int main(int argc, char **argv) {
  if (argc != 2 || (strcmp(argv[1], "wx") != 0 && strcmp(argv[1], "clean") != 0)) {
    fprintf(stderr, "usage: wx_fixture wx|clean\n");
    return 2;
  }
  if (strcmp(argv[1], "wx") == 0) {
    void *page = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
                      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (page == MAP_FAILED) {
      perror("mmap rwx");
      return 1;
    }
  }
  printf("ready\n");
  fflush(stdout);
  char buffer[16];
  while (read(STDIN_FILENO, buffer, sizeof buffer) > 0) {
  }
  return 0;
}
