/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
#include "cli_files.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static void report_error(const char *tool, const char *path, int err) {
  fprintf(stderr, "ospolicy %s: %s: %s\n", tool, path, strerror(err));
}

int cli_read_small_file(const char *tool, const char *path, size_t limit, uint8_t *buf,
                        size_t *size, bool quiet_enoent) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    int err = errno;
    if (!(quiet_enoent && err == ENOENT)) {
      report_error(tool, path, err);
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
      report_error(tool, path, err);
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

int cli_write_file(const char *path, const uint8_t *data, size_t size, mode_t mode,
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

bool cli_file_exists(const char *path) {
  struct stat st;
  return lstat(path, &st) == 0;
}

int cli_map_file(const char *tool, const char *path, cli_mapped_file *file) {
  memset(file, 0, sizeof *file);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    report_error(tool, path, errno);
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
      report_error(tool, path, errno);
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

void cli_unmap_file(cli_mapped_file *file) {
  if (file->mapped) {
    munmap((void *)(uintptr_t)file->data, file->size);
  }
  memset(file, 0, sizeof *file);
}
