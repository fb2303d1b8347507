"""Saved pages given on the command line: read as text, and the address they came from."""

from __future__ import annotations

import gzip
from pathlib import Path

from scrapy.exceptions import UsageError

from crawler.extraction import decode_html
from crawler.sitekit.fixtures import declared_url


def read_page(path: Path) -> str:
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    return decode_html(data)


def page_address(html: str, given: str | None, page: str) -> str:
    """The address a saved page was fetched from: --url, else the canonical URL it declares."""
    url = given or declared_url(html)
    if not url:
        raise UsageError(f"{page} declares no canonical URL: give the address it came from with --url",
                         print_help=False)
    return url
