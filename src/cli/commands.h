/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * Subcommands of the `ospolicy` tool. Each takes argv after its own name and
 * returns the process exit status. Shared exit statuses: 0 success, 1 the
 * check found a problem (rejected input, W+X mappings), 2 usage error, 3 an
 * input could not be read.
 */
#ifndef OSPOLICY_CLI_COMMANDS_H
#define OSPOLICY_CLI_COMMANDS_H

enum {
  CLI_EXIT_OK = 0,
  CLI_EXIT_FINDING = 1,
  CLI_EXIT_USAGE = 2,
  CLI_EXIT_UNREADABLE = 3
};

int cli_manifest(int argc, char **argv);
int cli_wx_audit(int argc, char **argv);
int cli_keygen(int argc, char **argv);
int cli_sign(int argc, char **argv);
int cli_verify(int argc, char **argv);
int cli_trust(int argc, char **argv);
int cli_key(int argc, char **argv);
int cli_envelope(int argc, char **argv);
int cli_run(int argc, char **argv);
int cli_imds_proxy(int argc, char **argv);
int cli_policy(int argc, char **argv);

#endif
