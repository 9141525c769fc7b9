/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * The few privileged x86-64 instructions the loader and the kernel need:
 * port I/O, control registers, EFER, invlpg. Inline so that both the UEFI
 * image and the kernel get them without another library.
 */
#ifndef OSPOLICY_BAREMETAL_X86_CPU_H
#define OSPOLICY_BAREMETAL_X86_CPU_H

#include <stdint.h>

#define OSBAREMETAL_CR0_WP ((uint64_t)1 << 16)
#define OSBAREMETAL_CR0_PG ((uint64_t)1 << 31)
#define OSBAREMETAL_CR4_PGE ((uint64_t)1 << 7)
#define OSBAREMETAL_CR4_LA57 ((uint64_t)1 << 12)
#define OSBAREMETAL_CR4_SMEP ((uint64_t)1 << 20)
#define OSBAREMETAL_CR4_SMAP ((uint64_t)1 << 21)
#define OSBAREMETAL_MSR_EFER 0xC0000080u
#define OSBAREMETAL_EFER_NXE ((uint64_t)1 << 11)
#define OSBAREMETAL_MSR_FS_BASE 0xC0000100u
#define OSBAREMETAL_RFLAGS_AC ((uint64_t)1 << 18)

static inline void osb_outb(uint16_t port, uint8_t value) {
  __asm__ volatile("outb %0, %1" : : "a"(value), "Nd"(port));
}

static inline uint8_t osb_inb(uint16_t port) {
  uint8_t value;
  __asm__ volatile("inb %1, %0" : "=a"(value) : "Nd"(port));
  return value;
}

static inline void osb_outl(uint16_t port, uint32_t value) {
  __asm__ volatile("outl %0, %1" : : "a"(value), "Nd"(port));
}

static inline uint64_t osb_read_cr0(void) {
  uint64_t value;
  __asm__ volatile("mov %%cr0, %0" : "=r"(value));
  return value;
}

static inline uint64_t osb_read_cr3(void) {
  uint64_t value;
  __asm__ volatile("mov %%cr3, %0" : "=r"(value));
  return value;
}

static inline uint64_t osb_read_cr4(void) {
  uint64_t value;
  __asm__ volatile("mov %%cr4, %0" : "=r"(value));
  return value;
}

static inline uint64_t osb_read_msr(uint32_t msr) {
  uint32_t low;
  uint32_t high;
  __asm__ volatile("rdmsr" : "=a"(low), "=d"(high) : "c"(msr));
  return ((uint64_t)high << 32) | low;
}

static inline uint64_t osb_read_cr2(void) {
  uint64_t value;
  __asm__ volatile("mov %%cr2, %0" : "=r"(value));
  return value;
}

static inline void osb_write_cr0(uint64_t value) {
  __asm__ volatile("mov %0, %%cr0" : : "r"(value) : "memory");
}

/* Reloading CR3 flushes every non-global translation. */
static inline void osb_write_cr3(uint64_t value) {
  __asm__ volatile("mov %0, %%cr3" : : "r"(value) : "memory");
}

static inline void osb_write_cr4(uint64_t value) {
  __asm__ volatile("mov %0, %%cr4" : : "r"(value) : "memory");
}

static inline void osb_write_msr(uint32_t msr, uint64_t value) {
  __asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)value), "d"((uint32_t)(value >> 32)) : "memory");
}

static inline void osb_cpuid(uint32_t leaf, uint32_t subleaf, uint32_t out[4]) {
  __asm__ volatile("cpuid" : "=a"(out[0]), "=b"(out[1]), "=c"(out[2]), "=d"(out[3]) : "a"(leaf), "c"(subleaf));
}

/* SMAP: allow (stac) or forbid again (clac) supervisor access to user pages.
 * Only valid when CPUID reports SMAP. */
static inline void osb_stac(void) {
  __asm__ volatile("stac" : : : "memory", "cc");
}

static inline void osb_clac(void) {
  __asm__ volatile("clac" : : : "memory", "cc");
}

static inline void osb_invlpg(uint64_t address) {
  __asm__ volatile("invlpg (%0)" : : "r"(address) : "memory");
}

static inline uint64_t osb_read_rflags(void) {
  uint64_t value;
  __asm__ volatile("pushfq; popq %0" : "=r"(value));
  return value;
}

#endif /* OSPOLICY_BAREMETAL_X86_CPU_H */
