/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * Cloud instance metadata (IMDS) policy: decides whether one metadata request
 * may be served for one app. An app never reaches the metadata service
 * itself; its supervisor (on Linux `ospolicy imds-proxy`) receives the app's
 * request on a socket that identifies the app, asks this planner, and only
 * then talks to the metadata service on the app's behalf. The rules, the
 * manifest fields and the threat model are in docs/imds.md.
 *
 * Rules, in the order they are applied (the first that fails decides):
 *   1. a request made by the app directly is denied (DENIED_IMDS_DIRECT);
 *   2. an app whose manifest does not say "supervised" is denied
 *      (DENIED_IMDS_NOT_GRANTED);
 *   3. ambiguous framing is refused (Transfer-Encoding, two Content-Length,
 *      obs-fold: ERR_IMDS_SMUGGLING), a body is refused (ERR_IMDS_MALFORMED);
 *   4. X-Forwarded-For is refused (DENIED_IMDS_FORWARDED);
 *   5. PUT /latest/api/token with a TTL header of 1..min(manifest TTL, 21600)
 *      issues an app token (action ISSUE_TOKEN); any other PUT, and any other
 *      method, is DENIED_IMDS_METHOD;
 *   6. GET: a path that would need normalising is refused, never rewritten
 *      (ERR_IMDS_UNSAFE_PATH); no token is DENIED_IMDS_TOKEN_REQUIRED (no
 *      IMDSv1), a token the supervisor did not find valid for this app is
 *      DENIED_IMDS_TOKEN_INVALID; iam/security-credentials is
 *      DENIED_IMDS_CREDENTIALS unless the manifest names a role, and then
 *      only that role; every other path must be granted by the manifest
 *      (DENIED_IMDS_PATH), user-data included.
 *
 * Memory rules: no allocation, no state. Requests and policies point into
 * caller memory that must stay valid during the call; the decision holds
 * only static strings. Every decision is written completely, status first;
 * its decision is ALLOW only with status OSPOLICY_OK.
 */
#ifndef OSPOLICY_IMDS_POLICY_H
#define OSPOLICY_IMDS_POLICY_H

#include <stddef.h>
#include <stdint.h>

#include "ospolicy/manifest.h"
#include "ospolicy/status.h"

#define OSPOLICY_IMDS_MAX_TOKEN_TTL 21600u /* seconds, the IMDSv2 maximum */
#define OSPOLICY_IMDS_MAX_PATH 255u        /* bytes in a request path */
#define OSPOLICY_IMDS_MAX_HEAD 8192u       /* bytes in a request head, final CRLF included */
#define OSPOLICY_IMDS_MAX_HEADERS 64u      /* header lines in one request */
#define OSPOLICY_IMDS_MAX_TOKEN 128u       /* bytes in a session token header */

#define OSPOLICY_IMDS_TOKEN_PATH "/latest/api/token"
#define OSPOLICY_IMDS_CREDENTIALS_PATH "/latest/meta-data/iam/security-credentials"

/* Who sends the request to the metadata service. */
typedef enum OSPolicy_ImdsRequester {
  OSPOLICY_IMDS_REQUESTER_UNSET = 0,
  OSPOLICY_IMDS_REQUESTER_APP = 1,       /* the app itself, straight to the service */
  OSPOLICY_IMDS_REQUESTER_SUPERVISOR = 2 /* the app's supervisor, on the app's behalf */
} OSPolicy_ImdsRequester;

typedef enum OSPolicy_ImdsMethod {
  OSPOLICY_IMDS_METHOD_UNSET = 0,
  OSPOLICY_IMDS_METHOD_GET = 1,
  OSPOLICY_IMDS_METHOD_PUT = 2,
  OSPOLICY_IMDS_METHOD_OTHER = 3
} OSPolicy_ImdsMethod;

/* What the supervisor found when it looked the app's token up. */
typedef enum OSPolicy_ImdsTokenState {
  OSPOLICY_IMDS_TOKEN_UNSET = 0,  /* not looked up: treated as invalid */
  OSPOLICY_IMDS_TOKEN_VALID = 1,  /* issued to this app and not expired */
  OSPOLICY_IMDS_TOKEN_INVALID = 2 /* unknown, expired, or another app's */
} OSPolicy_ImdsTokenState;

/* OSPolicy_ImdsRequest.flags: framing facts; the planner refuses them. */
#define OSPOLICY_IMDS_FLAG_FORWARDED 0x01u           /* an X-Forwarded-For header */
#define OSPOLICY_IMDS_FLAG_TRANSFER_ENCODING 0x02u   /* a Transfer-Encoding header */
#define OSPOLICY_IMDS_FLAG_CONTENT_LENGTH_TWICE 0x04u /* Content-Length more than once */
#define OSPOLICY_IMDS_FLAG_OBS_FOLD 0x08u            /* a header line continued (obs-fold) */
#define OSPOLICY_IMDS_FLAG_BODY 0x10u                /* a non-zero Content-Length */

typedef struct OSPolicy_ImdsRequest {
  OSPolicy_ImdsRequester requester;
  OSPolicy_ImdsMethod method;
  const char *target; /* request-target exactly as received (not decoded) */
  size_t target_length;
  const char *token; /* X-aws-ec2-metadata-token value; NULL: absent */
  size_t token_length;
  OSPolicy_ImdsTokenState token_state; /* set by the supervisor when token != NULL */
  const char *ttl; /* X-aws-ec2-metadata-token-ttl-seconds value; NULL: absent */
  size_t ttl_length;
  uint32_t flags; /* OSPOLICY_IMDS_FLAG_* */
} OSPolicy_ImdsRequest;

/* One app's metadata policy, from its manifest (OSPolicy_GetImdsPolicy). */
typedef struct OSPolicy_ImdsPolicy {
  OSPolicy_MetadataAccess access;        /* NONE denies everything */
  const OSPolicy_ManifestString *paths; /* granted paths; '/'-terminated: a prefix */
  size_t path_count;
  const char *role; /* the role whose credentials may be read; NULL: none */
  size_t role_length;
  uint32_t token_ttl_max; /* 1..21600 */
} OSPolicy_ImdsPolicy;

typedef enum OSPolicy_ImdsAction {
  OSPOLICY_IMDS_ACTION_UNSET = 0,
  OSPOLICY_IMDS_ACTION_ISSUE_TOKEN = 1, /* issue an app token of token_ttl seconds */
  OSPOLICY_IMDS_ACTION_FETCH = 2,       /* GET the path upstream with the instance token */
  OSPOLICY_IMDS_ACTION_LIST_ROLE = 3    /* answer the credentials listing with the role name */
} OSPolicy_ImdsAction;

typedef struct OSPolicy_ImdsDecision {
  OSPolicy_Status status;     /* OSPOLICY_OK when allowed, else why not */
  OSPolicy_Decision decision; /* ALLOW only with status OSPOLICY_OK */
  OSPolicy_ImdsAction action; /* UNSET unless allowed */
  uint32_t token_ttl;         /* ISSUE_TOKEN: the TTL granted */
  uint16_t http_status;       /* what the supervisor answers: 200, 400, 401, 403, 405 */
  const char *reason;         /* static, never NULL; says which rule decided */
} OSPolicy_ImdsDecision;

/* The raw parser's result: where the head ends or why it is refused. */
typedef struct OSPolicy_ImdsParse {
  OSPolicy_Status status; /* OK, ERR_IMDS_MALFORMED or ERR_IMDS_TOO_LARGE */
  size_t head_length;     /* OK: bytes up to and including the empty line */
  size_t error_offset;    /* otherwise: the byte where parsing stopped */
  const char *reason;     /* static, never NULL */
} OSPolicy_ImdsParse;

#ifdef __cplusplus
extern "C" {
#endif

/* Fills *policy from a validated manifest (pointing into it). NULL_ARGUMENT,
 * or INVALID_ARGUMENT for a manifest view that is not a valid one (version
 * not 1, access UNSET). */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_GetImdsPolicy(const OSPolicy_Manifest *manifest,
                                                           OSPolicy_ImdsPolicy *policy);

/* Applies the rules above. Returns decision->status (decision NULL:
 * NULL_ARGUMENT, nothing written; policy or request NULL, requester or method
 * UNSET: a DENY decision with NULL_ARGUMENT or INVALID_ARGUMENT). */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_DecideImdsRequest(const OSPolicy_ImdsPolicy *policy,
                                                               const OSPolicy_ImdsRequest *request,
                                                               OSPolicy_ImdsDecision *decision);

/* Checks a metadata path's syntax: begins "/latest/", at most 255 bytes of
 * [A-Za-z0-9._-] and '/', no empty segment but a final one (a trailing '/'),
 * no '.' or '..' segment; so '%', '?', '\\', '//' are all refused. Returns OK
 * or ERR_IMDS_UNSAFE_PATH (ERR_IMDS_TOO_LARGE above 255 bytes) with *reason
 * set (may be NULL) to a static explanation. */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_CheckImdsPath(const char *path, size_t length,
                                                           const char **reason);

/* Whether a metadata path leads to instance or role credentials other than
 * through the one role grant: any path with a "security-credentials"
 * segment outside /latest/meta-data/iam/, and everything at or below
 * /latest/meta-data/identity-credentials (the instance's own identity
 * credentials). No path grant, however broad, reaches these: the planner
 * refuses them (DENIED_IMDS_CREDENTIALS) and the manifest refuses a grant of
 * one. */
int OSPolicy_IsImdsCredentialPath(const char *path, size_t length);

/* Strict parse of one HTTP/1.1 request head (for supervisors without an HTTP
 * server library, and the fuzz target): request line "METHOD SP target SP
 * HTTP/1.1 CRLF", header lines "name: value CRLF", an empty line. Fills
 * *request (requester UNSET, token_state UNSET: the caller sets them) with
 * pointers into bytes, and *parse. Bare LF, control bytes, a header name
 * outside RFC 9110 tchar, a repeated token or TTL header are MALFORMED; a
 * head over 8192 bytes, a target over 255, more than 64 headers are
 * TOO_LARGE; Transfer-Encoding, a second Content-Length, obs-fold and
 * X-Forwarded-For are recorded in request->flags for the planner to refuse.
 * An incomplete head (no empty line yet) is MALFORMED with error_offset ==
 * size. Returns parse->status (NULL_ARGUMENT if a pointer is NULL). */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_ParseImdsRequest(const char *bytes, size_t size,
                                                              OSPolicy_ImdsRequest *request,
                                                              OSPolicy_ImdsParse *parse);

/* "ISSUE_TOKEN" names for logs: "issue-token", "fetch", "list-role", "unset". */
const char *OSPolicy_ImdsActionName(OSPolicy_ImdsAction action);

#ifdef __cplusplus
}
#endif

#endif /* OSPOLICY_IMDS_POLICY_H */
