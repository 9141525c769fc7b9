/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
#include "cli_helper.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

#include "commands.h"

int cli_exec_helper(const char *command, const char *name, char **argv) {
  /* Started with privileges its caller lacks (setuid, setgid, file
   * capabilities: nothing installs it so), the place it runs from may be the
   * caller's choice (a hard link): no helper is started then. */
  if (getauxval(AT_SECURE) != 0) {
    fprintf(stderr, "ospolicy %s: refused: ospolicy runs with privileges its caller does not "
                    "have (setuid, setgid or file capabilities) and starts no helper then\n",
            command);
    return CLI_EXIT_UNREADABLE;
  }
  /* The helper is found from where this executable really is, never from
   * PATH or the environment: the caller gets the helper built or installed
   * with this `ospolicy`. */
  char self[PATH_MAX];
  ssize_t length = readlink("/proc/self/exe", self, sizeof self - 1u);
  if (length <= 0 || (size_t)length >= sizeof self - 1u) {
    fprintf(stderr, "ospolicy %s: cannot find this executable's folder (/proc/self/exe: %s)\n",
            command, length < 0 ? strerror(errno) : "path too long");
    return CLI_EXIT_UNREADABLE;
  }
  self[length] = '\0';
  char *slash = strrchr(self, '/');
  if (slash == NULL) {
    fprintf(stderr, "ospolicy %s: /proc/self/exe is not an absolute path: %s\n", command, self);
    return CLI_EXIT_UNREADABLE;
  }
  *slash = '\0';
  char path[PATH_MAX];
  int written = snprintf(path, sizeof path, "%s/%s/%s", self, OSPOLICY_LIBEXEC_FROM_BIN, name);
  if (written < 0 || (size_t)written >= sizeof path) {
    fprintf(stderr, "ospolicy %s: helper path too long under %s\n", command, self);
    return CLI_EXIT_UNREADABLE;
  }
  execv(path, argv);
  fprintf(stderr, "ospolicy %s: cannot run %s: %s\n", command, path, strerror(errno));
  return CLI_EXIT_UNREADABLE;
}
