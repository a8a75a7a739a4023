#!/usr/bin/env python3
"""The preview server's bounds, measured from outside, as the tests do.

    python3 bench/serve_bounds.py                    # target/release/paperpress
    python3 bench/serve_bounds.py --bin A --bin B    # two builds, side by side

For each binary it starts `paperpress serve --port 0` on a copy of
tests/fixtures/site and reports:

- threads: the process's threads (/proc/PID/task) before, and with 300
  connections open that send nothing (half-open clients);
- header: the answer to a request whose one header line is 100 MB (sent
  until the server answers or closes), and the server's peak memory
  (VmHWM) before and after;
- slowloris: 200 clients that send a request head a byte a second; the
  answer to a normal request among them, and how many of them are still
  connected 12 s later;
- long polls: how long a page and six of its files take to load while
  eight reload long polls are open on other connections;
- overload: with up to 600 idle connections open (more than it takes),
  how long a normal request waits, and how long SIGTERM takes to stop the
  server;
- hostile requests: the status of path traversals (`..`, `%2e%2e`, an
  encoded NUL), folders, and spoofed `Host` names.

Every connection goes to 127.0.0.1; every loop is bounded and the server
is stopped at the end.
"""

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
FIXTURE = os.path.join(ROOT, "tests", "fixtures", "site")


def start(binary, site):
    """Starts serve; returns (process, port)."""
    proc = subprocess.Popen(
        [binary, "serve", "--port", "0", "--root", site],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    line = proc.stdout.readline()
    match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
    if not match:
        proc.kill()
        sys.exit("serve printed no address: %r" % line)
    time.sleep(0.5)
    return proc, int(match.group(1))


def threads(pid):
    return len(os.listdir("/proc/%d/task" % pid))


def peak_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        return int(re.search(r"VmHWM:\s+(\d+) kB", f.read()).group(1))


def idle_connections(proc, port, count=300):
    before = threads(proc.pid)
    idle = []
    for _ in range(count):
        try:
            idle.append(socket.create_connection(("127.0.0.1", port), timeout=2))
        except OSError:
            break
    time.sleep(1.0)
    during = threads(proc.pid)
    for s in idle:
        s.close()
    return before, during, len(idle)


def huge_header(proc, port, size=100 * 1000 * 1000):
    """Sends a head with one `size`-byte header line; returns (status, sent)."""
    s = socket.create_connection(("127.0.0.1", port), timeout=30)
    s.sendall(b"GET / HTTP/1.1\r\nHost: localhost:%d\r\nX-Big: " % port)
    chunk = b"a" * (1 << 20)
    sent = 0
    try:
        while sent < size:
            s.sendall(chunk)
            sent += len(chunk)
    except OSError:
        pass  # the server answered and closed
    answer = b""
    try:
        s.settimeout(5)
        answer = s.recv(200)
    except OSError:
        pass
    s.close()
    status = answer.split(b" ")[1].decode() if answer.startswith(b"HTTP/1.1 ") else "none"
    return status, sent


def get(port, path, timeout=60, headers=None):
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    if headers is None:
        headers = b"Host: localhost:%d\r\n" % port
    s.sendall(b"GET %s HTTP/1.1\r\n%sConnection: close\r\n\r\n" % (path.encode(), headers))
    data = b""
    while True:
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
    s.close()
    return data


def page_with_polls(port, polls=8):
    """How long a page and six files take to load, with `polls` long polls open."""
    home = get(port, "/").decode(errors="replace")
    generation = re.search(r"var seen = (\d+);", home).group(1)
    waiting = []
    for _ in range(polls):
        s = socket.create_connection(("127.0.0.1", port), timeout=60)
        s.sendall(b"GET /__paperpress/wait?since=%s HTTP/1.1\r\nHost: localhost:%d\r\n\r\n" % (generation.encode(), port))
        waiting.append(s)
    time.sleep(0.3)
    times = []
    for _ in range(9):
        start = time.perf_counter()
        for path in ["/", "/style.css", "/search.js", "/list.js", "/saved.js", "/syntax.css", "/favicon.svg"]:
            if not get(port, path).startswith(b"HTTP/1.1 200"):
                return "failed on %s" % path
        times.append(time.perf_counter() - start)
    for s in waiting:
        s.close()
    return "median of 9: %.1f ms" % (sorted(times)[len(times) // 2] * 1000)


def status_line(answer):
    line = answer.split(b"\r\n")[0].decode(errors="replace")
    location = re.search(rb"\r\n[Ll]ocation: ([^\r]*)", answer)
    return line + (" -> %s" % location.group(1).decode() if location else "")


def slowloris(port, count=200, seconds=12):
    """`count` clients trickling a head; returns (a normal GET's answer and
    seconds, how many of them are still connected after `seconds`)."""
    slow = []
    for _ in range(count):
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=2)
            s.sendall(b"GET / HTTP/1.1\r\nHost: localhost:%d\r\nX-Slow: " % port)
            slow.append(s)
        except OSError:
            break
    time.sleep(0.5)
    start = time.perf_counter()
    try:
        answer = status_line(get(port, "/", timeout=30))
    except OSError as e:
        answer = "no answer (%s)" % e
    elapsed = time.perf_counter() - start
    connected = len(slow)
    end = time.time() + seconds
    while time.time() < end and connected:
        time.sleep(1)
        connected = 0
        for s in slow:
            try:
                s.sendall(b"a")
                connected += 1
            except OSError:
                pass
    for s in slow:
        s.close()
    return answer, elapsed, connected, len(slow)


HOSTILE_PATHS = [
    "/../site.toml",
    "/%2e%2e/site.toml",
    "/%2E%2E%2Fsite.toml",
    "/papers/..%2f..%2fsite.toml",
    "/index.html%00.txt",
    "/%00",
    "/days",
    "/days/",
    "/papers/",
    "//days",
]


def hostile_requests(port):
    rows = [(path, status_line(get(port, path))) for path in HOSTILE_PATHS]
    for label, headers in [
        ("Host: evil.example:PORT", b"Host: evil.example:%d\r\n" % port),
        ("Host: 127.0.0.1 (no port)", b"Host: 127.0.0.1\r\n"),
        ("no Host", b""),
        ("two Host headers, local first", b"Host: localhost:%d\r\nHost: evil.example:%d\r\n" % (port, port)),
        ("X-Forwarded-Host: evil.example", b"Host: evil.example\r\nX-Forwarded-Host: localhost:%d\r\n" % port),
    ]:
        rows.append((label, status_line(get(port, "/", headers=headers))))
    rows.append(
        ("absolute URL http://evil.example/", status_line(get(port, "http://evil.example:%d/" % port)))
    )
    return rows


def overload(proc, port, count=600):
    """(a GET's answer and seconds, seconds SIGTERM takes) with `count` idle
    connections open."""
    idle = []
    for _ in range(count):
        try:
            idle.append(socket.create_connection(("127.0.0.1", port), timeout=2))
        except OSError:
            break  # the listen queue is full
    start = time.perf_counter()
    try:
        answer = status_line(get(port, "/", timeout=30))
    except OSError as e:
        answer = "no answer (%s)" % e
    waited = time.perf_counter() - start
    start = time.perf_counter()
    proc.terminate()
    proc.wait(timeout=120)
    stopped = time.perf_counter() - start
    for s in idle:
        s.close()
    return len(idle), answer, waited, stopped


def measure(binary):
    with tempfile.TemporaryDirectory() as tmp:
        site = os.path.join(tmp, "site")
        shutil.copytree(FIXTURE, site)
        proc, port = start(binary, site)
        try:
            before, during, made = idle_connections(proc, port)
            time.sleep(1.0)
            peak_before = peak_kib(proc.pid)
            status, sent = huge_header(proc, port)
            time.sleep(0.5)
            peak_after = peak_kib(proc.pid)
            polls = page_with_polls(port)
            loris = slowloris(port)
            hostile = hostile_requests(port)
            crowd = overload(proc, port)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    print("%s" % binary)
    print("  threads: %d before, %d with %d idle connections" % (before, during, made))
    print(
        "  100 MB header line: answer %s after %d MB sent; peak memory %.1f MiB before, %.1f MiB after"
        % (status, sent // 1000000, peak_before / 1024, peak_after / 1024)
    )
    print("  page and six files with 8 long polls open: %s" % polls)
    print(
        "  slowloris: a GET among %d trickling clients: %s in %.2f s; %d of them still connected 12 s later"
        % (loris[3], loris[0], loris[1], loris[2])
    )
    print(
        "  %d idle connections: a GET gets %s after %.1f s; SIGTERM stops the server in %.1f s" % crowd
    )
    for what, answer in hostile:
        print("  %-36s %s" % (what, answer))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bin", action="append", help="a paperpress binary (repeat to compare)")
    args = parser.parse_args()
    for binary in args.bin or [os.path.join(ROOT, "target", "release", "paperpress")]:
        measure(binary)


if __name__ == "__main__":
    main()
