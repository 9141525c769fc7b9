/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * Passphrase-protected ("sealed") secret keys (docs/modsign.md, "Sealed
 * secret keys"): the 32-byte seed encrypted with XChaCha20-Poly1305 under a
 * key that libsodium's crypto_pwhash (Argon2id) derives from the passphrase
 * and a random salt; the file's 112-byte header (magic, key id, public key,
 * KDF limits, salt, nonce) is the associated data, so no byte of it can be
 * changed unnoticed.
 *
 * Where the passphrase comes from, in this order: --passphrase-fd N (the
 * first line read from descriptor N, for CI: `--passphrase-fd 3
 * 3<secret-file`), --passphrase-env NAME (the environment variable NAME),
 * or, with --passphrase or when a sealed key is read and neither was given,
 * a prompt on /dev/tty with echo off (twice when a key is created). Without
 * a terminal and without fd/env the command fails and says how to give it.
 */
#ifndef OSPOLICY_CLI_PASSPHRASE_H
#define OSPOLICY_CLI_PASSPHRASE_H

#include <stdbool.h>
#include <stddef.h>

#include "ospolicy/modsign.h"

#define CLI_PASSPHRASE_MAX 1024u

typedef struct cli_passphrase_source {
  const char *fd_text;  /* --passphrase-fd N */
  const char *env_name; /* --passphrase-env NAME */
  bool prompt;          /* --passphrase */
} cli_passphrase_source;

/* Whether any passphrase option was given. */
bool cli_passphrase_given(const cli_passphrase_source *source);

/* Seals key->secret_key (the key becomes sealed: secret_key is wiped) with a
 * passphrase from `source` (asked twice on a terminal). CLI_EXIT_OK or the
 * exit status after a message. */
int cli_seal_key(const char *tool, const cli_passphrase_source *source,
                 OSPolicy_ModsignKeyFile *key);

/* Unseals a sealed key (fills key->secret_key) with a passphrase from
 * `source`; header is the file's first OSPOLICY_MODSIGN_SEALED_HEADER_SIZE
 * bytes. A wrong passphrase or a changed file is exit 1. */
int cli_unseal_key(const char *tool, const char *path, const cli_passphrase_source *source,
                   const uint8_t *header, OSPolicy_ModsignKeyFile *key);

#endif
