"""An extraction worker process: ``python -m crawler.spiders.extraction_worker``.

crawler.spiders.workers starts it and writes it pages as length-prefixed pickles of
``(site, url, html, fetched_at)`` on its stdin; it answers each with ``(True, article)`` or
``(False, exception)`` on its stdout, in the order the pages came. It imports no Scrapy, and it
ends when its stdin ends: when the crawl closes the pool, or when the crawl process dies, however
it dies.
"""

from __future__ import annotations

import os
import pickle
import struct
import sys
from typing import BinaryIO

from crawler.spiders.article_page import article_from_page

HEADER = struct.Struct("!Q")  # the length of the pickle that follows


def frame(message: object) -> bytes:
    payload = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    return HEADER.pack(len(payload)) + payload


def read_frame(stream: BinaryIO) -> object | None:
    """The next message on ``stream``; None at its end."""
    header = stream.read(HEADER.size)
    if len(header) < HEADER.size:
        return None
    return pickle.loads(stream.read(HEADER.unpack(header)[0]))


def outcome(request: tuple) -> bytes:
    try:
        return frame((True, article_from_page(*request)))
    except Exception as exc:  # the crawl logs it as that page's error and goes on
        try:
            return frame((False, exc))
        except Exception:  # an exception that does not pickle
            return frame((False, RuntimeError(f"{type(exc).__name__}: {exc}")))


def main() -> None:
    results = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    # Anything a library prints goes to stderr, beside the crawl's log, not into the results.
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    try:
        while (request := read_frame(sys.stdin.buffer)) is not None:
            results.write(outcome(request))
            results.flush()
    except BrokenPipeError:  # the crawl went away while this page was extracted: nobody to answer
        pass


if __name__ == "__main__":
    main()
