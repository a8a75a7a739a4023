#!/usr/bin/env python3
"""The preview server's bounds, measured from outside, as the tests do.

    python3 bench/serve_bounds.py                    # target/release/paperpress
    python3 bench/serve_bounds.py --bin A --bin B    # two builds, side by side

For each binary it starts `paperpress serve --port 0` on a copy of
tests/fixtures/site and reports:

- threads: the process's threads (/proc/PID/task) before, and with 300
  connections open that send nothing (half-open clients);
- header: the answer to a request whose one header line is 400 MB (sent
  until the server answers or closes), and the server's peak memory
  (VmHWM) before and after;
- long polls: how long a page and six of its files take to load while
  eight reload long polls are open on other connections.

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


def huge_header(proc, port, size=400 * 1000 * 1000):
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


def get(port, path, timeout=60):
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    s.sendall(b"GET %s HTTP/1.1\r\nHost: localhost:%d\r\nConnection: close\r\n\r\n" % (path.encode(), port))
    data = b""
    while True:
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
    s.close()
    return data


def page_with_polls(port, polls=8):
    """Seconds to load a page and six files with `polls` long polls open."""
    home = get(port, "/").decode(errors="replace")
    generation = re.search(r"var seen = (\d+);", home).group(1)
    waiting = []
    for _ in range(polls):
        s = socket.create_connection(("127.0.0.1", port), timeout=60)
        s.sendall(b"GET /__paperpress/wait?since=%s HTTP/1.1\r\nHost: localhost:%d\r\n\r\n" % (generation.encode(), port))
        waiting.append(s)
    time.sleep(0.3)
    start = time.perf_counter()
    for path in ["/", "/style.css", "/search.js", "/list.js", "/saved.js", "/syntax.css", "/favicon.svg"]:
        if not get(port, path).startswith(b"HTTP/1.1 200"):
            return "failed on %s" % path
    elapsed = time.perf_counter() - start
    for s in waiting:
        s.close()
    return "%.3f s" % elapsed


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
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    print("%s" % binary)
    print("  threads: %d before, %d with %d idle connections" % (before, during, made))
    print(
        "  400 MB header line: answer %s after %d MB sent; peak memory %.1f MiB before, %.1f MiB after"
        % (status, sent // 1000000, peak_before / 1024, peak_after / 1024)
    )
    print("  page and six files with 8 long polls open: %s" % polls)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bin", action="append", help="a paperpress binary (repeat to compare)")
    args = parser.parse_args()
    for binary in args.bin or [os.path.join(ROOT, "target", "release", "paperpress")]:
        measure(binary)


if __name__ == "__main__":
    main()
