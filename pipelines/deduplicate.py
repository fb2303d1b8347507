"""Deduplicate: one article per canonical URL and per content within a run.

Sets ``content_hash`` (the store uses it to tell a changed article from an unchanged one) and
drops repeats. Only 16-byte digests are remembered, so a 100k-page run holds a few MB.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import Any

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from w3lib.url import canonicalize_url

from pipelines import drop

WHITESPACE = re.compile(r"\s+")


def content_hash(title: str | None, body: str | None) -> str:
    """sha256 hex of title and body, insensitive to case, Unicode form and whitespace, so a page
    served again with other spacing hashes the same."""
    text = f"{title or ''}\n{body or ''}"
    normalized = WHITESPACE.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()
    return hashlib.sha256(normalized.encode("utf-8")).hexdigest()


def digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()


def url_identity(url: str) -> str:
    """The form two addresses of one page share (w3lib's canonical URL); an address w3lib refuses
    (a host with "<", a port "port": extraction keeps such a declared canonical out, but an item may
    come from elsewhere, such as `scrapy extract --url`) is compared as written."""
    try:
        return canonicalize_url(url)
    except ValueError:
        return url


class DeduplicatePipeline:
    def __init__(self, stats: Any) -> None:
        self.stats = stats
        self.seen_urls: set[bytes] = set()
        self.seen_contents: set[bytes] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DeduplicatePipeline:
        return cls(crawler.stats)

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        url = str(adapter.get("url") or "")
        adapter["content_hash"] = content_hash(adapter.get("title"), adapter.get("body"))
        url_key = digest(url_identity(url))
        content_key = bytes.fromhex(adapter["content_hash"])[:16]
        if url_key in self.seen_urls:
            raise drop(self.stats, "duplicate_url", url)
        self.seen_urls.add(url_key)
        if content_key in self.seen_contents:
            raise drop(self.stats, "duplicate_content", f"{url} repeats an article seen under another URL")
        self.seen_contents.add(content_key)
        return item
