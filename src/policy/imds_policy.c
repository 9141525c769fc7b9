/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * IMDS policy planner and the strict request-head parser
 * (include/ospolicy/imds_policy.h, docs/imds.md). Every denial is decided in
 * OSPolicy_DecideImdsRequest; the parser only reports what it saw.
 */
#include "ospolicy/imds_policy.h"

#include <stdbool.h>

#include "mem.h"

/* ------------------------------------------------------------ utilities */

static size_t cstr_length(const char *s) {
  size_t n = 0;
  while (s[n] != '\0') {
    n++;
  }
  return n;
}

static bool equals(const char *s, size_t length, const char *literal) {
  size_t n = cstr_length(literal);
  return length == n && memcmp(s, literal, n) == 0;
}

static bool starts_with(const char *s, size_t length, const char *literal) {
  size_t n = cstr_length(literal);
  return length >= n && memcmp(s, literal, n) == 0;
}

static char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

static bool equals_ignoring_case(const char *s, size_t length, const char *literal) {
  size_t n = cstr_length(literal);
  if (length != n) {
    return false;
  }
  for (size_t i = 0; i < n; i++) {
    if (lower(s[i]) != literal[i]) {
      return false;
    }
  }
  return true;
}

/* ----------------------------------------------------------------- paths */

static bool path_char(char c) {
  unsigned char u = (unsigned char)c;
  return (unsigned)((u | 0x20u) - 'a') < 26u || (unsigned)(u - '0') < 10u || u == '.' ||
         u == '_' || u == '-' || u == '/';
}

/* Why a path segment of `n` bytes is refused, or NULL; `last`: the one
 * after the final '/', which may be empty. */
static const char *segment_problem(const char *s, size_t n, bool last) {
  if (n == 0u && !last) {
    return "an empty path segment ('//') is refused, not collapsed";
  }
  if ((n == 1u && s[0] == '.') || (n == 2u && s[0] == '.' && s[1] == '.')) {
    return "'.' and '..' segments are refused, not resolved";
  }
  return NULL;
}

OSPolicy_Status OSPolicy_CheckImdsPath(const char *path, size_t length, const char **reason) {
  const char *why = NULL;
  OSPolicy_Status status = OSPOLICY_ERR_IMDS_UNSAFE_PATH;
  if (path == NULL) {
    why = "no path";
    status = OSPOLICY_ERR_NULL_ARGUMENT;
  } else if (length > OSPOLICY_IMDS_MAX_PATH) {
    why = "the path is longer than 255 bytes";
    status = OSPOLICY_ERR_IMDS_TOO_LARGE;
  } else if (!starts_with(path, length, "/latest/")) {
    why = "the path must begin with /latest/";
  } else {
    /* One pass (every manifest path and every request goes through here):
     * the first refused character wins; otherwise the first bad segment
     * (none empty but the last, none "." or ".."). path[0] is '/'. */
    const char *segment_why = NULL;
    size_t start = 1;
    for (size_t i = 1; i < length; i++) {
      char c = path[i];
      if (path_char(c)) {
        if (c == '/') {
          if (segment_why == NULL) {
            segment_why = segment_problem(path + start, i - start, false);
          }
          start = i + 1u;
        }
        continue;
      }
      why = c == '%'                ? "percent-encoding is refused, not decoded ('%2e', '%2f')"
            : c == '?' || c == '#'  ? "a query or fragment is refused"
            : c == '\\'             ? "a backslash is refused"
                                    : "only [A-Za-z0-9._-] and '/' may appear in a metadata path";
      break;
    }
    if (why == NULL) {
      why = segment_why != NULL ? segment_why : segment_problem(path + start, length - start, true);
    }
  }
  if (reason != NULL) {
    *reason = why;
  }
  return why == NULL ? OSPOLICY_OK : status;
}

/* ---------------------------------------------------------------- policy */

OSPolicy_Status OSPolicy_GetImdsPolicy(const OSPolicy_Manifest *manifest,
                                       OSPolicy_ImdsPolicy *policy) {
  if (manifest == NULL || policy == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  *policy = (OSPolicy_ImdsPolicy){0};
  if (manifest->version != OSPOLICY_MANIFEST_VERSION ||
      (manifest->metadata_access != OSPOLICY_METADATA_ACCESS_NONE &&
       manifest->metadata_access != OSPOLICY_METADATA_ACCESS_SUPERVISED) ||
      manifest->metadata_path_count > OSPOLICY_MANIFEST_MAX_METADATA_PATHS ||
      (manifest->metadata_access == OSPOLICY_METADATA_ACCESS_SUPERVISED &&
       (manifest->metadata_token_ttl == 0u ||
        manifest->metadata_token_ttl > OSPOLICY_IMDS_MAX_TOKEN_TTL))) {
    return OSPOLICY_ERR_INVALID_ARGUMENT;
  }
  policy->access = manifest->metadata_access;
  if (policy->access == OSPOLICY_METADATA_ACCESS_SUPERVISED) {
    policy->paths = manifest->metadata_paths;
    policy->path_count = manifest->metadata_path_count;
    if (manifest->metadata_role.length > 0u) {
      policy->role = manifest->metadata_role.data;
      policy->role_length = manifest->metadata_role.length;
    }
    policy->token_ttl_max = manifest->metadata_token_ttl;
  }
  return OSPOLICY_OK;
}

/* -------------------------------------------------------------- decision */

static OSPolicy_Status deny(OSPolicy_ImdsDecision *d, OSPolicy_Status status, uint16_t http,
                            const char *reason) {
  *d = (OSPolicy_ImdsDecision){.status = status,
                               .decision = OSPOLICY_DECISION_DENY,
                               .http_status = http,
                               .reason = reason};
  return status;
}

static OSPolicy_Status allow(OSPolicy_ImdsDecision *d, OSPolicy_ImdsAction action, uint32_t ttl,
                             const char *reason) {
  *d = (OSPolicy_ImdsDecision){.status = OSPOLICY_OK,
                               .decision = OSPOLICY_DECISION_ALLOW,
                               .action = action,
                               .token_ttl = ttl,
                               .http_status = 200,
                               .reason = reason};
  return OSPOLICY_OK;
}

/* Decimal 1..max, digits only, no leading zero; false otherwise. */
static bool parse_ttl(const char *s, size_t length, uint32_t max, uint32_t *out) {
  if (s == NULL || length == 0u || length > 5u || s[0] == '0') {
    return false;
  }
  uint32_t value = 0;
  for (size_t i = 0; i < length; i++) {
    if (s[i] < '0' || s[i] > '9') {
      return false;
    }
    value = value * 10u + (uint32_t)(s[i] - '0');
  }
  if (value < 1u || value > max) {
    return false;
  }
  *out = value;
  return true;
}

static bool path_granted(const OSPolicy_ImdsPolicy *p, const char *path, size_t length) {
  for (size_t i = 0; i < p->path_count; i++) {
    const OSPolicy_ManifestString *g = &p->paths[i];
    if (g->data == NULL || g->length == 0u) {
      continue;
    }
    if (equals(path, length, g->data)) {
      return true;
    }
    if (g->data[g->length - 1u] == '/') {
      /* A prefix grant: everything below it, and the directory without its '/'. */
      if (length > g->length && memcmp(path, g->data, g->length) == 0) {
        return true;
      }
      if (length + 1u == g->length && memcmp(path, g->data, length) == 0) {
        return true;
      }
    }
  }
  return false;
}

static OSPolicy_Status decide_credentials(const OSPolicy_ImdsPolicy *p, const char *path,
                                          size_t length, OSPolicy_ImdsDecision *d) {
  size_t base = cstr_length(OSPOLICY_IMDS_CREDENTIALS_PATH);
  if (p->role == NULL || p->role_length == 0u) {
    return deny(d, OSPOLICY_DENIED_IMDS_CREDENTIALS, 403,
                "role credentials are not enabled for this app (cloudMetadata.credentials)");
  }
  if (length <= base + 1u) { /* the listing, with or without its trailing '/' */
    return allow(d, OSPOLICY_IMDS_ACTION_LIST_ROLE, 0,
                 "credentials listing: answered with the app's own role only");
  }
  const char *role = path + base + 1u;
  size_t role_length = length - base - 1u;
  if (role_length == p->role_length &&
      memcmp(role, p->role, role_length) == 0) {
    return allow(d, OSPOLICY_IMDS_ACTION_FETCH, 0, "credentials of the role the manifest names");
  }
  return deny(d, OSPOLICY_DENIED_IMDS_CREDENTIALS, 403,
              "credentials of a role other than the one the manifest names");
}

static bool is_credentials_path(const char *path, size_t length) {
  size_t base = cstr_length(OSPOLICY_IMDS_CREDENTIALS_PATH);
  return starts_with(path, length, OSPOLICY_IMDS_CREDENTIALS_PATH) &&
         (length == base || path[base] == '/');
}

/* Whether `path` has the segment `segment` anywhere. */
static bool has_segment(const char *path, size_t length, const char *segment) {
  size_t n = cstr_length(segment);
  for (size_t i = 0; i + n <= length; i++) {
    if ((i == 0u || path[i - 1u] == '/') && memcmp(path + i, segment, n) == 0 &&
        (i + n == length || path[i + n] == '/')) {
      return true;
    }
  }
  return false;
}

int OSPolicy_IsImdsCredentialPath(const char *path, size_t length) {
  if (path == NULL) {
    return 0;
  }
  static const char identity[] = "/latest/meta-data/identity-credentials";
  size_t n = sizeof identity - 1u;
  if (length >= n && memcmp(path, identity, n) == 0 && (length == n || path[n] == '/')) {
    return 1;
  }
  return has_segment(path, length, "security-credentials") && !is_credentials_path(path, length);
}

OSPolicy_Status OSPolicy_DecideImdsRequest(const OSPolicy_ImdsPolicy *policy,
                                           const OSPolicy_ImdsRequest *request,
                                           OSPolicy_ImdsDecision *decision) {
  if (decision == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  if (policy == NULL || request == NULL) {
    return deny(decision, OSPOLICY_ERR_NULL_ARGUMENT, 500, "no policy or no request");
  }
  if (request->requester == OSPOLICY_IMDS_REQUESTER_APP) {
    return deny(decision, OSPOLICY_DENIED_IMDS_DIRECT, 403,
                "apps reach instance metadata only through their supervisor");
  }
  if (request->requester != OSPOLICY_IMDS_REQUESTER_SUPERVISOR) {
    return deny(decision, OSPOLICY_ERR_INVALID_ARGUMENT, 500, "the requester is not set");
  }
  if (policy->access != OSPOLICY_METADATA_ACCESS_SUPERVISED) {
    return deny(decision, OSPOLICY_DENIED_IMDS_NOT_GRANTED, 403,
                "the manifest grants no cloud-metadata access");
  }
  if ((request->flags & OSPOLICY_IMDS_FLAG_TRANSFER_ENCODING) != 0u) {
    return deny(decision, OSPOLICY_ERR_IMDS_SMUGGLING, 400,
                "Transfer-Encoding is refused (a metadata request has no body)");
  }
  if ((request->flags & OSPOLICY_IMDS_FLAG_CONTENT_LENGTH_TWICE) != 0u) {
    return deny(decision, OSPOLICY_ERR_IMDS_SMUGGLING, 400, "Content-Length appears twice");
  }
  if ((request->flags & OSPOLICY_IMDS_FLAG_OBS_FOLD) != 0u) {
    return deny(decision, OSPOLICY_ERR_IMDS_SMUGGLING, 400,
                "a folded header line (obs-fold) is refused");
  }
  if ((request->flags & OSPOLICY_IMDS_FLAG_BODY) != 0u) {
    return deny(decision, OSPOLICY_ERR_IMDS_MALFORMED, 400, "a metadata request has no body");
  }
  if ((request->flags & OSPOLICY_IMDS_FLAG_FORWARDED) != 0u) {
    return deny(decision, OSPOLICY_DENIED_IMDS_FORWARDED, 403,
                "X-Forwarded-For is refused (a relayed request is never served)");
  }
  if (request->target == NULL && request->target_length != 0u) {
    return deny(decision, OSPOLICY_ERR_NULL_ARGUMENT, 500, "no request target");
  }
  const char *path = request->target != NULL ? request->target : "";
  size_t length = request->target_length;
  if (request->method == OSPOLICY_IMDS_METHOD_PUT) {
    if (!equals(path, length, OSPOLICY_IMDS_TOKEN_PATH)) {
      return deny(decision, OSPOLICY_DENIED_IMDS_METHOD, 405,
                  "PUT is served only for /latest/api/token");
    }
    uint32_t max = policy->token_ttl_max;
    if (max == 0u || max > OSPOLICY_IMDS_MAX_TOKEN_TTL) {
      max = 0u; /* a policy without a valid maximum grants no token */
    }
    uint32_t ttl = 0;
    if (request->ttl == NULL) {
      return deny(decision, OSPOLICY_DENIED_IMDS_TTL, 400,
                  "a token request needs X-aws-ec2-metadata-token-ttl-seconds");
    }
    if (!parse_ttl(request->ttl, request->ttl_length, max, &ttl)) {
      return deny(decision, OSPOLICY_DENIED_IMDS_TTL, 400,
                  "the token TTL must be an integer from 1 to the app's tokenTtlSeconds");
    }
    return allow(decision, OSPOLICY_IMDS_ACTION_ISSUE_TOKEN, ttl, "app token issued");
  }
  if (request->method != OSPOLICY_IMDS_METHOD_GET) {
    if (request->method == OSPOLICY_IMDS_METHOD_UNSET) {
      return deny(decision, OSPOLICY_ERR_INVALID_ARGUMENT, 500, "the method is not set");
    }
    return deny(decision, OSPOLICY_DENIED_IMDS_METHOD, 405,
                "only GET and PUT /latest/api/token are served");
  }
  const char *why = NULL;
  OSPolicy_Status checked = OSPolicy_CheckImdsPath(path, length, &why);
  if (checked != OSPOLICY_OK) {
    return deny(decision, checked, 400, why);
  }
  if (equals(path, length, OSPOLICY_IMDS_TOKEN_PATH)) {
    return deny(decision, OSPOLICY_DENIED_IMDS_METHOD, 405, "a token is requested with PUT");
  }
  if (request->token == NULL) {
    return deny(decision, OSPOLICY_DENIED_IMDS_TOKEN_REQUIRED, 401,
                "no session token (IMDSv1-style access is never granted)");
  }
  if (request->token_state != OSPOLICY_IMDS_TOKEN_VALID) {
    return deny(decision, OSPOLICY_DENIED_IMDS_TOKEN_INVALID, 401,
                "the session token is unknown, expired or another app's");
  }
  if (is_credentials_path(path, length)) {
    return decide_credentials(policy, path, length, decision);
  }
  if (OSPolicy_IsImdsCredentialPath(path, length)) {
    return deny(decision, OSPOLICY_DENIED_IMDS_CREDENTIALS, 403,
                "instance identity credentials are never served (only the named role's)");
  }
  if (path_granted(policy, path, length)) {
    return allow(decision, OSPOLICY_IMDS_ACTION_FETCH, 0, "granted path");
  }
  if (equals(path, length, "/latest/user-data") || starts_with(path, length, "/latest/user-data/")) {
    return deny(decision, OSPOLICY_DENIED_IMDS_PATH, 403,
                "user-data is not granted (it often holds secrets)");
  }
  return deny(decision, OSPOLICY_DENIED_IMDS_PATH, 403, "the path is not granted to this app");
}

/* ---------------------------------------------------------------- parser */

static OSPolicy_Status parse_fail(OSPolicy_ImdsParse *p, OSPolicy_Status status, size_t offset,
                                  const char *reason) {
  p->status = status;
  p->head_length = 0;
  p->error_offset = offset;
  p->reason = reason;
  return status;
}

static bool tchar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '!' || c == '#' || c == '$' || c == '%' || c == '&' || c == '\'' || c == '*' ||
         c == '+' || c == '-' || c == '.' || c == '^' || c == '_' || c == '`' || c == '|' ||
         c == '~';
}

/* Field-value bytes: VCHAR, SP, HTAB, obs-text. */
static bool value_char(unsigned char c) {
  return c == ' ' || c == '\t' || (c >= 0x21u && c != 0x7Fu);
}

/* Index of the CR of the next CRLF at or after `from`, or `size` if none.
 * *bare_lf is set when a LF without CR comes first. */
static size_t find_line_end(const char *b, size_t size, size_t from, bool *bare_lf) {
  *bare_lf = false;
  for (size_t i = from; i < size; i++) {
    if (b[i] == '\n') {
      *bare_lf = true;
      return i;
    }
    if (b[i] == '\r') {
      return i;
    }
  }
  return size;
}

static OSPolicy_Status parse_request_line(const char *b, size_t end, OSPolicy_ImdsRequest *r,
                                          OSPolicy_ImdsParse *p) {
  size_t i = 0;
  while (i < end && tchar(b[i])) {
    i++;
  }
  if (i == 0u || i >= end || b[i] != ' ') {
    return parse_fail(p, OSPOLICY_ERR_IMDS_MALFORMED, i, "bad method in the request line");
  }
  if (equals(b, i, "GET")) {
    r->method = OSPOLICY_IMDS_METHOD_GET;
  } else if (equals(b, i, "PUT")) {
    r->method = OSPOLICY_IMDS_METHOD_PUT;
  } else {
    r->method = OSPOLICY_IMDS_METHOD_OTHER;
  }
  size_t t = ++i;
  while (i < end && b[i] != ' ') {
    unsigned char c = (unsigned char)b[i];
    if (c <= 0x20u || c >= 0x7Fu) {
      return parse_fail(p, OSPOLICY_ERR_IMDS_MALFORMED, i, "a control or non-ASCII byte in the URL");
    }
    i++;
  }
  if (i == t || i >= end) {
    return parse_fail(p, OSPOLICY_ERR_IMDS_MALFORMED, i, "no request target");
  }
  if (i - t > OSPOLICY_IMDS_MAX_PATH) {
    return parse_fail(p, OSPOLICY_ERR_IMDS_TOO_LARGE, t, "the URL is longer than 255 bytes");
  }
  r->target = b + t;
  r->target_length = i - t;
  i++;
  if (!equals(b + i, end - i, "HTTP/1.1")) {
    return parse_fail(p, OSPOLICY_ERR_IMDS_MALFORMED, i, "the version must be HTTP/1.1");
  }
  return OSPOLICY_OK;
}

/* One header line [start, end): name ':' OWS value OWS. */
static OSPolicy_Status parse_header(const char *b, size_t start, size_t end,
                                    OSPolicy_ImdsRequest *r, OSPolicy_ImdsParse *p,
                                    bool *seen_length) {
  size_t i = start;
  while (i < end && tchar(b[i])) {
    i++;
  }
  if (i == start || i >= end || b[i] != ':') {
    return parse_fail(p, OSPOLICY_ERR_IMDS_MALFORMED, i,
                      "a header name must be a token followed directly by ':'");
  }
  const char *name = b + start;
  size_t name_length = i - start;
  i++;
  while (i < end && (b[i] == ' ' || b[i] == '\t')) {
    i++;
  }
  size_t v = i, v_end = end;
  while (v_end > v && (b[v_end - 1u] == ' ' || b[v_end - 1u] == '\t')) {
    v_end--;
  }
  for (size_t k = v; k < v_end; k++) {
    if (!value_char((unsigned char)b[k])) {
      return parse_fail(p, OSPOLICY_ERR_IMDS_MALFORMED, k, "a control byte in a header value");
    }
  }
  const char *value = b + v;
  size_t value_length = v_end - v;
  if (equals_ignoring_case(name, name_length, "x-aws-ec2-metadata-token")) {
    if (r->token != NULL) {
      return parse_fail(p, OSPOLICY_ERR_IMDS_MALFORMED, start, "the token header appears twice");
    }
    if (value_length > OSPOLICY_IMDS_MAX_TOKEN) {
      return parse_fail(p, OSPOLICY_ERR_IMDS_TOO_LARGE, v, "the token is longer than 128 bytes");
    }
    r->token = value;
    r->token_length = value_length;
  } else if (equals_ignoring_case(name, name_length, "x-aws-ec2-metadata-token-ttl-seconds")) {
    if (r->ttl != NULL) {
      return parse_fail(p, OSPOLICY_ERR_IMDS_MALFORMED, start, "the TTL header appears twice");
    }
    r->ttl = value;
    r->ttl_length = value_length;
  } else if (equals_ignoring_case(name, name_length, "x-forwarded-for")) {
    r->flags |= OSPOLICY_IMDS_FLAG_FORWARDED;
  } else if (equals_ignoring_case(name, name_length, "transfer-encoding")) {
    r->flags |= OSPOLICY_IMDS_FLAG_TRANSFER_ENCODING;
  } else if (equals_ignoring_case(name, name_length, "content-length")) {
    if (*seen_length) {
      r->flags |= OSPOLICY_IMDS_FLAG_CONTENT_LENGTH_TWICE;
    }
    *seen_length = true;
    bool zero = value_length > 0u;
    for (size_t k = 0; k < value_length; k++) {
      if (value[k] < '0' || value[k] > '9') {
        return parse_fail(p, OSPOLICY_ERR_IMDS_MALFORMED, v + k,
                          "Content-Length must be decimal digits");
      }
      zero = zero && value[k] == '0';
    }
    if (!zero) {
      r->flags |= OSPOLICY_IMDS_FLAG_BODY;
    }
  }
  return OSPOLICY_OK;
}

/* The CRLF-terminated line starting at `start`: *end is its CR. */
static OSPolicy_Status next_line(const char *bytes, size_t size, size_t limit, size_t start,
                                 size_t *end, OSPolicy_ImdsParse *parse) {
  bool bare_lf;
  *end = find_line_end(bytes, limit, start, &bare_lf);
  if (bare_lf) {
    return parse_fail(parse, OSPOLICY_ERR_IMDS_MALFORMED, *end, "a bare LF ends a line");
  }
  if (*end + 1u >= limit) {
    if (size > OSPOLICY_IMDS_MAX_HEAD) {
      return parse_fail(parse, OSPOLICY_ERR_IMDS_TOO_LARGE, limit,
                        "the request head is longer than 8192 bytes");
    }
    return parse_fail(parse, OSPOLICY_ERR_IMDS_MALFORMED, size, "the request head is incomplete");
  }
  if (bytes[*end + 1u] != '\n') {
    return parse_fail(parse, OSPOLICY_ERR_IMDS_MALFORMED, *end + 1u, "a CR not followed by LF");
  }
  return OSPOLICY_OK;
}

static OSPolicy_Status parse_head(const char *bytes, size_t size, OSPolicy_ImdsRequest *request,
                                  OSPolicy_ImdsParse *parse) {
  size_t limit = size < OSPOLICY_IMDS_MAX_HEAD ? size : OSPOLICY_IMDS_MAX_HEAD;
  size_t end = 0;
  OSPolicy_Status status = next_line(bytes, size, limit, 0, &end, parse);
  if (status != OSPOLICY_OK) {
    return status;
  }
  status = parse_request_line(bytes, end, request, parse);
  if (status != OSPOLICY_OK) {
    return status;
  }
  bool seen_length = false;
  size_t headers = 0;
  size_t start = end + 2u;
  for (;;) {
    status = next_line(bytes, size, limit, start, &end, parse);
    if (status != OSPOLICY_OK) {
      return status;
    }
    if (end == start) {
      break; /* the empty line */
    }
    if (bytes[start] == ' ' || bytes[start] == '\t') {
      if (headers == 0u) {
        return parse_fail(parse, OSPOLICY_ERR_IMDS_MALFORMED, start,
                          "whitespace before the first header");
      }
      request->flags |= OSPOLICY_IMDS_FLAG_OBS_FOLD;
    } else {
      if (++headers > OSPOLICY_IMDS_MAX_HEADERS) {
        return parse_fail(parse, OSPOLICY_ERR_IMDS_TOO_LARGE, start, "more than 64 header lines");
      }
      status = parse_header(bytes, start, end, request, parse, &seen_length);
      if (status != OSPOLICY_OK) {
        return status;
      }
    }
    start = end + 2u;
  }
  parse->status = OSPOLICY_OK;
  parse->head_length = end + 2u;
  parse->error_offset = 0;
  parse->reason = "ok";
  return OSPOLICY_OK;
}

OSPolicy_Status OSPolicy_ParseImdsRequest(const char *bytes, size_t size,
                                          OSPolicy_ImdsRequest *request, OSPolicy_ImdsParse *parse) {
  if (request == NULL || parse == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  *request = (OSPolicy_ImdsRequest){0};
  *parse = (OSPolicy_ImdsParse){.status = OSPOLICY_ERR_NULL_ARGUMENT, .reason = "no bytes"};
  if (bytes == NULL) {
    return parse->status;
  }
  OSPolicy_Status status = parse_head(bytes, size, request, parse);
  if (status != OSPOLICY_OK) {
    *request = (OSPolicy_ImdsRequest){0}; /* a refused head is never half-used */
  }
  return status;
}

const char *OSPolicy_ImdsActionName(OSPolicy_ImdsAction action) {
  switch (action) {
    case OSPOLICY_IMDS_ACTION_ISSUE_TOKEN:
      return "issue-token";
    case OSPOLICY_IMDS_ACTION_FETCH:
      return "fetch";
    case OSPOLICY_IMDS_ACTION_LIST_ROLE:
      return "list-role";
    case OSPOLICY_IMDS_ACTION_UNSET:
    default:
      return "unset";
  }
}
