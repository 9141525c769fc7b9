/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
#include "fake_oshost.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

fake_oshost fake_host;

void fake_oshost_reset(void) {
  memset(&fake_host, 0, sizeof fake_host);
  fake_host.page_size_status = OSHOST_OK;
  fake_host.page_size = 4096;
  fake_host.allocate_status = OSHOST_OK;
  fake_host.free_status = OSHOST_OK;
  fake_host.protect_status = OSHOST_OK;
  fake_host.flush_status = OSHOST_OK;
  fake_host.random_status = OSHOST_OK;
  fake_host.random_source = OSHOST_RANDOM_SOURCE_OS;
  fake_host.random_byte = 0xA5;
  fake_host.log_status = OSHOST_OK;
  fake_host.boot_phase = OSHOST_BOOT_PHASE_RUNTIME;
}

OSHost_Status OSHost_GetPageSize(size_t *page_size) {
  if (fake_host.page_size_status == OSHOST_OK) {
    *page_size = fake_host.page_size;
  }
  return fake_host.page_size_status;
}

OSHost_Status OSHost_AllocatePages(size_t page_count, void **base) {
  fake_host.allocate_calls++;
  if (fake_host.allocate_status != OSHOST_OK) {
    return fake_host.allocate_status;
  }
  if (fake_host.allocate_null) {
    *base = NULL;
    return OSHOST_OK;
  }
  size_t page = fake_host.page_size;
  unsigned char *memory = aligned_alloc(page, page_count * page + page);
  if (memory == NULL) {
    return OSHOST_ERR_NO_MEMORY;
  }
  memset(memory, 0, page_count * page + page);
  *base = fake_host.allocate_misaligned ? memory + 1 : memory;
  return OSHOST_OK;
}

OSHost_Status OSHost_FreePages(void *base, size_t page_count) {
  (void)page_count;
  fake_host.free_calls++;
  uintptr_t address = (uintptr_t)base;
  free((void *)(address & ~(uintptr_t)(fake_host.page_size - 1u)));
  return fake_host.free_status;
}

OSHost_Status OSHost_ProtectPages(void *base, size_t size, uint32_t from, uint32_t to) {
  fake_host.protect_calls++;
  fake_host.last_protect_base = base;
  fake_host.last_protect_size = size;
  fake_host.last_protect_from = from;
  fake_host.last_protect_to = to;
  return fake_host.protect_status;
}

OSHost_Status OSHost_FlushInstructionCache(const void *base, size_t size) {
  (void)base;
  (void)size;
  fake_host.flush_calls++;
  return fake_host.flush_status;
}

OSHost_Status OSHost_FillRandom(void *buffer, size_t length, OSHost_RandomSource *source) {
  fake_host.random_calls++;
  if (fake_host.random_status == OSHOST_OK) {
    memset(buffer, fake_host.random_byte, length);
  }
  *source = fake_host.random_source;
  return fake_host.random_status;
}

OSHost_Status OSHost_Log(OSHost_LogLevel level, const char *message) {
  fake_host.log_calls++;
  fake_host.last_log_level = level;
  snprintf(fake_host.last_log_message, sizeof fake_host.last_log_message, "%s", message);
  return fake_host.log_status;
}

void OSHost_Panic(const char *message) {
  (void)message;
  abort();
}

OSHost_BootPhase OSHost_GetBootPhase(void) {
  return fake_host.boot_phase;
}
