"""The base classes of spacecrawl's commands, and the one-line error they print.

They live here, not in crawler/cli/commands, because Scrapy registers every command class found in
COMMANDS_MODULE as a command of its own.

Every command refuses options it does not know. Scrapy parses a command line with
``parse_known_args``, so a mistyped option became an argument: ``scrapy search rocket --sinse 2024``
searched for "rocket --sinse 2024" and said "0 results". The commands that read the store share
filter options, the store from settings, and errors as one line instead of a traceback.
"""

from __future__ import annotations

import argparse
import sys
from abc import abstractmethod
from contextlib import closing
from typing import NoReturn

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError
from scrapy.settings import SETTINGS_PRIORITIES

from crawler.cli.arguments import site_list, site_named
from crawler.cli.errors import CommandError
from crawler.cli.output import flush_stdout, silence_stdout, write_error
from crawler.db.engine import StoreUnavailable
from crawler.db.query import ArticleFilter, QueryError
from crawler.db.store import Store, article_filter, open_store
from crawler.knowledge import shipped_gazetteer
from crawler.ops.log_formatter import log_scrapy_dumps_at_debug_on_terminal
from crawler.setting_checks import check_log_level, check_settings


class RecordsNoRun(ScrapyCommand):
    """Scrapy's debugging commands (parse, fetch, shell, check, bench) run a site's spider on a page
    or two. That is no run of the site: it must not be recorded, judged by run health (a "no
    articles" alert) or reset the scheduler's clock, so they run without the store (and so without
    either), unless ``-s SPACECRAWL_STORE_ENABLED=1`` asks for it. (A command's default_settings
    rank below the project's, so they would not do.)"""

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        assert self.settings is not None
        if (self.settings.getpriority("SPACECRAWL_STORE_ENABLED") or 0) < SETTINGS_PRIORITIES["cmdline"]:
            self.settings.set("SPACECRAWL_STORE_ENABLED", False, priority="cmdline")


class KnownOptionsCommand(ScrapyCommand):
    """A Scrapy command whose usage errors are one line, ``scrapy: error: …`` (exit 2), an unknown
    ``--option`` among them, and whose failures are one line, ``error: …`` (exit 1)."""

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        # Scrapy's parser prints its usage banner (four lines) above every usage error, the errors
        # that Scrapy raises (UsageError) and those of argparse (a bad --port) alike.
        parser.error = one_line_usage_error  # type: ignore[method-assign]

    def fail(self, error: BaseException) -> None:
        """End the command as failed (exit 1), saying why in one line."""
        print(f"error: {error}", file=sys.stderr)
        self.exitcode = 1

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        unknown = next((arg for arg in args if arg.startswith("--") and arg != "--"), None)
        if unknown is not None:
            raise UsageError(f"unknown option {unknown.split('=', 1)[0]} (-h lists the options)", print_help=False)
        super().process_options(args, opts)
        assert self.settings is not None
        check_log_level(self.settings)  # Scrapy sets up logging with it before the command runs
        log_scrapy_dumps_at_debug_on_terminal()


def one_line_usage_error(message: str) -> NoReturn:
    """``argparse.ArgumentParser.error`` without the usage banner: ``-h`` shows it."""
    sys.stderr.write(f"scrapy: error: {message}\n")
    sys.exit(2)


class StoreCommand(KnownOptionsCommand):
    requires_project = True
    requires_crawler_process = False
    takes_filters = True  # --site, --exclude-site, --since, --until, --entity
    filters_by_author_and_tag = False

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        if not self.takes_filters:
            return
        group = parser.add_argument_group("Which articles")
        group.add_argument("--site", metavar="NAME[,NAME]", help="only these sites")
        group.add_argument("--exclude-site", metavar="NAME[,NAME]", help="not these sites")
        group.add_argument("--since", metavar="DATE",
                           help="published on or after DATE: 2021, 2021-09, 2021-09-15, 'last week', '3 days ago'")
        group.add_argument("--until", metavar="DATE",
                           help="published before DATE ends: '--until 2021-09' includes all of September")
        group.add_argument("--entity", metavar="NAME",
                           help="mentioning this agency, company, vehicle, spacecraft, mission, person or place: "
                                "a name or alias in any language, or an id (any case)")
        if self.filters_by_author_and_tag:
            group.add_argument("--author", metavar="NAME", help="an author's name contains NAME (any case)")
            group.add_argument("--tag", metavar="TAG", help="tagged TAG (whole tag, any case)")

    def article_filter(self, opts: argparse.Namespace) -> ArticleFilter:
        if not self.takes_filters:
            return ArticleFilter()
        try:
            return article_filter(site=site_list(opts.site, "--site"),
                                  exclude_site=site_list(opts.exclude_site, "--exclude-site"),
                                  since=opts.since, until=opts.until,
                                  author=getattr(opts, "author", None), tag=getattr(opts, "tag", None),
                                  entity=opts.entity)
        except ValueError as error:
            raise UsageError(str(error), print_help=False) from None

    def check_usage(self, args: list[str], opts: argparse.Namespace) -> None:
        """Raise UsageError for arguments the command cannot use (before the store is opened)."""

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.settings is not None
        check_settings(self.settings)
        self.check_usage(args, opts)
        where = self.article_filter(opts)
        url = self.settings["SPACECRAWL_DATABASE_URL"]
        try:
            with open_store(url) as store:
                for site in self.sites_named(where, opts):
                    self.check_site(store, site)
                if where.entity:
                    self.check_entity(store, where.entity)
                self.run_with_store(store, where, args, opts)
            flush_stdout()
        except QueryError as error:  # a query that does not read: usage, as a typo in an option is
            raise UsageError(str(error), print_help=False) from None
        except (StoreUnavailable, CommandError) as error:
            self.fail(error)
        except BrokenPipeError:  # `scrapy search rocket | head`: the reader has all it wants
            silence_stdout()
        except OSError as error:
            if error.filename is not None:  # not a write to standard output (those name no file)
                raise
            silence_stdout()
            self.fail(write_error(None, error))

    def sites_named(self, where: ArticleFilter, opts: argparse.Namespace) -> tuple[str, ...]:
        """The sites the command line names, each checked (check_site) before the command runs."""
        return where.sites + where.exclude_sites

    def check_site(self, store: Store, site: str) -> None:
        """UsageError for a --site that is neither in the store nor a site of ours (a typo), rather
        than "0 results"; a site not crawled yet, or stored but since removed, is no error."""
        assert self.settings is not None
        with closing(store.articles(site=site)) as stored:
            if next(stored, None) is not None:
                return
        site_named(site, self.settings.get("SPACECRAWL_SITES_FILE"))

    def check_entity(self, store: Store, name: str) -> None:
        """UsageError for an --entity the gazetteer does not know and no stored article mentions
        (a typo), naming the closest name, rather than "0 results"."""
        if shipped_gazetteer().ids_named(name):
            return
        with closing(store.articles(entity=name)) as stored:
            if next(stored, None) is not None:
                return
        closest = shipped_gazetteer().closest(name)
        raise UsageError(f"unknown entity {name!r}" + (f"; did you mean {closest!r}?" if closest else
                                                        " (crawler/knowledge/data lists the known ones)"),
                         print_help=False)

    @abstractmethod
    def run_with_store(self, store: Store, where: ArticleFilter, args: list[str], opts: argparse.Namespace) -> None:
        """The command's work on the open store, for the articles ``where`` selects."""
