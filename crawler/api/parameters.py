"""The query parameters of ``/v4/articles/``, read into an ArticleFilter, an order and a page.

``FILTERS`` is the one table of filter parameters: each names the ArticleFilter field it sets and
how its text is read. A new filter is one line here (and the field in crawler/db/query.py);
the endpoint, its OpenAPI description and its errors follow from the table.

Names, meanings and defaults are the Spaceflight News API v4's where it has the parameter
(limit 10, at most 500; ordering ``-published_at``); ``author``, ``tag`` and ``include`` are ours.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from crawler.api.news_sites import site_for
from crawler.db.query import ArticleFilter, site_names
from crawler.db.repository import NEWEST_FIRST, Order

DEFAULT_LIMIT = 10
MAX_LIMIT = 500  # a larger limit is lowered to it, as the Spaceflight News API does
# ordering value -> the stored column it sorts by
ORDER_COLUMNS = {"published_at": "published", "updated_at": "updated_at"}
# Our fields, beyond the Spaceflight News API's, that ``include=`` adds to each record: see records.py.
INCLUDE_ALL = "all"
_MICROSECOND = timedelta(microseconds=1)  # the stores' precision: "up to and including t" is "before t + 1 µs"


class ParameterError(ValueError):
    """A query parameter that cannot be read; ``str()`` names it and says why, in one line."""


def _instant(text: str) -> datetime:
    """An ISO 8601 date or date and time; without an offset, UTC. A "+02:00" sent unencoded
    arrives as " 02:00" (a "+" in a query string is a space), and is read as meant."""
    try:
        parsed = datetime.fromisoformat(re.sub(r" (\d\d(?::?\d\d)?)$", r"+\1", text.strip()))
    except ValueError:
        raise ValueError(f"{text!r} is not an ISO 8601 date or time, such as 2024-05-01 or 2024-05-01T12:00:00Z") from None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _just_after(text: str) -> datetime:
    """After the instant, or, as a bound "before", up to and including it."""
    return _instant(text) + _MICROSECOND


def _sites(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(map(site_for, site_names(text))))


def _article_id(text: str) -> int:
    if not text.strip().isdigit():
        raise ValueError(f"{text!r} is not an article id (a whole number)")
    return int(text)


def _words(text: str) -> str | None:
    return text.strip() or None


@dataclass(frozen=True)
class FilterParameter:
    name: str  # the query parameter
    field: str  # the ArticleFilter field it sets
    read: Callable[[str], Any]  # its text -> the field's value; ValueError says what is wrong
    description: str


FILTERS = (
    FilterParameter("news_site", "sites", _sites,
                    "Only these sites, comma-separated: the name /v4/info/ lists or spacecrawl's site name, any case"),
    FilterParameter("news_site_exclude", "exclude_sites", _sites, "None of these sites, comma-separated"),
    FilterParameter("title_contains", "title_contains", _words, "The title contains this text (any case)"),
    FilterParameter("summary_contains", "summary_contains", _words,
                    "The summary contains this text (any case); an article without one: its first paragraph"),
    FilterParameter("published_at_gte", "since", _instant, "Published at or after this ISO 8601 time"),
    FilterParameter("published_at_gt", "since", _just_after, "Published after this ISO 8601 time"),
    FilterParameter("published_at_lte", "until", _just_after, "Published at or before this ISO 8601 time"),
    FilterParameter("published_at_lt", "until", _instant, "Published before this ISO 8601 time"),
    FilterParameter("updated_at_gte", "updated_since", _instant, "Stored content changed at or after this time"),
    FilterParameter("updated_at_gt", "updated_since", _just_after, "Stored content changed after this time"),
    FilterParameter("updated_at_lte", "updated_until", _just_after, "Stored content changed at or before this time"),
    FilterParameter("updated_at_lt", "updated_until", _instant, "Stored content changed before this time"),
    FilterParameter("author", "author", _words, "(spacecrawl) An author's name contains this text (any case)"),
    FilterParameter("tag", "tag", _words, "(spacecrawl) Tagged with this whole tag (any case)"),
    FilterParameter("entity", "entity", _words,
                    "(spacecrawl) Mentions this entity: the gazetteer's id, name or any alias (any case)"),
    FilterParameter("story_id", "story_id", _article_id, "(spacecrawl) The articles of this story"),
)


def article_filter(values: dict[str, str | None]) -> ArticleFilter:
    """The ArticleFilter the filter parameters in ``values`` ask for (others are ignored)."""
    fields: dict[str, Any] = {}
    setters: dict[str, str] = {}
    for parameter in FILTERS:
        text = values.get(parameter.name)
        if text is None:
            continue
        if parameter.field in setters:
            raise ParameterError(f"{parameter.name}: give either {setters[parameter.field]} or {parameter.name}")
        try:
            fields[parameter.field] = parameter.read(text)
        except ValueError as error:
            raise ParameterError(f"{parameter.name}: {error}") from None
        setters[parameter.field] = parameter.name
    return ArticleFilter(**fields)


def ordering(text: str | None) -> tuple[Order, ...]:
    """``ordering``: comma-separated ``published_at`` / ``updated_at``, ``-`` first for newest first."""
    if not text:
        return NEWEST_FIRST
    order = []
    for part in (part.strip() for part in text.split(",") if part.strip()):
        column = ORDER_COLUMNS.get(part.removeprefix("-"))
        if column is None:
            choices = ", ".join(f"{name}, -{name}" for name in ORDER_COLUMNS)
            raise ParameterError(f"ordering: {part!r} is not one of {choices}")
        order.append(Order(column, descending=part.startswith("-")))  # type: ignore[arg-type]
    return tuple(order) or NEWEST_FIRST


def included(text: str | None, known: tuple[str, ...]) -> frozenset[str]:
    """``include``: comma-separated names of our own fields, or ``all``."""
    names = frozenset(part.strip() for part in (text or "").split(",") if part.strip())
    if INCLUDE_ALL in names:
        return frozenset(known)
    unknown = sorted(names - set(known))
    if unknown:
        raise ParameterError(f"include: {', '.join(map(repr, unknown))} is not one of {', '.join(known)}, {INCLUDE_ALL}")
    return names
