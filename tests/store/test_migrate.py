"""Migrations: the head matches the tables, blank databases are set up, old ones detected."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from airace.errors import SchemaOutOfDate, StoreError
from airace.store import migrate
from airace.store.engine import create_engine, database_url
from airace.store.repository import open_store
from airace.store.tables import metadata


def test_schema_head_constant_is_the_alembic_head() -> None:
    assert migrate.SCHEMA_HEAD == migrate.head_revision()


def test_migrations_produce_exactly_the_declared_tables(db_url: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    engine = create_engine(db_url)
    migrate.upgrade(engine)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), metadata)
    engine.dispose()
    assert differences == []


def test_blank_database_is_migrated_when_opened(db_url: str) -> None:
    store = open_store(db_url)
    assert migrate.current_revision(store.engine) == migrate.SCHEMA_HEAD
    store.close()


def test_downgrade_to_base_and_upgrade_again_keeps_schema_usable(db_url: str) -> None:
    engine = create_engine(db_url)
    migrate.upgrade(engine)
    migrate.downgrade(engine, "base")
    assert migrate.current_revision(engine) is None
    migrate.upgrade(engine)
    assert migrate.current_revision(engine) == migrate.SCHEMA_HEAD
    engine.dispose()


def test_postgres_behind_head_is_refused_without_upgrade(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_store(postgres_url).close()
    monkeypatch.setattr(migrate, "SCHEMA_HEAD", "9999")
    with pytest.raises(SchemaOutOfDate, match="airace db upgrade"):
        open_store(postgres_url)


def test_unreachable_database_is_a_store_error() -> None:
    with pytest.raises(StoreError, match="cannot open database"):
        open_store("postgresql://nobody@127.0.0.1:1/none")


def test_bare_path_means_sqlite_and_postgres_gets_psycopg() -> None:
    assert database_url("x.db").get_backend_name() == "sqlite"
    assert database_url("postgresql://u@h/d").drivername == "postgresql+psycopg"
    with pytest.raises(StoreError, match="unsupported"):
        database_url("mysql://u@h/d")


def test_sqlite_file_is_created_in_missing_folder(tmp_path: object) -> None:
    from pathlib import Path

    target = Path(str(tmp_path)) / "deep" / "er" / "x.db"
    open_store(str(target)).close()
    engine = create_engine(str(target))
    with engine.connect() as connection:
        assert sa.inspect(connection).has_table("documents")
    engine.dispose()


def test_upgrade_from_the_previous_revision_keeps_rows(db_url: str) -> None:
    from datetime import UTC, datetime

    from airace.store.tables import documents

    engine = create_engine(db_url)
    migrate.upgrade(engine, "0001")
    with engine.begin() as connection:
        connection.execute(
            documents.insert(),
            {"content_hash": "n1:x", "origin": "a", "fetched_at": datetime.now(UTC), "size": 1,
             "text": "x"},
        )  # fmt: skip
    migrate.upgrade(engine)
    with engine.connect() as connection:
        assert connection.execute(sa.text("SELECT count(*) FROM documents")).scalar_one() == 1
        assert connection.execute(sa.text("SELECT count(*) FROM claims")).scalar_one() == 0
    engine.dispose()


def test_upgrade_from_0002_keeps_claims_and_adds_reviews(db_url: str) -> None:
    from datetime import UTC, datetime

    from airace.store.tables import claims, documents

    engine = create_engine(db_url)
    migrate.upgrade(engine, "0002")
    with engine.begin() as connection:
        document_id = connection.execute(
            documents.insert(),
            {"content_hash": "n1:y", "origin": "a", "fetched_at": datetime.now(UTC), "size": 1,
             "text": "x"},
        ).inserted_primary_key[0]  # fmt: skip
        connection.execute(
            claims.insert(),
            {"document_id": document_id, "span_start": 0, "span_end": 1, "quote": "x",
             "subject": "KR", "metric": "gpu_count", "value": 2000.0, "unit": "GPU",
             "approx": False, "extractor_version": "v", "status": "auto"},
        )  # fmt: skip
    migrate.upgrade(engine)
    with engine.connect() as connection:
        assert connection.execute(sa.text("SELECT count(*) FROM claims")).scalar_one() == 1
        assert connection.execute(sa.text("SELECT count(*) FROM claim_reviews")).scalar_one() == 0
    engine.dispose()
