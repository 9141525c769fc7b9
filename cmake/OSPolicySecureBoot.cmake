# SPDX-License-Identifier: Apache-2.0
# Copyright (c) 2026 The ospolicy authors
#
# UEFI Secure Boot signing of the loader (docs/boot_chain.md). Included from
# src/loader/CMakeLists.txt.
#
#   OSPOLICY_SECURE_BOOT_KEY              PEM private key of a db entry
#   OSPOLICY_SECURE_BOOT_CERT             its X.509 certificate (PEM)
#   OSPOLICY_SECURE_BOOT_KEY_PASSPHRASE   passphrase of an encrypted key ("" for none)
# The defaults are Debian's OVMF test pair (package ovmf), whose certificate
# is enrolled as PK, KEK and db in OVMF_VARS_4M.snakeoil.fd: a test key,
# public to the world, for the boot tests only. An owner sets the three
# variables to the key they enrolled in their own firmware's db.
#
# ospolicy_secure_boot_sign(<image-target> <output.efi>): signs the image's
# OSPOLICY_EFI_FILE with sbsign into <output.efi> (custom target
# <image-target>_secure_boot, in ALL) and sets OSPOLICY_SIGNED_EFI_FILE on
# <image-target>. The unsigned image is never modified: reproducibility is
# judged on it (docs/boot_chain.md, "Reproducible images").
set(OSPOLICY_SECURE_BOOT_KEY "/usr/share/ovmf/PkKek-1-snakeoil.key" CACHE FILEPATH
  "PEM private key that signs BOOTX64.EFI for UEFI Secure Boot (default: Debian's OVMF test key)")
set(OSPOLICY_SECURE_BOOT_CERT "/usr/share/ovmf/PkKek-1-snakeoil.pem" CACHE FILEPATH
  "X.509 certificate (PEM) matching OSPOLICY_SECURE_BOOT_KEY")
set(OSPOLICY_SECURE_BOOT_KEY_PASSPHRASE "snakeoil" CACHE STRING
  "Passphrase of OSPOLICY_SECURE_BOOT_KEY if it is encrypted (\"\" for a plain key)")

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

# sbsign reads a plain PEM key; an encrypted one is decrypted once into the
# build folder (openssl writes it mode 0600), never into the source tree.
set(_sb_dir "${PROJECT_BINARY_DIR}/secureboot")
if(OSPOLICY_SECURE_BOOT_KEY_PASSPHRASE STREQUAL "")
  set(OSPOLICY_SECURE_BOOT_SIGNING_KEY "${OSPOLICY_SECURE_BOOT_KEY}")
elseif(NOT TARGET ospolicy_secure_boot_key)
  set(OSPOLICY_SECURE_BOOT_SIGNING_KEY "${_sb_dir}/db.key")
  add_custom_command(OUTPUT "${OSPOLICY_SECURE_BOOT_SIGNING_KEY}"
    COMMAND "${CMAKE_COMMAND}" -E make_directory "${_sb_dir}"
    COMMAND "${CMAKE_COMMAND}" -E env "OSPOLICY_SB_PASSPHRASE=${OSPOLICY_SECURE_BOOT_KEY_PASSPHRASE}"
      "${OSPOLICY_OPENSSL}" pkey -in "${OSPOLICY_SECURE_BOOT_KEY}" -passin env:OSPOLICY_SB_PASSPHRASE
      -out "${OSPOLICY_SECURE_BOOT_SIGNING_KEY}"
    DEPENDS "${OSPOLICY_SECURE_BOOT_KEY}"
    COMMENT "Decrypting the Secure Boot signing key into ${_sb_dir} (build folder only)"
    VERBATIM)
  add_custom_target(ospolicy_secure_boot_key DEPENDS "${OSPOLICY_SECURE_BOOT_SIGNING_KEY}")
endif()

function(ospolicy_secure_boot_sign target output)
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
