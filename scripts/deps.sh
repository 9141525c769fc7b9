#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright (c) 2026 The ospolicy authors
#
# Installs the Debian 12 packages the build and the test suite need, when they
# are missing. As root it runs apt-get; otherwise it prints the exact command
# to run and fails. Sourced-free: `scripts/deps.sh` is called by run.sh and
# test.sh before anything else.
set -euo pipefail

packages=(
  cmake ninja-build gcc libc6-dev binutils pkg-config  # build
  check                                                # unit tests (Check)
  libsodium-dev                                        # OSPolicy::crypto (entropy pool)
  clang libclang-rt-14-dev                             # libFuzzer + sanitizer runtimes
  python3                                              # CLI test (JSON output check)
  gnu-efi qemu-system-x86 ovmf                         # UEFI loader, kernel boot tests (run.sh)
  sbsigntool openssl                                   # Secure Boot: sign BOOTX64.EFI (sbsign), decrypt the PEM key
  git                                                  # source.firewall file list (git ls-files)
  unicode-data                                         # unit.manifest: invisible set vs Unicode's own files
  strace                                               # cli.manifest.oversized-never-read
  minisign signify-openbsd                             # bench_modsign peers (bench only, no test needs them)
  libseccomp-dev libcap-dev                            # ospolicy run: seccomp filter, capabilities
  procps                                               # cli.run.supervisor-killed (pgrep)
  bubblewrap                                           # bench_sandbox's peer (bwrap), bench only
  libmicrohttpd-dev libcurl4-openssl-dev               # ospolicy imds-proxy (server, upstream client)
)

missing=()
for package in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null || true)
  if [ "$status" != "installed" ]; then
    missing+=("$package")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  echo "deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "deps: missing Debian packages: ${missing[*]}" >&2
  echo "deps: run as root:  apt-get update && apt-get install -y ${missing[*]}" >&2
  exit 1
fi
