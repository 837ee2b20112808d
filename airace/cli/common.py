"""What every command shares: the --db option, consoles, and error-to-exit-code mapping."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

if TYPE_CHECKING:
    from airace.store.repository import Store

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        envvar="AIRACE_DB",
        help="SQLite file or database URL (postgresql://...). Default: ./airace.db.",
        show_default=False,
    ),
]


def _one_of(*allowed: str) -> typer.models.ParameterInfo:
    """Return a --format option that refuses anything but ``allowed`` before any work."""

    def check(value: str) -> str:
        if value not in allowed:
            raise typer.BadParameter(f"{value!r} is not one of {', '.join(allowed)}")
        return value

    option: typer.models.ParameterInfo = typer.Option(
        "--format", "-f", help=f"{' or '.join(allowed)}.", callback=check
    )
    return option


TableOrJson = Annotated[str, _one_of("table", "json")]
TableOrJsonl = Annotated[str, _one_of("table", "jsonl")]

console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)

EXIT_FAILED_ITEMS = 1  # some items of a batch failed; the rest were stored
EXIT_ERROR = 2  # nothing could be done: bad database, bad arguments


@contextmanager
def handle_errors() -> Iterator[None]:
    """Turn library errors into one red line and exit code 2."""
    from airace.errors import AiraceError

    try:
        yield
    except AiraceError as error:
        err_console.print(f"[red]error:[/red] {error}", markup=True, soft_wrap=True)
        raise typer.Exit(EXIT_ERROR) from error


@contextmanager
def opened_store(db: str | None) -> Iterator[Store]:
    """Open the store for a command and close it afterwards."""
    from airace.store.repository import open_store

    store = open_store(db)
    try:
        yield store
    finally:
        store.close()
