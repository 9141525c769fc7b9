/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * `ospolicy manifest validate --manifest PATH [--format text|json]
 * [--max-size BYTES]`: reads one app manifest, validates it with the
 * freestanding core and prints every finding. The size is checked with fstat
 * first: a regular file above the limit is never read (the core refuses it by
 * its size alone); anything else (a pipe) is read up to the limit plus one
 * byte, so a huge input costs nothing either way. Exit 0: valid; 1: rejected;
 * 2: usage error; 3: the file could not be read.
 *
 * Text output follows the compiler convention, one line a finding:
 *   PATH:LINE:COL: error: <status-name>: <field-path>: <message>
 * JSON output is one document for CI systems:
 *   {"manifest": PATH, "valid": bool, "status": NAME, "findingsTotal": N,
 *    "findings": [{"file", "line", "column", "offset", "severity", "status",
 *                  "detail", "field", "message"}, ...]}
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"
#include "ospolicy/manifest.h"

typedef enum output_format { FORMAT_TEXT, FORMAT_JSON } output_format;

static void manifest_usage(FILE *out) {
  fprintf(out,
          "usage: ospolicy manifest validate --manifest PATH [--format text|json]\n"
          "                                  [--max-size BYTES]\n\n"
          "Validates an app manifest (docs/manifest.md) and prints every problem found,\n"
          "as PATH:LINE:COL: error: <status>: <field>: <message> lines, or as one JSON\n"
          "document with --format json. --max-size sets the size limit (default 65536,\n"
          "at most %zu). Exit 0: valid; 1: rejected; 2: usage error; 3: unreadable.\n",
          (size_t)OSPOLICY_MANIFEST_MAX_SIZE_CEILING);
}

static int parse_size(const char *text, size_t *value) {
  if (text[0] < '0' || text[0] > '9') {
    return -1;
  }
  char *end = NULL;
  errno = 0;
  unsigned long long parsed = strtoull(text, &end, 10);
  if (errno != 0 || *end != '\0' || parsed == 0u || parsed > OSPOLICY_MANIFEST_MAX_SIZE_CEILING) {
    return -1;
  }
  *value = (size_t)parsed;
  return 0;
}

/* The manifest's bytes: read into a buffer, or (a regular file larger than
 * the limit) mapped and never touched, so that the core refuses it by size. */
typedef struct manifest_bytes {
  char *data;
  size_t size;
  bool mapped;
} manifest_bytes;

static int read_failed(const char *path, int fd, char *buffer, int error) {
  fprintf(stderr, "ospolicy manifest: %s: %s\n", path, strerror(error));
  free(buffer);
  if (fd >= 0) {
    close(fd);
  }
  return -1;
}

static int read_manifest(const char *path, size_t limit, manifest_bytes *out) {
  *out = (manifest_bytes){0};
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return read_failed(path, -1, NULL, errno);
  }
  struct stat st;
  if (fstat(fd, &st) != 0) {
    return read_failed(path, fd, NULL, errno);
  }
  if (S_ISDIR(st.st_mode)) {
    return read_failed(path, fd, NULL, EISDIR);
  }
  if (S_ISREG(st.st_mode) && (uintmax_t)st.st_size > (uintmax_t)limit) {
    if ((uintmax_t)st.st_size > (uintmax_t)SIZE_MAX) {
      return read_failed(path, fd, NULL, EFBIG);
    }
    void *mapping = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (mapping == MAP_FAILED) {
      return read_failed(path, fd, NULL, errno);
    }
    close(fd);
    *out = (manifest_bytes){.data = mapping, .size = (size_t)st.st_size, .mapped = true};
    return 0;
  }
  /* Small, or not a regular file: at most limit + 1 bytes, enough to know
   * the input is oversized. */
  size_t capacity = limit + 1u;
  char *buffer = malloc(capacity);
  if (buffer == NULL) {
    return read_failed(path, fd, NULL, ENOMEM);
  }
  size_t total = 0;
  while (total < capacity) {
    ssize_t got = read(fd, buffer + total, capacity - total);
    if (got < 0) {
      if (errno == EINTR) {
        continue;
      }
      return read_failed(path, fd, buffer, errno);
    }
    if (got == 0) {
      break;
    }
    total += (size_t)got;
  }
  close(fd);
  *out = (manifest_bytes){.data = buffer, .size = total, .mapped = false};
  return 0;
}

static void release_manifest(manifest_bytes *bytes) {
  if (bytes->mapped) {
    munmap(bytes->data, bytes->size);
  } else {
    free(bytes->data);
  }
  *bytes = (manifest_bytes){0};
}

/* Writes a JSON string literal: quotes, backslashes and control characters
 * escaped, valid UTF-8 kept, each invalid byte replaced by U+FFFD. */
static void print_json_string(const char *text) {
  const unsigned char *s = (const unsigned char *)text;
  putchar('"');
  for (size_t i = 0; s[i] != '\0';) {
    unsigned char c = s[i];
    if (c == '"' || c == '\\') {
      printf("\\%c", c);
      i++;
    } else if (c < 0x20u || c == 0x7Fu) {
      printf("\\u%04x", c);
      i++;
    } else if (c < 0x80u) {
      putchar(c);
      i++;
    } else {
      size_t length = c >= 0xC2u && c <= 0xDFu ? 2u : c >= 0xE0u && c <= 0xEFu ? 3u
                                                    : c >= 0xF0u && c <= 0xF4u ? 4u : 0u;
      int valid = length != 0u;
      for (size_t k = 1; valid && k < length; k++) {
        valid = s[i + k] >= 0x80u && s[i + k] <= 0xBFu;
      }
      if (valid && length == 3u) {
        valid = !(c == 0xE0u && s[i + 1] < 0xA0u) && !(c == 0xEDu && s[i + 1] > 0x9Fu);
      } else if (valid && length == 4u) {
        valid = !(c == 0xF0u && s[i + 1] < 0x90u) && !(c == 0xF4u && s[i + 1] > 0x8Fu);
      }
      if (valid) {
        fwrite(s + i, 1, length, stdout);
        i += length;
      } else {
        fputs("\\ufffd", stdout);
        i++;
      }
    }
  }
  putchar('"');
}

static void print_text(const char *path, const OSPolicy_ManifestResult *r) {
  if (r->status == OSPOLICY_OK) {
    printf("%s: valid manifest '%s' (version %u, entry %s)\n", path, r->manifest.name.data,
           r->manifest.version, r->manifest.entry.data);
    return;
  }
  for (size_t i = 0; i < r->finding_count; i++) {
    const OSPolicy_ManifestFinding *f = &r->findings[i];
    printf("%s:%u:%u: error: %s: ", path, f->line, f->column, OSPolicy_StatusName(f->status));
    if (f->path[0] != '\0') {
      printf("%s: ", f->path);
    }
    printf("%s", f->message);
    if (f->detail != f->status) {
      printf(" (%s)", OSPolicy_StatusName(f->detail));
    }
    printf("\n");
  }
  if (r->findings_total > r->finding_count) {
    printf("%s: note: %zu more findings not shown (the first %zu are listed)\n", path,
           r->findings_total - r->finding_count, r->finding_count);
  }
}

static void print_json(const char *path, const OSPolicy_ManifestResult *r) {
  printf("{\"manifest\": ");
  print_json_string(path);
  printf(", \"valid\": %s, \"status\": ", r->status == OSPOLICY_OK ? "true" : "false");
  print_json_string(OSPolicy_StatusName(r->status));
  printf(", \"findingsTotal\": %zu, \"findings\": [", r->findings_total);
  for (size_t i = 0; i < r->finding_count; i++) {
    const OSPolicy_ManifestFinding *f = &r->findings[i];
    printf("%s\n  {\"file\": ", i == 0 ? "" : ",");
    print_json_string(path);
    printf(", \"line\": %u, \"column\": %u, \"offset\": %zu, \"severity\": \"error\", "
           "\"status\": ",
           f->line, f->column, f->offset);
    print_json_string(OSPolicy_StatusName(f->status));
    printf(", \"detail\": ");
    print_json_string(OSPolicy_StatusName(f->detail));
    printf(", \"field\": ");
    print_json_string(f->path);
    printf(", \"message\": ");
    print_json_string(f->message);
    printf("}");
  }
  printf("%s]}\n", r->finding_count > 0u ? "\n" : "");
}

static int validate(int argc, char **argv) {
  const char *path = NULL;
  output_format format = FORMAT_TEXT;
  size_t max_size = OSPOLICY_MANIFEST_DEFAULT_MAX_SIZE;
  for (int i = 1; i < argc; i++) {
    const char *arg = argv[i];
    if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
      manifest_usage(stdout);
      return CLI_EXIT_OK;
    }
    if (i + 1 >= argc) {
      fprintf(stderr, "ospolicy manifest validate: %s '%s'\n",
              strncmp(arg, "--", 2) == 0 ? "missing value after" : "unexpected argument", arg);
      manifest_usage(stderr);
      return CLI_EXIT_USAGE;
    }
    const char *value = argv[++i];
    if (strcmp(arg, "--manifest") == 0) {
      path = value;
    } else if (strcmp(arg, "--format") == 0) {
      if (strcmp(value, "text") == 0) {
        format = FORMAT_TEXT;
      } else if (strcmp(value, "json") == 0) {
        format = FORMAT_JSON;
      } else {
        fprintf(stderr, "ospolicy manifest validate: --format: '%s' is not text or json\n",
                value);
        return CLI_EXIT_USAGE;
      }
    } else if (strcmp(arg, "--max-size") == 0) {
      if (parse_size(value, &max_size) != 0) {
        fprintf(stderr, "ospolicy manifest validate: --max-size: '%s' is not 1..%zu bytes\n",
                value, (size_t)OSPOLICY_MANIFEST_MAX_SIZE_CEILING);
        return CLI_EXIT_USAGE;
      }
    } else {
      fprintf(stderr, "ospolicy manifest validate: unexpected argument '%s'\n", arg);
      manifest_usage(stderr);
      return CLI_EXIT_USAGE;
    }
  }
  if (path == NULL) {
    fprintf(stderr, "ospolicy manifest validate: --manifest PATH is required\n");
    manifest_usage(stderr);
    return CLI_EXIT_USAGE;
  }

  manifest_bytes bytes;
  if (read_manifest(path, max_size, &bytes) != 0) {
    return CLI_EXIT_UNREADABLE;
  }
  const char *data = bytes.data;
  size_t size = bytes.size;
  OSPolicy_ManifestResult *result = malloc(sizeof *result);
  size_t required = 0;
  /* An oversized input is refused by the core before it needs a workspace. */
  void *workspace = NULL;
  if (size <= max_size && OSPolicy_GetManifestWorkspaceSize(size, &required) == OSPOLICY_OK) {
    workspace = malloc(required);
  }
  if (result == NULL || (size <= max_size && workspace == NULL)) {
    fprintf(stderr, "ospolicy manifest validate: %s: out of memory\n", path);
    free(workspace);
    free(result);
    release_manifest(&bytes);
    return CLI_EXIT_UNREADABLE;
  }
  OSPolicy_ManifestRequest request = {.text = data,
                                      .size = size,
                                      .max_size = max_size,
                                      .workspace = workspace,
                                      .workspace_size = workspace != NULL ? required : 0u};
  OSPolicy_Status status = OSPolicy_ValidateManifest(&request, result);
  int exit_status;
  if (status != OSPOLICY_OK && result->finding_count == 0u) {
    /* A caller-class failure: a bug here, not a finding about the file. */
    fprintf(stderr, "ospolicy manifest validate: %s: %s\n", path, OSPolicy_StatusText(status));
    exit_status = CLI_EXIT_UNREADABLE;
  } else {
    if (format == FORMAT_JSON) {
      print_json(path, result);
    } else {
      print_text(path, result);
    }
    exit_status = status == OSPOLICY_OK ? CLI_EXIT_OK : CLI_EXIT_FINDING;
  }
  free(workspace);
  free(result);
  release_manifest(&bytes);
  return exit_status;
}

int cli_manifest(int argc, char **argv) {
  if (argc < 2) {
    manifest_usage(stderr);
    return CLI_EXIT_USAGE;
  }
  if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
    manifest_usage(stdout);
    return CLI_EXIT_OK;
  }
  if (strcmp(argv[1], "validate") == 0) {
    return validate(argc - 1, argv + 1);
  }
  fprintf(stderr, "ospolicy manifest: unknown subcommand '%s'\n", argv[1]);
  manifest_usage(stderr);
  return CLI_EXIT_USAGE;
}
