"""`scrapy browse`: the store in a web browser, through Datasette, read-only on 127.0.0.1."""

from __future__ import annotations

import argparse
import sys
from functools import partial
from pathlib import Path

from crawler.cli.arguments import port_number
from crawler.cli.base_commands import StoreCommand
from crawler.cli.datasette import datasette_app
from crawler.cli.errors import CommandError
from crawler.cli.listen import base_url, listening_socket, serve_until_stopped
from crawler.db.browse import DATABASE
from crawler.db.engine import display_url
from crawler.db.query import ArticleFilter
from crawler.db.store import Store


class Command(StoreCommand):
    takes_filters = False

    def syntax(self) -> str:
        return "[--port N] [--host 127.0.0.1]"

    def short_desc(self) -> str:
        return "Browse the store in a web browser (Datasette, read-only): search, facets, canned queries"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--port", type=partial(port_number, lowest=0), default=8001, metavar="N",
                            help="port to serve on (default 8001; 0: any free port, named when serving starts)")
        parser.add_argument("--host", default="127.0.0.1",
                            help="address to serve on (default 127.0.0.1: this machine only)")

    def run_with_store(self, store: Store, where: ArticleFilter, args: list[str], opts: argparse.Namespace) -> None:
        url = store.engine.url
        if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
            raise CommandError(
                f"browse serves SQLite stores only, not {display_url(url)}; copy the articles into one: "
                "scrapy export -o articles.jsonl, then in Python open_store('sqlite:///data/browse.db', create=True)"
                ".save(map(json.loads, open('articles.jsonl')))")
        path = Path(url.database).resolve()
        listener = listening_socket(opts.host, opts.port)
        print(f"serving {path} read-only at {base_url(listener)}/{DATABASE}/articles (Ctrl-C stops)",
              file=sys.stderr, flush=True)
        serve_until_stopped(datasette_app(path), listener, lifespan="on")
