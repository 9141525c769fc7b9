/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
#include "cpu_hardening.h"

#include <stddef.h>

#include "x86_cpu.h"

OSBaremetal_CpuFeatures OSBaremetal_ReadCpuFeatures(void) {
  OSBaremetal_CpuFeatures features = {0, 0, 0, 0, 0};
  uint32_t regs[4];
  osb_cpuid(0, 0, regs);
  uint32_t max_basic = regs[0];
  osb_cpuid(1, 0, regs);
  features.rdrand = (regs[2] >> 30) & 1u;
  if (max_basic >= 7u) {
    osb_cpuid(7, 0, regs);
    features.smep = (regs[1] >> 7) & 1u;
    features.smap = (regs[1] >> 20) & 1u;
    features.rdseed = (regs[1] >> 18) & 1u;
  }
  osb_cpuid(0x80000000u, 0, regs);
  if (regs[0] >= 0x80000001u) {
    osb_cpuid(0x80000001u, 0, regs);
    features.nx = (regs[3] >> 20) & 1u;
  }
  return features;
}

OSPolicy_Status OSBaremetal_HardenCpu(OSBaremetal_CpuHardening *result) {
  if (result == NULL) {
    return OSPOLICY_ERR_NULL_ARGUMENT;
  }
  result->status = OSPOLICY_STATUS_UNSET;
  result->features = OSBaremetal_ReadCpuFeatures();
  if (!result->features.nx) {
    result->status = OSPOLICY_ERR_UNSUPPORTED;
    return result->status;
  }
  uint64_t efer = osb_read_msr(OSBAREMETAL_MSR_EFER);
  if ((efer & OSBAREMETAL_EFER_NXE) == 0u) {
    osb_write_msr(OSBAREMETAL_MSR_EFER, efer | OSBAREMETAL_EFER_NXE);
  }
  osb_write_cr0(osb_read_cr0() | OSBAREMETAL_CR0_WP);
  uint64_t want_cr4 = (result->features.smep ? OSBAREMETAL_CR4_SMEP : 0u) |
                      (result->features.smap ? OSBAREMETAL_CR4_SMAP : 0u);
  if (want_cr4 != 0u) {
    /* With SMAP on, RFLAGS.AC must be clear for the protection to apply:
     * make that so before the bit is set. */
    if (result->features.smap) {
      osb_clac();
    }
    osb_write_cr4(osb_read_cr4() | want_cr4);
  }
  result->cr0 = osb_read_cr0();
  result->cr4 = osb_read_cr4();
  result->efer = osb_read_msr(OSBAREMETAL_MSR_EFER);
  if ((result->cr0 & OSBAREMETAL_CR0_WP) == 0u || (result->efer & OSBAREMETAL_EFER_NXE) == 0u ||
      (result->cr4 & want_cr4) != want_cr4) {
    result->status = OSPOLICY_ERR_PAL_CONTRACT;
    return result->status;
  }
  result->status = OSPOLICY_OK;
  return OSPOLICY_OK;
}
