#!/usr/bin/env python3
"""Checks a built site on disk: every internal link and fragment resolves, every feed parses
with feedparser, every sitemap <loc> maps to a file, every JSON-LD block parses, its NewsArticle has the
fields search engines need, and each ClaimReview has Google's required properties and
points at a claim on its page (one review per claim).

usage: check_site.py OUTPUT_DIR BASE_URL
"""

import json
import os
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from urllib.parse import unquote, urljoin, urlsplit

import feedparser

LINK_ATTRS = {"href", "src"}
NEWS_FIELDS = ("headline", "datePublished", "dateModified", "author", "publisher")


class Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids = set()
        self.links = []
        self.jsonld = []
        self._in_jsonld = False
        self._buf = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "a" and "name" in attrs:
            self.ids.add(attrs["name"])
        for name in LINK_ATTRS:
            if attrs.get(name) is not None:
                self.links.append(attrs[name])
        if tag == "script" and attrs.get("type") == "application/ld+json":
            self._in_jsonld = True
            self._buf = []

    def handle_endtag(self, tag):
        if tag == "script" and self._in_jsonld:
            self.jsonld.append("".join(self._buf))
            self._in_jsonld = False

    def handle_data(self, data):
        if self._in_jsonld:
            self._buf.append(data)


class Site:
    def __init__(self, root, base_url):
        self.root = os.path.abspath(root)
        self.base = base_url if base_url.endswith("/") else base_url + "/"
        self.base_path = urlsplit(self.base).path
        self.pages = {}
        self.errors = []
        self.counts = {"pages": 0, "links": 0, "fragments": 0, "feeds": 0, "entries": 0,
                       "sitemap_locs": 0, "jsonld": 0, "news_articles": 0, "claim_reviews": 0}

    def error(self, where, message):
        self.errors.append(f"{where}: {message}")

    def page(self, rel):
        if rel not in self.pages:
            parser = Page()
            with open(os.path.join(self.root, rel), encoding="utf-8") as f:
                parser.feed(f.read())
            self.pages[rel] = parser
        return self.pages[rel]

    def file_for(self, site_url_path):
        """The output file a site URL path (below the base path) is served from, or None."""
        rel = unquote(site_url_path).lstrip("/")
        candidates = [rel + "index.html"] if rel.endswith("/") or rel == "" else [rel, rel + "/index.html"]
        for c in candidates:
            full = os.path.normpath(os.path.join(self.root, c))
            if not full.startswith(self.root):
                return None
            if os.path.isfile(full):
                return os.path.relpath(full, self.root)
        return None

    def internal(self, absolute):
        """The path below the site's base for a URL of this site, or None for others."""
        parts = urlsplit(absolute)
        base = urlsplit(self.base)
        if (parts.scheme, parts.netloc) != (base.scheme, base.netloc):
            return None
        if not parts.path.startswith(self.base_path):
            return None
        return parts.path[len(self.base_path):]

    def check_link(self, rel, link):
        if link.startswith(("mailto:", "data:", "javascript:", "tel:")):
            return
        # An edition's unsubscribe link: the newsletter service's merge tag.
        if link == "*|UNSUB|*":
            return
        page_url = urljoin(self.base, rel.replace("index.html", "") if rel.endswith("index.html") else rel)
        target = urljoin(page_url, link)
        path = self.internal(target)
        if path is None:
            return
        self.counts["links"] += 1
        fragment = urlsplit(target).fragment
        target_file = self.file_for(path)
        if target_file is None:
            self.error(rel, f"link {link!r} points to {path!r}, which is not in the output")
            return
        if fragment:
            self.counts["fragments"] += 1
            if target_file.endswith(".html") and unquote(fragment) not in self.page(target_file).ids:
                self.error(rel, f"link {link!r}: {target_file} has no id {fragment!r}")

    def check_jsonld(self, rel, text):
        self.counts["jsonld"] += 1
        try:
            data = json.loads(text)
        except json.JSONDecodeError as e:
            self.error(rel, f"JSON-LD does not parse: {e}")
            return
        items = data if isinstance(data, list) else data.get("@graph", [data])
        reviews = 0
        for item in items:
            if item.get("@type") == "NewsArticle":
                self.counts["news_articles"] += 1
                for field in NEWS_FIELDS:
                    if not item.get(field):
                        self.error(rel, f"NewsArticle has no {field}")
            elif item.get("@type") == "ClaimReview":
                reviews += 1
                self.check_claim_review(rel, item)
        # Drafts and scheduled briefings are not built, so every claim box entry is reviewed.
        claims = sum(1 for i in self.page(rel).ids if i.startswith("claim-note-"))
        if reviews != claims:
            self.error(rel, f"{claims} claims but {reviews} ClaimReview items")

    def check_claim_review(self, rel, item):
        """Google's required ClaimReview properties, a rating within its scale, and a url
        that is this page with the id of the claim."""
        self.counts["claim_reviews"] += 1
        rating = item.get("reviewRating") or {}
        for field, value in (("claimReviewed", item.get("claimReviewed")), ("url", item.get("url")),
                             ("datePublished", item.get("datePublished")),
                             ("author.name", (item.get("author") or {}).get("name")),
                             ("reviewRating.alternateName", rating.get("alternateName"))):
            if not value:
                self.error(rel, f"ClaimReview has no {field}")
        value, best, worst = (rating.get(k) for k in ("ratingValue", "bestRating", "worstRating"))
        if not all(isinstance(v, int) for v in (value, best, worst)) or not worst <= value <= best:
            self.error(rel, f"ClaimReview rating {value} is not within {worst}..{best}")
        url = urlsplit(item.get("url") or "")
        page_url = urljoin(self.base, rel.removesuffix("index.html"))
        if url._replace(fragment="").geturl() != page_url or not url.fragment.startswith("claim-"):
            self.error(rel, f"ClaimReview url {item.get('url')!r} is not a claim of {page_url}")
        elif url.fragment not in self.page(rel).ids:
            self.error(rel, f"ClaimReview url {item.get('url')!r}: the page has no such id")
        reviewed = item.get("itemReviewed") or {}
        if reviewed.get("@type") != "Claim":
            self.error(rel, "ClaimReview's itemReviewed is not a Claim")
        speaker = reviewed.get("author")
        if speaker is not None:
            path = self.internal(speaker.get("url", ""))
            if not speaker.get("name") or path is None or self.file_for(path) is None:
                self.error(rel, f"the claim's author {speaker!r} is not a page of the site")

    def check_feed(self, rel):
        self.counts["feeds"] += 1
        with open(os.path.join(self.root, rel), "rb") as f:
            feed = feedparser.parse(f.read())
        if feed.bozo:
            self.error(rel, f"feedparser: {feed.bozo_exception}")
            return
        if feed.version != "atom10":
            self.error(rel, f"feedparser reads it as {feed.version!r}, not Atom 1.0")
        for entry in feed.entries:
            self.counts["entries"] += 1
            for field in ("title", "link", "id", "updated"):
                if not entry.get(field):
                    self.error(rel, f"an entry has no {field}")
            path = self.internal(entry.get("link", ""))
            if path is None or self.file_for(path) is None:
                self.error(rel, f"entry link {entry.get('link')!r} is not a page of the site")

    def check_sitemap(self, rel):
        ns = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
        tree = ET.parse(os.path.join(self.root, rel))
        for loc in tree.getroot().iterfind(".//sm:loc", ns):
            self.counts["sitemap_locs"] += 1
            path = self.internal(loc.text or "")
            if path is None or self.file_for(path) is None:
                self.error(rel, f"<loc> {loc.text!r} maps to no file")

    def run(self):
        for dirpath, _, files in os.walk(self.root):
            for name in files:
                rel = os.path.relpath(os.path.join(dirpath, name), self.root)
                if name.endswith(".html"):
                    self.counts["pages"] += 1
                    page = self.page(rel)
                    for link in page.links:
                        self.check_link(rel, link)
                    for block in page.jsonld:
                        self.check_jsonld(rel, block)
                elif name in ("atom.xml", "editions.xml"):
                    self.check_feed(rel)
                elif name.startswith("sitemap") and name.endswith(".xml"):
                    self.check_sitemap(rel)
        if self.counts["feeds"] == 0 or self.counts["sitemap_locs"] == 0:
            self.error(self.root, "no feed or no sitemap found")
        if self.counts["news_articles"] == 0:
            self.error(self.root, "no NewsArticle JSON-LD found")


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    site = Site(sys.argv[1], sys.argv[2])
    site.run()
    summary = ", ".join(f"{v} {k}" for k, v in site.counts.items())
    print(f"site check of {sys.argv[1]}: {summary}")
    for e in site.errors[:40]:
        print(f"  error: {e}")
    if len(site.errors) > 40:
        print(f"  ... and {len(site.errors) - 40} more")
    print(f"site check: {len(site.errors)} errors")
    return 1 if site.errors else 0


if __name__ == "__main__":
    sys.exit(main())
