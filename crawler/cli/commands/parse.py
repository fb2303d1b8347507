"""`scrapy parse URL`: Scrapy's, recording no run (crawler/cli/base_commands.py RecordsNoRun),
and reading the page as an article of its site unless ``--callback`` names another of the
spider's callbacks (parse_feed, parse_listing): a site's spider has no ``parse``."""

from __future__ import annotations

import argparse

from scrapy.commands.parse import Command as ScrapyParseCommand

from crawler.cli.base_commands import RecordsNoRun


class Command(RecordsNoRun, ScrapyParseCommand):
    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        if not opts.callback and not opts.rules:
            opts.callback = "parse_article"
