# SPDX-License-Identifier: Apache-2.0
# Copyright (c) 2026 The ospolicy authors
#
# `ospolicy run` tests (docs/sandbox.md), included at the end of
# tests/CMakeLists.txt:
#   - sandbox_probe: the static test app that attempts one action on command
#     (tests/sandbox/sandbox_probe.c); built without sanitizers, since a
#     static binary cannot carry their runtimes and must start with the
#     minimal runtime syscall set;
#   - cli.run.<case>: tests/sandbox/run_test.sh, each case a real confined
#     process provoking the fault, started as the test's user;
#     cli.run.nobody.<case>: the same, `ospolicy run` started as uid 65534.
if(NOT TARGET ospolicy_cli OR NOT TARGET ospolicy_sandbox_linux)
  return()
endif()

# live.sandbox (tests/live/test_sandbox.c): the differential filter test.
target_link_libraries(ospolicy_live_tests PRIVATE ospolicy_sandbox_linux)

add_executable(sandbox_probe ${PROJECT_SOURCE_DIR}/tests/sandbox/sandbox_probe.c)
target_compile_definitions(sandbox_probe PRIVATE _GNU_SOURCE)
target_compile_options(sandbox_probe PRIVATE -fno-sanitize=all -O2)
target_link_options(sandbox_probe PRIVATE -static -fno-sanitize=all)

# The README's confined app (examples/sandbox/hello.c), run by cli.run.example.
add_executable(sandbox_hello ${PROJECT_SOURCE_DIR}/examples/sandbox/hello.c)
target_compile_options(sandbox_hello PRIVATE -fno-sanitize=all -O2)
target_link_options(sandbox_hello PRIVATE -static -fno-sanitize=all)

# A host without one mechanism, simulated by a seccomp filter (cli.run.missing).
add_executable(without_mechanism ${PROJECT_SOURCE_DIR}/tests/sandbox/without_mechanism.c)
target_compile_definitions(without_mechanism PRIVATE _GNU_SOURCE)
target_link_libraries(without_mechanism PRIVATE ospolicy_sandbox_linux)
ospolicy_target_warnings(without_mechanism)

add_dependencies(ospolicy_live_tests sandbox_probe) # live.sandbox runs the probe confined

set(_run_cases sigsys foreign-abi files data-root bind protocols wx caps setuid env limits supervisor supervisor-killed
  no-userns app-root bad-manifest exit-status explain learn example missing mac-label)
foreach(case IN LISTS _run_cases)
  foreach(user IN ITEMS "" nobody)
    if(user STREQUAL "")
      set(name cli.run.${case})
    else()
      set(name cli.run.${user}.${case})
    endif()
    add_test(NAME ${name}
      COMMAND ${PROJECT_SOURCE_DIR}/tests/sandbox/run_test.sh $<TARGET_FILE:ospolicy_cli>
        $<IF:$<STREQUAL:${case},example>,$<TARGET_FILE:sandbox_hello>,$<TARGET_FILE:sandbox_probe>>
        ${case} ${user})
    set_property(TEST ${name} PROPERTY ENVIRONMENT "WITHOUT_MECHANISM=$<TARGET_FILE:without_mechanism>")
    set_tests_properties(${name} PROPERTIES LABELS cli TIMEOUT 60)
  endforeach()
endforeach()
