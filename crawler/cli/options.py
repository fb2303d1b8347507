"""What every spacecrawl command does with options it does not know.

Scrapy parses a command line with ``parse_known_args``, so a mistyped option becomes an argument:
``scrapy search rocket --sinse 2024`` searched for "rocket --sinse 2024" and said "0 results".
"""

from __future__ import annotations

import argparse

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError


class KnownOptionsCommand(ScrapyCommand):
    """A Scrapy command for which an unknown ``--option`` is a one-line usage error.

    It lives outside crawler/cli/commands, where Scrapy would take it for a command of its own.
    """

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        unknown = next((arg for arg in args if arg.startswith("--") and arg != "--"), None)
        if unknown is not None:
            raise UsageError(f"unknown option {unknown.split('=', 1)[0]} (-h lists the options)", print_help=False)
        super().process_options(args, opts)
