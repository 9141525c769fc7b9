/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * `ospolicy key show FILE` and `ospolicy envelope show FILE`
 * (docs/modsign.md): print what a key file or an envelope says, binary or
 * text form, without verifying anything (a secret key's secret half is never
 * printed). Exit 0: printed; 1: the file is malformed; 2: usage error; 3:
 * the file could not be read.
 */
#include <inttypes.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli_files.h"
#include "cli_modsign.h"
#include "cli_options.h"
#include "commands.h"

static void key_usage(FILE *out) {
  fprintf(out,
          "usage: ospolicy key show FILE\n\n"
          "Prints a public or secret key file (binary or text form): its key id, its\n"
          "public key, and the text form of the public key to paste into a README or\n"
          "a CI secret. A secret key's secret half is never printed. Exit 0: printed;\n"
          "1: malformed; 2: usage; 3: unreadable.\n");
}

static void envelope_usage(FILE *out) {
  fprintf(out,
          "usage: ospolicy envelope show FILE\n\n"
          "Prints every field of a signature envelope (binary or text form) without\n"
          "verifying it: `ospolicy verify` decides whether it is valid. Exit 0: printed;\n"
          "1: malformed; 2: usage; 3: unreadable.\n");
}

/* Parses `show FILE` after the command's name. */
static bool show_arguments(const char *tool, void (*usage)(FILE *), int argc, char **argv,
                           const char **path, int *exit_status) {
  *path = NULL;
  if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
    usage(stdout);
    *exit_status = CLI_EXIT_OK;
    return false;
  }
  if (argc < 2 || strcmp(argv[1], "show") != 0) {
    fprintf(stderr, "ospolicy %s: the only action is 'show'\n", tool);
    usage(stderr);
    *exit_status = CLI_EXIT_USAGE;
    return false;
  }
  const cli_options options = {.tool = tool,
                               .action = "show",
                               .usage = usage,
                               .help = true,
                               .table = NULL,
                               .table_size = 0,
                               .positional = path};
  if (!cli_parse_options(&options, argc - 1, argv + 1, exit_status)) {
    return false;
  }
  if (*path == NULL) {
    fprintf(stderr, "ospolicy %s show: FILE is required\n", tool);
    usage(stderr);
    *exit_status = CLI_EXIT_USAGE;
    return false;
  }
  return true;
}

int cli_key(int argc, char **argv) {
  const char *path = NULL;
  int exit_status = CLI_EXIT_OK;
  if (!show_arguments("key", key_usage, argc, argv, &path, &exit_status)) {
    return exit_status;
  }
  uint8_t buf[CLI_KEY_TEXT_MAX + 1];
  size_t size = 0;
  struct stat st;
  if (cli_read_small_file("key", path, CLI_KEY_TEXT_MAX, buf, &size, false, &st) != 0) {
    return CLI_EXIT_UNREADABLE;
  }
  int rc = cli_unwrap_text("key", path, buf, &size, sizeof buf);
  OSPolicy_ModsignKeyFile key;
  memset(&key, 0, sizeof key);
  if (rc == CLI_EXIT_OK) {
    OSPolicy_Status status = OSPolicy_ParseModsignKeyFile(buf, size, &key);
    if (status != OSPOLICY_OK) {
      cli_report_status("key", path, status, key.error_offset, key.error_field);
      rc = CLI_EXIT_FINDING;
    }
  }
  sodium_memzero(buf, sizeof buf);
  if (rc != CLI_EXIT_OK) {
    sodium_memzero(&key, sizeof key);
    return rc;
  }
  bool secret = key.is_secret != 0u;
  sodium_memzero(key.secret_key, sizeof key.secret_key);
  char id_hex[2 * OSPOLICY_MODSIGN_KEY_ID_SIZE + 1];
  char pk_hex[2 * OSPOLICY_MODSIGN_PUBLIC_KEY_SIZE + 1];
  cli_hex_string(key.key_id, OSPOLICY_MODSIGN_KEY_ID_SIZE, id_hex);
  cli_hex_string(key.public_key, OSPOLICY_MODSIGN_PUBLIC_KEY_SIZE, pk_hex);
  uint8_t derived[OSPOLICY_MODSIGN_KEY_ID_SIZE];
  bool id_ok = OSPolicy_ComputeModsignKeyId(key.public_key, derived) == OSPOLICY_OK &&
               memcmp(derived, key.key_id, sizeof derived) == 0;
  printf("%s key %s\nkey id %s%s\npublic key %s\n", secret ? "secret" : "public", path, id_hex,
         id_ok ? "" : " (DOES NOT MATCH the public key: corrupt file)", pk_hex);
  if (key.is_sealed != 0u) {
    printf("sealed with a passphrase (Argon2id, %llu passes, %llu KiB; XChaCha20-Poly1305)\n",
           (unsigned long long)key.opslimit, (unsigned long long)(key.memlimit / 1024u));
  } else if (secret) {
    printf("not sealed (no passphrase)\n");
  }
  if (secret) {
    printf("mode %04o%s\n", (unsigned)(st.st_mode & 07777),
           (st.st_mode & 077) != 0 ? " (group or others may access it: signing refuses it)"
                                   : "");
  }
  key.is_secret = 0;
  key.is_sealed = 0;
  uint8_t binary[OSPOLICY_MODSIGN_PUBLIC_KEY_FILE_SIZE];
  size_t binary_size = 0;
  uint8_t *text = NULL;
  size_t text_size = 0;
  char comment[64];
  snprintf(comment, sizeof comment, "ospolicy public key %s", id_hex);
  if (OSPolicy_EncodeModsignKeyFile(&key, binary, sizeof binary, &binary_size) == OSPOLICY_OK &&
      cli_wrap_text("key", comment, binary, binary_size, &text, &text_size) == 0) {
    printf("public key, text form:\n");
    fwrite(text, 1, text_size, stdout);
    free(text);
  }
  sodium_memzero(&key, sizeof key);
  return id_ok ? CLI_EXIT_OK : CLI_EXIT_FINDING;
}

int cli_envelope(int argc, char **argv) {
  const char *path = NULL;
  int exit_status = CLI_EXIT_OK;
  if (!show_arguments("envelope", envelope_usage, argc, argv, &path, &exit_status)) {
    return exit_status;
  }
  uint8_t buf[CLI_ENVELOPE_TEXT_MAX + 1];
  size_t size = 0;
  if (cli_read_small_file("envelope", path, CLI_ENVELOPE_TEXT_MAX, buf, &size, false, NULL) !=
      0) {
    return CLI_EXIT_UNREADABLE;
  }
  bool text = OSPolicy_IsModsignText(buf, size);
  char untrusted[OSPOLICY_MODSIGN_TEXT_COMMENT_MAX + 1] = "";
  if (text) {
    OSPolicy_ModsignText info;
    static uint8_t scratch[CLI_ENVELOPE_TEXT_MAX + 1];
    if (OSPolicy_DecodeModsignText(buf, size, scratch, sizeof scratch, &info) == OSPOLICY_OK) {
      memcpy(untrusted, buf + info.comment_offset, info.comment_length);
      untrusted[info.comment_length] = '\0';
    }
  }
  int rc = cli_unwrap_text("envelope", path, buf, &size, sizeof buf);
  if (rc != CLI_EXIT_OK) {
    return rc;
  }
  OSPolicy_ModsignEnvelope e;
  OSPolicy_Status status = OSPolicy_ParseModsignEnvelope(buf, size, &e);
  if (status != OSPOLICY_OK) {
    cli_report_status("envelope", path, status, e.error_offset, e.error_field);
    if (e.error_field == OSPOLICY_MODSIGN_FIELD_VERSION) {
      fprintf(stderr, "ospolicy envelope: only envelope version %u is accepted\n",
              OSPOLICY_MODSIGN_VERSION);
    }
    return CLI_EXIT_FINDING;
  }
  char id_hex[2 * OSPOLICY_MODSIGN_KEY_ID_SIZE + 1];
  char digest_hex[2 * OSPOLICY_MODSIGN_DIGEST_SIZE + 1];
  char signature_hex[2 * OSPOLICY_MODSIGN_SIGNATURE_SIZE + 1];
  cli_hex_string(e.key_id, OSPOLICY_MODSIGN_KEY_ID_SIZE, id_hex);
  cli_hex_string(e.digest, OSPOLICY_MODSIGN_DIGEST_SIZE, digest_hex);
  cli_hex_string(e.signature, OSPOLICY_MODSIGN_SIGNATURE_SIZE, signature_hex);
  printf("envelope %s (%s form; NOT VERIFIED: run `ospolicy verify`)\n", path,
         text ? "text" : "binary");
  if (text) {
    printf("untrusted comment: %s\n", untrusted);
  }
  printf("version %u, algorithm %u (Ed25519 over the statement, BLAKE2b-512 object digest)\n"
         "kind %s\nname %s\ngeneration %" PRIu64 "\nobject size %" PRIu64
         " bytes\nblake2b-512 %s\nkey id %s\ntrusted comment: %s\nsignature %s\n",
         e.version, e.algorithm, OSPolicy_ModsignKindName(e.kind), e.name, e.generation,
         e.object_size, digest_hex, id_hex, e.comment, signature_hex);
  return CLI_EXIT_OK;
}
