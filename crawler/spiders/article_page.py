"""What a crawl and `scrapy extract` do with an article page before the pipelines.

Imports no Scrapy: extraction worker processes import this module and nothing heavier.
"""

from __future__ import annotations

from datetime import UTC, datetime

from crawler.extraction import extract_article
from crawler.items import Article
from crawler.sites.base import Site


def article_from_page(site: Site | None, url: str, html: str, fetched_at: datetime | None = None) -> Article:
    """Extraction with a site's selectors and hints, plus what only the fetch knows."""
    article = extract_article(
        url,
        html,
        selectors=site.selectors if site else None,
        language=site.language if site else None,
    )
    article.site = site.name if site else None
    article.fetched_url = url
    article.fetched_at = fetched_at or datetime.now(UTC)
    if site and site.timezone:
        article.timezone = site.timezone  # the site's own word outweighs the zone its page suggests
    return article
