#!/usr/bin/env python3
"""Deterministic synthetic corpus: a paperpress site of N papers.

    python3 bench/gen_corpus.py --papers 10000 --out /tmp/site10k
    python3 bench/gen_corpus.py --papers 10000 --format json --days 365 \
        --out /tmp/site10k --hugo /tmp/hugo10k

Writes DIR/site.toml (the example site's taxonomy) and one digest per day
under DIR/content/digests/: plain text (`YYYY-MM-DD.txt`: a day heading like
`Jan 5`, then blank-line-separated title lines and abstract paragraphs) or
Hugging Face Daily Papers API JSON (`YYYY-MM-DD.json`, with arXiv-style ids,
authors and upvotes). With `--hugo DIR`, the same papers also become a Hugo
site (Markdown pages with 1-3 topics, paginated topic and day listings) for
a side-by-side benchmark.

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
import json
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


FIRST_NAMES = "Ada Alan Grace Yuezhou Jiaxin Tuo Maria Wei Sara Omar Lena Ivan Priya Chen Noah Aiko".split()
LAST_NAMES = "Lovelace Turing Hopper Hu Guo Zhao Garcia Zhang Rossi Haddad Novak Petrov Rao Li Smith Sato".split()
HUGO_TOPICS = (
    "Large language models|Machine unlearning|Mixture of experts|In-context learning|Model merging|"
    "Surveys|Efficiency and compression|Retrieval and recommendation|Science applications|Continual learning|"
    "Learning theory|Computer vision|Speech and audio|Reinforcement learning|Graphs and relational data|"
    "Interpretability|Security and privacy|Datasets and benchmarks|Generative models|Optimization"
).split("|")


def example_site_toml():
    """The example site's configuration (its taxonomy), titled for the corpus."""
    path = os.path.join(HERE, "..", "site.toml")
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except OSError:
        text = ""
    return re.sub(r'(?m)^title = ".*"$', 'title = "Synthetic digest"', text, count=1)


def papers_of_day(rng, vocab, zipf, count, day, first_number):
    for i in range(count):
        topic_words = [vocab[zipf.rank(rng, 40)] for _ in range(3 + rng.below(3))]
        authors = [
            "%s %s" % (rng.pick(FIRST_NAMES), rng.pick(LAST_NAMES)) for _ in range(2 + rng.below(7))
        ]
        topics = sorted({rng.pick(HUGO_TOPICS) for _ in range(1 + rng.below(3))})
        yield {
            "id": "%02d%02d.%05d" % (day.year % 100, day.month, first_number + i),
            "title": title(rng, vocab, zipf, topic_words),
            "summary": abstract(rng, vocab, zipf, topic_words),
            "authors": authors,
            "upvotes": rng.below(120),
            "topics": topics,
        }


def write_text_day(out, day, papers):
    blocks = ["Daily Papers", "%s %d" % (MONTHS[day.month - 1], day.day)]
    for p in papers:
        blocks += [p["title"], p["summary"]]
    path = os.path.join(out, "content", "digests", day.isoformat() + ".txt")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n\n".join(blocks) + "\n")


def write_json_day(out, day, papers):
    stamp = day.isoformat() + "T08:00:00.000Z"
    items = [
        {
            "paper": {
                "id": p["id"],
                "title": p["title"],
                "summary": p["summary"],
                "authors": [{"name": a} for a in p["authors"]],
                "publishedAt": stamp,
                "submittedOnDailyAt": stamp,
                "upvotes": p["upvotes"],
            },
            "publishedAt": stamp,
            "title": p["title"],
            "numComments": 0,
        }
        for p in papers
    ]
    path = os.path.join(out, "content", "digests", day.isoformat() + ".json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(items, f, indent=1)


def write_hugo_paper(hugo, day, p):
    def quoted(text):
        return json.dumps(text, ensure_ascii=False)

    front = [
        "+++",
        "title = %s" % quoted(p["title"]),
        "date = %s" % day.isoformat(),
        "authors = [%s]" % ", ".join(quoted(a) for a in p["authors"]),
        "topics = [%s]" % ", ".join(quoted(t) for t in p["topics"]),
        "days = [%s]" % quoted(day.isoformat()),
        "arxiv = %s" % quoted("https://arxiv.org/abs/" + p["id"]),
        "+++",
        "",
        p["summary"],
        "",
    ]
    path = os.path.join(hugo, "content", "papers", p["id"] + ".md")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(front))


def generate(papers, out, seed, per_day, fmt, hugo):
    rng = Rng(seed)
    real = seed_words()
    vocab = real + generated_terms(rng, max(20000, papers * 3))
    zipf = Zipf(len(vocab))
    os.makedirs(os.path.join(out, "content", "digests"), exist_ok=True)
    with open(os.path.join(out, "site.toml"), "w", encoding="utf-8") as f:
        f.write(example_site_toml())
    if hugo:
        os.makedirs(os.path.join(hugo, "content", "papers"), exist_ok=True)
        write_hugo_skeleton(hugo)
    day = datetime.date(2023, 1, 2)
    written = 0
    while written < papers:
        count = min(per_day, papers - written)
        batch = list(papers_of_day(rng, vocab, zipf, count, day, written))
        (write_json_day if fmt == "json" else write_text_day)(out, day, batch)
        if hugo:
            for p in batch:
                write_hugo_paper(hugo, day, p)
        written += count
        day += datetime.timedelta(days=1)


def write_hugo_skeleton(hugo):
    """A Hugo site with the pages a paperpress site has: a page per paper,
    paginated topic and day listings, a home page of the latest papers."""
    files = {
        "hugo.toml": (
            'baseURL = "https://example.org/"\ntitle = "Synthetic digest"\npaginate = 25\n'
            "disableKinds = [\"RSS\", \"sitemap\", \"robotsTXT\"]\n"
            '[taxonomies]\ntopic = "topics"\nday = "days"\n'
        ),
        "layouts/_default/baseof.html": (
            '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title>'
            '<link rel="stylesheet" href="/style.css"></head><body><header><a href="/">Synthetic digest</a> '
            '<a href="/days/">Days</a> <a href="/topics/">Topics</a></header><main>{{ block "main" . }}{{ end }}</main></body></html>\n'
        ),
        "layouts/_default/single.html": (
            '{{ define "main" }}<article><h1>{{ .Title }}</h1><p>{{ delimit .Params.authors ", " }}</p>'
            '<p>{{ range .GetTerms "topics" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</p>'
            '<p><a href="{{ .Params.arxiv }}">arXiv</a></p><h2>Abstract</h2>{{ .Content }}'
            '<nav>{{ with .PrevInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }} '
            '{{ with .NextInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</nav></article>{{ end }}\n'
        ),
        "layouts/_default/list.html": (
            '{{ define "main" }}<h1>{{ .Title }}</h1><ol>{{ range (.Paginate .Pages).Pages }}'
            '<li><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2><p>{{ delimit .Params.authors ", " }}</p>'
            "<p>{{ .Summary }}</p></li>{{ end }}</ol>{{ template \"_internal/pagination.html\" . }}{{ end }}\n"
        ),
        "layouts/_default/terms.html": (
            '{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Data.Terms.Alphabetical }}'
            '<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> {{ .Count }}</li>{{ end }}</ul>{{ end }}\n'
        ),
        "layouts/index.html": (
            '{{ define "main" }}<h1>Latest papers</h1><ol>{{ range first 50 (where .Site.RegularPages "Section" "papers") }}'
            '<li><a href="{{ .RelPermalink }}">{{ .Title }}</a><p>{{ .Summary }}</p></li>{{ end }}</ol>{{ end }}\n'
        ),
        "static/style.css": "body { font-family: sans-serif; max-width: 46rem; margin: auto; }\n",
    }
    for name, text in files.items():
        path = os.path.join(hugo, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--per-day", type=int, default=50, help="papers per digest day")
    parser.add_argument("--days", type=int, help="spread the papers over this many days instead")
    parser.add_argument("--format", choices=["text", "json"], default="text")
    parser.add_argument("--hugo", help="also write the papers as a Hugo site in this folder")
    args = parser.parse_args()
    per_day = -(-args.papers // args.days) if args.days else args.per_day
    generate(args.papers, args.out, args.seed, per_day, args.format, args.hugo)


if __name__ == "__main__":
    main()
