/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * The IMDS policy planner and its request-head parser: every rule of
 * include/ospolicy/imds_policy.h and docs/imds.md fed exactly the request
 * that breaks it, checked for its status, HTTP status and action. The two
 * seed markers are the names of the first two test cases.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ospolicy/imds_policy.h"
#include "ospolicy/manifest.h"

static OSPolicy_ManifestString mstr(const char *s) {
  return (OSPolicy_ManifestString){.data = s, .length = strlen(s)};
}

static const OSPolicy_ManifestString granted[] = {
    {"/latest/meta-data/instance-id", 29, 0},
    {"/latest/meta-data/placement/", 28, 0},
};

/* An app granted two paths and the role "reader", tokens up to 300 s. */
static OSPolicy_ImdsPolicy supervised_policy(void) {
  return (OSPolicy_ImdsPolicy){.access = OSPOLICY_METADATA_ACCESS_SUPERVISED,
                               .paths = granted,
                               .path_count = 2,
                               .role = "reader",
                               .role_length = 6,
                               .token_ttl_max = 300};
}

static OSPolicy_ImdsRequest get(const char *path) {
  return (OSPolicy_ImdsRequest){.requester = OSPOLICY_IMDS_REQUESTER_SUPERVISOR,
                                .method = OSPOLICY_IMDS_METHOD_GET,
                                .target = path,
                                .target_length = strlen(path),
                                .token = "app-token",
                                .token_length = 9,
                                .token_state = OSPOLICY_IMDS_TOKEN_VALID};
}

static OSPolicy_ImdsRequest put_token(const char *ttl) {
  return (OSPolicy_ImdsRequest){.requester = OSPOLICY_IMDS_REQUESTER_SUPERVISOR,
                                .method = OSPOLICY_IMDS_METHOD_PUT,
                                .target = OSPOLICY_IMDS_TOKEN_PATH,
                                .target_length = strlen(OSPOLICY_IMDS_TOKEN_PATH),
                                .ttl = ttl,
                                .ttl_length = ttl != NULL ? strlen(ttl) : 0};
}

/* Decides, and checks what holds for every decision. */
static OSPolicy_ImdsDecision decide(const OSPolicy_ImdsPolicy *p, const OSPolicy_ImdsRequest *r) {
  OSPolicy_ImdsDecision d;
  memset(&d, 0x5A, sizeof d);
  OSPolicy_Status status = OSPolicy_DecideImdsRequest(p, r, &d);
  ck_assert_int_eq(status, d.status);
  ck_assert_ptr_nonnull(d.reason);
  ck_assert_uint_gt(strlen(d.reason), 0);
  if (d.status == OSPOLICY_OK) {
    ck_assert_int_eq(d.decision, OSPOLICY_DECISION_ALLOW);
    ck_assert_int_ne(d.action, OSPOLICY_IMDS_ACTION_UNSET);
    ck_assert_uint_eq(d.http_status, 200);
  } else {
    ck_assert_int_eq(d.decision, OSPOLICY_DECISION_DENY);
    ck_assert_int_eq(d.action, OSPOLICY_IMDS_ACTION_UNSET);
    ck_assert_uint_eq(d.token_ttl, 0);
    ck_assert_uint_ge(d.http_status, 400);
  }
  return d;
}

static void expect(const OSPolicy_ImdsPolicy *p, const OSPolicy_ImdsRequest *r,
                   OSPolicy_Status status, unsigned http, const char *what) {
  OSPolicy_ImdsDecision d = decide(p, r);
  ck_assert_msg(d.status == status && d.http_status == http, "%s: %s/%u (%s), expected %s/%u",
                what, OSPolicy_StatusName(d.status), d.http_status, d.reason,
                OSPolicy_StatusName(status), http);
}

static void expect_get(const OSPolicy_ImdsPolicy *p, const char *path, OSPolicy_Status status,
                       unsigned http) {
  OSPolicy_ImdsRequest r = get(path);
  expect(p, &r, status, http, path);
}

/* Validates a manifest text and derives its IMDS policy (the paths and
 * role point into *result and *workspace, freed by the caller). */
static OSPolicy_ImdsPolicy policy_from_manifest(const char *text, OSPolicy_ManifestResult *result,
                                                void **workspace) {
  size_t required = 0;
  ck_assert_int_eq(OSPolicy_GetManifestWorkspaceSize(strlen(text), &required), OSPOLICY_OK);
  *workspace = malloc(required);
  OSPolicy_ManifestRequest request = {.text = text, .size = strlen(text), .workspace = *workspace,
                                      .workspace_size = required};
  ck_assert_int_eq(OSPolicy_ValidateManifest(&request, result), OSPOLICY_OK);
  OSPolicy_ImdsPolicy policy;
  ck_assert_int_eq(OSPolicy_GetImdsPolicy(&result->manifest, &policy), OSPOLICY_OK);
  return policy;
}

/* ------------------------------------------------------- seed markers */

START_TEST(denies_app_by_default) {
  OSPolicy_ImdsPolicy none = {.access = OSPOLICY_METADATA_ACCESS_NONE};
  OSPolicy_ImdsPolicy all = supervised_policy();
  const OSPolicy_ImdsPolicy *policies[] = {&none, &all};
  for (size_t i = 0; i < 2; i++) {
    /* A direct request is denied however well formed and whatever is granted. */
    OSPolicy_ImdsRequest r = get("/latest/meta-data/instance-id");
    r.requester = OSPOLICY_IMDS_REQUESTER_APP;
    expect(policies[i], &r, OSPOLICY_DENIED_IMDS_DIRECT, 403, "direct GET");
    r = put_token("60");
    r.requester = OSPOLICY_IMDS_REQUESTER_APP;
    expect(policies[i], &r, OSPOLICY_DENIED_IMDS_DIRECT, 403, "direct PUT");
  }
  /* The default manifest (no cloudMetadata) grants nothing, even through the supervisor. */
  const char *text = "{\"manifestVersion\":1,\"name\":\"t\",\"entry\":\"/app/t\"}";
  static OSPolicy_ManifestResult result;
  void *workspace = NULL;
  OSPolicy_ImdsPolicy from_manifest = policy_from_manifest(text, &result, &workspace);
  ck_assert_int_eq(from_manifest.access, OSPOLICY_METADATA_ACCESS_NONE);
  OSPolicy_ImdsRequest r = get("/latest/meta-data/instance-id");
  expect(&from_manifest, &r, OSPOLICY_DENIED_IMDS_NOT_GRANTED, 403, "default manifest GET");
  r = put_token("60");
  expect(&from_manifest, &r, OSPOLICY_DENIED_IMDS_NOT_GRANTED, 403, "default manifest PUT");
  free(workspace);
}
END_TEST

START_TEST(allows_supervisor_mediated_request) {
  const char *text =
      "{\"manifestVersion\":1,\"name\":\"t\",\"entry\":\"/app/t\",\"cloudMetadata\":"
      "{\"access\":\"supervised\",\"paths\":[\"/latest/meta-data/instance-id\"],"
      "\"credentials\":{\"role\":\"reader\"},\"tokenTtlSeconds\":120}}";
  static OSPolicy_ManifestResult result;
  void *workspace = NULL;
  OSPolicy_ImdsPolicy p = policy_from_manifest(text, &result, &workspace);
  ck_assert_int_eq(p.access, OSPOLICY_METADATA_ACCESS_SUPERVISED);
  ck_assert_uint_eq(p.token_ttl_max, 120);

  OSPolicy_ImdsRequest r = put_token("120");
  OSPolicy_ImdsDecision d = decide(&p, &r);
  ck_assert_int_eq(d.status, OSPOLICY_OK);
  ck_assert_int_eq(d.action, OSPOLICY_IMDS_ACTION_ISSUE_TOKEN);
  ck_assert_uint_eq(d.token_ttl, 120);
  ck_assert_str_eq(OSPolicy_ImdsActionName(d.action), "issue-token");

  r = get("/latest/meta-data/instance-id");
  d = decide(&p, &r);
  ck_assert_int_eq(d.status, OSPOLICY_OK);
  ck_assert_int_eq(d.action, OSPOLICY_IMDS_ACTION_FETCH);

  r = get("/latest/meta-data/iam/security-credentials/reader");
  d = decide(&p, &r);
  ck_assert_int_eq(d.action, OSPOLICY_IMDS_ACTION_FETCH);
  r = get("/latest/meta-data/iam/security-credentials/");
  d = decide(&p, &r);
  ck_assert_int_eq(d.action, OSPOLICY_IMDS_ACTION_LIST_ROLE);
  ck_assert_str_eq(OSPolicy_ImdsActionName(d.action), "list-role");
  free(workspace);
}
END_TEST

/* ---------------------------------------------------------- the rules */

START_TEST(zero_decision_is_not_success) {
  OSPolicy_ImdsDecision zero;
  memset(&zero, 0, sizeof zero);
  ck_assert_int_ne(zero.status, OSPOLICY_OK);
  ck_assert_int_ne(zero.decision, OSPOLICY_DECISION_ALLOW);
  ck_assert_int_eq(zero.action, OSPOLICY_IMDS_ACTION_UNSET);
  /* A zero request (requester, method UNSET) and a zero policy allow nothing. */
  OSPolicy_ImdsRequest r;
  memset(&r, 0, sizeof r);
  OSPolicy_ImdsPolicy p = supervised_policy();
  expect(&p, &r, OSPOLICY_ERR_INVALID_ARGUMENT, 500, "zero request");
  OSPolicy_ImdsPolicy zero_policy;
  memset(&zero_policy, 0, sizeof zero_policy);
  r = get("/latest/meta-data/instance-id");
  expect(&zero_policy, &r, OSPOLICY_DENIED_IMDS_NOT_GRANTED, 403, "zero policy");
  r.method = OSPOLICY_IMDS_METHOD_UNSET;
  expect(&p, &r, OSPOLICY_ERR_INVALID_ARGUMENT, 500, "method unset");
  /* A policy with no valid TTL maximum issues no token. */
  p.token_ttl_max = 0;
  r = put_token("1");
  expect(&p, &r, OSPOLICY_DENIED_IMDS_TTL, 400, "ttl max 0");
}
END_TEST

START_TEST(null_arguments) {
  OSPolicy_ImdsPolicy p = supervised_policy();
  OSPolicy_ImdsRequest r = get("/latest/meta-data/instance-id");
  ck_assert_int_eq(OSPolicy_DecideImdsRequest(&p, &r, NULL), OSPOLICY_ERR_NULL_ARGUMENT);
  expect(NULL, &r, OSPOLICY_ERR_NULL_ARGUMENT, 500, "no policy");
  expect(&p, NULL, OSPOLICY_ERR_NULL_ARGUMENT, 500, "no request");
  r.target = NULL;
  expect(&p, &r, OSPOLICY_ERR_NULL_ARGUMENT, 500, "no target");
  OSPolicy_Manifest m;
  memset(&m, 0, sizeof m);
  ck_assert_int_eq(OSPolicy_GetImdsPolicy(NULL, &p), OSPOLICY_ERR_NULL_ARGUMENT);
  ck_assert_int_eq(OSPolicy_GetImdsPolicy(&m, NULL), OSPOLICY_ERR_NULL_ARGUMENT);
  /* A zero manifest view is not a validated manifest. */
  ck_assert_int_eq(OSPolicy_GetImdsPolicy(&m, &p), OSPOLICY_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(p.access, OSPOLICY_METADATA_ACCESS_UNSET);
  m.version = 1;
  m.metadata_access = OSPOLICY_METADATA_ACCESS_SUPERVISED;
  m.metadata_token_ttl = 21601;
  ck_assert_int_eq(OSPolicy_GetImdsPolicy(&m, &p), OSPOLICY_ERR_INVALID_ARGUMENT);
  const char *reason = "unchanged";
  ck_assert_int_eq(OSPolicy_CheckImdsPath(NULL, 0, &reason), OSPOLICY_ERR_NULL_ARGUMENT);
  ck_assert_ptr_nonnull(reason);
  OSPolicy_ImdsParse parse;
  ck_assert_int_eq(OSPolicy_ParseImdsRequest("x", 1, NULL, &parse), OSPOLICY_ERR_NULL_ARGUMENT);
  ck_assert_int_eq(OSPolicy_ParseImdsRequest("x", 1, &r, NULL), OSPOLICY_ERR_NULL_ARGUMENT);
  ck_assert_int_eq(OSPolicy_ParseImdsRequest(NULL, 0, &r, &parse), OSPOLICY_ERR_NULL_ARGUMENT);
}
END_TEST

START_TEST(token_ttl_rules) {
  OSPolicy_ImdsPolicy p = supervised_policy(); /* max 300 */
  static const char *const bad[] = {"0", "301", "21600", "21601", "99999999", "-1", "1.5",
                                    "abc", "060", "", " 60", "6 0", "1e2"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    OSPolicy_ImdsRequest r = put_token(bad[i]);
    expect(&p, &r, OSPOLICY_DENIED_IMDS_TTL, 400, bad[i]);
  }
  OSPolicy_ImdsRequest r = put_token(NULL);
  expect(&p, &r, OSPOLICY_DENIED_IMDS_TTL, 400, "no TTL header");
  static const struct {
    const char *ttl;
    uint32_t granted;
  } good[] = {{"1", 1}, {"299", 299}, {"300", 300}};
  for (size_t i = 0; i < 3; i++) {
    r = put_token(good[i].ttl);
    OSPolicy_ImdsDecision d = decide(&p, &r);
    ck_assert_int_eq(d.status, OSPOLICY_OK);
    ck_assert_uint_eq(d.token_ttl, good[i].granted);
  }
  /* The IMDSv2 maximum is the ceiling even for the largest manifest TTL. */
  p.token_ttl_max = 21600;
  r = put_token("21600");
  ck_assert_int_eq(decide(&p, &r).token_ttl, 21600);
  r = put_token("21601");
  expect(&p, &r, OSPOLICY_DENIED_IMDS_TTL, 400, "21601 with max 21600");
  p.token_ttl_max = 40000; /* a hand-built policy above the ceiling issues nothing */
  r = put_token("30000");
  expect(&p, &r, OSPOLICY_DENIED_IMDS_TTL, 400, "policy above ceiling");
}
END_TEST

START_TEST(methods) {
  OSPolicy_ImdsPolicy p = supervised_policy();
  OSPolicy_ImdsRequest r = put_token("60");
  r.target = "/latest/meta-data/instance-id";
  r.target_length = strlen(r.target);
  expect(&p, &r, OSPOLICY_DENIED_IMDS_METHOD, 405, "PUT of a metadata path");
  r = put_token("60");
  r.target = "/latest/api/token/";
  r.target_length = strlen(r.target);
  expect(&p, &r, OSPOLICY_DENIED_IMDS_METHOD, 405, "PUT of the token path with a '/'");
  expect_get(&p, "/latest/api/token", OSPOLICY_DENIED_IMDS_METHOD, 405);
  r = get("/latest/meta-data/instance-id");
  r.method = OSPOLICY_IMDS_METHOD_OTHER;
  expect(&p, &r, OSPOLICY_DENIED_IMDS_METHOD, 405, "DELETE");
}
END_TEST

START_TEST(tokens) {
  OSPolicy_ImdsPolicy p = supervised_policy();
  OSPolicy_ImdsRequest r = get("/latest/meta-data/instance-id");
  r.token = NULL;
  r.token_length = 0;
  expect(&p, &r, OSPOLICY_DENIED_IMDS_TOKEN_REQUIRED, 401, "IMDSv1 (no token)");
  r = get("/latest/meta-data/instance-id");
  r.token_state = OSPOLICY_IMDS_TOKEN_INVALID;
  expect(&p, &r, OSPOLICY_DENIED_IMDS_TOKEN_INVALID, 401, "another app's token");
  r.token_state = OSPOLICY_IMDS_TOKEN_UNSET;
  expect(&p, &r, OSPOLICY_DENIED_IMDS_TOKEN_INVALID, 401, "token never looked up");
  /* A token request needs no token. */
  r = put_token("60");
  ck_assert_int_eq(decide(&p, &r).status, OSPOLICY_OK);
}
END_TEST

START_TEST(granted_paths) {
  OSPolicy_ImdsPolicy p = supervised_policy();
  expect_get(&p, "/latest/meta-data/instance-id", OSPOLICY_OK, 200);
  expect_get(&p, "/latest/meta-data/placement/", OSPOLICY_OK, 200);
  expect_get(&p, "/latest/meta-data/placement", OSPOLICY_OK, 200);
  expect_get(&p, "/latest/meta-data/placement/availability-zone", OSPOLICY_OK, 200);
  /* An exact grant grants nothing below or beside it; a prefix grant ends at its '/'. */
  expect_get(&p, "/latest/meta-data/instance-id/x", OSPOLICY_DENIED_IMDS_PATH, 403);
  expect_get(&p, "/latest/meta-data/instance-idx", OSPOLICY_DENIED_IMDS_PATH, 403);
  expect_get(&p, "/latest/meta-data/placementx", OSPOLICY_DENIED_IMDS_PATH, 403);
  expect_get(&p, "/latest/meta-data/", OSPOLICY_DENIED_IMDS_PATH, 403);
  expect_get(&p, "/latest/meta-data/hostname", OSPOLICY_DENIED_IMDS_PATH, 403);
  expect_get(&p, "/latest/dynamic/instance-identity/document", OSPOLICY_DENIED_IMDS_PATH, 403);
  /* user-data only when granted. */
  OSPolicy_ImdsRequest r = get("/latest/user-data");
  OSPolicy_ImdsDecision d = decide(&p, &r);
  ck_assert_int_eq(d.status, OSPOLICY_DENIED_IMDS_PATH);
  ck_assert_ptr_nonnull(strstr(d.reason, "user-data"));
  OSPolicy_ManifestString with_user_data[] = {mstr("/latest/user-data")};
  p.paths = with_user_data;
  p.path_count = 1;
  expect_get(&p, "/latest/user-data", OSPOLICY_OK, 200);
  expect_get(&p, "/latest/meta-data/instance-id", OSPOLICY_DENIED_IMDS_PATH, 403);
  /* Empty grant entries grant nothing. */
  OSPolicy_ManifestString empty[] = {{NULL, 0, 0}, {"", 0, 0}};
  p.paths = empty;
  p.path_count = 2;
  expect_get(&p, "/latest/meta-data/instance-id", OSPOLICY_DENIED_IMDS_PATH, 403);
}
END_TEST

START_TEST(paths_are_refused_not_normalised) {
  OSPolicy_ImdsPolicy p = supervised_policy();
  /* Each of these would reach a granted path after normalising. */
  static const char *const unsafe[] = {
      "/latest/meta-data/placement/../iam/security-credentials/admin",
      "/latest/meta-data/placement/..",
      "/latest/meta-data/./instance-id",
      "/latest/meta-data//instance-id",
      "/latest//meta-data/instance-id",
      "/latest/meta-data/%69nstance-id",
      "/latest/meta-data/placement/%2e%2e/hostname",
      "/latest/meta-data/placement%2fzone",
      "/latest/meta-data/instance-id?x=1",
      "/latest/meta-data/instance-id#f",
      "/latest/meta-data\\instance-id",
      "/latest/meta-data/instance id",
      "/latest/meta-data/instance-id;x",
      "/latest/meta-data/instance-\xc3\xaf" "d",
      "http://169.254.169.254/latest/meta-data/instance-id",
      "/LATEST/meta-data/instance-id",
      "latest/meta-data/instance-id",
      "/",
      "",
      "*",
  };
  for (size_t i = 0; i < sizeof unsafe / sizeof unsafe[0]; i++) {
    expect_get(&p, unsafe[i], OSPOLICY_ERR_IMDS_UNSAFE_PATH, 400);
  }
  char longest[300];
  memset(longest, 'a', sizeof longest);
  memcpy(longest, "/latest/meta-data/placement/", 28);
  longest[255] = '\0';
  expect_get(&p, longest, OSPOLICY_OK, 200);
  longest[255] = 'a';
  longest[256] = '\0';
  expect_get(&p, longest, OSPOLICY_ERR_IMDS_TOO_LARGE, 400);
  const char *reason = NULL;
  ck_assert_int_eq(OSPolicy_CheckImdsPath("/latest/a/..", 12, &reason),
                   OSPOLICY_ERR_IMDS_UNSAFE_PATH);
  ck_assert_ptr_nonnull(strstr(reason, ".."));
  ck_assert_int_eq(OSPolicy_CheckImdsPath("/latest/a/", 10, &reason), OSPOLICY_OK);
  ck_assert_ptr_null(reason);
  ck_assert_int_eq(OSPolicy_CheckImdsPath("/latest/a/b", 11, NULL), OSPOLICY_OK);
}
END_TEST

START_TEST(credentials_only_for_the_named_role) {
  OSPolicy_ImdsPolicy p = supervised_policy();
  /* Even a grant of the whole meta-data tree does not grant credentials. */
  OSPolicy_ManifestString everything[] = {mstr("/latest/meta-data/")};
  p.paths = everything;
  p.path_count = 1;
  p.role = NULL;
  p.role_length = 0;
  expect_get(&p, "/latest/meta-data/hostname", OSPOLICY_OK, 200);
  expect_get(&p, "/latest/meta-data/iam/security-credentials/reader",
             OSPOLICY_DENIED_IMDS_CREDENTIALS, 403);
  expect_get(&p, "/latest/meta-data/iam/security-credentials/", OSPOLICY_DENIED_IMDS_CREDENTIALS,
             403);
  expect_get(&p, "/latest/meta-data/iam/security-credentials", OSPOLICY_DENIED_IMDS_CREDENTIALS,
             403);
  expect_get(&p, "/latest/meta-data/iam/info", OSPOLICY_OK, 200);
  expect_get(&p, "/latest/meta-data/iam/security-credentialsx", OSPOLICY_OK, 200);
  p.role = "reader";
  p.role_length = 6;
  expect_get(&p, "/latest/meta-data/iam/security-credentials/reader", OSPOLICY_OK, 200);
  expect_get(&p, "/latest/meta-data/iam/security-credentials/admin",
             OSPOLICY_DENIED_IMDS_CREDENTIALS, 403);
  expect_get(&p, "/latest/meta-data/iam/security-credentials/reade",
             OSPOLICY_DENIED_IMDS_CREDENTIALS, 403);
  expect_get(&p, "/latest/meta-data/iam/security-credentials/readers",
             OSPOLICY_DENIED_IMDS_CREDENTIALS, 403);
  expect_get(&p, "/latest/meta-data/iam/security-credentials/reader/x",
             OSPOLICY_DENIED_IMDS_CREDENTIALS, 403);
  OSPolicy_ImdsRequest r = get("/latest/meta-data/iam/security-credentials");
  ck_assert_int_eq(decide(&p, &r).action, OSPOLICY_IMDS_ACTION_LIST_ROLE);
  /* Credentials need a valid token like everything else. */
  r = get("/latest/meta-data/iam/security-credentials/reader");
  r.token = NULL;
  expect(&p, &r, OSPOLICY_DENIED_IMDS_TOKEN_REQUIRED, 401, "credentials without a token");
}
END_TEST

/* The instance's own identity credentials, and any other credentials tree,
 * are never reached through a path grant, however broad. */
START_TEST(instance_credentials_are_never_granted) {
  OSPolicy_ImdsPolicy p = supervised_policy();
  OSPolicy_ManifestString everything[] = {mstr("/latest/meta-data/"), mstr("/latest/dynamic/")};
  p.paths = everything;
  p.path_count = 2;
  expect_get(&p, "/latest/meta-data/identity-credentials/ec2/security-credentials/ec2-instance",
             OSPOLICY_DENIED_IMDS_CREDENTIALS, 403);
  expect_get(&p, "/latest/meta-data/identity-credentials/ec2/info",
             OSPOLICY_DENIED_IMDS_CREDENTIALS, 403);
  expect_get(&p, "/latest/meta-data/identity-credentials", OSPOLICY_DENIED_IMDS_CREDENTIALS, 403);
  expect_get(&p, "/latest/meta-data/identity-credentials/", OSPOLICY_DENIED_IMDS_CREDENTIALS, 403);
  expect_get(&p, "/latest/dynamic/x/security-credentials", OSPOLICY_DENIED_IMDS_CREDENTIALS, 403);
  /* Names that only look alike are ordinary paths. */
  expect_get(&p, "/latest/meta-data/identity-credentialsx", OSPOLICY_OK, 200);
  expect_get(&p, "/latest/meta-data/x/security-credentials-doc", OSPOLICY_OK, 200);
  /* The one role grant still works. */
  expect_get(&p, "/latest/meta-data/iam/security-credentials/reader", OSPOLICY_OK, 200);
  ck_assert_int_eq(OSPolicy_IsImdsCredentialPath(NULL, 0), 0);
}
END_TEST

START_TEST(forwarded_and_framing) {
  OSPolicy_ImdsPolicy p = supervised_policy();
  static const struct {
    uint32_t flags;
    OSPolicy_Status status;
    unsigned http;
  } cases[] = {
      {OSPOLICY_IMDS_FLAG_FORWARDED, OSPOLICY_DENIED_IMDS_FORWARDED, 403},
      {OSPOLICY_IMDS_FLAG_TRANSFER_ENCODING, OSPOLICY_ERR_IMDS_SMUGGLING, 400},
      {OSPOLICY_IMDS_FLAG_TRANSFER_ENCODING | OSPOLICY_IMDS_FLAG_BODY, OSPOLICY_ERR_IMDS_SMUGGLING,
       400},
      {OSPOLICY_IMDS_FLAG_CONTENT_LENGTH_TWICE, OSPOLICY_ERR_IMDS_SMUGGLING, 400},
      {OSPOLICY_IMDS_FLAG_OBS_FOLD, OSPOLICY_ERR_IMDS_SMUGGLING, 400},
      {OSPOLICY_IMDS_FLAG_BODY, OSPOLICY_ERR_IMDS_MALFORMED, 400},
      {OSPOLICY_IMDS_FLAG_BODY | OSPOLICY_IMDS_FLAG_FORWARDED, OSPOLICY_ERR_IMDS_MALFORMED, 400},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    OSPolicy_ImdsRequest r = get("/latest/meta-data/instance-id");
    r.flags = cases[i].flags;
    expect(&p, &r, cases[i].status, cases[i].http, "GET with framing flags");
    r = put_token("60");
    r.flags = cases[i].flags;
    expect(&p, &r, cases[i].status, cases[i].http, "PUT with framing flags");
  }
}
END_TEST

/* ------------------------------------------------------------- parser */

static OSPolicy_Status parse_text(const char *text, OSPolicy_ImdsRequest *r, OSPolicy_ImdsParse *p) {
  OSPolicy_Status status = OSPolicy_ParseImdsRequest(text, strlen(text), r, p);
  ck_assert_int_eq(status, p->status);
  ck_assert_ptr_nonnull(p->reason);
  if (status != OSPOLICY_OK) {
    ck_assert_ptr_null(r->target); /* a refused head is never half-used */
    ck_assert_uint_eq(r->flags, 0);
  }
  return status;
}

START_TEST(parser_accepts_and_feeds_the_planner) {
  const char *text = "PUT /latest/api/token HTTP/1.1\r\nHost: 169.254.169.254\r\n"
                     "x-aws-ec2-metadata-token-ttl-seconds: \t60 \r\n\r\nBODY";
  OSPolicy_ImdsRequest r;
  OSPolicy_ImdsParse p;
  ck_assert_int_eq(parse_text(text, &r, &p), OSPOLICY_OK);
  ck_assert_uint_eq(p.head_length, strlen(text) - 4);
  ck_assert_int_eq(r.method, OSPOLICY_IMDS_METHOD_PUT);
  ck_assert_int_eq(r.requester, OSPOLICY_IMDS_REQUESTER_UNSET);
  ck_assert_uint_eq(r.ttl_length, 2);
  ck_assert_int_eq(memcmp(r.ttl, "60", 2), 0);
  ck_assert_ptr_null(r.token);
  OSPolicy_ImdsPolicy policy = supervised_policy();
  /* Parsed but not attributed: the planner refuses until the caller says who asks. */
  expect(&policy, &r, OSPOLICY_ERR_INVALID_ARGUMENT, 500, "requester unset");
  r.requester = OSPOLICY_IMDS_REQUESTER_SUPERVISOR;
  ck_assert_uint_eq(decide(&policy, &r).token_ttl, 60);

  text = "GET /latest/meta-data/instance-id HTTP/1.1\r\nX-aws-ec2-metadata-token: abc\r\n"
         "Content-Length: 0\r\n\r\n";
  ck_assert_int_eq(parse_text(text, &r, &p), OSPOLICY_OK);
  ck_assert_int_eq(r.method, OSPOLICY_IMDS_METHOD_GET);
  ck_assert_uint_eq(r.target_length, strlen("/latest/meta-data/instance-id"));
  ck_assert_uint_eq(r.token_length, 3);
  ck_assert_uint_eq(r.flags, 0);
  r.requester = OSPOLICY_IMDS_REQUESTER_SUPERVISOR;
  r.token_state = OSPOLICY_IMDS_TOKEN_VALID;
  ck_assert_int_eq(decide(&policy, &r).action, OSPOLICY_IMDS_ACTION_FETCH);
  ck_assert_int_eq(parse_text("DELETE /x HTTP/1.1\r\n\r\n", &r, &p), OSPOLICY_OK);
  ck_assert_int_eq(r.method, OSPOLICY_IMDS_METHOD_OTHER);
}
END_TEST

START_TEST(parser_records_framing_for_the_planner) {
  static const struct {
    const char *text;
    uint32_t flags;
    OSPolicy_Status decided;
  } cases[] = {
      {"GET /latest/meta-data/instance-id HTTP/1.1\r\nContent-Length: 0\r\n"
       "Transfer-Encoding: chunked\r\n\r\n",
       OSPOLICY_IMDS_FLAG_TRANSFER_ENCODING, OSPOLICY_ERR_IMDS_SMUGGLING},
      {"GET /latest/meta-data/instance-id HTTP/1.1\r\nContent-Length: 5\r\n"
       "Transfer-Encoding: chunked\r\n\r\n",
       OSPOLICY_IMDS_FLAG_TRANSFER_ENCODING | OSPOLICY_IMDS_FLAG_BODY, OSPOLICY_ERR_IMDS_SMUGGLING},
      {"GET /latest/meta-data/instance-id HTTP/1.1\r\nContent-Length: 0\r\nContent-Length: 0\r\n\r\n",
       OSPOLICY_IMDS_FLAG_CONTENT_LENGTH_TWICE, OSPOLICY_ERR_IMDS_SMUGGLING},
      {"GET /latest/meta-data/instance-id HTTP/1.1\r\nX-aws-ec2-metadata-token: a\r\n"
       " b\r\n\r\n",
       OSPOLICY_IMDS_FLAG_OBS_FOLD, OSPOLICY_ERR_IMDS_SMUGGLING},
      {"GET /latest/meta-data/instance-id HTTP/1.1\r\nHost: x\r\n\tTransfer-Encoding: chunked\r\n\r\n",
       OSPOLICY_IMDS_FLAG_OBS_FOLD, OSPOLICY_ERR_IMDS_SMUGGLING},
      {"PUT /latest/api/token HTTP/1.1\r\nX-Forwarded-For: 10.0.0.1\r\n"
       "X-aws-ec2-metadata-token-ttl-seconds: 60\r\n\r\n",
       OSPOLICY_IMDS_FLAG_FORWARDED, OSPOLICY_DENIED_IMDS_FORWARDED},
      {"GET /latest/meta-data/instance-id HTTP/1.1\r\ncontent-length: 12\r\n\r\n",
       OSPOLICY_IMDS_FLAG_BODY, OSPOLICY_ERR_IMDS_MALFORMED},
  };
  OSPolicy_ImdsPolicy policy = supervised_policy();
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    OSPolicy_ImdsRequest r;
    OSPolicy_ImdsParse p;
    ck_assert_int_eq(parse_text(cases[i].text, &r, &p), OSPOLICY_OK);
    ck_assert_uint_eq(r.flags, cases[i].flags);
    r.requester = OSPOLICY_IMDS_REQUESTER_SUPERVISOR;
    r.token_state = OSPOLICY_IMDS_TOKEN_VALID;
    OSPolicy_ImdsDecision d = decide(&policy, &r);
    ck_assert_msg(d.status == cases[i].decided, "case %zu: %s", i, OSPolicy_StatusName(d.status));
  }
}
END_TEST

START_TEST(parser_refuses_malformed_and_oversized) {
  static const struct {
    const char *text;
    OSPolicy_Status status;
  } cases[] = {
      {"", OSPOLICY_ERR_IMDS_MALFORMED},
      {"GET /latest/meta-data/ HTTP/1.1\r\n", OSPOLICY_ERR_IMDS_MALFORMED}, /* incomplete */
      {"GET /latest/meta-data/ HTTP/1.1\n\n", OSPOLICY_ERR_IMDS_MALFORMED}, /* bare LF */
      {"GET /latest/meta-data/ HTTP/1.1\r\nHost: x\n\r\n", OSPOLICY_ERR_IMDS_MALFORMED},
      {"GET /latest/meta-data/ HTTP/1.1\rX\r\n\r\n", OSPOLICY_ERR_IMDS_MALFORMED}, /* bare CR */
      {"GET /latest/meta-data/ HTTP/1.0\r\n\r\n", OSPOLICY_ERR_IMDS_MALFORMED},
      {"GET /latest/meta-data/ HTTP/1.1 \r\n\r\n", OSPOLICY_ERR_IMDS_MALFORMED},
      {"GET  /latest/meta-data/ HTTP/1.1\r\n\r\n", OSPOLICY_ERR_IMDS_MALFORMED},
      {"GET /latest/meta-data/\r\n\r\n", OSPOLICY_ERR_IMDS_MALFORMED},
      {" GET /latest/meta-data/ HTTP/1.1\r\n\r\n", OSPOLICY_ERR_IMDS_MALFORMED},
      {"G(T /latest/meta-data/ HTTP/1.1\r\n\r\n", OSPOLICY_ERR_IMDS_MALFORMED},
      {"GET /latest/\x01 HTTP/1.1\r\n\r\n", OSPOLICY_ERR_IMDS_MALFORMED},
      {"GET /latest/\xff HTTP/1.1\r\n\r\n", OSPOLICY_ERR_IMDS_MALFORMED},
      {"GET /x HTTP/1.1\r\n Host: x\r\n\r\n", OSPOLICY_ERR_IMDS_MALFORMED},
      {"GET /x HTTP/1.1\r\nHost : x\r\n\r\n", OSPOLICY_ERR_IMDS_MALFORMED},
      {"GET /x HTTP/1.1\r\nHost\r\n\r\n", OSPOLICY_ERR_IMDS_MALFORMED},
      {"GET /x HTTP/1.1\r\n: x\r\n\r\n", OSPOLICY_ERR_IMDS_MALFORMED},
      {"GET /x HTTP/1.1\r\nHost: a\x7f\r\n\r\n", OSPOLICY_ERR_IMDS_MALFORMED},
      {"GET /x HTTP/1.1\r\nHost: a\x01\r\n\r\n", OSPOLICY_ERR_IMDS_MALFORMED},
      {"GET /x HTTP/1.1\r\nContent-Length: -1\r\n\r\n", OSPOLICY_ERR_IMDS_MALFORMED},
      {"GET /x HTTP/1.1\r\nContent-Length: 1,1\r\n\r\n", OSPOLICY_ERR_IMDS_MALFORMED},
      {"GET /x HTTP/1.1\r\nX-aws-ec2-metadata-token: a\r\nx-aws-ec2-metadata-token: b\r\n\r\n",
       OSPOLICY_ERR_IMDS_MALFORMED},
      {"PUT /latest/api/token HTTP/1.1\r\nX-aws-ec2-metadata-token-ttl-seconds: 1\r\n"
       "X-aws-ec2-metadata-token-ttl-seconds: 21600\r\n\r\n",
       OSPOLICY_ERR_IMDS_MALFORMED},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    OSPolicy_ImdsRequest r;
    OSPolicy_ImdsParse p;
    OSPolicy_Status status = parse_text(cases[i].text, &r, &p);
    ck_assert_msg(status == cases[i].status, "case %zu: %s (%s)", i, OSPolicy_StatusName(status),
                  p.reason);
    ck_assert_uint_le(p.error_offset, strlen(cases[i].text));
  }
  /* A NUL byte inside the head. */
  OSPolicy_ImdsRequest r;
  OSPolicy_ImdsParse p;
  static const char nul[] = "GET /x HTTP/1.1\r\nHost: a\0b\r\n\r\n";
  ck_assert_int_eq(OSPolicy_ParseImdsRequest(nul, sizeof nul - 1, &r, &p),
                   OSPOLICY_ERR_IMDS_MALFORMED);

  /* Oversized: the URL, the head, the number of headers, the token. */
  char *big = malloc(20000);
  char url[300];
  memset(url, 'a', sizeof url);
  memcpy(url, "/latest/", 8);
  url[256] = '\0';
  snprintf(big, 20000, "GET %s HTTP/1.1\r\n\r\n", url);
  ck_assert_int_eq(parse_text(big, &r, &p), OSPOLICY_ERR_IMDS_TOO_LARGE);
  url[255] = '\0';
  snprintf(big, 20000, "GET %s HTTP/1.1\r\n\r\n", url);
  ck_assert_int_eq(parse_text(big, &r, &p), OSPOLICY_OK);

  size_t n = (size_t)snprintf(big, 20000, "GET /x HTTP/1.1\r\nX-Big: ");
  memset(big + n, 'v', 9000);
  memcpy(big + n + 9000, "\r\n\r\n", 5);
  ck_assert_int_eq(parse_text(big, &r, &p), OSPOLICY_ERR_IMDS_TOO_LARGE);
  ck_assert_uint_eq(p.error_offset, OSPOLICY_IMDS_MAX_HEAD);

  n = (size_t)snprintf(big, 20000, "GET /x HTTP/1.1\r\n");
  for (int i = 0; i < 65; i++) {
    n += (size_t)snprintf(big + n, 20000 - n, "X-H%d: v\r\n", i);
  }
  snprintf(big + n, 20000 - n, "\r\n");
  ck_assert_int_eq(parse_text(big, &r, &p), OSPOLICY_ERR_IMDS_TOO_LARGE);
  n = (size_t)snprintf(big, 20000, "GET /x HTTP/1.1\r\n");
  for (int i = 0; i < 64; i++) {
    n += (size_t)snprintf(big + n, 20000 - n, "X-H%d: v\r\n", i);
  }
  snprintf(big + n, 20000 - n, "\r\n");
  ck_assert_int_eq(parse_text(big, &r, &p), OSPOLICY_OK);

  n = (size_t)snprintf(big, 20000, "GET /x HTTP/1.1\r\nX-aws-ec2-metadata-token: ");
  memset(big + n, 't', 129);
  memcpy(big + n + 129, "\r\n\r\n", 5);
  ck_assert_int_eq(parse_text(big, &r, &p), OSPOLICY_ERR_IMDS_TOO_LARGE);
  free(big);
}
END_TEST

Suite *imds_policy_suite(void);
Suite *imds_policy_suite(void) {
  Suite *s = suite_create("imds_policy");
  /* The seed's markers, as test-case names. */
  TCase *denies = tcase_create("cloud.aws.imds denies app by default");
  tcase_add_test(denies, denies_app_by_default);
  suite_add_tcase(s, denies);
  TCase *allows = tcase_create("cloud.aws.imds allows supervisor mediated request");
  tcase_add_test(allows, allows_supervisor_mediated_request);
  suite_add_tcase(s, allows);
  TCase *tc = tcase_create("imds_policy");
  tcase_add_test(tc, zero_decision_is_not_success);
  tcase_add_test(tc, null_arguments);
  tcase_add_test(tc, token_ttl_rules);
  tcase_add_test(tc, methods);
  tcase_add_test(tc, tokens);
  tcase_add_test(tc, granted_paths);
  tcase_add_test(tc, paths_are_refused_not_normalised);
  tcase_add_test(tc, credentials_only_for_the_named_role);
  tcase_add_test(tc, instance_credentials_are_never_granted);
  tcase_add_test(tc, forwarded_and_framing);
  tcase_add_test(tc, parser_accepts_and_feeds_the_planner);
  tcase_add_test(tc, parser_records_framing_for_the_planner);
  tcase_add_test(tc, parser_refuses_malformed_and_oversized);
  suite_add_tcase(s, tc);
  return s;
}
