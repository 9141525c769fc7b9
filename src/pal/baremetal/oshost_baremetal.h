/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * The bare-metal x86-64 backend of the OSHost PAL (<oshost/oshost.h>), for a
 * kernel that runs on its own page tables after ExitBootServices.
 *
 *   Memory     OSHost_AllocatePages maps fresh frames (from the kernel's
 *              frame allocator) RW+NX into a virtual window, one unmapped
 *              guard page before every allocation, and zeroes them;
 *              OSHost_ProtectPages accepts only ranges inside one live
 *              allocation and refuses (DENIED, before any entry changes)
 *              W+X, any reclaim (a page that is R or RX here was sealed),
 *              a `from` that is not the live protection of every page of
 *              the range (a forged plan), and a frame alias that would be
 *              W+X (the editor's DENIED_WX_ALIAS); then it changes the
 *              leaves with OSBaremetal_ProtectPages (one store per entry,
 *              invlpg or CR3 reload); OSHost_FreePages unmaps (frames and
 *              addresses are not reused).
 *   Randomness the kernel's entropy pool through a callback (source POOL);
 *              firmware RNG does not exist here.
 *   Logging    one line to the kernel's (redacting) line writer.
 *   Boot phase always RUNTIME: boot services are gone.
 *
 * State: one backend per kernel, file-scope variables; boot processor only,
 * interrupts masked.
 */
#ifndef OSPOLICY_OSHOST_BAREMETAL_H
#define OSPOLICY_OSHOST_BAREMETAL_H

#include <stddef.h>
#include <stdint.h>

#include "oshost/oshost.h"
#include "ospolicy/status.h"
#include "page_table.h"

#define OSHOSTBAREMETAL_MAX_ALLOCATIONS 32u

typedef struct OSHostBaremetal_Config {
  OSBaremetal_PageTable *table; /* the live tables, with flush_page/flush_all */
  uint64_t window_base;         /* page-aligned virtual window for allocations */
  uint64_t window_size;
  /* `pages` physically contiguous frames; OK or NO_MEMORY. */
  OSPolicy_Status (*allocate_frames)(void *context, uint64_t pages, uint64_t *physical);
  /* Random bytes from the kernel's pool; NULL until the pool is ready. */
  OSHost_Status (*fill_random)(void *context, void *buffer, size_t length);
  void (*write_line)(void *context, const char *line);
  __attribute__((noreturn)) void (*panic)(void *context, const char *message);
  void *context;
} OSHostBaremetal_Config;

#ifdef __cplusplus
extern "C" {
#endif

/* Installs the configuration (copied). INVALID_ARGUMENT if a required field
 * (table, window, allocate_frames, write_line, panic) is missing. */
OSHOST_MUST_CHECK OSHost_Status OSHostBaremetal_Init(const OSHostBaremetal_Config *config);

/* Sets (or clears, with NULL) the random callback once the pool is ready. */
void OSHostBaremetal_SetRandom(OSHost_Status (*fill_random)(void *context, void *buffer, size_t length));

/* Page-table edits made by OSHost_ProtectPages so far: lets a test prove that
 * a refused plan never touched the tables. */
uint64_t OSHostBaremetal_ProtectCallCount(void);

#ifdef __cplusplus
}
#endif

#endif /* OSPOLICY_OSHOST_BAREMETAL_H */
