/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * Little-endian loads and stores: the one set of byte-order helpers for
 * every on-disk and hand-off format the library reads or writes (ELF
 * headers, entropy seeds, signature envelopes, boot info). Header-only and
 * freestanding; byte by byte, so any alignment is fine and the result does
 * not depend on the host's byte order. The caller checks the bounds: each
 * function reads or writes exactly 2, 4 or 8 bytes at `p`.
 */
#ifndef OSPOLICY_BYTE_ORDER_H
#define OSPOLICY_BYTE_ORDER_H

#include <stdint.h>

static inline uint16_t OSPolicy_LoadLe16(const unsigned char *p) {
  return (uint16_t)((unsigned)p[0] | ((unsigned)p[1] << 8));
}

static inline uint32_t OSPolicy_LoadLe32(const unsigned char *p) {
  return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static inline uint64_t OSPolicy_LoadLe64(const unsigned char *p) {
  return (uint64_t)OSPolicy_LoadLe32(p) | ((uint64_t)OSPolicy_LoadLe32(p + 4) << 32);
}

static inline void OSPolicy_StoreLe16(unsigned char *p, uint16_t value) {
  p[0] = (unsigned char)value;
  p[1] = (unsigned char)(value >> 8);
}

static inline void OSPolicy_StoreLe32(unsigned char *p, uint32_t value) {
  for (unsigned i = 0; i < 4u; i++) {
    p[i] = (unsigned char)(value >> (8u * i));
  }
}

static inline void OSPolicy_StoreLe64(unsigned char *p, uint64_t value) {
  for (unsigned i = 0; i < 8u; i++) {
    p[i] = (unsigned char)(value >> (8u * i));
  }
}

#endif /* OSPOLICY_BYTE_ORDER_H */
