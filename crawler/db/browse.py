"""The store as Datasette shows it: metadata (the full-text index, facets, column labels, canned
queries, their SQL built by the repository) and ``spacecrawl_match``, the search language as an
SQL function. The server that uses them is crawler/cli/datasette.py.
"""

from __future__ import annotations

from typing import Any

from crawler.db.query import QueryError, parse_query
from crawler.db.repository import fts5_expression, fts5_search_sql

DATABASE = "spacecrawl"  # the name in URLs: /spacecrawl/articles
# The search language of `scrapy search`, compiled to FTS5 inside SQL: spacecrawl_match(:q); and
# why a query cannot be searched for, or null: spacecrawl_query_error(:q). An SQL function that
# raises shows only "user-defined function raised exception" (and a traceback on the server).
MATCH_FUNCTION = "spacecrawl_match"
ERROR_FUNCTION = "spacecrawl_query_error"
# An FTS5 query that matches no article, for a query that cannot be searched for.
MATCHES_NOTHING = '"x" NOT "x"'

# Shown above the table: only the columns whose name does not say it all.
ARTICLE_COLUMNS = {
    "url": "canonical URL, as the page declares it",
    "fetched_url": "the address it was downloaded from",
    "published": "publication time, UTC (every time here is UTC)",
    "content_hash": "hash of the text: a new value means a new revision",
    "first_seen": "first stored",
    "last_seen": "last crawled, changed or not",
    "updated_at": "content last changed",
    "story_id": "the id of the first article of its story (articles of one event, copies included)",
    "duplicate_of": "the url of the article this one republishes",
}

QUERIES = {
    "search": {
        "title": "Search articles",
        "description": 'Words, "a phrase", a OR b, -excluded, launch* (as scrapy search); best first.',
        "sql": f"""select * from ({fts5_search_sql(f"{MATCH_FUNCTION}(:q)", limit=100)})
union all
select null, null, null, 'cannot search: ' || {ERROR_FUNCTION}(:q), null, null, null
where {ERROR_FUNCTION}(:q) is not null""",
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
                # the store's own index of copies and stories: sketches and LSH band keys
                "article_sketches": {"hidden": True},
                "story_bands": {"hidden": True},
            },
            "queries": QUERIES,
        }},
    }


def match_expression(text: str | None) -> str:
    """``spacecrawl_match``: the FTS5 expression for a query in the search language; one that
    matches nothing for a query that cannot be searched for (``query_error`` says why)."""
    try:
        return fts5_expression(parse_query(text or ""))
    except QueryError:
        return MATCHES_NOTHING


def query_error(text: str | None) -> str | None:
    """``spacecrawl_query_error``: why ``text`` cannot be searched for; None for a good query and
    for a blank one (the form before anything is typed)."""
    if not (text or "").strip():
        return None
    try:
        parse_query(text or "")
    except QueryError as error:
        return str(error)
    return None

