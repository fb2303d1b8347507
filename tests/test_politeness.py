"""Politeness: a 503 with Retry-After is retried only after the wait it asks for."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

from crawler.middlewares.retry_after import retry_after_seconds
from fakesite import FakeSite, serve
from tests.helpers import scrapy, sites_file


def test_retry_after_forms() -> None:
    now = datetime(2025, 6, 1, 12, tzinfo=UTC)
    assert retry_after_seconds("7") == 7
    assert retry_after_seconds(format_datetime(now + timedelta(seconds=90), usegmt=True), now) == 90
    assert retry_after_seconds(format_datetime(now - timedelta(seconds=90), usegmt=True), now) == 0
    assert retry_after_seconds("soon") is None and retry_after_seconds(None) is None


class TimedSite(FakeSite):
    """Notes when each request for a page arrived."""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.times: dict[str, list[float]] = {}

    def count_hit(self, target: str) -> int:
        self.times.setdefault(target, []).append(time.monotonic())
        return super().count_hit(target)


def test_503_is_retried_after_retry_after(tmp_path) -> None:  # type: ignore[no-untyped-def]
    site = TimedSite(articles=6, seed=2, fail_every=3)  # the first request to articles 0 and 3: 503, Retry-After: 1
    with serve(site):
        result = scrapy("crawl", "fakespace", sites_file=sites_file(site, tmp_path),
                        database_url=f"sqlite:///{tmp_path / 'store.db'}")
    assert result.returncode == 0, result.stderr[-3000:]
    failing = [site.posts[i].path for i in (0, 3)]
    for path in failing:
        first, retry = site.times[path][:2]
        assert retry - first >= 1.0, f"{path} retried {retry - first:.2f} s after its 503, before Retry-After: 1"
