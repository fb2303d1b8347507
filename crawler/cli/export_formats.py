"""The formats `scrapy export` writes: JSON Lines, CSV and Parquet, each streamed from records
to a binary stream in constant memory; ``WRITERS`` by name."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any, BinaryIO

from crawler import items
from crawler.cli.errors import CommandError

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
    try:
        for count, record in enumerate(_iso_dates(records), 1):
            text.write(json.dumps(record, ensure_ascii=False) + "\n")
    finally:
        text.detach()  # the caller owns (and closes) the stream, also when a write failed
    return count


def csv_cell(value: Any) -> Any:
    """A value as one CSV cell: a list of names joined by CSV_LIST_SEPARATOR; entities
    ({"name", "kind", "id"}) as their names; anything else as it is."""
    if not isinstance(value, list):
        return value
    return CSV_LIST_SEPARATOR.join(item["name"] if isinstance(item, dict) else str(item) for item in value)


def write_csv(stream: BinaryIO, records: Records) -> int:
    text = io.TextIOWrapper(stream, encoding="utf-8", newline="", write_through=True)
    writer = csv.DictWriter(text, fieldnames=items.STORED_FIELDS)
    count = 0
    try:
        writer.writeheader()
        for count, record in enumerate(_iso_dates(records), 1):
            writer.writerow({k: csv_cell(v) for k, v in record.items()})
    finally:
        text.detach()  # (see write_jsonl)
    return count


def parquet_schema():  # type: ignore[no-untyped-def]
    """The Arrow schema of an exported article: lists as lists, dates as UTC timestamps."""
    import pyarrow as pa

    entity = pa.struct([("name", pa.string()), ("kind", pa.string()), ("id", pa.string())])
    special = {"authors": pa.list_(pa.string()), "tags": pa.list_(pa.string()), "word_count": pa.int64(),
               "entities": pa.list_(entity), "story_id": pa.int64()}
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
