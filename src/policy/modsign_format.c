/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * Modsign byte formats (OSPolicy::core): envelope, trust set, key files.
 * Pure byte parsers with no cryptography, so that they can be fuzzed on
 * their own and linked anywhere. Layouts: docs/modsign.md.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mem.h"
#include "modsign_layout.h"
#include "ospolicy/modsign.h"

typedef OSPolicy_ModsignField Field;

static bool magic_is(const uint8_t *p, const char *magic) {
  return memcmp(p, magic, MODSIGN_MAGIC_SIZE) == 0;
}

/* Offset of the first byte of p that differs from magic (8 if none). */
static size_t magic_mismatch(const uint8_t *p, const char *magic) {
  size_t i = 0;
  while (i < MODSIGN_MAGIC_SIZE && p[i] == (uint8_t)magic[i]) {
    i++;
  }
  return i;
}

static bool name_char_ok(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-' || c == '+';
}

/* Index of the first byte that is not a valid name byte, or name_length. */
static size_t bad_name_index(const char *name, size_t name_length) {
  for (size_t i = 0; i < name_length; i++) {
    if (!name_char_ok(name[i])) {
      return i;
    }
  }
  return name_length;
}

int OSPolicy_IsValidModsignName(const char *name, size_t name_length) {
  return name != NULL && name_length >= 1u && name_length <= OSPOLICY_MODSIGN_NAME_MAX &&
         bad_name_index(name, name_length) == name_length;
}

static bool kind_ok(uint32_t kind) {
  return kind >= OSPOLICY_MODSIGN_KIND_KERNEL && kind <= OSPOLICY_MODSIGN_KIND_AGENT;
}

const char *OSPolicy_ModsignKindName(uint32_t kind) {
  switch (kind) {
    case OSPOLICY_MODSIGN_KIND_KERNEL:
      return "kernel";
    case OSPOLICY_MODSIGN_KIND_MODULE:
      return "module";
    case OSPOLICY_MODSIGN_KIND_LOADER:
      return "loader";
    case OSPOLICY_MODSIGN_KIND_DATA:
      return "data";
    case OSPOLICY_MODSIGN_KIND_AGENT:
      return "agent";
    default:
      return "unset";
  }
}

int OSPolicy_IsValidModsignComment(const char *comment, size_t comment_length) {
  if (comment_length > OSPOLICY_MODSIGN_COMMENT_MAX || (comment == NULL && comment_length != 0u)) {
    return 0;
  }
  for (size_t i = 0; i < comment_length; i++) {
    if ((unsigned char)comment[i] < 0x20u || (unsigned char)comment[i] > 0x7Eu) {
      return 0;
    }
  }
  return 1;
}

/* Index of the first byte that is not printable ASCII, or length. */
static size_t bad_comment_index(const uint8_t *comment, size_t length) {
  for (size_t i = 0; i < length; i++) {
    if (comment[i] < 0x20u || comment[i] > 0x7Eu) {
      return i;
    }
  }
  return length;
}

const char *OSPolicy_ModsignFieldName(OSPolicy_ModsignField field) {
  switch (field) {
#define OSPOLICY_MODSIGN_FIELD_CASE(id, name) \
  case id:                                    \
    return name;
    OSPOLICY_MODSIGN_FIELD_LIST(OSPOLICY_MODSIGN_FIELD_CASE)
#undef OSPOLICY_MODSIGN_FIELD_CASE
    default:
      return "unknown";
  }
}

OSPolicy_ModsignKind OSPolicy_ModsignKindFromName(const char *name, size_t name_length) {
  if (name == NULL) {
    return OSPOLICY_MODSIGN_KIND_UNSET;
  }
  for (uint32_t kind = OSPOLICY_MODSIGN_KIND_KERNEL; kind <= OSPOLICY_MODSIGN_KIND_AGENT; kind++) {
    const char *candidate = OSPolicy_ModsignKindName(kind);
    size_t n = 0;
    while (candidate[n] != '\0') {
      n++;
    }
    if (n == name_length && memcmp(candidate, name, n) == 0) {
      return (OSPolicy_ModsignKind)kind;
    }
  }
  return OSPOLICY_MODSIGN_KIND_UNSET;
}

/* ---- envelope ----------------------------------------------------------- */

static OSPolicy_Status envelope_fail(OSPolicy_ModsignEnvelope *e, OSPolicy_Status status,
                                     size_t offset, Field field) {
  memset(e, 0, sizeof *e);
  e->status = status;
  e->error_offset = offset;
  e->error_field = field;
  return status;
}

/* Validate-and-fill: every byte is read once, into `envelope` or a local,
 * and checked there. */
OSPolicy_Status OSPolicy_ParseModsignEnvelope(const uint8_t *data, size_t size,
                                              OSPolicy_ModsignEnvelope *envelope) {
  if (envelope == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  if (data == NULL && size != 0u) {
    return envelope_fail(envelope, OSPOLICY_ERR_NULL_ARGUMENT, 0, OSPOLICY_MODSIGN_FIELD_ENVELOPE);
  }
  if (size == 0u) {
    return envelope_fail(envelope, OSPOLICY_DENIED_MODSIGN_NO_SIGNATURE, 0,
                         OSPOLICY_MODSIGN_FIELD_ENVELOPE);
  }
  if (size < OSPOLICY_MODSIGN_STATEMENT_FIXED_SIZE) {
    return envelope_fail(envelope, OSPOLICY_ERR_MODSIGN_MALFORMED, size,
                         OSPOLICY_MODSIGN_FIELD_SIZE);
  }
  size_t mismatch = magic_mismatch(data + MODSIGN_ENV_MAGIC, MODSIGN_ENVELOPE_MAGIC);
  if (mismatch != MODSIGN_MAGIC_SIZE) {
    return envelope_fail(envelope, OSPOLICY_ERR_MODSIGN_MALFORMED, MODSIGN_ENV_MAGIC + mismatch,
                         OSPOLICY_MODSIGN_FIELD_MAGIC);
  }
  uint8_t version = data[MODSIGN_ENV_VERSION];
  if (version != OSPOLICY_MODSIGN_VERSION) {
    return envelope_fail(envelope, OSPOLICY_ERR_MODSIGN_MALFORMED, MODSIGN_ENV_VERSION,
                         OSPOLICY_MODSIGN_FIELD_VERSION);
  }
  uint8_t algorithm = data[MODSIGN_ENV_ALGORITHM];
  if (algorithm != OSPOLICY_MODSIGN_ALG_ED25519_BLAKE2B) {
    return envelope_fail(envelope, OSPOLICY_ERR_MODSIGN_UNSUPPORTED_ALGORITHM,
                         MODSIGN_ENV_ALGORITHM, OSPOLICY_MODSIGN_FIELD_ALGORITHM);
  }
  uint8_t kind = data[MODSIGN_ENV_KIND];
  if (!kind_ok(kind)) {
    return envelope_fail(envelope, OSPOLICY_ERR_MODSIGN_MALFORMED, MODSIGN_ENV_KIND,
                         OSPOLICY_MODSIGN_FIELD_KIND);
  }
  size_t name_length = data[MODSIGN_ENV_NAME_LENGTH];
  if (name_length == 0u || name_length > OSPOLICY_MODSIGN_NAME_MAX) {
    return envelope_fail(envelope, OSPOLICY_ERR_MODSIGN_MALFORMED, MODSIGN_ENV_NAME_LENGTH,
                         OSPOLICY_MODSIGN_FIELD_NAME_LENGTH);
  }
  size_t comment_length = data[MODSIGN_ENV_COMMENT_LENGTH];
  if (comment_length > OSPOLICY_MODSIGN_COMMENT_MAX) {
    return envelope_fail(envelope, OSPOLICY_ERR_MODSIGN_MALFORMED, MODSIGN_ENV_COMMENT_LENGTH,
                         OSPOLICY_MODSIGN_FIELD_COMMENT_LENGTH);
  }
  for (size_t i = MODSIGN_ENV_RESERVED; i < MODSIGN_ENV_KEY_ID; i++) {
    if (data[i] != 0u) {
      return envelope_fail(envelope, OSPOLICY_ERR_MODSIGN_MALFORMED, i,
                           OSPOLICY_MODSIGN_FIELD_RESERVED);
    }
  }
  size_t comment_at = modsign_env_comment_offset(name_length);
  size_t statement_size = OSPOLICY_MODSIGN_STATEMENT_SIZE(name_length, comment_length);
  size_t envelope_size = OSPOLICY_MODSIGN_ENVELOPE_SIZE(name_length, comment_length);
  if (size < comment_at) {
    return envelope_fail(envelope, OSPOLICY_ERR_MODSIGN_MALFORMED, size,
                         OSPOLICY_MODSIGN_FIELD_NAME);
  }
  /* The variable parts are copied first and checked in the copy. */
  OSPolicy_ModsignEnvelope out;
  memset(&out, 0, sizeof out);
  memcpy(out.name, data + MODSIGN_ENV_NAME, name_length);
  size_t bad = bad_name_index(out.name, name_length);
  if (bad != name_length) {
    return envelope_fail(envelope, OSPOLICY_ERR_MODSIGN_MALFORMED, MODSIGN_ENV_NAME + bad,
                         OSPOLICY_MODSIGN_FIELD_NAME);
  }
  if (size < statement_size) {
    return envelope_fail(envelope, OSPOLICY_ERR_MODSIGN_MALFORMED, size,
                         OSPOLICY_MODSIGN_FIELD_COMMENT);
  }
  memcpy(out.comment, data + comment_at, comment_length);
  bad = bad_comment_index((const uint8_t *)out.comment, comment_length);
  if (bad != comment_length) {
    return envelope_fail(envelope, OSPOLICY_ERR_MODSIGN_MALFORMED, comment_at + bad,
                         OSPOLICY_MODSIGN_FIELD_COMMENT);
  }
  if (size < envelope_size) {
    return envelope_fail(envelope, OSPOLICY_ERR_MODSIGN_MALFORMED, size,
                         OSPOLICY_MODSIGN_FIELD_SIGNATURE);
  }
  if (size > envelope_size) {
    return envelope_fail(envelope, OSPOLICY_ERR_MODSIGN_TRAILING_DATA, envelope_size,
                         OSPOLICY_MODSIGN_FIELD_END);
  }
  out.error_field = OSPOLICY_MODSIGN_FIELD_NONE;
  out.version = version;
  out.algorithm = algorithm;
  out.kind = kind;
  out.name_length = (uint8_t)name_length;
  out.comment_length = (uint8_t)comment_length;
  memcpy(out.key_id, data + MODSIGN_ENV_KEY_ID, OSPOLICY_MODSIGN_KEY_ID_SIZE);
  out.generation = modsign_load_le(data + MODSIGN_ENV_GENERATION, 8);
  out.object_size = modsign_load_le(data + MODSIGN_ENV_OBJECT_SIZE, 8);
  memcpy(out.digest, data + MODSIGN_ENV_DIGEST, OSPOLICY_MODSIGN_DIGEST_SIZE);
  memcpy(out.signature, data + statement_size, OSPOLICY_MODSIGN_SIGNATURE_SIZE);
  out.statement_size = statement_size;
  out.status = OSPOLICY_OK;
  *envelope = out;
  return OSPOLICY_OK;
}

OSPolicy_Status OSPolicy_EncodeModsignEnvelope(const OSPolicy_ModsignEnvelope *fields,
                                               uint8_t *out, size_t capacity, size_t *size) {
  if (fields == NULL || size == NULL || (out == NULL && capacity != 0u)) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  *size = 0;
  if (fields->version != OSPOLICY_MODSIGN_VERSION ||
      fields->algorithm != OSPOLICY_MODSIGN_ALG_ED25519_BLAKE2B || !kind_ok(fields->kind) ||
      !OSPolicy_IsValidModsignName(fields->name, fields->name_length) ||
      !OSPolicy_IsValidModsignComment(fields->comment, fields->comment_length)) {
    return OSPOLICY_ERR_INVALID_ARGUMENT;
  }
  size_t needed = OSPOLICY_MODSIGN_ENVELOPE_SIZE(fields->name_length, fields->comment_length);
  *size = needed;
  if (capacity < needed) {
    return OSPOLICY_ERR_BUFFER_TOO_SMALL;
  }
  memset(out, 0, needed);
  memcpy(out + MODSIGN_ENV_MAGIC, MODSIGN_ENVELOPE_MAGIC, MODSIGN_MAGIC_SIZE);
  out[MODSIGN_ENV_VERSION] = fields->version;
  out[MODSIGN_ENV_ALGORITHM] = fields->algorithm;
  out[MODSIGN_ENV_KIND] = fields->kind;
  out[MODSIGN_ENV_NAME_LENGTH] = fields->name_length;
  out[MODSIGN_ENV_COMMENT_LENGTH] = fields->comment_length;
  memcpy(out + MODSIGN_ENV_KEY_ID, fields->key_id, OSPOLICY_MODSIGN_KEY_ID_SIZE);
  modsign_store_le(out + MODSIGN_ENV_GENERATION, fields->generation, 8);
  modsign_store_le(out + MODSIGN_ENV_OBJECT_SIZE, fields->object_size, 8);
  memcpy(out + MODSIGN_ENV_DIGEST, fields->digest, OSPOLICY_MODSIGN_DIGEST_SIZE);
  memcpy(out + MODSIGN_ENV_NAME, fields->name, fields->name_length);
  memcpy(out + modsign_env_comment_offset(fields->name_length), fields->comment,
         fields->comment_length);
  memcpy(out + modsign_env_signature_offset(fields->name_length, fields->comment_length),
         fields->signature, OSPOLICY_MODSIGN_SIGNATURE_SIZE);
  return OSPOLICY_OK;
}

/* ---- trust set ---------------------------------------------------------- */

/* The latch: once a set has enforcement on, it stays on whatever its status
 * (a failed parse writes an error status but must not make the next Parse or
 * Init forget the latch). Garbage in `enforce` counts as on: fail closed. */
static bool trust_latched(const OSPolicy_ModsignTrustSet *trust) {
  return trust->enforce != 0u;
}

static void trust_reset(OSPolicy_ModsignTrustSet *trust, OSPolicy_Status status, bool enforce,
                        size_t offset, Field field) {
  memset(trust, 0, sizeof *trust);
  trust->status = status;
  trust->enforce = enforce ? 1u : 0u;
  trust->error_offset = offset;
  trust->error_field = field;
}

OSPolicy_Status OSPolicy_InitModsignTrustSet(OSPolicy_ModsignTrustSet *trust) {
  if (trust == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  trust_reset(trust, OSPOLICY_OK, trust_latched(trust), 0, OSPOLICY_MODSIGN_FIELD_NONE);
  return OSPOLICY_OK;
}

static bool names_equal(uint32_t kind_a, const char *a, size_t a_length, uint32_t kind_b,
                        const char *b, size_t b_length) {
  return kind_a == kind_b && a_length == b_length && memcmp(a, b, a_length) == 0;
}

static int compare_ids(const uint8_t *a, const uint8_t *b) {
  return memcmp(a, b, OSPOLICY_MODSIGN_KEY_ID_SIZE);
}

/* Position of key_id in the sorted revocation list: *found says whether it
 * is there; the return value is where it is or would be inserted. */
static size_t revoked_position(const OSPolicy_ModsignTrustSet *trust, const uint8_t *key_id,
                               bool *found) {
  size_t low = 0;
  size_t high = trust->revoked_count < OSPOLICY_MODSIGN_MAX_REVOKED ? trust->revoked_count
                                                                    : OSPOLICY_MODSIGN_MAX_REVOKED;
  *found = false;
  while (low < high) {
    size_t mid = low + (high - low) / 2u;
    int c = compare_ids(trust->revoked[mid], key_id);
    if (c == 0) {
      *found = true;
      return mid;
    }
    if (c < 0) {
      low = mid + 1u;
    } else {
      high = mid;
    }
  }
  return low;
}

int OSPolicy_IsModsignKeyRevoked(const OSPolicy_ModsignTrustSet *trust,
                                 const uint8_t key_id[OSPOLICY_MODSIGN_KEY_ID_SIZE]) {
  if (trust == NULL || key_id == NULL) {
    return 0;
  }
  bool found = false;
  (void)revoked_position(trust, key_id, &found);
  return found ? 1 : 0;
}

/* Parse state: where the walk is, and where it failed. */
typedef struct trust_walk {
  const uint8_t *data;
  size_t size;
  size_t at;
  size_t error_offset;
  Field error_field;
} trust_walk;

static OSPolicy_Status walk_fail(trust_walk *w, OSPolicy_Status status, size_t offset,
                                 Field field) {
  w->error_offset = offset;
  w->error_field = field;
  return status;
}

/* The active keys: each entry is copied into the set, then checked there
 * against the entries already filled in (never against the input again). */
static OSPolicy_Status walk_keys(trust_walk *w, size_t count, OSPolicy_ModsignTrustSet *t) {
  for (size_t k = 0; k < count; k++) {
    if (w->size - w->at < OSPOLICY_MODSIGN_TRUST_KEY_SIZE) {
      return walk_fail(w, OSPOLICY_ERR_MODSIGN_TRUST_MALFORMED, w->size,
                       OSPOLICY_MODSIGN_FIELD_KEY);
    }
    OSPolicy_ModsignKey *key = &t->keys[k];
    memcpy(key->key_id, w->data + w->at + MODSIGN_KEY_ID, OSPOLICY_MODSIGN_KEY_ID_SIZE);
    memcpy(key->public_key, w->data + w->at + MODSIGN_KEY_PUBLIC,
           OSPOLICY_MODSIGN_PUBLIC_KEY_SIZE);
    for (size_t j = 0; j < k; j++) {
      if (compare_ids(t->keys[j].key_id, key->key_id) == 0) {
        return walk_fail(w, OSPOLICY_ERR_MODSIGN_DUPLICATE_KEY, w->at + MODSIGN_KEY_ID,
                         OSPOLICY_MODSIGN_FIELD_KEY_ID);
      }
      if (memcmp(t->keys[j].public_key, key->public_key, OSPOLICY_MODSIGN_PUBLIC_KEY_SIZE) == 0) {
        return walk_fail(w, OSPOLICY_ERR_MODSIGN_DUPLICATE_PUBLIC_KEY, w->at + MODSIGN_KEY_PUBLIC,
                         OSPOLICY_MODSIGN_FIELD_PUBLIC_KEY);
      }
    }
    t->key_count = (uint32_t)(k + 1u);
    w->at += OSPOLICY_MODSIGN_TRUST_KEY_SIZE;
  }
  return OSPOLICY_OK;
}

/* The revoked ids: strictly increasing (so no id twice), none an active key. */
static OSPolicy_Status walk_revoked(trust_walk *w, size_t count, OSPolicy_ModsignTrustSet *t) {
  for (size_t r = 0; r < count; r++) {
    if (w->size - w->at < OSPOLICY_MODSIGN_KEY_ID_SIZE) {
      return walk_fail(w, OSPOLICY_ERR_MODSIGN_TRUST_MALFORMED, w->size,
                       OSPOLICY_MODSIGN_FIELD_REVOKED);
    }
    uint8_t *id = t->revoked[r];
    memcpy(id, w->data + w->at, OSPOLICY_MODSIGN_KEY_ID_SIZE);
    if (r > 0u) {
      int c = compare_ids(t->revoked[r - 1u], id);
      if (c == 0) {
        return walk_fail(w, OSPOLICY_ERR_MODSIGN_DUPLICATE_KEY, w->at,
                         OSPOLICY_MODSIGN_FIELD_REVOKED);
      }
      if (c > 0) {
        return walk_fail(w, OSPOLICY_ERR_MODSIGN_TRUST_MALFORMED, w->at,
                         OSPOLICY_MODSIGN_FIELD_REVOKED);
      }
    }
    for (uint32_t k = 0; k < t->key_count; k++) {
      if (compare_ids(t->keys[k].key_id, id) == 0) {
        return walk_fail(w, OSPOLICY_ERR_MODSIGN_DUPLICATE_KEY, w->at,
                         OSPOLICY_MODSIGN_FIELD_REVOKED);
      }
    }
    t->revoked_count = (uint32_t)(r + 1u);
    w->at += OSPOLICY_MODSIGN_KEY_ID_SIZE;
  }
  return OSPOLICY_OK;
}

static OSPolicy_Status walk_floors(trust_walk *w, size_t count, OSPolicy_ModsignTrustSet *t) {
  for (size_t f = 0; f < count; f++) {
    if (w->size - w->at < OSPOLICY_MODSIGN_TRUST_FLOOR_FIXED_SIZE) {
      return walk_fail(w, OSPOLICY_ERR_MODSIGN_TRUST_MALFORMED, w->size,
                       OSPOLICY_MODSIGN_FIELD_FLOOR);
    }
    const uint8_t *entry = w->data + w->at;
    OSPolicy_ModsignFloor *floor = &t->floors[f];
    floor->kind = entry[MODSIGN_FLOOR_KIND];
    if (!kind_ok(floor->kind)) {
      return walk_fail(w, OSPOLICY_ERR_MODSIGN_TRUST_MALFORMED, w->at + MODSIGN_FLOOR_KIND,
                       OSPOLICY_MODSIGN_FIELD_FLOOR_KIND);
    }
    size_t name_length = entry[MODSIGN_FLOOR_NAME_LENGTH];
    if (name_length == 0u || name_length > OSPOLICY_MODSIGN_NAME_MAX) {
      return walk_fail(w, OSPOLICY_ERR_MODSIGN_TRUST_MALFORMED,
                       w->at + MODSIGN_FLOOR_NAME_LENGTH, OSPOLICY_MODSIGN_FIELD_FLOOR_NAME_LENGTH);
    }
    for (size_t i = MODSIGN_FLOOR_RESERVED; i < MODSIGN_FLOOR_GENERATION; i++) {
      if (entry[i] != 0u) {
        return walk_fail(w, OSPOLICY_ERR_MODSIGN_TRUST_MALFORMED, w->at + i,
                         OSPOLICY_MODSIGN_FIELD_FLOOR_RESERVED);
      }
    }
    floor->min_generation = modsign_load_le(entry + MODSIGN_FLOOR_GENERATION, 8);
    if (w->size - w->at - OSPOLICY_MODSIGN_TRUST_FLOOR_FIXED_SIZE < name_length) {
      return walk_fail(w, OSPOLICY_ERR_MODSIGN_TRUST_MALFORMED, w->size,
                       OSPOLICY_MODSIGN_FIELD_FLOOR_NAME);
    }
    memcpy(floor->name, entry + MODSIGN_FLOOR_NAME, name_length);
    floor->name[name_length] = '\0';
    floor->name_length = (uint8_t)name_length;
    size_t bad = bad_name_index(floor->name, name_length);
    if (bad != name_length) {
      return walk_fail(w, OSPOLICY_ERR_MODSIGN_TRUST_MALFORMED, w->at + MODSIGN_FLOOR_NAME + bad,
                       OSPOLICY_MODSIGN_FIELD_FLOOR_NAME);
    }
    for (size_t j = 0; j < f; j++) {
      const OSPolicy_ModsignFloor *other = &t->floors[j];
      if (names_equal(other->kind, other->name, other->name_length, floor->kind, floor->name,
                      name_length)) {
        return walk_fail(w, OSPOLICY_ERR_MODSIGN_DUPLICATE_FLOOR, w->at,
                         OSPOLICY_MODSIGN_FIELD_FLOOR_NAME);
      }
    }
    t->floor_count = (uint32_t)(f + 1u);
    w->at += OSPOLICY_MODSIGN_TRUST_FLOOR_FIXED_SIZE + name_length;
  }
  return OSPOLICY_OK;
}

/* One pass over the file, filling `t` (which the caller has reset): every
 * input byte is read once, and every check is made on what was filled in. */
static OSPolicy_Status walk_trust(trust_walk *w, OSPolicy_ModsignTrustSet *t, bool *file_enforce) {
  if (w->size < OSPOLICY_MODSIGN_TRUST_HEADER_SIZE) {
    return walk_fail(w, OSPOLICY_ERR_MODSIGN_TRUST_MALFORMED, w->size, OSPOLICY_MODSIGN_FIELD_SIZE);
  }
  uint8_t header[OSPOLICY_MODSIGN_TRUST_HEADER_SIZE];
  memcpy(header, w->data, sizeof header);
  size_t mismatch = magic_mismatch(header + MODSIGN_TRUST_MAGIC, MODSIGN_TRUST_MAGIC_TEXT);
  if (mismatch != MODSIGN_MAGIC_SIZE) {
    return walk_fail(w, OSPOLICY_ERR_MODSIGN_TRUST_MALFORMED, MODSIGN_TRUST_MAGIC + mismatch,
                     OSPOLICY_MODSIGN_FIELD_MAGIC);
  }
  size_t key_count = header[MODSIGN_TRUST_KEY_COUNT];
  size_t floor_count = header[MODSIGN_TRUST_FLOOR_COUNT];
  size_t revoked_count = (size_t)modsign_load_le(header + MODSIGN_TRUST_REVOKED_COUNT, 2);
  struct {
    size_t offset;
    Field field;
    bool bad;
  } checks[] = {
      {MODSIGN_TRUST_VERSION, OSPOLICY_MODSIGN_FIELD_VERSION,
       header[MODSIGN_TRUST_VERSION] != OSPOLICY_MODSIGN_VERSION},
      {MODSIGN_TRUST_FLAGS, OSPOLICY_MODSIGN_FIELD_FLAGS,
       (header[MODSIGN_TRUST_FLAGS] & ~OSPOLICY_MODSIGN_TRUST_ENFORCE) != 0u},
      {MODSIGN_TRUST_KEY_COUNT, OSPOLICY_MODSIGN_FIELD_KEY_COUNT,
       key_count > OSPOLICY_MODSIGN_MAX_KEYS},
      {MODSIGN_TRUST_FLOOR_COUNT, OSPOLICY_MODSIGN_FIELD_FLOOR_COUNT,
       floor_count > OSPOLICY_MODSIGN_MAX_FLOORS},
      {MODSIGN_TRUST_REVOKED_COUNT, OSPOLICY_MODSIGN_FIELD_REVOKED_COUNT,
       revoked_count > OSPOLICY_MODSIGN_MAX_REVOKED},
      {MODSIGN_TRUST_RESERVED, OSPOLICY_MODSIGN_FIELD_RESERVED,
       header[MODSIGN_TRUST_RESERVED] != 0u || header[MODSIGN_TRUST_RESERVED + 1] != 0u},
  };
  for (size_t i = 0; i < sizeof checks / sizeof checks[0]; i++) {
    if (checks[i].bad) {
      return walk_fail(w, OSPOLICY_ERR_MODSIGN_TRUST_MALFORMED, checks[i].offset, checks[i].field);
    }
  }
  *file_enforce = (header[MODSIGN_TRUST_FLAGS] & OSPOLICY_MODSIGN_TRUST_ENFORCE) != 0u;
  w->at = OSPOLICY_MODSIGN_TRUST_HEADER_SIZE;
  OSPolicy_Status status = walk_keys(w, key_count, t);
  if (status == OSPOLICY_OK) {
    status = walk_revoked(w, revoked_count, t);
  }
  if (status == OSPOLICY_OK) {
    status = walk_floors(w, floor_count, t);
  }
  if (status == OSPOLICY_OK && w->at != w->size) {
    status = walk_fail(w, OSPOLICY_ERR_MODSIGN_TRAILING_DATA, w->at, OSPOLICY_MODSIGN_FIELD_END);
  }
  return status;
}

OSPolicy_Status OSPolicy_ParseModsignTrustSet(const uint8_t *data, size_t size,
                                              OSPolicy_ModsignTrustSet *trust) {
  if (trust == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  bool keep_enforce = trust_latched(trust);
  if (data == NULL) {
    trust_reset(trust, OSPOLICY_ERR_NULL_ARGUMENT, keep_enforce, 0,
                OSPOLICY_MODSIGN_FIELD_TRUST_SET);
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  /* Filled in place with the status UNSET, so that nothing half-parsed is
   * ever OK; the latch is already set while filling. */
  trust_reset(trust, OSPOLICY_STATUS_UNSET, keep_enforce, 0, OSPOLICY_MODSIGN_FIELD_NONE);
  trust_walk w = {data, size, 0, 0, OSPOLICY_MODSIGN_FIELD_NONE};
  bool file_enforce = false;
  OSPolicy_Status status = walk_trust(&w, trust, &file_enforce);
  if (status != OSPOLICY_OK) {
    trust_reset(trust, status, keep_enforce, w.error_offset, w.error_field);
    return status;
  }
  trust->enforce = keep_enforce || file_enforce ? 1u : 0u;
  trust->status = OSPOLICY_OK;
  return OSPOLICY_OK;
}

/* Checks the fields of an in-memory trust set (it may have been edited by hand). */
static OSPolicy_Status check_trust_fields(const OSPolicy_ModsignTrustSet *trust) {
  if (trust->key_count > OSPOLICY_MODSIGN_MAX_KEYS ||
      trust->revoked_count > OSPOLICY_MODSIGN_MAX_REVOKED ||
      trust->floor_count > OSPOLICY_MODSIGN_MAX_FLOORS || trust->enforce > 1u) {
    return OSPOLICY_ERR_INVALID_ARGUMENT;
  }
  for (uint32_t k = 0; k < trust->key_count; k++) {
    for (uint32_t j = 0; j < k; j++) {
      if (compare_ids(trust->keys[j].key_id, trust->keys[k].key_id) == 0) {
        return OSPOLICY_ERR_MODSIGN_DUPLICATE_KEY;
      }
      if (memcmp(trust->keys[j].public_key, trust->keys[k].public_key,
                 OSPOLICY_MODSIGN_PUBLIC_KEY_SIZE) == 0) {
        return OSPOLICY_ERR_MODSIGN_DUPLICATE_PUBLIC_KEY;
      }
    }
    if (OSPolicy_IsModsignKeyRevoked(trust, trust->keys[k].key_id)) {
      return OSPOLICY_ERR_MODSIGN_DUPLICATE_KEY;
    }
  }
  for (uint32_t r = 1; r < trust->revoked_count; r++) {
    int c = compare_ids(trust->revoked[r - 1u], trust->revoked[r]);
    if (c == 0) {
      return OSPOLICY_ERR_MODSIGN_DUPLICATE_KEY;
    }
    if (c > 0) {
      return OSPOLICY_ERR_MODSIGN_TRUST_MALFORMED;
    }
  }
  for (uint32_t f = 0; f < trust->floor_count; f++) {
    const OSPolicy_ModsignFloor *floor = &trust->floors[f];
    if (!kind_ok(floor->kind) || !OSPolicy_IsValidModsignName(floor->name, floor->name_length)) {
      return OSPOLICY_ERR_INVALID_ARGUMENT;
    }
    for (uint32_t j = 0; j < f; j++) {
      const OSPolicy_ModsignFloor *other = &trust->floors[j];
      if (names_equal(other->kind, other->name, other->name_length, floor->kind, floor->name,
                      floor->name_length)) {
        return OSPOLICY_ERR_MODSIGN_DUPLICATE_FLOOR;
      }
    }
  }
  return OSPOLICY_OK;
}

OSPolicy_Status OSPolicy_EncodeModsignTrustSet(const OSPolicy_ModsignTrustSet *trust, uint8_t *out,
                                               size_t capacity, size_t *size) {
  if (trust == NULL || size == NULL || (out == NULL && capacity != 0u)) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  *size = 0;
  if (trust->status != OSPOLICY_OK) {
    return OSPOLICY_ERR_PLAN_NOT_OK;
  }
  OSPolicy_Status status = check_trust_fields(trust);
  if (status != OSPOLICY_OK) {
    return status;
  }
  size_t needed = OSPOLICY_MODSIGN_TRUST_HEADER_SIZE +
                  (size_t)trust->key_count * OSPOLICY_MODSIGN_TRUST_KEY_SIZE +
                  (size_t)trust->revoked_count * OSPOLICY_MODSIGN_KEY_ID_SIZE;
  for (uint32_t f = 0; f < trust->floor_count; f++) {
    needed += OSPOLICY_MODSIGN_TRUST_FLOOR_FIXED_SIZE + trust->floors[f].name_length;
  }
  *size = needed;
  if (capacity < needed) {
    return OSPOLICY_ERR_BUFFER_TOO_SMALL;
  }
  memset(out, 0, needed);
  memcpy(out + MODSIGN_TRUST_MAGIC, MODSIGN_TRUST_MAGIC_TEXT, MODSIGN_MAGIC_SIZE);
  out[MODSIGN_TRUST_VERSION] = OSPOLICY_MODSIGN_VERSION;
  out[MODSIGN_TRUST_FLAGS] = trust->enforce != 0u ? OSPOLICY_MODSIGN_TRUST_ENFORCE : 0u;
  out[MODSIGN_TRUST_KEY_COUNT] = (uint8_t)trust->key_count;
  out[MODSIGN_TRUST_FLOOR_COUNT] = (uint8_t)trust->floor_count;
  modsign_store_le(out + MODSIGN_TRUST_REVOKED_COUNT, trust->revoked_count, 2);
  size_t at = OSPOLICY_MODSIGN_TRUST_HEADER_SIZE;
  for (uint32_t k = 0; k < trust->key_count; k++) {
    memcpy(out + at + MODSIGN_KEY_ID, trust->keys[k].key_id, OSPOLICY_MODSIGN_KEY_ID_SIZE);
    memcpy(out + at + MODSIGN_KEY_PUBLIC, trust->keys[k].public_key,
           OSPOLICY_MODSIGN_PUBLIC_KEY_SIZE);
    at += OSPOLICY_MODSIGN_TRUST_KEY_SIZE;
  }
  for (uint32_t r = 0; r < trust->revoked_count; r++) {
    memcpy(out + at, trust->revoked[r], OSPOLICY_MODSIGN_KEY_ID_SIZE);
    at += OSPOLICY_MODSIGN_KEY_ID_SIZE;
  }
  for (uint32_t f = 0; f < trust->floor_count; f++) {
    const OSPolicy_ModsignFloor *floor = &trust->floors[f];
    out[at + MODSIGN_FLOOR_KIND] = floor->kind;
    out[at + MODSIGN_FLOOR_NAME_LENGTH] = floor->name_length;
    modsign_store_le(out + at + MODSIGN_FLOOR_GENERATION, floor->min_generation, 8);
    memcpy(out + at + MODSIGN_FLOOR_NAME, floor->name, floor->name_length);
    at += OSPOLICY_MODSIGN_TRUST_FLOOR_FIXED_SIZE + floor->name_length;
  }
  return OSPOLICY_OK;
}

static size_t find_key_index(const OSPolicy_ModsignTrustSet *trust, const uint8_t *key_id) {
  for (uint32_t k = 0; k < trust->key_count && k < OSPOLICY_MODSIGN_MAX_KEYS; k++) {
    if (compare_ids(trust->keys[k].key_id, key_id) == 0) {
      return k;
    }
  }
  return SIZE_MAX;
}

static OSPolicy_Status check_editable(const OSPolicy_ModsignTrustSet *trust) {
  if (trust->status != OSPOLICY_OK) {
    return OSPOLICY_ERR_PLAN_NOT_OK;
  }
  if (trust->key_count > OSPOLICY_MODSIGN_MAX_KEYS ||
      trust->revoked_count > OSPOLICY_MODSIGN_MAX_REVOKED ||
      trust->floor_count > OSPOLICY_MODSIGN_MAX_FLOORS) {
    return OSPOLICY_ERR_INVALID_ARGUMENT;
  }
  return OSPOLICY_OK;
}

OSPolicy_Status OSPolicy_AddModsignKey(OSPolicy_ModsignTrustSet *trust,
                                       const uint8_t key_id[OSPOLICY_MODSIGN_KEY_ID_SIZE],
                                       const uint8_t public_key[OSPOLICY_MODSIGN_PUBLIC_KEY_SIZE]) {
  if (trust == NULL || key_id == NULL || public_key == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  OSPolicy_Status status = check_editable(trust);
  if (status != OSPOLICY_OK) {
    return status;
  }
  if (OSPolicy_IsModsignKeyRevoked(trust, key_id)) {
    return OSPOLICY_DENIED_MODSIGN_REVOKED_KEY;
  }
  if (find_key_index(trust, key_id) != SIZE_MAX) {
    return OSPOLICY_ERR_MODSIGN_DUPLICATE_KEY;
  }
  for (uint32_t k = 0; k < trust->key_count; k++) {
    if (memcmp(trust->keys[k].public_key, public_key, OSPOLICY_MODSIGN_PUBLIC_KEY_SIZE) == 0) {
      /* The same key under another id: one id per key, so that revoking
       * that id reaches the key. */
      return OSPOLICY_ERR_MODSIGN_DUPLICATE_PUBLIC_KEY;
    }
  }
  if (trust->key_count >= OSPOLICY_MODSIGN_MAX_KEYS) {
    return OSPOLICY_ERR_TOO_MANY;
  }
  OSPolicy_ModsignKey *key = &trust->keys[trust->key_count];
  memcpy(key->key_id, key_id, OSPOLICY_MODSIGN_KEY_ID_SIZE);
  memcpy(key->public_key, public_key, OSPOLICY_MODSIGN_PUBLIC_KEY_SIZE);
  trust->key_count++;
  return OSPOLICY_OK;
}

OSPolicy_Status OSPolicy_RevokeModsignKey(OSPolicy_ModsignTrustSet *trust,
                                          const uint8_t key_id[OSPOLICY_MODSIGN_KEY_ID_SIZE]) {
  if (trust == NULL || key_id == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  OSPolicy_Status status = check_editable(trust);
  if (status != OSPOLICY_OK) {
    return status;
  }
  bool found = false;
  size_t at = revoked_position(trust, key_id, &found);
  if (found) {
    return OSPOLICY_OK;
  }
  if (trust->revoked_count >= OSPOLICY_MODSIGN_MAX_REVOKED) {
    return OSPOLICY_ERR_TOO_MANY; /* nothing changed: the key stays active */
  }
  memmove(trust->revoked[at + 1u], trust->revoked[at],
          (trust->revoked_count - at) * (size_t)OSPOLICY_MODSIGN_KEY_ID_SIZE);
  memcpy(trust->revoked[at], key_id, OSPOLICY_MODSIGN_KEY_ID_SIZE);
  trust->revoked_count++;
  size_t k = find_key_index(trust, key_id);
  if (k != SIZE_MAX) {
    /* The key leaves the set; its slot is free again (order kept). */
    memmove(&trust->keys[k], &trust->keys[k + 1u],
            (trust->key_count - 1u - k) * sizeof trust->keys[0]);
    trust->key_count--;
    memset(&trust->keys[trust->key_count], 0, sizeof trust->keys[0]);
  }
  return OSPOLICY_OK;
}

static const OSPolicy_ModsignFloor *find_floor(const OSPolicy_ModsignTrustSet *trust, uint32_t kind,
                                               const char *name, size_t name_length) {
  for (uint32_t f = 0; f < trust->floor_count && f < OSPOLICY_MODSIGN_MAX_FLOORS; f++) {
    const OSPolicy_ModsignFloor *floor = &trust->floors[f];
    if (names_equal(floor->kind, floor->name, floor->name_length, kind, name, name_length)) {
      return floor;
    }
  }
  return NULL;
}

uint64_t OSPolicy_GetModsignFloor(const OSPolicy_ModsignTrustSet *trust, uint32_t kind,
                                  const char *name, size_t name_length) {
  if (trust == NULL || name == NULL) {
    return 0;
  }
  const OSPolicy_ModsignFloor *floor = find_floor(trust, kind, name, name_length);
  return floor != NULL ? floor->min_generation : 0u;
}

OSPolicy_Status OSPolicy_RaiseModsignFloor(OSPolicy_ModsignTrustSet *trust, uint32_t kind,
                                           const char *name, size_t name_length,
                                           uint64_t min_generation) {
  if (trust == NULL || name == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  OSPolicy_Status status = check_editable(trust);
  if (status != OSPOLICY_OK) {
    return status;
  }
  if (!kind_ok(kind) || !OSPolicy_IsValidModsignName(name, name_length)) {
    return OSPOLICY_ERR_INVALID_ARGUMENT;
  }
  OSPolicy_ModsignFloor *floor = NULL;
  for (uint32_t f = 0; f < trust->floor_count; f++) {
    if (names_equal(trust->floors[f].kind, trust->floors[f].name, trust->floors[f].name_length,
                    kind, name, name_length)) {
      floor = &trust->floors[f];
      break;
    }
  }
  if (floor != NULL) {
    if (min_generation < floor->min_generation) {
      return OSPOLICY_DENIED_MODSIGN_FLOOR_LOWERED;
    }
    floor->min_generation = min_generation;
    return OSPOLICY_OK;
  }
  if (trust->floor_count >= OSPOLICY_MODSIGN_MAX_FLOORS) {
    return OSPOLICY_ERR_TOO_MANY;
  }
  floor = &trust->floors[trust->floor_count];
  memset(floor, 0, sizeof *floor);
  floor->kind = (uint8_t)kind;
  floor->name_length = (uint8_t)name_length;
  memcpy(floor->name, name, name_length);
  floor->min_generation = min_generation;
  trust->floor_count++;
  return OSPOLICY_OK;
}

OSPolicy_Status OSPolicy_EnableModsignEnforcement(OSPolicy_ModsignTrustSet *trust) {
  if (trust == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  if (trust->status != OSPOLICY_OK) {
    return OSPOLICY_ERR_PLAN_NOT_OK;
  }
  trust->enforce = 1u;
  return OSPOLICY_OK;
}

/* ---- key files ---------------------------------------------------------- */

static OSPolicy_Status key_fail(OSPolicy_ModsignKeyFile *key, OSPolicy_Status status,
                                size_t offset, Field field) {
  memset(key, 0, sizeof *key);
  key->status = status;
  key->error_offset = offset;
  key->error_field = field;
  return status;
}

static bool sealed_limits_ok(uint64_t opslimit, uint64_t memlimit) {
  return opslimit >= OSPOLICY_MODSIGN_SEALED_OPSLIMIT_MIN &&
         opslimit <= OSPOLICY_MODSIGN_SEALED_OPSLIMIT_MAX &&
         memlimit >= OSPOLICY_MODSIGN_SEALED_MEMLIMIT_MIN &&
         memlimit <= OSPOLICY_MODSIGN_SEALED_MEMLIMIT_MAX;
}

/* A sealed key file of `size` >= the sealed size, whose first 24 bytes are
 * in head (already checked: magic, version, algorithm). */
static OSPolicy_Status parse_sealed(const uint8_t *data, size_t size, const uint8_t *head,
                                    OSPolicy_ModsignKeyFile *key) {
  uint8_t file[OSPOLICY_MODSIGN_SEALED_KEY_FILE_SIZE];
  memcpy(file, head, MODSIGN_KEYFILE_KEY);
  memcpy(file + MODSIGN_KEYFILE_KEY, data + MODSIGN_KEYFILE_KEY,
         sizeof file - MODSIGN_KEYFILE_KEY);
  if (file[MODSIGN_SEALED_KDF] != OSPOLICY_MODSIGN_KDF_ARGON2ID) {
    return key_fail(key, OSPOLICY_ERR_MODSIGN_KEY_MALFORMED, MODSIGN_SEALED_KDF,
                    OSPOLICY_MODSIGN_FIELD_KDF);
  }
  for (size_t i = MODSIGN_SEALED_RESERVED; i < MODSIGN_SEALED_KEY_ID; i++) {
    if (file[i] != 0u) {
      return key_fail(key, OSPOLICY_ERR_MODSIGN_KEY_MALFORMED, i, OSPOLICY_MODSIGN_FIELD_RESERVED);
    }
  }
  uint64_t opslimit = modsign_load_le(file + MODSIGN_SEALED_OPSLIMIT, 8);
  uint64_t memlimit = modsign_load_le(file + MODSIGN_SEALED_MEMLIMIT, 8);
  if (opslimit < OSPOLICY_MODSIGN_SEALED_OPSLIMIT_MIN ||
      opslimit > OSPOLICY_MODSIGN_SEALED_OPSLIMIT_MAX) {
    return key_fail(key, OSPOLICY_ERR_MODSIGN_KEY_MALFORMED, MODSIGN_SEALED_OPSLIMIT,
                    OSPOLICY_MODSIGN_FIELD_OPSLIMIT);
  }
  if (!sealed_limits_ok(opslimit, memlimit)) {
    return key_fail(key, OSPOLICY_ERR_MODSIGN_KEY_MALFORMED, MODSIGN_SEALED_MEMLIMIT,
                    OSPOLICY_MODSIGN_FIELD_MEMLIMIT);
  }
  if (size > sizeof file) {
    return key_fail(key, OSPOLICY_ERR_MODSIGN_TRAILING_DATA, sizeof file,
                    OSPOLICY_MODSIGN_FIELD_END);
  }
  memset(key, 0, sizeof *key);
  key->error_field = OSPOLICY_MODSIGN_FIELD_NONE;
  key->is_secret = 1u;
  key->is_sealed = 1u;
  memcpy(key->key_id, file + MODSIGN_SEALED_KEY_ID, OSPOLICY_MODSIGN_KEY_ID_SIZE);
  memcpy(key->public_key, file + MODSIGN_SEALED_PUBLIC, OSPOLICY_MODSIGN_PUBLIC_KEY_SIZE);
  key->opslimit = opslimit;
  key->memlimit = memlimit;
  memcpy(key->salt, file + MODSIGN_SEALED_SALT, OSPOLICY_MODSIGN_SEALED_SALT_SIZE);
  memcpy(key->nonce, file + MODSIGN_SEALED_NONCE, OSPOLICY_MODSIGN_SEALED_NONCE_SIZE);
  memcpy(key->ciphertext, file + MODSIGN_SEALED_CIPHERTEXT,
         OSPOLICY_MODSIGN_SEALED_CIPHERTEXT_SIZE);
  key->status = OSPOLICY_OK;
  return OSPOLICY_OK;
}

OSPolicy_Status OSPolicy_ParseModsignKeyFile(const uint8_t *data, size_t size,
                                             OSPolicy_ModsignKeyFile *key) {
  if (key == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  if (data == NULL) {
    return key_fail(key, OSPOLICY_ERR_NULL_ARGUMENT, 0, OSPOLICY_MODSIGN_FIELD_KEY);
  }
  if (size < MODSIGN_MAGIC_SIZE) {
    return key_fail(key, OSPOLICY_ERR_MODSIGN_KEY_MALFORMED, size, OSPOLICY_MODSIGN_FIELD_SIZE);
  }
  uint8_t head[MODSIGN_KEYFILE_KEY];
  size_t head_size = size < sizeof head ? size : sizeof head;
  memcpy(head, data, head_size);
  bool secret = false, sealed = false;
  if (magic_is(head, MODSIGN_PUBLIC_MAGIC)) {
    secret = false;
  } else if (magic_is(head, MODSIGN_SECRET_MAGIC)) {
    secret = true;
  } else if (magic_is(head, MODSIGN_SEALED_MAGIC)) {
    secret = true;
    sealed = true;
  } else {
    return key_fail(key, OSPOLICY_ERR_MODSIGN_KEY_MALFORMED,
                    magic_mismatch(head, MODSIGN_PUBLIC_MAGIC), OSPOLICY_MODSIGN_FIELD_MAGIC);
  }
  size_t expected = sealed   ? OSPOLICY_MODSIGN_SEALED_KEY_FILE_SIZE
                    : secret ? OSPOLICY_MODSIGN_SECRET_KEY_FILE_SIZE
                             : OSPOLICY_MODSIGN_PUBLIC_KEY_FILE_SIZE;
  if (size < expected) {
    return key_fail(key, OSPOLICY_ERR_MODSIGN_KEY_MALFORMED, size, OSPOLICY_MODSIGN_FIELD_SIZE);
  }
  if (head[MODSIGN_KEYFILE_VERSION] != OSPOLICY_MODSIGN_KEY_FILE_VERSION) {
    return key_fail(key, OSPOLICY_ERR_MODSIGN_KEY_MALFORMED, MODSIGN_KEYFILE_VERSION,
                    OSPOLICY_MODSIGN_FIELD_VERSION);
  }
  if (head[MODSIGN_KEYFILE_ALGORITHM] != OSPOLICY_MODSIGN_KEY_ALG_ED25519) {
    return key_fail(key, OSPOLICY_ERR_MODSIGN_UNSUPPORTED_ALGORITHM, MODSIGN_KEYFILE_ALGORITHM,
                    OSPOLICY_MODSIGN_FIELD_ALGORITHM);
  }
  if (sealed) {
    return parse_sealed(data, size, head, key);
  }
  for (size_t i = MODSIGN_KEYFILE_RESERVED; i < MODSIGN_KEYFILE_KEY_ID; i++) {
    if (head[i] != 0u) {
      return key_fail(key, OSPOLICY_ERR_MODSIGN_KEY_MALFORMED, i, OSPOLICY_MODSIGN_FIELD_RESERVED);
    }
  }
  if (size > expected) {
    return key_fail(key, OSPOLICY_ERR_MODSIGN_TRAILING_DATA, expected, OSPOLICY_MODSIGN_FIELD_END);
  }
  memset(key, 0, sizeof *key);
  key->error_field = OSPOLICY_MODSIGN_FIELD_NONE;
  key->is_secret = secret ? 1u : 0u;
  memcpy(key->key_id, head + MODSIGN_KEYFILE_KEY_ID, OSPOLICY_MODSIGN_KEY_ID_SIZE);
  if (secret) {
    memcpy(key->secret_key, data + MODSIGN_KEYFILE_KEY, OSPOLICY_MODSIGN_SECRET_KEY_SIZE);
    memcpy(key->public_key, key->secret_key + 32, OSPOLICY_MODSIGN_PUBLIC_KEY_SIZE);
  } else {
    memcpy(key->public_key, data + MODSIGN_KEYFILE_KEY, OSPOLICY_MODSIGN_PUBLIC_KEY_SIZE);
  }
  key->status = OSPOLICY_OK;
  return OSPOLICY_OK;
}

OSPolicy_Status OSPolicy_EncodeModsignKeyFile(const OSPolicy_ModsignKeyFile *key, uint8_t *out,
                                              size_t capacity, size_t *size) {
  if (key == NULL || size == NULL || (out == NULL && capacity != 0u)) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  bool sealed = key->is_sealed != 0u;
  *size = 0;
  if (sealed && !sealed_limits_ok(key->opslimit, key->memlimit)) {
    return OSPOLICY_ERR_INVALID_ARGUMENT;
  }
  size_t needed = sealed                   ? OSPOLICY_MODSIGN_SEALED_KEY_FILE_SIZE
                  : key->is_secret != 0u ? OSPOLICY_MODSIGN_SECRET_KEY_FILE_SIZE
                                           : OSPOLICY_MODSIGN_PUBLIC_KEY_FILE_SIZE;
  *size = needed;
  if (capacity < needed) {
    return OSPOLICY_ERR_BUFFER_TOO_SMALL;
  }
  memset(out, 0, needed);
  memcpy(out + MODSIGN_KEYFILE_MAGIC,
         sealed                 ? MODSIGN_SEALED_MAGIC
         : key->is_secret != 0u ? MODSIGN_SECRET_MAGIC
                                : MODSIGN_PUBLIC_MAGIC,
         MODSIGN_MAGIC_SIZE);
  out[MODSIGN_KEYFILE_VERSION] = OSPOLICY_MODSIGN_KEY_FILE_VERSION;
  out[MODSIGN_KEYFILE_ALGORITHM] = OSPOLICY_MODSIGN_KEY_ALG_ED25519;
  memcpy(out + MODSIGN_KEYFILE_KEY_ID, key->key_id, OSPOLICY_MODSIGN_KEY_ID_SIZE);
  if (sealed) {
    out[MODSIGN_SEALED_KDF] = OSPOLICY_MODSIGN_KDF_ARGON2ID;
    memcpy(out + MODSIGN_SEALED_PUBLIC, key->public_key, OSPOLICY_MODSIGN_PUBLIC_KEY_SIZE);
    modsign_store_le(out + MODSIGN_SEALED_OPSLIMIT, key->opslimit, 8);
    modsign_store_le(out + MODSIGN_SEALED_MEMLIMIT, key->memlimit, 8);
    memcpy(out + MODSIGN_SEALED_SALT, key->salt, OSPOLICY_MODSIGN_SEALED_SALT_SIZE);
    memcpy(out + MODSIGN_SEALED_NONCE, key->nonce, OSPOLICY_MODSIGN_SEALED_NONCE_SIZE);
    memcpy(out + MODSIGN_SEALED_CIPHERTEXT, key->ciphertext,
           OSPOLICY_MODSIGN_SEALED_CIPHERTEXT_SIZE);
  } else if (key->is_secret != 0u) {
    memcpy(out + MODSIGN_KEYFILE_KEY, key->secret_key, OSPOLICY_MODSIGN_SECRET_KEY_SIZE);
  } else {
    memcpy(out + MODSIGN_KEYFILE_KEY, key->public_key, OSPOLICY_MODSIGN_PUBLIC_KEY_SIZE);
  }
  return OSPOLICY_OK;
}

/* ---- text form ------------------------------------------------------------ */

static const char base64_digits[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* The value of a base64 digit, or -1. */
static int base64_value(uint8_t c) {
  if (c >= 'A' && c <= 'Z') {
    return c - 'A';
  }
  if (c >= 'a' && c <= 'z') {
    return c - 'a' + 26;
  }
  if (c >= '0' && c <= '9') {
    return c - '0' + 52;
  }
  if (c == '+') {
    return 62;
  }
  if (c == '/') {
    return 63;
  }
  return -1;
}

int OSPolicy_IsModsignText(const uint8_t *data, size_t size) {
  return data != NULL && size >= OSPOLICY_MODSIGN_TEXT_PREFIX_SIZE &&
         memcmp(data, OSPOLICY_MODSIGN_TEXT_PREFIX, OSPOLICY_MODSIGN_TEXT_PREFIX_SIZE) == 0;
}

static OSPolicy_Status text_fail(OSPolicy_ModsignText *r, OSPolicy_Status status, size_t offset,
                                 Field field) {
  size_t needed = r->payload_size;
  memset(r, 0, sizeof *r);
  r->status = status;
  r->error_offset = offset;
  r->error_field = field;
  r->payload_size = status == OSPOLICY_ERR_BUFFER_TOO_SMALL ? needed : 0u;
  return status;
}

OSPolicy_Status OSPolicy_DecodeModsignText(const uint8_t *text, size_t size, uint8_t *out,
                                           size_t capacity, OSPolicy_ModsignText *result) {
  if (result == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  memset(result, 0, sizeof *result);
  if (text == NULL || (out == NULL && capacity != 0u)) {
    return text_fail(result, OSPOLICY_ERR_NULL_ARGUMENT, 0, OSPOLICY_MODSIGN_FIELD_NONE);
  }
  /* Line 1: the prefix, the comment, LF. */
  size_t at = 0;
  for (; at < OSPOLICY_MODSIGN_TEXT_PREFIX_SIZE; at++) {
    if (at >= size || text[at] != (uint8_t)OSPOLICY_MODSIGN_TEXT_PREFIX[at]) {
      return text_fail(result, OSPOLICY_ERR_MODSIGN_MALFORMED, at,
                       OSPOLICY_MODSIGN_FIELD_UNTRUSTED_COMMENT);
    }
  }
  result->comment_offset = at;
  for (;;) {
    if (at >= size) {
      return text_fail(result, OSPOLICY_ERR_MODSIGN_MALFORMED, at,
                       OSPOLICY_MODSIGN_FIELD_UNTRUSTED_COMMENT);
    }
    uint8_t c = text[at];
    if (c == '\n') {
      break;
    }
    if (c < 0x20u || c > 0x7Eu ||
        at - result->comment_offset >= OSPOLICY_MODSIGN_TEXT_COMMENT_MAX) {
      return text_fail(result, OSPOLICY_ERR_MODSIGN_MALFORMED, at,
                       OSPOLICY_MODSIGN_FIELD_UNTRUSTED_COMMENT);
    }
    at++;
  }
  result->comment_length = at - result->comment_offset;
  at++; /* the LF */
  /* Line 2: base64 in groups of four, then LF, then the end. */
  size_t line_start = at;
  size_t written = 0;
  bool padded = false;
  for (;;) {
    if (at >= size) {
      return text_fail(result, OSPOLICY_ERR_MODSIGN_MALFORMED, at, OSPOLICY_MODSIGN_FIELD_BASE64);
    }
    uint8_t group[4];
    group[0] = text[at];
    if (group[0] == '\n') {
      break;
    }
    if (padded || size - at < 4u) {
      /* Nothing may follow padding; a group is four digits. */
      return text_fail(result, OSPOLICY_ERR_MODSIGN_MALFORMED, at, OSPOLICY_MODSIGN_FIELD_BASE64);
    }
    memcpy(group + 1, text + at + 1, 3);
    int v[4];
    unsigned digits = 0;
    for (unsigned i = 0; i < 4u; i++) {
      v[i] = base64_value(group[i]);
      if (v[i] >= 0 && digits == i) {
        digits++;
        continue;
      }
      /* '=' only as the last one or two of a group, after two digits. */
      bool pad_ok = group[i] == '=' && i >= 2u && digits >= 2u &&
                    (i == 3u || group[3] == '=');
      if (!pad_ok) {
        return text_fail(result, OSPOLICY_ERR_MODSIGN_MALFORMED, at + i,
                         OSPOLICY_MODSIGN_FIELD_BASE64);
      }
    }
    uint32_t bits = 0;
    for (unsigned i = 0; i < digits; i++) {
      bits |= (uint32_t)v[i] << (18u - 6u * i);
    }
    size_t bytes = digits - 1u; /* 4 digits: 3 bytes, 3: 2, 2: 1 */
    /* Unused low bits must be zero: one text per payload. */
    if ((digits == 3u && (bits & 0xFFu) != 0u) || (digits == 2u && (bits & 0xFFFFu) != 0u)) {
      return text_fail(result, OSPOLICY_ERR_MODSIGN_MALFORMED, at + digits - 1u,
                       OSPOLICY_MODSIGN_FIELD_BASE64);
    }
    for (size_t i = 0; i < bytes; i++) {
      if (written < capacity) {
        out[written] = (uint8_t)(bits >> (16u - 8u * i));
      }
      written++;
    }
    padded = digits < 4u;
    at += 4u;
  }
  if (at == line_start) {
    return text_fail(result, OSPOLICY_ERR_MODSIGN_MALFORMED, at, OSPOLICY_MODSIGN_FIELD_BASE64);
  }
  at++; /* the LF */
  if (at != size) {
    return text_fail(result, OSPOLICY_ERR_MODSIGN_TRAILING_DATA, at, OSPOLICY_MODSIGN_FIELD_END);
  }
  result->payload_size = written;
  if (written > capacity) {
    return text_fail(result, OSPOLICY_ERR_BUFFER_TOO_SMALL, 0, OSPOLICY_MODSIGN_FIELD_NONE);
  }
  result->status = OSPOLICY_OK;
  return OSPOLICY_OK;
}

OSPolicy_Status OSPolicy_EncodeModsignText(const char *comment, size_t comment_length,
                                           const uint8_t *payload, size_t payload_size,
                                           uint8_t *out, size_t capacity, size_t *size) {
  if (size == NULL || payload == NULL || (comment == NULL && comment_length != 0u) ||
      (out == NULL && capacity != 0u)) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  *size = 0;
  if (payload_size == 0u || comment_length > OSPOLICY_MODSIGN_TEXT_COMMENT_MAX ||
      payload_size > SIZE_MAX / 2u) {
    return OSPOLICY_ERR_INVALID_ARGUMENT;
  }
  for (size_t i = 0; i < comment_length; i++) {
    if ((unsigned char)comment[i] < 0x20u || (unsigned char)comment[i] > 0x7Eu) {
      return OSPOLICY_ERR_INVALID_ARGUMENT;
    }
  }
  size_t needed = OSPOLICY_MODSIGN_TEXT_SIZE(comment_length, payload_size);
  *size = needed;
  if (capacity < needed) {
    return OSPOLICY_ERR_BUFFER_TOO_SMALL;
  }
  size_t at = 0;
  memcpy(out, OSPOLICY_MODSIGN_TEXT_PREFIX, OSPOLICY_MODSIGN_TEXT_PREFIX_SIZE);
  at += OSPOLICY_MODSIGN_TEXT_PREFIX_SIZE;
  if (comment_length != 0u) {
    memcpy(out + at, comment, comment_length);
  }
  at += comment_length;
  out[at++] = '\n';
  for (size_t i = 0; i < payload_size; i += 3u) {
    size_t n = payload_size - i < 3u ? payload_size - i : 3u;
    uint32_t bits = (uint32_t)payload[i] << 16u;
    if (n > 1u) {
      bits |= (uint32_t)payload[i + 1u] << 8u;
    }
    if (n > 2u) {
      bits |= payload[i + 2u];
    }
    for (size_t d = 0; d < 4u; d++) {
      out[at++] = d <= n ? (uint8_t)base64_digits[(bits >> (18u - 6u * d)) & 63u] : (uint8_t)'=';
    }
  }
  out[at++] = '\n';
  return OSPOLICY_OK;
}
