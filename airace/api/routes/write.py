"""Writes, behind the bearer token: ingest a text or URL, review a claim, run a scenario."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from airace.api.deps import CacheDep, SettingsDep, StoreDep, WriteAccess
from airace.api.errors import ApiError
from airace.api.routes.documents import ClaimId
from airace.api.schemas import IngestRequest, ReviewRequest, ScenarioRequest, plain
from airace.errors import AiraceError
from airace.model import ReviewStatus

router = APIRouter(tags=["writes (token required)"], dependencies=[WriteAccess])

_DECISIONS = {
    "accept": ReviewStatus.ACCEPTED,
    "reject": ReviewStatus.REJECTED,
    "correct": ReviewStatus.CORRECTED,
}


@router.post("/api/ingest", summary="Ingest a document given as text, or fetch a URL")
def ingest(
    body: IngestRequest,
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    cache: CacheDep,
) -> JSONResponse:
    from airace.service import pipeline

    try:
        if body.url is not None:
            with _fetch_slot(request):
                report = pipeline.ingest([str(body.url)], store, settings)
            return _answer([plain(item) for item in report.items])
        assert body.text is not None  # the model requires text or url
        result = pipeline.ingest_text(
            body.text,
            store,
            origin=body.origin or "api",
            title=body.title,
            language=body.language,
            published=body.published,
            media=body.media,
        )
        return _answer([plain(result)])
    finally:
        cache.invalidate()  # after the write, so no reader caches the old version


@contextmanager
def _fetch_slot(request: Request) -> Iterator[None]:
    """Hold one of the app's URL-fetch slots for the block, or answer 503 at once: a fetch
    may take up to the fetch deadline, and waiting for slots would tie up the workers."""
    slots: threading.BoundedSemaphore = request.app.state.fetch_slots
    if not slots.acquire(blocking=False):
        raise ApiError(
            503,
            "busy",
            "too many URL fetches are in progress",
            hint="try again in a few seconds",
            headers={"Retry-After": "5"},
        )
    try:
        yield
    finally:
        slots.release()


def _answer(items: list[dict[str, Any]]) -> JSONResponse:
    """200 with the items, unless every one failed: then 422, with the items saying why."""
    failed = bool(items) and all(item["status"] == "failed" for item in items)
    return JSONResponse({"items": items}, status_code=422 if failed else 200)


@router.post("/api/claims/{claim_id}/review", summary="Accept, reject or correct a claim")
def review(
    claim_id: ClaimId, body: ReviewRequest, store: StoreDep, cache: CacheDep
) -> dict[str, Any]:
    from airace.service.queries import get_claim
    from airace.service.review import review_claim

    try:
        get_claim(store, claim_id)  # the claim the URL names: 404, before the body is judged
    except AiraceError as error:
        raise ApiError(404, "not_found", error.message, hint=error.hint) from None
    stored, new = review_claim(
        store,
        claim_id,
        _DECISIONS[body.decision],
        subject=body.subject,
        metric=body.metric,
        value=body.value,
        value_max=body.value_max,
        unit=body.unit,
        as_of=body.as_of,
        modality=body.modality,
        note=body.note,
    )
    cache.invalidate()
    return {"review": plain(stored), "stored": new}


@router.post("/api/scenario", summary="Rank again after what-if changes")
def scenario(body: ScenarioRequest, store: StoreDep) -> dict[str, Any]:
    from airace.service.rankings import resolve_methodology, run_scenarios

    methodology = resolve_methodology(per_capita=body.per_capita, weights=body.weights)
    rows = run_scenarios(store, methodology, body.changes)
    return {
        "items": [
            {**plain(row), "delta_score": plain(row.delta_score), "delta_rank": row.delta_rank}
            for row in rows
        ]
    }
