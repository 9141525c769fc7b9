#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# Copyright (c) 2026 The ospolicy authors
"""sbom.cli: validates an SPDX 2.3 JSON SBOM written by scripts/sbom.py.

    sbom_check.py --sbom FILE --source-root DIR [--artifact FILE]
                  [--expect-file REL ...] [--expect-package DEB ...]

Checks the document fields SPDX 2.3 requires, unique SPDXIDs, that every
relationship names an element of the document, that every file lies under
the source root and that its SHA-1/SHA-256 match the file on disk now, the
package verification code, the artifact checksum, and that each expected
Debian package is present with the version dpkg-query reports. Prints one
line per problem; exit 0 when there is none.
"""
import argparse
import copy as copy_module
import hashlib
import json
import os
import re
import subprocess
import sys


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--sbom", required=True)
    p.add_argument("--source-root", required=True)
    p.add_argument("--artifact")
    p.add_argument("--expect-file", action="append", default=[])
    p.add_argument("--expect-package", action="append", default=[])
    p.add_argument("--self-test", action="store_true",
                   help="after a clean check, prove that mutated copies are refused")
    a = p.parse_args()
    try:
        doc = json.load(open(a.sbom, encoding="utf-8"))
    except (OSError, ValueError) as e:
        print(f"FAIL cannot load {a.sbom}: {e}")
        return 1
    problems = check(doc, a)
    for line in problems:
        print("FAIL", line)
    print(f"sbom_check: {len(doc.get('files', []))} files, {len(doc.get('packages', []))} packages, "
          f"{len(problems)} problem(s)")
    if problems:
        return 1
    if a.self_test:
        return self_test(doc, a)
    return 0


def self_test(doc, a):
    """The checker must be able to fail: each mutation of a good SBOM is refused."""
    def mutate(name, change):
        copy = copy_module.deepcopy(doc)
        change(copy)
        found = check(copy, a)
        print(("ok   " if found else "FAIL ") + f"self-test: {name} is refused" +
              (f" ({found[0]})" if found else ""))
        return 0 if found else 1

    def first_file(d):
        return d["files"][0]

    def deb(d):
        return next(p for p in d["packages"] if p["name"] == a.expect_package[0])

    failures = 0
    failures += mutate("a wrong file SHA-256", lambda d: first_file(d)["checksums"][1].update(checksumValue="0" * 64))
    failures += mutate("a file without SHA-1", lambda d: first_file(d).update(checksums=first_file(d)["checksums"][1:]))
    failures += mutate("a file outside the source root", lambda d: first_file(d).update(fileName="./../etc/passwd"))
    failures += mutate("a missing expected file", lambda d: d.update(files=d["files"][1:]))
    failures += mutate("a dangling relationship", lambda d: d["relationships"].append(
        {"spdxElementId": "SPDXRef-DOCUMENT", "relationshipType": "DESCRIBES", "relatedSpdxElement": "SPDXRef-nope"}))
    failures += mutate("a wrong package version", lambda d: deb(d).update(versionInfo="0.0"))
    failures += mutate("a missing package", lambda d: d.update(packages=[p for p in d["packages"] if p is not deb(d)]))
    failures += mutate("SPDX 2.2", lambda d: d.update(spdxVersion="SPDX-2.2"))
    failures += mutate("a bad creation time", lambda d: d["creationInfo"].update(created="yesterday"))
    return 1 if failures else 0


def check(doc, a):
    problems = []
    bad = problems.append

    for key, want in (("spdxVersion", "SPDX-2.3"), ("dataLicense", "CC0-1.0"), ("SPDXID", "SPDXRef-DOCUMENT")):
        if doc.get(key) != want:
            bad(f"{key} is {doc.get(key)!r}, want {want!r}")
    for key in ("name", "documentNamespace", "creationInfo", "packages", "files", "relationships"):
        if key not in doc:
            bad(f"missing {key}")
    if not re.match(r"^https?://\S+$", doc.get("documentNamespace", "")):
        bad("documentNamespace is not a URI")
    created = doc.get("creationInfo", {}).get("created", "")
    if not re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", created):
        bad(f"creationInfo.created {created!r} is not YYYY-MM-DDThh:mm:ssZ")
    if not doc.get("creationInfo", {}).get("creators"):
        bad("creationInfo.creators is empty")

    ids = ["SPDXRef-DOCUMENT"]
    for element in doc.get("packages", []) + doc.get("files", []):
        sid = element.get("SPDXID", "")
        if not re.match(r"^SPDXRef-[A-Za-z0-9.-]+$", sid):
            bad(f"bad SPDXID {sid!r}")
        ids.append(sid)
    if len(ids) != len(set(ids)):
        bad("duplicate SPDXIDs")
    for r in doc.get("relationships", []):
        for side in ("spdxElementId", "relatedSpdxElement"):
            if r.get(side) not in ids:
                bad(f"relationship {r} names unknown element {r.get(side)!r}")

    root = os.path.realpath(a.source_root)
    names, sha1s = set(), []
    for f in doc.get("files", []):
        name = f.get("fileName", "")
        names.add(name[2:] if name.startswith("./") else name)
        path = os.path.realpath(os.path.join(root, name))
        if not path.startswith(root + os.sep):
            bad(f"{name} is outside the source root")
            continue
        sums = {c["algorithm"]: c["checksumValue"] for c in f.get("checksums", [])}
        if "SHA1" not in sums:
            bad(f"{name} has no SHA1 (required by SPDX 2.3)")
            continue
        try:
            data = open(path, "rb").read()
        except OSError as e:
            bad(f"{name}: {e}")
            continue
        if sums.get("SHA1") != hashlib.sha1(data).hexdigest():
            bad(f"{name}: SHA1 does not match the file")
        if sums.get("SHA256") != hashlib.sha256(data).hexdigest():
            bad(f"{name}: SHA256 does not match the file")
        sha1s.append(sums["SHA1"])
        for key in ("licenseConcluded", "copyrightText"):
            if key not in f:
                bad(f"{name}: missing {key}")
    for rel in a.expect_file:
        if rel not in names:
            bad(f"expected first-party file {rel} is not listed")

    described = doc.get("documentDescribes") or [r["relatedSpdxElement"] for r in doc.get("relationships", [])
                                                 if r.get("relationshipType") == "DESCRIBES"]
    images = [pk for pk in doc.get("packages", []) if pk.get("SPDXID") in described]
    if len(images) != 1:
        bad("the document does not describe exactly one image package")
    else:
        image = images[0]
        code = hashlib.sha1("".join(sorted(sha1s)).encode()).hexdigest()
        if image.get("packageVerificationCode", {}).get("packageVerificationCodeValue") != code:
            bad("packageVerificationCode does not match the files")
        if a.artifact:
            sums = {c["algorithm"]: c["checksumValue"] for c in image.get("checksums", [])}
            if sums.get("SHA256") != hashlib.sha256(open(a.artifact, "rb").read()).hexdigest():
                bad("the image checksum does not match the artifact")
        contained = {r["relatedSpdxElement"] for r in doc.get("relationships", [])
                     if r.get("spdxElementId") == image["SPDXID"] and r.get("relationshipType") == "CONTAINS"}
        if contained != {f["SPDXID"] for f in doc.get("files", [])}:
            bad("the image does not CONTAIN exactly the listed files")

    packages = {pk.get("name"): pk for pk in doc.get("packages", [])}
    for want in a.expect_package:
        pk = packages.get(want)
        if pk is None:
            bad(f"expected Debian package {want} is not listed")
            continue
        version = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", want],
                                 capture_output=True, text=True).stdout.strip()
        if pk.get("versionInfo") != version:
            bad(f"{want}: versionInfo {pk.get('versionInfo')!r}, dpkg-query says {version!r}")
        for key in ("licenseDeclared", "licenseConcluded", "downloadLocation", "copyrightText", "supplier"):
            if key not in pk:
                bad(f"{want}: missing {key}")
        if not pk.get("licenseComments"):
            bad(f"{want}: no licenseComments saying what /usr/share/doc/.../copyright holds")
        refs = [r.get("referenceLocator", "") for r in pk.get("externalRefs", [])]
        if not any(r.startswith(f"pkg:deb/debian/{want}@") for r in refs):
            bad(f"{want}: no purl")
        if not any(r.get("relatedSpdxElement") == pk["SPDXID"] for r in doc.get("relationships", [])):
            bad(f"{want}: no relationship links it to the image")

    return problems


if __name__ == "__main__":
    sys.exit(main())
