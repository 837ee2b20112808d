"""One JSON error shape for every failure: ``{"error": {"code", "message", "key", "hint"}}``.

Library errors become 4xx with their message, key and hint; validation errors 422 naming the
field; anything unexpected a bare 500 whose details go to the server log, never to the client.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from airace.errors import AiraceError

log = logging.getLogger("airace.api")

# Message starts of library errors that mean "no such thing" rather than "bad request".
_NOT_FOUND = ("no document", "no claim", "unknown entity", "no observations")


class ApiError(Exception):
    """An error a route raises on purpose, with its HTTP status."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        key: str | None = None,
        hint: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.key, self.hint = status, code, message, key, hint
        self.headers = headers


def error_body(
    code: str, message: str, key: str | None = None, hint: str | None = None
) -> dict[str, Any]:
    """Return the JSON body of an error."""
    return {"error": {"code": code, "message": message, "key": key, "hint": hint}}


def _is_page(request: Request) -> bool:
    """Tell whether a request is for a dashboard page rather than the API or a file."""
    path = request.url.path
    return request.method in ("GET", "HEAD") and not path.startswith(
        ("/api/", "/static/", "/openapi", "/docs")
    )


def install(app: FastAPI) -> None:
    """Register the error handlers on ``app``."""

    @app.exception_handler(ApiError)
    async def api_error(request: Request, error: ApiError) -> JSONResponse:
        return JSONResponse(
            error_body(error.code, error.message, error.key, error.hint),
            status_code=error.status,
            headers=error.headers,
        )

    @app.exception_handler(AiraceError)
    async def library_error(request: Request, error: AiraceError) -> JSONResponse:
        # "no such thing" is a 404 when it is what the URL names; in a request body it is
        # a bad value of a field (a review's subject, a scenario's entity)
        missing = request.method in ("GET", "HEAD") and error.message.startswith(_NOT_FOUND)
        return JSONResponse(
            error_body(
                "not_found" if missing else "bad_request", error.message, error.key, error.hint
            ),
            status_code=404 if missing else 400,
        )

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError) -> Response:
        problems = error.errors()
        first = problems[0] if problems else {}
        if first.get("type") == "json_invalid":
            reason = first.get("ctx", {}).get("error", "invalid")
            return JSONResponse(
                error_body("invalid", f"the body is not valid JSON ({reason})"), status_code=422
            )
        where = ".".join(
            str(part) for part in first.get("loc", ()) if part not in ("body", "query", "path")
        )
        message = (
            f"{where}: {first.get('msg', 'invalid')}" if where else str(first.get("msg", "invalid"))
        )
        if _is_page(request):  # a dashboard page answers in HTML, the API in JSON
            from airace.web.pages import render

            return render(
                request,
                "error.html",
                status=422,
                heading="error",
                message=message,
                hint=None,
                api=None,
            )
        return JSONResponse(error_body("invalid", message, where or None), status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed", 413: "too_large"}.get(
            error.status_code, "http_error"
        )
        return JSONResponse(
            error_body(code, str(error.detail)),
            status_code=error.status_code,
            headers=error.headers,
        )

    @app.exception_handler(Exception)
    async def internal(request: Request, error: Exception) -> JSONResponse:
        log.exception("internal error on %s %s", request.method, request.url.path)
        return JSONResponse(error_body("internal", "internal server error"), status_code=500)
