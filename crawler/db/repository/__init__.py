"""Every read and write of the database, as small verbs; the only package that knows dialects.

Each verb takes a ``bind``: an Engine (the verb runs in its own transaction and commits), or a
Connection / Session (the verb joins the caller's transaction; the caller commits).

    articles   upsert_articles, known_articles, touch_articles, get_article, iter_articles, article_texts,
               set_entities
    runs       save_site, start_run, finish_run, recent_runs, crawl_parts, last_run_starts, abandon_runs
    dropped    remember_dropped, known_drops, touch_dropped, forget_dropped, dropped_counts
    full_text  search (SQLite FTS5, PostgreSQL tsquery), and its SQL for Datasette
    pages      article_page (filters, search, order, offset/limit, count), stored_sites: for the HTTP API
    stats      site_summaries, count_by_period, entity_counts
    entities   the entity index (article_entities): written with the articles, read by the entity filter
    stories    upsert_and_link (copies and stories), link_unlinked, stories, search_one_per_story
"""

from crawler.db.repository._bind import Bind
from crawler.db.repository.articles import (KnownArticle, UpsertCounts, article_texts, get_article, iter_articles,
                                            known_articles, set_entities, summary_or_opening, touch_articles,
                                            upsert_articles)
from crawler.db.repository.dropped import (KnownDrop, dropped_counts, forget_dropped, known_drops, remember_dropped,
                                           touch_dropped)
from crawler.db.repository.full_text import SearchHit, fts5_expression, fts5_search_sql, search
from crawler.db.repository.pages import NEWEST_FIRST, ArticlePage, Order, article_page, stored_sites
from crawler.db.repository.runs import (abandon_runs, crawl_parts, finish_run, last_run_starts, recent_runs,
                                        save_site, start_run)
from crawler.db.repository.stats import Period, SiteSummary, count_by_period, entity_counts, site_summaries
from crawler.db.repository.stories import (LinkCounts, LinkRules, Story, link_unlinked, search_one_per_story,
                                           stories, upsert_and_link)

__all__ = [
    "NEWEST_FIRST", "ArticlePage", "Bind", "KnownArticle", "KnownDrop", "LinkCounts", "LinkRules", "Order", "Period",
    "SearchHit", "SiteSummary", "Story", "UpsertCounts", "abandon_runs", "article_page", "article_texts",
    "count_by_period", "crawl_parts", "dropped_counts", "entity_counts", "finish_run", "forget_dropped",
    "fts5_expression", "fts5_search_sql", "get_article", "iter_articles", "known_articles", "known_drops",
    "last_run_starts", "link_unlinked", "recent_runs", "remember_dropped", "save_site", "search",
    "search_one_per_story", "set_entities", "site_summaries", "start_run", "stored_sites", "stories",
    "summary_or_opening", "touch_articles", "touch_dropped", "upsert_and_link", "upsert_articles",
]
