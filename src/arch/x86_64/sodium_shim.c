/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * What Debian's static libsodium needs from a C library, for the images
 * without one: the UEFI loader and the kernel (library ospolicy_sodium_shim).
 *
 * Real implementations for what is reached: __explicit_bzero_chk (from
 * sodium_memzero). memmove and friends come from ospolicy_freestanding_mem.
 * Everything else libsodium's objects reference but the pool never reaches
 * is a stub that names itself on COM1 and ends the VM with the failure code:
 * a stub must never spin silently or return a made-up answer.
 */
#include <stddef.h>
#include <stdint.h>

#include "com1.h"

void __explicit_bzero_chk(void *buffer, size_t length, size_t buffer_length);

void __explicit_bzero_chk(void *buffer, size_t length, size_t buffer_length) {
  if (length > buffer_length) {
    OSBaremetal_Com1WriteString("ospolicy: panic: __explicit_bzero_chk: overflow\n");
    OSBaremetal_DebugExit(OSBAREMETAL_DEBUG_EXIT_FAILURE);
  }
  volatile uint8_t *bytes = buffer;
  for (size_t i = 0; i < length; ++i) {
    bytes[i] = 0;
  }
  /* Keep the stores: the buffer held secrets. */
  __asm__ volatile("" : : "r"(buffer) : "memory");
}

__attribute__((noreturn)) static void unreachable_libc(const char *name) {
  OSBaremetal_Com1WriteString("ospolicy: panic: libsodium reached the unimplemented libc function ");
  OSBaremetal_Com1WriteString(name);
  OSBaremetal_Com1WriteString("\nTEST_SUMMARY pass=0 fail=1\n");
  OSBaremetal_DebugExit(OSBAREMETAL_DEBUG_EXIT_FAILURE);
}

#define OSPOLICY_LIBC_STUB(name)                      \
  void name(void);                                    \
  void name(void) {                                   \
    unreachable_libc(#name);                          \
  }

/* Referenced by libsodium objects the pool does not use (randombytes,
 * sodium_malloc/mlock, the mutex around sodium_init, assertions). */
OSPOLICY_LIBC_STUB(__assert_fail)
OSPOLICY_LIBC_STUB(abort)
OSPOLICY_LIBC_STUB(__errno_location)
OSPOLICY_LIBC_STUB(close)
OSPOLICY_LIBC_STUB(fcntl)
OSPOLICY_LIBC_STUB(free)
OSPOLICY_LIBC_STUB(fstat)
OSPOLICY_LIBC_STUB(getrandom)
OSPOLICY_LIBC_STUB(madvise)
OSPOLICY_LIBC_STUB(malloc)
OSPOLICY_LIBC_STUB(mlock)
OSPOLICY_LIBC_STUB(mmap)
OSPOLICY_LIBC_STUB(mprotect)
OSPOLICY_LIBC_STUB(munlock)
OSPOLICY_LIBC_STUB(munmap)
OSPOLICY_LIBC_STUB(open)
OSPOLICY_LIBC_STUB(poll)
OSPOLICY_LIBC_STUB(pthread_mutex_lock)
OSPOLICY_LIBC_STUB(pthread_mutex_unlock)
OSPOLICY_LIBC_STUB(raise)
OSPOLICY_LIBC_STUB(read)
OSPOLICY_LIBC_STUB(sysconf)
