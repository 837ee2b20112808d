"""The dashboard in a real Chromium, against a real ``airace serve`` on a loopback port.

One server per module, on a fresh SQLite file, seeded over HTTP with a Vietnamese and an
English report and a document whose title and text are HTML injection attempts. Each test gets
a fresh browser context (no cookies, no sessionStorage). A screenshot of every page visited is
saved under ``$AIRACE_ARTIFACTS`` (default ``test-artifacts/browser/`` in the repository, which
git ignores).

Needs Debian's Chromium at /usr/bin/chromium (``.ci/run`` installs it): without it the module
is skipped, unless ``CI`` is set, where a missing browser is a failure.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TOKEN = "browser-test-token"
REPOSITORY = Path(__file__).resolve().parents[2]
# Read at import: the autouse settings fixture drops AIRACE_* variables before each test.
ARTIFACTS = Path(os.environ.get("AIRACE_ARTIFACTS") or REPOSITORY / "test-artifacts" / "browser")
# Seconds to wait for the server to answer, and for a chart (the Vega bundle is built at start).
START_TIMEOUT = 60.0
CHART_TIMEOUT_MS = 30_000

SCRIPT = "<script>alert(1)</script>"
IMAGE = "<img src=x onerror=alert(2)>"
DOCUMENTS = [
    {"text": "Seoul, 3/5/2024. Hàn Quốc hiện có 2.000 GPU H100.", "title": "KR", "language": "vi"},
    {"text": "Meta owns 350,000 H100 GPUs.", "title": "Meta's cluster", "language": "en"},
    {"text": f"{SCRIPT} {IMAGE} Japan has 5,000 GPUs.", "title": SCRIPT + IMAGE, "language": "en"},
]


def _missing_browser() -> str | None:
    """Return why the browser tests cannot run here, or None when they can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -e '.[dev]')"
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing (apt-get install chromium; .ci/run does it)"
    return None


_PROBLEM = _missing_browser()
if _PROBLEM is not None:
    if os.environ.get("CI"):
        raise RuntimeError(f"browser tests cannot run in CI: {_PROBLEM}")
    pytest.skip(_PROBLEM, allow_module_level=True)

from playwright.sync_api import Browser, Page, expect, sync_playwright  # noqa: E402


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Start ``airace serve`` on a fresh database, seed it over HTTP, and yield its base URL."""
    folder = tmp_path_factory.mktemp("browser-server")
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIRACE_")}
    env.update(AIRACE_TOKEN=TOKEN, PYTHONUNBUFFERED="1")
    log = (folder / "serve.log").open("w")
    command = [sys.executable, "-m", "airace", "serve", "--db", str(folder / "browser.db")]
    process = subprocess.Popen(
        [*command, "--host", "127.0.0.1", "--port", str(port)],
        cwd=folder,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_serving(base, process, folder / "serve.log")
        headers = {"Authorization": f"Bearer {TOKEN}"}
        for document in DOCUMENTS:
            stored = httpx.post(f"{base}/api/ingest", json=document, headers=headers, timeout=60)
            assert stored.status_code == 200, stored.text
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def _wait_until_serving(base: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"airace serve exited with {process.returncode}:\n{log.read_text()}")
        try:
            if httpx.get(f"{base}/api/documents?limit=1", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    pytest.fail(f"airace serve did not answer within {START_TIMEOUT:.0f} s:\n{log.read_text()}")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


class Dialogs:
    """Every JavaScript dialog (alert, confirm, prompt) a page opened, dismissed at once."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def __call__(self, dialog: Any) -> None:
        self.seen.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()


@pytest.fixture
def dialogs() -> Dialogs:
    return Dialogs()


@pytest.fixture
def page(browser: Browser, server: str, dialogs: Dialogs) -> Iterator[Page]:
    """A page in a fresh context (no cookies or sessionStorage) that fails on script errors."""
    context = browser.new_context(base_url=server, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    opened = context.new_page()
    errors: list[str] = []
    opened.on("dialog", dialogs)
    opened.on("pageerror", lambda error: errors.append(str(error)))
    yield opened
    context.close()
    assert errors == [], f"JavaScript errors on the page: {errors}"


def screenshot(page: Page, name: str) -> None:
    """Save a full-page screenshot as ``$AIRACE_ARTIFACTS/<name>.png``."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def chart_marks(page: Page, chart: str) -> int:
    """Wait until ``chart`` is drawn and return how many data marks its SVG holds."""
    page.wait_for_selector(f"{chart}[data-rendered='true'] svg", timeout=CHART_TIMEOUT_MS)
    return page.locator(f"{chart} svg g.role-mark path").count()


def ranked_entities(page: Page) -> list[str]:
    return page.locator("#ranking tbody tr[data-entity]").evaluate_all(
        "rows => rows.map(row => row.dataset.entity)"
    )


def claim_id(server: str, quote_start: str) -> int:
    """The id of the seeded claim whose quote starts with ``quote_start``."""
    claims = httpx.get(f"{server}/api/claims", params={"limit": 500}).json()["items"]
    return next(c["id"] for c in claims if c["quote"].startswith(quote_start))


def claim_status(server: str, claim: int) -> str:
    status: str = httpx.get(f"{server}/api/claims/{claim}").json()["claim"]["status"]
    return status


def test_overview_shows_the_ranking_and_draws_the_matrix(page: Page) -> None:
    page.goto("/")
    rows = page.locator("#ranking tbody tr[data-entity]")
    expect(rows.first).to_be_visible()
    assert rows.count() >= 10
    assert rows.first.locator("td").first.inner_text().strip() == "1"
    assert chart_marks(page, "#chart-matrix") >= rows.count()
    screenshot(page, "overview")


def test_a_country_link_leads_to_its_drawn_profile(page: Page) -> None:
    page.goto("/")
    link = page.locator("#ranking tbody tr[data-entity] a[href^='/countries/']").first
    entity = page.locator("#ranking tbody tr[data-entity]").first.get_attribute("data-entity")
    link.click()
    page.wait_for_url(re.compile(rf"/countries/{entity}\b"))
    assert chart_marks(page, "#chart-profile") > 0
    screenshot(page, "country")


def test_moving_weight_sliders_reranks_the_table(page: Page, server: str) -> None:
    page.goto("/")
    before = ranked_entities(page)
    page.fill("#weights input[type=range][data-pillar='government']", "3")
    page.fill("#weights input[type=range][data-pillar='infrastructure']", "0")  # floor 0.1
    page.wait_for_function(
        "() => { const w = document.querySelector('#ranking').dataset.weights || '';"
        " return w.includes('government=3') && w.includes('infrastructure=0.1'); }"
    )
    after = ranked_entities(page)
    weights = page.get_attribute("#ranking", "data-weights")
    assert sorted(after) == sorted(before)
    assert after != before
    asked = {"uncertainty": "false", "weights": weights}
    expected = httpx.get(f"{server}/api/rankings", params=asked).json()["rows"]
    assert after == [row["entity"] for row in expected]
    intervals = page.locator("#ranking tbody tr").first.locator("td").nth(-2).inner_text()
    assert re.fullmatch(r"\d+–\d+", intervals.strip())  # re-ranked with rank intervals
    screenshot(page, "overview-reweighted")


def test_rejecting_a_claim_with_the_token_stores_the_decision(page: Page, server: str) -> None:
    claim = claim_id(server, "Meta owns")
    page.goto("/claims")
    page.fill("#token", TOKEN)
    page.dispatch_event("#token", "change")
    page.click(f"button[data-review='reject'][data-claim='{claim}']")
    row = page.locator(f"tr[data-claim='{claim}']")
    expect(row).to_have_class(re.compile(r"\bstatus-rejected\b"))
    expect(row.locator(".status")).to_have_text("rejected")
    expect(row.locator(".message")).not_to_have_class(re.compile(r"\berror\b"))
    assert page.evaluate("sessionStorage.getItem('airace-token')") == TOKEN
    screenshot(page, "claims-rejected")
    assert claim_status(server, claim) == "rejected"


@pytest.mark.parametrize("token", ["", "not-the-token"], ids=["no-token", "wrong-token"])
def test_rejecting_without_the_right_token_shows_the_error_and_changes_nothing(
    page: Page, server: str, token: str
) -> None:
    claim = claim_id(server, "Hàn Quốc")
    page.goto("/claims")
    if token:
        page.fill("#token", token)
        page.dispatch_event("#token", "change")
    page.click(f"button[data-review='reject'][data-claim='{claim}']")
    row = page.locator(f"tr[data-claim='{claim}']")
    expect(row.locator(".message.error")).to_have_text("a valid bearer token is required")
    expect(row).not_to_have_class(re.compile(r"\bstatus-rejected\b"))
    expect(row.locator(".status")).to_have_text("auto")
    screenshot(page, f"claims-refused-{'wrong' if token else 'no'}-token")
    assert claim_status(server, claim) == "auto"


@pytest.mark.parametrize("where", ["document", "overview"])
def test_html_in_titles_and_text_shows_as_text_and_never_runs(
    page: Page, server: str, dialogs: Dialogs, where: str
) -> None:
    documents = httpx.get(f"{server}/api/documents", params={"limit": 500}).json()["items"]
    hostile = next(d["id"] for d in documents if d["title"].startswith(SCRIPT))
    page.goto(f"/documents/{hostile}" if where == "document" else "/")
    page.wait_for_load_state("load")
    if where == "document":
        expect(page.locator("h1")).to_have_text(f"{SCRIPT}{IMAGE}")
        expect(page.locator("#text")).to_contain_text(f"{SCRIPT} {IMAGE}")
        expect(page.locator("#text mark")).to_have_text("Japan has 5,000 GPUs")
    else:
        link = page.locator(f"a[href^='/documents/{hostile}?']")
        expect(link).to_have_text(f"{SCRIPT}{IMAGE}")
    injected = page.evaluate(
        "() => [...document.querySelectorAll('script')]"
        ".filter(s => s.textContent.includes('alert')).length"
        " + document.querySelectorAll('img[src=x], img[onerror]').length"
    )
    assert injected == 0
    page.wait_for_timeout(300)  # time for an injected onerror handler to have fired
    screenshot(page, f"xss-{where}")
    assert dialogs.seen == []


def test_the_language_switch_shows_the_vietnamese_interface(page: Page) -> None:
    page.goto("/")
    expect(page.locator("header nav")).to_contain_text("Overview")
    page.click("#language-switch")
    page.wait_for_url(re.compile(r"[?&]lang=vi\b"))
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.locator("header nav")).to_contain_text("Tổng quan")
    expect(page.locator("h1").first).to_have_text("Bảng xếp hạng")
    screenshot(page, "overview-vi")
    page.goto("/claims")  # the choice is remembered in a cookie
    expect(page.locator("html")).to_have_attribute("lang", "vi")


def test_the_compute_leaderboard_links_each_bar_to_its_evidence(page: Page) -> None:
    page.goto("/compute")
    assert chart_marks(page, "#chart-holders") > 0
    screenshot(page, "compute")
    page.locator("#chart-holders svg g.role-mark path").first.click()  # the largest holder
    page.wait_for_url(re.compile(r"/(countries|claims|documents)\b"))
    assert page.locator("h1").first.inner_text().strip()


def test_the_api_explorer_works_offline_and_pages_refuse_inline_scripts(
    page: Page, server: str
) -> None:
    page.goto("/docs")
    page.wait_for_selector(".opblock-tag", timeout=CHART_TIMEOUT_MS)
    assert page.locator(".opblock-tag").count() >= 3
    screenshot(page, "api-docs")
    policy = httpx.get(f"{server}/").headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("style-src")[0]
