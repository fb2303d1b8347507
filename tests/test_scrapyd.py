"""Scrapyd: a real Scrapyd on 127.0.0.1 gets the project with scrapyd-deploy (the egg it builds,
with the setup.py it writes when there is none), runs a crawl of the local fake site scheduled
through its HTTP API, and the articles end up in the database."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from crawler.db.engine import make_engine
from crawler.db.models import Article
from fakesite import FakeSite, serve
from tests.helpers import REPO

pytest.importorskip("scrapyd", reason="scrapyd is not installed (pip install -r requirements.txt)")
pytest.importorskip("scrapyd_client", reason="scrapyd-client is not installed (pip install -r requirements.txt)")

DEADLINE_SECONDS = 120  # for Scrapyd to start, and for the crawl to finish


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def api(base: str, endpoint: str, data: list[tuple[str, str]] | None = None) -> dict:
    # (listspiders runs `scrapy list` from the egg in a new process: seconds on a busy machine.)
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    with urllib.request.urlopen(f"{base}/{endpoint}", data=body, timeout=DEADLINE_SECONDS) as response:
        return json.load(response)


@pytest.fixture
def scrapyd(tmp_path: Path, sites_file: Path) -> Iterator[str]:
    """A Scrapyd with its own port and folders; yields its base URL."""
    home = tmp_path / "scrapyd"
    home.mkdir()
    port = free_port()
    (home / "scrapyd.conf").write_text(
        f"[scrapyd]\nbind_address = 127.0.0.1\nhttp_port = {port}\npoll_interval = 0.5\nmax_proc = 1\n"
        f"eggs_dir = {home / 'eggs'}\nlogs_dir = {home / 'logs'}\ndbs_dir = {home / 'dbs'}\n", encoding="utf-8")
    # Scrapyd checks a scheduled spider against `scrapy list` run in its own environment: a site
    # from a sites file must be known there too.
    env = dict(os.environ, SPACECRAWL_SITES_FILE=str(sites_file))
    daemon = subprocess.Popen([sys.executable, "-m", "scrapyd"], cwd=home, env=env,
                              stdout=subprocess.DEVNULL, stderr=(home / "scrapyd.err").open("wb"))
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + DEADLINE_SECONDS
        while True:
            try:
                if api(base, "daemonstatus.json")["status"] == "ok":
                    break
            except OSError:
                pass
            assert daemon.poll() is None, (home / "scrapyd.err").read_text()[-2000:]
            assert time.monotonic() < deadline, "Scrapyd did not start"
            time.sleep(0.3)
        yield base
    finally:
        daemon.terminate()
        daemon.wait(timeout=30)


@pytest.fixture
def fake_site() -> Iterator[FakeSite]:
    site = FakeSite(articles=8, seed=5)
    with serve(site):
        yield site


@pytest.fixture
def sites_file(fake_site: FakeSite, tmp_path: Path) -> Path:
    path = tmp_path / "sites.toml"
    path.write_text(fake_site.sites_toml(name="fakespace"), encoding="utf-8")
    return path


def test_deploy_schedule_and_crawl_into_the_database(scrapyd: str, fake_site: FakeSite, sites_file: Path,
                                                     tmp_path: Path) -> None:
    # Deploy from a copy of the project: scrapyd-deploy writes setup.py, build/ and *.egg-info
    # next to scrapy.cfg, which the repository must not have. The copy has the other packages and
    # pyproject.toml too, as the repository does: the egg must still carry only what the crawl runs.
    project = tmp_path / "project"
    for package in ("crawler", "pipelines", "fakesite", "benchmarks"):
        shutil.copytree(REPO / package, project / package, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "requirements.txt"):
        shutil.copy(REPO / name, project / name)
    config = (REPO / "scrapy.cfg").read_text(encoding="utf-8")
    assert "url = http://127.0.0.1:6800/" in config and "project = spacecrawl" in config
    (project / "scrapy.cfg").write_text(config.replace("http://127.0.0.1:6800/", scrapyd + "/"), encoding="utf-8")
    deployed = subprocess.run([sys.executable, "-m", "scrapyd_client.deploy", "--version", "1"], cwd=project,
                              capture_output=True, text=True, timeout=DEADLINE_SECONDS)
    assert deployed.returncode == 0, deployed.stderr + deployed.stdout
    assert json.loads(deployed.stdout)["status"] == "ok"
    [egg] = (tmp_path / "scrapyd" / "eggs" / "spacecrawl").glob("*.egg")
    with zipfile.ZipFile(egg) as contents:
        assert {name.split("/")[0] for name in contents.namelist()} == {"crawler", "pipelines", "EGG-INFO"}
        assert "crawler/db/migrations/script.py.mako" in contents.namelist()
    assert "fakespace" in api(scrapyd, "listspiders.json?project=spacecrawl")["spiders"]

    database_url = f"sqlite:///{tmp_path / 'store.db'}"
    job = api(scrapyd, "schedule.json", [
        ("project", "spacecrawl"), ("spider", "fakespace"),
        ("setting", f"SPACECRAWL_DATABASE_URL={database_url}"), ("setting", f"SPACECRAWL_SITES_FILE={sites_file}"),
        ("setting", "DOWNLOAD_DELAY=0"), ("setting", "AUTOTHROTTLE_ENABLED=False"),
    ])
    assert job["status"] == "ok", job
    deadline = time.monotonic() + DEADLINE_SECONDS
    while not any(j["id"] == job["jobid"] for j in api(scrapyd, "listjobs.json?project=spacecrawl")["finished"]):
        assert time.monotonic() < deadline, "the scheduled crawl did not finish"
        time.sleep(0.5)

    engine = make_engine(database_url)
    with engine.connect() as connection:
        stored = set(connection.scalars(select(Article.url)))
    engine.dispose()
    assert stored == {article.url for article in fake_site.expected_articles()}
