"""The web application: REST API under /api, dashboard pages, local static files.

``create_app`` builds everything from settings and opens the store when the app starts, not at
import. Request bodies are capped (``AIRACE_MAX_REQUEST_BYTES``) before any route reads them;
every error leaves as the one JSON shape of ``api/errors.py``.
"""

from __future__ import annotations

import json
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

from airace.config import Settings, get_settings

if TYPE_CHECKING:
    from fastapi import FastAPI
    from starlette.types import ASGIApp, Message, Receive, Scope, Send


def create_app(settings: Settings | None = None) -> FastAPI:
    """Return the app: API, pages and static files over the store ``settings.db`` names."""
    from fastapi import FastAPI

    from airace import __version__
    from airace.api import errors
    from airace.api.deps import ResultCache
    from airace.api.routes import documents, entities, rankings, write
    from airace.api.schemas import READ_ERRORS, WRITE_ERRORS

    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        from airace.store.repository import open_store

        app.state.store = open_store(settings.db)
        for start in app.state.on_start:
            start()
        try:
            yield
        finally:
            app.state.store.close()

    app = FastAPI(
        title="airace",
        version=__version__,
        description="An open observatory of the global AI race: documents, claims with their "
        "quotes, reconciled observations, composite rankings. Writes need a bearer token.",
        lifespan=lifespan,
        docs_url=None,  # served below with Swagger UI's files from the package, not a CDN
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.cache = ResultCache()
    app.state.fetch_slots = threading.BoundedSemaphore(settings.max_fetches)
    app.state.on_start = []
    errors.install(app)
    for module in (documents, entities, rankings):
        app.include_router(module.router, responses=READ_ERRORS)
    app.include_router(write.router, responses=WRITE_ERRORS)
    _mount_docs(app)
    _mount_web(app)
    app.add_middleware(BodyLimit, limit=settings.max_request_bytes)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(HeadAsGet)
    return app


def _mount_docs(app: FastAPI) -> None:
    """Serve the OpenAPI explorer at /docs with the Swagger UI 5 files of the fastapi-swagger
    package (FastAPI's own page loads them from a CDN; swagger-ui-bundle's 4.15 cannot read
    OpenAPI 3.1), so the API documentation works with no internet like the rest of the app."""
    from importlib import resources

    from fastapi.openapi.docs import get_swagger_ui_html
    from fastapi.responses import HTMLResponse
    from fastapi.staticfiles import StaticFiles

    app.mount(
        "/static/swagger",
        StaticFiles(directory=str(resources.files("fastapi_swagger") / "resources")),
        name="swagger",
    )

    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="airace API",
            swagger_js_url="/static/swagger/swagger-ui-bundle.js",
            swagger_css_url="/static/swagger/swagger-ui.css",
            swagger_favicon_url="/static/swagger/favicon-32x32.png",
        )

    app.add_api_route("/docs", docs, methods=["GET"], include_in_schema=False)


def _mount_web(app: FastAPI) -> None:
    """Add the dashboard pages and their static files, when the web package is present."""
    try:
        from airace.web import pages
    except ImportError:  # pragma: no cover - the API alone still works
        return
    pages.install(app)


# Scripts only from the app itself; Vega compiles its expressions with Function, hence
# 'unsafe-eval'. No inline script runs (chart specs sit in non-executable JSON blocks), so an
# injected <script> would be refused even if escaping ever failed.
_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)

_DOCS_CSP = _CSP.replace("script-src 'self' 'unsafe-eval'", "script-src 'self' 'unsafe-inline'")


class HeadAsGet:
    """Answer HEAD like GET without the body, on every route (FastAPI's routes take only the
    methods they declare, so a monitor's HEAD on /api/... would get 405)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                if not message.get("more_body", False):
                    await send({"type": "http.response.body", "body": b"", "more_body": False})
                return
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, headers_only)


class SecurityHeaders:
    """Add a content security policy and the usual hardening headers to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        # Swagger UI starts from an inline script that FastAPI writes; /docs allows that one.
        policy = _DOCS_CSP if scope.get("path") == "/docs" else _CSP

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers") or [])
                names = {name.lower() for name, _ in headers}
                for name, value in (
                    (b"content-security-policy", policy.encode()),
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"same-origin"),
                    (b"x-frame-options", b"DENY"),
                ):
                    if name not in names:
                        headers.append((name, value))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)


class BodyLimit:
    """Refuse request bodies over ``limit`` bytes with 413, declared or streamed."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or ()).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            await _too_large(send, self.limit)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    from fastapi import HTTPException

                    # an HTTPException passes FastAPI's body parsing untouched and leaves as 413
                    raise HTTPException(413, f"request body over {self.limit} bytes")
            return message

        await self.app(scope, counted, send)


async def _too_large(send: Send, limit: int) -> None:
    body: dict[str, Any] = {
        "error": {
            "code": "too_large",
            "message": f"request body over {limit} bytes",
            "key": None,
            "hint": "raise AIRACE_MAX_REQUEST_BYTES on the server",
        }
    }
    payload = json.dumps(body).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(payload)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": payload})
