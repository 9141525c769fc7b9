/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * Fuzzes the modsign envelope and key-file parsers (public, secret and
 * sealed secret keys; pure byte parsers of the core). Invariants: the returned status equals the struct's; an accepted
 * envelope re-encodes to exactly the input bytes (one encoding per
 * envelope), names a valid kind, name and trusted comment, and its
 * statement is the input minus the 64-byte signature; a refused one reports
 * a field and an offset within the input (or at its end) and keeps nothing.
 * The parsers read each input byte once (validate and fill in one pass).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ospolicy/modsign.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  OSPolicy_ModsignEnvelope envelope;
  memset(&envelope, 0xA5, sizeof envelope);
  OSPolicy_Status status = OSPolicy_ParseModsignEnvelope(data, size, &envelope);
  if (status != envelope.status || status == OSPOLICY_STATUS_UNSET) {
    abort();
  }
  if (status == OSPOLICY_OK) {
    uint8_t again[OSPOLICY_MODSIGN_ENVELOPE_MAX_SIZE];
    size_t written = 0;
    if (OSPolicy_EncodeModsignEnvelope(&envelope, again, sizeof again, &written) != OSPOLICY_OK ||
        written != size || memcmp(again, data, size) != 0 ||
        envelope.statement_size + OSPOLICY_MODSIGN_SIGNATURE_SIZE != size ||
        !OSPolicy_IsValidModsignName(envelope.name, envelope.name_length) ||
        envelope.name[envelope.name_length] != '\0' ||
        !OSPolicy_IsValidModsignComment(envelope.comment, envelope.comment_length) ||
        envelope.comment[envelope.comment_length] != '\0' ||
        envelope.version != OSPOLICY_MODSIGN_VERSION ||
        envelope.error_field != OSPOLICY_MODSIGN_FIELD_NONE) {
      abort();
    }
  } else if (envelope.statement_size != 0 || envelope.error_offset > size ||
             envelope.error_field == OSPOLICY_MODSIGN_FIELD_NONE ||
             envelope.error_field >= OSPOLICY_MODSIGN_FIELD_COUNT ||
             OSPolicy_ModsignFieldName(envelope.error_field)[0] == '\0') {
    abort();
  }

  OSPolicy_ModsignKeyFile key;
  memset(&key, 0xA5, sizeof key);
  status = OSPolicy_ParseModsignKeyFile(data, size, &key);
  if (status != key.status) {
    abort();
  }
  if (status == OSPOLICY_OK) {
    uint8_t again[OSPOLICY_MODSIGN_SEALED_KEY_FILE_SIZE];
    size_t written = 0;
    if (OSPolicy_EncodeModsignKeyFile(&key, again, sizeof again, &written) != OSPOLICY_OK ||
        written != size || memcmp(again, data, size) != 0) {
      abort();
    }
  } else if (key.error_offset > size || key.error_field == OSPOLICY_MODSIGN_FIELD_NONE) {
    abort();
  }
  return 0;
}
