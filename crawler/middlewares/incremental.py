"""Incremental crawls: a repeated crawl downloads only what is new or changed.

``IncrementalMiddleware`` (spider middleware) loads the store's articles of the site when the
spider opens (URL -> last seen, ETag, Last-Modified) and looks at every request the spider makes
for a known article, before it is scheduled:

- a date hint the spider found (sitemap ``<lastmod>``, Atom ``<updated>``) not newer than when the
  article was last seen: dropped there (``spacecrawl/incremental/skipped``), costing nothing;
- otherwise the request asks "changed since?" (If-None-Match / If-Modified-Since).
- In a full crawl, a known article reached first through a listing page or an RSS item (no hint)
  is scheduled at a low priority (``spacecrawl/incremental/deferred``): by the time it comes round
  the sitemaps have usually given its lastmod, and ``NotModifiedMiddleware`` skips it then.

``NotModifiedMiddleware`` (downloader middleware) makes that late check and turns a 304 into
"unchanged": counted ``spacecrawl/incremental/not_modified``, the article's ``last_seen`` touched,
extraction never run. It also hands ``IncrementalMiddleware`` the requests no spider middleware
sees, those RedirectMiddleware makes (WordPress's ``/?p=ID`` moving to a known article's URL), so
they are skipped or made conditional like any other copy. ``ValidatorsMiddleware`` puts each
response's ETag and Last-Modified on its Article for the store.

Publication dates (RSS ``pubDate``, news sitemaps) are not hints: they say nothing of later
changes, and a skip on one would hide a change the sitemap announces.

Outside full runs (feeds runs, backfills) a known article is asked for only when the revisit
policy says it is due (crawler/middlewares/revisit.py; ``spacecrawl/incremental/not_due``
otherwise). A page an earlier crawl dropped, remembered in the store, is asked for only when a hint
says it changed (conditionally when it has validators), when extraction's version changed, or
after ``SPACECRAWL_DROPPED_RECHECK_DAYS`` (``spacecrawl/incremental/dropped_known`` otherwise).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Response
from sqlalchemy import Engine

from crawler.db.engine import StoreUnavailable, ensure_schema, make_engine, one_writer_at_a_time, reporting_unavailable
from crawler.db.repository import KnownArticle, KnownDrop, known_articles, known_drops, touch_articles, touch_dropped
from crawler.extraction import EXTRACTOR_VERSION
from crawler.items import Article
from crawler.middlewares.revisit import drop_expired, revisit_ages, revisit_due
from crawler.ops.run_stats import INCREMENTAL_PREFIX

logger = logging.getLogger(__name__)

LAST_SEEN = "spacecrawl_last_seen"  # request meta: when the known article was last seen
DEFERRED = "spacecrawl_deferred"  # request meta: scheduled late to wait for the sitemaps' hints
CONDITIONAL = "spacecrawl_conditional"  # request meta: we added the validators, so a 304 is ours
REMEMBERED_DROP = "spacecrawl_remembered_drop"  # request meta: an earlier crawl dropped this page
DEFER_PRIORITY = 1000  # below every request of the crawl proper (Scrapy's adjustments are a few units)
TOUCH_BATCH = 500  # 304s remembered before their last_seen is written


def parse_lastmod(text: str | None) -> datetime | None:
    """A W3C / RFC 3339 date (sitemap lastmod, Atom updated) as aware UTC; None if unreadable.
    A date without a time means the end of that day, so a change later that day is not missed."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
        if len(text) <= 10:  # "2024-05-17"
            parsed += timedelta(days=1) - timedelta(microseconds=1)
        return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
    except (ValueError, OverflowError):  # OverflowError: .NET's minimum date "0001-01-01T00:00:00+01:00"
        return None


def lastmod_hint(spider: Spider | None, url: str) -> datetime | None:
    """The modification date the spider's sitemaps or feeds gave for ``url`` so far."""
    return parse_lastmod(getattr(spider, "lastmod_hints", {}).get(url))


def is_unchanged(last_seen: datetime, lastmod: datetime | None) -> bool:
    """True when the hint says the article has not changed since it was last seen."""
    return lastmod is not None and lastmod <= last_seen


def incremental_enabled(crawler: Crawler) -> None:
    """Raise NotConfigured unless incremental crawling is on and there is a store to compare with."""
    if not crawler.settings.getbool("SPACECRAWL_INCREMENTAL"):
        raise NotConfigured("SPACECRAWL_INCREMENTAL is off")
    if not crawler.settings.getbool("SPACECRAWL_STORE_ENABLED"):
        raise NotConfigured("no store to compare with")


class IncrementalMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.database_url: str = crawler.settings.get("SPACECRAWL_DATABASE_URL")
        self.known: dict[str, KnownArticle] = {}
        self.drops: dict[str, KnownDrop] = {}  # pages earlier crawls dropped, by the URL they were fetched from
        self.skipped: set[str] = set()  # a URL is skipped (and counted) once, however many pages link it
        self.sent: dict[str, bool] = {}  # requested URL -> whether it was deferred
        self.revisit_after = revisit_ages(crawler.settings.get("SPACECRAWL_REVISIT_AFTER_HOURS") or "")
        self.dropped_recheck = timedelta(days=crawler.settings.getfloat("SPACECRAWL_DROPPED_RECHECK_DAYS"))
        self.now = datetime.now(UTC)  # the crawl's start: articles' ages are taken at it

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> IncrementalMiddleware:
        incremental_enabled(crawler)
        middleware = cls(crawler)
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        return middleware

    def spider_opened(self, spider: Spider) -> None:
        try:
            engine = make_engine(self.database_url)
            try:
                ensure_schema(engine)
                with reporting_unavailable(self.database_url):
                    self.known = known_articles(engine, spider.name)
                    self.drops = known_drops(engine, spider.name)
            finally:
                engine.dispose()
        except StoreUnavailable as error:
            logger.warning("incremental: %s; every article is fetched this time", error)
            return
        site_ages = getattr(getattr(spider, "site", None), "revisit_after_hours", None)
        if site_ages is not None:
            self.revisit_after = revisit_ages(site_ages)
        self.now = datetime.now(UTC)
        logger.info("incremental: %d stored articles and %d dropped pages of %s known", len(self.known),
                    len(self.drops), spider.name)

    def process_spider_output(self, response: Response, result: Iterable[Any]) -> Iterable[Any]:
        for output in result:
            if not isinstance(output, Request) or (output := self._incremental(output)) is not None:
                yield output

    async def process_spider_output_async(self, response: Response, result: AsyncIterator[Any]) -> AsyncIterator[Any]:
        async for output in result:
            if not isinstance(output, Request) or (output := self._incremental(output)) is not None:
                yield output

    def _incremental(self, request: Request) -> Request | None:
        """The request as it should go out, or None when the article is known unchanged."""
        known = self._known(request.url)
        if known is None:
            # A new article is fetched whatever its sitemap says: its hint is never read, and a
            # backfill would otherwise keep one for every URL it crawls.
            getattr(self.crawler.spider, "lastmod_hints", {}).pop(request.url, None)
            return self._marked(request) if request.url in self.drops else request
        if request.url in self.skipped:
            return None
        deferred = self.sent.get(request.url)
        if deferred is None:
            spider = self.crawler.spider
            lastmod = lastmod_hint(spider, request.url)
            if self._leave_alone(request.url, known, lastmod):
                return None
            deferred = lastmod is None and getattr(spider, "mode", "full") == "full" and bool(
                getattr(spider, "sitemap_urls", None))
            if deferred:
                self.stats.inc_value(INCREMENTAL_PREFIX + "deferred")
            self.sent[request.url] = deferred
        # Every copy goes out as the first did: requests wait in a queue between the spider
        # middlewares and the scheduler, so a later copy may reach the dupefilter first and be the
        # one fetched (an unconditional copy would download an unchanged article again).
        request = self._marked(request)  # a copy: meta and headers too, the spider's request stays as made
        if deferred:
            request.meta[DEFERRED] = True
            request.priority -= DEFER_PRIORITY
        _ask_changed_since(request, known)
        return request

    def _known(self, url: str) -> KnownArticle | KnownDrop | None:
        """What the store knows of ``url`` that may spare its download; None: fetch it as new. A
        dropped page that extraction may now read otherwise, or not looked at for long, is new."""
        known = self.known.get(url)
        if known is not None:
            return known
        drop = self.drops.get(url)
        if drop is not None and drop_expired(drop, self.now, EXTRACTOR_VERSION, self.dropped_recheck):
            return None
        return drop

    def _leave_alone(self, url: str, known: KnownArticle | KnownDrop, lastmod: datetime | None) -> bool:
        """True when ``url`` is not fetched this run (counted once; its copies dropped too): a hint
        says unchanged, a known article's revisit is not due outside a full run, a dropped page has
        neither a newer hint nor validators to ask with."""
        if is_unchanged(known.last_seen, lastmod):
            outcome = "skipped"
        elif isinstance(known, KnownDrop):
            outcome = "dropped_known" if lastmod is None and not (known.etag or known.last_modified) else ""
        elif getattr(self.crawler.spider, "mode", "full") != "full":
            outcome = "" if revisit_due(known, self.now, self.revisit_after) else "not_due"
        else:
            outcome = ""
        if outcome:
            self.stats.inc_value(INCREMENTAL_PREFIX + outcome)
            self.skipped.add(url)
        return bool(outcome)

    def redirected(self, request: Request) -> bool:
        """Ready, in place, a request RedirectMiddleware made as the spider's copies of its URL are
        readied; False when the article is known unchanged.

        It has passed the dupefilter, so it is the one copy fetched: it is not deferred (it is
        already out of the queue) and the hint is read now."""
        if request.url in self.drops:
            request.meta[REMEMBERED_DROP] = True
        known = self._known(request.url)
        if known is None:
            return True
        if request.url in self.skipped or self._leave_alone(
                request.url, known, lastmod_hint(self.crawler.spider, request.url)):
            return False
        # later copies from the spider are sent (to the dupefilter), not skipped: a 304 to this one
        # already counts the article
        self.sent.setdefault(request.url, False)
        _ask_changed_since(request, known)
        return True

    def _marked(self, request: Request) -> Request:
        """A copy of ``request``, marked when it asks for a page an earlier crawl dropped."""
        request = request.copy()
        if request.url in self.drops:
            request.meta[REMEMBERED_DROP] = True
        return request


def _ask_changed_since(request: Request, known: KnownArticle | KnownDrop) -> None:
    """Give ``request`` the stored validators (a header already set is kept); a 304 is then ours."""
    request.meta[LAST_SEEN] = known.last_seen
    for name, value in (("If-None-Match", known.etag), ("If-Modified-Since", known.last_modified)):
        if value:
            request.headers.setdefault(name, value)
            request.meta[CONDITIONAL] = True


class NotModifiedMiddleware:
    """Downloader middleware: the late look at a deferred or redirected request, and 304 as "unchanged"."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.database_url: str = crawler.settings.get("SPACECRAWL_DATABASE_URL")
        self.engine: Engine | None = None
        self.not_modified: list[str] = []  # URLs answered 304, last_seen not yet written
        # Its known articles, skips and counts serve the requests spider middlewares never see.
        self.incremental: IncrementalMiddleware | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> NotModifiedMiddleware:
        incremental_enabled(crawler)
        middleware = cls(crawler)
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def spider_opened(self, spider: Spider) -> None:
        self.incremental = self.crawler.get_spider_middleware(IncrementalMiddleware)

    def process_request(self, request: Request) -> None:
        # A redirect comes back here from the scheduler, never through the spider middlewares:
        # RedirectMiddleware's new request goes straight from its process_response to the engine.
        if (request.meta.get("redirect_urls") and self.incremental is not None
                and not self.incremental.redirected(request)):
            raise IgnoreRequest(f"unchanged since it was last seen: {request.url}")
        if request.meta.get(DEFERRED) and is_unchanged(request.meta[LAST_SEEN],
                                                       lastmod_hint(self.crawler.spider, request.url)):
            self.stats.inc_value(INCREMENTAL_PREFIX + "skipped")
            raise IgnoreRequest(f"unchanged since it was last seen: {request.url}")

    def process_response(self, request: Request, response: Response) -> Response:
        if response.status != 304 or not request.meta.get(CONDITIONAL):
            return response
        self.stats.inc_value(INCREMENTAL_PREFIX + "not_modified")
        self.not_modified.append(request.url)
        if len(self.not_modified) >= TOUCH_BATCH:
            self._write_not_modified()
        raise IgnoreRequest(f"not modified: {request.url}")

    def spider_closed(self, spider: Spider) -> None:
        self._write_not_modified()
        if self.engine is not None:
            self.engine.dispose()

    def _write_not_modified(self) -> None:
        if not self.not_modified:
            return
        try:
            self.engine = self.engine or make_engine(self.database_url)
            with one_writer_at_a_time(self.database_url), reporting_unavailable(self.database_url):
                touch_articles(self.engine, self.not_modified)
                touch_dropped(self.engine, self.not_modified)
        except StoreUnavailable as error:
            # Only last_seen is lost: the articles are stored, and the next crawl asks again.
            logger.warning("incremental: %d unchanged articles not marked seen: %s", len(self.not_modified), error)
        self.not_modified = []


class ValidatorsMiddleware:
    """Spider middleware: each Article takes its response's ETag and Last-Modified, for the store."""

    def process_spider_output(self, response: Response, result: Iterable[Any]) -> Iterable[Any]:
        for output in result:
            yield self._with_validators(response, output)

    async def process_spider_output_async(self, response: Response, result: AsyncIterator[Any]) -> AsyncIterator[Any]:
        async for output in result:
            yield self._with_validators(response, output)

    @staticmethod
    def _with_validators(response: Response, output: Any) -> Any:
        if isinstance(output, Article):
            etag, last_modified = response.headers.get(b"ETag"), response.headers.get(b"Last-Modified")
            output.etag = etag.decode("latin-1") if etag else None
            output.last_modified = last_modified.decode("latin-1") if last_modified else None
        return output
