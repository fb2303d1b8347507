"""`scrapy retag`: tag stored articles with the current gazetteer, so an entry added to
crawler/knowledge/data reaches the articles stored before it."""

from __future__ import annotations

import argparse
import sys
import time

from scrapy.exceptions import UsageError

from crawler.cli.base_commands import StoreCommand
from crawler.db.query import ArticleFilter
from crawler.db.store import Store


class Command(StoreCommand):
    def syntax(self) -> str:
        return "[--site NAME,NAME] [--exclude-site NAME] [--since DATE] [--until DATE] [--entity NAME] [--batch N]"

    def short_desc(self) -> str:
        return "Tag stored articles with the current gazetteer's entities (streamed, a batch at a time)"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--batch", type=int, default=500, metavar="N",
                            help="articles read and written per transaction (default 500)")

    def check_usage(self, args: list[str], opts: argparse.Namespace) -> None:
        if args:
            raise UsageError(f"retag takes no arguments (got {' '.join(args)}); see --help", print_help=False)
        if opts.batch < 1:
            raise UsageError("--batch must be at least 1", print_help=False)

    def run_with_store(self, store: Store, where: ArticleFilter, args: list[str], opts: argparse.Namespace) -> None:
        started = time.monotonic()
        counts = store.retag(where, batch_size=opts.batch)
        seconds = time.monotonic() - started
        print(f"retagged {counts.articles} article{'s' * (counts.articles != 1)} in {seconds:.1f} s: "
              f"{counts.changed} with changed entities, {counts.articles - counts.changed} unchanged", file=sys.stderr)
