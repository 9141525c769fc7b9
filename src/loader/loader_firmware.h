/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * The loader's firmware layer: the only loader code that calls UEFI boot or
 * runtime services directly. Stages above it ask for pages, files on the
 * ESP, console lines, crypto sections and the Secure Boot state; none of them
 * keeps a firmware pointer of its own. The firmware state (system table,
 * image handle, boot services) is the UEFI PAL's (oshost_uefi.h): one copy,
 * recorded by OSHostUefi_Init and dropped by OSHostUefi_MarkBootServicesExited,
 * after which every call here that needs boot services answers EFI_NOT_READY.
 */
#ifndef OSPOLICY_LOADER_FIRMWARE_H
#define OSPOLICY_LOADER_FIRMWARE_H

#include <efi.h>
#include <stddef.h>
#include <stdint.h>

#include "ospolicy/status.h"
#include "page_table.h"

/* Pages needed for `bytes` (rounded up); 0 for 0. */
static inline uint64_t loader_pages(uint64_t bytes) {
  return (bytes + OSBAREMETAL_PAGE_SIZE - 1u) / OSBAREMETAL_PAGE_SIZE;
}

/* One line on the loader's console (COM1, and ConOut while it is useful). */
void loader_write_line(void *context, const char *line);

/* `pages` zeroed pages of EfiLoaderData. */
EFI_STATUS loader_allocate(uint64_t pages, void **out);
void loader_free(void *base, uint64_t pages);

/* The root folder of the volume BOOTX64.EFI was loaded from; the caller closes it. */
EFI_STATUS loader_open_esp_root(EFI_FILE_PROTOCOL **root);
/* Opens `path` under `root` for reading and returns its size; on failure *file is NULL. */
EFI_STATUS loader_open_file(EFI_FILE_PROTOCOL *root, CHAR16 *path, EFI_FILE_PROTOCOL **file, uint64_t *size);
/* Reads exactly `size` bytes (the firmware may return fewer per call). */
EFI_STATUS loader_read_exact(EFI_FILE_PROTOCOL *file, uint8_t *buffer, UINTN size);

/* Crypto sections. libsodium's archive is built with the red zone and with a
 * stack protector that reads its canary at %fs:0x28. Between enter and leave
 * interrupts are masked (TPL_HIGH_LEVEL) and the FS base points at the
 * loader's canary block; leave restores the firmware's TPL and FS base.
 * pause/resume drop back to the caller's TPL for a firmware call made from
 * inside a section (EFI_RNG_PROTOCOL is not callable at TPL_HIGH_LEVEL); no
 * libsodium frame may be live across them. Not nestable. */
void loader_crypto_enter(void);
void loader_crypto_leave(void);
void loader_crypto_pause(void);
void loader_crypto_resume(void);

/* The canary block: its address (what FS base holds inside a section) and
 * canary. Until loader_crypto_reseed_canary runs the canary is a fixed
 * non-zero constant (the kernel's signature is checked before any entropy is
 * collected); the reseed takes 8 bytes from the seeded pool's generator and
 * zeroes the lowest byte, as the kernel's canaries do. */
uint64_t loader_crypto_canary_block(void);
uint64_t loader_crypto_canary(void);
void loader_crypto_set_canary(uint64_t canary);

/* The Secure Boot state the firmware reports (UEFI 2.10, 3.3 "Globally
 * Defined Variables"): SecureBoot and SetupMode, one byte each. */
typedef struct LoaderSecureBoot {
  EFI_STATUS read;      /* GetVariable(SecureBoot): EFI_NOT_FOUND on firmware without Secure Boot */
  uint8_t secure_boot;  /* 1: the firmware verified this loader against db */
  uint8_t setup_mode;   /* 1: no platform key enrolled */
} LoaderSecureBoot;
LoaderSecureBoot loader_secure_boot_state(void);

#endif /* OSPOLICY_LOADER_FIRMWARE_H */
