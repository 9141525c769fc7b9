/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
#include "ospolicy/native_payload.h"

#include <stdbool.h>

#include "elf64.h"
#include "ospolicy/byte_order.h"
#include "sort.h"

#define NO_INDEX OSPOLICY_NATIVE_PAYLOAD_NO_INDEX
#define NO_OFFSET OSPOLICY_NATIVE_PAYLOAD_NO_OFFSET

static const unsigned char elf_magic[4] = {0x7f, 'E', 'L', 'F'};

static bool is_power_of_two(uint64_t value) {
  return value != 0u && (value & (value - 1u)) == 0u;
}

/* Resets the plan to "error at this place": the echoed request fields stay,
 * everything else is zero (optional indices NO_INDEX). */
static OSPolicy_Status fail(OSPolicy_NativePayloadMappingPlan *plan, OSPolicy_Status status,
                            uint32_t phdr, uint32_t other, uint64_t offset) {
  size_t page_size = plan->page_size;
  size_t image_size = plan->image_size;
  *plan = (OSPolicy_NativePayloadMappingPlan){
      .status = status,
      .error_phdr_index = phdr,
      .error_other_phdr_index = other,
      .error_offset = offset,
      .page_size = page_size,
      .image_size = image_size,
      .dynamic_phdr_index = NO_INDEX,
      .relro_phdr_index = NO_INDEX,
  };
  return status;
}

static OSPolicy_Status fail_at(OSPolicy_NativePayloadMappingPlan *plan, OSPolicy_Status status,
                               uint64_t offset) {
  return fail(plan, status, NO_INDEX, NO_INDEX, offset);
}

/* The ELF header. On OK, *phoff and *phnum describe a program header table
 * that lies entirely inside the image. */
static OSPolicy_Status check_header(const unsigned char *img, size_t size,
                                    OSPolicy_NativePayloadMappingPlan *plan, uint64_t *phoff,
                                    uint32_t *phnum) {
  size_t present = size < sizeof elf_magic ? size : sizeof elf_magic;
  for (size_t i = 0; i < present; i++) {
    if (img[i] != elf_magic[i]) {
      return fail_at(plan, OSPOLICY_ERR_ELF_BAD_MAGIC, i);
    }
  }
  if (size < ELF64_EHDR_SIZE) {
    return fail_at(plan, OSPOLICY_ERR_ELF_TRUNCATED, size);
  }
  if (img[ELF64_EI_CLASS] != ELF64_CLASS_64) {
    return fail_at(plan, OSPOLICY_ERR_ELF_UNSUPPORTED_CLASS, ELF64_EI_CLASS);
  }
  if (img[ELF64_EI_DATA] != ELF64_DATA_LSB) {
    return fail_at(plan, OSPOLICY_ERR_ELF_UNSUPPORTED_CLASS, ELF64_EI_DATA);
  }
  if (img[ELF64_EI_VERSION] != ELF64_VERSION_CURRENT) {
    return fail_at(plan, OSPOLICY_ERR_ELF_UNSUPPORTED_CLASS, ELF64_EI_VERSION);
  }
  if (img[ELF64_EI_OSABI] != ELF64_OSABI_SYSV && img[ELF64_EI_OSABI] != ELF64_OSABI_GNU) {
    return fail_at(plan, OSPOLICY_ERR_ELF_BAD_HEADER, ELF64_EI_OSABI);
  }
  if (OSPolicy_LoadLe16(img + ELF64_E_MACHINE) != ELF64_EM_X86_64) {
    return fail_at(plan, OSPOLICY_ERR_ELF_UNSUPPORTED_MACHINE, ELF64_E_MACHINE);
  }
  uint16_t type = OSPolicy_LoadLe16(img + ELF64_E_TYPE);
  if (type != ELF64_ET_EXEC && type != ELF64_ET_DYN) {
    return fail_at(plan, OSPOLICY_ERR_ELF_UNSUPPORTED_TYPE, ELF64_E_TYPE);
  }
  if (OSPolicy_LoadLe32(img + ELF64_E_VERSION) != ELF64_VERSION_CURRENT) {
    return fail_at(plan, OSPOLICY_ERR_ELF_UNSUPPORTED_CLASS, ELF64_E_VERSION);
  }
  if (OSPolicy_LoadLe32(img + ELF64_E_FLAGS) != 0u) { /* x86-64 defines no e_flags */
    return fail_at(plan, OSPOLICY_ERR_ELF_BAD_HEADER, ELF64_E_FLAGS);
  }
  if (OSPolicy_LoadLe16(img + ELF64_E_EHSIZE) != ELF64_EHDR_SIZE) {
    return fail_at(plan, OSPOLICY_ERR_ELF_BAD_HEADER, ELF64_E_EHSIZE);
  }
  if (OSPolicy_LoadLe16(img + ELF64_E_PHENTSIZE) != ELF64_PHDR_SIZE) {
    return fail_at(plan, OSPOLICY_ERR_ELF_BAD_HEADER, ELF64_E_PHENTSIZE);
  }
  uint16_t count = OSPolicy_LoadLe16(img + ELF64_E_PHNUM);
  if (count == ELF64_PN_XNUM) { /* extended numbering through section 0: not supported */
    return fail_at(plan, OSPOLICY_ERR_ELF_BAD_HEADER, ELF64_E_PHNUM);
  }
  if (count == 0u) {
    return fail_at(plan, OSPOLICY_ERR_ELF_NO_LOAD_SEGMENTS, ELF64_E_PHNUM);
  }
  uint64_t table = OSPolicy_LoadLe64(img + ELF64_E_PHOFF);
  if (table < ELF64_EHDR_SIZE) {
    return fail_at(plan, OSPOLICY_ERR_ELF_BAD_HEADER, ELF64_E_PHOFF);
  }
  uint64_t table_bytes;
  uint64_t table_end;
  if (__builtin_mul_overflow((uint64_t)count, (uint64_t)ELF64_PHDR_SIZE, &table_bytes) ||
      __builtin_add_overflow(table, table_bytes, &table_end)) {
    return fail_at(plan, OSPOLICY_ERR_OVERFLOW, ELF64_E_PHOFF);
  }
  if (table_end > size) {
    return fail_at(plan, OSPOLICY_ERR_ELF_TRUNCATED, ELF64_E_PHOFF);
  }

  /* Section headers are never read, but a header that points them outside the
   * image is malformed, and tools that do read them must not be misled. */
  uint64_t shoff = OSPolicy_LoadLe64(img + ELF64_E_SHOFF);
  uint16_t shnum = OSPolicy_LoadLe16(img + ELF64_E_SHNUM);
  uint16_t shstrndx = OSPolicy_LoadLe16(img + ELF64_E_SHSTRNDX);
  if (shoff == 0u) {
    if (shnum != 0u) {
      return fail_at(plan, OSPOLICY_ERR_ELF_BAD_HEADER, ELF64_E_SHNUM);
    }
    if (shstrndx != 0u) {
      return fail_at(plan, OSPOLICY_ERR_ELF_BAD_HEADER, ELF64_E_SHSTRNDX);
    }
  } else {
    if (OSPolicy_LoadLe16(img + ELF64_E_SHENTSIZE) != ELF64_SHDR_SIZE) {
      return fail_at(plan, OSPOLICY_ERR_ELF_BAD_HEADER, ELF64_E_SHENTSIZE);
    }
    if (shoff < ELF64_EHDR_SIZE) {
      return fail_at(plan, OSPOLICY_ERR_ELF_BAD_HEADER, ELF64_E_SHOFF);
    }
    /* shnum 0 with a table means extended numbering: entry 0 must exist. */
    uint64_t sections = shnum != 0u ? shnum : 1u;
    uint64_t sh_bytes;
    uint64_t sh_end;
    if (__builtin_mul_overflow(sections, (uint64_t)ELF64_SHDR_SIZE, &sh_bytes) ||
        __builtin_add_overflow(shoff, sh_bytes, &sh_end)) {
      return fail_at(plan, OSPOLICY_ERR_OVERFLOW, ELF64_E_SHOFF);
    }
    if (sh_end > size) {
      return fail_at(plan, OSPOLICY_ERR_ELF_TRUNCATED, ELF64_E_SHOFF);
    }
    if (shnum != 0u && shstrndx != ELF64_SHN_XINDEX && shstrndx >= shnum) {
      return fail_at(plan, OSPOLICY_ERR_ELF_BAD_HEADER, ELF64_E_SHSTRNDX);
    }
  }
  *phoff = table;
  *phnum = count;
  return OSPOLICY_OK;
}

typedef struct phdr_fields {
  uint32_t type;
  uint32_t flags;
  uint64_t offset;
  uint64_t vaddr;
  uint64_t filesz;
  uint64_t memsz;
  uint64_t align;
  uint64_t at; /* byte offset of this program header in the image */
  uint32_t index;
} phdr_fields;

static OSPolicy_Status plan_load(const phdr_fields *ph, OSPolicy_NativePayloadMappingPlan *plan) {
  const uint64_t at = ph->at;
  if ((ph->flags & ~(ELF64_PF_R | ELF64_PF_W | ELF64_PF_X)) != 0u) {
    return fail(plan, OSPOLICY_ERR_ELF_BAD_SEGMENT, ph->index, NO_INDEX, at + ELF64_P_FLAGS);
  }
  if ((ph->flags & ELF64_PF_W) != 0u && (ph->flags & ELF64_PF_X) != 0u) {
    return fail(plan, OSPOLICY_DENIED_RWX, ph->index, NO_INDEX, at + ELF64_P_FLAGS);
  }
  if (ph->memsz == 0u) {
    return fail(plan, OSPOLICY_ERR_ELF_BAD_SEGMENT, ph->index, NO_INDEX, at + ELF64_P_MEMSZ);
  }
  if (ph->filesz > ph->memsz) {
    return fail(plan, OSPOLICY_ERR_ELF_BAD_SEGMENT, ph->index, NO_INDEX, at + ELF64_P_FILESZ);
  }
  if (!is_power_of_two(ph->align) || ph->align < plan->page_size) {
    return fail(plan, OSPOLICY_ERR_ELF_SEGMENT_MISALIGNED, ph->index, NO_INDEX,
                at + ELF64_P_ALIGN);
  }
  /* p_align >= page size, so congruence modulo p_align implies it modulo the page. */
  if (((ph->vaddr ^ ph->offset) & (ph->align - 1u)) != 0u) {
    return fail(plan, OSPOLICY_ERR_ELF_SEGMENT_MISALIGNED, ph->index, NO_INDEX,
                at + ELF64_P_VADDR);
  }
  const uint64_t mask = (uint64_t)plan->page_size - 1u;
  uint64_t end;
  uint64_t end_rounded;
  if (__builtin_add_overflow(ph->vaddr, ph->memsz, &end) ||
      __builtin_add_overflow(end, mask, &end_rounded)) {
    return fail(plan, OSPOLICY_ERR_OVERFLOW, ph->index, NO_INDEX, at + ELF64_P_MEMSZ);
  }
  if (plan->segment_count >= OSPOLICY_NATIVE_PAYLOAD_MAX_SEGMENTS) {
    return fail(plan, OSPOLICY_ERR_ELF_TOO_MANY_SEGMENTS, ph->index, NO_INDEX, at + ELF64_P_TYPE);
  }
  uint32_t prot = OSPOLICY_PROT_READ; /* every mapped page is readable in this model */
  if ((ph->flags & ELF64_PF_W) != 0u) {
    prot |= OSPOLICY_PROT_WRITE;
  }
  if ((ph->flags & ELF64_PF_X) != 0u) {
    prot |= OSPOLICY_PROT_EXEC;
  }
  plan->segments[plan->segment_count] = (OSPolicy_NativePayloadSegment){
      .vaddr = ph->vaddr,
      .memsz = ph->memsz,
      .file_offset = ph->offset,
      .filesz = ph->filesz,
      .page_start = ph->vaddr & ~mask,
      .page_end = end_rounded & ~mask,
      .align = ph->align,
      .prot = prot,
      .phdr_index = ph->index,
  };
  plan->segment_count++;
  if (ph->align > plan->max_align) {
    plan->max_align = ph->align;
  }
  return OSPOLICY_OK;
}

static OSPolicy_Status plan_phdr(size_t size, const phdr_fields *ph,
                                 OSPolicy_NativePayloadMappingPlan *plan) {
  const uint64_t at = ph->at;
  /* Whatever the type, the file bytes a header names must exist. */
  uint64_t file_end;
  if (__builtin_add_overflow(ph->offset, ph->filesz, &file_end)) {
    return fail(plan, OSPOLICY_ERR_OVERFLOW, ph->index, NO_INDEX, at + ELF64_P_OFFSET);
  }
  if (file_end > size) {
    return fail(plan, OSPOLICY_ERR_ELF_SEGMENT_BEYOND_FILE, ph->index, NO_INDEX,
                at + ELF64_P_OFFSET);
  }
  switch (ph->type) {
    case ELF64_PT_LOAD:
      return plan_load(ph, plan);
    case ELF64_PT_INTERP:
      return fail(plan, OSPOLICY_ERR_ELF_INTERPRETER, ph->index, NO_INDEX, at + ELF64_P_TYPE);
    case ELF64_PT_TLS:
    case ELF64_PT_SHLIB:
      return fail(plan, OSPOLICY_ERR_ELF_UNSUPPORTED_SEGMENT, ph->index, NO_INDEX,
                  at + ELF64_P_TYPE);
    case ELF64_PT_GNU_STACK:
      /* The stack is writable; asking for it executable is asking for RWX. */
      if ((ph->flags & ELF64_PF_X) != 0u) {
        return fail(plan, OSPOLICY_DENIED_RWX, ph->index, NO_INDEX, at + ELF64_P_FLAGS);
      }
      return OSPOLICY_OK;
    case ELF64_PT_DYNAMIC:
      if (plan->dynamic_phdr_index != NO_INDEX) {
        return fail(plan, OSPOLICY_ERR_ELF_BAD_SEGMENT, ph->index, plan->dynamic_phdr_index,
                    at + ELF64_P_TYPE);
      }
      plan->dynamic_phdr_index = ph->index;
      plan->dynamic_offset = ph->offset;
      plan->dynamic_size = ph->filesz;
      plan->dynamic_vaddr = ph->vaddr;
      return OSPOLICY_OK;
    case ELF64_PT_GNU_RELRO: {
      if (plan->relro_phdr_index != NO_INDEX) {
        return fail(plan, OSPOLICY_ERR_ELF_BAD_SEGMENT, ph->index, plan->relro_phdr_index,
                    at + ELF64_P_TYPE);
      }
      uint64_t relro_end;
      if (__builtin_add_overflow(ph->vaddr, ph->memsz, &relro_end)) {
        return fail(plan, OSPOLICY_ERR_OVERFLOW, ph->index, NO_INDEX, at + ELF64_P_MEMSZ);
      }
      plan->relro_phdr_index = ph->index;
      plan->relro_vaddr = ph->vaddr;
      plan->relro_size = ph->memsz;
      return OSPOLICY_OK;
    }
    default:
      /* PT_NOTE, PT_PHDR, PT_GNU_EH_FRAME, PT_GNU_PROPERTY and other
       * informational headers: bounds-checked above, otherwise unused. */
      return OSPOLICY_OK;
  }
}

static bool segment_before(const void *a, const void *b) {
  return ((const OSPolicy_NativePayloadSegment *)a)->page_start <
         ((const OSPolicy_NativePayloadSegment *)b)->page_start;
}

/* Stable by first page (segments are few: at most the plan's fixed capacity). */
static void sort_segments(OSPolicy_NativePayloadMappingPlan *plan) {
  _Static_assert(sizeof(OSPolicy_NativePayloadSegment) <= SORT_MAX_ITEM_SIZE, "segments fit the sort");
  (void)sort_stable_small(plan->segments, plan->segment_count, sizeof plan->segments[0],
                          segment_before);
}

static OSPolicy_Status plan_mapping(const unsigned char *img, size_t size,
                                    OSPolicy_NativePayloadMappingPlan *plan) {
  uint64_t phoff = 0;
  uint32_t phnum = 0;
  OSPolicy_Status status = check_header(img, size, plan, &phoff, &phnum);
  if (status != OSPOLICY_OK) {
    return status;
  }
  for (uint32_t i = 0; i < phnum; i++) {
    /* phoff + phnum * 56 <= size was checked: no overflow here. */
    const uint64_t at = phoff + (uint64_t)i * ELF64_PHDR_SIZE;
    const unsigned char *p = img + at;
    phdr_fields ph = {
        .type = OSPolicy_LoadLe32(p + ELF64_P_TYPE),
        .flags = OSPolicy_LoadLe32(p + ELF64_P_FLAGS),
        .offset = OSPolicy_LoadLe64(p + ELF64_P_OFFSET),
        .vaddr = OSPolicy_LoadLe64(p + ELF64_P_VADDR),
        .filesz = OSPolicy_LoadLe64(p + ELF64_P_FILESZ),
        .memsz = OSPolicy_LoadLe64(p + ELF64_P_MEMSZ),
        .align = OSPolicy_LoadLe64(p + ELF64_P_ALIGN),
        .at = at,
        .index = i,
    };
    if (ph.type == ELF64_PT_NULL) {
      continue;
    }
    status = plan_phdr(size, &ph, plan);
    if (status != OSPOLICY_OK) {
      return status;
    }
  }
  if (plan->segment_count == 0u) {
    return fail_at(plan, OSPOLICY_ERR_ELF_NO_LOAD_SEGMENTS, ELF64_E_PHNUM);
  }
  sort_segments(plan);
  /* Sorted by first page: two segments share a page iff neighbours do. */
  for (uint32_t k = 1; k < plan->segment_count; k++) {
    const OSPolicy_NativePayloadSegment *prev = &plan->segments[k - 1u];
    const OSPolicy_NativePayloadSegment *next = &plan->segments[k];
    if (next->page_start < prev->page_end) {
      uint32_t later = next->phdr_index > prev->phdr_index ? next->phdr_index : prev->phdr_index;
      uint32_t earlier = next->phdr_index > prev->phdr_index ? prev->phdr_index : next->phdr_index;
      return fail(plan, OSPOLICY_ERR_ELF_SEGMENT_OVERLAP, later, earlier,
                  phoff + (uint64_t)later * ELF64_PHDR_SIZE + ELF64_P_VADDR);
    }
  }
  if (plan->relro_phdr_index != NO_INDEX) {
    bool inside = false;
    uint64_t relro_end = plan->relro_vaddr + plan->relro_size; /* checked when recorded */
    for (uint32_t k = 0; k < plan->segment_count; k++) {
      const OSPolicy_NativePayloadSegment *s = &plan->segments[k];
      if ((s->prot & OSPOLICY_PROT_WRITE) != 0u && plan->relro_vaddr >= s->vaddr &&
          relro_end <= s->vaddr + s->memsz) {
        inside = true;
        break;
      }
    }
    if (!inside) {
      return fail(plan, OSPOLICY_ERR_ELF_BAD_SEGMENT, plan->relro_phdr_index, NO_INDEX,
                  phoff + (uint64_t)plan->relro_phdr_index * ELF64_PHDR_SIZE + ELF64_P_VADDR);
    }
  }
  const uint64_t start = plan->segments[0].page_start;
  const uint64_t end = plan->segments[plan->segment_count - 1u].page_end;
  const uint64_t span = end - start; /* end > start: sorted, memsz > 0 */
#if SIZE_MAX < UINT64_MAX
  if (span > SIZE_MAX) {
    return fail_at(plan, OSPOLICY_ERR_OVERFLOW, NO_OFFSET);
  }
#endif
  plan->elf_type = OSPolicy_LoadLe16(img + ELF64_E_TYPE);
  plan->phdr_count = phnum;
  plan->entry = OSPolicy_LoadLe64(img + ELF64_E_ENTRY);
  plan->span_start = start;
  plan->span_end = end;
  plan->span_size = span;
  plan->span_pages = (size_t)(span / plan->page_size);
  plan->status = OSPOLICY_OK;
  return OSPOLICY_OK;
}

OSPolicy_Status OSPolicy_PlanNativePayloadMapping(const OSPolicy_NativePayloadRequest *request,
                                                  OSPolicy_NativePayloadMappingPlan *plan) {
  if (plan == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  *plan = (OSPolicy_NativePayloadMappingPlan){
      .status = OSPOLICY_STATUS_UNSET,
      .error_phdr_index = NO_INDEX,
      .error_other_phdr_index = NO_INDEX,
      .error_offset = NO_OFFSET,
      .page_size = request != NULL ? request->page_size : 0u,
      .image_size = request != NULL ? request->image_size : 0u,
      .dynamic_phdr_index = NO_INDEX,
      .relro_phdr_index = NO_INDEX,
  };
  if (request == NULL || request->image == NULL) {
    return fail_at(plan, OSPOLICY_ERR_NULL_ARGUMENT, NO_OFFSET);
  }
  if (!OSPolicy_IsValidPageSize(request->page_size)) {
    return fail_at(plan, OSPOLICY_ERR_BAD_PAGE_SIZE, NO_OFFSET);
  }
  return plan_mapping((const unsigned char *)request->image, request->image_size, plan);
}
