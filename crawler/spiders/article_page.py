"""What a crawl and `scrapy extract` do with an article page before the pipelines.

Imports no Scrapy: extraction worker processes import this module and nothing heavier.
"""

from __future__ import annotations

import traceback
from datetime import UTC, datetime
from pathlib import Path

from crawler.extraction import decode_html, extract_article
from crawler.items import Article
from crawler.sites.base import Site

_PROJECT = Path(__file__).resolve().parents[2]
_MESSAGE_CHARS = 200  # of the exception's message: some quote the page ("'e<table><table>…' contains …")


class ExtractionError(Exception):
    """Extraction raised on a page: a bug that page found. The page alone is lost, dropped as
    ``extraction_error``; the message names the page, the exception and where in our code it rose."""

    reason = "extraction_error"


def _where(error: BaseException) -> str:
    """The innermost line of our own code the exception passed through ("crawler/extraction/dates.py:241")."""
    ours = [frame for frame in traceback.extract_tb(error.__traceback__)
            if Path(frame.filename).resolve().is_relative_to(_PROJECT)]
    if not ours:
        return "?"
    return f"{Path(ours[-1].filename).resolve().relative_to(_PROJECT)}:{ours[-1].lineno}"


def article_from_page(site: Site | None, url: str, html: str, fetched_at: datetime | None = None) -> Article:
    """Extraction with a site's selectors and hints, plus what only the fetch knows. Raises
    ExtractionError, in one line, for whatever extraction raises: the guard a crawl, its workers and
    `scrapy extract` share, so that a page no one foresaw costs that page only."""
    try:
        article = extract_article(
            url,
            html,
            selectors=site.selectors if site else None,
            language=site.language if site else None,
        )
    except Exception as error:  # any bug: reported with its place, not hidden
        message = str(error)[:_MESSAGE_CHARS]
        raise ExtractionError(f"{url}: {type(error).__name__}: {message} (at {_where(error)})") from None
    article.site = site.name if site else None
    article.fetched_url = url
    article.fetched_at = fetched_at or datetime.now(UTC)
    if site and site.timezone:
        article.timezone = site.timezone  # the site's own word outweighs the zone its page suggests
    return article


def article_from_body(site: Site | None, url: str, body: bytes, encoding: str,
                      fetched_at: datetime | None = None) -> Article:
    """``article_from_page`` of a response's bytes, decoded with the response's encoding as Scrapy's
    ``response.text`` is (and rescued as ``decode_html`` rescues a page said to be UTF-8 that is not).
    A crawl hands pages to its workers so: the bytes it received cross as they are, where text would
    be encoded to UTF-8 and decoded again, and decoding is the worker's work, not the crawl process's."""
    return article_from_page(site, url, decode_html(body, f"charset={encoding}"), fetched_at)
