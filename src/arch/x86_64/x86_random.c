/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
#include "x86_random.h"

#include <stddef.h>
#include <stdint.h>

typedef struct cpuid_regs {
  uint32_t eax, ebx, ecx, edx;
} cpuid_regs;

static cpuid_regs cpuid(uint32_t leaf, uint32_t subleaf) {
  cpuid_regs r;
  __asm__ volatile("cpuid"
                   : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
                   : "a"(leaf), "c"(subleaf));
  return r;
}

OSPolicy_X86RandomFeatures OSPolicy_X86GetRandomFeatures(void) {
  OSPolicy_X86RandomFeatures features = {false, false, false};
  uint32_t max_leaf = cpuid(0, 0).eax;
  if (max_leaf >= 1u) {
    cpuid_regs leaf1 = cpuid(1, 0);
    features.rdrand = (leaf1.ecx & (1u << 30)) != 0u;
    features.tsc = (leaf1.edx & (1u << 4)) != 0u;
  }
  if (max_leaf >= 7u) {
    features.rdseed = (cpuid(7, 0).ebx & (1u << 18)) != 0u;
  }
  return features;
}

OSPolicy_HwRandomSample OSPolicy_X86RdrandStep(void *context) {
  (void)context;
  uint64_t value;
  uint8_t ok;
  __asm__ volatile("rdrand %0; setc %1" : "=r"(value), "=qm"(ok) : : "cc");
  return (OSPolicy_HwRandomSample){.ready = ok != 0u, .value = value};
}

OSPolicy_HwRandomSample OSPolicy_X86RdseedStep(void *context) {
  (void)context;
  uint64_t value;
  uint8_t ok;
  __asm__ volatile("rdseed %0; setc %1" : "=r"(value), "=qm"(ok) : : "cc");
  if (ok == 0u) {
    __asm__ volatile("pause");
  }
  return (OSPolicy_HwRandomSample){.ready = ok != 0u, .value = value};
}

OSPolicy_HwRandomSample OSPolicy_X86RdtscStep(void *context) {
  (void)context;
  uint32_t low, high;
  __asm__ volatile("rdtsc" : "=a"(low), "=d"(high));
  return (OSPolicy_HwRandomSample){.ready = true, .value = ((uint64_t)high << 32) | low};
}

OSPolicy_Status OSPolicy_X86GetHwRandomSource(OSHost_RandomSource kind,
                                              OSPolicy_HwRandomSource *source) {
  if (source == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  *source = (OSPolicy_HwRandomSource){.step = NULL, .context = NULL,
                                      .kind = OSHOST_RANDOM_SOURCE_UNSET};
  OSPolicy_X86RandomFeatures features = OSPolicy_X86GetRandomFeatures();
  OSPolicy_HwRandomStepFn step = NULL;
  bool present = false;
  switch (kind) {
    case OSHOST_RANDOM_SOURCE_RDRAND:
      step = OSPolicy_X86RdrandStep;
      present = features.rdrand;
      break;
    case OSHOST_RANDOM_SOURCE_RDSEED:
      step = OSPolicy_X86RdseedStep;
      present = features.rdseed;
      break;
    case OSHOST_RANDOM_SOURCE_JITTER:
      step = OSPolicy_X86RdtscStep;
      present = features.tsc;
      break;
    default:
      return OSPOLICY_ERR_INVALID_ARGUMENT;
  }
  if (!present) {
    return OSPOLICY_ERR_HWRNG_NOT_PRESENT;
  }
  *source = (OSPolicy_HwRandomSource){.step = step, .context = NULL, .kind = kind};
  return OSPOLICY_OK;
}
