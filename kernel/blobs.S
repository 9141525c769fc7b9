/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * Files the self-tests use, embedded read-only: the native payload ELF (built
 * by kernel/CMakeLists.txt from tests/payload/native_payload.c) and three
 * example manifests. The include path (-Wa,-I) says where they are.
 */
  .section .rodata.blobs, "a"

  .balign 16
  .globl kernel_payload_start, kernel_payload_end
kernel_payload_start:
  .incbin "native_payload.elf"
kernel_payload_end:

  .globl manifest_minimal_start, manifest_minimal_end
manifest_minimal_start:
  .incbin "minimal.json"
manifest_minimal_end:

  .globl manifest_duplicate_start, manifest_duplicate_end
manifest_duplicate_start:
  .incbin "reject-duplicate-member.json"
manifest_duplicate_end:

  .globl manifest_writable_start, manifest_writable_end
manifest_writable_start:
  .incbin "reject-writable-app.json"
manifest_writable_end:

  .section .note.GNU-stack, "", @progbits
