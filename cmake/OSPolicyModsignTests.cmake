# SPDX-License-Identifier: Apache-2.0
# Copyright (c) 2026 The ospolicy authors
#
# Signed objects and the supply chain (docs/modsign.md); included at the end
# of tests/CMakeLists.txt, in its scope. The Check suite unit.modsign and the
# fuzz targets fuzz.modsign_envelope / fuzz.modsign_trust are discovered by
# their file names; this file registers the rest:
#   cli.modsign               keygen / sign / verify / trust end to end
#   cli.modsign_files         locks, races, crashes at each step, links,
#                             umask, FIFOs, a full disk
#   source.firewall           the source firewall over this very tree (git
#                             file list, plus what this build compiled and
#                             included: compile_commands.json, ninja -t deps)
#   source.firewall_rejects   the firewall against fixture trees, one per case
#   sbom.cli                  the SPDX SBOM generated for the ospolicy tool,
#                             validated (structure, hashes, dpkg versions)
include(OSPolicySbom)

if(TARGET ospolicy_cli)
  # The LD_PRELOAD shim that kills the tool at a chosen step, or changes a
  # file under it, is a test artifact only: the tool has no fault switch.
  add_library(modsign_fault_shim SHARED ${PROJECT_SOURCE_DIR}/tests/cli/fault_shim.c)
  target_compile_definitions(modsign_fault_shim PRIVATE _GNU_SOURCE)
  target_link_libraries(modsign_fault_shim PRIVATE ${CMAKE_DL_LIBS})
  add_test(NAME cli.modsign
    COMMAND ${PROJECT_SOURCE_DIR}/tests/cli/modsign_test.sh $<TARGET_FILE:ospolicy_cli>
      $<TARGET_FILE:modsign_fault_shim>)
  set_tests_properties(cli.modsign PROPERTIES LABELS cli)

  # Crash, race and file-system cases of the signing commands' edits.
  add_test(NAME cli.modsign_files
    COMMAND ${PROJECT_SOURCE_DIR}/tests/cli/modsign_files_test.sh $<TARGET_FILE:ospolicy_cli>
      $<TARGET_FILE:modsign_fault_shim>)
  set_tests_properties(cli.modsign_files PROPERTIES LABELS cli TIMEOUT 300)

  # Outputs through another user's link in a sticky, world-writable folder
  # are refused (fs.protected_symlinks' rule); root only (skips otherwise).
  add_test(NAME cli.protected_symlinks
    COMMAND ${PROJECT_SOURCE_DIR}/tests/cli/protected_symlinks_test.sh $<TARGET_FILE:ospolicy_cli>)
  set_tests_properties(cli.protected_symlinks PROPERTIES LABELS cli SKIP_RETURN_CODE 77)

  set(OSPOLICY_CLI_SBOM "${PROJECT_BINARY_DIR}/sbom/ospolicy-cli.spdx.json")
  ospolicy_add_sbom(ospolicy_cli OUTPUT "${OSPOLICY_CLI_SBOM}" NAME ospolicy
    PACKAGES libsodium-dev PURPOSE APPLICATION)
  add_test(NAME sbom.cli
    COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/tests/build/sbom_check.py
      --sbom "${OSPOLICY_CLI_SBOM}" --source-root "${PROJECT_SOURCE_DIR}"
      --artifact $<TARGET_FILE:ospolicy_cli>
      --expect-file src/cli/main.c --expect-file src/cli/cmd_keygen.c
      --expect-file src/cli/cmd_sign.c --expect-file src/cli/cmd_verify.c
      --expect-file src/cli/cmd_trust.c --expect-file src/cli/cli_options.c
      --expect-file src/cli/cli_files.c --expect-file src/cli/cli_modsign.c
      --expect-file src/policy/modsign.c --expect-file src/policy/modsign_format.c
      --expect-file include/ospolicy/modsign.h --expect-file src/policy/mem.h
      --expect-file src/policy/modsign_layout.h
      --expect-package libsodium-dev --expect-package libsodium23 --expect-package libc6
      --self-test)
  set_tests_properties(sbom.cli PROPERTIES LABELS build)
endif()

add_test(NAME source.firewall
  COMMAND ${PROJECT_SOURCE_DIR}/scripts/source_firewall.sh
    --root ${PROJECT_SOURCE_DIR} --build-dir ${PROJECT_BINARY_DIR})
# It reads ninja's deps log, which the *_rejects_stray_call tests rewrite when
# they build their fixture in this tree: never run them at the same time.
set_tests_properties(source.firewall PROPERTIES LABELS build
  RESOURCE_LOCK ospolicy_build_tree
  PASS_REGULAR_EXPRESSION "TEST_PASS source.firewall"
  FAIL_REGULAR_EXPRESSION "TEST_FAIL source.firewall")
add_test(NAME source.firewall_rejects
  COMMAND ${PROJECT_SOURCE_DIR}/tests/build/source_firewall_test.sh
    ${PROJECT_SOURCE_DIR}/scripts/source_firewall.sh)
set_tests_properties(source.firewall_rejects PROPERTIES LABELS build)
