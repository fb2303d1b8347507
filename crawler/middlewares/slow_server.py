"""A download that Scrapy ends at DOWNLOAD_TIMEOUT is one warning, at the time it happens.

Scrapy's HTTP/1.1 handler already bounds each attempt as a whole: DOWNLOAD_TIMEOUT runs from the
request to the last byte of the response, so a server that sends a page a byte a second is cut off
like one that never answers. RetryMiddleware then tries again (RETRY_TIMES), logging at DEBUG, and
reports only when it gives up: a slow page held its URL for (RETRY_TIMES + 1) × DOWNLOAD_TIMEOUT
with nothing in the log. This says so at each timeout, naming the bound a request can take in all.
Counted as ``spacecrawl/slow_server/timeouts``.
"""

from __future__ import annotations

import logging

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import DownloadTimeoutError, NotConfigured

from crawler.ops.run_stats import SLOW_SERVER_TIMEOUTS

logger = logging.getLogger(__name__)


class SlowServerWarnings:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.timeout = crawler.settings.getfloat("DOWNLOAD_TIMEOUT")
        self.retries = crawler.settings.getint("RETRY_TIMES") if crawler.settings.getbool("RETRY_ENABLED") else 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SlowServerWarnings:
        if not crawler.settings.getbool("SPACECRAWL_SLOW_SERVER_WARNINGS"):
            raise NotConfigured("SPACECRAWL_SLOW_SERVER_WARNINGS is off")
        return cls(crawler)

    def process_exception(self, request: Request, exception: Exception) -> None:
        if isinstance(exception, DownloadTimeoutError):
            timeout = request.meta.get("download_timeout") or self.timeout
            attempt = request.meta.get("retry_times", 0) + 1
            self.crawler.stats.inc_value(SLOW_SERVER_TIMEOUTS)
            logger.warning("Slow server: %s did not finish its response within %g s (DOWNLOAD_TIMEOUT, to the last "
                           "byte), attempt %d of %d: at most %g s for this URL in all", request.url, timeout,
                           attempt, self.retries + 1, timeout * (self.retries + 1),
                           extra={"crawler": self.crawler})
