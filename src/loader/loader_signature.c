/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * Signed kernels (docs/modsign.md, docs/uefi.md): before anything parses
 * kernel.elf, the loader reads it from the ESP in 64 KiB steps and streams
 * each step through the envelope verifier (OSPolicy_*ModsignVerify, fixed
 * state in the Loader, libsodium at TPL_HIGH_LEVEL), against the trust set
 * compiled into BOOTX64.EFI with enforcement switched on. The envelope is
 * \kernel.elf.sig; a missing one means "unsigned". The bytes verified are the
 * bytes kept: the file is read once, into the buffer the payload plans use
 * afterwards, and never again.
 *
 * Anything short of OSPOLICY_OK + ALLOW from an enforcing trust set is a
 * refusal: one "# loader:" note that says what and where, TEST_FAIL
 * loader.kernel_signature, the marker line
 *     OSPOLICY_REFUSED kernel: <status-name>
 * TEST_SUMMARY, and isa-debug-exit LOADER_DEBUG_EXIT_REFUSED (QEMU status 39).
 */
#include <stdint.h>

#include "com1.h"
#include "format.h"
#include "loader.h"

static const char kCase[] = "loader.kernel_signature";
static const char kKernelName[] = "kernel";

typedef struct Refusal {
  OSPolicy_Status status;
  const char *what;  /* the file or object concerned */
  const char *field; /* "" when there is none */
  uint64_t offset;
  uint64_t efi_status; /* firmware status for file errors, else 0 */
} Refusal;

__attribute__((noreturn)) static void refuse(Loader *loader, Refusal refusal) {
  OSBaremetal_TestReport *report = &loader->report;
  const char *name = OSPolicy_StatusName(refusal.status);
  const char *field = refusal.field != NULL ? refusal.field : "";
  if (refusal.efi_status != 0u) {
    OSBaremetal_TestNote(report, "loader: kernel.elf refused: %s: %s: EFI status 0x%lx", name, refusal.what,
                         (unsigned long)refusal.efi_status);
  } else {
    OSBaremetal_TestNote(report, "loader: kernel.elf refused: %s: %s, field '%s', byte offset %lu", name,
                         refusal.what, field, (unsigned long)refusal.offset);
  }
  OSBaremetal_TestFail(report, kCase, "refused: %s (%s%s%s)", name, refusal.what, field[0] != '\0' ? ", field " : "",
                       field);
  char line[96];
  (void)OSBaremetal_Format(line, sizeof line, "OSPOLICY_REFUSED kernel: %s", name);
  loader_write_line(NULL, line);
  OSBaremetal_TestSummary(report, 0, 0);
  OSBaremetal_DebugExit(LOADER_DEBUG_EXIT_REFUSED);
}

EFI_STATUS loader_open_esp_root(Loader *loader, EFI_FILE_PROTOCOL **root) {
  static EFI_GUID loaded_image_guid = EFI_LOADED_IMAGE_PROTOCOL_GUID;
  static EFI_GUID file_system_guid = EFI_SIMPLE_FILE_SYSTEM_PROTOCOL_GUID;
  EFI_BOOT_SERVICES *bs = loader->boot_services;
  EFI_LOADED_IMAGE *image = NULL;
  EFI_SIMPLE_FILE_SYSTEM_PROTOCOL *volume = NULL;
  EFI_STATUS status = bs->HandleProtocol(loader->image, &loaded_image_guid, (void **)&image);
  if (status == EFI_SUCCESS) {
    status = bs->HandleProtocol(image->DeviceHandle, &file_system_guid, (void **)&volume);
  }
  if (status == EFI_SUCCESS) {
    status = volume->OpenVolume(volume, root);
  }
  return status;
}

static EFI_STATUS open_file(EFI_FILE_PROTOCOL *root, CHAR16 *path, EFI_FILE_PROTOCOL **file, uint64_t *size) {
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

/* Reads exactly `size` bytes (the firmware may return fewer per call). */
static EFI_STATUS read_exact(EFI_FILE_PROTOCOL *file, uint8_t *buffer, UINTN size) {
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

/* \kernel.elf.sig into loader->envelope; a missing file leaves it empty. */
static void read_envelope(Loader *loader, EFI_FILE_PROTOCOL *root) {
  EFI_FILE_PROTOCOL *file = NULL;
  uint64_t size = 0;
  loader->envelope_size = 0;
  EFI_STATUS status = open_file(root, (CHAR16 *)LOADER_KERNEL_SIGNATURE_PATH, &file, &size);
  if (status == EFI_NOT_FOUND) {
    OSBaremetal_TestNote(&loader->report, "loader: no \\kernel.elf.sig on the ESP: kernel.elf is unsigned");
    return;
  }
  if (status != EFI_SUCCESS) {
    refuse(loader, (Refusal){OSPOLICY_ERR_UEFI_FILE, "\\kernel.elf.sig", "", 0, (uint64_t)status});
  }
  if (size > sizeof loader->envelope) {
    (void)file->Close(file);
    /* No envelope is longer: whatever follows the largest one is extra. */
    refuse(loader, (Refusal){OSPOLICY_ERR_MODSIGN_TRAILING_DATA, "\\kernel.elf.sig", "end",
                             sizeof loader->envelope, 0});
  }
  status = read_exact(file, loader->envelope, (UINTN)size);
  (void)file->Close(file);
  if (status != EFI_SUCCESS) {
    refuse(loader, (Refusal){OSPOLICY_ERR_UEFI_FILE, "\\kernel.elf.sig", "", 0, (uint64_t)status});
  }
  loader->envelope_size = (size_t)size;
}

static void hex_key_id(const uint8_t *id, char *out) {
  static const char digits[] = "0123456789abcdef";
  for (unsigned i = 0; i < OSPOLICY_MODSIGN_KEY_ID_SIZE; ++i) {
    out[2u * i] = digits[id[i] >> 4];
    out[2u * i + 1u] = digits[id[i] & 0x0Fu];
  }
  out[2u * OSPOLICY_MODSIGN_KEY_ID_SIZE] = '\0';
}

void loader_verify_kernel(Loader *loader) {
  OSBaremetal_TestReport *report = &loader->report;
  OSBaremetal_TestStart(report, kCase);

  /* 1. The trust anchors: compiled in, then enforcement on (it only goes on). */
  OSPolicy_Status status =
      OSPolicy_ParseModsignTrustSet(ospolicy_loader_trust_set, ospolicy_loader_trust_set_size, &loader->trust);
  if (status != OSPOLICY_OK) {
    refuse(loader, (Refusal){status, "embedded trust set", OSPolicy_ModsignFieldName(loader->trust.error_field),
                             (uint64_t)loader->trust.error_offset, 0});
  }
  status = OSPolicy_EnableModsignEnforcement(&loader->trust);
  if (status != OSPOLICY_OK || loader->trust.enforce != 1u) {
    refuse(loader, (Refusal){status != OSPOLICY_OK ? status : OSPOLICY_ERR_PLAN_NOT_OK, "embedded trust set",
                             "enforce", 0, 0});
  }

  /* 2. The envelope, then kernel.elf streamed through the verifier. */
  EFI_FILE_PROTOCOL *root = NULL;
  EFI_STATUS efi = loader_open_esp_root(loader, &root);
  if (efi != EFI_SUCCESS) {
    refuse(loader, (Refusal){OSPOLICY_ERR_UEFI_FILE, "the loader's volume", "", 0, (uint64_t)efi});
  }
  read_envelope(loader, root);
  EFI_FILE_PROTOCOL *file = NULL;
  uint64_t size = 0;
  efi = open_file(root, (CHAR16 *)LOADER_KERNEL_PATH, &file, &size);
  (void)root->Close(root);
  if (efi == EFI_SUCCESS && (size == 0u || size > LOADER_KERNEL_MAX_SIZE)) {
    (void)file->Close(file);
    efi = EFI_BAD_BUFFER_SIZE;
  }
  void *data = NULL;
  if (efi == EFI_SUCCESS) {
    efi = loader_allocate(loader, (size + 4095u) / 4096u, &data);
    if (efi != EFI_SUCCESS) {
      (void)file->Close(file);
    }
  }
  if (efi != EFI_SUCCESS) {
    refuse(loader, (Refusal){OSPOLICY_ERR_UEFI_FILE, "\\kernel.elf", "", 0, (uint64_t)efi});
  }

  OSPolicy_ModsignRequest request = {loader->envelope_size != 0u ? loader->envelope : NULL, loader->envelope_size,
                                     OSPOLICY_MODSIGN_KIND_KERNEL, kKernelName, sizeof kKernelName - 1u};
  loader_crypto_enter(loader);
  status = OSPolicy_BeginModsignVerify(&loader->verifier, &loader->trust, &request);
  loader_crypto_leave(loader);
  /* A refusal decided from the envelope alone needs no kernel bytes. */
  uint64_t done = 0;
  while (status == OSPOLICY_OK && efi == EFI_SUCCESS && done < size) {
    UINTN chunk = size - done < LOADER_READ_CHUNK ? (UINTN)(size - done) : (UINTN)LOADER_READ_CHUNK;
    uint8_t *bytes = (uint8_t *)data + done;
    efi = read_exact(file, bytes, chunk); /* firmware call: at the caller's TPL */
    if (efi == EFI_SUCCESS) {
      loader_crypto_enter(loader);
      status = OSPolicy_UpdateModsignVerify(&loader->verifier, bytes, chunk);
      loader_crypto_leave(loader);
      done += chunk;
    }
  }
  (void)file->Close(file);
  loader_crypto_enter(loader);
  status = OSPolicy_FinishModsignVerify(&loader->verifier, &loader->verdict); /* decides and wipes */
  loader_crypto_leave(loader);
  const OSPolicy_ModsignResult *verdict = &loader->verdict;
  if (efi != EFI_SUCCESS) {
    refuse(loader, (Refusal){OSPOLICY_ERR_UEFI_FILE, "\\kernel.elf", "", done, (uint64_t)efi});
  }
  if (status != OSPOLICY_OK || verdict->status != OSPOLICY_OK || verdict->decision != OSPOLICY_DECISION_ALLOW ||
      verdict->enforcing != 1u) {
    /* OK but not an enforced ALLOW cannot happen; refuse it all the same. */
    OSPolicy_Status why = verdict->status != OSPOLICY_OK ? verdict->status : OSPOLICY_ERR_PLAN_NOT_OK;
    const char *field = verdict->status != OSPOLICY_OK ? OSPolicy_ModsignFieldName(verdict->error_field)
                                                       : "decision";
    /* Envelope fields carry envelope offsets; FIELD_OBJECT carries kernel.elf offsets. */
    int in_object = verdict->status != OSPOLICY_OK && verdict->error_field == OSPOLICY_MODSIGN_FIELD_OBJECT;
    if (verdict->envelope.status == OSPOLICY_OK) {
      char id[2u * OSPOLICY_MODSIGN_KEY_ID_SIZE + 1u];
      hex_key_id(verdict->envelope.key_id, id);
      OSBaremetal_TestNote(report, "loader: envelope: kind %s, name '%s', key id %s, generation %lu (floor %lu), "
                                   "%lu bytes signed, %lu read",
                           OSPolicy_ModsignKindName(verdict->envelope.kind), verdict->envelope.name, id,
                           (unsigned long)verdict->envelope.generation, (unsigned long)verdict->min_generation,
                           (unsigned long)verdict->envelope.object_size, (unsigned long)verdict->object_bytes);
    }
    const char *what = in_object ? "\\kernel.elf" : "\\kernel.elf.sig";
    if (why == OSPOLICY_DENIED_MODSIGN_DIGEST_MISMATCH) {
      what = "BLAKE2b-512 of \\kernel.elf differs from \\kernel.elf.sig"; /* the field is the envelope's */
    }
    refuse(loader, (Refusal){why, what, field, (uint64_t)verdict->error_offset, 0});
  }

  loader->kernel_file = data;
  loader->kernel_file_size = (size_t)size;
  char id[2u * OSPOLICY_MODSIGN_KEY_ID_SIZE + 1u];
  hex_key_id(verdict->envelope.key_id, id);
  OSBaremetal_TestNote(report,
                       "loader: kernel.elf verified: Ed25519+BLAKE2b-512, key id %s, generation %lu (floor %lu), %lu bytes "
                       "streamed in %u KiB steps; trust set %lu bytes, keys %u, floors %u, enforcing",
                       id, (unsigned long)verdict->envelope.generation, (unsigned long)verdict->min_generation,
                       (unsigned long)verdict->object_bytes, LOADER_READ_CHUNK >> 10,
                       (unsigned long)ospolicy_loader_trust_set_size, loader->trust.key_count,
                       loader->trust.floor_count);
  OSBaremetal_TestPass(report, kCase);
}
