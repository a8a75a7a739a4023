#!/usr/bin/env python3
"""Stage times of `paperpress build -v`, side by side for two binaries.

    python3 bench/stages.py                                  # this checkout, 10k and 100k
    python3 bench/stages.py --sizes 10000 --runs 5 \\
        --other /path/to/old/paperpress --other-site-toml old-site.toml

For each size it generates the corpus of bench/gen_corpus.py (API JSON over
365 days) once, then builds it `--runs` times with this checkout's release
binary and, with `--other`, as many times with another binary, alternating
so that both see the same machine. It prints the median wall and CPU time
of every stage the build logs (`paperpress -v` logs wall time, the CPU time
of all threads and the peak memory of each stage). On a shared machine the
CPU times are the figures to compare.
"""

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
BINARY = os.path.join(ROOT, "target", "release", "paperpress")
STAGE = re.compile(r"\[DEBUG\] (.+?): ([\d.]+) ms, cpu (\d+) ms(?: \(peak memory (\d+) kB\))?")


def corpus(n, work, site_toml):
    """The corpus of `n` papers in `work`, generated once; its site.toml replaced by `site_toml`."""
    path = os.path.join(work, "corpus-%d" % n)
    if not os.path.isdir(path):
        subprocess.run(
            [sys.executable, os.path.join(HERE, "gen_corpus.py"), "--papers", str(n), "--format", "json",
             "--days", "365", "--out", path],
            check=True,
        )
    if site_toml:
        shutil.copy(site_toml, os.path.join(path, "site.toml"))
    return path


def build(binary, site, output):
    """Stage name -> (wall ms, cpu ms, peak kB) of one verbose build."""
    shutil.rmtree(output, ignore_errors=True)
    # --full: every digest parsed, whatever the parse cache of the last run holds.
    command = [binary, "build", "-v", "--full", "--root", site, "--output", output]
    proc = subprocess.run(command, capture_output=True, text=True)
    if proc.returncode == 2 and "unexpected argument" in proc.stderr:
        # A version whose `-v` and `-r` came before the command.
        proc = subprocess.run([binary, "-v", "-r", site, "build", "--output", output], capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit("build failed: %s" % proc.stderr[-2000:])
    stages = {}
    for line in proc.stderr.splitlines():
        m = STAGE.search(line)
        if m:
            stages[m.group(1)] = (float(m.group(2)), int(m.group(3)), int(m.group(4) or 0))
    return stages


def report(label, runs):
    names = []
    for run in runs:
        names.extend(n for n in run if n not in names)
    print("  %s" % label)
    for name in names:
        values = [run[name] for run in runs if name in run]
        wall = statistics.median(v[0] for v in values)
        cpu = statistics.median(v[1] for v in values)
        peak = max(v[2] for v in values) / 1024
        print("    %-45s wall %8.0f ms   cpu %8.0f ms   peak %6.0f MB" % (name, wall, cpu, peak))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--other", help="another paperpress binary to time beside this one")
    parser.add_argument("--other-site-toml", help="the site.toml the other binary reads (its own taxonomy)")
    parser.add_argument("--work", help="folder for corpora and outputs (default: a temporary one)")
    args = parser.parse_args()
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    work = args.work or tempfile.mkdtemp(prefix="paperpress-stages-")
    for n in (int(s) for s in args.sizes.split(",")):
        site = corpus(n, work, os.path.join(ROOT, "site.toml"))
        other_site = None
        if args.other:
            other_site = os.path.join(work, "other-%d" % n)
            os.makedirs(other_site, exist_ok=True)
            if not os.path.exists(os.path.join(other_site, "content")):
                os.symlink(os.path.join(site, "content"), os.path.join(other_site, "content"))
            shutil.copy(args.other_site_toml or os.path.join(ROOT, "site.toml"), os.path.join(other_site, "site.toml"))
        ours, theirs = [], []
        for _ in range(args.runs):
            ours.append(build(BINARY, site, os.path.join(work, "out")))
            if args.other:
                theirs.append(build(args.other, other_site, os.path.join(work, "out-other")))
        print("%d papers, median of %d runs" % (n, args.runs))
        report("this checkout", ours)
        if args.other:
            report(args.other, theirs)


if __name__ == "__main__":
    main()
