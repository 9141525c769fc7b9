#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Copyright (c) 2026 The ospolicy authors
#
# helper_exec_test.sh OSPOLICY HELPER
#
# `ospolicy` itself needs none of imds-proxy's libraries (libmicrohttpd,
# libcurl and what they pull in cost ~5 ms of every start); `ospolicy
# imds-proxy` runs HELPER found relative to `ospolicy`, and says so plainly
# when it is missing.
set -u
tool=$1
helper=$2
fail=0
check() { # what, condition status
  if [ "$2" -eq 0 ]; then echo "ok: $1"; else echo "FAIL: $1"; fail=1; fi
}

needed=$(readelf -d "$tool" | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p')
echo "ospolicy needs: $(echo $needed)"
echo "$needed" | grep -Eq 'libcurl|libmicrohttpd|libgnutls'
check "ospolicy links no HTTP library" $((1 - $?))
readelf -d "$helper" | grep -Eq 'libmicrohttpd'
check "the helper links libmicrohttpd" $?

out=$("$tool" imds-proxy --help 2>&1)
check "ospolicy imds-proxy --help runs the helper" $?
echo "$out" | grep -q '^usage: ospolicy imds-proxy'
check "the helper's usage" $?

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/bin"
cp "$tool" "$dir/bin/ospolicy"
out=$("$dir/bin/ospolicy" imds-proxy --help 2>&1)
status=$?
echo "without the helper: status $status: $out"
[ "$status" -eq 3 ]
check "a missing helper: exit status 3" $?
echo "$out" | grep -q "^ospolicy imds-proxy: cannot run $dir/bin/.*/ospolicy-imds-proxy: No such file or directory"
check "a missing helper: says which file is missing" $?
exit $fail
