"""Monte Carlo uncertainty of ranks over method choices (OECD/JRC handbook, step 8).

Each replication draws pillar weights from a Dirichlet distribution centred on the base weights
(``concentration * base``), one normalisation, one imputation and one aggregation uniformly from
the methodology's alternatives, and, where ``vary_conflicts``, one of ``conflict_draws`` conflict
worlds: in each world every conflicting observation has a value drawn uniformly between its
lowest and highest claim (before denominator and transform), and every method choice sees the
same worlds (common random numbers).
It then ranks the entities the baseline ranks. The result is each entity's median rank and the
interval that holds the central ``interval`` share of its ranks (the lower end rounded down to
an observed rank, the upper end up), and per choice the mean absolute rank shift from the
baseline when only that choice varies.

Speed: the pillar scores of each combination of discrete choices are computed once per conflict
world (one batched ``(W, E, I)`` computation through the same stage functions as
``compute_index``), so a replication costs one weighted sum per entity and a rank. Drawing every
conflict anew for each of 10,000 replications cost ten times as much (4.8 s against 0.45 s for
200 entities x 100 indicators, ``benchmarks/index.py``) for the same intervals: conflicts move
ranks far less than weights and method choices do (the sensitivity shows it). Ranks come from a
batched argsort, quantiles from a count of each rank. The same seed gives the same result.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from airace.errors import AiraceError
from airace.index.batch import BatchScorer, find_conflicts
from airace.index.compute import baseline, combine_pillars, prepare_table, score_pillars
from airace.index.methodology import Methodology
from airace.index.ranking import competition_ranks
from airace.index.table import IndicatorTable

Array = npt.NDArray[np.float64]
Mask = npt.NDArray[np.bool_]
Ranks = npt.NDArray[np.int32]

SENSITIVITY_KEYS = ("weights", "normalisation", "imputation", "aggregation", "conflicts")

# Replications of the sampled sensitivity runs (weights, conflicts): the mean absolute shift is
# an average over entities and draws, so 1,000 draws pin it well below a tenth of a rank.
SENSITIVITY_REPLICATIONS = 1000

# Cells of one (B, E, P) chunk of pillar scores when only weights and choices vary.
_CHUNK_PILLAR_CELLS = 2_000_000


@dataclass(frozen=True, eq=False)
class RankUncertainty:
    """Rank intervals from the Monte Carlo, indexed like the table's entities.

    Entities the baseline does not rank have NaN ranks. ``sensitivity`` maps each choice
    (``weights``, ``normalisation``, ``imputation``, ``aggregation``, ``conflicts``) to the mean
    absolute rank shift from the baseline when only that choice varies.
    """

    entities: tuple[str, ...]
    median_rank: Array
    low_rank: Array
    high_rank: Array
    replications: int
    seed: int
    sensitivity: dict[str, float]


def simulate(
    table: IndicatorTable,
    methodology: Methodology,
    *,
    replications: int | None = None,
    seed: int | None = None,
    sensitivity: bool = True,
) -> RankUncertainty:
    """Run the Monte Carlo over method choices and return rank intervals.

    Args:
        table: raw values, entities x indicators (with conflict spreads in ``low``/``high``).
        methodology: the baseline choices and the ``uncertainty`` settings.
        replications: overrides the methodology's number of replications.
        seed: overrides the methodology's seed.
        sensitivity: also measure how far each choice alone moves ranks (an empty mapping
            when False).

    Returns:
        Median rank and rank interval per entity, and the sensitivity per choice.

    Raises:
        AiraceError: fewer than one replication.
    """
    spec = methodology.uncertainty
    count = spec.replications if replications is None else int(replications)
    if count < 1:
        raise AiraceError("at least one replication is needed", key="replications")
    seed = spec.seed if seed is None else int(seed)
    _keep_freed_memory()
    model = _Model(table, methodology)
    streams = [np.random.default_rng(child) for child in np.random.SeedSequence(seed).spawn(4)]
    entities = len(table.entities)
    median, low, high = (np.full(entities, np.nan) for _ in range(3))
    found = dict.fromkeys(SENSITIVITY_KEYS, 0.0) if sensitivity else {}
    if model.size:
        ranks = model.replicate(
            count,
            streams[0],
            streams[1],
            normalisations=spec.normalisations,
            imputations=spec.imputations,
            aggregations=spec.aggregations,
            vary_weights=True,
            vary_conflicts=spec.vary_conflicts,
        )
        tail = (1.0 - spec.interval) / 2.0
        median[model.rows], low[model.rows], high[model.rows] = _rank_quantiles(ranks, tail)
        if sensitivity:
            found = model.sensitivity(min(count, SENSITIVITY_REPLICATIONS), streams[2], streams[3])
    return RankUncertainty(
        entities=table.entities,
        median_rank=median,
        low_rank=low,
        high_rank=high,
        replications=count,
        seed=seed,
        sensitivity=found,
    )


class _Model:
    """The baseline-ranked rows of a prepared table, ready for batched replications."""

    def __init__(self, table: IndicatorTable, methodology: Methodology) -> None:
        prepared = prepare_table(table, methodology)
        eligible = prepared.eligible
        _, base_weights, index = baseline(prepared, methodology)
        rows = np.zeros_like(eligible)
        rows[np.flatnonzero(eligible)[~np.isnan(index)]] = True  # as compute_index ranks them
        self.methodology = methodology
        self.prepared = prepared
        self.rows = rows
        self.size = int(rows.sum())
        self.transformed = prepared.transformed[rows]
        self.base_weights = base_weights
        self.baseline = competition_ranks(index[~np.isnan(index)])
        self.conflicts = find_conflicts(prepared, rows)
        self._scorer: BatchScorer | None = None

    @property
    def scorer(self) -> BatchScorer:
        """The batch scorer for replications that redraw conflicts (built when first needed)."""
        if self._scorer is None:
            self._scorer = BatchScorer(self.prepared, self.rows, self.methodology, self.conflicts)
        return self._scorer

    def replicate(
        self,
        count: int,
        choosing: np.random.Generator,
        drawing: np.random.Generator,
        *,
        normalisations: Sequence[str],
        imputations: Sequence[str],
        aggregations: Sequence[str],
        vary_weights: bool,
        vary_conflicts: bool,
    ) -> Ranks:
        """Return the ranks ``(count, R)`` of ``count`` replications.

        ``choosing`` draws the discrete choices (uniformly from the given alternatives) and the
        pillar weights, all at once; ``drawing`` draws conflicting values, batch by batch, in
        the order the replications are processed (sorted by their choices).
        """
        options = (tuple(normalisations), tuple(imputations), tuple(aggregations))
        codes = [
            choosing.integers(len(choices), size=count)
            if len(choices) > 1
            else np.zeros(count, np.int_)
            for choices in options
        ]
        combos = (codes[0] * len(options[1]) + codes[1]) * len(options[2]) + codes[2]
        concentration = self.methodology.uncertainty.weight_concentration
        weights = (
            choosing.dirichlet(concentration * self.base_weights, size=count)
            if vary_weights
            else None
        )
        varying = vary_conflicts and self.conflicts.size > 0
        rows, columns = self.transformed.shape
        worlds: Array | None = None
        if varying:
            # The conflict worlds: each conflicting cell drawn once per world, shared by every
            # method choice (common random numbers), each replication in one world.
            count_worlds = max(1, min(self.methodology.uncertainty.conflict_draws, count))
            world_of = choosing.integers(count_worlds, size=count)
            worlds = np.empty((count_worlds, rows, columns))
            uniform = drawing.random((count_worlds, self.conflicts.size))
            world_draws = self.scorer.draw_from(uniform, worlds)
        chunk = max(1, _CHUNK_PILLAR_CELLS // max(rows * len(self.base_weights), 1))
        ranks = np.empty((count, rows), dtype=np.int32)
        order = np.argsort(combos, kind="stable")
        for combo, first, last in _runs(combos[order]):
            normalisation = options[0][combo // (len(options[1]) * len(options[2]))]
            imputation = options[1][(combo // len(options[2])) % len(options[1])]
            aggregation = options[2][combo % len(options[2])]
            if worlds is None:
                scored = score_pillars(
                    self.transformed,
                    self.prepared,
                    self.rows,
                    normalisation=normalisation,
                    imputation=imputation,
                    aggregation=aggregation,
                    weights=self.methodology.weights,
                ).pillar_scores
            else:
                by_world = self.scorer.pillar_scores(
                    worlds.copy(), world_draws.copy(), normalisation, imputation, aggregation
                )
            for start in range(first, last, chunk):
                picked = order[start : min(start + chunk, last)]
                pillars = scored if worlds is None else by_world[world_of[picked]]
                drawn_weights = self.base_weights if weights is None else weights[picked]
                index = combine_pillars(pillars, drawn_weights, aggregation, normalisation)
                ranks[picked] = competition_ranks(np.broadcast_to(index, (len(picked), rows)))
        return ranks

    def sensitivity(
        self, count: int, weighing: np.random.Generator, drawing: np.random.Generator
    ) -> dict[str, float]:
        """Return the mean absolute rank shift from the baseline when each choice alone varies:
        sampled for weights and conflicts, exact (every alternative once) for the others."""
        m = self.methodology
        spec = m.uncertainty
        base = {
            "normalisations": (m.normalisation,),
            "imputations": (m.imputation,),
            "aggregations": (m.aggregation,),
        }
        found = {
            "weights": self._shift(
                self.replicate(
                    count, weighing, drawing, **base, vary_weights=True, vary_conflicts=False
                )
            )
        }
        for key, field, alternatives in (
            ("normalisation", "normalisations", spec.normalisations),
            ("imputation", "imputations", spec.imputations),
            ("aggregation", "aggregations", spec.aggregations),
        ):
            shifts = [
                self._shift(
                    self.replicate(
                        1,
                        weighing,
                        drawing,
                        **{**base, field: (choice,)},
                        vary_weights=False,
                        vary_conflicts=False,
                    )
                )
                for choice in alternatives
            ]
            found[key] = float(np.mean(shifts))
        found["conflicts"] = (
            self._shift(
                self.replicate(
                    count, weighing, drawing, **base, vary_weights=False, vary_conflicts=True
                )
            )
            if spec.vary_conflicts and self.conflicts.size > 0
            else 0.0
        )
        return found

    def _shift(self, ranks: Ranks) -> float:
        """Return the mean absolute difference between ``ranks`` and the baseline's."""
        return float(np.abs(ranks - self.baseline).mean())


@functools.cache
def _keep_freed_memory() -> None:
    """Let glibc reuse freed chunk-sized arrays instead of mapping fresh pages for each.

    glibc serves allocations above 128 KiB with ``mmap`` and unmaps them on free until a large
    enough free raises its threshold, so a first simulation paid a page fault for every page of
    every temporary: 1.06 M minor faults and 7.4 s against 4 k faults and 4.4 s for the same
    simulation run again (``benchmarks/index.py``). Raising the thresholds to the 32 MiB glibc
    itself would reach makes the first run as fast as later ones. Best effort: other C libraries
    are left alone.
    """
    if not sys.platform.startswith("linux"):
        return
    name = ctypes.util.find_library("c")
    if name is None:
        return
    try:
        mallopt = ctypes.CDLL(name).mallopt
    except (OSError, AttributeError):
        return
    mmap_threshold, trim_threshold = -3, -1  # M_MMAP_THRESHOLD, M_TRIM_THRESHOLD (malloc.h)
    mallopt(mmap_threshold, 32 * 2**20)
    mallopt(trim_threshold, 64 * 2**20)


def _rank_quantiles(ranks: Ranks, tail: float) -> tuple[Array, Array, Array]:
    """Per entity (column): the median rank, and the ``tail`` and ``1 - tail`` quantiles
    rounded to observed ranks (``np.quantile`` methods ``lower`` and ``higher``), from a count
    of each rank: ranks are small integers, so counting beats sorting 10,000 rows per entity."""
    count, entities = ranks.shape
    top = int(ranks.max(initial=0)) + 1
    cells = (np.arange(entities, dtype=np.int64) * top)[None, :] + ranks
    tally = np.bincount(cells.ravel(), minlength=entities * top).reshape(entities, top)
    cumulative = np.cumsum(tally, axis=1)

    def order_statistic(position: int) -> Array:
        return np.asarray(np.argmax(cumulative > position, axis=1), dtype=np.float64)

    middle = (count - 1) / 2.0
    median = (order_statistic(int(np.floor(middle))) + order_statistic(int(np.ceil(middle)))) / 2
    low = order_statistic(int(np.floor(tail * (count - 1))))
    high = order_statistic(int(np.ceil((1.0 - tail) * (count - 1))))
    return median, low, high


def _runs(codes: npt.NDArray[np.int_]) -> Iterator[tuple[int, int, int]]:
    """Yield ``(code, start, stop)`` for each run of equal values in sorted ``codes``."""
    if not len(codes):
        return
    edges = np.flatnonzero(codes[1:] != codes[:-1]) + 1
    starts = np.concatenate([[0], edges])
    stops = np.concatenate([edges, [len(codes)]])
    for start, stop in zip(starts.tolist(), stops.tolist(), strict=True):
        yield int(codes[start]), start, stop
