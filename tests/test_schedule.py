"""Scheduling: which runs are due (pure), the scheduler's loop with real child processes (bounded
parallelism, one crawl per site, a crash survived and recorded), and `scrapy schedule` itself:
--once against two local sites, a clean stop on SIGTERM, and a quiet foreground loop."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

from crawler.db.engine import ensure_schema, make_engine
from crawler.db.models import CrawlRun
from crawler.db.repository import recent_runs, start_run
from crawler.ops.schedule_runner import Intervals, Job, ScheduleRunner, due_jobs
from crawler.sites.base import Site
from fakesite import FakeSite, serve
from tests.helpers import REPO

NOW = datetime(2025, 6, 1, 12, tzinfo=UTC)
NEWS = Site(name="news", domains=("news.example",), feeds=("https://news.example/feed/",),
            sitemaps=("https://news.example/sitemap.xml",), feed_interval_minutes=30, sitemap_interval_minutes=1440)
MAPS = Site(name="maps", domains=("maps.example",), sitemaps=("https://maps.example/sitemap.xml",),
            feed_interval_minutes=60)


def test_due_jobs() -> None:
    sites = {"news": NEWS, "maps": MAPS}
    assert set(due_jobs(sites, {}, NOW)) == {Job("news", "full"), Job("maps", "full")}
    recent = {("news", "full"): NOW - timedelta(minutes=10), ("maps", "full"): NOW - timedelta(minutes=10)}
    assert due_jobs(sites, recent, NOW) == []
    # feeds every 30 minutes after any run; the full run once a day
    later = {("news", "full"): NOW - timedelta(hours=2), ("news", "feeds"): NOW - timedelta(minutes=31)}
    assert due_jobs({"news": NEWS}, later, NOW) == [Job("news", "feeds")]
    assert due_jobs({"news": NEWS}, {("news", "full"): NOW - timedelta(hours=25)}, NOW) == [Job("news", "full")]
    # a site with only sitemaps runs full at its feed interval
    assert due_jobs({"maps": MAPS}, {("maps", "full"): NOW - timedelta(minutes=61)}, NOW) == [Job("maps", "full")]
    # the user's intervals replace every site's; the most overdue comes first
    assert due_jobs({"news": NEWS}, later, NOW, Intervals(feeds=60)) == []
    overdue = {("news", "full"): NOW - timedelta(days=3), ("maps", "full"): NOW - timedelta(hours=2)}
    assert due_jobs(sites, overdue, NOW) == [Job("news", "full"), Job("maps", "full")]


# A stand-in crawl: marks itself running in a folder, notes how many were running, sleeps, exits
# with the code given for its site (and a crashing one leaves a "running" run behind, as a real one would).
FAKE_CRAWL = """
import os, sys, time
from pathlib import Path
site, folder, code, url = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
mark = folder / f"running-{site}"
assert not mark.exists(), "two crawls of one site at once"
mark.touch()
(folder / f"seen-{site}-{len(list(folder.glob('running-*')))}").touch()
if code:
    from crawler.db.engine import make_engine
    from crawler.db.repository import start_run
    start_run(make_engine(url), site)
time.sleep(0.4)
mark.unlink()
sys.exit(code)
"""


def test_scheduler_bounds_parallel_crawls_and_survives_a_crash(tmp_path: Path) -> None:
    database_url = f"sqlite:///{tmp_path / 'store.db'}"
    ensure_schema(make_engine(database_url))
    sites = {name: Site(name=name, domains=(f"{name}.example",), feeds=(f"https://{name}.example/feed",))
             for name in ("a", "b", "c", "d")}

    def command(job: Job) -> list[str]:
        code = 3 if job.site == "b" else 0
        return [sys.executable, "-c", FAKE_CRAWL, job.site, str(tmp_path), str(code), database_url]

    scheduler = ScheduleRunner(sites, database_url, command, max_parallel=2, log_dir=tmp_path / "logs")
    scheduler.run(once=True)

    seen = list(tmp_path.glob("seen-*"))
    assert {p.name.split("-")[1] for p in seen} == set(sites), "every due site crawled"
    assert max(int(p.name.rsplit("-", 1)[1]) for p in seen) <= 2, "never more than 2 at once"
    assert scheduler.failures == 1
    engine = make_engine(database_url)
    (crashed,) = recent_runs(engine, "b")
    engine.dispose()
    assert crashed.status == "crashed (exit 3)" and crashed.finished_at is not None


def scrapy_schedule(*args: str, env: dict[str, str], **popen: object) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "scrapy", "schedule", *args], cwd=REPO, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, **popen)  # type: ignore[call-overload]


def test_schedule_once_runs_what_is_due_then_feeds_runs(tmp_path: Path) -> None:
    database_url = f"sqlite:///{tmp_path / 'store.db'}"
    one, two = FakeSite(articles=5, seed=1), FakeSite(articles=5, seed=2)
    with serve(one), serve(two):
        sites = tmp_path / "sites.toml"
        sites.write_text(one.sites_toml("fake-one") + two.sites_toml("fake-two"), encoding="utf-8")
        env = dict(os.environ, SPACECRAWL_SITES_FILE=str(sites), SPACECRAWL_DATABASE_URL=database_url)
        options = ["--sites", "fake-one,fake-two", "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False",
                   "-s", f"SPACECRAWL_LOG_DIR={tmp_path / 'logs'}"]
        first = scrapy_schedule("--once", *options, env=env)
        _, err = first.communicate(timeout=180)
        assert first.returncode == 0, err[-3000:]
        assert "DEBUG" not in err, "a fresh store's migration lines are DEBUG, not on a cron job's terminal"
        again = scrapy_schedule("--once", *options, env=env)
        _, err = again.communicate(timeout=180)
        assert again.returncode == 0 and "DEBUG" not in err, err

        engine = make_engine(database_url)
        with engine.begin() as connection:
            runs = connection.execute(select(CrawlRun.site, CrawlRun.mode, CrawlRun.status)).all()
            assert sorted(runs) == [("fake-one", "full", "finished"), ("fake-two", "full", "finished")], \
                "both sites crawled in full once; nothing due the second time"
            # An hour later the feeds are due again (every 30 minutes), the sitemaps not (daily).
            connection.execute(update(CrawlRun).values(started_at=datetime.now(UTC) - timedelta(hours=1)))
        later = scrapy_schedule("--once", *options, env=env)
        later.communicate(timeout=180)
        with engine.connect() as connection:
            modes = connection.execute(select(CrawlRun.site, CrawlRun.mode).order_by(CrawlRun.id)).all()[2:]
        engine.dispose()
    assert sorted(modes) == [("fake-one", "feeds"), ("fake-two", "feeds")]
    assert len(list((tmp_path / "logs").glob("fake-one-*.log"))) == 2


def test_schedule_once_fails_when_the_store_cannot_be_opened(tmp_path: Path) -> None:
    env = dict(os.environ, SPACECRAWL_DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:1/nowhere")
    once = scrapy_schedule("--once", "--sites", "spacenews", "-s", f"SPACECRAWL_LOG_DIR={tmp_path}", env=env)
    _, err = once.communicate(timeout=60)
    assert once.returncode == 1, "cron must see that nothing ran"
    errors = [line for line in err.splitlines() if "ERROR" in line]
    assert len(errors) == 1 and "cannot open" in errors[0] and "trying again" not in errors[0], err[-2000:]
    assert "Traceback" not in err
    assert not list(tmp_path.iterdir()), "no crawl started"


def test_schedule_stops_its_crawls_on_sigterm(tmp_path: Path) -> None:
    site = FakeSite(articles=30, seed=3)
    with serve(site):
        sites = tmp_path / "sites.toml"
        sites.write_text(site.sites_toml("slow"), encoding="utf-8")
        env = dict(os.environ, SPACECRAWL_SITES_FILE=str(sites), SPACECRAWL_DATABASE_URL=f"sqlite:///{tmp_path / 'db'}")
        scheduler = scrapy_schedule("--sites", "slow", "-s", "DOWNLOAD_DELAY=0.5", "-s", "AUTOTHROTTLE_ENABLED=False",
                                    "-s", f"SPACECRAWL_LOG_DIR={tmp_path / 'logs'}", env=env)
        deadline = time.monotonic() + 120
        while not site.hits:  # the child crawl is under way
            assert scheduler.poll() is None and time.monotonic() < deadline
            time.sleep(0.1)
        scheduler.send_signal(signal.SIGTERM)
        _, err = scheduler.communicate(timeout=120)
    assert scheduler.returncode == 0, err[-3000:]
    pid = int(re.search(r"started full crawl of slow \(pid (\d+)", err).group(1))
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)  # the crawl stopped (and was reaped) before the scheduler exited
    engine = make_engine(f"sqlite:///{tmp_path / 'db'}")
    (run,) = recent_runs(engine, "slow")
    engine.dispose()
    assert run.status == "shutdown", "the crawl closed its run as a graceful stop"


def test_schedule_in_the_foreground_migrates_the_store_once_not_at_every_look(tmp_path: Path) -> None:
    database_url = f"sqlite:///{tmp_path / 'store.db'}"
    engine = make_engine(database_url)
    ensure_schema(engine)
    start_run(engine, "quiet", mode="full")  # crawled just now: nothing is due
    engine.dispose()
    sites = tmp_path / "sites.toml"
    sites.write_text('[[site]]\nname = "quiet"\ndomains = ["quiet.example"]\nfeeds = ["https://quiet.example/feed/"]\n')
    env = dict(os.environ, SPACECRAWL_SITES_FILE=str(sites), SPACECRAWL_DATABASE_URL=database_url)
    # At DEBUG, Alembic says when it migrates (at INFO the scheduler keeps it quiet).
    scheduler = scrapy_schedule("--sites", "quiet", "-s", "SPACECRAWL_SCHEDULE_TICK_SECONDS=0.1",
                                "-s", "LOG_LEVEL=DEBUG", env=env)
    # Its first look migrates the store; a SIGTERM before that could land before the loop handles it.
    first_lines = []
    for line in scheduler.stderr:
        first_lines.append(line)
        if "Context impl SQLiteImpl" in line:
            break
    time.sleep(2)  # dozens of looks at what is due
    scheduler.send_signal(signal.SIGTERM)
    _, rest = scheduler.communicate(timeout=60)
    err = "".join(first_lines) + rest
    assert scheduler.returncode == 0, err[-3000:]
    assert err.count("Context impl SQLiteImpl") == 1, err[-3000:]
    assert err.count("waiting; next: feeds crawl of quiet at ") == 1, "says what comes next, once"
