"""Re-read stored documents with the current extractor: what a better extractor finds in the
corpus already stored, without fetching anything again.

Each document is re-read and its claims rewritten in one transaction, so a run that is killed
leaves every document either as it was or fully re-read, and running it again goes on where it
stopped (documents whose claims are all the current extractor's are skipped). Claims are
matched by their span: a span that gives the same claim is left alone, one that gives a
different claim is updated in place (it keeps its id), new spans are added and spans that give
nothing now are removed. A claim a person reviewed is never changed or removed: the decision
was made on it, so it stays, and a new reading of the same span is dropped.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from airace.store.repository import ClaimChanges

if TYPE_CHECKING:
    from airace.model import Claim, Document
    from airace.store.repository import Store

# The fields that make two readings of a span the same claim (ids, status and the version
# stamp are bookkeeping).
_COMPARED = (
    "start", "end", "quote", "subject", "metric", "value", "unit", "value_max", "approx",
    "as_of", "modality", "source", "qualifier", "total", "alt", "value_usd",
)  # fmt: skip


@dataclass(slots=True)
class ReextractReport:
    """What a re-read changed, over all documents."""

    documents: int = 0
    new: int = 0
    gone: int = 0
    changed: int = 0
    same: int = 0
    kept: int = 0
    examples: list[tuple[int, str, str]] = field(default_factory=list)  # (doc, kind, text)

    def add(self, document_id: int, changes: ClaimChanges, keep: int = 20) -> None:
        self.documents += 1
        self.new += len(changes.new)
        self.gone += len(changes.gone)
        self.changed += len(changes.changed)
        self.same += len(changes.same)
        self.kept += changes.kept
        room = keep - len(self.examples)
        samples = (
            [("new", _show(c)) for c in changes.new]
            + [("gone", _show(c)) for c in changes.gone]
            + [("changed", f"{_show(old)} -> {_show(new)}") for old, new in changes.changed]
        )
        self.examples += [(document_id, kind, text) for kind, text in samples[: max(room, 0)]]


def reextract(
    store: Store,
    *,
    made_by: str | None = None,
    on_document: Callable[[Document, ClaimChanges], None] | None = None,
) -> ReextractReport:
    """Re-read every stored document whose claims are not all the current extractor's.

    Args:
        made_by: only documents with claims of an extractor version starting with this
            (``0.1.0`` or a whole ``0.1.0+digest``).
        on_document: called after each document (progress).
    """
    from airace.extract import extract_claims, extractor_version
    from airace.reconcile.currency import with_value_usd

    version = extractor_version()
    report = ReextractReport()
    for document in store.iter_documents_to_reread(version, made_by=made_by):
        assert document.id is not None
        found = extract_claims(document.text, document.language, published=document.published)
        fresh = with_value_usd(found, document.published)

        def plan(
            stored: list[Claim], reviewed: set[int], fresh: list[Claim] = fresh
        ) -> ClaimChanges:
            return plan_changes(stored, reviewed, fresh)

        changes = store.rewrite_claims(document.id, plan, version)
        report.add(document.id, changes)
        if on_document is not None:
            on_document(document, changes)
    return report


def plan_changes(
    stored: Sequence[Claim], reviewed: set[int], fresh: Sequence[Claim]
) -> ClaimChanges:
    """Match the stored claims of a document with a fresh reading of it, span by span."""
    by_span: dict[tuple[int, int], list[Claim]] = defaultdict(list)
    for claim in stored:
        by_span[(claim.start, claim.end)].append(claim)
    new: list[Claim] = []
    changed: list[tuple[Claim, Claim]] = []
    same: list[int] = []
    kept = 0
    for claim in fresh:
        olds = by_span.get((claim.start, claim.end))
        if not olds:
            new.append(claim)
            continue
        old = _closest(olds, claim)
        olds.remove(old)
        if old.id in reviewed:
            kept += 1  # a person's decision stands; this reading of its span is dropped
        elif _key(old) == _key(claim):
            assert old.id is not None
            same.append(old.id)
        else:
            changed.append((old, replace(claim, id=old.id, status=old.status)))
    gone = []
    for olds in by_span.values():
        for old in olds:
            if old.id in reviewed:
                kept += 1
            else:
                gone.append(old)
    return ClaimChanges(tuple(new), tuple(gone), tuple(changed), tuple(same), kept)


def _key(claim: Claim) -> tuple[object, ...]:
    return tuple(getattr(claim, name) for name in _COMPARED)


def _closest(candidates: list[Claim], claim: Claim) -> Claim:
    """The stored claim of a span most like a fresh one (the same metric first)."""
    return max(
        candidates,
        key=lambda old: sum(getattr(old, n) == getattr(claim, n) for n in _COMPARED),
    )


def _show(claim: Claim) -> str:
    return f"{claim.subject} {claim.metric} {claim.value:g} {claim.unit} «{claim.quote[:60]}»"
