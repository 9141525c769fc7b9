/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
#include "cli_options.h"

#include <string.h>

#include "commands.h"

/* The table entry named `arg`, or NULL. */
static const cli_option *find_option(const cli_options *options, const char *arg) {
  for (size_t k = 0; k < options->table_size; k++) {
    if (strcmp(arg, options->table[k].name) == 0) {
      return &options->table[k];
    }
  }
  return NULL;
}

bool cli_parse_options(const cli_options *options, int argc, char **argv, int *exit_status) {
  for (int i = 1; i < argc; i++) {
    const char *arg = argv[i];
    if (options->help && (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0)) {
      options->usage(stdout);
      *exit_status = CLI_EXIT_OK;
      return false;
    }
    const cli_option *option = find_option(options, arg);
    if (option != NULL && option->value == NULL) {
      *option->set = true;
      continue;
    }
    if (option != NULL && i + 1 < argc) {
      *option->value = argv[++i];
      continue;
    }
    if (option == NULL && options->positional != NULL && arg[0] != '-' &&
        *options->positional == NULL) {
      *options->positional = arg;
      continue;
    }
    if (options->action != NULL) {
      fprintf(stderr, "ospolicy %s %s: unexpected argument '%s'\n", options->tool,
              options->action, arg);
    } else {
      fprintf(stderr, "ospolicy %s: unexpected argument '%s'\n", options->tool, arg);
    }
    options->usage(stderr);
    *exit_status = CLI_EXIT_USAGE;
    return false;
  }
  return true;
}
