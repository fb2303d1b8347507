"""`scrapy crawlall`: every site (or the ones named) in one process, then a summary."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import UsageError

from crawler.cli.arguments import add_fail_on_alert
from crawler.cli.base_commands import KnownOptionsCommand
from crawler.ops.health import have_alerts
from crawler.ops.run_stats import ARTICLES_PREFIX, DROPPED_PREFIX, run_status
from crawler.setting_checks import check_settings


def site_summary(name: str, stats: dict[str, Any]) -> str:
    dropped = {k.rsplit("/", 1)[1]: v for k, v in stats.items() if k.startswith(DROPPED_PREFIX)}
    dropped_text = ", ".join(f"{reason} {count}" for reason, count in sorted(dropped.items())) or "none"
    new, updated, unchanged = (stats.get(ARTICLES_PREFIX + k, 0) for k in ("new", "updated", "unchanged"))
    return (
        f"{name}: {stats.get('response_received_count', 0)} pages fetched, "
        f"{new + updated + unchanged} articles stored ({new} new, {updated} updated, {unchanged} unchanged), "
        f"dropped: {dropped_text}, errors {stats.get('log_count/ERROR', 0)}"
        + (f", status {run_status(stats['finish_reason'], stats)}" if "finish_reason" in stats else "")
    )


class Command(KnownOptionsCommand):
    requires_project = True

    def syntax(self) -> str:
        return "[options]"

    def short_desc(self) -> str:
        return "Crawl every configured site into the store, then print a summary"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--sites", metavar="NAME,NAME", help="crawl only these sites (default: all)")
        add_fail_on_alert(parser)

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if args:
            raise UsageError("crawlall takes no arguments; use --sites NAME,NAME to choose sites")
        assert self.crawler_process is not None and self.settings is not None
        check_settings(self.settings)
        available = self.crawler_process.spider_loader.list()
        names = [n.strip() for n in opts.sites.split(",") if n.strip()] if opts.sites else available
        unknown = sorted(set(names) - set(available))
        if unknown:
            raise UsageError(f"unknown site(s): {', '.join(unknown)}; `scrapy list` names them all", print_help=False)

        crawlers: list[Crawler] = []
        for name in names:
            crawler = self.crawler_process.create_crawler(name)
            crawler.signals.connect(self._print_site_line(crawler), signal=signals.spider_closed, weak=False)
            self.crawler_process.crawl(crawler)
            crawlers.append(crawler)
        self.crawler_process.start()

        totals: dict[str, int] = {}
        for crawler in crawlers:
            for key, value in crawler.stats.get_stats().items():
                if isinstance(value, int):
                    totals[key] = totals.get(key, 0) + value
        print(site_summary(f"all {len(crawlers)} sites", totals), file=sys.stderr)
        if self.crawler_process.bootstrap_failed:
            self.exitcode = 1
        if (opts.fail_on_alert or self.settings.getbool("SPACECRAWL_FAIL_ON_ALERT")) and have_alerts(
                crawler.stats.get_stats() for crawler in crawlers):
            self.exitcode = 1

    @staticmethod
    def _print_site_line(crawler: Crawler):
        def on_closed(spider, reason):
            stats = dict(crawler.stats.get_stats(), finish_reason=reason)
            print(site_summary(spider.name, stats), file=sys.stderr, flush=True)

        return on_closed
