/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * Table-driven parsing of a command's arguments, the same for every command:
 * `--name VALUE` or `--name=VALUE` options, `--name` switches and at most
 * one positional argument, in any order. `--` ends the options (what follows
 * is positional even if it starts with '-'); a lone `-` is positional (the
 * standard input or output where a command allows it). A later option
 * replaces an earlier one. An unknown option, a missing value, a value given
 * to a switch or a second positional argument is reported as
 *   ospolicy TOOL[ ACTION]: unknown option '--x'   (or another reason)
 * followed by the usage text on stderr (exit status 2).
 */
#ifndef OSPOLICY_CLI_OPTIONS_H
#define OSPOLICY_CLI_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* One entry: value != NULL takes the next argument (whatever it is, even
 * "--help"); value == NULL is a switch that sets *set to true. */
typedef struct cli_option {
  const char *name;
  const char **value;
  bool *set;
} cli_option;

typedef struct cli_options {
  const char *tool;         /* message prefix after "ospolicy ": "sign", "trust" */
  const char *action;       /* NULL, or a word printed after tool: "init" */
  void (*usage)(FILE *out); /* prints the command's usage text */
  bool help;                /* --help and -h print the usage on stdout (exit 0) */
  const cli_option *table;  /* table_size entries */
  size_t table_size;
  const char **positional;  /* NULL: the command takes no positional argument */
} cli_options;

#define CLI_OPTION_COUNT(table) (sizeof(table) / sizeof((table)[0]))

/* Parses argv[1..argc-1]. true: every argument was taken, go on. false: the
 * command is done and returns *exit_status (0 after --help, 2 after an
 * unexpected argument, which has been reported). */
bool cli_parse_options(const cli_options *options, int argc, char **argv, int *exit_status);

#endif
