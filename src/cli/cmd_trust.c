/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * `ospolicy trust init|add|revoke|floor|enforce|show TRUSTFILE [options]`
 * (docs/modsign.md): creates, edits and prints a trust set. Every edit
 * replaces the file atomically; `init` never replaces one without --force.
 * Exit 0: done; 1: refused (an edit the trust rules forbid, an existing
 * file); 2: usage error; 3: a file could not be read or written.
 */
#include <errno.h>
#include <inttypes.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cli_files.h"
#include "cli_modsign.h"
#include "cli_options.h"
#include "commands.h"

static void trust_usage(FILE *out) {
  fprintf(out,
          "usage: ospolicy trust init TRUSTFILE [--force] [--enforce]\n"
          "       ospolicy trust add TRUSTFILE --public-key FILE\n"
          "       ospolicy trust revoke TRUSTFILE (--key-id HEX | --public-key FILE)\n"
          "       ospolicy trust floor TRUSTFILE --kind KIND --name NAME --generation N\n"
          "       ospolicy trust enforce TRUSTFILE\n"
          "       ospolicy trust show TRUSTFILE\n\n"
          "Edits a trust set (docs/modsign.md): up to %u active keys, up to %u revoked\n"
          "key ids (revoking removes the key and frees its slot; it is permanent: for\n"
          "rotation add the new key, then revoke the old one), up to %u minimum\n"
          "generations per kind and name (they only go up), and the enforcement flag\n"
          "(it only goes on). Edits are locked and atomic. Options may come before or\n"
          "after TRUSTFILE. Exit 0: done; 1: refused; 2: usage; 3: unreadable.\n",
          OSPOLICY_MODSIGN_MAX_KEYS, OSPOLICY_MODSIGN_MAX_REVOKED, OSPOLICY_MODSIGN_MAX_FLOORS);
}

/* The options of every action; each action checks which it accepts. */
typedef struct trust_arguments {
  const char *public_path;
  const char *key_id_text;
  const char *kind_text;
  const char *name;
  const char *generation_text;
  bool force;
  bool enforce;
} trust_arguments;

/* Encodes the set and replaces the target's file with it (exclusive: only if
 * it still does not exist). */
static int save_trust(const char *path, cli_target *target,
                      const OSPolicy_ModsignTrustSet *trust, bool exclusive) {
  static uint8_t buf[OSPOLICY_MODSIGN_TRUST_MAX_SIZE];
  size_t size = 0;
  OSPolicy_Status status = OSPolicy_EncodeModsignTrustSet(trust, buf, sizeof buf, &size);
  if (status != OSPOLICY_OK) {
    cli_report_status("trust", path, status, 0, OSPOLICY_MODSIGN_FIELD_NONE);
    return CLI_EXIT_FINDING;
  }
  int err = cli_target_replace(target, buf, size, CLI_MODE_PUBLIC, exclusive);
  if (err == EEXIST) {
    fprintf(stderr, "ospolicy trust: %s exists; not overwriting it without --force\n", path);
    return CLI_EXIT_FINDING;
  }
  if (err != 0) {
    fprintf(stderr, "ospolicy trust: %s: %s (the trust set was not changed)\n", path,
            strerror(err));
    return CLI_EXIT_UNREADABLE;
  }
  return CLI_EXIT_OK;
}

static void show_trust(const char *path, const OSPolicy_ModsignTrustSet *trust) {
  printf("trust set %s: %s, %" PRIu32 " key%s (capacity %u), %" PRIu32
         " revoked (capacity %u), %" PRIu32 " floor%s (capacity %u)\n",
         path, trust->enforce ? "enforcing" : "not enforcing", trust->key_count,
         trust->key_count == 1 ? "" : "s", OSPOLICY_MODSIGN_MAX_KEYS, trust->revoked_count,
         OSPOLICY_MODSIGN_MAX_REVOKED, trust->floor_count, trust->floor_count == 1 ? "" : "s",
         OSPOLICY_MODSIGN_MAX_FLOORS);
  for (uint32_t k = 0; k < trust->key_count; k++) {
    char id_hex[2 * OSPOLICY_MODSIGN_KEY_ID_SIZE + 1];
    char pk_hex[2 * OSPOLICY_MODSIGN_PUBLIC_KEY_SIZE + 1];
    cli_hex_string(trust->keys[k].key_id, OSPOLICY_MODSIGN_KEY_ID_SIZE, id_hex);
    cli_hex_string(trust->keys[k].public_key, OSPOLICY_MODSIGN_PUBLIC_KEY_SIZE, pk_hex);
    printf("key %s active %s\n", id_hex, pk_hex);
  }
  for (uint32_t r = 0; r < trust->revoked_count; r++) {
    char id_hex[2 * OSPOLICY_MODSIGN_KEY_ID_SIZE + 1];
    cli_hex_string(trust->revoked[r], OSPOLICY_MODSIGN_KEY_ID_SIZE, id_hex);
    printf("revoked %s\n", id_hex);
  }
  for (uint32_t f = 0; f < trust->floor_count; f++) {
    printf("floor %s %s >= %" PRIu64 "\n", OSPolicy_ModsignKindName(trust->floors[f].kind),
           trust->floors[f].name, trust->floors[f].min_generation);
  }
}

/* Saves and prints the edited set; `exclusive` for a new one. */
static int save_and_show(const char *path, cli_target *target,
                         const OSPolicy_ModsignTrustSet *trust, bool exclusive) {
  int rc = save_trust(path, target, trust, exclusive);
  if (rc == CLI_EXIT_OK) {
    show_trust(path, trust);
  }
  return rc;
}

static int trust_init(const char *path, cli_target *target, const trust_arguments *args,
                      OSPolicy_ModsignTrustSet *trust) {
  if (args->public_path || args->key_id_text || args->kind_text || args->name ||
      args->generation_text) {
    trust_usage(stderr);
    return CLI_EXIT_USAGE;
  }
  if (OSPolicy_InitModsignTrustSet(trust) != OSPOLICY_OK ||
      (args->enforce && OSPolicy_EnableModsignEnforcement(trust) != OSPOLICY_OK)) {
    return CLI_EXIT_UNREADABLE;
  }
  if (target->fd >= 0 && !args->force) {
    fprintf(stderr, "ospolicy trust: %s exists; not overwriting it without --force\n", path);
    return CLI_EXIT_FINDING;
  }
  if (target->fd >= 0) {
    /* --force: say what is thrown away (revocations above all). */
    static OSPolicy_ModsignTrustSet old_set;
    if (cli_load_trust_fd("trust", path, target->fd, &old_set) == CLI_EXIT_OK &&
        (old_set.key_count != 0u || old_set.revoked_count != 0u || old_set.floor_count != 0u)) {
      fprintf(stderr,
              "ospolicy trust: warning: --force replaces %s and drops its %" PRIu32
              " key(s), %" PRIu32 " revocation(s) and %" PRIu32 " floor(s)%s\n",
              path, old_set.key_count, old_set.revoked_count, old_set.floor_count,
              old_set.enforce != 0u ? "; it was enforcing" : "");
    }
  }
  return save_and_show(path, target, trust, !args->force);
}

/* The edits of an existing set: each sets *status to the library's verdict,
 * or returns an exit status other than CLI_EXIT_OK when it cannot start. */

static int trust_add(const trust_arguments *args, OSPolicy_ModsignTrustSet *trust,
                     OSPolicy_Status *status) {
  if (args->public_path == NULL) {
    fprintf(stderr, "ospolicy trust add: --public-key is required\n");
    return CLI_EXIT_USAGE;
  }
  OSPolicy_ModsignKeyFile key;
  int rc = cli_load_key("trust", args->public_path, false, &key, NULL, NULL);
  if (rc != CLI_EXIT_OK) {
    return rc;
  }
  *status = OSPolicy_AddModsignKey(trust, key.key_id, key.public_key);
  return CLI_EXIT_OK;
}

static int trust_revoke(const trust_arguments *args, OSPolicy_ModsignTrustSet *trust,
                        OSPolicy_Status *status) {
  uint8_t id[OSPOLICY_MODSIGN_KEY_ID_SIZE];
  if ((args->public_path == NULL) == (args->key_id_text == NULL)) {
    fprintf(stderr, "ospolicy trust revoke: give --key-id HEX or --public-key FILE\n");
    return CLI_EXIT_USAGE;
  }
  if (args->key_id_text != NULL) {
    if (cli_parse_hex(args->key_id_text, id, sizeof id) != 0) {
      fprintf(stderr, "ospolicy trust revoke: --key-id: '%s' is not 16 hex digits\n",
              args->key_id_text);
      return CLI_EXIT_USAGE;
    }
  } else {
    OSPolicy_ModsignKeyFile key;
    int rc = cli_load_key("trust", args->public_path, false, &key, NULL, NULL);
    if (rc != CLI_EXIT_OK) {
      return rc;
    }
    memcpy(id, key.key_id, sizeof id);
  }
  *status = OSPolicy_RevokeModsignKey(trust, id);
  return CLI_EXIT_OK;
}

static int trust_floor(const trust_arguments *args, OSPolicy_ModsignTrustSet *trust,
                       OSPolicy_Status *status) {
  uint32_t kind = 0;
  uint64_t generation = 0;
  if (args->kind_text == NULL || args->name == NULL || args->generation_text == NULL) {
    fprintf(stderr, "ospolicy trust floor: --kind, --name and --generation are required\n");
    return CLI_EXIT_USAGE;
  }
  if (cli_parse_kind("trust", args->kind_text, &kind) != 0 ||
      cli_check_name("trust", args->name) != 0) {
    return CLI_EXIT_USAGE;
  }
  if (cli_parse_u64(args->generation_text, &generation) != 0) {
    fprintf(stderr, "ospolicy trust floor: --generation: '%s' is not a number\n",
            args->generation_text);
    return CLI_EXIT_USAGE;
  }
  *status = OSPolicy_RaiseModsignFloor(trust, kind, args->name, strlen(args->name), generation);
  return CLI_EXIT_OK;
}

/* One edit, with the target open and locked. */
static int run_action(const char *action, const char *path, cli_target *target,
                      const trust_arguments *args, OSPolicy_ModsignTrustSet *trust) {
  if (strcmp(action, "init") == 0) {
    return trust_init(path, target, args, trust);
  }
  if (target->fd < 0) {
    fprintf(stderr, "ospolicy trust: %s: %s (create it with 'trust init')\n", path,
            strerror(ENOENT));
    return CLI_EXIT_UNREADABLE;
  }
  int rc = cli_load_trust_fd("trust", path, target->fd, trust);
  if (rc != CLI_EXIT_OK) {
    return rc;
  }
  OSPolicy_Status status = OSPOLICY_STATUS_UNSET;
  if (strcmp(action, "enforce") == 0) {
    status = OSPolicy_EnableModsignEnforcement(trust);
  } else if (strcmp(action, "add") == 0) {
    rc = trust_add(args, trust, &status);
  } else if (strcmp(action, "revoke") == 0) {
    rc = trust_revoke(args, trust, &status);
  } else {
    rc = trust_floor(args, trust, &status);
  }
  if (rc != CLI_EXIT_OK) {
    return rc;
  }
  if (status != OSPOLICY_OK) {
    cli_report_status("trust", path, status, 0, OSPOLICY_MODSIGN_FIELD_NONE);
    fprintf(stderr, "ospolicy trust: %s was not changed\n", path);
    return status == OSPOLICY_ERR_TOO_MANY ||
                   OSPolicy_GetStatusClass(status) == OSPOLICY_CLASS_DENIED ||
                   OSPolicy_GetStatusClass(status) == OSPOLICY_CLASS_INPUT
               ? CLI_EXIT_FINDING
               : CLI_EXIT_USAGE;
  }
  return save_and_show(path, target, trust, false);
}

int cli_trust(int argc, char **argv) {
  if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
    trust_usage(stdout);
    return CLI_EXIT_OK;
  }
  if (argc < 2 || argv[1][0] == '-') {
    trust_usage(stderr);
    return CLI_EXIT_USAGE;
  }
  const char *action = argv[1];
  const char *path = NULL;
  trust_arguments args = {0};
  const cli_option table[] = {
      {"--public-key", &args.public_path, NULL},
      {"--key-id", &args.key_id_text, NULL},
      {"--kind", &args.kind_text, NULL},
      {"--name", &args.name, NULL},
      {"--generation", &args.generation_text, NULL},
      {"--force", NULL, &args.force},
      {"--enforce", NULL, &args.enforce},
  };
  const cli_options options = {.tool = "trust",
                               .action = action,
                               .usage = trust_usage,
                               .table = table,
                               .table_size = CLI_OPTION_COUNT(table),
                               .positional = &path};
  int exit_status = CLI_EXIT_OK;
  /* The options and TRUSTFILE follow the action: argv[1] is their argv[0]. */
  if (!cli_parse_options(&options, argc - 1, argv + 1, &exit_status)) {
    return exit_status;
  }
  if (path == NULL) {
    fprintf(stderr, "ospolicy trust %s: TRUSTFILE is required\n", action);
    trust_usage(stderr);
    return CLI_EXIT_USAGE;
  }
  if (sodium_init() < 0) {
    fprintf(stderr, "ospolicy trust: libsodium could not be initialized\n");
    return CLI_EXIT_UNREADABLE;
  }
  static OSPolicy_ModsignTrustSet trust;
  memset(&trust, 0, sizeof trust);

  if (strcmp(action, "show") == 0) {
    if (args.force || args.enforce || args.public_path || args.key_id_text || args.kind_text ||
        args.name || args.generation_text) {
      fprintf(stderr, "ospolicy trust show: takes no options\n");
      return CLI_EXIT_USAGE;
    }
    int rc = cli_load_trust("trust", path, &trust);
    if (rc == CLI_EXIT_OK) {
      show_trust(path, &trust);
    }
    return rc;
  }
  bool known = strcmp(action, "init") == 0 || strcmp(action, "enforce") == 0 ||
               strcmp(action, "add") == 0 || strcmp(action, "revoke") == 0 ||
               strcmp(action, "floor") == 0;
  if (!known) {
    fprintf(stderr, "ospolicy trust: unknown action '%s'\n", action);
    trust_usage(stderr);
    return CLI_EXIT_USAGE;
  }
  if (strcmp(action, "init") != 0 && (args.force || args.enforce)) {
    fprintf(stderr, "ospolicy trust %s: --force and --enforce belong to 'trust init'\n", action);
    return CLI_EXIT_USAGE;
  }
  /* Every edit is a read-modify-write under flock(LOCK_EX) on the real file
   * (symbolic links followed), replaced atomically: concurrent edits
   * serialize and none is lost. */
  cli_target target;
  int err = cli_target_open("trust", path, true, &target);
  if (err != 0) {
    return CLI_EXIT_UNREADABLE;
  }
  int rc = run_action(action, path, &target, &args, &trust);
  cli_target_close(&target);
  return rc;
}
