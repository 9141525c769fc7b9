/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
#include <check.h>
#include <string.h>

#include "ospolicy/boot_info.h"
#include "ospolicy/status.h"
#include "loader_status.h"
#include "page_table.h"
#include "status_name.h"

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

typedef struct platform_row {
  unsigned value;
  const char *name;
  const char *text;
  int layer; /* 0 page tables, 1 boot info, 2 UEFI loader */
} platform_row;

static const platform_row platform_rows[] = {
#define PAGE_TABLE_ROW(code, short_name, text) {(unsigned)code, short_name, text, 0},
    OSBAREMETAL_STATUS_LIST_PAGE_TABLE(PAGE_TABLE_ROW)
#undef PAGE_TABLE_ROW
#define BOOT_INFO_ROW(code, short_name, text) {(unsigned)code, short_name, text, 1},
    OSPOLICY_BOOT_INFO_STATUS_LIST(BOOT_INFO_ROW)
#undef BOOT_INFO_ROW
#define UEFI_ROW(code, short_name, text) {(unsigned)code, short_name, text, 2},
    LOADER_STATUS_LIST_UEFI(UEFI_ROW)
#undef UEFI_ROW
};

static const struct {
  OSPolicy_Status status;
  const char *name;
} core_rows[] = {
#define CORE_ROW(name, value, short_name, text) {name, short_name},
    OSPOLICY_STATUS_LIST(CORE_ROW)
#undef CORE_ROW
};

/* The portable core's table holds no platform code: nothing in the
 * reserved ranges, none of the page-table, boot-info or UEFI names. */
START_TEST(core_table_has_no_platform_code) {
  for (size_t i = 0; i < sizeof core_rows / sizeof core_rows[0]; i++) {
    ck_assert_msg(!OSPOLICY_IS_PLATFORM_STATUS(core_rows[i].status), "%s (0x%04x) is in a platform range",
                  core_rows[i].name, (unsigned)core_rows[i].status);
    for (size_t j = 0; j < sizeof platform_rows / sizeof platform_rows[0]; j++) {
      ck_assert_msg(strcmp(core_rows[i].name, platform_rows[j].name) != 0, "core holds platform name %s",
                    core_rows[i].name);
    }
  }
  for (size_t j = 0; j < sizeof platform_rows / sizeof platform_rows[0]; j++) {
    ck_assert_str_eq(OSPolicy_StatusName((OSPolicy_Status)platform_rows[j].value), "unknown-status");
  }
}
END_TEST

/* Every platform table: codes inside a reserved range, names and texts
 * non-empty, values and names unique across all platform tables. */
START_TEST(platform_tables_have_unique_names) {
  size_t count = sizeof platform_rows / sizeof platform_rows[0];
  ck_assert_uint_ge(count, 13);
  for (size_t i = 0; i < count; i++) {
    const platform_row *row = &platform_rows[i];
    ck_assert_msg(OSPOLICY_IS_PLATFORM_STATUS(row->value), "%s (0x%04x) outside the platform ranges", row->name,
                  row->value);
    ck_assert_ptr_nonnull(row->name);
    ck_assert_ptr_nonnull(row->text);
    ck_assert_uint_gt(strlen(row->name), 0);
    ck_assert_uint_gt(strlen(row->text), 0);
    for (size_t j = i + 1; j < count; j++) {
      ck_assert_msg(row->value != platform_rows[j].value, "duplicate value 0x%04x (%s, %s)", row->value, row->name,
                    platform_rows[j].name);
      ck_assert_msg(strcmp(row->name, platform_rows[j].name) != 0, "duplicate name %s", row->name);
    }
  }
}
END_TEST

/* The platform name functions: each layer's codes by their own names, core
 * codes by the core's, anything else "unknown-status"; the class of a
 * platform code follows its high byte. */
START_TEST(platform_name_functions_name_every_code) {
  for (size_t i = 0; i < sizeof platform_rows / sizeof platform_rows[0]; i++) {
    const platform_row *row = &platform_rows[i];
    OSPolicy_Status status = (OSPolicy_Status)row->value;
    ck_assert_str_eq(loader_status_name(status), row->name);
    ck_assert_str_eq(loader_status_text(status), row->text);
    if (row->layer != 2) {
      ck_assert_str_eq(OSBaremetal_StatusName(status), row->name);
      ck_assert_str_eq(OSBaremetal_StatusText(status), row->text);
    } else {
      ck_assert_str_eq(OSBaremetal_StatusName(status), "unknown-status");
    }
    ck_assert_int_eq(OSPolicy_GetStatusClass(status),
                     (row->value >> 8) == 0x02 ? OSPOLICY_CLASS_INPUT : OSPOLICY_CLASS_ENVIRONMENT);
  }
  ck_assert_ptr_null(OSBaremetal_PageTableStatusName(OSPOLICY_DENIED_RWX));
  ck_assert_ptr_null(OSPolicy_BootInfoStatusName(OSBAREMETAL_ERR_NON_CANONICAL));
  for (size_t i = 0; i < sizeof core_rows / sizeof core_rows[0]; i++) {
    ck_assert_str_eq(OSBaremetal_StatusName(core_rows[i].status), core_rows[i].name);
    ck_assert_str_eq(loader_status_name(core_rows[i].status), core_rows[i].name);
    ck_assert_str_eq(OSBaremetal_StatusText(core_rows[i].status), OSPolicy_StatusText(core_rows[i].status));
  }
  ck_assert_str_eq(OSBaremetal_StatusName((OSPolicy_Status)OSPOLICY_STATUS_PLATFORM_ENVIRONMENT_LAST),
                   "unknown-status");
  ck_assert_str_eq(loader_status_name((OSPolicy_Status)0x7777), "unknown-status");
  ck_assert_str_eq(loader_status_text((OSPolicy_Status)0x7777), "status code not known to this build");
  ck_assert_int_eq(OSPolicy_GetStatusClass((OSPolicy_Status)0x7777), OSPOLICY_CLASS_UNKNOWN);
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
  tcase_add_test(tc, core_table_has_no_platform_code);
  tcase_add_test(tc, platform_tables_have_unique_names);
  tcase_add_test(tc, platform_name_functions_name_every_code);
  suite_add_tcase(suite, tc);
  return suite;
}
