/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * The MAC policy compiler: text (docs/mac.md) to blob. One pass over the
 * lines collects declarations, rules and assertions (names must be declared
 * before use, so every error is found in text order); then names are sorted
 * (ids are sorted positions), rules are sorted and merged, the hash index is
 * built, the blob is written into the workspace, validated by the very parser
 * a kernel uses, and every neverallow assertion is checked with the very
 * decision function a kernel uses. Workspace only; no allocation.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sort.h"
#include "mac_format.h"
#include "mem.h"
#include "ospolicy/mac.h"

enum { KIND_LEVEL = 1, KIND_CATEGORY = 2, KIND_LABEL = 3 };

#define ANY UINT32_MAX
#define MAX_WORDS 72u /* label NAME LEVEL + 64 categories, and some slack */

typedef struct sym {
  uint64_t categories; /* labels: mask of category declaration indices, then of ids */
  uint32_t name_offset; /* in the text */
  uint32_t line;
  uint32_t column;
  uint32_t id;          /* position among its kind once sorted */
  uint8_t kind;
  uint8_t name_length;
  uint8_t value;        /* levels: value; labels: level value */
  uint8_t decl;         /* categories: declaration index */
} sym;

typedef struct triple {
  uint64_t key;
  uint32_t subject; /* symbol indices */
  uint32_t object;
  uint32_t line;
  uint32_t column;
  uint8_t op;
  uint8_t effect;
} triple;

typedef struct never {
  uint32_t subject; /* symbol index or ANY */
  uint32_t object;
  uint32_t ops;     /* mask of 1u << op */
  uint32_t line;
  uint32_t column;
  uint32_t offset;
} never;

typedef struct layout {
  size_t lines;
  size_t max_triples;
  size_t hash_size;
  size_t max_buckets;
  size_t max_blob;
  size_t syms, hash, order, triples, triple_order, nevers, blob, total;
} layout;

static size_t pow2_at_least(size_t n) {
  size_t p = 1u;
  while (p < n) {
    p <<= 1;
  }
  return p;
}

static size_t align8(size_t n) { return (n + 7u) & ~(size_t)7u; }

/* Region offsets inside the (8-byte aligned) workspace. Sizes are bounded by
 * OSPOLICY_MAC_MAX_TEXT_SIZE, so none of this overflows a 64-bit size_t;
 * the checks keep it honest on 32 bits. */
static bool compute_layout(const char *text, size_t size, layout *l) {
  size_t lines = 1u;
  for (size_t i = 0; i < size; i++) {
    lines += text[i] == '\n';
  }
  l->lines = lines;
  size_t triples = 0u;
  if (__builtin_mul_overflow(lines, (size_t)OSPOLICY_MAC_OP_COUNT, &triples)) {
    return false;
  }
  if (triples > OSPOLICY_MAC_MAX_RULES) {
    triples = OSPOLICY_MAC_MAX_RULES;
  }
  l->max_triples = triples;
  l->hash_size = pow2_at_least(2u * lines);
  l->max_buckets = pow2_at_least(2u * triples);
  size_t labels = lines < OSPOLICY_MAC_MAX_LABELS ? lines : OSPOLICY_MAC_MAX_LABELS;
  l->max_blob = OSPOLICY_MAC_HEADER_SIZE + OSPOLICY_MAC_MAX_LEVELS * OSPOLICY_MAC_LEVEL_SIZE +
                OSPOLICY_MAC_MAX_CATEGORIES * OSPOLICY_MAC_CATEGORY_SIZE +
                labels * OSPOLICY_MAC_LABEL_SIZE + triples * OSPOLICY_MAC_RULE_SIZE +
                l->max_buckets * OSPOLICY_MAC_BUCKET_SIZE + size;
  size_t at = 0u;
  l->syms = at;
  at += align8(lines * sizeof(sym));
  l->hash = at;
  at += align8(l->hash_size * sizeof(uint32_t));
  l->order = at;
  at += align8(lines * sizeof(uint32_t));
  l->triples = at;
  at += align8(triples * sizeof(triple));
  l->triple_order = at;
  at += align8(triples * sizeof(uint32_t));
  l->nevers = at;
  at += align8(lines * sizeof(never));
  l->blob = at;
  at += align8(l->max_blob);
  l->total = at + 8u; /* slack to align the caller's pointer */
  return true;
}

OSPolicy_Status OSPolicy_GetMacCompileWorkspaceSize(const char *text, size_t size,
                                                    size_t *workspace_size) {
  if (workspace_size == NULL || (text == NULL && size > 0u)) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  *workspace_size = 0u;
  if (size > OSPOLICY_MAC_MAX_TEXT_SIZE) {
    return OSPOLICY_ERR_MAC_TOO_MANY;
  }
  layout l;
  if (!compute_layout(text, size, &l)) {
    return OSPOLICY_ERR_OVERFLOW;
  }
  *workspace_size = l.total;
  return OSPOLICY_OK;
}

/* ---- compiler state --------------------------------------------------------- */

typedef struct word {
  const char *start;
  size_t length;
} word;

typedef struct compiler {
  const char *text;
  size_t size;
  layout l;
  OSPolicy_MacCompileResult *result;
  sym *syms;
  uint32_t sym_count;
  uint32_t *hash;
  uint32_t *order;
  triple *triples;
  uint32_t triple_count;
  uint32_t *triple_order;
  never *nevers;
  uint32_t never_count;
  uint8_t *blob;
  uint32_t counts[4]; /* per kind */
  uint32_t category_syms[OSPOLICY_MAC_MAX_CATEGORIES];
  bool have_header;
  /* the line being compiled */
  uint32_t line;
  const char *line_start;
  word words[MAX_WORDS];
  size_t word_count;
} compiler;

static OSPolicy_Status error_at(compiler *c, OSPolicy_Status status, const char *where,
                                const char *message) {
  OSPolicy_MacCompileResult *r = c->result;
  r->status = status;
  r->line = c->line;
  r->column = (uint32_t)(where - c->line_start) + 1u;
  r->offset = (size_t)(where - c->text);
  r->message = message;
  return status;
}

static OSPolicy_Status error_other(compiler *c, OSPolicy_Status status, const char *where,
                                   const char *message, uint32_t other_line,
                                   uint32_t other_column) {
  error_at(c, status, where, message);
  c->result->other_line = other_line;
  c->result->other_column = other_column;
  return status;
}

static uint32_t name_hash(uint8_t kind, const char *name, size_t length) {
  uint32_t h = 2166136261u ^ kind;
  h *= 16777619u;
  for (size_t i = 0; i < length; i++) {
    h ^= (uint8_t)name[i];
    h *= 16777619u;
  }
  return h;
}

/* Symbol index + 1 of (kind, name), or 0; *slot receives the bucket to
 * insert at when absent. */
static uint32_t find_sym(const compiler *c, uint8_t kind, const word *w, size_t *slot) {
  size_t mask = c->l.hash_size - 1u;
  size_t i = name_hash(kind, w->start, w->length) & mask;
  for (;;) { /* the table is at most half full: an empty bucket ends every probe */
    uint32_t entry = c->hash[i];
    if (entry == 0u) {
      *slot = i;
      return 0u;
    }
    const sym *s = &c->syms[entry - 1u];
    if (s->kind == kind && s->name_length == w->length &&
        memcmp(c->text + s->name_offset, w->start, w->length) == 0) {
      return entry;
    }
    i = (i + 1u) & mask;
  }
}

static bool word_is(const word *w, const char *literal) {
  size_t n = 0u;
  while (literal[n] != '\0') {
    n++;
  }
  return w->length == n && memcmp(w->start, literal, n) == 0;
}

static const char *const unknown_messages[] = {"", "unknown level (declare it with 'level' first)",
                                               "unknown category (declare it with 'category' first)",
                                               "unknown label (declare it with 'label' first)"};

static OSPolicy_Status check_name(compiler *c, const word *w) {
  if (!mac_name_valid((const uint8_t *)w->start, w->length)) {
    return error_at(c, OSPOLICY_ERR_MAC_SYNTAX, w->start,
                    "a name is 1..63 bytes of A-Z a-z 0-9 _ . -");
  }
  return OSPOLICY_OK;
}

static OSPolicy_Status declare(compiler *c, uint8_t kind, const word *w, uint32_t *index) {
  OSPolicy_Status status = check_name(c, w);
  if (status != OSPOLICY_OK) {
    return status;
  }
  size_t slot = 0u;
  uint32_t existing = find_sym(c, kind, w, &slot);
  if (existing != 0u) {
    const sym *s = &c->syms[existing - 1u];
    return error_other(c, OSPOLICY_ERR_MAC_DUPLICATE_NAME, w->start,
                       "this name is already declared (see the other line)", s->line, s->column);
  }
  uint32_t limit = kind == KIND_LEVEL      ? OSPOLICY_MAC_MAX_LEVELS
                   : kind == KIND_CATEGORY ? OSPOLICY_MAC_MAX_CATEGORIES
                                           : OSPOLICY_MAC_MAX_LABELS;
  if (c->counts[kind] >= limit) {
    return error_at(c, OSPOLICY_ERR_MAC_TOO_MANY, w->start,
                    kind == KIND_LEVEL      ? "more than 256 levels"
                    : kind == KIND_CATEGORY ? "more than 64 categories"
                                            : "more than 65535 labels");
  }
  sym *s = &c->syms[c->sym_count];
  memset(s, 0, sizeof *s);
  s->kind = kind;
  s->name_offset = (uint32_t)(w->start - c->text);
  s->name_length = (uint8_t)w->length;
  s->line = c->line;
  s->column = (uint32_t)(w->start - c->line_start) + 1u;
  c->hash[slot] = ++c->sym_count;
  c->counts[kind]++;
  *index = c->sym_count - 1u;
  return OSPOLICY_OK;
}

static OSPolicy_Status lookup(compiler *c, uint8_t kind, const word *w, uint32_t *index) {
  if (kind == KIND_LABEL && word_is(w, "*")) {
    return error_at(c, OSPOLICY_ERR_MAC_SYNTAX, w->start,
                    "allow and deny name one subject and one object; '*' is for neverallow");
  }
  OSPolicy_Status status = check_name(c, w);
  if (status != OSPOLICY_OK) {
    return status;
  }
  size_t slot = 0u;
  uint32_t entry = find_sym(c, kind, w, &slot);
  if (entry == 0u) {
    return error_at(c, OSPOLICY_ERR_MAC_UNKNOWN_NAME, w->start, unknown_messages[kind]);
  }
  *index = entry - 1u;
  return OSPOLICY_OK;
}

/* "read,write,exec" -> mask of 1u << op. */
static OSPolicy_Status parse_ops(compiler *c, const word *w, uint32_t *mask) {
  *mask = 0u;
  size_t i = 0u;
  while (i <= w->length) {
    size_t start = i;
    while (i < w->length && w->start[i] != ',') {
      i++;
    }
    uint32_t op = OSPolicy_MacOpFromName(w->start + start, i - start);
    if (op == OSPOLICY_MAC_OP_UNSET) {
      return error_at(c, OSPOLICY_ERR_MAC_SYNTAX, w->start + start,
                      "expected an operation: read, write, exec, ipc or net (comma-separated)");
    }
    if ((*mask & (1u << op)) != 0u) {
      return error_at(c, OSPOLICY_ERR_MAC_SYNTAX, w->start + start,
                      "this operation is listed twice");
    }
    *mask |= 1u << op;
    i++; /* past the comma (or the end) */
  }
  return OSPOLICY_OK;
}

static OSPolicy_Status expect_words(compiler *c, size_t count, const char *message) {
  if (c->word_count < count) {
    const word *last = &c->words[c->word_count - 1u];
    return error_at(c, OSPOLICY_ERR_MAC_SYNTAX, last->start + last->length, message);
  }
  if (c->word_count > count) {
    return error_at(c, OSPOLICY_ERR_MAC_SYNTAX, c->words[count].start,
                    "unexpected text after the statement");
  }
  return OSPOLICY_OK;
}

static OSPolicy_Status statement_level(compiler *c) {
  OSPolicy_Status status = expect_words(c, 3u, "expected 'level NAME VALUE' (VALUE 0..255)");
  if (status != OSPOLICY_OK) {
    return status;
  }
  const word *v = &c->words[2];
  uint32_t value = 0u;
  bool ok = v->length >= 1u && v->length <= 3u && !(v->length > 1u && v->start[0] == '0');
  for (size_t i = 0; ok && i < v->length; i++) {
    ok = v->start[i] >= '0' && v->start[i] <= '9';
    value = value * 10u + (uint32_t)(v->start[i] - '0');
  }
  if (!ok || value > 255u) {
    return error_at(c, OSPOLICY_ERR_MAC_SYNTAX, v->start,
                    "a level value is a decimal number 0..255 without leading zeros");
  }
  for (uint32_t i = 0; i < c->sym_count; i++) {
    const sym *s = &c->syms[i];
    if (s->kind == KIND_LEVEL && s->value == value) {
      return error_other(c, OSPOLICY_ERR_MAC_DUPLICATE_NAME, v->start,
                         "another level has this value (see the other line)", s->line, s->column);
    }
  }
  uint32_t index = 0u;
  status = declare(c, KIND_LEVEL, &c->words[1], &index);
  if (status == OSPOLICY_OK) {
    c->syms[index].value = (uint8_t)value;
  }
  return status;
}

static OSPolicy_Status statement_category(compiler *c) {
  OSPolicy_Status status = expect_words(c, 2u, "expected 'category NAME'");
  if (status != OSPOLICY_OK) {
    return status;
  }
  uint32_t decl = c->counts[KIND_CATEGORY];
  uint32_t index = 0u;
  status = declare(c, KIND_CATEGORY, &c->words[1], &index);
  if (status == OSPOLICY_OK) {
    c->syms[index].decl = (uint8_t)decl;
    c->category_syms[decl] = index;
  }
  return status;
}

static OSPolicy_Status statement_label(compiler *c) {
  if (c->word_count < 3u) {
    return expect_words(c, 3u, "expected 'label NAME LEVEL [CATEGORY ...]'");
  }
  uint32_t level = 0u;
  OSPolicy_Status status = lookup(c, KIND_LEVEL, &c->words[2], &level);
  if (status != OSPOLICY_OK) {
    return status;
  }
  uint64_t categories = 0u;
  for (size_t i = 3u; i < c->word_count; i++) {
    uint32_t category = 0u;
    status = lookup(c, KIND_CATEGORY, &c->words[i], &category);
    if (status != OSPOLICY_OK) {
      return status;
    }
    uint64_t bit = (uint64_t)1u << c->syms[category].decl;
    if ((categories & bit) != 0u) {
      return error_at(c, OSPOLICY_ERR_MAC_DUPLICATE_NAME, c->words[i].start,
                      "this category is listed twice in the label");
    }
    categories |= bit;
  }
  uint32_t index = 0u;
  status = declare(c, KIND_LABEL, &c->words[1], &index);
  if (status == OSPOLICY_OK) {
    c->syms[index].value = c->syms[level].value;
    c->syms[index].categories = categories;
  }
  return status;
}

static OSPolicy_Status statement_rule(compiler *c, uint8_t effect) {
  OSPolicy_Status status = expect_words(
      c, 4u, effect == MAC_EFFECT_ALLOW ? "expected 'allow SUBJECT OBJECT OPERATIONS'"
                                        : "expected 'deny SUBJECT OBJECT OPERATIONS'");
  if (status != OSPOLICY_OK) {
    return status;
  }
  uint32_t subject = 0u, object = 0u, ops = 0u;
  status = lookup(c, KIND_LABEL, &c->words[1], &subject);
  if (status == OSPOLICY_OK) {
    status = lookup(c, KIND_LABEL, &c->words[2], &object);
  }
  if (status == OSPOLICY_OK) {
    status = parse_ops(c, &c->words[3], &ops);
  }
  if (status != OSPOLICY_OK) {
    return status;
  }
  for (uint32_t op = 1u; op <= OSPOLICY_MAC_OP_COUNT; op++) {
    if ((ops & (1u << op)) == 0u) {
      continue;
    }
    if (c->triple_count >= c->l.max_triples) {
      return error_at(c, OSPOLICY_ERR_MAC_TOO_MANY, c->words[0].start,
                      "more than 1048576 (subject, object, operation) rules");
    }
    triple *t = &c->triples[c->triple_count++];
    memset(t, 0, sizeof *t);
    t->subject = subject;
    t->object = object;
    t->op = (uint8_t)op;
    t->effect = effect;
    t->line = c->line;
    t->column = (uint32_t)(c->words[0].start - c->line_start) + 1u;
  }
  return OSPOLICY_OK;
}

static OSPolicy_Status statement_neverallow(compiler *c) {
  OSPolicy_Status status = expect_words(c, 4u, "expected 'neverallow SUBJECT|* OBJECT|* OPERATIONS'");
  if (status != OSPOLICY_OK) {
    return status;
  }
  never *n = &c->nevers[c->never_count];
  memset(n, 0, sizeof *n);
  n->subject = ANY;
  n->object = ANY;
  if (!word_is(&c->words[1], "*")) {
    status = lookup(c, KIND_LABEL, &c->words[1], &n->subject);
  }
  if (status == OSPOLICY_OK && !word_is(&c->words[2], "*")) {
    status = lookup(c, KIND_LABEL, &c->words[2], &n->object);
  }
  if (status == OSPOLICY_OK) {
    status = parse_ops(c, &c->words[3], &n->ops);
  }
  if (status != OSPOLICY_OK) {
    return status;
  }
  n->line = c->line;
  n->column = (uint32_t)(c->words[0].start - c->line_start) + 1u;
  n->offset = (uint32_t)(c->words[0].start - c->text);
  c->never_count++;
  return OSPOLICY_OK;
}

static OSPolicy_Status compile_line(compiler *c, const char *end) {
  c->word_count = 0u;
  const char *p = c->line_start;
  while (p < end) {
    char ch = *p;
    if (ch == ' ' || ch == '\t' || ch == '\r') {
      p++;
      continue;
    }
    if (ch == '#') {
      break;
    }
    const char *start = p;
    while (p < end && *p != ' ' && *p != '\t' && *p != '\r' && *p != '#') {
      uint8_t b = (uint8_t)*p;
      if (b < 0x21u || b > 0x7Eu) {
        return error_at(c, OSPOLICY_ERR_MAC_SYNTAX, p,
                        "unexpected character (policies are printable ASCII)");
      }
      p++;
    }
    if (c->word_count == MAX_WORDS) {
      return error_at(c, OSPOLICY_ERR_MAC_SYNTAX, start, "too many words on one line");
    }
    c->words[c->word_count++] = (word){start, (size_t)(p - start)};
  }
  if (c->word_count == 0u) {
    return OSPOLICY_OK;
  }
  const word *keyword = &c->words[0];
  if (word_is(keyword, "mac")) {
    if (c->have_header) {
      return error_at(c, OSPOLICY_ERR_MAC_SYNTAX, keyword->start, "'mac 1' may appear only once");
    }
    OSPolicy_Status status = expect_words(c, 2u, "expected 'mac 1'");
    if (status != OSPOLICY_OK) {
      return status;
    }
    if (!word_is(&c->words[1], "1")) {
      return error_at(c, OSPOLICY_ERR_MAC_SYNTAX, c->words[1].start,
                      "unsupported policy language version (this build reads 'mac 1')");
    }
    c->have_header = true;
    return OSPOLICY_OK;
  }
  if (!c->have_header) {
    return error_at(c, OSPOLICY_ERR_MAC_SYNTAX, keyword->start,
                    "a policy starts with the line 'mac 1'");
  }
  if (word_is(keyword, "level")) {
    return statement_level(c);
  }
  if (word_is(keyword, "category")) {
    return statement_category(c);
  }
  if (word_is(keyword, "label")) {
    return statement_label(c);
  }
  if (word_is(keyword, "allow")) {
    return statement_rule(c, MAC_EFFECT_ALLOW);
  }
  if (word_is(keyword, "deny")) {
    return statement_rule(c, MAC_EFFECT_DENY);
  }
  if (word_is(keyword, "neverallow")) {
    return statement_neverallow(c);
  }
  return error_at(c, OSPOLICY_ERR_MAC_SYNTAX, keyword->start,
                  "expected a statement: mac, level, category, label, allow, deny or neverallow");
}

/* ---- sorting and emitting ---------------------------------------------------- */

static int compare_syms(uint32_t a, uint32_t b, const void *context) {
  const compiler *c = context;
  const sym *x = &c->syms[a];
  const sym *y = &c->syms[b];
  int r = mac_name_compare((const uint8_t *)c->text + x->name_offset, x->name_length,
                           (const uint8_t *)c->text + y->name_offset, y->name_length);
  return r != 0 ? r : (a < b ? -1 : a > b ? 1 : 0);
}

static int compare_triples(uint32_t a, uint32_t b, const void *context) {
  const compiler *c = context;
  const triple *x = &c->triples[a];
  const triple *y = &c->triples[b];
  if (x->key != y->key) {
    return x->key < y->key ? -1 : 1;
  }
  if (x->effect != y->effect) {
    return x->effect < y->effect ? -1 : 1;
  }
  if (x->line != y->line) {
    return x->line < y->line ? -1 : 1;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

/* Sorts the symbols of one kind by name into c->order[0..count) and gives
 * each its id. */
static uint32_t sort_kind(compiler *c, uint8_t kind) {
  uint32_t count = 0u;
  for (uint32_t i = 0; i < c->sym_count; i++) {
    if (c->syms[i].kind == kind) {
      c->order[count++] = i;
    }
  }
  sort_indices(c->order, count, compare_syms, c);
  for (uint32_t i = 0; i < count; i++) {
    c->syms[c->order[i]].id = i;
  }
  return count;
}

typedef struct emit {
  uint8_t *blob;
  size_t strings_at;
  uint32_t strings_size;
} emit;

static void emit_name(compiler *c, emit *e, uint8_t *entry, const sym *s) {
  mac_put32(entry, e->strings_size);
  entry[4] = s->name_length;
  memcpy(e->blob + e->strings_at + e->strings_size, c->text + s->name_offset, s->name_length);
  e->strings_size += s->name_length;
}

static void emit_kind(compiler *c, emit *e, uint8_t kind, size_t section, size_t entry_size) {
  uint32_t count = sort_kind(c, kind);
  for (uint32_t i = 0; i < count; i++) {
    const sym *s = &c->syms[c->order[i]];
    uint8_t *entry = e->blob + section + (size_t)i * entry_size;
    memset(entry, 0, entry_size);
    emit_name(c, e, entry, s);
    if (kind == KIND_LEVEL || kind == KIND_LABEL) {
      entry[5] = s->value;
    }
    if (kind == KIND_LABEL) {
      uint64_t ids = 0u;
      for (uint32_t bit = 0; bit < OSPOLICY_MAC_MAX_CATEGORIES; bit++) {
        if ((s->categories >> bit & 1u) != 0u) {
          ids |= (uint64_t)1u << c->syms[c->category_syms[bit]].id;
        }
      }
      mac_put64(entry + MAC_LABEL_CATEGORIES, ids);
    }
  }
}

static OSPolicy_Status check_neverallows(compiler *c, const OSPolicy_MacPolicy *policy) {
  OSPolicy_MacCompileResult *r = c->result;
  for (uint32_t k = 0; k < c->never_count; k++) {
    const never *n = &c->nevers[k];
    uint32_t s_first = n->subject == ANY ? 0u : c->syms[n->subject].id;
    uint32_t s_last = n->subject == ANY ? policy->label_count - 1u : s_first;
    uint32_t o_first = n->object == ANY ? 0u : c->syms[n->object].id;
    uint32_t o_last = n->object == ANY ? policy->label_count - 1u : o_first;
    for (uint32_t s = s_first; s <= s_last; s++) {
      for (uint32_t o = o_first; o <= o_last; o++) {
        for (uint32_t op = 1u; op <= OSPOLICY_MAC_OP_COUNT; op++) {
          if ((n->ops & (1u << op)) == 0u) {
            continue;
          }
          OSPolicy_MacDecision d;
          if (OSPolicy_DecideMac(policy, s, o, op, &d) != OSPOLICY_OK) {
            continue;
          }
          r->status = OSPOLICY_ERR_MAC_NEVERALLOW;
          r->line = n->line;
          r->column = n->column;
          r->offset = n->offset;
          r->violation_subject = s;
          r->violation_object = o;
          r->violation_op = op;
          r->violation_rule = d.rule;
          /* c->order holds the labels in id order (emit_kind sorted them last) */
          r->violation_subject_name = c->text + c->syms[c->order[s]].name_offset;
          r->violation_subject_length = c->syms[c->order[s]].name_length;
          r->violation_object_name = c->text + c->syms[c->order[o]].name_offset;
          r->violation_object_length = c->syms[c->order[o]].name_length;
          if (d.rule == OSPOLICY_MAC_RULE_ALLOW) {
            r->other_line = d.rule_line;
            /* the allow rule's column: its first word */
            for (uint32_t t = 0; t < c->triple_count; t++) {
              if (c->triples[t].line == d.rule_line && c->triples[t].effect == MAC_EFFECT_ALLOW) {
                r->other_column = c->triples[t].column;
                break;
              }
            }
            r->message = "an allow rule permits an access this neverallow forbids";
          } else {
            r->message = "the default rule (Bell-LaPadula) permits an access this neverallow "
                         "forbids; add a deny rule or change the labels";
          }
          return r->status;
        }
      }
    }
  }
  return OSPOLICY_OK;
}

static OSPolicy_Status build(compiler *c, size_t *blob_size) {
  OSPolicy_MacCompileResult *r = c->result;
  /* Rules: keys need label ids, so sort the labels first (emit_kind sorts
   * again into the same order, cheaply). */
  sort_kind(c, KIND_LABEL);
  for (uint32_t i = 0; i < c->triple_count; i++) {
    triple *t = &c->triples[i];
    t->key = mac_key(c->syms[t->subject].id, c->syms[t->object].id, t->op);
    c->triple_order[i] = i;
  }
  sort_indices(c->triple_order, c->triple_count, compare_triples, c);
  /* Duplicates (same triple, same effect): report the one whose second
   * occurrence comes first in the text. */
  const triple *dup = NULL, *first = NULL;
  uint32_t rules = 0u;
  for (uint32_t i = 0; i < c->triple_count; i++) {
    const triple *t = &c->triples[c->triple_order[i]];
    const triple *prev = i > 0u ? &c->triples[c->triple_order[i - 1u]] : NULL;
    if (prev == NULL || prev->key != t->key) {
      rules++;
    } else if (prev->effect == t->effect && (dup == NULL || t->line < dup->line)) {
      dup = t;
      first = prev;
    }
  }
  if (dup != NULL) {
    r->status = OSPOLICY_ERR_MAC_DUPLICATE_RULE;
    r->line = dup->line;
    r->column = dup->column;
    const char *p = c->text;
    for (uint32_t line = 1u; line < dup->line; p++) {
      line += *p == '\n';
    }
    r->offset = (size_t)(p - c->text) + dup->column - 1u;
    r->other_line = first->line;
    r->other_column = first->column;
    r->message = "this rule repeats an earlier one for the same subject, object and operation";
    return r->status;
  }
  uint32_t buckets = (uint32_t)pow2_at_least(rules == 0u ? 1u : 2u * (size_t)rules);
  uint32_t levels = c->counts[KIND_LEVEL], categories = c->counts[KIND_CATEGORY];
  uint32_t labels = c->counts[KIND_LABEL];
  emit e = {.blob = c->blob, .strings_at = 0u, .strings_size = 0u};
  size_t levels_at = OSPOLICY_MAC_HEADER_SIZE;
  size_t categories_at = levels_at + (size_t)levels * OSPOLICY_MAC_LEVEL_SIZE;
  size_t labels_at = categories_at + (size_t)categories * OSPOLICY_MAC_CATEGORY_SIZE;
  size_t rules_at = labels_at + (size_t)labels * OSPOLICY_MAC_LABEL_SIZE;
  size_t buckets_at = rules_at + (size_t)rules * OSPOLICY_MAC_RULE_SIZE;
  e.strings_at = buckets_at + (size_t)buckets * OSPOLICY_MAC_BUCKET_SIZE;
  emit_kind(c, &e, KIND_LEVEL, levels_at, OSPOLICY_MAC_LEVEL_SIZE);
  emit_kind(c, &e, KIND_CATEGORY, categories_at, OSPOLICY_MAC_CATEGORY_SIZE);
  emit_kind(c, &e, KIND_LABEL, labels_at, OSPOLICY_MAC_LABEL_SIZE);
  /* Merged rules, in key order. */
  uint32_t n = 0u;
  for (uint32_t i = 0; i < c->triple_count; i++) {
    const triple *t = &c->triples[c->triple_order[i]];
    uint8_t *entry;
    if (i == 0u || c->triples[c->triple_order[i - 1u]].key != t->key) {
      entry = c->blob + rules_at + (size_t)n++ * OSPOLICY_MAC_RULE_SIZE;
      memset(entry, 0, OSPOLICY_MAC_RULE_SIZE);
      mac_put32(entry + MAC_RULE_SUBJECT, c->syms[t->subject].id);
      mac_put32(entry + MAC_RULE_OBJECT, c->syms[t->object].id);
      entry[MAC_RULE_OP] = t->op;
    } else {
      entry = c->blob + rules_at + (size_t)(n - 1u) * OSPOLICY_MAC_RULE_SIZE;
    }
    entry[MAC_RULE_EFFECTS] |= t->effect;
    mac_put32(entry + (t->effect == MAC_EFFECT_ALLOW ? MAC_RULE_ALLOW_LINE : MAC_RULE_DENY_LINE),
              t->line);
  }
  /* Hash index with linear probing; remember the longest probe. */
  uint8_t *bucket_bytes = c->blob + buckets_at;
  memset(bucket_bytes, 0, (size_t)buckets * OSPOLICY_MAC_BUCKET_SIZE);
  uint32_t log2 = 0u;
  while ((1u << log2) < buckets) {
    log2++;
  }
  uint32_t max_probe = 0u;
  for (uint32_t i = 0; i < rules; i++) {
    uint64_t key = mac_rule_key(c->blob + rules_at + (size_t)i * OSPOLICY_MAC_RULE_SIZE);
    uint32_t at = mac_hash(key, 64u - log2) & (buckets - 1u);
    uint32_t probe = 1u;
    while (mac_get32(bucket_bytes + (size_t)at * OSPOLICY_MAC_BUCKET_SIZE) != 0u) {
      at = (at + 1u) & (buckets - 1u);
      probe++;
    }
    mac_put32(bucket_bytes + (size_t)at * OSPOLICY_MAC_BUCKET_SIZE, i + 1u);
    max_probe = probe > max_probe ? probe : max_probe;
  }
  size_t total = e.strings_at + e.strings_size;
  uint8_t *h = c->blob;
  memset(h, 0, OSPOLICY_MAC_HEADER_SIZE);
  memcpy(h, OSPOLICY_MAC_BLOB_MAGIC, 8u);
  mac_put32(h + MAC_HDR_VERSION, OSPOLICY_MAC_BLOB_VERSION);
  mac_put32(h + MAC_HDR_TOTAL_SIZE, (uint32_t)total);
  mac_put32(h + MAC_HDR_LEVELS, levels);
  mac_put32(h + MAC_HDR_CATEGORIES, categories);
  mac_put32(h + MAC_HDR_LABELS, labels);
  mac_put32(h + MAC_HDR_RULES, rules);
  mac_put32(h + MAC_HDR_BUCKETS, buckets);
  mac_put32(h + MAC_HDR_MAX_PROBE, max_probe);
  mac_put32(h + MAC_HDR_STRINGS, e.strings_size);
  r->level_count = levels;
  r->category_count = categories;
  r->label_count = labels;
  r->rule_count = rules;
  r->neverallow_count = c->never_count;
  *blob_size = total;
  return OSPOLICY_OK;
}

static void reset_result(OSPolicy_MacCompileResult *r) {
  memset(r, 0, sizeof *r);
  r->message = "";
  r->violation_subject_name = "";
  r->violation_object_name = "";
}

OSPolicy_Status OSPolicy_CompileMacPolicy(const OSPolicy_MacCompileRequest *request,
                                          OSPolicy_MacCompileResult *result) {
  if (result == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  reset_result(result);
  if (request == NULL || (request->text == NULL && request->size > 0u) ||
      request->workspace == NULL || (request->out == NULL && request->out_capacity > 0u)) {
    result->status = OSPOLICY_ERR_NULL_ARGUMENT;
    return result->status;
  }
  if (request->size > OSPOLICY_MAC_MAX_TEXT_SIZE) {
    result->status = OSPOLICY_ERR_MAC_TOO_MANY;
    result->message = "the policy text is larger than 16 MiB";
    return result->status;
  }
  compiler c;
  memset(&c, 0, sizeof c);
  c.text = request->text != NULL ? request->text : "";
  c.size = request->size;
  c.result = result;
  if (!compute_layout(c.text, c.size, &c.l)) {
    result->status = OSPOLICY_ERR_OVERFLOW;
    return result->status;
  }
  if (request->workspace_size < c.l.total) {
    result->status = OSPOLICY_ERR_BUFFER_TOO_SMALL;
    result->message = "the workspace is smaller than OSPolicy_GetMacCompileWorkspaceSize says";
    return result->status;
  }
  uint8_t *base = (uint8_t *)request->workspace;
  base += (8u - ((uintptr_t)base & 7u)) & 7u;
  c.syms = (sym *)(void *)(base + c.l.syms);
  c.hash = (uint32_t *)(void *)(base + c.l.hash);
  c.order = (uint32_t *)(void *)(base + c.l.order);
  c.triples = (triple *)(void *)(base + c.l.triples);
  c.triple_order = (uint32_t *)(void *)(base + c.l.triple_order);
  c.nevers = (never *)(void *)(base + c.l.nevers);
  c.blob = base + c.l.blob;
  memset(c.hash, 0, c.l.hash_size * sizeof(uint32_t));

  const char *p = c.text;
  const char *end = c.text + c.size;
  c.line = 1u;
  while (p <= end) {
    const char *line_end = p;
    while (line_end < end && *line_end != '\n') {
      line_end++;
    }
    c.line_start = p;
    OSPolicy_Status status = compile_line(&c, line_end);
    if (status != OSPOLICY_OK) {
      return status;
    }
    if (line_end == end) {
      break;
    }
    p = line_end + 1;
    c.line++;
  }
  if (!c.have_header || c.counts[KIND_LEVEL] == 0u || c.counts[KIND_LABEL] == 0u) {
    c.line_start = p;
    return error_at(&c, OSPOLICY_ERR_MAC_SYNTAX, end,
                    !c.have_header ? "a policy starts with the line 'mac 1'"
                                   : "a policy declares at least one level and one label");
  }
  size_t blob_size = 0u;
  OSPolicy_Status status = build(&c, &blob_size);
  if (status != OSPOLICY_OK) {
    return status;
  }
  OSPolicy_MacPolicy policy;
  status = OSPolicy_ParseMacPolicy(c.blob, blob_size, &policy);
  if (status != OSPOLICY_OK) { /* a compiler bug: never hand out such a blob */
    result->status = status;
    result->message = "internal error: the compiled blob does not parse";
    return status;
  }
  status = check_neverallows(&c, &policy);
  if (status != OSPOLICY_OK) {
    return status;
  }
  result->blob_size = blob_size;
  if (request->out_capacity < blob_size) {
    result->status = OSPOLICY_ERR_BUFFER_TOO_SMALL;
    result->message = "the output buffer is smaller than blob_size";
    return result->status;
  }
  memcpy(request->out, c.blob, blob_size);
  result->status = OSPOLICY_OK;
  return OSPOLICY_OK;
}
