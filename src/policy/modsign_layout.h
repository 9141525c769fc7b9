/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * The modsign byte layouts (docs/modsign.md, "Byte formats"), named once:
 * the parsers and encoders (modsign_format.c), the verifier (modsign.c), the
 * unit tests and the fuzz targets all use these offsets, and the one set of
 * little-endian helpers below. Private to the library and its tests: not
 * installed.
 */
#ifndef OSPOLICY_SRC_MODSIGN_LAYOUT_H
#define OSPOLICY_SRC_MODSIGN_LAYOUT_H

#include <stddef.h>
#include <stdint.h>

#include "ospolicy/modsign.h"

#define MODSIGN_MAGIC_SIZE 8u
#define MODSIGN_ENVELOPE_MAGIC "OSPMSIG\n"
#define MODSIGN_TRUST_MAGIC_TEXT "OSPTRST\n"
#define MODSIGN_PUBLIC_MAGIC "OSPPUBK\n"
#define MODSIGN_SECRET_MAGIC "OSPSECK\n"
#define MODSIGN_SEALED_MAGIC "OSPSECE\n"

/* Envelope (version 2): statement (fixed part, name, trusted comment), then
 * the Ed25519 signature of the statement. */
enum {
  MODSIGN_ENV_MAGIC = 0,
  MODSIGN_ENV_VERSION = 8,
  MODSIGN_ENV_ALGORITHM = 9,
  MODSIGN_ENV_KIND = 10,
  MODSIGN_ENV_NAME_LENGTH = 11,
  MODSIGN_ENV_COMMENT_LENGTH = 12,
  MODSIGN_ENV_RESERVED = 13, /* 3 bytes, zero */
  MODSIGN_ENV_KEY_ID = 16,
  MODSIGN_ENV_GENERATION = 24,
  MODSIGN_ENV_OBJECT_SIZE = 32,
  MODSIGN_ENV_DIGEST = 40,
  MODSIGN_ENV_NAME = 104 /* then the comment, then the signature */
};
_Static_assert(MODSIGN_ENV_DIGEST + OSPOLICY_MODSIGN_DIGEST_SIZE == MODSIGN_ENV_NAME,
               "envelope digest ends where the name starts");
_Static_assert(MODSIGN_ENV_NAME == OSPOLICY_MODSIGN_STATEMENT_FIXED_SIZE,
               "envelope fixed part");

/* Offsets that depend on the lengths. */
static inline size_t modsign_env_comment_offset(size_t name_length) {
  return (size_t)MODSIGN_ENV_NAME + name_length;
}
static inline size_t modsign_env_signature_offset(size_t name_length, size_t comment_length) {
  return OSPOLICY_MODSIGN_STATEMENT_SIZE(name_length, comment_length);
}

/* Trust set (version 2): header, active keys, revoked ids, floors. */
enum {
  MODSIGN_TRUST_MAGIC = 0,
  MODSIGN_TRUST_VERSION = 8,
  MODSIGN_TRUST_FLAGS = 9,
  MODSIGN_TRUST_KEY_COUNT = 10,
  MODSIGN_TRUST_FLOOR_COUNT = 11,
  MODSIGN_TRUST_REVOKED_COUNT = 12, /* 16-bit */
  MODSIGN_TRUST_RESERVED = 14,      /* 2 bytes, zero */
  /* each key entry */
  MODSIGN_KEY_ID = 0,
  MODSIGN_KEY_PUBLIC = 8,
  /* each floor entry */
  MODSIGN_FLOOR_KIND = 0,
  MODSIGN_FLOOR_NAME_LENGTH = 1,
  MODSIGN_FLOOR_RESERVED = 2, /* 6 bytes, zero */
  MODSIGN_FLOOR_GENERATION = 8,
  MODSIGN_FLOOR_NAME = 16
};
_Static_assert(MODSIGN_TRUST_RESERVED + 2 == OSPOLICY_MODSIGN_TRUST_HEADER_SIZE, "trust header");
_Static_assert(MODSIGN_KEY_PUBLIC + OSPOLICY_MODSIGN_PUBLIC_KEY_SIZE ==
                   OSPOLICY_MODSIGN_TRUST_KEY_SIZE,
               "trust key entry");
_Static_assert(MODSIGN_FLOOR_NAME == OSPOLICY_MODSIGN_TRUST_FLOOR_FIXED_SIZE, "floor entry");

/* Key files (version 1). */
enum {
  MODSIGN_KEYFILE_MAGIC = 0,
  MODSIGN_KEYFILE_VERSION = 8,
  MODSIGN_KEYFILE_ALGORITHM = 9,
  MODSIGN_KEYFILE_RESERVED = 10, /* 6 bytes, zero */
  MODSIGN_KEYFILE_KEY_ID = 16,
  MODSIGN_KEYFILE_KEY = 24 /* public key (32) or secret key (64: seed || public key) */
};
_Static_assert(MODSIGN_KEYFILE_KEY + OSPOLICY_MODSIGN_PUBLIC_KEY_SIZE ==
                   OSPOLICY_MODSIGN_PUBLIC_KEY_FILE_SIZE,
               "public key file");
_Static_assert(MODSIGN_KEYFILE_KEY + OSPOLICY_MODSIGN_SECRET_KEY_SIZE ==
                   OSPOLICY_MODSIGN_SECRET_KEY_FILE_SIZE,
               "secret key file");

/* Sealed secret key (version 1): the header (associated data) then the
 * ciphertext of the seed. */
enum {
  MODSIGN_SEALED_KDF = 10,
  MODSIGN_SEALED_RESERVED = 11, /* 5 bytes, zero */
  MODSIGN_SEALED_KEY_ID = 16,
  MODSIGN_SEALED_PUBLIC = 24,
  MODSIGN_SEALED_OPSLIMIT = 56,
  MODSIGN_SEALED_MEMLIMIT = 64,
  MODSIGN_SEALED_SALT = 72,
  MODSIGN_SEALED_NONCE = 88,
  MODSIGN_SEALED_CIPHERTEXT = 112
};
_Static_assert(MODSIGN_SEALED_CIPHERTEXT == OSPOLICY_MODSIGN_SEALED_HEADER_SIZE, "sealed header");
_Static_assert(MODSIGN_SEALED_CIPHERTEXT + OSPOLICY_MODSIGN_SEALED_CIPHERTEXT_SIZE ==
                   OSPOLICY_MODSIGN_SEALED_KEY_FILE_SIZE,
               "sealed key file");

/* Little-endian integers: the only decoders and encoders of modsign. */
static inline uint64_t modsign_load_le(const uint8_t *p, unsigned bytes) {
  uint64_t v = 0;
  for (unsigned i = 0; i < bytes; i++) {
    v |= (uint64_t)p[i] << (8u * i);
  }
  return v;
}
static inline void modsign_store_le(uint8_t *p, uint64_t v, unsigned bytes) {
  for (unsigned i = 0; i < bytes; i++) {
    p[i] = (uint8_t)(v >> (8u * i));
  }
}

#endif
