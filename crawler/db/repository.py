"""Every read and write of the database, as small verbs; the only module that knows dialects.

Each verb takes a ``bind``: an Engine (the verb runs in its own transaction and commits), or a
Connection / Session (the verb joins the caller's transaction; the caller commits).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import reduce
from typing import Any, Literal

from sqlalchemy import (Connection, Engine, Select, bindparam, exc, exists, func, literal_column, or_, select, table,
                        true, update)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, selectinload

from crawler.db.models import Article, ArticleRevision, CrawlRun, Site
from crawler.db.query import ArticleFilter, QueryError, SearchQuery, Term, parse_query
from crawler.items import STORED_FIELDS

Bind = Engine | Connection | Session

# Rows per statement: well under SQLite's 32766 bound parameters at ~20 columns a row.
UPSERT_CHUNK = 500
# A change in any of these makes a new revision (the hash alone may not cover the title).
CONTENT_FIELDS = ("content_hash", "title", "body")
# The fetch's HTTP validators: refreshed on unchanged rows too, so the next conditional request is current.
VALIDATOR_FIELDS = ("etag", "last_modified")
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
    insert = _insert(connection)
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
    inserted: set[str] = set()
    if unknown:
        # New only if our insert wins: a concurrent crawl may have stored the URL since the read.
        statement = insert(articles).on_conflict_do_nothing(index_elements=["url"]).returning(articles.c.url)
        inserted = set(connection.execute(statement, unknown).scalars())
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
        refreshed = {name: statement.excluded[name] for name in (*STORED_FIELDS, "last_seen", "updated_at")
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
    return UpsertCounts(new=len(inserted), updated=len(changed), unchanged=len(unchanged_ids))


def _stored_versions(connection: Connection, urls: list[str]) -> dict[str, Any]:
    """The stored content of these URLs, rows locked (PostgreSQL) until the transaction ends."""
    if not urls:
        return {}
    articles = Article.__table__
    kept = [articles.c[name] for name in ("id", "url", *CONTENT_FIELDS, *VALIDATOR_FIELDS, "published", "modified",
                                          "fetched_at")]
    query = select(*kept).where(articles.c.url.in_(urls)).order_by(articles.c.url).with_for_update()
    return {row.url: row for row in connection.execute(query)}


def save_site(bind: Bind, name: str, domains: Iterable[str]) -> None:
    """Record a site and its domains (replacing the domains it had)."""
    with _connection(bind) as connection:
        statement = _insert(connection)(Site.__table__).values(name=name, domains=list(domains))
        connection.execute(statement.on_conflict_do_update(index_elements=["name"],
                                                           set_={"domains": statement.excluded.domains}))


def start_run(bind: Bind, site: str, started_at: datetime | None = None, mode: str | None = None) -> int:
    """A new crawl run of ``site`` (a site name, or "all") in ``mode`` ("feeds", "full"), status
    "running"; returns its id."""
    with _connection(bind) as connection:
        values = {"site": site, "started_at": started_at or datetime.now(UTC), "status": "running", "stats": {},
                  "mode": mode}
        return connection.execute(CrawlRun.__table__.insert().values(values).returning(CrawlRun.id)).scalar_one()


def finish_run(bind: Bind, run_id: int, status: str, stats: Mapping[str, Any],
               finished_at: datetime | None = None) -> None:
    """Close a run with its status (Scrapy's finish reason, "finished" when all went well) and
    stats (JSON-ready: pages, new, updated, unchanged, unsaved, errors, dropped: {reason: n})."""
    with _connection(bind) as connection:
        connection.execute(update(CrawlRun).where(CrawlRun.id == run_id).values(
            status=status, stats=dict(stats), finished_at=finished_at or datetime.now(UTC)))


def recent_runs(bind: Bind, site: str | None = None, limit: int = 20, mode: str | None = None,
                status: str | None = None) -> list[CrawlRun]:
    """Crawl runs, newest first; only ``site``'s, ``mode``'s or those that ended ``status`` when given."""
    query = select(CrawlRun).order_by(CrawlRun.started_at.desc(), CrawlRun.id.desc()).limit(limit)
    for column, value in ((CrawlRun.site, site), (CrawlRun.mode, mode), (CrawlRun.status, status)):
        if value is not None:
            query = query.where(column == value)
    with _session(bind) as session:
        return list(session.scalars(query))


def last_run_starts(bind: Bind) -> dict[tuple[str, str | None], datetime]:
    """When the latest run of each (site, mode) started, whatever became of it."""
    with _connection(bind) as connection:
        rows = connection.execute(select(CrawlRun.site, CrawlRun.mode, func.max(CrawlRun.started_at))
                                  .group_by(CrawlRun.site, CrawlRun.mode))
        return {(site, mode): started for site, mode, started in rows}


def abandon_runs(bind: Bind, site: str, started_since: datetime, status: str) -> int:
    """Close ``site``'s runs still "running" that started at or after ``started_since`` with
    ``status`` (a crawl process that died cannot close its own run); returns how many."""
    with _connection(bind) as connection:
        return connection.execute(
            update(CrawlRun).where(CrawlRun.site == site, CrawlRun.status == "running",
                                   CrawlRun.started_at >= started_since)
            .values(status=status, finished_at=datetime.now(UTC))).rowcount


@dataclass(frozen=True)
class KnownArticle:
    """What a crawl needs to know about a stored article to decide whether to fetch it again."""

    last_seen: datetime  # last crawled (changed or not)
    etag: str | None
    last_modified: str | None


def known_articles(bind: Bind, site: str) -> dict[str, KnownArticle]:
    """``site``'s stored articles by URL, under both the canonical and the fetched URL."""
    articles = Article.__table__
    query = select(articles.c.url, articles.c.fetched_url, articles.c.last_seen, articles.c.etag,
                   articles.c.last_modified).where(articles.c.site == site)
    known: dict[str, KnownArticle] = {}
    with _connection(bind) as connection:
        for row in connection.execute(query):
            article = KnownArticle(row.last_seen, row.etag, row.last_modified)
            known[row.url] = article
            if row.fetched_url:
                known.setdefault(row.fetched_url, article)
    return known


def touch_articles(bind: Bind, urls: Iterable[str], now: datetime | None = None) -> int:
    """Mark articles (by canonical or fetched URL) as seen unchanged at ``now``; returns how many rows."""
    urls = sorted(set(urls))
    articles = Article.__table__
    touched = 0
    with _connection(bind) as connection:
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
    with _session(bind) as session:
        return session.scalars(query.limit(1)).first()


def _filtered(query: Select[Any], dialect: str, filters: ArticleFilter) -> Select[Any]:
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
        if dialect == "sqlite":
            element = func.json_each(column).table_valued("value").alias()
        else:
            element = func.jsonb_array_elements_text(column).table_valued("value").alias()
        pattern = value.lower() if exact else f"%{_like_escaped(value.lower())}%"
        value_lower = func.lower(element.c.value)
        match = value_lower == pattern if exact else value_lower.like(pattern, escape="\\")
        query = query.where(exists().select_from(element).where(match))
    return query


def _like_escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def iter_articles(bind: Engine | Connection, filters: ArticleFilter = ArticleFilter(),
                  batch_size: int = 500) -> Iterator[Article]:
    """Stored articles matching ``filters``, oldest first (undated last), fetched ``batch_size``
    rows at a time (a server-side cursor on PostgreSQL), so memory stays flat however many."""
    with Session(bind) as session:
        query = _filtered(select(Article), session.connection().dialect.name, filters)
        query = query.order_by(Article.published.asc().nulls_last(), Article.id)
        yield from session.scalars(query.execution_options(yield_per=batch_size))


# --- search ---------------------------------------------------------------------------------
# Around matched words in snippets.
HIGHLIGHT_START, HIGHLIGHT_END = "**", "**"
SNIPPET_WORDS = 24
# A word in the title counts 2.5 times one in the body on both databases (PostgreSQL's default
# weights for the A and B labels the migration gives title and body are 1.0 and 0.4).
TITLE_WEIGHT = 2.5


@dataclass(frozen=True)
class SearchHit:
    url: str
    fetched_url: str | None
    site: str | None
    title: str | None
    published: datetime | None
    snippet: str  # from the body, matched words between HIGHLIGHT_START and HIGHLIGHT_END
    score: float  # higher is better; the scale differs between SQLite and PostgreSQL


def search(bind: Bind, query: str | SearchQuery, filters: ArticleFilter = ArticleFilter(),
           limit: int = 20) -> list[SearchHit]:
    """Articles matching ``query`` (the language in crawler/db/query.py), best first.
    Raises QueryError, with a one-line reason, for a query that cannot be run."""
    parsed = parse_query(query) if isinstance(query, str) else query
    with _connection(bind) as connection:
        dialect = connection.dialect.name
        try:
            if dialect == "sqlite":
                statement = _sqlite_search(parsed)
            else:
                statement = _postgresql_search(parsed, newest_first=_expects_many_hits(connection, parsed, filters))
            rows = connection.execute(statement(filters, limit)).all()
        except (exc.OperationalError, exc.ProgrammingError, exc.DataError) as error:
            reason = str(getattr(error, "orig", error)).strip().splitlines()[0]
            if "fts5" in reason or "tsquery" in reason:
                raise QueryError(f"cannot search for {query!r}: {reason}") from None
            raise
    return [SearchHit(**(row._asdict() | {"snippet": _joined_highlights(row.snippet or "")})) for row in rows]


def _joined_highlights(snippet: str) -> str:
    """One highlight over neighbouring matches (PostgreSQL marks "heat" and "shield" apart)."""
    return snippet.replace(HIGHLIGHT_END + " " + HIGHLIGHT_START, " ").replace(HIGHLIGHT_END + HIGHLIGHT_START, "")


HIT_COLUMNS = (Article.url, Article.fetched_url, Article.site, Article.title, Article.published)


def _fts5_term(term: Term) -> str:
    # A quoted string is only ever words to FTS5: no operator or column filter inside survives.
    return '"' + term.text.replace('"', '""') + '"' + ("*" if term.prefix else "")


def fts5_expression(query: SearchQuery) -> str:
    expression = " AND ".join("(" + " OR ".join(map(_fts5_term, group)) + ")" for group in query.required)
    if query.excluded:
        expression = f"({expression}) NOT ({' OR '.join(map(_fts5_term, query.excluded))})"
    return expression


# Ranking costs in proportion to the hits ranked (bm25 and ts_rank read each hit's statistics: a
# word in every one of 100k articles took ~200 ms to rank whole), while walking the hits newest
# first with a LIMIT stops early. So a search ranks only the RANKED_CANDIDATES matching articles
# stored last (highest id, the crawl's order): a query with fewer hits is ranked whole, as before;
# one with more gets the best of its newest hits, and an older article matching better is missed
# until a narrower query (a phrase, another word, a filter, --until) brings it within the bound.
# The same bound on both databases, so they return the same articles.
RANKED_CANDIDATES = 2000


def _sqlite_search(query: SearchQuery):  # type: ignore[no-untyped-def]
    fts = literal_column("articles_fts")
    fts_rowid = literal_column("articles_fts.rowid")
    rank = func.bm25(fts, TITLE_WEIGHT, 1.0)  # lower is better

    def statement(filters: ArticleFilter, limit: int) -> Select[Any]:
        match = fts.op("MATCH")(fts5_expression(query))
        candidates = select(fts_rowid.label("id")).select_from(table("articles_fts")).where(match)
        # Filters read the articles table. A site's articles come fastest from the site index,
        # as a set the hits are checked against; other filters are checked hit by hit.
        if filters.site:
            wanted = _filtered(select(Article.id), "sqlite", filters)
            candidates = candidates.where(literal_column("+articles_fts.rowid").in_(wanted))
        elif filters != ArticleFilter():
            candidates = _filtered(candidates.join(Article, Article.id == fts_rowid), "sqlite", filters)
        candidates = candidates.order_by(fts_rowid.desc()).limit(RANKED_CANDIDATES).cte("candidates")
        # The rowid range lets FTS5 skip older hits; "+" keeps SQLite from turning the IN into
        # one full-text lookup per candidate, so it is checked on the hits the range leaves.
        # Equal scores at the cut go to the lower id: reading publication dates to break such
        # (rare) ties would cost a row lookup per candidate.
        ranked = (select(fts_rowid.label("id"), (-rank).label("score")).select_from(table("articles_fts"))
                  .where(match, fts_rowid >= select(func.min(candidates.c.id)).scalar_subquery(),
                         literal_column("+articles_fts.rowid").in_(select(candidates.c.id)))
                  .order_by(rank, fts_rowid).limit(limit).subquery())
        # Snippets of the results only (per row, a lookup by rowid): made for every candidate
        # they would cost more than the ranking.
        snippet = (select(func.snippet(fts, 1, HIGHLIGHT_START, HIGHLIGHT_END, "…", SNIPPET_WORDS))
                   .select_from(table("articles_fts")).where(match, fts_rowid == ranked.c.id).scalar_subquery())
        return (select(*HIT_COLUMNS, snippet.label("snippet"), ranked.c.score).join(ranked, Article.id == ranked.c.id)
                .order_by(ranked.c.score.desc(), Article.published.desc().nulls_last(), Article.id))

    return statement


def _tsquery(query: SearchQuery):  # type: ignore[no-untyped-def]
    """The query as a tsquery built by functions: phrases through phraseto_tsquery, which takes
    any text as words; prefixes through to_tsquery, fed letters and digits only."""
    config = literal_column("'simple'::regconfig")

    def term(t: Term):  # type: ignore[no-untyped-def]
        if t.prefix:
            return func.to_tsquery(config, " <-> ".join(t.words) + ":*")
        return func.phraseto_tsquery(config, t.text)

    def any_of(terms: tuple[Term, ...]):  # type: ignore[no-untyped-def]
        return reduce(func.tsquery_or, map(term, terms))

    expression = reduce(func.tsquery_and, map(any_of, query.required))
    if query.excluded:
        expression = func.tsquery_and(expression, func.tsquery_not(any_of(query.excluded)))
    return expression


def _expects_many_hits(connection: Connection, query: SearchQuery, filters: ArticleFilter) -> bool:
    """Whether PostgreSQL finds the newest RANKED_CANDIDATES hits sooner by walking articles
    newest first than by collecting every hit from the GIN index. Each plan costs the articles
    it reads, each a compressed tsvector to unpack, which the planner does not count (left to
    itself it walks for a word in 4% of 100k articles: ~470 ms against ~45 ms collecting).
    Walking reads about RANKED_CANDIDATES × articles / hits, collecting reads the hits; hits
    (passing the filters) as the planner estimates them."""
    probe = select(Article.id).where(literal_column("articles.search_vector").bool_op("@@")(_tsquery(query)))
    probe = _filtered(probe, "postgresql", filters)
    compiled = probe.compile(dialect=connection.dialect)
    plan = connection.exec_driver_sql("EXPLAIN (FORMAT JSON) " + str(compiled), compiled.params).scalar_one()
    hits = max(1.0, plan[0]["Plan"]["Plan Rows"])
    articles = connection.scalar(select(literal_column("reltuples")).select_from(table("pg_class"))
                                 .where(literal_column("oid") == literal_column("'articles'::regclass"))) or 0
    return RANKED_CANDIDATES * articles / hits < hits


def _postgresql_search(query: SearchQuery, newest_first: bool):  # type: ignore[no-untyped-def]
    vector = literal_column("articles.search_vector")
    headline_options = (f'StartSel="{HIGHLIGHT_START}", StopSel="{HIGHLIGHT_END}", MaxWords={SNIPPET_WORDS}, '
                        f'MinWords={SNIPPET_WORDS // 2}, MaxFragments=1, FragmentDelimiter=" … "')

    def statement(filters: ArticleFilter, limit: int) -> Select[Any]:
        wanted = select(_tsquery(query).label("query")).cte("wanted")
        score = func.ts_rank(vector, wanted.c.query, 32)  # 32: rank / (rank + 1), 0..1
        # The query written out, not from the CTE, so the planner sees how many it matches;
        # "id + 0" cannot walk the primary key, so the hits come from the GIN index.
        candidates = (_filtered(select(Article.id).where(vector.bool_op("@@")(_tsquery(query))), "postgresql", filters)
                      .order_by((Article.id if newest_first else Article.id + 0).desc()).limit(RANKED_CANDIDATES))
        matches = (select(*HIT_COLUMNS, Article.body, score.label("score"))
                   .select_from(Article.__table__.join(wanted, true()))
                   .where(Article.id.in_(candidates))
                   .order_by(score.desc(), Article.published.desc().nulls_last(), Article.id).limit(limit)
                   .subquery())
        snippet = func.ts_headline(literal_column("'simple'::regconfig"), matches.c.body, wanted.c.query,
                                   headline_options)
        return (select(*(matches.c[c.key] for c in HIT_COLUMNS), snippet.label("snippet"), matches.c.score)
                .select_from(matches.join(wanted, true()))
                .order_by(matches.c.score.desc(), matches.c.published.desc().nulls_last(), matches.c.url))

    return statement


# --- statistics -----------------------------------------------------------------------------
Period = Literal["day", "week", "month"]


@dataclass(frozen=True)
class SiteSummary:
    site: str
    articles: int
    undated: int  # without a publication date
    authorless: int  # without any author
    newest: datetime | None  # latest publication date
    last_success: datetime | None  # when the last run that ended "finished" ended
    last_status: str | None  # how the latest run ended ("running" while it runs)


def site_summaries(bind: Bind) -> list[SiteSummary]:
    """One summary per site that has articles or runs, by name."""
    with _connection(bind) as connection:
        length = func.json_array_length if connection.dialect.name == "sqlite" else func.jsonb_array_length
        counts = {row.site: row for row in connection.execute(
            select(Article.site, func.count().label("articles"),
                   (func.count() - func.count(Article.published)).label("undated"),
                   func.count().filter(length(Article.authors) == 0).label("authorless"),
                   func.max(Article.published).label("newest"))
            .where(Article.site.is_not(None)).group_by(Article.site))}
        successes = dict(connection.execute(select(CrawlRun.site, func.max(CrawlRun.finished_at))
                                            .where(CrawlRun.status == "finished").group_by(CrawlRun.site)).all())
        latest_ids = select(func.max(CrawlRun.id)).group_by(CrawlRun.site).scalar_subquery()
        statuses = dict(connection.execute(select(CrawlRun.site, CrawlRun.status).where(CrawlRun.id.in_(latest_ids))).all())
    return [
        SiteSummary(site, *(counts[site][1:] if site in counts else (0, 0, 0, None)),
                    last_success=successes.get(site), last_status=statuses.get(site))
        for site in sorted(counts.keys() | statuses.keys())
    ]


def count_by_period(bind: Bind, period: Period, filters: ArticleFilter = ArticleFilter()) -> list[tuple[str, str | None, int]]:
    """(period, site, articles) for dated articles, oldest period first. A period is named by
    its first day ("2024-05-06" for a week, which starts on Monday) or "2024-05" for a month."""
    with _connection(bind) as connection:
        dialect = connection.dialect.name
        if dialect == "sqlite":  # published is stored as "YYYY-MM-DD HH:MM:SS" UTC text
            bucket = {"day": func.date(Article.published), "month": func.strftime("%Y-%m", Article.published),
                      "week": func.date(Article.published, "weekday 0", "-6 days")}[period]
        else:
            # Constants written inline: bound parameters would make GROUP BY differ from SELECT.
            utc = func.timezone(literal_column("'UTC'"), Article.published)
            day, month = literal_column("'YYYY-MM-DD'"), literal_column("'YYYY-MM'")
            bucket = {"day": func.to_char(utc, day), "month": func.to_char(utc, month),
                      "week": func.to_char(func.date_trunc(literal_column("'week'"), utc), day)}[period]
        statement = (select(bucket.label("period"), Article.site, func.count())
                     .where(Article.published.is_not(None)).group_by(bucket, Article.site))
        statement = _filtered(statement, dialect, filters).order_by(bucket, Article.site)
        return [(row[0], row[1], row[2]) for row in connection.execute(statement)]
