/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * A scripted OSHost backend for unit tests: each function returns what the
 * test told it to and counts its calls, so the checked wrappers in pal.c can
 * be driven into every contract breach. Pages come from malloc, not mmap: no
 * protection change is real here (live tests use the real backend).
 */
#ifndef OSPOLICY_TESTS_FAKE_OSHOST_H
#define OSPOLICY_TESTS_FAKE_OSHOST_H

#include <stddef.h>

#include "oshost/oshost.h"

typedef struct fake_oshost {
  /* Scripted answers; fake_oshost_reset() sets every status to OSHOST_OK. */
  OSHost_Status page_size_status;
  size_t page_size;
  OSHost_Status allocate_status;
  int allocate_misaligned; /* hand out base + 1 */
  int allocate_null;       /* report OK with a NULL base */
  OSHost_Status free_status;
  OSHost_Status protect_status;
  OSHost_Status flush_status;
  OSHost_Status random_status;
  OSHost_RandomSource random_source;
  unsigned char random_byte; /* value the fake fills with */
  OSHost_Status log_status;
  OSHost_BootPhase boot_phase;
  /* Call counters. */
  unsigned allocate_calls, free_calls, protect_calls, flush_calls, random_calls, log_calls;
  /* What the last OSHost_ProtectPages call was handed. */
  void *last_protect_base;
  size_t last_protect_size;
  uint32_t last_protect_from, last_protect_to;
  /* The last line logged, with its level (entropy-pool weak-seed warnings). */
  OSHost_LogLevel last_log_level;
  char last_log_message[256];
} fake_oshost;

extern fake_oshost fake_host;

void fake_oshost_reset(void);

#endif
