#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# Copyright (c) 2026 The ospolicy authors
"""Checks over COM1 logs that earlier boot tests wrote (docs/boot_tests.md).

  slides LOG...   every log reports one KASLR slide ("# kernel: KASLR slide
                  0x...") and at least two of the slides differ: the kernel
                  really moves between boots.
  redacted LOG    a release boot: no line of the whole log, loader or
                  kernel, holds an upper-half address or a slide, every
                  agent layout line is redacted, the kernel started, and it
                  said why (kernel.kaslr_redacted passed).
  layouts LOG...  debug boots: every log prints the layouts of agents
                  "hello" and "worker" (image, stack top, heap); within a
                  boot the two agents differ in all three, and the hello
                  agent's layout differs between every two boots.
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
LAYOUT = re.compile(r"^# kernel: agent (\S+) layout: image (\S+) \(\d+ KiB\), stack top (\S+), heap (\S+)$")


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
    layouts = [m for m in map(LAYOUT.match, lines) if m]
    if not layouts:
        problems.append("no agent layout line")
    for m in layouts:
        if any(value != "<redacted>" for value in m.groups()[1:]):
            problems.append(m.group(0))
    if "TEST_PASS kernel.kaslr_redacted" not in lines:
        problems.append("no TEST_PASS kernel.kaslr_redacted")
    if problems:
        print("FAILED: a release boot printed kernel addresses:")
        for line in problems:
            print(f"  {line}")
        sys.exit(1)
    print(f"{len(lines)} lines, no raw kernel address or slide: PASSED")


def check_layouts(paths):
    hello = []
    for path in paths:
        found = {m.group(1): m.groups()[1:] for m in map(LAYOUT.match, lines_of(path)) if m}
        if "hello" not in found or "worker" not in found:
            sys.exit(f"{path}: no layout line for agent hello and worker")
        a, b = found["hello"], found["worker"]
        if any(x == y for x, y in zip(a, b)) or any(not x.startswith("0x") for x in a + b):
            sys.exit(f"FAILED: {path}: agents hello and worker share a base, or a base is not printed: {a} {b}")
        print(f"{os.path.basename(path)}: hello {a}, worker {b}")
        hello.append(a)
    for i in range(len(hello)):
        for j in range(i + 1, len(hello)):
            if any(x == y for x, y in zip(hello[i], hello[j])):
                sys.exit(f"FAILED: boots {i} and {j} share a base of agent hello")
    if len(hello) < 2:
        sys.exit("FAILED: want at least 2 boots")
    print(f"{len(hello)} boots, every base of agent hello distinct: PASSED")


def main():
    if len(sys.argv) >= 3 and sys.argv[1] == "slides":
        check_slides(sys.argv[2:])
    elif len(sys.argv) >= 3 and sys.argv[1] == "layouts":
        check_layouts(sys.argv[2:])
    elif len(sys.argv) == 3 and sys.argv[1] == "redacted":
        check_redacted(sys.argv[2])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
