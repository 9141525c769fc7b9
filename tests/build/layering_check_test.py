#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# Copyright (c) 2026 The ospolicy authors
#
# source.layering_rejects: layering_check_test.py LAYERING_CHECK
# Runs scripts/layering_check.py against small fixture trees: a clean tree
# passes, and each rule it promises fails with its own finding: the core
# including an arch header, a backend including another backend, an arch
# header including a backend, a program including the other program's
# backend, a folder missing from the table, a hosted header in a
# freestanding layer, an include that resolves to nothing, an ambiguous one,
# and a page without the table.
import os
import subprocess
import sys
import tempfile

HEADER = "/* SPDX-License-Identifier: Apache-2.0 */\n/* Copyright (c) 2026 The ospolicy authors */\n"
TABLE = """# Architecture
<!-- layers:begin -->
```
include:            include
src/policy:         include
src/arch/x86_64:    include
src/pal/host:       include
src/pal/baremetal:  include src/arch/x86_64
kernel:             include src/arch/x86_64 src/pal/baremetal
```
<!-- layers:end -->
"""
CLEAN = {
    "docs/architecture.md": TABLE,
    "include/ospolicy/a.h": HEADER + "#include <stdint.h>\n",
    "src/policy/a.c": HEADER + '#include "ospolicy/a.h"\n#include "mem.h"\n#include <stddef.h>\n',
    "src/policy/mem.h": HEADER,
    "src/arch/x86_64/cpu.h": HEADER + '#include "ospolicy/a.h"\n',
    "src/arch/x86_64/cpu.c": HEADER + '#include "cpu.h"\n',
    "src/pal/host/host.c": HEADER + '#include "ospolicy/a.h"\n#include <stdio.h>\n',
    "src/pal/baremetal/bm.h": HEADER + '#include "cpu.h"\n',
    "src/pal/baremetal/bm.c": HEADER + '#include "bm.h"\n',
    "kernel/main.c": HEADER + '#include "bm.h"\n#include "cpu.h"\n',
}


def run(check, files):
    with tempfile.TemporaryDirectory() as root:
        for path, text in files.items():
            full = os.path.join(root, path)
            os.makedirs(os.path.dirname(full), exist_ok=True)
            with open(full, "w", encoding="utf-8") as f:
                f.write(text)
        r = subprocess.run([sys.executable, check, "--root", root, "--name", "fixture"],
                           capture_output=True, text=True)
        return r.returncode, r.stdout + r.stderr


def main():
    check = sys.argv[1]
    failures = 0
    cases = [
        ("clean tree", {}, 0, "TEST_PASS fixture"),
        ("core includes arch", {"src/policy/b.c": HEADER + '#include "cpu.h"\n'}, 1,
         "layer src/policy may not include src/arch/x86_64/cpu.h"),
        ("backend includes backend", {"src/pal/host/h2.c": HEADER + '#include "bm.h"\n'}, 1,
         "layer src/pal/host may not include src/pal/baremetal/bm.h"),
        ("arch includes backend", {"src/arch/x86_64/x.c": HEADER + '#include "bm.h"\n'}, 1,
         "layer src/arch/x86_64 may not include src/pal/baremetal/bm.h"),
        ("kernel includes the host backend", {"src/pal/host/host.h": HEADER,
                                              "kernel/k2.c": HEADER + '#include "host.h"\n'}, 1,
         "layer kernel may not include src/pal/host/host.h"),
        ("folder not in the table", {"src/sandbox/s.c": HEADER}, 1,
         "src/sandbox/s.c: its folder is not in the layer table"),
        ("hosted header in the core", {"src/policy/c.c": HEADER + "#include <string.h>\n"}, 1,
         "freestanding layer src/policy includes <string.h>"),
        ("hosted header in arch", {"src/arch/x86_64/d.c": HEADER + "#include <stdlib.h>\n"}, 1,
         "freestanding layer src/arch/x86_64 includes <stdlib.h>"),
        ("unresolved include", {"src/policy/e.c": HEADER + '#include "nowhere.h"\n'}, 1,
         'resolves to no file in the tree'),
        ("ambiguous include", {"src/pal/host/cpu.h": HEADER,
                               "kernel/k3.c": HEADER + '#include "cpu.h"\n'}, 1, "is ambiguous"),
        ("edge to an unknown layer", {"docs/architecture.md": TABLE.replace(
            "src/pal/host:       include", "src/pal/host:       include src/nowhere")}, 1,
         "layer src/pal/host names unknown layer src/nowhere"),
    ]
    for name, extra, want_rc, want_text in cases:
        files = dict(CLEAN)
        files.update(extra)
        rc, out = run(check, files)
        if rc != want_rc or want_text not in out:
            print(f"FAIL {name}: want exit {want_rc} and '{want_text}', got exit {rc}:\n{out}")
            failures += 1
        else:
            print(f"ok   {name}")
    files = dict(CLEAN)
    files["docs/architecture.md"] = "# Architecture\nno table\n"
    rc, out = run(check, files)
    if rc == 0 or "has no layer table" not in out:
        print(f"FAIL page without a table: got exit {rc}:\n{out}")
        failures += 1
    else:
        print("ok   page without a table")
    print("PASSED" if failures == 0 else f"FAILED: {failures} case(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
