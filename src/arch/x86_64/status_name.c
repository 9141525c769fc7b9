/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
#include "status_name.h"

#include <stddef.h>

#include "ospolicy/boot_info.h"
#include "page_table.h"

typedef struct status_entry {
  unsigned value;
  const char *name;
  const char *text;
} status_entry;

static const status_entry page_table_statuses[] = {
#define PAGE_TABLE_ROW(code, short_name, text) {(unsigned)code, short_name, text},
    OSBAREMETAL_STATUS_LIST_PAGE_TABLE(PAGE_TABLE_ROW)
#undef PAGE_TABLE_ROW
};

static const status_entry *find_page_table_status(OSPolicy_Status status) {
  for (size_t i = 0; i < sizeof page_table_statuses / sizeof page_table_statuses[0]; i++) {
    if (page_table_statuses[i].value == (unsigned)status) {
      return &page_table_statuses[i];
    }
  }
  return NULL;
}

const char *OSBaremetal_PageTableStatusName(OSPolicy_Status status) {
  const status_entry *entry = find_page_table_status(status);
  return entry != NULL ? entry->name : NULL;
}

const char *OSBaremetal_PageTableStatusText(OSPolicy_Status status) {
  const status_entry *entry = find_page_table_status(status);
  return entry != NULL ? entry->text : NULL;
}

/* The core answers for its own codes; a platform code is looked up in the
 * platform tables, and only a value nobody defines stays "unknown-status". */
const char *OSBaremetal_StatusName(OSPolicy_Status status) {
  if (!OSPOLICY_IS_PLATFORM_STATUS(status)) {
    return OSPolicy_StatusName(status);
  }
  const char *name = OSBaremetal_PageTableStatusName(status);
  if (name == NULL) {
    name = OSPolicy_BootInfoStatusName(status);
  }
  return name != NULL ? name : OSPolicy_StatusName(status);
}

const char *OSBaremetal_StatusText(OSPolicy_Status status) {
  if (!OSPOLICY_IS_PLATFORM_STATUS(status)) {
    return OSPolicy_StatusText(status);
  }
  const char *text = OSBaremetal_PageTableStatusText(status);
  if (text == NULL) {
    text = OSPolicy_BootInfoStatusText(status);
  }
  return text != NULL ? text : OSPolicy_StatusText(status);
}
