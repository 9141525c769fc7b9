/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/* Links the installed core and Linux backend: plans a protection change and
 * applies it live, then checks that a forged RWX plan is refused. */
#include <stdio.h>

#include <ospolicy/pal.h>
#include <ospolicy/page_protection.h>

int main(void) {
  size_t page = 0;
  void *base = NULL;
  if (OSPolicy_PalGetPageSize(&page) != OSPOLICY_OK ||
      OSPolicy_PalAllocatePages(1, &base) != OSPOLICY_OK) {
    fprintf(stderr, "consumer: could not allocate a page\n");
    return 1;
  }
  OSPolicy_PageProtectionRequest request = {.base = (uintptr_t)base, .size = page,
                                            .page_size = page, .from = OSPOLICY_PROT_RW,
                                            .to = OSPOLICY_PROT_READ};
  OSPolicy_PageProtectionPlan plan;
  OSPolicy_Status planned = OSPolicy_PlanPageProtection(&request, &plan);
  OSPolicy_Status applied = planned == OSPOLICY_OK ? OSPolicy_PalProtectPages(&plan) : planned;
  request.to = OSPOLICY_PROT_ALL;
  OSPolicy_PageProtectionPlan rwx;
  OSPolicy_Status refused = OSPolicy_PlanPageProtection(&request, &rwx);
  printf("consumer: plan=%s apply=%s rwx=%s\n", OSPolicy_StatusName(planned),
         OSPolicy_StatusName(applied), OSPolicy_StatusName(refused));
  OSPolicy_Status freed = OSPolicy_PalFreePages(base, 1);
  return (applied == OSPOLICY_OK && refused == OSPOLICY_DENIED_RWX && freed == OSPOLICY_OK) ? 0 : 1;
}
