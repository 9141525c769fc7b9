/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
#include "cli_passphrase.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "commands.h"

/* Argon2id limits for new keys: libsodium's "interactive" level (2 passes,
 * 64 MiB), a fraction of a second. */
#define SEAL_OPSLIMIT crypto_pwhash_OPSLIMIT_INTERACTIVE
#define SEAL_MEMLIMIT crypto_pwhash_MEMLIMIT_INTERACTIVE

_Static_assert(crypto_pwhash_SALTBYTES == OSPOLICY_MODSIGN_SEALED_SALT_SIZE, "salt size");
_Static_assert(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES == OSPOLICY_MODSIGN_SEALED_NONCE_SIZE,
               "nonce size");
_Static_assert(32u + crypto_aead_xchacha20poly1305_ietf_ABYTES ==
                   OSPOLICY_MODSIGN_SEALED_CIPHERTEXT_SIZE,
               "ciphertext size");

bool cli_passphrase_given(const cli_passphrase_source *source) {
  return source != NULL &&
         (source->fd_text != NULL || source->env_name != NULL || source->prompt);
}

/* Reads one line (without its LF) from fd. 0 or -1. */
static int read_line(int fd, char *out, size_t capacity, size_t *length) {
  size_t n = 0;
  for (;;) {
    char c;
    ssize_t got = read(fd, &c, 1);
    if (got < 0 && errno == EINTR) {
      continue;
    }
    if (got <= 0 || c == '\n') {
      break;
    }
    if (n + 1u >= capacity) {
      return -1;
    }
    out[n++] = c;
  }
  if (n > 0 && out[n - 1] == '\r') {
    n--;
  }
  out[n] = '\0';
  *length = n;
  return 0;
}

static int prompt_tty(const char *tool, const char *question, char *out, size_t capacity,
                      size_t *length) {
  int tty = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);
  if (tty < 0) {
    fprintf(stderr,
            "ospolicy %s: a passphrase is needed and there is no terminal: give "
            "--passphrase-fd N or --passphrase-env NAME\n",
            tool);
    return CLI_EXIT_USAGE;
  }
  struct termios saved, quiet;
  bool restore = tcgetattr(tty, &saved) == 0;
  if (restore) {
    quiet = saved;
    quiet.c_lflag &= ~(tcflag_t)ECHO;
    (void)tcsetattr(tty, TCSAFLUSH, &quiet);
  }
  (void)!write(tty, question, strlen(question));
  int rc = read_line(tty, out, capacity, length);
  (void)!write(tty, "\n", 1);
  if (restore) {
    (void)tcsetattr(tty, TCSAFLUSH, &saved);
  }
  close(tty);
  if (rc != 0) {
    fprintf(stderr, "ospolicy %s: passphrase longer than %u bytes\n", tool, CLI_PASSPHRASE_MAX);
    return CLI_EXIT_USAGE;
  }
  return CLI_EXIT_OK;
}

/* The passphrase, from the first source given. */
static int get_passphrase(const char *tool, const cli_passphrase_source *source, bool confirm,
                          char *out, size_t capacity, size_t *length) {
  *length = 0;
  if (source != NULL && source->fd_text != NULL) {
    char *end = NULL;
    long fd = strtol(source->fd_text, &end, 10);
    if (end == source->fd_text || *end != '\0' || fd < 0 || fd > 1000000) {
      fprintf(stderr, "ospolicy %s: --passphrase-fd: '%s' is not a descriptor number\n", tool,
              source->fd_text);
      return CLI_EXIT_USAGE;
    }
    if (read_line((int)fd, out, capacity, length) != 0) {
      fprintf(stderr, "ospolicy %s: --passphrase-fd %ld: unreadable or longer than %u bytes\n",
              tool, fd, CLI_PASSPHRASE_MAX);
      return CLI_EXIT_UNREADABLE;
    }
  } else if (source != NULL && source->env_name != NULL) {
    const char *value = getenv(source->env_name);
    if (value == NULL) {
      fprintf(stderr, "ospolicy %s: --passphrase-env: %s is not set\n", tool, source->env_name);
      return CLI_EXIT_USAGE;
    }
    *length = strlen(value);
    if (*length >= capacity) {
      fprintf(stderr, "ospolicy %s: passphrase longer than %u bytes\n", tool, CLI_PASSPHRASE_MAX);
      return CLI_EXIT_USAGE;
    }
    memcpy(out, value, *length + 1u);
  } else {
    int rc = prompt_tty(tool, "passphrase: ", out, capacity, length);
    if (rc != CLI_EXIT_OK) {
      return rc;
    }
    if (confirm) {
      char again[CLI_PASSPHRASE_MAX + 1];
      size_t again_length = 0;
      rc = prompt_tty(tool, "passphrase again: ", again, sizeof again, &again_length);
      bool same = rc == CLI_EXIT_OK && again_length == *length &&
                  sodium_memcmp(again, out, *length) == 0;
      sodium_memzero(again, sizeof again);
      if (rc != CLI_EXIT_OK) {
        return rc;
      }
      if (!same) {
        fprintf(stderr, "ospolicy %s: the two passphrases differ\n", tool);
        return CLI_EXIT_USAGE;
      }
    }
  }
  if (*length == 0u) {
    fprintf(stderr, "ospolicy %s: the passphrase is empty\n", tool);
    return CLI_EXIT_USAGE;
  }
  return CLI_EXIT_OK;
}

static int derive(const char *tool, const char *passphrase, size_t length,
                  const OSPolicy_ModsignKeyFile *key, uint8_t out[32]) {
  if (crypto_pwhash(out, 32, passphrase, length, key->salt, key->opslimit,
                    (size_t)key->memlimit, crypto_pwhash_ALG_ARGON2ID13) != 0) {
    fprintf(stderr, "ospolicy %s: Argon2id needs %llu bytes of memory and could not get them\n",
            tool, (unsigned long long)key->memlimit);
    return CLI_EXIT_UNREADABLE;
  }
  return CLI_EXIT_OK;
}

int cli_seal_key(const char *tool, const cli_passphrase_source *source,
                 OSPolicy_ModsignKeyFile *key) {
  char passphrase[CLI_PASSPHRASE_MAX + 1];
  size_t length = 0;
  int rc = get_passphrase(tool, source, true, passphrase, sizeof passphrase, &length);
  if (rc != CLI_EXIT_OK) {
    sodium_memzero(passphrase, sizeof passphrase);
    return rc;
  }
  key->is_secret = 1;
  key->is_sealed = 1;
  key->opslimit = SEAL_OPSLIMIT;
  key->memlimit = SEAL_MEMLIMIT;
  randombytes_buf(key->salt, sizeof key->salt);
  randombytes_buf(key->nonce, sizeof key->nonce);
  uint8_t derived[32];
  rc = derive(tool, passphrase, length, key, derived);
  sodium_memzero(passphrase, sizeof passphrase);
  uint8_t header[OSPOLICY_MODSIGN_SEALED_KEY_FILE_SIZE];
  size_t size = 0;
  if (rc == CLI_EXIT_OK &&
      OSPolicy_EncodeModsignKeyFile(key, header, sizeof header, &size) != OSPOLICY_OK) {
    rc = CLI_EXIT_UNREADABLE;
  }
  unsigned long long written = 0;
  if (rc == CLI_EXIT_OK &&
      crypto_aead_xchacha20poly1305_ietf_encrypt(
          key->ciphertext, &written, key->secret_key, 32, header,
          OSPOLICY_MODSIGN_SEALED_HEADER_SIZE, NULL, key->nonce, derived) != 0) {
    rc = CLI_EXIT_UNREADABLE;
  }
  sodium_memzero(derived, sizeof derived);
  sodium_memzero(key->secret_key, sizeof key->secret_key);
  if (rc != CLI_EXIT_OK) {
    fprintf(stderr, "ospolicy %s: could not seal the secret key\n", tool);
  }
  return rc;
}

int cli_unseal_key(const char *tool, const char *path, const cli_passphrase_source *source,
                   const uint8_t *header, OSPolicy_ModsignKeyFile *key) {
  char passphrase[CLI_PASSPHRASE_MAX + 1];
  size_t length = 0;
  int rc = get_passphrase(tool, source, false, passphrase, sizeof passphrase, &length);
  uint8_t derived[32];
  if (rc == CLI_EXIT_OK) {
    rc = derive(tool, passphrase, length, key, derived);
  }
  sodium_memzero(passphrase, sizeof passphrase);
  if (rc != CLI_EXIT_OK) {
    return rc;
  }
  uint8_t seed[32];
  unsigned long long opened = 0;
  int bad = crypto_aead_xchacha20poly1305_ietf_decrypt(
      seed, &opened, NULL, key->ciphertext, sizeof key->ciphertext, header,
      OSPOLICY_MODSIGN_SEALED_HEADER_SIZE, key->nonce, derived);
  sodium_memzero(derived, sizeof derived);
  uint8_t pk[32];
  if (bad != 0 || opened != 32u || crypto_sign_seed_keypair(pk, key->secret_key, seed) != 0 ||
      memcmp(pk, key->public_key, sizeof pk) != 0) {
    sodium_memzero(seed, sizeof seed);
    sodium_memzero(key->secret_key, sizeof key->secret_key);
    fprintf(stderr,
            "ospolicy %s: %s: wrong passphrase, or the sealed key file was changed "
            "(authentication failed)\n",
            tool, path);
    return CLI_EXIT_FINDING;
  }
  sodium_memzero(seed, sizeof seed);
  key->is_sealed = 0;
  return CLI_EXIT_OK;
}
