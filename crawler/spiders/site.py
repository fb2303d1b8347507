"""The spider every site uses: discovery from the site's definition, extraction per article page.

Sitemaps (indexes, news sitemaps, gzip) are Scrapy's SitemapSpider; feeds and listing pages are
read here. Duplicate requests from several sources are Scrapy's dupefilter's business.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import AsyncIterator, Iterable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from scrapy.crawler import Crawler
from scrapy.http import Request, Response, TextResponse, XmlResponse
from scrapy.selector import Selector
from scrapy.spiders import SitemapSpider
from w3lib.url import url_query_cleaner

from crawler.items import Article
from crawler.middlewares.incremental import parse_lastmod
from crawler.ops.run_stats import DROPPED_PREFIX, SKIPPED_NOT_TEXT
from crawler.sites.base import Site
from crawler.spiders.article_page import ExtractionError
from crawler.spiders.backfill import BackfillMixin, backfill_since, feed_entry_date, robots_urls
from crawler.spiders.workers import ExtractionPool, ExtractionTimeout

# rel="next" links and WordPress-style /page/N/ pagination
PAGINATION_XPATH = '//link[@rel="next"]/@href | //a[@rel="next"]/@href'
PREVIOUS_XPATH = '//link[@rel="prev"] | //a[@rel="prev"]'
PAGE_NUMBER = re.compile(r"/page/\d+/?$|[?&]page=\d+")
# Query keys that only say where a reader came from (a newsletter, a feed reader, an ad click). An
# article linked with them is the same article: without them, the dupefilter sees one request.
TRACKING_PARAMETERS = ("utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "utm_id",
                       "fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "ocid", "cmpid", "ito")


def without_tracking(url: str) -> str:
    return url_query_cleaner(url, TRACKING_PARAMETERS, remove=True, keep_fragments=True) if "?" in url else url


def link_url(href: str, base: Response | None = None) -> str | None:
    """The address a link gives (made absolute against ``base``), without tracking parameters; None
    for one no URL parser reads ("http://[broken"), so that one bad link does not cost a feed, a
    listing page or a sitemap its other links."""
    try:
        url = base.urljoin(href.strip()) if base is not None else href.strip()
        parts = urlsplit(url)
        parts.port  # a malformed host or port raises here rather than in Request()
    except ValueError:
        return None
    # Only an absolute web address is one Request() takes: not a relative sitemap <loc>, nor mailto:.
    return without_tracking(url) if parts.scheme in ("http", "https") and parts.hostname else None


# A DOCTYPE with its internal subset (quoted values and comments may hold "]" and ">"). A feed has
# no use for one; its entities are what attacks define: a billion-laughs entity makes libxml2 stop
# at it, and the items after it are lost. Without the DOCTYPE an entity is only an unknown name,
# which the recovering parser leaves out of its own item's text (and nothing external is read).
_DOCTYPE = re.compile(r"""<!DOCTYPE(?:[^\[>"']|"[^"]*"|'[^']*')*+"""
                      r"""(?:\[(?:[^\]"'<]|"[^"]*"|'[^']*'|<!--.*?-->|<(?:[^>"']|"[^"]*"|'[^']*')*+>)*+\])?\s*>""",
                      re.DOTALL | re.IGNORECASE)


def without_doctype(text: str) -> str:
    return _DOCTYPE.sub("", text, count=1)


# `-a mode=feeds`: feeds and listing pages only, for frequent runs; "full" adds the sitemaps;
# "backfill" reaches back in time (crawler/spiders/backfill.py), never started by `scrapy schedule`.
MODES = ("feeds", "full", "backfill")


class SiteSpider(BackfillMixin, SitemapSpider):
    site: Site
    mode: str = "full"
    extraction: ExtractionPool

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.mode not in MODES:
            raise ValueError(f"mode {self.mode!r}: use one of {', '.join(MODES)} (-a mode=feeds)")
        # Article URL -> its modification date as the sitemap or feed wrote it, for the incremental
        # middleware (Scrapy builds sitemap requests from <loc> alone, so this cannot go in meta).
        self.lastmod_hints: dict[str, str] = {}
        self.listed: set[str] = set()
        self.since = backfill_since(self.since) if self.mode == "backfill" else None
        if self.mode == "backfill":
            self.sitemap_urls = [*self.sitemap_urls, *robots_urls(self.site)]

    @classmethod
    def for_site(cls, site: Site) -> type[SiteSpider]:
        return type(
            f"{site.name.title().replace('-', '').replace('_', '')}Spider",
            (cls,),
            {
                "name": site.name,
                "site": site,
                "allowed_domains": list(site.domains),
                "sitemap_urls": list(site.sitemaps),
                "sitemap_rules": [(site.article_url, "parse_article")],
                **({"download_delay": site.download_delay} if site.download_delay is not None else {}),
            },
        )

    async def start(self) -> AsyncIterator[Any]:
        for url in self.site.feeds:
            yield Request(url, callback=self.parse_feed)
        if self.mode != "feeds":
            async for request in super().start():
                yield request
        for url in self.site.listing_pages:
            yield Request(url, callback=self.parse_listing, cb_kwargs={"depth": 0})
        if self.mode == "backfill":
            for request in self.archive_starts():
                yield request

    def parse_feed(self, response: Response) -> Iterable[Request]:
        """Article links of an RSS 2.0, RSS 1.0 or Atom feed."""
        if not isinstance(response, TextResponse):
            self.logger.warning("Ignoring feed that is not text: %s", response.url)
            return
        selector = Selector(text=without_doctype(response.text),
                            type="xml" if isinstance(response, XmlResponse) else "html")
        selector.remove_namespaces()
        entries = selector.xpath("//item | //entry")
        if not entries.xpath("link/text() | link[not(@rel) or @rel='alternate']/@href"):
            self.logger.warning("Feed has no item links: %s", response.url)
        for entry in entries:
            link = entry.xpath("link/text() | link[not(@rel) or @rel='alternate']/@href").get()
            url = link_url(link, response) if link else None
            if url and self.site.is_article_url(url) and not self.before_since(feed_entry_date(entry)):
                # Atom's <updated> (RSS: atom:updated) is a modification date; pubDate is not one.
                updated = entry.xpath("updated/text()").get()
                if updated:
                    self.lastmod_hints[url] = updated
                yield self.article_request(url)

    def sitemap_filter(self, entries: Iterable[dict[str, Any]]) -> Iterable[dict[str, Any]]:
        for entry in entries:
            if entry.get("loc"):
                entry["loc"] = link_url(entry["loc"])
                if entry["loc"] is None:
                    continue
            if self.before_since(parse_lastmod(entry.get("lastmod"))):  # a backfill's: all it holds is older
                continue
            if entry.get("lastmod") and entry.get("loc"):
                self.lastmod_hints[entry["loc"]] = entry["lastmod"]
            yield entry

    def _parse_sitemap(self, response: Response) -> Iterable[Request]:
        """Scrapy's reading of a sitemap, where a corrupt gzip file or a body with no XML element in
        it (random bytes, an XML declaration alone: Scrapy's Sitemap() raises StopIteration) is an
        invalid sitemap in one line, as an empty one is, rather than a traceback."""
        try:
            requests = super()._parse_sitemap(response)
            return (self.limited(request) for request in requests) if requests is not None else ()
        except (OSError, EOFError, zlib.error, StopIteration) as error:
            self.logger.warning("Ignoring invalid sitemap: %s (%s)", response, type(error).__name__)
            return ()

    def article_request(self, url: str) -> Request:
        return self.limited(Request(url, callback=self.parse_article))

    def limited(self, request: Request) -> Request:
        """An article page gets SPACECRAWL_ARTICLE_MAXSIZE as its size limit (Scrapy's per-request
        ``download_maxsize``, as sent and decompressed); sitemaps keep DOWNLOAD_MAXSIZE."""
        if request.callback == self.parse_article:
            request.meta.setdefault("download_maxsize", self.settings.getint("SPACECRAWL_ARTICLE_MAXSIZE"))
        return request

    def parse_listing(self, response: Response, depth: int, known_pages: int = 0,
                      archive: bool = False) -> Iterable[Request]:
        if not isinstance(response, TextResponse):
            return
        hrefs = response.xpath("//a/@href").getall()

        def article_url(href: str) -> str | None:
            url = link_url(href, response)
            return url if url and self.site.is_article_url(url) else None

        articles = list(dict.fromkeys(filter(None, map(article_url, hrefs))))
        yield from map(self.article_request, self.since_or_later(response, articles, article_url))
        next_pages = set(response.xpath(PAGINATION_XPATH).getall())
        # Feeds runs and backfills follow rel=next alone where the site gives it: one chain, that
        # ends where a page has rel=prev but no rel=next; full runs fan out over the page numbers.
        if self.mode == "full" or not (next_pages or response.xpath(PREVIOUS_XPATH)):
            next_pages.update(h for h in hrefs if PAGE_NUMBER.search(h))
        if self.mode == "backfill":
            known_pages = self.known_pages_after(articles, known_pages)
            if self.backfill_stops(response, depth, known_pages, bool(next_pages), archive):
                return
        elif depth >= self.settings.getint("SPACECRAWL_LISTING_DEPTH"):
            return
        elif self.mode == "feeds" and any(map(self.stored_before, articles)):
            return  # newest first: once a page lists a stored article, the pages after it hold no new one
        for url in filter(None, (link_url(href, response) for href in next_pages)):
            yield Request(url, callback=self.parse_listing,
                          cb_kwargs={"depth": depth + 1, "known_pages": known_pages, "archive": archive})

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> SiteSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.extraction = ExtractionPool.from_crawler(crawler)
        if spider.mode == "backfill":  # its listings and archives go as deep as SPACECRAWL_BACKFILL_MAX_PAGES
            depth_limit = crawler.settings.getint("DEPTH_LIMIT")
            if depth_limit:
                crawler.settings.set("DEPTH_LIMIT", depth_limit + crawler.settings.getint("SPACECRAWL_BACKFILL_MAX_PAGES"),
                                     priority="spider")
        return spider

    async def parse_article(self, response: Response) -> AsyncIterator[Article]:
        if not isinstance(response, TextResponse):
            self.crawler.stats.inc_value(SKIPPED_NOT_TEXT)
            return
        try:
            article = await self.extraction.article(self.site, response.url, response.body, response.encoding,
                                                    datetime.now(UTC))
        except ExtractionTimeout as timeout:
            self.crawler.stats.inc_value(DROPPED_PREFIX + "extraction_timeout")
            self.logger.warning("Dropped: extraction_timeout: %s; its worker was replaced", timeout)
            return
        except ExtractionError as error:  # one line, the page counted as dropped; the crawl goes on
            self.crawler.stats.inc_value(DROPPED_PREFIX + ExtractionError.reason)
            self.logger.error("Dropped: %s: %s", ExtractionError.reason, error)
            return
        yield article

