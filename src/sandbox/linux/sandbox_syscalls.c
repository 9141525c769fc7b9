/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * The Linux x86-64 syscall table handed to the profile compiler, read from
 * libseccomp's own database (seccomp_syscall_resolve_num_arch), so the names
 * a manifest uses and the numbers the filter tests come from one source and
 * follow the installed libseccomp.
 */
#include <stdlib.h>
#include <string.h>

#include "sandbox_linux.h"

int sandbox_linux_syscall_table(OSPolicy_SyscallTable *table) {
  table->entries = NULL;
  table->count = 0;
  OSPolicy_SyscallName *entries = calloc(OSPOLICY_SANDBOX_SYSCALL_LIMIT, sizeof *entries);
  if (entries == NULL) {
    return -1;
  }
  size_t count = 0;
  for (uint32_t number = 0; number < OSPOLICY_SANDBOX_SYSCALL_LIMIT; number++) {
    char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_X86_64, (int)number);
    if (name == NULL) {
      continue;
    }
    entries[count].name = name;
    entries[count].number = number;
    count++;
  }
  table->entries = entries;
  table->count = count;
  return count > 0u ? 0 : -1;
}

void sandbox_free_syscall_table(OSPolicy_SyscallTable *table) {
  if (table->entries != NULL) {
    for (size_t i = 0; i < table->count; i++) {
      free((char *)table->entries[i].name);
    }
    free((OSPolicy_SyscallName *)table->entries);
  }
  table->entries = NULL;
  table->count = 0;
}
