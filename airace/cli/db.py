"""``airace db``: schema migrations."""

from __future__ import annotations

import typer

from airace.cli.common import DbOption, console, handle_errors

app = typer.Typer(
    help="Database schema: show the revision, apply migrations.", no_args_is_help=True
)


def _db(db: str | None) -> str:
    """Return the --db value or the configured default."""
    from airace.config import get_settings

    return db or get_settings().db


@app.command("upgrade")
def upgrade_command(db: DbOption = None) -> None:
    """Apply all pending schema migrations (SQLite databases are upgraded on open anyway).

    Example: airace db upgrade --db postgresql://airace@localhost/airace
    """
    from airace.service.schema import upgrade_schema

    with handle_errors():
        status = upgrade_schema(_db(db))
    console.print(f"schema at revision {status.current} -> {status.url}", markup=False)


@app.command("current")
def current_command(db: DbOption = None) -> None:
    """Print the database's schema revision and the one this airace needs.

    Example: airace db current
    """
    from airace.service.schema import schema_status

    with handle_errors():
        status = schema_status(_db(db))
    console.print(
        f"database: {status.current or 'blank'} · airace needs: {status.head} -> {status.url}",
        markup=False,
    )
