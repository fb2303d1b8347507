"""A crawl run's bookkeeping: the keys spacecrawl counts under in Scrapy's stats, how a run ended,
and the figures a run's record keeps (crawl_runs.stats, read back by `scrapy runs` and health)."""

from __future__ import annotations

from typing import Any

from scrapy.exceptions import DropItem

# Families of keys: the prefix and then a name.
DROPPED_PREFIX = "spacecrawl/dropped/"  # + the reason a pipeline stage dropped an item (pipelines.drop)
ARTICLES_PREFIX = "spacecrawl/articles/"  # + new, updated, unchanged, unsaved (pipelines/store.py)
# + skipped, deferred, not_modified, not_due (revisit policy), dropped_known (middlewares/incremental.py)
INCREMENTAL_PREFIX = "spacecrawl/incremental/"
# The counts of known articles a run met and left alone: with stored ones, what it saw of the site.
KNOWN_ARTICLE_COUNTS = ("skipped", "not_modified", "not_due")
BACKFILL_PREFIX = "spacecrawl/backfill/"  # + listing_pages, stopped/<why>, oldest (crawler/ops/backfill.py)
TRAPS_PREFIX = "spacecrawl/traps/"  # + redirect_loop, redirect_limit, depth_limit, sitemap_depth (middlewares/traps.py)
FIELDS_PREFIX = "spacecrawl/fields/"  # + articles, a covered field, body_chars_median (ops/health.py)
# Single keys.
ALERTS_STAT = "spacecrawl/alerts"  # the run's health alerts, as records
DATES_UNPARSED = "spacecrawl/dates/unparsed"
DATES_IMPLAUSIBLE = "spacecrawl/dates/implausible"
SKIPPED_NOT_TEXT = "spacecrawl/skipped/not_text"
EXTRACTION_MAX_IN_FLIGHT = "spacecrawl/extraction/max_in_flight"
RETRY_AFTER_WAITS = "spacecrawl/retry_after/waits"
RETRY_AFTER_SECONDS = "spacecrawl/retry_after/seconds"
SLOW_SERVER_TIMEOUTS = "spacecrawl/slow_server/timeouts"
STORE_MAX_PENDING = "spacecrawl/store/max_pending"  # most articles the store held unwritten at once
# A worker of a shared crawl (crawler/ops/frontier/): the crawl's id, when it started (epoch
# seconds), the worker's id, and 1 when this worker was the last and ended the crawl.
CRAWL_ID = "spacecrawl/crawl/id"
CRAWL_STARTED = "spacecrawl/crawl/started"
CRAWL_WORKER = "spacecrawl/crawl/worker"
CRAWL_ENDED = "spacecrawl/crawl/ended"


class PageDropped(DropItem):
    """A pipeline stage's drop, with its reason (``pipelines.drop``), for the dropped pages' memory."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason


def run_status(reason: str, stats: dict[str, Any]) -> str:
    """How a run ended: Scrapy's finish reason, except that a crawl that reached nothing at all is
    not a success ("last successful crawl" must not count it)."""
    if reason == "finished" and not stats.get("response_received_count") and stats.get("downloader/exception_count"):
        return "unreachable"
    return reason


# How a run that did its job may end: on its own, stopped on request (Ctrl-C, SIGTERM), or at a
# limit asked for (-s CLOSESPIDER_ITEMCOUNT=5); "closespider_errorcount" is not among them.
DONE_STATUSES = frozenset({"finished", "shutdown", "closespider_itemcount", "closespider_pagecount",
                           "closespider_timeout", "closespider_timeout_no_item"})


def run_problems(stats: dict[str, Any], fail_on_alert: bool = False) -> list[str]:
    """What went wrong in a run that has ended, each in a word or two (none: it did its job). A
    run's health alerts count only with ``fail_on_alert`` (SPACECRAWL_FAIL_ON_ALERT)."""
    problems = []
    status = run_status(stats.get("finish_reason", "finished"), stats)
    if status not in DONE_STATUSES:
        problems.append(status)
    if stats.get(ARTICLES_PREFIX + "unsaved", 0):
        problems.append("store unavailable")  # its articles are in SPACECRAWL_UNSAVED_DIR/unsaved-*.jsonl
    if fail_on_alert and stats.get(ALERTS_STAT):
        problems.append("alerts")
    return problems


def recorded_stats(stats: dict[str, Any]) -> dict[str, Any]:
    """What a crawl run's record keeps of Scrapy's stats (JSON-ready); ``incremental``, ``fields``
    and ``alerts`` come from crawler/middlewares/incremental.py and crawler/ops/health.py."""
    def under(prefix: str) -> dict[str, Any]:
        return {key.removeprefix(prefix): n for key, n in stats.items() if key.startswith(prefix)}

    return {
        "pages": stats.get("response_received_count", 0),
        "items": stats.get("item_scraped_count", 0),
        **{name: stats.get(ARTICLES_PREFIX + name, 0) for name in ("new", "updated", "unchanged", "unsaved")},
        "errors": stats.get("log_count/ERROR", 0),
        "dropped": under(DROPPED_PREFIX),
        "incremental": under(INCREMENTAL_PREFIX),
        **({"backfill": under(BACKFILL_PREFIX)} if any(key.startswith(BACKFILL_PREFIX) for key in stats) else {}),
        "fields": under(FIELDS_PREFIX),
        "alerts": stats.get(ALERTS_STAT, []),
    }


def combined_stats(parts: list[dict[str, Any]]) -> dict[str, Any]:
    """The record of a shared crawl as a whole from its workers' records: counts added up, key by
    key; the median body length is the workers' medians weighed by their articles (the true median
    would need every body). Alerts are not added up: the whole crawl's come from its own check."""
    whole: dict[str, Any] = {"workers": len(parts)}
    for part in parts:
        for name, value in part.items():
            if isinstance(value, dict):
                into = whole.setdefault(name, {})
                for key, n in value.items():
                    if key != "body_chars_median" and isinstance(n, int | float):
                        into[key] = into.get(key, 0) + n
            elif isinstance(value, int | float) and name != "workers":
                whole[name] = whole.get(name, 0) + value
    articles = sum((part.get("fields") or {}).get("articles", 0) for part in parts)
    if articles:
        whole.setdefault("fields", {})["body_chars_median"] = sum(
            (part.get("fields") or {}).get("body_chars_median", 0) * (part.get("fields") or {}).get("articles", 0)
            for part in parts) / articles
    whole["alerts"] = []
    return whole
