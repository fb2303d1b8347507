"""`scrapy stats`: what the store holds, per site or per day/week/month, and how crawls went."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict

from scrapy.exceptions import UsageError

from crawler.db.cli import StoreCommand, json_ready, table
from crawler.db.query import ArticleFilter
from crawler.db.store import Store

PERIODS = ("day", "week", "month")


class Command(StoreCommand):
    def syntax(self) -> str:
        return "[--by day|week|month] [--site NAME] [--since DATE] [--until DATE] [--json]"

    def short_desc(self) -> str:
        return "Articles per site (missing dates and authors, last successful crawl) or per period"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--by", choices=PERIODS, help="count dated articles per period and site instead")
        parser.add_argument("--json", action="store_true", help="as JSON")

    def check_usage(self, args: list[str], opts: argparse.Namespace) -> None:
        if args:
            raise UsageError(f"stats takes no arguments (got {' '.join(args)}); see --help", print_help=False)
        if not opts.by and (opts.since or opts.until):
            raise UsageError("--since/--until need --by (the per-site summary covers everything)", print_help=False)

    def run_with_store(self, store: Store, where: ArticleFilter, args: list[str], opts: argparse.Namespace) -> None:
        if opts.by:
            counts = store.count_by_period(opts.by, where)
            if opts.json:
                print(json.dumps([{opts.by: period, "site": site, "articles": n} for period, site, n in counts], indent=2))
            else:
                print(table((opts.by, "site", "articles"), counts))
            return
        summaries = [s for s in store.site_summaries() if not where.site or s.site == where.site]
        if opts.json:
            print(json.dumps([asdict(s) for s in summaries], default=json_ready, indent=2))
            return
        print(table(("site", "articles", "undated", "no author", "newest article", "last success", "last run"),
                    ((s.site, s.articles, s.undated, s.authorless, s.newest, s.last_success, s.last_status)
                     for s in summaries)))
        print(f"\n{sum(s.articles for s in summaries)} articles; dates and times in UTC")
