"""How a crawl logs: what happens to its items, and which of Scrapy's lines a person reads.

Scrapy logs a dropped item with the whole item under the reason: an article's body, thousands of
words, for every index page a crawl meets. A drop is one line here; the reason already names the
page (``not_article: https://… declares 'CollectionPage'``), and the stats count each reason.

On a terminal, Scrapy's start-up and closing dumps (versions, settings, every component, the
stats: some 130 lines for one crawl) bury the few lines that matter, ending with the crawl's
summary; they are DEBUG there (``-L DEBUG`` shows them), as are Alembic's lines migrating the
store (one per migration, with its docstring). A log file (crawlall's, Scrapyd's, a LOG_FILE) is
read after the fact, to debug: it keeps them at INFO.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy import Spider
from scrapy.http import Response
from scrapy.logformatter import LogFormatter, LogFormatterResult
from twisted.python.failure import Failure


class OneLineDrops(LogFormatter):
    def dropped(self, item: Any, exception: BaseException, response: Response | Failure | None,
                spider: Spider) -> LogFormatterResult:
        logged = super().dropped(item, exception, response, spider)
        return {**logged, "msg": "Dropped: %(exception)s", "args": {"exception": exception}}


# Scrapy's dumps, by logger: how their messages start.
SCRAPY_DUMPS = {
    "scrapy.utils.log": ("Scrapy %(version)s started", "Versions:"),
    "scrapy.addons": ("Enabled addons:",),
    "scrapy.middleware": ("Enabled ",),
    "scrapy.crawler": ("Overridden settings:",),
    "scrapy.statscollectors": ("Dumping Scrapy stats:",),
    "scrapy.extensions.telnet": ("Telnet ",),
    "scrapy.extensions.remote_control": ("Remote control ",),
    # The migrations, each with its docstring (several lines), when a store is made or upgraded.
    "alembic.runtime.migration": ("Context impl ", "Will assume ", "Running "),
}


class _DumpAtDebugOnTerminal(logging.Filter):
    def __init__(self, starts: tuple[str, ...]) -> None:
        super().__init__()
        self.starts = starts

    def filter(self, record: logging.LogRecord) -> bool:
        # A logger's filter runs before the handlers' level checks: lowered here, the record
        # passes only a handler at DEBUG.
        if (record.levelno == logging.INFO and isinstance(record.msg, str) and record.msg.startswith(self.starts)
                and not any(isinstance(handler, logging.FileHandler) for handler in logging.root.handlers)):
            record.levelno, record.levelname = logging.DEBUG, "DEBUG"
        return True


def log_scrapy_dumps_at_debug_on_terminal() -> None:
    """Lower Scrapy's dumps to DEBUG whenever the log goes to the terminal (idempotent)."""
    for name, starts in SCRAPY_DUMPS.items():
        logger = logging.getLogger(name)
        if not any(isinstance(f, _DumpAtDebugOnTerminal) for f in logger.filters):
            logger.addFilter(_DumpAtDebugOnTerminal(starts))
