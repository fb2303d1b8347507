"""`scrapy check`: Scrapy's, recording no run (crawler/cli/base_commands.py DEBUGGING_SETTINGS)."""

from __future__ import annotations

from scrapy.commands.check import Command as ScrapyCheckCommand

from crawler.cli.base_commands import DEBUGGING_SETTINGS


class Command(ScrapyCheckCommand):
    default_settings = ScrapyCheckCommand.default_settings | DEBUGGING_SETTINGS
