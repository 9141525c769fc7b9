#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright (c) 2026 The ospolicy authors
#
# build.secure_boot_key_passphrase: secure_boot_key_test.sh CMAKE OPENSSL SCRIPT BUILD_DIR
# The Secure Boot key's passphrase reaches openssl from the environment or a
# file, never on a command line and never in the CMake cache
# (cmake/OSPolicySecureBootKey.cmake): an encrypted key of our own is
# decrypted by the build's script through an openssl wrapper that records
# its arguments; a missing or wrong passphrase fails with a message and
# leaves no key behind; BUILD_DIR's cache and build.ninja hold no passphrase.
set -u
cmake=$1 openssl=$2 script=$3 build=$4
fail=0
check() { if [ "$2" != "$3" ]; then echo "FAIL $1: expected $2, got $3"; fail=1; else echo "ok   $1"; fi; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
secret="pass-$RANDOM-$RANDOM-word"
printf '#!/bin/sh\nprintf "%%s\\n" "$*" >>"%s/argv"\nexec "%s" "$@"\n' "$work" "$openssl" >"$work/openssl"
chmod +x "$work/openssl"
SB_TEST_SECRET=$secret "$openssl" genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -aes-256-cbc \
  -pass env:SB_TEST_SECRET -out "$work/db.key" 2>/dev/null
check "test key is encrypted" yes "$(grep -q ENCRYPTED "$work/db.key" && echo yes || echo no)"
# Sets $rc and $out (CMake wraps its messages: whitespace folded to one space).
decrypt() {
  out=$("$cmake" -DKEY="$work/db.key" -DOUT="$work/plain.key" -DOPENSSL="$work/openssl" "$@" -P "$script" 2>&1)
  rc=$?
  out=$(printf '%s' "$out" | tr -s ' \n' '  ')
}

unset OSPOLICY_SECURE_BOOT_KEY_PASSPHRASE
decrypt
check "no passphrase: refused" 1 "$([ $rc != 0 ] && echo 1 || echo 0)"
case "$out" in *"is encrypted and no passphrase was given: set OSPOLICY_SECURE_BOOT_KEY_PASSPHRASE"*)
  check "no passphrase: says what to set" yes yes ;; *) check "no passphrase: says what to set" yes no; echo "$out" ;; esac
check "no passphrase: no key left" no "$([ -e "$work/plain.key" ] && echo yes || echo no)"

OSPOLICY_SECURE_BOOT_KEY_PASSPHRASE=wrong decrypt
check "wrong passphrase: refused" 1 "$([ $rc != 0 ] && echo 1 || echo 0)"
case "$out" in *"could not decrypt"*"environment variable OSPOLICY_SECURE_BOOT_KEY_PASSPHRASE"*)
  check "wrong passphrase: says so" yes yes ;; *) check "wrong passphrase: says so" yes no; echo "$out" ;; esac
check "wrong passphrase: no key left" no "$([ -e "$work/plain.key" ] && echo yes || echo no)"

OSPOLICY_SECURE_BOOT_KEY_PASSPHRASE=$secret decrypt
check "passphrase from the environment: decrypted" 0 "$rc"
check "decrypted key is a plain private key" yes \
  "$("$openssl" pkey -in "$work/plain.key" -passin pass: -noout 2>/dev/null && echo yes || echo no)"
check "decrypted key is mode 0600" 600 "$(stat -c %a "$work/plain.key" 2>/dev/null)"
rm -f "$work/plain.key"

printf '%s\n' "$secret" >"$work/pass.txt"
decrypt -DPASSFILE="$work/pass.txt"
check "passphrase from OSPOLICY_SECURE_BOOT_KEY_PASSPHRASE_FILE: decrypted" 0 "$rc"

check "openssl was run" yes "$([ -s "$work/argv" ] && echo yes || echo no)"
check "the passphrase was on no openssl command line" 0 "$(grep -c -- "$secret" "$work/argv")"
check "the cache holds no passphrase variable" 0 \
  "$(grep -c '^OSPOLICY_SECURE_BOOT_KEY_PASSPHRASE:' "$build/CMakeCache.txt")"
check "build.ninja passes no passphrase" 0 "$(grep -c -e 'passin pass:' -e '_PASSPHRASE=' "$build/build.ninja")"
[ "$fail" = 0 ] && echo PASSED
exit "$fail"
