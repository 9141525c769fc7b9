/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * `ospolicy keygen --secret-key FILE --public-key FILE [--force]`
 * (docs/modsign.md): creates an Ed25519 key pair and prints its key id.
 * Exit 0: created; 1: a file exists (and no --force); 2: usage error; 3: a
 * file could not be written. The secret key is created with mode 0600 and
 * O_EXCL, or with --force replaced atomically (cli_files.h).
 */
#include <errno.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cli_files.h"
#include "cli_modsign.h"
#include "cli_options.h"
#include "commands.h"

static void keygen_usage(FILE *out) {
  fprintf(out,
          "usage: ospolicy keygen --secret-key FILE --public-key FILE [--force]\n\n"
          "Creates an Ed25519 key pair. The secret key is written with mode 0600 and\n"
          "an existing file is never replaced unless --force is given (the public key\n"
          "follows the same rule, so the two files always belong together).\n"
          "Prints the 8-byte key id. Exit 0: created; 1: a file exists; 2: usage;\n"
          "3: a file could not be written.\n");
}

int cli_keygen(int argc, char **argv) {
  const char *secret_path = NULL, *public_path = NULL;
  bool force = false;
  const cli_option table[] = {
      {"--secret-key", &secret_path, NULL},
      {"--public-key", &public_path, NULL},
      {"--force", NULL, &force},
  };
  const cli_options options = {.tool = "keygen",
                               .usage = keygen_usage,
                               .help = true,
                               .table = table,
                               .table_size = CLI_OPTION_COUNT(table)};
  int exit_status = CLI_EXIT_OK;
  if (!cli_parse_options(&options, argc, argv, &exit_status)) {
    return exit_status;
  }
  if (secret_path == NULL || public_path == NULL || strcmp(secret_path, public_path) == 0) {
    fprintf(stderr, "ospolicy keygen: --secret-key and --public-key (two different files) are "
                    "required\n");
    keygen_usage(stderr);
    return CLI_EXIT_USAGE;
  }
  if (!force) {
    const char *paths[2] = {secret_path, public_path};
    for (size_t i = 0; i < 2; i++) {
      if (cli_file_exists(paths[i])) {
        fprintf(stderr, "ospolicy keygen: %s exists; not overwriting it without --force\n",
                paths[i]);
        return CLI_EXIT_FINDING;
      }
    }
  }
  if (sodium_init() < 0) {
    fprintf(stderr, "ospolicy keygen: libsodium could not be initialized\n");
    return CLI_EXIT_UNREADABLE;
  }
  OSPolicy_ModsignKeyFile key;
  memset(&key, 0, sizeof key);
  if (crypto_sign_keypair(key.public_key, key.secret_key) != 0 ||
      OSPolicy_ComputeModsignKeyId(key.public_key, key.key_id) != OSPOLICY_OK) {
    fprintf(stderr, "ospolicy keygen: key generation failed\n");
    return CLI_EXIT_UNREADABLE;
  }
  uint8_t secret_file[OSPOLICY_MODSIGN_SECRET_KEY_FILE_SIZE];
  uint8_t public_file[OSPOLICY_MODSIGN_PUBLIC_KEY_FILE_SIZE];
  size_t secret_size = 0, public_size = 0;
  key.is_secret = 1;
  OSPolicy_Status s1 = OSPolicy_EncodeModsignKeyFile(&key, secret_file, sizeof secret_file,
                                                     &secret_size);
  key.is_secret = 0;
  OSPolicy_Status s2 = OSPolicy_EncodeModsignKeyFile(&key, public_file, sizeof public_file,
                                                     &public_size);
  char id_hex[2 * OSPOLICY_MODSIGN_KEY_ID_SIZE + 1];
  cli_hex_string(key.key_id, OSPOLICY_MODSIGN_KEY_ID_SIZE, id_hex);
  sodium_memzero(&key, sizeof key);
  if (s1 != OSPOLICY_OK || s2 != OSPOLICY_OK) {
    sodium_memzero(secret_file, sizeof secret_file);
    fprintf(stderr, "ospolicy keygen: could not encode the key files\n");
    return CLI_EXIT_UNREADABLE;
  }
  int err = cli_write_file(secret_path, secret_file, secret_size, 0600, !force);
  sodium_memzero(secret_file, sizeof secret_file);
  if (err == EEXIST) {
    fprintf(stderr, "ospolicy keygen: %s exists; not overwriting it without --force\n",
            secret_path);
    return CLI_EXIT_FINDING;
  }
  if (err != 0) {
    fprintf(stderr, "ospolicy keygen: %s: %s\n", secret_path, strerror(err));
    return CLI_EXIT_UNREADABLE;
  }
  err = cli_write_file(public_path, public_file, public_size, 0644, !force);
  if (err != 0) {
    fprintf(stderr, "ospolicy keygen: %s: %s (the secret key %s was written)\n", public_path,
            strerror(err), secret_path);
    return err == EEXIST ? CLI_EXIT_FINDING : CLI_EXIT_UNREADABLE;
  }
  printf("key id %s\nsecret key %s (mode 0600)\npublic key %s\n", id_hex, secret_path,
         public_path);
  return CLI_EXIT_OK;
}
