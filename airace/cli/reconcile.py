"""``airace observations``, ``conflicts`` and ``review``: reconciled figures and human review."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from airace.cli.common import DbOption, TableOrJsonl, console, handle_errors, opened_store

if TYPE_CHECKING:
    from airace.model import Observation

EntityOption = Annotated[
    str | None, typer.Option("--entity", "-e", help="Entity id or name: KR, Korea, Meta...")
]
IndicatorOption = Annotated[
    str | None, typer.Option("--indicator", "-i", help="Indicator id: gpu_count, ai_talent...")
]


def observations_command(
    db: DbOption = None,
    entity: EntityOption = None,
    indicator: IndicatorOption = None,
    output: TableOrJsonl = "table",
) -> None:
    """Show reconciled observations: one value per entity, indicator and year, with evidence.

    Example: airace observations --entity KR
    """
    from airace.service.observations import load_observations

    with handle_errors(), opened_store(db) as store:
        found = load_observations(store, entity=entity, indicator=indicator)
    if output == "jsonl":
        _print_jsonl(found)
    elif found:
        _print_table(found)
    else:
        console.print("no observations")


def conflicts_command(
    db: DbOption = None,
    entity: EntityOption = None,
    indicator: IndicatorOption = None,
    output: TableOrJsonl = "table",
) -> None:
    """List observations whose sources disagree, with every figure and its quote.

    Example: airace conflicts --indicator gpu_count
    """
    from airace.service.observations import list_conflicts

    with handle_errors(), opened_store(db) as store:
        found = list_conflicts(store, entity=entity, indicator=indicator)
    if output == "jsonl":
        _print_jsonl(found)
        return
    if not found:
        console.print("no conflicts")
    for observation in found:
        period = observation.period or "year unknown"
        console.print(
            f"[bold]{observation.entity} {observation.indicator} {period}[/bold]: "
            f"{_number(observation.value)} {observation.unit} chosen by {observation.chosen_by}, "
            f"spread {_number(observation.low)}–{_number(observation.high)}"
        )
        for item in observation.evidence:
            where = f"claim {item.claim_id}, doc {item.document_id}" if item.claim_id else "ref"
            console.print(
                f"  {_number(item.point):>14}  {'~' if item.approx else ' '} "
                f"[dim]{where}[/dim]  {item.quote}",
                markup=True,
                highlight=False,
            )


def review_command(
    claim: Annotated[int, typer.Argument(help="Claim id (see `airace claims`).")],
    db: DbOption = None,
    accept: Annotated[bool, typer.Option("--accept", help="The claim is right.")] = False,
    reject: Annotated[bool, typer.Option("--reject", help="The claim is wrong.")] = False,
    subject: Annotated[str | None, typer.Option(help="Correct the subject.")] = None,
    metric: Annotated[str | None, typer.Option(help="Correct the metric.")] = None,
    value: Annotated[float | None, typer.Option(help="Correct the value.")] = None,
    value_max: Annotated[float | None, typer.Option(help="Correct the range's top.")] = None,
    unit: Annotated[str | None, typer.Option(help="Correct the unit.")] = None,
    as_of: Annotated[str | None, typer.Option(help="Correct the period: YYYY or YYYY-MM.")] = None,
    modality: Annotated[
        str | None,
        typer.Option(help="Correct the modality: fact, holds, delivered, order, plan, target, ..."),
    ] = None,
    note: Annotated[str | None, typer.Option(help="Why, for the record.")] = None,
) -> None:
    """Accept, reject or correct a claim; corrections are stored beside the original.

    Giving any of --subject, --metric, --value, --value-max, --unit, --as-of or --modality
    corrects the claim.
    Reconciliation uses the latest review of each claim.

    Example: airace review 42 --reject --note "the 10,000 counts orders, not holdings"
    Example: airace review 42 --modality plan --note "a purchase the government plans"
    """
    from airace.model import ReviewStatus
    from airace.service.review import review_claim

    corrections = (subject, metric, value, value_max, unit, as_of, modality)
    chosen = [
        status
        for status, given in (
            (ReviewStatus.ACCEPTED, accept),
            (ReviewStatus.REJECTED, reject),
            (ReviewStatus.CORRECTED, any(field is not None for field in corrections)),
        )
        if given
    ]
    with handle_errors():
        if len(chosen) != 1:
            from airace.errors import AiraceError

            raise AiraceError("give exactly one of --accept, --reject or corrected fields")
        with opened_store(db) as store:
            review, stored = review_claim(
                store, claim, chosen[0], subject=subject, metric=metric, value=value,
                value_max=value_max, unit=unit, as_of=as_of, modality=modality, note=note,
            )  # fmt: skip
    state = "recorded" if stored else "unchanged (already the latest review)"
    console.print(f"claim {review.claim_id}: {review.status} {state}")


def _number(value: float | None) -> str:
    from airace.cli.render import amount

    return "?" if value is None else amount(value)


def _print_table(found: list[Observation]) -> None:
    from rich.table import Table

    table = Table(box=None, pad_edge=False)
    for name, width in (("entity", 6), ("indicator", 14), ("period", 6), ("value", 10),
                        ("unit", 5), ("evidence", 3), ("docs", 3)):  # fmt: skip
        table.add_column(name, no_wrap=True, overflow="ellipsis", min_width=width)
    table.add_column("note", no_wrap=True, overflow="ellipsis", ratio=1, min_width=8)
    for o in found:
        note = "rollup" if o.rollup else ""
        if o.conflict:
            note = f"conflict {_number(o.low)}–{_number(o.high)} ({o.chosen_by})"
        table.add_row(
            o.entity, o.indicator, o.period or "?", _number(o.value), o.unit,
            str(len(o.evidence)), str(o.documents), note,
        )  # fmt: skip
    console.print(table, markup=False)


def _print_jsonl(found: list[Observation]) -> None:
    from airace.jsondata import dumps
    from airace.service.observations import observation_record

    for observation in found:
        print(dumps(observation_record(observation)))


def register(app: typer.Typer) -> None:
    """Add the commands of this module to the app."""
    app.command("observations")(observations_command)
    app.command("conflicts")(conflicts_command)
    app.command("review")(review_command)
