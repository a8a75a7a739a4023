#!/usr/bin/env python3
"""Deterministic synthetic corpus: a paperpress site of N papers.

    python3 bench/gen_corpus.py --papers 10000 --out /tmp/site10k

Writes DIR/site.toml and DIR/content/digests/YYYY-MM-DD.txt, one plain-text
digest per day in the format the importer reads (a day heading like `Jan 5`,
then blank-line-separated title lines and abstract paragraphs).

Text follows the statistics that matter to a search index: words are drawn
from a Zipf distribution over a ranked vocabulary (the real words of the
example digest first, then generated technical terms, so the vocabulary
keeps growing with the corpus as real ones do), papers repeat a few topic
words of their own, titles are about 80 characters and abstracts about
1,200. The same arguments always give the same bytes (only
`random.Random(seed).random()` is used).
"""

import argparse
import bisect
import datetime
import itertools
import os
import random
import re

HERE = os.path.dirname(os.path.abspath(__file__))
SEED_TEXT = os.path.join(HERE, "..", "content", "digests", "2025-08-06.txt")

FUNCTION_WORDS = (
    "the of and to in a we for that is on with by as this our an are from be "
    "which can both its their these into than while it at more such between "
    "over through using across without under each when how".split()
)
SYLLABLES = (
    "ba be bi bo da de di do fa fe fi fo ga ge gi go ka ke ki ko la le li lo "
    "ma me mi mo na ne ni no pa pe pi po ra re ri ro sa se si so ta te ti to "
    "va ve vi vo za ze zi zo tra tri pro pre str con ver ment tion ing al ex"
).split()
TITLE_PATTERNS = [
    "{A}: {b} {c} for {d} {e}",
    "{A} {b}: Towards {c} {d} with {e}",
    "{A}: A {b} {c} Benchmark for {d} {e}",
    "Scaling {a} {b} via {c} {d}",
    "{A} {b} Is All You Need for {c} {d}",
    "Learning {a} {b} from {c} {d} and {e}",
    "{A}-{B}: {c} {d} for {e} {f}",
    "On the {a} of {b} {c} in {d} {e}",
]
MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


class Rng:
    def __init__(self, seed):
        self.r = random.Random(seed)

    def unit(self):
        return self.r.random()

    def below(self, n):
        return min(int(self.unit() * n), n - 1)

    def pick(self, items):
        return items[self.below(len(items))]


def seed_words():
    """Content words of the example digest, most frequent first."""
    counts = {}
    try:
        with open(SEED_TEXT, encoding="utf-8") as f:
            text = f.read()
    except OSError:
        text = ""
    for word in re.findall(r"[A-Za-z][A-Za-z\-]{2,}", text):
        w = word.lower().strip("-")
        if w and w not in FUNCTION_WORDS:
            counts[w] = counts.get(w, 0) + 1
    return [w for w, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def generated_terms(rng, count):
    """Technical-looking terms: pseudo-words, model names, acronyms."""
    terms, seen = [], set()
    while len(terms) < count:
        kind = rng.unit()
        word = "".join(rng.pick(SYLLABLES) for _ in range(2 + rng.below(3)))
        if kind < 0.08:
            word = word[:1].upper() + word[1:] + rng.pick(["", "-7B", "2", "-XL", "Net", "GPT"])
        elif kind < 0.12:
            word = "".join(rng.pick("ABCDEFGHIKLMNPRSTVX") for _ in range(2 + rng.below(3)))
        elif kind < 0.15:
            word = word + "-" + rng.pick(SYLLABLES) + rng.pick(SYLLABLES)
        if word.lower() not in seen:
            seen.add(word.lower())
            terms.append(word)
    return terms


class Zipf:
    def __init__(self, size, exponent=1.0, offset=2.7):
        weights = [1.0 / (r + offset) ** exponent for r in range(size)]
        self.cumulative = list(itertools.accumulate(weights))

    def rank(self, rng, low=0):
        total = self.cumulative[-1]
        base = self.cumulative[low - 1] if low else 0.0
        return bisect.bisect_left(self.cumulative, base + rng.unit() * (total - base))


def sentence(rng, vocab, zipf, topic_words, length):
    words = []
    for _ in range(length):
        u = rng.unit()
        if u < 0.42:
            words.append(rng.pick(FUNCTION_WORDS))
        elif u < 0.52 and topic_words:
            words.append(rng.pick(topic_words))
        else:
            words.append(vocab[zipf.rank(rng)])
    text = " ".join(words)
    return text[:1].upper() + text[1:] + rng.pick([".", ".", ".", "; ", ", achieving 12.5%."]).rstrip() + ""


def abstract(rng, vocab, zipf, topic_words):
    target = 900 + rng.below(700)
    parts = []
    while sum(len(p) + 1 for p in parts) < target:
        parts.append(sentence(rng, vocab, zipf, topic_words, 10 + rng.below(16)))
    if rng.unit() < 0.15:
        parts.append("Code is available at https://github.com/example/%s." % topic_words[0].lower())
    return " ".join(parts)


def title(rng, vocab, zipf, topic_words):
    while True:
        slots = {}
        for key in "abcdef":
            w = rng.pick(topic_words) if rng.unit() < 0.4 else vocab[zipf.rank(rng, 30)]
            slots[key] = w
            slots[key.upper()] = w[:1].upper() + w[1:]
        text = rng.pick(TITLE_PATTERNS).format(**slots)
        text = " ".join(w if w.islower() is False else w.capitalize() if len(w) > 3 else w for w in text.split())
        if 50 <= len(text) <= 120:
            return text


def generate(papers, out, seed, per_day):
    rng = Rng(seed)
    real = seed_words()
    vocab = real + generated_terms(rng, max(20000, papers * 3))
    zipf = Zipf(len(vocab))
    os.makedirs(os.path.join(out, "content", "digests"), exist_ok=True)
    with open(os.path.join(out, "site.toml"), "w", encoding="utf-8") as f:
        f.write('title = "Synthetic digest"\ndescription = "%d generated papers."\n' % papers)
    day = datetime.date(2023, 1, 2)
    written = 0
    while written < papers:
        count = min(per_day, papers - written)
        blocks = ["Daily Papers", "%s %d" % (MONTHS[day.month - 1], day.day)]
        for _ in range(count):
            topic_words = [vocab[zipf.rank(rng, 40)] for _ in range(3 + rng.below(3))]
            blocks.append(title(rng, vocab, zipf, topic_words))
            blocks.append(abstract(rng, vocab, zipf, topic_words))
        path = os.path.join(out, "content", "digests", day.isoformat() + ".txt")
        with open(path, "w", encoding="utf-8") as f:
            f.write("\n\n".join(blocks) + "\n")
        written += count
        day += datetime.timedelta(days=1)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--per-day", type=int, default=50)
    args = parser.parse_args()
    generate(args.papers, args.out, args.seed, args.per_day)


if __name__ == "__main__":
    main()
