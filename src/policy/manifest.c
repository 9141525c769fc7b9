/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * Manifest validator: strict JSON parse into the caller's workspace, then one
 * walk over the tokens that checks every field against the version-1 schema
 * (docs/manifest.md) and keeps going after a problem, so that one run reports
 * everything it can. Duplicate detection radix-sorts hashed names and
 * compares bytes only where hashes meet, so its cost is linear in the bytes
 * of the names; should many names share a hash, that group falls back to a
 * heapsort of full comparisons (n log n, whatever the input).
 */
#include "ospolicy/manifest.h"

#include <stdalign.h>
#include <stdbool.h>

#include "hash.h"
#include "mem.h"
#include "sort.h"
#include "ospolicy/imds_policy.h"
#include "ospolicy/byte_order.h"
#include "ospolicy/json.h"

#define NO_INDEX UINT32_MAX
#define ABSENT UINT32_MAX

enum { ROOT_APP = 1u, ROOT_DATA = 2u, ROOT_TMP = 4u };

static const char *const capability_names[OSPOLICY_CAPABILITY_COUNT] = {
    "CAP_CHOWN",          "CAP_DAC_OVERRIDE",   "CAP_DAC_READ_SEARCH", "CAP_FOWNER",
    "CAP_FSETID",         "CAP_KILL",           "CAP_SETGID",          "CAP_SETUID",
    "CAP_SETPCAP",        "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST",
    "CAP_NET_ADMIN",      "CAP_NET_RAW",        "CAP_IPC_LOCK",        "CAP_IPC_OWNER",
    "CAP_SYS_MODULE",     "CAP_SYS_RAWIO",      "CAP_SYS_CHROOT",      "CAP_SYS_PTRACE",
    "CAP_SYS_PACCT",      "CAP_SYS_ADMIN",      "CAP_SYS_BOOT",        "CAP_SYS_NICE",
    "CAP_SYS_RESOURCE",   "CAP_SYS_TIME",       "CAP_SYS_TTY_CONFIG",  "CAP_MKNOD",
    "CAP_LEASE",          "CAP_AUDIT_WRITE",    "CAP_AUDIT_CONTROL",   "CAP_SETFCAP",
    "CAP_MAC_OVERRIDE",   "CAP_MAC_ADMIN",      "CAP_SYSLOG",          "CAP_WAKE_ALARM",
    "CAP_BLOCK_SUSPEND",  "CAP_AUDIT_READ",     "CAP_PERFMON",         "CAP_BPF",
    "CAP_CHECKPOINT_RESTORE",
};

/* ---------------------------------------------------------------- layout */

typedef struct layout {
  size_t token_cap, scratch_cap, string_cap;
  size_t env_cap, file_cap, listen_cap, syscall_cap, key_cap;
  size_t token_off, scratch_off, env_off, file_off, listen_off, syscall_off, key_off, string_off;
  size_t total; /* from an aligned base */
} layout;

static bool place(size_t *cursor, size_t align, size_t count, size_t item, size_t *offset) {
  size_t bytes, start, end;
  if (__builtin_add_overflow(*cursor, align - 1u, &start)) {
    return false;
  }
  start &= ~(align - 1u);
  if (__builtin_mul_overflow(count, item, &bytes) || __builtin_add_overflow(start, bytes, &end)) {
    return false;
  }
  *offset = start;
  *cursor = end;
  return true;
}

static size_t min_size(size_t a, size_t b) {
  return a < b ? a : b;
}

enum { WORKSPACE_ALIGN = 16 };

static bool plan_layout(size_t size, layout *l) {
  size_t tokens, strings, scratch;
  if (OSPolicy_GetJsonWorkspaceSizes(size, &tokens, &strings, &scratch) != OSPOLICY_OK) {
    return false;
  }
  l->token_cap = tokens;
  /* The validator sorts entry indices with the same scratch: every entry is
   * at least one token, so `tokens` entries always suffice (the parser's
   * own need is one more than that). */
  l->scratch_cap = tokens > scratch ? tokens : scratch;
  l->string_cap = strings;
  l->env_cap = min_size(OSPOLICY_MANIFEST_MAX_ENV, tokens);
  l->file_cap = min_size(OSPOLICY_MANIFEST_MAX_FILES, tokens);
  l->listen_cap = min_size(OSPOLICY_MANIFEST_MAX_LISTEN, tokens);
  l->syscall_cap = min_size(OSPOLICY_MANIFEST_MAX_SYSCALLS, tokens);
  /* Hashed duplicate keys of the longest list, and as many for the radix
   * sort's second array. */
  l->key_cap = 2u * (l->env_cap > l->file_cap ? l->env_cap : l->file_cap);
  if (l->key_cap < 2u * l->syscall_cap) {
    l->key_cap = 2u * l->syscall_cap;
  }
  size_t cursor = 0;
  bool ok = place(&cursor, alignof(OSPolicy_JsonToken), l->token_cap, sizeof(OSPolicy_JsonToken),
                  &l->token_off) &&
            place(&cursor, alignof(uint32_t), l->scratch_cap, sizeof(uint32_t), &l->scratch_off) &&
            place(&cursor, alignof(OSPolicy_ManifestEnv), l->env_cap, sizeof(OSPolicy_ManifestEnv),
                  &l->env_off) &&
            place(&cursor, alignof(OSPolicy_ManifestFile), l->file_cap,
                  sizeof(OSPolicy_ManifestFile), &l->file_off) &&
            place(&cursor, alignof(OSPolicy_ManifestListen), l->listen_cap,
                  sizeof(OSPolicy_ManifestListen), &l->listen_off) &&
            place(&cursor, alignof(OSPolicy_ManifestString), l->syscall_cap,
                  sizeof(OSPolicy_ManifestString), &l->syscall_off) &&
            place(&cursor, alignof(uint64_t), l->key_cap, sizeof(uint64_t), &l->key_off) &&
            place(&cursor, 1u, l->string_cap, 1u, &l->string_off);
  if (!ok || __builtin_add_overflow(cursor, (size_t)WORKSPACE_ALIGN - 1u, &l->total)) {
    return false;
  }
  return true;
}

OSPolicy_Status OSPolicy_GetManifestWorkspaceSize(size_t size, size_t *required) {
  if (required == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  *required = 0;
  layout l;
  if (size > OSPOLICY_MANIFEST_MAX_SIZE_CEILING || !plan_layout(size, &l)) {
    return OSPOLICY_ERR_OVERFLOW;
  }
  *required = l.total;
  return OSPOLICY_OK;
}

/* ------------------------------------------------------------- validator */

typedef struct validator {
  const char *text;
  size_t size;
  const OSPolicy_JsonToken *t;
  const char *strings;
  OSPolicy_ManifestResult *result;
  OSPolicy_Manifest *view; /* the result's: zero unless the manifest is valid */
  OSPolicy_ManifestEnv *env;
  OSPolicy_ManifestFile *files;
  OSPolicy_ManifestListen *listen;
  OSPolicy_ManifestString *syscalls;
  const layout *l;
  uint32_t *scratch;
  uint64_t *keys; /* l->key_cap: hashed duplicate keys, then the radix sort's temporary */
} validator;

/* Where a finding is: prefix ("env", "network.listen", "" for the root),
 * an optional index, and an optional member name (possibly from the input). */
typedef struct where {
  const char *prefix;
  uint32_t index;
} where;

/* Appends up to `count` bytes, as many as fit before the terminating NUL. */
static void append(char *out, size_t *length, const char *text, size_t count) {
  size_t room = OSPOLICY_MANIFEST_FIELD_PATH_MAX - 1u - *length;
  size_t n = count < room ? count : room;
  for (size_t i = 0; i < n; i++) {
    out[*length + i] = text[i];
  }
  *length += n;
}

static size_t cstr_length(const char *s) {
  size_t n = 0;
  while (s[n] != '\0') {
    n++;
  }
  return n;
}

/* name_length for a NUL-terminated name: the schema's own field names,
 * literals of [A-Za-z] only, so build_path copies them as they are and finds
 * their end while copying. */
#define NAME_IS_TERMINATED SIZE_MAX

static bool path_safe(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-' || c == '$';
}

/* A field path is printed by tools: a name from the input is reduced to safe
 * characters so that it can never carry terminal escapes or quotes. Runs once
 * per finding: pieces are copied as their ends are found, with no separate
 * pass to measure them. */
static void build_path(char out[OSPOLICY_MANIFEST_FIELD_PATH_MAX], where w, const char *name,
                       size_t name_length) {
  const size_t cap = OSPOLICY_MANIFEST_FIELD_PATH_MAX - 1u;
  size_t length = 0;
  if (w.prefix != NULL) {
    for (const char *c = w.prefix; *c != '\0' && length < cap; c++) {
      out[length++] = *c;
    }
  }
  if (w.index != NO_INDEX) {
    char text[12]; /* "[" and up to ten digits and "]" */
    size_t at = sizeof text;
    uint32_t value = w.index;
    text[--at] = ']';
    do {
      text[--at] = (char)('0' + value % 10u);
      value /= 10u;
    } while (value != 0u);
    text[--at] = '[';
    append(out, &length, text + at, sizeof text - at);
  }
  if (name != NULL) {
    if (length > 0u) {
      append(out, &length, ".", 1);
    }
    size_t room = cap - length;
    if (name_length == NAME_IS_TERMINATED) {
      size_t n = 0;
      for (; n < room && name[n] != '\0'; n++) {
        out[length + n] = name[n];
      }
      if (name[n] == '\0') {
        out[length + n] = '\0';
        return;
      }
      name_length = room + 1u; /* longer than the room: truncated below */
    }
    bool truncated = name_length > room;
    size_t take = truncated ? (room > 3u ? room - 3u : 0u) : name_length;
    for (size_t i = 0; i < take; i++) {
      out[length + i] = path_safe(name[i]) ? name[i] : '?';
    }
    length += take;
    if (truncated) {
      append(out, &length, "...", 3);
    }
  }
  out[length] = '\0';
}

static bool finding_before(const void *a, const void *b) {
  return ((const OSPolicy_ManifestFinding *)a)->offset < ((const OSPolicy_ManifestFinding *)b)->offset;
}

/* Stable sort of the stored findings by offset: findings at the same offset
 * stay in the order they were found. */
static void sort_findings(OSPolicy_ManifestResult *r) {
  _Static_assert(sizeof(OSPolicy_ManifestFinding) <= SORT_MAX_ITEM_SIZE, "findings fit the sort");
  (void)sort_stable_small(r->findings, r->finding_count, sizeof r->findings[0], finding_before);
}

/* Findings are discovered field by field (unknown members first, then name,
 * entry, ...), not in document order, so with more findings than room the
 * ones kept must be chosen by offset: once the array is full it is kept
 * sorted, and a new finding that lies earlier than the last (largest-offset)
 * one replaces it. The stored findings are then always the
 * OSPOLICY_MANIFEST_MAX_FINDINGS earliest in the document (ties: the first
 * found), and findings[0], whose status is the result's, the very first. */
/* Writes every field of one finding in place (line and column come later,
 * from finish_findings). */
static void fill_finding(OSPolicy_ManifestFinding *f, OSPolicy_Status status, uint32_t offset, where w,
                         const char *name, size_t name_length, const char *message) {
  f->status = status;
  f->detail = status;
  f->line = 0;
  f->column = 0;
  f->offset = offset;
  f->message = message;
  build_path(f->path, w, name, name_length);
}

static void report(validator *v, OSPolicy_Status status, uint32_t offset, where w,
                   const char *name, size_t name_length, const char *message) {
  OSPolicy_ManifestResult *r = v->result;
  r->findings_total++;
  OSPolicy_ManifestFinding *f;
  if (r->finding_count < OSPOLICY_MANIFEST_MAX_FINDINGS) {
    f = &r->findings[r->finding_count++];
    fill_finding(f, status, offset, w, name, name_length, message);
    if (r->finding_count == OSPOLICY_MANIFEST_MAX_FINDINGS) {
      sort_findings(r);
    }
    return;
  }
  size_t j = OSPOLICY_MANIFEST_MAX_FINDINGS - 1u;
  if (offset >= r->findings[j].offset) {
    return; /* not earlier than any stored one: counted, not kept */
  }
  /* Drop the last one; insert after any stored finding at the same offset. */
  while (j > 0u && r->findings[j - 1u].offset > offset) {
    r->findings[j] = r->findings[j - 1u];
    j--;
  }
  f = &r->findings[j];
  fill_finding(f, status, offset, w, name, name_length, message);
}

/* A finding about a schema field with a static name. */
static void report_field(validator *v, OSPolicy_Status status, uint32_t token, where w,
                         const char *name, const char *message) {
  report(v, status, v->t[token].start, w, name, NAME_IS_TERMINATED, message);
}

static const char *key_text(const validator *v, uint32_t key) {
  return v->strings + v->t[key].decoded;
}

/* Whether `length` bytes at s spell the NUL-terminated literal: one pass, no
 * strlen (s holds no NUL: the parser refuses \u0000). */
static bool bytes_are(const char *s, size_t length, const char *literal) {
  for (size_t i = 0; i < length; i++) {
    if (s[i] != literal[i]) {
      return false; /* a shorter literal stops here at its NUL */
    }
  }
  return literal[length] == '\0';
}

static bool string_is(const validator *v, uint32_t token, const char *literal) {
  return v->t[token].type == OSPOLICY_JSON_STRING &&
         bytes_are(key_text(v, token), v->t[token].count, literal);
}

static OSPolicy_ManifestString string_view(const validator *v, uint32_t token) {
  return (OSPolicy_ManifestString){
      .data = key_text(v, token), .length = v->t[token].count, .offset = v->t[token].start};
}

static uint32_t next_sibling(const validator *v, uint32_t token) {
  return v->t[token].after;
}

/* A schema member name with its length, so that a key is compared only with
 * the names of its own length. */
typedef struct member_name {
  const char *text;
  uint32_t length;
} member_name;

#define MEMBER(literal) {literal, (uint32_t)(sizeof(literal) - 1u)}

/* Sorts an object's members into `values` by the names in `names`; every
 * other member is reported as unknown. Values of absent members are ABSENT. */
static void collect_members(validator *v, uint32_t object, const member_name *names, size_t count,
                            uint32_t *values, where w) {
  for (size_t i = 0; i < count; i++) {
    values[i] = ABSENT;
  }
  for (uint32_t k = object + 1u; k < v->t[object].after; k = next_sibling(v, k + 1u)) {
    bool known = false;
    const char *key = key_text(v, k);
    uint32_t length = v->t[k].count;
    for (size_t i = 0; i < count; i++) {
      if (names[i].length == length && memcmp(key, names[i].text, length) == 0) {
        values[i] = k + 1u;
        known = true;
        break;
      }
    }
    if (!known) {
      report(v, OSPOLICY_ERR_MANIFEST_UNKNOWN_FIELD, v->t[k].start, w, key, length,
             "unknown field (a misspelt policy field must never pass silently)");
    }
  }
}

static void require(validator *v, uint32_t object, uint32_t value, where w, const char *name,
                    const char *message) {
  if (value == ABSENT) {
    report_field(v, OSPOLICY_ERR_MANIFEST_MISSING_FIELD, object, w, name, message);
  }
}

static bool expect_type(validator *v, uint32_t token, OSPolicy_JsonType type, where w,
                        const char *name, const char *message) {
  if (v->t[token].type != (uint32_t)type) {
    report_field(v, OSPOLICY_ERR_MANIFEST_WRONG_TYPE, token, w, name, message);
    return false;
  }
  return true;
}

static bool get_integer(validator *v, uint32_t token, uint64_t min, uint64_t max, where w,
                        const char *name, const char *range_message, uint64_t *out) {
  *out = 0;
  if (!expect_type(v, token, OSPOLICY_JSON_NUMBER, w, name, "must be an integer")) {
    return false;
  }
  uint64_t value;
  OSPolicy_Status status = OSPolicy_GetJsonUint64(v->text, &v->t[token], &value);
  if (status == OSPOLICY_ERR_INVALID_ARGUMENT) {
    report_field(v, OSPOLICY_ERR_MANIFEST_WRONG_TYPE, token, w, name,
                 "must be an integer (no fraction, no exponent)");
    return false;
  }
  if (status != OSPOLICY_OK || value < min || value > max) {
    report_field(v, OSPOLICY_ERR_MANIFEST_OUT_OF_RANGE, token, w, name, range_message);
    return false;
  }
  *out = value;
  return true;
}

/* ------------------------------------------------------- character rules */

/* Characters that hide, fake or reorder what a reviewer sees (CVE-2023-28101),
 * derived from Unicode 15.0 and kept in step with it by unit.manifest, which
 * checks every code point against Debian's unicode-data files:
 *   - General_Category Cc (C0, DEL, C1): below 0x20 and 0x7F..0x9F;
 *   - White_Space, except U+0020 itself: tab..CR, NEL, no-break space, Ogham
 *     space mark, U+2000..U+200A, line/paragraph separators, narrow no-break,
 *     medium mathematical and ideographic spaces (each prints as, or like, a
 *     space but compares differently);
 *   - Default_Ignorable_Code_Point: soft hyphen, combining grapheme joiner,
 *     Arabic letter mark, Hangul and Khmer and Mongolian fillers and
 *     selectors, zero-width and bidirectional controls, invisible operators,
 *     variation selectors, BOM, tags, and the reserved ranges Unicode keeps
 *     ignorable;
 *   - and two more that render as nothing: the interlinear annotation marks
 *     U+FFF9..U+FFFB and U+2800 BRAILLE PATTERN BLANK.
 * Code points below 0x80 are decided inline (the ASCII fast path); this table
 * holds the rest, sorted, as inclusive ranges. docs/manifest.md lists them. */
typedef struct code_point_range {
  uint32_t first, last;
} code_point_range;

static const code_point_range invisible_ranges[] = {
    {0x0080u, 0x00A0u},   {0x00ADu, 0x00ADu},   {0x034Fu, 0x034Fu},   {0x061Cu, 0x061Cu},
    {0x115Fu, 0x1160u},   {0x1680u, 0x1680u},   {0x17B4u, 0x17B5u},   {0x180Bu, 0x180Fu},
    {0x2000u, 0x200Fu},   {0x2028u, 0x202Fu},   {0x205Fu, 0x206Fu},   {0x2800u, 0x2800u},
    {0x3000u, 0x3000u},   {0x3164u, 0x3164u},   {0xFE00u, 0xFE0Fu},   {0xFEFFu, 0xFEFFu},
    {0xFFA0u, 0xFFA0u},   {0xFFF0u, 0xFFFBu},   {0x1BCA0u, 0x1BCA3u}, {0x1D173u, 0x1D17Au},
    {0xE0000u, 0xE0FFFu},
};

static bool is_invisible_above_ascii(uint32_t cp) {
  size_t low = 0, high = sizeof invisible_ranges / sizeof invisible_ranges[0];
  while (low < high) {
    size_t mid = low + (high - low) / 2u;
    if (cp < invisible_ranges[mid].first) {
      high = mid;
    } else if (cp > invisible_ranges[mid].last) {
      low = mid + 1u;
    } else {
      return true;
    }
  }
  return false;
}

/* The parser has validated every string as UTF-8, so a lead byte says how
 * many continuation bytes follow. */
static bool has_invisible(const char *s, size_t length) {
  const unsigned char *u = (const unsigned char *)s;
  size_t i = 0;
  while (i < length) {
    unsigned char c = u[i];
    if (c < 0x80u) {
      if (c < 0x20u || c == 0x7Fu) {
        return true;
      }
      i++;
      continue;
    }
    if (c < 0xE0u) {
      /* Two bytes, U+0080..U+07FF: only C1, no-break space, soft hyphen
       * (lead 0xC2), the combining grapheme joiner (0xCD 0x8F) and the
       * Arabic letter mark (0xD8 0x9C) are invisible there. */
      if (i + 1u >= length) {
        return true; /* cannot happen after the parser; refuse rather than read past */
      }
      unsigned char next = u[i + 1u];
      if ((c == 0xC2u && (next <= 0xA0u || next == 0xADu)) || (c == 0xCDu && next == 0x8Fu) ||
          (c == 0xD8u && next == 0x9Cu)) {
        return true;
      }
      i += 2u;
      continue;
    }
    uint32_t cp;
    size_t extra;
    if (c < 0xE0u) {
      cp = c & 0x1Fu;
      extra = 1u;
    } else if (c < 0xF0u) {
      cp = c & 0x0Fu;
      extra = 2u;
    } else {
      cp = c & 0x07u;
      extra = 3u;
    }
    if (extra > length - i - 1u) {
      return true; /* cannot happen after the parser; refuse rather than read past */
    }
    for (size_t k = 1; k <= extra; k++) {
      cp = (cp << 6) | (u[i + k] & 0x3Fu);
    }
    i += extra + 1u;
    if (is_invisible_above_ascii(cp)) {
      return true;
    }
  }
  return false;
}

/* Eight bytes at a time: the high bit of each byte of the result is set iff
 * that byte of `word` (all below 0x80) lies in [lo, hi]. No carry crosses a
 * byte: b + 0x80 - lo and b + 0x7F - hi stay below 0x100. */
#define BYTES_OF(x) ((uint64_t)(x) * 0x0101010101010101ull)
static inline uint64_t bytes_between(uint64_t word, unsigned lo, unsigned hi) {
  uint64_t at_least_lo = word + BYTES_OF(0x80u - lo);
  uint64_t above_hi = word + BYTES_OF(0x7Fu - hi);
  return at_least_lo & ~above_hi & BYTES_OF(0x80u);
}

static bool is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

static bool segment_is(const char *s, size_t length, const char *literal) {
  return bytes_are(s, length, literal);
}

/* The path rules of docs/manifest.md. Returns NULL if safe, else why not;
 * *root receives the ROOT_* the path lies under. */
static const char *path_problem(const char *s, size_t length, unsigned allowed, unsigned *root,
                                bool *is_root) {
  *root = 0;
  *is_root = false;
  if (length == 0u) {
    return "path is empty";
  }
  if (length > OSPOLICY_MANIFEST_MAX_PATH) {
    return "path is longer than 1024 bytes";
  }
  if (s[0] != '/') {
    return "path must be absolute (start with '/')";
  }
  bool non_ascii = false;
  const unsigned char *u = (const unsigned char *)s;
  size_t i = 0;
  /* Whole ASCII words with no backslash or control character are skipped
   * (the last one may overlap the one before); from the first other word
   * on, byte by byte, so the first problem in the path wins. */
  while (length >= 8u) {
    size_t at = i + 8u <= length ? i : length - 8u;
    uint64_t word = OSPolicy_LoadLe64(u + at);
    if ((word & BYTES_OF(0x80u)) != 0u ||
        (bytes_between(word, 0x00u, 0x1Fu) | bytes_between(word, '\\', '\\') |
         bytes_between(word, 0x7Fu, 0x7Fu)) != 0u) {
      break;
    }
    i = at + 8u;
    if (i == length) {
      break;
    }
  }
  for (; i < length; i++) {
    unsigned char c = u[i];
    if (c == '\\') {
      return "backslashes are not allowed in paths";
    }
    if (c < 0x20u || c == 0x7Fu) {
      return "control characters are not allowed in paths";
    }
    non_ascii |= c >= 0x80u;
  }
  if (non_ascii && has_invisible(s, length)) {
    return "invisible or formatting characters are not allowed in paths";
  }
  if (length == 1u) {
    return "path '/' is outside the allowed roots (/app, /data, /tmp)";
  }
  size_t start = 1;
  size_t segment = 0;
  for (;;) {
    size_t end = start;
    while (end < length && s[end] != '/') {
      end++;
    }
    size_t n = end - start;
    const char *seg = s + start;
    if (n == 0u) {
      return "empty path segment ('//' or a trailing '/')";
    }
    if (seg[0] == '.' && n == 1u) {
      return "'.' segments are not allowed in paths";
    }
    if (seg[0] == '.' && n == 2u && seg[1] == '.') {
      return "'..' segments are not allowed in paths";
    }
    if (n > OSPOLICY_MANIFEST_MAX_SEGMENT) {
      return "a path segment is longer than 255 bytes";
    }
    if (segment == 0u) {
      if (n == 3u && segment_is(seg, n, "app")) {
        *root = ROOT_APP;
      } else if (n == 4u && segment_is(seg, n, "data")) {
        *root = ROOT_DATA;
      } else if (n == 3u && segment_is(seg, n, "tmp")) {
        *root = ROOT_TMP;
      }
      if ((*root & allowed) == 0u) {
        return allowed == ROOT_APP ? "path is outside /app, the only root this field allows"
                                   : "path is outside the allowed roots (/app, /data, /tmp)";
      }
    }
    segment++;
    if (end == length) {
      break;
    }
    start = end + 1u;
  }
  *is_root = segment == 1u;
  return NULL;
}

/* ------------------------------------------------------------ the fields */

static void check_name(validator *v, uint32_t token) {
  where w = {"", NO_INDEX};
  if (!expect_type(v, token, OSPOLICY_JSON_STRING, w, "name", "name must be a string")) {
    return;
  }
  OSPolicy_ManifestString s = string_view(v, token);
  if (s.length == 0u || s.length > OSPOLICY_MANIFEST_MAX_NAME) {
    report_field(v, OSPOLICY_ERR_MANIFEST_OUT_OF_RANGE, token, w, "name",
                 "name must be 1..64 bytes long");
    return;
  }
  bool ok = is_alpha(s.data[0]) || is_digit(s.data[0]);
  for (size_t i = 1; ok && i < s.length; i++) {
    char c = s.data[i];
    ok = is_alpha(c) || is_digit(c) || c == '.' || c == '_' || c == '-';
  }
  /* A name of those characters holds nothing invisible: the invisible check
   * (whose finding comes first) is needed only for the others. */
  if (!ok && has_invisible(s.data, s.length)) {
    report_field(v, OSPOLICY_ERR_MANIFEST_UNPRINTABLE, token, w, "name",
                 "name holds control or invisible characters");
    return;
  }
  if (!ok) {
    report_field(v, OSPOLICY_ERR_MANIFEST_BAD_VALUE, token, w, "name",
                 "name must match [A-Za-z0-9][A-Za-z0-9._-]*");
    return;
  }
  v->view->name = s;
}

static void check_entry(validator *v, uint32_t token) {
  where w = {"", NO_INDEX};
  if (!expect_type(v, token, OSPOLICY_JSON_STRING, w, "entry", "entry must be a string path")) {
    return;
  }
  OSPolicy_ManifestString s = string_view(v, token);
  unsigned root;
  bool is_root;
  const char *problem = path_problem(s.data, s.length, ROOT_APP, &root, &is_root);
  if (problem == NULL && is_root) {
    problem = "entry must name a file below /app, not /app itself";
  }
  if (problem != NULL) {
    report_field(v, OSPOLICY_ERR_MANIFEST_UNSAFE_PATH, token, w, "entry", problem);
    return;
  }
  v->view->entry = s;
}

/* Whether every byte of s[0..length) is in [A-Za-z0-9_]. */
static bool all_env_name_bytes(const unsigned char *s, size_t length) {
  for (size_t i = 0;; i += 8u) {
    uint64_t word;
    if (i + 8u <= length) {
      word = OSPolicy_LoadLe64(s + i);
    } else if (i < length) {
      word = BYTES_OF('A'); /* the tail, padded with a byte that passes */
      for (size_t k = 0; i + k < length; k++) {
        word = (word & ~((uint64_t)0xFF << (8u * k))) | ((uint64_t)s[i + k] << (8u * k));
      }
    } else {
      return true;
    }
    if ((word & BYTES_OF(0x80u)) != 0u) {
      return false; /* not ASCII */
    }
    uint64_t ok = bytes_between(word, '0', '9') | bytes_between(word, 'A', 'Z') |
                  bytes_between(word, 'a', 'z') | bytes_between(word, '_', '_');
    if (ok != BYTES_OF(0x80u)) {
      return false;
    }
  }
}

static bool env_name_problem(validator *v, uint32_t token, where w) {
  OSPolicy_ManifestString s = string_view(v, token);
  const char *problem = NULL;
  if (s.length == 0u) {
    problem = "env name is empty";
  } else if (s.length > OSPOLICY_MANIFEST_MAX_ENV_NAME) {
    problem = "env name is longer than 128 bytes";
  } else {
    const unsigned char *u = (const unsigned char *)s.data;
    bool starts = u[0] == '_' || (u[0] >= 'A' && u[0] <= 'Z') || (u[0] >= 'a' && u[0] <= 'z');
    if (!starts || !all_env_name_bytes(u, s.length)) {
      problem = "env name must match [A-Za-z_][A-Za-z0-9_]*";
    }
  }
  if (problem != NULL) {
    report_field(v, OSPOLICY_ERR_MANIFEST_BAD_ENV_NAME, token, w, "name", problem);
    return true;
  }
  return false;
}

static unsigned char fold(char c) {
  return (unsigned char)((c >= 'a' && c <= 'z') ? c - 'a' + 'A' : c);
}

static int compare_bytes(const OSPolicy_ManifestString *x, const OSPolicy_ManifestString *y,
                         bool fold_case) {
  size_t n = x->length < y->length ? x->length : y->length;
  for (size_t i = 0; i < n; i++) {
    unsigned char cx = fold_case ? fold(x->data[i]) : (unsigned char)x->data[i];
    unsigned char cy = fold_case ? fold(y->data[i]) : (unsigned char)y->data[i];
    if (cx != cy) {
      return cx < cy ? -1 : 1;
    }
  }
  return x->length == y->length ? 0 : (x->length < y->length ? -1 : 1);
}

/* What a duplicate scan compares: env names (ASCII case folded), file paths
 * and syscall names (exact bytes). */
typedef enum dup_kind { DUP_ENV, DUP_FILES, DUP_SYSCALLS } dup_kind;

typedef struct dup_context {
  const validator *v;
  dup_kind kind;
} dup_context;

static const OSPolicy_ManifestString *dup_key(const dup_context *c, uint32_t i) {
  switch (c->kind) {
    case DUP_ENV:
      return &c->v->env[i].name;
    case DUP_FILES:
      return &c->v->files[i].path;
    case DUP_SYSCALLS:
    default:
      return &c->v->syscalls[i];
  }
}

static int compare_dup_keys(uint32_t a, uint32_t b, const void *context) {
  const dup_context *c = context;
  int order = compare_bytes(dup_key(c, a), dup_key(c, b), c->kind == DUP_ENV);
  if (order != 0) {
    return order;
  }
  return a < b ? -1 : (a > b ? 1 : 0); /* equal keys stay in document order */
}

/* Env names hash with bit 5 of every byte cleared: on their alphabet
 * [A-Za-z0-9_] that maps each letter to its capital and keeps every other
 * byte distinct, so names that differ only in ASCII case hash alike
 * (compare_bytes then folds exactly). */
static uint32_t hash_key(const OSPolicy_ManifestString *key, bool fold_case) {
  return hash_bytes(key->data, key->length, fold_case ? 0xDFDFDFDFDFDFDFDFull : ~0ull);
}

/* Groups sharing a hash at most this long are compared pairwise. */
enum { DUP_PAIRWISE_GROUP = 8 };

/* Lists of up to DUP_TABLE_ENTRIES go through a small table on the stack
 * instead of the radix sort (which costs more than the names on short lists);
 * a probe longer than DUP_TABLE_PROBES (crafted names) sends the list to the
 * sort, so nothing here is quadratic. */
enum { DUP_TABLE_ENTRIES = 64, DUP_TABLE_SLOTS = 128, DUP_TABLE_PROBES = 8 };

/* Up to this many entries, every pair is compared (lengths first): no
 * hashing, no table. */
enum { DUP_PAIRWISE_LIST = 8 };

/* Marks in *later each entry equal to an earlier one; false if a probe ran
 * too long (nothing reported yet: the caller starts over with the sort). */
static bool find_duplicates_small(const validator *v, size_t count, const dup_context *c,
                                  bool fold_case, uint64_t *later) {
  if (count <= DUP_PAIRWISE_LIST) {
    uint64_t found = 0;
    for (size_t i = 1; i < count; i++) {
      const OSPolicy_ManifestString *key = dup_key(c, v->scratch[i]);
      for (size_t j = 0; j < i; j++) {
        const OSPolicy_ManifestString *other = dup_key(c, v->scratch[j]);
        if (other->length == key->length && compare_bytes(other, key, fold_case) == 0) {
          found |= (uint64_t)1 << i;
          break;
        }
      }
    }
    *later = found;
    return true;
  }
  unsigned char table[DUP_TABLE_SLOTS]; /* entry + 1; 0: free */
  memset(table, 0, sizeof table);
  uint64_t *hashes = v->keys;
  uint64_t found = 0;
  for (size_t i = 0; i < count; i++) {
    const OSPolicy_ManifestString *key = dup_key(c, v->scratch[i]);
    uint32_t h = hash_key(key, fold_case);
    hashes[i] = h;
    size_t slot = h & (DUP_TABLE_SLOTS - 1u);
    for (unsigned probes = 0;; probes++) {
      if (table[slot] == 0u) {
        table[slot] = (unsigned char)(i + 1u);
        break;
      }
      size_t j = table[slot] - 1u;
      if (hashes[j] == h && compare_bytes(dup_key(c, v->scratch[j]), key, fold_case) == 0) {
        found |= (uint64_t)1 << i;
        break;
      }
      if (probes == DUP_TABLE_PROBES) {
        return false;
      }
      slot = (slot + 1u) & (DUP_TABLE_SLOTS - 1u);
    }
  }
  *later = found;
  return true;
}

/* Long lists: the same open addressing, in the scratch past the list's
 * indices (free once the parse is done: it holds 4 words per token, and
 * every entry is at least one token), at most half full. Marks each entry
 * equal to an earlier one with bit 32 of v->keys[i] (its hash below); false
 * if the room is short or a probe ran past DUP_BIG_PROBES (crafted names):
 * nothing is reported yet, and the caller starts over with the sort. */
enum { DUP_BIG_PROBES = 128 }; /* at most half full: honest lists never get near */
static bool find_duplicates_big(validator *v, size_t count, const dup_context *c,
                                bool fold_case) {
  size_t slots = 2u * DUP_TABLE_SLOTS;
  while (slots < 2u * count) {
    slots *= 2u;
  }
  if (v->l->scratch_cap < count || v->l->scratch_cap - count < slots) {
    return false;
  }
  uint32_t *table = v->scratch + count; /* entry + 1; 0: free */
  memset(table, 0, slots * sizeof table[0]);
  uint64_t *marks = v->keys;
  for (size_t i = 0; i < count; i++) {
    const OSPolicy_ManifestString *key = dup_key(c, v->scratch[i]);
    uint32_t h = hash_key(key, fold_case);
    marks[i] = h;
    size_t slot = h & (slots - 1u);
    for (unsigned probes = 0;; probes++) {
      if (table[slot] == 0u) {
        table[slot] = (uint32_t)i + 1u;
        break;
      }
      size_t j = table[slot] - 1u;
      if ((uint32_t)marks[j] == h && compare_bytes(dup_key(c, v->scratch[j]), key, fold_case) == 0) {
        marks[i] |= (uint64_t)1 << 32;
        break;
      }
      if (probes == DUP_BIG_PROBES) {
        return false;
      }
      slot = (slot + 1u) & (slots - 1u);
    }
  }
  return true;
}

/* The `count` entries whose indices are in v->scratch (document order) are
 * checked for equal keys; every entry equal to an earlier one is reported
 * (each later occurrence in the document). Short lists: a table on the
 * stack; longer ones: a table in the scratch. Crafted collisions (a probe
 * too long) or no room: hash, radix sort, then compare
 * bytes within groups of equal hashes: a group larger than
 * DUP_PAIRWISE_GROUP (only crafted names collide that much) is heapsorted
 * by full comparison instead. */
static void report_duplicates(validator *v, size_t count, dup_kind kind, OSPolicy_Status status,
                              const char *prefix, const char *field, const char *message) {
  dup_context c = {v, kind};
  bool fold_case = kind == DUP_ENV;
  size_t field_length = field != NULL ? cstr_length(field) : 0u;
  if (count < 2u) {
    return;
  }
  if (count > v->l->key_cap / 2u) {
    /* Cannot happen (key_cap is twice the longest list's capacity); should it,
     * the list is refused, never passed unchecked. */
    report(v, status, 0u, (where){prefix, NO_INDEX}, field, field_length,
           "duplicate check had no room in the workspace: the list is refused");
    return;
  }
  uint64_t repeats;
  if (count <= DUP_TABLE_ENTRIES && find_duplicates_small(v, count, &c, fold_case, &repeats)) {
    for (size_t i = 0; repeats != 0u; i++, repeats >>= 1) {
      if ((repeats & 1u) != 0u) {
        report(v, status, dup_key(&c, v->scratch[i])->offset, (where){prefix, v->scratch[i]},
               field, field_length, message);
      }
    }
    return;
  }
  if (count > DUP_TABLE_ENTRIES && find_duplicates_big(v, count, &c, fold_case)) {
    for (size_t i = 0; i < count; i++) {
      if ((v->keys[i] >> 32) != 0u) {
        report(v, status, dup_key(&c, v->scratch[i])->offset, (where){prefix, v->scratch[i]},
               field, field_length, message);
      }
    }
    return;
  }
  uint64_t *keys = v->keys;
  for (size_t i = 0; i < count; i++) {
    keys[i] = ((uint64_t)hash_key(dup_key(&c, v->scratch[i]), fold_case) << 32) | v->scratch[i];
  }
  sort_u64(keys, keys + count, count);
  for (size_t start = 0; start < count;) {
    size_t end = start + 1u;
    while (end < count && (keys[end] >> 32) == (keys[start] >> 32)) {
      end++;
    }
    size_t group = end - start;
    if (group > 1u && group <= DUP_PAIRWISE_GROUP) {
      /* Stable radix sort: the group is in document order. */
      for (size_t j = start + 1u; j < end; j++) {
        const OSPolicy_ManifestString *later = dup_key(&c, (uint32_t)keys[j]);
        for (size_t i = start; i < j; i++) {
          if (compare_bytes(dup_key(&c, (uint32_t)keys[i]), later, fold_case) == 0) {
            report(v, status, later->offset, (where){prefix, (uint32_t)keys[j]}, field,
                   field_length, message);
            break;
          }
        }
      }
    } else if (group > DUP_PAIRWISE_GROUP) {
      for (size_t i = 0; i < group; i++) {
        v->scratch[i] = (uint32_t)keys[start + i];
      }
      sort_indices(v->scratch, group, compare_dup_keys, &c);
      for (size_t i = 1; i < group; i++) {
        const OSPolicy_ManifestString *current = dup_key(&c, v->scratch[i]);
        if (compare_bytes(dup_key(&c, v->scratch[i - 1u]), current, fold_case) == 0) {
          report(v, status, current->offset, (where){prefix, v->scratch[i]}, field, field_length,
                 message);
        }
      }
    }
    start = end;
  }
}

static void check_env(validator *v, uint32_t array) {
  where top = {"", NO_INDEX};
  if (!expect_type(v, array, OSPOLICY_JSON_ARRAY, top, "env",
                   "env must be an array of {\"name\", \"value\"} objects")) {
    return;
  }
  if (v->t[array].count > OSPOLICY_MANIFEST_MAX_ENV) {
    report_field(v, OSPOLICY_ERR_MANIFEST_TOO_MANY, array, top, "env",
                 "env has more than 4096 entries");
  }
  static const member_name names[] = {MEMBER("name"), MEMBER("value")};
  size_t stored = 0, sortable = 0;
  uint32_t index = 0;
  for (uint32_t e = array + 1u; e < v->t[array].after; e = next_sibling(v, e), index++) {
    where w = {"env", index};
    OSPolicy_ManifestEnv entry = {{0}, {0}};
    bool name_ok = false;
    if (expect_type(v, e, OSPOLICY_JSON_OBJECT, w, NULL,
                    "each env entry must be an object {\"name\", \"value\"}")) {
      uint32_t values[2];
      collect_members(v, e, names, 2, values, w);
      require(v, e, values[0], w, "name", "env entry has no name");
      require(v, e, values[1], w, "value", "env entry has no value");
      if (values[0] != ABSENT &&
          expect_type(v, values[0], OSPOLICY_JSON_STRING, w, "name", "env name must be a string")) {
        entry.name = string_view(v, values[0]);
        name_ok = !env_name_problem(v, values[0], w);
      }
      if (values[1] != ABSENT && expect_type(v, values[1], OSPOLICY_JSON_STRING, w, "value",
                                             "env value must be a string")) {
        entry.value = string_view(v, values[1]);
        if (entry.value.length > OSPOLICY_MANIFEST_MAX_ENV_VALUE) {
          report_field(v, OSPOLICY_ERR_MANIFEST_OUT_OF_RANGE, values[1], w, "value",
                       "env value is longer than 4096 bytes");
        } else if (has_invisible(entry.value.data, entry.value.length)) {
          report_field(v, OSPOLICY_ERR_MANIFEST_UNPRINTABLE, values[1], w, "value",
                       "env value holds control or invisible characters");
        }
      }
    }
    if (stored < v->l->env_cap) {
      v->env[stored] = entry;
      if (name_ok) {
        v->scratch[sortable++] = (uint32_t)stored;
      }
      stored++;
    }
  }
  report_duplicates(v, sortable, DUP_ENV, OSPOLICY_ERR_MANIFEST_DUPLICATE_ENV_KEY, "env",
                           "name",
                           "environment variable named twice (names differing only in ASCII "
                           "case count as the same)");
  v->view->env = v->env;
  v->view->env_count = stored;
}

static void check_files(validator *v, uint32_t array) {
  where top = {"", NO_INDEX};
  if (!expect_type(v, array, OSPOLICY_JSON_ARRAY, top, "files",
                   "files must be an array of {\"path\", \"access\"} objects")) {
    return;
  }
  if (v->t[array].count > OSPOLICY_MANIFEST_MAX_FILES) {
    report_field(v, OSPOLICY_ERR_MANIFEST_TOO_MANY, array, top, "files",
                 "files has more than 256 entries");
  }
  static const member_name names[] = {MEMBER("path"), MEMBER("access")};
  size_t stored = 0, sortable = 0;
  uint32_t index = 0;
  for (uint32_t e = array + 1u; e < v->t[array].after; e = next_sibling(v, e), index++) {
    where w = {"files", index};
    OSPolicy_ManifestFile entry = {{0}, OSPOLICY_FILE_ACCESS_UNSET};
    bool path_ok = false;
    unsigned root = 0;
    if (expect_type(v, e, OSPOLICY_JSON_OBJECT, w, NULL,
                    "each files entry must be an object {\"path\", \"access\"}")) {
      uint32_t values[2];
      collect_members(v, e, names, 2, values, w);
      require(v, e, values[0], w, "path", "files entry has no path");
      require(v, e, values[1], w, "access", "files entry has no access (\"ro\" or \"rw\")");
      if (values[0] != ABSENT &&
          expect_type(v, values[0], OSPOLICY_JSON_STRING, w, "path", "path must be a string")) {
        entry.path = string_view(v, values[0]);
        bool is_root;
        const char *problem = path_problem(entry.path.data, entry.path.length,
                                           ROOT_APP | ROOT_DATA | ROOT_TMP, &root, &is_root);
        if (problem != NULL) {
          report_field(v, OSPOLICY_ERR_MANIFEST_UNSAFE_PATH, values[0], w, "path", problem);
        } else {
          path_ok = true;
        }
      }
      if (values[1] != ABSENT && expect_type(v, values[1], OSPOLICY_JSON_STRING, w, "access",
                                             "access must be a string")) {
        if (string_is(v, values[1], "ro")) {
          entry.access = OSPOLICY_FILE_ACCESS_READ_ONLY;
        } else if (string_is(v, values[1], "rw")) {
          entry.access = OSPOLICY_FILE_ACCESS_READ_WRITE;
          if (path_ok && root == ROOT_APP) {
            report_field(v, OSPOLICY_DENIED_MANIFEST_WRITABLE_APP, values[1], w, "access",
                         "the app's own code under /app may only be read (\"ro\")");
          }
        } else {
          report_field(v, OSPOLICY_ERR_MANIFEST_BAD_VALUE, values[1], w, "access",
                       "access must be \"ro\" or \"rw\"");
        }
      }
    }
    if (stored < v->l->file_cap) {
      v->files[stored] = entry;
      if (path_ok) {
        v->scratch[sortable++] = (uint32_t)stored;
      }
      stored++;
    }
  }
  report_duplicates(v, sortable, DUP_FILES, OSPOLICY_ERR_MANIFEST_DUPLICATE_ENTRY,
                           "files", "path", "the same path is listed twice");
  v->view->files = v->files;
  v->view->file_count = stored;
}

static void check_listen(validator *v, uint32_t array) {
  where top = {"network", NO_INDEX};
  if (!expect_type(v, array, OSPOLICY_JSON_ARRAY, top, "listen",
                   "listen must be an array of {\"port\", \"protocol\"} objects")) {
    return;
  }
  if (v->t[array].count > OSPOLICY_MANIFEST_MAX_LISTEN) {
    report_field(v, OSPOLICY_ERR_MANIFEST_TOO_MANY, array, top, "listen",
                 "network.listen has more than 64 entries");
  }
  static const member_name names[] = {MEMBER("port"), MEMBER("protocol")};
  size_t stored = 0;
  uint32_t index = 0;
  for (uint32_t e = array + 1u; e < v->t[array].after; e = next_sibling(v, e), index++) {
    where w = {"network.listen", index};
    OSPolicy_ManifestListen entry = {0, OSPOLICY_NET_PROTOCOL_UNSET};
    uint32_t port_token = e;
    if (expect_type(v, e, OSPOLICY_JSON_OBJECT, w, NULL,
                    "each listen entry must be an object {\"port\", \"protocol\"}")) {
      uint32_t values[2];
      collect_members(v, e, names, 2, values, w);
      require(v, e, values[0], w, "port", "listen entry has no port");
      require(v, e, values[1], w, "protocol", "listen entry has no protocol (\"tcp\" or \"udp\")");
      uint64_t port;
      if (values[0] != ABSENT && get_integer(v, values[0], 1u, 65535u, w, "port",
                                             "port must be 1..65535", &port)) {
        entry.port = (uint16_t)port;
        port_token = values[0];
      }
      if (values[1] != ABSENT && expect_type(v, values[1], OSPOLICY_JSON_STRING, w, "protocol",
                                             "protocol must be a string")) {
        if (string_is(v, values[1], "tcp")) {
          entry.protocol = OSPOLICY_NET_PROTOCOL_TCP;
        } else if (string_is(v, values[1], "udp")) {
          entry.protocol = OSPOLICY_NET_PROTOCOL_UDP;
        } else {
          report_field(v, OSPOLICY_ERR_MANIFEST_BAD_VALUE, values[1], w, "protocol",
                       "protocol must be \"tcp\" or \"udp\"");
        }
      }
    }
    if (stored < v->l->listen_cap) {
      /* At most 64 entries are stored: a pairwise scan is bounded. */
      if (entry.port != 0u && entry.protocol != OSPOLICY_NET_PROTOCOL_UNSET) {
        for (size_t j = 0; j < stored; j++) {
          if (v->listen[j].port == entry.port && v->listen[j].protocol == entry.protocol) {
            report_field(v, OSPOLICY_ERR_MANIFEST_DUPLICATE_ENTRY, port_token, w, "port",
                         "the same port and protocol are listed twice");
            break;
          }
        }
      }
      v->listen[stored++] = entry;
    }
  }
  v->view->listen = v->listen;
  v->view->listen_count = stored;
}

static void check_network(validator *v, uint32_t object) {
  where top = {"", NO_INDEX};
  if (!expect_type(v, object, OSPOLICY_JSON_OBJECT, top, "network",
                   "network must be an object {\"listen\": [...]}")) {
    return;
  }
  static const member_name names[] = {MEMBER("listen")};
  uint32_t values[1];
  collect_members(v, object, names, 1, values, (where){"network", NO_INDEX});
  if (values[0] != ABSENT) {
    check_listen(v, values[0]);
  }
}

static void check_capabilities(validator *v, uint32_t array) {
  where top = {"", NO_INDEX};
  if (!expect_type(v, array, OSPOLICY_JSON_ARRAY, top, "capabilities",
                   "capabilities must be an array of capability names")) {
    return;
  }
  if (v->t[array].count > OSPOLICY_MANIFEST_MAX_CAPABILITIES) {
    report_field(v, OSPOLICY_ERR_MANIFEST_TOO_MANY, array, top, "capabilities",
                 "capabilities has more than 64 entries");
  }
  uint32_t index = 0;
  uint64_t mask = 0;
  size_t count = 0;
  for (uint32_t e = array + 1u; e < v->t[array].after; e = next_sibling(v, e), index++) {
    where w = {"capabilities", index};
    if (!expect_type(v, e, OSPOLICY_JSON_STRING, w, NULL, "a capability must be a string")) {
      continue;
    }
    uint32_t found = OSPOLICY_CAPABILITY_COUNT;
    for (uint32_t c = 0; c < OSPOLICY_CAPABILITY_COUNT; c++) {
      if (string_is(v, e, capability_names[c])) {
        found = c;
        break;
      }
    }
    if (found == OSPOLICY_CAPABILITY_COUNT) {
      report_field(v, OSPOLICY_ERR_MANIFEST_UNKNOWN_CAPABILITY, e, w, NULL,
                   "not a capability this build knows (write the Linux name, e.g. "
                   "CAP_NET_BIND_SERVICE)");
      continue;
    }
    uint64_t bit = (uint64_t)1 << found;
    if ((mask & bit) != 0u) {
      report_field(v, OSPOLICY_ERR_MANIFEST_DUPLICATE_ENTRY, e, w, NULL,
                   "the same capability is listed twice");
      continue;
    }
    mask |= bit;
    count++;
  }
  v->view->capabilities = mask;
  v->view->capability_count = count;
}

static void check_mac_label(validator *v, uint32_t token) {
  where w = {"", NO_INDEX};
  if (!expect_type(v, token, OSPOLICY_JSON_STRING, w, "macLabel", "macLabel must be a string")) {
    return;
  }
  OSPolicy_ManifestString s = string_view(v, token);
  if (s.length == 0u || s.length > OSPOLICY_MANIFEST_MAX_MAC_LABEL) {
    report_field(v, OSPOLICY_ERR_MANIFEST_OUT_OF_RANGE, token, w, "macLabel",
                 "macLabel must be 1..255 bytes long");
    return;
  }
  if (has_invisible(s.data, s.length)) {
    report_field(v, OSPOLICY_ERR_MANIFEST_UNPRINTABLE, token, w, "macLabel",
                 "macLabel holds control or invisible characters");
    return;
  }
  for (size_t i = 0; i < s.length; i++) {
    unsigned char c = (unsigned char)s.data[i];
    if (c < 0x21u || c > 0x7Eu) {
      report_field(v, OSPOLICY_ERR_MANIFEST_BAD_VALUE, token, w, "macLabel",
                   "macLabel must be printable ASCII without spaces");
      return;
    }
  }
  v->view->mac_label = s;
}

static void check_syscalls(validator *v, uint32_t array) {
  where top = {"", NO_INDEX};
  if (!expect_type(v, array, OSPOLICY_JSON_ARRAY, top, "syscalls",
                   "syscalls must be an array of syscall names")) {
    return;
  }
  if (v->t[array].count > OSPOLICY_MANIFEST_MAX_SYSCALLS) {
    report_field(v, OSPOLICY_ERR_MANIFEST_TOO_MANY, array, top, "syscalls",
                 "syscalls has more than 512 entries");
  }
  size_t stored = 0, sortable = 0;
  uint32_t index = 0;
  for (uint32_t e = array + 1u; e < v->t[array].after; e = next_sibling(v, e), index++) {
    where w = {"syscalls", index};
    OSPolicy_ManifestString s = {0};
    bool ok = false;
    if (expect_type(v, e, OSPOLICY_JSON_STRING, w, NULL, "a syscall name must be a string")) {
      s = string_view(v, e);
      ok = s.length > 0u && s.length <= OSPOLICY_MANIFEST_MAX_SYSCALL_NAME &&
           ((s.data[0] >= 'a' && s.data[0] <= 'z') || s.data[0] == '_');
      for (size_t i = 1; ok && i < s.length; i++) {
        char c = s.data[i];
        ok = (c >= 'a' && c <= 'z') || is_digit(c) || c == '_';
      }
      if (!ok) {
        report_field(v, OSPOLICY_ERR_MANIFEST_BAD_VALUE, e, w, NULL,
                     "a syscall name must match [a-z_][a-z0-9_]* (1..64 bytes)");
      }
    }
    if (stored < v->l->syscall_cap) {
      v->syscalls[stored] = s;
      if (ok) {
        v->scratch[sortable++] = (uint32_t)stored;
      }
      stored++;
    }
  }
  report_duplicates(v, sortable, DUP_SYSCALLS, OSPOLICY_ERR_MANIFEST_DUPLICATE_ENTRY,
                           "syscalls", NULL, "the same syscall is listed twice");
  v->view->syscalls = v->syscalls;
  v->view->syscall_count = stored;
}

static void check_limits(validator *v, uint32_t object) {
  where top = {"", NO_INDEX};
  if (!expect_type(v, object, OSPOLICY_JSON_OBJECT, top, "limits",
                   "limits must be an object {\"memoryBytes\", \"openFiles\", \"processes\"}")) {
    return;
  }
  static const member_name names[] = {MEMBER("memoryBytes"), MEMBER("openFiles"), MEMBER("processes")};
  uint32_t values[3];
  where w = {"limits", NO_INDEX};
  collect_members(v, object, names, 3, values, w);
  uint64_t value;
  if (values[0] != ABSENT &&
      get_integer(v, values[0], OSPOLICY_MANIFEST_MIN_MEMORY_BYTES,
                  OSPOLICY_MANIFEST_MAX_MEMORY_BYTES, w, "memoryBytes",
                  "memoryBytes must be 1048576 (1 MiB) .. 1099511627776 (1 TiB)", &value)) {
    v->view->memory_bytes = value;
  }
  if (values[1] != ABSENT && get_integer(v, values[1], 1u, OSPOLICY_MANIFEST_MAX_OPEN_FILES, w,
                                         "openFiles", "openFiles must be 1..1048576", &value)) {
    v->view->open_files = (uint32_t)value;
  }
  if (values[2] != ABSENT && get_integer(v, values[2], 1u, OSPOLICY_MANIFEST_MAX_PROCESSES, w,
                                         "processes", "processes must be 1..65536", &value)) {
    v->view->processes = (uint32_t)value;
  }
}

/* One cloudMetadata.paths entry: the request-path syntax of the IMDS planner
 * (ospolicy/imds_policy.h), under /latest/meta-data/, /latest/dynamic/ or
 * exactly /latest/user-data, and never the credentials tree (granted by
 * credentials.role alone). */
static const char *metadata_path_problem(const char *s, size_t length) {
  const char *why = NULL;
  if (OSPolicy_CheckImdsPath(s, length, &why) != OSPOLICY_OK) {
    return why != NULL ? why : "not a metadata path";
  }
  static const char *const roots[] = {"/latest/meta-data/", "/latest/dynamic/"};
  bool under_root = segment_is(s, length, "/latest/user-data");
  for (size_t i = 0; i < 2u && !under_root; i++) {
    size_t n = cstr_length(roots[i]);
    under_root = length >= n && memcmp(s, roots[i], n) == 0;
  }
  if (!under_root) {
    return "a granted path lies below /latest/meta-data/ or /latest/dynamic/, or is "
           "/latest/user-data";
  }
  static const char credentials[] = OSPOLICY_IMDS_CREDENTIALS_PATH;
  size_t n = sizeof credentials - 1u;
  if (length >= n && memcmp(s, credentials, n) == 0 && (length == n || s[n] == '/')) {
    return "role credentials are granted by credentials.role, never by a path";
  }
  if (OSPolicy_IsImdsCredentialPath(s, length)) {
    return "instance credentials (identity-credentials, security-credentials) are never granted";
  }
  return NULL;
}

static void check_metadata_paths(validator *v, uint32_t array, where w) {
  if (!expect_type(v, array, OSPOLICY_JSON_ARRAY, w, "paths",
                   "paths must be an array of metadata paths")) {
    return;
  }
  if (v->t[array].count > OSPOLICY_MANIFEST_MAX_METADATA_PATHS) {
    report_field(v, OSPOLICY_ERR_MANIFEST_TOO_MANY, array, w, "paths",
                 "cloudMetadata.paths has more than 32 entries");
  }
  size_t stored = 0;
  uint32_t index = 0;
  for (uint32_t e = array + 1u; e < v->t[array].after; e = next_sibling(v, e), index++) {
    where at = {"cloudMetadata.paths", index};
    if (!expect_type(v, e, OSPOLICY_JSON_STRING, at, NULL, "a metadata path must be a string")) {
      continue;
    }
    OSPolicy_ManifestString s = string_view(v, e);
    const char *problem = metadata_path_problem(s.data, s.length);
    if (problem != NULL) {
      report_field(v, OSPOLICY_ERR_MANIFEST_UNSAFE_PATH, e, at, NULL, problem);
      continue;
    }
    /* At most 32 stored: the pairwise duplicate scan stays small. */
    bool duplicate = false;
    for (size_t k = 0; k < stored && !duplicate; k++) {
      duplicate = v->view->metadata_paths[k].length == s.length &&
                  memcmp(v->view->metadata_paths[k].data, s.data, s.length) == 0;
    }
    if (duplicate) {
      report_field(v, OSPOLICY_ERR_MANIFEST_DUPLICATE_ENTRY, e, at, NULL,
                   "the same metadata path is granted twice");
    } else if (stored < OSPOLICY_MANIFEST_MAX_METADATA_PATHS) {
      v->view->metadata_paths[stored++] = s;
    }
  }
  v->view->metadata_path_count = stored;
}

/* credentials: {"role": "<IAM role name>"}: the only way to grant role
 * credentials, and only those of the role named. */
static void check_metadata_credentials(validator *v, uint32_t object, where w) {
  if (!expect_type(v, object, OSPOLICY_JSON_OBJECT, w, "credentials",
                   "credentials must be an object {\"role\"}")) {
    return;
  }
  static const member_name names[] = {MEMBER("role")};
  uint32_t values[1];
  where inner = {"cloudMetadata.credentials", NO_INDEX};
  collect_members(v, object, names, 1, values, inner);
  require(v, object, values[0], inner, "role",
          "credentials has no role (the one role whose credentials the app may read)");
  if (values[0] == ABSENT ||
      !expect_type(v, values[0], OSPOLICY_JSON_STRING, inner, "role", "role must be a string")) {
    return;
  }
  OSPolicy_ManifestString s = string_view(v, values[0]);
  bool ok = s.length >= 1u && s.length <= OSPOLICY_MANIFEST_MAX_METADATA_ROLE;
  for (size_t i = 0; ok && i < s.length; i++) {
    char c = s.data[i];
    /* IAM also allows + = , @, but the metadata path syntax does not: a
     * role named with them could never be fetched, so it is refused here. */
    ok = is_alpha(c) || is_digit(c) || c == '.' || c == '_' || c == '-';
  }
  if (!ok) {
    report_field(v, OSPOLICY_ERR_MANIFEST_BAD_VALUE, values[0], inner, "role",
                 "role must be 1..64 of [A-Za-z0-9._-] (the IAM role-name characters a "
                 "metadata path can carry)");
    return;
  }
  v->view->metadata_role = s;
}

static void check_cloud_metadata(validator *v, uint32_t object) {
  where top = {"", NO_INDEX};
  if (!expect_type(v, object, OSPOLICY_JSON_OBJECT, top, "cloudMetadata",
                   "cloudMetadata must be an object {\"access\", ...}")) {
    return;
  }
  static const member_name names[] = {MEMBER("access"), MEMBER("paths"), MEMBER("credentials"), MEMBER("tokenTtlSeconds")};
  uint32_t values[4];
  where w = {"cloudMetadata", NO_INDEX};
  collect_members(v, object, names, 4, values, w);
  require(v, object, values[0], w, "access",
          "cloudMetadata has no access (\"none\" or \"supervised\")");
  OSPolicy_MetadataAccess access = OSPOLICY_METADATA_ACCESS_UNSET;
  if (values[0] != ABSENT &&
      expect_type(v, values[0], OSPOLICY_JSON_STRING, w, "access", "access must be a string")) {
    if (string_is(v, values[0], "none")) {
      access = OSPOLICY_METADATA_ACCESS_NONE;
    } else if (string_is(v, values[0], "supervised")) {
      access = OSPOLICY_METADATA_ACCESS_SUPERVISED;
    } else {
      report_field(v, OSPOLICY_ERR_MANIFEST_BAD_VALUE, values[0], w, "access",
                   "access must be \"none\" or \"supervised\" (apps reach metadata only "
                   "through their supervisor; IMDSv1 is never granted)");
    }
  }
  v->view->metadata_access = access;
  static const char *const only_supervised = "applies only with access \"supervised\"";
  static const char *const field[] = {NULL, "paths", "credentials", "tokenTtlSeconds"};
  if (access == OSPOLICY_METADATA_ACCESS_NONE) {
    for (size_t i = 1; i < 4u; i++) {
      if (values[i] != ABSENT) {
        report_field(v, OSPOLICY_ERR_MANIFEST_BAD_VALUE, values[i], w, field[i], only_supervised);
      }
    }
    return;
  }
  if (values[1] != ABSENT) {
    check_metadata_paths(v, values[1], w);
  }
  if (values[2] != ABSENT) {
    check_metadata_credentials(v, values[2], w);
  }
  uint64_t value;
  if (values[3] != ABSENT &&
      get_integer(v, values[3], 1u, OSPOLICY_MANIFEST_MAX_TOKEN_TTL, w, "tokenTtlSeconds",
                  "tokenTtlSeconds must be 1..21600", &value)) {
    v->view->metadata_token_ttl = (uint32_t)value;
  }
  bool no_paths = values[1] == ABSENT || (v->t[values[1]].type == OSPOLICY_JSON_ARRAY &&
                                           v->t[values[1]].count == 0u);
  if (access == OSPOLICY_METADATA_ACCESS_SUPERVISED && no_paths && values[2] == ABSENT) {
    report_field(v, OSPOLICY_ERR_MANIFEST_MISSING_FIELD, object, w, "paths",
                 "supervised access grants nothing without paths or credentials");
  }
}

/* Returns false if the version is unusable (one finding written). */
static bool check_version(validator *v) {
  where w = {"", NO_INDEX};
  uint32_t value = ABSENT;
  static const member_name version_name = MEMBER("manifestVersion");
  for (uint32_t k = 1; k < v->t[0].after; k = next_sibling(v, k + 1u)) {
    if (v->t[k].count == version_name.length && string_is(v, k, version_name.text)) {
      value = k + 1u;
      break;
    }
  }
  if (value == ABSENT) {
    report_field(v, OSPOLICY_ERR_MANIFEST_UNKNOWN_VERSION, 0, w, "manifestVersion",
                 "manifestVersion is missing");
    return false;
  }
  uint64_t version = 0;
  OSPolicy_Status status = v->t[value].type == OSPOLICY_JSON_NUMBER
                               ? OSPolicy_GetJsonUint64(v->text, &v->t[value], &version)
                               : OSPOLICY_ERR_INVALID_ARGUMENT;
  if (status == OSPOLICY_ERR_INVALID_ARGUMENT) {
    report_field(v, OSPOLICY_ERR_MANIFEST_UNKNOWN_VERSION, value, w, "manifestVersion",
                 "manifestVersion must be an integer");
    return false;
  }
  if (status != OSPOLICY_OK || version != OSPOLICY_MANIFEST_VERSION) {
    report_field(v, OSPOLICY_ERR_MANIFEST_UNKNOWN_VERSION, value, w, "manifestVersion",
                 "this build reads manifestVersion 1 only");
    return false;
  }
  v->view->version = OSPOLICY_MANIFEST_VERSION;
  return true;
}

static void check_root(validator *v) {
  where w = {"", NO_INDEX};
  if (v->t[0].type != OSPOLICY_JSON_OBJECT) {
    report_field(v, OSPOLICY_ERR_MANIFEST_WRONG_TYPE, 0, w, NULL,
                 "a manifest must be a JSON object");
    return;
  }
  if (!check_version(v)) {
    return;
  }
  static const member_name names[] = {MEMBER("manifestVersion"), MEMBER("name"), MEMBER("entry"), MEMBER("env"), MEMBER("files"), MEMBER("network"), MEMBER("capabilities"), MEMBER("macLabel"), MEMBER("syscalls"), MEMBER("limits"), MEMBER("cloudMetadata")};
  uint32_t values[11];
  collect_members(v, 0, names, 11, values, w);
  require(v, 0, values[1], w, "name", "name is required");
  require(v, 0, values[2], w, "entry", "entry is required");
  v->view->metadata_access = OSPOLICY_METADATA_ACCESS_NONE;
  if (values[1] != ABSENT) {
    check_name(v, values[1]);
  }
  if (values[2] != ABSENT) {
    check_entry(v, values[2]);
  }
  if (values[3] != ABSENT) {
    check_env(v, values[3]);
  }
  if (values[4] != ABSENT) {
    check_files(v, values[4]);
  }
  if (values[5] != ABSENT) {
    check_network(v, values[5]);
  }
  if (values[6] != ABSENT) {
    check_capabilities(v, values[6]);
  }
  if (values[7] != ABSENT) {
    check_mac_label(v, values[7]);
  }
  if (values[8] != ABSENT) {
    check_syscalls(v, values[8]);
  }
  if (values[9] != ABSENT) {
    check_limits(v, values[9]);
  }
  if (values[10] != ABSENT) {
    check_cloud_metadata(v, values[10]);
  }
  if (v->view->metadata_access == OSPOLICY_METADATA_ACCESS_SUPERVISED) {
    if (v->view->metadata_token_ttl == 0u) {
      v->view->metadata_token_ttl = OSPOLICY_MANIFEST_MAX_TOKEN_TTL;
    }
  }
}

/* Stable sort of the stored findings by offset, then line:column (1-based,
 * the column in bytes) in one pass over the text, eight bytes at a time: the
 * newlines of a word are counted at once (an exact zero-byte test, summed by
 * a multiply: no popcount instruction in the freestanding build) and the
 * last one gives the line start. */
static void finish_findings(OSPolicy_ManifestResult *r, const char *text, size_t size) {
  sort_findings(r);
  const unsigned char *u = (const unsigned char *)text;
  size_t position = 0, line_start = 0;
  uint32_t line = 1;
  for (size_t i = 0; i < r->finding_count; i++) {
    size_t target = r->findings[i].offset < size ? r->findings[i].offset : size;
    for (; position + 8u <= target; position += 8u) {
      uint64_t x = OSPolicy_LoadLe64(u + position) ^ BYTES_OF('\n');
      uint64_t low = (x & BYTES_OF(0x7Fu)) + BYTES_OF(0x7Fu);
      uint64_t newlines = ~(low | x | BYTES_OF(0x7Fu)); /* 0x80 where a byte was '\n' */
      if (newlines != 0u) {
        line += (uint32_t)(((newlines >> 7) * BYTES_OF(1u)) >> 56);
        line_start = position + (size_t)(63 - __builtin_clzll(newlines)) / 8u + 1u;
      }
    }
    if (position < target && size - position >= 8u) {
      /* The rest, under eight bytes: the same test on a word, masked. */
      uint64_t x = OSPolicy_LoadLe64(u + position) ^ BYTES_OF('\n');
      uint64_t low = (x & BYTES_OF(0x7Fu)) + BYTES_OF(0x7Fu);
      uint64_t newlines = ~(low | x | BYTES_OF(0x7Fu)) & ((1ull << (8u * (target - position))) - 1u);
      if (newlines != 0u) {
        line += (uint32_t)(((newlines >> 7) * BYTES_OF(1u)) >> 56);
        line_start = position + (size_t)(63 - __builtin_clzll(newlines)) / 8u + 1u;
      }
      position = target;
    }
    for (; position < target; position++) {
      if (u[position] == '\n') {
        line++;
        line_start = position + 1u;
      }
    }
    r->findings[i].line = line;
    r->findings[i].column = (uint32_t)(target - line_start + 1u);
  }
}

OSPolicy_Status OSPolicy_ValidateManifest(const OSPolicy_ManifestRequest *request,
                                          OSPolicy_ManifestResult *result) {
  if (result == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  /* The header and the view; findings are written as they are stored (those
   * past finding_count are not touched). */
  result->status = OSPOLICY_ERR_NULL_ARGUMENT;
  result->workspace_required = 0;
  result->finding_count = 0;
  result->findings_total = 0;
  result->manifest = (OSPolicy_Manifest){0};
  if (request == NULL || (request->text == NULL && request->size != 0u) ||
      (request->workspace == NULL && request->workspace_size != 0u)) {
    return result->status;
  }
  size_t max_size = request->max_size != 0u ? request->max_size : OSPOLICY_MANIFEST_DEFAULT_MAX_SIZE;
  if (max_size > OSPOLICY_MANIFEST_MAX_SIZE_CEILING) {
    result->status = OSPOLICY_ERR_INVALID_ARGUMENT;
    return result->status;
  }
  if (request->size > max_size) {
    /* Before any other work: an oversized input costs nothing to refuse. */
    result->status = OSPOLICY_ERR_MANIFEST_OVERSIZED;
    result->finding_count = 1;
    result->findings_total = 1;
    result->findings[0] = (OSPolicy_ManifestFinding){
        .status = OSPOLICY_ERR_MANIFEST_OVERSIZED,
        .detail = OSPOLICY_ERR_MANIFEST_OVERSIZED,
        .line = 1,
        .column = 1,
        .offset = 0,
        .message = "the manifest is larger than the size limit (64 KiB unless the caller "
                   "sets another)",
    };
    return result->status;
  }
  layout l;
  if (!plan_layout(request->size, &l)) {
    result->status = OSPOLICY_ERR_OVERFLOW;
    return result->status;
  }
  result->workspace_required = l.total;
  if (request->workspace_size < l.total) {
    result->status = OSPOLICY_ERR_BUFFER_TOO_SMALL;
    return result->status;
  }
  unsigned char *base = request->workspace;
  size_t misalignment = (size_t)((uintptr_t)base & (WORKSPACE_ALIGN - 1u));
  if (misalignment != 0u) {
    base += WORKSPACE_ALIGN - misalignment;
  }
  /* The regions were placed at offsets aligned for their types from an
   * aligned base, so these conversions are aligned. */
  OSPolicy_JsonToken *tokens = (OSPolicy_JsonToken *)(void *)(base + l.token_off);
  uint32_t *scratch = (uint32_t *)(void *)(base + l.scratch_off);
  OSPolicy_JsonRequest json = {
      .text = request->text,
      .size = request->size,
      .limits = {.max_depth = OSPOLICY_MANIFEST_MAX_DEPTH,
                 .max_string_bytes = OSPOLICY_MANIFEST_MAX_STRING,
                 .max_members = OSPOLICY_JSON_DEFAULT_MEMBERS},
      .tokens = tokens,
      .token_capacity = l.token_cap,
      .strings = (char *)(base + l.string_off),
      .string_capacity = l.string_cap,
      .scratch = scratch,
      .scratch_capacity = l.scratch_cap,
  };
  OSPolicy_JsonDocument document;
  OSPolicy_Status parsed = OSPolicy_ParseJson(&json, &document);
  if (parsed != OSPOLICY_OK) {
    if (OSPolicy_GetStatusClass(parsed) != OSPOLICY_CLASS_INPUT) {
      result->status = parsed; /* cannot happen with a workspace sized as above */
      return result->status;
    }
    result->status = OSPOLICY_ERR_MANIFEST_MALFORMED;
    result->finding_count = 1;
    result->findings_total = 1;
    result->findings[0] = (OSPolicy_ManifestFinding){
        .status = OSPOLICY_ERR_MANIFEST_MALFORMED,
        .detail = parsed,
        .line = document.error_line,
        .column = document.error_column,
        .offset = document.error_offset,
        .message = document.error_message,
    };
    return result->status;
  }
  validator v = {
      .text = request->text,
      .size = request->size,
      .t = document.tokens,
      .strings = document.strings,
      .result = result,
      .env = (OSPolicy_ManifestEnv *)(void *)(base + l.env_off),
      .files = (OSPolicy_ManifestFile *)(void *)(base + l.file_off),
      .listen = (OSPolicy_ManifestListen *)(void *)(base + l.listen_off),
      .syscalls = (OSPolicy_ManifestString *)(void *)(base + l.syscall_off),
      .view = &result->manifest,
      .l = &l,
      .scratch = scratch,
      .keys = (uint64_t *)(void *)(base + l.key_off),
  };
  check_root(&v);
  finish_findings(result, request->text, request->size);
  if (result->finding_count == 0u) {
    result->status = OSPOLICY_OK;
  } else {
    result->manifest = (OSPolicy_Manifest){0}; /* the partial view must not be read */
    result->status = result->findings[0].status;
  }
  return result->status;
}

const char *OSPolicy_CapabilityName(uint32_t capability) {
  return capability < OSPOLICY_CAPABILITY_COUNT ? capability_names[capability] : NULL;
}

const char *OSPolicy_FileAccessName(OSPolicy_FileAccess access) {
  switch (access) {
    case OSPOLICY_FILE_ACCESS_READ_ONLY:
      return "ro";
    case OSPOLICY_FILE_ACCESS_READ_WRITE:
      return "rw";
    case OSPOLICY_FILE_ACCESS_UNSET:
    default:
      return "unset";
  }
}

const char *OSPolicy_NetProtocolName(OSPolicy_NetProtocol protocol) {
  switch (protocol) {
    case OSPOLICY_NET_PROTOCOL_TCP:
      return "tcp";
    case OSPOLICY_NET_PROTOCOL_UDP:
      return "udp";
    case OSPOLICY_NET_PROTOCOL_UNSET:
    default:
      return "unset";
  }
}

const char *OSPolicy_MetadataAccessName(OSPolicy_MetadataAccess access) {
  switch (access) {
    case OSPOLICY_METADATA_ACCESS_NONE:
      return "none";
    case OSPOLICY_METADATA_ACCESS_SUPERVISED:
      return "supervised";
    case OSPOLICY_METADATA_ACCESS_UNSET:
    default:
      return "unset";
  }
}
