"""The command line as a user types it (subprocesses): where outputs go, errors on one line, exit codes."""

from __future__ import annotations

import json
import logging
import os
import re
import socket
import stat
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from crawler.cli.run_report import exit_code
from crawler.db import open_store
from crawler.ops import schedule_runner
from crawler.ops.run_stats import run_problems
from crawler.ops.schedule_runner import Job, ScheduleRunner, crawl_command
from crawler.sites.base import Site
from fakesite import FakeSite
from fakesite.server import serve
from tests.helpers import REPO

FULL = Path("/dev/full")
needs_dev_full = pytest.mark.skipif(not FULL.exists(), reason="needs /dev/full, a device that is always full")


def stories(n: int = 3) -> list[dict[str, object]]:
    return [{"url": f"https://news.example/rocket-{i}", "site": "example", "title": f"Rocket {i}",
             "body": f"The rocket number {i} flew.\nIt landed.", "published": datetime(2024, 3, i + 1, tzinfo=UTC),
             "content_hash": f"h{i}"} for i in range(n)]


@pytest.fixture
def store_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    with open_store(url, create=True) as store:
        store.save(stories())
    return url


@pytest.fixture
def dead_sites(tmp_path: Path) -> Path:
    """A sites file naming two sites on a port of 127.0.0.1 where nothing listens."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    path = tmp_path / "dead-sites.toml"
    path.write_text("".join(f'[[site]]\nname = "{name}"\ndomains = ["127.0.0.1"]\n'
                            f'feeds = ["http://127.0.0.1:{port}/{name}/feed/"]\n' for name in ("deadone", "deadtwo")))
    return path


def scrapy(*args: str, database_url: str, stdout: object = subprocess.PIPE, cwd: Path = REPO,
           sites_file: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, SPACECRAWL_DATABASE_URL=database_url)
    if sites_file is not None:
        env["SPACECRAWL_SITES_FILE"] = str(sites_file)
    return subprocess.run([sys.executable, "-m", "scrapy", *args], cwd=cwd, env=env, stdout=stdout,
                          stderr=subprocess.PIPE, text=True, timeout=120)


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    assert "Traceback" not in result.stderr, result.stderr
    return result.stderr.strip().splitlines()[-1]


# --- outputs --------------------------------------------------------------------------------
def test_export_through_a_symlink_writes_its_target_and_keeps_the_link(store_url: str, tmp_path: Path) -> None:
    target, link = tmp_path / "real.jsonl", tmp_path / "link.jsonl"
    target.write_text("old\n")
    link.symlink_to(target)
    result = scrapy("export", "-o", str(link), database_url=store_url)
    assert result.returncode == 0, result.stderr
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert len(target.read_text().splitlines()) == 3 and "rocket-0" in target.read_text()


def test_export_into_a_fifo_writes_in_place(store_url: str, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    result = scrapy("export", "-o", str(fifo), database_url=store_url)
    reader.join(timeout=60)
    assert result.returncode == 0, result.stderr
    assert stat.S_ISFIFO(fifo.stat().st_mode), "the FIFO is still a FIFO"
    assert received and len(received[0].splitlines()) == 3


def test_export_to_dash_is_standard_output(store_url: str, tmp_path: Path) -> None:
    result = scrapy("export", "-o", "-", database_url=store_url)
    assert result.returncode == 0 and len(result.stdout.splitlines()) == 3
    assert not (REPO / "-").exists() and not list(REPO.glob("-.partial"))



@pytest.mark.parametrize("command", [("export",), ("export", "-o", "-"), ("export", "--format", "csv")])
def test_export_into_a_pipe_its_reader_closes_ends_quietly(store_url: str, command: tuple[str, ...]) -> None:
    # `scrapy export | head -1`: the reader leaves before the export writes; that is no failure.
    reader, writer = os.pipe()
    os.close(reader)
    with os.fdopen(writer, "w") as closed_pipe:
        result = scrapy(*command, database_url=store_url, stdout=closed_pipe)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
@needs_dev_full
@pytest.mark.parametrize("command", [("export",), ("search", "rocket"), ("stats",), ("export", "-o", "-")])
def test_standard_output_on_a_full_disk_is_one_line(store_url: str, command: tuple[str, ...]) -> None:
    with FULL.open("w") as full:
        result = scrapy(*command, database_url=store_url, stdout=full)
    assert result.returncode == 1, "a failed run, not a usage error"
    assert result.stderr == "error: cannot write standard output: No space left on device\n"


@needs_dev_full
def test_export_onto_a_full_device_writes_it_in_place(store_url: str) -> None:
    result = scrapy("export", "-o", str(FULL), database_url=store_url)
    assert result.returncode == 1
    assert result.stderr == f"error: cannot write {FULL}: No space left on device\n"
    assert stat.S_ISCHR(FULL.stat().st_mode)


# --- the store's address --------------------------------------------------------------------
@pytest.mark.parametrize("url", ["postgresql+psycopg://spacecrawl:p@ss:w0rd@db.example:5432/news",
                                 "postgresql+psycopg://spacecrawl:w0rdsecret@db.example:port/news"])
@pytest.mark.parametrize("command", [("export",), ("stats",), ("crawl", "deadone"),
                                     ("schedule", "--once", "--sites", "deadone")])
def test_a_database_url_that_does_not_parse_is_one_line_without_the_password(
        url: str, command: tuple[str, ...], dead_sites: Path) -> None:
    result = scrapy(*command, database_url=url, sites_file=dead_sites)
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    assert result.stderr.startswith("scrapy: error: SPACECRAWL_DATABASE_URL: cannot open the postgresql+psycopg database: ")
    assert "w0rd" not in result.stderr + result.stdout


@pytest.mark.parametrize(("url", "wrong"), [
    ("data/spacecrawl.db", "cannot open the database: its URL has no DRIVER:// in front"),
    ("sqlite:/data/spacecrawl.db", "cannot open the database: its URL has no DRIVER:// in front"),
    ("postgresql://spacecrawl:p@ss@db.example/news", "cannot open the postgresql database: its URL has an @ in the password"),
    ("postgres://db.example:port/news", "cannot open the postgres database: the port in its URL is not a number"),
    ("mysql://db.example/news", "cannot open the mysql database: only sqlite and postgresql are supported"),
    ("", "no database URL (it is empty)"),
])
def test_a_database_url_that_cannot_be_used_says_what_is_wrong_with_it(url: str, wrong: str) -> None:
    result = scrapy("stats", database_url=url)
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"scrapy: error: SPACECRAWL_DATABASE_URL: {wrong}"), result.stderr


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
@pytest.mark.parametrize("scheme", ["postgres", "postgresql"])
def test_postgres_and_postgresql_urls_are_postgresql_through_psycopg(database_url: str, scheme: str) -> None:
    url = database_url.replace("postgresql+psycopg://", f"{scheme}://", 1)
    assert url.startswith(f"{scheme}://")
    with open_store(url, create=True) as store:
        store.save(stories())
    result = scrapy("search", "rocket", "--json", database_url=url)
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)) == 3


def test_the_python_api_does_not_create_a_store_unless_asked(tmp_path: Path) -> None:
    script = "from crawler.db import open_store\nwith open_store() as store: print(store.search('rocket'))\n"
    result = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=60,
                            env={k: v for k, v in os.environ.items() if k != "SPACECRAWL_DATABASE_URL"}
                            | {"PYTHONPATH": str(REPO)})
    assert result.returncode == 1
    assert f"StoreUnavailable: no store at {tmp_path / 'data' / 'spacecrawl.db'}: " in result.stderr
    assert not (tmp_path / "data").exists()
    with open_store(f"sqlite:///{tmp_path / 'data' / 'spacecrawl.db'}", create=True) as store:
        assert store.search("rocket") == []


# --- Scrapy's debugging commands ------------------------------------------------------------
@pytest.fixture
def fake_site_file(tmp_path: Path) -> Iterator[tuple[FakeSite, Path]]:
    site = FakeSite(articles=4, seed=3)
    with serve(site):
        path = tmp_path / "sites.toml"
        path.write_text(site.sites_toml(name="fakespace"), encoding="utf-8")
        yield site, path


def test_scrapy_parse_reads_an_article_and_records_no_run(fake_site_file: tuple[FakeSite, Path],
                                                          tmp_path: Path) -> None:
    site, sites = fake_site_file
    store = tmp_path / "store.db"
    post = site.posts[0]
    result = scrapy("parse", site.url(post.path), database_url=f"sqlite:///{store}", sites_file=sites)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr[-3000:]
    assert "Scraped Items" in result.stdout and post.headline[:25] in result.stdout  # pprint wraps it
    assert not store.exists(), "no run recorded: no store opened"
    assert "ALERT" not in result.stderr


def test_scrapy_fetch_records_no_run(fake_site_file: tuple[FakeSite, Path], tmp_path: Path) -> None:
    site, sites = fake_site_file
    store = tmp_path / "store.db"
    result = scrapy("fetch", "--nolog", site.url(site.posts[0].path), database_url=f"sqlite:///{store}",
                    sites_file=sites)
    assert result.returncode == 0 and "<html" in result.stdout.lower()
    assert not store.exists()


# --- exit codes and summaries ---------------------------------------------------------------
def test_scrapys_dumps_are_debug_on_the_terminal(dead_sites: Path, tmp_path: Path) -> None:
    # Alembic's lines too, one per migration of the new store: "Running upgrade 0007 -> 0008, …".
    dumps = ("Versions:", "Overridden settings:", "Enabled item pipelines:", "Dumping Scrapy stats:",
             "Running upgrade 0007 -> 0008")
    for level, shown in (("INFO", False), ("DEBUG", True)):
        result = scrapy("crawl", "deadone", "-s", "RETRY_TIMES=0", "-L", level,
                        database_url=f"sqlite:///{tmp_path / f'{level}.db'}", sites_file=dead_sites)
        assert result.returncode == 1 and "Spider opened" in result.stderr
        assert result.stderr.splitlines()[-1].startswith("deadone: 0 pages fetched")
        assert [dump in result.stderr for dump in dumps] == [shown] * len(dumps), level


def test_crawlall_of_unreachable_sites_is_quiet_names_them_and_fails(dead_sites: Path, tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    result = scrapy("crawlall", "--sites", "deadone,deadtwo", "-s", "RETRY_TIMES=0", "-s", f"SPACECRAWL_LOG_DIR={logs}",
                    database_url=f"sqlite:///{tmp_path / 's.db'}", sites_file=dead_sites)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    [log] = logs.glob("crawlall-*.log")
    assert lines[0] == f"crawling 2 sites; Scrapy's log: {log}"
    assert sorted(line.split(":", 1)[0] for line in lines[1:3]) == ["deadone", "deadtwo"]
    # robots.txt and the feed, each one error
    assert all(line.endswith("2 errors — unreachable") for line in lines[1:3])
    assert lines[3].startswith("2 sites: 0 pages fetched") and lines[3].endswith("4 errors — unreachable: all 2 sites")
    assert len(lines) == 4 and "Overridden settings" in log.read_text()


def test_crawl_with_the_store_down_sets_articles_aside_and_fails(fake_site_file: tuple[FakeSite, Path],
                                                                 tmp_path: Path) -> None:
    _, sites = fake_site_file
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    result = scrapy("crawl", "fakespace", "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False",
                    "-s", f"SPACECRAWL_UNSAVED_DIR={tmp_path / 'unsaved'}",
                    database_url=f"sqlite:///{blocker}/store.db", sites_file=sites)
    assert result.returncode == 1, result.stderr[-3000:]
    [unsaved] = (tmp_path / "unsaved").glob("unsaved-fakespace-*.jsonl")
    count = len(unsaved.read_text().splitlines())
    assert count > 0 and result.stderr.splitlines()[-1].endswith(
        f"— store unavailable ({count} articles set aside in unsaved-*.jsonl)")


def test_schedule_once_names_failed_crawls_passes_settings_unseen_and_says_what_is_next(
        dead_sites: Path, tmp_path: Path) -> None:
    store = tmp_path / "s.db"
    options = ("--sites", "deadone,deadtwo", "-s", "RETRY_TIMES=0", "-s", f"SPACECRAWL_LOG_DIR={tmp_path / 'logs'}",
               "-s", f"SPACECRAWL_DATABASE_URL=sqlite:///{store}")
    result = scrapy("schedule", "--once", *options, database_url=f"sqlite:///{tmp_path / 'elsewhere.db'}", sites_file=dead_sites)
    assert result.returncode == 1, result.stderr[-3000:]
    failed = [line for line in result.stderr.splitlines() if "crawl of deadone failed" in line]
    assert len(failed) == 1 and "failed after" in failed[0] and ": deadone: 0 pages fetched" in failed[0], result.stderr
    summary = result.stderr.splitlines()[-1].split("ran 2 crawl(s): failed: ", 1)[1]
    assert sorted(summary.split(", ")) == ["deadone (full): unreachable", "deadtwo (full): unreachable"]
    assert store.exists(), "the crawls got the scheduler's -s options"
    assert "alembic" not in result.stderr
    again = scrapy("schedule", "--once", *options, database_url=f"sqlite:///{tmp_path / 'elsewhere.db'}", sites_file=dead_sites)
    assert again.returncode == 0
    # 30 minutes after the first runs started: 29 from now when they took over a minute (a busy machine).
    assert re.search(r"nothing due; next: feeds crawl of dead(one|two) at .* UTC \(in (29|30) min\)$", again.stderr.strip())


def test_scheduled_crawls_carry_no_settings_on_their_command_line() -> None:
    assert crawl_command(Job("spacenews", "feeds")) == [sys.executable, "-m", "scrapy", "crawl", "spacenews", "-a",
                                                        "mode=feeds"]


# --- Scrapy's settings ----------------------------------------------------------------------
@pytest.mark.parametrize(("setting", "complaint"), [
    ("DOWNLOAD_DELAY=abc", "DOWNLOAD_DELAY='abc' is not a number"),
    ("CONCURRENT_REQUESTS=-3", "CONCURRENT_REQUESTS='-3': give a whole number of at least 1"),
    ("AUTOTHROTTLE_ENABLED=perhaps", "AUTOTHROTTLE_ENABLED='perhaps' is not a switch (1/0, true/false)"),
    ("JOBDIR=/proc/nope", "JOBDIR='/proc/nope': cannot make it: No such file or directory"),
    ("LOG_LEVEL=LOUD", "LOG_LEVEL='LOUD': use DEBUG, INFO, WARNING, ERROR or CRITICAL"),
    ("SPACECRAWL_REDIS_URL=redis://127.0.0.1:6379/abc",
     "SPACECRAWL_REDIS_URL: 'abc' is no database number (redis://host:6379/0)"),
])
# Only the dead sites, always: a check that failed must not crawl the built-in ones.
@pytest.mark.parametrize("command", [("crawl", "deadone"), ("crawlall", "--sites", "deadone"),
                                     ("schedule", "--once", "--sites", "deadone")])
def test_scrapy_settings_are_checked_in_one_line(setting: str, complaint: str, command: tuple[str, ...],
                                                 dead_sites: Path, tmp_path: Path) -> None:
    result = scrapy(*command, "-s", setting, "-s", f"SPACECRAWL_LOG_DIR={tmp_path / 'logs'}",
                    database_url=f"sqlite:///{tmp_path / 's.db'}", sites_file=dead_sites)
    assert result.returncode == 2 and one_line_error(result).endswith(f"error: {complaint}")
    assert not (tmp_path / "s.db").exists() and not (tmp_path / "logs").exists(), "a typo leaves nothing behind"


@pytest.mark.parametrize("command", [("search", "rocket"), ("export",), ("stats", "--by", "month"), ("stories",),
                                     ("retag",), ("runs",)])
def test_an_unknown_site_is_a_usage_error_not_zero_results(store_url: str, command: tuple[str, ...]) -> None:
    sites = ("--site", "spacenwes") if command == ("runs",) else ("--site", "example,spacenwes")
    for named in (sites, ("--exclude-site", "spacenwes")) if command in (("export",), ("stories",)) else (sites,):
        result = scrapy(*command, *named, database_url=store_url)
        assert result.returncode == 2 and result.stdout == ""
        assert result.stderr == "scrapy: error: no site is called 'spacenwes'; did you mean 'spacenews'?\n"
    result = scrapy(*command, "--site", " , ", database_url=store_url)  # no site named is no "every site"
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == "scrapy: error: --site needs a site name (or several: --site a,b)\n"
    known = scrapy(*command, "--site", "example", database_url=store_url)  # stored, though no site of ours
    assert known.returncode == 0, known.stderr


@pytest.mark.parametrize("query", ["AND OR (", '"', "-rocket"])
def test_a_search_query_that_does_not_read_is_a_usage_error(store_url: str, query: str) -> None:
    result = scrapy("search", query, database_url=store_url)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith("scrapy: error: nothing to search for") and result.stderr.count("\n") == 1


@pytest.mark.parametrize("command", [("crawl", "deadon"), ("crawlall", "--sites", "deadone,deadon"),
                                     ("schedule", "--once", "--sites", "deadon")])
def test_a_crawl_of_an_unknown_site_names_the_closest(command: tuple[str, ...], dead_sites: Path, tmp_path: Path) -> None:
    result = scrapy(*command, database_url=f"sqlite:///{tmp_path / 's.db'}", sites_file=dead_sites)
    assert result.returncode == 2 and result.stderr == "scrapy: error: no site is called 'deadon'; did you mean 'deadone'?\n"
    if command[0] != "crawl":
        empty = scrapy(*command[:-1], ",", database_url=f"sqlite:///{tmp_path / 's.db'}", sites_file=dead_sites)
        assert empty.returncode == 2 and empty.stderr == "scrapy: error: --sites needs a site name (or several: --sites a,b)\n"
    assert not (tmp_path / "s.db").exists()


# Scrapy prints its usage banner (four lines) above `scrapy: error: …`; ours is the one line.
@pytest.mark.parametrize(("command", "complaint"), [
    (("stories", "--limit", "many"), "argument --limit: invalid int value: 'many'"),
    (("serve", "--port", "http"), "argument --port: 'http' is not a port number (0-65535)"),
    (("search",), "give a query, e.g. scrapy search '\"europa clipper\" launch*'"),
    (("crawl",), "give one spider (site) name; `scrapy list` names them all"),
    (("export", "--sinse", "2024"), "unknown option --sinse (-h lists the options)"),
    (("export", "-s", "NOEQUALS"), "Invalid -s value, use -s NAME=VALUE"),
])
def test_usage_errors_are_one_line(store_url: str, command: tuple[str, ...], complaint: str) -> None:
    result = scrapy(*command, database_url=store_url)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == f"scrapy: error: {complaint}\n"


# --- stats --plot ---------------------------------------------------------------------------
def test_plot_format_comes_from_the_extension(store_url: str, tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    result = scrapy("stats", "--plot", str(tmp_path / "a.jpg"), database_url=store_url)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "a.jpg").read_bytes()[:3] == b"\xff\xd8\xff", "JPEG data"
    result = scrapy("stats", "--plot", str(tmp_path / "a.svg"), "--by", "day", database_url=store_url)
    svg = (tmp_path / "a.svg").read_text()
    assert result.returncode == 0 and svg.lstrip().startswith("<?xml") and "<svg" in svg
    assert "partial day" in svg and "<pattern" in svg, "the first period is hatched and named partial"
    for name in ("a.txt", "plot"):
        refused = scrapy("stats", "--plot", str(tmp_path / name), database_url=store_url)
        assert refused.returncode == 2 and "the extension says the format" in one_line_error(refused)
        assert not (tmp_path / name).exists()


def test_commands_run_from_another_folder_with_the_settings_module(store_url: str, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = dict(os.environ, SCRAPY_SETTINGS_MODULE="crawler.settings", SPACECRAWL_DATABASE_URL=store_url,
               PYTHONPATH=str(REPO))  # as `pip install -e .` makes crawler importable
    result = subprocess.run([sys.executable, "-m", "scrapy", "search", "rocket", "--json"], cwd=elsewhere, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)) == 3 and not list(elsewhere.iterdir())


def test_the_scheduler_reports_a_long_crawl_while_it_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                         caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setattr(schedule_runner, "PROGRESS_SECONDS", 0.5)
    site = Site(name="slow", domains=("slow.example",), feeds=("https://slow.example/feed",))
    scheduler = ScheduleRunner({"slow": site}, f"sqlite:///{tmp_path / 's.db'}",
                               lambda job: [sys.executable, "-c", "import time; time.sleep(2.5)"],
                               log_dir=tmp_path / "logs")
    with caplog.at_level(logging.INFO, logger=schedule_runner.__name__):
        scheduler.run(once=True)
    progress = [r.getMessage() for r in caplog.records if "still running" in r.getMessage()]
    assert progress and progress[0].startswith("full crawl of slow still running after 0 min (log ")
    assert caplog.records[-1].getMessage() == "ran 1 crawl(s): ok: slow (full)"


@pytest.mark.parametrize(("stats", "problems"), [
    ({"finish_reason": "finished", "response_received_count": 3}, []),
    ({"finish_reason": "closespider_itemcount", "response_received_count": 3}, []),  # a limit asked for
    ({"finish_reason": "shutdown"}, []),  # Ctrl-C
    ({"finish_reason": "closespider_errorcount", "response_received_count": 3}, ["closespider_errorcount"]),
    ({"finish_reason": "finished", "downloader/exception_count": 2}, ["unreachable"]),
    ({"finish_reason": "finished", "response_received_count": 3, "spacecrawl/articles/unsaved": 4},
     ["store unavailable"]),
])
def test_what_makes_a_run_fail(stats: dict[str, object], problems: list[str]) -> None:
    assert run_problems(stats) == problems
    assert exit_code({"site": stats}) == (1 if problems else 0)
    alerted = stats | {"spacecrawl/alerts": [{"kind": "no_articles"}]}
    assert run_problems(alerted) == problems and run_problems(alerted, fail_on_alert=True) == [*problems, "alerts"]
