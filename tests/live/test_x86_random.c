/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * The real x86-64 random instructions on this CPU, through the same health
 * check and pool the loader and kernel use. Both paths assert: if CPUID has
 * RDRAND/RDSEED they must pass the health check and feed the pool; if not,
 * the wrapper must say "not present" and hand out no step function.
 */
#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "ospolicy/entropy_pool.h"
#include "ospolicy/kaslr.h"
#include "x86_random.h"

/* Whether the kernel lists `flag` in /proc/cpuinfo. */
static bool cpuinfo_has(const char *flag) {
  FILE *f = fopen("/proc/cpuinfo", "r");
  if (f == NULL) {
    return false;
  }
  char line[8192];
  bool found = false;
  while (!found && fgets(line, sizeof line, f) != NULL) {
    if (strncmp(line, "flags", 5) != 0) {
      continue;
    }
    for (char *token = strtok(line, " \t\n:"); token != NULL; token = strtok(NULL, " \t\n:")) {
      if (strcmp(token, flag) == 0) {
        found = true;
        break;
      }
    }
    break; /* the first CPU is enough */
  }
  fclose(f);
  return found;
}

static void check_hardware(OSHost_RandomSource kind, bool present, uint32_t words,
                           uint32_t expected_credit) {
  OSPolicy_HwRandomSource source;
  memset(&source, 0x5A, sizeof source);
  OSPolicy_Status status = OSPolicy_X86GetHwRandomSource(kind, &source);
  if (!present) {
    ck_assert_int_eq(status, OSPOLICY_ERR_HWRNG_NOT_PRESENT);
    ck_assert(source.step == NULL);
    ck_assert_int_eq(source.kind, OSHOST_RANDOM_SOURCE_UNSET);
    fprintf(stderr, "%s: not present (CPUID), wrapper reports hwrng-not-present\n",
            OSPolicy_RandomSourceName(kind));
    return;
  }
  ck_assert_int_eq(status, OSPOLICY_OK);
  ck_assert(source.step != NULL);
  ck_assert_int_eq(source.kind, kind);
  OSPolicy_HwRandomHealth health;
  ck_assert_int_eq(OSPolicy_CheckHwRandomHealth(&source, &health), OSPOLICY_OK);
  ck_assert_uint_eq(health.samples, 8);
  ck_assert_uint_ge(health.changes, 5);
  OSPolicy_HwRandomDraw draw;
  ck_assert_int_eq(OSPolicy_DrawHwRandom(&source, &draw), OSPOLICY_OK);
  ck_assert_uint_ne(draw.value, 0);
  ck_assert_uint_ne(draw.value, UINT64_MAX);
  OSPolicy_EntropyPool pool;
  ck_assert_int_eq(OSPolicy_InitEntropyPool(&pool, OSPOLICY_ENTROPY_DEFAULT_THRESHOLD_BITS), OSPOLICY_OK);
  ck_assert_int_eq(OSPolicy_AddHardwareEntropy(&pool, &source, words), OSPOLICY_OK);
  ck_assert_uint_eq(pool.credited_bits, expected_credit);
  ck_assert_uint_eq(pool.trusted_mask, 1u << kind);
  fprintf(stderr, "%s: present, health %u/8 changes, %u words credited %u bits\n",
          OSPolicy_RandomSourceName(kind), health.changes, words, pool.credited_bits);
  OSPolicy_DestroyEntropyPool(&pool);
}

START_TEST(cpuid_agrees_with_the_kernel) {
  OSPolicy_X86RandomFeatures features = OSPolicy_X86GetRandomFeatures();
  /* The kernel may hide a broken feature, never invent one. */
  if (cpuinfo_has("rdrand")) {
    ck_assert(features.rdrand);
  }
  if (cpuinfo_has("rdseed")) {
    ck_assert(features.rdseed);
  }
  ck_assert(features.tsc); /* every x86-64 CPU has a TSC */
  ck_assert_int_eq(cpuinfo_has("tsc"), true);
}
END_TEST

START_TEST(rdrand_passes_health_or_reports_absent) {
  bool present = OSPolicy_X86GetRandomFeatures().rdrand;
  check_hardware(OSHOST_RANDOM_SOURCE_RDRAND, present, OSPOLICY_ENTROPY_RDRAND_WORDS, 256);
}
END_TEST

START_TEST(rdseed_passes_health_or_reports_absent) {
  bool present = OSPolicy_X86GetRandomFeatures().rdseed;
  check_hardware(OSHOST_RANDOM_SOURCE_RDSEED, present, OSPOLICY_ENTROPY_RDSEED_WORDS, 256);
}
END_TEST

START_TEST(rdtsc_jitter_is_mixed_uncredited) {
  OSPolicy_HwRandomSource tsc;
  ck_assert_int_eq(OSPolicy_X86GetHwRandomSource(OSHOST_RANDOM_SOURCE_JITTER, &tsc), OSPOLICY_OK);
  uint64_t first = tsc.step(NULL).value, changes = 0, previous = first;
  for (int i = 0; i < 1000; i++) {
    uint64_t now = tsc.step(NULL).value;
    changes += now != previous;
    previous = now;
  }
  ck_assert_uint_gt(changes, 900);
  OSPolicy_EntropyPool pool;
  ck_assert_int_eq(OSPolicy_InitEntropyPool(&pool, OSPOLICY_ENTROPY_DEFAULT_THRESHOLD_BITS), OSPOLICY_OK);
  ck_assert_int_eq(OSPolicy_AddJitterEntropy(&pool, &tsc, 64), OSPOLICY_OK);
  ck_assert_uint_eq(pool.credited_bits, 0);
  ck_assert_int_eq(OSPolicy_X86GetHwRandomSource(OSHOST_RANDOM_SOURCE_PLATFORM, &tsc),
                   OSPOLICY_ERR_INVALID_ARGUMENT);
  ck_assert(tsc.step == NULL);
  ck_assert_int_eq(OSPolicy_X86GetHwRandomSource(OSHOST_RANDOM_SOURCE_RDRAND, NULL),
                   OSPOLICY_ERR_NULL_ARGUMENT);
}
END_TEST

START_TEST(collect_from_this_machine_then_plan_kaslr) {
  OSPolicy_HwRandomSource rdseed, rdrand, tsc;
  OSPolicy_Status seed_status = OSPolicy_X86GetHwRandomSource(OSHOST_RANDOM_SOURCE_RDSEED, &rdseed);
  OSPolicy_Status rand_status = OSPolicy_X86GetHwRandomSource(OSHOST_RANDOM_SOURCE_RDRAND, &rdrand);
  ck_assert_int_eq(OSPolicy_X86GetHwRandomSource(OSHOST_RANDOM_SOURCE_JITTER, &tsc), OSPOLICY_OK);
  OSPolicy_EntropySources sources = {
      .rdseed = seed_status == OSPOLICY_OK ? &rdseed : NULL,
      .rdrand = rand_status == OSPOLICY_OK ? &rdrand : NULL,
      .jitter = &tsc,
      .platform = true, /* getrandom(2) through the Linux PAL */
  };
  OSPolicy_EntropyPool pool;
  ck_assert_int_eq(OSPolicy_InitEntropyPool(&pool, OSPOLICY_ENTROPY_DEFAULT_THRESHOLD_BITS), OSPOLICY_OK);
  OSPolicy_EntropyCollectResult result;
  ck_assert_int_eq(OSPolicy_CollectEntropy(&pool, &sources, &result), OSPOLICY_OK);
  ck_assert_int_eq(result.source_status[OSHOST_RANDOM_SOURCE_PLATFORM], OSPOLICY_OK);
  ck_assert_uint_ge(result.credited_bits, 256);
  OSPolicy_RandomWordSource words = OSPolicy_GetEntropyPoolWordSource(&pool);
  OSPolicy_KaslrRequest request = OSPolicy_GetDefaultKaslrRequest(0xffffffff80000000u, 2u << 20);
  OSPolicy_KaslrPlan plan;
  ck_assert_int_eq(OSPolicy_PlanKaslr(&request, &words, &plan), OSPOLICY_OK);
  ck_assert_uint_eq(plan.entropy_bits, 9);
  ck_assert_uint_eq(plan.base % (2u << 20), 0);
  OSPolicy_DestroyEntropyPool(&pool);
}
END_TEST

Suite *x86_random_suite(void);
Suite *x86_random_suite(void) {
  Suite *suite = suite_create("x86_random");
  TCase *tc = tcase_create("instructions");
  tcase_add_test(tc, cpuid_agrees_with_the_kernel);
  tcase_add_test(tc, rdrand_passes_health_or_reports_absent);
  tcase_add_test(tc, rdseed_passes_health_or_reports_absent);
  tcase_add_test(tc, rdtsc_jitter_is_mixed_uncredited);
  tcase_add_test(tc, collect_from_this_machine_then_plan_kaslr);
  suite_add_tcase(suite, tc);
  return suite;
}
