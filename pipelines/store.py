"""Store: the last stage writes articles to the database in batches and records the crawl run.

Nothing is lost when the database is away. A batch that cannot be written stays buffered and is
retried with the next batch and at close (one error line per failed attempt); whatever is still
unwritten at close goes to ``<SPACECRAWL_UNSAVED_DIR>/unsaved-<site>-<start>.jsonl``, one record a
line, and the log says where. A single record the database refuses (a value it cannot take) is set
aside in that file too, while the rest of its batch is stored.
"""

from __future__ import annotations

import json
import logging
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from itemadapter import ItemAdapter
from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from sqlalchemy import Engine, exc

from crawler.db.engine import StoreUnavailable, ensure_schema, make_engine, reporting_unavailable
from crawler.db.repository import UpsertCounts, finish_run, save_site, start_run, upsert_articles
from crawler.items import STORED_FIELDS, Article, to_record
from crawler.ops.run_stats import ARTICLES_PREFIX, recorded_stats, run_status

logger = logging.getLogger(__name__)

class StorePipeline:
    def __init__(self, crawler: Crawler, database_url: str, batch_size: int, unsaved_dir: Path,
                 flush_seconds: float = 0.0) -> None:
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
        )
        # The run is finished on spider_closed, which comes after close_spider and brings the reason.
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    @property
    def spider(self) -> Spider:
        assert self.crawler.spider is not None
        return self.crawler.spider

    def open_spider(self) -> None:
        try:
            self._connect()
        except StoreUnavailable as error:
            self._failed(error, "articles will be kept and written once it answers")

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        self.pending.append({name: adapter.get(name) for name in STORED_FIELDS})
        if len(self.pending) >= self.flush_at or (
                self.flush_seconds and time.monotonic() - self.flushed_at >= self.flush_seconds):
            self.flush()
        return item

    def close_spider(self) -> None:
        self.flush()
        if self.pending:
            path = self._set_aside(self.pending)
            self.logger.error("store: %d articles could not be stored (%s); they are in %s — load them with "
                              "crawler.db.open_store(URL).save(records) once the database is back",
                              len(self.pending), self.last_failure, path)
            self.pending = []

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self.engine is None:
            return
        try:
            if self.run_id is not None:
                with reporting_unavailable(self.database_url):
                    stats = self.crawler.stats.get_stats()
                    finish_run(self.engine, self.run_id, run_status(reason, stats), recorded_stats(stats))
        except StoreUnavailable as error:
            self.logger.error("store: run %s not marked finished: %s", self.run_id, error)
        finally:
            self.engine.dispose()

    def flush(self) -> None:
        """Write the buffered records; if the database is away, keep them for the next attempt."""
        if not self.pending:
            return
        self.flushed_at = time.monotonic()
        try:
            self._connect()
            self._store(list(self.pending))
            self.flush_at = self.batch_size
        except StoreUnavailable as error:
            self._failed(error, f"keeping {len(self.pending)} articles to retry with the next batch")
            self.flush_at = len(self.pending) + self.batch_size

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
            self.run_id = start_run(connection, self.spider.name, self.started_at, getattr(self.spider, "mode", None))

    def _store(self, records: list[dict[str, Any]]) -> None:
        """Write ``records`` and take them out of ``pending``. If the database refuses one, the
        batch is written record by record and the refused ones are set aside."""
        assert self.engine is not None
        try:
            with reporting_unavailable(self.database_url):
                counts = upsert_articles(self.engine, records)
        except (exc.StatementError, ValueError) as error:
            if len(records) > 1:
                for record in records:
                    self._store([record])
                return
            path = self._set_aside(records)
            self.logger.error("store: article %s refused by the database (%s); set aside in %s",
                              records[0].get("url"), str(error).splitlines()[0], path)
            counts = UpsertCounts()
        written = {id(record) for record in records}
        self.pending = [record for record in self.pending if id(record) not in written]
        for name in ("new", "updated", "unchanged"):
            self.crawler.stats.inc_value(ARTICLES_PREFIX + name, getattr(counts, name))

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
