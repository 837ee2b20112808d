"""Whom a sentence attributes its numbers to.

A source is named after an attribution phrase that leads it ("theo Gartner", "according to
IDC"), before the phrase's first comma, or before a phrase that follows it ("Gartner cho biết",
"IDC said"). The source is a field of the claim, not its subject, except when it leads the
number's clause and is not a publisher: it then speaks of itself ("whereas OpenAI projects
$1.8 billion").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from airace.extract.sentences import Span, skip_space

if TYPE_CHECKING:
    from airace.extract.context import Context
    from airace.extract.entities import Mention

_PHRASE_END = re.compile(r"[,;:]")
_JOINED_BY_OF = re.compile(r"\b(?:của|of|tại|at)\s*$")
# How far from its phrase a source may be named, in characters.
_SOURCE_REACH = 60


@dataclass(frozen=True, slots=True)
class Source:
    """The attributed source of a sentence: its id, the phrase's span, and its mention there."""

    entity_id: str
    span: Span
    mention: Mention | None


def find_source(context: Context, start: int, end: int) -> Source | None:
    """Find whom the sentence ``[start, end)`` attributes its numbers to."""
    text, lex = context.text, context.lex
    found: tuple[str, Span] | None = None
    for match in context.attribution_before.between(start, end):
        if lex.not_attribution.match_at(text, match.start) is not None:
            continue
        # The source is named before the phrase's first comma: in "according to a government
        # report, the UK has...", "theo báo cáo mới, Hàn Quốc..." the entity is the subject.
        reach = min(end, match.end + _SOURCE_REACH)
        comma = _PHRASE_END.search(text, match.end, reach)
        following = context.mentions_in(match.end, comma.start() if comma else reach)
        if following:
            # "theo CEO Ryu Young-sang của SK Telecom": the organisation closes the phrase.
            mention = (
                following[-1]
                if len(following) > 1 and _joined_by_of(text, following)
                else following[0]
            )
            found = mention.entity_id, (match.start, mention.end)
            break
    if found is None:
        for match in context.attribution_after.between(start, end):
            preceding = context.mentions_in(max(start, match.start - _SOURCE_REACH), match.start)
            if preceding and not text[preceding[-1].end : match.start].strip(" ,"):
                mention = preceding[-1]
                found = mention.entity_id, (mention.start, match.end)
                break
    if found is None:
        return None
    inside = context.mentions_in(*found[1])
    return Source(found[0], found[1], next((m for m in inside if m.entity_id == found[0]), None))


def _joined_by_of(text: str, mentions: list[Mention]) -> bool:
    """Tell whether the last mention is joined to the first by "của"/"of" ("CEO của X")."""
    return bool(_JOINED_BY_OF.search(text[mentions[0].end : mentions[-1].start]))


def self_reported(context: Context, source: Source | None, clause: Span, position: int) -> bool:
    """Tell whether the source of a number speaks of itself: it is not a publisher (research
    firms and media report on others) and it leads the number's clause, or a self-reference
    follows its verb."""
    if source is None or source.mention is None or context.is_publisher(source.mention):
        return False
    mention = source.mention
    if (
        mention.start < position
        and _speaks_of_itself(context, source)
        and not any(
            context.facts.is_organisation(m.entity_id)
            for m in context.mentions_in(max(clause[0], mention.end), position)
        )
    ):
        return True  # "Fluidstack said it would build a supercomputer in France ... 1 GW"
    return clause[0] <= mention.start < position and not any(
        m.start >= mention.end for m in context.mentions_in(mention.end, position)
    )


def _speaks_of_itself(context: Context, source: Source) -> bool:
    """Tell whether a self-reference follows the speaker's verb ("X said it would", "X cho biết
    hãng sẽ")."""
    mention = source.mention
    if mention is None or source.span[0] != mention.start:
        return False  # "according to X, ...": X reports, it does not speak of itself
    text = context.text
    after = skip_space(text, source.span[1], len(text))
    return context.lex.self_after.match_at(text, after) is not None
