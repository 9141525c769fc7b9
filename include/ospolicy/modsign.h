/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * Signed kernels, modules and other boot objects (docs/modsign.md).
 *
 * An object (a kernel image, a module, ...) travels with a detached signature
 * envelope. The envelope is a fixed-layout *statement* followed by a 64-byte
 * Ed25519ph signature. The statement names the algorithm, the signing key's
 * 8-byte key id, the object kind and name, a generation number, the object
 * length and its SHA-256 digest; the signature covers
 *
 *     Ed25519ph(secret key, statement || object)         (RFC 8032, empty context)
 *
 * so a signature moved to another object, another name, kind, generation or
 * key fails. Verification streams: the object is fed in chunks of any size
 * through libsodium's multi-part (Ed25519ph) API and a SHA-256 state, in a
 * caller-owned verifier of fixed size.
 *
 * Trust is an OSPolicy_ModsignTrustSet owned by the caller: up to
 * OSPOLICY_MODSIGN_MAX_KEYS public keys addressed by key id (each can be
 * revoked, for rotation; the id of a key must be the one it derives, see
 * OSPolicy_ComputeModsignKeyId, and a key appears once), up to OSPOLICY_MODSIGN_MAX_FLOORS minimum
 * generations per (kind, name) (revocation by generation, as UEFI SBAT does),
 * and an enforcement latch that no function of this library ever clears.
 *
 * Two libraries:
 *   OSPolicy::core    byte formats only, no cryptography: envelope, trust-set
 *                     and key-file parsers/encoders, trust-set editing.
 *   OSPolicy::crypto  the cryptographic verifier and signer (libsodium):
 *                     OSPolicy_*Ed25519*, OSPolicy_*ModsignVerify*,
 *                     OSPolicy_SignModsign, OSPolicy_ComputeModsignKeyId.
 * Both are freestanding: no allocation, no mutable static state, bounded
 * stack. libsodium must not be re-entered from an interrupt handler; see
 * DESIGN.md for calling it from UEFI and the kernel (interrupts masked, FS base).
 *
 * Memory rules: every struct here is owned by the caller and written
 * completely by the function that fills it, status first. Nothing keeps a
 * pointer beyond the call that was given it, except OSPolicy_ModsignVerifier,
 * which keeps the trust-set pointer between Begin and Finish (the trust set
 * must stay alive and unchanged meanwhile). All multi-byte integers in the
 * byte formats are little-endian.
 */
#ifndef OSPOLICY_MODSIGN_H
#define OSPOLICY_MODSIGN_H

#include <stddef.h>
#include <stdint.h>

#include "ospolicy/status.h"

#define OSPOLICY_MODSIGN_VERSION 1u
/* Ed25519ph (RFC 8032, libsodium's multi-part API) over statement || object,
 * with a SHA-256 object digest in the statement. The only algorithm. */
#define OSPOLICY_MODSIGN_ALG_ED25519PH 1u

#define OSPOLICY_MODSIGN_KEY_ID_SIZE 8u
#define OSPOLICY_MODSIGN_PUBLIC_KEY_SIZE 32u
#define OSPOLICY_MODSIGN_SECRET_KEY_SIZE 64u /* libsodium layout: seed || public key */
#define OSPOLICY_MODSIGN_SIGNATURE_SIZE 64u
#define OSPOLICY_MODSIGN_DIGEST_SIZE 32u /* SHA-256 of the object */
#define OSPOLICY_MODSIGN_NAME_MAX 64u    /* object names: 1..64 bytes of [A-Za-z0-9._+-] */

/* Envelope layout (docs/modsign.md). */
#define OSPOLICY_MODSIGN_STATEMENT_FIXED_SIZE 72u
#define OSPOLICY_MODSIGN_STATEMENT_SIZE(name_length) \
  ((size_t)OSPOLICY_MODSIGN_STATEMENT_FIXED_SIZE + (size_t)(name_length))
#define OSPOLICY_MODSIGN_ENVELOPE_SIZE(name_length) \
  (OSPOLICY_MODSIGN_STATEMENT_SIZE(name_length) + (size_t)OSPOLICY_MODSIGN_SIGNATURE_SIZE)
#define OSPOLICY_MODSIGN_ENVELOPE_MAX_SIZE OSPOLICY_MODSIGN_ENVELOPE_SIZE(OSPOLICY_MODSIGN_NAME_MAX)

/* Trust-set capacity and file layout. */
#define OSPOLICY_MODSIGN_MAX_KEYS 8u
#define OSPOLICY_MODSIGN_MAX_FLOORS 32u
#define OSPOLICY_MODSIGN_TRUST_HEADER_SIZE 16u
#define OSPOLICY_MODSIGN_TRUST_KEY_SIZE 48u
#define OSPOLICY_MODSIGN_TRUST_FLOOR_FIXED_SIZE 16u
#define OSPOLICY_MODSIGN_TRUST_MAX_SIZE                                                   \
  ((size_t)OSPOLICY_MODSIGN_TRUST_HEADER_SIZE +                                           \
   (size_t)OSPOLICY_MODSIGN_MAX_KEYS * OSPOLICY_MODSIGN_TRUST_KEY_SIZE +                  \
   (size_t)OSPOLICY_MODSIGN_MAX_FLOORS *                                                  \
       (OSPOLICY_MODSIGN_TRUST_FLOOR_FIXED_SIZE + OSPOLICY_MODSIGN_NAME_MAX))
#define OSPOLICY_MODSIGN_TRUST_ENFORCE 0x01u /* trust-set flag byte */
#define OSPOLICY_MODSIGN_KEY_REVOKED 0x01u   /* key entry flag byte */

/* Key files. */
#define OSPOLICY_MODSIGN_PUBLIC_KEY_FILE_SIZE 56u
#define OSPOLICY_MODSIGN_SECRET_KEY_FILE_SIZE 88u

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
  OSPolicy_Status status;  /* OSPOLICY_OK only if every field below is valid */
  size_t error_offset;     /* on error: byte offset in the envelope of the problem */
  const char *error_field; /* on error: the field ("magic", "name", ...); "" when OK */
  uint8_t version;
  uint8_t algorithm;
  uint8_t kind;        /* OSPolicy_ModsignKind */
  uint8_t name_length; /* 1..OSPOLICY_MODSIGN_NAME_MAX */
  char name[OSPOLICY_MODSIGN_NAME_MAX + 1]; /* NUL-terminated copy */
  uint8_t key_id[OSPOLICY_MODSIGN_KEY_ID_SIZE];
  uint64_t generation;
  uint64_t object_size;
  uint8_t digest[OSPOLICY_MODSIGN_DIGEST_SIZE];
  uint8_t signature[OSPOLICY_MODSIGN_SIGNATURE_SIZE];
  size_t statement_size; /* bytes of the envelope that are signed (before the signature) */
} OSPolicy_ModsignEnvelope;

typedef struct OSPolicy_ModsignKey {
  uint8_t key_id[OSPOLICY_MODSIGN_KEY_ID_SIZE];
  uint8_t public_key[OSPOLICY_MODSIGN_PUBLIC_KEY_SIZE]; /* may be zero once revoked */
  uint32_t flags;                                        /* OSPOLICY_MODSIGN_KEY_REVOKED */
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
  size_t error_offset;     /* parse errors: byte offset in the trust-set file */
  const char *error_field; /* parse errors: the field; "" when OK */
  uint32_t enforce;        /* 0 or 1 */
  uint32_t key_count;
  uint32_t floor_count;
  OSPolicy_ModsignKey keys[OSPOLICY_MODSIGN_MAX_KEYS];
  OSPolicy_ModsignFloor floors[OSPOLICY_MODSIGN_MAX_FLOORS];
} OSPolicy_ModsignTrustSet;

/* A parsed key file (public or secret). */
typedef struct OSPolicy_ModsignKeyFile {
  OSPolicy_Status status;
  size_t error_offset;
  const char *error_field;
  uint32_t is_secret; /* 1 for a secret-key file */
  uint8_t key_id[OSPOLICY_MODSIGN_KEY_ID_SIZE];
  uint8_t public_key[OSPOLICY_MODSIGN_PUBLIC_KEY_SIZE];
  uint8_t secret_key[OSPOLICY_MODSIGN_SECRET_KEY_SIZE]; /* zero for a public-key file */
} OSPolicy_ModsignKeyFile;

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
  size_t error_offset;     /* envelope offset (parse errors) or object offset (length errors) */
  const char *error_field; /* "" when OK */
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

/* A streaming verification in progress (under 1 KiB; no pointers into the
 * object, so chunks may come from a reused buffer). */
#define OSPOLICY_MODSIGN_SHA256_STATE_SIZE 128u
typedef struct OSPolicy_ModsignVerifier {
  OSPolicy_Status status; /* OK while the stream is acceptable so far */
  const OSPolicy_ModsignTrustSet *trust;
  uint64_t min_generation;
  uint64_t received;
  size_t error_offset;
  const char *error_field;
  uint8_t public_key[OSPOLICY_MODSIGN_PUBLIC_KEY_SIZE];
  OSPolicy_ModsignEnvelope envelope;
  OSPolicy_Ed25519phState ph;
  union {
    uint64_t align;
    unsigned char bytes[OSPOLICY_MODSIGN_SHA256_STATE_SIZE];
  } sha256;
} OSPolicy_ModsignVerifier;

#ifdef __cplusplus
extern "C" {
#endif

/* ---- OSPolicy::core: byte formats, no cryptography ---------------------- */

/* Parses a signature envelope of exactly `size` bytes. Errors, in the order
 * checked: NULL_ARGUMENT (envelope NULL, or data NULL with size > 0);
 * DENIED_MODSIGN_NO_SIGNATURE (size 0); ERR_MODSIGN_MALFORMED (shorter than
 * the 72-byte fixed part, bad magic, bad version); ERR_MODSIGN_UNSUPPORTED_ALGORITHM
 * (algorithm byte not 1: checked before the fields whose layout the algorithm
 * could change, so algorithm 2 with kind 9 is UNSUPPORTED_ALGORITHM at offset
 * 9); ERR_MODSIGN_MALFORMED (bad kind, name length, reserved bytes not zero,
 * shorter than the name it declares, bad name bytes, shorter than the
 * signature); ERR_MODSIGN_TRAILING_DATA (bytes after the signature).
 * error_offset and error_field say where. */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_ParseModsignEnvelope(
    const uint8_t *data, size_t size, OSPolicy_ModsignEnvelope *envelope);

/* Encodes `fields` (version, algorithm, kind, name, key_id, generation,
 * object_size, digest, signature; status and error fields are ignored) as an
 * envelope. *size always receives the required size
 * (OSPOLICY_MODSIGN_ENVELOPE_SIZE(name_length)); capacity 0 asks for it.
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
 * keys and floors. Enforcement is on if the file says so or if `trust` already
 * had it on (whatever its status: a set whose last parse failed still carries
 * the latch). On error the set is written with the error status, no keys and
 * no floors (a consumer then refuses it), enforcement kept as above. Errors:
 * NULL_ARGUMENT; ERR_MODSIGN_TRUST_MALFORMED (bad magic, version, flags,
 * counts above capacity, reserved bytes, kind, name, truncated);
 * ERR_MODSIGN_DUPLICATE_KEY (a key id twice); ERR_MODSIGN_DUPLICATE_PUBLIC_KEY
 * (a non-zero public key twice, under two ids); ERR_MODSIGN_DUPLICATE_FLOOR;
 * ERR_MODSIGN_TRAILING_DATA. Key ids must be the ids their public keys derive;
 * this parser cannot check that (no hashing in the core):
 * OSPolicy_CheckModsignKeyIds does, and the verifier refuses to use a key
 * whose id is not derived (ERR_MODSIGN_KEY_ID_MISMATCH). */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_ParseModsignTrustSet(
    const uint8_t *data, size_t size, OSPolicy_ModsignTrustSet *trust);

/* Encodes a valid trust set; *size always receives the required size. Errors:
 * NULL_ARGUMENT, PLAN_NOT_OK (trust status not OK), INVALID_ARGUMENT (counts
 * or entries out of range), ERR_MODSIGN_DUPLICATE_KEY,
 * ERR_MODSIGN_DUPLICATE_PUBLIC_KEY, ERR_MODSIGN_DUPLICATE_FLOOR (a set edited
 * by hand), BUFFER_TOO_SMALL. */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_EncodeModsignTrustSet(
    const OSPolicy_ModsignTrustSet *trust, uint8_t *out, size_t capacity, size_t *size);

/* Adds an active key. key_id must be OSPolicy_ComputeModsignKeyId(public_key)
 * (the core cannot hash to check it; the verifier refuses a key whose id is
 * not derived, and OSPolicy_CheckModsignKeyIds finds one). Errors, in this
 * order: NULL_ARGUMENT, PLAN_NOT_OK, DENIED_MODSIGN_REVOKED_KEY (that key id is
 * revoked, or the public key is already in the set under a revoked id:
 * revocation is permanent), ERR_MODSIGN_DUPLICATE_KEY (the id is already
 * there), ERR_MODSIGN_DUPLICATE_PUBLIC_KEY (the key is already there under
 * another, active id), TOO_MANY. */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_AddModsignKey(
    OSPolicy_ModsignTrustSet *trust, const uint8_t key_id[OSPOLICY_MODSIGN_KEY_ID_SIZE],
    const uint8_t public_key[OSPOLICY_MODSIGN_PUBLIC_KEY_SIZE]);

/* Revokes a key id: an existing entry is marked revoked; an unknown id gets a
 * revoked entry of its own (so a key can be revoked before it is ever seen).
 * Revoking a revoked key is OK. Errors: NULL_ARGUMENT, PLAN_NOT_OK, TOO_MANY. */
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

/* Parses a public- or secret-key file of exactly `size` bytes. Errors:
 * NULL_ARGUMENT, ERR_MODSIGN_KEY_MALFORMED, ERR_MODSIGN_UNSUPPORTED_ALGORITHM,
 * ERR_MODSIGN_TRAILING_DATA. public_key is the file's public key, or the
 * second half of a secret key. The key id is not re-derived here (that needs
 * SHA-512: OSPolicy_ComputeModsignKeyId). Callers wipe `key` after use when it
 * held a secret. */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_ParseModsignKeyFile(
    const uint8_t *data, size_t size, OSPolicy_ModsignKeyFile *key);

/* Encodes a key file (secret when key->is_secret); *size always receives
 * the required size. Errors: NULL_ARGUMENT, BUFFER_TOO_SMALL. */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_EncodeModsignKeyFile(
    const OSPolicy_ModsignKeyFile *key, uint8_t *out, size_t capacity, size_t *size);

/* True if 1..64 bytes of [A-Za-z0-9._+-]. */
int OSPolicy_IsValidModsignName(const char *name, size_t name_length);
/* "kernel", "module", "loader", "data", "agent"; "unset" otherwise. Never NULL. */
const char *OSPolicy_ModsignKindName(uint32_t kind);
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

/* Checks that every key of a trust set carries the id its public key derives
 * (revoked ids with an all-zero public key, revoked before the key was seen,
 * have nothing to derive from and pass). Call it after parsing a trust set
 * from a file. OK, or ERR_MODSIGN_KEY_ID_MISMATCH with *key_index (optional)
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
 * name). Then hashes the statement. The envelope is read from the caller's
 * buffer exactly once, into a copy (at most ENVELOPE_MAX_SIZE + 1 bytes);
 * the checks and the hashed statement both come from that copy, so the
 * buffer may change afterwards (or concurrently) without effect. Returns the
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
 * DENIED_MODSIGN_DIGEST_MISMATCH (SHA-256 differs: the object is not the one
 * signed); DENIED_MODSIGN_BAD_SIGNATURE. Returns result->status. */
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
} OSPolicy_ModsignSignRequest;

/* Signs an object held in memory and writes its envelope; *size always
 * receives the required size (capacity 0 asks for it). The secret key must be
 * libsodium's 64-byte layout (seed || public key). Errors: NULL_ARGUMENT,
 * INVALID_ARGUMENT (kind, name), BUFFER_TOO_SMALL, ERR_UNSUPPORTED (libsodium
 * refused). Host tools call this; the loader and kernel need not. */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_SignModsign(
    const uint8_t secret_key[OSPOLICY_MODSIGN_SECRET_KEY_SIZE],
    const OSPolicy_ModsignSignRequest *request, const uint8_t *object, size_t object_size,
    uint8_t *out, size_t capacity, size_t *size);

#ifdef __cplusplus
}
#endif

#endif /* OSPOLICY_MODSIGN_H */
