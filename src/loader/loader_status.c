/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
#include "loader_status.h"

#include <stddef.h>

#include "status_name.h"

typedef struct status_entry {
  unsigned value;
  const char *name;
  const char *text;
} status_entry;

static const status_entry uefi_statuses[] = {
#define UEFI_ROW(code, short_name, text) {(unsigned)code, short_name, text},
    LOADER_STATUS_LIST_UEFI(UEFI_ROW)
#undef UEFI_ROW
};

static const status_entry *find_uefi_status(OSPolicy_Status status) {
  for (size_t i = 0; i < sizeof uefi_statuses / sizeof uefi_statuses[0]; i++) {
    if (uefi_statuses[i].value == (unsigned)status) {
      return &uefi_statuses[i];
    }
  }
  return NULL;
}

const char *loader_status_name(OSPolicy_Status status) {
  const status_entry *entry = find_uefi_status(status);
  return entry != NULL ? entry->name : OSBaremetal_StatusName(status);
}

const char *loader_status_text(OSPolicy_Status status) {
  const status_entry *entry = find_uefi_status(status);
  return entry != NULL ? entry->text : OSBaremetal_StatusText(status);
}
