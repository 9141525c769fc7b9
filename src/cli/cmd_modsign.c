/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * Signing tools (docs/modsign.md):
 *   ospolicy keygen --secret-key FILE --public-key FILE [--force]
 *   ospolicy sign   --secret-key FILE --kind KIND [--name NAME] --generation N
 *                   [--output SIG] OBJECT
 *   ospolicy verify (--trust FILE | --public-key FILE) --kind KIND [--name NAME]
 *                   [--signature SIG] OBJECT
 *   ospolicy trust  init|add|revoke|floor|enforce|show TRUSTFILE [options]
 * Exit statuses: 0 done / verified; 1 refused (rejected signature, an edit the
 * trust rules forbid, an existing key without --force); 2 usage error; 3 a
 * file could not be read or written.
 *
 * Secret keys are created with open(O_CREAT | O_EXCL, 0600) and never
 * replaced without --force (then atomically, through a 0600 temporary file
 * and rename). Every other output is also replaced atomically. The object is
 * verified as a stream of 64 KiB reads, through the same freestanding
 * verifier the loader and the kernel use.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"
#include "ospolicy/modsign.h"

#define CHUNK_SIZE ((size_t)64 * 1024)

/* ---- small helpers ------------------------------------------------------ */

static void hex_string(const uint8_t *bytes, size_t n, char *out) {
  static const char digits[] = "0123456789abcdef";
  for (size_t i = 0; i < n; i++) {
    out[2 * i] = digits[bytes[i] >> 4];
    out[2 * i + 1] = digits[bytes[i] & 0x0F];
  }
  out[2 * n] = '\0';
}

static int parse_hex(const char *text, uint8_t *out, size_t n) {
  if (strlen(text) != 2 * n) {
    return -1;
  }
  for (size_t i = 0; i < n; i++) {
    unsigned value = 0;
    for (size_t j = 0; j < 2; j++) {
      char c = text[2 * i + j];
      unsigned digit;
      if (c >= '0' && c <= '9') {
        digit = (unsigned)(c - '0');
      } else if (c >= 'a' && c <= 'f') {
        digit = (unsigned)(c - 'a' + 10);
      } else if (c >= 'A' && c <= 'F') {
        digit = (unsigned)(c - 'A' + 10);
      } else {
        return -1;
      }
      value = value * 16u + digit;
    }
    out[i] = (uint8_t)value;
  }
  return 0;
}

static int parse_u64(const char *text, uint64_t *value) {
  if (text[0] < '0' || text[0] > '9') {
    return -1;
  }
  char *end = NULL;
  errno = 0;
  unsigned long long parsed = strtoull(text, &end, 10);
  if (errno != 0 || *end != '\0') {
    return -1;
  }
  *value = (uint64_t)parsed;
  return 0;
}

static const char *base_name(const char *path) {
  const char *slash = strrchr(path, '/');
  return slash != NULL ? slash + 1 : path;
}

static void report_status(const char *tool, const char *subject, OSPolicy_Status status,
                          size_t offset, const char *field) {
  fprintf(stderr, "ospolicy %s: %s: %s: %s", tool, subject, OSPolicy_StatusName(status),
          OSPolicy_StatusText(status));
  if (field != NULL && field[0] != '\0') {
    fprintf(stderr, " (field %s, byte offset %zu)", field, offset);
  }
  fputc('\n', stderr);
}

/* Reads a whole small file (keys, envelopes, trust sets) of at most `limit`
 * bytes; one more byte is read to notice trailing data. 0 on success, ENOENT
 * and other errno values on failure (reported unless quiet_enoent and ENOENT). */
static int read_small(const char *tool, const char *path, size_t limit, uint8_t *buf,
                      size_t *size, bool quiet_enoent) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    int err = errno;
    if (!(quiet_enoent && err == ENOENT)) {
      fprintf(stderr, "ospolicy %s: %s: %s\n", tool, path, strerror(err));
    }
    return err;
  }
  size_t total = 0;
  while (total < limit + 1u) {
    ssize_t got = read(fd, buf + total, limit + 1u - total);
    if (got < 0) {
      if (errno == EINTR) {
        continue;
      }
      int err = errno;
      fprintf(stderr, "ospolicy %s: %s: %s\n", tool, path, strerror(err));
      close(fd);
      return err;
    }
    if (got == 0) {
      break;
    }
    total += (size_t)got;
  }
  close(fd);
  *size = total;
  return 0;
}

static int write_all(int fd, const uint8_t *data, size_t size) {
  while (size > 0) {
    ssize_t put = write(fd, data, size);
    if (put < 0) {
      if (errno == EINTR) {
        continue;
      }
      return -1;
    }
    data += put;
    size -= (size_t)put;
  }
  return 0;
}

/* Writes `data` to `path` with `mode`. exclusive: create only if absent
 * (O_EXCL; EEXIST is returned untouched). Otherwise a temporary file in the
 * same directory is written, synced, given `mode` and renamed over `path`. */
static int write_file(const char *path, const uint8_t *data, size_t size, mode_t mode,
                      bool exclusive) {
  if (exclusive) {
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
    if (fd < 0) {
      return errno;
    }
    if (fchmod(fd, mode) != 0 || write_all(fd, data, size) != 0 || fsync(fd) != 0) {
      int err = errno;
      close(fd);
      unlink(path);
      return err;
    }
    return close(fd) == 0 ? 0 : errno;
  }
  size_t length = strlen(path);
  char *temp = malloc(length + 16);
  if (temp == NULL) {
    return ENOMEM;
  }
  snprintf(temp, length + 16, "%s.tmpXXXXXX", path);
  int fd = mkstemp(temp); /* mode 0600 */
  if (fd < 0) {
    int err = errno;
    free(temp);
    return err;
  }
  int err = 0;
  if (write_all(fd, data, size) != 0 || fchmod(fd, mode) != 0 || fsync(fd) != 0) {
    err = errno;
  }
  if (close(fd) != 0 && err == 0) {
    err = errno;
  }
  if (err == 0 && rename(temp, path) != 0) {
    err = errno;
  }
  if (err != 0) {
    unlink(temp);
  }
  free(temp);
  return err;
}

static bool file_exists(const char *path) {
  struct stat st;
  return lstat(path, &st) == 0;
}

static int parse_kind(const char *tool, const char *text, uint32_t *kind) {
  *kind = OSPolicy_ModsignKindFromName(text, strlen(text));
  if (*kind == OSPOLICY_MODSIGN_KIND_UNSET) {
    fprintf(stderr, "ospolicy %s: --kind: '%s' is not kernel, module, loader or data\n", tool,
            text);
    return -1;
  }
  return 0;
}

static int check_name(const char *tool, const char *name) {
  if (!OSPolicy_IsValidModsignName(name, strlen(name))) {
    fprintf(stderr,
            "ospolicy %s: name '%s' is not 1..%u characters of A-Z a-z 0-9 . _ + - "
            "(give --name)\n",
            tool, name, OSPOLICY_MODSIGN_NAME_MAX);
    return -1;
  }
  return 0;
}

/* Loads a key file; checks that its key id is the one its public key derives. */
static int load_key(const char *tool, const char *path, bool want_secret,
                    OSPolicy_ModsignKeyFile *key) {
  uint8_t buf[OSPOLICY_MODSIGN_SECRET_KEY_FILE_SIZE + 1];
  size_t size = 0;
  if (read_small(tool, path, OSPOLICY_MODSIGN_SECRET_KEY_FILE_SIZE, buf, &size, false) != 0) {
    return CLI_EXIT_UNREADABLE;
  }
  OSPolicy_Status status = OSPolicy_ParseModsignKeyFile(buf, size, key);
  sodium_memzero(buf, sizeof buf);
  if (status != OSPOLICY_OK) {
    report_status(tool, path, status, key->error_offset, key->error_field);
    return CLI_EXIT_FINDING;
  }
  if (want_secret && key->is_secret == 0u) {
    fprintf(stderr, "ospolicy %s: %s: this is a public key; a secret key is needed\n", tool, path);
    return CLI_EXIT_USAGE;
  }
  if (!want_secret && key->is_secret != 0u) {
    fprintf(stderr, "ospolicy %s: %s: this is a secret key; give the public key\n", tool, path);
    sodium_memzero(key, sizeof *key);
    return CLI_EXIT_USAGE;
  }
  uint8_t id[OSPOLICY_MODSIGN_KEY_ID_SIZE];
  if (OSPolicy_ComputeModsignKeyId(key->public_key, id) != OSPOLICY_OK ||
      memcmp(id, key->key_id, sizeof id) != 0) {
    fprintf(stderr,
            "ospolicy %s: %s: key id does not match the key (corrupt key file: a key id must be "
            "the first 8 bytes of SHA-512 of its public key)\n",
            tool, path);
    sodium_memzero(key, sizeof *key);
    return CLI_EXIT_FINDING;
  }
  if (key->is_secret != 0u) {
    uint8_t pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
    int rc = crypto_sign_seed_keypair(pk, sk, key->secret_key);
    bool same = rc == 0 && memcmp(pk, key->public_key, sizeof pk) == 0;
    sodium_memzero(sk, sizeof sk);
    if (!same) {
      fprintf(stderr, "ospolicy %s: %s: public half does not match the seed (corrupt key file)\n",
              tool, path);
      sodium_memzero(key, sizeof *key);
      return CLI_EXIT_FINDING;
    }
    struct stat st;
    if (stat(path, &st) == 0 && (st.st_mode & 077) != 0) {
      fprintf(stderr, "ospolicy %s: warning: %s is readable by others (mode %03o); use 0600\n",
              tool, path, (unsigned)(st.st_mode & 0777));
    }
  }
  return CLI_EXIT_OK;
}

/* ---- keygen ------------------------------------------------------------- */

static void keygen_usage(FILE *out) {
  fprintf(out,
          "usage: ospolicy keygen --secret-key FILE --public-key FILE [--force]\n\n"
          "Creates an Ed25519 key pair. The secret key is written with mode 0600 and\n"
          "an existing file is never replaced unless --force is given (the public key\n"
          "follows the same rule, so the two files always belong together).\n"
          "Prints the 8-byte key id. Exit 0: created; 1: a file exists; 2: usage;\n"
          "3: a file could not be written.\n");
}

int cli_keygen(int argc, char **argv) {
  const char *secret_path = NULL, *public_path = NULL;
  bool force = false;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
      keygen_usage(stdout);
      return CLI_EXIT_OK;
    } else if (strcmp(argv[i], "--secret-key") == 0 && i + 1 < argc) {
      secret_path = argv[++i];
    } else if (strcmp(argv[i], "--public-key") == 0 && i + 1 < argc) {
      public_path = argv[++i];
    } else if (strcmp(argv[i], "--force") == 0) {
      force = true;
    } else {
      fprintf(stderr, "ospolicy keygen: unexpected argument '%s'\n", argv[i]);
      keygen_usage(stderr);
      return CLI_EXIT_USAGE;
    }
  }
  if (secret_path == NULL || public_path == NULL || strcmp(secret_path, public_path) == 0) {
    fprintf(stderr, "ospolicy keygen: --secret-key and --public-key (two different files) are "
                    "required\n");
    keygen_usage(stderr);
    return CLI_EXIT_USAGE;
  }
  if (!force) {
    const char *paths[2] = {secret_path, public_path};
    for (size_t i = 0; i < 2; i++) {
      if (file_exists(paths[i])) {
        fprintf(stderr, "ospolicy keygen: %s exists; not overwriting it without --force\n",
                paths[i]);
        return CLI_EXIT_FINDING;
      }
    }
  }
  if (sodium_init() < 0) {
    fprintf(stderr, "ospolicy keygen: libsodium could not be initialized\n");
    return CLI_EXIT_UNREADABLE;
  }
  OSPolicy_ModsignKeyFile key;
  memset(&key, 0, sizeof key);
  if (crypto_sign_keypair(key.public_key, key.secret_key) != 0 ||
      OSPolicy_ComputeModsignKeyId(key.public_key, key.key_id) != OSPOLICY_OK) {
    fprintf(stderr, "ospolicy keygen: key generation failed\n");
    return CLI_EXIT_UNREADABLE;
  }
  uint8_t secret_file[OSPOLICY_MODSIGN_SECRET_KEY_FILE_SIZE];
  uint8_t public_file[OSPOLICY_MODSIGN_PUBLIC_KEY_FILE_SIZE];
  size_t secret_size = 0, public_size = 0;
  key.is_secret = 1;
  OSPolicy_Status s1 = OSPolicy_EncodeModsignKeyFile(&key, secret_file, sizeof secret_file,
                                                     &secret_size);
  key.is_secret = 0;
  OSPolicy_Status s2 = OSPolicy_EncodeModsignKeyFile(&key, public_file, sizeof public_file,
                                                     &public_size);
  char id_hex[2 * OSPOLICY_MODSIGN_KEY_ID_SIZE + 1];
  hex_string(key.key_id, OSPOLICY_MODSIGN_KEY_ID_SIZE, id_hex);
  sodium_memzero(&key, sizeof key);
  if (s1 != OSPOLICY_OK || s2 != OSPOLICY_OK) {
    sodium_memzero(secret_file, sizeof secret_file);
    fprintf(stderr, "ospolicy keygen: could not encode the key files\n");
    return CLI_EXIT_UNREADABLE;
  }
  int err = write_file(secret_path, secret_file, secret_size, 0600, !force);
  sodium_memzero(secret_file, sizeof secret_file);
  if (err == EEXIST) {
    fprintf(stderr, "ospolicy keygen: %s exists; not overwriting it without --force\n",
            secret_path);
    return CLI_EXIT_FINDING;
  }
  if (err != 0) {
    fprintf(stderr, "ospolicy keygen: %s: %s\n", secret_path, strerror(err));
    return CLI_EXIT_UNREADABLE;
  }
  err = write_file(public_path, public_file, public_size, 0644, !force);
  if (err != 0) {
    fprintf(stderr, "ospolicy keygen: %s: %s (the secret key %s was written)\n", public_path,
            strerror(err), secret_path);
    return err == EEXIST ? CLI_EXIT_FINDING : CLI_EXIT_UNREADABLE;
  }
  printf("key id %s\nsecret key %s (mode 0600)\npublic key %s\n", id_hex, secret_path,
         public_path);
  return CLI_EXIT_OK;
}

/* ---- sign --------------------------------------------------------------- */

static void sign_usage(FILE *out) {
  fprintf(out,
          "usage: ospolicy sign --secret-key FILE --kind KIND [--name NAME] --generation N\n"
          "                     [--output SIG] OBJECT\n\n"
          "Signs OBJECT (Ed25519ph over a statement binding kind, name, generation,\n"
          "length, SHA-256 and key id, then the object) and writes the envelope to SIG\n"
          "(default OBJECT.sig). KIND: kernel, module, loader or data. NAME defaults\n"
          "to OBJECT's file name. Exit 0: signed; 1: refused; 2: usage; 3: unreadable.\n");
}

/* Maps a file read-only (or gives an empty buffer for an empty file). */
typedef struct mapped_file {
  const uint8_t *data;
  size_t size;
  bool mapped;
} mapped_file;

static int map_file(const char *tool, const char *path, mapped_file *file) {
  memset(file, 0, sizeof *file);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    fprintf(stderr, "ospolicy %s: %s: %s\n", tool, path, strerror(errno));
    return -1;
  }
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    fprintf(stderr, "ospolicy %s: %s: not a regular file\n", tool, path);
    close(fd);
    return -1;
  }
  if (st.st_size > 0) {
    void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (p == MAP_FAILED) {
      fprintf(stderr, "ospolicy %s: %s: %s\n", tool, path, strerror(errno));
      close(fd);
      return -1;
    }
    file->data = p;
    file->size = (size_t)st.st_size;
    file->mapped = true;
  }
  close(fd);
  return 0;
}

static void unmap_file(mapped_file *file) {
  if (file->mapped) {
    munmap((void *)(uintptr_t)file->data, file->size);
  }
  memset(file, 0, sizeof *file);
}

int cli_sign(int argc, char **argv) {
  const char *secret_path = NULL, *kind_text = NULL, *name = NULL, *output = NULL;
  const char *object_path = NULL, *generation_text = NULL;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
      sign_usage(stdout);
      return CLI_EXIT_OK;
    } else if (strcmp(argv[i], "--secret-key") == 0 && i + 1 < argc) {
      secret_path = argv[++i];
    } else if (strcmp(argv[i], "--kind") == 0 && i + 1 < argc) {
      kind_text = argv[++i];
    } else if (strcmp(argv[i], "--name") == 0 && i + 1 < argc) {
      name = argv[++i];
    } else if (strcmp(argv[i], "--generation") == 0 && i + 1 < argc) {
      generation_text = argv[++i];
    } else if (strcmp(argv[i], "--output") == 0 && i + 1 < argc) {
      output = argv[++i];
    } else if (argv[i][0] != '-' && object_path == NULL) {
      object_path = argv[i];
    } else {
      fprintf(stderr, "ospolicy sign: unexpected argument '%s'\n", argv[i]);
      sign_usage(stderr);
      return CLI_EXIT_USAGE;
    }
  }
  if (secret_path == NULL || kind_text == NULL || generation_text == NULL ||
      object_path == NULL) {
    fprintf(stderr, "ospolicy sign: --secret-key, --kind, --generation and OBJECT are required\n");
    sign_usage(stderr);
    return CLI_EXIT_USAGE;
  }
  uint32_t kind = 0;
  uint64_t generation = 0;
  if (name == NULL) {
    name = base_name(object_path);
  }
  if (parse_kind("sign", kind_text, &kind) != 0 || check_name("sign", name) != 0) {
    return CLI_EXIT_USAGE;
  }
  if (parse_u64(generation_text, &generation) != 0) {
    fprintf(stderr, "ospolicy sign: --generation: '%s' is not a number 0..2^64-1\n",
            generation_text);
    return CLI_EXIT_USAGE;
  }
  if (sodium_init() < 0) {
    fprintf(stderr, "ospolicy sign: libsodium could not be initialized\n");
    return CLI_EXIT_UNREADABLE;
  }
  OSPolicy_ModsignKeyFile key;
  int rc = load_key("sign", secret_path, true, &key);
  if (rc != CLI_EXIT_OK) {
    return rc;
  }
  mapped_file object;
  if (map_file("sign", object_path, &object) != 0) {
    sodium_memzero(&key, sizeof key);
    return CLI_EXIT_UNREADABLE;
  }
  OSPolicy_ModsignSignRequest request = {
      .kind = kind, .name = name, .name_length = strlen(name), .generation = generation};
  uint8_t envelope[OSPOLICY_MODSIGN_ENVELOPE_MAX_SIZE];
  size_t size = 0;
  OSPolicy_Status status = OSPolicy_SignModsign(key.secret_key, &request, object.data,
                                                object.size, envelope, sizeof envelope, &size);
  char id_hex[2 * OSPOLICY_MODSIGN_KEY_ID_SIZE + 1];
  hex_string(key.key_id, OSPOLICY_MODSIGN_KEY_ID_SIZE, id_hex);
  sodium_memzero(&key, sizeof key);
  size_t object_size = object.size;
  unmap_file(&object);
  if (status != OSPOLICY_OK) {
    report_status("sign", object_path, status, 0, "");
    return CLI_EXIT_FINDING;
  }
  char *default_output = NULL;
  if (output == NULL) {
    size_t length = strlen(object_path) + 5;
    default_output = malloc(length);
    if (default_output == NULL) {
      return CLI_EXIT_UNREADABLE;
    }
    snprintf(default_output, length, "%s.sig", object_path);
    output = default_output;
  }
  int err = write_file(output, envelope, size, 0644, false);
  if (err != 0) {
    fprintf(stderr, "ospolicy sign: %s: %s\n", output, strerror(err));
    free(default_output);
    return CLI_EXIT_UNREADABLE;
  }
  printf("signed %s \"%s\" generation %" PRIu64 ", %zu bytes, key %s -> %s\n",
         OSPolicy_ModsignKindName(kind), name, generation, object_size, id_hex, output);
  free(default_output);
  return CLI_EXIT_OK;
}

/* ---- verify ------------------------------------------------------------- */

static void verify_usage(FILE *out) {
  fprintf(out,
          "usage: ospolicy verify (--trust FILE | --public-key FILE) --kind KIND\n"
          "                       [--name NAME] [--signature SIG] OBJECT\n\n"
          "Verifies OBJECT against its envelope SIG (default OBJECT.sig; a missing file\n"
          "means the object is unsigned) with the keys, revocations and generation\n"
          "floors of a trust set (or one public key, no floors). NAME defaults to\n"
          "OBJECT's file name. Exit 0: verified; 1: rejected (the reason is printed);\n"
          "2: usage error; 3: a file could not be read.\n");
}

static int load_trust(const char *tool, const char *path, OSPolicy_ModsignTrustSet *trust) {
  static uint8_t buf[OSPOLICY_MODSIGN_TRUST_MAX_SIZE + 1];
  size_t size = 0;
  memset(trust, 0, sizeof *trust);
  if (read_small(tool, path, OSPOLICY_MODSIGN_TRUST_MAX_SIZE, buf, &size, false) != 0) {
    return CLI_EXIT_UNREADABLE;
  }
  OSPolicy_Status status = OSPolicy_ParseModsignTrustSet(buf, size, trust);
  if (status != OSPOLICY_OK) {
    report_status(tool, path, status, trust->error_offset, trust->error_field);
    return CLI_EXIT_FINDING;
  }
  /* The parser cannot hash: check here that every key id is derived. */
  size_t bad = 0;
  status = OSPolicy_CheckModsignKeyIds(trust, &bad);
  if (status != OSPOLICY_OK) {
    fprintf(stderr,
            "ospolicy %s: %s: %s: key %zu: its key id is not the one its public key derives "
            "(field key-id, byte offset %zu)\n",
            tool, path, OSPolicy_StatusName(status), bad,
            (size_t)OSPOLICY_MODSIGN_TRUST_HEADER_SIZE + bad * OSPOLICY_MODSIGN_TRUST_KEY_SIZE);
    return CLI_EXIT_FINDING;
  }
  return CLI_EXIT_OK;
}

int cli_verify(int argc, char **argv) {
  const char *trust_path = NULL, *public_path = NULL, *kind_text = NULL, *name = NULL;
  const char *signature_path = NULL, *object_path = NULL;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
      verify_usage(stdout);
      return CLI_EXIT_OK;
    } else if (strcmp(argv[i], "--trust") == 0 && i + 1 < argc) {
      trust_path = argv[++i];
    } else if (strcmp(argv[i], "--public-key") == 0 && i + 1 < argc) {
      public_path = argv[++i];
    } else if (strcmp(argv[i], "--kind") == 0 && i + 1 < argc) {
      kind_text = argv[++i];
    } else if (strcmp(argv[i], "--name") == 0 && i + 1 < argc) {
      name = argv[++i];
    } else if (strcmp(argv[i], "--signature") == 0 && i + 1 < argc) {
      signature_path = argv[++i];
    } else if (argv[i][0] != '-' && object_path == NULL) {
      object_path = argv[i];
    } else {
      fprintf(stderr, "ospolicy verify: unexpected argument '%s'\n", argv[i]);
      verify_usage(stderr);
      return CLI_EXIT_USAGE;
    }
  }
  if ((trust_path == NULL) == (public_path == NULL) || kind_text == NULL || object_path == NULL) {
    fprintf(stderr, "ospolicy verify: one of --trust or --public-key, --kind and OBJECT are "
                    "required\n");
    verify_usage(stderr);
    return CLI_EXIT_USAGE;
  }
  uint32_t kind = 0;
  if (name == NULL) {
    name = base_name(object_path);
  }
  if (parse_kind("verify", kind_text, &kind) != 0 || check_name("verify", name) != 0) {
    return CLI_EXIT_USAGE;
  }
  if (sodium_init() < 0) {
    fprintf(stderr, "ospolicy verify: libsodium could not be initialized\n");
    return CLI_EXIT_UNREADABLE;
  }
  static OSPolicy_ModsignTrustSet trust;
  if (trust_path != NULL) {
    int rc = load_trust("verify", trust_path, &trust);
    if (rc != CLI_EXIT_OK) {
      return rc;
    }
  } else {
    OSPolicy_ModsignKeyFile key;
    int rc = load_key("verify", public_path, false, &key);
    if (rc != CLI_EXIT_OK) {
      return rc;
    }
    memset(&trust, 0, sizeof trust);
    if (OSPolicy_InitModsignTrustSet(&trust) != OSPOLICY_OK ||
        OSPolicy_AddModsignKey(&trust, key.key_id, key.public_key) != OSPOLICY_OK) {
      return CLI_EXIT_UNREADABLE;
    }
  }

  char *default_signature = NULL;
  if (signature_path == NULL) {
    size_t length = strlen(object_path) + 5;
    default_signature = malloc(length);
    if (default_signature == NULL) {
      return CLI_EXIT_UNREADABLE;
    }
    snprintf(default_signature, length, "%s.sig", object_path);
    signature_path = default_signature;
  }
  uint8_t envelope[OSPOLICY_MODSIGN_ENVELOPE_MAX_SIZE + 1];
  size_t envelope_size = 0;
  int err = read_small("verify", signature_path, OSPOLICY_MODSIGN_ENVELOPE_MAX_SIZE, envelope,
                       &envelope_size, true);
  if (err != 0 && err != ENOENT) {
    free(default_signature);
    return CLI_EXIT_UNREADABLE;
  }
  if (err == ENOENT) {
    envelope_size = 0; /* unsigned object */
  }

  int fd = open(object_path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    fprintf(stderr, "ospolicy verify: %s: %s\n", object_path, strerror(errno));
    free(default_signature);
    return CLI_EXIT_UNREADABLE;
  }
  OSPolicy_ModsignRequest request = {.envelope = envelope_size > 0 ? envelope : NULL,
                                     .envelope_size = envelope_size,
                                     .kind = kind,
                                     .name = name,
                                     .name_length = strlen(name)};
  static OSPolicy_ModsignVerifier verifier;
  OSPolicy_ModsignResult result;
  OSPolicy_Status status = OSPolicy_BeginModsignVerify(&verifier, &trust, &request);
  uint8_t *chunk = malloc(CHUNK_SIZE);
  bool read_failed = chunk == NULL;
  while (status == OSPOLICY_OK && !read_failed) {
    ssize_t got = read(fd, chunk, CHUNK_SIZE);
    if (got < 0) {
      if (errno == EINTR) {
        continue;
      }
      fprintf(stderr, "ospolicy verify: %s: %s\n", object_path, strerror(errno));
      read_failed = true;
      break;
    }
    if (got == 0) {
      break;
    }
    status = OSPolicy_UpdateModsignVerify(&verifier, chunk, (size_t)got);
  }
  free(chunk);
  close(fd);
  status = OSPolicy_FinishModsignVerify(&verifier, &result);
  if (read_failed) {
    free(default_signature);
    return CLI_EXIT_UNREADABLE;
  }
  char id_hex[2 * OSPOLICY_MODSIGN_KEY_ID_SIZE + 1];
  char digest_hex[2 * OSPOLICY_MODSIGN_DIGEST_SIZE + 1];
  hex_string(result.envelope.key_id, OSPOLICY_MODSIGN_KEY_ID_SIZE, id_hex);
  hex_string(result.envelope.digest, OSPOLICY_MODSIGN_DIGEST_SIZE, digest_hex);
  const char *subject = status == OSPOLICY_DENIED_MODSIGN_NO_SIGNATURE ? signature_path
                        : result.envelope.status != OSPOLICY_OK      ? signature_path
                                                                     : object_path;
  if (status == OSPOLICY_OK) {
    printf("verified %s: %s \"%s\" generation %" PRIu64 " (floor %" PRIu64 "), %" PRIu64
           " bytes, sha256 %s, key %s\n",
           object_path, OSPolicy_ModsignKindName(result.envelope.kind), result.envelope.name,
           result.envelope.generation, result.min_generation, result.envelope.object_size,
           digest_hex, id_hex);
  } else {
    const char *where_kind = result.envelope.status == OSPOLICY_OK &&
                                     (status == OSPOLICY_ERR_MODSIGN_OBJECT_TRUNCATED ||
                                      (status == OSPOLICY_ERR_MODSIGN_TRAILING_DATA &&
                                       strcmp(result.error_field, "object") == 0))
                                 ? "object"
                                 : "envelope";
    fprintf(stderr, "ospolicy verify: REJECTED %s: %s: %s", subject, OSPolicy_StatusName(status),
            OSPolicy_StatusText(status));
    if (result.error_field[0] != '\0' && status != OSPOLICY_DENIED_MODSIGN_NO_SIGNATURE) {
      fprintf(stderr, " (%s field %s, byte offset %zu)", where_kind, result.error_field,
              result.error_offset);
    }
    fputc('\n', stderr);
    if (result.envelope.status == OSPOLICY_OK) {
      fprintf(stderr,
              "ospolicy verify: the signature claims %s \"%s\" generation %" PRIu64
              " (floor %" PRIu64 "), %" PRIu64 " bytes, key %s\n",
              OSPolicy_ModsignKindName(result.envelope.kind), result.envelope.name,
              result.envelope.generation, result.min_generation, result.envelope.object_size,
              id_hex);
    }
    fprintf(stderr, "ospolicy verify: a loader using this trust set would %s (%s)\n",
            result.decision == OSPOLICY_DECISION_ALLOW ? "load it UNVERIFIED" : "refuse it",
            result.enforcing ? "enforcing" : "not enforcing");
  }
  free(default_signature);
  return status == OSPOLICY_OK ? CLI_EXIT_OK : CLI_EXIT_FINDING;
}

/* ---- trust -------------------------------------------------------------- */

static void trust_usage(FILE *out) {
  fprintf(out,
          "usage: ospolicy trust init TRUSTFILE [--force] [--enforce]\n"
          "       ospolicy trust add TRUSTFILE --public-key FILE\n"
          "       ospolicy trust revoke TRUSTFILE (--key-id HEX | --public-key FILE)\n"
          "       ospolicy trust floor TRUSTFILE --kind KIND --name NAME --generation N\n"
          "       ospolicy trust enforce TRUSTFILE\n"
          "       ospolicy trust show TRUSTFILE\n\n"
          "Edits a trust set (docs/modsign.md): up to %u keys (revoking is permanent,\n"
          "for rotation add the new key, then revoke the old one), up to %u minimum\n"
          "generations per kind and name (they only go up), and the enforcement flag\n"
          "(it only goes on). Exit 0: done; 1: refused; 2: usage; 3: unreadable.\n",
          OSPOLICY_MODSIGN_MAX_KEYS, OSPOLICY_MODSIGN_MAX_FLOORS);
}

static int save_trust(const char *path, const OSPolicy_ModsignTrustSet *trust, bool exclusive) {
  static uint8_t buf[OSPOLICY_MODSIGN_TRUST_MAX_SIZE];
  size_t size = 0;
  OSPolicy_Status status = OSPolicy_EncodeModsignTrustSet(trust, buf, sizeof buf, &size);
  if (status != OSPOLICY_OK) {
    report_status("trust", path, status, 0, "");
    return CLI_EXIT_FINDING;
  }
  int err = write_file(path, buf, size, 0644, exclusive);
  if (err == EEXIST) {
    fprintf(stderr, "ospolicy trust: %s exists; not overwriting it without --force\n", path);
    return CLI_EXIT_FINDING;
  }
  if (err != 0) {
    fprintf(stderr, "ospolicy trust: %s: %s\n", path, strerror(err));
    return CLI_EXIT_UNREADABLE;
  }
  return CLI_EXIT_OK;
}

static void show_trust(const char *path, const OSPolicy_ModsignTrustSet *trust) {
  printf("trust set %s: %s, %" PRIu32 " key%s, %" PRIu32 " floor%s\n", path,
         trust->enforce ? "enforcing" : "not enforcing", trust->key_count,
         trust->key_count == 1 ? "" : "s", trust->floor_count, trust->floor_count == 1 ? "" : "s");
  for (uint32_t k = 0; k < trust->key_count; k++) {
    char id_hex[2 * OSPOLICY_MODSIGN_KEY_ID_SIZE + 1];
    char pk_hex[2 * OSPOLICY_MODSIGN_PUBLIC_KEY_SIZE + 1];
    hex_string(trust->keys[k].key_id, OSPOLICY_MODSIGN_KEY_ID_SIZE, id_hex);
    hex_string(trust->keys[k].public_key, OSPOLICY_MODSIGN_PUBLIC_KEY_SIZE, pk_hex);
    bool revoked = (trust->keys[k].flags & OSPOLICY_MODSIGN_KEY_REVOKED) != 0u;
    printf("key %s %s %s\n", id_hex, revoked ? "revoked" : "active", pk_hex);
  }
  for (uint32_t f = 0; f < trust->floor_count; f++) {
    printf("floor %s %s >= %" PRIu64 "\n", OSPolicy_ModsignKindName(trust->floors[f].kind),
           trust->floors[f].name, trust->floors[f].min_generation);
  }
}

int cli_trust(int argc, char **argv) {
  if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
    trust_usage(stdout);
    return CLI_EXIT_OK;
  }
  if (argc < 3 || argv[2][0] == '-') {
    trust_usage(stderr);
    return CLI_EXIT_USAGE;
  }
  const char *action = argv[1];
  const char *path = argv[2];
  const char *public_path = NULL, *key_id_text = NULL, *kind_text = NULL, *name = NULL;
  const char *generation_text = NULL;
  bool force = false, enforce = false;
  for (int i = 3; i < argc; i++) {
    if (strcmp(argv[i], "--public-key") == 0 && i + 1 < argc) {
      public_path = argv[++i];
    } else if (strcmp(argv[i], "--key-id") == 0 && i + 1 < argc) {
      key_id_text = argv[++i];
    } else if (strcmp(argv[i], "--kind") == 0 && i + 1 < argc) {
      kind_text = argv[++i];
    } else if (strcmp(argv[i], "--name") == 0 && i + 1 < argc) {
      name = argv[++i];
    } else if (strcmp(argv[i], "--generation") == 0 && i + 1 < argc) {
      generation_text = argv[++i];
    } else if (strcmp(argv[i], "--force") == 0) {
      force = true;
    } else if (strcmp(argv[i], "--enforce") == 0) {
      enforce = true;
    } else {
      fprintf(stderr, "ospolicy trust %s: unexpected argument '%s'\n", action, argv[i]);
      trust_usage(stderr);
      return CLI_EXIT_USAGE;
    }
  }
  if (sodium_init() < 0) {
    fprintf(stderr, "ospolicy trust: libsodium could not be initialized\n");
    return CLI_EXIT_UNREADABLE;
  }
  static OSPolicy_ModsignTrustSet trust;
  memset(&trust, 0, sizeof trust);

  if (strcmp(action, "init") == 0) {
    if (public_path || key_id_text || kind_text || name || generation_text) {
      trust_usage(stderr);
      return CLI_EXIT_USAGE;
    }
    if (OSPolicy_InitModsignTrustSet(&trust) != OSPOLICY_OK ||
        (enforce && OSPolicy_EnableModsignEnforcement(&trust) != OSPOLICY_OK)) {
      return CLI_EXIT_UNREADABLE;
    }
    int rc = save_trust(path, &trust, !force);
    if (rc == CLI_EXIT_OK) {
      show_trust(path, &trust);
    }
    return rc;
  }
  if (force || enforce) {
    fprintf(stderr, "ospolicy trust %s: --force and --enforce belong to 'trust init'\n", action);
    return CLI_EXIT_USAGE;
  }
  int rc = load_trust("trust", path, &trust);
  if (rc != CLI_EXIT_OK) {
    return rc;
  }
  OSPolicy_Status status;
  if (strcmp(action, "show") == 0) {
    show_trust(path, &trust);
    return CLI_EXIT_OK;
  } else if (strcmp(action, "enforce") == 0) {
    status = OSPolicy_EnableModsignEnforcement(&trust);
  } else if (strcmp(action, "add") == 0) {
    if (public_path == NULL) {
      fprintf(stderr, "ospolicy trust add: --public-key is required\n");
      return CLI_EXIT_USAGE;
    }
    OSPolicy_ModsignKeyFile key;
    rc = load_key("trust", public_path, false, &key);
    if (rc != CLI_EXIT_OK) {
      return rc;
    }
    status = OSPolicy_AddModsignKey(&trust, key.key_id, key.public_key);
  } else if (strcmp(action, "revoke") == 0) {
    uint8_t id[OSPOLICY_MODSIGN_KEY_ID_SIZE];
    if ((public_path == NULL) == (key_id_text == NULL)) {
      fprintf(stderr, "ospolicy trust revoke: give --key-id HEX or --public-key FILE\n");
      return CLI_EXIT_USAGE;
    }
    if (key_id_text != NULL) {
      if (parse_hex(key_id_text, id, sizeof id) != 0) {
        fprintf(stderr, "ospolicy trust revoke: --key-id: '%s' is not 16 hex digits\n",
                key_id_text);
        return CLI_EXIT_USAGE;
      }
    } else {
      OSPolicy_ModsignKeyFile key;
      rc = load_key("trust", public_path, false, &key);
      if (rc != CLI_EXIT_OK) {
        return rc;
      }
      memcpy(id, key.key_id, sizeof id);
    }
    status = OSPolicy_RevokeModsignKey(&trust, id);
  } else if (strcmp(action, "floor") == 0) {
    uint32_t kind = 0;
    uint64_t generation = 0;
    if (kind_text == NULL || name == NULL || generation_text == NULL) {
      fprintf(stderr, "ospolicy trust floor: --kind, --name and --generation are required\n");
      return CLI_EXIT_USAGE;
    }
    if (parse_kind("trust", kind_text, &kind) != 0 || check_name("trust", name) != 0) {
      return CLI_EXIT_USAGE;
    }
    if (parse_u64(generation_text, &generation) != 0) {
      fprintf(stderr, "ospolicy trust floor: --generation: '%s' is not a number\n",
              generation_text);
      return CLI_EXIT_USAGE;
    }
    status = OSPolicy_RaiseModsignFloor(&trust, kind, name, strlen(name), generation);
  } else {
    fprintf(stderr, "ospolicy trust: unknown action '%s'\n", action);
    trust_usage(stderr);
    return CLI_EXIT_USAGE;
  }
  if (status != OSPOLICY_OK) {
    report_status("trust", path, status, 0, "");
    return status == OSPOLICY_ERR_TOO_MANY ||
                   OSPolicy_GetStatusClass(status) == OSPOLICY_CLASS_DENIED ||
                   OSPolicy_GetStatusClass(status) == OSPOLICY_CLASS_INPUT
               ? CLI_EXIT_FINDING
               : CLI_EXIT_USAGE;
  }
  rc = save_trust(path, &trust, false);
  if (rc == CLI_EXIT_OK) {
    show_trust(path, &trust);
  }
  return rc;
}
