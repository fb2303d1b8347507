"""Item pipelines: one stage per module, in the order crawler/settings.py gives."""

from scrapy.exceptions import DropItem


def drop(stats, reason: str, detail: str) -> DropItem:
    """A DropItem for ``reason``, counted as ``spacecrawl/dropped/<reason>`` in the crawl's stats
    (and so in the run's record); raise what this returns."""
    stats.inc_value(f"spacecrawl/dropped/{reason}")
    return DropItem(f"{reason}: {detail}")
