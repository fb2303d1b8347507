"""The tables: sites, articles (the latest version of each URL), their earlier revisions, crawl runs.

Every datetime is timezone-aware UTC in Python. PostgreSQL stores ``timestamptz``; SQLite has no
time zone type, so ``UTCDateTime`` stores naive UTC there and gives UTC back on load.

The full-text index is not a model: it is dialect-specific (an FTS5 table on SQLite, a generated
``tsvector`` column on PostgreSQL), created by the migration and queried only by repository/full_text.py.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, DateTime, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from crawler.items import STORED_FIELDS

# Database objects the models leave out on purpose (the dialect-specific full-text index); schema
# comparisons (Alembic autogenerate, the schema test) must skip them.
FULL_TEXT_OBJECTS = ("articles_fts", "search_vector")


def is_modelled(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    """Alembic's ``include_object`` hook: False for the full-text objects."""
    return not (name or "").startswith(FULL_TEXT_OBJECTS)


def as_utc(value: datetime | str) -> datetime:
    """An aware UTC datetime from a datetime or ISO 8601 text; a naive value is taken to be UTC."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            raise ValueError(f"not an ISO 8601 date: {value!r}") from None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def sqlite_text(value: datetime | str | None) -> str | None:
    """Naive UTC as SQLAlchemy's SQLite DATETIME writes it ("2025-01-02 03:04:05.000000")."""
    return None if value is None else as_utc(value).replace(tzinfo=None).isoformat(" ", "microseconds")


def from_sqlite_text(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value).replace(tzinfo=UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on both dialects. Accepts ISO 8601 text too (records read back from
    JSONL); a naive value is taken to be UTC already.

    On SQLite the column stays a DATETIME in the schema, but values go to and from the text
    SQLAlchemy would store directly: its generic conversion costs ~6 µs a value, a fifth of the
    time a batch of new articles spends in Python.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def bind_processor(self, dialect: Dialect) -> Any:
        return sqlite_text if dialect.name == "sqlite" else super().bind_processor(dialect)

    def result_processor(self, dialect: Dialect, coltype: Any) -> Any:
        return from_sqlite_text if dialect.name == "sqlite" else super().result_processor(dialect, coltype)

    def process_bind_param(self, value: datetime | str | None, dialect: Dialect) -> datetime | None:
        return None if value is None else as_utc(value)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else as_utc(value)


# JSONB on PostgreSQL so lists can be searched with containment; plain JSON text on SQLite.
JSONData = JSON().with_variant(JSONB(), "postgresql")


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime(), list[str]: JSONData, dict[str, Any]: JSONData,
                           list[dict[str, str]]: JSONData}


class Site(Base):
    __tablename__ = "sites"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    domains: Mapped[list[str]] = mapped_column(default=list)

    articles: Mapped[list[Article]] = relationship(back_populates="site_row", viewonly=True)


class Article(Base):
    __tablename__ = "articles"
    __table_args__ = (
        Index("ix_articles_site_published", "site", "published"),
        Index("ix_articles_published", "published"),
        Index("ix_articles_story_id", "story_id"),
        Index("ix_articles_updated_at", "updated_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(Text, unique=True)
    fetched_url: Mapped[str | None] = mapped_column(Text)
    site: Mapped[str | None] = mapped_column(ForeignKey("sites.name"))
    title: Mapped[str | None] = mapped_column(Text)
    authors: Mapped[list[str]] = mapped_column(default=list)
    published: Mapped[datetime | None]
    modified: Mapped[datetime | None]
    section: Mapped[str | None] = mapped_column(Text)
    tags: Mapped[list[str]] = mapped_column(default=list)
    summary: Mapped[str | None] = mapped_column(Text)
    body: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(35))
    image: Mapped[str | None] = mapped_column(Text)
    word_count: Mapped[int | None]
    fetched_at: Mapped[datetime | None]
    content_hash: Mapped[str | None] = mapped_column(String(128))
    # The gazetteer's entities the article mentions, [{"name", "kind", "id"}]; ArticleEntity indexes their ids.
    entities: Mapped[list[dict[str, str]]] = mapped_column(default=list)
    # Set by the store when it links the article (repository/stories.py): the id of the story's
    # first article (NULL when it is that article: records give its own id), and the url of the
    # article it is a copy of.
    story_id: Mapped[int | None]
    duplicate_of: Mapped[str | None] = mapped_column(Text)
    # The response's HTTP validators, sent back as If-None-Match / If-Modified-Since by the next crawl.
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(String(64))  # the header's text, as the server wrote it
    first_seen: Mapped[datetime]  # first stored
    last_seen: Mapped[datetime]  # last crawled, changed or not
    updated_at: Mapped[datetime]  # content last changed (== first_seen until a revision)

    site_row: Mapped[Site | None] = relationship(back_populates="articles", viewonly=True)
    revisions: Mapped[list[ArticleRevision]] = relationship(
        back_populates="article", order_by="ArticleRevision.id", viewonly=True
    )

    def record(self) -> dict[str, Any]:
        """The stored fields (``crawler.items.STORED_FIELDS``) as a dict, datetimes as datetimes:
        what ``repository.upsert_articles`` takes, and ``crawler.items.Article(**record)`` builds."""
        return {name: getattr(self, name) for name in STORED_FIELDS} | {"story_id": self.story_id or self.id}


class ArticleRevision(Base):
    """A version of an article that a later crawl replaced with different content."""

    __tablename__ = "article_revisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    content_hash: Mapped[str | None] = mapped_column(String(128))
    title: Mapped[str | None] = mapped_column(Text)
    body: Mapped[str | None] = mapped_column(Text)
    published: Mapped[datetime | None]
    modified: Mapped[datetime | None]
    fetched_at: Mapped[datetime | None]
    replaced_at: Mapped[datetime]  # when the newer version was stored

    article: Mapped[Article] = relationship(back_populates="revisions", viewonly=True)


class ArticleEntity(Base):
    """One entity id an article mentions: the index `--entity` and `stats --by entity` read, the
    same B-tree on both databases (a JSON list can be indexed on PostgreSQL only). Written with
    ``Article.entities`` by the repository, never on its own."""

    __tablename__ = "article_entities"

    entity_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True,
                                            index=True)
    kind: Mapped[str] = mapped_column(String(20))


class ArticleSketch(Base):
    """An article's MinHash signatures (crawler/stories/sketch.py), for the content it was made of."""

    __tablename__ = "article_sketches"

    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    content_hash: Mapped[str | None] = mapped_column(String(128))
    copy_signature: Mapped[bytes] = mapped_column(LargeBinary)
    story_signature: Mapped[bytes] = mapped_column(LargeBinary)
    shingles: Mapped[int]
    story_day: Mapped[int]  # the day its story keys carry


class StoryBand(Base):
    """One LSH bucket an article is in: the candidates of a new article are those sharing a band
    (a story band, within the story window of days). No foreign key: checking each of an
    article's 64 rows against articles cost more than writing them (migration 0009)."""

    __tablename__ = "story_bands"

    band: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    day: Mapped[int] = mapped_column(primary_key=True)  # a story band's story_day; 0 for a copy band
    article_id: Mapped[int] = mapped_column(primary_key=True)


class CrawlRun(Base):
    __tablename__ = "crawl_runs"
    __table_args__ = (Index("ix_crawl_runs_site_started", "site", "started_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site: Mapped[str] = mapped_column(String(100))  # a site name, or "all"
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    # "running" until finished; then Scrapy's finish reason: "finished", "shutdown", "closespider_…"
    status: Mapped[str] = mapped_column(String(50), default="running")
    mode: Mapped[str | None] = mapped_column(String(20))  # "feeds" or "full" (the spider's mode); None before 0002
    # pages, new, updated, unchanged, unsaved, errors, dropped: {reason: count}, incremental: {skipped,
    # not_modified}, fields: {name: count, body_chars_median}, alerts: [{kind, field, message}]
    stats: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # A crawl shared by several workers (crawler/ops/frontier/): each worker's run names the crawl
    # and itself; the crawl as a whole is the run with its id and no worker. Both None otherwise.
    crawl_id: Mapped[str | None] = mapped_column(String(80), index=True)
    worker: Mapped[str | None] = mapped_column(String(200))


class DroppedPage(Base):
    """A page a crawl fetched and dropped (not an article, no title, a duplicate…), remembered so
    that a re-crawl does not download it again unless it changed or extraction did."""

    __tablename__ = "dropped_pages"
    __table_args__ = (Index("ix_dropped_pages_site", "site"),)

    url: Mapped[str] = mapped_column(Text, primary_key=True)  # the address it was fetched from
    site: Mapped[str] = mapped_column(String(100))
    reason: Mapped[str] = mapped_column(String(50))  # the pipeline's drop reason
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(String(64))
    extractor_version: Mapped[str] = mapped_column(String(20))  # crawler.extraction.EXTRACTOR_VERSION then
    last_seen: Mapped[datetime]  # last fetched (or answered 304)
