"""Keeping sites current at a polite pace (issue 19): the revisit policy, the dropped pages'
memory, backfills and robots.txt kept between crawls. Pure rules first, then one local site with no
sitemap crawled in sequence as a user would: full, feeds, publish, feeds, full again, backfills."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from scrapy import Request, Spider
from scrapy.http import HtmlResponse
from scrapy.selector import Selector
from scrapy.utils.test import get_crawler

from crawler.db.repository import (KnownArticle, KnownDrop, dropped_counts, forget_dropped, known_drops,
                                   remember_dropped, touch_dropped)
from crawler.extraction import EXTRACTOR_VERSION
from crawler.middlewares.incremental import CONDITIONAL, REMEMBERED_DROP, IncrementalMiddleware
from crawler.middlewares.revisit import drop_expired, revisit_ages, revisit_due
from crawler.ops.backfill import backfill_text
from crawler.ops.run_stats import INCREMENTAL_PREFIX
from crawler.ops.schedule_runner import Job, next_runs
from crawler.sites.base import Site, SiteError
from crawler.spiders.backfill import dates_shown, feed_entry_date
from fakesite import FakeSite, serve
from tests.helpers import scrapy, stored

PUBLISHED = datetime(2026, 3, 1, 12, tzinfo=UTC)
AGES = revisit_ages("1,6,24,168")


def seen(at: timedelta, published: datetime | None = PUBLISHED, first_seen: datetime | None = None) -> KnownArticle:
    return KnownArticle(PUBLISHED + at, None, None, published, first_seen)


def test_a_known_article_is_due_once_per_age_it_passed_since_it_was_last_seen() -> None:
    assert not revisit_due(seen(timedelta(minutes=10)), PUBLISHED + timedelta(minutes=50), AGES)
    assert revisit_due(seen(timedelta(minutes=10)), PUBLISHED + timedelta(hours=2), AGES)
    assert not revisit_due(seen(timedelta(hours=1, minutes=5)), PUBLISHED + timedelta(hours=5), AGES)
    assert revisit_due(seen(timedelta(hours=1, minutes=5)), PUBLISHED + timedelta(hours=7), AGES)
    assert revisit_due(seen(timedelta(days=3)), PUBLISHED + timedelta(days=30), AGES)  # the 7-day look
    assert not revisit_due(seen(timedelta(days=8)), PUBLISHED + timedelta(days=300), AGES), "then full runs only"
    # first found long after publication: not asked again until the next age it has not passed
    assert not revisit_due(seen(timedelta(days=2)), PUBLISHED + timedelta(days=3), AGES)
    # no date: its age counts from when it was first stored
    undated = seen(timedelta(minutes=1), published=None, first_seen=PUBLISHED)
    assert revisit_due(undated, PUBLISHED + timedelta(hours=2), AGES)
    assert not revisit_due(seen(timedelta(minutes=1)), PUBLISHED + timedelta(days=9), revisit_ages(""))


def test_revisit_ages_come_from_a_setting_or_a_site() -> None:
    assert revisit_ages(" 6, 1,") == (timedelta(hours=1), timedelta(hours=6))
    assert revisit_ages([0.5, 24]) == (timedelta(minutes=30), timedelta(days=1))
    for bad in ("soon", "1,-6", [True]):
        with pytest.raises(ValueError, match="hours after publication"):
            revisit_ages(bad)
    with pytest.raises(SiteError, match="revisit_after_hours"):
        Site(name="x", domains=("x.example",), feeds=("https://x.example/feed",), revisit_after_hours=(-1.0,))
    with pytest.raises(SiteError, match="%Y and %m"):
        Site(name="x", domains=("x.example",), feeds=("https://x.example/feed",),
             date_archives=("https://x.example/archive/",))


def test_a_remembered_drop_is_fetched_again_when_extraction_changed_or_it_is_old() -> None:
    now = datetime(2026, 5, 1, tzinfo=UTC)
    drop = KnownDrop("not_article", now - timedelta(days=2), '"e1"', None, EXTRACTOR_VERSION)
    assert not drop_expired(drop, now, EXTRACTOR_VERSION, timedelta(days=30))
    assert drop_expired(drop, now, EXTRACTOR_VERSION + "-next", timedelta(days=30))
    assert drop_expired(drop, now, EXTRACTOR_VERSION, timedelta(days=1))


def test_dropped_pages_are_remembered_in_the_store(engine) -> None:  # type: ignore[no-untyped-def]
    then = datetime(2026, 4, 1, tzinfo=UTC)
    page = {"site": "x", "etag": '"e"', "last_modified": None, "extractor_version": EXTRACTOR_VERSION}
    remember_dropped(engine, [{**page, "url": "https://x.org/about", "reason": "not_article"},
                              {**page, "url": "https://x.org/gone", "reason": "not_found", "etag": None}], now=then)
    remember_dropped(engine, [{**page, "url": "https://x.org/about", "reason": "no_title"}], now=then)  # replaces
    assert known_drops(engine, "x") == {
        "https://x.org/about": KnownDrop("no_title", then, '"e"', None, EXTRACTOR_VERSION),
        "https://x.org/gone": KnownDrop("not_found", then, None, None, EXTRACTOR_VERSION)}
    assert dropped_counts(engine) == {"x": {"no_title": 1, "not_found": 1}} and dropped_counts(engine, "y") == {}
    assert touch_dropped(engine, ["https://x.org/gone"], now=then + timedelta(days=1)) == 1
    assert known_drops(engine, "x")["https://x.org/gone"].last_seen == then + timedelta(days=1)
    assert forget_dropped(engine, ["https://x.org/about", "https://x.org/never"]) == 1
    assert list(known_drops(engine, "x")) == ["https://x.org/gone"]


def middleware_for(mode: str) -> IncrementalMiddleware:
    crawler = get_crawler(Spider, {"SPACECRAWL_REVISIT_AFTER_HOURS": "1,6,24,168", "SPACECRAWL_DROPPED_RECHECK_DAYS": 30})
    crawler.spider = spider = Spider(name="policy")
    spider.mode = mode
    crawler.stats.open_spider()
    middleware = IncrementalMiddleware(crawler)
    now = middleware.now
    middleware.known = {"http://127.0.0.1/old": KnownArticle(now - timedelta(days=1), '"a"', None, now - timedelta(days=9)),
                        "http://127.0.0.1/fresh": KnownArticle(now - timedelta(hours=2.5), '"b"', None,
                                                               now - timedelta(hours=3))}
    middleware.drops = {
        "http://127.0.0.1/about": KnownDrop("not_article", now - timedelta(days=1), '"c"', None, EXTRACTOR_VERSION),
        "http://127.0.0.1/tag": KnownDrop("body_too_short", now - timedelta(days=1), None, None, EXTRACTOR_VERSION),
        "http://127.0.0.1/gallery": KnownDrop("not_article", now - timedelta(days=1), '"d"', None, "0")}
    return middleware


def test_feeds_runs_fetch_new_urls_and_due_revisits_only() -> None:
    urls = ["http://127.0.0.1/new", "http://127.0.0.1/old", "http://127.0.0.1/fresh", "http://127.0.0.1/about",
            "http://127.0.0.1/tag", "http://127.0.0.1/gallery"]
    feeds = middleware_for("feeds")
    sent = {r.url: r for r in feeds.process_spider_output(None, [Request(url) for url in urls])}
    # the old article is past its last age; the fresh one passed its 1-hour age since it was seen
    assert set(sent) == {"http://127.0.0.1/new", "http://127.0.0.1/fresh", "http://127.0.0.1/about",
                         "http://127.0.0.1/gallery"}
    assert sent["http://127.0.0.1/fresh"].meta.get(CONDITIONAL) and sent["http://127.0.0.1/about"].meta.get(CONDITIONAL)
    # a drop from an earlier extractor is downloaded whole, marked so that its memory is updated
    gallery = sent["http://127.0.0.1/gallery"]
    assert gallery.meta.get(REMEMBERED_DROP) and not gallery.meta.get(CONDITIONAL)
    assert feeds.stats.get_value(INCREMENTAL_PREFIX + "not_due") == 1
    assert feeds.stats.get_value(INCREMENTAL_PREFIX + "dropped_known") == 1
    # a full run asks about every known article; the drop without validators stays left alone
    full = middleware_for("full")
    assert {r.url for r in full.process_spider_output(None, [Request(url) for url in urls])} == set(urls) - {
        "http://127.0.0.1/tag"}


def test_the_scheduler_never_starts_a_backfill() -> None:
    site = Site(name="news", domains=("news.example",), feeds=("https://news.example/feed",),
                sitemaps=("https://news.example/sitemap.xml",))
    now = datetime(2026, 5, 1, tzinfo=UTC)
    starts = {("news", "backfill"): now - timedelta(days=2), ("news", "full"): now - timedelta(hours=1)}
    assert [job for _, job in next_runs({"news": site}, starts, now)] == [Job("news", "feeds")]
    assert [job for _, job in next_runs({"news": site}, {("news", "backfill"): now}, now)] == [Job("news", "full")]


def test_a_listing_card_date_belongs_to_the_one_article_it_links() -> None:
    html = ("<html><body><header><time datetime='2026-05-01T00:00:00Z'>today</time><a href='/news/a'>A</a>"
            "<a href='/news/b'>B</a></header><main>"
            "<article><h2><a href='/news/a'>A</a></h2><time datetime='2024-01-02T10:00:00+02:00'>x</time>"
            "<a href='/author/x/'>X</a><a href='/news/a'>more</a></article>"
            "<li><div><time datetime='2023-03-04'>y</time></div><p><a href='/news/c?utm_source=feed'>C</a></p></li>"
            "<time datetime='not a date'></time></main></body></html>")
    response = HtmlResponse("https://news.example/", body=html.encode(), encoding="utf-8")

    def article_url(href: str) -> str | None:
        return response.urljoin(href).split("?")[0] if href.startswith("/news/") else None

    assert dates_shown(response, article_url) == {
        "https://news.example/news/a": datetime(2024, 1, 2, 8, tzinfo=UTC),
        "https://news.example/news/c": datetime(2023, 3, 5, tzinfo=UTC) - timedelta(microseconds=1)}


def test_a_feed_entry_date_is_the_latest_it_gives() -> None:
    entry = Selector(text="<item><pubDate>Tue, 03 Mar 2026 10:00:00 +0100</pubDate><updated>2026-03-04T00:00:00Z</updated>"
                          "</item>", type="xml").xpath("//item")[0]
    assert feed_entry_date(entry) == datetime(2026, 3, 4, tzinfo=UTC)
    entry = Selector(text="<item><pubDate>Tue, 03 Mar 2026 10:00:00 +0100</pubDate></item>", type="xml").xpath("//item")[0]
    assert feed_entry_date(entry) == datetime(2026, 3, 3, 9, tzinfo=UTC)
    assert feed_entry_date(Selector(text="<item><pubDate>soon</pubDate></item>", type="xml").xpath("//item")[0]) is None


# --- one site with no sitemap, crawled in sequence ---------------------------------------------------------

ARTICLES = 200  # 20 pages of the home page's listing: a full run's 3 pages deep reach 12 of them


def crawl(site: FakeSite, tmp_path: Path, *args: str) -> tuple[Counter[str], Counter[str], str]:
    """One `scrapy crawl`; the requests and whole bodies it cost the site, by path, and its summary line."""
    hits, bodies = Counter(site.hits), Counter(site.full_bodies)
    result = scrapy("crawl", "fakespace", *args, "-s", "SPACECRAWL_EXTRACTION_WORKERS=0",
                    sites_file=tmp_path / "sites.toml", database_url=f"sqlite:///{tmp_path}/store.db")
    assert result.returncode == 0, result.stderr[-3000:]
    return Counter(site.hits) - hits, Counter(site.full_bodies) - bodies, result.stderr.strip().splitlines()[-1]


def test_keeping_a_site_without_sitemap_current(tmp_path: Path) -> None:
    site = FakeSite(ARTICLES, seed=19, sitemaps=False, lazy=True, page_kb=4, upcoming=6)
    with serve(site):
        home = [site.url("/")]  # a feed and the home page's listing, as most sites without sitemap
        (tmp_path / "sites.toml").write_text(site.sites_toml(listing_pages=home), encoding="utf-8")
        article_paths = {post.path for post in site.posts}
        dropped_paths = {urlpath(url) for url in [*site.non_article_urls, site.missing_url]}
        _, _, line = crawl(site, tmp_path, "-a", "mode=full")
        count, urls = stored(f"sqlite:///{tmp_path}/store.db")
        assert 0.2 * ARTICLES < count < 0.8 * ARTICLES, f"a full run reaches part of the archive: {line}"

        # A feeds run right after asks about no known article (all are past their revisits).
        robots = ["-s", "SPACECRAWL_ROBOTSTXT_CACHE_HOURS=24", "-s", f"SPACECRAWL_ROBOTSTXT_CACHE_DIR={tmp_path}/robots"]
        requests, _, line = crawl(site, tmp_path, "-a", "mode=feeds", *robots)
        known = {urlpath(url) for url in urls}
        assert sum(requests[path] for path in known) <= 0.01 * len(known), line
        assert not set(requests) & dropped_paths, "dropped pages are remembered"

        # An unchanged full run downloads no article page and no dropped page again.
        _, bodies, line = crawl(site, tmp_path, "-a", "mode=full")
        assert sum(bodies[path] for path in article_paths | dropped_paths) <= 0.01 * count, line

        # Six new articles: the next feeds run costs them, the feed and the listing's first page; robots.txt was kept.
        new = {post.path for post in site.publish(6)}
        requests, _, line = crawl(site, tmp_path, "-a", "mode=feeds", *robots)
        assert {path for path in requests if path in article_paths | new} == new, line
        assert sum(requests.values()) == len(new) + 2, requests
        assert "/robots.txt" not in requests

        # A backfill reaches the whole archive through the listings' pagination, and says why it stopped.
        _, _, line = crawl(site, tmp_path, "-a", "mode=backfill")
        count, _ = stored(f"sqlite:///{tmp_path}/store.db")
        assert count >= 0.95 * (ARTICLES + len(new)), line
        assert "listings stopped: 1 at their end" in line and "oldest date reached" in line

        # Monthly archives, back to `since`: each listing stops there, and nothing older is asked for.
        since = site.posts[len(site.posts) // 4].published.astimezone(UTC)
        (tmp_path / "sites.toml").write_text(site.sites_toml(listing_pages=home, date_archives=[site.date_archive_pattern]),
                                             encoding="utf-8")
        requests, _, line = crawl(site, tmp_path, "-a", "mode=backfill", "-a", f"since={since:%Y-%m-%d}")
        assert "at since" in line and "at their end" not in line, line
        months = [path for path in requests if path[1:5].isdigit() and path not in article_paths | new | dropped_paths]
        assert months and min(months) >= f"/{since:%Y/%m}/", months

        listing = scrapy("runs", sites_file=tmp_path / "sites.toml", database_url=f"sqlite:///{tmp_path}/store.db")
        assert "dropped pages remembered, fakespace: not_article 2, not_found 1" in listing.stdout, listing.stdout


def test_a_backfill_since_a_date_asks_for_no_article_shown_older(tmp_path: Path) -> None:
    site = FakeSite(ARTICLES, seed=23, sitemaps=False, lazy=True, page_kb=4)
    with serve(site):
        (tmp_path / "sites.toml").write_text(site.sites_toml(listing_pages=[site.url("/")],
                                                             date_archives=[site.date_archive_pattern]), encoding="utf-8")
        since = sorted(post.published for post in site.posts)[ARTICLES // 2].astimezone(UTC)
        start_of_day = since.replace(hour=0, minute=0, second=0, microsecond=0)
        requests, _, line = crawl(site, tmp_path, "-a", "mode=backfill", "-a", f"since={since:%Y-%m-%d}")
        older = {post.path for post in site.posts if post.published < start_of_day}
        newer = {post.path for post in site.posts} - older
        assert older and not set(requests) & older, f"{len(set(requests) & older)} older articles asked for: {line}"
        _, urls = stored(f"sqlite:///{tmp_path}/store.db")
        assert len({urlpath(url) for url in urls} & newer) >= 0.95 * len(newer), line
        assert "at since" in line, line


def urlpath(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def test_a_backfill_that_found_nothing_new_says_so_in_words() -> None:
    # A run's record: its backfill figures, and "oldest" only when a new article had a date.
    assert backfill_text({"backfill": {"listing_pages": 7, "stopped/end": 4}}) == \
        "7 listing pages, no new article with a date; listings stopped: 4 at their end"
    assert backfill_text({"backfill": {"listing_pages": 2, "oldest": "2019-11-02", "stopped/since": 1}}) == \
        "2 listing pages, oldest date reached 2019-11-02; listings stopped: 1 at since"
