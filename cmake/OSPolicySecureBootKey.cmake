# SPDX-License-Identifier: Apache-2.0
# Copyright (c) 2026 The ospolicy authors
#
# cmake -DKEY=<encrypted.pem> -DOUT=<plain.pem> [-DPASSFILE=<file>] -P OSPolicySecureBootKey.cmake
# Decrypts the Secure Boot signing key for sbsign (cmake/OSPolicySecureBoot.cmake),
# at build time. The passphrase never passes through a command line (`ps`
# shows those) nor the CMake cache: openssl reads it from PASSFILE
# (-passin file:), else from the environment variable
# OSPOLICY_SECURE_BOOT_KEY_PASSPHRASE (-passin env:). Debian's OVMF test key
# needs neither: its passphrase is published with it ("snakeoil").
foreach(required KEY OUT OPENSSL)
  if(NOT DEFINED ${required})
    message(FATAL_ERROR "OSPolicySecureBootKey.cmake: -D${required}=... is required")
  endif()
endforeach()
set(var OSPOLICY_SECURE_BOOT_KEY_PASSPHRASE)
if(PASSFILE)
  set(passin "file:${PASSFILE}")
  set(source "the file ${PASSFILE} (OSPOLICY_SECURE_BOOT_KEY_PASSPHRASE_FILE)")
elseif(DEFINED ENV{${var}})
  set(passin "env:${var}")
  set(source "the environment variable ${var}")
elseif(KEY STREQUAL "/usr/share/ovmf/PkKek-1-snakeoil.key")
  set(ENV{${var}} "snakeoil") # a public test key's published passphrase
  set(passin "env:${var}")
  set(source "Debian's published test passphrase")
else()
  message(FATAL_ERROR "Secure Boot signing: the key ${KEY} is encrypted and no passphrase was given: "
    "set ${var} in the environment of the build (cmake --build), or configure with "
    "-DOSPOLICY_SECURE_BOOT_KEY_PASSPHRASE_FILE=<file holding it>")
endif()
file(REMOVE "${OUT}")
execute_process(COMMAND "${OPENSSL}" pkey -in "${KEY}" -passin "${passin}" -out "${OUT}"
  RESULT_VARIABLE result ERROR_VARIABLE error)
if(NOT result EQUAL 0)
  file(REMOVE "${OUT}")
  message(FATAL_ERROR "Secure Boot signing: openssl could not decrypt ${KEY} with the passphrase from "
    "${source} (exit ${result}): ${error}")
endif()
file(CHMOD "${OUT}" PERMISSIONS OWNER_READ OWNER_WRITE)
