/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * The Linux IMDS supervisor (imds_proxy.h, docs/imds.md). Every request is
 * decided in one place, the core planner; this file only gathers the facts
 * the planner needs (which app: the socket; the raw request target: the URI
 * log callback, before libmicrohttpd decodes anything; the headers; whether
 * the app's token is one this supervisor issued to this app), carries out
 * the allowed action and writes the audit line.
 */
#include "imds_proxy.h"

#include <curl/curl.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <poll.h>
#include <stdatomic.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "ospolicy/status.h"

#define TOKEN_BYTES 24u                 /* random bytes in an app token */
#define TOKEN_CHARS (TOKEN_BYTES * 2u)  /* hex */
#define TOKEN_SLOTS 4096u               /* per app; a power of two */
#define TOKEN_PROBE 8u                  /* slots looked at per token */
#define UPSTREAM_TOKEN_MAX 256u

/* ------------------------------------------------------------ app state */

typedef struct app_token {
  char value[TOKEN_CHARS];
  uint64_t expires_ns; /* 0: free */
} app_token;

typedef struct proxy proxy;

#define FD_SLOTS 65536u /* connection descriptors the supervisor can track */
/* conn_slot.flags bits, outside the planner's flag bits. HEAD_CHECKED: the
 * strict core parser accepted the current request's raw head; handle()
 * serves nothing without it. PIPELINED: more bytes followed that head. */
#define HEAD_CHECKED 0x80000000u
#define PIPELINED 0x40000000u
#define FRAMING_FLAGS                                                                   \
  (OSPOLICY_IMDS_FLAG_TRANSFER_ENCODING | OSPOLICY_IMDS_FLAG_CONTENT_LENGTH_TWICE |     \
   OSPOLICY_IMDS_FLAG_OBS_FOLD | OSPOLICY_IMDS_FLAG_BODY)

/* Where an app connection's byte stream stands (see recv() below). */
enum conn_mode {
  CONN_NONE = 0,   /* not a connection of this supervisor: recv passes through */
  CONN_AWAIT_HEAD, /* the next bytes start a request: checked before any is read */
  CONN_IN_HEAD,    /* a checked head, `remaining` bytes of it not yet read */
  CONN_HEAD_READ,  /* the head is read; nothing more until the answer is sent */
  CONN_REFUSED,    /* the head was refused and answered: end of stream */
};

typedef struct app_state app_state;

typedef struct conn_slot {
  _Atomic uint32_t mode; /* enum conn_mode */
  uint32_t remaining;
  uint32_t flags;        /* HEAD_CHECKED | PIPELINED | the parser's flags */
  app_state *app;
} conn_slot;

struct app_state {
  const imds_proxy_app *app;
  proxy *owner;
  struct MHD_Daemon *daemon;
  int listen_fd;

  pthread_mutex_t lock; /* guards tokens */
  app_token tokens[TOKEN_SLOTS];
};

struct proxy {
  const imds_proxy_config *config;
  /* By connection descriptor; each is only touched by the server thread
   * that owns the connection (a descriptor is one connection at a time). */
  conn_slot conns[FD_SLOTS];
  int audit_fd;
  pthread_mutex_t upstream_lock; /* guards the instance token */
  char upstream_token[UPSTREAM_TOKEN_MAX];
  uint64_t upstream_refresh_ns; /* fetch a new one after this */
  uint64_t upstream_generation;
  pthread_key_t curl_key;
  app_state *apps;
};

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* ---------------------------------------------------------------- audit */

/* Appends `text` JSON-escaped (and cut at `limit` bytes) to out. */
static size_t json_string(char *out, size_t room, const char *text, size_t length, size_t limit) {
  size_t n = 0;
  if (room < 3u) {
    return 0;
  }
  out[n++] = '"';
  for (size_t i = 0; i < length && i < limit && n + 8u < room; i++) {
    unsigned char c = (unsigned char)text[i];
    if (c == '"' || c == '\\') {
      out[n++] = '\\';
      out[n++] = (char)c;
    } else if (c < 0x20u || c >= 0x7Fu) {
      n += (size_t)snprintf(out + n, room - n, "\\u%04x", c);
    } else {
      out[n++] = (char)c;
    }
  }
  out[n++] = '"';
  out[n] = '\0';
  return n;
}

typedef struct audit_record {
  const char *app;
  const char *method;
  const char *path;
  size_t path_length;
  bool allowed;
  OSPolicy_Status status;
  unsigned http;
  const char *reason;
  long upstream_http; /* 0: no upstream request */
  uint64_t start_ns;
  uint64_t upstream_ns; /* time spent waiting for upstream */
} audit_record;

static void audit(proxy *p, const audit_record *r) {
  char line[2048];
  char app[160], method[40], path[400], reason[400];
  json_string(app, sizeof app, r->app, strlen(r->app), 64);
  json_string(method, sizeof method, r->method != NULL ? r->method : "", r->method != NULL ? strlen(r->method) : 0, 16);
  json_string(path, sizeof path, r->path != NULL ? r->path : "", r->path != NULL ? r->path_length : 0, 256);
  json_string(reason, sizeof reason, r->reason, strlen(r->reason), 200);
  struct timespec wall;
  clock_gettime(CLOCK_REALTIME, &wall);
  struct tm tm;
  gmtime_r(&wall.tv_sec, &tm);
  char upstream[24];
  if (r->upstream_http > 0) {
    snprintf(upstream, sizeof upstream, "%ld", r->upstream_http);
  } else {
    snprintf(upstream, sizeof upstream, "null");
  }
  int n = snprintf(line, sizeof line,
                   "{\"time\":\"%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ\",\"app\":%s,\"method\":%s,"
                   "\"path\":%s,\"decision\":\"%s\",\"status\":\"%s\",\"http\":%u,\"reason\":%s,"
                   "\"upstream\":%s,\"upstream_us\":%llu,\"latency_us\":%llu}\n",
                   tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                   wall.tv_nsec / 1000000, app, method, path, r->allowed ? "allow" : "deny",
                   OSPolicy_StatusName(r->status), r->http, reason, upstream,
                   (unsigned long long)(r->upstream_ns / 1000u),
                   (unsigned long long)((now_ns() - r->start_ns) / 1000u));
  if (n <= 0) {
    return;
  }
  size_t length = (size_t)n < sizeof line ? (size_t)n : sizeof line - 1u;
  /* One write(2) per line on an O_APPEND descriptor: lines never interleave. */
  if (write(p->audit_fd, line, length) != (ssize_t)length) {
    static const char msg[] = "imds-proxy: cannot write the audit line\n";
    (void)!write(STDERR_FILENO, msg, sizeof msg - 1u);
  }
}

/* --------------------------------------------------------------- tokens */

static void hex(char *out, const unsigned char *in, size_t n) {
  static const char digits[] = "0123456789abcdef";
  for (size_t i = 0; i < n; i++) {
    out[2 * i] = digits[in[i] >> 4];
    out[2 * i + 1] = digits[in[i] & 15u];
  }
}

static unsigned slot_of(const char *token) {
  unsigned h = 0;
  for (size_t i = 0; i < 8u; i++) {
    h = h * 16u + (unsigned)(token[i] >= 'a' ? token[i] - 'a' + 10 : token[i] - '0');
  }
  return h & (TOKEN_SLOTS - 1u);
}

/* Issues a fresh token for the app; false if the system RNG failed. */
static bool issue_token(app_state *a, uint32_t ttl, char out[TOKEN_CHARS + 1]) {
  unsigned char random[TOKEN_BYTES];
  size_t got = 0;
  while (got < sizeof random) {
    ssize_t r = getrandom(random + got, sizeof random - got, 0);
    if (r < 0) {
      if (errno == EINTR) {
        continue;
      }
      return false;
    }
    got += (size_t)r;
  }
  hex(out, random, sizeof random);
  out[TOKEN_CHARS] = '\0';
  uint64_t now = now_ns();
  unsigned first = slot_of(out);
  pthread_mutex_lock(&a->lock);
  /* The probe window's free or expired slot, else the one expiring soonest. */
  unsigned chosen = first;
  for (unsigned k = 0; k < TOKEN_PROBE; k++) {
    unsigned s = (first + k) & (TOKEN_SLOTS - 1u);
    if (a->tokens[s].expires_ns <= now) {
      chosen = s;
      break;
    }
    if (a->tokens[s].expires_ns < a->tokens[chosen].expires_ns) {
      chosen = s;
    }
  }
  memcpy(a->tokens[chosen].value, out, TOKEN_CHARS);
  a->tokens[chosen].expires_ns = now + (uint64_t)ttl * 1000000000u;
  pthread_mutex_unlock(&a->lock);
  return true;
}

static bool is_hex_token(const char *token, size_t length) {
  if (length != TOKEN_CHARS) {
    return false;
  }
  for (size_t i = 0; i < length; i++) {
    char c = token[i];
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return false;
    }
  }
  return true;
}

/* Constant-time compare of two tokens of TOKEN_CHARS. */
static bool same_token(const char *x, const char *y) {
  unsigned char d = 0;
  for (size_t i = 0; i < TOKEN_CHARS; i++) {
    d |= (unsigned char)(x[i] ^ y[i]);
  }
  return d == 0;
}

/* Valid only if this app's supervisor issued it and it has not expired: a
 * token of another app is unknown here, since every app has its own table. */
static OSPolicy_ImdsTokenState check_token(app_state *a, const char *token, size_t length) {
  if (!is_hex_token(token, length)) {
    return OSPOLICY_IMDS_TOKEN_INVALID;
  }
  uint64_t now = now_ns();
  unsigned first = slot_of(token);
  OSPolicy_ImdsTokenState state = OSPOLICY_IMDS_TOKEN_INVALID;
  pthread_mutex_lock(&a->lock);
  for (unsigned k = 0; k < TOKEN_PROBE; k++) {
    const app_token *t = &a->tokens[(first + k) & (TOKEN_SLOTS - 1u)];
    if (t->expires_ns > now && same_token(t->value, token)) {
      state = OSPOLICY_IMDS_TOKEN_VALID;
      break;
    }
  }
  pthread_mutex_unlock(&a->lock);
  return state;
}

/* ------------------------------------------------------------- upstream */

typedef struct body {
  char data[IMDS_PROXY_MAX_BODY];
  size_t length;
  bool truncated;
} body;

static size_t collect(char *data, size_t size, size_t count, void *user) {
  body *b = user;
  size_t n = size * count;
  if (b->length + n > sizeof b->data) {
    b->truncated = true;
    return 0; /* stops the transfer: CURLE_WRITE_ERROR */
  }
  memcpy(b->data + b->length, data, n);
  b->length += n;
  return n;
}

static void free_curl(void *handle) {
  curl_easy_cleanup(handle);
}

/* One easy handle per worker thread keeps its upstream connection alive;
 * the options that never change are set once, when it is made. */
static CURL *thread_curl(proxy *p) {
  CURL *c = pthread_getspecific(p->curl_key);
  if (c == NULL) {
    c = curl_easy_init();
    if (c != NULL && pthread_setspecific(p->curl_key, c) != 0) {
      curl_easy_cleanup(c);
      c = NULL;
    }
    if (c != NULL) {
      curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
      curl_easy_setopt(c, CURLOPT_PROXY, ""); /* never through an environment proxy */
      curl_easy_setopt(c, CURLOPT_NOPROXY, "*");
      curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
      curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http");
      curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, 1000L);
      curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 3000L);
      curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
      curl_easy_setopt(c, CURLOPT_TCP_NODELAY, 1L);
    }
  }
  return c;
}

/* One upstream request. Returns the HTTP status, or 0 with `error` set. */
static long upstream_call(proxy *p, bool put, const char *path, const char *header, body *b,
                          char *error, size_t error_size) {
  CURL *c = thread_curl(p);
  if (c == NULL) {
    snprintf(error, error_size, "cannot create an upstream client");
    return 0;
  }
  char url[512];
  snprintf(url, sizeof url, "%s%s", p->config->upstream, path);
  char curl_error[CURL_ERROR_SIZE] = "";
  struct curl_slist *headers = curl_slist_append(NULL, header);
  b->length = 0;
  b->truncated = false;
  curl_easy_setopt(c, CURLOPT_URL, url);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, b);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, curl_error);
  curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, put ? "PUT" : NULL);
  CURLcode rc = curl_easy_perform(c);
  /* Nothing of this call may outlive it in the reused handle. */
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, NULL);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, NULL);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, NULL);
  curl_slist_free_all(headers);
  if (rc != CURLE_OK) {
    if (b->truncated) {
      snprintf(error, error_size, "the upstream answer is larger than %u bytes",
               IMDS_PROXY_MAX_BODY);
    } else {
      snprintf(error, error_size, "upstream metadata service unreachable: %s",
               curl_error[0] != '\0' ? curl_error : curl_easy_strerror(rc));
    }
    return 0;
  }
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  return status;
}

/* The instance token, fetched (PUT, the configured TTL) when there is none
 * or it is close to expiry. Returns its generation, or 0 with `error` set. */
static uint64_t upstream_token(proxy *p, char out[UPSTREAM_TOKEN_MAX], body *b, char *error,
                               size_t error_size) {
  pthread_mutex_lock(&p->upstream_lock);
  uint64_t now = now_ns();
  if (p->upstream_token[0] == '\0' || now >= p->upstream_refresh_ns) {
    char header[80];
    uint32_t ttl = p->config->upstream_token_ttl;
    snprintf(header, sizeof header, "X-aws-ec2-metadata-token-ttl-seconds: %u", ttl);
    long status = upstream_call(p, true, OSPOLICY_IMDS_TOKEN_PATH, header, b, error, error_size);
    if (status != 200 || b->length == 0u || b->length >= UPSTREAM_TOKEN_MAX) {
      if (status != 0) {
        snprintf(error, error_size, "upstream refused the session token request (HTTP %ld)",
                 status);
      }
      p->upstream_token[0] = '\0';
      pthread_mutex_unlock(&p->upstream_lock);
      return 0;
    }
    memcpy(p->upstream_token, b->data, b->length);
    p->upstream_token[b->length] = '\0';
    /* Refresh with a quarter of the TTL (at most a minute) still left. */
    uint64_t margin_ms = (uint64_t)ttl * 250u;
    if (margin_ms > 60000u) {
      margin_ms = 60000u;
    }
    p->upstream_refresh_ns = now + ((uint64_t)ttl * 1000u - margin_ms) * 1000000u;
    p->upstream_generation++;
  }
  memcpy(out, p->upstream_token, UPSTREAM_TOKEN_MAX);
  uint64_t generation = p->upstream_generation;
  pthread_mutex_unlock(&p->upstream_lock);
  return generation;
}

static void forget_upstream_token(proxy *p, uint64_t generation) {
  pthread_mutex_lock(&p->upstream_lock);
  if (p->upstream_generation == generation) {
    p->upstream_token[0] = '\0';
  }
  pthread_mutex_unlock(&p->upstream_lock);
}

/* GET path upstream with the instance token; one retry with a fresh token
 * if upstream no longer knows it (401). Returns the HTTP status or 0. */
static long upstream_get(proxy *p, const char *path, body *b, char *error, size_t error_size) {
  for (int attempt = 0; attempt < 2; attempt++) {
    char token[UPSTREAM_TOKEN_MAX];
    uint64_t generation = upstream_token(p, token, b, error, error_size);
    if (generation == 0u) {
      return 0;
    }
    char header[UPSTREAM_TOKEN_MAX + 40];
    snprintf(header, sizeof header, "X-aws-ec2-metadata-token: %s", token);
    long status = upstream_call(p, false, path, header, b, error, error_size);
    if (status != 401) {
      return status;
    }
    forget_upstream_token(p, generation);
  }
  snprintf(error, error_size, "upstream refused a fresh session token (HTTP 401)");
  return 0;
}

/* ------------------------------------------------------------- requests */

typedef struct request_ctx {
  uint64_t start_ns;
  char target[OSPOLICY_IMDS_MAX_PATH + 2u]; /* raw, as received; cut after 256 bytes */
  size_t target_length;                     /* min(received, 256) */
  bool audited;
  bool seen;     /* the handler ran once for this request */
  bool keep;     /* the app asked to keep the connection, with clean framing */
  int fd;        /* the connection's descriptor, -1 if unknown */
} request_ctx;

static conn_slot *slot_of_fd(proxy *p, int fd) {
  return fd >= 0 && (unsigned)fd < FD_SLOTS ? &p->conns[fd] : NULL;
}

static void *uri_log(void *cls, const char *uri, struct MHD_Connection *connection) {
  (void)cls;
  (void)connection;
  request_ctx *ctx = calloc(1, sizeof *ctx);
  if (ctx == NULL) {
    return NULL;
  }
  ctx->start_ns = now_ns();
  ctx->fd = -1;
  size_t length = strnlen(uri, OSPOLICY_IMDS_MAX_PATH + 1u);
  memcpy(ctx->target, uri, length);
  ctx->target_length = length;
  return ctx;
}

typedef struct header_scan {
  const char *token;
  size_t token_length;
  unsigned tokens;
  const char *ttl;
  size_t ttl_length;
  unsigned ttls;
  unsigned content_lengths;
  unsigned connections; /* Connection headers */
  bool keep_alive;      /* one Connection header, exactly "keep-alive" */
  bool body;
  bool bad_length;
  uint32_t flags;
} header_scan;

static bool name_is(const char *name, const char *literal) {
  return strcasecmp(name, literal) == 0;
}

static enum MHD_Result scan_header(void *cls, enum MHD_ValueKind kind, const char *key,
                                   const char *value) {
  (void)kind;
  header_scan *s = cls;
  if (value == NULL) {
    value = "";
  }
  if (name_is(key, "X-aws-ec2-metadata-token")) {
    s->tokens++;
    s->token = value;
    s->token_length = strlen(value);
  } else if (name_is(key, "X-aws-ec2-metadata-token-ttl-seconds")) {
    s->ttls++;
    s->ttl = value;
    s->ttl_length = strlen(value);
  } else if (name_is(key, "Connection")) {
    s->connections++;
    s->keep_alive = s->connections == 1u && strcasecmp(value, "keep-alive") == 0;
  } else if (name_is(key, "X-Forwarded-For")) {
    s->flags |= OSPOLICY_IMDS_FLAG_FORWARDED;
  } else if (name_is(key, "Transfer-Encoding")) {
    s->flags |= OSPOLICY_IMDS_FLAG_TRANSFER_ENCODING;
  } else if (name_is(key, "Content-Length")) {
    if (++s->content_lengths > 1u) {
      s->flags |= OSPOLICY_IMDS_FLAG_CONTENT_LENGTH_TWICE;
    }
    bool zero = value[0] != '\0';
    for (const char *c = value; *c != '\0'; c++) {
      if (*c < '0' || *c > '9') {
        s->bad_length = true;
      }
      zero = zero && *c == '0';
    }
    if (!zero) {
      s->flags |= OSPOLICY_IMDS_FLAG_BODY;
    }
  }
  /* libmicrohttpd joins a folded (obs-fold) line onto the previous value
   * with the line break kept as whitespace; a value never legitimately
   * holds CR, LF or a tab run, so any of them is the trace of a fold. */
  for (const char *c = value; *c != '\0'; c++) {
    if (*c == '\r' || *c == '\n' || *c == '\t') {
      s->flags |= OSPOLICY_IMDS_FLAG_OBS_FOLD;
    }
  }
  return MHD_YES;
}

/* Whether the connection may carry the app's next request: it asked for
 * it, and sent nothing after this request's head before the answer (at
 * most one request in flight; anything earlier closes the connection
 * unread). */
static bool keep_connection(proxy *p, const request_ctx *ctx) {
  conn_slot *c = ctx != NULL ? slot_of_fd(p, ctx->fd) : NULL;
  if (c == NULL || !ctx->keep || (c->flags & PIPELINED) != 0u) {
    return false;
  }
  char byte;
  if (recvfrom(ctx->fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT, NULL, NULL) < 0 && errno == EAGAIN) {
    return true;
  }
  c->flags |= PIPELINED; /* for the audit line when the connection closes */
  return false;
}

static enum MHD_Result respond(struct MHD_Connection *connection, bool keep, unsigned http,
                               const char *text, size_t length, const char *content_type,
                               const char *ttl_header) {
  struct MHD_Response *response =
      MHD_create_response_from_buffer(length, (void *)text, MHD_RESPMEM_MUST_COPY);
  if (response == NULL) {
    return MHD_NO;
  }
  MHD_add_response_header(response, MHD_HTTP_HEADER_CONTENT_TYPE, content_type);
  if (ttl_header != NULL) {
    MHD_add_response_header(response, "X-aws-ec2-metadata-token-ttl-seconds", ttl_header);
  }
  if (!keep) {
    MHD_add_response_header(response, MHD_HTTP_HEADER_CONNECTION, "close");
  }
  enum MHD_Result r = MHD_queue_response(connection, http, response);
  MHD_destroy_response(response);
  return r;
}

static enum MHD_Result respond_text(struct MHD_Connection *connection, bool keep,
                                    unsigned http, const char *text) {
  return respond(connection, keep, http, text, strlen(text), "text/plain", NULL);
}

/* A refusal: "<status-name>: <reason>\n" to the app, and the audit line. */
static enum MHD_Result refuse(app_state *a, struct MHD_Connection *connection, request_ctx *ctx,
                              const char *method, OSPolicy_Status status, unsigned http,
                              const char *reason, long upstream_http, uint64_t upstream_ns) {
  char text[512];
  snprintf(text, sizeof text, "%s: %s\n", OSPolicy_StatusName(status), reason);
  audit_record record = {a->app->name, method, ctx->target, ctx->target_length, false, status,
                         http, reason, upstream_http, ctx->start_ns, upstream_ns};
  audit(a->owner, &record);
  ctx->audited = true;
  return respond_text(connection, keep_connection(a->owner, ctx), http, text);
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *connection, const char *url,
                              const char *method, const char *version, const char *upload_data,
                              size_t *upload_data_size, void **con_cls) {
  (void)url;
  (void)version;
  (void)upload_data;
  app_state *a = cls;
  request_ctx *ctx = *con_cls;
  if (ctx == NULL) {
    return MHD_NO; /* no memory for the context: drop the connection */
  }
  if (ctx->audited) {
    *upload_data_size = 0; /* a body after the answer: discarded */
    return MHD_YES;
  }
  header_scan scan = {0};
  MHD_get_connection_values(connection, MHD_HEADER_KIND, scan_header, &scan);
  const union MHD_ConnectionInfo *info =
      MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CONNECTION_FD);
  ctx->fd = info != NULL ? info->connect_fd : -1;
  conn_slot *slot = slot_of_fd(a->owner, ctx->fd);
  uint32_t checked = slot != NULL ? slot->flags : 0u;
  if ((checked & HEAD_CHECKED) == 0u) {
    /* The raw head was never seen by the strict parser: libmicrohttpd's
     * lenient parse alone never decides. */
    return refuse(a, connection, ctx, method, OSPOLICY_ERR_IMDS_MALFORMED, 400,
                  "the request head was not checked by the strict parser", 0, 0);
  }
  scan.flags |= checked & ~(HEAD_CHECKED | PIPELINED);
  if (!ctx->seen) {
    ctx->seen = true;
    if (scan.keep_alive && (scan.flags & FRAMING_FLAGS) == 0u && !scan.bad_length) {
      /* libmicrohttpd keeps a connection only for an answer queued after
       * the whole request is in: the next call, at once (no body). */
      ctx->keep = true;
      return MHD_YES;
    }
  }
  if (*upload_data_size != 0u) {
    *upload_data_size = 0; /* never expected: a body is refused on the first call */
    return MHD_YES;
  }
  if (scan.tokens > 1u || scan.ttls > 1u || scan.bad_length) {
    return refuse(a, connection, ctx, method, OSPOLICY_ERR_IMDS_MALFORMED, 400,
                  scan.bad_length ? "Content-Length must be decimal digits"
                                  : "the token or TTL header appears twice",
                  0, 0);
  }
  OSPolicy_ImdsRequest request = {
      .requester = OSPOLICY_IMDS_REQUESTER_SUPERVISOR,
      .method = strcmp(method, "GET") == 0   ? OSPOLICY_IMDS_METHOD_GET
                : strcmp(method, "PUT") == 0 ? OSPOLICY_IMDS_METHOD_PUT
                                             : OSPOLICY_IMDS_METHOD_OTHER,
      .target = ctx->target,
      .target_length = ctx->target_length,
      .token = scan.tokens == 1u ? scan.token : NULL,
      .token_length = scan.token_length,
      .ttl = scan.ttls == 1u ? scan.ttl : NULL,
      .ttl_length = scan.ttl_length,
      .flags = scan.flags,
  };
  if (request.token != NULL) {
    request.token_state = check_token(a, request.token, request.token_length);
  }
  OSPolicy_ImdsDecision decision;
  OSPolicy_Status status = OSPolicy_DecideImdsRequest(&a->app->policy, &request, &decision);
  if (status != OSPOLICY_OK || decision.decision != OSPOLICY_DECISION_ALLOW) {
    return refuse(a, connection, ctx, method, decision.status, decision.http_status,
                  decision.reason, 0, 0);
  }
  audit_record record = {a->app->name, method, ctx->target, ctx->target_length, true,
                         OSPOLICY_OK, 200, decision.reason, 0, ctx->start_ns, 0};
  switch (decision.action) {
    case OSPOLICY_IMDS_ACTION_ISSUE_TOKEN: {
      char token[TOKEN_CHARS + 1u];
      if (!issue_token(a, decision.token_ttl, token)) {
        return refuse(a, connection, ctx, method, OSPOLICY_ERR_RANDOM_SOURCE_FAILED, 500,
                      "the system random source failed; no token issued", 0, 0);
      }
      char ttl[16];
      snprintf(ttl, sizeof ttl, "%u", decision.token_ttl);
      audit(a->owner, &record);
      ctx->audited = true;
      return respond(connection, keep_connection(a->owner, ctx), 200, token, TOKEN_CHARS,
                     "text/plain", ttl);
    }
    case OSPOLICY_IMDS_ACTION_LIST_ROLE:
      audit(a->owner, &record);
      ctx->audited = true;
      return respond(connection, keep_connection(a->owner, ctx), 200, a->app->policy.role,
                     a->app->policy.role_length, "text/plain", NULL);
    case OSPOLICY_IMDS_ACTION_FETCH: {
      static _Thread_local body answer; /* 64 KiB: per server thread, not per request */
      body *b = &answer;
      char path[OSPOLICY_IMDS_MAX_PATH + 2u];
      memcpy(path, ctx->target, ctx->target_length);
      path[ctx->target_length] = '\0';
      char error[300] = "";
      uint64_t asked = now_ns();
      long upstream = upstream_get(a->owner, path, b, error, sizeof error);
      record.upstream_ns = now_ns() - asked;
      enum MHD_Result r;
      if (upstream == 0) {
        r = refuse(a, connection, ctx, method, OSPOLICY_ERR_PAL_FAILED, 502, error, 0,
                   record.upstream_ns);
      } else if (upstream == 200 || upstream == 404) {
        record.http = (unsigned)upstream;
        record.upstream_http = upstream;
        audit(a->owner, &record);
        ctx->audited = true;
        r = respond(connection, keep_connection(a->owner, ctx), (unsigned)upstream, b->data,
                    b->length, "text/plain", NULL);
      } else {
        snprintf(error, sizeof error, "upstream metadata service answered HTTP %ld", upstream);
        r = refuse(a, connection, ctx, method, OSPOLICY_ERR_PAL_FAILED, 502, error, upstream,
                   record.upstream_ns);
      }
      return r;
    }
    case OSPOLICY_IMDS_ACTION_UNSET:
    default:
      return refuse(a, connection, ctx, method, OSPOLICY_ERR_INVALID_ARGUMENT, 500,
                    "the planner allowed without an action", 0, 0);
  }
}

static void completed(void *cls, struct MHD_Connection *connection, void **con_cls,
                      enum MHD_RequestTerminationCode toe) {
  app_state *a = cls;
  const union MHD_ConnectionInfo *info =
      MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CONNECTION_FD);
  conn_slot *slot = info != NULL ? slot_of_fd(a->owner, info->connect_fd) : NULL;
  if (slot != NULL && atomic_load(&slot->mode) == CONN_HEAD_READ) {
    /* Answered: whatever the app sends next is a new head, checked first. */
    slot->flags &= PIPELINED;
    atomic_store(&slot->mode, CONN_AWAIT_HEAD);
  }
  request_ctx *ctx = *con_cls;
  if (ctx == NULL) {
    return;
  }
  if (!ctx->audited && toe != MHD_REQUEST_TERMINATED_COMPLETED_OK &&
      toe != MHD_REQUEST_TERMINATED_WITH_ERROR) {
    /* Lost before an answer (an error answer of the HTTP layer itself is
     * audited by httpd_log). */
    audit_record record = {a->app->name, NULL, ctx->target, ctx->target_length, false,
                           OSPOLICY_ERR_IMDS_MALFORMED, 400,
                           toe == MHD_REQUEST_TERMINATED_CLIENT_ABORT
                               ? "the client closed the connection before a full request"
                               : "the request was not completed (timeout or shutdown)",
                           0, ctx->start_ns, 0};
    audit(a->owner, &record);
  }
  free(ctx);
  *con_cls = NULL;
}

/* libmicrohttpd's messages. A refusal it sends itself (a request line or
 * header it cannot parse, a head larger than its buffer) is audited here,
 * since such a request never reaches the handler. */
static void httpd_log(void *cls, const char *format, va_list args) {
  app_state *a = cls;
  char message[400];
  vsnprintf(message, sizeof message, format, args);
  size_t n = strlen(message);
  while (n > 0u && (message[n - 1u] == '\n' || message[n - 1u] == ' ')) {
    message[--n] = '\0';
  }
  unsigned http = 0;
  const char *code = strstr(message, "HTTP response code is ");
  if (code != NULL) {
    http = (unsigned)strtoul(code + strlen("HTTP response code is "), NULL, 10);
  }
  if (http >= 400u && http < 500u) {
    OSPolicy_Status status = (http == 413u || http == 414u || http == 431u)
                                 ? OSPOLICY_ERR_IMDS_TOO_LARGE
                                 : OSPOLICY_ERR_IMDS_MALFORMED;
    audit_record record = {a->app->name, NULL, NULL, 0, false, status, http, message, 0,
                           now_ns(), 0};
    audit(a->owner, &record);
    return;
  }
  fprintf(stderr, "imds-proxy: %s: httpd: %s\n", a->app->name, message);
}

/* ------------------------------------------------------ the head check */

/* libmicrohttpd silently joins folded header lines and tolerates more than
 * the planner may, and it reads whatever a socket holds, next requests
 * included. So the supervisor reads its app connections itself, through
 * recv() below: before libmicrohttpd gets a byte of a request, its head is
 * peeked at (MSG_PEEK) and run through the core's strict parser, and then
 * libmicrohttpd gets exactly that head and nothing after it until the answer
 * is sent. A head the parser refuses is answered 400/414/431 here and never
 * reaches the handler; the framing it records (obs-fold, Transfer-Encoding,
 * ...) goes to the handler, where the planner refuses it. */

static void refuse_raw(app_state *a, int fd, const OSPolicy_ImdsParse *parse,
                       const char *target, size_t target_length, uint64_t start) {
  unsigned http = parse->status != OSPOLICY_ERR_IMDS_TOO_LARGE ? 400u
                  : strstr(parse->reason, "URL") != NULL ? 414u
                                                          : 431u;
  char text[300];
  int length = snprintf(text, sizeof text, "%s: %s (byte %zu)\n",
                        OSPolicy_StatusName(parse->status), parse->reason, parse->error_offset);
  char head[200];
  int head_length = snprintf(head, sizeof head,
                             "HTTP/1.1 %u %s\r\nContent-Type: text/plain\r\nConnection: close\r\n"
                             "Content-Length: %d\r\n\r\n",
                             http,
                             http == 431u   ? "Request Header Fields Too Large"
                             : http == 414u ? "URI Too Long"
                                            : "Bad Request",
                             length);
  audit_record record = {a->app->name, NULL, target, target_length, false, parse->status,
                         http, parse->reason, 0, start, 0};
  audit(a->owner, &record); /* before the answer: an app that saw it finds the line */
  /* Consume what was peeked: closing a Unix socket with unread bytes would
   * reset the connection before the client reads the answer. */
  char sink[4096];
  while (recvfrom(fd, sink, sizeof sink, MSG_DONTWAIT, NULL, NULL) > 0) {
  }
  (void)!send(fd, head, (size_t)head_length, MSG_NOSIGNAL | MSG_DONTWAIT);
  (void)!send(fd, text, (size_t)length, MSG_NOSIGNAL | MSG_DONTWAIT);
  shutdown(fd, SHUT_WR);
}

/* Refuses a head the strict parser refused, naming its target as far as it
 * can be found, for the audit line. */
static void refuse_head(app_state *a, int fd, const char *buf, size_t have,
                        const OSPolicy_ImdsParse *parse) {
  const char *space = memchr(buf, ' ', have < 300u ? have : 300u);
  const char *target = space != NULL ? space + 1 : NULL;
  const char *end = target != NULL ? memchr(target, ' ', (size_t)(buf + have - target)) : NULL;
  size_t target_length = target != NULL && end != NULL ? (size_t)(end - target) : 0u;
  refuse_raw(a, fd, parse, target_length > 0u ? target : NULL, target_length, now_ns());
}

static bool peer_closed(int fd) {
  struct pollfd p = {.fd = fd, .events = POLLRDHUP};
  return poll(&p, 1, 0) == 1 && (p.revents & (POLLRDHUP | POLLHUP | POLLERR)) != 0;
}

/* recv() of an app connection, in its server thread. */
static ssize_t guarded_recv(conn_slot *c, int fd, void *buf, size_t len) {
  uint32_t mode = atomic_load(&c->mode);
  if (mode == CONN_AWAIT_HEAD) {
    static _Thread_local char head[OSPOLICY_IMDS_MAX_HEAD + 1u];
    ssize_t have = recvfrom(fd, head, sizeof head, MSG_PEEK | MSG_DONTWAIT, NULL, NULL);
    if (have <= 0) {
      return have; /* end of stream, or nothing yet (errno EAGAIN) */
    }
    OSPolicy_ImdsRequest request;
    OSPolicy_ImdsParse parse;
    if (OSPolicy_ParseImdsRequest(head, (size_t)have, &request, &parse) != OSPOLICY_OK) {
      if (parse.status == OSPOLICY_ERR_IMDS_MALFORMED && parse.error_offset == (size_t)have &&
          (size_t)have <= OSPOLICY_IMDS_MAX_HEAD && !peer_closed(fd)) {
        errno = EAGAIN; /* incomplete: the rest wakes libmicrohttpd again */
        return -1;
      }
      refuse_head(c->app, fd, head, (size_t)have, &parse);
      atomic_store(&c->mode, CONN_REFUSED);
      return 0;
    }
    c->flags = request.flags | HEAD_CHECKED |
               ((size_t)have > parse.head_length ? PIPELINED : 0u);
    c->remaining = (uint32_t)parse.head_length;
    mode = CONN_IN_HEAD;
    atomic_store(&c->mode, mode);
  }
  if (mode == CONN_IN_HEAD) {
    ssize_t n = recvfrom(fd, buf, len < c->remaining ? len : c->remaining, 0, NULL, NULL);
    if (n > 0) {
      c->remaining -= (uint32_t)n;
      if (c->remaining == 0u) {
        atomic_store(&c->mode, CONN_HEAD_READ);
      }
    }
    return n;
  }
  if (mode == CONN_REFUSED) {
    return 0;
  }
  errno = EAGAIN; /* CONN_HEAD_READ: the next head waits for the answer */
  return -1;
}

static _Atomic(proxy *) active_proxy;

/* libmicrohttpd 0.9.75 reads its sockets with recv(2) and has no hook
 * between a socket becoming readable and that read, so this definition
 * takes libc's place in the process (the executable's symbol comes first):
 * the supervisor's app connections are read through guarded_recv(); every
 * other call goes straight to recvfrom(2). imds_proxy_run() refuses to
 * start if another recv() would be found first; and were it not in effect,
 * the handler would find no head checked and refuse every request. */
ssize_t recv(int fd, void *buf, size_t len, int flags) {
  proxy *p = atomic_load_explicit(&active_proxy, memory_order_acquire);
  if (p != NULL && flags == 0 && fd >= 0 && (unsigned)fd < FD_SLOTS &&
      atomic_load(&p->conns[fd].mode) != CONN_NONE) {
    return guarded_recv(&p->conns[fd], fd, buf, len);
  }
  return recvfrom(fd, buf, len, flags, NULL, NULL);
}

/* Runs in the server thread that accepted the connection, before
 * libmicrohttpd reads from it, and when it is closed. */
static void connection_notify(void *cls, struct MHD_Connection *connection,
                              void **socket_context, enum MHD_ConnectionNotificationCode code) {
  (void)socket_context;
  app_state *a = cls;
  const union MHD_ConnectionInfo *info =
      MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CONNECTION_FD);
  if (info == NULL || info->connect_fd < 0) {
    return;
  }
  int fd = info->connect_fd;
  conn_slot *c = slot_of_fd(a->owner, fd);
  if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
    if (c != NULL) {
      bool awaiting = atomic_load(&c->mode) == CONN_AWAIT_HEAD;
      atomic_store(&c->mode, CONN_NONE); /* before the descriptor is closed and reused */
      /* Drop what the app sent and was never read: closing over unread
       * bytes would reset the connection, and the app would see ECONNRESET
       * rather than the end of the stream. It is audited: bytes after a
       * head (a pipelined request, a refused body) or a head never finished
       * (idle timeout, stop). */
      char sink[4096];
      size_t dropped = 0;
      ssize_t n;
      while ((n = recvfrom(fd, sink, sizeof sink, MSG_DONTWAIT, NULL, NULL)) > 0) {
        dropped += (size_t)n;
      }
      if (awaiting && dropped > 0u) {
        audit_record record = {a->app->name, NULL, NULL, 0, false, OSPOLICY_ERR_IMDS_MALFORMED,
                               400,
                               (c->flags & PIPELINED) != 0u
                                   ? "bytes sent after a request head before its answer were "
                                     "never read (a pipelined request or a body)"
                                   : "the connection closed with an unfinished request head",
                               0, now_ns(), 0};
        audit(a->owner, &record);
      }
    }
    return;
  }
  if (code != MHD_CONNECTION_NOTIFY_STARTED) {
    return;
  }
  if (c == NULL) {
    OSPolicy_ImdsParse parse = {.status = OSPOLICY_ERR_IMDS_MALFORMED,
                                .reason = "the supervisor has too many open connections"};
    refuse_raw(a, fd, &parse, NULL, 0, now_ns());
    shutdown(fd, SHUT_RD); /* libmicrohttpd reads end-of-file and closes it */
    return;
  }
  c->app = a;
  c->flags = 0;
  c->remaining = 0;
  atomic_store(&c->mode, CONN_AWAIT_HEAD);
}

/* --------------------------------------------------------------- sockets */

/* Binds the app's socket: a socket file left by a killed supervisor is
 * replaced (atomically, by rename), a live one or any other file is not. */
static int listen_unix(const char *path) {
  struct sockaddr_un address = {.sun_family = AF_UNIX};
  char temporary[sizeof address.sun_path];
  if (strlen(path) + 8u >= sizeof address.sun_path) {
    fprintf(stderr, "imds-proxy: socket path %s is longer than %zu bytes\n", path,
            sizeof address.sun_path - 9u);
    return -1;
  }
  struct stat st;
  if (lstat(path, &st) == 0) {
    if (!S_ISSOCK(st.st_mode)) {
      fprintf(stderr, "imds-proxy: %s exists and is not a socket; not replacing it\n", path);
      return -1;
    }
    int probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    memcpy(address.sun_path, path, strlen(path) + 1u);
    if (probe >= 0 && connect(probe, (struct sockaddr *)&address, sizeof address) == 0) {
      close(probe);
      fprintf(stderr, "imds-proxy: another supervisor is serving %s\n", path);
      return -1;
    }
    if (probe >= 0) {
      close(probe);
    }
  }
  snprintf(temporary, sizeof temporary, "%s.%d", path, (int)(getpid() % 100000));
  memcpy(address.sun_path, temporary, strlen(temporary) + 1u);
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    fprintf(stderr, "imds-proxy: socket: %s\n", strerror(errno));
    return -1;
  }
  (void)unlink(temporary);
  /* The mode comes from the umask at bind time: no chmod by name, which
   * would follow whatever a racing process put at that path. */
  mode_t old_umask = umask(0117);
  int bound = bind(fd, (struct sockaddr *)&address, sizeof address);
  umask(old_umask);
  if (bound != 0 || listen(fd, 4096) != 0 || rename(temporary, path) != 0) {
    fprintf(stderr, "imds-proxy: cannot serve %s: %s\n", path, strerror(errno));
    (void)unlink(temporary);
    close(fd);
    return -1;
  }
  return fd;
}

/* ------------------------------------------------------------------ run */

static volatile sig_atomic_t stop_requested;

static void on_signal(int signal_number) {
  (void)signal_number;
  stop_requested = 1;
}

int imds_proxy_run(const imds_proxy_config *config) {
  if (config == NULL || config->app_count == 0u || config->app_count > IMDS_PROXY_MAX_APPS ||
      config->upstream == NULL || config->upstream_token_ttl < 1u ||
      config->upstream_token_ttl > OSPOLICY_IMDS_MAX_TOKEN_TTL) {
    fprintf(stderr, "imds-proxy: invalid configuration\n");
    return 2;
  }
  if (strncmp(config->upstream, "http://", 7) != 0 || strlen(config->upstream) > 200u ||
      config->upstream[7] == '\0' || strpbrk(config->upstream + 7, "/?#@ ") != NULL) {
    fprintf(stderr,
            "imds-proxy: upstream %s is not http://HOST[:PORT] (no path, at most 200 bytes)\n",
            config->upstream);
    return 2;
  }
  /* libmicrohttpd finds recv() in the process's global scope, as dlsym does. */
  ssize_t (*ours)(int, void *, size_t, int) = recv;
  void *found = dlsym(RTLD_DEFAULT, "recv");
  if (found == NULL || sizeof found != sizeof ours || memcmp(&found, &ours, sizeof found) != 0) {
    fprintf(stderr, "imds-proxy: this executable's recv() is not the one libraries use "
                    "(linked without exporting it?); cannot check request heads\n");
    return 3;
  }
  struct rlimit files;
  if (getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur < files.rlim_max) {
    files.rlim_cur = files.rlim_max; /* a descriptor per connection, plus upstream ones */
    setrlimit(RLIMIT_NOFILE, &files);
  }
  proxy *p = calloc(1, sizeof *p); /* conns is 1.5 MiB: not on the stack */
  if (p == NULL) {
    fprintf(stderr, "imds-proxy: out of memory\n");
    return 3;
  }
  p->config = config;
  if (config->audit_path == NULL || strcmp(config->audit_path, "-") == 0) {
    p->audit_fd = STDOUT_FILENO;
  } else {
    p->audit_fd = open(config->audit_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (p->audit_fd < 0) {
      fprintf(stderr, "imds-proxy: cannot open the audit file %s: %s\n", config->audit_path,
              strerror(errno));
      free(p);
      return 3;
    }
  }
  if (curl_global_init(CURL_GLOBAL_NOTHING) != CURLE_OK ||
      pthread_key_create(&p->curl_key, free_curl) != 0) {
    fprintf(stderr, "imds-proxy: cannot initialise libcurl\n");
    if (p->audit_fd != STDOUT_FILENO) {
      close(p->audit_fd);
    }
    free(p);
    return 3;
  }
  pthread_mutex_init(&p->upstream_lock, NULL);
  p->apps = calloc(config->app_count, sizeof *p->apps);
  for (size_t i = 0; p->apps != NULL && i < config->app_count; i++) {
    p->apps[i].listen_fd = -1;
  }
  if (p->apps == NULL) {
    fprintf(stderr, "imds-proxy: out of memory\n");
    curl_global_cleanup();
    if (p->audit_fd != STDOUT_FILENO) {
      close(p->audit_fd);
    }
    free(p);
    return 3;
  }
  struct sigaction action = {.sa_handler = on_signal};
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, NULL);
  sigaction(SIGTERM, &action, NULL);
  signal(SIGPIPE, SIG_IGN);
  /* Blocked here and in every server thread; only sigsuspend below takes them. */
  sigset_t stop_signals, previous;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, &previous);
  atomic_store_explicit(&active_proxy, p, memory_order_release);

  int result = 0;
  size_t started = 0;
  for (size_t i = 0; i < config->app_count; i++, started++) {
    app_state *a = &p->apps[i];
    a->app = &config->apps[i];
    a->owner = p;
    pthread_mutex_init(&a->lock, NULL);
    a->listen_fd = listen_unix(a->app->socket_path);
    if (a->listen_fd < 0) {
      result = 3;
      break;
    }
    a->daemon = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG | MHD_USE_ITC, 0,
        NULL, NULL, handle, a, MHD_OPTION_EXTERNAL_LOGGER, httpd_log, a,
        MHD_OPTION_LISTEN_SOCKET, a->listen_fd, MHD_OPTION_NOTIFY_CONNECTION,
        connection_notify, a,
        MHD_OPTION_THREAD_POOL_SIZE, config->threads_per_app, MHD_OPTION_CONNECTION_LIMIT,
        config->max_connections, MHD_OPTION_CONNECTION_TIMEOUT,
        config->idle_timeout != 0u ? config->idle_timeout : IMDS_PROXY_DEFAULT_IDLE_TIMEOUT,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)OSPOLICY_IMDS_MAX_HEAD + 4096u,
        MHD_OPTION_STRICT_FOR_CLIENT, 1, MHD_OPTION_URI_LOG_CALLBACK, uri_log, a,
        MHD_OPTION_NOTIFY_COMPLETED, completed, a, MHD_OPTION_END);
    if (a->daemon == NULL) {
      fprintf(stderr, "imds-proxy: cannot start the server for %s on %s\n", a->app->name,
              a->app->socket_path);
      close(a->listen_fd);
      a->listen_fd = -1;
      (void)unlink(a->app->socket_path);
      result = 3;
      break;
    }
    fprintf(stderr, "imds-proxy: serving %s on %s (upstream %s)\n", a->app->name,
            a->app->socket_path, config->upstream);
  }
  if (result == 0) {
    fprintf(stderr, "imds-proxy: ready\n");
    while (!stop_requested) {
      sigsuspend(&previous);
    }
    fprintf(stderr, "imds-proxy: stopping\n");
  }
  for (size_t i = 0; i < started; i++) {
    app_state *a = &p->apps[i];
    if (a->daemon != NULL) {
      MHD_stop_daemon(a->daemon);
    }
    if (a->listen_fd >= 0) {
      close(a->listen_fd);
      (void)unlink(a->app->socket_path);
    }
    pthread_mutex_destroy(&a->lock);
  }
  atomic_store_explicit(&active_proxy, NULL, memory_order_release); /* no server thread left */
  free(p->apps);
  curl_global_cleanup();
  if (p->audit_fd != STDOUT_FILENO) {
    close(p->audit_fd);
  }
  free(p);
  return result;
}
