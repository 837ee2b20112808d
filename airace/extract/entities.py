"""Entity mentions: the countries, regions, cities and organisations a text names.

A mention's ``entity_id`` is an id of the entity list (``entity_list.py``); the names each
language gives them are the gazetteer's (``gazetteer.py``), keyed and cased as
``entity_names.py`` says.

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

An ambiguous name's other readings travel on the mention as ``alternatives`` ("Bắc Kinh": the
city ``Beijing``, or ``CN`` by metonymy); its rules say where it is not a name at all ("Anh ấy",
"ông Đức", "miền Trung"). Nationality words are mentions of their country marked ``demonym``:
"Chinese companies" names a subject, "the Chinese start-up Zhipu" does not, and only the caller
can tell. Organisations the gazetteer lacks are proposed apart, conservatively
(``unknown_organisation_candidates``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from airace.extract.entity_list import DATA_PATH, Entity, load_entities
from airace.extract.entity_names import WORD, joiner_between, normalise_name, strip_tail
from airace.extract.gazetteer import Gazetteer, Name, TrieNode, load_gazetteer, packaged_gazetteer
from airace.extract.scan import PhraseSet
from airace.extract.sentences import skip_space_back

__all__ = [
    "DATA_PATH",
    "Entity",
    "Gazetteer",
    "Mention",
    "find_entities",
    "load_entities",
    "load_gazetteer",
    "resolve_entity",
    "unknown_organisation_candidates",
]

_PAIR_JOINER = re.compile(r"\s*[-–—/]\s*")
_SENTENCE_END = ".!?…\n"
_OPENERS = "\"'“”‘’«»([{*•-–—"
# Proposed organisation names: capitalised words in Latin letters (foreign names; Vietnamese
# organisations belong in the gazetteer), joined by spaces or " & ".
# An apposition after a name: a comma and an article, then up to two words before a cue.
_APPOSITION = re.compile(r",\s+(?:(?:a|an|the|một)\s+)?", re.IGNORECASE)
_APPOSITION_WORD = re.compile(r"[^\W\d_][\w-]*\s+")
_APPOSITION_WORDS = 2
_CANDIDATE = re.compile(
    r"[A-Z](?<![\w.].)[A-Za-z0-9]*(?:[.&'-][A-Z0-9][A-Za-z0-9]*)*"
    r"(?:(?: | & )[A-Z0-9][A-Za-z0-9]*(?:[.&'-][A-Z0-9][A-Za-z0-9]*)*)*(?!\w)"
)


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
    return _scan(text, packaged_gazetteer(lang))


def _scan(text: str, gaz: Gazetteer) -> list[Mention]:
    """Match a text against compiled tables (see ``find_entities``)."""
    spans = [m.span() for m in WORD.finditer(text)]
    heads, exact_trie, folded_trie = gaz.heads, gaz.exact_trie, gaz.folded_trie
    found: list[tuple[int, int, Name]] = []
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
    node: TrieNode | None,
    folded: TrieNode | None,
) -> tuple[Name | None, int]:
    """Walk both tries from the word at ``index``; return the longest name and its word count."""
    best: Name | None = None
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
        joiner = " " if between == " " else joiner_between(between)
        if joiner is None:
            return best, size
        word = text[start:end]
        node = node.children.get(joiner + word) if node is not None else None
        folded = folded.children.get(joiner + word.casefold()) if folded is not None else None


def _allowed(
    text: str,
    gaz: Gazetteer,
    name: Name,
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


def _paired(text: str, found: Sequence[tuple[int, int, Name]], position: int) -> bool:
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
    gaz = packaged_gazetteer(lang)
    key = strip_tail(normalise_name(name))
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
    ("công ty Westlake Xinchen", "AI firm Moonbeam") or opens an apposition with one
    ("Humain, công ty AI mới thành lập", "Fluidstack, a British start-up"). A CamelCase word
    alone is not enough: it names products (ChatGPT, TikTok) as often as companies. Leading
    stopwords ("Theo", "The") are dropped; a known name, or a known name plus a corporate word,
    is not proposed.
    Candidates may overlap mentions of ``find_entities``; a caller prefers the longer.

    Returns:
        Mentions whose ``entity_id`` is the proposed name itself.
    """
    gaz = packaged_gazetteer(lang)
    cues = list(_cue_phrases(gaz.cues).finditer(text))
    cue_ends = frozenset(cue.end for cue in cues)
    cue_starts = frozenset(cue.start for cue in cues)
    candidates = []
    for match in _CANDIDATE.finditer(text):
        start, words = match.start(), match.group().split(" ")
        while words and (words[0].casefold() in gaz.stopwords or words[0] == "&"):
            start += len(words[0]) + 1
            words = words[1:]
        if not words:
            continue
        surface = " ".join(words)
        suffixed = len(words) > 1 and words[-1] in gaz.suffixes
        cued = not suffixed and (len(words) > 1 or not surface.isupper())
        after_cue = skip_space_back(text, start, 0) in cue_ends or _cue_in_apposition(
            text, start + len(surface), cue_starts
        )
        if not suffixed and not (cued and after_cue):
            continue  # the cheap tests first: most capitalised runs have neither
        if _known(surface, gaz) or (suffixed and _known(" ".join(words[:-1]), gaz)):
            continue
        candidates.append(Mention(start, start + len(surface), surface, surface))
    return candidates


def _known(surface: str, gaz: Gazetteer) -> bool:
    """Tell whether a surface is a known name (of any entity or phrase)."""
    key = strip_tail(normalise_name(surface))
    return key.casefold() in gaz.every or key in gaz.exact


def _cue_in_apposition(text: str, end: int, cue_starts: frozenset[int]) -> bool:
    """Tell whether an organisation cue opens the apposition after a name ("Humain, công ty AI
    mới thành lập", "Fluidstack, a British start-up"): at most two words before the cue."""
    found = _APPOSITION.match(text, end)
    if found is None:
        return False
    position = found.end()
    for _ in range(_APPOSITION_WORDS + 1):
        if position in cue_starts:
            return True
        word = _APPOSITION_WORD.match(text, position)
        if word is None:
            return False
        position = word.end()
    return False


@lru_cache(maxsize=8)
def _cue_phrases(cues: tuple[str, ...]) -> PhraseSet:
    """Compile the organisation cues into one phrase set."""
    return PhraseSet({"cue": list(cues)})
