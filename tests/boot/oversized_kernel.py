#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# Copyright (c) 2026 The ospolicy authors
"""oversized_kernel.py IN OUT [--span BYTES]

Writes a copy of the ELF64 kernel IN whose highest PT_LOAD segment (by
address: .data/.bss) grows in memory, not in the file, so that the image
spans BYTES (default 1.25 GiB, more than the loader's 1 GiB KASLR window).
The file stays as small as IN; it is signed like kernel.elf by the build
(boot.refuse_kaslr), so the loader accepts its signature and must then
refuse to place it.
"""
import argparse
import struct
import sys

PT_LOAD = 1


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("input")
    p.add_argument("output")
    p.add_argument("--span", type=lambda text: int(text, 0), default=0x50000000)
    args = p.parse_args()
    data = bytearray(open(args.input, "rb").read())
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        sys.exit(f"{args.input}: not a little-endian ELF64 file")
    phoff, = struct.unpack_from("<Q", data, 0x20)
    phentsize, phnum = struct.unpack_from("<HH", data, 0x36)
    loads = []
    for i in range(phnum):
        at = phoff + i * phentsize
        p_type, = struct.unpack_from("<I", data, at)
        if p_type == PT_LOAD:
            vaddr, = struct.unpack_from("<Q", data, at + 16)
            memsz, = struct.unpack_from("<Q", data, at + 40)
            loads.append((vaddr, memsz, at))
    if not loads:
        sys.exit(f"{args.input}: no PT_LOAD segment")
    low = min(vaddr for vaddr, _, _ in loads)
    vaddr, memsz, at = max(loads)
    new_memsz = low + args.span - vaddr
    if new_memsz <= memsz:
        sys.exit(f"{args.input}: already spans 0x{vaddr + memsz - low:x} bytes, not less than 0x{args.span:x}")
    struct.pack_into("<Q", data, at + 40, new_memsz)
    with open(args.output, "wb") as f:
        f.write(data)
    print(f"{args.output}: program header at 0x{at:x}: p_memsz 0x{memsz:x} -> 0x{new_memsz:x} "
          f"(image span 0x{args.span:x})")


if __name__ == "__main__":
    main()
