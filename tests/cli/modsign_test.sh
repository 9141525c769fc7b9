#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright (c) 2026 The ospolicy authors
#
# cli.modsign: modsign_test.sh OSPOLICY FAULT_SHIM
# keygen / sign / verify / trust end to end: secret keys 0600 and never
# overwritten without --force, every rejection with its status name and exit
# status 1, rotation and revocation, generation floors, usage errors (2) and
# unreadable inputs (3).
set -u
tool=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
shim=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
lib=$(cd "$(dirname "$0")" && pwd)/modsign_lib.sh
fail=0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1

. "$lib"
mode_of() { stat -c %a "$1"; }

# --- keygen ---------------------------------------------------------------
run "keygen a" 0 "key id " -- "$tool" keygen --secret-key a.sec --public-key a.pub
check "secret key mode 0600" 600 "$(mode_of a.sec)"
check "secret key size" 88 "$(stat -c %s a.sec)"
check "public key size" 56 "$(stat -c %s a.pub)"
before=$(sha256sum a.sec)
run "keygen refuses to overwrite" 1 "not overwriting" -- "$tool" keygen --secret-key a.sec --public-key other.pub
check "secret key untouched" "$before" "$(sha256sum a.sec)"
check "no public key written" no "$([ -e other.pub ] && echo yes || echo no)"
run "keygen refuses an existing public key" 1 "not overwriting" -- "$tool" keygen --secret-key new.sec --public-key a.pub
check "no secret key written" no "$([ -e new.sec ] && echo yes || echo no)"
(umask 000 && "$tool" keygen --secret-key loose.sec --public-key loose.pub >/dev/null)
check "secret key 0600 even with umask 000" 600 "$(mode_of loose.sec)"
cp a.sec old.sec
chmod 644 old.sec
run "keygen --force replaces" 0 "key id " -- "$tool" keygen --secret-key old.sec --public-key old.pub --force
check "forced secret key is 0600" 600 "$(mode_of old.sec)"
check "forced key is a new key" different "$([ "$(sha256sum <old.sec)" = "$(sha256sum <a.sec)" ] && echo same || echo different)"
ln -s a.sec link.sec
run "keygen refuses a symlink" 1 "not overwriting" -- "$tool" keygen --secret-key link.sec --public-key link.pub
run "keygen b" 0 "" -- "$tool" keygen --secret-key b.sec --public-key b.pub
run "keygen c" 0 "" -- "$tool" keygen --secret-key c.sec --public-key c.pub

# --- sign and verify ------------------------------------------------------
head -c 300000 /dev/urandom >kernel.elf
head -c 5000 /dev/urandom >e1000.ko
run "sign kernel" 0 "signed kernel \"kernel\" generation 3" -- \
  "$tool" sign --secret-key a.sec --kind kernel --name kernel --generation 3 kernel.elf
check "envelope size" $((104 + 6 + 64)) "$(stat -c %s kernel.elf.sig)"
run "sign module (default name)" 0 "\"e1000.ko\"" -- \
  "$tool" sign --secret-key a.sec --kind module --generation 1 e1000.ko
run "trust init" 0 "not enforcing, 0 keys" -- "$tool" trust init t.trust
run "trust init refuses to overwrite" 1 "not overwriting" -- "$tool" trust init t.trust
run "trust add a" 0 "1 key" -- "$tool" trust add t.trust --public-key a.pub
run "trust add a twice" 1 "modsign-duplicate-key" -- "$tool" trust add t.trust --public-key a.pub
run "verify kernel" 0 "verified kernel.elf" -- "$tool" verify --trust t.trust --kind kernel --name kernel kernel.elf
sha=$(b2sum -l 512 kernel.elf | cut -d' ' -f1)
case "$out" in *"blake2b-512 $sha"*) check "digest is the file's BLAKE2b-512 (b2sum)" yes yes ;; *) check "digest is the file's BLAKE2b-512 (b2sum)" yes no ;; esac
run "verify module" 0 "verified" -- "$tool" verify --trust t.trust --kind module e1000.ko
run "verify with a public key" 0 "verified" -- "$tool" verify --public-key a.pub --kind kernel --name kernel kernel.elf

# --- rejections -----------------------------------------------------------
cp kernel.elf k2.elf; cp kernel.elf.sig k2.sig
flip_byte k2.elf 1000
run "modified object" 1 "denied-modsign-digest-mismatch" -- "$tool" verify --trust t.trust --kind kernel --name kernel --signature k2.sig k2.elf
head -c 299999 kernel.elf >k3.elf
run "truncated object" 1 "modsign-object-truncated" -- "$tool" verify --trust t.trust --kind kernel --name kernel --signature kernel.elf.sig k3.elf
cat kernel.elf >k4.elf; printf 'X' >>k4.elf
run "trailing garbage after the object" 1 "modsign-trailing-data" -- "$tool" verify --trust t.trust --kind kernel --name kernel --signature kernel.elf.sig k4.elf
cp kernel.elf.sig k5.sig; printf '\0' >>k5.sig
run "trailing garbage after the envelope" 1 "modsign-trailing-data" -- "$tool" verify --trust t.trust --kind kernel --name kernel --signature k5.sig kernel.elf
head -c 100 /dev/urandom >junk.sig
run "unparsable envelope" 1 "modsign-malformed" -- "$tool" verify --trust t.trust --kind kernel --name kernel --signature junk.sig kernel.elf
cp kernel.elf unsigned.elf
run "no signature" 1 "denied-modsign-no-signature" -- "$tool" verify --trust t.trust --kind kernel --name kernel unsigned.elf
case "$out" in *"load it UNVERIFIED (not enforcing)"*) check "unsigned loads unverified when not enforcing" yes yes ;; *) check "unsigned loads unverified when not enforcing" yes no ;; esac
run "missing explicit --signature is unreadable" 3 "none.sig: No such file" -- "$tool" verify --trust t.trust --kind kernel --name kernel --signature none.sig kernel.elf
cp kernel.elf.sig k6.sig
flip_byte k6.sig 100
run "bad signature" 1 "denied-modsign-bad-signature" -- "$tool" verify --trust t.trust --kind kernel --name kernel --signature k6.sig kernel.elf
run "signature of another object (name)" 1 "denied-modsign-wrong-object" -- "$tool" verify --trust t.trust --kind kernel --name e1000.ko --signature e1000.ko.sig e1000.ko
run "signature of another object (kind)" 1 "denied-modsign-wrong-object" -- "$tool" verify --trust t.trust --kind module --name kernel --signature kernel.elf.sig kernel.elf
run "signature swapped between objects" 1 "denied-modsign-wrong-object" -- "$tool" verify --trust t.trust --kind kernel --name kernel --signature e1000.ko.sig kernel.elf
"$tool" sign --secret-key b.sec --kind kernel --name kernel --generation 3 --output kernel.b.sig kernel.elf >/dev/null
run "unknown key id" 1 "denied-modsign-unknown-key" -- "$tool" verify --trust t.trust --kind kernel --name kernel --signature kernel.b.sig kernel.elf

# --- rotation and revocation ----------------------------------------------
run "rotation: add b" 0 "2 keys" -- "$tool" trust add t.trust --public-key b.pub
run "rotation: b verifies" 0 "verified" -- "$tool" verify --trust t.trust --kind kernel --name kernel --signature kernel.b.sig kernel.elf
run "rotation: a still verifies" 0 "verified" -- "$tool" verify --trust t.trust --kind kernel --name kernel kernel.elf
run "rotation: revoke a" 0 "revoked" -- "$tool" trust revoke t.trust --public-key a.pub
run "revoked key is refused" 1 "denied-modsign-revoked-key" -- "$tool" verify --trust t.trust --kind kernel --name kernel kernel.elf
run "b still verifies" 0 "verified" -- "$tool" verify --trust t.trust --kind kernel --name kernel --signature kernel.b.sig kernel.elf
run "a revoked key cannot be re-added" 1 "denied-modsign-revoked-key" -- "$tool" trust add t.trust --public-key a.pub
cid=$("$tool" keygen --secret-key d.sec --public-key d.pub | sed -n 's/^key id //p')
run "revoke by key id before first use" 0 "revoked $cid" -- "$tool" trust revoke t.trust --key-id "$cid"

# --- generation floors ----------------------------------------------------
run "floor 3" 0 "floor kernel kernel >= 3" -- "$tool" trust floor t.trust --kind kernel --name kernel --generation 3
run "generation 3 passes floor 3" 0 "verified" -- "$tool" verify --trust t.trust --kind kernel --name kernel --signature kernel.b.sig kernel.elf
run "floor 4" 0 ">= 4" -- "$tool" trust floor t.trust --kind kernel --name kernel --generation 4
run "generation below the floor" 1 "denied-modsign-generation" -- "$tool" verify --trust t.trust --kind kernel --name kernel --signature kernel.b.sig kernel.elf
run "floor never goes down" 1 "denied-modsign-floor-lowered" -- "$tool" trust floor t.trust --kind kernel --name kernel --generation 2
"$tool" sign --secret-key b.sec --kind kernel --name kernel --generation 4 --output kernel.b4.sig kernel.elf >/dev/null
run "re-signed at generation 4" 0 "verified" -- "$tool" verify --trust t.trust --kind kernel --name kernel --signature kernel.b4.sig kernel.elf

# --- enforcement ----------------------------------------------------------
run "enforce" 0 "enforcing" -- "$tool" trust enforce t.trust
run "show" 0 "trust set t.trust: enforcing" -- "$tool" trust show t.trust
run "unsigned refused when enforcing" 1 "would refuse it (enforcing)" -- "$tool" verify --trust t.trust --kind kernel --name kernel unsigned.elf
run "enforce stays on after edits" 0 "enforcing" -- "$tool" trust floor t.trust --kind module --name e1000.ko --generation 1

# --- usage (2) and unreadable (3) -----------------------------------------
run "sign without --kind" 2 "" -- "$tool" sign --secret-key b.sec --generation 1 kernel.elf
run "bad kind" 2 "is not kernel, module" -- "$tool" sign --secret-key b.sec --kind driver --generation 1 kernel.elf
run "bad generation" 2 "--generation" -- "$tool" sign --secret-key b.sec --kind kernel --generation -1 kernel.elf
run "bad name" 2 "is not 1..64" -- "$tool" sign --secret-key b.sec --kind kernel --name "a/b" --generation 1 kernel.elf
run "sign with a public key" 2 "a secret key is needed" -- "$tool" sign --secret-key b.pub --kind kernel --generation 1 kernel.elf
run "verify with a secret key" 2 "give the public key" -- "$tool" verify --public-key b.sec --kind kernel --name kernel kernel.elf
run "verify with both --trust and --public-key" 2 "" -- "$tool" verify --trust t.trust --public-key b.pub --kind kernel kernel.elf
run "bad key id" 2 "16 hex digits" -- "$tool" trust revoke t.trust --key-id 12zz
run "unknown trust action" 2 "unknown action" -- "$tool" trust frobnicate t.trust
run "missing trust set" 3 "No such file" -- "$tool" verify --trust nope.trust --kind kernel --name kernel kernel.elf
run "missing object" 3 "No such file" -- "$tool" verify --trust t.trust --kind kernel --name kernel --signature kernel.b4.sig nope.elf
run "missing secret key" 3 "No such file" -- "$tool" sign --secret-key nope.sec --kind kernel --generation 1 kernel.elf
head -c 40 /dev/urandom >junk.trust
run "unparsable trust set" 1 "modsign-trust-malformed" -- "$tool" verify --trust junk.trust --kind kernel --name kernel kernel.elf
cp b.pub bad.pub
printf '\xff\xff\xff\xff\xff\xff\xff\xff' | dd of=bad.pub bs=1 seek=16 conv=notrunc status=none
run "public key whose id does not match" 1 "key id does not match" -- "$tool" trust add t.trust --public-key bad.pub
case "$out" in *"first 8 bytes of SHA-512"*) check "non-derived id: says how ids derive" yes yes ;; *) check "non-derived id: says how ids derive" yes no ;; esac

# --- key ids are derived, public keys unique --------------------------------
"$tool" trust init alias.trust >/dev/null
"$tool" trust add alias.trust --public-key c.pub >/dev/null
head -c 16 alias.trust >dup.trust
printf '\x02' | dd of=dup.trust bs=1 seek=10 conv=notrunc status=none
tail -c 40 alias.trust >>dup.trust
tail -c 40 alias.trust >>dup.trust
flip_byte dup.trust 56
run "trust file with one public key under two ids" 1 "modsign-duplicate-public-key" -- "$tool" trust show dup.trust
case "$out" in *"byte offset 64"*) check "duplicate public key: offset of the second key" yes yes ;; *) check "duplicate public key: offset of the second key" yes no; printf '%s\n' "$out" ;; esac
flip_byte alias.trust 16
"$tool" sign --secret-key c.sec --kind kernel --name kernel --generation 3 --output kernel.c.sig kernel.elf >/dev/null
run "trust file with a non-derived key id (verify)" 1 "modsign-key-id-mismatch" -- "$tool" verify --trust alias.trust --kind kernel --name kernel --signature kernel.c.sig kernel.elf
run "trust file with a non-derived key id (show)" 1 "key 0: its key id is not the one its public key derives" -- "$tool" trust show alias.trust
"$tool" trust init rv.trust >/dev/null
"$tool" trust add rv.trust --public-key c.pub >/dev/null
run "revoke by public key" 0 "revoked" -- "$tool" trust revoke rv.trust --public-key c.pub
run "revoked key refused after revoke --public-key" 1 "denied-modsign-revoked-key" -- "$tool" verify --trust rv.trust --kind kernel --name kernel --signature kernel.c.sig kernel.elf
run "revoked key cannot come back" 1 "denied-modsign-revoked-key" -- "$tool" trust add rv.trust --public-key c.pub
# --- revocations free their slots; trust show lists them ----------------------
"$tool" trust init rot.trust >/dev/null
"$tool" keygen --secret-key r0.sec --public-key r0.pub >/dev/null
"$tool" trust add rot.trust --public-key r0.pub >/dev/null
rot_ok=0
for i in $(seq 1 12); do
  "$tool" keygen --secret-key r$i.sec --public-key r$i.pub >/dev/null
  "$tool" trust add rot.trust --public-key r$i.pub >/dev/null && \
    "$tool" trust revoke rot.trust --public-key r$((i - 1)).pub >/dev/null && rot_ok=$((rot_ok + 1))
done
check "12 monthly rotations in a row (more than the 8 key slots)" 12 "$rot_ok"
run "trust show after 12 rotations" 0 "1 key (capacity 8), 12 revoked (capacity 256)" -- "$tool" trust show rot.trust
case "$out" in *"revoked $("$tool" keygen --recover --force --secret-key r0.sec --public-key r0.again | sed -n 's/^key id //p')"*)
  check "trust show lists the revoked ids" yes yes ;; *) check "trust show lists the revoked ids" yes no ;; esac
run "a revoked key stays revoked after rotations" 1 "denied-modsign-revoked-key" -- "$tool" trust add rot.trust --public-key r3.pub
cp rot.trust rot_copy.trust
run "trust init --force says what it drops" 0 "drops its 1 key(s), 12 revocation(s) and 0 floor(s)" -- "$tool" trust init --force rot_copy.trust

# --- one pass, no mapping: a file that changes while it is signed -------------
head -c 3000000 /dev/urandom >shrinking.bin
run "object truncated while it is signed" 3 "changed while it was being signed" -- \
  env LD_PRELOAD="$shim" OSPOLICY_TEST_CHANGE="3:$work/shrinking.bin" "$tool" sign --secret-key b.sec --kind data --generation 1 shrinking.bin
check "no signature written for a changing object" no "$([ -e shrinking.bin.sig ] && echo yes || echo no)"

# --- trusted comment, standard input and output ---------------------------------
run "sign with a trusted comment" 0 "signed" -- "$tool" sign --secret-key b.sec --kind kernel --name kernel --generation 5 --comment "release 5, built by CI" --output kc.sig kernel.elf
run "verify prints the trusted comment" 0 "trusted comment: release 5, built by CI" -- "$tool" verify --public-key b.pub --kind kernel --name kernel --signature kc.sig kernel.elf
cp kc.sig kc2.sig
printf 'X' | dd of=kc2.sig bs=1 seek=$((104 + 6 + 2)) conv=notrunc status=none
run "an edited trusted comment fails the signature" 1 "denied-modsign-bad-signature" -- "$tool" verify --public-key b.pub --kind kernel --name kernel --signature kc2.sig kernel.elf
run "a comment with a line break is refused" 2 "printable ASCII" -- "$tool" sign --secret-key b.sec --kind kernel --generation 1 --comment "$(printf 'a\nb')" --output x.sig kernel.elf
"$tool" sign --secret-key b.sec --kind data --name piped --generation 1 --output - - <e1000.ko >piped.sig 2>/dev/null
check "sign - to - (stdin to stdout)" $((104 + 5 + 64)) "$(stat -c %s piped.sig)"
run "verify from the standard input" 0 "verified -" -- sh -c "'$tool' verify --public-key b.pub --kind data --name piped --signature piped.sig - <e1000.ko"
run "verify - needs --signature" 2 "needs --signature" -- "$tool" verify --public-key b.pub --kind data --name piped -

# --- text form, key show, envelope show ------------------------------------------
run "keygen --text" 0 "key id" -- "$tool" keygen --text --secret-key tx.sec --public-key tx.pub
check "text public key: first line" "untrusted comment: ospolicy public key" "$(head -1 tx.pub | cut -c1-38)"
check "text public key: two lines" 2 "$(wc -l <tx.pub)"
check "text public key: base64 of the binary file" OSPPUBK "$(sed -n 2p tx.pub | base64 -d | head -c 7)"
run "sign --text" 0 "signed" -- "$tool" sign --text --secret-key tx.sec --kind module --generation 1 --comment "ci build 42" e1000.ko --output e1000.txt.sig
check "text envelope: first line" "untrusted comment: signature of module e1000.ko by key" "$(head -1 e1000.txt.sig | cut -c1-54)"
run "verify a text envelope with a text public key" 0 "trusted comment: ci build 42" -- "$tool" verify --public-key tx.pub --kind module --signature e1000.txt.sig e1000.ko
run "trust init for the text key" 0 "0 keys" -- "$tool" trust init txt.trust
run "trust add a text public key" 0 "1 key" -- "$tool" trust add txt.trust --public-key tx.pub
sed '1s/.*/untrusted comment: anyone may edit this line/' e1000.txt.sig >edited.sig
run "the untrusted comment is not signed" 0 "verified" -- "$tool" verify --public-key tx.pub --kind module --signature edited.sig e1000.ko
sed '2s/A/B/' e1000.txt.sig >flipped.sig
run "a changed base64 digit fails" 1 "REJECTED" -- "$tool" verify --public-key tx.pub --kind module --signature flipped.sig e1000.ko
printf 'untrusted comment: x\r\n' >crlf.sig; sed -n 2p e1000.txt.sig >>crlf.sig
run "CRLF text refused with its offset" 1 "modsign-malformed: " -- "$tool" verify --public-key tx.pub --kind module --signature crlf.sig e1000.ko
case "$out" in *"field untrusted-comment, byte offset 20"*) check "CRLF: field and offset" yes yes ;; *) check "CRLF: field and offset" yes no; printf '%s\n' "$out" ;; esac
run "key show (public, text)" 0 "public key tx.pub" -- "$tool" key show tx.pub
run "key show (public, binary) prints the text form" 0 "untrusted comment: ospolicy public key" -- "$tool" key show b.pub
run "key show (secret) never prints the secret" 0 "secret key tx.sec" -- "$tool" key show tx.sec
secret_hex=$(tail -c 64 tx.sec | head -c 32 | od -An -tx1 | tr -d ' \n')
case "$out" in *"$secret_hex"*) check "key show: seed not printed" yes no ;; *) check "key show: seed not printed" yes yes ;; esac
run "envelope show (text)" 0 "trusted comment: ci build 42" -- "$tool" envelope show e1000.txt.sig
case "$out" in *"NOT VERIFIED"*"name e1000.ko"*"generation 1"*) check "envelope show: fields, not verified" yes yes ;; *) check "envelope show: fields, not verified" yes no ;; esac
run "envelope show (binary)" 0 "binary form" -- "$tool" envelope show kernel.elf.sig
run "envelope show of junk" 1 "modsign-malformed" -- "$tool" envelope show junk.sig
cp kernel.elf.sig v1show.sig
printf '\x01' | dd of=v1show.sig bs=1 seek=8 conv=notrunc status=none
run "envelope show of a version 1 envelope" 1 "only envelope version 2" -- "$tool" envelope show v1show.sig
run "key show of a FIFO" 3 "not a regular file" -- timeout 20 "$tool" key show /dev/null
run "key without show" 2 "the only action is 'show'" -- "$tool" key list tx.pub

# --- sealed (passphrase-protected) secret keys ------------------------------------
printf 'correct horse battery staple\n' >pass.txt
run "keygen with --passphrase-fd" 0 "key id" -- sh -c "'$tool' keygen --secret-key sealed.sec --public-key sealed.pub --passphrase-fd 3 3<pass.txt"
check "sealed key: 160 bytes" 160 "$(stat -c %s sealed.sec)"
check "sealed key: mode 0600" 600 "$(stat -c %a sealed.sec)"
check "sealed key: no plain secret magic" OSPSECE "$(head -c 7 sealed.sec)"
run "key show of a sealed key (no passphrase needed)" 0 "sealed with a passphrase (Argon2id" -- "$tool" key show sealed.sec
run "sign with --passphrase-env" 0 "signed" -- env PASS='correct horse battery staple' "$tool" sign --secret-key sealed.sec --passphrase-env PASS --kind module --generation 1 --output sealed.sig e1000.ko
run "its signature verifies" 0 "verified" -- "$tool" verify --public-key sealed.pub --kind module --signature sealed.sig e1000.ko
run "wrong passphrase" 1 "wrong passphrase" -- env PASS=wrong "$tool" sign --secret-key sealed.sec --passphrase-env PASS --kind module --generation 1 --output x.sig e1000.ko
run "unset passphrase variable" 2 "is not set" -- "$tool" sign --secret-key sealed.sec --passphrase-env NO_SUCH_VARIABLE_I13 --kind module --generation 1 --output x.sig e1000.ko
run "no terminal and no passphrase option" 2 "no terminal" -- setsid -w "$tool" sign --secret-key sealed.sec --kind module --generation 1 --output x.sig e1000.ko
check "no signature written without the passphrase" no "$([ -e x.sig ] && echo yes || echo no)"
cp sealed.sec tampered.sec; chmod 600 tampered.sec
flip_byte tampered.sec 30
run "a changed public key in the sealed header" 1 "authentication failed" -- sh -c "'$tool' sign --secret-key tampered.sec --passphrase-fd 3 3<pass.txt --kind module --generation 1 --output x.sig e1000.ko"
cp sealed.sec hostile.sec; chmod 600 hostile.sec
printf '\x00\x00\x00\x00\x00\x01' | dd of=hostile.sec bs=1 seek=66 conv=notrunc status=none
run "a sealed key asking for 2^40 bytes of memory is refused" 1 "field memlimit" -- sh -c "'$tool' sign --secret-key hostile.sec --passphrase-fd 3 3<pass.txt --kind module --generation 1 --output x.sig e1000.ko"
cp sealed.sec loose_sealed.sec; chmod 640 loose_sealed.sec
run "a sealed key others can read is refused before any passphrase" 1 "accessible by group or others" -- setsid -w "$tool" sign --secret-key loose_sealed.sec --kind module --generation 1 --output x.sig e1000.ko
run "keygen --recover from a sealed key" 0 "public key" -- sh -c "'$tool' keygen --recover --secret-key sealed.sec --public-key sealed2.pub --passphrase-fd 3 3<pass.txt"
check "recovered public key is the same" "$(sha256sum <sealed.pub)" "$(sha256sum <sealed2.pub)"
printf '\n' >empty.txt
run "an empty passphrase is refused" 2 "passphrase is empty" -- sh -c "'$tool' keygen --secret-key e.sec --public-key e.pub --passphrase-fd 3 3<empty.txt"

# --- messages -------------------------------------------------------------------
run "wrong name: the expected name is printed" 1 "expected module \"other.ko\"" -- "$tool" verify --public-key a.pub --kind module --name other.ko --signature e1000.ko.sig e1000.ko
run "with one public key, no loader verdict" 1 "" -- "$tool" verify --public-key b.pub --kind kernel --name kernel unsigned.elf
case "$out" in *"a loader using this trust set"*) check "no trust-set verdict without a trust set" yes no ;; *) check "no trust-set verdict without a trust set" yes yes ;; esac
cp kernel.elf.sig v1.sig
printf '\x01' | dd of=v1.sig bs=1 seek=8 conv=notrunc status=none
run "a version 1 envelope is refused with a hint" 1 "only envelope version 2 is accepted" -- "$tool" verify --trust t.trust --kind kernel --name kernel --signature v1.sig kernel.elf

# --- option syntax, the same for every command -------------------------------
run "--opt=value" 0 "verified" -- "$tool" verify --trust=t.trust --kind=kernel --name=kernel --signature=kernel.b4.sig kernel.elf
run "--opt=value with both keys is still a usage error" 2 "" -- "$tool" verify --trust=t.trust --public-key=b.pub --kind=kernel kernel.elf
cp kernel.elf ./-dash.elf
"$tool" sign --secret-key=b.sec --kind=kernel --name=kernel --generation=4 --output=dash.sig -- -dash.elf >/dev/null
run "-- ends the options" 0 "verified" -- "$tool" verify --public-key b.pub --kind kernel --name kernel --signature dash.sig -- -dash.elf
run "unknown option" 2 "unknown option '--frobnicate'" -- "$tool" sign --frobnicate --secret-key b.sec --kind kernel --generation 1 kernel.elf
run "a switch takes no value" 2 "takes no value" -- "$tool" keygen --force=yes --secret-key z.sec --public-key z.pub
run "missing value" 2 "missing value after '--kind'" -- "$tool" verify --public-key b.pub --kind
run "trust: options before TRUSTFILE" 0 "floor kernel x >= 1" -- "$tool" trust floor --kind kernel --name x --generation 1 rv.trust
run "keygen --help" 0 "usage: ospolicy keygen" -- "$tool" keygen --help
run "trust --help" 0 "usage: ospolicy trust init" -- "$tool" trust --help
exit $fail
