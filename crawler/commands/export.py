"""`scrapy export`: stored articles as JSON Lines or CSV, streamed in constant memory."""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

from scrapy.exceptions import UsageError

from crawler import items
from crawler.db.cli import StoreCommand
from crawler.db.query import ArticleFilter
from crawler.db.store import Store

# In CSV a list becomes one cell, its items joined by this.
CSV_LIST_SEPARATOR = "; "


@contextmanager
def output(path: str | None) -> Iterator[TextIO]:
    """Standard output, or ``path`` written whole or not at all (via a .partial file), so a
    failed export never leaves a truncated file that looks complete."""
    if path is None:
        yield sys.stdout
        return
    target = Path(path)
    partial = target.with_name(target.name + ".partial")
    try:
        stream = partial.open("w", encoding="utf-8", newline="")
    except OSError as error:
        raise UsageError(f"cannot write {path}: {error.strerror}", print_help=False) from None
    try:
        with stream:
            yield stream
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def write_jsonl(stream: TextIO, records: Iterator[dict[str, Any]]) -> int:
    count = 0
    for count, record in enumerate(records, 1):
        stream.write(json.dumps(record, ensure_ascii=False) + "\n")
    return count


def write_csv(stream: TextIO, records: Iterator[dict[str, Any]]) -> int:
    writer = csv.DictWriter(stream, fieldnames=items.STORED_FIELDS)
    writer.writeheader()
    count = 0
    for count, record in enumerate(records, 1):
        writer.writerow({k: CSV_LIST_SEPARATOR.join(v) if isinstance(v, list) else v for k, v in record.items()})
    return count


WRITERS = {"jsonl": write_jsonl, "csv": write_csv}


class Command(StoreCommand):
    def syntax(self) -> str:
        return "[--format jsonl|csv] [-o FILE] [--site NAME] [--since DATE] [--until DATE]"

    def short_desc(self) -> str:
        return "Write stored articles as JSON Lines or CSV (oldest first, streamed)"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--format", choices=sorted(WRITERS),
                            help="default: csv when FILE ends in .csv, else jsonl")
        parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE (default: standard output)")

    def check_usage(self, args: list[str], opts: argparse.Namespace) -> None:
        if args:
            raise UsageError(f"export takes no arguments (got {' '.join(args)}); see --help", print_help=False)

    def run_with_store(self, store: Store, where: ArticleFilter, args: list[str], opts: argparse.Namespace) -> None:
        chosen = opts.format or ("csv" if (opts.output or "").lower().endswith(".csv") else "jsonl")
        records = (items.to_record(items.Article(**article.record())) for article in store.articles(where))
        with output(opts.output) as stream:
            count = WRITERS[chosen](stream, records)
        print(f"exported {count} article{'s' * (count != 1)} to {opts.output or 'standard output'}", file=sys.stderr)
