"""`scrapy shell [URL]`: Scrapy's, recording no run (crawler/cli/base_commands.py DEBUGGING_SETTINGS)."""

from __future__ import annotations

from scrapy.commands.shell import Command as ScrapyShellCommand

from crawler.cli.base_commands import DEBUGGING_SETTINGS


class Command(ScrapyShellCommand):
    default_settings = ScrapyShellCommand.default_settings | DEBUGGING_SETTINGS
