"""Interface text in each language, and service results with their names in it.

``i18n/<lang>.yaml`` holds the dashboard's and the report's words; entity names come from the
language's entity lexicon (``service.rankings.entity_name``), pillar and archetype names from
``pillar.<id>`` and ``archetype.<id>`` keys, falling back to the methodology's own names.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any


@cache
def texts(lang: str) -> Mapping[str, str]:
    """Return the interface text of ``lang`` (en or vi)."""
    from importlib import resources

    import yaml

    source = resources.files("airace.web") / "i18n" / f"{lang}.yaml"
    loaded: dict[str, str] = yaml.safe_load(source.read_text(encoding="utf-8"))
    return loaded


def pillar_names(methodology: Any, lang: str) -> dict[str, str]:
    """Pillar id -> its name in ``lang`` (the methodology's own name where none is known)."""
    text = texts(lang)
    return {p.id: text.get(f"pillar.{p.id}", p.name) for p in methodology.pillars}


def localised(value: Any, lang: str) -> Any:
    """Return a ranking, matrix rows or a leaderboard with entity (and archetype) names in
    ``lang``; English needs no change."""
    import dataclasses

    from airace.service.rankings import entity_name

    if lang == "en":
        return value
    text = texts(lang)

    def named(row: Any) -> Any:
        changes: dict[str, Any] = {"name": entity_name(row.entity, lang)}
        if hasattr(row, "archetype_name"):
            changes["archetype_name"] = text.get(f"archetype.{row.archetype}", row.archetype_name)
        return dataclasses.replace(row, **changes)

    if isinstance(value, list):
        return [named(row) for row in value]
    if hasattr(value, "by_chip"):
        return dataclasses.replace(
            value,
            rows=tuple(named(row) for row in value.rows),
            by_chip=tuple(named(row) for row in value.by_chip),
        )
    return dataclasses.replace(value, rows=tuple(named(row) for row in value.rows))
