"""Fetching against real HTTP servers on loopback: limits, redirects, the private-address guard.

Every server here listens on 127.0.0.1 or 127.0.0.2 (all of 127.0.0.0/8 is loopback on Linux).
To test the guard without leaving loopback, some tests declare 127.0.0.1 "public" and
127.0.0.2 "private" by replacing the address check, then prove the "private" server was never
asked for anything.
"""

from __future__ import annotations

import contextlib
import gzip
import socket
import threading
import tracemalloc
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from airace.config import Settings
from airace.errors import FetchError
from airace.ingest import fetch as fetch_module
from airace.ingest.fetch import fetch, is_public_address, new_client

ALLOW = Settings(allow_private=True, fetch_timeout=2.0)
TEXT = b"<html><body><p>hello</p></body></html>"
BOMB_SIZE = 100 * 1024 * 1024  # decoded; about 100 KB on the wire


def _gzip_of_zeros(size: int) -> bytes:
    """Compress size zero bytes in steps, never holding them all."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = bytes(1024 * 1024)
    parts = [packer.compress(block) for _ in range(size // len(block))]
    return b"".join([*parts, packer.flush()])


BOMB = _gzip_of_zeros(BOMB_SIZE)


@dataclass
class Server:
    """A loopback HTTP server: its base URL, the requests it got, an event that frees waiters."""

    base: str
    hits: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)


class Handler(BaseHTTPRequestHandler):
    """Routes; see each branch. The server object carries ``record`` (a Server)."""

    def do_GET(self) -> None:
        record: Server = self.server.record  # type: ignore[attr-defined]
        record.hits.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
        path = self.path
        if path == "/ok":
            self._send(200, TEXT, "text/html; Charset=UTF-8")
        elif path.startswith("/redirect/"):  # N hops before /ok
            hops = int(path.rsplit("/", 1)[1])
            self._redirect(302, "/ok" if hops <= 1 else f"/redirect/{hops - 1}")
        elif path.startswith("/to?url="):
            self._redirect(301, path.split("=", 1)[1])
        elif path == "/no-location":
            self._send(300, b"", "text/plain")
        elif path == "/declares-huge":  # promises a gigabyte, then sends nothing
            self.send_response(200)
            self.send_header("Content-Length", str(10**9))
            self.end_headers()
            self.wfile.flush()
            record.release.wait(5)
        elif path.startswith("/chunked/"):  # N KB in chunks, no length; then hangs if asked
            kilobytes, _, then = path.removeprefix("/chunked/").partition("/")
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for _ in range(int(kilobytes)):
                self.wfile.write(b"400\r\n" + b"y" * 1024 + b"\r\n")
            if then == "hang":
                self.wfile.flush()
                record.release.wait(5)
            self.wfile.write(b"0\r\n\r\n")
        elif path == "/bomb":
            self._send(200, BOMB, "text/plain", encoding="gzip")
        elif path == "/double-gzip":
            self._send(200, gzip.compress(gzip.compress(TEXT)), "text/html", "gzip, gzip")
        elif path == "/brotli":
            self._send(200, b"\x0b\x02\x80hello\x03", "text/plain", encoding="br")
        elif path in ("/gzip", "/x-gzip"):
            self._send(200, gzip.compress(TEXT), "text/html", encoding=path[1:])
        elif path == "/deflate":
            self._send(200, zlib.compress(TEXT), "text/html", encoding="deflate")
        elif path == "/raw-deflate":
            packer = zlib.compressobj(wbits=-zlib.MAX_WBITS)
            body = packer.compress(TEXT) + packer.flush()
            self._send(200, body, "text/html", encoding="deflate")
        elif path == "/broken-gzip":
            self._send(200, b"\x1f\x8b\x08\x00garbage-not-deflate", "text/html", "gzip")
        elif path == "/slow":
            record.release.wait(5)
            self._send(200, b"late", "text/plain")
        elif path == "/404":
            self._send(404, b"gone", "text/plain")
        else:
            self._send(500, b"boom", "text/plain")

    def _send(self, status: int, body: bytes, content_type: str, encoding: str = "") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        if encoding:
            self.send_header("Content-Encoding", encoding)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, status: int, location: str) -> None:
        self.send_response(status)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def _serve(address: str) -> Iterator[Server]:
    """Run a threaded server on address (port 0) until the test is done."""
    httpd = ThreadingHTTPServer((address, 0), Handler)
    record = Server(f"http://{address}:{httpd.server_address[1]}")
    httpd.record = record  # type: ignore[attr-defined]
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.02})
    thread.daemon = True
    thread.start()
    yield record
    record.release.set()
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def server() -> Iterator[Server]:
    yield from _serve("127.0.0.1")


@pytest.fixture
def internal() -> Iterator[Server]:
    """A second server, on 127.0.0.2, which some tests treat as a private address."""
    yield from _serve("127.0.0.2")


@pytest.fixture
def only_127_0_0_2_is_private(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the guard treat 127.0.0.2 as private and every other address as public."""
    monkeypatch.setattr(
        fetch_module, "_address_is_public", lambda address: str(address) != "127.0.0.2"
    )


@pytest.fixture
def closed_port() -> int:
    """A loopback port that nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# The guard


def test_page_is_fetched_with_final_url_media_type_charset_and_body(server: Server) -> None:
    page = fetch(f"{server.base}/ok", ALLOW)
    assert page == fetch_module.Fetched(f"{server.base}/ok", 200, "text/html", "utf-8", TEXT)


def test_loopback_is_refused_by_default_and_the_message_names_the_fix(server: Server) -> None:
    with pytest.raises(FetchError, match="private") as caught:
        fetch(f"{server.base}/ok", Settings())
    assert "--allow-private" in str(caught.value)
    assert caught.value.path == f"{server.base}/ok"
    assert server.hits == []


def test_localhost_by_name_is_refused_by_default(server: Server) -> None:
    port = server.base.rsplit(":", 1)[1]
    with pytest.raises(FetchError, match="private"):
        fetch(f"http://localhost:{port}/ok", Settings())
    assert server.hits == []


@pytest.mark.parametrize(
    "host",
    ["127.0.0.1", "127.1", "2130706433", "localhost", "10.1.2.3", "192.168.0.1", "172.16.5.4",
     "169.254.169.254", "100.64.0.1", "0.0.0.0", "224.0.0.1", "240.0.0.1", "255.255.255.255",
     "::1", "[::1]", "::", "fe80::1", "fc00::1", "ff02::1", "2001:db8::1",
     "::ffff:127.0.0.1", "[::ffff:169.254.169.254]", "2002:7f00:1::", "2002:a00:1::1",
     "64:ff9b::a00:1", "::7f00:1"],
)  # fmt: skip
def test_private_and_special_addresses_are_not_public(host: str) -> None:
    assert not is_public_address(host)


@pytest.mark.parametrize(
    "host",
    ["8.8.8.8", "2606:4700:4700::1111", "::ffff:8.8.8.8", "2002:808:808::1", "64:ff9b::808:808"],
)
def test_public_addresses_and_their_ipv6_wrappers_are_public(host: str) -> None:
    assert is_public_address(host)


def test_a_name_resolving_to_any_private_address_is_not_public(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def resolve(host: str, *args: object, **kwargs: object) -> list[tuple[object, ...]]:
        return [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("8.8.8.8", 0)),
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.1", 0)),
        ]

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    assert not is_public_address("mixed.test")


def test_unresolvable_name_is_not_public_and_fails_as_unresolvable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", fail)
    assert not is_public_address("nowhere.test")
    for settings in (Settings(), ALLOW):
        with pytest.raises(FetchError, match="unreachable: cannot resolve host") as caught:
            fetch("http://nowhere.test/page", settings)
        assert "--allow-private" not in str(caught.value)


def test_redirect_to_a_private_address_is_refused_at_that_hop(
    server: Server, internal: Server, only_127_0_0_2_is_private: None
) -> None:
    target = f"{internal.base}/ok"
    with pytest.raises(FetchError, match=r"127\.0\.0\.2 is a private address") as caught:
        fetch(f"{server.base}/to?url={target}", Settings())
    assert caught.value.path == target
    assert [path for path, _ in server.hits] == [f"/to?url={target}"]
    assert internal.hits == []


def test_name_that_resolves_differently_at_connect_time_is_refused(
    server: Server,
    internal: Server,
    only_127_0_0_2_is_private: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # DNS rebinding: "public" (127.0.0.1) when checked, "private" (127.0.0.2) when connecting.
    answers = iter(["127.0.0.1"] + ["127.0.0.2"] * 10)

    def rebinding(host: str, *args: object, **kwargs: object) -> list[tuple[object, ...]]:
        assert host == "rebind.test"
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (next(answers), 0))]

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    port = internal.base.rsplit(":", 1)[1]
    with pytest.raises(FetchError, match=r"rebind\.test \(127\.0\.0\.2\) is a private address"):
        fetch(f"http://rebind.test:{port}/ok", Settings())
    assert internal.hits == []


def test_redirect_to_another_scheme_is_refused(server: Server) -> None:
    with pytest.raises(FetchError, match="scheme 'file'") as caught:
        fetch(f"{server.base}/to?url=file:///etc/passwd", ALLOW)
    assert caught.value.path == "file:///etc/passwd"


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://127.0.0.1/x", "gopher://x/", "x.org"])
def test_non_http_schemes_are_refused(url: str) -> None:
    with pytest.raises(FetchError, match="scheme"):
        fetch(url, ALLOW)


# Redirects


def test_redirects_up_to_the_limit_are_followed(server: Server) -> None:
    page = fetch(f"{server.base}/redirect/3", Settings(allow_private=True, max_redirects=3))
    assert (page.url, page.body) == (f"{server.base}/ok", TEXT)


def test_one_redirect_more_than_the_limit_fails(server: Server) -> None:
    with pytest.raises(FetchError, match="too many redirects"):
        fetch(f"{server.base}/redirect/4", Settings(allow_private=True, max_redirects=3))
    assert len(server.hits) == 4


def test_no_redirect_is_followed_when_the_limit_is_zero(server: Server) -> None:
    with pytest.raises(FetchError, match="too many redirects"):
        fetch(f"{server.base}/redirect/1", Settings(allow_private=True, max_redirects=0))


# Size cap


def test_declared_length_over_the_cap_is_refused_before_reading(server: Server) -> None:
    # The server sends no body: only the early check can fail this before the read timeout.
    with pytest.raises(FetchError, match="declares 1000000000 bytes, over the 1000-byte limit"):
        fetch(f"{server.base}/declares-huge", Settings(allow_private=True, max_bytes=1000))


def test_streamed_body_is_cut_as_soon_as_it_passes_the_cap(server: Server) -> None:
    # 64 KB arrive, then the server hangs: reading to the end would time out instead.
    settings = Settings(allow_private=True, max_bytes=32 * 1024, fetch_timeout=2.0)
    with pytest.raises(FetchError, match="over the 32768-byte limit"):
        fetch(f"{server.base}/chunked/64/hang", settings)


def test_streamed_body_within_the_cap_is_read_whole(server: Server) -> None:
    page = fetch(f"{server.base}/chunked/10", Settings(allow_private=True, max_bytes=10 * 1024))
    assert page.body == b"y" * 10 * 1024


def test_gzip_bomb_is_refused_on_its_decoded_size(server: Server) -> None:
    assert len(BOMB) < 1024 * 1024
    with pytest.raises(FetchError, match="over the 1048576-byte limit"):
        fetch(f"{server.base}/bomb", Settings(allow_private=True, max_bytes=1024 * 1024))


def test_gzip_bomb_never_expands_in_memory(server: Server) -> None:
    tracemalloc.start()
    try:
        with pytest.raises(FetchError, match="limit"):
            fetch(f"{server.base}/bomb", Settings(allow_private=True, max_bytes=1024 * 1024))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 16 * 1024 * 1024


@pytest.mark.parametrize("route", ["/gzip", "/x-gzip", "/deflate", "/raw-deflate"])
def test_compressed_bodies_are_decoded(server: Server, route: str) -> None:
    assert fetch(f"{server.base}{route}", ALLOW).body == TEXT


@pytest.mark.parametrize("route", ["/double-gzip", "/brotli"])
def test_encodings_that_cannot_be_decoded_in_bounded_steps_are_refused(
    server: Server, route: str
) -> None:
    with pytest.raises(FetchError, match="unsupported content encoding"):
        fetch(f"{server.base}{route}", ALLOW)


def test_corrupt_gzip_body_fails_clearly(server: Server) -> None:
    with pytest.raises(FetchError, match="not valid gzip or deflate"):
        fetch(f"{server.base}/broken-gzip", ALLOW)


# Statuses and network failures


@pytest.mark.parametrize(("route", "status"), [("/404", "HTTP 404"), ("/500", "HTTP 500")])
def test_http_error_status_fails_with_the_status(server: Server, route: str, status: str) -> None:
    with pytest.raises(FetchError, match=status):
        fetch(f"{server.base}{route}", ALLOW)


def test_redirect_status_without_location_fails_with_the_status(server: Server) -> None:
    with pytest.raises(FetchError, match="HTTP 300"):
        fetch(f"{server.base}/no-location", ALLOW)


def test_closed_port_is_unreachable_with_connection_refused(closed_port: int) -> None:
    with pytest.raises(FetchError, match=r": unreachable: connection refused$"):
        fetch(f"http://127.0.0.1:{closed_port}/", ALLOW)


def test_slow_server_times_out_with_the_configured_seconds(server: Server) -> None:
    with pytest.raises(FetchError, match=r"timed out after 0\.3 s"):
        fetch(f"{server.base}/slow", Settings(allow_private=True, fetch_timeout=0.3))


# Client and headers


def test_user_agent_and_accepted_encodings_come_from_the_fetch(server: Server) -> None:
    with httpx.Client(headers={"User-Agent": "other/1.0"}) as client:
        fetch(
            f"{server.base}/ok", Settings(allow_private=True, user_agent="probe/9"), client=client
        )
    (_, headers), = server.hits  # fmt: skip
    assert headers["user-agent"] == "probe/9"
    assert headers["accept-encoding"] == "gzip, deflate"


def test_a_passed_client_is_left_open_and_still_gets_every_hop_checked(
    server: Server, internal: Server, only_127_0_0_2_is_private: None
) -> None:
    with httpx.Client() as client:
        assert fetch(f"{server.base}/ok", Settings(), client=client).body == TEXT
        with pytest.raises(FetchError, match="private"):
            fetch(f"{server.base}/to?url={internal.base}/ok", Settings(), client=client)
        assert not client.is_closed
    assert internal.hits == []


@pytest.mark.parametrize("route", ["/ok", "/500"])
def test_a_client_made_for_one_fetch_is_closed(
    server: Server, route: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[httpx.Client] = []

    def recording(settings: Settings) -> httpx.Client:
        made.append(new_client(settings))
        return made[-1]

    monkeypatch.setattr(fetch_module, "new_client", recording)
    with contextlib.suppress(FetchError):
        fetch(f"{server.base}{route}", ALLOW)
    assert len(made) == 1 and made[0].is_closed


def test_new_client_guards_connections_unless_private_addresses_are_allowed(
    server: Server,
) -> None:
    with new_client(Settings()) as guarded, pytest.raises(FetchError, match="private"):
        guarded.get(f"{server.base}/ok")
    with new_client(ALLOW) as open_client:
        assert open_client.get(f"{server.base}/ok").content == TEXT
    assert len(server.hits) == 1
