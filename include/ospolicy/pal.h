/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * Checked wrappers around the OSHost PAL.
 *
 * The library and its callers reach the platform only through these
 * functions. Each one checks its arguments before the backend runs and checks
 * the backend's answer against the contract in <oshost/oshost.h> afterwards
 * (a backend that returns UNSET, an unaligned page, or an unknown random
 * source is reported as OSPOLICY_ERR_PAL_CONTRACT). Like SQLite's os.c, this
 * is the single seam where tests inject platform faults.
 */
#ifndef OSPOLICY_PAL_H
#define OSPOLICY_PAL_H

#include <stddef.h>

#include "oshost/oshost.h"
#include "ospolicy/page_protection.h"
#include "ospolicy/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Maps a backend status, keeping its meaning:
 *   OK -> OK                          NO_MEMORY -> NO_MEMORY
 *   UNSUPPORTED -> UNSUPPORTED        INVALID_ARGUMENT -> PAL_INVALID_ARGUMENT
 *   DENIED -> DENIED_BY_PLATFORM      DEVICE -> PAL_FAILED
 *   SHORT -> RANDOM_SHORT_READ        FIRMWARE_GONE -> FIRMWARE_GONE
 *   UNSET or a value outside the enum -> PAL_CONTRACT. */
OSPolicy_Status OSPolicy_MapHostStatus(OSHost_Status status);

/* Short name of a backend status ("ok", "denied", ...); never NULL. */
const char *OSPolicy_HostStatusName(OSHost_Status status);

/* Page size, checked to be a power of two >= 4096 (else PAL_CONTRACT). */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_PalGetPageSize(size_t *page_size);

/* Fresh RW, non-executable, zeroed pages. *base is written only on OK and is
 * checked to be non-NULL and page aligned (else PAL_CONTRACT, and the pages
 * are released again). */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_PalAllocatePages(size_t page_count, void **base);

OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_PalFreePages(void *base, size_t page_count);

/* Checks the plan (OSPolicy_CheckPageProtectionPlan) and only then hands its
 * range and protections to OSHost_ProtectPages; a plan that fails the check
 * never reaches the backend. This is the one place the policy is checked on
 * the way to the platform. */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_PalProtectPages(const OSPolicy_PageProtectionPlan *plan);

OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_PalFlushInstructionCache(const void *base, size_t size);

/* Fills buffer; *source is always written (UNSET on failure). An OK answer
 * with source UNSET or unknown is a contract breach. */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_PalFillRandom(void *buffer, size_t length,
                                                           OSHost_RandomSource *source);

OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_PalLog(OSHost_LogLevel level, const char *message);

/* Whether firmware services are still available. *phase is always written
 * (UNSET on failure); a backend answer outside FIRMWARE/RUNTIME is a contract
 * breach (PAL_CONTRACT). */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_PalGetBootPhase(OSHost_BootPhase *phase);

#ifdef __cplusplus
}
#endif

#endif /* OSPOLICY_PAL_H */
