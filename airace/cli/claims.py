"""``airace claims``: the claims stored with ingested documents."""

from __future__ import annotations

from typing import Annotated

import typer

from airace.cli.common import DbOption, console, handle_errors, opened_store


def claims_command(
    db: DbOption = None,
    subject: Annotated[
        str | None, typer.Option("--subject", "-s", help="Entity id: KR, US, Meta, OpenAI...")
    ] = None,
    metric: Annotated[
        str | None, typer.Option("--metric", "-m", help="Metric id: gpu_count, funding...")
    ] = None,
    document: Annotated[
        str | None, typer.Option("--doc", help="Only claims of this document (id or hash).")
    ] = None,
    modality: Annotated[
        str | None,
        typer.Option(
            help="Only this modality: plan, target, order, forecast, holds... (fact: none)."
        ),
    ] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="How many to list.")] = 100,
    output: Annotated[str, typer.Option("--format", "-f", help="table or jsonl.")] = "table",
) -> None:
    """List stored claims with their value, unit, document and quote.

    Example: airace claims --subject KR --metric gpu_count
    Example: airace claims --metric gpu_count --modality plan   (plans to review)
    """
    from airace.extract import claim_record
    from airace.jsondata import dumps
    from airace.service.queries import list_claims

    with handle_errors(), opened_store(db) as store:
        claims = list_claims(
            store, subject=subject, metric=metric, document=document, modality=modality, limit=limit
        )
    records = [claim_record(claim, str(claim.document_id)) for claim in claims]
    if output == "jsonl":
        for record in records:
            print(dumps(record))
        return
    from airace.cli.extract import print_claims

    if records:
        print_claims(records)
    else:
        console.print("no claims")


def register(app: typer.Typer) -> None:
    """Add the commands of this module to the app."""
    app.command("claims")(claims_command)
