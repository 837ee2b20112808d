"""``airace documents`` and ``airace show``: what the store holds."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from airace.cli.common import DbOption, console, handle_errors, opened_store

if TYPE_CHECKING:
    from airace.model import DocumentSummary


def documents_command(
    db: DbOption = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="How many to list.")] = 50,
    offset: Annotated[int, typer.Option("--offset", min=0, help="How many to skip.")] = 0,
    language: Annotated[
        str | None, typer.Option("--lang", help="Only documents in this language (vi, en...).")
    ] = None,
) -> None:
    """List stored documents, newest first: id, language, date, title, origin, size.

    Example: airace documents --lang vi -n 20
    """
    from airace.service.queries import list_documents

    with handle_errors(), opened_store(db) as store:
        print_documents(list_documents(store, limit=limit, offset=offset, language=language))


def show_command(
    document: Annotated[str, typer.Argument(help="Document id or content-hash prefix.")],
    db: DbOption = None,
) -> None:
    """Print one stored document with its metadata and every origin it was seen at.

    Example: airace show 3
    """
    from airace.service.queries import get_document

    with handle_errors(), opened_store(db) as store:
        found, origins = get_document(store, document)
    console.print(f"[bold]{found.title or '(untitled)'}[/bold]", markup=True, soft_wrap=True)
    console.print(
        f"id {found.id} · {found.language or '?'} · published {found.published or 'unknown'} "
        f"· {found.size} chars · {found.content_hash}",
        markup=False,
    )
    for origin in origins:
        console.print(f"origin: {origin}", markup=False, soft_wrap=True)
    console.print()
    console.print(found.text, markup=False, soft_wrap=True)


def print_documents(rows: list[DocumentSummary]) -> None:
    """Print document summaries as a table, one line each."""
    from rich.table import Table

    table = Table(box=None, pad_edge=False)
    width = len(str(max((row.id for row in rows), default=0)))
    table.add_column("id", justify="right", no_wrap=True, min_width=max(width, 2))
    table.add_column("lang", no_wrap=True, min_width=4)
    table.add_column("published", no_wrap=True, min_width=10)
    flexible = max(console.width - max(width, 2) - 4 - 10 - 6 - 10, 20)
    table.add_column("title", no_wrap=True, overflow="ellipsis", max_width=flexible * 3 // 5)
    table.add_column("origin", no_wrap=True, overflow="ellipsis", max_width=flexible * 2 // 5)
    table.add_column("chars", justify="right", no_wrap=True, min_width=6)
    for row in rows:
        table.add_row(
            str(row.id),
            row.language or "?",
            str(row.published or "unknown"),
            row.title or "",
            _short_origin(row.origin),
            str(row.size),
        )
    if rows:
        console.print(table, markup=False)
    else:
        console.print("no documents")


def _short_origin(origin: str) -> str:
    """Show a URL whole and a file path by its name (the path is in `airace show`)."""
    if "://" in origin:
        return origin
    return origin.rsplit("/", 1)[-1]


def register(app: typer.Typer) -> None:
    """Add the commands of this module to the app."""
    app.command("documents")(documents_command)
    app.command("show")(show_command)
