"""Extraction: pure functions of (url, html) that turn a news page into raw article fields.

No Scrapy engine, no database: a string of HTML in, a ``crawler.items.Article`` out.
"""

from crawler.extraction.article import decode_html, extract_article, rescued_text

__all__ = ["decode_html", "extract_article", "rescued_text"]
