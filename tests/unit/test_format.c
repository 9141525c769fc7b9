/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/* The freestanding formatter of src/support (format.h): hex of byte strings. */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "format.h"

START_TEST(hex_of_a_key_id) {
  const unsigned char id[8] = {0x00, 0x01, 0x7f, 0x80, 0xab, 0xcd, 0xef, 0xff};
  char out[17];
  memset(out, 'x', sizeof out);
  ck_assert_uint_eq(OSBaremetal_FormatHex(out, sizeof out, id, sizeof id), 16);
  ck_assert_str_eq(out, "00017f80abcdefff");
}
END_TEST

START_TEST(hex_too_small_writes_nothing_and_says_the_length) {
  const unsigned char id[4] = {0xde, 0xad, 0xbe, 0xef};
  char out[8]; /* needs 9 with the NUL */
  memset(out, 'x', sizeof out);
  ck_assert_uint_eq(OSBaremetal_FormatHex(out, sizeof out, id, sizeof id), 8);
  ck_assert_int_eq(out[0], '\0');
  ck_assert_int_eq(out[1], 'x'); /* nothing else written */
  /* Capacity 0 asks for the length and touches nothing. */
  ck_assert_uint_eq(OSBaremetal_FormatHex(out, 0, id, sizeof id), 8);
  ck_assert_int_eq(out[1], 'x');
}
END_TEST

START_TEST(hex_of_nothing_is_empty) {
  char out[1] = {'x'};
  ck_assert_uint_eq(OSBaremetal_FormatHex(out, sizeof out, (const unsigned char *)"", 0), 0);
  ck_assert_int_eq(out[0], '\0');
}
END_TEST

START_TEST(hex_length_overflow_is_refused) {
  char out[4] = {'x', 'x', 'x', 'x'};
  const unsigned char byte = 0x12;
  /* 2 * count + 1 would overflow size_t: SIZE_MAX, and "" written. */
  ck_assert_uint_eq(OSBaremetal_FormatHex(out, sizeof out, &byte, SIZE_MAX / 2u + 1u), SIZE_MAX);
  ck_assert_int_eq(out[0], '\0');
}
END_TEST

Suite *format_suite(void);
Suite *format_suite(void) {
  Suite *s = suite_create("format");
  TCase *tc = tcase_create("hex");
  tcase_add_test(tc, hex_of_a_key_id);
  tcase_add_test(tc, hex_too_small_writes_nothing_and_says_the_length);
  tcase_add_test(tc, hex_of_nothing_is_empty);
  tcase_add_test(tc, hex_length_overflow_is_refused);
  suite_add_tcase(s, tc);
  return s;
}
