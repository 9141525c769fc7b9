/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * Signed modules (docs/kernel.md "Signed modules", docs/modsign.md). The
 * kernel has no file system: the trust set (<build>/modsign/trust.bin) and
 * the modules with their envelopes are compiled into the image at link time,
 * before kernel.elf itself is signed (kernel/CMakeLists.txt).
 *
 * Trust: the embedded set is parsed into fresh PAL pages, enforcement is
 * switched on (a latch: nothing in the library clears it), and the pages are
 * sealed read-only through the PAL; a write to the latch must then fault.
 *
 * Loading: the module's bytes stream through OSPolicy_BeginModsignVerify /
 * UpdateModsignVerify / FinishModsignVerify (libsodium's Ed25519 and
 * BLAKE2b) in 4 KiB steps. libsodium's archive is built with the red zone and
 * a stack protector reading %fs:0x28 (kernel_percpu), so every call into it is
 * made with interrupts masked (kernel_crypto_enter: pushfq; cli ... popfq).
 * This kernel never enables interrupts in ring 0 (only agents run with IF
 * set, and every way into the kernel clears it), so the cli changes nothing today;
 * what is checked is that IF was clear on entry to each call (the saved
 * flags), which a future sti elsewhere would break. Only an enforced ALLOW reaches kernel_map_payload; the bytes
 * mapped are the bytes verified (the caller's buffer, which here is the
 * kernel's read-only .rodata, so nothing can change it in between).
 */
#include "kernel.h"
#include "ospolicy/page_protection.h"
#include "ospolicy/pal.h"
#include "x86_cpu.h"

#define MODULE_CHUNK 4096u

static KernelTrust trust_state; /* status UNSET until kernel_trust_init ran */
static OSPolicy_ModsignVerifier verifier;

/* kernel_crypto_enter (entropy.c) around each libsodium-reaching call:
 * pushfq; cli ... popfq. Counts the calls and those entered with IF set. */
static uint64_t crypto_enter(KernelModule *module) {
  uint64_t flags = kernel_crypto_enter();
  module->crypto_calls += 1u;
  if ((flags & KERNEL_RFLAGS_IF) != 0u) {
    module->entered_with_interrupts += 1u;
  }
  return flags;
}

static void crypto_leave(uint64_t flags) {
  kernel_crypto_leave(flags);
}

static KernelTrust trust_setup(void) {
  KernelTrust out = {OSPOLICY_STATUS_UNSET, KERNEL_STEP_ALLOCATE, NULL, 0};
  out.pages = (sizeof(OSPolicy_ModsignTrustSet) + OSBAREMETAL_PAGE_SIZE - 1u) / OSBAREMETAL_PAGE_SIZE;
  void *base = NULL;
  OSPolicy_Status status = OSPolicy_PalAllocatePages(out.pages, &base);
  if (status != OSPOLICY_OK) {
    out.status = status;
    return out;
  }
  OSPolicy_ModsignTrustSet *trust = base;
  volatile uint8_t *bytes = base;
  for (size_t i = 0; i < sizeof *trust; ++i) {
    bytes[i] = 0; /* "memory of unknown content should be zero-filled first" */
  }
  out.step = KERNEL_STEP_PARSE;
  status = OSPolicy_ParseModsignTrustSet(kernel_trust_set, kernel_trust_set_size, trust);
  if (status == OSPOLICY_OK) {
    out.step = KERNEL_STEP_ENFORCE;
    status = OSPolicy_EnableModsignEnforcement(trust);
    if (status == OSPOLICY_OK && trust->enforce != 1u) {
      status = OSPOLICY_ERR_PLAN_NOT_OK;
    }
  }
  if (status == OSPOLICY_OK) {
    out.step = KERNEL_STEP_SEAL;
    OSPolicy_PageProtectionRequest request = {(uintptr_t)base, out.pages * OSBAREMETAL_PAGE_SIZE,
                                              OSBAREMETAL_PAGE_SIZE, OSPOLICY_PROT_RW, OSPOLICY_PROT_READ, 0};
    OSPolicy_PageProtectionPlan plan;
    status = OSPolicy_PlanPageProtection(&request, &plan);
    if (status == OSPOLICY_OK) {
      status = OSPolicy_PalProtectPages(&plan);
    }
  }
  if (status == OSPOLICY_OK) {
    /* The latch must not be writable any more. */
    out.step = KERNEL_STEP_PROBE;
    uint64_t before = kernel_fault.count;
    volatile uint8_t *latch = (volatile uint8_t *)&trust->enforce;
    int faulted = kprobe_write8(latch, 0);
    KernelFaultExpectation want = kernel_expect_write_fault((uint64_t)(uintptr_t)latch);
    char reason[160];
    if (kernel_check_fault(faulted, before, &want, reason, sizeof reason) != NULL || trust->enforce != 1u) {
      status = OSPOLICY_ERR_PAL_CONTRACT;
    }
  }
  if (status == OSPOLICY_OK) {
    out.step = KERNEL_STEP_NONE;
    out.trust = trust;
  }
  out.status = status;
  return out;
}

OSPolicy_Status kernel_trust_init(KernelTrust *out) {
  if (trust_state.status == OSPOLICY_STATUS_UNSET) {
    trust_state = trust_setup();
  }
  *out = trust_state;
  return out->status;
}

static size_t text_length(const char *text) {
  size_t length = 0;
  while (text[length] != '\0') {
    ++length;
  }
  return length;
}

/* The one place that reaches the modsign verifier (envelope v2): streams
 * `object` through it against the sealed trust set for (kind, name), every
 * call under kernel_crypto_enter, and returns OK only for an enforced ALLOW.
 * module->verdict, chunks and the crypto counters are written. */
OSPolicy_Status kernel_verify_signed(uint32_t kind, const char *name, const uint8_t *envelope, size_t envelope_size,
                                     const uint8_t *object, size_t object_size, KernelModule *module) {
  KernelTrust trust;
  OSPolicy_Status status = kernel_trust_init(&trust);
  if (status != OSPOLICY_OK) {
    return status;
  }
  OSPolicy_ModsignRequest request = {envelope, envelope_size, kind, name, text_length(name)};
  uint64_t flags = crypto_enter(module);
  status = OSPolicy_BeginModsignVerify(&verifier, trust.trust, &request);
  crypto_leave(flags);
  /* A refusal decided from the envelope alone hashes no object byte. */
  for (size_t done = 0; status == OSPOLICY_OK && done < object_size;) {
    size_t chunk = object_size - done < MODULE_CHUNK ? object_size - done : MODULE_CHUNK;
    flags = crypto_enter(module);
    status = OSPolicy_UpdateModsignVerify(&verifier, object + done, chunk);
    crypto_leave(flags);
    module->chunks += 1u;
    done += chunk;
  }
  flags = crypto_enter(module);
  status = OSPolicy_FinishModsignVerify(&verifier, &module->verdict); /* decides and wipes */
  crypto_leave(flags);
  const OSPolicy_ModsignResult *verdict = &module->verdict;
  if (status != OSPOLICY_OK || verdict->status != OSPOLICY_OK || verdict->decision != OSPOLICY_DECISION_ALLOW ||
      verdict->enforcing != 1u) {
    /* OK without an enforced ALLOW cannot happen; refuse it all the same. */
    return verdict->status != OSPOLICY_OK ? verdict->status : OSPOLICY_ERR_PLAN_NOT_OK;
  }
  return OSPOLICY_OK;
}

OSPolicy_Status kernel_load_module(const char *name, const uint8_t *envelope, size_t envelope_size,
                                   const uint8_t *object, size_t object_size, KernelModule *module) {
  module->status = OSPOLICY_STATUS_UNSET;
  module->step = KERNEL_STEP_TRUST;
  module->payload.base = NULL;
  module->payload.entry = 0;
  module->payload.seal_count = 0;
  module->payload.step = KERNEL_STEP_NONE;
  module->chunks = 0;
  module->crypto_calls = 0;
  module->entered_with_interrupts = 0;
  KernelTrust trust;
  OSPolicy_Status status = kernel_trust_init(&trust);
  if (status != OSPOLICY_OK) {
    module->status = status;
    return status;
  }

  module->step = KERNEL_STEP_VERIFY;
  status = kernel_verify_signed(OSPOLICY_MODSIGN_KIND_MODULE, name, envelope, envelope_size, object, object_size,
                                module);
  if (status != OSPOLICY_OK) {
    module->status = status;
    return status;
  }

  status = kernel_map_payload(object, object_size, &module->payload);
  module->step = status == OSPOLICY_OK ? KERNEL_STEP_NONE : module->payload.step;
  module->status = status;
  return status;
}
