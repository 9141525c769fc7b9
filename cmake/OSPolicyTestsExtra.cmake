# SPDX-License-Identifier: Apache-2.0
# Copyright (c) 2026 The ospolicy authors
#
# Included (optionally) at the end of tests/CMakeLists.txt, in its scope.
#
# The native payload test image: tests/payload/native_payload.c built as a
# tiny freestanding static-pie ELF (PT_LOADs R, RX, R, RW; PT_GNU_RELRO;
# R_X86_64_RELATIVE relocations; no PT_INTERP, no RWX, no executable stack).
# It is compiled by a custom command with an explicit flag set instead of an
# add_executable target, so that project-wide options (the sanitizers of
# OSPOLICY_SANITIZE, -fpie defaults, warnings) never leak into the payload:
# the loader test needs exactly this layout. live.native_payload_load loads it;
# tests/fuzz/corpus/native_payload/ holds a committed copy.
if(CMAKE_SYSTEM_NAME STREQUAL "Linux" AND CMAKE_SYSTEM_PROCESSOR MATCHES "^(x86_64|AMD64|amd64)$")
  set(OSPOLICY_NATIVE_PAYLOAD_SOURCE "${CMAKE_CURRENT_SOURCE_DIR}/payload/native_payload.c")
  set(OSPOLICY_NATIVE_PAYLOAD_ELF "${CMAKE_CURRENT_BINARY_DIR}/payload/native_payload.elf")
  set(OSPOLICY_NATIVE_PAYLOAD_FLAGS
    -O2 -fpie -ffreestanding -fno-builtin -nostdlib -static-pie
    -fno-stack-protector -fcf-protection=none -mno-red-zone -fno-plt
    -Wl,-z,separate-code -Wl,-z,noexecstack -Wl,-z,relro -Wl,-z,text
    -Wl,-z,max-page-size=4096 -Wl,--build-id=none -Wl,--hash-style=gnu
    -Wl,-e,payload_entry)
  add_custom_command(
    OUTPUT "${OSPOLICY_NATIVE_PAYLOAD_ELF}"
    COMMAND "${CMAKE_COMMAND}" -E make_directory "${CMAKE_CURRENT_BINARY_DIR}/payload"
    COMMAND "${CMAKE_C_COMPILER}" ${OSPOLICY_NATIVE_PAYLOAD_FLAGS}
            -o "${OSPOLICY_NATIVE_PAYLOAD_ELF}" "${OSPOLICY_NATIVE_PAYLOAD_SOURCE}"
    DEPENDS "${OSPOLICY_NATIVE_PAYLOAD_SOURCE}"
    COMMENT "Building the native payload test image (static-pie)"
    VERBATIM)
  add_custom_target(ospolicy_test_native_payload ALL DEPENDS "${OSPOLICY_NATIVE_PAYLOAD_ELF}")
  if(TARGET ospolicy_live_tests)
    add_dependencies(ospolicy_live_tests ospolicy_test_native_payload)
    target_compile_definitions(ospolicy_live_tests PRIVATE
      OSPOLICY_NATIVE_PAYLOAD_PATH="${OSPOLICY_NATIVE_PAYLOAD_ELF}")
  endif()
endif()
