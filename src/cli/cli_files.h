/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * Files of the signing commands (docs/modsign.md, "Files"): inputs that are
 * regular files only (a FIFO or a device is refused at once, never waited
 * on), and outputs that are never left half written.
 *
 * An output is a cli_target: the path with its symbolic links followed to
 * the real file, that file's folder open, and (for read-modify-write edits)
 * the existing file open and locked with flock(LOCK_EX). cli_target_replace
 * writes the new contents to an unnamed O_TMPFILE in that folder (a named
 * 0600 temporary where the file system has no O_TMPFILE), syncs it, gives
 * it the old file's owner, group and mode (a new file: the umask applies;
 * secret keys are always 0600), links it in and renames it over the file,
 * then syncs the folder. A crash leaves the old file or the new one; with
 * O_TMPFILE an interrupted write leaves nothing behind.
 */
#ifndef OSPOLICY_CLI_FILES_H
#define OSPOLICY_CLI_FILES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

/* Opens an input for reading and checks that it is a regular file (opened
 * with O_NONBLOCK, so a FIFO cannot block the open). Returns the descriptor
 * (blocking again) and fills *st, or -1 with errno set: EINVAL for something
 * that is not a regular file. */
int cli_open_input(const char *path, struct stat *st);

/* Reads a whole small file of at most `limit` bytes into buf (which holds
 * limit + 1 bytes: one more byte is read to notice trailing data). 0 on
 * success, else the errno value (EINVAL: not a regular file), reported as
 * "ospolicy TOOL: PATH: reason" unless quiet_enoent and it is ENOENT. st
 * (optional) receives the file's status. */
int cli_read_small_file(const char *tool, const char *path, size_t limit, uint8_t *buf,
                        size_t *size, bool quiet_enoent, struct stat *st);

/* Reads up to limit + 1 bytes from an open descriptor; 0 or the errno value. */
int cli_read_fd(int fd, size_t limit, uint8_t *buf, size_t *size);

/* Writes all of data to fd; 0 or the errno value. */
int cli_write_all(int fd, const uint8_t *data, size_t size);

typedef enum cli_file_mode {
  CLI_MODE_PUBLIC = 0, /* a new file gets 0666 less the umask; an old one keeps its mode */
  CLI_MODE_SECRET = 1  /* always 0600 */
} cli_file_mode;

typedef struct cli_target {
  char *path;     /* the real file (symbolic links followed); owned */
  char *base;     /* its last component (points into path) */
  int dir_fd;     /* its folder */
  int fd;         /* the existing file, read-only (and locked if asked); -1 if absent */
  struct stat st; /* of fd when fd >= 0 */
  struct stat dir_st;
} cli_target;

/* Resolves `path` (following symbolic links; a dangling link is refused
 * with ENOENT) and opens its folder. lock: open the existing file and take
 * flock(LOCK_EX) on it, retrying until the locked file is still the one at
 * the path (an edit that replaced it meanwhile is seen). A path that is not
 * a regular file is refused (EINVAL). 0, or the errno value after
 * "ospolicy TOOL: PATH: reason" was printed. */
int cli_target_open(const char *tool, const char *path, bool lock, cli_target *target);

/* Replaces (or, exclusive, creates: EEXIST if a file appeared) the target's
 * file with `data`, as the header comment says. 0 or the errno value (not
 * reported). The lock, if any, is held until cli_target_close. */
int cli_target_replace(cli_target *target, const uint8_t *data, size_t size, cli_file_mode mode,
                       bool exclusive);

/* Links a prepared temporary (from cli_target_prepare) over the target. The
 * two-step form lets keygen write both keys before it renames either. */
typedef struct cli_prepared {
  int fd;
  char temp[64]; /* name in the target's folder once linked; "" before */
} cli_prepared;
int cli_target_prepare(cli_target *target, const uint8_t *data, size_t size, cli_file_mode mode,
                       cli_prepared *prepared);
int cli_target_commit(cli_target *target, cli_prepared *prepared, bool exclusive);
void cli_prepared_discard(cli_target *target, cli_prepared *prepared);

void cli_target_close(cli_target *target);

/* Whether two targets name one file: the same inode when both exist, else
 * the same name in the same folder. */
bool cli_target_same(const cli_target *a, const cli_target *b);

/* Whether an existing target is the file described by st. */
bool cli_target_is(const cli_target *target, const struct stat *st);

/* A file mapped read-only (or an empty buffer for an empty file). */
typedef struct cli_mapped_file {
  const uint8_t *data;
  size_t size;
  bool mapped;
  struct stat st;
} cli_mapped_file;

/* Maps a regular file. 0 on success; -1 after reporting the failure as
 * "ospolicy TOOL: PATH: reason". */
int cli_map_file(const char *tool, const char *path, cli_mapped_file *file);
void cli_unmap_file(cli_mapped_file *file);

#endif
