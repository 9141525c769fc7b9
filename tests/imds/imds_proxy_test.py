#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# Copyright (c) 2026 The ospolicy authors
"""Functional tests of `ospolicy imds-proxy` against the fake IMDS.

Each case starts its own fake (tests/imds/fake_imds.c, 127.0.0.1 only) and
proxy (two apps: reader-app and plain-app, tests/imds/manifests/), drives the
proxy over its Unix sockets and checks answers, the fake's counters and the
JSON audit lines. Nothing is ever sent to any address but 127.0.0.1.

  imds_proxy_test.py --ospolicy BIN --fake BIN --examples DIR CASE
"""
import argparse
import ipaddress
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse

TTL_HEADER = "X-aws-ec2-metadata-token-ttl-seconds"
TOKEN_HEADER = "X-aws-ec2-metadata-token"


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


def exchange(s, data, half_close=False):
    """Sends data on a connected socket and reads until the peer closes."""
    s.sendall(data)
    if half_close:
        s.shutdown(socket.SHUT_WR)
    out = b""
    while True:
        try:
            chunk = s.recv(65536)
        except (ConnectionResetError, socket.timeout):
            break
        if not chunk:
            break
        out += chunk
    s.close()
    return out


def unix_socket(sock_path, timeout=5.0):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(timeout)
    s.connect(sock_path)
    return s


def raw_request(sock_path, data, timeout=5.0):
    """Sends bytes on a fresh connection; returns (status, headers, body)."""
    out = exchange(unix_socket(sock_path, timeout), data)
    head, _, body = out.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    if not lines or not lines[0].startswith("HTTP/1.1 "):
        return 0, {}, out
    status = int(lines[0].split(" ")[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return status, headers, body


def request(sock_path, method, path, headers=None):
    text = f"{method} {path} HTTP/1.1\r\nHost: 169.254.169.254\r\n"
    for name, value in (headers or {}).items():
        text += f"{name}: {value}\r\n"
    text += "\r\n"
    return raw_request(sock_path, text.encode("latin-1"))


class World:
    """A fake IMDS and a proxy serving two apps, in a scratch directory."""

    def __init__(self, args, proxy_args=(), probe=False):
        self.args = args
        self.dir = tempfile.mkdtemp(prefix="imds-test-")
        self.audit = os.path.join(self.dir, "audit.jsonl")
        self.sockets = {
            "reader-app": os.path.join(self.dir, "reader", "imds.sock"),
            "plain-app": os.path.join(self.dir, "plain", "imds.sock"),
        }
        if probe:
            # A third app, the static probe confined by `ospolicy run`
            # (manifests/probe.json), served like the others.
            self.sockets["probe-app"] = os.path.join(self.dir, "probe", "imds.sock")
        for path in self.sockets.values():
            os.makedirs(os.path.dirname(path))
        if probe:
            self.setup_probe()
        self.proxy_args = list(proxy_args)
        self.fake = None
        self.proxy = None
        self.port = 0
        self.start_fake()
        self.upstream = f"http://127.0.0.1:{self.port}"
        self.start_proxy()

    def start_fake(self, port=0):
        self.fake = subprocess.Popen([self.args.fake, str(port)], stdout=subprocess.PIPE,
                                     stderr=sys.stderr, text=True)
        line = self.fake.stdout.readline()
        check(line.startswith("port "), f"fake IMDS did not start: {line!r}")
        self.port = int(line.split()[1])

    def stop_fake(self):
        if self.fake is not None:
            self.fake.send_signal(signal.SIGTERM)
            self.fake.wait(timeout=10)
            self.fake = None

    def start_proxy(self):
        command = [self.args.ospolicy, "imds-proxy", "--upstream", self.upstream,
                   "--audit", self.audit,
                   "--app", os.path.join(self.args.examples, "reader.json") + "=" +
                   self.sockets["reader-app"],
                   "--app", os.path.join(self.args.examples, "plain.json") + "=" +
                   self.sockets["plain-app"]] + self.proxy_args
        if "probe-app" in self.sockets:
            command += ["--app", os.path.join(self.args.examples, "probe.json") + "=" +
                        self.sockets["probe-app"]]
        self.proxy_log = open(os.path.join(self.dir, "proxy.log"), "w+")
        self.proxy = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=self.proxy_log)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            self.proxy_log.seek(0)
            if "imds-proxy: ready" in self.proxy_log.read():
                return
            check(self.proxy.poll() is None, f"proxy exited: {self.log()}")
            time.sleep(0.05)
        raise Failure(f"proxy not ready within 20 s: {self.log()}")

    def setup_probe(self):
        """The app root holding the probe, and the probe's socket directory in
        the shape `ospolicy run --imds-socket` asks for: the socket alone in a
        directory not writable by group or others. Started by root, the app
        runs as uid/gid 65534 with no other group: the directory is setgid
        65534, so the socket the proxy creates there (mode 0660) is the
        app's to connect to."""
        os.chmod(self.dir, 0o755)
        self.app_root = os.path.join(self.dir, "app")
        os.makedirs(self.app_root)
        shutil.copy(self.args.probe, os.path.join(self.app_root, "probe"))
        os.chmod(os.path.join(self.app_root, "probe"), 0o755)
        probe_dir = os.path.dirname(self.sockets["probe-app"])
        if os.geteuid() == 0:
            os.chown(probe_dir, 0, 65534)
            os.chmod(probe_dir, 0o2750)
        else:
            os.chmod(probe_dir, 0o750)

    def run_probe(self, manifest, *action, imds_socket=None):
        """`ospolicy run` of the probe: (exit status, stdout, stderr)."""
        command = [self.args.ospolicy, "run", "--manifest",
                   os.path.join(self.args.examples, manifest), "--app-root", self.app_root]
        if imds_socket is not None:
            command += ["--imds-socket", imds_socket]
        result = subprocess.run(command + ["--"] + list(action), capture_output=True,
                                text=True, timeout=30)
        return result.returncode, result.stdout.strip(), result.stderr.strip()

    def log(self):
        self.proxy_log.seek(0)
        return self.proxy_log.read()

    def stop_proxy(self):
        if self.proxy is not None:
            self.proxy.send_signal(signal.SIGTERM)
            status = self.proxy.wait(timeout=20)
            self.proxy = None
            # A clean stop (under the sanitizers: no leak, no error report).
            check(status == 0, f"proxy exited {status} after SIGTERM: {self.log()[-2000:]}")
            check(not any(os.path.exists(p) for p in self.sockets.values()),
                  "the proxy left its sockets behind")

    def close(self):
        try:
            self.stop_proxy()
        except Failure as failure:
            print(f"while cleaning up: {failure}")
        finally:
            self.stop_fake()
            shutil.rmtree(self.dir, ignore_errors=True)

    def sock(self, app):
        return self.sockets[app]

    def token(self, app, ttl=60):
        status, headers, body = request(self.sock(app), "PUT", "/latest/api/token",
                                        {TTL_HEADER: str(ttl)})
        check(status == 200, f"{app}: token PUT answered {status}: {body!r}")
        check(headers.get(TTL_HEADER.lower()) == str(ttl), f"TTL header {headers}")
        return body.decode()

    def get(self, app, path, token):
        return request(self.sock(app), "GET", path, {TOKEN_HEADER: token})

    def stats(self):
        status, _, body = raw_request_tcp(
            self.port, b"GET /_fake/stats HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        check(status == 200, "fake stats")
        return json.loads(body)

    def audit_lines(self):
        with open(self.audit) as f:
            return [json.loads(line) for line in f]

    def wait_audit_lines(self, count, seconds=10):
        """The audit lines once there are at least `count` (or after the wait)."""
        deadline = time.monotonic() + seconds
        lines = self.audit_lines()
        while len(lines) < count and time.monotonic() < deadline:
            time.sleep(0.05)
            lines = self.audit_lines()
        return lines

    def expect_audit(self, **fields):
        """The last audit line with these fields exists (every line is JSON)."""
        lines = self.audit_lines()
        for line in reversed(lines):
            if all(line.get(k) == v for k, v in fields.items()):
                for key in ("time", "app", "method", "path", "decision", "status", "http",
                            "reason", "upstream", "upstream_us", "latency_us"):
                    check(key in line, f"audit line without {key}: {line}")
                return line
        raise Failure(f"no audit line with {fields}; last lines: {lines[-5:]}")


def raw_request_tcp(port, data):
    """Only ever to 127.0.0.1: the fake's own control endpoint."""
    out = exchange(socket.create_connection(("127.0.0.1", port), timeout=5), data, True)
    head, _, body = out.partition(b"\r\n\r\n")
    return int(head.split(b" ")[1]), head, body


# ------------------------------------------------------------------ cases

def case_upstream_is_local(w):
    url = urllib.parse.urlsplit(w.upstream)
    check(url.scheme == "http", w.upstream)
    check(ipaddress.ip_address(url.hostname).is_loopback,
          f"the suite's upstream {w.upstream} is not a loopback address")
    check(f"(upstream {w.upstream})" in w.log(), f"proxy does not use {w.upstream}: {w.log()}")
    check("169.254.169.254" not in w.log().replace("Host: 169.254.169.254", ""),
          "the proxy mentions the production metadata address")


def case_granted_path(w):
    token = w.token("reader-app")
    status, _, body = w.get("reader-app", "/latest/meta-data/instance-id", token)
    check(status == 200 and body == b"i-0fake0123456789ab", f"{status} {body!r}")
    line = w.expect_audit(app="reader-app", path="/latest/meta-data/instance-id", decision="allow")
    check(line["upstream"] == 200 and line["http"] == 200, line)
    status, _, body = w.get("reader-app", "/latest/meta-data/placement/availability-zone", token)
    check(status == 200 and body == b"eu-west-1a", f"prefix grant: {status} {body!r}")
    # The app's token is never the instance's: the fake never issued it.
    check(len(token) == 48, token)
    status, _, _ = raw_request_tcp(
        w.port, f"GET /latest/meta-data/instance-id HTTP/1.1\r\nHost: x\r\nConnection: close"
        f"\r\n{TOKEN_HEADER}: {token}\r\n\r\n".encode())
    check(status == 401, "the app token works on the instance service")


def case_ungranted_path_403(w):
    token = w.token("reader-app")
    gets_before = w.stats()["gets"]
    for path in ("/latest/meta-data/hostname", "/latest/user-data", "/latest/meta-data/"):
        status, _, body = w.get("reader-app", path, token)
        check(status == 403, f"{path}: {status} {body!r}")
        check(body.startswith(b"denied-imds-path: "), body)
        line = w.expect_audit(app="reader-app", path=path, decision="deny")
        check(line["status"] == "denied-imds-path" and line["http"] == 403, line)
    check(w.stats()["gets"] == gets_before, "a denied request reached the metadata service")
    # user-data is granted to plain-app by name.
    status, _, body = w.get("plain-app", "/latest/user-data", w.token("plain-app"))
    check(status == 200 and b"fake-user-data-secret" in body, f"{status} {body!r}")


def case_credentials(w):
    token = w.token("reader-app")
    status, _, body = w.get("reader-app", "/latest/meta-data/iam/security-credentials/", token)
    check(status == 200 and body == b"reader", f"listing: {status} {body!r}")
    status, _, body = w.get("reader-app", "/latest/meta-data/iam/security-credentials/reader",
                            token)
    check(status == 200 and b"ASIAFAKEREADER" in body, f"{status} {body!r}")
    status, _, body = w.get("reader-app", "/latest/meta-data/iam/security-credentials/admin",
                            token)
    check(status == 403 and body.startswith(b"denied-imds-credentials"), f"{status} {body!r}")
    w.expect_audit(app="reader-app", status="denied-imds-credentials",
                   path="/latest/meta-data/iam/security-credentials/admin")
    plain = w.token("plain-app")
    for path in ("/latest/meta-data/iam/security-credentials/",
                 "/latest/meta-data/iam/security-credentials/reader"):
        status, _, body = w.get("plain-app", path, plain)
        check(status == 403 and body.startswith(b"denied-imds-credentials"),
              f"plain-app {path}: {status} {body!r}")
        w.expect_audit(app="plain-app", path=path, status="denied-imds-credentials")


def case_token_per_app(w):
    reader = w.token("reader-app")
    status, _, body = w.get("plain-app", "/latest/meta-data/instance-id", reader)
    check(status == 401 and body.startswith(b"denied-imds-token-invalid"),
          f"app A's token on app B: {status} {body!r}")
    w.expect_audit(app="plain-app", status="denied-imds-token-invalid")
    status, _, _ = w.get("plain-app", "/latest/meta-data/instance-id", w.token("plain-app"))
    check(status == 200, f"plain-app's own token: {status}")
    status, _, body = request(w.sock("reader-app"), "GET", "/latest/meta-data/instance-id")
    check(status == 401 and body.startswith(b"denied-imds-token-required"), f"{status} {body!r}")
    status, _, body = w.get("reader-app", "/latest/meta-data/instance-id", "0" * 48)
    check(status == 401, f"forged token: {status}")
    before = w.stats()["forwarded_refused"]
    status, _, body = request(w.sock("reader-app"), "PUT", "/latest/api/token",
                              {TTL_HEADER: "60", "X-Forwarded-For": "10.0.0.9"})
    check(status == 403 and body.startswith(b"denied-imds-forwarded"), f"{status} {body!r}")
    check(w.stats()["forwarded_refused"] == before, "X-Forwarded-For reached upstream")


def case_token_expiry(w):
    token = w.token("plain-app", ttl=1)
    status, _, _ = w.get("plain-app", "/latest/meta-data/instance-id", token)
    check(status == 200, f"fresh 1 s token: {status}")
    time.sleep(2.2)
    status, _, body = w.get("plain-app", "/latest/meta-data/instance-id", token)
    check(status == 401 and body.startswith(b"denied-imds-token-invalid"),
          f"expired token: {status} {body!r}")
    for ttl in ("61", "0", "21601", "abc"):
        status, _, body = request(w.sock("plain-app"), "PUT", "/latest/api/token",
                                  {TTL_HEADER: ttl})
        check(status == 400 and body.startswith(b"denied-imds-ttl"), f"TTL {ttl}: {status}")
    status, _, _ = request(w.sock("plain-app"), "PUT", "/latest/api/token")
    check(status == 400, "token PUT without TTL")


def case_upstream_refresh(w):
    # This world asks upstream for 2 s instance tokens (see main()).
    token = w.token("reader-app", ttl=300)
    status, _, _ = w.get("reader-app", "/latest/meta-data/instance-id", token)
    check(status == 200, f"first GET {status}")
    first = w.stats()["token_puts"]
    check(first == 1, f"{first} instance tokens fetched, expected 1")
    for _ in range(5):
        check(w.get("reader-app", "/latest/meta-data/instance-id", token)[0] == 200, "cached")
    check(w.stats()["token_puts"] == 1, "the instance token was not cached")
    time.sleep(2.2)
    status, _, _ = w.get("reader-app", "/latest/meta-data/instance-id", token)
    check(status == 200, f"GET after expiry {status}")
    check(w.stats()["token_puts"] == 2, f"no refresh: {w.stats()}")
    # The instance forgets its tokens early: one 401, then a fresh token.
    raw_request_tcp(w.port,
                    b"PUT /_fake/forget-tokens HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    status, _, _ = w.get("reader-app", "/latest/meta-data/instance-id", token)
    check(status == 200, f"GET after the instance forgot its token: {status}")
    check(w.stats()["token_puts"] == 3, f"{w.stats()}")


def case_upstream_down_502(w):
    token = w.token("reader-app")
    check(w.get("reader-app", "/latest/meta-data/instance-id", token)[0] == 200, "before")
    port = w.port
    w.stop_fake()
    status, _, body = w.get("reader-app", "/latest/meta-data/instance-id", token)
    check(status == 502 and b"upstream metadata service unreachable" in body,
          f"upstream down: {status} {body!r}")
    line = w.expect_audit(app="reader-app", http=502)
    check("unreachable" in line["reason"], line)
    # Denials do not depend on upstream: still 403, not 502.
    check(w.get("reader-app", "/latest/meta-data/hostname", token)[0] == 403, "403 while down")
    deadline = time.monotonic() + 20
    while True:
        try:
            w.start_fake(port)
            break
        except Failure:
            check(time.monotonic() < deadline, "fake could not get its port back")
            time.sleep(0.2)
    status, _, body = w.get("reader-app", "/latest/meta-data/instance-id", token)
    check(status == 200 and body == b"i-0fake0123456789ab", f"recovery: {status} {body!r}")


def case_oversized(w):
    token = w.token("reader-app").encode()
    big = (b"GET /latest/meta-data/instance-id HTTP/1.1\r\nHost: x\r\n" + TOKEN_HEADER.encode() +
           b": " + token + b"\r\nX-Padding: " + b"a" * 20000 + b"\r\n\r\n")
    status, _, body = raw_request(w.sock("reader-app"), big)
    check(status == 431 and body.startswith(b"imds-too-large"), f"big head: {status} {body!r}")
    w.expect_audit(app="reader-app", status="imds-too-large", http=431)
    url = b"/latest/meta-data/placement/" + b"a" * 300
    status, _, body = raw_request(w.sock("reader-app"),
                                  b"GET " + url + b" HTTP/1.1\r\nHost: x\r\n\r\n")
    check(status == 414 and body.startswith(b"imds-too-large"), f"long URL: {status} {body!r}")
    many = b"GET /latest/meta-data/instance-id HTTP/1.1\r\nHost: x\r\n" + b"".join(
        b"X-H%d: v\r\n" % i for i in range(70)) + b"\r\n"
    status, _, body = raw_request(w.sock("reader-app"), many)
    check(status == 431, f"70 headers: {status} {body!r}")
    # The service keeps serving.
    check(w.get("reader-app", "/latest/meta-data/instance-id", token.decode())[0] == 200, "after")


def case_smuggling(w):
    token = w.token("reader-app").encode()
    base = b"GET /latest/meta-data/instance-id HTTP/1.1\r\nHost: x\r\n" + TOKEN_HEADER.encode() + \
        b": " + token + b"\r\n"
    gets_before = w.stats()["gets"]
    cases = {
        "CL+TE": base + b"Content-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nX",
        "TE": base + b"Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        "CL twice": base + b"Content-Length: 0\r\nContent-Length: 0\r\n\r\n",
        "obs-fold": base + b"X-Note: a\r\n b\r\n\r\n",
        "folded TE": base + b"X-Note: a\r\n\tTransfer-Encoding: chunked\r\n\r\n",
    }
    for name, data in cases.items():
        status, _, body = raw_request(w.sock("reader-app"), data)
        check(status == 400 and body.startswith(b"imds-smuggling"), f"{name}: {status} {body!r}")
    lines = [l for l in w.audit_lines() if l["status"] == "imds-smuggling"]
    check(len(lines) == len(cases), f"{len(lines)} smuggling audit lines for {len(cases)}")
    # A pipelined second request after a good one is never answered.
    pipelined = base + b"\r\n" + b"GET /latest/meta-data/hostname HTTP/1.1\r\nHost: x\r\n" + \
        TOKEN_HEADER.encode() + b": " + token + b"\r\n\r\n"
    status, _, body = raw_request(w.sock("reader-app"), pipelined)
    check(status == 200 and b"compute.internal" not in body, f"pipelined: {status} {body!r}")
    check(w.stats()["gets"] == gets_before + 1, f"only one request reached upstream {w.stats()}")


def case_malformed(w):
    cases = {
        "garbage": b"GARBAGE\r\n\r\n",
        "bare LF": b"GET /latest/meta-data/instance-id HTTP/1.1\nHost: x\n\n",
        "HTTP/1.0": b"GET /latest/meta-data/instance-id HTTP/1.0\r\nHost: x\r\n\r\n",
        "space before colon": b"GET /latest/meta-data/instance-id HTTP/1.1\r\nHost : x\r\n\r\n",
        "control byte": b"GET /latest/meta-data/instance-id HTTP/1.1\r\nHost: \x01\r\n\r\n",
        "incomplete": b"GET /latest/meta-data/instance-id HTTP/1.1\r\nHost: x\r\n",
    }
    for name, data in cases.items():
        before = len(w.audit_lines())
        # Half-closed: for "incomplete", the head never finishes.
        out = exchange(unix_socket(w.sock("reader-app"), 10), data, True)
        check(out.startswith(b"HTTP/1.1 400 ") and b"imds-malformed" in out,
              f"{name}: {out[:200]!r}")
        lines = w.audit_lines()
        check(len(lines) == before + 1 and lines[-1]["status"] == "imds-malformed" and
              lines[-1]["http"] == 400 and lines[-1]["app"] == "reader-app",
              f"{name}: audit {lines[before:]}")
    # Percent-encoding and dot segments are refused, never decoded.
    token = w.token("reader-app")
    for path in ("/latest/meta-data/placement/%2e%2e/hostname",
                 "/latest/meta-data/placement/../hostname", "/latest/meta-data//instance-id"):
        status, _, body = w.get("reader-app", path, token)
        check(status == 400 and body.startswith(b"imds-unsafe-path"), f"{path}: {status}")


def case_slow_head(w):
    """A head that arrives late is checked like any other before
    libmicrohttpd reads it (the strict parser, not libmicrohttpd's lenient
    one, decides: HTTP/1.0 and obs-fold are refused), and a client that
    dawdles holds no server thread: more of them than threads (2) wait
    while a request on a fresh connection is answered."""
    token_put = (b"PUT /latest/api/token HTTP/1.1\r\nHost: x\r\n"
                 b"X-aws-ec2-metadata-token-ttl-seconds: 60\r\n\r\n")
    cases = {
        "good PUT": (token_put, b"HTTP/1.1 200 ", None),
        "HTTP/1.0": (token_put.replace(b"HTTP/1.1", b"HTTP/1.0"), b"HTTP/1.1 400 ",
                     b"imds-malformed"),
        "obs-fold": (b"PUT /latest/api/token HTTP/1.1\r\nHost: x\r\nX-Note: a\r\n b\r\n"
                     b"X-aws-ec2-metadata-token-ttl-seconds: 60\r\n\r\n", b"HTTP/1.1 400 ",
                     b"imds-smuggling"),
    }
    slow = []
    for name, (data, _, _) in cases.items():
        s = unix_socket(w.sock("reader-app"), 10)
        s.sendall(data[:20])  # an unfinished head
        slow.append(s)
    # Three unfinished heads, two server threads: a fresh request is served.
    check(w.token("reader-app"), "a request while heads are unfinished")
    time.sleep(2.5)
    for s, (name, (data, status, body)) in zip(slow, cases.items()):
        out = exchange(s, data[20:])
        check(out.startswith(status) and (body is None or body in out),
              f"{name} finished late: {out[:200]!r}")


def read_answer(s):
    """One answer from a kept connection: (status, headers, body), by its
    Content-Length; (0, {}, b"") at the end of the stream."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = s.recv(65536)
        if not chunk:
            check(data == b"", f"the stream ended inside an answer: {data!r}")
            return 0, {}, b""
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0"))
    while len(body) < length:
        chunk = s.recv(65536)
        check(chunk, "the stream ended inside a body")
        body += chunk
    check(len(body) == length, f"more than one answer arrived: {body!r}")
    return int(lines[0].split(" ")[1]), headers, body


def keep_alive_get(path, token, extra=b""):
    return (b"GET " + path + b" HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n" + extra +
            TOKEN_HEADER.encode() + b": " + token + b"\r\n\r\n")


def case_keep_alive(w):
    """An app that asks (Connection: keep-alive) keeps its connection, one
    request in flight at a time: a second request on it is served; one sent
    before the answer to the first (pipelined) is never read or executed
    and the connection closes after that answer; every head on a kept
    connection goes through the strict parser; without the header the
    answer closes the connection as before."""
    s = unix_socket(w.sock("reader-app"))
    s.sendall(b"PUT /latest/api/token HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n" +
              TTL_HEADER.encode() + b": 60\r\n\r\n")
    status, headers, token = read_answer(s)
    check(status == 200 and len(token) == 48, f"token on a kept connection: {status} {token!r}")
    check(headers.get("connection", "").lower() != "close", f"kept: {headers}")
    gets = w.stats()["gets"]
    for i in range(3):
        s.sendall(keep_alive_get(b"/latest/meta-data/instance-id", token))
        status, headers, body = read_answer(s)
        check(status == 200 and body == b"i-0fake0123456789ab", f"request {i + 2}: {status} {body!r}")
    check(w.stats()["gets"] == gets + 3, f"three upstream fetches {w.stats()}")
    # Upstream, the proxy reuses its connections (one per server thread, 2):
    # 20 fetches open at most those, plus the connection of each stats call.
    connections = w.stats()["connections"]
    for _ in range(20):
        s.sendall(keep_alive_get(b"/latest/meta-data/instance-id", token))
        check(read_answer(s)[0] == 200, "a fetch")
    opened = w.stats()["connections"] - connections
    check(opened <= 3, f"{opened} upstream connections for 20 fetches")
    # A denial keeps the connection too: it is an answer like any other.
    s.sendall(keep_alive_get(b"/latest/meta-data/hostname", token))
    status, headers, body = read_answer(s)
    check(status == 403 and body.startswith(b"denied-imds-path"), f"denied: {status} {body!r}")
    # Pipelined on the kept connection: the first is answered with
    # Connection: close, the second never reaches the handler or upstream.
    before = len(w.audit_lines())
    gets = w.stats()["gets"]
    s.sendall(keep_alive_get(b"/latest/meta-data/instance-id", token) +
              keep_alive_get(b"/latest/meta-data/placement/region", token))
    status, headers, body = read_answer(s)
    check(status == 200 and headers.get("connection", "").lower() == "close",
          f"pipelined first: {status} {headers}")
    check(read_answer(s)[0] == 0, "the pipelined second request was answered")
    s.close()
    check(w.stats()["gets"] == gets + 1, f"only the first reached upstream {w.stats()}")
    # The line for the unread bytes is written when the proxy closes its end,
    # which may come just after the app saw the end of the stream.
    lines = w.wait_audit_lines(before + 2)[before:]
    check(len(lines) == 2 and lines[0]["path"] == "/latest/meta-data/instance-id" and
          lines[1]["path"] == "" and lines[1]["decision"] == "deny" and
          "never read" in lines[1]["reason"], f"audit lines for the pipelined pair: {lines}")
    # Every head on a kept connection is checked by the strict parser.
    bad_second = {
        "obs-fold": (keep_alive_get(b"/latest/meta-data/instance-id", token,
                                    b"X-Note: a\r\n b\r\n"), 400, b"imds-smuggling"),
        "bare LF": (b"GET /latest/meta-data/instance-id HTTP/1.1\nHost: x\n\n", 400,
                    b"imds-malformed"),
        "HTTP/1.0": (keep_alive_get(b"/latest/meta-data/instance-id", token).replace(
            b"HTTP/1.1", b"HTTP/1.0"), 400, b"imds-malformed"),
        "X-Forwarded-For": (keep_alive_get(b"/latest/meta-data/instance-id", token,
                                           b"X-Forwarded-For: 10.0.0.1\r\n"), 403,
                            b"denied-imds-forwarded"),
        "CL+TE": (keep_alive_get(b"/latest/meta-data/instance-id", token,
                                 b"Content-Length: 6\r\nTransfer-Encoding: chunked\r\n")
                  + b"0\r\n\r\nX", 400, b"imds-smuggling"),
    }
    for name, (data, expected, prefix) in bad_second.items():
        s = unix_socket(w.sock("reader-app"))
        s.sendall(keep_alive_get(b"/latest/meta-data/instance-id", token))
        check(read_answer(s)[0] == 200, f"{name}: first request")
        s.sendall(data)
        status, headers, body = read_answer(s)
        check(status == expected and body.startswith(prefix), f"{name}: {status} {body!r}")
        if expected == 400:
            check(read_answer(s)[0] == 0, f"{name}: the connection stayed open")
        s.close()
    # Without Connection: keep-alive, one request per connection as before.
    status, headers, _ = w.get("reader-app", "/latest/meta-data/instance-id", token.decode())
    check(status == 200 and headers.get("connection", "").lower() == "close", f"{headers}")


def case_idle_timeout(w):
    """A kept connection left idle is closed by the proxy after
    --idle-timeout (2 s here), as is one whose head never finishes."""
    token = w.token("reader-app").encode()
    kept = unix_socket(w.sock("reader-app"), 30)
    kept.sendall(keep_alive_get(b"/latest/meta-data/instance-id", token))
    check(read_answer(kept)[0] == 200, "first request")
    before = len(w.audit_lines())
    unfinished = unix_socket(w.sock("reader-app"), 30)
    unfinished.sendall(b"GET /latest/meta-data/instance-id HTTP/1.1\r\nHost")
    for s in (kept, unfinished):
        try:
            check(s.recv(1) == b"", "data on an idle connection")
        except socket.timeout:
            raise Failure("an idle connection was still open after 30 s")
        s.close()
    lines = w.wait_audit_lines(before + 1)
    check(any(line["reason"] == "the connection closed with an unfinished request head"
              for line in lines[before:]), f"no audit line for the unfinished head: {lines[-3:]}")
    check(w.get("reader-app", "/latest/meta-data/instance-id", token.decode())[0] == 200, "after")


def case_direct_connect(w):
    """A confined app has its own network and mount namespaces: the metadata
    service is unreachable, and its supervisor socket, mounted at the
    documented /run/ospolicy/imds.sock, is the only way."""
    token = w.token("reader-app")
    code = f"""
import os, socket, subprocess, sys
try:
    socket.create_connection(("127.0.0.1", {w.port}), timeout=2)
    print("direct connection succeeded"); sys.exit(1)
except OSError as e:
    print("direct:", e)
# The app's view: a private /run with the app's socket directory at /run/ospolicy.
for command in (["mount", "--make-rprivate", "/"], ["mount", "-t", "tmpfs", "none", "/run"],
                ["mkdir", "/run/ospolicy"],
                ["mount", "--bind", {os.path.dirname(w.sock("reader-app"))!r}, "/run/ospolicy"]):
    subprocess.run(command, check=True)
s = socket.socket(socket.AF_UNIX); s.connect("/run/ospolicy/imds.sock")
s.sendall(b"GET /latest/meta-data/instance-id HTTP/1.1\\r\\nHost: x\\r\\n"
          b"{TOKEN_HEADER}: {token}\\r\\n\\r\\n")
out = b""
while True:
    c = s.recv(4096)
    if not c: break
    out += c
print(out.split(b"\\r\\n")[0].decode()); sys.exit(0 if b"i-0fake" in out else 2)
"""
    unshare = ["unshare", "-m", "-n"] if os.geteuid() == 0 else ["unshare", "-Urmn"]
    result = subprocess.run(unshare + [sys.executable, "-c", code], capture_output=True,
                            text=True, timeout=30)
    check(result.returncode == 0, f"in new namespaces: {result.stdout}{result.stderr}")
    check("HTTP/1.1 200" in result.stdout, result.stdout)
    # Control: from this namespace the fake is reachable, so the namespace made the difference.
    check(w.stats()["gets"] >= 1, "control: the fake is up and answered through the proxy")


def case_restart(w):
    token = w.token("reader-app")
    check(w.get("reader-app", "/latest/meta-data/instance-id", token)[0] == 200, "before")
    w.proxy.send_signal(signal.SIGKILL)
    w.proxy.wait(timeout=10)
    w.proxy = None
    # Meanwhile: a clean error, at once, not a hang.
    started = time.monotonic()
    try:
        request(w.sock("reader-app"), "GET", "/latest/meta-data/instance-id",
                {TOKEN_HEADER: token})
        raise Failure("a request succeeded while the proxy was down")
    except (ConnectionRefusedError, FileNotFoundError) as e:
        check(time.monotonic() - started < 5, "the error took long")
        print(f"while down: {type(e).__name__}")
    w.start_proxy()
    # Policy comes from the manifests again; tokens do not survive a restart.
    status, _, body = w.get("reader-app", "/latest/meta-data/instance-id", token)
    check(status == 401, f"old token after restart: {status}")
    token = w.token("reader-app")
    check(w.get("reader-app", "/latest/meta-data/instance-id", token)[0] == 200, "after")
    check(w.get("reader-app", "/latest/meta-data/hostname", token)[0] == 403, "policy kept")
    check(w.get("reader-app", "/latest/meta-data/iam/security-credentials/admin", token)[0] == 403,
          "credentials policy kept")


def case_refuses_manifest(w):
    """A manifest that grants nothing, or an invalid one, never gets a socket."""
    bad = os.path.join(w.dir, "old.json")
    with open(bad, "w") as f:
        f.write('{"manifestVersion": 1, "name": "old", "entry": "/app/old", '
                '"cloudMetadata": {"access": "imdsv2-token", "hopLimit": 1}}')
    for manifest, expect in ((os.path.join(w.args.examples, "none.json"), "grants no cloud metadata"),
                             (bad, "manifest-bad-value: cloudMetadata.access")):
        sock = os.path.join(w.dir, "refused.sock")
        result = subprocess.run([w.args.ospolicy, "imds-proxy", "--upstream", w.upstream,
                                 "--app", manifest + "=" + sock], capture_output=True, text=True,
                                timeout=30)
        check(result.returncode == 1 and expect in result.stderr,
              f"{manifest}: exit {result.returncode}: {result.stderr}")
        check(not os.path.exists(sock), "a socket was created for a refused manifest")
    result = subprocess.run([w.args.ospolicy, "imds-proxy", "--upstream", w.upstream],
                            capture_output=True, text=True, timeout=30)
    check(result.returncode == 2, f"no --app: exit {result.returncode}")
    for upstream in (w.upstream + "/latest", "https://127.0.0.1", "http://"):
        result = subprocess.run([w.args.ospolicy, "imds-proxy", "--upstream", upstream, "--app",
                                 os.path.join(w.args.examples, "plain.json") + "=" +
                                 os.path.join(w.dir, "other.sock")],
                                capture_output=True, text=True, timeout=30)
        check(result.returncode == 2 and "HOST[:PORT]" in result.stderr,
              f"upstream {upstream}: exit {result.returncode} {result.stderr}")
    result = subprocess.run([w.args.ospolicy, "imds-proxy", "--upstream", w.upstream, "--audit",
                             os.path.join(w.dir, "no-such-dir", "audit.jsonl"), "--app",
                             os.path.join(w.args.examples, "plain.json") + "=" +
                             os.path.join(w.dir, "other.sock")],
                            capture_output=True, text=True, timeout=30)
    check(result.returncode == 3 and "cannot open the audit file" in result.stderr,
          f"unwritable audit file: exit {result.returncode} {result.stderr}")
    # A live supervisor's socket is never taken over.
    result = subprocess.run([w.args.ospolicy, "imds-proxy", "--upstream", w.upstream, "--app",
                             os.path.join(w.args.examples, "reader.json") + "=" +
                             w.sock("reader-app")], capture_output=True, text=True, timeout=30)
    check(result.returncode == 3 and "another supervisor" in result.stderr,
          f"second proxy on a live socket: {result.returncode} {result.stderr}")
    token = w.token("reader-app")
    check(w.get("reader-app", "/latest/meta-data/instance-id", token)[0] == 200, "still served")


def case_load(w):
    """1,000 concurrent clients, 100,000 requests through the proxy on kept
    connections, then 20,000 with a new connection each: none failed or
    lost, and the proxy's memory stays bounded."""
    result = subprocess.run([w.args.load, "--unix", w.sock("reader-app"), "--clients", "1000",
                             "--requests", "100000", "--pid", str(w.proxy.pid),
                             "--max-seconds", "150"],
                            capture_output=True, text=True, timeout=170)
    print(result.stdout.strip())
    figures = dict(item.split("=") for item in result.stdout.split())
    check(result.returncode == 0, f"load client: {result.stdout} {result.stderr}")
    check(int(figures["ok"]) == 100000 and int(figures["failed"]) == 0 and
          int(figures["lost"]) == 0, f"{figures}")
    growth = int(figures["rss_kib_end"]) - int(figures["rss_kib_start"])
    check(int(figures["rss_kib_start"]) > 0 and growth < 64 * 1024,
          f"proxy memory grew by {growth} KiB over 90,000 requests")
    allowed = sum(1 for line in w.audit_lines() if line["decision"] == "allow")
    check(allowed == 100001, f"{allowed} allow audit lines for 100,001 requests")
    # The same clients with a new connection for every request (no keep-alive).
    result = subprocess.run([w.args.load, "--unix", w.sock("reader-app"), "--clients", "1000",
                             "--requests", "20000", "--fresh", "1", "--max-seconds", "90"],
                            capture_output=True, text=True, timeout=110)
    print(result.stdout.strip())
    figures = dict(item.split("=") for item in result.stdout.split())
    check(result.returncode == 0 and int(figures["ok"]) == 20000, f"fresh: {figures}")


def case_run_granted_path(w):
    """`ospolicy run --imds-socket`: the confined probe asks through
    /run/ospolicy/imds.sock (raw HTTP/1.1, a token PUT then a GET) and gets
    the fake's own answer, passed on by the proxy."""
    status, out, err = w.run_probe("probe.json", "imds-get", "/latest/meta-data/instance-id",
                                   imds_socket=w.sock("probe-app"))
    check(status == 0, f"run exited {status}: {out} {err}")
    check(out == "imds-get: 200 i-0fake0123456789ab", f"probe: {out!r} ({err})")
    line = w.expect_audit(app="probe-app", method="GET", path="/latest/meta-data/instance-id")
    check(line["decision"] == "allow" and line["upstream"] == 200, line)
    check(w.stats()["gets"] >= 1, "the fake answered the proxy")
    # --explain shows where the app finds it, and from where.
    result = subprocess.run([w.args.ospolicy, "run", "--manifest",
                             os.path.join(w.args.examples, "probe.json"), "--explain",
                             "--imds-socket", w.sock("probe-app")],
                            capture_output=True, text=True, timeout=30)
    check(result.returncode == 0, f"--explain: {result.returncode} {result.stderr}")
    expected = ("cloudMetadata: supervised: /run/ospolicy/imds.sock (the directory of "
                f"--imds-socket {w.sock('probe-app')}, read-only at /run/ospolicy); no route to "
                "the metadata address (own network namespace)")
    check(expected in result.stdout.splitlines(), f"--explain: {result.stdout[-400:]}")
    result = subprocess.run([w.args.ospolicy, "run", "--manifest",
                             os.path.join(w.args.examples, "probe.json"), "--explain",
                             "--format", "json", "--imds-socket", w.sock("probe-app")],
                            capture_output=True, text=True, timeout=30)
    explained = json.loads(result.stdout)
    check(explained["cloudMetadata"] == "supervised" and explained["metadataSocket"] ==
          {"path": "/run/ospolicy/imds.sock", "hostSocket": w.sock("probe-app"), "access": "ro"},
          f"--explain --format json: {explained.get('metadataSocket')}")


def case_run_ungranted_path_403(w):
    gets = w.stats()["gets"]
    status, out, err = w.run_probe("probe.json", "imds-get", "/latest/meta-data/hostname",
                                   imds_socket=w.sock("probe-app"))
    check(status == 0, f"run exited {status}: {out} {err}")
    check(out == "imds-get: 403 denied-imds-path: the path is not granted to this app",
          f"probe: {out!r} ({err})")
    line = w.expect_audit(app="probe-app", path="/latest/meta-data/hostname")
    check(line["decision"] == "deny" and line["http"] == 403, line)
    check(w.stats()["gets"] == gets, "an ungranted request reached upstream")


def case_run_direct_connect(w):
    """The confined app (own network namespace) cannot reach the fake's
    address, which the test itself reaches, while its socket works."""
    status, out, err = w.run_probe("probe.json", "connect", str(w.port),
                                   imds_socket=w.sock("probe-app"))
    check(status == 0, f"run exited {status}: {out} {err}")
    check(out in ("connect: ECONNREFUSED", "connect: EACCES", "connect: ENETUNREACH"),
          f"a direct TCP connect to 127.0.0.1:{w.port} from the app: {out!r}")
    # MPTCP is not TCP to Landlock: the seccomp rule on socket() refuses it.
    status, out, err = w.run_probe("probe.json", "connect-mptcp", str(w.port),
                                   imds_socket=w.sock("probe-app"))
    check(status == 0 and out == "connect: EACCES",
          f"an MPTCP connect to 127.0.0.1:{w.port} from the app: {out!r} {err}")
    w.stats()  # control: the fake answers on that address from the test's own namespace
    status, out, err = w.run_probe("probe.json", "imds-get", "/latest/meta-data/instance-id",
                                   imds_socket=w.sock("probe-app"))
    check(out == "imds-get: 200 i-0fake0123456789ab", f"through the socket: {out!r} ({err})")


def case_run_no_metadata(w):
    """A manifest without cloudMetadata: nothing at /run/ospolicy in the
    app's view, and an --imds-socket given anyway is refused."""
    for path in ("/run/ospolicy/imds.sock", "/run/ospolicy", "/run"):
        status, out, err = w.run_probe("probe-none.json", "exists", path)
        check(status == 0, f"run exited {status}: {out} {err}")
        check(out == "exists: ENOENT", f"{path} in the app's view: {out!r}")
    status, out, err = w.run_probe("probe-none.json", "imds-get", "/latest/meta-data/instance-id")
    check(out == "imds-get: ENOENT", f"no socket in the view: {out!r}")
    status, out, err = w.run_probe("probe-none.json", "exists", "/run/ospolicy/imds.sock",
                                   imds_socket=w.sock("probe-app"))
    check(status == 125 and out == "", f"--imds-socket without metadata: {status} {out!r}")
    check(err == "ospolicy run: probe-none: refused (cloud metadata): --imds-socket "
          f"{w.sock('probe-app')} given, but the manifest grants no cloud metadata "
          "(cloudMetadata.access is \"none\"): nothing may be mounted at "
          "/run/ospolicy/imds.sock; nothing was run", err)


def case_run_refusals(w):
    """Every --imds-socket that is not exactly an app's socket, alone in its
    own directory, is refused before anything runs (exit 125, probe silent)."""
    def refused(expect, socket_path, manifest="probe.json"):
        status, out, err = w.run_probe(manifest, "exists", "/run/ospolicy/imds.sock",
                                       imds_socket=socket_path)
        check(status == 125 and out == "", f"{socket_path}: {status} {out!r} {err}")
        check(err.startswith("ospolicy run: probe-app: refused (cloud metadata): ") and
              expect in err and err.endswith("; nothing was run"), f"expected {expect!r}: {err}")

    status, out, err = w.run_probe("probe.json", "exists", "/run/ospolicy/imds.sock")
    check(status == 125 and out == "" and "give the app's `ospolicy imds-proxy` socket with "
          "--imds-socket SOCKET" in err, f"supervised without a socket: {status} {err}")
    real = w.sock("probe-app")
    trick = os.path.join(w.dir, "trick")
    os.makedirs(trick)
    os.symlink(real, os.path.join(trick, "imds.sock"))
    refused("a symbolic link (refused)", os.path.join(trick, "imds.sock"))
    os.unlink(os.path.join(trick, "imds.sock"))
    open(os.path.join(trick, "imds.sock"), "w").close()
    refused("not a Unix socket", os.path.join(trick, "imds.sock"))
    os.unlink(os.path.join(trick, "imds.sock"))
    refused("No such file or directory", os.path.join(trick, "imds.sock"))
    link_dir = os.path.join(w.dir, "link-dir")
    os.symlink(os.path.dirname(real), link_dir)
    refused("not a directory (a symbolic link is refused)", os.path.join(link_dir, "imds.sock"))
    refused("must be named imds.sock", os.path.join(w.dir, "probe", "other.sock"))
    # Another app's socket beside this one would be in the app's view: refused.
    other = socket.socket(socket.AF_UNIX)
    other.bind(os.path.join(os.path.dirname(real), "other.sock"))
    refused("also holds 'other.sock'", real)
    other.close()
    os.unlink(os.path.join(os.path.dirname(real), "other.sock"))
    mode = os.stat(os.path.dirname(real)).st_mode
    os.chmod(os.path.dirname(real), (mode & 0o7777) | 0o020)
    refused("is writable by its group", real)
    os.chmod(os.path.dirname(real), mode & 0o7777)
    # After all that, the real socket still works.
    status, out, err = w.run_probe("probe.json", "imds-get", "/latest/meta-data/instance-id",
                                   imds_socket=real)
    check(out == "imds-get: 200 i-0fake0123456789ab", f"the real socket: {out!r} ({err})")


def case_run_listening(w):
    """A listening app is in the host's network namespace, where the fake's
    address (like the metadata address) is routed: cloudMetadata is refused
    for it, and without metadata its TCP connect to the fake is denied by
    Landlock (EACCES), while the test itself reaches the fake."""
    for source, name in (("probe.json", "listening.json"), ("probe-none.json", "listening-none.json")):
        with open(os.path.join(w.args.examples, source)) as f:
            manifest = json.load(f)
        manifest["network"] = {"listen": [{"port": 8080, "protocol": "tcp"}]}
        with open(os.path.join(w.dir, name), "w") as f:
            json.dump(manifest, f)
    status, out, err = w.run_probe(os.path.join(w.dir, "listening.json"), "exists", "/",
                                   imds_socket=w.sock("probe-app"))
    check(status == 125 and out == "" and "a listening app shares the host's network namespace"
          in err, f"listening + supervised: {status} {out!r} {err}")
    status, out, err = w.run_probe(os.path.join(w.dir, "listening.json"), "exists", "/")
    check(status == 125 and out == "", f"listening + supervised, no socket: {status} {err}")
    status, out, err = w.run_probe(os.path.join(w.dir, "listening-none.json"), "connect",
                                   str(w.port))
    check(status == 0 and out == "connect: EACCES",
          f"listening, no metadata: TCP connect to the fake: {status} {out!r} {err}")
    status, out, err = w.run_probe(os.path.join(w.dir, "listening-none.json"), "exists",
                                   "/run/ospolicy/imds.sock")
    check(out == "exists: ENOENT", f"listening, no metadata: {out!r}")
    w.stats()  # control: the fake answers on that address from the same namespace


def case_run_restart(w):
    """The app sees its socket's directory, not the socket file: after the
    proxy is killed (a clean ECONNREFUSED meanwhile) and restarted (a new
    socket renamed into place), the same confined app reaches it again."""
    command = [w.args.ospolicy, "run", "--manifest",
               os.path.join(w.args.examples, "probe.json"), "--app-root", w.app_root,
               "--imds-socket", w.sock("probe-app"), "--", "imds-repeat",
               "/latest/meta-data/instance-id"]
    app = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True)
    try:
        def ask():
            app.stdin.write("\n")
            app.stdin.flush()
            return app.stdout.readline().strip()

        check(ask() == "imds-get: 200 i-0fake0123456789ab", "before the restart")
        w.proxy.send_signal(signal.SIGKILL)
        w.proxy.wait(timeout=10)
        w.proxy = None
        answer = ask()
        check(answer == "imds-get: ECONNREFUSED", f"while the proxy is down: {answer!r}")
        w.start_proxy()
        answer = ask()
        check(answer == "imds-get: 200 i-0fake0123456789ab", f"after the restart: {answer!r}")
        app.stdin.close()
        check(app.wait(timeout=20) == 0, f"the app: {app.stderr.read()}")
    finally:
        if app.poll() is None:
            app.kill()
            app.wait()


CASES = {
    "upstream-is-local": (case_upstream_is_local, ()),
    "granted-path": (case_granted_path, ()),
    "ungranted-path-403": (case_ungranted_path_403, ()),
    "credentials": (case_credentials, ()),
    "token-per-app": (case_token_per_app, ()),
    "token-expiry": (case_token_expiry, ()),
    "upstream-refresh": (case_upstream_refresh, ("--upstream-token-ttl", "2")),
    "upstream-down-502": (case_upstream_down_502, ()),
    "oversized": (case_oversized, ()),
    "smuggling": (case_smuggling, ()),
    "malformed": (case_malformed, ()),
    "slow-head": (case_slow_head, ()),
    "keep-alive": (case_keep_alive, ()),
    "idle-timeout": (case_idle_timeout, ("--idle-timeout", "2")),
    "direct-connect": (case_direct_connect, ()),
    "restart": (case_restart, ()),
    "refuses-manifest": (case_refuses_manifest, ()),
    "load": (case_load, ()),
    "run-granted-path": (case_run_granted_path, ()),
    "run-ungranted-path-403": (case_run_ungranted_path_403, ()),
    "run-direct-connect": (case_run_direct_connect, ()),
    "run-no-metadata": (case_run_no_metadata, ()),
    "run-refusals": (case_run_refusals, ()),
    "run-listening": (case_run_listening, ()),
    "run-restart": (case_run_restart, ()),
}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--ospolicy", required=True)
    parser.add_argument("--fake", required=True)
    parser.add_argument("--examples", required=True)
    parser.add_argument("--load", required=True)
    parser.add_argument("--probe", help="the static probe app (tests/sandbox), for run-* cases")
    parser.add_argument("case", choices=sorted(CASES))
    args = parser.parse_args()
    function, proxy_args = CASES[args.case]
    confined = args.case.startswith("run-")
    if confined and args.probe is None:
        print(f"FAIL imds.{args.case}: --probe is required for the ospolicy run cases")
        return 1
    world = World(args, proxy_args, probe=confined)
    try:
        function(world)
        world.stop_proxy()
        # Every audit line is one JSON object with the app's name.
        for line in world.audit_lines():
            check(line["app"] in ("reader-app", "plain-app", "probe-app"), line)
    except Failure as failure:
        print(f"FAIL imds.{args.case}: {failure}")
        print(world.log())
        return 1
    finally:
        world.close()
    print(f"PASS imds.{args.case}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
