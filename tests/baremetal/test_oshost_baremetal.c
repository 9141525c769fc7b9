/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * The bare-metal OSHost backend (src/pal/baremetal) on the host: its page
 * tables live in a fake physical arena (as in unit.page_table), and its
 * allocation window is a real, page-aligned host buffer, so the backend's
 * own stores (zeroing fresh pages) land in memory this process owns. The
 * tables are never loaded in CR3: what is checked is what the backend
 * decides and what it leaves in the tables, through the same queries the
 * kernel's self-tests use.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "oshost_baremetal.h"
#include "ospolicy/page_protection.h"
#include "ospolicy/pal.h"
#include "page_table.h"

#define PAGE ((uint64_t)4096)
#define ARENA_PAGES 32u
#define ARENA_BASE ((uint64_t)0x40000000)
#define WINDOW_PAGES 32u
#define FRAME_BASE ((uint64_t)0x10000000)

static _Alignas(4096) uint8_t arena[ARENA_PAGES][4096];
static _Alignas(4096) uint8_t window[WINDOW_PAGES][4096];
static uint32_t arena_used;
static uint64_t next_frame;
static OSBaremetal_PageTable table;

static OSPolicy_Status fake_allocate(void *context, uint64_t *physical) {
  (void)context;
  if (arena_used >= ARENA_PAGES) {
    return OSPOLICY_ERR_NO_MEMORY;
  }
  memset(arena[arena_used], 0, sizeof arena[0]);
  *physical = ARENA_BASE + (uint64_t)arena_used * PAGE;
  arena_used++;
  return OSPOLICY_OK;
}

static void *fake_map(void *context, uint64_t physical) {
  (void)context;
  ck_assert_uint_ge(physical, ARENA_BASE);
  ck_assert_uint_lt(physical, ARENA_BASE + ARENA_PAGES * PAGE);
  return arena[(physical - ARENA_BASE) / PAGE];
}

static OSPolicy_Status fake_frames(void *context, uint64_t pages, uint64_t *physical) {
  (void)context;
  *physical = next_frame;
  next_frame += pages * PAGE;
  return OSPOLICY_OK;
}

static void fake_line(void *context, const char *line) {
  (void)context;
  (void)line;
}

__attribute__((noreturn)) static void fake_panic(void *context, const char *message) {
  (void)context;
  ck_abort_msg("backend panicked: %s", message);
  abort();
}

static void setup(void) {
  arena_used = 0;
  next_frame = FRAME_BASE;
  OSBaremetal_PageTableOps ops = {fake_allocate, fake_map, NULL, NULL};
  ck_assert_int_eq(OSBaremetal_CreatePageTable(&table, &ops), OSPOLICY_OK);
  OSHostBaremetal_Config config = {&table, (uint64_t)(uintptr_t)window, sizeof window, fake_frames, NULL,
                                   fake_line, fake_panic, NULL};
  ck_assert_int_eq(OSHostBaremetal_Init(&config), OSHOST_OK);
}

static uint32_t prot_at(const void *address) {
  OSBaremetal_PageInfo info;
  ck_assert_int_eq(OSBaremetal_QueryPage(&table, (uint64_t)(uintptr_t)address, &info), OSPOLICY_OK);
  ck_assert_uint_eq(info.present, 1);
  return info.prot;
}

static uint8_t *allocate(size_t pages) {
  void *base = NULL;
  ck_assert_int_eq(OSPolicy_PalAllocatePages(pages, &base), OSPOLICY_OK);
  return base;
}

static OSPolicy_Status protect(void *base, size_t size, uint32_t from, uint32_t to, uint32_t flags) {
  OSPolicy_PageProtectionRequest request = {(uintptr_t)base, size, (size_t)PAGE, from, to, flags};
  OSPolicy_PageProtectionPlan plan;
  ck_assert_int_eq(OSPolicy_PlanPageProtection(&request, &plan), OSPOLICY_OK);
  return OSPolicy_PalProtectPages(&plan);
}

/* An honest plan still works: RW -> RX, RW -> R, RX -> R. */
START_TEST(honest_seals_apply) {
  setup();
  uint8_t *code = allocate(2);
  ck_assert_uint_eq(prot_at(code), OSPOLICY_PROT_RW);
  ck_assert_int_eq(protect(code, 2 * PAGE, OSPOLICY_PROT_RW, OSPOLICY_PROT_RX, 0), OSPOLICY_OK);
  ck_assert_uint_eq(prot_at(code + PAGE), OSPOLICY_PROT_RX);
  ck_assert_int_eq(protect(code, 2 * PAGE, OSPOLICY_PROT_RX, OSPOLICY_PROT_READ, 0), OSPOLICY_OK);
  ck_assert_uint_eq(prot_at(code), OSPOLICY_PROT_READ);
  uint8_t *data = allocate(1);
  ck_assert_int_eq(protect(data, PAGE, OSPOLICY_PROT_RW, OSPOLICY_PROT_READ, 0), OSPOLICY_OK);
  ck_assert_uint_eq(OSHostBaremetal_ProtectCallCount(), 3);
}
END_TEST

/* A valid RW -> RX plan for a page that is read-only: the R -> RX rule
 * must not be bypassed by a lie about `from`. */
START_TEST(plan_whose_from_is_not_the_live_protection_is_denied) {
  setup();
  uint8_t *page = allocate(1);
  ck_assert_int_eq(protect(page, PAGE, OSPOLICY_PROT_RW, OSPOLICY_PROT_READ, 0), OSPOLICY_OK);
  uint64_t calls = OSHostBaremetal_ProtectCallCount();
  ck_assert_int_eq(protect(page, PAGE, OSPOLICY_PROT_RW, OSPOLICY_PROT_RX, 0), OSPOLICY_DENIED_BY_PLATFORM);
  ck_assert_uint_eq(prot_at(page), OSPOLICY_PROT_READ);
  ck_assert_uint_eq(OSHostBaremetal_ProtectCallCount(), calls);
  /* The backend itself, called directly, says DENIED as well. */
  ck_assert_int_eq(OSHost_ProtectPages(page, PAGE, OSHOST_PROT_READ | OSHOST_PROT_WRITE,
                                       OSHOST_PROT_READ | OSHOST_PROT_EXEC),
                   OSHOST_ERR_DENIED);
  ck_assert_uint_eq(prot_at(page), OSPOLICY_PROT_READ);
}
END_TEST

/* One page of three is not what the plan says: the whole change is
 * refused and every page keeps its protection. */
START_TEST(refused_multi_page_change_leaves_every_page) {
  setup();
  uint8_t *pages = allocate(3);
  ck_assert_int_eq(protect(pages + PAGE, PAGE, OSPOLICY_PROT_RW, OSPOLICY_PROT_READ, 0), OSPOLICY_OK);
  uint64_t calls = OSHostBaremetal_ProtectCallCount();
  ck_assert_int_eq(protect(pages, 3 * PAGE, OSPOLICY_PROT_RW, OSPOLICY_PROT_RX, 0), OSPOLICY_DENIED_BY_PLATFORM);
  ck_assert_uint_eq(prot_at(pages), OSPOLICY_PROT_RW);
  ck_assert_uint_eq(prot_at(pages + PAGE), OSPOLICY_PROT_READ);
  ck_assert_uint_eq(prot_at(pages + 2 * PAGE), OSPOLICY_PROT_RW);
  ck_assert_uint_eq(OSHostBaremetal_ProtectCallCount(), calls);
  /* The last page is the liar this time. */
  ck_assert_int_eq(protect(pages + 2 * PAGE, PAGE, OSPOLICY_PROT_RW, OSPOLICY_PROT_READ, 0), OSPOLICY_OK);
  ck_assert_int_eq(protect(pages, PAGE, OSPOLICY_PROT_RW, OSPOLICY_PROT_RX, 0), OSPOLICY_OK);
  ck_assert_int_eq(protect(pages, 3 * PAGE, OSPOLICY_PROT_RX, OSPOLICY_PROT_READ, 0), OSPOLICY_DENIED_BY_PLATFORM);
  ck_assert_uint_eq(prot_at(pages), OSPOLICY_PROT_RX);
}
END_TEST

/* A reclaim plan (R or RX -> RW, with the flag) is valid policy, but here
 * every R or RX page was sealed: it must stay sealed. */
START_TEST(reclaim_cannot_unseal) {
  setup();
  uint8_t *trust = allocate(2);
  trust[0] = 0xA5;
  ck_assert_int_eq(protect(trust, 2 * PAGE, OSPOLICY_PROT_RW, OSPOLICY_PROT_READ, 0), OSPOLICY_OK);
  uint64_t calls = OSHostBaremetal_ProtectCallCount();
  ck_assert_int_eq(protect(trust, 2 * PAGE, OSPOLICY_PROT_READ, OSPOLICY_PROT_RW, OSPOLICY_PAGE_RECLAIM),
                   OSPOLICY_DENIED_BY_PLATFORM);
  ck_assert_uint_eq(prot_at(trust), OSPOLICY_PROT_READ);
  ck_assert_uint_eq(prot_at(trust + PAGE), OSPOLICY_PROT_READ);
  uint8_t *code = allocate(1);
  ck_assert_int_eq(protect(code, PAGE, OSPOLICY_PROT_RW, OSPOLICY_PROT_RX, 0), OSPOLICY_OK);
  calls = OSHostBaremetal_ProtectCallCount();
  ck_assert_int_eq(protect(code, PAGE, OSPOLICY_PROT_RX, OSPOLICY_PROT_RW, OSPOLICY_PAGE_RECLAIM),
                   OSPOLICY_DENIED_BY_PLATFORM);
  ck_assert_uint_eq(prot_at(code), OSPOLICY_PROT_RX);
  ck_assert_uint_eq(OSHostBaremetal_ProtectCallCount(), calls);
  ck_assert_uint_eq(trust[0], 0xA5);
}
END_TEST

/* The editor's alias rule reaches the PAL's callers as a denial: a frame
 * with a writable mapping elsewhere is not sealed executable. */
START_TEST(seal_of_a_frame_writable_elsewhere_is_denied) {
  setup();
  uint8_t *code = allocate(1);
  OSBaremetal_PageInfo info;
  ck_assert_int_eq(OSBaremetal_QueryPage(&table, (uint64_t)(uintptr_t)code, &info), OSPOLICY_OK);
  ck_assert_int_eq(OSBaremetal_MapPages(&table, 0x7f0000000000u, info.physical, PAGE, OSPOLICY_PROT_RW), OSPOLICY_OK);
  ck_assert_int_eq(protect(code, PAGE, OSPOLICY_PROT_RW, OSPOLICY_PROT_RX, 0), OSPOLICY_DENIED_BY_PLATFORM);
  ck_assert_uint_eq(prot_at(code), OSPOLICY_PROT_RW);
  ck_assert_uint_eq(table.alias_address, 0x7f0000000000u);
}
END_TEST

Suite *oshost_baremetal_suite(void);
Suite *oshost_baremetal_suite(void) {
  Suite *suite = suite_create("oshost_baremetal");
  TCase *tc = tcase_create("protect");
  tcase_add_test(tc, honest_seals_apply);
  tcase_add_test(tc, plan_whose_from_is_not_the_live_protection_is_denied);
  tcase_add_test(tc, refused_multi_page_change_leaves_every_page);
  tcase_add_test(tc, reclaim_cannot_unseal);
  tcase_add_test(tc, seal_of_a_frame_writable_elsewhere_is_denied);
  suite_add_tcase(suite, tc);
  return suite;
}
