#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright (c) 2026 The ospolicy authors
#
# Boot-time figures for the UEFI path (docs/boot_tests.md), measured in one
# run: OVMF booting EMPTY.EFI (an application that only calls isa-debug-exit:
# the baseline) against the full loader + kernel boot in both CPU
# configurations. Each figure is the median of N boots (default 3) of
# wall-clock time from QEMU start to exit, as tests/boot/boot_test.py
# measures it. Prints figures and ratios; it is not a timed test.
#
#   bench/boot_time.sh [build-dir] [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/default}
runs=${2:-3}
driver=tests/boot/boot_test.py
efi="$build/src/loader/BOOTX64.EFI"
# kernel.elf is a test image (test key): in a non-Debug build BOOTX64.EFI is a
# release loader, which refuses it; the debug loader is in debug/ there.
if [ -f "$build/src/loader/debug/BOOTX64.EFI" ]; then
  efi="$build/src/loader/debug/BOOTX64.EFI"
fi
empty="$build/src/loader/EMPTY.EFI"
kernel="$build/kernel/kernel.elf"
for file in "$efi" "$empty" "$kernel"; do
  [ -f "$file" ] || { echo "boot_time: $file missing: build first (cmake --build --preset default)" >&2; exit 1; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# measure NAME ARGS... -> prints the median seconds
measure() {
  local name=$1; shift
  local times=()
  for _ in $(seq "$runs"); do
    local line
    line=$(python3 "$driver" --quiet --name "$name" --work-dir "$work" "$@" | grep "boot time") || {
      echo "boot_time: $name failed" >&2; exit 1; }
    times+=("$(sed -E 's/.*boot time ([0-9.]+) s.*/\1/' <<<"$line")")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

baseline=$(measure empty --efi "$empty" --cpu qemu64)
qemu64=$(measure qemu64 --efi "$efi" --kernel "$kernel" --cpu qemu64 --expected tests/boot/expected/qemu64.txt)
max_rng=$(measure max_rng --efi "$efi" --kernel "$kernel" --cpu max --rng --expected tests/boot/expected/max_rng.txt)
max_empty=$(measure empty-max --efi "$empty" --cpu max --rng)

echo "UEFI boot time, median of $runs boots (QEMU TCG, OVMF, q35, 256 MiB):"
awk -v b="$baseline" -v bm="$max_empty" -v a="$qemu64" -v m="$max_rng" 'BEGIN {
  printf "  baseline EMPTY.EFI -cpu qemu64            %6.2f s  1.00x\n", b
  printf "  baseline EMPTY.EFI -cpu max + virtio-rng  %6.2f s  %.2fx\n", bm, bm / b
  printf "  loader + kernel    -cpu qemu64            %6.2f s  %.2fx  (+%.2f s)\n", a, a / b, a - b
  printf "  loader + kernel    -cpu max + virtio-rng  %6.2f s  %.2fx  (+%.2f s over its own baseline)\n", m, m / b, m - bm
}'
