"""DiskQueueScheduler: pending requests go to Scrapy's disk queues, in a private folder that goes
away with the crawl, unless JOBDIR names one to keep."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from scrapy import Request, Spider
from scrapy.utils.test import get_crawler

from crawler.ops.disk_queue import SPILL_PREFIX, DiskQueueScheduler, remove_orphaned_spill_dirs
from crawler.settings import SCHEDULER


class QueueSpider(Spider):
    name = "queue"

    def parse(self, response):  # noqa: ANN001, ANN201
        return None


def opened_scheduler(**settings: object) -> tuple[DiskQueueScheduler, Spider]:
    # The default, downloader-aware priority queue needs a running engine; the disk queues under
    # it are the same. Real crawls with this scheduler are in test_crawl.py.
    crawler = get_crawler(QueueSpider, settings_dict={"SCHEDULER_PRIORITY_QUEUE": "scrapy.pqueues.ScrapyPriorityQueue",
                                                      **settings})
    crawler.spider = spider = QueueSpider()
    crawler.stats.open_spider()
    scheduler = DiskQueueScheduler.from_crawler(crawler)
    scheduler.open(spider)
    return scheduler, spider


def test_is_the_project_scheduler() -> None:
    assert SCHEDULER == "crawler.ops.disk_queue.DiskQueueScheduler"


def test_without_jobdir_requests_wait_on_disk_in_a_folder_removed_at_close() -> None:
    scheduler, spider = opened_scheduler()
    urls = [f"http://127.0.0.1/article-{n}" for n in range(50)]
    for url in urls:
        assert scheduler.enqueue_request(Request(url, callback=spider.parse))
    folder = Path(scheduler.spill_dir)
    assert folder.is_dir() and any(folder.rglob("*"))
    stats = scheduler.stats.get_stats()
    assert stats["scheduler/enqueued/disk"] == len(urls) and "scheduler/enqueued/memory" not in stats
    popped = {scheduler.next_request().url for _ in urls}
    assert popped == set(urls) and scheduler.next_request() is None
    scheduler.close("finished")
    assert not folder.exists()


def test_jobdir_is_left_to_scrapy_and_kept(tmp_path: Path) -> None:
    scheduler, spider = opened_scheduler(JOBDIR=str(tmp_path))
    assert scheduler.spill_dir is None
    scheduler.enqueue_request(Request("http://127.0.0.1/article", callback=spider.parse))
    scheduler.close("shutdown")
    assert (tmp_path / "requests.queue" / "active.json").is_file()


def test_a_killed_crawls_queue_folder_goes_when_the_next_crawl_starts(tmp_path: Path) -> None:
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    orphaned = tmp_path / f"{SPILL_PREFIX}{ended.stdout.strip()}-abc"
    running = tmp_path / f"{SPILL_PREFIX}{os.getpid()}-def"
    unrelated = tmp_path / "spacecrawl-other"
    for folder in (orphaned, running, unrelated):
        (folder / "requests.queue").mkdir(parents=True)
    remove_orphaned_spill_dirs(tmp_path)
    assert not orphaned.exists() and running.is_dir() and unrelated.is_dir()
