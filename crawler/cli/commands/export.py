"""`scrapy export`: stored articles as JSON Lines, CSV or Parquet, streamed in constant memory."""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any, BinaryIO

from scrapy.exceptions import UsageError

from crawler import items
from crawler.cli.store_command import CommandError, StoreCommand, output
from crawler.db.query import ArticleFilter
from crawler.db.store import Store

# In CSV a list becomes one cell, its items joined by this.
CSV_LIST_SEPARATOR = "; "
# Rows per Parquet row group: what the writer holds at once (a few MB of article text), and
# large enough for columnar compression and for readers to skip groups.
PARQUET_ROW_GROUP_ROWS = 2000

Records = Iterable[dict[str, Any]]  # crawler.items.STORED_FIELDS, datetimes as datetimes


def _iso_dates(records: Records) -> Iterator[dict[str, Any]]:
    return (items.to_record(items.Article(**record)) for record in records)


def write_jsonl(stream: BinaryIO, records: Records) -> int:
    text = io.TextIOWrapper(stream, encoding="utf-8", newline="", write_through=True)
    count = 0
    for count, record in enumerate(_iso_dates(records), 1):
        text.write(json.dumps(record, ensure_ascii=False) + "\n")
    text.detach()  # the caller owns (and closes) the stream
    return count


def write_csv(stream: BinaryIO, records: Records) -> int:
    text = io.TextIOWrapper(stream, encoding="utf-8", newline="", write_through=True)
    writer = csv.DictWriter(text, fieldnames=items.STORED_FIELDS)
    writer.writeheader()
    count = 0
    for count, record in enumerate(_iso_dates(records), 1):
        writer.writerow({k: CSV_LIST_SEPARATOR.join(v) if isinstance(v, list) else v for k, v in record.items()})
    text.detach()
    return count


def parquet_schema():  # type: ignore[no-untyped-def]
    """The Arrow schema of an exported article: lists as lists, dates as UTC timestamps."""
    import pyarrow as pa

    special = {"authors": pa.list_(pa.string()), "tags": pa.list_(pa.string()), "word_count": pa.int64()}
    timestamp = pa.timestamp("us", tz="UTC")
    return pa.schema([(name, special.get(name, timestamp if name in ("published", "modified", "fetched_at")
                                         else pa.string())) for name in items.STORED_FIELDS])


def write_parquet(stream: BinaryIO, records: Records) -> int:
    """Records as Parquet, one row group per PARQUET_ROW_GROUP_ROWS, so memory stays flat."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise CommandError("Parquet export needs pyarrow: pip install -r requirements.txt") from None
    schema = parquet_schema()
    count = 0
    rows = iter(records)
    with pq.ParquetWriter(stream, schema, compression="zstd") as writer:
        while batch := list(islice(rows, PARQUET_ROW_GROUP_ROWS)):
            writer.write_batch(pa.RecordBatch.from_pylist(batch, schema=schema))
            count += len(batch)
    return count


WRITERS = {"jsonl": write_jsonl, "csv": write_csv, "parquet": write_parquet}


def chosen_format(requested: str | None, path: str | None) -> str:
    """The format asked for, else the one FILE's extension names, else JSON Lines."""
    if requested:
        return requested
    extension = (path or "").rsplit(".", 1)[-1].lower()
    return extension if extension in WRITERS else "jsonl"


class Command(StoreCommand):
    def syntax(self) -> str:
        return "[--format jsonl|csv|parquet] [-o FILE] [--site NAME] [--since DATE] [--until DATE]"

    def short_desc(self) -> str:
        return "Write stored articles as JSON Lines, CSV or Parquet (oldest first, streamed)"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--format", choices=sorted(WRITERS),
                            help="default: from FILE's extension (.csv, .parquet), else jsonl")
        parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE (default: standard output)")

    def check_usage(self, args: list[str], opts: argparse.Namespace) -> None:
        if args:
            raise UsageError(f"export takes no arguments (got {' '.join(args)}); see --help", print_help=False)
        if chosen_format(opts.format, opts.output) == "parquet" and opts.output is None:
            raise UsageError("Parquet goes to a file: add -o FILE.parquet", print_help=False)

    def run_with_store(self, store: Store, where: ArticleFilter, args: list[str], opts: argparse.Namespace) -> None:
        records = (article.record() for article in store.articles(where))
        with output(opts.output) as stream:
            count = WRITERS[chosen_format(opts.format, opts.output)](stream, records)
        print(f"exported {count} article{'s' * (count != 1)} to {opts.output or 'standard output'}", file=sys.stderr)
