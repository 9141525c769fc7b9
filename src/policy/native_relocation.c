/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
#include "ospolicy/native_relocation.h"

#include <stdbool.h>

#include "elf64.h"
#include "ospolicy/byte_order.h"

#define NO_INDEX OSPOLICY_NATIVE_PAYLOAD_NO_INDEX
#define NO_OFFSET OSPOLICY_NATIVE_PAYLOAD_NO_OFFSET

static OSPolicy_Status reloc_fail(OSPolicy_NativeRelocationResult *result, OSPolicy_Status status,
                                  uint32_t index, uint64_t offset) {
  *result = (OSPolicy_NativeRelocationResult){
      .status = status, .error_entry_index = index, .error_offset = offset};
  return status;
}

/* Where the DT_RELA table is in the image, once the dynamic section is read. */
typedef struct rela_table {
  bool present;
  uint64_t file_offset;
  uint64_t count;
} rela_table;

/* One recorded dynamic tag: its value and where it was found. */
typedef struct dyn_value {
  bool seen;
  uint64_t value;
  uint32_t index;
  uint64_t at;
} dyn_value;

static bool record_tag(dyn_value *slot, uint64_t value, uint32_t index, uint64_t at) {
  if (slot->seen) {
    return false;
  }
  *slot = (dyn_value){.seen = true, .value = value, .index = index, .at = at};
  return true;
}

/* Finds the table's file bytes: [vaddr, vaddr + size) inside one segment's
 * file-backed part. */
static OSPolicy_Status locate_table(const OSPolicy_NativePayloadMappingPlan *m, size_t image_size,
                                    uint64_t vaddr, uint64_t size, uint64_t *file_offset) {
  uint64_t end;
  if (__builtin_add_overflow(vaddr, size, &end)) {
    return OSPOLICY_ERR_OVERFLOW;
  }
  for (uint32_t k = 0; k < m->segment_count; k++) {
    const OSPolicy_NativePayloadSegment *s = &m->segments[k];
    uint64_t file_backed_end;
    if (__builtin_add_overflow(s->vaddr, s->filesz, &file_backed_end)) {
      return OSPOLICY_ERR_OVERFLOW;
    }
    if (vaddr >= s->vaddr && end <= file_backed_end) {
      uint64_t offset;
      uint64_t offset_end;
      if (__builtin_add_overflow(s->file_offset, vaddr - s->vaddr, &offset) ||
          __builtin_add_overflow(offset, size, &offset_end)) {
        return OSPOLICY_ERR_OVERFLOW;
      }
      if (offset_end > image_size) { /* only a forged mapping plan gets here */
        return OSPOLICY_ERR_OUT_OF_RANGE;
      }
      *file_offset = offset;
      return OSPOLICY_OK;
    }
  }
  return OSPOLICY_ERR_ELF_BAD_DYNAMIC;
}

static bool is_refused_tag(uint64_t tag, uint64_t value) {
  switch (tag) {
    case ELF64_DT_NEEDED:   /* needs a shared library: not self-contained */
    case ELF64_DT_REL:      /* REL relocations: not used on x86-64 */
    case ELF64_DT_RELSZ:
    case ELF64_DT_RELENT:
    case ELF64_DT_RELCOUNT:
    case ELF64_DT_RELR:     /* packed relative relocations: not supported yet */
    case ELF64_DT_RELRSZ:
    case ELF64_DT_RELRENT:
    case ELF64_DT_TEXTREL:  /* relocations into code */
    case ELF64_DT_JMPREL:   /* PLT relocations need symbols */
      return true;
    case ELF64_DT_PLTRELSZ:
      return value != 0u;
    case ELF64_DT_FLAGS:
      return (value & ELF64_DF_TEXTREL) != 0u;
    default:
      return false;
  }
}

static OSPolicy_Status read_dynamic(const OSPolicy_NativePayloadMappingPlan *m,
                                    const unsigned char *img, size_t size, rela_table *table,
                                    OSPolicy_NativeRelocationResult *result) {
  *table = (rela_table){.present = false};
  if (m->dynamic_phdr_index == NO_INDEX) {
    return OSPOLICY_OK;
  }
  uint64_t dyn_end;
  if (__builtin_add_overflow(m->dynamic_offset, m->dynamic_size, &dyn_end)) {
    return reloc_fail(result, OSPOLICY_ERR_OVERFLOW, NO_INDEX, NO_OFFSET);
  }
  if (dyn_end > size) {
    return reloc_fail(result, OSPOLICY_ERR_OUT_OF_RANGE, NO_INDEX, NO_OFFSET);
  }
  dyn_value rela = {.seen = false};
  dyn_value relasz = {.seen = false};
  dyn_value relaent = {.seen = false};
  dyn_value relacount = {.seen = false};
  bool terminated = false;
  const uint64_t entries = m->dynamic_size / ELF64_DYN_SIZE;
  for (uint64_t i = 0; i < entries && !terminated; i++) {
    const uint64_t at = m->dynamic_offset + i * ELF64_DYN_SIZE; /* < dyn_end: no wrap */
    const uint64_t tag = OSPolicy_LoadLe64(img + at);
    const uint64_t value = OSPolicy_LoadLe64(img + at + 8u);
    const uint32_t index = i < NO_INDEX ? (uint32_t)i : NO_INDEX - 1u;
    bool fresh = true;
    if (tag == ELF64_DT_NULL) {
      terminated = true;
    } else if (is_refused_tag(tag, value)) {
      return reloc_fail(result, OSPOLICY_ERR_ELF_BAD_DYNAMIC, index, at);
    } else if (tag == ELF64_DT_RELA) {
      fresh = record_tag(&rela, value, index, at);
    } else if (tag == ELF64_DT_RELASZ) {
      fresh = record_tag(&relasz, value, index, at);
    } else if (tag == ELF64_DT_RELAENT) {
      fresh = record_tag(&relaent, value, index, at);
    } else if (tag == ELF64_DT_RELACOUNT) {
      fresh = record_tag(&relacount, value, index, at);
    }
    if (!fresh) {
      return reloc_fail(result, OSPOLICY_ERR_ELF_BAD_DYNAMIC, index, at);
    }
  }
  if (!terminated) {
    return reloc_fail(result, OSPOLICY_ERR_ELF_BAD_DYNAMIC, NO_INDEX, dyn_end);
  }
  if (!rela.seen) {
    const dyn_value *stray = relasz.seen ? &relasz : relaent.seen ? &relaent : &relacount;
    if (stray->seen) {
      return reloc_fail(result, OSPOLICY_ERR_ELF_BAD_DYNAMIC, stray->index, stray->at);
    }
    return OSPOLICY_OK;
  }
  if (!relasz.seen || !relaent.seen) {
    return reloc_fail(result, OSPOLICY_ERR_ELF_BAD_DYNAMIC, rela.index, rela.at);
  }
  if (relaent.value != ELF64_RELA_SIZE) {
    return reloc_fail(result, OSPOLICY_ERR_ELF_BAD_DYNAMIC, relaent.index, relaent.at);
  }
  if (relasz.value % ELF64_RELA_SIZE != 0u) {
    return reloc_fail(result, OSPOLICY_ERR_ELF_BAD_DYNAMIC, relasz.index, relasz.at);
  }
  const uint64_t count = relasz.value / ELF64_RELA_SIZE;
  if (relacount.seen && relacount.value > count) {
    return reloc_fail(result, OSPOLICY_ERR_ELF_BAD_DYNAMIC, relacount.index, relacount.at);
  }
  uint64_t file_offset = 0;
  if (count != 0u) {
    OSPolicy_Status status = locate_table(m, size, rela.value, relasz.value, &file_offset);
    if (status != OSPOLICY_OK) {
      return reloc_fail(result, status, rela.index, rela.at);
    }
  }
  *table = (rela_table){.present = true, .file_offset = file_offset, .count = count};
  return OSPOLICY_OK;
}

/* Checks one entry and, when `write` is set, applies it. Pass one checks all
 * entries with write false; pass two repeats with write true. */
static OSPolicy_Status relocate_one(const OSPolicy_NativeRelocationRequest *rq,
                                    const unsigned char *img, uint64_t at, uint32_t index,
                                    bool write, OSPolicy_NativeRelocationResult *result) {
  const OSPolicy_NativePayloadMappingPlan *m = rq->mapping;
  const uint64_t r_offset = OSPolicy_LoadLe64(img + at);
  const uint64_t r_info = OSPolicy_LoadLe64(img + at + 8u);
  const uint64_t r_addend = OSPolicy_LoadLe64(img + at + 16u); /* the link-time address */
  const uint64_t type = r_info & 0xffffffffu;
  if (type == ELF64_R_X86_64_NONE) {
    if (write) {
      result->skipped++;
    }
    return OSPOLICY_OK;
  }
  if (type != ELF64_R_X86_64_RELATIVE || (r_info >> 32) != 0u) {
    return reloc_fail(result, OSPOLICY_ERR_ELF_BAD_RELOCATION, index, at + 8u);
  }
  uint64_t target_end;
  if (__builtin_add_overflow(r_offset, (uint64_t)8u, &target_end)) {
    return reloc_fail(result, OSPOLICY_ERR_OVERFLOW, index, at);
  }
  bool writable_target = false;
  for (uint32_t k = 0; k < m->segment_count; k++) {
    const OSPolicy_NativePayloadSegment *s = &m->segments[k];
    uint64_t seg_end;
    if ((s->prot & OSPOLICY_PROT_WRITE) != 0u &&
        !__builtin_add_overflow(s->vaddr, s->memsz, &seg_end) && r_offset >= s->vaddr &&
        target_end <= seg_end) {
      writable_target = true;
      break;
    }
  }
  /* Also inside the staged span, whatever the (possibly forged) segments say. */
  if (!writable_target || r_offset < m->span_start ||
      target_end - m->span_start > m->span_size) {
    return reloc_fail(result, OSPOLICY_ERR_ELF_BAD_RELOCATION, index, at);
  }
  if (r_addend < m->span_start || r_addend - m->span_start > m->span_size) {
    return reloc_fail(result, OSPOLICY_ERR_ELF_BAD_RELOCATION, index, at + 16u);
  }
  uint64_t value;
  if (__builtin_add_overflow((uint64_t)rq->load_base, r_addend - m->span_start, &value)) {
    return reloc_fail(result, OSPOLICY_ERR_OVERFLOW, index, at + 16u);
  }
  if (write) {
    unsigned char *staging = rq->staging;
    OSPolicy_StoreLe64(staging + (size_t)(r_offset - m->span_start), value);
    result->applied++;
  }
  return OSPOLICY_OK;
}

static OSPolicy_Status apply(const OSPolicy_NativeRelocationRequest *rq,
                             OSPolicy_NativeRelocationResult *result) {
  const OSPolicy_NativePayloadMappingPlan *m = rq->mapping;
  if (m->status != OSPOLICY_OK || m->segment_count == 0u ||
      m->segment_count > OSPOLICY_NATIVE_PAYLOAD_MAX_SEGMENTS ||
      !OSPolicy_IsValidPageSize(m->page_size)) {
    return reloc_fail(result, OSPOLICY_ERR_PLAN_NOT_OK, NO_INDEX, NO_OFFSET);
  }
  if (rq->image_size < m->image_size) {
    return reloc_fail(result, OSPOLICY_ERR_SOURCE_TOO_SMALL, NO_INDEX, NO_OFFSET);
  }
  if (rq->staging_size < m->span_size) {
    return reloc_fail(result, OSPOLICY_ERR_DESTINATION_TOO_SMALL, NO_INDEX, NO_OFFSET);
  }
  /* The image is read (pass two re-reads every entry) while staging is
   * written: if the two buffers share a byte, a write of pass two could
   * change an entry pass one validated (all-or-nothing would not hold), so
   * overlapping buffers, including relocation in place, are refused before
   * anything is read or written. */
  uintptr_t image_start = (uintptr_t)rq->image;
  uintptr_t staging_start = (uintptr_t)rq->staging;
  uintptr_t image_end;
  uintptr_t staging_end;
  if (__builtin_add_overflow(image_start, rq->image_size, &image_end) ||
      __builtin_add_overflow(staging_start, rq->staging_size, &staging_end)) {
    return reloc_fail(result, OSPOLICY_ERR_OVERFLOW, NO_INDEX, NO_OFFSET);
  }
  if (image_start < staging_end && staging_start < image_end) {
    return reloc_fail(result, OSPOLICY_ERR_INVALID_ARGUMENT, NO_INDEX, NO_OFFSET);
  }
  if (((uint64_t)rq->load_base & ((uint64_t)m->page_size - 1u)) != 0u) {
    return reloc_fail(result, OSPOLICY_ERR_UNALIGNED, NO_INDEX, NO_OFFSET);
  }
  if (m->elf_type != OSPOLICY_NATIVE_PAYLOAD_TYPE_DYN && (uint64_t)rq->load_base != m->span_start) {
    return reloc_fail(result, OSPOLICY_ERR_INVALID_ARGUMENT, NO_INDEX, NO_OFFSET);
  }
  uint64_t load_end;
  if (__builtin_add_overflow((uint64_t)rq->load_base, m->span_size, &load_end)) {
    return reloc_fail(result, OSPOLICY_ERR_OVERFLOW, NO_INDEX, NO_OFFSET);
  }
  const unsigned char *img = rq->image;
  rela_table table;
  OSPolicy_Status status = read_dynamic(m, img, m->image_size, &table, result);
  if (status != OSPOLICY_OK) {
    return status;
  }
  *result = (OSPolicy_NativeRelocationResult){
      .status = OSPOLICY_STATUS_UNSET,
      .error_entry_index = NO_INDEX,
      .error_offset = NO_OFFSET,
      .relocation_count = table.count,
  };
  for (int pass = 0; pass < 2; pass++) {
    for (uint64_t i = 0; i < table.count; i++) {
      const uint64_t at = table.file_offset + i * ELF64_RELA_SIZE; /* table checked in bounds */
      const uint32_t index = i < NO_INDEX ? (uint32_t)i : NO_INDEX - 1u;
      status = relocate_one(rq, img, at, index, pass == 1, result);
      if (status != OSPOLICY_OK) {
        return status;
      }
    }
  }
  result->status = OSPOLICY_OK;
  return OSPOLICY_OK;
}

OSPolicy_Status OSPolicy_ApplyNativeRelocations(const OSPolicy_NativeRelocationRequest *request,
                                                OSPolicy_NativeRelocationResult *result) {
  if (result == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  if (request == NULL || request->mapping == NULL || request->image == NULL ||
      request->staging == NULL) {
    return reloc_fail(result, OSPOLICY_ERR_NULL_ARGUMENT, NO_INDEX, NO_OFFSET);
  }
  return apply(request, result);
}
