"""`scrapy bench`: Scrapy's, recording no run (crawler/cli/base_commands.py DEBUGGING_SETTINGS)."""

from __future__ import annotations

from scrapy.commands.bench import Command as ScrapyBenchCommand

from crawler.cli.base_commands import DEBUGGING_SETTINGS


class Command(ScrapyBenchCommand):
    default_settings = ScrapyBenchCommand.default_settings | DEBUGGING_SETTINGS
