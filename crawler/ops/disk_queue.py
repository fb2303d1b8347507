"""Pending requests wait on disk, not in memory, even without JOBDIR.

A sitemap hands Scrapy every article URL it lists at once (up to 50,000 a file), and Scrapy's
scheduler keeps them all as Request objects until they are fetched: ~0.7 KB each, so a backfill
of a large site grows by about 70 MB per 100,000 URLs it has yet to fetch. With JOBDIR set Scrapy
already keeps them in its disk queues; this scheduler uses those same queues in a private
temporary folder when no JOBDIR is set, and removes the folder when the crawl closes (a killed
crawl's folder, named after its process id, goes when the next crawl starts). A crawl with JOBDIR
is left to Scrapy as it is (its queue must outlive the crawl, to be resumed).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from scrapy.core.scheduler import Scheduler
from scrapy.crawler import Crawler
from twisted.internet.defer import Deferred

SPILL_PREFIX = "spacecrawl-queue-"


def is_running(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:  # it does, as another user's
        pass
    return True


def remove_orphaned_spill_dirs(parent: Path) -> None:
    """Queue folders of crawls whose process is gone (killed before it could clean up)."""
    for folder in parent.glob(f"{SPILL_PREFIX}*-*"):
        pid = folder.name.removeprefix(SPILL_PREFIX).split("-", 1)[0]
        if pid.isdigit() and not is_running(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


class DiskQueueScheduler(Scheduler):
    spill_dir: str | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DiskQueueScheduler:
        scheduler = super().from_crawler(crawler)
        if scheduler.dqdir is None:
            remove_orphaned_spill_dirs(Path(tempfile.gettempdir()))
            scheduler.spill_dir = tempfile.mkdtemp(prefix=f"{SPILL_PREFIX}{os.getpid()}-")
            scheduler.dqdir = scheduler._dqdir(scheduler.spill_dir)
        return scheduler

    def close(self, reason: str) -> Deferred[None] | None:
        try:
            return super().close(reason)
        finally:
            if self.spill_dir:
                shutil.rmtree(self.spill_dir, ignore_errors=True)
