"""Fetching URLs with limits, so that ingest cannot be turned against anyone.

A user (or an API client) names a URL and airace fetches it on their behalf. Without care that
is a server-side request forgery hole: a URL, or a redirect, pointing at ``127.0.0.1``, ``10.x``
or a cloud metadata address (``169.254.169.254``) would let the caller read internal services
through airace. So every hop of a fetch is checked:

- only http and https URLs are fetched;
- every address the host resolves to must be public: not private, loopback, link-local,
  multicast, reserved or unspecified, also when wrapped in an IPv6 form (IPv4-mapped, 6to4,
  NAT64); ``--allow-private`` (``AIRACE_ALLOW_PRIVATE``) turns this off for your own network;
- redirects are followed by hand, up to ``max_redirects``, and each new URL is checked again;
- the body is streamed and cut as soon as it passes ``max_bytes``: a declared Content-Length
  over the cap is refused before reading, and gzip/deflate are decoded here, in bounded steps,
  so that the cap applies to the decoded size and a compression bomb never expands in memory;
- connecting, reading and waiting for a pooled connection all time out after
  ``fetch_timeout`` seconds, and the whole fetch (every hop, headers and body) must end within
  ``fetch_deadline`` seconds: a server that trickles a byte a second cannot hold a fetch (or an
  API worker) for longer. The deadline lives in the network stream itself, so it bounds every
  read and write, the header phase included.

DNS rebinding: checking a name and then letting httpx resolve it again to connect would let a
DNS server answer "public" to the check and "private" to the connection. Clients made by
``new_client`` close that gap: their transport resolves the name once, checks the addresses and
connects to exactly those. A client passed in from elsewhere gets the per-hop check only, and so
does a request that goes through an HTTP proxy taken from the environment (the proxy resolves
the name). The resolver itself has no timeout of ours; the system's applies.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
import time
import zlib
from collections.abc import Iterable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

import httpcore
import httpx

from airace.errors import FetchError

if TYPE_CHECKING:
    from airace.config import Settings

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
# Only what _Inflater can decode in bounded steps; anything else a server sends is refused.
_ACCEPT_ENCODING = "gzip, deflate"
_ACCEPT = (
    "text/html, application/xhtml+xml, application/rss+xml, application/atom+xml, "
    "application/xml;q=0.9, text/*;q=0.8, */*;q=0.5"
)
# The well-known NAT64 prefix (RFC 6052): its last 32 bits are an IPv4 address behind a gateway.
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_PRIVATE_HINT = "pass --allow-private (AIRACE_ALLOW_PRIVATE=1) to fetch from your own network"
# The monotonic time by which the fetch in progress on this thread must be done.
_DEADLINE: ContextVar[float | None] = ContextVar("fetch_deadline", default=None)


@dataclass(frozen=True, slots=True)
class Fetched:
    """A fetched response: the final URL after redirects, its media type, charset and body."""

    url: str
    status: int
    content_type: str | None
    charset: str | None
    body: bytes


def _address_is_public(address: IPAddress) -> bool:
    """Tell whether an address is globally routable, judging IPv6 wrappers by their IPv4."""
    if isinstance(address, ipaddress.IPv6Address):
        inner = address.ipv4_mapped or address.sixtofour
        if inner is None and address in _NAT64:
            inner = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if inner is not None:
            return _address_is_public(inner)
    return address.is_global and not (address.is_multicast or address.is_reserved)


def _resolve(host: str) -> list[IPAddress]:
    """Return the addresses a host name or literal IP stands for, in resolver order.

    Raises socket.gaierror (or UnicodeError for a malformed name) when it cannot be resolved.
    """
    try:
        return [ipaddress.ip_address(host.strip("[]"))]
    except ValueError:
        pass
    found: dict[IPAddress, None] = {}
    for family, _, _, _, sockaddr in socket.getaddrinfo(host, None, type=socket.SOCK_STREAM):
        if family in (socket.AF_INET, socket.AF_INET6):
            found[ipaddress.ip_address(str(sockaddr[0]))] = None
    if not found:
        raise socket.gaierror(socket.EAI_NONAME, "no IPv4 or IPv6 address")
    return list(found)


def is_public_address(host: str) -> bool:
    """Tell whether every address a host name (or literal IP) resolves to is public.

    Args:
        host: a host name, an IPv4 address, or an IPv6 address with or without brackets.

    Returns:
        True when the host resolves and none of its addresses is private, loopback,
        link-local, multicast, reserved or unspecified (directly or inside an IPv6 wrapper);
        False otherwise, also when the name cannot be resolved.
    """
    try:
        addresses = _resolve(host)
    except (OSError, UnicodeError):
        return False
    return all(_address_is_public(address) for address in addresses)


def _refuse_private(host: str, addresses: Iterable[IPAddress]) -> None:
    """Raise FetchError (without a path) when any of a host's addresses is not public."""
    for address in addresses:
        if not _address_is_public(address):
            shown = str(address) if host.strip("[]") == str(address) else f"{host} ({address})"
            raise FetchError(f"refused: {shown} is a private address", hint=_PRIVATE_HINT)


class _DeadlineExceeded(httpcore.ReadTimeout):
    """The fetch in progress has used up its overall deadline."""


class _DeadlineStream(httpcore.NetworkStream):
    """A network stream whose every read and write waits no longer than the time left to the
    fetch in progress (``_DEADLINE``), as well as its own timeout. Pooled connections serve
    several fetches, so the deadline is looked up at each call, not fixed at connect time."""

    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self._stream = stream

    @staticmethod
    def _left(timeout: float | None) -> float | None:
        deadline = _DEADLINE.get()
        if deadline is None:
            return timeout
        left = deadline - time.monotonic()
        if left <= 0:
            raise _DeadlineExceeded("the fetch deadline has passed")
        return left if timeout is None else min(timeout, left)

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        """Read within the deadline."""
        return self._stream.read(max_bytes, self._left(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        """Write within the deadline."""
        self._stream.write(buffer, self._left(timeout))

    def close(self) -> None:
        """Close the connection."""
        self._stream.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        """Upgrade to TLS within the deadline."""
        upgraded = self._stream.start_tls(ssl_context, server_hostname, self._left(timeout))
        return _DeadlineStream(upgraded)

    def get_extra_info(self, info: str) -> Any:
        """What the wrapped stream says (the TLS object, the peer's address...)."""
        return self._stream.get_extra_info(info)


class _GuardedBackend(httpcore.SyncBackend):
    """Resolve each host once, refuse non-public addresses (unless private ones are allowed),
    connect to the checked ones, and keep every connection within the fetch's deadline."""

    def __init__(self, allow_private: bool) -> None:
        self._allow_private = allow_private

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        """Connect to the first reachable address of host, all of which must be public."""
        timeout = _DeadlineStream._left(timeout)
        if self._allow_private:
            stream = super().connect_tcp(host, port, timeout, local_address, socket_options)
            return _DeadlineStream(stream)
        try:
            addresses = _resolve(host)
        except (OSError, UnicodeError) as error:
            raise httpcore.ConnectError(str(error)) from error
        _refuse_private(host, addresses)
        failure: httpcore.ConnectError | None = None
        for address in addresses:
            try:
                stream = super().connect_tcp(
                    str(address), port, timeout, local_address, socket_options
                )
                return _DeadlineStream(stream)
            except httpcore.ConnectError as error:  # a timeout is not worth trying the next
                failure = error
        raise failure or httpcore.ConnectError(f"no address for {host}")


class _GuardedTransport(httpx.HTTPTransport):
    """An httpx transport whose connections go only to checked addresses, within deadlines."""

    def __init__(self, allow_private: bool) -> None:
        super().__init__()
        # httpx has no public way to choose the network backend, so the pool it made is replaced
        # by an equivalent one with ours (tests/ingest/test_fetch.py proves it is used).
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(),
            max_connections=100,
            max_keepalive_connections=20,
            keepalive_expiry=5.0,
            network_backend=_GuardedBackend(allow_private),
        )


def new_client(settings: Settings) -> httpx.Client:
    """Create an HTTP client for ``fetch`` to reuse across a batch; use it as a context manager.

    Args:
        settings: its timeouts and User-Agent, and whether private addresses are allowed; unless
            they are, the client connects only to the public addresses it checked.

    Returns:
        A client that does not follow redirects by itself and keeps each ``fetch`` within its
        deadline.
    """
    return httpx.Client(
        timeout=_timeout(settings),
        follow_redirects=False,
        headers=_headers(settings),
        transport=_GuardedTransport(settings.allow_private),
    )


def _timeout(settings: Settings) -> httpx.Timeout:
    """Return the connect, read, write and pool timeouts the settings ask for."""
    return httpx.Timeout(settings.fetch_timeout)


def _headers(settings: Settings) -> dict[str, str]:
    """Return the request headers every fetch sends."""
    return {
        "User-Agent": settings.user_agent,
        "Accept": _ACCEPT,
        "Accept-Encoding": _ACCEPT_ENCODING,
    }


def fetch(url: str, settings: Settings, *, client: httpx.Client | None = None) -> Fetched:
    """Fetch a URL within the settings' limits, following redirects and checking each hop.

    Args:
        url: an http or https URL.
        settings: timeouts, size cap, redirect limit, User-Agent, whether private addresses
            are allowed.
        client: a client to reuse across a batch (best made by ``new_client``); one is made,
            and closed, when absent. Its own timeouts and headers are overridden by the
            settings'.

    Returns:
        The final response with its whole (decoded) body.

    Raises:
        FetchError: not an http(s) URL, a private address, unreachable (connection refused,
            cannot resolve host...), timed out, over the size cap, too many redirects, or an
            HTTP status other than 2xx; the message says which and ``path`` names the URL of
            the hop that failed.
    """
    if client is None:
        with new_client(settings) as own:
            return fetch(url, settings, client=own)
    token = _DEADLINE.set(time.monotonic() + settings.fetch_deadline)
    try:
        current = url
        for _hop in range(settings.max_redirects + 1):
            _check_url(current, settings)
            outcome = _get(client, current, settings)
            if isinstance(outcome, Fetched):
                return outcome
            current = outcome
    finally:
        _DEADLINE.reset(token)
    raise FetchError(
        f"too many redirects (more than {settings.max_redirects}); the last went to {current}",
        path=url,
    )


def _check_url(url: str, settings: Settings) -> None:
    """Refuse a URL that is not http(s), has no host, or names a non-public address."""
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as error:
        raise FetchError(f"invalid URL: {error}", path=url) from error
    if parsed.scheme not in ("http", "https"):
        raise FetchError(
            f"unsupported URL scheme {parsed.scheme or '(none)'!r}: only http and https",
            path=url,
        )
    host = parsed.raw_host.decode("ascii")
    if not host:
        raise FetchError("URL has no host", path=url)
    if settings.allow_private:
        return
    try:
        addresses = _resolve(host)
    except (OSError, UnicodeError) as error:
        raise FetchError("unreachable: cannot resolve host", path=url) from error
    try:
        _refuse_private(host, addresses)
    except FetchError as error:
        raise FetchError(error.message, path=url, hint=error.hint) from None


def _get(client: httpx.Client, url: str, settings: Settings) -> Fetched | str:
    """Make one GET; return the response, or the absolute URL a redirect points to."""
    try:
        with client.stream(
            "GET",
            url,
            headers=_headers(settings),
            timeout=_timeout(settings),
            follow_redirects=False,
        ) as response:
            status = response.status_code
            location = str(response.headers.get("location", "")).strip()
            if status in _REDIRECTS and location:
                try:
                    return urljoin(url, location)
                except ValueError as error:
                    raise FetchError(
                        f"redirect to an invalid URL {location!r}", path=url
                    ) from error
            if not 200 <= status < 300:
                raise FetchError(f"HTTP {status} {response.reason_phrase}".strip(), path=url)
            media, charset = _content_type(response.headers.get("content-type"))
            body = _read_capped(response, url, settings.max_bytes)
            return Fetched(url, status, media, charset, body)
    except httpx.TimeoutException as error:
        if isinstance(error.__cause__, _DeadlineExceeded) or _past_deadline():
            raise FetchError(
                f"took longer than the {settings.fetch_deadline:g} s a fetch may take", path=url
            ) from error
        raise FetchError(f"timed out after {settings.fetch_timeout:g} s", path=url) from error
    except httpx.InvalidURL as error:  # httpx reads a redirect's Location as it answers
        raise FetchError(f"redirect to an invalid URL: {error}", path=url) from error
    except httpx.ConnectError as error:
        raise FetchError(f"unreachable: {_reason(error)}", path=url) from error
    except httpx.HTTPError as error:
        raise FetchError(f"fetch failed: {_reason(error)}", path=url) from error
    except FetchError as error:
        if error.path is not None:
            raise
        # Refused by _GuardedBackend at connect time, which does not know the URL.
        raise FetchError(error.message, path=url, hint=error.hint) from None


def _past_deadline() -> bool:
    deadline = _DEADLINE.get()
    return deadline is not None and time.monotonic() >= deadline


def _read_capped(response: httpx.Response, url: str, limit: int) -> bytes:
    """Read a streamed body, decoding it, and stop as soon as it exceeds the limit."""
    declared = response.headers.get("content-length", "").strip()
    if declared.isdigit() and int(declared) > limit:
        raise FetchError(
            f"response declares {int(declared)} bytes, over the {limit}-byte limit", path=url
        )
    inflater = _Inflater.for_encoding(response.headers.get("content-encoding"), url)
    body = bytearray()
    for raw in response.iter_raw():
        body += raw if inflater is None else inflater.feed(raw, limit - len(body) + 1)
        if len(body) > limit:
            raise FetchError(f"response is over the {limit}-byte limit", path=url)
    if inflater is not None:
        body += inflater.finish()
        if len(body) > limit:
            raise FetchError(f"response is over the {limit}-byte limit", path=url)
    return bytes(body)


class _Inflater:
    """Decode a gzip or deflate body incrementally, never producing more than asked for."""

    def __init__(self, wbits: int, url: str) -> None:
        self._wbits = wbits
        self._url = url
        self._decompress = zlib.decompressobj(wbits)
        self._started = False

    @classmethod
    def for_encoding(cls, header: str | None, url: str) -> _Inflater | None:
        """Return the decoder a Content-Encoding header calls for; None for identity."""
        codings = [c.strip().lower() for c in (header or "").split(",")]
        codings = [c for c in codings if c and c != "identity"]
        if not codings:
            return None
        if codings in (["gzip"], ["x-gzip"]):
            return cls(16 + zlib.MAX_WBITS, url)
        if codings == ["deflate"]:
            return cls(zlib.MAX_WBITS, url)
        raise FetchError(f"unsupported content encoding {header!r}", path=url)

    def feed(self, data: bytes, room: int) -> bytes:
        """Decode a chunk, returning at most room bytes (enough to tell the cap was passed)."""
        try:
            out = self._decompress.decompress(data, room)
        except zlib.error as error:
            if self._started or self._wbits != zlib.MAX_WBITS:
                raise self._invalid() from error
            # "deflate" is meant to be zlib-wrapped, but some servers send raw deflate.
            self._wbits = -zlib.MAX_WBITS
            self._decompress = zlib.decompressobj(self._wbits)
            return self.feed(data, room)
        self._started = True
        return out

    def finish(self) -> bytes:
        """Return what the decoder still holds once the body has ended."""
        try:
            return self._decompress.flush()
        except zlib.error as error:
            raise self._invalid() from error

    def _invalid(self) -> FetchError:
        """Describe a body that does not decode."""
        return FetchError("response body is not valid gzip or deflate data", path=self._url)


def _content_type(header: str | None) -> tuple[str | None, str | None]:
    """Split a Content-Type header into its lower-case media type and charset."""
    if not header:
        return None, None
    media, _, params = header.partition(";")
    charset = None
    for param in params.split(";"):
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip("\"'").lower() or None
    return media.strip().lower() or None, charset


def _reason(error: BaseException) -> str:
    """Describe a network error in a few words, from the innermost cause that says why."""
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or current.__context__
    for cause in reversed(chain):
        if isinstance(cause, socket.gaierror):
            return "cannot resolve host"
        if isinstance(cause, ConnectionRefusedError):
            return "connection refused"
        if isinstance(cause, ConnectionResetError):
            return "connection reset by the server"
        if isinstance(cause, ssl.SSLCertVerificationError):
            return f"TLS certificate not accepted: {cause.verify_message}"
        if isinstance(cause, ssl.SSLError):
            return f"TLS error: {cause.reason or cause}"
        if isinstance(cause, OSError) and cause.strerror:
            return cause.strerror.lower()
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
