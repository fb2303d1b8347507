"""The dropped pages' memory: a page the pipelines drop (not an article, no title, a duplicate…),
or an article link answered 404 or 410 ("not_found"), is remembered in the store with its reason, its response's validators and the extractor's version,
so the next crawl does not download it again for nothing (crawler/middlewares/incremental.py reads
it back). A remembered page that is stored as an article by a later crawl is forgotten.

In the store, not in this process: several crawlers sharing a store share what was dropped.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.http import Response
from sqlalchemy import Engine

from crawler.db.engine import StoreUnavailable, make_engine, one_writer_at_a_time, reporting_unavailable
from crawler.db.repository import forget_dropped, remember_dropped
from crawler.extraction import EXTRACTOR_VERSION
from crawler.middlewares.incremental import REMEMBERED_DROP, incremental_enabled

logger = logging.getLogger(__name__)

WRITE_BATCH = 500  # pages remembered or forgotten before they are written
GONE = (404, 410)  # statuses of an article link that leads nowhere, remembered as "not_found"


class DroppedPagesMemory:
    def __init__(self, crawler: Crawler) -> None:
        self.database_url: str = crawler.settings.get("SPACECRAWL_DATABASE_URL")
        self.engine: Engine | None = None
        self.dropped: list[dict[str, Any]] = []
        self.stored: list[str] = []  # remembered pages that were articles this time

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DroppedPagesMemory:
        incremental_enabled(crawler)  # the memory serves incremental crawls, and needs the store
        extension = cls(crawler)
        crawler.signals.connect(extension.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(extension.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(extension.response_received, signal=signals.response_received)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def item_dropped(self, item: Any, response: Response | None, exception: Exception, spider: Spider) -> None:
        reason = getattr(exception, "reason", None)  # a pipeline's drop (pipelines.drop) says why
        if reason is not None and response is not None:
            self._remember(response, spider, reason)

    def response_received(self, response: Response, request: Request, spider: Spider) -> None:
        # A link to an article that is not there (a listing's dead link) would be asked for at every run.
        if response.status in GONE and getattr(request.callback, "__name__", None) == "parse_article":
            self._remember(response, spider, "not_found")

    def _remember(self, response: Response, spider: Spider, reason: str) -> None:
        etag, last_modified = response.headers.get(b"ETag"), response.headers.get(b"Last-Modified")
        self.dropped.append({"url": response.url, "site": spider.name, "reason": reason,
                             "etag": etag.decode("latin-1") if etag else None,
                             "last_modified": last_modified.decode("latin-1") if last_modified else None,
                             "extractor_version": EXTRACTOR_VERSION})
        self._write_if_many()

    def item_scraped(self, item: Any, response: Response | None, spider: Spider) -> None:
        if response is not None and response.meta.get(REMEMBERED_DROP):
            self.stored.append(response.url)
            self._write_if_many()

    def spider_closed(self, spider: Spider) -> None:
        self._write()
        if self.engine is not None:
            self.engine.dispose()

    def _write_if_many(self) -> None:
        if len(self.dropped) + len(self.stored) >= WRITE_BATCH:
            self._write()

    def _write(self) -> None:
        if not (self.dropped or self.stored):
            return
        try:
            self.engine = self.engine or make_engine(self.database_url)
            with one_writer_at_a_time(self.database_url), reporting_unavailable(self.database_url), \
                    self.engine.begin() as connection:
                remember_dropped(connection, self.dropped)
                forget_dropped(connection, self.stored)
        except StoreUnavailable as error:
            # Only the memory is lost: the next crawl downloads these pages once more.
            logger.warning("dropped pages: %d not remembered: %s", len(self.dropped), error)
        self.dropped, self.stored = [], []
