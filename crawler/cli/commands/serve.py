"""`scrapy serve`: the store over HTTP, read-only, in the Spaceflight News API v4's shape (crawler/api)."""

from __future__ import annotations

import argparse
import sys
from functools import partial

from crawler.cli.arguments import port_number
from crawler.cli.base_commands import StoreCommand
from crawler.cli.listen import base_url, listening_socket, serve_until_stopped
from crawler.db.engine import display_url
from crawler.db.query import ArticleFilter
from crawler.db.store import Store


class Command(StoreCommand):
    takes_filters = False

    def syntax(self) -> str:
        return "[--host 127.0.0.1] [--port 8000]"

    def short_desc(self) -> str:
        return "Serve the store as a read-only HTTP API, compatible with the Spaceflight News API v4's articles"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--port", type=partial(port_number, lowest=0), default=8000, metavar="N",
                            help="port to serve on (default 8000; 0: any free port, named when serving starts)")
        parser.add_argument("--host", default="127.0.0.1",
                            help="address to serve on (default 127.0.0.1: this machine only; 0.0.0.0: every network)")

    def run_with_store(self, store: Store, where: ArticleFilter, args: list[str], opts: argparse.Namespace) -> None:
        from crawler.api.app import create_app  # the web stack loads for this command only

        listener = listening_socket(opts.host, opts.port)
        url = base_url(listener)
        print(f"serving {display_url(store.engine.url)} read-only at {url}/v4/articles/ (API docs: {url}/docs; "
              "Ctrl-C stops)", file=sys.stderr, flush=True)
        serve_until_stopped(create_app(store), listener)
