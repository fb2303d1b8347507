"""A backfill's progress while it runs, and how it ended: every
``SPACECRAWL_BACKFILL_PROGRESS_SECONDS`` a line with the listing pages read, the pages fetched,
the new articles stored and the oldest publication date reached, and one such line at the end
with why its listings stopped (crawler/spiders/backfill.py counts the reasons)."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from itemadapter import ItemAdapter
from scrapy import Spider, signals
from scrapy.crawler import Crawler
from twisted.internet.task import LoopingCall

from crawler.ops.run_stats import ARTICLES_PREFIX, BACKFILL_PREFIX

logger = logging.getLogger(__name__)
STOP_WORDS = {"since": "at since", "known": "among known articles", "cap": "at the cap", "end": "at their end"}


def backfill_text(stats: dict[str, Any]) -> str:
    """A backfill's figures as words, from Scrapy's stats or a run's record (``backfill`` of it)."""
    figures = {key.removeprefix(BACKFILL_PREFIX): value for key, value in stats.items()
               if key.startswith(BACKFILL_PREFIX)} or stats.get("backfill") or {}
    stops = ", ".join(f"{figures[f'stopped/{reason}']} {words}" for reason, words in STOP_WORDS.items()
                      if figures.get(f"stopped/{reason}"))
    # The oldest date is that of the new articles: none when it stored no new article with a date.
    oldest = f"oldest date reached {figures['oldest']}" if figures.get("oldest") else "no new article with a date"
    return f"{figures.get('listing_pages', 0)} listing pages, {oldest}" + (f"; listings stopped: {stops}" if stops else "")


class BackfillProgress:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.interval = crawler.settings.getfloat("SPACECRAWL_BACKFILL_PROGRESS_SECONDS")
        self.oldest: datetime | None = None
        self.task: LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BackfillProgress:
        extension = cls(crawler)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self, spider: Spider) -> None:
        if getattr(spider, "mode", None) == "backfill" and self.interval > 0:
            self.task = LoopingCall(self.report, spider, "going on")
            self.task.start(self.interval, now=False)

    def item_scraped(self, item: Any, spider: Spider) -> None:
        published = ItemAdapter(item).get("published")
        if getattr(spider, "mode", None) == "backfill" and isinstance(published, datetime):
            if self.oldest is None or published < self.oldest:
                self.oldest = published
                self.stats.set_value(BACKFILL_PREFIX + "oldest", f"{published:%Y-%m-%d}")

    def report(self, spider: Spider, state: str) -> None:
        stats = self.stats.get_stats()
        logger.info("backfill of %s %s: %d pages fetched, %d new articles, %s", spider.name, state,
                    stats.get("response_received_count", 0), stats.get(ARTICLES_PREFIX + "new", 0),
                    backfill_text(stats), extra={"spider": spider})

    def spider_closed(self, spider: Spider) -> None:
        if self.task is not None and self.task.running:
            self.task.stop()
        if getattr(spider, "mode", None) == "backfill":
            self.report(spider, "ended")
