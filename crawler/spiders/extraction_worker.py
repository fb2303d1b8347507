"""An extraction worker process: ``python -m crawler.spiders.extraction_worker``.

crawler.spiders.workers starts it and writes it pages as length-prefixed pickles of
``(site, url, body, encoding, fetched_at)`` (a response's bytes, decoded here) on its stdin; it
answers each with ``(True, article)`` or ``(False, exception)`` on its stdout, in the order the pages came, after a first ``READY`` once it
has imported extraction (so a page's time limit does not count the worker's start). It imports no Scrapy, and it
ends when its stdin ends: when the crawl closes the pool, or when the crawl process dies, however
it dies.
"""

from __future__ import annotations

import ctypes
import os
import pickle
import signal
import struct
import sys
from typing import BinaryIO

from crawler.spiders.article_page import article_from_body

HEADER = struct.Struct("!Q")  # the length of the pickle that follows
READY = "ready"  # its first message
PR_SET_PDEATHSIG = 1  # prctl(2): the signal this process gets when its parent dies


def frame(message: object) -> bytes:
    payload = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    return HEADER.pack(len(payload)) + payload


def read_frame(stream: BinaryIO) -> object | None:
    """The next message on ``stream``; None at its end."""
    header = stream.read(HEADER.size)
    if len(header) < HEADER.size:
        return None
    size = HEADER.unpack(header)[0]
    payload = stream.read(size)
    # A page cut short: the crawl died while writing it.
    return pickle.loads(payload) if len(payload) == size else None


def end_with_parent() -> None:
    """Ask Linux to kill this process when the crawl process dies (elsewhere: stdin's end does)."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass


def outcome(request: tuple) -> bytes:
    try:
        return frame((True, article_from_body(*request)))
    except Exception as exc:  # the crawl logs it as that page's error and goes on
        try:
            return frame((False, exc))
        except Exception:  # an exception that does not pickle
            return frame((False, RuntimeError(f"{type(exc).__name__}: {exc}")))


def main() -> None:
    end_with_parent()
    results = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    # Anything a library prints goes to stderr, beside the crawl's log, not into the results.
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    try:
        results.write(frame(READY))
        results.flush()
        while (request := read_frame(sys.stdin.buffer)) is not None:
            results.write(outcome(request))
            results.flush()
    except BrokenPipeError:  # the crawl went away while this page was extracted: nobody to answer
        pass


if __name__ == "__main__":
    main()
