/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/* Shared timing helpers for the benchmarks: monotonic nanoseconds and a
 * best-of-N runner, so every figure is printed beside its baseline. */
#ifndef OSPOLICY_BENCH_TIMING_H
#define OSPOLICY_BENCH_TIMING_H

#include <stdint.h>

uint64_t bench_now_ns(void);

/* Runs fn(arg) `iterations` times per round, `rounds` rounds, and returns the
 * fastest round's nanoseconds per iteration (least disturbed by noise). */
double bench_best_ns_per_iter(void (*fn)(void *), void *arg, unsigned iterations, unsigned rounds);

/* The same, in CPU time of the calling thread (user + kernel), so that other
 * processes on a loaded machine do not inflate a figure or its baseline. */
double bench_best_cpu_ns_per_iter(void (*fn)(void *), void *arg, unsigned iterations, unsigned rounds);

/* Prints "name: value unit (baseline-name: value unit, ratio x)". */
void bench_report(const char *name, double value, const char *baseline_name, double baseline,
                  const char *unit);

#endif
