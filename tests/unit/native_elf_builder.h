/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * A tiny ELF64 image builder for the native payload, executable-memory and
 * relocation unit tests. ne_build() writes one valid static-pie-like image
 * whose layout mirrors the real test payload (tests/payload/native_payload.c):
 *
 *   phdr 0  PT_LOAD       R   off 0x0000 vaddr 0x0000 filesz 0x300  memsz 0x300
 *   phdr 1  PT_LOAD       RX  off 0x1000 vaddr 0x1000 filesz 0x100  memsz 0x100
 *   phdr 2  PT_LOAD       R   off 0x2000 vaddr 0x2000 filesz 0x080  memsz 0x080
 *   phdr 3  PT_LOAD       RW  off 0x3000 vaddr 0x3000 filesz 0x1100 memsz 0x1800
 *   phdr 4  PT_DYNAMIC    RW  off 0x3100 vaddr 0x3100 filesz 0x60
 *   phdr 5  PT_GNU_STACK  RW
 *   phdr 6  PT_GNU_RELRO  R   vaddr 0x3000 memsz 0x1000
 *   entry 0x1000; image size 0x4100; span [0, 0x5000)
 *   .rela.dyn at 0x200: RELATIVE 0x3008 <- 0x1010, RELATIVE 0x4000 <- 0x2000, NONE
 *   .dynamic at 0x3100: RELA 0x200, RELASZ 72, RELAENT 24, RELACOUNT 2, NULL, NULL
 *
 * Tests then patch single fields to produce exactly one defect each.
 * Everything is static inline so each suite uses what it needs.
 */
#ifndef OSPOLICY_TESTS_NATIVE_ELF_BUILDER_H
#define OSPOLICY_TESTS_NATIVE_ELF_BUILDER_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ospolicy/native_payload.h"

enum {
  NE_PAGE = 4096,
  NE_CAP = 6 * 4096,
  NE_SIZE = 0x4100,
  NE_PHNUM = 7,
  NE_RELA_OFF = 0x200,
  NE_RELA_COUNT = 3,
  NE_DYN_OFF = 0x3100,
  NE_DYN_SLOTS = 6,
  NE_ENTRY = 0x1000,
};

/* ELF values the tests spell out. */
enum {
  NE_PT_LOAD = 1, NE_PT_DYNAMIC = 2, NE_PT_INTERP = 3, NE_PT_NOTE = 4, NE_PT_TLS = 7,
  NE_PF_X = 1, NE_PF_W = 2, NE_PF_R = 4,
  NE_DT_NULL = 0, NE_DT_NEEDED = 1, NE_DT_PLTRELSZ = 2, NE_DT_RELA = 7, NE_DT_RELASZ = 8,
  NE_DT_RELAENT = 9, NE_DT_REL = 17, NE_DT_TEXTREL = 22, NE_DT_JMPREL = 23, NE_DT_FLAGS = 30,
  NE_DT_RELR = 36,
  NE_R_NONE = 0, NE_R_64 = 1, NE_R_RELATIVE = 8,
};
#define NE_PT_GNU_STACK 0x6474e551u
#define NE_PT_GNU_RELRO 0x6474e552u
#define NE_DT_RELACOUNT 0x6ffffff9u

typedef struct ne_image {
  unsigned char b[NE_CAP];
  size_t size;
} ne_image;

typedef struct ne_phdr {
  uint32_t type;
  uint32_t flags;
  uint64_t offset;
  uint64_t vaddr;
  uint64_t filesz;
  uint64_t memsz;
  uint64_t align;
} ne_phdr;

static inline void ne_put16(ne_image *im, size_t at, uint16_t v) {
  for (size_t i = 0; i < 2; i++) im->b[at + i] = (unsigned char)(v >> (8 * i));
}
static inline void ne_put32(ne_image *im, size_t at, uint32_t v) {
  for (size_t i = 0; i < 4; i++) im->b[at + i] = (unsigned char)(v >> (8 * i));
}
static inline void ne_put64(ne_image *im, size_t at, uint64_t v) {
  for (size_t i = 0; i < 8; i++) im->b[at + i] = (unsigned char)(v >> (8 * i));
}
static inline uint64_t ne_get64(const unsigned char *p) {
  uint64_t v = 0;
  for (size_t i = 0; i < 8; i++) v |= (uint64_t)p[i] << (8 * i);
  return v;
}

static inline size_t ne_phdr_at(unsigned index) {
  return 64u + 56u * index;
}

static inline void ne_set_phdr(ne_image *im, unsigned index, ne_phdr p) {
  size_t at = ne_phdr_at(index);
  ne_put32(im, at + 0, p.type);
  ne_put32(im, at + 4, p.flags);
  ne_put64(im, at + 8, p.offset);
  ne_put64(im, at + 16, p.vaddr);
  ne_put64(im, at + 24, p.vaddr); /* p_paddr */
  ne_put64(im, at + 32, p.filesz);
  ne_put64(im, at + 40, p.memsz);
  ne_put64(im, at + 48, p.align);
}

static inline ne_phdr ne_load(uint32_t flags, uint64_t offset, uint64_t vaddr, uint64_t filesz,
                              uint64_t memsz) {
  return (ne_phdr){NE_PT_LOAD, flags, offset, vaddr, filesz, memsz, NE_PAGE};
}

/* ELF header for type (2 EXEC, 3 DYN), entry, and phnum program headers at 64. */
static inline void ne_header(ne_image *im, uint16_t type, uint64_t entry, uint16_t phnum) {
  static const unsigned char ident[16] = {0x7f, 'E', 'L', 'F', 2, 1, 1, 0};
  memcpy(im->b, ident, sizeof ident);
  ne_put16(im, 16, type);
  ne_put16(im, 18, 62);
  ne_put32(im, 20, 1);
  ne_put64(im, 24, entry);
  ne_put64(im, 32, 64);  /* e_phoff */
  ne_put64(im, 40, 0);   /* e_shoff: no section headers */
  ne_put32(im, 48, 0);   /* e_flags */
  ne_put16(im, 52, 64);  /* e_ehsize */
  ne_put16(im, 54, 56);  /* e_phentsize */
  ne_put16(im, 56, phnum);
  ne_put16(im, 58, 64);  /* e_shentsize */
  ne_put16(im, 60, 0);   /* e_shnum */
  ne_put16(im, 62, 0);   /* e_shstrndx */
}

static inline size_t ne_rela_at(unsigned index) {
  return NE_RELA_OFF + 24u * index;
}

static inline void ne_set_rela(ne_image *im, unsigned index, uint64_t r_offset, uint64_t r_info,
                               uint64_t r_addend) {
  ne_put64(im, ne_rela_at(index), r_offset);
  ne_put64(im, ne_rela_at(index) + 8, r_info);
  ne_put64(im, ne_rela_at(index) + 16, r_addend);
}

static inline size_t ne_dyn_at(unsigned index) {
  return NE_DYN_OFF + 16u * index;
}

static inline void ne_set_dyn(ne_image *im, unsigned index, uint64_t tag, uint64_t value) {
  ne_put64(im, ne_dyn_at(index), tag);
  ne_put64(im, ne_dyn_at(index) + 8, value);
}

static inline void ne_build(ne_image *im) {
  memset(im, 0, sizeof *im);
  im->size = NE_SIZE;
  ne_header(im, 3, NE_ENTRY, NE_PHNUM);
  ne_set_phdr(im, 0, ne_load(NE_PF_R, 0x0000, 0x0000, 0x300, 0x300));
  ne_set_phdr(im, 1, ne_load(NE_PF_R | NE_PF_X, 0x1000, 0x1000, 0x100, 0x100));
  ne_set_phdr(im, 2, ne_load(NE_PF_R, 0x2000, 0x2000, 0x80, 0x80));
  ne_set_phdr(im, 3, ne_load(NE_PF_R | NE_PF_W, 0x3000, 0x3000, 0x1100, 0x1800));
  ne_set_phdr(im, 4, (ne_phdr){NE_PT_DYNAMIC, NE_PF_R | NE_PF_W, NE_DYN_OFF, NE_DYN_OFF,
                               16u * NE_DYN_SLOTS, 16u * NE_DYN_SLOTS, 8});
  ne_set_phdr(im, 5, (ne_phdr){NE_PT_GNU_STACK, NE_PF_R | NE_PF_W, 0, 0, 0, 0, 16});
  ne_set_phdr(im, 6, (ne_phdr){NE_PT_GNU_RELRO, NE_PF_R, 0x3000, 0x3000, 0x1000, 0x1000, 1});
  for (size_t i = 0x1000; i < 0x1100; i++) im->b[i] = (unsigned char)(0xC0u + (i & 0x0Fu));
  for (size_t i = 0x2000; i < 0x2080; i++) im->b[i] = (unsigned char)(i & 0xFFu);
  for (size_t i = 0x3200; i < 0x4100; i++) im->b[i] = 0x5A;
  ne_set_rela(im, 0, 0x3008, NE_R_RELATIVE, 0x1010);
  ne_set_rela(im, 1, 0x4000, NE_R_RELATIVE, 0x2000);
  ne_set_rela(im, 2, 0x3010, NE_R_NONE, 0);
  ne_set_dyn(im, 0, NE_DT_RELA, NE_RELA_OFF);
  ne_set_dyn(im, 1, NE_DT_RELASZ, 24u * NE_RELA_COUNT);
  ne_set_dyn(im, 2, NE_DT_RELAENT, 24);
  ne_set_dyn(im, 3, NE_DT_RELACOUNT, 2);
  ne_set_dyn(im, 4, NE_DT_NULL, 0);
  ne_set_dyn(im, 5, NE_DT_NULL, 0);
}

static inline OSPolicy_Status ne_plan_size(const ne_image *im, size_t size,
                                           OSPolicy_NativePayloadMappingPlan *plan) {
  OSPolicy_NativePayloadRequest request = {.image = im->b, .image_size = size, .page_size = NE_PAGE};
  return OSPolicy_PlanNativePayloadMapping(&request, plan);
}

static inline OSPolicy_Status ne_plan(const ne_image *im, OSPolicy_NativePayloadMappingPlan *plan) {
  return ne_plan_size(im, im->size, plan);
}

#endif
