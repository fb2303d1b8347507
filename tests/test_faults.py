"""Faults a long crawl meets, each in seconds: a store that stops answering (SQLite locked by
another writer, PostgreSQL behind a frozen connection), a server that sends a page a byte at a
time, an article page larger than an article can be. The long versions (kill -9 at random points
of a 2,000-article crawl, minutes of frozen database) are `python -m benchmarks.faults`."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sqlalchemy.engine import make_url

from crawler.db import open_store
from fakesite import FakeSite, serve
from fakesite.proxy import TcpProxy
from tests.helpers import FAST, REPO, sites_file, stored

# Paced, so that the crawl is still downloading while the store is held; a warning after 1 s.
PACED = ["-s", "CONCURRENT_REQUESTS_PER_DOMAIN=2", "-s", "DOWNLOAD_DELAY=0.05",
         "-s", "SPACECRAWL_STORE_FLUSH_SECONDS=0.2", "-s", "SPACECRAWL_STORE_STALL_SECONDS=1",
         "-s", "SPACECRAWL_STORE_BATCH_SIZE=3", "-s", "SPACECRAWL_STORE_MAX_PENDING=6",
         "-s", "STATS_DUMP=True", "-s", "LOG_LEVEL=DEBUG"]  # the stats dump is DEBUG on a terminal
HELD_SECONDS = 4


def start_crawl(site: FakeSite, tmp_path: Path, database_url: str, *options: str) -> subprocess.Popen[str]:
    env = dict(os.environ, SPACECRAWL_SITES_FILE=str(sites_file(site, tmp_path)), SPACECRAWL_DATABASE_URL=database_url)
    return subprocess.Popen([sys.executable, "-m", "scrapy", "crawl", "fakespace", *FAST, *options], cwd=REPO,
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def article_hits(site: FakeSite) -> int:
    paths = {post.path for post in site.posts}
    return sum(n for path, n in site.hits.items() if path in paths)


def wait_for_hits(site: FakeSite, crawl: subprocess.Popen[str], count: int) -> None:
    deadline = time.monotonic() + 60
    while article_hits(site) < count:
        assert crawl.poll() is None and time.monotonic() < deadline, "the crawl ended too soon"
        time.sleep(0.02)


def check_held_store(site: FakeSite, crawl: subprocess.Popen[str], database_url: str, hits_when_held: int,
                     hits_when_released: int) -> None:
    _, log = crawl.communicate(timeout=120)
    assert crawl.returncode == 0, log[-3000:]
    assert "Traceback" not in log, log[-3000:]
    assert "store: the database has not answered for" in log, log[-3000:]
    assert "store: the database answered after" in log
    assert hits_when_released > hits_when_held, "the crawl went on downloading while the store was held"
    rows, urls = stored(database_url)
    expected = {article.url for article in site.expected_articles()}
    assert urls == expected and rows == len(expected), "nothing lost, nothing twice"
    # Memory stays bounded while the store waits: never more than SPACECRAWL_STORE_MAX_PENDING held.
    assert "'spacecrawl/store/max_pending': " in log
    held = int(log.split("'spacecrawl/store/max_pending': ", 1)[1].split(",", 1)[0].split("}", 1)[0])
    assert 0 < held <= 6


def test_a_sqlite_store_locked_by_another_writer_is_logged_and_the_crawl_goes_on(tmp_path: Path) -> None:
    site = FakeSite(articles=24, seed=7)
    database = tmp_path / "store.db"
    database_url = f"sqlite:///{database}"
    open_store(database_url, create=True).engine.dispose()  # the schema, so that the lock is the only obstacle
    with serve(site):
        crawl = start_crawl(site, tmp_path, database_url, *PACED)
        wait_for_hits(site, crawl, 3)
        other_writer = sqlite3.connect(database, isolation_level=None)
        other_writer.execute("BEGIN IMMEDIATE")  # holds the write lock; readers go on (WAL)
        held_at = article_hits(site)
        time.sleep(HELD_SECONDS)
        released_at = article_hits(site)
        other_writer.execute("ROLLBACK")
        other_writer.close()
        check_held_store(site, crawl, database_url, held_at, released_at)


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_frozen_postgresql_connection_is_logged_and_nothing_is_lost(tmp_path: Path, database_url: str) -> None:
    server = make_url(database_url)
    with TcpProxy(server.host or "127.0.0.1", server.port or 5432) as proxy:
        proxied_url = server.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
        site = FakeSite(articles=24, seed=8)
        open_store(proxied_url, create=True).engine.dispose()  # the schema
        with serve(site):
            crawl = start_crawl(site, tmp_path, proxied_url, *PACED)
            wait_for_hits(site, crawl, 3)
            proxy.freeze()  # the server's answers stop coming: no error, no timeout of the driver's
            held_at = article_hits(site)
            time.sleep(HELD_SECONDS)
            released_at = article_hits(site)
            proxy.thaw()
            check_held_store(site, crawl, proxied_url, held_at, released_at)


class SlowPage(BaseHTTPRequestHandler):
    """A page sent a byte every 0.2 s; robots.txt at once (there is none)."""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass

    def do_GET(self) -> None:
        if self.path == "/robots.txt":
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", "1000")
        self.end_headers()
        try:
            for _ in range(1000):
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(0.2)
        except OSError:  # the crawler hung up, as it should
            pass


def test_a_page_sent_a_byte_at_a_time_is_cut_off_with_a_warning_at_each_attempt(tmp_path: Path) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), SlowPage)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/2024/05/a-slow-article/"
    try:
        result = subprocess.run([sys.executable, "-m", "scrapy", "fetch", url, *FAST, "-s", "DOWNLOAD_TIMEOUT=1",
                                 "-s", "RETRY_TIMES=1"], cwd=REPO, capture_output=True, text=True, timeout=60,
                                env=dict(os.environ, SPACECRAWL_DATABASE_URL=f"sqlite:///{tmp_path / 'store.db'}"))
    finally:
        server.shutdown()
    warnings = [line for line in result.stderr.splitlines() if "Slow server:" in line]
    assert len(warnings) == 2, result.stderr[-3000:]
    assert "attempt 1 of 2: at most 2 s for this URL in all" in warnings[0]
    assert "attempt 2 of 2" in warnings[1] and url in warnings[1]
    assert "Traceback" not in result.stderr


def test_an_article_page_over_the_article_size_limit_is_skipped_and_sitemaps_are_not(tmp_path: Path) -> None:
    site = FakeSite(articles=6, seed=9)  # article pages of ~30 KB, a sitemap and a feed of a few KB
    database_url = f"sqlite:///{tmp_path / 'store.db'}"
    with serve(site):
        crawl = start_crawl(site, tmp_path, database_url, "-s", "SPACECRAWL_ARTICLE_MAXSIZE=20000")
        _, log = crawl.communicate(timeout=120)
    assert crawl.returncode == 0, log[-3000:]
    assert "larger than download max size (20000)" in log, log[-3000:]
    assert stored(database_url)[0] == 0, "no article page was kept"
    assert all(site.full_bodies[urlsplit(url).path] for url in site.sitemap_urls), "the sitemaps were read whole"
