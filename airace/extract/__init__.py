"""Text -> quantitative claims, for Vietnamese and English, with exact character spans.

``extract_claims`` is a pure function of its inputs: no I/O beyond reading the packaged
lexicons once per process, so it can be mapped over documents on one core or on Dask.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from airace import __version__

if TYPE_CHECKING:
    from airace.model import Claim

MAX_CHARS = 2_000_000  # longer texts are cut: bounded time per document


def extractor_version() -> str:
    """Return the code version and lexicon digest that claims are stamped with."""
    from airace.extract.lexicon import lexicon_digest

    return f"{__version__}+{lexicon_digest()}"


def extract_claims(text: str, lang: str | None, *, published: date | None = None) -> list[Claim]:
    """Read every quantitative claim in a text.

    Args:
        text: the document's cleaned text; spans of the claims refer to it.
        lang: its language (ISO 639-1); a language without a lexicon yields no claims.
        published: publication date, to resolve "last year" and "this year".

    Returns:
        Claims in text order, each with ``quote == text[start:end]``.
    """
    from dataclasses import replace

    from airace.extract.assemble import assemble_claims
    from airace.extract.lexicon import languages

    if lang not in languages():
        return []
    version = extractor_version()
    claims = assemble_claims(text[:MAX_CHARS], lang, published=published)
    return [replace(claim, extractor_version=version) for claim in claims]


def claim_record(claim: Claim, doc: str) -> dict[str, Any]:
    """Render a claim with the gold format's field names (plus its span)."""
    record: dict[str, Any] = {
        "doc": doc,
        "subject": claim.subject,
        "metric": claim.metric,
        "value": claim.value,
        "unit": claim.unit,
    }
    optional = {
        "value_max": claim.value_max,
        "qualifier": claim.qualifier,
        "total": claim.total,
        "approx": claim.approx or None,
        "as_of": claim.as_of,
        "modality": str(claim.modality) if claim.modality else None,
        "source": claim.source,
        "alt": [{"value": v, "unit": u} for v, u in claim.alt] or None,
        "value_usd": claim.value_usd,
        "id": claim.id,
        "status": str(claim.status) if claim.status != "auto" else None,
    }
    record.update({key: value for key, value in optional.items() if value is not None})
    record.update({"quote": claim.quote, "start": claim.start, "end": claim.end})
    return record
