"""Metadata for browsing an airace SQLite database in datasette.

The database opens in datasette as it is; ``airace export datasette`` writes the
``metadata.json`` that gives its tables and the ``claims_with_documents`` view titles,
descriptions of every column, and the sources and licences of what they hold.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

# Table -> (title, description, columns: name -> description).
TABLES: Mapping[str, tuple[str, str, Mapping[str, str]]] = {
    "documents": (
        "Documents",
        "Articles and reports as ingested: the cleaned text, its language and publication date.",
        {
            "id": "Document id",
            "content_hash": "Normaliser version and SHA-256 of the text: the idempotency key",
            "origin": "The first file, URL or feed item it was read from",
            "title": "Title (the first line of a text file, the page's title)",
            "language": "Detected language (ISO 639-1)",
            "published": "Publication date, from the page or the text",
            "fetched_at": "When airace first stored it (UTC)",
            "size": "Characters of text",
            "text": "The cleaned text; every claim's span points into it",
        },
    ),
    "document_origins": (
        "Where documents were seen",
        "Every file, URL or feed item a document was read from (the same text seen twice is "
        "stored once).",
        {"document_id": "Document id", "origin": "File, URL or feed item", "seen_at": "When"},
    ),
    "claims": (
        "Claims",
        "Every quantitative claim the extractor read: who, what, how much, when, according to "
        "whom, with the exact quote and its character span in the document's text.",
        {
            "id": "Claim id",
            "document_id": "The document it was read from",
            "span_start": "Start of the quote in the document's text (characters)",
            "span_end": "End of the quote (exclusive)",
            "quote": "The words the claim was read from",
            "subject": "Entity id: ISO 3166-1 alpha-2 country, WORLD, EU, or an organisation",
            "metric": "What is counted (data/metrics.yaml): gpu_count, ai_investment, rank...",
            "value": "The figure, fully scaled (1,46 nghìn tỉ is 1.46e12)",
            "value_max": "Upper end of a range",
            "unit": "Unit; money carries its ISO 4217 currency code",
            "value_usd": "Money converted to USD at the ECB rate of the claim's date",
            "approx": "Stated approximately ('about', 'khoảng')",
            "as_of": "The period the figure describes (YYYY, YYYY-MM or YYYY-MM-DD)",
            "modality": "fact, estimate, plan or forecast, where the text says so",
            "source": "Who the text attributes the figure to",
            "qualifier": "What narrows the figure (a chip model, a sector)",
            "total": "The whole a rank or share is out of (59/193)",
            "alt": "Other readings of the same words (JSON)",
            "extractor_version": "Code version and lexicon digest of the extractor",
            "status": "auto, accepted, rejected or corrected (human review)",
        },
    ),
    "claim_reviews": (
        "Reviews",
        "People's decisions on claims; a correction carries the fields it changes.",
        {
            "claim_id": "The claim reviewed",
            "status": "accepted, rejected or corrected",
            "note": "The reviewer's note",
            "created_at": "When (UTC)",
        },
    ),
    "claims_with_documents": (
        "Claims with their documents",
        "Each claim beside the title, origin, language and date of the document it was read "
        "from: the view to browse and facet.",
        {
            "claim_id": "Claim id",
            "document_title": "Title of the document",
            "document_origin": "Where the document was read from",
            "document_published": "Publication date of the document",
        },
    ),
}

LICENCE = (
    "airace's code is open source; the quotes are short excerpts of the ingested articles, "
    "whose copyright stays with their publishers (each row names its document's origin)."
)


def datasette_metadata(database: str) -> dict[str, Any]:
    """Return datasette's ``metadata.json`` content for the database file stem ``database``."""
    from airace import __version__

    tables: dict[str, Any] = {}
    for table, (title, description, columns) in TABLES.items():
        entry: dict[str, Any] = {"title": title, "description": description, "columns": columns}
        if table in ("claims", "claims_with_documents"):
            entry["facets"] = ["metric", "subject", "status"]
            entry["sort_desc"] = "claim_id" if table == "claims_with_documents" else "id"
        tables[table] = entry
    return {
        "title": "airace: evidence of the global AI race",
        "description": (
            "Quantitative claims about AI capacity (GPUs, money, talent, research, policy) read "
            "from news and reports, each with the sentence it came from. "
            f"Written by airace {__version__}."
        ),
        "license": "Quotes: publishers' copyright; metadata: CC BY 4.0",
        "license_url": "https://creativecommons.org/licenses/by/4.0/",
        "source": "airace ingest and extract (see each document's origin)",
        "about": LICENCE,
        "databases": {database: {"tables": tables}},
    }


def write_metadata(db: str | None, out: Path) -> Path:
    """Open (create or migrate) the SQLite database ``db`` and write its datasette metadata to
    ``out``; return the database file's path.

    Raises:
        AiraceError: the database is not a SQLite file.
    """
    from sqlalchemy.engine import make_url

    from airace.errors import AiraceError
    from airace.jsondata import dumps
    from airace.store.repository import open_store

    store = open_store(db)  # the view exists once the schema is at its head
    try:
        url = make_url(store.engine.url)
    finally:
        store.close()
    if url.get_backend_name() != "sqlite" or not url.database:
        raise AiraceError("datasette reads SQLite files", hint="give --db path/to/airace.db")
    path = Path(url.database)
    out.write_text(dumps(datasette_metadata(path.stem), indent=2) + "\n", encoding="utf-8")
    return path
