#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright (c) 2026 The ospolicy authors
#
# The main job: install what is missing, build, and show the live report.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
cmake --preset default >/dev/null
cmake --build --preset default -j "$(nproc 2>/dev/null || echo 2)"
tool=build/default/src/cli/ospolicy
echo "== ospolicy wx-audit (this tool's own mappings) =="
"$tool" wx-audit
