"""Extraction in worker processes, so a crawl uses more than the one core Scrapy runs on.

Extraction is pure CPU on a page's text (about half a crawl's CPU), and the GIL keeps threads from
sharing it; worker processes run the same ``article_from_page`` a crawl and `scrapy extract` run
inline, so what is stored does not depend on where it ran. The crawls of one process share one
pool (`scrapy crawlall` runs every site at once): made when the first spider opens, shut down when
the last closes. Work in flight is bounded by Scrapy itself: a response stays in the scraper until
its callback ends, and the engine stops downloading while those responses exceed
SCRAPER_SLOT_MAX_ACTIVE_SIZE (5 MB by default); the peak is in the stats as
``spacecrawl/extraction/max_in_flight``.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import multiprocessing.connection
import os
import threading
import weakref
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import datetime

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector

from crawler.items import Article
from crawler.sites.base import Site

logger = logging.getLogger(__name__)

# The process's pools by worker count, and how many open crawls use each.
_executors: dict[int, ProcessPoolExecutor] = {}
_users: Counter[int] = Counter()
_started: weakref.WeakSet[ProcessPoolExecutor] = weakref.WeakSet()  # pools that have run a page


def _exit_with_parent() -> None:
    """Runs in each worker: end it when the crawl process ends, however that ends (a killed crawl
    never shuts its pool down, and an idle worker would wait for work forever)."""
    parent = multiprocessing.parent_process()
    if parent is not None:
        sentinel = parent.sentinel
        threading.Thread(target=lambda: (multiprocessing.connection.wait([sentinel]), os._exit(1)),
                         daemon=True, name="exit-with-parent").start()


def _new_executor(workers: int) -> ProcessPoolExecutor:
    # spawn, not fork: the crawl process runs threads (DNS, the store), and a forked child can
    # inherit a lock one of them held.
    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_exit_with_parent)


class ExtractionPool:
    """``article_from_page`` for a crawl: in ``workers`` processes once opened, inline with 0."""

    def __init__(self, workers: int) -> None:
        self.workers = max(0, workers)
        self.stats: StatsCollector | None = None
        self.in_flight = 0
        self.opened = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExtractionPool:
        try:
            workers = crawler.settings.getint("SPACECRAWL_EXTRACTION_WORKERS")
        except ValueError:
            raise ValueError(f"SPACECRAWL_EXTRACTION_WORKERS={crawler.settings.get('SPACECRAWL_EXTRACTION_WORKERS')!r} "
                             "is not a whole number of processes") from None
        if workers and getattr(multiprocessing.current_process(), "_inheriting", False):
            # A worker being started imports the main module again; a script that runs a crawl
            # without the guard would crawl again in every worker.
            raise RuntimeError("a crawl started while an extraction worker was starting: guard the script's "
                               "crawl with `if __name__ == \"__main__\":` (or set SPACECRAWL_EXTRACTION_WORKERS=0)")
        pool = cls(workers)
        crawler.signals.connect(lambda: pool.open(crawler.stats), signal=signals.spider_opened, weak=False)
        crawler.signals.connect(pool.close, signal=signals.spider_closed)
        return pool

    def open(self, stats: StatsCollector | None = None) -> None:
        self.stats = stats
        if self.workers and not self.opened:
            if self.workers not in _executors:
                _executors[self.workers] = _new_executor(self.workers)
            _users[self.workers] += 1
            self.opened = True

    def close(self) -> None:
        if not self.opened:
            return
        self.opened = False
        _users[self.workers] -= 1
        if not _users[self.workers]:
            _executors.pop(self.workers).shutdown(wait=True, cancel_futures=True)

    async def article(self, site: Site | None, url: str, html: str, fetched_at: datetime) -> Article:
        """``article_from_page`` for this page, in a worker when the pool is open."""
        from crawler.spiders.site import article_from_page  # the spider module imports this one

        if not self.opened:
            return article_from_page(site, url, html, fetched_at)
        executor = _executors[self.workers]
        self.in_flight += 1
        if self.stats is not None:
            self.stats.max_value("spacecrawl/extraction/max_in_flight", self.in_flight)
        try:
            article = await asyncio.get_running_loop().run_in_executor(
                executor, article_from_page, site, url, html, fetched_at)
        except BrokenProcessPool:
            if executor not in _started:
                # Workers that never ran a page could not start: typically a script that runs a
                # crawl without `if __name__ == "__main__":`, which spawned workers import again.
                # The crawl goes on inline rather than losing every page.
                if self.opened:
                    logger.error("extraction: worker processes could not start (a script running a crawl "
                                 "needs `if __name__ == \"__main__\":`); extracting inline")
                    self.close()
                return article_from_page(site, url, html, fetched_at)
            # A worker died (killed, or crashed in a C library on some page): the pages in flight
            # fail as callback errors (logged, counted), and later pages get a new pool.
            if _executors.get(self.workers) is executor:
                logger.error("extraction: a worker process died; starting a new pool")
                _executors[self.workers] = _new_executor(self.workers)
                executor.shutdown(wait=False)
            raise
        finally:
            self.in_flight -= 1
        _started.add(executor)
        return article
