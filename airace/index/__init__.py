"""The index engine: indicator values -> pillar scores -> composite index, rank intervals,
maturity matrix and what-if scenarios (pure numpy; the only I/O is reading a methodology).

Follows the OECD/JRC Handbook on Constructing Composite Indicators: transformation, imputation,
normalisation, weighting, aggregation, then a Monte Carlo over those choices.
"""

from __future__ import annotations

from airace.index.compute import IndexResult, compute_index
from airace.index.matrix import MatrixPoint, maturity_matrix
from airace.index.methodology import (
    Archetype,
    IndicatorSpec,
    MatrixSpec,
    Methodology,
    MethodologyError,
    PillarSpec,
    UncertaintySpec,
    load_methodology,
    parse_weights,
)
from airace.index.scenarios import (
    Change,
    ScenarioError,
    ScenarioRow,
    apply_changes,
    parse_change,
    run_scenario,
)
from airace.index.table import IndicatorTable
from airace.index.uncertainty import RankUncertainty, simulate

__all__ = [
    "Archetype",
    "Change",
    "IndexResult",
    "IndicatorSpec",
    "IndicatorTable",
    "MatrixPoint",
    "MatrixSpec",
    "Methodology",
    "MethodologyError",
    "PillarSpec",
    "RankUncertainty",
    "ScenarioError",
    "ScenarioRow",
    "UncertaintySpec",
    "apply_changes",
    "compute_index",
    "load_methodology",
    "maturity_matrix",
    "parse_change",
    "parse_weights",
    "run_scenario",
    "simulate",
]
