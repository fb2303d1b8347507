"""The Datasette app behind `scrapy browse`: the store read-only, described as
crawler/db/browse.py describes it.

The store is opened by Datasette as a mutable file, which it reads only through
``?mode=ro`` connections; not ``immutable``, which promises SQLite the file never changes and
so would show stale or broken pages while a crawl writes (the store is in WAL mode).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from crawler.db.browse import DATABASE, ERROR_FUNCTION, MATCH_FUNCTION, match_expression, metadata, query_error


def highlighted(snippet: str) -> str:
    """A snippet's ``**matches**`` as HTML ``<mark>``, the rest escaped."""
    from markupsafe import escape  # Datasette's (Jinja's); imported when serving, as Datasette is

    return re.sub(r"\*\*(.+?)\*\*", r"<mark>\1</mark>", str(escape(snippet)))


async def _method_not_allowed(send: Callable[[dict[str, Any]], Awaitable[None]]) -> None:
    await send({"type": "http.response.start", "status": 405,
                "headers": [(b"allow", b"GET, HEAD"), (b"content-type", b"text/plain; charset=utf-8")]})
    await send({"type": "http.response.body", "body": b"read-only: use GET, e.g. /spacecrawl/search?q=rocket\n"})


class _SpacecrawlPlugin:
    """Datasette plugin hooks, registered only while ``serve`` runs."""

    @staticmethod
    def prepare_connection(conn: sqlite3.Connection) -> None:
        conn.create_function(MATCH_FUNCTION, 1, match_expression, deterministic=True)
        conn.create_function(ERROR_FUNCTION, 1, query_error, deterministic=True)

    @staticmethod
    def render_cell(value: object, column: str, database: str) -> object:
        if database == DATABASE and column == "snippet" and isinstance(value, str):
            from markupsafe import Markup

            return Markup(highlighted(value))
        return None

    @staticmethod
    def asgi_wrapper() -> Callable[[Any], Any]:
        """The store is served read-only: a POST (Datasette 0.65 answers one to a canned query
        with an error 500) is refused with 405."""
        def wrap(app: Any) -> Any:
            async def read_only(scope: dict[str, Any], receive: Any, send: Any) -> None:
                if scope["type"] == "http" and scope["method"] not in ("GET", "HEAD"):
                    await _method_not_allowed(send)
                else:
                    await app(scope, receive, send)

            return read_only

        return wrap


def datasette_app(path: Path) -> Any:
    """The ASGI app of Datasette serving the SQLite store at ``path``."""
    from datasette import hookimpl
    from datasette.app import Datasette
    from datasette.database import Database
    from datasette.plugins import pm

    for hook in (_SpacecrawlPlugin.prepare_connection, _SpacecrawlPlugin.render_cell, _SpacecrawlPlugin.asgi_wrapper):
        hookimpl(hook)
    pm.register(_SpacecrawlPlugin, name="spacecrawl")
    datasette = Datasette(metadata=metadata(), settings={"sql_time_limit_ms": 3000})
    datasette.add_database(Database(datasette, path=str(path), is_mutable=True), name=DATABASE)
    return datasette.app()
