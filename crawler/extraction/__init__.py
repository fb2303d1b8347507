"""Extraction: pure functions of (url, html) that turn a news page into raw article fields.

No Scrapy engine, no database: a string of HTML in, a ``crawler.items.Article`` out.
"""

from crawler.extraction.article import decode_html, extract_article, rescued_text

# Raise it with a change to extraction (or to what the pipelines drop) that may make an article of
# a page dropped before: a re-crawl then downloads every remembered dropped page again, once.
EXTRACTOR_VERSION = "1"

__all__ = ["EXTRACTOR_VERSION", "decode_html", "extract_article", "rescued_text"]
