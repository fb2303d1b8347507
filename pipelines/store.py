"""Store: the last stage writes articles to the database in batches and records the crawl run.

Nothing is lost when the database is away. A batch that cannot be written stays buffered and is
retried with the next batch and at close (one error line per failed attempt); whatever is still
unwritten at close goes to ``<SPACECRAWL_UNSAVED_DIR>/unsaved-<site>-<start>.jsonl``, one record a
line, and the log says where. A single record the database refuses (a value it cannot take) is set
aside in that file too, while the rest of its batch is stored.

Nor does a database that stops answering stop the crawl. Writes run in a thread of their own, so
downloads and extraction go on while a write waits; a write that has not finished after
``SPACECRAWL_STORE_STALL_SECONDS`` is logged (a frozen PostgreSQL connection, a SQLite file another
writer holds), again while it goes on, and once more when the database answers. While a write
waits, at most ``SPACECRAWL_STORE_MAX_PENDING`` articles are held: past that, the pipeline waits
too, and Scrapy stops downloading (its scraper slot is full), so memory stays bounded. At close the
store waits up to ``SPACECRAWL_STORE_CLOSE_WAIT_SECONDS`` for a write, then sets everything unsaved
aside in the file (upserts make loading a record twice harmless).
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from itemadapter import ItemAdapter
from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from sqlalchemy import Engine, exc

from crawler.db.engine import (StoreUnavailable, WriterTurns, display_url, ensure_schema, make_engine,
                               one_writer_at_a_time, reporting_unavailable)
from crawler.db.repository import (LinkCounts, LinkRules, UpsertCounts, abandon_runs, crawl_parts, finish_run,
                                   save_site, start_run, upsert_and_link, upsert_articles)
from crawler.db.store import link_rules
from crawler.items import STORED_FIELDS, Article, to_record
from crawler.ops.signals import articles_written
from crawler.ops.run_stats import (ARTICLES_PREFIX, CRAWL_ENDED, CRAWL_ID, CRAWL_STARTED, CRAWL_WORKER, STORE_MAX_PENDING,
                                   combined_stats, recorded_stats, run_status)

logger = logging.getLogger(__name__)
# Scrapy stats of the articles linked: copies, originals (stored after a copy), joined (another
# article's story), began (a story): repository.LinkCounts.
STORIES_PREFIX = "spacecrawl/stories/"
T = TypeVar("T")


def in_daemon_thread(function: Callable[..., T], *args: Any) -> asyncio.Future[T]:
    """``function(*args)`` in a new daemon thread, as a future of the event loop. A daemon thread,
    not an executor's: a write stuck on a frozen socket must not keep the process from exiting."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[T] = loop.create_future()

    def settle(outcome: Callable[[Any], None], value: Any) -> None:
        if not future.done():
            outcome(value)

    def run() -> None:
        try:
            result = function(*args)
        except BaseException as error:  # handed to the event loop, which logs or handles it
            loop.call_soon_threadsafe(settle, future.set_exception, error)
        else:
            loop.call_soon_threadsafe(settle, future.set_result, result)

    threading.Thread(target=run, name="spacecrawl-store", daemon=True).start()
    return future


@dataclass
class Written:
    """What one write did: the records it took, their counts, and those refused with the reason."""
    records: list[dict[str, Any]]
    counts: UpsertCounts = field(default_factory=UpsertCounts)
    links: LinkCounts = field(default_factory=LinkCounts)
    refused: list[tuple[dict[str, Any], str]] = field(default_factory=list)


class StorePipeline:
    def __init__(self, crawler: Crawler, database_url: str, batch_size: int, unsaved_dir: Path,
                 flush_seconds: float = 0.0, stall_seconds: float = 20.0, max_pending: int = 2000,
                 close_wait_seconds: float = 60.0, link_rules: LinkRules | None = None) -> None:
        self.crawler = crawler
        # Tagged with the crawler, so its errors count for this crawl only (crawler.ops.extensions.CrawlLogCount).
        self.logger = logging.LoggerAdapter(logger, {"crawler": crawler})
        self.database_url = database_url
        self.batch_size = max(1, batch_size)
        # A batch is also written when this much time passed since the last write (0: batch size only),
        # so a crawl killed with -9 loses little: a restart skips what is stored.
        self.flush_seconds = flush_seconds
        self.flushed_at = time.monotonic()
        self.unsaved_dir = unsaved_dir
        self.engine: Engine | None = None
        self.run_id: int | None = None
        self.started_at = datetime.now(UTC)
        self.pending: list[dict[str, Any]] = []  # records not yet in the database
        self.flush_at = self.batch_size  # buffer length that triggers the next write attempt
        self.last_failure = ""
        self.stall_seconds = stall_seconds
        self.max_pending = max(max_pending, self.batch_size)
        self.close_wait_seconds = close_wait_seconds
        # Copies and stories are linked as articles are written, in the same transaction: the
        # store holds what was written before, of every site and every crawler sharing it.
        self.link_rules = link_rules
        self.writing: asyncio.Future[None] | None = None  # the write in its thread, if one is
        self.write_started = 0.0
        self.stall_warning: asyncio.TimerHandle | None = None
        self.stalled = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        settings = crawler.settings
        if not settings.getbool("SPACECRAWL_STORE_ENABLED"):
            raise NotConfigured("SPACECRAWL_STORE_ENABLED is off")
        pipeline = cls(
            crawler,
            database_url=settings.get("SPACECRAWL_DATABASE_URL"),
            batch_size=settings.getint("SPACECRAWL_STORE_BATCH_SIZE"),
            unsaved_dir=Path(settings["SPACECRAWL_UNSAVED_DIR"]),
            flush_seconds=settings.getfloat("SPACECRAWL_STORE_FLUSH_SECONDS"),
            stall_seconds=settings.getfloat("SPACECRAWL_STORE_STALL_SECONDS"),
            max_pending=settings.getint("SPACECRAWL_STORE_MAX_PENDING"),
            close_wait_seconds=settings.getfloat("SPACECRAWL_STORE_CLOSE_WAIT_SECONDS"),
            link_rules=link_rules(settings.get) if settings.getbool("SPACECRAWL_STORIES") else None,
        )
        # The run is finished on spider_closed, which comes after close_spider and brings the reason.
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        # A crawl with nothing to do writes what it holds (a worker of a shared crawl may wait long).
        crawler.signals.connect(pipeline.flush, signal=signals.spider_idle)
        return pipeline

    @property
    def spider(self) -> Spider:
        assert self.crawler.spider is not None
        return self.crawler.spider

    def open_spider(self) -> None:
        # A worker of a shared crawl: its scheduler, opened first, named the crawl and the worker.
        stats = self.crawler.stats
        self.crawl_id, self.worker = stats.get_value(CRAWL_ID), stats.get_value(CRAWL_WORKER)
        self._start(self._connect)  # in the write thread, so a database that hangs holds nothing up

    async def process_item(self, item: Any) -> Any:
        # A write that waits on the database holds back the items behind it, and so Scrapy's
        # downloads: the articles held in memory stay within max_pending.
        while self.writing is not None and len(self.pending) >= self.max_pending:
            await asyncio.wait([self.writing])  # its outcome is _written's business
        adapter = ItemAdapter(item)
        self.pending.append({name: adapter.get(name) for name in STORED_FIELDS})
        self.crawler.stats.max_value(STORE_MAX_PENDING, len(self.pending))
        if len(self.pending) >= self.flush_at or (
                self.flush_seconds and time.monotonic() - self.flushed_at >= self.flush_seconds):
            self.flush()
        return item

    async def close_spider(self) -> None:
        deadline = time.monotonic() + self.close_wait_seconds
        for _ in range(2):  # the write under way, then one of what came after it
            self.flush()
            if self.writing is None:
                break
            if not await self._answered(self.writing, deadline):
                self.last_failure = f"the database did not answer within {self.close_wait_seconds:g} s"
                break
        if self.pending:
            path = self._set_aside(self.pending)
            self.logger.error("store: %d articles could not be stored (%s); they are in %s — load them with "
                              "crawler.db.open_store(URL).save(records) once the database is back",
                              len(self.pending), self.last_failure, path)
            self.pending = []

    async def spider_closed(self, spider: Spider, reason: str) -> None:
        if self.engine is None:
            return
        if self.writing is not None:  # a write still waits on the database (close_spider said so)
            self.logger.error("store: run %s not marked finished: the database does not answer", self.run_id)
            return
        try:
            if self.run_id is not None:
                stats = self.crawler.stats.get_stats()
                finishing = in_daemon_thread(self._finish_run, run_status(reason, stats), recorded_stats(stats),
                                             stats.get(CRAWL_ENDED) and stats.get(CRAWL_STARTED))
                if not await self._answered(finishing, time.monotonic() + self.close_wait_seconds):
                    self.logger.error("store: run %s not marked finished: the database did not answer within %g s",
                                      self.run_id, self.close_wait_seconds)
                    return
                finishing.result()
        except StoreUnavailable as error:
            self.logger.error("store: run %s not marked finished: %s", self.run_id, error)
        else:
            self.engine.dispose()

    async def _answered(self, write: asyncio.Future[Any], deadline: float) -> bool:
        """Whether ``write`` ended by ``deadline``, a deadline that moves on while the database answers
        this process's other writers to its SQLite file: the write is waiting its turn behind them
        (41 sites crawled in one process), not for a database that stopped answering."""
        turns = one_writer_at_a_time(self.database_url)
        while not write.done():
            await asyncio.wait([write], timeout=max(0.0, deadline - time.monotonic()))
            if write.done() or not isinstance(turns, WriterTurns) \
                    or turns.last_ended + self.close_wait_seconds <= time.monotonic():
                break
            deadline = turns.last_ended + self.close_wait_seconds
        return write.done()

    def flush(self) -> None:
        """Start writing the buffered records, unless a write is under way already."""
        if self.pending and self.writing is None:
            self.flushed_at = time.monotonic()
            self._start(self._write, list(self.pending))

    def _start(self, work: Callable[..., Any], *args: Any) -> None:
        self.writing = in_daemon_thread(work, *args)
        self.write_started = time.monotonic()
        self.stalled = False
        self.stall_warning = asyncio.get_running_loop().call_later(self.stall_seconds, self._warn_stalled)
        self.writing.add_done_callback(self._written)

    def _warn_stalled(self) -> None:
        self.stalled = True
        self.logger.warning("store: the database has not answered for %.0f s (%s); %d articles held, "
                            "the crawl goes on while it waits", time.monotonic() - self.write_started,
                            display_url(self.database_url), len(self.pending))
        self.stall_warning = asyncio.get_running_loop().call_later(4 * self.stall_seconds, self._warn_stalled)

    def _written(self, writing: asyncio.Future[Written | None]) -> None:
        """Back on the event loop: count what was written, keep what was not for the next write."""
        assert self.stall_warning is not None
        self.stall_warning.cancel()
        self.writing = None
        if self.stalled:
            self.logger.warning("store: the database answered after %.0f s", time.monotonic() - self.write_started)
        error = writing.exception()
        if isinstance(error, StoreUnavailable):
            self._failed(error, f"keeping {len(self.pending)} articles to retry with the next batch")
            self.flush_at = len(self.pending) + self.batch_size
            return
        if error is not None:
            raise error
        written = writing.result()
        if written is None:  # the connection made at open
            return
        for record, reason in written.refused:
            path = self._set_aside([record])
            self.logger.error("store: article %s refused by the database (%s); set aside in %s",
                              record.get("url"), reason, path)
        self.flush_at = self.batch_size
        done = {id(record) for record in written.records}
        self.pending = [record for record in self.pending if id(record) not in done]
        for name in ("new", "updated", "unchanged"):
            self.crawler.stats.inc_value(ARTICLES_PREFIX + name, getattr(written.counts, name))
        for name in ("copies", "originals", "joined", "began"):
            self.crawler.stats.inc_value(STORIES_PREFIX + name, getattr(written.links, name))
        self.crawler.signals.send_catch_log(articles_written,
                                            fetched_urls=[record.get("fetched_url") for record in written.records])

    # --- in the write thread -------------------------------------------------------------------

    def _connect(self) -> None:
        """Engine, schema and run record, made once, as soon as the database answers."""
        if self.engine is None:
            self.engine = make_engine(self.database_url)
        if self.run_id is not None:
            return
        ensure_schema(self.engine)
        site = getattr(self.spider, "site", None)
        with reporting_unavailable(self.database_url), self.engine.begin() as connection:
            save_site(connection, self.spider.name, getattr(site, "domains", ()))
            self.run_id = start_run(connection, self.spider.name, self.started_at, getattr(self.spider, "mode", None),
                                    self.crawl_id, self.worker)

    def _write(self, records: list[dict[str, Any]]) -> Written:
        written = Written(records)
        with one_writer_at_a_time(self.database_url):
            self._connect()
            self._upsert(records, written)
        return written

    def _upsert(self, records: list[dict[str, Any]], written: Written) -> None:
        """Write ``records``. If the database refuses one, the batch is written record by record
        and the refused ones are noted, to be set aside."""
        assert self.engine is not None
        try:
            with reporting_unavailable(self.database_url):
                if self.link_rules is None:
                    counts = upsert_articles(self.engine, records)
                else:
                    counts, links = upsert_and_link(self.engine, records, self.link_rules)
                    written.links += links
        except (exc.StatementError, ValueError) as error:
            if len(records) > 1:
                for record in records:
                    self._upsert([record], written)
                return
            written.refused.append((records[0], str(error).splitlines()[0]))
            return
        written.counts += counts

    def _finish_run(self, status: str, stats: dict[str, Any], crawl_started: float | None = None) -> None:
        """Close the run; a worker that ended a shared crawl (``crawl_started``) records the crawl as a whole too."""
        assert self.engine is not None and self.run_id is not None
        with one_writer_at_a_time(self.database_url), reporting_unavailable(self.database_url), \
                self.engine.begin() as connection:
            finish_run(connection, self.run_id, status, stats)
            if crawl_started and self.crawl_id:
                # the crawl's last worker: a part still running belongs to a worker that stopped answering
                abandon_runs(connection, "lost", crawl_id=self.crawl_id)
                whole = combined_stats([part.stats for part in crawl_parts(connection, self.crawl_id)])
                whole["alerts"] = stats.get("alerts", [])  # the whole crawl's check (crawler/ops/health.py)
                run_id = start_run(connection, self.spider.name, datetime.fromtimestamp(crawl_started, UTC),
                                   getattr(self.spider, "mode", None), self.crawl_id)
                finish_run(connection, run_id, status, whole)

    # --- back on the event loop ----------------------------------------------------------------

    def _failed(self, error: StoreUnavailable, consequence: str) -> None:
        self.last_failure = str(error)
        self.logger.error("store: %s; %s", error, consequence)

    def _set_aside(self, records: list[dict[str, Any]]) -> Path:
        path = self.unsaved_dir / f"unsaved-{self.spider.name}-{self.started_at:%Y%m%dT%H%M%SZ}.jsonl"
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as unsaved:
            for record in records:
                unsaved.write(json.dumps(to_record(Article(**record)), ensure_ascii=False) + "\n")
        self.crawler.stats.inc_value(ARTICLES_PREFIX + "unsaved", len(records))
        return path
