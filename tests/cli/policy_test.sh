#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright (c) 2026 The ospolicy authors
#
# cli.policy: policy_test.sh OSPOLICY EXAMPLES_DIR
# `ospolicy policy compile` and `policy check` end to end: compile errors
# with line:column (neverallow and duplicates name both lines), atomic output
# that never replaces the input, signed blobs verified before use (unsigned,
# tampered, renamed and malformed blobs refused with status and offset),
# decisions explained with the deciding rule.
set -u
tool=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
examples=$(cd "$2" && pwd)
fail=0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1

check() { # name expected actual
  if [ "$2" != "$3" ]; then echo "FAIL $1: expected $2, got $3"; fail=1; else echo "ok   $1"; fi
}
# run NAME EXPECTED_EXIT EXPECTED_TEXT_OR_EMPTY -- command... (TEXT is a glob: * matches anything)
run() {
  local name=$1 expected=$2 text=$3
  shift 4
  out=$("$@" 2>&1)
  local status=$?
  check "$name (exit)" "$expected" "$status"
  if [ -n "$text" ]; then
    # shellcheck disable=SC2254 # TEXT may hold a * between two expected parts
    case "$out" in *$text*) check "$name (says $text)" yes yes ;;
      *) check "$name (says $text)" yes no; printf '%s\n' "$out" ;; esac
  fi
}
exists() { [ -e "$1" ] && echo yes || echo no; }

cp "$examples/mac/demo.policy" demo.policy

# --- compile -----------------------------------------------------------------
run "compile demo" 0 "9 labels, 5 rules, 2 neverallow assertions hold" -- \
  "$tool" policy compile demo.policy -o demo.bin
check "blob written" yes "$(exists demo.bin)"
check "blob magic" OSPOLMAC "$(head -c 8 demo.bin)"
check "no temporary file left" "demo.bin demo.policy" "$(echo $(ls))"
cp demo.bin first.bin
run "compile is deterministic" 0 "" -- "$tool" policy compile demo.policy --output demo.bin
check "same bytes" same "$(cmp -s demo.bin first.bin && echo same || echo different)"

before=$(sha256sum demo.policy)
run "output == input refused" 2 "same file" -- "$tool" policy compile demo.policy -o demo.policy
run "output == input through ./ refused" 2 "same file" -- "$tool" policy compile demo.policy -o ./demo.policy
ln demo.policy hard.policy
run "output hard link to input refused" 2 "same file" -- "$tool" policy compile demo.policy -o hard.policy
ln -s demo.policy link.policy
run "output symlink to input refused" 2 "same file" -- "$tool" policy compile demo.policy -o link.policy
check "input untouched" "$before" "$(sha256sum demo.policy)"
rm -f hard.policy link.policy

printf 'mac 1\nlevel low 0\nlabel a low\nallow a b read\n' >unknown.policy
cp demo.bin keep.bin
run "unknown label" 1 "unknown.policy:4:9: error: mac-unknown-name" -- \
  "$tool" policy compile unknown.policy -o keep.bin
check "failed compile leaves the old output" same "$(cmp -s keep.bin demo.bin && echo same || echo different)"
run "missing input" 3 "No such file" -- "$tool" policy compile nothere.policy -o x.bin
check "nothing written for a missing input" no "$(exists x.bin)"

printf 'mac 1\nlevel low 0\nlevel high 1\nlabel a low\nlabel b high\nallow b a write\n\nneverallow b a write\n' >never.policy
run "neverallow broken by an allow" 1 "never.policy:8:1: error: mac-neverallow" -- \
  "$tool" policy compile never.policy -o never.bin
case "$out" in *"never.policy:6:1: note: this allow rule permits b -> a write"*) check "names the allow rule" yes yes ;;
  *) check "names the allow rule" yes no; printf '%s\n' "$out" ;; esac
check "no blob for a broken neverallow" no "$(exists never.bin)"
printf 'mac 1\nlevel low 0\nlevel high 1\nlabel a low\nlabel b high\nneverallow a b write\n' >blp.policy
run "neverallow broken by the default rule" 1 "note: the default rule (Bell-LaPadula) permits a -> b write" -- \
  "$tool" policy compile blp.policy -o blp.bin
printf 'mac 1\nlevel low 0\nlabel a low\nallow a a read\nallow a a read,write\n' >dup.policy
run "duplicate rule" 1 "dup.policy:5:1: error: mac-duplicate-rule" -- "$tool" policy compile dup.policy -o dup.bin
case "$out" in *"dup.policy:4:1: note:"*) check "names the first rule" yes yes ;;
  *) check "names the first rule" yes no; printf '%s\n' "$out" ;; esac
run "usage: no output" 2 "required" -- "$tool" policy compile demo.policy
run "usage: unknown action" 2 "unknown action" -- "$tool" policy frobnicate

# --- check, signed -------------------------------------------------------------
"$tool" keygen --secret-key k.sec --public-key k.pub >/dev/null || exit 1
"$tool" keygen --secret-key other.sec --public-key other.pub >/dev/null || exit 1
"$tool" trust init trust.set >/dev/null && "$tool" trust add trust.set --public-key k.pub >/dev/null || exit 1
run "unsigned blob refused" 1 "denied-modsign-no-signature" -- \
  "$tool" policy check demo.bin shell store.plans read --public-key k.pub
"$tool" sign --secret-key k.sec --kind data --generation 1 demo.bin >/dev/null || exit 1
run "explicit allow" 0 "ALLOW shell -> store.plans read: ok" -- \
  "$tool" policy check demo.bin shell store.plans read --public-key k.pub
case "$out" in *"signature verified"*"decided by: allow rule at line 27"*"Bell-LaPadula alone: deny, denied-mac-read-up"*) check "explains the allow" yes yes ;;
  *) check "explains the allow" yes no; printf '%s\n' "$out" ;; esac
run "explicit deny over the default" 1 "DENY logger -> store.motd read: denied-mac-deny-rule" -- \
  "$tool" policy check demo.bin logger store.motd read --trust trust.set
case "$out" in *"decided by: deny rule at line 29"*"Bell-LaPadula alone: allow"*) check "explains the deny" yes yes ;;
  *) check "explains the deny" yes no; printf '%s\n' "$out" ;; esac
run "read up denied by default" 1 "DENY console -> init read: denied-mac-read-up" -- \
  "$tool" policy check demo.bin console init read --trust trust.set
run "write down denied by default" 1 "DENY init -> store.motd write: denied-mac-write-down" -- \
  "$tool" policy check demo.bin init store.motd write --trust trust.set
run "write up allowed by default" 0 "decided by: the default rule" -- \
  "$tool" policy check demo.bin console store.motd write --trust trust.set
run "wrong key refused" 1 "denied-modsign-unknown-key" -- \
  "$tool" policy check demo.bin shell store.plans read --public-key other.pub
cp demo.bin renamed.bin
cp demo.bin.sig renamed.bin.sig
run "signature for another name refused" 1 "denied-modsign-wrong-object" -- \
  "$tool" policy check renamed.bin shell store.plans read --public-key k.pub
run "--name accepts the signed name" 0 "ALLOW" -- \
  "$tool" policy check renamed.bin shell store.plans read --public-key k.pub --name demo.bin
cp demo.bin tampered.bin
printf '\x01' | dd of=tampered.bin bs=1 seek=300 conv=notrunc 2>/dev/null
run "tampered blob refused" 1 "denied-modsign-digest-mismatch" -- \
  "$tool" policy check tampered.bin shell store.plans read --public-key k.pub --signature demo.bin.sig --name demo.bin

head -c 200 /dev/urandom >garbage.bin
"$tool" sign --secret-key k.sec --kind data --generation 1 garbage.bin >/dev/null || exit 1
run "well-signed garbage refused by the parser" 1 "signature verified*mac-blob-malformed*(field magic, byte offset 0)" -- \
  "$tool" policy check garbage.bin shell store.plans read --public-key k.pub

# --- check, malformed blobs (status and byte offset) ------------------------------
size=$(stat -c %s demo.bin)
head -c 40 demo.bin >short.bin
run "truncated header" 1 "mac-blob-truncated" -- "$tool" policy check short.bin a b read --unsigned
case "$out" in *"byte offset 40"*) check "truncated offset" yes yes ;; *) check "truncated offset" yes no; printf '%s\n' "$out" ;; esac
head -c $((size - 1)) demo.bin >cut.bin
run "truncated end" 1 "mac-blob-truncated*(field end, byte offset $((size - 1)))" -- "$tool" policy check cut.bin a b read --unsigned
{ cat demo.bin; printf 'x'; } >long.bin
run "trailing data" 1 "mac-blob-trailing-data*(field end, byte offset $size)" -- "$tool" policy check long.bin a b read --unsigned
cp demo.bin version.bin
printf '\x02' | dd of=version.bin bs=1 seek=8 conv=notrunc 2>/dev/null
run "unknown version" 1 "mac-blob-version*(field version, byte offset 8)" -- "$tool" policy check version.bin a b read --unsigned
cp demo.bin magic.bin
printf 'X' | dd of=magic.bin bs=1 seek=0 conv=notrunc 2>/dev/null
run "bad magic" 1 "mac-blob-malformed*(field magic, byte offset 0)" -- "$tool" policy check magic.bin a b read --unsigned
run "--unsigned says so" 0 "signature NOT checked" -- "$tool" policy check demo.bin shell store.plans read --unsigned

# --- usage ---------------------------------------------------------------------------
run "unknown label" 2 "no label named 'mallory'" -- "$tool" policy check demo.bin mallory init read --unsigned
run "unknown op" 2 "is not read, write, exec, ipc or net" -- "$tool" policy check demo.bin shell init fly --unsigned
run "no trust choice" 2 "exactly one of" -- "$tool" policy check demo.bin shell init read
run "two trust choices" 2 "exactly one of" -- "$tool" policy check demo.bin shell init read --unsigned --public-key k.pub
run "missing blob" 3 "No such file" -- "$tool" policy check none.bin shell init read --unsigned

if [ "$fail" -ne 0 ]; then echo "cli.policy: FAILED"; exit 1; fi
echo "cli.policy: all checks passed"
