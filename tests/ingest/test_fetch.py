"""Fetching against real HTTP servers on loopback: limits, redirects, the private-address guard."""

from __future__ import annotations

import gzip
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from airace.config import Settings
from airace.errors import FetchError
from airace.ingest import fetch as fetch_module
from airace.ingest.fetch import fetch, is_public_address

ALLOW = Settings(allow_private=True, fetch_timeout=2.0)


class Handler(BaseHTTPRequestHandler):
    """Routes: /ok, /redirect/N (N hops to /ok), /to?url=..., /big, /chunked, /gzip, /slow, /500."""

    def do_GET(self) -> None:
        path = self.path
        if path == "/ok":
            self._send(200, b"<html><body><p>hello</p></body></html>", "text/html; charset=utf-8")
        elif path.startswith("/redirect/"):
            hops = int(path.rsplit("/", 1)[1])
            self.send_response(302)
            self.send_header("Location", "/ok" if hops <= 1 else f"/redirect/{hops - 1}")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif path.startswith("/to?url="):
            self.send_response(301)
            self.send_header("Location", path.split("=", 1)[1])
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif path == "/big":
            self._send(200, b"x" * 5000, "text/plain")
        elif path == "/chunked":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for _ in range(10):
                chunk = b"y" * 1000
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            self.wfile.write(b"0\r\n\r\n")
        elif path == "/gzip":
            body = gzip.compress(b"z" * 100_000)
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        elif path == "/slow":
            time.sleep(1.5)
            self._send(200, b"late", "text/plain")
        else:
            self._send(500, b"boom", "text/plain")

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_page_is_fetched_with_media_type_and_charset(server: str) -> None:
    page = fetch(f"{server}/ok", ALLOW)
    assert (page.status, page.content_type, page.charset) == (200, "text/html", "utf-8")
    assert b"hello" in page.body


def test_loopback_is_refused_by_default_and_the_message_names_the_fix(server: str) -> None:
    with pytest.raises(FetchError, match="--allow-private"):
        fetch(f"{server}/ok", Settings())


@pytest.mark.parametrize(
    "host",
    ["127.0.0.1", "localhost", "10.1.2.3", "192.168.0.1", "172.16.5.4", "169.254.169.254",
     "::1", "[::ffff:127.0.0.1]", "0.0.0.0", "224.0.0.1", "fc00::1", "2002:7f00:1::"],
)  # fmt: skip
def test_private_and_special_addresses_are_not_public(host: str) -> None:
    assert not is_public_address(host)


def test_public_literal_address_is_public() -> None:
    assert is_public_address("8.8.8.8")
    assert is_public_address("2606:4700:4700::1111")


def test_redirects_within_the_limit_are_followed(server: str) -> None:
    page = fetch(f"{server}/redirect/3", ALLOW)
    assert page.url == f"{server}/ok"


def test_too_many_redirects_fail(server: str) -> None:
    with pytest.raises(FetchError, match="too many redirects"):
        fetch(f"{server}/redirect/9", Settings(allow_private=True, max_redirects=3))


def test_redirect_to_a_private_address_is_refused_at_that_hop(
    server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 127.0.0.1 plays a public host, 127.0.0.2 (also loopback on Linux) an internal one.
    monkeypatch.setattr(fetch_module, "is_public_address", lambda host: host != "127.0.0.2")
    port = server.rsplit(":", 1)[1]
    target = f"http://127.0.0.2:{port}/ok"
    with pytest.raises(FetchError, match=r"127\.0\.0\.2") as caught:
        fetch(f"{server}/to?url={target}", Settings())
    assert caught.value.path == target


def test_declared_length_over_the_cap_is_refused(server: str) -> None:
    with pytest.raises(FetchError, match="limit"):
        fetch(f"{server}/big", Settings(allow_private=True, max_bytes=1000))


def test_streamed_body_over_the_cap_is_cut(server: str) -> None:
    with pytest.raises(FetchError, match="limit"):
        fetch(f"{server}/chunked", Settings(allow_private=True, max_bytes=3000))
    assert len(fetch(f"{server}/chunked", ALLOW).body) == 10_000


def test_gzip_bomb_is_capped_on_the_decoded_size(server: str) -> None:
    with pytest.raises(FetchError, match="limit"):
        fetch(f"{server}/gzip", Settings(allow_private=True, max_bytes=50_000))


def test_http_error_status_fails_with_the_status(server: str) -> None:
    with pytest.raises(FetchError, match="HTTP 500"):
        fetch(f"{server}/500", ALLOW)


def test_closed_port_is_unreachable() -> None:
    with pytest.raises(FetchError, match="unreachable"):
        fetch("http://127.0.0.1:9/", ALLOW)


def test_slow_server_times_out(server: str) -> None:
    with pytest.raises(FetchError, match="timed out"):
        fetch(f"{server}/slow", Settings(allow_private=True, fetch_timeout=0.3))


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/x", "gopher://x/"])
def test_non_http_schemes_are_refused(url: str) -> None:
    with pytest.raises(FetchError, match="scheme"):
        fetch(url, ALLOW)
