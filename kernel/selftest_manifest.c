/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * The manifest validator the host CLI uses, live in the kernel: the embedded
 * examples/manifest/minimal.json must be accepted, and two rejected examples
 * must fail with exactly the status and position the host tests expect:
 * reject-duplicate-member.json (a duplicate "name": malformed, 5:3) and
 * reject-writable-app.json (denied, 6:36). Workspace comes from
 * OSHost_AllocatePages.
 */
#include "kernel.h"
#include "ospolicy/manifest.h"
#include "ospolicy/pal.h"

extern const char manifest_minimal_start[], manifest_minimal_end[];
extern const char manifest_duplicate_start[], manifest_duplicate_end[];
extern const char manifest_writable_start[], manifest_writable_end[];

static OSPolicy_ManifestResult result;
/* The accepted manifest's name, copied out: its strings live in the
 * workspace, which is unmapped before validate() returns. */
static char app[OSPOLICY_MANIFEST_MAX_NAME + 1u];

static OSPolicy_Status validate(const char *start, const char *end) {
  size_t size = (size_t)(end - start);
  size_t required = 0;
  OSPolicy_Status status = OSPolicy_GetManifestWorkspaceSize(size, &required);
  void *workspace = NULL;
  size_t pages = (required + 4095u) / 4096u;
  if (status == OSPOLICY_OK) {
    status = OSPolicy_PalAllocatePages(pages, &workspace);
  }
  if (status != OSPOLICY_OK) {
    return status;
  }
  OSPolicy_ManifestRequest request = {start, size, 0, workspace, pages * 4096u};
  status = OSPolicy_ValidateManifest(&request, &result);
  size_t n = 0;
  if (status == OSPOLICY_OK) {
    n = result.manifest.name.length < OSPOLICY_MANIFEST_MAX_NAME ? result.manifest.name.length
                                                                 : OSPOLICY_MANIFEST_MAX_NAME;
    for (size_t i = 0; i < n; ++i) {
      app[i] = result.manifest.name.data[i];
    }
  }
  app[n] = '\0';
  if (OSPolicy_PalFreePages(workspace, pages) != OSPOLICY_OK) {
    kernel_panic("manifest workspace could not be unmapped");
  }
  return status;
}

static void expect_rejected(OSBaremetal_TestReport *report, const char *file, const char *start, const char *end,
                            OSPolicy_Status want, uint32_t line, uint32_t column, int *ok) {
  OSPolicy_Status status = validate(start, end);
  const OSPolicy_ManifestFinding *first = result.finding_count > 0u ? &result.findings[0] : NULL;
  if (status != want || first == NULL || first->status != want || first->line != line || first->column != column) {
    OSBaremetal_TestFail(report, "kernel.manifest_rejected", "%s: %s at %u:%u, want %s at %u:%u", file,
                         OSBaremetal_StatusName(status), first != NULL ? first->line : 0u,
                         first != NULL ? first->column : 0u, OSBaremetal_StatusName(want), line, column);
    *ok = 0;
    return;
  }
  OSBaremetal_TestNote(report, "kernel: %s rejected: %u:%u: %s: %s", file, line, column, OSBaremetal_StatusName(want),
                       first->message);
}

void kernel_selftest_manifest(OSBaremetal_TestReport *report) {
  const char *accepted = "kernel.manifest_accepted";
  OSBaremetal_TestStart(report, accepted);
  OSPolicy_Status status = validate(manifest_minimal_start, manifest_minimal_end);
  if (status != OSPOLICY_OK) {
    OSBaremetal_TestFail(report, accepted, "minimal.json: %s (%lu findings)", OSBaremetal_StatusName(status),
                         (unsigned long)result.findings_total);
  } else {
    OSBaremetal_TestNote(report, "kernel: minimal.json accepted: app \"%s\"", app);
    OSBaremetal_TestPass(report, accepted);
  }
  const char *rejected = "kernel.manifest_rejected";
  OSBaremetal_TestStart(report, rejected);
  int ok = 1;
  expect_rejected(report, "reject-duplicate-member.json", manifest_duplicate_start, manifest_duplicate_end,
                  OSPOLICY_ERR_MANIFEST_MALFORMED, 5, 3, &ok);
  if (ok) {
    expect_rejected(report, "reject-writable-app.json", manifest_writable_start, manifest_writable_end,
                    OSPOLICY_DENIED_MANIFEST_WRITABLE_APP, 6, 36, &ok);
  }
  if (ok) {
    OSBaremetal_TestPass(report, rejected);
  }
}
