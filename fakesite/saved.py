"""Saved real pages served as a local site: copies of each page under distinct addresses, a
sitemap listing them, robots.txt. For crawl benchmarks on pages as heavy as the web's
(100–300 KB of markup and scripts), where the generated pages weigh about 30 KB.

    site = SavedPagesSite.from_manifest(Path("../shared/corpus/cases.jsonl"), copies=5)
    with serve(site) as base_url:
        ...  # crawl base_url + "/sitemap_index.xml"

The pages are read where they lie and held once in memory, whatever the number of copies.
"""

from __future__ import annotations

import gzip
import json
import threading
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from fakesite.layout import NOT_FOUND, Page

if TYPE_CHECKING:
    from fakesite.site import Post

ARTICLE_URL = r"/saved/\d+/[^/]+/"  # the article-URL rule of the [[site]] entry


class SavedPagesSite:
    """What ``fakesite.serve`` needs of a site, for pages saved elsewhere: copy ``n`` of the page
    named ``name`` answers at ``/saved/<n>/<name>/``, with no charset in its Content-Type (its
    markup declares one, or not, as saved). A page in ``gzip_bodies`` goes compressed to a client
    that accepts gzip, as many news sites send them."""

    def __init__(self, pages: dict[str, bytes], copies: int = 1, *, gzip_bodies: dict[str, bytes] | None = None) -> None:
        if not pages or copies < 1:
            raise ValueError("a saved-pages site needs at least one page and one copy")
        self.articles = {name: Page(body, "text/html", gzip_body=(gzip_bodies or {}).get(name))
                         for name, body in pages.items()}
        self.copies = copies
        self.base_url: str | None = None
        self.posts_by_id: dict[int, Post] = {}  # (no WordPress ?p= addresses here)
        self.pages: dict[str, Page] = {NOT_FOUND: Page(b"<html><body>Not found</body></html>", "text/html", 404)}
        self.hits: Counter[str] = Counter()
        self._hits_lock = threading.Lock()

    @classmethod
    def from_manifest(cls, manifest: Path, copies: int = 1, *, gzip_pages: bool = False) -> SavedPagesSite:
        """The pages a corpus manifest lists (JSON lines with ``id`` and ``html``, a path beside it,
        gzip-compressed when it ends in .gz); ``gzip_pages`` as the class's ``gzip``."""
        pages, compressed = {}, {}
        for line in manifest.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            case = json.loads(line)
            name, data = quote(case["id"], safe=""), (manifest.parent / case["html"]).read_bytes()
            zipped = case["html"].endswith(".gz")
            pages[name] = gzip.decompress(data) if zipped else data
            if gzip_pages:
                compressed[name] = data if zipped else gzip.compress(data, mtime=0)
        return cls(pages, copies, gzip_bodies=compressed)

    @property
    def article_paths(self) -> list[str]:
        return [f"/saved/{copy}/{name}/" for copy in range(self.copies) for name in self.articles]

    def url(self, path: str) -> str:
        if self.base_url is None:
            raise RuntimeError("the site has no address yet: use it inside `with serve(site):`")
        return self.base_url + path

    def bind(self, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")
        xml = "application/xml; charset=utf-8"
        locs = "".join(f"<url><loc>{self.base_url}{path}</loc></url>\n" for path in self.article_paths)
        self.pages["/robots.txt"] = Page(f"User-agent: *\nAllow: /\n\nSitemap: {self.base_url}/sitemap_index.xml\n"
                                         .encode(), "text/plain; charset=utf-8")
        self.pages["/sitemap_index.xml"] = Page(
            ('<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
             f"<sitemap><loc>{self.base_url}/sitemap.xml</loc></sitemap></sitemapindex>\n").encode(), xml)
        self.pages["/sitemap.xml"] = Page(
            ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
             f"{locs}</urlset>\n").encode(), xml)

    def page(self, path: str) -> Page | None:
        parts = path.split("/")  # "", "saved", copy, name, ""
        if len(parts) == 5 and parts[1] == "saved" and parts[2].isdigit() and int(parts[2]) < self.copies \
                and not parts[4]:
            return self.articles.get(parts[3])
        return self.pages.get(path)

    def sites_toml(self, name: str = "savedpages") -> str:
        """A [[site]] entry for SPACECRAWL_SITES_FILE pointing at the running site."""
        return (f'[[site]]\nname = "{name}"\ndomains = ["127.0.0.1"]\nsitemaps = ["{self.url("/sitemap_index.xml")}"]\n'
                f"article_url = '{ARTICLE_URL}'\n")

    def count_hit(self, target: str) -> int:
        with self._hits_lock:
            self.hits[target] += 1
            return self.hits[target]

    def count_full_body(self, target: str) -> None:
        pass  # the server reports each full body; only FakeSite's tests ask for the count
