# SPDX-License-Identifier: Apache-2.0
# Copyright (c) 2026 The ospolicy authors
#
# What the build does with kernel.elf once it is linked (docs/uefi.md,
# docs/modsign.md "Build-time signing"); included from cmake/OSPolicyUefi.cmake
# after kernel/ and src/loader/, in the top-level directory.
#
#   kernel.elf.sig        next to kernel.elf: kind kernel, name "kernel",
#                         generation OSPOLICY_KERNEL_GENERATION
#                         (${OSPOLICY_KERNEL_SIGNATURE}), signed with the
#                         *test* key: kernel.elf is a test image (hostile
#                         agents, the KASLR slide printed), which only test
#                         loaders may boot. kernel/CMakeLists.txt signs its
#                         other images itself (release with the build key,
#                         smash and badslide with the test key).
#   refuse/*.sig          tests only (tests/boot, boot.refuse_*): envelopes the
#                         loader must refuse, in <build>/modsign/refuse/
#                           kernel.elf.rogue.sig           a key outside the trust set
#                           kernel.elf.revoked.sig         the revoked key
#                           kernel.elf.old-generation.sig  the test key, one generation
#                                                          below the floor
#   sbom/kernel.spdx.json the SPDX SBOM of kernel.elf (BOOTX64.EFI's is made in
#                         src/loader/); sbom.images validates both.
include(OSPolicySbom)

# Signs a kernel image target with KEY (build or test): <image>.sig next to it
# (kind kernel, name "kernel": what the loader asks for), custom target
# <target>_signature; the path goes to <out_var>.
function(ospolicy_sign_kernel_image target key out_var)
  get_target_property(dir ${target} RUNTIME_OUTPUT_DIRECTORY)
  if(NOT dir)
    get_target_property(dir ${target} BINARY_DIR)
  endif()
  get_target_property(name ${target} OUTPUT_NAME)
  if(NOT name)
    set(name ${target})
  endif()
  ospolicy_sign_object(${target}_signature TARGET ${target} OUTPUT "${dir}/${name}.sig"
    KIND kernel NAME kernel GENERATION ${OSPOLICY_KERNEL_GENERATION} KEY ${key})
  set(${out_var} "${dir}/${name}.sig" PARENT_SCOPE)
endfunction()

ospolicy_sign_kernel_image(ospolicy_kernel test OSPOLICY_KERNEL_SIGNATURE)

if(OSPOLICY_BUILD_TESTS)
  set(_refuse "${OSPOLICY_SIGNING_DIR}/refuse")
  set(OSPOLICY_KERNEL_SIGNATURE_ROGUE "${_refuse}/kernel.elf.rogue.sig")
  set(OSPOLICY_KERNEL_SIGNATURE_REVOKED "${_refuse}/kernel.elf.revoked.sig")
  set(OSPOLICY_KERNEL_SIGNATURE_OLD_GENERATION "${_refuse}/kernel.elf.old-generation.sig")
  file(MAKE_DIRECTORY "${_refuse}")
  ospolicy_sign_object(ospolicy_kernel_signature_rogue TARGET ospolicy_kernel
    OUTPUT "${OSPOLICY_KERNEL_SIGNATURE_ROGUE}" KEY rogue
    KIND kernel NAME kernel GENERATION ${OSPOLICY_KERNEL_GENERATION})
  ospolicy_sign_object(ospolicy_kernel_signature_revoked TARGET ospolicy_kernel
    OUTPUT "${OSPOLICY_KERNEL_SIGNATURE_REVOKED}" KEY revoked
    KIND kernel NAME kernel GENERATION ${OSPOLICY_KERNEL_GENERATION})
  math(EXPR _old_generation "${OSPOLICY_KERNEL_GENERATION} - 1")
  ospolicy_sign_object(ospolicy_kernel_signature_old_generation TARGET ospolicy_kernel
    OUTPUT "${OSPOLICY_KERNEL_SIGNATURE_OLD_GENERATION}" KEY test
    KIND kernel NAME kernel GENERATION ${_old_generation})
endif()

# kernel.elf's SBOM. libsodium is listed only if the kernel links it (through
# OSPolicy::crypto or the archive): decided at the end of the configuration,
# before the SBOM command is made, so the kernel's own CMakeLists decides.
function(_ospolicy_kernel_sbom_packages)
  set(targets "")
  _ospolicy_sbom_walk(ospolicy_kernel targets)
  set(sodium OFF)
  foreach(t IN LISTS targets)
    if(t STREQUAL "ospolicy_crypto")
      set(sodium ON)
    endif()
    foreach(property LINK_LIBRARIES INTERFACE_LINK_LIBRARIES LINK_OPTIONS)
      get_target_property(value ${t} ${property})
      if(value MATCHES "libsodium|PkgConfig::SODIUM")
        set(sodium ON)
      endif()
    endforeach()
  endforeach()
  if(sodium)
    set_property(GLOBAL PROPERTY OSPOLICY_SBOM_ospolicy_kernel_PACKAGES "libsodium-dev=static")
  endif()
endfunction()
cmake_language(EVAL CODE
  "cmake_language(DEFER DIRECTORY [[${PROJECT_SOURCE_DIR}]] CALL _ospolicy_kernel_sbom_packages)")
set(OSPOLICY_KERNEL_SBOM "${PROJECT_BINARY_DIR}/sbom/kernel.spdx.json")
set(OSPOLICY_LOADER_SBOM "${PROJECT_BINARY_DIR}/sbom/BOOTX64.spdx.json") # src/loader/CMakeLists.txt
ospolicy_add_sbom(ospolicy_kernel OUTPUT "${OSPOLICY_KERNEL_SBOM}" NAME kernel.elf
  PURPOSE OPERATING-SYSTEM NO_DETECT_DYNAMIC)

if(OSPOLICY_BUILD_TESTS)
  get_target_property(_loader_efi ospolicy_uefi_loader OSPOLICY_EFI_FILE)
  set(_check "${PROJECT_SOURCE_DIR}/tests/build/sbom_check.py")
  add_test(NAME sbom.images
    COMMAND sh -c "\"$0\" \"$1\" --sbom \"$2\" --source-root \"$3\" --artifact \"$4\" \
--expect-file src/loader/loader_main.c --expect-file src/loader/loader_signature.c \
--expect-file src/policy/modsign.c --expect-file include/ospolicy/modsign.h \
--expect-package gnu-efi --expect-package libsodium-dev && \
\"$0\" \"$1\" --sbom \"$5\" --source-root \"$3\" --artifact \"$6\" \
--expect-file kernel/kernel_main.c --expect-file src/arch/x86_64/com1.c"
      "${Python3_EXECUTABLE}" "${_check}" "${OSPOLICY_LOADER_SBOM}" "${PROJECT_SOURCE_DIR}" "${_loader_efi}"
      "${OSPOLICY_KERNEL_SBOM}" "$<TARGET_FILE:ospolicy_kernel>")
  set_tests_properties(sbom.images PROPERTIES LABELS build)
endif()
