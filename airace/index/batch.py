"""Batched scoring of Monte Carlo replications that redraw the conflicting cells.

When conflicts vary, every replication has values of its own, but they differ from the baseline
only in the K conflicting cells. This module scores a batch ``(B, R, I)`` of such replications
in place, using that sparsity where it pays:

- column statistics (min, max, mean, standard deviation) for min-max, leader and z-score come
  from the fixed cells' statistics, computed once, combined with the drawn cells';
- percentile ranks come from the fixed cells' order, sorted once: a drawn cell is placed by
  binary search, a fixed cell moves by the number of draws that pass it; no batch sort;
- values stay 0 at missing cells, so imputation and aggregation are matrix products.

Columns whose transform depends on the whole column (winsorised columns with a conflict) are
recomputed densely. Scores equal ``compute.score_pillars`` on the same values (a test holds
them to it); PCA weights need the full values and go through ``score_pillars`` itself.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from airace.index.aggregate import positive_scale
from airace.index.compute import PreparedTable, score_pillars
from airace.index.impute import column_floor, membership
from airace.index.methodology import Methodology
from airace.index.normalise import affine_coefficients, normalise
from airace.index.transform import orient, transform
from airace.index.weights import indicator_weights

Array = npt.NDArray[np.float64]
Mask = npt.NDArray[np.bool_]
Positions = npt.NDArray[np.intp]

# Smallest score the geometric mean takes, on the positive scale (as in aggregate.py).
_GEOMETRIC_FLOOR = 1.0


@dataclass(frozen=True, eq=False)
class Conflicts:
    """The conflicting cells among the ranked rows and how a drawn value is transformed."""

    rows: Positions  # (K,) row among the ranked rows
    columns: Positions  # (K,)
    low: Array  # (K,) lowest raw value, before the denominator
    spread: Array  # (K,) highest - lowest
    divisor: Array  # (K,)
    log: Mask  # (K,) the column's transform is log
    sign: Array  # (K,) +1, or -1 where lower is better
    winsorised: Mask  # (K,) in a winsorised column: the whole column is redone

    @property
    def size(self) -> int:
        """The number of conflicting cells."""
        return len(self.rows)


def find_conflicts(prepared: PreparedTable, rows: Mask) -> Conflicts:
    """Collect the conflicting cells of the rows ``rows``: both ends known and different."""
    low, high = prepared.low[rows], prepared.high[rows]
    usable = np.isfinite(low) & np.isfinite(high) & (low != high) & prepared.present[rows]
    cell_rows, cell_columns = np.nonzero(usable)
    specs = [prepared.specs[column] for column in cell_columns]
    bottom = np.minimum(low, high)[usable]
    return Conflicts(
        rows=cell_rows.astype(np.intp),
        columns=cell_columns.astype(np.intp),
        low=bottom,
        spread=np.maximum(low, high)[usable] - bottom,
        divisor=prepared.divisor[rows][usable],
        log=np.array([spec.transform == "log" for spec in specs], dtype=bool),
        sign=np.array([float(spec.direction) for spec in specs]),
        winsorised=np.array([spec.transform == "winsorise" for spec in specs], dtype=bool),
    )


class BatchScorer:
    """Scores batches of replications of the rows ``rows`` with conflicts drawn anew."""

    def __init__(
        self,
        prepared: PreparedTable,
        rows: Mask,
        methodology: Methodology,
        conflicts: Conflicts,
    ) -> None:
        self.prepared = prepared
        self.rows = rows
        self.methodology = methodology
        self.conflicts = conflicts
        transformed = prepared.transformed[rows]
        present = prepared.present[rows]
        self.shape = transformed.shape
        self.present = present
        self.base = np.where(present, transformed, 0.0)
        self.missing = np.nonzero(~present)
        self.dense = np.unique(conflicts.columns[conflicts.winsorised]).astype(np.intp)
        sparse = np.flatnonzero(~conflicts.winsorised)
        self.sparse = sparse[np.argsort(conflicts.columns[sparse], kind="stable")]
        self.sparse_columns, self.sparse_starts = np.unique(
            conflicts.columns[self.sparse], return_index=True
        )
        self._fixed_statistics(transformed, present)
        self._rank_layout(transformed, present)
        self._imputation_layout(present)

    # -- drawing ---------------------------------------------------------------------------

    def draw(self, drawing: np.random.Generator, out: Array) -> Array:
        """Fill ``out`` ``(B, R, I)`` with transformed values, every conflict drawn anew.

        Returns:
            ``(B, K1)`` the drawn transformed values of the conflicts outside dense columns,
            grouped by column (what ``normalise`` needs besides ``out``).
        """
        return self.draw_from(drawing.random((len(out), self.conflicts.size)), out)

    def draw_from(self, uniform: Array, out: Array) -> Array:
        """Fill ``out`` ``(B, R, I)`` with transformed values, conflict ``k`` of item ``b`` at
        ``uniform[b, k]`` (0..1) of the way from its lowest to its highest figure; returns
        what ``draw`` returns."""
        conflicts = self.conflicts
        raw = (conflicts.low + uniform * conflicts.spread) / conflicts.divisor
        np.copyto(out, self.base)
        drawn = raw[:, self.sparse]
        logs = conflicts.log[self.sparse]
        drawn[:, logs] = np.log1p(np.clip(drawn[:, logs], 0, None))
        drawn *= conflicts.sign[self.sparse]
        out[:, conflicts.rows[self.sparse], conflicts.columns[self.sparse]] = drawn
        if self.dense.size:
            specs = [self.prepared.specs[column] for column in self.dense]
            block = np.empty((len(out), self.shape[0], len(specs)))
            block[...] = self.prepared.raw[self.rows][:, self.dense]
            slot = {int(column): at for at, column in enumerate(self.dense)}
            cells = np.flatnonzero(conflicts.winsorised)
            places = np.array([slot[int(conflicts.columns[cell])] for cell in cells], np.intp)
            block[:, conflicts.rows[cells], places] = raw[:, cells]
            block = orient(transform(block, specs), specs)
            out[:, :, self.dense] = np.where(self.present[:, self.dense], block, 0.0)
        return drawn

    # -- scoring ---------------------------------------------------------------------------

    def pillar_scores(
        self,
        values: Array,
        drawn: Array,
        normalisation: str,
        imputation: str,
        aggregation: str,
    ) -> Array:
        """Score a batch drawn by ``draw``; ``values`` is overwritten.

        Returns:
            ``(B, R, P)`` pillar scores, NaN where an entity has nothing in a pillar.
        """
        if not values.flags.c_contiguous:
            raise ValueError("the batch must be C-contiguous")
        if self.methodology.weights == "pca":
            return self._pillar_scores_with_pca(values, normalisation, imputation, aggregation)
        self._normalise(values, drawn, normalisation)
        after = self._impute(values, imputation)
        return self._aggregate(values, after, aggregation, normalisation)

    def _pillar_scores_with_pca(
        self, values: Array, normalisation: str, imputation: str, aggregation: str
    ) -> Array:
        """Score through ``score_pillars`` (PCA weights need every value of the batch)."""
        values[:, self.missing[0], self.missing[1]] = np.nan
        return score_pillars(
            values,
            self.prepared,
            self.rows,
            normalisation=normalisation,
            imputation=imputation,
            aggregation=aggregation,
            weights="pca",
        ).pillar_scores

    def _normalise(self, values: Array, drawn: Array, method: str) -> None:
        """Normalise ``values`` in place, keeping missing cells at 0."""
        if method == "rank":
            self._ranks(values, drawn)
            self.floor = column_floor(values, self.present)
            return
        low, high, mean, std = self._statistics(values, drawn, method == "zscore")
        scale, offset = affine_coefficients(method, low, high, mean, std)
        values *= scale[:, None, :]
        values += offset[:, None, :]
        values[:, self.missing[0], self.missing[1]] = 0.0
        with np.errstate(invalid="ignore"):
            # An increasing affine map sends each column's lowest value to its lowest score.
            self.floor = np.where(self.column_counts > 0, low * scale + offset, np.inf)

    def _impute(self, values: Array, method: str) -> int:
        """Impute ``values`` in place, each filled cell capped at its column's lowest score
        (``self.floor``, set by ``_normalise``) when the table says so; return the
        imputation's position in ``self.after``."""
        if method == "pillar_mean":
            rows, columns, pillars = self.pillar_cells
            sums = values @ self.prepared.members
            means = sums[:, rows, pillars] / self.pillar_counts[rows, pillars]
            values[:, rows, columns] = self._capped(means, columns)
            return 1
        if method == "group_mean":
            rows, columns, groups, own = self.group_cells
            sums = np.matmul(self.by_group.T, values)
            overall = values.sum(axis=1)[:, columns] / self.column_counts[columns]
            with np.errstate(divide="ignore", invalid="ignore"):
                peers = sums[:, groups, columns] / self.group_counts[groups, columns]
            values[:, rows, columns] = self._capped(np.where(own, peers, overall), columns)
            return 2
        if method != "none":
            raise ValueError(f"unknown imputation {method!r}")
        return 0

    def _capped(self, filled: Array, columns: Positions) -> Array:
        """Imputed values ``(B, cells)`` held at their columns' lowest scores if the table
        says so."""
        if not self.prepared.cap_imputed:
            return filled
        return np.minimum(filled, self.floor[:, columns])

    def _aggregate(self, values: Array, after: int, method: str, normalisation: str) -> Array:
        """Aggregate imputed values (``after``: which imputation) into pillar scores."""
        weights = indicator_weights(self.prepared.specs, self.methodology.weights)
        by_pillar = weights[:, None] * self.prepared.members
        norm = self.after[after].astype(np.float64) @ by_pillar
        geometric = method == "geometric"
        offset, factor = positive_scale(normalisation)
        if geometric:
            if factor != 1.0 or offset != 0.0:
                rows, columns = self.unfilled[after]
                values[:, rows, columns] = (_GEOMETRIC_FLOOR - offset) / factor
                values *= factor
                values += offset
            np.maximum(values, _GEOMETRIC_FLOOR, out=values)
            np.log(values, out=values)
        elif method != "arithmetic":
            raise ValueError(f"unknown aggregation {method!r}")
        total = values @ by_pillar
        result = np.full(total.shape, np.nan)
        np.divide(total, norm, out=result, where=norm > 0)
        if geometric:
            np.exp(result, out=result)
            result -= offset
            result /= factor
        return result

    # -- column statistics -----------------------------------------------------------------

    def _fixed_statistics(self, transformed: Array, present: Mask) -> None:
        """Compute the statistics of each column's cells that no replication changes."""
        conflict = np.zeros(self.shape, dtype=bool)
        conflict[self.conflicts.rows, self.conflicts.columns] = True
        fixed = np.where(present & ~conflict, transformed, np.nan)
        self.fixed_low = np.where(np.isnan(fixed), np.inf, fixed).min(axis=0, initial=np.inf)
        self.fixed_high = np.where(np.isnan(fixed), -np.inf, fixed).max(axis=0, initial=-np.inf)
        self.column_counts = present.sum(axis=0).astype(np.float64)
        filled = np.where(present, transformed, 0.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            reference = np.where(
                self.column_counts > 0, filled.sum(axis=0) / self.column_counts, 0.0
            )
        self.reference = reference
        deviation = np.where(np.isnan(fixed), 0.0, fixed - reference)
        self.fixed_sum = deviation.sum(axis=0)
        self.fixed_squares = (deviation * deviation).sum(axis=0)
        self.fixed_cells = fixed

    def _statistics(
        self, values: Array, drawn: Array, moments: bool
    ) -> tuple[Array, Array, Array | None, Array | None]:
        """Return per replication and column ``(B, I)`` min, max and, with ``moments``, mean
        and population standard deviation over the present cells."""
        count = len(values)
        low = np.tile(self.fixed_low, (count, 1))
        high = np.tile(self.fixed_high, (count, 1))
        columns, starts = self.sparse_columns, self.sparse_starts
        if columns.size:
            low[:, columns] = np.minimum(low[:, columns], np.minimum.reduceat(drawn, starts, 1))
            high[:, columns] = np.maximum(high[:, columns], np.maximum.reduceat(drawn, starts, 1))
        block = values[:, :, self.dense]
        present = self.present[:, self.dense]
        if self.dense.size:
            low[:, self.dense] = np.where(present, block, np.inf).min(axis=1)
            high[:, self.dense] = np.where(present, block, -np.inf).max(axis=1)
        if not moments:
            return low, high, None, None
        total = np.tile(self.fixed_sum, (count, 1))
        squares = np.tile(self.fixed_squares, (count, 1))
        if columns.size:
            deviation = drawn - self.reference[self.conflicts.columns[self.sparse]]
            total[:, columns] += np.add.reduceat(deviation, starts, 1)
            squares[:, columns] += np.add.reduceat(deviation * deviation, starts, 1)
        if self.dense.size:
            deviation = np.where(present, block - self.reference[self.dense], 0.0)
            total[:, self.dense] = deviation.sum(axis=1)
            squares[:, self.dense] = (deviation * deviation).sum(axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            shift = total / self.column_counts
            variance = np.maximum(squares / self.column_counts - shift * shift, 0.0)
        return low, high, self.reference + shift, np.sqrt(variance)

    # -- percentile ranks ------------------------------------------------------------------

    def _rank_layout(self, transformed: Array, present: Mask) -> None:
        """Sort the fixed cells of each column with sparse conflicts, once."""
        baseline = normalise(np.where(present, transformed, np.nan), "rank")
        self.base_ranks = np.where(present, baseline, 0.0)
        fixed = self.fixed_cells
        columns = self.conflicts.columns[self.sparse]
        sorted_values, slot_rows, slot_columns, twice_rank, starts = [], [], [], [], []
        segment_start = np.zeros(len(self.sparse), dtype=np.intp)
        segment_size = np.zeros(len(self.sparse), dtype=np.intp)
        first_pair: list[int] = []
        second_pair: list[int] = []
        pair_starts: list[int] = []
        offset = 0
        for number, column in enumerate(self.sparse_columns.tolist()):
            rows = np.flatnonzero(~np.isnan(fixed[:, column]))
            order = np.argsort(fixed[rows, column], kind="stable")
            values = fixed[rows[order], column]
            size = len(values)
            sorted_values.append(np.append(values, np.inf))  # a sentinel ends each segment
            slot_rows.append(rows[order])
            slot_columns.append(np.full(size, column))
            twice_rank.append(_twice_average_ranks(values))
            starts.append(np.full(size, offset))
            first = self.sparse_starts[number]
            last = self.sparse_starts[number + 1] if number + 1 < len(self.sparse_columns) else None
            cells = np.arange(len(self.sparse))[first:last]
            segment_start[cells] = offset
            segment_size[cells] = size
            for cell in cells.tolist():
                pair_starts.append(len(first_pair))
                first_pair.extend([cell] * len(cells))
                second_pair.extend(cells.tolist())
            offset += size + 1
        self.sorted_fixed = np.concatenate(sorted_values) if sorted_values else np.zeros(0)
        self.slot_cells = (
            np.concatenate(slot_rows) * self.shape[1] + np.concatenate(slot_columns)
            if slot_rows
            else np.zeros(0, np.intp)
        )
        self.slot_twice_rank = np.concatenate(twice_rank) if twice_rank else np.zeros(0)
        self.slot_start = np.concatenate(starts) if starts else np.zeros(0, np.intp)
        # position of each fixed slot in the concatenated array (sentinels left out)
        self.slot_positions = np.flatnonzero(np.isfinite(self.sorted_fixed))
        slot_column = np.concatenate(slot_columns) if slot_columns else np.zeros(0, np.intp)
        self.slot_scale = _rank_scale(self.column_counts[slot_column])
        self.segment_start = segment_start
        self.segment_size = segment_size
        self.cell_scale = _rank_scale(self.column_counts[columns])
        self.cell_flat = self.conflicts.rows[self.sparse] * self.shape[1] + columns
        self.pairs = (
            np.array(first_pair, np.intp),
            np.array(second_pair, np.intp),
            np.array(pair_starts, np.intp),
        )

    def _ranks(self, values: Array, drawn: Array) -> None:
        """Replace ``values`` by percentile ranks, in place."""
        count = len(values)
        dense = None
        if self.dense.size:
            dense = np.where(self.present[:, self.dense], values[:, :, self.dense], np.nan)
        np.copyto(values, self.base_ranks)
        flat = values.reshape(count, -1)
        if self.sparse.size:
            below = self._search(drawn, right=False)  # fixed cells < draw
            below_or_equal = self._search(drawn, right=True)  # fixed cells <= draw
            first, second, starts = self.pairs
            less = np.add.reduceat(drawn[:, second] < drawn[:, first], starts, 1, np.intp)
            equal = np.add.reduceat(drawn[:, second] == drawn[:, first], starts, 1, np.intp)
            twice = 2 * (below + less) + (below_or_equal - below) + equal - 1
            flat[:, self.cell_flat] = _percentile(twice, self.cell_scale)
            passed = self._passed(below_or_equal, count)  # draws < each fixed cell
            reached = self._passed(below, count)  # draws <= each fixed cell
            twice = self.slot_twice_rank + 2 * passed + (reached - passed)
            flat[:, self.slot_cells] = _percentile(twice, self.slot_scale)
        if dense is not None:
            ranked = normalise(dense, "rank")
            values[:, :, self.dense] = np.where(self.present[:, self.dense], ranked, 0.0)

    def _search(self, drawn: Array, *, right: bool) -> npt.NDArray[np.intp]:
        """Return, per draw, how many fixed cells of its column are below it (or equal, with
        ``right``): a binary search over each column's sorted segment, all draws at once."""
        low = np.broadcast_to(self.segment_start, drawn.shape).copy()
        high = low + self.segment_size
        for _ in range(int(self.segment_size.max(initial=0)).bit_length()):
            active = low < high
            middle = (low + high) >> 1
            pivot = self.sorted_fixed[middle]
            go = (pivot <= drawn) if right else (pivot < drawn)
            low = np.where(active & go, middle + 1, low)
            high = np.where(active & ~go, middle, high)
        return low - self.segment_start

    def _passed(self, positions: npt.NDArray[np.intp], count: int) -> npt.NDArray[np.int_]:
        """Return ``(B, fixed cells)``: how many draws have a position at or before each
        fixed cell's place in its column."""
        size = len(self.sorted_fixed)
        index = (np.arange(count)[:, None] * size + self.segment_start + positions).ravel()
        tally = np.bincount(index, minlength=count * size).reshape(count, size)
        running = np.zeros((count, size + 1), dtype=np.int_)
        np.cumsum(tally, axis=1, out=running[:, 1:])
        slots = self.slot_positions
        return running[:, slots + 1] - running[:, self.slot_start]

    # -- imputation layout -----------------------------------------------------------------

    def _imputation_layout(self, present: Mask) -> None:
        """Find the cells each imputation fills and what it fills them from."""
        members = self.prepared.members
        codes = self.prepared.pillar_codes
        self.pillar_counts = present.astype(np.float64) @ members
        pillar_fill = ~present & (self.pillar_counts[:, codes] > 0)
        rows, columns = np.nonzero(pillar_fill)
        self.pillar_cells = (rows, columns, codes[columns])
        group_codes = self.prepared.group_codes[self.rows]
        self.by_group = membership(group_codes)
        group_of = np.argmax(self.by_group, axis=1)
        self.group_counts = self.by_group.T @ present.astype(np.float64)
        group_fill = ~present & (self.column_counts > 0)
        rows, columns = np.nonzero(group_fill)
        groups = group_of[rows]
        self.group_cells = (rows, columns, groups, self.group_counts[groups, columns] > 0)
        self.after = (present, present | pillar_fill, present | group_fill)
        self.unfilled = tuple(np.nonzero(~after) for after in self.after)


def _twice_average_ranks(values: Array) -> Array:
    """Return twice the 0-based average rank of each sorted value among ``values``."""
    size = len(values)
    positions = np.arange(size)
    if not size:
        return np.zeros(0)
    starts = np.ones(size, dtype=bool)
    starts[1:] = values[1:] != values[:-1]
    ends = np.ones(size, dtype=bool)
    ends[:-1] = starts[1:]
    first = np.maximum.accumulate(np.where(starts, positions, 0))
    last = np.minimum.accumulate(np.where(ends, positions, size)[::-1])[::-1]
    return (first + last).astype(np.float64)


def _rank_scale(counts: Array) -> Array:
    """Return ``50 / (n - 1)`` per column count ``n`` (0 where a lone value scores 100)."""
    with np.errstate(divide="ignore"):
        return np.where(counts > 1, 50.0 / (counts - 1), 0.0)


def _percentile(twice_rank: npt.NDArray[np.float64 | np.intp], scale: Array) -> Array:
    """Return percentile ranks from twice the average rank, as ``normalise`` computes them."""
    return np.where(scale > 0, twice_rank * scale, 100.0)
