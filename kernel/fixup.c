/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * Exception fixups: where execution resumes after an expected fault. The
 * static table (__ex_table, built by probes.S) maps each probing
 * instruction to its "faulted" exit, as Linux's exception table does; the
 * dynamic slots map a jump target (exec probes, stubs) to a resume point.
 * Only #PF, #UD and #GP consult them (exceptions.c); anything else panics.
 */
#include "kernel.h"

typedef struct ex_entry {
  int32_t fault;  /* offset of the faulting instruction from this field */
  int32_t resume; /* offset of the resume point from this field */
} ex_entry;

extern const ex_entry __start_ex_table[];
extern const ex_entry __stop_ex_table[];

typedef struct dynamic_fixup {
  uint64_t fault;
  uint64_t resume; /* 0: free */
} dynamic_fixup;

static dynamic_fixup dynamic[KERNEL_DYNAMIC_FIXUPS];

static uint64_t target_of(const int32_t *field) {
  return (uint64_t)(uintptr_t)field + (uint64_t)(int64_t)*field;
}

uint32_t kernel_fixup_static_count(void) {
  return (uint32_t)(__stop_ex_table - __start_ex_table);
}

int kernel_fixup_find(uint64_t fault_rip, uint64_t *resume_rip) {
  for (const ex_entry *e = __start_ex_table; e < __stop_ex_table; ++e) {
    if (target_of(&e->fault) == fault_rip) {
      *resume_rip = target_of(&e->resume);
      return 1;
    }
  }
  for (uint32_t i = 0; i < KERNEL_DYNAMIC_FIXUPS; ++i) {
    if (dynamic[i].resume != 0u && dynamic[i].fault == fault_rip) {
      *resume_rip = dynamic[i].resume;
      return 1;
    }
  }
  return 0;
}

int kernel_fixup_add(uint64_t fault_rip, uint64_t resume_rip) {
  for (uint32_t i = 0; i < KERNEL_DYNAMIC_FIXUPS; ++i) {
    if (dynamic[i].resume == 0u) {
      dynamic[i].fault = fault_rip;
      dynamic[i].resume = resume_rip;
      return 1;
    }
  }
  return 0;
}

void kernel_fixup_remove(uint64_t fault_rip) {
  for (uint32_t i = 0; i < KERNEL_DYNAMIC_FIXUPS; ++i) {
    if (dynamic[i].fault == fault_rip) {
      dynamic[i].fault = 0;
      dynamic[i].resume = 0;
    }
  }
}

int kernel_probe_exec(uint64_t target) {
  if (!kernel_fixup_add(target, (uint64_t)(uintptr_t)&kprobe_exec_resume)) {
    kernel_panic("no free dynamic fixup slot");
  }
  int faulted = kprobe_exec(target);
  kernel_fixup_remove(target);
  return faulted;
}
