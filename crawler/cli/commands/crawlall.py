"""`scrapy crawlall`: every site (or the ones named) in one process: a line per site as it
finishes, then a summary naming the sites that failed. Scrapy's own log (settings and component
lists per crawl, a line per request) goes to a file in SPACECRAWL_LOG_DIR, unless -L, --logfile or
-s LOG_LEVEL/LOG_FILE ask for it elsewhere."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import UsageError
from scrapy.settings import SETTINGS_PRIORITIES
from scrapy.utils.conf import arglist_to_dict

from crawler.cli.arguments import add_fail_on_alert, check_spider_arguments, sites_named
from crawler.cli.base_commands import KnownOptionsCommand
from crawler.cli.run_report import EXIT_FAILED, exit_code, plural, site_line, summary
from crawler.setting_checks import check_settings


class Command(KnownOptionsCommand):
    requires_project = True
    log_path: Path | None = None  # where Scrapy's log goes, when crawlall chose it
    names: list[str]  # the sites to crawl

    def syntax(self) -> str:
        return "[options]"

    def short_desc(self) -> str:
        return "Crawl every configured site into the store, then print a summary"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--sites", metavar="NAME,NAME", help="crawl only these sites (default: all)")
        parser.add_argument("-a", dest="spargs", action="append", default=[], metavar="NAME=VALUE",
                            help="a spider argument for every site's crawl: -a mode=backfill -a since=2020-01-01")
        add_fail_on_alert(parser)

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        assert self.settings is not None
        # Usage is checked before Scrapy's logging is set up: a typo leaves no log file behind.
        if args:
            raise UsageError("crawlall takes no arguments; use --sites NAME,NAME to choose sites")
        try:
            opts.spargs = arglist_to_dict(opts.spargs)
        except ValueError:
            raise UsageError("Invalid -a value, use -a NAME=VALUE", print_help=False) from None
        check_spider_arguments(opts.spargs)
        check_settings(self.settings)
        self.names = list(sites_named(opts.sites, "--sites", self.settings.get("SPACECRAWL_SITES_FILE")))
        chosen = max(self.settings.getpriority(name) or 0 for name in ("LOG_LEVEL", "LOG_FILE", "LOG_ENABLED"))
        if chosen >= SETTINGS_PRIORITIES["cmdline"]:
            return
        log_dir = Path(self.settings["SPACECRAWL_LOG_DIR"])
        try:
            log_dir.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise UsageError(f"cannot write logs in {log_dir}: {error.strerror} (set SPACECRAWL_LOG_DIR, or -L INFO "
                             "for the log on the terminal)", print_help=False) from None
        self.log_path = log_dir / f"crawlall-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.log"
        self.settings.set("LOG_FILE", str(self.log_path), priority="command")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.crawler_process is not None and self.settings is not None
        names = self.names
        fail_on_alert = opts.fail_on_alert or self.settings.getbool("SPACECRAWL_FAIL_ON_ALERT")
        crawlers: dict[str, Crawler] = {}
        for name in names:
            crawler = self.crawler_process.create_crawler(name)
            crawler.signals.connect(self._print_site_line(crawler, fail_on_alert), signal=signals.spider_closed,
                                    weak=False)
            self.crawler_process.crawl(crawler, **opts.spargs)
            crawlers[name] = crawler
        if self.log_path is not None:
            print(f"crawling {plural(len(names), 'site')}; Scrapy's log: {self.log_path}", file=sys.stderr, flush=True)
        self.crawler_process.start()

        runs = {name: crawler.stats.get_stats() for name, crawler in crawlers.items()}
        print(summary(runs, fail_on_alert), file=sys.stderr)
        self.exitcode = EXIT_FAILED if self.crawler_process.bootstrap_failed else exit_code(runs, fail_on_alert)

    @staticmethod
    def _print_site_line(crawler: Crawler, fail_on_alert: bool):
        def on_closed(spider, reason):
            stats = dict(crawler.stats.get_stats(), finish_reason=reason)
            print(site_line(spider.name, stats, fail_on_alert), file=sys.stderr, flush=True)

        return on_closed
