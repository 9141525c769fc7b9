# SPDX-License-Identifier: Apache-2.0
# Copyright (c) 2026 The ospolicy authors
#
# Sourced by the signing-command tests (modsign_test.sh, modsign_files_test.sh):
# one check and one run helper, and $fail set to 1 by the first failed check.

check() { # name expected actual
  if [ "$2" != "$3" ]; then echo "FAIL $1: expected $2, got $3"; fail=1; else echo "ok   $1"; fi
}
# flip_byte FILE OFFSET: inverts one byte in place. Always a change, where
# writing a constant leaves a random byte that already holds it as it was
# (1 run in 256 of a test on random keys or data would then fail).
flip_byte() {
  local byte
  byte=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
  printf "\\$(printf '%03o' $((byte ^ 255)))" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}
# run NAME EXPECTED_EXIT EXPECTED_TEXT_OR_EMPTY -- command...   (output in $out)
run() {
  local name=$1 expected=$2 text=$3
  shift 4
  out=$("$@" 2>&1)
  local status=$?
  check "$name (exit)" "$expected" "$status"
  if [ -n "$text" ]; then
    case "$out" in *"$text"*) check "$name (says $text)" yes yes ;;
      *) check "$name (says $text)" yes no; printf '%s\n' "$out" ;; esac
  fi
}
