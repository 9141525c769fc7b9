/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
#include "cli_files.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <unistd.h>

static void report_error(const char *tool, const char *path, int err) {
  if (err == EINVAL) {
    fprintf(stderr, "ospolicy %s: %s: not a regular file (FIFOs, devices and folders are refused)\n",
            tool, path);
  } else {
    fprintf(stderr, "ospolicy %s: %s: %s\n", tool, path, strerror(err));
  }
}

int cli_open_input(const char *path, struct stat *st) {
  int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    return -1;
  }
  if (fstat(fd, st) != 0) {
    int err = errno;
    close(fd);
    errno = err;
    return -1;
  }
  if (!S_ISREG(st->st_mode)) {
    close(fd);
    errno = EINVAL;
    return -1;
  }
  int flags = fcntl(fd, F_GETFL);
  if (flags < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) != 0) {
    int err = errno;
    close(fd);
    errno = err;
    return -1;
  }
  return fd;
}

int cli_read_fd(int fd, size_t limit, uint8_t *buf, size_t *size) {
  size_t total = 0;
  while (total < limit + 1u) {
    ssize_t got = read(fd, buf + total, limit + 1u - total);
    if (got < 0) {
      if (errno == EINTR) {
        continue;
      }
      return errno;
    }
    if (got == 0) {
      break;
    }
    total += (size_t)got;
  }
  *size = total;
  return 0;
}

int cli_read_small_file(const char *tool, const char *path, size_t limit, uint8_t *buf,
                        size_t *size, bool quiet_enoent, struct stat *st) {
  struct stat local;
  int fd = cli_open_input(path, st != NULL ? st : &local);
  if (fd < 0) {
    int err = errno;
    if (!(quiet_enoent && err == ENOENT)) {
      report_error(tool, path, err);
    }
    return err;
  }
  int err = cli_read_fd(fd, limit, buf, size);
  close(fd);
  if (err != 0) {
    report_error(tool, path, err);
  }
  return err;
}

int cli_write_all(int fd, const uint8_t *data, size_t size) {
  while (size > 0) {
    ssize_t put = write(fd, data, size);
    if (put < 0) {
      if (errno == EINTR) {
        continue;
      }
      return errno;
    }
    if (put == 0) {
      return EIO;
    }
    data += put;
    size -= (size_t)put;
  }
  return 0;
}

/* ---- targets ------------------------------------------------------------ */

static void target_reset(cli_target *target) {
  memset(target, 0, sizeof *target);
  target->dir_fd = -1;
  target->fd = -1;
}

void cli_target_close(cli_target *target) {
  if (target->fd >= 0) {
    close(target->fd); /* releases the flock */
  }
  if (target->dir_fd >= 0) {
    close(target->dir_fd);
  }
  free(target->path);
  target_reset(target);
}

/* A symbolic link the walk refused to follow (fs.protected_symlinks' rule). */
typedef struct refused_link {
  char link[PATH_MAX];
  char dir[PATH_MAX];
  uid_t link_uid;
  uid_t dir_uid;
} refused_link;

/* Linux's fs.protected_symlinks, applied here because the walk reads links
 * itself (readlink is not a follow the kernel checks): in a sticky,
 * world-writable folder, a link is followed only if it belongs to the caller
 * or to the folder's owner, so another user cannot aim our output elsewhere. */
static bool link_protected(const char *dir, const struct stat *link_st, refused_link *refused) {
  struct stat dir_st;
  if (stat(dir, &dir_st) != 0) {
    return false; /* the walk's own lstat already succeeded inside it */
  }
  if ((dir_st.st_mode & (S_ISVTX | S_IWOTH)) != (S_ISVTX | S_IWOTH) ||
      link_st->st_uid == geteuid() || link_st->st_uid == dir_st.st_uid) {
    return false;
  }
  snprintf(refused->dir, sizeof refused->dir, "%s", dir);
  refused->link_uid = link_st->st_uid;
  refused->dir_uid = dir_st.st_uid;
  return true;
}

/* The real path of `path`, as realpath(3) but walked one component at a time
 * so every link met is judged by link_protected() on the very lstat that the
 * path is built from (no gap between the check and the resolution). For a
 * file that does not exist yet: its real folder and its own name. NULL with
 * errno set; EACCES with *refused filled for a protected link. */
static char *resolve(const char *path, refused_link *refused) {
  char done[PATH_MAX];
  char todo[PATH_MAX];
  char next[PATH_MAX];
  if (path[0] == '\0') {
    errno = ENOENT;
    return NULL;
  }
  if (path[0] == '/') {
    snprintf(done, sizeof done, "/");
  } else if (getcwd(done, sizeof done) == NULL) {
    return NULL;
  }
  if (snprintf(todo, sizeof todo, "%s", path) >= (int)sizeof todo) {
    errno = ENAMETOOLONG;
    return NULL;
  }
  int links = 0;
  size_t pos = 0;
  for (;;) {
    while (todo[pos] == '/') {
      pos++;
    }
    if (todo[pos] == '\0') {
      break;
    }
    size_t end = pos;
    while (todo[end] != '\0' && todo[end] != '/') {
      end++;
    }
    size_t after = end;
    while (todo[after] == '/') {
      after++;
    }
    bool last = todo[after] == '\0';
    bool trailing_slash = last && after > end;
    char component[NAME_MAX + 1];
    if (end - pos > NAME_MAX) {
      errno = ENAMETOOLONG;
      return NULL;
    }
    memcpy(component, todo + pos, end - pos);
    component[end - pos] = '\0';
    pos = end;
    if (strcmp(component, ".") == 0) {
      continue;
    }
    if (strcmp(component, "..") == 0) {
      char *slash = strrchr(done, '/');
      slash[slash == done ? 1 : 0] = '\0';
      continue;
    }
    char candidate[PATH_MAX];
    if (snprintf(candidate, sizeof candidate, "%s/%s", strcmp(done, "/") == 0 ? "" : done,
                 component) >= (int)sizeof candidate) {
      errno = ENAMETOOLONG;
      return NULL;
    }
    struct stat st;
    if (lstat(candidate, &st) != 0) {
      if (errno != ENOENT || !last) {
        return NULL;
      }
      if (trailing_slash) {
        errno = EISDIR;
        return NULL;
      }
      if (lstat(path, &st) == 0) {
        errno = ENOENT; /* a dangling symbolic link: refused, not created through */
        return NULL;
      }
      return strdup(candidate); /* a new file in a real folder */
    }
    if (S_ISLNK(st.st_mode)) {
      if (link_protected(done, &st, refused)) {
        snprintf(refused->link, sizeof refused->link, "%s", candidate);
        errno = EACCES;
        return NULL;
      }
      if (++links > 40) {
        errno = ELOOP;
        return NULL;
      }
      char target[PATH_MAX];
      ssize_t length = readlink(candidate, target, sizeof target - 1u);
      if (length < 0) {
        return NULL;
      }
      target[length] = '\0'; /* the rest, todo + pos, is empty or starts with '/' */
      if (snprintf(next, sizeof next, "%s%s", target, todo + pos) >= (int)sizeof next) {
        errno = ENAMETOOLONG;
        return NULL;
      }
      memcpy(todo, next, sizeof todo);
      pos = 0;
      if (target[0] == '/') {
        snprintf(done, sizeof done, "/");
      }
      continue;
    }
    if ((!last || trailing_slash) && !S_ISDIR(st.st_mode)) {
      errno = ENOTDIR;
      return NULL;
    }
    memcpy(done, candidate, sizeof done);
  }
  return strdup(done);
}

int cli_target_open(const char *tool, const char *path, bool lock, cli_target *target) {
  target_reset(target);
  refused_link refused;
  refused.link[0] = '\0';
  target->path = resolve(path, &refused);
  if (target->path == NULL) {
    int err = errno;
    if (err == EACCES && refused.link[0] != '\0') {
      fprintf(stderr,
              "ospolicy %s: %s: refused to follow the symbolic link %s: it belongs to uid %u and "
              "lies in the sticky, world-writable folder %s (owner uid %u), where only links of "
              "the caller (uid %u) or of the folder's owner are followed (as fs.protected_symlinks); "
              "nothing was written\n",
              tool, path, refused.link, (unsigned)refused.link_uid, refused.dir,
              (unsigned)refused.dir_uid, (unsigned)geteuid());
      return err;
    }
    if (err == ENOENT) {
      struct stat st;
      if (lstat(path, &st) == 0) {
        fprintf(stderr, "ospolicy %s: %s: dangling symbolic link (its target does not exist)\n",
                tool, path);
        return err;
      }
    }
    report_error(tool, path, err);
    return err;
  }
  char *slash = strrchr(target->path, '/');
  target->base = slash + 1;
  *slash = '\0';
  target->dir_fd = open(target->path[0] != '\0' ? target->path : "/",
                        O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  *slash = '/';
  if (target->dir_fd < 0 || fstat(target->dir_fd, &target->dir_st) != 0) {
    int err = errno;
    report_error(tool, path, err);
    cli_target_close(target);
    return err;
  }
  /* Bounded: each retry means another edit replaced the file meanwhile. */
  for (int attempt = 0; attempt < 1000; attempt++) {
    int fd = openat(target->dir_fd, target->base,
                    O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
      if (errno == ENOENT) {
        return 0; /* a new file */
      }
      int err = errno == ELOOP ? EINVAL : errno;
      report_error(tool, path, err);
      cli_target_close(target);
      return err;
    }
    if (fstat(fd, &target->st) != 0 || !S_ISREG(target->st.st_mode)) {
      int err = S_ISREG(target->st.st_mode) ? errno : EINVAL;
      close(fd);
      report_error(tool, path, err);
      cli_target_close(target);
      return err;
    }
    if (!lock) {
      target->fd = fd;
      return 0;
    }
    while (flock(fd, LOCK_EX) != 0) {
      if (errno != EINTR) {
        int err = errno;
        close(fd);
        report_error(tool, path, err);
        cli_target_close(target);
        return err;
      }
    }
    struct stat now;
    if (fstatat(target->dir_fd, target->base, &now, AT_SYMLINK_NOFOLLOW) == 0 &&
        now.st_dev == target->st.st_dev && now.st_ino == target->st.st_ino) {
      target->fd = fd;
      return 0;
    }
    close(fd); /* replaced while we waited: lock the new file */
  }
  fprintf(stderr, "ospolicy %s: %s: the file keeps being replaced; giving up\n", tool, path);
  cli_target_close(target);
  return EAGAIN;
}

static int random_name(char *out, size_t capacity) {
  uint64_t r = 0;
  if (getrandom(&r, sizeof r, 0) != (ssize_t)sizeof r) {
    return errno != 0 ? errno : EIO;
  }
  snprintf(out, capacity, ".ospolicy-%016llx.tmp", (unsigned long long)r);
  return 0;
}

void cli_prepared_discard(cli_target *target, cli_prepared *prepared) {
  if (prepared->temp[0] != '\0') {
    unlinkat(target->dir_fd, prepared->temp, 0);
    prepared->temp[0] = '\0';
  }
  if (prepared->fd >= 0) {
    close(prepared->fd);
  }
  prepared->fd = -1;
}

/* Gives the new file the old one's owner, group and mode (a new file: 0666
 * less the umask, which a named temporary, created 0600, does not have). */
static int keep_attributes(const cli_target *target, int fd, cli_file_mode mode, bool named) {
  if (target->fd >= 0 &&
      (target->st.st_uid != geteuid() || target->st.st_gid != getegid()) &&
      fchown(fd, target->st.st_uid, target->st.st_gid) != 0) {
    return errno;
  }
  if (mode == CLI_MODE_SECRET) {
    return fchmod(fd, 0600) == 0 ? 0 : errno;
  }
  if (target->fd >= 0 && fchmod(fd, target->st.st_mode & 07777) != 0) {
    return errno;
  }
  if (target->fd < 0 && named) {
    mode_t mask = umask(0);
    umask(mask);
    if (fchmod(fd, 0666 & ~mask) != 0) {
      return errno;
    }
  }
  return 0;
}

int cli_target_prepare(cli_target *target, const uint8_t *data, size_t size, cli_file_mode mode,
                       cli_prepared *prepared) {
  memset(prepared, 0, sizeof *prepared);
  mode_t create_mode = mode == CLI_MODE_SECRET ? 0600 : 0666; /* the umask applies */
  prepared->fd = openat(target->dir_fd, ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, create_mode);
  if (prepared->fd < 0 && (errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL)) {
    /* No O_TMPFILE here: a named temporary, removed on every failure path. */
    for (int attempt = 0; attempt < 16 && prepared->fd < 0; attempt++) {
      int err = random_name(prepared->temp, sizeof prepared->temp);
      if (err != 0) {
        prepared->temp[0] = '\0';
        return err;
      }
      prepared->fd = openat(target->dir_fd, prepared->temp,
                            O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
      if (prepared->fd < 0 && errno != EEXIST) {
        break;
      }
    }
    if (prepared->fd < 0) {
      prepared->temp[0] = '\0';
    }
  }
  if (prepared->fd < 0) {
    return errno;
  }
  int err = cli_write_all(prepared->fd, data, size);
  if (err == 0) {
    err = keep_attributes(target, prepared->fd, mode, prepared->temp[0] != '\0');
  }
  if (err == 0 && fsync(prepared->fd) != 0) {
    err = errno;
  }
  if (err != 0) {
    cli_prepared_discard(target, prepared);
  }
  return err;
}

/* Gives the unnamed file a name in the folder. */
static int link_temp(cli_target *target, cli_prepared *prepared, const char *name) {
  char proc[64];
  snprintf(proc, sizeof proc, "/proc/self/fd/%d", prepared->fd);
  if (linkat(AT_FDCWD, proc, target->dir_fd, name, AT_SYMLINK_FOLLOW) == 0) {
    return 0;
  }
  if (errno == ENOENT && access("/proc/self/fd", F_OK) != 0) {
    /* No /proc: AT_EMPTY_PATH (needs CAP_DAC_READ_SEARCH). */
    if (linkat(prepared->fd, "", target->dir_fd, name, AT_EMPTY_PATH) == 0) {
      return 0;
    }
  }
  return errno;
}

int cli_target_commit(cli_target *target, cli_prepared *prepared, bool exclusive) {
  int err = 0;
  if (prepared->temp[0] == '\0') {
    if (exclusive) {
      err = link_temp(target, prepared, target->base); /* EEXIST: someone was first */
    } else {
      for (int attempt = 0; attempt < 16; attempt++) {
        err = random_name(prepared->temp, sizeof prepared->temp);
        if (err == 0) {
          err = link_temp(target, prepared, prepared->temp);
        }
        if (err != EEXIST) {
          break;
        }
      }
      if (err != 0) {
        prepared->temp[0] = '\0';
      }
    }
  } else if (exclusive) {
    if (linkat(target->dir_fd, prepared->temp, target->dir_fd, target->base, 0) != 0) {
      err = errno;
    }
  }
  if (err == 0 && !exclusive &&
      renameat(target->dir_fd, prepared->temp, target->dir_fd, target->base) != 0) {
    err = errno;
  }
  if (err == 0 && !exclusive) {
    prepared->temp[0] = '\0'; /* renamed: nothing to remove */
  }
  cli_prepared_discard(target, prepared);
  if (err == 0 && fsync(target->dir_fd) != 0) {
    err = errno;
  }
  return err;
}

int cli_target_replace(cli_target *target, const uint8_t *data, size_t size, cli_file_mode mode,
                       bool exclusive) {
  cli_prepared prepared;
  int err = cli_target_prepare(target, data, size, mode, &prepared);
  if (err != 0) {
    return err;
  }
  return cli_target_commit(target, &prepared, exclusive);
}

bool cli_target_same(const cli_target *a, const cli_target *b) {
  if (a->fd >= 0 && b->fd >= 0) {
    return a->st.st_dev == b->st.st_dev && a->st.st_ino == b->st.st_ino;
  }
  return a->dir_st.st_dev == b->dir_st.st_dev && a->dir_st.st_ino == b->dir_st.st_ino &&
         strcmp(a->base, b->base) == 0;
}

bool cli_target_is(const cli_target *target, const struct stat *st) {
  return target->fd >= 0 && target->st.st_dev == st->st_dev && target->st.st_ino == st->st_ino;
}

int cli_map_file(const char *tool, const char *path, cli_mapped_file *file) {
  memset(file, 0, sizeof *file);
  struct stat st;
  int fd = cli_open_input(path, &st);
  if (fd < 0) {
    report_error(tool, path, errno);
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
  file->st = st;
  close(fd);
  return 0;
}

void cli_unmap_file(cli_mapped_file *file) {
  if (file->mapped) {
    munmap((void *)(uintptr_t)file->data, file->size);
  }
  memset(file, 0, sizeof *file);
}
