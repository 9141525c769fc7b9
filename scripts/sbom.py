#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# Copyright (c) 2026 The ospolicy authors
"""Writes an SPDX 2.3 JSON SBOM for one image built by this project.

    sbom.py --name NAME --version V --source-root DIR --output FILE
            [--artifact FILE] [--manifest FILE] [--source FILE ...]
            [--package DEB[=static|=dynamic] ...] [--purpose PURPOSE]
            [--no-detect-dynamic]

First-party files: the sources of the targets listed in --manifest (written
by cmake/OSPolicySbom.cmake: one line per target, "name<TAB>source dir<TAB>
sources<TAB>include dirs", lists separated by ';'), plus every project file
they #include (resolved against the file's directory and the targets'
include directories), plus --source files. Only files under --source-root
are listed; each with SHA-1 and SHA-256 and the SPDX-License-Identifier and
copyright line of its header.

Debian packages: every --package, plus (unless --no-detect-dynamic) the
package owning each DT_NEEDED library of a dynamically linked --artifact
(readelf -d, ldconfig -p, dpkg-query -S). Version, architecture, maintainer
and source package come from dpkg-query; licences from the License: fields
of /usr/share/doc/<package>/copyright (or of a package built from the same
source when the package has no copyright file of its own). A Debian licence
name with a known SPDX equivalent becomes licenseDeclared; otherwise
NOASSERTION, and the Debian names are always kept in licenseComments.
"""
import argparse
import datetime
import hashlib
import json
import os
import re
import subprocess
import sys
import uuid

INCLUDE_RE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]', re.M)
SPDX_RE = re.compile(r"SPDX-License-Identifier:\s*([A-Za-z0-9.+-]+(?:\s+(?:OR|AND|WITH)\s+[A-Za-z0-9.+-]+)*)")
COPYRIGHT_RE = re.compile(r"(Copyright \(c\) [^*\n]*?)\s*(?:\*/)?\s*$", re.M)
C_LIKE = (".c", ".h", ".S", ".s", ".inc", ".ld", ".lds")

# Debian copyright-format short names -> SPDX identifiers.
DEBIAN_TO_SPDX = {
    "isc": "ISC", "expat": "MIT", "mit": "MIT", "zlib": "Zlib", "cc0": "CC0-1.0",
    "cc0-1.0": "CC0-1.0", "apache-2.0": "Apache-2.0", "bsd-2-clause": "BSD-2-Clause",
    "bsd-3-clause": "BSD-3-Clause", "bsd-4-clause": "BSD-4-Clause",
    "gpl-2": "GPL-2.0-only", "gpl-2.0": "GPL-2.0-only", "gpl-2+": "GPL-2.0-or-later",
    "gpl-2.0+": "GPL-2.0-or-later", "gpl-3": "GPL-3.0-only", "gpl-3+": "GPL-3.0-or-later",
    "lgpl-2.1": "LGPL-2.1-only", "lgpl-2.1+": "LGPL-2.1-or-later", "lgpl-3": "LGPL-3.0-only",
    "lgpl-3+": "LGPL-3.0-or-later", "public-domain": None,
}


def run(cmd):
    try:
        return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None


def digests(path):
    sha1, sha256 = hashlib.sha1(), hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            sha1.update(block)
            sha256.update(block)
    return sha1.hexdigest(), sha256.hexdigest()


def spdx_id(prefix, text):
    return "SPDXRef-" + prefix + "-" + re.sub(r"[^A-Za-z0-9.-]", "-", text)


def under(path, root):
    path, root = os.path.realpath(path), os.path.realpath(root)
    return path == root or path.startswith(root + os.sep)


def read_manifest(path, source_root):
    files, include_dirs = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 3:
                continue
            source_dir, sources = parts[1], parts[2]
            for item in filter(None, sources.split(";")):
                full = item if os.path.isabs(item) else os.path.join(source_dir, item)
                files.append(os.path.normpath(full))
            if len(parts) > 3:
                for item in filter(None, parts[3].split(";")):
                    full = item if os.path.isabs(item) else os.path.join(source_dir, item)
                    if under(full, source_root):
                        include_dirs.append(os.path.normpath(full))
    return files, include_dirs


def include_closure(start, include_dirs, source_root):
    seen, todo = set(), [f for f in start if os.path.isfile(f) and under(f, source_root)]
    while todo:
        path = os.path.realpath(todo.pop())
        if path in seen:
            continue
        seen.add(path)
        if not path.endswith(C_LIKE):
            continue
        try:
            text = open(path, encoding="utf-8", errors="replace").read()
        except OSError:
            continue
        for kind, name in INCLUDE_RE.findall(text):
            candidates = ([os.path.dirname(path)] if kind == '"' else []) + include_dirs
            for d in candidates:
                full = os.path.join(d, name)
                if os.path.isfile(full) and under(full, source_root):
                    todo.append(full)
                    break
    return sorted(seen)


def file_entry(path, source_root):
    sha1, sha256 = digests(path)
    rel = os.path.relpath(os.path.realpath(path), os.path.realpath(source_root))
    head = ""
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            head = "".join(f.readline() for _ in range(6))
    except OSError:
        pass
    lic = SPDX_RE.search(head)
    cop = COPYRIGHT_RE.search(head)
    return {
        "SPDXID": spdx_id("File", rel),
        "fileName": "./" + rel,
        "checksums": [{"algorithm": "SHA1", "checksumValue": sha1},
                      {"algorithm": "SHA256", "checksumValue": sha256}],
        "licenseConcluded": lic.group(1) if lic else "NOASSERTION",
        "licenseInfoInFiles": [lic.group(1)] if lic else ["NOASSERTION"],
        "copyrightText": cop.group(1).strip() if cop else "NOASSERTION",
    }, sha1


def dpkg_field(package, field):
    out = run(["dpkg-query", "-W", "-f", "${" + field + "}", package])
    return out.strip() if out else ""


def copyright_file(package):
    bare = package.split(":")[0]
    path = f"/usr/share/doc/{bare}/copyright"
    if os.path.isfile(path):
        return path, ""
    source = dpkg_field(package, "source:Package") or bare
    listing = run(["dpkg-query", "-W", "-f", "${Package} ${source:Package} ${db:Status-Status}\n"]) or ""
    for line in listing.splitlines():
        fields = line.split()
        if len(fields) == 3 and fields[1] == source and fields[2] == "installed":
            candidate = f"/usr/share/doc/{fields[0]}/copyright"
            if os.path.isfile(candidate):
                return candidate, f" (read from {candidate}: {bare} has none, {fields[0]} is built from the same source package {source})"
    return None, ""


def debian_licences(package):
    path, note = copyright_file(package)
    if path is None:
        return "NOASSERTION", f"no /usr/share/doc/{package.split(':')[0]}/copyright found"
    text = open(path, encoding="utf-8", errors="replace").read()
    names, main = [], None
    for paragraph in re.split(r"\n\s*\n", text):
        files = re.search(r"^Files:\s*(.+)$", paragraph, re.M)
        lic = re.search(r"^License:\s*(\S.*)$", paragraph, re.M)
        if lic:
            name = lic.group(1).strip()
            if name not in names:
                names.append(name)
            if files and files.group(1).strip() == "*" and main is None:
                main = name
    if not names:
        return "NOASSERTION", f"{path} has no machine-readable License: field{note}"
    declared = "NOASSERTION"
    if main is not None:
        terms = [t.strip() for t in re.split(r"\s+or\s+", main, flags=re.I)]
        mapped = [DEBIAN_TO_SPDX.get(t.lower()) for t in terms]
        if all(mapped):
            declared = " OR ".join(mapped)
    comment = f"Debian copyright License: fields ({path}{note}): " + ", ".join(names)
    if main is not None:
        comment += f"; Files: * is {main}"
    return declared, comment


def needed_packages(artifact):
    out = run(["readelf", "-d", artifact]) or ""
    libraries = re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", out)
    if not libraries:
        return []
    cache = run(["ldconfig", "-p"]) or ""
    found = []
    for lib in libraries:
        match = re.search(r"^\s*" + re.escape(lib) + r" \(([^)]*)\) => (\S+)$", cache, re.M)
        paths = [match.group(2)] if match else []
        paths += [os.path.join(d, lib) for d in ("/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib", "/usr/lib")]
        for p in paths:
            for candidate in {p, os.path.realpath(p)}:
                owner = run(["dpkg-query", "-S", candidate])
                if owner:
                    found.append((owner.split(":")[0].strip(), lib))
                    break
            else:
                continue
            break
    return found


def package_entry(package, link, reason):
    bare = package.split(":")[0]
    version = dpkg_field(package, "Version")
    status = dpkg_field(package, "db:Status-Status")
    arch = dpkg_field(package, "Architecture")
    declared, comment = debian_licences(package)
    entry = {
        "SPDXID": spdx_id("Package-deb", bare),
        "name": bare,
        "versionInfo": version if version and status == "installed" else "NOASSERTION",
        "supplier": "Organization: " + (dpkg_field(package, "Maintainer") or "Debian"),
        "downloadLocation": "NOASSERTION",
        "filesAnalyzed": False,
        "licenseConcluded": "NOASSERTION",
        "licenseDeclared": declared,
        "licenseComments": comment,
        "copyrightText": "NOASSERTION",
        "comment": f"Debian package, {link} ({reason})" +
                   ("" if status == "installed" else "; NOT INSTALLED on the build machine"),
    }
    homepage = dpkg_field(package, "Homepage")
    if homepage:
        entry["homepage"] = homepage
    if version and status == "installed":
        purl = f"pkg:deb/debian/{bare}@{version}" + (f"?arch={arch}" if arch else "")
        entry["externalRefs"] = [{"referenceCategory": "PACKAGE-MANAGER",
                                  "referenceType": "purl", "referenceLocator": purl}]
    return entry


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--name", required=True)
    parser.add_argument("--version", default="NOASSERTION")
    parser.add_argument("--source-root", required=True)
    parser.add_argument("--output", required=True)
    parser.add_argument("--artifact")
    parser.add_argument("--manifest")
    parser.add_argument("--source", action="append", default=[])
    parser.add_argument("--package", action="append", default=[])
    parser.add_argument("--purpose", default="APPLICATION")
    parser.add_argument("--no-detect-dynamic", action="store_true")
    args = parser.parse_args()
    root = os.path.realpath(args.source_root)

    sources, include_dirs = ([], [])
    if args.manifest:
        sources, include_dirs = read_manifest(args.manifest, root)
    sources += [os.path.abspath(s) for s in args.source]
    include_dirs.append(os.path.join(root, "include"))
    project_files = include_closure(sources, include_dirs, root)
    if not project_files:
        print("sbom.py: no first-party files found", file=sys.stderr)
        return 1

    files, sha1s = [], []
    for path in project_files:
        entry, sha1 = file_entry(path, root)
        files.append(entry)
        sha1s.append(sha1)
    verification = hashlib.sha1("".join(sorted(sha1s)).encode()).hexdigest()

    image_id = spdx_id("Package", args.name)
    image = {
        "SPDXID": image_id,
        "name": args.name,
        "versionInfo": args.version,
        "supplier": "Organization: The ospolicy authors",
        "downloadLocation": "NOASSERTION",
        "filesAnalyzed": True,
        "packageVerificationCode": {"packageVerificationCodeValue": verification},
        "licenseConcluded": "NOASSERTION",
        "licenseDeclared": "Apache-2.0",
        "licenseInfoFromFiles": sorted({f["licenseInfoInFiles"][0] for f in files}),
        "copyrightText": "Copyright (c) 2026 The ospolicy authors",
        "primaryPackagePurpose": args.purpose,
        "hasFiles": [f["SPDXID"] for f in files],
    }
    if args.artifact:
        sha1, sha256 = digests(args.artifact)
        image["packageFileName"] = os.path.basename(args.artifact)
        image["checksums"] = [{"algorithm": "SHA1", "checksumValue": sha1},
                              {"algorithm": "SHA256", "checksumValue": sha256}]

    requested = {}
    for spec in args.package:
        name, _, link = spec.partition("=")
        link = link or "depends"
        if link not in ("static", "dynamic", "depends"):
            print(f"sbom.py: --package {spec}: link must be static or dynamic", file=sys.stderr)
            return 2
        requested[name.split(":")[0]] = (name, link, "listed by the build")
    if args.artifact and not args.no_detect_dynamic:
        for package, lib in needed_packages(args.artifact):
            if package not in requested:
                requested[package] = (package, "dynamic", f"provides {lib}, a DT_NEEDED library")
    packages = [package_entry(n, link, why) for n, link, why in requested.values()]
    kinds = {"static": "STATIC_LINK", "dynamic": "DYNAMIC_LINK", "depends": "DEPENDS_ON"}

    relationships = [{"spdxElementId": "SPDXRef-DOCUMENT", "relationshipType": "DESCRIBES",
                      "relatedSpdxElement": image_id}]
    relationships += [{"spdxElementId": image_id, "relationshipType": "CONTAINS",
                       "relatedSpdxElement": f["SPDXID"]} for f in files]
    # SPDX 2.3: "A STATIC_LINK B" / "A DYNAMIC_LINK B": A (the image) links B.
    for (name, link, _), package in zip(requested.values(), packages):
        relationships.append({"spdxElementId": image_id, "relationshipType": kinds[link],
                              "relatedSpdxElement": package["SPDXID"]})

    created = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    document = {
        "spdxVersion": "SPDX-2.3",
        "dataLicense": "CC0-1.0",
        "SPDXID": "SPDXRef-DOCUMENT",
        "name": f"{args.name}-{args.version}",
        "documentNamespace": f"https://ospolicy.invalid/spdx/{args.name}-{args.version}-{uuid.uuid4()}",
        "creationInfo": {"created": created,
                         "creators": ["Organization: The ospolicy authors", "Tool: ospolicy-sbom.py"]},
        "documentDescribes": [image_id],
        "packages": [image] + packages,
        "files": files,
        "relationships": relationships,
    }
    temp = args.output + ".tmp"
    with open(temp, "w", encoding="utf-8") as f:
        json.dump(document, f, indent=2, sort_keys=False)
        f.write("\n")
    os.replace(temp, args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
