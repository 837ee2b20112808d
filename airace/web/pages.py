"""The dashboard: one service query per page, rendered on the server with Jinja2.

Pages are plain HTML that works without JavaScript; charts are Vega-Lite specs from
``charts.py`` that the vendored Vega bundle (served by the app itself, built from
vl-convert's copy, so nothing is fetched from the internet) draws as SVG. Every page links its
API twin. Interface text comes from ``i18n/<lang>.yaml``; ``?lang=vi`` switches to Vietnamese
(numbers then read 1.234,5) and a cookie keeps the choice. Jinja2 autoescaping is on: article
text, titles and quotes always show as text.
"""

from __future__ import annotations

import math
import threading
from functools import cache
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, FastAPI, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from airace.api.deps import MAX_ID, CacheDep, StoreDep
from airace.errors import AiraceError
from airace.model import UNDATED
from airace.web.text import localised, pillar_names, texts

router = APIRouter(include_in_schema=False)

LANGUAGES = ("en", "vi")
_BUNDLE_LOCK = threading.Lock()


def install(app: FastAPI) -> None:
    """Add the pages, the static files and the Vega bundle to ``app``."""
    from fastapi.staticfiles import StaticFiles

    app.include_router(router)
    app.add_api_route(
        f"/static/vendor/{bundle_name()}", vega_bundle, methods=["GET"], include_in_schema=False
    )
    app.mount("/static", StaticFiles(packages=[("airace.web", "static")]), name="static")
    app.state.on_start.append(warm_bundle)


# -- text and numbers ------------------------------------------------------------------------


def format_number(value: float | None, digits: int = 0, lang: str = "en") -> str:
    """Format a number with thousands separators in the language's style (vi: 1.234,5)."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "–"
    text = f"{value:,.{digits}f}"
    if lang == "vi":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text


def format_quantity(value: float | None, lang: str = "en") -> str:
    """Format an indicator value compactly: whole numbers exactly, fractions with 3 digits."""
    if value is None or not math.isfinite(value):
        return "–"
    digits = 0 if float(value).is_integer() or abs(value) >= 1000 else 2
    return format_number(value, digits, lang)


def language_of(request: Request) -> str:
    """Return the page language: ?lang=, else the cookie, else the browser's, else English."""
    asked = request.query_params.get("lang") or request.cookies.get("lang")
    if asked in LANGUAGES:
        return str(asked)
    accepted = request.headers.get("accept-language", "")
    return "vi" if accepted.lower().startswith("vi") else "en"


# -- rendering -------------------------------------------------------------------------------


@cache
def environment() -> Any:
    """The Jinja2 environment (autoescaping on for every template)."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("airace.web", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    return env


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    """Render a page in the request's language, remembering an explicit language choice."""
    from airace.web import charts

    lang = language_of(request)
    text = texts(lang)

    def t(key: str, **values: Any) -> str:
        return text.get(key, key).format(**values) if values else text.get(key, key)

    def num(value: float | None, digits: int = 0) -> str:
        return format_number(value, digits, lang)

    def day(value: Any) -> str:
        if value is None:
            return ""
        return str(value.strftime("%d/%m/%Y") if lang == "vi" else value.isoformat())

    def qty(value: float | None) -> str:
        return format_quantity(value, lang)

    other = "en" if lang == "vi" else "vi"
    params = dict(request.query_params)
    params["lang"] = other
    html = (
        environment()
        .get_template(template)
        .render(
            lang=lang,
            t=t,
            num=num,
            qty=qty,
            day=day,
            labels=text,
            switch_url=f"{request.url.path}?{urlencode(params)}",
            path=request.url.path,
            bundle=f"/static/vendor/{bundle_name()}",
            format_locale=charts.FORMAT_LOCALES.get(lang, charts.FORMAT_LOCALES["en"]),
            **context,
        )
    )
    response = HTMLResponse(html, status_code=status, headers={"Vary": "Cookie, Accept-Language"})
    if request.query_params.get("lang") in LANGUAGES:
        response.set_cookie("lang", lang, max_age=365 * 24 * 3600, samesite="lax")
    return response


def not_found(request: Request, error: AiraceError) -> HTMLResponse:
    """Render the error page for a missing document, claim or entity."""
    return render(
        request,
        "error.html",
        status=404,
        heading="not_found",
        message=error.message,
        hint=error.hint,
        api=None,
    )


# -- the Vega bundle ------------------------------------------------------------------------


@cache
def bundle_name() -> str:
    """The bundle's file name, with the library versions in it (cacheable forever)."""
    import vl_convert

    vega_lite = vl_convert.get_vegalite_versions()[-1]
    return (
        f"vega-{vl_convert.get_vega_version()}-lite-{vega_lite}"
        f"-embed-{vl_convert.get_vega_embed_version()}.js"
    )


_bundle: list[bytes] = []


def bundle_source() -> bytes:
    """Vega, Vega-Lite and Vega-Embed in one script, from vl-convert (built once, ~2 s)."""
    with _BUNDLE_LOCK:
        if not _bundle:
            import vl_convert

            snippet = (
                "window.vegaEmbed = vegaEmbed; window.vegaLite = vegaLite; window.vega = vega;"
            )
            _bundle.append(vl_convert.javascript_bundle(snippet).encode())
        return _bundle[0]


def vega_bundle() -> Response:
    """Serve the bundle with a year of caching: its name changes with its versions."""
    return Response(
        bundle_source(),
        media_type="text/javascript",
        headers={"Cache-Control": "public, max-age=31536000, immutable"},
    )


def warm_bundle() -> None:
    """Build the bundle in the background, so the first page view does not wait for it."""
    threading.Thread(target=bundle_source, name="vega-bundle", daemon=True).start()


# -- pages -----------------------------------------------------------------------------------


def _ranking(store: Any, cache: Any, uncertainty: bool = True) -> Any:
    from airace.service.rankings import rank_countries, resolve_methodology

    methodology = resolve_methodology()
    return cache.get(
        store,
        ("page-ranking", uncertainty),
        lambda: rank_countries(store, methodology, uncertainty=uncertainty),
    )


@router.api_route("/", methods=["GET", "HEAD"], response_class=HTMLResponse)
def overview(request: Request, store: StoreDep, cache: CacheDep) -> HTMLResponse:
    from airace.service.queries import list_documents
    from airace.service.rankings import country_matrix, resolve_methodology
    from airace.web import charts

    lang = language_of(request)
    methodology = resolve_methodology()
    ranking = localised(_ranking(store, cache), lang)
    rows = localised(
        cache.get(store, ("page-matrix",), lambda: country_matrix(store, methodology)), lang
    )
    labels = charts.LABELS[lang]
    matrix = charts.matrix_chart(
        rows, methodology, lambda row: _country_url(row.entity, lang), labels=labels
    )
    names = pillar_names(methodology, lang)
    words = texts(lang)
    tiers = ", ".join(
        f"{words.get(f'archetype.{tier.id}', tier.name)} ≥ {tier.threshold:g}"
        for tier in methodology.matrix.archetypes
    )
    return render(
        request,
        "overview.html",
        ranking=ranking,
        pillar_names=names,
        matrix=matrix,
        matrix_tiers=tiers,
        documents=list_documents(store, limit=10),
        country_url=lambda entity: _country_url(entity, lang),
        api="/api/rankings",
    )


@router.api_route("/compute", methods=["GET", "HEAD"], response_class=HTMLResponse)
def compute(request: Request, store: StoreDep, cache: CacheDep) -> HTMLResponse:
    from airace.service.leaderboard import gpu_leaderboard
    from airace.web import charts

    lang = language_of(request)
    board = localised(cache.get(store, ("page-leaderboard",), lambda: gpu_leaderboard(store)), lang)
    labels = charts.LABELS[lang]

    def holder_url(row: Any) -> str:
        if row.kind == "country":
            return _country_url(row.entity, lang)
        return _claims_url(lang, entity=row.entity, metric="gpu_count")

    return render(
        request,
        "compute.html",
        board=board,
        holders=charts.leaderboard_chart(board, holder_url, labels=labels),
        chips=charts.chip_chart(
            board, lambda chip: _document_url(chip.document_id, chip.claim_id, lang), labels=labels
        )
        if board.by_chip
        else None,
        holder_url=holder_url,
        document_url=lambda document, claim: _document_url(document, claim, lang),
        api="/api/entities",
    )


@router.api_route("/compare", methods=["GET", "HEAD"], response_class=HTMLResponse)
def compare(request: Request, store: StoreDep, cache: CacheDep) -> HTMLResponse:
    from airace.service.compare import compare_rankings
    from airace.service.rankings import resolve_methodology

    lang = language_of(request)
    methodology = resolve_methodology()
    report = cache.get(store, ("page-compare",), lambda: compare_rankings(store, methodology))
    return render(
        request,
        "compare.html",
        report=report,
        pillar_names=pillar_names(methodology, lang),
        country_url=lambda entity: _country_url(entity, lang),
        api="/api/compare",
    )


@router.api_route("/countries/{key}", methods=["GET", "HEAD"], response_class=HTMLResponse)
def country(request: Request, key: str, store: StoreDep, cache: CacheDep) -> HTMLResponse:
    from airace.service.observations import find_entity, load_observations
    from airace.service.rankings import entity_name, explain_entity, resolve_methodology
    from airace.web import charts

    lang = language_of(request)
    try:
        entity = find_entity(key)
    except AiraceError as error:
        return not_found(request, error)
    methodology = resolve_methodology()
    observations = cache.get(store, ("observations",), lambda: load_observations(store))
    mine = [o for o in observations if o.entity == entity.id]
    try:
        explanation = cache.get(
            store,
            ("page-explain", entity.id),
            lambda: explain_entity(store, entity.id, methodology),
        )
    except AiraceError:
        explanation = None
    labels = charts.LABELS[lang]
    names = pillar_names(methodology, lang)
    histories = []
    for indicator in sorted({o.indicator for o in mine}):
        series = sorted(
            (o for o in mine if o.indicator == indicator and o.period != UNDATED),
            key=lambda o: o.period,
        )
        if len(series) < 2:  # one point is no history; the indicator table shows it
            continue
        histories.append(
            (
                indicator,
                series,
                charts.history_chart(
                    series,
                    labels=labels,
                    href=lambda o: (
                        _document_url(o.evidence[0].document_id, o.evidence[0].claim_id, lang)
                        if o.evidence and o.evidence[0].document_id
                        else _country_url(entity.id, lang)
                    ),
                ),
            )
        )
    profile = charts.pillar_chart(explanation, labels=labels, names=names) if explanation else None
    return render(
        request,
        "country.html",
        entity=entity,
        name=entity_name(entity.id, lang),
        explanation=explanation,
        profile=profile,
        histories=histories,
        pillar_names=names,
        document_url=lambda document, claim: _document_url(document, claim, lang),
        api=f"/api/explain/{quote(entity.id)}",
    )


@router.api_route("/claims", methods=["GET", "HEAD"], response_class=HTMLResponse)
def claims(
    request: Request,
    store: StoreDep,
    entity: Annotated[str | None, Query(max_length=200)] = None,
    metric: Annotated[str | None, Query(max_length=100)] = None,
    status: Annotated[str | None, Query(pattern="^(auto|accepted|rejected|corrected)?$")] = None,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> HTMLResponse:
    from airace.service.queries import ClaimFilter, find_claims

    lang = language_of(request)
    size = 50
    where = ClaimFilter(entity=entity or None, metric=metric or None, status=status or None)
    found, total = find_claims(store, where, size, offset, count=True)
    filters = {"entity": entity or "", "metric": metric or "", "status": status or ""}
    checks = _factchecks(store, found)

    def page(at: int) -> str:
        return _claims_url(lang, **{**filters, "offset": str(at)})

    return render(
        request,
        "claims.html",
        claims=found,
        checks=checks,
        total=total or 0,
        offset=offset,
        size=size,
        filters=filters,
        previous=page(max(offset - size, 0)) if offset else None,
        next=page(offset + size) if offset + size < (total or 0) else None,
        document_url=lambda document, claim: _document_url(document, claim, lang),
        api="/api/claims"
        + (f"?{urlencode(chosen)}" if (chosen := {k: v for k, v in filters.items() if v}) else ""),
    )


def _factchecks(store: Any, claims: Any) -> dict[int, Any]:
    """The fact-check of each rank or score claim on the page that names a known index."""
    from airace.service.factcheck import CHECKED_METRICS, factcheck_store

    found = {}
    for claim in claims:
        if claim.metric in CHECKED_METRICS and claim.id is not None:
            for check in factcheck_store(store, claim_id=claim.id):
                if check.index is not None:
                    found[claim.id] = check
    return found


@router.get("/claims/{claim_id}/go")
def claim_in_document(
    request: Request, claim_id: Annotated[int, Path(ge=1, le=MAX_ID)], store: StoreDep
) -> Response:
    """Redirect to the claim's document with its span highlighted."""
    from fastapi.responses import RedirectResponse

    from airace.service.queries import get_claim

    try:
        claim, _ = get_claim(store, claim_id)
    except AiraceError as error:
        return not_found(request, error)
    return RedirectResponse(_document_url(claim.document_id, claim.id, language_of(request)), 303)


@router.api_route("/documents/{key}", methods=["GET", "HEAD"], response_class=HTMLResponse)
def document(
    request: Request,
    key: str,
    store: StoreDep,
    claim: Annotated[int | None, Query(ge=0)] = None,
) -> HTMLResponse:
    from airace.service.queries import ClaimFilter, find_claims, get_document

    try:
        found, origins = get_document(store, key)
    except AiraceError as error:
        return not_found(request, error)
    spans, _ = find_claims(store, ClaimFilter(document=str(found.id)), limit=5000)
    return render(
        request,
        "document.html",
        document=found,
        origins=[o for o in origins],
        pieces=_highlighted(found.text, spans, claim),
        selected=claim,
        api=f"/api/documents/{found.id}",
    )


def _highlighted(text: str, claims: Any, selected: int | None) -> list[tuple[str, Any]]:
    """Cut ``text`` into plain pieces and claim spans (overlapping spans: the first wins)."""
    pieces: list[tuple[str, Any]] = []
    at = 0
    for claim in sorted(claims, key=lambda c: (c.start, -c.end)):
        if claim.start < at or claim.end > len(text):
            continue
        if claim.start > at:
            pieces.append((text[at : claim.start], None))
        pieces.append((text[claim.start : claim.end], claim))
        at = claim.end
    pieces.append((text[at:], None))
    return pieces


def _country_url(entity: str, lang: str) -> str:
    return f"/countries/{quote(entity)}?lang={lang}"


def _document_url(document: int | None, claim: int | None, lang: str) -> str:
    if document is None:
        return "#"
    anchor = f"&claim={claim}#claim-{claim}" if claim is not None else ""
    return f"/documents/{document}?lang={lang}{anchor}"


def _claims_url(lang: str, **filters: str) -> str:
    return "/claims?" + urlencode({"lang": lang, **{k: v for k, v in filters.items() if v}})
