# SPDX-License-Identifier: Apache-2.0
# Copyright (c) 2026 The ospolicy authors
#
# The UEFI path (issue 4): BOOTX64.EFI (gnu-efi), kernel.elf, EMPTY.EFI and
# the QEMU boot tests. Included from the top-level CMakeLists.txt.
#
# OSPOLICY_BUILD_UEFI is ON by default. It is switched off, with a message,
# only where it cannot work: the sanitizer and fuzz configurations instrument
# the freestanding core with a hosted runtime that no firmware image can link.
# Anywhere else a missing tool is a configuration error, not a silent skip.
option(OSPOLICY_BUILD_UEFI "Build the UEFI loader, kernel.elf and the QEMU boot tests" ON)

if(OSPOLICY_BUILD_UEFI AND OSPOLICY_SANITIZE)
  message(STATUS "ospolicy: OSPOLICY_BUILD_UEFI is OFF in this configuration: the "
    "sanitizer/fuzz instrumentation of the core needs a hosted runtime that the UEFI "
    "loader and the kernel cannot link. The default preset builds and boots them.")
  set(OSPOLICY_BUILD_UEFI OFF)
endif()
if(NOT OSPOLICY_BUILD_UEFI)
  return()
endif()

if(NOT CMAKE_SYSTEM_PROCESSOR MATCHES "^(x86_64|AMD64|amd64)$" OR NOT CMAKE_C_COMPILER_ID STREQUAL "GNU")
  message(FATAL_ERROR "OSPOLICY_BUILD_UEFI needs an x86-64 GCC toolchain "
    "(found ${CMAKE_C_COMPILER_ID} on ${CMAKE_SYSTEM_PROCESSOR}); configure with -DOSPOLICY_BUILD_UEFI=OFF to skip it")
endif()

set(OSPOLICY_DEPS_HINT "run scripts/deps.sh (Debian packages gnu-efi, ovmf, qemu-system-x86, libsodium-dev), or configure with -DOSPOLICY_BUILD_UEFI=OFF")
find_path(OSPOLICY_GNU_EFI_INCLUDE_DIR efi.h PATH_SUFFIXES efi)
find_file(OSPOLICY_GNU_EFI_CRT0 crt0-efi-x86_64.o PATHS /usr/lib /usr/lib64 /usr/lib/gnuefi)
find_file(OSPOLICY_GNU_EFI_LDS elf_x86_64_efi.lds PATHS /usr/lib /usr/lib64 /usr/lib/gnuefi)
find_library(OSPOLICY_GNU_EFI_LIB gnuefi PATHS /usr/lib /usr/lib64)
find_library(OSPOLICY_SODIUM_STATIC NAMES libsodium.a)
foreach(required OSPOLICY_GNU_EFI_INCLUDE_DIR OSPOLICY_GNU_EFI_CRT0 OSPOLICY_GNU_EFI_LDS
    OSPOLICY_GNU_EFI_LIB OSPOLICY_SODIUM_STATIC)
  if(NOT ${required})
    message(FATAL_ERROR "OSPOLICY_BUILD_UEFI: ${required} not found: ${OSPOLICY_DEPS_HINT}")
  endif()
endforeach()
if(NOT CMAKE_OBJCOPY)
  message(FATAL_ERROR "OSPOLICY_BUILD_UEFI: objcopy not found (binutils)")
endif()

enable_language(ASM) # entry.S, loader_trampoline.S
include(OSPolicySigning) # build keys (<build>/modsign/), trust set, ospolicy_sign_object()
add_subdirectory(${PROJECT_SOURCE_DIR}/kernel ${PROJECT_BINARY_DIR}/kernel)
add_subdirectory(${PROJECT_SOURCE_DIR}/src/pal/uefi ${PROJECT_BINARY_DIR}/src/pal/uefi)
include(OSPolicyKernelImage) # kernel.elf.sig, the refusal-test envelopes, kernel.elf's SBOM

if(OSPOLICY_BUILD_TESTS)
  add_subdirectory(${PROJECT_SOURCE_DIR}/tests/boot ${PROJECT_BINARY_DIR}/tests/boot)
endif()
