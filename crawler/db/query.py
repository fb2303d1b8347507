"""What a reader asks for, before any database sees it: a search query and which articles.

The search language is the one web search engines taught everyone, the same on both databases:

    europa clipper          both words, anywhere in title or body
    "heat shield"           the phrase
    starship OR superheavy  either word (OR in capitals)
    -rumour   NOT rumour    without the word
    launch*                 words starting with "launch"

A query is parsed into terms here and compiled by the repository into FTS5 or tsquery syntax
with every term quoted or built by functions, so no input can reach either syntax raw.
Characters with no meaning here (brackets, colons, stray quotes) only separate words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

import dateparser

MAX_QUERY_CHARS = 1000
MAX_TERMS = 32
# A quoted phrase (closing quote optional), or a run of non-space characters.
TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
WORD = re.compile(r"[^\W_]+")  # letters and digits: what both full-text tokenizers index
CONTROL = re.compile(r"[\x00-\x1f\x7f]")  # PostgreSQL refuses NUL in text; none of them is a word


class QueryError(ValueError):
    """A search query that cannot be run; ``str()`` says why in one line."""


@dataclass(frozen=True)
class Term:
    text: str  # one word, or several to be found as a phrase
    prefix: bool = False  # the last word may be the start of a longer one

    @property
    def words(self) -> list[str]:
        return WORD.findall(self.text)


@dataclass(frozen=True)
class SearchQuery:
    required: tuple[tuple[Term, ...], ...]  # every group must match; a group, any of its terms
    excluded: tuple[Term, ...] = ()


def parse_query(text: str) -> SearchQuery:
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"query too long ({len(text)} characters; at most {MAX_QUERY_CHARS})")
    text = CONTROL.sub(" ", text)
    groups: list[list[Term]] = []
    excluded: list[Term] = []
    negate_next = join_next = False
    for match in TOKEN.finditer(text):
        dash, phrase, word = match.groups()
        if word in ("AND", "OR", "NOT"):
            join_next = word == "OR" and bool(groups)
            negate_next = word == "NOT"
            continue
        if phrase is not None:
            negated, body, prefix = bool(dash) or negate_next, phrase, False
        else:
            negated = negate_next or (word.startswith("-") and len(word) > 1)
            body = word[1:] if word.startswith("-") else word
            prefix = body.endswith("*")
        negate_next = False
        term = Term(" ".join(body.split()).rstrip("*"), prefix)
        if not term.words:  # punctuation only: nothing either index could match
            continue
        if negated:
            excluded.append(term)
        elif join_next:
            groups[-1].append(term)
        else:
            groups.append([term])
        join_next = False
    if sum(map(len, groups)) + len(excluded) > MAX_TERMS:
        raise QueryError(f"query has too many terms (at most {MAX_TERMS})")
    if not groups:
        raise QueryError("nothing to search for: give at least one word that is not excluded"
                         if excluded else f"nothing to search for in {text!r}: give at least one word")
    return SearchQuery(tuple(tuple(group) for group in groups), tuple(excluded))


@dataclass(frozen=True)
class ArticleFilter:
    """Which articles: of any of ``sites`` (all when empty) but none of ``exclude_sites``;
    ``since`` / ``until`` bound the publication date (since inclusive, until exclusive), and
    ``updated_since`` / ``updated_until`` when the stored content last changed, alike; ``author``
    matches part of any author's name, ``tag`` a whole tag, ``title_contains`` and
    ``summary_contains`` part of the title or of the summary (the body's opening where the page
    gave none: repository.summary_or_opening), all ignoring case; ``entity`` an entity the article
    mentions, by the gazetteer's id, name or any alias, ignoring case ("Roscosmos", "Роскосмос",
    "roscosmos"); ``story_id`` the articles of one story (its first article's id). Articles without a publication date are left out as soon as a date bound is given."""

    sites: tuple[str, ...] = ()
    exclude_sites: tuple[str, ...] = ()
    since: datetime | None = None
    until: datetime | None = None
    author: str | None = None
    tag: str | None = None
    entity: str | None = None
    story_id: int | None = None
    title_contains: str | None = None
    summary_contains: str | None = None
    updated_since: datetime | None = None
    updated_until: datetime | None = None


def site_names(names: str | Iterable[str] | None) -> tuple[str, ...]:
    """Site names as a reader gives them: one name, "a,b", or a list of either; blanks dropped."""
    if not names:
        return ()
    parts = names.split(",") if isinstance(names, str) else [part for name in names for part in name.split(",")]
    return tuple(dict.fromkeys(part.strip() for part in parts if part.strip()))


_PERIOD = re.compile(r"(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?")


def parse_date_bound(text: str, *, end: bool = False) -> datetime:
    """A date bound from a reader's words, aware UTC. A calendar period ("2021", "2021-09",
    "2021-09-15") means its start, or with ``end`` the start of the next one, so
    ``--since 2021-09 --until 2021-09`` is all of September. Anything else goes to dateparser
    ("last week", "3 days ago", "15 March 2024") and means that moment."""
    text = text.strip()
    period = _PERIOD.fullmatch(text)
    try:
        if period:
            year, month, day = (int(part) if part else None for part in period.groups())
            start = datetime(year, month or 1, day or 1, tzinfo=UTC)  # type: ignore[arg-type]
            if not end:
                return start
            if day:
                return datetime.fromordinal(start.toordinal() + 1).replace(tzinfo=UTC)
            if month:
                return start.replace(year=year + (month == 12), month=month % 12 + 1)  # type: ignore[operator]
            return start.replace(year=year + 1)  # type: ignore[operator]
    except ValueError:
        raise ValueError(f"{text!r} is not a date") from None
    parsed = dateparser.parse(text, settings={
        "TIMEZONE": "UTC", "TO_TIMEZONE": "UTC", "RETURN_AS_TIMEZONE_AWARE": True,
        "PREFER_DATES_FROM": "past", "PREFER_DAY_OF_MONTH": "first",
    })
    if parsed is None:
        raise ValueError(f"cannot read {text!r} as a date; try 2021-09, 2021-09-15 or 'last week'")
    return parsed.astimezone(UTC)
