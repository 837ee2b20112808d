"""The indicator table: raw values of entities x indicators, the engine's only input besides the
methodology.

The service builds it from reconciled observations; ``NaN`` means no observation. A conflicting
observation carries the lowest and highest figure behind it in ``low`` and ``high``, which the
Monte Carlo draws from. Arrays are copied to float64 and made read-only on construction, so a
table can be shared between runs and scenarios without one changing another.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from airace.errors import AiraceError

Array = npt.NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class IndicatorTable:
    """Raw values entities x indicators, what the service hands the engine.

    ``indicators`` are matched to the methodology's ids: extra columns are ignored and missing
    ones count as all-NaN. ``low``/``high`` give a conflict's spread (NaN: no conflict),
    ``groups`` each entity's peer group (region) for group-mean imputation, ``population`` and
    ``gdp`` (USD) the denominators of per-capita and per-GDP indicators.
    """

    entities: tuple[str, ...]
    indicators: tuple[str, ...]
    values: Array
    low: Array | None = None
    high: Array | None = None
    groups: tuple[str, ...] | None = None
    population: Array | None = None
    gdp: Array | None = None

    def __post_init__(self) -> None:
        shape = (len(self.entities), len(self.indicators))
        _check_unique(self.entities, "entities")
        _check_unique(self.indicators, "indicators")
        object.__setattr__(self, "entities", tuple(self.entities))
        object.__setattr__(self, "indicators", tuple(self.indicators))
        object.__setattr__(self, "values", _frozen(self.values, shape, "values"))
        for name in ("low", "high"):
            if getattr(self, name) is not None:
                object.__setattr__(self, name, _frozen(getattr(self, name), shape, name))
        for name in ("population", "gdp"):
            if getattr(self, name) is not None:
                object.__setattr__(self, name, _frozen(getattr(self, name), shape[:1], name))
        if self.groups is not None:
            if len(self.groups) != shape[0]:
                raise AiraceError(
                    f"groups has {len(self.groups)} entries for {shape[0]} entities", key="groups"
                )
            object.__setattr__(self, "groups", tuple(self.groups))

    def column(self, indicator: str) -> int:
        """Return the position of an indicator's column.

        Raises:
            AiraceError: the table has no such indicator.
        """
        try:
            return self.indicators.index(indicator)
        except ValueError:
            raise AiraceError(f"unknown indicator {indicator!r}", key=indicator) from None

    def row(self, entity: str) -> int:
        """Return the position of an entity's row.

        Raises:
            AiraceError: the table has no such entity.
        """
        try:
            return self.entities.index(entity)
        except ValueError:
            raise AiraceError(f"unknown entity {entity!r}", key=entity) from None

    def with_value(self, entity: str, indicator: str, value: float) -> IndicatorTable:
        """Return a copy with one cell changed; the cell is no longer a conflict.

        Args:
            entity: the row's entity id.
            indicator: the column's indicator id.
            value: the new raw value (NaN removes the observation).

        Raises:
            AiraceError: an unknown entity or indicator.
        """
        at = (self.row(entity), self.column(indicator))
        values = self.values.copy()
        values[at] = value
        changes: dict[str, Array] = {"values": values}
        for name in ("low", "high"):
            spread = getattr(self, name)
            if spread is not None:
                spread = spread.copy()
                spread[at] = np.nan
                changes[name] = spread
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]


def _frozen(values: npt.ArrayLike, shape: tuple[int, ...], name: str) -> Array:
    """Copy an array to read-only float64, checking its shape."""
    array = np.array(values, dtype=np.float64)
    if array.shape != shape:
        raise AiraceError(f"{name} has shape {array.shape}, expected {shape}", key=name)
    array.setflags(write=False)
    return array


def _check_unique(names: Sequence[str], key: str) -> None:
    """Refuse a name listed twice."""
    if len(set(names)) != len(names):
        duplicates = sorted({name for name in names if list(names).count(name) > 1})
        raise AiraceError(f"{key} listed twice: {', '.join(duplicates)}", key=key)
