# SPDX-License-Identifier: Apache-2.0
# Copyright (c) 2026 The ospolicy authors
#
# cmake -DOSPOLICY=<ospolicy binary> -DARGS=a|b|c -DEXPECT_EXIT=<n>
#       [-DEXPECT=regex|regex...] [-DEXPECT_STDERR=regex] [-DPYTHON3=python3]
#       -P check_manifest_cli.cmake
# Runs the tool, checks its exit status, that every EXPECT regex matches a
# line of stdout, that stderr matches EXPECT_STDERR, and (with PYTHON3) that
# stdout is one JSON document `python3 -m json.tool` accepts.
string(REPLACE "|" ";" args "${ARGS}")
execute_process(COMMAND ${OSPOLICY} ${args}
  RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
set(failed "")
if(NOT status STREQUAL "${EXPECT_EXIT}")
  string(APPEND failed "exit status ${status}, expected ${EXPECT_EXIT}\n")
endif()
if(DEFINED EXPECT)
  string(REPLACE "|" ";" patterns "${EXPECT}")
  string(REPLACE ";" "\\;" escaped_out "${out}")
  string(REPLACE "\n" ";" lines "${escaped_out}")
  foreach(pattern IN LISTS patterns)
    set(found FALSE)
    foreach(line IN LISTS lines)
      if(line MATCHES "${pattern}")
        set(found TRUE)
        break()
      endif()
    endforeach()
    if(NOT found)
      string(APPEND failed "no stdout line matches: ${pattern}\n")
    endif()
  endforeach()
endif()
if(DEFINED EXPECT_STDERR AND NOT err MATCHES "${EXPECT_STDERR}")
  string(APPEND failed "stderr does not match: ${EXPECT_STDERR}\n")
endif()
if(DEFINED PYTHON3)
  string(RANDOM LENGTH 12 tag)
  set(file "${CMAKE_CURRENT_BINARY_DIR}/manifest-cli-${tag}.json")
  file(WRITE "${file}" "${out}")
  execute_process(COMMAND ${PYTHON3} -m json.tool "${file}"
    RESULT_VARIABLE json_status OUTPUT_QUIET ERROR_VARIABLE json_err)
  file(REMOVE "${file}")
  if(NOT json_status EQUAL 0)
    string(APPEND failed "stdout is not valid JSON: ${json_err}\n")
  endif()
endif()
if(failed)
  message(FATAL_ERROR "ospolicy ${args}\n${failed}--- stdout:\n${out}--- stderr:\n${err}")
endif()
message(STATUS "ok: ospolicy ${args}")
