"""The article record every stage agrees on.

Extraction fills what the page says (dates still as the text found); the pipelines normalize it
in place; the store writes the fields in ``WRITTEN_FIELDS`` and adds the links (``LINK_FIELDS``). ``page_type``, ``timezone`` and
``published_without_time`` are hints for later stages and checks, and are never stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any


@dataclass
class Article:
    url: str  # canonical URL when the page declares one, else the fetched URL
    site: str | None = None
    fetched_url: str | None = None  # the address the page was downloaded from
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    published: datetime | str | None = None  # text as found; parse_dates makes it aware UTC
    modified: datetime | str | None = None
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    summary: str | None = None
    body: str | None = None  # paragraphs separated by blank lines
    language: str | None = None
    image: str | None = None
    word_count: int | None = None
    fetched_at: datetime | None = None
    content_hash: str | None = None
    # the gazetteer's entities the text mentions: {"name", "kind", "id"} (pipelines/tag_entities.py)
    entities: list[dict[str, str]] = field(default_factory=list)
    etag: str | None = None  # the response's validators: the next crawl asks "changed since?" with them
    last_modified: str | None = None
    # set by the store when it links the article to others (never taken from a record it is given):
    story_id: int | None = None  # the id of the first stored article of its story (its own, if it began one)
    duplicate_of: str | None = None  # the url of the article it republishes, the first of them stored
    # hints, not stored
    page_type: str | None = None  # what the page declares itself to be (JSON-LD @type, og:type)
    timezone: str | None = None  # the site's zone (else the page's likely one), for dates printed without an offset
    # parse_dates: the page gave its publication day without a time (stored at midnight UTC)
    published_without_time: bool = False


HINT_FIELDS = ("page_type", "timezone", "published_without_time")
STORED_FIELDS = tuple(f.name for f in fields(Article) if f.name not in HINT_FIELDS)
LINK_FIELDS = ("story_id", "duplicate_of")
WRITTEN_FIELDS = tuple(name for name in STORED_FIELDS if name not in LINK_FIELDS)  # what a record gives the store


def to_record(article: Article) -> dict[str, Any]:
    """The article as JSON-ready data: stored fields only, datetimes in ISO 8601."""
    record = {}
    for name in STORED_FIELDS:
        value = getattr(article, name)
        record[name] = value.isoformat() if isinstance(value, datetime) else value
    return record
