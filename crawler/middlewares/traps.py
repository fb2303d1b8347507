"""Traps a crawl ends, said once per site at INFO: redirect loops, depth-limit cuts, sitemap indexes
nesting without end.

Scrapy ends each (the dupefilter, REDIRECT_MAX_TIMES, DEPTH_LIMIT) but says so at DEBUG only, so a
site whose articles sit behind one loses them without a word. These components watch Scrapy's own
signals and stats and do nothing else: the first of each kind in a crawl is one INFO line naming the
address; all are counted as ``spacecrawl/traps/<kind>`` in the crawl's stats.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable
from typing import Any

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.redirect import RedirectMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response

from crawler.ops.run_stats import TRAPS_PREFIX

logger = logging.getLogger(__name__)
DEPTH_IGNORED_STAT = "depth/request_ignored_count"  # Scrapy's DepthMiddleware counts its cuts here


def note_trap(crawler: Crawler, kind: str, message: str, *args: Any) -> None:
    """Count a trap of ``kind``; the crawl's first of that kind is logged at INFO."""
    key = TRAPS_PREFIX + kind
    assert crawler.stats is not None
    crawler.stats.inc_value(key)
    if crawler.stats.get_value(key) == 1:
        name = crawler.spider.name if crawler.spider else "?"
        logger.info(f"%s: {message} (further ones are counted as {key}, not logged)", name, *args,
                    extra={"spider": crawler.spider})


class TrapRedirectMiddleware(RedirectMiddleware):
    """Scrapy's RedirectMiddleware, saying when it gives up on a chain (REDIRECT_MAX_TIMES) and when
    a redirect leads back into its own chain (the dupefilter drops it: Scrapy's request_dropped)."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> TrapRedirectMiddleware:
        middleware = super().from_crawler(crawler)
        crawler.signals.connect(middleware.request_dropped, signal=signals.request_dropped)
        return middleware

    def process_response(self, request: Request, response: Response) -> Request | Response:
        try:
            return super().process_response(request, response)
        except IgnoreRequest:  # the one IgnoreRequest Scrapy's middleware raises: too many redirects
            note_trap(self.crawler, "redirect_limit", "%s redirects more than REDIRECT_MAX_TIMES=%d times; "
                      "not followed", request.meta.get("redirect_urls", [request.url])[0], self.max_redirect_times)
            raise

    def request_dropped(self, request: Request) -> None:
        chain = request.meta.get("redirect_urls", [])
        if request.url in chain:
            note_trap(self.crawler, "redirect_loop", "%s redirects in a loop (%s); not followed", chain[0],
                      " -> ".join([*chain, request.url]))


class DepthTrapMiddleware:
    """Says when Scrapy's DepthMiddleware (just before this one) first cuts links at DEPTH_LIMIT,
    and whether they were a sitemap index's: an index naming new indexes without end."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.maxdepth = crawler.settings.getint("DEPTH_LIMIT")
        self.cuts_seen = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DepthTrapMiddleware:
        return cls(crawler)

    def process_spider_output(self, response: Response, result: Iterable[Any]) -> Iterable[Any]:
        yield from result
        self._check(response)

    async def process_spider_output_async(self, response: Response, result: AsyncIterator[Any]) -> AsyncIterator[Any]:
        async for output in result:
            yield output
        self._check(response)

    def _check(self, response: Response) -> None:
        assert self.crawler.stats is not None
        cuts = self.crawler.stats.get_value(DEPTH_IGNORED_STAT, 0)
        if cuts == self.cuts_seen:
            return
        self.cuts_seen = cuts
        spider = self.crawler.spider
        if spider is not None and response.request is not None \
                and response.request.callback == getattr(spider, "_parse_sitemap", None):
            note_trap(self.crawler, "sitemap_depth", "the sitemap index %s nests deeper than DEPTH_LIMIT=%d "
                      "(a sitemap index trap?); the sitemaps it names are not read", response.url, self.maxdepth)
        else:
            note_trap(self.crawler, "depth_limit", "links on %s are deeper than DEPTH_LIMIT=%d from where the "
                      "crawl started; not followed", response.url, self.maxdepth)
