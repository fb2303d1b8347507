"""Item pipelines: one stage per module, in the order crawler/settings.py gives."""

from scrapy.exceptions import DropItem

from crawler.ops.run_stats import DROPPED_PREFIX


def drop(stats, reason: str, detail: str) -> DropItem:
    """A DropItem for ``reason``, counted as ``spacecrawl/dropped/<reason>`` in the crawl's stats
    (and so in the run's record); raise what this returns."""
    stats.inc_value(DROPPED_PREFIX + reason)
    return DropItem(f"{reason}: {detail}")
