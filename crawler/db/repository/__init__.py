"""Every read and write of the database, as small verbs; the only package that knows dialects.

Each verb takes a ``bind``: an Engine (the verb runs in its own transaction and commits), or a
Connection / Session (the verb joins the caller's transaction; the caller commits).

    articles   upsert_articles, known_articles, touch_articles, get_article, iter_articles
    dropped    remember_dropped, known_drops, touch_dropped, forget_dropped, dropped_counts
    runs       save_site, start_run, finish_run, recent_runs, last_run_starts, abandon_runs
    full_text  search (SQLite FTS5, PostgreSQL tsquery), and its SQL for Datasette
    stats      site_summaries, count_by_period
"""

from crawler.db.repository._bind import Bind
from crawler.db.repository.articles import (KnownArticle, UpsertCounts, get_article, iter_articles, known_articles,
                                            touch_articles, upsert_articles)
from crawler.db.repository.dropped import (KnownDrop, dropped_counts, forget_dropped, known_drops, remember_dropped,
                                           touch_dropped)
from crawler.db.repository.full_text import SearchHit, fts5_expression, fts5_search_sql, search
from crawler.db.repository.runs import abandon_runs, finish_run, last_run_starts, recent_runs, save_site, start_run
from crawler.db.repository.stats import Period, SiteSummary, count_by_period, site_summaries

__all__ = [
    "Bind", "KnownArticle", "KnownDrop", "dropped_counts", "forget_dropped", "known_drops", "remember_dropped",
    "touch_dropped", "Period", "SearchHit", "SiteSummary", "UpsertCounts", "abandon_runs", "count_by_period",
    "finish_run", "fts5_expression", "fts5_search_sql", "get_article", "iter_articles", "known_articles",
    "last_run_starts", "recent_runs", "save_site", "search", "site_summaries", "start_run", "touch_articles",
    "upsert_articles",
]
