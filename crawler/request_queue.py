"""Pending requests wait on disk, not in memory, even without JOBDIR.

A sitemap hands Scrapy every article URL it lists at once (up to 50,000 a file), and Scrapy's
scheduler keeps them all as Request objects until they are fetched: ~0.7 KB each, so a backfill
of a large site grows by about 70 MB per 100,000 URLs it has yet to fetch. With JOBDIR set Scrapy
already keeps them in its disk queues; this scheduler uses those same queues in a private
temporary folder when no JOBDIR is set, and removes the folder when the crawl closes. A crawl
with JOBDIR is left to Scrapy as it is (its queue must outlive the crawl, to be resumed).
"""

from __future__ import annotations

import shutil
import tempfile

from scrapy.core.scheduler import Scheduler
from scrapy.crawler import Crawler
from twisted.internet.defer import Deferred


class DiskQueueScheduler(Scheduler):
    spill_dir: str | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DiskQueueScheduler:
        scheduler = super().from_crawler(crawler)
        if scheduler.dqdir is None:
            scheduler.spill_dir = tempfile.mkdtemp(prefix="spacecrawl-queue-")
            scheduler.dqdir = scheduler._dqdir(scheduler.spill_dir)
        return scheduler

    def close(self, reason: str) -> Deferred[None] | None:
        try:
            return super().close(reason)
        finally:
            if self.spill_dir:
                shutil.rmtree(self.spill_dir, ignore_errors=True)
