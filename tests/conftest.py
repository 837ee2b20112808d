"""Shared fixtures: isolated settings, and the same store on SQLite and on PostgreSQL.

PostgreSQL tests use the server at 127.0.0.1:5432 (database ``test``, trust auth), each test in
a schema of its own that is dropped afterwards. They are skipped when the server is absent,
unless ``CI`` is set: in CI a missing server is a failure, not a skip.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from airace.config import Settings, get_settings
from airace.store.repository import Store, open_store
from tests.support import Site

PG_BASE = os.environ.get("AIRACE_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")


@pytest.fixture(autouse=True)
def isolated_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """Drop AIRACE_* variables from the environment and run each test in its own folder."""
    for name in list(os.environ):
        if name.startswith("AIRACE_") and name != "AIRACE_TEST_PG":
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture
def settings() -> Settings:
    """Default settings (private addresses refused)."""
    return Settings()


def _postgres_available() -> str | None:
    """Return why PostgreSQL cannot be used, or None when it can."""
    import sqlalchemy as sa

    from airace.store.engine import create_engine

    try:
        engine = create_engine(PG_BASE)
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
        engine.dispose()
    except Exception as error:
        return f"PostgreSQL at {PG_BASE} unavailable: {error}"
    return None


@pytest.fixture(scope="session")
def postgres_base() -> str:
    """The PostgreSQL URL; skip (or fail in CI) when the server is not there."""
    problem = _postgres_available()
    if problem is not None:
        if os.environ.get("CI"):
            pytest.fail(problem)
        pytest.skip(problem)
    return PG_BASE


@pytest.fixture
def postgres_url(postgres_base: str) -> Iterator[str]:
    """A PostgreSQL URL whose search_path is a fresh schema, dropped after the test."""
    import sqlalchemy as sa

    from airace.store.engine import create_engine

    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(postgres_base)
    with admin.begin() as connection:
        connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in postgres_base else "?"
    yield f"{postgres_base}{sep}options=-csearch_path%3D{schema}"
    with admin.begin() as connection:
        connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty database of each kind."""
    if request.param == "sqlite":
        return str(tmp_path / "airace.db")
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    """An opened, migrated store on each kind of database."""
    opened = open_store(db_url, migrate_schema=True)
    yield opened
    opened.close()


@pytest.fixture
def site() -> Iterator[Site]:
    """A threaded HTTP server on 127.0.0.1 (random port) serving a mutable set of pages."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    served = Site()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            page = served.pages.get(self.path)
            if page is None:
                self.send_error(404)
                return
            content_type, body = page
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    served.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield served
    server.shutdown()
    server.server_close()
