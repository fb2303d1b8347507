"""Sites and crawl runs: recording a run, closing it, and reading runs back."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select, update

from crawler.db.models import CrawlRun, Site
from crawler.db.repository._bind import Bind, connection_of, dialect_insert, session_of


def save_site(bind: Bind, name: str, domains: Iterable[str]) -> None:
    """Record a site and its domains (replacing the domains it had)."""
    with connection_of(bind) as connection:
        statement = dialect_insert(connection)(Site.__table__).values(name=name, domains=list(domains))
        connection.execute(statement.on_conflict_do_update(index_elements=["name"],
                                                           set_={"domains": statement.excluded.domains}))


def start_run(bind: Bind, site: str, started_at: datetime | None = None, mode: str | None = None,
              crawl_id: str | None = None, worker: str | None = None) -> int:
    """A new crawl run of ``site`` (a site name, or "all") in ``mode`` ("feeds", "full"), status
    "running"; returns its id. ``crawl_id`` and ``worker``: a worker's part of a shared crawl (the
    crawl as a whole: ``crawl_id`` alone)."""
    with connection_of(bind) as connection:
        values = {"site": site, "started_at": started_at or datetime.now(UTC), "status": "running", "stats": {},
                  "mode": mode, "crawl_id": crawl_id, "worker": worker}
        return connection.execute(CrawlRun.__table__.insert().values(values).returning(CrawlRun.id)).scalar_one()


def finish_run(bind: Bind, run_id: int, status: str, stats: Mapping[str, Any],
               finished_at: datetime | None = None) -> None:
    """Close a run with its status (Scrapy's finish reason, "finished" when all went well) and
    stats (JSON-ready: pages, new, updated, unchanged, unsaved, errors, dropped: {reason: n})."""
    with connection_of(bind) as connection:
        connection.execute(update(CrawlRun).where(CrawlRun.id == run_id).values(
            status=status, stats=dict(stats), finished_at=finished_at or datetime.now(UTC)))


def recent_runs(bind: Bind, site: str | None = None, limit: int = 20, mode: str | None = None,
                status: str | None = None, parts: bool = True) -> list[CrawlRun]:
    """Crawl runs, newest first; only ``site``'s, ``mode``'s or those that ended ``status`` when given;
    without the workers' parts of shared crawls unless ``parts``."""
    query = select(CrawlRun).order_by(CrawlRun.started_at.desc(), CrawlRun.id.desc()).limit(limit)
    if not parts:
        query = query.where(CrawlRun.worker.is_(None))
    for column, value in ((CrawlRun.site, site), (CrawlRun.mode, mode), (CrawlRun.status, status)):
        if value is not None:
            query = query.where(column == value)
    with session_of(bind) as session:
        return list(session.scalars(query))


def last_run_starts(bind: Bind) -> dict[tuple[str, str | None], datetime]:
    """When the latest run of each (site, mode) started, whatever became of it."""
    with connection_of(bind) as connection:
        rows = connection.execute(select(CrawlRun.site, CrawlRun.mode, func.max(CrawlRun.started_at))
                                  .group_by(CrawlRun.site, CrawlRun.mode))
        return {(site, mode): started for site, mode, started in rows}


def abandon_runs(bind: Bind, status: str, *, site: str | None = None, started_since: datetime | None = None,
                 crawl_id: str | None = None) -> int:
    """Close with ``status`` the runs still "running" of ``site`` that started at or after
    ``started_since``, or the workers' runs of the shared crawl ``crawl_id`` (a crawl process that
    died cannot close its own run); returns how many."""
    query = update(CrawlRun).where(CrawlRun.status == "running")
    if site is not None:
        query = query.where(CrawlRun.site == site)
    if started_since is not None:
        query = query.where(CrawlRun.started_at >= started_since)
    if crawl_id is not None:
        query = query.where(CrawlRun.crawl_id == crawl_id, CrawlRun.worker.is_not(None))
    with connection_of(bind) as connection:
        return connection.execute(query.values(status=status, finished_at=datetime.now(UTC))).rowcount


def crawl_parts(bind: Bind, crawl_id: str) -> list[CrawlRun]:
    """The workers' runs of the shared crawl ``crawl_id``, oldest first."""
    with session_of(bind) as session:
        return list(session.scalars(select(CrawlRun).where(CrawlRun.crawl_id == crawl_id, CrawlRun.worker.is_not(None))
                                    .order_by(CrawlRun.id)))
