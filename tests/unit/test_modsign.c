/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * Modsign: byte formats (core), RFC 8032 vectors through the project's own
 * raw-verify API, and envelope verification scenarios (rotation, revocation
 * by key and by generation, metadata swap, truncation, trailing data,
 * enforcement). Keys come from fixed seeds so every run is the same.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* dlsym(RTLD_NEXT): the concurrent-writer hook below */
#endif
#include <check.h>
#include <dlfcn.h>
#include <signal.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ospolicy/modsign.h"
#include "../../src/policy/modsign_layout.h" /* the offsets, named once */

/* ---- helpers ------------------------------------------------------------ */

/* A concurrent writer, made deterministic: the verifier checks the
 * statement's signature (crypto_sign_ed25519_verify_detached) after its
 * other checks, the window in which another CPU or a DMA engine could
 * rewrite the caller's envelope. This test binary interposes that libsodium
 * function (the crypto library is linked statically into it, libsodium
 * dynamically) and, when armed, writes `race_value` at `race_at` first. */
static uint8_t *race_buffer;
static size_t race_at;
static uint8_t race_value;
static int race_fired;

int crypto_sign_ed25519_verify_detached(const unsigned char *sig, const unsigned char *m,
                                        unsigned long long mlen, const unsigned char *pk) {
  static int (*real)(const unsigned char *, const unsigned char *, unsigned long long,
                     const unsigned char *);
  if (real == NULL) {
    void *symbol = dlsym(RTLD_NEXT, "crypto_sign_ed25519_verify_detached");
    ck_assert_ptr_nonnull(symbol);
    memcpy(&real, &symbol, sizeof real);
  }
  if (race_buffer != NULL) {
    race_buffer[race_at] = race_value;
    race_buffer = NULL;
    race_fired = 1;
  }
  return real(sig, m, mlen, pk);
}

static void arm_race(uint8_t *buffer, size_t at, uint8_t value) {
  race_buffer = buffer;
  race_at = at;
  race_value = value;
  race_fired = 0;
}

static void unhex(const char *hex, uint8_t *out, size_t n) {
  ck_assert_uint_eq(strlen(hex), 2u * n);
  for (size_t i = 0; i < n; i++) {
    unsigned v = 0;
    ck_assert_int_eq(sscanf(hex + 2 * i, "%2x", &v), 1);
    out[i] = (uint8_t)v;
  }
}

typedef struct test_key {
  uint8_t pk[32];
  uint8_t sk[64];
  uint8_t id[8];
} test_key;

static test_key make_key(uint8_t seed_byte) {
  test_key k;
  uint8_t seed[32];
  memset(seed, seed_byte, sizeof seed);
  ck_assert_int_eq(crypto_sign_seed_keypair(k.pk, k.sk, seed), 0);
  ck_assert_int_eq(OSPolicy_ComputeModsignKeyId(k.pk, k.id), OSPOLICY_OK);
  return k;
}

typedef struct signed_object {
  uint8_t envelope[OSPOLICY_MODSIGN_ENVELOPE_MAX_SIZE];
  size_t envelope_size;
} signed_object;

static signed_object sign_object(const test_key *key, uint32_t kind, const char *name,
                                 uint64_t generation, const uint8_t *object, size_t size) {
  signed_object s;
  memset(&s, 0, sizeof s);
  OSPolicy_ModsignSignRequest req = {
      .kind = kind, .name = name, .name_length = strlen(name), .generation = generation};
  ck_assert_int_eq(OSPolicy_SignModsign(key->sk, &req, object, size, s.envelope,
                                        sizeof s.envelope, &s.envelope_size),
                   OSPOLICY_OK);
  ck_assert_uint_eq(s.envelope_size, OSPOLICY_MODSIGN_ENVELOPE_SIZE(strlen(name), 0));
  return s;
}

static OSPolicy_ModsignTrustSet trust_with(const test_key *keys, size_t count) {
  OSPolicy_ModsignTrustSet trust;
  memset(&trust, 0, sizeof trust);
  ck_assert_int_eq(OSPolicy_InitModsignTrustSet(&trust), OSPOLICY_OK);
  for (size_t i = 0; i < count; i++) {
    ck_assert_int_eq(OSPolicy_AddModsignKey(&trust, keys[i].id, keys[i].pk), OSPOLICY_OK);
  }
  return trust;
}

static OSPolicy_Status verify(const OSPolicy_ModsignTrustSet *trust, const signed_object *s,
                              uint32_t kind, const char *name, const uint8_t *object, size_t size,
                              OSPolicy_ModsignResult *out) {
  OSPolicy_ModsignRequest req = {.envelope = s != NULL ? s->envelope : NULL,
                                 .envelope_size = s != NULL ? s->envelope_size : 0,
                                 .kind = kind,
                                 .name = name,
                                 .name_length = strlen(name)};
  OSPolicy_ModsignResult local;
  OSPolicy_ModsignResult *result = out != NULL ? out : &local;
  memset(result, 0x5A, sizeof *result);
  OSPolicy_Status status = OSPolicy_VerifyModsign(trust, &req, object, size, result);
  ck_assert_int_eq(result->status, status);
  if (status == OSPOLICY_OK) {
    ck_assert_int_eq(result->decision, OSPOLICY_DECISION_ALLOW);
    ck_assert_str_eq(OSPolicy_ModsignFieldName(result->error_field), "");
  } else {
    ck_assert_int_ne(result->decision, OSPOLICY_DECISION_UNSET);
  }
  return status;
}

static const uint8_t kernel_bytes[] = "\x7f" "ELF pretend kernel image, version 1";
static const uint8_t module_bytes[] = "\x7f" "ELF pretend module, e1000 driver";

/* ---- RFC 8032 vectors (section 7.1 TEST 1-3, section 7.3 TEST abc) -------- */

typedef struct vector {
  const char *secret;
  const char *public_key;
  const char *message;
  const char *signature;
} vector;

static const vector ed25519_vectors[] = {
    {"9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
     "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
     "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"},
    {"4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
     "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
     "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"},
    {"c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
     "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
     "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"},
};

static const vector ed25519ph_vector = {
    "833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42",
    "ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf", "616263",
    "98a70222f0b8121aa9d30f813d683f809e462b469c7ff87639499bb94e6dae4131f85042463c2a355a2003d062adf5aaa10b8c61e636062aaad11c2a26083406"};

typedef struct decoded {
  uint8_t seed[32], pk[32], sig[64], msg[8];
  size_t msg_size;
} decoded;

static decoded decode(const vector *v) {
  decoded d;
  memset(&d, 0, sizeof d);
  unhex(v->secret, d.seed, 32);
  unhex(v->public_key, d.pk, 32);
  unhex(v->signature, d.sig, 64);
  d.msg_size = strlen(v->message) / 2;
  unhex(v->message, d.msg, d.msg_size);
  /* The three hex strings must agree with each other: the seed derives the
   * public key, and deterministic signing reproduces the signature. A mistyped
   * byte anywhere fails here, not silently in a verify. */
  uint8_t pk[32], sk[64];
  ck_assert_int_eq(crypto_sign_seed_keypair(pk, sk, d.seed), 0);
  ck_assert_mem_eq(pk, d.pk, 32);
  return d;
}

START_TEST(rfc8032_ed25519_vectors_verify) {
  for (size_t i = 0; i < sizeof ed25519_vectors / sizeof ed25519_vectors[0]; i++) {
    decoded d = decode(&ed25519_vectors[i]);
    uint8_t pk[32], sk[64], sig[64];
    ck_assert_int_eq(crypto_sign_seed_keypair(pk, sk, d.seed), 0);
    ck_assert_int_eq(crypto_sign_detached(sig, NULL, d.msg, d.msg_size, sk), 0);
    ck_assert_mem_eq(sig, d.sig, 64);

    ck_assert_int_eq(OSPolicy_VerifyEd25519(d.pk, d.msg_size ? d.msg : NULL, d.msg_size, d.sig),
                     OSPOLICY_OK);
    /* Every single-bit change of the signature, and a changed message, fail. */
    for (size_t bit = 0; bit < 512; bit += 37) {
      uint8_t bad[64];
      memcpy(bad, d.sig, 64);
      bad[bit / 8] ^= (uint8_t)(1u << (bit % 8));
      ck_assert_int_eq(OSPolicy_VerifyEd25519(d.pk, d.msg, d.msg_size, bad),
                       OSPOLICY_DENIED_MODSIGN_BAD_SIGNATURE);
    }
    uint8_t other[9] = {0};
    memcpy(other, d.msg, d.msg_size);
    other[d.msg_size] = 0x01;
    ck_assert_int_eq(OSPolicy_VerifyEd25519(d.pk, other, d.msg_size + 1, d.sig),
                     OSPOLICY_DENIED_MODSIGN_BAD_SIGNATURE);
    /* A pure signature is not an Ed25519ph signature of the same message. */
    ck_assert_int_eq(OSPolicy_VerifyEd25519ph(d.pk, d.msg, d.msg_size, d.sig),
                     OSPOLICY_DENIED_MODSIGN_BAD_SIGNATURE);
  }
}
END_TEST

START_TEST(rfc8032_ed25519ph_vector_verifies_one_shot_and_streaming) {
  decoded d = decode(&ed25519ph_vector);
  uint8_t pk[32], sk[64], sig[64];
  ck_assert_int_eq(crypto_sign_seed_keypair(pk, sk, d.seed), 0);
  crypto_sign_ed25519ph_state st;
  crypto_sign_ed25519ph_init(&st);
  crypto_sign_ed25519ph_update(&st, d.msg, d.msg_size);
  ck_assert_int_eq(crypto_sign_ed25519ph_final_create(&st, sig, NULL, sk), 0);
  ck_assert_mem_eq(sig, d.sig, 64);

  ck_assert_int_eq(OSPolicy_VerifyEd25519ph(d.pk, d.msg, d.msg_size, d.sig), OSPOLICY_OK);
  /* Streaming, one byte at a time, through the functions the envelope verifier uses. */
  OSPolicy_Ed25519phState state;
  ck_assert_int_eq(OSPolicy_BeginEd25519ph(&state), OSPOLICY_OK);
  for (size_t i = 0; i < d.msg_size; i++) {
    ck_assert_int_eq(OSPolicy_UpdateEd25519ph(&state, d.msg + i, 1), OSPOLICY_OK);
  }
  ck_assert_int_eq(OSPolicy_FinishEd25519phVerify(&state, d.pk, d.sig), OSPOLICY_OK);
  ck_assert_uint_eq(state.started, 0); /* wiped */
  ck_assert_int_eq(OSPolicy_UpdateEd25519ph(&state, "x", 1), OSPOLICY_ERR_PLAN_NOT_OK);
  ck_assert_int_eq(OSPolicy_FinishEd25519phVerify(&state, d.pk, d.sig), OSPOLICY_ERR_PLAN_NOT_OK);

  uint8_t bad[64];
  memcpy(bad, d.sig, 64);
  bad[63] ^= 0x01;
  ck_assert_int_eq(OSPolicy_VerifyEd25519ph(d.pk, d.msg, d.msg_size, bad),
                   OSPOLICY_DENIED_MODSIGN_BAD_SIGNATURE);
  ck_assert_int_eq(OSPolicy_VerifyEd25519ph(d.pk, (const uint8_t *)"abd", 3, d.sig),
                   OSPOLICY_DENIED_MODSIGN_BAD_SIGNATURE);
  /* ... and an Ed25519ph signature is not a pure Ed25519 signature. */
  ck_assert_int_eq(OSPolicy_VerifyEd25519(d.pk, d.msg, d.msg_size, d.sig),
                   OSPOLICY_DENIED_MODSIGN_BAD_SIGNATURE);
}
END_TEST

START_TEST(strict_verification_refuses_malleable_and_small_order) {
  decoded d = decode(&ed25519_vectors[0]);
  /* S + L (the group order) is the same signature mathematically but not
   * canonical: RFC 8032 verifiers must refuse it, libsodium does. */
  static const uint8_t order[32] = {0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58,
                                    0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
                                    0,    0,    0,    0,    0,    0,    0,    0,
                                    0,    0,    0,    0,    0,    0,    0,    0x10};
  uint8_t sig[64];
  memcpy(sig, d.sig, 64);
  unsigned carry = 0;
  for (size_t i = 0; i < 32; i++) {
    unsigned sum = (unsigned)sig[32 + i] + order[i] + carry;
    sig[32 + i] = (uint8_t)sum;
    carry = sum >> 8;
  }
  ck_assert_int_eq(OSPolicy_VerifyEd25519(d.pk, NULL, 0, sig),
                   OSPOLICY_DENIED_MODSIGN_BAD_SIGNATURE);
  /* Small-order public key (the identity point) with an all-zero R and S: a
   * lax verifier accepts this "signature" for every message. */
  uint8_t identity[32] = {1};
  uint8_t zero_sig[64] = {1};
  ck_assert_int_eq(OSPolicy_VerifyEd25519(identity, (const uint8_t *)"any", 3, zero_sig),
                   OSPOLICY_DENIED_MODSIGN_BAD_SIGNATURE);
  ck_assert_int_eq(OSPolicy_VerifyEd25519ph(identity, (const uint8_t *)"any", 3, zero_sig),
                   OSPOLICY_DENIED_MODSIGN_BAD_SIGNATURE);
  ck_assert_int_eq(OSPolicy_VerifyEd25519(NULL, NULL, 0, sig), OSPOLICY_ERR_NULL_ARGUMENT);
  ck_assert_int_eq(OSPolicy_VerifyEd25519(d.pk, NULL, 3, sig), OSPOLICY_ERR_NULL_ARGUMENT);
}
END_TEST

/* ---- envelope format ---------------------------------------------------- */

static OSPolicy_ModsignEnvelope sample_fields(void) {
  OSPolicy_ModsignEnvelope f;
  memset(&f, 0, sizeof f);
  f.version = OSPOLICY_MODSIGN_VERSION;
  f.algorithm = OSPOLICY_MODSIGN_ALG_ED25519_BLAKE2B;
  f.kind = OSPOLICY_MODSIGN_KIND_MODULE;
  f.name_length = 5;
  memcpy(f.name, "e1000", 5);
  f.comment_length = 3;
  memcpy(f.comment, "v 1", 3);
  for (unsigned i = 0; i < 8; i++) f.key_id[i] = (uint8_t)(0xA0 + i);
  f.generation = 0x0102030405060708u;
  f.object_size = 4096;
  for (unsigned i = 0; i < 64; i++) f.digest[i] = (uint8_t)i;
  for (unsigned i = 0; i < 64; i++) f.signature[i] = (uint8_t)(0xFF - i);
  return f;
}

static size_t encode_sample(uint8_t *buf, size_t cap) {
  OSPolicy_ModsignEnvelope f = sample_fields();
  size_t size = 0;
  ck_assert_int_eq(OSPolicy_EncodeModsignEnvelope(&f, buf, cap, &size), OSPOLICY_OK);
  return size;
}

START_TEST(envelope_round_trip_and_layout) {
  uint8_t buf[400];
  size_t need = 0;
  OSPolicy_ModsignEnvelope f = sample_fields();
  ck_assert_int_eq(OSPolicy_EncodeModsignEnvelope(&f, NULL, 0, &need),
                   OSPOLICY_ERR_BUFFER_TOO_SMALL);
  ck_assert_uint_eq(need, 104 + 5 + 3 + 64);
  ck_assert_uint_eq(OSPOLICY_MODSIGN_ENVELOPE_MAX_SIZE, 104 + 64 + 128 + 64);
  size_t size = encode_sample(buf, sizeof buf);
  ck_assert_uint_eq(size, 176);
  /* Byte layout of docs/modsign.md (the numbers written out once here, so
   * that a change of the layout header shows up as a failing test). */
  ck_assert_mem_eq(buf + MODSIGN_ENV_MAGIC, "OSPMSIG\n", 8);
  ck_assert_uint_eq(MODSIGN_ENV_VERSION, 8);
  ck_assert_uint_eq(buf[MODSIGN_ENV_VERSION], 2);
  ck_assert_uint_eq(buf[MODSIGN_ENV_ALGORITHM], 2);
  ck_assert_uint_eq(buf[MODSIGN_ENV_KIND], 2);
  ck_assert_uint_eq(buf[MODSIGN_ENV_NAME_LENGTH], 5);
  ck_assert_uint_eq(buf[MODSIGN_ENV_COMMENT_LENGTH], 3);
  ck_assert_uint_eq(MODSIGN_ENV_KEY_ID, 16);
  ck_assert_uint_eq(buf[MODSIGN_ENV_KEY_ID], 0xA0);
  ck_assert_uint_eq(MODSIGN_ENV_GENERATION, 24);
  ck_assert_uint_eq(buf[MODSIGN_ENV_GENERATION], 0x08); /* little-endian */
  ck_assert_uint_eq(buf[MODSIGN_ENV_GENERATION + 7], 0x01);
  ck_assert_uint_eq(MODSIGN_ENV_OBJECT_SIZE, 32);
  ck_assert_uint_eq(buf[MODSIGN_ENV_OBJECT_SIZE + 1], 0x10); /* 4096 */
  ck_assert_uint_eq(MODSIGN_ENV_DIGEST, 40);
  ck_assert_uint_eq(buf[MODSIGN_ENV_DIGEST + 63], 63);
  ck_assert_uint_eq(MODSIGN_ENV_NAME, 104);
  ck_assert_mem_eq(buf + MODSIGN_ENV_NAME, "e1000", 5);
  ck_assert_mem_eq(buf + 109, "v 1", 3);
  ck_assert_uint_eq(buf[112], 0xFF); /* the signature */

  OSPolicy_ModsignEnvelope e;
  memset(&e, 0x5A, sizeof e);
  ck_assert_int_eq(OSPolicy_ParseModsignEnvelope(buf, size, &e), OSPOLICY_OK);
  ck_assert_int_eq(e.status, OSPOLICY_OK);
  ck_assert_int_eq(e.error_field, OSPOLICY_MODSIGN_FIELD_NONE);
  ck_assert_str_eq(e.name, "e1000");
  ck_assert_str_eq(e.comment, "v 1");
  ck_assert_uint_eq(e.kind, OSPOLICY_MODSIGN_KIND_MODULE);
  ck_assert_uint_eq(e.generation, 0x0102030405060708u);
  ck_assert_uint_eq(e.object_size, 4096);
  ck_assert_uint_eq(e.statement_size, 112);
  ck_assert_mem_eq(e.key_id, f.key_id, 8);
  ck_assert_mem_eq(e.digest, f.digest, 64);
  ck_assert_mem_eq(e.signature, f.signature, 64);
}
END_TEST

static void expect_envelope(const uint8_t *buf, size_t size, OSPolicy_Status status,
                            size_t offset, const char *field) {
  OSPolicy_ModsignEnvelope e;
  memset(&e, 0x5A, sizeof e);
  ck_assert_int_eq(OSPolicy_ParseModsignEnvelope(buf, size, &e), status);
  ck_assert_int_eq(e.status, status);
  ck_assert_uint_eq(e.error_offset, offset);
  ck_assert_str_eq(OSPolicy_ModsignFieldName(e.error_field), field);
  ck_assert_uint_eq(e.statement_size, 0);
}

START_TEST(envelope_rejects_each_malformation_with_its_offset) {
  uint8_t good[400];
  size_t size = encode_sample(good, sizeof good);
  uint8_t b[400];
  const size_t name = MODSIGN_ENV_NAME, comment = MODSIGN_ENV_NAME + 5;

  expect_envelope(NULL, 0, OSPOLICY_DENIED_MODSIGN_NO_SIGNATURE, 0, "envelope");
  expect_envelope(good, 0, OSPOLICY_DENIED_MODSIGN_NO_SIGNATURE, 0, "envelope");
  expect_envelope(NULL, 5, OSPOLICY_ERR_NULL_ARGUMENT, 0, "envelope");
  expect_envelope(good, 103, OSPOLICY_ERR_MODSIGN_MALFORMED, 103, "size");
  memcpy(b, good, size); b[3] = 'X';
  expect_envelope(b, size, OSPOLICY_ERR_MODSIGN_MALFORMED, 3, "magic");
  memcpy(b, good, size); b[MODSIGN_ENV_VERSION] = 1; /* version 1 is no longer accepted */
  expect_envelope(b, size, OSPOLICY_ERR_MODSIGN_MALFORMED, MODSIGN_ENV_VERSION, "version");
  memcpy(b, good, size); b[MODSIGN_ENV_VERSION] = 3;
  expect_envelope(b, size, OSPOLICY_ERR_MODSIGN_MALFORMED, MODSIGN_ENV_VERSION, "version");
  memcpy(b, good, size); b[MODSIGN_ENV_ALGORITHM] = 1; /* Ed25519ph, version 1's */
  expect_envelope(b, size, OSPOLICY_ERR_MODSIGN_UNSUPPORTED_ALGORITHM, MODSIGN_ENV_ALGORITHM,
                  "algorithm");
  memcpy(b, good, size); b[MODSIGN_ENV_KIND] = 0;
  expect_envelope(b, size, OSPOLICY_ERR_MODSIGN_MALFORMED, MODSIGN_ENV_KIND, "kind");
  memcpy(b, good, size); b[MODSIGN_ENV_KIND] = OSPOLICY_MODSIGN_KIND_AGENT + 1; /* one past the last kind */
  expect_envelope(b, size, OSPOLICY_ERR_MODSIGN_MALFORMED, MODSIGN_ENV_KIND, "kind");
  memcpy(b, good, size); b[MODSIGN_ENV_NAME_LENGTH] = 0;
  expect_envelope(b, size, OSPOLICY_ERR_MODSIGN_MALFORMED, MODSIGN_ENV_NAME_LENGTH, "name-length");
  memcpy(b, good, size); b[MODSIGN_ENV_NAME_LENGTH] = 65;
  expect_envelope(b, size, OSPOLICY_ERR_MODSIGN_MALFORMED, MODSIGN_ENV_NAME_LENGTH, "name-length");
  memcpy(b, good, size); b[MODSIGN_ENV_COMMENT_LENGTH] = 129;
  expect_envelope(b, size, OSPOLICY_ERR_MODSIGN_MALFORMED, MODSIGN_ENV_COMMENT_LENGTH,
                  "comment-length");
  for (size_t r = MODSIGN_ENV_RESERVED; r < MODSIGN_ENV_KEY_ID; r++) {
    memcpy(b, good, size); b[r] = 1;
    expect_envelope(b, size, OSPOLICY_ERR_MODSIGN_MALFORMED, r, "reserved");
  }
  memcpy(b, good, size); b[name + 2] = '/';
  expect_envelope(b, size, OSPOLICY_ERR_MODSIGN_MALFORMED, name + 2, "name");
  memcpy(b, good, size); b[name] = '\0';
  expect_envelope(b, size, OSPOLICY_ERR_MODSIGN_MALFORMED, name, "name");
  expect_envelope(good, name + 3, OSPOLICY_ERR_MODSIGN_MALFORMED, name + 3, "name");
  memcpy(b, good, size); b[comment + 1] = '\n';
  expect_envelope(b, size, OSPOLICY_ERR_MODSIGN_MALFORMED, comment + 1, "comment");
  memcpy(b, good, size); b[comment] = 0x7F;
  expect_envelope(b, size, OSPOLICY_ERR_MODSIGN_MALFORMED, comment, "comment");
  expect_envelope(good, comment + 2, OSPOLICY_ERR_MODSIGN_MALFORMED, comment + 2, "comment");
  expect_envelope(good, size - 1, OSPOLICY_ERR_MODSIGN_MALFORMED, size - 1, "signature");
  memcpy(b, good, size); b[size] = 0;
  expect_envelope(b, size + 1, OSPOLICY_ERR_MODSIGN_TRAILING_DATA, size, "end");
  ck_assert_int_eq(OSPolicy_ParseModsignEnvelope(good, size, NULL), OSPOLICY_ERR_NULL_ARGUMENT);
  ck_assert_str_eq(OSPolicy_ModsignFieldName(OSPOLICY_MODSIGN_FIELD_COUNT), "unknown");
  ck_assert_str_eq(OSPolicy_ModsignFieldName(OSPOLICY_MODSIGN_FIELD_NONE), "");
}
END_TEST

START_TEST(envelope_encoder_refuses_fields_that_would_not_parse) {
  uint8_t buf[400];
  size_t size = 99;
  OSPolicy_ModsignEnvelope f = sample_fields();
  f.name_length = 0;
  ck_assert_int_eq(OSPolicy_EncodeModsignEnvelope(&f, buf, sizeof buf, &size),
                   OSPOLICY_ERR_INVALID_ARGUMENT);
  ck_assert_uint_eq(size, 0);
  f = sample_fields();
  f.kind = 9;
  ck_assert_int_eq(OSPolicy_EncodeModsignEnvelope(&f, buf, sizeof buf, &size),
                   OSPOLICY_ERR_INVALID_ARGUMENT);
  f = sample_fields();
  f.name[1] = ' ';
  ck_assert_int_eq(OSPolicy_EncodeModsignEnvelope(&f, buf, sizeof buf, &size),
                   OSPOLICY_ERR_INVALID_ARGUMENT);
  f = sample_fields();
  f.comment[0] = '\t';
  ck_assert_int_eq(OSPolicy_EncodeModsignEnvelope(&f, buf, sizeof buf, &size),
                   OSPOLICY_ERR_INVALID_ARGUMENT);
  f = sample_fields();
  f.comment_length = OSPOLICY_MODSIGN_COMMENT_MAX + 1;
  ck_assert_int_eq(OSPolicy_EncodeModsignEnvelope(&f, buf, sizeof buf, &size),
                   OSPOLICY_ERR_INVALID_ARGUMENT);
  f = sample_fields();
  ck_assert_int_eq(OSPolicy_EncodeModsignEnvelope(&f, buf, 175, &size),
                   OSPOLICY_ERR_BUFFER_TOO_SMALL);
  ck_assert_uint_eq(size, 176);
  ck_assert_int_eq(OSPolicy_EncodeModsignEnvelope(&f, NULL, 10, &size),
                   OSPOLICY_ERR_NULL_ARGUMENT);
  ck_assert(OSPolicy_IsValidModsignName("vmlinuz-6.1_x86+64", 18));
  ck_assert(!OSPolicy_IsValidModsignName("../etc", 6));
  ck_assert_int_eq(OSPolicy_ModsignKindFromName("kernel", 6), OSPOLICY_MODSIGN_KIND_KERNEL);
  ck_assert_int_eq(OSPolicy_ModsignKindFromName("kern", 4), OSPOLICY_MODSIGN_KIND_UNSET);
  ck_assert_str_eq(OSPolicy_ModsignKindName(OSPOLICY_MODSIGN_KIND_DATA), "data");
  ck_assert_str_eq(OSPolicy_ModsignKindName(OSPOLICY_MODSIGN_KIND_AGENT), "agent");
  ck_assert_int_eq(OSPolicy_ModsignKindFromName("agent", 5), OSPOLICY_MODSIGN_KIND_AGENT);
  ck_assert_str_eq(OSPolicy_ModsignKindName(OSPOLICY_MODSIGN_KIND_AGENT + 1), "unset");
  ck_assert_str_eq(OSPolicy_ModsignKindName(77), "unset");
}
END_TEST

/* ---- trust set format and editing --------------------------------------- */

static OSPolicy_ModsignTrustSet sample_trust(void) {
  OSPolicy_ModsignTrustSet t;
  memset(&t, 0, sizeof t);
  ck_assert_int_eq(OSPolicy_InitModsignTrustSet(&t), OSPOLICY_OK);
  uint8_t id[8] = {1, 2, 3, 4, 5, 6, 7, 8}, pk[32];
  memset(pk, 0x11, sizeof pk);
  ck_assert_int_eq(OSPolicy_AddModsignKey(&t, id, pk), OSPOLICY_OK);
  id[0] = 9;
  ck_assert_int_eq(OSPolicy_RevokeModsignKey(&t, id), OSPOLICY_OK);
  ck_assert_int_eq(OSPolicy_RaiseModsignFloor(&t, OSPOLICY_MODSIGN_KIND_KERNEL, "kernel", 6, 7),
                   OSPOLICY_OK);
  ck_assert_int_eq(OSPolicy_RaiseModsignFloor(&t, OSPOLICY_MODSIGN_KIND_MODULE, "e1000", 5, 2),
                   OSPOLICY_OK);
  return t;
}

static size_t encode_trust(const OSPolicy_ModsignTrustSet *t, uint8_t *buf, size_t cap) {
  size_t size = 0;
  ck_assert_int_eq(OSPolicy_EncodeModsignTrustSet(t, buf, cap, &size), OSPOLICY_OK);
  return size;
}

START_TEST(trust_set_round_trip_and_layout) {
  OSPolicy_ModsignTrustSet t = sample_trust();
  uint8_t buf[OSPOLICY_MODSIGN_TRUST_MAX_SIZE];
  size_t need = 0;
  ck_assert_int_eq(OSPolicy_EncodeModsignTrustSet(&t, NULL, 0, &need),
                   OSPOLICY_ERR_BUFFER_TOO_SMALL);
  ck_assert_uint_eq(need, 16 + 40 + 8 + (16 + 6) + (16 + 5));
  size_t size = encode_trust(&t, buf, sizeof buf);
  ck_assert_uint_eq(size, need);
  ck_assert_mem_eq(buf, "OSPTRST\n", 8);
  ck_assert_uint_eq(buf[MODSIGN_TRUST_VERSION], 2);
  ck_assert_uint_eq(buf[MODSIGN_TRUST_FLAGS], 0);
  ck_assert_uint_eq(buf[MODSIGN_TRUST_KEY_COUNT], 1);
  ck_assert_uint_eq(buf[MODSIGN_TRUST_FLOOR_COUNT], 2);
  ck_assert_uint_eq(MODSIGN_TRUST_REVOKED_COUNT, 12);
  ck_assert_uint_eq(buf[12], 1); /* revoked count, 16-bit little-endian */
  ck_assert_uint_eq(buf[13], 0);
  ck_assert_uint_eq(buf[16], 1);    /* the active key's id */
  ck_assert_uint_eq(buf[24], 0x11); /* its public key */
  ck_assert_uint_eq(buf[56], 9);    /* the revoked id */
  ck_assert_uint_eq(buf[64], 1);    /* floor kind kernel */
  ck_assert_uint_eq(buf[65], 6);
  ck_assert_uint_eq(buf[72], 7); /* min generation */
  ck_assert_mem_eq(buf + 80, "kernel", 6);

  OSPolicy_ModsignTrustSet p;
  memset(&p, 0, sizeof p);
  ck_assert_int_eq(OSPolicy_ParseModsignTrustSet(buf, size, &p), OSPOLICY_OK);
  ck_assert_uint_eq(p.key_count, 1);
  ck_assert_uint_eq(p.revoked_count, 1);
  ck_assert_uint_eq(p.floor_count, 2);
  ck_assert_uint_eq(p.revoked[0][0], 9);
  ck_assert(OSPolicy_IsModsignKeyRevoked(&p, p.revoked[0]));
  ck_assert(!OSPolicy_IsModsignKeyRevoked(&p, p.keys[0].key_id));
  ck_assert_str_eq(p.floors[1].name, "e1000");
  ck_assert_uint_eq(OSPolicy_GetModsignFloor(&p, OSPOLICY_MODSIGN_KIND_KERNEL, "kernel", 6), 7);
  ck_assert_uint_eq(OSPolicy_GetModsignFloor(&p, OSPOLICY_MODSIGN_KIND_MODULE, "kernel", 6), 0);
  ck_assert_uint_eq(p.enforce, 0);
  uint8_t again[OSPOLICY_MODSIGN_TRUST_MAX_SIZE];
  ck_assert_uint_eq(encode_trust(&p, again, sizeof again), size);
  ck_assert_mem_eq(again, buf, size);
}
END_TEST

static void expect_trust(const uint8_t *buf, size_t size, OSPolicy_Status status, size_t offset,
                         const char *field) {
  OSPolicy_ModsignTrustSet t;
  memset(&t, 0x5A, sizeof t);
  t.status = OSPOLICY_STATUS_UNSET;
  t.enforce = 0;
  ck_assert_int_eq(OSPolicy_ParseModsignTrustSet(buf, size, &t), status);
  ck_assert_int_eq(t.status, status);
  ck_assert_uint_eq(t.error_offset, offset);
  ck_assert_str_eq(OSPolicy_ModsignFieldName(t.error_field), field);
  ck_assert_uint_eq(t.key_count, 0);
  ck_assert_uint_eq(t.revoked_count, 0);
  ck_assert_uint_eq(t.floor_count, 0);
}

START_TEST(trust_set_rejects_each_malformation_with_its_offset) {
  OSPolicy_ModsignTrustSet t = sample_trust();
  uint8_t good[OSPOLICY_MODSIGN_TRUST_MAX_SIZE + 1];
  size_t size = encode_trust(&t, good, sizeof good);
  uint8_t b[sizeof good];
  const size_t revoked = 56, floor0 = 64, floor1 = 86;
#define MUTATE(off, val) (memcpy(b, good, size), b[(off)] = (uint8_t)(val), b)
  expect_trust(good, 15, OSPOLICY_ERR_MODSIGN_TRUST_MALFORMED, 15, "size");
  expect_trust(MUTATE(0, 'o'), size, OSPOLICY_ERR_MODSIGN_TRUST_MALFORMED, 0, "magic");
  expect_trust(MUTATE(8, 1), size, OSPOLICY_ERR_MODSIGN_TRUST_MALFORMED, 8, "version");
  expect_trust(MUTATE(9, 2), size, OSPOLICY_ERR_MODSIGN_TRUST_MALFORMED, 9, "flags");
  expect_trust(MUTATE(10, 9), size, OSPOLICY_ERR_MODSIGN_TRUST_MALFORMED, 10, "key-count");
  expect_trust(MUTATE(11, 33), size, OSPOLICY_ERR_MODSIGN_TRUST_MALFORMED, 11, "floor-count");
  expect_trust(MUTATE(13, 1), size, OSPOLICY_ERR_MODSIGN_TRUST_MALFORMED, 12, "revoked-count");
  expect_trust(MUTATE(15, 1), size, OSPOLICY_ERR_MODSIGN_TRUST_MALFORMED, 14, "reserved");
  /* The revoked id made equal to the active key's id. */
  memcpy(b, good, size);
  memcpy(b + revoked, good + 16, 8);
  expect_trust(b, size, OSPOLICY_ERR_MODSIGN_DUPLICATE_KEY, revoked, "revoked");
  expect_trust(MUTATE(floor0, 0), size, OSPOLICY_ERR_MODSIGN_TRUST_MALFORMED, floor0,
               "floor-kind");
  expect_trust(MUTATE(floor0 + 1, 0), size, OSPOLICY_ERR_MODSIGN_TRUST_MALFORMED, floor0 + 1,
               "floor-name-length");
  expect_trust(MUTATE(floor0 + 3, 1), size, OSPOLICY_ERR_MODSIGN_TRUST_MALFORMED, floor0 + 3,
               "floor-reserved");
  expect_trust(MUTATE(floor0 + 17, '\n'), size, OSPOLICY_ERR_MODSIGN_TRUST_MALFORMED,
               floor0 + 17, "floor-name");
  expect_trust(good, 50, OSPOLICY_ERR_MODSIGN_TRUST_MALFORMED, 50, "key");
  expect_trust(good, 60, OSPOLICY_ERR_MODSIGN_TRUST_MALFORMED, 60, "revoked");
  expect_trust(good, 70, OSPOLICY_ERR_MODSIGN_TRUST_MALFORMED, 70, "floor");
  expect_trust(good, 82, OSPOLICY_ERR_MODSIGN_TRUST_MALFORMED, 82, "floor-name");
  expect_trust(MUTATE(size, 0), size + 1, OSPOLICY_ERR_MODSIGN_TRAILING_DATA, size, "end");
  /* The second floor renamed to the first: same kind and name twice. */
  memcpy(b, good, size);
  b[floor1] = 1;
  b[floor1 + 1] = 6;
  ck_assert_uint_eq(size, 107);
  uint8_t dup[120];
  memcpy(dup, b, floor1 + 16);
  memcpy(dup + floor1 + 16, "kernel", 6);
  expect_trust(dup, floor1 + 22, OSPOLICY_ERR_MODSIGN_DUPLICATE_FLOOR, floor1, "floor-name");
#undef MUTATE
  expect_trust(NULL, 0, OSPOLICY_ERR_NULL_ARGUMENT, 0, "trust-set");
  ck_assert_int_eq(OSPolicy_ParseModsignTrustSet(good, size, NULL), OSPOLICY_ERR_NULL_ARGUMENT);
}
END_TEST

/* Revoked ids are a sorted list: out of order or twice is refused. */
START_TEST(trust_set_revocation_list_is_sorted_and_unique) {
  OSPolicy_ModsignTrustSet t;
  memset(&t, 0, sizeof t);
  ck_assert_int_eq(OSPolicy_InitModsignTrustSet(&t), OSPOLICY_OK);
  uint8_t ids[3][8] = {{5}, {1}, {3}};
  for (size_t i = 0; i < 3; i++) {
    ck_assert_int_eq(OSPolicy_RevokeModsignKey(&t, ids[i]), OSPOLICY_OK);
  }
  ck_assert_uint_eq(t.revoked_count, 3);
  ck_assert_uint_eq(t.revoked[0][0], 1);
  ck_assert_uint_eq(t.revoked[1][0], 3);
  ck_assert_uint_eq(t.revoked[2][0], 5);
  uint8_t buf[OSPOLICY_MODSIGN_TRUST_MAX_SIZE];
  size_t size = encode_trust(&t, buf, sizeof buf);
  ck_assert_uint_eq(size, 16 + 3 * 8);
  uint8_t b[64];
  memcpy(b, buf, size);
  b[16 + 8] = 9; /* 1, 9, 5: out of order */
  expect_trust(b, size, OSPOLICY_ERR_MODSIGN_TRUST_MALFORMED, 32, "revoked");
  memcpy(b, buf, size);
  b[16 + 8] = 1; /* 1, 1, 5: twice */
  expect_trust(b, size, OSPOLICY_ERR_MODSIGN_DUPLICATE_KEY, 24, "revoked");
  /* A hand-edited set out of order is refused by the encoder too. */
  t.revoked[0][0] = 7;
  ck_assert_int_eq(OSPolicy_EncodeModsignTrustSet(&t, buf, sizeof buf, &size),
                   OSPOLICY_ERR_MODSIGN_TRUST_MALFORMED);
}
END_TEST

START_TEST(trust_editing_rules) {
  OSPolicy_ModsignTrustSet t = sample_trust();
  uint8_t id[8] = {1, 2, 3, 4, 5, 6, 7, 8}, pk[32] = {0};
  ck_assert_int_eq(OSPolicy_AddModsignKey(&t, id, pk), OSPOLICY_ERR_MODSIGN_DUPLICATE_KEY);
  id[0] = 9; /* revoked in sample_trust: revocation is permanent */
  ck_assert_int_eq(OSPolicy_AddModsignKey(&t, id, pk), OSPOLICY_DENIED_MODSIGN_REVOKED_KEY);
  ck_assert_int_eq(OSPolicy_RevokeModsignKey(&t, id), OSPOLICY_OK); /* idempotent */
  ck_assert_int_eq(OSPolicy_RaiseModsignFloor(&t, OSPOLICY_MODSIGN_KIND_KERNEL, "kernel", 6, 6),
                   OSPOLICY_DENIED_MODSIGN_FLOOR_LOWERED);
  ck_assert_uint_eq(OSPolicy_GetModsignFloor(&t, OSPOLICY_MODSIGN_KIND_KERNEL, "kernel", 6), 7);
  ck_assert_int_eq(OSPolicy_RaiseModsignFloor(&t, OSPOLICY_MODSIGN_KIND_KERNEL, "kernel", 6, 7),
                   OSPOLICY_OK);
  ck_assert_int_eq(OSPolicy_RaiseModsignFloor(&t, OSPOLICY_MODSIGN_KIND_KERNEL, "kernel", 6, 9),
                   OSPOLICY_OK);
  ck_assert_int_eq(OSPolicy_RaiseModsignFloor(&t, 0, "kernel", 6, 9),
                   OSPOLICY_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(OSPolicy_RaiseModsignFloor(&t, OSPOLICY_MODSIGN_KIND_DATA, "a b", 3, 9),
                   OSPOLICY_ERR_INVALID_ARGUMENT);
  /* Capacity: 8 keys, 32 floors. */
  for (uint8_t i = 0; t.key_count < OSPOLICY_MODSIGN_MAX_KEYS; i++) {
    uint8_t more[8] = {0xEE, i};
    uint8_t more_pk[32] = {0xEE, i};
    ck_assert_int_eq(OSPolicy_AddModsignKey(&t, more, more_pk), OSPOLICY_OK);
  }
  uint8_t extra[8] = {0xEF};
  ck_assert_int_eq(OSPolicy_AddModsignKey(&t, extra, pk), OSPOLICY_ERR_TOO_MANY);
  /* Revoking frees a slot: revocations live in their own list. */
  uint8_t first_more[8] = {0xEE, 0};
  ck_assert_int_eq(OSPolicy_RevokeModsignKey(&t, first_more), OSPOLICY_OK);
  ck_assert_uint_eq(t.key_count, OSPOLICY_MODSIGN_MAX_KEYS - 1);
  ck_assert_int_eq(OSPolicy_AddModsignKey(&t, extra, pk), OSPOLICY_OK);
  ck_assert_int_eq(OSPolicy_AddModsignKey(&t, first_more, pk), OSPOLICY_DENIED_MODSIGN_REVOKED_KEY);
  /* The revocation list holds 256 ids; a full list refuses and changes nothing. */
  for (unsigned i = 0; t.revoked_count < OSPOLICY_MODSIGN_MAX_REVOKED; i++) {
    uint8_t gone[8] = {0xD0, (uint8_t)(i >> 8), (uint8_t)i};
    ck_assert_int_eq(OSPolicy_RevokeModsignKey(&t, gone), OSPOLICY_OK);
  }
  uint32_t keys_before = t.key_count;
  ck_assert_int_eq(OSPolicy_RevokeModsignKey(&t, extra), OSPOLICY_ERR_TOO_MANY);
  ck_assert_uint_eq(t.key_count, keys_before);
  ck_assert(!OSPolicy_IsModsignKeyRevoked(&t, extra));
  for (unsigned i = 0; t.floor_count < OSPOLICY_MODSIGN_MAX_FLOORS; i++) {
    char name[8] = {'m', (char)('a' + i % 26), (char)('a' + i / 26)};
    ck_assert_int_eq(OSPolicy_RaiseModsignFloor(&t, OSPOLICY_MODSIGN_KIND_MODULE, name, 3, i),
                     OSPOLICY_OK);
  }
  ck_assert_int_eq(OSPolicy_RaiseModsignFloor(&t, OSPOLICY_MODSIGN_KIND_MODULE, "zz", 2, 1),
                   OSPOLICY_ERR_TOO_MANY);
  /* A full set still encodes within the documented maximum and parses back. */
  uint8_t buf[OSPOLICY_MODSIGN_TRUST_MAX_SIZE];
  size_t size = encode_trust(&t, buf, sizeof buf);
  OSPolicy_ModsignTrustSet p;
  memset(&p, 0, sizeof p);
  ck_assert_int_eq(OSPolicy_ParseModsignTrustSet(buf, size, &p), OSPOLICY_OK);
  ck_assert_uint_eq(p.key_count, 8);
  ck_assert_uint_eq(p.revoked_count, OSPOLICY_MODSIGN_MAX_REVOKED);
  ck_assert_uint_eq(p.floor_count, 32);
  ck_assert_uint_le(size, OSPOLICY_MODSIGN_TRUST_MAX_SIZE);
  /* A set that is not OK is refused by every editor. */
  OSPolicy_ModsignTrustSet zero;
  memset(&zero, 0, sizeof zero);
  ck_assert_int_eq(OSPolicy_AddModsignKey(&zero, id, pk), OSPOLICY_ERR_PLAN_NOT_OK);
  ck_assert_int_eq(OSPolicy_RevokeModsignKey(&zero, id), OSPOLICY_ERR_PLAN_NOT_OK);
  ck_assert_int_eq(OSPolicy_EnableModsignEnforcement(&zero), OSPOLICY_ERR_PLAN_NOT_OK);
  ck_assert_int_eq(OSPolicy_EncodeModsignTrustSet(&zero, buf, sizeof buf, &size),
                   OSPOLICY_ERR_PLAN_NOT_OK);
}
END_TEST

START_TEST(enforcement_only_goes_on) {
  OSPolicy_ModsignTrustSet t = sample_trust();
  uint8_t plain[OSPOLICY_MODSIGN_TRUST_MAX_SIZE];
  size_t plain_size = encode_trust(&t, plain, sizeof plain);
  ck_assert_uint_eq(plain[9], 0);
  ck_assert_int_eq(OSPolicy_EnableModsignEnforcement(&t), OSPOLICY_OK);
  ck_assert_uint_eq(t.enforce, 1);
  uint8_t enforcing[OSPOLICY_MODSIGN_TRUST_MAX_SIZE];
  ck_assert_uint_eq(encode_trust(&t, enforcing, sizeof enforcing), plain_size);
  ck_assert_uint_eq(enforcing[9], OSPOLICY_MODSIGN_TRUST_ENFORCE);
  /* Reloading a set that does not enforce keeps enforcement on... */
  ck_assert_int_eq(OSPolicy_ParseModsignTrustSet(plain, plain_size, &t), OSPOLICY_OK);
  ck_assert_uint_eq(t.enforce, 1);
  /* ...so does a failed reload (which also refuses everything) and re-initializing. */
  ck_assert_int_eq(OSPolicy_ParseModsignTrustSet(plain, 3, &t),
                   OSPOLICY_ERR_MODSIGN_TRUST_MALFORMED);
  ck_assert_uint_eq(t.enforce, 1);
  OSPolicy_ModsignTrustSet u = sample_trust();
  ck_assert_int_eq(OSPolicy_EnableModsignEnforcement(&u), OSPOLICY_OK);
  ck_assert_int_eq(OSPolicy_InitModsignTrustSet(&u), OSPOLICY_OK);
  ck_assert_uint_eq(u.enforce, 1);
  /* A file can switch it on for a fresh set. */
  OSPolicy_ModsignTrustSet fresh;
  memset(&fresh, 0, sizeof fresh);
  ck_assert_int_eq(OSPolicy_ParseModsignTrustSet(enforcing, plain_size, &fresh), OSPOLICY_OK);
  ck_assert_uint_eq(fresh.enforce, 1);
}
END_TEST

START_TEST(key_files_round_trip_and_reject) {
  test_key k = make_key(0x42);
  OSPolicy_ModsignKeyFile key;
  memset(&key, 0, sizeof key);
  memcpy(key.key_id, k.id, 8);
  memcpy(key.public_key, k.pk, 32);
  uint8_t pub[OSPOLICY_MODSIGN_PUBLIC_KEY_FILE_SIZE + 1];
  size_t size = 0;
  ck_assert_int_eq(OSPolicy_EncodeModsignKeyFile(&key, pub, sizeof pub, &size), OSPOLICY_OK);
  ck_assert_uint_eq(size, 56);
  ck_assert_mem_eq(pub, "OSPPUBK\n", 8);
  OSPolicy_ModsignKeyFile parsed;
  ck_assert_int_eq(OSPolicy_ParseModsignKeyFile(pub, size, &parsed), OSPOLICY_OK);
  ck_assert_uint_eq(parsed.is_secret, 0);
  ck_assert_mem_eq(parsed.public_key, k.pk, 32);
  ck_assert_mem_eq(parsed.key_id, k.id, 8);

  key.is_secret = 1;
  memcpy(key.secret_key, k.sk, 64);
  uint8_t sec[OSPOLICY_MODSIGN_SECRET_KEY_FILE_SIZE];
  ck_assert_int_eq(OSPolicy_EncodeModsignKeyFile(&key, sec, sizeof sec, &size), OSPOLICY_OK);
  ck_assert_uint_eq(size, 88);
  ck_assert_int_eq(OSPolicy_ParseModsignKeyFile(sec, size, &parsed), OSPOLICY_OK);
  ck_assert_uint_eq(parsed.is_secret, 1);
  ck_assert_mem_eq(parsed.secret_key, k.sk, 64);
  ck_assert_mem_eq(parsed.public_key, k.pk, 32);

  ck_assert_int_eq(OSPolicy_ParseModsignKeyFile(pub, 55, &parsed),
                   OSPOLICY_ERR_MODSIGN_KEY_MALFORMED);
  pub[56] = 0;
  ck_assert_int_eq(OSPolicy_ParseModsignKeyFile(pub, 57, &parsed),
                   OSPOLICY_ERR_MODSIGN_TRAILING_DATA);
  pub[9] = 7;
  ck_assert_int_eq(OSPolicy_ParseModsignKeyFile(pub, 56, &parsed),
                   OSPOLICY_ERR_MODSIGN_UNSUPPORTED_ALGORITHM);
  pub[9] = 1;
  pub[12] = 1;
  ck_assert_int_eq(OSPolicy_ParseModsignKeyFile(pub, 56, &parsed),
                   OSPOLICY_ERR_MODSIGN_KEY_MALFORMED);
  ck_assert_str_eq(OSPolicy_ModsignFieldName(parsed.error_field), "reserved");
  ck_assert_int_eq(OSPolicy_ParseModsignKeyFile(sec, 56, &parsed),
                   OSPOLICY_ERR_MODSIGN_KEY_MALFORMED); /* a secret key cut to public size */
  ck_assert_int_eq(OSPolicy_ParseModsignKeyFile((const uint8_t *)"OSPTRST\n", 8, &parsed),
                   OSPOLICY_ERR_MODSIGN_KEY_MALFORMED);
  sodium_memzero(&key, sizeof key);
}
END_TEST

/* Sealed secret keys: the layout only (the host tool does the cryptography). */
START_TEST(sealed_key_file_layout_and_limits) {
  test_key k = make_key(0x43);
  OSPolicy_ModsignKeyFile key;
  memset(&key, 0, sizeof key);
  key.is_secret = 1;
  key.is_sealed = 1;
  memcpy(key.key_id, k.id, 8);
  memcpy(key.public_key, k.pk, 32);
  key.opslimit = 2;
  key.memlimit = 64u << 20;
  memset(key.salt, 0x51, sizeof key.salt);
  memset(key.nonce, 0x4E, sizeof key.nonce);
  memset(key.ciphertext, 0xC1, sizeof key.ciphertext);
  uint8_t file[OSPOLICY_MODSIGN_SEALED_KEY_FILE_SIZE + 1];
  size_t size = 0;
  ck_assert_int_eq(OSPolicy_EncodeModsignKeyFile(&key, file, sizeof file, &size), OSPOLICY_OK);
  ck_assert_uint_eq(size, 160);
  ck_assert_mem_eq(file, "OSPSECE\n", 8);
  ck_assert_uint_eq(file[MODSIGN_SEALED_KDF], OSPOLICY_MODSIGN_KDF_ARGON2ID);
  ck_assert_mem_eq(file + MODSIGN_SEALED_KEY_ID, k.id, 8);
  ck_assert_mem_eq(file + MODSIGN_SEALED_PUBLIC, k.pk, 32);
  ck_assert_uint_eq(file[MODSIGN_SEALED_OPSLIMIT], 2);
  ck_assert_uint_eq(file[MODSIGN_SEALED_MEMLIMIT + 3], 4); /* 64 MiB, little-endian */
  ck_assert_uint_eq(file[MODSIGN_SEALED_CIPHERTEXT], 0xC1);
  OSPolicy_ModsignKeyFile parsed;
  ck_assert_int_eq(OSPolicy_ParseModsignKeyFile(file, size, &parsed), OSPOLICY_OK);
  ck_assert_uint_eq(parsed.is_secret, 1);
  ck_assert_uint_eq(parsed.is_sealed, 1);
  ck_assert_mem_eq(parsed.public_key, k.pk, 32);
  ck_assert_uint_eq(parsed.memlimit, 64u << 20);
  uint8_t zero[64] = {0};
  ck_assert_mem_eq(parsed.secret_key, zero, 64); /* nothing secret in the clear */
  uint8_t again[OSPOLICY_MODSIGN_SEALED_KEY_FILE_SIZE];
  ck_assert_int_eq(OSPolicy_EncodeModsignKeyFile(&parsed, again, sizeof again, &size),
                   OSPOLICY_OK);
  ck_assert_mem_eq(again, file, 160);
  /* Each malformation, with its field. */
  struct {
    size_t at;
    uint8_t value;
    OSPolicy_Status status;
    const char *field;
  } cases[] = {
      {MODSIGN_SEALED_KDF, 2, OSPOLICY_ERR_MODSIGN_KEY_MALFORMED, "kdf"},
      {MODSIGN_SEALED_RESERVED + 2, 1, OSPOLICY_ERR_MODSIGN_KEY_MALFORMED, "reserved"},
      {MODSIGN_SEALED_OPSLIMIT, 0, OSPOLICY_ERR_MODSIGN_KEY_MALFORMED, "opslimit"},
      {MODSIGN_SEALED_OPSLIMIT, 17, OSPOLICY_ERR_MODSIGN_KEY_MALFORMED, "opslimit"},
      {MODSIGN_SEALED_OPSLIMIT + 7, 1, OSPOLICY_ERR_MODSIGN_KEY_MALFORMED, "opslimit"},
      {MODSIGN_SEALED_MEMLIMIT + 4, 1, OSPOLICY_ERR_MODSIGN_KEY_MALFORMED, "memlimit"},
      {MODSIGN_KEYFILE_ALGORITHM, 2, OSPOLICY_ERR_MODSIGN_UNSUPPORTED_ALGORITHM, "algorithm"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    uint8_t b[161];
    memcpy(b, file, 160);
    b[cases[i].at] = cases[i].value;
    ck_assert_int_eq(OSPolicy_ParseModsignKeyFile(b, 160, &parsed), cases[i].status);
    ck_assert_str_eq(OSPolicy_ModsignFieldName(parsed.error_field), cases[i].field);
    ck_assert_uint_eq(parsed.is_sealed, 0);
  }
  ck_assert_int_eq(OSPolicy_ParseModsignKeyFile(file, 159, &parsed),
                   OSPOLICY_ERR_MODSIGN_KEY_MALFORMED);
  file[160] = 0;
  ck_assert_int_eq(OSPolicy_ParseModsignKeyFile(file, 161, &parsed),
                   OSPOLICY_ERR_MODSIGN_TRAILING_DATA);
  /* The encoder refuses limits the parser would refuse. */
  key.memlimit = (uint64_t)OSPOLICY_MODSIGN_SEALED_MEMLIMIT_MAX + 1u;
  ck_assert_int_eq(OSPolicy_EncodeModsignKeyFile(&key, file, sizeof file, &size),
                   OSPOLICY_ERR_INVALID_ARGUMENT);
}
END_TEST

/* ---- verification scenarios --------------------------------------------- */

START_TEST(signed_object_verifies_one_shot_and_streaming) {
  test_key k = make_key(1);
  OSPolicy_ModsignTrustSet trust = trust_with(&k, 1);
  signed_object s = sign_object(&k, OSPOLICY_MODSIGN_KIND_KERNEL, "kernel", 3, kernel_bytes,
                                sizeof kernel_bytes);
  OSPolicy_ModsignResult r;
  ck_assert_int_eq(verify(&trust, &s, OSPOLICY_MODSIGN_KIND_KERNEL, "kernel", kernel_bytes,
                          sizeof kernel_bytes, &r),
                   OSPOLICY_OK);
  ck_assert_uint_eq(r.object_bytes, sizeof kernel_bytes);
  ck_assert_uint_eq(r.envelope.generation, 3);
  ck_assert_mem_eq(r.envelope.key_id, k.id, 8);
  uint8_t digest[64]; /* BLAKE2b-512, unkeyed: what b2sum prints */
  crypto_generichash(digest, sizeof digest, kernel_bytes, sizeof kernel_bytes, NULL, 0);
  ck_assert_mem_eq(r.envelope.digest, digest, 64);

  /* Streaming in uneven chunks, including empty ones. */
  static const size_t chunks[] = {0, 1, 7, 0, 13, 2};
  OSPolicy_ModsignRequest req = {.envelope = s.envelope, .envelope_size = s.envelope_size,
                                 .kind = OSPOLICY_MODSIGN_KIND_KERNEL, .name = "kernel",
                                 .name_length = 6};
  OSPolicy_ModsignVerifier v;
  ck_assert_int_eq(OSPolicy_BeginModsignVerify(&v, &trust, &req), OSPOLICY_OK);
  size_t at = 0;
  for (size_t i = 0; i < sizeof chunks / sizeof chunks[0]; i++) {
    ck_assert_int_eq(OSPolicy_UpdateModsignVerify(&v, kernel_bytes + at, chunks[i]), OSPOLICY_OK);
    at += chunks[i];
  }
  ck_assert_int_eq(
      OSPolicy_UpdateModsignVerify(&v, kernel_bytes + at, sizeof kernel_bytes - at), OSPOLICY_OK);
  ck_assert_int_eq(OSPolicy_FinishModsignVerify(&v, &r), OSPOLICY_OK);
  ck_assert_int_eq(r.decision, OSPOLICY_DECISION_ALLOW);
  /* Finish wiped the verifier: it cannot be finished twice. */
  ck_assert_int_eq(v.status, OSPOLICY_STATUS_UNSET);
  ck_assert_int_eq(OSPolicy_UpdateModsignVerify(&v, "x", 1), OSPOLICY_ERR_PLAN_NOT_OK);
  ck_assert_int_eq(OSPolicy_FinishModsignVerify(&v, &r), OSPOLICY_ERR_PLAN_NOT_OK);
  ck_assert_int_eq(r.decision, OSPOLICY_DECISION_DENY);

  /* An empty object can be signed too. */
  signed_object empty = sign_object(&k, OSPOLICY_MODSIGN_KIND_DATA, "empty", 0, NULL, 0);
  ck_assert_int_eq(verify(&trust, &empty, OSPOLICY_MODSIGN_KIND_DATA, "empty", NULL, 0, NULL),
                   OSPOLICY_OK);
}
END_TEST

START_TEST(zero_results_and_unset_trust_are_not_success) {
  OSPolicy_ModsignResult r;
  memset(&r, 0, sizeof r);
  ck_assert_int_ne(r.status, OSPOLICY_OK);
  ck_assert_int_ne(r.decision, OSPOLICY_DECISION_ALLOW);
  OSPolicy_ModsignEnvelope e;
  memset(&e, 0, sizeof e);
  ck_assert_int_ne(e.status, OSPOLICY_OK);
  test_key k = make_key(1);
  signed_object s = sign_object(&k, OSPOLICY_MODSIGN_KIND_KERNEL, "kernel", 1, kernel_bytes,
                                sizeof kernel_bytes);
  OSPolicy_ModsignTrustSet zero;
  memset(&zero, 0, sizeof zero);
  ck_assert_int_eq(verify(&zero, &s, OSPOLICY_MODSIGN_KIND_KERNEL, "kernel", kernel_bytes,
                          sizeof kernel_bytes, &r),
                   OSPOLICY_ERR_PLAN_NOT_OK);
  ck_assert_int_eq(r.decision, OSPOLICY_DECISION_DENY);
  /* A trust set whose reload failed refuses everything, even its old keys. */
  OSPolicy_ModsignTrustSet trust = trust_with(&k, 1);
  ck_assert_int_eq(OSPolicy_ParseModsignTrustSet((const uint8_t *)"junk", 4, &trust),
                   OSPOLICY_ERR_MODSIGN_TRUST_MALFORMED);
  ck_assert_int_eq(verify(&trust, &s, OSPOLICY_MODSIGN_KIND_KERNEL, "kernel", kernel_bytes,
                          sizeof kernel_bytes, &r),
                   OSPOLICY_ERR_PLAN_NOT_OK);
  /* Caller mistakes. */
  trust = trust_with(&k, 1);
  ck_assert_int_eq(verify(&trust, &s, 0, "kernel", kernel_bytes, sizeof kernel_bytes, &r),
                   OSPOLICY_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(verify(&trust, &s, OSPOLICY_MODSIGN_KIND_KERNEL, "", kernel_bytes,
                          sizeof kernel_bytes, &r),
                   OSPOLICY_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(OSPolicy_VerifyModsign(&trust, NULL, kernel_bytes, 1, &r),
                   OSPOLICY_ERR_NULL_ARGUMENT);
  ck_assert_int_eq(OSPolicy_VerifyModsign(&trust, NULL, kernel_bytes, 1, NULL),
                   OSPOLICY_ERR_NULL_ARGUMENT);
}
END_TEST

START_TEST(unsigned_object_is_refused_when_enforcing_and_loads_unverified_otherwise) {
  test_key k = make_key(1);
  OSPolicy_ModsignTrustSet trust = trust_with(&k, 1);
  OSPolicy_ModsignResult r;
  ck_assert_int_eq(verify(&trust, NULL, OSPOLICY_MODSIGN_KIND_MODULE, "e1000", module_bytes,
                          sizeof module_bytes, &r),
                   OSPOLICY_DENIED_MODSIGN_NO_SIGNATURE);
  ck_assert_int_eq(r.decision, OSPOLICY_DECISION_ALLOW);
  ck_assert_uint_eq(r.enforcing, 0);
  ck_assert_int_eq(OSPolicy_EnableModsignEnforcement(&trust), OSPOLICY_OK);
  ck_assert_int_eq(verify(&trust, NULL, OSPOLICY_MODSIGN_KIND_MODULE, "e1000", module_bytes,
                          sizeof module_bytes, &r),
                   OSPOLICY_DENIED_MODSIGN_NO_SIGNATURE);
  ck_assert_int_eq(r.decision, OSPOLICY_DECISION_DENY);
  ck_assert_uint_eq(r.enforcing, 1);
}
END_TEST

START_TEST(unknown_key_is_reported_before_any_cryptography) {
  test_key a = make_key(1), b = make_key(2);
  OSPolicy_ModsignTrustSet trust = trust_with(&a, 1);
  signed_object s = sign_object(&b, OSPOLICY_MODSIGN_KIND_MODULE, "e1000", 1, module_bytes,
                                sizeof module_bytes);
  /* Garbage signature, wrong digest, wrong length: still "unknown key". */
  memset(s.envelope + s.envelope_size - 64, 0, 64);
  s.envelope[40] ^= 0xFF;
  OSPolicy_ModsignResult r;
  ck_assert_int_eq(verify(&trust, &s, OSPOLICY_MODSIGN_KIND_MODULE, "e1000", module_bytes, 3, &r),
                   OSPOLICY_DENIED_MODSIGN_UNKNOWN_KEY);
  ck_assert_uint_eq(r.error_offset, 16);
  ck_assert_str_eq(OSPolicy_ModsignFieldName(r.error_field), "key-id");
  ck_assert_int_eq(r.decision, OSPOLICY_DECISION_ALLOW); /* not enforcing: loads unverified */
  ck_assert_uint_eq(r.object_bytes, 0);                  /* nothing was hashed */
  ck_assert_int_eq(OSPolicy_EnableModsignEnforcement(&trust), OSPOLICY_OK);
  ck_assert_int_eq(verify(&trust, &s, OSPOLICY_MODSIGN_KIND_MODULE, "e1000", module_bytes, 3, &r),
                   OSPOLICY_DENIED_MODSIGN_UNKNOWN_KEY);
  ck_assert_int_eq(r.decision, OSPOLICY_DECISION_DENY);
}
END_TEST

START_TEST(failures_other_than_unsigned_or_unknown_key_deny_even_without_enforcement) {
  test_key k = make_key(1);
  OSPolicy_ModsignTrustSet trust = trust_with(&k, 1);
  signed_object s = sign_object(&k, OSPOLICY_MODSIGN_KIND_MODULE, "e1000", 1, module_bytes,
                                sizeof module_bytes);
  OSPolicy_ModsignResult r;
  signed_object bad = s;
  bad.envelope[0] = 'X';
  ck_assert_int_eq(verify(&trust, &bad, OSPOLICY_MODSIGN_KIND_MODULE, "e1000", module_bytes,
                          sizeof module_bytes, &r),
                   OSPOLICY_ERR_MODSIGN_MALFORMED);
  ck_assert_int_eq(r.decision, OSPOLICY_DECISION_DENY);
  ck_assert_int_eq(r.envelope.status, OSPOLICY_ERR_MODSIGN_MALFORMED);
  bad = s;
  bad.envelope[bad.envelope_size - 1] ^= 0x40;
  ck_assert_int_eq(verify(&trust, &bad, OSPOLICY_MODSIGN_KIND_MODULE, "e1000", module_bytes,
                          sizeof module_bytes, &r),
                   OSPOLICY_DENIED_MODSIGN_BAD_SIGNATURE);
  ck_assert_int_eq(r.decision, OSPOLICY_DECISION_DENY);
  ck_assert_uint_eq(r.error_offset, OSPOLICY_MODSIGN_STATEMENT_SIZE(5, 0));
  ck_assert_str_eq(OSPolicy_ModsignFieldName(r.error_field), "signature");
}
END_TEST

START_TEST(rotation_and_revocation_by_key) {
  test_key old_key = make_key(1), new_key = make_key(2);
  test_key both[2] = {old_key, new_key};
  OSPolicy_ModsignTrustSet trust = trust_with(both, 2);
  ck_assert_int_eq(OSPolicy_EnableModsignEnforcement(&trust), OSPOLICY_OK);
  signed_object by_old = sign_object(&old_key, OSPOLICY_MODSIGN_KIND_KERNEL, "kernel", 1,
                                     kernel_bytes, sizeof kernel_bytes);
  signed_object by_new = sign_object(&new_key, OSPOLICY_MODSIGN_KIND_KERNEL, "kernel", 1,
                                     kernel_bytes, sizeof kernel_bytes);
  /* During the rotation both keys are trusted. */
  ck_assert_int_eq(verify(&trust, &by_old, OSPOLICY_MODSIGN_KIND_KERNEL, "kernel", kernel_bytes,
                          sizeof kernel_bytes, NULL),
                   OSPOLICY_OK);
  ck_assert_int_eq(verify(&trust, &by_new, OSPOLICY_MODSIGN_KIND_KERNEL, "kernel", kernel_bytes,
                          sizeof kernel_bytes, NULL),
                   OSPOLICY_OK);
  /* The old key is revoked; its signatures stop working at once, the new key's do not. */
  ck_assert_int_eq(OSPolicy_RevokeModsignKey(&trust, old_key.id), OSPOLICY_OK);
  OSPolicy_ModsignResult r;
  ck_assert_int_eq(verify(&trust, &by_old, OSPOLICY_MODSIGN_KIND_KERNEL, "kernel", kernel_bytes,
                          sizeof kernel_bytes, &r),
                   OSPOLICY_DENIED_MODSIGN_REVOKED_KEY);
  ck_assert_int_eq(r.decision, OSPOLICY_DECISION_DENY);
  ck_assert_int_eq(verify(&trust, &by_new, OSPOLICY_MODSIGN_KIND_KERNEL, "kernel", kernel_bytes,
                          sizeof kernel_bytes, NULL),
                   OSPOLICY_OK);
  /* Revocation survives a save and reload; the revoked key cannot come back. */
  uint8_t buf[OSPOLICY_MODSIGN_TRUST_MAX_SIZE];
  size_t size = encode_trust(&trust, buf, sizeof buf);
  OSPolicy_ModsignTrustSet reloaded;
  memset(&reloaded, 0, sizeof reloaded);
  ck_assert_int_eq(OSPolicy_ParseModsignTrustSet(buf, size, &reloaded), OSPOLICY_OK);
  ck_assert_int_eq(verify(&reloaded, &by_old, OSPOLICY_MODSIGN_KIND_KERNEL, "kernel",
                          kernel_bytes, sizeof kernel_bytes, NULL),
                   OSPOLICY_DENIED_MODSIGN_REVOKED_KEY);
  ck_assert_int_eq(OSPolicy_AddModsignKey(&reloaded, old_key.id, old_key.pk),
                   OSPOLICY_DENIED_MODSIGN_REVOKED_KEY);
  /* Revoking a key the set has never seen works too (pre-emptive). */
  test_key third = make_key(3);
  ck_assert_int_eq(OSPolicy_RevokeModsignKey(&reloaded, third.id), OSPOLICY_OK);
  ck_assert_int_eq(OSPolicy_AddModsignKey(&reloaded, third.id, third.pk),
                   OSPOLICY_DENIED_MODSIGN_REVOKED_KEY);
}
END_TEST

START_TEST(revocation_by_generation) {
  test_key k = make_key(1);
  OSPolicy_ModsignTrustSet trust = trust_with(&k, 1);
  signed_object gen1 = sign_object(&k, OSPOLICY_MODSIGN_KIND_MODULE, "e1000", 1, module_bytes,
                                   sizeof module_bytes);
  signed_object gen2 = sign_object(&k, OSPOLICY_MODSIGN_KIND_MODULE, "e1000", 2, module_bytes,
                                   sizeof module_bytes);
  signed_object other = sign_object(&k, OSPOLICY_MODSIGN_KIND_MODULE, "virtio", 1, module_bytes,
                                    sizeof module_bytes);
  ck_assert_int_eq(OSPolicy_RaiseModsignFloor(&trust, OSPOLICY_MODSIGN_KIND_MODULE, "e1000", 5, 2),
                   OSPOLICY_OK);
  OSPolicy_ModsignResult r;
  ck_assert_int_eq(verify(&trust, &gen1, OSPOLICY_MODSIGN_KIND_MODULE, "e1000", module_bytes,
                          sizeof module_bytes, &r),
                   OSPOLICY_DENIED_MODSIGN_GENERATION);
  ck_assert_uint_eq(r.min_generation, 2);
  ck_assert_uint_eq(r.envelope.generation, 1);
  ck_assert_int_eq(r.decision, OSPOLICY_DECISION_DENY); /* even without enforcement */
  ck_assert_int_eq(verify(&trust, &gen2, OSPOLICY_MODSIGN_KIND_MODULE, "e1000", module_bytes,
                          sizeof module_bytes, &r),
                   OSPOLICY_OK);
  ck_assert_uint_eq(r.min_generation, 2);
  /* Floors are per kind and name: another module is unaffected... */
  ck_assert_int_eq(verify(&trust, &other, OSPOLICY_MODSIGN_KIND_MODULE, "virtio", module_bytes,
                          sizeof module_bytes, NULL),
                   OSPOLICY_OK);
  /* ...and a floor never goes down, so generation 1 stays revoked. */
  ck_assert_int_eq(OSPolicy_RaiseModsignFloor(&trust, OSPOLICY_MODSIGN_KIND_MODULE, "e1000", 5, 1),
                   OSPOLICY_DENIED_MODSIGN_FLOOR_LOWERED);
  /* Tampering with the generation in the envelope breaks the signature. */
  signed_object forged = gen1;
  forged.envelope[24] = 9;
  ck_assert_int_eq(verify(&trust, &forged, OSPOLICY_MODSIGN_KIND_MODULE, "e1000", module_bytes,
                          sizeof module_bytes, NULL),
                   OSPOLICY_DENIED_MODSIGN_BAD_SIGNATURE);
}
END_TEST

START_TEST(metadata_swap_fails) {
  test_key k = make_key(1);
  OSPolicy_ModsignTrustSet trust = trust_with(&k, 1);
  ck_assert_int_eq(OSPolicy_EnableModsignEnforcement(&trust), OSPOLICY_OK);
  uint8_t a[64], b[64];
  memset(a, 'a', sizeof a);
  memset(b, 'b', sizeof b);
  signed_object sa = sign_object(&k, OSPOLICY_MODSIGN_KIND_MODULE, "alpha", 1, a, sizeof a);
  signed_object sb = sign_object(&k, OSPOLICY_MODSIGN_KIND_MODULE, "bravo", 1, b, sizeof b);
  signed_object ka = sign_object(&k, OSPOLICY_MODSIGN_KIND_KERNEL, "alpha", 1, a, sizeof a);
  OSPolicy_ModsignResult r;
  /* B's valid envelope presented for A (object and name): wrong object. */
  ck_assert_int_eq(verify(&trust, &sb, OSPOLICY_MODSIGN_KIND_MODULE, "alpha", a, sizeof a, &r),
                   OSPOLICY_DENIED_MODSIGN_WRONG_OBJECT);
  ck_assert_str_eq(OSPolicy_ModsignFieldName(r.error_field), "name");
  /* B's envelope and B's bytes, loaded under A's name: still refused. */
  ck_assert_int_eq(verify(&trust, &sb, OSPOLICY_MODSIGN_KIND_MODULE, "alpha", b, sizeof b, NULL),
                   OSPOLICY_DENIED_MODSIGN_WRONG_OBJECT);
  /* A kernel signature does not load a module of the same name and bytes. */
  ck_assert_int_eq(verify(&trust, &ka, OSPOLICY_MODSIGN_KIND_MODULE, "alpha", a, sizeof a, &r),
                   OSPOLICY_DENIED_MODSIGN_WRONG_OBJECT);
  ck_assert_str_eq(OSPolicy_ModsignFieldName(r.error_field), "kind");
  /* A's envelope over B's bytes (same length): the digest says it is not A. */
  ck_assert_int_eq(verify(&trust, &sa, OSPOLICY_MODSIGN_KIND_MODULE, "alpha", b, sizeof b, NULL),
                   OSPOLICY_DENIED_MODSIGN_DIGEST_MISMATCH);
  /* A's statement with B's signature bytes: bad signature. */
  signed_object mixed = sa;
  memcpy(mixed.envelope + OSPOLICY_MODSIGN_STATEMENT_SIZE(5, 0),
         sb.envelope + OSPOLICY_MODSIGN_STATEMENT_SIZE(5, 0), 64);
  ck_assert_int_eq(verify(&trust, &mixed, OSPOLICY_MODSIGN_KIND_MODULE, "alpha", a, sizeof a,
                          NULL),
                   OSPOLICY_DENIED_MODSIGN_BAD_SIGNATURE);
  /* A's statement edited to say "bravo" (B's name, digest, length), A's signature. */
  signed_object renamed = sb;
  memcpy(renamed.envelope + OSPOLICY_MODSIGN_STATEMENT_SIZE(5, 0),
         sa.envelope + OSPOLICY_MODSIGN_STATEMENT_SIZE(5, 0), 64);
  ck_assert_int_eq(verify(&trust, &renamed, OSPOLICY_MODSIGN_KIND_MODULE, "bravo", b, sizeof b,
                          NULL),
                   OSPOLICY_DENIED_MODSIGN_BAD_SIGNATURE);
  /* Both originals still verify. */
  ck_assert_int_eq(verify(&trust, &sa, OSPOLICY_MODSIGN_KIND_MODULE, "alpha", a, sizeof a, NULL),
                   OSPOLICY_OK);
  ck_assert_int_eq(verify(&trust, &sb, OSPOLICY_MODSIGN_KIND_MODULE, "bravo", b, sizeof b, NULL),
                   OSPOLICY_OK);
}
END_TEST

START_TEST(truncated_and_padded_objects) {
  test_key k = make_key(1);
  OSPolicy_ModsignTrustSet trust = trust_with(&k, 1);
  signed_object s = sign_object(&k, OSPOLICY_MODSIGN_KIND_KERNEL, "kernel", 1, kernel_bytes,
                                sizeof kernel_bytes);
  OSPolicy_ModsignResult r;
  ck_assert_int_eq(verify(&trust, &s, OSPOLICY_MODSIGN_KIND_KERNEL, "kernel", kernel_bytes,
                          sizeof kernel_bytes - 1, &r),
                   OSPOLICY_ERR_MODSIGN_OBJECT_TRUNCATED);
  ck_assert_uint_eq(r.error_offset, sizeof kernel_bytes - 1);
  ck_assert_int_eq(r.decision, OSPOLICY_DECISION_DENY);
  uint8_t padded[sizeof kernel_bytes + 4];
  memcpy(padded, kernel_bytes, sizeof kernel_bytes);
  memset(padded + sizeof kernel_bytes, 0, 4);
  ck_assert_int_eq(verify(&trust, &s, OSPOLICY_MODSIGN_KIND_KERNEL, "kernel", padded,
                          sizeof padded, &r),
                   OSPOLICY_ERR_MODSIGN_TRAILING_DATA);
  ck_assert_uint_eq(r.error_offset, sizeof kernel_bytes);
  ck_assert_int_eq(r.decision, OSPOLICY_DECISION_DENY);
  /* Streaming: the chunk that goes past the declared length fails at once, and stays failed. */
  OSPolicy_ModsignRequest req = {.envelope = s.envelope, .envelope_size = s.envelope_size,
                                 .kind = OSPOLICY_MODSIGN_KIND_KERNEL, .name = "kernel",
                                 .name_length = 6};
  OSPolicy_ModsignVerifier v;
  ck_assert_int_eq(OSPolicy_BeginModsignVerify(&v, &trust, &req), OSPOLICY_OK);
  ck_assert_int_eq(OSPolicy_UpdateModsignVerify(&v, padded, sizeof kernel_bytes), OSPOLICY_OK);
  ck_assert_int_eq(OSPolicy_UpdateModsignVerify(&v, padded, 1),
                   OSPOLICY_ERR_MODSIGN_TRAILING_DATA);
  ck_assert_int_eq(OSPolicy_UpdateModsignVerify(&v, padded, 0),
                   OSPOLICY_ERR_MODSIGN_TRAILING_DATA);
  ck_assert_int_eq(OSPolicy_FinishModsignVerify(&v, &r), OSPOLICY_ERR_MODSIGN_TRAILING_DATA);
  /* Trailing garbage after the envelope itself. */
  signed_object longer = s;
  longer.envelope_size += 1;
  ck_assert_int_eq(verify(&trust, &longer, OSPOLICY_MODSIGN_KIND_KERNEL, "kernel", kernel_bytes,
                          sizeof kernel_bytes, &r),
                   OSPOLICY_ERR_MODSIGN_TRAILING_DATA);
  ck_assert_str_eq(OSPolicy_ModsignFieldName(r.error_field), "end");
  /* A modified byte (same length): digest mismatch. */
  memcpy(padded, kernel_bytes, sizeof kernel_bytes);
  padded[5] ^= 1;
  ck_assert_int_eq(verify(&trust, &s, OSPOLICY_MODSIGN_KIND_KERNEL, "kernel", padded,
                          sizeof kernel_bytes, &r),
                   OSPOLICY_DENIED_MODSIGN_DIGEST_MISMATCH);
}
END_TEST

START_TEST(signer_refuses_bad_requests) {
  test_key k = make_key(1);
  uint8_t out[OSPOLICY_MODSIGN_ENVELOPE_MAX_SIZE];
  size_t size = 0;
  OSPolicy_ModsignSignRequest req = {
      .kind = OSPOLICY_MODSIGN_KIND_MODULE, .name = "e1000", .name_length = 5, .generation = 1};
  ck_assert_int_eq(OSPolicy_SignModsign(k.sk, &req, module_bytes, sizeof module_bytes, NULL, 0,
                                        &size),
                   OSPOLICY_ERR_BUFFER_TOO_SMALL);
  ck_assert_uint_eq(size, 104 + 5 + 64);
  req.comment = "tab\there";
  req.comment_length = 8;
  ck_assert_int_eq(OSPolicy_SignModsign(k.sk, &req, module_bytes, sizeof module_bytes, out,
                                        sizeof out, &size),
                   OSPOLICY_ERR_INVALID_ARGUMENT);
  req.comment = NULL;
  req.comment_length = 1;
  ck_assert_int_eq(OSPolicy_SignModsign(k.sk, &req, module_bytes, sizeof module_bytes, out,
                                        sizeof out, &size),
                   OSPOLICY_ERR_INVALID_ARGUMENT);
  req.comment_length = 0;
  req.kind = 0;
  ck_assert_int_eq(OSPolicy_SignModsign(k.sk, &req, module_bytes, sizeof module_bytes, out,
                                        sizeof out, &size),
                   OSPOLICY_ERR_INVALID_ARGUMENT);
  req.kind = OSPOLICY_MODSIGN_KIND_MODULE;
  req.name = "e 1000";
  req.name_length = 6;
  ck_assert_int_eq(OSPolicy_SignModsign(k.sk, &req, module_bytes, sizeof module_bytes, out,
                                        sizeof out, &size),
                   OSPOLICY_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(OSPolicy_SignModsign(k.sk, &req, NULL, 5, out, sizeof out, &size),
                   OSPOLICY_ERR_NULL_ARGUMENT);
  /* The streaming signer refuses use out of order, and wipes itself. */
  OSPolicy_ModsignSigner signer;
  memset(&signer, 0, sizeof signer);
  ck_assert_int_eq(OSPolicy_UpdateModsignSign(&signer, "x", 1), OSPOLICY_ERR_PLAN_NOT_OK);
  req.name = "e1000";
  req.name_length = 5;
  ck_assert_int_eq(OSPolicy_FinishModsignSign(&signer, k.sk, &req, out, sizeof out, &size),
                   OSPOLICY_ERR_PLAN_NOT_OK);
  ck_assert_int_eq(OSPolicy_BeginModsignSign(&signer), OSPOLICY_OK);
  ck_assert_int_eq(OSPolicy_UpdateModsignSign(&signer, NULL, 1), OSPOLICY_ERR_NULL_ARGUMENT);
  ck_assert_int_eq(OSPolicy_FinishModsignSign(&signer, k.sk, &req, out, sizeof out, &size),
                   OSPOLICY_ERR_NULL_ARGUMENT);
  ck_assert_int_eq(signer.status, OSPOLICY_STATUS_UNSET);
}
END_TEST

/* The streaming signer in uneven chunks gives the one-shot signer's bytes
 * (Ed25519 is deterministic), with the trusted comment covered. */
START_TEST(streaming_signer_matches_one_shot_and_covers_the_comment) {
  test_key k = make_key(4);
  OSPolicy_ModsignSignRequest req = {.kind = OSPOLICY_MODSIGN_KIND_KERNEL,
                                     .name = "kernel",
                                     .name_length = 6,
                                     .generation = 9,
                                     .comment = "release 9",
                                     .comment_length = 9};
  uint8_t one[OSPOLICY_MODSIGN_ENVELOPE_MAX_SIZE], streamed[OSPOLICY_MODSIGN_ENVELOPE_MAX_SIZE];
  size_t one_size = 0, streamed_size = 0;
  ck_assert_int_eq(OSPolicy_SignModsign(k.sk, &req, kernel_bytes, sizeof kernel_bytes, one,
                                        sizeof one, &one_size),
                   OSPOLICY_OK);
  OSPolicy_ModsignSigner signer;
  ck_assert_int_eq(OSPolicy_BeginModsignSign(&signer), OSPOLICY_OK);
  static const size_t chunks[] = {0, 3, 1, 0, 11};
  size_t at = 0;
  for (size_t i = 0; i < sizeof chunks / sizeof chunks[0]; i++) {
    ck_assert_int_eq(OSPolicy_UpdateModsignSign(&signer, kernel_bytes + at, chunks[i]),
                     OSPOLICY_OK);
    at += chunks[i];
  }
  ck_assert_int_eq(
      OSPolicy_UpdateModsignSign(&signer, kernel_bytes + at, sizeof kernel_bytes - at),
      OSPOLICY_OK);
  ck_assert_int_eq(OSPolicy_FinishModsignSign(&signer, k.sk, &req, streamed, sizeof streamed,
                                              &streamed_size),
                   OSPOLICY_OK);
  ck_assert_uint_eq(streamed_size, one_size);
  ck_assert_mem_eq(streamed, one, one_size);
  ck_assert_int_eq(signer.status, OSPOLICY_STATUS_UNSET); /* wiped */
  /* The signature is pure Ed25519 over the statement. */
  size_t statement = OSPOLICY_MODSIGN_STATEMENT_SIZE(6, 9);
  ck_assert_int_eq(OSPolicy_VerifyEd25519(k.pk, one, statement, one + statement), OSPOLICY_OK);
  OSPolicy_ModsignTrustSet trust = trust_with(&k, 1);
  signed_object s;
  memcpy(s.envelope, one, one_size);
  s.envelope_size = one_size;
  OSPolicy_ModsignResult r;
  ck_assert_int_eq(verify(&trust, &s, OSPOLICY_MODSIGN_KIND_KERNEL, "kernel", kernel_bytes,
                          sizeof kernel_bytes, &r),
                   OSPOLICY_OK);
  ck_assert_str_eq(r.envelope.comment, "release 9");
  /* Every byte of the comment is signed. */
  for (size_t i = 0; i < 9; i++) {
    signed_object edited = s;
    edited.envelope[MODSIGN_ENV_NAME + 6 + i] ^= 0x01;
    ck_assert_int_eq(verify(&trust, &edited, OSPOLICY_MODSIGN_KIND_KERNEL, "kernel", kernel_bytes,
                            sizeof kernel_bytes, &r),
                     OSPOLICY_DENIED_MODSIGN_BAD_SIGNATURE);
    ck_assert_uint_eq(r.object_bytes, 0); /* refused before any object byte */
  }
}
END_TEST

/* ---- regressions: envelope read once, latch, key aliases, error order ---- */

START_TEST(envelope_is_read_once_so_a_concurrent_writer_changes_nothing) {
  test_key k = make_key(1);
  OSPolicy_ModsignTrustSet trust = trust_with(&k, 1);
  ck_assert_int_eq(OSPolicy_RaiseModsignFloor(&trust, OSPOLICY_MODSIGN_KIND_MODULE, "m", 1, 5),
                   OSPOLICY_OK);
  ck_assert_int_eq(OSPolicy_EnableModsignEnforcement(&trust), OSPOLICY_OK);
  /* An old module, signed at generation 1, below the floor 5. */
  signed_object old = sign_object(&k, OSPOLICY_MODSIGN_KIND_MODULE, "m", 1, module_bytes,
                                  sizeof module_bytes);
  OSPolicy_ModsignResult r;
  ck_assert_int_eq(verify(&trust, &old, OSPOLICY_MODSIGN_KIND_MODULE, "m", module_bytes,
                          sizeof module_bytes, &r),
                   OSPOLICY_DENIED_MODSIGN_GENERATION);
  /* The attacker shows generation 5 to the checks and writes 1 back before
   * the signature is checked: the verified statement is the checked copy (5),
   * which the signature (over 1) does not cover. Before the fix: ALLOW. */
  signed_object raced = old;
  raced.envelope[24] = 5;
  arm_race(raced.envelope, 24, 1);
  ck_assert_int_eq(verify(&trust, &raced, OSPOLICY_MODSIGN_KIND_MODULE, "m", module_bytes,
                          sizeof module_bytes, &r),
                   OSPOLICY_DENIED_MODSIGN_BAD_SIGNATURE);
  ck_assert_int_eq(race_fired, 1);
  ck_assert_uint_eq(raced.envelope[24], 1); /* the writer did write */
  ck_assert_int_eq(r.decision, OSPOLICY_DECISION_DENY);
  ck_assert_uint_eq(r.envelope.generation, 5); /* what was checked is what was verified */

  /* Structural: an honest envelope scribbled over in that window still
   * verifies, so the statement hashed is the copy the checks parsed, not the
   * caller's buffer read a second time. */
  signed_object good = sign_object(&k, OSPOLICY_MODSIGN_KIND_MODULE, "m", 7, module_bytes,
                                   sizeof module_bytes);
  for (size_t at = 0; at < OSPOLICY_MODSIGN_STATEMENT_SIZE(1, 0); at += 7) {
    signed_object copy = good;
    arm_race(copy.envelope, at, (uint8_t)(copy.envelope[at] ^ 0x5A));
    ck_assert_int_eq(verify(&trust, &copy, OSPOLICY_MODSIGN_KIND_MODULE, "m", module_bytes,
                            sizeof module_bytes, &r),
                     OSPOLICY_OK);
    ck_assert_int_eq(race_fired, 1);
  }

  /* After Begin, the caller's buffer is no longer read at all. */
  signed_object later = good;
  OSPolicy_ModsignRequest req = {.envelope = later.envelope, .envelope_size = later.envelope_size,
                                 .kind = OSPOLICY_MODSIGN_KIND_MODULE, .name = "m",
                                 .name_length = 1};
  OSPolicy_ModsignVerifier v;
  ck_assert_int_eq(OSPolicy_BeginModsignVerify(&v, &trust, &req), OSPOLICY_OK);
  memset(later.envelope, 0, sizeof later.envelope);
  ck_assert_int_eq(OSPolicy_UpdateModsignVerify(&v, module_bytes, sizeof module_bytes),
                   OSPOLICY_OK);
  ck_assert_int_eq(OSPolicy_FinishModsignVerify(&v, &r), OSPOLICY_OK);
  ck_assert_int_eq(r.decision, OSPOLICY_DECISION_ALLOW);
  ck_assert_uint_eq(r.envelope.generation, 7);

  /* Begin copies at most the largest envelope plus one byte; a longer one
   * gets the error a full parse gives (trailing data after the signature). */
  static uint8_t big[4096];
  memcpy(big, good.envelope, good.envelope_size);
  memset(big + good.envelope_size, 0xEE, sizeof big - good.envelope_size);
  OSPolicy_ModsignEnvelope e;
  ck_assert_int_eq(OSPolicy_ParseModsignEnvelope(big, sizeof big, &e),
                   OSPOLICY_ERR_MODSIGN_TRAILING_DATA);
  OSPolicy_ModsignRequest big_req = req;
  big_req.envelope = big;
  big_req.envelope_size = sizeof big;
  ck_assert_int_eq(OSPolicy_VerifyModsign(&trust, &big_req, module_bytes, sizeof module_bytes, &r),
                   OSPOLICY_ERR_MODSIGN_TRAILING_DATA);
  ck_assert_uint_eq(r.error_offset, e.error_offset);
  ck_assert_uint_eq(r.error_offset, good.envelope_size);
  ck_assert_str_eq(OSPolicy_ModsignFieldName(r.error_field), "end");
  big_req.envelope_size = OSPOLICY_MODSIGN_ENVELOPE_MAX_SIZE + 1u;
  ck_assert_int_eq(OSPolicy_VerifyModsign(&trust, &big_req, module_bytes, sizeof module_bytes, &r),
                   OSPOLICY_ERR_MODSIGN_TRAILING_DATA);
  ck_assert_uint_eq(r.error_offset, good.envelope_size);
  big_req.envelope = NULL;
  ck_assert_int_eq(OSPolicy_VerifyModsign(&trust, &big_req, module_bytes, sizeof module_bytes, &r),
                   OSPOLICY_ERR_NULL_ARGUMENT);
}
END_TEST

START_TEST(latch_survives_a_failed_reload_then_a_good_one) {
  /* The reviewer's sequence: enforcing set, reload with 3 bytes of junk
   * (fails), reload with a valid file that does not enforce. */
  uint8_t plain[OSPOLICY_MODSIGN_TRUST_MAX_SIZE];
  OSPolicy_ModsignTrustSet tmp;
  memset(&tmp, 0, sizeof tmp);
  ck_assert_int_eq(OSPolicy_InitModsignTrustSet(&tmp), OSPOLICY_OK);
  size_t plain_size = encode_trust(&tmp, plain, sizeof plain);
  ck_assert_uint_eq(plain[9], 0);
  static const uint8_t junk[3] = {1, 2, 3};

  OSPolicy_ModsignTrustSet t;
  memset(&t, 0, sizeof t);
  ck_assert_int_eq(OSPolicy_InitModsignTrustSet(&t), OSPOLICY_OK);
  ck_assert_int_eq(OSPolicy_EnableModsignEnforcement(&t), OSPOLICY_OK);
  ck_assert_int_eq(OSPolicy_ParseModsignTrustSet(junk, sizeof junk, &t),
                   OSPOLICY_ERR_MODSIGN_TRUST_MALFORMED);
  ck_assert_uint_eq(t.enforce, 1);
  ck_assert_int_eq(OSPolicy_ParseModsignTrustSet(plain, plain_size, &t), OSPOLICY_OK);
  ck_assert_uint_eq(t.enforce, 1);
  /* Two failures in a row, then the good file. */
  ck_assert_int_eq(OSPolicy_ParseModsignTrustSet(junk, sizeof junk, &t),
                   OSPOLICY_ERR_MODSIGN_TRUST_MALFORMED);
  ck_assert_int_eq(OSPolicy_ParseModsignTrustSet(NULL, 0, &t), OSPOLICY_ERR_NULL_ARGUMENT);
  ck_assert_uint_eq(t.enforce, 1);
  ck_assert_int_eq(OSPolicy_ParseModsignTrustSet(plain, plain_size, &t), OSPOLICY_OK);
  ck_assert_uint_eq(t.enforce, 1);
  /* And an unsigned module is still refused. */
  OSPolicy_ModsignResult r;
  ck_assert_int_eq(verify(&t, NULL, OSPOLICY_MODSIGN_KIND_MODULE, "m", module_bytes,
                          sizeof module_bytes, &r),
                   OSPOLICY_DENIED_MODSIGN_NO_SIGNATURE);
  ck_assert_int_eq(r.decision, OSPOLICY_DECISION_DENY);
  ck_assert_uint_eq(r.enforcing, 1);
  /* The encoded set says so too. */
  uint8_t again[OSPOLICY_MODSIGN_TRUST_MAX_SIZE];
  (void)encode_trust(&t, again, sizeof again);
  ck_assert_uint_eq(again[9], OSPOLICY_MODSIGN_TRUST_ENFORCE);
}
END_TEST

START_TEST(latch_survives_init_after_a_failed_parse) {
  OSPolicy_ModsignTrustSet t;
  memset(&t, 0, sizeof t);
  ck_assert_int_eq(OSPolicy_InitModsignTrustSet(&t), OSPOLICY_OK);
  ck_assert_int_eq(OSPolicy_EnableModsignEnforcement(&t), OSPOLICY_OK);
  ck_assert_int_eq(OSPolicy_ParseModsignTrustSet((const uint8_t *)"junk", 4, &t),
                   OSPOLICY_ERR_MODSIGN_TRUST_MALFORMED);
  ck_assert_int_ne(t.status, OSPOLICY_OK);
  ck_assert_uint_eq(t.enforce, 1);
  ck_assert_int_eq(OSPolicy_InitModsignTrustSet(&t), OSPOLICY_OK);
  ck_assert_int_eq(t.status, OSPOLICY_OK);
  ck_assert_uint_eq(t.enforce, 1);
  OSPolicy_ModsignResult r;
  ck_assert_int_eq(verify(&t, NULL, OSPOLICY_MODSIGN_KIND_MODULE, "m", module_bytes,
                          sizeof module_bytes, &r),
                   OSPOLICY_DENIED_MODSIGN_NO_SIGNATURE);
  ck_assert_int_eq(r.decision, OSPOLICY_DECISION_DENY);
  /* Whatever the status: a set with the latch on and any status keeps it
   * through Init (garbage in `enforce` counts as on: fail closed). */
  OSPolicy_ModsignTrustSet odd;
  memset(&odd, 0, sizeof odd);
  odd.status = OSPOLICY_STATUS_UNSET;
  odd.enforce = 1;
  ck_assert_int_eq(OSPolicy_InitModsignTrustSet(&odd), OSPOLICY_OK);
  ck_assert_uint_eq(odd.enforce, 1);
  odd.status = OSPOLICY_ERR_MODSIGN_DUPLICATE_KEY;
  odd.enforce = 0xA5A5A5A5u;
  ck_assert_int_eq(OSPolicy_InitModsignTrustSet(&odd), OSPOLICY_OK);
  ck_assert_uint_eq(odd.enforce, 1);
  /* A zero-filled set starts without enforcement. */
  OSPolicy_ModsignTrustSet fresh;
  memset(&fresh, 0, sizeof fresh);
  ck_assert_int_eq(OSPolicy_InitModsignTrustSet(&fresh), OSPOLICY_OK);
  ck_assert_uint_eq(fresh.enforce, 0);
}
END_TEST

START_TEST(a_public_key_is_trusted_under_one_id_only) {
  test_key k = make_key(1), other = make_key(2);
  static const uint8_t alias[8] = {'a', 'l', 'i', 'a', 's', 0, 0, 0};
  /* Editing: the same key under a second id is refused. */
  OSPolicy_ModsignTrustSet t = trust_with(&k, 1);
  ck_assert_int_eq(OSPolicy_AddModsignKey(&t, alias, k.pk),
                   OSPOLICY_ERR_MODSIGN_DUPLICATE_PUBLIC_KEY);
  ck_assert_uint_eq(t.key_count, 1);
  ck_assert_int_eq(OSPolicy_AddModsignKey(&t, other.id, other.pk), OSPOLICY_OK);
  /* Ids revoked before their key was seen take no key slot. */
  uint8_t pre[8] = {0xC0};
  ck_assert_int_eq(OSPolicy_RevokeModsignKey(&t, pre), OSPOLICY_OK);
  pre[0] = 0xC1;
  ck_assert_int_eq(OSPolicy_RevokeModsignKey(&t, pre), OSPOLICY_OK);
  ck_assert_uint_eq(t.key_count, 2);
  uint8_t buf[OSPOLICY_MODSIGN_TRUST_MAX_SIZE];
  size_t size = encode_trust(&t, buf, sizeof buf);
  ck_assert_uint_eq(size, 16 + 2 * 40 + 2 * 8);

  /* Parsing: a file with one public key under two ids is refused, at the
   * second key's public-key field. */
  uint8_t dup[OSPOLICY_MODSIGN_TRUST_MAX_SIZE];
  memcpy(dup, buf, size);
  memcpy(dup + 16 + 40 + MODSIGN_KEY_PUBLIC, k.pk, 32); /* key 1 (other.id) now holds k's key */
  expect_trust(dup, size, OSPOLICY_ERR_MODSIGN_DUPLICATE_PUBLIC_KEY, 16 + 40 + MODSIGN_KEY_PUBLIC,
               "public-key");
  /* Encoding: a set edited by hand the same way is refused. */
  OSPolicy_ModsignTrustSet hand = t;
  memcpy(hand.keys[1].public_key, k.pk, 32);
  size_t n = 0;
  ck_assert_int_eq(OSPolicy_EncodeModsignTrustSet(&hand, buf, sizeof buf, &n),
                   OSPOLICY_ERR_MODSIGN_DUPLICATE_PUBLIC_KEY);
  /* An active key whose id is also revoked: refused by parser and encoder. */
  hand = t;
  memcpy(hand.revoked[0], hand.keys[0].key_id, 8);
  ck_assert_int_eq(OSPolicy_EncodeModsignTrustSet(&hand, buf, sizeof buf, &n),
                   OSPOLICY_ERR_MODSIGN_DUPLICATE_KEY);
}
END_TEST

START_TEST(key_ids_must_be_derived_from_their_keys) {
  /* The reviewer's bypass: K revoked by its id H(K), and K trusted again
   * under an alias id (the core cannot hash, and a revoked key leaves the
   * set, so the core cannot refuse the alias). Signatures naming the alias
   * must not verify: the verifier derives the id from the key it found. */
  test_key k = make_key(1);
  static const uint8_t alias[8] = {'a', 'l', 'i', 'a', 's', 0, 0, 0};
  OSPolicy_ModsignTrustSet t;
  memset(&t, 0, sizeof t);
  ck_assert_int_eq(OSPolicy_InitModsignTrustSet(&t), OSPOLICY_OK);
  ck_assert_int_eq(OSPolicy_RevokeModsignKey(&t, k.id), OSPOLICY_OK);
  ck_assert_int_eq(OSPolicy_AddModsignKey(&t, alias, k.pk), OSPOLICY_OK);
  size_t bad = 99;
  ck_assert_int_eq(OSPolicy_CheckModsignKeyIds(&t, &bad), OSPOLICY_ERR_MODSIGN_KEY_ID_MISMATCH);
  ck_assert_uint_eq(bad, 0);

  /* An envelope naming the alias, validly signed by K. */
  OSPolicy_ModsignEnvelope f;
  memset(&f, 0, sizeof f);
  f.version = OSPOLICY_MODSIGN_VERSION;
  f.algorithm = OSPOLICY_MODSIGN_ALG_ED25519_BLAKE2B;
  f.kind = OSPOLICY_MODSIGN_KIND_MODULE;
  f.name_length = 1;
  f.name[0] = 'm';
  memcpy(f.key_id, alias, 8);
  f.generation = 1;
  f.object_size = sizeof module_bytes;
  crypto_generichash(f.digest, 64, module_bytes, sizeof module_bytes, NULL, 0);
  signed_object s;
  memset(&s, 0, sizeof s);
  ck_assert_int_eq(OSPolicy_EncodeModsignEnvelope(&f, s.envelope, sizeof s.envelope,
                                                  &s.envelope_size),
                   OSPOLICY_OK);
  size_t statement = OSPOLICY_MODSIGN_STATEMENT_SIZE(1, 0);
  ck_assert_int_eq(
      crypto_sign_detached(s.envelope + statement, NULL, s.envelope, statement, k.sk), 0);
  /* The signature itself is good (checked with the raw API)... */
  ck_assert_int_eq(OSPolicy_VerifyEd25519(k.pk, s.envelope, statement, s.envelope + statement),
                   OSPOLICY_OK);
  /* ...but the verifier refuses the alias, enforcing or not. */
  OSPolicy_ModsignResult r;
  ck_assert_int_eq(verify(&t, &s, OSPOLICY_MODSIGN_KIND_MODULE, "m", module_bytes,
                          sizeof module_bytes, &r),
                   OSPOLICY_ERR_MODSIGN_KEY_ID_MISMATCH);
  ck_assert_int_eq(r.decision, OSPOLICY_DECISION_DENY);
  ck_assert_uint_eq(r.error_offset, 16);
  ck_assert_str_eq(OSPolicy_ModsignFieldName(r.error_field), "key-id");
  ck_assert_uint_eq(r.object_bytes, 0);
  ck_assert_int_eq(OSPolicy_EnableModsignEnforcement(&t), OSPOLICY_OK);
  ck_assert_int_eq(verify(&t, &s, OSPOLICY_MODSIGN_KIND_MODULE, "m", module_bytes,
                          sizeof module_bytes, &r),
                   OSPOLICY_ERR_MODSIGN_KEY_ID_MISMATCH);
  ck_assert_int_eq(r.decision, OSPOLICY_DECISION_DENY);
  /* The same key signing under its own (revoked) id is refused as revoked. */
  signed_object own = sign_object(&k, OSPOLICY_MODSIGN_KIND_MODULE, "m", 1, module_bytes,
                                  sizeof module_bytes);
  ck_assert_int_eq(verify(&t, &own, OSPOLICY_MODSIGN_KIND_MODULE, "m", module_bytes,
                          sizeof module_bytes, NULL),
                   OSPOLICY_DENIED_MODSIGN_REVOKED_KEY);

  /* A set whose ids are all derived (active keys; revoked ids carry no
   * key) passes the check; arguments are checked. */
  test_key a = make_key(2), b = make_key(3), c = make_key(4);
  test_key ab[2] = {a, b};
  OSPolicy_ModsignTrustSet good = trust_with(ab, 2);
  ck_assert_int_eq(OSPolicy_RevokeModsignKey(&good, b.id), OSPOLICY_OK);
  ck_assert_int_eq(OSPolicy_RevokeModsignKey(&good, c.id), OSPOLICY_OK);
  bad = 99;
  ck_assert_int_eq(OSPolicy_CheckModsignKeyIds(&good, &bad), OSPOLICY_OK);
  ck_assert_uint_eq(bad, 0);
  ck_assert_int_eq(OSPolicy_CheckModsignKeyIds(&good, NULL), OSPOLICY_OK);
  ck_assert_int_eq(OSPolicy_CheckModsignKeyIds(NULL, &bad), OSPOLICY_ERR_NULL_ARGUMENT);
  OSPolicy_ModsignTrustSet zero;
  memset(&zero, 0, sizeof zero);
  ck_assert_int_eq(OSPolicy_CheckModsignKeyIds(&zero, NULL), OSPOLICY_ERR_PLAN_NOT_OK);
  /* An active key must carry its own id. */
  good.keys[0].key_id[7] ^= 1;
  ck_assert_int_eq(OSPolicy_CheckModsignKeyIds(&good, &bad), OSPOLICY_ERR_MODSIGN_KEY_ID_MISMATCH);
  ck_assert_uint_eq(bad, 0);
  /* A trust-set file with a non-derived id parses (no hashing in the core)
   * and is then found by the check. */
  uint8_t buf[OSPOLICY_MODSIGN_TRUST_MAX_SIZE];
  OSPolicy_ModsignTrustSet one = trust_with(&a, 1);
  size_t size = encode_trust(&one, buf, sizeof buf);
  buf[16] ^= 0xFF;
  OSPolicy_ModsignTrustSet parsed;
  memset(&parsed, 0, sizeof parsed);
  ck_assert_int_eq(OSPolicy_ParseModsignTrustSet(buf, size, &parsed), OSPOLICY_OK);
  ck_assert_int_eq(OSPolicy_CheckModsignKeyIds(&parsed, &bad),
                   OSPOLICY_ERR_MODSIGN_KEY_ID_MISMATCH);
  ck_assert_uint_eq(bad, 0);
}
END_TEST

START_TEST(envelope_algorithm_is_checked_before_kind_name_and_reserved) {
  uint8_t good[400];
  size_t size = encode_sample(good, sizeof good);
  uint8_t b[400];
  const size_t alg = MODSIGN_ENV_ALGORITHM;
  /* docs/modsign.md and modsign.h: magic, version, then the algorithm, then
   * the fields whose layout it governs. */
  memcpy(b, good, size); b[alg] = 3; b[MODSIGN_ENV_KIND] = 9;
  expect_envelope(b, size, OSPOLICY_ERR_MODSIGN_UNSUPPORTED_ALGORITHM, alg, "algorithm");
  memcpy(b, good, size); b[alg] = 3; b[MODSIGN_ENV_NAME_LENGTH] = 0;
  expect_envelope(b, size, OSPOLICY_ERR_MODSIGN_UNSUPPORTED_ALGORITHM, alg, "algorithm");
  memcpy(b, good, size); b[alg] = 3; b[MODSIGN_ENV_COMMENT_LENGTH] = 200;
  expect_envelope(b, size, OSPOLICY_ERR_MODSIGN_UNSUPPORTED_ALGORITHM, alg, "algorithm");
  memcpy(b, good, size); b[alg] = 3; b[MODSIGN_ENV_RESERVED] = 1;
  expect_envelope(b, size, OSPOLICY_ERR_MODSIGN_UNSUPPORTED_ALGORITHM, alg, "algorithm");
  memcpy(b, good, size); b[alg] = 3; b[MODSIGN_ENV_NAME] = '/';
  expect_envelope(b, size, OSPOLICY_ERR_MODSIGN_UNSUPPORTED_ALGORITHM, alg, "algorithm");
  /* ...but after the magic and the version. */
  memcpy(b, good, size); b[MODSIGN_ENV_VERSION] = 7; b[alg] = 3;
  expect_envelope(b, size, OSPOLICY_ERR_MODSIGN_MALFORMED, MODSIGN_ENV_VERSION, "version");
  memcpy(b, good, size); b[0] = 'x'; b[alg] = 3;
  expect_envelope(b, size, OSPOLICY_ERR_MODSIGN_MALFORMED, 0, "magic");
  /* With a supported algorithm, kind 9 is malformed. */
  memcpy(b, good, size); b[MODSIGN_ENV_KIND] = 9;
  expect_envelope(b, size, OSPOLICY_ERR_MODSIGN_MALFORMED, MODSIGN_ENV_KIND, "kind");
}
END_TEST

/* ---- regression: the trust-set parser reads its input once ---------------
 * A read tracer: the input lies alone on PROT_NONE pages, so every load from
 * it faults; the handler records the address, opens the pages and sets the
 * trap flag, the instruction runs once, and the single-step trap closes the
 * pages again. The parser must walk its input forward: a second pass (the
 * old validate-then-fill) or a look back at earlier entries (the old
 * duplicate check) jumps back by more than one entry. */
#define TRACE_MAX 4096u
static uint8_t *trace_pages;
static size_t trace_map_size;
static size_t trace_offsets[TRACE_MAX];
static size_t trace_count;

static void trace_segv(int sig, siginfo_t *info, void *context) {
  (void)sig;
  uint8_t *at = info->si_addr;
  if (at < trace_pages || at >= trace_pages + trace_map_size) {
    signal(SIGSEGV, SIG_DFL); /* a real fault: let it crash the test */
    return;
  }
  if (trace_count < TRACE_MAX) {
    trace_offsets[trace_count++] = (size_t)(at - trace_pages);
  }
  mprotect(trace_pages, trace_map_size, PROT_READ);
  ((ucontext_t *)context)->uc_mcontext.gregs[REG_EFL] |= 0x100; /* TF */
}

static void trace_trap(int sig, siginfo_t *info, void *context) {
  (void)sig;
  (void)info;
  mprotect(trace_pages, trace_map_size, PROT_NONE);
  ((ucontext_t *)context)->uc_mcontext.gregs[REG_EFL] &= ~(greg_t)0x100;
}

START_TEST(trust_set_parser_reads_its_input_once_forward) {
  /* A set with several keys, revocations and floors (over 400 bytes). */
  OSPolicy_ModsignTrustSet t;
  memset(&t, 0, sizeof t);
  ck_assert_int_eq(OSPolicy_InitModsignTrustSet(&t), OSPOLICY_OK);
  for (uint8_t i = 0; i < 6; i++) {
    test_key k = make_key((uint8_t)(0x30 + i));
    ck_assert_int_eq(OSPolicy_AddModsignKey(&t, k.id, k.pk), OSPOLICY_OK);
  }
  for (uint8_t i = 0; i < 10; i++) {
    uint8_t id[8] = {0x90, i};
    ck_assert_int_eq(OSPolicy_RevokeModsignKey(&t, id), OSPOLICY_OK);
  }
  for (unsigned i = 0; i < 6; i++) {
    char name[16];
    snprintf(name, sizeof name, "module-%u", i);
    ck_assert_int_eq(
        OSPolicy_RaiseModsignFloor(&t, OSPOLICY_MODSIGN_KIND_MODULE, name, strlen(name), i + 1u),
        OSPOLICY_OK);
  }
  uint8_t bytes[OSPOLICY_MODSIGN_TRUST_MAX_SIZE];
  size_t size = encode_trust(&t, bytes, sizeof bytes);
  ck_assert_uint_gt(size, 400);

  long page = sysconf(_SC_PAGESIZE);
  trace_map_size = ((size + (size_t)page - 1u) / (size_t)page) * (size_t)page;
  trace_pages = mmap(NULL, trace_map_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                     -1, 0);
  ck_assert_ptr_ne(trace_pages, MAP_FAILED);
  memcpy(trace_pages, bytes, size);
  struct sigaction segv = {0}, trap = {0};
  segv.sa_sigaction = trace_segv;
  segv.sa_flags = SA_SIGINFO;
  trap.sa_sigaction = trace_trap;
  trap.sa_flags = SA_SIGINFO;
  ck_assert_int_eq(sigaction(SIGSEGV, &segv, NULL), 0);
  ck_assert_int_eq(sigaction(SIGTRAP, &trap, NULL), 0);
  trace_count = 0;
  OSPolicy_ModsignTrustSet parsed;
  memset(&parsed, 0, sizeof parsed);
  ck_assert_int_eq(mprotect(trace_pages, trace_map_size, PROT_NONE), 0);
  OSPolicy_Status status = OSPolicy_ParseModsignTrustSet(trace_pages, size, &parsed);
  ck_assert_int_eq(mprotect(trace_pages, trace_map_size, PROT_READ), 0);
  signal(SIGSEGV, SIG_DFL);
  signal(SIGTRAP, SIG_DFL);
  ck_assert_int_eq(status, OSPOLICY_OK);
  ck_assert_uint_eq(parsed.key_count, 6);
  ck_assert_uint_eq(parsed.revoked_count, 10);
  ck_assert_uint_eq(parsed.floor_count, 6);
  /* The tracer saw the reads (it is not vacuous)... */
  ck_assert_uint_gt(trace_count, 20);
  ck_assert_uint_lt(trace_count, TRACE_MAX);
  ck_assert_uint_eq(trace_offsets[0], 0);
  /* ...and the parser never went back by more than one memcpy's tail
   * (an overlapping vector load, at most 64 bytes): no second pass, no
   * look back at earlier entries. */
  size_t furthest = 0;
  for (size_t i = 0; i < trace_count; i++) {
    if (trace_offsets[i] + 64u < furthest) {
      ck_abort_msg("read %zu at offset %zu after offset %zu: the input is read again", i,
                   trace_offsets[i], furthest);
    }
    if (trace_offsets[i] > furthest) {
      furthest = trace_offsets[i];
    }
  }
  ck_assert_uint_gt(furthest, size - 64u); /* it did read to the end */
  munmap(trace_pages, trace_map_size);
}
END_TEST

/* ---- text form: Wycheproof-style vectors ---------------------------------- */

static size_t unescape(const char *text, size_t length, uint8_t *out, size_t capacity) {
  size_t n = 0;
  for (size_t i = 0; i < length; i++) {
    uint8_t c = (uint8_t)text[i];
    if (c == '\\') {
      ck_assert_uint_lt(i + 1, length);
      char e = text[++i];
      if (e == 'n') {
        c = '\n';
      } else if (e == 't') {
        c = '\t';
      } else if (e == '\\') {
        c = '\\';
      } else {
        ck_assert_int_eq(e, 'x');
        ck_assert_uint_lt(i + 2, length);
        unsigned v = 0;
        ck_assert_int_eq(sscanf(text + i + 1, "%2x", &v), 1);
        c = (uint8_t)v;
        i += 2;
      }
    }
    ck_assert_uint_lt(n, capacity);
    out[n++] = c;
  }
  return n;
}

START_TEST(text_form_vectors) {
  FILE *file = fopen(OSPOLICY_TEST_DATA_DIR "/modsign_text_vectors.txt", "r");
  ck_assert_ptr_nonnull(file);
  char line[4096];
  unsigned vectors = 0, valid = 0;
  while (fgets(line, sizeof line, file) != NULL) {
    if (line[0] == '#' || line[0] == '\n') {
      continue;
    }
    char *fields[9];
    char *cursor = line;
    for (size_t f = 0; f < 9; f++) {
      fields[f] = cursor;
      char *bar = strchr(cursor, f < 8 ? '|' : '\n');
      ck_assert_msg(bar != NULL, "vector line has fewer than 9 fields: %s", line);
      *bar = '\0';
      cursor = bar + 1;
    }
    uint8_t input[2048], out[64];
    size_t input_size = unescape(fields[5], strlen(fields[5]), input, sizeof input);
    OSPolicy_ModsignText r;
    memset(&r, 0x5A, sizeof r);
    OSPolicy_Status status = OSPolicy_DecodeModsignText(input, input_size, out, sizeof out, &r);
    ck_assert_msg(strcmp(OSPolicy_StatusName(status), fields[2]) == 0,
                  "tcId %s (%s): status %s, expected %s", fields[0], fields[8],
                  OSPolicy_StatusName(status), fields[2]);
    ck_assert_int_eq(r.status, status);
    if (strcmp(fields[1], "valid") == 0) {
      ck_assert_int_eq(status, OSPOLICY_OK);
      uint8_t payload[64];
      size_t payload_size = strlen(fields[6]) / 2;
      unhex(fields[6], payload, payload_size);
      ck_assert_uint_eq(r.payload_size, payload_size);
      ck_assert_mem_eq(out, payload, payload_size);
      /* One encoding: re-encoding gives the same bytes. */
      uint8_t again[2048];
      size_t again_size = 0;
      ck_assert_int_eq(OSPolicy_EncodeModsignText((const char *)input + r.comment_offset,
                                                  r.comment_length, out, r.payload_size, again,
                                                  sizeof again, &again_size),
                       OSPOLICY_OK);
      ck_assert_uint_eq(again_size, input_size);
      ck_assert_mem_eq(again, input, input_size);
      valid++;
    } else {
      ck_assert_str_eq(fields[1], "invalid");
      ck_assert_msg(strcmp(OSPolicy_ModsignFieldName(r.error_field), fields[3]) == 0,
                    "tcId %s (%s): field %s, expected %s", fields[0], fields[8],
                    OSPolicy_ModsignFieldName(r.error_field), fields[3]);
      ck_assert_msg(r.error_offset == strtoul(fields[4], NULL, 10),
                    "tcId %s (%s): offset %zu, expected %s", fields[0], fields[8],
                    r.error_offset, fields[4]);
      ck_assert_uint_eq(r.payload_size, 0);
    }
    vectors++;
  }
  fclose(file);
  ck_assert_uint_ge(vectors, 30); /* the file was read, all of it */
  ck_assert_uint_ge(valid, 4);
}
END_TEST

START_TEST(text_form_round_trips_keys_and_envelopes) {
  test_key k = make_key(7);
  signed_object s = sign_object(&k, OSPOLICY_MODSIGN_KIND_MODULE, "e1000", 2, module_bytes,
                                sizeof module_bytes);
  uint8_t text[2048];
  size_t size = 0;
  static const char comment[] = "signature from key 0123456789abcdef";
  ck_assert_int_eq(OSPolicy_EncodeModsignText(comment, sizeof comment - 1, s.envelope,
                                              s.envelope_size, NULL, 0, &size),
                   OSPOLICY_ERR_BUFFER_TOO_SMALL);
  ck_assert_uint_eq(size, OSPOLICY_MODSIGN_TEXT_SIZE(sizeof comment - 1, s.envelope_size));
  ck_assert_int_eq(OSPolicy_EncodeModsignText(comment, sizeof comment - 1, s.envelope,
                                              s.envelope_size, text, sizeof text, &size),
                   OSPOLICY_OK);
  ck_assert(OSPolicy_IsModsignText(text, size));
  ck_assert(!OSPolicy_IsModsignText(s.envelope, s.envelope_size));
  uint8_t back[OSPOLICY_MODSIGN_ENVELOPE_MAX_SIZE];
  OSPolicy_ModsignText r;
  ck_assert_int_eq(OSPolicy_DecodeModsignText(text, size, back, 10, &r),
                   OSPOLICY_ERR_BUFFER_TOO_SMALL);
  ck_assert_uint_eq(r.payload_size, s.envelope_size);
  ck_assert_int_eq(OSPolicy_DecodeModsignText(text, size, back, sizeof back, &r), OSPOLICY_OK);
  ck_assert_uint_eq(r.payload_size, s.envelope_size);
  ck_assert_mem_eq(back, s.envelope, s.envelope_size);
  ck_assert_uint_eq(r.comment_length, sizeof comment - 1);
  ck_assert_mem_eq(text + r.comment_offset, comment, sizeof comment - 1);
  /* The decoded envelope verifies; the untrusted comment is not signed. */
  OSPolicy_ModsignTrustSet trust = trust_with(&k, 1);
  signed_object from_text;
  memcpy(from_text.envelope, back, r.payload_size);
  from_text.envelope_size = r.payload_size;
  ck_assert_int_eq(verify(&trust, &from_text, OSPOLICY_MODSIGN_KIND_MODULE, "e1000", module_bytes,
                          sizeof module_bytes, NULL),
                   OSPOLICY_OK);
  /* Comment limits: 1024 printable characters, not 1025, no control bytes. */
  static char long_comment[OSPOLICY_MODSIGN_TEXT_COMMENT_MAX + 1];
  memset(long_comment, 'c', sizeof long_comment);
  ck_assert_int_eq(OSPolicy_EncodeModsignText(long_comment, OSPOLICY_MODSIGN_TEXT_COMMENT_MAX,
                                              s.envelope, s.envelope_size, text, sizeof text,
                                              &size),
                   OSPOLICY_OK);
  ck_assert_int_eq(OSPolicy_DecodeModsignText(text, size, back, sizeof back, &r), OSPOLICY_OK);
  ck_assert_int_eq(OSPolicy_EncodeModsignText(long_comment, sizeof long_comment, s.envelope,
                                              s.envelope_size, text, sizeof text, &size),
                   OSPOLICY_ERR_INVALID_ARGUMENT);
  /* A 1025-character comment written by hand is refused at byte 1024 of it. */
  uint8_t too_long[2048];
  memcpy(too_long, OSPOLICY_MODSIGN_TEXT_PREFIX, OSPOLICY_MODSIGN_TEXT_PREFIX_SIZE);
  memset(too_long + 19, 'c', OSPOLICY_MODSIGN_TEXT_COMMENT_MAX + 1);
  memcpy(too_long + 19 + OSPOLICY_MODSIGN_TEXT_COMMENT_MAX + 1, "\nYWJj\n", 6);
  ck_assert_int_eq(OSPolicy_DecodeModsignText(too_long, 19 + 1025 + 6, back, sizeof back, &r),
                   OSPOLICY_ERR_MODSIGN_MALFORMED);
  ck_assert_uint_eq(r.error_offset, 19 + OSPOLICY_MODSIGN_TEXT_COMMENT_MAX);
  ck_assert_int_eq(OSPolicy_EncodeModsignText("a\nb", 3, s.envelope, s.envelope_size, text,
                                              sizeof text, &size),
                   OSPOLICY_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(OSPolicy_EncodeModsignText("", 0, s.envelope, 0, text, sizeof text, &size),
                   OSPOLICY_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(OSPolicy_DecodeModsignText(NULL, 0, back, sizeof back, &r),
                   OSPOLICY_ERR_NULL_ARGUMENT);
  ck_assert_int_eq(OSPolicy_DecodeModsignText(text, size, back, sizeof back, NULL),
                   OSPOLICY_ERR_NULL_ARGUMENT);
}
END_TEST

Suite *modsign_suite(void);
Suite *modsign_suite(void) {
  Suite *suite = suite_create("modsign");
  TCase *formats = tcase_create("formats");
  tcase_add_test(formats, envelope_round_trip_and_layout);
  tcase_add_test(formats, envelope_rejects_each_malformation_with_its_offset);
  tcase_add_test(formats, envelope_encoder_refuses_fields_that_would_not_parse);
  tcase_add_test(formats, trust_set_round_trip_and_layout);
  tcase_add_test(formats, trust_set_rejects_each_malformation_with_its_offset);
  tcase_add_test(formats, trust_set_revocation_list_is_sorted_and_unique);
  tcase_add_test(formats, trust_set_parser_reads_its_input_once_forward);
  tcase_add_test(formats, text_form_vectors);
  tcase_add_test(formats, text_form_round_trips_keys_and_envelopes);
  tcase_add_test(formats, trust_editing_rules);
  tcase_add_test(formats, enforcement_only_goes_on);
  tcase_add_test(formats, key_files_round_trip_and_reject);
  tcase_add_test(formats, sealed_key_file_layout_and_limits);
  tcase_add_test(formats, latch_survives_a_failed_reload_then_a_good_one);
  tcase_add_test(formats, latch_survives_init_after_a_failed_parse);
  tcase_add_test(formats, a_public_key_is_trusted_under_one_id_only);
  tcase_add_test(formats, envelope_algorithm_is_checked_before_kind_name_and_reserved);
  suite_add_tcase(suite, formats);
  TCase *vectors = tcase_create("rfc8032");
  tcase_add_test(vectors, rfc8032_ed25519_vectors_verify);
  tcase_add_test(vectors, rfc8032_ed25519ph_vector_verifies_one_shot_and_streaming);
  tcase_add_test(vectors, strict_verification_refuses_malleable_and_small_order);
  suite_add_tcase(suite, vectors);
  TCase *verify_tc = tcase_create("verify");
  tcase_add_test(verify_tc, signed_object_verifies_one_shot_and_streaming);
  tcase_add_test(verify_tc, zero_results_and_unset_trust_are_not_success);
  tcase_add_test(verify_tc, unsigned_object_is_refused_when_enforcing_and_loads_unverified_otherwise);
  tcase_add_test(verify_tc, unknown_key_is_reported_before_any_cryptography);
  tcase_add_test(verify_tc, failures_other_than_unsigned_or_unknown_key_deny_even_without_enforcement);
  tcase_add_test(verify_tc, rotation_and_revocation_by_key);
  tcase_add_test(verify_tc, revocation_by_generation);
  tcase_add_test(verify_tc, metadata_swap_fails);
  tcase_add_test(verify_tc, truncated_and_padded_objects);
  tcase_add_test(verify_tc, signer_refuses_bad_requests);
  tcase_add_test(verify_tc, streaming_signer_matches_one_shot_and_covers_the_comment);
  tcase_add_test(verify_tc, envelope_is_read_once_so_a_concurrent_writer_changes_nothing);
  tcase_add_test(verify_tc, key_ids_must_be_derived_from_their_keys);
  suite_add_tcase(suite, verify_tc);
  return suite;
}
