"""`scrapy shell [URL]`: Scrapy's, recording no run (crawler/cli/base_commands.py RecordsNoRun)."""

from __future__ import annotations

from scrapy.commands.shell import Command as ScrapyShellCommand

from crawler.cli.base_commands import RecordsNoRun


class Command(RecordsNoRun, ScrapyShellCommand):
    pass
