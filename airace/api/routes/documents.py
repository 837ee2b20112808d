"""Documents and claims: what was read, and every number found in it."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Response
from fastapi.responses import StreamingResponse

from airace.api.deps import MAX_ID, MAX_PAGE, StoreDep, json_response
from airace.api.schemas import plain
from airace.service import queries

router = APIRouter(tags=["documents and claims"])

Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description=f"Page size, at most {MAX_PAGE}.")]
Offset = Annotated[int, Query(ge=0, le=10_000_000)]
Text = Annotated[str | None, Query(max_length=200)]
ClaimId = Annotated[int, Path(ge=1, le=MAX_ID)]


@router.get("/api/documents", summary="Stored documents, newest first")
def list_documents(
    store: StoreDep, limit: Limit = 50, offset: Offset = 0, language: Text = None
) -> dict[str, Any]:
    items = queries.list_documents(store, limit=limit, offset=offset, language=language)
    total = store.count_documents(language=language)
    return {"items": plain(items), "total": total, "limit": limit, "offset": offset}


@router.get("/api/documents/{key}", summary="One document with its text, origins and claims")
def get_document(
    store: StoreDep,
    key: Annotated[str, Path(max_length=200, description="A document id or hash prefix.")],
) -> dict[str, Any]:
    document, origins = queries.get_document(store, key)
    claims, _ = queries.find_claims(store, queries.ClaimFilter(document=key), limit=MAX_PAGE * 10)
    return {"document": plain(document), "origins": origins, "claims": plain(claims)}


@router.get("/api/claims", summary="Claims, filtered and paginated")
def list_claims(
    store: StoreDep,
    entity: Text = None,
    metric: Text = None,
    period: Annotated[
        str | None, Query(max_length=10, pattern=r"^\d{4}(-(0[1-9]|1[0-2]))?$")
    ] = None,
    language: Text = None,
    source: Text = None,
    status: Annotated[str | None, Query(pattern="^(auto|accepted|rejected|corrected)$")] = None,
    modality: Annotated[
        str | None,
        Query(pattern="^(fact|estimate|holds|delivered|order|plan|target|forecast)$"),
    ] = None,
    document: Text = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Response:
    where = queries.ClaimFilter(
        entity=entity,
        metric=metric,
        document=document,
        period=period,
        language=language,
        source=source,
        status=status,
        modality=modality,
    )
    claims, total = queries.find_claims(store, where, limit, offset, count=True)
    page = {"items": plain(claims), "total": total, "limit": limit, "offset": offset}
    return json_response(page)


@router.get("/api/claims/{claim_id}", summary="One claim with its review history")
def get_claim(store: StoreDep, claim_id: ClaimId) -> dict[str, Any]:
    from airace.service.factcheck import factcheck_store

    claim, reviews = queries.get_claim(store, claim_id)
    checks = factcheck_store(store, claim_id=claim_id) if claim.metric in ("rank", "score") else []
    return {
        "claim": plain(claim),
        "reviews": plain(reviews),
        "factcheck": plain(checks[0]) if checks else None,
    }


@router.get(
    "/api/export/{kind}",
    summary="Claims, observations, rankings or documents as CSV, JSON, JSON Lines or Parquet",
    response_class=StreamingResponse,
)
def export(
    store: StoreDep,
    kind: Annotated[str, Path(pattern="^(claims|observations|rankings|documents)$")],
    format: Annotated[str, Query(pattern="^(csv|json|jsonl|parquet)$")] = "csv",
    entity: Annotated[str | None, Query(max_length=200)] = None,
    metric: Annotated[str | None, Query(max_length=100)] = None,
    period: Annotated[str | None, Query(max_length=20)] = None,
    language: Annotated[str | None, Query(max_length=10)] = None,
    source: Annotated[str | None, Query(max_length=200)] = None,
    status: Annotated[str | None, Query(pattern="^(auto|accepted|rejected|corrected)$")] = None,
    indicator: Annotated[str | None, Query(max_length=100)] = None,
    year: Annotated[int | None, Query(ge=1990, le=2100)] = None,
) -> StreamingResponse:
    from airace.service.export import MEDIA_TYPES, ExportFilter, build_export, stream_export

    where = ExportFilter(
        entity=entity, metric=metric, period=period, language=language, source=source,
        status=status, indicator=indicator, year=year,
    )  # fmt: skip
    chunks = stream_export(build_export(store, kind, where), format)
    return StreamingResponse(
        chunks,
        media_type=MEDIA_TYPES[format],
        headers={"Content-Disposition": f'attachment; filename="{kind}.{format}"'},
    )
