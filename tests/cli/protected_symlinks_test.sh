#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright (c) 2026 The ospolicy authors
#
# cli.protected_symlinks: protected_symlinks_test.sh OSPOLICY
# An output path through a symbolic link that another user (uid 65534) put
# in a sticky, world-writable folder (as /tmp) is refused, whatever the
# kernel's fs.protected_symlinks says, and the file the link aims at is left
# untouched; links of the caller or of the folder's owner, and links in a
# folder that is not sticky, are still followed. Needs root (to act as two
# users); skipped (77) otherwise.
set -u
tool=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
lib=$(cd "$(dirname "$0")" && pwd)/modsign_lib.sh
. "$lib"
fail=0
if [ "$(id -u)" != 0 ]; then
  echo "SKIP: needs root to create a link owned by another uid"
  exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
chmod 755 "$work"
cd "$work" || exit 1
as_nobody() { setpriv --reuid 65534 --regid 65534 --clear-groups "$@"; }

"$tool" keygen --secret-key k.sec --public-key k.pub >/dev/null || fail=1
echo object >obj.bin
echo precious >victim
mkdir sticky real && chmod 1777 sticky
as_nobody ln -s "$work/victim" sticky/out.sig
as_nobody ln -s "$work/real" sticky/dir

sign() { "$tool" sign --secret-key k.sec --kind data --name obj --generation 1 --output "$1" obj.bin; }
run "sign --output through another user's link in a sticky folder" 3 \
  "refused to follow the symbolic link $work/sticky/out.sig: it belongs to uid 65534" -- sign sticky/out.sig
case "$out" in *"sticky, world-writable folder $work/sticky (owner uid 0)"*"nothing was written"*)
  check "the refusal names the folder and says nothing was written" yes yes ;;
  *) check "the refusal names the folder and says nothing was written" yes no ;; esac
check "the link's target is untouched" precious "$(cat victim)"
check "the link is still there" yes "$([ -L sticky/out.sig ] && echo yes || echo no)"
run "a link as a folder component is refused too" 3 "refused to follow the symbolic link $work/sticky/dir" \
  -- sign sticky/dir/out.sig
check "nothing written behind the folder link" 0 "$(ls real | wc -l)"
run "trust init through the link" 3 "refused to follow" -- "$tool" trust init sticky/out.sig --force
run "keygen through the link" 3 "refused to follow" -- \
  "$tool" keygen --secret-key k2.sec --public-key sticky/out.sig --force
check "the target is still untouched" precious "$(cat victim)"

# What is still followed: the caller's own link, a link of the folder's
# owner, and another user's link in a folder that is not sticky.
: >mine; : >owner; : >open.sig # existing targets: a dangling link is refused anyway
ln -s "$work/mine" sticky/mine.sig
run "the caller's own link in the sticky folder is followed" 0 "" -- sign sticky/mine.sig
check "the caller's link reached its target" yes "$([ -s mine ] && echo yes || echo no)"
mkdir theirs && chown 65534:65534 theirs && chmod 1777 theirs
as_nobody ln -s "$work/owner" theirs/out.sig
run "the folder owner's link is followed" 0 "" -- sign theirs/out.sig
check "the owner's link reached its target" yes "$([ -s owner ] && echo yes || echo no)"
mkdir open && chmod 0777 open
as_nobody ln -s "$work/open.sig" open/out.sig
run "another user's link in a folder without the sticky bit is followed" 0 "" -- sign open/out.sig
check "that link reached its target" yes "$([ -s open.sig ] && echo yes || echo no)"

[ "$fail" = 0 ] && echo PASSED
exit "$fail"
