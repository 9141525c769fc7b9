/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * The kernel's entropy pool, continued from the loader's seed (boot info),
 * plus RDRAND when CPUID has it (after the pool's health check) and RDTSC
 * jitter; the stack canary drawn from it; and the proof that the guarded
 * firmware RNG refuses service now that boot services are gone.
 *
 * libsodium (inside the pool) is built with a stack protector that reads
 * %fs:0x28 and with the red zone: the FS base points at kernel_percpu before
 * anything calls it, and every pool call runs under kernel_crypto_enter
 * (pushfq; cli ... popfq). This kernel never enables interrupts in ring 0 (exceptions
 * use interrupt gates and IST stacks); kernel.entropy_pool checks that IF
 * was clear on entry to each of those calls.
 */
#include "kernel.h"
#include "ospolicy/entropy_pool.h"
#include "ospolicy/guarded_random.h"
#include "ospolicy/stack_canary.h"
#include "oshost_baremetal.h"
#include "x86_cpu.h"
#include "x86_random.h"

KernelPerCpu kernel_percpu __attribute__((aligned(64)));

static OSPolicy_EntropyPool pool;
static int pool_ready;

KernelCryptoStats kernel_crypto_stats;

uint64_t kernel_crypto_enter(void) {
  uint64_t flags;
  __asm__ volatile("pushfq; popq %0; cli" : "=r"(flags) : : "memory");
  kernel_crypto_stats.calls++;
  if ((flags & KERNEL_RFLAGS_IF) != 0u) {
    kernel_crypto_stats.entered_with_interrupts++;
  }
  return flags;
}

void kernel_crypto_leave(uint64_t flags) {
  __asm__ volatile("pushq %0; popfq" : : "r"(flags) : "memory", "cc");
}

void kernel_install_fs_base(void) {
  osb_write_msr(OSBAREMETAL_MSR_FS_BASE, (uint64_t)(uintptr_t)&kernel_percpu);
}

static OSHost_Status pool_fill(void *context, void *buffer, size_t length) {
  (void)context;
  if (!pool_ready) {
    return OSHOST_ERR_UNSUPPORTED;
  }
  uint64_t flags = kernel_crypto_enter();
  OSPolicy_Status status = OSPolicy_GenerateEntropyPoolBytes(&pool, buffer, length);
  kernel_crypto_leave(flags);
  return status == OSPOLICY_OK ? OSHOST_OK : OSHOST_ERR_DEVICE;
}

void kernel_entropy_init(OSBaremetal_TestReport *report, OSPolicy_BootInfo *info) {
  const char *name = "kernel.entropy_pool";
  OSBaremetal_TestStart(report, name);
  OSPolicy_EntropySeed seed;
  uint8_t *bytes = (uint8_t *)&seed;
  for (size_t i = 0; i < sizeof seed; ++i) {
    bytes[i] = info->seed[i];
    ((volatile uint8_t *)info->seed)[i] = 0; /* the block must not keep it */
  }
  uint64_t calls = kernel_crypto_stats.calls;
  uint64_t flags = kernel_crypto_enter();
  OSPolicy_Status status = OSPolicy_InitEntropyPool(&pool, OSPOLICY_ENTROPY_DEFAULT_THRESHOLD_BITS);
  if (status == OSPOLICY_OK) {
    status = OSPolicy_ImportEntropySeed(&pool, &seed); /* wipes `seed` */
  }
  kernel_crypto_leave(flags);
  if (status != OSPOLICY_OK) {
    OSBaremetal_TestFail(report, name, "seed import: %s", OSBaremetal_StatusName(status));
    return;
  }
  OSPolicy_HwRandomSource rdrand;
  OSPolicy_HwRandomSource jitter;
  int have_rdrand = OSPolicy_X86GetHwRandomSource(OSHOST_RANDOM_SOURCE_RDRAND, &rdrand) == OSPOLICY_OK;
  OSPolicy_Status hw = OSPOLICY_STATUS_UNSET;
  flags = kernel_crypto_enter();
  if (have_rdrand) {
    hw = OSPolicy_AddHardwareEntropy(&pool, &rdrand, 64u);
  }
  if (OSPolicy_X86GetHwRandomSource(OSHOST_RANDOM_SOURCE_JITTER, &jitter) == OSPOLICY_OK) {
    /* Credited 0 bits: it only stirs; its failure changes no verdict. */
    OSPolicy_Status stirred = OSPolicy_AddJitterEntropy(&pool, &jitter, OSPOLICY_ENTROPY_JITTER_SAMPLES);
    (void)stirred;
  }
  kernel_crypto_leave(flags);
  OSBaremetal_TestNote(report, "kernel: pool continues the loader's seed: %u/%u bits credited, RDRAND %s",
                       pool.credited_bits, pool.threshold_bits,
                       !have_rdrand ? "absent" : hw == OSPOLICY_OK ? "mixed in" : OSBaremetal_StatusName(hw));
  if (!OSPolicy_IsEntropyPoolReady(&pool)) {
    /* Logged loudly through OSHost_Log by the pool. */
    flags = kernel_crypto_enter();
    status = OSPolicy_AcceptWeakEntropySeed(&pool);
    kernel_crypto_leave(flags);
    if (status != OSPOLICY_OK) {
      OSBaremetal_TestFail(report, name, "weak seed not accepted: %s", OSBaremetal_StatusName(status));
      return;
    }
  }
  if (have_rdrand && hw != OSPOLICY_OK) {
    OSBaremetal_TestFail(report, name, "RDRAND present but refused: %s", OSBaremetal_StatusName(hw));
    return;
  }
  uint8_t a[32];
  uint8_t b[32];
  flags = kernel_crypto_enter();
  OSPolicy_Status first = OSPolicy_GenerateEntropyPoolBytes(&pool, a, sizeof a);
  OSPolicy_Status second = OSPolicy_GenerateEntropyPoolBytes(&pool, b, sizeof b);
  kernel_crypto_leave(flags);
  if (first != OSPOLICY_OK || second != OSPOLICY_OK) {
    OSBaremetal_TestFail(report, name, "pool refuses output");
    return;
  }
  unsigned differ = 0;
  for (size_t i = 0; i < sizeof a; ++i) {
    differ += a[i] != b[i];
  }
  if (differ < 16u) {
    OSBaremetal_TestFail(report, name, "two outputs share %u of 32 bytes", 32u - differ);
    return;
  }
  if (kernel_crypto_stats.entered_with_interrupts != 0u) {
    OSBaremetal_TestFail(report, name, "%lu libsodium call(s) entered with interrupts enabled",
                         (unsigned long)kernel_crypto_stats.entered_with_interrupts);
    return;
  }
  OSBaremetal_TestNote(report, "kernel: %lu pool call sequences under pushfq/cli/popfq, IF clear on entry to each "
                               "(interrupts are never enabled in ring 0)",
                       (unsigned long)(kernel_crypto_stats.calls - calls));
  pool_ready = 1;
  OSHostBaremetal_SetRandom(pool_fill);
  OSBaremetal_TestPass(report, name);
}

uint64_t kernel_make_canary(OSBaremetal_TestReport *report) {
  const char *name = "kernel.stack_canary";
  OSBaremetal_TestStart(report, name);
  if (!pool_ready) {
    OSBaremetal_TestFail(report, name, "no entropy pool: canary stays 0");
    return 0;
  }
  OSPolicy_RandomWordSource words = OSPolicy_GetEntropyPoolWordSource(&pool);
  OSPolicy_StackCanary canary;
  uint64_t flags = kernel_crypto_enter();
  OSPolicy_Status status = OSPolicy_MakeStackCanary(&words, &canary);
  kernel_crypto_leave(flags);
  if (status != OSPOLICY_OK || !OSPolicy_IsValidStackCanary(canary.value)) {
    OSBaremetal_TestFail(report, name, "canary: %s", OSBaremetal_StatusName(status));
    return 0;
  }
  /* kernel.stack_canary passes in kernel_check_canary, once it is installed. */
  return canary.value;
}

void kernel_check_canary(OSBaremetal_TestReport *report) {
  const char *name = "kernel.stack_canary";
  uint64_t value;
  __asm__ volatile("movq %%fs:0x28, %0" : "=r"(value));
  if (value != kernel_percpu.stack_canary || !OSPolicy_IsValidStackCanary(value)) {
    OSBaremetal_TestFail(report, name, "%%fs:0x28 does not hold a valid canary");
    return;
  }
  uint32_t bits = pool.credited_bits < OSPOLICY_STACK_CANARY_BITS ? pool.credited_bits : OSPOLICY_STACK_CANARY_BITS;
  OSBaremetal_TestNote(report, "kernel: stack canary from the pool replaces the boot canary at %%fs:0x28 (low byte 0, "
                               "%u bits drawn, %u of them credited: the pool credits %u bits)",
                       OSPOLICY_STACK_CANARY_BITS, bits, pool.credited_bits);
  OSBaremetal_TestPass(report, name);
}

static uint32_t firmware_calls;

static OSPolicy_Status firmware_source(void *context, void *buffer, size_t length, size_t *written) {
  (void)context;
  (void)buffer;
  (void)length;
  firmware_calls++;
  *written = 0;
  return OSPOLICY_ERR_RANDOM_SOURCE_FAILED;
}

void kernel_check_firmware_rng_denied(OSBaremetal_TestReport *report) {
  const char *name = "kernel.firmware_rng_denied";
  OSBaremetal_TestStart(report, name);
  OSPolicy_GuardedRandom guarded = OSPOLICY_GUARDED_RANDOM_ZERO;
  OSPolicy_RandomSource source = {firmware_source, NULL, OSHOST_RANDOM_SOURCE_FIRMWARE_RNG};
  OSPolicy_Status armed = OSPolicy_InitGuardedRandom(&guarded, &source);
  uint8_t buffer[16];
  OSPolicy_GuardedRandomResult result;
  OSPolicy_Status fill = OSPolicy_FillGuardedRandom(&guarded, buffer, sizeof buffer, &result);
  if (armed == OSPOLICY_OK || fill != OSPOLICY_DENIED_AFTER_EXIT_BOOT_SERVICES || firmware_calls != 0u ||
      guarded.phase != OSPOLICY_FIRMWARE_PHASE_EXITED) {
    OSBaremetal_TestFail(report, name, "arm %s, fill %s, firmware called %u times", OSBaremetal_StatusName(armed),
                         OSBaremetal_StatusName(fill), firmware_calls);
    return;
  }
  OSBaremetal_TestNote(report, "kernel: firmware RNG: arm -> %s, fill -> %s, source never called",
                       OSBaremetal_StatusName(armed), OSBaremetal_StatusName(fill));
  OSBaremetal_TestPass(report, name);
}
