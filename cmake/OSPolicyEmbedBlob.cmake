# SPDX-License-Identifier: Apache-2.0
# Copyright (c) 2026 The ospolicy authors
#
# cmake -DINPUT=<file> -DOUTPUT=<file.c> -DSYMBOL=<c-identifier>
#       [-DTAMPER_MIDDLE_BYTE=ON] [-DTRUNCATE_BY=<n>] -P OSPolicyEmbedBlob.cmake
#
# Writes a C file defining
#   const uint8_t SYMBOL[];   the bytes of INPUT
#   const size_t SYMBOL_size; their count
# (ospolicy_embed_blob in cmake/OSPolicySigning.cmake). Refuses an empty or
# missing input. The output is rewritten only when its content changes.
#
# Test variants of a signed object (the kernel's refused modules), made from
# the very file that was signed: TAMPER_MIDDLE_BYTE inverts the byte at
# offset size/2 (as boot.refuse_tampered does to kernel.elf); TRUNCATE_BY
# drops the last n bytes (1 <= n < size). The generated comment says so.
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
set(variant "")
if(TAMPER_MIDDLE_BYTE)
  math(EXPR middle "${size} / 2")
  math(EXPR digit "${middle} * 2")
  math(EXPR after "${digit} + 2")
  string(SUBSTRING "${hex}" ${digit} 2 old)
  math(EXPR new "0x${old} ^ 0xff" OUTPUT_FORMAT HEXADECIMAL)
  string(REGEX REPLACE "^0x" "" new "${new}")
  string(LENGTH "${new}" new_digits)
  if(new_digits LESS 2)
    set(new "0${new}")
  endif()
  string(TOLOWER "${new}" new)
  string(SUBSTRING "${hex}" 0 ${digit} head)
  string(SUBSTRING "${hex}" ${after} -1 tail)
  set(hex "${head}${new}${tail}")
  set(variant "${variant}, byte ${middle} inverted (0x${old} -> 0x${new})")
endif()
if(DEFINED TRUNCATE_BY AND NOT TRUNCATE_BY STREQUAL "")
  if(NOT TRUNCATE_BY MATCHES "^[1-9][0-9]*$" OR NOT TRUNCATE_BY LESS size)
    message(FATAL_ERROR "OSPolicyEmbedBlob.cmake: TRUNCATE_BY=${TRUNCATE_BY}: want 1..${size} - 1")
  endif()
  math(EXPR size "${size} - ${TRUNCATE_BY}")
  math(EXPR digits "${size} * 2")
  string(SUBSTRING "${hex}" 0 ${digits} hex)
  set(variant "${variant}, truncated by ${TRUNCATE_BY} bytes to ${size}")
endif()
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
 * (${size} bytes${variant}): do not edit. */
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
