"""Index engine speed: compute_index once and the Monte Carlo over method choices.

Builds a synthetic indicator table (default 200 entities x 100 indicators in 10 pillars, about
15 % of cells missing and 5 % of the present ones conflicting, heavy-tailed values, a mix of
log, winsorised, plain and lower-is-better columns), then times ``compute_index`` and
``simulate`` (10,000 replications, conflicts varying, with and without the sensitivity runs;
the first is the process's first, so it pays any warm-up). Memory: the tracemalloc peak of a
further simulation (numpy allocations; traced apart because tracing slows allocation) and the
process's maximum resident set size.

Usage: python benchmarks/index.py [--entities 200] [--indicators 100] [--replications 10000]
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
import tracemalloc

import numpy as np

from airace.index import (
    Archetype,
    IndicatorSpec,
    IndicatorTable,
    MatrixSpec,
    Methodology,
    PillarSpec,
    UncertaintySpec,
    compute_index,
    simulate,
)

PILLARS = 10
MISSING = 0.15
CONFLICTING = 0.05


def synthetic_methodology(indicators: int, replications: int) -> Methodology:
    """Return a methodology with ``indicators`` spread over ten pillars."""
    transforms = ("log", "log", "none", "winsorise")
    specs = tuple(
        IndicatorSpec(
            id=f"i{number:03d}",
            pillar=f"p{number % PILLARS}",
            direction=-1 if number % 7 == 0 else 1,
            transform=transforms[number % len(transforms)],
            weight=1.0 + (number % 3),
        )
        for number in range(indicators)
    )
    pillars = tuple(
        PillarSpec(
            id=f"p{pillar}",
            name=f"Pillar {pillar}",
            weight=1.0 + pillar % 2,
            indicators=tuple(spec.id for spec in specs if spec.pillar == f"p{pillar}"),
        )
        for pillar in range(PILLARS)
    )
    specs = tuple(spec for pillar in pillars for spec in specs if spec.pillar == pillar.id)
    return Methodology(
        name="synthetic",
        version="1",
        description="benchmark",
        indicators=specs,
        pillars=pillars,
        imputation="pillar_mean",
        normalisation="minmax",
        weights="custom",
        aggregation="arithmetic",
        min_coverage=0.3,
        uncertainty=UncertaintySpec(
            replications=replications,
            seed=1,
            interval=0.9,
            weight_concentration=20.0,
            normalisations=("minmax", "zscore", "rank", "leader"),
            imputations=("none", "pillar_mean", "group_mean"),
            aggregations=("arithmetic", "geometric"),
            vary_conflicts=True,
        ),
        matrix=MatrixSpec(
            x_label="x",
            x_pillars=("p0", "p1"),
            y_label="y",
            y_pillars=("p2",),
            archetypes=tuple(
                Archetype(f"tier{n}", f"tier {n}", threshold)
                for n, threshold in enumerate((75.0, 50.0, 25.0, 0.0))
            ),
        ),
        digest="synthetic",
    )


def synthetic_table(entities: int, methodology: Methodology, seed: int = 0) -> IndicatorTable:
    """Return heavy-tailed values with missing and conflicting cells."""
    rng = np.random.default_rng(seed)
    shape = (entities, len(methodology.indicators))
    size = rng.lognormal(0.0, 1.5, size=(entities, 1))
    values = size * rng.lognormal(0.0, 1.0, size=shape) * 1000
    values[rng.random(shape) < MISSING] = np.nan
    conflicting = (rng.random(shape) < CONFLICTING) & ~np.isnan(values)
    spread = rng.uniform(0.05, 0.5, size=shape)
    low = np.where(conflicting, values * (1 - spread), np.nan)
    high = np.where(conflicting, values * (1 + spread), np.nan)
    return IndicatorTable(
        entities=tuple(f"E{number:04d}" for number in range(entities)),
        indicators=methodology.indicator_ids,
        values=values,
        low=low,
        high=high,
        groups=tuple(f"g{number % 6}" for number in range(entities)),
        population=rng.lognormal(16, 1.5, size=entities),
        gdp=rng.lognormal(25, 1.5, size=entities),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--entities", type=int, default=200)
    parser.add_argument("--indicators", type=int, default=100)
    parser.add_argument("--replications", type=int, default=10_000)
    args = parser.parse_args()
    methodology = synthetic_methodology(args.indicators, args.replications)
    table = synthetic_table(args.entities, methodology)
    conflicts = int(np.isfinite(table.low).sum()) if table.low is not None else 0
    print(
        f"table      {args.entities} entities x {args.indicators} indicators, "
        f"{int(np.isnan(table.values).sum())} missing, {conflicts} conflicting cells"
    )

    compute_index(table, methodology)  # warm-up
    started = time.perf_counter()
    rounds = 20
    for _ in range(rounds):
        result = compute_index(table, methodology)
    each = (time.perf_counter() - started) / rounds
    print(f"compute    {each * 1000:8.1f} ms  ({int((result.rank > 0).sum())} ranked)")

    for sensitivity in (False, True):
        started = time.perf_counter()
        spread = simulate(table, methodology, sensitivity=sensitivity)
        seconds = time.perf_counter() - started
        label = "simulate+s" if sensitivity else "simulate  "
        print(f"{label} {seconds:8.2f} s   {spread.replications / seconds:9.0f} replications/s")
    tracemalloc.start()  # a separate run: tracing numpy's allocations slows them down
    simulate(table, methodology, sensitivity=True)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"memory     tracemalloc peak {peak / 2**20:.1f} MiB (simulate with sensitivity)")
    width = float(np.nanmean(spread.high_rank - spread.low_rank))
    print(f"mean 90 % rank interval width {width:.1f}; sensitivity {spread.sensitivity}")
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"maxrss     {maxrss / (2**20 if sys.platform == 'darwin' else 2**10):8.1f} MiB")


if __name__ == "__main__":
    main()
