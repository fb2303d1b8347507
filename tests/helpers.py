"""Plain helpers that several test modules share (fixtures live in conftest.py): the repository
root, `scrapy` run as a user runs it against a fake site's sites file, and a query command run in
the test's own process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from scrapy.cmdline import execute
from sqlalchemy import func, select

from crawler.db.engine import make_engine
from crawler.db.models import Article
from fakesite import FakeSite

REPO = Path(__file__).resolve().parent.parent
FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "LOG_LEVEL=WARNING"]


def scrapy(*args: str, sites_file: Path, database_url: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, SPACECRAWL_SITES_FILE=str(sites_file), SPACECRAWL_DATABASE_URL=database_url)
    return subprocess.run([sys.executable, "-m", "scrapy", *args, *FAST], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=300)


def scrapy_here(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, database_url: str,
                *arguments: str) -> tuple[int, str, str]:
    """Run `scrapy ARGUMENTS` in this process; (exit code, stdout, stderr)."""
    monkeypatch.chdir(REPO)
    capsys.readouterr()
    with pytest.raises(SystemExit) as exit_:
        execute(["scrapy", *arguments, "-s", f"SPACECRAWL_DATABASE_URL={database_url}"])
    out, err = capsys.readouterr()
    return exit_.value.code or 0, out, err


def sites_file(site: FakeSite, tmp_path: Path) -> Path:
    path = tmp_path / "sites.toml"
    path.write_text(site.sites_toml(name="fakespace"), encoding="utf-8")
    return path


def stored(database_url: str) -> tuple[int, set[str]]:
    """The store's article rows and their URLs."""
    engine = make_engine(database_url)
    with engine.connect() as connection:
        rows, urls = connection.scalar(select(func.count()).select_from(Article)), set(connection.scalars(select(Article.url)))
    engine.dispose()
    return rows, urls
