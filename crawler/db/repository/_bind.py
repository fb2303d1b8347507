"""How a repository verb gets at the database from the ``bind`` it is given, and the dialect's INSERT."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

Bind = Engine | Connection | Session


@contextmanager
def connection_of(bind: Bind) -> Iterator[Connection]:
    if isinstance(bind, Engine):
        with bind.begin() as connection:
            yield connection
    elif isinstance(bind, Session):
        yield bind.connection()
    else:
        yield bind


@contextmanager
def session_of(bind: Bind) -> Iterator[Session]:
    if isinstance(bind, Session):
        yield bind
    else:
        with Session(bind, expire_on_commit=False) as session:
            yield session


def dialect_insert(connection: Connection):  # type: ignore[no-untyped-def]
    """The dialect's INSERT, which has ``on_conflict_do_update`` / ``on_conflict_do_nothing``."""
    return {"sqlite": sqlite.insert, "postgresql": postgresql.insert}[connection.dialect.name]
