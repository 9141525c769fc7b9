# SPDX-License-Identifier: Apache-2.0
# Copyright (c) 2026 The ospolicy authors
#
# The project's warning set. -Wconversion and -Wsign-conversion are on: size
# and address arithmetic is where this library's bugs would hide.
function(ospolicy_target_warnings target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wpedantic -Wconversion -Wsign-conversion -Wshadow -Wvla
    -Wstrict-prototypes -Wmissing-prototypes -Wcast-align -Wformat=2
    -Wundef -Wnull-dereference -Wimplicit-fallthrough)
  if(OSPOLICY_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
