"""Fetches that cannot hurt a run or the server: a redirect to a non-web URL fails alone, a
server that trickles bytes is cut at the fetch's overall deadline, and API-triggered fetches
beyond a small pool are turned away at once, so reads keep their workers."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from airace.config import Settings
from airace.errors import FetchError
from airace.ingest.fetch import fetch
from airace.server import create_app
from airace.service.pipeline import ingest
from airace.store.repository import Store

STOP = threading.Event()
TOKEN = "reliability-token"


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path.startswith("/to/"):  # a redirect to what follows
            self.send_response(302)
            self.send_header("Location", self.path.removeprefix("/to/"))
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif self.path == "/trickle":  # a byte every 0.1 s, for ever
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            while not STOP.is_set():
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(0.1)
        elif self.path == "/slow-headers":  # the status line and headers a byte at a time
            for byte in b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n" + b"X: " + b"y" * 400:
                if STOP.is_set():
                    return
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(0.1)
        elif self.path == "/ok":
            body = "Việt Nam hiện có 2.000 GPU H100 phục vụ nghiên cứu.".encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    STOP.clear()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    threading.Thread(
        target=httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
    ).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    STOP.set()
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.parametrize("target", ["javascript:alert(1)", "data:text/html,<p>x</p>", "//[::1"])
def test_a_redirect_to_a_non_web_url_fails_alone(server: str, store: Store, target: str) -> None:
    settings = Settings(allow_private=True, fetch_timeout=2.0)
    report = ingest([f"{server}/to/{target}", f"{server}/ok"], store, settings)
    assert (report.stored, report.failed) == (1, 1)
    [failure] = report.failures()
    reason = (failure.reason or "").lower()
    assert any(word in reason for word in ("redirect", "scheme", "location")), reason


def test_a_redirect_to_javascript_through_the_api_is_a_422_not_a_500(
    server: str, tmp_path: Path
) -> None:
    app = create_app(Settings(db=str(tmp_path / "api.db"), token=TOKEN, allow_private=True))
    with TestClient(app) as client:
        answer = client.post(
            "/api/ingest",
            json={"url": f"{server}/to/javascript:alert(1)"},
            headers={"Authorization": f"Bearer {TOKEN}"},
        )
    assert answer.status_code == 422
    assert "redirect" in answer.json()["items"][0]["reason"]


@pytest.mark.parametrize("route", ["/trickle", "/slow-headers"])
def test_a_trickling_server_is_cut_at_the_overall_deadline(server: str, route: str) -> None:
    settings = Settings(allow_private=True, fetch_timeout=0.5, fetch_deadline=1.0)
    started = time.monotonic()
    with pytest.raises(FetchError, match="longer than the 1 s"):
        fetch(f"{server}{route}", settings)
    assert time.monotonic() - started < 2.0  # each read alone never timed out


def test_api_fetches_beyond_the_pool_are_turned_away_and_reads_stay_fast(
    server: str, tmp_path: Path
) -> None:
    settings = Settings(
        db=str(tmp_path / "api.db"),
        token=TOKEN,
        allow_private=True,
        fetch_deadline=3.0,
        max_fetches=2,
    )
    headers = {"Authorization": f"Bearer {TOKEN}"}
    with TestClient(app := create_app(settings)) as client:
        slow = [
            threading.Thread(
                target=client.post,
                args=("/api/ingest",),
                kwargs={"json": {"url": f"{server}/trickle"}, "headers": headers},
            )
            for _ in range(2)
        ]
        for thread in slow:
            thread.start()
        deadline = time.monotonic() + 2
        while app.state.fetch_slots._value and time.monotonic() < deadline:
            time.sleep(0.01)
        begun = time.monotonic()
        busy = client.post("/api/ingest", json={"url": f"{server}/ok"}, headers=headers)
        read = client.get("/api/documents")
        took = time.monotonic() - begun
        for thread in slow:
            thread.join()
    assert busy.status_code == 503 and busy.headers["retry-after"] == "5"
    assert busy.json()["error"]["code"] == "busy"
    assert read.status_code == 200 and took < 1.0
