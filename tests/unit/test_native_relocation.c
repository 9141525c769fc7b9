/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/* R_X86_64_RELATIVE relocation of a staged copy (synthetic images). */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "native_elf_builder.h"
#include "ospolicy/native_executable.h"
#include "ospolicy/native_relocation.h"

#define NO_INDEX OSPOLICY_NATIVE_PAYLOAD_NO_INDEX
#define NO_OFFSET OSPOLICY_NATIVE_PAYLOAD_NO_OFFSET

enum { SPAN = 0x5000 };
static const uintptr_t BASE = 0x7f1234560000u;

typedef struct fixture {
  ne_image im;
  OSPolicy_NativePayloadMappingPlan mapping;
  unsigned char staging[SPAN];
  unsigned char before[SPAN];
} fixture;

static fixture fx;

/* Plans and stages fx.im; the staged copy is remembered in fx.before. */
static void prepare(void) {
  ck_assert_int_eq(ne_plan(&fx.im, &fx.mapping), OSPOLICY_OK);
  ck_assert_int_eq(OSPolicy_StageNativePayload(&fx.mapping, fx.im.b, fx.im.size, fx.staging,
                                               sizeof fx.staging),
                   OSPOLICY_OK);
  memcpy(fx.before, fx.staging, sizeof fx.before);
}

static OSPolicy_NativeRelocationRequest request_for(uintptr_t base) {
  return (OSPolicy_NativeRelocationRequest){.mapping = &fx.mapping, .image = fx.im.b,
                                            .image_size = fx.im.size, .staging = fx.staging,
                                            .staging_size = sizeof fx.staging, .load_base = base};
}

/* Applies with BASE and checks the result's invariants; a refusal must leave
 * the staging copy untouched. */
static OSPolicy_Status relocate(OSPolicy_NativeRelocationResult *result) {
  OSPolicy_NativeRelocationRequest rq = request_for(BASE);
  memset(result, 0xA5, sizeof *result);
  OSPolicy_Status status = OSPolicy_ApplyNativeRelocations(&rq, result);
  ck_assert_int_eq(result->status, status);
  if (status != OSPOLICY_OK) {
    ck_assert_uint_eq(result->applied, 0);
    ck_assert_int_eq(memcmp(fx.staging, fx.before, sizeof fx.before), 0);
  }
  return status;
}

static void expect_refusal(OSPolicy_Status status, uint32_t index, uint64_t offset) {
  prepare();
  OSPolicy_NativeRelocationResult result;
  ck_assert_int_eq(relocate(&result), status);
  ck_assert_uint_eq(result.error_entry_index, index);
  ck_assert_uint_eq(result.error_offset, offset);
}

static void setup(void) {
  ne_build(&fx.im);
}

START_TEST(applies_relative_relocations) {
  prepare();
  OSPolicy_NativeRelocationResult result;
  ck_assert_int_eq(relocate(&result), OSPOLICY_OK);
  ck_assert_uint_eq(result.relocation_count, 3);
  ck_assert_uint_eq(result.applied, 2);
  ck_assert_uint_eq(result.skipped, 1);
  ck_assert_uint_eq(result.error_entry_index, NO_INDEX);
  ck_assert_uint_eq(ne_get64(fx.staging + 0x3008), BASE + 0x1010);
  ck_assert_uint_eq(ne_get64(fx.staging + 0x4000), BASE + 0x2000);
  /* Nothing else changed. */
  memcpy(fx.staging + 0x3008, fx.before + 0x3008, 8);
  memcpy(fx.staging + 0x4000, fx.before + 0x4000, 8);
  ck_assert_int_eq(memcmp(fx.staging, fx.before, SPAN), 0);
}
END_TEST

START_TEST(link_base_is_subtracted_for_images_not_linked_at_zero) {
  /* The same image linked at 0x200000 (ET_DYN with a non-zero first vaddr). */
  const uint64_t link = 0x200000;
  for (unsigned i = 0; i < 4; i++) {
    size_t at = ne_phdr_at(i) + 16;
    ne_put64(&fx.im, at, ne_get64(fx.im.b + at) + link);
  }
  ne_put64(&fx.im, ne_phdr_at(4) + 16, NE_DYN_OFF + link);
  ne_put64(&fx.im, ne_phdr_at(6) + 16, 0x3000 + link);
  ne_put64(&fx.im, 24, NE_ENTRY + link);
  ne_set_rela(&fx.im, 0, 0x3008 + link, NE_R_RELATIVE, 0x1010 + link);
  ne_set_rela(&fx.im, 1, 0x4000 + link, NE_R_RELATIVE, 0x2000 + link);
  ne_set_dyn(&fx.im, 0, NE_DT_RELA, NE_RELA_OFF + link);
  prepare();
  ck_assert_uint_eq(fx.mapping.span_start, link);
  OSPolicy_NativeRelocationResult result;
  ck_assert_int_eq(relocate(&result), OSPOLICY_OK);
  ck_assert_uint_eq(ne_get64(fx.staging + 0x3008), BASE + 0x1010);
  ck_assert_uint_eq(ne_get64(fx.staging + 0x4000), BASE + 0x2000);
}
END_TEST

START_TEST(no_dynamic_or_no_rela_means_nothing_to_do) {
  ne_set_phdr(&fx.im, 4, (ne_phdr){NE_PT_NOTE, NE_PF_R, NE_DYN_OFF, NE_DYN_OFF, 0x10, 0x10, 4});
  prepare();
  OSPolicy_NativeRelocationResult result;
  ck_assert_int_eq(relocate(&result), OSPOLICY_OK);
  ck_assert_uint_eq(result.relocation_count, 0);
  ck_assert_int_eq(memcmp(fx.staging, fx.before, SPAN), 0);
  ne_build(&fx.im);
  ne_set_dyn(&fx.im, 0, NE_DT_NULL, 0);
  prepare();
  ck_assert_int_eq(relocate(&result), OSPOLICY_OK);
  ck_assert_uint_eq(result.relocation_count, 0);
}
END_TEST

START_TEST(et_exec_relocates_only_at_its_link_address) {
  ne_put16(&fx.im, 16, 2);
  prepare();
  OSPolicy_NativeRelocationResult result;
  ck_assert_int_eq(relocate(&result), OSPOLICY_ERR_INVALID_ARGUMENT);
  OSPolicy_NativeRelocationRequest rq = request_for(0);
  ck_assert_int_eq(OSPolicy_ApplyNativeRelocations(&rq, &result), OSPOLICY_OK);
  ck_assert_uint_eq(ne_get64(fx.staging + 0x3008), 0x1010);
}
END_TEST

START_TEST(rejects_unsupported_relocation_types) {
  ne_set_rela(&fx.im, 1, 0x4000, NE_R_64, 0x2000); /* R_X86_64_64 needs a symbol */
  expect_refusal(OSPOLICY_ERR_ELF_BAD_RELOCATION, 1, ne_rela_at(1) + 8);
  ne_build(&fx.im);
  ne_set_rela(&fx.im, 1, 0x4000, ((uint64_t)1 << 32) | NE_R_RELATIVE, 0x2000); /* with a symbol */
  expect_refusal(OSPOLICY_ERR_ELF_BAD_RELOCATION, 1, ne_rela_at(1) + 8);
  ne_build(&fx.im);
  ne_set_rela(&fx.im, 2, 0x3010, 37 /* R_X86_64_IRELATIVE */, 0x1000);
  expect_refusal(OSPOLICY_ERR_ELF_BAD_RELOCATION, 2, ne_rela_at(2) + 8);
}
END_TEST

START_TEST(rejects_targets_outside_writable_segments) {
  ne_set_rela(&fx.im, 1, 0x1008, NE_R_RELATIVE, 0x2000); /* into text */
  expect_refusal(OSPOLICY_ERR_ELF_BAD_RELOCATION, 1, ne_rela_at(1));
  ne_build(&fx.im);
  ne_set_rela(&fx.im, 1, 0x2008, NE_R_RELATIVE, 0x2000); /* into read-only data */
  expect_refusal(OSPOLICY_ERR_ELF_BAD_RELOCATION, 1, ne_rela_at(1));
  ne_build(&fx.im);
  ne_set_rela(&fx.im, 1, 0x9000, NE_R_RELATIVE, 0x2000); /* outside every segment */
  expect_refusal(OSPOLICY_ERR_ELF_BAD_RELOCATION, 1, ne_rela_at(1));
  ne_build(&fx.im);
  ne_set_rela(&fx.im, 1, 0x3000 + 0x1800 - 4, NE_R_RELATIVE, 0x2000); /* straddles the end */
  expect_refusal(OSPOLICY_ERR_ELF_BAD_RELOCATION, 1, ne_rela_at(1));
  ne_build(&fx.im);
  ne_set_rela(&fx.im, 1, 0x4800, NE_R_RELATIVE, 0x2000); /* bss end, inside the last page */
  expect_refusal(OSPOLICY_ERR_ELF_BAD_RELOCATION, 1, ne_rela_at(1));
  ne_build(&fx.im);
  ne_set_rela(&fx.im, 1, UINT64_MAX - 3u, NE_R_RELATIVE, 0x2000);
  expect_refusal(OSPOLICY_ERR_OVERFLOW, 1, ne_rela_at(1));
  /* The last 8 bytes of the segment's memory (bss) are a valid target. */
  ne_build(&fx.im);
  ne_set_rela(&fx.im, 1, 0x3000 + 0x1800 - 8, NE_R_RELATIVE, 0x2000);
  prepare();
  OSPolicy_NativeRelocationResult result;
  ck_assert_int_eq(relocate(&result), OSPOLICY_OK);
}
END_TEST

START_TEST(rejects_values_outside_the_image) {
  ne_set_rela(&fx.im, 0, 0x3008, NE_R_RELATIVE, SPAN + 1u);
  expect_refusal(OSPOLICY_ERR_ELF_BAD_RELOCATION, 0, ne_rela_at(0) + 16);
  ne_build(&fx.im);
  ne_set_rela(&fx.im, 0, 0x3008, NE_R_RELATIVE, UINT64_MAX); /* addend -1 */
  expect_refusal(OSPOLICY_ERR_ELF_BAD_RELOCATION, 0, ne_rela_at(0) + 16);
  ne_build(&fx.im);
  ne_set_rela(&fx.im, 0, 0x3008, NE_R_RELATIVE, SPAN); /* one past the end is a valid pointer */
  prepare();
  OSPolicy_NativeRelocationResult result;
  ck_assert_int_eq(relocate(&result), OSPOLICY_OK);
  ck_assert_uint_eq(ne_get64(fx.staging + 0x3008), BASE + SPAN);
}
END_TEST

START_TEST(rejects_bad_load_base_and_buffers) {
  prepare();
  OSPolicy_NativeRelocationResult result;
  OSPolicy_NativeRelocationRequest rq = request_for(BASE + 8u);
  ck_assert_int_eq(OSPolicy_ApplyNativeRelocations(&rq, &result), OSPOLICY_ERR_UNALIGNED);
  rq = request_for(UINTPTR_MAX & ~(uintptr_t)0xfff);
  ck_assert_int_eq(OSPolicy_ApplyNativeRelocations(&rq, &result), OSPOLICY_ERR_OVERFLOW);
  rq = request_for(BASE);
  rq.staging_size = SPAN - 1;
  ck_assert_int_eq(OSPolicy_ApplyNativeRelocations(&rq, &result),
                   OSPOLICY_ERR_DESTINATION_TOO_SMALL);
  rq = request_for(BASE);
  rq.image_size = NE_SIZE - 1;
  ck_assert_int_eq(OSPolicy_ApplyNativeRelocations(&rq, &result), OSPOLICY_ERR_SOURCE_TOO_SMALL);
  rq = request_for(BASE);
  rq.staging = NULL;
  ck_assert_int_eq(OSPolicy_ApplyNativeRelocations(&rq, &result), OSPOLICY_ERR_NULL_ARGUMENT);
  ck_assert_int_eq(result.status, OSPOLICY_ERR_NULL_ARGUMENT);
  ck_assert_int_eq(OSPolicy_ApplyNativeRelocations(NULL, &result), OSPOLICY_ERR_NULL_ARGUMENT);
  ck_assert_int_eq(OSPolicy_ApplyNativeRelocations(&rq, NULL), OSPOLICY_ERR_NULL_ARGUMENT);
  ck_assert_int_eq(memcmp(fx.staging, fx.before, SPAN), 0);
}
END_TEST

START_TEST(zero_mapping_plan_is_refused) {
  prepare();
  memset(&fx.mapping, 0, sizeof fx.mapping);
  OSPolicy_NativeRelocationResult result;
  ck_assert_int_eq(relocate(&result), OSPOLICY_ERR_PLAN_NOT_OK);
  OSPolicy_NativeRelocationResult zero;
  memset(&zero, 0, sizeof zero);
  ck_assert_int_ne(zero.status, OSPOLICY_OK);
}
END_TEST

START_TEST(rejects_dynamic_tags_this_loader_does_not_do) {
  static const struct {
    uint64_t tag, value;
  } refused[] = {
      {NE_DT_NEEDED, 1},  {NE_DT_REL, 0x200},    {18 /* DT_RELSZ */, 24},
      {NE_DT_TEXTREL, 0}, {NE_DT_FLAGS, 0x4},    {NE_DT_JMPREL, 0x200},
      {NE_DT_PLTRELSZ, 24}, {NE_DT_RELR, 0x200}, {0x6ffffffa /* DT_RELCOUNT */, 1},
      {19 /* DT_RELENT */, 16}, {35 /* DT_RELRSZ */, 8}, {37 /* DT_RELRENT */, 8},
  };
  for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
    ne_build(&fx.im);
    ne_set_dyn(&fx.im, 4, refused[i].tag, refused[i].value); /* before the terminator */
    expect_refusal(OSPOLICY_ERR_ELF_BAD_DYNAMIC, 4, ne_dyn_at(4));
  }
  /* Harmless tags are ignored. */
  ne_build(&fx.im);
  ne_set_dyn(&fx.im, 4, NE_DT_FLAGS, 0x8 /* DF_BIND_NOW */);
  prepare();
  OSPolicy_NativeRelocationResult result;
  ck_assert_int_eq(relocate(&result), OSPOLICY_OK);
  ne_set_dyn(&fx.im, 4, NE_DT_PLTRELSZ, 0);
  prepare();
  ck_assert_int_eq(relocate(&result), OSPOLICY_OK);
}
END_TEST

START_TEST(rejects_malformed_dynamic_sections) {
  ne_set_dyn(&fx.im, 4, NE_DT_RELA, NE_RELA_OFF); /* DT_RELA twice */
  expect_refusal(OSPOLICY_ERR_ELF_BAD_DYNAMIC, 4, ne_dyn_at(4));
  ne_build(&fx.im);
  ne_set_dyn(&fx.im, 4, 21 /* DT_DEBUG */, 0);
  ne_set_dyn(&fx.im, 5, 21, 0); /* no DT_NULL inside PT_DYNAMIC */
  expect_refusal(OSPOLICY_ERR_ELF_BAD_DYNAMIC, NO_INDEX, NE_DYN_OFF + 16u * NE_DYN_SLOTS);
  ne_build(&fx.im);
  ne_set_dyn(&fx.im, 2, NE_DT_RELAENT, 16);
  expect_refusal(OSPOLICY_ERR_ELF_BAD_DYNAMIC, 2, ne_dyn_at(2));
  ne_build(&fx.im);
  ne_set_dyn(&fx.im, 1, NE_DT_RELASZ, 71);
  expect_refusal(OSPOLICY_ERR_ELF_BAD_DYNAMIC, 1, ne_dyn_at(1));
  ne_build(&fx.im);
  ne_set_dyn(&fx.im, 3, NE_DT_RELACOUNT, 4); /* more than the 3 entries */
  expect_refusal(OSPOLICY_ERR_ELF_BAD_DYNAMIC, 3, ne_dyn_at(3));
  ne_build(&fx.im);
  ne_set_dyn(&fx.im, 1, 21, 0); /* DT_RELA without DT_RELASZ */
  expect_refusal(OSPOLICY_ERR_ELF_BAD_DYNAMIC, 0, ne_dyn_at(0));
  ne_build(&fx.im);
  ne_set_dyn(&fx.im, 0, 21, 0); /* DT_RELASZ without DT_RELA */
  expect_refusal(OSPOLICY_ERR_ELF_BAD_DYNAMIC, 1, ne_dyn_at(1));
  ne_build(&fx.im);
  ne_set_dyn(&fx.im, 0, 21, 0);
  ne_set_dyn(&fx.im, 1, 21, 0); /* DT_RELAENT (and DT_RELACOUNT) without DT_RELA */
  expect_refusal(OSPOLICY_ERR_ELF_BAD_DYNAMIC, 2, ne_dyn_at(2));
  ne_build(&fx.im);
  ne_set_dyn(&fx.im, 0, 21, 0);
  ne_set_dyn(&fx.im, 1, 21, 0);
  ne_set_dyn(&fx.im, 2, 21, 0); /* DT_RELACOUNT alone, without DT_RELA */
  expect_refusal(OSPOLICY_ERR_ELF_BAD_DYNAMIC, 3, ne_dyn_at(3));
  ne_build(&fx.im);
  ne_set_dyn(&fx.im, 0, NE_DT_RELA, 0x4100); /* table in bss: not in the file */
  expect_refusal(OSPOLICY_ERR_ELF_BAD_DYNAMIC, 0, ne_dyn_at(0));
  ne_build(&fx.im);
  ne_set_dyn(&fx.im, 0, NE_DT_RELA, 0x300 - 48); /* runs past its segment's file bytes */
  expect_refusal(OSPOLICY_ERR_ELF_BAD_DYNAMIC, 0, ne_dyn_at(0));
  ne_build(&fx.im);
  ne_set_dyn(&fx.im, 0, NE_DT_RELA, UINT64_MAX - 8u);
  expect_refusal(OSPOLICY_ERR_OVERFLOW, 0, ne_dyn_at(0));
}
END_TEST

START_TEST(relocation_count_hint_is_optional) {
  ne_set_dyn(&fx.im, 3, 21 /* DT_DEBUG instead of DT_RELACOUNT */, 0);
  prepare();
  OSPolicy_NativeRelocationResult result;
  ck_assert_int_eq(relocate(&result), OSPOLICY_OK);
  ck_assert_uint_eq(result.applied, 2);
}
END_TEST

START_TEST(refuses_overlapping_image_and_staging) {
  /* The reviewer's case: relocating in place (this image's file layout is
   * its memory layout). Its second entry's r_offset 0x3218 is itself written
   * by its first one, so pass two would read an entry pass one never checked.
   * Refused before anything is read or written. */
  ne_set_dyn(&fx.im, 0, NE_DT_RELA, 0x3200);
  ne_set_dyn(&fx.im, 1, NE_DT_RELASZ, 48);
  ne_set_dyn(&fx.im, 3, 21, 0);
  ne_put64(&fx.im, 0x3200, 0x3218);
  ne_put64(&fx.im, 0x3208, NE_R_RELATIVE);
  ne_put64(&fx.im, 0x3210, 0x1010);
  ne_put64(&fx.im, 0x3218, 0x3008);
  ne_put64(&fx.im, 0x3220, NE_R_RELATIVE);
  ne_put64(&fx.im, 0x3228, 0x2000);
  prepare();
  static unsigned char copy[sizeof fx.im.b];
  memcpy(copy, fx.im.b, sizeof copy);
  OSPolicy_NativeRelocationRequest rq = request_for(BASE);
  rq.staging = fx.im.b;
  rq.staging_size = sizeof fx.im.b;
  OSPolicy_NativeRelocationResult result;
  memset(&result, 0xA5, sizeof result);
  ck_assert_int_eq(OSPolicy_ApplyNativeRelocations(&rq, &result), OSPOLICY_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(result.status, OSPOLICY_ERR_INVALID_ARGUMENT);
  ck_assert_uint_eq(result.applied, 0);
  ck_assert_uint_eq(result.error_entry_index, NO_INDEX);
  ck_assert_uint_eq(result.error_offset, NO_OFFSET);
  ck_assert_int_eq(memcmp(fx.im.b, copy, sizeof copy), 0);
  /* The same image into a separate staging copy is fine. */
  ck_assert_int_eq(relocate(&result), OSPOLICY_OK);
  ck_assert_uint_eq(result.applied, 2);
  ck_assert_uint_eq(ne_get64(fx.staging + 0x3218), BASE + 0x1010);

  /* One shared byte at either end is enough; adjacent buffers are fine. */
  static unsigned char arena[NE_SIZE + SPAN];
  OSPolicy_NativeRelocationRequest adj = request_for(BASE);
  adj.image_size = NE_SIZE;
  struct {
    size_t image_at, staging_at;
    OSPolicy_Status status;
  } cases[] = {
      {0, NE_SIZE, OSPOLICY_OK},                               /* image, then staging */
      {0, NE_SIZE - 1, OSPOLICY_ERR_INVALID_ARGUMENT},         /* staging starts in the image */
      {SPAN, 0, OSPOLICY_OK},                                  /* staging, then image */
      {SPAN - 1, 0, OSPOLICY_ERR_INVALID_ARGUMENT},            /* image starts in staging */
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    memset(arena, 0, sizeof arena);
    memcpy(arena + cases[i].image_at, fx.im.b, NE_SIZE);
    adj.image = arena + cases[i].image_at;
    adj.staging = arena + cases[i].staging_at;
    if (cases[i].status == OSPOLICY_OK) {
      ck_assert_int_eq(OSPolicy_StageNativePayload(&fx.mapping, adj.image, NE_SIZE, adj.staging,
                                                   SPAN),
                       OSPOLICY_OK);
    }
    static unsigned char snapshot[NE_SIZE + SPAN];
    memcpy(snapshot, arena, sizeof arena);
    ck_assert_int_eq(OSPolicy_ApplyNativeRelocations(&adj, &result), cases[i].status);
    if (cases[i].status != OSPOLICY_OK) {
      ck_assert_int_eq(memcmp(arena, snapshot, sizeof arena), 0);
    }
  }
  /* Buffers that wrap the address space cannot be compared: refused. */
  adj = request_for(BASE);
  adj.image = (const void *)(UINTPTR_MAX - 0x10u);
  ck_assert_int_eq(OSPolicy_ApplyNativeRelocations(&adj, &result), OSPOLICY_ERR_OVERFLOW);
  adj = request_for(BASE);
  adj.staging = (void *)(UINTPTR_MAX - 0x10u);
  ck_assert_int_eq(OSPolicy_ApplyNativeRelocations(&adj, &result), OSPOLICY_ERR_OVERFLOW);
}
END_TEST

Suite *native_relocation_suite(void);
Suite *native_relocation_suite(void) {
  Suite *suite = suite_create("native_relocation");
  TCase *tc = tcase_create("relative");
  tcase_add_checked_fixture(tc, setup, NULL);
  tcase_add_test(tc, applies_relative_relocations);
  tcase_add_test(tc, link_base_is_subtracted_for_images_not_linked_at_zero);
  tcase_add_test(tc, no_dynamic_or_no_rela_means_nothing_to_do);
  tcase_add_test(tc, et_exec_relocates_only_at_its_link_address);
  tcase_add_test(tc, rejects_unsupported_relocation_types);
  tcase_add_test(tc, rejects_targets_outside_writable_segments);
  tcase_add_test(tc, rejects_values_outside_the_image);
  tcase_add_test(tc, rejects_bad_load_base_and_buffers);
  tcase_add_test(tc, zero_mapping_plan_is_refused);
  tcase_add_test(tc, rejects_dynamic_tags_this_loader_does_not_do);
  tcase_add_test(tc, rejects_malformed_dynamic_sections);
  tcase_add_test(tc, relocation_count_hint_is_optional);
  tcase_add_test(tc, refuses_overlapping_image_and_staging);
  suite_add_tcase(suite, tc);
  return suite;
}
