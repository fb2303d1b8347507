"""What the commands that read the store share: filter options, the store from settings, and
errors as one line instead of a traceback.

It lives here, not in crawler/cli/commands, because Scrapy registers every command class found in
COMMANDS_MODULE as a command of its own.
"""

from __future__ import annotations

import argparse
import os
import sys
from abc import abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from scrapy.exceptions import UsageError

from crawler.cli.options import KnownOptionsCommand
from crawler.db.engine import StoreUnavailable, sqlite_file
from crawler.db.query import ArticleFilter, QueryError
from crawler.db.store import Store, article_filter, open_store


class CommandError(Exception):
    """The command cannot do what was asked (e.g. no such article); ``str()`` is one line."""


class StoreCommand(KnownOptionsCommand):
    requires_project = True
    requires_crawler_process = False
    takes_filters = True  # --site, --since, --until
    filters_by_author_and_tag = False

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        if not self.takes_filters:
            return
        group = parser.add_argument_group("Which articles")
        group.add_argument("--site", metavar="NAME", help="only this site")
        group.add_argument("--since", metavar="DATE",
                           help="published on or after DATE: 2021, 2021-09, 2021-09-15, 'last week', '3 days ago'")
        group.add_argument("--until", metavar="DATE",
                           help="published before DATE ends: '--until 2021-09' includes all of September")
        if self.filters_by_author_and_tag:
            group.add_argument("--author", metavar="NAME", help="an author's name contains NAME (any case)")
            group.add_argument("--tag", metavar="TAG", help="tagged TAG (whole tag, any case)")

    def article_filter(self, opts: argparse.Namespace) -> ArticleFilter:
        if not self.takes_filters:
            return ArticleFilter()
        try:
            return article_filter(site=opts.site, since=opts.since, until=opts.until,
                                  author=getattr(opts, "author", None), tag=getattr(opts, "tag", None))
        except ValueError as error:
            raise UsageError(str(error), print_help=False) from None

    def check_usage(self, args: list[str], opts: argparse.Namespace) -> None:
        """Raise UsageError for arguments the command cannot use (before the store is opened)."""

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.settings is not None
        self.check_usage(args, opts)
        where = self.article_filter(opts)
        url = self.settings["SPACECRAWL_DATABASE_URL"]
        try:
            missing = sqlite_file(url)
            if missing is not None and not missing.exists():  # a typo in the path, or nothing crawled yet
                raise CommandError(f"no store at {missing}: crawl into it first (scrapy crawl NAME), "
                                   "or point SPACECRAWL_DATABASE_URL at the one you mean")
            with open_store(url) as store:
                self.run_with_store(store, where, args, opts)
        except (StoreUnavailable, QueryError, CommandError) as error:
            print(f"error: {error}", file=sys.stderr)
            self.exitcode = 1
        except BrokenPipeError:  # `scrapy export | head`: the reader has all it wants
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())

    @abstractmethod
    def run_with_store(self, store: Store, where: ArticleFilter, args: list[str], opts: argparse.Namespace) -> None:
        """The command's work on the open store, for the articles ``where`` selects."""


@contextmanager
def output(path: str | None) -> Iterator[BinaryIO]:
    """Standard output, or ``path`` written whole or not at all (via a .partial file), so a
    failed command never leaves a truncated file that looks complete."""
    if path is None:
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    target = Path(path)
    partial = target.with_name(target.name + ".partial")
    try:
        stream = partial.open("wb")
    except OSError as error:
        raise UsageError(f"cannot write {path}: {error.strerror}", print_help=False) from None
    try:
        with stream:
            yield stream
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def json_ready(value: object) -> object:
    """``json.dumps(default=json_ready)``: datetimes as ISO 8601."""
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """Rows as aligned text columns; None shows as "-", datetimes to the minute."""
    def shown(value: object) -> str:
        if value is None:
            return "-"
        return f"{value:%Y-%m-%d %H:%M}" if isinstance(value, datetime) else str(value)

    cells = [list(headers), *([shown(v) for v in row] for row in rows)]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    return "\n".join("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in cells)
