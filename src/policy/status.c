/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
#include "ospolicy/status.h"

#include <stddef.h>

typedef struct status_entry {
  OSPolicy_Status status;
  const char *name;
  const char *text;
} status_entry;

/* const tables live in .rodata: no mutable state. */
static const status_entry status_table[] = {
#define OSPOLICY_STATUS_ROW(name, value, short_name, text) {name, short_name, text},
    OSPOLICY_STATUS_LIST(OSPOLICY_STATUS_ROW)
#undef OSPOLICY_STATUS_ROW
};

static const status_entry *find_status(OSPolicy_Status status) {
  for (size_t i = 0; i < sizeof status_table / sizeof status_table[0]; i++) {
    if (status_table[i].status == status) {
      return &status_table[i];
    }
  }
  return NULL;
}

const char *OSPolicy_StatusName(OSPolicy_Status status) {
  const status_entry *entry = find_status(status);
  return entry != NULL ? entry->name : "unknown-status";
}

const char *OSPolicy_StatusText(OSPolicy_Status status) {
  const status_entry *entry = find_status(status);
  return entry != NULL ? entry->text : "status code not known to this build";
}

OSPolicy_StatusClass OSPolicy_GetStatusClass(OSPolicy_Status status) {
  if (find_status(status) == NULL && !OSPOLICY_IS_PLATFORM_STATUS(status)) {
    return OSPOLICY_CLASS_UNKNOWN;
  }
  switch ((unsigned)status >> 8) {
    case 0x00:
      return status == OSPOLICY_OK ? OSPOLICY_CLASS_OK : OSPOLICY_CLASS_UNSET;
    case 0x01:
      return OSPOLICY_CLASS_CALLER;
    case 0x02:
      return OSPOLICY_CLASS_INPUT;
    case 0x03:
      return OSPOLICY_CLASS_ENVIRONMENT;
    case 0x04:
      return OSPOLICY_CLASS_DENIED;
    default:
      return OSPOLICY_CLASS_UNKNOWN;
  }
}

const char *OSPolicy_StatusClassName(OSPolicy_StatusClass status_class) {
  switch (status_class) {
    case OSPOLICY_CLASS_UNSET:
      return "unset";
    case OSPOLICY_CLASS_OK:
      return "ok";
    case OSPOLICY_CLASS_CALLER:
      return "caller";
    case OSPOLICY_CLASS_INPUT:
      return "input";
    case OSPOLICY_CLASS_ENVIRONMENT:
      return "environment";
    case OSPOLICY_CLASS_DENIED:
      return "denied";
    case OSPOLICY_CLASS_UNKNOWN:
    default:
      return "unknown";
  }
}
