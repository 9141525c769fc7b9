#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# Copyright (c) 2026 The ospolicy authors
"""reproducible_images.py --source DIR --work DIR [--build-type T] [--cmake CMAKE] [--generator G]

Two clean builds of one source tree, in two separate folders, must give
byte-identical unsigned boot images: BOOTX64.EFI (the build type's loader),
release/BOOTX64.EFI and kernel.elf (docs/boot_chain.md, "Reproducible
images").

Both builds configure from scratch (tests, benchmarks off: only what the
images need). The second build is given the first one's signing keys
(<build>/modsign/*.sec, *.pub) before it builds the images, since the trust
sets the loader and the kernel embed name them (and the kernel embeds module
signatures made with them): with different keys the images differ, on
purpose.
Nothing else is shared. Signatures (kernel.elf.sig, the Secure Boot signed
loaders) are not compared: they are made with keys, and sbsign's output
differs only by what the key signs.

Prints, per image, its size and SHA-256 in each build, and for a
difference the first differing byte offset. Exit 0 only if every image is
identical.
"""
import argparse
import glob
import hashlib
import os
import shutil
import subprocess
import sys

IMAGES = ["src/loader/BOOTX64.EFI", "src/loader/release/BOOTX64.EFI", "kernel/kernel.elf"]
TARGETS = ["ospolicy_uefi_loader", "ospolicy_uefi_loader_release", "ospolicy_kernel"]


def run(cmd):
    print("+ " + " ".join(cmd), flush=True)
    done = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if done.returncode != 0:
        print(done.stdout)
        sys.exit(f"command failed with status {done.returncode}")


def build(args, folder, keys_from=None):
    shutil.rmtree(folder, ignore_errors=True)
    run([args.cmake, "-S", args.source, "-B", folder, "-G", args.generator, f"-DCMAKE_BUILD_TYPE={args.build_type}",
         "-DOSPOLICY_BUILD_TESTS=OFF", "-DOSPOLICY_BUILD_BENCH=OFF"])
    if keys_from:
        # Let the build make (and record) its own keys first, then replace
        # them: the build tool then sees up-to-date keys, newer than what it
        # recorded, and rebuilds the trust set and signatures from the copies.
        run([args.cmake, "--build", folder, "--target", "ospolicy_signing_keys"])
        modsign = os.path.join(folder, "modsign")
        for key in sorted(glob.glob(os.path.join(keys_from, "modsign", "*.sec")) +
                          glob.glob(os.path.join(keys_from, "modsign", "*.pub"))):
            target = os.path.join(modsign, os.path.basename(key))
            shutil.copyfile(key, target)
            if key.endswith(".sec"):
                os.chmod(target, 0o600)
    run([args.cmake, "--build", folder, "-j", str(args.jobs), "--target", *TARGETS])


def first_difference(a, b):
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return i
    return min(len(a), len(b))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--source", required=True)
    p.add_argument("--work", required=True, help="parent of the two build folders (emptied first)")
    p.add_argument("--build-type", default="Debug")
    p.add_argument("--cmake", default="cmake")
    p.add_argument("--generator", default="Ninja")
    p.add_argument("--jobs", type=int, default=2)
    args = p.parse_args()
    one = os.path.join(args.work, "one")
    two = os.path.join(args.work, "two")
    build(args, one)
    build(args, two, keys_from=one)
    failures = 0
    for image in IMAGES:
        data = []
        for folder in (one, two):
            with open(os.path.join(folder, image), "rb") as f:
                data.append(f.read())
        digests = [hashlib.sha256(d).hexdigest() for d in data]
        if data[0] == data[1]:
            print(f"identical  {image}: {len(data[0])} bytes, sha256 {digests[0]}")
        else:
            failures += 1
            print(f"DIFFERENT  {image}: {len(data[0])} / {len(data[1])} bytes, sha256 {digests[0]} / {digests[1]}, "
                  f"first difference at byte 0x{first_difference(data[0], data[1]):x}")
    if failures:
        print(f"FAILED: {failures} of {len(IMAGES)} images differ between two clean builds")
        return 1
    print(f"PASSED: {len(IMAGES)} images byte-identical in two clean builds")
    return 0


if __name__ == "__main__":
    sys.exit(main())
