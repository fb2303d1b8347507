"""`scrapy serve`: the store over HTTP, read-only, in the Spaceflight News API v4's shape (crawler/api)."""

from __future__ import annotations

import argparse
import signal
import sys
from functools import partial

from crawler.cli.arguments import port_number
from crawler.cli.base_commands import StoreCommand
from crawler.cli.listen import listening_socket
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
        import uvicorn  # the web stack loads for this command only

        from crawler.api.app import create_app

        listener = listening_socket(opts.host, opts.port)
        host, port = listener.getsockname()[:2]
        shown = f"[{host}]" if ":" in host else host
        print(f"serving {display_url(store.engine.url)} read-only at http://{shown}:{port}/v4/articles/ "
              f"(API docs: http://{shown}:{port}/docs; Ctrl-C stops)", file=sys.stderr, flush=True)
        server = uvicorn.Server(uvicorn.Config(create_app(store), log_level="warning"))
        # uvicorn stops serving on SIGINT or SIGTERM, then raises the signal again for the handler it
        # found; as KeyboardInterrupt for both, stopping is the end of the job (exit 0), not a kill.
        for stop in (signal.SIGINT, signal.SIGTERM):
            signal.signal(stop, signal.default_int_handler)
        try:
            server.run(sockets=[listener])
        except KeyboardInterrupt:
            pass
        print("stopped serving", file=sys.stderr)
