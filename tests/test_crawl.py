"""A whole crawl, as a user runs it: `scrapy crawl` / `scrapy crawlall` against the local fake
site, into SQLite and PostgreSQL; the rows are checked against what the site was generated from."""

from __future__ import annotations

import re
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from scrapy.http import HtmlResponse, Request, Response, XmlResponse
from scrapy.settings import Settings
from scrapy.utils.test import get_crawler
from sqlalchemy import func, select

from crawler.db.engine import make_engine
from crawler.db.models import Article, CrawlRun
from crawler.sites.base import Site
from crawler.spiders.site import SiteSpider, without_tracking
from fakesite import FakeSite, serve
from tests.helpers import scrapy, sites_file


@pytest.fixture(scope="module")
def fake_site() -> Iterator[FakeSite]:
    site = FakeSite(articles=14, seed=3)
    with serve(site):
        yield site


@pytest.mark.parametrize("command", [["crawl", "fakespace"], ["crawlall", "--sites", "fakespace"]])
def test_crawl_stores_every_article_once_clean_and_in_utc(fake_site, database_url, tmp_path, command):
    tracked = urlsplit(fake_site.duplicate_url)
    downloads_before = fake_site.full_bodies[tracked.path]
    result = scrapy(*command, sites_file=sites_file(fake_site, tmp_path), database_url=database_url)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr

    expected = {article.url: article for article in fake_site.expected_articles()}
    engine = make_engine(database_url)
    with engine.connect() as connection:
        rows = {row.url: row for row in connection.execute(select(Article))}
        total = connection.scalar(select(func.count()).select_from(Article))
        run = connection.execute(select(CrawlRun)).one()
    engine.dispose()

    assert total == len(expected), "every article stored exactly once"
    assert set(rows) == set(expected)
    for url, want in expected.items():
        row = rows[url]
        assert row.title == want.title
        assert tuple(row.authors) == want.authors
        assert row.published == want.published and row.published.utcoffset().total_seconds() == 0
        for paragraph in want.paragraphs:
            assert paragraph in row.body, f"{url}: body lost a paragraph"
        for snippet in want.boilerplate:
            assert snippet not in row.body, f"{url}: boilerplate {snippet!r} left in the body"
        assert row.site == "fakespace" and row.word_count > 0 and row.content_hash

    # The traps: robots.txt obeyed, non-articles dropped with their reason, the run recorded.
    assert fake_site.hits[urlsplit(fake_site.disallowed_url).path] == 0
    # a link with tracking parameters is followed by its clean address: one download of the article
    assert fake_site.hits[f"{tracked.path}?{tracked.query}"] == 0
    assert fake_site.full_bodies[tracked.path] == downloads_before + 1
    assert run.status == "finished" and run.site == "fakespace"
    assert run.stats["dropped"].get("not_article", 0) >= 1
    assert run.stats["new"] == len(expected)
    if command[0] == "crawlall":
        assert "fakespace:" in result.stderr and "articles stored" in result.stderr


def test_recrawl_updates_and_never_duplicates(fake_site, tmp_path):
    database_url = f"sqlite:///{tmp_path / 'store.db'}"
    sites = sites_file(fake_site, tmp_path)
    assert scrapy("crawl", "fakespace", sites_file=sites, database_url=database_url).returncode == 0
    assert scrapy("crawl", "fakespace", sites_file=sites, database_url=database_url).returncode == 0
    engine = make_engine(database_url)
    with engine.connect() as connection:
        total = connection.scalar(select(func.count()).select_from(Article))
        runs = connection.execute(select(CrawlRun).order_by(CrawlRun.id)).all()
    engine.dispose()
    assert total == len(fake_site.expected_articles())
    assert len(runs) == 2 and runs[1].stats["new"] == 0


def test_unknown_site_and_broken_sites_file_are_one_line_errors(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[[site]]\nname = "x"\ndomain = ["example.org"]\n', encoding="utf-8")
    result = scrapy("list", sites_file=bad, database_url="sqlite://")
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "unknown key 'domain'" in result.stderr

    result = scrapy("crawlall", "--sites", "nosuchsite", sites_file=tmp_path / "none.toml", database_url="sqlite://")
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "none.toml does not exist" in result.stderr

    good = tmp_path / "good.toml"
    good.write_text('[[site]]\nname = "x"\ndomains = ["example.org"]\nfeeds = ["https://example.org/feed/"]\n')
    result = scrapy("crawlall", "--sites", "nosuchsite", sites_file=good, database_url="sqlite://")
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert result.stderr == "scrapy: error: no site is called 'nosuchsite'; `scrapy list` shows them, `scrapy addsite` adds one\n"


def test_unreachable_site_is_logged_in_one_line_per_request(tmp_path):
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sites = tmp_path / "sites.toml"
    sites.write_text(f'[[site]]\nname = "down"\ndomains = ["127.0.0.1"]\nfeeds = ["http://127.0.0.1:{port}/feed/"]\n')
    result = scrapy("crawl", "down", "-s", "RETRY_TIMES=0", sites_file=sites, database_url=f"sqlite:///{tmp_path / 's.db'}")
    assert result.returncode == 1, "the run did not do its job"
    assert "Traceback" not in result.stderr
    assert re.search(rf"Error downloading <GET http://127.0.0.1:{port}/feed/>: .*refused", result.stderr)
    # robots.txt and the feed: each failed request is one error, though Scrapy logs it twice
    assert result.stderr.splitlines()[-1] == ("down: 0 pages fetched, 0 articles stored (0 new, 0 updated, "
                                              "0 unchanged), dropped: none, 2 errors — unreachable")
    engine = make_engine(f"sqlite:///{tmp_path / 's.db'}")
    with engine.connect() as connection:
        assert connection.execute(select(CrawlRun.status)).scalar_one() == "unreachable"
    engine.dispose()


def test_crawlall_counts_each_sites_errors_for_that_site_only(fake_site, tmp_path):
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sites = sites_file(fake_site, tmp_path)
    with sites.open("a", encoding="utf-8") as out:
        out.write(f'\n[[site]]\nname = "down"\ndomains = ["localhost"]\nfeeds = ["http://localhost:{port}/feed/"]\n')
    database_url = f"sqlite:///{tmp_path / 's.db'}"
    result = scrapy("crawlall", "--sites", "fakespace,down", "-s", "RETRY_TIMES=0", sites_file=sites,
                    database_url=database_url)
    assert result.returncode == 1, result.stderr[-3000:]
    engine = make_engine(database_url)
    with engine.connect() as connection:
        runs = {run.site: run for run in connection.execute(select(CrawlRun))}
    engine.dispose()
    assert runs["down"].status == "unreachable" and runs["down"].stats["errors"] > 0
    assert runs["fakespace"].status == "finished" and runs["fakespace"].stats["errors"] == 0
    lines = {line.split(":", 1)[0]: line for line in result.stderr.splitlines() if "pages fetched" in line}
    assert lines["fakespace"].endswith(" 0 errors — ok")
    assert lines["down"].endswith(f" {runs['down'].stats['errors']} errors — unreachable")
    assert lines["2 sites"].endswith(f" {runs['down'].stats['errors']} errors — unreachable: down")


@pytest.mark.parametrize(("command", "setting", "complaint"), [
    (["crawl", "fakespace"], "SPACECRAWL_STORE_BATCH_SIZE=abc", "is not a whole number"),
    (["crawlall"], "SPACECRAWL_INCREMENTAL=maybe", "is not a switch (1/0, true/false)"),
    (["schedule", "--once"], "SPACECRAWL_SCHEDULE_TICK_SECONDS=soon", "is not a number"),
    (["extract", "page.html", "--url", "https://example.org/a/"], "SPACECRAWL_MIN_BODY_WORDS=1.5",
     "is not a whole number"),
    (["crawl", "fakespace"], "SPACECRAWL_DATES_EARLIEST=last-year", "is not an ISO 8601 date"),
])
def test_a_bad_setting_value_is_a_one_line_usage_error(tmp_path, command, setting, complaint):
    (tmp_path / "empty.toml").write_text("")
    result = scrapy(*command, "-s", setting, sites_file=tmp_path / "empty.toml",
                    database_url=f"sqlite:///{tmp_path / 's.db'}")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    name, value = setting.split("=")
    assert result.stderr.strip().splitlines()[-1].endswith(f" error: {name}={value!r} {complaint}")
    assert not (tmp_path / "s.db").exists(), "nothing started"


def test_a_listing_depth_that_depth_limit_would_cut_is_a_one_line_usage_error(tmp_path):
    (tmp_path / "empty.toml").write_text("")
    result = scrapy("crawl", "fakespace", "-s", "SPACECRAWL_LISTING_DEPTH=15", sites_file=tmp_path / "empty.toml",
                    database_url=f"sqlite:///{tmp_path / 's.db'}")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines()[-1].endswith(
        "error: SPACECRAWL_LISTING_DEPTH=15 needs DEPTH_LIMIT above 16 (-s DEPTH_LIMIT=17), "
        "or the deepest listings' articles are not fetched")


def test_crawl_of_an_unknown_site_is_a_usage_error(tmp_path):
    (tmp_path / "empty.toml").write_text("")
    result = scrapy("crawl", "nosuchsite", sites_file=tmp_path / "empty.toml", database_url="sqlite://")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr == "scrapy: error: no site is called 'nosuchsite'; `scrapy list` shows them, `scrapy addsite` adds one\n"


@pytest.mark.parametrize("link, followed", [
    ("https://news.example/2024/05/story/?utm_source=rss&utm_medium=feed", "https://news.example/2024/05/story/"),
    ("https://news.example/story?id=3&utm_campaign=x&q=a%20b#top", "https://news.example/story?id=3&q=a%20b#top"),
    ("https://news.example/?p=12", "https://news.example/?p=12"),
    ("https://news.example/story?fbclid=abc", "https://news.example/story"),
])
def test_article_links_are_followed_without_tracking_parameters(link, followed):
    assert without_tracking(link) == followed


def test_a_link_no_url_parser_reads_does_not_cost_a_feed_listing_or_sitemap_its_other_links():
    spider = SiteSpider.for_site(Site(name="news", domains=("news.example",), feeds=("https://news.example/feed/",)))()
    spider.settings = Settings({"SPACECRAWL_LISTING_DEPTH": 3})
    good = "https://news.example/2025/06/01/rocket-lands-again/"
    feed = XmlResponse("https://news.example/feed/", body=(
        "<rss><channel><item><link>http://[broken/2025/06/01/a-b-c/</link></item>"
        f"<item><link>{good}</link></item></channel></rss>").encode())
    assert [request.url for request in spider.parse_feed(feed)] == [good]
    listing = HtmlResponse("https://news.example/", encoding="utf-8", body=(
        b'<a href="http://[oops/2025/06/01/x-y-z/">x</a><a href="/2025/06/01/rocket-lands-again/">ok</a>'
        b'<a href="http://news.example:port/page/2/">2</a><a href="/page/2/">2</a>'))
    assert sorted(request.url for request in spider.parse_listing(listing, depth=0)) == [
        good, "https://news.example/page/2/"]
    entries = [{"loc": "http://[oops/2025/06/01/x/"}, {"loc": "/child-a.xml"}, {"loc": good, "lastmod": "2025-06-01"}]
    assert [entry["loc"] for entry in spider.sitemap_filter(entries)] == [good]


def sitemap_response(body: bytes) -> tuple[SiteSpider, Response]:
    spider_class = SiteSpider.for_site(Site(name="news", domains=("news.example",),
                                            sitemaps=("https://news.example/sitemap.xml.gz",)))
    url = "https://news.example/sitemap.xml.gz"
    return (spider_class.from_crawler(get_crawler(spider_class)),
            Response(url, body=body, headers={"Content-Type": "application/x-gzip"}, request=Request(url)))


@pytest.mark.parametrize("body", [bytes(range(256)) * 2, b"\x1f\x8b\x08\x00" + bytes(range(256)),
                                  b'<?xml version="1.0"?>', b"<html><body>Not found</body></html>"])
def test_a_sitemap_that_is_not_xml_or_corrupt_gzip_is_ignored_in_one_line(body, caplog):
    spider, response = sitemap_response(body)
    assert list(spider._parse_sitemap(response)) == []
    assert "Ignoring invalid sitemap" in caplog.text


def test_a_utf16_sitemap_is_read():
    urlset = ('<?xml version="1.0" encoding="UTF-16"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
              "<url><loc>https://news.example/2025/06/01/rocket-lands-again/</loc></url></urlset>")
    spider, response = sitemap_response(urlset.encode("utf-16"))
    assert [request.url for request in spider._parse_sitemap(response)] == [
        "https://news.example/2025/06/01/rocket-lands-again/"]


class _HostileSite(BaseHTTPRequestHandler):
    """A feed whose one article breaks off mid-response, and a sitemap index that names a new
    index at every fetch."""
    fetches = 0

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass

    def do_GET(self) -> None:
        base = f"http://127.0.0.1:{self.server.server_address[1]}"
        kind = "application/xml"
        if self.path == "/feed/":
            body = f"<rss><channel><item><link>{base}/2025/06/01/cut-short-story/</link></item></channel></rss>".encode()
        elif self.path.startswith("/sitemap.xml"):
            type(self).fetches += 1
            body = (f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap>'
                    f'<loc>{base}/sitemap.xml?n={self.fetches}</loc></sitemap></sitemapindex>').encode()
        elif self.path.startswith("/2025/"):
            body = b"<html><body><h1>Story</h1>" + b"<p>Words of the story.</p>" * 300
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[:len(body) // 3])  # then the connection closes
            return
        else:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def test_a_response_cut_short_is_one_line_and_an_endless_sitemap_chain_ends(tmp_path):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _HostileSite)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    sites = tmp_path / "sites.toml"
    sites.write_text(f'[[site]]\nname = "hostile"\ndomains = ["127.0.0.1"]\nfeeds = ["{base}/feed/"]\n'
                     f'sitemaps = ["{base}/sitemap.xml"]\n')
    try:
        result = scrapy("crawl", "hostile", "-s", "RETRY_TIMES=0", "-s", "CLOSESPIDER_TIMEOUT=100",
                        sites_file=sites, database_url=f"sqlite:///{tmp_path / 's.db'}")
    finally:
        server.shutdown()
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr[-3000:]
    assert re.search(r"Error downloading <GET .*/cut-short-story/>: ResponseDataLossError", result.stderr)
    assert 5 < _HostileSite.fetches <= 11, "the sitemap chain is followed, and cut by DEPTH_LIMIT"
