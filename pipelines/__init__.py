"""Item pipelines: one stage per module, in the order crawler/settings.py gives."""

from crawler.ops.run_stats import DROPPED_PREFIX, PageDropped


def drop(stats, reason: str, detail: str) -> PageDropped:
    """A DropItem for ``reason``, counted as ``spacecrawl/dropped/<reason>`` in the crawl's stats
    (and so in the run's record), its page remembered (crawler/ops/dropped_pages.py); raise what
    this returns."""
    stats.inc_value(DROPPED_PREFIX + reason)
    return PageDropped(reason, detail)
