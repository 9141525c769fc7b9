/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * Stack-protector canary value.
 *
 * The canary is a random 64-bit word with its lowest byte zero: on x86-64 the
 * lowest byte is the lowest address, so a string overflow that copies up to a
 * NUL cannot reproduce the canary (the same rule as glibc and Linux). That
 * leaves 56 random bits. A word whose upper 56 bits are all zero would give
 * an all-zero canary, the value an uninitialised guard has; it is discarded
 * and another word drawn (at most OSPOLICY_STACK_CANARY_MAX_DRAWS), so the
 * canary is never 0. Draw it once per boot from the entropy pool.
 *
 * Memory rules: the result is a caller-owned struct written completely on
 * every call, status first.
 */
#ifndef OSPOLICY_STACK_CANARY_H
#define OSPOLICY_STACK_CANARY_H

#include <stdint.h>

#include "ospolicy/random_source.h"
#include "ospolicy/status.h"

#define OSPOLICY_STACK_CANARY_MASK ((uint64_t)0xFFFFFFFFFFFFFF00)
#define OSPOLICY_STACK_CANARY_BITS 56u
#define OSPOLICY_STACK_CANARY_MAX_DRAWS 8u

typedef struct OSPolicy_StackCanary {
  OSPolicy_Status status;
  uint64_t value; /* low byte 0, never 0 on OK; 0 otherwise */
  uint32_t draws; /* words consumed */
} OSPolicy_StackCanary;

#ifdef __cplusplus
extern "C" {
#endif

/* Errors: NULL_ARGUMENT (canary NULL: nothing written; random NULL); the
 * source's failure (RANDOM_SOURCE_FAILED, RANDOM_SOURCE_CONTRACT);
 * RANDOM_EXHAUSTED (every draw masked to zero). */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_MakeStackCanary(const OSPolicy_RandomWordSource *random,
                                                             OSPolicy_StackCanary *canary);

/* True if value has the canary shape: low byte 0 and not 0. */
int OSPolicy_IsValidStackCanary(uint64_t value);

#ifdef __cplusplus
}
#endif

#endif /* OSPOLICY_STACK_CANARY_H */
