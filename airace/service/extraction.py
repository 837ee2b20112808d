"""Extraction without a database: files -> cleaned documents -> claims, and gold scoring."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from airace.errors import AiraceError

if TYPE_CHECKING:
    from airace.config import Settings
    from airace.extract.evaluate import EvalReport
    from airace.model import Claim, Document


@dataclass(frozen=True, slots=True)
class ExtractedDocument:
    """A document read from a file with the claims found in it; ``doc`` is its short id."""

    doc: str
    document: Document
    claims: list[Claim]


def document_id(origin: str) -> str:
    """Name a document the way gold files do: the file name without its extension."""
    if "://" in origin or "#" in origin:
        return origin
    return Path(origin).stem


def extract_sources(
    sources: Sequence[str], settings: Settings
) -> Iterator[ExtractedDocument | AiraceError]:
    """Read, clean and extract every document the sources name; failures are yielded."""
    from airace.extract import extract_claims
    from airace.ingest.document import to_document
    from airace.ingest.sources import read_source

    for source in sources:
        for item in read_source(source, settings):
            if isinstance(item, AiraceError):
                yield item
                continue
            try:
                document = to_document(item)
            except AiraceError as error:
                yield error
                continue
            claims = extract_claims(document.text, document.language, published=document.published)
            yield ExtractedDocument(document_id(item.origin), document, claims)


def evaluate_gold(gold_path: Path, docs_dir: Path, settings: Settings) -> EvalReport:
    """Extract claims from the documents of a folder and score them against a gold file.

    Raises:
        AiraceError: the gold file is malformed or a document cannot be read.
    """
    from airace.extract import claim_record
    from airace.extract.evaluate import evaluate, read_gold

    gold = read_gold(gold_path)
    predicted: list[dict[str, object]] = []
    languages: dict[str, str] = {}
    for result in extract_sources([str(docs_dir)], settings):
        if isinstance(result, AiraceError):
            raise result
        languages[result.doc] = result.document.language or "?"
        predicted.extend(claim_record(claim, result.doc) for claim in result.claims)
    return evaluate(predicted, gold, languages)
