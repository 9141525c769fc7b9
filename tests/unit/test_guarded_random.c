/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "fake_oshost.h"
#include "ospolicy/guarded_random.h"
#include "ospolicy/pal.h"

/* A scripted firmware RNG (what EFI_RNG_PROTOCOL.GetRNG would be). */
typedef struct fake_firmware {
  OSPolicy_Status answer; /* returned status */
  size_t short_by;        /* write this many bytes fewer than asked */
  size_t extra;           /* claim this many bytes more than asked */
  unsigned char byte;
  unsigned calls;
} fake_firmware;

static OSPolicy_Status firmware_fill(void *context, void *buffer, size_t length, size_t *written) {
  fake_firmware *f = context;
  f->calls++;
  size_t n = length - (f->short_by < length ? f->short_by : length);
  memset(buffer, f->byte, n);
  *written = n + f->extra;
  return f->answer;
}

static fake_firmware firmware;

static OSPolicy_RandomSource firmware_source(void) {
  return (OSPolicy_RandomSource){
      .fill = firmware_fill, .context = &firmware, .id = OSHOST_RANDOM_SOURCE_FIRMWARE_RNG};
}

static void setup(void) {
  fake_oshost_reset();
  fake_host.boot_phase = OSHOST_BOOT_PHASE_FIRMWARE;
  firmware = (fake_firmware){.answer = OSPOLICY_OK, .byte = 0xC3};
}

static OSPolicy_GuardedRandom armed(void) {
  OSPolicy_GuardedRandom state = OSPOLICY_GUARDED_RANDOM_ZERO;
  OSPolicy_RandomSource source = firmware_source();
  ck_assert_int_eq(OSPolicy_InitGuardedRandom(&state, &source), OSPOLICY_OK);
  return state;
}

static int all_bytes(const unsigned char *p, size_t n, unsigned char value) {
  for (size_t i = 0; i < n; i++) {
    if (p[i] != value) {
      return 0;
    }
  }
  return 1;
}

START_TEST(fills_while_boot_services_exist) {
  OSPolicy_GuardedRandom state = armed();
  ck_assert(OSPolicy_IsGuardedRandomAvailable(&state));
  unsigned char buffer[48];
  OSPolicy_GuardedRandomResult result;
  memset(&result, 0x5A, sizeof result);
  ck_assert_int_eq(OSPolicy_FillGuardedRandom(&state, buffer, sizeof buffer, &result), OSPOLICY_OK);
  ck_assert_int_eq(result.status, OSPOLICY_OK);
  ck_assert_uint_eq(result.bytes_written, sizeof buffer);
  ck_assert_int_eq(result.source, OSHOST_RANDOM_SOURCE_FIRMWARE_RNG);
  ck_assert(all_bytes(buffer, sizeof buffer, 0xC3));
  ck_assert_uint_eq(firmware.calls, 1);
  ck_assert_uint_eq(state.fills, 1);
  ck_assert_uint_eq(state.bytes, sizeof buffer);
}
END_TEST

START_TEST(rejects_empty_destination_without_touching_source) {
  OSPolicy_GuardedRandom state = armed();
  unsigned char buffer[4] = {1, 2, 3, 4};
  OSPolicy_GuardedRandomResult result;
  ck_assert_int_eq(OSPolicy_FillGuardedRandom(&state, buffer, 0, &result), OSPOLICY_ERR_EMPTY_RANGE);
  ck_assert_int_eq(result.status, OSPOLICY_ERR_EMPTY_RANGE);
  ck_assert_uint_eq(result.bytes_written, 0);
  ck_assert_int_eq(result.source, OSHOST_RANDOM_SOURCE_UNSET);
  ck_assert_int_eq(OSPolicy_FillGuardedRandom(&state, NULL, 8, &result), OSPOLICY_ERR_NULL_ARGUMENT);
  ck_assert_int_eq(result.status, OSPOLICY_ERR_NULL_ARGUMENT);
  ck_assert_uint_eq(firmware.calls, 0);
  ck_assert_uint_eq(buffer[0], 1);
}
END_TEST

START_TEST(denied_after_exit_boot_services_and_source_cleared) {
  OSPolicy_GuardedRandom state = armed();
  ck_assert_int_eq(OSPolicy_MarkExitBootServices(&state), OSPOLICY_OK);
  ck_assert_int_eq(state.phase, OSPOLICY_FIRMWARE_PHASE_EXITED);
  ck_assert(state.source.fill == NULL);
  ck_assert_ptr_null(state.source.context);
  ck_assert_int_eq(state.source.id, OSHOST_RANDOM_SOURCE_UNSET);
  ck_assert(!OSPolicy_IsGuardedRandomAvailable(&state));
  unsigned char buffer[16] = {0};
  OSPolicy_GuardedRandomResult result;
  ck_assert_int_eq(OSPolicy_FillGuardedRandom(&state, buffer, sizeof buffer, &result),
                   OSPOLICY_DENIED_AFTER_EXIT_BOOT_SERVICES);
  ck_assert_int_eq(result.status, OSPOLICY_DENIED_AFTER_EXIT_BOOT_SERVICES);
  ck_assert_uint_eq(result.bytes_written, 0);
  ck_assert_uint_eq(firmware.calls, 0);
}
END_TEST

START_TEST(exit_can_never_be_unmarked) {
  OSPolicy_GuardedRandom state = armed();
  ck_assert_int_eq(OSPolicy_MarkExitBootServices(&state), OSPOLICY_OK);
  ck_assert_int_eq(OSPolicy_MarkExitBootServices(&state), OSPOLICY_OK); /* idempotent */
  OSPolicy_RandomSource source = firmware_source();
  ck_assert_int_eq(OSPolicy_InitGuardedRandom(&state, &source), OSPOLICY_DENIED_AFTER_EXIT_BOOT_SERVICES);
  ck_assert_int_eq(state.phase, OSPOLICY_FIRMWARE_PHASE_EXITED);
  ck_assert(state.source.fill == NULL);
  /* A never-armed state can be marked too, and then never armed. */
  OSPolicy_GuardedRandom fresh = OSPOLICY_GUARDED_RANDOM_ZERO;
  ck_assert_int_eq(OSPolicy_MarkExitBootServices(&fresh), OSPOLICY_OK);
  ck_assert_int_eq(OSPolicy_InitGuardedRandom(&fresh, &source), OSPOLICY_DENIED_AFTER_EXIT_BOOT_SERVICES);
  ck_assert_int_eq(OSPolicy_MarkExitBootServices(NULL), OSPOLICY_ERR_NULL_ARGUMENT);
}
END_TEST

START_TEST(firmware_gone_simulation_latches_exit) {
  OSPolicy_GuardedRandom state = armed();
  fake_host.boot_phase = OSHOST_BOOT_PHASE_RUNTIME; /* firmware gone */
  unsigned char buffer[16];
  OSPolicy_GuardedRandomResult result;
  ck_assert_int_eq(OSPolicy_FillGuardedRandom(&state, buffer, sizeof buffer, &result),
                   OSPOLICY_ERR_FIRMWARE_GONE);
  ck_assert_int_eq(result.status, OSPOLICY_ERR_FIRMWARE_GONE);
  ck_assert_uint_eq(firmware.calls, 0);
  ck_assert_int_eq(state.phase, OSPOLICY_FIRMWARE_PHASE_EXITED);
  ck_assert(state.source.fill == NULL);
  /* Even if the PAL claimed the firmware were back, the state stays exited. */
  fake_host.boot_phase = OSHOST_BOOT_PHASE_FIRMWARE;
  ck_assert_int_eq(OSPolicy_FillGuardedRandom(&state, buffer, sizeof buffer, &result),
                   OSPOLICY_DENIED_AFTER_EXIT_BOOT_SERVICES);
  ck_assert_uint_eq(firmware.calls, 0);
}
END_TEST

START_TEST(init_refuses_when_firmware_gone) {
  fake_host.boot_phase = OSHOST_BOOT_PHASE_RUNTIME; /* a hosted OS */
  OSPolicy_GuardedRandom state = OSPOLICY_GUARDED_RANDOM_ZERO;
  OSPolicy_RandomSource source = firmware_source();
  ck_assert_int_eq(OSPolicy_InitGuardedRandom(&state, &source), OSPOLICY_ERR_FIRMWARE_GONE);
  ck_assert_int_eq(state.phase, OSPOLICY_FIRMWARE_PHASE_EXITED);
  ck_assert(state.source.fill == NULL);
}
END_TEST

START_TEST(pal_contract_breach_on_unset_boot_phase) {
  OSPolicy_GuardedRandom state = armed();
  fake_host.boot_phase = OSHOST_BOOT_PHASE_UNSET;
  unsigned char buffer[8];
  OSPolicy_GuardedRandomResult result;
  ck_assert_int_eq(OSPolicy_FillGuardedRandom(&state, buffer, sizeof buffer, &result),
                   OSPOLICY_ERR_PAL_CONTRACT);
  ck_assert_uint_eq(firmware.calls, 0);
  OSHost_BootPhase phase = OSHOST_BOOT_PHASE_FIRMWARE;
  ck_assert_int_eq(OSPolicy_PalGetBootPhase(&phase), OSPOLICY_ERR_PAL_CONTRACT);
  ck_assert_int_eq(phase, OSHOST_BOOT_PHASE_UNSET);
  ck_assert_int_eq(OSPolicy_PalGetBootPhase(NULL), OSPOLICY_ERR_NULL_ARGUMENT);
  fake_host.boot_phase = OSHOST_BOOT_PHASE_RUNTIME;
  ck_assert_int_eq(OSPolicy_PalGetBootPhase(&phase), OSPOLICY_OK);
  ck_assert_int_eq(phase, OSHOST_BOOT_PHASE_RUNTIME);
}
END_TEST

START_TEST(source_failure_is_reported_and_buffer_wiped) {
  OSPolicy_GuardedRandom state = armed();
  firmware.answer = OSPOLICY_ERR_PAL_FAILED;
  unsigned char buffer[16];
  OSPolicy_GuardedRandomResult result;
  ck_assert_int_eq(OSPolicy_FillGuardedRandom(&state, buffer, sizeof buffer, &result),
                   OSPOLICY_ERR_RANDOM_SOURCE_FAILED);
  ck_assert_int_eq(result.status, OSPOLICY_ERR_RANDOM_SOURCE_FAILED);
  ck_assert_uint_eq(result.bytes_written, 0);
  ck_assert_int_eq(result.source, OSHOST_RANDOM_SOURCE_UNSET);
  ck_assert(all_bytes(buffer, sizeof buffer, 0));
  ck_assert_uint_eq(state.fills, 0);
  /* A failed fill does not end the phase: the firmware may answer next time. */
  ck_assert(OSPolicy_IsGuardedRandomAvailable(&state));
}
END_TEST

START_TEST(short_read_is_distinct_and_buffer_wiped) {
  OSPolicy_GuardedRandom state = armed();
  firmware.short_by = 5;
  unsigned char buffer[16];
  OSPolicy_GuardedRandomResult result;
  ck_assert_int_eq(OSPolicy_FillGuardedRandom(&state, buffer, sizeof buffer, &result),
                   OSPOLICY_ERR_RANDOM_SHORT_READ);
  ck_assert_int_eq(result.status, OSPOLICY_ERR_RANDOM_SHORT_READ);
  ck_assert_uint_eq(result.bytes_written, 11);
  ck_assert_int_eq(result.source, OSHOST_RANDOM_SOURCE_UNSET);
  ck_assert(all_bytes(buffer, sizeof buffer, 0));
  ck_assert_int_ne(OSPOLICY_ERR_RANDOM_SHORT_READ, OSPOLICY_ERR_RANDOM_SOURCE_FAILED);
}
END_TEST

START_TEST(source_contract_breaches) {
  OSPolicy_GuardedRandom state = armed();
  unsigned char buffer[16];
  OSPolicy_GuardedRandomResult result;
  firmware.extra = 1; /* claims more than asked */
  ck_assert_int_eq(OSPolicy_FillGuardedRandom(&state, buffer, sizeof buffer, &result),
                   OSPOLICY_ERR_RANDOM_SOURCE_CONTRACT);
  ck_assert(all_bytes(buffer, sizeof buffer, 0));
  firmware.extra = 0;
  firmware.answer = OSPOLICY_STATUS_UNSET;
  ck_assert_int_eq(OSPolicy_FillGuardedRandom(&state, buffer, sizeof buffer, &result),
                   OSPOLICY_ERR_RANDOM_SOURCE_CONTRACT);
  ck_assert_int_eq(result.status, OSPOLICY_ERR_RANDOM_SOURCE_CONTRACT);
}
END_TEST

START_TEST(init_rejections) {
  OSPolicy_GuardedRandom state = OSPOLICY_GUARDED_RANDOM_ZERO;
  OSPolicy_RandomSource source = firmware_source();
  ck_assert_int_eq(OSPolicy_InitGuardedRandom(NULL, &source), OSPOLICY_ERR_NULL_ARGUMENT);
  ck_assert_int_eq(OSPolicy_InitGuardedRandom(&state, NULL), OSPOLICY_ERR_NULL_ARGUMENT);
  OSPolicy_RandomSource no_fill = source;
  no_fill.fill = NULL;
  ck_assert_int_eq(OSPolicy_InitGuardedRandom(&state, &no_fill), OSPOLICY_ERR_NULL_ARGUMENT);
  OSPolicy_RandomSource bad_id = source;
  bad_id.id = (OSHost_RandomSource)42;
  ck_assert_int_eq(OSPolicy_InitGuardedRandom(&state, &bad_id), OSPOLICY_ERR_INVALID_ARGUMENT);
  bad_id.id = OSHOST_RANDOM_SOURCE_UNSET;
  ck_assert_int_eq(OSPolicy_InitGuardedRandom(&state, &bad_id), OSPOLICY_ERR_INVALID_ARGUMENT);
  OSPolicy_GuardedRandom garbage;
  memset(&garbage, 0x5A, sizeof garbage); /* not zero-filled */
  ck_assert_int_eq(OSPolicy_InitGuardedRandom(&garbage, &source), OSPOLICY_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(state.phase, OSPOLICY_FIRMWARE_PHASE_UNSET);
  ck_assert_uint_eq(firmware.calls, 0);
  /* Re-initialising an armed state replaces the source. */
  ck_assert_int_eq(OSPolicy_InitGuardedRandom(&state, &source), OSPOLICY_OK);
  ck_assert_int_eq(OSPolicy_InitGuardedRandom(&state, &source), OSPOLICY_OK);
}
END_TEST

START_TEST(uninitialised_state_and_null_result) {
  OSPolicy_GuardedRandom state = OSPOLICY_GUARDED_RANDOM_ZERO;
  unsigned char buffer[8];
  OSPolicy_GuardedRandomResult result;
  ck_assert_int_eq(OSPolicy_FillGuardedRandom(&state, buffer, sizeof buffer, &result),
                   OSPOLICY_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(result.status, OSPOLICY_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(OSPolicy_FillGuardedRandom(&state, buffer, sizeof buffer, NULL),
                   OSPOLICY_ERR_NULL_ARGUMENT);
  ck_assert_int_eq(OSPolicy_FillGuardedRandom(NULL, buffer, sizeof buffer, &result),
                   OSPOLICY_ERR_NULL_ARGUMENT);
  ck_assert_int_eq(result.status, OSPOLICY_ERR_NULL_ARGUMENT);
  ck_assert(!OSPolicy_IsGuardedRandomAvailable(NULL));
}
END_TEST

START_TEST(zero_result_is_not_success) {
  OSPolicy_GuardedRandomResult zero;
  memset(&zero, 0, sizeof zero);
  ck_assert_int_ne(zero.status, OSPOLICY_OK);
  ck_assert_int_eq(zero.source, OSHOST_RANDOM_SOURCE_UNSET);
  OSPolicy_GuardedRandom state;
  memset(&state, 0, sizeof state);
  ck_assert(!OSPolicy_IsGuardedRandomAvailable(&state));
  ck_assert_str_eq(OSPolicy_FirmwarePhaseName(state.phase), "unset");
  ck_assert_str_eq(OSPolicy_FirmwarePhaseName(OSPOLICY_FIRMWARE_PHASE_BOOT_SERVICES), "boot-services");
  ck_assert_str_eq(OSPolicy_FirmwarePhaseName(OSPOLICY_FIRMWARE_PHASE_EXITED), "exited");
}
END_TEST

Suite *guarded_random_suite(void);
Suite *guarded_random_suite(void) {
  Suite *suite = suite_create("guarded_random");
  TCase *tc = tcase_create("guarded");
  tcase_add_checked_fixture(tc, setup, NULL);
  tcase_add_test(tc, fills_while_boot_services_exist);
  tcase_add_test(tc, rejects_empty_destination_without_touching_source);
  tcase_add_test(tc, denied_after_exit_boot_services_and_source_cleared);
  tcase_add_test(tc, exit_can_never_be_unmarked);
  tcase_add_test(tc, firmware_gone_simulation_latches_exit);
  tcase_add_test(tc, init_refuses_when_firmware_gone);
  tcase_add_test(tc, pal_contract_breach_on_unset_boot_phase);
  tcase_add_test(tc, source_failure_is_reported_and_buffer_wiped);
  tcase_add_test(tc, short_read_is_distinct_and_buffer_wiped);
  tcase_add_test(tc, source_contract_breaches);
  tcase_add_test(tc, init_rejections);
  tcase_add_test(tc, uninitialised_state_and_null_result);
  tcase_add_test(tc, zero_result_is_not_success);
  suite_add_tcase(suite, tc);
  return suite;
}
