"""Entity mentions: the gazetteer of countries, regions, cities and organisations, and its matcher.

A claim's subject is an entity id: ISO 3166-1 alpha-2 for a country, an upper-case id for a region
(``WORLD``, ``EU``, ``ASEAN``...), the common English name for a city or an organisation (``Meta``,
``Amazon Web Services``). ``data/entities.yaml`` lists the entities with the names that are the
same in every language (brand names, acronyms); ``lexicons/<lang>/entities.yaml`` adds the names
of one language, figurative names ("xứ cờ hoa"), nationality words ("Chinese", "người Mỹ"),
ambiguous names with the rules that decide them, and phrases that contain a name without
mentioning it ("đô la Mỹ", "tiếng Anh"). Both files have closed schemas; a name that maps to two
entities is an error unless it is listed under ``ambiguous:``.

Matching is one pass over the text's word tokens (runs of Unicode word characters, so Vietnamese
letters with tone marks are word characters and a name never matches inside a word: ``Anh`` not
in ``Anhui``, ``Meta`` not in ``Metaverse``). A token that can start a name is looked up in a
set; from there two word tries (names as written, names case-folded) are walked token by token
and the longest name wins, after which the scan goes on behind it. Spacing and joiners inside a
name are normalised (``TP. HCM`` = ``TP.HCM``, ``–`` = ``-``, ``’`` = ``'``); a possessive stays
outside the name (``Nvidia's``); a name never runs across a line break. Multi-word Vietnamese
names are token sequences like any other, so no language needs its own code. Texts are expected
as ingest normalises them (NFC, new tone-mark style), the form the names are written in. On the
seed and dev articles repeated to 2 MB this runs at about 9 MB/s on one core.

Letter case, decided per name from its shape:

- a name of three or more words matches in any case (official names are capitalised loosely:
  "Liên minh Châu Âu", "Bộ Khoa học và công nghệ");
- a shorter name matches as written, with its first letter capitalised when it starts in lower
  case ("thế giới" -> "Thế giới" at a sentence start), or in capitals when it has four letters or
  more ("NVIDIA", "TRUNG QUỐC" in headlines). So ``Mỹ``, ``Meta``, ``xAI`` and ``Ai Cập`` (Egypt,
  never "AI cập nhật") are case-sensitive, while ``AI`` is simply not a name;
- an ambiguous name matches only as written and only where its rules allow.

The first word of a long name must appear as written, in lower case, capitalised or in capitals
(it is what the scan looks up before walking the tries).

Ambiguity is data, not code: an ambiguous name's first id is its default reading and the others
travel on the mention as ``alternatives`` ("Bắc Kinh": the city ``Beijing``, or ``CN`` by
metonymy); its rules say where it is not a name at all ("Anh ấy", "ông Đức", "miền Trung").
Nationality words are mentions of their country marked ``demonym``: "Chinese companies" names
a subject, "the Chinese start-up Zhipu" does not, and only the caller can tell.

The tables are compiled once per language on first use (``functools.cache``), never at import.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from airace.errors import LexiconError
from airace.extract.lexicon import check_keys, concern_path, read_concern

DATA_PATH = Path(__file__).parent.parent / "data" / "entities.yaml"
CONCERN = "entities"
KINDS = ("country", "region", "city", "organisation")
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
# A name of this many words or more matches in any letter case.
LONG_NAME_WORDS = 3
# A name with this many letters or more also matches in capitals (headlines).
CAPITALS_MIN_LETTERS = 4

_TOKEN = re.compile(r"\w+")
_SPACES = re.compile(r"\s+")
_JOINED = re.compile(r"\s*([-.&/'])\s*")
_UNIFY = str.maketrans(
    {"‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "−": "-", "’": "'", "‘": "'", "ʼ": "'"}
)
_PAIR_JOINER = re.compile(r"\s*[-–—/]\s*")
_SENTENCE_END = ".!?…\n"
_OPENERS = "\"'“”‘’«»([{*•-–—"
# Proposed organisation names: capitalised words in Latin letters (foreign names; Vietnamese
# organisations belong in the gazetteer), joined by spaces or " & ".
_CANDIDATE = re.compile(
    r"(?<![\w.])[A-Z][A-Za-z0-9]*(?:[.&'-][A-Z0-9][A-Za-z0-9]*)*"
    r"(?:(?: | & )[A-Z0-9][A-Za-z0-9]*(?:[.&'-][A-Z0-9][A-Za-z0-9]*)*)*(?!\w)"
)


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


@dataclass(frozen=True, slots=True)
class Mention:
    """An entity named in a text: ``text == source[start:end]``.

    ``alternatives`` are the other readings of an ambiguous name ("Korea": ``KP``);
    ``demonym`` marks a nationality word ("Chinese", "người Mỹ") rather than a name.
    """

    start: int
    end: int
    entity_id: str
    text: str
    alternatives: tuple[str, ...] = ()
    demonym: bool = False


@dataclass(frozen=True, slots=True)
class _Name:
    """What a name in the tables stands for."""

    entity_id: str | None  # None: a phrase that is not a mention ("đô la Mỹ")
    alternatives: tuple[str, ...] = ()
    rules: frozenset[str] = frozenset()
    demonym: bool = False
    tail: str = ""  # trailing punctuation the name ends with ("U.S." -> ".")


class _Node:
    """A node of a name trie: the names that continue a word sequence, keyed by joiner + word."""

    __slots__ = ("children", "name")

    def __init__(self) -> None:
        self.children: dict[str, _Node] = {}
        self.name: _Name | None = None


@dataclass(frozen=True)
class Gazetteer:
    """One language's compiled name tables (see the module docstring for how they match)."""

    lang: str
    entities: Mapping[str, Entity]
    exact: Mapping[str, _Name]  # normalised name as written, and its case variants
    folded: Mapping[str, _Name]  # case-folded normalised name, names of three words or more
    every: Mapping[str, _Name]  # case-folded normalised name of every name (resolve_entity)
    exact_trie: _Node  # the keys of ``exact``, word by word
    folded_trie: _Node  # the keys of ``folded``, word by word
    heads: frozenset[str]  # words that can start a name, as they can be written
    titles: frozenset[str]  # case-folded
    stopwords: frozenset[str]  # case-folded
    cues: tuple[str, ...]  # case-folded, longest first
    suffixes: frozenset[str]


# ---------------------------------------------------------------- loading and validation


def load_entities(path: Path | str | None = None) -> dict[str, Entity]:
    """Read and validate the entity list (``data/entities.yaml`` unless ``path`` is given).

    Raises:
        LexiconError: an unknown or missing key, a duplicate id, a ``home`` that is not a
            country (or EU), an unknown organisation type; the message names file and key path.
    """
    if path is None:
        return dict(_default_entities().entities)
    return dict(_read_entities(Path(path)).entities)


@dataclass(frozen=True)
class _EntityFile:
    """What an entity file holds: the entities by id and the corporate suffix words."""

    entities: Mapping[str, Entity]
    suffixes: frozenset[str]


@cache
def _default_entities() -> _EntityFile:
    """Read ``data/entities.yaml`` once per process."""
    return _read_entities(DATA_PATH)


def _read_yaml(path: Path) -> Mapping[str, Any]:
    """Read a YAML mapping from ``path``."""
    from airace.extract.lexicon import read_mapping

    return read_mapping(path, "entity file")


def _read_entities(path: Path) -> _EntityFile:
    """Validate an entity file and build its entities."""
    where = str(path)
    data = _read_yaml(path)
    check_keys(
        data, required=["organisation_types", "organisation_suffixes", "entities"], path=where
    )
    types = data["organisation_types"]
    if not isinstance(types, dict):
        raise LexiconError("expected a mapping", path=where, key="organisation_types")
    suffixes = _string_list(data["organisation_suffixes"], where, "organisation_suffixes")
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
            other = owners.setdefault(_name_key(surface), entity.id)
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
    return _EntityFile(entities, frozenset(suffixes))


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
    names = _string_list(item["names"], where, f"{at}names") if "names" in item else []
    return Entity(
        id=entity_id,
        kind=kind,
        iso=item.get("iso"),
        home=item.get("home"),
        type=item.get("type"),
        names=tuple(names),
    )


def _string_list(value: object, path: str, key: str) -> list[str]:
    """Return ``value`` as a non-empty list of non-empty strings."""
    if (
        not isinstance(value, list)
        or not value
        or not all(isinstance(v, str) and v.strip() for v in value)
    ):
        raise LexiconError("expected a non-empty list of strings", path=path, key=key)
    return value


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
        return _gazetteer(lang)
    if path is None:
        data, where = read_concern(lang, CONCERN), concern_path(lang, CONCERN)
    else:
        data, where = _read_yaml(Path(path)), str(path)
    file = _default_entities() if entities_path is None else _read_entities(Path(entities_path))
    return _compile(lang, data, where, file)


@cache
def _gazetteer(lang: str) -> Gazetteer:
    """Compile a language's packaged tables once per process."""
    data = read_concern(lang, CONCERN)
    return _compile(lang, data, concern_path(lang, CONCERN), _default_entities())


class _Tables:
    """Name tables under construction, refusing a name given to two entities."""

    def __init__(self, where: str) -> None:
        self.where = where
        self.exact: dict[str, _Name] = {}
        self.folded: dict[str, _Name] = {}
        self.every: dict[str, _Name] = {}
        self.heads: set[str] = set()
        self.variants: dict[str, _Name] = {}

    def add(self, surface: str, name: _Name, key_path: str, *, ambiguous: bool = False) -> None:
        """Add a name with its case variants."""
        if not surface or not surface[0].isalnum():
            raise LexiconError(
                "a name must start with a letter or digit", path=self.where, key=key_path
            )
        normalised = _normalise(surface)
        key = _strip_tail(normalised)
        tail = normalised[len(key) :]
        if tail:
            name = _Name(name.entity_id, name.alternatives, name.rules, name.demonym, tail)
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
        word = _first_word(key)
        if long_name:
            self.heads.update({word, word.lower(), word.capitalize(), word.upper()})
        elif not ambiguous:
            for variant in _case_variants(key):
                self.variants.setdefault(variant, name)

    def _put(
        self, table: dict[str, _Name], key: str, name: _Name, key_path: str, surface: str
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

    def finish(self) -> tuple[_Node, _Node]:
        """Merge case variants where they do not shadow a name; build the tries."""
        for variant, name in self.variants.items():
            self.exact.setdefault(variant, name)
        exact, folded = _Node(), _Node()
        for key, name in self.exact.items():
            _insert(exact, key, name)
            self.heads.add(_first_word(key))
        for key, name in self.folded.items():
            _insert(folded, key, name)
        return exact, folded


def _insert(root: _Node, key: str, name: _Name) -> None:
    """Insert a normalised name into a trie, word by word with the joiner before each word."""
    node, previous = root, 0
    for word in _TOKEN.finditer(key):
        step = key[previous : word.start()] + word.group()
        node = node.children.setdefault(step, _Node())
        previous = word.end()
    node.name = name


def _first_word(key: str) -> str:
    """Return the first word of a normalised name (which starts with a letter or digit)."""
    found = _TOKEN.match(key)
    return found.group() if found else key


def _name_key(surface: str) -> str:
    """Return the table key of a name: as written, or case-folded for a long name."""
    key = _strip_tail(_normalise(surface))
    return key.casefold() if len(key.split(" ")) >= LONG_NAME_WORDS else key


def _case_variants(name: str) -> list[str]:
    """Return the other spellings a short name matches in (see the module docstring)."""
    variants = []
    first = name.split(" ", 1)[0]
    if first.islower():
        variants.append(name[0].upper() + name[1:])
    if sum(ch.isalpha() for ch in name) >= CAPITALS_MIN_LETTERS and name.upper() != name:
        variants.append(name.upper())
    return variants


def _strip_tail(name: str) -> str:
    """Return a name without its trailing punctuation ("U.S." -> "U.S")."""
    end = len(name)
    while end and not name[end - 1].isalnum():
        end -= 1
    return name[:end]


def _normalise(text: str) -> str:
    """Return a name's lookup form: one space between words, none around joiners."""
    text = _SPACES.sub(" ", text.translate(_UNIFY)).strip()
    return _JOINED.sub(r"\1", text)


def _compile(lang: str, data: Mapping[str, Any], where: str, file: _EntityFile) -> Gazetteer:
    """Validate a language file against the entity list and build its tables."""
    check_keys(data, required=LEXICON_KEYS, path=where)
    entities = file.entities
    tables = _Tables(where)
    for entity in entities.values():
        for index, surface in enumerate(entity.names):
            tables.add(surface, _Name(entity.id), f"{entity.id}.names[{index}]")
    for section in ("names", "idioms", "demonyms"):
        groups = data[section]
        if not isinstance(groups, dict):
            raise LexiconError("expected a mapping of entity id -> names", path=where, key=section)
        for entity_id, surfaces in groups.items():
            key_path = f"{section}.{entity_id}"
            if entity_id not in entities:
                raise LexiconError("unknown entity id", path=where, key=key_path)
            name = _Name(str(entity_id), demonym=section == "demonyms")
            for index, surface in enumerate(_string_list(surfaces, where, key_path)):
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
        ids = _string_list(spec["ids"], where, f"{key_path}.ids")
        for entity_id in ids:
            if entity_id not in entities:
                raise LexiconError(
                    f"unknown entity id {entity_id!r}", path=where, key=f"{key_path}.ids"
                )
        rules = _string_list(spec["rules"], where, f"{key_path}.rules") if "rules" in spec else []
        unknown = sorted(set(rules) - RULES)
        if unknown:
            raise LexiconError(f"unknown rule {unknown[0]!r}", path=where, key=f"{key_path}.rules")
        name = _Name(ids[0], tuple(ids[1:]), frozenset(rules))
        tables.add(str(surface), name, key_path, ambiguous=True)
    for index, surface in enumerate(_string_list(data["not_entities"], where, "not_entities")):
        tables.add(surface, _Name(None), f"not_entities[{index}]")
    exact_trie, folded_trie = tables.finish()
    cues = _string_list(data["organisation_cues"], where, "organisation_cues")
    return Gazetteer(
        lang=lang,
        entities=entities,
        exact=tables.exact,
        folded=tables.folded,
        every=tables.every,
        exact_trie=exact_trie,
        folded_trie=folded_trie,
        heads=frozenset(tables.heads),
        titles=frozenset(t.casefold() for t in _string_list(data["titles"], where, "titles")),
        stopwords=frozenset(
            s.casefold() for s in _string_list(data["stopwords"], where, "stopwords")
        ),
        cues=tuple(sorted({_normalise(c).casefold() for c in cues}, key=len, reverse=True)),
        suffixes=file.suffixes,
    )


# ---------------------------------------------------------------- matching


def find_entities(text: str, lang: str) -> list[Mention]:
    """Find the entities a text names, in one pass, longest name first, without overlaps.

    Args:
        text: the text, normalised as ingest does (NFC, new tone-mark style).
        lang: a language with a lexicon folder.

    Returns:
        Mentions in text order, each with ``text == source[start:end]``.

    Raises:
        LexiconError: the language's tables are malformed (first call only).
    """
    return _scan(text, _gazetteer(lang))


def _scan(text: str, gaz: Gazetteer) -> list[Mention]:
    """Match a text against compiled tables (see ``find_entities``)."""
    spans = [m.span() for m in _TOKEN.finditer(text)]
    heads, exact_trie, folded_trie = gaz.heads, gaz.exact_trie, gaz.folded_trie
    found: list[tuple[int, int, _Name]] = []
    count = len(spans)
    index = 0
    last_end = -1  # end of the last mention kept (pair-only ones aside)
    while index < count:
        start, end = spans[index]
        word = text[start:end]
        if word not in heads:
            index += 1
            continue
        hit, size = _longest(
            text,
            spans,
            index,
            exact_trie.children.get(word),
            folded_trie.children.get(word.casefold()),
        )
        if hit is None:
            index += 1
            continue
        stop = spans[index + size - 1][1]
        if hit.tail and text.startswith(hit.tail, stop):
            stop += len(hit.tail)
        if hit.entity_id is not None and _allowed(text, gaz, hit, spans, index, size, last_end):
            found.append((start, stop, hit))
            if "pair_only" not in hit.rules:
                last_end = stop
        index += size
    return [
        Mention(
            start, stop, name.entity_id or "", text[start:stop], name.alternatives, name.demonym
        )
        for position, (start, stop, name) in enumerate(found)
        if "pair_only" not in name.rules or _paired(text, found, position)
    ]


def _longest(
    text: str,
    spans: Sequence[tuple[int, int]],
    index: int,
    node: _Node | None,
    folded: _Node | None,
) -> tuple[_Name | None, int]:
    """Walk both tries from the word at ``index``; return the longest name and its word count."""
    best: _Name | None = None
    size = 0
    position = index
    count = len(spans)
    while True:
        if folded is not None and folded.name is not None:
            best, size = folded.name, position - index + 1
        if node is not None and node.name is not None:
            best, size = node.name, position - index + 1
        position += 1
        if position >= count or (node is None and folded is None):
            return best, size
        start, end = spans[position]
        between = text[spans[position - 1][1] : start]
        joiner = " " if between == " " else _joiner(between)
        if joiner is None:
            return best, size
        word = text[start:end]
        node = node.children.get(joiner + word) if node is not None else None
        folded = folded.children.get(joiner + word.casefold()) if folded is not None else None


@lru_cache(maxsize=4096)
def _joiner(between: str) -> str | None:
    """Return the normalised text between two words of a name, None if no name spans it."""
    if "\n" in between or len(between) > 4:
        return None
    return _JOINED.sub(r"\1", _SPACES.sub(" ", between.translate(_UNIFY)))


def _allowed(
    text: str,
    gaz: Gazetteer,
    name: _Name,
    spans: Sequence[tuple[int, int]],
    index: int,
    size: int,
    last_end: int,
) -> bool:
    """Apply an ambiguous name's rules at one place in the text."""
    rules = name.rules
    if not rules:
        return True
    start = spans[index][0]
    if "not_sentence_initial" in rules and _sentence_initial(text, start):
        return False
    if "not_after_comma" in rules and _after_comma(text, start):
        return False
    if "not_after_name" in rules and index > 0:
        before = spans[index - 1]
        word = text[before[0] : before[1]]
        if text[before[1] : start] == " " and before[1] != last_end:
            folded = word.casefold()
            if folded in gaz.titles:
                return False
            if word[0].isupper() and folded not in gaz.stopwords:
                return False
    if "not_before_name" in rules and index + size < len(spans):
        after = spans[index + size]
        word = text[after[0] : after[1]]
        end = spans[index + size - 1][1]
        if (
            text[end : after[0]] == " "
            and word[0].isupper()
            and word not in gaz.heads
            and word.casefold() not in gaz.stopwords
        ):
            return False
    return True


def _after_comma(text: str, start: int) -> bool:
    """Tell whether the last non-space character before ``start`` is a comma."""
    position = start - 1
    while position >= 0 and text[position].isspace():
        position -= 1
    return position >= 0 and text[position] == ","


def _sentence_initial(text: str, start: int) -> bool:
    """Tell whether a word opens a sentence (or the text, or a line)."""
    position = start - 1
    while position >= 0:
        char = text[position]
        if char in _SENTENCE_END:
            return True
        if not (char.isspace() or char in _OPENERS):
            return False
        position -= 1
    return True


def _paired(text: str, found: Sequence[tuple[int, int, _Name]], position: int) -> bool:
    """Tell whether a pair-only name is joined by a dash to a neighbouring mention."""
    start, end = found[position][:2]
    if position > 0 and _PAIR_JOINER.fullmatch(text, found[position - 1][1], start):
        return True
    return position + 1 < len(found) and bool(
        _PAIR_JOINER.fullmatch(text, end, found[position + 1][0])
    )


def resolve_entity(name: str, lang: str) -> Entity | None:
    """Return the entity a name (or an entity id) stands for in a language.

    Args:
        name: a name as a text writes it ("Hoa Kỳ", "Meta Platforms", "aws") or an entity id.
        lang: a language with a lexicon folder.

    Returns:
        The entity, found by the name as written, then case-folded; an ambiguous name gives its
        default reading. None for an unknown name or a phrase that is not a mention.

    Raises:
        LexiconError: the language's tables are malformed (first call only).
    """
    gaz = _gazetteer(lang)
    key = _strip_tail(_normalise(name))
    found = gaz.exact.get(key) or gaz.folded.get(key.casefold()) or gaz.every.get(key.casefold())
    if found is None:
        return gaz.entities.get(name.strip())
    return gaz.entities.get(found.entity_id) if found.entity_id else None


# ---------------------------------------------------------------- unknown organisations


def unknown_organisation_candidates(text: str, lang: str) -> list[Mention]:
    """Propose names of organisations the gazetteer lacks, conservatively.

    A run of capitalised words in Latin letters (foreign names: Vietnamese organisations belong
    in the gazetteer) is proposed when it ends with a corporate word of ``data/entities.yaml``
    ("Interconnected Capital", "Noah Holdings") or follows an organisation cue of the language
    ("công ty Westlake Xinchen", "AI firm Moonbeam"). A CamelCase word alone is not enough: it
    names products (ChatGPT, TikTok) as often as companies. Leading stopwords ("Theo", "The")
    are dropped; a known name, or a known name plus a corporate word, is not proposed.
    Candidates may overlap mentions of ``find_entities``; a caller prefers the longer.

    Returns:
        Mentions whose ``entity_id`` is the proposed name itself.
    """
    gaz = _gazetteer(lang)
    candidates = []
    for match in _CANDIDATE.finditer(text):
        start, words = match.start(), match.group().split(" ")
        while words and (words[0].casefold() in gaz.stopwords or words[0] == "&"):
            start += len(words[0]) + 1
            words = words[1:]
        if not words:
            continue
        surface = " ".join(words)
        if _known(surface, gaz):
            continue
        suffixed = len(words) > 1 and words[-1] in gaz.suffixes
        if suffixed and _known(" ".join(words[:-1]), gaz):
            continue
        cued = _after_cue(text, start, gaz) and (len(words) > 1 or not surface.isupper())
        if suffixed or cued:
            candidates.append(Mention(start, start + len(surface), surface, surface))
    return candidates


def _known(surface: str, gaz: Gazetteer) -> bool:
    """Tell whether a surface is a known name (of any entity or phrase)."""
    key = _strip_tail(_normalise(surface))
    return key.casefold() in gaz.every or key in gaz.exact


def _after_cue(text: str, start: int, gaz: Gazetteer) -> bool:
    """Tell whether an organisation cue ("công ty", "firm") ends right before ``start``."""
    before = _normalise(text[max(0, start - 40) : start]).casefold()
    return any(before.endswith(cue) and _word_start(before, cue) for cue in gaz.cues)


def _word_start(before: str, cue: str) -> bool:
    """Tell whether ``cue`` at the end of ``before`` starts at a word boundary."""
    position = len(before) - len(cue)
    return position == 0 or not before[position - 1].isalnum()
