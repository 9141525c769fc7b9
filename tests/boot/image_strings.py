#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# Copyright (c) 2026 The ospolicy authors
"""image_strings.py --absent IMAGE --present IMAGE [--bytes-of FILE[:OFFSET:LENGTH]]... STRING...

Each STRING must occur nowhere in the --absent image, neither as ASCII nor as
UTF-16LE (how a UEFI image stores L"..." file names), and somewhere in the
--present image (in either encoding), which shows that the scan would find it.
--bytes-of does the same for raw bytes: a whole file (a signature envelope an
image embeds) or a slice of it (the 32-byte key in a .pub file).
Prints one line per needle and image; exit 0 only if all holds.
"""
import argparse
import sys


def encodings(text):
    return {"ASCII": text.encode("ascii"), "UTF-16LE": text.encode("utf-16-le")}


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--absent", required=True)
    p.add_argument("--present", required=True)
    p.add_argument("--bytes-of", action="append", default=[], metavar="FILE[:OFFSET:LENGTH]")
    p.add_argument("strings", nargs="*")
    args = p.parse_args()
    if not args.strings and not args.bytes_of:
        p.error("give at least one STRING or --bytes-of")
    absent = open(args.absent, "rb").read()
    present = open(args.present, "rb").read()
    problems = 0
    needles = [(text, encodings(text)) for text in args.strings]
    for spec in args.bytes_of:
        path, _, window = spec.partition(":")
        data = open(path, "rb").read()
        if window:
            offset, length = (int(v) for v in window.split(":"))
            data = data[offset:offset + length]
        if len(data) < 16:
            print(f"FAIL {spec}: {len(data)} bytes are too few to mean anything")
            problems += 1
            continue
        needles.append((spec, {"bytes": data}))
    for text, forms in needles:
        for encoding, needle in forms.items():
            at = absent.find(needle)
            if at >= 0:
                print(f"FAIL {args.absent}: contains {text!r} ({encoding}) at byte {at}")
                problems += 1
            else:
                print(f"ok   {args.absent}: no {text!r} ({encoding})")
        found = [encoding for encoding, needle in forms.items() if needle in present]
        if found:
            print(f"ok   {args.present}: has {text!r} ({', '.join(found)})")
        else:
            print(f"FAIL {args.present}: no {text!r} in any encoding: the scan proves nothing")
            problems += 1
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
