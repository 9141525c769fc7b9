/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * Loads the real test payload (tests/payload/native_payload.c, a static-pie
 * ELF built by the project) on the Linux host, the way a native app loader
 * will: mapping plan -> executable memory plan -> staging pages from the PAL
 * -> copy -> R_X86_64_RELATIVE relocation for the allocated base -> final
 * protections through OSPolicy_PalProtectPages -> call the entry point.
 * Then proves the protections by provoking the faults in a child process,
 * and refuses malformed copies of the same image with their specific status.
 */
#include <check.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ospolicy/native_executable.h"
#include "ospolicy/native_payload.h"
#include "ospolicy/native_relocation.h"
#include "ospolicy/pal.h"

#ifndef OSPOLICY_NATIVE_PAYLOAD_PATH
#error "OSPOLICY_NATIVE_PAYLOAD_PATH must name the built test payload (cmake/OSPolicyTestsExtra.cmake)"
#endif

typedef long (*payload_entry_fn)(long);

/* What payload_entry(x) returns on its n-th call (see native_payload.c). */
static long payload_expected(long x, long call) {
  return ((x + 13) * 7 - 11) * 100 + call;
}

typedef struct image_file {
  unsigned char *bytes;
  size_t size;
} image_file;

static image_file read_payload(void) {
  FILE *file = fopen(OSPOLICY_NATIVE_PAYLOAD_PATH, "rb");
  ck_assert_msg(file != NULL, "cannot open %s", OSPOLICY_NATIVE_PAYLOAD_PATH);
  ck_assert_int_eq(fseek(file, 0, SEEK_END), 0);
  long length = ftell(file);
  ck_assert_int_gt(length, 64);
  ck_assert_int_eq(fseek(file, 0, SEEK_SET), 0);
  image_file image = {.bytes = malloc((size_t)length), .size = (size_t)length};
  ck_assert_ptr_nonnull(image.bytes);
  ck_assert_uint_eq(fread(image.bytes, 1, image.size, file), image.size);
  fclose(file);
  return image;
}

static uint64_t get_le(const unsigned char *p, unsigned width) {
  uint64_t v = 0;
  for (unsigned i = 0; i < width; i++) v |= (uint64_t)p[i] << (8u * i);
  return v;
}

static void put_le(unsigned char *p, unsigned width, uint64_t v) {
  for (unsigned i = 0; i < width; i++) p[i] = (unsigned char)(v >> (8u * i));
}

/* Byte offset of the n-th PT_LOAD program header of the image. */
static size_t load_phdr_at(const image_file *image, unsigned n, uint32_t *phdr_index) {
  uint64_t phoff = get_le(image->bytes + 32, 8);
  unsigned phnum = (unsigned)get_le(image->bytes + 56, 2);
  unsigned seen = 0;
  for (unsigned i = 0; i < phnum; i++) {
    size_t at = (size_t)phoff + 56u * i;
    if (get_le(image->bytes + at, 4) == 1u && seen++ == n) {
      *phdr_index = i;
      return at;
    }
  }
  ck_abort_msg("the payload has fewer than %u PT_LOAD segments", n + 1);
  return 0;
}

/* Permissions ("r-xp") of the mapping holding address; also reports, through
 * *rwx_seen, whether any mapping overlapping [lo, hi) is writable and
 * executable at once. Returns 0 when the address is mapped. */
static int maps_perms(uintptr_t address, uintptr_t lo, uintptr_t hi, char perms[5], int *rwx_seen) {
  FILE *maps = fopen("/proc/self/maps", "r");
  if (maps == NULL) {
    return -1;
  }
  char line[512];
  int found = -1;
  while (fgets(line, sizeof line, maps) != NULL) {
    unsigned long start, end;
    char p[5];
    if (sscanf(line, "%lx-%lx %4s", &start, &end, p) != 3) {
      continue;
    }
    if (start < hi && end > lo && p[1] == 'w' && p[2] == 'x') {
      *rwx_seen = 1;
    }
    if (address >= start && address < end) {
      memcpy(perms, p, 5);
      found = 0;
    }
  }
  fclose(maps);
  return found;
}

typedef struct loaded {
  OSPolicy_NativePayloadMappingPlan mapping;
  OSPolicy_NativeExecutableMemoryPlan exec;
  OSPolicy_NativeRelocationResult relocation;
  void *base;
} loaded;

/* The loader sequence. With relocate false the relocation step is skipped
 * (only used to show the payload then cannot work). */
static void load_payload(const image_file *image, int relocate, loaded *out) {
  size_t page = 0;
  ck_assert_int_eq(OSPolicy_PalGetPageSize(&page), OSPOLICY_OK);
  OSPolicy_NativePayloadRequest request = {.image = image->bytes, .image_size = image->size,
                                           .page_size = page};
  ck_assert_int_eq(OSPolicy_PlanNativePayloadMapping(&request, &out->mapping), OSPOLICY_OK);
  ck_assert_int_eq(OSPolicy_PlanNativeExecutableMemory(&out->mapping, &out->exec), OSPOLICY_OK);
  ck_assert_int_eq(OSPolicy_PalAllocatePages(out->exec.span_pages, &out->base), OSPOLICY_OK);
  ck_assert_int_eq(OSPolicy_StageNativePayload(&out->mapping, image->bytes, image->size, out->base,
                                               out->exec.span_size),
                   OSPOLICY_OK);
  /* staging[0] holds link address span_start, so the run-time address of
   * span_start (the load base of the relocation API) is the allocated base;
   * the bias added to each link-time address is base - span_start. */
  if (relocate) {
    OSPolicy_NativeRelocationRequest rq = {
        .mapping = &out->mapping, .image = image->bytes, .image_size = image->size,
        .staging = out->base, .staging_size = out->exec.span_size,
        .load_base = (uintptr_t)out->base};
    ck_assert_int_eq(OSPolicy_ApplyNativeRelocations(&rq, &out->relocation), OSPOLICY_OK);
  }
  OSPolicy_PageProtectionPlan plans[OSPOLICY_NATIVE_EXECUTABLE_MAX_RANGES];
  size_t count = 0;
  ck_assert_int_eq(OSPolicy_BuildNativeExecutableProtections(&out->exec, (uintptr_t)out->base,
                                                             plans, OSPOLICY_NATIVE_EXECUTABLE_MAX_RANGES,
                                                             &count),
                   OSPOLICY_OK);
  for (size_t i = 0; i < count; i++) {
    ck_assert_int_eq(OSPolicy_PalProtectPages(&plans[i]), OSPOLICY_OK);
  }
  ck_assert_int_eq(OSPolicy_PalFlushInstructionCache(out->base, out->exec.span_size), OSPOLICY_OK);
}

static void unload_payload(loaded *l) {
  ck_assert_int_eq(OSPolicy_PalFreePages(l->base, l->exec.span_pages), OSPOLICY_OK);
}

static payload_entry_fn entry_of(const loaded *l) {
  return (payload_entry_fn)((uintptr_t)l->base + (uintptr_t)l->exec.entry_offset);
}

/* Runs fn(arg) in a child and returns the signal that ended it (0 if none). */
static int signal_in_child(void (*fn)(uintptr_t), uintptr_t arg) {
  fflush(NULL);
  pid_t child = fork();
  ck_assert_int_ge(child, 0);
  if (child == 0) {
    fn(arg);
    _exit(0);
  }
  int wstatus = 0;
  ck_assert_int_eq(waitpid(child, &wstatus, 0), child);
  return WIFSIGNALED(wstatus) ? WTERMSIG(wstatus) : 0;
}

static void write_byte(uintptr_t address) {
  *(volatile unsigned char *)address = 0xCC;
}

static void call_address(uintptr_t address) {
  ((payload_entry_fn)address)(5);
}

START_TEST(payload_has_the_expected_layout) {
  image_file image = read_payload();
  size_t page = 0;
  ck_assert_int_eq(OSPolicy_PalGetPageSize(&page), OSPOLICY_OK);
  OSPolicy_NativePayloadRequest request = {.image = image.bytes, .image_size = image.size,
                                           .page_size = page};
  OSPolicy_NativePayloadMappingPlan mapping;
  ck_assert_int_eq(OSPolicy_PlanNativePayloadMapping(&request, &mapping), OSPOLICY_OK);
  ck_assert_uint_eq(mapping.elf_type, OSPOLICY_NATIVE_PAYLOAD_TYPE_DYN);
  ck_assert_uint_eq(mapping.segment_count, 4);
  ck_assert_uint_eq(mapping.segments[0].prot, OSPOLICY_PROT_READ);
  ck_assert_uint_eq(mapping.segments[1].prot, OSPOLICY_PROT_RX);
  ck_assert_uint_eq(mapping.segments[2].prot, OSPOLICY_PROT_READ);
  ck_assert_uint_eq(mapping.segments[3].prot, OSPOLICY_PROT_RW);
  ck_assert_uint_ne(mapping.dynamic_phdr_index, OSPOLICY_NATIVE_PAYLOAD_NO_INDEX);
  ck_assert_uint_ne(mapping.relro_phdr_index, OSPOLICY_NATIVE_PAYLOAD_NO_INDEX);
  free(image.bytes);
}
END_TEST

START_TEST(loads_relocates_seals_and_runs_the_payload) {
  image_file image = read_payload();
  loaded l;
  load_payload(&image, 1, &l);
  ck_assert_uint_ge(l.relocation.applied, 7); /* the payload's pointer tables */
  ck_assert_uint_eq(l.relocation.applied + l.relocation.skipped, l.relocation.relocation_count);

  /* Every final range has exactly its planned protection; nothing is RWX. */
  const uintptr_t lo = (uintptr_t)l.base;
  const uintptr_t hi = lo + (uintptr_t)l.exec.span_size;
  int rwx_seen = 0;
  int saw_text = 0, saw_relro = 0, saw_data = 0;
  for (uint32_t i = 0; i < l.exec.range_count; i++) {
    const OSPolicy_NativeExecutableRange *r = &l.exec.ranges[i];
    char perms[5];
    ck_assert_int_eq(maps_perms(lo + (uintptr_t)r->offset, lo, hi, perms, &rwx_seen), 0);
    switch (r->kind) {
      case OSPOLICY_NATIVE_RANGE_TEXT:
        ck_assert_str_eq(perms, "r-xp");
        saw_text = 1;
        break;
      case OSPOLICY_NATIVE_RANGE_DATA:
        ck_assert_str_eq(perms, "rw-p");
        saw_data = 1;
        break;
      case OSPOLICY_NATIVE_RANGE_RELRO:
        saw_relro = 1;
        ck_assert_str_eq(perms, "r--p");
        break;
      default:
        ck_assert_str_eq(perms, "r--p");
        break;
    }
  }
  ck_assert_int_eq(rwx_seen, 0);
  ck_assert(saw_text && saw_relro && saw_data);

  /* The entry point computes through the relocated pointer tables. */
  payload_entry_fn entry = entry_of(&l);
  ck_assert_int_eq(entry(5), payload_expected(5, 1));
  ck_assert_int_eq(entry(-3), payload_expected(-3, 2)); /* .data stayed writable */
  unload_payload(&l);
  free(image.bytes);
}
END_TEST

START_TEST(sealed_payload_pages_fault_on_forbidden_access) {
  image_file image = read_payload();
  loaded l;
  load_payload(&image, 1, &l);
  const uintptr_t base = (uintptr_t)l.base;
  for (uint32_t i = 0; i < l.exec.range_count; i++) {
    const OSPolicy_NativeExecutableRange *r = &l.exec.ranges[i];
    const uintptr_t at = base + (uintptr_t)r->offset;
    if (r->kind == OSPOLICY_NATIVE_RANGE_TEXT || r->kind == OSPOLICY_NATIVE_RANGE_RELRO ||
        r->kind == OSPOLICY_NATIVE_RANGE_READONLY) {
      /* Writing code after its seal, or a relocated pointer table after RELRO. */
      ck_assert_int_eq(signal_in_child(write_byte, at), SIGSEGV);
    }
    if (r->kind != OSPOLICY_NATIVE_RANGE_TEXT) {
      /* Jumping into data or read-only pages. */
      ck_assert_int_eq(signal_in_child(call_address, at), SIGSEGV);
    }
  }
  /* The parent still runs the payload after the children faulted. */
  ck_assert_int_eq(entry_of(&l)(1), payload_expected(1, 1));
  unload_payload(&l);
  free(image.bytes);
}
END_TEST

START_TEST(unrelocated_payload_cannot_work) {
  image_file image = read_payload();
  loaded l;
  load_payload(&image, 0, &l);
  /* The tables still hold link-time addresses (page 0..): calling through
   * them faults, which shows the result really depends on the relocations. */
  ck_assert_int_eq(signal_in_child(call_address, (uintptr_t)entry_of(&l)), SIGSEGV);
  unload_payload(&l);
  free(image.bytes);
}
END_TEST

static OSPolicy_Status plan_copy(const image_file *image, size_t size,
                                 OSPolicy_NativePayloadMappingPlan *mapping) {
  size_t page = 0;
  ck_assert_int_eq(OSPolicy_PalGetPageSize(&page), OSPOLICY_OK);
  OSPolicy_NativePayloadRequest request = {.image = image->bytes, .image_size = size,
                                           .page_size = page};
  return OSPolicy_PlanNativePayloadMapping(&request, mapping);
}

START_TEST(refuses_malformed_copies_of_the_payload) {
  image_file image = read_payload();
  OSPolicy_NativePayloadMappingPlan mapping;
  /* Truncated: inside the ELF header, then one byte short of the whole file. */
  ck_assert_int_eq(plan_copy(&image, 40, &mapping), OSPOLICY_ERR_ELF_TRUNCATED);
  ck_assert_int_eq(plan_copy(&image, image.size - 1, &mapping), OSPOLICY_ERR_ELF_TRUNCATED);
  uint32_t text_index = 0, rodata_index = 0;
  size_t text_at = load_phdr_at(&image, 1, &text_index);
  size_t rodata_at = load_phdr_at(&image, 2, &rodata_index);

  /* Overlap: the second read-only segment moved onto the text page. */
  image_file copy = {.bytes = malloc(image.size), .size = image.size};
  ck_assert_ptr_nonnull(copy.bytes);
  memcpy(copy.bytes, image.bytes, image.size);
  uint64_t text_vaddr = get_le(copy.bytes + text_at + 16, 8);
  uint64_t rodata_offset = get_le(copy.bytes + rodata_at + 8, 8);
  put_le(copy.bytes + rodata_at + 16, 8, text_vaddr + (rodata_offset & 0xfffu));
  ck_assert_int_eq(plan_copy(&copy, copy.size, &mapping), OSPOLICY_ERR_ELF_SEGMENT_OVERLAP);
  ck_assert_uint_eq(mapping.error_phdr_index, rodata_index);
  ck_assert_uint_eq(mapping.error_other_phdr_index, text_index);

  /* RWX: the text segment asks for PF_R|PF_W|PF_X. */
  memcpy(copy.bytes, image.bytes, image.size);
  put_le(copy.bytes + text_at + 4, 4, 7);
  ck_assert_int_eq(plan_copy(&copy, copy.size, &mapping), OSPOLICY_DENIED_RWX);
  ck_assert_uint_eq(mapping.error_phdr_index, text_index);
  ck_assert_uint_eq(mapping.error_offset, text_at + 4);

  /* An entry point moved out of the code is caught by the executable plan. */
  memcpy(copy.bytes, image.bytes, image.size);
  put_le(copy.bytes + 24, 8, get_le(copy.bytes + rodata_at + 16, 8));
  ck_assert_int_eq(plan_copy(&copy, copy.size, &mapping), OSPOLICY_OK);
  OSPolicy_NativeExecutableMemoryPlan exec;
  ck_assert_int_eq(OSPolicy_PlanNativeExecutableMemory(&mapping, &exec),
                   OSPOLICY_ERR_ELF_ENTRY_NOT_EXECUTABLE);
  free(copy.bytes);
  free(image.bytes);
}
END_TEST

Suite *native_payload_load_suite(void);
Suite *native_payload_load_suite(void) {
  Suite *suite = suite_create("native_payload_load");
  TCase *tc = tcase_create("linux");
  tcase_add_test(tc, payload_has_the_expected_layout);
  tcase_add_test(tc, loads_relocates_seals_and_runs_the_payload);
  tcase_add_test(tc, sealed_payload_pages_fault_on_forbidden_access);
  tcase_add_test(tc, unrelocated_payload_cannot_work);
  tcase_add_test(tc, refuses_malformed_copies_of_the_payload);
  suite_add_tcase(suite, tc);
  return suite;
}
