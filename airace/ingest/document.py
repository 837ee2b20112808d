"""Records -> Documents: the pure, per-document part of ingest.

``to_document`` depends only on its input, so the same function runs in the single-machine
pipeline and mapped over a Dask bag. The stored text is the cleaned, normalised text: claim spans
refer to it, and its hash is the idempotency key.
"""

from __future__ import annotations

import re
from datetime import datetime
from functools import cache

from airace.errors import SourceError
from airace.ingest.clean import clean_label, content_hash, normalise_text, remove_boilerplate
from airace.ingest.dates import find_published_date
from airace.ingest.html import extract_html
from airace.ingest.language import detect_language
from airace.ingest.sources import SourceRecord
from airace.model import Document

_TITLE_MAX = 300  # a first line longer than this is a paragraph, not a title


@cache
def _markdown_patterns() -> list[tuple[re.Pattern[str], str]]:
    """Compile the Markdown-to-text substitutions once."""
    return [
        (re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)"), ""),  # images
        (re.compile(r"\[([^\]\n]+)\]\([^)\n]*\)"), r"\1"),  # links keep their text
        (re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$", re.M), r"\1"),  # headings
        (re.compile(r"^\s{0,3}>\s?", re.M), ""),  # block quotes
        (re.compile(r"^\s{0,3}(?:[-*_]\s*){3,}$", re.M), ""),  # rules
        (re.compile(r"^\s{0,3}```.*$", re.M), ""),  # code fences
        (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),  # bold
        (re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?!\w)"), r"\1"),  # emphasis
    ]


def markdown_to_text(markdown: str) -> str:
    """Drop Markdown markup, keeping the words (headings, link texts, list items)."""
    for pattern, replacement in _markdown_patterns():
        markdown = pattern.sub(replacement, markdown)
    return markdown


def to_document(record: SourceRecord, *, fetched_at: datetime | None = None) -> Document:
    """Clean a record into a Document: text, title, language, publication date and hash.

    Raises:
        SourceError: nothing is left of the text after cleaning.
    """
    title = record.title
    published = record.published
    language = record.language
    if record.media == "html":
        page = extract_html(record.body, record.origin)
        title = title or page.title
        published = published or page.published
        language = language or page.language
        body = page.text
        if title and not body.lstrip().startswith(title.strip()):
            body = f"{title}\n\n{body}"
    elif record.media == "markdown":
        body = markdown_to_text(record.body)
    else:
        body = record.body
    normalised = normalise_text(body)
    text = remove_boilerplate(normalised)
    if not text.strip():
        raise SourceError("no text left after removing boilerplate", path=record.origin)
    if published is None:
        # Before boilerplate removal: the date often sits in a byline that cleaning drops.
        published = find_published_date(normalised)
    if title:
        title = normalise_text(title).strip() or None
    if not title:
        first_line = text.lstrip().split("\n", 1)[0].strip()
        title = first_line if len(first_line) <= _TITLE_MAX else None
    return Document(
        origin=clean_label(record.origin),
        text=text,
        content_hash=content_hash(text),
        title=title,
        language=language or detect_language(text),
        published=published,
        fetched_at=fetched_at,
    )
