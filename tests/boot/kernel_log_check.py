#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# Copyright (c) 2026 The ospolicy authors
"""Checks over COM1 logs that earlier boot tests wrote (docs/boot_tests.md).

  slides LOG...   every log reports one KASLR slide ("# kernel: KASLR slide
                  0x...") and at least two of the slides differ: the kernel
                  really moves between boots.
  redacted LOG    a release boot: no line of the whole log, loader or
                  kernel, holds an upper-half address or a slide, the kernel
                  started, and it said why (kernel.kaslr_redacted passed).
Costs no boot: the logs come from boot.qemu64, boot.max_rng, boot.stack_smash
and boot.release, which CTest runs first (fixtures).
"""
import os
import re
import sys
import time

SLIDE = re.compile(r"^# kernel: KASLR slide (0x[0-9a-f]+) ")
UPPER = re.compile(r"0x(ffff[89a-f][0-9a-f]{11})\b", re.IGNORECASE)
ENTRY = "# kernel: entry reached"


def lines_of(path):
    if not os.path.isfile(path):
        sys.exit(f"{path}: missing (did its boot test run?)")
    if time.time() - os.path.getmtime(path) > 3600:
        sys.exit(f"{path}: older than an hour: a stale log from an earlier run")
    with open(path, "rb") as f:
        text = f.read().decode("utf-8", "replace")
    return [line.replace("\r", "").rstrip() for line in text.split("\n")]


def check_slides(paths):
    slides = []
    for path in paths:
        found = [m.group(1) for m in map(SLIDE.match, lines_of(path)) if m]
        if len(found) != 1:
            sys.exit(f"{path}: {len(found)} KASLR slide lines, want exactly 1")
        slides.append(found[0])
        print(f"{os.path.basename(path)}: slide {found[0]}")
    distinct = len(set(slides))
    print(f"{len(slides)} boots, {distinct} distinct slides")
    if len(slides) < 3 or distinct < 2:
        sys.exit("FAILED: want at least 3 boots and 2 distinct slides")
    print("PASSED")


def check_redacted(path):
    lines = lines_of(path)
    if ENTRY not in "\n".join(lines):
        sys.exit(f"{path}: the kernel never started")
    problems = []
    for line in lines:
        if UPPER.search(line) or "slide 0x" in line or "running at 0x" in line:
            problems.append(line)
    if "TEST_PASS kernel.kaslr_redacted" not in lines:
        problems.append("no TEST_PASS kernel.kaslr_redacted")
    if problems:
        print("FAILED: a release boot printed kernel addresses:")
        for line in problems:
            print(f"  {line}")
        sys.exit(1)
    print(f"{len(lines)} lines, no raw kernel address or slide: PASSED")


def main():
    if len(sys.argv) >= 3 and sys.argv[1] == "slides":
        check_slides(sys.argv[2:])
    elif len(sys.argv) == 3 and sys.argv[1] == "redacted":
        check_redacted(sys.argv[2])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
