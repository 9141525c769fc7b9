/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
#include <stdio.h>
#include <string.h>

#include "cli_helper.h"
#include "commands.h"

/* Runs in its own executable (cli_helper.h). */
static int run_imds_proxy(int argc, char **argv) {
  (void)argc;
  return cli_exec_helper("imds-proxy", "ospolicy-imds-proxy", argv);
}

typedef struct command {
  const char *name;
  int (*run)(int argc, char **argv);
  const char *summary;
} command;

static const command commands[] = {
    {"manifest", cli_manifest, "validate an app manifest: manifest validate --manifest PATH"},
    {"wx-audit", cli_wx_audit, "list a process's writable+executable mappings (exit 1 if any)"},
    {"keygen", cli_keygen, "create an Ed25519 signing key pair (secret key mode 0600)"},
    {"sign", cli_sign, "sign a kernel, module, loader, data or agent object"},
    {"verify", cli_verify, "verify an object against its signature and a trust set (exit 1 if not)"},
    {"trust", cli_trust, "create and edit a trust set: init, add, revoke, floor, enforce, show"},
    {"key", cli_key, "key show FILE: print a key's id and public key (text form too)"},
    {"envelope", cli_envelope, "envelope show FILE: print a signature envelope without verifying"},
    {"run", cli_run, "run an app confined to its manifest (Linux); --explain shows the profile"},
    {"imds-proxy", run_imds_proxy, "serve confined apps' cloud-metadata requests per their manifests"},
    {"policy", cli_policy, "compile a MAC policy to a blob; explain a decision: compile, check"},
};

static void usage(FILE *out) {
  fprintf(out,
          "usage: ospolicy [--help] [--version] <command> [<args>]\n\n"
          "commands:\n");
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
    fprintf(out, "  %-20s %s\n", commands[i].name, commands[i].summary);
  }
  fprintf(out,
          "\nexit status: 0 ok, 1 finding (rejected input, W+X mapping), 2 usage error,\n"
          "3 input could not be read or output not written. `ospolicy <command> --help`\n"
          "describes a command.\n");
}

int main(int argc, char **argv) {
  if (argc < 2) {
    usage(stderr);
    return CLI_EXIT_USAGE;
  }
  if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
    usage(stdout);
    return CLI_EXIT_OK;
  }
  if (strcmp(argv[1], "--version") == 0) {
    printf("ospolicy %s\n", OSPOLICY_VERSION);
    return CLI_EXIT_OK;
  }
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
    if (strcmp(argv[1], commands[i].name) == 0) {
      return commands[i].run(argc - 1, argv + 1);
    }
  }
  fprintf(stderr, "ospolicy: unknown command '%s'\n\n", argv[1]);
  usage(stderr);
  return CLI_EXIT_USAGE;
}
