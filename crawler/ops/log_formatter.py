"""How a crawl logs what happens to its items.

Scrapy logs a dropped item with the whole item under the reason: an article's body, thousands of
words, for every index page a crawl meets. A drop is one line here; the reason already names the
page (``not_article: https://… declares 'CollectionPage'``), and the stats count each reason.
"""

from __future__ import annotations

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
