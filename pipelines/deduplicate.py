"""Deduplicate: one article per canonical URL and per content within a crawl.

Sets ``content_hash`` (the store uses it to tell a changed article from an unchanged one) and
drops repeats. What the crawl has seen is a claim: the first page to show a canonical URL owns it,
the first article (by canonical URL) to show a content owns that; a page that is not the owner is
the duplicate, while the owner seen again (a page fetched twice) is not. Only 16-byte digests are
kept: in this process's memory for a crawl of one process (a 100k-page run holds a few MB), in
Redis for a crawl shared by several workers (SPACECRAWL_REDIS_URL, crawler/ops/frontier/), so
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

from crawler.ops.frontier import REDIS_AWAY, display_redis_url, frontier_keys, is_shared, redis_client
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
        self.pages: dict[bytes, bytes] = {}  # canonical URL -> the page that showed it first
        self.articles: dict[bytes, bytes] = {}  # content -> the canonical URL that showed it first

    def repeated(self, url: bytes, page: bytes, content: bytes) -> str | None:
        """Claim ``url`` for ``page`` and ``content`` for ``url``; the reason to drop the article if
        another owns either ("duplicate_url", "duplicate_content"), else None."""
        if self.pages.setdefault(url, page) != page:
            return "duplicate_url"
        return "duplicate_content" if self.articles.setdefault(content, url) != url else None


# Claims.repeated in one round trip to Redis: KEYS = the crawl's urls and contents hashes.
CLAIM = """
redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2])
if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return 'duplicate_url' end
redis.call('HSETNX', KEYS[2], ARGV[3], ARGV[1])
if redis.call('HGET', KEYS[2], ARGV[3]) ~= ARGV[1] then return 'duplicate_content' end
return false
"""


class RedisClaims:
    """The crawl's claims in Redis, shared by its workers and cleared with the crawl's other keys."""

    def __init__(self, server: redis.Redis, keys: list[str], where: str) -> None:
        self.keys, self.where = keys, where
        self.claim = server.register_script(CLAIM)
        self.failing = False

    def repeated(self, url: bytes, page: bytes, content: bytes) -> str | None:
        try:
            reason = self.claim(keys=self.keys, args=[url, page, content])
        except REDIS_AWAY as error:
            # Nothing is lost while Redis is away: repeats go on to the store, whose upserts keep
            # one row per URL (a repeated content under another URL may be stored twice).
            if not self.failing:
                logger.warning("deduplicate: Redis at %s does not answer (%s); articles pass unchecked meanwhile",
                               self.where, str(error).splitlines()[0])
            self.failing = True
            return None
        self.failing = False
        return reason.decode() if isinstance(reason, bytes) else reason


class DeduplicatePipeline:
    def __init__(self, stats: Any, claims: Claims | RedisClaims | None = None) -> None:
        self.stats = stats
        self.claims = claims or Claims()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DeduplicatePipeline:
        settings = crawler.settings
        if not is_shared(settings) or crawler.spider is None:
            return cls(crawler.stats)
        keys = frontier_keys(settings, crawler.spider.name)
        return cls(crawler.stats, RedisClaims(redis_client(settings), [keys.seen("urls"), keys.seen("contents")],
                                              display_redis_url(settings["SPACECRAWL_REDIS_URL"])))

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        url = str(adapter.get("url") or "")
        adapter["content_hash"] = content_hash(adapter.get("title"), adapter.get("body"))
        url_key = digest(url_identity(url))
        content_key = bytes.fromhex(adapter["content_hash"])[:16]
        reason = self.claims.repeated(url_key, digest(str(adapter.get("fetched_url") or url)), content_key)
        if reason == "duplicate_url":
            raise drop(self.stats, reason, url)
        if reason == "duplicate_content":
            raise drop(self.stats, reason, f"{url} repeats an article seen under another URL")
        return item
