"""What commands write: a file whole or not at all, JSON with dates, aligned text tables."""

from __future__ import annotations

import io
import os
import stat
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from crawler.cli.errors import CommandError


def write_error(path: str | None, error: OSError) -> CommandError:
    """The one-line error for an output that cannot be written (a full disk, a closed device): the
    command failed (exit 1); how it was asked was right."""
    return CommandError(f"cannot write {path or 'standard output'}: {error.strerror or error}")


@contextmanager
def output(path: str | None) -> Iterator[BinaryIO]:
    """Where a command writes: standard output for None or ``-``; a device, FIFO or terminal
    written in place (renaming over it would replace it with a plain file); else the regular file
    at ``path``, or at the end of its symlinks, written whole or not at all (via a .partial file
    renamed over it), so a failed command never leaves a truncated file that looks complete."""
    if path in (None, "-"):
        try:
            yield sys.stdout.buffer
            sys.stdout.buffer.flush()
        except OSError as error:
            silence_stdout()
            if not isinstance(error, BrokenPipeError):  # `| head` has all it wants: done
                raise write_error(None, error) from None
        return
    target = Path(os.path.realpath(path))  # a link's target is written; the link stays
    try:
        special = target.exists() and not stat.S_ISREG(target.stat().st_mode)
    except OSError as error:
        raise write_error(path, error) from None
    if special:
        try:
            with target.open("wb") as stream:
                yield stream
        except OSError as error:
            raise write_error(path, error) from None
        return
    partial = target.with_name(target.name + ".partial")
    try:
        stream = partial.open("wb")
    except OSError as error:
        raise write_error(path, error) from None
    try:
        with stream:
            yield stream
        os.replace(partial, target)
    except OSError as error:
        raise write_error(path, error) from None
    finally:
        partial.unlink(missing_ok=True)


@contextmanager
def text_output(path: str | None) -> Iterator[io.TextIOWrapper]:
    """``output(path)`` for text (UTF-8)."""
    with output(path) as stream:
        text = io.TextIOWrapper(stream, encoding="utf-8", write_through=True)
        try:
            yield text
        finally:
            text.detach()  # closing is output()'s job (never standard output's)


def flush_stdout() -> None:
    """Flush what a command printed, so that a full disk or a closed pipe behind standard output is
    a one-line error (CommandError) now, not a traceback when Python exits."""
    try:
        sys.stdout.flush()
    except OSError as error:
        silence_stdout()
        if not isinstance(error, BrokenPipeError):
            raise write_error(None, error) from None


def silence_stdout() -> None:
    """What is still buffered for standard output goes nowhere, rather than failing again at exit."""
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


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


def reasons_text(counts: Mapping[str, int]) -> str:
    """Counts by reason as "duplicate_url 1, not_article 2" (by reason), "none" when there are none."""
    return ", ".join(f"{reason} {count}" for reason, count in sorted(counts.items())) or "none"
