/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * The loader's firmware layer (loader_firmware.h): pages, ESP files, the
 * console, crypto sections and the Secure Boot variables, all through the
 * firmware state the UEFI PAL recorded.
 */
#include "loader_firmware.h"

#include "freestanding_mem.h"
#include "oshost_uefi.h"
#include "uefi_console.h"
#include "x86_cpu.h"

void loader_write_line(void *context, const char *line) {
  (void)context;
  OSHostUefi_ConsoleWriteLine(line);
}

EFI_STATUS loader_allocate(uint64_t pages, void **out) {
  EFI_BOOT_SERVICES *bs = OSHostUefi_BootServices();
  EFI_PHYSICAL_ADDRESS address = 0;
  *out = NULL;
  if (bs == NULL) {
    return EFI_NOT_READY;
  }
  EFI_STATUS status = bs->AllocatePages(AllocateAnyPages, EfiLoaderData, pages, &address);
  if (status == EFI_SUCCESS) {
    memset((void *)(uintptr_t)address, 0, pages * OSBAREMETAL_PAGE_SIZE);
    *out = (void *)(uintptr_t)address;
  }
  return status;
}

void loader_free(void *base, uint64_t pages) {
  EFI_BOOT_SERVICES *bs = OSHostUefi_BootServices();
  if (bs != NULL && base != NULL) {
    (void)bs->FreePages((EFI_PHYSICAL_ADDRESS)(uintptr_t)base, pages);
  }
}

EFI_STATUS loader_open_esp_root(EFI_FILE_PROTOCOL **root) {
  static EFI_GUID loaded_image_guid = EFI_LOADED_IMAGE_PROTOCOL_GUID;
  static EFI_GUID file_system_guid = EFI_SIMPLE_FILE_SYSTEM_PROTOCOL_GUID;
  EFI_BOOT_SERVICES *bs = OSHostUefi_BootServices();
  EFI_LOADED_IMAGE *image = NULL;
  EFI_SIMPLE_FILE_SYSTEM_PROTOCOL *volume = NULL;
  if (bs == NULL) {
    return EFI_NOT_READY;
  }
  EFI_STATUS status = bs->HandleProtocol(OSHostUefi_ImageHandle(), &loaded_image_guid, (void **)&image);
  if (status == EFI_SUCCESS) {
    status = bs->HandleProtocol(image->DeviceHandle, &file_system_guid, (void **)&volume);
  }
  if (status == EFI_SUCCESS) {
    status = volume->OpenVolume(volume, root);
  }
  return status;
}

EFI_STATUS loader_open_file(EFI_FILE_PROTOCOL *root, CHAR16 *path, EFI_FILE_PROTOCOL **file, uint64_t *size) {
  static EFI_GUID file_info_guid = EFI_FILE_INFO_ID;
  *file = NULL;
  EFI_STATUS status = root->Open(root, file, path, EFI_FILE_MODE_READ, 0);
  union {
    EFI_FILE_INFO info;
    uint8_t bytes[512];
  } info;
  UINTN info_size = sizeof info;
  if (status == EFI_SUCCESS) {
    status = (*file)->GetInfo(*file, &file_info_guid, &info_size, &info);
  }
  if (status == EFI_SUCCESS) {
    *size = info.info.FileSize;
  } else if (*file != NULL) {
    (void)(*file)->Close(*file);
    *file = NULL;
  }
  return status;
}

EFI_STATUS loader_read_exact(EFI_FILE_PROTOCOL *file, uint8_t *buffer, UINTN size) {
  UINTN done = 0;
  while (done < size) {
    UINTN chunk = size - done;
    EFI_STATUS status = file->Read(file, &chunk, buffer + done);
    if (status != EFI_SUCCESS) {
      return status;
    }
    if (chunk == 0u) {
      return EFI_END_OF_FILE;
    }
    done += chunk;
  }
  return EFI_SUCCESS;
}

/* ---- Crypto sections ------------------------------------------------- */

/* What FS base points at inside a section: the x86-64 ABI's TCB layout as far
 * as the stack protector reads it (the canary at offset 0x28). */
typedef struct CanaryBlock {
  uint64_t reserved[5];
  uint64_t canary; /* offset 0x28 */
} CanaryBlock;
_Static_assert(__builtin_offsetof(CanaryBlock, canary) == 0x28, "the stack protector reads %fs:0x28");

/* A fixed, non-zero value until the pool is seeded; lowest byte zero. */
#define LOADER_INITIAL_CANARY 0x6f73706f6c696300ull

static CanaryBlock canary_block = {{0, 0, 0, 0, 0}, LOADER_INITIAL_CANARY};
static EFI_TPL section_saved_tpl = TPL_APPLICATION;
static uint64_t section_saved_fs_base;
static int section_masked;

void loader_crypto_enter(void) {
  EFI_BOOT_SERVICES *bs = OSHostUefi_BootServices();
  section_masked = bs != NULL;
  if (section_masked) {
    section_saved_tpl = bs->RaiseTPL(TPL_HIGH_LEVEL);
  }
  section_saved_fs_base = osb_read_msr(OSBAREMETAL_MSR_FS_BASE);
  osb_write_msr(OSBAREMETAL_MSR_FS_BASE, (uint64_t)(uintptr_t)&canary_block);
}

void loader_crypto_leave(void) {
  osb_write_msr(OSBAREMETAL_MSR_FS_BASE, section_saved_fs_base);
  EFI_BOOT_SERVICES *bs = OSHostUefi_BootServices();
  if (section_masked && bs != NULL) {
    bs->RestoreTPL(section_saved_tpl);
  }
  section_masked = 0;
}

void loader_crypto_pause(void) {
  EFI_BOOT_SERVICES *bs = OSHostUefi_BootServices();
  if (section_masked && bs != NULL && section_saved_tpl < TPL_HIGH_LEVEL) {
    bs->RestoreTPL(section_saved_tpl);
  }
}

void loader_crypto_resume(void) {
  EFI_BOOT_SERVICES *bs = OSHostUefi_BootServices();
  if (section_masked && bs != NULL && section_saved_tpl < TPL_HIGH_LEVEL) {
    (void)bs->RaiseTPL(TPL_HIGH_LEVEL);
  }
}

uint64_t loader_crypto_canary_block(void) {
  return (uint64_t)(uintptr_t)&canary_block;
}

uint64_t loader_crypto_canary(void) {
  return ((volatile CanaryBlock *)&canary_block)->canary;
}

void loader_crypto_set_canary(uint64_t canary) {
  ((volatile CanaryBlock *)&canary_block)->canary = canary;
}

/* ---- Secure Boot ----------------------------------------------------- */

static EFI_STATUS read_global_byte(CHAR16 *name, uint8_t *value) {
  static EFI_GUID global = EFI_GLOBAL_VARIABLE;
  EFI_SYSTEM_TABLE *st = OSHostUefi_SystemTable();
  if (st == NULL || st->RuntimeServices == NULL) {
    return EFI_NOT_READY;
  }
  UINT32 attributes = 0;
  UINTN size = 1;
  EFI_STATUS status = st->RuntimeServices->GetVariable(name, &global, &attributes, &size, value);
  if (status == EFI_SUCCESS && size != 1u) {
    status = EFI_BAD_BUFFER_SIZE;
  }
  return status;
}

LoaderSecureBoot loader_secure_boot_state(void) {
  LoaderSecureBoot state = {EFI_NOT_READY, 0, 0};
  state.read = read_global_byte((CHAR16 *)L"SecureBoot", &state.secure_boot);
  if (state.read != EFI_SUCCESS) {
    state.secure_boot = 0;
  }
  if (read_global_byte((CHAR16 *)L"SetupMode", &state.setup_mode) != EFI_SUCCESS) {
    state.setup_mode = 0;
  }
  return state;
}
