# SPDX-License-Identifier: Apache-2.0
# Copyright (c) 2026 The ospolicy authors
#
# Manifest component tests beyond the Check suites (included at the end of
# tests/CMakeLists.txt):
#   - tells unit.manifest where the shipped examples are;
#   - cli.manifest.*: runs the built `ospolicy manifest validate` on
#     examples/manifest/ and checks the exit status and the expected output
#     lines (tests/cli/check_manifest_cli.cmake), JSON output through
#     `python3 -m json.tool` (python3 is required), and the usage (2) and
#     unreadable (3) exits.
#
# Run as a script (cmake -DOSPOLICY=... -DARGS=a|b -DEXPECT_EXIT=n
# -DEXPECT_LINES=regex|regex... -P OSPolicyManifestTests.cmake), this file is
# the ordered-output check: stdout must have exactly one line per regex, line
# i matching regex i, so both the set and the order of the findings are
# checked (cli.manifest.reject-many-problems).
if(CMAKE_SCRIPT_MODE_FILE)
  string(REPLACE "|" ";" args "${ARGS}")
  execute_process(COMMAND ${OSPOLICY} ${args}
    RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
  set(failed "")
  if(NOT status STREQUAL "${EXPECT_EXIT}")
    string(APPEND failed "exit status ${status}, expected ${EXPECT_EXIT}\n")
  endif()
  string(REPLACE "|" ";" patterns "${EXPECT_LINES}")
  string(REGEX REPLACE "\n$" "" trimmed "${out}")
  string(REPLACE ";" "\\;" trimmed "${trimmed}")
  string(REPLACE "\n" ";" lines "${trimmed}")
  list(LENGTH patterns want)
  list(LENGTH lines have)
  if(NOT want EQUAL have)
    string(APPEND failed "${have} lines of output, expected ${want}\n")
  else()
    math(EXPR last "${want} - 1")
    foreach(i RANGE ${last})
      list(GET patterns ${i} pattern)
      list(GET lines ${i} line)
      if(NOT line MATCHES "${pattern}")
        math(EXPR number "${i} + 1")
        string(APPEND failed "line ${number} does not match: ${pattern}\n")
      endif()
    endforeach()
  endif()
  if(failed)
    message(FATAL_ERROR "ospolicy ${args}\n${failed}--- stdout:\n${out}--- stderr:\n${err}")
  endif()
  message(STATUS "ok (in order): ospolicy ${args}")
  return()
endif()

if(TARGET ospolicy_unit_tests)
  target_compile_definitions(ospolicy_unit_tests PRIVATE
    OSPOLICY_EXAMPLES_DIR="${PROJECT_SOURCE_DIR}/examples")
endif()

if(NOT TARGET ospolicy_cli)
  return()
endif()

set(_mf_examples "${PROJECT_SOURCE_DIR}/examples/manifest")
set(_mf_driver "${PROJECT_SOURCE_DIR}/tests/cli/check_manifest_cli.cmake")
find_program(OSPOLICY_PYTHON3 NAMES python3)
if(NOT OSPOLICY_PYTHON3)
  # The JSON output tests parse the output with python3: never drop them silently.
  message(FATAL_ERROR "cli.manifest.* JSON tests: python3 not found (install the Debian "
                      "package python3, or set OSPOLICY_PYTHON3 to its path)")
endif()

# ospolicy_manifest_cli_test(NAME EXIT <code> [EXPECT <regex>...] [STDERR <regex>]
#                            [JSON] ARGS <args>...)
function(ospolicy_manifest_cli_test name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "JSON" "EXIT;STDERR" "EXPECT;ARGS")
  set(defs -DOSPOLICY=$<TARGET_FILE:ospolicy_cli> -DEXPECT_EXIT=${arg_EXIT})
  # Lists travel to the script with '|' as the separator (';' would split).
  string(REPLACE ";" "|" args "${arg_ARGS}")
  list(APPEND defs "-DARGS=${args}")
  if(arg_EXPECT)
    string(REPLACE ";" "|" expect "${arg_EXPECT}")
    list(APPEND defs "-DEXPECT=${expect}")
  endif()
  if(arg_STDERR)
    list(APPEND defs "-DEXPECT_STDERR=${arg_STDERR}")
  endif()
  if(arg_JSON)
    list(APPEND defs -DPYTHON3=${OSPOLICY_PYTHON3})
  endif()
  add_test(NAME cli.manifest.${name} COMMAND ${CMAKE_COMMAND} ${defs} -P ${_mf_driver})
  set_tests_properties(cli.manifest.${name} PROPERTIES LABELS cli)
endfunction()

ospolicy_manifest_cli_test(minimal EXIT 0
  EXPECT "minimal\\.json: valid manifest 'hello' \\(version 1, entry /app/bin/hello\\)"
  ARGS manifest validate --manifest ${_mf_examples}/minimal.json)
ospolicy_manifest_cli_test(service EXIT 0
  EXPECT "service\\.json: valid manifest 'com\\.example\\.web-api'"
  ARGS manifest validate --manifest ${_mf_examples}/service.json)

# One test a rejection class: the exact compiler-style line.
set(_mf_cases
  "malformed|5:1: error: manifest-malformed: trailing comma is not allowed \\(json-syntax\\)"
  "oversized|1:1: error: manifest-oversized: the manifest is larger than the size limit"
  "unknown-version|2:22: error: manifest-unknown-version: manifestVersion: this build reads manifestVersion 1 only"
  "unsafe-path|6:14: error: manifest-unsafe-path: files\\[0\\]\\.path: '\\.\\.' segments are not allowed in paths"
  "duplicate-env-key|7:14: error: manifest-duplicate-env-key: env\\[1\\]\\.name: environment variable named twice"
  "bad-env-name|6:14: error: manifest-bad-env-name: env\\[0\\]\\.name: env name must match"
  "unknown-field|5:3: error: manifest-unknown-field: capabilites: unknown field"
  "wrong-type|5:35: error: manifest-wrong-type: network\\.listen\\[0\\]\\.port: must be an integer"
  "out-of-range|5:35: error: manifest-out-of-range: network\\.listen\\[0\\]\\.port: port must be 1\\.\\.65535"
  "too-many|5:25: error: manifest-too-many: network\\.listen: network\\.listen has more than 64 entries$"
  "missing-field|1:1: error: manifest-missing-field: entry: entry is required"
  "bad-value|5:31: error: manifest-bad-value: cloudMetadata\\.access: access must be"
  "unknown-capability|5:20: error: manifest-unknown-capability: capabilities\\[0\\]: not a capability"
  "duplicate-entry|5:33: error: manifest-duplicate-entry: syscalls\\[2\\]: the same syscall is listed twice"
  "unprintable|6:33: error: manifest-unprintable: env\\[0\\]\\.value: env value holds control"
  "writable-app|6:36: error: denied-manifest-writable-app: files\\[0\\]\\.access:"
  "duplicate-member|5:3: error: manifest-malformed: duplicate member name in an object \\(json-duplicate-member\\)"
  "nul-character|4:28: error: manifest-malformed: .u0000 decodes to NUL, which is not allowed \\(json-nul-character\\)")
foreach(case IN LISTS _mf_cases)
  string(FIND "${case}" "|" bar)
  string(SUBSTRING "${case}" 0 ${bar} class)
  math(EXPR rest "${bar} + 1")
  string(SUBSTRING "${case}" ${rest} -1 line)
  ospolicy_manifest_cli_test(reject-${class} EXIT 1
    EXPECT "reject-${class}\\.json:${line}"
    ARGS manifest validate --manifest ${_mf_examples}/reject-${class}.json)
endforeach()

# Every problem in one run, in document order: exactly these lines, in this
# order (this file in script mode, see the top).
set(_mf_many_lines
  "json:3:11: error: manifest-bad-value: name:"
  "json:4:12: error: manifest-unsafe-path: entry:"
  "json:7:14: error: manifest-bad-env-name: env\\[1\\]\\.name:"
  "json:8:14: error: manifest-duplicate-env-key: env\\[2\\]\\.name:"
  "json:11:14: error: manifest-unsafe-path: files\\[0\\]\\.path:"
  "json:12:14: error: manifest-unsafe-path: files\\[1\\]\\.path:"
  "json:12:36: error: manifest-bad-value: files\\[1\\]\\.access:"
  "json:14:35: error: manifest-out-of-range: network\\.listen\\[0\\]\\.port:"
  "json:14:50: error: manifest-bad-value: network\\.listen\\[0\\]\\.protocol:"
  "json:14:60: error: manifest-unknown-field: network\\.connect:"
  "json:15:29: error: manifest-wrong-type: limits\\.memoryBytes:"
  "json:15:49: error: manifest-out-of-range: limits\\.processes:")
string(REPLACE ";" "|" _mf_many_lines "${_mf_many_lines}")
add_test(NAME cli.manifest.reject-many-problems
  COMMAND ${CMAKE_COMMAND} -DOSPOLICY=$<TARGET_FILE:ospolicy_cli> -DEXPECT_EXIT=1
          "-DEXPECT_LINES=${_mf_many_lines}"
          "-DARGS=manifest|validate|--manifest|${_mf_examples}/reject-many-problems.json"
          -P ${CMAKE_CURRENT_LIST_FILE})
set_tests_properties(cli.manifest.reject-many-problems PROPERTIES LABELS cli)

# The caller sets the size limit: the minimal example is 90 bytes.
ospolicy_manifest_cli_test(max-size-rejects EXIT 1
  EXPECT "minimal\\.json:1:1: error: manifest-oversized:"
  ARGS manifest validate --max-size 16 --manifest ${_mf_examples}/minimal.json)
ospolicy_manifest_cli_test(max-size-raises EXIT 0
  EXPECT "valid manifest 'big'"
  ARGS manifest validate --max-size 1048576 --manifest ${_mf_examples}/reject-oversized.json)

# The size is checked with fstat first: a 64 GiB sparse file is refused as
# oversized without a single read() of it (strace shows the tool's system
# calls on the file's descriptor), and a small one is still read.
find_program(OSPOLICY_STRACE strace REQUIRED)
add_test(NAME cli.manifest.oversized-never-read
  COMMAND sh -c "set -u
dir=$(mktemp -d) && trap 'rm -rf \"$dir\"' EXIT
truncate -s 64G \"$dir/huge.json\" || exit 1
# LeakSanitizer cannot run under ptrace (sanitize preset): leaks are checked
# by the other cli.manifest tests.
export ASAN_OPTIONS=detect_leaks=0
\"$1\" -f -e trace=openat,read,pread64,mmap,close -o \"$dir/trace\" \"$0\" manifest validate --manifest \"$dir/huge.json\" >\"$dir/out\" 2>&1
rc=$?; cat \"$dir/out\"
[ $rc -eq 1 ] || { echo \"FAILED: exit $rc, want 1\"; exit 1; }
grep -q 'manifest-oversized' \"$dir/out\" || { echo 'FAILED: no manifest-oversized finding'; exit 1; }
# Reads of the file: from its openat to the close of that descriptor.
reads() { awk -v name=\"$1\" 'fd == \"\" && index($0, \"openat(\") && index($0, name) { n = split($0, f, \"= \"); fd = f[n]; next }
  fd != \"\" && ($0 ~ \"close\\\\(\" fd \"\\\\)\") { exit }
  fd != \"\" && ($0 ~ \"read(64)?\\\\(\" fd \",\") { print }' \"$2\"; }
grep -q 'huge.json' \"$dir/trace\" || { echo 'FAILED: the tool never opened the file'; exit 1; }
if [ -n \"$(reads huge.json \"$dir/trace\")\" ]; then echo 'FAILED: the oversized file was read:'; reads huge.json \"$dir/trace\"; exit 1; fi
cp \"$2\" \"$dir/small.json\"
\"$1\" -f -e trace=openat,read,close -o \"$dir/trace2\" \"$0\" manifest validate --manifest \"$dir/small.json\" >/dev/null 2>&1
[ -n \"$(reads small.json \"$dir/trace2\")\" ] || { echo 'FAILED: the check cannot see reads'; cat \"$dir/trace2\"; exit 1; }
echo PASSED" "$<TARGET_FILE:ospolicy_cli>" "${OSPOLICY_STRACE}" "${_mf_examples}/minimal.json")
set_tests_properties(cli.manifest.oversized-never-read PROPERTIES LABELS cli PASS_REGULAR_EXPRESSION "PASSED")

# JSON output parses and carries the findings.
ospolicy_manifest_cli_test(json-rejected EXIT 1 JSON
  EXPECT "\"valid\": false" "\"status\": \"manifest-unsafe-path\"" "\"field\": \"files\\[0\\]\\.path\""
         "\"line\": 6, \"column\": 14"
  ARGS manifest validate --format json --manifest ${_mf_examples}/reject-unsafe-path.json)
ospolicy_manifest_cli_test(json-many EXIT 1 JSON
  EXPECT "\"findingsTotal\": 12"
  ARGS manifest validate --format json --manifest ${_mf_examples}/reject-many-problems.json)
ospolicy_manifest_cli_test(json-valid EXIT 0 JSON
  EXPECT "\"valid\": true" "\"findings\": \\[\\]"
  ARGS manifest validate --manifest ${_mf_examples}/service.json --format json)
ospolicy_manifest_cli_test(json-escapes-message EXIT 1 JSON
  EXPECT "u0000 decodes to NUL"
  ARGS manifest validate --format json --manifest ${_mf_examples}/reject-nul-character.json)

# Usage errors exit 2, unreadable files 3.
ospolicy_manifest_cli_test(usage-no-manifest EXIT 2 STDERR "--manifest PATH is required"
  ARGS manifest validate)
ospolicy_manifest_cli_test(usage-bad-format EXIT 2 STDERR "--format: 'yaml' is not text or json"
  ARGS manifest validate --format yaml --manifest ${_mf_examples}/minimal.json)
ospolicy_manifest_cli_test(usage-bad-max-size EXIT 2 STDERR "--max-size: '0x10' is not"
  ARGS manifest validate --max-size 0x10 --manifest ${_mf_examples}/minimal.json)
ospolicy_manifest_cli_test(usage-missing-value EXIT 2 STDERR "missing value after '--manifest'"
  ARGS manifest validate --manifest)
ospolicy_manifest_cli_test(usage-unknown-subcommand EXIT 2 STDERR "unknown subcommand 'check'"
  ARGS manifest check)
ospolicy_manifest_cli_test(unreadable-missing EXIT 3 STDERR "No such file or directory"
  ARGS manifest validate --manifest ${_mf_examples}/does-not-exist.json)
ospolicy_manifest_cli_test(unreadable-directory EXIT 3 STDERR "Is a directory"
  ARGS manifest validate --manifest ${_mf_examples})
