"""`scrapy schedule [--once]`: keep the store current by crawling each site when it is due.

In the foreground until SIGINT/SIGTERM (then it stops its crawls and exits 0); ``--once`` runs
what is due now and exits, for cron or a systemd timer. Each crawl is ``scrapy crawl SITE -a
mode=feeds|full`` in a process of its own, its output in SPACECRAWL_LOG_DIR; the scheduler's ``-s``
options reach it through the environment (crawler/ops/schedule_runner.py SETTINGS_ENV), never its
command line, which any user's ``ps`` shows.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from scrapy.exceptions import UsageError
from scrapy.utils.conf import arglist_to_dict

from crawler.cli.arguments import sites_named
from crawler.cli.base_commands import KnownOptionsCommand
from crawler.cli.run_report import EXIT_FAILED
from crawler.ops.schedule_runner import Intervals, ScheduleRunner, interval_setting
from crawler.setting_checks import check_settings


class Command(KnownOptionsCommand):
    requires_project = True
    requires_crawler_process = False

    def syntax(self) -> str:
        return "[--once] [--sites NAME,NAME]"

    def short_desc(self) -> str:
        return "Crawl each site when due (feeds often, sitemaps daily) until stopped; --once for cron"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--once", action="store_true", help="run what is due now, then exit")
        parser.add_argument("--sites", metavar="NAME,NAME", help="schedule only these sites (default: all)")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.settings is not None
        settings = self.settings
        if args:
            raise UsageError("schedule takes no arguments; use --sites NAME,NAME", print_help=False)
        check_settings(settings)
        sites = sites_named(opts.sites, "--sites", settings.get("SPACECRAWL_SITES_FILE"))
        try:
            intervals = Intervals(
                interval_setting(settings.get("SPACECRAWL_FEED_INTERVAL_MINUTES"), "SPACECRAWL_FEED_INTERVAL_MINUTES"),
                interval_setting(settings.get("SPACECRAWL_SITEMAP_INTERVAL_MINUTES"),
                                 "SPACECRAWL_SITEMAP_INTERVAL_MINUTES"))
        except ValueError as error:
            raise UsageError(str(error), print_help=False) from None
        # The level on the handler too: lines lowered to DEBUG after their logger let them through
        # (Alembic's, crawler/ops/log_formatter.py) are then held back as Scrapy's handler does.
        terminal = logging.StreamHandler(sys.stderr)
        terminal.setLevel(settings.get("LOG_LEVEL", "INFO"))
        logging.basicConfig(level=settings.get("LOG_LEVEL", "INFO"), handlers=[terminal],
                            format="%(asctime)s [schedule] %(levelname)s: %(message)s")
        scheduler = ScheduleRunner(
            sites, settings["SPACECRAWL_DATABASE_URL"], child_settings=arglist_to_dict(opts.set),
            max_parallel=settings.getint("SPACECRAWL_SCHEDULE_MAX_PARALLEL"), intervals=intervals,
            tick_seconds=settings.getfloat("SPACECRAWL_SCHEDULE_TICK_SECONDS"),
            log_dir=Path(settings["SPACECRAWL_LOG_DIR"]))
        scheduler.run(once=opts.once)
        # --once is a cron job: say so when a crawl failed. The long-lived loop logs failures and goes on.
        if opts.once and scheduler.failures:
            self.exitcode = EXIT_FAILED
