"""Ranks and scores in the forms the press writes them, beyond "ranked fifth" and "45 points".

In a document that names a ranking somewhere (a ``rank`` trigger of ``metrics.yaml``), three more
forms are read, from ``lexicons/<lang>/ranks.yaml``:

* an ordinal that stands alone as a place is a rank: it ends its phrase or is followed by a
  word of ``after_ordinal`` ("the UK is third (27.21)", "comes first with", "Singapore (thứ 3,");
* a number without a unit is a score when a ``score_lead`` leads straight to it ("a score of
  70.06", "second on 53"), when it stands in brackets right after a name or a rank ("India
  fourth (25.54)", "Canada (77.07)"), or right before a place ("China's 40.17 in second place");
* a ``first_place`` phrase is rank 1 without a number ("Dẫn đầu bảng xếp hạng là Mỹ").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from airace.extract.lexicon import read_word_lists
from airace.extract.numbers import Quantity
from airace.extract.scan import PhraseSet
from airace.extract.sentences import skip_space

if TYPE_CHECKING:
    from airace.extract.context import Context
    from airace.extract.units import Reading

_KEYS = ("ranking_words", "place_verbs", "after_ordinal", "score_lead", "first_place")
# Scores are points on a scale: a bare number above this is not one.
_MAX_SCORE = 1000
_PHRASE_END = re.compile(r"\s*(?:[,.;:()]|$)")
_BRACKET_BEFORE = re.compile(r"\(\s*$")
_BRACKET_AFTER = re.compile(r"\s*[),;]")
# Between a bare score and the place after it: "40.17 in second place", "66,1 - thứ 3".
_BEFORE_PLACE = re.compile(r"\s*(?:in|,|-|–)?\s*")
_PLACE_REACH = 12
# Between a place and the score after it: "second on 53", "first with 70.06".
_AFTER_PLACE = re.compile(r"\s*(?:on|with|at|với|đạt)\s*", re.IGNORECASE)
# How close before a standalone place its name stands: "The United States comes first",
# "India fourth", "Singapore (thứ 3": a few words, no sentence punctuation.
_NAME_REACH = 40
_VERB_REACH = 24
_ALTERNATIVE = re.compile(r"\b(?:or|hoặc|hay)\s+$", re.IGNORECASE)
_ALTERNATIVE_AFTER = re.compile(r"(?:or|hoặc|hay)\b", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]")  # a word goes on: the ordinal qualifies it
_NAME_GAP = re.compile(r"(?:'s|’s)?[\s(]*(?:[^\W\d_]+[\s(]+){0,3}")
_LEAD_REACH = 24


@dataclass(frozen=True, slots=True)
class RankWords:
    """One language's rank and score words, compiled."""

    ranking_words: PhraseSet
    place_verbs: PhraseSet
    after_ordinal: PhraseSet
    score_lead: PhraseSet
    first_place: PhraseSet


@cache
def load_rank_words(lang: str) -> RankWords:
    """Read and compile ``lexicons/<lang>/ranks.yaml``.

    Raises:
        LexiconError: the file is missing or breaks its schema.
    """
    lists = read_word_lists(lang, "ranks", _KEYS)
    return RankWords(**{key: PhraseSet({key: words}) for key, words in lists.items()})


def is_place(context: Context, reading: Reading) -> bool:
    """Tell whether an ordinal without a ranking word beside it stands alone as a place: it
    follows a place verb ("came fifth") or a name closely ("the UK is third", "Singapore (thứ
    3") and ends its phrase or goes on with an ``after_ordinal`` word; "cấp độ thứ hai", "the
    first gigawatt", "top 20" do not."""
    text, q = context.text, reading.quantity
    if not context.ranking or q.bound is not None:
        return False
    if context.ranks.first_place.match_at(text, q.start) is not None:
        return True
    verb = context.ranks.place_verbs.nearest_before(text, max(0, q.start - _VERB_REACH), q.start)
    if verb is None or text[verb.end : q.start].strip():
        named = context.mentions_in(max(0, q.start - _NAME_REACH), q.start)
        if not named or not _NAME_GAP.fullmatch(text, named[-1].end, q.start):
            return False  # neither "came fifth" nor "the UK is third"
    return ends_place(context, reading)


def ends_place(context: Context, reading: Reading) -> bool:
    """Tell whether an ordinal ends its phrase as a place would: not before a noun it qualifies
    ("the first gigawatt") and not one of alternatives ("first or second")."""
    text, q = context.text, reading.quantity
    if _ALTERNATIVE.search(text, max(0, q.start - 8), q.start):
        return False  # "the US ranks first or second": not a place it holds
    after = skip_space(text, q.end, len(text))
    if _ALTERNATIVE_AFTER.match(text, after):
        return False
    return (
        _PHRASE_END.match(text, after) is not None
        or context.ranks.after_ordinal.match_at(text, after) is not None
        or not _WORD.match(text, after)
    )


def first_places(context: Context) -> list[Quantity]:
    """Return rank 1 for every ``first_place`` phrase of a ranking document."""
    if not context.ranking:
        return []
    return [
        Quantity(m.start, m.end, 1.0, None, "ordinal", False, None, None, (m.start, m.end), m.text)
        for m in context.ranks.first_place.finditer(context.text)
    ]


def bare_score(
    context: Context, q: Quantity, previous: Quantity | None, following: Quantity | None
) -> bool:
    """Tell whether a number without a unit is a score (see the module docstring); ``previous``
    and ``following`` are the quantities beside it in its sentence."""
    if not context.ranking or q.kind != "cardinal" or not 0 < q.value <= _MAX_SCORE:
        return False
    if not any(c.isdigit() for c in q.text):
        return False  # "more than a": scores are written in digits
    text = context.text
    lead = text[max(0, q.start - _LEAD_REACH) : q.start]
    found = context.ranks.score_lead.nearest_before(lead, 0, len(lead))
    if found is not None and not lead[found.end :].strip():
        return True
    if _BRACKET_BEFORE.search(lead) and _BRACKET_AFTER.match(text, q.end):
        opening = q.start - len(lead) + lead.rindex("(")
        named = context.mentions_in(max(0, opening - 60), opening)
        if named and not text[named[-1].end : opening].strip():
            return True  # "Canada (77.07)"
        if (
            _is_ordinal(previous)
            and previous is not None
            and not text[previous.end : opening].strip()
        ):
            return True  # "India fourth (25.54)"
    if (
        _is_ordinal(previous)
        and previous is not None
        and _AFTER_PLACE.fullmatch(text, previous.end, q.start) is not None
    ):
        return True  # "China second on 53", "đứng thứ 2 với 53"
    return (
        _is_ordinal(following)
        and following is not None
        and following.start - q.end <= _PLACE_REACH
        and _BEFORE_PLACE.fullmatch(text, q.end, following.start) is not None
    )


def _is_ordinal(q: Quantity | None) -> bool:
    """Tell whether a quantity is an ordinal."""
    return q is not None and q.kind == "ordinal"
