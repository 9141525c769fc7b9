/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * The confined app of README.md and docs/sandbox.md: appends one line to its
 * notes (its one writable grant) and says where. Build it statically
 * (`cc -static -O2 hello.c -o app/hello`) and run it with
 * `ospolicy run --manifest hello.json --app-root app --data-root data`.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(void) {
  const char *greeting = getenv("GREETING");
  char line[128];
  int n = snprintf(line, sizeof line, "%s from the sandbox\n", greeting != NULL ? greeting : "?");
  int fd = open("/data/notes/log", O_WRONLY | O_APPEND | O_CREAT, 0600);
  if (fd < 0 || write(fd, line, (size_t)n) != n) {
    perror("hello: /data/notes/log");
    return 1;
  }
  close(fd);
  printf("hello: wrote /data/notes/log\n");
  return 0;
}
