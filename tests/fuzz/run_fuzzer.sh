#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright (c) 2026 The ospolicy authors
#
# run_fuzzer.sh FUZZER SEED_CORPUS WORK_DIR SECONDS
# Runs a libFuzzer target for a bounded time. New inputs go to WORK_DIR/corpus
# (the committed seed corpus is only read); crash reproducers go to
# WORK_DIR/artifacts. Exit status is the fuzzer's: non-zero on any finding.
set -eu
fuzzer=$1
seeds=$2
work=$3
seconds=$4
rm -rf "$work"
mkdir -p "$work/corpus" "$work/artifacts"
"$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
  -artifact_prefix="$work/artifacts/" "$work/corpus" "$seeds"
