/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/* Native payload mapping plans: synthetic images, one defect per test. */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "native_elf_builder.h"
#include "ospolicy/native_executable.h"
#include "ospolicy/native_payload.h"
#include "ospolicy/native_relocation.h"

#define NO_INDEX OSPOLICY_NATIVE_PAYLOAD_NO_INDEX
#define NO_OFFSET OSPOLICY_NATIVE_PAYLOAD_NO_OFFSET

/* Plans `im` and checks the plan-wide invariants every call must keep. */
static OSPolicy_Status plan_of(const ne_image *im, size_t size,
                               OSPolicy_NativePayloadMappingPlan *plan) {
  memset(plan, 0xA5, sizeof *plan);
  OSPolicy_Status status = ne_plan_size(im, size, plan);
  ck_assert_int_eq(plan->status, status);
  ck_assert_uint_eq(plan->page_size, NE_PAGE);
  ck_assert_uint_eq(plan->image_size, size);
  if (status != OSPOLICY_OK) {
    ck_assert_uint_eq(plan->segment_count, 0);
    ck_assert_uint_eq(plan->span_size, 0);
    ck_assert_uint_eq(plan->entry, 0);
  }
  return status;
}

/* Expects `status` with the error at program header `phdr` and field offset `at`. */
static void expect_error(const ne_image *im, OSPolicy_Status status, uint32_t phdr, uint64_t at) {
  OSPolicy_NativePayloadMappingPlan plan;
  ck_assert_int_eq(plan_of(im, im->size, &plan), status);
  ck_assert_uint_eq(plan.error_phdr_index, phdr);
  ck_assert_uint_eq(plan.error_offset, at);
}

START_TEST(plans_valid_image) {
  ne_image im;
  ne_build(&im);
  OSPolicy_NativePayloadMappingPlan plan;
  ck_assert_int_eq(plan_of(&im, im.size, &plan), OSPOLICY_OK);
  ck_assert_uint_eq(plan.error_phdr_index, NO_INDEX);
  ck_assert_uint_eq(plan.error_offset, NO_OFFSET);
  ck_assert_uint_eq(plan.elf_type, OSPOLICY_NATIVE_PAYLOAD_TYPE_DYN);
  ck_assert_uint_eq(plan.phdr_count, NE_PHNUM);
  ck_assert_uint_eq(plan.entry, NE_ENTRY);
  ck_assert_uint_eq(plan.span_start, 0);
  ck_assert_uint_eq(plan.span_end, 0x5000);
  ck_assert_uint_eq(plan.span_size, 0x5000);
  ck_assert_uint_eq(plan.span_pages, 5);
  ck_assert_uint_eq(plan.max_align, NE_PAGE);
  ck_assert_uint_eq(plan.segment_count, 4);
  static const uint32_t prots[4] = {OSPOLICY_PROT_READ, OSPOLICY_PROT_RX, OSPOLICY_PROT_READ,
                                    OSPOLICY_PROT_RW};
  for (uint32_t i = 0; i < 4; i++) {
    ck_assert_uint_eq(plan.segments[i].prot, prots[i]);
    ck_assert_uint_eq(plan.segments[i].phdr_index, i);
    ck_assert_uint_eq(plan.segments[i].page_start, 0x1000u * i);
  }
  ck_assert_uint_eq(plan.segments[3].page_end, 0x5000);
  ck_assert_uint_eq(plan.segments[3].filesz, 0x1100);
  ck_assert_uint_eq(plan.segments[3].memsz, 0x1800);
  ck_assert_uint_eq(plan.dynamic_phdr_index, 4);
  ck_assert_uint_eq(plan.dynamic_offset, NE_DYN_OFF);
  ck_assert_uint_eq(plan.dynamic_size, 16u * NE_DYN_SLOTS);
  ck_assert_uint_eq(plan.relro_phdr_index, 6);
  ck_assert_uint_eq(plan.relro_vaddr, 0x3000);
  ck_assert_uint_eq(plan.relro_size, 0x1000);
}
END_TEST

START_TEST(plans_et_exec_at_its_link_address_and_sorts_segments) {
  ne_image im;
  ne_build(&im);
  ne_header(&im, 2, 0x401000, 3);
  /* Program headers out of vaddr order: the plan lists segments by address. */
  ne_set_phdr(&im, 0, ne_load(NE_PF_R | NE_PF_W, 0x3000, 0x403000, 0x100, 0x100));
  ne_set_phdr(&im, 1, ne_load(NE_PF_R, 0x0000, 0x400000, 0x300, 0x300));
  ne_set_phdr(&im, 2, ne_load(NE_PF_R | NE_PF_X, 0x1000, 0x401000, 0x100, 0x100));
  OSPolicy_NativePayloadMappingPlan plan;
  ck_assert_int_eq(plan_of(&im, im.size, &plan), OSPOLICY_OK);
  ck_assert_uint_eq(plan.elf_type, OSPOLICY_NATIVE_PAYLOAD_TYPE_EXEC);
  ck_assert_uint_eq(plan.segment_count, 3);
  ck_assert_uint_eq(plan.segments[0].phdr_index, 1);
  ck_assert_uint_eq(plan.segments[1].phdr_index, 2);
  ck_assert_uint_eq(plan.segments[2].phdr_index, 0);
  ck_assert_uint_eq(plan.span_start, 0x400000);
  ck_assert_uint_eq(plan.span_end, 0x404000);
  ck_assert_uint_eq(plan.span_pages, 4);
  ck_assert_uint_eq(plan.dynamic_phdr_index, NO_INDEX);
  ck_assert_uint_eq(plan.relro_phdr_index, NO_INDEX);
}
END_TEST

START_TEST(zero_plan_is_not_success_and_consumers_refuse_it) {
  OSPolicy_NativePayloadMappingPlan zero;
  memset(&zero, 0, sizeof zero);
  ck_assert_int_ne(zero.status, OSPOLICY_OK);
  OSPolicy_NativeExecutableMemoryPlan exec;
  ck_assert_int_eq(OSPolicy_PlanNativeExecutableMemory(&zero, &exec), OSPOLICY_ERR_PLAN_NOT_OK);
  ck_assert_int_eq(exec.status, OSPOLICY_ERR_PLAN_NOT_OK);
  unsigned char image[64] = {0};
  unsigned char staging[64];
  ck_assert_int_eq(OSPolicy_StageNativePayload(&zero, image, sizeof image, staging, sizeof staging),
                   OSPOLICY_ERR_PLAN_NOT_OK);
  OSPolicy_NativeRelocationRequest rq = {.mapping = &zero, .image = image, .image_size = 64,
                                         .staging = staging, .staging_size = 64,
                                         .load_base = 0x10000};
  OSPolicy_NativeRelocationResult result;
  ck_assert_int_eq(OSPolicy_ApplyNativeRelocations(&rq, &result), OSPOLICY_ERR_PLAN_NOT_OK);

  /* A failed plan is refused the same way. */
  ne_image im;
  ne_build(&im);
  im.b[1] = 'X';
  OSPolicy_NativePayloadMappingPlan failed;
  ck_assert_int_eq(ne_plan(&im, &failed), OSPOLICY_ERR_ELF_BAD_MAGIC);
  ck_assert_int_eq(OSPolicy_PlanNativeExecutableMemory(&failed, &exec), OSPOLICY_ERR_PLAN_NOT_OK);
}
END_TEST

START_TEST(null_arguments_and_bad_page_size) {
  ne_image im;
  ne_build(&im);
  OSPolicy_NativePayloadMappingPlan plan;
  ck_assert_int_eq(OSPolicy_PlanNativePayloadMapping(NULL, NULL), OSPOLICY_ERR_NULL_ARGUMENT);
  ck_assert_int_eq(OSPolicy_PlanNativePayloadMapping(NULL, &plan), OSPOLICY_ERR_NULL_ARGUMENT);
  ck_assert_int_eq(plan.status, OSPOLICY_ERR_NULL_ARGUMENT);
  OSPolicy_NativePayloadRequest r = {.image = NULL, .image_size = 10, .page_size = NE_PAGE};
  ck_assert_int_eq(OSPolicy_PlanNativePayloadMapping(&r, &plan), OSPOLICY_ERR_NULL_ARGUMENT);
  r = (OSPolicy_NativePayloadRequest){.image = im.b, .image_size = im.size, .page_size = 3000};
  ck_assert_int_eq(OSPolicy_PlanNativePayloadMapping(&r, &plan), OSPOLICY_ERR_BAD_PAGE_SIZE);
  r.page_size = 2048;
  ck_assert_int_eq(OSPolicy_PlanNativePayloadMapping(&r, &plan), OSPOLICY_ERR_BAD_PAGE_SIZE);
  ck_assert_int_eq(plan.status, OSPOLICY_ERR_BAD_PAGE_SIZE);
}
END_TEST

START_TEST(rejects_truncated_header_and_bad_magic) {
  ne_image im;
  ne_build(&im);
  OSPolicy_NativePayloadMappingPlan plan;
  ck_assert_int_eq(plan_of(&im, 0, &plan), OSPOLICY_ERR_ELF_TRUNCATED);
  ck_assert_uint_eq(plan.error_offset, 0);
  ck_assert_int_eq(plan_of(&im, 63, &plan), OSPOLICY_ERR_ELF_TRUNCATED);
  ck_assert_uint_eq(plan.error_offset, 63);
  im.b[2] = 'l';
  ck_assert_int_eq(plan_of(&im, 3, &plan), OSPOLICY_ERR_ELF_BAD_MAGIC); /* on the bytes present */
  ck_assert_uint_eq(plan.error_offset, 2);
  expect_error(&im, OSPOLICY_ERR_ELF_BAD_MAGIC, NO_INDEX, 2);
}
END_TEST

START_TEST(rejects_wrong_class_endianness_version) {
  ne_image im;
  ne_build(&im);
  im.b[4] = 1; /* ELFCLASS32 */
  expect_error(&im, OSPOLICY_ERR_ELF_UNSUPPORTED_CLASS, NO_INDEX, 4);
  ne_build(&im);
  im.b[5] = 2; /* big endian */
  expect_error(&im, OSPOLICY_ERR_ELF_UNSUPPORTED_CLASS, NO_INDEX, 5);
  ne_build(&im);
  im.b[6] = 0;
  expect_error(&im, OSPOLICY_ERR_ELF_UNSUPPORTED_CLASS, NO_INDEX, 6);
  ne_build(&im);
  ne_put32(&im, 20, 2); /* e_version */
  expect_error(&im, OSPOLICY_ERR_ELF_UNSUPPORTED_CLASS, NO_INDEX, 20);
  ne_build(&im);
  im.b[7] = 9; /* FreeBSD OS ABI */
  expect_error(&im, OSPOLICY_ERR_ELF_BAD_HEADER, NO_INDEX, 7);
  ne_build(&im);
  im.b[7] = 3; /* GNU/Linux is accepted */
  OSPolicy_NativePayloadMappingPlan plan;
  ck_assert_int_eq(plan_of(&im, im.size, &plan), OSPOLICY_OK);
}
END_TEST

START_TEST(rejects_wrong_machine_and_type) {
  ne_image im;
  ne_build(&im);
  ne_put16(&im, 18, 3); /* EM_386 */
  expect_error(&im, OSPOLICY_ERR_ELF_UNSUPPORTED_MACHINE, NO_INDEX, 18);
  ne_build(&im);
  ne_put16(&im, 18, 183); /* EM_AARCH64 */
  expect_error(&im, OSPOLICY_ERR_ELF_UNSUPPORTED_MACHINE, NO_INDEX, 18);
  static const uint16_t bad_types[] = {0, 1, 4, 0xfe00};
  for (size_t i = 0; i < sizeof bad_types / sizeof bad_types[0]; i++) {
    ne_build(&im);
    ne_put16(&im, 16, bad_types[i]);
    expect_error(&im, OSPOLICY_ERR_ELF_UNSUPPORTED_TYPE, NO_INDEX, 16);
  }
}
END_TEST

START_TEST(rejects_inconsistent_header_fields) {
  ne_image im;
  ne_build(&im);
  ne_put32(&im, 48, 1); /* e_flags */
  expect_error(&im, OSPOLICY_ERR_ELF_BAD_HEADER, NO_INDEX, 48);
  ne_build(&im);
  ne_put16(&im, 52, 52); /* e_ehsize of ELF32 */
  expect_error(&im, OSPOLICY_ERR_ELF_BAD_HEADER, NO_INDEX, 52);
  ne_build(&im);
  ne_put16(&im, 54, 32); /* e_phentsize of ELF32 */
  expect_error(&im, OSPOLICY_ERR_ELF_BAD_HEADER, NO_INDEX, 54);
  ne_build(&im);
  ne_put16(&im, 54, 64); /* larger entries are not accepted either */
  expect_error(&im, OSPOLICY_ERR_ELF_BAD_HEADER, NO_INDEX, 54);
  ne_build(&im);
  ne_put16(&im, 56, 0xffff); /* PN_XNUM */
  expect_error(&im, OSPOLICY_ERR_ELF_BAD_HEADER, NO_INDEX, 56);
  ne_build(&im);
  ne_put64(&im, 32, 0); /* program headers over the ELF header */
  expect_error(&im, OSPOLICY_ERR_ELF_BAD_HEADER, NO_INDEX, 32);
  ne_build(&im);
  ne_put64(&im, 32, 63);
  expect_error(&im, OSPOLICY_ERR_ELF_BAD_HEADER, NO_INDEX, 32);
}
END_TEST

START_TEST(rejects_program_header_table_outside_image) {
  ne_image im;
  ne_build(&im);
  ne_put64(&im, 32, NE_SIZE - 56u * NE_PHNUM + 1u); /* last entry one byte short */
  expect_error(&im, OSPOLICY_ERR_ELF_TRUNCATED, NO_INDEX, 32);
  ne_build(&im);
  ne_put64(&im, 32, UINT64_MAX - 100u); /* e_phoff + table wraps */
  expect_error(&im, OSPOLICY_ERR_OVERFLOW, NO_INDEX, 32);
  ne_build(&im);
  ne_put16(&im, 56, 0x2000); /* more headers than the image holds */
  expect_error(&im, OSPOLICY_ERR_ELF_TRUNCATED, NO_INDEX, 32);
  ne_build(&im);
  ne_put16(&im, 56, 0);
  expect_error(&im, OSPOLICY_ERR_ELF_NO_LOAD_SEGMENTS, NO_INDEX, 56);
}
END_TEST

START_TEST(rejects_section_header_fields_outside_image) {
  ne_image im;
  ne_build(&im);
  ne_put64(&im, 40, NE_SIZE - 64u); /* one section header fits */
  ne_put16(&im, 60, 1);
  OSPolicy_NativePayloadMappingPlan plan;
  ck_assert_int_eq(plan_of(&im, im.size, &plan), OSPOLICY_OK);
  ne_put16(&im, 60, 2); /* the second does not */
  expect_error(&im, OSPOLICY_ERR_ELF_TRUNCATED, NO_INDEX, 40);
  ne_put64(&im, 40, UINT64_MAX - 8u);
  expect_error(&im, OSPOLICY_ERR_OVERFLOW, NO_INDEX, 40);
  ne_put64(&im, 40, 32); /* inside the ELF header */
  expect_error(&im, OSPOLICY_ERR_ELF_BAD_HEADER, NO_INDEX, 40);
  ne_put64(&im, 40, NE_SIZE - 128u);
  ne_put16(&im, 58, 40); /* e_shentsize */
  expect_error(&im, OSPOLICY_ERR_ELF_BAD_HEADER, NO_INDEX, 58);
  ne_put16(&im, 58, 64);
  ne_put16(&im, 62, 2); /* e_shstrndx >= e_shnum */
  expect_error(&im, OSPOLICY_ERR_ELF_BAD_HEADER, NO_INDEX, 62);
  ne_build(&im);
  ne_put16(&im, 60, 3); /* sections counted, but no table */
  expect_error(&im, OSPOLICY_ERR_ELF_BAD_HEADER, NO_INDEX, 60);
  ne_build(&im);
  ne_put16(&im, 62, 1);
  expect_error(&im, OSPOLICY_ERR_ELF_BAD_HEADER, NO_INDEX, 62);
}
END_TEST

START_TEST(rejects_segment_beyond_file) {
  ne_image im;
  ne_build(&im);
  ne_set_phdr(&im, 3, ne_load(NE_PF_R | NE_PF_W, 0x3000, 0x3000, 0x1101, 0x1800));
  expect_error(&im, OSPOLICY_ERR_ELF_SEGMENT_BEYOND_FILE, 3, ne_phdr_at(3) + 8);
  ne_build(&im);
  ne_set_phdr(&im, 2, ne_load(NE_PF_R, 0x5000, 0x2000 + 0x3000, 0x10, 0x10));
  expect_error(&im, OSPOLICY_ERR_ELF_SEGMENT_BEYOND_FILE, 2, ne_phdr_at(2) + 8);
  /* Non-load headers are bounds-checked too. */
  ne_build(&im);
  ne_set_phdr(&im, 4, (ne_phdr){NE_PT_NOTE, NE_PF_R, NE_SIZE - 4u, 0, 8, 8, 4});
  expect_error(&im, OSPOLICY_ERR_ELF_SEGMENT_BEYOND_FILE, 4, ne_phdr_at(4) + 8);
}
END_TEST

START_TEST(rejects_file_range_overflow) {
  ne_image im;
  ne_build(&im);
  ne_set_phdr(&im, 2, ne_load(NE_PF_R, UINT64_MAX - 0xfffu, 0x2000 - 0x1000, 0x2000, 0x2000));
  expect_error(&im, OSPOLICY_ERR_OVERFLOW, 2, ne_phdr_at(2) + 8);
}
END_TEST

START_TEST(rejects_filesz_above_memsz_and_empty_segment) {
  ne_image im;
  ne_build(&im);
  ne_set_phdr(&im, 2, ne_load(NE_PF_R, 0x2000, 0x2000, 0x80, 0x40));
  expect_error(&im, OSPOLICY_ERR_ELF_BAD_SEGMENT, 2, ne_phdr_at(2) + 32);
  ne_build(&im);
  ne_set_phdr(&im, 2, ne_load(NE_PF_R, 0x2000, 0x2000, 0, 0));
  expect_error(&im, OSPOLICY_ERR_ELF_BAD_SEGMENT, 2, ne_phdr_at(2) + 40);
  ne_build(&im);
  ne_set_phdr(&im, 2, ne_load(NE_PF_R | 0x00100000u, 0x2000, 0x2000, 0x80, 0x80)); /* PF_MASKOS bit */
  expect_error(&im, OSPOLICY_ERR_ELF_BAD_SEGMENT, 2, ne_phdr_at(2) + 4);
}
END_TEST

START_TEST(rejects_rwx_segment) {
  ne_image im;
  ne_build(&im);
  ne_set_phdr(&im, 3, ne_load(NE_PF_R | NE_PF_W | NE_PF_X, 0x3000, 0x3000, 0x1100, 0x1800));
  expect_error(&im, OSPOLICY_DENIED_RWX, 3, ne_phdr_at(3) + 4);
  ne_build(&im);
  ne_set_phdr(&im, 1, ne_load(NE_PF_W | NE_PF_X, 0x1000, 0x1000, 0x100, 0x100)); /* WX without R */
  expect_error(&im, OSPOLICY_DENIED_RWX, 1, ne_phdr_at(1) + 4);
}
END_TEST

START_TEST(rejects_executable_stack_request) {
  ne_image im;
  ne_build(&im);
  ne_set_phdr(&im, 5, (ne_phdr){NE_PT_GNU_STACK, NE_PF_R | NE_PF_W | NE_PF_X, 0, 0, 0, 0, 16});
  expect_error(&im, OSPOLICY_DENIED_RWX, 5, ne_phdr_at(5) + 4);
}
END_TEST

START_TEST(rejects_misaligned_segments) {
  ne_image im;
  ne_build(&im);
  ne_set_phdr(&im, 2, ne_load(NE_PF_R, 0x2010, 0x2000, 0x60, 0x60)); /* vaddr != offset mod page */
  expect_error(&im, OSPOLICY_ERR_ELF_SEGMENT_MISALIGNED, 2, ne_phdr_at(2) + 16);
  static const uint64_t bad_align[] = {0, 1, 16, 0x800, 0x1800, 0x3000};
  for (size_t i = 0; i < sizeof bad_align / sizeof bad_align[0]; i++) {
    ne_build(&im);
    ne_phdr p = ne_load(NE_PF_R, 0x2000, 0x2000, 0x80, 0x80);
    p.align = bad_align[i];
    ne_set_phdr(&im, 2, p);
    expect_error(&im, OSPOLICY_ERR_ELF_SEGMENT_MISALIGNED, 2, ne_phdr_at(2) + 48);
  }
  /* A larger p_align is fine, but then vaddr and offset must agree modulo it. */
  ne_build(&im);
  ne_phdr p = ne_load(NE_PF_R, 0x2000, 0x2000, 0x80, 0x80);
  p.align = 0x200000;
  ne_set_phdr(&im, 2, p);
  OSPolicy_NativePayloadMappingPlan plan;
  ck_assert_int_eq(plan_of(&im, im.size, &plan), OSPOLICY_OK);
  ck_assert_uint_eq(plan.max_align, 0x200000);
  p.vaddr = 0x202000 + 0x1000; /* congruent mod 4 KiB, not mod 2 MiB */
  ne_set_phdr(&im, 2, p);
  expect_error(&im, OSPOLICY_ERR_ELF_SEGMENT_MISALIGNED, 2, ne_phdr_at(2) + 16);
}
END_TEST

START_TEST(rejects_address_overflow) {
  ne_image im;
  ne_build(&im);
  /* vaddr + memsz wraps. */
  ne_set_phdr(&im, 3, ne_load(NE_PF_R | NE_PF_W, 0x3000, UINT64_MAX - 0xfffu, 0x100, 0x2000));
  expect_error(&im, OSPOLICY_ERR_OVERFLOW, 3, ne_phdr_at(3) + 40);
  /* vaddr + memsz fits, rounding it up to a page does not. */
  ne_build(&im);
  ne_set_phdr(&im, 3, ne_load(NE_PF_R | NE_PF_W, 0x3000, UINT64_MAX - 0xfffu, 0x100, 0x800));
  expect_error(&im, OSPOLICY_ERR_OVERFLOW, 3, ne_phdr_at(3) + 40);
}
END_TEST

START_TEST(rejects_overlapping_segments) {
  ne_image im;
  ne_build(&im);
  /* Segment 2 starts inside segment 1's page (no byte overlap, same page). */
  ne_set_phdr(&im, 2, ne_load(NE_PF_R, 0x1200, 0x1200, 0x80, 0x80));
  OSPolicy_NativePayloadMappingPlan plan;
  ck_assert_int_eq(plan_of(&im, im.size, &plan), OSPOLICY_ERR_ELF_SEGMENT_OVERLAP);
  ck_assert_uint_eq(plan.error_phdr_index, 2);
  ck_assert_uint_eq(plan.error_other_phdr_index, 1);
  ck_assert_uint_eq(plan.error_offset, ne_phdr_at(2) + 16);
  /* Real byte overlap, headers out of order. */
  ne_build(&im);
  ne_set_phdr(&im, 0, ne_load(NE_PF_R | NE_PF_W, 0x3000, 0x3000, 0x1100, 0x1800));
  ne_set_phdr(&im, 3, ne_load(NE_PF_R, 0x0000, 0x0000, 0x300, 0x4000));
  ck_assert_int_eq(plan_of(&im, im.size, &plan), OSPOLICY_ERR_ELF_SEGMENT_OVERLAP);
  ck_assert_uint_eq(plan.error_phdr_index, 3);
  /* 0 covers [0x3000..), 3 covers [0..0x4000); after sorting 3 meets 1 first. */
  ck_assert_uint_eq(plan.error_other_phdr_index, 1);
}
END_TEST

START_TEST(rejects_too_many_load_segments) {
  ne_image im;
  memset(&im, 0, sizeof im);
  im.size = NE_SIZE;
  ne_header(&im, 3, 0x1000, 17);
  for (unsigned i = 0; i < 17; i++) {
    uint32_t flags = i == 1 ? (NE_PF_R | NE_PF_X) : NE_PF_R;
    ne_set_phdr(&im, i, ne_load(flags, 0, 0x1000u * i, 0x100, 0x100));
  }
  expect_error(&im, OSPOLICY_ERR_ELF_TOO_MANY_SEGMENTS, 16, ne_phdr_at(16));
  ne_header(&im, 3, 0x1000, 16); /* sixteen fit */
  OSPolicy_NativePayloadMappingPlan plan;
  ck_assert_int_eq(plan_of(&im, im.size, &plan), OSPOLICY_OK);
  ck_assert_uint_eq(plan.segment_count, OSPOLICY_NATIVE_PAYLOAD_MAX_SEGMENTS);
}
END_TEST

START_TEST(rejects_image_without_load_segment) {
  ne_image im;
  ne_build(&im);
  for (unsigned i = 0; i < 4; i++) {
    ne_set_phdr(&im, i, (ne_phdr){NE_PT_NOTE, NE_PF_R, 0x100, 0, 0x10, 0x10, 4});
  }
  ne_set_phdr(&im, 6, (ne_phdr){0, 0, 0, 0, 0, 0, 0}); /* drop RELRO: nothing to hold it */
  expect_error(&im, OSPOLICY_ERR_ELF_NO_LOAD_SEGMENTS, NO_INDEX, 56);
}
END_TEST

START_TEST(rejects_interpreter_and_tls) {
  ne_image im;
  ne_build(&im);
  ne_set_phdr(&im, 5, (ne_phdr){NE_PT_INTERP, NE_PF_R, 0x300 - 28, 0x300 - 28, 28, 28, 1});
  expect_error(&im, OSPOLICY_ERR_ELF_INTERPRETER, 5, ne_phdr_at(5));
  ne_build(&im);
  ne_set_phdr(&im, 5, (ne_phdr){NE_PT_TLS, NE_PF_R, 0x3000, 0x3000, 0x10, 0x20, 8});
  expect_error(&im, OSPOLICY_ERR_ELF_UNSUPPORTED_SEGMENT, 5, ne_phdr_at(5));
  /* docs/native_payload.md row 20: PT_SHLIB (5, reserved, unspecified semantics). */
  ne_build(&im);
  ne_set_phdr(&im, 5, (ne_phdr){5 /* PT_SHLIB */, NE_PF_R, 0x3000, 0x3000, 0x10, 0x10, 1});
  expect_error(&im, OSPOLICY_ERR_ELF_UNSUPPORTED_SEGMENT, 5, ne_phdr_at(5));
}
END_TEST

START_TEST(rejects_duplicate_dynamic_and_misplaced_relro) {
  ne_image im;
  ne_build(&im);
  ne_set_phdr(&im, 5, (ne_phdr){NE_PT_DYNAMIC, NE_PF_R, NE_DYN_OFF, NE_DYN_OFF, 0x60, 0x60, 8});
  OSPolicy_NativePayloadMappingPlan plan;
  ck_assert_int_eq(plan_of(&im, im.size, &plan), OSPOLICY_ERR_ELF_BAD_SEGMENT);
  ck_assert_uint_eq(plan.error_phdr_index, 5);
  ck_assert_uint_eq(plan.error_other_phdr_index, 4);
  ne_build(&im);
  ne_set_phdr(&im, 6, (ne_phdr){NE_PT_GNU_RELRO, NE_PF_R, 0x2000, 0x2000, 0x80, 0x80, 1});
  expect_error(&im, OSPOLICY_ERR_ELF_BAD_SEGMENT, 6, ne_phdr_at(6) + 16); /* read-only segment */
  ne_build(&im);
  ne_set_phdr(&im, 6, (ne_phdr){NE_PT_GNU_RELRO, NE_PF_R, 0x3000, 0x3000, 0x1000, 0x2000, 1});
  expect_error(&im, OSPOLICY_ERR_ELF_BAD_SEGMENT, 6, ne_phdr_at(6) + 16); /* past its end */
  ne_build(&im);
  ne_set_phdr(&im, 5, (ne_phdr){NE_PT_GNU_RELRO, NE_PF_R, 0x3000, 0x3000, 0x10, 0x10, 1});
  ck_assert_int_eq(plan_of(&im, im.size, &plan), OSPOLICY_ERR_ELF_BAD_SEGMENT);
  ck_assert_uint_eq(plan.error_phdr_index, 6);
  ck_assert_uint_eq(plan.error_other_phdr_index, 5);
  /* docs/native_payload.md row 23: PT_GNU_RELRO p_vaddr + p_memsz wraps (its
   * file range is fine, so row 18 passes). */
  ne_build(&im);
  ne_set_phdr(&im, 6, (ne_phdr){NE_PT_GNU_RELRO, NE_PF_R, 0x3000, UINT64_MAX - 0xfffu, 0x10,
                                0x1000, 1});
  expect_error(&im, OSPOLICY_ERR_OVERFLOW, 6, ne_phdr_at(6) + 40);
  /* One byte less does not wrap, and is then refused as misplaced (row 33). */
  ne_build(&im);
  ne_set_phdr(&im, 6, (ne_phdr){NE_PT_GNU_RELRO, NE_PF_R, 0x3000, UINT64_MAX - 0xfffu, 0x10,
                                0xfff, 1});
  expect_error(&im, OSPOLICY_ERR_ELF_BAD_SEGMENT, 6, ne_phdr_at(6) + 16);
}
END_TEST

/* Property: every prefix of a valid image is planned without a crash, the
 * plan always matches the return value, and nothing shorter than the whole
 * image (the last segment ends at its last byte) is accepted. */
START_TEST(truncation_at_every_length_never_succeeds_early) {
  ne_image im;
  ne_build(&im);
  OSPolicy_NativePayloadMappingPlan plan;
  for (size_t len = 0; len < im.size; len++) {
    /* A heap copy of exactly len bytes: ASan reports any read past it. */
    unsigned char *copy = malloc(len == 0 ? 1 : len);
    ck_assert_ptr_nonnull(copy);
    memcpy(copy, im.b, len);
    OSPolicy_NativePayloadRequest r = {.image = copy, .image_size = len, .page_size = NE_PAGE};
    OSPolicy_Status status = OSPolicy_PlanNativePayloadMapping(&r, &plan);
    ck_assert_int_eq(plan.status, status);
    ck_assert_int_ne(status, OSPOLICY_OK);
    ck_assert(status == OSPOLICY_ERR_ELF_TRUNCATED ||
              status == OSPOLICY_ERR_ELF_SEGMENT_BEYOND_FILE);
    free(copy);
  }
  ck_assert_int_eq(plan_of(&im, im.size, &plan), OSPOLICY_OK);
}
END_TEST

/* Property: flipping any single byte of the headers never crashes the
 * planners, and whatever is accepted keeps W^X and stays inside its span. */
START_TEST(single_byte_corruptions_keep_invariants) {
  static const unsigned char values[] = {0x00, 0x01, 0x07, 0x10, 0x7f, 0x80, 0xff};
  ne_image im;
  OSPolicy_NativePayloadMappingPlan plan;
  OSPolicy_NativeExecutableMemoryPlan exec;
  for (size_t at = 0; at < ne_phdr_at(NE_PHNUM); at++) {
    for (size_t v = 0; v < sizeof values; v++) {
      ne_build(&im);
      im.b[at] = values[v];
      if (ne_plan(&im, &plan) != OSPOLICY_OK) {
        ck_assert_int_ne(plan.status, OSPOLICY_OK);
        continue;
      }
      ck_assert_uint_ge(plan.segment_count, 1);
      for (uint32_t k = 0; k < plan.segment_count; k++) {
        const OSPolicy_NativePayloadSegment *s = &plan.segments[k];
        ck_assert(!((s->prot & OSPOLICY_PROT_WRITE) && (s->prot & OSPOLICY_PROT_EXEC)));
        ck_assert_uint_ge(s->page_start, plan.span_start);
        ck_assert_uint_le(s->page_end, plan.span_end);
        ck_assert_uint_le(s->file_offset + s->filesz, im.size);
      }
      if (OSPolicy_PlanNativeExecutableMemory(&plan, &exec) == OSPOLICY_OK) {
        for (uint32_t r = 0; r < exec.range_count; r++) {
          ck_assert_uint_ne(exec.ranges[r].final_prot, OSPOLICY_PROT_ALL);
          ck_assert_uint_le(exec.ranges[r].offset + exec.ranges[r].size, exec.span_size);
        }
      }
    }
  }
}
END_TEST

Suite *native_payload_suite(void);
Suite *native_payload_suite(void) {
  Suite *suite = suite_create("native_payload");
  TCase *tc = tcase_create("mapping_plan");
  tcase_add_test(tc, plans_valid_image);
  tcase_add_test(tc, plans_et_exec_at_its_link_address_and_sorts_segments);
  tcase_add_test(tc, zero_plan_is_not_success_and_consumers_refuse_it);
  tcase_add_test(tc, null_arguments_and_bad_page_size);
  tcase_add_test(tc, rejects_truncated_header_and_bad_magic);
  tcase_add_test(tc, rejects_wrong_class_endianness_version);
  tcase_add_test(tc, rejects_wrong_machine_and_type);
  tcase_add_test(tc, rejects_inconsistent_header_fields);
  tcase_add_test(tc, rejects_program_header_table_outside_image);
  tcase_add_test(tc, rejects_section_header_fields_outside_image);
  tcase_add_test(tc, rejects_segment_beyond_file);
  tcase_add_test(tc, rejects_file_range_overflow);
  tcase_add_test(tc, rejects_filesz_above_memsz_and_empty_segment);
  tcase_add_test(tc, rejects_rwx_segment);
  tcase_add_test(tc, rejects_executable_stack_request);
  tcase_add_test(tc, rejects_misaligned_segments);
  tcase_add_test(tc, rejects_address_overflow);
  tcase_add_test(tc, rejects_overlapping_segments);
  tcase_add_test(tc, rejects_too_many_load_segments);
  tcase_add_test(tc, rejects_image_without_load_segment);
  tcase_add_test(tc, rejects_interpreter_and_tls);
  tcase_add_test(tc, rejects_duplicate_dynamic_and_misplaced_relro);
  tcase_add_test(tc, truncation_at_every_length_never_succeeds_early);
  tcase_add_test(tc, single_byte_corruptions_keep_invariants);
  suite_add_tcase(suite, tc);
  return suite;
}
