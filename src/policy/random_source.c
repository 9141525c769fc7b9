/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
#include "ospolicy/random_source.h"

OSPolicy_Status OSPolicy_NextRandomWord(const OSPolicy_RandomWordSource *source, uint64_t *word) {
  if (source == NULL || source->next == NULL || word == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  uint64_t value = 0;
  OSPolicy_Status status = source->next(source->context, &value);
  if (status == OSPOLICY_STATUS_UNSET) {
    return OSPOLICY_ERR_RANDOM_SOURCE_CONTRACT;
  }
  if (status != OSPOLICY_OK) {
    return OSPOLICY_ERR_RANDOM_SOURCE_FAILED;
  }
  *word = value;
  return OSPOLICY_OK;
}

OSPolicy_Status OSPolicy_UniformRandom(const OSPolicy_RandomWordSource *source, uint64_t bound,
                                       uint64_t *value, uint32_t *draws) {
  if (draws != NULL) {
    *draws = 0;
  }
  if (source == NULL || value == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  if (bound == 0u) {
    return OSPOLICY_ERR_INVALID_ARGUMENT;
  }
  /* excess = 2^64 mod bound; accepted words are w <= UINT64_MAX - excess,
   * exactly (2^64 - excess) of them: a multiple of bound. */
  uint64_t excess = (UINT64_MAX % bound + 1u) % bound;
  uint64_t limit = UINT64_MAX - excess;
  for (uint32_t i = 1; i <= OSPOLICY_RANDOM_MAX_DRAWS; i++) {
    uint64_t word = 0;
    OSPolicy_Status status = OSPolicy_NextRandomWord(source, &word);
    if (draws != NULL) {
      *draws = i;
    }
    if (status != OSPOLICY_OK) {
      return status;
    }
    if (word <= limit) {
      *value = word % bound;
      return OSPOLICY_OK;
    }
  }
  return OSPOLICY_ERR_RANDOM_EXHAUSTED;
}

const char *OSPolicy_RandomSourceName(OSHost_RandomSource kind) {
  switch (kind) {
    case OSHOST_RANDOM_SOURCE_FIRMWARE_RNG:
      return "firmware-rng";
    case OSHOST_RANDOM_SOURCE_RDSEED:
      return "rdseed";
    case OSHOST_RANDOM_SOURCE_RDRAND:
      return "rdrand";
    case OSHOST_RANDOM_SOURCE_JITTER:
      return "jitter";
    case OSHOST_RANDOM_SOURCE_PLATFORM:
      return "platform";
    case OSHOST_RANDOM_SOURCE_SEED:
      return "seed";
    case OSHOST_RANDOM_SOURCE_OS:
      return "os";
    case OSHOST_RANDOM_SOURCE_POOL:
      return "pool";
    case OSHOST_RANDOM_SOURCE_UNSET:
    default:
      return "unset";
  }
}
