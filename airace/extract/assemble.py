"""A sentence's pieces -> Claims.

Numbers (``numbers.py``), entity mentions (``entities.py``) and lexicon phrases (``scan.py``) are
found once per document; this module walks each sentence and decides, for every quantity, its
unit (currency before or after it, a counting word, a power unit, a unit stated once earlier in
a list), its metric (the unit's own metric for counts, else the nearest trigger word in the
clause), its subject (the nearest entity before it in its list item or clause; ``lần lượt`` /
``respectively`` and ``so với`` / ``compared with`` pair entities and numbers in order), and the
secondary fields: approximation, range, as-of year, modality, attributed source, qualifier.

Precision first: a quantity whose unit, metric or subject cannot be decided yields no claim.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import cache

from airace.extract.entities import Mention, find_entities, load_entities
from airace.extract.lexicon import Lexicon, load_lexicon
from airace.extract.numbers import Quantity, find_quantities
from airace.extract.scan import MatchIndex, PhraseSet
from airace.model import Claim, Modality

# A sentence ends at . ! ? … followed by space and a capital, digit or quote, or at a newline.
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’)]?\s+(?=[\"“‘(]?[^\W\d_a-zđ]|\d)|\n+")
# Clause breaks inside a sentence: semicolons and contrastive conjunctions.
_CLAUSE_BREAK = re.compile(
    r";|,?\s(?:trong khi|trong lúc|còn|nhưng|tuy nhiên|while|whereas|but|although)\s",
    re.IGNORECASE,
)
_YEAR = re.compile(r"(?<![\d.,/])(19[89]\d|20\d\d)(?![\d.,]\d)")
# Chip and accelerator model codes written after a count ("350.000 GPU H100", "H-100").
_CHIP_MODEL = re.compile(
    r"(?<!\w)(?:GB|[HABLV]|MI|TPU\s?v?)-?\d{1,3}[A-Za-z]{0,3}(?!\w)|(?<!\w)(?:Blackwell|Hopper|Ampere|Trainium\d?|Inferentia\d?|Gaudi\s?\d?|Ascend\s?\d{3}[A-Z]?)(?!\w)"
)
# Between two numbers that share the unit written after the second: "1.200 và 900 công ty".
_SHARED_UNIT_GAP = re.compile(r"\s*(?:,|và|hoặc|hay|đến|and|or|to|-|–)\s*", re.IGNORECASE)
_RESPECTIVELY = re.compile(r"lần lượt|respectively|tương ứng", re.IGNORECASE)
_COMPARISON = re.compile(r"so với|compared (?:with|to)|versus|\bvs\.?", re.IGNORECASE)
# "2 LLM so với 11 của Mỹ", "2 models compared with 11 for the US": the compared number's owner
# is named right after it.
_OWNER_AFTER = re.compile(r"\s*(?:của|of|for)\s+(?:the\s+)?", re.IGNORECASE)
# "A and B have each pledged $18 billion", "A và B đều có 100": the number is every one's.
_DISTRIBUTIVE = re.compile(r"\b(?:each|both|mỗi bên|mỗi nước|mỗi công ty|đều)\b", re.IGNORECASE)
# What joins the members of a list of subjects: "A and B", "A, B và C", "A & B".
_COORDINATION = re.compile(r"\s*(?:,|,?\s*(?:and|và|cùng|&))\s*", re.IGNORECASE)
_RANK_TOTAL = re.compile(r"\s*(?:trong số|trên|trong tổng số|out of|of)\s+(\d+)", re.IGNORECASE)
_MAX_SENTENCE = 1200  # characters; longer runs without a full stop are cut
# How far a counting word may follow its number: "400,000 of Nvidia's GB200 chips".
_MAX_UNIT_GAP = 32
_MAX_UNIT_WORDS = 3
_PHRASE_END = re.compile(r"[,;:]")
_UNIT_STOP = re.compile(r"[,.;:()\d]")  # what a counting word is not read across
_MAX_UNIT_LENGTH = 24  # characters of the longest counting word or phrase
_SHORT_ASIDE = re.compile(r"\([^\W\d_]{1,8}\)")  # "(AI)", "(GW)": an abbreviation in brackets


@dataclass(frozen=True, slots=True)
class _Reading:
    """What one quantity means in its sentence, before it becomes a claim."""

    quantity: Quantity
    unit: str | None
    metric: str | None
    end: int  # end of the quantity with its unit words
    value: float
    value_max: float | None
    qualifier: str | None = None
    alt: tuple[tuple[float, str], ...] = ()
    inherited: bool = False


def _sentences(text: str) -> list[tuple[int, int]]:
    """Split text into sentence spans."""
    spans = []
    start = 0
    for found in _SENTENCE_END.finditer(text):
        if found.start() > start:
            spans.append((start, found.start()))
        start = found.end()
    if start < len(text):
        spans.append((start, len(text)))
    # A "sentence" without punctuation (tables, pasted lists) is cut into bounded pieces, so the
    # per-sentence work stays linear in the document's length.
    bounded = []
    for start, end in spans:
        while end - start > _MAX_SENTENCE:
            cut = text.rfind(" ", start + _MAX_SENTENCE // 2, start + _MAX_SENTENCE)
            cut = cut if cut > start else start + _MAX_SENTENCE
            bounded.append((start, cut))
            start = cut
        bounded.append((start, end))
    return [(s, e) for s, e in bounded if text[s:e].strip()]


def _clause_bounds(text: str, start: int, end: int, position: int) -> tuple[int, int]:
    """Return the clause of a sentence that contains ``position``."""
    left, right = start, end
    for found in _CLAUSE_BREAK.finditer(text, start, end):
        if found.end() <= position:
            left = found.end()
        elif found.start() >= position:
            right = found.start()
            break
    return left, right


def _skip_space(text: str, position: int, limit: int) -> int:
    """Return the first non-space position at or after ``position``."""
    while position < limit and text[position] in " \t\u00a0":
        position += 1
    return position


def _read_unit(text: str, q: Quantity, limit: int, lex: Lexicon) -> _Reading | None:
    """Read the unit written with a quantity: currency, rate, power, counting word, chip model."""
    value, value_max = q.value, q.value_max
    if q.kind == "percent":
        return _Reading(q, "percent", None, q.end, value, value_max)
    if q.kind == "ordinal":
        return _Reading(q, "rank", "rank", q.end, value, value_max)
    # A currency symbol right before the number: "$1.5bn", "HK$59.4 billion".
    number_start = q.number_span[0]
    before = text[max(0, number_start - 4) : number_start]
    currency = None
    for match in lex.currency_symbols.finditer(before):
        if match.end == len(before):
            currency = match.key
    position = _skip_space(text, q.end, limit)
    word = lex.currency_words.match_at(text, position)
    if word is not None:
        currency = word.key
        position = word.end
    if currency is not None:
        end = position if word is not None else q.end
        per = lex.per.match_at(text, _skip_space(text, end, limit))
        unit = currency
        if per is not None:
            unit = f"{currency}/{per.key}"
            end = per.end
        return _Reading(q, unit, None, end, value, value_max)
    if text.startswith(("-", "–"), position):  # "a 5-gigawatt site", "10-GPU cluster"
        position += 1
    power = lex.power.match_at(text, position)
    if power is not None:
        factor = lex.power_factor.get(power.key, 1.0)
        scaled_max = value_max * factor if value_max is not None else None
        return _Reading(q, "MW", "power_capacity", power.end, value * factor, scaled_max)
    # The counting word may start up to _MAX_UNIT_GAP characters on, across at most
    # _MAX_UNIT_WORDS words and a short aside in brackets ("3,170 artificial intelligence (AI)
    # companies"), but not across other punctuation or another number.
    window_end = min(limit, position + _MAX_UNIT_GAP + _MAX_UNIT_LENGTH)
    gap_end = window_end
    window = _SHORT_ASIDE.sub(lambda aside: " " * len(aside.group()), text[position:window_end])
    # digits of a chip model are not another number: "400,000 of Nvidia's GB200 chips"
    window = _CHIP_MODEL.sub(lambda chip: "x" * len(chip.group()), window)
    stop = _UNIT_STOP.search(window)
    if stop is not None:
        gap_end = position + stop.start()
    count = lex.units.first(text, position, gap_end)
    if count is not None and (
        count.start - position > _MAX_UNIT_GAP
        or len(_SHORT_ASIDE.sub(" ", text[position : count.start]).split()) > _MAX_UNIT_WORDS
    ):
        count = None
    if count is not None:
        qualifier = _chip_model(text, count.end, limit) if count.key == "GPU" else None
        if count.key == "GPU" and qualifier is None:  # "400,000 of Nvidia's GB200 chips"
            between = _CHIP_MODEL.search(text, position, count.start)
            qualifier = _model_name(between.group()) if between else None
        metric = lex.metric_units.get(count.key, "score" if count.key == "point" else None)
        return _Reading(q, count.key, metric, count.end, value, value_max, qualifier=qualifier)
    model = _CHIP_MODEL.match(text, position)
    if model is not None:
        return _Reading(
            q,
            "GPU",
            "gpu_count",
            model.end(),
            value,
            value_max,
            qualifier=_model_name(model.group()),
        )
    anaphor = lex.anaphoric.match_at(text, position)
    if anaphor is not None:
        return _Reading(q, "anaphoric", None, anaphor.end, value, value_max)
    return None


def _model_name(code: str) -> str:
    """Normalise a chip model code: ``H-100`` -> ``H100``."""
    return re.sub(r"[-\s]", "", code) if re.search(r"\d", code) else code


def _chip_model(text: str, start: int, end: int) -> str | None:
    """Return the chip model named right after a GPU word, if any."""
    found = _CHIP_MODEL.match(text, _skip_space(text, start, end))
    return _model_name(found.group()) if found else None


def _conversion_alt(text: str, reading: _Reading, readings: Sequence[_Reading]) -> bool:
    """Tell whether a money reading is a conversion in parentheses of the previous one."""
    previous = readings[-1]
    if previous.unit is None or reading.unit is None or previous.unit == reading.unit:
        return False
    if (
        previous.unit.split("/")[0] not in _CURRENCIES
        or reading.unit.split("/")[0] not in _CURRENCIES
    ):
        return False
    gap = text[previous.end : reading.quantity.start]
    return bool(re.fullmatch(r"\s*\(\s*(?:khoảng|tương đương|about|around|or|~|≈)?\s*", gap, re.I))


# ISO codes the lexicon's currency words map to; a "(...)" after money in another one of these
# is a conversion of the same amount.
_CURRENCIES = frozenset(
    {"USD", "EUR", "CNY", "JPY", "KRW", "VND", "GBP", "HKD", "TWD", "SGD", "INR", "AUD", "CAD"}
    | {"CHF", "SEK", "AED", "SAR", "MYR", "THB", "IDR", "PHP", "BRL", "RUB"}
)


def _metric_for_money(context: _Context, reading: _Reading, clause: tuple[int, int]) -> str | None:
    """Choose the metric of a money amount or rate from the trigger words of its clause.

    The nearest trigger of the right kind (money metrics for amounts, rate metrics for
    ``USD/hour``-style units) on either side wins; one before the number wins a tie.
    """
    unit = reading.unit or ""
    wanted = (
        ("rate", "money")
        if unit.endswith(("/year", "/month"))
        else ("rate",)
        if "/" in unit
        else ("money",)
    )
    kinds = context.lex.metric_kinds
    start = reading.quantity.start
    before = [m for m in context.triggers.between(clause[0], start) if kinds.get(m.key) in wanted]
    after = [
        m for m in context.triggers.between(reading.end, clause[1]) if kinds.get(m.key) in wanted
    ]
    candidates = [(start - m.end, m.key) for m in before[-1:]]
    candidates += [(m.start - reading.end + 1, m.key) for m in after[:1]]
    if candidates:
        return min(candidates)[1]
    if unit.endswith("/hour"):
        return "price"
    if unit.endswith(("/year", "/month")):
        return "salary"
    return None


def _metric_for_percent(
    context: _Context, reading: _Reading, clause: tuple[int, int]
) -> str | None:
    """A percentage is a share unless a change word leads to it ("tăng 44%", "rose 44%")."""
    start = reading.quantity.start
    change = context.change_words.last_between(max(clause[0], start - 30), start)
    return None if change is not None else "share"


def _has_rank_trigger(context: _Context, reading: _Reading, clause: tuple[int, int]) -> bool:
    """Tell whether an ordinal is a place in a ranking (``xếp thứ``, ``vị trí``, ``ranked``)."""
    q = reading.quantity
    window = context.triggers.between(max(clause[0], q.start - 40), q.end)
    return any(match.key == "rank" for match in window)


@dataclass(frozen=True, slots=True)
class _Context:
    """Per-document facts the sentence walk needs."""

    text: str
    lex: Lexicon
    mentions: Sequence[Mention]
    starts: Sequence[int]
    published: date | None
    triggers: MatchIndex
    change_words: MatchIndex
    public_spending: MatchIndex
    figures: MatchIndex
    state_bodies: frozenset[int]  # where ministries, parties, governments are named
    attribution_before: MatchIndex
    attribution_after: MatchIndex
    relative_years: MatchIndex
    modality: MatchIndex
    publishers: Mapping[str, bool]


def _mentions_in(context: _Context, start: int, end: int) -> list[Mention]:
    """Return entity mentions inside ``[start, end)``."""
    index = bisect_left(context.starts, start)
    found = []
    while index < len(context.mentions) and context.mentions[index].start < end:
        if context.mentions[index].end <= end:
            found.append(context.mentions[index])
        index += 1
    return found


def _source(context: _Context, start: int, end: int) -> tuple[str | None, tuple[int, int] | None]:
    """Find whom a sentence attributes its numbers to, and that phrase's span."""
    text, lex = context.text, context.lex
    for match in context.attribution_before.between(start, end):
        if lex.not_attribution.match_at(text, match.start) is not None:
            continue
        # The source is named before the phrase's first comma: in "according to a government
        # report, the UK has...", "theo báo cáo mới, Hàn Quốc..." the entity is the subject.
        reach = min(end, match.end + 60)
        comma = _PHRASE_END.search(text, match.end, reach)
        following = _mentions_in(context, match.end, comma.start() if comma else reach)
        if following:
            # "theo CEO Ryu Young-sang của SK Telecom": the organisation closes the phrase.
            mention = (
                following[-1]
                if len(following) > 1 and _joined_by_of(text, following)
                else following[0]
            )
            return mention.entity_id, (match.start, mention.end)
    for match in context.attribution_after.between(start, end):
        preceding = _mentions_in(context, max(start, match.start - 60), match.start)
        if preceding and not text[preceding[-1].end : match.start].strip(" ,"):
            mention = preceding[-1]
            return mention.entity_id, (mention.start, match.end)
    return None, None


def _joined_by_of(text: str, mentions: Sequence[Mention]) -> bool:
    """Tell whether the last mention is joined to the first by "của"/"of" ("CEO của X")."""
    between = text[mentions[0].end : mentions[-1].start]
    return bool(re.search(r"\b(?:của|of|tại|at)\s*$", between))


def _as_of(
    context: _Context, reading: _Reading, clause: tuple[int, int]
) -> tuple[str | None, bool]:
    """Return the year a number refers to and whether it is a forecast target."""
    text, lex = context.text, context.lex
    q = reading.quantity
    best: tuple[int, str, bool] | None = None
    for found in _YEAR.finditer(text, clause[0], clause[1]):
        if q.start <= found.start() < q.end:
            continue
        lead = text[max(clause[0], found.start() - 16) : found.start()]
        since = lex.since_words.nearest_before(lead, 0, len(lead))
        if since is not None and not lead[since.end :].strip():
            continue  # "kể từ năm 2014", "since 2014": the start of a span
        target = lex.target_words.nearest_before(lead, 0, len(lead))
        year_word = lex.year_words.nearest_before(lead, 0, len(lead))
        slash = re.search(r"(?:tháng|quý|Q)\s*\d{1,2}\s*/\s*$", lead, re.I)
        if target is None and year_word is None and slash is None:
            continue
        if found.start() >= reading.end:
            distance = found.start() - reading.end
        else:
            distance = q.start - found.end()
        if best is None or distance < best[0]:
            best = (distance, found.group(1), bool(target and lead.rstrip().endswith(target.text)))
    if context.published is not None:
        for match in context.relative_years.between(clause[0], clause[1]):
            distance = abs(match.start - reading.end)
            if best is None or distance < best[0]:
                best = (distance, str(context.published.year + int(match.key)), False)
    if best is None:
        return None, False
    return best[1], best[2]


def _modality(context: _Context, clause: tuple[int, int]) -> Modality | None:
    """Return the strongest modality word of a clause."""
    found = {match.key for match in context.modality.between(clause[0], clause[1])}
    for name in ("forecast", "plan", "estimate"):
        if name in found:
            return Modality(name)
    return None


def _subject(
    context: _Context,
    reading: _Reading,
    sentence: tuple[int, int],
    clause: tuple[int, int],
    after: int,
    excluded: tuple[int, int] | None,
) -> Mention | None:
    """Pick the entity a quantity is about: nearest before it in its list item, clause, sentence."""

    def usable(mention: Mention) -> bool:
        return excluded is None or not (excluded[0] <= mention.start < excluded[1])

    def compared(mention: Mention) -> bool:
        """An entity after "sau"/"than", or inside a parenthesis aside, is not the subject."""
        lead = context.text[max(0, mention.start - 12) : mention.start].rstrip()
        found = context.lex.comparison.nearest_before(lead, 0, len(lead))
        if found is not None and found.end == len(lead):
            return True
        if context.publishers.get(mention.entity_id, False):
            return True
        text = context.text
        opened = text.rfind("(", sentence[0], mention.start) > text.rfind(
            ")", sentence[0], mention.start
        )
        return opened and ")" in text[mention.end : reading.quantity.start]

    q = reading.quantity
    fallback = None
    for low in (max(after, clause[0]), clause[0], sentence[0]):
        candidates = [m for m in _mentions_in(context, low, q.start) if usable(m)]
        preferred = [m for m in candidates if not compared(m)]
        if preferred:
            return preferred[-1]
        if candidates and fallback is None:
            fallback = candidates[-1]
    if fallback is not None:
        return fallback
    if reading.unit == "percent":
        # "70% của 50.000 đơn nộp khắp thế giới", "75% of these firms are in London": what
        # follows a share is its whole or a place, not whose share it is
        return None
    candidates = [m for m in _mentions_in(context, reading.end, clause[1]) if usable(m)]
    return candidates[0] if candidates else None


def _pair_in_order(
    context: _Context,
    readings: Sequence[_Reading],
    sentence: tuple[int, int],
    excluded: tuple[int, int] | None,
) -> dict[int, Mention]:
    """Pair N entities with N consecutive numbers, in order.

    For "X và Y lần lượt có 100 và 35", "X and Y have 4,000 and 3,500 respectively" and
    "X chi nhiều hơn Y (300 tỷ USD so với 50 tỷ USD)": the distinct entities named between the
    previous number and the group, and a group of numbers with no entity between them.
    """
    text = context.text
    marker = _RESPECTIVELY.search(text, sentence[0], sentence[1]) or _COMPARISON.search(
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
    while first > 0 and not _mentions_in(
        context, readings[first - 1].end, readings[first].quantity.start
    ):
        first -= 1
    last = nearest
    while last + 1 < len(readings) and not _mentions_in(
        context, readings[last].end, readings[last + 1].quantity.start
    ):
        last += 1
    left = readings[first - 1].end if first > 0 else sentence[0]
    entities: list[Mention] = []
    for mention in _mentions_in(context, left, readings[first].quantity.start):
        if excluded is not None and excluded[0] <= mention.start < excluded[1]:
            continue
        if all(mention.entity_id != seen.entity_id for seen in entities):
            entities.append(mention)
    count = last - first + 1
    if count < 2 or len(entities) != count:
        return {}
    return {first + position: entity for position, entity in enumerate(entities)}


def _ordinal_pairs(
    context: _Context,
    readings: Sequence[_Reading],
    sentence: tuple[int, int],
    excluded: tuple[int, int] | None,
) -> dict[int, Mention]:
    """Pair a list of entities with a list of ordinals joined as a list, in order, as if
    "respectively" were written: "the US and China ranked first and second"."""
    text = context.text
    for first in range(len(readings) - 1):
        last = first
        while (
            last + 1 < len(readings)
            and readings[last].unit == readings[last + 1].unit == "rank"
            and _COORDINATION.fullmatch(text, readings[last].end, readings[last + 1].quantity.start)
        ):
            last += 1
        if last == first:
            continue
        left = readings[first - 1].end if first > 0 else sentence[0]
        entities: list[Mention] = []
        for mention in _mentions_in(context, left, readings[first].quantity.start):
            if excluded is not None and excluded[0] <= mention.start < excluded[1]:
                continue
            if all(mention.entity_id != seen.entity_id for seen in entities):
                entities.append(mention)
        if len(entities) == last - first + 1:
            return {first + at: entity for at, entity in enumerate(entities)}
    return {}


def _claims_of_sentence(
    context: _Context,
    sentence: tuple[int, int],
    quantities: Sequence[Quantity],
    topic: Mention | None = None,
    earlier: Claim | None = None,
) -> list[Claim]:
    """Turn one sentence's quantities into claims; ``topic`` is the entity the paragraph is
    about so far (what its latest sentence naming one opened with), the subject when this
    sentence names none."""
    text, lex = context.text, context.lex
    source, source_span = _source(context, *sentence)
    source_mention = None
    if source_span is not None:
        inside = _mentions_in(context, *source_span)
        source_mention = next((m for m in inside if m.entity_id == source), None)
    readings: list[_Reading] = []
    last_read = -2
    own = [_read_unit(text, q, sentence[1], lex) for q in quantities]
    for number in range(len(quantities) - 2, -1, -1):
        following = own[number + 1]
        if own[number] is None and following is not None and following.unit not in (None, "rank"):
            gap = text[quantities[number].end : quantities[number + 1].start]
            if _SHARED_UNIT_GAP.fullmatch(gap):
                q = quantities[number]
                own[number] = replace(following, quantity=q, end=q.end, value=q.value,
                                      value_max=q.value_max)  # fmt: skip
    for number, q in enumerate(quantities):
        if q.vague:  # "hàng trăm", "dozens of": no number a reader would quote
            continue
        after = _skip_space(text, q.end, sentence[1])
        if lex.durations.match_at(text, after) is not None:
            continue
        if lex.ratios.match_at(text, after) is not None:  # "12 times", "gấp 3 lần": a ratio
            continue
        reading = own[number]
        if (
            reading is None
            and readings
            and last_read == number - 1
            and readings[-1].unit not in (None, "percent", "rank")
        ):
            previous = readings[-1]
            gap = text[previous.end : q.start]
            if len(gap) < 80:
                reading = _Reading(
                    q, previous.unit, previous.metric, q.end, q.value, q.value_max,
                    qualifier=previous.qualifier, inherited=True,
                )  # fmt: skip
        if reading is None:
            continue
        last_read = number
        if reading.unit == "anaphoric":
            unit_reading = next((r for r in reversed(readings) if r.unit == "GPU"), None)
            if unit_reading is None and context.lex.units.first(
                text, max(0, sentence[0] - 400), sentence[0]
            ):
                unit_reading = replace(reading, unit="GPU", metric="gpu_count")
            if unit_reading is None:
                continue
            reading = replace(
                reading, unit="GPU", metric="gpu_count", qualifier=unit_reading.qualifier
            )
        if (
            readings
            and reading.unit is not None
            and (readings[-1].unit or "").startswith(f"{reading.unit}/")
            and q.start - readings[-1].end < 40
        ):
            # "$3.00–$3.90/GPU-hr, down from $7.57 (AWS)": an amount right after a rate in
            # its currency is a rate too
            reading = replace(reading, unit=readings[-1].unit, metric=readings[-1].metric)
        if readings and _conversion_alt(text, reading, readings):
            previous = readings.pop()
            readings.append(
                replace(
                    previous,
                    alt=(*previous.alt, (reading.value, reading.unit or "")),
                    end=reading.end,
                )
            )
            continue
        readings.append(reading)
    paired = _pair_in_order(context, readings, sentence, source_span)
    claims: list[Claim] = []
    previous_subject: Mention | None = None
    previous_end = sentence[0]
    for index, reading in enumerate(readings):
        q = reading.quantity
        clause = _clause_bounds(text, sentence[0], sentence[1], q.start)
        metric = reading.metric
        if metric == "rank" and not _has_rank_trigger(context, reading, clause):
            metric = None
        elif metric is None and reading.unit == "percent":
            metric = _metric_for_percent(context, reading, clause)
        elif metric is None:
            metric = _metric_for_money(context, reading, clause)
            if metric is None and reading.unit is not None and "/" not in reading.unit:
                rated = _table_rate(context, reading, sentence)
                if rated is not None:  # a row under "price per GPU-hour:"
                    reading = rated
                    metric = _metric_for_money(context, reading, clause)
        subject = (
            paired.get(index)
            or _bracketed_owner(context, q.start)
            or _bracketed_after(context, reading.end)
            or _compared_owner(context, reading, clause)
        )
        if subject is None:
            named = _mentions_in(context, previous_end, q.start)
            if reading.inherited and not named and previous_subject is not None:
                subject = previous_subject
            elif _self_reported(context, source_mention, clause, q.start):
                subject = source_mention  # "whereas OpenAI projects $1.8 billion"
            else:
                subject = _subject(context, reading, sentence, clause, previous_end, source_span)
            if subject is None and source_mention is not None and source_mention.start > q.end:
                subject = source_mention
            if subject is None and not _mentions_in(context, sentence[0], q.start):
                subject = topic  # "OpenAI is burning cash. Sam Altman expects $13 billion..."
        previous_end = reading.end
        if (
            metric is None
            and claims
            and claims[-1].unit == reading.unit
            and reading.unit in context.lex.currencies
            and q.start - claims[-1].end < _SIBLING_REACH
            and not _NAMED_AFTER.match(text, reading.end)
        ):
            # "đầu tư AI của Mỹ lên 26,6 tỷ USD, còn của Trung Quốc mới là 4 tỷ USD": the
            # same kind of amount said again of another entity in the same sentence
            metric = claims[-1].metric
        latest = claims[-1] if claims else earlier
        if (metric is None or subject is None) and latest is not None and reading.unit:
            again = _figure_again(context, latest, reading, clause)
            if again is not None:
                reading, anaphor = again
                metric = metric or latest.metric
                subject = subject or anaphor
        if metric is None or subject is None or reading.unit is None:
            continue
        if metric == "ai_investment" and _public_money(context, subject, reading, sentence):
            metric = "budget"
        previous_subject = subject
        year, is_target = _as_of(context, reading, clause)
        modality = _modality(context, clause)
        if is_target and modality is None:
            modality = Modality.FORECAST
        total = None
        if metric == "rank":
            found = _RANK_TOTAL.match(text, reading.end)
            if found:
                total = float(found.group(1))
        start = (
            subject.start
            if sentence[0] <= subject.start < q.start and q.start - subject.start < 160
            else q.start
        )
        end = max(reading.end, q.end)
        if end <= subject.start < end + 40:  # "11 của Mỹ": the owner named after the number
            end = subject.end
        if text[start:end].count("(") > text[start:end].count(")") and text[end : end + 1] == ")":
            end += 1  # "Jakarta (250 MW)", "$7.57 (AWS)": the quote closes its bracket
        values = [(reading.value, year)]
        if q.change_from is not None:
            # "từ 31% năm 2000 lên 57% năm 2021": the earlier value carries the year inside.
            inner = _YEAR.search(text, q.start, q.number_span[0])
            scale = reading.value / q.value if q.value else 1.0
            values.insert(0, (q.change_from * scale, inner.group(1) if inner else None))
        # the subject last: "A and B each ..." also gives the figure to the others
        holders = [*_distributed(context, subject, q.start), subject]
        for value, value_year in values:
            for holder in holders:
                begin = start if holder is subject else min(start, holder.start)
                claims.append(
                    Claim(
                        start=begin,
                        end=end,
                        quote=text[begin:end],
                        subject=holder.entity_id,
                        metric=metric,
                        value=value,
                        unit=reading.unit,
                        value_max=reading.value_max if value == reading.value else None,
                        approx=q.approx or q.bound == "lower",
                        as_of=value_year,
                        modality=modality,
                        source=source if source != holder.entity_id else None,
                        qualifier=reading.qualifier,
                        total=total,
                        alt=reading.alt,
                    )
                )
    return claims


def assemble_claims(text: str, lang: str, *, published: date | None = None) -> list[Claim]:
    """Read every claim in a text (see the module docstring for how)."""
    lex = load_lexicon(lang)
    found = sorted(find_entities(text, lang), key=lambda m: m.start)
    sentences = _sentences(text)
    mentions = _resolve_mentions(text, found, lex, sentences)

    def scan(phrases: PhraseSet) -> MatchIndex:
        return MatchIndex(list(phrases.finditer(text)))

    context = _Context(
        text=text,
        lex=lex,
        mentions=mentions,
        starts=[m.start for m in mentions],
        published=published,
        triggers=scan(lex.triggers),
        change_words=scan(lex.change_words),
        public_spending=scan(lex.public_spending),
        figures=scan(lex.figure),
        state_bodies=frozenset(m.start for m in found if m.entity_id in _entity_facts().state_home),
        attribution_before=scan(lex.attribution_before),
        attribution_after=scan(lex.attribution_after),
        relative_years=scan(lex.relative_years),
        modality=scan(lex.modality),
        publishers=_entity_facts().publishers,
    )
    quantities = find_quantities(text, lang)
    claims: list[Claim] = []
    index = 0
    topic: Mention | None = None  # the entity the paragraph so far is about
    previous: tuple[int, int] | None = None
    for sentence in sentences:
        if previous is not None and "\n" in text[previous[1] : sentence[0]]:
            topic = None  # a new paragraph (line) starts afresh
        elif previous is not None:
            topic = _topic(context, previous, topic)
        inside = []
        while index < len(quantities) and quantities[index].start < sentence[1]:
            if quantities[index].start >= sentence[0]:
                inside.append(quantities[index])
            index += 1
        if inside:
            earlier = (
                claims[-1] if claims and "\n" not in text[claims[-1].end : sentence[0]] else None
            )
            claims.extend(_claims_of_sentence(context, sentence, inside, topic, earlier))
        previous = sentence
    return _deduplicate(claims)


def _self_reported(
    context: _Context, source: Mention | None, clause: tuple[int, int], position: int
) -> bool:
    """Tell whether the source of a number speaks of itself: it leads the number's clause
    ("OpenAI projects $1.8 billion of revenue") and is not a publisher (research firms and
    media report on others)."""
    return (
        source is not None
        and clause[0] <= source.start < position
        and not context.publishers.get(source.entity_id, False)
        and not any(m.start >= source.end for m in _mentions_in(context, source.end, position))
    )


def _figure_again(
    context: _Context, latest: Claim, reading: _Reading, clause: tuple[int, int]
) -> tuple[_Reading, Mention] | None:
    """Read "con số này có thể lên 450.000 USD", "this figure could reach $1.75 trillion": a
    number right after a phrase for the figure just given, in its unit (a rate keeps its
    period), is a new value of the latest claim. Returns the reading in that unit and a
    mention of the latest claim's subject at the phrase."""
    q = reading.quantity
    anaphor = context.figures.last_between(max(clause[0], q.start - 40), q.start)
    if anaphor is None or reading.unit not in (latest.unit, latest.unit.split("/")[0]):
        return None
    mention = Mention(anaphor.start, anaphor.end, latest.subject, anaphor.text)
    return replace(reading, unit=latest.unit), mention


# How far after a claim a second amount in its unit, with no metric word of its own, is
# read as the same kind of figure.
_SIBLING_REACH = 120
# A capitalised word right after an amount names what it is ("$12B Quarterly Loss"): its own.
_NAMED_AFTER = re.compile(r"\s+[A-ZÀ-Ỹ][a-zà-ỹ]")
# How far above a table row its heading may be, in lines and characters; a row is a short line.
_TABLE_LINES = 15
_TABLE_REACH = 800
_ROW_LENGTH = 100


def _table_rate(context: _Context, reading: _Reading, sentence: tuple[int, int]) -> _Reading | None:
    """Read a bare amount on a short line as a rate when the heading of its table or list
    names one ("price per GPU-hour:" over "Lambda Labs $2.99"): the nearest line above, in
    the same block of short lines, that carries a ``per`` phrase."""
    text, lex = context.text, context.lex
    start = text.rfind("\n", 0, sentence[0]) + 1
    end = text.find("\n", sentence[1])
    if (end if end >= 0 else len(text)) - start > _ROW_LENGTH:
        return None
    line_end = start - 1
    for _ in range(_TABLE_LINES):
        if line_end <= 0 or start - line_end > _TABLE_REACH:
            return None
        line_start = text.rfind("\n", 0, line_end) + 1
        if line_end - line_start > _ROW_LENGTH:
            return None  # a paragraph: the rows' block has ended without a heading
        per = lex.per.first(text, line_start, line_end)
        if per is not None:
            return replace(reading, unit=f"{reading.unit}/{per.key}")
        line_end = line_start - 1
    return None


def _bracketed_owner(context: _Context, position: int) -> Mention | None:
    """Return the entity a bracketed number follows ("như Jakarta (250 MW)", "Lambda ($2.99)"):
    the figure is that entity's, whatever comparison the list stands in."""
    before = _mentions_in(context, max(0, position - 80), position)
    if before and re.fullmatch(r"\s*\(\s*[~≈]?\s*[$€£¥]?", context.text[before[-1].end : position]):
        return before[-1]
    return None


def _named_at(context: _Context, position: int) -> Mention | None:
    """Return the entity whose name starts exactly at ``position``, if any."""
    found = _mentions_in(context, position, position + 60)
    return found[0] if found and found[0].start == position else None


def _bracketed_after(context: _Context, position: int) -> Mention | None:
    """Return the entity alone in brackets right after a number ("down from $7.57 (AWS) and
    $11.06 (GCP)", "60 MW (Hà Nội)"): the figure is that entity's."""
    text = context.text
    opening = re.match(r"\s*\(\s*", text[position : position + 6])
    if opening is None:
        return None
    named = _named_at(context, position + opening.end())
    if named is None:
        return None
    return named if re.match(r"\s*\)", text[named.end : named.end + 3]) else None


def _compared_owner(
    context: _Context, reading: _Reading, clause: tuple[int, int]
) -> Mention | None:
    """Return the entity named right after a number that follows a comparison marker or a
    ratio ("so với 11 của Mỹ", "compared with 28 for China", "gấp 8,7 lần mức 7,8 tỷ USD của
    Trung Quốc"): the number is that entity's. At most one word (mức, the) may come between."""
    text = context.text
    q = reading.quantity
    low = max(clause[0], q.start - 24)
    ends = [m.end() for m in _COMPARISON.finditer(text, low, q.start)]
    ends += [m.end for m in context.lex.ratios.finditer(text, low, q.start)]
    if not ends or len(text[max(ends) : q.start].strip(" ,:").split()) > 1:
        return None
    joined = _OWNER_AFTER.match(text, reading.end)
    if joined is None:
        return None
    return _named_at(context, joined.end())


def _distributed(context: _Context, subject: Mention, position: int) -> list[Mention]:
    """Return the other members of a list of subjects ending at ``subject`` when the number at
    ``position`` belongs to each of them ("OpenAI and SoftBank have each pledged $18 billion")."""
    text = context.text
    if _DISTRIBUTIVE.search(text, subject.end, position) is None:
        return []
    others: list[Mention] = []
    current = subject
    for mention in reversed(_mentions_in(context, max(0, subject.start - 200), subject.start)):
        if mention.end > current.start:
            continue
        if not _COORDINATION.fullmatch(text[mention.end : current.start]):
            break
        if mention.entity_id != subject.entity_id:
            others.append(mention)
        current = mention
    return others[::-1]


def _public_money(
    context: _Context, subject: Mention, reading: _Reading, sentence: tuple[int, int]
) -> bool:
    """Tell whether money a country spends is its public budget: a government body (ministry,
    party) is named in the sentence, the verb before the amount is a spending verb of the
    language's ``public_spending`` list, and no investment word comes between ("LDP muốn dành
    1.000 tỷ yen", "the ministry said Japan has spent ¥5.7 trillion"; not "Mỹ chi tiêu AI
    300 tỷ USD", a nation's spending, nor "đầu tư 50 tỷ USD")."""
    if _entity_facts().kinds.get(subject.entity_id) != "country":
        return False
    if not any(sentence[0] <= start < sentence[1] for start in context.state_bodies):
        return False
    start = reading.quantity.start
    clause = _clause_bounds(context.text, sentence[0], sentence[1], start)
    spending = context.public_spending.last_between(max(clause[0], start - 40), start)
    if spending is None:
        return False
    trigger = context.triggers.last_between(clause[0], start)
    return trigger is None or trigger.end <= spending.end


def _topic(context: _Context, previous: tuple[int, int], topic: Mention | None) -> Mention | None:
    """Return what a paragraph is about after its sentence ``previous``: the only entity that
    sentence names besides publishers (whose numbers are about others); none when it names
    several ("Nvidia and AMD took part alongside BlackRock"); ``topic`` unchanged when it
    names nobody."""
    named = [
        m
        for m in _mentions_in(context, *previous)
        if not context.publishers.get(m.entity_id, False)
    ]
    if not named:
        return topic
    return named[0] if len({m.entity_id for m in named}) == 1 else None


def _referent(
    text: str,
    mentions: Sequence[Mention],
    kinds: Mapping[str, str],
    kind: str,
    position: int,
    sentences: Sequence[tuple[int, int]],
) -> str | None:
    """Name what "nước này"/"the company" at ``position`` refers to.

    In its own sentence, the nearest entity of the kind before it; otherwise the first one
    named in the closest earlier sentence that names one (sentences open with their subject).
    """
    index = bisect_left([start for start, _ in sentences], position + 1) - 1
    for number in range(index, max(index - 4, -1), -1):
        low, high = sentences[number]
        high = min(high, position)
        found = [
            m
            for m in mentions
            if low <= m.start and m.end <= high and kinds.get(m.entity_id) == kind
        ]
        if found:
            return found[-1].entity_id if number == index else found[0].entity_id
    return None


# Organisations whose numbers are usually about others: research firms, consultancies, media.
_PUBLISHER_TYPES = frozenset({"research_firm", "consultancy", "media", "index_publisher"})
# Bodies whose figures are their country's.
_STATE_TYPES = frozenset({"government", "party"})


@dataclass(frozen=True, slots=True)
class _EntityFacts:
    """What the assembler needs from the gazetteer, computed once per process."""

    kinds: Mapping[str, str]  # entity id -> kind
    state_home: Mapping[str, str]  # ministry or party id -> its country
    publishers: Mapping[str, bool]  # ids of research firms, consultancies, media


@cache
def _entity_facts() -> _EntityFacts:
    """Read the gazetteer's kinds, state bodies and publishers once."""
    entities = load_entities().values()
    return _EntityFacts(
        kinds={e.id: e.kind for e in entities},
        state_home={e.id: e.home for e in entities if e.type in _STATE_TYPES and e.home},
        publishers={e.id: True for e in entities if e.type in _PUBLISHER_TYPES},
    )


def _resolve_mentions(
    text: str, mentions: list[Mention], lex: Lexicon, sentences: Sequence[tuple[int, int]]
) -> list[Mention]:
    """Map government bodies to their country, and add mentions for "nước này"/"the company".

    A ministry's figures are its country's ("MSIT imports 10,000 GPUs": KR). A phrase such as
    "nước này" names an entity of its kind named before it (see ``_referent``).
    """
    facts = _entity_facts()
    resolved = [
        replace(m, entity_id=facts.state_home[m.entity_id])
        if m.entity_id in facts.state_home
        else m
        for m in mentions
    ]
    kinds = facts.kinds
    added = []
    for phrase in lex.reference.finditer(text):
        topic = _referent(text, resolved, kinds, phrase.key, phrase.start, sentences)
        if topic is not None:
            added.append(Mention(phrase.start, phrase.end, topic, phrase.text))
    return sorted([*resolved, *added], key=lambda m: m.start)


def _deduplicate(claims: list[Claim]) -> list[Claim]:
    """Keep the first statement of each fact: titles and summaries repeat the body's numbers."""
    seen: set[tuple[str, str, float, str, float | None, str | None]] = set()
    unique = []
    for claim in claims:
        key = (claim.subject, claim.metric, claim.value, claim.unit, claim.value_max, claim.as_of)
        if key not in seen:
            seen.add(key)
            unique.append(claim)
    return unique
