"""Copies and stories: each stored article linked to the article it republishes (``duplicate_of``)
and to the story it tells (``story_id``), and stories read back.

An article is linked once, when it is first stored: its sketches (crawler/stories/sketch.py) are
stored with it, and its LSH band keys, one row each in ``story_bands``. Its candidates are the
articles sharing most of its keys, an indexed lookup whatever the size of the store, checked by
their signatures; at most CANDIDATES of each kind. A candidate holding nearly all of its text
makes it a copy (of that candidate's original) in that candidate's story; else a candidate of the
story window telling of the same things (names, words) gives it its story; else it begins one.
Links are never rewritten: an article whose content later changes gets new sketches and keys
(for the articles after it) and keeps its links, so a story id, once given out, stays.

Writers take turns: on PostgreSQL a transaction-scoped advisory lock, taken before the articles
are written, so of two crawlers storing copies of one article, the second sees the first (and
ids follow the order of linking); on SQLite, the database's own write lock.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, delete, func, select, update

from crawler.db.models import Article, ArticleSketch, StoryBand, as_utc
from crawler.db.query import ArticleFilter, SearchQuery
from crawler.db.repository._bind import Bind, connection_of, dialect_insert
from crawler.db.repository.articles import UPSERT_CHUNK, UpsertCounts, filtered, upsert_articles
from crawler.db.repository.full_text import RANKED_CANDIDATES, SearchHit, search
from crawler.stories.sketch import Sketch, contained, jaccard, sketch, story_day

# Candidates checked by signature per new article: those sharing most band keys.
CANDIDATES = 40
# Of two articles that each hold the other's start (the sketches read the first COPY_CHARS), the
# one this much longer is the original, the other a copy cut short.
LONGER = 1.1
# pg_advisory_xact_lock's key for "linking articles" (any constant no other part of us uses).
LINKING_LOCK = 0x5C5701E5


_ARTICLES, _SKETCHES, _BANDS = Article.__table__, ArticleSketch.__table__, StoryBand.__table__
# The statements of linking, built once (building one costs more than running it on SQLite).
_TO_LINK = (
    select(_ARTICLES.c.id, _ARTICLES.c.url, _ARTICLES.c.title, _ARTICLES.c.body, _ARTICLES.c.content_hash, _ARTICLES.c.published,
           _ARTICLES.c.first_seen, _ARTICLES.c.word_count, _SKETCHES.c.content_hash.label("sketched_hash"), _SKETCHES.c.copy_signature,
           _SKETCHES.c.story_signature, _SKETCHES.c.shingles, _SKETCHES.c.story_day)
    .select_from(_ARTICLES.outerjoin(_SKETCHES, _SKETCHES.c.article_id == _ARTICLES.c.id))
    .where(_ARTICLES.c.url.in_(bindparam("urls", expanding=True))).order_by(_ARTICLES.c.id))
# Copy keys are kept on day 0, story keys on their article's day: one lookup finds both kinds.
_SHARING = (select(_BANDS.c.article_id)
            .where(((_BANDS.c.day == 0) & _BANDS.c.band.in_(bindparam("copy_keys", expanding=True)))
                   | (_BANDS.c.day.between(bindparam("first_day"), bindparam("last_day"))
                      & _BANDS.c.band.in_(bindparam("story_keys", expanding=True))),
                   _BANDS.c.article_id != bindparam("own_id"))
            .group_by(_BANDS.c.article_id).order_by(func.count().desc(), _BANDS.c.article_id)
            .limit(CANDIDATES).subquery())
_CANDIDATES = (select(_ARTICLES.c.id, _ARTICLES.c.url, _ARTICLES.c.duplicate_of, _ARTICLES.c.story_id,
                      _ARTICLES.c.word_count, _SKETCHES.c.copy_signature, _SKETCHES.c.story_signature,
                      _SKETCHES.c.shingles, _SKETCHES.c.story_day)
               .join(_SKETCHES, _SKETCHES.c.article_id == _ARTICLES.c.id)
               .where(_ARTICLES.c.id.in_(select(_SHARING.c.article_id))))
_FORGET = [delete(_BANDS).where(_BANDS.c.band.in_(bindparam("keys", expanding=True)),
                                _BANDS.c.day.in_(bindparam("days", expanding=True)),
                                _BANDS.c.article_id == bindparam("own_id")),
           delete(_SKETCHES).where(_SKETCHES.c.article_id == bindparam("own_id"))]
# A copy stored before its original, and the copies pointing at it, now point at the original.
_ORIGINAL_FOUND = update(_ARTICLES).where(
    _ARTICLES.c.story_id == bindparam("in_story"),
    (_ARTICLES.c.id == bindparam("copy_id")) | (_ARTICLES.c.duplicate_of == bindparam("copy_url")),
).values(duplicate_of=bindparam("original_url"))
_LINK = update(_ARTICLES).where(_ARTICLES.c.id == bindparam("row_id")).values(
    story_id=bindparam("story_id"), duplicate_of=bindparam("duplicate_of"))


@dataclass(frozen=True)
class LinkRules:
    """When a new article is a copy, or joins a story (crawler/settings.py: SPACECRAWL_COPY_CONTAINMENT,
    SPACECRAWL_STORY_SIMILARITY, SPACECRAWL_STORY_WINDOW_DAYS)."""

    copy_containment: float  # share of its body's shingles an earlier article holds
    story_similarity: float  # estimated Jaccard similarity of their story terms
    window_days: int  # publication days apart, at most, for a story (copies: any)


@dataclass(frozen=True)
class LinkCounts:
    copies: int = 0  # linked as a copy of an earlier article
    originals: int = 0  # stored after a copy of theirs (one cut short), which now points at them
    joined: int = 0  # joined an earlier article's story without being a copy of it
    began: int = 0  # began a story of their own

    def __add__(self, other: LinkCounts) -> LinkCounts:
        return LinkCounts(self.copies + other.copies, self.originals + other.originals, self.joined + other.joined,
                          self.began + other.began)


def upsert_and_link(bind: Bind, records: Iterable[Mapping[str, Any]], rules: LinkRules,
                    now: datetime | None = None) -> tuple[UpsertCounts, LinkCounts]:
    """``upsert_articles``, then the links of the articles it stored new, in one transaction."""
    records = list(records)
    with connection_of(bind) as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(select(func.pg_advisory_xact_lock(LINKING_LOCK)))
        counts = upsert_articles(connection, records, now)
        links = link_articles(connection, sorted({record["url"] for record in records}), rules)
    return counts, links


def link_articles(connection: Connection, urls: list[str], rules: LinkRules) -> LinkCounts:
    """Sketch and link the stored articles with these URLs that have no sketch of their content
    (new ones, changed ones, ones stored before linking existed), in the order they were stored."""
    counts = LinkCounts()
    for start in range(0, len(urls), UPSERT_CHUNK):
        counts += _link_chunk(connection, urls[start:start + UPSERT_CHUNK], rules)
    return counts


def link_unlinked(bind: Bind, rules: LinkRules, batch: int = UPSERT_CHUNK) -> LinkCounts:
    """Link every stored article not linked yet (stored before migration 0005), oldest first."""
    counts = LinkCounts()
    while True:
        with connection_of(bind) as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(select(func.pg_advisory_xact_lock(LINKING_LOCK)))
            urls = connection.scalars(
                select(_ARTICLES.c.url).where(~_ARTICLES.c.id.in_(select(_SKETCHES.c.article_id)))
                .order_by(_ARTICLES.c.id).limit(batch)).all()
            if not urls:
                return counts
            counts += link_articles(connection, list(urls), rules)


def _link_chunk(connection: Connection, urls: list[str], rules: LinkRules) -> LinkCounts:
    counts = LinkCounts()
    add_bands = dialect_insert(connection)(_BANDS).on_conflict_do_nothing()
    for row in connection.execute(_TO_LINK, {"urls": urls}).all():
        known = row.copy_signature is not None
        if known and row.sketched_hash == row.content_hash:
            continue
        new = sketch(row.title, row.body)
        day = story_day(row.published or row.first_seen)
        if known:  # changed content: new keys for the articles to come; its links stay
            old = Sketch(row.copy_signature, row.story_signature, row.shingles)
            for statement in _FORGET:
                connection.execute(statement, {"own_id": row.id, "keys": old.copy_keys() + old.story_keys(),
                                               "days": [0, row.story_day]})
        else:
            story_id, duplicate_of, kind = _links(connection, row, new, day, rules)
            connection.execute(_LINK, {"row_id": row.id, "story_id": story_id, "duplicate_of": duplicate_of})
            counts += LinkCounts(**{kind: 1})
        connection.execute(_SKETCHES.insert(), {
            "article_id": row.id, "content_hash": row.content_hash, "copy_signature": new.copy,
            "story_signature": new.story, "shingles": new.shingles, "story_day": day})
        connection.execute(add_bands, [{"band": key, "day": 0, "article_id": row.id} for key in new.copy_keys()]
                           + [{"band": key, "day": day, "article_id": row.id} for key in new.story_keys()])
    return counts


def _links(connection: Connection, row: Any, new: Sketch, day: int, rules: LinkRules) -> tuple[int, str | None, str]:
    """(story_id, duplicate_of, what it is: a LinkCounts field) for a new article ``row``."""
    candidates = [_Candidate(found.id, found.url, found.duplicate_of, found.story_id or found.id,
                             found.word_count or 0, found.story_day,
                             Sketch(found.copy_signature, found.story_signature, found.shingles))
                  for found in connection.execute(_CANDIDATES, {
                      "copy_keys": new.copy_keys(), "story_keys": new.story_keys(), "own_id": row.id,
                      "first_day": day - rules.window_days, "last_day": day + rules.window_days})]
    words = row.word_count or 0
    copied = [candidate for candidate in candidates
              if _republishes(new, words, candidate.sketch, candidate.words, rules.copy_containment)]
    if copied:  # it republishes them: a copy of the first one's original
        first = min(copied, key=lambda candidate: candidate.id)
        return first.story_id, first.duplicate_of or first.url, "copies"
    copies = [candidate for candidate in candidates if candidate.duplicate_of is None
              and _republishes(candidate.sketch, candidate.words, new, words, rules.copy_containment)]
    if copies:  # they republish it (cut short, say), and came first: it becomes their original
        first = min(copies, key=lambda candidate: candidate.id)
        connection.execute(_ORIGINAL_FOUND, {"in_story": first.story_id, "copy_id": first.id, "copy_url": first.url,
                                             "original_url": row.url})
        return first.story_id, None, "originals"
    related = [(similarity, candidate) for candidate in candidates
               if abs(candidate.day - day) <= rules.window_days
               and (similarity := jaccard(new.story, candidate.sketch.story)) >= rules.story_similarity]
    if related:
        return max(related, key=lambda pair: (pair[0], -pair[1].id))[1].story_id, None, "joined"
    return row.id, None, "began"


def _republishes(copy: Sketch, copy_words: int, original: Sketch, original_words: int, share: float) -> bool:
    """Whether ``original`` holds ``share`` of ``copy``'s text, and ``copy`` is not the longer
    of two articles that hold each other's start."""
    if contained(copy, original) < share:
        return False
    return not (copy_words > LONGER * original_words and contained(original, copy) >= share)


@dataclass(frozen=True)
class _Candidate:
    id: int
    url: str
    duplicate_of: str | None
    story_id: int  # (an article stored before linking existed, not linked yet, is its own story)
    words: int
    day: int
    sketch: Sketch


# --- reading stories back ----------------------------------------------------------------------


@dataclass(frozen=True)
class Story:
    story_id: int
    size: int  # articles
    sites: list[str]
    # the earliest publication (else storage) time of its articles (as_utc: on SQLite, coalesce()
    # gives the stored text back)
    first_seen: datetime
    last_seen: datetime
    headline: str | None  # of its first article
    url: str  # of its first article


def stories(bind: Bind, filters: ArticleFilter = ArticleFilter(), sites: Iterable[str] = (), min_size: int = 2,
            limit: int | None = None) -> list[Story]:
    """Stories with an article among ``filters`` (and on one of ``sites``, if any), of at least
    ``min_size`` articles, the most recently seen first."""
    articles = Article.__table__
    seen = func.coalesce(articles.c.published, articles.c.first_seen)
    with connection_of(bind) as connection:
        wanted = filtered(select(Article.story_id).where(Article.story_id.is_not(None)), connection.dialect.name,
                          filters)
        if sites := sorted(set(sites)):
            wanted = wanted.where(Article.site.in_(sites))
        grouped = (select(articles.c.story_id, func.count().label("size"), func.min(seen).label("first_seen"),
                          func.max(seen).label("last_seen"))
                   .where(articles.c.story_id.in_(wanted)).group_by(articles.c.story_id)
                   .having(func.count() >= min_size).order_by(func.max(seen).desc(), articles.c.story_id.desc())
                   .limit(limit).subquery())
        found = connection.execute(
            select(grouped, articles.c.title, articles.c.url).join(articles, articles.c.id == grouped.c.story_id)
            .order_by(grouped.c.last_seen.desc(), grouped.c.story_id.desc())).all()
        site_rows = connection.execute(
            select(articles.c.story_id, articles.c.site).distinct()
            .where(articles.c.story_id.in_([row.story_id for row in found]))).all()
    sites_of: dict[int, list[str]] = {}
    for row in site_rows:
        if row.site:
            sites_of.setdefault(row.story_id, []).append(row.site)
    return [Story(row.story_id, row.size, sorted(sites_of.get(row.story_id, [])), as_utc(row.first_seen),
                  as_utc(row.last_seen), row.title, row.url) for row in found]


def search_one_per_story(bind: Bind, query: SearchQuery | str, filters: ArticleFilter, limit: int) -> list[SearchHit]:
    """``search``, keeping the best hit of each story: more hits are asked for while stories repeat."""
    asked = limit
    while True:
        hits = search(bind, query, filters, asked)
        kept: dict[object, SearchHit] = {}
        for hit in hits:
            kept.setdefault(hit.story_id or hit.url, hit)
        if len(kept) >= limit or len(hits) < asked or asked >= RANKED_CANDIDATES:
            return list(kept.values())[:limit]
        asked = min(asked * 4, RANKED_CANDIDATES)
