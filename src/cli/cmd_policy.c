/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * `ospolicy policy compile POLICY -o BLOB` and
 * `ospolicy policy check BLOB SUBJECT OBJECT OP (--trust FILE | --public-key
 * FILE | --unsigned) [--signature SIG] [--name NAME]` (docs/mac.md).
 *
 * compile: reads the policy text, compiles it with the freestanding compiler
 * and writes the blob atomically (temporary file, fsync, rename, directory
 * fsync); an output that is the input file itself is refused before anything
 * is written. Errors are printed compiler-style, PATH:LINE:COL: error: ...,
 * with a note line for the other rule involved.
 *
 * check: reads the blob once into memory, verifies its signature (object kind
 * data, name NAME, default the blob's file name) over exactly those bytes,
 * parses the same bytes and explains one decision: the deciding rule and its
 * line, what Bell-LaPadula alone would say and why (the two labels).
 * --unsigned skips the signature and says so. Exit 0: allowed; 1: denied,
 * or the blob or its signature refused; 2: usage; 3: unreadable.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
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
#include "commands.h"
#include "ospolicy/mac.h"
#include "ospolicy/modsign.h"

#define BLOB_LIMIT ((size_t)64 << 20)

static void policy_usage(FILE *out) {
  fprintf(out,
          "usage: ospolicy policy compile POLICY -o BLOB\n"
          "       ospolicy policy check BLOB SUBJECT OBJECT OP\n"
          "                (--trust FILE | --public-key FILE | --unsigned)\n"
          "                [--signature SIG] [--name NAME]\n\n"
          "compile: compiles a MAC policy text (docs/mac.md) into a binary blob, written\n"
          "atomically; sign it with `ospolicy sign --kind data`. check: verifies the\n"
          "blob's signature (default BLOB.sig, object name default BLOB's file name),\n"
          "then explains whether SUBJECT may perform OP (read, write, exec, ipc, net)\n"
          "on OBJECT: the deciding rule and what Bell-LaPadula alone would say.\n"
          "Exit 0: compiled / allowed; 1: refused / denied; 2: usage; 3: unreadable.\n");
}

/* Reads a whole file of at most `limit` bytes (one more byte is read to
 * notice a larger file). 0, or the exit status after a message. */
static int read_file(const char *path, size_t limit, uint8_t **data, size_t *size,
                     struct stat *st) {
  *data = malloc(limit + 1u);
  if (*data == NULL) {
    fprintf(stderr, "ospolicy policy: %s: out of memory\n", path);
    return CLI_EXIT_UNREADABLE;
  }
  if (cli_read_small_file("policy", path, limit, *data, size, false, st) != 0) {
    free(*data);
    *data = NULL;
    return CLI_EXIT_UNREADABLE;
  }
  if (*size > limit) {
    fprintf(stderr, "ospolicy policy: %s: larger than %zu bytes\n", path, limit);
    free(*data);
    *data = NULL;
    return CLI_EXIT_FINDING;
  }
  return CLI_EXIT_OK;
}

static void print_label(const OSPolicy_MacPolicy *policy, const char *role, uint32_t id) {
  OSPolicy_MacLabel label;
  const char *level = "?";
  size_t level_length = 1u;
  if (OSPolicy_GetMacLabel(policy, id, &label) != OSPOLICY_OK ||
      OSPolicy_GetMacLevelName(policy, label.level, &level, &level_length) != OSPOLICY_OK) {
    printf("  %s: (unknown label %u)\n", role, id);
    return;
  }
  printf("  %s %.*s: level %.*s (%u), categories ", role, (int)label.name_length, label.name,
         (int)level_length, level, label.level);
  if (label.categories == 0u) {
    printf("none");
  }
  bool first = true;
  for (uint32_t bit = 0; bit < 64u; bit++) {
    const char *name = NULL;
    size_t length = 0u;
    if ((label.categories >> bit & 1u) != 0u &&
        OSPolicy_GetMacCategoryName(policy, bit, &name, &length) == OSPOLICY_OK) {
      printf("%s%.*s", first ? "" : ",", (int)length, name);
      first = false;
    }
  }
  printf("\n");
}

static const char *label_name(const OSPolicy_MacPolicy *policy, uint32_t id, int *length) {
  OSPolicy_MacLabel label;
  if (OSPolicy_GetMacLabel(policy, id, &label) != OSPOLICY_OK) {
    *length = 1;
    return "?";
  }
  *length = (int)label.name_length;
  return label.name;
}

static int policy_compile(int argc, char **argv) {
  const char *input = NULL, *output = NULL;
  for (int i = 1; i < argc; i++) {
    if ((strcmp(argv[i], "-o") == 0 || strcmp(argv[i], "--output") == 0) && i + 1 < argc) {
      output = argv[++i];
    } else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
      policy_usage(stdout);
      return CLI_EXIT_OK;
    } else if (argv[i][0] != '-' && input == NULL) {
      input = argv[i];
    } else {
      fprintf(stderr, "ospolicy policy compile: unexpected argument '%s'\n", argv[i]);
      policy_usage(stderr);
      return CLI_EXIT_USAGE;
    }
  }
  if (input == NULL || output == NULL) {
    fprintf(stderr, "ospolicy policy compile: POLICY and -o BLOB are required\n");
    policy_usage(stderr);
    return CLI_EXIT_USAGE;
  }
  uint8_t *text = NULL;
  size_t size = 0u;
  struct stat input_st;
  int rc = read_file(input, OSPOLICY_MAC_MAX_TEXT_SIZE, &text, &size, &input_st);
  if (rc != CLI_EXIT_OK) {
    return rc;
  }
  /* The output is resolved (links followed) before anything is compiled, so
   * an output that is the input under any name is refused up front. */
  cli_target target;
  if (cli_target_open("policy compile", output, false, &target) != 0) {
    free(text);
    return CLI_EXIT_UNREADABLE;
  }
  if (cli_target_is(&target, &input_st)) {
    fprintf(stderr,
            "ospolicy policy compile: refusing to write the blob over the policy text itself "
            "(%s and %s are the same file); nothing was written\n",
            input, output);
    cli_target_close(&target);
    free(text);
    return CLI_EXIT_USAGE;
  }
  size_t workspace_size = 0u;
  if (OSPolicy_GetMacCompileWorkspaceSize((const char *)text, size, &workspace_size) !=
      OSPOLICY_OK) {
    cli_target_close(&target);
    free(text);
    return CLI_EXIT_FINDING;
  }
  void *workspace = malloc(workspace_size);
  OSPolicy_MacCompileRequest request = {.text = (const char *)text, .size = size,
                                        .workspace = workspace,
                                        .workspace_size = workspace_size};
  OSPolicy_MacCompileResult result;
  OSPolicy_Status status = workspace == NULL ? OSPOLICY_ERR_NO_MEMORY
                                             : OSPolicy_CompileMacPolicy(&request, &result);
  uint8_t *blob = NULL;
  if (status == OSPOLICY_ERR_BUFFER_TOO_SMALL && result.blob_size > 0u) {
    blob = malloc(result.blob_size);
    request.out = blob;
    request.out_capacity = blob != NULL ? result.blob_size : 0u;
    status = blob == NULL ? OSPOLICY_ERR_NO_MEMORY : OSPolicy_CompileMacPolicy(&request, &result);
  }
  int exit_status = CLI_EXIT_OK;
  if (status == OSPOLICY_ERR_NO_MEMORY) {
    fprintf(stderr, "ospolicy policy compile: out of memory\n");
    exit_status = CLI_EXIT_UNREADABLE;
  } else if (status != OSPOLICY_OK) {
    fprintf(stderr, "%s:%u:%u: error: %s: %s\n", input, result.line, result.column,
            OSPolicy_StatusName(status), result.message);
    if (status == OSPOLICY_ERR_MAC_NEVERALLOW) {
      int sl = (int)result.violation_subject_length, ol = (int)result.violation_object_length;
      if (result.other_line != 0u) {
        fprintf(stderr, "%s:%u:%u: note: this allow rule permits %.*s -> %.*s %s\n", input,
                result.other_line, result.other_column, sl, result.violation_subject_name, ol,
                result.violation_object_name, OSPolicy_MacOpName(result.violation_op));
      } else {
        fprintf(stderr,
                "%s:%u:%u: note: the default rule (Bell-LaPadula) permits %.*s -> %.*s %s\n",
                input, result.line, result.column, sl, result.violation_subject_name, ol,
                result.violation_object_name, OSPolicy_MacOpName(result.violation_op));
      }
    } else if (result.other_line != 0u) {
      fprintf(stderr, "%s:%u:%u: note: %s\n", input, result.other_line, result.other_column,
              status == OSPOLICY_ERR_MAC_DUPLICATE_RULE ? "the earlier rule is here"
                                                        : "first declared here");
    }
    fprintf(stderr, "ospolicy policy compile: %s: not compiled; %s was not written\n", input,
            output);
    exit_status = CLI_EXIT_FINDING;
  } else {
    int err = cli_target_replace(&target, blob, result.blob_size, CLI_MODE_PUBLIC, false);
    if (err != 0) {
      fprintf(stderr, "ospolicy policy compile: %s: %s\n", output, strerror(err));
      exit_status = CLI_EXIT_UNREADABLE;
    } else {
      printf("compiled %s -> %s: %u levels, %u categories, %u labels, %u rules, "
             "%u neverallow assertions hold, %zu bytes\n",
             input, output, result.level_count, result.category_count, result.label_count,
             result.rule_count, result.neverallow_count, result.blob_size);
    }
  }
  cli_target_close(&target);
  free(blob);
  free(workspace);
  free(text);
  return exit_status;
}

/* Loads the blob through OSPolicy_LoadSignedMacPolicy: the signature is
 * verified over exactly the bytes that are then parsed into *policy.
 * CLI_EXIT_OK, or the exit status after a message. */
static int load_signed(const char *blob_path, const uint8_t *data, size_t size,
                       const char *signature_path, const char *trust_path,
                       const char *public_path, const char *name, OSPolicy_MacPolicy *policy) {
  if (sodium_init() < 0) {
    fprintf(stderr, "ospolicy policy check: libsodium could not be initialized\n");
    return CLI_EXIT_UNREADABLE;
  }
  static OSPolicy_ModsignTrustSet trust;
  memset(&trust, 0, sizeof trust);
  if (trust_path != NULL) {
    int rc = cli_load_trust("policy check", trust_path, &trust);
    if (rc != CLI_EXIT_OK) {
      return rc;
    }
  } else {
    OSPolicy_ModsignKeyFile key;
    int rc = cli_load_key("policy check", public_path, false, &key, NULL, NULL);
    if (rc != CLI_EXIT_OK) {
      return rc;
    }
    if (OSPolicy_InitModsignTrustSet(&trust) != OSPOLICY_OK ||
        OSPolicy_AddModsignKey(&trust, key.key_id, key.public_key) != OSPOLICY_OK) {
      return CLI_EXIT_UNREADABLE;
    }
  }
  uint8_t envelope[OSPOLICY_MODSIGN_ENVELOPE_MAX_SIZE + 1];
  size_t envelope_size = 0u;
  int err = cli_read_small_file("policy check", signature_path,
                                OSPOLICY_MODSIGN_ENVELOPE_MAX_SIZE, envelope, &envelope_size,
                                true, NULL);
  if (err != 0 && err != ENOENT) {
    return CLI_EXIT_UNREADABLE;
  }
  if (err == ENOENT) {
    envelope_size = 0u; /* unsigned */
  }
  OSPolicy_MacSignedBlob signed_blob = {.blob = data, .blob_size = size,
                                        .envelope = envelope_size > 0u ? envelope : NULL,
                                        .envelope_size = envelope_size, .name = name,
                                        .name_length = strlen(name)};
  OSPolicy_ModsignResult result;
  OSPolicy_Status status = OSPolicy_LoadSignedMacPolicy(&trust, &signed_blob, &result, policy);
  if (status != OSPOLICY_OK && result.status != OSPOLICY_OK) { /* the signature refused it */
    fprintf(stderr, "ospolicy policy check: REJECTED %s: %s: %s", blob_path,
            OSPolicy_StatusName(status), OSPolicy_StatusText(status));
    if (status == OSPOLICY_DENIED_MODSIGN_NO_SIGNATURE) {
      fprintf(stderr, " (no %s)", signature_path);
    } else if (result.error_field != OSPOLICY_MODSIGN_FIELD_NONE) {
      fprintf(stderr, " (field %s, byte offset %zu)", OSPolicy_ModsignFieldName(result.error_field),
              result.error_offset);
    }
    fprintf(stderr, "\n");
    return CLI_EXIT_FINDING;
  }
  char id_hex[2 * OSPOLICY_MODSIGN_KEY_ID_SIZE + 1];
  cli_hex_string(result.envelope.key_id, OSPOLICY_MODSIGN_KEY_ID_SIZE, id_hex);
  printf("%s: signature verified (data \"%s\" generation %" PRIu64 ", key %s)\n", blob_path,
         result.envelope.name, result.envelope.generation, id_hex);
  fflush(stdout); /* before a parse refusal on stderr */
  return CLI_EXIT_OK; /* a parse failure is reported by the caller */
}

static int policy_check(int argc, char **argv) {
  const char *positional[4] = {NULL, NULL, NULL, NULL};
  int positional_count = 0;
  const char *trust_path = NULL, *public_path = NULL, *signature_path = NULL, *name = NULL;
  bool unsigned_ok = false;
  for (int i = 1; i < argc; i++) {
    const char *arg = argv[i];
    const char **value = strcmp(arg, "--trust") == 0        ? &trust_path
                         : strcmp(arg, "--public-key") == 0 ? &public_path
                         : strcmp(arg, "--signature") == 0  ? &signature_path
                         : strcmp(arg, "--name") == 0       ? &name
                                                            : NULL;
    if (value != NULL && i + 1 < argc) {
      *value = argv[++i];
    } else if (strcmp(arg, "--unsigned") == 0) {
      unsigned_ok = true;
    } else if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
      policy_usage(stdout);
      return CLI_EXIT_OK;
    } else if (arg[0] != '-' && positional_count < 4) {
      positional[positional_count++] = arg;
    } else {
      fprintf(stderr, "ospolicy policy check: unexpected argument '%s'\n", arg);
      policy_usage(stderr);
      return CLI_EXIT_USAGE;
    }
  }
  int sources = (trust_path != NULL) + (public_path != NULL) + unsigned_ok;
  if (positional_count != 4 || sources != 1) {
    fprintf(stderr, "ospolicy policy check: BLOB SUBJECT OBJECT OP and exactly one of --trust, "
                    "--public-key or --unsigned are required\n");
    policy_usage(stderr);
    return CLI_EXIT_USAGE;
  }
  const char *blob_path = positional[0];
  uint32_t op = OSPolicy_MacOpFromName(positional[3], strlen(positional[3]));
  if (op == OSPOLICY_MAC_OP_UNSET) {
    fprintf(stderr, "ospolicy policy check: OP '%s' is not read, write, exec, ipc or net\n",
            positional[3]);
    return CLI_EXIT_USAGE;
  }
  if (name == NULL) {
    name = cli_base_name(blob_path);
  }
  if (!unsigned_ok && cli_check_name("policy check", name) != 0) {
    return CLI_EXIT_USAGE;
  }
  uint8_t *data = NULL;
  size_t size = 0u;
  int rc = read_file(blob_path, BLOB_LIMIT, &data, &size, NULL);
  if (rc != CLI_EXIT_OK) {
    return rc;
  }
  char *default_signature = NULL;
  OSPolicy_MacPolicy policy;
  OSPolicy_Status status;
  if (unsigned_ok) {
    printf("%s: signature NOT checked (--unsigned)\n", blob_path);
    fflush(stdout);
    status = OSPolicy_ParseMacPolicy(data, size, &policy);
  } else {
    if (signature_path == NULL) {
      default_signature = cli_default_signature_path(blob_path);
      signature_path = default_signature;
    }
    rc = signature_path == NULL ? CLI_EXIT_UNREADABLE
                                : load_signed(blob_path, data, size, signature_path, trust_path,
                                              public_path, name, &policy);
    if (rc != CLI_EXIT_OK) {
      free(default_signature);
      free(data);
      return rc;
    }
    status = policy.status;
  }
  if (status != OSPOLICY_OK) {
    fprintf(stderr, "ospolicy policy check: %s: %s: %s (field %s, byte offset %zu)\n", blob_path,
            OSPolicy_StatusName(status), OSPolicy_StatusText(status), policy.error_field,
            policy.error_offset);
    free(default_signature);
    free(data);
    return CLI_EXIT_FINDING;
  }
  uint32_t ids[2] = {0u, 0u};
  for (int k = 0; k < 2; k++) {
    const char *label = positional[1 + k];
    if (OSPolicy_FindMacLabel(&policy, label, strlen(label), &ids[k]) != OSPOLICY_OK) {
      fprintf(stderr, "ospolicy policy check: %s: no label named '%s' in the policy\n", blob_path,
              label);
      free(default_signature);
      free(data);
      return CLI_EXIT_USAGE;
    }
  }
  OSPolicy_MacDecision d;
  status = OSPolicy_DecideMac(&policy, ids[0], ids[1], op, &d);
  int sl = 0, ol = 0;
  const char *sn = label_name(&policy, d.subject, &sl);
  const char *on = label_name(&policy, d.object, &ol);
  printf("%s %.*s -> %.*s %s: %s\n", d.decision == OSPOLICY_DECISION_ALLOW ? "ALLOW" : "DENY",
         sl, sn, ol, on, OSPolicy_MacOpName(op), OSPolicy_StatusName(status));
  switch (d.rule) {
    case OSPOLICY_MAC_RULE_DENY:
      printf("  decided by: deny rule at line %u", d.rule_line);
      if (d.overridden_line != 0u) {
        printf(" (overrides the allow rule at line %u)", d.overridden_line);
      }
      printf("\n");
      break;
    case OSPOLICY_MAC_RULE_ALLOW:
      printf("  decided by: allow rule at line %u\n", d.rule_line);
      break;
    default:
      printf("  decided by: the default rule (Bell-LaPadula); no allow or deny rule names this "
             "access\n");
      break;
  }
  const char *needs = op == OSPOLICY_MAC_OP_READ || op == OSPOLICY_MAC_OP_EXEC
                          ? "the subject's label to dominate the object's"
                      : op == OSPOLICY_MAC_OP_IPC ? "the two labels to dominate each other"
                                                  : "the object's label to dominate the subject's";
  if (d.default_status == OSPOLICY_OK) {
    printf("  Bell-LaPadula alone: allow (%s needs %s: it does)\n", OSPolicy_MacOpName(op), needs);
  } else {
    printf("  Bell-LaPadula alone: deny, %s (%s needs %s: it does not)\n",
           OSPolicy_StatusName(d.default_status), OSPolicy_MacOpName(op), needs);
  }
  print_label(&policy, "subject", d.subject);
  print_label(&policy, "object", d.object);
  free(default_signature);
  free(data);
  return d.decision == OSPOLICY_DECISION_ALLOW ? CLI_EXIT_OK : CLI_EXIT_FINDING;
}

int cli_policy(int argc, char **argv) {
  if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
    policy_usage(argc < 2 ? stderr : stdout);
    return argc < 2 ? CLI_EXIT_USAGE : CLI_EXIT_OK;
  }
  if (strcmp(argv[1], "compile") == 0) {
    return policy_compile(argc - 1, argv + 1);
  }
  if (strcmp(argv[1], "check") == 0) {
    return policy_check(argc - 1, argv + 1);
  }
  fprintf(stderr, "ospolicy policy: unknown action '%s'\n", argv[1]);
  policy_usage(stderr);
  return CLI_EXIT_USAGE;
}
