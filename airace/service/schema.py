"""Schema operations: where a database stands and bringing it up to date."""

from __future__ import annotations

from dataclasses import dataclass

from airace.errors import StoreError


@dataclass(frozen=True, slots=True)
class SchemaStatus:
    """The database's revision (None: blank) and the one this code needs."""

    url: str
    current: str | None
    head: str

    @property
    def up_to_date(self) -> bool:
        return self.current == self.head


def schema_status(db: str) -> SchemaStatus:
    """Read a database's schema revision without changing anything.

    Raises:
        StoreError: the database cannot be reached.
    """
    from sqlalchemy.exc import OperationalError

    from airace.store import migrate
    from airace.store.engine import create_engine

    engine = create_engine(db)
    try:
        current = migrate.current_revision(engine)
    except OperationalError as error:
        raise StoreError(f"cannot open database: {error.orig or error}", path=db) from error
    finally:
        engine.dispose()
    return SchemaStatus(engine.url.render_as_string(), current, migrate.SCHEMA_HEAD)


def upgrade_schema(db: str) -> SchemaStatus:
    """Apply every pending migration to a database (creating it when blank).

    Raises:
        StoreError: the database cannot be reached or migrated.
    """
    from airace.store.repository import open_store

    open_store(db, migrate_schema=True).close()
    return schema_status(db)
