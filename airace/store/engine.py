"""Database URLs and engines: a bare path means SQLite, anything with a scheme is a URL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine, make_url

from airace.errors import StoreError


def database_url(db: str) -> sa.URL:
    """Turn a user's ``--db`` value (path or URL) into a SQLAlchemy URL with our drivers.

    Raises:
        StoreError: the URL names a database airace does not support.
    """
    if "://" not in db:
        path = Path(db).expanduser()
        return make_url(f"sqlite:///{path.resolve()}")
    url = make_url(db)
    backend = url.get_backend_name()
    if backend == "postgresql":
        return url.set(drivername="postgresql+psycopg")
    if backend == "sqlite":
        return url
    raise StoreError(
        f"unsupported database {backend!r}",
        path=db,
        hint="use a SQLite path or a postgresql:// URL",
    )


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """Enable WAL, foreign keys and a busy timeout on every new SQLite connection."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout=10000")  # first: switching to WAL needs a lock too
    cursor.execute("PRAGMA journal_mode=WAL")
    # WAL + NORMAL stays consistent after a crash; only the last commits may be lost.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def create_engine(db: str) -> Engine:
    """Create an engine for a path or URL, with SQLite tuned for one writer and many readers."""
    url = database_url(db)
    if url.get_backend_name() == "sqlite":
        database = url.database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(url)
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return sa.create_engine(url, pool_pre_ping=True)
