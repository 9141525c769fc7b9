/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * The Linux x86-64 syscall table handed to the profile compiler: libseccomp's
 * own database, read at build time by gen_syscall_table.c, so the names a
 * manifest uses and the numbers the filter tests come from one source.
 * (tests/live/test_sandbox.c checks it against the libseccomp in use.)
 */
#include "sandbox_linux.h"

static const OSPolicy_SyscallName linux_x86_64_syscalls[] = {
#include "linux_x86_64_syscalls.inc"
};

const OSPolicy_SyscallTable sandbox_linux_syscalls = {
    linux_x86_64_syscalls, sizeof linux_x86_64_syscalls / sizeof linux_x86_64_syscalls[0]};
