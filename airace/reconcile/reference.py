"""Curated reference data: population, GDP, regions, and AI-capacity figures with sources.

Files under ``data/reference/`` (each opens with its sources):

- ``population.yaml``, ``gdp.yaml``: ``values: {ISO2: {value, year}}`` - denominators for
  per-capita and per-GDP indicators;
- ``groups.yaml``: ``groups: {ISO2: region}`` - peers for group-mean imputation;
- ``indicators.yaml``: ``sources`` (id -> publisher, title, url) and ``datasets`` (indicator,
  period, unit, source, values {ISO2: number}) - the starter set of indicator figures, so a fresh
  install ranks real countries before anything is ingested. Each figure becomes ``Evidence``
  with ``claim_id`` None and the dataset's source and URL.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from airace.errors import LexiconError
from airace.extract.lexicon import check_keys, read_mapping
from airace.model import Evidence

REFERENCE_DIR = Path(__file__).resolve().parent.parent / "data" / "reference"


@dataclass(frozen=True, slots=True)
class ReferenceSource:
    """Where a curated figure comes from."""

    id: str
    publisher: str
    title: str
    url: str | None


@dataclass(frozen=True, slots=True)
class ReferenceFigure:
    """One curated figure: the evidence it gives and the indicator it belongs to."""

    indicator: str
    entity: str
    evidence: Evidence


@dataclass(frozen=True, slots=True)
class ReferenceData:
    """Everything under ``data/reference/``, loaded once."""

    population: dict[str, float]
    gdp: dict[str, float]
    groups: dict[str, str]
    sources: dict[str, ReferenceSource]
    figures: tuple[ReferenceFigure, ...]


@cache
def load_reference(folder: Path = REFERENCE_DIR) -> ReferenceData:
    """Read and validate the reference files; a missing file gives empty data.

    Raises:
        LexiconError: a malformed file, an unknown key or source, a value that is not a number;
            the message names the file and key path.
    """
    sources, figures = _read_indicator_figures(folder / "indicators.yaml")
    return ReferenceData(
        population=_read_values(folder / "population.yaml"),
        gdp=_read_values(folder / "gdp.yaml"),
        groups=_read_groups(folder / "groups.yaml"),
        sources=sources,
        figures=figures,
    )


def _read_values(path: Path) -> dict[str, float]:
    if not path.is_file():
        return {}
    where = str(path)
    data = read_mapping(path, "reference file")
    check_keys(data, required=["values"], optional=["indicator", "unit", "source"], path=where)
    values: dict[str, float] = {}
    for code, entry in data["values"].items():
        value = entry.get("value") if isinstance(entry, dict) else entry
        values[str(code)] = _check_number(value, where, f"values.{code}")
    return values


def _read_groups(path: Path) -> dict[str, str]:
    if not path.is_file():
        return {}
    data = read_mapping(path, "reference file")
    check_keys(data, required=["groups"], optional=["source"], path=str(path))
    return {str(code): str(group) for code, group in data["groups"].items()}


def _read_indicator_figures(
    path: Path,
) -> tuple[dict[str, ReferenceSource], tuple[ReferenceFigure, ...]]:
    if not path.is_file():
        return {}, ()
    where = str(path)
    data = read_mapping(path, "reference file")
    check_keys(data, required=["sources", "datasets"], path=where)
    sources = {str(key): _source(str(key), item, where) for key, item in data["sources"].items()}
    figures: list[ReferenceFigure] = []
    for position, dataset in enumerate(data["datasets"]):
        at = f"datasets[{position}]."
        check_keys(
            dataset,
            required=["indicator", "period", "unit", "source", "values"],
            optional=["note"],
            path=where,
            where=at,
        )
        source = sources.get(str(dataset["source"]))
        if source is None:
            raise LexiconError(
                f"unknown source {dataset['source']!r}", path=where, key=f"{at}source"
            )
        period = str(dataset["period"])
        for entity, value in dataset["values"].items():
            number = _check_number(value, where, f"{at}values.{entity}")
            evidence = Evidence(
                value=number,
                subject=str(entity),
                period=period[:4],
                as_of=period,
                source=source.publisher,
                quote=f"{source.title}: {number:g}",
                url=source.url,
            )
            figures.append(ReferenceFigure(str(dataset["indicator"]), str(entity), evidence))
    return sources, tuple(figures)


def _source(key: str, item: Any, where: str) -> ReferenceSource:
    if not isinstance(item, dict):
        raise LexiconError("expected a mapping", path=where, key=f"sources.{key}")
    for required in ("publisher", "title"):
        if required not in item:
            raise LexiconError("missing key", path=where, key=f"sources.{key}.{required}")
    return ReferenceSource(key, str(item["publisher"]), str(item["title"]), item.get("url"))


def _check_number(value: object, where: str, key: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
        raise LexiconError("expected a number", path=where, key=key)
    return float(value)
