"""StorePipeline on real databases: batches, run records, and no loss when the database is away."""

from __future__ import annotations

import asyncio
import json
import logging
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import nullcontext
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
import pytest
from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler
from sqlalchemy import exc, func, select
from sqlalchemy.engine import make_url

from crawler import settings as project_settings
from crawler.db import open_store
from crawler.db.engine import ensure_schema, make_engine, one_writer_at_a_time
from crawler.db.models import Article as StoredArticle
from crawler.db.models import CrawlRun, Site
from crawler.db.repository import save_site
from crawler.items import Article
from pipelines.store import StorePipeline


class ExampleSpider(Spider):
    name = "example"


def article(n: int, **changes: Any) -> Article:
    values = {
        "url": f"https://news.example/2024/05/story-{n}",
        "site": "example",
        "title": f"Story {n}",
        "body": f"Body of story {n}.",
        "published": datetime(2024, 5, n % 28 + 1, tzinfo=UTC),
        "content_hash": f"hash-{n}",
    }
    return Article(**(values | changes))


def make_pipeline(database_url: str, tmp_path: Path, batch_size: int = 3, enabled: bool = True) -> tuple[StorePipeline, Crawler]:
    crawler = get_crawler(ExampleSpider, {
        **{name: value for name, value in vars(project_settings).items() if name.startswith("SPACECRAWL_")},
        "SPACECRAWL_STORE_FLUSH_SECONDS": 0,  # batches by size only, so a test knows when one is written
        "SPACECRAWL_DATABASE_URL": database_url,
        "SPACECRAWL_STORE_ENABLED": enabled,
        "SPACECRAWL_STORE_BATCH_SIZE": batch_size,
        "SPACECRAWL_UNSAVED_DIR": str(tmp_path / "unsaved"),
    })
    crawler.spider = ExampleSpider.from_crawler(crawler)
    return StorePipeline.from_crawler(crawler), crawler


async def settled(pipeline: StorePipeline) -> None:
    """Wait for the write under way in the store's thread, if there is one."""
    while pipeline.writing is not None:
        await asyncio.wait([pipeline.writing])


async def close(pipeline: StorePipeline, crawler: Crawler) -> None:
    await pipeline.close_spider()
    await pipeline.spider_closed(crawler.spider, reason="finished")


def crawl(pipeline: StorePipeline, crawler: Crawler, items: list[Article]) -> None:
    """What Scrapy does around a crawl's items, in order."""
    async def run() -> None:
        pipeline.open_spider()
        for item in items:
            assert await pipeline.process_item(item) is item
        await close(pipeline, crawler)
    asyncio.run(run())


def stored_urls(database_url: str) -> set[str]:
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            return set(connection.scalars(select(StoredArticle.url)))
    finally:
        engine.dispose()


def test_switched_off_by_setting(tmp_path: Path) -> None:
    with pytest.raises(NotConfigured):
        make_pipeline("sqlite:///unused.db", tmp_path, enabled=False)


def test_stores_in_batches_and_records_the_run(database_url: str, tmp_path: Path) -> None:
    pipeline, crawler = make_pipeline(database_url, tmp_path, batch_size=3)
    items = [article(n) for n in range(1, 6)]

    async def run() -> None:
        pipeline.open_spider()
        await settled(pipeline)
        for item in items[:3]:
            await pipeline.process_item(item)
        await settled(pipeline)
        await pipeline.process_item(items[3])
        assert stored_urls(database_url) == {i.url for i in items[:3]}  # one full batch written
        await pipeline.process_item(items[4])
        crawler.stats.set_value("response_received_count", 9)
        crawler.stats.inc_value("spacecrawl/dropped/body_too_short", 2)
        await close(pipeline, crawler)
    asyncio.run(run())

    assert stored_urls(database_url) == {i.url for i in items}
    assert crawler.stats.get_value("spacecrawl/articles/new") == 5
    engine = make_engine(database_url)
    with engine.connect() as connection:
        run = connection.execute(select(CrawlRun)).one()
    engine.dispose()
    assert (run.site, run.status) == ("example", "finished")
    assert run.finished_at is not None and run.finished_at >= run.started_at
    assert run.stats["pages"] == 9 and run.stats["new"] == 5
    assert run.stats["dropped"] == {"body_too_short": 2}


def test_recrawl_counts_unchanged_and_updated(database_url: str, tmp_path: Path) -> None:
    crawl(*make_pipeline(database_url, tmp_path), [article(n) for n in range(1, 5)])
    pipeline, crawler = make_pipeline(database_url, tmp_path)
    crawl(pipeline, crawler, [article(1, body="Corrected.", content_hash="hash-1b"), *(article(n) for n in range(2, 5))])
    stats = crawler.stats.get_stats()
    assert (stats["spacecrawl/articles/new"], stats["spacecrawl/articles/updated"],
            stats["spacecrawl/articles/unchanged"]) == (0, 1, 3)
    engine = make_engine(database_url)
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(StoredArticle)) == 4
    engine.dispose()


def read_unsaved(tmp_path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for path in (tmp_path / "unsaved").glob("unsaved-example-*.jsonl")
            for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(params=["sqlite", "postgresql"])
def database_coming_back(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, Callable[[], None]]]:
    """A database URL that cannot be opened yet, and a function that makes it openable:
    SQLite under a path blocked by a file; PostgreSQL naming a database not created yet."""
    if request.param == "sqlite":
        blocker = tmp_path / "blocked"
        blocker.write_text("a file where the database folder should be")
        yield f"sqlite:///{blocker}/spacecrawl.db", blocker.unlink
        return
    request.getfixturevalue("postgres_reachable")
    server = make_url(request.getfixturevalue("test_postgres_url"))
    name = f"spacecrawl_later_{uuid.uuid4().hex[:8]}"
    admin_dsn = server.set(drivername="postgresql").render_as_string(hide_password=False)

    def create() -> None:
        with psycopg.connect(admin_dsn, autocommit=True) as admin:
            admin.execute(f"CREATE DATABASE {name}")

    yield server.set(database=name).render_as_string(hide_password=False), create
    with psycopg.connect(admin_dsn, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def test_database_down_all_crawl_keeps_every_article(database_coming_back, tmp_path: Path,
                                                      caplog: pytest.LogCaptureFixture) -> None:
    url, _ = database_coming_back
    items = [article(n) for n in range(1, 8)]
    pipeline, crawler = make_pipeline(url, tmp_path, batch_size=3)
    with caplog.at_level(logging.ERROR):
        crawl(pipeline, crawler, items)
    assert [r["url"] for r in read_unsaved(tmp_path)] == [i.url for i in items]
    assert read_unsaved(tmp_path)[0]["published"] == items[0].published.isoformat()
    assert crawler.stats.get_value("spacecrawl/articles/unsaved") == len(items)
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert any("cannot open" in e for e in errors)
    assert any("7 articles could not be stored" in e and "unsaved-example-" in e for e in errors)
    assert all("\n" not in e for e in errors)


def test_database_back_before_close_gets_every_article(database_coming_back, tmp_path: Path) -> None:
    url, make_available = database_coming_back
    items = [article(n) for n in range(1, 8)]
    pipeline, crawler = make_pipeline(url, tmp_path, batch_size=3)

    async def run() -> None:
        pipeline.open_spider()
        for item in items[:4]:
            await pipeline.process_item(item)
        await settled(pipeline)  # the first batch fails and is kept
        assert len(pipeline.pending) == 4
        make_available()
        for item in items[4:]:
            await pipeline.process_item(item)
        await close(pipeline, crawler)
    asyncio.run(run())
    assert stored_urls(url) == {i.url for i in items}
    assert read_unsaved(tmp_path) == []
    assert crawler.stats.get_value("spacecrawl/articles/new") == len(items)


def test_a_refused_record_is_set_aside_and_the_rest_stored(database_url: str, tmp_path: Path) -> None:
    items = [article(1), article(2, published="the day before yesterday"), article(3)]
    pipeline, crawler = make_pipeline(database_url, tmp_path, batch_size=10)
    crawl(pipeline, crawler, items)
    assert stored_urls(database_url) == {items[0].url, items[2].url}
    assert [r["url"] for r in read_unsaved(tmp_path)] == [items[1].url]


def test_a_body_too_varied_for_a_postgresql_search_vector_is_stored_and_found(database_url: str, tmp_path: Path) -> None:
    # 99,000 different made-up words: a tsvector of all of them would pass PostgreSQL's 1 MB limit
    words = [f"w{n:05d}" + "abcdefghij"[n % 10] * (n % 7) for n in range(99_000)]
    items = [article(1), article(2, body=" ".join(words)), article(3)]
    pipeline, crawler = make_pipeline(database_url, tmp_path, batch_size=10)
    crawl(pipeline, crawler, items)
    assert stored_urls(database_url) == {item.url for item in items}
    with open_store(database_url) as store:
        assert [hit.url for hit in store.search(words[5])] == [items[1].url]


@pytest.mark.parametrize("take_turns", [False, True])
def test_writers_in_one_process_take_turns_on_a_sqlite_file(tmp_path: Path, take_turns: bool) -> None:
    """`scrapy crawlall` writes from one thread per site. With SQLite's busy handler cut to 1 ms,
    eight writers holding the file 50 ms each fail unless they take turns (the control, False);
    taking turns, every one writes."""
    url = f"sqlite:///{tmp_path}/store.db"
    engine = make_engine(url)
    ensure_schema(engine)
    start, failures = threading.Barrier(8), []

    def write(n: int) -> None:
        start.wait()
        try:
            with one_writer_at_a_time(url) if take_turns else nullcontext(), engine.begin() as connection:
                connection.exec_driver_sql("PRAGMA busy_timeout=1")
                save_site(connection, f"site{n}", [f"site{n}.example"])
                time.sleep(0.05)
        except exc.OperationalError as error:
            failures.append(error)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with engine.connect() as connection:
        sites = connection.scalar(select(func.count()).select_from(Site))
    engine.dispose()
    if take_turns:
        assert (sites, failures) == (8, [])
    else:
        assert failures and sites == 8 - len(failures), "without turns SQLite's busy handler lets writers fail"
    assert one_writer_at_a_time(f"sqlite:///{tmp_path}/./store.db") is one_writer_at_a_time(url)
    assert isinstance(one_writer_at_a_time("postgresql+psycopg://postgres@127.0.0.1/test"), nullcontext)


@pytest.mark.parametrize("others_served", [True, False])
def test_a_store_closing_behind_other_writers_waits_while_the_database_serves_them(tmp_path: Path,
                                                                                    others_served: bool) -> None:
    """Its close waits up to close_wait_seconds for the database to answer; other writers of this
    process served in turn ahead of it, for 3 s, are an answer (`scrapy crawlall`); one turn held
    for 3 s is none (the control)."""
    url = f"sqlite:///{tmp_path}/store.db"
    pipeline, crawler = make_pipeline(url, tmp_path, batch_size=100)
    pipeline.close_wait_seconds = 1
    turns = one_writer_at_a_time(url)

    def other_writers() -> None:  # 3 s of turns ending every 0.2 s (a queue of writers), or one turn
        with turns.lock:
            for _ in range(15):
                time.sleep(0.2)
                if others_served:
                    turns.last_ended = time.monotonic()

    async def run() -> None:
        pipeline.open_spider()
        await settled(pipeline)
        others = threading.Thread(target=other_writers)
        others.start()
        for n in range(1, 6):
            await pipeline.process_item(article(n))
        await close(pipeline, crawler)
        unsaved.extend((tmp_path / "unsaved").glob("*.jsonl"))
        await asyncio.to_thread(others.join)
        await settled(pipeline)  # the control's write, that close did not wait for

    unsaved: list[Path] = []
    asyncio.run(run())
    if others_served:
        assert stored_urls(url) == {article(n).url for n in range(1, 6)} and not unsaved
    else:
        assert len(unsaved[0].read_text().splitlines()) == 5, "set aside after close_wait_seconds"
