"""Resume: a crawl killed at any moment (SIGKILL after a few or many pages, or SIGINT with a
JOBDIR) and started again ends with every article stored exactly once, and the restart does not
fetch again what was already stored."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from crawler.db.engine import make_engine
from crawler.db.models import Article, CrawlRun
from fakesite import FakeSite, serve
from tests.helpers import REPO, scrapy, sites_file

# Slow enough to be stopped half-way; the store writes at least every 0.2 s.
PACED = ["-s", "CONCURRENT_REQUESTS_PER_DOMAIN=2", "-s", "DOWNLOAD_DELAY=0.05", "-s", "SPACECRAWL_STORE_FLUSH_SECONDS=0.2"]
DEADLINE_SECONDS = 120


def stored(database_url: str) -> tuple[int, set[str]]:
    engine = make_engine(database_url)
    with engine.connect() as connection:
        rows, urls = connection.scalar(select(func.count()).select_from(Article)), set(connection.scalars(select(Article.url)))
    engine.dispose()
    return rows, urls


@pytest.mark.parametrize(("stop", "after_pages"), [(signal.SIGKILL, 5), (signal.SIGKILL, 18), (signal.SIGINT, 10)])
def test_killed_crawl_resumes_to_every_article_once(stop, after_pages, tmp_path: Path) -> None:
    site = FakeSite(articles=24, seed=6)
    article_paths = {post.path for post in site.posts}
    database_url = f"sqlite:///{tmp_path / 'store.db'}"
    job = ["-s", f"JOBDIR={tmp_path / 'job'}"] if stop == signal.SIGINT else []
    with serve(site):
        sites = sites_file(site, tmp_path)
        env = dict(os.environ, SPACECRAWL_SITES_FILE=str(sites), SPACECRAWL_DATABASE_URL=database_url)
        crawl = subprocess.Popen([sys.executable, "-m", "scrapy", "crawl", "fakespace", "-s", "LOG_LEVEL=WARNING",
                                  "-s", "AUTOTHROTTLE_ENABLED=False", *PACED, *job], cwd=REPO, env=env,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                                 start_new_session=True)
        deadline = time.monotonic() + DEADLINE_SECONDS
        # The site's own counter says when the crawl is that far in.
        while sum(n for path, n in site.hits.items() if path in article_paths) < after_pages:
            assert crawl.poll() is None, "the crawl ended before it could be stopped"
            assert time.monotonic() < deadline
            time.sleep(0.02)
        # A Ctrl-C in a terminal reaches the crawl's whole process group, its extraction workers too.
        os.killpg(crawl.pid, stop) if stop == signal.SIGINT else crawl.send_signal(stop)
        _, log = crawl.communicate(timeout=DEADLINE_SECONDS)
        if stop == signal.SIGINT:
            assert "Traceback" not in log and "ERROR" not in log, log[-3000:]
        _, before_restart = stored(database_url)

        resumed = scrapy("crawl", "fakespace", *PACED, *job, sites_file=sites, database_url=database_url)
        assert resumed.returncode == 0, resumed.stderr[-3000:]

    expected = {article.url for article in site.expected_articles()}
    rows, urls = stored(database_url)
    # Scrapy 2.19 resuming from a JOBDIR lets a robots-disallowed request that was queued at the
    # stop through (it does so with our middlewares off too); that page is not what is tested here.
    urls.discard(site.disallowed_url)
    assert urls == expected, "every article stored"
    assert rows - (site.disallowed_url in stored(database_url)[1]) == len(expected), "each exactly once"
    engine = make_engine(database_url)
    with engine.connect() as connection:
        last_run = connection.execute(select(CrawlRun).order_by(CrawlRun.id.desc()).limit(1)).one()
    engine.dispose()
    # The restart stored only what was missing: nothing already stored came back as new.
    assert last_run.stats["new"] == len(expected - before_restart)
    if after_pages >= 18 or stop == signal.SIGINT:
        assert before_restart, "the store had written nothing before the crawl was stopped"
