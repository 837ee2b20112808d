"""Fetching URLs with limits, so that ingest cannot be turned against anyone.

A user (or an API client) names a URL; airace fetches it on their behalf. Without care that is a
server-side request forgery hole: a URL or a redirect pointing at ``127.0.0.1``, ``10.x`` or a
cloud metadata address would let the caller read internal services. So every hop of a fetch is
checked: only http(s), every address the host resolves to must be public (unless the user says
``--allow-private``), redirects are followed by hand up to a limit and re-checked, the body is
streamed and cut at a size cap (also after gzip decoding), and every wait has a timeout.

Caveat: the address check resolves the host before httpx connects and resolves it again, so a
DNS server that answers differently within milliseconds (DNS rebinding) could slip past it. The
guard is meant against mistakes and hostile links, not against an attacker controlling DNS.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from airace.errors import FetchError

if TYPE_CHECKING:
    import httpx

    from airace.config import Settings

_REDIRECTS = {301, 302, 303, 307, 308}


@dataclass(frozen=True, slots=True)
class Fetched:
    """A fetched response: the final URL after redirects, its media type and body."""

    url: str
    status: int
    content_type: str | None
    charset: str | None
    body: bytes


def _address_is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Tell whether an address is globally routable, unwrapping IPv6 forms of IPv4."""
    if isinstance(address, ipaddress.IPv6Address):
        for inner in (address.ipv4_mapped, address.sixtofour):
            if inner is not None:
                return _address_is_public(inner)
        if address.teredo is not None:
            return all(_address_is_public(part) for part in address.teredo)
    return address.is_global and not address.is_multicast


def is_public_address(host: str) -> bool:
    """Tell whether every address a host name (or literal IP) resolves to is public.

    A name that cannot be resolved is not public. ``localhost`` resolves to loopback.
    """
    host = host.strip("[]")
    try:
        return _address_is_public(ipaddress.ip_address(host))
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError):
        return False
    addresses = {info[4][0] for info in infos}
    return bool(addresses) and all(
        _address_is_public(ipaddress.ip_address(str(a).split("%")[0])) for a in addresses
    )


def new_client(settings: Settings) -> httpx.Client:
    """Create an HTTP client with the settings' timeouts and User-Agent (use it as a context)."""
    import httpx

    return httpx.Client(
        timeout=httpx.Timeout(settings.fetch_timeout),
        follow_redirects=False,
        headers={"User-Agent": settings.user_agent, "Accept-Encoding": "gzip, deflate"},
    )


def _check_url(url: str, settings: Settings) -> None:
    """Refuse a URL whose scheme is not http(s) or whose host is not public."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise FetchError(f"unsupported scheme {parts.scheme!r}: only http and https", path=url)
    if not parts.hostname:
        raise FetchError("URL has no host", path=url)
    if not settings.allow_private and not is_public_address(parts.hostname):
        raise FetchError(
            f"refused: {parts.hostname} is a private, loopback or unresolvable address",
            path=url,
            hint="pass --allow-private (AIRACE_ALLOW_PRIVATE=1) to fetch from your own network",
        )


def fetch(url: str, settings: Settings, *, client: httpx.Client | None = None) -> Fetched:
    """Fetch a URL within the settings' limits.

    Args:
        url: an http(s) URL.
        settings: timeouts, size cap, redirect limit, whether private addresses are allowed.
        client: a client to reuse across a batch; one is made (and closed) when absent.

    Returns:
        The final response with its whole body.

    Raises:
        FetchError: refused, unreachable, timed out, too large, too many redirects, or an HTTP
            error status; the message says which.
    """
    if client is None:
        with new_client(settings) as own:
            return fetch(url, settings, client=own)
    import httpx

    current = url
    for _hop in range(settings.max_redirects + 1):
        _check_url(current, settings)
        try:
            with client.stream("GET", current) as response:
                if response.status_code in _REDIRECTS and "location" in response.headers:
                    current = urljoin(current, response.headers["location"])
                    continue
                if response.status_code >= 400:
                    raise FetchError(
                        f"HTTP {response.status_code} {response.reason_phrase}".strip(),
                        path=current,
                    )
                body = _read_capped(response, current, settings.max_bytes)
                media, charset = _content_type(response.headers.get("content-type"))
                return Fetched(current, response.status_code, media, charset, body)
        except httpx.TimeoutException as error:
            raise FetchError(
                f"timed out after {settings.fetch_timeout:g} s", path=current
            ) from error
        except httpx.ConnectError as error:
            raise FetchError(f"unreachable: {_reason(error)}", path=current) from error
        except httpx.HTTPError as error:
            raise FetchError(f"fetch failed: {_reason(error)}", path=current) from error
    raise FetchError(f"too many redirects (more than {settings.max_redirects})", path=url)


def _read_capped(response: httpx.Response, url: str, limit: int) -> bytes:
    """Read a streamed body, stopping as soon as it (decoded) exceeds the limit."""
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise FetchError(
            f"response is {int(declared)} bytes, over the {limit} byte limit", path=url
        )
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > limit:
            raise FetchError(f"response is over the {limit} byte limit", path=url)
        chunks.append(chunk)
    return b"".join(chunks)


def _content_type(header: str | None) -> tuple[str | None, str | None]:
    """Split a Content-Type header into its media type and charset."""
    if not header:
        return None, None
    media, _, params = header.partition(";")
    charset = None
    for param in params.split(";"):
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip("\"'") or None
    return media.strip().lower() or None, charset


def _reason(error: Exception) -> str:
    """Return the innermost, most specific one-line reason of a network error."""
    text = str(error).strip() or type(error).__name__
    if "Connection refused" in text or "Errno 111" in text:
        return "connection refused"
    if "Name or service not known" in text or "nodename nor servname" in text:
        return "cannot resolve host"
    return text.splitlines()[0]
