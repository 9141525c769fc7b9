/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
#include "cli_options.h"

#include <string.h>

#include "commands.h"

/* The table entry named by `arg` (up to '=' when `arg` is --name=VALUE), or NULL. */
static const cli_option *find_option(const cli_options *options, const char *arg,
                                     const char **inline_value) {
  const char *equals = strncmp(arg, "--", 2) == 0 ? strchr(arg, '=') : NULL;
  size_t length = equals != NULL ? (size_t)(equals - arg) : strlen(arg);
  *inline_value = equals != NULL ? equals + 1 : NULL;
  for (size_t k = 0; k < options->table_size; k++) {
    if (strlen(options->table[k].name) == length &&
        strncmp(arg, options->table[k].name, length) == 0) {
      return &options->table[k];
    }
  }
  return NULL;
}

static bool unexpected(const cli_options *options, const char *arg, const char *why,
                       int *exit_status) {
  if (options->action != NULL) {
    fprintf(stderr, "ospolicy %s %s: %s '%s'\n", options->tool, options->action, why, arg);
  } else {
    fprintf(stderr, "ospolicy %s: %s '%s'\n", options->tool, why, arg);
  }
  options->usage(stderr);
  *exit_status = CLI_EXIT_USAGE;
  return false;
}

bool cli_parse_options(const cli_options *options, int argc, char **argv, int *exit_status) {
  bool options_done = false;
  for (int i = 1; i < argc; i++) {
    const char *arg = argv[i];
    bool is_option = !options_done && arg[0] == '-' && arg[1] != '\0'; /* "-" is a name */
    if (is_option && strcmp(arg, "--") == 0) {
      options_done = true;
      continue;
    }
    if (is_option && options->help && (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0)) {
      options->usage(stdout);
      *exit_status = CLI_EXIT_OK;
      return false;
    }
    if (is_option) {
      const char *inline_value = NULL;
      const cli_option *option = find_option(options, arg, &inline_value);
      if (option == NULL) {
        return unexpected(options, arg, "unknown option", exit_status);
      }
      if (option->value == NULL) {
        if (inline_value != NULL) {
          return unexpected(options, arg, "this switch takes no value:", exit_status);
        }
        *option->set = true;
      } else if (inline_value != NULL) {
        *option->value = inline_value;
      } else if (i + 1 < argc) {
        *option->value = argv[++i];
      } else {
        return unexpected(options, arg, "missing value after", exit_status);
      }
      continue;
    }
    if (options->positional != NULL && *options->positional == NULL) {
      *options->positional = arg;
      continue;
    }
    return unexpected(options, arg, "unexpected argument", exit_status);
  }
  return true;
}
