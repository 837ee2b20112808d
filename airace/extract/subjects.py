"""Stage 5, subject choice: whom a figure is about.

The owner a sentence's shape decides (``pairing.py``) comes first. Otherwise the subject is the
nearest usable entity before the number in its list item, then its clause, then its sentence;
an entity after "sau"/"than", a publisher, or one inside a bracketed aside is used only when
nothing else is. A number repeating the unit of the one before takes its subject when no entity
is named between them; a source that leads its clause speaks of itself; a sentence that names
nobody before its number continues the paragraph's topic.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from airace.extract.attribution import Source, self_reported
from airace.extract.pairing import structural_owner
from airace.extract.sentences import Span

if TYPE_CHECKING:
    from airace.extract.context import Context
    from airace.extract.entities import Mention
    from airace.extract.units import Reading

# How far before an entity a comparison word ("sau", "than") may end.
_COMPARED_LEAD = 12


@dataclass(slots=True)
class SentenceState:
    """What the subject choice carries from one number of a sentence to the next."""

    sentence: Span
    source: Source | None
    topic: Mention | None  # what the paragraph so far is about
    paired: dict[int, Mention]
    previous_subject: Mention | None = None
    previous_end: int = 0


def choose_subject(
    context: Context, state: SentenceState, index: int, reading: Reading, clause: Span
) -> Mention | None:
    """Return the entity the ``index``-th reading of the sentence is about, if any."""
    q = reading.quantity
    subject = state.paired.get(index) or structural_owner(context, reading, clause)
    if subject is not None:
        return subject
    source = state.source
    source_mention = source.mention if source is not None else None
    named = context.mentions_in(state.previous_end, q.start)
    if reading.inherited and not named and state.previous_subject is not None:
        subject = state.previous_subject
    elif self_reported(context, source, clause, q.start):
        subject = source_mention  # "whereas OpenAI projects $1.8 billion"
    else:
        excluded = source.span if source is not None else None
        subject = nearest_subject(
            context, reading, state.sentence, clause, state.previous_end, excluded
        )
    if subject is None and source_mention is not None and source_mention.start > q.end:
        subject = source_mention
    if subject is None and not context.mentions_in(state.sentence[0], q.start):
        subject = state.topic  # "OpenAI is burning cash. Sam Altman expects $13 billion..."
    return subject


def nearest_subject(
    context: Context,
    reading: Reading,
    sentence: Span,
    clause: Span,
    after: int,
    excluded: Span | None,
) -> Mention | None:
    """Pick the entity a quantity is about: nearest before it in its list item, clause, sentence."""

    def usable(mention: Mention) -> bool:
        return excluded is None or not (excluded[0] <= mention.start < excluded[1])

    q = reading.quantity
    fallback = None
    for low in (max(after, clause[0]), clause[0], sentence[0]):
        candidates = [m for m in context.mentions_in(low, q.start) if usable(m)]
        preferred = [m for m in candidates if not _subordinate(context, m, sentence, q.start)]
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
    candidates = [m for m in context.mentions_in(reading.end, clause[1]) if usable(m)]
    return candidates[0] if candidates else None


def _subordinate(context: Context, mention: Mention, sentence: Span, number: int) -> bool:
    """Tell whether an entity plays a side role: after "sau"/"than", a publisher, or inside a
    bracketed aside that closes before the number."""
    text = context.text
    lead = text[max(0, mention.start - _COMPARED_LEAD) : mention.start].rstrip()
    found = context.lex.comparison.nearest_before(lead, 0, len(lead))
    if found is not None and found.end == len(lead):
        return True
    if context.is_publisher(mention):
        return True
    opened = text.rfind("(", sentence[0], mention.start) > text.rfind(
        ")", sentence[0], mention.start
    )
    return opened and ")" in text[mention.end : number]


def next_topic(context: Context, previous: Span, topic: Mention | None) -> Mention | None:
    """Return what a paragraph is about after its sentence ``previous``: the only entity that
    sentence names besides publishers; none when it names several ("Nvidia and AMD took part
    alongside BlackRock"); ``topic`` unchanged when it names nobody."""
    named = [m for m in context.mentions_in(*previous) if not context.is_publisher(m)]
    if not named:
        return topic
    return named[0] if len({m.entity_id for m in named}) == 1 else None
