# SPDX-License-Identifier: Apache-2.0
# Copyright (c) 2026 The ospolicy authors
#
# The UEFI path: BOOTX64.EFI (gnu-efi), kernel.elf, EMPTY.EFI and
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

# BOOTX64.EFI and EMPTY.EFI are gnu-efi images (crt0, elf_x86_64_efi.lds and
# libgnuefi's self-relocation; libefi is not used).
#
# How one core build links into a gnu-efi image: gnu-efi links a shared
# object (-shared -Bsymbolic) and converts it to PE. The core and the other
# archives are compiled once, -fpie, for the kernel and the host as well.
# -fpie code addresses its own data PC-relative, which a shared object
# allows only for symbols that bind locally; -Bsymbolic makes every defined
# symbol bind locally, so the -fpie objects link as they are and their
# absolute pointers become R_X86_64_RELATIVE entries that gnu-efi's
# _relocate applies at start-up. --no-undefined turns a missing symbol into
# a link error instead of a dynamic import that would crash in firmware.
set(OSPOLICY_UEFI_FLAGS
  -ffreestanding -fno-builtin -fpic -fshort-wchar -mno-red-zone -mgeneral-regs-only
  -fno-stack-protector -fno-asynchronous-unwind-tables -DGNU_EFI_USE_MS_ABI)

# ospolicy_uefi_objects(<target> <sources...>): an object library compiled for
# UEFI (gnu-efi headers, the current folder on the include path). Link the
# libraries whose headers it uses with target_link_libraries; the archives
# themselves are linked by ospolicy_uefi_image.
function(ospolicy_uefi_objects target)
  add_library(${target} OBJECT ${ARGN})
  target_compile_options(${target} PRIVATE ${OSPOLICY_UEFI_FLAGS})
  target_include_directories(${target} SYSTEM PUBLIC
    ${OSPOLICY_GNU_EFI_INCLUDE_DIR} ${OSPOLICY_GNU_EFI_INCLUDE_DIR}/x86_64)
  target_include_directories(${target} PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
  target_link_libraries(${target} PRIVATE ospolicy_core)
  ospolicy_target_warnings(${target})
endfunction()

# ospolicy_uefi_image(<target> <output.efi> OBJECTS <object-libs...> ARCHIVES <targets...> [EXTRA <files...>])
function(ospolicy_uefi_image target output)
  cmake_parse_arguments(IMAGE "" "" "OBJECTS;ARCHIVES;EXTRA" ${ARGN})
  set(archives "")
  foreach(archive IN LISTS IMAGE_ARCHIVES)
    list(APPEND archives $<TARGET_FILE:${archive}>)
  endforeach()
  set(objects "")
  foreach(object_library IN LISTS IMAGE_OBJECTS)
    list(APPEND objects $<TARGET_OBJECTS:${object_library}>)
  endforeach()
  set(so "${CMAKE_CURRENT_BINARY_DIR}/${target}.so")
  set(efi "${CMAKE_CURRENT_BINARY_DIR}/${output}")
  add_custom_command(OUTPUT ${efi}
    COMMAND ${CMAKE_LINKER} -nostdlib -znocombreloc -T ${OSPOLICY_GNU_EFI_LDS} -shared -Bsymbolic
      --no-undefined --fatal-warnings -o ${so}
      ${OSPOLICY_GNU_EFI_CRT0} ${objects}
      --start-group ${archives} ${IMAGE_EXTRA} --end-group ${OSPOLICY_GNU_EFI_LIB}
    COMMAND ${CMAKE_OBJCOPY} -j .text -j .sdata -j .data -j .dynamic -j .dynsym -j .rel -j .rela
      -j .reloc --target efi-app-x86_64 --subsystem=10 ${so} ${efi}
    DEPENDS ${IMAGE_OBJECTS} ${objects} ${IMAGE_ARCHIVES} ${IMAGE_EXTRA}
      ${OSPOLICY_GNU_EFI_CRT0} ${OSPOLICY_GNU_EFI_LDS}
    COMMAND_EXPAND_LISTS
    COMMENT "Linking UEFI image ${output}")
  add_custom_target(${target} ALL DEPENDS ${efi})
  set_target_properties(${target} PROPERTIES OSPOLICY_EFI_FILE ${efi})
endfunction()

enable_language(ASM) # entry.S, loader_trampoline.S
include(OSPolicySigning) # build keys (<build>/modsign/), trust set, ospolicy_sign_object()
add_subdirectory(${PROJECT_SOURCE_DIR}/kernel ${PROJECT_BINARY_DIR}/kernel)
add_subdirectory(${PROJECT_SOURCE_DIR}/src/pal/uefi ${PROJECT_BINARY_DIR}/src/pal/uefi)
add_subdirectory(${PROJECT_SOURCE_DIR}/src/loader ${PROJECT_BINARY_DIR}/src/loader)
include(OSPolicyKernelImage) # kernel.elf.sig, the refusal-test envelopes, kernel.elf's SBOM

if(OSPOLICY_BUILD_TESTS)
  add_subdirectory(${PROJECT_SOURCE_DIR}/tests/boot ${PROJECT_BINARY_DIR}/tests/boot)
endif()
