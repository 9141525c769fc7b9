/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * x86-64 random instructions as OSPolicy_HwRandomStepFn step functions, for
 * the entropy pool in the UEFI loader, the kernel and the host live tests.
 *
 * Each step executes one instruction and returns (ready = carry flag, value);
 * all retry, rejection and health logic is in the core (ospolicy/hw_random.h).
 * Executing RDRAND or RDSEED on a CPU without it raises #UD, so take sources
 * only from OSPolicy_X86GetHwRandomSource, which checks CPUID first and
 * answers OSPOLICY_ERR_HWRNG_NOT_PRESENT when the instruction is missing.
 * Freestanding: no libc, no state; safe with interrupts off.
 */
#ifndef OSPOLICY_X86_RANDOM_H
#define OSPOLICY_X86_RANDOM_H

#include <stdbool.h>

#include "ospolicy/hw_random.h"
#include "ospolicy/status.h"

typedef struct OSPolicy_X86RandomFeatures {
  bool rdrand; /* CPUID.01H:ECX[30] */
  bool rdseed; /* CPUID.(EAX=07H,ECX=0):EBX[18] */
  bool tsc;    /* CPUID.01H:EDX[4] */
} OSPolicy_X86RandomFeatures;

#ifdef __cplusplus
extern "C" {
#endif

/* What CPUID reports (leaf 7 only if the maximum basic leaf reaches it). */
OSPolicy_X86RandomFeatures OSPolicy_X86GetRandomFeatures(void);

/* One RDRAND / RDSEED / RDTSC. RDSEED executes PAUSE after a not-ready
 * answer, as Intel recommends before retrying. RDTSC is always ready.
 * Context is unused (may be NULL). */
OSPolicy_HwRandomSample OSPolicy_X86RdrandStep(void *context);
OSPolicy_HwRandomSample OSPolicy_X86RdseedStep(void *context);
OSPolicy_HwRandomSample OSPolicy_X86RdtscStep(void *context);

/* A ready-to-use source for kind RDRAND, RDSEED or JITTER (RDTSC). Errors:
 * NULL_ARGUMENT; INVALID_ARGUMENT (other kinds); HWRNG_NOT_PRESENT (CPUID
 * says the instruction is missing). *source is written on every call; on
 * error it is all zero (step NULL), so it cannot be used by mistake. */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_X86GetHwRandomSource(OSHost_RandomSource kind,
                                                                  OSPolicy_HwRandomSource *source);

#ifdef __cplusplus
}
#endif

#endif /* OSPOLICY_X86_RANDOM_H */
