/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * Deterministic random sources for the entropy, KASLR, ASLR and canary unit
 * tests: a splitmix64 word stream, a scripted word stream, and a scripted
 * hardware step function (ready flag + value per step).
 */
#ifndef OSPOLICY_TESTS_FAKE_RANDOM_H
#define OSPOLICY_TESTS_FAKE_RANDOM_H

#include <stddef.h>
#include <stdint.h>

#include "ospolicy/hw_random.h"
#include "ospolicy/random_source.h"

/* splitmix64 (Steele, Lea, Flood 2014): a good, fast, seedable stream. */
static inline uint64_t splitmix64_next(uint64_t *state) {
  uint64_t z = (*state += 0x9E3779B97F4A7C15u);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
  return z ^ (z >> 31);
}

static inline OSPolicy_Status splitmix_word(void *context, uint64_t *word) {
  *word = splitmix64_next(context);
  return OSPOLICY_OK;
}

static inline OSPolicy_RandomWordSource splitmix_source(uint64_t *state) {
  return (OSPolicy_RandomWordSource){.next = splitmix_word, .context = state};
}

/* Hands out words[0..count) in order, then repeats the last one; or, once
 * `fail_at` calls have been made (if non-zero), answers `failure`. */
typedef struct scripted_words {
  const uint64_t *words;
  size_t count;
  size_t calls;
  size_t fail_at;          /* 1-based call number that fails; 0 = never */
  OSPolicy_Status failure; /* what a failing call returns */
} scripted_words;

static inline OSPolicy_Status scripted_word(void *context, uint64_t *word) {
  scripted_words *s = context;
  s->calls++;
  if (s->fail_at != 0u && s->calls >= s->fail_at) {
    return s->failure;
  }
  size_t i = s->calls - 1u < s->count ? s->calls - 1u : s->count - 1u;
  *word = s->words[i];
  return OSPOLICY_OK;
}

static inline OSPolicy_RandomWordSource scripted_source(scripted_words *s) {
  return (OSPolicy_RandomWordSource){.next = scripted_word, .context = s};
}

/* A scripted hardware step. Modes: */
typedef enum fake_hw_mode {
  FAKE_HW_GOOD = 1,        /* ready, splitmix64 values */
  FAKE_HW_CONSTANT = 2,    /* ready, always `value` */
  FAKE_HW_NEVER_READY = 3, /* not ready (value garbage) */
  FAKE_HW_ALL_ONES = 4,    /* ready, ~0 */
  FAKE_HW_ZERO_OK = 5,     /* ready, 0 */
  FAKE_HW_LATE = 6,        /* not ready `not_ready_first` times, then good */
  FAKE_HW_CYCLE = 7        /* ready, values[i % count] */
} fake_hw_mode;

typedef struct fake_hw {
  fake_hw_mode mode;
  uint64_t value;
  uint64_t state; /* splitmix state */
  unsigned not_ready_first;
  const uint64_t *values;
  size_t count;
  unsigned steps;
} fake_hw;

static inline OSPolicy_HwRandomSample fake_hw_step(void *context) {
  fake_hw *hw = context;
  unsigned step = hw->steps++;
  switch (hw->mode) {
    case FAKE_HW_GOOD:
      return (OSPolicy_HwRandomSample){.ready = true, .value = splitmix64_next(&hw->state)};
    case FAKE_HW_CONSTANT:
      return (OSPolicy_HwRandomSample){.ready = true, .value = hw->value};
    case FAKE_HW_NEVER_READY:
      return (OSPolicy_HwRandomSample){.ready = false, .value = 0x1234};
    case FAKE_HW_ALL_ONES:
      return (OSPolicy_HwRandomSample){.ready = true, .value = UINT64_MAX};
    case FAKE_HW_ZERO_OK:
      return (OSPolicy_HwRandomSample){.ready = true, .value = 0};
    case FAKE_HW_LATE:
      if (step < hw->not_ready_first) {
        return (OSPolicy_HwRandomSample){.ready = false, .value = 0};
      }
      return (OSPolicy_HwRandomSample){.ready = true, .value = splitmix64_next(&hw->state)};
    case FAKE_HW_CYCLE:
      return (OSPolicy_HwRandomSample){.ready = true, .value = hw->values[step % hw->count]};
    default:
      return (OSPolicy_HwRandomSample){.ready = false, .value = 0};
  }
}

static inline OSPolicy_HwRandomSource fake_hw_source(fake_hw *hw, OSHost_RandomSource kind) {
  return (OSPolicy_HwRandomSource){.step = fake_hw_step, .context = hw, .kind = kind};
}

#endif /* OSPOLICY_TESTS_FAKE_RANDOM_H */
