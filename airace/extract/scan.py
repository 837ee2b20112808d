"""Phrase matching: lexicon entries (single or multi-word) found in text by one compiled pattern.

Vietnamese words are separated by spaces inside a single concept ("nhân dân tệ", "bộ xử lý đồ
họa"), so a phrase is matched as a whole sequence, longest entry first, with Unicode word
boundaries only on the sides where the phrase itself begins or ends with a letter or digit
("/giờ" and "$" need none). Patterns are compiled once per phrase set and cached by the caller.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class PhraseMatch:
    """A lexicon phrase found in text: its span, its concept key and the matched text."""

    start: int
    end: int
    key: str
    text: str


class PhraseSet:
    """Phrases grouped under concept keys, matched in one pass.

    Args:
        phrases: concept key -> surface phrases.
        case_sensitive: match letter case exactly (for acronyms and symbols).
    """

    def __init__(self, phrases: Mapping[str, Sequence[str]], *, case_sensitive: bool = False):
        self._keys: dict[str, str] = {}
        fold = (lambda s: s) if case_sensitive else str.casefold
        self._fold = fold
        entries = []
        for key, surfaces in phrases.items():
            for surface in surfaces:
                surface = " ".join(surface.split())
                if surface:
                    self._keys.setdefault(fold(surface), str(key))
                    entries.append(surface)
        entries.sort(key=len, reverse=True)
        parts = []
        for surface in dict.fromkeys(entries):
            body = r"\s+".join(re.escape(word) for word in surface.split(" "))
            left = r"(?<!\w)" if surface[0].isalnum() else ""
            right = r"(?!\w)" if surface[-1].isalnum() else ""
            parts.append(f"{left}{body}{right}")
        flags = 0 if case_sensitive else re.IGNORECASE
        self._pattern = re.compile("|".join(parts) if parts else r"(?!x)x", flags)

    def _match(self, found: re.Match[str]) -> PhraseMatch:
        text = found.group()
        key = self._keys.get(self._fold(" ".join(text.split())), "")
        return PhraseMatch(found.start(), found.end(), key, text)

    def finditer(self, text: str, start: int = 0, end: int | None = None) -> Iterator[PhraseMatch]:
        """Yield non-overlapping matches in ``text[start:end]``, leftmost-longest."""
        for found in self._pattern.finditer(text, start, len(text) if end is None else end):
            yield self._match(found)

    def match_at(self, text: str, position: int) -> PhraseMatch | None:
        """Return the phrase that starts exactly at ``position`` (after no skipping)."""
        found = self._pattern.match(text, position)
        return self._match(found) if found else None

    def nearest_before(self, text: str, start: int, end: int) -> PhraseMatch | None:
        """Return the last match inside ``text[start:end]``."""
        last = None
        for match in self.finditer(text, start, end):
            last = match
        return last

    def first(self, text: str, start: int, end: int) -> PhraseMatch | None:
        """Return the first match inside ``text[start:end]``."""
        return next(self.finditer(text, start, end), None)
