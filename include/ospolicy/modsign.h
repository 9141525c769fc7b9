/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * Signed kernels, modules and other boot objects (docs/modsign.md).
 *
 * An object (a kernel image, a module, ...) travels with a detached signature
 * envelope (version 2). The envelope is a fixed-layout *statement* followed
 * by a 64-byte Ed25519 signature. The statement names the algorithm, the
 * signing key's 8-byte key id, the object kind and name, a generation
 * number, the object length, its BLAKE2b-512 digest and a trusted comment;
 * the signature is pure Ed25519 (RFC 8032) over the statement:
 *
 *     Ed25519(secret key, statement)     statement holds BLAKE2b-512(object)
 *
 * (minisign's prehash design), so the object is read once, through one hash,
 * and a signature moved to another object, name, kind, generation, comment
 * or key fails. The signature is checked as soon as the envelope is seen,
 * before any object byte; the object's digest is compared at the end. Both
 * verifying and signing stream: chunks of any size, in caller-owned state of
 * fixed size. Envelope version 1 (Ed25519ph over statement || object) is no
 * longer accepted: it is refused at its version byte.
 *
 * Trust is an OSPolicy_ModsignTrustSet owned by the caller: up to
 * OSPOLICY_MODSIGN_MAX_KEYS active public keys addressed by key id (the id
 * of a key must be the one it derives, see OSPolicy_ComputeModsignKeyId, and
 * a key appears once), a separate list of up to
 * OSPOLICY_MODSIGN_MAX_REVOKED revoked key ids (revoking removes the key and
 * frees its slot; a revoked id never comes back), up to
 * OSPOLICY_MODSIGN_MAX_FLOORS minimum generations per (kind, name)
 * (revocation by generation, as UEFI SBAT does), and an enforcement latch
 * that no function of this library ever clears.
 *
 * Two libraries:
 *   OSPolicy::core    byte formats only, no cryptography: envelope, trust-set
 *                     and key-file parsers/encoders, trust-set editing.
 *   OSPolicy::crypto  the cryptographic verifier and signer (libsodium:
 *                     Ed25519, BLAKE2b, SHA-512 for key ids).
 * Both are freestanding: no allocation, no mutable static state, bounded
 * stack. libsodium must not be re-entered from an interrupt handler; call it
 * with interrupts masked and the stack-protector canary reachable at
 * %fs:0x28 (docs/modsign.md).
 *
 * Memory rules: every struct here is owned by the caller and written
 * completely by the function that fills it, status first. Nothing keeps a
 * pointer beyond the call that was given it, except OSPolicy_ModsignVerifier,
 * which keeps the trust-set pointer between Begin and Finish (the trust set
 * must stay alive and unchanged meanwhile). Parsers read each input byte
 * once (they validate and fill in one pass, or copy first), so a buffer that
 * changes under them cannot pass a check with one value and be used with
 * another. All multi-byte integers in the byte formats are little-endian.
 * Errors carry their location as an OSPolicy_ModsignField (a name with
 * OSPolicy_ModsignFieldName) and a byte offset.
 */
#ifndef OSPOLICY_MODSIGN_H
#define OSPOLICY_MODSIGN_H

#include <stddef.h>
#include <stdint.h>

#include "ospolicy/status.h"

#define OSPOLICY_MODSIGN_VERSION 2u /* envelope and trust-set version */
/* Pure Ed25519 over the statement, which holds the object's BLAKE2b-512
 * digest. The only envelope algorithm. */
#define OSPOLICY_MODSIGN_ALG_ED25519_BLAKE2B 2u
/* Key files: version 1, algorithm 1 (an Ed25519 key). */
#define OSPOLICY_MODSIGN_KEY_FILE_VERSION 1u
#define OSPOLICY_MODSIGN_KEY_ALG_ED25519 1u

#define OSPOLICY_MODSIGN_KEY_ID_SIZE 8u
#define OSPOLICY_MODSIGN_PUBLIC_KEY_SIZE 32u
#define OSPOLICY_MODSIGN_SECRET_KEY_SIZE 64u /* libsodium layout: seed || public key */
#define OSPOLICY_MODSIGN_SIGNATURE_SIZE 64u
#define OSPOLICY_MODSIGN_DIGEST_SIZE 64u  /* BLAKE2b-512 of the object */
#define OSPOLICY_MODSIGN_NAME_MAX 64u     /* object names: 1..64 bytes of [A-Za-z0-9._+-] */
#define OSPOLICY_MODSIGN_COMMENT_MAX 128u /* trusted comment: 0..128 bytes of printable ASCII */

/* Envelope layout (docs/modsign.md): a 104-byte fixed part, the name, the
 * trusted comment, the signature. */
#define OSPOLICY_MODSIGN_STATEMENT_FIXED_SIZE 104u
#define OSPOLICY_MODSIGN_STATEMENT_SIZE(name_length, comment_length)               \
  ((size_t)OSPOLICY_MODSIGN_STATEMENT_FIXED_SIZE + (size_t)(name_length) + \
   (size_t)(comment_length))
#define OSPOLICY_MODSIGN_ENVELOPE_SIZE(name_length, comment_length)     \
  (OSPOLICY_MODSIGN_STATEMENT_SIZE(name_length, comment_length) + \
   (size_t)OSPOLICY_MODSIGN_SIGNATURE_SIZE)
#define OSPOLICY_MODSIGN_ENVELOPE_MAX_SIZE \
  OSPOLICY_MODSIGN_ENVELOPE_SIZE(OSPOLICY_MODSIGN_NAME_MAX, OSPOLICY_MODSIGN_COMMENT_MAX)

/* Trust-set capacity and file layout: a 16-byte header, the active keys, the
 * revoked key ids (in increasing byte order), the floors. 256 revocations
 * are 21 years of monthly rotation. */
#define OSPOLICY_MODSIGN_MAX_KEYS 8u
#define OSPOLICY_MODSIGN_MAX_REVOKED 256u
#define OSPOLICY_MODSIGN_MAX_FLOORS 32u
#define OSPOLICY_MODSIGN_TRUST_HEADER_SIZE 16u
#define OSPOLICY_MODSIGN_TRUST_KEY_SIZE 40u /* key id || public key */
#define OSPOLICY_MODSIGN_TRUST_FLOOR_FIXED_SIZE 16u
#define OSPOLICY_MODSIGN_TRUST_MAX_SIZE                                                   \
  ((size_t)OSPOLICY_MODSIGN_TRUST_HEADER_SIZE +                                           \
   (size_t)OSPOLICY_MODSIGN_MAX_KEYS * OSPOLICY_MODSIGN_TRUST_KEY_SIZE +                  \
   (size_t)OSPOLICY_MODSIGN_MAX_REVOKED * OSPOLICY_MODSIGN_KEY_ID_SIZE +                  \
   (size_t)OSPOLICY_MODSIGN_MAX_FLOORS *                                                  \
       (OSPOLICY_MODSIGN_TRUST_FLOOR_FIXED_SIZE + OSPOLICY_MODSIGN_NAME_MAX))
#define OSPOLICY_MODSIGN_TRUST_ENFORCE 0x01u /* trust-set flag byte */

/* Text form of any of these files (minisign-like, two lines):
 *   "untrusted comment: " COMMENT "\n"   COMMENT: 0..1024 printable ASCII
 *   BASE64 "\n"                          the binary file, standard base64
 * The untrusted comment is for people and is not signed (the envelope's
 * trusted comment is). */
#define OSPOLICY_MODSIGN_TEXT_PREFIX "untrusted comment: "
#define OSPOLICY_MODSIGN_TEXT_PREFIX_SIZE 19u
#define OSPOLICY_MODSIGN_TEXT_COMMENT_MAX 1024u
#define OSPOLICY_MODSIGN_TEXT_SIZE(comment_length, payload_size)                \
  ((size_t)OSPOLICY_MODSIGN_TEXT_PREFIX_SIZE + (size_t)(comment_length) + 1u + \
   4u * (((size_t)(payload_size) + 2u) / 3u) + 1u)

/* Key files. A sealed secret key holds the seed encrypted under a key
 * derived from a passphrase (Argon2id; XChaCha20-Poly1305 with the file's
 * first 112 bytes as associated data; the host tool does the cryptography,
 * the core only the layout). The KDF limits are bounded so that a hostile
 * file cannot make a reader spend unbounded time or memory. */
#define OSPOLICY_MODSIGN_PUBLIC_KEY_FILE_SIZE 56u
#define OSPOLICY_MODSIGN_SECRET_KEY_FILE_SIZE 88u
#define OSPOLICY_MODSIGN_SEALED_KEY_FILE_SIZE 160u
#define OSPOLICY_MODSIGN_SEALED_HEADER_SIZE 112u /* the associated data */
#define OSPOLICY_MODSIGN_KDF_ARGON2ID 1u
#define OSPOLICY_MODSIGN_SEALED_SALT_SIZE 16u
#define OSPOLICY_MODSIGN_SEALED_NONCE_SIZE 24u
#define OSPOLICY_MODSIGN_SEALED_CIPHERTEXT_SIZE 48u /* 32-byte seed + 16-byte tag */
#define OSPOLICY_MODSIGN_SEALED_OPSLIMIT_MIN 1u
#define OSPOLICY_MODSIGN_SEALED_OPSLIMIT_MAX 16u
#define OSPOLICY_MODSIGN_SEALED_MEMLIMIT_MIN 8192u
#define OSPOLICY_MODSIGN_SEALED_MEMLIMIT_MAX (1024u * 1024u * 1024u)

/* Where an error is: the field of a byte format or the step of a
 * verification. Names are stable (they appear in messages and tests). */
#define OSPOLICY_MODSIGN_FIELD_LIST(X)                  \
  X(OSPOLICY_MODSIGN_FIELD_NONE, "")                    \
  X(OSPOLICY_MODSIGN_FIELD_ENVELOPE, "envelope")        \
  X(OSPOLICY_MODSIGN_FIELD_SIZE, "size")                \
  X(OSPOLICY_MODSIGN_FIELD_MAGIC, "magic")              \
  X(OSPOLICY_MODSIGN_FIELD_VERSION, "version")          \
  X(OSPOLICY_MODSIGN_FIELD_ALGORITHM, "algorithm")      \
  X(OSPOLICY_MODSIGN_FIELD_KIND, "kind")                \
  X(OSPOLICY_MODSIGN_FIELD_NAME_LENGTH, "name-length")  \
  X(OSPOLICY_MODSIGN_FIELD_COMMENT_LENGTH, "comment-length") \
  X(OSPOLICY_MODSIGN_FIELD_RESERVED, "reserved")        \
  X(OSPOLICY_MODSIGN_FIELD_KEY_ID, "key-id")            \
  X(OSPOLICY_MODSIGN_FIELD_GENERATION, "generation")    \
  X(OSPOLICY_MODSIGN_FIELD_DIGEST, "digest")            \
  X(OSPOLICY_MODSIGN_FIELD_NAME, "name")                \
  X(OSPOLICY_MODSIGN_FIELD_COMMENT, "comment")          \
  X(OSPOLICY_MODSIGN_FIELD_SIGNATURE, "signature")      \
  X(OSPOLICY_MODSIGN_FIELD_END, "end")                  \
  X(OSPOLICY_MODSIGN_FIELD_OBJECT, "object")            \
  X(OSPOLICY_MODSIGN_FIELD_REQUEST, "request")          \
  X(OSPOLICY_MODSIGN_FIELD_TRUST_SET, "trust-set")      \
  X(OSPOLICY_MODSIGN_FIELD_VERIFIER, "verifier")        \
  X(OSPOLICY_MODSIGN_FIELD_CRYPTO, "crypto")            \
  X(OSPOLICY_MODSIGN_FIELD_FLAGS, "flags")              \
  X(OSPOLICY_MODSIGN_FIELD_KEY_COUNT, "key-count")      \
  X(OSPOLICY_MODSIGN_FIELD_FLOOR_COUNT, "floor-count")  \
  X(OSPOLICY_MODSIGN_FIELD_REVOKED_COUNT, "revoked-count") \
  X(OSPOLICY_MODSIGN_FIELD_KEY, "key")                  \
  X(OSPOLICY_MODSIGN_FIELD_PUBLIC_KEY, "public-key")    \
  X(OSPOLICY_MODSIGN_FIELD_REVOKED, "revoked")          \
  X(OSPOLICY_MODSIGN_FIELD_FLOOR, "floor")              \
  X(OSPOLICY_MODSIGN_FIELD_FLOOR_KIND, "floor-kind")    \
  X(OSPOLICY_MODSIGN_FIELD_FLOOR_NAME_LENGTH, "floor-name-length") \
  X(OSPOLICY_MODSIGN_FIELD_FLOOR_RESERVED, "floor-reserved") \
  X(OSPOLICY_MODSIGN_FIELD_FLOOR_NAME, "floor-name")   \
  X(OSPOLICY_MODSIGN_FIELD_UNTRUSTED_COMMENT, "untrusted-comment") \
  X(OSPOLICY_MODSIGN_FIELD_BASE64, "base64")           \
  X(OSPOLICY_MODSIGN_FIELD_KDF, "kdf")                 \
  X(OSPOLICY_MODSIGN_FIELD_OPSLIMIT, "opslimit")       \
  X(OSPOLICY_MODSIGN_FIELD_MEMLIMIT, "memlimit")

typedef enum OSPolicy_ModsignField {
#define OSPOLICY_MODSIGN_FIELD_ENUM(id, name) id,
  OSPOLICY_MODSIGN_FIELD_LIST(OSPOLICY_MODSIGN_FIELD_ENUM)
#undef OSPOLICY_MODSIGN_FIELD_ENUM
      OSPOLICY_MODSIGN_FIELD_COUNT
} OSPolicy_ModsignField;

/* Object kinds. */
typedef enum OSPolicy_ModsignKind {
  OSPOLICY_MODSIGN_KIND_UNSET = 0,
  OSPOLICY_MODSIGN_KIND_KERNEL = 1,
  OSPOLICY_MODSIGN_KIND_MODULE = 2,
  OSPOLICY_MODSIGN_KIND_LOADER = 3,
  OSPOLICY_MODSIGN_KIND_DATA = 4, /* initrd, configuration, trust data */
  OSPOLICY_MODSIGN_KIND_AGENT = 5 /* a ring-3 program with its app manifest (docs/kernel.md) */
} OSPolicy_ModsignKind;

/* A parsed envelope. Written completely by OSPolicy_ParseModsignEnvelope. */
typedef struct OSPolicy_ModsignEnvelope {
  OSPolicy_Status status;            /* OSPOLICY_OK only if every field below is valid */
  size_t error_offset;               /* on error: byte offset in the envelope of the problem */
  OSPolicy_ModsignField error_field; /* on error: the field; FIELD_NONE when OK */
  uint8_t version;
  uint8_t algorithm;
  uint8_t kind;           /* OSPolicy_ModsignKind */
  uint8_t name_length;    /* 1..OSPOLICY_MODSIGN_NAME_MAX */
  uint8_t comment_length; /* 0..OSPOLICY_MODSIGN_COMMENT_MAX */
  char name[OSPOLICY_MODSIGN_NAME_MAX + 1];       /* NUL-terminated copy */
  char comment[OSPOLICY_MODSIGN_COMMENT_MAX + 1]; /* trusted (signed) comment, NUL-terminated */
  uint8_t key_id[OSPOLICY_MODSIGN_KEY_ID_SIZE];
  uint64_t generation;
  uint64_t object_size;
  uint8_t digest[OSPOLICY_MODSIGN_DIGEST_SIZE];
  uint8_t signature[OSPOLICY_MODSIGN_SIGNATURE_SIZE];
  size_t statement_size; /* bytes of the envelope that are signed (before the signature) */
} OSPolicy_ModsignEnvelope;

/* An active key. */
typedef struct OSPolicy_ModsignKey {
  uint8_t key_id[OSPOLICY_MODSIGN_KEY_ID_SIZE];
  uint8_t public_key[OSPOLICY_MODSIGN_PUBLIC_KEY_SIZE];
} OSPolicy_ModsignKey;

typedef struct OSPolicy_ModsignFloor {
  uint64_t min_generation;
  uint8_t kind;
  uint8_t name_length;
  char name[OSPOLICY_MODSIGN_NAME_MAX + 1]; /* NUL-terminated */
} OSPolicy_ModsignFloor;

/* The trust set. status is OSPOLICY_OK once initialized or parsed; every
 * consumer refuses a set whose status is not OK (OSPOLICY_ERR_PLAN_NOT_OK).
 * `enforce` is a latch: functions of this library only ever set it, and every
 * function that rewrites a set (Init, Parse, successful or not) keeps it on
 * whenever the set it overwrites has it on, whatever that set's status (a
 * failed parse leaves an error status with the latch still on, and the next
 * Parse or Init keeps it). Any non-zero value counts as on. */
typedef struct OSPolicy_ModsignTrustSet {
  OSPolicy_Status status;
  size_t error_offset;               /* parse errors: byte offset in the trust-set file */
  OSPolicy_ModsignField error_field; /* parse errors: the field; FIELD_NONE when OK */
  uint32_t enforce;                  /* 0 or 1 */
  uint32_t key_count;
  uint32_t revoked_count;
  uint32_t floor_count;
  OSPolicy_ModsignKey keys[OSPOLICY_MODSIGN_MAX_KEYS];
  /* Revoked key ids, in increasing byte order (memcmp). */
  uint8_t revoked[OSPOLICY_MODSIGN_MAX_REVOKED][OSPOLICY_MODSIGN_KEY_ID_SIZE];
  OSPolicy_ModsignFloor floors[OSPOLICY_MODSIGN_MAX_FLOORS];
} OSPolicy_ModsignTrustSet;

/* A parsed key file (public or secret). */
typedef struct OSPolicy_ModsignKeyFile {
  OSPolicy_Status status;
  size_t error_offset;
  OSPolicy_ModsignField error_field;
  uint32_t is_secret; /* 1 for a secret-key file, sealed or not */
  uint32_t is_sealed; /* 1 for a passphrase-protected secret key: secret_key
                         is zero until the host tool unseals it */
  uint8_t key_id[OSPOLICY_MODSIGN_KEY_ID_SIZE];
  uint8_t public_key[OSPOLICY_MODSIGN_PUBLIC_KEY_SIZE];
  uint8_t secret_key[OSPOLICY_MODSIGN_SECRET_KEY_SIZE]; /* zero for a public-key file */
  /* Sealed keys only. */
  uint64_t opslimit;
  uint64_t memlimit;
  uint8_t salt[OSPOLICY_MODSIGN_SEALED_SALT_SIZE];
  uint8_t nonce[OSPOLICY_MODSIGN_SEALED_NONCE_SIZE];
  uint8_t ciphertext[OSPOLICY_MODSIGN_SEALED_CIPHERTEXT_SIZE];
} OSPolicy_ModsignKeyFile;

/* A decoded text file: where its comment is, how many bytes it decoded to. */
typedef struct OSPolicy_ModsignText {
  OSPolicy_Status status;
  size_t error_offset;               /* byte offset in the text */
  OSPolicy_ModsignField error_field; /* untrusted-comment, base64, end; FIELD_NONE when OK */
  size_t comment_offset;             /* the untrusted comment, within the text */
  size_t comment_length;
  size_t payload_size; /* decoded bytes; written even on BUFFER_TOO_SMALL */
} OSPolicy_ModsignText;

/* What the verifier is asked: the envelope that came with the object, and the
 * kind and name the caller is about to load. A valid signature for another
 * object name or kind is refused (OSPOLICY_DENIED_MODSIGN_WRONG_OBJECT). */
typedef struct OSPolicy_ModsignRequest {
  const uint8_t *envelope; /* NULL with envelope_size 0: the object is unsigned */
  size_t envelope_size;
  uint32_t kind; /* OSPolicy_ModsignKind expected */
  const char *name;
  size_t name_length;
} OSPolicy_ModsignRequest;

/* The outcome of a verification.
 * decision is ALLOW when status is OK; or, while the trust set does not
 * enforce, for OSPOLICY_DENIED_MODSIGN_NO_SIGNATURE and
 * OSPOLICY_DENIED_MODSIGN_UNKNOWN_KEY (the object loads unverified and the
 * caller should record that, as Linux taints the kernel). Every other failure
 * is DENY whether enforcing or not: unparsable envelopes, revoked keys,
 * generations below the floor, bad signatures, truncated or padded objects. */
typedef struct OSPolicy_ModsignResult {
  OSPolicy_Status status;
  OSPolicy_Decision decision;
  uint32_t enforcing;      /* the trust set's latch when decided */
  uint64_t min_generation; /* the floor that applied (0: none) */
  uint64_t object_bytes;   /* object bytes seen by the verifier */
  size_t error_offset; /* envelope offset, or object offset when error_field is FIELD_OBJECT */
  OSPolicy_ModsignField error_field; /* FIELD_NONE when OK */
  OSPolicy_ModsignEnvelope envelope; /* as parsed; envelope.status says whether it parsed */
} OSPolicy_ModsignResult;

/* Opaque storage for libsodium's Ed25519ph state (SHA-512). */
#define OSPOLICY_ED25519PH_STATE_SIZE 256u
typedef struct OSPolicy_Ed25519phState {
  uint32_t started; /* 1 between Begin and Finish */
  union {
    uint64_t align;
    unsigned char bytes[OSPOLICY_ED25519PH_STATE_SIZE];
  } opaque;
} OSPolicy_Ed25519phState;

/* libsodium's BLAKE2b state (crypto_generichash_blake2b_state, 384 bytes,
 * 64-byte aligned): kept with room to align it inside any caller memory. */
#define OSPOLICY_MODSIGN_HASH_STATE_SIZE 384u
typedef struct OSPolicy_ModsignHashState {
  union {
    uint64_t align;
    unsigned char bytes[OSPOLICY_MODSIGN_HASH_STATE_SIZE + 64u];
  } opaque;
} OSPolicy_ModsignHashState;

/* A streaming verification in progress (under 1 KiB; no pointers into the
 * object, so chunks may come from a reused buffer). */
typedef struct OSPolicy_ModsignVerifier {
  OSPolicy_Status status; /* OK while the stream is acceptable so far */
  const OSPolicy_ModsignTrustSet *trust;
  uint64_t min_generation;
  uint64_t received;
  size_t error_offset;
  OSPolicy_ModsignField error_field;
  OSPolicy_ModsignEnvelope envelope;
  OSPolicy_ModsignHashState hash;
} OSPolicy_ModsignVerifier;

/* A streaming signature in progress: the object is hashed as it comes. */
typedef struct OSPolicy_ModsignSigner {
  OSPolicy_Status status;
  uint64_t received;
  OSPolicy_ModsignHashState hash;
} OSPolicy_ModsignSigner;

#ifdef __cplusplus
extern "C" {
#endif

/* ---- OSPolicy::core: byte formats, no cryptography ---------------------- */

/* Parses a signature envelope of exactly `size` bytes, reading each byte
 * once. Errors, in the order checked: NULL_ARGUMENT (envelope NULL, or data
 * NULL with size > 0); DENIED_MODSIGN_NO_SIGNATURE (size 0);
 * ERR_MODSIGN_MALFORMED (shorter than the 104-byte fixed part, bad magic,
 * version not 2: a version 1 envelope is refused here);
 * ERR_MODSIGN_UNSUPPORTED_ALGORITHM (algorithm byte not 2: checked before the
 * fields whose layout the algorithm could change, so algorithm 3 with kind 9
 * is UNSUPPORTED_ALGORITHM at offset 9); ERR_MODSIGN_MALFORMED (bad kind,
 * name length, comment length, reserved bytes not zero, shorter than the
 * name and comment it declares, bad name bytes, comment bytes that are not
 * printable ASCII, shorter than the signature); ERR_MODSIGN_TRAILING_DATA
 * (bytes after the signature). error_offset and error_field say where. */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_ParseModsignEnvelope(
    const uint8_t *data, size_t size, OSPolicy_ModsignEnvelope *envelope);

/* Encodes `fields` (version, algorithm, kind, name, comment, key_id,
 * generation, object_size, digest, signature; status and error fields are
 * ignored) as an envelope. *size always receives the required size
 * (OSPOLICY_MODSIGN_ENVELOPE_SIZE(name_length, comment_length)); capacity 0
 * asks for it.
 * Errors: NULL_ARGUMENT, INVALID_ARGUMENT (a field that would not parse),
 * BUFFER_TOO_SMALL. The first statement_size bytes of the output are the
 * statement the signature covers. */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_EncodeModsignEnvelope(
    const OSPolicy_ModsignEnvelope *fields, uint8_t *out, size_t capacity, size_t *size);

/* Empties `trust` (no keys, no floors, status OK). Enforcement stays on if
 * `trust` already had it on, whatever its status; memory of unknown content
 * should be zero-filled first (a non-zero `enforce` there counts as on). */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_InitModsignTrustSet(OSPolicy_ModsignTrustSet *trust);

/* Parses a trust-set file of exactly `size` bytes into `trust`, replacing its
 * keys, revocations and floors, in one pass: each input byte is read once,
 * and duplicates are found among the entries already filled in. Enforcement
 * is on if the file says so or if `trust` already had it on (whatever its status: a set whose last parse failed still carries
 * the latch). On error the set is written with the error status, no keys and
 * no floors (a consumer then refuses it), enforcement kept as above. Errors:
 * NULL_ARGUMENT; ERR_MODSIGN_TRUST_MALFORMED (bad magic, version, flags,
 * counts above capacity, reserved bytes, kind, name, truncated, revoked ids
 * not in increasing order); ERR_MODSIGN_DUPLICATE_KEY (a key id twice among
 * the keys or the revocations, or an active key whose id is revoked);
 * ERR_MODSIGN_DUPLICATE_PUBLIC_KEY (a public key twice, under two ids);
 * ERR_MODSIGN_DUPLICATE_FLOOR;
 * ERR_MODSIGN_TRAILING_DATA. Key ids must be the ids their public keys derive;
 * this parser cannot check that (no hashing in the core):
 * OSPolicy_CheckModsignKeyIds does, and the verifier refuses to use a key
 * whose id is not derived (ERR_MODSIGN_KEY_ID_MISMATCH). */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_ParseModsignTrustSet(
    const uint8_t *data, size_t size, OSPolicy_ModsignTrustSet *trust);

/* Encodes a valid trust set; *size always receives the required size. Errors:
 * NULL_ARGUMENT, PLAN_NOT_OK (trust status not OK), INVALID_ARGUMENT (counts
 * or entries out of range), ERR_MODSIGN_DUPLICATE_KEY,
 * ERR_MODSIGN_DUPLICATE_PUBLIC_KEY, ERR_MODSIGN_DUPLICATE_FLOOR,
 * ERR_MODSIGN_TRUST_MALFORMED (revocations out of order: a set edited by
 * hand), BUFFER_TOO_SMALL. */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_EncodeModsignTrustSet(
    const OSPolicy_ModsignTrustSet *trust, uint8_t *out, size_t capacity, size_t *size);

/* Adds an active key. key_id must be OSPolicy_ComputeModsignKeyId(public_key)
 * (the core cannot hash to check it; the verifier refuses a key whose id is
 * not derived, and OSPolicy_CheckModsignKeyIds finds one). Errors, in this
 * order: NULL_ARGUMENT, PLAN_NOT_OK, DENIED_MODSIGN_REVOKED_KEY (that key id is
 * revoked: revocation is permanent), ERR_MODSIGN_DUPLICATE_KEY (the id is
 * already there), ERR_MODSIGN_DUPLICATE_PUBLIC_KEY (the key is already there
 * under another id), TOO_MANY (OSPOLICY_MODSIGN_MAX_KEYS active keys). */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_AddModsignKey(
    OSPolicy_ModsignTrustSet *trust, const uint8_t key_id[OSPOLICY_MODSIGN_KEY_ID_SIZE],
    const uint8_t public_key[OSPOLICY_MODSIGN_PUBLIC_KEY_SIZE]);

/* Revokes a key id: an active key with that id is removed (its slot is
 * free again) and the id joins the revocation list, which also takes ids
 * never seen (a key can be revoked before it is used). Revoking a revoked id
 * is OK. Errors: NULL_ARGUMENT, PLAN_NOT_OK, TOO_MANY (the revocation list
 * holds OSPOLICY_MODSIGN_MAX_REVOKED ids; nothing is changed). */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_RevokeModsignKey(
    OSPolicy_ModsignTrustSet *trust, const uint8_t key_id[OSPOLICY_MODSIGN_KEY_ID_SIZE]);

/* Raises the minimum generation of (kind, name); objects signed with a lower
 * generation are refused. Errors: NULL_ARGUMENT, PLAN_NOT_OK, INVALID_ARGUMENT
 * (kind or name), DENIED_MODSIGN_FLOOR_LOWERED (a floor never goes down),
 * TOO_MANY. Setting the current value again is OK. */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_RaiseModsignFloor(
    OSPolicy_ModsignTrustSet *trust, uint32_t kind, const char *name, size_t name_length,
    uint64_t min_generation);

/* Switches enforcement on. There is no function that switches it off. */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_EnableModsignEnforcement(
    OSPolicy_ModsignTrustSet *trust);

/* The floor that applies to (kind, name): 0 when there is none. */
uint64_t OSPolicy_GetModsignFloor(const OSPolicy_ModsignTrustSet *trust, uint32_t kind,
                                  const char *name, size_t name_length);

/* Parses a public-, secret- or sealed-secret-key file of exactly `size`
 * bytes. Errors: NULL_ARGUMENT, ERR_MODSIGN_KEY_MALFORMED (also: a sealed
 * key's KDF not Argon2id, limits out of bounds),
 * ERR_MODSIGN_UNSUPPORTED_ALGORITHM, ERR_MODSIGN_TRAILING_DATA. public_key is the file's public key, or the
 * second half of a secret key. The key id is not re-derived here (that needs
 * SHA-512: OSPolicy_ComputeModsignKeyId). Callers wipe `key` after use when it
 * held a secret. */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_ParseModsignKeyFile(
    const uint8_t *data, size_t size, OSPolicy_ModsignKeyFile *key);

/* Encodes a key file (sealed when key->is_sealed, else secret when
 * key->is_secret); *size always receives the required size. Errors:
 * NULL_ARGUMENT, INVALID_ARGUMENT (sealed limits out of bounds),
 * BUFFER_TOO_SMALL. */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_EncodeModsignKeyFile(
    const OSPolicy_ModsignKeyFile *key, uint8_t *out, size_t capacity, size_t *size);

/* Whether a key id is on the revocation list. */
int OSPolicy_IsModsignKeyRevoked(const OSPolicy_ModsignTrustSet *trust,
                                 const uint8_t key_id[OSPOLICY_MODSIGN_KEY_ID_SIZE]);

/* Whether `data` starts like a text file ("untrusted comment: "). */
int OSPolicy_IsModsignText(const uint8_t *data, size_t size);

/* Decodes a text file of exactly `size` bytes into `out` (the binary file,
 * to be parsed by the parser of its kind), reading each byte once. Strict:
 * one LF after each of the two lines (no CR, no blank line, nothing after),
 * printable ASCII in the comment, standard base64 with '=' padding, length
 * a multiple of 4, unused bits zero (one encoding per payload), at least one
 * byte. result->payload_size always receives the decoded size. Errors:
 * NULL_ARGUMENT; ERR_MODSIGN_MALFORMED (field untrusted-comment or base64,
 * at the offending byte); ERR_MODSIGN_TRAILING_DATA (field end: bytes after
 * the second line); BUFFER_TOO_SMALL. */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_DecodeModsignText(const uint8_t *text, size_t size,
                                                              uint8_t *out, size_t capacity,
                                                              OSPolicy_ModsignText *result);

/* Encodes `payload` as a text file with an untrusted comment (0..1024
 * printable ASCII). *size always receives the required size
 * (OSPOLICY_MODSIGN_TEXT_SIZE); capacity 0 asks for it. Errors:
 * NULL_ARGUMENT, INVALID_ARGUMENT (comment, empty payload), BUFFER_TOO_SMALL. */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_EncodeModsignText(const char *comment,
                                                              size_t comment_length,
                                                              const uint8_t *payload,
                                                              size_t payload_size, uint8_t *out,
                                                              size_t capacity, size_t *size);

/* True if 1..64 bytes of [A-Za-z0-9._+-]. */
int OSPolicy_IsValidModsignName(const char *name, size_t name_length);
/* "kernel", "module", "loader", "data", "agent"; "unset" otherwise. Never NULL. */
const char *OSPolicy_ModsignKindName(uint32_t kind);
/* True if 0..128 bytes of printable ASCII (0x20..0x7E). */
int OSPolicy_IsValidModsignComment(const char *comment, size_t comment_length);
/* The name of an error location ("key-id", "object", ...; "" for
 * FIELD_NONE); "unknown" out of range. Never NULL. */
const char *OSPolicy_ModsignFieldName(OSPolicy_ModsignField field);
/* Parses a kind name; OSPOLICY_MODSIGN_KIND_UNSET when unknown. */
OSPolicy_ModsignKind OSPolicy_ModsignKindFromName(const char *name, size_t name_length);

/* ---- OSPolicy::crypto: cryptography (libsodium) ------------------------ */

/* Raw RFC 8032 Ed25519 (pure) with libsodium's strict checks (canonical S and
 * A, no small-order A or R). OK or DENIED_MODSIGN_BAD_SIGNATURE; NULL_ARGUMENT. */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_VerifyEd25519(
    const uint8_t public_key[OSPOLICY_MODSIGN_PUBLIC_KEY_SIZE], const uint8_t *message,
    size_t message_size, const uint8_t signature[OSPOLICY_MODSIGN_SIGNATURE_SIZE]);

/* Raw RFC 8032 Ed25519ph (empty context), streaming: Begin, Update any number
 * of times, Finish. Finish wipes the state. The envelope verifier runs on
 * exactly these three functions. Errors: NULL_ARGUMENT, PLAN_NOT_OK (Update or
 * Finish without Begin), DENIED_MODSIGN_BAD_SIGNATURE. */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_BeginEd25519ph(OSPolicy_Ed25519phState *state);
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_UpdateEd25519ph(OSPolicy_Ed25519phState *state,
                                                            const void *data, size_t size);
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_FinishEd25519phVerify(
    OSPolicy_Ed25519phState *state, const uint8_t public_key[OSPOLICY_MODSIGN_PUBLIC_KEY_SIZE],
    const uint8_t signature[OSPOLICY_MODSIGN_SIGNATURE_SIZE]);
/* One-shot Ed25519ph over a message in memory (Begin + Update + Finish). */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_VerifyEd25519ph(
    const uint8_t public_key[OSPOLICY_MODSIGN_PUBLIC_KEY_SIZE], const uint8_t *message,
    size_t message_size, const uint8_t signature[OSPOLICY_MODSIGN_SIGNATURE_SIZE]);

/* Key id of a public key: the first 8 bytes of SHA-512(public key). */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_ComputeModsignKeyId(
    const uint8_t public_key[OSPOLICY_MODSIGN_PUBLIC_KEY_SIZE],
    uint8_t key_id[OSPOLICY_MODSIGN_KEY_ID_SIZE]);

/* Checks that every active key of a trust set carries the id its public key
 * derives. Call it after parsing a trust set from a file. OK, or ERR_MODSIGN_KEY_ID_MISMATCH with *key_index (optional)
 * the first bad entry; NULL_ARGUMENT, PLAN_NOT_OK, INVALID_ARGUMENT (count). */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_CheckModsignKeyIds(
    const OSPolicy_ModsignTrustSet *trust, size_t *key_index);

/* Starts verifying one object. Checks, in this order, before any
 * cryptography: NULL_ARGUMENT; PLAN_NOT_OK (trust status not OK);
 * INVALID_ARGUMENT (request kind or name); DENIED_MODSIGN_NO_SIGNATURE;
 * the envelope parse errors; DENIED_MODSIGN_UNKNOWN_KEY (no key with the
 * envelope's key id); DENIED_MODSIGN_REVOKED_KEY; ERR_MODSIGN_KEY_ID_MISMATCH
 * (the trust set holds that id for a key that does not derive it: DENY even
 * when not enforcing); DENIED_MODSIGN_WRONG_OBJECT (kind or name differ from
 * the request); DENIED_MODSIGN_GENERATION (below the floor for that kind and
 * name). Then checks the Ed25519 signature over the statement
 * (DENIED_MODSIGN_BAD_SIGNATURE: before any object byte is read) and starts
 * the object's BLAKE2b-512. The envelope is read from the caller's buffer
 * exactly once, into a copy (at most ENVELOPE_MAX_SIZE + 1 bytes); the
 * checks and the verified statement both come from that copy, so the buffer
 * may change afterwards (or concurrently) without effect. Returns the
 * verifier's status; on error Update does nothing and Finish reports it. */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_BeginModsignVerify(
    OSPolicy_ModsignVerifier *verifier, const OSPolicy_ModsignTrustSet *trust,
    const OSPolicy_ModsignRequest *request);

/* Feeds the next `size` bytes of the object. ERR_MODSIGN_TRAILING_DATA as
 * soon as more bytes arrive than the envelope's object length (the verifier
 * then stays failed); otherwise the verifier's status. */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_UpdateModsignVerify(
    OSPolicy_ModsignVerifier *verifier, const void *data, size_t size);

/* Decides, writes the whole result and wipes the verifier. After the earlier
 * checks: ERR_MODSIGN_OBJECT_TRUNCATED (fewer bytes than declared);
 * DENIED_MODSIGN_DIGEST_MISMATCH (BLAKE2b-512 differs: the object is not the
 * one signed). Returns result->status. */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_FinishModsignVerify(
    OSPolicy_ModsignVerifier *verifier, OSPolicy_ModsignResult *result);

/* One-shot: Begin, one Update with the whole object, Finish. */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_VerifyModsign(
    const OSPolicy_ModsignTrustSet *trust, const OSPolicy_ModsignRequest *request,
    const uint8_t *object, size_t object_size, OSPolicy_ModsignResult *result);

/* What to sign: the key's id is derived from the secret key. */
typedef struct OSPolicy_ModsignSignRequest {
  uint32_t kind;
  const char *name;
  size_t name_length;
  uint64_t generation;
  const char *comment; /* trusted comment; NULL with comment_length 0: none */
  size_t comment_length;
} OSPolicy_ModsignSignRequest;

/* Streaming signer: Begin, Update with the object's bytes in order, Finish
 * with the key and the request; the object is read once. Finish writes the
 * envelope (its object length is the number of bytes given to Update);
 * *size always receives the required size (capacity 0 asks for it). The
 * secret key must be libsodium's 64-byte layout (seed || public key).
 * Errors: NULL_ARGUMENT, PLAN_NOT_OK (Update or Finish without Begin),
 * INVALID_ARGUMENT (kind, name, comment), BUFFER_TOO_SMALL, ERR_UNSUPPORTED
 * (libsodium refused). Finish wipes the signer, whatever it returns. Host
 * tools call these; the loader and kernel need not. */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_BeginModsignSign(OSPolicy_ModsignSigner *signer);
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_UpdateModsignSign(OSPolicy_ModsignSigner *signer,
                                                              const void *data, size_t size);
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_FinishModsignSign(
    OSPolicy_ModsignSigner *signer, const uint8_t secret_key[OSPOLICY_MODSIGN_SECRET_KEY_SIZE],
    const OSPolicy_ModsignSignRequest *request, uint8_t *out, size_t capacity, size_t *size);

/* One-shot: signs an object held in memory (Begin, Update, Finish). */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_SignModsign(
    const uint8_t secret_key[OSPOLICY_MODSIGN_SECRET_KEY_SIZE],
    const OSPolicy_ModsignSignRequest *request, const uint8_t *object, size_t object_size,
    uint8_t *out, size_t capacity, size_t *size);

#ifdef __cplusplus
}
#endif

#endif /* OSPOLICY_MODSIGN_H */
