"""Backfill (``scrapy crawl SITE -a mode=backfill [-a since=YYYY-MM-DD]``): reaching back in time.

A backfill reads what a full run reads, and more: every sitemap, those its robots.txt names too
(Scrapy's SitemapSpider reads robots.txt); listing pagination as deep as it goes; monthly date
archives where the site's definition names them (``date_archives``), month after month backwards.
Each listing (and the run of archive months) stops, counted as ``spacecrawl/backfill/stopped/<why>``:

- ``since``: its page holds only dates before ``-a since``. Before that, no article is asked for whose
  date says it is older: a sitemap entry's lastmod, a feed entry's date, the date its card on a
  listing shows (``dates_shown``);
- ``known``: ``SPACECRAWL_BACKFILL_KNOWN_PAGES`` pages in a row held only articles the store had when
  the run began (an earlier backfill reached there);
- ``cap``: ``SPACECRAWL_BACKFILL_MAX_PAGES`` pages (or archive months) deep;
- ``end``: no further page (or a year of empty archive months, walking back from the month of the
  newest article stored).

Known articles met on the way are left alone unless their revisit is due (crawler/middlewares/revisit.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from scrapy.http import Request, Response, TextResponse

from crawler.middlewares.incremental import IncrementalMiddleware, parse_lastmod
from crawler.ops.run_stats import BACKFILL_PREFIX
from crawler.sites.base import Site

if TYPE_CHECKING:
    from parsel import Selector
    from scrapy.crawler import Crawler

# Archive months in a row with no article before a backfill takes the archive to have ended.
EMPTY_MONTHS = 12
# Where a page says when its stories were published (a listing's cards, an archive's entries).
DATES_XPATH = "//time/@datetime"
# Where a feed entry says when it was published or updated (RSS 1.0's dc:date is "date" without namespaces).
FEED_ISO_DATES_XPATH = "updated/text() | published/text() | date/text()"
FEED_RFC822_DATES_XPATH = "pubDate/text()"


def backfill_since(text: str | datetime | None) -> datetime | None:
    """``-a since=YYYY-MM-DD`` (or a full ISO 8601 time) as aware UTC; ValueError naming it."""
    if text is None or isinstance(text, datetime):
        return text
    try:
        since = datetime.fromisoformat(str(text).strip())
    except ValueError:
        raise ValueError(f"since={text!r}: give a date as YYYY-MM-DD (-a since=2020-01-01)") from None
    return since.replace(tzinfo=UTC) if since.tzinfo is None else since.astimezone(UTC)


def robots_urls(site: Site) -> list[str]:
    """The robots.txt of every origin the site's definition names: SitemapSpider reads their Sitemap: lines."""
    origins = {f"{parts.scheme}://{parts.netloc}" for url in (*site.feeds, *site.sitemaps, *site.listing_pages,
                                                               *site.date_archives) for parts in [urlsplit(url)]}
    return [f"{origin}/robots.txt" for origin in sorted(origins)]


def dates_shown(response: TextResponse, article_url: Callable[[str], str | None]) -> dict[str, datetime]:
    """Article URL -> the latest date its card on a listing page shows. A card is the nearest
    element above a ``<time datetime>`` that holds article links; a date counts only when they all
    lead to one article (a date in the page's header belongs to none)."""
    shown: dict[str, datetime] = {}
    for time in response.xpath("//time[@datetime]"):
        moment = parse_lastmod(time.attrib["datetime"])
        if moment is None:
            continue
        for ancestor in time.root.iterancestors():
            urls = {url for link in ancestor.iter("a") if (url := article_url(link.get("href") or ""))}
            if len(urls) == 1:
                url = urls.pop()
                shown[url] = max(moment, shown.get(url, moment))
            if urls:
                break
    return shown


def feed_entry_date(entry: Selector) -> datetime | None:
    """The latest date a feed entry gives (Atom updated/published, RSS pubDate, RSS 1.0 dc:date)."""
    moments = [parse_lastmod(text) for text in entry.xpath(FEED_ISO_DATES_XPATH).getall()]
    for text in entry.xpath(FEED_RFC822_DATES_XPATH).getall():
        try:
            moment = parsedate_to_datetime(text.strip())
        except (TypeError, ValueError):
            continue
        moments.append(moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC))
    return max(filter(None, moments), default=None)


def previous_month(year: int, month: int) -> tuple[int, int]:
    return (year, month - 1) if month > 1 else (year - 1, 12)


class BackfillMixin:
    """What SiteSpider does in a backfill: the stop rules of its listings, and the archive months."""

    since: datetime | str | None = None
    listed: set[str]  # article URLs listing pages gave this run
    site: Site
    crawler: Crawler
    settings: Any

    def before_since(self, moment: datetime | None) -> bool:
        """True when ``moment`` (a sitemap entry's lastmod, a feed entry's or a card's date) says
        what it dates is older than the backfill's ``since``."""
        return isinstance(self.since, datetime) and moment is not None and moment < self.since

    def since_or_later(self, response: TextResponse, articles: list[str],
                       article_url: Callable[[str], str | None]) -> list[str]:
        """A listing's ``articles`` less those whose card shows a date before a backfill's ``since``."""
        if not isinstance(self.since, datetime):
            return articles
        shown = dates_shown(response, article_url)
        kept = [url for url in articles if not self.before_since(shown.get(url))]
        if len(kept) < len(articles):
            self.crawler.stats.inc_value(BACKFILL_PREFIX + "skipped_before_since", len(articles) - len(kept))
        return kept

    def known_pages_after(self, articles: list[str], known_pages: int) -> int:
        """Pages in a row, this one included, that held no article but those the store had at the
        start and those an earlier page listed (a sidebar's latest stories repeat on every page)."""
        fresh = [url for url in articles if url not in self.listed and not self.stored_before(url)]
        self.listed.update(articles)
        return 0 if fresh or not articles else known_pages + 1

    def stored_before(self, url: str) -> bool:
        """True when the store knew ``url`` (an article, or a page it dropped) when the run began."""
        incremental = self.crawler.get_spider_middleware(IncrementalMiddleware)
        return incremental is not None and (url in incremental.known or url in incremental.drops)

    def backfill_stops(self, response: Response, depth: int, known_pages: int, has_next: bool,
                       archive: bool = False) -> bool:
        """True when this listing goes no further than ``response`` (its reason counted; a month's
        archive reaching its last page is no reason: the month before comes next)."""
        self.crawler.stats.inc_value(BACKFILL_PREFIX + "listing_pages")
        dates = [moment for moment in map(parse_lastmod, response.xpath(DATES_XPATH).getall()) if moment]
        past_since = isinstance(self.since, datetime) and bool(dates) and max(dates) < self.since
        reason = self._stop_reason(past_since, depth, known_pages, at_end=not has_next)
        if reason == "end" and archive:
            return True
        return self._stopped(reason)

    def _stop_reason(self, past_since: bool, depth: int, known_pages: int, at_end: bool) -> str | None:
        if past_since:
            return "since"
        if depth + 1 >= self.settings.getint("SPACECRAWL_BACKFILL_MAX_PAGES"):
            return "cap"
        if known_pages >= self.settings.getint("SPACECRAWL_BACKFILL_KNOWN_PAGES"):
            return "known"
        return "end" if at_end else None

    def _stopped(self, reason: str | None) -> bool:
        if reason is not None:
            self.crawler.stats.inc_value(BACKFILL_PREFIX + "stopped/" + reason)
        return reason is not None

    def archive_starts(self) -> Iterator[Request]:
        """The first month of each of the site's monthly archives: that of the newest article
        stored, this month for a site never crawled (a site quiet for a year is no archive's end)."""
        incremental = self.crawler.get_spider_middleware(IncrementalMiddleware)
        dates = [known.published for known in (incremental.known.values() if incremental else ()) if known.published]
        start = min(max(dates, default=datetime.now(UTC)), datetime.now(UTC))
        for pattern in self.site.date_archives:
            yield self._archive_request(pattern, start.year, start.month, empty_months=0, known_pages=0, months=0)

    def _archive_request(self, pattern: str, year: int, month: int, **progress: int) -> Request:
        return Request(datetime(year, month, 1).strftime(pattern), callback=self.parse_archive,
                       cb_kwargs={"pattern": pattern, "year": year, "month": month, **progress},
                       meta={"handle_httpstatus_list": [404]})  # a month without stories may be a 404

    def parse_archive(self, response: Response, pattern: str, year: int, month: int, empty_months: int,
                      known_pages: int, months: int) -> Iterable[Request]:
        """A month's archive read as a listing (its own pages to their end), then the month before."""
        articles: list[str] = []
        if response.status == 200 and isinstance(response, TextResponse):
            for output in self.parse_listing(response, depth=0, archive=True):  # type: ignore[attr-defined]
                if output.callback == self.parse_article:  # type: ignore[attr-defined]
                    articles.append(output.url)
                yield output
        empty_months = 0 if articles else empty_months + 1
        known_pages = self.known_pages_after(articles, known_pages)
        year, month = previous_month(year, month)
        past_since = isinstance(self.since, datetime) and datetime(year, month, 1, tzinfo=UTC) < self.since.replace(
            day=1, hour=0, minute=0, second=0, microsecond=0)
        if not self._stopped(self._stop_reason(past_since, months, known_pages, at_end=empty_months >= EMPTY_MONTHS)):
            yield self._archive_request(pattern, year, month, empty_months=empty_months, known_pages=known_pages,
                                        months=months + 1)
