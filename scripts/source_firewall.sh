#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright (c) 2026 The ospolicy authors
#
# source_firewall.sh [--root DIR] [--build-dir DIR] [--no-git] [--name CASE]
#
# The source firewall (docs/modsign.md, "Supply chain"). Fails when
#   1. first-party code compiles or includes anything under a references/
#      folder: an #include naming references/ in a C/assembly/linker file, a
#      CMake line (not a comment) naming references/, and, with --build-dir,
#      any compiled file or -I/-isystem/-iquote/-include path in
#      compile_commands.json, or any header Ninja recorded as a dependency
#      (ninja -t deps), that lies under a references/ folder;
#   2. a prebuilt binary or object file is committed under src/, include/ or
#      kernel/: by name (.o .obj .a .so .lib .dll .dylib .elf .efi .exe .bin
#      .ko .pyc .gch .pch) or by content (ELF, PE/MZ, ar, Mach-O magic, or a
#      NUL byte in the first 8 KiB);
#   3. a first-party source file lacks the licence header in its first five
#      lines: "SPDX-License-Identifier: Apache-2.0" and "Copyright (c) YEAR
#      The ospolicy authors". Source files: *.c *.h *.S *.s *.ld *.lds *.cmake
#      *.cmake.in CMakeLists.txt *.sh *.py, and any file starting with "#!".
#      Not source (no header needed): documentation, JSON and other data,
#      pkg-config templates (*.pc.in), fuzz corpora (tests/fuzz/corpus/), and
#      third-party code under references/.
#
# Files: `git ls-files --cached --others --exclude-standard` when DIR is the
# top of a git checkout (so build trees and ignored files never count, and a
# force-added object file does), else every file under DIR except .git/ and
# build*/ directories (--no-git forces this).
#
# Output (the project's test markers): TEST_START <case>, one
# "TEST_FAIL <case> <path>: <reason>" line per finding, and TEST_PASS <case>
# when there is none. Exit 0 clean, 1 findings, 2 usage error.
set -uo pipefail

root=.
build_dir=
use_git=1
case_name=source.firewall
while [ $# -gt 0 ]; do
  case "$1" in
    --root) root=$2; shift 2 ;;
    --build-dir) build_dir=$2; shift 2 ;;
    --no-git) use_git=0; shift ;;
    --name) case_name=$2; shift 2 ;;
    -h|--help) sed -n '4,34p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "source_firewall.sh: unexpected argument '$1'" >&2; exit 2 ;;
  esac
done
if [ ! -d "$root" ]; then
  echo "source_firewall.sh: --root $root is not a directory" >&2
  exit 2
fi
root=$(cd "$root" && pwd)

echo "TEST_START $case_name"
findings=0
fail() { # path reason
  echo "TEST_FAIL $case_name $1: $2"
  findings=$((findings + 1))
}

# ---- the file list ------------------------------------------------------
files=()
if [ "$use_git" = 1 ] && command -v git >/dev/null 2>&1 &&
   top=$(git -C "$root" rev-parse --show-toplevel 2>/dev/null) && [ "$top" = "$root" ]; then
  while IFS= read -r -d '' f; do
    [ -f "$root/$f" ] && files+=("$f")
  done < <(git -C "$root" ls-files -z --cached --others --exclude-standard)
else
  while IFS= read -r -d '' f; do
    files+=("${f#./}")
  done < <(cd "$root" && find . \( -name .git -o -path './build' -o -path './build-*' \) -prune \
             -o -type f -print0)
fi

is_reference() { [[ "$1" =~ (^|/)references/ ]]; }
is_corpus() { [[ "$1" == tests/fuzz/corpus/* ]]; }

is_source() { # path -> 0 if the licence header is required
  local f=$1 base=${1##*/}
  case "$base" in
    *.pc.in) return 1 ;;
    *.c|*.h|*.S|*.s|*.ld|*.lds|*.cmake|*.cmake.in|CMakeLists.txt|*.sh|*.py) return 0 ;;
  esac
  [ "$(head -c 2 "$root/$f" 2>/dev/null)" = "#!" ]
}

binary_reason() { # path -> prints a reason if the file is a binary artifact
  local f=$1 base=${1##*/}
  case "$base" in
    *.o|*.obj|*.a|*.so|*.so.*|*.lib|*.dll|*.dylib|*.elf|*.efi|*.exe|*.bin|*.ko|*.pyc|*.gch|*.pch)
      echo "prebuilt binary or object file (by name)"; return ;;
  esac
  local magic
  magic=$(head -c 8 "$root/$f" 2>/dev/null | od -An -tx1 | tr -d ' \n')
  case "$magic" in
    7f454c46*) echo "ELF binary committed"; return ;;
    4d5a*) echo "PE/MZ executable committed"; return ;;
    213c617263683e0a*) echo "ar archive committed"; return ;;
    feedface*|feedfacf*|cefaedfe*|cffaedfe*) echo "Mach-O binary committed"; return ;;
  esac
  if [ -s "$root/$f" ] && [ "$(head -c 8192 "$root/$f" | tr -d '\000' | wc -c)" -ne \
       "$(head -c 8192 "$root/$f" | wc -c)" ]; then
    echo "binary file (NUL bytes) committed"
  fi
}

for f in "${files[@]}"; do
  base=${f##*/}
  # 2. binaries under src/, include/, kernel/
  case "$f" in
    src/*|include/*|kernel/*)
      reason=$(binary_reason "$f")
      [ -n "$reason" ] && fail "$f" "$reason"
      ;;
  esac
  if is_reference "$f" || is_corpus "$f"; then
    continue
  fi
  if ! is_source "$f"; then
    continue
  fi
  # 3. licence header
  header=$(head -n 5 "$root/$f")
  if ! grep -q 'SPDX-License-Identifier: Apache-2.0' <<<"$header"; then
    fail "$f" "missing licence header (SPDX-License-Identifier: Apache-2.0 in the first 5 lines)"
  elif ! grep -Eq 'Copyright \(c\) [0-9]{4}(-[0-9]{4})? The ospolicy authors' <<<"$header"; then
    fail "$f" "missing copyright line (Copyright (c) YEAR The ospolicy authors in the first 5 lines)"
  fi
  # 1. references/ in includes and build files
  case "$base" in
    *.c|*.h|*.S|*.s|*.ld|*.lds)
      hit=$(grep -nE '^[[:space:]]*#[[:space:]]*(include|include_next|import|incbin)[[:space:]]*[<"](.*/)?references/|^[[:space:]]*\.incbin[[:space:]]+"(.*/)?references/|INCLUDE[[:space:]]+(.*/)?references/' "$root/$f" | head -n 1)
      [ -n "$hit" ] && fail "$f" "includes a file under references/ (line ${hit%%:*})"
      ;;
    *.cmake|*.cmake.in|CMakeLists.txt)
      hit=$(sed 's/#.*$//' "$root/$f" | grep -nE '(^|[/"[:space:]({$}])references/' | head -n 1)
      [ -n "$hit" ] && fail "$f" "build file compiles or includes from references/ (line ${hit%%:*})"
      ;;
  esac
done

# 1b. what the build actually compiled and included
if [ -n "$build_dir" ]; then
  if [ -f "$build_dir/compile_commands.json" ]; then
    # A check that cannot run is a finding, never a silent pass.
    if ! report=$(python3 - "$build_dir/compile_commands.json" <<'EOF'
import json, re, shlex, sys
ref = re.compile(r'(^|/)references/')
try:
    entries = json.load(open(sys.argv[1]))
except (OSError, ValueError) as error:
    print(f"{sys.argv[1]}\tcannot read compile_commands.json: {error}")
    sys.exit(0)
for e in entries:
    src = e.get("file", "")
    args = e.get("arguments") or shlex.split(e.get("command", ""))
    if ref.search(src):
        print(f"{src}\ta first-party target compiles a file under references/")
        continue
    for i, a in enumerate(args):
        path = None
        for flag in ("-I", "-isystem", "-iquote", "-include", "-idirafter"):
            if a == flag and i + 1 < len(args):
                path = args[i + 1]
            elif a.startswith(flag) and len(a) > len(flag):
                path = a[len(flag):]
        if path and ref.search(path):
            print(f"{src}\tcompiled with an include path under references/ ({path})")
            break
EOF
    ); then
      fail "$build_dir/compile_commands.json" "could not be checked (python3 failed)"
    fi
    while IFS= read -r line; do
      [ -n "$line" ] && fail "${line%%	*}" "${line#*	}"
    done <<<"$report"
  fi
  if [ -f "$build_dir/build.ninja" ]; then
    if ! command -v ninja >/dev/null 2>&1; then
      fail "$build_dir/build.ninja" "ninja is not installed: the dependency log cannot be checked"
    elif ! deps=$(ninja -C "$build_dir" -t deps 2>/dev/null); then
      fail "$build_dir/build.ninja" "ninja -t deps failed: the dependency log cannot be checked"
    else
      while IFS= read -r dep; do
        [ -n "$dep" ] && fail "$dep" "a first-party target includes this file under references/ (ninja -t deps)"
      done < <(printf '%s\n' "$deps" | sed -n 's/^[[:space:]]\{1,\}//p' |
               grep -E '(^|/)references/' | sort -u)
    fi
  fi
fi

if [ "$findings" -eq 0 ]; then
  echo "TEST_PASS $case_name"
  exit 0
fi
echo "source_firewall.sh: $findings finding(s) in ${#files[@]} files" >&2
exit 1
