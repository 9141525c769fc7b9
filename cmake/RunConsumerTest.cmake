# SPDX-License-Identifier: Apache-2.0
# Copyright (c) 2026 The ospolicy authors
#
# install.consumer driver: cmake -DBUILD_DIR= -DSOURCE_DIR= -DWORK_DIR=
#   -DGENERATOR= -DC_COMPILER= -DSANITIZE= -P RunConsumerTest.cmake
function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE result OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT result EQUAL 0)
    list(JOIN ARGN " " command)
    message(FATAL_ERROR "failed (${result}): ${command}\n${out}\n${err}")
  endif()
  set(last_output "${out}" PARENT_SCOPE)
endfunction()

file(REMOVE_RECURSE "${WORK_DIR}")
set(prefix "${WORK_DIR}/prefix")
set(extra_flags "")
if(SANITIZE)
  set(extra_flags "-fsanitize=address,undefined")
endif()

run(${CMAKE_COMMAND} --install "${BUILD_DIR}" --prefix "${prefix}")

# 1. find_package(ospolicy CONFIG)
run(${CMAKE_COMMAND} -S "${SOURCE_DIR}" -B "${WORK_DIR}/cmake-build" -G "${GENERATOR}"
  "-DCMAKE_C_COMPILER=${C_COMPILER}" "-DCMAKE_PREFIX_PATH=${prefix}"
  "-DCMAKE_C_FLAGS=${extra_flags}" "-DCMAKE_EXE_LINKER_FLAGS=${extra_flags}")
run(${CMAKE_COMMAND} --build "${WORK_DIR}/cmake-build")
run("${WORK_DIR}/cmake-build/consumer")
message(STATUS "find_package consumer: ${last_output}")

# 2. pkg-config, with nothing but the .pc file's answer on the command line.
file(GLOB_RECURSE pc_file "${prefix}/*/ospolicy-host.pc")
if(NOT pc_file)
  message(FATAL_ERROR "no ospolicy-host.pc installed under ${prefix}")
endif()
get_filename_component(pc_dir "${pc_file}" DIRECTORY)
set(ENV{PKG_CONFIG_PATH} "${pc_dir}")
run(pkg-config --cflags --libs ospolicy-host)
string(STRIP "${last_output}" pc_flags)
separate_arguments(pc_flags UNIX_COMMAND "${pc_flags}")
separate_arguments(extra UNIX_COMMAND "${extra_flags}")
run("${C_COMPILER}" ${extra} "${SOURCE_DIR}/consumer.c" ${pc_flags} -o "${WORK_DIR}/consumer-pc")
run("${WORK_DIR}/consumer-pc")
message(STATUS "pkg-config consumer: ${last_output}")
