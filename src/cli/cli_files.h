/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * Files of the signing commands (docs/modsign.md): small whole-file reads
 * (keys, envelopes, trust sets), read-only mappings of the objects to sign,
 * and writes that never leave a partial file behind.
 *
 * Secret keys are created with open(O_CREAT | O_EXCL, 0600) and never
 * replaced without --force (then atomically, through a 0600 temporary file
 * and rename). Every other output is also replaced atomically.
 */
#ifndef OSPOLICY_CLI_FILES_H
#define OSPOLICY_CLI_FILES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Reads a whole small file of at most `limit` bytes into buf (which holds
 * limit + 1 bytes: one more byte is read to notice trailing data). 0 on
 * success, else the errno value, reported as "ospolicy TOOL: PATH: reason"
 * unless quiet_enoent and it is ENOENT. */
int cli_read_small_file(const char *tool, const char *path, size_t limit, uint8_t *buf,
                        size_t *size, bool quiet_enoent);

/* Writes `data` to `path` with `mode`. exclusive: create only if absent
 * (O_EXCL; EEXIST is returned untouched). Otherwise a temporary file in the
 * same directory is written, synced, given `mode` and renamed over `path`.
 * 0 on success, else the errno value (not reported). */
int cli_write_file(const char *path, const uint8_t *data, size_t size, mode_t mode,
                   bool exclusive);

/* Whether anything (a dangling link too) is at `path`. */
bool cli_file_exists(const char *path);

/* A file mapped read-only (or an empty buffer for an empty file). */
typedef struct cli_mapped_file {
  const uint8_t *data;
  size_t size;
  bool mapped;
} cli_mapped_file;

/* Maps a regular file. 0 on success; -1 after reporting the failure as
 * "ospolicy TOOL: PATH: reason". */
int cli_map_file(const char *tool, const char *path, cli_mapped_file *file);
void cli_unmap_file(cli_mapped_file *file);

#endif
