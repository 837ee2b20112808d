"""The curated reference files: several files of figures, complete lists, and named errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from airace.errors import LexiconError
from airace.reconcile.reference import load_reference

POPULATION = """indicator: population
values:
  KR: {value: 51700000, year: 2024}
  VN: {value: 100300000, year: 2024}
  FR: {value: 68400000, year: 2024}
"""

SOURCE = """sources:
  epoch:
    publisher: Epoch AI
    title: Notable AI Models
    url: https://epoch.ai/data/notable-ai-models
"""


def write(folder: Path, name: str, text: str) -> None:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def dataset(values: str, extra: str = "") -> str:
    return (
        SOURCE
        + "datasets:\n  - indicator: notable_models\n    period: '2024'\n    unit: model\n"
        + f"    source: epoch\n{extra}    values: {values}\n"
    )


def test_figures_come_from_every_file_and_a_complete_list_gives_zeros(tmp_path: Path) -> None:
    write(tmp_path, "population.yaml", POPULATION)
    write(tmp_path, "indicators.yaml", dataset("{KR: 5}"))
    write(tmp_path, "indicators/research.yaml", dataset("{FR: 3}", "    complete: true\n"))
    reference = load_reference(tmp_path)
    found = {(f.entity, f.evidence.value, f.evidence.quote) for f in reference.figures}
    assert ("KR", 5.0, "Notable AI Models: 5") in found
    assert ("FR", 3.0, "Notable AI Models: 3") in found
    # the complete list names FR only: KR and VN (in the population universe) have 0
    assert ("VN", 0.0, "Notable AI Models: not listed (0)") in found
    assert ("KR", 0.0, "Notable AI Models: not listed (0)") in found
    assert not any(f.entity == "FR" and f.evidence.value == 0 for f in reference.figures)


def test_a_source_defined_twice_differently_is_named(tmp_path: Path) -> None:
    write(tmp_path, "indicators.yaml", dataset("{KR: 5}"))
    write(tmp_path, "indices/other.yaml", dataset("{FR: 3}").replace("Epoch AI", "Someone"))
    with pytest.raises(LexiconError, match=r"other\.yaml") as raised:
        load_reference(tmp_path)
    assert "epoch" in str(raised.value)


def test_complete_must_be_true_or_false(tmp_path: Path) -> None:
    write(tmp_path, "indicators/x.yaml", dataset("{KR: 5}", "    complete: yes please\n"))
    with pytest.raises(LexiconError, match="complete"):
        load_reference(tmp_path)


def test_the_bundled_reference_names_a_source_for_every_figure() -> None:
    reference = load_reference()
    assert len(reference.figures) > 400
    publishers = {source.publisher for source in reference.sources.values()}
    assert all(figure.evidence.source in publishers for figure in reference.figures)


def test_every_bundled_figure_belongs_to_a_known_indicator() -> None:
    """A figure of an indicator missing from data/indicators.yaml would be dropped silently."""
    from airace.reconcile.indicators import load_indicators

    known = set(load_indicators())
    assert {figure.indicator for figure in load_reference().figures} <= known
