/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * A fake instance metadata service for tests and benchmarks, with IMDSv2
 * semantics: PUT /latest/api/token with a TTL header of 1..21600 returns a
 * session token (400 without or outside, 403 with X-Forwarded-For); every
 * GET needs a live token (401 otherwise); a few metadata paths and two fake
 * role credentials. It listens on 127.0.0.1 only (never any other address)
 * on the port given (0: any), and prints "port N" once it is ready.
 *
 * Test controls, outside /latest/: GET /_fake/stats (counters as JSON, TCP
 * connections accepted included) and
 * PUT /_fake/forget-tokens (every issued token becomes unknown, as after an
 * expiry on the instance side).
 *
 *   fake_imds [PORT]
 */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#define TOKENS 4096u

typedef struct token {
  char value[33];
  time_t expires;
} token;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static token tokens[TOKENS];
static unsigned next_token;
static atomic_ulong token_puts, gets, unauthorized, forwarded_refused, connections;

static const struct {
  const char *path;
  const char *body;
} paths[] = {
    {"/latest/meta-data/", "ami-id\nhostname\niam/\ninstance-id\nplacement/\n"},
    {"/latest/meta-data/instance-id", "i-0fake0123456789ab"},
    {"/latest/meta-data/hostname", "ip-10-0-0-1.eu-west-1.compute.internal"},
    {"/latest/meta-data/ami-id", "ami-0fake"},
    {"/latest/meta-data/placement/", "availability-zone\nregion\n"},
    {"/latest/meta-data/placement/availability-zone", "eu-west-1a"},
    {"/latest/meta-data/placement/region", "eu-west-1"},
    {"/latest/meta-data/iam/info", "{\"Code\":\"Success\",\"InstanceProfileArn\":\"arn:aws:iam::000000000000:instance-profile/fake\"}"},
    {"/latest/meta-data/iam/security-credentials/", "reader\n"},
    {"/latest/meta-data/iam/security-credentials/reader",
     "{\"Code\":\"Success\",\"Type\":\"AWS-HMAC\",\"AccessKeyId\":\"ASIAFAKEREADER\","
     "\"SecretAccessKey\":\"fake-reader-secret\",\"Token\":\"fake-session\","
     "\"Expiration\":\"2099-01-01T00:00:00Z\"}"},
    {"/latest/meta-data/iam/security-credentials/admin",
     "{\"Code\":\"Success\",\"Type\":\"AWS-HMAC\",\"AccessKeyId\":\"ASIAFAKEADMIN\","
     "\"SecretAccessKey\":\"fake-admin-secret\",\"Token\":\"fake-session\","
     "\"Expiration\":\"2099-01-01T00:00:00Z\"}"},
    {"/latest/user-data", "#!/bin/sh\nDB_PASSWORD=fake-user-data-secret\n"},
};

static enum MHD_Result answer(struct MHD_Connection *c, unsigned status, const char *text,
                              const char *ttl) {
  struct MHD_Response *r =
      MHD_create_response_from_buffer(strlen(text), (void *)text, MHD_RESPMEM_MUST_COPY);
  if (ttl != NULL) {
    MHD_add_response_header(r, "X-aws-ec2-metadata-token-ttl-seconds", ttl);
  }
  enum MHD_Result result = MHD_queue_response(c, status, r);
  MHD_destroy_response(r);
  return result;
}

static int token_valid(const char *value) {
  if (value == NULL || strlen(value) != 32) {
    return 0;
  }
  time_t now = time(NULL);
  int ok = 0;
  pthread_mutex_lock(&lock);
  for (unsigned i = 0; i < TOKENS && !ok; i++) {
    ok = tokens[i].expires > now && strcmp(tokens[i].value, value) == 0;
  }
  pthread_mutex_unlock(&lock);
  return ok;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *upload,
                              size_t *upload_size, void **con_cls) {
  (void)cls;
  (void)version;
  (void)upload;
  static int seen;
  if (*con_cls == NULL) {
    *con_cls = &seen; /* answer on the second call: the connection stays open */
    return MHD_YES;
  }
  if (*upload_size != 0) {
    *upload_size = 0;
    return MHD_YES;
  }
  if (strcmp(method, "PUT") == 0 && strcmp(url, "/_fake/forget-tokens") == 0) {
    pthread_mutex_lock(&lock);
    memset(tokens, 0, sizeof tokens);
    pthread_mutex_unlock(&lock);
    return answer(c, 200, "forgotten\n", NULL);
  }
  if (strcmp(method, "GET") == 0 && strcmp(url, "/_fake/stats") == 0) {
    char text[256];
    snprintf(text, sizeof text,
             "{\"token_puts\":%lu,\"gets\":%lu,\"unauthorized\":%lu,\"forwarded_refused\":%lu,"
             "\"connections\":%lu}\n",
             atomic_load(&token_puts), atomic_load(&gets), atomic_load(&unauthorized),
             atomic_load(&forwarded_refused), atomic_load(&connections));
    return answer(c, 200, text, NULL);
  }
  if (strcmp(method, "PUT") == 0 && strcmp(url, "/latest/api/token") == 0) {
    if (MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Forwarded-For") != NULL) {
      atomic_fetch_add(&forwarded_refused, 1);
      return answer(c, 403, "Forbidden\n", NULL);
    }
    const char *ttl_text =
        MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-aws-ec2-metadata-token-ttl-seconds");
    char *end = NULL;
    long ttl = ttl_text != NULL ? strtol(ttl_text, &end, 10) : 0;
    if (ttl_text == NULL || *end != '\0' || ttl < 1 || ttl > 21600) {
      return answer(c, 400, "Bad Request\n", NULL);
    }
    unsigned char random[16];
    if (getrandom(random, sizeof random, 0) != (ssize_t)sizeof random) {
      return answer(c, 500, "no randomness\n", NULL);
    }
    char value[33];
    for (int i = 0; i < 16; i++) {
      snprintf(value + 2 * i, 3, "%02x", random[i]);
    }
    pthread_mutex_lock(&lock);
    token *t = &tokens[next_token++ % TOKENS];
    memcpy(t->value, value, sizeof value);
    t->expires = time(NULL) + ttl;
    pthread_mutex_unlock(&lock);
    atomic_fetch_add(&token_puts, 1);
    return answer(c, 200, value, ttl_text);
  }
  if (strcmp(method, "GET") != 0) {
    return answer(c, 405, "Method Not Allowed\n", NULL);
  }
  atomic_fetch_add(&gets, 1);
  if (!token_valid(MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-aws-ec2-metadata-token"))) {
    atomic_fetch_add(&unauthorized, 1);
    return answer(c, 401, "Unauthorized\n", NULL);
  }
  for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
    if (strcmp(url, paths[i].path) == 0) {
      return answer(c, 200, paths[i].body, NULL);
    }
  }
  return answer(c, 404, "Not Found\n", NULL);
}

/* Counts TCP connections accepted: tests check the proxy reuses its own. */
static void connection_notify(void *cls, struct MHD_Connection *c, void **socket_context,
                              enum MHD_ConnectionNotificationCode code) {
  (void)cls;
  (void)c;
  (void)socket_context;
  if (code == MHD_CONNECTION_NOTIFY_STARTED) {
    atomic_fetch_add(&connections, 1);
  }
}

int main(int argc, char **argv) {
  unsigned port = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 10) : 0u;
  struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK); /* loopback only, always */
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, NULL); /* before the server threads exist */
  struct MHD_Daemon *d = MHD_start_daemon(
      MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL, 0, NULL, NULL, handle, NULL,
      MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&address, MHD_OPTION_THREAD_POOL_SIZE, 2u,
      MHD_OPTION_CONNECTION_LIMIT, 4096u, MHD_OPTION_NOTIFY_CONNECTION, connection_notify, NULL,
      MHD_OPTION_END);
  if (d == NULL) {
    fprintf(stderr, "fake_imds: cannot listen on 127.0.0.1:%u\n", port);
    return 1;
  }
  const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
  printf("port %u\n", info != NULL ? (unsigned)info->port : port);
  fflush(stdout);
  int signal_number = 0;
  sigwait(&set, &signal_number);
  MHD_stop_daemon(d);
  return 0;
}
