/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * Hardware random instructions (RDSEED, RDRAND, RDTSC) as pure step
 * functions, and the rules for trusting them.
 *
 * A hardware source is a step function that performs one instruction and
 * returns (ready, value): ready is the carry flag of RDRAND/RDSEED. All retry
 * and rejection logic lives here, so it is the same in the UEFI loader, the
 * kernel and the host tests (which inject fake steps):
 *
 *   - RDRAND is retried up to OSPOLICY_RDRAND_RETRIES (10) times, as Intel's
 *     DRNG guide documents: ten consecutive failures mean a broken part.
 *   - RDSEED is retried up to OSPOLICY_RDSEED_RETRIES (64) times. RDSEED reads
 *     the conditioned entropy source directly and legitimately underflows when
 *     several threads drain it; Intel recommends retrying after a PAUSE (the
 *     x86 step wrapper executes PAUSE after a not-ready answer). 64 attempts
 *     ride out contention while keeping the worst case bounded to
 *     microseconds; Linux itself tries RDSEED once and falls back to RDRAND,
 *     which the pool does too when RDSEED fails.
 *   - A value of all ones is rejected (AMD parts returned ~0 with success
 *     after suspend/resume) with OSPOLICY_ERR_HWRNG_ALL_ONES, and a zero
 *     reported as success is rejected (recent AMD RDSEED erratum) with
 *     OSPOLICY_ERR_HWRNG_ZERO. Both end the draw at once: such a source is
 *     broken, retrying would only hide it. A genuine 0 or ~0 has probability
 *     2^-64 per draw.
 *   - Before a source is trusted it passes a health check like Linux's RDRAND
 *     self-test: 8 draws, each must succeed, and at least 5 of the 7
 *     consecutive pairs must differ (OSPOLICY_ERR_HWRNG_HEALTH otherwise).
 *
 * Memory rules: sources and results are plain caller-owned structs; the
 * functions write their result completely on every call, status first.
 */
#ifndef OSPOLICY_HW_RANDOM_H
#define OSPOLICY_HW_RANDOM_H

#include <stdbool.h>
#include <stdint.h>

#include "ospolicy/random_source.h"
#include "ospolicy/status.h"

#define OSPOLICY_RDRAND_RETRIES 10u
#define OSPOLICY_RDSEED_RETRIES 64u
#define OSPOLICY_HWRNG_HEALTH_SAMPLES 8u
#define OSPOLICY_HWRNG_HEALTH_MIN_CHANGES 5u

/* One execution of the instruction: ready is the carry flag (for RDTSC always
 * true), value the destination register. */
typedef struct OSPolicy_HwRandomSample {
  bool ready;
  uint64_t value;
} OSPolicy_HwRandomSample;

typedef OSPolicy_HwRandomSample (*OSPolicy_HwRandomStepFn)(void *context);

typedef struct OSPolicy_HwRandomSource {
  OSPolicy_HwRandomStepFn step;
  void *context;
  OSHost_RandomSource kind; /* RDSEED, RDRAND or JITTER */
} OSPolicy_HwRandomSource;

typedef struct OSPolicy_HwRandomDraw {
  OSPolicy_Status status;
  uint64_t value;    /* valid only on OK; 0 otherwise */
  uint32_t attempts; /* steps executed */
} OSPolicy_HwRandomDraw;

typedef struct OSPolicy_HwRandomHealth {
  OSPolicy_Status status;
  uint32_t samples; /* successful draws before the verdict */
  uint32_t changes; /* consecutive pairs that differed */
} OSPolicy_HwRandomHealth;

#ifdef __cplusplus
extern "C" {
#endif

/* Retries allowed for a kind: 10 for RDRAND, 64 for RDSEED, 1 for JITTER,
 * 0 for anything else. */
uint32_t OSPolicy_GetHwRandomRetryLimit(OSHost_RandomSource kind);

/* One value from an RDSEED or RDRAND source, with the retry and rejection
 * rules above. Errors: NULL_ARGUMENT (draw NULL: nothing written; source or
 * source->step NULL); INVALID_ARGUMENT (kind not RDSEED/RDRAND);
 * HWRNG_ALL_ONES; HWRNG_ZERO; HWRNG_NOT_READY (every attempt not ready). */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_DrawHwRandom(const OSPolicy_HwRandomSource *source,
                                                          OSPolicy_HwRandomDraw *draw);

/* The health check: OSPOLICY_HWRNG_HEALTH_SAMPLES draws through
 * OSPolicy_DrawHwRandom; the first failing draw's status ends the check;
 * fewer than OSPOLICY_HWRNG_HEALTH_MIN_CHANGES changes -> HWRNG_HEALTH. The
 * sample values are discarded. Errors as OSPolicy_DrawHwRandom, plus
 * HWRNG_HEALTH. */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_CheckHwRandomHealth(const OSPolicy_HwRandomSource *source,
                                                                 OSPolicy_HwRandomHealth *health);

#ifdef __cplusplus
}
#endif

#endif /* OSPOLICY_HW_RANDOM_H */
