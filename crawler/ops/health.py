"""Run health: is this crawl of a site as good as its recent history? A site that changes its
layout or blocks us shows up as a run with no articles, a field that vanishes or bodies that
shrink. ``check_run`` compares one run's figures with earlier runs' (pure); ``RunHealth`` is the
Scrapy extension that counts field coverage, runs the check at the end of a crawl, logs each
alert loudly and puts them in the stats (``spacecrawl/alerts``), whence the run's record.
"""

from __future__ import annotations

import logging
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from itemadapter import ItemAdapter
from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from crawler.db.engine import StoreUnavailable, make_engine, reporting_unavailable
from crawler.db.repository import crawl_parts, recent_runs
from crawler.ops.run_stats import (ALERTS_STAT, ARTICLES_PREFIX, CRAWL_ENDED, CRAWL_ID, FIELDS_PREFIX, INCREMENTAL_PREFIX,
                                   KNOWN_ARTICLE_COUNTS, combined_stats, recorded_stats)

logger = logging.getLogger(__name__)

COVERED_FIELDS = ("title", "published", "authors")  # share of articles with each, per run
# A field that at least this share of a site's articles had is expected to stay...
USUAL_SHARE = 0.5
# ...and is flagged when its share falls below this fraction of what it was; so is the median body.
DROP_FACTOR = 0.5


@dataclass(frozen=True)
class RunFigures:
    """What health compares, read from a live crawl's stats or a stored run's record."""

    articles_seen: int  # stored new, updated or unchanged, plus known ones skipped or answered 304
    articles: int  # articles that went through every stage this run
    with_field: dict[str, int] = field(default_factory=dict)  # field -> articles that had it
    body_chars_median: float = 0.0

    @classmethod
    def from_stats(cls, stats: Mapping[str, Any]) -> RunFigures:
        """From Scrapy's flat stats of the crawl that is ending."""
        counts = (stats.get(ARTICLES_PREFIX + k, 0) for k in ("new", "updated", "unchanged", "unsaved"))
        known = (stats.get(INCREMENTAL_PREFIX + k, 0) for k in KNOWN_ARTICLE_COUNTS)
        return cls(sum(counts) + sum(known), stats.get(FIELDS_PREFIX + "articles", 0),
                   {name: stats.get(FIELDS_PREFIX + name, 0) for name in COVERED_FIELDS},
                   stats.get(FIELDS_PREFIX + "body_chars_median", 0.0))

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> RunFigures:
        """From a stored run's stats (crawler/ops/run_stats.py recorded_stats)."""
        fields = record.get("fields") or {}
        incremental = record.get("incremental") or {}
        seen = sum(record.get(k, 0) for k in ("new", "updated", "unchanged", "unsaved"))
        return cls(seen + sum(incremental.get(k, 0) for k in KNOWN_ARTICLE_COUNTS),
                   fields.get("articles", 0), {name: fields.get(name, 0) for name in COVERED_FIELDS},
                   fields.get("body_chars_median", 0.0))

    def share(self, name: str) -> float:
        return self.with_field.get(name, 0) / self.articles if self.articles else 0.0


@dataclass(frozen=True)
class Alert:
    kind: str  # "no_articles", "field_vanished", "body_shrunk"
    site: str
    message: str
    field: str | None = None

    def record(self) -> dict[str, Any]:
        return asdict(self)


def check_run(site: str, run: RunFigures, history: Sequence[RunFigures], min_articles: int = 5) -> list[Alert]:
    """Alerts for ``run`` of ``site`` against earlier runs (same mode, newest first). Coverage and
    body length are judged only on runs with at least ``min_articles`` articles."""
    alerts: list[Alert] = []
    if not history:
        return alerts
    usual_seen = statistics.median(h.articles_seen for h in history)
    if run.articles_seen == 0 and usual_seen > 0:
        alerts.append(Alert("no_articles", site, f"{site}: no articles found; its last {len(history)} runs "
                                                 f"found {usual_seen:g} (median) — feeds, sitemaps or the article URL rule may have changed"))
    comparable = [h for h in history if h.articles >= min_articles]
    if run.articles < min_articles or not comparable:
        return alerts
    for name in COVERED_FIELDS:
        usual = statistics.median(h.share(name) for h in comparable)
        now = run.share(name)
        if usual >= USUAL_SHARE and now < usual * DROP_FACTOR:
            alerts.append(Alert("field_vanished", site, f"{site}: {name} found on {now:.0%} of {run.articles} "
                                                        f"articles, usually {usual:.0%} — extraction may have lost it", name))
    usual_body = statistics.median(h.body_chars_median for h in comparable)
    if usual_body and run.body_chars_median < usual_body * DROP_FACTOR:
        alerts.append(Alert("body_shrunk", site, f"{site}: median body {run.body_chars_median:.0f} characters, "
                                                 f"usually {usual_body:.0f} — the page layout may have changed", "body"))
    return alerts


class RunHealth:
    """Counts field coverage of the articles that made it through the pipelines and, when the
    crawl closes, checks the run against the site's recent runs in the store."""

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.crawler = crawler
        # Tagged with the crawler, so an alert counts for this crawl only (crawler.ops.extensions.CrawlLogCount).
        self.logger = logging.LoggerAdapter(logger, {"crawler": crawler})
        self.stats = crawler.stats
        self.database_url = settings.get("SPACECRAWL_DATABASE_URL")
        self.history_runs = settings.getint("SPACECRAWL_HEALTH_HISTORY_RUNS")
        self.min_articles = settings.getint("SPACECRAWL_HEALTH_MIN_ARTICLES")
        self.body_lengths: list[int] = []

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunHealth:
        if not crawler.settings.getbool("SPACECRAWL_STORE_ENABLED"):
            raise NotConfigured("run health compares stored runs; the store is off")
        extension = cls(crawler)
        crawler.signals.connect(extension.item_scraped, signal=signals.item_scraped)
        # Connected before the store pipeline's spider_closed (extensions are built first), so the
        # alerts are in the stats when the store records the run.
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def item_scraped(self, item: Any) -> None:
        adapter = ItemAdapter(item)
        self.stats.inc_value(FIELDS_PREFIX + "articles")
        for name in COVERED_FIELDS:
            if adapter.get(name):
                self.stats.inc_value(FIELDS_PREFIX + name)
        self.body_lengths.append(len(adapter.get("body") or ""))

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self.body_lengths:
            self.stats.set_value(FIELDS_PREFIX + "body_chars_median", statistics.median(self.body_lengths))
        if reason != "finished":
            return  # a crawl cut short is no measure of the site
        stats = self.stats.get_stats()
        crawl_id = stats.get(CRAWL_ID)
        if crawl_id and not stats.get(CRAWL_ENDED):
            return  # one worker's part of a shared crawl: the worker that ends the crawl judges it whole
        mode = getattr(spider, "mode", None)
        try:
            engine = make_engine(self.database_url)
            try:
                with reporting_unavailable(self.database_url):
                    runs = recent_runs(engine, spider.name, self.history_runs, mode=mode, status="finished", parts=False)
                    # the other workers' records, and this one's (its own row is not finished yet)
                    parts = [run.stats for run in crawl_parts(engine, crawl_id)] if crawl_id else []
            finally:
                engine.dispose()
        except StoreUnavailable as error:
            self.logger.warning("health: cannot compare with earlier runs: %s", error)
            return
        history = [RunFigures.from_record(run.stats) for run in runs]
        figures = (RunFigures.from_record(combined_stats([*parts, recorded_stats(stats)])) if crawl_id
                   else RunFigures.from_stats(stats))
        alerts = check_run(spider.name, figures, history, self.min_articles)
        for alert in alerts:
            log = self.logger.error if alert.kind == "no_articles" else self.logger.warning
            log("ALERT %s site=%s field=%s: %s", alert.kind, alert.site, alert.field or "-", alert.message)
        if alerts:
            self.stats.set_value(ALERTS_STAT, [alert.record() for alert in alerts])
