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
  redacted-failure LOG
                  as `redacted`, for a release boot that took kernel.slide's
                  failure paths (boot.release_slide_failure): its four
                  failure lines are there and carry no digit at all, and no
                  kernel line holds a hex number other than an image offset
                  ("kernel+0x...") or a masked one ("0x<redacted>").
  selftest        feeds the checks leaky logs: each must be refused.
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
HEX = re.compile(r"0x[0-9a-f]+", re.IGNORECASE)
SLIDE_FAIL = "TEST_FAIL kernel.slide:"
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


def kernel_lines(lines):
    """The kernel's own lines: from its entry marker on, notes and markers."""
    seen = False
    for line in lines:
        seen = seen or line.startswith(ENTRY)
        if seen and (line.startswith("# kernel:") or (line.startswith("TEST_") and " kernel." in line)):
            yield line


def failure_problems(lines):
    problems = []
    slide_failures = [line for line in lines if line.startswith(SLIDE_FAIL)]
    if len(slide_failures) != 4:
        problems.append(f"{len(slide_failures)} kernel.slide failure lines, want 4 (one per failure path)")
    for line in slide_failures:
        if re.search(r"[0-9]", line[len(SLIDE_FAIL):]):
            problems.append(line)
    for line in kernel_lines(lines):
        for m in HEX.finditer(line):
            if not line[:m.start()].endswith("kernel+"):
                problems.append(line)
                break
    return problems


def check_redacted(path, failure=False):
    lines = lines_of(path)
    if ENTRY not in "\n".join(lines):
        sys.exit(f"{path}: the kernel never started")
    problems = []
    for line in lines:
        if UPPER.search(line) or "slide 0x" in line or "running at 0x" in line:
            problems.append(line)
    layouts = [m for m in map(LAYOUT.match, lines) if m]
    if not layouts and not failure:  # a failed kernel.slide ends the boot before any agent
        problems.append("no agent layout line")
    for m in layouts:
        if any(value != "<redacted>" for value in m.groups()[1:]):
            problems.append(m.group(0))
    if "TEST_PASS kernel.kaslr_redacted" not in lines:
        problems.append("no TEST_PASS kernel.kaslr_redacted")
    if failure:
        problems.extend(failure_problems(lines))
    if problems:
        print("FAILED: a release boot printed kernel addresses:")
        for line in problems:
            print(f"  {line}")
        sys.exit(1)
    print(f"{len(lines)} lines, no raw kernel address or slide: PASSED")


def selftest():
    """Each leaky log must be refused, the clean one accepted."""
    import tempfile
    head = ["loader: ok", "# kernel: entry reached (release build)", "# kernel: boot info v1 at <redacted>, 4096 bytes"]
    tail = ["TEST_PASS kernel.kaslr_redacted"]
    fails = [f"{SLIDE_FAIL} the image leaves the KASLR window (values withheld: release build)"] * 4
    cases = {
        "clean": (head + fails + ["# kernel: fault at kernel+0x1234, 0x<redacted>"] + tail, True),
        "slide in a failure line": (head + fails[:3] + [f"{SLIDE_FAIL} slide 0x3400000 not a multiple"] + tail, False),
        "decimal slide": (head + fails[:3] + [f"{SLIDE_FAIL} window + 54525952"] + tail, False),
        "raw low address": (head + fails + ["# kernel: boot info at 0x7e5e000"] + tail, False),
        "upper-half address": (head + fails + ["TEST_FAIL kernel.x: at 0xffffffff81000000"] + tail, False),
        "failure path not taken": (head + fails[:2] + tail, False),
    }
    wrong = []
    with tempfile.TemporaryDirectory() as folder:
        for name, (lines, clean) in cases.items():
            path = os.path.join(folder, "log")
            with open(path, "w") as f:
                f.write("\n".join(lines) + "\n")
            try:
                check_redacted(path, failure=True)
                accepted = True
            except SystemExit as e:
                accepted = e.code in (None, 0)
            if accepted != clean:
                wrong.append(f"{name}: {'accepted' if accepted else 'refused'}")
    if wrong:
        sys.exit("FAILED: " + "; ".join(wrong))
    print(f"{len(cases)} logs judged as expected: PASSED")
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
    elif len(sys.argv) == 3 and sys.argv[1] == "redacted-failure":
        check_redacted(sys.argv[2], failure=True)
    elif len(sys.argv) == 2 and sys.argv[1] == "selftest":
        selftest()
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
