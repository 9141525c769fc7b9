/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * Load client for the IMDS proxy and the fake (libcurl multi): takes one
 * session token, then keeps CLIENTS requests in flight until REQUESTS have
 * been made, each a GET of PATH with the token. Prints one line of figures:
 *
 *   requests=N ok=N failed=N lost=N seconds=S req_per_s=R p50_us=A p99_us=B
 *   rss_kib_start=X rss_kib_end=Y
 *
 * (rss_* from /proc/PID/status VmRSS of --pid, the server being measured,
 * taken after the first 10% of the requests and at the end). A request is ok
 * if it answered 200 with a body starting with --expect. Bounded: it stops
 * after --max-seconds and counts what did not finish as lost. Exit status 0
 * only if every request was ok. Connections are kept alive (each request
 * says Connection: keep-alive, which the proxy needs to keep one); --fresh 1
 * opens a new connection for every request instead. Only the addresses given are contacted; the
 * CTest and the bench give the proxy's Unix socket or 127.0.0.1.
 *
 *   imds_load (--unix SOCKET | --url http://127.0.0.1:PORT) [--clients N]
 *             [--requests N] [--path P] [--expect TEXT] [--pid PID]
 *             [--max-seconds S] [--fresh 1]
 */
#include <curl/curl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

typedef struct transfer {
  CURL *easy;
  char body[256];
  size_t length;
} transfer;

static size_t collect(char *data, size_t size, size_t count, void *user) {
  transfer *t = user;
  size_t n = size * count;
  size_t room = sizeof t->body - 1 - t->length;
  size_t take = n < room ? n : room;
  memcpy(t->body + t->length, data, take);
  t->length += take;
  return n;
}

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long rss_kib(long pid) {
  if (pid <= 0) {
    return -1;
  }
  char path[64], line[256];
  snprintf(path, sizeof path, "/proc/%ld/status", pid);
  FILE *f = fopen(path, "r");
  long value = -1;
  while (f != NULL && fgets(line, sizeof line, f) != NULL) {
    if (strncmp(line, "VmRSS:", 6) == 0) {
      value = strtol(line + 6, NULL, 10);
    }
  }
  if (f != NULL) {
    fclose(f);
  }
  return value;
}

static int compare_u32(const void *a, const void *b) {
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return x < y ? -1 : x > y;
}

static const char *unix_path, *base_url = "http://localhost";
static long fresh; /* --fresh 1: a new connection per request */
static char token_header[300];

static void setup(CURL *e, const char *url, transfer *t) {
  curl_easy_setopt(e, CURLOPT_URL, url);
  if (unix_path != NULL) {
    curl_easy_setopt(e, CURLOPT_UNIX_SOCKET_PATH, unix_path);
  }
  curl_easy_setopt(e, CURLOPT_PROXY, "");
  curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt(e, CURLOPT_WRITEDATA, t);
  curl_easy_setopt(e, CURLOPT_PRIVATE, t);
  curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, 10000L);
  curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, 30000L);
  curl_easy_setopt(e, CURLOPT_FORBID_REUSE, fresh);
}

int main(int argc, char **argv) {
  long clients = 64, requests = 10000, pid = 0, max_seconds = 120;
  const char *path = "/latest/meta-data/instance-id", *expect = "i-";
  for (int i = 1; i + 1 < argc; i += 2) {
    if (strcmp(argv[i], "--unix") == 0) {
      unix_path = argv[i + 1];
    } else if (strcmp(argv[i], "--url") == 0) {
      base_url = argv[i + 1];
    } else if (strcmp(argv[i], "--clients") == 0) {
      clients = strtol(argv[i + 1], NULL, 10);
    } else if (strcmp(argv[i], "--requests") == 0) {
      requests = strtol(argv[i + 1], NULL, 10);
    } else if (strcmp(argv[i], "--path") == 0) {
      path = argv[i + 1];
    } else if (strcmp(argv[i], "--expect") == 0) {
      expect = argv[i + 1];
    } else if (strcmp(argv[i], "--pid") == 0) {
      pid = strtol(argv[i + 1], NULL, 10);
    } else if (strcmp(argv[i], "--fresh") == 0) {
      fresh = strtol(argv[i + 1], NULL, 10) != 0;
    } else if (strcmp(argv[i], "--max-seconds") == 0) {
      max_seconds = strtol(argv[i + 1], NULL, 10);
    } else {
      fprintf(stderr, "imds_load: unknown option %s\n", argv[i]);
      return 2;
    }
  }
  if (clients < 1 || clients > 10000 || requests < 1 || requests > 10000000 ||
      max_seconds < 1 || max_seconds > 3600) {
    fprintf(stderr, "imds_load: clients 1..10000, requests 1..10^7, max-seconds 1..3600\n");
    return 2;
  }
  struct rlimit limit;
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max; /* one descriptor per client and then some */
    setrlimit(RLIMIT_NOFILE, &limit);
  }
  curl_global_init(CURL_GLOBAL_NOTHING);
  char url[512];

  /* The session token. */
  transfer first = {0};
  CURL *e = curl_easy_init();
  snprintf(url, sizeof url, "%s/latest/api/token", base_url);
  setup(e, url, &first);
  struct curl_slist *put_headers =
      curl_slist_append(NULL, "X-aws-ec2-metadata-token-ttl-seconds: 300");
  curl_easy_setopt(e, CURLOPT_HTTPHEADER, put_headers);
  curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, "PUT");
  long code = 0;
  if (curl_easy_perform(e) != CURLE_OK ||
      curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &code) != CURLE_OK || code != 200) {
    fprintf(stderr, "imds_load: no session token (HTTP %ld)\n", code);
    return 1;
  }
  curl_easy_cleanup(e);
  curl_slist_free_all(put_headers);
  first.body[first.length] = '\0';
  snprintf(token_header, sizeof token_header, "X-aws-ec2-metadata-token: %s", first.body);
  struct curl_slist *headers = curl_slist_append(NULL, token_header);
  if (!fresh) {
    /* The proxy keeps a connection only when asked to (docs/imds.md). */
    headers = curl_slist_append(headers, "Connection: keep-alive");
  }
  snprintf(url, sizeof url, "%s%s", base_url, path);

  CURLM *multi = curl_multi_init();
  curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, clients + 16);
  transfer *transfers = calloc((size_t)clients, sizeof *transfers);
  uint32_t *latency = calloc((size_t)requests, sizeof *latency);
  if (transfers == NULL || latency == NULL) {
    fprintf(stderr, "imds_load: out of memory\n");
    return 1;
  }
  long started = 0, done = 0, ok = 0, failed = 0, rss_start = -1;
  size_t expect_length = strlen(expect);
  double begin = now_s(), deadline = begin + (double)max_seconds;
  for (long i = 0; i < clients && started < requests; i++, started++) {
    transfers[i].easy = curl_easy_init();
    setup(transfers[i].easy, url, &transfers[i]);
    curl_easy_setopt(transfers[i].easy, CURLOPT_HTTPHEADER, headers);
    curl_multi_add_handle(multi, transfers[i].easy);
  }
  int running = 1;
  while (done < started && now_s() < deadline) {
    curl_multi_perform(multi, &running);
    CURLMsg *message;
    int left;
    while ((message = curl_multi_info_read(multi, &left)) != NULL) {
      if (message->msg != CURLMSG_DONE) {
        continue;
      }
      CURL *easy = message->easy_handle;
      transfer *t = NULL;
      curl_easy_getinfo(easy, CURLINFO_PRIVATE, (char **)&t);
      long status = 0;
      curl_off_t total_us = 0;
      curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
      curl_easy_getinfo(easy, CURLINFO_TOTAL_TIME_T, &total_us);
      if (message->data.result == CURLE_OK && status == 200 && t->length >= expect_length &&
          memcmp(t->body, expect, expect_length) == 0) {
        ok++;
      } else {
        if (failed < 5) {
          fprintf(stderr, "imds_load: request failed: %s, HTTP %ld\n",
                  curl_easy_strerror(message->data.result), status);
        }
        failed++;
      }
      latency[done++] = (uint32_t)(total_us > UINT32_MAX ? UINT32_MAX : total_us);
      if (rss_start < 0 && done >= requests / 10) {
        rss_start = rss_kib(pid);
      }
      curl_multi_remove_handle(multi, easy);
      if (started < requests) {
        t->length = 0;
        started++;
        curl_multi_add_handle(multi, easy);
      }
    }
    if (done < started) {
      curl_multi_poll(multi, NULL, 0, 100, NULL);
    }
  }
  double seconds = now_s() - begin;
  long rss_end = rss_kib(pid);
  qsort(latency, (size_t)done, sizeof *latency, compare_u32);
  uint32_t p50 = done > 0 ? latency[(size_t)done / 2] : 0;
  uint32_t p99 = done > 0 ? latency[(size_t)((double)done * 0.99)] : 0;
  long lost = requests - done;
  printf("requests=%ld ok=%ld failed=%ld lost=%ld seconds=%.2f req_per_s=%.0f p50_us=%u "
         "p99_us=%u rss_kib_start=%ld rss_kib_end=%ld\n",
         requests, ok, failed, lost, seconds, (double)done / seconds, p50, p99, rss_start,
         rss_end);
  for (long i = 0; i < clients; i++) {
    if (transfers[i].easy != NULL) {
      curl_multi_remove_handle(multi, transfers[i].easy);
      curl_easy_cleanup(transfers[i].easy);
    }
  }
  curl_multi_cleanup(multi);
  curl_slist_free_all(headers);
  free(transfers);
  free(latency);
  curl_global_cleanup();
  return ok == requests ? 0 : 1;
}
