/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * Entropy-pool figures: output throughput for 32 B, 4 KiB and 1 MiB requests
 * against getrandom(2) for the same sizes in the same run, first with
 * libsodium's portable ChaCha20 (what the freestanding loader and kernel get:
 * no sodium_init) and then after sodium_init() (SIMD code paths on a host);
 * and the KASLR slot uniformity (chi-square over 512 slots) with the pool as
 * the random source, beside the same statistic with getrandom(2) words.
 */
#include <sodium/core.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "ospolicy/entropy_pool.h"
#include "ospolicy/kaslr.h"
#include "timing.h"
#include "x86_random.h"

typedef struct run {
  OSPolicy_EntropyPool *pool;
  unsigned char *buffer;
  size_t size;
} run;

static void pool_output(void *arg) {
  run *r = arg;
  if (OSPolicy_GenerateEntropyPoolBytes(r->pool, r->buffer, r->size) != OSPOLICY_OK) {
    abort();
  }
}

static void getrandom_output(void *arg) {
  run *r = arg;
  size_t done = 0;
  while (done < r->size) {
    ssize_t got = getrandom(r->buffer + done, r->size - done, 0);
    if (got <= 0) {
      abort();
    }
    done += (size_t)got;
  }
}

static void throughput(const char *label, OSPolicy_EntropyPool *pool, unsigned char *buffer) {
  static const struct {
    size_t size;
    unsigned iterations;
    const char *name;
  } sizes[] = {{32, 200000, "32 B"}, {4096, 20000, "4 KiB"}, {1u << 20, 100, "1 MiB"}};
  for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
    run r = {pool, buffer, sizes[i].size};
    double pool_ns = bench_best_ns_per_iter(pool_output, &r, sizes[i].iterations, 5);
    double sys_ns = bench_best_ns_per_iter(getrandom_output, &r, sizes[i].iterations, 5);
    char name[96];
    snprintf(name, sizeof name, "pool %s, %s requests", label, sizes[i].name);
    /* bytes per ns * 1000 = MB/s (10^6 bytes per second) */
    bench_report(name, (double)sizes[i].size / pool_ns * 1000.0, "getrandom(2)",
                 (double)sizes[i].size / sys_ns * 1000.0, "MB/s");
  }
}

static OSPolicy_Status getrandom_word(void *context, uint64_t *word) {
  (void)context;
  return getrandom(word, sizeof *word, 0) == (ssize_t)sizeof *word ? OSPOLICY_OK
                                                                   : OSPOLICY_ERR_PAL_FAILED;
}

static double kaslr_chi_square(OSPolicy_RandomWordSource *words, unsigned samples, uint64_t *slots) {
  OSPolicy_KaslrRequest request = OSPolicy_GetDefaultKaslrRequest(0xffffffff80000000u, 2u << 20);
  static unsigned counts[512];
  memset(counts, 0, sizeof counts);
  for (unsigned i = 0; i < samples; i++) {
    OSPolicy_KaslrPlan plan;
    if (OSPolicy_PlanKaslr(&request, words, &plan) != OSPOLICY_OK) {
      abort();
    }
    counts[plan.slot]++;
    *slots = plan.eligible_slots;
  }
  double expected = (double)samples / (double)*slots, chi = 0.0;
  for (uint64_t s = 0; s < *slots; s++) {
    double d = (double)counts[s] - expected;
    chi += d * d / expected;
  }
  return chi;
}

/* Newton's method: keeps the bench free of libm. */
static double square_root(double x) {
  double r = x > 1.0 ? x : 1.0;
  for (int i = 0; i < 64; i++) {
    r = 0.5 * (r + x / r);
  }
  return r;
}

int main(void) {
  OSPolicy_HwRandomSource rdseed, rdrand, tsc;
  OSPolicy_Status seed_status = OSPolicy_X86GetHwRandomSource(OSHOST_RANDOM_SOURCE_RDSEED, &rdseed);
  OSPolicy_Status rand_status = OSPolicy_X86GetHwRandomSource(OSHOST_RANDOM_SOURCE_RDRAND, &rdrand);
  OSPolicy_Status tsc_status = OSPolicy_X86GetHwRandomSource(OSHOST_RANDOM_SOURCE_JITTER, &tsc);
  OSPolicy_EntropySources sources = {
      .rdseed = seed_status == OSPOLICY_OK ? &rdseed : NULL,
      .rdrand = rand_status == OSPOLICY_OK ? &rdrand : NULL,
      .jitter = tsc_status == OSPOLICY_OK ? &tsc : NULL,
      .platform = true,
  };
  static OSPolicy_EntropyPool pool;
  OSPolicy_EntropyCollectResult collected;
  if (OSPolicy_InitEntropyPool(&pool, OSPOLICY_ENTROPY_DEFAULT_THRESHOLD_BITS) != OSPOLICY_OK ||
      OSPolicy_CollectEntropy(&pool, &sources, &collected) != OSPOLICY_OK) {
    fprintf(stderr, "cannot seed the pool\n");
    return 1;
  }
  printf("== entropy pool (best of 5 rounds) ==\n");
  printf("seeded: %u bits credited, sources mask 0x%x (rdseed %s, rdrand %s)\n",
         collected.credited_bits, collected.contributed_mask, OSPolicy_StatusName(seed_status),
         OSPolicy_StatusName(rand_status));
  unsigned char *buffer = malloc(1u << 20);
  if (buffer == NULL) {
    return 1;
  }
  throughput("portable", &pool, buffer);
  if (sodium_init() < 0) {
    fprintf(stderr, "sodium_init failed\n");
    return 1;
  }
  throughput("sodium_init", &pool, buffer);
  free(buffer);

  enum { SAMPLES = 512 * 1024 };
  OSPolicy_RandomWordSource pool_words = OSPolicy_GetEntropyPoolWordSource(&pool);
  OSPolicy_RandomWordSource sys_words = {.next = getrandom_word, .context = NULL};
  uint64_t slots = 0, sys_slots = 0;
  uint64_t start = bench_now_ns();
  double chi = kaslr_chi_square(&pool_words, SAMPLES, &slots);
  double pool_plan_ns = (double)(bench_now_ns() - start) / SAMPLES;
  start = bench_now_ns();
  double sys_chi = kaslr_chi_square(&sys_words, SAMPLES, &sys_slots);
  double sys_plan_ns = (double)(bench_now_ns() - start) / SAMPLES;
  printf("KASLR uniformity, %u samples over %llu slots (df %llu, mean %llu, sd %.1f):\n", SAMPLES,
         (unsigned long long)slots, (unsigned long long)(slots - 1), (unsigned long long)(slots - 1),
         square_root(2.0 * (double)(slots - 1)));
  printf("  chi-square with the pool as source:       %.1f\n", chi);
  printf("  chi-square with getrandom(2) as source:   %.1f\n", sys_chi);
  bench_report("KASLR plan, pool words", pool_plan_ns, "getrandom(2) words", sys_plan_ns, "ns/op");
  OSPolicy_DestroyEntropyPool(&pool);
  return 0;
}
