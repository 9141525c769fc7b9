#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# Copyright (c) 2026 The ospolicy authors
"""Boot OVMF + BOOTX64.EFI (+ kernel.elf) under QEMU/TCG and check the markers.

The driver builds a private ESP folder and a private copy of the OVMF
variable store, boots QEMU with COM1 on stdout, kills QEMU at the timeout,
and compares the TEST_* markers on COM1 with an expected list:
  - QEMU must exit with the isa-debug-exit success status (33 by default);
  - every case of the list must appear exactly once as TEST_START followed by
    TEST_PASS (a missing, failing, duplicated or unfinished case fails);
  - a case not in the list fails (no silent extras);
  - exactly one TEST_SUMMARY, the last marker, whose counts match the lines.
It prints the boot time and the report. Exit status 0 only if all holds.

The ESP gets EFI/BOOT/BOOTX64.EFI, kernel.elf and kernel.elf.sig (the
signature envelope: --signature, by default KERNEL.sig when it exists;
--unsigned leaves it out). Refusal boots (the loader must refuse the kernel)
combine --unsigned / --signature OTHER.sig / --tamper-kernel with
  --expect-exit 39                 the loader's "refused" status
  --expect-line "OSPOLICY_REFUSED kernel: <status>"   exactly once on COM1
  --expect-fail loader.kernel_signature   this case must end in TEST_FAIL
Test hooks: --esp-file NAME puts an empty file NAME at the ESP root (a debug
loader's \\ospolicy-test-ebs-retry makes its first ExitBootServices attempt
use a stale map key), and --add-case NAME adds a case to the expected list
for that run only, so such a boot shares its configuration's list.

UEFI Secure Boot: --secure-boot boots q35 with SMM and a secure flash (give
--ovmf-code/--ovmf-vars of a Secure Boot build with keys enrolled, e.g.
Debian's OVMF_CODE_4M.snakeoil.fd + OVMF_VARS_4M.snakeoil.fd).
--expect-firmware-refusal is the check for a loader the firmware must not run:
QEMU is stopped once the firmware's boot manager says it has no bootable
option left; the run passes only if it said "Access Denied" for the ESP's
boot option and not one line of the loader (no "# loader:", no TEST_ marker)
appeared.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time

ANSI = re.compile(r"\x1b\[[0-9;?=]*[A-Za-z]|\x1b[()][A-Za-z0-9]|\x1b[=>]")
MARKER = re.compile(r"^(TEST_START|TEST_PASS|TEST_FAIL|TEST_SUMMARY)\b(.*)$")
CASE = re.compile(r"^[a-z0-9_]+\.[a-z0-9_.]+$")
ESP_FILE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
ESP_RESERVED = {"efi", "kernel.elf", "kernel.elf.sig"}  # FAT names are case-insensitive
# OVMF's boot manager (BdsDxe): the image of a boot option was refused by the
# Secure Boot verifier, and the end of its list of boot options.
FIRMWARE_DENIED = re.compile(r"^BdsDxe: failed to load Boot[0-9A-F]{4} .*: Access Denied$")
FIRMWARE_GAVE_UP = "BdsDxe: No bootable option or device was found."


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--qemu", default="qemu-system-x86_64")
    p.add_argument("--ovmf-code", default="/usr/share/OVMF/OVMF_CODE_4M.fd")
    p.add_argument("--ovmf-vars", default="/usr/share/OVMF/OVMF_VARS_4M.fd")
    p.add_argument("--efi", required=True, help="the UEFI application, installed as EFI/BOOT/BOOTX64.EFI")
    p.add_argument("--kernel", help="kernel.elf, installed at the ESP root")
    p.add_argument("--signature", help="installed as kernel.elf.sig (default: KERNEL.sig if it exists)")
    p.add_argument("--unsigned", action="store_true", help="put no kernel.elf.sig on the ESP")
    p.add_argument("--tamper-kernel", action="store_true",
                   help="flip every bit of the kernel's middle byte on the ESP copy (after signing)")
    p.add_argument("--tamper-efi", action="store_true",
                   help="flip every bit of the loader's middle byte on the ESP copy (after Secure Boot signing)")
    p.add_argument("--esp-file", action="append", default=[], metavar="NAME",
                   help="an empty file NAME at the ESP root, e.g. ospolicy-test-ebs-retry (repeatable)")
    p.add_argument("--cpu", default="qemu64")
    p.add_argument("--rng", action="store_true", help="add -device virtio-rng-pci (EFI_RNG_PROTOCOL)")
    p.add_argument("--secure-boot", action="store_true",
                   help="q35 with SMM and a secure flash: UEFI Secure Boot as the OVMF build and its variables set it")
    p.add_argument("--expect-firmware-refusal", action="store_true",
                   help="the firmware must refuse to run the loader (Access Denied); stops QEMU when the boot "
                        "manager gives up")
    p.add_argument("--expected", help="expected case list; omit to check only the exit status")
    p.add_argument("--add-case", action="append", default=[], metavar="CASE",
                   help="a case added to the --expected list for this run (repeatable)")
    p.add_argument("--expect-exit", type=int, default=33, help="QEMU exit status: (isa-debug-exit value << 1) | 1")
    p.add_argument("--expect-line", action="append", default=[],
                   help="a COM1 line that must appear exactly once, verbatim (repeatable)")
    p.add_argument("--expect-fail", action="append", default=[],
                   help="a case of the list that must end in TEST_FAIL (repeatable)")
    p.add_argument("--timeout", type=float, default=60.0)
    p.add_argument("--work-dir", default=None, help="where the per-run ESP and variable store go")
    p.add_argument("--log", help="also write the raw COM1 output here")
    p.add_argument("--stream", action="store_true", help="echo COM1 lines as they arrive")
    p.add_argument("--quiet", action="store_true", help="print only the verdict and the boot time")
    p.add_argument("--name", default="boot")
    args = p.parse_args()
    if args.unsigned and args.signature:
        p.error("--unsigned and --signature exclude each other")
    if (args.signature or args.tamper_kernel) and not args.kernel:
        p.error("--signature and --tamper-kernel need --kernel")
    for name in args.esp_file:
        if not ESP_FILE.match(name) or name.lower() in ESP_RESERVED:
            p.error(f"--esp-file {name!r}: want a plain file name at the ESP root, not one the driver installs")
    if len({name.lower() for name in args.esp_file}) != len(args.esp_file):
        p.error("--esp-file: a name given twice")
    for name in args.add_case:
        if not CASE.match(name):
            p.error(f"--add-case {name!r}: not a case name")
    if args.add_case and not args.expected:
        p.error("--add-case needs --expected")
    if args.expect_firmware_refusal and (args.expected or args.expect_fail or args.expect_line or
                                         not args.secure_boot):
        p.error("--expect-firmware-refusal needs --secure-boot and excludes --expected, --expect-fail, --expect-line")
    if args.kernel and not args.unsigned and not args.signature and os.path.isfile(args.kernel + ".sig"):
        args.signature = args.kernel + ".sig"
    return args


def read_expected(path):
    cases = []
    with open(path, encoding="utf-8") as f:
        for number, raw in enumerate(f, 1):
            line = raw.split("#", 1)[0].strip()
            if not line:
                continue
            if not CASE.match(line):
                sys.exit(f"{path}:{number}: not a case name: {line!r}")
            if line in cases:
                sys.exit(f"{path}:{number}: case listed twice: {line}")
            cases.append(line)
    return cases


def flip_middle_byte(path, option):
    with open(path, "r+b") as f:
        size = f.seek(0, os.SEEK_END)
        if size == 0:
            sys.exit(f"{option}: {path} is empty")
        f.seek(size // 2)
        byte = f.read(1)[0]
        f.seek(size // 2)
        f.write(bytes([byte ^ 0xFF]))


def make_esp(work, efi, kernel, signature=None, tamper=False, files=(), tamper_efi=False):
    """The ESP folder; `files` are empty marker files at its root (test hooks)."""
    esp = os.path.join(work, "esp")
    boot = os.path.join(esp, "EFI", "BOOT")
    os.makedirs(boot)
    shutil.copyfile(efi, os.path.join(boot, "BOOTX64.EFI"))
    if tamper_efi:
        flip_middle_byte(os.path.join(boot, "BOOTX64.EFI"), "--tamper-efi")
    if kernel:
        target = os.path.join(esp, "kernel.elf")
        shutil.copyfile(kernel, target)
        if tamper:
            flip_middle_byte(target, "--tamper-kernel")
    if signature:
        shutil.copyfile(signature, os.path.join(esp, "kernel.elf.sig"))
    for name in files:
        open(os.path.join(esp, name), "xb").close()
    return esp


def qemu_command(args, esp, vars_copy):
    machine = "q35,smm=on" if args.secure_boot else "q35"
    cmd = [
        args.qemu, "-machine", machine, "-accel", "tcg", "-cpu", args.cpu, "-m", "256M", "-smp", "1",
        "-nodefaults", "-display", "none", "-no-reboot", "-monitor", "none",
        "-serial", "stdio",
        "-drive", f"if=pflash,format=raw,readonly=on,file={args.ovmf_code}",
        "-drive", f"if=pflash,format=raw,file={vars_copy}",
        "-drive", f"format=raw,file=fat:rw:{esp}",
        "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
    ]
    if args.secure_boot:
        cmd += ["-global", "driver=cfi.pflash01,property=secure,value=on"]
    if args.rng:
        cmd += ["-device", "virtio-rng-pci"]
    return cmd


def boot(args, work):
    esp = make_esp(work, args.efi, args.kernel, args.signature, args.tamper_kernel, args.esp_file, args.tamper_efi)
    vars_copy = os.path.join(work, "OVMF_VARS.fd")
    shutil.copyfile(args.ovmf_vars, vars_copy)
    cmd = qemu_command(args, esp, vars_copy)
    raw = bytearray()
    lines = []
    holder = {}

    def reader(stream):
        pending = b""
        for chunk in iter(lambda: stream.read1(4096), b""):
            raw.extend(chunk)
            pending += chunk
            while b"\n" in pending:
                line, pending = pending.split(b"\n", 1)
                text = ANSI.sub("", line.decode("utf-8", "replace")).replace("\r", "").rstrip()
                lines.append(text)
                if args.stream:
                    print(text, flush=True)
                if args.expect_firmware_refusal and text == FIRMWARE_GAVE_UP:
                    holder["process"].kill()  # the boot manager waits for a key from here on
        if pending:
            lines.append(ANSI.sub("", pending.decode("utf-8", "replace")).replace("\r", "").rstrip())

    start = time.monotonic()
    process = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    holder["process"] = process
    thread = threading.Thread(target=reader, args=(process.stdout,), daemon=True)
    thread.start()
    timed_out = False
    try:
        process.wait(timeout=args.timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        process.kill()
        process.wait()
    elapsed = time.monotonic() - start
    thread.join(timeout=5)
    stderr = process.stderr.read().decode("utf-8", "replace")
    if args.log:
        with open(args.log, "wb") as f:
            f.write(raw)
    return cmd, process.returncode, timed_out, elapsed, lines, stderr


def check_markers(lines, expected, expect_fail=()):
    """Returns (problems, cases, summary) for the marker lines.

    A case in expect_fail must end in TEST_FAIL; its failure is no problem."""
    problems = []
    state = {}  # case -> "started" | "passed" | "failed"
    order = []
    summary = None
    markers_after_summary = 0
    for text in lines:
        match = MARKER.match(text)
        if not match:
            if "TEST_" in text and re.search(r"\bTEST_(START|PASS|FAIL|SUMMARY)\b", text):
                problems.append(f"marker not at the start of a line: {text!r}")
            continue
        kind, rest = match.group(1), match.group(2).strip()
        if summary is not None:
            markers_after_summary += 1
        if kind == "TEST_SUMMARY":
            found = re.fullmatch(r"pass=(\d+) fail=(\d+)", rest)
            if not found:
                problems.append(f"malformed summary: {text!r}")
            elif summary is not None:
                problems.append("TEST_SUMMARY printed more than once")
            else:
                summary = (int(found.group(1)), int(found.group(2)))
            continue
        name = rest.split(":", 1)[0].strip() if kind == "TEST_FAIL" else rest
        if not CASE.match(name):
            problems.append(f"malformed marker: {text!r}")
            continue
        if kind == "TEST_START":
            if name in state:
                problems.append(f"duplicated case: {name}")
            else:
                state[name] = "started"
                order.append(name)
        elif state.get(name) != "started":
            problems.append(f"{kind} {name} without a matching TEST_START (or a second verdict)")
        else:
            state[name] = "passed" if kind == "TEST_PASS" else "failed"
            if kind == "TEST_FAIL" and name not in expect_fail:
                problems.append(f"case failed: {text[len('TEST_FAIL '):]}")
            elif kind == "TEST_PASS" and name in expect_fail:
                problems.append(f"case passed, want TEST_FAIL: {name}")
    for name in order:
        if state[name] == "started":
            problems.append(f"case started but never finished: {name}")
    if summary is None:
        problems.append("no TEST_SUMMARY")
    else:
        passed = sum(1 for s in state.values() if s == "passed")
        failed = sum(1 for s in state.values() if s == "failed")
        if summary != (passed, failed):
            problems.append(f"TEST_SUMMARY says pass={summary[0]} fail={summary[1]}, lines say pass={passed} fail={failed}")
        if markers_after_summary:
            problems.append("markers after TEST_SUMMARY")
    for name in expect_fail:
        if name not in state:
            problems.append(f"missing case (want TEST_FAIL): {name}")
    if expected is not None:
        for name in expected:
            if name not in state:
                problems.append(f"missing case: {name}")
        for name in order:
            if name not in expected:
                problems.append(f"case not in the expected list: {name}")
    return problems, state, summary


def check_lines(lines, wanted):
    """Each wanted line must appear exactly once, verbatim."""
    problems = []
    for line in wanted:
        count = lines.count(line)
        if count != 1:
            problems.append(f"line {line!r} appears {count} times on COM1, want exactly once")
    return problems


def check_firmware_refusal(lines):
    """The firmware refused the loader: Access Denied, then no boot option left, and no loader output."""
    problems = []
    if not any(FIRMWARE_DENIED.match(text) for text in lines):
        problems.append("the firmware never said 'Access Denied' for a boot option")
    if FIRMWARE_GAVE_UP not in lines:
        problems.append(f"the firmware never printed {FIRMWARE_GAVE_UP!r}")
    ran = [text for text in lines if text.startswith("# loader:") or MARKER.match(text) or
           text.startswith("OSPOLICY_")]
    if ran:
        problems.append(f"the loader ran: {len(ran)} lines of its output, first {ran[0]!r}")
    return problems


def main():
    args = parse_args()
    if args.expected and args.expect_fail:
        listed = read_expected(args.expected)
        for name in args.expect_fail:
            if name not in listed:
                sys.exit(f"--expect-fail {name}: not in {args.expected}")
    expected = read_expected(args.expected) if args.expected else None
    for name in args.add_case:
        if name in expected:
            sys.exit(f"--add-case {name}: already in {args.expected}")
        expected.append(name)
    parent = args.work_dir
    if parent:
        os.makedirs(parent, exist_ok=True)
    work = tempfile.mkdtemp(prefix=f"{args.name}-", dir=parent)
    try:
        cmd, status, timed_out, elapsed, lines, stderr = boot(args, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    problems = []
    if timed_out:
        problems.append(f"timeout: QEMU killed after {args.timeout:.0f} s")
    elif args.expect_firmware_refusal:
        problems += check_firmware_refusal(lines)
    elif status != args.expect_exit:
        meaning = {33: "isa-debug-exit success", 35: "isa-debug-exit failure", 37: "a kernel panic",
                   39: "the loader's refusal"}
        problems.append(f"QEMU exit status {status}, want {args.expect_exit}"
                        f" ({meaning.get(args.expect_exit, 'isa-debug-exit')})")
    if expected is not None or args.expect_fail:
        problems += check_markers(lines, expected, args.expect_fail)[0]
    problems += check_lines(lines, args.expect_line)
    if not args.quiet and not args.stream:
        print(f"== {args.name}: COM1 ({len(lines)} lines) ==")
        for text in lines:
            if text.startswith(("TEST_", "# ", "ospolicy:", "OSPOLICY_", "BdsDxe:")):
                print(text)
    if stderr.strip() and not args.quiet:
        print(f"== {args.name}: QEMU stderr ==\n{stderr.strip()}")
    esp_note = ""
    if args.kernel:
        esp_note = ", kernel " + ("tampered" if args.tamper_kernel else "as built") + \
            (", unsigned" if not args.signature else f", envelope {os.path.basename(args.signature)}")
    esp_note += "".join(f", ESP file {name}" for name in args.esp_file)
    esp_note += ", loader tampered" if args.tamper_efi else ""
    esp_note += ", Secure Boot firmware" if args.secure_boot else ""
    print(f"== {args.name}: boot time {elapsed:.2f} s (cpu {args.cpu}{', virtio-rng' if args.rng else ''}{esp_note}), "
          f"QEMU exit {status}{' (timeout)' if timed_out else ''}")
    if problems:
        print(f"== {args.name}: FAILED ==")
        for problem in problems:
            print(f"  - {problem}")
        if not args.quiet:
            print("  command: " + " ".join(cmd))
        return 1
    print(f"== {args.name}: PASSED ==")
    return 0


if __name__ == "__main__":
    sys.exit(main())
