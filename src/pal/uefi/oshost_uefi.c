/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * OSHost PAL inside UEFI boot services. See oshost_uefi.h for the protection
 * paths; docs/uefi.md for what was measured on OVMF.
 */
#include "oshost_uefi.h"

#include <stddef.h>
#include <stdint.h>

#include "com1.h"
#include "format.h"
#include "freestanding_mem.h"
#include "uefi_console.h"
#include "uefi_firmware.h"

#define EFI_PAGE_BYTES 4096u

static EFI_HANDLE uefi_image;
static EFI_SYSTEM_TABLE *uefi_system_table;
static EFI_BOOT_SERVICES *uefi_boot_services; /* NULL once boot services are gone */
static OSPolicy_EfiMemoryAttributeProtocol *uefi_memory_attribute;
static OSPolicy_EfiDxeServices *uefi_dxe_services;
static OSPolicy_EfiCpuArchProtocol *uefi_cpu_arch;
static EFI_RNG_PROTOCOL *uefi_rng; /* cleared on the ExitBootServices path */
static OSHostUefi_ProtectionPath uefi_path;
static uint64_t uefi_protection_calls;

static int guid_equal(const EFI_GUID *a, const EFI_GUID *b) {
  const uint8_t *x = (const uint8_t *)a;
  const uint8_t *y = (const uint8_t *)b;
  for (size_t i = 0; i < sizeof(EFI_GUID); ++i) {
    if (x[i] != y[i]) {
      return 0;
    }
  }
  return 1;
}

static void *find_configuration_table(const EFI_GUID *guid) {
  for (UINTN i = 0; i < uefi_system_table->NumberOfTableEntries; ++i) {
    EFI_CONFIGURATION_TABLE *entry = &uefi_system_table->ConfigurationTable[i];
    if (guid_equal(&entry->VendorGuid, guid)) {
      return entry->VendorTable;
    }
  }
  return NULL;
}

static void *locate_protocol(EFI_GUID *guid) {
  void *interface = NULL;
  if (uefi_boot_services->LocateProtocol(guid, NULL, &interface) != EFI_SUCCESS) {
    return NULL;
  }
  return interface;
}

OSHost_Status OSHostUefi_Init(EFI_HANDLE image, EFI_SYSTEM_TABLE *system_table) {
  if (image == NULL || system_table == NULL || system_table->BootServices == NULL) {
    return OSHOST_ERR_INVALID_ARGUMENT;
  }
  uefi_image = image; /* the loader's firmware layer opens the ESP through it */
  uefi_system_table = system_table;
  uefi_boot_services = system_table->BootServices;
  static EFI_GUID attribute_guid = OSPOLICY_EFI_MEMORY_ATTRIBUTE_PROTOCOL_GUID;
  static EFI_GUID dxe_guid = OSPOLICY_DXE_SERVICES_TABLE_GUID;
  static EFI_GUID cpu_guid = OSPOLICY_EFI_CPU_ARCH_PROTOCOL_GUID;
  static EFI_GUID rng_guid = EFI_RNG_PROTOCOL_GUID;
  uefi_memory_attribute = locate_protocol(&attribute_guid);
  uefi_dxe_services = find_configuration_table(&dxe_guid);
  uefi_cpu_arch = locate_protocol(&cpu_guid);
  uefi_rng = locate_protocol(&rng_guid);
  if (uefi_memory_attribute != NULL) {
    uefi_path = OSHOSTUEFI_PATH_MEMORY_ATTRIBUTE_PROTOCOL;
  } else if (uefi_dxe_services != NULL && uefi_dxe_services->GetMemorySpaceDescriptor != NULL &&
             uefi_dxe_services->SetMemorySpaceAttributes != NULL) {
    uefi_path = OSHOSTUEFI_PATH_DXE_SERVICES;
  } else if (uefi_cpu_arch != NULL) {
    uefi_path = OSHOSTUEFI_PATH_CPU_ARCH_PROTOCOL;
  } else {
    uefi_path = OSHOSTUEFI_PATH_NONE;
  }
  return OSHOST_OK;
}

OSHostUefi_ProtectionPath OSHostUefi_GetProtectionPath(void) {
  return uefi_boot_services != NULL ? uefi_path : OSHOSTUEFI_PATH_NONE;
}

const char *OSHostUefi_ProtectionPathName(OSHostUefi_ProtectionPath path) {
  switch (path) {
    case OSHOSTUEFI_PATH_MEMORY_ATTRIBUTE_PROTOCOL:
      return "memory-attribute-protocol";
    case OSHOSTUEFI_PATH_DXE_SERVICES:
      return "dxe-services";
    case OSHOSTUEFI_PATH_CPU_ARCH_PROTOCOL:
      return "cpu-arch-protocol";
    case OSHOSTUEFI_PATH_NONE:
    default:
      return "none";
  }
}

uint64_t OSHostUefi_ProtectionCallCount(void) {
  return uefi_protection_calls;
}

int OSHostUefi_HasFirmwareRng(void) {
  return uefi_boot_services != NULL && uefi_rng != NULL;
}

void OSHostUefi_MarkBootServicesExited(void) {
  /* Everything that could reach boot services is dropped together. */
  uefi_rng = NULL;
  uefi_memory_attribute = NULL;
  uefi_dxe_services = NULL;
  uefi_cpu_arch = NULL;
  uefi_boot_services = NULL;
  OSHostUefi_ConsoleFirmwareGone();
}

EFI_SYSTEM_TABLE *OSHostUefi_SystemTable(void) {
  return uefi_system_table;
}

EFI_HANDLE OSHostUefi_ImageHandle(void) {
  return uefi_image;
}

EFI_BOOT_SERVICES *OSHostUefi_BootServices(void) {
  return uefi_boot_services;
}

/* ---- Memory ---------------------------------------------------------- */

OSHost_Status OSHost_GetPageSize(size_t *page_size) {
  if (page_size == NULL) {
    return OSHOST_ERR_INVALID_ARGUMENT;
  }
  *page_size = EFI_PAGE_BYTES;
  return OSHOST_OK;
}

/* The EFI_MEMORY_RO/XP pair for a protection. */
static uint64_t efi_protection(uint32_t prot) {
  uint64_t attributes = 0;
  if ((prot & OSHOST_PROT_WRITE) == 0u) {
    attributes |= EFI_MEMORY_RO;
  }
  if ((prot & OSHOST_PROT_EXEC) == 0u) {
    attributes |= EFI_MEMORY_XP;
  }
  return attributes;
}

static OSHost_Status via_attribute_protocol(uint64_t base, uint64_t size, uint64_t wanted) {
  OSPolicy_EfiMemoryAttributeProtocol *protocol = uefi_memory_attribute;
  EFI_STATUS status;
  /* Remove rights before adding others, so no page is W+X in between:
   * to read-only first, then execute; or to non-executable first, then
   * writable (reclaim). */
  if ((wanted & EFI_MEMORY_RO) != 0u) {
    uefi_protection_calls++;
    status = protocol->SetMemoryAttributes(protocol, base, size, EFI_MEMORY_RO);
    if (status != EFI_SUCCESS) {
      return OSHOST_ERR_DEVICE;
    }
    uefi_protection_calls++;
    status = (wanted & EFI_MEMORY_XP) != 0u
                 ? protocol->SetMemoryAttributes(protocol, base, size, EFI_MEMORY_XP)
                 : protocol->ClearMemoryAttributes(protocol, base, size, EFI_MEMORY_XP);
  } else {
    uefi_protection_calls++;
    status = protocol->SetMemoryAttributes(protocol, base, size, EFI_MEMORY_XP);
    if (status != EFI_SUCCESS) {
      return OSHOST_ERR_DEVICE;
    }
    uefi_protection_calls++;
    status = protocol->ClearMemoryAttributes(protocol, base, size, EFI_MEMORY_RO);
  }
  return status == EFI_SUCCESS ? OSHOST_OK : OSHOST_ERR_DEVICE;
}

/* One SetMemorySpaceAttributes per GCD descriptor the range touches: the
 * call replaces all attributes, so each piece keeps its own cacheability. */
static OSHost_Status via_dxe_services(uint64_t base, uint64_t size, uint64_t wanted) {
  uint64_t end = base + size;
  /* Check every piece before changing any, so a refusal changes nothing. */
  for (uint64_t address = base; address < end;) {
    OSPolicy_EfiGcdMemorySpaceDescriptor descriptor;
    uefi_protection_calls++;
    if (uefi_dxe_services->GetMemorySpaceDescriptor(address, &descriptor) != EFI_SUCCESS ||
        descriptor.Length == 0u || (descriptor.Capabilities & wanted) != wanted) {
      return OSHOST_ERR_DEVICE;
    }
    address = descriptor.BaseAddress + descriptor.Length;
  }
  for (uint64_t address = base; address < end;) {
    OSPolicy_EfiGcdMemorySpaceDescriptor descriptor;
    uefi_protection_calls++;
    if (uefi_dxe_services->GetMemorySpaceDescriptor(address, &descriptor) != EFI_SUCCESS ||
        descriptor.Length == 0u) {
      return OSHOST_ERR_DEVICE;
    }
    uint64_t piece_end = descriptor.BaseAddress + descriptor.Length;
    if (piece_end > end) {
      piece_end = end;
    }
    uint64_t attributes = (descriptor.Attributes & ~OSPOLICY_EFI_PROTECTION_MASK) | wanted;
    uefi_protection_calls++;
    if (uefi_dxe_services->SetMemorySpaceAttributes(address, piece_end - address, attributes) !=
        EFI_SUCCESS) {
      return OSHOST_ERR_DEVICE;
    }
    address = piece_end;
  }
  return OSHOST_OK;
}

static OSHost_Status via_cpu_arch(uint64_t base, uint64_t size, uint64_t wanted) {
  /* Only protection bits: with no cacheability bit the CPU driver leaves the
   * memory type alone. RO and XP are applied in one call. */
  uefi_protection_calls++;
  return uefi_cpu_arch->SetMemoryAttributes(uefi_cpu_arch, base, size, wanted) == EFI_SUCCESS
             ? OSHOST_OK
             : OSHOST_ERR_DEVICE;
}

OSHost_Status OSHostUefi_ReadProtection(uint64_t base, uint64_t size, uint64_t *attributes) {
  if (attributes == NULL || size == 0u || (base & (EFI_PAGE_BYTES - 1u)) != 0u ||
      (size & (EFI_PAGE_BYTES - 1u)) != 0u) {
    return OSHOST_ERR_INVALID_ARGUMENT;
  }
  if (uefi_boot_services == NULL) {
    return OSHOST_ERR_FIRMWARE_GONE;
  }
  switch (uefi_path) {
    case OSHOSTUEFI_PATH_MEMORY_ATTRIBUTE_PROTOCOL: {
      UINT64 value = 0;
      if (uefi_memory_attribute->GetMemoryAttributes(uefi_memory_attribute, base, size, &value) !=
          EFI_SUCCESS) {
        return OSHOST_ERR_DEVICE;
      }
      *attributes = value & OSPOLICY_EFI_PROTECTION_MASK;
      return OSHOST_OK;
    }
    case OSHOSTUEFI_PATH_DXE_SERVICES: {
      uint64_t first = 0;
      int have_first = 0;
      for (uint64_t address = base; address < base + size;) {
        OSPolicy_EfiGcdMemorySpaceDescriptor descriptor;
        if (uefi_dxe_services->GetMemorySpaceDescriptor(address, &descriptor) != EFI_SUCCESS ||
            descriptor.Length == 0u) {
          return OSHOST_ERR_DEVICE;
        }
        uint64_t value = descriptor.Attributes & OSPOLICY_EFI_PROTECTION_MASK;
        if (have_first && value != first) {
          return OSHOST_ERR_DEVICE; /* not uniform */
        }
        first = value;
        have_first = 1;
        address = descriptor.BaseAddress + descriptor.Length;
      }
      *attributes = first;
      return OSHOST_OK;
    }
    case OSHOSTUEFI_PATH_CPU_ARCH_PROTOCOL:
    case OSHOSTUEFI_PATH_NONE:
    default:
      return OSHOST_ERR_UNSUPPORTED;
  }
}

/* Applies `prot` to a page range through the firmware's path, then reads it
 * back where the path can. */
static OSHost_Status apply_protection(uint64_t base, uint64_t size, uint32_t prot) {
  if (uefi_boot_services == NULL) {
    return OSHOST_ERR_FIRMWARE_GONE;
  }
  uint64_t wanted = efi_protection(prot);
  OSHost_Status status;
  switch (uefi_path) {
    case OSHOSTUEFI_PATH_MEMORY_ATTRIBUTE_PROTOCOL:
      status = via_attribute_protocol(base, size, wanted);
      break;
    case OSHOSTUEFI_PATH_DXE_SERVICES:
      status = via_dxe_services(base, size, wanted);
      break;
    case OSHOSTUEFI_PATH_CPU_ARCH_PROTOCOL:
      return via_cpu_arch(base, size, wanted);
    case OSHOSTUEFI_PATH_NONE:
    default:
      return OSHOST_ERR_UNSUPPORTED;
  }
  if (status != OSHOST_OK) {
    return status;
  }
  uint64_t now = 0;
  status = OSHostUefi_ReadProtection(base, size, &now);
  if (status != OSHOST_OK) {
    return status;
  }
  return (now & (EFI_MEMORY_RO | EFI_MEMORY_XP)) == wanted ? OSHOST_OK : OSHOST_ERR_DEVICE;
}

OSHost_Status OSHost_AllocatePages(size_t page_count, void **base) {
  size_t bytes;
  if (base == NULL || page_count == 0u || __builtin_mul_overflow(page_count, (size_t)EFI_PAGE_BYTES, &bytes)) {
    return OSHOST_ERR_INVALID_ARGUMENT;
  }
  if (uefi_boot_services == NULL) {
    return OSHOST_ERR_FIRMWARE_GONE;
  }
  EFI_PHYSICAL_ADDRESS address = 0;
  EFI_STATUS status = uefi_boot_services->AllocatePages(AllocateAnyPages, EfiLoaderData, page_count, &address);
  if (status != EFI_SUCCESS) {
    return status == EFI_OUT_OF_RESOURCES ? OSHOST_ERR_NO_MEMORY : OSHOST_ERR_DEVICE;
  }
  memset((void *)(uintptr_t)address, 0, bytes);
  /* OVMF hands out loader data executable (no NX policy); the contract says
   * fresh pages are not executable, so make them RW+NX explicitly. */
  if (apply_protection(address, bytes, (OSHOST_PROT_READ | OSHOST_PROT_WRITE)) != OSHOST_OK) {
    (void)uefi_boot_services->FreePages(address, page_count);
    return OSHOST_ERR_DEVICE;
  }
  *base = (void *)(uintptr_t)address;
  return OSHOST_OK;
}

OSHost_Status OSHost_FreePages(void *base, size_t page_count) {
  size_t bytes;
  if (base == NULL || page_count == 0u || ((uintptr_t)base & (EFI_PAGE_BYTES - 1u)) != 0u ||
      __builtin_mul_overflow(page_count, (size_t)EFI_PAGE_BYTES, &bytes)) {
    return OSHOST_ERR_INVALID_ARGUMENT;
  }
  if (uefi_boot_services == NULL) {
    return OSHOST_ERR_FIRMWARE_GONE;
  }
  /* Back to RW before the firmware reuses the pages: a read-only page handed
   * to the next allocation would fault in firmware code. */
  if (apply_protection((uint64_t)(uintptr_t)base, bytes, (OSHOST_PROT_READ | OSHOST_PROT_WRITE)) != OSHOST_OK) {
    return OSHOST_ERR_DEVICE;
  }
  return uefi_boot_services->FreePages((EFI_PHYSICAL_ADDRESS)(uintptr_t)base, page_count) == EFI_SUCCESS
             ? OSHOST_OK
             : OSHOST_ERR_DEVICE;
}

OSHost_Status OSHost_ProtectPages(void *base, size_t size, uint32_t from, uint32_t to) {
  const uint32_t known = OSHOST_PROT_READ | OSHOST_PROT_WRITE | OSHOST_PROT_EXEC;
  /* Refused before any firmware call: the firmware never sees a W+X request. */
  if ((to & OSHOST_PROT_WRITE) != 0u && (to & OSHOST_PROT_EXEC) != 0u) {
    return OSHOST_ERR_DENIED;
  }
  uintptr_t end;
  if (base == NULL || size == 0u || (from & ~known) != 0u || (to & ~known) != 0u ||
      (((uintptr_t)base | size) & (EFI_PAGE_BYTES - 1u)) != 0u ||
      __builtin_add_overflow((uintptr_t)base, size, &end)) {
    return OSHOST_ERR_INVALID_ARGUMENT;
  }
  return apply_protection((uint64_t)(uintptr_t)base, (uint64_t)size, to);
}

OSHost_Status OSHost_FlushInstructionCache(const void *base, size_t size) {
  uintptr_t end;
  if (base == NULL || size == 0u || __builtin_add_overflow((uintptr_t)base, size, &end)) {
    return OSHOST_ERR_INVALID_ARGUMENT;
  }
  /* x86-64 keeps instruction fetch coherent with stores; a serialising
   * instruction orders the fetch after the writes. */
  uint32_t eax = 0;
  uint32_t ebx;
  uint32_t ecx = 0;
  uint32_t edx;
  __asm__ volatile("cpuid" : "+a"(eax), "=b"(ebx), "+c"(ecx), "=d"(edx) : : "memory");
  return OSHOST_OK;
}

/* ---- Randomness ------------------------------------------------------ */

OSHost_Status OSHost_FillRandom(void *buffer, size_t length, OSHost_RandomSource *source) {
  if (source != NULL) {
    *source = OSHOST_RANDOM_SOURCE_UNSET;
  }
  if (buffer == NULL || source == NULL || length == 0u) {
    return OSHOST_ERR_INVALID_ARGUMENT;
  }
  if (uefi_boot_services == NULL) {
    return OSHOST_ERR_FIRMWARE_GONE; /* the firmware RNG must never be touched after exit */
  }
  if (uefi_rng == NULL) {
    return OSHOST_ERR_UNSUPPORTED;
  }
  /* The raw algorithm first, then the firmware's default (as the Linux stub does). */
  static EFI_GUID raw = EFI_RNG_ALGORITHM_RAW;
  EFI_STATUS status = uefi_rng->GetRNG(uefi_rng, &raw, length, buffer);
  if (status != EFI_SUCCESS) {
    status = uefi_rng->GetRNG(uefi_rng, NULL, length, buffer);
  }
  if (status != EFI_SUCCESS) {
    memset(buffer, 0, length);
    return OSHOST_ERR_DEVICE;
  }
  *source = OSHOST_RANDOM_SOURCE_FIRMWARE_RNG;
  return OSHOST_OK;
}

/* ---- Logging and panic ----------------------------------------------- */

OSHost_Status OSHost_Log(OSHost_LogLevel level, const char *message) {
  const char *name = OSHost_LogLevelName(level);
  if (name == NULL || message == NULL) {
    return OSHOST_ERR_INVALID_ARGUMENT;
  }
  char line[320];
  (void)OSBaremetal_Format(line, sizeof line, "ospolicy: %s: %s", name, message);
  OSHostUefi_ConsoleWriteLine(line);
  return OSHOST_OK;
}

void OSHost_Panic(const char *message) {
  char line[320];
  (void)OSBaremetal_Format(line, sizeof line, "ospolicy: panic: %s", message != NULL ? message : "(no message)");
  OSHostUefi_ConsoleWriteLine(line);
  OSHostUefi_ConsoleWriteLine("TEST_SUMMARY pass=0 fail=1");
  /* Ends a QEMU boot test at once; on hardware without the device it halts. */
  OSBaremetal_DebugExit(OSBAREMETAL_DEBUG_EXIT_FAILURE);
}

/* ---- Boot phase ------------------------------------------------------ */

OSHost_BootPhase OSHost_GetBootPhase(void) {
  return uefi_boot_services != NULL ? OSHOST_BOOT_PHASE_FIRMWARE : OSHOST_BOOT_PHASE_RUNTIME;
}
