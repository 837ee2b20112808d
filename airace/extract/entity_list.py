"""The entity list: the countries, regions, cities and organisations claims can be about.

A claim's subject is an entity id: ISO 3166-1 alpha-2 for a country, an upper-case id for a region
(``WORLD``, ``EU``, ``ASEAN``...), the common English name for a city or an organisation (``Meta``,
``Amazon Web Services``). ``data/entities.yaml`` lists the entities with the names that are the
same in every language (brand names, acronyms), the organisation types and the corporate words
that end an organisation's name ("Holdings"). Its schema is closed: an unknown or missing key, a
duplicate id, a ``home`` that is not a country (or EU) and a name given to two entities are
errors naming the file and the key path.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from airace.errors import LexiconError
from airace.extract.entity_names import name_key
from airace.extract.lexicon import check_keys, read_mapping

DATA_PATH = Path(__file__).parent.parent / "data" / "entities.yaml"
KINDS = ("country", "region", "city", "organisation")


@dataclass(frozen=True, slots=True)
class Entity:
    """A country, region, city or organisation a claim can be about.

    ``id`` is what claims carry as their subject; ``iso`` is set for countries, ``home`` (a
    country id, or ``EU``) for cities and organisations, ``type`` for organisations; ``names``
    are the names written the same in every language.
    """

    id: str
    kind: str
    iso: str | None
    home: str | None
    type: str | None
    names: tuple[str, ...]


def load_entities(path: Path | str | None = None) -> dict[str, Entity]:
    """Read and validate the entity list (``data/entities.yaml`` unless ``path`` is given).

    Raises:
        LexiconError: an unknown or missing key, a duplicate id, a ``home`` that is not a
            country (or EU), an unknown organisation type; the message names file and key path.
    """
    if path is None:
        return dict(default_entities().entities)
    return dict(read_entity_list(Path(path)).entities)


@dataclass(frozen=True)
class EntityList:
    """What an entity file holds: the entities by id and the corporate suffix words."""

    entities: Mapping[str, Entity]
    suffixes: frozenset[str]


@cache
def default_entities() -> EntityList:
    """Read ``data/entities.yaml`` once per process."""
    return read_entity_list(DATA_PATH)


def read_entity_yaml(path: Path) -> Mapping[str, Any]:
    """Read a YAML mapping from ``path``."""
    return read_mapping(path, "entity file")


def read_entity_list(path: Path) -> EntityList:
    """Validate an entity file and build its entities."""
    where = str(path)
    data = read_entity_yaml(path)
    check_keys(
        data, required=["organisation_types", "organisation_suffixes", "entities"], path=where
    )
    types = data["organisation_types"]
    if not isinstance(types, dict):
        raise LexiconError("expected a mapping", path=where, key="organisation_types")
    suffixes = string_list(data["organisation_suffixes"], where, "organisation_suffixes")
    items = data["entities"]
    if not isinstance(items, list):
        raise LexiconError("expected a list", path=where, key="entities")
    entities: dict[str, Entity] = {}
    owners: dict[str, str] = {}  # name key -> entity id
    for index, item in enumerate(items):
        at = f"entities[{index}]."
        if not isinstance(item, dict):
            raise LexiconError("expected a mapping", path=where, key=at.rstrip("."))
        check_keys(
            item,
            required=["id", "kind"],
            optional=["iso", "home", "type", "names"],
            path=where,
            where=at,
        )
        entity = _entity(item, at, where, types)
        if entity.id in entities:
            raise LexiconError(f"duplicate id {entity.id!r}", path=where, key=f"{at}id")
        entities[entity.id] = entity
        for position, surface in enumerate(entity.names):
            other = owners.setdefault(name_key(surface), entity.id)
            if other != entity.id:
                raise LexiconError(
                    f"name {surface!r} is also a name of {other}",
                    path=where,
                    key=f"{at}names[{position}]",
                    hint="a language-neutral name stands for one entity",
                )
    for index, entity in enumerate(entities.values()):
        home = entities.get(entity.home) if entity.home else None
        allowed = ("country",) if entity.kind == "city" else ("country", "region")
        if entity.home and (home is None or home.kind not in allowed):
            raise LexiconError(
                f"home {entity.home!r} is not a known {' or '.join(allowed)} id",
                path=where,
                key=f"entities[{index}].home",
            )
    return EntityList(entities, frozenset(suffixes))


def _entity(item: Mapping[str, Any], at: str, where: str, types: Mapping[str, Any]) -> Entity:
    """Build one entity, checking the keys its kind needs and forbids."""
    entity_id, kind = item["id"], item["kind"]
    if not isinstance(entity_id, str) or not entity_id.strip():
        raise LexiconError("expected a non-empty string", path=where, key=f"{at}id")
    if kind not in KINDS:
        raise LexiconError(f"kind must be one of {', '.join(KINDS)}", path=where, key=f"{at}kind")
    needed = {
        "country": {"iso"},
        "region": set(),
        "city": {"home"},
        "organisation": {"type"},
    }[kind]
    allowed = needed | ({"home"} if kind == "organisation" else set())
    for key in ("iso", "home", "type"):
        if key in needed and key not in item:
            raise LexiconError(f"missing key for a {kind}", path=where, key=f"{at}{key}")
        if key in item and key not in allowed:
            raise LexiconError(f"not a key of a {kind}", path=where, key=f"{at}{key}")
    if kind == "country" and item["iso"] != entity_id:
        raise LexiconError("iso must equal the id of a country", path=where, key=f"{at}iso")
    if kind == "organisation":
        if item["type"] not in types:
            raise LexiconError("unknown organisation type", path=where, key=f"{at}type")
        if "home" not in item and item["type"] != "intergovernmental":
            raise LexiconError("missing key for an organisation", path=where, key=f"{at}home")
    names = string_list(item["names"], where, f"{at}names") if "names" in item else []
    return Entity(
        id=entity_id,
        kind=kind,
        iso=item.get("iso"),
        home=item.get("home"),
        type=item.get("type"),
        names=tuple(names),
    )


def string_list(value: object, path: str, key: str) -> list[str]:
    """Return ``value`` as a non-empty list of non-empty strings."""
    if (
        not isinstance(value, list)
        or not value
        or not all(isinstance(v, str) and v.strip() for v in value)
    ):
        raise LexiconError("expected a non-empty list of strings", path=path, key=key)
    return value
