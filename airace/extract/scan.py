"""Phrase matching: lexicon entries (single or multi-word) found in text by one compiled pattern.

Vietnamese words are separated by spaces inside a single concept ("nhân dân tệ", "bộ xử lý đồ
họa"), so a phrase is matched as a whole sequence, longest entry first, with Unicode word
boundaries only on the sides where the phrase itself begins or ends with a letter or digit
("/giờ" and "$" need none). Patterns are compiled once per phrase set and cached by the caller.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar


@dataclass(frozen=True, slots=True)
class PhraseMatch:
    """A lexicon phrase found in text: its span, its concept key and the matched text."""

    start: int
    end: int
    key: str
    text: str


def _trie_pattern(phrases: Sequence[str], case_sensitive: bool) -> str:
    """Compile phrases into one regex shaped as a character trie.

    A flat alternation of hundreds of phrases makes ``re`` try each one at every position; a
    trie shares prefixes, so each position costs about one character comparison. Longer
    continuations are tried before a phrase may end, so the longest phrase wins. A space in a
    phrase matches any run of whitespace; word boundaries apply where a phrase begins or ends
    with a letter or digit.
    """
    end = ""  # key marking the end of a phrase in a trie node
    tries: dict[bool, dict[str, Any]] = {True: {}, False: {}}
    for phrase in phrases:
        key = phrase if case_sensitive else phrase.lower()
        node = tries[phrase[0].isalnum()]
        for char in key:
            node = node.setdefault(char, {})
        node[end] = True

    def emit(node: dict[str, Any], last: str) -> str:
        branches = []
        for char in sorted(k for k in node if k != end):
            atom = r"\s+" if char == " " else re.escape(char)
            branches.append(atom + emit(node[char], char))
        if end in node:
            branches.append(r"(?!\w)" if last.isalnum() else "")
        if len(branches) == 1:
            return branches[0]
        return "(?:" + "|".join(branches) + ")"

    parts = []
    if tries[True]:
        # The word boundary is tested after the first character, so that the pattern opens
        # with plain characters and ``re`` skips ahead to where one of them stands.
        parts += [
            re.escape(char) + r"(?<!\w.)" + emit(node, char)
            for char, node in sorted(tries[True].items())
        ]
    if tries[False]:
        parts.append(emit(tries[False], ""))
    return "|".join(parts)


# How many matched surfaces a phrase set remembers (bounded: a process may read any text).
_SEEN_LIMIT = 4096
# The texts last lower-cased, newest first, with their lower-case forms (None where
# lower-casing moves offsets). Several, because the readers alternate between a document and
# pieces of it: with one entry each switch lower-cased the whole document again, which made a
# 1 MB document cost 35 s instead of one.
_LOWERED: list[tuple[str, str | None]] = []
_LOWERED_KEPT = 4


def _lower(text: str) -> str | None:
    """Return ``text`` lower-cased, or None when that changes its length ("İ"); the last few
    texts are remembered, since every phrase set of a document scans the same one."""
    for number, (seen, lowered) in enumerate(_LOWERED):
        if seen is text:
            if number:
                _LOWERED.insert(0, _LOWERED.pop(number))
            return lowered
    lowered = text.lower()
    found = lowered if len(lowered) == len(text) else None
    _LOWERED.insert(0, (text, found))
    del _LOWERED[_LOWERED_KEPT:]
    return found


class PhraseSet:
    """Phrases grouped under concept keys, matched in one pass.

    Args:
        phrases: concept key -> surface phrases.
        case_sensitive: match letter case exactly (for acronyms and symbols).
    """

    def __init__(self, phrases: Mapping[str, Sequence[str]], *, case_sensitive: bool = False):
        self._keys: dict[str, str] = {}
        self._seen: dict[str, str] = {}  # surface as matched -> key
        fold = (lambda s: s) if case_sensitive else str.casefold
        self._fold = fold
        entries = []
        for key, surfaces in phrases.items():
            for surface in surfaces:
                surface = " ".join(surface.split())
                if surface:
                    self._keys.setdefault(fold(surface), str(key))
                    entries.append(surface)
        flags = 0 if case_sensitive else re.IGNORECASE
        source = _trie_pattern(entries, case_sensitive) or r"(?!x)x"
        self._pattern = re.compile(source, flags)
        # The trie holds lower-case keys: on lower-cased text it needs no IGNORECASE, which
        # costs ``re`` about twice the time per position.
        self._lowered = None if case_sensitive else re.compile(source)

    def _match(self, found: re.Match[str], text: str) -> PhraseMatch:
        surface = text[found.start() : found.end()]
        key = self._seen.get(surface)
        if key is None:  # the same surfaces recur: fold and look up each once
            key = self._keys.get(self._fold(" ".join(surface.split())), "")
            if len(self._seen) < _SEEN_LIMIT:
                self._seen[surface] = key
        return PhraseMatch(found.start(), found.end(), key, surface)

    def _haystack(self, text: str) -> tuple[re.Pattern[str], str]:
        """Return the pattern to run and the text to run it on (lower-cased where offsets keep)."""
        if self._lowered is None:
            return self._pattern, text
        lowered = _lower(text)
        return (self._pattern, text) if lowered is None else (self._lowered, lowered)

    def finditer(self, text: str, start: int = 0, end: int | None = None) -> Iterator[PhraseMatch]:
        """Yield non-overlapping matches in ``text[start:end]``, leftmost-longest."""
        pattern, haystack = self._haystack(text)
        for found in pattern.finditer(haystack, start, len(text) if end is None else end):
            yield self._match(found, text)

    def match_at(self, text: str, position: int) -> PhraseMatch | None:
        """Return the phrase that starts exactly at ``position`` (after no skipping)."""
        pattern, haystack = self._haystack(text)
        found = pattern.match(haystack, position)
        return self._match(found, text) if found else None

    def nearest_before(self, text: str, start: int, end: int) -> PhraseMatch | None:
        """Return the last match inside ``text[start:end]``."""
        last = None
        for match in self.finditer(text, start, end):
            last = match
        return last

    def first(self, text: str, start: int, end: int) -> PhraseMatch | None:
        """Return the first match inside ``text[start:end]``."""
        return next(self.finditer(text, start, end), None)


class Spanned(Protocol):
    """Anything found at a span of a text: a phrase match, an entity mention."""

    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


SpannedT = TypeVar("SpannedT", bound=Spanned)


def spans_within(
    items: Sequence[SpannedT], starts: Sequence[int], start: int, end: int
) -> list[SpannedT]:
    """Return the items, sorted by start (``starts``), that lie wholly inside ``[start, end)``."""
    index = bisect_left(starts, start)
    found = []
    while index < len(items) and items[index].start < end:
        if items[index].end <= end:
            found.append(items[index])
        index += 1
    return found


class MatchIndex:
    """All matches of one phrase set in one text, found once and then queried by range.

    The assembler asks many questions of the same text ("the nearest trigger before this
    number, within its clause"); answering them from one scan keeps extraction linear.
    """

    def __init__(self, matches: Sequence[PhraseMatch]) -> None:
        self._matches = list(matches)
        self._starts = [match.start for match in self._matches]

    def between(self, start: int, end: int) -> list[PhraseMatch]:
        """Return the matches lying wholly inside ``[start, end)``."""
        return spans_within(self._matches, self._starts, start, end)

    def last_between(self, start: int, end: int) -> PhraseMatch | None:
        """Return the last match inside ``[start, end)``."""
        found = self.between(start, end)
        return found[-1] if found else None

    def first_between(self, start: int, end: int) -> PhraseMatch | None:
        """Return the first match inside ``[start, end)``."""
        found = self.between(start, end)
        return found[0] if found else None
