"""Honour Retry-After on 429 and 503: Scrapy's RetryMiddleware retries at once, so this one holds
the response until the server's wait is over and then hands it on to be retried.

Only the request that was refused waits; the site's pace as a whole stays AutoThrottle's business.
Counted as ``spacecrawl/retry_after/waits`` and ``spacecrawl/retry_after/seconds``.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import Response
from scrapy.utils.asyncio import sleep

from crawler.ops.run_stats import RETRY_AFTER_SECONDS, RETRY_AFTER_WAITS

logger = logging.getLogger(__name__)

RETRY_AFTER_CODES = (429, 503)


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header: delay-seconds or an HTTP-date (RFC 9110 10.2.3);
    None when absent or unreadable."""
    text = (value or "").strip()
    if not text:
        return None
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class RetryAfterMiddleware:
    def __init__(self, crawler: Crawler, max_seconds: float) -> None:
        self.stats = crawler.stats
        self.max_seconds = max_seconds
        self.retry_codes = set(crawler.settings.getlist("RETRY_HTTP_CODES"))

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RetryAfterMiddleware:
        return cls(crawler, crawler.settings.getfloat("SPACECRAWL_RETRY_AFTER_MAX_SECONDS"))

    async def process_response(self, request: Request, response: Response) -> Response:
        if (response.status not in RETRY_AFTER_CODES or response.status not in self.retry_codes
                or request.meta.get("dont_retry")):
            return response
        header = response.headers.get(b"Retry-After")
        seconds = retry_after_seconds(header.decode("latin-1") if header else None)
        if not seconds:
            return response
        if seconds > self.max_seconds:
            logger.warning("Retry-After %.0f s from %s cut to SPACECRAWL_RETRY_AFTER_MAX_SECONDS=%.0f",
                           seconds, request.url, self.max_seconds)
            seconds = self.max_seconds
        logger.info("%d from %s: waiting %.1f s (Retry-After) before retrying", response.status, request.url, seconds)
        self.stats.inc_value(RETRY_AFTER_WAITS)
        self.stats.inc_value(RETRY_AFTER_SECONDS, seconds)
        await sleep(seconds)
        return response
