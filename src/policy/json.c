/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * Strict RFC 8259 / RFC 7493 parser: one iterative pass over the bytes with an
 * explicit container stack of at most OSPOLICY_JSON_MAX_DEPTH entries. Strings
 * are validated (escapes, surrogates, UTF-8) and decoded in the same pass;
 * each member name is checked for a duplicate as soon as it is read (see
 * "duplicate member names" below: linear for small objects, hashed for
 * large ones, a balanced tree where hashes collide too often), so every
 * error reported is the first problem in text order.
 */
#include "ospolicy/json.h"

#include <stdbool.h>

#include "hash.h"
#include "json_internal.h"
#include "mem.h"

enum {
  EXPECT_VALUE,          /* a value must follow (start, after ':' or after ',' in an array) */
  EXPECT_VALUE_OR_CLOSE, /* first element of an array, or ']' */
  EXPECT_KEY,            /* a member name must follow (after ',' in an object) */
  EXPECT_KEY_OR_CLOSE,   /* first member of an object, or '}' */
  EXPECT_COLON,
  EXPECT_COMMA_OR_CLOSE
};

typedef struct parser {
  const unsigned char *s;
  uint32_t n;
  uint32_t pos;
  bool store; /* false: tokenizer-only scan */
  OSPolicy_JsonToken *tokens;
  uint32_t token_count;
  size_t token_capacity;
  char *strings;
  uint32_t string_len;
  uint32_t *scratch; /* tree links: pair_words entries */
  size_t pair_words;
  uint32_t *meta;  /* per token, two entries: its slot (strings; else NO_SLOT), its object */
  uint32_t *table; /* `slots` member-name tokens */
  uint32_t slots;
  uint64_t hash_key;
  json_name_hash_fn hash; /* NULL: hash_bytes_keyed */
  json_dup_stats stats;
  OSPolicy_JsonLimits limits;
  OSPolicy_Status status;
  uint32_t error_offset;
  const char *message;
} parser;

enum { DUP_LINEAR, DUP_HASHED, DUP_TREE };

typedef struct frame {
  uint32_t token;   /* index of the container's token (store mode) */
  uint32_t members; /* members or elements so far */
  uint32_t keys;    /* object in DUP_TREE: root of its name tree (0: empty) */
  bool object;
  unsigned char dup; /* DUP_*: how this object's names are checked */
} frame;

#define NO_SLOT UINT32_MAX

static bool fail(parser *p, OSPolicy_Status status, uint32_t offset, const char *message) {
  p->status = status;
  p->error_offset = offset;
  p->message = message;
  return false;
}

static bool is_ws(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool is_digit(unsigned char c) {
  return c >= '0' && c <= '9';
}

static void skip_ws(parser *p) {
  while (p->pos < p->n && is_ws(p->s[p->pos])) {
    p->pos++;
  }
}

/* Returns false only if the token array is full, which the workspace sizes
 * of OSPolicy_GetJsonWorkspaceSizes rule out; checked all the same. */
static bool new_token(parser *p, OSPolicy_JsonType type, uint32_t start, uint32_t *out) {
  if (p->store && p->token_count >= p->token_capacity) {
    return fail(p, OSPOLICY_ERR_BUFFER_TOO_SMALL, start, "token array is full");
  }
  uint32_t index = p->token_count++;
  *out = index;
  if (p->store) {
    p->tokens[index] = (OSPolicy_JsonToken){
        .type = (uint32_t)type, .start = start, .end = start, .after = index + 1u};
  }
  return true;
}

static int hex_value(unsigned char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

/* Four hex digits at s[at..at+3]; -1 if missing or not hex. */
static int32_t read_hex4(const parser *p, uint32_t at) {
  if (at > p->n || p->n - at < 4u) {
    return -1;
  }
  int32_t value = 0;
  for (uint32_t i = 0; i < 4u; i++) {
    int digit = hex_value(p->s[at + i]);
    if (digit < 0) {
      return -1;
    }
    value = value * 16 + digit;
  }
  return value;
}

/* Length of the valid UTF-8 sequence starting at s[at] (Unicode 15, table
 * 3-7: no overlongs, no surrogates, nothing above U+10FFFF), or 0. */
static uint32_t utf8_sequence(const parser *p, uint32_t at) {
  unsigned char c = p->s[at];
  uint32_t length;
  unsigned char low = 0x80, high = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) {
    length = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    length = 3;
    if (c == 0xE0) {
      low = 0xA0;
    } else if (c == 0xED) {
      high = 0x9F;
    }
  } else if (c >= 0xF0 && c <= 0xF4) {
    length = 4;
    if (c == 0xF0) {
      low = 0x90;
    } else if (c == 0xF4) {
      high = 0x8F;
    }
  } else {
    return 0;
  }
  if (p->n - at < length) {
    return 0;
  }
  unsigned char second = p->s[at + 1u];
  if (second < low || second > high) {
    return 0;
  }
  for (uint32_t i = 2; i < length; i++) {
    unsigned char cont = p->s[at + i];
    if (cont < 0x80 || cont > 0xBF) {
      return 0;
    }
  }
  return length;
}

static void emit(char *out, uint32_t *length, unsigned char byte) {
  if (out != NULL) {
    out[*length] = (char)byte;
  }
  (*length)++;
}

static void emit_code_point(char *out, uint32_t *length, uint32_t cp) {
  if (cp < 0x80u) {
    emit(out, length, (unsigned char)cp);
  } else if (cp < 0x800u) {
    emit(out, length, (unsigned char)(0xC0u | (cp >> 6)));
    emit(out, length, (unsigned char)(0x80u | (cp & 0x3Fu)));
  } else if (cp < 0x10000u) {
    emit(out, length, (unsigned char)(0xE0u | (cp >> 12)));
    emit(out, length, (unsigned char)(0x80u | ((cp >> 6) & 0x3Fu)));
    emit(out, length, (unsigned char)(0x80u | (cp & 0x3Fu)));
  } else {
    emit(out, length, (unsigned char)(0xF0u | (cp >> 18)));
    emit(out, length, (unsigned char)(0x80u | ((cp >> 12) & 0x3Fu)));
    emit(out, length, (unsigned char)(0x80u | ((cp >> 6) & 0x3Fu)));
    emit(out, length, (unsigned char)(0x80u | (cp & 0x3Fu)));
  }
}

/* A string at p->pos (the opening quote). Decoded bytes never outnumber the
 * raw bytes between the quotes, so the decoded text plus its NUL fits in the
 * raw length including the quotes: strings_required = size always holds. */
static bool lex_string(parser *p, uint32_t *token_out) {
  uint32_t start = p->pos;
  uint32_t token;
  if (!new_token(p, OSPOLICY_JSON_STRING, start, &token)) {
    return false;
  }
  char *out = p->store ? p->strings + p->string_len : NULL;
  uint32_t length = 0;
  uint32_t pos = start + 1u;
  for (;;) {
    /* Fast path: a run of plain printable ASCII. */
    uint32_t run = pos;
    while (run < p->n) {
      unsigned char c = p->s[run];
      if (c < 0x20u || c == '"' || c == '\\' || c >= 0x80u) {
        break;
      }
      run++;
    }
    if (run != pos) {
      uint32_t count = run - pos;
      if (out != NULL) {
        memcpy(out + length, p->s + pos, count);
      }
      length += count;
      pos = run;
    }
    if (length > p->limits.max_string_bytes) {
      return fail(p, OSPOLICY_ERR_JSON_STRING_TOO_LONG, start, "string is longer than the limit");
    }
    if (pos >= p->n) {
      return fail(p, OSPOLICY_ERR_JSON_BAD_STRING, start, "unterminated string");
    }
    unsigned char c = p->s[pos];
    if (c == '"') {
      pos++;
      break;
    }
    if (c < 0x20u) {
      return fail(p, OSPOLICY_ERR_JSON_BAD_STRING, pos,
                  "raw control character in a string (it must be escaped)");
    }
    if (c >= 0x80u) {
      uint32_t sequence = utf8_sequence(p, pos);
      if (sequence == 0u) {
        return fail(p, OSPOLICY_ERR_JSON_BAD_STRING, pos, "invalid UTF-8 in a string");
      }
      for (uint32_t i = 0; i < sequence; i++) {
        emit(out, &length, p->s[pos + i]);
      }
      pos += sequence;
      continue;
    }
    /* c == '\\' */
    if (pos + 1u >= p->n) {
      return fail(p, OSPOLICY_ERR_JSON_BAD_STRING, start, "unterminated string");
    }
    unsigned char e = p->s[pos + 1u];
    unsigned char simple = 0;
    switch (e) {
      case '"':
        simple = '"';
        break;
      case '\\':
        simple = '\\';
        break;
      case '/':
        simple = '/';
        break;
      case 'b':
        simple = '\b';
        break;
      case 'f':
        simple = '\f';
        break;
      case 'n':
        simple = '\n';
        break;
      case 'r':
        simple = '\r';
        break;
      case 't':
        simple = '\t';
        break;
      case 'u':
        break;
      default:
        return fail(p, OSPOLICY_ERR_JSON_BAD_STRING, pos,
                    "invalid escape (only \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)");
    }
    if (simple != 0u) {
      emit(out, &length, simple);
      pos += 2u;
      continue;
    }
    int32_t unit = read_hex4(p, pos + 2u);
    if (unit < 0) {
      return fail(p, OSPOLICY_ERR_JSON_BAD_STRING, pos, "\\u must be followed by four hex digits");
    }
    uint32_t cp = (uint32_t)unit;
    uint32_t escape_start = pos;
    pos += 6u;
    if (cp >= 0xDC00u && cp <= 0xDFFFu) {
      return fail(p, OSPOLICY_ERR_JSON_BAD_STRING, escape_start, "lone low surrogate escape");
    }
    if (cp >= 0xD800u && cp <= 0xDBFFu) {
      int32_t low = -1;
      if (p->n - pos >= 6u && p->s[pos] == '\\' && p->s[pos + 1u] == 'u') {
        low = read_hex4(p, pos + 2u);
      }
      if (low < 0xDC00 || low > 0xDFFF) {
        return fail(p, OSPOLICY_ERR_JSON_BAD_STRING, escape_start,
                    "lone high surrogate escape (no low surrogate follows)");
      }
      cp = 0x10000u + ((cp - 0xD800u) << 10) + ((uint32_t)low - 0xDC00u);
      pos += 6u;
    }
    if (cp == 0u) {
      return fail(p, OSPOLICY_ERR_JSON_NUL_CHARACTER, escape_start,
                  "\\u0000 decodes to NUL, which is not allowed");
    }
    emit_code_point(out, &length, cp);
  }
  if (length > p->limits.max_string_bytes) {
    return fail(p, OSPOLICY_ERR_JSON_STRING_TOO_LONG, start, "string is longer than the limit");
  }
  if (p->store) {
    out[length] = '\0';
    OSPolicy_JsonToken *t = &p->tokens[token];
    t->end = pos;
    t->count = length;
    t->decoded = p->string_len;
    p->string_len += length + 1u;
    p->meta[2u * token] = NO_SLOT; /* set when a member name enters the table */
  }
  p->pos = pos;
  *token_out = token;
  return true;
}

static bool lex_number(parser *p) {
  uint32_t start = p->pos;
  uint32_t pos = start;
  if (p->s[pos] == '-') {
    pos++;
  }
  if (pos >= p->n || !is_digit(p->s[pos])) {
    return fail(p, OSPOLICY_ERR_JSON_BAD_NUMBER, pos,
                "expected a digit (NaN, Infinity and '+' are not JSON)");
  }
  if (p->s[pos] == '0') {
    pos++;
    if (pos < p->n && is_digit(p->s[pos])) {
      return fail(p, OSPOLICY_ERR_JSON_BAD_NUMBER, start, "leading zeros are not allowed");
    }
  } else {
    while (pos < p->n && is_digit(p->s[pos])) {
      pos++;
    }
  }
  if (pos < p->n && p->s[pos] == '.') {
    pos++;
    if (pos >= p->n || !is_digit(p->s[pos])) {
      return fail(p, OSPOLICY_ERR_JSON_BAD_NUMBER, pos, "expected a digit after '.'");
    }
    while (pos < p->n && is_digit(p->s[pos])) {
      pos++;
    }
  }
  if (pos < p->n && (p->s[pos] == 'e' || p->s[pos] == 'E')) {
    pos++;
    if (pos < p->n && (p->s[pos] == '+' || p->s[pos] == '-')) {
      pos++;
    }
    if (pos >= p->n || !is_digit(p->s[pos])) {
      return fail(p, OSPOLICY_ERR_JSON_BAD_NUMBER, pos, "expected a digit in the exponent");
    }
    while (pos < p->n && is_digit(p->s[pos])) {
      pos++;
    }
  }
  if (pos - start > OSPOLICY_JSON_MAX_NUMBER_BYTES) {
    return fail(p, OSPOLICY_ERR_JSON_BAD_NUMBER, start, "number is longer than 64 characters");
  }
  uint32_t token;
  if (!new_token(p, OSPOLICY_JSON_NUMBER, start, &token)) {
    return false;
  }
  if (p->store) {
    p->tokens[token].end = pos;
  }
  p->pos = pos;
  return true;
}

static bool lex_literal(parser *p) {
  static const struct {
    const char *text;
    uint32_t length;
    OSPolicy_JsonType type;
  } literals[] = {{"true", 4, OSPOLICY_JSON_TRUE},
                  {"false", 5, OSPOLICY_JSON_FALSE},
                  {"null", 4, OSPOLICY_JSON_NULL}};
  for (size_t i = 0; i < sizeof literals / sizeof literals[0]; i++) {
    if (p->s[p->pos] != (unsigned char)literals[i].text[0]) {
      continue;
    }
    if (p->n - p->pos < literals[i].length ||
        memcmp(p->s + p->pos, literals[i].text, literals[i].length) != 0) {
      return fail(p, OSPOLICY_ERR_JSON_SYNTAX, p->pos,
                  "invalid literal (expected true, false or null)");
    }
    uint32_t token;
    if (!new_token(p, literals[i].type, p->pos, &token)) {
      return false;
    }
    p->pos += literals[i].length;
    if (p->store) {
      p->tokens[token].end = p->pos;
    }
    return true;
  }
  return fail(p, OSPOLICY_ERR_JSON_SYNTAX, p->pos, "expected a value");
}

/* Why a byte cannot start a value: the common mistakes get their own words. */
static bool bad_value_start(parser *p, bool after_comma) {
  unsigned char c = p->s[p->pos];
  if (after_comma && (c == ']' || c == '}')) {
    return fail(p, OSPOLICY_ERR_JSON_SYNTAX, p->pos, "trailing comma is not allowed");
  }
  if (c == '\'') {
    return fail(p, OSPOLICY_ERR_JSON_SYNTAX, p->pos, "single quotes are not JSON strings");
  }
  if (c == '/') {
    return fail(p, OSPOLICY_ERR_JSON_SYNTAX, p->pos, "comments are not allowed");
  }
  if (c == 'N' || c == 'I') {
    return fail(p, OSPOLICY_ERR_JSON_SYNTAX, p->pos, "NaN and Infinity are not JSON");
  }
  if (p->pos == 0u && p->n >= 3u && c == 0xEFu && p->s[1] == 0xBBu && p->s[2] == 0xBFu) {
    return fail(p, OSPOLICY_ERR_JSON_SYNTAX, p->pos, "a byte order mark is not allowed");
  }
  return fail(p, OSPOLICY_ERR_JSON_SYNTAX, p->pos, "expected a value");
}

/* ------------------------------------------------- duplicate member names
 *
 * Each key is checked the moment it has been read, against the keys read
 * before it in the same object, so a duplicate is reported before anything
 * later in the text (an inner object, a syntax error) is even looked at: the
 * reported error is always the first problem in text order.
 *
 * Three ways, per object, chosen as it grows:
 * - Up to LINEAR_MEMBERS names: compared with each earlier name (cheaper
 *   than any table for the small objects most documents are made of).
 * - Beyond that: one open-addressing table for the whole parse (linear
 *   probing, as many slots as tokens, so at most half full), holding each
 *   name's token; beside every token, `meta` keeps the slot it was placed in
 *   and its object (one cache line for both). A name's home slot comes from
 *   its bytes hashed with a per-parse key, mixed with its object's index;
 *   bytes are compared only with names of the same object and length on its
 *   probe. The table is never cleared (that would cost the whole table per
 *   parse): a slot is in use only if the string token it names says it was
 *   placed there in this parse (its slot entry is reset for every string as
 *   it is read), so stale contents read as free. The table is kept to one
 *   word a slot: it is read at random, the rest in order.
 * - Where a probe runs past PROBE_LIMIT slots (names made to collide), the
 *   object's names so far move into an AVL tree and all its later names go
 *   there: O(log n) comparisons each, so n log n per object whatever the
 *   input, and the hash path never costs more than PROBE_LIMIT per name.
 *
 * The AVL tree is insert-only and iterative. Its nodes are the key tokens
 * themselves; their links live in `scratch`.
 * A key token is always followed by its value's token, so two keys never
 * share a pair of indices (2i, 2i + 1): key k keeps its left link (with its
 * balance factor in the top two bits) in scratch[k & ~1] and its right link
 * in scratch[(k & ~1) + 1]. Hence one scratch entry per token. A link of 0
 * is empty: token 0 is the top-level value, never a key. Token indices stay
 * below 2^28 (OSPOLICY_JSON_MAX_TEXT_SIZE / 2 plus a margin), so the top two
 * bits are free. */

#define LINK_MASK 0x3FFFFFFFu
#define BALANCE_SHIFT 30u
/* AVL height is below 1.45 log2(n + 2); n < 2^28 keeps it below 42. */
#define AVL_MAX_PATH 64u

static uint32_t *node_words(const parser *p, uint32_t key) {
  return &p->scratch[key & ~1u];
}

static uint32_t node_link(const parser *p, uint32_t key, unsigned dir) {
  uint32_t *w = node_words(p, key);
  return dir == 0u ? (w[0] & LINK_MASK) : w[1];
}

static void set_link(const parser *p, uint32_t key, unsigned dir, uint32_t target) {
  uint32_t *w = node_words(p, key);
  if (dir == 0u) {
    w[0] = (w[0] & ~LINK_MASK) | target;
  } else {
    w[1] = target;
  }
}

static int node_balance(const parser *p, uint32_t key) {
  return (int)(node_words(p, key)[0] >> BALANCE_SHIFT) - 1;
}

static void set_balance(const parser *p, uint32_t key, int balance) {
  uint32_t *w = node_words(p, key);
  w[0] = (w[0] & LINK_MASK) | ((uint32_t)(balance + 1) << BALANCE_SHIFT);
}

/* A total order on decoded names: length first, then bytes. */
static int compare_keys(const parser *p, uint32_t a, uint32_t b) {
  const OSPolicy_JsonToken *ta = &p->tokens[a];
  const OSPolicy_JsonToken *tb = &p->tokens[b];
  if (ta->count != tb->count) {
    return ta->count < tb->count ? -1 : 1;
  }
  return memcmp(p->strings + ta->decoded, p->strings + tb->decoded, ta->count);
}

/* Adds key token `key` to the tree at *root, or fails with
 * JSON_DUPLICATE_MEMBER at the key if its name is already there. */
static bool insert_key(parser *p, uint32_t *root, uint32_t key) {
  if (key == 0u || key > LINK_MASK || (size_t)(key | 1u) >= p->pair_words) {
    /* Ruled out by OSPolicy_GetJsonWorkspaceSizes; checked all the same. */
    return fail(p, OSPOLICY_ERR_BUFFER_TOO_SMALL, p->tokens[key].start, "scratch array is full");
  }
  uint32_t *w = node_words(p, key);
  w[0] = 1u << BALANCE_SHIFT; /* balance 0, no children */
  w[1] = 0u;
  if (*root == 0u) {
    *root = key;
    return true;
  }
  /* Walk down; y is the deepest node with a non-zero balance (the only one
   * that may need a rotation), z its parent (0: y is the root). */
  unsigned char dirs[AVL_MAX_PATH];
  unsigned depth = 0;
  uint32_t z = 0u, y = *root, parent = 0u, node = *root;
  unsigned dir = 0u;
  while (node != 0u) {
    int order = compare_keys(p, key, node);
    if (order == 0) {
      return fail(p, OSPOLICY_ERR_JSON_DUPLICATE_MEMBER, p->tokens[key].start,
                  "duplicate member name in an object");
    }
    if (node_balance(p, node) != 0) {
      z = parent;
      y = node;
      depth = 0u;
    }
    if (depth >= AVL_MAX_PATH) {
      return fail(p, OSPOLICY_ERR_BUFFER_TOO_SMALL, p->tokens[key].start,
                  "member name tree is too deep"); /* impossible for an AVL tree */
    }
    dir = order > 0 ? 1u : 0u;
    dirs[depth++] = (unsigned char)dir;
    parent = node;
    node = node_link(p, node, dir);
  }
  set_link(p, parent, dir, key);
  /* Nodes strictly between y and the new key had balance 0: they lean
   * towards the new key now. y's new balance is computed before storing, as
   * +-2 does not fit in two bits. */
  int y_balance = node_balance(p, y) + (dirs[0] != 0u ? 1 : -1);
  node = node_link(p, y, dirs[0]);
  for (unsigned k = 1; node != key; k++) {
    set_balance(p, node, dirs[k] != 0u ? 1 : -1);
    node = node_link(p, node, dirs[k]);
  }
  if (y_balance >= -1 && y_balance <= 1) {
    set_balance(p, y, y_balance);
    return true;
  }
  /* y leans by two towards side s: one single or double rotation restores
   * the subtree's old height, so nothing above it changes. */
  unsigned s = y_balance > 0 ? 1u : 0u;
  int lean = s != 0u ? 1 : -1;
  uint32_t x = node_link(p, y, s);
  uint32_t top;
  if (node_balance(p, x) == lean) {
    top = x;
    set_link(p, y, s, node_link(p, x, 1u - s));
    set_link(p, x, 1u - s, y);
    set_balance(p, x, 0);
    set_balance(p, y, 0);
  } else {
    top = node_link(p, x, 1u - s);
    int top_balance = node_balance(p, top);
    set_link(p, x, 1u - s, node_link(p, top, s));
    set_link(p, top, s, x);
    set_link(p, y, s, node_link(p, top, 1u - s));
    set_link(p, top, 1u - s, y);
    set_balance(p, x, top_balance == lean ? 0 : (top_balance == 0 ? 0 : lean));
    set_balance(p, y, top_balance == lean ? -lean : 0);
    set_balance(p, top, 0);
  }
  if (z == 0u) {
    *root = top;
  } else {
    set_link(p, z, node_link(p, z, 0u) == y ? 0u : 1u, top);
  }
  return true;
}

#define LINEAR_MEMBERS 8u
/* At most half full, linear probing passes 32 slots now and then on an
 * object of thousands of names (seen: one bench run in three sent the wide
 * object to the tree, +20% time); 128 it practically never does. */
#define PROBE_LIMIT 128u

static bool same_name(const parser *p, uint32_t a, uint32_t b) {
  const OSPolicy_JsonToken *ta = &p->tokens[a];
  const OSPolicy_JsonToken *tb = &p->tokens[b];
  return ta->count == tb->count &&
         memcmp(p->strings + ta->decoded, p->strings + tb->decoded, ta->count) == 0;
}

static bool duplicate(parser *p, uint32_t key) {
  return fail(p, OSPOLICY_ERR_JSON_DUPLICATE_MEMBER, p->tokens[key].start,
              "duplicate member name in an object");
}

/* The next member name of the same object (its value's subtree is done). */
static uint32_t next_name(const parser *p, uint32_t key) {
  return p->tokens[key + 1u].after;
}

static uint32_t name_home(const parser *p, uint32_t key, uint32_t object) {
  const OSPolicy_JsonToken *t = &p->tokens[key];
  const char *name = p->strings + t->decoded;
  /* The object's index seeds the hash too: equal names of different objects
   * land apart. */
  uint64_t seed = p->hash_key ^ ((uint64_t)object * 0x9E3779B97F4A7C15ull);
  uint32_t h = p->hash != NULL ? p->hash(name, t->count, seed)
                               : hash_bytes_keyed(name, t->count, ~0ull, seed);
  return (uint32_t)(((uint64_t)h * p->slots) >> 32);
}

typedef enum probe { PROBE_ADDED, PROBE_DUPLICATE, PROBE_TOO_LONG } probe;

/* Adds `key` to the table; with `check`, first looks for an equal earlier
 * name of `object`. A slot is in use only if it names a string token of this
 * parse that was placed there. */
static probe table_add(parser *p, uint32_t object, uint32_t key, bool check) {
  uint32_t slot = name_home(p, key, object);
  for (uint32_t n = 0; n < PROBE_LIMIT; n++) {
    uint32_t k = p->table[slot];
    /* The slot entry first: it rules out almost every stale slot without
     * touching the token, which only a string's entry makes meaningful. */
    if (k == 0u || k >= p->token_count || p->meta[2u * k] != slot ||
        p->tokens[k].type != OSPOLICY_JSON_STRING) {
      p->table[slot] = key;
      p->meta[2u * key] = slot;
      p->meta[2u * key + 1u] = object;
      return PROBE_ADDED;
    }
    if (check && p->meta[2u * k + 1u] == object && same_name(p, k, key)) {
      return PROBE_DUPLICATE;
    }
    if (++slot == p->slots) {
      slot = 0;
    }
  }
  return PROBE_TOO_LONG;
}

/* Moves the object's names before `key` into its tree, then adds `key`. */
static bool to_tree(parser *p, frame *f, uint32_t key) {
  f->dup = DUP_TREE;
  f->keys = 0;
  p->stats.tree_objects++;
  for (uint32_t k = f->token + 1u; k < key; k = next_name(p, k)) {
    if (!insert_key(p, &f->keys, k)) {
      return false;
    }
  }
  return insert_key(p, &f->keys, key);
}

/* Checks the name just read (token `key`, member number f->members). */
static bool check_name(parser *p, frame *f, uint32_t key) {
  if (f->dup == DUP_TREE) {
    return insert_key(p, &f->keys, key);
  }
  if (f->members <= LINEAR_MEMBERS) {
    for (uint32_t k = f->token + 1u; k < key; k = next_name(p, k)) {
      if (same_name(p, k, key)) {
        return duplicate(p, key);
      }
    }
    return true;
  }
  if (f->dup == DUP_LINEAR) {
    f->dup = DUP_HASHED;
    p->stats.hashed_objects++;
    for (uint32_t k = f->token + 1u; k < key; k = next_name(p, k)) {
      if (table_add(p, f->token, k, false) != PROBE_ADDED) {
        return to_tree(p, f, key);
      }
    }
  }
  switch (table_add(p, f->token, key, true)) {
    case PROBE_ADDED:
      return true;
    case PROBE_DUPLICATE:
      return duplicate(p, key);
    case PROBE_TOO_LONG:
    default:
      return to_tree(p, f, key);
  }
}

/* ------------------------------------------------------------ the loop
 *
 * One state machine, one handler per state. Each handler looks at the next
 * significant byte `c` and says what happened; the loop alone closes
 * containers and finishes values, so no path jumps into the middle of it. */

typedef enum step {
  STEP_FAILED,     /* p->status and the error position are set */
  STEP_NEXT,       /* w->state says what comes next */
  STEP_VALUE_DONE, /* a scalar value ended */
  STEP_CLOSE       /* c closes the innermost container */
} step;

typedef struct walk {
  frame stack[OSPOLICY_JSON_MAX_DEPTH];
  uint32_t depth;
  int state;
  bool after_comma;
} walk;

static step fail_step(parser *p, OSPolicy_Status status, const char *message) {
  (void)fail(p, status, p->pos, message);
  return STEP_FAILED;
}

static step on_value(parser *p, walk *w, unsigned char c) {
  if (w->state == EXPECT_VALUE_OR_CLOSE && c == ']') {
    return STEP_CLOSE;
  }
  if (w->depth > 0u && !w->stack[w->depth - 1u].object &&
      ++w->stack[w->depth - 1u].members > p->limits.max_members) {
    return fail_step(p, OSPOLICY_ERR_JSON_TOO_MANY_MEMBERS, "array has more elements than the limit");
  }
  if (c == '{' || c == '[') {
    if (w->depth >= p->limits.max_depth) {
      return fail_step(p, OSPOLICY_ERR_JSON_TOO_DEEP, "objects and arrays nest deeper than the limit");
    }
    bool object = c == '{';
    uint32_t token;
    if (!new_token(p, object ? OSPOLICY_JSON_OBJECT : OSPOLICY_JSON_ARRAY, p->pos, &token)) {
      return STEP_FAILED;
    }
    w->stack[w->depth++] =
        (frame){.token = token, .members = 0, .keys = 0, .object = object, .dup = DUP_LINEAR};
    p->pos++;
    w->state = object ? EXPECT_KEY_OR_CLOSE : EXPECT_VALUE_OR_CLOSE;
    w->after_comma = false;
    return STEP_NEXT;
  }
  bool lexed;
  if (c == '"') {
    uint32_t token;
    lexed = lex_string(p, &token);
  } else if (c == '-' || is_digit(c)) {
    lexed = lex_number(p);
  } else if (c == 't' || c == 'f' || c == 'n') {
    lexed = lex_literal(p);
  } else {
    (void)bad_value_start(p, w->after_comma);
    return STEP_FAILED;
  }
  return lexed ? STEP_VALUE_DONE : STEP_FAILED;
}

static step on_key(parser *p, walk *w, unsigned char c) {
  if (w->state == EXPECT_KEY_OR_CLOSE && c == '}') {
    return STEP_CLOSE;
  }
  if (c != '"') {
    if (w->after_comma && c == '}') {
      return fail_step(p, OSPOLICY_ERR_JSON_SYNTAX, "trailing comma is not allowed");
    }
    if (c == '\'') {
      return fail_step(p, OSPOLICY_ERR_JSON_SYNTAX, "single quotes are not JSON strings");
    }
    if (c == '/') {
      return fail_step(p, OSPOLICY_ERR_JSON_SYNTAX, "comments are not allowed");
    }
    return fail_step(p, OSPOLICY_ERR_JSON_SYNTAX, "expected a member name in double quotes");
  }
  frame *object = &w->stack[w->depth - 1u];
  if (++object->members > p->limits.max_members) {
    return fail_step(p, OSPOLICY_ERR_JSON_TOO_MANY_MEMBERS, "object has more members than the limit");
  }
  uint32_t token;
  if (!lex_string(p, &token) || (p->store && !check_name(p, object, token))) {
    return STEP_FAILED;
  }
  w->state = EXPECT_COLON;
  return STEP_NEXT;
}

static step on_colon(parser *p, walk *w, unsigned char c) {
  if (c != ':') {
    return fail_step(p, OSPOLICY_ERR_JSON_SYNTAX, "expected ':' after a member name");
  }
  p->pos++;
  w->state = EXPECT_VALUE;
  w->after_comma = false;
  return STEP_NEXT;
}

static step on_comma_or_close(parser *p, walk *w, unsigned char c) {
  bool object = w->stack[w->depth - 1u].object;
  if (c == ',') {
    p->pos++;
    w->state = object ? EXPECT_KEY : EXPECT_VALUE;
    w->after_comma = true;
    return STEP_NEXT;
  }
  if (c == (object ? '}' : ']')) {
    return STEP_CLOSE;
  }
  if (c == '/') {
    return fail_step(p, OSPOLICY_ERR_JSON_SYNTAX, "comments are not allowed");
  }
  return fail_step(p, OSPOLICY_ERR_JSON_SYNTAX,
                   object ? "expected ',' or '}' after a member" : "expected ',' or ']' after an element");
}

static void close_container(parser *p, walk *w) {
  p->pos++;
  w->depth--;
  if (p->store) {
    OSPolicy_JsonToken *t = &p->tokens[w->stack[w->depth].token];
    t->end = p->pos;
    t->after = p->token_count;
    t->count = w->stack[w->depth].members;
  }
}

static bool run(parser *p) {
  walk w; /* the stack is written before it is read: no need to clear it */
  w.depth = 0;
  w.state = EXPECT_VALUE;
  w.after_comma = false;
  for (;;) {
    skip_ws(p);
    if (p->pos >= p->n) {
      return fail(p, OSPOLICY_ERR_JSON_SYNTAX, p->pos,
                  p->n == 0u ? "empty input (expected a value)" : "unexpected end of input");
    }
    unsigned char c = p->s[p->pos];
    step outcome;
    switch (w.state) {
      case EXPECT_VALUE_OR_CLOSE:
      case EXPECT_VALUE:
        outcome = on_value(p, &w, c);
        break;
      case EXPECT_KEY_OR_CLOSE:
      case EXPECT_KEY:
        outcome = on_key(p, &w, c);
        break;
      case EXPECT_COLON:
        outcome = on_colon(p, &w, c);
        break;
      case EXPECT_COMMA_OR_CLOSE:
      default:
        outcome = on_comma_or_close(p, &w, c);
        break;
    }
    if (outcome == STEP_FAILED) {
      return false;
    }
    if (outcome == STEP_NEXT) {
      continue;
    }
    if (outcome == STEP_CLOSE) {
      close_container(p, &w);
    }
    /* A value (scalar or container) is complete. */
    if (w.depth == 0u) {
      skip_ws(p);
      if (p->pos != p->n) {
        return fail(p, OSPOLICY_ERR_JSON_TRAILING_CONTENT, p->pos,
                    "unexpected content after the top-level value");
      }
      return true;
    }
    w.state = EXPECT_COMMA_OR_CLOSE;
    w.after_comma = false;
  }
}

OSPolicy_Status OSPolicy_GetJsonWorkspaceSizes(size_t size, size_t *tokens, size_t *strings,
                                               size_t *scratch) {
  if (tokens == NULL || strings == NULL || scratch == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  *tokens = 0;
  *strings = 0;
  *scratch = 0;
  if (size > OSPOLICY_JSON_MAX_TEXT_SIZE) {
    return OSPOLICY_ERR_OVERFLOW;
  }
  /* Every token but the first child of a container is preceded by a
   * separator of its own, and a closed container takes two bytes: a valid
   * text of n bytes holds at most (n + 1) / 2 tokens. A failing parse may
   * also hold up to OSPOLICY_JSON_MAX_DEPTH unclosed containers that have no
   * closing byte yet, hence the margin. Duplicate-name checks take four
   * scratch entries per token: tree links (one, plus one; see insert_key),
   * each name's slot and object, and a table slot per token (at
   * most every other token is a name, so the table stays half empty). */
  *tokens = size / 2u + OSPOLICY_JSON_MAX_DEPTH + 1u;
  *strings = size;
  *scratch = 4u * *tokens + 1u;
  return OSPOLICY_OK;
}

OSPolicy_Status OSPolicy_LocateJsonOffset(const char *text, size_t size, size_t offset,
                                          uint32_t *line, uint32_t *column) {
  if (line == NULL || column == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  *line = 0;
  *column = 0;
  if (text == NULL && size != 0u) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  if (offset > size || size > OSPOLICY_JSON_MAX_TEXT_SIZE) {
    return OSPOLICY_ERR_OUT_OF_RANGE;
  }
  uint32_t l = 1, c = 1;
  for (size_t i = 0; i < offset; i++) {
    if (text[i] == '\n') {
      l++;
      c = 1;
    } else {
      c++;
    }
  }
  *line = l;
  *column = c;
  return OSPOLICY_OK;
}

static OSPolicy_Status parse(const OSPolicy_JsonRequest *request, OSPolicy_JsonDocument *document,
                             bool store, json_name_hash_fn hash, json_dup_stats *stats) {
  if (document == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  *document = (OSPolicy_JsonDocument){.status = OSPOLICY_ERR_NULL_ARGUMENT, .error_message = ""};
  if (request == NULL || (request->text == NULL && request->size != 0u)) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  OSPolicy_Status sizes =
      OSPolicy_GetJsonWorkspaceSizes(request->size, &document->tokens_required,
                                     &document->strings_required, &document->scratch_required);
  if (sizes != OSPOLICY_OK) {
    document->status = OSPOLICY_ERR_INVALID_ARGUMENT;
    return document->status;
  }
  OSPolicy_JsonLimits limits = request->limits;
  if (limits.max_depth == 0u) {
    limits.max_depth = OSPOLICY_JSON_DEFAULT_DEPTH;
  }
  if (limits.max_string_bytes == 0u) {
    limits.max_string_bytes = OSPOLICY_JSON_DEFAULT_STRING_BYTES;
  }
  if (limits.max_members == 0u) {
    limits.max_members = OSPOLICY_JSON_DEFAULT_MEMBERS;
  }
  if (limits.max_depth > OSPOLICY_JSON_MAX_DEPTH ||
      limits.max_string_bytes > OSPOLICY_JSON_MAX_TEXT_SIZE ||
      limits.max_members > OSPOLICY_JSON_MAX_TEXT_SIZE) {
    document->status = OSPOLICY_ERR_INVALID_ARGUMENT;
    return document->status;
  }
  if (store) {
    if ((request->tokens == NULL && request->token_capacity != 0u) ||
        (request->strings == NULL && request->string_capacity != 0u) ||
        (request->scratch == NULL && request->scratch_capacity != 0u)) {
      return OSPOLICY_ERR_NULL_ARGUMENT;
    }
    if (request->token_capacity < document->tokens_required ||
        request->string_capacity < document->strings_required ||
        request->scratch_capacity < document->scratch_required) {
      document->status = OSPOLICY_ERR_BUFFER_TOO_SMALL;
      return document->status;
    }
  }
  /* The scratch array: tree links, per-token (slot, object), the table. */
  size_t t = document->tokens_required;
  parser p = {
      .s = (const unsigned char *)request->text,
      .n = (uint32_t)request->size,
      .store = store,
      .tokens = store ? request->tokens : NULL,
      .token_capacity = store ? request->token_capacity : 0u,
      .strings = store ? request->strings : NULL,
      .scratch = store ? request->scratch : NULL,
      .pair_words = store ? t + 1u : 0u,
      .meta = store ? request->scratch + t + 1u : NULL,
      .table = store ? request->scratch + 3u * t + 1u : NULL,
      .slots = (uint32_t)t,
      /* Per-parse key: where the caller's arrays are (it varies between
       * processes and buffers; the probe limit bounds the cost anyway). */
      .hash_key = ((uint64_t)(uintptr_t)request->scratch * 0x9E3779B97F4A7C15ull) ^
                  (uint64_t)(uintptr_t)request->tokens ^ ((uint64_t)request->size << 32),
      .hash = hash,
      .limits = limits,
      .status = OSPOLICY_STATUS_UNSET,
      .message = "",
  };
  bool parsed = run(&p);
  if (stats != NULL) {
    *stats = p.stats;
  }
  if (parsed) {
    document->status = OSPOLICY_OK;
    document->token_count = p.token_count;
    if (store) {
      document->tokens = request->tokens;
      document->strings = request->strings;
    }
    return OSPOLICY_OK;
  }
  document->status = p.status;
  document->token_count = p.token_count;
  document->error_offset = p.error_offset;
  document->error_message = p.message;
  if (OSPolicy_LocateJsonOffset(request->text, request->size, p.error_offset,
                                &document->error_line, &document->error_column) != OSPOLICY_OK) {
    document->error_line = 0;
    document->error_column = 0;
  }
  return document->status;
}

OSPolicy_Status OSPolicy_ParseJson(const OSPolicy_JsonRequest *request,
                                   OSPolicy_JsonDocument *document) {
  return parse(request, document, true, NULL, NULL);
}

#ifdef OSPOLICY_JSON_TEST_SEAM
/* Only in the copy of this file the unit tests and the manifest fuzzer
 * compile for themselves (tests/CMakeLists.txt): the library has no seam. */
OSPolicy_Status ospolicy_json_parse_hooked(const OSPolicy_JsonRequest *request,
                                           OSPolicy_JsonDocument *document,
                                           json_name_hash_fn hash, json_dup_stats *stats) {
  return parse(request, document, true, hash, stats);
}
#endif

OSPolicy_Status OSPolicy_ScanJson(const OSPolicy_JsonRequest *request,
                                  OSPolicy_JsonDocument *document) {
  return parse(request, document, false, NULL, NULL);
}

OSPolicy_Status OSPolicy_GetJsonUint64(const char *text, const OSPolicy_JsonToken *token,
                                       uint64_t *value) {
  if (value == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  *value = 0;
  if (text == NULL || token == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  if (token->type != OSPOLICY_JSON_NUMBER || token->end <= token->start) {
    return OSPOLICY_ERR_INVALID_ARGUMENT;
  }
  bool negative = text[token->start] == '-';
  uint64_t v = 0;
  bool overflow = false;
  for (uint32_t i = token->start + (negative ? 1u : 0u); i < token->end; i++) {
    char c = text[i];
    if (c < '0' || c > '9') {
      return OSPOLICY_ERR_INVALID_ARGUMENT; /* '.', 'e', 'E': not an integer */
    }
    if (__builtin_mul_overflow(v, 10u, &v) || __builtin_add_overflow(v, (uint64_t)(c - '0'), &v)) {
      overflow = true;
    }
  }
  if (overflow || (negative && v != 0u)) {
    return OSPOLICY_ERR_OUT_OF_RANGE;
  }
  if (negative) {
    return OSPOLICY_ERR_OUT_OF_RANGE; /* "-0" is not a non-negative integer either */
  }
  *value = v;
  return OSPOLICY_OK;
}

const char *OSPolicy_JsonTypeName(OSPolicy_JsonType type) {
  switch (type) {
    case OSPOLICY_JSON_OBJECT:
      return "object";
    case OSPOLICY_JSON_ARRAY:
      return "array";
    case OSPOLICY_JSON_STRING:
      return "string";
    case OSPOLICY_JSON_NUMBER:
      return "number";
    case OSPOLICY_JSON_TRUE:
      return "true";
    case OSPOLICY_JSON_FALSE:
      return "false";
    case OSPOLICY_JSON_NULL:
      return "null";
    case OSPOLICY_JSON_UNSET:
    default:
      return "unset";
  }
}
