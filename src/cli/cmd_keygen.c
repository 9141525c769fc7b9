/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * `ospolicy keygen --secret-key FILE --public-key FILE [--force | --recover]`
 * (docs/modsign.md): creates an Ed25519 key pair and prints its key id, or
 * (--recover) writes the public key that a secret key holds. Exit 0: done;
 * 1: a file exists (and no --force), or the secret key is refused; 2: usage
 * error; 3: a file could not be read or written.
 *
 * Crash safety: both files are written and synced as unnamed temporaries
 * first; then the secret key is linked in, then the public key. A crash
 * leaves the old pair, the new pair, or (between the two renames) the new
 * secret key beside the old public key: the secret key always holds its
 * public half, so `keygen --recover` rebuilds the matching public key.
 */
#include <errno.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli_files.h"
#include "cli_modsign.h"
#include "cli_options.h"
#include "cli_passphrase.h"
#include "commands.h"

static void keygen_usage(FILE *out) {
  fprintf(out,
          "usage: ospolicy keygen --secret-key FILE --public-key FILE [--force] [--text]\n"
          "                       [--passphrase | --passphrase-fd N | --passphrase-env NAME]\n"
          "       ospolicy keygen --recover --secret-key FILE --public-key FILE [--force]\n"
          "                       [--text] [--passphrase-fd N | --passphrase-env NAME]\n\n"
          "Creates an Ed25519 key pair. The secret key is written with mode 0600 and\n"
          "an existing file is never replaced unless --force is given (the public key\n"
          "follows the same rule, so the two files always belong together); the two\n"
          "must be different files. --recover writes the public key of an existing\n"
          "secret key. A passphrase option seals the secret key (Argon2id +\n"
          "XChaCha20-Poly1305): --passphrase asks on the terminal (twice),\n"
          "--passphrase-fd N reads the first line of descriptor N, --passphrase-env\n"
          "NAME reads the environment variable NAME (for CI). --text writes the\n"
          "public key in the two-line text form\n"
          "(untrusted comment, base64) to paste anywhere; every command reads both.\n"
          "Prints the 8-byte key id. Exit 0: done; 1: a file exists or the\n"
          "secret key is refused; 2: usage; 3: a file could not be read or written.\n");
}

/* Writes the public key file of `key` (recover mode). */
/* The public key file, binary or (text) in the text form. */
static int encode_public(const OSPolicy_ModsignKeyFile *key, bool text, uint8_t **out,
                         size_t *size) {
  uint8_t binary[OSPOLICY_MODSIGN_PUBLIC_KEY_FILE_SIZE];
  size_t binary_size = 0;
  OSPolicy_ModsignKeyFile public_only = *key;
  public_only.is_secret = 0;
  sodium_memzero(public_only.secret_key, sizeof public_only.secret_key);
  if (OSPolicy_EncodeModsignKeyFile(&public_only, binary, sizeof binary, &binary_size) !=
      OSPOLICY_OK) {
    fprintf(stderr, "ospolicy keygen: could not encode the public key\n");
    return CLI_EXIT_UNREADABLE;
  }
  if (text) {
    char id_hex[2 * OSPOLICY_MODSIGN_KEY_ID_SIZE + 1];
    char comment[64];
    cli_hex_string(key->key_id, OSPOLICY_MODSIGN_KEY_ID_SIZE, id_hex);
    snprintf(comment, sizeof comment, "ospolicy public key %s", id_hex);
    return cli_wrap_text("keygen", comment, binary, binary_size, out, size) == 0
               ? CLI_EXIT_OK
               : CLI_EXIT_UNREADABLE;
  }
  *out = malloc(binary_size);
  if (*out == NULL) {
    return CLI_EXIT_UNREADABLE;
  }
  memcpy(*out, binary, binary_size);
  *size = binary_size;
  return CLI_EXIT_OK;
}

static int recover_public(const char *secret_path, const char *public_path, bool force,
                          bool text, const cli_passphrase_source *passphrase) {
  OSPolicy_ModsignKeyFile key;
  struct stat secret_st;
  int rc = cli_load_key("keygen", secret_path, true, &key, &secret_st, passphrase);
  if (rc != CLI_EXIT_OK) {
    return rc;
  }
  uint8_t *public_file = NULL;
  size_t public_size = 0;
  rc = encode_public(&key, text, &public_file, &public_size);
  sodium_memzero(&key.secret_key, sizeof key.secret_key);
  if (rc != CLI_EXIT_OK) {
    return rc;
  }
  cli_target target;
  if (cli_target_open("keygen", public_path, false, &target) != 0) {
    free(public_file);
    return CLI_EXIT_UNREADABLE;
  }
  if (cli_target_is(&target, &secret_st)) {
    fprintf(stderr, "ospolicy keygen: %s is the secret key itself; refusing to overwrite it\n",
            public_path);
    cli_target_close(&target);
    free(public_file);
    return CLI_EXIT_USAGE;
  }
  if (target.fd >= 0 && !force) {
    fprintf(stderr, "ospolicy keygen: %s exists; not overwriting it without --force\n",
            public_path);
    cli_target_close(&target);
    free(public_file);
    return CLI_EXIT_FINDING;
  }
  int err = cli_target_replace(&target, public_file, public_size, CLI_MODE_PUBLIC, !force);
  cli_target_close(&target);
  free(public_file);
  if (err != 0) {
    fprintf(stderr, "ospolicy keygen: %s: %s\n", public_path,
            err == EEXIST ? "exists; not overwriting it without --force" : strerror(err));
    return err == EEXIST ? CLI_EXIT_FINDING : CLI_EXIT_UNREADABLE;
  }
  char id_hex[2 * OSPOLICY_MODSIGN_KEY_ID_SIZE + 1];
  cli_hex_string(key.key_id, OSPOLICY_MODSIGN_KEY_ID_SIZE, id_hex);
  printf("key id %s\npublic key %s (from %s)\n", id_hex, public_path, secret_path);
  return CLI_EXIT_OK;
}

/* Writes both files: the two temporaries first, then the secret key, then
 * the public key (see the comment at the top). */
static int write_pair(const char *secret_path, cli_target *secret, const uint8_t *secret_file,
                      size_t secret_size, const char *public_path, cli_target *public_key,
                      const uint8_t *public_file, size_t public_size, bool force) {
  cli_prepared secret_temp, public_temp;
  int err = cli_target_prepare(secret, secret_file, secret_size, CLI_MODE_SECRET, &secret_temp);
  if (err != 0) {
    fprintf(stderr, "ospolicy keygen: %s: %s (nothing was written)\n", secret_path,
            strerror(err));
    return CLI_EXIT_UNREADABLE;
  }
  err = cli_target_prepare(public_key, public_file, public_size, CLI_MODE_PUBLIC, &public_temp);
  if (err != 0) {
    cli_prepared_discard(secret, &secret_temp);
    fprintf(stderr, "ospolicy keygen: %s: %s (nothing was written)\n", public_path,
            strerror(err));
    return CLI_EXIT_UNREADABLE;
  }
  err = cli_target_commit(secret, &secret_temp, !force);
  if (err != 0) {
    cli_prepared_discard(public_key, &public_temp);
    fprintf(stderr, "ospolicy keygen: %s: %s (nothing was written)\n", secret_path,
            err == EEXIST ? "exists; not overwriting it without --force" : strerror(err));
    return err == EEXIST ? CLI_EXIT_FINDING : CLI_EXIT_UNREADABLE;
  }
  err = cli_target_commit(public_key, &public_temp, !force);
  if (err != 0) {
    fprintf(stderr,
            "ospolicy keygen: %s: %s; the secret key %s was written: run 'ospolicy keygen "
            "--recover --secret-key %s --public-key FILE' to write its public key\n",
            public_path,
            err == EEXIST ? "exists; not overwriting it without --force" : strerror(err),
            secret_path, secret_path);
    return err == EEXIST ? CLI_EXIT_FINDING : CLI_EXIT_UNREADABLE;
  }
  return CLI_EXIT_OK;
}

int cli_keygen(int argc, char **argv) {
  const char *secret_path = NULL, *public_path = NULL;
  bool force = false, recover = false, text = false;
  cli_passphrase_source passphrase = {NULL, NULL, false};
  const cli_option table[] = {
      {"--passphrase-fd", &passphrase.fd_text, NULL},
      {"--passphrase-env", &passphrase.env_name, NULL},
      {"--passphrase", NULL, &passphrase.prompt},
      {"--secret-key", &secret_path, NULL}, {"--public-key", &public_path, NULL},
      {"--force", NULL, &force},            {"--recover", NULL, &recover},
      {"--text", NULL, &text},
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
  if (secret_path == NULL || public_path == NULL) {
    fprintf(stderr, "ospolicy keygen: --secret-key and --public-key are required\n");
    keygen_usage(stderr);
    return CLI_EXIT_USAGE;
  }
  if (sodium_init() < 0) {
    fprintf(stderr, "ospolicy keygen: libsodium could not be initialized\n");
    return CLI_EXIT_UNREADABLE;
  }
  if (recover) {
    return recover_public(secret_path, public_path, force, text, &passphrase);
  }
  cli_target secret, public_key;
  if (cli_target_open("keygen", secret_path, false, &secret) != 0) {
    return CLI_EXIT_UNREADABLE;
  }
  if (cli_target_open("keygen", public_path, false, &public_key) != 0) {
    cli_target_close(&secret);
    return CLI_EXIT_UNREADABLE;
  }
  int rc = CLI_EXIT_OK;
  if (cli_target_same(&secret, &public_key)) {
    /* Two spellings, a symbolic link or a hard link of one file. */
    fprintf(stderr, "ospolicy keygen: %s and %s are the same file; give two different files\n",
            secret_path, public_path);
    rc = CLI_EXIT_USAGE;
  } else if (!force && (secret.fd >= 0 || public_key.fd >= 0)) {
    fprintf(stderr, "ospolicy keygen: %s exists; not overwriting it without --force\n",
            secret.fd >= 0 ? secret_path : public_path);
    rc = CLI_EXIT_FINDING;
  }
  OSPolicy_ModsignKeyFile key;
  memset(&key, 0, sizeof key);
  if (rc == CLI_EXIT_OK &&
      (crypto_sign_keypair(key.public_key, key.secret_key) != 0 ||
       OSPolicy_ComputeModsignKeyId(key.public_key, key.key_id) != OSPOLICY_OK)) {
    fprintf(stderr, "ospolicy keygen: key generation failed\n");
    rc = CLI_EXIT_UNREADABLE;
  }
  uint8_t secret_file[OSPOLICY_MODSIGN_SEALED_KEY_FILE_SIZE];
  uint8_t *public_file = NULL;
  size_t secret_size = 0, public_size = 0;
  char id_hex[2 * OSPOLICY_MODSIGN_KEY_ID_SIZE + 1];
  if (rc == CLI_EXIT_OK && cli_passphrase_given(&passphrase)) {
    /* Encode the public key first: sealing wipes the secret half. */
    rc = encode_public(&key, text, &public_file, &public_size);
    if (rc == CLI_EXIT_OK) {
      rc = cli_seal_key("keygen", &passphrase, &key);
    }
  }
  if (rc == CLI_EXIT_OK) {
    key.is_secret = 1;
    OSPolicy_Status s1 =
        OSPolicy_EncodeModsignKeyFile(&key, secret_file, sizeof secret_file, &secret_size);
    cli_hex_string(key.key_id, OSPOLICY_MODSIGN_KEY_ID_SIZE, id_hex);
    if (s1 != OSPOLICY_OK) {
      fprintf(stderr, "ospolicy keygen: could not encode the key files\n");
      rc = CLI_EXIT_UNREADABLE;
    } else if (public_file == NULL) {
      rc = encode_public(&key, text, &public_file, &public_size);
    }
  }
  sodium_memzero(&key, sizeof key);
  if (rc == CLI_EXIT_OK) {
    rc = write_pair(secret_path, &secret, secret_file, secret_size, public_path, &public_key,
                    public_file, public_size, force);
  }
  sodium_memzero(secret_file, sizeof secret_file);
  free(public_file);
  cli_target_close(&secret);
  cli_target_close(&public_key);
  if (rc == CLI_EXIT_OK) {
    printf("key id %s\nsecret key %s (mode 0600)\npublic key %s\n", id_hex, secret_path,
           public_path);
  }
  return rc;
}
