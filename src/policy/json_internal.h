/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * The JSON parser's test seam: OSPolicy_ParseJson with the member-name hash
 * replaced (so tests can force every name to collide) and a count of which
 * duplicate-check path each object took. Not part of the public API, and not
 * in the library: only a copy of json.c compiled with OSPOLICY_JSON_TEST_SEAM
 * (the unit-test runner's and fuzz_manifest's own) defines it.
 */
#ifndef OSPOLICY_SRC_JSON_INTERNAL_H
#define OSPOLICY_SRC_JSON_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "ospolicy/json.h"

typedef uint32_t (*json_name_hash_fn)(const char *name, size_t length, uint64_t key);

typedef struct json_dup_stats {
  uint32_t hashed_objects; /* objects that outgrew the linear check */
  uint32_t tree_objects;   /* of those, objects moved to the balanced tree */
} json_dup_stats;

/* hash NULL: the parser's own keyed hash. stats may be NULL. */
OSPolicy_Status ospolicy_json_parse_hooked(const OSPolicy_JsonRequest *request,
                                           OSPolicy_JsonDocument *document,
                                           json_name_hash_fn hash, json_dup_stats *stats);

#endif
