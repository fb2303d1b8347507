"""Incremental crawls: a re-crawl downloads only what is new or changed, and a changed article is
updated with its previous version kept as a revision. Real crawls of the local fake site."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from scrapy import Request, Spider
from scrapy.dupefilters import RFPDupeFilter
from scrapy.utils.test import get_crawler
from sqlalchemy import select

from crawler.db.engine import make_engine
from crawler.db.models import Article, ArticleRevision, CrawlRun
from crawler.db.repository import KnownArticle, known_articles, touch_articles, upsert_articles
from crawler.middlewares.incremental import (
    DEFERRED, STATS_PREFIX, IncrementalMiddleware, is_unchanged, parse_lastmod)
from tests.fakesite import FakeSite, serve
from tests.test_crawl import scrapy, sites_file


def test_lastmod_forms() -> None:
    assert parse_lastmod("2024-05-17T10:00:00+02:00") == datetime(2024, 5, 17, 8, tzinfo=UTC)
    assert parse_lastmod("2024-05-17T10:00:00Z") == datetime(2024, 5, 17, 10, tzinfo=UTC)
    # a bare date covers the whole day: a change later that day must not be skipped
    assert parse_lastmod("2024-05-17") > datetime(2024, 5, 17, 23, 59, tzinfo=UTC)
    assert parse_lastmod("yesterday") is None and parse_lastmod("") is None and parse_lastmod(None) is None


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
    assert crawler.stats.get_value(STATS_PREFIX + "deferred") == 1  # the article is counted once


def test_known_articles_by_either_url_and_touching(engine) -> None:  # type: ignore[no-untyped-def]
    then = datetime(2024, 1, 1, tzinfo=UTC)
    upsert_articles(engine, [{"url": "https://x.org/a", "fetched_url": "https://x.org/a?utm=1", "site": "x",
                              "title": "A", "body": "b", "etag": '"v1"', "last_modified": "Mon, 01 Jan 2024 00:00:00 GMT"}],
                    now=then)
    known = known_articles(engine, "x")
    assert known["https://x.org/a"] == known["https://x.org/a?utm=1"] == KnownArticle(
        then, '"v1"', "Mon, 01 Jan 2024 00:00:00 GMT")
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
        sites = sites_file(site, tmp_path)
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
    # Beyond the changed ones, at most the traps' extra addresses come back in full (the redirect
    # from /?p=ID; the tracking-parameter copy, whose canonical URL is what is stored).
    assert sum(downloaded.values()) <= len(changed) + 2, (downloaded, incremental, second.stderr[-3000:])
    assert incremental.get("skipped", 0) + incremental.get("not_modified", 0) >= len(expected) - len(changed) - 2


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
