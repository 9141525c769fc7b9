# SPDX-License-Identifier: Apache-2.0
# Copyright (c) 2026 The ospolicy authors
#
# cmake -DINPUT=<file> -DOUTPUT=<file.c> -DSYMBOL=<c-identifier> -P OSPolicyEmbedBlob.cmake
#
# Writes a C file defining
#   const uint8_t SYMBOL[];   the bytes of INPUT
#   const size_t SYMBOL_size; their count
# (ospolicy_embed_blob in cmake/OSPolicySigning.cmake). Refuses an empty or
# missing input. The output is rewritten only when its content changes.
foreach(required INPUT OUTPUT SYMBOL)
  if(NOT DEFINED ${required} OR "${${required}}" STREQUAL "")
    message(FATAL_ERROR "OSPolicyEmbedBlob.cmake: -D${required}=... is required")
  endif()
endforeach()
if(NOT EXISTS "${INPUT}")
  message(FATAL_ERROR "OSPolicyEmbedBlob.cmake: ${INPUT}: no such file")
endif()
file(SIZE "${INPUT}" size)
if(size EQUAL 0)
  message(FATAL_ERROR "OSPolicyEmbedBlob.cmake: ${INPUT}: empty file, nothing to embed")
endif()
file(READ "${INPUT}" hex HEX)
# Twelve bytes per line.
string(LENGTH "${hex}" digits)
set(bytes "")
set(offset 0)
while(offset LESS digits)
  string(SUBSTRING "${hex}" ${offset} 24 line)
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1, " line "${line}")
  string(APPEND bytes "  ${line}\n")
  math(EXPR offset "${offset} + 24")
endwhile()
string(REGEX REPLACE " \n" "\n" bytes "${bytes}")
string(REGEX REPLACE ",\n$" "" bytes "${bytes}")
get_filename_component(name "${INPUT}" NAME)
set(content "/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/* Generated at build time by cmake/OSPolicyEmbedBlob.cmake from ${name}
 * (${size} bytes): do not edit. */
#include <stddef.h>
#include <stdint.h>

extern const uint8_t ${SYMBOL}[${size}];
extern const size_t ${SYMBOL}_size;

const uint8_t ${SYMBOL}[${size}] = {
${bytes}
};
const size_t ${SYMBOL}_size = ${size}u;
")
file(CONFIGURE OUTPUT "${OUTPUT}" CONTENT "${content}" @ONLY)
