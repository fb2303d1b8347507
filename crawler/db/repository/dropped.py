"""Dropped pages remembered: what a crawl dropped (URL, reason, validators, extractor version), so
the next one can leave them alone; read back by the incremental middleware and `runs` / `stats`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, func, select, update

from crawler.db.models import DroppedPage
from crawler.db.repository._bind import Bind, connection_of, dialect_insert

CHUNK = 500  # rows or URLs per statement, as for articles


@dataclass(frozen=True)
class KnownDrop:
    """What a crawl needs to know about a remembered dropped page to decide whether to fetch it again."""

    reason: str
    last_seen: datetime
    etag: str | None
    last_modified: str | None
    extractor_version: str


def remember_dropped(bind: Bind, records: Iterable[Mapping[str, Any]], now: datetime | None = None) -> int:
    """Remember dropped pages (dicts of url, site, reason, etag, last_modified, extractor_version),
    replacing what was remembered of the same URL; returns how many."""
    rows = {record["url"]: {**record, "last_seen": now or datetime.now(UTC)} for record in records}
    table = DroppedPage.__table__
    ordered = [rows[url] for url in sorted(rows)]  # locked in URL order: concurrent crawls wait, not deadlock
    with connection_of(bind) as connection:
        insert = dialect_insert(connection)
        for start in range(0, len(ordered), CHUNK):
            statement = insert(table)
            statement = statement.on_conflict_do_update(
                index_elements=["url"], set_={name: statement.excluded[name] for name in
                                              ("site", "reason", "etag", "last_modified", "extractor_version",
                                               "last_seen")})
            connection.execute(statement, ordered[start:start + CHUNK])
    return len(ordered)


def known_drops(bind: Bind, site: str) -> dict[str, KnownDrop]:
    """``site``'s remembered dropped pages by URL."""
    table = DroppedPage.__table__
    query = select(table.c.url, table.c.reason, table.c.last_seen, table.c.etag, table.c.last_modified,
                   table.c.extractor_version).where(table.c.site == site)
    with connection_of(bind) as connection:
        return {row.url: KnownDrop(row.reason, row.last_seen, row.etag, row.last_modified, row.extractor_version)
                for row in connection.execute(query)}


def touch_dropped(bind: Bind, urls: Iterable[str], now: datetime | None = None) -> int:
    """Mark remembered dropped pages as seen unchanged (a 304) at ``now``; returns how many rows."""
    return _each_chunk(bind, urls, lambda chunk: update(DroppedPage).where(DroppedPage.url.in_(chunk))
                       .values(last_seen=now or datetime.now(UTC)))


def forget_dropped(bind: Bind, urls: Iterable[str]) -> int:
    """Forget pages that are articles now (stored by a later crawl); returns how many rows."""
    return _each_chunk(bind, urls, lambda chunk: delete(DroppedPage).where(DroppedPage.url.in_(chunk)))


def _each_chunk(bind: Bind, urls: Iterable[str], statement_for: Any) -> int:
    urls = sorted(set(urls))
    with connection_of(bind) as connection:
        return sum(connection.execute(statement_for(urls[start:start + CHUNK])).rowcount
                   for start in range(0, len(urls), CHUNK))


def dropped_counts(bind: Bind, site: str | None = None) -> dict[str, dict[str, int]]:
    """Remembered dropped pages by site, then reason (only ``site``'s when given)."""
    query = select(DroppedPage.site, DroppedPage.reason, func.count()).group_by(DroppedPage.site, DroppedPage.reason)
    if site is not None:
        query = query.where(DroppedPage.site == site)
    counts: dict[str, dict[str, int]] = {}
    with connection_of(bind) as connection:
        for name, reason, count in connection.execute(query.order_by(DroppedPage.site, DroppedPage.reason)):
            counts.setdefault(name, {})[reason] = count
    return counts
