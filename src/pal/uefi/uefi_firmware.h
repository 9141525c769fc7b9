/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * Firmware interfaces the UEFI backend needs that gnu-efi 3.0.15 does not
 * declare: the UEFI 2.10 memory attribute protocol, the PI DXE services table
 * (GCD memory space), the PI CPU architectural protocol, and the UEFI 2.6
 * memory attributes table. Layouts follow the UEFI 2.10 and PI 1.8 specs.
 * Include after <efi.h>.
 */
#ifndef OSPOLICY_UEFI_FIRMWARE_H
#define OSPOLICY_UEFI_FIRMWARE_H

#include <efi.h>

#ifndef EFI_MEMORY_RO
#define EFI_MEMORY_RO 0x0000000000020000ULL
#endif
/* The page-protection attributes (as opposed to cacheability). */
#define OSPOLICY_EFI_PROTECTION_MASK (EFI_MEMORY_RP | EFI_MEMORY_XP | EFI_MEMORY_RO)

/* ---- EFI_MEMORY_ATTRIBUTE_PROTOCOL (UEFI 2.10, 7.4.x) ---- */
#define OSPOLICY_EFI_MEMORY_ATTRIBUTE_PROTOCOL_GUID \
  { 0xf4560cf6, 0x40ec, 0x4b4a, { 0xa1, 0x92, 0xbf, 0x1d, 0x57, 0xd0, 0xb1, 0x89 } }

typedef struct OSPolicy_EfiMemoryAttributeProtocol OSPolicy_EfiMemoryAttributeProtocol;
struct OSPolicy_EfiMemoryAttributeProtocol {
  EFI_STATUS(EFIAPI *GetMemoryAttributes)(OSPolicy_EfiMemoryAttributeProtocol *This,
                                          EFI_PHYSICAL_ADDRESS BaseAddress, UINT64 Length,
                                          UINT64 *Attributes);
  EFI_STATUS(EFIAPI *SetMemoryAttributes)(OSPolicy_EfiMemoryAttributeProtocol *This,
                                          EFI_PHYSICAL_ADDRESS BaseAddress, UINT64 Length,
                                          UINT64 Attributes);
  EFI_STATUS(EFIAPI *ClearMemoryAttributes)(OSPolicy_EfiMemoryAttributeProtocol *This,
                                            EFI_PHYSICAL_ADDRESS BaseAddress, UINT64 Length,
                                            UINT64 Attributes);
};

/* ---- DXE services table (PI 1.8, vol. 2, 9.1), a configuration table ---- */
#define OSPOLICY_DXE_SERVICES_TABLE_GUID \
  { 0x05ad34ba, 0x6f02, 0x4214, { 0x95, 0x2e, 0x4d, 0xa0, 0x39, 0x8e, 0x2b, 0xb9 } }

typedef enum {
  OSPolicy_EfiGcdMemoryTypeNonExistent = 0,
  OSPolicy_EfiGcdMemoryTypeReserved = 1,
  OSPolicy_EfiGcdMemoryTypeSystemMemory = 2,
  OSPolicy_EfiGcdMemoryTypeMemoryMappedIo = 3
} OSPolicy_EfiGcdMemoryType;

typedef struct OSPolicy_EfiGcdMemorySpaceDescriptor {
  EFI_PHYSICAL_ADDRESS BaseAddress;
  UINT64 Length;
  UINT64 Capabilities;
  UINT64 Attributes;
  UINT32 GcdMemoryType; /* OSPolicy_EfiGcdMemoryType */
  EFI_HANDLE ImageHandle;
  EFI_HANDLE DeviceHandle;
} OSPolicy_EfiGcdMemorySpaceDescriptor;

typedef struct OSPolicy_EfiDxeServices {
  EFI_TABLE_HEADER Hdr;
  VOID *AddMemorySpace;
  VOID *AllocateMemorySpace;
  VOID *FreeMemorySpace;
  VOID *RemoveMemorySpace;
  EFI_STATUS(EFIAPI *GetMemorySpaceDescriptor)(EFI_PHYSICAL_ADDRESS BaseAddress,
                                               OSPolicy_EfiGcdMemorySpaceDescriptor *Descriptor);
  EFI_STATUS(EFIAPI *SetMemorySpaceAttributes)(EFI_PHYSICAL_ADDRESS BaseAddress, UINT64 Length,
                                               UINT64 Attributes);
  /* GetMemorySpaceMap, the I/O space and dispatcher services follow; unused. */
} OSPolicy_EfiDxeServices;

/* ---- EFI_CPU_ARCH_PROTOCOL (PI 1.8, vol. 2, 12.3) ---- */
#define OSPOLICY_EFI_CPU_ARCH_PROTOCOL_GUID \
  { 0x26baccb1, 0x6f42, 0x11d4, { 0xbc, 0xe7, 0x00, 0x80, 0xc7, 0x3c, 0x88, 0x81 } }

typedef struct OSPolicy_EfiCpuArchProtocol OSPolicy_EfiCpuArchProtocol;
struct OSPolicy_EfiCpuArchProtocol {
  VOID *FlushDataCache;
  VOID *EnableInterrupt;
  VOID *DisableInterrupt;
  VOID *GetInterruptState;
  VOID *Init;
  VOID *RegisterInterruptHandler;
  VOID *GetTimerValue;
  EFI_STATUS(EFIAPI *SetMemoryAttributes)(OSPolicy_EfiCpuArchProtocol *This,
                                          EFI_PHYSICAL_ADDRESS BaseAddress, UINT64 Length,
                                          UINT64 Attributes);
  UINT32 NumberOfTimers;
  UINT32 DmaBufferAlignment;
};

/* ---- EFI Memory Attributes Table (UEFI 2.10, 4.6.4) ---- */
#define OSPOLICY_EFI_MEMORY_ATTRIBUTES_TABLE_GUID \
  { 0xdcfa911d, 0x26eb, 0x469f, { 0xa2, 0x20, 0x38, 0xb7, 0xdc, 0x46, 0x12, 0x20 } }

typedef struct OSPolicy_EfiMemoryAttributesTable {
  UINT32 Version;
  UINT32 NumberOfEntries;
  UINT32 DescriptorSize;
  UINT32 Flags; /* "Reserved" in version 1 */
  /* EFI_MEMORY_DESCRIPTOR Entry[NumberOfEntries], DescriptorSize apart */
} OSPolicy_EfiMemoryAttributesTable;

/* EFI_LOADED_IMAGE_PROTOCOL and EFI_SIMPLE_FILE_SYSTEM_PROTOCOL come from gnu-efi. */

#endif /* OSPOLICY_UEFI_FIRMWARE_H */
