"""The article store from Python: what the query commands do, as an object.

    from crawler.db import open_store

    with open_store() as store:  # SPACECRAWL_DATABASE_URL, or open_store("postgresql://…")
        for hit in store.search('"europa clipper" -rumour', since="2024-01", limit=10):
            print(f"{hit.score:.3f} {hit.title} {hit.url}\\n  {hit.snippet}")
        for article in store.articles(site="spacenews", since="last month"):  # streamed
            print(article.published, article.title, article.word_count)
        rows = store.records(tag="Mars")  # list of dicts of crawler.items.STORED_FIELDS
        rows = store.records(entity="Roscosmos")  # by the gazetteer's id, name or alias: "Роскосмос" too
        store.entity_counts(site="spacenews")  # [(entity id, kind, articles)], most mentioned first
        store.retag()  # tag stored articles with the current gazetteer
        article = store.article("https://…")  # or an id; None if unknown; .revisions: older versions
        store.save(rows)  # upsert dicts, e.g. the lines of a data/unsaved-*.jsonl file, linking new ones
        for story in store.stories(since="2 days ago", sites=["nasa", "jpl"]):  # copies and stories
            print(story.size, story.sites, story.headline)

Filters everywhere: ``site``, ``since`` / ``until`` (publication date; a datetime, or text such as
"2021-09", "2021-09-15", "last week"; until is exclusive, a calendar period counts whole),
``author`` (part of a name), ``tag`` (a whole tag), ``entity`` (an id, name or alias of the
gazetteer's, crawler/knowledge), all ignoring case; or ``where=`` an
ArticleFilter built once. The search language is
in crawler/db/query.py. Errors: ``StoreUnavailable`` (database away, or a SQLite file that does not
exist: ``open_store(url, create=True)`` makes one), ``QueryError`` (a search that cannot run),
``ValueError`` (a date that cannot be read) -- each one line to print. Records carry ``story_id``
and ``duplicate_of``; ``one_per_story=True`` (search, articles, records) keeps one article a story.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from types import TracebackType
from typing import Any

from sqlalchemy import Engine

from crawler.db import repository
from crawler.db.engine import StoreUnavailable, ensure_schema, make_engine, reporting_unavailable, sqlite_file
from crawler.db.models import Article
from crawler.db.query import ArticleFilter, parse_date_bound, site_names
from crawler.db.repository import LinkCounts, LinkRules, SearchHit, Story, UpsertCounts
from crawler.knowledge import tag_text


@dataclass(frozen=True)
class RetagCounts:
    articles: int = 0  # read
    changed: int = 0  # whose entities changed


def article_filter(site: str | Iterable[str] | None = None, since: datetime | str | None = None,
                   until: datetime | str | None = None, author: str | None = None,
                   tag: str | None = None, exclude_site: str | Iterable[str] | None = None,
                   entity: str | None = None) -> ArticleFilter:
    """An ArticleFilter from values as a reader gives them: sites as a name, "a,b" or a list;
    dates as text are parsed."""
    return ArticleFilter(
        sites=site_names(site),
        exclude_sites=site_names(exclude_site),
        since=parse_date_bound(since) if isinstance(since, str) else since,
        until=parse_date_bound(until, end=True) if isinstance(until, str) else until,
        author=author or None,
        tag=tag or None,
        entity=" ".join((entity or "").split()) or None,
    )


def link_rules(setting: Callable[[str], Any]) -> LinkRules:
    """The rules linking copies and stories, from the value of each setting by name."""
    return LinkRules(copy_containment=float(setting("SPACECRAWL_COPY_CONTAINMENT")),
                     story_similarity=float(setting("SPACECRAWL_STORY_SIMILARITY")),
                     window_days=int(setting("SPACECRAWL_STORY_WINDOW_DAYS")))


class Store:
    def __init__(self, engine: Engine, rules: LinkRules | None = None) -> None:
        self.engine = engine
        self.rules = rules  # None: save() stores without linking

    def search(self, query: str, limit: int = 20, where: ArticleFilter | None = None, one_per_story: bool = False,
               **filters: Any) -> list[SearchHit]:
        wanted = where or article_filter(**filters)
        with reporting_unavailable(self.engine.url):
            if one_per_story:
                return repository.search_one_per_story(self.engine, query, wanted, limit)
            return repository.search(self.engine, query, wanted, limit)

    def articles(self, where: ArticleFilter | None = None, one_per_story: bool = False,
                 **filters: Any) -> Iterator[Article]:
        """Matching articles, oldest first, streamed (memory stays flat); with ``one_per_story``,
        the first stored of each story."""
        wanted = where or article_filter(**filters)
        with reporting_unavailable(self.engine.url):
            yield from repository.iter_articles(self.engine, wanted, one_per_story=one_per_story)

    def records(self, where: ArticleFilter | None = None, one_per_story: bool = False,
                **filters: Any) -> list[dict[str, Any]]:
        return [article.record() for article in self.articles(where, one_per_story, **filters)]

    def stories(self, where: ArticleFilter | None = None, sites: Iterable[str] = (), min_size: int = 2,
                limit: int | None = None, **filters: Any) -> list[Story]:
        """Stories of at least ``min_size`` articles with one among the filters and ``sites``,
        most recently seen first: size, sites, first and last seen, headline of the first."""
        wanted = where or article_filter(**filters)
        with reporting_unavailable(self.engine.url):
            return repository.stories(self.engine, wanted, sites, min_size, limit)

    def link_unlinked(self) -> LinkCounts:
        """Link the articles stored before copies and stories were (migration 0005), oldest first."""
        with reporting_unavailable(self.engine.url):
            return repository.link_unlinked(self.engine, self.rules or link_rules(_default_setting))

    def article(self, url_or_id: str | int) -> Article | None:
        with reporting_unavailable(self.engine.url):
            return repository.get_article(self.engine, url_or_id)

    def save(self, records: Iterable[Mapping[str, Any]]) -> UpsertCounts:
        with reporting_unavailable(self.engine.url):
            if self.rules is None:
                return repository.upsert_articles(self.engine, records)
            return repository.upsert_and_link(self.engine, records, self.rules)[0]

    def page(self, where: ArticleFilter = ArticleFilter(), *, search: str | None = None,
             order: tuple[repository.Order, ...] = repository.NEWEST_FIRST, offset: int = 0,
             limit: int = 10) -> repository.ArticlePage:
        """One page of the matching articles in ``order`` and how many match in all (the HTTP API's lists)."""
        with reporting_unavailable(self.engine.url):
            return repository.article_page(self.engine, where, search=search, order=order, offset=offset, limit=limit)

    def stored_sites(self) -> list[str]:
        with reporting_unavailable(self.engine.url):
            return repository.stored_sites(self.engine)

    def site_summaries(self) -> list[repository.SiteSummary]:
        with reporting_unavailable(self.engine.url):
            return repository.site_summaries(self.engine)

    def count_by_period(self, period: repository.Period, where: ArticleFilter | None = None,
                        **filters: Any) -> list[tuple[str, str | None, int]]:
        wanted = where or article_filter(**filters)
        with reporting_unavailable(self.engine.url):
            return repository.count_by_period(self.engine, period, wanted)

    def entity_counts(self, where: ArticleFilter | None = None, **filters: Any) -> list[tuple[str, str, int]]:
        wanted = where or article_filter(**filters)
        with reporting_unavailable(self.engine.url):
            return repository.entity_counts(self.engine, wanted)

    def retag(self, where: ArticleFilter | None = None, batch_size: int = 500, **filters: Any) -> RetagCounts:
        """Tag stored articles with the current gazetteer, ``batch_size`` at a time (each batch
        its own transaction, so memory stays flat and a stop keeps what was done)."""
        wanted = where or article_filter(**filters)
        counts = RetagCounts()
        last_id = 0
        with reporting_unavailable(self.engine.url):
            while rows := repository.article_texts(self.engine, wanted, last_id, batch_size):
                changed = {}
                for row in rows:
                    found = tag_text(row.title, row.summary, row.body)
                    if found != row.entities:
                        changed[row.id] = found
                repository.set_entities(self.engine, changed)
                counts = RetagCounts(counts.articles + len(rows), counts.changed + len(changed))
                last_id = rows[-1].id
        return counts

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()


def _default_setting(name: str) -> Any:
    from crawler import settings

    return getattr(settings, name)


def open_store(url: str | None = None, *, create: bool = False) -> Store:
    """The store at ``url`` (default: SPACECRAWL_DATABASE_URL), its schema brought up to date;
    ``save`` links copies and stories as a crawl does (crawler/settings.py: SPACECRAWL_STORIES…).

    A SQLite file that does not exist (nothing crawled yet, a typo, another folder: the default
    path is relative) raises StoreUnavailable rather than becoming an empty store, unless ``create``."""
    if url is None:
        url = _default_setting("SPACECRAWL_DATABASE_URL")
    missing = sqlite_file(url)
    if not create and missing is not None and not missing.exists():
        raise StoreUnavailable(f"no store at {missing.absolute()}: crawl into it first (scrapy crawl NAME), point "
                               "SPACECRAWL_DATABASE_URL at the one you mean, or open_store(URL, create=True)")
    engine = make_engine(url)
    try:
        ensure_schema(engine)
    except BaseException:
        engine.dispose()
        raise
    return Store(engine, link_rules(_default_setting) if _default_setting("SPACECRAWL_STORIES") else None)
