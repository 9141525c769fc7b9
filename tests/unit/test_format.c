/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * The freestanding formatter the loader and the kernel print with
 * (src/support/format.c), run on the host: conversions, truncation that never
 * overruns and always terminates, and the hex helper both images use for key
 * ids.
 */
#include <check.h>
#include <string.h>

#include "format.h"

START_TEST(conversions) {
  char out[64];
  ck_assert_uint_eq(OSBaremetal_Format(out, sizeof out, "%s=%d %u %x %lx %016lx %c%%", "k", -5, 7u, 255u,
                                       0xabcdefUL, 0x1234UL, 'z'),
                    strlen("k=-5 7 ff abcdef 0000000000001234 z%"));
  ck_assert_str_eq(out, "k=-5 7 ff abcdef 0000000000001234 z%");
}
END_TEST

START_TEST(truncation_never_overruns) {
  char out[8];
  memset(out, 'X', sizeof out);
  ck_assert_uint_eq(OSBaremetal_Format(out, 5, "%s", "abcdefgh"), 8);
  ck_assert_str_eq(out, "abcd");
  ck_assert_int_eq(out[5], 'X'); /* nothing past the capacity was touched */
}
END_TEST

START_TEST(hex_of_bytes) {
  static const unsigned char id[] = {0x00, 0x01, 0xab, 0xff, 0x10, 0x9c, 0x7e, 0x80};
  char out[17];
  ck_assert_uint_eq(OSBaremetal_FormatHex(out, sizeof out, id, sizeof id), 16);
  ck_assert_str_eq(out, "0001abff109c7e80");
  char short_out[6];
  memset(short_out, 'X', sizeof short_out);
  ck_assert_uint_eq(OSBaremetal_FormatHex(short_out, 5, id, sizeof id), 16);
  ck_assert_str_eq(short_out, "0001");
  ck_assert_int_eq(short_out[5], 'X');
  ck_assert_uint_eq(OSBaremetal_FormatHex(NULL, 0, id, sizeof id), 16); /* asks for the size */
}
END_TEST

Suite *format_suite(void);
Suite *format_suite(void) {
  Suite *s = suite_create("format");
  TCase *tc = tcase_create("format");
  tcase_add_test(tc, conversions);
  tcase_add_test(tc, truncation_never_overruns);
  tcase_add_test(tc, hex_of_bytes);
  suite_add_tcase(s, tc);
  return s;
}
