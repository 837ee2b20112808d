"""airace's ranking beside published indices: agreement, a wealth baseline, and why they differ.

A published index (Oxford Insights' readiness score, Tortoise's Global AI Index rank) is kept as
reference data, never as an input of the default methodology, so agreement with it is evidence
that airace measures the same thing from independent figures. Each comparison reports:

- Spearman's rho between airace's order and the index's order on the countries both rank;
- the rho of a **wealth baseline** on the same countries (GDP and GDP per person, their
  percentile ranks averaged): an index that agrees with a publisher no better than wealth does
  adds little to what GDP tables already say;
- the countries the two place furthest apart, each with the indicators that move it: its
  normalised value against the mean of the countries the publisher places next to it, weighted
  by the indicator's share of the index.

The same report compares two methodologies (``against``), so a new version can be judged
against the old one on the same data.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from airace.errors import AiraceError, LexiconError

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from airace.index import IndexResult, Methodology
    from airace.store.repository import Store

COMPARISONS_FILE = (
    Path(__file__).resolve().parent.parent / "data" / "reference" / "comparisons.yaml"
)

# How many countries the publisher places on either side of a country make its peers.
PEERS = 3
# How many of the most different countries a comparison lists, and drivers per country.
DIFFERENCES = 8
DRIVERS = 3


@dataclass(frozen=True, slots=True)
class ReferenceIndex:
    """A published index kept as a reference: the indicator and edition holding its table."""

    id: str
    name: str
    indicator: str
    period: str
    direction: int  # +1: higher is better (a score), -1: lower is better (a rank)


@dataclass(frozen=True, slots=True)
class Driver:
    """An indicator that moves a country away from the publisher's place for it."""

    indicator: str
    pillar: str
    value: float | None  # the country's normalised value (None: missing)
    peers: float  # mean normalised value of the countries the publisher places beside it
    effect: float  # (value - peers) x the indicator's share of the index, in index points
    imputed: bool


@dataclass(frozen=True, slots=True)
class Difference:
    """A country the two rankings place far apart (ranks among the countries both rank)."""

    entity: str
    name: str
    rank: int
    reference_rank: int
    published: float | None  # the publisher's own figure (score or rank), None for a ranking
    shift: int  # reference_rank - rank: positive when airace places it higher
    drivers: tuple[Driver, ...]


@dataclass(frozen=True, slots=True)
class Comparison:
    """airace against one reference, with the wealth baseline on the same countries."""

    reference: str
    name: str
    period: str | None
    countries: int
    rho: float | None
    wealth_rho: float | None
    differences: tuple[Difference, ...]


@dataclass(frozen=True, slots=True)
class PillarCoverage:
    """How many ranked countries report at least one indicator of a pillar."""

    pillar: str
    name: str
    reported: int
    share: float


@dataclass(frozen=True, slots=True)
class CompareReport:
    """Comparisons of one ranking with each reference, and how well the ranking is covered."""

    methodology: str
    version: str
    digest: str
    year: int | None
    ranked: int
    well_covered: int  # ranked countries reporting at least 60 % of the indicators
    inputs_from_references: tuple[str, ...]  # reference indicators the methodology reads
    pillars: tuple[PillarCoverage, ...]
    comparisons: tuple[Comparison, ...]


@cache
def reference_indices(path: Path = COMPARISONS_FILE) -> dict[str, ReferenceIndex]:
    """Read the published indices airace compares with.

    Raises:
        LexiconError: a malformed file; the message names the file and key.
    """
    from airace.extract.lexicon import check_keys, read_mapping

    where = str(path)
    data = read_mapping(path, "comparisons file")
    check_keys(data, required=["references"], optional=["indices"], path=where)
    found: dict[str, ReferenceIndex] = {}
    for key, item in data["references"].items():
        at = f"references.{key}."
        if not isinstance(item, dict):
            raise LexiconError("expected a mapping", path=where, key=f"references.{key}")
        check_keys(
            item, required=["name", "indicator", "period", "direction"], path=where, where=at
        )
        if item["direction"] not in ("higher", "lower"):
            raise LexiconError("expected higher or lower", path=where, key=f"{at}direction")
        found[str(key)] = ReferenceIndex(
            id=str(key),
            name=str(item["name"]),
            indicator=str(item["indicator"]),
            period=str(item["period"]),
            direction=1 if item["direction"] == "higher" else -1,
        )
    return found


def reference_values(reference: ReferenceIndex) -> dict[str, float]:
    """The published table of a reference index: country -> its score or rank."""
    from airace.reconcile.reference import load_reference

    return {
        figure.entity: figure.evidence.value
        for figure in load_reference().figures
        if figure.indicator == reference.indicator
        and figure.evidence.period == reference.period[:4]
    }


def compare_rankings(
    store: Store,
    methodology: Methodology,
    *,
    references: Sequence[str] | None = None,
    against: Methodology | None = None,
    year: int | None = None,
) -> CompareReport:
    """Compare the ranking of ``methodology`` with published indices and, if given, with the
    ranking of another methodology on the same data.

    Args:
        store: where the claims are.
        methodology: the ranking to judge.
        references: reference ids (default: every one in ``comparisons.yaml``).
        against: a second methodology (e.g. last version's) to compare with.
        year: rank with the figures known up to this year.

    Raises:
        AiraceError: an unknown reference id.
    """
    from airace.index import compute_index
    from airace.service.observations import load_observations
    from airace.service.rankings import indicator_table

    known = reference_indices()
    chosen = list(references) if references else list(known)
    for key in chosen:
        if key not in known:
            raise AiraceError(
                f"unknown reference index {key!r}", key=key, hint=f"known: {', '.join(known)}"
            )
    observations = load_observations(store)
    table, _ = indicator_table(observations, methodology, year=year)
    result = compute_index(table, methodology)
    comparisons = []
    for key in chosen:
        reference = known[key]
        published = reference_values(reference)
        order = {entity: reference.direction * value for entity, value in published.items()}
        comparisons.append(
            _compare(result, order, reference.id, reference.name, reference.period, published)
        )
    if against is not None:
        other_table, _ = indicator_table(observations, against, year=year)
        other = compute_index(other_table, against)
        order = {
            entity: -float(rank)
            for entity, rank in zip(other.entities, other.rank, strict=True)
            if rank > 0
        }
        name = f"{against.name} {against.version} ({against.digest})"
        comparisons.append(_compare(result, order, "methodology", name, None, None))
    source_ids = set(methodology.source_ids)
    return CompareReport(
        methodology=methodology.name,
        version=methodology.version,
        digest=methodology.digest,
        year=year,
        ranked=int((result.rank > 0).sum()),
        well_covered=int(((result.rank > 0) & (result.coverage >= 0.6)).sum()),
        inputs_from_references=tuple(sorted({r.indicator for r in known.values()} & source_ids)),
        pillars=_pillar_coverage(result),
        comparisons=tuple(comparisons),
    )


def spearman(first: Sequence[float], second: Sequence[float]) -> float | None:
    """Spearman's rank correlation (average ranks for ties); None for fewer than three pairs
    or a constant side."""
    import numpy as np

    if len(first) != len(second):
        raise ValueError("both sides need the same length")
    if len(first) < 3:
        return None
    a, b = _average_ranks(np.asarray(first, float)), _average_ranks(np.asarray(second, float))
    a, b = a - a.mean(), b - b.mean()
    scale = float(np.sqrt((a * a).sum() * (b * b).sum()))
    return None if scale == 0 else float((a * b).sum() / scale)


def wealth_scores(entities: Sequence[str]) -> dict[str, float]:
    """The wealth baseline: the mean of each country's percentile ranks in GDP and in GDP per
    person, among ``entities`` that have both figures."""
    import numpy as np

    from airace.reconcile.reference import load_reference

    reference = load_reference()
    known = [
        e for e in entities if reference.gdp.get(e, 0) > 0 and reference.population.get(e, 0) > 0
    ]
    if not known:
        return {}
    gdp = np.array([reference.gdp[e] for e in known])
    per_person = gdp / np.array([reference.population[e] for e in known])
    score = (_average_ranks(gdp) + _average_ranks(per_person)) / 2
    return dict(zip(known, map(float, score), strict=True))


def _compare(
    result: IndexResult,
    order: Mapping[str, float],
    key: str,
    name: str,
    period: str | None,
    published: Mapping[str, float] | None,
) -> Comparison:
    """Compare the ranked entities of ``result`` with ``order`` (higher is better)."""
    from airace.service.rankings import entity_name

    ranked = {
        entity: float(-rank)
        for entity, rank in zip(result.entities, result.rank, strict=True)
        if rank > 0
    }
    wealth = wealth_scores(sorted(ranked.keys() & order.keys()))
    common = sorted(ranked.keys() & order.keys() & wealth.keys())
    if not common:
        return Comparison(key, name, period, 0, None, None, ())
    ours = _places([ranked[e] for e in common])
    theirs = _places([order[e] for e in common])
    rho = spearman([ranked[e] for e in common], [order[e] for e in common])
    wealth_rho = spearman([wealth[e] for e in common], [order[e] for e in common])
    moved = sorted(range(len(common)), key=lambda at: (-abs(theirs[at] - ours[at]), common[at]))
    differences = tuple(
        Difference(
            entity=common[at],
            name=entity_name(common[at]),
            rank=ours[at],
            reference_rank=theirs[at],
            published=published.get(common[at]) if published is not None else None,
            shift=theirs[at] - ours[at],
            drivers=_drivers(result, common, theirs, at, up=theirs[at] > ours[at]),
        )
        for at in moved[:DIFFERENCES]
        if theirs[at] != ours[at]
    )
    return Comparison(key, name, period, len(common), rho, wealth_rho, differences)


def _drivers(
    result: IndexResult, common: Sequence[str], theirs: Sequence[int], at: int, *, up: bool
) -> tuple[Driver, ...]:
    """The indicators that most move ``common[at]`` in the direction airace moved it (``up``:
    above the publisher's place): its normalised values against those of the countries the
    publisher places beside it, weighted by each indicator's share of the index."""
    import math

    import numpy as np

    row = {entity: position for position, entity in enumerate(result.entities)}
    mine = row[common[at]]
    peers = [
        row[entity]
        for other, entity in enumerate(common)
        if other != at and abs(theirs[other] - theirs[at]) <= PEERS
    ]
    if not peers:
        return ()
    shares = _index_shares(result)
    found = []
    for column, indicator in enumerate(result.indicators):
        if not result.used[column]:
            continue
        around = result.normalised[peers, column]
        if np.isnan(around).all():
            continue
        value = float(result.normalised[mine, column])
        level = float(np.nanmean(around))
        gap = (0.0 if math.isnan(value) else value) - level
        found.append(
            Driver(
                indicator=indicator,
                pillar=result.methodology.indicators[column].pillar,
                value=None if math.isnan(value) else value,
                peers=level,
                effect=gap * float(shares[column]),
                imputed=bool(result.imputed[mine, column]),
            )
        )
    sign = 1 if up else -1
    found.sort(key=lambda driver: -sign * driver.effect)
    return tuple(driver for driver in found[:DRIVERS] if sign * driver.effect > 0)


def _index_shares(result: IndexResult) -> npt.NDArray[np.float64]:
    """Each indicator's share of the index: its weight within the pillar times the pillar's
    share of the pillar weights."""
    import numpy as np

    pillar_share = result.pillar_weights / result.pillar_weights.sum()
    codes = [result.pillars.index(spec.pillar) for spec in result.methodology.indicators]
    within = result.indicator_weights.copy()
    for pillar in range(len(result.pillars)):
        members = [c for c, code in enumerate(codes) if code == pillar and result.used[c]]
        total = within[members].sum() if members else 0.0
        if total > 0:
            within[members] = within[members] / total
    return np.asarray(within * pillar_share[codes], dtype=np.float64)


def _pillar_coverage(result: IndexResult) -> tuple[PillarCoverage, ...]:
    import numpy as np

    ranked = result.rank > 0
    count = int(ranked.sum())
    present = ~np.isnan(result.raw)
    rows = []
    for pillar in result.methodology.pillars:
        columns = [result.indicators.index(ind) for ind in pillar.indicators]
        reported = int((present[:, columns].any(axis=1) & ranked).sum())
        rows.append(
            PillarCoverage(pillar.id, pillar.name, reported, reported / count if count else 0.0)
        )
    return tuple(rows)


def _places(scores: Sequence[float]) -> list[int]:
    """Competition ranks of ``scores`` (higher is better, 1 = best)."""
    return [1 + sum(other > score for other in scores) for score in scores]


def _average_ranks(values: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """1-based ranks, ties sharing their average rank."""
    import numpy as np

    order = np.argsort(values, kind="stable")
    ranks = np.empty(len(values))
    ranks[order] = np.arange(1, len(values) + 1)
    for value in np.unique(values):
        tied = values == value
        if tied.sum() > 1:
            ranks[tied] = ranks[tied].mean()
    return ranks
