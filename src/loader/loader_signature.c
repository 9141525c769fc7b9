/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * Signed kernels (docs/modsign.md, docs/uefi.md): before anything parses
 * kernel.elf, the loader reads it from the ESP in 64 KiB steps and streams
 * each step through the envelope verifier (OSPolicy_*ModsignVerify, fixed
 * state in this file, libsodium inside crypto sections), against the trust set
 * compiled into BOOTX64.EFI with enforcement switched on. The envelope is
 * \kernel.elf.sig; a missing one means "unsigned". The bytes verified are the
 * bytes kept: the file is read once, into the buffer the payload plans use
 * afterwards, and never again.
 *
 * Anything short of OSPOLICY_OK + ALLOW from an enforcing trust set is a
 * refusal: one "# loader:" note that says what and where, TEST_FAIL
 * loader.kernel_signature, and the status returned to the sequencer, which
 * prints "OSPOLICY_REFUSED kernel: <status-name>" and ends the boot
 * (loader_main.c).
 */
#include <stdint.h>

#include "format.h"
#include "loader.h"
#include "ospolicy/modsign.h"

static const char kCase[] = "loader.kernel_signature";
static const char kKernelName[] = "kernel";

/* The verifier's working state (large: static, not on the firmware's stack). */
typedef struct SignatureState {
  OSBaremetal_TestReport *report;
  OSPolicy_ModsignTrustSet trust; /* parsed from the embedded trust set; enforcing */
  OSPolicy_ModsignVerifier verifier;
  OSPolicy_ModsignResult verdict;
  uint8_t envelope[OSPOLICY_MODSIGN_ENVELOPE_MAX_SIZE];
  size_t envelope_size;
} SignatureState;

static SignatureState signature_state;

typedef struct Refusal {
  OSPolicy_Status status;
  const char *what;  /* the file or object concerned */
  const char *field; /* "" when there is none */
  uint64_t offset;
  uint64_t efi_status; /* firmware status for file errors, else 0 */
} Refusal;

/* Reports the refusal (a note and TEST_FAIL) and returns its status. */
static OSPolicy_Status refuse(SignatureState *loader, Refusal refusal) {
  OSBaremetal_TestReport *report = loader->report;
  const char *name = loader_status_name(refusal.status);
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
  return refusal.status;
}

/* \kernel.elf.sig into loader->envelope; a missing file leaves it empty. */
static OSPolicy_Status read_envelope(SignatureState *loader, EFI_FILE_PROTOCOL *root) {
  EFI_FILE_PROTOCOL *file = NULL;
  uint64_t size = 0;
  loader->envelope_size = 0;
  EFI_STATUS status = loader_open_file(root, (CHAR16 *)LOADER_KERNEL_SIGNATURE_PATH, &file, &size);
  if (status == EFI_NOT_FOUND) {
    OSBaremetal_TestNote(loader->report, "loader: no \\kernel.elf.sig on the ESP: kernel.elf is unsigned");
    return OSPOLICY_OK;
  }
  if (status != EFI_SUCCESS) {
    return refuse(loader, (Refusal){LOADER_ERR_UEFI_FILE, "\\kernel.elf.sig", "", 0, (uint64_t)status});
  }
  if (size > sizeof loader->envelope) {
    (void)file->Close(file);
    /* No envelope is longer: whatever follows the largest one is extra. */
    return refuse(loader, (Refusal){OSPOLICY_ERR_MODSIGN_TRAILING_DATA, "\\kernel.elf.sig", "end",
                             sizeof loader->envelope, 0});
  }
  status = loader_read_exact(file, loader->envelope, (UINTN)size);
  (void)file->Close(file);
  if (status != EFI_SUCCESS) {
    return refuse(loader, (Refusal){LOADER_ERR_UEFI_FILE, "\\kernel.elf.sig", "", 0, (uint64_t)status});
  }
  loader->envelope_size = (size_t)size;
  return OSPOLICY_OK;
}

OSPolicy_Status loader_verify_kernel(LoaderContext *context, LoaderKernelFile *out) {
  SignatureState *loader = &signature_state;
  loader->report = &context->report;
  OSBaremetal_TestReport *report = loader->report;
  out->data = NULL;
  out->size = 0;
  OSBaremetal_TestStart(report, kCase);

  /* 1. The trust anchors: compiled in, then enforcement on (it only goes on). */
  OSPolicy_Status status =
      OSPolicy_ParseModsignTrustSet(ospolicy_loader_trust_set, ospolicy_loader_trust_set_size, &loader->trust);
  if (status != OSPOLICY_OK) {
    return refuse(loader, (Refusal){status, "embedded trust set", OSPolicy_ModsignFieldName(loader->trust.error_field),
                             (uint64_t)loader->trust.error_offset, 0});
  }
  status = OSPolicy_EnableModsignEnforcement(&loader->trust);
  if (status != OSPOLICY_OK || loader->trust.enforce != 1u) {
    return refuse(loader, (Refusal){status != OSPOLICY_OK ? status : OSPOLICY_ERR_PLAN_NOT_OK, "embedded trust set",
                             "enforce", 0, 0});
  }

  /* 2. The envelope, then kernel.elf streamed through the verifier. */
  EFI_FILE_PROTOCOL *root = NULL;
  EFI_STATUS efi = loader_open_esp_root(&root);
  if (efi != EFI_SUCCESS) {
    return refuse(loader, (Refusal){LOADER_ERR_UEFI_FILE, "the loader's volume", "", 0, (uint64_t)efi});
  }
  status = read_envelope(loader, root);
  if (status != OSPOLICY_OK) {
    (void)root->Close(root);
    return status;
  }
  EFI_FILE_PROTOCOL *file = NULL;
  uint64_t size = 0;
  efi = loader_open_file(root, (CHAR16 *)LOADER_KERNEL_PATH, &file, &size);
  (void)root->Close(root);
  if (efi == EFI_SUCCESS && (size == 0u || size > LOADER_KERNEL_MAX_SIZE)) {
    (void)file->Close(file);
    efi = EFI_BAD_BUFFER_SIZE;
  }
  void *data = NULL;
  if (efi == EFI_SUCCESS) {
    efi = loader_allocate(loader_pages(size), &data);
    if (efi != EFI_SUCCESS) {
      (void)file->Close(file);
    }
  }
  if (efi != EFI_SUCCESS) {
    return refuse(loader, (Refusal){LOADER_ERR_UEFI_FILE, "\\kernel.elf", "", 0, (uint64_t)efi});
  }

  OSPolicy_ModsignRequest request = {loader->envelope_size != 0u ? loader->envelope : NULL, loader->envelope_size,
                                     OSPOLICY_MODSIGN_KIND_KERNEL, kKernelName, sizeof kKernelName - 1u};
  loader_crypto_enter();
  status = OSPolicy_BeginModsignVerify(&loader->verifier, &loader->trust, &request);
  loader_crypto_leave();
  /* A refusal decided from the envelope alone needs no kernel bytes. */
  uint64_t done = 0;
  while (status == OSPOLICY_OK && efi == EFI_SUCCESS && done < size) {
    UINTN chunk = size - done < LOADER_READ_CHUNK ? (UINTN)(size - done) : (UINTN)LOADER_READ_CHUNK;
    uint8_t *bytes = (uint8_t *)data + done;
    efi = loader_read_exact(file, bytes, chunk); /* firmware call: at the caller's TPL */
    if (efi == EFI_SUCCESS) {
      loader_crypto_enter();
      status = OSPolicy_UpdateModsignVerify(&loader->verifier, bytes, chunk);
      loader_crypto_leave();
      done += chunk;
    }
  }
  (void)file->Close(file);
  loader_crypto_enter();
  status = OSPolicy_FinishModsignVerify(&loader->verifier, &loader->verdict); /* decides and wipes */
  loader_crypto_leave();
  const OSPolicy_ModsignResult *verdict = &loader->verdict;
  if (efi != EFI_SUCCESS) {
    return refuse(loader, (Refusal){LOADER_ERR_UEFI_FILE, "\\kernel.elf", "", done, (uint64_t)efi});
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
      (void)OSBaremetal_FormatHex(id, sizeof id, verdict->envelope.key_id, OSPOLICY_MODSIGN_KEY_ID_SIZE);
      OSBaremetal_TestNote(report, "loader: envelope: kind %s, name '%s', key id %s, generation %lu (floor %lu), "
                                   "%lu bytes signed, %lu read",
                           OSPolicy_ModsignKindName(verdict->envelope.kind), verdict->envelope.name, id,
                           (unsigned long)verdict->envelope.generation, (unsigned long)verdict->min_generation,
                           (unsigned long)verdict->envelope.object_size, (unsigned long)verdict->object_bytes);
    }
    const char *what = in_object ? "\\kernel.elf" : "\\kernel.elf.sig";
    if (why == OSPOLICY_DENIED_MODSIGN_DIGEST_MISMATCH) {
      what = "BLAKE2b-512 of \\kernel.elf differs from \\kernel.elf.sig"; /* the field is the envelope's */
    } else if (why == OSPOLICY_DENIED_MODSIGN_UNKNOWN_KEY) {
      /* The likeliest cause on a release loader: a test kernel (test key). */
      what = "\\kernel.elf.sig is signed by a key this loader does not trust (release loaders trust only the "
             "build key, not the test key of test kernels)";
    }
    return refuse(loader, (Refusal){why, what, field, (uint64_t)verdict->error_offset, 0});
  }

  out->data = data;
  out->size = (size_t)size;
  char id[2u * OSPOLICY_MODSIGN_KEY_ID_SIZE + 1u];
  (void)OSBaremetal_FormatHex(id, sizeof id, verdict->envelope.key_id, OSPOLICY_MODSIGN_KEY_ID_SIZE);
  OSBaremetal_TestNote(report,
                       "loader: kernel.elf verified: Ed25519+BLAKE2b-512, key id %s, generation %lu (floor %lu), %lu bytes "
                       "streamed in %u KiB steps; trust set %lu bytes, keys %u, floors %u, enforcing",
                       id, (unsigned long)verdict->envelope.generation, (unsigned long)verdict->min_generation,
                       (unsigned long)verdict->object_bytes, LOADER_READ_CHUNK >> 10,
                       (unsigned long)ospolicy_loader_trust_set_size, loader->trust.key_count,
                       loader->trust.floor_count);
  OSBaremetal_TestPass(report, kCase);
  return OSPOLICY_OK;
}
