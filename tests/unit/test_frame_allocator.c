/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * The kernel's frame allocator (src/arch/x86_64/frame_allocator.c) over a
 * made-up UEFI memory map. Descriptors are 48 bytes apart, as OVMF's are,
 * wider than the struct, so an allocator that stepped by sizeof would read
 * garbage here. The allocator only reads the map: no frame is touched.
 */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "frame_allocator.h"

#define PAGE ((uint64_t)4096)
#define MIB ((uint64_t)1 << 20)
#define STRIDE 48u
#define FLOOR (16u * MIB)

typedef struct fake_map {
  _Alignas(8) uint8_t bytes[8u * STRIDE];
  uint64_t count;
} fake_map;

static void add(fake_map *map, uint32_t type, uint64_t start, uint64_t pages) {
  OSPolicy_BootMemoryDescriptor d;
  memset(&d, 0, sizeof d);
  d.type = type;
  d.physical_start = start;
  d.page_count = pages;
  memset(map->bytes + map->count * STRIDE, 0xA5, STRIDE); /* padding is not zero on real firmware */
  memcpy(map->bytes + map->count * STRIDE, &d, sizeof d);
  map->count++;
}

/* Below the floor, reserved, then two conventional runs above it. */
static void standard_map(fake_map *map, OSBaremetal_FrameAllocator *allocator) {
  memset(map, 0, sizeof *map);
  add(map, OSBAREMETAL_EFI_CONVENTIONAL_MEMORY, 1u * MIB, 256u);  /* [1, 2) MiB: under the floor */
  add(map, 0u /* reserved */, 16u * MIB, 1024u);                  /* [16, 20) MiB */
  add(map, OSBAREMETAL_EFI_CONVENTIONAL_MEMORY, 20u * MIB, 16u); /* [20 MiB, +64 KiB) */
  add(map, 4u /* boot services data, now free but not the kernel's */, 24u * MIB, 16u);
  add(map, OSBAREMETAL_EFI_CONVENTIONAL_MEMORY, 32u * MIB, 2048u); /* [32, 40) MiB */
  ck_assert_int_eq(OSBaremetal_InitFrameAllocator(allocator, map->bytes, map->count * STRIDE, STRIDE, FLOOR),
                   OSPOLICY_OK);
}

static int overlaps(uint64_t a, uint64_t a_pages, uint64_t b, uint64_t b_pages) {
  return a < b + b_pages * PAGE && b < a + a_pages * PAGE;
}

/* The reviewer's reproduction: 1 page, a failing 100-page request (larger
 * than what is left in any descriptor), 1 page: two distinct frames. */
START_TEST(failed_request_does_not_rewind_the_cursor) {
  fake_map map;
  OSBaremetal_FrameAllocator allocator;
  memset(&map, 0, sizeof map);
  add(&map, OSBAREMETAL_EFI_CONVENTIONAL_MEMORY, 20u * MIB, 16u);
  add(&map, OSBAREMETAL_EFI_CONVENTIONAL_MEMORY, 32u * MIB, 64u);
  ck_assert_int_eq(OSBaremetal_InitFrameAllocator(&allocator, map.bytes, map.count * STRIDE, STRIDE, FLOOR),
                   OSPOLICY_OK);
  uint64_t first = 0;
  uint64_t second = 0;
  uint64_t big = 0xdead;
  ck_assert_int_eq(OSBaremetal_AllocateFrames(&allocator, 1, PAGE, &first), OSPOLICY_OK);
  OSBaremetal_FrameCursor before = allocator.cursor;
  ck_assert_int_eq(OSBaremetal_AllocateFrames(&allocator, 100, PAGE, &big), OSPOLICY_ERR_NO_MEMORY);
  ck_assert_uint_eq(big, 0xdead);
  ck_assert_uint_eq(allocator.cursor.descriptor, before.descriptor);
  ck_assert_uint_eq(allocator.cursor.next, before.next);
  ck_assert_uint_eq(allocator.failed_requests, 1);
  ck_assert_int_eq(OSBaremetal_AllocateFrames(&allocator, 1, PAGE, &second), OSPOLICY_OK);
  ck_assert_uint_ne(first, second);
  ck_assert_uint_eq(first, 20u * MIB);
  ck_assert_uint_eq(second, 20u * MIB + PAGE);
  ck_assert_uint_eq(allocator.frames_allocated, 2);
}
END_TEST

/* Failures of every kind in between, each followed by a small request:
 * no frame is ever handed out twice. */
START_TEST(no_frame_is_handed_out_twice) {
  fake_map map;
  OSBaremetal_FrameAllocator allocator;
  standard_map(&map, &allocator);
  uint64_t got[64];
  uint64_t sizes[64];
  unsigned n = 0;
  static const uint64_t requests[] = {1, 3, 5000, 1, 16, 2048, 7, UINT64_MAX / 2u, 2, 512, 1, 1000, 1};
  for (size_t i = 0; i < sizeof requests / sizeof requests[0]; ++i) {
    uint64_t address = 0;
    OSPolicy_Status status = OSBaremetal_AllocateFrames(&allocator, requests[i], PAGE, &address);
    if (status != OSPOLICY_OK) {
      ck_assert_int_eq(status, OSPOLICY_ERR_NO_MEMORY);
      continue;
    }
    ck_assert_uint_ge(address, FLOOR);
    for (unsigned k = 0; k < n; ++k) {
      ck_assert_msg(!overlaps(address, requests[i], got[k], sizes[k]),
                    "request %zu (%lu pages at 0x%lx) overlaps request %u", i, (unsigned long)requests[i],
                    (unsigned long)address, k);
    }
    got[n] = address;
    sizes[n] = requests[i];
    n++;
  }
  ck_assert_uint_ge(n, 8);
}
END_TEST

START_TEST(only_conventional_memory_above_the_floor) {
  fake_map map;
  OSBaremetal_FrameAllocator allocator;
  standard_map(&map, &allocator);
  uint64_t address = 0;
  /* [1, 2) MiB is below the floor, [16, 20) MiB reserved: 20 MiB first. */
  ck_assert_int_eq(OSBaremetal_AllocateFrames(&allocator, 16, PAGE, &address), OSPOLICY_OK);
  ck_assert_uint_eq(address, 20u * MIB);
  /* That run is used up; the boot-services run at 24 MiB is skipped. */
  ck_assert_int_eq(OSBaremetal_AllocateFrames(&allocator, 1, PAGE, &address), OSPOLICY_OK);
  ck_assert_uint_eq(address, 32u * MIB);
}
END_TEST

START_TEST(descriptor_straddling_the_floor_starts_at_the_floor) {
  fake_map map;
  OSBaremetal_FrameAllocator allocator;
  memset(&map, 0, sizeof map);
  add(&map, OSBAREMETAL_EFI_CONVENTIONAL_MEMORY, 8u * MIB, 4096u); /* [8, 24) MiB */
  ck_assert_int_eq(OSBaremetal_InitFrameAllocator(&allocator, map.bytes, map.count * STRIDE, STRIDE, FLOOR),
                   OSPOLICY_OK);
  uint64_t address = 0;
  ck_assert_int_eq(OSBaremetal_AllocateFrames(&allocator, 1, PAGE, &address), OSPOLICY_OK);
  ck_assert_uint_eq(address, FLOOR);
}
END_TEST

/* The heap's 2 MiB page: aligned, and a failed aligned request changes
 * nothing either. */
START_TEST(aligned_requests) {
  fake_map map;
  OSBaremetal_FrameAllocator allocator;
  standard_map(&map, &allocator);
  uint64_t small = 0;
  uint64_t large = 0;
  ck_assert_int_eq(OSBaremetal_AllocateFrames(&allocator, 1, PAGE, &small), OSPOLICY_OK);
  ck_assert_int_eq(OSBaremetal_AllocateFrames(&allocator, 512, 2u * MIB, &large), OSPOLICY_OK);
  ck_assert_uint_eq(large % (2u * MIB), 0);
  ck_assert(!overlaps(small, 1, large, 512));
  ck_assert_uint_eq(large, 32u * MIB); /* the 20 MiB run is too small for 2 MiB */
  OSBaremetal_FrameCursor before = allocator.cursor;
  uint64_t none = 0;
  ck_assert_int_eq(OSBaremetal_AllocateFrames(&allocator, 512, (uint64_t)1 << 30, &none), OSPOLICY_ERR_NO_MEMORY);
  ck_assert_uint_eq(allocator.cursor.descriptor, before.descriptor);
  ck_assert_uint_eq(allocator.cursor.next, before.next);
  uint64_t after = 0;
  ck_assert_int_eq(OSBaremetal_AllocateFrames(&allocator, 1, PAGE, &after), OSPOLICY_OK);
  ck_assert_uint_eq(after, large + 2u * MIB);
}
END_TEST

START_TEST(exhaustion_and_bad_arguments) {
  fake_map map;
  OSBaremetal_FrameAllocator allocator;
  memset(&map, 0, sizeof map);
  add(&map, OSBAREMETAL_EFI_CONVENTIONAL_MEMORY, 20u * MIB, 2u);
  add(&map, OSBAREMETAL_EFI_CONVENTIONAL_MEMORY, UINT64_MAX - PAGE + 1u, 4u); /* wraps: ignored */
  ck_assert_int_eq(OSBaremetal_InitFrameAllocator(&allocator, map.bytes, map.count * STRIDE, STRIDE, FLOOR),
                   OSPOLICY_OK);
  uint64_t address = 0;
  ck_assert_int_eq(OSBaremetal_AllocateFrames(&allocator, 2, PAGE, &address), OSPOLICY_OK);
  ck_assert_int_eq(OSBaremetal_AllocateFrames(&allocator, 1, PAGE, &address), OSPOLICY_ERR_NO_MEMORY);
  ck_assert_int_eq(OSBaremetal_AllocateFrames(&allocator, 0, PAGE, &address), OSPOLICY_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(OSBaremetal_AllocateFrames(&allocator, 1, 3u * PAGE, &address), OSPOLICY_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(OSBaremetal_AllocateFrames(&allocator, 1, 512u, &address), OSPOLICY_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(OSBaremetal_AllocateFrames(&allocator, 1, PAGE, NULL), OSPOLICY_ERR_NULL_ARGUMENT);
  ck_assert_int_eq(OSBaremetal_AllocateFrames(NULL, 1, PAGE, &address), OSPOLICY_ERR_NULL_ARGUMENT);
  ck_assert_int_eq(OSBaremetal_InitFrameAllocator(&allocator, map.bytes, map.count * STRIDE, 16u, FLOOR),
                   OSPOLICY_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(OSBaremetal_InitFrameAllocator(&allocator, map.bytes, STRIDE + 1u, STRIDE, FLOOR),
                   OSPOLICY_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(OSBaremetal_InitFrameAllocator(&allocator, NULL, STRIDE, STRIDE, FLOOR),
                   OSPOLICY_ERR_NULL_ARGUMENT);
  /* A refused Init leaves an allocator that hands out nothing. */
  ck_assert_int_eq(OSBaremetal_AllocateFrames(&allocator, 1, PAGE, &address), OSPOLICY_ERR_INVALID_ARGUMENT);
  /* Zero is not success: a zeroed allocator was never initialised. */
  OSBaremetal_FrameAllocator zero;
  memset(&zero, 0, sizeof zero);
  ck_assert_int_eq(OSBaremetal_AllocateFrames(&zero, 1, PAGE, &address), OSPOLICY_ERR_INVALID_ARGUMENT);
}
END_TEST

Suite *frame_allocator_suite(void);
Suite *frame_allocator_suite(void) {
  Suite *suite = suite_create("frame_allocator");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, failed_request_does_not_rewind_the_cursor);
  tcase_add_test(tc, no_frame_is_handed_out_twice);
  tcase_add_test(tc, only_conventional_memory_above_the_floor);
  tcase_add_test(tc, descriptor_straddling_the_floor_starts_at_the_floor);
  tcase_add_test(tc, aligned_requests);
  tcase_add_test(tc, exhaustion_and_bad_arguments);
  suite_add_tcase(suite, tc);
  return suite;
}
