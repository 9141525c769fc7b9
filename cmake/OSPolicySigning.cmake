# SPDX-License-Identifier: Apache-2.0
# Copyright (c) 2026 The ospolicy authors
#
# Build-time signing of boot objects (docs/modsign.md, "Build-time signing").
# Included from cmake/OSPolicyUefi.cmake before kernel/ and src/loader/, in
# the top-level directory. Everything is done with the project's own CLI
# (`ospolicy keygen`, `ospolicy trust`, `ospolicy sign`), at build time.
#
# Keys live in ${OSPOLICY_SIGNING_DIR} (<build>/modsign/) and nowhere else:
# they are generated there, per build directory, the first time the build
# needs them (`ninja clean` or deleting the folder makes new ones), and are
# never written to the source tree. The secret keys are mode 0600.
#   build.sec / build.pub      the build key: trusted by every loader, signs
#                              kernel-release.elf and what the kernels embed
#                              (modules, agents, the MAC policy)
#   test.sec / test.pub        the test-image key: signs the test kernels
#                              (kernel.elf, kernel-smash.elf, kernel-badslide.elf,
#                              kernel-oversized.elf); only test loaders trust it
#   rogue.sec / rogue.pub      tests only: a key no trust set ever saw
#   revoked.sec / revoked.pub  tests only: a key the test trust set lists,
#                              revoked (a rotated-out key)
#
# Two trust sets, built with `ospolicy trust` (enforcement on, one generation
# floor per ospolicy_signing_floor() call; kernel/kernel >=
# OSPOLICY_KERNEL_GENERATION is always there):
#   ${OSPOLICY_TRUST_SET} (modsign/trust.bin): the build key only. The
#       release loaders and every kernel embed it, so a release loader
#       refuses a test kernel (denied-modsign-unknown-key), whatever else the
#       build folder holds.
#   ${OSPOLICY_TEST_TRUST_SET} (modsign/trust-test.bin): the build key, the
#       test key and (tests only) the revoked key. Only test loaders (the
#       debug flavour, release-weak-seed-ok) embed it.
#
# Functions:
#   ospolicy_signing_floor(KIND <kind> NAME <name> GENERATION <n>)
#       adds a floor to the trust set (any directory, any time before the
#       end of the configuration: the trust-set command is made last).
#   ospolicy_sign_object(<custom-target> (TARGET <target> | OBJECT <file>)
#                        OUTPUT <envelope> KIND <kind> NAME <name>
#                        GENERATION <n> [KEY build|test|rogue|revoked])
#       signs the object (re-signs whenever it or the key changes) and adds
#       <custom-target> (in ALL) producing <envelope>. Usable from any
#       directory; KEY defaults to the build key. A test image is signed
#       with KEY test, never build: that is what keeps release loaders
#       from booting it.
#   ospolicy_embed_blob(<target> FILE <file> SYMBOL <c-identifier>
#                       [DEPENDS_TARGET <target-producing-file>]
#                       [TAMPER_MIDDLE_BYTE] [TRUNCATE_BY <n>] [SOURCE_NAME <name>])
#       compiles <file> into <target> as
#         const uint8_t SYMBOL[]; const size_t SYMBOL_size;
#       (a generated C file, <name>.c, by default SYMBOL.c; the target is
#       rebuilt when the file changes).
#       Tests only: TAMPER_MIDDLE_BYTE embeds the file with its middle byte
#       inverted, TRUNCATE_BY without its last n bytes (the kernel's refused
#       modules: the file as signed, damaged after signing).
#
# Needs the host CLI (OSPOLICY_BUILD_CLI): it is the signing tool.
if(NOT TARGET ospolicy_cli)
  message(FATAL_ERROR "OSPOLICY_BUILD_UEFI signs kernel.elf at build time with the ospolicy "
    "CLI: configure with -DOSPOLICY_BUILD_CLI=ON (or -DOSPOLICY_BUILD_UEFI=OFF)")
endif()

set(OSPOLICY_KERNEL_GENERATION 1 CACHE STRING
  "Generation kernel.elf is signed with; also the trust set's floor for kernel/kernel (>= 1)")
if(NOT OSPOLICY_KERNEL_GENERATION MATCHES "^[1-9][0-9]*$")
  message(FATAL_ERROR "OSPOLICY_KERNEL_GENERATION must be a whole number >= 1 "
    "(boot.refuse_generation signs with one less), not '${OSPOLICY_KERNEL_GENERATION}'")
endif()

set(OSPOLICY_SIGNING_DIR "${PROJECT_BINARY_DIR}/modsign")
set(OSPOLICY_TRUST_SET "${OSPOLICY_SIGNING_DIR}/trust.bin")
set(OSPOLICY_TEST_TRUST_SET "${OSPOLICY_SIGNING_DIR}/trust-test.bin")
set(_OSPOLICY_SIGNING_MODULE_DIR "${CMAKE_CURRENT_LIST_DIR}")
set_property(GLOBAL PROPERTY OSPOLICY_SIGNING_DIR "${OSPOLICY_SIGNING_DIR}")

# One key pair. keygen runs only when a file of the pair is missing (no file
# dependencies; the CLI is a target-level dependency), so a build directory
# keeps its key; --force replaces a half-present pair as a whole.
set(_ospolicy_key_files "")
# The test key exists in every build: kernel.elf, a test image, always does.
set(_ospolicy_key_names build test)
if(OSPOLICY_BUILD_TESTS)
  list(APPEND _ospolicy_key_names rogue revoked)
endif()
foreach(key IN LISTS _ospolicy_key_names)
  set(sec "${OSPOLICY_SIGNING_DIR}/${key}.sec")
  set(pub "${OSPOLICY_SIGNING_DIR}/${key}.pub")
  add_custom_command(OUTPUT "${sec}" "${pub}"
    COMMAND "${CMAKE_COMMAND}" -E make_directory "${OSPOLICY_SIGNING_DIR}"
    COMMAND ospolicy_cli keygen --secret-key "${sec}" --public-key "${pub}" --force
    COMMENT "Generating the ${key} signing key in ${OSPOLICY_SIGNING_DIR} (build directory only)"
    VERBATIM)
  list(APPEND _ospolicy_key_files "${sec}" "${pub}")
endforeach()
add_custom_target(ospolicy_signing_keys ALL DEPENDS ${_ospolicy_key_files})
add_custom_target(ospolicy_trust_set ALL DEPENDS "${OSPOLICY_TRUST_SET}")
add_dependencies(ospolicy_trust_set ospolicy_signing_keys)
add_custom_target(ospolicy_test_trust_set ALL DEPENDS "${OSPOLICY_TEST_TRUST_SET}")
add_dependencies(ospolicy_test_trust_set ospolicy_signing_keys)

function(ospolicy_signing_floor)
  cmake_parse_arguments(PARSE_ARGV 0 FLOOR "" "KIND;NAME;GENERATION" "")
  if(FLOOR_UNPARSED_ARGUMENTS OR NOT FLOOR_KIND OR NOT FLOOR_NAME OR NOT FLOOR_GENERATION MATCHES "^[0-9]+$")
    message(FATAL_ERROR "ospolicy_signing_floor(KIND <kind> NAME <name> GENERATION <n>): got '${ARGN}'")
  endif()
  set_property(GLOBAL APPEND PROPERTY OSPOLICY_SIGNING_FLOORS
    "${FLOOR_KIND}" "${FLOOR_NAME}" "${FLOOR_GENERATION}")
endfunction()

# Made at the end of the top-level directory, so floors added later count.
# <output> gets the build key, then the keys in ARGN (test-trust-set only).
function(_ospolicy_signing_make_one_trust_set output)
  set(tmp "${output}.tmp")
  set(cli "$<TARGET_FILE:ospolicy_cli>")
  set(dir "${OSPOLICY_SIGNING_DIR}")
  set(commands
    COMMAND "${cli}" trust init "${tmp}" --force --enforce
    COMMAND "${cli}" trust add "${tmp}" --public-key "${dir}/build.pub")
  set(depends "${dir}/build.pub")
  foreach(key IN LISTS ARGN)
    list(APPEND commands COMMAND "${cli}" trust add "${tmp}" --public-key "${dir}/${key}.pub")
    if(key STREQUAL "revoked")
      list(APPEND commands COMMAND "${cli}" trust revoke "${tmp}" --public-key "${dir}/${key}.pub")
    endif()
    list(APPEND depends "${dir}/${key}.pub")
  endforeach()
  get_property(floors GLOBAL PROPERTY OSPOLICY_SIGNING_FLOORS)
  list(LENGTH floors count)
  set(i 0)
  while(i LESS count)
    math(EXPR n "${i} + 1")
    math(EXPR g "${i} + 2")
    list(GET floors ${i} kind)
    list(GET floors ${n} name)
    list(GET floors ${g} generation)
    list(APPEND commands
      COMMAND "${cli}" trust floor "${tmp}" --kind "${kind}" --name "${name}" --generation "${generation}")
    math(EXPR i "${i} + 3")
  endwhile()
  add_custom_command(OUTPUT "${output}"
    ${commands}
    COMMAND "${CMAKE_COMMAND}" -E rename "${tmp}" "${output}"
    DEPENDS ${depends} ospolicy_cli
    COMMENT "Building the trust set ${output} (ospolicy trust)"
    VERBATIM)
endfunction()
function(_ospolicy_signing_make_trust_set)
  _ospolicy_signing_make_one_trust_set("${OSPOLICY_TRUST_SET}")
  set(test_keys test)
  if(OSPOLICY_BUILD_TESTS)
    list(APPEND test_keys revoked)
  endif()
  _ospolicy_signing_make_one_trust_set("${OSPOLICY_TEST_TRUST_SET}" ${test_keys})
endfunction()
cmake_language(EVAL CODE
  "cmake_language(DEFER DIRECTORY [[${PROJECT_SOURCE_DIR}]] CALL _ospolicy_signing_make_trust_set)")

ospolicy_signing_floor(KIND kernel NAME kernel GENERATION ${OSPOLICY_KERNEL_GENERATION})

function(ospolicy_sign_object name)
  cmake_parse_arguments(PARSE_ARGV 1 SIGN "" "TARGET;OBJECT;OUTPUT;KIND;NAME;GENERATION;KEY" "")
  if(SIGN_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "ospolicy_sign_object(${name}): unexpected ${SIGN_UNPARSED_ARGUMENTS}")
  endif()
  foreach(required OUTPUT KIND NAME GENERATION)
    if(NOT DEFINED SIGN_${required} OR SIGN_${required} STREQUAL "")
      message(FATAL_ERROR "ospolicy_sign_object(${name}): ${required} is required")
    endif()
  endforeach()
  if((SIGN_TARGET AND SIGN_OBJECT) OR (NOT SIGN_TARGET AND NOT SIGN_OBJECT))
    message(FATAL_ERROR "ospolicy_sign_object(${name}): give exactly one of TARGET or OBJECT")
  endif()
  if(NOT SIGN_KEY)
    set(SIGN_KEY build)
  endif()
  if(NOT SIGN_KEY MATCHES "^(build|test|rogue|revoked)$")
    message(FATAL_ERROR "ospolicy_sign_object(${name}): KEY ${SIGN_KEY} is not build, test, rogue or revoked")
  endif()
  if(SIGN_KEY MATCHES "^(rogue|revoked)$" AND NOT OSPOLICY_BUILD_TESTS)
    message(FATAL_ERROR "ospolicy_sign_object(${name}): the ${SIGN_KEY} key exists only with OSPOLICY_BUILD_TESTS")
  endif()
  get_property(dir GLOBAL PROPERTY OSPOLICY_SIGNING_DIR)
  set(sec "${dir}/${SIGN_KEY}.sec")
  if(SIGN_TARGET)
    set(object "$<TARGET_FILE:${SIGN_TARGET}>")
    set(depends ${SIGN_TARGET})
  else()
    set(object "${SIGN_OBJECT}")
    set(depends "${SIGN_OBJECT}")
  endif()
  add_custom_command(OUTPUT "${SIGN_OUTPUT}"
    COMMAND ospolicy_cli sign --secret-key "${sec}" --kind "${SIGN_KIND}" --name "${SIGN_NAME}"
      --generation "${SIGN_GENERATION}" --output "${SIGN_OUTPUT}" "${object}"
    DEPENDS ${depends} "${sec}" ospolicy_cli
    COMMENT "Signing ${SIGN_KIND} '${SIGN_NAME}' generation ${SIGN_GENERATION} with the ${SIGN_KEY} key: ${SIGN_OUTPUT}"
    VERBATIM)
  add_custom_target(${name} ALL DEPENDS "${SIGN_OUTPUT}")
  # The key is made in the top-level directory: order the targets too.
  add_dependencies(${name} ospolicy_signing_keys)
endfunction()

function(ospolicy_embed_blob target)
  cmake_parse_arguments(PARSE_ARGV 1 EMBED "TAMPER_MIDDLE_BYTE" "FILE;SYMBOL;DEPENDS_TARGET;TRUNCATE_BY;SOURCE_NAME" "")
  if(EMBED_UNPARSED_ARGUMENTS OR NOT EMBED_FILE OR NOT EMBED_SYMBOL MATCHES "^[A-Za-z_][A-Za-z0-9_]*$"
     OR (DEFINED EMBED_TRUNCATE_BY AND NOT EMBED_TRUNCATE_BY MATCHES "^[1-9][0-9]*$"))
    message(FATAL_ERROR "ospolicy_embed_blob(${target} FILE <file> SYMBOL <c-identifier> "
      "[DEPENDS_TARGET <target>] [TAMPER_MIDDLE_BYTE] [TRUNCATE_BY <n>]): got '${ARGN}'")
  endif()
  set(script "${_OSPOLICY_SIGNING_MODULE_DIR}/OSPolicyEmbedBlob.cmake")
  if(NOT EMBED_SOURCE_NAME)
    set(EMBED_SOURCE_NAME ${EMBED_SYMBOL})
  endif()
  set(out "${CMAKE_CURRENT_BINARY_DIR}/${EMBED_SOURCE_NAME}.c")
  set(variant "")
  set(what "")
  if(EMBED_TAMPER_MIDDLE_BYTE)
    list(APPEND variant "-DTAMPER_MIDDLE_BYTE=ON")
    string(APPEND what " (middle byte inverted)")
  endif()
  if(DEFINED EMBED_TRUNCATE_BY)
    list(APPEND variant "-DTRUNCATE_BY=${EMBED_TRUNCATE_BY}")
    string(APPEND what " (last ${EMBED_TRUNCATE_BY} bytes dropped)")
  endif()
  add_custom_command(OUTPUT "${out}"
    COMMAND "${CMAKE_COMMAND}" "-DINPUT=${EMBED_FILE}" "-DOUTPUT=${out}" "-DSYMBOL=${EMBED_SYMBOL}"
      ${variant} -P "${script}"
    DEPENDS "${EMBED_FILE}" "${script}"
    COMMENT "Embedding ${EMBED_FILE}${what} as ${EMBED_SYMBOL}"
    VERBATIM)
  target_sources(${target} PRIVATE "${out}")
  if(EMBED_DEPENDS_TARGET)
    add_dependencies(${target} ${EMBED_DEPENDS_TARGET})
  endif()
endfunction()
