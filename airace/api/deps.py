"""Dependencies of the routes: the store, the settings, the write token, a result cache."""

from __future__ import annotations

import hmac
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from airace.api.errors import ApiError
from airace.config import Settings
from airace.store.repository import Store

T = TypeVar("T")

# Largest page a list endpoint returns.
MAX_PAGE = 500

# Row ids are 64-bit integers.
MAX_ID = 2**63 - 1


def get_store(request: Request) -> Store:
    """The app's store (opened once, when the app starts)."""
    store: Store = request.app.state.store
    return store


def get_settings(request: Request) -> Settings:
    """The settings the app was created with."""
    settings: Settings = request.app.state.settings
    return settings


def get_cache(request: Request) -> ResultCache:
    """The app's cache of derived results (rankings, matrices, observations)."""
    cache: ResultCache = request.app.state.cache
    return cache


_BEARER = HTTPBearer(
    auto_error=False,
    description="The server's AIRACE_TOKEN, sent as 'Authorization: Bearer <token>'.",
)


def require_token(
    settings: Annotated[Settings, Depends(get_settings)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_BEARER)] = None,
) -> None:
    """Let a write through only with the configured bearer token (constant-time compare).

    Raises:
        ApiError: 403 when no token is configured (writes disabled), 401 when the request's
            token is missing or wrong.
    """
    if not settings.token:
        raise ApiError(
            403,
            "writes_disabled",
            "write endpoints are disabled",
            hint="start the server with AIRACE_TOKEN set to enable them",
        )
    given = credentials.credentials if credentials is not None else ""
    if not given or not hmac.compare_digest(given.strip().encode(), settings.token.encode()):
        raise ApiError(
            401,
            "unauthorized",
            "a valid bearer token is required",
            hint="send 'Authorization: Bearer <token>'",
            headers={"WWW-Authenticate": 'Bearer realm="airace"'},
        )


class ResultCache:
    """A small thread-safe LRU of derived results, keyed by the store's data version.

    A ranking takes a reconciliation of every claim and an index computation; between writes
    it does not change, so it is computed once per (data version, parameters). The version is
    read from the database at most every ``ttl`` seconds (it costs a query, which would be most
    of a cached request); the API's own writes call ``invalidate``, so they show at once, and
    writes by other processes (``airace ingest`` beside the server) within ``ttl``.

    Each result is computed by one request at a time (single flight): when the data changes
    under a steady ingest, the first request for a key computes the new result while the
    others get the previous one at once, instead of all of them computing it together (the
    thundering herd that took ``/api/rankings`` from ~900 to ~2 req/s). A request with nothing
    older to show waits for the one computing.
    """

    def __init__(self, size: int = 64, ttl: float = 1.0) -> None:
        self.size = size
        self.ttl = ttl
        self._items: OrderedDict[tuple[Any, ...], tuple[tuple[int, ...], Any]] = OrderedDict()
        self._flights: dict[tuple[Any, ...], threading.Event] = {}  # (version, *key) -> done
        self._lock = threading.Lock()
        self._version: tuple[int, ...] | None = None
        self._checked = 0.0
        self._generation = 0  # bumped by every invalidate

    def invalidate(self) -> None:
        """Read the data version again on the next request (after a write)."""
        with self._lock:
            self._version = None
            self._generation += 1

    def version(self, store: Store) -> tuple[int, ...]:
        """Return the store's data version, re-read when older than ``ttl``."""
        now = time.monotonic()
        with self._lock:
            if self._version is not None and now - self._checked < self.ttl:
                return self._version
            generation = self._generation
        found = store.data_version()
        with self._lock:
            # A write that finished while we read may not be in ``found``: use it for this
            # request, but do not keep it, so the next request reads again.
            if generation == self._generation:
                self._version, self._checked = found, now
        return found

    def get(self, store: Store, key: tuple[Any, ...], compute: Callable[[], T]) -> T:
        """Return the result for ``key`` at the store's current data, computed once; while
        another request computes it, the previous version's result when there is one."""
        version = self.version(store)
        full = (version, *key)
        while True:
            with self._lock:
                held = self._items.get(key)
                if held is not None and held[0] == version:
                    self._items.move_to_end(key)
                    fresh: T = held[1]
                    return fresh
                flight = self._flights.get(full)
                if flight is None:
                    flight = self._flights[full] = threading.Event()
                    break  # this request computes
                if held is not None:
                    stale: T = held[1]
                    return stale
            flight.wait()
        try:
            value = compute()
            with self._lock:
                self._items[key] = (version, value)
                self._items.move_to_end(key)
                while len(self._items) > self.size:
                    self._items.popitem(last=False)
            return value
        finally:
            with self._lock:
                del self._flights[full]
            flight.set()


def json_response(data: Any) -> Response:
    """Answer with ``data`` (JSON-ready, see ``schemas.plain``) encoded once, without
    FastAPI's validation pass over a return value that is already plain JSON."""
    from airace.jsondata import dumps

    return Response(dumps(data), media_type="application/json")


def cached_json(
    cache: ResultCache, store: Store, key: tuple[Any, ...], compute: Callable[[], Any]
) -> Response:
    """Answer with the JSON of ``compute()``, encoded once per data version and ``key``: a
    cached ranking is then served without re-encoding (the API benchmark's hot path)."""
    from airace.jsondata import dumps

    def encoded() -> bytes:
        return dumps(compute()).encode()

    return Response(cache.get(store, key, encoded), media_type="application/json")


StoreDep = Annotated[Store, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
CacheDep = Annotated[ResultCache, Depends(get_cache)]
WriteAccess = Depends(require_token)
