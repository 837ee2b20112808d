"""Strict JSON for every output: the CLI, the API and the exports write the same data.

JSON has no NaN or Infinity (Python's ``json`` writes them unless told not to, and a strict parser
then rejects the whole file), so a number that does not exist - a score of a country with no
figures, an interval that could not be drawn - is written as ``null``. Dates are ISO strings and
enums their values. Kept free of heavy imports: the CLI prints JSON through it.
"""

from __future__ import annotations

import enum
import json
import math
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

_SCALARS = (str, int, bool, type(None))


def plain(value: Any) -> Any:
    """Return ``value`` as JSON-ready data (dicts, lists, str, int, float, bool, None)."""
    kind = type(value)
    if kind in _SCALARS:  # most values: checked first, the listing endpoints' hot path
        return value
    if kind is float:
        return value if math.isfinite(value) else None
    fields = getattr(kind, "__dataclass_fields__", None)
    if fields is not None:
        return {name: plain(getattr(value, name)) for name in fields}
    if isinstance(value, enum.Enum):
        return plain(value.value)
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(item) for item in value]
    if isinstance(value, Mapping):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if hasattr(value, "item") and callable(value.item):  # numpy scalars
        return plain(value.item())
    return value


def dumps(value: Any, *, indent: int | None = None) -> str:
    """Encode ``value`` (any mix of dataclasses, mappings, numbers) as strict JSON text.

    Raises:
        ValueError: never for NaN/Infinity (they become null); only for values ``plain`` leaves
            unencodable, which is a bug in the caller.
    """
    return json.dumps(plain(value), ensure_ascii=False, allow_nan=False, indent=indent)
