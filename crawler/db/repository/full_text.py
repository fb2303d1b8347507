"""Full-text search: the search language compiled to SQLite FTS5 or a PostgreSQL tsquery,
ranked and with snippets, the same articles on both."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from functools import reduce
from typing import Any

from sqlalchemy import ColumnElement, Connection, Select, exc, func, literal_column, select, table, true

from crawler.db.models import Article
from crawler.db.query import ArticleFilter, QueryError, SearchQuery, Term, parse_query
from crawler.db.repository._bind import Bind, connection_of
from crawler.db.repository.articles import filtered

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
    story_id: int | None  # crawler.items.Article's links
    duplicate_of: str | None
    snippet: str  # from the body, matched words between HIGHLIGHT_START and HIGHLIGHT_END
    score: float  # 100 for the best hit, the others in proportion to their rank
    entities: list[dict[str, str]]  # the gazetteer's entities the article mentions


def search(bind: Bind, query: str | SearchQuery, filters: ArticleFilter = ArticleFilter(),
           limit: int = 20) -> list[SearchHit]:
    """Articles matching ``query`` (the language in crawler/db/query.py), best first.
    Raises QueryError, with a one-line reason, for a query that cannot be run."""
    parsed = parse_query(query) if isinstance(query, str) else query
    with connection_of(bind) as connection, query_errors(query):
        if connection.dialect.name == "sqlite":
            statement = _sqlite_search(parsed)
        else:
            statement = _postgresql_search(parsed, newest_first=_expects_many_hits(connection, parsed, filters))
        rows = connection.execute(statement(filters, limit)).all()
    # Raw ranks mean nothing to a reader (SQLite's bm25 gives 1e-06 where a word is in most
    # articles) and differ between the databases: shown as a share of the best hit's.
    best = max((row.score for row in rows), default=0) or 1
    return [SearchHit(**(row._asdict() | {"snippet": _shown_snippet(row.snippet or ""),
                                          "score": round(100 * row.score / best, 1)})) for row in rows]


@contextmanager
def query_errors(query: str | SearchQuery) -> Iterator[None]:
    """A query the full-text engine refuses raises QueryError, with its one-line reason."""
    try:
        yield
    except (exc.OperationalError, exc.ProgrammingError, exc.DataError) as error:
        reason = str(getattr(error, "orig", error)).strip().splitlines()[0]
        if "fts5" in reason or "tsquery" in reason:
            raise QueryError(f"cannot search for {query!r}: {reason}") from None
        raise


def matching(query: SearchQuery, dialect: str) -> ColumnElement[bool]:
    """A condition on the articles table: the article matches ``query``, as ``search`` finds
    it (title or body), unranked."""
    if dialect == "sqlite":
        hits = (select(literal_column("rowid")).select_from(table("articles_fts"))
                .where(literal_column("articles_fts").op("MATCH")(fts5_expression(query))))
        # "+": the hits are a set to check rows against as an index walks them in order, not rows
        # to look up one by one (a common word's 98k lookups and a sort: ~350 ms at 100k articles).
        return literal_column("+articles.id").in_(hits)
    return literal_column("articles.search_vector").bool_op("@@")(_tsquery(query))


def matching_count(query: SearchQuery, dialect: str) -> Select[Any]:
    """How many articles match ``query``: on SQLite from the full-text index alone (through the
    articles table, each hit would cost a lookup of its whole row: 14 ms against 220 ms for a word
    in every one of 100k articles)."""
    if dialect == "sqlite":
        return (select(func.count()).select_from(table("articles_fts"))
                .where(literal_column("articles_fts").op("MATCH")(fts5_expression(query))))
    return select(func.count()).select_from(Article).where(matching(query, dialect))


def _shown_snippet(snippet: str) -> str:
    """The snippet on one line, with one highlight over neighbouring matches (PostgreSQL marks
    "heat" and "shield" apart)."""
    snippet = " ".join(snippet.split())
    return snippet.replace(HIGHLIGHT_END + " " + HIGHLIGHT_START, " ").replace(HIGHLIGHT_END + HIGHLIGHT_START, "")


HIT_COLUMNS = (Article.url, Article.fetched_url, Article.site, Article.title, Article.published,
               func.coalesce(Article.story_id, Article.id).label("story_id"), Article.duplicate_of, Article.entities)


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
        # Filters read the articles table. A site's or an entity's articles come fastest from
        # their index, as a set the hits are checked against; other filters are checked hit by hit.
        if filters.sites or filters.entity:
            wanted = filtered(select(Article.id), "sqlite", filters)
            candidates = candidates.where(literal_column("+articles_fts.rowid").in_(wanted))
        elif filters != ArticleFilter():
            candidates = filtered(candidates.join(Article, Article.id == fts_rowid), "sqlite", filters)
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


def fts5_search_sql(match: str, limit: int) -> str:
    """``search`` on SQLite as SQL text, for a Datasette canned query: the same ranking and
    snippets, best first, over every article FTS5 matches with ``match`` (an SQL expression that
    gives an FTS5 query, such as a function of a named parameter)."""
    rank = f"bm25(articles_fts, {TITLE_WEIGHT}, 1.0)"
    snippet = f"snippet(articles_fts, 1, '{HIGHLIGHT_START}', '{HIGHLIGHT_END}', '…', {SNIPPET_WORDS})"
    return f"""with hits as (
select articles.id, articles.published, articles.site, articles.title,
  replace(replace({snippet}, char(13), ' '), char(10), ' ') as snippet, -{rank} as rank, articles.url
from articles_fts join articles on articles.id = articles_fts.rowid
where articles_fts match {match}
order by {rank}, articles.published desc
limit {limit})
select id, published, site, title, snippet, round(100.0 * rank / max(rank) over (), 1) as score, url
from hits order by rank desc, published desc"""


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
    probe = select(Article.id).where(matching(query, "postgresql"))
    probe = filtered(probe, "postgresql", filters)
    # EXPLAIN goes to the driver as text: a site list's IN (…) must be written out for it.
    compiled = probe.compile(dialect=connection.dialect, compile_kwargs={"render_postcompile": True})
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
        candidates = (filtered(select(Article.id).where(matching(query, "postgresql")), "postgresql", filters)
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
