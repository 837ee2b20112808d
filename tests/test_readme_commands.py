"""Every command in the README runs as written.

The README's ``sh`` blocks are read and each line is run with bash, in a folder that holds the
files the examples name (``articles/``, ``report.html``, ``my.yaml``...), against a database
the quick start filled (``airace demo``). What a sandbox cannot reach is stood in for, and
only that: ``example.org`` is a loopback server with a page and a feed, the Dask scheduler
address is a local scheduler, port 8000 is a free port, and a server command (``airace
serve``, ``datasette``) passes when it answers over HTTP. The install lines are what CI runs
itself, and the test command is this suite.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()
SHARED = ROOT.parent / "shared"
SAMPLES = ROOT / "airace" / "samples" / "articles"
PAGE = (
    "<html><head><title>GPU race</title></head><body><article><p>Japan has 5,000 GPUs for "
    "research, and Korea about 2,000.</p></article></body></html>"
)


def readme_commands() -> list[str]:
    """The command lines of the README's sh blocks, in order."""
    blocks = re.findall(r"^```sh\n(.*?)^```", README, re.M | re.S)
    return [line for block in blocks for line in block.splitlines() if line.strip()]


# Run by CI itself, or this very suite: not run again here.
SKIPPED = ("python3 -m venv", ".venv/bin/pip install")
SERVERS = ("airace serve", "datasette ")


class _Site(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path.endswith(".xml"):
            link = f"http://{self.headers['Host']}/news/ai-race.html"
            body = (
                '<?xml version="1.0"?><rss version="2.0"><channel><item><title>Race</title>'
                f"<link>{link}</link><description>Teaser</description></item></channel></rss>"
            ).encode()
            kind = "application/rss+xml"
        else:
            body, kind = PAGE.encode(), "text/html; charset=utf-8"
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    from dask.distributed import LocalCluster

    with LocalCluster(
        n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        yield str(cluster.scheduler_address)


def _sandbox(folder: Path) -> None:
    """The files the README's examples name."""
    shutil.copytree(SAMPLES, folder / "articles")
    shutil.copytree(SAMPLES, folder / "big-folder")
    shutil.copytree(SAMPLES, folder / "corpus")
    first = sorted(SAMPLES.iterdir())[0]
    (folder / "report.html").write_text(PAGE)
    (folder / "notes.md").write_text("# Notes\n\nKorea has about 2,000 GPUs for research.\n")
    (folder / "batch.jsonl").write_text(
        '{"text": "Singapore has 3,000 GPUs for AI research.", "url": "https://sg.example/1"}\n'
    )
    shutil.copy(first, folder / "article.txt")
    methodology = ROOT / "airace" / "data" / "methodology" / "default.yaml"
    for name in ("my.yaml", "old.yaml", "new.yaml"):
        shutil.copy(methodology, folder / name)
    _warc(folder / "news.warc.gz")
    (folder / "eval").symlink_to(ROOT / "eval")


def _warc(path: Path) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        record = writer.create_warc_record(
            "https://news.example/a",
            "response",
            payload=io.BytesIO(PAGE.encode()),
            http_headers=headers,
        )
        writer.write_record(record)


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dict[str, str]]]:
    work = tmp_path_factory.mktemp("readme") / "work"
    work.mkdir()
    _sandbox(work)
    if SHARED.is_dir():
        (work.parent / "shared").symlink_to(SHARED)
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIRACE_")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["AIRACE_DB"] = str(work / "airace.db")
    env["AIRACE_ALLOW_PRIVATE"] = "1"  # example.org is a loopback server here
    env["COLUMNS"] = "100"
    demo = subprocess.run(
        ["airace", "demo"], cwd=work, env=env, capture_output=True, text=True, timeout=300
    )
    assert demo.returncode == 0, demo.stderr
    yield work, env


def _stand_ins(line: str, site: str, scheduler: str, port: int) -> str:
    line = re.sub(r"\s+# .*$", "", line)  # the comment that explains the example
    line = line.replace("https://example.org", site)
    line = line.replace("tcp://10.0.0.5:8786", scheduler)
    line = line.replace("--host 0.0.0.0", "--host 127.0.0.1").replace("--port 8000", "")
    if "airace serve" in line:
        line = f"{line} --port {port}"
    if "datasette " in line:
        line = line.replace("datasette airace.db", f"datasette airace.db --port {port}")
    return line


@pytest.mark.slow
@pytest.mark.parametrize("line", readme_commands())
def test_the_readme_command_runs_as_written(
    line: str, sandbox: tuple[Path, dict[str, str]], site: str, scheduler: str
) -> None:
    if line.startswith(SKIPPED):
        pytest.skip("run by CI itself")
    if "../shared" in line and not SHARED.is_dir():
        pytest.skip("the shared gold sets are not here")
    work, env = sandbox
    port = _free_port()
    command = _stand_ins(line, site, scheduler, port)
    if any(server in command for server in SERVERS):
        _serves(command, work, env, port)
        return
    done = subprocess.run(
        ["bash", "-c", command], cwd=work, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, f"{command}\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"


def _serves(command: str, work: Path, env: dict[str, str], port: int) -> None:
    """Start a server command, wait until it answers on ``port``, stop it."""
    process = subprocess.Popen(
        ["bash", "-c", command],
        cwd=work,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert process.poll() is None, (process.stdout.read() if process.stdout else b"")[
                -2000:
            ]
            try:
                if httpx.get(f"http://127.0.0.1:{port}/", timeout=2).status_code < 500:
                    return
            except httpx.TransportError:
                time.sleep(0.3)
        raise AssertionError(f"{command} did not answer on port {port} within 60 s")
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
