"""The indicator definitions of ``data/indicators.yaml``: which claims feed which indicator."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from airace.errors import LexiconError
from airace.extract.lexicon import check_keys, domain_metrics, read_mapping

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
INDICATORS_FILE = DATA_DIR / "indicators.yaml"

# Default share within which two figures are the same fact: "2,000" and "2,000" from two
# articles, or 26.6 and 26.65 billion rounded differently.
_DEFAULT_TOLERANCE = 0.02
_MODALITIES = ("fact", "estimate", "holds", "delivered", "order", "plan", "target", "forecast")
# What counts by default: what is held, not what is planned, ordered or forecast.
_HELD = ("fact", "estimate", "holds", "delivered")


@dataclass(frozen=True, slots=True)
class Indicator:
    """An indicator: what it measures, its unit, the claim metric that feeds it, merge rules."""

    id: str
    name: str
    unit: str
    metric: str | None
    rollup: bool = False
    tolerance: float = _DEFAULT_TOLERANCE
    modalities: tuple[str, ...] = _HELD

    @property
    def money(self) -> bool:
        return self.unit == "USD"


@cache
def load_indicators(path: Path | None = None) -> dict[str, Indicator]:
    """Read and validate the indicator definitions, keyed by id.

    Raises:
        LexiconError: an unknown or missing key, an unknown metric or modality; the message names
            the file and key path.
    """
    where = str(path or INDICATORS_FILE)
    data = read_mapping(path or INDICATORS_FILE, "indicator file")
    check_keys(data, required=["indicators"], path=where)
    metrics = domain_metrics()
    found: dict[str, Indicator] = {}
    for key, item in data["indicators"].items():
        at = f"indicators.{key}."
        if not isinstance(item, dict):
            raise LexiconError("expected a mapping", path=where, key=at[:-1])
        check_keys(
            item,
            required=["name", "unit", "metric"],
            optional=["rollup", "tolerance", "modalities"],
            path=where,
            where=at,
        )
        metric = item["metric"]
        if metric is not None and metric not in metrics:
            raise LexiconError(f"unknown metric {metric!r}", path=where, key=f"{at}metric")
        modalities = tuple(item.get("modalities", _HELD))
        for modality in modalities:
            if modality not in _MODALITIES:
                raise LexiconError(
                    f"unknown modality {modality!r}", path=where, key=f"{at}modalities"
                )
        tolerance = float(item.get("tolerance", _DEFAULT_TOLERANCE))
        if not 0 <= tolerance < 1:
            raise LexiconError("tolerance must be in [0, 1)", path=where, key=f"{at}tolerance")
        found[str(key)] = Indicator(
            id=str(key),
            name=str(item["name"]),
            unit=str(item["unit"]),
            metric=metric,
            rollup=bool(item.get("rollup", False)),
            tolerance=tolerance,
            modalities=modalities,
        )
    return found


def indicators_by_metric(indicators: dict[str, Indicator]) -> dict[str, Indicator]:
    """Map each claim metric to the indicator it feeds."""
    return {ind.metric: ind for ind in indicators.values() if ind.metric is not None}
