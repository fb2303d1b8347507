"""Articles: upserts that keep revisions, what a crawl knows of stored articles, reading them
back, and the filters (sites, dates, author, tag, title and summary text, entity, story) every reading verb applies."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, Select, bindparam, exists, func, or_, select, update
from sqlalchemy.orm import Session, selectinload

from crawler.db.models import Article, ArticleRevision, Site
from crawler.db.query import ArticleFilter
from crawler.db.repository._bind import Bind, connection_of, dialect_insert, session_of
from crawler.db.repository.entities import entity_ids, index_entities
from crawler.items import WRITTEN_FIELDS

# Rows per statement: well under SQLite's 32766 bound parameters at ~20 columns a row.
UPSERT_CHUNK = 500
# A change in any of these makes a new revision (the hash alone may not cover the title).
CONTENT_FIELDS = ("content_hash", "title", "body")
# The fetch's HTTP validators: refreshed on unchanged rows too, so the next conditional request is current.
VALIDATOR_FIELDS = ("etag", "last_modified")
LIST_FIELDS = ("authors", "tags", "entities")


@dataclass(frozen=True)
class UpsertCounts:
    new: int = 0
    updated: int = 0
    unchanged: int = 0

    def __add__(self, other: UpsertCounts) -> UpsertCounts:
        return UpsertCounts(self.new + other.new, self.updated + other.updated, self.unchanged + other.unchanged)


def _article_rows(records: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Stored fields of each record, one row per URL (the last record of a URL wins: a statement
    may not touch the same row twice)."""
    rows: dict[str, dict[str, Any]] = {}
    for record in records:
        url = record.get("url")
        if not url:
            raise ValueError(f"article record without a url: title {record.get('title')!r}")
        row = {name: record.get(name) for name in WRITTEN_FIELDS}
        for name in LIST_FIELDS:
            row[name] = list(row[name] or [])
        rows[url] = row
    return list(rows.values())


def upsert_articles(bind: Bind, records: Iterable[Mapping[str, Any]], now: datetime | None = None) -> UpsertCounts:
    """Store article records (dicts of ``crawler.items.WRITTEN_FIELDS``; datetimes or ISO text;
    other keys, such as the links of an exported record, are ignored).

    A new URL is inserted; a known URL whose content changed is updated and its previous version
    kept as an ArticleRevision; an unchanged one only gets ``last_seen``. Running it twice with
    the same records stores nothing twice.
    """
    now = now or datetime.now(UTC)
    counts = UpsertCounts()
    with connection_of(bind) as connection:
        rows = _article_rows(records)
        for start in range(0, len(rows), UPSERT_CHUNK):
            counts += _upsert_chunk(connection, rows[start:start + UPSERT_CHUNK], now)
    return counts


def _upsert_chunk(connection: Connection, rows: list[dict[str, Any]], now: datetime) -> UpsertCounts:
    articles = Article.__table__
    insert = dialect_insert(connection)
    # Writing before reading: on SQLite this takes the write lock first, so a concurrent crawl
    # makes this one wait (busy_timeout) and the rows read below cannot go stale before the write.
    site_names = sorted({row["site"] for row in rows if row["site"]})
    if site_names:
        connection.execute(insert(Site.__table__).on_conflict_do_nothing(index_elements=["name"]),
                           [{"name": name, "domains": []} for name in site_names])
    # Rows locked and written in URL order: two crawls upserting the same articles on PostgreSQL
    # then wait for each other instead of deadlocking.
    rows = sorted(rows, key=lambda row: row["url"])
    stamps = {"first_seen": now, "last_seen": now, "updated_at": now}
    stored = _stored_versions(connection, [row["url"] for row in rows])
    unknown = [row | stamps for row in rows if row["url"] not in stored]
    inserted: dict[str, int] = {}
    if unknown:
        # New only if our insert wins: a concurrent crawl may have stored the URL since the read.
        statement = (insert(articles).on_conflict_do_nothing(index_elements=["url"])
                     .returning(articles.c.url, articles.c.id))
        inserted = dict(connection.execute(statement, unknown).all())
        stored |= _stored_versions(connection, [row["url"] for row in unknown if row["url"] not in inserted])
    known = [row for row in rows if row["url"] not in inserted]
    changed = [row for row in known
               if any(row[name] != getattr(stored[row["url"]], name) for name in CONTENT_FIELDS)]
    changed_urls = {row["url"] for row in changed}
    unchanged_ids = sorted(stored[row["url"]].id for row in known if row["url"] not in changed_urls)

    if changed:
        connection.execute(ArticleRevision.__table__.insert(), [
            {"article_id": old.id, "content_hash": old.content_hash, "title": old.title, "body": old.body,
             "published": old.published, "modified": old.modified, "fetched_at": old.fetched_at,
             "replaced_at": now}
            for old in (stored[row["url"]] for row in changed)
        ])
        statement = insert(articles)
        refreshed = {name: statement.excluded[name] for name in (*WRITTEN_FIELDS, "last_seen", "updated_at")
                     if name != "url"}
        statement = statement.on_conflict_do_update(index_elements=["url"], set_=refreshed)
        connection.execute(statement, [row | stamps for row in changed])
    if unchanged_ids:
        connection.execute(update(articles).where(articles.c.id.in_(unchanged_ids)).values(last_seen=now))
    revalidated = [{"row_id": stored[row["url"]].id, **{name: row[name] for name in VALIDATOR_FIELDS}}
                   for row in known
                   if row["url"] not in changed_urls and any(row[name] for name in VALIDATOR_FIELDS)
                   and any(row[name] != getattr(stored[row["url"]], name) for name in VALIDATOR_FIELDS)]
    if revalidated:
        connection.execute(update(articles).where(articles.c.id == bindparam("row_id"))
                           .values({name: bindparam(name) for name in VALIDATOR_FIELDS}), revalidated)
    # Entities follow the gazetteer, not the page: an unchanged article may gain some (no revision).
    retagged = {stored[row["url"]].id: row["entities"] for row in known
                if row["url"] not in changed_urls and row["entities"] != stored[row["url"]].entities}
    if retagged:
        set_entities(connection, retagged)
    index_entities(connection, {inserted[row["url"]] if row["url"] in inserted else stored[row["url"]].id:
                                row["entities"] for row in rows if row["url"] in inserted or row["url"] in changed_urls})
    return UpsertCounts(new=len(inserted), updated=len(changed), unchanged=len(unchanged_ids))


def _stored_versions(connection: Connection, urls: list[str]) -> dict[str, Any]:
    """The stored content of these URLs, rows locked (PostgreSQL) until the transaction ends."""
    if not urls:
        return {}
    articles = Article.__table__
    kept = [articles.c[name] for name in ("id", "url", *CONTENT_FIELDS, *VALIDATOR_FIELDS, "published", "modified",
                                          "fetched_at", "entities")]
    query = select(*kept).where(articles.c.url.in_(urls)).order_by(articles.c.url).with_for_update()
    return {row.url: row for row in connection.execute(query)}


@dataclass(frozen=True)
class KnownArticle:
    """What a crawl needs to know about a stored article to decide whether to fetch it again."""

    last_seen: datetime  # last crawled (changed or not)
    etag: str | None
    last_modified: str | None
    # its age, for the revisit policy (crawler/middlewares/revisit.py): publication, else first stored
    published: datetime | None = None
    first_seen: datetime | None = None


def known_articles(bind: Bind, site: str) -> dict[str, KnownArticle]:
    """``site``'s stored articles by URL, under both the canonical and the fetched URL."""
    articles = Article.__table__
    query = select(articles.c.url, articles.c.fetched_url, articles.c.last_seen, articles.c.etag,
                   articles.c.last_modified, articles.c.published, articles.c.first_seen).where(articles.c.site == site)
    known: dict[str, KnownArticle] = {}
    with connection_of(bind) as connection:
        for row in connection.execute(query):
            article = KnownArticle(row.last_seen, row.etag, row.last_modified, row.published, row.first_seen)
            known[row.url] = article
            if row.fetched_url:
                known.setdefault(row.fetched_url, article)
    return known


def touch_articles(bind: Bind, urls: Iterable[str], now: datetime | None = None) -> int:
    """Mark articles (by canonical or fetched URL) as seen unchanged at ``now``; returns how many rows."""
    urls = sorted(set(urls))
    articles = Article.__table__
    touched = 0
    with connection_of(bind) as connection:
        for start in range(0, len(urls), UPSERT_CHUNK):
            chunk = urls[start:start + UPSERT_CHUNK]
            touched += connection.execute(
                update(articles).where(or_(articles.c.url.in_(chunk), articles.c.fetched_url.in_(chunk)))
                .values(last_seen=now or datetime.now(UTC))).rowcount
    return touched


def get_article(bind: Bind, url_or_id: str | int) -> Article | None:
    """The stored article with this URL (canonical or fetched) or id, its revisions loaded."""
    query = select(Article).options(selectinload(Article.revisions))
    if isinstance(url_or_id, int) or url_or_id.isdigit():
        query = query.where(Article.id == int(url_or_id))
    else:
        query = query.where((Article.url == url_or_id) | (Article.fetched_url == url_or_id)).order_by(
            (Article.url != url_or_id), Article.id)
    with session_of(bind) as session:
        return session.scalars(query.limit(1)).first()


def filtered(query: Select[Any], dialect: str, filters: ArticleFilter) -> Select[Any]:
    if filters.sites:
        query = query.where(Article.site.in_(filters.sites))
    if filters.exclude_sites:
        # NOT IN is unknown for a NULL site: an article of no site is not one of the excluded.
        query = query.where(or_(Article.site.is_(None), Article.site.not_in(filters.exclude_sites)))
    for column, since, until in ((Article.published, filters.since, filters.until),
                                 (Article.updated_at, filters.updated_since, filters.updated_until)):
        if since:
            query = query.where(column >= since)
        if until:
            query = query.where(column < until)
    for text, part in ((Article.title, filters.title_contains),
                       (_summary_or_opening_sql(dialect), filters.summary_contains)):
        if part:
            # lower() on both sides: SQLite folds ASCII letters only, PostgreSQL every letter.
            query = query.where(text.ilike(f"%{_like_escaped(part)}%", escape="\\"))
    for column, value, exact in ((Article.authors, filters.author, False), (Article.tags, filters.tag, True)):
        if not value:
            continue
        # One row per list element: json_each on SQLite, jsonb_array_elements_text on PostgreSQL.
        if dialect == "sqlite":
            element = func.json_each(column).table_valued("value").alias()
        else:
            element = func.jsonb_array_elements_text(column).table_valued("value").alias()
        pattern = value.lower() if exact else f"%{_like_escaped(value.lower())}%"
        value_lower = func.lower(element.c.value)
        match = value_lower == pattern if exact else value_lower.like(pattern, escape="\\")
        query = query.where(exists().select_from(element).where(match))
    if filters.entity:
        query = query.where(Article.id.in_(entity_ids(filters.entity)))
    if filters.story_id is not None:  # a story's first article has no story_id of its own
        query = query.where(or_(Article.story_id == filters.story_id, Article.id == filters.story_id))
    return query


def set_entities(bind: Bind, entities: Mapping[int, list[dict[str, str]]]) -> None:
    """Replace the entities of these articles (by id), and their index rows."""
    if not entities:
        return
    articles = Article.__table__
    with connection_of(bind) as connection:
        connection.execute(update(articles).where(articles.c.id == bindparam("row_id"))
                           .values(entities=bindparam("new_entities")),
                           [{"row_id": row_id, "new_entities": found} for row_id, found in entities.items()])
        index_entities(connection, entities)


def article_texts(bind: Bind, filters: ArticleFilter, after_id: int, limit: int) -> list[Any]:
    """Up to ``limit`` matching articles with an id above ``after_id``, by id: (id, title, summary,
    body, entities) rows, for re-reading stored text a batch at a time."""
    columns = [Article.__table__.c[name] for name in ("id", "title", "summary", "body", "entities")]
    with connection_of(bind) as connection:
        query = filtered(select(*columns).where(Article.id > after_id), connection.dialect.name, filters)
        return list(connection.execute(query.order_by(Article.id).limit(limit)))


def first_of_each_story(query: Select[Any], dialect: str, filters: ArticleFilter) -> Select[Any]:
    """``query`` (of articles) keeping, of each story, the first stored article ``filters`` match."""
    firsts = filtered(select(func.min(Article.id)), dialect, filters).group_by(
        func.coalesce(Article.story_id, Article.id))
    return query.where(Article.id.in_(firsts))


# An article whose page gave no summary is summed up by its body's first paragraph, this long at most.
OPENING_CHARS = 500


def summary_or_opening(summary: str | None, body: str | None) -> str | None:
    """The article's summary, else its body's first paragraph (at most OPENING_CHARS characters):
    what ``ArticleFilter.summary_contains`` reads, as _summary_or_opening_sql finds it in SQL."""
    return summary or (body or "").split("\n\n", 1)[0][:OPENING_CHARS] or None


def _summary_or_opening_sql(dialect: str):  # type: ignore[no-untyped-def]
    summary = func.nullif(Article.summary, "")
    if dialect == "sqlite":
        paragraph_end = func.instr(Article.body + "\n\n", "\n\n") - 1
        return func.coalesce(summary, func.substr(Article.body, 1, func.min(paragraph_end, OPENING_CHARS)))
    return func.coalesce(summary, func.left(func.split_part(Article.body, "\n\n", 1), OPENING_CHARS))


def _like_escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def iter_articles(bind: Engine | Connection, filters: ArticleFilter = ArticleFilter(),
                  batch_size: int = 500, one_per_story: bool = False) -> Iterator[Article]:
    """Stored articles matching ``filters``, oldest first (undated last), fetched ``batch_size``
    rows at a time (a server-side cursor on PostgreSQL), so memory stays flat however many;
    with ``one_per_story``, the first stored of each story only."""
    with Session(bind) as session:
        dialect = session.connection().dialect.name
        query = filtered(select(Article), dialect, filters)
        if one_per_story:
            query = first_of_each_story(query, dialect, filters)
        query = query.order_by(Article.published.asc().nulls_last(), Article.id)
        yield from session.scalars(query.execution_options(yield_per=batch_size))
