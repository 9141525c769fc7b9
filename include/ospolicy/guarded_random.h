/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * Guarded platform random: a firmware RNG (EFI_RNG_PROTOCOL) that can only be
 * reached while boot services exist.
 *
 * The Linux EFI stub rule, made structural: after ExitBootServices the
 * firmware RNG must never be called, and the cached protocol pointer is
 * cleared on the same path that calls ExitBootServices. Here the loader calls
 * OSPolicy_MarkExitBootServices on that path; it sets the state's phase to
 * EXITED and clears the stored source (function pointer and context) in the
 * same call. No function moves a state out of EXITED: every later fill is
 * denied (OSPOLICY_DENIED_AFTER_EXIT_BOOT_SERVICES) without touching the
 * source, and OSPolicy_InitGuardedRandom refuses an exited state.
 *
 * Independently, every fill asks the PAL (OSPolicy_PalGetBootPhase) whether
 * firmware services are still there. If the PAL answers RUNTIME (firmware
 * gone, or a hosted OS that never had it) the fill fails with
 * OSPOLICY_ERR_FIRMWARE_GONE and the state latches to EXITED exactly as if it
 * had been marked.
 *
 * Memory rules: the state and result are plain structs owned by the caller;
 * the state must start zero-filled (OSPOLICY_GUARDED_RANDOM_ZERO or memset)
 * before the first OSPolicy_InitGuardedRandom. The result is written
 * completely on every call that receives one, status first. The destination
 * buffer is written only by the source; on any failure after the source ran
 * it is wiped to zero, so partial random bytes never look usable.
 */
#ifndef OSPOLICY_GUARDED_RANDOM_H
#define OSPOLICY_GUARDED_RANDOM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ospolicy/random_source.h"
#include "ospolicy/status.h"

typedef enum OSPolicy_FirmwarePhase {
  OSPOLICY_FIRMWARE_PHASE_UNSET = 0,         /* zero-filled, not initialised */
  OSPOLICY_FIRMWARE_PHASE_BOOT_SERVICES = 1, /* source usable */
  OSPOLICY_FIRMWARE_PHASE_EXITED = 2         /* terminal: source cleared */
} OSPolicy_FirmwarePhase;

typedef struct OSPolicy_GuardedRandom {
  OSPolicy_FirmwarePhase phase;
  OSPolicy_RandomSource source; /* all-zero once EXITED */
  uint64_t fills;               /* successful fills */
  uint64_t bytes;               /* bytes delivered by successful fills */
} OSPolicy_GuardedRandom;

#define OSPOLICY_GUARDED_RANDOM_ZERO ((OSPolicy_GuardedRandom){.phase = OSPOLICY_FIRMWARE_PHASE_UNSET})

/* Plain data: what one fill did. */
typedef struct OSPolicy_GuardedRandomResult {
  OSPolicy_Status status;
  size_t bytes_written;       /* == length on OK; bytes the source claimed on SHORT_READ; else 0 */
  OSHost_RandomSource source; /* the source's id on OK, UNSET otherwise */
} OSPolicy_GuardedRandomResult;

#ifdef __cplusplus
extern "C" {
#endif

/* Arms `state` with a firmware source. Checks, in order: NULL_ARGUMENT (state,
 * source, source->fill); DENIED_AFTER_EXIT_BOOT_SERVICES (state already
 * EXITED: it stays so); INVALID_ARGUMENT (phase field neither UNSET nor
 * BOOT_SERVICES, i.e. not zero-filled; or source->id not a known
 * OSHost_RandomSource); the PAL boot-phase query (its failure status, or
 * FIRMWARE_GONE, which also latches the state to EXITED). Re-initialising a
 * BOOT_SERVICES state replaces its source. The source is never called. */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_InitGuardedRandom(OSPolicy_GuardedRandom *state,
                                                               const OSPolicy_RandomSource *source);

/* Fills buffer[0..length) from the firmware source. Writes *result on every
 * call (returns NULL_ARGUMENT without writing anything if result is NULL).
 * Errors, in order: NULL_ARGUMENT (state or buffer NULL); EMPTY_RANGE (length
 * 0; the source is not called); DENIED_AFTER_EXIT_BOOT_SERVICES (state is
 * EXITED); INVALID_ARGUMENT (state not initialised); the PAL boot-phase
 * query's failure, or FIRMWARE_GONE (state latches to EXITED); then the
 * source's answer: RANDOM_SOURCE_FAILED, RANDOM_SOURCE_CONTRACT (UNSET or more
 * bytes than asked), RANDOM_SHORT_READ (fewer bytes than asked). */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_FillGuardedRandom(OSPolicy_GuardedRandom *state,
                                                               void *buffer, size_t length,
                                                               OSPolicy_GuardedRandomResult *result);

/* Marks boot services as exited: phase EXITED and the source cleared, in this
 * one call. Idempotent; valid on a zero-filled state too (it then can never be
 * armed). Errors: NULL_ARGUMENT. */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_MarkExitBootServices(OSPolicy_GuardedRandom *state);

/* True only for an armed state: BOOT_SERVICES with a source. Does not ask the
 * PAL (a fill still may find the firmware gone). */
bool OSPolicy_IsGuardedRandomAvailable(const OSPolicy_GuardedRandom *state);

/* Short name of a phase ("boot-services", "exited", "unset"); never NULL. */
const char *OSPolicy_FirmwarePhaseName(OSPolicy_FirmwarePhase phase);

#ifdef __cplusplus
}
#endif

#endif /* OSPOLICY_GUARDED_RANDOM_H */
