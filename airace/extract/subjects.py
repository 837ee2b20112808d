"""Stage 5, subject choice: whom a figure is about, as a scored choice among candidates.

Every entity that could own a number is a candidate: the owner the sentence's shape names
(``pairing.py``), the subject of the number before it when this one repeats its unit, the
attributed source, every entity named before the number in its sentence or after it in its
clause, and the paragraph's topic. Each candidate carries cues: where it stands (in the
number's list item, clause or sentence; nearest; after the number) and what it does there (a
seller before a supply verb with a buyer after it, an investor, the world as an adjective of
a company, a term of comparison or a publisher). A candidate's score is the sum of its cues'
weights (``data/subject_weights.yaml``), less a little for distance; the best one wins.

Position weights alone reproduce "the nearest plain entity before the number, then the one
after it, then the topic"; role cues overrule position where the words say the near entity
plays another part: "AMD will ship 40,000 accelerators to Japan" is Japan's count, "Sequoia
dẫn đầu vòng gọi vốn 600 triệu USD của X" is X's round.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from airace.extract.attribution import Source, self_reported
from airace.extract.context import COMPOUND
from airace.extract.pairing import COORDINATION, structural_owner
from airace.extract.roles import subject_weights
from airace.extract.sentences import Span, skip_space
from airace.extract.units import CHIP_MODEL

if TYPE_CHECKING:
    from airace.extract.context import Context
    from airace.extract.entities import Mention
    from airace.extract.scan import MatchIndex
    from airace.extract.units import Reading

# How far before an entity a comparison word ("sau", "than") may end.
_COMPARED_LEAD = 12
# What may stand between a role word and its entity: "led by the", "cho tập đoàn".
_ROLE_GAP = re.compile(r"\s*(?:(?:the|a|an|its|tập đoàn|công ty|hãng|quỹ)\s+)?", re.IGNORECASE)
# What may stand between the world and the entity it qualifies: "global chipmaker Nvidia",
# "Nvidia's global", "tập đoàn toàn cầu Nvidia": up to three words, no punctuation.
_ADJECTIVE_GAP = re.compile(r"(?:\s*(?:'s|’s)?\s+[^\W\d_]+){0,3}\s*(?:'s|’s)?\s*")
# What may stand between an organisation and the world that qualifies its noun: a possessive
# and up to two words ("Nvidia's global", "Nvidia's total worldwide"), or nothing.
_OWNER_GAP = re.compile(r"(?:(?:'s|’s)(?:\s+[^\W\d_]+){0,2})?\s*")
WORLD = "WORLD"
# How far after a counting word a chip maker's name describes the chips ("chip Nvidia").
_BRAND_GAP = 2
# Cues that say a candidate plays another part than the owner's.
_SIDE_ROLES = frozenset(
    {"subordinate", "genitive", "seller", "investor", "modifier", "brand", "adjective"}
)
# How far after a name the next one of its list may end.
_LIST_GAP = 80
# A name in the possessive right before its number: "China's $7.8 billion".
_POSSESSIVE = re.compile(r"(?:'s|’s|')\s+(?:[^\W\d_]+\s+)?[$€£¥₩]?")
# A name joined to its number by "at", "with", a colon or a dash: "Amazon at 196,000".
_ATTACHED = re.compile(r"\s*,?\s*(?:at|with|với|là|:|–|-)\s*[$€£¥₩]?", re.IGNORECASE)
_SENTENCE_END = ".!?…"
# A possessive right before a name makes the name a noun's qualifier ("Nvidia's China revenue").
_OWNED_BEFORE = re.compile(r"(?:'s|’s|\bits|\btheir)\s+$", re.IGNORECASE)
_LOWER_WORD = re.compile(r"\s+[a-zà-ỹđ]")


@dataclass(slots=True)
class SentenceState:
    """What the subject choice carries from one number of a sentence to the next."""

    sentence: Span
    source: Source | None
    topic: Mention | None  # what the paragraph so far is about
    paired: dict[int, Mention]
    document: Mention | None = None  # what the whole article is about, from its headline
    previous_subject: Mention | None = None
    previous_end: int = 0


@dataclass(frozen=True, slots=True)
class Candidate:
    """An entity that could own a number, with the cues that hold for it."""

    mention: Mention
    cues: frozenset[str]
    distance: int  # characters between the entity and the number

    def score(self, weights: Mapping[str, float]) -> float:
        """Return the sum of the cues' weights, less the distance's."""
        return sum(weights[cue] for cue in self.cues) - weights["distance"] * self.distance / 100


def choose_subject(
    context: Context, state: SentenceState, index: int, reading: Reading, clause: Span
) -> Mention | None:
    """Return the entity the ``index``-th reading of the sentence is about, if any."""
    return best_candidate(candidates(context, state, index, reading, clause), subject_weights())


def best_candidate(found: Iterable[Candidate], weights: Mapping[str, float]) -> Mention | None:
    """Return the mention of the highest-scoring candidate, the nearer one on a tie; none when
    even the best scores below ``minimum_score`` (a chip brand, an investor alone)."""
    ranked = max(found, key=lambda c: (c.score(weights), -c.distance), default=None)
    if ranked is None or ranked.score(weights) < weights["minimum_score"]:
        return None
    return ranked.mention


def candidates(
    context: Context, state: SentenceState, index: int, reading: Reading, clause: Span
) -> list[Candidate]:
    """Gather every candidate for a reading's subject, with its cues."""
    q = reading.quantity
    owner = state.paired.get(index) or structural_owner(context, reading, clause)
    if owner is not None:
        return [Candidate(owner, frozenset({"structural"}), 0)]
    found: list[Candidate] = []
    source = state.source
    mention = source.mention if source is not None else None
    if (
        reading.inherited
        and state.previous_subject is not None
        and not context.mentions_in(state.previous_end, q.start)
    ):
        found.append(Candidate(state.previous_subject, frozenset({"inherited"}), 0))
    if mention is not None and self_reported(context, source, clause, q.start):
        found.append(Candidate(mention, frozenset({"self_reported"}), q.start - mention.end))
    excluded = source.span if source is not None else None
    after = [] if reading.unit == "percent" else _after(context, reading, clause, excluded)
    found += _before(context, state, reading, clause, excluded)
    if any("buyer" in c.cues for c in after):
        found = [_as_seller(c, clause) for c in found]
    found += after
    if mention is not None and mention.start > q.end:
        found.append(Candidate(mention, frozenset({"source_after"}), mention.start - q.end))
    if not context.mentions_in(state.sentence[0], q.start):
        if state.topic is not None:
            found.append(Candidate(state.topic, frozenset({"topic"}), q.start - state.sentence[0]))
        elif state.document is not None and not context.mentions_in(*state.sentence):
            found.append(Candidate(state.document, frozenset({"document"}), 0))
    return found


def _usable(mentions: Sequence[Mention], excluded: Span | None) -> list[Mention]:
    """Drop the mentions inside the attribution phrase."""
    if excluded is None:
        return list(mentions)
    return [m for m in mentions if not excluded[0] <= m.start < excluded[1]]


def _before(
    context: Context,
    state: SentenceState,
    reading: Reading,
    clause: Span,
    excluded: Span | None,
) -> list[Candidate]:
    """Return the candidates named before the number in its sentence."""
    q = reading.quantity
    sentence = state.sentence
    item = max(state.previous_end, clause[0])
    found = []
    for mention in _usable(context.mentions_in(sentence[0], q.start), excluded):
        region = (
            "item"
            if mention.start >= item
            else "clause"
            if mention.start >= clause[0]
            else "sentence"
        )
        cues = {region, *_roles(context, mention, reading)}
        side = _side_role(context, mention, sentence, q.start)
        if side is not None:
            cues.add(side)
        if _possessor(context, mention, q.start):
            cues.add("possessor")
        if _ATTACHED.fullmatch(context.text, mention.end, q.start):
            cues.add("attached")  # "Meta at 224,000", "Việt Nam với 54,48 điểm"
        found.append(Candidate(mention, frozenset(cues), q.start - mention.end))
    plain = [c for c in found if not c.cues & _SIDE_ROLES]
    if plain:
        nearest = plain[-1]
        found[found.index(nearest)] = Candidate(
            nearest.mention, nearest.cues | {"nearest"}, nearest.distance
        )
    return found


def _as_seller(candidate: Candidate, clause: Span) -> Candidate:
    """Mark a candidate of the number's clause as the seller (a buyer follows the number after
    a supply verb): "AMD will ship 40,000 accelerators to Japan", and, the verb said once for
    both, "Samsung shipped ... and SK Hynix 50,000 to Nvidia"."""
    mention = candidate.mention
    if mention.start < clause[0]:
        return candidate
    return Candidate(mention, candidate.cues | {"seller"}, candidate.distance)


def _after(
    context: Context, reading: Reading, clause: Span, excluded: Span | None
) -> list[Candidate]:
    """Return the candidates named after the number in its clause."""
    q = reading.quantity
    # the supply verb may be said once for two clauses: "Samsung giao ... cho Apple, còn SK
    # Hynix 50.000 chip cho Nvidia"
    sentence_start = context.sentence_of(q.start)
    supplied = context.supply.first_between(sentence_start, q.start) is not None
    found = []
    for number, mention in enumerate(
        _usable(context.mentions_in(reading.end, clause[1]), excluded)
    ):
        cues = {"after", *_roles(context, mention, reading)}
        if number == 0:
            cues.add("first_after")
        if supplied and _led_to(context.recipient, context.text, mention):
            cues.add("buyer")
        if mention.entity_id in context.facts.brands and mention.start - reading.end <= _BRAND_GAP:
            cues.add("brand")  # "8.192 chip Nvidia H100": the chips' maker, not their owner
        found.append(Candidate(mention, frozenset(cues), mention.start - reading.end))
    return found


@dataclass(frozen=True, slots=True)
class _Standing:
    """What the words around a mention say of it, whatever number it is weighed for."""

    lead: str | None  # "genitive" or "subordinate" from the word before it, or a publisher
    investor: bool  # named as an investor ("led by X", "X dẫn đầu")
    modifier: bool  # the world as an adjective of an organisation
    adjective: bool  # a nationality or a compound qualifying the noun after it
    brand: bool  # a chip maker naming the chips after it ("Nvidia GPUs", "Nvidia GB300")


def _standing(context: Context, mention: Mention) -> _Standing:
    """Read a mention's standing once per document."""
    known = context.memo.get(mention)
    if isinstance(known, _Standing):
        return known
    text = context.text
    standing = _Standing(
        lead=_lead_role(context, mention),
        investor=_led_to(context.investor_before, text, mention)
        or _leads(context.investor_after, text, mention)
        or _listed_with_investor(context, mention),
        modifier=mention.entity_id == WORLD and _qualifies_other(context, mention),
        adjective=_adjective(context, mention),
        brand=_names_chips(context, mention),
    )
    context.memo[mention] = standing
    return standing


def _roles(context: Context, mention: Mention, reading: Reading) -> set[str]:
    """Return the side roles the words around a mention give it: an investor (of money only:
    "Amazon dẫn đầu với 9.265 visa" leads a ranking), the world or a nationality as an
    adjective."""
    standing = _standing(context, mention)
    cues = set()
    if standing.investor and (reading.unit or "").split("/")[0] in context.lex.currencies:
        cues.add("investor")
    if standing.modifier:
        cues.add("modifier")
    if standing.adjective:
        cues.add("adjective")
    if standing.brand:
        cues.add("brand")
    return cues


def _names_chips(context: Context, mention: Mention) -> bool:
    """Tell whether a chip maker's name qualifies a chip word or model right after it ("Nvidia
    GPUs over five years in data centres of 500 MW": the chips' maker, not the centres' owner)."""
    if mention.entity_id not in context.facts.brands:
        return False
    text = context.text
    after = skip_space(text, mention.end, len(text))
    unit = context.lex.units.match_at(text, after)
    return (unit is not None and unit.key == "GPU") or CHIP_MODEL.match(text, after) is not None


def _listed_with_investor(context: Context, mention: Mention) -> bool:
    """Tell whether the name after this one, joined by "and"/"và", is an investor ("with
    Fidelity and Lightspeed co-leading", "Sequoia và a16z dẫn dắt"): both are."""
    following = context.mentions_in(mention.end, mention.end + _LIST_GAP)
    if not following or not COORDINATION.fullmatch(context.text, mention.end, following[0].start):
        return False
    return _standing(context, following[0]).investor


def _led_to(words: MatchIndex, text: str, mention: Mention) -> bool:
    """Tell whether one of ``words`` ends right before the mention."""
    found = words.last_between(max(0, mention.start - 40), mention.start)
    return found is not None and _ROLE_GAP.fullmatch(text, found.end, mention.start) is not None


def _leads(words: MatchIndex, text: str, mention: Mention) -> bool:
    """Tell whether one of ``words`` starts right after the mention."""
    found = words.first_between(mention.end, mention.end + 40)
    return found is not None and not text[mention.end : found.start].strip()


def _qualifies_other(context: Context, world: Mention) -> bool:
    """Tell whether "global"/"toàn cầu" is an adjective of an organisation next to it."""
    text, kinds = context.text, context.facts.kinds
    for other in context.mentions_in(max(0, world.start - 40), world.end + 40):
        if other is world or kinds.get(other.entity_id) != "organisation":
            continue
        if other.end <= world.start:  # "Nvidia's global revenue", not "IDC expects worldwide"
            if _OWNER_GAP.fullmatch(text, other.end, world.start):
                return True
        elif _ADJECTIVE_GAP.fullmatch(text, world.end, other.start):
            return True  # "global chipmaker Nvidia"
    return False


def _side_role(context: Context, mention: Mention, sentence: Span, number: int) -> str | None:
    """Name the side role an entity before a number plays, if any: ``genitive`` after "của"/
    "of" ("xAI của Elon Musk": xAI's), ``subordinate`` after a comparison word ("sau Mỹ",
    "than China"), as a publisher, or inside a bracketed aside that closes before the number."""
    lead = _standing(context, mention).lead
    if lead is not None:
        return lead
    text = context.text
    opened = text.rfind("(", sentence[0], mention.start) > text.rfind(
        ")", sentence[0], mention.start
    )
    return "subordinate" if opened and ")" in text[mention.end : number] else None


def _lead_role(context: Context, mention: Mention) -> str | None:
    """Name the role the word before a mention gives it, or its being a publisher."""
    text = context.text
    low = max(0, mention.start - _COMPARED_LEAD)
    lead = text[low : mention.start].rstrip()
    found = context.lex.comparison.nearest_before(lead, 0, len(lead))
    if found is not None and found.end == len(lead):
        genitive = context.genitive.last_between(low + found.start, mention.start)
        if genitive is not None and genitive.start == low + found.start:
            return "genitive"
        return "subordinate"
    return "subordinate" if context.is_publisher(mention) else None


def _possessor(context: Context, mention: Mention, number: int) -> bool:
    """Tell whether a name in the possessive leads straight to the number ("China's $7.8
    billion", "OpenAI's $40 billion round")."""
    return _POSSESSIVE.fullmatch(context.text, mention.end, number) is not None


def _adjective(context: Context, mention: Mention) -> bool:
    """Tell whether a nationality word qualifies the noun after it ("British start-up
    Fluidstack", "its Malaysian region"), or a name the word glued to it ("Paris-based"): the
    place of something else named nearby."""
    text = context.text
    qualifies = _LOWER_WORD.match(text, mention.end) is not None
    owned = _OWNED_BEFORE.search(text, max(0, mention.start - 12), mention.start) is not None
    return (
        (mention.demonym and qualifies)
        or (owned and qualifies)  # "Nvidia's China revenue", "its Japan sales"
        or COMPOUND.match(text, mention.end) is not None
    )


def next_topic(context: Context, previous: Span, topic: Mention | None) -> Mention | None:
    """Return what a paragraph is about after its sentence ``previous``: the only entity that
    sentence names besides publishers; none when it names several ("Nvidia and AMD took part
    alongside BlackRock"); ``topic`` unchanged when it names nobody."""
    if all(context.is_publisher(m) for m in context.mentions_in(*previous)):
        return topic
    return paragraph_entity(context, previous)


def document_topic(context: Context) -> Mention | None:
    """Return what an article is about: the only entity its headline names besides publishers;
    none when it names several or nobody, or when the first line is a sentence, not a headline
    (it ends with a full stop)."""
    text = context.text
    end = text.find("\n")
    headline = text[: len(text) if end < 0 else end].rstrip()
    if end < 0 or not headline or headline[-1] in _SENTENCE_END:
        return None
    return paragraph_entity(context, (0, len(headline)))


def paragraph_entity(context: Context, span: Span) -> Mention | None:
    """Return the only entity a span names besides publishers (its first mention); none when it
    names several or nobody."""
    named = [m for m in context.mentions_in(*span) if not context.is_publisher(m)]
    return named[0] if named and len({m.entity_id for m in named}) == 1 else None
