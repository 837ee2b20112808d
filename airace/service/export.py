"""Exports: claims, observations, rankings and documents as CSV, JSON, JSON Lines or Parquet.

Every row that comes from a text carries its provenance: the document (id, origin, title,
publication date), the quote and its character span, and the attributed source; an observation
row is one piece of evidence beside the value chosen from all of them, so a figure in a
spreadsheet can be traced back to its sentence. Claims and documents stream from the store in
keyset-paginated batches and are written a batch at a time, so memory stays flat in corpus
size. A file is written beside its target and renamed into place when complete: an export that
fails leaves no half-written file.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from itertools import islice
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from airace.errors import AiraceError

if TYPE_CHECKING:
    from airace.store.repository import Store

KINDS = ("claims", "observations", "rankings", "documents")
FORMATS = ("csv", "json", "jsonl", "parquet")
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "jsonl": "application/x-ndjson",
    "parquet": "application/vnd.apache.parquet",
}
# Rows per Parquet row group and per write to a text stream.
BATCH = 5000

Row = dict[str, Any]

# Column name -> type (int, float, str, bool, date, datetime), in output order.
CLAIM_COLUMNS: Mapping[str, str] = {
    "id": "int",
    "subject": "str",
    "metric": "str",
    "value": "float",
    "value_max": "float",
    "unit": "str",
    "value_usd": "float",
    "approx": "bool",
    "as_of": "str",
    "modality": "str",
    "source": "str",
    "qualifier": "str",
    "total": "float",
    "status": "str",
    "quote": "str",
    "span_start": "int",
    "span_end": "int",
    "document_id": "int",
    "document_origin": "str",
    "document_title": "str",
    "document_language": "str",
    "document_published": "date",
    "extractor_version": "str",
}
OBSERVATION_COLUMNS: Mapping[str, str] = {
    "entity": "str",
    "indicator": "str",
    "period": "str",
    "value": "float",
    "unit": "str",
    "conflict": "bool",
    "low": "float",
    "high": "float",
    "chosen_by": "str",
    "rollup": "bool",
    "evidence_value": "float",
    "evidence_subject": "str",
    "evidence_source": "str",
    "evidence_quote": "str",
    "evidence_url": "str",
    "claim_id": "int",
    "document_id": "int",
    "span_start": "int",
    "span_end": "int",
    "published": "date",
    "reviewed": "bool",
}
DOCUMENT_COLUMNS: Mapping[str, str] = {
    "id": "int",
    "origin": "str",
    "title": "str",
    "language": "str",
    "published": "date",
    "fetched_at": "datetime",
    "size": "int",
    "text": "str",
}
_RANKING_COLUMNS: Mapping[str, str] = {
    "rank": "int",
    "entity": "str",
    "name": "str",
    "score": "float",
    "coverage": "float",
    "median_rank": "float",
    "low_rank": "float",
    "high_rank": "float",
}


@dataclass(frozen=True, slots=True)
class ExportFilter:
    """The filters of the CLI and API listings; each applies to the kinds that have it."""

    entity: str | None = None
    metric: str | None = None
    period: str | None = None
    language: str | None = None
    source: str | None = None
    status: str | None = None
    indicator: str | None = None
    year: int | None = None


@dataclass(frozen=True)
class Export:
    """What an export writes: its columns (name -> type) and its rows, produced lazily."""

    kind: str
    columns: Mapping[str, str]
    rows: Callable[[], Iterator[Row]]


def build_export(store: Store, kind: str, where: ExportFilter | None = None) -> Export:
    """Prepare an export of ``kind`` (rows are read when written).

    Raises:
        AiraceError: an unknown kind, entity, indicator or status.
    """
    where = _checked(where or ExportFilter())
    if kind == "claims":
        return Export(kind, CLAIM_COLUMNS, lambda: _claim_rows(store, where))
    if kind == "observations":
        if where.entity:
            from airace.service.observations import find_entity

            find_entity(where.entity)  # an unknown entity fails now, not mid-stream
        return Export(kind, OBSERVATION_COLUMNS, lambda: _observation_rows(store, where))
    if kind == "documents":
        return Export(kind, DOCUMENT_COLUMNS, lambda: _document_rows(store, where))
    if kind == "rankings":
        return _ranking_export(store, where)
    raise AiraceError(f"unknown export {kind!r}", key="kind", hint=f"one of {', '.join(KINDS)}")


def write_export(export: Export, fmt: str, out: IO[bytes]) -> int:
    """Write ``export`` to a binary stream in ``fmt``; return the number of rows.

    Raises:
        AiraceError: an unknown format.
    """
    if fmt == "parquet":  # row groups go straight to the stream: flat memory
        return _write_parquet(export, out)
    counted = [0]
    for chunk in _encoded(export, fmt, counted):
        out.write(chunk)
    return counted[0]


def export_to_file(export: Export, fmt: str, path: Path) -> int:
    """Write ``export`` to ``path`` atomically (a temporary file renamed into place).

    Raises:
        AiraceError: the folder cannot be written; nothing is left behind.
    """
    folder = path.resolve().parent
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
    except OSError as error:
        raise AiraceError(f"cannot write to {folder}: {error.strerror}", path=str(path)) from None
    try:
        with os.fdopen(handle, "wb") as out:
            count = write_export(export, fmt, out)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return count


def stream_export(export: Export, fmt: str) -> Iterator[bytes]:
    """Yield the encoded export in chunks of ``BATCH`` rows (the API's streamed responses).

    Raises:
        AiraceError: an unknown format (before anything is yielded).
    """
    _check_format(fmt)
    return _encoded(export, fmt, [0])


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise AiraceError(
            f"unknown format {fmt!r}", key="format", hint=f"one of {', '.join(FORMATS)}"
        )


def _encoded(export: Export, fmt: str, counted: list[int]) -> Iterator[bytes]:
    """The export's bytes, a batch at a time; ``counted[0]`` counts the rows."""
    _check_format(fmt)
    if fmt == "parquet":  # the footer comes last: a file needs the whole table first
        buffer = io.BytesIO()
        counted[0] = _write_parquet(export, buffer)
        yield buffer.getvalue()
        return
    first = True
    for batch in _in_batches(export.rows()):
        text = io.StringIO(newline="")
        _FORMATTERS[fmt](export, batch, text, first=first)
        first = False
        counted[0] += len(batch)
        yield text.getvalue().encode()
    text = io.StringIO(newline="")
    if fmt == "csv" and first:
        csv.writer(text).writerow(list(export.columns))
    if fmt == "json":
        text.write("[]\n" if first else "\n]\n")
    if text.getvalue():
        yield text.getvalue().encode()


# -- rows --------------------------------------------------------------------------------


def _checked(where: ExportFilter) -> ExportFilter:
    """The filter with its entity resolved to an id, checked before any row is written (a
    streamed response cannot change its status once it has begun)."""
    from dataclasses import fields, replace

    from airace.model import ReviewStatus
    from airace.reconcile.indicators import load_indicators

    blank = {f.name: None for f in fields(where) if getattr(where, f.name) == ""}
    where = replace(where, **blank)  # an empty filter is no filter, as in the listings

    if where.status:
        try:
            ReviewStatus(where.status)
        except ValueError:
            raise AiraceError(
                f"unknown status {where.status!r}",
                key="status",
                hint="one of auto, accepted, rejected, corrected",
            ) from None
    if where.indicator and where.indicator not in load_indicators():
        raise AiraceError(f"unknown indicator {where.indicator!r}", key="indicator")
    if where.entity:
        from airace.service.queries import subject_key

        where = replace(where, entity=subject_key(where.entity))
    return where


def _claim_rows(store: Store, where: ExportFilter) -> Iterator[Row]:
    from airace.model import ReviewStatus

    found = store.iter_claims_with_documents(
        subject=where.entity,
        metric=where.metric,
        period=where.period,
        language=where.language,
        source=where.source,
        status=ReviewStatus(where.status) if where.status else None,
    )
    for claim, document in found:
        yield {
            "id": claim.id,
            "subject": claim.subject,
            "metric": claim.metric,
            "value": claim.value,
            "value_max": claim.value_max,
            "unit": claim.unit,
            "value_usd": claim.value_usd,
            "approx": claim.approx,
            "as_of": claim.as_of,
            "modality": str(claim.modality) if claim.modality else None,
            "source": claim.source,
            "qualifier": claim.qualifier,
            "total": claim.total,
            "status": str(claim.status),
            "quote": claim.quote,
            "span_start": claim.start,
            "span_end": claim.end,
            "document_id": document.id,
            "document_origin": document.origin,
            "document_title": document.title,
            "document_language": document.language,
            "document_published": document.published,
            "extractor_version": claim.extractor_version,
        }


def _observation_rows(store: Store, where: ExportFilter) -> Iterator[Row]:
    from airace.service.observations import load_observations

    observations = load_observations(store, entity=where.entity, indicator=where.indicator)
    spans = {claim.id: (claim.start, claim.end) for claim, _ in store.iter_claims()}
    for observation in observations:
        if where.period and not observation.period.startswith(where.period):
            continue
        for evidence in observation.evidence:
            span = spans.get(evidence.claim_id) if evidence.claim_id is not None else None
            yield {
                "entity": observation.entity,
                "indicator": observation.indicator,
                "period": observation.period,
                "value": observation.value,
                "unit": observation.unit,
                "conflict": observation.conflict,
                "low": observation.low,
                "high": observation.high,
                "chosen_by": observation.chosen_by,
                "rollup": observation.rollup,
                "evidence_value": evidence.value,
                "evidence_subject": evidence.subject,
                "evidence_source": evidence.source,
                "evidence_quote": evidence.quote,
                "evidence_url": evidence.url,
                "claim_id": evidence.claim_id,
                "document_id": evidence.document_id,
                "span_start": span[0] if span else None,
                "span_end": span[1] if span else None,
                "published": evidence.published,
                "reviewed": evidence.reviewed,
            }


def _document_rows(store: Store, where: ExportFilter) -> Iterator[Row]:
    for document in store.iter_documents():
        if where.language and document.language != where.language:
            continue
        yield {
            "id": document.id,
            "origin": document.origin,
            "title": document.title,
            "language": document.language,
            "published": document.published,
            "fetched_at": document.fetched_at,
            "size": len(document.text),
            "text": document.text,
        }


def _ranking_export(store: Store, where: ExportFilter) -> Export:
    from airace.service.rankings import rank_countries, resolve_methodology

    methodology = resolve_methodology()
    columns = {
        **_RANKING_COLUMNS,
        **{f"pillar_{pillar}": "float" for pillar in methodology.pillar_ids},
        "methodology": "str",
        "version": "str",
        "digest": "str",
        "year": "int",
    }

    def rows() -> Iterator[Row]:
        ranking = rank_countries(store, methodology, year=where.year)
        for row in ranking.rows:
            yield {
                "rank": row.rank,
                "entity": row.entity,
                "name": row.name,
                "score": row.score,
                "coverage": row.coverage,
                "median_rank": row.median_rank,
                "low_rank": row.low_rank,
                "high_rank": row.high_rank,
                **{f"pillar_{p}": row.pillars.get(p) for p in methodology.pillar_ids},
                "methodology": ranking.methodology,
                "version": ranking.version,
                "digest": ranking.digest,
                "year": ranking.year,
            }

    return Export("rankings", columns, rows)


# -- writers -----------------------------------------------------------------------------


def _in_batches(rows: Iterator[Row]) -> Iterator[list[Row]]:
    """``rows`` in lists of ``BATCH`` (the last one shorter)."""
    return iter(lambda: list(islice(rows, BATCH)), [])


def _cell(value: Any) -> Any:
    """A value as a CSV cell: empty for None, ISO dates, true/false, floats in full."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value) if value == value else ""
    return value


def _csv_batch(export: Export, batch: Sequence[Row], text: IO[str], *, first: bool) -> None:
    writer = csv.writer(text)
    if first:
        writer.writerow(list(export.columns))
    writer.writerows([[_cell(row.get(column)) for column in export.columns] for row in batch])


def _jsonl_batch(export: Export, batch: Sequence[Row], text: IO[str], *, first: bool) -> None:
    from airace.jsondata import dumps

    text.write("".join(dumps(row) + "\n" for row in batch))


def _json_batch(export: Export, batch: Sequence[Row], text: IO[str], *, first: bool) -> None:
    from airace.jsondata import dumps

    text.write(("[\n" if first else ",\n") + ",\n".join(dumps(row) for row in batch))


_FORMATTERS: Mapping[str, Callable[..., None]] = {
    "csv": _csv_batch,
    "jsonl": _jsonl_batch,
    "json": _json_batch,
}


def _write_parquet(export: Export, out: IO[bytes]) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    types = {
        "int": pa.int64(),
        "float": pa.float64(),
        "str": pa.string(),
        "bool": pa.bool_(),
        "date": pa.date32(),
        "datetime": pa.timestamp("us", tz="UTC"),
    }
    schema = pa.schema([(name, types[kind]) for name, kind in export.columns.items()])
    count = 0
    with pq.ParquetWriter(out, schema) as writer:
        for batch in _in_batches(export.rows()):
            columns = {
                name: [_parquet_value(row.get(name), kind) for row in batch]
                for name, kind in export.columns.items()
            }
            writer.write_table(pa.table(columns, schema=schema))
            count += len(batch)
    return count


def _parquet_value(value: Any, kind: str) -> Any:
    if value is None:
        return None
    if kind == "float":
        number = float(value)
        return None if number != number else number
    if kind == "datetime" and isinstance(value, datetime) and value.tzinfo is None:
        from datetime import UTC

        return value.replace(tzinfo=UTC)
    return value
