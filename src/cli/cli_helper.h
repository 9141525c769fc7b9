/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * Commands that live in their own executable (to keep heavy libraries off
 * every other command's start) run through here.
 */
#ifndef OSPOLICY_CLI_HELPER_H
#define OSPOLICY_CLI_HELPER_H

/* Replaces this process with `NAME` from ospolicy's libexec folder (found
 * relative to the running executable), passing argv unchanged (argv[0] is
 * the command's name). Returns only on failure, after saying why on stderr,
 * with CLI_EXIT_UNREADABLE. */
int cli_exec_helper(const char *command, const char *name, char **argv);

#endif
