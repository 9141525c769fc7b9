#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright (c) 2026 The ospolicy authors
#
# The main job: install what is missing (scripts/deps.sh), build the default
# preset, show the host report (ospolicy wx-audit), then boot
# OVMF -> BOOTX64.EFI -> kernel.elf under QEMU (TCG) and show the live
# self-test report from COM1 as it arrives (docs/uefi.md, docs/boot_tests.md).
#
#   scripts/run.sh            boot with -cpu max + virtio-rng (firmware RNG, RDRAND)
#   scripts/run.sh qemu64     boot with -cpu qemu64, no virtio-rng (fallback entropy)
#   scripts/run.sh secure_boot  -cpu max + virtio-rng under UEFI Secure Boot: the
#                             sbsign-signed release loader and kernel-release.elf
#                             on OVMF with Debian's test keys enrolled (only
#                             release loaders are signed; docs/boot_chain.md)
#
# The boot report is checked against tests/boot/expected/<config>.txt exactly
# as the boot tests do; the exit status is 0 only if every case passed.
set -euo pipefail
cd "$(dirname "$0")/.."

build=build/default
config=${1:-max_rng}
efi="$build/src/loader/BOOTX64.EFI"
kernel="$build/kernel/kernel.elf"
expected=$config
case "$config" in
  max_rng) qemu_args=(--cpu max --rng) ;;
  qemu64) qemu_args=(--cpu qemu64) ;;
  secure_boot)
    efi="$build/src/loader/signed-release/BOOTX64.EFI"
    kernel="$build/kernel/kernel-release.elf"
    expected=release_max
    qemu_args=(--cpu max --rng --secure-boot --ovmf-code /usr/share/OVMF/OVMF_CODE_4M.snakeoil.fd
      --ovmf-vars /usr/share/OVMF/OVMF_VARS_4M.snakeoil.fd --expect-line "# loader: UEFI Secure Boot: on") ;;
  *) echo "usage: $0 [max_rng|qemu64|secure_boot]" >&2; exit 2 ;;
esac

scripts/deps.sh
cmake --preset default >/dev/null
cmake --build --preset default -j "$(nproc 2>/dev/null || echo 2)"

echo "== ospolicy wx-audit (this tool's own mappings) =="
"$build/src/cli/ospolicy" wx-audit

echo "== UEFI boot: OVMF -> BOOTX64.EFI -> kernel.elf ($config) =="
exec python3 tests/boot/boot_test.py --name "run.$config" --stream \
  --efi "$efi" --kernel "$kernel" \
  "${qemu_args[@]}" --expected "tests/boot/expected/$expected.txt" \
  --work-dir "$build/tests/boot/runs" --timeout 120
