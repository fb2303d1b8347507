"""What commands write: a file whole or not at all, JSON with dates, aligned text tables."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from scrapy.exceptions import UsageError


@contextmanager
def output(path: str | None) -> Iterator[BinaryIO]:
    """Standard output, or ``path`` written whole or not at all (via a .partial file), so a
    failed command never leaves a truncated file that looks complete."""
    if path is None:
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    target = Path(path)
    partial = target.with_name(target.name + ".partial")
    try:
        stream = partial.open("wb")
    except OSError as error:
        raise UsageError(f"cannot write {path}: {error.strerror}", print_help=False) from None
    try:
        with stream:
            yield stream
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def json_ready(value: object) -> object:
    """``json.dumps(default=json_ready)``: datetimes as ISO 8601."""
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """Rows as aligned text columns; None shows as "-", datetimes to the minute."""
    def shown(value: object) -> str:
        if value is None:
            return "-"
        return f"{value:%Y-%m-%d %H:%M}" if isinstance(value, datetime) else str(value)

    cells = [list(headers), *([shown(v) for v in row] for row in rows)]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    return "\n".join("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in cells)
