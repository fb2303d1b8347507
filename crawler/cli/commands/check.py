"""`scrapy check`: Scrapy's, recording no run (crawler/cli/base_commands.py RecordsNoRun)."""

from __future__ import annotations

from scrapy.commands.check import Command as ScrapyCheckCommand

from crawler.cli.base_commands import RecordsNoRun


class Command(RecordsNoRun, ScrapyCheckCommand):
    pass
