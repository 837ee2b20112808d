"""The gazetteer: one language's entity names, checked and compiled into lookup tables and tries.

``lexicons/<lang>/entities.yaml`` adds to the names of the entity list (``entity_list.py``) the
names of one language, figurative names ("xứ cờ hoa"), nationality words ("Chinese", "người
Mỹ"), ambiguous names with the rules that decide them, and phrases that contain a name without
mentioning it ("đô la Mỹ", "tiếng Anh"), with the titles, stopwords and organisation cues the
matcher reads around names. The schema is closed; a name that maps to two entities is an error
unless it is listed under ``ambiguous:``.

Ambiguity is data, not code: an ambiguous name's first id is its default reading and the others
travel on the mention as ``alternatives``; its rules say where it is not a name at all. Names are
keyed by their lookup form (``entity_names.py``) in two tables, as written (with their case
variants) and case-folded (names of three words or more), each also a word trie for the scan.

The tables are compiled once per language on first use (``functools.cache``), never at import.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from airace.errors import LexiconError
from airace.extract.entity_list import (
    Entity,
    EntityList,
    default_entities,
    read_entity_list,
    read_entity_yaml,
    string_list,
)
from airace.extract.entity_names import (
    LONG_NAME_WORDS,
    WORD,
    case_variants,
    first_word,
    normalise_name,
    strip_tail,
)
from airace.extract.lexicon import check_keys, concern_path, read_concern

CONCERN = "entities"
# When an ambiguous name is not read as an entity (documented in the lexicon files).
RULES = frozenset(
    {"not_sentence_initial", "not_after_name", "not_before_name", "not_after_comma", "pair_only"}
)
LEXICON_KEYS = (
    "names",
    "idioms",
    "demonyms",
    "ambiguous",
    "not_entities",
    "titles",
    "stopwords",
    "organisation_cues",
)


@dataclass(frozen=True, slots=True)
class Name:
    """What a name in the tables stands for."""

    entity_id: str | None  # None: a phrase that is not a mention ("đô la Mỹ")
    alternatives: tuple[str, ...] = ()
    rules: frozenset[str] = frozenset()
    demonym: bool = False
    tail: str = ""  # trailing punctuation the name ends with ("U.S." -> ".")


class TrieNode:
    """A node of a name trie: the names that continue a word sequence, keyed by joiner + word."""

    __slots__ = ("children", "name")

    def __init__(self) -> None:
        self.children: dict[str, TrieNode] = {}
        self.name: Name | None = None


@dataclass(frozen=True)
class Gazetteer:
    """One language's compiled name tables (``entities.py`` says how they are matched)."""

    lang: str
    entities: Mapping[str, Entity]
    exact: Mapping[str, Name]  # normalised name as written, and its case variants
    folded: Mapping[str, Name]  # case-folded normalised name, names of three words or more
    every: Mapping[str, Name]  # case-folded normalised name of every name (resolve_entity)
    exact_trie: TrieNode  # the keys of ``exact``, word by word
    folded_trie: TrieNode  # the keys of ``folded``, word by word
    heads: frozenset[str]  # words that can start a name, as they can be written
    titles: frozenset[str]  # case-folded
    stopwords: frozenset[str]  # case-folded
    cues: tuple[str, ...]  # case-folded, longest first
    suffixes: frozenset[str]


def load_gazetteer(
    lang: str,
    *,
    path: Path | str | None = None,
    entities_path: Path | str | None = None,
) -> Gazetteer:
    """Read, validate and compile one language's entity names.

    Args:
        lang: the language whose ``lexicons/<lang>/entities.yaml`` to read.
        path: read this file instead (tests).
        entities_path: read this entity list instead of ``data/entities.yaml`` (tests).

    Raises:
        LexiconError: an unknown or missing key, an unknown entity id or rule, an empty list,
            a name given to two entities without being listed as ambiguous.
    """
    if path is None and entities_path is None:
        return packaged_gazetteer(lang)
    if path is None:
        data, where = read_concern(lang, CONCERN), concern_path(lang, CONCERN)
    else:
        data, where = read_entity_yaml(Path(path)), str(path)
    file = default_entities() if entities_path is None else read_entity_list(Path(entities_path))
    return _compile(lang, data, where, file)


@cache
def packaged_gazetteer(lang: str) -> Gazetteer:
    """Compile a language's packaged tables once per process."""
    data = read_concern(lang, CONCERN)
    return _compile(lang, data, concern_path(lang, CONCERN), default_entities())


class _Tables:
    """Name tables under construction, refusing a name given to two entities."""

    def __init__(self, where: str) -> None:
        self.where = where
        self.exact: dict[str, Name] = {}
        self.folded: dict[str, Name] = {}
        self.every: dict[str, Name] = {}
        self.heads: set[str] = set()
        self.variants: dict[str, Name] = {}

    def add(self, surface: str, name: Name, key_path: str, *, ambiguous: bool = False) -> None:
        """Add a name with its case variants."""
        if not surface or not surface[0].isalnum():
            raise LexiconError(
                "a name must start with a letter or digit", path=self.where, key=key_path
            )
        normalised = normalise_name(surface)
        key = strip_tail(normalised)
        tail = normalised[len(key) :]
        if tail:
            name = Name(name.entity_id, name.alternatives, name.rules, name.demonym, tail)
        long_name = len(key.split(" ")) >= LONG_NAME_WORDS and not ambiguous
        table = self.folded if long_name else self.exact
        if ambiguous and key in table:
            raise LexiconError(
                f"ambiguous name {surface!r} is also listed as a name",
                path=self.where,
                key=key_path,
                hint="keep it under `ambiguous:` only",
            )
        self._put(table, key.casefold() if long_name else key, name, key_path, surface)
        self.every.setdefault(key.casefold(), name)
        word = first_word(key)
        if long_name:
            self.heads.update({word, word.lower(), word.capitalize(), word.upper()})
        elif not ambiguous:
            for variant in case_variants(key):
                self.variants.setdefault(variant, name)

    def _put(
        self, table: dict[str, Name], key: str, name: Name, key_path: str, surface: str
    ) -> None:
        """Put a name in a table unless it already stands for something else."""
        known = table.get(key)
        if known is not None and known.entity_id != name.entity_id:
            what = known.entity_id or "a phrase that is not a mention"
            raise LexiconError(
                f"name {surface!r} is also a name of {what}",
                path=self.where,
                key=key_path,
                hint="list it once under `ambiguous:` with both ids",
            )
        if known is None:
            table[key] = name

    def finish(self) -> tuple[TrieNode, TrieNode]:
        """Merge case variants where they do not shadow a name; build the tries."""
        for variant, name in self.variants.items():
            self.exact.setdefault(variant, name)
        exact, folded = TrieNode(), TrieNode()
        for key, name in self.exact.items():
            _insert(exact, key, name)
            self.heads.add(first_word(key))
        for key, name in self.folded.items():
            _insert(folded, key, name)
        return exact, folded


def _insert(root: TrieNode, key: str, name: Name) -> None:
    """Insert a normalised name into a trie, word by word with the joiner before each word."""
    node, previous = root, 0
    for word in WORD.finditer(key):
        step = key[previous : word.start()] + word.group()
        node = node.children.setdefault(step, TrieNode())
        previous = word.end()
    node.name = name


def _compile(lang: str, data: Mapping[str, Any], where: str, file: EntityList) -> Gazetteer:
    """Validate a language file against the entity list and build its tables."""
    check_keys(data, required=LEXICON_KEYS, path=where)
    entities = file.entities
    tables = _Tables(where)
    for entity in entities.values():
        for index, surface in enumerate(entity.names):
            tables.add(surface, Name(entity.id), f"{entity.id}.names[{index}]")
    for section in ("names", "idioms", "demonyms"):
        groups = data[section]
        if not isinstance(groups, dict):
            raise LexiconError("expected a mapping of entity id -> names", path=where, key=section)
        for entity_id, surfaces in groups.items():
            key_path = f"{section}.{entity_id}"
            if entity_id not in entities:
                raise LexiconError("unknown entity id", path=where, key=key_path)
            name = Name(str(entity_id), demonym=section == "demonyms")
            for index, surface in enumerate(string_list(surfaces, where, key_path)):
                tables.add(surface, name, f"{key_path}[{index}]")
    ambiguous = data["ambiguous"]
    if not isinstance(ambiguous, dict):
        raise LexiconError("expected a mapping of name -> readings", path=where, key="ambiguous")
    for surface, spec in ambiguous.items():
        key_path = f"ambiguous.{surface}"
        if not isinstance(spec, dict):
            raise LexiconError("expected a mapping", path=where, key=key_path)
        check_keys(
            spec, required=["ids", "note"], optional=["rules"], path=where, where=f"{key_path}."
        )
        ids = string_list(spec["ids"], where, f"{key_path}.ids")
        for entity_id in ids:
            if entity_id not in entities:
                raise LexiconError(
                    f"unknown entity id {entity_id!r}", path=where, key=f"{key_path}.ids"
                )
        rules = string_list(spec["rules"], where, f"{key_path}.rules") if "rules" in spec else []
        unknown = sorted(set(rules) - RULES)
        if unknown:
            raise LexiconError(f"unknown rule {unknown[0]!r}", path=where, key=f"{key_path}.rules")
        name = Name(ids[0], tuple(ids[1:]), frozenset(rules))
        tables.add(str(surface), name, key_path, ambiguous=True)
    for index, surface in enumerate(string_list(data["not_entities"], where, "not_entities")):
        tables.add(surface, Name(None), f"not_entities[{index}]")
    exact_trie, folded_trie = tables.finish()
    cues = string_list(data["organisation_cues"], where, "organisation_cues")
    return Gazetteer(
        lang=lang,
        entities=entities,
        exact=tables.exact,
        folded=tables.folded,
        every=tables.every,
        exact_trie=exact_trie,
        folded_trie=folded_trie,
        heads=frozenset(tables.heads),
        titles=frozenset(t.casefold() for t in string_list(data["titles"], where, "titles")),
        stopwords=frozenset(
            s.casefold() for s in string_list(data["stopwords"], where, "stopwords")
        ),
        cues=tuple(sorted({normalise_name(c).casefold() for c in cues}, key=len, reverse=True)),
        suffixes=file.suffixes,
    )
