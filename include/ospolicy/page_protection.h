/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * Page-protection plans: the only way a page range changes protection.
 *
 * A plan is computed from a request (range, page size, current and wanted
 * protection) and carries OSPOLICY_OK only if the transition keeps W^X:
 *   RW -> RX   seal-exec       (code was written, now runs; never W and X at once)
 *   RW -> R    seal-readonly   (data becomes read-only)
 *   RX -> R    drop-exec       (code retired; removing execute is always safe)
 *   RX -> RW   reclaim         (only with OSPOLICY_PAGE_RECLAIM: the caller gives
 *   R  -> RW                    up the contents and reuses the pages as data)
 * Everything else is denied: any W+X protection (OSPOLICY_DENIED_RWX), making
 * executable pages writable without the reclaim flag
 * (OSPOLICY_DENIED_EXEC_TO_WRITE), and other transitions such as R -> RX or
 * RW -> RW (OSPOLICY_DENIED_TRANSITION).
 *
 * Memory rules: the plan is a plain struct owned by the caller; the planner
 * writes it completely on every call (status first) and touches nothing else.
 * A consumer (OSHost_ProtectPages, the page-transition plan) refuses a plan
 * whose status is not OSPOLICY_OK and re-checks it with
 * OSPolicy_CheckPageProtectionPlan, so a hand-forged plan cannot pass.
 */
#ifndef OSPOLICY_PAGE_PROTECTION_H
#define OSPOLICY_PAGE_PROTECTION_H

#include <stddef.h>
#include <stdint.h>

#include "ospolicy/status.h"

/* Protection bits. Every mapped page is readable; there is no write-only or
 * execute-only protection in this model. */
#define OSPOLICY_PROT_READ 0x1u
#define OSPOLICY_PROT_WRITE 0x2u
#define OSPOLICY_PROT_EXEC 0x4u
#define OSPOLICY_PROT_RW (OSPOLICY_PROT_READ | OSPOLICY_PROT_WRITE)
#define OSPOLICY_PROT_RX (OSPOLICY_PROT_READ | OSPOLICY_PROT_EXEC)
#define OSPOLICY_PROT_ALL (OSPOLICY_PROT_READ | OSPOLICY_PROT_WRITE | OSPOLICY_PROT_EXEC)

/* Request flags. */
#define OSPOLICY_PAGE_RECLAIM 0x1u /* allow RX/R -> RW: contents are given up */

/* The smallest page size any plan accepts. */
#define OSPOLICY_MIN_PAGE_SIZE ((size_t)4096)

typedef enum OSPolicy_PageTransition {
  OSPOLICY_TRANSITION_UNSET = 0,
  OSPOLICY_TRANSITION_SEAL_EXEC = 1,     /* RW -> RX */
  OSPOLICY_TRANSITION_SEAL_READONLY = 2, /* RW -> R  */
  OSPOLICY_TRANSITION_DROP_EXEC = 3,     /* RX -> R  */
  OSPOLICY_TRANSITION_RECLAIM = 4        /* RX or R -> RW, flag required */
} OSPolicy_PageTransition;

typedef struct OSPolicy_PageProtectionRequest {
  uintptr_t base;   /* first byte; must be page aligned */
  size_t size;      /* bytes; non-zero, a multiple of page_size */
  size_t page_size; /* power of two, >= OSPOLICY_MIN_PAGE_SIZE */
  uint32_t from;    /* current protection, OSPOLICY_PROT_* */
  uint32_t to;      /* wanted protection, OSPOLICY_PROT_* */
  uint32_t flags;   /* OSPOLICY_PAGE_* */
} OSPolicy_PageProtectionRequest;

typedef struct OSPolicy_PageProtectionPlan {
  OSPolicy_Status status; /* OSPOLICY_OK only if every field below is valid */
  OSPolicy_PageTransition transition;
  uintptr_t base;
  size_t size;
  size_t page_size;
  size_t page_count;
  uint32_t from;
  uint32_t to;
} OSPolicy_PageProtectionPlan;

#ifdef __cplusplus
extern "C" {
#endif

/* Validates `request` and writes the whole plan. Errors, in the order checked:
 * NULL_ARGUMENT; BAD_PAGE_SIZE; BAD_PROTECTION (unknown bits or not readable);
 * DENIED_RWX; DENIED_EXEC_TO_WRITE; DENIED_TRANSITION; EMPTY_RANGE; UNALIGNED
 * (base or size); OVERFLOW (base + size wraps). On error the plan carries the
 * error status, the request's fields, and transition UNSET. */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_PlanPageProtection(
    const OSPolicy_PageProtectionRequest *request, OSPolicy_PageProtectionPlan *plan);

/* Re-validates a plan a consumer was handed: status OK and every field
 * consistent with what OSPolicy_PlanPageProtection would produce. Returns
 * PLAN_NOT_OK for a plan whose status is not OK, or the status that planning
 * its fields afresh yields. Never writes. */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_CheckPageProtectionPlan(
    const OSPolicy_PageProtectionPlan *plan);

/* True if `page_size` is a power of two and at least OSPOLICY_MIN_PAGE_SIZE. */
int OSPolicy_IsValidPageSize(size_t page_size);

/* Short name of a transition ("seal-exec", ...); never NULL. */
const char *OSPolicy_PageTransitionName(OSPolicy_PageTransition transition);

#ifdef __cplusplus
}
#endif

#endif /* OSPOLICY_PAGE_PROTECTION_H */
