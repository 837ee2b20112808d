"""``airace report``: the ranking, matrix, GPU holdings and conflicts as one HTML file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from airace.cli.common import DbOption, console, handle_errors, opened_store
from airace.cli.rankings import MethodologyOption


def _language(value: str) -> str:
    """Refuse a language the report has no headings for, before any work."""
    if value not in ("en", "vi"):
        raise typer.BadParameter(f"{value!r} is not one of en, vi")
    return value


def report_command(
    out: Annotated[
        Path, typer.Option("--out", "-o", help="The HTML file to write.", dir_okay=False)
    ],
    png: Annotated[
        Path | None,
        typer.Option(
            "--png", help="Also write each chart as <chart>.png into this folder.", file_okay=False
        ),
    ] = None,
    db: DbOption = None,
    methodology: MethodologyOption = None,
    language: Annotated[
        str,
        typer.Option("--lang", help="en or vi: headings and number format.", callback=_language),
    ] = "en",
) -> None:
    """Write a self-contained HTML report: ranking with 90% rank intervals, maturity matrix,
    GPU leaderboard, conflicting figures and the quotes they come from. Charts are inline SVG;
    the file loads nothing from the network.

    Example: airace report --out report.html --png charts/
    """
    from airace.report import write_report
    from airace.service.rankings import resolve_methodology

    with handle_errors():
        chosen = resolve_methodology(methodology)
        with opened_store(db) as store:
            summary = write_report(store, chosen, out, png_dir=png, language=language)
    console.print(
        f"wrote {summary.path} ({summary.size / 1024:.0f} KiB): {summary.ranked} countries "
        f"ranked, {summary.holders} GPU holders, {summary.conflicts} conflicts, "
        f"{summary.claims} quotes",
        markup=False,
    )
    for path in summary.png:
        console.print(f"wrote {path}", markup=False)


def register(app: typer.Typer) -> None:
    """Add the commands of this module to the app."""
    app.command("report")(report_command)
