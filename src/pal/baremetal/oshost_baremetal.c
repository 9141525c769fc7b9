/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
#include "oshost_baremetal.h"

#include "ospolicy/page_protection.h"

typedef struct allocation {
  uint64_t base;
  uint64_t pages; /* 0: free slot */
} allocation;

static OSHostBaremetal_Config config;
static int ready;
static uint64_t next_address;
static uint64_t protect_calls;
static allocation allocations[OSHOSTBAREMETAL_MAX_ALLOCATIONS];

OSHost_Status OSHostBaremetal_Init(const OSHostBaremetal_Config *wanted) {
  if (wanted == NULL || wanted->table == NULL || wanted->allocate_frames == NULL || wanted->write_line == NULL ||
      wanted->panic == NULL || wanted->window_size < 2u * OSBAREMETAL_PAGE_SIZE ||
      (wanted->window_base & (OSBAREMETAL_PAGE_SIZE - 1u)) != 0u) {
    return OSHOST_ERR_INVALID_ARGUMENT;
  }
  config = *wanted;
  next_address = config.window_base;
  protect_calls = 0;
  for (uint32_t i = 0; i < OSHOSTBAREMETAL_MAX_ALLOCATIONS; ++i) {
    allocations[i].base = 0;
    allocations[i].pages = 0;
  }
  ready = 1;
  return OSHOST_OK;
}

void OSHostBaremetal_SetRandom(OSHost_Status (*fill_random)(void *context, void *buffer, size_t length)) {
  config.fill_random = fill_random;
}

uint64_t OSHostBaremetal_ProtectCallCount(void) {
  return protect_calls;
}

OSHost_Status OSHost_GetPageSize(size_t *page_size) {
  if (page_size == NULL) {
    return OSHOST_ERR_INVALID_ARGUMENT;
  }
  *page_size = (size_t)OSBAREMETAL_PAGE_SIZE;
  return OSHOST_OK;
}

static allocation *free_slot(void) {
  for (uint32_t i = 0; i < OSHOSTBAREMETAL_MAX_ALLOCATIONS; ++i) {
    if (allocations[i].pages == 0u) {
      return &allocations[i];
    }
  }
  return NULL;
}

OSHost_Status OSHost_AllocatePages(size_t page_count, void **base) {
  if (base == NULL || page_count == 0u) {
    return OSHOST_ERR_INVALID_ARGUMENT;
  }
  *base = NULL;
  if (!ready) {
    return OSHOST_ERR_UNSUPPORTED;
  }
  allocation *slot = free_slot();
  uint64_t bytes;
  uint64_t end;
  /* The guard page in front of the allocation stays unmapped. */
  uint64_t address = next_address + OSBAREMETAL_PAGE_SIZE;
  if (slot == NULL || __builtin_mul_overflow((uint64_t)page_count, OSBAREMETAL_PAGE_SIZE, &bytes) ||
      __builtin_add_overflow(address, bytes, &end) || end > config.window_base + config.window_size) {
    return OSHOST_ERR_NO_MEMORY;
  }
  uint64_t physical = 0;
  if (config.allocate_frames(config.context, page_count, &physical) != OSPOLICY_OK) {
    return OSHOST_ERR_NO_MEMORY;
  }
  if (OSBaremetal_MapPages(config.table, address, physical, bytes, OSPOLICY_PROT_RW) != OSPOLICY_OK) {
    return OSHOST_ERR_DEVICE;
  }
  volatile uint64_t *words = (volatile uint64_t *)(uintptr_t)address;
  for (uint64_t i = 0; i < bytes / sizeof(uint64_t); ++i) {
    words[i] = 0;
  }
  next_address = end;
  slot->base = address;
  slot->pages = page_count;
  *base = (void *)(uintptr_t)address;
  return OSHOST_OK;
}

static allocation *find_allocation(uint64_t base, uint64_t size) {
  for (uint32_t i = 0; i < OSHOSTBAREMETAL_MAX_ALLOCATIONS; ++i) {
    allocation *a = &allocations[i];
    if (a->pages != 0u && base >= a->base && size <= a->pages * OSBAREMETAL_PAGE_SIZE &&
        base - a->base <= a->pages * OSBAREMETAL_PAGE_SIZE - size) {
      return a;
    }
  }
  return NULL;
}

OSHost_Status OSHost_FreePages(void *base, size_t page_count) {
  uint64_t address = (uint64_t)(uintptr_t)base;
  if (base == NULL || page_count == 0u) {
    return OSHOST_ERR_INVALID_ARGUMENT;
  }
  allocation *a = find_allocation(address, (uint64_t)page_count * OSBAREMETAL_PAGE_SIZE);
  if (a == NULL || a->base != address || a->pages != page_count) {
    return OSHOST_ERR_INVALID_ARGUMENT;
  }
  if (OSBaremetal_UnmapPages(config.table, address, (uint64_t)page_count * OSBAREMETAL_PAGE_SIZE) != OSPOLICY_OK) {
    return OSHOST_ERR_DEVICE;
  }
  a->pages = 0;
  a->base = 0;
  return OSHOST_OK;
}

OSHost_Status OSHost_ProtectPages(void *base, size_t size, uint32_t from, uint32_t to) {
  const uint32_t known = OSHOST_PROT_READ | OSHOST_PROT_WRITE | OSHOST_PROT_EXEC;
  /* Refused before any page-table entry is read or written. */
  if ((to & OSHOST_PROT_WRITE) != 0u && (to & OSHOST_PROT_EXEC) != 0u) {
    return OSHOST_ERR_DENIED;
  }
  uint64_t address = (uint64_t)(uintptr_t)base;
  if (!ready || base == NULL || size == 0u || (from & ~known) != 0u || (to & ~known) != 0u ||
      ((address | (uint64_t)size) & (OSBAREMETAL_PAGE_SIZE - 1u)) != 0u) {
    return OSHOST_ERR_INVALID_ARGUMENT;
  }
  /* Only pages this backend handed out: never the kernel image or stacks. */
  if (find_allocation(address, (uint64_t)size) == NULL) {
    return OSHOST_ERR_DENIED;
  }
  /* Reclaim (R or RX -> RW) would unseal: pages start RW here and become
   * R or RX only by a seal (seal-readonly, seal-exec), so every page a
   * reclaim could name is a sealed one (the read-only trust set, sealed
   * code). Refused for every range; free the pages instead (their frames
   * and addresses are never handed out again). */
  if ((to & OSHOST_PROT_WRITE) != 0u) {
    return OSHOST_ERR_DENIED;
  }
  /* The plan's `from` is a claim: every page must have exactly that
   * protection in the live tables, or the plan was made for other pages (a
   * plan that says RW -> RX must not turn a read-only page executable).
   * Checked for the whole range before any entry changes. */
  for (uint64_t page = address; page - address < (uint64_t)size; page += OSBAREMETAL_PAGE_SIZE) {
    OSBaremetal_PageInfo info;
    if (OSBaremetal_QueryPage(config.table, page, &info) != OSPOLICY_OK || info.present != 1u || info.prot != from) {
      return OSHOST_ERR_DENIED;
    }
  }
  protect_calls++;
  OSPolicy_Status status = OSBaremetal_ProtectPages(config.table, address, (uint64_t)size, to);
  if (status == OSPOLICY_DENIED_RWX || status == OSPOLICY_DENIED_WX_ALIAS) {
    return OSHOST_ERR_DENIED;
  }
  return status == OSPOLICY_OK ? OSHOST_OK : OSHOST_ERR_DEVICE;
}

OSHost_Status OSHost_FlushInstructionCache(const void *base, size_t size) {
  uintptr_t end;
  if (base == NULL || size == 0u || __builtin_add_overflow((uintptr_t)base, size, &end)) {
    return OSHOST_ERR_INVALID_ARGUMENT;
  }
  /* x86 keeps instruction fetch coherent with stores; the jump (or call)
   * into the new code serialises enough for a single processor. */
  __asm__ volatile("" : : : "memory");
  return OSHOST_OK;
}

OSHost_Status OSHost_FillRandom(void *buffer, size_t length, OSHost_RandomSource *source) {
  if (buffer == NULL || length == 0u || source == NULL) {
    return OSHOST_ERR_INVALID_ARGUMENT;
  }
  *source = OSHOST_RANDOM_SOURCE_UNSET;
  if (!ready || config.fill_random == NULL) {
    return OSHOST_ERR_UNSUPPORTED;
  }
  OSHost_Status status = config.fill_random(config.context, buffer, length);
  if (status == OSHOST_OK) {
    *source = OSHOST_RANDOM_SOURCE_POOL;
  }
  return status;
}

OSHost_Status OSHost_Log(OSHost_LogLevel level, const char *message) {
  const char *name = OSHost_LogLevelName(level);
  if (message == NULL || name == NULL) {
    return OSHOST_ERR_INVALID_ARGUMENT;
  }
  if (!ready) {
    return OSHOST_ERR_UNSUPPORTED;
  }
  char line[320];
  size_t used = 0;
  const char *parts[3] = {"ospolicy: ", name, ": "};
  for (unsigned p = 0; p < 3u; ++p) {
    for (const char *c = parts[p]; *c != '\0' && used + 1u < sizeof line; ++c) {
      line[used++] = *c;
    }
  }
  for (const char *c = message; *c != '\0' && *c != '\n' && used + 1u < sizeof line; ++c) {
    line[used++] = *c;
  }
  line[used] = '\0';
  config.write_line(config.context, line);
  return OSHOST_OK;
}

void OSHost_Panic(const char *message) {
  if (ready) {
    config.panic(config.context, message != NULL ? message : "(no message)");
  }
  for (;;) {
    __asm__ volatile("cli; hlt");
  }
}

OSHost_BootPhase OSHost_GetBootPhase(void) {
  return OSHOST_BOOT_PHASE_RUNTIME;
}
