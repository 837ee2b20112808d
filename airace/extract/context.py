"""What every stage knows about one document: its text, lexicon, mentions and phrase matches.

``build_context`` scans a document once for every lexicon phrase set the stages consult
(trigger words, attribution phrases, modality words...) and resolves its entity mentions:
a ministry or party stands for its country ("MSIT imports 10,000 GPUs" is KR's), and a phrase
such as "nước này" / "the company" becomes a mention of the entity of its kind named before it.
Stages then ask the context for mentions inside a span instead of rescanning the text.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from airace.errors import LexiconError
from airace.extract.entities import (
    Mention,
    find_entities,
    load_entities,
    unknown_organisation_candidates,
)
from airace.extract.lexicon import Lexicon, check_keys, load_lexicon, read_mapping
from airace.extract.ranks import RankWords, load_rank_words
from airace.extract.roles import load_roles
from airace.extract.scan import MatchIndex, PhraseSet, spans_within
from airace.extract.sentences import Span

# Organisations whose numbers are usually about others: research firms, consultancies, media.
_PUBLISHER_TYPES = frozenset({"research_firm", "consultancy", "media", "index_publisher"})
# Makers whose name, next to a counting word, says what is counted rather than whose it is.
_BRAND_TYPES = frozenset({"chipmaker"})
# How far before a city a place word ("in", "tại") may end.
_PLACE_LEAD = 12
_BRACKET_AFTER = re.compile(r"\s*\(")
# A name glued to a word by a hyphen qualifies it: "Paris-based", "Seoul-headquartered".
COMPOUND = re.compile(r"[-‑][a-zà-ỹđ]")
# Organisations that "the company" of a story is rarely about: backers and publishers.
_BYSTANDER_TYPES = _PUBLISHER_TYPES | {"investor", "bank", "exchange"}
# Bodies whose figures are their country's.
_STATE_TYPES = frozenset({"government", "party"})
# How many sentences back "the company" may look for what it refers to.
_REFERENCE_REACH = 4


@dataclass(frozen=True, slots=True)
class EntityFacts:
    """What the stages need from the gazetteer, computed once per process."""

    kinds: Mapping[str, str]  # entity id -> kind
    brands: frozenset[str]  # chip makers: "8.192 chip Nvidia" names the chips, not their owner
    bystanders: frozenset[str]  # investors and publishers: "the company" is another one
    seats: Mapping[str, str]  # seat of government -> its country ("Seoul plans to spend")
    state_home: Mapping[str, str]  # ministry or party id -> its country
    publishers: Mapping[str, bool]  # ids of research firms, consultancies, media

    def is_organisation(self, entity_id: str) -> bool:
        """Tell whether an entity is an organisation; a proposed name, not in the gazetteer, is."""
        return self.kinds.get(entity_id, "organisation") == "organisation"


@cache
def entity_facts() -> EntityFacts:
    """Read the gazetteer's kinds, state bodies and publishers once."""
    entities = load_entities().values()
    return EntityFacts(
        kinds={e.id: e.kind for e in entities},
        brands=frozenset(e.id for e in entities if e.type in _BRAND_TYPES),
        bystanders=frozenset(e.id for e in entities if e.type in _BYSTANDER_TYPES),
        seats=_government_seats(),
        state_home={e.id: e.home for e in entities if e.type in _STATE_TYPES and e.home},
        publishers={e.id: True for e in entities if e.type in _PUBLISHER_TYPES},
    )


@dataclass(frozen=True, slots=True)
class Context:
    """Per-document facts the sentence walk needs."""

    text: str
    lex: Lexicon
    mentions: Sequence[Mention]
    starts: Sequence[int]
    sentences: Sequence[Span]
    sentence_starts: Sequence[int]
    published: date | None
    triggers: MatchIndex
    change_words: MatchIndex
    public_spending: MatchIndex
    figures: MatchIndex
    state_bodies: frozenset[int]  # where ministries, parties, seats, "the government" act
    attribution_before: MatchIndex
    attribution_after: MatchIndex
    relative_years: MatchIndex
    modality: MatchIndex
    supply: MatchIndex  # role words: supply verbs, recipients, investors (roles.yaml)
    recipient: MatchIndex
    investor_before: MatchIndex
    investor_after: MatchIndex
    genitive: MatchIndex
    owner_after: MatchIndex
    facts: EntityFacts
    ranks: RankWords
    ranking: bool  # the document names a ranking: bare ordinals and scores are read
    memo: dict[Any, Any] = field(default_factory=dict)  # per-mention facts, computed once

    def mentions_in(self, start: int, end: int) -> list[Mention]:
        """Return entity mentions inside ``[start, end)``."""
        return spans_within(self.mentions, self.starts, start, end)

    def sentence_of(self, position: int) -> int:
        """Return where the sentence holding ``position`` starts."""
        index = bisect_left(self.sentence_starts, position + 1) - 1
        return self.sentences[index][0] if index >= 0 else 0

    def named_at(self, position: int) -> Mention | None:
        """Return the entity whose name starts exactly at ``position``, if any."""
        found = self.mentions_in(position, position + 60)
        return found[0] if found and found[0].start == position else None

    def is_publisher(self, mention: Mention) -> bool:
        """Tell whether an entity mostly reports others' numbers (research firms, media)."""
        return self.facts.publishers.get(mention.entity_id, False)


def build_context(
    text: str,
    lang: str,
    sentences: Sequence[Span],
    published: date | None,
    numbers: Sequence[int] = (),
) -> Context:
    """Scan a document once for its mentions and the lexicon phrases the stages read.

    Phrases are read only in the sentences where numbers start (``numbers``) or a rank without
    a number is written: every stage asks about a number's own sentence, so the rest of the
    text need not be scanned.
    """
    lex = load_lexicon(lang)
    roles = load_roles(lang)
    ranks = load_rank_words(lang)
    facts = entity_facts()
    found = _with_proposed(
        sorted(
            (m for m in find_entities(text, lang) if not _currency_prefix(text, m)),
            key=lambda m: m.start,
        ),  # "US$2.2 billion", "S$1 billion": a currency's prefix, not a country
        unknown_organisation_candidates(text, lang),
    )
    mentions, state_bodies = _resolve_mentions(text, found, lex, sentences, facts)

    places = [m.start for m in ranks.first_place.finditer(text)]
    spans = _sentences_with(sentences, sorted([*numbers, *places]))

    def scan(phrases: PhraseSet) -> MatchIndex:
        return MatchIndex([m for start, end in spans for m in phrases.finditer(text, start, end)])

    role_matches = [m for start, end in spans for m in roles.words.finditer(text, start, end)]

    def role(key: str) -> MatchIndex:
        return MatchIndex([m for m in role_matches if m.key == key])

    triggers = scan(lex.triggers)

    return Context(
        text=text,
        lex=lex,
        mentions=mentions,
        starts=[m.start for m in mentions],
        sentences=sentences,
        sentence_starts=[start for start, _ in sentences],
        published=published,
        triggers=triggers,
        change_words=scan(lex.change_words),
        public_spending=scan(lex.public_spending),
        figures=scan(lex.figure),
        state_bodies=state_bodies,
        attribution_before=scan(lex.attribution_before),
        attribution_after=scan(lex.attribution_after),
        relative_years=scan(lex.relative_years),
        modality=scan(lex.modality),
        supply=role("supply"),
        recipient=role("recipient"),
        investor_before=role("investor_before"),
        investor_after=role("investor_after"),
        genitive=role("genitive"),
        owner_after=scan(roles.owner_after),
        facts=facts,
        ranks=ranks,
        ranking=any(m.key == "rank" for m in triggers.between(0, len(text)))
        or ranks.ranking_words.first(text, 0, len(text)) is not None,
    )


def _sentences_with(sentences: Sequence[Span], positions: Sequence[int]) -> list[Span]:
    """Return the runs of consecutive sentences that hold one of the sorted ``positions``, in
    order, each run one span (fewer scans: most news sentences hold a number)."""
    found: list[Span] = []
    index = 0
    run_on = False  # whether the sentence before held a position
    for start, end in sentences:
        while index < len(positions) and positions[index] < start:
            index += 1
        holds = index < len(positions) and positions[index] < end
        if holds and run_on:
            found[-1] = (found[-1][0], end)
        elif holds:
            found.append((start, end))
        run_on = holds
    return found


def _currency_prefix(text: str, mention: Mention) -> bool:
    """Tell whether a mention is the letters of a currency symbol: "US$2.2bn", "S$1bn"."""
    surface = text[mention.start : mention.end]
    return text.startswith("$", mention.end) and len(surface) <= 3 and surface.isupper()


def _acts(text: str, mention: Mention, lex: Lexicon) -> bool:
    """Tell whether a city acts in its sentence rather than being a place: no place or
    comparison word before it ("in Seoul", "tại Tokyo"), no bracketed figure after it and no
    compound it qualifies ("Paris-based")."""
    lead = text[max(0, mention.start - _PLACE_LEAD) : mention.start].rstrip()
    found = lex.comparison.nearest_before(lead, 0, len(lead))
    if found is not None and found.end == len(lead):
        return False
    return not _BRACKET_AFTER.match(text, mention.end) and not COMPOUND.match(text, mention.end)


def _government_seats() -> dict[str, str]:
    """Read ``data/government_seats.yaml``: seat city -> its country.

    Raises:
        LexiconError: the file breaks its schema or names a city the gazetteer lacks.
    """
    path = Path(__file__).parent.parent / "data" / "government_seats.yaml"
    data = read_mapping(path, "government seats file")
    check_keys(data, required=["seats"], path=str(path))
    entities = load_entities()
    seats = {}
    for city in data["seats"]:
        entity = entities.get(str(city))
        if entity is None or entity.kind != "city" or not entity.home:
            raise LexiconError(
                "not a city of the gazetteer with a home", path=str(path), key=str(city)
            )
        seats[entity.id] = entity.home
    return seats


def _with_proposed(known: list[Mention], proposed: list[Mention]) -> list[Mention]:
    """Add the organisations the gazetteer lacks; a proposal longer than the known mentions
    it overlaps replaces them ("Yotta Data Services" over "Yotta"), a shorter one is dropped."""
    mentions = list(known)
    for candidate in proposed:
        overlapping = [m for m in mentions if m.start < candidate.end and candidate.start < m.end]
        if all(candidate.end - candidate.start > m.end - m.start for m in overlapping):
            mentions = [m for m in mentions if m not in overlapping] + [candidate]
    return sorted(mentions, key=lambda m: m.start)


def _resolve_mentions(
    text: str,
    mentions: list[Mention],
    lex: Lexicon,
    sentences: Sequence[Span],
    facts: EntityFacts,
) -> tuple[list[Mention], frozenset[int]]:
    """Map government bodies and acting seats to their country, and add mentions for "nước
    này"/"the company"/"the government". Returns the mentions and where a state acts (a
    ministry, a party, a seat of government, "the government"): its spending is a budget."""
    resolved = []
    state = []
    for m in mentions:
        if m.entity_id in facts.state_home:
            m = replace(m, entity_id=facts.state_home[m.entity_id])
            state.append(m.start)
        elif m.entity_id in facts.seats and _acts(text, m, lex):
            m = replace(m, entity_id=facts.seats[m.entity_id])
            state.append(m.start)
        resolved.append(m)
    located = _Located.of(resolved, sentences)
    resolved = [_described(text, m, located, facts, lex) for m in resolved]
    located = _Located.of(resolved, sentences)
    added = []
    for phrase in lex.reference.finditer(text):
        kind = "country" if phrase.key == "government" else phrase.key
        topic = _referent(text, located, facts, kind, phrase.start)
        if topic is not None:
            added.append(Mention(phrase.start, phrase.end, topic, phrase.text))
            if phrase.key == "government":
                state.append(phrase.start)
    return sorted([*resolved, *added], key=lambda m: m.start), frozenset(state)


# How far before a place its description may start ("hãng có trụ sở tại Osaka này").
_DESCRIBED_REACH = 60


@dataclass(frozen=True, slots=True)
class _Located:
    """Mentions in text order with their starts, and the sentences' starts, so that "which
    mentions lie between two offsets" is a bisection, not a scan (a long document has
    thousands of mentions and of back-references: the scans made it quadratic)."""

    mentions: Sequence[Mention]
    starts: Sequence[int]
    sentences: Sequence[Span]
    sentence_starts: Sequence[int]

    @classmethod
    def of(cls, mentions: Sequence[Mention], sentences: Sequence[Span]) -> _Located:
        ordered = sorted(mentions, key=lambda m: m.start)  # stable: ties keep their order
        starts = [m.start for m in ordered]
        return cls(ordered, starts, sentences, [start for start, _ in sentences])

    def starting_in(self, low: int, high: int) -> Sequence[Mention]:
        """The mentions that start in ``[low, high)``."""
        return self.mentions[bisect_left(self.starts, low) : bisect_left(self.starts, high)]


def _described(
    text: str,
    mention: Mention,
    located: _Located,
    facts: EntityFacts,
    lex: Lexicon,
) -> Mention:
    """Turn a place named inside a description of an organisation ("the Toronto company",
    "hãng có trụ sở tại Osaka này") into a mention of the organisation it refers back to."""
    before, after = lex.described_before, lex.described_after
    if facts.is_organisation(mention.entity_id):
        return mention
    opening = before.search(text, max(0, mention.start - _DESCRIBED_REACH), mention.start)
    if opening is None and " " in mention.text:  # the name holds the opening: "The world"
        opening = before.match(text, mention.start, mention.start + mention.text.index(" ") + 1)
    closing = after.match(text, mention.end) if opening is not None else None
    if opening is None or closing is None:
        return mention
    topic = _referent(text, located, facts, "organisation", opening.start())
    if topic is None:
        return mention
    return Mention(opening.start(), closing.end(), topic, text[opening.start() : closing.end()])


def _referent(
    text: str, located: _Located, facts: EntityFacts, kind: str, position: int
) -> str | None:
    """Name what "nước này"/"the company" at ``position`` refers to.

    In its own sentence, the nearest entity of the kind before it; otherwise the first one the
    paragraph names (what it is about); otherwise the first one named in the closest earlier
    sentence that names one (sentences open with their subject). Investors and publishers are
    not what "the company" means when another organisation is named.
    """

    def of_kind(m: Mention) -> bool:
        return (
            facts.kinds.get(m.entity_id, "organisation") == kind
            and m.entity_id not in facts.bystanders
        )

    sentences = located.sentences
    index = bisect_left(located.sentence_starts, position + 1) - 1
    paragraph = text.rfind("\n", 0, position) + 1
    opening = sentences[index][0]
    own = [m for m in located.starting_in(opening, position) if m.end <= position and of_kind(m)]
    if own:
        return own[-1].entity_id
    earlier = [m for m in located.starting_in(paragraph, opening) if of_kind(m)]
    if earlier:
        return earlier[0].entity_id
    for number in range(index - 1, max(index - _REFERENCE_REACH, -1), -1):
        low, high = sentences[number]
        found = [m for m in located.starting_in(low, high) if m.end <= high and of_kind(m)]
        if found:
            return found[0].entity_id
    return None
