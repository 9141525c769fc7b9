/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * Bump frame allocator over a UEFI memory map (frame_allocator.h). The
 * search runs on a local copy of the cursor, committed only on success.
 */
#include "frame_allocator.h"

#define FRAME_SIZE ((uint64_t)4096)

OSPolicy_Status OSBaremetal_InitFrameAllocator(OSBaremetal_FrameAllocator *allocator, const void *map,
                                               uint64_t map_size, uint64_t descriptor_size, uint64_t floor) {
  if (allocator == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  allocator->map = NULL;
  allocator->count = 0;
  allocator->stride = 0;
  allocator->floor = 0;
  allocator->cursor.descriptor = 0;
  allocator->cursor.next = 0;
  allocator->frames_allocated = 0;
  allocator->failed_requests = 0;
  if (map == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  if (descriptor_size < sizeof(OSPolicy_BootMemoryDescriptor) || map_size % descriptor_size != 0u) {
    return OSPOLICY_ERR_INVALID_ARGUMENT;
  }
  allocator->map = map;
  allocator->count = map_size / descriptor_size;
  allocator->stride = descriptor_size;
  allocator->floor = floor;
  return OSPOLICY_OK;
}

static const OSPolicy_BootMemoryDescriptor *descriptor_at(const OSBaremetal_FrameAllocator *allocator,
                                                          uint64_t index) {
  return (const OSPolicy_BootMemoryDescriptor *)(const void *)(allocator->map + index * allocator->stride);
}

OSPolicy_Status OSBaremetal_AllocateFrames(OSBaremetal_FrameAllocator *allocator, uint64_t pages,
                                           uint64_t alignment, uint64_t *physical) {
  if (allocator == NULL || physical == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  if (allocator->map == NULL || pages == 0u || alignment < FRAME_SIZE || (alignment & (alignment - 1u)) != 0u) {
    return OSPOLICY_ERR_INVALID_ARGUMENT;
  }
  uint64_t bytes;
  if (__builtin_mul_overflow(pages, FRAME_SIZE, &bytes)) {
    allocator->failed_requests++;
    return OSPOLICY_ERR_NO_MEMORY;
  }
  OSBaremetal_FrameCursor c = allocator->cursor; /* committed only on success */
  for (; c.descriptor < allocator->count; ++c.descriptor, c.next = 0) {
    const OSPolicy_BootMemoryDescriptor *d = descriptor_at(allocator, c.descriptor);
    if (d->type != OSBAREMETAL_EFI_CONVENTIONAL_MEMORY) {
      continue;
    }
    uint64_t start = d->physical_start;
    uint64_t length;
    uint64_t end;
    if (__builtin_mul_overflow(d->page_count, FRAME_SIZE, &length) ||
        __builtin_add_overflow(start, length, &end)) {
      continue; /* a descriptor that wraps describes nothing usable */
    }
    uint64_t low = start < allocator->floor ? allocator->floor : start;
    if (c.next < low) {
      c.next = low; /* entering this descriptor */
    }
    uint64_t candidate;
    if (__builtin_add_overflow(c.next, alignment - 1u, &candidate)) {
      continue;
    }
    candidate &= ~(alignment - 1u);
    if (candidate < end && end - candidate >= bytes) {
      c.next = candidate + bytes;
      allocator->cursor = c;
      allocator->frames_allocated += pages;
      *physical = candidate;
      return OSPOLICY_OK;
    }
  }
  allocator->failed_requests++;
  return OSPOLICY_ERR_NO_MEMORY;
}
