#!/usr/bin/env python3
"""What `topics.lock` does as days are added, on a real archive of Daily
Papers days (one JSON file a day), with the default taxonomy (site.toml).

Two sites are built side by side from the same days: one that runs
`paperpress topics --lock` before each build (as the Pages workflow does),
one without a lock. The first days are built at once, then the last days
are added one at a time. After each step it counts, for each site, the
automatic topic pages of the step before that are gone (neither a topic
page nor a page pointing to where its papers went), the pages the lock
keeps that mining alone would not make, and the retired topics' pointer
pages; and it times each build (incremental, as the workflow's are) and
each `topics --lock`. Last, the whole archive is built from scratch with
and without the final lock.

    cargo build --release
    python3 bench/topic_lock.py /work/shared/data/hf-daily-papers-archive --last 83
"""

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run(binary, site, *args):
    start = time.perf_counter()
    out = subprocess.run([binary, *args, "--root", site], capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if out.returncode != 0:
        raise SystemExit(f"paperpress {' '.join(args)} failed in {site}:\n{out.stderr}")
    return out.stdout, elapsed


def automatic(binary, site):
    """Slugs of the automatic topics, and of the ones only the lock keeps."""
    out, _ = run(binary, site, "topics", "--json")
    return {t["slug"] for t in json.loads(out)["topics"] if t["kind"] == "automatic"}


def pages(site):
    """Topic pages in the output: slug -> whether it only points elsewhere."""
    folder = os.path.join(site, "public", "topics")
    found = {}
    for name in os.listdir(folder):
        if name.endswith(".html") and name != "index.html":
            with open(os.path.join(folder, name), encoding="utf8") as f:
                found[name[:-5]] = 'http-equiv="refresh"' in f.read(2000)
    return found


def new_site(root, name):
    site = os.path.join(root, name)
    os.makedirs(os.path.join(site, "content", "digests"))
    shutil.copy(os.path.join(REPO, "site.toml"), site)
    return site


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("archive", help="folder of YYYY-MM-DD.json days")
    parser.add_argument("--last", type=int, default=83, help="days added one at a time")
    parser.add_argument("--keep", action="store_true", help="keep the two sites (their folder is printed)")
    parser.add_argument("--binary", default=os.path.join(REPO, "target", "release", "paperpress"))
    args = parser.parse_args()
    days = sorted(d for d in os.listdir(args.archive) if d.endswith(".json"))
    first, rest = days[: len(days) - args.last], days[len(days) - args.last :]
    root = tempfile.mkdtemp(prefix="topic-lock-")
    sites = {"lock": new_site(root, "lock"), "none": new_site(root, "none")}
    for site in sites.values():
        for day in first:
            shutil.copy(os.path.join(args.archive, day), os.path.join(site, "content", "digests", "hf-" + day))
    before = {}
    build_times = {"lock": [], "none": []}
    lock_times = []
    lost = {"lock": 0, "none": 0}
    lost_names = {"lock": [], "none": []}
    held = []
    retired = []
    for step, day in enumerate([None] + rest):
        for name, site in sites.items():
            if day:
                shutil.copy(os.path.join(args.archive, day), os.path.join(site, "content", "digests", "hf-" + day))
            if name == "lock":
                out, took = run(args.binary, site, "topics", "--lock")
                if day:
                    lock_times.append(took)
            _, took = run(args.binary, site, "build")
            if day:
                build_times[name].append(took)
            now = pages(site)
            auto = automatic(args.binary, site)
            if name == "lock":
                with open(os.path.join(site, "topics.lock"), encoding="utf8") as f:
                    text = f.read()
                held.append(int(re.search(r"(\d+) kept only by the lock", out).group(1)))
                retired.append(sum(1 for moved in now.values() if moved))
            mine = {slug for slug in now if slug in auto or now[slug]}
            if name in before:
                gone = sorted(before[name] - set(now))
                lost[name] += len(gone)
                lost_names[name] += [f"{day}: {slug}" for slug in gone]
            before[name] = mine
        if step == 0:
            same = subprocess.run(["diff", "-rq", *(os.path.join(s, "public") for s in sites.values())], capture_output=True)
            print(f"a lock of today's topics changes nothing today: {'yes' if same.returncode == 0 else 'NO'}")
            if same.returncode:
                print(same.stdout.decode()[:2000])
        print(
            f"step {step:>2} {day or 'first ' + str(len(first)) + ' days'}: automatic pages "
            f"{len(before['lock'])} with the lock, {len(before['none'])} without; "
            f"lost so far {lost['lock']} / {lost['none']}; kept by the lock {held[-1]}; pointer pages {retired[-1]}",
            flush=True,
        )
    median = statistics.median
    ratio = median(a / b for a, b in zip(build_times["lock"], build_times["none"]))
    print()
    print(f"days: {len(first)} at once, then {len(rest)} one at a time")
    print(f"automatic pages that disappeared without a pointer: {lost['lock']} with the lock, {lost['none']} without")
    for line in lost_names["none"]:
        print(f"  without the lock: {line}")
    for line in lost_names["lock"]:
        print(f"  WITH the lock: {line}")
    print(f"automatic pages at the end: {len(before['lock'])} with the lock, {len(before['none'])} without")
    print(f"pointer pages at the end: {retired[-1]}")
    print(f"pages kept only by the lock: {held[-1]} at the end, {max(held)} at most")
    kept_line = [line for line in text.splitlines() if line.startswith("slug = ")]
    print(f"lock entries at the end: {len(kept_line)}")
    print(
        f"build (incremental), median: {median(build_times['lock']):.2f} s with the lock, "
        f"{median(build_times['none']):.2f} s without; median ratio {ratio:.3f}"
    )
    print(f"`topics --lock`, median: {median(lock_times):.2f} s")
    for name, site in sites.items():
        shutil.rmtree(os.path.join(site, ".paperpress"), ignore_errors=True)
    whole = {}
    for round in range(5):
        # Alternately first, so that neither always builds on a cold cache.
        for name, site in sorted(sites.items(), reverse=round % 2 == 1):
            _, took = run(args.binary, site, "build", "--full")
            whole.setdefault(name, []).append(took)
    print(
        f"whole archive ({len(days)} days), full build, median of 5: {median(whole['lock']):.2f} s with the "
        f"final lock, {median(whole['none']):.2f} s without; median ratio "
        f"{median(a / b for a, b in zip(whole['lock'], whole['none'])):.3f}"
    )
    if args.keep:
        print(f"sites kept in {root}")
    else:
        shutil.rmtree(root)


if __name__ == "__main__":
    main()
