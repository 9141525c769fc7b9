/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * Names for every status an x86-64 loader or kernel prints.
 *
 * The core's table (<ospolicy/status.h>) holds only the core's codes; the
 * platform codes are defined by the layers that return them, in the core's
 * reserved platform ranges: the page tables (page_table.h) and the boot
 * hand-off (<ospolicy/boot_info.h>). These functions ask the core first and
 * those tables after, so a log line names a page-table or boot-info failure
 * exactly as it names a core one. A layer above with codes of its own (the
 * UEFI loader, src/loader/loader_status.h) names those and falls back here.
 */
#ifndef OSPOLICY_ARCH_X86_64_STATUS_NAME_H
#define OSPOLICY_ARCH_X86_64_STATUS_NAME_H

#include "ospolicy/status.h"

/* Short stable name ("page-already-mapped", "denied-rwx"); "unknown-status"
 * for a value no table holds. Never NULL. */
const char *OSBaremetal_StatusName(OSPolicy_Status status);
/* One-line description; never NULL. */
const char *OSBaremetal_StatusText(OSPolicy_Status status);
/* The page-table codes alone: name or text, NULL for any other value. */
const char *OSBaremetal_PageTableStatusName(OSPolicy_Status status);
const char *OSBaremetal_PageTableStatusText(OSPolicy_Status status);

#endif /* OSPOLICY_ARCH_X86_64_STATUS_NAME_H */
