"""HTTP throughput and latency of the REST API, through a real ``airace serve``.

Seeds a temporary SQLite database with the bundled samples (``airace demo``), starts
``airace serve`` on a free loopback port (``--workers`` processes), requests ``/api/rankings`` and
``/api/claims`` once so that the first, uncached ranking is not timed, then sends each endpoint
``--requests`` GETs from ``--concurrency`` concurrent connections (asyncio and httpx, keep-alive)
and prints requests, requests/s, p50 and p99 latency in milliseconds and the non-2xx count.

The load generator runs on the same machine as the server and takes a share of its CPUs, so the
figures are a floor; the target is at least 500 requests/s with p99 under 100 ms for cached
``/api/rankings`` on a 2-core machine.

An alternative load generator, where ``wrk`` is installed (start the server as the script does,
e.g. ``airace demo --db bench.db`` then ``airace serve --db bench.db --port 8765``)::

    wrk --threads 2 --connections 16 --duration 10s --latency \
        'http://127.0.0.1:8765/api/rankings'

When ``wrk`` is installed the script also loads ``/api/rankings`` and ``/api/claims`` with it:
the Python generator shares the two cores with the server and measures a floor, wrk (in C)
measures the server.

Usage: python benchmarks/api.py [--requests 2000] [--concurrency 16] [--workers 1]
                               [--wrk-seconds 10] [--endpoint PATH ...]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

ENDPOINTS = (
    "/api/rankings",
    "/api/rankings?uncertainty=false&weights=infrastructure%3D1%2Cgovernment%3D3",
    "/api/claims",
    "/api/claims?entity=KR&limit=20",
    "/api/documents",
    "/api/entities",
    "/api/matrix",
    "/api/conflicts",
)
WARM = ("/api/rankings", "/api/claims")
# Seconds to wait for the server to answer after it starts.
START_TIMEOUT = 60.0


@dataclass(frozen=True, slots=True)
class LoadResult:
    """What one endpoint's load run measured."""

    path: str
    requests: int
    seconds: float
    latencies_ms: tuple[float, ...]
    failures: int

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds

    def percentile(self, share: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def free_port() -> int:
    """Return a loopback port that was free a moment ago."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def airace(*arguments: str) -> list[str]:
    """The command line that runs ``airace`` with this interpreter."""
    return [sys.executable, "-m", "airace", *arguments]


def seed(db: Path) -> None:
    """Ingest the bundled samples into ``db``."""
    subprocess.run(airace("demo", "--db", str(db)), check=True, capture_output=True)


def start_server(db: Path, port: int, workers: int, log: Path) -> subprocess.Popen[bytes]:
    """Start ``airace serve`` and return once it answers."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIRACE_")}
    command = airace("serve", "--db", str(db), "--host", "127.0.0.1", "--port", str(port))
    with log.open("wb") as output:
        process = subprocess.Popen(
            [*command, "--workers", str(workers)], env=env, stdout=output, stderr=output
        )
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"airace serve exited with {process.returncode}:\n{log.read_text()}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/documents?limit=1").status_code == 200:
                return process
        except httpx.TransportError:
            time.sleep(0.2)
    process.terminate()
    raise SystemExit(f"airace serve did not answer in {START_TIMEOUT:.0f} s:\n{log.read_text()}")


def wrk(base: str, path: str, concurrency: int, seconds: int) -> str:
    """Load ``path`` with wrk (a C load generator that leaves the server most of the CPU) and
    return its requests/s, p50 and p99 as one line."""
    command = ["wrk", "--threads", "2", "--connections", str(concurrency), "--duration",
               f"{seconds}s", "--latency", base + path]  # fmt: skip
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    p50 = re.search(r"^\s+50%\s+(\S+)", output, re.M)
    p99 = re.search(r"^\s+99%\s+(\S+)", output, re.M)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if rate is None or p50 is None or p99 is None:
        return f"{path}: could not read wrk's output:\n{output}"
    return (
        f"{path:<40} {float(rate.group(1)):>8.0f} req/s  p50 {p50.group(1):>8}"
        f"  p99 {p99.group(1):>8}  non-2xx {errors.group(1) if errors else 0}"
    )


async def load(base: str, path: str, requests: int, concurrency: int) -> LoadResult:
    """Send ``requests`` GETs of ``path`` over ``concurrency`` connections and time each."""
    latencies: list[float] = []
    failures = 0
    remaining = requests
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)

    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:

        async def worker() -> None:
            nonlocal remaining, failures
            while remaining > 0:
                remaining -= 1
                started = time.perf_counter()
                try:
                    response = await client.get(path)
                    await response.aread()
                    ok = 200 <= response.status_code < 300
                except httpx.HTTPError:
                    ok = False
                latencies.append((time.perf_counter() - started) * 1000)
                failures += not ok

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        seconds = time.perf_counter() - started
    return LoadResult(path, len(latencies), seconds, tuple(latencies), failures)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000, help="requests per endpoint")
    parser.add_argument("--concurrency", type=int, default=16, help="concurrent connections")
    parser.add_argument("--workers", type=int, default=1, help="airace serve --workers")
    parser.add_argument("--endpoint", action="append", help="path to load (repeatable)")
    parser.add_argument(
        "--wrk-seconds", type=int, default=10, help="duration of each wrk run (0: no wrk)"
    )
    options = parser.parse_args()
    endpoints = options.endpoint or list(ENDPOINTS)

    with tempfile.TemporaryDirectory(prefix="airace-bench-api-") as folder:
        db = Path(folder) / "bench.db"
        began = time.perf_counter()
        seed(db)
        print(f"seeded {db.name} with the bundled samples in {time.perf_counter() - began:.1f} s")
        port = free_port()
        server = start_server(db, port, options.workers, Path(folder) / "serve.log")
        base = f"http://127.0.0.1:{port}"
        try:
            for path in WARM:
                began = time.perf_counter()
                httpx.get(base + path, timeout=120).raise_for_status()
                print(f"warm {path}: {(time.perf_counter() - began) * 1000:.0f} ms")
            print(
                f"\n{options.requests} requests per endpoint, concurrency "
                f"{options.concurrency}, {options.workers} worker(s), {os.cpu_count()} CPUs\n"
            )
            print(f"{'endpoint':<76} {'requests':>8} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8}"
                  f" {'non-2xx':>8}")  # fmt: skip
            for path in endpoints:
                result = asyncio.run(load(base, path, options.requests, options.concurrency))
                print(
                    f"{path:<76} {result.requests:>8} {result.per_second:>8.0f}"
                    f" {result.percentile(0.50):>8.1f} {result.percentile(0.99):>8.1f}"
                    f" {result.failures:>8}"
                )
            if options.wrk_seconds and shutil.which("wrk"):
                print(f"\nwrk, {options.concurrency} connections, {options.wrk_seconds} s each:")
                for path in WARM:
                    print(wrk(base, path, options.concurrency, options.wrk_seconds))
            elif options.wrk_seconds:
                print("\nwrk is not installed (Debian package wrk): Python load generator only")
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


if __name__ == "__main__":
    main()
