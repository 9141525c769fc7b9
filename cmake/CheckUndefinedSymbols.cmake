# SPDX-License-Identifier: Apache-2.0
# Copyright (c) 2026 The ospolicy authors
#
# cmake -DARCHIVE=... -DLINKER=ld -DNM=nm -DWORK_DIR=... [-DEXPECT_FAILURE=ON
#   -DBUILD_DIR=... -DTARGET=...] [-DEXTRA_ARCHIVE=...] [-DALLOW_REGEX=...]
#   -P CheckUndefinedSymbols.cmake
#
# Links every object of ARCHIVE (and of EXTRA_ARCHIVE, e.g. the core under
# the crypto library) into one relocatable object (ld -r) and lists its
# undefined symbols. Allowed: OSHost_* (the PAL) and memcpy, memset, memmove,
# memcmp, plus whatever matches ALLOW_REGEX (the crypto library: libsodium's
# ^(crypto_|sodium_)). Anything else fails the check and is printed by name.
# With -DFORBID_REGEX=... the rule is turned around (a PAL backend, which may
# use its platform's libraries): only symbols matching FORBID_REGEX fail.
if(BUILD_DIR AND TARGET)
  execute_process(COMMAND ${CMAKE_COMMAND} --build ${BUILD_DIR} --target ${TARGET}
    RESULT_VARIABLE build_result)
  if(NOT build_result EQUAL 0)
    message(FATAL_ERROR "could not build ${TARGET}")
  endif()
endif()
file(MAKE_DIRECTORY "${WORK_DIR}")
set(object "${WORK_DIR}/core-relocatable.o")
execute_process(COMMAND ${LINKER} -r --whole-archive ${ARCHIVE} ${EXTRA_ARCHIVE} -o ${object}
  RESULT_VARIABLE link_result ERROR_VARIABLE link_error)
if(NOT link_result EQUAL 0)
  message(FATAL_ERROR "ld -r failed on ${ARCHIVE}: ${link_error}")
endif()
execute_process(COMMAND ${NM} -u ${object} OUTPUT_VARIABLE undefined RESULT_VARIABLE nm_result)
if(NOT nm_result EQUAL 0)
  message(FATAL_ERROR "nm failed on ${object}")
endif()
string(REGEX MATCHALL "[^\n]+" lines "${undefined}")
set(bad "")
set(allowed "")
foreach(line IN LISTS lines)
  string(REGEX REPLACE "^[ \t]*U[ \t]+" "" symbol "${line}")
  if(FORBID_REGEX)
    if(symbol MATCHES "${FORBID_REGEX}")
      list(APPEND bad "${symbol}")
    else()
      list(APPEND allowed "${symbol}")
    endif()
  elseif(symbol MATCHES "^OSHost_[A-Za-z0-9_]+$" OR symbol MATCHES "^(memcpy|memset|memmove|memcmp)$")
    list(APPEND allowed "${symbol}")
  elseif(ALLOW_REGEX AND symbol MATCHES "${ALLOW_REGEX}")
    list(APPEND allowed "${symbol}")
  else()
    list(APPEND bad "${symbol}")
  endif()
endforeach()
list(JOIN allowed " " allowed_text)
message(STATUS "undefined and allowed: ${allowed_text}")
if(EXPECT_FAILURE)
  if(bad)
    list(JOIN bad " " bad_text)
    message(STATUS "correctly refused: ${bad_text}")
  else()
    message(FATAL_ERROR "the check accepted an archive that calls outside the allowed set")
  endif()
elseif(bad AND FORBID_REGEX)
  list(JOIN bad ", " bad_text)
  message(FATAL_ERROR "${ARCHIVE} references symbols it must not use (${FORBID_REGEX}): ${bad_text}")
elseif(bad)
  list(JOIN bad ", " bad_text)
  message(FATAL_ERROR "the freestanding core references symbols outside the PAL and mem*: ${bad_text}")
endif()
