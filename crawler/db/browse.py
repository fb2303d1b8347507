"""Browsing a SQLite store in Datasette: its metadata (the full-text index, facets, column
labels, canned queries) and the server, read-only on 127.0.0.1.

The store is opened by Datasette as a mutable file, which it reads only through
``?mode=ro`` connections; not ``immutable``, which promises SQLite the file never changes and
so would show stale or broken pages while a crawl writes (the store is in WAL mode).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from crawler.db.query import QueryError, parse_query
from crawler.db.repository import HIGHLIGHT_END, HIGHLIGHT_START, SNIPPET_WORDS, TITLE_WEIGHT, fts5_expression

DATABASE = "spacecrawl"  # the name in URLs: /spacecrawl/articles
# The search language of `scrapy search`, compiled to FTS5 inside SQL: spacecrawl_match(:q).
MATCH_FUNCTION = "spacecrawl_match"

# Shown above the table: only the columns whose name does not say it all.
ARTICLE_COLUMNS = {
    "url": "canonical URL, as the page declares it",
    "fetched_url": "the address it was downloaded from",
    "published": "publication time, UTC (every time here is UTC)",
    "content_hash": "hash of the text: a new value means a new revision",
    "first_seen": "first stored",
    "last_seen": "last crawled, changed or not",
    "updated_at": "content last changed",
}

_SEARCH_SQL = f"""select articles.id, articles.published, articles.site, articles.title,
  snippet(articles_fts, 1, '{HIGHLIGHT_START}', '{HIGHLIGHT_END}', '…', {SNIPPET_WORDS}) as snippet,
  round(-bm25(articles_fts, {TITLE_WEIGHT}, 1.0), 3) as score, articles.url
from articles_fts join articles on articles.id = articles_fts.rowid
where articles_fts match {MATCH_FUNCTION}(:q)
order by bm25(articles_fts, {TITLE_WEIGHT}, 1.0), articles.published desc
limit 100"""

QUERIES = {
    "search": {
        "title": "Search articles",
        "description": 'Words, "a phrase", a OR b, -excluded, launch* (as scrapy search); best first.',
        "sql": _SEARCH_SQL,
    },
    "latest_per_site": {
        "title": "Latest articles per site",
        "description": "The five most recently published articles of each site.",
        # Per site through the (site, published) index: a window over all articles sorts them all.
        "sql": """select articles.site, articles.published, articles.title, articles.url
from sites join articles on articles.id in (
  select id from articles where site = sites.name and published is not null order by published desc limit 5)
order by articles.site, articles.published desc""",
    },
    "per_site_per_month": {
        "title": "Articles per site per month",
        "description": "Dated articles by month of publication (UTC).",
        "sql": """select strftime('%Y-%m', published) as month, site, count(*) as articles
from articles where published is not null
group by month, site order by month desc, articles desc, site""",
    },
    "missing_dates_or_authors": {
        "title": "Articles missing dates or authors",
        "description": "What extraction did not find: worth a selector in the site's definition.",
        "sql": """select site, published is null as no_date, json_array_length(authors) = 0 as no_author,
  title, url
from articles where published is null or json_array_length(authors) = 0
order by site, no_date desc, url""",
    },
}


def metadata() -> dict[str, Any]:
    """Datasette's metadata for a spacecrawl store."""
    return {
        "title": "spacecrawl",
        "description": "Space-news articles collected by spacecrawl, read-only. The search box on "
                       "articles finds words in titles and bodies; the canned queries below go further.",
        "databases": {DATABASE: {
            "tables": {
                "articles": {
                    "description": "The latest version of every article.",
                    "fts_table": "articles_fts",
                    "fts_pk": "id",
                    "label_column": "title",
                    "sort_desc": "published",
                    "facets": ["site", {"date": "published"}],
                    "columns": ARTICLE_COLUMNS,
                },
                "article_revisions": {"description": "Earlier versions of articles that a later crawl replaced."},
                "crawl_runs": {"description": "One row per crawl: when, how it ended, and its counts.",
                               "sort_desc": "started_at", "facets": ["site", "status"]},
                "sites": {"description": "Sites with stored articles."},
                "alembic_version": {"hidden": True},
            },
            "queries": QUERIES,
        }},
    }


def match_expression(text: str | None) -> str:
    """``spacecrawl_match``: the FTS5 expression for a query in the search language. A blank
    query (the form before anything is typed) matches nothing, without an error."""
    if not (text or "").strip():
        return '""'
    try:
        return fts5_expression(parse_query(text or ""))
    except QueryError as error:  # shown by Datasette as the query's error message
        raise sqlite3.OperationalError(str(error)) from None


class _SpacecrawlPlugin:
    """Datasette plugin hooks, registered only while ``serve`` runs."""

    @staticmethod
    def prepare_connection(conn: sqlite3.Connection) -> None:
        conn.create_function(MATCH_FUNCTION, 1, match_expression, deterministic=True)


def serve(path: Path, host: str, port: int) -> None:
    """Serve the SQLite store at ``path`` until interrupted."""
    import uvicorn
    from datasette import hookimpl
    from datasette.app import Datasette
    from datasette.database import Database
    from datasette.plugins import pm

    hookimpl(_SpacecrawlPlugin.prepare_connection)
    pm.register(_SpacecrawlPlugin, name="spacecrawl")
    datasette = Datasette(metadata=metadata(), settings={"sql_time_limit_ms": 3000})
    datasette.add_database(Database(datasette, path=str(path), is_mutable=True), name=DATABASE)
    uvicorn.run(datasette.app(), host=host, port=port, log_level="warning", lifespan="on")
