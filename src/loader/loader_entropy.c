/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * Entropy before ExitBootServices: the guarded firmware RNG (only if the
 * firmware has EFI_RNG_PROTOCOL), RDSEED/RDRAND after their health checks,
 * RDTSC jitter, all mixed into the entropy pool, whose exported seed goes to
 * the kernel in the boot-info block.
 */
#include <stdint.h>

#include "loader.h"
#include "oshost_uefi.h"
#include "ospolicy/pal.h"
#include "ospolicy/stack_canary.h"
#include "x86_random.h"

/* The firmware source behind the guarded random. The pool calls it from
 * inside a crypto section; EFI_RNG_PROTOCOL is not callable at
 * TPL_HIGH_LEVEL, so the TPL drops back for the firmware call only (no
 * libsodium frame is live here: the pool calls libsodium as leaves). Outside
 * a section pause/resume do nothing. */
static OSPolicy_Status firmware_fill(void *context, void *buffer, size_t length, size_t *written) {
  (void)context;
  *written = 0;
  loader_crypto_pause();
  OSHost_RandomSource source = OSHOST_RANDOM_SOURCE_UNSET;
  OSPolicy_Status status = OSPolicy_PalFillRandom(buffer, length, &source);
  loader_crypto_resume();
  if (status != OSPOLICY_OK) {
    return OSPOLICY_ERR_RANDOM_SOURCE_FAILED;
  }
  if (source != OSHOST_RANDOM_SOURCE_FIRMWARE_RNG) {
    return OSPOLICY_ERR_RANDOM_SOURCE_CONTRACT;
  }
  *written = length;
  return OSPOLICY_OK;
}

static void check_firmware_rng(LoaderContext *context, LoaderEntropy *loader) {
  OSBaremetal_TestReport *report = &context->report;
  loader->firmware_rng = OSPOLICY_GUARDED_RANDOM_ZERO;
  if (!OSHostUefi_HasFirmwareRng()) {
    const char *name = "loader.firmware_rng_absent";
    OSBaremetal_TestStart(report, name);
    uint8_t probe[16];
    OSHost_RandomSource source = OSHOST_RANDOM_SOURCE_UNSET;
    OSHost_Status answer = OSHost_FillRandom(probe, sizeof probe, &source);
    if (answer != OSHOST_ERR_UNSUPPORTED || source != OSHOST_RANDOM_SOURCE_UNSET) {
      OSBaremetal_TestFail(report, name, "no EFI_RNG_PROTOCOL, yet the backend answered %s",
                           OSPolicy_HostStatusName(answer));
    } else {
      OSBaremetal_TestNote(report, "loader: no EFI_RNG_PROTOCOL: firmware RNG not used");
      OSBaremetal_TestPass(report, name);
    }
    return;
  }
  const char *name = "loader.firmware_rng_before_ebs";
  OSBaremetal_TestStart(report, name);
  OSPolicy_RandomSource source = {firmware_fill, NULL, OSHOST_RANDOM_SOURCE_FIRMWARE_RNG};
  OSPolicy_Status status = OSPolicy_InitGuardedRandom(&loader->firmware_rng, &source);
  if (status != OSPOLICY_OK) {
    OSBaremetal_TestFail(report, name, "InitGuardedRandom: %s", loader_status_name(status));
    return;
  }
  uint8_t bytes[32] = {0};
  OSPolicy_GuardedRandomResult result;
  status = OSPolicy_FillGuardedRandom(&loader->firmware_rng, bytes, sizeof bytes, &result);
  uint8_t any = 0;
  for (size_t i = 0; i < sizeof bytes; ++i) {
    any |= bytes[i];
  }
  if (status != OSPOLICY_OK || result.source != OSHOST_RANDOM_SOURCE_FIRMWARE_RNG) {
    OSBaremetal_TestFail(report, name, "guarded fill: %s (source %u)", loader_status_name(status),
                         (unsigned)result.source);
  } else if (any == 0u) {
    OSBaremetal_TestFail(report, name, "32 zero bytes from EFI_RNG_PROTOCOL");
  } else {
    OSBaremetal_TestPass(report, name);
  }
  for (size_t i = 0; i < sizeof bytes; ++i) {
    ((volatile uint8_t *)bytes)[i] = 0;
  }
}

static void check_rdrand(LoaderContext *context, const LoaderEntropy *loader,
                         const OSPolicy_X86RandomFeatures *features) {
  OSBaremetal_TestReport *report = &context->report;
  OSBaremetal_TestNote(report, "loader: CPUID: RDRAND %s, RDSEED %s, TSC %s", features->rdrand ? "yes" : "no",
                       features->rdseed ? "yes" : "no", features->tsc ? "yes" : "no");
  const OSPolicy_EntropyContribution *rdrand = &loader->pool.sources[OSHOST_RANDOM_SOURCE_RDRAND];
  if (!features->rdrand) {
    const char *name = "loader.rdrand_absent";
    OSBaremetal_TestStart(report, name);
    OSPolicy_HwRandomSource source;
    OSPolicy_Status status = OSPolicy_X86GetHwRandomSource(OSHOST_RANDOM_SOURCE_RDRAND, &source);
    if (status != OSPOLICY_ERR_HWRNG_NOT_PRESENT || rdrand->bytes != 0u) {
      OSBaremetal_TestFail(report, name, "CPUID has no RDRAND but the source answered %s, %lu bytes mixed",
                           loader_status_name(status), (unsigned long)rdrand->bytes);
    } else {
      OSBaremetal_TestPass(report, name);
    }
    return;
  }
  const char *name = "loader.rdrand_healthy";
  OSBaremetal_TestStart(report, name);
  uint32_t bit = 1u << OSHOST_RANDOM_SOURCE_RDRAND;
  if ((loader->pool.trusted_mask & bit) == 0u || rdrand->last_status != OSPOLICY_OK) {
    OSBaremetal_TestFail(report, name, "RDRAND not trusted by the pool: %s",
                         loader_status_name(rdrand->last_status));
  } else {
    OSBaremetal_TestNote(report, "loader: RDRAND passed its health check, %lu bytes mixed, %u bits credited",
                         (unsigned long)rdrand->bytes, rdrand->credited_bits);
    OSBaremetal_TestPass(report, name);
  }
}

OSPolicy_Status loader_collect_entropy(LoaderContext *context, LoaderEntropy *loader) {
  OSBaremetal_TestReport *report = &context->report;
  loader->weak_seed = 0;
  check_firmware_rng(context, loader);

  OSPolicy_X86RandomFeatures features = OSPolicy_X86GetRandomFeatures();
  OSPolicy_HwRandomSource rdseed;
  OSPolicy_HwRandomSource rdrand;
  OSPolicy_HwRandomSource jitter;
  int have_rdseed = OSPolicy_X86GetHwRandomSource(OSHOST_RANDOM_SOURCE_RDSEED, &rdseed) == OSPOLICY_OK;
  int have_rdrand = OSPolicy_X86GetHwRandomSource(OSHOST_RANDOM_SOURCE_RDRAND, &rdrand) == OSPOLICY_OK;
  int have_jitter = OSPolicy_X86GetHwRandomSource(OSHOST_RANDOM_SOURCE_JITTER, &jitter) == OSPOLICY_OK;
  /* Platform bytes would be the firmware RNG a second time: not a source here. */
  OSPolicy_EntropySources sources = {
      OSPolicy_IsGuardedRandomAvailable(&loader->firmware_rng) ? &loader->firmware_rng : NULL,
      have_rdseed ? &rdseed : NULL, have_rdrand ? &rdrand : NULL, have_jitter ? &jitter : NULL, false};

  loader_crypto_enter();
  OSPolicy_Status init = OSPolicy_InitEntropyPool(&loader->pool, OSPOLICY_ENTROPY_DEFAULT_THRESHOLD_BITS);
  OSPolicy_Status collected = init == OSPOLICY_OK ? OSPolicy_CollectEntropy(&loader->pool, &sources, &loader->collect)
                                                  : init;
  OSPolicy_Status weak = OSPOLICY_OK;
  int threshold_met = collected == OSPOLICY_OK;
  if (init == OSPOLICY_OK && !threshold_met && collected == OSPOLICY_DENIED_ENTROPY_INSUFFICIENT) {
    /* Logged loudly by the pool through the PAL; recorded in the boot info. */
    weak = OSPolicy_AcceptWeakEntropySeed(&loader->pool);
  }
  OSPolicy_Status exported = (threshold_met || weak == OSPOLICY_OK) && init == OSPOLICY_OK &&
                                     (collected == OSPOLICY_OK || collected == OSPOLICY_DENIED_ENTROPY_INSUFFICIENT)
                                 ? OSPolicy_ExportEntropySeed(&loader->pool, &loader->seed)
                                 : collected;
  loader_crypto_leave();

  check_rdrand(context, loader, &features);

  OSBaremetal_TestNote(report, "loader: pool %u/%u bits credited, sources mask 0x%x (%s%s%s%s)",
                       loader->pool.credited_bits, loader->pool.threshold_bits, loader->pool.contributed_mask,
                       sources.firmware != NULL ? "firmware-rng " : "", have_rdseed ? "rdseed " : "",
                       have_rdrand ? "rdrand " : "", have_jitter ? "jitter" : "");
  const char *name = threshold_met ? "loader.entropy_threshold_met" : "loader.entropy_weak_seed_flagged";
  OSBaremetal_TestStart(report, name);
  if (init != OSPOLICY_OK) {
    OSBaremetal_TestFail(report, name, "pool init: %s", loader_status_name(init));
    return init;
  }
  if (!threshold_met && (collected != OSPOLICY_DENIED_ENTROPY_INSUFFICIENT || weak != OSPOLICY_OK ||
                         !loader->pool.weak_seed_accepted)) {
    OSBaremetal_TestFail(report, name, "collect: %s, weak-seed acceptance: %s", loader_status_name(collected),
                         loader_status_name(weak));
    return collected != OSPOLICY_OK ? collected : weak;
  }
  if (exported != OSPOLICY_OK) {
    OSBaremetal_TestFail(report, name, "seed export: %s", loader_status_name(exported));
    return exported;
  }
  if (!threshold_met && (loader->seed.flags & OSPOLICY_ENTROPY_SEED_WEAK) == 0u) {
    OSBaremetal_TestFail(report, name, "weak pool exported a seed without the WEAK flag");
    return OSPOLICY_ERR_ENTROPY_SEED_INVALID;
  }
  /* Whether a weak seed may boot is the sequencer's decision (loader_main.c). */
  loader->weak_seed = !threshold_met;
  OSBaremetal_TestPass(report, name);
  return OSPOLICY_OK;
}

OSPolicy_Status loader_reseed_canary(LoaderContext *context, LoaderEntropy *entropy) {
  const char *name = "loader.crypto_canary_reseeded";
  OSBaremetal_TestReport *report = &context->report;
  OSBaremetal_TestStart(report, name);
  uint64_t before = loader_crypto_canary();
  OSPolicy_RandomWordSource words = OSPolicy_GetEntropyPoolWordSource(&entropy->pool);
  OSPolicy_StackCanary canary = {OSPOLICY_STATUS_UNSET, 0, 0};
  loader_crypto_enter();
  OSPolicy_Status status = OSPolicy_MakeStackCanary(&words, &canary);
  loader_crypto_leave();
  if (status != OSPOLICY_OK || !OSPolicy_IsValidStackCanary(canary.value)) {
    OSBaremetal_TestFail(report, name, "canary from the pool: %s", loader_status_name(status));
    return status != OSPOLICY_OK ? status : OSPOLICY_ERR_PLAN_NOT_OK;
  }
  /* Between sections: no frame holds the old canary. */
  loader_crypto_set_canary(canary.value);
  canary.value = 0;
  if (loader_crypto_canary() == before) {
    OSBaremetal_TestFail(report, name, "the canary did not change");
    return OSPOLICY_ERR_PLAN_NOT_OK;
  }
  OSBaremetal_TestNote(report, "loader: crypto-section canary at %%fs:0x28 drawn from the pool (56 bits%s)",
                       entropy->weak_seed ? ", WEAK SEED" : "");
  OSBaremetal_TestPass(report, name);
  return OSPOLICY_OK;
}
