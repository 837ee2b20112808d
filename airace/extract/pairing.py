"""Stage 4a, structural owners: numbers whose owner the sentence's shape decides.

Before any scoring, some shapes say outright whose a number is:

* N entities and N consecutive numbers pair in order after ``lần lượt`` / ``respectively`` or a
  comparison ("X và Y lần lượt có 100 và 35", "X chi nhiều hơn Y (300 tỷ USD so với 50 tỷ
  USD)"), and a list of entities pairs with a list of ordinals ("the US and China ranked first
  and second");
* a bracketed number right after an entity is that entity's ("như Jakarta (250 MW)"), and an
  entity alone in brackets after a number owns it ("$7.57 (AWS)");
* a number after a comparison marker or a ratio belongs to the entity named right after it
  ("so với 11 của Mỹ", "gấp 8,7 lần mức 7,8 tỷ USD của Trung Quốc");
* a number said of each member of a list is every member's ("OpenAI and SoftBank have each
  pledged", "Mỹ và Trung Quốc đều có").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from airace.extract.sentences import Span, skip_space

if TYPE_CHECKING:
    from airace.extract.context import Context
    from airace.extract.entities import Mention
    from airace.extract.units import Reading

_RESPECTIVELY = re.compile(r"lần lượt|respectively|tương ứng", re.IGNORECASE)
COMPARISON = re.compile(r"so với|compared (?:with|to)|versus|\bvs\.?|\bagainst\b", re.IGNORECASE)
# "2 LLM so với 11 của Mỹ", "2 models compared with 11 for the US": the compared number's owner
# is named right after it.
_OWNER_AFTER = re.compile(r"\s*(?:của|ở|tại|of|for|from|in)\s+(?:the\s+)?", re.IGNORECASE)
# How a compared list goes on: "against 21 from the EU and 15 from China".
_LIST_GOES_ON = re.compile(r"(?:,|\band|\bvà)\s*$", re.IGNORECASE)
_DISTRIBUTIVE = re.compile(r"\b(?:each|both|mỗi bên|mỗi nước|mỗi công ty|đều)\b", re.IGNORECASE)
# What joins the members of a list of subjects: "A and B", "A, B và C", "A & B".
COORDINATION = re.compile(
    r"\s*(?:,|,?\s*(?:and|và|cùng|&))\s*(?:(?:tập đoàn|công ty|hãng|ngân hàng|the)\s+)?",
    re.IGNORECASE,
)  # a list of names, each perhaps after its kind ("Samsung, Tập đoàn SK và Tập đoàn Hyundai")
_BRACKET_OPEN = re.compile(r"\s*\(\s*[~≈]?\s*[$€£¥]?")
# How far back the entity before a bracketed number, or a list's members, may be named.
_BRACKET_REACH = 80
_LIST_REACH = 200
# How far before a number a comparison marker or ratio may stand.
_COMPARED_REACH = 24
_GENITIVE_REACH = 8


def says_respectively(text: str, sentence: Span) -> bool:
    """Tell whether a sentence pairs its lists in order ("lần lượt", "respectively")."""
    return _RESPECTIVELY.search(text, sentence[0], sentence[1]) is not None


def pair_in_order(
    context: Context, readings: Sequence[Reading], sentence: Span, excluded: Span | None
) -> dict[int, Mention]:
    """Pair N entities with N consecutive numbers, in order, after a "respectively" or a
    comparison: the distinct entities named between the previous number and the group, and a
    group of numbers with no entity between them."""
    text = context.text
    marker = _RESPECTIVELY.search(text, sentence[0], sentence[1]) or COMPARISON.search(
        text, sentence[0], sentence[1]
    )
    if marker is None:
        return _ordinal_pairs(context, readings, sentence, excluded)
    if len(readings) < 2:
        return {}
    # The group is the run of numbers nearest the marker with no entity between them.
    nearest = min(
        range(len(readings)), key=lambda i: abs(readings[i].quantity.start - marker.start())
    )
    first = nearest
    while first > 0 and not context.mentions_in(
        readings[first - 1].end, readings[first].quantity.start
    ):
        first -= 1
    last = nearest
    while last + 1 < len(readings) and not context.mentions_in(
        readings[last].end, readings[last + 1].quantity.start
    ):
        last += 1
    left = readings[first - 1].end if first > 0 else sentence[0]
    entities = _distinct(context, left, readings[first].quantity.start, excluded)
    count = last - first + 1
    if count < 2 or len(entities) != count:
        return {}
    return {first + position: entity for position, entity in enumerate(entities)}


def _distinct(context: Context, start: int, end: int, excluded: Span | None) -> list[Mention]:
    """Return the distinct entities named in ``[start, end)``, outside ``excluded``."""
    entities: list[Mention] = []
    for mention in context.mentions_in(start, end):
        if excluded is not None and excluded[0] <= mention.start < excluded[1]:
            continue
        if all(mention.entity_id != seen.entity_id for seen in entities):
            entities.append(mention)
    return entities


def _ordinal_pairs(
    context: Context, readings: Sequence[Reading], sentence: Span, excluded: Span | None
) -> dict[int, Mention]:
    """Pair a list of entities with a list of ordinals joined as a list, in order, as if
    "respectively" were written: "the US and China ranked first and second"."""
    text = context.text
    for first in range(len(readings) - 1):
        last = first
        while (
            last + 1 < len(readings)
            and readings[last].unit == readings[last + 1].unit == "rank"
            and COORDINATION.fullmatch(text, readings[last].end, readings[last + 1].quantity.start)
        ):
            last += 1
        if last == first:
            continue
        left = readings[first - 1].end if first > 0 else sentence[0]
        entities = _distinct(context, left, readings[first].quantity.start, excluded)
        if len(entities) == last - first + 1:
            return {first + at: entity for at, entity in enumerate(entities)}
    return {}


def structural_owner(context: Context, reading: Reading, clause: Span) -> Mention | None:
    """Return the owner a bracket or a comparison gives a number, if any."""
    return (
        _bracketed_owner(context, reading.quantity.start)
        or _bracketed_after(context, reading.end)
        or _compared_owner(context, reading, clause)
        or _genitive_owner(context, reading)
    )


def _genitive_owner(context: Context, reading: Reading) -> Mention | None:
    """Return the entity an owner word (``owner_after`` of roles.yaml) names right after an
    amount or count ("vòng gọi vốn 500 triệu USD của X-energy", "2 tỷ USD của Microsoft"); a
    percentage's is its whole ("70% của 50.000 đơn"). English "of" is no such word: "6
    gigawatts of AMD GPUs" are made of them."""
    if reading.unit in (None, "percent", "rank"):
        return None
    text = context.text
    after = skip_space(text, reading.end, len(text))
    genitive = context.owner_after.first_between(after, after + _GENITIVE_REACH)
    if genitive is None or genitive.start != after:
        return None
    return context.named_at(skip_space(text, genitive.end, len(text)))


def _bracketed_owner(context: Context, position: int) -> Mention | None:
    """Return the entity a bracketed number follows ("như Jakarta (250 MW)", "Lambda ($2.99)")."""
    before = context.mentions_in(max(0, position - _BRACKET_REACH), position)
    if before and _BRACKET_OPEN.fullmatch(context.text[before[-1].end : position]):
        return before[-1]
    return None


def _bracketed_after(context: Context, position: int) -> Mention | None:
    """Return the entity alone in brackets right after a number ("down from $7.57 (AWS) and
    $11.06 (GCP)", "60 MW (Hà Nội)")."""
    text = context.text
    opening = re.match(r"\s*\(\s*", text[position : position + 6])
    if opening is None:
        return None
    named = context.named_at(position + opening.end())
    if named is None:
        return None
    return named if re.match(r"\s*\)", text[named.end : named.end + 3]) else None


def _compared_owner(context: Context, reading: Reading, clause: Span) -> Mention | None:
    """Return the entity named right after a number that follows a comparison marker or a
    ratio ("so với 11 của Mỹ", "compared with 28 for China"). At most one word (mức, the) may
    come between the marker and the number."""
    text = context.text
    q = reading.quantity
    joined = _OWNER_AFTER.match(text, reading.end)
    owner = context.named_at(joined.end()) if joined is not None else None
    if owner is None:
        return None  # the cheap test first: most numbers have no owner named after them
    low = max(clause[0], q.start - _COMPARED_REACH)
    ends = [m.end() for m in COMPARISON.finditer(text, low, q.start)]
    ends += [m.end for m in context.lex.ratios.finditer(text, low, q.start)]
    if ends and len(text[max(ends) : q.start].strip(" ,:").split()) <= 1:
        return owner
    goes_on = _LIST_GOES_ON.search(text, clause[0], q.start) is not None
    return owner if goes_on and COMPARISON.search(text, clause[0], q.start) else None


def distributed(context: Context, subject: Mention, reading: Reading) -> list[Mention]:
    """Return the other members of a list of subjects ending at ``subject`` when the reading
    belongs to each of them ("OpenAI and SoftBank have each pledged $18 billion", "ByteDance
    and Tencent took around 230,000 each")."""
    text = context.text
    position = reading.quantity.start
    each_after = _DISTRIBUTIVE.match(text, skip_space(text, reading.end, len(text)))
    if _DISTRIBUTIVE.search(text, subject.end, position) is None and each_after is None:
        return []
    others: list[Mention] = []
    current = subject
    for mention in reversed(
        context.mentions_in(max(0, subject.start - _LIST_REACH), subject.start)
    ):
        if mention.end > current.start:
            continue
        if not COORDINATION.fullmatch(text[mention.end : current.start]):
            break
        if mention.entity_id != subject.entity_id:
            others.append(mention)
        current = mention
    return others[::-1]
