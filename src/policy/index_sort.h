/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * In-place heapsort of 32-bit indices with a caller comparator: O(n log n) in
 * the worst case, no recursion, no allocation, no state. Used to find
 * duplicate names without a quadratic pairwise scan (so adversarial input
 * with thousands of names costs near-linear time). Comparators should break
 * ties by the index itself so the order is total and deterministic.
 */
#ifndef OSPOLICY_SRC_INDEX_SORT_H
#define OSPOLICY_SRC_INDEX_SORT_H

#include <stddef.h>
#include <stdint.h>

typedef int (*index_compare_fn)(uint32_t a, uint32_t b, const void *context);

static inline void index_sift_down(uint32_t *items, size_t root, size_t count,
                                   index_compare_fn compare, const void *context) {
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

static inline void index_sort(uint32_t *items, size_t count, index_compare_fn compare,
                              const void *context) {
  if (count < 2u) {
    return;
  }
  for (size_t i = count / 2u; i-- > 0u;) {
    index_sift_down(items, i, count, compare, context);
  }
  for (size_t end = count - 1u; end > 0u; end--) {
    uint32_t swap = items[0];
    items[0] = items[end];
    items[end] = swap;
    index_sift_down(items, 0u, end, compare, context);
  }
}

#endif
