"""Pages of articles, as an HTTP API serves them: the filters, a full-text match if asked, an
order, and one page of the matches with the count of them all."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import ColumnElement, Select, func, select

from crawler.db.models import Article
from crawler.db.query import ArticleFilter, SearchQuery, parse_query
from crawler.db.repository._bind import Bind, session_of
from crawler.db.repository.articles import filtered
from crawler.db.repository.full_text import matching, matching_count, query_errors

OrderColumn = Literal["published", "updated_at"]


@dataclass(frozen=True)
class Order:
    column: OrderColumn
    descending: bool = True


NEWEST_FIRST = (Order("published"),)


@dataclass(frozen=True)
class ArticlePage:
    count: int  # every article that matches, not only this page's
    articles: list[Article]


def article_page(bind: Bind, filters: ArticleFilter = ArticleFilter(), *, search: str | SearchQuery | None = None,
                 order: tuple[Order, ...] = NEWEST_FIRST, offset: int = 0, limit: int = 10) -> ArticlePage:
    """The articles matching ``filters`` (and ``search``, the language of crawler/db/query.py, over
    title and body) in ``order``, ``limit`` of them from ``offset``. Articles without the first
    ordering date come last either way; ties go by id, in the first order's direction, so pages
    never overlap. Raises QueryError for a search that cannot be run."""
    parsed = parse_query(search) if isinstance(search, str) else search
    first = getattr(Article, order[0].column)
    with session_of(bind) as session:
        dialect = session.connection().dialect.name

        def wanted(query: Select[Any]) -> Select[Any]:
            query = filtered(query, dialect, filters)
            return query if parsed is None else query.where(matching(parsed, dialect))

        def rows(condition: ColumnElement[bool], skip: int, take: int) -> list[Article]:
            if take <= 0:
                return []
            query = _ordered(wanted(select(Article)).where(condition), order).offset(skip).limit(take)
            return list(session.scalars(query))

        with query_errors(search or ""):
            # Counted apart: a count of every row comes from the smallest index, those without a date
            # from the date's index (counting the dated would read them all).
            if parsed is not None and filters == ArticleFilter():
                count = session.scalar(matching_count(parsed, dialect)) or 0
            else:
                count = session.scalar(wanted(select(func.count()).select_from(Article))) or 0
            undated = select(func.count()).select_from(Article).where(first.is_(None))
            dated = count - (session.scalar(wanted(undated)) or 0) if first.nullable and count else count
            # The dated articles, then the undated: each part in an order an index on the column
            # gives on both databases (they put NULLs at opposite ends of an index).
            articles = rows(first.is_not(None), offset, min(limit, dated - offset))
            if dated < count and offset + limit > dated:
                articles += rows(first.is_(None), max(0, offset - dated), min(limit - len(articles), count - offset))
    return ArticlePage(count, articles)


def _ordered(query: Select[Any], order: tuple[Order, ...]) -> Select[Any]:
    terms = []
    for part in order:
        column = getattr(Article, part.column)
        term = column.desc() if part.descending else column.asc()
        terms.append(term.nulls_last() if part is not order[0] and column.nullable else term)
    return query.order_by(*terms, Article.id.desc() if order[0].descending else Article.id.asc())


def stored_sites(bind: Bind) -> list[str]:
    """The names of the sites that have articles, sorted."""
    with session_of(bind) as session:
        return sorted(session.scalars(select(Article.site).where(Article.site.is_not(None)).distinct()))

