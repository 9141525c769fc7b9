# SPDX-License-Identifier: Apache-2.0
# Copyright (c) 2026 The ospolicy authors
#
# Capabilities and MAC (docs/capability.md, docs/mac.md); included at the end
# of tests/CMakeLists.txt, in its scope. unit.capability, unit.mac and the fuzz
# targets fuzz.mac_compile / fuzz.mac_blob are discovered by their file names;
# this file registers:
#   cli.policy   policy compile / check end to end, with signed blobs
if(TARGET ospolicy_cli)
  add_test(NAME cli.policy
    COMMAND ${PROJECT_SOURCE_DIR}/tests/cli/policy_test.sh $<TARGET_FILE:ospolicy_cli>
      ${PROJECT_SOURCE_DIR}/examples)
  set_tests_properties(cli.policy PROPERTIES LABELS cli)
endif()
