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

# Refusal boots: exit 39, the refusal line exactly once, a.two must fail.
REFUSE_ARGS = ["--expect-exit", "39", "--expect-line", "OSPOLICY_REFUSED kernel: denied-x",
               "--expect-fail", "a.two"]
REFUSED = GOOD[:4] + ["TEST_START a.two", "TEST_FAIL a.two: refused: denied-x", "OSPOLICY_REFUSED kernel: denied-x",
                      "TEST_SUMMARY pass=1 fail=1"]
SCENARIOS += [
    # (name, transcript, exit status, driver should pass, extra driver arguments)
    ("refusal", REFUSED, 39, True, REFUSE_ARGS),
    ("refusal, success exit", REFUSED, 33, False, REFUSE_ARGS),
    ("refusal, failure exit", REFUSED, 35, False, REFUSE_ARGS),
    ("refusal, no refusal line", REFUSED[:6] + REFUSED[7:], 39, False, REFUSE_ARGS),
    ("refusal, other status", REFUSED[:6] + ["OSPOLICY_REFUSED kernel: denied-y"] + REFUSED[7:], 39, False,
     REFUSE_ARGS),
    ("refusal, line twice", REFUSED[:7] + REFUSED[6:], 39, False, REFUSE_ARGS),
    ("refusal, case passed", GOOD[:4] + ["TEST_START a.two", "TEST_PASS a.two", REFUSED[6],
                                         "TEST_SUMMARY pass=2 fail=0"], 39, False, REFUSE_ARGS),
    ("refusal, case missing", GOOD[:4] + [REFUSED[6], "TEST_SUMMARY pass=1 fail=0"], 39, False, REFUSE_ARGS),
    ("refusal, another case failed", ["TEST_START a.one", "TEST_FAIL a.one: broken"] + REFUSED[4:6] + [
        REFUSED[6], "TEST_SUMMARY pass=0 fail=2"], 39, False, REFUSE_ARGS),
]


# Test-hook boots (boot.ebs_retry): --add-case extends the list for one run;
# --esp-file must reach the ESP QEMU boots (the fake checks its -drive folder).
ADDED = GOOD[:6] + ["TEST_START a.three", "TEST_PASS a.three", "TEST_SUMMARY pass=3 fail=0"]
SCENARIOS += [
    ("added case", ADDED, 33, True, ["--add-case", "a.three"]),
    ("added case missing", GOOD, 33, False, ["--add-case", "a.three"]),
    ("added case failing", GOOD[:6] + ["TEST_START a.three", "TEST_FAIL a.three: first attempt answered 0x0",
                                       "TEST_SUMMARY pass=2 fail=1"], 35, False, ["--add-case", "a.three"]),
    ("added case already listed", GOOD, 33, False, ["--add-case", "a.two"]),
    ("added case, not a case name", ADDED, 33, False, ["--add-case", "three"]),
    ("ESP file reaches QEMU", GOOD, 33, True, ["--esp-file", "marker-x"], {"FAKE_QEMU_ESP_FILE": "marker-x"}),
    ("ESP file not given", GOOD, 33, False, [], {"FAKE_QEMU_ESP_FILE": "marker-x"}),
    ("ESP file in a folder", GOOD, 33, False, ["--esp-file", "EFI/marker-x"]),
    ("ESP file over kernel.elf", GOOD, 33, False, ["--esp-file", "KERNEL.ELF"]),
    ("ESP file twice", GOOD, 33, False, ["--esp-file", "marker-x", "--esp-file", "Marker-X"]),
]


# Secure Boot refusals (boot.secure_boot_unsigned/_tampered): the firmware says
# Access Denied, gives up, then waits for a key (the fake hangs: the driver must
# stop it on the give-up line); the loader must not have printed anything.
DENIED = 'BdsDxe: failed to load Boot0001 "UEFI QEMU HARDDISK QM00001 " from PciRoot(0x0): Access Denied'
GAVE_UP = "BdsDxe: No bootable option or device was found."
FIRMWARE_ARGS = ["--secure-boot", "--expect-firmware-refusal"]
SCENARIOS += [
    ("firmware refusal", [DENIED, GAVE_UP, "BdsDxe: Press any key to enter the Boot Manager Menu."], "hang", True,
     FIRMWARE_ARGS),
    ("firmware refusal, loader ran", [DENIED, "# loader: hello", GAVE_UP], "hang", False, FIRMWARE_ARGS),
    ("firmware refusal, a marker", [DENIED, "TEST_START a.one", GAVE_UP], "hang", False, FIRMWARE_ARGS),
    ("firmware refusal, not denied", [DENIED.replace("Access Denied", "Not Found"), GAVE_UP], "hang", False,
     FIRMWARE_ARGS),
    ("firmware refusal, never gives up", [DENIED], "hang", False, FIRMWARE_ARGS),
    ("firmware refusal without --secure-boot", [DENIED, GAVE_UP], "hang", False, ["--expect-firmware-refusal"]),
]


def check_esp():
    """make_esp: the envelope lands as kernel.elf.sig; --tamper-kernel and --tamper-efi flip one byte of the copy."""
    sys.path.insert(0, HERE)
    sys.dont_write_bytecode = True  # no __pycache__ in the source tree
    import boot_test
    problems = []
    with tempfile.TemporaryDirectory() as work:
        efi, kernel, sig = (os.path.join(work, n) for n in ("a.efi", "k.elf", "k.elf.sig"))
        original = bytes(range(256)) * 4
        for path, data in ((efi, b"efi"), (kernel, original), (sig, b"envelope")):
            with open(path, "wb") as f:
                f.write(data)
        esp = boot_test.make_esp(os.path.join(work, "one"), efi, kernel, sig, tamper=True)
        copy = open(os.path.join(esp, "kernel.elf"), "rb").read()
        diff = [i for i in range(len(original)) if copy[i] != original[i]]
        if len(copy) != len(original) or diff != [len(original) // 2] or copy[diff[0]] != original[diff[0]] ^ 0xFF:
            problems.append(f"tampered copy differs at {diff}, want only byte {len(original) // 2} inverted")
        if open(os.path.join(esp, "kernel.elf.sig"), "rb").read() != b"envelope":
            problems.append("kernel.elf.sig is not the envelope given")
        if open(kernel, "rb").read() != original:
            problems.append("--tamper-kernel changed the build's kernel.elf")
        esp = boot_test.make_esp(os.path.join(work, "two"), efi, kernel)
        if os.path.exists(os.path.join(esp, "kernel.elf.sig")) or \
                open(os.path.join(esp, "kernel.elf"), "rb").read() != original:
            problems.append("an unsigned ESP has a kernel.elf.sig or a changed kernel.elf")
        if sorted(os.listdir(esp)) != ["EFI", "kernel.elf"]:
            problems.append(f"an ESP without --esp-file holds {sorted(os.listdir(esp))}")
        esp = boot_test.make_esp(os.path.join(work, "four"), kernel, None, tamper_efi=True)
        loader = open(os.path.join(esp, "EFI", "BOOT", "BOOTX64.EFI"), "rb").read()
        diff = [i for i in range(len(original)) if loader[i] != original[i]]
        if diff != [len(original) // 2] or open(kernel, "rb").read() != original:
            problems.append(f"--tamper-efi: the ESP's loader differs at {diff}, want only byte {len(original) // 2}"
                            " inverted, and the build's file unchanged")
        esp = boot_test.make_esp(os.path.join(work, "three"), efi, kernel, sig, files=["ospolicy-test-ebs-retry"])
        marker = os.path.join(esp, "ospolicy-test-ebs-retry")
        if not os.path.isfile(marker) or os.path.getsize(marker) != 0:
            problems.append("--esp-file did not leave an empty file at the ESP root")
    for problem in problems:
        print(f"WRONG: make_esp: {problem}")
    print(f"{'ok' if not problems else 'WRONG'}: make_esp installs the envelope, tampers only the copy,"
          " adds marker files only when asked")
    return len(problems)

def fake_qemu():
    wanted = os.environ.get("FAKE_QEMU_ESP_FILE")
    if wanted:
        drives = [a.split("fat:rw:", 1)[1] for a in sys.argv if "fat:rw:" in a]
        if len(drives) != 1 or not os.path.isfile(os.path.join(drives[0], wanted)):
            sys.stdout.write(f"fake QEMU: no {wanted} on the ESP {drives}\r\n")
            sys.exit(0)  # like a triple fault: the driver must fail
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
            f.write(f"#!/bin/sh\nexec {sys.executable} {os.path.abspath(__file__)} --fake-qemu \"$@\"\n")
        os.chmod(fake, 0o755)
        efi = os.path.join(work, "app.efi")
        vars_file = os.path.join(work, "vars.fd")
        expected = os.path.join(work, "expected.txt")
        for path, content in ((efi, "x"), (vars_file, "x"), (expected, "# cases\na.one\na.two\n")):
            with open(path, "w", encoding="utf-8") as f:
                f.write(content)
        for name, transcript, status, should_pass, *extra in SCENARIOS:
            env = dict(os.environ, FAKE_QEMU_TRANSCRIPT="\n".join(transcript), FAKE_QEMU_EXIT=str(status))
            env.pop("FAKE_QEMU_ESP_FILE", None)
            env.update(extra[1] if len(extra) > 1 else {})
            arguments = extra[0] if extra else []
            # A firmware refusal has no case list: the loader must not run at all.
            listed = [] if "--expect-firmware-refusal" in arguments else ["--expected", expected]
            result = subprocess.run(
                [sys.executable, DRIVER, "--qemu", fake, "--ovmf-vars", vars_file, "--efi", efi]
                + listed + ["--timeout", "2", "--work-dir", work, "--quiet", "--name", name] + arguments,
                env=env, capture_output=True, text=True, timeout=60)
            passed = result.returncode == 0
            verdict = "ok" if passed == should_pass else "WRONG"
            print(f"{verdict}: {name}: driver {'passed' if passed else 'failed'}"
                  f" (want {'pass' if should_pass else 'fail'})")
            if passed != should_pass:
                failures += 1
                print(result.stdout + result.stderr)
    print(f"{len(SCENARIOS) - failures}/{len(SCENARIOS)} scenarios judged correctly")
    failures += check_esp()
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
