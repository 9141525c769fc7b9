/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * The Linux IMDS supervisor behind `ospolicy imds-proxy` (docs/imds.md): one
 * libmicrohttpd server per app, each on its own Unix socket, so an app is
 * known by the socket it reached; every request decided by the core planner
 * (OSPolicy_DecideImdsRequest); upstream requests made with libcurl using
 * one cached instance session token that no app ever sees; per-app tokens
 * issued and checked here; one JSON audit line per request.
 */
#ifndef OSPOLICY_IMDS_PROXY_H
#define OSPOLICY_IMDS_PROXY_H

#include <stddef.h>
#include <stdint.h>

#include "ospolicy/imds_policy.h"

#define IMDS_PROXY_DEFAULT_UPSTREAM "http://169.254.169.254"
/* Where a confined app finds its socket: the sandbox bind-mounts the directory
 * holding the app's socket (not the socket file, which a restarted proxy
 * recreates) at IMDS_PROXY_APP_VIEW_DIR, only when the manifest's
 * cloudMetadata.access is "supervised". */
#define IMDS_PROXY_APP_VIEW_DIR "/run/ospolicy"
#define IMDS_PROXY_APP_VIEW_SOCKET "/run/ospolicy/imds.sock"
#define IMDS_PROXY_MAX_APPS 64u
#define IMDS_PROXY_MAX_NAME 64u
#define IMDS_PROXY_MAX_BODY 65536u /* largest upstream answer passed on */
#define IMDS_PROXY_DEFAULT_IDLE_TIMEOUT 30u /* seconds a connection may sit idle */

typedef struct imds_proxy_app {
  const char *name;        /* the app's manifest name: audit lines carry it */
  const char *socket_path; /* the Unix socket served to this app */
  OSPolicy_ImdsPolicy policy; /* from its validated manifest; must outlive the run */
} imds_proxy_app;

typedef struct imds_proxy_config {
  const char *upstream;        /* "http://169.254.169.254" in production */
  const char *audit_path;      /* file appended to; "-" for standard output */
  uint32_t upstream_token_ttl; /* seconds asked for the instance token, 1..21600 */
  unsigned threads_per_app;    /* libmicrohttpd worker threads per socket, 1..64 */
  unsigned max_connections;    /* per socket */
  unsigned idle_timeout;       /* seconds before an idle connection is closed; 0: default */
  const imds_proxy_app *apps;
  size_t app_count;
} imds_proxy_config;

/* Serves until SIGINT or SIGTERM. Returns 0 after a clean stop, or prints
 * what failed (socket, audit file, upstream URL) and returns non-zero. */
int imds_proxy_run(const imds_proxy_config *config);

#endif
