/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * Signed modules, live (docs/kernel.md "Signed modules"). The module is the
 * native payload ELF signed at build time as kind module, name
 * OSPOLICY_KERNEL_MODULE_NAME, generation OSPOLICY_KERNEL_MODULE_GENERATION;
 * the trust set has a floor at that generation. kernel_load_module
 * (module.c) verifies against the sealed, enforcing trust set under
 * pushfq/cli/popfq around every libsodium call (interrupts are never enabled
 * in ring 0; IF is checked clear on entry), and maps only what it
 * allowed:
 *   kernel.module_signed            verified, mapped W^X, called twice: the
 *                                   results depend on relocated pointers
 *   kernel.module_tampered          middle byte inverted after signing
 *   kernel.module_truncated         one byte shorter than the envelope says
 *   kernel.module_wrong_key         signed by the rogue key (not trusted)
 *   kernel.module_below_generation  signed one generation below the floor
 * Each refusal must carry its own status, deny, and leave
 * kernel_map_payload uncalled. Notes print no kernel address (release).
 */
#include "format.h"
#include "kernel.h"
#include "x86_cpu.h"

extern const uint8_t kernel_module_signature[];
extern const size_t kernel_module_signature_size;
extern const uint8_t kernel_module_old_generation_signature[];
extern const size_t kernel_module_old_generation_signature_size;
extern const uint8_t kernel_module_tampered[];
extern const size_t kernel_module_tampered_size;
extern const uint8_t kernel_module_truncated[];
extern const size_t kernel_module_truncated_size;
#ifdef OSPOLICY_KERNEL_MODULE_ROGUE
extern const uint8_t kernel_module_rogue_signature[];
extern const size_t kernel_module_rogue_signature_size;
#endif

static const char kModule[] = OSPOLICY_KERNEL_MODULE_NAME;
static KernelModule module; /* large (plans, verdict): not on the stack */

static void module_signed(OSBaremetal_TestReport *report) {
  const char *name = "kernel.module_signed";
  OSBaremetal_TestStart(report, name);
  KernelTrust trust;
  OSPolicy_Status status = kernel_trust_init(&trust);
  if (status != OSPOLICY_OK) {
    OSBaremetal_TestFail(report, name, "trust set: %s at step %s", OSBaremetal_StatusName(status), kernel_step_name(trust.step));
    return;
  }
  if (osb_read_msr(OSBAREMETAL_MSR_FS_BASE) != (uint64_t)(uintptr_t)&kernel_percpu) {
    OSBaremetal_TestFail(report, name, "FS base is not kernel_percpu: libsodium's canary slot is elsewhere");
    return;
  }
  OSBaremetal_TestNote(report, "kernel: trust set %lu bytes embedded: %u keys, %u floors, module '%s' floor %lu; "
                               "enforcement on, sealed read-only (%lu page, a write to the latch faulted)",
                       (unsigned long)kernel_trust_set_size, trust.trust->key_count, trust.trust->floor_count, kModule,
                       (unsigned long)OSPolicy_GetModsignFloor(trust.trust, OSPOLICY_MODSIGN_KIND_MODULE, kModule,
                                                               sizeof kModule - 1u),
                       (unsigned long)trust.pages);
  size_t size = (size_t)(kernel_payload_end - kernel_payload_start);
  uint64_t calls = kernel_payload_map_calls;
  status = kernel_load_module(kModule, kernel_module_signature, kernel_module_signature_size, kernel_payload_start,
                              size, &module);
  const OSPolicy_ModsignResult *verdict = &module.verdict;
  if (status != OSPOLICY_OK) {
    OSBaremetal_TestFail(report, name, "%s at step %s (field '%s', offset %lu)", OSBaremetal_StatusName(status),
                         kernel_step_name(module.step), OSPolicy_ModsignFieldName(verdict->error_field),
                         (unsigned long)verdict->error_offset);
    return;
  }
  if (verdict->decision != OSPOLICY_DECISION_ALLOW || verdict->enforcing != 1u ||
      verdict->object_bytes != size || verdict->envelope.generation != OSPOLICY_KERNEL_MODULE_GENERATION ||
      verdict->min_generation != OSPOLICY_KERNEL_MODULE_GENERATION ||
      verdict->envelope.kind != OSPOLICY_MODSIGN_KIND_MODULE) {
    OSBaremetal_TestFail(report, name, "verdict: decision %u enforcing %u, %lu of %lu bytes, generation %lu floor %lu",
                         (unsigned)verdict->decision, verdict->enforcing, (unsigned long)verdict->object_bytes,
                         (unsigned long)size, (unsigned long)verdict->envelope.generation,
                         (unsigned long)verdict->min_generation);
    return;
  }
  if (module.entered_with_interrupts != 0u || module.crypto_calls < 3u) {
    OSBaremetal_TestFail(report, name, "%u of %u libsodium calls entered with interrupts enabled",
                         module.entered_with_interrupts, module.crypto_calls);
    return;
  }
  if (kernel_payload_map_calls != calls + 1u || module.payload.entry == 0u) {
    OSBaremetal_TestFail(report, name, "verified but not mapped exactly once");
    return;
  }
  long first = kernel_call_payload(&module.payload, 5);
  long second = kernel_call_payload(&module.payload, -3);
  if (first != kernel_payload_expected(5, 1) || second != kernel_payload_expected(-3, 2)) {
    OSBaremetal_TestFail(report, name, "module returned %ld and %ld, want %ld and %ld", first, second,
                         kernel_payload_expected(5, 1), kernel_payload_expected(-3, 2));
    return;
  }
  uint64_t before = kernel_fault.count;
  volatile uint8_t *text = (volatile uint8_t *)(uintptr_t)module.payload.entry;
  uint8_t old = *text;
  int faulted = kprobe_write8(text, (uint8_t)(old ^ 0xFFu));
  if (!kernel_expect_fault(report, name, faulted, before, kernel_expect_write_fault(module.payload.entry))) {
    return;
  }
  if (*text != old) {
    OSBaremetal_TestFail(report, name, "the module's text changed");
    return;
  }
  char id[2u * OSPOLICY_MODSIGN_KEY_ID_SIZE + 1u];
  (void)OSBaremetal_FormatHex(id, sizeof id, verdict->envelope.key_id, OSPOLICY_MODSIGN_KEY_ID_SIZE);
  OSBaremetal_TestNote(report, "kernel: module '%s' verified: Ed25519+BLAKE2b-512, key id %s, generation %lu (floor %lu), "
                               "%lu bytes in %u steps, %u libsodium calls under pushfq/cli/popfq, IF already clear on entry "
                               "to each (interrupts are never enabled in ring 0)",
                       kModule, id, (unsigned long)verdict->envelope.generation,
                       (unsigned long)verdict->min_generation, (unsigned long)verdict->object_bytes, module.chunks,
                       module.crypto_calls);
  OSBaremetal_TestNote(report, "kernel: module '%s' mapped W^X: %u ranges, %lu relocations, %lu seals; "
                               "entry(5) = %ld, entry(-3) = %ld; its text refuses writes",
                       kModule, module.payload.plan.range_count, (unsigned long)module.payload.relocation.applied,
                       (unsigned long)module.payload.seal_count, first, second);
  OSBaremetal_TestPass(report, name);
}

static void module_refused(OSBaremetal_TestReport *report, const char *name, const char *what,
                           const uint8_t *envelope, size_t envelope_size, const uint8_t *object, size_t object_size,
                           OSPolicy_Status expected) {
  OSBaremetal_TestStart(report, name);
  uint64_t calls = kernel_payload_map_calls;
  OSPolicy_Status status = kernel_load_module(kModule, envelope, envelope_size, object, object_size, &module);
  const OSPolicy_ModsignResult *verdict = &module.verdict;
  const char *field = OSPolicy_ModsignFieldName(verdict->error_field);
  if (kernel_payload_map_calls != calls || module.payload.base != NULL || module.payload.entry != 0u) {
    OSBaremetal_TestFail(report, name, "%s: the refused module was mapped (%s)", what, OSBaremetal_StatusName(status));
    return;
  }
  if (status != expected || verdict->status != expected || module.step != KERNEL_STEP_VERIFY) {
    OSBaremetal_TestFail(report, name, "%s: got %s at step %s (field '%s', offset %lu), want %s", what,
                         OSBaremetal_StatusName(status), kernel_step_name(module.step), field, (unsigned long)verdict->error_offset,
                         OSBaremetal_StatusName(expected));
    return;
  }
  if (verdict->decision != OSPOLICY_DECISION_DENY || verdict->enforcing != 1u) {
    OSBaremetal_TestFail(report, name, "%s: %s but decision %u, enforcing %u", what, OSBaremetal_StatusName(status),
                         (unsigned)verdict->decision, verdict->enforcing);
    return;
  }
  if (module.entered_with_interrupts != 0u) {
    OSBaremetal_TestFail(report, name, "%u libsodium call(s) entered with interrupts enabled",
                         module.entered_with_interrupts);
    return;
  }
  KernelTrust trust;
  uint64_t floor = kernel_trust_init(&trust) == OSPOLICY_OK
                       ? OSPolicy_GetModsignFloor(trust.trust, OSPOLICY_MODSIGN_KIND_MODULE, kModule, sizeof kModule - 1u)
                       : 0u;
  OSBaremetal_TestNote(report, "kernel: module '%s' %s: refused, %s (field '%s', offset %lu; signed generation %lu, "
                               "floor %lu; %lu of %lu bytes hashed); never mapped or called",
                       kModule, what, OSBaremetal_StatusName(status), field, (unsigned long)verdict->error_offset,
                       (unsigned long)verdict->envelope.generation, (unsigned long)floor,
                       (unsigned long)verdict->object_bytes, (unsigned long)object_size);
  OSBaremetal_TestPass(report, name);
}

void kernel_selftest_modules(OSBaremetal_TestReport *report) {
  size_t size = (size_t)(kernel_payload_end - kernel_payload_start);
  module_signed(report);
  module_refused(report, "kernel.module_tampered", "with a byte inverted after signing", kernel_module_signature,
                 kernel_module_signature_size, kernel_module_tampered, kernel_module_tampered_size,
                 OSPOLICY_DENIED_MODSIGN_DIGEST_MISMATCH);
  module_refused(report, "kernel.module_truncated", "one byte short of its envelope", kernel_module_signature,
                 kernel_module_signature_size, kernel_module_truncated, kernel_module_truncated_size,
                 OSPOLICY_ERR_MODSIGN_OBJECT_TRUNCATED);
#ifdef OSPOLICY_KERNEL_MODULE_ROGUE
  module_refused(report, "kernel.module_wrong_key", "signed by a key outside the trust set",
                 kernel_module_rogue_signature, kernel_module_rogue_signature_size, kernel_payload_start, size,
                 OSPOLICY_DENIED_MODSIGN_UNKNOWN_KEY);
#else
  OSBaremetal_TestNote(report, "kernel: kernel.module_wrong_key not built (test images with OSPOLICY_BUILD_TESTS only)");
#endif
  module_refused(report, "kernel.module_below_generation", "signed below the floor",
                 kernel_module_old_generation_signature, kernel_module_old_generation_signature_size,
                 kernel_payload_start, size, OSPOLICY_DENIED_MODSIGN_GENERATION);
}
