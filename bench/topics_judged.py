#!/usr/bin/env python3
"""How the topics of a site fare against every paper already judged by hand.

    python3 bench/topics_judged.py --root SITE                 # this checkout's binary
    python3 bench/topics_judged.py --root SITE --other OLD     # two binaries side by side
    python3 bench/topics_judged.py --json A.json --json B.json # two `topics --json` outputs

docs/topics.md keeps the hand-judged samples (samples 4 to 16: about 870
papers of the Daily Papers archive, 1,360 topics judged **R**, **D** or
**W**). A judgement is of a paper and a topic, whichever version gave it,
so a change to the rules can be checked against all of them at once: for
each paper judged, its most specific topics in `paperpress topics --json`
are looked up, and the script prints how many are judged right,
defensible and wrong, how many were never judged (`?`), and how many
judged papers keep at least one topic judged right. With two inputs it
also lists the judged topics that one has and the other has not.

The samples were tuning data for the taxonomy, so these figures are a
development check: a change that looks good here still needs a fresh
sample (docs/topics.md, "How well it fits: method").
"""

import argparse
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
BINARY = os.path.join(ROOT, "target", "release", "paperpress")
ROW = re.compile(r"^\| [HD]\d+ \| \[([^\]]+)\]\([^)]*\) \| .*? \| (.*) \| [YN] \|\s*$")
JUDGED = re.compile(r"([^;|*]+?) \*\*([RDW])\*\*")


def judgements(path):
    """{paper id: {topic name: 'R' | 'D' | 'W'}} from the tables of docs/topics.md."""
    judged = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            row = ROW.match(line)
            if row:
                for topic in JUDGED.finditer(row.group(2)):
                    judged.setdefault(row.group(1), {})[topic.group(1).strip()] = topic.group(2)
    return judged


def most_specific(topics_json):
    """{paper id: set of its most specific rule and explicit topic names}."""
    with open(topics_json, encoding="utf-8") as f:
        data = json.load(f)
    parent = {t["slug"]: t["parent"] for t in data["topics"]}
    name = {t["slug"]: t["name"] for t in data["topics"]}
    tagged = {}
    for topic in data["topics"]:
        if topic["kind"] != "automatic":
            for paper in topic["papers"]:
                tagged.setdefault(paper, set()).add(topic["slug"])
    out = {}
    for paper, slugs in tagged.items():
        above = set()
        for slug in slugs:
            up = parent.get(slug)
            while up:
                above.add(up)
                up = parent.get(up)
        out[paper] = {name[s] for s in slugs - above}
    return out


def score(judged, topics):
    counts = {"R": 0, "D": 0, "W": 0, "?": 0}
    with_right = 0
    for paper, verdicts in judged.items():
        given = topics.get(paper, set())
        for topic in given:
            counts[verdicts.get(topic, "?")] += 1
        with_right += any(verdicts.get(t) == "R" for t in given)
    return counts, with_right


def report(label, judged, topics):
    counts, with_right = score(judged, topics)
    known = counts["R"] + counts["D"] + counts["W"]
    print(
        "%s: R %d, D %d, W %d, never judged %d; right %.1f%%, wrong %.1f%% of the judged; "
        "%d of %d papers keep a topic judged right"
        % (
            label,
            counts["R"],
            counts["D"],
            counts["W"],
            counts["?"],
            100 * counts["R"] / max(known, 1),
            100 * counts["W"] / max(known, 1),
            with_right,
            len(judged),
        )
    )


def differences(judged, a, b):
    for paper in sorted(judged):
        gone = a.get(paper, set()) - b.get(paper, set())
        new = b.get(paper, set()) - a.get(paper, set())
        for sign, topics in (("-", gone), ("+", new)):
            for topic in sorted(topics):
                print("  %s %s %s (%s)" % (sign, paper, topic, judged[paper].get(topic, "?")))


def topics_of(binary, root, out):
    with open(out, "w", encoding="utf-8") as f:
        subprocess.run([binary, "topics", "--root", root, "--json"], stdout=f, stderr=subprocess.DEVNULL, check=True)
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--root", help="a site of the Daily Papers archive to run `paperpress topics --json` on")
    parser.add_argument("--other", help="with --root: another paperpress binary, side by side")
    parser.add_argument("--json", action="append", default=[], help="a `topics --json` output (twice to compare)")
    parser.add_argument("--docs", default=os.path.join(ROOT, "docs", "topics.md"))
    parser.add_argument("--work", default="/tmp", help="where the --root outputs go")
    args = parser.parse_args()
    inputs = list(args.json)
    if args.root:
        inputs.append(topics_of(BINARY, args.root, os.path.join(args.work, "topics-this.json")))
        if args.other:
            inputs.insert(0, topics_of(args.other, args.root, os.path.join(args.work, "topics-other.json")))
    if not inputs or len(inputs) > 2:
        parser.error("give --root (with --other) or one or two --json")
    judged = judgements(args.docs)
    if not judged:
        sys.exit("no judged samples found in " + args.docs)
    print("%d papers judged, %d topics" % (len(judged), sum(len(v) for v in judged.values())))
    given = [most_specific(path) for path in inputs]
    for path, topics in zip(inputs, given):
        report(path, judged, topics)
    if len(given) == 2:
        print("judged papers whose topics differ (- only in the first, + only in the second):")
        differences(judged, given[0], given[1])


if __name__ == "__main__":
    main()
