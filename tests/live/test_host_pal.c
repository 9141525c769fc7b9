/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/* The Linux backend, live: real mmap/mprotect/getrandom through the wrappers. */
#include <check.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "ospolicy/pal.h"
#include "proc_maps.h"

START_TEST(allocate_gives_zeroed_rw_pages) {
  size_t page = 0;
  ck_assert_int_eq(OSPolicy_PalGetPageSize(&page), OSPOLICY_OK);
  void *base = NULL;
  ck_assert_int_eq(OSPolicy_PalAllocatePages(2, &base), OSPOLICY_OK);
  ck_assert_uint_eq((uintptr_t)base % page, 0);
  const unsigned char *bytes = base;
  for (size_t i = 0; i < 2 * page; i++) {
    ck_assert_uint_eq(bytes[i], 0);
  }
  char perms[5];
  ck_assert_int_eq(proc_maps_perms(base, perms), 0);
  ck_assert_str_eq(perms, "rw-p");
  ck_assert_int_eq(OSPolicy_PalFreePages(base, 2), OSPOLICY_OK);
}
END_TEST

START_TEST(protect_applies_plan_and_refuses_forged_rwx_before_mprotect) {
  size_t page = 0;
  ck_assert_int_eq(OSPolicy_PalGetPageSize(&page), OSPOLICY_OK);
  void *base = NULL;
  ck_assert_int_eq(OSPolicy_PalAllocatePages(1, &base), OSPOLICY_OK);
  OSPolicy_PageProtectionRequest r = {.base = (uintptr_t)base, .size = page, .page_size = page,
                                      .from = OSPOLICY_PROT_RW, .to = OSPOLICY_PROT_READ};
  OSPolicy_PageProtectionPlan plan;
  ck_assert_int_eq(OSPolicy_PlanPageProtection(&r, &plan), OSPOLICY_OK);

  /* A forged RWX plan goes straight to the backend, skipping the wrapper. */
  OSPolicy_PageProtectionPlan forged = plan;
  forged.to = OSPOLICY_PROT_ALL;
  ck_assert_int_eq(OSHost_ProtectPages((void *)forged.base, forged.size, forged.from, forged.to), OSHOST_ERR_DENIED);
  char perms[5];
  ck_assert_int_eq(proc_maps_perms(base, perms), 0);
  ck_assert_str_eq(perms, "rw-p"); /* mprotect never ran */
  ck_assert_int_eq(OSPolicy_PalProtectPages(&forged), OSPOLICY_DENIED_RWX);

  ck_assert_int_eq(OSPolicy_PalProtectPages(&plan), OSPOLICY_OK);
  ck_assert_int_eq(proc_maps_perms(base, perms), 0);
  ck_assert_str_eq(perms, "r--p");
  ck_assert_int_eq(OSPolicy_PalFreePages(base, 1), OSPOLICY_OK);
}
END_TEST

START_TEST(protect_refuses_range_with_unmapped_pages_without_partial_change) {
  size_t page = 0;
  ck_assert_int_eq(OSPolicy_PalGetPageSize(&page), OSPOLICY_OK);
  void *base = NULL;
  ck_assert_int_eq(OSPolicy_PalAllocatePages(3, &base), OSPOLICY_OK);
  ck_assert_int_eq(munmap((char *)base + 2 * page, page), 0); /* hole at the end */
  OSPolicy_PageProtectionRequest r = {.base = (uintptr_t)base, .size = 3 * page, .page_size = page,
                                      .from = OSPOLICY_PROT_RW, .to = OSPOLICY_PROT_READ};
  OSPolicy_PageProtectionPlan plan;
  ck_assert_int_eq(OSPolicy_PlanPageProtection(&r, &plan), OSPOLICY_OK);
  ck_assert_int_eq(OSHost_ProtectPages((void *)plan.base, plan.size, plan.from, plan.to), OSHOST_ERR_INVALID_ARGUMENT);
  char perms[5];
  ck_assert_int_eq(proc_maps_perms(base, perms), 0);
  ck_assert_str_eq(perms, "rw-p");
  ck_assert_int_eq(OSPolicy_PalFreePages(base, 2), OSPOLICY_OK);
}
END_TEST

START_TEST(fill_random_reports_os_source) {
  unsigned char a[64], b[64];
  memset(a, 0, sizeof a);
  memset(b, 0, sizeof b);
  OSHost_RandomSource source = OSHOST_RANDOM_SOURCE_UNSET;
  ck_assert_int_eq(OSPolicy_PalFillRandom(a, sizeof a, &source), OSPOLICY_OK);
  ck_assert_int_eq(source, OSHOST_RANDOM_SOURCE_OS);
  ck_assert_int_eq(OSPolicy_PalFillRandom(b, sizeof b, &source), OSPOLICY_OK);
  ck_assert_int_ne(memcmp(a, b, sizeof a), 0); /* 2^-512 chance of a false failure */
  ck_assert_int_eq(OSPolicy_PalFillRandom(a, 0, &source), OSPOLICY_ERR_EMPTY_RANGE);
  ck_assert_int_eq(source, OSHOST_RANDOM_SOURCE_UNSET);
}
END_TEST

START_TEST(boot_phase_is_runtime_on_a_hosted_os) {
  ck_assert_int_eq(OSHost_GetBootPhase(), OSHOST_BOOT_PHASE_RUNTIME);
  ck_assert_int_eq(OSPolicy_PalLog(OSHOST_LOG_INFO, "live host PAL log line"), OSPOLICY_OK);
  ck_assert_int_eq(OSPolicy_PalLog(OSHOST_LOG_UNSET, "x"), OSPOLICY_ERR_INVALID_ARGUMENT);
}
END_TEST

Suite *host_pal_suite(void);
Suite *host_pal_suite(void) {
  Suite *suite = suite_create("host_pal");
  TCase *tc = tcase_create("linux");
  tcase_add_test(tc, allocate_gives_zeroed_rw_pages);
  tcase_add_test(tc, protect_applies_plan_and_refuses_forged_rwx_before_mprotect);
  tcase_add_test(tc, protect_refuses_range_with_unmapped_pages_without_partial_change);
  tcase_add_test(tc, fill_random_reports_os_source);
  tcase_add_test(tc, boot_phase_is_runtime_on_a_hosted_os);
  suite_add_tcase(suite, tc);
  return suite;
}
