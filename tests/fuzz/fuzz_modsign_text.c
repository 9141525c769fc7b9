/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * Fuzzes the modsign text-form decoder (two lines: untrusted comment, base64
 * of a binary file) and what it feeds: the envelope and key-file parsers.
 * Invariants: the returned status equals the result's; an accepted text
 * re-encodes to exactly the input (one text per payload and comment), its
 * comment lies inside the input, its payload is never empty; a refused text
 * names a field and an offset within the input (or at its end) and decodes
 * to nothing; a decoded payload parses or is refused like any binary input.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ospolicy/modsign.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static uint8_t payload[8192];
  OSPolicy_ModsignText text;
  memset(&text, 0xA5, sizeof text);
  OSPolicy_Status status = OSPolicy_DecodeModsignText(data, size, payload, sizeof payload, &text);
  if (status != text.status || status == OSPOLICY_STATUS_UNSET ||
      status == OSPOLICY_ERR_BUFFER_TOO_SMALL) {
    abort();
  }
  if (status != OSPOLICY_OK) {
    if (text.error_offset > size || text.error_field == OSPOLICY_MODSIGN_FIELD_NONE ||
        text.payload_size != 0u) {
      abort();
    }
    return 0;
  }
  if (text.payload_size == 0u || text.comment_offset != OSPOLICY_MODSIGN_TEXT_PREFIX_SIZE ||
      text.comment_offset + text.comment_length > size || !OSPolicy_IsModsignText(data, size)) {
    abort();
  }
  static uint8_t again[16384];
  size_t written = 0;
  if (OSPolicy_EncodeModsignText((const char *)data + text.comment_offset, text.comment_length,
                                 payload, text.payload_size, again, sizeof again,
                                 &written) != OSPOLICY_OK ||
      written != size || memcmp(again, data, size) != 0) {
    abort();
  }
  OSPolicy_ModsignEnvelope envelope;
  if (OSPolicy_ParseModsignEnvelope(payload, text.payload_size, &envelope) != envelope.status) {
    abort();
  }
  OSPolicy_ModsignKeyFile key;
  if (OSPolicy_ParseModsignKeyFile(payload, text.payload_size, &key) != key.status) {
    abort();
  }
  return 0;
}
