/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * OSHost PAL for Linux user space: mmap/mprotect for pages, getrandom(2) for
 * randomness, stderr for logging. Hosted code: libc is available here.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <unistd.h>

#include "oshost/oshost.h"

static size_t system_page_size(void) {
  long value = sysconf(_SC_PAGESIZE);
  return value > 0 ? (size_t)value : 0u;
}

OSHost_Status OSHost_GetPageSize(size_t *page_size) {
  if (page_size == NULL) {
    return OSHOST_ERR_INVALID_ARGUMENT;
  }
  size_t value = system_page_size();
  if (value == 0u) {
    return OSHOST_ERR_DEVICE;
  }
  *page_size = value;
  return OSHOST_OK;
}

static OSHost_Status range_bytes(size_t page_count, size_t *bytes) {
  size_t page_size = system_page_size();
  if (page_count == 0u || page_size == 0u ||
      __builtin_mul_overflow(page_count, page_size, bytes)) {
    return OSHOST_ERR_INVALID_ARGUMENT;
  }
  return OSHOST_OK;
}

OSHost_Status OSHost_AllocatePages(size_t page_count, void **base) {
  size_t bytes = 0;
  if (base == NULL || range_bytes(page_count, &bytes) != OSHOST_OK) {
    return OSHOST_ERR_INVALID_ARGUMENT;
  }
  /* Anonymous private pages are zero-filled; PROT_EXEC is never requested here. */
  void *pages = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (pages == MAP_FAILED) {
    return errno == ENOMEM ? OSHOST_ERR_NO_MEMORY : OSHOST_ERR_DEVICE;
  }
  *base = pages;
  return OSHOST_OK;
}

OSHost_Status OSHost_FreePages(void *base, size_t page_count) {
  size_t bytes = 0;
  if (base == NULL || range_bytes(page_count, &bytes) != OSHOST_OK ||
      ((uintptr_t)base & (system_page_size() - 1u)) != 0u) {
    return OSHOST_ERR_INVALID_ARGUMENT;
  }
  return munmap(base, bytes) == 0 ? OSHOST_OK : OSHOST_ERR_DEVICE;
}

static int to_linux_prot(uint32_t prot) {
  int result = 0;
  if ((prot & OSHOST_PROT_READ) != 0u) {
    result |= PROT_READ;
  }
  if ((prot & OSHOST_PROT_WRITE) != 0u) {
    result |= PROT_WRITE;
  }
  if ((prot & OSHOST_PROT_EXEC) != 0u) {
    result |= PROT_EXEC;
  }
  return result;
}

OSHost_Status OSHost_ProtectPages(void *base, size_t size, uint32_t from, uint32_t to) {
  const uint32_t known = OSHOST_PROT_READ | OSHOST_PROT_WRITE | OSHOST_PROT_EXEC;
  /* The one rule no caller may bypass: never writable and executable. */
  if ((to & OSHOST_PROT_WRITE) != 0u && (to & OSHOST_PROT_EXEC) != 0u) {
    return OSHOST_ERR_DENIED;
  }
  size_t page_size = system_page_size();
  uintptr_t end;
  if (base == NULL || size == 0u || (from & ~known) != 0u || (to & ~known) != 0u || page_size == 0u ||
      ((uintptr_t)base | size) % page_size != 0u || __builtin_add_overflow((uintptr_t)base, size, &end)) {
    return OSHOST_ERR_INVALID_ARGUMENT;
  }
  /* mprotect walks the mappings of a range and stops at a hole with ENOMEM,
   * after it changed the mappings before the hole. One page cannot be split
   * that way (it is mapped or not, and mprotect then changes it or nothing),
   * so only a range of several pages is checked for holes first. */
  unsigned char residency[64];
  for (size_t done = 0; size > page_size && done < size;) {
    size_t chunk = size - done;
    if (chunk > sizeof residency * page_size) {
      chunk = sizeof residency * page_size;
    }
    if (mincore((char *)base + done, chunk, residency) != 0) {
      return OSHOST_ERR_INVALID_ARGUMENT;
    }
    done += chunk;
  }
  /* One mprotect call: each page goes straight from the old protection to the
   * new one, so no page is ever writable and executable at once. */
  if (mprotect(base, size, to_linux_prot(to)) != 0) {
    if (errno == ENOMEM) {
      return OSHOST_ERR_INVALID_ARGUMENT; /* a single page that is not mapped */
    }
    return OSHOST_ERR_DEVICE;
  }
  return OSHOST_OK;
}

OSHost_Status OSHost_FlushInstructionCache(const void *base, size_t size) {
  uintptr_t end;
  if (base == NULL || size == 0u || __builtin_add_overflow((uintptr_t)base, size, &end)) {
    return OSHOST_ERR_INVALID_ARGUMENT;
  }
  /* A no-op on x86-64 (coherent caches); real work on other architectures. */
  __builtin___clear_cache((char *)base, (char *)end);
  return OSHOST_OK;
}

OSHost_Status OSHost_FillRandom(void *buffer, size_t length, OSHost_RandomSource *source) {
  if (source != NULL) {
    *source = OSHOST_RANDOM_SOURCE_UNSET;
  }
  if (buffer == NULL || source == NULL || length == 0u) {
    return OSHOST_ERR_INVALID_ARGUMENT;
  }
  unsigned char *out = buffer;
  size_t filled = 0;
  while (filled < length) {
    ssize_t got = getrandom(out + filled, length - filled, 0);
    if (got < 0) {
      if (errno == EINTR) {
        continue;
      }
      return OSHOST_ERR_DEVICE;
    }
    if (got == 0) {
      return OSHOST_ERR_SHORT;
    }
    filled += (size_t)got;
  }
  *source = OSHOST_RANDOM_SOURCE_OS;
  return OSHOST_OK;
}

OSHost_Status OSHost_Log(OSHost_LogLevel level, const char *message) {
  const char *name = OSHost_LogLevelName(level);
  if (name == NULL || message == NULL) {
    return OSHOST_ERR_INVALID_ARGUMENT;
  }
  /* Debug lines only when asked for: OSPOLICY_LOG_DEBUG=1 in the environment. */
  if (level == OSHOST_LOG_DEBUG && getenv("OSPOLICY_LOG_DEBUG") == NULL) {
    return OSHOST_OK;
  }
  return fprintf(stderr, "ospolicy: %s: %s\n", name, message) < 0 ? OSHOST_ERR_DEVICE : OSHOST_OK;
}

void OSHost_Panic(const char *message) {
  fprintf(stderr, "ospolicy: panic: %s\n", message != NULL ? message : "(no message)");
  abort();
}

OSHost_BootPhase OSHost_GetBootPhase(void) {
  return OSHOST_BOOT_PHASE_RUNTIME;
}
