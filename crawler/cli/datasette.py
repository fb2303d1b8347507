"""The Datasette server behind `scrapy browse`: can the address be listened on, then serve the
store read-only, described as crawler/db/browse.py describes it.

The store is opened by Datasette as a mutable file, which it reads only through
``?mode=ro`` connections; not ``immutable``, which promises SQLite the file never changes and
so would show stale or broken pages while a crawl writes (the store is in WAL mode).
"""

from __future__ import annotations

import socket
import sqlite3
from pathlib import Path

from crawler.cli.base_commands import CommandError
from crawler.db.browse import DATABASE, MATCH_FUNCTION, match_expression, metadata


def check_can_listen(host: str, port: int) -> None:
    """CommandError when ``host:port`` cannot be served on (in use, not this machine's address),
    before "serving …" is printed: the web server would only log its own error and exit."""
    try:
        family, kind, protocol, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        with socket.socket(family, kind, protocol) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the web server binds
            probe.bind(address)
    except OSError as error:
        raise CommandError(f"cannot serve on {host}:{port}: {error.strerror or error}") from None


class _SpacecrawlPlugin:
    """Datasette plugin hooks, registered only while ``serve`` runs."""

    @staticmethod
    def prepare_connection(conn: sqlite3.Connection) -> None:
        conn.create_function(MATCH_FUNCTION, 1, match_expression, deterministic=True)


def serve(path: Path, host: str, port: int) -> None:
    """Serve the SQLite store at ``path`` until interrupted."""
    import uvicorn
    from datasette import hookimpl
    from datasette.app import Datasette
    from datasette.database import Database
    from datasette.plugins import pm

    hookimpl(_SpacecrawlPlugin.prepare_connection)
    pm.register(_SpacecrawlPlugin, name="spacecrawl")
    datasette = Datasette(metadata=metadata(), settings={"sql_time_limit_ms": 3000})
    datasette.add_database(Database(datasette, path=str(path), is_mutable=True), name=DATABASE)
    uvicorn.run(datasette.app(), host=host, port=port, log_level="warning", lifespan="on")
