"""The feeds of built sites, read by a real feed parser (feedparser), as a
feed reader would: found from the pages' autodiscovery links, well formed,
and listing the papers the pages list, with absolute links that lead to them.

    PAPERPRESS_SITES='[{"dir": ".../public", "base_url": "https://..."}]' \
        .venv/bin/python -m unittest -v feeds

Run by feeds.test.js, which builds the sites.
"""

import json
import os
import unittest
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import feedparser

FEED_LIMIT = 50  # [feed] limit's default in site.toml
TOPIC_FEED_LIMIT = 10  # [feed] topic_limit's default
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Node:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent, self.children = tag, dict(attrs), parent, []

    def text(self):
        parts = [c if isinstance(c, str) else c.text() for c in self.children]
        return " ".join("".join(parts).split())

    def walk(self):
        for child in self.children:
            if isinstance(child, Node):
                yield child
                yield from child.walk()

    def find_all(self, tag, cls=None, **attrs):
        for node in self.walk():
            classes = node.attrs.get("class", "").split()
            if node.tag == tag and (cls is None or cls in classes):
                if all(node.attrs.get(k.rstrip("_")) == v for k, v in attrs.items()):
                    yield node

    def find(self, tag, cls=None, **attrs):
        return next(self.find_all(tag, cls, **attrs), None)


class TreeBuilder(HTMLParser):
    """A small DOM of the site's own pages (well formed: vnu checks them)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = self.current = Node("#document", {}, None)

    def handle_starttag(self, tag, attrs):
        node = Node(tag, attrs, self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_endtag(self, tag):
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


class Site:
    def __init__(self, spec):
        self.dir = Path(spec["dir"])
        self.base = spec["base_url"]
        self.title = self.page("index.html").find("title").text()

    def page(self, rel):
        builder = TreeBuilder()
        builder.feed((self.dir / rel).read_text(encoding="utf-8"))
        return builder.root

    def url(self, rel):
        return self.base + rel

    def local(self, url):
        """The output file an absolute URL of the site names."""
        if not url.startswith(self.base):
            raise AssertionError(f"{url} is not under {self.base}")
        path = self.dir / urlsplit(url).path[len(urlsplit(self.base).path) :]
        if not path.is_file():
            raise AssertionError(f"{url} leads to no file of the site")
        return path.relative_to(self.dir).as_posix()

    def discovered(self, rel):
        """The feed a reader finds on page `rel`: its Atom alternate link, made absolute."""
        links = list(self.page(rel).find_all("link", rel="alternate", type="application/atom+xml"))
        return [(link.attrs.get("title"), urljoin(self.url(rel), link.attrs["href"])) for link in links]

    def papers_listed(self, rel):
        """The paper URLs a list page shows, following its pagination."""
        urls = []
        while rel:
            page = self.page(rel)
            titles = (h2 for ol in page.find_all("ol", "paper-list") for h2 in ol.find_all("h2"))
            for title in titles:
                urls.append(urljoin(self.url(rel), title.find("a").attrs["href"]))
            pagination = page.find("nav", "pagination")
            following = pagination.find("a", rel="next") if pagination else None
            rel = self.local(urljoin(self.url(rel), following.attrs["href"])) if following else None
        return urls

    def topic_tree(self, rel):
        """A topic's page and the pages of every topic under it."""
        pages = [rel]
        children = self.page(rel).find("section", "topic-children")
        for tile in children.find_all("li", "topic-tile") if children else []:
            pages += self.topic_tree(self.local(urljoin(self.url(rel), tile.find("a").attrs["href"])))
        return pages

    def topic_papers(self, rel):
        """The paper URLs of a topic: those its pages list, and those of the
        topics under it (a parent's page lists only the papers in none of them)."""
        return [url for page in self.topic_tree(rel) for url in self.papers_listed(page)]


def sites():
    specs = json.loads(os.environ.get("PAPERPRESS_SITES", "[]"))
    if not specs:
        raise unittest.SkipTest("PAPERPRESS_SITES names no built site")
    return [Site(spec) for spec in specs]


class Feeds(unittest.TestCase):
    def parse(self, site, url):
        feed = feedparser.parse((site.dir / site.local(url)).read_bytes())
        self.assertFalse(feed.bozo, f"{url} is not well formed: {feed.get('bozo_exception')}")
        self.assertEqual(feed.version, "atom10", url)
        return feed

    def assert_entries_lead_to_papers(self, site, feed):
        ids = [e.id for e in feed.entries]
        self.assertEqual(len(ids), len(set(ids)), "entry ids are unique")
        for entry in feed.entries:
            self.assertTrue(urlsplit(entry.id).scheme in ("https", "http"), entry.id)
            rel = site.local(entry.link)
            self.assertTrue(rel.startswith("papers/"), entry.link)
            page_title = site.page(rel).find("title").text()
            self.assertEqual(f"{entry.title} · {site.title}", page_title, "an entry has its paper's title")
            self.assertTrue(entry.summary.strip(), f"{entry.link} has a summary")
            self.assertTrue(entry.updated_parsed, f"{entry.link} has a date")
        dates = [e.updated_parsed for e in feed.entries]
        self.assertEqual(dates, sorted(dates, reverse=True), "newest first")

    def test_the_site_feed_is_found_from_the_home_page_and_lists_recent_papers(self):
        for site in sites():
            with self.subTest(site=site.base):
                [(_, url)] = site.discovered("index.html")
                self.assertEqual(url, site.url("atom.xml"))
                feed = self.parse(site, url)
                self.assertEqual(feed.feed.title, site.title)
                links = {(link.rel, link.href) for link in feed.feed.links}
                self.assertIn(("self", site.url("atom.xml")), links)
                self.assertIn(("alternate", site.url("index.html")), links)
                papers = sorted(p.name for p in (site.dir / "papers").glob("*.html"))
                self.assertEqual(len(feed.entries), min(FEED_LIMIT, len(papers)))
                self.assert_entries_lead_to_papers(site, feed)
                # The papers of the newest day, as its page lists them, come first.
                # The archive's first month is the newest; its last linked day the newest day.
                newest = list(site.page("days/index.html").find("table", "month").find_all("a"))[-1].attrs["href"]
                day = site.papers_listed(site.local(urljoin(site.url("days/index.html"), newest)))
                head = [e.link for e in feed.entries[: len(day)]]
                self.assertEqual(sorted(head), sorted(day[:FEED_LIMIT]))

    def test_every_topic_page_offers_a_feed_of_its_papers(self):
        for site in sites():
            overview = site.page("topics/index.html")
            topics = [a.attrs["href"] for tile in overview.find_all("li", "topic-tile") for a in [tile.find("a")]]
            self.assertGreater(len(topics), 3, f"{site.base} has topics")
            for href in topics:
                rel = site.local(urljoin(site.url("topics/index.html"), href))
                with self.subTest(site=site.base, topic=rel):
                    name = site.page(rel).find("h1").text()
                    feeds = dict(site.discovered(rel))
                    url = feeds[f"{name} · {site.title}"]
                    self.assertEqual(url, site.url(rel.replace(".html", ".xml")))
                    feed = self.parse(site, url)
                    self.assertEqual(feed.feed.title, f"{name} · {site.title}")
                    links = [e.link for e in feed.entries]
                    papers = site.topic_papers(rel)
                    self.assertEqual(len(links), min(TOPIC_FEED_LIMIT, len(set(papers))), f"{rel}: the newest papers")
                    if site.page(rel).find("section", "topic-children") is None:
                        # A topic without children lists its papers as its feed does.
                        self.assertEqual(links, site.papers_listed(rel)[:TOPIC_FEED_LIMIT])
                    else:
                        self.assertEqual(set(links) - set(papers), set(), f"{rel}: every entry is in it or under it")
                    # Each entry is tagged with its topics: this one, or one under it.
                    names = {site.page(page).find("h1").text() for page in site.topic_tree(rel)}
                    for entry in feed.entries:
                        tags = {t.term for t in entry.tags}
                        self.assertTrue(tags & names, f"{entry.link} is tagged {tags}, none of {names}")
                    self.assert_entries_lead_to_papers(site, feed)

    def test_entries_name_the_papers_authors(self):
        named = 0
        for site in sites():
            feed = self.parse(site, site.url("atom.xml"))
            for entry in feed.entries:
                authors = site.page(site.local(entry.link)).find("p", "paper-authors")
                names = [a.name for a in entry.get("authors", [])]
                self.assertEqual(", ".join(names), authors.text() if authors else "", entry.link)
                named += bool(names)
        self.assertGreater(named, 0, "some papers have authors (the API day)")


if __name__ == "__main__":
    unittest.main()
