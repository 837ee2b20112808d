"""``airace export``: claims, observations, rankings and documents to CSV, JSON(L) or Parquet."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from airace.cli.common import DbOption, console, handle_errors, opened_store


def export_command(
    kind: Annotated[
        str,
        typer.Argument(help="claims, observations, rankings, documents, or datasette (metadata)."),
    ],
    output: Annotated[
        str, typer.Option("--format", "-f", help="csv, json, jsonl or parquet.")
    ] = "csv",
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", "-o", help="File to write (default: standard output).", dir_okay=False
        ),
    ] = None,
    db: DbOption = None,
    entity: Annotated[str | None, typer.Option(help="Only this entity (id or name).")] = None,
    metric: Annotated[str | None, typer.Option(help="Claims of this metric.")] = None,
    period: Annotated[
        str | None, typer.Option(help="Claims or observations of this period.")
    ] = None,
    language: Annotated[
        str | None, typer.Option(help="Claims or documents in this language.")
    ] = None,
    source: Annotated[str | None, typer.Option(help="Claims attributed to this source.")] = None,
    status: Annotated[str | None, typer.Option(help="Claims with this review status.")] = None,
    indicator: Annotated[str | None, typer.Option(help="Observations of this indicator.")] = None,
    year: Annotated[int | None, typer.Option(help="Rankings as of this year.")] = None,
) -> None:
    """Export stored data with its provenance (document, quote, span, source), streamed; or,
    with ``datasette``, the metadata.json to browse the SQLite database in datasette.

    Example: airace export claims --format parquet --out claims.parquet --entity KR
    Example: airace export datasette --out metadata.json
    """
    import sys

    if kind == "datasette":
        _datasette(db, out or Path("metadata.json"))
        return

    from airace.errors import AiraceError
    from airace.service.export import (
        FORMATS,
        ExportFilter,
        build_export,
        export_to_file,
        write_export,
    )

    if output not in FORMATS:
        raise typer.BadParameter(f"use one of {', '.join(FORMATS)}", param_hint="--format")
    where = ExportFilter(
        entity=entity, metric=metric, period=period, language=language, source=source,
        status=status, indicator=indicator, year=year,
    )  # fmt: skip
    with handle_errors(), opened_store(db) as store:
        export = build_export(store, kind, where)
        if out is None:
            if output == "parquet":
                raise AiraceError("Parquet is binary", hint="give --out FILE")
            count = write_export(export, output, sys.stdout.buffer)
            sys.stdout.flush()
            return
        count = export_to_file(export, output, out)
    console.print(f"{count} {kind} rows -> {out}", markup=False)


def _datasette(db: str | None, out: Path) -> None:
    """Write datasette's metadata for the SQLite database ``db`` and say how to open it."""
    from airace.service.datasette import write_metadata

    with handle_errors():
        path = write_metadata(db, out)
    console.print(f"wrote {out}; browse with: datasette {path} --metadata {out}", markup=False)


def register(app: typer.Typer) -> None:
    """Add the commands of this module to the app."""
    app.command("export")(export_command)
