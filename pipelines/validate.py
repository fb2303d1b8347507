"""Validate: keep only pages that are articles with a title and enough running text.

Runs first, on the fields as extraction found them, so later stages only see candidates worth
the work. Each rejection is a counted drop with a short reason.
"""

from __future__ import annotations

import re
from typing import Any

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler

from crawler.text.words import count_words
from pipelines import drop

TYPE_SEPARATOR = re.compile(r"[\s,;|]+")

# Declared types (JSON-LD @type, og:type; lower-cased) of pages that are not articles. A page is
# dropped only when every type it declares is one of these: pages often declare an Article next
# to a VideoObject or an ImageGallery.
NON_ARTICLE_TYPES = frozenset({
    "collectionpage", "searchresultspage", "profilepage", "aboutpage", "contactpage", "faqpage",
    "checkoutpage", "itemlist", "imagegallery", "mediagallery", "videogallery", "videoobject",
    "imageobject", "person", "organization", "product", "profile", "video.other", "video.movie",
    "video.episode", "music.song", "book",
})
# Types that say nothing either way: many real articles declare only these, so they count as a
# non-article only together with no date and a short body.
GENERIC_PAGE_TYPES = frozenset({"website", "webpage"})


def declared_types(page_type: str | None) -> set[str]:
    return {t for t in TYPE_SEPARATOR.split((page_type or "").lower()) if t}


class ValidatePipeline:
    def __init__(self, stats: Any, min_body_words: int, undated_page_min_body_words: int,
                 max_body_words: int) -> None:
        self.stats = stats
        self.min_body_words = min_body_words
        self.max_body_words = max_body_words
        self.undated_page_min_body_words = undated_page_min_body_words

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ValidatePipeline:
        settings = crawler.settings
        return cls(
            crawler.stats,
            min_body_words=settings.getint("SPACECRAWL_MIN_BODY_WORDS"),
            undated_page_min_body_words=settings.getint("SPACECRAWL_UNDATED_PAGE_MIN_BODY_WORDS"),
            max_body_words=settings.getint("SPACECRAWL_MAX_BODY_WORDS"),
        )

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        url = adapter.get("url")
        body_words = count_words(adapter.get("body"))
        types = declared_types(adapter.get("page_type"))
        if types and types <= NON_ARTICLE_TYPES:
            raise drop(self.stats, "not_article", f"{url} declares {adapter.get('page_type')!r}")
        if (types and types <= GENERIC_PAGE_TYPES | NON_ARTICLE_TYPES and not adapter.get("published")
                and body_words < self.undated_page_min_body_words):
            raise drop(self.stats, "not_article",
                       f"{url} declares {adapter.get('page_type')!r}, has no date and {body_words} words")
        if not (adapter.get("title") or "").strip():
            raise drop(self.stats, "no_title", str(url))
        if not (adapter.get("body") or "").strip():
            raise drop(self.stats, "no_body", str(url))
        if body_words < self.min_body_words:
            raise drop(self.stats, "body_too_short",
                       f"{url} has {body_words} words, fewer than {self.min_body_words}")
        if body_words > self.max_body_words:
            raise drop(self.stats, "body_too_long",
                       f"{url} has {body_words} words, more than {self.max_body_words}")
        return item
