/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
#include "ospolicy/hw_random.h"

#include <stddef.h>

uint32_t OSPolicy_GetHwRandomRetryLimit(OSHost_RandomSource kind) {
  switch (kind) {
    case OSHOST_RANDOM_SOURCE_RDRAND:
      return OSPOLICY_RDRAND_RETRIES;
    case OSHOST_RANDOM_SOURCE_RDSEED:
      return OSPOLICY_RDSEED_RETRIES;
    case OSHOST_RANDOM_SOURCE_JITTER:
      return 1u;
    default:
      return 0u;
  }
}

static OSPolicy_Status draw_done(OSPolicy_HwRandomDraw *draw, OSPolicy_Status status, uint64_t value,
                                 uint32_t attempts) {
  *draw = (OSPolicy_HwRandomDraw){.status = status, .value = value, .attempts = attempts};
  return status;
}

OSPolicy_Status OSPolicy_DrawHwRandom(const OSPolicy_HwRandomSource *source,
                                      OSPolicy_HwRandomDraw *draw) {
  if (draw == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  if (source == NULL || source->step == NULL) {
    return draw_done(draw, OSPOLICY_ERR_NULL_ARGUMENT, 0, 0);
  }
  if (source->kind != OSHOST_RANDOM_SOURCE_RDRAND &&
      source->kind != OSHOST_RANDOM_SOURCE_RDSEED) {
    return draw_done(draw, OSPOLICY_ERR_INVALID_ARGUMENT, 0, 0);
  }
  uint32_t limit = OSPolicy_GetHwRandomRetryLimit(source->kind);
  for (uint32_t attempt = 1; attempt <= limit; attempt++) {
    OSPolicy_HwRandomSample sample = source->step(source->context);
    /* All ones is rejected whatever the carry flag said: it is the AMD
     * failure mode, never a value to retry past. */
    if (sample.value == UINT64_MAX) {
      return draw_done(draw, OSPOLICY_ERR_HWRNG_ALL_ONES, 0, attempt);
    }
    if (!sample.ready) {
      continue;
    }
    if (sample.value == 0u) {
      return draw_done(draw, OSPOLICY_ERR_HWRNG_ZERO, 0, attempt);
    }
    return draw_done(draw, OSPOLICY_OK, sample.value, attempt);
  }
  return draw_done(draw, OSPOLICY_ERR_HWRNG_NOT_READY, 0, limit);
}

OSPolicy_Status OSPolicy_CheckHwRandomHealth(const OSPolicy_HwRandomSource *source,
                                             OSPolicy_HwRandomHealth *health) {
  if (health == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  uint64_t previous = 0;
  uint32_t samples = 0;
  uint32_t changes = 0;
  for (uint32_t i = 0; i < OSPOLICY_HWRNG_HEALTH_SAMPLES; i++) {
    OSPolicy_HwRandomDraw draw;
    OSPolicy_Status status = OSPolicy_DrawHwRandom(source, &draw);
    if (status != OSPOLICY_OK) {
      *health = (OSPolicy_HwRandomHealth){.status = status, .samples = samples, .changes = changes};
      return status;
    }
    if (i > 0u && draw.value != previous) {
      changes++;
    }
    previous = draw.value;
    samples++;
  }
  OSPolicy_Status verdict =
      changes >= OSPOLICY_HWRNG_HEALTH_MIN_CHANGES ? OSPOLICY_OK : OSPOLICY_ERR_HWRNG_HEALTH;
  *health = (OSPolicy_HwRandomHealth){.status = verdict, .samples = samples, .changes = changes};
  return verdict;
}
