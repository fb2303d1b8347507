"""Every read and write of the database, as small verbs; the only module that knows dialects.

Each verb takes a ``bind``: an Engine (the verb runs in its own transaction and commits), or a
Connection / Session (the verb joins the caller's transaction; the caller commits).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, Select, exists, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, selectinload

from crawler.db.models import Article, ArticleRevision, CrawlRun, Site
from crawler.items import STORED_FIELDS

Bind = Engine | Connection | Session

# Rows per statement: well under SQLite's 32766 bound parameters at ~20 columns a row.
UPSERT_CHUNK = 500
# A change in any of these makes a new revision (the hash alone may not cover the title).
CONTENT_FIELDS = ("content_hash", "title", "body")
LIST_FIELDS = ("authors", "tags")


@dataclass(frozen=True)
class UpsertCounts:
    new: int = 0
    updated: int = 0
    unchanged: int = 0

    def __add__(self, other: UpsertCounts) -> UpsertCounts:
        return UpsertCounts(self.new + other.new, self.updated + other.updated, self.unchanged + other.unchanged)


@contextmanager
def _connection(bind: Bind) -> Iterator[Connection]:
    if isinstance(bind, Engine):
        with bind.begin() as connection:
            yield connection
    elif isinstance(bind, Session):
        yield bind.connection()
    else:
        yield bind


@contextmanager
def _session(bind: Bind) -> Iterator[Session]:
    if isinstance(bind, Session):
        yield bind
    else:
        with Session(bind, expire_on_commit=False) as session:
            yield session


def _insert(connection: Connection):  # type: ignore[no-untyped-def]
    """The dialect's INSERT, which has ``on_conflict_do_update`` / ``on_conflict_do_nothing``."""
    return {"sqlite": sqlite.insert, "postgresql": postgresql.insert}[connection.dialect.name]


def _article_rows(records: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Stored fields of each record, one row per URL (the last record of a URL wins: a statement
    may not touch the same row twice)."""
    rows: dict[str, dict[str, Any]] = {}
    for record in records:
        url = record.get("url")
        if not url:
            raise ValueError(f"article record without a url: title {record.get('title')!r}")
        row = {name: record.get(name) for name in STORED_FIELDS}
        for name in LIST_FIELDS:
            row[name] = list(row[name] or [])
        rows[url] = row
    return list(rows.values())


def upsert_articles(bind: Bind, records: Iterable[Mapping[str, Any]], now: datetime | None = None) -> UpsertCounts:
    """Store article records (dicts of ``crawler.items.STORED_FIELDS``; datetimes or ISO text).

    A new URL is inserted; a known URL whose content changed is updated and its previous version
    kept as an ArticleRevision; an unchanged one only gets ``last_seen``. Running it twice with
    the same records stores nothing twice.
    """
    now = now or datetime.now(UTC)
    counts = UpsertCounts()
    with _connection(bind) as connection:
        rows = _article_rows(records)
        for start in range(0, len(rows), UPSERT_CHUNK):
            counts += _upsert_chunk(connection, rows[start:start + UPSERT_CHUNK], now)
    return counts


def _upsert_chunk(connection: Connection, rows: list[dict[str, Any]], now: datetime) -> UpsertCounts:
    articles = Article.__table__
    kept = [articles.c.id, articles.c.url, *(articles.c[name] for name in (*CONTENT_FIELDS, "published", "modified", "fetched_at"))]
    stored = {r.url: r for r in connection.execute(select(*kept).where(articles.c.url.in_([row["url"] for row in rows])))}
    changed_urls = {row["url"] for row in rows if row["url"] in stored
                    and any(row[name] != getattr(stored[row["url"]], name) for name in CONTENT_FIELDS)}
    unchanged_ids = [stored[url].id for url in stored.keys() - changed_urls]
    written = [row for row in rows if row["url"] not in stored or row["url"] in changed_urls]

    insert = _insert(connection)
    site_names = sorted({row["site"] for row in rows if row["site"]})
    if site_names:
        connection.execute(insert(Site.__table__).on_conflict_do_nothing(index_elements=["name"]),
                           [{"name": name, "domains": []} for name in site_names])
    if changed_urls:
        connection.execute(ArticleRevision.__table__.insert(), [
            {"article_id": old.id, "content_hash": old.content_hash, "title": old.title, "body": old.body,
             "published": old.published, "modified": old.modified, "fetched_at": old.fetched_at,
             "replaced_at": now}
            for old in (stored[url] for url in sorted(changed_urls))
        ])
    if written:
        statement = insert(articles)
        refreshed = {name: statement.excluded[name] for name in STORED_FIELDS if name != "url"}
        statement = statement.on_conflict_do_update(
            index_elements=["url"],
            set_=refreshed | {"last_seen": statement.excluded.last_seen, "updated_at": statement.excluded.updated_at},
        )
        connection.execute(statement, [row | {"first_seen": now, "last_seen": now, "updated_at": now} for row in written])
    if unchanged_ids:
        connection.execute(update(articles).where(articles.c.id.in_(unchanged_ids)).values(last_seen=now))
    return UpsertCounts(new=len(written) - len(changed_urls), updated=len(changed_urls), unchanged=len(unchanged_ids))


def save_site(bind: Bind, name: str, domains: Iterable[str]) -> None:
    """Record a site and its domains (replacing the domains it had)."""
    with _connection(bind) as connection:
        statement = _insert(connection)(Site.__table__).values(name=name, domains=list(domains))
        connection.execute(statement.on_conflict_do_update(index_elements=["name"],
                                                           set_={"domains": statement.excluded.domains}))


def start_run(bind: Bind, site: str, started_at: datetime | None = None) -> int:
    """A new crawl run of ``site`` (a site name, or "all"), status "running"; returns its id."""
    with _connection(bind) as connection:
        values = {"site": site, "started_at": started_at or datetime.now(UTC), "status": "running", "stats": {}}
        return connection.execute(CrawlRun.__table__.insert().values(values).returning(CrawlRun.id)).scalar_one()


def finish_run(bind: Bind, run_id: int, status: str, stats: Mapping[str, Any],
               finished_at: datetime | None = None) -> None:
    """Close a run with its status (Scrapy's finish reason, "finished" when all went well) and
    stats (JSON-ready: pages, new, updated, unchanged, unsaved, errors, dropped: {reason: n})."""
    with _connection(bind) as connection:
        connection.execute(update(CrawlRun).where(CrawlRun.id == run_id).values(
            status=status, stats=dict(stats), finished_at=finished_at or datetime.now(UTC)))


def get_article(bind: Bind, url_or_id: str | int) -> Article | None:
    """The stored article with this URL (canonical or fetched) or id, its revisions loaded."""
    query = select(Article).options(selectinload(Article.revisions))
    if isinstance(url_or_id, int) or url_or_id.isdigit():
        query = query.where(Article.id == int(url_or_id))
    else:
        query = query.where((Article.url == url_or_id) | (Article.fetched_url == url_or_id)).order_by(
            (Article.url != url_or_id), Article.id)
    with _session(bind) as session:
        return session.scalars(query.limit(1)).first()


@dataclass(frozen=True)
class ArticleFilter:
    """Which articles: ``since`` / ``until`` bound the publication date (until exclusive);
    ``author`` matches part of any author's name, ``tag`` a whole tag, both ignoring case."""

    site: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    author: str | None = None
    tag: str | None = None


def _filtered(query: Select[Any], connection: Connection, filters: ArticleFilter) -> Select[Any]:
    if filters.site:
        query = query.where(Article.site == filters.site)
    if filters.since:
        query = query.where(Article.published >= filters.since)
    if filters.until:
        query = query.where(Article.published < filters.until)
    for column, value, exact in ((Article.authors, filters.author, False), (Article.tags, filters.tag, True)):
        if not value:
            continue
        # One row per list element: json_each on SQLite, jsonb_array_elements_text on PostgreSQL.
        if connection.dialect.name == "sqlite":
            element = func.json_each(column).table_valued("value").alias()
        else:
            element = func.jsonb_array_elements_text(column).table_valued("value").alias()
        pattern = value.lower() if exact else f"%{_like_escaped(value.lower())}%"
        match = func.lower(element.c.value) == pattern if exact else func.lower(element.c.value).like(pattern, escape="\\")
        query = query.where(exists().select_from(element).where(match))
    return query


def _like_escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def iter_articles(bind: Engine | Connection, filters: ArticleFilter = ArticleFilter(),
                  batch_size: int = 500) -> Iterator[Article]:
    """Stored articles matching ``filters``, oldest first (undated last), fetched ``batch_size`` rows at a time
    (a server-side cursor on PostgreSQL), so memory stays flat however many there are."""
    with Session(bind) as session:
        query = _filtered(select(Article), session.connection(), filters).order_by(Article.published.asc().nulls_last(), Article.id)
        yield from session.scalars(query.execution_options(yield_per=batch_size))
