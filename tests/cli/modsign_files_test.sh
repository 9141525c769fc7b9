#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright (c) 2026 The ospolicy authors
#
# cli.modsign_files: modsign_files_test.sh OSPOLICY FAULT_SHIM
# The signing commands never lose data: concurrent trust edits all survive
# (real parallel processes), a kill at each step of an edit leaves the old
# file or the new one, symbolic and hard links are followed or refused as
# documented, owner/mode/umask are honoured, an output that is an input is
# refused, secret keys others can read are refused, FIFOs are refused
# without hanging, and a full disk leaves the old file intact.
set -u
tool=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
shim=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
lib=$(cd "$(dirname "$0")" && pwd)/modsign_lib.sh
fail=0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
# The shim is preloaded into a sanitized tool in the sanitize build.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"

. "$lib"
keys_in() { "$tool" trust show "$1" 2>/dev/null | grep -c '^key '; }
leftovers() { find "${1:-.}" -maxdepth 1 -name '.ospolicy-*' | wc -l; }

for k in 0 1 2 3 4 5 6 7 8; do
  "$tool" keygen --secret-key k$k.sec --public-key k$k.pub >/dev/null || fail=1
done

# --- concurrent edits: every one survives -------------------------------------
"$tool" trust init par.trust >/dev/null
pids=()
for k in 0 1 2 3 4 5 6 7; do
  "$tool" trust add par.trust --public-key k$k.pub >/dev/null 2>&1 & pids+=($!)
done
ok=0
for p in "${pids[@]}"; do wait "$p" && ok=$((ok + 1)); done
check "8 parallel trust add: all exit 0" 8 "$ok"
check "8 parallel trust add: all 8 keys kept" 8 "$(keys_in par.trust)"

lost=0
for round in $(seq 1 40); do
  "$tool" trust init race.trust --force >/dev/null 2>&1
  "$tool" trust add race.trust --public-key k0.pub >/dev/null
  "$tool" trust revoke race.trust --public-key k0.pub >/dev/null 2>&1 & a=$!
  "$tool" trust floor race.trust --kind kernel --name kernel --generation "$round" >/dev/null 2>&1 & b=$!
  wait $a || lost=$((lost + 1))
  wait $b || lost=$((lost + 1))
  shown=$("$tool" trust show race.trust)
  case "$shown" in *" revoked "*) ;; *) lost=$((lost + 1)) ;; esac
  case "$shown" in *"floor kernel kernel >= $round"*) ;; *) lost=$((lost + 1)) ;; esac
done
check "40 rounds of revoke racing floor: no edit lost" 0 "$lost"
check "no temporary left behind by the races" 0 "$(leftovers)"

# --- symbolic links are followed; the real file is replaced -------------------
mkdir real
"$tool" trust init real/t.trust >/dev/null
ln -s real/t.trust link.trust
run "edit through a symbolic link" 0 "1 key" -- "$tool" trust add link.trust --public-key k0.pub
check "the link is still a link" yes "$([ -L link.trust ] && echo yes || echo no)"
check "the real trust set holds the key" 1 "$(keys_in real/t.trust)"
run "revoke through the link" 0 "revoked" -- "$tool" trust revoke link.trust --public-key k0.pub
case "$("$tool" trust show real/t.trust)" in *" revoked "*) check "revocation reached the real file" yes yes ;;
  *) check "revocation reached the real file" yes no ;; esac
ln -s real/absent.trust dangling.trust
run "dangling link refused" 3 "dangling symbolic link" -- "$tool" trust init dangling.trust
check "nothing created behind the dangling link" no "$([ -e real/absent.trust ] && echo yes || echo no)"

# --- owner, group and mode are kept; new files honour the umask ----------------
"$tool" trust init mode.trust >/dev/null
chmod 640 mode.trust
if [ "$(id -u)" = 0 ]; then chown 65534:65534 mode.trust; fi
before_owner=$(stat -c %u:%g mode.trust)
run "edit keeps the mode" 0 "" -- "$tool" trust add mode.trust --public-key k1.pub
check "mode 0640 kept" 640 "$(stat -c %a mode.trust)"
check "owner and group kept" "$before_owner" "$(stat -c %u:%g mode.trust)"
(umask 027 && "$tool" trust init umask.trust >/dev/null)
check "new trust set honours umask 027" 640 "$(stat -c %a umask.trust)"
head -c 1000 /dev/urandom >obj.bin
(umask 077 && "$tool" sign --secret-key k0.sec --kind data --generation 1 obj.bin >/dev/null)
check "new signature honours umask 077" 600 "$(stat -c %a obj.bin.sig)"
(umask 000 && "$tool" keygen --secret-key loose.sec --public-key loose.pub >/dev/null)
check "secret key 0600 under umask 000" 600 "$(stat -c %a loose.sec)"
check "public key 0666 under umask 000" 666 "$(stat -c %a loose.pub)"
chmod 600 k0.sec
cp k0.sec forced.sec; chmod 600 forced.sec
"$tool" keygen --secret-key forced.sec --public-key forced.pub --force >/dev/null
check "keygen --force: secret key still 0600" 600 "$(stat -c %a forced.sec)"

# --- an output that is an input is refused ------------------------------------
sum_obj=$(sha256sum <obj.bin); sum_key=$(sha256sum <k0.sec)
run "sign --output OBJECT refused" 2 "is the object itself" -- \
  "$tool" sign --secret-key k0.sec --kind data --generation 1 --output obj.bin obj.bin
run "sign --output SECRETKEY refused" 2 "is the secret key itself" -- \
  "$tool" sign --secret-key k0.sec --kind data --generation 1 --output k0.sec obj.bin
ln obj.bin obj.hard
run "sign --output a hard link of the object refused" 2 "is the object itself" -- \
  "$tool" sign --secret-key k0.sec --kind data --generation 1 --output obj.hard obj.bin
ln -s k0.sec key.link
run "sign --output a symbolic link to the key refused" 2 "is the secret key itself" -- \
  "$tool" sign --secret-key k0.sec --kind data --generation 1 --output key.link obj.bin
run "sign --output ./OBJECT refused" 2 "is the object itself" -- \
  "$tool" sign --secret-key k0.sec --kind data --generation 1 --output ./real/../obj.bin obj.bin
check "object untouched" "$sum_obj" "$(sha256sum <obj.bin)"
check "secret key untouched" "$sum_key" "$(sha256sum <k0.sec)"
sum_f=$(sha256sum <forced.sec)
run "keygen --force, two spellings of one file" 2 "are the same file" -- \
  "$tool" keygen --secret-key forced.sec --public-key ./real/../forced.sec --force
ln forced.sec forced.hard
run "keygen --force, hard links of one file" 2 "are the same file" -- \
  "$tool" keygen --secret-key forced.sec --public-key forced.hard --force
run "keygen, two spellings of a new file" 2 "are the same file" -- \
  "$tool" keygen --secret-key new1.sec --public-key ./new1.sec
check "secret key kept" "$sum_f" "$(sha256sum <forced.sec)"
run "keygen --recover onto the secret key refused" 2 "is the secret key itself" -- \
  "$tool" keygen --recover --secret-key forced.sec --public-key forced.hard --force

# --- secret keys others can read are refused ----------------------------------
cp k0.sec loose2.sec; chmod 640 loose2.sec
run "secret key mode 0640 refused" 1 "accessible by group or others" -- \
  "$tool" sign --secret-key loose2.sec --kind data --generation 1 --output x.sig obj.bin
check "no signature written with a loose key" no "$([ -e x.sig ] && echo yes || echo no)"
chmod 604 loose2.sec
run "secret key mode 0604 refused" 1 "accessible by group or others" -- \
  "$tool" keygen --recover --secret-key loose2.sec --public-key x.pub

# --- FIFOs are refused, never waited on ---------------------------------------
mkfifo fifo
run "sign a FIFO" 3 "not a regular file" -- timeout 20 "$tool" sign --secret-key k0.sec --kind data --generation 1 --output f.sig fifo
run "verify with a FIFO signature" 3 "not a regular file" -- timeout 20 "$tool" verify --public-key k0.pub --kind data --name obj.bin --signature fifo obj.bin
run "verify a FIFO object" 3 "not a regular file" -- timeout 20 "$tool" verify --public-key k0.pub --kind data --signature obj.bin.sig fifo
run "trust show a FIFO" 3 "not a regular file" -- timeout 20 "$tool" trust show fifo
run "trust add a FIFO key" 3 "not a regular file" -- timeout 20 "$tool" trust add par.trust --public-key fifo
run "trust edit a FIFO" 3 "not a regular file" -- timeout 20 "$tool" trust add fifo --public-key k0.pub
run "sign with a FIFO key" 3 "not a regular file" -- timeout 20 "$tool" sign --secret-key fifo --kind data --generation 1 obj.bin

# --- a kill at each step of a trust edit leaves the old or the new file --------
for step in write:1 write:1+ fsync:1 fsync:1+ linkat:1 linkat:1+ renameat:1 renameat:1+ fsync:2 fsync:2+; do
  rm -rf crash; mkdir crash
  "$tool" trust init crash/t.trust >/dev/null
  before=$(sha256sum <crash/t.trust)
  { (OSPOLICY_TEST_KILL=$step LD_PRELOAD="$shim" exec "$tool" trust add crash/t.trust --public-key k2.pub) >/dev/null 2>&1; } 2>/dev/null
  status=$?
  check "trust add killed at $step: killed" 137 "$status"
  n=$(keys_in crash/t.trust)
  case "$n" in 0 | 1) check "trust add killed at $step: old or new set (keys $n)" yes yes ;;
    *) check "trust add killed at $step: old or new set" yes "no ($n)" ;; esac
  if [ "$n" = 0 ]; then check "trust add killed at $step: old bytes" "$before" "$(sha256sum <crash/t.trust)"; fi
  # A temporary has a name only between linkat and renameat.
  expected_left=0
  case "$step" in linkat:1+ | renameat:1) expected_left=1 ;; esac
  check "trust add killed at $step: temporaries left" "$expected_left" "$(leftovers crash)"
  run "trust add after a kill at $step" 0 "" -- "$tool" trust add crash/t.trust --public-key k3.pub
done

# --- a kill at each step of keygen --force: old pair, new pair, or recoverable --
for step in write:1 fsync:1 write:2 fsync:2 linkat:1 linkat:1+ renameat:1 renameat:1+ linkat:2 renameat:2 renameat:2+ fsync:3; do
  rm -rf kg; mkdir kg
  "$tool" keygen --secret-key kg/s.sec --public-key kg/s.pub >/dev/null
  old=$(sha256sum <kg/s.sec)
  { (OSPOLICY_TEST_KILL=$step LD_PRELOAD="$shim" exec "$tool" keygen --secret-key kg/s.sec --public-key kg/s.pub --force) >/dev/null 2>&1; } 2>/dev/null
  check "keygen --force killed at $step: killed" 137 "$?"
  check "keygen --force killed at $step: secret key 0600" 600 "$(stat -c %a kg/s.sec)"
  head -c 100 /dev/urandom >kg/o
  "$tool" sign --secret-key kg/s.sec --kind data --generation 1 kg/o >/dev/null 2>&1
  if "$tool" verify --public-key kg/s.pub --kind data kg/o >/dev/null 2>&1; then
    check "keygen --force killed at $step: a matching pair" yes yes
  else
    # Only between the two renames: the new secret key beside the old public key.
    check "keygen --force killed at $step: new secret key" changed \
      "$([ "$(sha256sum <kg/s.sec)" = "$old" ] && echo same || echo changed)"
    run "keygen --recover after a kill at $step" 0 "public key" -- \
      "$tool" keygen --recover --force --secret-key kg/s.sec --public-key kg/s.pub
    run "recovered pair verifies ($step)" 0 "verified" -- "$tool" verify --public-key kg/s.pub --kind data kg/o
  fi
  secrets_left=$(find kg -name '.ospolicy-*' | wc -l)
  expected_left=0
  case "$step" in linkat:1+ | renameat:1 | renameat:2) expected_left=1 ;; esac
  check "keygen --force killed at $step: temporaries left" "$expected_left" "$secrets_left"
  for f in $(find kg -name '.ospolicy-*'); do
    check "keygen --force killed at $step: a left temporary is 0600 or public" yes \
      "$(case $(stat -c %a "$f") in 600 | 644) echo yes ;; *) echo no ;; esac)"
  done
done
rm -rf kg
for step in linkat:1 linkat:1+; do
  rm -rf kn; mkdir kn
  { (OSPOLICY_TEST_KILL=$step LD_PRELOAD="$shim" exec "$tool" keygen --secret-key kn/s.sec --public-key kn/s.pub) >/dev/null 2>&1; } 2>/dev/null
  check "new keygen killed at $step: nothing left but the linked secret key" \
    "$([ "$step" = linkat:1 ] && echo 0 || echo 1)" "$(find kn -type f | wc -l)"
  check "new keygen killed at $step: no temporary" 0 "$(leftovers kn)"
done

# --- without O_TMPFILE: a named 0600 temporary, removed on failure ----------------
rm -rf notmp; mkdir notmp
"$tool" trust init notmp/t.trust >/dev/null
run "trust add without O_TMPFILE" 0 "1 key" -- env OSPOLICY_TEST_NO_TMPFILE=1 LD_PRELOAD="$shim" "$tool" trust add notmp/t.trust --public-key k4.pub
check "without O_TMPFILE: no temporary left" 0 "$(leftovers notmp)"
run "keygen without O_TMPFILE" 0 "key id" -- env OSPOLICY_TEST_NO_TMPFILE=1 LD_PRELOAD="$shim" "$tool" keygen --secret-key notmp/s.sec --public-key notmp/s.pub
check "without O_TMPFILE: secret key 0600" 600 "$(stat -c %a notmp/s.sec)"
check "without O_TMPFILE: no temporary left by keygen" 0 "$(leftovers notmp)"
(umask 027 && OSPOLICY_TEST_NO_TMPFILE=1 LD_PRELOAD="$shim" "$tool" trust init notmp/u.trust >/dev/null)
check "without O_TMPFILE: a new file still honours umask 027" 640 "$(stat -c %a notmp/u.trust)"
{ (OSPOLICY_TEST_NO_TMPFILE=1 OSPOLICY_TEST_KILL=write:1+ LD_PRELOAD="$shim" exec "$tool" trust add notmp/t.trust --public-key k5.pub) >/dev/null 2>&1; } 2>/dev/null
check "without O_TMPFILE, killed after the write: the old set" 1 "$(keys_in notmp/t.trust)"
check "without O_TMPFILE, killed after the write: one named temporary (documented)" 1 "$(leftovers notmp)"
for f in $(find notmp -name '.ospolicy-*'); do
  check "without O_TMPFILE: the temporary is 0600" 600 "$(stat -c %a "$f")"
done

# --- a full disk: the old file stays, nothing is left behind -------------------
full_disk() {
  set -u
  mount -t tmpfs -o size=64k tmpfs "$1" || return 90
  cd "$1" || return 91
  "$tool" trust init t.trust >/dev/null || return 92
  "$tool" trust add t.trust --public-key "$2/k0.pub" >/dev/null || return 93
  before=$(sha256sum <t.trust)
  dd if=/dev/zero of=fill bs=4k 2>/dev/null
  out=$("$tool" trust add t.trust --public-key "$2/k1.pub" 2>&1)
  rc=$?
  [ "$rc" = 3 ] || { echo "full disk: exit $rc: $out"; return 94; }
  case "$out" in *"No space left on device"*"was not changed"*) ;; *) echo "$out"; return 95 ;; esac
  [ "$(sha256sum <t.trust)" = "$before" ] || return 96
  [ "$(find . -name '.ospolicy-*' | wc -l)" = 0 ] || return 97
  out=$("$tool" keygen --secret-key s.sec --public-key s.pub 2>&1)
  rc=$?
  [ "$rc" = 3 ] || { echo "keygen on a full disk: exit $rc: $out"; return 98; }
  [ ! -e s.sec ] && [ ! -e s.pub ] || return 99
  return 0
}
export -f full_disk
export tool
mkdir disk
if [ "$(id -u)" = 0 ]; then
  unshare -m bash -c "full_disk $work/disk $work"
else
  unshare -Urm bash -c "full_disk $work/disk $work"
fi
check "full disk: exit 3, old trust set intact, no temporaries, no key files" 0 "$?"

exit $fail
