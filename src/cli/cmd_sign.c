/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * `ospolicy sign --secret-key FILE --kind KIND [--name NAME] --generation N
 * [--comment TEXT] [--output SIG] OBJECT` (docs/modsign.md): signs OBJECT
 * and writes the envelope to SIG (default OBJECT.sig, replaced atomically;
 * `-` is the standard output). OBJECT `-` is the standard input (then
 * --name and --output are required). The object is read once, in 64 KiB
 * reads, through the streaming signer: nothing is mapped, so a file that
 * shrinks or changes while it is read is reported, never a signal. Exit 0:
 * signed; 1: refused; 2: usage error; 3: a file could not be read or
 * written.
 */
#include <errno.h>
#include <inttypes.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli_files.h"
#include "cli_modsign.h"
#include "cli_options.h"
#include "commands.h"

#define SIGN_CHUNK_SIZE ((size_t)64 * 1024)

static void sign_usage(FILE *out) {
  fprintf(out,
          "usage: ospolicy sign --secret-key FILE --kind KIND [--name NAME] --generation N\n"
          "                     [--comment TEXT] [--output SIG] [--text]\n"
          "                     [--passphrase | --passphrase-fd N | --passphrase-env NAME]\n"
          "                     OBJECT\n\n"
          "Signs OBJECT: Ed25519 over a statement binding kind, name, generation,\n"
          "length, BLAKE2b-512 of OBJECT, key id and the trusted comment TEXT (0..%u\n"
          "printable ASCII characters), and writes the envelope to SIG (default\n"
          "OBJECT.sig; '-' writes it to the standard output). OBJECT '-' reads the\n"
          "standard input (give --name and --output). --text writes the envelope in\n"
          "the two-line text form (the loader and the kernel read the binary form).\n"
          "A sealed secret key asks for its passphrase (see keygen). KIND: kernel,\n"
          "module, loader, data or agent. NAME defaults to OBJECT's file name. Exit 0:\n"
          "signed; 1: refused; 2: usage; 3: unreadable (or OBJECT changed while read).\n",
          OSPOLICY_MODSIGN_COMMENT_MAX);
}

static bool same_contents_state(const struct stat *a, const struct stat *b) {
  return a->st_size == b->st_size && a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
         a->st_mtim.tv_nsec == b->st_mtim.tv_nsec && a->st_ctim.tv_sec == b->st_ctim.tv_sec &&
         a->st_ctim.tv_nsec == b->st_ctim.tv_nsec;
}

/* Streams fd through the signer. For a regular file (st != NULL), a size or
 * change-time difference between the start and the end is an error: the
 * digest would match neither version. CLI_EXIT_OK or the exit status. */
static int hash_object(OSPolicy_ModsignSigner *signer, int fd, const char *path,
                       const struct stat *st, uint64_t *total) {
  uint8_t *chunk = malloc(SIGN_CHUNK_SIZE);
  if (chunk == NULL) {
    fprintf(stderr, "ospolicy sign: out of memory\n");
    return CLI_EXIT_UNREADABLE;
  }
  int rc = OSPolicy_BeginModsignSign(signer) == OSPOLICY_OK ? CLI_EXIT_OK : CLI_EXIT_UNREADABLE;
  *total = 0;
  while (rc == CLI_EXIT_OK) {
    ssize_t got = read(fd, chunk, SIGN_CHUNK_SIZE);
    if (got < 0 && errno == EINTR) {
      continue;
    }
    if (got < 0) {
      fprintf(stderr, "ospolicy sign: %s: %s\n", path, strerror(errno));
      rc = CLI_EXIT_UNREADABLE;
      break;
    }
    if (got == 0) {
      break;
    }
    if (OSPolicy_UpdateModsignSign(signer, chunk, (size_t)got) != OSPOLICY_OK) {
      rc = CLI_EXIT_UNREADABLE;
      break;
    }
    *total += (uint64_t)got;
  }
  free(chunk);
  if (rc == CLI_EXIT_OK && st != NULL) {
    struct stat after;
    if (fstat(fd, &after) != 0 || *total != (uint64_t)st->st_size ||
        !same_contents_state(st, &after)) {
      fprintf(stderr,
              "ospolicy sign: %s: the file changed while it was being signed (%jd bytes at the "
              "start, %" PRIu64 " read); nothing was written, sign it again\n",
              path, (intmax_t)st->st_size, *total);
      rc = CLI_EXIT_UNREADABLE;
    }
  }
  return rc;
}

static int write_envelope(const char *output, const struct stat *object_st,
                          const struct stat *key_st, const uint8_t *envelope, size_t size) {
  if (strcmp(output, "-") == 0) {
    int err = cli_write_all(STDOUT_FILENO, envelope, size);
    if (err != 0) {
      fprintf(stderr, "ospolicy sign: standard output: %s\n", strerror(err));
      return CLI_EXIT_UNREADABLE;
    }
    return CLI_EXIT_OK;
  }
  cli_target target;
  if (cli_target_open("sign", output, false, &target) != 0) {
    return CLI_EXIT_UNREADABLE;
  }
  if ((object_st != NULL && cli_target_is(&target, object_st)) ||
      cli_target_is(&target, key_st)) {
    /* Same st_dev/st_ino: a link or another spelling of an input. */
    fprintf(stderr, "ospolicy sign: --output %s is the %s itself; refusing to overwrite it\n",
            output, cli_target_is(&target, key_st) ? "secret key" : "object");
    cli_target_close(&target);
    return CLI_EXIT_USAGE;
  }
  int err = cli_target_replace(&target, envelope, size, CLI_MODE_PUBLIC, false);
  cli_target_close(&target);
  if (err != 0) {
    fprintf(stderr, "ospolicy sign: %s: %s (no signature written)\n", output, strerror(err));
    return CLI_EXIT_UNREADABLE;
  }
  return CLI_EXIT_OK;
}

int cli_sign(int argc, char **argv) {
  const char *secret_path = NULL, *kind_text = NULL, *name = NULL, *output = NULL;
  const char *object_path = NULL, *generation_text = NULL, *comment = NULL;
  bool text = false;
  cli_passphrase_source passphrase = {NULL, NULL, false};
  const cli_option table[] = {
      {"--passphrase-fd", &passphrase.fd_text, NULL},
      {"--passphrase-env", &passphrase.env_name, NULL},
      {"--passphrase", NULL, &passphrase.prompt},
      {"--secret-key", &secret_path, NULL}, {"--kind", &kind_text, NULL},
      {"--name", &name, NULL},              {"--generation", &generation_text, NULL},
      {"--output", &output, NULL},          {"--comment", &comment, NULL},
      {"--text", NULL, &text},
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
  bool from_stdin = strcmp(object_path, "-") == 0;
  if (from_stdin && (name == NULL || output == NULL)) {
    fprintf(stderr, "ospolicy sign: OBJECT '-' (standard input) needs --name and --output\n");
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
  if (comment != NULL && !OSPolicy_IsValidModsignComment(comment, strlen(comment))) {
    fprintf(stderr,
            "ospolicy sign: --comment: at most %u printable ASCII characters (no control "
            "characters, no line breaks)\n",
            OSPOLICY_MODSIGN_COMMENT_MAX);
    return CLI_EXIT_USAGE;
  }
  if (sodium_init() < 0) {
    fprintf(stderr, "ospolicy sign: libsodium could not be initialized\n");
    return CLI_EXIT_UNREADABLE;
  }
  char *default_output = NULL;
  if (output == NULL) {
    default_output = cli_default_signature_path(object_path);
    if (default_output == NULL) {
      return CLI_EXIT_UNREADABLE;
    }
    output = default_output;
  }
  OSPolicy_ModsignKeyFile key;
  struct stat key_st;
  int rc = cli_load_key("sign", secret_path, true, &key, &key_st, &passphrase);
  struct stat object_st;
  int fd = STDIN_FILENO;
  if (rc == CLI_EXIT_OK && !from_stdin) {
    fd = cli_open_input(object_path, &object_st);
    if (fd < 0) {
      fprintf(stderr, "ospolicy sign: %s: %s\n", object_path,
              errno == EINVAL ? "not a regular file (FIFOs, devices and folders are refused)"
                              : strerror(errno));
      rc = CLI_EXIT_UNREADABLE;
    }
  }
  OSPolicy_ModsignSigner signer;
  uint64_t object_size = 0;
  if (rc == CLI_EXIT_OK) {
    rc = hash_object(&signer, fd, from_stdin ? "standard input" : object_path,
                     from_stdin ? NULL : &object_st, &object_size);
  }
  if (fd >= 0 && !from_stdin) {
    close(fd);
  }
  uint8_t envelope[OSPOLICY_MODSIGN_ENVELOPE_MAX_SIZE];
  size_t size = 0;
  if (rc == CLI_EXIT_OK) {
    OSPolicy_ModsignSignRequest request = {.kind = kind,
                                           .name = name,
                                           .name_length = strlen(name),
                                           .generation = generation,
                                           .comment = comment,
                                           .comment_length = comment != NULL ? strlen(comment) : 0};
    OSPolicy_Status status = OSPolicy_FinishModsignSign(&signer, key.secret_key, &request,
                                                        envelope, sizeof envelope, &size);
    if (status != OSPOLICY_OK) {
      cli_report_status("sign", object_path, status, 0, OSPOLICY_MODSIGN_FIELD_NONE);
      rc = CLI_EXIT_FINDING;
    }
  }
  char id_hex[2 * OSPOLICY_MODSIGN_KEY_ID_SIZE + 1];
  cli_hex_string(key.key_id, OSPOLICY_MODSIGN_KEY_ID_SIZE, id_hex);
  sodium_memzero(&key, sizeof key);
  sodium_memzero(&signer, sizeof signer);
  uint8_t *text_form = NULL;
  if (rc == CLI_EXIT_OK && text) {
    char untrusted[160];
    snprintf(untrusted, sizeof untrusted, "signature of %s %s by key %s",
             OSPolicy_ModsignKindName(kind), name, id_hex);
    size_t text_size = 0;
    if (cli_wrap_text("sign", untrusted, envelope, size, &text_form, &text_size) != 0) {
      rc = CLI_EXIT_UNREADABLE;
    } else {
      rc = write_envelope(output, from_stdin ? NULL : &object_st, &key_st, text_form, text_size);
    }
    free(text_form);
  } else if (rc == CLI_EXIT_OK) {
    rc = write_envelope(output, from_stdin ? NULL : &object_st, &key_st, envelope, size);
  }
  if (rc == CLI_EXIT_OK) {
    /* With the envelope on the standard output, the report goes to stderr. */
    fprintf(strcmp(output, "-") == 0 ? stderr : stdout,
            "signed %s \"%s\" generation %" PRIu64 ", %" PRIu64 " bytes, key %s -> %s\n",
            OSPolicy_ModsignKindName(kind), name, generation, object_size, id_hex, output);
  }
  free(default_output);
  return rc;
}
