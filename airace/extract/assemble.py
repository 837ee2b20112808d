"""Text -> Claims: the stages of reading, in order, for every sentence of a document.

1. quantities (``numbers.py``): every number expression with its hedges, range and kind;
2. units (``units.py``): what each quantity counts or costs;
3. metric (``metrics.py``): what kind of figure it is;
4. structural owners (``pairing.py``) and 5. subject choice (``subjects.py``): whom it is about;
6. secondary fields (``fields.py``, ``attribution.py``): year, modality, rank total, source.

The document is scanned once (``context.py``); sentences are walked in order, carrying the
paragraph's topic and the latest claim ("con số này" / "this figure" gives it a new value).
Precision first: a quantity whose unit, metric or subject cannot be decided yields no claim.
Titles and summaries repeat the body's numbers, so the first statement of each fact is kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from airace.extract import fields
from airace.extract.attribution import find_source
from airace.extract.context import Context, build_context
from airace.extract.entities import Mention
from airace.extract.metrics import RATE_REACH, choose_metric, public_money, sibling_metric
from airace.extract.numbers import Quantity, find_quantities
from airace.extract.pairing import distributed, pair_in_order, says_respectively
from airace.extract.ranks import first_places
from airace.extract.sentences import Span, clause_bounds, new_paragraph, split_sentences
from airace.extract.subjects import (
    WORLD,
    SentenceState,
    choose_subject,
    document_topic,
    next_topic,
    paragraph_entity,
)
from airace.extract.units import Reading, read_units
from airace.model import Claim, Modality

# Metrics whose same value in one article may come from different rankings.
_PLACES = frozenset({"rank", "score"})
# How far before its number a subject may be named and still open the claim's quote.
_QUOTE_LEAD = 160
# How far after a number its owner named after it ("11 của Mỹ") still closes the quote.
_QUOTE_TAIL = 40
# How far a headline's figure may be from the body's it rounds ("34,000" for "34,333").
_ROUNDING = 0.05
# How far before "from X to Y" a change word makes it a change, not a range.
_CHANGE_LEAD = 60
# How far before a number a phrase for "the figure just given" may stand.
_FIGURE_REACH = 40


def assemble_claims(text: str, lang: str, *, published: date | None = None) -> list[Claim]:
    """Read every claim in a text (see the module docstring for how)."""
    sentences = split_sentences(text)
    numbers = find_quantities(text, lang)
    context = build_context(text, lang, sentences, published, [q.start for q in numbers])
    quantities = sorted([*numbers, *first_places(context)], key=_start)
    claims: list[Claim] = []
    index = 0
    topic: Mention | None = None  # the entity the paragraph so far is about
    document = document_topic(context)
    previous: Span | None = None
    paragraph = 0  # where the paragraph starts
    ahead = _paragraph_topics(context, sentences, document)
    for number, sentence in enumerate(sentences):
        if previous is not None and new_paragraph(text, previous[1], sentence[0]):
            topic = None  # a new paragraph (line) starts afresh
            paragraph = sentence[0]
        elif previous is not None:
            topic = next_topic(context, previous, topic)
        inside = []
        while index < len(quantities) and quantities[index].start < sentence[1]:
            if quantities[index].start >= sentence[0]:
                inside.append(quantities[index])
            index += 1
        if inside:
            earlier = (
                claims[-1]
                if claims and not new_paragraph(text, claims[-1].end, sentence[0])
                else None
            )
            # what the paragraph or the article is about, for a paragraph that has named nobody
            unnamed = ahead[number] if not context.mentions_in(paragraph, sentence[0]) else None
            claims.extend(_claims_of_sentence(context, sentence, inside, topic, earlier, unnamed))
        previous = sentence
    return _deduplicate(_without_rounded_headline(text, claims))


def _paragraph_topics(
    context: Context, sentences: Sequence[Span], document: Mention | None
) -> list[Mention | None]:
    """Return, per sentence, what its paragraph is about as a whole: the one entity the paragraph
    names ("Năm 2023, khoảng 65% người nhận visa H-1B ... cho thấy Mỹ đang thu hút"), else the
    article's ``document`` topic when the paragraph names nobody but the world or publishers;
    none when it names several."""
    text = context.text
    found: list[Mention | None] = []
    first = 0
    for number in range(1, len(sentences) + 1):
        if number < len(sentences) and not new_paragraph(
            text, sentences[number - 1][1], sentences[number][0]
        ):
            continue
        span = (sentences[first][0], sentences[number - 1][1])
        named = paragraph_entity(context, span)
        if all(m.entity_id == WORLD or context.is_publisher(m) for m in context.mentions_in(*span)):
            named = document  # "compared that with global rates" is not what it is about
        found += [named] * (number - first)
        first = number
    return found


def _start(quantity: Quantity) -> int:
    """Order quantities by where they start."""
    return quantity.start


def _claims_of_sentence(
    context: Context,
    sentence: Span,
    quantities: Sequence[Quantity],
    topic: Mention | None,
    earlier: Claim | None,
    document: Mention | None,
) -> list[Claim]:
    """Turn one sentence's quantities into claims; ``topic`` is the entity the paragraph is
    about so far, the subject when this sentence names none, ``document`` the article's when the
    paragraph has none; ``earlier`` the latest claim of the paragraph before this sentence."""
    source = find_source(context, *sentence)
    readings = read_units(context, sentence, quantities, earlier)
    # a company that says its own figures stays in the list they pair with ("Nvidia and
    # Microsoft said they would invest $10 billion and $5 billion, respectively")
    excluded = source.span if source is not None else None
    speaker = source.mention if source is not None else None
    if speaker is not None and not context.is_publisher(speaker):
        excluded = None if says_respectively(context.text, sentence) else excluded
    paired = pair_in_order(context, readings, sentence, excluded)
    state = SentenceState(sentence, source, topic, paired, document, previous_end=sentence[0])
    claims: list[Claim] = []
    for index, reading in enumerate(readings):
        claims.extend(_claims_of_reading(context, state, index, reading, claims, earlier))
    return claims


def _claims_of_reading(
    context: Context,
    state: SentenceState,
    index: int,
    reading: Reading,
    claims: Sequence[Claim],
    earlier: Claim | None,
) -> list[Claim]:
    """Decide one reading's metric, subject and fields; ``claims`` are the sentence's so far."""
    sentence = state.sentence
    clause = clause_bounds(context.text, sentence[0], sentence[1], reading.quantity.start)
    reading, metric = choose_metric(context, reading, sentence, clause)
    subject = choose_subject(context, state, index, reading, clause)
    state.previous_end = reading.end
    if metric is None and claims:
        reading, metric = sibling_metric(context, reading, claims[-1])
    elif metric is None and earlier is not None:
        reading, metric = sibling_metric(context, reading, earlier, RATE_REACH)
    latest = claims[-1] if claims else earlier
    if (metric is None or subject is None) and latest is not None and reading.unit:
        again = _figure_again(context, latest, reading, clause)
        if again is not None:
            reading, anaphor = again
            metric = metric or latest.metric
            subject = subject or anaphor
    if metric is None or subject is None or reading.unit is None:
        return []
    if metric == "ai_investment" and public_money(context, subject, reading, sentence):
        metric = "budget"
    state.previous_subject = subject
    return _claims(context, state, reading, metric, subject, clause)


def _claims(
    context: Context,
    state: SentenceState,
    reading: Reading,
    metric: str,
    subject: Mention,
    clause: Span,
) -> list[Claim]:
    """Build the claims of a decided reading: one per holder and per value it states."""
    text = context.text
    q = reading.quantity
    year, is_target = fields.as_of(context, reading, clause)
    modality = fields.modality(context, clause, q.start, reading.end)
    if is_target and modality is None:
        modality = Modality.FORECAST
    total = fields.rank_total(text, reading.end) if metric == "rank" else None
    start, end = _quote_span(context, state.sentence, reading, subject)
    values = [(reading.value, year)]
    value_max = reading.value_max
    if q.from_to and value_max is not None and _changes(context, clause, q.start):
        # "lift the installed base from roughly 65,000 to more than 300,000": two levels
        values, value_max = [(reading.value, None), (value_max, year)], None
    if q.change_from is not None:
        # "từ 31% năm 2000 lên 57% năm 2021": the earlier value carries the year inside.
        inner = fields.YEAR.search(text, q.start, q.number_span[0])
        scale = reading.value / q.value if q.value else 1.0
        values.insert(0, (q.change_from * scale, inner.group(1) if inner else None))
    source = state.source.entity_id if state.source is not None else None
    # the subject last: "A and B each ..." also gives the figure to the others
    holders = [*distributed(context, subject, reading), subject]
    claims = []
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
                    unit=reading.unit or "",
                    value_max=value_max if value == reading.value else None,
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


def _changes(context: Context, clause: Span, position: int) -> bool:
    """Tell whether a change word stands in the clause before ``position`` ("grew from X to Y"
    is a change; "from X to Y" alone a range)."""
    low = max(clause[0], position - _CHANGE_LEAD)
    return any(m.key == "change" for m in context.change_words.between(low, position))


def _quote_span(context: Context, sentence: Span, reading: Reading, subject: Mention) -> Span:
    """Return the shortest passage carrying a claim: from its subject (when named shortly
    before) to the end of its number and unit, closing a bracket it opened."""
    text = context.text
    q = reading.quantity
    start = (
        subject.start
        if sentence[0] <= subject.start < q.start and q.start - subject.start < _QUOTE_LEAD
        else q.start
    )
    end = max(reading.end, q.end)
    if end <= subject.start < end + _QUOTE_TAIL:  # "11 của Mỹ": the owner named after it
        end = subject.end
    if text[start:end].count("(") > text[start:end].count(")") and text[end : end + 1] == ")":
        end += 1  # "Jakarta (250 MW)", "$7.57 (AWS)": the quote closes its bracket
    return start, end


def _figure_again(
    context: Context, latest: Claim, reading: Reading, clause: Span
) -> tuple[Reading, Mention] | None:
    """Read "con số này có thể lên 450.000 USD", "this figure could reach $1.75 trillion": a
    number right after a phrase for the figure just given, in its unit (a rate keeps its
    period), is a new value of the latest claim. Returns the reading in that unit and a
    mention of the latest claim's subject at the phrase."""
    q = reading.quantity
    anaphor = context.figures.last_between(max(clause[0], q.start - _FIGURE_REACH), q.start)
    if anaphor is None or reading.unit not in (latest.unit, latest.unit.split("/")[0]):
        return None
    mention = Mention(anaphor.start, anaphor.end, latest.subject, anaphor.text)
    return replace(reading, unit=latest.unit), mention


def _without_rounded_headline(text: str, claims: list[Claim]) -> list[Claim]:
    """Drop a headline's figure that rounds one of the same claim in the body ("IndiaAI compute
    pool crosses 34,000 GPUs" over "34,333 GPUs"): the body's is the claim.
    (Dropping hedged rounded repeats in the body too cost the unseen and holdout sets a claim
    each.)"""
    end = text.find("\n")
    kept = []
    for claim in claims:
        if claim.start < end and any(
            other.subject == claim.subject
            and other.metric == claim.metric
            and other.unit == claim.unit
            and other.value != claim.value
            and other.start > end
            and abs(other.value - claim.value) <= _ROUNDING * abs(other.value)
            for other in claims
        ):
            continue
        kept.append(claim)
    return kept


def _deduplicate(claims: list[Claim]) -> list[Claim]:
    """Keep the first statement of each fact: titles and summaries repeat the body's numbers.

    A repeat that adds the year the first statement lacked lends it that year ("nhận 1.110-2.060
    USD mỗi tháng" in the summary, "năm nay ... 1.110 đến 2.060 USD" in the body); a repeat
    without a year is the same fact as a first statement with one ("£19bn of private investment
    through 2022" ... "received £19bn of investment").
    """
    first: dict[tuple[str, str, float, str, float | None], int] = {}
    unique: list[Claim] = []
    for claim in claims:
        key = (claim.subject, claim.metric, claim.value, claim.unit, claim.value_max)
        index = first.get(key)
        if claim.metric in _PLACES and index is not None and unique[index].as_of != claim.as_of:
            index = None  # one article ranks a country in several indices, years apart
        if index is not None and (
            unique[index].as_of is None or claim.as_of in (None, unique[index].as_of)
        ):
            if unique[index].as_of is None and claim.as_of is not None:
                unique[index] = replace(unique[index], as_of=claim.as_of)
            continue
        first.setdefault(key, len(unique))
        unique.append(claim)
    return unique
