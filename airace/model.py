"""Domain objects that the pipeline stages pass to one another.

These frozen dataclasses are the contract between stages: ingest produces ``Document``s,
the store persists them, and every write operation answers with a ``RunReport`` that says,
item by item, what was stored, what was already there and what failed and why. Storage rows
and API schemas are converted from and to these shapes in exactly one place each.
"""

from __future__ import annotations

import enum
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True, slots=True)
class Document:
    """A cleaned text with its provenance.

    ``text`` is the normalised, cleaned text (NFC, one Vietnamese tone-mark style, boilerplate
    removed); every character span elsewhere in airace refers to it. ``content_hash`` is
    ``<normaliser-version>:<sha256>`` of that text and is the idempotency key of the store.
    """

    origin: str
    text: str
    content_hash: str
    title: str | None = None
    language: str | None = None
    published: date | None = None
    fetched_at: datetime | None = None
    id: int | None = None

    @property
    def size(self) -> int:
        """Length of the cleaned text in characters."""
        return len(self.text)


@dataclass(frozen=True, slots=True)
class DocumentSummary:
    """A stored document without its text, for listings."""

    id: int
    origin: str
    title: str | None
    language: str | None
    published: date | None
    fetched_at: datetime
    size: int


class ItemStatus(enum.StrEnum):
    """What happened to one item of a write operation."""

    STORED = "stored"
    DUPLICATE = "duplicate"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class ItemResult:
    """The outcome for one input item: its origin, status and, when it failed, why."""

    origin: str
    status: ItemStatus
    reason: str | None = None
    document_id: int | None = None


@dataclass(slots=True)
class RunReport:
    """The per-item account every write operation returns.

    The CLI's exit code follows it: 0 when everything was stored or already present, 1 when
    some item failed.
    """

    items: list[ItemResult] = field(default_factory=list)

    def add(self, result: ItemResult) -> None:
        self.items.append(result)

    @property
    def counts(self) -> Counter[ItemStatus]:
        return Counter(item.status for item in self.items)

    @property
    def stored(self) -> int:
        return self.counts[ItemStatus.STORED]

    @property
    def duplicates(self) -> int:
        return self.counts[ItemStatus.DUPLICATE]

    @property
    def failed(self) -> int:
        return self.counts[ItemStatus.FAILED]

    @property
    def ok(self) -> bool:
        return self.failed == 0

    def failures(self) -> list[ItemResult]:
        return [item for item in self.items if item.status is ItemStatus.FAILED]


class Modality(enum.StrEnum):
    """Where a figure stands in time, where the text says so (none: a plainly stated fact).

    Holdings count what is held or delivered; a plan, target, forecast or order is not yet
    held, and reconciliation keeps it apart from holdings."""

    ESTIMATE = "estimate"
    HOLDS = "holds"
    DELIVERED = "delivered"
    ORDER = "order"
    PLAN = "plan"
    TARGET = "target"
    FORECAST = "forecast"


class ReviewStatus(enum.StrEnum):
    """Where a claim stands in human review."""

    AUTO = "auto"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    CORRECTED = "corrected"


@dataclass(frozen=True, slots=True)
class Claim:
    """One quantitative statement read out of a document.

    ``quote == text[start:end]`` of the document it came from, always. ``subject`` is an
    entity id (ISO 3166-1 alpha-2 for countries, ``WORLD``, ``EU``, or an organisation's
    canonical English name); ``metric`` is one of the metric ids of ``data/metrics.yaml``;
    ``value`` is fully scaled (``1,46 nghìn tỉ`` is 1.46e12); money carries its ISO 4217 code
    as ``unit``. Exported JSON uses the field names of the gold format.
    """

    start: int
    end: int
    quote: str
    subject: str
    metric: str
    value: float
    unit: str
    value_max: float | None = None
    approx: bool = False
    as_of: str | None = None
    modality: Modality | None = None
    source: str | None = None
    qualifier: str | None = None
    total: float | None = None
    alt: tuple[tuple[float, str], ...] = ()
    value_usd: float | None = None
    document_id: int | None = None
    extractor_version: str | None = None
    status: ReviewStatus = ReviewStatus.AUTO
    id: int | None = None


@dataclass(frozen=True, slots=True)
class Review:
    """A person's decision on a claim, stored beside it; the claim itself is never changed.

    ``status`` is accepted, rejected or corrected. A correction carries the fields it changes
    (the others keep the claim's values); the latest review of a claim is the one that counts.
    """

    claim_id: int
    status: ReviewStatus
    subject: str | None = None
    metric: str | None = None
    value: float | None = None
    value_max: float | None = None
    unit: str | None = None
    as_of: str | None = None
    modality: str | None = None  # a Modality value, or "fact" for none
    note: str | None = None
    created_at: datetime | None = None
    id: int | None = None


@dataclass(frozen=True, slots=True)
class Evidence:
    """One figure behind an observation: a stored claim or a row of curated reference data.

    ``value`` is in the indicator's unit (USD for money); ``claim_id`` and ``quote`` are set
    for claims, ``url`` for reference data; ``subject`` is who the figure is about, which
    differs from the observation's entity when organisations are rolled up to their country.
    """

    value: float
    subject: str
    period: str
    approx: bool = False
    value_max: float | None = None
    source: str | None = None
    claim_id: int | None = None
    document_id: int | None = None
    quote: str | None = None
    published: date | None = None
    as_of: str | None = None
    reviewed: bool = False
    url: str | None = None

    @property
    def point(self) -> float:
        """The single value a range stands for: its midpoint."""
        return self.value if self.value_max is None else (self.value + self.value_max) / 2

    @property
    def reference(self) -> bool:
        return self.claim_id is None


# The period of a figure whose text gives no year. It sorts before every year, so a dated
# figure is always the later one, and it is no point in a time series.
UNDATED = ""


@dataclass(frozen=True, slots=True)
class Observation:
    """One value per (entity, indicator, period), chosen from its evidence.

    Figures that agree (within the indicator's tolerance) are one fact reported several times;
    figures that disagree are all kept, ``conflict`` is set, ``low``/``high`` give the spread
    and ``chosen_by`` names the rule that picked ``value`` (see ``reconcile/merge.py``).
    ``rollup`` marks a country value summed from its organisations' observations.
    ``period`` is the year (or month) the text gives the figure, ``UNDATED`` ("") when it
    gives none: never the publication year, so an undated figure makes no point in a series.
    """

    entity: str
    indicator: str
    period: str
    value: float
    unit: str
    evidence: tuple[Evidence, ...]
    conflict: bool = False
    low: float | None = None
    high: float | None = None
    chosen_by: str = "single"
    rollup: bool = False

    @property
    def documents(self) -> int:
        """How many distinct documents (or reference sources) report this figure."""
        return len(
            {e.document_id if e.document_id is not None else e.source for e in self.evidence}
        )
