"""Sentences and clauses: the spans every later stage reads inside.

A sentence ends at ``. ! ? …`` followed by a space and a capital, a digit or a quote, or at a
newline (news paragraphs are lines). A clause is the part of a sentence between semicolons and
contrastive conjunctions (``trong khi``, ``còn``, ``whereas``, ``but``): trigger words, years
and modality words are read within a number's clause, not across its neighbour's.
"""

from __future__ import annotations

import re

_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’)]?\s+(?=[\"“‘(]?[^\W\d_a-zđ]|\d)|\n+")
_CLAUSE_BREAK = re.compile(
    r";|,?\s(?:trong khi|trong lúc|còn|nhưng|tuy nhiên|while|whereas|but|although)\s",
    re.IGNORECASE,
)
# Characters; a longer run without a full stop (a table, a pasted list) is cut into pieces, so
# the per-sentence work stays linear in the document's length.
MAX_SENTENCE = 1200

Span = tuple[int, int]


def split_sentences(text: str) -> list[Span]:
    """Split text into sentence spans, none longer than ``MAX_SENTENCE``."""
    spans = []
    start = 0
    for found in _SENTENCE_END.finditer(text):
        if found.start() > start:
            spans.append((start, found.start()))
        start = found.end()
    if start < len(text):
        spans.append((start, len(text)))
    bounded = []
    for start, end in spans:
        while end - start > MAX_SENTENCE:
            cut = text.rfind(" ", start + MAX_SENTENCE // 2, start + MAX_SENTENCE)
            cut = cut if cut > start else start + MAX_SENTENCE
            bounded.append((start, cut))
            start = cut
        bounded.append((start, end))
    return [(s, e) for s, e in bounded if text[s:e].strip()]


def clause_bounds(text: str, start: int, end: int, position: int) -> Span:
    """Return the clause of the sentence ``[start, end)`` that contains ``position``."""
    left, right = start, end
    for found in _CLAUSE_BREAK.finditer(text, start, end):
        if found.end() <= position:
            left = found.end()
        elif found.start() >= position:
            right = found.start()
            break
    return left, right


def skip_space(text: str, position: int, limit: int) -> int:
    """Return the first non-space position at or after ``position``."""
    while position < limit and text[position] in " \t\u00a0":
        position += 1
    return position


def skip_space_back(text: str, position: int, floor: int) -> int:
    """Return the position after the last non-space before ``position`` (not below ``floor``)."""
    while position > floor and text[position - 1] in " \t\u00a0":
        position -= 1
    return position


def new_paragraph(text: str, end: int, start: int) -> bool:
    """Tell whether a line break lies between ``end`` and ``start``."""
    return "\n" in text[end:start]
