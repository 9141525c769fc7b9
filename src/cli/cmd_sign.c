/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * `ospolicy sign --secret-key FILE --kind KIND [--name NAME] --generation N
 * [--output SIG] OBJECT` (docs/modsign.md): signs OBJECT and writes the
 * envelope to SIG (default OBJECT.sig, replaced atomically). Exit 0: signed;
 * 1: refused; 2: usage error; 3: a file could not be read or written.
 */
#include <inttypes.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_files.h"
#include "cli_modsign.h"
#include "cli_options.h"
#include "commands.h"

static void sign_usage(FILE *out) {
  fprintf(out,
          "usage: ospolicy sign --secret-key FILE --kind KIND [--name NAME] --generation N\n"
          "                     [--output SIG] OBJECT\n\n"
          "Signs OBJECT (Ed25519ph over a statement binding kind, name, generation,\n"
          "length, SHA-256 and key id, then the object) and writes the envelope to SIG\n"
          "(default OBJECT.sig). KIND: kernel, module, loader, data or agent. NAME defaults\n"
          "to OBJECT's file name. Exit 0: signed; 1: refused; 2: usage; 3: unreadable.\n");
}

int cli_sign(int argc, char **argv) {
  const char *secret_path = NULL, *kind_text = NULL, *name = NULL, *output = NULL;
  const char *object_path = NULL, *generation_text = NULL;
  const cli_option table[] = {
      {"--secret-key", &secret_path, NULL},
      {"--kind", &kind_text, NULL},
      {"--name", &name, NULL},
      {"--generation", &generation_text, NULL},
      {"--output", &output, NULL},
  };
  const cli_options options = {.tool = "sign",
                               .usage = sign_usage,
                               .help = true,
                               .table = table,
                               .table_size = CLI_OPTION_COUNT(table),
                               .positional = &object_path};
  int exit_status = CLI_EXIT_OK;
  if (!cli_parse_options(&options, argc, argv, &exit_status)) {
    return exit_status;
  }
  if (secret_path == NULL || kind_text == NULL || generation_text == NULL ||
      object_path == NULL) {
    fprintf(stderr, "ospolicy sign: --secret-key, --kind, --generation and OBJECT are required\n");
    sign_usage(stderr);
    return CLI_EXIT_USAGE;
  }
  uint32_t kind = 0;
  uint64_t generation = 0;
  if (name == NULL) {
    name = cli_base_name(object_path);
  }
  if (cli_parse_kind("sign", kind_text, &kind) != 0 || cli_check_name("sign", name) != 0) {
    return CLI_EXIT_USAGE;
  }
  if (cli_parse_u64(generation_text, &generation) != 0) {
    fprintf(stderr, "ospolicy sign: --generation: '%s' is not a number 0..2^64-1\n",
            generation_text);
    return CLI_EXIT_USAGE;
  }
  if (sodium_init() < 0) {
    fprintf(stderr, "ospolicy sign: libsodium could not be initialized\n");
    return CLI_EXIT_UNREADABLE;
  }
  OSPolicy_ModsignKeyFile key;
  int rc = cli_load_key("sign", secret_path, true, &key);
  if (rc != CLI_EXIT_OK) {
    return rc;
  }
  cli_mapped_file object;
  if (cli_map_file("sign", object_path, &object) != 0) {
    sodium_memzero(&key, sizeof key);
    return CLI_EXIT_UNREADABLE;
  }
  OSPolicy_ModsignSignRequest request = {
      .kind = kind, .name = name, .name_length = strlen(name), .generation = generation};
  uint8_t envelope[OSPOLICY_MODSIGN_ENVELOPE_MAX_SIZE];
  size_t size = 0;
  OSPolicy_Status status = OSPolicy_SignModsign(key.secret_key, &request, object.data,
                                                object.size, envelope, sizeof envelope, &size);
  char id_hex[2 * OSPOLICY_MODSIGN_KEY_ID_SIZE + 1];
  cli_hex_string(key.key_id, OSPOLICY_MODSIGN_KEY_ID_SIZE, id_hex);
  sodium_memzero(&key, sizeof key);
  size_t object_size = object.size;
  cli_unmap_file(&object);
  if (status != OSPOLICY_OK) {
    cli_report_status("sign", object_path, status, 0, "");
    return CLI_EXIT_FINDING;
  }
  char *default_output = NULL;
  if (output == NULL) {
    default_output = cli_default_signature_path(object_path);
    if (default_output == NULL) {
      return CLI_EXIT_UNREADABLE;
    }
    output = default_output;
  }
  int err = cli_write_file(output, envelope, size, 0644, false);
  if (err != 0) {
    fprintf(stderr, "ospolicy sign: %s: %s\n", output, strerror(err));
    free(default_output);
    return CLI_EXIT_UNREADABLE;
  }
  printf("signed %s \"%s\" generation %" PRIu64 ", %zu bytes, key %s -> %s\n",
         OSPolicy_ModsignKindName(kind), name, generation, object_size, id_hex, output);
  free(default_output);
  return CLI_EXIT_OK;
}
