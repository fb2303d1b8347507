"""`scrapy fetch URL`: Scrapy's, recording no run (crawler/cli/base_commands.py DEBUGGING_SETTINGS)."""

from __future__ import annotations

from scrapy.commands.fetch import Command as ScrapyFetchCommand

from crawler.cli.base_commands import DEBUGGING_SETTINGS


class Command(ScrapyFetchCommand):
    default_settings = ScrapyFetchCommand.default_settings | DEBUGGING_SETTINGS
