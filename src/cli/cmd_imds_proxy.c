/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * `ospolicy imds-proxy`: reads each app's manifest, refuses to start if one is
 * invalid or grants no cloud metadata, then serves every app on its own Unix
 * socket (src/imds/linux/imds_proxy.c, docs/imds.md).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_files.h"
#include "commands.h"
#include "imds_proxy.h"
#include "ospolicy/imds_policy.h"
#include "ospolicy/manifest.h"

static void imds_proxy_usage(FILE *out) {
  fprintf(out,
          "usage: ospolicy imds-proxy --app MANIFEST=SOCKET [--app MANIFEST=SOCKET ...]\n"
          "                           [--upstream URL] [--audit FILE|-]\n"
          "                           [--upstream-token-ttl SECONDS] [--threads N]\n"
          "                           [--max-connections N] [--idle-timeout SECONDS]\n\n"
          "Serves each app's cloud-metadata requests on its own Unix socket, allowing only\n"
          "what the app's manifest grants (cloudMetadata, docs/imds.md). A confined app sees\n"
          "its socket as " IMDS_PROXY_APP_VIEW_SOCKET ".\n\n"
          "  --app MANIFEST=SOCKET      an app's manifest and the socket to serve it on\n"
          "  --upstream URL             metadata service (default " IMDS_PROXY_DEFAULT_UPSTREAM ")\n"
          "  --audit FILE               JSON audit lines appended here (default -: stdout)\n"
          "  --upstream-token-ttl S     TTL asked for the instance token (default 21600)\n"
          "  --threads N                server threads per app (default 2)\n"
          "  --max-connections N        connections per app (default 2048)\n"
          "  --idle-timeout S           close a connection idle this long (default 30)\n\n"
          "Runs until SIGINT or SIGTERM. Exit status: 0 stopped cleanly, 1 a manifest was\n"
          "refused, 2 usage error, 3 a manifest, socket or audit file could not be used.\n");
}

typedef struct loaded_app {
  char *text;
  void *workspace;
  OSPolicy_ManifestResult *result;
  char *name;
} loaded_app;

static bool parse_number(const char *text, unsigned long min, unsigned long max,
                         unsigned long *out) {
  char *end = NULL;
  errno = 0;
  unsigned long value = strtoul(text, &end, 10);
  if (errno != 0 || end == text || *end != '\0' || text[0] == '-' || value < min || value > max) {
    return false;
  }
  *out = value;
  return true;
}

/* Reads and validates one manifest; prints every finding when it is refused. */
static int load_manifest(const char *path, loaded_app *app, imds_proxy_app *out) {
  size_t limit = OSPOLICY_MANIFEST_DEFAULT_MAX_SIZE;
  app->text = malloc(limit + 1u);
  app->result = malloc(sizeof *app->result);
  if (app->text == NULL || app->result == NULL) {
    fprintf(stderr, "ospolicy imds-proxy: out of memory\n");
    return CLI_EXIT_UNREADABLE;
  }
  size_t size = 0;
  if (cli_read_small_file("imds-proxy", path, limit, (uint8_t *)app->text, &size, false, NULL) != 0) {
    return CLI_EXIT_UNREADABLE;
  }
  size_t required = 0;
  if (size <= limit && OSPolicy_GetManifestWorkspaceSize(size, &required) == OSPOLICY_OK) {
    app->workspace = malloc(required);
  }
  OSPolicy_ManifestRequest request = {.text = app->text, .size = size,
                                      .workspace = app->workspace,
                                      .workspace_size = app->workspace != NULL ? required : 0u};
  OSPolicy_Status status = OSPolicy_ValidateManifest(&request, app->result);
  if (status != OSPOLICY_OK) {
    fprintf(stderr, "ospolicy imds-proxy: %s: manifest refused (%s)\n", path,
            OSPolicy_StatusName(status));
    for (size_t i = 0; i < app->result->finding_count; i++) {
      const OSPolicy_ManifestFinding *f = &app->result->findings[i];
      fprintf(stderr, "%s:%u:%u: %s: %s: %s\n", path, f->line, f->column,
              OSPolicy_StatusName(f->status), f->path[0] != '\0' ? f->path : "(document)",
              f->message);
    }
    return CLI_EXIT_FINDING;
  }
  const OSPolicy_Manifest *m = &app->result->manifest;
  if (m->metadata_access != OSPOLICY_METADATA_ACCESS_SUPERVISED) {
    fprintf(stderr,
            "ospolicy imds-proxy: %s: the manifest grants no cloud metadata (cloudMetadata.access "
            "is \"%s\"); its app gets no metadata socket\n",
            path, OSPolicy_MetadataAccessName(m->metadata_access));
    return CLI_EXIT_FINDING;
  }
  if (OSPolicy_GetImdsPolicy(m, &out->policy) != OSPOLICY_OK) {
    fprintf(stderr, "ospolicy imds-proxy: %s: cannot derive the metadata policy\n", path);
    return CLI_EXIT_FINDING;
  }
  app->name = strndup(m->name.data, m->name.length);
  if (app->name == NULL) {
    fprintf(stderr, "ospolicy imds-proxy: out of memory\n");
    return CLI_EXIT_UNREADABLE;
  }
  out->name = app->name;
  return CLI_EXIT_OK;
}

int cli_imds_proxy(int argc, char **argv) {
  imds_proxy_app apps[IMDS_PROXY_MAX_APPS];
  loaded_app loaded[IMDS_PROXY_MAX_APPS];
  memset(apps, 0, sizeof apps);
  memset(loaded, 0, sizeof loaded);
  const char *manifests[IMDS_PROXY_MAX_APPS];
  size_t count = 0;
  imds_proxy_config config = {.upstream = IMDS_PROXY_DEFAULT_UPSTREAM,
                              .audit_path = "-",
                              .upstream_token_ttl = OSPOLICY_IMDS_MAX_TOKEN_TTL,
                              .threads_per_app = 2,
                              .max_connections = 2048,
                              .idle_timeout = IMDS_PROXY_DEFAULT_IDLE_TIMEOUT};
  for (int i = 1; i < argc; i++) {
    const char *arg = argv[i];
    if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
      imds_proxy_usage(stdout);
      return CLI_EXIT_OK;
    }
    const char *value = i + 1 < argc ? argv[i + 1] : NULL;
    unsigned long number = 0;
    if (value == NULL) {
      fprintf(stderr, "ospolicy imds-proxy: unexpected argument '%s'\n", arg);
      imds_proxy_usage(stderr);
      return CLI_EXIT_USAGE;
    }
    i++;
    if (strcmp(arg, "--app") == 0) {
      char *split = strrchr(value, '=');
      if (split == NULL || split == value || split[1] == '\0' || count == IMDS_PROXY_MAX_APPS) {
        fprintf(stderr, "ospolicy imds-proxy: --app wants MANIFEST=SOCKET (at most %u apps), "
                        "not '%s'\n", IMDS_PROXY_MAX_APPS, value);
        return CLI_EXIT_USAGE;
      }
      *split = '\0';
      manifests[count] = value;
      apps[count].socket_path = split + 1;
      count++;
    } else if (strcmp(arg, "--upstream") == 0) {
      config.upstream = value;
    } else if (strcmp(arg, "--audit") == 0) {
      config.audit_path = value;
    } else if (strcmp(arg, "--upstream-token-ttl") == 0 &&
               parse_number(value, 1, OSPOLICY_IMDS_MAX_TOKEN_TTL, &number)) {
      config.upstream_token_ttl = (uint32_t)number;
    } else if (strcmp(arg, "--threads") == 0 && parse_number(value, 1, 64, &number)) {
      config.threads_per_app = (unsigned)number;
    } else if (strcmp(arg, "--max-connections") == 0 && parse_number(value, 1, 65536, &number)) {
      config.max_connections = (unsigned)number;
    } else if (strcmp(arg, "--idle-timeout") == 0 && parse_number(value, 1, 3600, &number)) {
      config.idle_timeout = (unsigned)number;
    } else {
      fprintf(stderr, "ospolicy imds-proxy: unexpected argument or value '%s %s'\n", arg, value);
      imds_proxy_usage(stderr);
      return CLI_EXIT_USAGE;
    }
  }
  if (count == 0) {
    fprintf(stderr, "ospolicy imds-proxy: at least one --app MANIFEST=SOCKET is required\n");
    imds_proxy_usage(stderr);
    return CLI_EXIT_USAGE;
  }
  int status = CLI_EXIT_OK;
  for (size_t i = 0; i < count && status == CLI_EXIT_OK; i++) {
    status = load_manifest(manifests[i], &loaded[i], &apps[i]);
    for (size_t k = 0; k < i && status == CLI_EXIT_OK; k++) {
      if (strcmp(apps[k].name, apps[i].name) == 0 ||
          strcmp(apps[k].socket_path, apps[i].socket_path) == 0) {
        fprintf(stderr, "ospolicy imds-proxy: %s: app '%s' or socket %s is given twice\n",
                manifests[i], apps[i].name, apps[i].socket_path);
        status = CLI_EXIT_USAGE;
      }
    }
  }
  if (status == CLI_EXIT_OK) {
    config.apps = apps;
    config.app_count = count;
    status = imds_proxy_run(&config);
  }
  for (size_t i = 0; i < count; i++) {
    free(loaded[i].text);
    free(loaded[i].workspace);
    free(loaded[i].result);
    free(loaded[i].name);
  }
  return status;
}
