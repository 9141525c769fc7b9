/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/* Native executable memory plans (plan tests: no page changes protection here). */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "native_elf_builder.h"
#include "ospolicy/native_executable.h"

#define NO_INDEX OSPOLICY_NATIVE_PAYLOAD_NO_INDEX

static OSPolicy_NativePayloadMappingPlan mapping_of(const ne_image *im) {
  OSPolicy_NativePayloadMappingPlan plan;
  ck_assert_int_eq(ne_plan(im, &plan), OSPOLICY_OK);
  return plan;
}

static OSPolicy_NativePayloadMappingPlan valid_mapping(void) {
  ne_image im;
  ne_build(&im);
  return mapping_of(&im);
}

static OSPolicy_Status exec_status(const OSPolicy_NativePayloadMappingPlan *m,
                                   uint32_t expected_phdr) {
  OSPolicy_NativeExecutableMemoryPlan plan;
  memset(&plan, 0x5A, sizeof plan);
  OSPolicy_Status status = OSPolicy_PlanNativeExecutableMemory(m, &plan);
  ck_assert_int_eq(plan.status, status);
  if (status != OSPOLICY_OK) {
    ck_assert_uint_eq(plan.range_count, 0);
    ck_assert_uint_eq(plan.span_pages, 0);
    ck_assert_uint_eq(plan.error_phdr_index, expected_phdr);
  }
  return status;
}

START_TEST(plans_staging_and_final_ranges) {
  OSPolicy_NativePayloadMappingPlan m = valid_mapping();
  OSPolicy_NativeExecutableMemoryPlan plan;
  ck_assert_int_eq(OSPolicy_PlanNativeExecutableMemory(&m, &plan), OSPOLICY_OK);
  ck_assert_int_eq(plan.status, OSPOLICY_OK);
  ck_assert_uint_eq(plan.staging_prot, OSPOLICY_PROT_RW);
  ck_assert_uint_eq(plan.page_size, NE_PAGE);
  ck_assert_uint_eq(plan.link_base, 0);
  ck_assert_uint_eq(plan.span_size, 0x5000);
  ck_assert_uint_eq(plan.span_pages, 5);
  ck_assert_uint_eq(plan.relocatable, 1);
  ck_assert_uint_eq(plan.entry_offset, NE_ENTRY);
  ck_assert_uint_eq(plan.executable_size, 0x1000);
  ck_assert_uint_eq(plan.range_count, 5);
  ck_assert_uint_eq(plan.protection_count, 4);
  static const struct {
    uint64_t offset, size;
    OSPolicy_NativeRangeKind kind;
    uint32_t prot;
    OSPolicy_PageTransition transition;
    uint32_t phdr;
  } want[5] = {
      {0x0000, 0x1000, OSPOLICY_NATIVE_RANGE_READONLY, OSPOLICY_PROT_READ,
       OSPOLICY_TRANSITION_SEAL_READONLY, 0},
      {0x1000, 0x1000, OSPOLICY_NATIVE_RANGE_TEXT, OSPOLICY_PROT_RX, OSPOLICY_TRANSITION_SEAL_EXEC,
       1},
      {0x2000, 0x1000, OSPOLICY_NATIVE_RANGE_READONLY, OSPOLICY_PROT_READ,
       OSPOLICY_TRANSITION_SEAL_READONLY, 2},
      {0x3000, 0x1000, OSPOLICY_NATIVE_RANGE_RELRO, OSPOLICY_PROT_READ,
       OSPOLICY_TRANSITION_SEAL_READONLY, 3},
      {0x4000, 0x1000, OSPOLICY_NATIVE_RANGE_DATA, OSPOLICY_PROT_RW, OSPOLICY_TRANSITION_UNSET, 3},
  };
  for (uint32_t i = 0; i < 5; i++) {
    const OSPolicy_NativeExecutableRange *r = &plan.ranges[i];
    ck_assert_uint_eq(r->offset, want[i].offset);
    ck_assert_uint_eq(r->size, want[i].size);
    ck_assert_int_eq(r->kind, want[i].kind);
    ck_assert_uint_eq(r->final_prot, want[i].prot);
    ck_assert_int_eq(r->transition, want[i].transition);
    ck_assert_uint_eq(r->phdr_index, want[i].phdr);
  }
  ck_assert_str_eq(OSPolicy_NativeRangeKindName(OSPOLICY_NATIVE_RANGE_RELRO), "relro");
  ck_assert_str_eq(OSPolicy_NativeRangeKindName((OSPolicy_NativeRangeKind)99), "unset");
}
END_TEST

START_TEST(gaps_become_readonly_and_no_relro_keeps_data_writable) {
  ne_image im;
  ne_build(&im);
  /* Move the read-only segment up, leaving page 0x2000 unused, and drop RELRO. */
  ne_set_phdr(&im, 0, ne_load(NE_PF_R, 0x0000, 0x0000, 0x300, 0x300));
  ne_set_phdr(&im, 6, (ne_phdr){0, 0, 0, 0, 0, 0, 0});
  ne_set_phdr(&im, 2, ne_load(NE_PF_R, 0x2000, 0x6000, 0x80, 0x80));
  OSPolicy_NativePayloadMappingPlan m = mapping_of(&im);
  OSPolicy_NativeExecutableMemoryPlan plan;
  ck_assert_int_eq(OSPolicy_PlanNativeExecutableMemory(&m, &plan), OSPOLICY_OK);
  /* R [0,1) TEXT [1,2) GAP [2,3) DATA [3,5) GAP [5,6) R [6,7) */
  ck_assert_uint_eq(plan.range_count, 6);
  ck_assert_int_eq(plan.ranges[2].kind, OSPOLICY_NATIVE_RANGE_GAP);
  ck_assert_uint_eq(plan.ranges[2].offset, 0x2000);
  ck_assert_uint_eq(plan.ranges[2].final_prot, OSPOLICY_PROT_READ);
  ck_assert_uint_eq(plan.ranges[2].phdr_index, NO_INDEX);
  ck_assert_int_eq(plan.ranges[3].kind, OSPOLICY_NATIVE_RANGE_DATA);
  ck_assert_uint_eq(plan.ranges[3].size, 0x2000);
  ck_assert_int_eq(plan.ranges[4].kind, OSPOLICY_NATIVE_RANGE_GAP);
  ck_assert_int_eq(plan.ranges[5].kind, OSPOLICY_NATIVE_RANGE_READONLY);
  ck_assert_uint_eq(plan.span_pages, 7);
  ck_assert_uint_eq(plan.protection_count, 5);
}
END_TEST

START_TEST(builds_page_protection_plans_for_a_load_base) {
  OSPolicy_NativePayloadMappingPlan m = valid_mapping();
  OSPolicy_NativeExecutableMemoryPlan plan;
  ck_assert_int_eq(OSPolicy_PlanNativeExecutableMemory(&m, &plan), OSPOLICY_OK);
  const uintptr_t base = 0x7f0000100000u;
  size_t count = 99;
  ck_assert_int_eq(OSPolicy_BuildNativeExecutableProtections(&plan, base, NULL, 0, &count),
                   OSPOLICY_ERR_BUFFER_TOO_SMALL);
  ck_assert_uint_eq(count, 4);
  OSPolicy_PageProtectionPlan pp[8];
  memset(pp, 0, sizeof pp);
  ck_assert_int_eq(OSPolicy_BuildNativeExecutableProtections(&plan, base, pp, 3, &count),
                   OSPOLICY_ERR_BUFFER_TOO_SMALL);
  ck_assert_uint_eq(count, 4);
  ck_assert_int_eq(pp[0].status, OSPOLICY_STATUS_UNSET); /* nothing written */
  ck_assert_int_eq(OSPolicy_BuildNativeExecutableProtections(&plan, base, pp, 8, &count),
                   OSPOLICY_OK);
  ck_assert_uint_eq(count, 4);
  for (size_t i = 0; i < count; i++) {
    ck_assert_int_eq(OSPolicy_CheckPageProtectionPlan(&pp[i]), OSPOLICY_OK);
    ck_assert_uint_eq(pp[i].from, OSPOLICY_PROT_RW);
    ck_assert_uint_ne(pp[i].to & OSPOLICY_PROT_WRITE, OSPOLICY_PROT_WRITE);
  }
  ck_assert_uint_eq(pp[1].base, base + 0x1000);
  ck_assert_int_eq(pp[1].transition, OSPOLICY_TRANSITION_SEAL_EXEC);
  ck_assert_uint_eq(pp[1].to, OSPOLICY_PROT_RX);
  ck_assert_uint_eq(pp[3].base, base + 0x3000);
  ck_assert_int_eq(pp[3].transition, OSPOLICY_TRANSITION_SEAL_READONLY);
}
END_TEST

START_TEST(build_refuses_bad_load_bases_and_forged_ranges) {
  OSPolicy_NativePayloadMappingPlan m = valid_mapping();
  OSPolicy_NativeExecutableMemoryPlan plan;
  ck_assert_int_eq(OSPolicy_PlanNativeExecutableMemory(&m, &plan), OSPOLICY_OK);
  OSPolicy_PageProtectionPlan pp[8];
  size_t count = 0;
  ck_assert_int_eq(OSPolicy_BuildNativeExecutableProtections(&plan, 0x10000010u, pp, 8, &count),
                   OSPOLICY_ERR_UNALIGNED);
  ck_assert_int_eq(
      OSPolicy_BuildNativeExecutableProtections(&plan, UINTPTR_MAX & ~(uintptr_t)0xfff, pp, 8, &count),
      OSPOLICY_ERR_OVERFLOW);
  ck_assert_int_eq(OSPolicy_BuildNativeExecutableProtections(NULL, 0x10000, pp, 8, &count),
                   OSPOLICY_ERR_NULL_ARGUMENT);
  ck_assert_int_eq(OSPolicy_BuildNativeExecutableProtections(&plan, 0x10000, NULL, 8, &count),
                   OSPOLICY_ERR_NULL_ARGUMENT);
  ck_assert_int_eq(OSPolicy_BuildNativeExecutableProtections(&plan, 0x10000, pp, 8, NULL),
                   OSPOLICY_ERR_NULL_ARGUMENT);

  OSPolicy_NativeExecutableMemoryPlan forged = plan;
  forged.ranges[1].final_prot = OSPOLICY_PROT_ALL; /* TEXT made RWX */
  ck_assert_int_eq(OSPolicy_BuildNativeExecutableProtections(&forged, 0x10000, pp, 8, &count),
                   OSPOLICY_ERR_PLAN_NOT_OK);
  forged = plan;
  forged.ranges[4].kind = OSPOLICY_NATIVE_RANGE_TEXT; /* DATA relabelled as text, still RW */
  ck_assert_int_eq(OSPolicy_BuildNativeExecutableProtections(&forged, 0x10000, pp, 8, &count),
                   OSPOLICY_ERR_PLAN_NOT_OK);
  forged = plan;
  forged.ranges[4].offset = 0x5000; /* past the span */
  ck_assert_int_eq(OSPolicy_BuildNativeExecutableProtections(&forged, 0x10000, pp, 8, &count),
                   OSPOLICY_ERR_OUT_OF_RANGE);
  forged = plan;
  forged.ranges[0].size = 0x800;
  ck_assert_int_eq(OSPolicy_BuildNativeExecutableProtections(&forged, 0x10000, pp, 8, &count),
                   OSPOLICY_ERR_UNALIGNED);
  forged = plan;
  forged.range_count = OSPOLICY_NATIVE_EXECUTABLE_MAX_RANGES + 1u;
  ck_assert_int_eq(OSPolicy_BuildNativeExecutableProtections(&forged, 0x10000, pp, 8, &count),
                   OSPOLICY_ERR_PLAN_NOT_OK);

  /* ET_EXEC runs only at its link address. */
  ne_image im;
  ne_build(&im);
  ne_header(&im, 2, 0x401000, 2);
  ne_set_phdr(&im, 0, ne_load(NE_PF_R, 0x0000, 0x400000, 0x300, 0x300));
  ne_set_phdr(&im, 1, ne_load(NE_PF_R | NE_PF_X, 0x1000, 0x401000, 0x100, 0x100));
  OSPolicy_NativePayloadMappingPlan em = mapping_of(&im);
  OSPolicy_NativeExecutableMemoryPlan eplan;
  ck_assert_int_eq(OSPolicy_PlanNativeExecutableMemory(&em, &eplan), OSPOLICY_OK);
  ck_assert_uint_eq(eplan.relocatable, 0);
  ck_assert_int_eq(OSPolicy_BuildNativeExecutableProtections(&eplan, 0x500000, pp, 8, &count),
                   OSPOLICY_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(OSPolicy_BuildNativeExecutableProtections(&eplan, 0x400000, pp, 8, &count),
                   OSPOLICY_OK);
  ck_assert_uint_eq(count, 2);
}
END_TEST

START_TEST(zero_plan_is_not_success) {
  OSPolicy_NativeExecutableMemoryPlan zero;
  memset(&zero, 0, sizeof zero);
  ck_assert_int_ne(zero.status, OSPOLICY_OK);
  OSPolicy_PageProtectionPlan pp[4];
  size_t count = 7;
  ck_assert_int_eq(OSPolicy_BuildNativeExecutableProtections(&zero, 0x10000, pp, 4, &count),
                   OSPOLICY_ERR_PLAN_NOT_OK);
  ck_assert_uint_eq(count, 0);
  OSPolicy_NativePayloadMappingPlan zero_mapping;
  memset(&zero_mapping, 0, sizeof zero_mapping);
  ck_assert_int_eq(exec_status(&zero_mapping, NO_INDEX), OSPOLICY_ERR_PLAN_NOT_OK);
  ck_assert_int_eq(OSPolicy_PlanNativeExecutableMemory(NULL, &zero), OSPOLICY_ERR_NULL_ARGUMENT);
  ck_assert_int_eq(zero.status, OSPOLICY_ERR_NULL_ARGUMENT);
  ck_assert_int_eq(OSPolicy_PlanNativeExecutableMemory(NULL, NULL), OSPOLICY_ERR_NULL_ARGUMENT);
}
END_TEST

START_TEST(rejects_failed_mapping_plan) {
  OSPolicy_NativePayloadMappingPlan m = valid_mapping();
  m.status = OSPOLICY_ERR_ELF_SEGMENT_OVERLAP;
  ck_assert_int_eq(exec_status(&m, NO_INDEX), OSPOLICY_ERR_PLAN_NOT_OK);
}
END_TEST

START_TEST(rejects_image_without_executable_segment) {
  ne_image im;
  ne_build(&im);
  ne_set_phdr(&im, 1, ne_load(NE_PF_R, 0x1000, 0x1000, 0x100, 0x100));
  OSPolicy_NativePayloadMappingPlan m = mapping_of(&im); /* a valid mapping ... */
  ck_assert_int_eq(exec_status(&m, NO_INDEX), OSPOLICY_ERR_ELF_NO_EXECUTABLE_SEGMENT);
}
END_TEST

START_TEST(rejects_entry_outside_executable_code) {
  ne_image im;
  ne_build(&im);
  ne_put64(&im, 24, 0x2010); /* in read-only data */
  OSPolicy_NativePayloadMappingPlan m = mapping_of(&im);
  ck_assert_int_eq(exec_status(&m, NO_INDEX), OSPOLICY_ERR_ELF_ENTRY_NOT_EXECUTABLE);
  ne_put64(&im, 24, 0x1100); /* one past the text's file bytes */
  m = mapping_of(&im);
  ck_assert_int_eq(exec_status(&m, NO_INDEX), OSPOLICY_ERR_ELF_ENTRY_NOT_EXECUTABLE);
  ne_put64(&im, 24, 0);
  ne_set_phdr(&im, 1, ne_load(NE_PF_R | NE_PF_X, 0x1000, 0x1000, 0x100, 0x800));
  ne_put64(&im, 24, 0x1400); /* in the zero-filled tail of the text segment */
  m = mapping_of(&im);
  ck_assert_int_eq(exec_status(&m, NO_INDEX), OSPOLICY_ERR_ELF_ENTRY_NOT_EXECUTABLE);
  ne_put64(&im, 24, 0x10ff); /* last byte of code is fine */
  m = mapping_of(&im);
  ck_assert_int_eq(exec_status(&m, NO_INDEX), OSPOLICY_OK);
}
END_TEST

START_TEST(rejects_forged_mapping_plans) {
  const OSPolicy_NativePayloadMappingPlan good = valid_mapping();
  OSPolicy_NativePayloadMappingPlan m = good;
  m.page_size = 1000;
  ck_assert_int_eq(exec_status(&m, NO_INDEX), OSPOLICY_ERR_BAD_PAGE_SIZE);
  m = good;
  m.segment_count = 0;
  ck_assert_int_eq(exec_status(&m, NO_INDEX), OSPOLICY_ERR_ELF_NO_LOAD_SEGMENTS);
  m = good;
  m.segment_count = OSPOLICY_NATIVE_PAYLOAD_MAX_SEGMENTS + 1u;
  ck_assert_int_eq(exec_status(&m, NO_INDEX), OSPOLICY_ERR_ELF_TOO_MANY_SEGMENTS);
  m = good;
  m.span_start = 0x10;
  ck_assert_int_eq(exec_status(&m, NO_INDEX), OSPOLICY_ERR_UNALIGNED);
  m = good;
  m.span_size = 0x6000;
  ck_assert_int_eq(exec_status(&m, NO_INDEX), OSPOLICY_ERR_PLAN_NOT_OK);
  m = good;
  m.elf_type = 1;
  ck_assert_int_eq(exec_status(&m, NO_INDEX), OSPOLICY_ERR_PLAN_NOT_OK);
  m = good;
  m.segments[3].prot = OSPOLICY_PROT_ALL;
  ck_assert_int_eq(exec_status(&m, 3), OSPOLICY_DENIED_RWX);
  m = good;
  m.segments[2].prot = OSPOLICY_PROT_WRITE; /* not readable */
  ck_assert_int_eq(exec_status(&m, 2), OSPOLICY_ERR_BAD_PROTECTION);
  m = good;
  m.segments[1].page_start = 0x1008; /* unaligned executable offset */
  ck_assert_int_eq(exec_status(&m, 1), OSPOLICY_ERR_UNALIGNED);
  m = good;
  m.segments[1].page_end = 0x1000; /* does not cover the segment */
  ck_assert_int_eq(exec_status(&m, 1), OSPOLICY_ERR_OUT_OF_RANGE);
  m = good;
  m.segments[3].page_end = 0x6000; /* past the span */
  ck_assert_int_eq(exec_status(&m, 3), OSPOLICY_ERR_OUT_OF_RANGE);
  m = good;
  m.segments[2].page_start = 0x1000; /* shares the text page */
  m.segments[2].vaddr = 0x1000;
  ck_assert_int_eq(exec_status(&m, 2), OSPOLICY_ERR_ELF_SEGMENT_OVERLAP);
  m = good;
  m.segments[3].vaddr = UINT64_MAX - 0x10;
  ck_assert_int_eq(exec_status(&m, 3), OSPOLICY_ERR_OVERFLOW);
  m = good;
  m.segments[3].filesz = m.segments[3].memsz + 1u;
  ck_assert_int_eq(exec_status(&m, 3), OSPOLICY_ERR_ELF_BAD_SEGMENT);
  m = good;
  m.relro_vaddr = 0x2000; /* RELRO moved onto read-only data */
  ck_assert_int_eq(exec_status(&m, 6), OSPOLICY_ERR_ELF_BAD_SEGMENT);
  m = good;
  m.relro_size = UINT64_MAX;
  ck_assert_int_eq(exec_status(&m, 6), OSPOLICY_ERR_ELF_BAD_SEGMENT);
}
END_TEST

START_TEST(stage_copies_segments_and_zeroes_the_rest) {
  ne_image im;
  ne_build(&im);
  OSPolicy_NativePayloadMappingPlan m = mapping_of(&im);
  static unsigned char staging[0x5000 + 16];
  memset(staging, 0xEE, sizeof staging);
  ck_assert_int_eq(OSPolicy_StageNativePayload(&m, im.b, im.size, staging, 0x5000), OSPOLICY_OK);
  ck_assert_int_eq(memcmp(staging, im.b, 0x300), 0);
  ck_assert_int_eq(memcmp(staging + 0x1000, im.b + 0x1000, 0x100), 0);
  ck_assert_int_eq(memcmp(staging + 0x2000, im.b + 0x2000, 0x80), 0);
  ck_assert_int_eq(memcmp(staging + 0x3000, im.b + 0x3000, 0x1100), 0);
  for (size_t i = 0x300; i < 0x1000; i++) ck_assert_uint_eq(staging[i], 0);
  for (size_t i = 0x4100; i < 0x5000; i++) ck_assert_uint_eq(staging[i], 0); /* bss */
  ck_assert_uint_eq(staging[0x5000], 0xEE); /* nothing past the span */
}
END_TEST

START_TEST(stage_refuses_before_writing) {
  ne_image im;
  ne_build(&im);
  OSPolicy_NativePayloadMappingPlan m = mapping_of(&im);
  static unsigned char staging[0x5000];
  memset(staging, 0xEE, sizeof staging);
  ck_assert_int_eq(OSPolicy_StageNativePayload(&m, im.b, im.size, staging, 0x4fff),
                   OSPOLICY_ERR_DESTINATION_TOO_SMALL);
  ck_assert_int_eq(OSPolicy_StageNativePayload(&m, im.b, im.size - 1, staging, sizeof staging),
                   OSPOLICY_ERR_SOURCE_TOO_SMALL);
  ck_assert_int_eq(OSPolicy_StageNativePayload(&m, NULL, im.size, staging, sizeof staging),
                   OSPOLICY_ERR_NULL_ARGUMENT);
  OSPolicy_NativePayloadMappingPlan forged = m;
  forged.segments[3].filesz = 0x2000; /* past the image */
  forged.segments[3].memsz = 0x2000;
  ck_assert_int_eq(OSPolicy_StageNativePayload(&forged, im.b, im.size, staging, sizeof staging),
                   OSPOLICY_ERR_OUT_OF_RANGE);
  forged = m;
  forged.segments[3].memsz = 0x2001; /* past the span */
  ck_assert_int_eq(OSPolicy_StageNativePayload(&forged, im.b, im.size, staging, sizeof staging),
                   OSPOLICY_ERR_OUT_OF_RANGE);
  forged = m;
  forged.segments[0].vaddr = 0;
  forged.span_start = 0x1000; /* segment below the span */
  ck_assert_int_eq(OSPolicy_StageNativePayload(&forged, im.b, im.size, staging, sizeof staging),
                   OSPOLICY_ERR_OVERFLOW);
  for (size_t i = 0; i < sizeof staging; i++) ck_assert_uint_eq(staging[i], 0xEE);
}
END_TEST

Suite *native_executable_suite(void);
Suite *native_executable_suite(void) {
  Suite *suite = suite_create("native_executable");
  TCase *tc = tcase_create("plan");
  tcase_add_test(tc, plans_staging_and_final_ranges);
  tcase_add_test(tc, gaps_become_readonly_and_no_relro_keeps_data_writable);
  tcase_add_test(tc, builds_page_protection_plans_for_a_load_base);
  tcase_add_test(tc, build_refuses_bad_load_bases_and_forged_ranges);
  tcase_add_test(tc, zero_plan_is_not_success);
  tcase_add_test(tc, rejects_failed_mapping_plan);
  tcase_add_test(tc, rejects_image_without_executable_segment);
  tcase_add_test(tc, rejects_entry_outside_executable_code);
  tcase_add_test(tc, rejects_forged_mapping_plans);
  tcase_add_test(tc, stage_copies_segments_and_zeroes_the_rest);
  tcase_add_test(tc, stage_refuses_before_writing);
  suite_add_tcase(suite, tc);
  return suite;
}
