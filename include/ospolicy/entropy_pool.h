/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * Entropy pool: collects from every available source, mixes with BLAKE2b,
 * outputs with ChaCha20 and fast key erasure. Part of OSPolicy::crypto
 * (libospolicy-crypto), the freestanding library that uses libsodium; the
 * core (OSPolicy::core) stays free of it.
 *
 * Sources, in the order OSPolicy_CollectEntropy tries them, and the
 * credit each earns (per source, capped at OSPOLICY_ENTROPY_SOURCE_CAP_BITS;
 * the pool total is capped at OSPOLICY_ENTROPY_MAX_CREDIT_BITS):
 *   firmware RNG (EFI_RNG_PROTOCOL via OSPolicy_FillGuardedRandom)  8 bits/byte
 *   RDSEED (after its health check)                                 8 bits/byte
 *   RDRAND (after its health check)          1 bit per 4 words (1/32 bit/byte):
 *       RDRAND is a DRBG that Intel reseeds at least every 511 128-bit outputs,
 *       so ~1022 words are needed before fresh seed material is guaranteed
 *   platform (OSPolicy_PalFillRandom, e.g. getrandom)               8 bits/byte
 *       (at the RDRAND rate if the PAL says its bytes came from RDRAND)
 *   imported seed (OSPolicy_ImportEntropySeed)  the exporter's credit
 *   RDTSC jitter (mixed last, always)                                0 bits
 * Every byte is mixed in whether or not it earns credit. A contribution that
 * ends in failure earns nothing, though what it delivered stays mixed in.
 *
 * Mixing: pool = BLAKE2b-512(key = pool, header(kind, length) || data).
 * Output: when input arrived since the last output, the ChaCha20 key is
 * re-derived, key = BLAKE2b-256(key = pool, "rekey" || key), and the pool is
 * advanced one way, pool = BLAKE2b-512(key = pool, "advance"). Each output
 * call then generates ChaCha20 keystream (nonce = the call counter): its
 * first 32 bytes replace the key, the following bytes are the output, as
 * Linux's crng does; the old key is wiped. A compromise of the state
 * therefore never reveals earlier output.
 *
 * Output is refused (OSPOLICY_DENIED_ENTROPY_INSUFFICIENT) while fewer than
 * threshold_bits (default 256, like Linux's crng init) are credited, unless
 * the caller called OSPolicy_AcceptWeakEntropySeed, which logs a warning
 * through the PAL and records the acceptance in the pool.
 *
 * Memory rules: the pool is a plain struct owned by the caller (no globals,
 * no allocation); it holds secrets: wipe it with OSPolicy_DestroyEntropyPool
 * (sodium_memzero). Keys and intermediate buffers are wiped with
 * sodium_memzero when replaced. Not thread-safe: one pool per CPU, or a lock.
 * libsodium is used without sodium_init() (its portable implementations);
 * hosted callers may call sodium_init() first for faster SIMD code paths.
 */
#ifndef OSPOLICY_ENTROPY_POOL_H
#define OSPOLICY_ENTROPY_POOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ospolicy/guarded_random.h"
#include "ospolicy/hw_random.h"
#include "ospolicy/random_source.h"
#include "ospolicy/status.h"

#define OSPOLICY_ENTROPY_DEFAULT_THRESHOLD_BITS 256u
#define OSPOLICY_ENTROPY_MIN_THRESHOLD_BITS 128u
#define OSPOLICY_ENTROPY_MAX_CREDIT_BITS 512u
#define OSPOLICY_ENTROPY_SOURCE_CAP_BITS 256u
#define OSPOLICY_ENTROPY_POOL_BYTES 64u
#define OSPOLICY_ENTROPY_KEY_BYTES 32u

/* What OSPolicy_CollectEntropy asks of each source. */
#define OSPOLICY_ENTROPY_FIRMWARE_BYTES 64u
#define OSPOLICY_ENTROPY_RDSEED_WORDS 8u
#define OSPOLICY_ENTROPY_RDRAND_WORDS 1024u
#define OSPOLICY_ENTROPY_PLATFORM_BYTES 64u
#define OSPOLICY_ENTROPY_JITTER_SAMPLES 64u

typedef enum OSPolicy_EntropyPoolPhase {
  OSPOLICY_ENTROPY_POOL_UNSET = 0, /* zero-filled or destroyed */
  OSPOLICY_ENTROPY_POOL_ACTIVE = 1
} OSPolicy_EntropyPoolPhase;

/* Per-source bookkeeping, indexed by OSHost_RandomSource. */
typedef struct OSPolicy_EntropyContribution {
  uint64_t bytes;              /* bytes mixed in, including failed contributions */
  uint32_t contributions;      /* successful contributions */
  uint32_t credited_bits;      /* credit granted, <= OSPOLICY_ENTROPY_SOURCE_CAP_BITS */
  OSPolicy_Status last_status; /* outcome of the last attempt; UNSET if never tried */
} OSPolicy_EntropyContribution;

typedef struct OSPolicy_EntropyPool {
  OSPolicy_EntropyPoolPhase phase;
  uint32_t threshold_bits;
  uint32_t credited_bits;    /* conservative estimate, sum of per-source credit, capped */
  uint32_t contributed_mask; /* 1u << kind for every kind that mixed in bytes */
  uint32_t trusted_mask;     /* hardware kinds that passed the health check */
  uint32_t disabled_mask;    /* hardware kinds disabled after a failure (sticky) */
  bool weak_seed_accepted;   /* OSPolicy_AcceptWeakEntropySeed was needed */
  uint32_t weak_seed_bits;   /* credited bits at the time of that acceptance */
  bool imported_weak_seed;   /* an imported seed carried OSPOLICY_ENTROPY_SEED_WEAK */
  bool rekey_pending;        /* input arrived since the key was last derived */
  uint64_t generation;       /* output calls so far (the ChaCha20 nonce) */
  uint64_t output_bytes;
  OSPolicy_EntropyContribution sources[OSPOLICY_ENTROPY_SOURCE_COUNT];
  uint8_t pool[OSPOLICY_ENTROPY_POOL_BYTES];
  uint8_t key[OSPOLICY_ENTROPY_KEY_BYTES];
} OSPolicy_EntropyPool;

/* The sources OSPolicy_CollectEntropy may use; NULL/false = absent. */
typedef struct OSPolicy_EntropySources {
  OSPolicy_GuardedRandom *firmware;      /* armed guarded firmware RNG */
  const OSPolicy_HwRandomSource *rdseed; /* kind RDSEED */
  const OSPolicy_HwRandomSource *rdrand; /* kind RDRAND */
  const OSPolicy_HwRandomSource *jitter; /* kind JITTER: an RDTSC step */
  bool platform;                         /* OSPolicy_PalFillRandom */
} OSPolicy_EntropySources;

typedef struct OSPolicy_EntropyCollectResult {
  OSPolicy_Status status; /* OK once the threshold is met */
  uint32_t credited_bits;
  uint32_t threshold_bits;
  uint32_t contributed_mask;
  /* This call's outcome per kind (UNSET: not attempted). */
  OSPolicy_Status source_status[OSPOLICY_ENTROPY_SOURCE_COUNT];
} OSPolicy_EntropyCollectResult;

/* Seed handed from one stage to the next (loader -> kernel boot info).
 * Fixed-width, little-endian, versioned; `check` is an unkeyed BLAKE2b-128 of
 * every byte before it: it detects corruption, it does not authenticate. */
#define OSPOLICY_ENTROPY_SEED_MAGIC 0x5350534Fu /* "OSPS" */
#define OSPOLICY_ENTROPY_SEED_VERSION 1u
#define OSPOLICY_ENTROPY_SEED_WEAK 0x1u /* exporter was below its threshold */
typedef struct OSPolicy_EntropySeed {
  uint32_t magic;
  uint16_t version;
  uint16_t size; /* sizeof(OSPolicy_EntropySeed) = 72 */
  uint32_t flags;
  uint32_t credited_bits; /* exporter's estimate, <= OSPOLICY_ENTROPY_MAX_CREDIT_BITS */
  uint32_t source_mask;   /* exporter's contributed_mask */
  uint32_t reserved;      /* 0 */
  uint8_t seed[32];
  uint8_t check[16];
} OSPolicy_EntropySeed;

#ifdef __cplusplus
extern "C" {
#endif

/* Wipes and initialises the pool. threshold_bits in
 * [OSPOLICY_ENTROPY_MIN_THRESHOLD_BITS, OSPOLICY_ENTROPY_MAX_CREDIT_BITS]
 * (use OSPOLICY_ENTROPY_DEFAULT_THRESHOLD_BITS); a lower threshold is only
 * reachable through OSPolicy_AcceptWeakEntropySeed. Errors:
 * NULL_ARGUMENT, INVALID_ARGUMENT. */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_InitEntropyPool(OSPolicy_EntropyPool *pool,
                                                             uint32_t threshold_bits);

/* Wipes the whole pool (sodium_memzero); it is UNSET afterwards. */
void OSPolicy_DestroyEntropyPool(OSPolicy_EntropyPool *pool);

/* Every Add: NULL_ARGUMENT; INVALID_ARGUMENT (pool not ACTIVE, wrong kind);
 * EMPTY_RANGE (count 0). The outcome is also recorded in
 * pool->sources[kind].last_status. */

/* `bytes` from the guarded firmware RNG; its statuses pass through
 * (DENIED_AFTER_EXIT_BOOT_SERVICES, FIRMWARE_GONE, RANDOM_SHORT_READ, ...). */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_AddFirmwareEntropy(OSPolicy_EntropyPool *pool,
                                                                    OSPolicy_GuardedRandom *firmware,
                                                                    size_t bytes);

/* `words` from an RDSEED or RDRAND source. The first use runs the health
 * check; any failure (health, HWRNG_NOT_READY, HWRNG_ALL_ONES, HWRNG_ZERO)
 * disables that kind in this pool for good, and later calls return the
 * recorded failure without touching the source. */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_AddHardwareEntropy(
    OSPolicy_EntropyPool *pool, const OSPolicy_HwRandomSource *source, uint32_t words);

/* `samples` RDTSC readings (kind JITTER): the readings and their deltas are
 * mixed in, credited 0 bits. A step that is not ready fails with
 * HWRNG_NOT_READY. */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_AddJitterEntropy(OSPolicy_EntropyPool *pool,
                                                                  const OSPolicy_HwRandomSource *tsc,
                                                                  uint32_t samples);

/* `bytes` from OSPolicy_PalFillRandom; its statuses pass through. */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_AddPlatformEntropy(OSPolicy_EntropyPool *pool,
                                                                    size_t bytes);

/* Tries every source present in `sources` (firmware, RDSEED, RDRAND,
 * platform, then jitter), each with the OSPOLICY_ENTROPY_* amount; a failing
 * source does not stop the others. *result is written completely (NULL_ARGUMENT
 * without writing if result is NULL). Status: OK when the threshold is met;
 * NO_ENTROPY_SOURCE when nothing has ever contributed;
 * DENIED_ENTROPY_INSUFFICIENT otherwise. */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_CollectEntropy(OSPolicy_EntropyPool *pool,
                                                                const OSPolicy_EntropySources *sources,
                                                                OSPolicy_EntropyCollectResult *result);

/* True when output is allowed: credited >= threshold, or a weak seed was
 * accepted (and something contributed). */
bool OSPolicy_IsEntropyPoolReady(const OSPolicy_EntropyPool *pool);

/* Allows output below the threshold. Logs one OSHOST_LOG_WARNING line through
 * OSPolicy_PalLog naming the credited bits, the threshold and the sources,
 * and records weak_seed_accepted / weak_seed_bits. If the log call fails its
 * status is returned and nothing is accepted: a weak seed is never accepted
 * silently. If the threshold is already met this is a no-op returning OK
 * (no log, nothing recorded). Errors: NULL_ARGUMENT, INVALID_ARGUMENT (pool
 * not ACTIVE), NO_ENTROPY_SOURCE (nothing to accept), the log status. */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_AcceptWeakEntropySeed(OSPolicy_EntropyPool *pool);

/* Writes `length` output bytes. Errors: NULL_ARGUMENT; INVALID_ARGUMENT (pool
 * not ACTIVE); EMPTY_RANGE; NO_ENTROPY_SOURCE; DENIED_ENTROPY_INSUFFICIENT.
 * `out` is written only on OK. */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_GenerateEntropyPoolBytes(OSPolicy_EntropyPool *pool, void *out,
                                                                 size_t length);

/* OSPolicy_RandomWordFn / OSPolicy_RandomFillFn adapters (context = the
 * pool), so the KASLR, ASLR and canary planners and the guarded-random shape
 * can draw from the pool. */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_NextEntropyPoolWord(void *pool, uint64_t *word);
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_FillFromEntropyPool(void *pool, void *buffer, size_t length,
                                                             size_t *written);
OSPolicy_RandomWordSource OSPolicy_GetEntropyPoolWordSource(OSPolicy_EntropyPool *pool);

/* Exports a seed for the next stage: 32 fresh output bytes (so this pool
 * cannot reproduce them later), the credited bits and source mask, the WEAK
 * flag if the threshold was not met. *seed is written completely on OK and
 * zeroed otherwise. Errors: those of OSPolicy_GenerateEntropyPoolBytes. */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_ExportEntropySeed(OSPolicy_EntropyPool *pool,
                                                                   OSPolicy_EntropySeed *seed);

/* Mixes a seed from an earlier stage in (kind SEED), credited
 * min(seed->credited_bits, OSPOLICY_ENTROPY_SOURCE_CAP_BITS), then wipes
 * *seed whatever the outcome (as Linux zeroes the EFI seed table). Errors:
 * NULL_ARGUMENT; INVALID_ARGUMENT (pool not ACTIVE); ENTROPY_SEED_INVALID
 * (magic, version, size, unknown flags, reserved, credit above the maximum,
 * check value). */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_ImportEntropySeed(OSPolicy_EntropyPool *pool,
                                                                   OSPolicy_EntropySeed *seed);

#ifdef __cplusplus
}
#endif

#endif /* OSPOLICY_ENTROPY_POOL_H */
