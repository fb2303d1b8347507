"""Pending requests wait on disk, not in memory, even without JOBDIR.

A sitemap hands Scrapy every article URL it lists at once (up to 50,000 a file), and Scrapy's
scheduler keeps them all as Request objects until they are fetched: ~0.7 KB each, so a backfill
of a large site grows by about 70 MB per 100,000 URLs it has yet to fetch. With JOBDIR set Scrapy
already keeps them in its disk queues; this scheduler uses those same queues in a private
temporary folder when no JOBDIR is set, and removes the folder when the crawl closes (a killed
crawl's folder, named after its process id, goes when the next crawl starts). A crawl with JOBDIR
is left to Scrapy as it is (its queue must outlive the crawl, to be resumed), with one addition.

Scrapy writes a job's queue state (which priority queues hold requests, and where each one's
reading stands) only when the crawl closes cleanly, while it writes every request it has seen to
``requests.seen`` as it goes. After a ``kill -9`` the folder holds a dupefilter that knows every
URL and a queue that reads as empty: the same command would end at once, "finished", fetching
nothing more. So a crawl marks its JOBDIR while it runs (``spacecrawl.running``, its process id)
and removes the mark once Scrapy has saved its state; a JOBDIR still marked by a process that is
gone was left by a killed crawl, and its half-written request state is set aside: the crawl starts
over from the site's feeds and sitemaps, where the store and the incremental middleware skip what
was already stored, as a crawl without JOBDIR does.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from pathlib import Path

from scrapy.core.scheduler import Scheduler
from scrapy.crawler import Crawler
from scrapy.utils.job import job_dir
from twisted.internet.defer import Deferred

logger = logging.getLogger(__name__)

SPILL_PREFIX = "spacecrawl-queue-"
RUNNING_MARK = "spacecrawl.running"
# What Scrapy keeps of a job's requests in JOBDIR: its dupefilter's and its scheduler's.
REQUEST_STATE = ("requests.seen", "requests.queue")


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


def forget_killed_job(jobdir: Path) -> None:
    """Set aside the request state a killed crawl left in ``jobdir``, and mark it as in use."""
    mark = jobdir / RUNNING_MARK
    owner = mark.read_text(encoding="utf-8").strip() if mark.exists() else ""
    if owner.isdigit() and int(owner) != os.getpid() and not is_running(int(owner)):
        logger.warning("JOBDIR %s: the crawl that used it last (process %s) did not stop cleanly, so Scrapy's "
                       "saved queue is incomplete; starting over from the site's feeds and sitemaps, skipping "
                       "articles already stored", jobdir, owner)
        for name in REQUEST_STATE:
            path = jobdir / name
            shutil.rmtree(path) if path.is_dir() else path.unlink(missing_ok=True)
    jobdir.mkdir(parents=True, exist_ok=True)
    mark.write_text(str(os.getpid()), encoding="utf-8")


class DiskQueueScheduler(Scheduler):
    spill_dir: str | None = None
    running_mark: Path | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DiskQueueScheduler:
        jobdir = job_dir(crawler.settings)
        if jobdir:  # before Scrapy's dupefilter reads requests.seen
            forget_killed_job(Path(jobdir))
        scheduler = super().from_crawler(crawler)
        if jobdir:
            scheduler.running_mark = Path(jobdir, RUNNING_MARK)
        if scheduler.dqdir is None:
            remove_orphaned_spill_dirs(Path(tempfile.gettempdir()))
            scheduler.spill_dir = tempfile.mkdtemp(prefix=f"{SPILL_PREFIX}{os.getpid()}-")
            scheduler.dqdir = scheduler._dqdir(scheduler.spill_dir)
        return scheduler

    def close(self, reason: str) -> Deferred[None] | None:
        try:
            return super().close(reason)  # writes the queue's state and closes requests.seen
        finally:
            if self.spill_dir:
                shutil.rmtree(self.spill_dir, ignore_errors=True)
            if self.running_mark:
                self.running_mark.unlink(missing_ok=True)
