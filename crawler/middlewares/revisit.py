"""The revisit policy: when a known article met again in a feed, a listing page or a backfill is
worth asking for again. Pure functions of what the store knows; the incremental middleware applies them.

An article changes most in its first hours (corrections, updates to a developing story) and
seldom after a week. So it is re-checked once it has passed each age of a schedule (by default 1 h,
6 h, 1 day and 7 days after publication, or after it was first stored when it has no date) that it
was not yet checked at; past the last age, only full runs look at it (sitemap ``<lastmod>`` and
conditional requests). A page a crawl dropped (not an article, a duplicate…) is left alone until
its validators or hints say it changed, extraction's version changed, or it was last looked at
longer ago than the dropped pages' recheck age.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from crawler.db.repository import KnownArticle, KnownDrop


def revisit_ages(text: str | Sequence[float]) -> tuple[timedelta, ...]:
    """Ages from "1,6,24,168" (hours; a setting) or a list of hours (a site's definition);
    ValueError for anything that is not a list of hours of 0 or more."""
    parts = [part.strip() for part in text.split(",")] if isinstance(text, str) else list(text)
    hours = []
    for part in filter(lambda value: value != "", parts):
        try:
            value = float(part)
        except (TypeError, ValueError):
            value = -1.0
        if value < 0 or isinstance(part, bool):
            raise ValueError(f"{text!r}: give hours after publication, such as 1,6,24,168")
        hours.append(value)
    return tuple(sorted(timedelta(hours=value) for value in hours))


def revisit_due(known: KnownArticle, now: datetime, ages: Sequence[timedelta]) -> bool:
    """True when the article has passed an age of ``ages`` since it was last seen."""
    born = known.published or known.first_seen
    if born is None:
        return True
    passed = [born + age for age in ages if born + age <= now]
    return bool(passed) and known.last_seen < max(passed)


def drop_expired(drop: KnownDrop, now: datetime, extractor_version: str, recheck_after: timedelta) -> bool:
    """True when a remembered dropped page must be downloaded again whatever its validators say:
    extraction changed since, or it was last looked at longer ago than ``recheck_after``."""
    return drop.extractor_version != extractor_version or now - drop.last_seen >= recheck_after
