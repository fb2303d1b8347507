"""Scrapy extensions of the project."""

from __future__ import annotations

import logging

from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    NotConfigured,
    ResponseDataLossError,
)
from scrapy.extensions.logcount import LogCount

# (DownloadCancelledError: a response over DOWNLOAD_MAXSIZE, which Scrapy has already said in a warning.)
NETWORK_ERRORS = (CannotResolveHostError, DownloadConnectionRefusedError, DownloadFailedError, DownloadTimeoutError,
                  ResponseDataLossError, DownloadCancelledError)
# Scrapy components that log a failed download with its whole traceback.
NOISY_LOGGERS = ("scrapy.downloadermiddlewares.robotstxt", "scrapy.core.scraper", "scrapy.core.engine")


class NetworkErrorFilter(logging.Filter):
    """Keeps the record, replaces the traceback of an unreachable host by its one-line reason."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, NETWORK_ERRORS):
            message = record.getMessage()
            reason = str(error) or type(error).__name__  # a connection closed mid-response says nothing
            record.msg, record.args = (message if reason in message else f"{message}: {reason}"), ()
            record.exc_info = record.exc_text = None
        return True


class OneLineNetworkErrors:
    """A site that is down or unreachable is one log line per request, not a traceback."""

    def __init__(self) -> None:
        self.filter = NetworkErrorFilter()
        for name in NOISY_LOGGERS:
            logging.getLogger(name).addFilter(self.filter)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> OneLineNetworkErrors:
        if not crawler.settings.getbool("SPACECRAWL_ONE_LINE_NETWORK_ERRORS"):
            raise NotConfigured
        return cls()


class CrawlLogCount(LogCount):
    """Scrapy's ``log_count/<LEVEL>`` stats (the run's "errors"), counting only this crawl's records.

    Scrapy's counter sits on the root logger and counts every record in the process, so with
    several crawls in one process (``scrapy crawlall``) each would count all the others' errors.
    A record Scrapy tags with another crawl's spider or crawler is not this crawl's; an untagged one
    (a library's, a process-wide worker's) counts, as in Scrapy.
    """

    def spider_opened(self, spider: Spider) -> None:
        super().spider_opened(spider)
        assert self.handler is not None
        self.handler.addFilter(self.is_own)

    def is_own(self, record: logging.LogRecord) -> bool:
        return (getattr(record, "crawler", self.crawler) is self.crawler
                and getattr(record, "spider", self.crawler.spider) is self.crawler.spider)
