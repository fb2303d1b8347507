"""Extraction in worker processes stores exactly what inline extraction stores."""

from __future__ import annotations

import asyncio
import fcntl
import io
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler
from sqlalchemy import select

from crawler.db.engine import make_engine
from crawler.db.models import Article, CrawlRun
from crawler.extraction import decode_html
from crawler.items import Article as ArticleItem
from crawler.sites.base import Site
from crawler.spiders import extraction_worker, workers
from crawler.spiders.article_page import article_from_page
from crawler.spiders.site import SiteSpider
from crawler.spiders.workers import ExtractionPool
from fakesite import FakeSite, serve
from tests.helpers import FAST, REPO

# Columns that say when, not what: they differ between any two crawls. Links name the article
# stored first (story_id, duplicate_of), and workers change that order: compared as groups.
WHEN_COLUMNS = {"id", "fetched_at", "first_seen", "last_seen", "updated_at", "story_id", "duplicate_of"}


def groups(rows: list[dict]) -> set[frozenset[str]]:
    """Articles sharing a story, or copies with their original, as sets of URLs."""
    by_key: dict[object, set[str]] = {}
    for row in rows:
        by_key.setdefault(("story", row["story_id"] or row["id"]), set()).add(row["url"])
        by_key.setdefault(("copy", row["duplicate_of"] or row["url"]), set()).add(row["url"])
    return {frozenset(urls) for urls in by_key.values()}


@pytest.fixture(scope="module")
def fake_site() -> Iterator[FakeSite]:
    site = FakeSite(articles=24, seed=5, gzip=True)
    with serve(site):
        yield site


def crawl(site: FakeSite, tmp_path: Path, extraction_workers: int) -> tuple[dict[str, dict], dict]:
    """Crawl the fake site into a new SQLite store; its articles by URL (what columns) and run stats."""
    sites_file = tmp_path / f"sites-{extraction_workers}.toml"
    sites_file.write_text(site.sites_toml(name="fakespace"), encoding="utf-8")
    database = tmp_path / f"store-{extraction_workers}.db"
    env = dict(os.environ, SPACECRAWL_SITES_FILE=str(sites_file), SPACECRAWL_DATABASE_URL=f"sqlite:///{database}")
    result = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "fakespace", *FAST, "-s",
         f"SPACECRAWL_EXTRACTION_WORKERS={extraction_workers}", "-s", "STATS_DUMP=True", "-s", "LOG_LEVEL=DEBUG"],  # the stats dump: DEBUG on a terminal
        cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    engine = make_engine(f"sqlite:///{database}")
    with engine.connect() as connection:
        stored = [dict(row._mapping) for row in connection.execute(select(Article.__table__))]
        run = connection.execute(select(CrawlRun)).one()
    engine.dispose()
    rows = {row["url"]: {k: v for k, v in row.items() if k not in WHEN_COLUMNS} for row in stored}
    return rows, {"stats": run.stats, "log": result.stderr, "groups": groups(stored)}


def test_pooled_extraction_stores_the_same_articles_as_inline(fake_site, tmp_path):
    inline, inline_run = crawl(fake_site, tmp_path, extraction_workers=0)
    pooled, pooled_run = crawl(fake_site, tmp_path, extraction_workers=2)

    assert len(inline) == len(fake_site.expected_articles())
    assert pooled.keys() == inline.keys()
    for url, row in inline.items():
        assert pooled[url] == row, url
    assert pooled_run["groups"] == inline_run["groups"]
    assert pooled_run["stats"]["dropped"] == inline_run["stats"]["dropped"]
    # the pool was used in the pooled crawl and not in the inline one
    assert "'spacecrawl/extraction/max_in_flight'" in pooled_run["log"]
    assert "'spacecrawl/extraction/max_in_flight'" not in inline_run["log"]


PAGE = """<html lang="en"><head><title>Probe lands on a comet - Example</title>
<meta property="article:published_time" content="2025-03-04T05:06:07Z"></head>
<body><article><h1>Probe lands on a comet</h1><p>By Ada Lovelace</p>
<p>The probe touched down on the nucleus after a ten-year cruise, the agency said on Tuesday.</p>
<p>Engineers will spend the next weeks checking its instruments before science begins.</p>
</article></body></html>"""
PAGE_URL = "https://example.org/2025/03/04/probe-lands-on-a-comet/"
FETCHED_AT = datetime(2025, 3, 4, 8, 0, tzinfo=UTC)


def test_a_worker_returns_what_inline_extraction_returns_and_the_pool_closes():
    site = Site(name="example", domains=("example.org",), feeds=("https://example.org/feed/",),
                timezone="Europe/Paris", language="en")
    pool = ExtractionPool(workers=1)
    pool.open()
    try:
        pooled = asyncio.run(pool.article(site, PAGE_URL, PAGE.encode(), "utf-8", FETCHED_AT))
    finally:
        pool.close()
    assert pooled == article_from_page(site, PAGE_URL, PAGE, FETCHED_AT)
    assert pooled.title == "Probe lands on a comet" and pooled.site == "example"
    assert 1 not in workers._groups  # shut down with its last user


# A page in cp1252 that its server calls UTF-8 ("café", "naïve" as single bytes), and one whose server
# names its real charset: the worker decodes the bytes it is sent as the crawl process would have.
MISLABELLED = PAGE.replace("ten-year cruise", "ten-year cruise past a café-coloured, naïve comet").encode("cp1252")


@pytest.mark.parametrize("content_type, body", [("text/html; charset=utf-8", MISLABELLED),
                                                ("text/html; charset=windows-1252", MISLABELLED),
                                                ("text/html; charset=utf-8", "Ça marche: ünïcode ✓".join(PAGE.split("Tuesday")).encode())])
def test_a_worker_decodes_a_page_as_scrapy_and_the_crawl_would(content_type, body):
    response = HtmlResponse(PAGE_URL, body=body, headers={"Content-Type": content_type})
    pool = ExtractionPool(workers=1)
    pool.open()
    try:
        pooled = asyncio.run(pool.article(None, PAGE_URL, response.body, response.encoding, FETCHED_AT))
    finally:
        pool.close()
    assert pooled == article_from_page(None, PAGE_URL, decode_html(response.body, content_type), FETCHED_AT)
    assert "\ufffd" not in pooled.body and ("café-coloured" in pooled.body or "ünïcode ✓" in pooled.body)


def test_the_pipe_to_a_worker_holds_what_is_sent_ahead():
    # A page then goes in one write, not one per 64 KB the worker reads.
    pool = ExtractionPool(workers=1)
    pool.open()
    try:
        stdin = workers._groups[1].workers[0].process.stdin
        assert fcntl.fcntl(stdin.fileno(), fcntl.F_GETPIPE_SZ) >= workers.SENT_AHEAD_BYTES
    finally:
        pool.close()


def test_crawls_of_one_process_share_one_pool():
    first, second = ExtractionPool(workers=1), ExtractionPool(workers=1)
    first.open()
    second.open()
    shared = workers._groups[1]
    first.close()
    assert workers._groups[1] is shared  # still used by the second crawl
    second.close()
    assert 1 not in workers._groups


def test_pages_of_a_worker_that_dies_fail_and_later_pages_go_to_a_new_worker():

    async def scenario() -> None:
        pool = ExtractionPool(workers=1)
        pool.open()
        try:
            first = await pool.article(None, PAGE_URL, PAGE.encode(), "utf-8", FETCHED_AT)
            dying = workers._groups[1].workers[0]
            dying.process.send_signal(signal.SIGSTOP)  # it cannot answer before it is killed
            in_flight = asyncio.ensure_future(pool.article(None, PAGE_URL, PAGE.encode(), "utf-8", FETCHED_AT))
            await asyncio.sleep(0)  # the page is sent
            dying.process.kill()
            with pytest.raises(workers.WorkerDied):
                await in_flight
            assert await pool.article(None, PAGE_URL, PAGE.encode(), "utf-8", FETCHED_AT) == first
            assert workers._groups[1].workers[0] is not dying
        finally:
            pool.close()

    asyncio.run(scenario())


def test_a_page_over_the_time_limit_fails_alone_and_its_worker_is_replaced():

    async def scenario() -> None:
        # (The replacement's first short page also imports trafilatura for a second opinion: allow for it.)
        pool = ExtractionPool(workers=1, time_limit=3)
        pool.open()
        try:
            stuck = workers._groups[1].workers[0]
            await stuck.connect()
            while not stuck.ready:  # its clock starts once it has imported extraction
                await asyncio.sleep(0.01)
            # A stopped worker answers nothing, as one held by lxml for minutes does not.
            stuck.process.send_signal(signal.SIGSTOP)
            slow = asyncio.ensure_future(pool.article(None, PAGE_URL, PAGE.encode(), "utf-8", FETCHED_AT))
            behind = asyncio.ensure_future(pool.article(None, PAGE_URL + "?next", PAGE.encode(), "utf-8", FETCHED_AT))
            with pytest.raises(workers.ExtractionTimeout, match="took over 3 s"):
                await slow
            # The page queued behind it went to the replacement, which extracts it.
            assert (await behind).url == article_from_page(None, PAGE_URL + "?next", PAGE, FETCHED_AT).url
            assert workers._groups[1].workers[0] is not stuck and stuck.process.poll() is not None
            assert not workers._groups[1].unstartable
        finally:
            pool.close()

    asyncio.run(scenario())


def test_a_page_cut_short_by_a_dying_crawl_is_the_end_of_input_not_an_error():
    page = (None, PAGE_URL, PAGE.encode(), "utf-8", FETCHED_AT)
    whole = extraction_worker.frame(page)
    assert extraction_worker.read_frame(io.BytesIO(whole[: len(whole) // 2])) is None
    assert extraction_worker.read_frame(io.BytesIO(whole)) == page


def test_pages_are_extracted_inline_when_workers_cannot_start(monkeypatch, caplog):
    monkeypatch.setattr(workers, "WORKER_COMMAND", [sys.executable, "-c", "raise SystemExit(3)"])

    async def scenario() -> list:
        pool = ExtractionPool(workers=2)
        pool.open()
        try:
            return await asyncio.gather(*(pool.article(None, PAGE_URL, PAGE.encode(), "utf-8", FETCHED_AT) for _ in range(5)))
        finally:
            pool.close()

    assert asyncio.run(scenario()) == [article_from_page(None, PAGE_URL, PAGE, FETCHED_AT)] * 5
    assert "worker processes cannot start; extracting inline" in caplog.text


def test_a_worker_imports_extraction_and_not_scrapy():
    # What keeps a worker small: it imports no Scrapy or Twisted, whatever started the crawl.
    probe = "import sys, crawler.spiders.extraction_worker; print(sorted({'scrapy', 'twisted'} & set(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


KILLED_CRAWL = """
import asyncio, sys
from datetime import UTC, datetime
from crawler.spiders import extraction_worker, workers
from crawler.spiders.site import SiteSpider
from crawler.spiders.workers import ExtractionPool
pool = ExtractionPool(workers=1)
pool.open()
asyncio.run(pool.article(None, "https://example.org/a-b-c/", b"<p>x</p>", "utf-8", datetime.now(UTC)))
print(*[worker.process.pid for worker in workers._groups[1].workers], flush=True)
sys.stdin.read()  # killed here, its pool never shut down
"""


@pytest.mark.parametrize("busy", [False, True])
def test_workers_end_when_the_crawl_process_is_killed(busy):
    crawl = subprocess.Popen([sys.executable, "-c", KILLED_CRAWL], cwd=REPO, stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True)
    worker_pids = [int(pid) for pid in crawl.stdout.readline().split()]
    assert len(worker_pids) == 1
    if busy:  # a worker deep in a long page never reads the end of its input: the kernel ends it
        os.kill(worker_pids[0], signal.SIGSTOP)
    crawl.kill()
    crawl.wait()
    for pid in worker_pids:
        for _ in range(100):  # up to 10 s
            if not Path(f"/proc/{pid}").exists() or "State:\tZ" in Path(f"/proc/{pid}/status").read_text():
                break
            time.sleep(0.1)
        else:
            pytest.fail(f"worker {pid} outlived its killed crawl process")


def test_a_page_over_the_extraction_time_limit_is_a_counted_drop_with_one_warning(caplog):
    site = Site(name="example", domains=("example.org",), feeds=("https://example.org/feed/",))
    spider_class = SiteSpider.for_site(site)
    crawler = get_crawler(spider_class)
    spider = spider_class.from_crawler(crawler)

    class TimedOut:
        async def article(self, *_: object) -> ArticleItem:
            raise workers.ExtractionTimeout(f"{PAGE_URL} (431 bytes) took over 30 s to extract")

    spider.extraction = TimedOut()
    response = HtmlResponse(PAGE_URL, body=PAGE.encode(), encoding="utf-8")

    async def parse() -> list:
        return [item async for item in spider.parse_article(response)]

    assert asyncio.run(parse()) == []
    assert crawler.stats.get_value("spacecrawl/dropped/extraction_timeout") == 1
    warnings = [record.getMessage() for record in caplog.records if "extraction_timeout" in record.getMessage()]
    assert warnings == [f"Dropped: extraction_timeout: {PAGE_URL} (431 bytes) took over 30 s to extract; "
                        "its worker was replaced"]
