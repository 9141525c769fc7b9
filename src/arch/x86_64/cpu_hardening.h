/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * CPU protection bits for a kernel that owns the machine, chosen from CPUID:
 *   CR0.WP    supervisor writes honour read-only pages (always);
 *   EFER.NXE  the NX bit exists (CPUID 8000_0001h:EDX[20]; required);
 *   CR4.SMEP  supervisor instruction fetch from user pages faults
 *             (CPUID 7:EBX[7]; -cpu max under TCG, not qemu64);
 *   CR4.SMAP  supervisor data access to user pages faults unless RFLAGS.AC
 *             (CPUID 7:EBX[20]; same).
 * Never clears a bit that is already set.
 */
#ifndef OSPOLICY_BAREMETAL_CPU_HARDENING_H
#define OSPOLICY_BAREMETAL_CPU_HARDENING_H

#include <stdint.h>

#include "ospolicy/status.h"

typedef struct OSBaremetal_CpuFeatures {
  uint32_t nx;     /* CPUID reports the feature */
  uint32_t smep;
  uint32_t smap;
  uint32_t rdrand;
  uint32_t rdseed;
} OSBaremetal_CpuFeatures;

typedef struct OSBaremetal_CpuHardening {
  OSPolicy_Status status;
  OSBaremetal_CpuFeatures features;
  uint64_t cr0;   /* values after the call */
  uint64_t cr4;
  uint64_t efer;
} OSBaremetal_CpuHardening;

#ifdef __cplusplus
extern "C" {
#endif

OSBaremetal_CpuFeatures OSBaremetal_ReadCpuFeatures(void);

/* Sets WP and NXE, and SMEP/SMAP where CPUID has them; reads the registers
 * back. Errors: NULL_ARGUMENT; UNSUPPORTED if CPUID lacks NX (nothing could
 * be non-executable);
 * PAL_CONTRACT if a bit did not stick. */
OSPOLICY_MUST_CHECK OSPolicy_Status OSBaremetal_HardenCpu(OSBaremetal_CpuHardening *result);

#ifdef __cplusplus
}
#endif

#endif /* OSPOLICY_BAREMETAL_CPU_HARDENING_H */
