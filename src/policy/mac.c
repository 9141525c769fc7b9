/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * The MAC engine: blob parser, decision, name lookups (docs/mac.md). The
 * compiler is in mac_compile.c; both share mac_format.h.
 */
#include "ospolicy/mac.h"

#include <stdbool.h>
#include <stddef.h>

#include "mac_format.h"
#include "mem.h"

/* ---- decision ------------------------------------------------------------ */

/* Index of the rule for key + 1, or 0. At most max_probe buckets. */
static uint32_t find_rule(const OSPolicy_MacPolicy *policy, uint64_t key) {
  if (policy->bucket_count == 0u) {
    return 0u;
  }
  uint32_t mask = policy->bucket_count - 1u;
  uint32_t i = mac_hash(key, policy->bucket_shift) & mask;
  const uint8_t *buckets = policy->blob + policy->buckets_offset;
  const uint8_t *rules = policy->blob + policy->rules_offset;
  for (uint32_t probe = 0; probe < policy->max_probe; probe++) {
    uint32_t entry = mac_get32(buckets + (size_t)i * OSPOLICY_MAC_BUCKET_SIZE);
    if (entry == 0u) {
      return 0u;
    }
    const uint8_t *r = rules + (size_t)(entry - 1u) * OSPOLICY_MAC_RULE_SIZE;
    if (mac_rule_key(r) == key) {
      return entry;
    }
    i = (i + 1u) & mask;
  }
  return 0u;
}

OSPolicy_Status OSPolicy_DecideMac(const OSPolicy_MacPolicy *policy, uint32_t subject,
                                   uint32_t object, uint32_t op, OSPolicy_MacDecision *decision) {
  if (decision == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  decision->decision = OSPOLICY_DECISION_DENY;
  decision->subject = subject;
  decision->object = object;
  decision->op = op;
  decision->rule = OSPOLICY_MAC_RULE_UNSET;
  decision->rule_line = 0u;
  decision->overridden_line = 0u;
  decision->default_status = OSPOLICY_STATUS_UNSET;
  if (policy == NULL) {
    decision->status = OSPOLICY_ERR_NULL_ARGUMENT;
    return decision->status;
  }
  if (policy->status != OSPOLICY_OK || policy->blob == NULL) {
    decision->status = OSPOLICY_ERR_PLAN_NOT_OK;
    return decision->status;
  }
  if (subject >= policy->label_count || object >= policy->label_count || op == 0u ||
      op > OSPOLICY_MAC_OP_COUNT) {
    decision->status = OSPOLICY_ERR_INVALID_ARGUMENT;
    return decision->status;
  }
  const uint8_t *labels = policy->blob + policy->labels_offset;
  const uint8_t *s = labels + (size_t)subject * OSPOLICY_MAC_LABEL_SIZE;
  const uint8_t *o = labels + (size_t)object * OSPOLICY_MAC_LABEL_SIZE;
  decision->default_status =
      mac_default_rule(s[MAC_LABEL_LEVEL], mac_get64(s + MAC_LABEL_CATEGORIES), o[MAC_LABEL_LEVEL],
                       mac_get64(o + MAC_LABEL_CATEGORIES), op);
  uint32_t entry = find_rule(policy, mac_key(subject, object, op));
  if (entry != 0u) {
    const uint8_t *r = policy->blob + policy->rules_offset +
                       (size_t)(entry - 1u) * OSPOLICY_MAC_RULE_SIZE;
    uint8_t effects = r[MAC_RULE_EFFECTS];
    if ((effects & MAC_EFFECT_DENY) != 0u) {
      decision->rule = OSPOLICY_MAC_RULE_DENY;
      decision->rule_line = mac_get32(r + MAC_RULE_DENY_LINE);
      decision->overridden_line = mac_get32(r + MAC_RULE_ALLOW_LINE);
      decision->status = OSPOLICY_DENIED_MAC_DENY_RULE;
      return decision->status;
    }
    decision->rule = OSPOLICY_MAC_RULE_ALLOW;
    decision->rule_line = mac_get32(r + MAC_RULE_ALLOW_LINE);
    decision->status = OSPOLICY_OK;
    decision->decision = OSPOLICY_DECISION_ALLOW;
    return decision->status;
  }
  decision->rule = OSPOLICY_MAC_RULE_DEFAULT;
  decision->status = decision->default_status;
  if (decision->status == OSPOLICY_OK) {
    decision->decision = OSPOLICY_DECISION_ALLOW;
  }
  return decision->status;
}

/* ---- parser -------------------------------------------------------------- */

static OSPolicy_Status fail(OSPolicy_MacPolicy *policy, OSPolicy_Status status, size_t offset,
                            const char *field) {
  const uint8_t *blob = policy->blob;
  size_t size = policy->size;
  memset(policy, 0, sizeof *policy);
  policy->blob = blob;
  policy->size = size;
  policy->status = status;
  policy->error_offset = offset;
  policy->error_field = field;
  return status;
}

/* Checks the names of one section: each valid, inside the strings, strictly
 * increasing. Entry i's name is at entry + 0 (offset) and + 4 (length). */
static OSPolicy_Status check_names(OSPolicy_MacPolicy *policy, size_t section, uint32_t count,
                                   size_t entry_size, const char *field) {
  const uint8_t *prev = NULL;
  size_t prev_length = 0u;
  for (uint32_t i = 0; i < count; i++) {
    size_t at = section + (size_t)i * entry_size;
    uint32_t offset = mac_get32(policy->blob + at);
    uint32_t length = policy->blob[at + 4u];
    size_t strings_size = policy->size - policy->strings_offset;
    if (offset > strings_size || length > strings_size - offset) {
      return fail(policy, OSPOLICY_ERR_MAC_BLOB_MALFORMED, at, field);
    }
    const uint8_t *name = policy->blob + policy->strings_offset + offset;
    if (!mac_name_valid(name, length)) {
      return fail(policy, OSPOLICY_ERR_MAC_BLOB_MALFORMED, at + 4u, field);
    }
    if (prev != NULL && mac_name_compare(prev, prev_length, name, length) >= 0) {
      return fail(policy, OSPOLICY_ERR_MAC_BLOB_MALFORMED, at, field);
    }
    prev = name;
    prev_length = length;
  }
  return OSPOLICY_OK;
}

static bool all_zero(const uint8_t *p, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (p[i] != 0u) {
      return false;
    }
  }
  return true;
}

OSPolicy_Status OSPolicy_ParseMacPolicy(const uint8_t *blob, size_t size,
                                        OSPolicy_MacPolicy *policy) {
  if (policy == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  policy->blob = blob;
  policy->size = size;
  if (blob == NULL) {
    policy->blob = NULL;
    policy->size = 0u;
    return fail(policy, OSPOLICY_ERR_NULL_ARGUMENT, 0u, "blob");
  }
  if (size < OSPOLICY_MAC_HEADER_SIZE) {
    return fail(policy, OSPOLICY_ERR_MAC_BLOB_TRUNCATED, size, "header");
  }
  if (memcmp(blob, OSPOLICY_MAC_BLOB_MAGIC, 8u) != 0) {
    return fail(policy, OSPOLICY_ERR_MAC_BLOB_MALFORMED, 0u, "magic");
  }
  if (mac_get32(blob + MAC_HDR_VERSION) != OSPOLICY_MAC_BLOB_VERSION) {
    return fail(policy, OSPOLICY_ERR_MAC_BLOB_VERSION, MAC_HDR_VERSION, "version");
  }
  if (mac_get32(blob + MAC_HDR_FLAGS) != 0u) {
    return fail(policy, OSPOLICY_ERR_MAC_BLOB_MALFORMED, MAC_HDR_FLAGS, "flags");
  }
  uint32_t total = mac_get32(blob + MAC_HDR_TOTAL_SIZE);
  uint32_t levels = mac_get32(blob + MAC_HDR_LEVELS);
  uint32_t categories = mac_get32(blob + MAC_HDR_CATEGORIES);
  uint32_t labels = mac_get32(blob + MAC_HDR_LABELS);
  uint32_t rules = mac_get32(blob + MAC_HDR_RULES);
  uint32_t buckets = mac_get32(blob + MAC_HDR_BUCKETS);
  uint32_t max_probe = mac_get32(blob + MAC_HDR_MAX_PROBE);
  uint32_t strings = mac_get32(blob + MAC_HDR_STRINGS);
  if (levels == 0u || levels > OSPOLICY_MAC_MAX_LEVELS) {
    return fail(policy, OSPOLICY_ERR_MAC_BLOB_MALFORMED, MAC_HDR_LEVELS, "level-count");
  }
  if (categories > OSPOLICY_MAC_MAX_CATEGORIES) {
    return fail(policy, OSPOLICY_ERR_MAC_BLOB_MALFORMED, MAC_HDR_CATEGORIES, "category-count");
  }
  if (labels == 0u || labels > OSPOLICY_MAC_MAX_LABELS) {
    return fail(policy, OSPOLICY_ERR_MAC_BLOB_MALFORMED, MAC_HDR_LABELS, "label-count");
  }
  if (rules > OSPOLICY_MAC_MAX_RULES) {
    return fail(policy, OSPOLICY_ERR_MAC_BLOB_MALFORMED, MAC_HDR_RULES, "rule-count");
  }
  if (buckets == 0u || buckets > OSPOLICY_MAC_MAX_BUCKETS || (buckets & (buckets - 1u)) != 0u ||
      buckets <= rules) {
    return fail(policy, OSPOLICY_ERR_MAC_BLOB_MALFORMED, MAC_HDR_BUCKETS, "bucket-count");
  }
  if (max_probe > buckets || (rules > 0u && max_probe == 0u)) {
    return fail(policy, OSPOLICY_ERR_MAC_BLOB_MALFORMED, MAC_HDR_MAX_PROBE, "max-probe");
  }
  if (strings > OSPOLICY_MAC_MAX_STRINGS) {
    return fail(policy, OSPOLICY_ERR_MAC_BLOB_MALFORMED, MAC_HDR_STRINGS, "strings-size");
  }
  /* Every count is bounded above, so these sums fit in 64 bits easily. */
  uint64_t offset = OSPOLICY_MAC_HEADER_SIZE;
  policy->levels_offset = (size_t)offset;
  offset += (uint64_t)levels * OSPOLICY_MAC_LEVEL_SIZE;
  policy->categories_offset = (size_t)offset;
  offset += (uint64_t)categories * OSPOLICY_MAC_CATEGORY_SIZE;
  policy->labels_offset = (size_t)offset;
  offset += (uint64_t)labels * OSPOLICY_MAC_LABEL_SIZE;
  policy->rules_offset = (size_t)offset;
  offset += (uint64_t)rules * OSPOLICY_MAC_RULE_SIZE;
  policy->buckets_offset = (size_t)offset;
  offset += (uint64_t)buckets * OSPOLICY_MAC_BUCKET_SIZE;
  policy->strings_offset = (size_t)offset;
  offset += strings;
  if (offset != total) {
    return fail(policy, OSPOLICY_ERR_MAC_BLOB_MALFORMED, MAC_HDR_TOTAL_SIZE, "total-size");
  }
  if (size < total) {
    return fail(policy, OSPOLICY_ERR_MAC_BLOB_TRUNCATED, size, "end");
  }
  if (size > total) {
    return fail(policy, OSPOLICY_ERR_MAC_BLOB_TRAILING_DATA, total, "end");
  }
  policy->level_count = levels;
  policy->category_count = categories;
  policy->label_count = labels;
  policy->rule_count = rules;
  policy->bucket_count = buckets;
  policy->max_probe = max_probe;
  uint32_t log2 = 0u;
  while ((1u << log2) < buckets) {
    log2++;
  }
  policy->bucket_shift = 64u - log2;

  /* Levels: names sorted, values distinct. */
  OSPolicy_Status status = check_names(policy, policy->levels_offset, levels,
                                       OSPOLICY_MAC_LEVEL_SIZE, "levels.name");
  if (status != OSPOLICY_OK) {
    return status;
  }
  uint64_t seen[4] = {0u, 0u, 0u, 0u};
  for (uint32_t i = 0; i < levels; i++) {
    size_t at = policy->levels_offset + (size_t)i * OSPOLICY_MAC_LEVEL_SIZE;
    uint8_t value = blob[at + MAC_LEVEL_VALUE];
    if (!all_zero(blob + at + 6u, 2u)) {
      return fail(policy, OSPOLICY_ERR_MAC_BLOB_MALFORMED, at + 6u, "levels.reserved");
    }
    if ((seen[value >> 6] >> (value & 63u) & 1u) != 0u) {
      return fail(policy, OSPOLICY_ERR_MAC_BLOB_MALFORMED, at + MAC_LEVEL_VALUE, "levels.value");
    }
    seen[value >> 6] |= (uint64_t)1u << (value & 63u);
  }
  status = check_names(policy, policy->categories_offset, categories, OSPOLICY_MAC_CATEGORY_SIZE,
                       "categories.name");
  if (status != OSPOLICY_OK) {
    return status;
  }
  for (uint32_t i = 0; i < categories; i++) {
    size_t at = policy->categories_offset + (size_t)i * OSPOLICY_MAC_CATEGORY_SIZE;
    if (!all_zero(blob + at + 5u, 3u)) {
      return fail(policy, OSPOLICY_ERR_MAC_BLOB_MALFORMED, at + 5u, "categories.reserved");
    }
  }
  status = check_names(policy, policy->labels_offset, labels, OSPOLICY_MAC_LABEL_SIZE,
                       "labels.name");
  if (status != OSPOLICY_OK) {
    return status;
  }
  uint64_t category_mask =
      categories == 64u ? ~(uint64_t)0u : (((uint64_t)1u << categories) - 1u);
  for (uint32_t i = 0; i < labels; i++) {
    size_t at = policy->labels_offset + (size_t)i * OSPOLICY_MAC_LABEL_SIZE;
    uint8_t level = blob[at + MAC_LABEL_LEVEL];
    if ((seen[level >> 6] >> (level & 63u) & 1u) == 0u) {
      return fail(policy, OSPOLICY_ERR_MAC_BLOB_MALFORMED, at + MAC_LABEL_LEVEL, "labels.level");
    }
    if (!all_zero(blob + at + 6u, 2u)) {
      return fail(policy, OSPOLICY_ERR_MAC_BLOB_MALFORMED, at + 6u, "labels.reserved");
    }
    if ((mac_get64(blob + at + MAC_LABEL_CATEGORIES) & ~category_mask) != 0u) {
      return fail(policy, OSPOLICY_ERR_MAC_BLOB_MALFORMED, at + MAC_LABEL_CATEGORIES,
                  "labels.categories");
    }
  }
  /* Rules: references in range, effects and lines consistent, keys strictly
   * increasing (so no duplicates). */
  uint64_t prev_key = 0u;
  for (uint32_t i = 0; i < rules; i++) {
    size_t at = policy->rules_offset + (size_t)i * OSPOLICY_MAC_RULE_SIZE;
    const uint8_t *r = blob + at;
    if (mac_get32(r + MAC_RULE_SUBJECT) >= labels) {
      return fail(policy, OSPOLICY_ERR_MAC_BLOB_MALFORMED, at + MAC_RULE_SUBJECT, "rules.subject");
    }
    if (mac_get32(r + MAC_RULE_OBJECT) >= labels) {
      return fail(policy, OSPOLICY_ERR_MAC_BLOB_MALFORMED, at + MAC_RULE_OBJECT, "rules.object");
    }
    if (r[MAC_RULE_OP] == 0u || r[MAC_RULE_OP] > OSPOLICY_MAC_OP_COUNT) {
      return fail(policy, OSPOLICY_ERR_MAC_BLOB_MALFORMED, at + MAC_RULE_OP, "rules.op");
    }
    uint8_t effects = r[MAC_RULE_EFFECTS];
    if (effects == 0u || (effects & ~(MAC_EFFECT_ALLOW | MAC_EFFECT_DENY)) != 0u) {
      return fail(policy, OSPOLICY_ERR_MAC_BLOB_MALFORMED, at + MAC_RULE_EFFECTS, "rules.effects");
    }
    if (!all_zero(r + 10u, 2u)) {
      return fail(policy, OSPOLICY_ERR_MAC_BLOB_MALFORMED, at + 10u, "rules.reserved");
    }
    if ((mac_get32(r + MAC_RULE_ALLOW_LINE) != 0u) != ((effects & MAC_EFFECT_ALLOW) != 0u)) {
      return fail(policy, OSPOLICY_ERR_MAC_BLOB_MALFORMED, at + MAC_RULE_ALLOW_LINE,
                  "rules.allow-line");
    }
    if ((mac_get32(r + MAC_RULE_DENY_LINE) != 0u) != ((effects & MAC_EFFECT_DENY) != 0u)) {
      return fail(policy, OSPOLICY_ERR_MAC_BLOB_MALFORMED, at + MAC_RULE_DENY_LINE,
                  "rules.deny-line");
    }
    uint64_t key = mac_rule_key(r);
    if (i > 0u && key <= prev_key) {
      return fail(policy, OSPOLICY_ERR_MAC_BLOB_MALFORMED, at, "rules.order");
    }
    prev_key = key;
  }
  /* Index: entries in range, exactly `rules` of them, each rule found at
   * its own entry within max_probe. Distinct rules are found at distinct
   * buckets, so this is a bijection. */
  uint32_t used = 0u;
  for (uint32_t i = 0; i < buckets; i++) {
    size_t at = policy->buckets_offset + (size_t)i * OSPOLICY_MAC_BUCKET_SIZE;
    uint32_t entry = mac_get32(blob + at);
    if (entry > rules) {
      return fail(policy, OSPOLICY_ERR_MAC_BLOB_MALFORMED, at, "buckets");
    }
    used += entry != 0u;
  }
  if (used != rules) {
    return fail(policy, OSPOLICY_ERR_MAC_BLOB_MALFORMED, policy->buckets_offset, "buckets");
  }
  policy->status = OSPOLICY_OK; /* find_rule reads the fields set above */
  policy->error_offset = 0u;
  policy->error_field = "";
  for (uint32_t i = 0; i < rules; i++) {
    size_t at = policy->rules_offset + (size_t)i * OSPOLICY_MAC_RULE_SIZE;
    if (find_rule(policy, mac_rule_key(blob + at)) != i + 1u) {
      return fail(policy, OSPOLICY_ERR_MAC_BLOB_MALFORMED, at, "buckets.lookup");
    }
  }
  return OSPOLICY_OK;
}

/* ---- names ----------------------------------------------------------------- */

static bool usable(const OSPolicy_MacPolicy *policy) {
  return policy != NULL && policy->status == OSPOLICY_OK && policy->blob != NULL;
}

static void entry_name(const OSPolicy_MacPolicy *policy, size_t at, const char **name,
                       size_t *length) {
  *name = (const char *)(policy->blob + policy->strings_offset + mac_get32(policy->blob + at));
  *length = policy->blob[at + 4u];
}

OSPolicy_Status OSPolicy_FindMacLabel(const OSPolicy_MacPolicy *policy, const char *name,
                                      size_t length, uint32_t *id) {
  if (policy == NULL || name == NULL || id == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  *id = 0u;
  if (!usable(policy)) {
    return OSPOLICY_ERR_PLAN_NOT_OK;
  }
  uint32_t low = 0u, high = policy->label_count;
  while (low < high) {
    uint32_t mid = low + (high - low) / 2u;
    const char *candidate = NULL;
    size_t candidate_length = 0u;
    entry_name(policy, policy->labels_offset + (size_t)mid * OSPOLICY_MAC_LABEL_SIZE, &candidate,
               &candidate_length);
    int c = mac_name_compare((const uint8_t *)candidate, candidate_length, (const uint8_t *)name,
                             length);
    if (c == 0) {
      *id = mid;
      return OSPOLICY_OK;
    }
    if (c < 0) {
      low = mid + 1u;
    } else {
      high = mid;
    }
  }
  return OSPOLICY_ERR_MAC_UNKNOWN_NAME;
}

OSPolicy_Status OSPolicy_GetMacLabel(const OSPolicy_MacPolicy *policy, uint32_t id,
                                     OSPolicy_MacLabel *label) {
  if (policy == NULL || label == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  memset(label, 0, sizeof *label);
  if (!usable(policy)) {
    return OSPOLICY_ERR_PLAN_NOT_OK;
  }
  if (id >= policy->label_count) {
    return OSPOLICY_ERR_INVALID_ARGUMENT;
  }
  size_t at = policy->labels_offset + (size_t)id * OSPOLICY_MAC_LABEL_SIZE;
  entry_name(policy, at, &label->name, &label->name_length);
  label->level = policy->blob[at + MAC_LABEL_LEVEL];
  label->categories = mac_get64(policy->blob + at + MAC_LABEL_CATEGORIES);
  return OSPOLICY_OK;
}

OSPolicy_Status OSPolicy_GetMacLevelName(const OSPolicy_MacPolicy *policy, uint32_t value,
                                         const char **name, size_t *length) {
  if (policy == NULL || name == NULL || length == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  *name = "";
  *length = 0u;
  if (!usable(policy)) {
    return OSPOLICY_ERR_PLAN_NOT_OK;
  }
  for (uint32_t i = 0; i < policy->level_count; i++) {
    size_t at = policy->levels_offset + (size_t)i * OSPOLICY_MAC_LEVEL_SIZE;
    if (policy->blob[at + MAC_LEVEL_VALUE] == value) {
      entry_name(policy, at, name, length);
      return OSPOLICY_OK;
    }
  }
  return OSPOLICY_ERR_INVALID_ARGUMENT;
}

OSPolicy_Status OSPolicy_GetMacCategoryName(const OSPolicy_MacPolicy *policy, uint32_t bit,
                                            const char **name, size_t *length) {
  if (policy == NULL || name == NULL || length == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  *name = "";
  *length = 0u;
  if (!usable(policy)) {
    return OSPOLICY_ERR_PLAN_NOT_OK;
  }
  if (bit >= policy->category_count) {
    return OSPOLICY_ERR_INVALID_ARGUMENT;
  }
  entry_name(policy, policy->categories_offset + (size_t)bit * OSPOLICY_MAC_CATEGORY_SIZE, name,
             length);
  return OSPOLICY_OK;
}

static const char *const op_names[OSPOLICY_MAC_OP_COUNT + 1u] = {NULL,  "read", "write",
                                                                 "exec", "ipc",  "net"};

const char *OSPolicy_MacOpName(uint32_t op) {
  return op >= 1u && op <= OSPOLICY_MAC_OP_COUNT ? op_names[op] : NULL;
}

uint32_t OSPolicy_MacOpFromName(const char *name, size_t length) {
  if (name == NULL) {
    return OSPOLICY_MAC_OP_UNSET;
  }
  for (uint32_t op = 1u; op <= OSPOLICY_MAC_OP_COUNT; op++) {
    size_t n = 0u;
    while (op_names[op][n] != '\0') {
      n++;
    }
    if (n == length && memcmp(op_names[op], name, n) == 0) {
      return op;
    }
  }
  return OSPOLICY_MAC_OP_UNSET;
}

const char *OSPolicy_MacRuleName(uint32_t rule) {
  switch (rule) {
    case OSPOLICY_MAC_RULE_DEFAULT:
      return "default (Bell-LaPadula)";
    case OSPOLICY_MAC_RULE_ALLOW:
      return "allow";
    case OSPOLICY_MAC_RULE_DENY:
      return "deny";
    default:
      return "unset";
  }
}
