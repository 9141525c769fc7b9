#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright (c) 2026 The ospolicy authors
#
# cli.wx_audit: wx_audit_test.sh OSPOLICY WX_FIXTURE
# Audits a process that holds an RWX mapping (exit 1, the mapping listed) and
# one that does not (exit 0), plus the usage and unreadable exit statuses.
set -u
tool=$1
fixture=$2
fail=0
check() { # name expected actual
  if [ "$2" != "$3" ]; then echo "FAIL $1: expected $2, got $3"; fail=1; else echo "ok   $1"; fi
}

audit_fixture() { # mode -> sets status and output
  local fifo dir
  dir=$(mktemp -d)
  fifo="$dir/in"
  mkfifo "$fifo"
  "$fixture" "$1" <"$fifo" >"$dir/out" &
  local pid=$!
  exec 9>"$fifo"
  for _ in $(seq 1 100); do grep -q ready "$dir/out" 2>/dev/null && break; sleep 0.05; done
  output=$("$tool" wx-audit --pid "$pid")
  status=$?
  exec 9>&-
  wait "$pid"
  rm -rf "$dir"
}

audit_fixture wx
check "rwx process exits 1" 1 "$status"
case "$output" in *"W+X: "*"rwxp"*) check "rwx mapping listed" yes yes ;; *) check "rwx mapping listed" yes no ;; esac
case "$output" in *"FAILED, 1 W+X mappings found"*) check "verdict counts 1" yes yes ;; *) check "verdict counts 1" yes no ;; esac

audit_fixture clean
check "clean process exits 0" 0 "$status"
case "$output" in *"passed, no W+X pages found"*) check "clean verdict" yes yes ;; *) check "clean verdict" yes no ;; esac

"$tool" wx-audit --pid notapid >/dev/null 2>&1
check "bad pid is a usage error" 2 $?
"$tool" wx-audit --bogus >/dev/null 2>&1
check "unknown flag is a usage error" 2 $?
"$tool" wx-audit --pid 2147483647 >/dev/null 2>&1
check "missing process is unreadable" 3 $?
"$tool" wx-audit --help | grep -q "usage: ospolicy wx-audit"
check "--help prints usage" 0 $?
"$tool" --version | grep -q "^ospolicy [0-9]"
check "--version" 0 $?
exit $fail
