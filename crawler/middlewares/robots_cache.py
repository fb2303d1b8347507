"""robots.txt kept between crawls: a feeds run every 30 minutes would otherwise ask each site for
its robots.txt every 30 minutes, one request in every few it makes. RFC 9309 lets a crawler use
a cached robots.txt for up to 24 hours (``SPACECRAWL_ROBOTSTXT_CACHE_HOURS``; 0 turns it off).

This is Scrapy's HTTP cache (HttpCacheMiddleware, its filesystem storage, DummyPolicy) for
robots.txt alone, in a folder of its own (``SPACECRAWL_ROBOTSTXT_CACHE_DIR`` under the project's
``.scrapy``), so it works beside, and whatever becomes of, the HTTPCACHE_* settings a user sets.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.httpcache import HttpCacheMiddleware
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from scrapy.settings import Settings


def is_robots_txt(request: Request) -> bool:
    return urlsplit(request.url).path == "/robots.txt"


class RobotsTxtCache(HttpCacheMiddleware):
    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RobotsTxtCache:
        hours = crawler.settings.getfloat("SPACECRAWL_ROBOTSTXT_CACHE_HOURS")
        if hours <= 0:
            raise NotConfigured  # switched off on purpose: nothing to warn about
        # Scrapy's defaults and these, whatever the crawl's own HTTPCACHE_* say
        settings = Settings({"HTTPCACHE_ENABLED": True, "HTTPCACHE_POLICY": "scrapy.extensions.httpcache.DummyPolicy",
                             "HTTPCACHE_STORAGE": "scrapy.extensions.httpcache.FilesystemCacheStorage",
                             "HTTPCACHE_DIR": crawler.settings["SPACECRAWL_ROBOTSTXT_CACHE_DIR"],
                             "HTTPCACHE_EXPIRATION_SECS": max(1, round(hours * 3600)),
                             "HTTPCACHE_IGNORE_MISSING": False, "HTTPCACHE_IGNORE_HTTP_CODES": [],
                             "HTTPCACHE_GZIP": False})
        middleware = cls(settings, crawler.stats)
        middleware.crawler = crawler
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def process_request(self, request: Request, spider: Any = None) -> Request | Response | None:
        return super().process_request(request) if is_robots_txt(request) else None

    def process_response(self, request: Request, response: Response, spider: Any = None) -> Request | Response:
        return super().process_response(request, response) if is_robots_txt(request) else response
