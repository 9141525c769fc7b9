#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright (c) 2026 The ospolicy authors
#
# cli.run.<case>: run_test.sh OSPOLICY PROBE CASE [nobody]
# Each case runs the static probe app (tests/sandbox/sandbox_probe.c) under
# `ospolicy run` with a manifest written here, makes it attempt one forbidden
# (or granted) thing, and checks what the kernel did: the probe's output line,
# the exit status and the supervisor's line. Cases run `ospolicy run` as
# whoever starts the test (root in CI); with `nobody` (cli.run.nobody.<case>)
# the same case starts it as uid 65534 through setpriv, an unprivileged user
# (switching user needs root: such a case fails, saying so, without it).
set -u
tool=$1
probe=$2
case_name=$3
as_user=${4:-}
fail=0

scratch=$(mktemp -d /tmp/ospolicy-run-test.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
chmod 755 "$scratch"
app="$scratch/app"
data="$scratch/data"
mkdir -p "$app" "$data"
chmod 755 "$app" "$data"
cp "$probe" "$app/probe"
chmod 755 "$app/probe"
# Started as root, the app runs as uid 65534 outside: its data must be its own.
owner=$(id -u)
[ "$owner" -eq 0 ] && owner=65534
tool_cmd=("$tool")
if [ "$as_user" = nobody ]; then
  if [ "$(id -u)" -ne 0 ]; then echo "FAIL: switching to uid 65534 needs root"; exit 1; fi
  cp "$tool" "$scratch/ospolicy"
  chmod 755 "$scratch/ospolicy"
  tool_cmd=(setpriv --reuid=65534 --regid=65534 --clear-groups "$scratch/ospolicy")
  owner=65534
fi

check() { # name expected actual
  if [ "$2" != "$3" ]; then
    printf 'FAIL %s:\n  expected: %s\n  got:      %s\n' "$1" "$2" "$3"
    fail=1
  else
    echo "ok   $1"
  fi
}

check_match() { # name regex actual
  if [[ "$3" =~ $2 ]]; then
    echo "ok   $1"
  else
    printf 'FAIL %s:\n  expected match: %s\n  got:            %s\n' "$1" "$2" "$3"
    fail=1
  fi
}

SYSCALLS='"read", "write", "openat", "close", "fstat", "newfstatat", "mmap", "munmap", "capget", "getpid", "socket", "bind", "connect", "setsockopt", "kill", "ptrace", "clone", "wait4", "pipe2", "clock_gettime", "getuid", "geteuid", "getgid", "getegid", "getppid"'

manifest() { # extra-members [syscalls]
  local calls=${2:-$SYSCALLS}
  cat >"$scratch/m.json" <<EOF
{"manifestVersion": 1, "name": "probe", "entry": "/app/probe",
 "env": [{"name": "HELLO", "value": "world"}],
 "syscalls": [$calls]${1:+, $1}}
EOF
}

run() { # args after -- ; sets out, err, status
  out=$("${tool_cmd[@]}" run --manifest "$scratch/m.json" --app-root "$app" --data-root "$data" -- "$@" \
    2>"$scratch/err")
  status=$?
  err=$(cat "$scratch/err")
}

case "$case_name" in
sigsys)
  manifest "" '"write", "openat", "close"'
  run socket
  check "exit status 128+SIGSYS" 159 "$status"
  check "probe printed nothing" "" "$out"
  check "supervisor line" "ospolicy run: probe: killed by SIGSYS: syscall 41 (socket) not in the manifest" "$err"
  # A process the app forks is named too; the app itself goes on.
  manifest "" '"write", "newfstatat", "clone", "wait4"'
  run child-socket
  check "child killed by SIGSYS, parent goes on" "child-socket: child signal 31" "$out"
  check "supervisor names the child's syscall" "$(printf 'ospolicy run: probe: exited with status 0\nospolicy run: probe: a process the app started was killed by SIGSYS: syscall 41 (socket) not in the manifest')" "$err"
  # A thread's denied call kills the whole process and is named (not the
  # main thread's own, allowed, call).
  manifest "" '"write", "newfstatat", "clone", "clone3", "futex", "mmap", "munmap", "rt_sigprocmask", "rt_sigaction", "madvise"'
  run thread-socket
  check "thread: process killed" 159 "$status"
  check "thread: supervisor names the thread's syscall" "ospolicy run: probe: killed by SIGSYS: syscall 41 (socket) not in the manifest" "$err"
  manifest ""
  run socket
  check "listed socket works" "socket: ok" "$out"
  check "exit line" "ospolicy run: probe: exited with status 0" "$err"
  ;;
foreign-abi)
  manifest ""
  run getpid
  check "native getpid allowed" "getpid: 1" "$out"
  run x32
  check "x32 getpid killed" 159 "$status"
  check "x32 supervisor line" "ospolicy run: probe: killed by SIGSYS: syscall 1073741863 (x32 ABI) not in the manifest" "$err"
  run int80
  check "int 0x80 killed" 159 "$status"
  check "int 0x80 supervisor line" "ospolicy run: probe: killed by SIGSYS: syscall 20 (i386 ABI, int 0x80) not in the manifest" "$err"
  ;;
files)
  mkdir -p "$data/ro" "$data/rw" "$data/secret"
  echo original >"$data/ro/file"
  echo original >"$data/rw/file"
  echo hidden >"$data/secret/file"
  chown -R "$owner" "$data"
  before=$(sha256sum "$data/ro/file")
  manifest '"files": [{"path": "/data/ro", "access": "ro"}, {"path": "/data/rw", "access": "rw"}, {"path": "/tmp", "access": "rw"}]'
  run write /data/ro/file
  check_match "write to ro fails" '^write: (EROFS|EACCES)$' "$out"
  check "ro file unchanged" "$before" "$(sha256sum "$data/ro/file")"
  run create /data/ro/new
  check_match "create in ro fails" '^create: (EROFS|EACCES)$' "$out"
  check "nothing created in ro" "no" "$([ -e "$data/ro/new" ] && echo yes || echo no)"
  run write /data/rw/file
  check "write to rw works" "write: ok" "$out"
  check "rw file changed" "$(printf 'original\nCHANGED')" "$(cat "$data/rw/file")"
  run read /data/ro/file
  check "ro file readable" "read: original" "$out"
  for path in /data/secret /data/secret/file /etc/passwd /proc/self /dev/null /usr /home; do
    run exists "$path"
    check "$path does not exist" "exists: ENOENT" "$out"
  done
  run create /tmp/scratch
  check "private /tmp writable" "create: ok" "$out"
  run create /app/new
  check_match "/app not writable" '^create: (EROFS|EACCES)$' "$out"
  run create /new
  check_match "root not writable" '^create: (EROFS|EACCES)$' "$out"
  # The whole /data read-only with a rw grant below it.
  manifest '"files": [{"path": "/data", "access": "ro"}, {"path": "/data/rw", "access": "rw"}]'
  run create /data/rw/nested
  check "rw grant below a ro /data writable" "create: ok" "$out"
  run create /data/top
  check_match "ro /data not writable" '^create: (EROFS|EACCES)$' "$out"
  run read /data/secret/file
  check "ro /data shows its whole tree" "read: hidden" "$out"
  check "nested file created on the host" "new" "$(cat "$data/rw/nested")"
  # A single file can be granted: it alone appears, with its access.
  echo '{"k": 1}' >"$data/config.json"
  echo other >"$data/other.json"
  chown "$owner" "$data/config.json" "$data/other.json"
  manifest '"files": [{"path": "/data/config.json", "access": "ro"}]'
  run read /data/config.json
  check "granted file readable" 'read: {"k": 1}' "$out"
  run write /data/config.json
  check_match "granted ro file not writable" '^write: (EROFS|EACCES)$' "$out"
  run exists /data/other.json
  check "sibling of a granted file absent" "exists: ENOENT" "$out"
  check "granted file unchanged" '{"k": 1}' "$(cat "$data/config.json")"
    # Landlock is a second wall behind the mounts: /tmp is a writable tmpfs,
  # but with only /tmp/work granted nothing else in it can be created.
  manifest '"files": [{"path": "/tmp/work", "access": "rw"}]'
  run create /tmp/work/a
  check "granted /tmp/work writable" "create: ok" "$out"
  run create /tmp/b
  check "ungranted /tmp (writable tmpfs) refused by Landlock" "create: EACCES" "$out"
  # A rw grant below a ro one keeps its own access.
  manifest '"files": [{"path": "/tmp", "access": "ro"}, {"path": "/tmp/w", "access": "rw"}]'
  run create /tmp/w/a
  check "rw /tmp/w under ro /tmp writable" "create: ok" "$out"
  run create /tmp/b
  check_match "ro /tmp not writable" '^create: (EROFS|EACCES)$' "$out"
  check "host /tmp untouched" "no" "$([ -e /tmp/ospolicy-root ] && echo yes || echo no)"
  check "host /tmp/scratch untouched" "no" "$([ -e /tmp/scratch ] && echo yes || echo no)"
  ;;
data-root)
  mkdir -p "$data/real" "$scratch/outside"
  ln -s "$scratch/outside" "$data/link"
  manifest '"files": [{"path": "/data/link", "access": "rw"}]'
  run exists /data/link
  check "symlinked grant refused" 125 "$status"
  check_match "names the link" 'refused \(sandbox-bad-data-root\): /data/link: .*symbolic link' "$err"
  manifest '"files": [{"path": "/data/missing", "access": "ro"}]'
  run exists /data/missing
  check "missing grant refused" 125 "$status"
  out=$("${tool_cmd[@]}" run --manifest "$scratch/m.json" --app-root "$app" -- exit 0 2>&1)
  check "no --data-root refused" 125 "$?"
  check_match "says so" 'no --data-root was given' "$out"
  ;;
bind)
  # Two consecutive free ports below the ephemeral range, found by binding.
  port1=$(python3 -c '
import os, socket
for p in range(20000 + os.getpid() % 10000, 32000, 2):
    try:
        for q in (p, p + 1):
            s = socket.socket(); s.bind(("127.0.0.1", q)); s.close()
        print(p); break
    except OSError:
        pass')
  port2=$((port1 + 1))
  manifest "\"network\": {\"listen\": [{\"port\": $port1, \"protocol\": \"tcp\"}]}"
  run bind "$port1"
  check "bind to the listed port works" "bind: ok" "$out"
  run bind "$port2"
  check "bind to an unlisted port fails" "bind: EACCES" "$out"
  # Nothing listens on port2: without Landlock this would be ECONNREFUSED.
  run connect "$port2"
  check "TCP connect denied by Landlock" "connect: EACCES" "$out"
  manifest ""
  run bind "$port1"
  check "no listen grant: bind fails" "bind: EACCES" "$out"
  run connect "$port2"
  check "no grant: TCP connect denied" "connect: EACCES" "$out"
  ;;
protocols)
  # A listening app stays in the host's network namespace, where Landlock
  # holds TCP only: the seccomp rule on socket() refuses MPTCP and SCTP
  # (EACCES), and TCP Fast Open (sendto/sendmsg with MSG_FASTOPEN, no
  # connect(2)) must not reach a listener either. The listener here counts the
  # connections it accepts on 127.0.0.1.
  ports=$(python3 -c '
import os, socket
for p in range(20000 + os.getpid() % 10000, 32000, 2):
    try:
        for q in (p, p + 1):
            s = socket.socket(); s.bind(("127.0.0.1", q)); s.close()
        print(p, p + 1); break
    except OSError:
        pass')
  read -r port1 port2 <<<"$ports"
  python3 - "$port2" "$scratch/accepted" "$scratch/listening" <<'PY' &
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.setsockopt(socket.IPPROTO_TCP, 23, 16)  # TCP_FASTOPEN: accept data in the SYN
s.bind(("127.0.0.1", int(sys.argv[1])))
s.listen(16)
s.settimeout(0.5)
open(sys.argv[3], "w").close()
n = 0
while True:
    try:
        c, _ = s.accept()
        n += 1
        c.close()
    except socket.timeout:
        try:
            open(sys.argv[3]).close()
        except FileNotFoundError:
            break
open(sys.argv[2], "w").write(str(n))
PY
  listener=$!
  for _ in $(seq 50); do [ -e "$scratch/listening" ] && break; sleep 0.1; done
  manifest "\"network\": {\"listen\": [{\"port\": $port1, \"protocol\": \"tcp\"}]}" \
    "$SYSCALLS, \"sendto\", \"sendmsg\""
  run connect-mptcp "$port2"
  check "listening app: MPTCP socket refused" "connect: EACCES" "$out"
  run connect-sctp "$port2"
  check "listening app: SCTP socket refused" "connect: EACCES" "$out"
  run connect "$port2"
  check "listening app: TCP connect denied by Landlock" "connect: EACCES" "$out"
  run tfo-sendto "$port2"
  check "listening app: TFO sendto refused" "tfo-sendto: EACCES" "$out"
  run tfo-sendmsg "$port2"
  check "listening app: TFO sendmsg refused" "tfo-sendmsg: EACCES" "$out"
  run bind "$port1"
  check "listening app: bind to the listed port works" "bind: ok" "$out"
  run socket-inet 2 17
  check "listening app: a UDP socket is allowed" "socket-inet: ok" "$out"
  # SOCK_SEQPACKET with protocol 0 is SCTP: outside the rule, killed, and
  # the supervisor says it was the arguments.
  run socket-inet 5 0
  check "SOCK_SEQPACKET socket killed" "159" "$status"
  check "SOCK_SEQPACKET: supervisor names the arguments" \
    "ospolicy run: probe: killed by SIGSYS: syscall 41 (socket) with arguments the sandbox refuses (family 2, type 5, protocol 0)" "$err"
  manifest "" "$SYSCALLS, \"sendto\", \"sendmsg\""
  run connect-mptcp "$port2"
  check "non-listening app: MPTCP socket refused" "connect: EACCES" "$out"
  # io_uring's IORING_OP_SOCKET makes sockets without the socket syscall
  # (the unconfined probe below shows it reaching the listener over MPTCP):
  # run refuses a manifest that lists io_uring_setup.
  manifest "\"network\": {\"listen\": [{\"port\": $port1, \"protocol\": \"tcp\"}]}" \
    "$SYSCALLS, \"io_uring_setup\", \"io_uring_enter\""
  run uring-mptcp "$port2"
  check "io_uring manifest refused" "125" "$status"
  check "io_uring refusal names it" \
    "ospolicy run: probe: refused (io_uring): the manifest lists io_uring_setup, and io_uring operations (IORING_OP_SOCKET, IORING_OP_OPENAT, ...) bypass the seccomp filter, its socket rule included; nothing was run" "$err"
  check "io_uring manifest: nothing ran" "" "$out"
  explained=$("${tool_cmd[@]}" run --explain --manifest "$scratch/m.json" --app-root "$app" -- x)
  check_match "--explain shows the io_uring refusal" 'io_uring: io_uring_setup is listed: run refuses' "$explained"
  check_match "--explain shows the socket rule" 'socket: AF_UNIX, AF_NETLINK, TCP and UDP over AF_INET/AF_INET6; MPTCP and SCTP EACCES' "$explained"
  uring=$("$probe" uring-mptcp "$port2")
  check_match "unconfined io_uring MPTCP connect" '^uring-mptcp: (ok|EPROTONOSUPPORT|EINVAL|ENOSYS|EPERM)$' "$uring"
  # The listener is live: the same probe, unconfined, reaches it over MPTCP
  # (where the host has MPTCP) and over TCP.
  unconfined=$("$probe" connect-mptcp "$port2")
  check_match "unconfined MPTCP connect" '^connect: (ok|EPROTONOSUPPORT|ENOPROTOOPT|EINVAL)$' "$unconfined"
  check "unconfined TCP connect" "connect: ok" "$("$probe" connect "$port2")"
  want=1
  [ "$unconfined" = "connect: ok" ] && want=$((want + 1))
  [ "$uring" = "uring-mptcp: ok" ] && want=$((want + 1))
  rm -f "$scratch/listening"
  wait "$listener"
  check "the listener accepted only the unconfined connections" "$want" "$(cat "$scratch/accepted")"
  ;;
wx)
  manifest '' "$SYSCALLS, \"mprotect\""
  run wx
  check "W+X refused" "$(printf 'wx-rwx: EACCES\nwx-rx: EACCES\nwx-mmap-rwx: EACCES')" "$out"
  ;;
caps)
  manifest '"files": [{"path": "/tmp", "access": "rw"}]' "$SYSCALLS, \"chmod\""
  run caps
  check "no capability without a grant" "caps: effective=0 permitted=0" "$out"
  run dac
  check "DAC enforced without CAP_DAC_OVERRIDE" "dac: EACCES" "$out"
  manifest '"files": [{"path": "/tmp", "access": "rw"}], "capabilities": ["CAP_DAC_OVERRIDE"]'
  run caps
  check "only the listed capability" "caps: effective=2 permitted=2" "$out"
  run dac
  check "listed CAP_DAC_OVERRIDE works" "dac: ok" "$out"
  # Port 80 in the app's own network namespace (UDP: Landlock governs TCP
  # ports only, so the capability alone decides).
  run bind-udp 80
  check "port 80 refused without CAP_NET_BIND_SERVICE" "bind: EACCES" "$out"
  manifest '"capabilities": ["CAP_NET_BIND_SERVICE"]'
  run caps
  check "only CAP_NET_BIND_SERVICE" "caps: effective=400 permitted=400" "$out"
  run bind-udp 80
  check "listed CAP_NET_BIND_SERVICE binds port 80" "bind: ok" "$out"
  ;;
setuid)
  # Making a setuid-root file needs root: this case says so instead of passing.
  if [ "$(id -u)" -ne 0 ]; then echo "FAIL setuid: needs root to create a setuid-root binary"; exit 1; fi
  cp "$probe" "$app/suid"
  chown 0:0 "$app/suid"
  chmod 4755 "$app/suid"
  manifest '' "$SYSCALLS, \"execve\""
  run exec /app/suid ids
  check "setuid gains nothing" "$(printf 'ids: uid=65534 euid=65534 gid=65534 egid=65534\ncaps: effective=0 permitted=0')" "$out"
  ;;
env)
  manifest ""
  out=$(env FOO=bar LD_PRELOAD=/x "${tool_cmd[@]}" run --manifest "$scratch/m.json" --app-root "$app" -- env 2>/dev/null)
  check "environment is exactly the manifest's" "$(printf 'env: HELLO=world\nenv: end')" "$out"
  ;;
limits)
  manifest '"limits": {"openFiles": 8, "processes": 4, "memoryBytes": 67108864}'
  run nofile 20
  check "openFiles 8: EMFILE after 5 (0-2 are stdio)" "nofile: opened 5, then EMFILE" "$out"
  run fork 10
  check "processes 4: EAGAIN after 3 children" "fork: made 3, then EAGAIN" "$out"
  run alloc 134217728
  check "128 MiB past memoryBytes fails" "alloc: ENOMEM" "$out"
  run alloc 16777216
  check "16 MiB within memoryBytes works" "alloc: ok" "$out"
  ;;
supervisor)
  manifest ""
  # sh execs the supervisor, so $$ is the supervisor's own pid.
  out=$(sh -c 'p=$$; exec "$@" kill $p' sh "${tool_cmd[@]}" run --manifest "$scratch/m.json" --app-root "$app" -- 2>/dev/null)
  check "app cannot signal the supervisor" "kill: ESRCH" "$out"
  out=$(sh -c 'p=$$; exec "$@" ptrace $p' sh "${tool_cmd[@]}" run --manifest "$scratch/m.json" --app-root "$app" -- 2>/dev/null)
  check "app cannot ptrace the supervisor" "ptrace: ESRCH" "$out"
  run kill 1
  check "app is alone in its PID namespace" "kill: ok" "$out"
  manifest "" "$SYSCALLS, \"getsid\", \"ioctl\""
  out=$(script -qec "$(printf '%q ' "${tool_cmd[@]}" run --manifest "$scratch/m.json" --app-root "$app" -- session)" /dev/null 2>/dev/null | tr -d '\r' | grep '^session')
  check "app leads its own session, no terminal (under a pty)" "session: leader, controlling terminal none" "$out"
  ;;
supervisor-killed)
  # Killing the supervisor at any moment takes the app with it and leaves
  # nothing behind on the host.
  manifest "" "$SYSCALLS, \"nanosleep\", \"clock_nanosleep\""
  seconds=$((3000 + $$ % 1000))
  "${tool_cmd[@]}" run --manifest "$scratch/m.json" --app-root "$app" -- sleep "$seconds" >"$scratch/out" 2>/dev/null &
  supervisor=$!
  for _ in $(seq 1 200); do grep -q started "$scratch/out" 2>/dev/null && break; sleep 0.05; done
  check "app started" "sleep: started" "$(cat "$scratch/out")"
  check "app running" yes "$(pgrep -f "/app/probe sleep $seconds" >/dev/null && echo yes || echo no)"
  # The kernel's own view of the running app, read from the host.
  app_pid=$(pgrep -f "/app/probe sleep $seconds" | head -1)
  state=$(grep -E '^(Uid|CapInh|CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs|Seccomp|Seccomp_filters):' "/proc/$app_pid/status" | tr -s '\t' ' ')
  check "kernel state of the app (uid, no capabilities, no_new_privs, one filter)" "$(printf 'Uid: %s %s %s %s\nCapInh: 0000000000000000\nCapPrm: 0000000000000000\nCapEff: 0000000000000000\nCapBnd: 0000000000000000\nCapAmb: 0000000000000000\nNoNewPrivs: 1\nSeccomp: 2\nSeccomp_filters: 1' "$owner" "$owner" "$owner" "$owner")" "$state"
  kill -9 "$supervisor"
  wait "$supervisor" 2>/dev/null
  gone=no
  for _ in $(seq 1 200); do
    pgrep -f "/app/probe sleep $seconds" >/dev/null || { gone=yes; break; }
    sleep 0.05
  done
  check "app killed with its supervisor" yes "$gone"
  check "host /tmp untouched" "no" "$([ -e /tmp/ospolicy-root ] && echo yes || echo no)"
  ;;
missing)
  # A host lacking each mechanism (simulated by tests/sandbox/without_mechanism.c,
  # which answers its syscalls as such a kernel does): run refuses, naming it.
  manifest ""
  helper=${WITHOUT_MECHANISM:?the test sets WITHOUT_MECHANISM}
  for pair in "landlock|this host lacks Landlock" "seccomp|this host lacks seccomp filters" \
              "mdwe|this host lacks PR_SET_MDWE" "userns|this host refuses new user namespaces" \
              "ptrace|this host does not let the supervisor trace the app \(PTRACE_SEIZE: Operation not permitted"; do
    what=${pair%%|*}
    out=$("$helper" "$what" -- "${tool_cmd[@]}" run --manifest "$scratch/m.json" --app-root "$app" -- create /tmp/x 2>&1)
    check "without $what: refused" 125 "$?"
    check_match "without $what: named" "refused \(sandbox-mechanism-missing\): ${pair#*|}" "$out"
  done
  # The filter cannot be loaded after set-up: still nothing runs.
  out=$("$helper" seccomp-load -- "${tool_cmd[@]}" run --manifest "$scratch/m.json" --app-root "$app" -- create /tmp/x 2>&1)
  check "filter load failure: refused" 125 "$?"
  check_match "filter load failure: said" 'refused \(sandbox-setup-failed\): loading the seccomp filter: Operation not permitted; the app was not started' "$out"
  # execve fails after the filter is in force (no interpreter for a dynamic
  # entry): the child cannot write any more; the supervisor tells it apart
  # from the app's own exit at the exit stop.
  cp /bin/true "$app/dynamic"
  printf '{"manifestVersion": 1, "name": "dynamic", "entry": "/app/dynamic"}\n' >"$scratch/dyn.json"
  out=$("${tool_cmd[@]}" run --manifest "$scratch/dyn.json" --app-root "$app" 2>&1)
  check "execve failure after the filter: refused" 125 "$?"
  check_match "execve failure after the filter: said" 'refused \(sandbox-setup-failed\): the sandbox process ended before execve \(execve of the entry failed after set-up' "$out"
  ;;
no-userns)
  # A user namespace whose max_user_namespaces is 0 stands for a host without them.
  manifest ""
  out=$("${tool_cmd[@]:0:${#tool_cmd[@]}-1}" unshare -U -r sh -c 'echo 0 >/proc/sys/user/max_user_namespaces && exec "$1" run --manifest "$2" --app-root "$3" -- exit 0' sh "${tool_cmd[-1]}" "$scratch/m.json" "$app" 2>&1)
  status=$?
  check "refused" 125 "$status"
  check_match "names what is missing" 'refused \(sandbox-mechanism-missing\): this host lacks user namespaces' "$out"
  ;;
app-root)
  manifest ""
  out=$("${tool_cmd[@]}" run --manifest "$scratch/m.json" --app-root "$scratch/none" -- exit 0 2>&1)
  check "missing app root" 125 "$?"
  check_match "missing app root message" "refused \\(sandbox-bad-app-root\\): app root $scratch/none: No such file or directory" "$out"
  out=$("${tool_cmd[@]}" run --manifest "$scratch/m.json" --app-root "$app/probe" -- exit 0 2>&1)
  check "file app root" 125 "$?"
  check_match "not a directory message" 'is not a directory' "$out"
  chmod 757 "$app"
  out=$("${tool_cmd[@]}" run --manifest "$scratch/m.json" --app-root "$app" -- exit 0 2>&1)
  check "world-writable app root" 125 "$?"
  check_match "writable message" 'is writable by others \(mode 0757\)' "$out"
  chmod 775 "$app"
  out=$("${tool_cmd[@]}" run --manifest "$scratch/m.json" --app-root "$app" -- exit 0 2>&1)
  check "group-writable app root" 125 "$?"
  check_match "group message" 'is writable by its group' "$out"
  ;;
bad-manifest)
  # A valid manifest whose entry is not in the app root: refused before exec.
  cat >"$scratch/m.json" <<EOF
{"manifestVersion": 1, "name": "probe", "entry": "/app/missing"}
EOF
  out=$("${tool_cmd[@]}" run --manifest "$scratch/m.json" --app-root "$app" 2>&1)
  check "missing entry refused" 125 "$?"
  check_match "missing entry named" 'refused \(sandbox-setup-failed\): entry /app/missing: No such file or directory; the app was not started' "$out"
  echo '{"manifestVersion": 1, "name": "probe", "entry": "/etc/probe"}' >"$scratch/m.json"
  out=$("${tool_cmd[@]}" run --manifest "$scratch/m.json" --app-root "$app" -- create /tmp/x 2>&1)
  check "invalid manifest refused" 125 "$?"
  check_match "findings shown" 'error: manifest-unsafe-path: entry' "$out"
  ;;
learn)
  # The learned list, pasted into the manifest, is enough to run the app.
  manifest "" '"exit_group"'
  "${tool_cmd[@]}" run --learn --manifest "$scratch/m.json" --app-root "$app" -- fork 2 >"$scratch/out" 2>"$scratch/err"
  check "learning run exit" 0 "$?"
  check "learning run output" "fork: made 2, then none" "$(cat "$scratch/out")"
  learned=$(grep '^"syscalls": \[' "$scratch/err")
  check_match "learned clone and wait4" '"clone".*"wait4"' "$learned"
  check_match "learned list omits the runtime set" '^"syscalls": \[[^]]*\]$' "$learned"
  if [[ "$learned" == *'"execve"'* ]]; then check "runtime execve not repeated" no yes; fi
  cat >"$scratch/m.json" <<EOF
{"manifestVersion": 1, "name": "probe", "entry": "/app/probe", $learned}
EOF
  run fork 2
  check "learned profile runs the app" "fork: made 2, then none" "$out"
  check "learned profile exit" 0 "$status"
  ;;
example)
  # The confined app of README.md: PROBE is examples/sandbox/hello.c here.
  cp "$probe" "$app/hello"
  mkdir -p "$data/notes"
  chown -R "$owner" "$data"
  out=$("${tool_cmd[@]}" run --manifest "$(dirname "$0")/../../examples/sandbox/hello.json" --app-root "$app" --data-root "$data" 2>"$scratch/err")
  check "example exit" 0 "$?"
  check "example output" "hello: wrote /data/notes/log" "$out"
  check "example supervisor line" "ospolicy run: com.example.hello: exited with status 0" "$(cat "$scratch/err")"
  check "example wrote its notes" "hello from the sandbox" "$(cat "$data/notes/log")"
  ;;
mac-label)
  # This build applies no MAC label: with SELinux or AppArmor active it must
  # refuse; without, run and say the label is not enforced.
  manifest '"macLabel": "system_u:system_r:probe_t:s0"'
  run exit 0
  if [ -e /sys/fs/selinux/enforce ] || grep -qs Y /sys/module/apparmor/parameters/enabled ||
     grep -qsE 'selinux|apparmor' /sys/kernel/security/lsm; then
    check "MAC active: refused" 125 "$status"
    check_match "MAC active: says why" 'cannot be applied by this build while SELinux or AppArmor is active' "$err"
  else
    check "no MAC: runs" 0 "$status"
    check_match "no MAC: says the label is not enforced" 'macLabel system_u:system_r:probe_t:s0 not enforced on this host \(no SELinux or AppArmor active\)' "$err"
  fi
  ;;
exit-status)
  manifest ""
  run exit 7
  check "app's status returned" 7 "$status"
  check "supervisor line" "ospolicy run: probe: exited with status 7" "$err"
  ;;
explain)
  manifest '"files": [{"path": "/data/x", "access": "rw"}], "capabilities": ["CAP_NET_BIND_SERVICE"], "limits": {"openFiles": 64}' '"read", "write", "no_such_call"'
  out=$("${tool_cmd[@]}" run --manifest "$scratch/m.json" --explain)
  check "explain exit" 0 "$?"
  check_match "lists read" '     0 read +manifest' "$out"
  check_match "lists runtime execve" '    59 execve +runtime' "$out"
  check_match "reports unknown" "unknown syscall 'no_such_call': not on x86_64 Linux, stays denied" "$out"
  check_match "view" '/data/x +rw  --data-root' "$out"
  check_match "caps" 'capabilities: CAP_NET_BIND_SERVICE' "$out"
  check_match "limits" 'RLIMIT_NOFILE=64' "$out"
  json=$("${tool_cmd[@]}" run --manifest "$scratch/m.json" --explain --format json)
  check "json explain exit" 0 "$?"
  names=$(printf '%s' "$json" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(",".join(s["name"] for s in d["syscalls"]), d["unknownSyscalls"], d["capabilities"], d["limits"]["RLIMIT_NOFILE"])')
  check "json content" "read,write,mprotect,brk,rt_sigreturn,execve,exit,readlink,arch_prctl,set_tid_address,exit_group,set_robust_list,prlimit64,getrandom,rseq ['no_such_call'] ['CAP_NET_BIND_SERVICE'] 64" "$names"
  ;;
*)
  echo "unknown case $case_name"
  exit 2
  ;;
esac
exit $fail
