/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * The little-endian helpers (<ospolicy/byte_order.h>): known byte patterns
 * both ways, unaligned addresses, and that a store writes exactly its width.
 */
#include <check.h>
#include <string.h>

#include "ospolicy/byte_order.h"

START_TEST(loads_known_patterns_at_any_alignment) {
  unsigned char buffer[24];
  for (unsigned offset = 0; offset < 8u; offset++) {
    static const unsigned char pattern[8] = {0xef, 0xcd, 0xab, 0x89, 0x67, 0x45, 0x23, 0x01};
    memset(buffer, 0xAA, sizeof buffer);
    memcpy(buffer + offset, pattern, sizeof pattern);
    ck_assert_uint_eq(OSPolicy_LoadLe16(buffer + offset), 0xcdefu);
    ck_assert_uint_eq(OSPolicy_LoadLe32(buffer + offset), 0x89abcdefu);
    ck_assert_uint_eq(OSPolicy_LoadLe64(buffer + offset), 0x0123456789abcdefull);
  }
}
END_TEST

START_TEST(stores_exactly_their_width) {
  unsigned char buffer[10];
  memset(buffer, 0xAA, sizeof buffer);
  OSPolicy_StoreLe16(buffer + 1, 0x1234u);
  static const unsigned char want16[10] = {0xAA, 0x34, 0x12, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA};
  ck_assert_mem_eq(buffer, want16, sizeof buffer);
  memset(buffer, 0xAA, sizeof buffer);
  OSPolicy_StoreLe32(buffer + 1, 0x89abcdefu);
  static const unsigned char want32[10] = {0xAA, 0xef, 0xcd, 0xab, 0x89, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA};
  ck_assert_mem_eq(buffer, want32, sizeof buffer);
  memset(buffer, 0xAA, sizeof buffer);
  OSPolicy_StoreLe64(buffer + 1, 0x0123456789abcdefull);
  static const unsigned char want64[10] = {0xAA, 0xef, 0xcd, 0xab, 0x89, 0x67, 0x45, 0x23, 0x01, 0xAA};
  ck_assert_mem_eq(buffer, want64, sizeof buffer);
  ck_assert_uint_eq(OSPolicy_LoadLe64(buffer + 1), 0x0123456789abcdefull);
}
END_TEST

Suite *byte_order_suite(void);
Suite *byte_order_suite(void) {
  Suite *s = suite_create("byte_order");
  TCase *tc = tcase_create("byte_order");
  tcase_add_test(tc, loads_known_patterns_at_any_alignment);
  tcase_add_test(tc, stores_exactly_their_width);
  suite_add_tcase(s, tc);
  return s;
}
