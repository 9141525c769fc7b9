/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * `ospolicy imds-proxy` against its baseline, measured in the same run: the
 * fake IMDS (tests/imds/fake_imds.c, 127.0.0.1) asked directly, and the same
 * request through the proxy's Unix socket (which decides it, audits it and
 * fetches it from the same fake). The load client (tests/imds/imds_load.c)
 * does the measuring: latency with one client, throughput with 32, each on
 * kept-alive connections and with a new connection per request.
 * Added latency = proxied p50/p99 minus direct p50/p99 connected the same way;
 * every figure is the median of three interleaved runs.
 *
 *   bench_imds_proxy [REQUESTS]   (default 20000 per run)
 */
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

typedef struct figures {
  double req_per_s;
  double p50_us, p99_us;
  long ok, requests;
} figures;

/* Spawns argv with stdout on a pipe; returns the pid and the read end. */
static pid_t spawn_reading(char *const argv[], FILE **out) {
  int fds[2];
  if (pipe(fds) != 0) {
    return -1;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, fds[0]);
  pid_t pid = -1;
  if (posix_spawn(&pid, argv[0], &actions, NULL, argv, environ) != 0) {
    pid = -1;
  }
  posix_spawn_file_actions_destroy(&actions);
  close(fds[1]);
  *out = fdopen(fds[0], "r");
  return pid;
}

static int run_load(const char *target_option, const char *target, int clients, int requests,
                    const char *fresh, figures *f) {
  char clients_text[16], requests_text[16];
  snprintf(clients_text, sizeof clients_text, "%d", clients);
  snprintf(requests_text, sizeof requests_text, "%d", requests);
  char *argv[] = {OSPOLICY_BINARY_DIR "/tests/imds_load", (char *)target_option, (char *)target,
                  "--clients", clients_text, "--requests", requests_text, "--max-seconds", "120",
                  "--fresh", (char *)fresh, NULL};
  FILE *out = NULL;
  pid_t pid = spawn_reading(argv, &out);
  if (pid < 0 || out == NULL) {
    return -1;
  }
  char line[512] = "";
  if (fgets(line, sizeof line, out) == NULL) {
    line[0] = '\0';
  }
  fclose(out);
  int status = 0;
  waitpid(pid, &status, 0);
  memset(f, 0, sizeof *f);
  for (char *item = strtok(line, " \n"); item != NULL; item = strtok(NULL, " \n")) {
    char *eq = strchr(item, '=');
    if (eq == NULL) {
      continue;
    }
    *eq = '\0';
    double v = strtod(eq + 1, NULL);
    if (strcmp(item, "req_per_s") == 0) f->req_per_s = v;
    if (strcmp(item, "p50_us") == 0) f->p50_us = v;
    if (strcmp(item, "p99_us") == 0) f->p99_us = v;
    if (strcmp(item, "ok") == 0) f->ok = (long)v;
    if (strcmp(item, "requests") == 0) f->requests = (long)v;
  }
  return f->requests > 0 && f->ok == f->requests ? 0 : -1;
}

#define ROUNDS 3

static int compare_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static double median(double v[ROUNDS]) {
  qsort(v, ROUNDS, sizeof v[0], compare_double);
  return v[ROUNDS / 2];
}

int main(int argc, char **argv) {
  int requests = argc > 1 ? atoi(argv[1]) : 20000;
  if (requests < 100) {
    requests = 100;
  }
  char dir[] = "/tmp/bench-imds-XXXXXX";
  if (mkdtemp(dir) == NULL) {
    perror("mkdtemp");
    return 1;
  }
  char sock[128], audit[128], app[512], upstream[64], url[64];
  snprintf(sock, sizeof sock, "%s/imds.sock", dir);
  snprintf(audit, sizeof audit, "%s/audit.jsonl", dir);

  char *fake_argv[] = {OSPOLICY_BINARY_DIR "/tests/fake_imds", "0", NULL};
  FILE *fake_out = NULL;
  pid_t fake = spawn_reading(fake_argv, &fake_out);
  unsigned port = 0;
  if (fake < 0 || fake_out == NULL || fscanf(fake_out, "port %u", &port) != 1) {
    fprintf(stderr, "bench_imds_proxy: the fake IMDS did not start\n");
    return 1;
  }
  snprintf(upstream, sizeof upstream, "http://127.0.0.1:%u", port);
  snprintf(url, sizeof url, "http://127.0.0.1:%u", port);
  snprintf(app, sizeof app, "%s/tests/imds/manifests/reader.json=%s", OSPOLICY_SOURCE_DIR, sock);
  char *proxy_argv[] = {OSPOLICY_BINARY_DIR "/src/cli/ospolicy", "imds-proxy", "--upstream",
                        upstream, "--audit", audit, "--app", app, NULL};
  FILE *proxy_out = NULL;
  pid_t proxy = spawn_reading(proxy_argv, &proxy_out);
  for (int i = 0; i < 200 && access(sock, F_OK) != 0; i++) {
    usleep(10000);
  }
  if (proxy < 0 || access(sock, F_OK) != 0) {
    fprintf(stderr, "bench_imds_proxy: the proxy did not start\n");
    kill(fake, SIGTERM);
    return 1;
  }
  usleep(100000);

  /* Both ways of connecting, each measured against the same way direct to
   * the fake: kept-alive connections (the proxy keeps one when the client
   * sends Connection: keep-alive, as imds_load does) and a new connection
   * per request. The goal (added p50 under 100 us) is judged on the first. */
  /* Each figure is the median of ROUNDS runs, the runs of both sides
   * interleaved: on a shared 2-core machine one run's p50 can land on
   * either side of a scheduling mode (client and server on one core or
   * two), so a single pair of runs can show either. */
  figures runs[ROUNDS][8];
  figures direct1, fresh1, proxied1, proxied_fresh1, direct32, proxied32, fresh32, proxied_fresh32;
  int failed = 0;
  /* Warm-up (first connections, the proxy's instance token). */
  failed |= run_load("--unix", sock, 4, 500, "0", &proxied1);
  failed |= run_load("--url", url, 4, 500, "0", &direct1);
  for (int r = 0; r < ROUNDS; r++) {
    failed |= run_load("--url", url, 1, requests, "0", &runs[r][0]);
    failed |= run_load("--unix", sock, 1, requests, "0", &runs[r][1]);
    failed |= run_load("--url", url, 1, requests, "1", &runs[r][2]);
    failed |= run_load("--unix", sock, 1, requests, "1", &runs[r][3]);
    failed |= run_load("--url", url, 32, requests * 2, "0", &runs[r][4]);
    failed |= run_load("--unix", sock, 32, requests * 2, "0", &runs[r][5]);
    failed |= run_load("--url", url, 32, requests, "1", &runs[r][6]);
    failed |= run_load("--unix", sock, 32, requests, "1", &runs[r][7]);
  }
  figures *medians[8] = {&direct1, &proxied1, &fresh1, &proxied_fresh1,
                         &direct32, &proxied32, &fresh32, &proxied_fresh32};
  for (int k = 0; k < 8; k++) {
    double p50[ROUNDS], p99[ROUNDS], rate[ROUNDS];
    for (int r = 0; r < ROUNDS; r++) {
      p50[r] = runs[r][k].p50_us;
      p99[r] = runs[r][k].p99_us;
      rate[r] = runs[r][k].req_per_s;
    }
    medians[k]->p50_us = median(p50);
    medians[k]->p99_us = median(p99);
    medians[k]->req_per_s = median(rate);
  }

  printf("imds-proxy: GET /latest/meta-data/instance-id, %d requests per latency run, "
         "median of %d runs each\n", requests, ROUNDS);
  printf("%-34s %12s %12s %12s\n", "", "direct", "via proxy", "added");
  const struct {
    const char *title;
    const figures *direct, *proxied, *direct32, *proxied32;
  } ways[] = {
      {"kept-alive connections (the goal's baseline)", &direct1, &proxied1, &direct32, &proxied32},
      {"a new connection per request", &fresh1, &proxied_fresh1, &fresh32, &proxied_fresh32},
  };
  for (size_t i = 0; i < sizeof ways / sizeof ways[0]; i++) {
    const figures *d = ways[i].direct, *v = ways[i].proxied;
    const figures *d32 = ways[i].direct32, *v32 = ways[i].proxied32;
    printf("%s\n", ways[i].title);
    printf("  %-32s %12.0f %12.0f %12.0f\n", "p50 latency, 1 client (us)", d->p50_us, v->p50_us,
           v->p50_us - d->p50_us);
    printf("  %-32s %12.0f %12.0f %12.0f\n", "p99 latency, 1 client (us)", d->p99_us, v->p99_us,
           v->p99_us - d->p99_us);
    printf("  %-32s %12.0f %12.0f %11.2fx\n", "requests/s, 1 client", d->req_per_s, v->req_per_s,
           d->req_per_s > 0 ? v->req_per_s / d->req_per_s : 0);
    printf("  %-32s %12.0f %12.0f %11.2fx\n", "requests/s, 32 clients", d32->req_per_s,
           v32->req_per_s, d32->req_per_s > 0 ? v32->req_per_s / d32->req_per_s : 0);
    printf("  %-32s %12.0f %12.0f %12.0f\n", "p50 latency, 32 clients (us)", d32->p50_us,
           v32->p50_us, v32->p50_us - d32->p50_us);
  }
  printf("(direct: TCP to the fake on 127.0.0.1; via proxy: the app's Unix socket, a planner\n"
         " decision, an audit line and a kept-alive upstream fetch. Goal: added p50 under\n"
         " 100 us against direct kept-alive, and 10,000 requests/s with 32 clients.)\n");

  kill(proxy, SIGTERM);
  waitpid(proxy, NULL, 0);
  kill(fake, SIGTERM);
  waitpid(fake, NULL, 0);
  fclose(proxy_out);
  fclose(fake_out);
  unlink(audit);
  rmdir(dir);
  if (failed) {
    fprintf(stderr, "bench_imds_proxy: a run had failed requests\n");
    return 1;
  }
  return 0;
}
