"""A stored article as a Spaceflight News API v4 record, plus our own fields on request.

``v4_record`` is the one place a stored Article becomes what the API serves. The v4 fields come
first, always, in v4's order and types, so its clients read our records as theirs; ``OUR_FIELDS``
are added only when ``include=`` names them (a client that refuses unknown keys keeps working).
A new field of ours is one line in ``OUR_FIELDS``.

What maps to what: id -> the stored article's id; authors -> our author names, without socials
(null); image_url -> image; news_site -> news_sites.display_name of the site; summary -> the
page's description, else the body's first paragraph; published_at -> published (null when the
page gives no date); updated_at -> when the stored content last changed; featured, launches,
events -> false, [], [] (we link no launches or events).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from crawler.api.news_sites import display_name
from crawler.db.models import Article
from crawler.db.repository import summary_or_opening


def iso(value: datetime | None) -> str | None:
    """UTC as the Spaceflight News API writes it: 2024-05-01T12:00:00Z."""
    return None if value is None else value.isoformat().replace("+00:00", "Z")


# name -> how it is read from a stored article
OUR_FIELDS: dict[str, Callable[[Article], Any]] = {
    "site": lambda article: article.site,
    "body": lambda article: article.body,
    "tags": lambda article: list(article.tags or []),
    "section": lambda article: article.section,
    "language": lambda article: article.language,
    "word_count": lambda article: article.word_count,
    "modified": lambda article: iso(article.modified),
    "fetched_url": lambda article: article.fetched_url,
    "entities": lambda article: list(article.entities or []),
    "story_id": lambda article: article.story_id or article.id,
    "duplicate_of": lambda article: article.duplicate_of,
}


def v4_record(article: Article, include: frozenset[str] = frozenset()) -> dict[str, Any]:
    record = {
        "id": article.id,
        "title": article.title or "",
        "authors": [{"name": name, "socials": None} for name in article.authors or []],
        "url": article.url,
        "image_url": article.image,
        "news_site": display_name(article.site),
        "summary": summary_or_opening(article.summary, article.body) or "",
        "published_at": iso(article.published),
        "updated_at": iso(article.updated_at),
        "featured": False,
        "launches": [],
        "events": [],
    }
    return record | {name: read(article) for name, read in OUR_FIELDS.items() if name in include}
