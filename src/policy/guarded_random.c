/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
#include "ospolicy/guarded_random.h"

#include "mem.h"
#include "ospolicy/pal.h"

/* The one path that ends the firmware phase: the phase and the source go
 * together, so no state can be EXITED and still hold a callable source. */
static void latch_exited(OSPolicy_GuardedRandom *state) {
  state->phase = OSPOLICY_FIRMWARE_PHASE_EXITED;
  state->source.fill = NULL;
  state->source.context = NULL;
  state->source.id = OSHOST_RANDOM_SOURCE_UNSET;
}

/* OK while the PAL says firmware services exist; latches EXITED otherwise. */
static OSPolicy_Status check_firmware_present(OSPolicy_GuardedRandom *state) {
  OSHost_BootPhase phase = OSHOST_BOOT_PHASE_UNSET;
  OSPolicy_Status status = OSPolicy_PalGetBootPhase(&phase);
  if (status != OSPOLICY_OK) {
    return status;
  }
  if (phase != OSHOST_BOOT_PHASE_FIRMWARE) {
    latch_exited(state);
    return OSPOLICY_ERR_FIRMWARE_GONE;
  }
  return OSPOLICY_OK;
}

OSPolicy_Status OSPolicy_InitGuardedRandom(OSPolicy_GuardedRandom *state,
                                           const OSPolicy_RandomSource *source) {
  if (state == NULL || source == NULL || source->fill == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  if (state->phase == OSPOLICY_FIRMWARE_PHASE_EXITED) {
    return OSPOLICY_DENIED_AFTER_EXIT_BOOT_SERVICES;
  }
  if (state->phase != OSPOLICY_FIRMWARE_PHASE_UNSET &&
      state->phase != OSPOLICY_FIRMWARE_PHASE_BOOT_SERVICES) {
    return OSPOLICY_ERR_INVALID_ARGUMENT;
  }
  if (!OSHost_IsFillSource(source->id)) {
    return OSPOLICY_ERR_INVALID_ARGUMENT;
  }
  OSPolicy_Status status = check_firmware_present(state);
  if (status != OSPOLICY_OK) {
    return status;
  }
  state->phase = OSPOLICY_FIRMWARE_PHASE_BOOT_SERVICES;
  state->source = *source;
  state->fills = 0;
  state->bytes = 0;
  return OSPOLICY_OK;
}

static OSPolicy_Status finish(OSPolicy_GuardedRandomResult *result, OSPolicy_Status status,
                              size_t written, OSHost_RandomSource source) {
  *result = (OSPolicy_GuardedRandomResult){
      .status = status, .bytes_written = written, .source = source};
  return status;
}

OSPolicy_Status OSPolicy_FillGuardedRandom(OSPolicy_GuardedRandom *state, void *buffer,
                                           size_t length, OSPolicy_GuardedRandomResult *result) {
  if (result == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  if (state == NULL || buffer == NULL) {
    return finish(result, OSPOLICY_ERR_NULL_ARGUMENT, 0, OSHOST_RANDOM_SOURCE_UNSET);
  }
  if (length == 0u) {
    return finish(result, OSPOLICY_ERR_EMPTY_RANGE, 0, OSHOST_RANDOM_SOURCE_UNSET);
  }
  if (state->phase == OSPOLICY_FIRMWARE_PHASE_EXITED) {
    return finish(result, OSPOLICY_DENIED_AFTER_EXIT_BOOT_SERVICES, 0, OSHOST_RANDOM_SOURCE_UNSET);
  }
  if (state->phase != OSPOLICY_FIRMWARE_PHASE_BOOT_SERVICES || state->source.fill == NULL) {
    return finish(result, OSPOLICY_ERR_INVALID_ARGUMENT, 0, OSHOST_RANDOM_SOURCE_UNSET);
  }
  OSPolicy_Status status = check_firmware_present(state);
  if (status != OSPOLICY_OK) {
    return finish(result, status, 0, OSHOST_RANDOM_SOURCE_UNSET);
  }
  size_t written = 0;
  OSPolicy_Status answer = state->source.fill(state->source.context, buffer, length, &written);
  if (answer == OSPOLICY_OK && written == length) {
    state->fills++;
    state->bytes += length;
    return finish(result, OSPOLICY_OK, length, state->source.id);
  }
  /* Whatever the source left behind is not to be used. */
  memset(buffer, 0, length);
  if (answer == OSPOLICY_STATUS_UNSET || (answer == OSPOLICY_OK && written > length)) {
    return finish(result, OSPOLICY_ERR_RANDOM_SOURCE_CONTRACT, 0, OSHOST_RANDOM_SOURCE_UNSET);
  }
  if (answer != OSPOLICY_OK) {
    return finish(result, OSPOLICY_ERR_RANDOM_SOURCE_FAILED, 0, OSHOST_RANDOM_SOURCE_UNSET);
  }
  return finish(result, OSPOLICY_ERR_RANDOM_SHORT_READ, written, OSHOST_RANDOM_SOURCE_UNSET);
}

OSPolicy_Status OSPolicy_MarkExitBootServices(OSPolicy_GuardedRandom *state) {
  if (state == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  latch_exited(state);
  return OSPOLICY_OK;
}

bool OSPolicy_IsGuardedRandomAvailable(const OSPolicy_GuardedRandom *state) {
  return state != NULL && state->phase == OSPOLICY_FIRMWARE_PHASE_BOOT_SERVICES &&
         state->source.fill != NULL;
}

const char *OSPolicy_FirmwarePhaseName(OSPolicy_FirmwarePhase phase) {
  switch (phase) {
    case OSPOLICY_FIRMWARE_PHASE_BOOT_SERVICES:
      return "boot-services";
    case OSPOLICY_FIRMWARE_PHASE_EXITED:
      return "exited";
    case OSPOLICY_FIRMWARE_PHASE_UNSET:
    default:
      return "unset";
  }
}
