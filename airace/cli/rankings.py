"""``airace rank``, ``matrix``, ``scenario`` and ``explain``: the composite index and its uses."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from airace.cli.common import DbOption, TableOrJson, handle_errors, opened_store

if TYPE_CHECKING:
    from airace.index import Methodology

MethodologyOption = Annotated[
    Path | None,
    typer.Option(
        "--methodology", help="Methodology YAML (default: the bundled one).", dir_okay=False
    ),
]
PerCapitaOption = Annotated[
    bool, typer.Option("--per-capita", help="Divide counts and money by population.")
]
WeightsOption = Annotated[
    str | None, typer.Option("--weights", help="Pillar weights: infrastructure=2,talent=1.")
]
YearOption = Annotated[
    int | None,
    typer.Option(
        "--year", min=1990, max=2100, help="Rank as of this year: figures for it and before."
    ),
]


def _methodology(path: Path | None, per_capita: bool, weights: str | None) -> Methodology:
    from airace.service.rankings import resolve_methodology

    return resolve_methodology(path, per_capita=per_capita, weights=weights)


def rank_command(
    db: DbOption = None,
    methodology: MethodologyOption = None,
    per_capita: PerCapitaOption = False,
    weights: WeightsOption = None,
    uncertainty: Annotated[
        bool, typer.Option(help="Monte Carlo rank intervals and sensitivity.")
    ] = True,
    replications: Annotated[
        int | None, typer.Option(min=10, help="Monte Carlo replications (default: methodology).")
    ] = None,
    seed: Annotated[int | None, typer.Option(help="Random seed (default: methodology).")] = None,
    year: YearOption = None,
    top: Annotated[int, typer.Option("--top", "-n", min=1, help="How many rows to print.")] = 30,
    output: TableOrJson = "table",
) -> None:
    """Rank countries by the composite AI index, with pillar scores and 90% rank intervals.

    Example: airace rank --per-capita --weights infrastructure=2
    Example: airace rank --methodology old.yaml --year 2022
    """
    from airace.service.rankings import rank_countries

    with handle_errors():
        chosen = _methodology(methodology, per_capita, weights)
        with opened_store(db) as store:
            ranking = rank_countries(
                store,
                chosen,
                uncertainty=uncertainty,
                replications=replications,
                seed=seed,
                year=year,
            )
    if output == "json":
        from airace.jsondata import dumps

        print(dumps(ranking, indent=1))
        return
    from airace.cli.render import print_ranking

    print_ranking(ranking, top)


def matrix_command(
    db: DbOption = None,
    methodology: MethodologyOption = None,
    per_capita: PerCapitaOption = False,
    weights: WeightsOption = None,
    year: YearOption = None,
    output: TableOrJson = "table",
) -> None:
    """Place each country in the maturity matrix: capacity against activity, four archetypes.

    Example: airace matrix
    """
    from airace.service.rankings import country_matrix

    with handle_errors():
        chosen = _methodology(methodology, per_capita, weights)
        with opened_store(db) as store:
            rows = country_matrix(store, chosen, year=year)
    if output == "json":
        from airace.jsondata import dumps

        print(dumps(rows, indent=1))
        return
    from airace.cli.render import print_matrix

    print_matrix(rows, chosen)


def scenario_command(
    changes: Annotated[
        list[str], typer.Argument(help='Changes like "KR.gpu_count += 10000", "VN.ai_talent *= 2".')
    ],
    db: DbOption = None,
    methodology: MethodologyOption = None,
    per_capita: PerCapitaOption = False,
    weights: WeightsOption = None,
    year: YearOption = None,
    top: Annotated[int, typer.Option("--top", "-n", min=1, help="How many rows to print.")] = 30,
) -> None:
    """Rank again after what-if changes and show new scores and ranks against the baseline.

    Operators: += -= *= /= and = on an entity's indicator (its raw value, before any
    per-capita division or transformation).

    Example: airace scenario "KR.gpu_count += 10000" "VN.ai_talent *= 2"
    """
    from airace.service.rankings import run_scenarios

    with handle_errors():
        chosen = _methodology(methodology, per_capita, weights)
        with opened_store(db) as store:
            rows = run_scenarios(store, chosen, changes, year=year)
    from airace.cli.render import print_scenario

    print_scenario(rows, top, highlight={text.split(".", 1)[0].strip() for text in changes})


def explain_command(
    entity: Annotated[str, typer.Argument(help="Country id or name: KR, Korea, Việt Nam.")],
    db: DbOption = None,
    methodology: MethodologyOption = None,
    per_capita: PerCapitaOption = False,
    weights: WeightsOption = None,
    year: YearOption = None,
) -> None:
    """Explain a country's score: quotes -> claims -> observations -> normalised values ->
    pillar scores -> rank.

    Example: airace explain KR
    """
    from airace.service.rankings import explain_entity

    with handle_errors():
        chosen = _methodology(methodology, per_capita, weights)
        with opened_store(db) as store:
            explanation = explain_entity(store, entity, chosen, year=year)
    from airace.cli.render import print_explanation

    print_explanation(explanation)


def history_command(
    entity: Annotated[str, typer.Argument(help="Country id or name: KR, Korea, Hàn Quốc.")],
    db: DbOption = None,
    methodology: MethodologyOption = None,
    per_capita: PerCapitaOption = False,
    weights: WeightsOption = None,
    first: Annotated[int | None, typer.Option("--from", help="First year.")] = None,
    last: Annotated[int | None, typer.Option("--to", help="Last year.")] = None,
    output: TableOrJson = "table",
) -> None:
    """Show a country's rank and pillar scores year by year, each year ranked with the figures
    known then.

    Example: airace history KR --from 2019
    """
    from airace.service.rankings import country_history

    with handle_errors():
        chosen = _methodology(methodology, per_capita, weights)
        with opened_store(db) as store:
            history = country_history(store, entity, chosen, first=first, last=last)
    if output == "json":
        from airace.jsondata import dumps

        print(dumps(history, indent=1))
        return
    from airace.cli.render import print_history

    print_history(history)


def register(app: typer.Typer) -> None:
    """Add the commands of this module to the app."""
    app.command("history")(history_command)
    app.command("rank")(rank_command)
    app.command("matrix")(matrix_command)
    app.command("scenario")(scenario_command)
    app.command("explain")(explain_command)
