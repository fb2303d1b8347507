"""Copies and stories: each stored article linked to the article it republishes (``duplicate_of``)
and to the story it tells (``story_id``), and stories read back.

An article is linked once, when it is first stored: its sketches (crawler/stories/sketch.py) are
stored with it, and its LSH band keys, one row each in ``story_bands``. Its candidates are the
articles sharing most of its keys, an indexed lookup whatever the size of the store, checked by
their signatures; at most CANDIDATES. A candidate holding nearly all of its text
makes it a copy (of that candidate's original) in that candidate's story; else a candidate of the
story window (days from it and from its story's first article) telling of the same things (names,
words) gives it its story; else it begins one.
A story id, once given out, stays: an article whose content later changes gets new sketches and
keys (for the articles after it) and keeps its links; the one link rewritten is ``duplicate_of``
of a copy stored before its original, which points at the original once that arrives.

Writers take turns: on PostgreSQL a transaction-scoped advisory lock, taken before the articles
are written, so of two crawlers storing copies of one article, the second sees the first (and
ids follow the order of linking); on SQLite, the database's own write lock.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, delete, func, select, text, update

from crawler.db.models import Article, ArticleSketch, StoryBand, as_utc
from crawler.db.query import ArticleFilter, SearchQuery
from crawler.db.repository._bind import Bind, connection_of, dialect_insert
from crawler.db.repository.articles import UPSERT_CHUNK, UpsertCounts, filtered, upsert_articles
from crawler.db.repository.full_text import RANKED_CANDIDATES, SearchHit, search
from crawler.stories.sketch import Sketch, contained, jaccard, sketch, story_day

# Candidates checked by signature per new article: those sharing most band keys.
CANDIDATES = 40
# Articles linked a chunk: their 64 keys each are parameters of one lookup, well under SQLite's
# 32766 bound parameters.
LINK_CHUNK = 200
# Of two articles that each hold the other's start (the sketches read the first COPY_CHARS), the
# one this much longer is the original, the other a copy cut short.
LONGER = 1.1
# pg_advisory_xact_lock's key for "linking articles" (any constant no other part of us uses).
LINKING_LOCK = 0x5C5701E5


_ARTICLES, _SKETCHES, _BANDS = Article.__table__, ArticleSketch.__table__, StoryBand.__table__
# The statements of linking, built once (building one costs more than running it on SQLite).
# Of a batch's articles, those without a sketch of their content: new, changed, or stored before
# linking existed (unchanged ones are not read again: a re-crawl costs this one query).
_TO_LINK = (
    select(_ARTICLES.c.id, _ARTICLES.c.url, _ARTICLES.c.title, _ARTICLES.c.body, _ARTICLES.c.content_hash,
           _ARTICLES.c.published, _ARTICLES.c.first_seen, _ARTICLES.c.word_count, _ARTICLES.c.story_id,
           _ARTICLES.c.duplicate_of, _ARTICLES.c.entities, _SKETCHES.c.copy_signature, _SKETCHES.c.story_signature, _SKETCHES.c.shingles,
           _SKETCHES.c.story_day)
    .select_from(_ARTICLES.outerjoin(_SKETCHES, _SKETCHES.c.article_id == _ARTICLES.c.id))
    .where(_ARTICLES.c.url.in_(bindparam("urls", expanding=True)),
           _SKETCHES.c.article_id.is_(None) | _SKETCHES.c.content_hash.is_distinct_from(_ARTICLES.c.content_hash))
    .order_by(_ARTICLES.c.id))


# SQLite: the stored band rows of a chunk's keys (copy keys are kept on day 0, story keys on their
# article's day, read within the chunk's days), counted per new article here.
_IN_STORE = select(_BANDS.c.band, _BANDS.c.day, _BANDS.c.article_id).where(
    ((_BANDS.c.day == 0) & _BANDS.c.band.in_(bindparam("copy_keys", expanding=True)))
    | (_BANDS.c.day.between(bindparam("first_day"), bindparam("last_day"))
       & _BANDS.c.band.in_(bindparam("story_keys", expanding=True))))
# PostgreSQL: the same counted by the server, and with what linking reads of the candidates, in
# one statement for a chunk: for each new article (its day, and its slices of the key arrays), the
# CANDIDATES stored articles sharing most of its keys (story keys within its window). The arrays
# are one statement text whatever their length, which psycopg prepares once. (OFFSET 0: each
# article's slices are cut once; MATERIALIZED: the planner would otherwise look up the keys again
# for every stored article it joins.)
_CANDIDATES_PG = text("""
WITH found AS MATERIALIZED (
    SELECT probe.n, top.article_id, top.keys
    FROM unnest(CAST(:days AS integer[])) WITH ORDINALITY AS probe(day, n)
    CROSS JOIN LATERAL (SELECT
        (CAST(:copy_keys AS bigint[]))[(probe.n - 1) * :width + 1 : probe.n * :width] AS copy_keys,
        (CAST(:story_keys AS bigint[]))[(probe.n - 1) * :width + 1 : probe.n * :width] AS story_keys
        OFFSET 0) AS own
    CROSS JOIN LATERAL (
        SELECT band.article_id, count(*) AS keys FROM story_bands AS band
        WHERE (band.day = 0 AND band.band = ANY(own.copy_keys))
           OR (band.day BETWEEN probe.day - :window AND probe.day + :window AND band.band = ANY(own.story_keys))
        GROUP BY band.article_id ORDER BY count(*) DESC, band.article_id LIMIT :candidates) AS top)
SELECT found.n, found.keys, found.article_id AS id, article.url, article.duplicate_of, article.story_id,
       article.word_count, sketch.copy_signature, sketch.story_signature, sketch.shingles, sketch.story_day,
       head.story_day AS head_day
FROM found
JOIN articles AS article ON article.id = found.article_id
JOIN article_sketches AS sketch ON sketch.article_id = found.article_id
LEFT JOIN article_sketches AS head ON head.article_id = coalesce(article.story_id, article.id)""")
# No ON CONFLICT: an article's rows are new (a changed one's old rows are gone first, _FORGET; ids
# are not used again), and the speculative insert it makes of each row doubled their cost.
_ADD_BANDS_PG = text("INSERT INTO story_bands (band, day, article_id) SELECT * FROM unnest(CAST(:bands AS bigint[]), "
                     "CAST(:days AS integer[]), CAST(:ids AS integer[]))")
_HEAD = _SKETCHES.alias("head")
_DETAILS = (select(_ARTICLES.c.id, _ARTICLES.c.url, _ARTICLES.c.duplicate_of, _ARTICLES.c.story_id,
                   _ARTICLES.c.word_count, _SKETCHES.c.copy_signature, _SKETCHES.c.story_signature,
                   _SKETCHES.c.shingles, _SKETCHES.c.story_day,
                   select(_HEAD.c.story_day).where(_HEAD.c.article_id == func.coalesce(_ARTICLES.c.story_id,
                                                                                       _ARTICLES.c.id))
                   .scalar_subquery().label("head_day"))
            .join(_SKETCHES, _SKETCHES.c.article_id == _ARTICLES.c.id)
            .where(_ARTICLES.c.id.in_(bindparam("ids", expanding=True))))
_FORGET = [delete(_BANDS).where(_BANDS.c.band.in_(bindparam("keys", expanding=True)),
                                _BANDS.c.day.in_(bindparam("days", expanding=True)),
                                _BANDS.c.article_id == bindparam("own_id")),
           delete(_SKETCHES).where(_SKETCHES.c.article_id == bindparam("own_id"))]
# A copy stored before its original, and the copies pointing at it, now point at the original.
_ORIGINAL_FOUND = update(_ARTICLES).where(
    (_ARTICLES.c.story_id == bindparam("in_story")) | (_ARTICLES.c.id == bindparam("in_story")),
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
    for start in range(0, len(urls), LINK_CHUNK):
        counts += _link_chunk(connection, urls[start:start + LINK_CHUNK], rules)
    return counts


def link_unlinked(bind: Bind, rules: LinkRules, batch: int = LINK_CHUNK) -> LinkCounts:
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
    """Link a chunk's articles: two reads of the store for the whole chunk (the band rows its keys
    meet, then the sketches of the candidates), the links in order, three writes at the end."""
    counts, chunk, sketched = LinkCounts(), _Chunk(), []
    for row in connection.execute(_TO_LINK, {"urls": urls}).all():
        known = row.copy_signature is not None  # (and so changed since)
        day = story_day(row.published or row.first_seen)
        article = _Candidate(row.id, row.url, row.duplicate_of, row.story_id or row.id, row.word_count or 0, day,
                             day, sketch(row.title, row.body, tuple(e["id"] for e in row.entities or ())))
        if known:  # changed content: new keys for the articles to come; its links stay
            old = Sketch(row.copy_signature, row.story_signature, row.shingles)
            for statement in _FORGET:
                connection.execute(statement, {"own_id": row.id, "keys": old.copy_keys + old.story_keys,
                                               "days": [0, row.story_day]})
        sketched.append((article, row.content_hash, not known))
    stored = _StoredCandidates(connection, [article for article, _, new in sketched if new], rules)
    for article, content_hash, new in sketched:
        if new:
            counts += LinkCounts(**{_link(connection, article, rules, stored.of(article) + chunk.sharing(article, rules),
                                          [stored, chunk]): 1})
        chunk.add(article, content_hash, linked=new)
    chunk.write(connection)
    return counts


def _link(connection: Connection, new: _Candidate, rules: LinkRules, candidates: list[_Candidate],
          known: list[Any]) -> str:
    """Set ``new``'s story_id and duplicate_of; what it is (a LinkCounts field). ``known``: what
    holds candidates in memory, to be told when a copy's original is found."""
    copied = [candidate for candidate in candidates
              if _republishes(new.sketch, new.words, candidate.sketch, candidate.words, rules.copy_containment)]
    if copied:  # it republishes them: a copy of the first one's original
        first = min(copied, key=lambda candidate: candidate.id)
        new.story_id, new.duplicate_of, new.head_day = first.story_id, first.duplicate_of or first.url, first.head_day
        return "copies"
    copies = [candidate for candidate in candidates if candidate.duplicate_of is None
              and _republishes(candidate.sketch, candidate.words, new.sketch, new.words, rules.copy_containment)]
    if copies:  # they republish it (cut short, say), and came first: it becomes their original
        first = min(copies, key=lambda candidate: candidate.id)
        connection.execute(_ORIGINAL_FOUND, {"in_story": first.story_id, "copy_id": first.id, "copy_url": first.url,
                                             "original_url": new.url})
        for holder in known:
            holder.original_found(first, new.url)
        new.story_id, new.head_day = first.story_id, first.head_day
        return "originals"
    related = [(similarity, candidate) for candidate in candidates
               if max(abs(candidate.day - new.day), abs(candidate.head_day - new.day)) <= rules.window_days
               and (similarity := jaccard(new.sketch.story, candidate.sketch.story)) >= rules.story_similarity]
    if related:
        best = max(related, key=lambda pair: (pair[0], -pair[1].id))[1]
        new.story_id, new.head_day = best.story_id, best.head_day
        return "joined"
    return "began"


def _republishes(copy: Sketch, copy_words: int, original: Sketch, original_words: int, share: float) -> bool:
    """Whether ``original`` holds ``share`` of ``copy``'s text, and ``copy`` is not the longer
    of two articles that hold each other's start."""
    if contained(copy, original) < share:
        return False
    return not (copy_words > LONGER * original_words and contained(original, copy) >= share)


@dataclass
class _Candidate:
    """An article as linking sees it."""

    id: int
    url: str
    duplicate_of: str | None
    story_id: int  # (an article stored before linking existed, not linked yet, is its own story)
    words: int
    day: int  # its story_day
    head_day: int  # its story's first article's
    sketch: Sketch


class _Chunk:
    """The articles of a chunk sketched so far. Their sketches, keys and links are written at the
    chunk's end, in three statements rather than three per article; until then the chunk's later
    articles find them here."""

    def __init__(self) -> None:
        # each with the content its sketch is of, and whether its links are to be written
        self.articles: list[tuple[_Candidate, str | None, bool]] = []
        self.by_key: dict[int, list[_Candidate]] = {}

    def add(self, article: _Candidate, content_hash: str | None, linked: bool) -> None:
        self.articles.append((article, content_hash, linked))
        for key in article.sketch.copy_keys + article.sketch.story_keys:
            self.by_key.setdefault(key, []).append(article)

    def sharing(self, new: _Candidate, rules: LinkRules) -> list[_Candidate]:
        """The chunk's articles sharing a copy key with ``new``, or a story key within the window."""
        found = {article.id: article for key in new.sketch.copy_keys for article in self.by_key.get(key, ())}
        found.update((article.id, article) for key in new.sketch.story_keys for article in self.by_key.get(key, ())
                     if abs(article.day - new.day) <= rules.window_days)
        return list(found.values())

    def original_found(self, copy: _Candidate, original_url: str) -> None:
        """_ORIGINAL_FOUND, for the articles not written yet."""
        _original_found((article for article, _, _ in self.articles), copy, original_url)

    def write(self, connection: Connection) -> None:
        if not self.articles:
            return
        connection.execute(_SKETCHES.insert(), [
            {"article_id": a.id, "content_hash": content_hash, "copy_signature": a.sketch.copy,
             "story_signature": a.sketch.story, "shingles": a.sketch.shingles, "story_day": a.day}
            for a, content_hash, _ in self.articles])
        _add_bands(connection, [a for a, _, _ in self.articles])
        # An article that begins its story keeps story_id NULL (read as its own id): on PostgreSQL
        # an UPDATE of a row computes its search vector again, a millisecond of a long body.
        linked = [{"row_id": a.id, "story_id": a.story_id, "duplicate_of": a.duplicate_of}
                  for a, _, linked in self.articles if linked and (a.story_id != a.id or a.duplicate_of)]
        if linked:
            connection.execute(_LINK, linked)


def _add_bands(connection: Connection, articles: list[_Candidate]) -> None:
    """Insert the articles' band rows (band, day: 0 for a copy key, article_id): on PostgreSQL as
    three arrays in one statement (a row's parameters cost more than its insert), on SQLite by
    executemany."""
    if connection.dialect.name == "postgresql":
        connection.execute(_ADD_BANDS_PG, {
            "bands": _array(key for a in articles for key in a.sketch.copy_keys + a.sketch.story_keys),
            "days": _array(day for a in articles for day in [0] * len(a.sketch.copy_keys) + [a.day] * len(a.sketch.story_keys)),
            "ids": _array(a.id for a in articles for _ in range(len(a.sketch.copy_keys) + len(a.sketch.story_keys)))})
    else:
        connection.execute(dialect_insert(connection)(_BANDS).on_conflict_do_nothing(), [
            {"band": key, "day": day, "article_id": a.id} for a in articles
            for keys, day in ((a.sketch.copy_keys, 0), (a.sketch.story_keys, a.day)) for key in keys])


def _array(values: Iterable[int]) -> str:
    """PostgreSQL's text of an array of integers, for a statement to cast: psycopg's own list
    dumper tests each element with a regular expression, which cost more than the lookup."""
    return "{" + ",".join(map(str, values)) + "}"


class _StoredCandidates:
    """The stored articles a chunk's new articles meet: for each, the CANDIDATES sharing most of
    its keys (story keys within its window), with their sketches and links."""

    def __init__(self, connection: Connection, articles: list[_Candidate], rules: LinkRules) -> None:
        self.top: dict[int, list[int]] = {}
        self.details: dict[int, _Candidate] = {}
        if not articles:
            return
        if connection.dialect.name == "postgresql":
            self._find_on_postgresql(connection, articles, rules)
            return
        rows = connection.execute(_IN_STORE, {
            "copy_keys": sorted({key for article in articles for key in article.sketch.copy_keys}),
            "story_keys": sorted({key for article in articles for key in article.sketch.story_keys}),
            "first_day": min(article.day for article in articles) - rules.window_days,
            "last_day": max(article.day for article in articles) + rules.window_days}).all()
        in_bucket: dict[int, list[tuple[int, int]]] = {}
        for row in rows:
            in_bucket.setdefault(row.band, []).append((row.article_id, row.day))
        for article in articles:
            shared: dict[int, int] = {}
            for key in article.sketch.copy_keys + article.sketch.story_keys:
                for other, day in in_bucket.get(key, ()):
                    if day == 0 or abs(day - article.day) <= rules.window_days:
                        shared[other] = shared.get(other, 0) + 1
            self.top[article.id] = sorted(shared, key=lambda other: (-shared[other], other))[:CANDIDATES]
        wanted = sorted({other for top in self.top.values() for other in top})
        for start in range(0, len(wanted), UPSERT_CHUNK):
            for found in connection.execute(_DETAILS, {"ids": wanted[start:start + UPSERT_CHUNK]}):
                self._keep(found)

    def _find_on_postgresql(self, connection: Connection, articles: list[_Candidate], rules: LinkRules) -> None:
        shared: dict[int, list[tuple[int, int]]] = {}
        for found in connection.execute(_CANDIDATES_PG, {
                "days": _array(article.day for article in articles), "window": rules.window_days,
                "candidates": CANDIDATES, "width": len(articles[0].sketch.copy_keys),
                "copy_keys": _array(key for article in articles for key in article.sketch.copy_keys),
                "story_keys": _array(key for article in articles for key in article.sketch.story_keys)}):
            shared.setdefault(articles[found.n - 1].id, []).append((-found.keys, found.id))
            if found.id not in self.details:
                self._keep(found)
        self.top = {article: [other for _, other in sorted(found)] for article, found in shared.items()}

    def _keep(self, found: Any) -> None:
        """A candidate as the store has it (a row of _DETAILS or _CANDIDATES_PG)."""
        self.details[found.id] = _Candidate(
            found.id, found.url, found.duplicate_of, found.story_id or found.id, found.word_count or 0,
            found.story_day, found.head_day if found.head_day is not None else found.story_day,
            Sketch(found.copy_signature, found.story_signature, found.shingles))

    def of(self, article: _Candidate) -> list[_Candidate]:
        return [self.details[other] for other in self.top.get(article.id, ()) if other in self.details]

    def original_found(self, copy: _Candidate, original_url: str) -> None:
        """_ORIGINAL_FOUND, as the store now has it."""
        _original_found(self.details.values(), copy, original_url)


def _original_found(articles: Iterable[_Candidate], copy: _Candidate, original_url: str) -> None:
    for article in articles:
        if article.story_id == copy.story_id and (article.id == copy.id or article.duplicate_of == copy.url):
            article.duplicate_of = original_url


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
    story = func.coalesce(articles.c.story_id, articles.c.id)
    seen = func.coalesce(articles.c.published, articles.c.first_seen)
    with connection_of(bind) as connection:
        wanted = filtered(select(story), connection.dialect.name, filters)
        if sites := sorted(set(sites)):
            wanted = wanted.where(Article.site.in_(sites))
        if min_size > 1:  # a story of several articles: one that others joined
            wanted = wanted.where(story.in_(select(articles.c.story_id).where(articles.c.story_id.is_not(None))))
        grouped = (select(story.label("story_id"), func.count().label("size"), func.min(seen).label("first_seen"),
                          func.max(seen).label("last_seen"))
                   .where(articles.c.story_id.in_(wanted) | articles.c.id.in_(wanted)).group_by(story)
                   .having(func.count() >= min_size).order_by(func.max(seen).desc(), story.desc())
                   .limit(limit).subquery())
        found = connection.execute(
            select(grouped, articles.c.title, articles.c.url).join(articles, articles.c.id == grouped.c.story_id)
            .order_by(grouped.c.last_seen.desc(), grouped.c.story_id.desc())).all()
        ids = [row.story_id for row in found]
        site_rows = connection.execute(select(story.label("story_id"), articles.c.site).distinct().where(
            articles.c.story_id.in_(ids) | articles.c.id.in_(ids))).all()
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
