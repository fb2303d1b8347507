"""`scrapy export`: stored articles as JSON Lines, CSV or Parquet, streamed in constant memory."""

from __future__ import annotations

import argparse
import sys

from scrapy.exceptions import UsageError

from crawler.cli.base_commands import StoreCommand
from crawler.cli.export_formats import WRITERS
from crawler.cli.output import output
from crawler.db.query import ArticleFilter
from crawler.db.store import Store


def chosen_format(requested: str | None, path: str | None) -> str:
    """The format asked for, else the one FILE's extension names, else JSON Lines."""
    if requested:
        return requested
    extension = (path or "").rsplit(".", 1)[-1].lower()
    return extension if extension in WRITERS else "jsonl"


class Command(StoreCommand):
    def syntax(self) -> str:
        return ("[--format jsonl|csv|parquet] [-o FILE] [--site NAME,NAME] [--exclude-site NAME] [--since DATE] "
                "[--until DATE] [--entity NAME] [--one-per-story]")

    def short_desc(self) -> str:
        return "Write stored articles as JSON Lines, CSV or Parquet (oldest first, streamed)"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--format", choices=sorted(WRITERS),
                            help="default: from FILE's extension (.csv, .parquet), else jsonl")
        parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE (default: standard output)")
        parser.add_argument("--one-per-story", action="store_true",
                            help="one article per story (copies and other reports of one event): the first stored")

    def check_usage(self, args: list[str], opts: argparse.Namespace) -> None:
        if args:
            raise UsageError(f"export takes no arguments (got {' '.join(args)}); see --help", print_help=False)
        if chosen_format(opts.format, opts.output) == "parquet" and opts.output is None:
            raise UsageError("Parquet goes to a file: add -o FILE.parquet", print_help=False)

    def run_with_store(self, store: Store, where: ArticleFilter, args: list[str], opts: argparse.Namespace) -> None:
        records = (article.record() for article in store.articles(where, one_per_story=opts.one_per_story))
        count = None
        with output(opts.output) as stream:
            count = WRITERS[chosen_format(opts.format, opts.output)](stream, records)
        if count is None:  # its reader closed standard output (`| head`): it has what it wanted
            return
        shown = "standard output" if opts.output in (None, "-") else opts.output
        print(f"exported {count} article{'s' * (count != 1)} to {shown}", file=sys.stderr)
