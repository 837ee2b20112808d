"""``airace compare`` and ``airace factcheck``: the ranking and the press against published
indices."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from airace.cli.common import DbOption, TableOrJson, handle_errors, opened_store
from airace.cli.rankings import MethodologyOption, PerCapitaOption, WeightsOption, YearOption


def compare_command(
    reference: Annotated[
        list[str] | None,
        typer.Option(
            "--reference", "-r", help="Reference index id (default: all); repeat for several."
        ),
    ] = None,
    db: DbOption = None,
    methodology: MethodologyOption = None,
    against: Annotated[
        Path | None,
        typer.Option(
            "--against", help="Also compare with this methodology's ranking.", dir_okay=False
        ),
    ] = None,
    per_capita: PerCapitaOption = False,
    weights: WeightsOption = None,
    year: YearOption = None,
    output: TableOrJson = "table",
) -> None:
    """Compare the ranking with published indices (Spearman's rho), beside a wealth baseline
    (GDP and GDP per person), with the countries placed furthest apart and why.

    Example: airace compare -r oxford_2024 -r tortoise_2021
    Example: airace compare --methodology new.yaml --against old.yaml --year 2022
    """
    from airace.service.compare import compare_rankings
    from airace.service.rankings import resolve_methodology

    with handle_errors():
        chosen = resolve_methodology(methodology, per_capita=per_capita, weights=weights)
        other = resolve_methodology(against) if against is not None else None
        with opened_store(db) as store:
            report = compare_rankings(store, chosen, references=reference, against=other, year=year)
    if output == "json":
        from airace.jsondata import dumps

        print(dumps(report, indent=1))
        return
    from airace.cli.render import print_comparison

    print_comparison(report)


def factcheck_command(
    sources: Annotated[
        list[str] | None,
        typer.Argument(help="Files or folders to read (default: the stored claims)."),
    ] = None,
    claim: Annotated[int | None, typer.Option("--claim", help="Check one stored claim.")] = None,
    db: DbOption = None,
    every: Annotated[
        bool, typer.Option("--all", help="Also list claims no known index is named near.")
    ] = False,
    output: TableOrJson = "table",
) -> None:
    """Check claimed ranks and scores on published indices against their tables: agrees,
    disagrees (with the official figure) or unchecked (and why).

    Example: airace factcheck article.txt
    Example: airace factcheck --claim 42
    """
    from airace.cli.common import EXIT_FAILED_ITEMS, err_console
    from airace.errors import AiraceError
    from airace.service.factcheck import factcheck_files, factcheck_store

    errors: list[AiraceError] = []
    with handle_errors():
        if sources:
            checks, errors = factcheck_files(sources)
        else:
            with opened_store(db) as store:
                checks = factcheck_store(store, claim_id=claim)
    for error in errors:
        err_console.print(f"[red]failed:[/red] {error}", soft_wrap=True)
    if not every and claim is None:
        checks = [c for c in checks if c.index is not None]
    if output == "json":
        from airace.jsondata import dumps

        print(dumps(checks, indent=1))
    else:
        from airace.cli.render import print_factchecks

        print_factchecks(checks)
    if errors:
        raise typer.Exit(EXIT_FAILED_ITEMS)


def register(app: typer.Typer) -> None:
    """Add the commands of this module to the app."""
    app.command("compare")(compare_command)
    app.command("factcheck")(factcheck_command)
