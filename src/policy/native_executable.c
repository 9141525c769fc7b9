/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
#include "ospolicy/native_executable.h"

#include <stdbool.h>

#include "mem.h"

#define NO_INDEX OSPOLICY_NATIVE_PAYLOAD_NO_INDEX

static OSPolicy_Status exec_fail(OSPolicy_NativeExecutableMemoryPlan *plan,
                                 OSPolicy_Status status, uint32_t phdr) {
  *plan = (OSPolicy_NativeExecutableMemoryPlan){.status = status, .error_phdr_index = phdr};
  return status;
}

static bool is_known_readable(uint32_t prot) {
  return (prot & ~OSPOLICY_PROT_ALL) == 0u && (prot & OSPOLICY_PROT_READ) != 0u;
}

static bool is_wx(uint32_t prot) {
  return (prot & OSPOLICY_PROT_WRITE) != 0u && (prot & OSPOLICY_PROT_EXEC) != 0u;
}

/* The final protection and transition each kind of range must carry. */
static bool kind_shape(OSPolicy_NativeRangeKind kind, uint32_t *final_prot,
                       OSPolicy_PageTransition *transition) {
  switch (kind) {
    case OSPOLICY_NATIVE_RANGE_TEXT:
      *final_prot = OSPOLICY_PROT_RX;
      *transition = OSPOLICY_TRANSITION_SEAL_EXEC;
      return true;
    case OSPOLICY_NATIVE_RANGE_READONLY:
    case OSPOLICY_NATIVE_RANGE_RELRO:
    case OSPOLICY_NATIVE_RANGE_GAP:
      *final_prot = OSPOLICY_PROT_READ;
      *transition = OSPOLICY_TRANSITION_SEAL_READONLY;
      return true;
    case OSPOLICY_NATIVE_RANGE_DATA:
      *final_prot = OSPOLICY_PROT_RW;
      *transition = OSPOLICY_TRANSITION_UNSET;
      return true;
    case OSPOLICY_NATIVE_RANGE_UNSET:
    default:
      return false;
  }
}

static OSPolicy_Status add_range(OSPolicy_NativeExecutableMemoryPlan *plan, uint64_t link_base,
                                 uint64_t start, uint64_t end, OSPolicy_NativeRangeKind kind,
                                 uint32_t phdr_index) {
  if (end <= start) {
    return OSPOLICY_OK; /* nothing to add */
  }
  if (plan->range_count >= OSPOLICY_NATIVE_EXECUTABLE_MAX_RANGES) {
    return OSPOLICY_ERR_TOO_MANY; /* unreachable with at most 16 segments */
  }
  uint32_t final_prot = 0;
  OSPolicy_PageTransition transition = OSPOLICY_TRANSITION_UNSET;
  (void)kind_shape(kind, &final_prot, &transition);
  plan->ranges[plan->range_count] = (OSPolicy_NativeExecutableRange){
      .offset = start - link_base,
      .size = end - start,
      .final_prot = final_prot,
      .transition = transition,
      .kind = kind,
      .phdr_index = phdr_index,
  };
  plan->range_count++;
  if (transition != OSPOLICY_TRANSITION_UNSET) {
    plan->protection_count++;
  }
  if (kind == OSPOLICY_NATIVE_RANGE_TEXT) {
    plan->executable_size += end - start;
  }
  return OSPOLICY_OK;
}

/* Re-checks what the ranges are built from: a forged mapping plan cannot
 * smuggle RWX, unaligned or overlapping pages through. */
static OSPolicy_Status check_segments(const OSPolicy_NativePayloadMappingPlan *m, uint64_t mask,
                                      uint32_t *bad_phdr) {
  for (uint32_t k = 0; k < m->segment_count; k++) {
    const OSPolicy_NativePayloadSegment *s = &m->segments[k];
    *bad_phdr = s->phdr_index;
    if (!is_known_readable(s->prot)) {
      return OSPOLICY_ERR_BAD_PROTECTION;
    }
    if (is_wx(s->prot)) {
      return OSPOLICY_DENIED_RWX;
    }
    if ((s->page_start & mask) != 0u || (s->page_end & mask) != 0u) {
      return OSPOLICY_ERR_UNALIGNED;
    }
    if (s->filesz > s->memsz) {
      return OSPOLICY_ERR_ELF_BAD_SEGMENT;
    }
    uint64_t end;
    if (__builtin_add_overflow(s->vaddr, s->memsz, &end)) {
      return OSPOLICY_ERR_OVERFLOW;
    }
    if (s->page_start >= s->page_end || s->page_start > s->vaddr || s->page_end < end ||
        s->page_start < m->span_start || s->page_end > m->span_end) {
      return OSPOLICY_ERR_OUT_OF_RANGE;
    }
    if (k > 0u && s->page_start < m->segments[k - 1u].page_end) {
      return OSPOLICY_ERR_ELF_SEGMENT_OVERLAP;
    }
  }
  *bad_phdr = NO_INDEX;
  return OSPOLICY_OK;
}

static OSPolicy_Status plan_executable(const OSPolicy_NativePayloadMappingPlan *m,
                                       OSPolicy_NativeExecutableMemoryPlan *plan) {
  if (m->status != OSPOLICY_OK) {
    return exec_fail(plan, OSPOLICY_ERR_PLAN_NOT_OK, NO_INDEX);
  }
  if (!OSPolicy_IsValidPageSize(m->page_size)) {
    return exec_fail(plan, OSPOLICY_ERR_BAD_PAGE_SIZE, NO_INDEX);
  }
  if (m->segment_count == 0u) {
    return exec_fail(plan, OSPOLICY_ERR_ELF_NO_LOAD_SEGMENTS, NO_INDEX);
  }
  if (m->segment_count > OSPOLICY_NATIVE_PAYLOAD_MAX_SEGMENTS) {
    return exec_fail(plan, OSPOLICY_ERR_ELF_TOO_MANY_SEGMENTS, NO_INDEX);
  }
  const uint64_t page = m->page_size;
  const uint64_t mask = page - 1u;
  if ((m->span_start & mask) != 0u || (m->span_end & mask) != 0u) {
    return exec_fail(plan, OSPOLICY_ERR_UNALIGNED, NO_INDEX);
  }
  if (m->span_end <= m->span_start || m->span_size != m->span_end - m->span_start ||
      m->span_pages != m->span_size / page ||
      (m->elf_type != OSPOLICY_NATIVE_PAYLOAD_TYPE_EXEC &&
       m->elf_type != OSPOLICY_NATIVE_PAYLOAD_TYPE_DYN)) {
    return exec_fail(plan, OSPOLICY_ERR_PLAN_NOT_OK, NO_INDEX);
  }
  uint32_t bad_phdr = NO_INDEX;
  OSPolicy_Status status = check_segments(m, mask, &bad_phdr);
  if (status != OSPOLICY_OK) {
    return exec_fail(plan, status, bad_phdr);
  }
  bool has_exec = false;
  bool entry_ok = false;
  for (uint32_t k = 0; k < m->segment_count; k++) {
    const OSPolicy_NativePayloadSegment *s = &m->segments[k];
    if ((s->prot & OSPOLICY_PROT_EXEC) == 0u) {
      continue;
    }
    has_exec = true;
    /* The entry must be code from the file, not the zero-filled tail. */
    if (m->entry >= s->vaddr && m->entry - s->vaddr < s->filesz) {
      entry_ok = true;
    }
  }
  if (!has_exec) {
    return exec_fail(plan, OSPOLICY_ERR_ELF_NO_EXECUTABLE_SEGMENT, NO_INDEX);
  }
  if (!entry_ok) {
    return exec_fail(plan, OSPOLICY_ERR_ELF_ENTRY_NOT_EXECUTABLE, NO_INDEX);
  }

  /* RELRO pages: whole pages only, start and end rounded down (as ld.so). */
  uint32_t relro_segment = NO_INDEX;
  uint64_t relro_first = 0;
  uint64_t relro_last = 0;
  if (m->relro_phdr_index != NO_INDEX) {
    uint64_t relro_end;
    if (__builtin_add_overflow(m->relro_vaddr, m->relro_size, &relro_end)) {
      return exec_fail(plan, OSPOLICY_ERR_ELF_BAD_SEGMENT, m->relro_phdr_index);
    }
    for (uint32_t k = 0; k < m->segment_count; k++) {
      const OSPolicy_NativePayloadSegment *s = &m->segments[k];
      if ((s->prot & OSPOLICY_PROT_WRITE) != 0u && m->relro_vaddr >= s->vaddr &&
          relro_end <= s->vaddr + s->memsz) {
        relro_segment = k;
        break;
      }
    }
    if (relro_segment == NO_INDEX) {
      return exec_fail(plan, OSPOLICY_ERR_ELF_BAD_SEGMENT, m->relro_phdr_index);
    }
    relro_first = m->relro_vaddr & ~mask;
    relro_last = relro_end & ~mask;
  }

  *plan = (OSPolicy_NativeExecutableMemoryPlan){
      .status = OSPOLICY_STATUS_UNSET,
      .error_phdr_index = NO_INDEX,
      .page_size = m->page_size,
      .link_base = m->span_start,
      .span_size = m->span_size,
      .span_pages = m->span_pages,
      .staging_prot = OSPOLICY_PROT_RW,
      .relocatable = m->elf_type == OSPOLICY_NATIVE_PAYLOAD_TYPE_DYN ? 1u : 0u,
      .entry_offset = m->entry - m->span_start,
  };
  uint64_t cursor = m->span_start;
  for (uint32_t k = 0; k < m->segment_count && status == OSPOLICY_OK; k++) {
    const OSPolicy_NativePayloadSegment *s = &m->segments[k];
    status = add_range(plan, m->span_start, cursor, s->page_start, OSPOLICY_NATIVE_RANGE_GAP,
                       NO_INDEX);
    if (status != OSPOLICY_OK) {
      break;
    }
    if (k == relro_segment && relro_last > relro_first) {
      status = add_range(plan, m->span_start, s->page_start, relro_first,
                         OSPOLICY_NATIVE_RANGE_DATA, s->phdr_index);
      if (status == OSPOLICY_OK) {
        status = add_range(plan, m->span_start, relro_first, relro_last,
                           OSPOLICY_NATIVE_RANGE_RELRO, s->phdr_index);
      }
      if (status == OSPOLICY_OK) {
        status = add_range(plan, m->span_start, relro_last, s->page_end,
                           OSPOLICY_NATIVE_RANGE_DATA, s->phdr_index);
      }
    } else {
      OSPolicy_NativeRangeKind kind = OSPOLICY_NATIVE_RANGE_READONLY;
      if ((s->prot & OSPOLICY_PROT_EXEC) != 0u) {
        kind = OSPOLICY_NATIVE_RANGE_TEXT;
      } else if ((s->prot & OSPOLICY_PROT_WRITE) != 0u) {
        kind = OSPOLICY_NATIVE_RANGE_DATA;
      }
      status = add_range(plan, m->span_start, s->page_start, s->page_end, kind, s->phdr_index);
    }
    cursor = s->page_end;
  }
  if (status != OSPOLICY_OK) {
    return exec_fail(plan, status, NO_INDEX);
  }
  plan->status = OSPOLICY_OK;
  return OSPOLICY_OK;
}

OSPolicy_Status OSPolicy_PlanNativeExecutableMemory(
    const OSPolicy_NativePayloadMappingPlan *mapping, OSPolicy_NativeExecutableMemoryPlan *plan) {
  if (plan == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  if (mapping == NULL) {
    return exec_fail(plan, OSPOLICY_ERR_NULL_ARGUMENT, NO_INDEX);
  }
  return plan_executable(mapping, plan);
}

OSPolicy_Status OSPolicy_StageNativePayload(const OSPolicy_NativePayloadMappingPlan *mapping,
                                            const void *image, size_t image_size, void *staging,
                                            size_t staging_size) {
  if (mapping == NULL || image == NULL || staging == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  if (mapping->status != OSPOLICY_OK || mapping->segment_count == 0u ||
      mapping->segment_count > OSPOLICY_NATIVE_PAYLOAD_MAX_SEGMENTS) {
    return OSPOLICY_ERR_PLAN_NOT_OK;
  }
  if (image_size < mapping->image_size) {
    return OSPOLICY_ERR_SOURCE_TOO_SMALL;
  }
  if (staging_size < mapping->span_size) {
    return OSPOLICY_ERR_DESTINATION_TOO_SMALL;
  }
  /* Check every copy before the first write: a refused call changes nothing. */
  for (uint32_t k = 0; k < mapping->segment_count; k++) {
    const OSPolicy_NativePayloadSegment *s = &mapping->segments[k];
    uint64_t file_end;
    uint64_t at;
    uint64_t mem_end;
    if (__builtin_add_overflow(s->file_offset, s->filesz, &file_end) ||
        __builtin_sub_overflow(s->vaddr, mapping->span_start, &at) ||
        __builtin_add_overflow(at, s->memsz, &mem_end)) {
      return OSPOLICY_ERR_OVERFLOW;
    }
    if (file_end > image_size || s->filesz > s->memsz || mem_end > mapping->span_size) {
      return OSPOLICY_ERR_OUT_OF_RANGE;
    }
  }
  unsigned char *out = staging;
  const unsigned char *in = image;
  memset(out, 0, (size_t)mapping->span_size); /* span_size <= staging_size */
  for (uint32_t k = 0; k < mapping->segment_count; k++) {
    const OSPolicy_NativePayloadSegment *s = &mapping->segments[k];
    if (s->filesz != 0u) {
      memcpy(out + (size_t)(s->vaddr - mapping->span_start), in + (size_t)s->file_offset,
             (size_t)s->filesz);
    }
  }
  return OSPOLICY_OK;
}

/* Every range must be page aligned, inside the span, and shaped as its kind
 * says; returns the status for the first that is not. */
static OSPolicy_Status check_range(const OSPolicy_NativeExecutableMemoryPlan *plan,
                                   const OSPolicy_NativeExecutableRange *r, uint64_t mask) {
  uint32_t final_prot = 0;
  OSPolicy_PageTransition transition = OSPOLICY_TRANSITION_UNSET;
  if (!kind_shape(r->kind, &final_prot, &transition) || final_prot != r->final_prot ||
      transition != r->transition || r->size == 0u) {
    return OSPOLICY_ERR_PLAN_NOT_OK;
  }
  if ((r->offset & mask) != 0u || (r->size & mask) != 0u) {
    return OSPOLICY_ERR_UNALIGNED;
  }
  uint64_t end;
  if (__builtin_add_overflow(r->offset, r->size, &end) || end > plan->span_size) {
    return OSPOLICY_ERR_OUT_OF_RANGE;
  }
  return OSPOLICY_OK;
}

OSPolicy_Status OSPolicy_BuildNativeExecutableProtections(
    const OSPolicy_NativeExecutableMemoryPlan *plan, uintptr_t load_base,
    OSPolicy_PageProtectionPlan *plans, size_t capacity, size_t *count) {
  if (count == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  *count = 0;
  if (plan == NULL || (plans == NULL && capacity != 0u)) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  if (plan->status != OSPOLICY_OK || plan->range_count > OSPOLICY_NATIVE_EXECUTABLE_MAX_RANGES) {
    return OSPOLICY_ERR_PLAN_NOT_OK;
  }
  if (!OSPolicy_IsValidPageSize(plan->page_size)) {
    return OSPOLICY_ERR_BAD_PAGE_SIZE;
  }
  const uint64_t mask = (uint64_t)plan->page_size - 1u;
  if (((uint64_t)load_base & mask) != 0u) {
    return OSPOLICY_ERR_UNALIGNED;
  }
  if (plan->relocatable == 0u && (uint64_t)load_base != plan->link_base) {
    return OSPOLICY_ERR_INVALID_ARGUMENT;
  }
  uintptr_t load_end;
  if (__builtin_add_overflow(load_base, plan->span_size, &load_end)) {
    return OSPOLICY_ERR_OVERFLOW;
  }
  size_t required = 0;
  for (uint32_t i = 0; i < plan->range_count; i++) {
    OSPolicy_Status status = check_range(plan, &plan->ranges[i], mask);
    if (status != OSPOLICY_OK) {
      return status;
    }
    if (plan->ranges[i].transition != OSPOLICY_TRANSITION_UNSET) {
      required++;
    }
  }
  *count = required;
  if (capacity < required) {
    return OSPOLICY_ERR_BUFFER_TOO_SMALL;
  }
  size_t written = 0;
  for (uint32_t i = 0; i < plan->range_count; i++) {
    const OSPolicy_NativeExecutableRange *r = &plan->ranges[i];
    if (r->transition == OSPOLICY_TRANSITION_UNSET) {
      continue;
    }
    OSPolicy_PageProtectionRequest request = {
        .base = load_base + (uintptr_t)r->offset, /* offset + size <= span_size: no wrap */
        .size = (size_t)r->size,
        .page_size = plan->page_size,
        .from = OSPOLICY_PROT_RW,
        .to = r->final_prot,
        .flags = 0u,
    };
    OSPolicy_Status status = OSPolicy_PlanPageProtection(&request, &plans[written]);
    if (status != OSPOLICY_OK) {
      return status;
    }
    written++;
  }
  return OSPOLICY_OK;
}

const char *OSPolicy_NativeRangeKindName(OSPolicy_NativeRangeKind kind) {
  switch (kind) {
    case OSPOLICY_NATIVE_RANGE_TEXT:
      return "text";
    case OSPOLICY_NATIVE_RANGE_READONLY:
      return "readonly";
    case OSPOLICY_NATIVE_RANGE_RELRO:
      return "relro";
    case OSPOLICY_NATIVE_RANGE_DATA:
      return "data";
    case OSPOLICY_NATIVE_RANGE_GAP:
      return "gap";
    case OSPOLICY_NATIVE_RANGE_UNSET:
    default:
      return "unset";
  }
}
