"""Deduplicate: one article per canonical URL and per content within a crawl.

Sets ``content_hash`` (the store uses it to tell a changed article from an unchanged one) and
drops repeats. What the crawl has seen is a claim: the first page to show a canonical URL owns it,
the first article (by canonical URL) to show a content owns that; a page that is not the owner is
the duplicate, while the owner seen again (a page fetched twice) is not. Only 16-byte digests are
kept: in this process's memory for a crawl of one process (a 100k-page run holds a few MB), in
Redis for a crawl shared by several workers (SPACECRAWL_REDIS_URL, crawler/ops/frontier.py), so
that N workers drop exactly what one would.
"""

from __future__ import annotations

import hashlib
import logging
import re
import unicodedata
from typing import Any

import redis
from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from w3lib.url import canonicalize_url

from crawler.ops.frontier import REDIS_AWAY, display_redis_url, frontier_keys, redis_client
from pipelines import drop

logger = logging.getLogger(__name__)

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


class Claims:
    """The crawl's claims in this process's memory."""

    def __init__(self) -> None:
        self.owners: dict[str, dict[bytes, bytes]] = {"urls": {}, "contents": {}}

    def owner(self, kind: str, key: bytes, claimant: bytes) -> bytes:
        """Who owns ``key`` among ``kind``: ``claimant`` if no one did before."""
        return self.owners[kind].setdefault(key, claimant)


class RedisClaims:
    """The crawl's claims in Redis, shared by its workers and cleared with the crawl's other keys."""

    def __init__(self, server: redis.Redis, keys: dict[str, str], where: str) -> None:
        self.server, self.keys, self.where = server, keys, where
        self.failing = False

    def owner(self, kind: str, key: bytes, claimant: bytes) -> bytes:
        try:
            _, owner = self.server.pipeline().hsetnx(self.keys[kind], key, claimant).hget(self.keys[kind], key).execute()
        except REDIS_AWAY as error:
            # Nothing is lost while Redis is away: repeats go on to the store, whose upserts keep
            # one row per URL (a repeated content under another URL may be stored twice).
            if not self.failing:
                logger.warning("deduplicate: Redis at %s does not answer (%s); articles pass unchecked meanwhile",
                               self.where, str(error).splitlines()[0])
            self.failing = True
            return claimant
        self.failing = False
        return owner


class DeduplicatePipeline:
    def __init__(self, stats: Any, claims: Claims | RedisClaims | None = None) -> None:
        self.stats = stats
        self.claims = claims or Claims()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DeduplicatePipeline:
        settings = crawler.settings
        if not settings.get("SPACECRAWL_REDIS_URL") or crawler.spider is None:
            return cls(crawler.stats)
        keys = frontier_keys(settings, crawler.spider.name)
        return cls(crawler.stats, RedisClaims(redis_client(settings), {kind: keys.seen(kind) for kind in ("urls", "contents")},
                                              display_redis_url(settings["SPACECRAWL_REDIS_URL"])))

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        url = str(adapter.get("url") or "")
        adapter["content_hash"] = content_hash(adapter.get("title"), adapter.get("body"))
        url_key = digest(url_identity(url))
        page_key = digest(str(adapter.get("fetched_url") or url))
        if self.claims.owner("urls", url_key, page_key) != page_key:
            raise drop(self.stats, "duplicate_url", url)
        content_key = bytes.fromhex(adapter["content_hash"])[:16]
        if self.claims.owner("contents", content_key, url_key) != url_key:
            raise drop(self.stats, "duplicate_content", f"{url} repeats an article seen under another URL")
        return item
