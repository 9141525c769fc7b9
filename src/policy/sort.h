/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * The core's sorts, one of each kind, all in place or in caller memory, no
 * recursion, no allocation, no state:
 *
 *   sort_stable_small  stable insertion sort of a short array of structs by a
 *                      caller's "goes before" test (plan segments, findings);
 *                      quadratic, so only for arrays with a small fixed bound.
 *   sort_indices       heapsort of 32-bit indices with a caller comparator:
 *                      O(n log n) comparisons whatever the input. Comparators
 *                      should break ties by the index itself so the order is
 *                      total and deterministic.
 *   sort_u64           LSD radix sort of 64-bit keys by their top 32 bits
 *                      (four byte passes, caller's temporary array of the
 *                      same length): linear, so a duplicate scan over hashed
 *                      keys costs O(n) however adversarial the names are;
 *                      up to SORT_U64_SMALL keys, a stable insertion sort.
 *                      Stable: keys with equal top halves keep their order.
 */
#ifndef OSPOLICY_SRC_SORT_H
#define OSPOLICY_SRC_SORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mem.h"

/* Items larger than this cannot be moved by sort_stable_small. */
#define SORT_MAX_ITEM_SIZE 256u

typedef bool (*sort_before_fn)(const void *a, const void *b);

/* Stable: an item moves only past items that `before(item, other)` says it
 * precedes. Returns false (nothing moved) if item_size is too large. */
static inline bool sort_stable_small(void *items, size_t count, size_t item_size,
                                     sort_before_fn before) {
  unsigned char moving[SORT_MAX_ITEM_SIZE];
  if (item_size == 0u || item_size > sizeof moving) {
    return false;
  }
  unsigned char *base = items;
  for (size_t i = 1; i < count; i++) {
    size_t j = i;
    while (j > 0u && before(base + i * item_size, base + (j - 1u) * item_size)) {
      j--;
    }
    if (j != i) {
      memcpy(moving, base + i * item_size, item_size);
      memmove(base + (j + 1u) * item_size, base + j * item_size, (i - j) * item_size);
      memcpy(base + j * item_size, moving, item_size);
    }
  }
  return true;
}

typedef int (*sort_compare_fn)(uint32_t a, uint32_t b, const void *context);

static inline void sort_sift_down(uint32_t *items, size_t root, size_t count,
                                  sort_compare_fn compare, const void *context) {
  for (;;) {
    size_t child = 2u * root + 1u;
    if (child >= count) {
      return;
    }
    if (child + 1u < count && compare(items[child], items[child + 1u], context) < 0) {
      child++;
    }
    if (compare(items[root], items[child], context) >= 0) {
      return;
    }
    uint32_t swap = items[root];
    items[root] = items[child];
    items[child] = swap;
    root = child;
  }
}

static inline void sort_indices(uint32_t *items, size_t count, sort_compare_fn compare,
                                const void *context) {
  if (count < 2u) {
    return;
  }
  for (size_t i = count / 2u; i-- > 0u;) {
    sort_sift_down(items, i, count, compare, context);
  }
  for (size_t end = count - 1u; end > 0u; end--) {
    uint32_t swap = items[0];
    items[0] = items[end];
    items[end] = swap;
    sort_sift_down(items, 0u, end, compare, context);
  }
}

/* Below this many keys an insertion sort beats the radix passes (each pass
 * clears and sums a 257-entry histogram). */
#define SORT_U64_SMALL 48u

/* Sorts items[0..count) by bits 32..63; temp holds count keys. Keys whose top
 * halves are equal keep their order (the low halves are expected to rise in
 * the input order, as indices do: a small input is sorted by the whole key,
 * which gives the same order then). */
static inline void sort_u64(uint64_t *items, uint64_t *temp, size_t count) {
  if (count <= SORT_U64_SMALL) {
    for (size_t i = 1; i < count; i++) {
      uint64_t moving = items[i];
      size_t j = i;
      while (j > 0u && (items[j - 1u] >> 32) > (moving >> 32)) {
        items[j] = items[j - 1u];
        j--;
      }
      items[j] = moving;
    }
    return;
  }
  uint64_t *from = items;
  uint64_t *to = temp;
  for (unsigned shift = 32u; shift < 64u; shift += 8u) {
    size_t start[257] = {0};
    for (size_t i = 0; i < count; i++) {
      start[((from[i] >> shift) & 0xFFu) + 1u]++;
    }
    for (size_t b = 1; b < 257u; b++) {
      start[b] += start[b - 1u];
    }
    for (size_t i = 0; i < count; i++) {
      to[start[(from[i] >> shift) & 0xFFu]++] = from[i];
    }
    uint64_t *swap = from;
    from = to;
    to = swap;
  }
  /* Four passes: the sorted keys are back in `items`. */
}

#endif
