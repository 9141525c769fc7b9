/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * Modsign cryptography (OSPolicy::crypto): Ed25519 and Ed25519ph verification
 * through libsodium, the streaming envelope verifier and signer (pure
 * Ed25519 over a statement that holds the object's BLAKE2b-512). No
 * primitive is written here; every check that can be done without
 * cryptography (envelope syntax, key id, revocation, object identity,
 * generation floor) is done first. Layouts: docs/modsign.md and
 * modsign_layout.h.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <sodium/crypto_generichash_blake2b.h>
#include <sodium/crypto_hash_sha512.h>
#include <sodium/crypto_sign_ed25519.h>
#include <sodium/utils.h>

#include "mem.h"
#include "modsign_layout.h"
#include "ospolicy/modsign.h"

_Static_assert(sizeof(crypto_sign_ed25519ph_state) <= OSPOLICY_ED25519PH_STATE_SIZE,
               "OSPolicy_Ed25519phState too small for libsodium's state");
_Static_assert(_Alignof(crypto_sign_ed25519ph_state) <= _Alignof(uint64_t),
               "libsodium's Ed25519ph state needs more alignment");
_Static_assert(sizeof(crypto_generichash_blake2b_state) <= OSPOLICY_MODSIGN_HASH_STATE_SIZE,
               "OSPolicy_ModsignHashState too small for libsodium's BLAKE2b state");
_Static_assert(_Alignof(crypto_generichash_blake2b_state) <= 64u,
               "libsodium's BLAKE2b state needs more than 64-byte alignment");
_Static_assert(crypto_generichash_blake2b_BYTES_MAX == OSPOLICY_MODSIGN_DIGEST_SIZE,
               "BLAKE2b-512 digest size");

static crypto_sign_ed25519ph_state *ph_state(OSPolicy_Ed25519phState *state) {
  return (crypto_sign_ed25519ph_state *)(void *)state->opaque.bytes;
}

/* The BLAKE2b state, aligned to 64 inside the caller's storage. */
static crypto_generichash_blake2b_state *hash_state(OSPolicy_ModsignHashState *hash) {
  uintptr_t p = (uintptr_t)hash->opaque.bytes;
  p = (p + 63u) & ~(uintptr_t)63u;
  return (crypto_generichash_blake2b_state *)(void *)p;
}

static OSPolicy_Status hash_begin(OSPolicy_ModsignHashState *hash) {
  return crypto_generichash_blake2b_init(hash_state(hash), NULL, 0u,
                                         OSPOLICY_MODSIGN_DIGEST_SIZE) == 0
             ? OSPOLICY_OK
             : OSPOLICY_ERR_UNSUPPORTED;
}

static OSPolicy_Status hash_update(OSPolicy_ModsignHashState *hash, const void *data,
                                   size_t size) {
  return crypto_generichash_blake2b_update(hash_state(hash), data, (unsigned long long)size) == 0
             ? OSPOLICY_OK
             : OSPOLICY_ERR_UNSUPPORTED;
}

static OSPolicy_Status hash_finish(OSPolicy_ModsignHashState *hash,
                                   uint8_t digest[OSPOLICY_MODSIGN_DIGEST_SIZE]) {
  return crypto_generichash_blake2b_final(hash_state(hash), digest,
                                          OSPOLICY_MODSIGN_DIGEST_SIZE) == 0
             ? OSPOLICY_OK
             : OSPOLICY_ERR_UNSUPPORTED;
}

static bool request_ok(uint32_t kind, const char *name, size_t name_length) {
  return kind >= OSPOLICY_MODSIGN_KIND_KERNEL && kind <= OSPOLICY_MODSIGN_KIND_AGENT &&
         OSPolicy_IsValidModsignName(name, name_length);
}

/* ---- raw primitives ----------------------------------------------------- */

OSPolicy_Status OSPolicy_VerifyEd25519(const uint8_t public_key[OSPOLICY_MODSIGN_PUBLIC_KEY_SIZE],
                                       const uint8_t *message, size_t message_size,
                                       const uint8_t signature[OSPOLICY_MODSIGN_SIGNATURE_SIZE]) {
  if (public_key == NULL || signature == NULL || (message == NULL && message_size != 0u)) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  static const uint8_t empty[1] = {0};
  const uint8_t *m = message != NULL ? message : empty;
  return crypto_sign_ed25519_verify_detached(signature, m, message_size, public_key) == 0
             ? OSPOLICY_OK
             : OSPOLICY_DENIED_MODSIGN_BAD_SIGNATURE;
}

OSPolicy_Status OSPolicy_BeginEd25519ph(OSPolicy_Ed25519phState *state) {
  if (state == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  memset(state, 0, sizeof *state);
  if (crypto_sign_ed25519ph_init(ph_state(state)) != 0) {
    return OSPOLICY_ERR_UNSUPPORTED;
  }
  state->started = 1u;
  return OSPOLICY_OK;
}

OSPolicy_Status OSPolicy_UpdateEd25519ph(OSPolicy_Ed25519phState *state, const void *data,
                                         size_t size) {
  if (state == NULL || (data == NULL && size != 0u)) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  if (state->started != 1u) {
    return OSPOLICY_ERR_PLAN_NOT_OK;
  }
  if (size == 0u) {
    return OSPOLICY_OK;
  }
  if (crypto_sign_ed25519ph_update(ph_state(state), data, size) != 0) {
    return OSPOLICY_ERR_UNSUPPORTED;
  }
  return OSPOLICY_OK;
}

OSPolicy_Status OSPolicy_FinishEd25519phVerify(
    OSPolicy_Ed25519phState *state, const uint8_t public_key[OSPOLICY_MODSIGN_PUBLIC_KEY_SIZE],
    const uint8_t signature[OSPOLICY_MODSIGN_SIGNATURE_SIZE]) {
  if (state == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  OSPolicy_Status status;
  if (public_key == NULL || signature == NULL) {
    status = OSPOLICY_ERR_NULL_ARGUMENT;
  } else if (state->started != 1u) {
    status = OSPOLICY_ERR_PLAN_NOT_OK;
  } else {
    status = crypto_sign_ed25519ph_final_verify(ph_state(state), signature, public_key) == 0
                 ? OSPOLICY_OK
                 : OSPOLICY_DENIED_MODSIGN_BAD_SIGNATURE;
  }
  sodium_memzero(state, sizeof *state);
  return status;
}

OSPolicy_Status OSPolicy_VerifyEd25519ph(
    const uint8_t public_key[OSPOLICY_MODSIGN_PUBLIC_KEY_SIZE], const uint8_t *message,
    size_t message_size, const uint8_t signature[OSPOLICY_MODSIGN_SIGNATURE_SIZE]) {
  if (public_key == NULL || signature == NULL || (message == NULL && message_size != 0u)) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  OSPolicy_Ed25519phState state;
  OSPolicy_Status status = OSPolicy_BeginEd25519ph(&state);
  if (status == OSPOLICY_OK) {
    status = OSPolicy_UpdateEd25519ph(&state, message, message_size);
  }
  if (status == OSPOLICY_OK) {
    return OSPolicy_FinishEd25519phVerify(&state, public_key, signature);
  }
  sodium_memzero(&state, sizeof state);
  return status;
}

OSPolicy_Status OSPolicy_ComputeModsignKeyId(
    const uint8_t public_key[OSPOLICY_MODSIGN_PUBLIC_KEY_SIZE],
    uint8_t key_id[OSPOLICY_MODSIGN_KEY_ID_SIZE]) {
  if (public_key == NULL || key_id == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  uint8_t hash[crypto_hash_sha512_BYTES];
  if (crypto_hash_sha512(hash, public_key, OSPOLICY_MODSIGN_PUBLIC_KEY_SIZE) != 0) {
    return OSPOLICY_ERR_UNSUPPORTED;
  }
  memcpy(key_id, hash, OSPOLICY_MODSIGN_KEY_ID_SIZE);
  return OSPOLICY_OK;
}

OSPolicy_Status OSPolicy_CheckModsignKeyIds(const OSPolicy_ModsignTrustSet *trust,
                                           size_t *key_index) {
  if (key_index != NULL) {
    *key_index = 0;
  }
  if (trust == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  if (trust->status != OSPOLICY_OK) {
    return OSPOLICY_ERR_PLAN_NOT_OK;
  }
  if (trust->key_count > OSPOLICY_MODSIGN_MAX_KEYS) {
    return OSPOLICY_ERR_INVALID_ARGUMENT;
  }
  for (uint32_t k = 0; k < trust->key_count; k++) {
    const OSPolicy_ModsignKey *key = &trust->keys[k];
    uint8_t derived[OSPOLICY_MODSIGN_KEY_ID_SIZE];
    OSPolicy_Status status = OSPolicy_ComputeModsignKeyId(key->public_key, derived);
    if (status != OSPOLICY_OK) {
      return status;
    }
    if (memcmp(derived, key->key_id, OSPOLICY_MODSIGN_KEY_ID_SIZE) != 0) {
      if (key_index != NULL) {
        *key_index = k;
      }
      return OSPOLICY_ERR_MODSIGN_KEY_ID_MISMATCH;
    }
  }
  return OSPOLICY_OK;
}

/* ---- envelope verification ---------------------------------------------- */

static const OSPolicy_ModsignKey *lookup_key(const OSPolicy_ModsignTrustSet *trust,
                                             const uint8_t *key_id) {
  uint32_t count = trust->key_count < OSPOLICY_MODSIGN_MAX_KEYS ? trust->key_count
                                                                : OSPOLICY_MODSIGN_MAX_KEYS;
  for (uint32_t k = 0; k < count; k++) {
    if (memcmp(trust->keys[k].key_id, key_id, OSPOLICY_MODSIGN_KEY_ID_SIZE) == 0) {
      return &trust->keys[k];
    }
  }
  return NULL;
}

static OSPolicy_Status envelope_too_long(OSPolicy_ModsignEnvelope *envelope) {
  memset(envelope, 0, sizeof *envelope);
  envelope->status = OSPOLICY_ERR_MODSIGN_TRAILING_DATA;
  envelope->error_offset = OSPOLICY_MODSIGN_ENVELOPE_MAX_SIZE;
  envelope->error_field = OSPOLICY_MODSIGN_FIELD_END;
  return envelope->status;
}

static OSPolicy_Status verifier_fail(OSPolicy_ModsignVerifier *verifier, OSPolicy_Status status,
                                     size_t offset, OSPolicy_ModsignField field) {
  verifier->status = status;
  verifier->error_offset = offset;
  verifier->error_field = field;
  /* No cryptographic state is kept once the verdict is known. */
  sodium_memzero(&verifier->hash, sizeof verifier->hash);
  return status;
}

OSPolicy_Status OSPolicy_BeginModsignVerify(OSPolicy_ModsignVerifier *verifier,
                                            const OSPolicy_ModsignTrustSet *trust,
                                            const OSPolicy_ModsignRequest *request) {
  if (verifier == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  memset(verifier, 0, sizeof *verifier);
  verifier->trust = trust;
  if (trust == NULL || request == NULL) {
    return verifier_fail(verifier, OSPOLICY_ERR_NULL_ARGUMENT, 0, OSPOLICY_MODSIGN_FIELD_REQUEST);
  }
  /* The request is read once too: its sizes bound the copies below. */
  const OSPolicy_ModsignRequest rq = *request;
  if (trust->status != OSPOLICY_OK) {
    return verifier_fail(verifier, OSPOLICY_ERR_PLAN_NOT_OK, 0, OSPOLICY_MODSIGN_FIELD_TRUST_SET);
  }
  if (!request_ok(rq.kind, rq.name, rq.name_length)) {
    return verifier_fail(verifier, OSPOLICY_ERR_INVALID_ARGUMENT, 0,
                         OSPOLICY_MODSIGN_FIELD_REQUEST);
  }
  /* 1. Syntax (no signature at all is its own verdict). The caller's buffer
   * is read exactly once, into `copy`: everything below (the checks and the
   * statement whose signature is verified) uses that copy, so a concurrent
   * writer (another CPU, DMA, a shared page) cannot pass the checks with one
   * value and have another one verified. One byte more than the largest
   * envelope is enough to give any larger envelope the parse error it would
   * get in full (trailing data at the end of the signature): every check
   * before that one reads bytes within the largest envelope. */
  uint8_t copy[OSPOLICY_MODSIGN_ENVELOPE_MAX_SIZE + 1u];
  size_t copy_size = rq.envelope_size < sizeof copy ? rq.envelope_size : sizeof copy;
  if (rq.envelope != NULL && copy_size != 0u) {
    memcpy(copy, rq.envelope, copy_size);
  }
  OSPolicy_Status status = OSPolicy_ParseModsignEnvelope(rq.envelope != NULL ? copy : NULL,
                                                         copy_size, &verifier->envelope);
  if (status == OSPOLICY_OK && copy_size != rq.envelope_size) {
    /* Cannot happen: no envelope longer than the maximum parses. */
    status = envelope_too_long(&verifier->envelope);
  }
  if (status != OSPOLICY_OK) {
    return verifier_fail(verifier, status, verifier->envelope.error_offset,
                         verifier->envelope.error_field);
  }
  const OSPolicy_ModsignEnvelope *envelope = &verifier->envelope;
  /* 2. Key id, before any signature cryptography (as signify and minisign do). */
  if (OSPolicy_IsModsignKeyRevoked(trust, envelope->key_id)) {
    return verifier_fail(verifier, OSPOLICY_DENIED_MODSIGN_REVOKED_KEY, MODSIGN_ENV_KEY_ID,
                         OSPOLICY_MODSIGN_FIELD_KEY_ID);
  }
  const OSPolicy_ModsignKey *key = lookup_key(trust, envelope->key_id);
  if (key == NULL) {
    return verifier_fail(verifier, OSPOLICY_DENIED_MODSIGN_UNKNOWN_KEY, MODSIGN_ENV_KEY_ID,
                         OSPOLICY_MODSIGN_FIELD_KEY_ID);
  }
  /* The id must be the one the key derives: ids are labels of keys, not
   * names of their own, so a key trusted under an alias id (which its
   * revocation by the real id would not reach) is never used. */
  uint8_t derived[OSPOLICY_MODSIGN_KEY_ID_SIZE];
  status = OSPolicy_ComputeModsignKeyId(key->public_key, derived);
  if (status != OSPOLICY_OK) {
    return verifier_fail(verifier, status, 0, OSPOLICY_MODSIGN_FIELD_CRYPTO);
  }
  if (memcmp(derived, envelope->key_id, OSPOLICY_MODSIGN_KEY_ID_SIZE) != 0) {
    return verifier_fail(verifier, OSPOLICY_ERR_MODSIGN_KEY_ID_MISMATCH, MODSIGN_ENV_KEY_ID,
                         OSPOLICY_MODSIGN_FIELD_KEY_ID);
  }
  /* 3. The signature must be for the object being loaded. */
  if (envelope->kind != rq.kind) {
    return verifier_fail(verifier, OSPOLICY_DENIED_MODSIGN_WRONG_OBJECT, MODSIGN_ENV_KIND,
                         OSPOLICY_MODSIGN_FIELD_KIND);
  }
  if (envelope->name_length != rq.name_length ||
      memcmp(envelope->name, rq.name, rq.name_length) != 0) {
    return verifier_fail(verifier, OSPOLICY_DENIED_MODSIGN_WRONG_OBJECT, MODSIGN_ENV_NAME,
                         OSPOLICY_MODSIGN_FIELD_NAME);
  }
  /* 4. Revocation by generation. */
  verifier->min_generation =
      OSPolicy_GetModsignFloor(trust, envelope->kind, envelope->name, envelope->name_length);
  if (envelope->generation < verifier->min_generation) {
    return verifier_fail(verifier, OSPOLICY_DENIED_MODSIGN_GENERATION, MODSIGN_ENV_GENERATION,
                         OSPOLICY_MODSIGN_FIELD_GENERATION);
  }
  /* 5. The statement's signature (from the copy that was checked), before
   * any object byte: a forged envelope costs no read of the object. */
  status = OSPolicy_VerifyEd25519(key->public_key, copy, envelope->statement_size,
                                  envelope->signature);
  if (status != OSPOLICY_OK) {
    return verifier_fail(verifier, status, envelope->statement_size,
                         OSPOLICY_MODSIGN_FIELD_SIGNATURE);
  }
  status = hash_begin(&verifier->hash);
  if (status != OSPOLICY_OK) {
    return verifier_fail(verifier, status, 0, OSPOLICY_MODSIGN_FIELD_CRYPTO);
  }
  verifier->status = OSPOLICY_OK;
  return OSPOLICY_OK;
}

OSPolicy_Status OSPolicy_UpdateModsignVerify(OSPolicy_ModsignVerifier *verifier, const void *data,
                                             size_t size) {
  if (verifier == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  if (verifier->status != OSPOLICY_OK) {
    return verifier->status == OSPOLICY_STATUS_UNSET ? OSPOLICY_ERR_PLAN_NOT_OK : verifier->status;
  }
  if (data == NULL && size != 0u) {
    return verifier_fail(verifier, OSPOLICY_ERR_NULL_ARGUMENT, 0, OSPOLICY_MODSIGN_FIELD_OBJECT);
  }
  uint64_t declared = verifier->envelope.object_size;
  uint64_t room = declared - verifier->received; /* received <= declared while OK */
  if ((uint64_t)size > room) {
    /* Trailing garbage: report where it starts, and hash none of it. */
    uint64_t start = declared;
    return verifier_fail(verifier, OSPOLICY_ERR_MODSIGN_TRAILING_DATA,
                         start > (uint64_t)SIZE_MAX ? SIZE_MAX : (size_t)start,
                         OSPOLICY_MODSIGN_FIELD_OBJECT);
  }
  if (size == 0u) {
    return OSPOLICY_OK;
  }
  OSPolicy_Status status = hash_update(&verifier->hash, data, size);
  if (status != OSPOLICY_OK) {
    return verifier_fail(verifier, status, 0, OSPOLICY_MODSIGN_FIELD_CRYPTO);
  }
  verifier->received += (uint64_t)size;
  return OSPOLICY_OK;
}

static OSPolicy_Decision decide(OSPolicy_Status status, bool enforcing) {
  if (status == OSPOLICY_OK) {
    return OSPOLICY_DECISION_ALLOW;
  }
  /* As Linux module_sig_check: without enforcement an unsigned object, or one
   * signed by a key we do not have, loads unverified; every other failure
   * (unparsable, revoked, bad signature, ...) is fatal regardless. */
  if (!enforcing && (status == OSPOLICY_DENIED_MODSIGN_NO_SIGNATURE ||
                     status == OSPOLICY_DENIED_MODSIGN_UNKNOWN_KEY)) {
    return OSPOLICY_DECISION_ALLOW;
  }
  return OSPOLICY_DECISION_DENY;
}

OSPolicy_Status OSPolicy_FinishModsignVerify(OSPolicy_ModsignVerifier *verifier,
                                             OSPolicy_ModsignResult *result) {
  if (verifier == NULL || result == NULL) {
    if (verifier != NULL) {
      sodium_memzero(verifier, sizeof *verifier);
    }
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  memset(result, 0, sizeof *result);
  OSPolicy_Status status = verifier->status;
  if (status == OSPOLICY_STATUS_UNSET) {
    status = verifier_fail(verifier, OSPOLICY_ERR_PLAN_NOT_OK, 0, OSPOLICY_MODSIGN_FIELD_VERIFIER);
  }
  if (status == OSPOLICY_OK && verifier->received < verifier->envelope.object_size) {
    uint64_t at = verifier->received;
    status = verifier_fail(verifier, OSPOLICY_ERR_MODSIGN_OBJECT_TRUNCATED,
                           at > (uint64_t)SIZE_MAX ? SIZE_MAX : (size_t)at,
                           OSPOLICY_MODSIGN_FIELD_OBJECT);
  }
  if (status == OSPOLICY_OK) {
    uint8_t digest[OSPOLICY_MODSIGN_DIGEST_SIZE];
    if (hash_finish(&verifier->hash, digest) != OSPOLICY_OK) {
      status = verifier_fail(verifier, OSPOLICY_ERR_UNSUPPORTED, 0, OSPOLICY_MODSIGN_FIELD_CRYPTO);
    } else if (sodium_memcmp(digest, verifier->envelope.digest, sizeof digest) != 0) {
      status = verifier_fail(verifier, OSPOLICY_DENIED_MODSIGN_DIGEST_MISMATCH,
                             MODSIGN_ENV_DIGEST, OSPOLICY_MODSIGN_FIELD_DIGEST);
    }
  }
  const OSPolicy_ModsignTrustSet *trust = verifier->trust;
  bool enforcing = trust != NULL && trust->enforce != 0u;
  result->decision = decide(status, enforcing);
  result->enforcing = enforcing ? 1u : 0u;
  result->min_generation = verifier->min_generation;
  result->object_bytes = verifier->received;
  result->error_offset = status == OSPOLICY_OK ? 0u : verifier->error_offset;
  result->error_field = status == OSPOLICY_OK ? OSPOLICY_MODSIGN_FIELD_NONE : verifier->error_field;
  result->envelope = verifier->envelope;
  result->status = status;
  sodium_memzero(verifier, sizeof *verifier);
  return status;
}

OSPolicy_Status OSPolicy_VerifyModsign(const OSPolicy_ModsignTrustSet *trust,
                                       const OSPolicy_ModsignRequest *request,
                                       const uint8_t *object, size_t object_size,
                                       OSPolicy_ModsignResult *result) {
  if (result == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  OSPolicy_ModsignVerifier verifier;
  OSPolicy_Status status = OSPolicy_BeginModsignVerify(&verifier, trust, request);
  if (status == OSPOLICY_OK) {
    status = OSPolicy_UpdateModsignVerify(&verifier, object, object_size);
  }
  (void)status; /* Finish reports the verifier's status, whatever step failed */
  return OSPolicy_FinishModsignVerify(&verifier, result);
}

/* ---- signing ------------------------------------------------------------ */

OSPolicy_Status OSPolicy_BeginModsignSign(OSPolicy_ModsignSigner *signer) {
  if (signer == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  memset(signer, 0, sizeof *signer);
  OSPolicy_Status status = hash_begin(&signer->hash);
  signer->status = status;
  return status;
}

OSPolicy_Status OSPolicy_UpdateModsignSign(OSPolicy_ModsignSigner *signer, const void *data,
                                           size_t size) {
  if (signer == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  if (signer->status != OSPOLICY_OK) {
    return signer->status == OSPOLICY_STATUS_UNSET ? OSPOLICY_ERR_PLAN_NOT_OK : signer->status;
  }
  if (data == NULL && size != 0u) {
    signer->status = OSPOLICY_ERR_NULL_ARGUMENT;
    return signer->status;
  }
  uint64_t total = 0;
  if (__builtin_add_overflow(signer->received, (uint64_t)size, &total)) {
    signer->status = OSPOLICY_ERR_INVALID_ARGUMENT;
    return signer->status;
  }
  if (size != 0u) {
    signer->status = hash_update(&signer->hash, data, size);
  }
  signer->received = total;
  return signer->status;
}

OSPolicy_Status OSPolicy_FinishModsignSign(
    OSPolicy_ModsignSigner *signer, const uint8_t secret_key[OSPOLICY_MODSIGN_SECRET_KEY_SIZE],
    const OSPolicy_ModsignSignRequest *request, uint8_t *out, size_t capacity, size_t *size) {
  if (signer == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  OSPolicy_Status status = signer->status;
  if (secret_key == NULL || request == NULL || size == NULL || (out == NULL && capacity != 0u)) {
    status = OSPOLICY_ERR_NULL_ARGUMENT;
  } else if (status == OSPOLICY_STATUS_UNSET) {
    status = OSPOLICY_ERR_PLAN_NOT_OK;
  }
  if (size != NULL) {
    *size = 0;
  }
  const char *comment = request != NULL ? request->comment : NULL;
  size_t comment_length = request != NULL ? request->comment_length : 0u;
  if (status == OSPOLICY_OK &&
      (!request_ok(request->kind, request->name, request->name_length) ||
       !OSPolicy_IsValidModsignComment(comment, comment_length))) {
    status = OSPOLICY_ERR_INVALID_ARGUMENT;
  }
  OSPolicy_ModsignEnvelope fields;
  memset(&fields, 0, sizeof fields);
  size_t needed = 0;
  if (status == OSPOLICY_OK) {
    needed = OSPOLICY_MODSIGN_ENVELOPE_SIZE(request->name_length, comment_length);
    *size = needed;
    if (capacity < needed) {
      status = OSPOLICY_ERR_BUFFER_TOO_SMALL;
    }
  }
  if (status == OSPOLICY_OK) {
    fields.version = OSPOLICY_MODSIGN_VERSION;
    fields.algorithm = OSPOLICY_MODSIGN_ALG_ED25519_BLAKE2B;
    fields.kind = (uint8_t)request->kind;
    fields.name_length = (uint8_t)request->name_length;
    memcpy(fields.name, request->name, request->name_length);
    fields.comment_length = (uint8_t)comment_length;
    if (comment_length != 0u) {
      memcpy(fields.comment, comment, comment_length);
    }
    fields.generation = request->generation;
    fields.object_size = signer->received;
    status = OSPolicy_ComputeModsignKeyId(secret_key + 32, fields.key_id); /* seed || pk */
  }
  if (status == OSPOLICY_OK) {
    status = hash_finish(&signer->hash, fields.digest);
  }
  size_t written = 0;
  if (status == OSPOLICY_OK) {
    status = OSPolicy_EncodeModsignEnvelope(&fields, out, capacity, &written);
  }
  if (status == OSPOLICY_OK) {
    size_t statement_size = OSPOLICY_MODSIGN_STATEMENT_SIZE(fields.name_length, comment_length);
    if (crypto_sign_ed25519_detached(out + statement_size, NULL, out, statement_size,
                                     secret_key) != 0) {
      memset(out, 0, needed);
      status = OSPOLICY_ERR_UNSUPPORTED;
    }
  }
  sodium_memzero(signer, sizeof *signer);
  return status;
}

OSPolicy_Status OSPolicy_SignModsign(const uint8_t secret_key[OSPOLICY_MODSIGN_SECRET_KEY_SIZE],
                                     const OSPolicy_ModsignSignRequest *request,
                                     const uint8_t *object, size_t object_size, uint8_t *out,
                                     size_t capacity, size_t *size) {
  if (object == NULL && object_size != 0u) {
    if (size != NULL) {
      *size = 0;
    }
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  OSPolicy_ModsignSigner signer;
  OSPolicy_Status status = OSPolicy_BeginModsignSign(&signer);
  if (status == OSPOLICY_OK) {
    status = OSPolicy_UpdateModsignSign(&signer, object, object_size);
  }
  (void)status; /* Finish reports the signer's status */
  return OSPolicy_FinishModsignSign(&signer, secret_key, request, out, capacity, size);
}
