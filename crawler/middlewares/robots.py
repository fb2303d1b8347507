"""Scrapy's RobotsTxtMiddleware, with every request that waits for a site's robots.txt judged by it.

In Scrapy 2.19 the requests that reach the middleware while a host's robots.txt downloads all
await one Deferred. Awaiting a Deferred takes its result out of it: the first request gets the
parsed robots.txt, every later one gets None ("no robots.txt") and goes out unchecked. A fresh
crawl's first requests are its start URLs; a worker joining a shared crawl (crawler/ops/frontier/)
or a crawl resumed from JOBDIR starts with a queue of any URLs, disallowed ones among them.
"""

from __future__ import annotations

from scrapy import Request
from scrapy.downloadermiddlewares import robotstxt
from scrapy.robotstxt import RobotParser
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred


class RobotsTxtMiddleware(robotstxt.RobotsTxtMiddleware):
    async def robot_parser(self, request: Request) -> RobotParser | None:
        downloading = self._parsers.get(urlparse_cached(request).netloc)
        if not isinstance(downloading, Deferred):
            return await super().robot_parser(request)
        # A Deferred of this request's own, fired with the parser that stays in the shared one.
        own: Deferred[RobotParser | None] = Deferred()
        downloading.addCallback(_hand_on, own)
        return await maybe_deferred_to_future(own)


def _hand_on(parser: RobotParser | None, own: Deferred[RobotParser | None]) -> RobotParser | None:
    own.callback(parser)
    return parser
