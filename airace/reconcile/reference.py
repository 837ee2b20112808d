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

from collections.abc import Mapping
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
    population = _read_values(folder / "population.yaml")
    sources: dict[str, ReferenceSource] = {}
    figures: list[ReferenceFigure] = []
    for path in _figure_files(folder):
        found, read = _read_indicator_figures(path, universe=population)
        for key in found.keys() & sources.keys():
            if found[key] != sources[key]:
                raise LexiconError("source defined twice, differently", path=str(path), key=key)
        sources.update(found)
        figures.extend(read)
    return ReferenceData(
        population=population,
        gdp=_read_values(folder / "gdp.yaml"),
        groups=_read_groups(folder / "groups.yaml"),
        sources=sources,
        figures=tuple(figures),
    )


def _figure_files(folder: Path) -> list[Path]:
    """The files of indicator figures: ``indicators.yaml``, then ``indicators/*.yaml`` (the
    pillars' public data) and ``indices/*.yaml`` (published indices, kept as references), each
    folder in name order so that a load is the same on every machine."""
    files = [folder / "indicators.yaml"]
    for sub in ("indicators", "indices"):
        files.extend(sorted((folder / sub).glob("*.yaml")))
    return [path for path in files if path.is_file()]


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
    path: Path, universe: Mapping[str, float]
) -> tuple[dict[str, ReferenceSource], list[ReferenceFigure]]:
    """Read one file of sources and datasets. A dataset marked ``complete`` is a whole list
    (every country with a notable model, every TOP500 system): a country of ``universe`` that
    it does not name has 0, not an unknown value."""
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
            optional=["note", "complete"],
            path=where,
            where=at,
        )
        source = sources.get(str(dataset["source"]))
        if source is None:
            raise LexiconError(
                f"unknown source {dataset['source']!r}", path=where, key=f"{at}source"
            )
        period = str(dataset["period"])
        values = {
            str(entity): _check_number(value, where, f"{at}values.{entity}")
            for entity, value in dataset["values"].items()
        }
        complete = dataset.get("complete", False)
        if not isinstance(complete, bool):
            raise LexiconError("expected true or false", path=where, key=f"{at}complete")
        for entity, number in values.items():
            quote = f"{source.title}: {number:g}"
            figures.append(_figure(dataset, entity, number, period, source, quote))
        if complete:
            for entity in sorted(universe.keys() - values.keys()):
                quote = f"{source.title}: not listed (0)"
                figures.append(_figure(dataset, entity, 0.0, period, source, quote))
    return sources, figures


def _figure(
    dataset: Mapping[str, Any],
    entity: str,
    number: float,
    period: str,
    source: ReferenceSource,
    quote: str,
) -> ReferenceFigure:
    evidence = Evidence(
        value=number,
        subject=entity,
        period=period[:4],
        as_of=period,
        source=source.publisher,
        quote=quote,
        url=source.url,
    )
    return ReferenceFigure(str(dataset["indicator"]), entity, evidence)


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
