/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * The loader's live PAL checks: page protection through whichever firmware
 * path exists (proved by running code from a sealed page and by walking the
 * live page tables), the backend's refusal of a forged plan before any
 * firmware call, and what the firmware's EFI Memory Attributes Table says.
 */
#include <stdint.h>

#include "loader.h"
#include "oshost_uefi.h"
#include "page_table.h"
#include "ospolicy/pal.h"
#include "uefi_firmware.h"
#include "x86_cpu.h"

#define STUB_RESULT 0x05A1C0DEu
#define KNOWN_VALUE 0x0123456789ABCDEFull
/* More Memory Attributes Table entries than any firmware has: a corrupt table. */
#define MAT_MAX_ENTRIES 4096u

static void *identity(void *context, uint64_t physical) {
  (void)context;
  return (void *)(uintptr_t)physical;
}

/* Effective protection of `address` in the firmware's live tables; 0 when the
 * walk is not possible (5-level paging) or the page is absent. */
static uint32_t live_prot(uint64_t address) {
  if ((osb_read_cr4() & OSBAREMETAL_CR4_LA57) != 0u) {
    return 0;
  }
  OSBaremetal_PageTableOps ops = {NULL, identity, NULL, NULL};
  OSBaremetal_PageTable live;
  OSBaremetal_PageInfo info;
  if (OSBaremetal_AttachPageTable(&live, &ops, osb_read_cr3() & OSBAREMETAL_PTE_ADDRESS_MASK) != OSPOLICY_OK ||
      OSBaremetal_QueryPage(&live, address, &info) != OSPOLICY_OK || !info.present) {
    return 0;
  }
  return info.prot;
}

static OSPolicy_Status protect(void *page, uint32_t from, uint32_t to) {
  OSPolicy_PageProtectionRequest request = {(uintptr_t)page, OSBAREMETAL_PAGE_SIZE, OSBAREMETAL_PAGE_SIZE, from, to,
                                            0u};
  OSPolicy_PageProtectionPlan plan;
  OSPolicy_Status status = OSPolicy_PlanPageProtection(&request, &plan);
  if (status != OSPOLICY_OK) {
    return status;
  }
  return OSPolicy_PalProtectPages(&plan);
}

static void check_exec(LoaderContext *loader) {
  const char *name = "loader.pal_protect_exec";
  OSBaremetal_TestReport *report = &loader->report;
  OSBaremetal_TestStart(report, name);
  void *page = NULL;
  OSPolicy_Status status = OSPolicy_PalAllocatePages(1, &page);
  if (status != OSPOLICY_OK) {
    OSBaremetal_TestFail(report, name, "PalAllocatePages: %s", loader_status_name(status));
    return;
  }
  uint64_t address = (uint64_t)(uintptr_t)page;
  uint32_t fresh = live_prot(address);
  /* mov eax, STUB_RESULT; ret */
  static const uint8_t stub[] = {0xB8, 0xDE, 0xC0, 0xA1, 0x05, 0xC3};
  volatile uint8_t *bytes = page;
  for (size_t i = 0; i < sizeof stub; ++i) {
    bytes[i] = stub[i];
  }
  status = protect(page, OSPOLICY_PROT_RW, OSPOLICY_PROT_RX);
  uint64_t attributes = 0;
  OSHost_Status read = OSHostUefi_ReadProtection(address, OSBAREMETAL_PAGE_SIZE, &attributes);
  uint32_t sealed = live_prot(address);
  if (fresh != OSPOLICY_PROT_RW) {
    OSBaremetal_TestFail(report, name, "fresh page 0x%lx has live prot 0x%x, want RW+NX (0x%x)",
                         (unsigned long)address, fresh, OSPOLICY_PROT_RW);
  } else if (status != OSPOLICY_OK) {
    OSBaremetal_TestFail(report, name, "RW->RX through %s: %s",
                         OSHostUefi_ProtectionPathName(OSHostUefi_GetProtectionPath()),
                         loader_status_name(status));
  } else if (read != OSHOST_OK || (attributes & (EFI_MEMORY_RO | EFI_MEMORY_XP)) != EFI_MEMORY_RO) {
    OSBaremetal_TestFail(report, name, "read-back: %s, attributes 0x%lx (want RO, not XP)",
                         OSPolicy_HostStatusName(read), (unsigned long)attributes);
  } else if (sealed != OSPOLICY_PROT_RX) {
    OSBaremetal_TestFail(report, name, "live page tables give prot 0x%x at 0x%lx, want RX", sealed,
                         (unsigned long)address);
  } else if (OSPolicy_PalFlushInstructionCache(page, sizeof stub) != OSPOLICY_OK) {
    OSBaremetal_TestFail(report, name, "instruction-cache flush refused");
  } else {
    uint32_t (*call)(void) = (uint32_t (*)(void))(uintptr_t)page;
    uint32_t result = call();
    OSBaremetal_TestNote(report, "loader: RW->RX via %s at 0x%lx, attributes 0x%lx, stub returned 0x%x",
                         OSHostUefi_ProtectionPathName(OSHostUefi_GetProtectionPath()), (unsigned long)address,
                         (unsigned long)attributes, result);
    if (result == STUB_RESULT) {
      OSBaremetal_TestPass(report, name);
    } else {
      OSBaremetal_TestFail(report, name, "stub returned 0x%x, want 0x%x", result, STUB_RESULT);
    }
  }
  if (OSPolicy_PalFreePages(page, 1) != OSPOLICY_OK) {
    OSBaremetal_TestNote(report, "loader: could not free the stub page 0x%lx", (unsigned long)address);
  }
}

static void check_readonly(LoaderContext *loader) {
  const char *name = "loader.pal_protect_readonly";
  OSBaremetal_TestReport *report = &loader->report;
  OSBaremetal_TestStart(report, name);
  void *page = NULL;
  OSPolicy_Status status = OSPolicy_PalAllocatePages(1, &page);
  if (status != OSPOLICY_OK) {
    OSBaremetal_TestFail(report, name, "PalAllocatePages: %s", loader_status_name(status));
    return;
  }
  uint64_t address = (uint64_t)(uintptr_t)page;
  *(volatile uint64_t *)page = KNOWN_VALUE;
  uint64_t before = 0;
  OSHost_Status read_before = OSHostUefi_ReadProtection(address, OSBAREMETAL_PAGE_SIZE, &before);
  status = protect(page, OSPOLICY_PROT_RW, OSPOLICY_PROT_READ);
  uint64_t after = 0;
  OSHost_Status read_after = OSHostUefi_ReadProtection(address, OSBAREMETAL_PAGE_SIZE, &after);
  uint32_t sealed = live_prot(address);
  if (status != OSPOLICY_OK) {
    OSBaremetal_TestFail(report, name, "RW->R: %s", loader_status_name(status));
  } else if (read_before != OSHOST_OK || read_after != OSHOST_OK) {
    OSBaremetal_TestFail(report, name, "attribute read-back: %s / %s", OSPolicy_HostStatusName(read_before),
                         OSPolicy_HostStatusName(read_after));
  } else if ((before & EFI_MEMORY_RO) != 0u || (after & (EFI_MEMORY_RO | EFI_MEMORY_XP)) !=
                                                  (EFI_MEMORY_RO | EFI_MEMORY_XP)) {
    OSBaremetal_TestFail(report, name, "attributes 0x%lx -> 0x%lx, want RO and XP set after, RO clear before",
                         (unsigned long)before, (unsigned long)after);
  } else if (sealed != OSPOLICY_PROT_READ) {
    OSBaremetal_TestFail(report, name, "live page tables give prot 0x%x, want read-only NX", sealed);
  } else if (*(volatile uint64_t *)page != KNOWN_VALUE) {
    OSBaremetal_TestFail(report, name, "contents changed under the seal");
  } else {
    OSBaremetal_TestNote(report, "loader: RW->R via %s: attributes 0x%lx -> 0x%lx, live prot 0x%x",
                         OSHostUefi_ProtectionPathName(OSHostUefi_GetProtectionPath()), (unsigned long)before,
                         (unsigned long)after, sealed);
    OSBaremetal_TestPass(report, name);
  }
  if (OSPolicy_PalFreePages(page, 1) != OSPOLICY_OK) {
    OSBaremetal_TestNote(report, "loader: could not free the read-only page 0x%lx", (unsigned long)address);
  }
}

static void check_forged_plan(LoaderContext *loader) {
  const char *name = "loader.pal_refuses_forged_plan";
  OSBaremetal_TestReport *report = &loader->report;
  OSBaremetal_TestStart(report, name);
  void *page = NULL;
  OSPolicy_Status status = OSPolicy_PalAllocatePages(1, &page);
  if (status != OSPOLICY_OK) {
    OSBaremetal_TestFail(report, name, "PalAllocatePages: %s", loader_status_name(status));
    return;
  }
  /* A plan that claims OK but asks for RWX: only the backend's re-check stands
   * between it and the firmware, since it is handed to OSHost_ProtectPages
   * directly, bypassing the checked wrapper. */
  OSPolicy_PageProtectionPlan forged = {OSPOLICY_OK, OSPOLICY_TRANSITION_SEAL_EXEC, (uintptr_t)page,
                                        OSBAREMETAL_PAGE_SIZE, OSBAREMETAL_PAGE_SIZE, 1u, OSPOLICY_PROT_RW,
                                        OSPOLICY_PROT_ALL};
  uint64_t calls_before = OSHostUefi_ProtectionCallCount();
  OSHost_Status answer = OSHost_ProtectPages((void *)forged.base, forged.size, forged.from, forged.to);
  uint64_t calls_after = OSHostUefi_ProtectionCallCount();
  uint32_t prot = live_prot((uint64_t)(uintptr_t)page);
  if (answer != OSHOST_ERR_DENIED) {
    OSBaremetal_TestFail(report, name, "backend answered %s, want denied", OSPolicy_HostStatusName(answer));
  } else if (calls_after != calls_before) {
    OSBaremetal_TestFail(report, name, "%lu firmware calls were made for a refused plan",
                         (unsigned long)(calls_after - calls_before));
  } else if (prot != OSPOLICY_PROT_RW) {
    OSBaremetal_TestFail(report, name, "page protection changed to 0x%x", prot);
  } else {
    OSBaremetal_TestPass(report, name);
  }
  if (OSPolicy_PalFreePages(page, 1) != OSPOLICY_OK) {
    OSBaremetal_TestNote(report, "loader: could not free the forged-plan page");
  }
}

void loader_check_protection(LoaderContext *loader) {
  OSHostUefi_ProtectionPath path = OSHostUefi_GetProtectionPath();
  OSBaremetal_TestNote(&loader->report, "loader: protection path: %s", OSHostUefi_ProtectionPathName(path));
  if (path == OSHOSTUEFI_PATH_NONE) {
    OSBaremetal_TestStart(&loader->report, "loader.pal_protect_exec");
    OSBaremetal_TestFail(&loader->report, "loader.pal_protect_exec", "%s",
                         loader_status_text(LOADER_ERR_UEFI_NO_PROTECTION_PATH));
    return;
  }
  check_exec(loader);
  check_readonly(loader);
  check_forged_plan(loader);
}

static void *find_table(EFI_SYSTEM_TABLE *system_table, EFI_GUID *guid) {
  for (UINTN i = 0; i < system_table->NumberOfTableEntries; ++i) {
    EFI_CONFIGURATION_TABLE *entry = &system_table->ConfigurationTable[i];
    const uint8_t *x = (const uint8_t *)&entry->VendorGuid;
    const uint8_t *y = (const uint8_t *)guid;
    size_t same = 0;
    while (same < sizeof(EFI_GUID) && x[same] == y[same]) {
      ++same;
    }
    if (same == sizeof(EFI_GUID)) {
      return entry->VendorTable;
    }
  }
  return NULL;
}

/* Counts the pages of [base, base + size) that are writable and executable in
 * the live (firmware) page tables. */
static uint64_t live_wx_pages(uint64_t base, uint64_t size, uint64_t *pages) {
  uint64_t wx = 0;
  *pages = 0;
  for (uint64_t address = base & ~(OSBAREMETAL_PAGE_SIZE - 1u); address < base + size;
       address += OSBAREMETAL_PAGE_SIZE) {
    (*pages)++;
    if (live_prot(address) == OSPOLICY_PROT_ALL) {
      wx++;
    }
  }
  return wx;
}

void loader_check_memory_attributes_table(LoaderContext *loader) {
  const char *name = "loader.image_wx_firmware";
  OSBaremetal_TestReport *report = &loader->report;
  OSBaremetal_TestStart(report, name);
  static EFI_GUID mat_guid = OSPOLICY_EFI_MEMORY_ATTRIBUTES_TABLE_GUID;
  const OSPolicy_EfiMemoryAttributesTable *table = find_table(OSHostUefi_SystemTable(), &mat_guid);
  if (table == NULL) {
    OSBaremetal_TestFail(report, name, "%s", loader_status_text(LOADER_ERR_UEFI_NO_MEMORY_ATTRIBUTES_TABLE));
    return;
  }
  if (table->DescriptorSize < sizeof(OSPolicy_BootMemoryDescriptor) || table->NumberOfEntries > MAT_MAX_ENTRIES) {
    OSBaremetal_TestFail(report, name, "%s: version %u, %u entries of %u bytes",
                         loader_status_name(OSPOLICY_ERR_UEFI_BAD_MEMORY_MAP), table->Version,
                         table->NumberOfEntries, table->DescriptorSize);
    return;
  }
  static EFI_GUID loaded_image_guid = EFI_LOADED_IMAGE_PROTOCOL_GUID;
  EFI_LOADED_IMAGE *image = NULL;
  EFI_BOOT_SERVICES *bs = OSHostUefi_BootServices();
  if (bs == NULL || bs->HandleProtocol(OSHostUefi_ImageHandle(), &loaded_image_guid, (void **)&image) != EFI_SUCCESS ||
      image == NULL) {
    OSBaremetal_TestFail(report, name, "%s: HandleProtocol(LoadedImage)",
                         loader_status_name(LOADER_ERR_UEFI_CALL_FAILED));
    return;
  }
  uint64_t image_base = (uint64_t)(uintptr_t)image->ImageBase;
  uint64_t image_end = image_base + image->ImageSize;
  uint32_t rwx = 0;
  uint32_t own = 0;
  const uint8_t *entries = (const uint8_t *)(table + 1);
  for (uint32_t i = 0; i < table->NumberOfEntries; ++i) {
    const OSPolicy_BootMemoryDescriptor *entry =
        (const OSPolicy_BootMemoryDescriptor *)(const void *)(entries + (size_t)i * table->DescriptorSize);
    uint64_t end = entry->physical_start + entry->page_count * OSBAREMETAL_PAGE_SIZE;
    if ((entry->attributes & (EFI_MEMORY_RO | EFI_MEMORY_XP | EFI_MEMORY_RP)) == 0u) {
      rwx++;
    }
    if (entry->physical_start < image_end && end > image_base) {
      own++;
    }
  }
  uint64_t pages = 0;
  uint64_t wx_pages = live_wx_pages(image_base, image->ImageSize, &pages);
  OSBaremetal_TestNote(report,
                       "loader: memory attributes table v%u: %u entries, %u RWX; own image 0x%lx+0x%lx: "
                       "%u table entries, %lu of %lu pages W+X in the firmware's live tables",
                       table->Version, table->NumberOfEntries, rwx, (unsigned long)image_base,
                       (unsigned long)image->ImageSize, own, (unsigned long)wx_pages, (unsigned long)pages);
  if (rwx != 0u) {
    OSBaremetal_TestFail(report, name, "%u RWX regions in the EFI Memory Attributes Table", rwx);
  } else {
    OSBaremetal_TestPass(report, name);
  }
}

/* A crypto section must point FS at the canary block (libsodium's stack
 * protector reads %fs:0x28) and give the firmware's FS base back after. */
void loader_check_crypto_section(LoaderContext *loader) {
  const char *name = "loader.crypto_fs_base";
  OSBaremetal_TestReport *report = &loader->report;
  OSBaremetal_TestStart(report, name);
  uint64_t outside = osb_read_msr(OSBAREMETAL_MSR_FS_BASE);
  loader_crypto_enter();
  uint64_t inside = osb_read_msr(OSBAREMETAL_MSR_FS_BASE);
  uint64_t seen = 0;
  __asm__ volatile("movq %%fs:0x28, %0" : "=r"(seen));
  loader_crypto_leave();
  uint64_t after = osb_read_msr(OSBAREMETAL_MSR_FS_BASE);
  uint64_t block = loader_crypto_canary_block();
  if (inside != block) {
    OSBaremetal_TestFail(report, name, "FS base 0x%lx inside a crypto section, want the canary block 0x%lx",
                         (unsigned long)inside, (unsigned long)block);
  } else if (seen != loader_crypto_canary() || seen == 0u || (seen & 0xFFu) != 0u) {
    OSBaremetal_TestFail(report, name, "%%fs:0x28 reads 0x%lx: not the block's canary, or not canary-shaped",
                         (unsigned long)seen);
  } else if (after != outside) {
    OSBaremetal_TestFail(report, name, "FS base 0x%lx after the section, was 0x%lx", (unsigned long)after,
                         (unsigned long)outside);
  } else {
    OSBaremetal_TestNote(report, "loader: crypto sections: FS base 0x%lx -> canary block 0x%lx -> 0x%lx",
                         (unsigned long)outside, (unsigned long)block, (unsigned long)after);
    OSBaremetal_TestPass(report, name);
  }
}
