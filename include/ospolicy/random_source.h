/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * Random-source callbacks shared by the entropy components.
 *
 * Two shapes, both a function pointer plus an opaque context the callee owns:
 *
 *   OSPolicy_RandomSource      fills a byte buffer and says how many bytes it
 *                              wrote (a firmware RNG such as EFI_RNG_PROTOCOL,
 *                              seen through OSPolicy_FillGuardedRandom);
 *   OSPolicy_RandomWordSource  hands out one 64-bit word per call (the entropy
 *                              pool's output, or a deterministic stream in a
 *                              test); the KASLR, ASLR and canary planners draw
 *                              from it, so they are deterministic for a given
 *                              stream.
 *
 * Memory rules: the library never stores a callback beyond the call that was
 * given it, except OSPolicy_GuardedRandom, which keeps its firmware source
 * until OSPolicy_MarkExitBootServices clears it. Callbacks must not call back
 * into the object that is calling them.
 */
#ifndef OSPOLICY_RANDOM_SOURCE_H
#define OSPOLICY_RANDOM_SOURCE_H

#include <stddef.h>
#include <stdint.h>

#include "oshost/oshost.h"
#include "ospolicy/status.h"

/* Fills `length` bytes of `buffer` and writes the number of bytes it produced
 * to *written. Contract: return OSPOLICY_OK with *written <= length, or any
 * other (non-UNSET) status on failure. UNSET, or *written > length, is a
 * contract breach (OSPOLICY_ERR_RANDOM_SOURCE_CONTRACT to the caller). */
typedef OSPolicy_Status (*OSPolicy_RandomFillFn)(void *context, void *buffer, size_t length,
                                                 size_t *written);

typedef struct OSPolicy_RandomSource {
  OSPolicy_RandomFillFn fill;
  void *context;
  OSHost_RandomSource id; /* what it is, e.g. OSHOST_RANDOM_SOURCE_FIRMWARE_RNG */
} OSPolicy_RandomSource;

/* Writes one uniformly distributed 64-bit word to *word. Returns OSPOLICY_OK,
 * or a failure status (never UNSET). */
typedef OSPolicy_Status (*OSPolicy_RandomWordFn)(void *context, uint64_t *word);

typedef struct OSPolicy_RandomWordSource {
  OSPolicy_RandomWordFn next;
  void *context;
} OSPolicy_RandomWordSource;

/* Random sources are one enum, OSHost_RandomSource (<oshost/oshost.h>): the
 * entropy pool accounts for the sources below OSPOLICY_ENTROPY_SOURCE_COUNT
 * (bit 1u << source of OSPolicy_EntropyPool.contributed_mask), a backend names
 * the one its OSHost_FillRandom used. */
#define OSPOLICY_ENTROPY_SOURCE_COUNT 7

#ifdef __cplusplus
extern "C" {
#endif

/* Draws one word through `source`, checking the callback's contract.
 * Errors: NULL_ARGUMENT (source, source->next or word NULL);
 * RANDOM_SOURCE_CONTRACT (the callback returned UNSET); RANDOM_SOURCE_FAILED
 * (any other failure; the callback's own status is not passed on). *word is
 * written only on OK. */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_NextRandomWord(const OSPolicy_RandomWordSource *source,
                                                            uint64_t *word);

/* Uniform integer in [0, bound) by rejection sampling (no modulo bias): a
 * word w is accepted only if w < 2^64 - (2^64 mod bound), i.e. below the
 * largest multiple of bound that fits in 64 bits; then *value = w % bound.
 * At most OSPOLICY_RANDOM_MAX_DRAWS words are drawn; *draws (may be NULL)
 * says how many were. Errors: NULL_ARGUMENT; INVALID_ARGUMENT (bound 0);
 * the statuses of OSPolicy_NextRandomWord; RANDOM_EXHAUSTED (every draw was
 * rejected; probability below 2^-64 for a working source). */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_UniformRandom(const OSPolicy_RandomWordSource *source,
                                                           uint64_t bound, uint64_t *value,
                                                           uint32_t *draws);

#define OSPOLICY_RANDOM_MAX_DRAWS 64u

/* Short name of a random source ("firmware-rng", "rdseed", "os", ...); "unset"
 * for UNSET or an unknown value; never NULL. */
const char *OSPolicy_RandomSourceName(OSHost_RandomSource kind);

#ifdef __cplusplus
}
#endif

#endif /* OSPOLICY_RANDOM_SOURCE_H */
