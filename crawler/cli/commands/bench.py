"""`scrapy bench`: Scrapy's, recording no run (crawler/cli/base_commands.py RecordsNoRun)."""

from __future__ import annotations

from scrapy.commands.bench import Command as ScrapyBenchCommand

from crawler.cli.base_commands import RecordsNoRun


class Command(RecordsNoRun, ScrapyBenchCommand):
    pass
