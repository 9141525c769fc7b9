/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * A bump allocator of physical frames over the conventional memory of a
 * UEFI memory map (the kernel's, after ExitBootServices: docs/kernel.md).
 *
 * Freestanding and pure: it reads the caller's memory map and keeps its
 * state in the caller's struct, so the host unit tests (unit.frame_allocator)
 * drive the very code the kernel runs.
 *
 * Rules:
 *   - only EfiConventionalMemory (type 7), and only at or above `floor`;
 *   - frames are handed out once: the cursor (descriptor, next) only moves
 *     forward, and nothing is ever freed (the kernel's lifetime is one
 *     self-test run);
 *   - a request is searched on a copy of the cursor and the cursor is
 *     written back only on success: a failed request (too large, no
 *     aligned run left) leaves the allocator exactly as it was, so the
 *     next request cannot be handed a frame that is already in use;
 *   - a request that fits only in a later descriptor moves the cursor
 *     there: the rest of the earlier descriptors is given up (bump).
 */
#ifndef OSPOLICY_BAREMETAL_FRAME_ALLOCATOR_H
#define OSPOLICY_BAREMETAL_FRAME_ALLOCATOR_H

#include <stddef.h>
#include <stdint.h>

#include "ospolicy/boot_info.h"
#include "ospolicy/status.h"

#define OSBAREMETAL_EFI_CONVENTIONAL_MEMORY 7u

typedef struct OSBaremetal_FrameCursor {
  uint64_t descriptor; /* index of the descriptor being consumed */
  uint64_t next;       /* next free byte in it; 0 until it is entered */
} OSBaremetal_FrameCursor;

typedef struct OSBaremetal_FrameAllocator {
  const uint8_t *map;       /* the memory map: `count` descriptors, `stride` bytes apart */
  uint64_t count;
  uint64_t stride;
  uint64_t floor;           /* nothing below this physical address is handed out */
  OSBaremetal_FrameCursor cursor;
  uint64_t frames_allocated; /* 4 KiB frames handed out so far */
  uint64_t failed_requests;
} OSBaremetal_FrameAllocator;

/* `map_size` bytes of descriptors `descriptor_size` apart (at least
 * sizeof(OSPolicy_BootMemoryDescriptor), and dividing map_size). */
#ifdef __cplusplus
extern "C" {
#endif

/* Errors: NULL_ARGUMENT (allocator, map); INVALID_ARGUMENT (descriptor size
 * too small or not dividing map_size). */
OSPOLICY_MUST_CHECK OSPolicy_Status OSBaremetal_InitFrameAllocator(OSBaremetal_FrameAllocator *allocator,
                                                                   const void *map, uint64_t map_size,
                                                                   uint64_t descriptor_size, uint64_t floor);

/* `pages` (>= 1) contiguous 4 KiB frames whose first address is a multiple
 * of `alignment` (a power of two, >= 4096). OSPOLICY_ERR_NO_MEMORY when no
 * descriptor from the cursor on has such a run (or pages * 4096 overflows);
 * the cursor is then unchanged and only failed_requests grows.
 * Errors also: NULL_ARGUMENT; INVALID_ARGUMENT (pages 0, bad alignment, an
 * allocator Init refused). */
OSPOLICY_MUST_CHECK OSPolicy_Status OSBaremetal_AllocateFrames(OSBaremetal_FrameAllocator *allocator,
                                                               uint64_t pages, uint64_t alignment,
                                                               uint64_t *physical);

#ifdef __cplusplus
}
#endif

#endif
