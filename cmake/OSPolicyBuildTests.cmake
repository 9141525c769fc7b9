# SPDX-License-Identifier: Apache-2.0
# Copyright (c) 2026 The ospolicy authors
#
# Tests of the build itself (included from tests/CMakeLists.txt).

# core.undefined_symbols: the freestanding core, linked into one relocatable
# object, may leave only the PAL (OSHost_*) and memcpy/memset/memmove/memcmp
# undefined. Not registered in the sanitizer build, whose instrumentation
# references the hosted sanitizer runtime on purpose.
if(NOT OSPOLICY_SANITIZE)
  add_test(NAME core.undefined_symbols
    COMMAND ${CMAKE_COMMAND}
      -DARCHIVE=$<TARGET_FILE:ospolicy_core>
      -DLINKER=${CMAKE_LINKER}
      -DNM=${CMAKE_NM}
      -DWORK_DIR=${CMAKE_CURRENT_BINARY_DIR}/undefined_symbols
      -P ${PROJECT_SOURCE_DIR}/cmake/CheckUndefinedSymbols.cmake)
  set_tests_properties(core.undefined_symbols PROPERTIES LABELS build)

  # The check must be able to fail: an archive with a stray libc call is refused.
  add_library(ospolicy_symbol_check_negative STATIC EXCLUDE_FROM_ALL
    ${PROJECT_SOURCE_DIR}/tests/build/stray_libc_call.c)
  target_compile_options(ospolicy_symbol_check_negative PRIVATE ${OSPOLICY_FREESTANDING_FLAGS})
  add_test(NAME core.undefined_symbols_rejects_stray_call
    COMMAND ${CMAKE_COMMAND}
      -DBUILD_DIR=${PROJECT_BINARY_DIR}
      -DTARGET=ospolicy_symbol_check_negative
      -DARCHIVE=$<TARGET_FILE:ospolicy_symbol_check_negative>
      -DLINKER=${CMAKE_LINKER}
      -DNM=${CMAKE_NM}
      -DWORK_DIR=${CMAKE_CURRENT_BINARY_DIR}/undefined_symbols_negative
      -DEXPECT_FAILURE=ON
      -P ${PROJECT_SOURCE_DIR}/cmake/CheckUndefinedSymbols.cmake)
  set_tests_properties(core.undefined_symbols_rejects_stray_call PROPERTIES LABELS build
    RESOURCE_LOCK ospolicy_build_tree)

  # crypto.undefined_symbols: the crypto library linked together with the core
  # may in addition leave libsodium's crypto_* and sodium_* undefined, nothing
  # else; and the widened allow-list still refuses a stray libc call.
  set(OSPOLICY_CRYPTO_ALLOW_REGEX "^(crypto_|sodium_)[A-Za-z0-9_]+$")
  add_test(NAME crypto.undefined_symbols
    COMMAND ${CMAKE_COMMAND}
      -DARCHIVE=$<TARGET_FILE:ospolicy_crypto>
      -DEXTRA_ARCHIVE=$<TARGET_FILE:ospolicy_core>
      -DALLOW_REGEX=${OSPOLICY_CRYPTO_ALLOW_REGEX}
      -DLINKER=${CMAKE_LINKER}
      -DNM=${CMAKE_NM}
      -DWORK_DIR=${CMAKE_CURRENT_BINARY_DIR}/crypto_undefined_symbols
      -P ${PROJECT_SOURCE_DIR}/cmake/CheckUndefinedSymbols.cmake)
  set_tests_properties(crypto.undefined_symbols PROPERTIES LABELS build)
  add_test(NAME crypto.undefined_symbols_rejects_stray_call
    COMMAND ${CMAKE_COMMAND}
      -DBUILD_DIR=${PROJECT_BINARY_DIR}
      -DTARGET=ospolicy_symbol_check_negative
      -DARCHIVE=$<TARGET_FILE:ospolicy_symbol_check_negative>
      -DALLOW_REGEX=${OSPOLICY_CRYPTO_ALLOW_REGEX}
      -DLINKER=${CMAKE_LINKER}
      -DNM=${CMAKE_NM}
      -DWORK_DIR=${CMAKE_CURRENT_BINARY_DIR}/crypto_undefined_symbols_negative
      -DEXPECT_FAILURE=ON
      -P ${PROJECT_SOURCE_DIR}/cmake/CheckUndefinedSymbols.cmake)
  set_tests_properties(crypto.undefined_symbols_rejects_stray_call PROPERTIES LABELS build
    RESOURCE_LOCK ospolicy_build_tree)
endif()

# pal.backends_call_no_core: the PAL contract (include/oshost/oshost.h) says a
# backend calls nothing in ospolicy; the Linux and bare-metal backend archives
# may leave their platform's symbols undefined, never an OSPolicy_* one (the
# UEFI backend is checked by the same rule: it links into BOOTX64.EFI with
# --no-undefined, its own archive holds no core). The check refuses a fixture
# that does call the core.
if(NOT OSPOLICY_SANITIZE)
  foreach(_backend host_backend oshost_baremetal)
    add_test(NAME pal.backends_call_no_core.${_backend}
      COMMAND ${CMAKE_COMMAND} -DARCHIVE=$<TARGET_FILE:ospolicy_${_backend}> -DFORBID_REGEX=^OSPolicy_
        -DLINKER=${CMAKE_LINKER} -DNM=${CMAKE_NM}
        -DWORK_DIR=${CMAKE_CURRENT_BINARY_DIR}/backend_undefined_symbols_${_backend}
        -P ${PROJECT_SOURCE_DIR}/cmake/CheckUndefinedSymbols.cmake)
    set_tests_properties(pal.backends_call_no_core.${_backend} PROPERTIES LABELS build)
  endforeach()
  add_library(ospolicy_backend_check_negative STATIC EXCLUDE_FROM_ALL
    ${PROJECT_SOURCE_DIR}/tests/build/backend_calls_core.c)
  target_link_libraries(ospolicy_backend_check_negative PRIVATE ospolicy_core)
  add_test(NAME pal.backends_call_no_core.rejects
    COMMAND ${CMAKE_COMMAND}
      -DBUILD_DIR=${PROJECT_BINARY_DIR} -DTARGET=ospolicy_backend_check_negative
      -DARCHIVE=$<TARGET_FILE:ospolicy_backend_check_negative> -DFORBID_REGEX=^OSPolicy_
      -DLINKER=${CMAKE_LINKER} -DNM=${CMAKE_NM}
      -DWORK_DIR=${CMAKE_CURRENT_BINARY_DIR}/backend_undefined_symbols_negative
      -DEXPECT_FAILURE=ON
      -P ${PROJECT_SOURCE_DIR}/cmake/CheckUndefinedSymbols.cmake)
  set_tests_properties(pal.backends_call_no_core.rejects PROPERTIES LABELS build
    RESOURCE_LOCK ospolicy_build_tree)
endif()

# install.consumer: install this build into a private prefix, then configure,
# build and run tests/consumer against it, once through find_package(ospolicy
# CONFIG) and once through pkg-config, as another OS project would.
add_test(NAME install.consumer
  COMMAND ${CMAKE_COMMAND}
    -DBUILD_DIR=${PROJECT_BINARY_DIR}
    -DSOURCE_DIR=${PROJECT_SOURCE_DIR}/tests/consumer
    -DWORK_DIR=${CMAKE_CURRENT_BINARY_DIR}/consumer
    -DGENERATOR=${CMAKE_GENERATOR}
    -DC_COMPILER=${CMAKE_C_COMPILER}
    -DSANITIZE=${OSPOLICY_SANITIZE}
    -P ${PROJECT_SOURCE_DIR}/cmake/RunConsumerTest.cmake)
set_tests_properties(install.consumer PROPERTIES LABELS build)

# cli.wx_audit: the tool against a process with a W+X mapping and one without.
if(TARGET ospolicy_cli)
  add_executable(wx_fixture ${PROJECT_SOURCE_DIR}/tests/cli/wx_fixture.c)
  target_compile_definitions(wx_fixture PRIVATE _GNU_SOURCE)
  ospolicy_target_warnings(wx_fixture)
  add_test(NAME cli.wx_audit
    COMMAND ${PROJECT_SOURCE_DIR}/tests/cli/wx_audit_test.sh
      $<TARGET_FILE:ospolicy_cli> $<TARGET_FILE:wx_fixture>)
  set_tests_properties(cli.wx_audit PROPERTIES LABELS cli)
  # cli.helper_exec: imds-proxy's libraries stay out of `ospolicy` itself.
  add_test(NAME cli.helper_exec
    COMMAND ${PROJECT_SOURCE_DIR}/tests/cli/helper_exec_test.sh
      $<TARGET_FILE:ospolicy_cli> $<TARGET_FILE:ospolicy_imds_proxy>)
  set_tests_properties(cli.helper_exec PROPERTIES LABELS cli)
endif()

# source.layering: every #include under include/, src/ and kernel/ against the
# layer table of docs/architecture.md; source.layering_rejects: the check
# against fixture trees, one per rule it promises.
find_package(Python3 REQUIRED COMPONENTS Interpreter)
add_test(NAME source.layering
  COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/scripts/layering_check.py --root ${PROJECT_SOURCE_DIR})
set_tests_properties(source.layering PROPERTIES LABELS build
  PASS_REGULAR_EXPRESSION "TEST_PASS source.layering"
  FAIL_REGULAR_EXPRESSION "TEST_FAIL source.layering")
add_test(NAME source.layering_rejects
  COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/tests/build/layering_check_test.py
    ${PROJECT_SOURCE_DIR}/scripts/layering_check.py)
set_tests_properties(source.layering_rejects PROPERTIES LABELS build)
