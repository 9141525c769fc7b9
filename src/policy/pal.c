/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
#include "ospolicy/pal.h"

#include <stdint.h>

_Static_assert(OSHOST_PROT_READ == OSPOLICY_PROT_READ && OSHOST_PROT_WRITE == OSPOLICY_PROT_WRITE &&
                   OSHOST_PROT_EXEC == OSPOLICY_PROT_EXEC,
               "the PAL's protection bits are the core's");

OSPolicy_Status OSPolicy_MapHostStatus(OSHost_Status status) {
  switch (status) {
    case OSHOST_OK:
      return OSPOLICY_OK;
    case OSHOST_ERR_NO_MEMORY:
      return OSPOLICY_ERR_NO_MEMORY;
    case OSHOST_ERR_UNSUPPORTED:
      return OSPOLICY_ERR_UNSUPPORTED;
    case OSHOST_ERR_INVALID_ARGUMENT:
      return OSPOLICY_ERR_PAL_INVALID_ARGUMENT;
    case OSHOST_ERR_DENIED:
      return OSPOLICY_DENIED_BY_PLATFORM;
    case OSHOST_ERR_DEVICE:
      return OSPOLICY_ERR_PAL_FAILED;
    case OSHOST_ERR_SHORT:
      return OSPOLICY_ERR_RANDOM_SHORT_READ;
    case OSHOST_ERR_FIRMWARE_GONE:
      return OSPOLICY_ERR_FIRMWARE_GONE;
    case OSHOST_STATUS_UNSET:
    default:
      return OSPOLICY_ERR_PAL_CONTRACT;
  }
}

const char *OSPolicy_HostStatusName(OSHost_Status status) {
  switch (status) {
    case OSHOST_STATUS_UNSET:
      return "status-unset";
    case OSHOST_OK:
      return "ok";
    case OSHOST_ERR_INVALID_ARGUMENT:
      return "invalid-argument";
    case OSHOST_ERR_NO_MEMORY:
      return "no-memory";
    case OSHOST_ERR_DENIED:
      return "denied";
    case OSHOST_ERR_UNSUPPORTED:
      return "unsupported";
    case OSHOST_ERR_DEVICE:
      return "device";
    case OSHOST_ERR_SHORT:
      return "short";
    case OSHOST_ERR_FIRMWARE_GONE:
      return "firmware-gone";
    default:
      return "unknown-status";
  }
}

OSPolicy_Status OSPolicy_PalGetPageSize(size_t *page_size) {
  if (page_size == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  size_t value = 0;
  OSPolicy_Status status = OSPolicy_MapHostStatus(OSHost_GetPageSize(&value));
  if (status != OSPOLICY_OK) {
    return status;
  }
  if (!OSPolicy_IsValidPageSize(value)) {
    return OSPOLICY_ERR_PAL_CONTRACT;
  }
  *page_size = value;
  return OSPOLICY_OK;
}

OSPolicy_Status OSPolicy_PalAllocatePages(size_t page_count, void **base) {
  if (base == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  if (page_count == 0u) {
    return OSPOLICY_ERR_EMPTY_RANGE;
  }
  size_t page_size = 0;
  OSPolicy_Status status = OSPolicy_PalGetPageSize(&page_size);
  if (status != OSPOLICY_OK) {
    return status;
  }
  size_t bytes;
  if (__builtin_mul_overflow(page_count, page_size, &bytes)) {
    return OSPOLICY_ERR_OVERFLOW;
  }
  void *pages = NULL;
  status = OSPolicy_MapHostStatus(OSHost_AllocatePages(page_count, &pages));
  if (status != OSPOLICY_OK) {
    return status;
  }
  if (pages == NULL || ((uintptr_t)pages & (page_size - 1u)) != 0u) {
    if (pages != NULL) {
      /* Best effort: the backend already broke its contract once. */
      OSHost_Status released = OSHost_FreePages(pages, page_count);
      (void)released;
    }
    return OSPOLICY_ERR_PAL_CONTRACT;
  }
  *base = pages;
  return OSPOLICY_OK;
}

OSPolicy_Status OSPolicy_PalFreePages(void *base, size_t page_count) {
  if (base == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  if (page_count == 0u) {
    return OSPOLICY_ERR_EMPTY_RANGE;
  }
  return OSPolicy_MapHostStatus(OSHost_FreePages(base, page_count));
}

OSPolicy_Status OSPolicy_PalProtectPages(const OSPolicy_PageProtectionPlan *plan) {
  OSPolicy_Status status = OSPolicy_CheckPageProtectionPlan(plan);
  if (status != OSPOLICY_OK) {
    return status;
  }
  return OSPolicy_MapHostStatus(OSHost_ProtectPages((void *)plan->base, plan->size, plan->from, plan->to));
}

OSPolicy_Status OSPolicy_PalFlushInstructionCache(const void *base, size_t size) {
  if (base == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  if (size == 0u) {
    return OSPOLICY_ERR_EMPTY_RANGE;
  }
  return OSPolicy_MapHostStatus(OSHost_FlushInstructionCache(base, size));
}

OSPolicy_Status OSPolicy_PalFillRandom(void *buffer, size_t length, OSHost_RandomSource *source) {
  if (source != NULL) {
    *source = OSHOST_RANDOM_SOURCE_UNSET;
  }
  if (buffer == NULL || source == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  if (length == 0u) {
    return OSPOLICY_ERR_EMPTY_RANGE;
  }
  OSHost_RandomSource reported = OSHOST_RANDOM_SOURCE_UNSET;
  OSPolicy_Status status = OSPolicy_MapHostStatus(OSHost_FillRandom(buffer, length, &reported));
  if (status != OSPOLICY_OK) {
    return status;
  }
  if (!OSHost_IsFillSource(reported)) {
    return OSPOLICY_ERR_PAL_CONTRACT;
  }
  *source = reported;
  return OSPOLICY_OK;
}

OSPolicy_Status OSPolicy_PalLog(OSHost_LogLevel level, const char *message) {
  if (message == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  if (OSHost_LogLevelName(level) == NULL) {
    return OSPOLICY_ERR_INVALID_ARGUMENT;
  }
  return OSPolicy_MapHostStatus(OSHost_Log(level, message));
}

OSPolicy_Status OSPolicy_PalGetBootPhase(OSHost_BootPhase *phase) {
  if (phase == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  *phase = OSHOST_BOOT_PHASE_UNSET;
  OSHost_BootPhase reported = OSHost_GetBootPhase();
  if (reported != OSHOST_BOOT_PHASE_FIRMWARE && reported != OSHOST_BOOT_PHASE_RUNTIME) {
    return OSPOLICY_ERR_PAL_CONTRACT;
  }
  *phase = reported;
  return OSPOLICY_OK;
}
