# SPDX-License-Identifier: Apache-2.0
# Copyright (c) 2026 The ospolicy authors
#
# UEFI Secure Boot signing of the loader (docs/boot_chain.md). Included from
# src/loader/CMakeLists.txt.
#
#   OSPOLICY_SECURE_BOOT_KEY              PEM private key of a db entry
#   OSPOLICY_SECURE_BOOT_CERT             its X.509 certificate (PEM)
#   OSPOLICY_SECURE_BOOT_KEY_PASSPHRASE_FILE  optional: a file holding the
#                                         passphrase of an encrypted key
# The passphrase itself is never a cache variable (CMakeCache.txt is
# readable) nor a command-line argument (`ps`): for an encrypted key it is
# read at build time from that file, else from the environment variable
# OSPOLICY_SECURE_BOOT_KEY_PASSPHRASE of `cmake --build`
# (cmake/OSPolicySecureBootKey.cmake).
# The defaults are Debian's OVMF test pair (package ovmf), whose certificate
# is enrolled as PK, KEK and db in OVMF_VARS_4M.snakeoil.fd: a test key,
# public to the world (its passphrase, "snakeoil", too), for the boot tests
# only. An owner sets the variables to the key they enrolled in their own
# firmware's db.
#
# ospolicy_secure_boot_sign(<image-target> <output.efi>): signs the image's
# OSPOLICY_EFI_FILE with sbsign into <output.efi> (custom target
# <image-target>_secure_boot, in ALL) and sets OSPOLICY_SIGNED_EFI_FILE on
# <image-target>. Only release-flavoured loaders are signed: a loader with
# test hooks must never be bootable by a firmware that trusts this db key
# (refused at configure time here). The unsigned image is never modified:
# reproducibility is judged on it (docs/boot_chain.md, "Reproducible images").
set(OSPOLICY_SECURE_BOOT_KEY "/usr/share/ovmf/PkKek-1-snakeoil.key" CACHE FILEPATH
  "PEM private key that signs BOOTX64.EFI for UEFI Secure Boot (default: Debian's OVMF test key)")
set(OSPOLICY_SECURE_BOOT_CERT "/usr/share/ovmf/PkKek-1-snakeoil.pem" CACHE FILEPATH
  "X.509 certificate (PEM) matching OSPOLICY_SECURE_BOOT_KEY")
set(OSPOLICY_SECURE_BOOT_KEY_PASSPHRASE_FILE "" CACHE FILEPATH
  "File holding the passphrase of an encrypted OSPOLICY_SECURE_BOOT_KEY (else the build reads the environment variable OSPOLICY_SECURE_BOOT_KEY_PASSPHRASE)")
# It used to be a cache variable: drop a value left in an old cache (or
# given with -D) so that it is not kept in CMakeCache.txt.
if(DEFINED CACHE{OSPOLICY_SECURE_BOOT_KEY_PASSPHRASE})
  unset(OSPOLICY_SECURE_BOOT_KEY_PASSPHRASE CACHE)
  message(WARNING "OSPOLICY_SECURE_BOOT_KEY_PASSPHRASE is not a cache variable any more and was removed "
    "from CMakeCache.txt: set it in the environment of `cmake --build`, or name a file holding it with "
    "-DOSPOLICY_SECURE_BOOT_KEY_PASSPHRASE_FILE=<file> (docs/boot_chain.md)")
endif()

find_program(OSPOLICY_SBSIGN sbsign)
find_program(OSPOLICY_OPENSSL openssl)
foreach(required OSPOLICY_SBSIGN OSPOLICY_OPENSSL)
  if(NOT ${required})
    message(FATAL_ERROR "Secure Boot signing: ${required} not found: run scripts/deps.sh "
      "(Debian packages sbsigntool, openssl), or configure with -DOSPOLICY_BUILD_UEFI=OFF")
  endif()
endforeach()
foreach(file OSPOLICY_SECURE_BOOT_KEY OSPOLICY_SECURE_BOOT_CERT)
  if(NOT EXISTS "${${file}}")
    message(FATAL_ERROR "Secure Boot signing: ${file} '${${file}}' does not exist "
      "(the default needs the Debian package ovmf)")
  endif()
endforeach()

# sbsign reads a plain PEM key; an encrypted one (a PEM "ENCRYPTED" header)
# is decrypted once into the build folder (mode 0600), never into the source
# tree, by a script that takes the passphrase from a file or the environment.
set(_sb_dir "${PROJECT_BINARY_DIR}/secureboot")
file(STRINGS "${OSPOLICY_SECURE_BOOT_KEY}" _sb_encrypted REGEX "ENCRYPTED" LIMIT_COUNT 1)
if(NOT _sb_encrypted)
  set(OSPOLICY_SECURE_BOOT_SIGNING_KEY "${OSPOLICY_SECURE_BOOT_KEY}")
elseif(NOT TARGET ospolicy_secure_boot_key)
  set(OSPOLICY_SECURE_BOOT_SIGNING_KEY "${_sb_dir}/db.key")
  set(_sb_passfile_depends "")
  if(OSPOLICY_SECURE_BOOT_KEY_PASSPHRASE_FILE)
    set(_sb_passfile_depends "${OSPOLICY_SECURE_BOOT_KEY_PASSPHRASE_FILE}")
  endif()
  add_custom_command(OUTPUT "${OSPOLICY_SECURE_BOOT_SIGNING_KEY}"
    COMMAND "${CMAKE_COMMAND}" -E make_directory "${_sb_dir}"
    COMMAND "${CMAKE_COMMAND}" "-DKEY=${OSPOLICY_SECURE_BOOT_KEY}" "-DOUT=${OSPOLICY_SECURE_BOOT_SIGNING_KEY}"
      "-DPASSFILE=${OSPOLICY_SECURE_BOOT_KEY_PASSPHRASE_FILE}" "-DOPENSSL=${OSPOLICY_OPENSSL}"
      -P "${PROJECT_SOURCE_DIR}/cmake/OSPolicySecureBootKey.cmake"
    DEPENDS "${OSPOLICY_SECURE_BOOT_KEY}" "${PROJECT_SOURCE_DIR}/cmake/OSPolicySecureBootKey.cmake"
      ${_sb_passfile_depends}
    COMMENT "Decrypting the Secure Boot signing key into ${_sb_dir} (build folder only)"
    VERBATIM)
  add_custom_target(ospolicy_secure_boot_key DEPENDS "${OSPOLICY_SECURE_BOOT_SIGNING_KEY}")
endif()

function(ospolicy_secure_boot_sign target output)
  get_target_property(flavour ${target} OSPOLICY_LOADER_FLAVOUR)
  if(NOT flavour STREQUAL "release")
    message(FATAL_ERROR "ospolicy_secure_boot_sign(${target}): a ${flavour} loader is never signed "
      "with the Secure Boot db key: a firmware that trusts the release loader must not boot one "
      "(docs/boot_chain.md, \"UEFI Secure Boot\")")
  endif()
  get_target_property(efi ${target} OSPOLICY_EFI_FILE)
  get_filename_component(dir "${output}" DIRECTORY)
  set(key_depends "${OSPOLICY_SECURE_BOOT_SIGNING_KEY}")
  add_custom_command(OUTPUT "${output}"
    COMMAND "${CMAKE_COMMAND}" -E make_directory "${dir}"
    COMMAND "${OSPOLICY_SBSIGN}" --key "${OSPOLICY_SECURE_BOOT_SIGNING_KEY}" --cert "${OSPOLICY_SECURE_BOOT_CERT}"
      --output "${output}" "${efi}"
    DEPENDS ${target} "${efi}" ${key_depends} "${OSPOLICY_SECURE_BOOT_CERT}"
    COMMENT "Signing ${efi} for UEFI Secure Boot (sbsign): ${output}"
    VERBATIM)
  add_custom_target(${target}_secure_boot ALL DEPENDS "${output}")
  set_target_properties(${target} PROPERTIES OSPOLICY_SIGNED_EFI_FILE "${output}")
endfunction()
