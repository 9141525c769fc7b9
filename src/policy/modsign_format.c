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
#include "ospolicy/modsign.h"

static const uint8_t envelope_magic[8] = {'O', 'S', 'P', 'M', 'S', 'I', 'G', '\n'};
static const uint8_t trust_magic[8] = {'O', 'S', 'P', 'T', 'R', 'S', 'T', '\n'};
static const uint8_t public_magic[8] = {'O', 'S', 'P', 'P', 'U', 'B', 'K', '\n'};
static const uint8_t secret_magic[8] = {'O', 'S', 'P', 'S', 'E', 'C', 'K', '\n'};

/* Envelope field offsets. */
enum {
  ENV_MAGIC = 0,
  ENV_VERSION = 8,
  ENV_ALGORITHM = 9,
  ENV_KIND = 10,
  ENV_NAME_LENGTH = 11,
  ENV_RESERVED = 12,
  ENV_KEY_ID = 16,
  ENV_GENERATION = 24,
  ENV_OBJECT_SIZE = 32,
  ENV_DIGEST = 40,
  ENV_NAME = 72
};

/* Trust-set offsets. */
enum {
  TRUST_VERSION = 8,
  TRUST_FLAGS = 9,
  TRUST_KEY_COUNT = 10,
  TRUST_FLOOR_COUNT = 11,
  TRUST_RESERVED = 12,
  KEY_ID = 0,
  KEY_FLAGS = 8,
  KEY_RESERVED = 9,
  KEY_PUBLIC = 16,
  FLOOR_KIND = 0,
  FLOOR_NAME_LENGTH = 1,
  FLOOR_RESERVED = 2,
  FLOOR_GENERATION = 8,
  FLOOR_NAME = 16
};

/* Key-file offsets. */
enum {
  KEYFILE_VERSION = 8,
  KEYFILE_ALGORITHM = 9,
  KEYFILE_RESERVED = 10,
  KEYFILE_KEY_ID = 16,
  KEYFILE_KEY = 24
};

static uint64_t load_le64(const uint8_t *p) {
  uint64_t v = 0;
  for (unsigned i = 0; i < 8u; i++) {
    v |= (uint64_t)p[i] << (8u * i);
  }
  return v;
}

static void store_le64(uint8_t *p, uint64_t v) {
  for (unsigned i = 0; i < 8u; i++) {
    p[i] = (uint8_t)(v >> (8u * i));
  }
}

static bool all_zero(const uint8_t *p, size_t n) {
  uint8_t acc = 0;
  for (size_t i = 0; i < n; i++) {
    acc = (uint8_t)(acc | p[i]);
  }
  return acc == 0u;
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
                                     size_t offset, const char *field) {
  memset(e, 0, sizeof *e);
  e->status = status;
  e->error_offset = offset;
  e->error_field = field;
  return status;
}

OSPolicy_Status OSPolicy_ParseModsignEnvelope(const uint8_t *data, size_t size,
                                              OSPolicy_ModsignEnvelope *envelope) {
  if (envelope == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  if (data == NULL && size != 0u) {
    return envelope_fail(envelope, OSPOLICY_ERR_NULL_ARGUMENT, 0, "envelope");
  }
  if (size == 0u) {
    return envelope_fail(envelope, OSPOLICY_DENIED_MODSIGN_NO_SIGNATURE, 0, "envelope");
  }
  if (size < OSPOLICY_MODSIGN_STATEMENT_FIXED_SIZE) {
    return envelope_fail(envelope, OSPOLICY_ERR_MODSIGN_MALFORMED, size, "size");
  }
  for (size_t i = 0; i < sizeof envelope_magic; i++) {
    if (data[ENV_MAGIC + i] != envelope_magic[i]) {
      return envelope_fail(envelope, OSPOLICY_ERR_MODSIGN_MALFORMED, ENV_MAGIC + i, "magic");
    }
  }
  if (data[ENV_VERSION] != OSPOLICY_MODSIGN_VERSION) {
    return envelope_fail(envelope, OSPOLICY_ERR_MODSIGN_MALFORMED, ENV_VERSION, "version");
  }
  if (data[ENV_ALGORITHM] != OSPOLICY_MODSIGN_ALG_ED25519PH) {
    return envelope_fail(envelope, OSPOLICY_ERR_MODSIGN_UNSUPPORTED_ALGORITHM, ENV_ALGORITHM,
                         "algorithm");
  }
  if (!kind_ok(data[ENV_KIND])) {
    return envelope_fail(envelope, OSPOLICY_ERR_MODSIGN_MALFORMED, ENV_KIND, "kind");
  }
  size_t name_length = data[ENV_NAME_LENGTH];
  if (name_length == 0u || name_length > OSPOLICY_MODSIGN_NAME_MAX) {
    return envelope_fail(envelope, OSPOLICY_ERR_MODSIGN_MALFORMED, ENV_NAME_LENGTH, "name-length");
  }
  for (size_t i = ENV_RESERVED; i < ENV_KEY_ID; i++) {
    if (data[i] != 0u) {
      return envelope_fail(envelope, OSPOLICY_ERR_MODSIGN_MALFORMED, i, "reserved");
    }
  }
  size_t statement_size = OSPOLICY_MODSIGN_STATEMENT_SIZE(name_length);
  size_t envelope_size = OSPOLICY_MODSIGN_ENVELOPE_SIZE(name_length);
  if (size < statement_size) {
    return envelope_fail(envelope, OSPOLICY_ERR_MODSIGN_MALFORMED, size, "name");
  }
  size_t bad = bad_name_index((const char *)(data + ENV_NAME), name_length);
  if (bad != name_length) {
    return envelope_fail(envelope, OSPOLICY_ERR_MODSIGN_MALFORMED, ENV_NAME + bad, "name");
  }
  if (size < envelope_size) {
    return envelope_fail(envelope, OSPOLICY_ERR_MODSIGN_MALFORMED, size, "signature");
  }
  if (size > envelope_size) {
    return envelope_fail(envelope, OSPOLICY_ERR_MODSIGN_TRAILING_DATA, envelope_size, "end");
  }

  memset(envelope, 0, sizeof *envelope);
  envelope->error_field = "";
  envelope->version = data[ENV_VERSION];
  envelope->algorithm = data[ENV_ALGORITHM];
  envelope->kind = data[ENV_KIND];
  envelope->name_length = (uint8_t)name_length;
  memcpy(envelope->name, data + ENV_NAME, name_length);
  envelope->name[name_length] = '\0';
  memcpy(envelope->key_id, data + ENV_KEY_ID, OSPOLICY_MODSIGN_KEY_ID_SIZE);
  envelope->generation = load_le64(data + ENV_GENERATION);
  envelope->object_size = load_le64(data + ENV_OBJECT_SIZE);
  memcpy(envelope->digest, data + ENV_DIGEST, OSPOLICY_MODSIGN_DIGEST_SIZE);
  memcpy(envelope->signature, data + statement_size, OSPOLICY_MODSIGN_SIGNATURE_SIZE);
  envelope->statement_size = statement_size;
  envelope->status = OSPOLICY_OK;
  return OSPOLICY_OK;
}

OSPolicy_Status OSPolicy_EncodeModsignEnvelope(const OSPolicy_ModsignEnvelope *fields,
                                               uint8_t *out, size_t capacity, size_t *size) {
  if (fields == NULL || size == NULL || (out == NULL && capacity != 0u)) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  *size = 0;
  if (fields->version != OSPOLICY_MODSIGN_VERSION ||
      fields->algorithm != OSPOLICY_MODSIGN_ALG_ED25519PH || !kind_ok(fields->kind) ||
      !OSPolicy_IsValidModsignName(fields->name, fields->name_length)) {
    return OSPOLICY_ERR_INVALID_ARGUMENT;
  }
  size_t needed = OSPOLICY_MODSIGN_ENVELOPE_SIZE(fields->name_length);
  *size = needed;
  if (capacity < needed) {
    return OSPOLICY_ERR_BUFFER_TOO_SMALL;
  }
  memset(out, 0, needed);
  memcpy(out + ENV_MAGIC, envelope_magic, sizeof envelope_magic);
  out[ENV_VERSION] = fields->version;
  out[ENV_ALGORITHM] = fields->algorithm;
  out[ENV_KIND] = fields->kind;
  out[ENV_NAME_LENGTH] = fields->name_length;
  memcpy(out + ENV_KEY_ID, fields->key_id, OSPOLICY_MODSIGN_KEY_ID_SIZE);
  store_le64(out + ENV_GENERATION, fields->generation);
  store_le64(out + ENV_OBJECT_SIZE, fields->object_size);
  memcpy(out + ENV_DIGEST, fields->digest, OSPOLICY_MODSIGN_DIGEST_SIZE);
  memcpy(out + ENV_NAME, fields->name, fields->name_length);
  memcpy(out + OSPOLICY_MODSIGN_STATEMENT_SIZE(fields->name_length), fields->signature,
         OSPOLICY_MODSIGN_SIGNATURE_SIZE);
  return OSPOLICY_OK;
}

/* ---- trust set ---------------------------------------------------------- */

/* The latch: once a set has enforcement on, it stays on whatever its status
 * (a failed parse writes an error status but must not make the next Parse or
 * Init forget the latch). Garbage in `enforce` counts as on: fail closed. */
static bool trust_latched(const OSPolicy_ModsignTrustSet *trust) {
  return trust->enforce != 0u;
}

/* Public keys are unique within a set (all-zero ones, which revoked ids that
 * were never seen carry, excepted): the same key under two ids would let a
 * second id outlive the revocation of the first. */
static bool public_key_set(const uint8_t *public_key) {
  return !all_zero(public_key, OSPOLICY_MODSIGN_PUBLIC_KEY_SIZE);
}

static void trust_reset(OSPolicy_ModsignTrustSet *trust, OSPolicy_Status status, bool enforce,
                        size_t offset, const char *field) {
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
  trust_reset(trust, OSPOLICY_OK, trust_latched(trust), 0, "");
  return OSPOLICY_OK;
}

static bool names_equal(uint32_t kind_a, const char *a, size_t a_length, uint32_t kind_b,
                        const char *b, size_t b_length) {
  return kind_a == kind_b && a_length == b_length && memcmp(a, b, a_length) == 0;
}

/* Walks a trust-set file. With `trust` NULL it only validates; otherwise it
 * fills the keys and floors (called only after a validating pass). */
static OSPolicy_Status walk_trust(const uint8_t *data, size_t size, OSPolicy_ModsignTrustSet *fill,
                                  size_t *offset, const char **field) {
  *offset = 0;
  *field = "";
  if (size < OSPOLICY_MODSIGN_TRUST_HEADER_SIZE) {
    *offset = size;
    *field = "size";
    return OSPOLICY_ERR_MODSIGN_TRUST_MALFORMED;
  }
  for (size_t i = 0; i < sizeof trust_magic; i++) {
    if (data[i] != trust_magic[i]) {
      *offset = i;
      *field = "magic";
      return OSPOLICY_ERR_MODSIGN_TRUST_MALFORMED;
    }
  }
  struct {
    size_t offset;
    const char *field;
    bool bad;
  } checks[] = {
      {TRUST_VERSION, "version", data[TRUST_VERSION] != OSPOLICY_MODSIGN_VERSION},
      {TRUST_FLAGS, "flags", (data[TRUST_FLAGS] & ~OSPOLICY_MODSIGN_TRUST_ENFORCE) != 0u},
      {TRUST_KEY_COUNT, "key-count", data[TRUST_KEY_COUNT] > OSPOLICY_MODSIGN_MAX_KEYS},
      {TRUST_FLOOR_COUNT, "floor-count", data[TRUST_FLOOR_COUNT] > OSPOLICY_MODSIGN_MAX_FLOORS},
      {TRUST_RESERVED, "reserved", !all_zero(data + TRUST_RESERVED, 4)},
  };
  for (size_t i = 0; i < sizeof checks / sizeof checks[0]; i++) {
    if (checks[i].bad) {
      *offset = checks[i].offset;
      *field = checks[i].field;
      return OSPOLICY_ERR_MODSIGN_TRUST_MALFORMED;
    }
  }
  size_t key_count = data[TRUST_KEY_COUNT];
  size_t floor_count = data[TRUST_FLOOR_COUNT];
  size_t at = OSPOLICY_MODSIGN_TRUST_HEADER_SIZE;
  for (size_t k = 0; k < key_count; k++) {
    if (size - at < OSPOLICY_MODSIGN_TRUST_KEY_SIZE) {
      *offset = size;
      *field = "key";
      return OSPOLICY_ERR_MODSIGN_TRUST_MALFORMED;
    }
    const uint8_t *entry = data + at;
    if ((entry[KEY_FLAGS] & ~OSPOLICY_MODSIGN_KEY_REVOKED) != 0u) {
      *offset = at + KEY_FLAGS;
      *field = "key-flags";
      return OSPOLICY_ERR_MODSIGN_TRUST_MALFORMED;
    }
    if (!all_zero(entry + KEY_RESERVED, KEY_PUBLIC - KEY_RESERVED)) {
      *offset = at + KEY_RESERVED;
      *field = "key-reserved";
      return OSPOLICY_ERR_MODSIGN_TRUST_MALFORMED;
    }
    for (size_t j = 0; j < k; j++) {
      const uint8_t *earlier =
          data + OSPOLICY_MODSIGN_TRUST_HEADER_SIZE + j * OSPOLICY_MODSIGN_TRUST_KEY_SIZE;
      if (memcmp(earlier + KEY_ID, entry + KEY_ID, OSPOLICY_MODSIGN_KEY_ID_SIZE) == 0) {
        *offset = at + KEY_ID;
        *field = "key-id";
        return OSPOLICY_ERR_MODSIGN_DUPLICATE_KEY;
      }
      if (public_key_set(entry + KEY_PUBLIC) &&
          memcmp(earlier + KEY_PUBLIC, entry + KEY_PUBLIC, OSPOLICY_MODSIGN_PUBLIC_KEY_SIZE) == 0) {
        *offset = at + KEY_PUBLIC;
        *field = "public-key";
        return OSPOLICY_ERR_MODSIGN_DUPLICATE_PUBLIC_KEY;
      }
    }
    if (fill != NULL) {
      OSPolicy_ModsignKey *key = &fill->keys[k];
      memcpy(key->key_id, entry + KEY_ID, OSPOLICY_MODSIGN_KEY_ID_SIZE);
      memcpy(key->public_key, entry + KEY_PUBLIC, OSPOLICY_MODSIGN_PUBLIC_KEY_SIZE);
      key->flags = entry[KEY_FLAGS];
      fill->key_count = (uint32_t)(k + 1u);
    }
    at += OSPOLICY_MODSIGN_TRUST_KEY_SIZE;
  }
  size_t floors_start = at;
  for (size_t f = 0; f < floor_count; f++) {
    if (size - at < OSPOLICY_MODSIGN_TRUST_FLOOR_FIXED_SIZE) {
      *offset = size;
      *field = "floor";
      return OSPOLICY_ERR_MODSIGN_TRUST_MALFORMED;
    }
    const uint8_t *entry = data + at;
    size_t name_length = entry[FLOOR_NAME_LENGTH];
    if (!kind_ok(entry[FLOOR_KIND])) {
      *offset = at + FLOOR_KIND;
      *field = "floor-kind";
      return OSPOLICY_ERR_MODSIGN_TRUST_MALFORMED;
    }
    if (name_length == 0u || name_length > OSPOLICY_MODSIGN_NAME_MAX) {
      *offset = at + FLOOR_NAME_LENGTH;
      *field = "floor-name-length";
      return OSPOLICY_ERR_MODSIGN_TRUST_MALFORMED;
    }
    if (!all_zero(entry + FLOOR_RESERVED, FLOOR_GENERATION - FLOOR_RESERVED)) {
      *offset = at + FLOOR_RESERVED;
      *field = "floor-reserved";
      return OSPOLICY_ERR_MODSIGN_TRUST_MALFORMED;
    }
    if (size - at - OSPOLICY_MODSIGN_TRUST_FLOOR_FIXED_SIZE < name_length) {
      *offset = size;
      *field = "floor-name";
      return OSPOLICY_ERR_MODSIGN_TRUST_MALFORMED;
    }
    const char *name = (const char *)(entry + FLOOR_NAME);
    size_t bad = bad_name_index(name, name_length);
    if (bad != name_length) {
      *offset = at + FLOOR_NAME + bad;
      *field = "floor-name";
      return OSPOLICY_ERR_MODSIGN_TRUST_MALFORMED;
    }
    /* Duplicate (kind, name): walk the earlier floors again (at most 32). */
    size_t earlier_at = floors_start;
    for (size_t j = 0; j < f; j++) {
      const uint8_t *earlier = data + earlier_at;
      size_t earlier_length = earlier[FLOOR_NAME_LENGTH];
      if (names_equal(earlier[FLOOR_KIND], (const char *)(earlier + FLOOR_NAME), earlier_length,
                      entry[FLOOR_KIND], name, name_length)) {
        *offset = at;
        *field = "floor-name";
        return OSPOLICY_ERR_MODSIGN_DUPLICATE_FLOOR;
      }
      earlier_at += OSPOLICY_MODSIGN_TRUST_FLOOR_FIXED_SIZE + earlier_length;
    }
    if (fill != NULL) {
      OSPolicy_ModsignFloor *floor = &fill->floors[f];
      floor->kind = entry[FLOOR_KIND];
      floor->name_length = (uint8_t)name_length;
      memcpy(floor->name, name, name_length);
      floor->name[name_length] = '\0';
      floor->min_generation = load_le64(entry + FLOOR_GENERATION);
      fill->floor_count = (uint32_t)(f + 1u);
    }
    at += OSPOLICY_MODSIGN_TRUST_FLOOR_FIXED_SIZE + name_length;
  }
  if (at != size) {
    *offset = at;
    *field = "end";
    return OSPOLICY_ERR_MODSIGN_TRAILING_DATA;
  }
  return OSPOLICY_OK;
}

OSPolicy_Status OSPolicy_ParseModsignTrustSet(const uint8_t *data, size_t size,
                                              OSPolicy_ModsignTrustSet *trust) {
  if (trust == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  bool keep_enforce = trust_latched(trust);
  if (data == NULL) {
    trust_reset(trust, OSPOLICY_ERR_NULL_ARGUMENT, keep_enforce, 0, "trust-set");
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  size_t offset = 0;
  const char *field = "";
  OSPolicy_Status status = walk_trust(data, size, NULL, &offset, &field);
  if (status != OSPOLICY_OK) {
    trust_reset(trust, status, keep_enforce, offset, field);
    return status;
  }
  bool file_enforce = (data[TRUST_FLAGS] & OSPOLICY_MODSIGN_TRUST_ENFORCE) != 0u;
  trust_reset(trust, OSPOLICY_STATUS_UNSET, keep_enforce || file_enforce, 0, "");
  status = walk_trust(data, size, trust, &offset, &field);
  if (status != OSPOLICY_OK) { /* cannot happen: the same bytes validated above */
    trust_reset(trust, status, keep_enforce || file_enforce, offset, field);
    return status;
  }
  trust->status = OSPOLICY_OK;
  return OSPOLICY_OK;
}

/* Checks the fields of an in-memory trust set (it may have been edited by hand). */
static OSPolicy_Status check_trust_fields(const OSPolicy_ModsignTrustSet *trust) {
  if (trust->key_count > OSPOLICY_MODSIGN_MAX_KEYS ||
      trust->floor_count > OSPOLICY_MODSIGN_MAX_FLOORS || trust->enforce > 1u) {
    return OSPOLICY_ERR_INVALID_ARGUMENT;
  }
  for (uint32_t k = 0; k < trust->key_count; k++) {
    if ((trust->keys[k].flags & ~(uint32_t)OSPOLICY_MODSIGN_KEY_REVOKED) != 0u) {
      return OSPOLICY_ERR_INVALID_ARGUMENT;
    }
    for (uint32_t j = 0; j < k; j++) {
      if (memcmp(trust->keys[j].key_id, trust->keys[k].key_id, OSPOLICY_MODSIGN_KEY_ID_SIZE) == 0) {
        return OSPOLICY_ERR_MODSIGN_DUPLICATE_KEY;
      }
      if (public_key_set(trust->keys[k].public_key) &&
          memcmp(trust->keys[j].public_key, trust->keys[k].public_key,
                 OSPOLICY_MODSIGN_PUBLIC_KEY_SIZE) == 0) {
        return OSPOLICY_ERR_MODSIGN_DUPLICATE_PUBLIC_KEY;
      }
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
                  (size_t)trust->key_count * OSPOLICY_MODSIGN_TRUST_KEY_SIZE;
  for (uint32_t f = 0; f < trust->floor_count; f++) {
    needed += OSPOLICY_MODSIGN_TRUST_FLOOR_FIXED_SIZE + trust->floors[f].name_length;
  }
  *size = needed;
  if (capacity < needed) {
    return OSPOLICY_ERR_BUFFER_TOO_SMALL;
  }
  memset(out, 0, needed);
  memcpy(out, trust_magic, sizeof trust_magic);
  out[TRUST_VERSION] = OSPOLICY_MODSIGN_VERSION;
  out[TRUST_FLAGS] = trust->enforce != 0u ? OSPOLICY_MODSIGN_TRUST_ENFORCE : 0u;
  out[TRUST_KEY_COUNT] = (uint8_t)trust->key_count;
  out[TRUST_FLOOR_COUNT] = (uint8_t)trust->floor_count;
  size_t at = OSPOLICY_MODSIGN_TRUST_HEADER_SIZE;
  for (uint32_t k = 0; k < trust->key_count; k++) {
    memcpy(out + at + KEY_ID, trust->keys[k].key_id, OSPOLICY_MODSIGN_KEY_ID_SIZE);
    out[at + KEY_FLAGS] = (uint8_t)trust->keys[k].flags;
    memcpy(out + at + KEY_PUBLIC, trust->keys[k].public_key, OSPOLICY_MODSIGN_PUBLIC_KEY_SIZE);
    at += OSPOLICY_MODSIGN_TRUST_KEY_SIZE;
  }
  for (uint32_t f = 0; f < trust->floor_count; f++) {
    const OSPolicy_ModsignFloor *floor = &trust->floors[f];
    out[at + FLOOR_KIND] = floor->kind;
    out[at + FLOOR_NAME_LENGTH] = floor->name_length;
    store_le64(out + at + FLOOR_GENERATION, floor->min_generation);
    memcpy(out + at + FLOOR_NAME, floor->name, floor->name_length);
    at += OSPOLICY_MODSIGN_TRUST_FLOOR_FIXED_SIZE + floor->name_length;
  }
  return OSPOLICY_OK;
}

static OSPolicy_ModsignKey *find_key(OSPolicy_ModsignTrustSet *trust, const uint8_t *key_id) {
  for (uint32_t k = 0; k < trust->key_count && k < OSPOLICY_MODSIGN_MAX_KEYS; k++) {
    if (memcmp(trust->keys[k].key_id, key_id, OSPOLICY_MODSIGN_KEY_ID_SIZE) == 0) {
      return &trust->keys[k];
    }
  }
  return NULL;
}

static OSPolicy_Status check_editable(const OSPolicy_ModsignTrustSet *trust) {
  if (trust->status != OSPOLICY_OK) {
    return OSPOLICY_ERR_PLAN_NOT_OK;
  }
  if (trust->key_count > OSPOLICY_MODSIGN_MAX_KEYS ||
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
  const OSPolicy_ModsignKey *existing = find_key(trust, key_id);
  if (existing != NULL) {
    return (existing->flags & OSPOLICY_MODSIGN_KEY_REVOKED) != 0u
               ? OSPOLICY_DENIED_MODSIGN_REVOKED_KEY
               : OSPOLICY_ERR_MODSIGN_DUPLICATE_KEY;
  }
  if (public_key_set(public_key)) {
    for (uint32_t k = 0; k < trust->key_count; k++) {
      if (memcmp(trust->keys[k].public_key, public_key, OSPOLICY_MODSIGN_PUBLIC_KEY_SIZE) == 0) {
        /* The same key under another id: a revoked key must not come back
         * under an alias, and an active one needs no second id. */
        return (trust->keys[k].flags & OSPOLICY_MODSIGN_KEY_REVOKED) != 0u
                   ? OSPOLICY_DENIED_MODSIGN_REVOKED_KEY
                   : OSPOLICY_ERR_MODSIGN_DUPLICATE_PUBLIC_KEY;
      }
    }
  }
  if (trust->key_count >= OSPOLICY_MODSIGN_MAX_KEYS) {
    return OSPOLICY_ERR_TOO_MANY;
  }
  OSPolicy_ModsignKey *key = &trust->keys[trust->key_count];
  memcpy(key->key_id, key_id, OSPOLICY_MODSIGN_KEY_ID_SIZE);
  memcpy(key->public_key, public_key, OSPOLICY_MODSIGN_PUBLIC_KEY_SIZE);
  key->flags = 0;
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
  OSPolicy_ModsignKey *existing = find_key(trust, key_id);
  if (existing != NULL) {
    existing->flags |= OSPOLICY_MODSIGN_KEY_REVOKED;
    return OSPOLICY_OK;
  }
  if (trust->key_count >= OSPOLICY_MODSIGN_MAX_KEYS) {
    return OSPOLICY_ERR_TOO_MANY;
  }
  OSPolicy_ModsignKey *key = &trust->keys[trust->key_count];
  memset(key, 0, sizeof *key);
  memcpy(key->key_id, key_id, OSPOLICY_MODSIGN_KEY_ID_SIZE);
  key->flags = OSPOLICY_MODSIGN_KEY_REVOKED;
  trust->key_count++;
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
                                size_t offset, const char *field) {
  memset(key, 0, sizeof *key);
  key->status = status;
  key->error_offset = offset;
  key->error_field = field;
  return status;
}

OSPolicy_Status OSPolicy_ParseModsignKeyFile(const uint8_t *data, size_t size,
                                             OSPolicy_ModsignKeyFile *key) {
  if (key == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  if (data == NULL) {
    return key_fail(key, OSPOLICY_ERR_NULL_ARGUMENT, 0, "key");
  }
  if (size < 8u) {
    return key_fail(key, OSPOLICY_ERR_MODSIGN_KEY_MALFORMED, size, "size");
  }
  bool secret;
  if (memcmp(data, public_magic, 8) == 0) {
    secret = false;
  } else if (memcmp(data, secret_magic, 8) == 0) {
    secret = true;
  } else {
    size_t i = 0;
    while (i < 8u && data[i] == public_magic[i]) {
      i++;
    }
    return key_fail(key, OSPOLICY_ERR_MODSIGN_KEY_MALFORMED, i, "magic");
  }
  size_t expected =
      secret ? OSPOLICY_MODSIGN_SECRET_KEY_FILE_SIZE : OSPOLICY_MODSIGN_PUBLIC_KEY_FILE_SIZE;
  if (size < expected) {
    return key_fail(key, OSPOLICY_ERR_MODSIGN_KEY_MALFORMED, size, "size");
  }
  if (data[KEYFILE_VERSION] != OSPOLICY_MODSIGN_VERSION) {
    return key_fail(key, OSPOLICY_ERR_MODSIGN_KEY_MALFORMED, KEYFILE_VERSION, "version");
  }
  if (data[KEYFILE_ALGORITHM] != OSPOLICY_MODSIGN_ALG_ED25519PH) {
    return key_fail(key, OSPOLICY_ERR_MODSIGN_UNSUPPORTED_ALGORITHM, KEYFILE_ALGORITHM,
                    "algorithm");
  }
  for (size_t i = KEYFILE_RESERVED; i < KEYFILE_KEY_ID; i++) {
    if (data[i] != 0u) {
      return key_fail(key, OSPOLICY_ERR_MODSIGN_KEY_MALFORMED, i, "reserved");
    }
  }
  if (size > expected) {
    return key_fail(key, OSPOLICY_ERR_MODSIGN_TRAILING_DATA, expected, "end");
  }
  memset(key, 0, sizeof *key);
  key->error_field = "";
  key->is_secret = secret ? 1u : 0u;
  memcpy(key->key_id, data + KEYFILE_KEY_ID, OSPOLICY_MODSIGN_KEY_ID_SIZE);
  if (secret) {
    memcpy(key->secret_key, data + KEYFILE_KEY, OSPOLICY_MODSIGN_SECRET_KEY_SIZE);
    memcpy(key->public_key, data + KEYFILE_KEY + 32, OSPOLICY_MODSIGN_PUBLIC_KEY_SIZE);
  } else {
    memcpy(key->public_key, data + KEYFILE_KEY, OSPOLICY_MODSIGN_PUBLIC_KEY_SIZE);
  }
  key->status = OSPOLICY_OK;
  return OSPOLICY_OK;
}

OSPolicy_Status OSPolicy_EncodeModsignKeyFile(const OSPolicy_ModsignKeyFile *key, uint8_t *out,
                                              size_t capacity, size_t *size) {
  if (key == NULL || size == NULL || (out == NULL && capacity != 0u)) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  size_t needed = key->is_secret != 0u ? OSPOLICY_MODSIGN_SECRET_KEY_FILE_SIZE
                                       : OSPOLICY_MODSIGN_PUBLIC_KEY_FILE_SIZE;
  *size = needed;
  if (capacity < needed) {
    return OSPOLICY_ERR_BUFFER_TOO_SMALL;
  }
  memset(out, 0, needed);
  memcpy(out, key->is_secret != 0u ? secret_magic : public_magic, 8);
  out[KEYFILE_VERSION] = OSPOLICY_MODSIGN_VERSION;
  out[KEYFILE_ALGORITHM] = OSPOLICY_MODSIGN_ALG_ED25519PH;
  memcpy(out + KEYFILE_KEY_ID, key->key_id, OSPOLICY_MODSIGN_KEY_ID_SIZE);
  if (key->is_secret != 0u) {
    memcpy(out + KEYFILE_KEY, key->secret_key, OSPOLICY_MODSIGN_SECRET_KEY_SIZE);
  } else {
    memcpy(out + KEYFILE_KEY, key->public_key, OSPOLICY_MODSIGN_PUBLIC_KEY_SIZE);
  }
  return OSPOLICY_OK;
}
