#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright (c) 2026 The ospolicy authors
#
# source.firewall_rejects: source_firewall_test.sh FIREWALL_SCRIPT
# Runs the source firewall against small fixture trees and proves that it
# passes a clean tree and rejects each case it promises to: an #include of a
# references/ file, a CMake file building from references/, a compile
# database and a Ninja dependency under references/, committed objects,
# archives and images under src/, include/ and kernel/ (by name and by
# content), and source files without the licence header. Data files,
# corpora and third-party files need no header.
set -u
firewall=$1
fail=0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

check() { # name expected actual
  if [ "$2" != "$3" ]; then echo "FAIL $1: expected $2, got $3"; fail=1; else echo "ok   $1"; fi
}

header_c='/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */'
header_sh='# SPDX-License-Identifier: Apache-2.0
# Copyright (c) 2026 The ospolicy authors'

clean_tree() { # dir
  local d=$1
  rm -rf "$d"
  mkdir -p "$d/src/policy" "$d/include/ospolicy" "$d/kernel" "$d/scripts" "$d/docs" \
    "$d/tests/fuzz/corpus/x" "$d/references/vendor" "$d/build/obj"
  printf '%s\n#include "ospolicy/a.h"\nint a(void) { return 1; }\n' "$header_c" >"$d/src/policy/a.c"
  printf '%s\n#ifndef A_H\n#define A_H\nint a(void);\n#endif\n' "$header_c" >"$d/include/ospolicy/a.h"
  printf '%s\n.globl entry\nentry: ret\n' "$header_c" >"$d/kernel/entry.S"
  printf '%s\nSECTIONS { }\n' "$header_c" >"$d/kernel/kernel.ld"
  printf '%s\nadd_library(a STATIC src/policy/a.c) # not references/x.c\n' "$header_sh" >"$d/CMakeLists.txt"
  printf '#!/bin/sh\n%s\necho hi\n' "$header_sh" >"$d/scripts/tool.sh"
  printf '#!/usr/bin/env python3\n%s\nprint(1)\n' "$header_sh" >"$d/scripts/run"
  printf '# Docs\nNo header needed; see references/ for papers.\n' >"$d/docs/a.md"
  printf '{"example": true}\n' >"$d/docs/example.json"
  printf 'prefix=@P@\n' >"$d/docs/a.pc.in"
  printf '\177ELF\002\001\001\000binary corpus input' >"$d/tests/fuzz/corpus/x/seed.elf"
  printf 'int third_party(void) { return 3; }\n' >"$d/references/vendor/lib.c"
  printf '\177ELF\002\001\001\000' >"$d/build/obj/a.o" # build trees are not sources
}

# run NAME EXPECTED_EXIT EXPECTED_LINE_FRAGMENT DIR [extra args]
run() {
  local name=$1 expected=$2 fragment=$3 dir=$4
  shift 4
  out=$("$firewall" --root "$dir" --no-git --name fixture.firewall "$@" 2>/dev/null)
  local status=$?
  check "$name (exit)" "$expected" "$status"
  case "$out" in *"TEST_START fixture.firewall"*) check "$name (TEST_START)" yes yes ;;
    *) check "$name (TEST_START)" yes no ;; esac
  if [ "$expected" = 0 ]; then
    case "$out" in *"TEST_PASS fixture.firewall"*) check "$name (TEST_PASS)" yes yes ;;
      *) check "$name (TEST_PASS)" yes no; printf '%s\n' "$out" ;; esac
  else
    case "$out" in *"TEST_FAIL fixture.firewall $fragment"*) check "$name (TEST_FAIL $fragment)" yes yes ;;
      *) check "$name (TEST_FAIL $fragment)" yes no; printf '%s\n' "$out" ;; esac
    case "$out" in *"TEST_PASS"*) check "$name (no TEST_PASS)" yes no ;; esac
  fi
}

t=$work/tree
clean_tree "$t"
run "clean tree passes" 0 "" "$t"

# 1. references/ in what first-party code compiles or includes
clean_tree "$t"
printf '%s\n#include "../../references/vendor/lib.h"\n' "$header_c" >"$t/src/policy/b.c"
run "#include from references/" 1 "src/policy/b.c: includes a file under references/" "$t"
clean_tree "$t"
printf '%s\n#  include <references/vendor/lib.h>\n' "$header_c" >"$t/include/ospolicy/b.h"
run "#include <references/...>" 1 "include/ospolicy/b.h: includes a file under references/" "$t"
clean_tree "$t"
printf '%s\nadd_subdirectory(references/vendor)\n' "$header_sh" >"$t/CMakeLists.txt"
run "CMake builds references/" 1 "CMakeLists.txt: build file compiles or includes from references/" "$t"
clean_tree "$t"
mkdir -p "$t/cmake"
printf '%s\nset(SRC ${PROJECT_SOURCE_DIR}/references/vendor/lib.c)\n' "$header_sh" >"$t/cmake/Extra.cmake"
run "CMake source list names references/" 1 "cmake/Extra.cmake: build file compiles or includes from references/" "$t"
clean_tree "$t"
b=$work/build1
mkdir -p "$b"
printf '[{"directory": "%s", "file": "%s/references/vendor/lib.c", "command": "cc -c lib.c"}]\n' "$b" "$t" >"$b/compile_commands.json"
run "compile database compiles references/" 1 "$t/references/vendor/lib.c: a first-party target compiles a file under references/" "$t" --build-dir "$b"
printf '[{"directory": "%s", "file": "%s/src/policy/a.c", "arguments": ["cc", "-I%s/references/vendor", "-c", "a.c"]}]\n' "$b" "$t" "$t" >"$b/compile_commands.json"
run "compile database -I references/" 1 "$t/src/policy/a.c: compiled with an include path under references/" "$t" --build-dir "$b"
printf '[{"directory": "%s", "file": "%s/src/policy/a.c", "arguments": ["cc", "-I", "%s/include", "-c", "a.c"]}]\n' "$b" "$t" "$t" >"$b/compile_commands.json"
run "clean compile database passes" 0 "" "$t" --build-dir "$b"
if command -v ninja >/dev/null 2>&1 && command -v cc >/dev/null 2>&1; then
  # A real Ninja build whose object depends on a header under references/.
  nb=$work/ninja
  mkdir -p "$nb"
  printf 'int third(void);\n' >"$t/references/vendor/lib.h"
  printf '%s\n#include LIBHDR\nint a2(void) { return third(); }\n' "$header_c" >"$t/src/policy/a2.c"
  cat >"$nb/build.ninja" <<EOF
rule cc
  command = cc -MD -MF \$out.d -DLIBHDR='"$t/references/vendor/lib.h"' -c \$in -o \$out
  depfile = \$out.d
  deps = gcc
build a2.o: cc $t/src/policy/a2.c
EOF
  ninja -C "$nb" >/dev/null 2>&1
  run "ninja dependency under references/" 1 "$t/references/vendor/lib.h: a first-party target includes this file under references/" "$t" --build-dir "$nb"
else
  # scripts/deps.sh installs both: their absence is a broken machine, not a skip.
  echo "FAIL ninja dependency under references/: ninja or cc is not installed"
  fail=1
fi

# 2. committed binaries under src/, include/, kernel/
for bad in src/policy/a.o include/ospolicy/libx.a kernel/kernel.elf src/loader.efi src/x.so.1 kernel/mod.ko; do
  clean_tree "$t"
  printf 'not really a binary\n' >"$t/$bad"
  run "committed $bad (by name)" 1 "$bad: prebuilt binary or object file (by name)" "$t"
done
clean_tree "$t"
printf '\177ELF\002\001\001\000rest' >"$t/src/policy/table.inc"
run "ELF renamed .inc (by content)" 1 "src/policy/table.inc: ELF binary committed" "$t"
clean_tree "$t"
printf '!<arch>\nrest' >"$t/include/blob"
run "ar archive without extension" 1 "include/blob: ar archive committed" "$t"
clean_tree "$t"
printf 'MZ\220\000rest' >"$t/kernel/boot.img"
run "PE image" 1 "kernel/boot.img: PE/MZ executable committed" "$t"
clean_tree "$t"
printf 'text\000with a NUL' >"$t/src/policy/data.txt"
run "NUL bytes" 1 "src/policy/data.txt: binary file (NUL bytes) committed" "$t"

# 3. licence headers
clean_tree "$t"
printf 'int b(void) { return 2; }\n' >"$t/src/policy/b.c"
run "C file without header" 1 "src/policy/b.c: missing licence header" "$t"
clean_tree "$t"
printf '/* SPDX-License-Identifier: Apache-2.0 */\nint b(void);\n' >"$t/include/ospolicy/b.h"
run "header without copyright" 1 "include/ospolicy/b.h: missing copyright line" "$t"
clean_tree "$t"
printf 'echo no header\n' >"$t/scripts/x.sh"
run "shell script without header" 1 "scripts/x.sh: missing licence header" "$t"
clean_tree "$t"
printf '#!/bin/sh\necho no header\n' >"$t/scripts/noext"
run "extensionless script without header" 1 "scripts/noext: missing licence header" "$t"
clean_tree "$t"
printf 'cmake_minimum_required(VERSION 3.25)\n' >"$t/CMakeLists.txt"
run "CMakeLists.txt without header" 1 "CMakeLists.txt: missing licence header" "$t"
clean_tree "$t"
printf 'SECTIONS { }\n' >"$t/kernel/kernel.ld"
run "linker script without header" 1 "kernel/kernel.ld: missing licence header" "$t"
clean_tree "$t"
for i in 1 2 3 4 5; do printf '/* line %s */\n' "$i"; done >"$t/src/policy/late.c"
printf '%s\n' "$header_c" >>"$t/src/policy/late.c"
run "header after line 5" 1 "src/policy/late.c: missing licence header" "$t"

# Several findings are all reported.
clean_tree "$t"
printf 'int b(void);\n' >"$t/src/policy/b.c"
printf 'x' >"$t/src/policy/c.o"
out=$("$firewall" --root "$t" --no-git --name fixture.firewall 2>/dev/null)
check "every finding reported" 2 "$(grep -c '^TEST_FAIL fixture.firewall' <<<"$out")"

"$firewall" --bogus >/dev/null 2>&1
check "usage error" 2 $?
exit $fail
