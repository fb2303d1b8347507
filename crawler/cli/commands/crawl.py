"""`scrapy crawl NAME [--fail-on-alert]`: Scrapy's crawl, ending with a one-line summary and an
exit status that says whether the run did its job (crawler/cli/run_report.py): 1 when the site was
unreachable, the store unavailable or, with ``--fail-on-alert`` (or SPACECRAWL_FAIL_ON_ALERT), the
run raised a health alert (crawler/ops/health.py), so cron, systemd or CI notice a site that broke.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.exceptions import UsageError

from crawler.cli.arguments import add_fail_on_alert, check_spider_arguments, site_named
from crawler.cli.base_commands import KnownOptionsCommand
from crawler.cli.run_report import EXIT_FAILED, exit_code, site_line
from crawler.ops.schedule_runner import SETTINGS_ENV
from crawler.setting_checks import check_settings


class Command(KnownOptionsCommand, ScrapyCrawlCommand):
    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        add_fail_on_alert(parser)

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        assert self.settings is not None
        # From `scrapy schedule`: its -s options, kept off the command line (they may hold a password).
        scheduled = os.environ.pop(SETTINGS_ENV, None)
        if scheduled:
            self.settings.setdict(json.loads(scheduled), priority="cmdline")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            raise UsageError("give one spider (site) name; `scrapy list` names them all")
        assert self.crawler_process is not None and self.settings is not None
        check_settings(self.settings)
        site_named(args[0], self.settings.get("SPACECRAWL_SITES_FILE"))
        check_spider_arguments(opts.spargs)
        crawler = self._create_crawler(args[0])
        self.crawler_process.crawl(crawler, **opts.spargs)
        self.crawler_process.start()
        if self.crawler_process.bootstrap_failed:
            self.exitcode = EXIT_FAILED
            return
        fail_on_alert = opts.fail_on_alert or self.settings.getbool("SPACECRAWL_FAIL_ON_ALERT")
        runs = {args[0]: crawler.stats.get_stats()}
        print(site_line(args[0], runs[args[0]], fail_on_alert), file=sys.stderr)
        self.exitcode = exit_code(runs, fail_on_alert)
