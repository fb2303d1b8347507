"""`scrapy fetch URL`: Scrapy's, recording no run (crawler/cli/base_commands.py RecordsNoRun)."""

from __future__ import annotations

from scrapy.commands.fetch import Command as ScrapyFetchCommand

from crawler.cli.base_commands import RecordsNoRun


class Command(RecordsNoRun, ScrapyFetchCommand):
    pass
