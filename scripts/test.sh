#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright (c) 2026 The ospolicy authors
#
# The whole test suite, as CI runs it (.ci/run calls exactly this):
#   1. default preset (Debug, -Werror): unit, live, build, CLI tests
#   2. sanitize preset (ASan + UBSan): the same suite instrumented
#   3. fuzz preset (clang libFuzzer): every fuzz target for OSPOLICY_FUZZ_SECONDS
#      (default 60) from its committed seed corpus; any crash fails
# Installs missing Debian packages first (scripts/deps.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/deps.sh

jobs=$(nproc 2>/dev/null || echo 2)
fuzz_seconds=${OSPOLICY_FUZZ_SECONDS:-60}

for preset in default sanitize; do
  echo "== $preset =="
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset" -j "$jobs"
  ctest --preset "$preset" -j "$jobs"
done

echo "== fuzz (${fuzz_seconds}s per target) =="
cmake --preset fuzz -DOSPOLICY_FUZZ_SECONDS="$fuzz_seconds" >/dev/null
cmake --build --preset fuzz -j "$jobs"
ctest --preset fuzz -j "$jobs"
