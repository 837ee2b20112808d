"""Schema migrations: Alembic revisions applied programmatically, checked cheaply on open.

``SCHEMA_HEAD`` lets ``open_store`` compare the database's revision with the code's without
importing Alembic (which costs start-up time); a test keeps it equal to the Alembic head.
SQLite databases are upgraded when opened; a PostgreSQL database that exists but is behind is
reported, so a team's shared schema changes only when someone runs ``airace db upgrade``.

A migration is atomic and serialised: it runs in one transaction that first takes the
database's write lock (``BEGIN IMMEDIATE`` on SQLite, whose Python driver would otherwise commit
each ``CREATE`` on its own; an advisory lock on PostgreSQL), then reads the revision again, so
that of several processes opening a new database at once one sets it up and the others find
it done, and a kill midway leaves the database as it was.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.engine import Engine

if TYPE_CHECKING:
    from alembic.config import Config

SCHEMA_HEAD = "0005"
MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def current_revision(engine: Engine) -> str | None:
    """Return the database's Alembic revision, or None for a database never migrated."""
    with engine.connect() as connection:
        return _revision(connection)


def _alembic_config() -> Config:
    """Return an Alembic configuration pointing at the packaged migration scripts."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


# The PostgreSQL advisory lock that serialises migrations (any fixed 64-bit number).
_LOCK_KEY = 0x61697261636531


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply migrations up to ``revision`` in one transaction, under the database's lock;
    nothing to do when another process has just brought it to the head."""
    from alembic import command

    config = _alembic_config()
    with engine.begin() as connection:
        _lock(connection)
        if revision == "head" and _revision(connection) == SCHEMA_HEAD:
            return
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Revert migrations down to ``revision`` (used by migration tests)."""
    from alembic import command

    config = _alembic_config()
    with engine.begin() as connection:
        _lock(connection)
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def _lock(connection: sa.Connection) -> None:
    """Take the lock that makes one migration wait for another, for this transaction."""
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE")  # waits up to the busy timeout
    elif connection.dialect.name == "postgresql":
        connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})


def _revision(connection: sa.Connection) -> str | None:
    if not sa.inspect(connection).has_table("alembic_version"):
        return None
    row = connection.execute(sa.text("SELECT version_num FROM alembic_version")).first()
    return None if row is None else str(row[0])


def head_revision() -> str:
    """Return the newest revision among the migration scripts."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert head is not None
    return head
