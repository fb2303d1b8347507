"""Incremental crawls: a re-crawl downloads only what is new or changed, and a changed article is
updated with its previous version kept as a revision. Real crawls of the local fake site."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from scrapy import Request, Spider
from scrapy.dupefilters import RFPDupeFilter
from scrapy.exceptions import IgnoreRequest
from scrapy.utils.test import get_crawler
from sqlalchemy import func, select

from crawler.db.engine import make_engine
from crawler.db.models import Article, ArticleRevision, CrawlRun
from crawler.db.repository import KnownArticle, known_articles, touch_articles, upsert_articles
from crawler.middlewares.incremental import (
    CONDITIONAL, DEFERRED, IncrementalMiddleware, NotModifiedMiddleware, is_unchanged, parse_lastmod)
from crawler.ops.run_stats import INCREMENTAL_PREFIX
from crawler.sites.base import GENERIC_ARTICLE_URL
from fakesite import FakeSite, serve, text
from tests.helpers import scrapy, sites_file

# A site rule that also takes WordPress shortlinks (/?p=ID), as a site defined by them would: the
# generic rule leaves them alone, so without it the fake site's /?p=ID link is never followed.
WITH_SHORTLINKS = rf"{GENERIC_ARTICLE_URL}|/\?p=\d+$"


def shortlinks_sites_file(site: FakeSite, tmp_path: Path, **extra: str | list[str]) -> Path:
    """The fake site's entry with its archive's /?p=ID link followed (301 to the article)."""
    path = tmp_path / "sites.toml"
    path.write_text(site.sites_toml(name="fakespace", article_url=WITH_SHORTLINKS, **extra), encoding="utf-8")
    return path


def test_lastmod_forms() -> None:
    assert parse_lastmod("2024-05-17T10:00:00+02:00") == datetime(2024, 5, 17, 8, tzinfo=UTC)
    assert parse_lastmod("2024-05-17T10:00:00Z") == datetime(2024, 5, 17, 10, tzinfo=UTC)
    # a bare date covers the whole day: a change later that day must not be skipped
    assert parse_lastmod("2024-05-17") > datetime(2024, 5, 17, 23, 59, tzinfo=UTC)
    assert parse_lastmod("yesterday") is None and parse_lastmod("") is None and parse_lastmod(None) is None
    # dates no UTC clock reaches, as .NET writes its minimum and maximum: no hint, not a failed sitemap
    assert parse_lastmod("0001-01-01T00:00:00+01:00") is None and parse_lastmod("9999-12-31T23:59:59-05:00") is None


def test_skip_only_when_the_hint_is_not_newer() -> None:
    seen = datetime(2024, 5, 17, 12, tzinfo=UTC)
    assert is_unchanged(seen, seen - timedelta(hours=1))
    assert is_unchanged(seen, seen)
    assert not is_unchanged(seen, seen + timedelta(seconds=1))
    assert not is_unchanged(seen, None)  # no hint: ask the server instead


def test_hints_are_kept_only_for_stored_articles() -> None:
    """A new article is fetched whatever its hint says, so a backfill does not keep a hint for
    every URL it crawls; a stored article's hint stays for the late look at a deferred request."""
    crawler = get_crawler(Spider)
    crawler.spider = spider = Spider(name="hints")
    crawler.stats.open_spider()
    middleware = IncrementalMiddleware(crawler)
    middleware.known = {"http://127.0.0.1/stored": KnownArticle(datetime(2024, 1, 1, tzinfo=UTC), None, None)}
    spider.lastmod_hints = {"http://127.0.0.1/new": "2024-05-17", "http://127.0.0.1/stored": "2024-05-17"}
    requests = [Request("http://127.0.0.1/new"), Request("http://127.0.0.1/stored")]
    assert [r.url for r in middleware.process_spider_output(None, requests)] == [r.url for r in requests]
    assert spider.lastmod_hints == {"http://127.0.0.1/stored": "2024-05-17"}


def test_every_copy_of_a_known_article_asks_changed_since() -> None:
    """Scrapy queues a callback's requests on their way to the scheduler, so the copy of an article
    that a later page links may reach the dupefilter before the first copy and be the one fetched:
    it must ask "changed since?" and wait for the sitemaps just as the first copy does."""
    crawler = get_crawler(Spider)
    crawler.spider = spider = Spider(name="copies")
    spider.sitemap_urls = ["http://127.0.0.1/sitemap.xml"]
    crawler.stats.open_spider()
    middleware = IncrementalMiddleware(crawler)
    url = "http://127.0.0.1/stored"
    middleware.known = {url: KnownArticle(datetime(2024, 1, 1, tzinfo=UTC), '"v1"', None)}
    from_listing, from_feed = (list(middleware.process_spider_output(None, [Request(url)])) for _ in range(2))
    dupefilter = RFPDupeFilter.from_crawler(crawler)
    fetched = [r for r in (*from_feed, *from_listing) if not dupefilter.request_seen(r)]
    assert len(fetched) == 1 and fetched[0].headers.get("If-None-Match") == b'"v1"'
    assert fetched[0].meta.get(DEFERRED) and fetched[0].priority < Request(url).priority
    assert crawler.stats.get_value(INCREMENTAL_PREFIX + "deferred") == 1  # the article is counted once


def test_a_redirect_to_a_known_article_is_one_more_copy() -> None:
    """RedirectMiddleware's request for a known article reaches the downloader middlewares without
    passing the spider middlewares: it asks "changed since?" or is skipped as the spider's copies
    are, and the article is counted once whichever copy comes first."""
    crawler = get_crawler(Spider)
    crawler.spider = spider = Spider(name="redirects")
    crawler.stats.open_spider()
    incremental = IncrementalMiddleware(crawler)
    downloader = NotModifiedMiddleware(crawler)
    downloader.incremental = incremental
    last_seen = datetime(2024, 1, 1, tzinfo=UTC)
    asked, hinted = "http://127.0.0.1/asked", "http://127.0.0.1/hinted"
    incremental.known = {url: KnownArticle(last_seen, '"v1"', None) for url in (asked, hinted)}

    def redirect_to(url: str) -> Request:
        return Request(url, meta={"redirect_urls": ["http://127.0.0.1/?p=7"]})

    # no hint yet: the redirect is the copy fetched, conditional; the spider's later copy (the
    # sitemap's hint now in) goes on to the dupefilter uncounted
    redirected = redirect_to(asked)
    assert downloader.process_request(redirected) is None
    assert redirected.headers.get("If-None-Match") == b'"v1"' and redirected.meta.get(CONDITIONAL)
    spider.lastmod_hints = {asked: "2023-12-01", hinted: "2023-12-01"}
    assert [r.url for r in incremental.process_spider_output(None, [Request(asked)])] == [asked]
    # the hint came first: the spider's copy is skipped and counted, the redirect dropped uncounted
    assert list(incremental.process_spider_output(None, [Request(hinted)])) == []
    with pytest.raises(IgnoreRequest):
        downloader.process_request(redirect_to(hinted))
    assert crawler.stats.get_value(INCREMENTAL_PREFIX + "skipped") == 1
    # a request that was not redirected is the spider middleware's business alone
    assert downloader.process_request(Request(asked)) is None


def test_known_articles_by_either_url_and_touching(engine) -> None:  # type: ignore[no-untyped-def]
    then = datetime(2024, 1, 1, tzinfo=UTC)
    upsert_articles(engine, [{"url": "https://x.org/a", "fetched_url": "https://x.org/a?utm=1", "site": "x",
                              "title": "A", "body": "b", "etag": '"v1"', "last_modified": "Mon, 01 Jan 2024 00:00:00 GMT"}],
                    now=then)
    known = known_articles(engine, "x")
    assert known["https://x.org/a"] == known["https://x.org/a?utm=1"] == KnownArticle(
        then, '"v1"', "Mon, 01 Jan 2024 00:00:00 GMT", published=None, first_seen=then)
    assert known_articles(engine, "other") == {}
    later = then + timedelta(days=1)
    assert touch_articles(engine, ["https://x.org/a?utm=1"], now=later) == 1
    assert known_articles(engine, "x")["https://x.org/a"].last_seen == later
    # an unchanged re-store keeps the validators current
    upsert_articles(engine, [{"url": "https://x.org/a", "site": "x", "title": "A", "body": "b", "etag": '"v2"'}])
    assert known_articles(engine, "x")["https://x.org/a"].etag == '"v2"'


def test_recrawl_fetches_only_the_changed(database_url, tmp_path) -> None:  # type: ignore[no-untyped-def]
    site = FakeSite(articles=24, seed=8)
    with serve(site):
        sites = shortlinks_sites_file(site, tmp_path)
        first = scrapy("crawl", "fakespace", sites_file=sites, database_url=database_url)
        assert first.returncode == 0, first.stderr[-3000:]
        expected = {a.url: a for a in site.expected_articles()}
        # Two articles change after the first crawl: a new paragraph and a new dateModified (and so
        # sitemap lastmod, ETag and Last-Modified); one only the listing pages link to.
        changed = [site.listing_only_post.index, 5]
        for index in changed:
            site.update_article(index, f"Correction {index}: the launch moved to the next window.",
                                modified=datetime.now(UTC))
        bodies_before = dict(site.full_bodies)
        second = scrapy("crawl", "fakespace", sites_file=sites, database_url=database_url)
        assert second.returncode == 0, second.stderr[-3000:]

    engine = make_engine(database_url)
    with engine.connect() as connection:
        runs = connection.execute(select(CrawlRun).order_by(CrawlRun.id)).all()
        rows = {row.url: row for row in connection.execute(select(Article))}
        revised = connection.execute(select(Article.url, ArticleRevision.body)
                                     .join(ArticleRevision, ArticleRevision.article_id == Article.id)).all()
    engine.dispose()

    changed_urls = {site.url(site.posts[i].path) for i in changed}
    assert set(rows) == set(expected)
    assert {url for url, _ in revised} == changed_urls and len(revised) == len(changed)
    for url, old_body in revised:
        assert "Correction" not in old_body and "Correction" in rows[url].body
    for url, row in rows.items():  # validators stored as the site sends them
        assert row.etag == site.pages[url.removeprefix(site.base_url)].etag

    article_paths = {site.posts[a.index].path for a in expected.values()}
    downloaded = {path: n - bodies_before.get(path, 0) for path, n in site.full_bodies.items()
                  if path in article_paths and n > bodies_before.get(path, 0)}
    incremental = runs[1].stats["incremental"]
    assert runs[1].stats["new"] == 0 and runs[1].stats["updated"] == len(changed)
    assert {site.posts[i].path for i in changed} <= set(downloaded)
    assert sum(downloaded.values()) == len(changed), (downloaded, incremental, second.stderr[-3000:])
    assert incremental.get("skipped", 0) + incremental.get("not_modified", 0) >= len(expected) - len(changed)


def test_recrawl_asks_changed_since_through_a_redirect(database_url, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A listing links a stored article only by its old address /?p=ID (301 to the article): the
    re-crawl follows the redirect and gets a 304, not the article again."""
    site = FakeSite(articles=8, seed=3)
    redirected = site.redirected_post
    # one tag page to start from: the article is not on it, so the redirect is the only way there
    tag = next(tag for tag in text.TAGS if tag not in redirected.tags)
    with serve(site):
        sites = shortlinks_sites_file(site, tmp_path, feeds=[], sitemaps=[],
                                      listing_pages=[site.url(f"/tag/{text.slugify(tag)}/")])
        first = scrapy("crawl", "fakespace", sites_file=sites, database_url=database_url)
        assert first.returncode == 0, first.stderr[-3000:]
        assert site.full_bodies[redirected.path] == 1 and site.hits[redirected.path] == 1
        shortlink = site.redirect_url.removeprefix(site.base_url)
        hits_before, bodies_before = dict(site.hits), dict(site.full_bodies)
        second = scrapy("crawl", "fakespace", sites_file=sites, database_url=database_url)
        assert second.returncode == 0, second.stderr[-3000:]

    engine = make_engine(database_url)
    with engine.connect() as connection:
        runs = connection.execute(select(CrawlRun).order_by(CrawlRun.id)).all()
        rows = connection.execute(select(Article).where(Article.url == site.url(redirected.path))).all()
        revisions = connection.scalar(select(func.count()).select_from(ArticleRevision))
    engine.dispose()

    assert site.hits[shortlink] == hits_before[shortlink] + 1  # the redirect was followed again
    # ... to one request for the article, answered 304: its body went out in the first crawl only
    assert site.hits[redirected.path] == 2 and site.full_bodies[redirected.path] == 1, second.stderr[-3000:]
    assert len(rows) == 1 and rows[0].last_seen > rows[0].first_seen and revisions == 0
    article_paths = {post.path for post in site.posts}
    requests = sum(n - hits_before.get(target, 0) for target, n in site.hits.items()
                   if urlsplit(target).path in article_paths)
    not_modified = requests - sum(site.full_bodies[path] - bodies_before.get(path, 0) for path in article_paths)
    stats = runs[1].stats
    assert stats["new"] == stats["updated"] == 0
    # every 304 the site sent counted once, and no article also counted skipped; the pages the first
    # crawl dropped (about, gallery) or found missing (404) are remembered and left alone
    assert stats["incremental"] == {"not_modified": not_modified, "dropped_known": 3}, stats


def test_feeds_mode_reads_no_sitemaps(tmp_path) -> None:  # type: ignore[no-untyped-def]
    site = FakeSite(articles=6, seed=4)
    with serve(site):
        result = scrapy("crawl", "fakespace", "-a", "mode=feeds", sites_file=sites_file(site, tmp_path),
                        database_url=f"sqlite:///{tmp_path / 'store.db'}")
    assert result.returncode == 0, result.stderr[-3000:]
    assert not any("sitemap" in target for target in site.hits), "a feeds run fetched a sitemap"
    assert site.hits["/feed/"] == 1
    engine = make_engine(f"sqlite:///{tmp_path / 'store.db'}")
    with engine.connect() as connection:
        assert connection.scalar(select(CrawlRun.mode)) == "feeds"
    engine.dispose()


def test_unknown_mode_is_a_clear_error(tmp_path) -> None:  # type: ignore[no-untyped-def]
    site = FakeSite(articles=3)
    with serve(site):
        result = scrapy("crawl", "fakespace", "-a", "mode=daily", sites_file=sites_file(site, tmp_path),
                        database_url=f"sqlite:///{tmp_path / 'store.db'}")
    assert result.returncode != 0
    assert "mode 'daily': use one of feeds, full" in result.stderr and "Traceback" not in result.stderr
