/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * `ospolicy wx-audit [--pid N]`: lists every mapping of a Linux process that
 * is both writable and executable, read from /proc/<pid>/maps. Exit 0 when
 * there is none, 1 when there is at least one (each printed), 2 on a usage
 * error, 3 when the maps file cannot be read. The verdict line follows the
 * Linux CONFIG_DEBUG_WX wording so that it is easy to grep.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"

static void wx_usage(FILE *out) {
  fprintf(out,
          "usage: ospolicy wx-audit [--pid N]\n\n"
          "Lists every writable+executable mapping of process N (default: this\n"
          "process) from /proc/N/maps. Exit 0: none; 1: W+X mappings found;\n"
          "2: usage error; 3: the maps file could not be read.\n");
}

static int parse_pid(const char *text, long *pid) {
  char *end = NULL;
  errno = 0;
  long value = strtol(text, &end, 10);
  if (errno != 0 || end == text || *end != '\0' || value <= 0 || value > INT_MAX) {
    return -1;
  }
  *pid = value;
  return 0;
}

int cli_wx_audit(int argc, char **argv) {
  char path[64];
  snprintf(path, sizeof path, "/proc/self/maps");
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
      wx_usage(stdout);
      return CLI_EXIT_OK;
    }
    if (strcmp(argv[i], "--pid") == 0 && i + 1 < argc) {
      long pid = 0;
      if (parse_pid(argv[++i], &pid) != 0) {
        fprintf(stderr, "ospolicy wx-audit: --pid: '%s' is not a process id\n", argv[i]);
        return CLI_EXIT_USAGE;
      }
      snprintf(path, sizeof path, "/proc/%ld/maps", pid);
      continue;
    }
    fprintf(stderr, "ospolicy wx-audit: unexpected argument '%s'\n", argv[i]);
    wx_usage(stderr);
    return CLI_EXIT_USAGE;
  }

  FILE *maps = fopen(path, "r");
  if (maps == NULL) {
    fprintf(stderr, "ospolicy wx-audit: %s: %s\n", path, strerror(errno));
    return CLI_EXIT_UNREADABLE;
  }
  char line[4096 + 256];
  unsigned long found = 0;
  unsigned long checked = 0;
  while (fgets(line, sizeof line, maps) != NULL) {
    char perms[5] = {0};
    unsigned long start = 0, end = 0;
    if (sscanf(line, "%lx-%lx %4s", &start, &end, perms) != 3) {
      continue;
    }
    checked++;
    if (perms[1] == 'w' && perms[2] == 'x') {
      found++;
      line[strcspn(line, "\n")] = '\0';
      printf("W+X: %s\n", line);
    }
  }
  int read_error = ferror(maps);
  fclose(maps);
  if (read_error || checked == 0) {
    fprintf(stderr, "ospolicy wx-audit: %s: could not read any mapping\n", path);
    return CLI_EXIT_UNREADABLE;
  }
  if (found == 0) {
    printf("Checked W+X mappings: passed, no W+X pages found (%lu mappings in %s).\n", checked,
           path);
    return CLI_EXIT_OK;
  }
  printf("Checked W+X mappings: FAILED, %lu W+X mappings found (%lu mappings in %s).\n", found,
         checked, path);
  return CLI_EXIT_FINDING;
}
