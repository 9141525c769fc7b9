/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * OSHost: the platform abstraction layer (PAL) every ospolicy backend implements.
 *
 * This header is the whole contract a new OS must implement to run the
 * library's live parts, and it depends on no other ospolicy header. The
 * planners in src/policy never call the platform directly; they reach it only
 * through the checked wrappers in <ospolicy/pal.h>, which check every request
 * against policy before the backend runs and every answer against this
 * contract afterwards.
 *
 * Backends in this tree:
 *   src/pal/host       Linux user space: mmap/mprotect, getrandom, stderr
 *   src/pal/uefi       UEFI boot services: page attributes, EFI_RNG_PROTOCOL, COM1/ConOut
 *   src/pal/baremetal  the x86-64 kernel: its own page tables, its entropy pool
 *
 * Conventions for every function here:
 *   - The return value is an OSHost_Status; zero (OSHOST_STATUS_UNSET) is never
 *     success and a backend must never return it.
 *   - On failure, outputs are left as documented (usually untouched) and no
 *     partial change is left behind: a failed call changed nothing.
 *   - Functions may be called before any allocator exists; they must not
 *     allocate from the caller's heap.
 *   - A backend calls nothing in ospolicy: it receives plain values that the
 *     wrappers already checked, and may use only the inline helpers of this
 *     header (OSHost_LogLevelName). It links without the core.
 */
#ifndef OSHOST_OSHOST_H
#define OSHOST_OSHOST_H

#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__) || defined(__clang__)
#define OSHOST_MUST_CHECK __attribute__((warn_unused_result))
#define OSHOST_NORETURN __attribute__((noreturn))
#else
#define OSHOST_MUST_CHECK
#define OSHOST_NORETURN
#endif

typedef enum OSHost_Status {
  OSHOST_STATUS_UNSET = 0,          /* never returned by a correct backend */
  OSHOST_OK = 1,
  OSHOST_ERR_INVALID_ARGUMENT = 2,  /* NULL pointer, zero size, misaligned range */
  OSHOST_ERR_NO_MEMORY = 3,         /* allocation failed */
  OSHOST_ERR_DENIED = 4,            /* request refused by the backend's own checks */
  OSHOST_ERR_UNSUPPORTED = 5,       /* the platform cannot do this at all */
  OSHOST_ERR_DEVICE = 6,            /* the platform call failed (errno, EFI_STATUS, ...) */
  OSHOST_ERR_SHORT = 7,             /* a source returned fewer bytes than asked */
  OSHOST_ERR_FIRMWARE_GONE = 8      /* firmware services were requested after exit */
} OSHost_Status;

/* Where random bytes came from: the one enum for random sources, shared by
 * the PAL and the library. Values 1..6 are also the entropy pool's accounting
 * kinds (bits of its source mask, carried in the boot hand-off): keep them.
 * OSHost_FillRandom reports OS, FIRMWARE_RNG, RDSEED, RDRAND or POOL. */
typedef enum OSHost_RandomSource {
  OSHOST_RANDOM_SOURCE_UNSET = 0,
  OSHOST_RANDOM_SOURCE_FIRMWARE_RNG = 1, /* EFI_RNG_PROTOCOL */
  OSHOST_RANDOM_SOURCE_RDSEED = 2,
  OSHOST_RANDOM_SOURCE_RDRAND = 3,
  OSHOST_RANDOM_SOURCE_JITTER = 4,       /* RDTSC timing jitter (the pool only) */
  OSHOST_RANDOM_SOURCE_PLATFORM = 5,     /* the pool's OSPolicy_PalFillRandom contribution */
  OSHOST_RANDOM_SOURCE_SEED = 6,         /* a seed exported by an earlier stage (the pool only) */
  OSHOST_RANDOM_SOURCE_OS = 7,           /* kernel CSPRNG: getrandom(2) and the like */
  OSHOST_RANDOM_SOURCE_POOL = 8          /* ospolicy's own entropy pool */
} OSHost_RandomSource;

/* Page protection bits (the same values as OSPOLICY_PROT_*). */
#define OSHOST_PROT_READ 0x1u
#define OSHOST_PROT_WRITE 0x2u
#define OSHOST_PROT_EXEC 0x4u

typedef enum OSHost_LogLevel {
  OSHOST_LOG_UNSET = 0,
  OSHOST_LOG_DEBUG = 1,
  OSHOST_LOG_INFO = 2,
  OSHOST_LOG_WARNING = 3,
  OSHOST_LOG_ERROR = 4
} OSHost_LogLevel;

typedef enum OSHost_BootPhase {
  OSHOST_BOOT_PHASE_UNSET = 0,
  OSHOST_BOOT_PHASE_FIRMWARE = 1, /* firmware services (UEFI boot services) available */
  OSHOST_BOOT_PHASE_RUNTIME = 2,  /* firmware services gone, or never present (hosted OS) */
} OSHost_BootPhase;

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Memory ---------------------------------------------------------- */

/* Page size the backend allocates and protects in.
 * Caller: the pal wrappers, before planning any memory.
 * Guarantees: *page_size is a power of two >= 4096 on OSHOST_OK.
 * Failure: INVALID_ARGUMENT if page_size is NULL. */
OSHOST_MUST_CHECK OSHost_Status OSHost_GetPageSize(size_t *page_size);

/* Allocates page_count fresh pages.
 * Caller: the pal wrappers (stub and payload staging memory).
 * Guarantees on OSHOST_OK: *base is page aligned, non-NULL, the pages are
 * zero-filled, readable and writable, and NOT executable; they are not shared
 * with any other allocation.
 * Failure: INVALID_ARGUMENT (NULL base, zero count, count * page size
 * overflows), NO_MEMORY; *base is left untouched. */
OSHOST_MUST_CHECK OSHost_Status OSHost_AllocatePages(size_t page_count, void **base);

/* Releases pages from OSHost_AllocatePages, whatever their protection now.
 * Guarantees: the pages are no longer accessible to the caller.
 * Failure: INVALID_ARGUMENT (NULL or unaligned base, zero count), DEVICE. */
OSHOST_MUST_CHECK OSHost_Status OSHost_FreePages(void *base, size_t page_count);

/* Changes the protection of [base, base+size), pages the backend allocated,
 * from `from` to `to` (OSHOST_PROT_* bits).
 * Caller: the pal wrappers, only for a plan that OSPolicy_CheckPageProtectionPlan
 * accepted (the policy: which transitions are allowed, W^X, alignment to the
 * plan's page size). The backend still refuses, before any platform call:
 * `to` both writable and executable (DENIED: the one rule no caller may
 * bypass), unknown bits, NULL, zero size, and a range not aligned to its own
 * page size (INVALID_ARGUMENT). A backend that can read the live protection
 * also refuses (DENIED) a `from` that is not the protection of every page
 * of the range: the plan's `from` is the caller's claim.
 * Guarantees on OSHOST_OK: every page in [base, base+size) now has exactly
 * `to`, and at no instant was any page writable and executable at once;
 * instruction fetches see the bytes written before the call.
 * Failure: DENIED, INVALID_ARGUMENT (also: range not owned or not mapped),
 * DEVICE (the platform refused); the protection is then unchanged. */
OSHOST_MUST_CHECK OSHost_Status OSHost_ProtectPages(void *base, size_t size, uint32_t from, uint32_t to);

/* Makes instruction fetch coherent with data written to [base, base+size).
 * On x86-64 this is a serialising no-op (the caches are coherent); other
 * architectures must clean and invalidate. Failure: INVALID_ARGUMENT. */
OSHOST_MUST_CHECK OSHost_Status OSHost_FlushInstructionCache(const void *base, size_t size);

/* ---- Randomness ------------------------------------------------------ */

/* Fills length bytes of buffer with cryptographically strong random bytes
 * from the best source the platform has, and says which one.
 * Guarantees on OSHOST_OK: all length bytes were written; *source is set.
 * Failure: INVALID_ARGUMENT (NULL pointer, zero length), DEVICE (source
 * failed), SHORT (fewer bytes than asked: the buffer must be discarded),
 * FIRMWARE_GONE (the only source was firmware and boot services are gone).
 * On failure *source is OSHOST_RANDOM_SOURCE_UNSET. */
OSHOST_MUST_CHECK OSHost_Status OSHost_FillRandom(void *buffer, size_t length,
                                                  OSHost_RandomSource *source);

/* ---- Logging and panic ----------------------------------------------- */

/* Writes one line (no trailing newline needed) at a severity, prefixed with
 * OSHost_LogLevelName(level). Must be safe to call from any context the
 * library runs in; must not allocate. Backends may drop messages below a
 * threshold. Failure: INVALID_ARGUMENT (NULL, a level OSHost_LogLevelName
 * does not name), DEVICE (the console failed). */
OSHOST_MUST_CHECK OSHost_Status OSHost_Log(OSHost_LogLevel level, const char *message);

/* Stops the system (or the process) after reporting message. Never returns.
 * Caller: the library when an invariant it cannot recover from is broken. */
OSHOST_NORETURN void OSHost_Panic(const char *message);

/* ---- Boot phase ------------------------------------------------------ */

/* Whether firmware services are still available. A hosted OS reports
 * RUNTIME. Never returns UNSET. */
OSHost_BootPhase OSHost_GetBootPhase(void);

/* ---- Inline helpers (usable by backends without linking the core) ---- */

/* Whether `source` is one OSHost_FillRandom may report (OS, FIRMWARE_RNG,
 * RDSEED, RDRAND, POOL): the pool's accounting-only kinds are not. */
static inline int OSHost_IsFillSource(OSHost_RandomSource source) {
  switch (source) {
    case OSHOST_RANDOM_SOURCE_OS:
    case OSHOST_RANDOM_SOURCE_FIRMWARE_RNG:
    case OSHOST_RANDOM_SOURCE_RDSEED:
    case OSHOST_RANDOM_SOURCE_RDRAND:
    case OSHOST_RANDOM_SOURCE_POOL:
      return 1;
    case OSHOST_RANDOM_SOURCE_UNSET:
    case OSHOST_RANDOM_SOURCE_JITTER:
    case OSHOST_RANDOM_SOURCE_PLATFORM:
    case OSHOST_RANDOM_SOURCE_SEED:
    default:
      return 0;
  }
}

/* Name of a log level ("debug", "info", "warning", "error"), the word every
 * backend prints before a message; NULL for UNSET or an unknown level, which
 * OSHost_Log must refuse with OSHOST_ERR_INVALID_ARGUMENT. */
static inline const char *OSHost_LogLevelName(OSHost_LogLevel level) {
  switch (level) {
    case OSHOST_LOG_DEBUG:
      return "debug";
    case OSHOST_LOG_INFO:
      return "info";
    case OSHOST_LOG_WARNING:
      return "warning";
    case OSHOST_LOG_ERROR:
      return "error";
    case OSHOST_LOG_UNSET:
    default:
      return NULL;
  }
}

#ifdef __cplusplus
}
#endif

#endif /* OSHOST_OSHOST_H */
