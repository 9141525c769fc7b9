/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * `ospolicy verify (--trust FILE | --public-key FILE) --kind KIND
 * [--name NAME] [--signature SIG] OBJECT` (docs/modsign.md): verifies OBJECT
 * against its envelope (default OBJECT.sig; a missing one means unsigned).
 * The object is read as a stream of 64 KiB reads, through the same
 * freestanding verifier the loader and the kernel use. Exit 0: verified;
 * 1: rejected (the reason is printed); 2: usage error; 3: a file could not
 * be read.
 */
#include <errno.h>
#include <fcntl.h>
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

#define CHUNK_SIZE ((size_t)64 * 1024)

static void verify_usage(FILE *out) {
  fprintf(out,
          "usage: ospolicy verify (--trust FILE | --public-key FILE) --kind KIND\n"
          "                       [--name NAME] [--signature SIG] OBJECT\n\n"
          "Verifies OBJECT against its envelope SIG (default OBJECT.sig; a missing file\n"
          "means the object is unsigned; a missing SIG given with --signature is an\n"
          "unreadable input) with the keys, revocations and generation floors of a\n"
          "trust set (or one public key, no floors). OBJECT '-' reads the standard\n"
          "input (give --signature). NAME defaults to OBJECT's file name. Prints the\n"
          "trusted comment. Exit 0: verified; 1: rejected (the reason is printed);\n"
          "2: usage error; 3: a file could not be read.\n");
}

/* The trust set to verify against: a trust file, or one public key with no
 * floors and no enforcement. */
static int load_trust_or_key(const char *trust_path, const char *public_path,
                             OSPolicy_ModsignTrustSet *trust) {
  if (trust_path != NULL) {
    return cli_load_trust("verify", trust_path, trust);
  }
  OSPolicy_ModsignKeyFile key;
  int rc = cli_load_key("verify", public_path, false, &key, NULL, NULL);
  if (rc != CLI_EXIT_OK) {
    return rc;
  }
  memset(trust, 0, sizeof *trust);
  if (OSPolicy_InitModsignTrustSet(trust) != OSPOLICY_OK ||
      OSPolicy_AddModsignKey(trust, key.key_id, key.public_key) != OSPOLICY_OK) {
    return CLI_EXIT_UNREADABLE;
  }
  return CLI_EXIT_OK;
}

/* Streams the object at fd through the verifier; *read_failed after a read
 * error (reported). Returns the verdict of OSPolicy_FinishModsignVerify. */
static OSPolicy_Status stream_object(OSPolicy_ModsignVerifier *verifier,
                                     const OSPolicy_ModsignTrustSet *trust,
                                     const OSPolicy_ModsignRequest *request, int fd,
                                     const char *object_path, bool *read_failed,
                                     OSPolicy_ModsignResult *result) {
  OSPolicy_Status status = OSPolicy_BeginModsignVerify(verifier, trust, request);
  uint8_t *chunk = malloc(CHUNK_SIZE);
  *read_failed = chunk == NULL;
  while (status == OSPOLICY_OK && !*read_failed) {
    ssize_t got = read(fd, chunk, CHUNK_SIZE);
    if (got < 0) {
      if (errno == EINTR) {
        continue;
      }
      fprintf(stderr, "ospolicy verify: %s: %s\n", object_path, strerror(errno));
      *read_failed = true;
      break;
    }
    if (got == 0) {
      break;
    }
    status = OSPolicy_UpdateModsignVerify(verifier, chunk, (size_t)got);
  }
  free(chunk);
  return OSPolicy_FinishModsignVerify(verifier, result);
}

static void report_rejection(const char *object_path, const char *signature_path,
                             OSPolicy_Status status, const OSPolicy_ModsignResult *result,
                             const char *id_hex, bool with_trust_set, uint32_t kind,
                             const char *name) {
  bool in_object = result->envelope.status == OSPOLICY_OK &&
                   result->error_field == OSPOLICY_MODSIGN_FIELD_OBJECT;
  const char *subject = in_object || (result->envelope.status == OSPOLICY_OK &&
                                      status == OSPOLICY_DENIED_MODSIGN_DIGEST_MISMATCH)
                            ? object_path
                            : signature_path;
  fprintf(stderr, "ospolicy verify: REJECTED %s: %s: %s", subject, OSPolicy_StatusName(status),
          OSPolicy_StatusText(status));
  if (result->error_field != OSPOLICY_MODSIGN_FIELD_NONE &&
      status != OSPOLICY_DENIED_MODSIGN_NO_SIGNATURE) {
    fprintf(stderr, " (%s field %s, byte offset %zu)", in_object ? "object" : "envelope",
            OSPolicy_ModsignFieldName(result->error_field), result->error_offset);
  }
  fputc('\n', stderr);
  if (result->envelope.status == OSPOLICY_OK) {
    fprintf(stderr,
            "ospolicy verify: the signature claims %s \"%s\" generation %" PRIu64
            " (floor %" PRIu64 "), %" PRIu64 " bytes, key %s\n",
            OSPolicy_ModsignKindName(result->envelope.kind), result->envelope.name,
            result->envelope.generation, result->min_generation, result->envelope.object_size,
            id_hex);
    if (status == OSPOLICY_DENIED_MODSIGN_WRONG_OBJECT) {
      fprintf(stderr, "ospolicy verify: expected %s \"%s\" (give --kind and --name of the object)\n",
              OSPolicy_ModsignKindName(kind), name);
    }
  } else if (status == OSPOLICY_ERR_MODSIGN_MALFORMED &&
             result->envelope.error_field == OSPOLICY_MODSIGN_FIELD_VERSION) {
    fprintf(stderr, "ospolicy verify: only envelope version %u is accepted; sign the object "
                    "again with this tool\n",
            OSPOLICY_MODSIGN_VERSION);
  }
  /* Only a trust set says what a loader would do; with a single public key
   * there is no enforcement setting to report. */
  if (with_trust_set) {
    fprintf(stderr, "ospolicy verify: a loader using this trust set would %s (%s)\n",
            result->decision == OSPOLICY_DECISION_ALLOW ? "load it UNVERIFIED" : "refuse it",
            result->enforcing ? "enforcing" : "not enforcing");
  }
}

int cli_verify(int argc, char **argv) {
  const char *trust_path = NULL, *public_path = NULL, *kind_text = NULL, *name = NULL;
  const char *signature_path = NULL, *object_path = NULL;
  const cli_option table[] = {
      {"--trust", &trust_path, NULL},
      {"--public-key", &public_path, NULL},
      {"--kind", &kind_text, NULL},
      {"--name", &name, NULL},
      {"--signature", &signature_path, NULL},
  };
  const cli_options options = {.tool = "verify",
                               .usage = verify_usage,
                               .help = true,
                               .table = table,
                               .table_size = CLI_OPTION_COUNT(table),
                               .positional = &object_path};
  int exit_status = CLI_EXIT_OK;
  if (!cli_parse_options(&options, argc, argv, &exit_status)) {
    return exit_status;
  }
  if ((trust_path == NULL) == (public_path == NULL) || kind_text == NULL || object_path == NULL) {
    fprintf(stderr, "ospolicy verify: one of --trust or --public-key, --kind and OBJECT are "
                    "required\n");
    verify_usage(stderr);
    return CLI_EXIT_USAGE;
  }
  uint32_t kind = 0;
  if (name == NULL) {
    name = cli_base_name(object_path);
  }
  if (cli_parse_kind("verify", kind_text, &kind) != 0 || cli_check_name("verify", name) != 0) {
    return CLI_EXIT_USAGE;
  }
  if (sodium_init() < 0) {
    fprintf(stderr, "ospolicy verify: libsodium could not be initialized\n");
    return CLI_EXIT_UNREADABLE;
  }
  static OSPolicy_ModsignTrustSet trust;
  int rc = load_trust_or_key(trust_path, public_path, &trust);
  if (rc != CLI_EXIT_OK) {
    return rc;
  }

  char *default_signature = NULL;
  bool explicit_signature = signature_path != NULL;
  if (strcmp(object_path, "-") == 0 && !explicit_signature) {
    fprintf(stderr, "ospolicy verify: OBJECT '-' (standard input) needs --signature\n");
    return CLI_EXIT_USAGE;
  }
  if (signature_path == NULL) {
    default_signature = cli_default_signature_path(object_path);
    if (default_signature == NULL) {
      return CLI_EXIT_UNREADABLE;
    }
    signature_path = default_signature;
  }
  uint8_t envelope[CLI_ENVELOPE_TEXT_MAX + 1];
  size_t envelope_size = 0;
  /* A missing default OBJECT.sig means "unsigned"; a missing --signature
   * file the user named is an unreadable input (exit 3). */
  int err = cli_read_small_file("verify", signature_path, CLI_ENVELOPE_TEXT_MAX, envelope,
                                &envelope_size, !explicit_signature, NULL);
  if (err != 0 && (err != ENOENT || explicit_signature)) {
    free(default_signature);
    return CLI_EXIT_UNREADABLE;
  }
  if (err == ENOENT) {
    envelope_size = 0; /* unsigned object */
  }
  /* The text form is decoded first; a binary envelope longer than the
   * largest one is left to the verifier, which refuses it. */
  int rc_text = cli_unwrap_text("verify", signature_path, envelope, &envelope_size,
                                sizeof envelope);
  if (rc_text != CLI_EXIT_OK) {
    free(default_signature);
    return rc_text;
  }

  struct stat object_st;
  int fd = strcmp(object_path, "-") == 0 ? STDIN_FILENO : cli_open_input(object_path, &object_st);
  if (fd < 0) {
    fprintf(stderr, "ospolicy verify: %s: %s\n", object_path,
            errno == EINVAL ? "not a regular file (FIFOs, devices and folders are refused)"
                            : strerror(errno));
    free(default_signature);
    return CLI_EXIT_UNREADABLE;
  }
  OSPolicy_ModsignRequest request = {.envelope = envelope_size > 0 ? envelope : NULL,
                                     .envelope_size = envelope_size,
                                     .kind = kind,
                                     .name = name,
                                     .name_length = strlen(name)};
  static OSPolicy_ModsignVerifier verifier;
  OSPolicy_ModsignResult result;
  bool read_failed = false;
  OSPolicy_Status status =
      stream_object(&verifier, &trust, &request, fd, object_path, &read_failed, &result);
  if (fd != STDIN_FILENO) {
    close(fd);
  }
  if (read_failed) {
    free(default_signature);
    return CLI_EXIT_UNREADABLE;
  }
  char id_hex[2 * OSPOLICY_MODSIGN_KEY_ID_SIZE + 1];
  char digest_hex[2 * OSPOLICY_MODSIGN_DIGEST_SIZE + 1];
  cli_hex_string(result.envelope.key_id, OSPOLICY_MODSIGN_KEY_ID_SIZE, id_hex);
  cli_hex_string(result.envelope.digest, OSPOLICY_MODSIGN_DIGEST_SIZE, digest_hex);
  if (status == OSPOLICY_OK) {
    printf("verified %s: %s \"%s\" generation %" PRIu64 " (floor %" PRIu64 "), %" PRIu64
           " bytes, blake2b-512 %s, key %s\n",
           object_path, OSPolicy_ModsignKindName(result.envelope.kind), result.envelope.name,
           result.envelope.generation, result.min_generation, result.envelope.object_size,
           digest_hex, id_hex);
    if (result.envelope.comment_length != 0u) {
      printf("trusted comment: %s\n", result.envelope.comment);
    }
  } else {
    report_rejection(object_path, signature_path, status, &result, id_hex, trust_path != NULL,
                     kind, name);
  }
  free(default_signature);
  return status == OSPOLICY_OK ? CLI_EXIT_OK : CLI_EXIT_FINDING;
}
