"""Methodology files: the bundled default, a user's own file, overrides, and clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from airace.index import MethodologyError, load_methodology, parse_weights
from airace.reconcile.indicators import load_indicators


def test_the_default_methodology_uses_known_indicators_in_exactly_one_pillar() -> None:
    m = load_methodology()
    known = set(load_indicators())
    assert set(m.source_ids) <= known  # an indicator "of" another reads a known one
    assert not set(m.indicator_ids) - known - {s.id for s in m.indicators if s.of}
    placed = [ind for pillar in m.pillars for ind in pillar.indicators]
    assert sorted(placed) == sorted(m.indicator_ids)
    assert m.indicator_ids == tuple(placed)  # columns ordered pillar by pillar
    assert load_methodology() is m  # loaded once per process
    assert len(m.digest) == 12


def write(tmp_path: Path, change: dict[str, object] | None = None, drop: str = "") -> Path:
    """Write the default methodology with some top-level keys changed or dropped."""
    source = Path(__file__).parents[2] / "airace" / "data" / "methodology" / "default.yaml"
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    data.update(change or {})
    data.pop(drop, None)
    path = tmp_path / "mine.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def test_a_user_file_loads_with_its_own_digest(tmp_path: Path) -> None:
    mine = load_methodology(write(tmp_path, {"normalisation": "rank", "aggregation": "geometric"}))
    assert (mine.normalisation, mine.aggregation) == ("rank", "geometric")
    assert mine.digest != load_methodology().digest


@pytest.mark.parametrize(
    ("change", "drop", "key", "message"),
    [
        ({"normalisation": "softmax"}, "", "normalisation", "softmax"),
        ({"colour": "blue"}, "", "colour", "unknown"),
        ({}, "pillars", "pillars", "missing"),
        ({"min_coverage": 2}, "", "min_coverage", ""),
        (
            {"pillars": {"all": {"name": "All", "weight": 1, "indicators": ["gpu_count", "nope"]}}},
            "",
            "pillars.all.indicators",
            "nope",
        ),
        (
            {"pillars": {"all": {"name": "All", "weight": -1, "indicators": ["gpu_count"]}}},
            "",
            "pillars.all.weight",
            "",
        ),
    ],
)
def test_a_broken_file_names_the_file_and_the_key(
    tmp_path: Path, change: dict[str, object], drop: str, key: str, message: str
) -> None:
    path = write(tmp_path, change, drop)
    with pytest.raises(MethodologyError) as raised:
        load_methodology(path)
    assert raised.value.path == str(path)
    assert raised.value.key is not None and raised.value.key.startswith(key)
    assert message in str(raised.value) + str(raised.value.key)


def test_a_missing_or_unreadable_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(MethodologyError, match="cannot read"):
        load_methodology(tmp_path / "absent.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("pillars: [unclosed", encoding="utf-8")
    with pytest.raises(MethodologyError, match="invalid YAML"):
        load_methodology(bad)


def test_weight_overrides_change_only_the_named_pillars() -> None:
    m = load_methodology()
    heavier = m.with_weights(parse_weights("talent=3, research=0.5"))
    weights = {pillar.id: pillar.weight for pillar in heavier.pillars}
    assert (weights["talent"], weights["research"]) == (3.0, 0.5)
    untouched = {pillar.id: pillar.weight for pillar in m.pillars}
    assert weights["infrastructure"] == untouched["infrastructure"]
    assert heavier.digest != m.digest
    with pytest.raises(MethodologyError, match="unknown pillar") as raised:
        m.with_weights({"luck": 1.0})
    assert raised.value.hint is not None and "talent" in raised.value.hint


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "no weights"),
        ("talent", "cannot read"),
        ("talent=much", "not a number"),
        ("talent=0", "positive"),
        ("talent=1e308", "at most"),
        ("talent=1,talent=2", "twice"),
    ],
)
def test_unreadable_weights_are_refused(text: str, message: str) -> None:
    with pytest.raises(MethodologyError, match=message):
        parse_weights(text)


def test_replace_checks_fields_and_choices() -> None:
    m = load_methodology()
    assert m.replace(normalisation="zscore").normalisation == "zscore"
    with pytest.raises(MethodologyError, match="unknown normalisation"):
        m.replace(normalisation="softmax")
    with pytest.raises(MethodologyError, match="unknown methodology field"):
        m.replace(colour="blue")
