"""A database URL becomes an engine; the schema is brought to the latest migration in code.

SQLite (the default) gets its folder created and the pragmas a crawler wants: WAL so readers
(``scrapy search``) never block the crawl writing, ``synchronous=NORMAL`` (safe with WAL, one
fsync per checkpoint instead of per commit), foreign keys on, and a busy timeout so two writers
wait for each other instead of failing. PostgreSQL goes through psycopg 3; a plain
``postgresql://`` or ``postgres://`` URL is taken to mean that driver.

A database that cannot be reached, or a URL that cannot be used, raises ``StoreUnavailable``
whose message is one line fit to print: ``cannot open postgresql://…: Connection refused``.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, exc
from sqlalchemy.engine import URL, make_url

from crawler.db.migrations import script_directory

# Any fixed number: held while migrating so two processes starting at once don't both create tables.
MIGRATION_LOCK_ID = 0x5C_A3_C2_A1


# libpq's connection parameters: how long a PostgreSQL connection may go without a reply from its peer.
DEAD_PEER_TIMEOUTS = {"connect_timeout": 10, "keepalives": 1, "keepalives_idle": 10, "keepalives_interval": 5,
                      "keepalives_count": 3, "tcp_user_timeout": 30_000}


class StoreUnavailable(RuntimeError):
    """The database cannot be opened or has gone away; ``str()`` is one line naming it and why."""


# How a reader may name PostgreSQL: SQLAlchemy knows ``postgresql://`` (as psycopg2's) and refuses
# ``postgres://`` (Heroku's, libpq's), but both mean the server; the store talks to it through psycopg 3.
POSTGRESQL_SCHEMES = frozenset({"postgres", "postgresql"})
BACKENDS = ("sqlite", "postgresql")
URL_SHAPE = ("write it as DRIVER://USER:PASSWORD@HOST:PORT/DATABASE, e.g. sqlite:///data/spacecrawl.db or "
             "postgresql://user@host/db")


def parse_url(url: URL | str | None) -> URL:
    """``url`` parsed, ``postgres://`` and ``postgresql://`` as ``postgresql+psycopg://``; one that does
    not parse, or names another database, is a StoreUnavailable saying what is wrong with it in one
    line, which shows none of the URL's text: a password may be in there."""
    if not isinstance(url, URL):
        url = _parsed(url or "")
    backend, _, driver = url.drivername.partition("+")
    if backend in POSTGRESQL_SCHEMES:
        url = url.set(drivername=f"postgresql+{driver or 'psycopg'}")
    if url.get_backend_name() not in BACKENDS:
        raise StoreUnavailable(f"cannot open the {url.get_backend_name()} database: only sqlite and postgresql "
                               "are supported")
    return url


def _parsed(text: str) -> URL:
    if not text.strip():
        raise StoreUnavailable(f"no database URL (it is empty); {URL_SHAPE}")
    scheme = text.split("://", 1)[0] if "://" in text else None
    if scheme is None:
        raise StoreUnavailable(f"cannot open the database: its URL has no DRIVER:// in front (a SQLite file is "
                               f"sqlite:///PATH, three slashes; sqlite:////PATH when PATH is absolute); {URL_SHAPE}")
    try:
        parsed = make_url(text)
    except ValueError:  # int() of the port
        raise StoreUnavailable(f"cannot open the {scheme} database: the port in its URL is not a number; {URL_SHAPE}, "
                               "with @ : / in the password written %40 %3A %2F") from None
    except exc.ArgumentError:
        raise StoreUnavailable(f"cannot open the {scheme} database: its URL does not parse; {URL_SHAPE}") from None
    if "@" in (parsed.host or ""):
        raise StoreUnavailable(f"cannot open the {scheme} database: its URL has an @ in the password; write @ : / "
                               "in the password as %40 %3A %2F")
    return parsed


def display_url(url: URL | str) -> str:
    """The URL without its password, for messages; a SQLite file's path made absolute (the default
    one is relative to the folder the command runs in)."""
    try:
        parsed = parse_url(url)
    except StoreUnavailable:
        return "(a database URL that does not parse)"
    path = sqlite_file(parsed)
    if path is not None:
        parsed = parsed.set(database=os.path.abspath(path))
    return parsed.render_as_string(hide_password=True)


def unavailable(url: URL | str, error: BaseException) -> StoreUnavailable:
    """A StoreUnavailable naming ``url`` and the driver's reason, reduced to its first line."""
    original = getattr(error, "orig", None) or error
    reason = (str(original).strip().splitlines() or [type(original).__name__])[0]
    # psycopg: "connection failed: connection to server at "h", port 1 failed: Connection refused"
    reason = reason.rsplit(" failed: ", 1)[-1].removeprefix("FATAL:").strip()
    return StoreUnavailable(f"cannot open {display_url(url)}: {reason}")


# SQLSTATE classes of a PostgreSQL error about the data, not the database: 22 data exception, 23
# integrity, 54 program limit (a value over what the server stores, such as a tsvector over 1 MB).
# psycopg raises some of them as OperationalError, which otherwise means the database is away.
REFUSED_DATA = frozenset({"22", "23", "54"})


@contextmanager
def reporting_unavailable(url: URL | str) -> Iterator[None]:
    """Turn "the database is not there" errors raised inside into StoreUnavailable; errors in
    our own SQL or data stay what they are."""
    try:
        yield
    except (exc.OperationalError, exc.InterfaceError) as error:
        if (getattr(error.orig, "sqlstate", None) or "")[:2] in REFUSED_DATA:
            raise  # the database answered, and refused what it was given
        raise unavailable(url, error) from error
    except exc.DatabaseError as error:
        if getattr(error, "connection_invalidated", False) or "not a database" in str(error.orig):
            raise unavailable(url, error) from error
        raise
    except OSError as error:
        raise unavailable(url, error) from error


def make_engine(url: str) -> Engine:
    """An engine for ``url`` (SQLite or PostgreSQL), nothing connected yet."""
    parsed = parse_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(parsed)
    # Without them a host that drops packets makes a crawl hang for minutes before saying so:
    # connect_timeout bounds a new connection; TCP keepalives and tcp_user_timeout (ms: data
    # sent and not acknowledged) end an open one whose server or network went away. A server
    # that is there but does not answer is the store's to report (pipelines/store.py).
    connect_args = {name: value for name, value in DEAD_PEER_TIMEOUTS.items() if name not in parsed.query}
    try:
        return create_engine(parsed, pool_pre_ping=True, connect_args=connect_args)
    except (ImportError, exc.ArgumentError) as error:
        raise unavailable(parsed, error) from None


def sqlite_file(url: URL | str) -> Path | None:
    """The file of a SQLite URL; None for other databases, an in-memory one or a ``file:`` URI."""
    try:
        parsed = parse_url(url)
    except StoreUnavailable:
        return None
    database = parsed.database or ""
    if parsed.get_backend_name() != "sqlite" or database in ("", ":memory:") or database.startswith("file:"):
        return None
    return Path(database).expanduser()


class WriterTurns:
    """This process's writers to one SQLite file, taking turns (see ``one_writer_at_a_time``), and
    when the last turn ended: a writer waiting its turn knows the database is answering."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.last_ended = time.monotonic()

    def __enter__(self) -> None:
        self.lock.acquire()

    def __exit__(self, error_type: type[BaseException] | None, *_: object) -> None:
        if error_type is None:  # a write that failed (another process held the file) is no answer
            self.last_ended = time.monotonic()
        self.lock.release()


_sqlite_writers: dict[Path, WriterTurns] = {}
_sqlite_writers_guard = threading.Lock()


def one_writer_at_a_time(url: URL | str) -> WriterTurns | nullcontext[None]:
    """Held around a write transaction: this process's writers to one SQLite file take turns here.
    SQLite lets one writer in at a time, and its busy handler polls rather than queues: with 41 crawls
    in one process (``scrapy crawlall``) on a busy machine, a writer was still waiting when
    busy_timeout ran out while the others kept getting in. Other processes still wait on busy_timeout;
    PostgreSQL needs no turns."""
    path = sqlite_file(url)
    if path is None:
        return nullcontext()
    with _sqlite_writers_guard:
        return _sqlite_writers.setdefault(path.resolve(), WriterTurns())


def _sqlite_engine(url: URL) -> Engine:
    path = sqlite_file(url)
    if path is not None:
        with reporting_unavailable(url):
            path.parent.mkdir(parents=True, exist_ok=True)
    # Batches vary in size (time-based flushes) and each multi-row insert of another size is a new
    # prepared statement; sqlite3 caches 128 per connection, ~135 MB per 20k rows on a long crawl.
    engine = create_engine(url, connect_args={"cached_statements": 8})

    @event.listens_for(engine, "connect")
    def set_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        cursor = dbapi_connection.cursor()
        for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON", "busy_timeout=30000"):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    return engine


def alembic_config(engine: Engine) -> Config:
    """The Alembic configuration, built in code (there is no alembic.ini).

    To make a new revision after changing models.py, against a database at the current head::

        python -c "from alembic import command; from crawler.db.engine import make_engine, alembic_config
        command.revision(alembic_config(make_engine('sqlite:///data/dev.db')), 'what changed', autogenerate=True)"

    then read the generated file in crawler/db/migrations/versions/ (autogenerate does not see the
    full-text index; write dialect-specific DDL by hand as 0001 does).
    """
    config = Config()
    config.set_main_option("script_location", str(script_directory()))
    config.attributes["engine"] = engine
    return config


# Alembic keeps its running migration in module globals: one thread at a time (the store writes
# from a thread of its own while other parts of a crawl open the store).
_migrating = threading.Lock()


def ensure_schema(engine: Engine) -> None:
    """Bring the database to the latest migration; a no-op when it is there already."""
    with _migrating, reporting_unavailable(engine.url), engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK_ID})")
        config = alembic_config(engine)
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
