"""Statistics over the store: a summary per site, articles counted per day, week or month, and per entity."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from sqlalchemy import func, literal_column, select

from crawler.db.models import Article, CrawlRun
from crawler.db.query import ArticleFilter
from crawler.db.repository._bind import Bind, connection_of
from crawler.db.repository.articles import filtered
from crawler.db.repository.dropped import dropped_counts
from crawler.db.repository.entities import count_by_entity

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
    dropped: dict[str, int] = field(default_factory=dict)  # pages remembered as dropped, by reason


def site_summaries(bind: Bind) -> list[SiteSummary]:
    """One summary per site that has articles or runs, by name."""
    with connection_of(bind) as connection:
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
        dropped = dropped_counts(connection)
    return [
        SiteSummary(site, *(counts[site][1:] if site in counts else (0, 0, 0, None)),
                    last_success=successes.get(site), last_status=statuses.get(site), dropped=dropped.get(site, {}))
        for site in sorted(counts.keys() | statuses.keys())
    ]


def count_by_period(bind: Bind, period: Period, filters: ArticleFilter = ArticleFilter()) -> list[tuple[str, str | None, int]]:
    """(period, site, articles) for dated articles, oldest period first. A period is named by
    its first day ("2024-05-06" for a week, which starts on Monday) or "2024-05" for a month."""
    with connection_of(bind) as connection:
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
        statement = filtered(statement, dialect, filters).order_by(bucket, Article.site)
        return [(row[0], row[1], row[2]) for row in connection.execute(statement)]


def entity_counts(bind: Bind, filters: ArticleFilter = ArticleFilter()) -> list[tuple[str, str, int]]:
    """(entity id, kind, articles) over the articles ``filters`` selects, most mentioned first."""
    with connection_of(bind) as connection:
        wanted = None if filters == ArticleFilter() else filtered(select(Article.id), connection.dialect.name, filters)
        return count_by_entity(connection, wanted)
