"""``airace extract`` and ``airace eval``: claims from files, and their score against gold."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from airace.cli.common import EXIT_FAILED_ITEMS, console, err_console, handle_errors
from airace.jsondata import dumps

if TYPE_CHECKING:
    from airace.extract.evaluate import EvalReport, Tally


def extract_command(
    sources: Annotated[list[str], typer.Argument(help="Files or folders to read.")],
    output: Annotated[
        str, typer.Option("--format", "-f", help="jsonl (gold format + span) or table.")
    ] = "jsonl",
) -> None:
    """Print the quantitative claims in files or folders (no database needed).

    Example: airace extract articles/ --format table
    """
    from airace.config import get_settings
    from airace.errors import AiraceError
    from airace.extract import claim_record
    from airace.service.extraction import extract_sources

    if output not in ("jsonl", "table"):
        raise typer.BadParameter("use jsonl or table", param_hint="--format")
    failed = False
    rows: list[dict[str, Any]] = []
    with handle_errors():
        for result in extract_sources(sources, get_settings()):
            if isinstance(result, AiraceError):
                err_console.print(f"[red]failed:[/red] {result}", soft_wrap=True)
                failed = True
                continue
            for claim in result.claims:
                record = claim_record(claim, result.doc)
                if output == "jsonl":
                    print(dumps(record))
                else:
                    rows.append(record)
    if output == "table":
        print_claims(rows)
    if failed:
        raise typer.Exit(EXIT_FAILED_ITEMS)


def print_claims(rows: list[dict[str, Any]]) -> None:
    """Print claims as a table, one line each, fitted to the terminal: each column as wide as
    its widest cell (up to a cap), the quote cut to the room left; where even that is too
    little, the document and source columns are left out (``--format jsonl`` has them all)."""
    from rich.table import Table

    from airace.cli.render import amount

    records = []
    for row in rows:
        top = f"–{amount(row['value_max'])}" if row.get("value_max") is not None else ""
        value = ("~" if row.get("approx") else "") + amount(row["value"]) + top
        if row.get("status"):
            value += f" ({row['status']})"
        records.append(
            {
                "id": str(row.get("id", "")), "doc": str(row["doc"]),
                "subject": str(row["subject"]), "metric": str(row["metric"]), "value": value,
                "unit": str(row["unit"]), "as of": str(row.get("as_of") or "?"),
                "source": str(row.get("source") or ""), "quote": str(row["quote"]),
            }
        )  # fmt: skip
    names = ["id"] if any("id" in row for row in rows) else []
    names += ["doc", "subject", "metric", "value", "unit", "as of", "source"]
    widths = {name: min(max([len(name), *(len(r[name]) for r in records)]), 18) for name in names}
    room = console.width - sum(widths.values()) - 2 * len(names)
    for optional in ("source", "doc"):
        if room >= 24:
            break
        names.remove(optional)
        room += widths[optional] + 2
    table = Table(box=None, pad_edge=False, padding=(0, 2, 0, 0))
    for name in names:
        table.add_column(name, no_wrap=True, overflow="ellipsis", width=widths[name])
    table.add_column("quote", no_wrap=True, overflow="ellipsis", width=max(room - 1, 10))
    for record in records:
        table.add_row(*(record[name] for name in [*names, "quote"]))
    console.print(table, markup=False)


def eval_command(
    gold: Annotated[Path, typer.Argument(help="Gold claims, JSONL.", exists=True, dir_okay=False)],
    docs: Annotated[Path, typer.Argument(help="Folder of the gold's documents.", file_okay=False)],
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="List every miss and spurious claim.")
    ] = False,
    by_error: Annotated[
        bool,
        typer.Option(
            "--by-error", help="Group errors by cause: subject, metric, unit, value, not found."
        ),
    ] = False,
) -> None:
    """Score the extractor against a gold file: precision, recall, F1, field accuracy.

    Example: airace eval shared/eval/seeds.gold.jsonl shared/seeds --verbose
    """
    from airace.config import get_settings
    from airace.service.extraction import evaluate_gold

    with handle_errors():
        report = evaluate_gold(gold, docs, get_settings())
    _print_report(report, verbose=verbose)
    if by_error:
        _print_errors(report, verbose=verbose)


def _line(name: str, tally: Tally) -> str:
    """Format one row of scores."""
    return (
        f"{name:<16} precision {tally.precision:.3f}  recall {tally.recall:.3f}  "
        f"F1 {tally.f1:.3f}  (predicted {tally.predicted}, gold {tally.required}, "
        f"found {tally.found})"
    )


def _print_report(report: EvalReport, *, verbose: bool) -> None:
    """Print an evaluation report."""
    console.print(_line("overall", report.overall), markup=False)
    console.print("\nby language", markup=False)
    for name, tally in sorted(report.by_language.items()):
        console.print("  " + _line(name, tally), markup=False)
    console.print("\nby metric", markup=False)
    for name, tally in sorted(report.by_metric.items()):
        console.print("  " + _line(name, tally), markup=False)
    console.print("\nfield accuracy on matched claims", markup=False)
    for name, accuracy in report.field_accuracy().items():
        console.print(f"  {name:<10} {accuracy:.3f}", markup=False)
    if not verbose:
        return
    console.print("\nmissed", markup=False)
    for claim in report.misses:
        console.print(f"  - {_brief(claim)}", markup=False, soft_wrap=True)
    console.print("\nspurious", markup=False)
    for claim in report.spurious:
        console.print(f"  + {_brief(claim)}", markup=False, soft_wrap=True)
    console.print("\nwrong secondary fields", markup=False)
    for name, predicted, gold in report.wrong_fields:
        console.print(
            f"  {name}: got {predicted.get(name)!r}, want {gold.get(name)!r} in {_brief(gold)}",
            markup=False,
            soft_wrap=True,
        )


def _print_errors(report: EvalReport, *, verbose: bool) -> None:
    """Print the errors grouped by cause, each with its pairs when ``verbose``."""
    from airace.extract.evaluate import errors_by_cause

    console.print("\nerrors by cause", markup=False)
    for cause, pairs in errors_by_cause(report).items():
        console.print(f"  {cause:<12} {len(pairs)}", markup=False)
        if not verbose:
            continue
        for predicted, gold in pairs:
            if gold is not None:
                console.print(f"    want {_brief(gold)}", markup=False, soft_wrap=True)
            if predicted is not None:
                console.print(f"    got  {_brief(predicted)}", markup=False, soft_wrap=True)


def _brief(claim: Mapping[str, Any]) -> str:
    """One line describing a claim."""
    return (
        f"{claim['doc']} {claim['subject']} {claim['metric']} {claim['value']:,.6g} "
        f"{claim['unit']} | {str(claim.get('quote', ''))[:90]}"
    )


def register(app: typer.Typer) -> None:
    """Add the commands of this module to the app."""
    app.command("extract")(extract_command)
    app.command("eval")(eval_command)
