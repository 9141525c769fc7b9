/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * The default __stack_chk_fail of ospolicy_sodium_shim, in its own object so
 * that an image with its own (the kernel's, which panics through its PAL)
 * never pulls this one out of the archive. The libsodium archive is built
 * with -fstack-protector: a smashed canary in its code lands here.
 */
#include "com1.h"

__attribute__((noreturn)) void __stack_chk_fail(void);
void __stack_chk_fail(void) {
  OSBaremetal_Com1WriteString("ospolicy: panic: stack protector: canary smashed in libsodium code\n"
                              "TEST_SUMMARY pass=0 fail=1\n");
  OSBaremetal_DebugExit(OSBAREMETAL_DEBUG_EXIT_FAILURE);
}
