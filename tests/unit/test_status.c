/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
#include <check.h>
#include <string.h>

#include "ospolicy/status.h"

START_TEST(zero_is_unset_not_ok) {
  ck_assert_int_eq(OSPOLICY_STATUS_UNSET, 0);
  ck_assert_int_ne(OSPOLICY_OK, 0);
  ck_assert_int_eq(OSPolicy_GetStatusClass((OSPolicy_Status)0), OSPOLICY_CLASS_UNSET);
  ck_assert_int_eq(OSPOLICY_DECISION_UNSET, 0);
}
END_TEST

START_TEST(every_status_has_unique_name_and_class) {
  static const struct {
    OSPolicy_Status status;
    const char *name;
  } all[] = {
#define ROW(name, value, short_name, text) {name, short_name},
      OSPOLICY_STATUS_LIST(ROW)
#undef ROW
  };
  size_t count = sizeof all / sizeof all[0];
  for (size_t i = 0; i < count; i++) {
    ck_assert_str_eq(OSPolicy_StatusName(all[i].status), all[i].name);
    ck_assert_ptr_nonnull(OSPolicy_StatusText(all[i].status));
    ck_assert_int_ne(OSPolicy_GetStatusClass(all[i].status), OSPOLICY_CLASS_UNKNOWN);
    for (size_t j = i + 1; j < count; j++) {
      ck_assert_msg(all[i].status != all[j].status, "duplicate value for %s", all[i].name);
      ck_assert_msg(strcmp(all[i].name, all[j].name) != 0, "duplicate name %s", all[i].name);
    }
  }
}
END_TEST

START_TEST(classes_follow_the_high_byte) {
  ck_assert_int_eq(OSPolicy_GetStatusClass(OSPOLICY_OK), OSPOLICY_CLASS_OK);
  ck_assert_int_eq(OSPolicy_GetStatusClass(OSPOLICY_ERR_UNALIGNED), OSPOLICY_CLASS_CALLER);
  ck_assert_int_eq(OSPolicy_GetStatusClass(OSPOLICY_ERR_ELF_TRUNCATED), OSPOLICY_CLASS_INPUT);
  ck_assert_int_eq(OSPolicy_GetStatusClass(OSPOLICY_ERR_PAL_CONTRACT), OSPOLICY_CLASS_ENVIRONMENT);
  ck_assert_int_eq(OSPolicy_GetStatusClass(OSPOLICY_DENIED_RWX), OSPOLICY_CLASS_DENIED);
  ck_assert_str_eq(OSPolicy_StatusClassName(OSPOLICY_CLASS_DENIED), "denied");
}
END_TEST

START_TEST(unknown_codes_are_named_as_unknown) {
  OSPolicy_Status bogus = (OSPolicy_Status)0x7777;
  ck_assert_str_eq(OSPolicy_StatusName(bogus), "unknown-status");
  ck_assert_int_eq(OSPolicy_GetStatusClass(bogus), OSPOLICY_CLASS_UNKNOWN);
  ck_assert_str_eq(OSPolicy_StatusName(OSPOLICY_DENIED_RWX), "denied-rwx");
}
END_TEST

Suite *status_suite(void);
Suite *status_suite(void) {
  Suite *suite = suite_create("status");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, zero_is_unset_not_ok);
  tcase_add_test(tc, every_status_has_unique_name_and_class);
  tcase_add_test(tc, classes_follow_the_high_byte);
  tcase_add_test(tc, unknown_codes_are_named_as_unknown);
  suite_add_tcase(suite, tc);
  return suite;
}
