"""Terminal rendering of rankings, matrices, scenarios and explanations (rich tables)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich import box
from rich.table import Table

from airace.cli.common import console

if TYPE_CHECKING:
    from airace.index import Methodology, ScenarioRow
    from airace.service.compare import CompareReport
    from airace.service.factcheck import FactCheck
    from airace.service.rankings import Explanation, History, MatrixRow, Ranking


def number(value: float | None, digits: int = 1) -> str:
    """Format a score; a missing one as a dash."""
    return "–" if value is None or value != value else f"{value:,.{digits}f}"


_SCALES = {
    "en": ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")),
    "vi": ((1e12, "nghìn tỷ"), (1e9, "tỷ"), (1e6, "triệu")),
}


def amount(value: float | None, language: str = "en") -> str:
    """Format a figure as people write it: 10.1 trillion (1.01e+13), 350,000, 2.99; in
    Vietnamese 10,1 nghìn tỷ and 350.000."""
    if value is None or value != value:
        return "–"
    scales = _SCALES["vi" if language == "vi" else "en"]
    size, word = next(((size, word) for size, word in scales if abs(value) >= size), (1.0, ""))
    shown = f"{value / size:,.3g}" if word else f"{value:,.6g}"  # below 1e6: no exponent
    if language == "vi":
        shown = shown.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return f"{shown} {word}".strip()


def quantity(value: float | None) -> str:
    """Format an indicator value compactly (2.4e+09 as 2.4 bn)."""
    if value is None or value != value:
        return "–"
    for size, suffix in ((1e12, " tn"), (1e9, " bn"), (1e6, " m")):
        if abs(value) >= size:
            return f"{value / size:,.3g}{suffix}"
    return f"{value:,.4g}"


def print_ranking(ranking: Ranking, top: int) -> None:
    """Print the ranking table, then how it was made."""
    narrow = console.width < 110  # short headers and names keep each row on one line
    pillars = [p[:5] if narrow else p for p in ranking.pillars]
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, 1, 0, 0))
    table.add_column("rank", justify="right", no_wrap=True)
    table.add_column("country", no_wrap=True, overflow="ellipsis", max_width=18 if narrow else 32)
    intervals = any(row.low_rank is not None for row in ranking.rows)
    interval_header = ["90% rank" if narrow else "90% interval"] if intervals else []
    for header in ("score", *pillars, *interval_header, "cov" if narrow else "coverage"):
        table.add_column(header, justify="right", no_wrap=True)
    for row in ranking.rows[:top]:
        interval = f"{row.low_rank:.0f}–{row.high_rank:.0f}" if row.low_rank is not None else ""
        table.add_row(
            str(row.rank), f"{row.entity} {row.name}", number(row.score),
            *(number(row.pillars.get(p)) for p in ranking.pillars),
            *([interval] if intervals else []), f"{row.coverage:.0%}",
        )  # fmt: skip
    console.print(table, markup=False)
    weights = ", ".join(f"{p}={w:.2f}" for p, w in ranking.pillar_weights.items())
    as_of = f" as of {ranking.year}" if ranking.year is not None else ""
    console.print(
        f"{len(ranking.rows)} ranked{as_of}, {len(ranking.unranked)} with too little data; "
        f"methodology {ranking.methodology} {ranking.version} ({ranking.digest}); "
        f"weights {weights}",
        markup=False,
    )
    if ranking.unused:
        console.print(
            f"left out, too few countries report them: {', '.join(ranking.unused)}", markup=False
        )
    if ranking.sensitivity:
        moves = ", ".join(
            f"{choice} {shift:.2f}"
            for choice, shift in sorted(ranking.sensitivity.items(), key=lambda kv: -kv[1])
        )
        console.print(
            f"Monte Carlo: {ranking.replications} replications, seed {ranking.seed}; "
            f"mean rank shift when only one choice varies: {moves}",
            markup=False,
        )


def print_comparison(report: CompareReport) -> None:
    """Print each comparison: rho beside the wealth baseline, then the biggest differences."""
    as_of = f" as of {report.year}" if report.year is not None else ""
    console.print(
        f"airace {report.methodology} {report.version} ({report.digest}){as_of}: "
        f"{report.ranked} countries ranked, {report.well_covered} with at least 60% coverage",
        markup=False,
    )
    if report.inputs_from_references:
        console.print(
            "warning: the methodology reads published indices as inputs: "
            + ", ".join(report.inputs_from_references),
            markup=False,
        )
    console.print(
        "coverage per pillar: "
        + ", ".join(f"{p.pillar} {p.reported} ({p.share:.0%})" for p in report.pillars),
        markup=False,
    )
    for comparison in report.comparisons:
        console.print("")
        console.print(
            f"{comparison.name}: Spearman rho {number(comparison.rho, 3)} "
            f"(wealth baseline {number(comparison.wealth_rho, 3)}) on "
            f"{comparison.countries} countries both rank",
            markup=False,
        )
        table = Table("country", "airace", "reference", "shift", "moved by (index points)")
        for row in comparison.differences:
            drivers = ", ".join(
                f"{d.indicator} {d.effect:+.1f}{' (imputed)' if d.imputed else ''}"
                for d in row.drivers
            )
            table.add_row(f"{row.entity} {row.name}", str(row.rank), str(row.reference_rank),
                          f"{row.shift:+d}", drivers or "–")  # fmt: skip
        console.print(table, markup=False)


def print_factchecks(checks: Sequence[FactCheck]) -> None:
    """Print one row per checked claim, then the count of each verdict."""
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, 1, 0, 0))
    for header in ("claim", "subject", "claimed", "index", "edition", "verdict", "official"):
        table.add_column(header, no_wrap=True)
    table.add_column("quote", overflow="ellipsis", no_wrap=True, max_width=40)
    for check in checks:
        claimed = f"{check.metric} {check.value:g}"
        index = (check.index or "–") + (f" ({check.pillar})" if check.pillar else "")
        official = f"{check.official:g}" if check.official is not None else check.reason
        table.add_row(str(check.claim_id or ""), check.subject, claimed, index,
                      check.edition or "–", check.verdict, official, check.quote)  # fmt: skip
    console.print(table, markup=False)
    counts = {v: sum(c.verdict == v for c in checks) for v in ("agrees", "disagrees", "unchecked")}
    console.print(", ".join(f"{n} {v}" for v, n in counts.items()), markup=False)


def print_history(history: History) -> None:
    """Print a country's rank and pillar scores per year."""
    narrow = console.width < 110
    pillars = [p[:5] if narrow else p for p in history.pillars]
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, 1, 0, 0))
    for header in ("year", "rank", "of", "score", *pillars, "cov" if narrow else "coverage"):
        table.add_column(header, justify="right", no_wrap=True, min_width=len(header))
    for point in history.points:
        table.add_row(
            str(point.year), str(point.rank) if point.rank else "–", str(point.ranked),
            number(point.score), *(number(point.pillars.get(p)) for p in history.pillars),
            f"{point.coverage:.0%}",
        )  # fmt: skip
    console.print(f"{history.name} ({history.entity})", markup=False)
    console.print(table, markup=False)
    console.print(
        f"each year ranked with the figures of that year and before; methodology "
        f"{history.methodology} ({history.digest})",
        markup=False,
    )


def print_matrix(rows: Sequence[MatrixRow], methodology: Methodology) -> None:
    """Print each archetype with its countries."""
    spec = methodology.matrix
    console.print(
        "tiers by index score: "
        + ", ".join(f"{tier.name} from {tier.threshold:g}" for tier in spec.archetypes)
        + f"; x = {spec.x_label}, y = {spec.y_label}",
        markup=False,
    )
    table = Table("tier", "country", spec.x_label, spec.y_label, "rank")
    for archetype in spec.archetypes:
        for row in (r for r in rows if r.archetype == archetype.id):
            table.add_row(archetype.name, f"{row.name} ({row.entity})", number(row.x),
                          number(row.y), str(row.rank))  # fmt: skip
    console.print(table, markup=False)


def print_scenario(rows: Sequence[ScenarioRow], top: int, highlight: set[str]) -> None:
    """Print the scenario's ranking with deltas against the baseline."""
    table = Table("rank", "90% interval", "Δrank", "country", "score", "Δscore", "baseline rank")
    shown = [r for n, r in enumerate(rows) if n < top or r.entity in highlight]
    for row in shown:
        moved = row.base_rank - row.rank
        interval = (
            f"{row.low_rank:.0f}–{row.high_rank:.0f}"
            if row.low_rank is not None and row.high_rank is not None
            else ""
        )
        table.add_row(
            str(row.rank), interval, f"{moved:+d}" if moved else "·",
            row.entity + (" *" if row.entity in highlight else ""),
            number(row.score), f"{row.score - row.base_score:+.2f}", str(row.base_rank),
        )  # fmt: skip
    console.print(table, markup=False)


def print_explanation(explanation: Explanation) -> None:
    """Print the path from quotes to rank, pillar by pillar."""
    console.print(
        f"{explanation.name} ({explanation.entity}): rank {explanation.rank} of "
        f"{explanation.ranked}, score {number(explanation.score)}, "
        f"coverage {explanation.coverage:.0%} - methodology {explanation.methodology} "
        f"({explanation.digest})",
        markup=False,
    )
    for pillar in explanation.pillars:
        console.print(
            f"\n[bold]{pillar.name}[/bold] score {number(pillar.score)} weight {pillar.weight:.2f}"
        )
        for step in pillar.indicators:
            observation = step.observation
            head = f"  {step.indicator}: "
            if observation is None:
                console.print(
                    head + ("imputed " + number(step.normalised) if step.imputed else "no data"),
                    markup=False,
                )
                continue
            note = " CONFLICT" if observation.conflict else ""
            period = observation.period or "year unknown"
            console.print(
                f"{head}{quantity(observation.value)} {observation.unit} ({period}, "
                f"{observation.chosen_by}{note}) -> compared {quantity(step.raw)} -> "
                f"normalised {number(step.normalised)} (weight {step.weight:.2f})",
                markup=False,
            )
            for evidence in observation.evidence[:5]:
                where = (
                    f"claim {evidence.claim_id}, doc {evidence.document_id}"
                    if evidence.claim_id is not None
                    else (evidence.url or evidence.source or "reference")
                )
                console.print(
                    f'      {quantity(evidence.point)}  "{evidence.quote}"  [{where}]',
                    markup=False,
                )
            if len(observation.evidence) > 5:
                console.print(f"      ... {len(observation.evidence) - 5} more", markup=False)
