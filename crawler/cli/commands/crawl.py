"""`scrapy crawl NAME [--fail-on-alert]`: Scrapy's crawl, plus an exit status for run health.

With ``--fail-on-alert`` (or SPACECRAWL_FAIL_ON_ALERT) the command exits 1 when the run raised a
health alert (crawler/ops/health.py), so cron, systemd or CI notice a site that broke.
"""

from __future__ import annotations

import argparse

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.exceptions import UsageError

from crawler.cli.arguments import add_fail_on_alert
from crawler.cli.base_commands import KnownOptionsCommand
from crawler.ops.health import have_alerts
from crawler.setting_checks import check_settings
from crawler.spiders.site import MODES


class Command(KnownOptionsCommand, ScrapyCrawlCommand):
    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        add_fail_on_alert(parser)

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            raise UsageError("give one spider (site) name; `scrapy list` names them all")
        assert self.crawler_process is not None and self.settings is not None
        check_settings(self.settings)
        if args[0] not in self.crawler_process.spider_loader.list():
            raise UsageError(f"unknown site {args[0]!r}; `scrapy list` names them all", print_help=False)
        mode = opts.spargs.get("mode", "full")
        if mode not in MODES:
            raise UsageError(f"mode {mode!r}: use one of {', '.join(MODES)} (-a mode=feeds)", print_help=False)
        crawler = self._create_crawler(args[0])
        self.crawler_process.crawl(crawler, **opts.spargs)
        self.crawler_process.start()
        if self.crawler_process.bootstrap_failed:
            self.exitcode = 1
        elif (opts.fail_on_alert or self.settings.getbool("SPACECRAWL_FAIL_ON_ALERT")) and have_alerts(
                [crawler.stats.get_stats()]):
            self.exitcode = 1
