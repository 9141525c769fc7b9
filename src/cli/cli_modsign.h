/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * What the signing commands (keygen, sign, verify, trust; docs/modsign.md)
 * share: hex text, numbers, kind and name checks, the default signature
 * path, and loading key files and trust sets with every check the freestanding
 * parsers cannot make (key ids are hashes). Errors are printed on stderr as
 * "ospolicy TOOL: ..."; functions returning an exit status use the
 * CLI_EXIT_* values of commands.h.
 */
#ifndef OSPOLICY_CLI_MODSIGN_H
#define OSPOLICY_CLI_MODSIGN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "cli_passphrase.h"
#include "ospolicy/modsign.h"

/* Writes 2n lowercase hex digits and a NUL to out (2n + 1 bytes). */
void cli_hex_string(const uint8_t *bytes, size_t n, char *out);

/* Parses exactly 2n hex digits (either case). 0 on success, -1 otherwise. */
int cli_parse_hex(const char *text, uint8_t *out, size_t n);

/* Parses a decimal 0..2^64-1 (digits only). 0 on success, -1 otherwise. */
int cli_parse_u64(const char *text, uint64_t *value);

/* The part of path after its last '/'. */
const char *cli_base_name(const char *path);

/* A new string "OBJECT.sig" (the caller frees it), or NULL without memory. */
char *cli_default_signature_path(const char *object_path);

/* Prints "ospolicy TOOL: SUBJECT: NAME: text" and, when field is not
 * FIELD_NONE, " (field FIELD, byte offset N)". */
void cli_report_status(const char *tool, const char *subject, OSPolicy_Status status,
                       size_t offset, OSPolicy_ModsignField field);

/* --kind KIND: kernel, module, loader, data or agent. 0, or -1 after a message. */
int cli_parse_kind(const char *tool, const char *text, uint32_t *kind);

/* A signed object's name. 0, or -1 after a message. */
int cli_check_name(const char *tool, const char *name);

/* The largest key and envelope files the CLI reads: the text form with the
 * longest untrusted comment. */
#define CLI_KEY_TEXT_MAX \
  OSPOLICY_MODSIGN_TEXT_SIZE(OSPOLICY_MODSIGN_TEXT_COMMENT_MAX, OSPOLICY_MODSIGN_SEALED_KEY_FILE_SIZE)
#define CLI_ENVELOPE_TEXT_MAX \
  OSPOLICY_MODSIGN_TEXT_SIZE(OSPOLICY_MODSIGN_TEXT_COMMENT_MAX, OSPOLICY_MODSIGN_ENVELOPE_MAX_SIZE)

/* If buf holds the text form ("untrusted comment: ..." and base64), decodes
 * it in place (*size becomes the binary size; capacity is buf's). A binary
 * file is left as it is. CLI_EXIT_OK, or the exit status after reporting a
 * malformed text. */
int cli_unwrap_text(const char *tool, const char *path, uint8_t *buf, size_t *size,
                    size_t capacity);

/* Wraps a binary file in the text form with `comment` (untrusted). 0 and
 * *out (malloc'ed, the caller frees it), or -1 after a message. */
int cli_wrap_text(const char *tool, const char *comment, const uint8_t *payload, size_t size,
                  uint8_t **out, size_t *out_size);

/* Loads a key file, binary or text (a secret one if want_secret, else a public one) and
 * checks that its key id and public half belong to it; refuses a secret key
 * that group or others may access (exit 1). st (optional) receives the
 * status of the file read. A sealed secret key is unsealed (want_secret)
 * with a passphrase from `passphrase` (cli_passphrase.h). CLI_EXIT_OK or the
 * exit status of the failure. */
int cli_load_key(const char *tool, const char *path, bool want_secret,
                 OSPolicy_ModsignKeyFile *key, struct stat *st,
                 const cli_passphrase_source *passphrase);

/* Loads a trust set and checks that every key id is derived from its key.
 * CLI_EXIT_OK or the exit status of the failure. Not reentrant (one static
 * read buffer). */
int cli_load_trust(const char *tool, const char *path, OSPolicy_ModsignTrustSet *trust);

/* The same from an open (locked) descriptor, read from its start. */
int cli_load_trust_fd(const char *tool, const char *path, int fd,
                      OSPolicy_ModsignTrustSet *trust);

#endif
