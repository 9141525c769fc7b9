/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
#include "cli_modsign.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli_files.h"
#include "commands.h"

void cli_hex_string(const uint8_t *bytes, size_t n, char *out) {
  static const char digits[] = "0123456789abcdef";
  for (size_t i = 0; i < n; i++) {
    out[2 * i] = digits[bytes[i] >> 4];
    out[2 * i + 1] = digits[bytes[i] & 0x0F];
  }
  out[2 * n] = '\0';
}

int cli_parse_hex(const char *text, uint8_t *out, size_t n) {
  if (strlen(text) != 2 * n) {
    return -1;
  }
  for (size_t i = 0; i < n; i++) {
    unsigned value = 0;
    for (size_t j = 0; j < 2; j++) {
      char c = text[2 * i + j];
      unsigned digit;
      if (c >= '0' && c <= '9') {
        digit = (unsigned)(c - '0');
      } else if (c >= 'a' && c <= 'f') {
        digit = (unsigned)(c - 'a' + 10);
      } else if (c >= 'A' && c <= 'F') {
        digit = (unsigned)(c - 'A' + 10);
      } else {
        return -1;
      }
      value = value * 16u + digit;
    }
    out[i] = (uint8_t)value;
  }
  return 0;
}

int cli_parse_u64(const char *text, uint64_t *value) {
  if (text[0] < '0' || text[0] > '9') {
    return -1;
  }
  char *end = NULL;
  errno = 0;
  unsigned long long parsed = strtoull(text, &end, 10);
  if (errno != 0 || *end != '\0') {
    return -1;
  }
  *value = (uint64_t)parsed;
  return 0;
}

const char *cli_base_name(const char *path) {
  const char *slash = strrchr(path, '/');
  return slash != NULL ? slash + 1 : path;
}

char *cli_default_signature_path(const char *object_path) {
  size_t length = strlen(object_path) + 5;
  char *path = malloc(length);
  if (path != NULL) {
    snprintf(path, length, "%s.sig", object_path);
  }
  return path;
}

void cli_report_status(const char *tool, const char *subject, OSPolicy_Status status,
                       size_t offset, OSPolicy_ModsignField field) {
  fprintf(stderr, "ospolicy %s: %s: %s: %s", tool, subject, OSPolicy_StatusName(status),
          OSPolicy_StatusText(status));
  if (field != OSPOLICY_MODSIGN_FIELD_NONE) {
    fprintf(stderr, " (field %s, byte offset %zu)", OSPolicy_ModsignFieldName(field), offset);
  }
  fputc('\n', stderr);
}

int cli_parse_kind(const char *tool, const char *text, uint32_t *kind) {
  *kind = OSPolicy_ModsignKindFromName(text, strlen(text));
  if (*kind == OSPOLICY_MODSIGN_KIND_UNSET) {
    fprintf(stderr, "ospolicy %s: --kind: '%s' is not kernel, module, loader, data or agent\n", tool,
            text);
    return -1;
  }
  return 0;
}

int cli_check_name(const char *tool, const char *name) {
  if (!OSPolicy_IsValidModsignName(name, strlen(name))) {
    fprintf(stderr,
            "ospolicy %s: name '%s' is not 1..%u characters of A-Z a-z 0-9 . _ + - "
            "(give --name)\n",
            tool, name, OSPOLICY_MODSIGN_NAME_MAX);
    return -1;
  }
  return 0;
}

/* A secret key's public half must be the one its seed derives. */
static bool secret_half_matches(const OSPolicy_ModsignKeyFile *key) {
  uint8_t pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
  int rc = crypto_sign_seed_keypair(pk, sk, key->secret_key);
  bool same = rc == 0 && memcmp(pk, key->public_key, sizeof pk) == 0;
  sodium_memzero(sk, sizeof sk);
  return same;
}

int cli_unwrap_text(const char *tool, const char *path, uint8_t *buf, size_t *size,
                    size_t capacity) {
  if (!OSPolicy_IsModsignText(buf, *size)) {
    return CLI_EXIT_OK;
  }
  uint8_t *decoded = malloc(capacity);
  if (decoded == NULL) {
    fprintf(stderr, "ospolicy %s: out of memory\n", tool);
    return CLI_EXIT_UNREADABLE;
  }
  OSPolicy_ModsignText text;
  OSPolicy_Status status = OSPolicy_DecodeModsignText(buf, *size, decoded, capacity, &text);
  if (status == OSPOLICY_ERR_BUFFER_TOO_SMALL) {
    /* More than any binary file of this kind: the parser reports it. */
    status = OSPOLICY_ERR_MODSIGN_TRAILING_DATA;
    text.error_field = OSPOLICY_MODSIGN_FIELD_BASE64;
    text.error_offset = *size;
  }
  if (status != OSPOLICY_OK) {
    cli_report_status(tool, path, status, text.error_offset, text.error_field);
    sodium_memzero(decoded, capacity);
    free(decoded);
    return CLI_EXIT_FINDING;
  }
  memcpy(buf, decoded, text.payload_size);
  *size = text.payload_size;
  sodium_memzero(decoded, capacity);
  free(decoded);
  return CLI_EXIT_OK;
}

int cli_wrap_text(const char *tool, const char *comment, const uint8_t *payload, size_t size,
                  uint8_t **out, size_t *out_size) {
  size_t needed = 0;
  *out = NULL;
  OSPolicy_Status sized =
      OSPolicy_EncodeModsignText(comment, strlen(comment), payload, size, NULL, 0, &needed);
  uint8_t *text = sized == OSPOLICY_ERR_BUFFER_TOO_SMALL ? malloc(needed) : NULL;
  if (text == NULL ||
      OSPolicy_EncodeModsignText(comment, strlen(comment), payload, size, text, needed,
                                 out_size) != OSPOLICY_OK) {
    fprintf(stderr, "ospolicy %s: could not encode the text form\n", tool);
    free(text);
    return -1;
  }
  *out = text;
  return 0;
}

int cli_load_key(const char *tool, const char *path, bool want_secret,
                 OSPolicy_ModsignKeyFile *key, struct stat *st,
                 const cli_passphrase_source *passphrase) {
  uint8_t buf[CLI_KEY_TEXT_MAX + 1];
  size_t size = 0;
  struct stat local;
  struct stat *info = st != NULL ? st : &local;
  memset(key, 0, sizeof *key);
  if (cli_read_small_file(tool, path, CLI_KEY_TEXT_MAX, buf, &size, false, info) != 0) {
    return CLI_EXIT_UNREADABLE;
  }
  int rc = cli_unwrap_text(tool, path, buf, &size, sizeof buf);
  if (rc != CLI_EXIT_OK) {
    sodium_memzero(buf, sizeof buf);
    return rc;
  }
  OSPolicy_Status status = OSPolicy_ParseModsignKeyFile(buf, size, key);
  uint8_t header[OSPOLICY_MODSIGN_SEALED_HEADER_SIZE];
  memcpy(header, buf, size < sizeof header ? size : sizeof header);
  sodium_memzero(buf, sizeof buf);
  if (status != OSPOLICY_OK) {
    cli_report_status(tool, path, status, key->error_offset, key->error_field);
    return CLI_EXIT_FINDING;
  }
  if (want_secret && key->is_secret == 0u) {
    fprintf(stderr, "ospolicy %s: %s: this is a public key; a secret key is needed\n", tool, path);
    return CLI_EXIT_USAGE;
  }
  if (!want_secret && key->is_secret != 0u) {
    fprintf(stderr, "ospolicy %s: %s: this is a secret key; give the public key\n", tool, path);
    sodium_memzero(key, sizeof *key);
    return CLI_EXIT_USAGE;
  }
  if (key->is_sealed != 0u && want_secret) {
    /* The mode rule holds for sealed keys too (checked below first). */
    if ((info->st_mode & 077) == 0) {
      int unsealed = cli_unseal_key(tool, path, passphrase, header, key);
      if (unsealed != CLI_EXIT_OK) {
        sodium_memzero(key, sizeof *key);
        return unsealed;
      }
    }
  }
  if (key->is_secret != 0u && (info->st_mode & 077) != 0) {
    /* As ssh does: a secret key others can read is refused, not used. The
     * mode is the one of the file that was read (fstat), not of the path. */
    fprintf(stderr,
            "ospolicy %s: %s: secret key is accessible by group or others (mode %04o); refusing "
            "to use it (chmod 600 %s)\n",
            tool, path, (unsigned)(info->st_mode & 07777), path);
    sodium_memzero(key, sizeof *key);
    return CLI_EXIT_FINDING;
  }
  uint8_t id[OSPOLICY_MODSIGN_KEY_ID_SIZE];
  if (OSPolicy_ComputeModsignKeyId(key->public_key, id) != OSPOLICY_OK ||
      memcmp(id, key->key_id, sizeof id) != 0) {
    fprintf(stderr,
            "ospolicy %s: %s: key id does not match the key (corrupt key file: a key id must be "
            "the first 8 bytes of SHA-512 of its public key)\n",
            tool, path);
    sodium_memzero(key, sizeof *key);
    return CLI_EXIT_FINDING;
  }
  if (key->is_secret != 0u && !secret_half_matches(key)) {
    fprintf(stderr, "ospolicy %s: %s: public half does not match the seed (corrupt key file)\n",
            tool, path);
    sodium_memzero(key, sizeof *key);
    return CLI_EXIT_FINDING;
  }
  return CLI_EXIT_OK;
}

/* Parses trust-set bytes and checks the key ids (the parser cannot hash). */
static int parse_trust(const char *tool, const char *path, const uint8_t *buf, size_t size,
                       OSPolicy_ModsignTrustSet *trust) {
  OSPolicy_Status status = OSPolicy_ParseModsignTrustSet(buf, size, trust);
  if (status != OSPOLICY_OK) {
    cli_report_status(tool, path, status, trust->error_offset, trust->error_field);
    return CLI_EXIT_FINDING;
  }
  size_t bad = 0;
  status = OSPolicy_CheckModsignKeyIds(trust, &bad);
  if (status != OSPOLICY_OK) {
    fprintf(stderr,
            "ospolicy %s: %s: %s: key %zu: its key id is not the one its public key derives "
            "(field key-id, byte offset %zu)\n",
            tool, path, OSPolicy_StatusName(status), bad,
            (size_t)OSPOLICY_MODSIGN_TRUST_HEADER_SIZE + bad * OSPOLICY_MODSIGN_TRUST_KEY_SIZE);
    return CLI_EXIT_FINDING;
  }
  return CLI_EXIT_OK;
}

int cli_load_trust_fd(const char *tool, const char *path, int fd,
                      OSPolicy_ModsignTrustSet *trust) {
  static uint8_t buf[OSPOLICY_MODSIGN_TRUST_MAX_SIZE + 1];
  size_t size = 0;
  memset(trust, 0, sizeof *trust);
  int err = lseek(fd, 0, SEEK_SET) == 0 ? cli_read_fd(fd, OSPOLICY_MODSIGN_TRUST_MAX_SIZE, buf,
                                                       &size)
                                        : errno;
  if (err != 0) {
    fprintf(stderr, "ospolicy %s: %s: %s\n", tool, path, strerror(err));
    return CLI_EXIT_UNREADABLE;
  }
  return parse_trust(tool, path, buf, size, trust);
}

int cli_load_trust(const char *tool, const char *path, OSPolicy_ModsignTrustSet *trust) {
  static uint8_t buf[OSPOLICY_MODSIGN_TRUST_MAX_SIZE + 1];
  size_t size = 0;
  memset(trust, 0, sizeof *trust);
  if (cli_read_small_file(tool, path, OSPOLICY_MODSIGN_TRUST_MAX_SIZE, buf, &size, false,
                          NULL) != 0) {
    return CLI_EXIT_UNREADABLE;
  }
  return parse_trust(tool, path, buf, size, trust);
}
