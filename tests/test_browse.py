"""`scrapy browse`: Datasette serving a SQLite store read-only, checked through its JSON API and
in headless Chromium (Debian's package; these tests skip where it is not installed)."""

from __future__ import annotations

import json
import re
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from crawler.db import open_store
from tests.helpers import REPO

CHROMIUM = "/usr/bin/chromium"
ARTICLES = [
    {"url": "https://news.example/clipper", "site": "example", "title": "Europa Clipper heat shield fitted",
     "body": "Engineers fitted the heat shield before the spacecraft left for the launchpad.",
     "authors": ["Ada Lovelace"], "published": datetime(2024, 3, 4, 10, tzinfo=UTC), "content_hash": "1"},
    {"url": "https://news.example/starship", "site": "other", "title": "Starship reentry test",
     "body": "The heat of reentry tested every tile; the shield held, engineers said.",
     "published": datetime(2024, 3, 14, 10, tzinfo=UTC), "content_hash": "2"},
    {"url": "https://news.example/undated", "site": "example", "title": "Launchpad repairs",
     "body": "Crews repaired the flame trench after the last flight.", "content_hash": "3"},
]


def get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read()


@pytest.fixture(scope="module")
def browse_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`scrapy browse` serving a store of ARTICLES; its base URL."""
    database_url = f"sqlite:///{tmp_path_factory.mktemp('browse') / 'spacecrawl.db'}"
    with open_store(database_url, create=True) as store:
        store.save(ARTICLES)
    server = subprocess.Popen([sys.executable, "-m", "scrapy.cmdline", "browse", "--port", "0"], cwd=REPO,
                              env=os.environ | {"SPACECRAWL_DATABASE_URL": database_url},
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert server.stdout is not None
        serving = server.stdout.readline()  # port 0: any free port, named in the line that says it serves
        match = re.fullmatch(r"serving (/\S+) read-only at (http://127\.0\.0\.1:\d+)/spacecrawl/articles \(Ctrl-C stops\)\n",
                             serving)
        assert match and match[1] == database_url.removeprefix("sqlite:///"), serving
        base = match[2]
        for _ in range(150):
            if server.poll() is not None:
                pytest.fail(f"scrapy browse exited: {server.stdout.read()}")
            try:
                get(base + "/-/versions.json")
                break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.2)
        else:
            pytest.fail("scrapy browse did not answer within 30 s")
        yield base
    finally:
        server.terminate()
        assert server.wait(timeout=10) == 0, "stopping is the end of the job, not a failure"


def rows(url: str) -> list[dict[str, object]]:
    return json.loads(get(url + ("&" if "?" in url else "?") + "_shape=array"))


def test_search_box_uses_the_full_text_index(browse_url: str) -> None:
    found = rows(f"{browse_url}/spacecrawl/articles.json?_search=shield")
    assert sorted(row["title"] for row in found) == ["Europa Clipper heat shield fitted", "Starship reentry test"]
    assert rows(f"{browse_url}/spacecrawl/articles.json?_search=trench")[0]["url"] == ARTICLES[2]["url"]


def test_canned_search_speaks_the_search_language(browse_url: str) -> None:
    query = urllib.parse.quote('"heat shield" -reentry')
    [hit] = rows(f"{browse_url}/spacecrawl/search.json?q={query}")
    assert hit["url"] == ARTICLES[0]["url"] and "**heat shield**" in hit["snippet"]
    assert rows(f"{browse_url}/spacecrawl/search.json?q=") == []  # the empty form is no error


def test_facets_and_canned_queries(browse_url: str) -> None:
    page = json.loads(get(f"{browse_url}/spacecrawl/articles.json?_size=0"))
    assert {"site", "published"} <= set(page["facet_results"])
    sites = {value["value"]: value["count"] for value in page["facet_results"]["site"]["results"]}
    assert sites == {"example": 2, "other": 1}
    latest = rows(f"{browse_url}/spacecrawl/latest_per_site.json")
    assert [(row["site"], row["title"]) for row in latest] == [("example", ARTICLES[0]["title"]),
                                                                 ("other", ARTICLES[1]["title"])]
    assert rows(f"{browse_url}/spacecrawl/per_site_per_month.json") == [
        {"month": "2024-03", "site": "example", "articles": 1}, {"month": "2024-03", "site": "other", "articles": 1}]
    missing = rows(f"{browse_url}/spacecrawl/missing_dates_or_authors.json")
    assert sorted(row["url"] for row in missing) == [ARTICLES[1]["url"], ARTICLES[2]["url"]]


@pytest.mark.skipif(not Path(CHROMIUM).exists(),
                    reason=f"{CHROMIUM} not installed (apt-get install chromium; .ci/run installs it)")
def test_page_in_headless_chromium(browse_url: str, tmp_path: Path) -> None:
    page = f"{browse_url}/spacecrawl/articles?_search=launchpad"
    dom = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                          "--disable-component-update", "--disable-sync", "--no-first-run",
                          f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", page],
                         capture_output=True, text=True, timeout=60, check=True).stdout
    assert ARTICLES[0]["title"] in dom and ARTICLES[1]["title"] not in dom


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_postgresql_store_is_refused_in_one_line(database_url: str) -> None:
    finished = subprocess.run([sys.executable, "-m", "scrapy.cmdline", "browse"], cwd=REPO, capture_output=True,
                              text=True, timeout=60, env=os.environ | {"SPACECRAWL_DATABASE_URL": database_url})
    assert finished.returncode == 1 and finished.stdout == ""
    assert finished.stderr.startswith("error: browse serves SQLite stores only") and finished.stderr.count("\n") == 1



@pytest.mark.parametrize("port", ["99999", "-1", "http"])
def test_a_port_out_of_range_is_a_one_line_usage_error(port: str, tmp_path: Path) -> None:
    finished = subprocess.run([sys.executable, "-m", "scrapy.cmdline", "browse", "--port", port], cwd=REPO,
                              capture_output=True, text=True, timeout=60,
                              env=os.environ | {"SPACECRAWL_DATABASE_URL": f"sqlite:///{tmp_path / 's.db'}"})
    assert finished.returncode == 2
    assert finished.stderr == f"scrapy: error: argument --port: {port!r} is not a port number (0-65535)\n"


def test_a_port_in_use_is_a_one_line_error(tmp_path: Path) -> None:
    database_url = f"sqlite:///{tmp_path / 'spacecrawl.db'}"
    with open_store(database_url, create=True) as store:
        store.save(ARTICLES)
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        finished = subprocess.run([sys.executable, "-m", "scrapy.cmdline", "browse", "--port", str(port)], cwd=REPO,
                                  capture_output=True, text=True, timeout=60,
                                  env=os.environ | {"SPACECRAWL_DATABASE_URL": database_url})
    assert finished.returncode == 1 and "Traceback" not in finished.stderr
    assert finished.stderr == f"error: cannot serve on 127.0.0.1:{port}: Address already in use\n"


def test_a_post_is_refused_not_an_error_500(browse_url: str) -> None:
    request = urllib.request.Request(f"{browse_url}/spacecrawl/search", data=b"q=shield", method="POST")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 405 and refused.value.headers["Allow"] == "GET, HEAD"


def test_a_search_that_cannot_run_says_why(browse_url: str) -> None:
    [row] = rows(f"{browse_url}/spacecrawl/search.json?q={urllib.parse.quote('-alone')}")
    assert row["title"] == "cannot search: nothing to search for: give at least one word that is not excluded"
    assert row["url"] is None


def test_canned_search_scores_and_highlights_for_a_reader(browse_url: str) -> None:
    hits = rows(f"{browse_url}/spacecrawl/search.json?q=shield")
    assert [hit["score"] for hit in hits][0] == 100.0 and 0 < hits[1]["score"] <= 100
    page = get(f"{browse_url}/spacecrawl/search?q=shield").decode()
    assert "<mark>shield</mark>" in page and "**shield**" not in page
