#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# Copyright (c) 2026 The ospolicy authors
"""The boot-test driver must be able to fail: feed it bad reports.

Runs boot_test.py end to end against a fake QEMU (this file, re-invoked with
--fake-qemu) that prints a scripted COM1 transcript and exits with a chosen
status or hangs, and checks the driver's verdict for each scenario.
"""
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
DRIVER = os.path.join(HERE, "boot_test.py")

GOOD = ["BdsDxe: starting Boot0001", "\x1b[2J# loader: hello", "TEST_START a.one", "TEST_PASS a.one",
        "TEST_START a.two", "TEST_PASS a.two", "TEST_SUMMARY pass=2 fail=0"]

SCENARIOS = [
    # (name, transcript, exit status or "hang", driver should pass)
    ("good", GOOD, 33, True),
    ("missing case", GOOD[:4] + ["TEST_SUMMARY pass=1 fail=0"], 33, False),
    ("extra case", GOOD[:6] + ["TEST_START a.three", "TEST_PASS a.three", "TEST_SUMMARY pass=3 fail=0"], 33, False),
    ("failing case", GOOD[:4] + ["TEST_START a.two", "TEST_FAIL a.two: broken", "TEST_SUMMARY pass=1 fail=1"], 35,
     False),
    ("failing case, success exit", GOOD[:4] + ["TEST_START a.two", "TEST_FAIL a.two: broken",
                                               "TEST_SUMMARY pass=1 fail=1"], 33, False),
    ("duplicated case", GOOD[:6] + ["TEST_START a.two", "TEST_PASS a.two", "TEST_SUMMARY pass=3 fail=0"], 33, False),
    ("no summary", GOOD[:6], 33, False),
    ("summary mismatch", GOOD[:6] + ["TEST_SUMMARY pass=5 fail=0"], 33, False),
    ("unfinished case", GOOD[:5] + ["TEST_SUMMARY pass=1 fail=0"], 33, False),
    ("wrong exit status", GOOD, 35, False),
    ("triple fault (exit 0)", GOOD[:4], 0, False),
    ("timeout", GOOD[:4], "hang", False),
]


def fake_qemu():
    transcript = os.environ["FAKE_QEMU_TRANSCRIPT"].split("\n")
    for line in transcript:
        sys.stdout.write(line + "\r\n")
    sys.stdout.flush()
    outcome = os.environ["FAKE_QEMU_EXIT"]
    if outcome == "hang":
        import time
        time.sleep(60)
    sys.exit(int(outcome))


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--fake-qemu":
        fake_qemu()
    failures = 0
    with tempfile.TemporaryDirectory() as work:
        fake = os.path.join(work, "fake-qemu")
        with open(fake, "w", encoding="utf-8") as f:
            f.write(f"#!/bin/sh\nexec {sys.executable} {os.path.abspath(__file__)} --fake-qemu\n")
        os.chmod(fake, 0o755)
        efi = os.path.join(work, "app.efi")
        vars_file = os.path.join(work, "vars.fd")
        expected = os.path.join(work, "expected.txt")
        for path, content in ((efi, "x"), (vars_file, "x"), (expected, "# cases\na.one\na.two\n")):
            with open(path, "w", encoding="utf-8") as f:
                f.write(content)
        for name, transcript, status, should_pass in SCENARIOS:
            env = dict(os.environ, FAKE_QEMU_TRANSCRIPT="\n".join(transcript), FAKE_QEMU_EXIT=str(status))
            result = subprocess.run(
                [sys.executable, DRIVER, "--qemu", fake, "--ovmf-vars", vars_file, "--efi", efi,
                 "--expected", expected, "--timeout", "2", "--work-dir", work, "--quiet", "--name", name],
                env=env, capture_output=True, text=True, timeout=60)
            passed = result.returncode == 0
            verdict = "ok" if passed == should_pass else "WRONG"
            print(f"{verdict}: {name}: driver {'passed' if passed else 'failed'}"
                  f" (want {'pass' if should_pass else 'fail'})")
            if passed != should_pass:
                failures += 1
                print(result.stdout + result.stderr)
    print(f"{len(SCENARIOS) - failures}/{len(SCENARIOS)} scenarios judged correctly")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
