#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# Copyright (c) 2026 The ospolicy authors
#
# layering_check.py [--root DIR] [--name CASE]
#
# Keeps docs/architecture.md honest: reads the layer table between the
# "<!-- layers:begin -->" and "<!-- layers:end -->" markers of that page
# (lines "folder: allowed folders..."), resolves every #include of every C,
# header and assembly file under the listed folders, and fails when
#   1. a file includes a project header from a folder its layer may not use
#      (a layer may always include its own folder);
#   2. a file lies in a folder under src/ that the table does not list;
#   3. a freestanding layer (src/policy, src/support, src/arch/*) includes a
#      system header other than the freestanding ones (<stddef.h> <stdint.h>
#      <stdbool.h> <limits.h> <stdalign.h> <stdarg.h>); the crypto sources
#      (entropy_pool.c, modsign.c, capability_tag.c) may also include
#      libsodium's headers;
#   4. an #include "..." resolves to no file, or to several in different
#      folders (a name the build would resolve by include-path order); the
#      files a folder's build generates (GENERATED) count as that folder's
#      and may be included from it only.
# A documented edge that no include uses is reported as a note (the picture
# may say more than the code needs), not a failure.
#
# Output (the project's test markers): TEST_START <case>, one
# "TEST_FAIL <case> <file>: <reason>" line per finding, TEST_PASS <case> when
# there is none. Exit 0 clean, 1 findings, 2 usage error.
import argparse
import os
import re
import sys

FREESTANDING_HEADERS = {"stddef.h", "stdint.h", "stdbool.h", "limits.h", "stdalign.h", "stdarg.h"}
FREESTANDING_LAYERS = ("src/policy", "src/support", "src/arch/")
SODIUM_ALLOWED = {"src/policy/entropy_pool.c", "src/policy/modsign.c", "src/policy/capability_tag.c"}
SOURCE_SUFFIXES = (".c", ".h", ".S")
# Generated at build time, name -> the folder whose CMakeLists.txt makes it.
GENERATED = {"linux_x86_64_syscalls.inc": "src/sandbox/linux"}
INCLUDE_RE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')


def read_layers(doc_path):
    try:
        with open(doc_path, encoding="utf-8") as f:
            text = f.read()
    except OSError as e:
        raise SystemExit(f"layering_check.py: cannot read {doc_path}: {e.strerror}") from None
    match = re.search(r"<!-- layers:begin -->(.*?)<!-- layers:end -->", text, re.S)
    if match is None:
        raise SystemExit(f"layering_check.py: {doc_path} has no layer table (layers:begin/end markers)")
    layers = {}
    for line in match.group(1).splitlines():
        line = line.strip()
        if not line or line.startswith("```"):
            continue
        folder, sep, allowed = line.partition(":")
        if not sep:
            raise SystemExit(f"layering_check.py: {doc_path}: bad layer line '{line}'")
        layers[folder.strip().rstrip("/")] = [a.rstrip("/") for a in allowed.split()]
    return layers


def layer_of(path, layers):
    """The longest listed folder that contains path, or None."""
    best = None
    for folder in layers:
        if path == folder or path.startswith(folder + "/"):
            if best is None or len(folder) > len(best):
                best = folder
    return best


def list_files(root):
    found = []
    for top in ("include", "src", "kernel"):
        base = os.path.join(root, top)
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in sorted(filenames):
                if name.endswith(SOURCE_SUFFIXES):
                    found.append(os.path.relpath(os.path.join(dirpath, name), root).replace(os.sep, "/"))
    return found


def main():
    parser = argparse.ArgumentParser(description="check #include edges against docs/architecture.md")
    parser.add_argument("--root", default=".")
    parser.add_argument("--name", default="source.layering")
    args = parser.parse_args()
    root = os.path.abspath(args.root)
    if not os.path.isdir(root):
        print(f"layering_check.py: --root {args.root} is not a directory", file=sys.stderr)
        return 2
    layers = read_layers(os.path.join(root, "docs", "architecture.md"))
    files = list_files(root)
    by_suffix = {}
    for f in files:
        parts = f.split("/")
        for i in range(len(parts)):
            by_suffix.setdefault("/".join(parts[i:]), []).append(f)

    print(f"TEST_START {args.name}")
    findings = []
    used = set()
    for f in files:
        layer = layer_of(f, layers)
        if layer is None:
            findings.append((f, "its folder is not in the layer table of docs/architecture.md"))
            continue
        folder = os.path.dirname(f)
        with open(os.path.join(root, f), encoding="utf-8", errors="replace") as src:
            lines = src.readlines()
        for number, line in enumerate(lines, 1):
            m = INCLUDE_RE.match(line)
            if m is None:
                continue
            kind, name = m.groups()
            where = f"{f}:{number}"
            candidates = by_suffix.get(name, [])
            if kind == "<" and not candidates:
                freestanding = any(layer == l or layer.startswith(l) for l in FREESTANDING_LAYERS)
                sodium = name == "sodium.h" or name.startswith("sodium/")
                if freestanding and name not in FREESTANDING_HEADERS and not (sodium and f in SODIUM_ALLOWED):
                    findings.append((where, f"freestanding layer {layer} includes <{name}>"))
                continue
            local = [c for c in candidates if os.path.dirname(c) == folder]
            if local:
                candidates = local
            if not candidates and GENERATED.get(name) == folder:
                continue
            if not candidates:
                findings.append((where, f'#include "{name}" resolves to no file in the tree'))
                continue
            target_dirs = {os.path.dirname(c) for c in candidates}
            if len(target_dirs) > 1:
                findings.append((where, f'#include "{name}" is ambiguous: {", ".join(sorted(candidates))}'))
                continue
            target_layer = layer_of(candidates[0], layers)
            if target_layer is None:
                findings.append((where, f"includes {candidates[0]}, whose folder is not in the layer table"))
                continue
            if target_layer == layer:
                continue
            if target_layer not in layers[layer]:
                findings.append((where, f"layer {layer} may not include {candidates[0]} (layer {target_layer})"))
            else:
                used.add((layer, target_layer))
    for layer, allowed in layers.items():
        for target in allowed:
            if (layer, target) not in used and target in layers and target != layer:
                print(f"note: {layer} -> {target} is allowed but no include uses it")
            if target not in layers:
                findings.append(("docs/architecture.md", f"layer {layer} names unknown layer {target}"))
    for where, reason in findings:
        print(f"TEST_FAIL {args.name} {where}: {reason}")
    if findings:
        return 1
    print(f"TEST_PASS {args.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
