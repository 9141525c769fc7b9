/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/* Negative fixture for pal.backends_call_no_core: a backend-like object that
 * calls back into the core, which the PAL contract forbids. Never linked
 * into anything. */
#include "ospolicy/status.h"

const char *backend_calls_core(OSPolicy_Status status);
const char *backend_calls_core(OSPolicy_Status status) {
  return OSPolicy_StatusName(status);
}
