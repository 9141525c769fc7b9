/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * The test payload for the native payload loader (tests/live/
 * test_native_payload_load.c and the native_payload fuzz corpus).
 *
 * Built by cmake/OSPolicyTestsExtra.cmake as a freestanding static-pie image
 * with separate code, so it has PT_LOAD segments R, RX, R, RW, a PT_GNU_RELRO
 * over the pointer tables, and R_X86_64_RELATIVE relocations for every
 * pointer in them. Its entry point computes its result only through those
 * pointers: run unrelocated, it jumps to or reads from a link-time address
 * and faults; relocated, it returns payload_expected(x) from the live test.
 *
 * No libc, no stack protector, no TLS, no PT_INTERP, no executable stack.
 */
typedef long (*payload_op)(long, long);

static long op_add(long a, long b) {
  return a + b;
}

static long op_mul(long a, long b) {
  return a * b;
}

static long op_sub(long a, long b) {
  return a - b;
}

/* .rodata (read-only segment after the code). */
const long payload_values[3] = {7, 11, 13};

/* Pointer tables: absolute addresses, one R_X86_64_RELATIVE each. Being
 * const, they land in .data.rel.ro, i.e. inside PT_GNU_RELRO. */
payload_op const payload_ops[3] = {op_add, op_mul, op_sub};
const long *const payload_value_ptrs[3] = {&payload_values[2], &payload_values[0],
                                           &payload_values[1]};

/* .data: stays writable; the pointer to it is relocated as well. */
long payload_calls = 0;
long *payload_calls_ptr = &payload_calls;

/* The index is read through a volatile so the compiler cannot fold the table
 * loads into direct calls: the result really depends on relocated data. */
static volatile unsigned payload_index_base = 0;

long payload_entry(long x);
long payload_entry(long x) {
  long acc = x;
  for (unsigned i = 0; i < 3u; i++) {
    unsigned slot = payload_index_base + i;
    acc = payload_ops[slot](acc, *payload_value_ptrs[slot]);
  }
  *payload_calls_ptr += 1;
  return acc * 100 + *payload_calls_ptr;
}
