/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
#include "timing.h"

#include <stdio.h>
#include <time.h>

uint64_t bench_now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

double bench_best_ns_per_iter(void (*fn)(void *), void *arg, unsigned iterations, unsigned rounds) {
  double best = 0.0;
  for (unsigned r = 0; r < rounds; r++) {
    uint64_t start = bench_now_ns();
    for (unsigned i = 0; i < iterations; i++) {
      fn(arg);
    }
    double per = (double)(bench_now_ns() - start) / (double)iterations;
    if (r == 0 || per < best) {
      best = per;
    }
  }
  return best;
}

/* CPU time of the calling thread (user and kernel): time other processes
 * take on a shared machine is not counted. */
static uint64_t thread_cpu_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

double bench_best_cpu_ns_per_iter(void (*fn)(void *), void *arg, unsigned iterations, unsigned rounds) {
  double best = 0.0;
  for (unsigned r = 0; r < rounds; r++) {
    uint64_t start = thread_cpu_ns();
    for (unsigned i = 0; i < iterations; i++) {
      fn(arg);
    }
    double per = (double)(thread_cpu_ns() - start) / (double)iterations;
    if (r == 0 || per < best) {
      best = per;
    }
  }
  return best;
}

void bench_report(const char *name, double value, const char *baseline_name, double baseline,
                  const char *unit) {
  printf("%-44s %12.2f %-6s | baseline %-28s %12.2f %-6s | ratio %.2fx\n", name, value, unit,
         baseline_name, baseline, unit, baseline > 0.0 ? value / baseline : 0.0);
}
