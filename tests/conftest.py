"""Shared fixtures. Sections by room; keep each fixture small and say what it gives."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import Engine
from sqlalchemy.engine import make_url

# --- crawls ---------------------------------------------------------------------------------
# Every crawl a test starts asks its local site for robots.txt anew: one kept between crawls would
# outlive the site on its port and answer for the next site a test serves there.
os.environ["SPACECRAWL_ROBOTSTXT_CACHE_HOURS"] = "0"

# --- databases ------------------------------------------------------------------------------
# Tests that take `database_url` run once on SQLite and once on PostgreSQL. PostgreSQL comes
# from SPACECRAWL_TEST_POSTGRES_URL; when it cannot be reached those runs are skipped, unless
# CI is set, where a missing database must fail the build rather than hide.
TEST_POSTGRES_URL = os.environ.get("SPACECRAWL_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _postgres_admin_dsn() -> str:
    url = make_url(TEST_POSTGRES_URL)
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def test_postgres_url() -> str:
    """The test server's URL (from SPACECRAWL_TEST_POSTGRES_URL), reachable or not."""
    return TEST_POSTGRES_URL


@pytest.fixture(scope="session")
def postgres_reachable() -> None:
    try:
        psycopg.connect(_postgres_admin_dsn(), connect_timeout=5).close()
    except psycopg.Error as error:
        message = f"PostgreSQL at {make_url(TEST_POSTGRES_URL).render_as_string()} unreachable: {error}".splitlines()[0]
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


@contextmanager
def _throwaway_postgres_url() -> Iterator[str]:
    """The test server's URL scoped to a new schema (through search_path), dropped afterwards."""
    schema = f"test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(_postgres_admin_dsn(), autocommit=True) as admin:
        admin.execute(f"CREATE SCHEMA {schema}")
    url = make_url(TEST_POSTGRES_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with psycopg.connect(_postgres_admin_dsn(), autocommit=True) as admin:
            admin.execute(f"DROP SCHEMA {schema} CASCADE")


def _database_url(request: pytest.FixtureRequest, folder: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{folder / 'db' / 'spacecrawl.db'}"
        return
    request.getfixturevalue("postgres_reachable")
    with _throwaway_postgres_url() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """An empty database: a SQLite file under tmp_path, or a throwaway PostgreSQL schema
    (selected through search_path, dropped afterwards) so parallel tests never collide."""
    yield from _database_url(request, tmp_path)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def module_database_url(request: pytest.FixtureRequest, tmp_path_factory) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """As database_url, shared by a module's tests (which must not change what it holds)."""
    yield from _database_url(request, tmp_path_factory.mktemp("db"))


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """An engine on `database_url` with the schema at the latest migration."""
    from crawler.db.engine import ensure_schema, make_engine

    engine = make_engine(database_url)
    ensure_schema(engine)
    yield engine
    engine.dispose()
