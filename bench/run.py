#!/usr/bin/env python3
"""paperpress build benchmark, side by side with Hugo, in one run.

    python3 bench/run.py                       # 1k, 10k and 100k papers
    python3 bench/run.py --sizes 1000,10000 --runs 5 --markdown docs/benchmarks.md
    python3 bench/run.py --real ../shared/data/hf-daily-papers-archive --runs 5
    python3 bench/run.py --daily OLD_BINARY,NEW_BINARY --runs 5   # daily rebuilds side by side

With --real DIR (a folder of Daily Papers API days, as an archive keeps
them), the benchmark builds that archive with the repository's site.toml,
gives Hugo the same papers and topics (bench/hugo_site.rs writes them as
Hugo pages from paperpress's own model), and reports, in one run: cold and
warm medians, peak memory and output per paper of both, the output of
paperpress by part, the daily rebuild of a 10,000-paper site that gains a
day of 50 papers (with the record of the last build), and the output per
paper at 100,000 synthetic papers.

For each size it generates a deterministic corpus (Hugging Face Daily
Papers API JSON, one file per day over a year, the example site's taxonomy;
see bench/gen_corpus.py) and the same papers as a Hugo site (one Markdown
page per paper with 1-3 topics, paginated topic and day listings, no search
index). It then times full builds of both:

- cold: each build writes a new output folder (a fresh checkout in CI);
- warm: the output folder holds the previous build (a daily rebuild).

and reports the median wall time, the peak memory (max RSS, from wait4),
the output size per paper, the search bytes a query downloads (gzip, via
bench/search_queries.js when node is available), and the time `serve`
takes to rebuild after one paper page is edited. Hugo comes from Debian's
`hugo` package, installed when missing. Builds run one after another; the
machine should be otherwise idle for the figures to mean anything.
"""

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
BINARY = os.path.join(ROOT, "target", "release", "paperpress")


def run_measured(cmd, cwd=None):
    """Runs `cmd`; returns (wall seconds, peak RSS in MiB)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        sys.exit("failed: %s\n%s" % (" ".join(cmd), proc.stderr.read().decode(errors="replace")))
    return wall, usage.ru_maxrss / 1024


def ensure_tools():
    subprocess.run(["cargo", "build", "--release", "--quiet", "--examples", "--bins"], cwd=ROOT, check=True)
    if shutil.which("hugo") is None:
        print("installing hugo (Debian package)...", file=sys.stderr)
        subprocess.run(["apt-get", "install", "-y", "-qq", "hugo"], check=True, stdout=subprocess.DEVNULL)


def folder_bytes(path):
    total = 0
    for folder, _, files in os.walk(path):
        for name in files:
            total += os.path.getsize(os.path.join(folder, name))
    return total


# Output folders of cold builds, removed when the whole benchmark is done.
COLD_FOLDERS = []


def series(cmd, output, runs, cold):
    """Median wall time and peak memory of `runs` builds. Cold builds write
    to new folders, removed only at the end of the benchmark: on ext4,
    creating files soon after deleting many is several times slower (the
    inode allocator skips recently freed inodes), which would measure the
    benchmark's own cleanup rather than the build."""
    walls, peaks = [], []
    for i in range(runs):
        target = cmd
        if cold:
            folder = "%s-cold-%d-%d" % (output, os.getpid(), i)
            COLD_FOLDERS.append(folder)
            target = [folder if part == output else part for part in cmd]
        wall, peak = run_measured(target)
        walls.append(wall)
        peaks.append(peak)
    return statistics.median(walls), max(peaks)


def search_per_query(output):
    if shutil.which("node") is None:
        return None
    result = subprocess.run(
        ["node", os.path.join(HERE, "search_queries.js"), output, "200", "10"],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        return None
    report = json.loads(result.stdout)
    return report["query_gzip_kb"]["median"], report["index_bytes_per_paper"]["gzip"]


def serve_rebuild(corpus, runs):
    """Median time from saving one edited paper page to the rebuilt site
    being online, as `paperpress serve` reports it. Works on a copy of the
    corpus whose digests are imported as paper pages, so the corpus the
    builds are timed on stays as generated."""
    site = corpus + "-serve"
    pages = os.path.join(site, "content", "papers")
    if not os.path.isdir(pages):
        shutil.rmtree(site, ignore_errors=True)
        shutil.copytree(corpus, site)
        digests = os.path.join(site, "content", "digests")
        files = sorted(os.path.join(digests, f) for f in os.listdir(digests))
        subprocess.run([BINARY, "import", "--root", site, *files], check=True, stdout=subprocess.DEVNULL)
        shutil.rmtree(digests)
    page = os.path.join(pages, sorted(os.listdir(pages))[len(os.listdir(pages)) // 2])
    proc = subprocess.Popen(
        [BINARY, "serve", "--root", site, "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    try:
        line = proc.stdout.readline()
        url = re.search(r"http://[0-9.:]+/", line).group(0)
        generation = json.load(urllib.request.urlopen(url + "__paperpress/wait?since=999999", timeout=60))["generation"]
        times = []
        original = open(page, encoding="utf-8").read()
        for i in range(runs):
            with open(page, "w", encoding="utf-8") as f:
                f.write(original.rstrip("\n") + "\n\nEdited %d.\n" % i)
            start = time.perf_counter()
            while True:
                state = json.load(urllib.request.urlopen(url + "__paperpress/wait?since=%d" % generation, timeout=60))
                if state["generation"] > generation:
                    break
            times.append(time.perf_counter() - start)
            generation = state["generation"]
            time.sleep(0.3)
        with open(page, "w", encoding="utf-8") as f:
            f.write(original)
        return statistics.median(times)
    finally:
        proc.terminate()
        proc.wait()


def bench_size(n, runs, work, with_hugo, with_serve):
    site = os.path.join(work, "site%d" % n)
    hugo = os.path.join(work, "hugo%d" % n)
    if not os.path.isdir(site):
        cmd = [sys.executable, os.path.join(HERE, "gen_corpus.py"), "--papers", str(n), "--days", "365"]
        cmd += ["--format", "json", "--out", site] + (["--hugo", hugo] if with_hugo else [])
        subprocess.run(cmd, check=True)
    out = os.path.join(work, "out%d" % n)
    build = [BINARY, "build", "--root", site, "--output", out]
    row = {"papers": n}
    row["cold"], row["cold_mib"] = series(build, out, runs, cold=True)
    run_measured(build)  # the previous build the warm series rebuilds over
    row["warm"], row["warm_mib"] = series(build, out, runs, cold=False)
    row["kb_per_paper"] = folder_bytes(out) / n / 1000
    searched = search_per_query(out)
    if searched:
        row["query_kb"], row["index_gzip_per_paper"] = searched
    if with_hugo:
        hugo_out = os.path.join(work, "hugo-out%d" % n)
        hugo_cmd = ["hugo", "--quiet", "--source", hugo, "--destination", hugo_out]
        row["hugo_cold"], row["hugo_cold_mib"] = series(hugo_cmd, hugo_out, runs, cold=True)
        run_measured(hugo_cmd)
        row["hugo_warm"], row["hugo_warm_mib"] = series(hugo_cmd, hugo_out, runs, cold=False)
    if with_serve:
        row["serve_rebuild"] = serve_rebuild(site, max(3, runs))
    return row


BASE_URL = "https://example.github.io/digest/"
PARTS = [
    ("paper pages", lambda p: p.startswith("papers/")),
    ("search index", lambda p: p.startswith("search/")),
    ("topic .bib files", lambda p: p.startswith("topics/") and p.endswith(".bib") and p.count("/") == 1),
    ("day .bib files", lambda p: p.startswith("days/") and p.endswith(".bib")),
    ("topic pages", lambda p: p.startswith("topics/") and p.endswith(".html")),
    ("day pages", lambda p: p.startswith("days/") and p.endswith(".html")),
    ("feeds and sitemaps", lambda p: p.endswith(".xml")),
]


def size_by_part(output):
    """Bytes of a paperpress output by part, as `paperpress build` counts them."""
    parts = {name: 0 for name, _ in PARTS}
    parts["everything else"] = 0
    for folder, _, files in os.walk(output):
        for name in files:
            path = os.path.relpath(os.path.join(folder, name), output).replace(os.sep, "/")
            part = next((n for n, test in PARTS if test(path)), "everything else")
            parts[part] += os.path.getsize(os.path.join(folder, name))
    return parts


def real_site(archive, work):
    """The archive as a paperpress site with the repository's site.toml,
    and the same papers and topics as a Hugo site."""
    site, hugo = os.path.join(work, "real-site"), os.path.join(work, "real-hugo")
    if not os.path.isdir(site):
        os.makedirs(os.path.join(site, "content"))
        shutil.copy(os.path.join(ROOT, "site.toml"), site)
        shutil.copytree(archive, os.path.join(site, "content", "digests"))
    if not os.path.isdir(hugo):
        sys.path.insert(0, HERE)
        import gen_corpus

        gen_corpus.write_hugo_skeleton(hugo)
        exporter = os.path.join(ROOT, "target", "release", "examples", "hugo_site")
        subprocess.run([exporter, site, hugo], check=True, stdout=subprocess.DEVNULL)
    return site, hugo


def papers_of(site):
    """The number of papers a build of `site` reports."""
    result = subprocess.run([BINARY, "build", "--root", site, "--full", "--output", site + "-count"], capture_output=True, text=True, check=True)
    shutil.rmtree(site + "-count", ignore_errors=True)
    return int(re.search(r"built ([\d,]+) paper", result.stdout).group(1).replace(",", ""))


def bench_real(archive, runs, work):
    site, hugo = real_site(archive, work)
    n = papers_of(site)
    out = os.path.join(work, "real-out")
    # Full builds (--full): the same work as Hugo's, whatever the record says.
    build = [BINARY, "build", "--root", site, "--full", "--base-url", BASE_URL, "--output", out]
    hugo_out = os.path.join(work, "real-hugo-out")
    hugo_cmd = ["hugo", "--quiet", "--source", hugo, "--destination", hugo_out]
    row = {"papers": n, "load": os.getloadavg()[0]}
    # Alternately, so that a change of the machine's state hits both alike.
    row["cold"], row["cold_mib"] = series(build, out, runs, cold=True)
    row["hugo_cold"], row["hugo_cold_mib"] = series(hugo_cmd, hugo_out, runs, cold=True)
    run_measured(build)
    run_measured(hugo_cmd)
    row["warm"], row["warm_mib"] = series(build, out, runs, cold=False)
    row["hugo_warm"], row["hugo_warm_mib"] = series(hugo_cmd, hugo_out, runs, cold=False)
    row["floor"], row["files"] = write_floor(out, runs)
    row["kb_per_paper"] = folder_bytes(out) / n / 1024
    row["hugo_kb_per_paper"] = folder_bytes(hugo_out) / n / 1024
    row["parts"] = {k: v / n / 1024 for k, v in size_by_part(out).items()}
    row["added"] = growth(site, work, n, size_by_part(out))
    row["load_after"] = os.getloadavg()[0]
    return row


def growth(site, work, n, parts):
    """Bytes by part that each paper adds, as a digest grows: the archive's
    first half of days built alone, against the whole (`parts`, `n` papers).
    What does not grow with the papers (feeds of a fixed length, scripts,
    styles, the overviews) drops out, so this is the figure that says how
    many papers fit in a size."""
    half = os.path.join(work, "real-half")
    if not os.path.isdir(half):
        os.makedirs(os.path.join(half, "content", "digests"))
        shutil.copy(os.path.join(site, "site.toml"), half)
        days = sorted(os.listdir(os.path.join(site, "content", "digests")))
        for name in days[: len(days) // 2]:
            shutil.copy(os.path.join(site, "content", "digests", name), os.path.join(half, "content", "digests"))
    m = papers_of(half)
    out = os.path.join(work, "real-half-out")
    subprocess.run([BINARY, "build", "--root", half, "--full", "--base-url", BASE_URL, "--output", out], check=True, capture_output=True)
    first = size_by_part(out)
    shutil.rmtree(out, ignore_errors=True)
    return {"papers": [m, n], "parts": {k: (parts[k] - first[k]) / (n - m) for k in parts}}


def daily_site(work, papers, per_day):
    """The site of the daily rebuild (generated once): `papers` papers,
    then a last day of `per_day`. Returns the site, where its last day's
    digest is, where it is put aside, and the output folder."""
    total = papers + per_day
    site = os.path.join(work, "daily%d" % papers)
    if not os.path.isdir(site):
        cmd = [sys.executable, os.path.join(HERE, "gen_corpus.py"), "--papers", str(total), "--days", str(total // per_day)]
        subprocess.run(cmd + ["--format", "json", "--out", site], check=True)
    digests = os.path.join(site, "content", "digests")
    last = sorted(os.listdir(digests))[-1]
    return site, os.path.join(digests, last), os.path.join(work, last), os.path.join(work, "daily-out")


def daily_rebuild(work, runs, papers=10000, per_day=50):
    """Median time of a build with the record of the last one, after a day
    of `per_day` papers is added to a site of `papers`."""
    site, day, aside, out = daily_site(work, papers, per_day)
    build = [BINARY, "build", "--root", site, "--base-url", BASE_URL, "--output", out]
    shutil.move(day, aside)
    subprocess.run(build + ["--full"], check=True, capture_output=True)
    times, full, written = [], [], None
    for _ in range(runs):
        shutil.move(aside, day)
        start = time.perf_counter()
        result = subprocess.run(build, check=True, capture_output=True, text=True)
        times.append(time.perf_counter() - start)
        start = time.perf_counter()
        subprocess.run(build + ["--full"], check=True, capture_output=True)
        full.append(time.perf_counter() - start)
        written = re.search(r"updated ([\d,]+) of ([\d,]+) files", result.stdout).groups()
        shutil.move(day, aside)
        subprocess.run(build, check=True, capture_output=True)
    shutil.move(aside, day)
    return statistics.median(times), written, statistics.median(full)


STAGE = re.compile(r"\] ([a-z ,()]+): ([\d.]+) ms")


def daily_side_by_side(work, runs, binaries, papers=10000, per_day=50):
    """The daily rebuild of `daily_rebuild`, for each of `binaries` in turn
    over the same site, `runs` rounds: per binary, the median wall time and
    the median of each stage `build -v` logs."""
    site, day, aside, out = daily_site(work, papers, per_day)
    env = dict(os.environ, RUST_LOG="debug")
    seen = {b: {"wall": [], "stages": {}} for b in binaries}
    shutil.move(day, aside)
    for _ in range(runs):
        for binary in binaries:
            build = [binary, "build", "--root", site, "--base-url", BASE_URL, "--output", out]
            subprocess.run(build, check=True, capture_output=True)  # the site and record without the new day
            shutil.move(aside, day)
            start = time.perf_counter()
            result = subprocess.run(build + ["-v"], check=True, capture_output=True, text=True, env=env)
            seen[binary]["wall"].append(time.perf_counter() - start)
            for stage, ms in STAGE.findall(result.stderr):
                seen[binary]["stages"].setdefault(stage, []).append(float(ms))
            shutil.move(day, aside)
    shutil.move(aside, day)
    return {
        b: {"wall": statistics.median(v["wall"]), **{k: statistics.median(ms) for k, ms in v["stages"].items()}}
        for b, v in seen.items()
    }


def write_floor(out, runs):
    """The floor of a cold build on this machine: the median time to write
    the same files, already in memory, into a new folder with two threads
    and nothing else to do (as the cold builds, each run writes a folder of
    its own, removed at the end). Also returns the file count."""
    import concurrent.futures

    files = []
    for folder, _, names in os.walk(out):
        for name in names:
            path = os.path.join(folder, name)
            with open(path, "rb") as f:
                files.append((os.path.relpath(path, out), f.read()))
    folders = sorted({os.path.dirname(rel) for rel, _ in files})
    times, targets = [], []
    for i in range(runs):
        target = "%s-floor-%d" % (out, i)
        shutil.rmtree(target, ignore_errors=True)
        targets.append(target)

        def write(item, target=target):
            with open(os.path.join(target, item[0]), "wb") as f:
                f.write(item[1])

        start = time.perf_counter()
        for folder in folders:
            os.makedirs(os.path.join(target, folder), exist_ok=True)
        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            list(pool.map(write, files, chunksize=64))
        times.append(time.perf_counter() - start)
    for target in targets:
        shutil.rmtree(target, ignore_errors=True)
    return statistics.median(times), len(files)


def real_table(row, daily, big):
    speed = lambda a, b: "%.1fx" % (row[b] / row[a])
    lines = [
        "| | cold | warm | peak memory | output per paper |",
        "|---|---|---|---|---|",
        "| paperpress | %s | %s | %.0f MiB | %.1f KiB |"
        % (seconds(row["cold"]), seconds(row["warm"]), max(row["cold_mib"], row["warm_mib"]), row["kb_per_paper"]),
        "| Hugo | %s | %s | %.0f MiB | %.1f KiB |"
        % (seconds(row["hugo_cold"]), seconds(row["hugo_warm"]), max(row["hugo_cold_mib"], row["hugo_warm_mib"]), row["hugo_kb_per_paper"]),
        "| paperpress faster by | %s | %s | | |" % (speed("cold", "hugo_cold"), speed("warm", "hugo_warm")),
        "",
        "%s real papers; load average %.1f before, %.1f after." % ("{:,}".format(row["papers"]), row["load"], row["load_after"]),
        "",
        "The floor: writing the same %s files from memory into a new folder, two threads and nothing else to do, takes %s; the cold build takes %.1fx that, the warm build %.1fx."
        % ("{:,}".format(row["files"]), seconds(row["floor"]), row["cold"] / row["floor"], row["warm"] / row["floor"]),
        "",
        "| part | KiB per paper |",
        "|---|---|",
    ]
    added = row["added"]["parts"]
    lines[-2:] = [
        "| part | bytes per paper | bytes each paper adds (%s to %s papers) |" % tuple("{:,}".format(p) for p in row["added"]["papers"]),
        "|---|---|---|",
    ]
    for part, kib in sorted(row["parts"].items(), key=lambda kv: -kv[1]):
        lines.append("| %s | %s | %s |" % (part, "{:,.0f}".format(kib * 1024), "{:,.0f}".format(added[part])))
    lines.append("| **total** | **%s** | **%s** |" % ("{:,.0f}".format(sum(row["parts"].values()) * 1024), "{:,.0f}".format(sum(added.values()))))
    if daily:
        lines += [
            "",
            "Daily rebuild, 10,000 papers + a day of 50, with the record of the last build: %.2f s (median; %s of %s files written); a full build of the same site over its previous output: %.2f s."
            % (daily[0], daily[1][0], daily[1][1], daily[2]),
        ]
    if big:
        lines += ["", "Output at 100,000 synthetic papers: %.1f KiB per paper (%.2f GB)." % (big / 100000 / 1024, big / 1e9)]
    return "\n".join(lines)


def seconds(value):
    return "%.2f s" % value if value is not None else "—"


def markdown_table(rows, command):
    lines = [
        "| papers | paperpress cold | paperpress warm | peak memory | Hugo cold | Hugo warm | Hugo peak | speed-up (cold / warm) | output per paper | search per query (gzip) | serve rebuild after one edit |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        speedup = (
            "%.1fx / %.1fx" % (r["hugo_cold"] / r["cold"], r["hugo_warm"] / r["warm"]) if "hugo_warm" in r else "—"
        )
        lines.append(
            "| {:,} | {} | {} | {:.0f} MiB | {} | {} | {} | {} | {:.1f} KB | {} | {} |".format(
                r["papers"],
                seconds(r["cold"]),
                seconds(r["warm"]),
                max(r["cold_mib"], r["warm_mib"]),
                seconds(r.get("hugo_cold")),
                seconds(r.get("hugo_warm")),
                "%.0f MiB" % max(r["hugo_cold_mib"], r["hugo_warm_mib"]) if "hugo_cold_mib" in r else "—",
                speedup,
                r["kb_per_paper"],
                "%.1f KB" % r["query_kb"] if "query_kb" in r else "—",
                "%.0f ms" % (r["serve_rebuild"] * 1000) if "serve_rebuild" in r else "—",
            )
        )
    lines.append("")
    lines.append("Produced by `%s` (medians of the runs; cold = a new output folder, warm = the previous build in place)." % command)
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--hugo-max", type=int, default=10000, help="largest size also built with Hugo")
    parser.add_argument("--work", help="folder for corpora and outputs (default: a temporary one)")
    parser.add_argument("--markdown", help="write the table to this file")
    parser.add_argument("--real", help="a folder of Daily Papers API days: benchmark that archive against Hugo")
    parser.add_argument("--no-100k", action="store_true", help="with --real, skip the 100,000-paper size")
    parser.add_argument(
        "--daily",
        metavar="BINARY,BINARY",
        help="only the daily rebuild at 10k, of these paperpress binaries side by side (medians of wall and stages)",
    )
    args = parser.parse_args()
    work = args.work or tempfile.mkdtemp(prefix="paperpress-bench-")
    os.makedirs(work, exist_ok=True)
    if args.daily:
        binaries = [os.path.abspath(b) for b in args.daily.split(",")]
        for binary, row in daily_side_by_side(work, args.runs, binaries).items():
            print(binary)
            for stage, value in row.items():
                print("  %-40s %8.3f %s" % (stage, value, "s" if stage == "wall" else "ms"))
        return
    ensure_tools()
    if args.real:
        try:
            row = bench_real(args.real, args.runs, work)
            print(json.dumps(row), flush=True)
            daily = daily_rebuild(work, args.runs)
            print(json.dumps({"daily": daily}), flush=True)
            big = None
            if not args.no_100k:
                site = os.path.join(work, "site100000")
                if not os.path.isdir(site):
                    cmd = [sys.executable, os.path.join(HERE, "gen_corpus.py"), "--papers", "100000", "--days", "365"]
                    subprocess.run(cmd + ["--format", "json", "--out", site], check=True)
                out = os.path.join(work, "out100000")
                run_measured([BINARY, "build", "--root", site, "--full", "--base-url", BASE_URL, "--output", out])
                big = folder_bytes(out)
                shutil.rmtree(out, ignore_errors=True)
        finally:
            for folder in COLD_FOLDERS:
                shutil.rmtree(folder, ignore_errors=True)
        table = real_table(row, daily, big)
        print(table)
        if args.markdown:
            with open(args.markdown, "w", encoding="utf-8") as f:
                f.write(table + "\n")
        return
    rows = []
    try:
        for n in (int(s) for s in args.sizes.split(",")):
            runs = args.runs if n < 100000 else max(1, min(args.runs, 3))
            row = bench_size(n, runs, work, with_hugo=n <= args.hugo_max, with_serve=n == 10000)
            print(json.dumps(row), flush=True)
            rows.append(row)
    finally:
        for folder in COLD_FOLDERS:
            shutil.rmtree(folder, ignore_errors=True)
    table = markdown_table(rows, "python3 bench/run.py " + " ".join(sys.argv[1:]))
    print(table)
    if args.markdown:
        with open(args.markdown, "w", encoding="utf-8") as f:
            f.write(table + "\n")


if __name__ == "__main__":
    main()
