"""One crawl shared by several workers through Redis (crawler/ops/frontier/): real `scrapy crawl`
processes, the machine's Redis (keys under a prefix of the test's own, removed afterwards) and
PostgreSQL (a schema of the test's own), a fake site on 127.0.0.1."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from scrapy.exceptions import NotConfigured
from scrapy.settings import Settings
from sqlalchemy import select

from crawler.db.engine import make_engine
from crawler.db.models import CrawlRun
from crawler.items import Article
from crawler.ops.frontier import FrontierKeys, RedisFrontier
from fakesite import FakeSite, serve
from scrapy.exceptions import DropItem
from pipelines.deduplicate import DeduplicatePipeline, RedisClaims
from tests.helpers import FAST, REPO, sites_file, stored

REDIS_URL = os.environ.get("SPACECRAWL_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
DEADLINE_SECONDS = 120
POSTGRES_ONLY = pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)


@pytest.fixture
def redis_prefix() -> Iterator[str]:
    """A key prefix of this test's own; every key under it is removed afterwards."""
    server = redis.Redis.from_url(REDIS_URL)
    try:
        server.ping()
    except redis.ConnectionError as error:
        if os.environ.get("CI"):
            pytest.fail(f"Redis at {REDIS_URL} unreachable: {error}")
        pytest.skip(f"Redis at {REDIS_URL} unreachable: {error}")
    prefix = f"test-scale-out-{uuid.uuid4().hex[:10]}"
    yield prefix
    keys = list(server.scan_iter(f"{prefix}:*"))
    if keys:
        server.delete(*keys)
    server.close()


@pytest.mark.parametrize("values", [{"SPACECRAWL_REDIS_URL": None},
                                    # a debugging command (scrapy fetch, parse, shell) runs without the store
                                    {"SPACECRAWL_REDIS_URL": REDIS_URL, "SPACECRAWL_STORE_ENABLED": False}])
def test_without_a_redis_url_or_a_store_the_frontier_stays_off(values: dict[str, Any]) -> None:
    settings = Settings({"SCHEDULER": "crawler.ops.disk_queue.DiskQueueScheduler", **values})
    with pytest.raises(NotConfigured):
        RedisFrontier().update_settings(settings)
    assert settings["SCHEDULER"] == "crawler.ops.disk_queue.DiskQueueScheduler"


def test_a_redis_url_gives_every_crawl_the_shared_frontier() -> None:
    settings = Settings({"SCHEDULER": "crawler.ops.disk_queue.DiskQueueScheduler",
                         "SPACECRAWL_REDIS_URL": "redis://127.0.0.1:6379/3", "SPACECRAWL_REDIS_KEY_PREFIX": "p"})
    RedisFrontier().update_settings(settings)
    assert settings["SCHEDULER"] == "crawler.ops.frontier.scheduler.SharedScheduler"
    assert settings["DUPEFILTER_CLASS"] == "scrapy_redis.dupefilter.RFPDupeFilter"
    assert settings["REDIS_URL"] == "redis://127.0.0.1:6379/3"
    assert settings["SCHEDULER_QUEUE_KEY"] % {"spider": "nasa"} == "p:nasa:requests"


def article(url: str, body: str, fetched_url: str | None = None) -> Article:
    return Article(url=url, fetched_url=fetched_url or url, title="Relay satellite", body=body)


def test_workers_drop_the_repeats_one_worker_would(redis_prefix: str) -> None:
    keys = FrontierKeys(redis_prefix, "fakespace")
    server = redis.Redis.from_url(REDIS_URL)

    def worker() -> DeduplicatePipeline:
        claims = RedisClaims(server, [keys.seen("urls"), keys.seen("contents")], REDIS_URL)
        return DeduplicatePipeline(stats=_Stats(), claims=claims)

    first, second = worker(), worker()
    first.process_item(article("https://ex.org/a", "one story"))
    with pytest.raises(DropItem):  # the same content under another address, seen by the other worker
        second.process_item(article("https://ex.org/b", "one story"))
    with pytest.raises(DropItem):  # another page declaring the same canonical address
        second.process_item(article("https://ex.org/a", "a page of its own", fetched_url="https://ex.org/a?amp=1"))
    # the page itself again (its request went back to the queue when its worker was killed): kept
    assert second.process_item(article("https://ex.org/a", "one story")).url == "https://ex.org/a"
    assert second.stats.values == {"spacecrawl/dropped/duplicate_content": 1, "spacecrawl/dropped/duplicate_url": 1}


class _Stats:
    def __init__(self) -> None:
        self.values: dict[str, int] = {}

    def inc_value(self, key: str, count: int = 1, start: int = 0) -> None:
        self.values[key] = self.values.get(key, start) + count


@pytest.fixture(autouse=True)
def no_worker_outlives_its_test() -> Iterator[None]:
    yield
    for worker in STARTED:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
    STARTED.clear()


STARTED: list[subprocess.Popen[str]] = []


def start_worker(sites: Path, database_url: str, prefix: str, log: Path, *settings: str) -> subprocess.Popen[str]:
    env = dict(os.environ, SPACECRAWL_SITES_FILE=str(sites), SPACECRAWL_DATABASE_URL=database_url,
               SPACECRAWL_REDIS_URL=REDIS_URL)
    # Extraction inline: two crawls and their extraction processes would be four on a 2-core machine.
    worker = subprocess.Popen([sys.executable, "-m", "scrapy", "crawl", "fakespace", *FAST, "-s", "LOG_LEVEL=INFO",
                               "-s", "SPACECRAWL_EXTRACTION_WORKERS=0",
                               "-s", f"LOG_FILE={log}", "-s", f"SPACECRAWL_REDIS_KEY_PREFIX={prefix}", *settings],
                              cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    STARTED.append(worker)
    return worker


def finish(worker: subprocess.Popen[str], log: Path) -> str:
    _, stderr = worker.communicate(timeout=DEADLINE_SECONDS)
    text = log.read_text(encoding="utf-8")
    assert worker.returncode == 0, stderr[-2000:] + text[-3000:]
    assert "Traceback" not in text, text[-3000:]
    return text


def runs(database_url: str) -> list[Any]:
    engine = make_engine(database_url)
    with engine.connect() as connection:
        rows = list(connection.execute(select(CrawlRun).order_by(CrawlRun.id)))
    engine.dispose()
    return rows


@POSTGRES_ONLY
def test_two_workers_fetch_each_page_once_and_store_what_one_stores(database_url: str, redis_prefix: str,
                                                                    tmp_path: Path) -> None:
    site = FakeSite(articles=2000, seed=3, lazy=True, page_kb=8)
    with serve(site):
        sites = sites_file(site, tmp_path)
        logs = [tmp_path / "worker-1.log", tmp_path / "worker-2.log"]
        workers = [start_worker(sites, database_url, redis_prefix, log) for log in logs]
        texts = [finish(worker, log) for worker, log in zip(workers, logs, strict=True)]
    expected = {post.url for post in site.expected_articles()}
    article_paths = {post.path for post in site.posts}
    fetched = {path: n for path, n in site.full_bodies.items() if path in article_paths}
    assert set(fetched) == article_paths and set(fetched.values()) == {1}, "every article page fetched once"
    rows, urls = stored(database_url)
    assert urls == expected and rows == len(expected), "stored what one crawl stores, each once"
    assert sum("frontier: started crawl" in text for text in texts) == 1, "seeded once"
    parts = [run for run in runs(database_url) if run.worker]
    whole = [run for run in runs(database_url) if not run.worker]
    assert len(parts) == 2 and all(run.stats["new"] > 0 for run in parts), "both workers did part of the work"
    assert len(whole) == 1 and whole[0].crawl_id == parts[0].crawl_id == parts[1].crawl_id
    assert whole[0].status == "finished" and whole[0].stats["new"] == len(expected)
    assert whole[0].stats["pages"] == sum(run.stats["pages"] for run in parts)
    assert not list(redis.Redis.from_url(REDIS_URL).scan_iter(f"{redis_prefix}:*")), "the ended crawl left no keys"


@POSTGRES_ONLY
def test_a_worker_killed_mid_crawl_loses_nothing_and_the_next_crawl_is_incremental(database_url: str, redis_prefix: str, tmp_path: Path) -> None:
    site = FakeSite(articles=300, seed=4, page_kb=8)
    article_paths = {post.path for post in site.posts}
    server = redis.Redis.from_url(REDIS_URL)
    with serve(site):
        sites = sites_file(site, tmp_path)
        logs = [tmp_path / "survivor.log", tmp_path / "killed.log"]
        # The worker to kill starts first, so that it has work in hand however busy the machine is.
        killed, survivor = (start_worker(sites, database_url, redis_prefix, log,
                                         "-s", "SPACECRAWL_REDIS_WORKER_TIMEOUT_SECONDS=4") for log in reversed(logs))
        # Killed while it holds requests: pages being fetched, and articles its store has not written yet.
        leases = f"{redis_prefix}:fakespace:leases:*:{killed.pid}:*"
        deadline = time.monotonic() + DEADLINE_SECONDS
        while sum(server.zcard(key) for key in server.scan_iter(leases)) < 10:
            assert killed.poll() is None and time.monotonic() < deadline, "the worker ended before the kill"
            time.sleep(0.01)
        killed.send_signal(signal.SIGKILL)
        killed.communicate(timeout=DEADLINE_SECONDS)
        text = finish(survivor, logs[0])
        assert "stopped answering; its" in text and "unfinished requests are back in the queue" in text, text[-3000:]
        expected = {post.url for post in site.expected_articles()}
        rows, urls = stored(database_url)
        assert urls == expected and rows == len(expected), "every article stored, once"
        parts = {run.worker.split(":")[1]: run.status for run in runs(database_url) if run.worker}
        assert parts == {str(killed.pid): "lost", str(survivor.pid): "finished"}, parts

        # The crawl ended; the next one starts afresh, and is incremental across its workers.
        bodies_before = sum(n for path, n in site.full_bodies.items() if path in article_paths)
        logs = [tmp_path / "again-1.log", tmp_path / "again-2.log"]
        again = [start_worker(sites, database_url, redis_prefix, log) for log in logs]
        texts = [finish(worker, log) for worker, log in zip(again, logs, strict=True)]
    assert sum("frontier: started crawl" in text for text in texts) == 1
    assert sum(n for path, n in site.full_bodies.items() if path in article_paths) == bodies_before, \
        "no unchanged article downloaded again"
    whole = [run for run in runs(database_url) if run.crawl_id and not run.worker][-1]
    assert whole.stats["new"] == whole.stats["updated"] == 0
    assert whole.stats["unchanged"] + sum(whole.stats["incremental"].values()) >= len(expected)


def test_a_worker_waits_for_redis_to_restart_and_goes_on(tmp_path: Path) -> None:
    """Redis of the test's own (this machine's is shared), restarted mid-crawl with its data kept
    (appendonly, as the README advises)."""
    if shutil.which("redis-server") is None:
        pytest.skip("no redis-server on this machine to restart")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "yes",
               "--appendfsync", "always", "--dir", str(tmp_path)]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    site = FakeSite(articles=40, seed=5, page_kb=8)
    article_paths = {post.path for post in site.posts}
    database_url = f"sqlite:///{tmp_path / 'store.db'}"
    try:
        with serve(site):
            sites = sites_file(site, tmp_path)
            log = tmp_path / "worker.log"
            env_url = f"redis://127.0.0.1:{port}/0"
            _wait_for(lambda: redis.Redis.from_url(env_url).ping())
            worker = start_worker(sites, database_url, "restart", log, "-s", f"SPACECRAWL_REDIS_URL={env_url}",
                                  "-s", "DOWNLOAD_DELAY=0.02", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=2")
            _wait_for(lambda: sum(n for path, n in site.full_bodies.items() if path in article_paths) >= 10)
            server.terminate()  # Redis writes its appendonly file and exits
            server.wait(timeout=30)
            time.sleep(1)
            server = subprocess.Popen(command, stdout=subprocess.DEVNULL)
            text = finish(worker, log)
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert "does not answer" in text and "frontier: Redis answers again" in text, text[-3000:]
    expected = {post.url for post in site.expected_articles()}
    rows, urls = stored(database_url)
    assert urls == expected and rows == len(expected), "every article stored, once"


def test_a_worker_that_cannot_reach_redis_at_start_stops_soon_in_one_line(tmp_path: Path) -> None:
    """A wrong address is not a restart: the start waits SPACECRAWL_REDIS_START_WAIT_SECONDS, not
    the long SPACECRAWL_REDIS_WAIT_SECONDS (set beyond the subprocess's timeout here)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # nothing listens there
    site = FakeSite(articles=5, seed=7)
    database_url = f"sqlite:///{tmp_path / 'store.db'}"
    with serve(site):
        env = dict(os.environ, SPACECRAWL_SITES_FILE=str(sites_file(site, tmp_path)), SPACECRAWL_DATABASE_URL=database_url,
                   SPACECRAWL_REDIS_URL=f"redis://127.0.0.1:{port}/0")
        result = subprocess.run([sys.executable, "-m", "scrapy", "crawl", "fakespace", *FAST,
                                 "-s", "SPACECRAWL_REDIS_WAIT_SECONDS=3600", "-s", "SPACECRAWL_REDIS_START_WAIT_SECONDS=1"],
                                cwd=REPO, env=env, capture_output=True, text=True, timeout=DEADLINE_SECONDS)
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if " ERROR: " in line or " WARNING: " in line]
    assert len(errors) == 1 and errors[0].endswith(
        f"frontier: Redis at redis://127.0.0.1:{port}/0 cannot be reached (Error 111 connecting to 127.0.0.1:{port}. "
        "Connection refused.); nothing was crawled: is SPACECRAWL_REDIS_URL right, is Redis running?"), result.stderr
    assert result.stderr.splitlines()[-1].endswith("— redis_unavailable")
    assert sum(site.full_bodies.values()) == 0 and [run.status for run in runs(database_url)] == ["redis_unavailable"]


def _wait_for(condition: Any) -> None:
    deadline = time.monotonic() + DEADLINE_SECONDS
    while True:
        try:
            if condition():
                return
        except redis.ConnectionError:
            pass
        assert time.monotonic() < deadline
        time.sleep(0.02)
