"""The verdict on a page: what a crawl extracts from it, judged OK, WARN or FAIL against what a
site must give and, for a fixture page, against its expected output."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from scrapy.exceptions import DropItem

from crawler.items import Article
from crawler.sitekit.fixtures import fixture_problems, shorten
from crawler.sitekit.offline import OfflineRun
from crawler.text.furniture import is_furniture

OK, WARN, FAIL = "OK", "WARN", "FAIL"
SHORT_BODY_WORDS = 150  # fewer words than this: probably a part of the article, or a teaser


@dataclass
class PageCheck:
    name: str
    article: Article | None = None
    failures: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def verdict(self) -> str:
        return FAIL if self.failures else WARN if self.warnings else OK

    def coverage(self) -> dict[str, bool]:
        """Which of the fields a site must give came out of this page."""
        article = self.article
        return {
            "title": bool(article and article.title),
            "date with time": bool(article and has_time(article)),
            "authors": bool(article and article.authors),
            f"body ≥ {SHORT_BODY_WORDS} words": bool(article and (article.word_count or 0) >= SHORT_BODY_WORDS),
            "no boilerplate left": bool(article and not boilerplate_left(article.body or "")),
        }


def has_time(article: Article) -> bool:
    """A publication date that gives the time of day: not a day printed alone (which parse_dates
    marks), nor midnight in the site's zone, which many CMSs declare for a day
    ("2024-07-25T00:00:00-07:00")."""
    published = article.published
    if not isinstance(published, datetime) or article.published_without_time:
        return False
    return published.astimezone(ZoneInfo(article.timezone) if article.timezone else UTC).time() != time()


def boilerplate_left(body: str) -> list[str]:
    """Lines and sentences of a finished body that start like furniture the strip stage knows
    (a prompt glued into a paragraph escapes its line-by-line rules)."""
    left = []
    for line in (body or "").split("\n"):
        for fragment in re.split(r"(?<=[.!?])\s+", line.strip()):
            if fragment and is_furniture(fragment):
                left.append(fragment)
    return left


def check_page(run: OfflineRun, name: str, url: str, html: str, fetched_at: datetime | None = None,
               expected: dict[str, Any] | None = None) -> PageCheck:
    """A crawl's extraction of one page, judged: FAIL when the page yields no article or breaks
    its fixture's expectations; WARN when a field a site should give is missing or thin."""
    check = PageCheck(name)
    try:
        article = run.process(url, html, fetched_at)
    except DropItem as exc:
        check.failures.append(f"dropped: {exc}")
        return check
    check.article = article
    if expected is not None:
        check.failures.extend(fixture_problems(article, expected))
    if not isinstance(article.published, datetime):
        check.warnings.append("no publication date")
    elif not has_time(article):
        check.warnings.append("publication date without a time")
    if not article.authors:
        check.warnings.append("no authors")
    if (article.word_count or 0) < SHORT_BODY_WORDS:
        check.warnings.append(f"body only {article.word_count} words")
    left = boilerplate_left(article.body or "")
    if left:
        check.warnings.append(f"boilerplate left: {', '.join(repr(shorten(t, 40)) for t in left[:3])}")
    return check
