/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
#include <check.h>
#include <sodium/crypto_stream_chacha20.h>
#include <stdint.h>
#include <string.h>

#include "fake_oshost.h"
#include "fake_random.h"
#include "ospolicy/entropy_pool.h"
#include "ospolicy/stack_canary.h"

static void setup(void) {
  fake_oshost_reset();
}

static OSPolicy_EntropyPool fresh_pool(void) {
  OSPolicy_EntropyPool pool;
  memset(&pool, 0x5A, sizeof pool);
  ck_assert_int_eq(OSPolicy_InitEntropyPool(&pool, OSPOLICY_ENTROPY_DEFAULT_THRESHOLD_BITS), OSPOLICY_OK);
  return pool;
}

/* A pool seeded to the threshold by a good fake RDSEED. */
static OSPolicy_EntropyPool seeded_pool(uint64_t seed) {
  OSPolicy_EntropyPool pool = fresh_pool();
  fake_hw hw = {.mode = FAKE_HW_GOOD, .state = seed};
  OSPolicy_HwRandomSource source = fake_hw_source(&hw, OSHOST_RANDOM_SOURCE_RDSEED);
  ck_assert_int_eq(OSPolicy_AddHardwareEntropy(&pool, &source, 8), OSPOLICY_OK);
  ck_assert(OSPolicy_IsEntropyPoolReady(&pool));
  return pool;
}

static int all_bytes(const void *p, size_t n, unsigned char value) {
  const unsigned char *b = p;
  for (size_t i = 0; i < n; i++) {
    if (b[i] != value) {
      return 0;
    }
  }
  return 1;
}

static uint32_t bit(OSHost_RandomSource kind) {
  return 1u << (unsigned)kind;
}

START_TEST(init_rejections) {
  OSPolicy_EntropyPool pool;
  ck_assert_int_eq(OSPolicy_InitEntropyPool(NULL, 256), OSPOLICY_ERR_NULL_ARGUMENT);
  ck_assert_int_eq(OSPolicy_InitEntropyPool(&pool, 127), OSPOLICY_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(OSPolicy_InitEntropyPool(&pool, 513), OSPOLICY_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(OSPolicy_InitEntropyPool(&pool, 128), OSPOLICY_OK);
  ck_assert_int_eq(pool.threshold_bits, 128);
  ck_assert_int_eq(pool.phase, OSPOLICY_ENTROPY_POOL_ACTIVE);
  ck_assert_uint_eq(pool.credited_bits, 0);
  ck_assert_uint_eq(pool.contributed_mask, 0);
}
END_TEST

START_TEST(empty_pool_refuses_output) {
  OSPolicy_EntropyPool pool = fresh_pool();
  unsigned char out[16];
  memset(out, 0xEE, sizeof out);
  ck_assert_int_eq(OSPolicy_GenerateEntropyPoolBytes(&pool, out, sizeof out), OSPOLICY_ERR_NO_ENTROPY_SOURCE);
  ck_assert(all_bytes(out, sizeof out, 0xEE));
  ck_assert(!OSPolicy_IsEntropyPoolReady(&pool));
  ck_assert_int_eq(OSPolicy_AcceptWeakEntropySeed(&pool), OSPOLICY_ERR_NO_ENTROPY_SOURCE);
  ck_assert_uint_eq(fake_host.log_calls, 0);
}
END_TEST

START_TEST(all_ones_source_rejected_and_disabled) {
  OSPolicy_EntropyPool pool = fresh_pool();
  fake_hw hw = {.mode = FAKE_HW_ALL_ONES};
  OSPolicy_HwRandomSource source = fake_hw_source(&hw, OSHOST_RANDOM_SOURCE_RDRAND);
  ck_assert_int_eq(OSPolicy_AddHardwareEntropy(&pool, &source, 64), OSPOLICY_ERR_HWRNG_ALL_ONES);
  ck_assert_int_eq(pool.sources[OSHOST_RANDOM_SOURCE_RDRAND].last_status, OSPOLICY_ERR_HWRNG_ALL_ONES);
  ck_assert_uint_eq(pool.contributed_mask, 0);
  ck_assert_uint_eq(pool.credited_bits, 0);
  ck_assert_uint_eq(pool.disabled_mask, bit(OSHOST_RANDOM_SOURCE_RDRAND));
  /* Sticky: the source is not touched again. */
  unsigned steps = hw.steps;
  ck_assert_int_eq(OSPolicy_AddHardwareEntropy(&pool, &source, 64), OSPOLICY_ERR_HWRNG_ALL_ONES);
  ck_assert_uint_eq(hw.steps, steps);
}
END_TEST

START_TEST(never_ready_source_rejected) {
  OSPolicy_EntropyPool pool = fresh_pool();
  fake_hw hw = {.mode = FAKE_HW_NEVER_READY};
  OSPolicy_HwRandomSource source = fake_hw_source(&hw, OSHOST_RANDOM_SOURCE_RDRAND);
  ck_assert_int_eq(OSPolicy_AddHardwareEntropy(&pool, &source, 64), OSPOLICY_ERR_HWRNG_NOT_READY);
  ck_assert_uint_eq(hw.steps, 10); /* one draw of ten attempts ended the health check */
  ck_assert_uint_eq(pool.contributed_mask, 0);
  ck_assert_uint_eq(pool.credited_bits, 0);
}
END_TEST

START_TEST(zero_with_success_source_rejected) {
  OSPolicy_EntropyPool pool = fresh_pool();
  fake_hw hw = {.mode = FAKE_HW_ZERO_OK};
  OSPolicy_HwRandomSource source = fake_hw_source(&hw, OSHOST_RANDOM_SOURCE_RDSEED);
  ck_assert_int_eq(OSPolicy_AddHardwareEntropy(&pool, &source, 8), OSPOLICY_ERR_HWRNG_ZERO);
  ck_assert_int_eq(pool.sources[OSHOST_RANDOM_SOURCE_RDSEED].last_status, OSPOLICY_ERR_HWRNG_ZERO);
  ck_assert_uint_eq(pool.credited_bits, 0);
}
END_TEST

START_TEST(constant_source_fails_health_check) {
  OSPolicy_EntropyPool pool = fresh_pool();
  fake_hw hw = {.mode = FAKE_HW_CONSTANT, .value = 0x0123456789ABCDEFu};
  OSPolicy_HwRandomSource source = fake_hw_source(&hw, OSHOST_RANDOM_SOURCE_RDRAND);
  ck_assert_int_eq(OSPolicy_AddHardwareEntropy(&pool, &source, 64), OSPOLICY_ERR_HWRNG_HEALTH);
  ck_assert_uint_eq(hw.steps, 8);
  ck_assert_uint_eq(pool.trusted_mask, 0);
  ck_assert_uint_eq(pool.contributed_mask, 0);
}
END_TEST

START_TEST(source_failing_after_health_earns_nothing) {
  OSPolicy_EntropyPool pool = fresh_pool();
  /* 8 good values pass the health check, 5 more are mixed, then all ones. */
  uint64_t values[14];
  for (int i = 0; i < 13; i++) {
    values[i] = 0x1000u + (uint64_t)i;
  }
  values[13] = UINT64_MAX;
  fake_hw hw = {.mode = FAKE_HW_CYCLE, .values = values, .count = 14};
  OSPolicy_HwRandomSource source = fake_hw_source(&hw, OSHOST_RANDOM_SOURCE_RDSEED);
  ck_assert_int_eq(OSPolicy_AddHardwareEntropy(&pool, &source, 8), OSPOLICY_ERR_HWRNG_ALL_ONES);
  ck_assert_uint_eq(pool.sources[OSHOST_RANDOM_SOURCE_RDSEED].bytes, 5 * 8);
  ck_assert_uint_eq(pool.sources[OSHOST_RANDOM_SOURCE_RDSEED].credited_bits, 0);
  ck_assert_uint_eq(pool.credited_bits, 0);
  ck_assert_uint_eq(pool.disabled_mask, bit(OSHOST_RANDOM_SOURCE_RDSEED));
  ck_assert_uint_eq(pool.trusted_mask, 0);
}
END_TEST

START_TEST(rdseed_full_credit_capped) {
  OSPolicy_EntropyPool pool = fresh_pool();
  fake_hw hw = {.mode = FAKE_HW_GOOD, .state = 11};
  OSPolicy_HwRandomSource source = fake_hw_source(&hw, OSHOST_RANDOM_SOURCE_RDSEED);
  ck_assert_int_eq(OSPolicy_AddHardwareEntropy(&pool, &source, 2), OSPOLICY_OK);
  ck_assert_uint_eq(pool.credited_bits, 128);
  ck_assert(!OSPolicy_IsEntropyPoolReady(&pool));
  ck_assert_int_eq(OSPolicy_AddHardwareEntropy(&pool, &source, 8), OSPOLICY_OK);
  ck_assert_uint_eq(pool.sources[OSHOST_RANDOM_SOURCE_RDSEED].credited_bits, 256);
  ck_assert_uint_eq(pool.credited_bits, 256);
  ck_assert_uint_eq(pool.sources[OSHOST_RANDOM_SOURCE_RDSEED].bytes, 80);
  ck_assert_uint_eq(pool.sources[OSHOST_RANDOM_SOURCE_RDSEED].contributions, 2);
  ck_assert_uint_eq(hw.steps, 8 + 10); /* health once, then the draws */
  ck_assert(OSPolicy_IsEntropyPoolReady(&pool));
}
END_TEST

START_TEST(rdrand_credited_conservatively) {
  OSPolicy_EntropyPool pool = fresh_pool();
  fake_hw hw = {.mode = FAKE_HW_GOOD, .state = 12};
  OSPolicy_HwRandomSource source = fake_hw_source(&hw, OSHOST_RANDOM_SOURCE_RDRAND);
  ck_assert_int_eq(OSPolicy_AddHardwareEntropy(&pool, &source, 100), OSPOLICY_OK);
  ck_assert_uint_eq(pool.credited_bits, 25); /* 1 bit per 4 words */
  unsigned char out[8];
  ck_assert_int_eq(OSPolicy_GenerateEntropyPoolBytes(&pool, out, sizeof out), OSPOLICY_DENIED_ENTROPY_INSUFFICIENT);
  ck_assert_int_eq(OSPolicy_AddHardwareEntropy(&pool, &source, 1024), OSPOLICY_OK);
  ck_assert_uint_eq(pool.credited_bits, 256);
  ck_assert_int_eq(OSPolicy_GenerateEntropyPoolBytes(&pool, out, sizeof out), OSPOLICY_OK);
}
END_TEST

START_TEST(jitter_is_mixed_but_never_credited) {
  OSPolicy_EntropyPool pool = fresh_pool();
  fake_hw tsc = {.mode = FAKE_HW_GOOD, .state = 13};
  OSPolicy_HwRandomSource source = fake_hw_source(&tsc, OSHOST_RANDOM_SOURCE_JITTER);
  ck_assert_int_eq(OSPolicy_AddJitterEntropy(&pool, &source, 1000), OSPOLICY_OK);
  ck_assert_uint_eq(pool.credited_bits, 0);
  ck_assert_uint_eq(pool.contributed_mask, bit(OSHOST_RANDOM_SOURCE_JITTER));
  ck_assert_uint_eq(pool.sources[OSHOST_RANDOM_SOURCE_JITTER].bytes, 1000 * 16);
  unsigned char out[8];
  ck_assert_int_eq(OSPolicy_GenerateEntropyPoolBytes(&pool, out, sizeof out), OSPOLICY_DENIED_ENTROPY_INSUFFICIENT);
  fake_hw stuck = {.mode = FAKE_HW_NEVER_READY};
  OSPolicy_HwRandomSource bad = fake_hw_source(&stuck, OSHOST_RANDOM_SOURCE_JITTER);
  ck_assert_int_eq(OSPolicy_AddJitterEntropy(&pool, &bad, 4), OSPOLICY_ERR_HWRNG_NOT_READY);
  OSPolicy_HwRandomSource wrong = fake_hw_source(&tsc, OSHOST_RANDOM_SOURCE_RDRAND);
  ck_assert_int_eq(OSPolicy_AddJitterEntropy(&pool, &wrong, 4), OSPOLICY_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(OSPolicy_AddJitterEntropy(&pool, &source, 0), OSPOLICY_ERR_EMPTY_RANGE);
}
END_TEST

START_TEST(weak_seed_acceptance_is_logged_and_recorded) {
  OSPolicy_EntropyPool pool = fresh_pool();
  fake_hw tsc = {.mode = FAKE_HW_GOOD, .state = 14};
  OSPolicy_HwRandomSource source = fake_hw_source(&tsc, OSHOST_RANDOM_SOURCE_JITTER);
  ck_assert_int_eq(OSPolicy_AddJitterEntropy(&pool, &source, 64), OSPOLICY_OK);
  ck_assert_int_eq(OSPolicy_AcceptWeakEntropySeed(&pool), OSPOLICY_OK);
  ck_assert_uint_eq(fake_host.log_calls, 1);
  ck_assert_int_eq(fake_host.last_log_level, OSHOST_LOG_WARNING);
  ck_assert_str_eq(fake_host.last_log_message,
                   "entropy pool: accepting a WEAK seed: 0 of 256 bits credited; sources: jitter");
  ck_assert(pool.weak_seed_accepted);
  ck_assert_uint_eq(pool.weak_seed_bits, 0);
  ck_assert(OSPolicy_IsEntropyPoolReady(&pool));
  unsigned char out[32];
  ck_assert_int_eq(OSPolicy_GenerateEntropyPoolBytes(&pool, out, sizeof out), OSPOLICY_OK);
}
END_TEST

START_TEST(weak_seed_not_accepted_silently) {
  OSPolicy_EntropyPool pool = fresh_pool();
  fake_hw tsc = {.mode = FAKE_HW_GOOD, .state = 15};
  OSPolicy_HwRandomSource source = fake_hw_source(&tsc, OSHOST_RANDOM_SOURCE_JITTER);
  ck_assert_int_eq(OSPolicy_AddJitterEntropy(&pool, &source, 64), OSPOLICY_OK);
  fake_host.log_status = OSHOST_ERR_DEVICE; /* the console is broken */
  ck_assert_int_eq(OSPolicy_AcceptWeakEntropySeed(&pool), OSPOLICY_ERR_PAL_FAILED);
  ck_assert(!pool.weak_seed_accepted);
  unsigned char out[8];
  ck_assert_int_eq(OSPolicy_GenerateEntropyPoolBytes(&pool, out, sizeof out), OSPOLICY_DENIED_ENTROPY_INSUFFICIENT);
}
END_TEST

START_TEST(weak_acceptance_is_a_noop_when_seeded) {
  OSPolicy_EntropyPool pool = seeded_pool(16);
  ck_assert_int_eq(OSPolicy_AcceptWeakEntropySeed(&pool), OSPOLICY_OK);
  ck_assert_uint_eq(fake_host.log_calls, 0);
  ck_assert(!pool.weak_seed_accepted);
}
END_TEST

/* A scripted firmware RNG behind the guarded random. */
static OSPolicy_Status firmware_fill(void *context, void *buffer, size_t length, size_t *written) {
  uint64_t *state = context;
  unsigned char *out = buffer;
  for (size_t i = 0; i < length; i++) {
    out[i] = (unsigned char)splitmix64_next(state);
  }
  *written = length;
  return OSPOLICY_OK;
}

START_TEST(firmware_source_through_guarded_random) {
  fake_host.boot_phase = OSHOST_BOOT_PHASE_FIRMWARE;
  uint64_t fw_state = 17;
  OSPolicy_RandomSource fw = {.fill = firmware_fill, .context = &fw_state,
                              .id = OSHOST_RANDOM_SOURCE_FIRMWARE_RNG};
  OSPolicy_GuardedRandom guarded = OSPOLICY_GUARDED_RANDOM_ZERO;
  ck_assert_int_eq(OSPolicy_InitGuardedRandom(&guarded, &fw), OSPOLICY_OK);
  OSPolicy_EntropyPool pool = fresh_pool();
  ck_assert_int_eq(OSPolicy_AddFirmwareEntropy(&pool, &guarded, 100), OSPOLICY_OK);
  ck_assert_uint_eq(pool.sources[OSHOST_RANDOM_SOURCE_FIRMWARE_RNG].bytes, 100);
  ck_assert_uint_eq(pool.credited_bits, 256);
  ck_assert_uint_eq(guarded.bytes, 100);
  ck_assert_int_eq(OSPolicy_MarkExitBootServices(&guarded), OSPOLICY_OK);
  ck_assert_int_eq(OSPolicy_AddFirmwareEntropy(&pool, &guarded, 32),
                   OSPOLICY_DENIED_AFTER_EXIT_BOOT_SERVICES);
  ck_assert_int_eq(pool.sources[OSHOST_RANDOM_SOURCE_FIRMWARE_RNG].last_status,
                   OSPOLICY_DENIED_AFTER_EXIT_BOOT_SERVICES);
  ck_assert_uint_eq(pool.sources[OSHOST_RANDOM_SOURCE_FIRMWARE_RNG].bytes, 100);
}
END_TEST

START_TEST(platform_source_credit_follows_reported_source) {
  OSPolicy_EntropyPool pool = fresh_pool();
  ck_assert_int_eq(OSPolicy_AddPlatformEntropy(&pool, 64), OSPOLICY_OK);
  ck_assert_uint_eq(pool.credited_bits, 256);
  OSPolicy_EntropyPool rdrand_pool = fresh_pool();
  fake_host.random_source = OSHOST_RANDOM_SOURCE_RDRAND;
  ck_assert_int_eq(OSPolicy_AddPlatformEntropy(&rdrand_pool, 64), OSPOLICY_OK);
  ck_assert_uint_eq(rdrand_pool.credited_bits, 2);
  fake_host.random_status = OSHOST_ERR_DEVICE;
  ck_assert_int_eq(OSPolicy_AddPlatformEntropy(&rdrand_pool, 64), OSPOLICY_ERR_PAL_FAILED);
  ck_assert_uint_eq(rdrand_pool.credited_bits, 2);
}
END_TEST

START_TEST(collect_uses_every_source_and_reports_each) {
  fake_host.boot_phase = OSHOST_BOOT_PHASE_FIRMWARE;
  uint64_t fw_state = 18;
  OSPolicy_RandomSource fw = {.fill = firmware_fill, .context = &fw_state,
                              .id = OSHOST_RANDOM_SOURCE_FIRMWARE_RNG};
  OSPolicy_GuardedRandom guarded = OSPOLICY_GUARDED_RANDOM_ZERO;
  ck_assert_int_eq(OSPolicy_InitGuardedRandom(&guarded, &fw), OSPOLICY_OK);
  fake_hw seed_hw = {.mode = FAKE_HW_ALL_ONES};
  fake_hw rand_hw = {.mode = FAKE_HW_GOOD, .state = 19};
  fake_hw tsc_hw = {.mode = FAKE_HW_GOOD, .state = 20};
  OSPolicy_HwRandomSource rdseed = fake_hw_source(&seed_hw, OSHOST_RANDOM_SOURCE_RDSEED);
  OSPolicy_HwRandomSource rdrand = fake_hw_source(&rand_hw, OSHOST_RANDOM_SOURCE_RDRAND);
  OSPolicy_HwRandomSource tsc = fake_hw_source(&tsc_hw, OSHOST_RANDOM_SOURCE_JITTER);
  OSPolicy_EntropySources sources = {.firmware = &guarded, .rdseed = &rdseed, .rdrand = &rdrand,
                                     .jitter = &tsc, .platform = true};
  OSPolicy_EntropyPool pool = fresh_pool();
  OSPolicy_EntropyCollectResult result;
  memset(&result, 0x5A, sizeof result);
  ck_assert_int_eq(OSPolicy_CollectEntropy(&pool, &sources, &result), OSPOLICY_OK);
  ck_assert_int_eq(result.status, OSPOLICY_OK);
  ck_assert_int_eq(result.source_status[OSHOST_RANDOM_SOURCE_FIRMWARE_RNG], OSPOLICY_OK);
  ck_assert_int_eq(result.source_status[OSHOST_RANDOM_SOURCE_RDSEED], OSPOLICY_ERR_HWRNG_ALL_ONES);
  ck_assert_int_eq(result.source_status[OSHOST_RANDOM_SOURCE_RDRAND], OSPOLICY_OK);
  ck_assert_int_eq(result.source_status[OSHOST_RANDOM_SOURCE_PLATFORM], OSPOLICY_OK);
  ck_assert_int_eq(result.source_status[OSHOST_RANDOM_SOURCE_JITTER], OSPOLICY_OK);
  ck_assert_int_eq(result.source_status[OSHOST_RANDOM_SOURCE_SEED], OSPOLICY_STATUS_UNSET);
  ck_assert_uint_eq(result.contributed_mask,
                    bit(OSHOST_RANDOM_SOURCE_FIRMWARE_RNG) | bit(OSHOST_RANDOM_SOURCE_RDRAND) |
                        bit(OSHOST_RANDOM_SOURCE_PLATFORM) | bit(OSHOST_RANDOM_SOURCE_JITTER));
  ck_assert_uint_eq(pool.sources[OSHOST_RANDOM_SOURCE_RDRAND].bytes, 8 * OSPOLICY_ENTROPY_RDRAND_WORDS);
  ck_assert_uint_eq(result.credited_bits, 512); /* 256 + 256 + 256 + 0, capped */
  ck_assert_uint_eq(result.threshold_bits, 256);
}
END_TEST

START_TEST(collect_with_broken_or_weak_sources) {
  fake_hw ones = {.mode = FAKE_HW_ALL_ONES};
  fake_hw never = {.mode = FAKE_HW_NEVER_READY};
  OSPolicy_HwRandomSource rdseed = fake_hw_source(&never, OSHOST_RANDOM_SOURCE_RDSEED);
  OSPolicy_HwRandomSource rdrand = fake_hw_source(&ones, OSHOST_RANDOM_SOURCE_RDRAND);
  OSPolicy_EntropySources broken = {.rdseed = &rdseed, .rdrand = &rdrand};
  OSPolicy_EntropyPool pool = fresh_pool();
  OSPolicy_EntropyCollectResult result;
  ck_assert_int_eq(OSPolicy_CollectEntropy(&pool, &broken, &result), OSPOLICY_ERR_NO_ENTROPY_SOURCE);
  ck_assert_int_eq(result.source_status[OSHOST_RANDOM_SOURCE_RDSEED], OSPOLICY_ERR_HWRNG_NOT_READY);
  ck_assert_int_eq(result.source_status[OSHOST_RANDOM_SOURCE_RDRAND], OSPOLICY_ERR_HWRNG_ALL_ONES);
  fake_hw tsc_hw = {.mode = FAKE_HW_GOOD, .state = 21};
  OSPolicy_HwRandomSource tsc = fake_hw_source(&tsc_hw, OSHOST_RANDOM_SOURCE_JITTER);
  OSPolicy_EntropySources weak = {.jitter = &tsc};
  ck_assert_int_eq(OSPolicy_CollectEntropy(&pool, &weak, &result), OSPOLICY_DENIED_ENTROPY_INSUFFICIENT);
  ck_assert_uint_eq(result.credited_bits, 0);
  /* Mismatched kinds in the slots are refused. */
  OSPolicy_EntropySources swapped = {.rdseed = &rdrand};
  ck_assert_int_eq(OSPolicy_CollectEntropy(&pool, &swapped, &result), OSPOLICY_DENIED_ENTROPY_INSUFFICIENT);
  ck_assert_int_eq(result.source_status[OSHOST_RANDOM_SOURCE_RDSEED], OSPOLICY_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(OSPolicy_CollectEntropy(&pool, NULL, &result), OSPOLICY_ERR_NULL_ARGUMENT);
  ck_assert_int_eq(result.status, OSPOLICY_ERR_NULL_ARGUMENT);
  ck_assert_int_eq(OSPolicy_CollectEntropy(&pool, &weak, NULL), OSPOLICY_ERR_NULL_ARGUMENT);
}
END_TEST

START_TEST(output_is_chacha20_with_fast_key_erasure) {
  OSPolicy_EntropyPool pool = seeded_pool(22);
  unsigned char first[8];
  ck_assert_int_eq(OSPolicy_GenerateEntropyPoolBytes(&pool, first, sizeof first), OSPOLICY_OK); /* rekeys */
  ck_assert(!pool.rekey_pending);
  OSPolicy_EntropyPool before = pool;
  const size_t length = 200; /* crosses several ChaCha20 blocks */
  unsigned char out[200];
  ck_assert_int_eq(OSPolicy_GenerateEntropyPoolBytes(&pool, out, length), OSPOLICY_OK);
  /* Recompute: keystream under the old key, nonce = generation. */
  unsigned char nonce[8];
  for (int i = 0; i < 8; i++) {
    nonce[i] = (unsigned char)(before.generation >> (8 * i));
  }
  unsigned char stream[232];
  ck_assert_int_eq(crypto_stream_chacha20(stream, sizeof stream, nonce, before.key), 0);
  ck_assert_mem_eq(pool.key, stream, 32);      /* first 32 bytes became the key */
  ck_assert_mem_eq(out, stream + 32, length); /* the rest is the output */
  ck_assert(memcmp(pool.key, before.key, 32) != 0);
  ck_assert_uint_eq(pool.generation, before.generation + 1);
  ck_assert_uint_eq(pool.output_bytes, before.output_bytes + length);
}
END_TEST

START_TEST(input_after_output_rekeys) {
  OSPolicy_EntropyPool pool = seeded_pool(23);
  unsigned char a[32], b[32];
  ck_assert_int_eq(OSPolicy_GenerateEntropyPoolBytes(&pool, a, sizeof a), OSPOLICY_OK);
  unsigned char pool_before[64];
  memcpy(pool_before, pool.pool, sizeof pool_before);
  fake_hw tsc_hw = {.mode = FAKE_HW_GOOD, .state = 24};
  OSPolicy_HwRandomSource tsc = fake_hw_source(&tsc_hw, OSHOST_RANDOM_SOURCE_JITTER);
  ck_assert_int_eq(OSPolicy_AddJitterEntropy(&pool, &tsc, 4), OSPOLICY_OK);
  ck_assert(pool.rekey_pending);
  ck_assert(memcmp(pool_before, pool.pool, sizeof pool_before) != 0);
  ck_assert_int_eq(OSPolicy_GenerateEntropyPoolBytes(&pool, b, sizeof b), OSPOLICY_OK);
  ck_assert(!pool.rekey_pending);
  ck_assert(memcmp(a, b, sizeof a) != 0);
}
END_TEST

START_TEST(deterministic_for_the_same_inputs) {
  OSPolicy_EntropyPool p1 = seeded_pool(25), p2 = seeded_pool(25), p3 = seeded_pool(26);
  unsigned char o1[64], o2[64], o3[64];
  ck_assert_int_eq(OSPolicy_GenerateEntropyPoolBytes(&p1, o1, sizeof o1), OSPOLICY_OK);
  ck_assert_int_eq(OSPolicy_GenerateEntropyPoolBytes(&p2, o2, sizeof o2), OSPOLICY_OK);
  ck_assert_int_eq(OSPolicy_GenerateEntropyPoolBytes(&p3, o3, sizeof o3), OSPOLICY_OK);
  ck_assert_mem_eq(o1, o2, sizeof o1);
  ck_assert(memcmp(o1, o3, sizeof o1) != 0);
  /* Consecutive outputs differ. */
  ck_assert_int_eq(OSPolicy_GenerateEntropyPoolBytes(&p1, o2, sizeof o2), OSPOLICY_OK);
  ck_assert(memcmp(o1, o2, sizeof o1) != 0);
}
END_TEST

START_TEST(seed_export_import_continues_the_pool) {
  OSPolicy_EntropyPool loader = seeded_pool(27);
  OSPolicy_EntropySeed seed;
  memset(&seed, 0x5A, sizeof seed);
  ck_assert_int_eq(OSPolicy_ExportEntropySeed(&loader, &seed), OSPOLICY_OK);
  ck_assert_uint_eq(seed.magic, OSPOLICY_ENTROPY_SEED_MAGIC);
  ck_assert_uint_eq(seed.version, 1);
  ck_assert_uint_eq(seed.size, sizeof seed);
  ck_assert_uint_eq(seed.flags, 0);
  ck_assert_uint_eq(seed.credited_bits, 256);
  ck_assert_uint_eq(seed.source_mask, bit(OSHOST_RANDOM_SOURCE_RDSEED));
  ck_assert_uint_eq(seed.reserved, 0);
  OSPolicy_EntropyPool kernel = fresh_pool();
  ck_assert_int_eq(OSPolicy_ImportEntropySeed(&kernel, &seed), OSPOLICY_OK);
  ck_assert(all_bytes(&seed, sizeof seed, 0)); /* the handed-over seed is wiped */
  ck_assert_uint_eq(kernel.credited_bits, 256);
  ck_assert_uint_eq(kernel.contributed_mask, bit(OSHOST_RANDOM_SOURCE_SEED));
  ck_assert(OSPolicy_IsEntropyPoolReady(&kernel));
  ck_assert(!kernel.imported_weak_seed);
  unsigned char a[32], b[32];
  ck_assert_int_eq(OSPolicy_GenerateEntropyPoolBytes(&kernel, a, sizeof a), OSPOLICY_OK);
  ck_assert_int_eq(OSPolicy_GenerateEntropyPoolBytes(&loader, b, sizeof b), OSPOLICY_OK);
  ck_assert(memcmp(a, b, sizeof a) != 0);
  /* The kernel continues with RDRAND on top. */
  fake_hw hw = {.mode = FAKE_HW_GOOD, .state = 28};
  OSPolicy_HwRandomSource rdrand = fake_hw_source(&hw, OSHOST_RANDOM_SOURCE_RDRAND);
  ck_assert_int_eq(OSPolicy_AddHardwareEntropy(&kernel, &rdrand, 64), OSPOLICY_OK);
  ck_assert_uint_eq(kernel.credited_bits, 256 + 16);
}
END_TEST

START_TEST(import_rejects_tampered_or_foreign_seeds) {
  OSPolicy_EntropyPool loader = seeded_pool(29);
  OSPolicy_EntropySeed good;
  ck_assert_int_eq(OSPolicy_ExportEntropySeed(&loader, &good), OSPOLICY_OK);
  OSPolicy_EntropyPool kernel = fresh_pool();
  OSPolicy_EntropySeed s;
  s = good; s.seed[3] ^= 1u;
  ck_assert_int_eq(OSPolicy_ImportEntropySeed(&kernel, &s), OSPOLICY_ERR_ENTROPY_SEED_INVALID);
  ck_assert(all_bytes(&s, sizeof s, 0));
  s = good; s.magic ^= 1u;
  ck_assert_int_eq(OSPolicy_ImportEntropySeed(&kernel, &s), OSPOLICY_ERR_ENTROPY_SEED_INVALID);
  s = good; s.version = 2;
  ck_assert_int_eq(OSPolicy_ImportEntropySeed(&kernel, &s), OSPOLICY_ERR_ENTROPY_SEED_INVALID);
  s = good; s.size = 64;
  ck_assert_int_eq(OSPolicy_ImportEntropySeed(&kernel, &s), OSPOLICY_ERR_ENTROPY_SEED_INVALID);
  s = good; s.flags = 0x2;
  ck_assert_int_eq(OSPolicy_ImportEntropySeed(&kernel, &s), OSPOLICY_ERR_ENTROPY_SEED_INVALID);
  s = good; s.reserved = 1;
  ck_assert_int_eq(OSPolicy_ImportEntropySeed(&kernel, &s), OSPOLICY_ERR_ENTROPY_SEED_INVALID);
  s = good; s.credited_bits = 4096; /* inflating the credit breaks the check too */
  ck_assert_int_eq(OSPolicy_ImportEntropySeed(&kernel, &s), OSPOLICY_ERR_ENTROPY_SEED_INVALID);
  s = good; s.credited_bits = 512;
  ck_assert_int_eq(OSPolicy_ImportEntropySeed(&kernel, &s), OSPOLICY_ERR_ENTROPY_SEED_INVALID);
  s = good; s.check[15] ^= 0x80u;
  ck_assert_int_eq(OSPolicy_ImportEntropySeed(&kernel, &s), OSPOLICY_ERR_ENTROPY_SEED_INVALID);
  ck_assert_uint_eq(kernel.credited_bits, 0);
  ck_assert_uint_eq(kernel.contributed_mask, 0);
  ck_assert_int_eq(kernel.sources[OSHOST_RANDOM_SOURCE_SEED].last_status, OSPOLICY_ERR_ENTROPY_SEED_INVALID);
  s = good;
  ck_assert_int_eq(OSPolicy_ImportEntropySeed(NULL, &s), OSPOLICY_ERR_NULL_ARGUMENT);
  ck_assert(all_bytes(&s, sizeof s, 0));
  ck_assert_int_eq(OSPolicy_ImportEntropySeed(&kernel, NULL), OSPOLICY_ERR_NULL_ARGUMENT);
  s = good;
  ck_assert_int_eq(OSPolicy_ImportEntropySeed(&kernel, &s), OSPOLICY_OK);
}
END_TEST

START_TEST(weak_pool_exports_a_weak_seed) {
  OSPolicy_EntropyPool pool = fresh_pool();
  OSPolicy_EntropySeed seed;
  memset(&seed, 0x5A, sizeof seed);
  ck_assert_int_eq(OSPolicy_ExportEntropySeed(&pool, &seed), OSPOLICY_ERR_NO_ENTROPY_SOURCE);
  ck_assert(all_bytes(&seed, sizeof seed, 0));
  fake_hw hw = {.mode = FAKE_HW_GOOD, .state = 30};
  OSPolicy_HwRandomSource rdrand = fake_hw_source(&hw, OSHOST_RANDOM_SOURCE_RDRAND);
  ck_assert_int_eq(OSPolicy_AddHardwareEntropy(&pool, &rdrand, 256), OSPOLICY_OK);
  ck_assert_uint_eq(pool.credited_bits, 64);
  ck_assert_int_eq(OSPolicy_ExportEntropySeed(&pool, &seed), OSPOLICY_DENIED_ENTROPY_INSUFFICIENT);
  ck_assert_int_eq(OSPolicy_AcceptWeakEntropySeed(&pool), OSPOLICY_OK);
  ck_assert_int_eq(OSPolicy_ExportEntropySeed(&pool, &seed), OSPOLICY_OK);
  ck_assert_uint_eq(seed.flags, OSPOLICY_ENTROPY_SEED_WEAK);
  ck_assert_uint_eq(seed.credited_bits, 64);
  OSPolicy_EntropyPool next = fresh_pool();
  ck_assert_int_eq(OSPolicy_ImportEntropySeed(&next, &seed), OSPOLICY_OK);
  ck_assert(next.imported_weak_seed);
  ck_assert_uint_eq(next.credited_bits, 64);
  ck_assert(!OSPolicy_IsEntropyPoolReady(&next)); /* the next stage must add its own or accept again */
}
END_TEST

START_TEST(adapters_feed_the_planners) {
  OSPolicy_EntropyPool pool = seeded_pool(31);
  OSPolicy_RandomWordSource words = OSPolicy_GetEntropyPoolWordSource(&pool);
  OSPolicy_StackCanary canary;
  ck_assert_int_eq(OSPolicy_MakeStackCanary(&words, &canary), OSPOLICY_OK);
  ck_assert(OSPolicy_IsValidStackCanary(canary.value));
  unsigned char buffer[40];
  size_t written = 0;
  ck_assert_int_eq(OSPolicy_FillFromEntropyPool(&pool, buffer, sizeof buffer, &written), OSPOLICY_OK);
  ck_assert_uint_eq(written, sizeof buffer);
  OSPolicy_EntropyPool empty = fresh_pool();
  ck_assert_int_eq(OSPolicy_FillFromEntropyPool(&empty, buffer, sizeof buffer, &written),
                   OSPOLICY_ERR_NO_ENTROPY_SOURCE);
  ck_assert_uint_eq(written, 0);
  OSPolicy_RandomWordSource empty_words = OSPolicy_GetEntropyPoolWordSource(&empty);
  ck_assert_int_eq(OSPolicy_MakeStackCanary(&empty_words, &canary), OSPOLICY_ERR_RANDOM_SOURCE_FAILED);
  uint64_t w;
  ck_assert_int_eq(OSPolicy_NextEntropyPoolWord(&pool, NULL), OSPOLICY_ERR_NULL_ARGUMENT);
  ck_assert_int_eq(OSPolicy_NextEntropyPoolWord(NULL, &w), OSPOLICY_ERR_NULL_ARGUMENT);
}
END_TEST

START_TEST(argument_rejections) {
  OSPolicy_EntropyPool pool = seeded_pool(32);
  unsigned char out[8];
  ck_assert_int_eq(OSPolicy_GenerateEntropyPoolBytes(&pool, out, 0), OSPOLICY_ERR_EMPTY_RANGE);
  ck_assert_int_eq(OSPolicy_GenerateEntropyPoolBytes(&pool, NULL, 8), OSPOLICY_ERR_NULL_ARGUMENT);
  ck_assert_int_eq(OSPolicy_GenerateEntropyPoolBytes(NULL, out, 8), OSPOLICY_ERR_NULL_ARGUMENT);
  fake_hw hw = {.mode = FAKE_HW_GOOD, .state = 33};
  OSPolicy_HwRandomSource jitter_kind = fake_hw_source(&hw, OSHOST_RANDOM_SOURCE_JITTER);
  ck_assert_int_eq(OSPolicy_AddHardwareEntropy(&pool, &jitter_kind, 8), OSPOLICY_ERR_INVALID_ARGUMENT);
  OSPolicy_HwRandomSource rdrand = fake_hw_source(&hw, OSHOST_RANDOM_SOURCE_RDRAND);
  ck_assert_int_eq(OSPolicy_AddHardwareEntropy(&pool, &rdrand, 0), OSPOLICY_ERR_EMPTY_RANGE);
  ck_assert_int_eq(OSPolicy_AddHardwareEntropy(&pool, NULL, 8), OSPOLICY_ERR_NULL_ARGUMENT);
  ck_assert_int_eq(OSPolicy_AddPlatformEntropy(&pool, 0), OSPOLICY_ERR_EMPTY_RANGE);
  ck_assert_int_eq(OSPolicy_AddPlatformEntropy(NULL, 8), OSPOLICY_ERR_NULL_ARGUMENT);
  ck_assert_int_eq(OSPolicy_AddFirmwareEntropy(&pool, NULL, 8), OSPOLICY_ERR_NULL_ARGUMENT);
  OSPolicy_GuardedRandom unarmed = OSPOLICY_GUARDED_RANDOM_ZERO;
  ck_assert_int_eq(OSPolicy_AddFirmwareEntropy(&pool, &unarmed, 0), OSPOLICY_ERR_EMPTY_RANGE);
  ck_assert_int_eq(OSPolicy_AddFirmwareEntropy(&pool, &unarmed, 8), OSPOLICY_ERR_INVALID_ARGUMENT);
  ck_assert_uint_eq(hw.steps, 0);
  ck_assert_int_eq(OSPolicy_AcceptWeakEntropySeed(NULL), OSPOLICY_ERR_NULL_ARGUMENT);
  OSPolicy_EntropySeed seed;
  ck_assert_int_eq(OSPolicy_ExportEntropySeed(&pool, NULL), OSPOLICY_ERR_NULL_ARGUMENT);
  ck_assert_int_eq(OSPolicy_ExportEntropySeed(NULL, &seed), OSPOLICY_ERR_NULL_ARGUMENT);
}
END_TEST

START_TEST(zero_filled_pool_and_results_are_not_success) {
  OSPolicy_EntropyPool zero;
  memset(&zero, 0, sizeof zero);
  ck_assert(!OSPolicy_IsEntropyPoolReady(&zero));
  unsigned char out[8];
  ck_assert_int_eq(OSPolicy_GenerateEntropyPoolBytes(&zero, out, sizeof out), OSPOLICY_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(OSPolicy_AddPlatformEntropy(&zero, 8), OSPOLICY_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(OSPolicy_AcceptWeakEntropySeed(&zero), OSPOLICY_ERR_INVALID_ARGUMENT);
  OSPolicy_EntropySeed seed;
  memset(&seed, 0, sizeof seed);
  OSPolicy_EntropyPool pool = fresh_pool();
  ck_assert_int_eq(OSPolicy_ImportEntropySeed(&pool, &seed), OSPOLICY_ERR_ENTROPY_SEED_INVALID);
  ck_assert_int_eq(OSPolicy_ImportEntropySeed(&zero, &seed), OSPOLICY_ERR_INVALID_ARGUMENT);
  OSPolicy_EntropyCollectResult result;
  memset(&result, 0, sizeof result);
  ck_assert_int_ne(result.status, OSPOLICY_OK);
  OSPolicy_EntropySources none = {0};
  ck_assert_int_eq(OSPolicy_CollectEntropy(&zero, &none, &result), OSPOLICY_ERR_INVALID_ARGUMENT);
}
END_TEST

START_TEST(destroy_wipes_everything) {
  OSPolicy_EntropyPool pool = seeded_pool(34);
  unsigned char out[8];
  ck_assert_int_eq(OSPolicy_GenerateEntropyPoolBytes(&pool, out, sizeof out), OSPOLICY_OK);
  OSPolicy_DestroyEntropyPool(&pool);
  ck_assert(all_bytes(&pool, sizeof pool, 0));
  ck_assert_int_eq(OSPolicy_GenerateEntropyPoolBytes(&pool, out, sizeof out), OSPOLICY_ERR_INVALID_ARGUMENT);
  OSPolicy_DestroyEntropyPool(NULL);
}
END_TEST

Suite *entropy_pool_suite(void);
Suite *entropy_pool_suite(void) {
  Suite *suite = suite_create("entropy_pool");
  TCase *sources = tcase_create("sources");
  tcase_add_checked_fixture(sources, setup, NULL);
  tcase_add_test(sources, init_rejections);
  tcase_add_test(sources, empty_pool_refuses_output);
  tcase_add_test(sources, all_ones_source_rejected_and_disabled);
  tcase_add_test(sources, never_ready_source_rejected);
  tcase_add_test(sources, zero_with_success_source_rejected);
  tcase_add_test(sources, constant_source_fails_health_check);
  tcase_add_test(sources, source_failing_after_health_earns_nothing);
  tcase_add_test(sources, rdseed_full_credit_capped);
  tcase_add_test(sources, rdrand_credited_conservatively);
  tcase_add_test(sources, jitter_is_mixed_but_never_credited);
  tcase_add_test(sources, firmware_source_through_guarded_random);
  tcase_add_test(sources, platform_source_credit_follows_reported_source);
  tcase_add_test(sources, collect_uses_every_source_and_reports_each);
  tcase_add_test(sources, collect_with_broken_or_weak_sources);
  suite_add_tcase(suite, sources);
  TCase *weak = tcase_create("weak");
  tcase_add_checked_fixture(weak, setup, NULL);
  tcase_add_test(weak, weak_seed_acceptance_is_logged_and_recorded);
  tcase_add_test(weak, weak_seed_not_accepted_silently);
  tcase_add_test(weak, weak_acceptance_is_a_noop_when_seeded);
  suite_add_tcase(suite, weak);
  TCase *output = tcase_create("output");
  tcase_add_checked_fixture(output, setup, NULL);
  tcase_add_test(output, output_is_chacha20_with_fast_key_erasure);
  tcase_add_test(output, input_after_output_rekeys);
  tcase_add_test(output, deterministic_for_the_same_inputs);
  tcase_add_test(output, seed_export_import_continues_the_pool);
  tcase_add_test(output, import_rejects_tampered_or_foreign_seeds);
  tcase_add_test(output, weak_pool_exports_a_weak_seed);
  tcase_add_test(output, adapters_feed_the_planners);
  tcase_add_test(output, argument_rejections);
  tcase_add_test(output, zero_filled_pool_and_results_are_not_success);
  tcase_add_test(output, destroy_wipes_everything);
  suite_add_tcase(suite, output);
  return suite;
}
