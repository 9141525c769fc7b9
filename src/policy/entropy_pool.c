/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * The entropy pool (OSPolicy::crypto). Freestanding like the core: besides
 * OSHost_* and mem*, it may only reference libsodium's crypto_* and sodium_*
 * (checked by the crypto.undefined_symbols test). Only the three sodium
 * headers it needs are included; they pull in host headers such as
 * <stdlib.h>, but no libc function is called.
 */
#include "ospolicy/entropy_pool.h"

#include "ospolicy/byte_order.h"

#include <sodium/crypto_generichash_blake2b.h>
#include <sodium/crypto_stream_chacha20.h>
#include <sodium/utils.h>

#include "mem.h"
#include "ospolicy/pal.h"

_Static_assert(OSPOLICY_ENTROPY_POOL_BYTES == crypto_generichash_blake2b_BYTES_MAX,
               "the pool is one BLAKE2b-512 chaining value");
_Static_assert(OSPOLICY_ENTROPY_POOL_BYTES <= crypto_generichash_blake2b_KEYBYTES_MAX,
               "the pool keys BLAKE2b");
_Static_assert(OSPOLICY_ENTROPY_KEY_BYTES == crypto_stream_chacha20_KEYBYTES, "ChaCha20 key size");
_Static_assert(crypto_stream_chacha20_NONCEBYTES == 8, "original ChaCha20: 64-bit nonce");
_Static_assert(sizeof(OSPolicy_EntropySeed) == 72, "the seed layout is fixed");
_Static_assert(OSPOLICY_ENTROPY_SOURCE_COUNT <= 32, "kinds are bits of a uint32_t");

enum { CHUNK_WORDS = 32, CHUNK_BYTES = 64, SEED_HEADER_BYTES = 24, SEED_CHECK_BYTES = 16 };

static const unsigned char domain_mix[] = "ospolicy entropy v1 mix";
static const unsigned char domain_init[] = "ospolicy entropy v1 init";
static const unsigned char domain_rekey[] = "ospolicy entropy v1 rekey";
static const unsigned char domain_advance[] = "ospolicy entropy v1 advance";

static uint32_t kind_bit(OSHost_RandomSource kind) {
  return 1u << (unsigned)kind;
}

/* BLAKE2b calls below cannot fail: every length is a constant inside the
 * algorithm's limits, which the static assertions pin down. */

/* pool = BLAKE2b-512(key = pool, domain || kind || length || data) */
static void mix(OSPolicy_EntropyPool *pool, OSHost_RandomSource kind, const void *data,
                size_t length) {
  crypto_generichash_blake2b_state state;
  unsigned char header[12];
  OSPolicy_StoreLe32(header, (uint32_t)kind);
  OSPolicy_StoreLe64(header + 4, (uint64_t)length);
  (void)crypto_generichash_blake2b_init(&state, pool->pool, sizeof pool->pool, sizeof pool->pool);
  (void)crypto_generichash_blake2b_update(&state, domain_mix, sizeof domain_mix);
  (void)crypto_generichash_blake2b_update(&state, header, sizeof header);
  (void)crypto_generichash_blake2b_update(&state, data, length);
  (void)crypto_generichash_blake2b_final(&state, pool->pool, sizeof pool->pool);
  sodium_memzero(&state, sizeof state);
  pool->rekey_pending = true;
}

static void rekey(OSPolicy_EntropyPool *pool) {
  crypto_generichash_blake2b_state state;
  unsigned char key[OSPOLICY_ENTROPY_KEY_BYTES];
  (void)crypto_generichash_blake2b_init(&state, pool->pool, sizeof pool->pool, sizeof key);
  (void)crypto_generichash_blake2b_update(&state, domain_rekey, sizeof domain_rekey);
  (void)crypto_generichash_blake2b_update(&state, pool->key, sizeof pool->key);
  (void)crypto_generichash_blake2b_final(&state, key, sizeof key);
  (void)crypto_generichash_blake2b_init(&state, pool->pool, sizeof pool->pool, sizeof pool->pool);
  (void)crypto_generichash_blake2b_update(&state, domain_advance, sizeof domain_advance);
  (void)crypto_generichash_blake2b_final(&state, pool->pool, sizeof pool->pool);
  sodium_memzero(pool->key, sizeof pool->key);
  memcpy(pool->key, key, sizeof key);
  sodium_memzero(key, sizeof key);
  sodium_memzero(&state, sizeof state);
  pool->rekey_pending = false;
}

/* Fast key erasure: keystream bytes 0..31 become the next key, the bytes
 * after them are the output. */
static void generate(OSPolicy_EntropyPool *pool, unsigned char *out, size_t length) {
  if (pool->rekey_pending) {
    rekey(pool);
  }
  unsigned char nonce[crypto_stream_chacha20_NONCEBYTES];
  unsigned char block[64];
  _Static_assert(sizeof nonce == 8u, "a ChaCha20 nonce is one 64-bit counter");
  OSPolicy_StoreLe64(nonce, pool->generation);
  (void)crypto_stream_chacha20(block, sizeof block, nonce, pool->key);
  size_t first = length < 32u ? length : 32u;
  memcpy(out, block + 32, first);
  if (length > 32u) {
    memset(out + 32, 0, length - 32u);
    (void)crypto_stream_chacha20_xor_ic(out + 32, out + 32, length - 32u, nonce, 1u, pool->key);
  }
  sodium_memzero(pool->key, sizeof pool->key);
  memcpy(pool->key, block, sizeof pool->key);
  sodium_memzero(block, sizeof block);
  pool->generation++;
  pool->output_bytes += length;
}

static void recount_credit(OSPolicy_EntropyPool *pool) {
  uint32_t total = 0;
  for (size_t k = 0; k < OSPOLICY_ENTROPY_SOURCE_COUNT; k++) {
    total += pool->sources[k].credited_bits; /* each <= 256: no overflow */
  }
  pool->credited_bits = total < OSPOLICY_ENTROPY_MAX_CREDIT_BITS ? total : OSPOLICY_ENTROPY_MAX_CREDIT_BITS;
}

static void grant(OSPolicy_EntropyPool *pool, OSHost_RandomSource kind, uint64_t bits) {
  OSPolicy_EntropyContribution *c = &pool->sources[kind];
  uint64_t sum = (uint64_t)c->credited_bits + bits;
  c->credited_bits = (uint32_t)(sum < OSPOLICY_ENTROPY_SOURCE_CAP_BITS ? sum : OSPOLICY_ENTROPY_SOURCE_CAP_BITS);
  recount_credit(pool);
}

static uint64_t full_credit(uint64_t bytes) {
  uint64_t cap = OSPOLICY_ENTROPY_SOURCE_CAP_BITS;
  return bytes < cap / 8u ? bytes * 8u : cap; /* 8 bits per byte, no overflow */
}

static uint64_t rdrand_credit(uint64_t bytes) {
  return bytes / 32u; /* 1 bit per 4 words */
}

/* Records the outcome and, for a success, the credit. */
static OSPolicy_Status record(OSPolicy_EntropyPool *pool, OSHost_RandomSource kind,
                              OSPolicy_Status status, uint64_t credit_bits) {
  pool->sources[kind].last_status = status;
  if (status == OSPOLICY_OK) {
    pool->sources[kind].contributions++;
    grant(pool, kind, credit_bits);
  }
  return status;
}

static void account_bytes(OSPolicy_EntropyPool *pool, OSHost_RandomSource kind, size_t bytes) {
  if (bytes > 0u) {
    pool->sources[kind].bytes += bytes;
    pool->contributed_mask |= kind_bit(kind);
  }
}

static bool active(const OSPolicy_EntropyPool *pool) {
  return pool->phase == OSPOLICY_ENTROPY_POOL_ACTIVE;
}

OSPolicy_Status OSPolicy_InitEntropyPool(OSPolicy_EntropyPool *pool, uint32_t threshold_bits) {
  if (pool == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  if (threshold_bits < OSPOLICY_ENTROPY_MIN_THRESHOLD_BITS ||
      threshold_bits > OSPOLICY_ENTROPY_MAX_CREDIT_BITS) {
    return OSPOLICY_ERR_INVALID_ARGUMENT;
  }
  sodium_memzero(pool, sizeof *pool);
  (void)crypto_generichash_blake2b(pool->pool, sizeof pool->pool, domain_init, sizeof domain_init,
                                   NULL, 0);
  pool->threshold_bits = threshold_bits;
  pool->phase = OSPOLICY_ENTROPY_POOL_ACTIVE;
  return OSPOLICY_OK;
}

void OSPolicy_DestroyEntropyPool(OSPolicy_EntropyPool *pool) {
  if (pool != NULL) {
    sodium_memzero(pool, sizeof *pool);
  }
}

OSPolicy_Status OSPolicy_AddFirmwareEntropy(OSPolicy_EntropyPool *pool,
                                                OSPolicy_GuardedRandom *firmware, size_t bytes) {
  if (pool == NULL || firmware == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  if (!active(pool)) {
    return OSPOLICY_ERR_INVALID_ARGUMENT;
  }
  const OSHost_RandomSource kind = OSHOST_RANDOM_SOURCE_FIRMWARE_RNG;
  if (bytes == 0u) {
    return record(pool, kind, OSPOLICY_ERR_EMPTY_RANGE, 0);
  }
  unsigned char buffer[CHUNK_BYTES];
  size_t done = 0;
  OSPolicy_Status status = OSPOLICY_OK;
  while (done < bytes) {
    size_t n = bytes - done < sizeof buffer ? bytes - done : sizeof buffer;
    OSPolicy_GuardedRandomResult result;
    status = OSPolicy_FillGuardedRandom(firmware, buffer, n, &result);
    if (status != OSPOLICY_OK) {
      break; /* the guarded fill wiped any partial bytes */
    }
    mix(pool, kind, buffer, n);
    account_bytes(pool, kind, n);
    done += n;
  }
  sodium_memzero(buffer, sizeof buffer);
  return record(pool, kind, status, status == OSPOLICY_OK ? full_credit(bytes) : 0u);
}

/* Draws `words` values into the pool in chunks; stops at the first failure. */
static OSPolicy_Status mix_draws(OSPolicy_EntropyPool *pool, const OSPolicy_HwRandomSource *source,
                                 uint32_t words) {
  uint64_t chunk[CHUNK_WORDS];
  size_t n = 0;
  OSPolicy_Status status = OSPOLICY_OK;
  for (uint32_t i = 0; i < words; i++) {
    OSPolicy_HwRandomDraw draw;
    status = OSPolicy_DrawHwRandom(source, &draw);
    if (status != OSPOLICY_OK) {
      break;
    }
    chunk[n++] = draw.value;
    draw.value = 0;
    if (n == CHUNK_WORDS) {
      mix(pool, source->kind, chunk, sizeof chunk);
      account_bytes(pool, source->kind, sizeof chunk);
      n = 0;
    }
  }
  if (n > 0u) {
    mix(pool, source->kind, chunk, n * sizeof chunk[0]);
    account_bytes(pool, source->kind, n * sizeof chunk[0]);
  }
  sodium_memzero(chunk, sizeof chunk);
  return status;
}

OSPolicy_Status OSPolicy_AddHardwareEntropy(OSPolicy_EntropyPool *pool,
                                                const OSPolicy_HwRandomSource *source,
                                                uint32_t words) {
  if (pool == NULL || source == NULL || source->step == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  if (!active(pool) || (source->kind != OSHOST_RANDOM_SOURCE_RDSEED &&
                        source->kind != OSHOST_RANDOM_SOURCE_RDRAND)) {
    return OSPOLICY_ERR_INVALID_ARGUMENT;
  }
  OSHost_RandomSource kind = source->kind;
  uint32_t bit = kind_bit(kind);
  if (words == 0u) {
    return record(pool, kind, OSPOLICY_ERR_EMPTY_RANGE, 0);
  }
  if ((pool->disabled_mask & bit) != 0u) {
    return pool->sources[kind].last_status; /* sticky: the source is not touched */
  }
  if ((pool->trusted_mask & bit) == 0u) {
    OSPolicy_HwRandomHealth health;
    OSPolicy_Status status = OSPolicy_CheckHwRandomHealth(source, &health);
    if (status != OSPOLICY_OK) {
      pool->disabled_mask |= bit;
      return record(pool, kind, status, 0);
    }
    pool->trusted_mask |= bit;
  }
  OSPolicy_Status status = mix_draws(pool, source, words);
  if (status != OSPOLICY_OK) {
    pool->disabled_mask |= bit;
    pool->trusted_mask &= ~bit;
    return record(pool, kind, status, 0);
  }
  uint64_t bytes = (uint64_t)words * 8u;
  uint64_t credit = kind == OSHOST_RANDOM_SOURCE_RDSEED ? full_credit(bytes) : rdrand_credit(bytes);
  return record(pool, kind, OSPOLICY_OK, credit);
}

OSPolicy_Status OSPolicy_AddJitterEntropy(OSPolicy_EntropyPool *pool,
                                              const OSPolicy_HwRandomSource *tsc, uint32_t samples) {
  if (pool == NULL || tsc == NULL || tsc->step == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  if (!active(pool) || tsc->kind != OSHOST_RANDOM_SOURCE_JITTER) {
    return OSPOLICY_ERR_INVALID_ARGUMENT;
  }
  const OSHost_RandomSource kind = OSHOST_RANDOM_SOURCE_JITTER;
  if (samples == 0u) {
    return record(pool, kind, OSPOLICY_ERR_EMPTY_RANGE, 0);
  }
  uint64_t chunk[CHUNK_WORDS];
  size_t n = 0;
  uint64_t previous = 0;
  OSPolicy_Status status = OSPOLICY_OK;
  for (uint32_t i = 0; i < samples; i++) {
    OSPolicy_HwRandomSample sample = tsc->step(tsc->context);
    if (!sample.ready) {
      status = OSPOLICY_ERR_HWRNG_NOT_READY;
      break;
    }
    chunk[n++] = sample.value;
    chunk[n++] = sample.value - previous; /* the jitter itself */
    previous = sample.value;
    if (n == CHUNK_WORDS) {
      mix(pool, kind, chunk, sizeof chunk);
      account_bytes(pool, kind, sizeof chunk);
      n = 0;
    }
  }
  if (n > 0u) {
    mix(pool, kind, chunk, n * sizeof chunk[0]);
    account_bytes(pool, kind, n * sizeof chunk[0]);
  }
  sodium_memzero(chunk, sizeof chunk);
  return record(pool, kind, status, 0); /* jitter is never credited */
}

OSPolicy_Status OSPolicy_AddPlatformEntropy(OSPolicy_EntropyPool *pool, size_t bytes) {
  if (pool == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  if (!active(pool)) {
    return OSPOLICY_ERR_INVALID_ARGUMENT;
  }
  const OSHost_RandomSource kind = OSHOST_RANDOM_SOURCE_PLATFORM;
  if (bytes == 0u) {
    return record(pool, kind, OSPOLICY_ERR_EMPTY_RANGE, 0);
  }
  unsigned char buffer[CHUNK_BYTES];
  size_t done = 0;
  bool rdrand_only = true;
  OSPolicy_Status status = OSPOLICY_OK;
  while (done < bytes) {
    size_t n = bytes - done < sizeof buffer ? bytes - done : sizeof buffer;
    OSHost_RandomSource from = OSHOST_RANDOM_SOURCE_UNSET;
    status = OSPolicy_PalFillRandom(buffer, n, &from);
    if (status != OSPOLICY_OK) {
      break;
    }
    if (from != OSHOST_RANDOM_SOURCE_RDRAND) {
      rdrand_only = false;
    }
    mix(pool, kind, buffer, n);
    account_bytes(pool, kind, n);
    done += n;
  }
  sodium_memzero(buffer, sizeof buffer);
  uint64_t credit = 0;
  if (status == OSPOLICY_OK) {
    credit = rdrand_only ? rdrand_credit(bytes) : full_credit(bytes);
  }
  return record(pool, kind, status, credit);
}

bool OSPolicy_IsEntropyPoolReady(const OSPolicy_EntropyPool *pool) {
  if (pool == NULL || !active(pool) || pool->contributed_mask == 0u) {
    return false;
  }
  return pool->credited_bits >= pool->threshold_bits || pool->weak_seed_accepted;
}

static OSPolicy_Status readiness(const OSPolicy_EntropyPool *pool) {
  if (pool->contributed_mask == 0u) {
    return OSPOLICY_ERR_NO_ENTROPY_SOURCE;
  }
  if (pool->credited_bits < pool->threshold_bits && !pool->weak_seed_accepted) {
    return OSPOLICY_DENIED_ENTROPY_INSUFFICIENT;
  }
  return OSPOLICY_OK;
}

OSPolicy_Status OSPolicy_CollectEntropy(OSPolicy_EntropyPool *pool,
                                            const OSPolicy_EntropySources *sources,
                                            OSPolicy_EntropyCollectResult *result) {
  if (result == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  *result = (OSPolicy_EntropyCollectResult){.status = OSPOLICY_STATUS_UNSET};
  if (pool == NULL || sources == NULL) {
    result->status = OSPOLICY_ERR_NULL_ARGUMENT;
    return result->status;
  }
  if (!active(pool)) {
    result->status = OSPOLICY_ERR_INVALID_ARGUMENT;
    return result->status;
  }
  OSPolicy_Status *outcome = result->source_status;
  if (sources->firmware != NULL) {
    outcome[OSHOST_RANDOM_SOURCE_FIRMWARE_RNG] =
        OSPolicy_AddFirmwareEntropy(pool, sources->firmware, OSPOLICY_ENTROPY_FIRMWARE_BYTES);
  }
  if (sources->rdseed != NULL) {
    outcome[OSHOST_RANDOM_SOURCE_RDSEED] =
        sources->rdseed->kind == OSHOST_RANDOM_SOURCE_RDSEED
            ? OSPolicy_AddHardwareEntropy(pool, sources->rdseed, OSPOLICY_ENTROPY_RDSEED_WORDS)
            : OSPOLICY_ERR_INVALID_ARGUMENT;
  }
  if (sources->rdrand != NULL) {
    outcome[OSHOST_RANDOM_SOURCE_RDRAND] =
        sources->rdrand->kind == OSHOST_RANDOM_SOURCE_RDRAND
            ? OSPolicy_AddHardwareEntropy(pool, sources->rdrand, OSPOLICY_ENTROPY_RDRAND_WORDS)
            : OSPOLICY_ERR_INVALID_ARGUMENT;
  }
  if (sources->platform) {
    outcome[OSHOST_RANDOM_SOURCE_PLATFORM] =
        OSPolicy_AddPlatformEntropy(pool, OSPOLICY_ENTROPY_PLATFORM_BYTES);
  }
  if (sources->jitter != NULL) {
    outcome[OSHOST_RANDOM_SOURCE_JITTER] =
        OSPolicy_AddJitterEntropy(pool, sources->jitter, OSPOLICY_ENTROPY_JITTER_SAMPLES);
  }
  result->credited_bits = pool->credited_bits;
  result->threshold_bits = pool->threshold_bits;
  result->contributed_mask = pool->contributed_mask;
  OSPolicy_Status status = readiness(pool);
  if (status == OSPOLICY_OK && pool->credited_bits < pool->threshold_bits) {
    status = OSPOLICY_DENIED_ENTROPY_INSUFFICIENT; /* a weak acceptance does not make it full */
  }
  result->status = status;
  return status;
}

/* Tiny formatting for the warning line (no libc). */
typedef struct text {
  char *buffer;
  size_t capacity;
  size_t length;
} text;

static void text_put(text *t, const char *s) {
  while (*s != '\0' && t->length + 1u < t->capacity) {
    t->buffer[t->length++] = *s++;
  }
  t->buffer[t->length] = '\0';
}

static void text_put_u32(text *t, uint32_t value) {
  char digits[11];
  size_t n = 0;
  do {
    digits[n++] = (char)('0' + value % 10u);
    value /= 10u;
  } while (value != 0u);
  char reversed[11];
  for (size_t i = 0; i < n; i++) {
    reversed[i] = digits[n - 1u - i];
  }
  reversed[n] = '\0';
  text_put(t, reversed);
}

OSPolicy_Status OSPolicy_AcceptWeakEntropySeed(OSPolicy_EntropyPool *pool) {
  if (pool == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  if (!active(pool)) {
    return OSPOLICY_ERR_INVALID_ARGUMENT;
  }
  if (pool->contributed_mask == 0u) {
    return OSPOLICY_ERR_NO_ENTROPY_SOURCE;
  }
  if (pool->credited_bits >= pool->threshold_bits) {
    return OSPOLICY_OK;
  }
  char line[192];
  text t = {line, sizeof line, 0};
  line[0] = '\0';
  text_put(&t, "entropy pool: accepting a WEAK seed: ");
  text_put_u32(&t, pool->credited_bits);
  text_put(&t, " of ");
  text_put_u32(&t, pool->threshold_bits);
  text_put(&t, " bits credited; sources:");
  for (uint32_t k = 1; k < OSPOLICY_ENTROPY_SOURCE_COUNT; k++) {
    if ((pool->contributed_mask & (1u << k)) != 0u) {
      text_put(&t, " ");
      text_put(&t, OSPolicy_RandomSourceName((OSHost_RandomSource)k));
    }
  }
  OSPolicy_Status status = OSPolicy_PalLog(OSHOST_LOG_WARNING, line);
  if (status != OSPOLICY_OK) {
    return status;
  }
  pool->weak_seed_accepted = true;
  pool->weak_seed_bits = pool->credited_bits;
  return OSPOLICY_OK;
}

OSPolicy_Status OSPolicy_GenerateEntropyPoolBytes(OSPolicy_EntropyPool *pool, void *out, size_t length) {
  if (pool == NULL || out == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  if (!active(pool)) {
    return OSPOLICY_ERR_INVALID_ARGUMENT;
  }
  if (length == 0u) {
    return OSPOLICY_ERR_EMPTY_RANGE;
  }
  OSPolicy_Status status = readiness(pool);
  if (status != OSPOLICY_OK) {
    return status;
  }
  generate(pool, out, length);
  return OSPOLICY_OK;
}

OSPolicy_Status OSPolicy_NextEntropyPoolWord(void *pool, uint64_t *word) {
  if (word == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  unsigned char bytes[8];
  OSPolicy_Status status = OSPolicy_GenerateEntropyPoolBytes(pool, bytes, sizeof bytes);
  if (status == OSPOLICY_OK) {
    *word = OSPolicy_LoadLe64(bytes);
  }
  sodium_memzero(bytes, sizeof bytes);
  return status;
}

OSPolicy_Status OSPolicy_FillFromEntropyPool(void *pool, void *buffer, size_t length, size_t *written) {
  if (written == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  *written = 0;
  OSPolicy_Status status = OSPolicy_GenerateEntropyPoolBytes(pool, buffer, length);
  if (status == OSPOLICY_OK) {
    *written = length;
  }
  return status;
}

OSPolicy_RandomWordSource OSPolicy_GetEntropyPoolWordSource(OSPolicy_EntropyPool *pool) {
  return (OSPolicy_RandomWordSource){.next = OSPolicy_NextEntropyPoolWord, .context = pool};
}

/* Header bytes in wire order (little endian), the part the check covers
 * together with the seed bytes. */
static void seed_header(const OSPolicy_EntropySeed *seed, unsigned char header[SEED_HEADER_BYTES]) {
  OSPolicy_StoreLe32(header, seed->magic);
  OSPolicy_StoreLe16(header + 4, seed->version);
  OSPolicy_StoreLe16(header + 6, seed->size);
  OSPolicy_StoreLe32(header + 8, seed->flags);
  OSPolicy_StoreLe32(header + 12, seed->credited_bits);
  OSPolicy_StoreLe32(header + 16, seed->source_mask);
  OSPolicy_StoreLe32(header + 20, seed->reserved);
}

static void seed_check(const OSPolicy_EntropySeed *seed, unsigned char check[SEED_CHECK_BYTES]) {
  unsigned char header[SEED_HEADER_BYTES];
  crypto_generichash_blake2b_state state;
  seed_header(seed, header);
  (void)crypto_generichash_blake2b_init(&state, NULL, 0, SEED_CHECK_BYTES);
  (void)crypto_generichash_blake2b_update(&state, header, sizeof header);
  (void)crypto_generichash_blake2b_update(&state, seed->seed, sizeof seed->seed);
  (void)crypto_generichash_blake2b_final(&state, check, SEED_CHECK_BYTES);
  sodium_memzero(&state, sizeof state);
}

OSPolicy_Status OSPolicy_ExportEntropySeed(OSPolicy_EntropyPool *pool, OSPolicy_EntropySeed *seed) {
  if (seed == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  sodium_memzero(seed, sizeof *seed);
  OSPolicy_EntropySeed out = {
      .magic = OSPOLICY_ENTROPY_SEED_MAGIC,
      .version = OSPOLICY_ENTROPY_SEED_VERSION,
      .size = (uint16_t)sizeof(OSPolicy_EntropySeed),
  };
  OSPolicy_Status status = OSPolicy_GenerateEntropyPoolBytes(pool, out.seed, sizeof out.seed);
  if (status != OSPOLICY_OK) {
    sodium_memzero(&out, sizeof out);
    return status;
  }
  out.credited_bits = pool->credited_bits;
  out.source_mask = pool->contributed_mask;
  out.flags = pool->credited_bits < pool->threshold_bits ? OSPOLICY_ENTROPY_SEED_WEAK : 0u;
  seed_check(&out, out.check);
  memcpy(seed, &out, sizeof out);
  sodium_memzero(&out, sizeof out);
  return OSPOLICY_OK;
}

static bool seed_valid(const OSPolicy_EntropySeed *seed) {
  if (seed->magic != OSPOLICY_ENTROPY_SEED_MAGIC || seed->version != OSPOLICY_ENTROPY_SEED_VERSION ||
      seed->size != sizeof(OSPolicy_EntropySeed) || (seed->flags & ~OSPOLICY_ENTROPY_SEED_WEAK) != 0u ||
      seed->reserved != 0u || seed->credited_bits > OSPOLICY_ENTROPY_MAX_CREDIT_BITS) {
    return false;
  }
  unsigned char check[SEED_CHECK_BYTES];
  seed_check(seed, check);
  bool same = sodium_memcmp(check, seed->check, sizeof check) == 0;
  sodium_memzero(check, sizeof check);
  return same;
}

OSPolicy_Status OSPolicy_ImportEntropySeed(OSPolicy_EntropyPool *pool, OSPolicy_EntropySeed *seed) {
  if (seed == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  OSPolicy_Status status = OSPOLICY_OK;
  if (pool == NULL) {
    status = OSPOLICY_ERR_NULL_ARGUMENT;
  } else if (!active(pool)) {
    status = OSPOLICY_ERR_INVALID_ARGUMENT;
  } else if (!seed_valid(seed)) {
    status = record(pool, OSHOST_RANDOM_SOURCE_SEED, OSPOLICY_ERR_ENTROPY_SEED_INVALID, 0);
  } else {
    unsigned char header[SEED_HEADER_BYTES];
    seed_header(seed, header);
    mix(pool, OSHOST_RANDOM_SOURCE_SEED, header, sizeof header);
    mix(pool, OSHOST_RANDOM_SOURCE_SEED, seed->seed, sizeof seed->seed);
    account_bytes(pool, OSHOST_RANDOM_SOURCE_SEED, sizeof seed->seed);
    if ((seed->flags & OSPOLICY_ENTROPY_SEED_WEAK) != 0u) {
      pool->imported_weak_seed = true;
    }
    status = record(pool, OSHOST_RANDOM_SOURCE_SEED, OSPOLICY_OK, seed->credited_bits);
  }
  sodium_memzero(seed, sizeof *seed);
  return status;
}
