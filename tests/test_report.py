"""The HTML report: one self-contained file, escaped text, PNG charts, atomic writes, the CLI."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

from airace.cli import app
from airace.config import Settings
from airace.errors import AiraceError
from airace.index import Methodology
from airace.report import format_number, write_report
from airace.service.pipeline import ingest
from airace.service.rankings import rank_countries, resolve_methodology
from airace.store.repository import Store

runner = CliRunner()
PNG = b"\x89PNG\r\n\x1a\n"
ARTICLES = {
    "meta.txt": "London, 5 March 2024. Meta owns 350,000 H100 GPUs.\n",
    "kr-a.txt": "Seoul, 3/5/2024. Hàn Quốc hiện có 2.000 GPU H100.\n",
    "kr-b.txt": "Seoul, 9/5/2024. Hàn Quốc có khoảng 10.000 GPU.\n",
}
HOSTILE = "London, 5 March 2024. <script>alert(1)</script> Meta owns 350,000 H100 GPUs.\n"


@pytest.fixture(scope="module")
def methodology() -> Methodology:
    """The default methodology with fewer Monte Carlo replications, to keep tests quick."""
    default = resolve_methodology()
    return replace(default, uncertainty=replace(default.uncertainty, replications=50))


def write_articles(folder: Path, articles: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in articles.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def filled(tmp_path: Path, store: Store) -> Store:
    assert ingest([str(write_articles(tmp_path / "a", ARTICLES))], store, Settings()).ok
    return store


def test_the_report_is_one_self_contained_file(
    tmp_path: Path, filled: Store, methodology: Methodology
) -> None:
    out = tmp_path / "report.html"
    summary = write_report(filled, methodology, out)
    html = out.read_text(encoding="utf-8")
    assert summary.path == out and summary.size == len(html.encode())
    assert re.findall(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", html) == []
    assert "<script" not in html and "<link" not in html and "@import" not in html
    assert html.count("<svg") == len(summary.charts) == 4
    top = rank_countries(filled, methodology, uncertainty=False).rows[0]
    assert top.name in html and f'id="country-{top.entity}"' in html
    assert 'xlink:href="#country-' in html  # the chart marks link within the page


def test_the_report_quotes_the_figures_and_shows_conflicts(
    tmp_path: Path, filled: Store, methodology: Methodology
) -> None:
    summary = write_report(filled, methodology, tmp_path / "report.html")
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert summary.conflicts >= 1
    assert "Hàn Quốc hiện có 2.000 GPU" in html and "Hàn Quốc có khoảng 10.000 GPU" in html
    assert "Meta owns 350,000 H100" in html
    claim_links = set(re.findall(r'href="#(claim-\d+)"', html))
    assert claim_links and claim_links <= set(re.findall(r'id="(claim-\d+)"', html))
    assert "350,000" in html  # English number format


def test_markup_in_a_document_appears_as_text(
    tmp_path: Path, store: Store, methodology: Methodology
) -> None:
    folder = write_articles(tmp_path / "a", {"hostile.txt": HOSTILE})
    assert ingest([str(folder)], store, Settings()).ok
    [document] = store.list_documents()
    assert document.title and "<script>" in document.title  # the title is the raw first line
    write_report(store, methodology, tmp_path / "report.html")
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert" not in html and "<script" not in html


def test_charts_are_also_written_as_png(
    tmp_path: Path, filled: Store, methodology: Methodology
) -> None:
    summary = write_report(filled, methodology, tmp_path / "r.html", png_dir=tmp_path / "png")
    assert {path.name for path in summary.png} == {f"{name}.png" for name in summary.charts}
    assert sorted(p.name for p in (tmp_path / "png").iterdir()) == sorted(
        path.name for path in summary.png
    )
    for path in summary.png:
        assert path.read_bytes().startswith(PNG)


def test_the_vietnamese_report_has_vietnamese_headings_and_numbers(
    tmp_path: Path, filled: Store, methodology: Methodology
) -> None:
    write_report(filled, methodology, tmp_path / "vi.html", language="vi")
    html = (tmp_path / "vi.html").read_text(encoding="utf-8")
    assert 'lang="vi"' in html and "Xếp hạng các quốc gia" in html and "Số GPU nắm giữ" in html
    assert "350.000" in html and "350,000</td>" not in html
    assert "Ranking of countries" not in html


def test_vietnamese_numbers_swap_the_separators() -> None:
    assert format_number(1234.5, "vi", 1) == "1.234,5"
    assert format_number(1234.5, "en", 1) == "1,234.5"
    assert format_number(float("nan"), "en") == "–"


def test_a_failed_report_leaves_the_previous_one_whole(
    tmp_path: Path, filled: Store, methodology: Methodology, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "report.html"
    write_report(filled, methodology, out)
    before = out.read_bytes()

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("airace.report.os.replace", broken)
    with pytest.raises(AiraceError, match="No space left"):
        write_report(filled, methodology, out, language="vi")
    assert out.read_bytes() == before
    assert [path.name for path in tmp_path.iterdir() if path.name.startswith(".")] == []


def test_an_unknown_language_is_refused(
    tmp_path: Path, store: Store, methodology: Methodology
) -> None:
    with pytest.raises(AiraceError, match="language"):
        write_report(store, methodology, tmp_path / "r.html", language="fr")
    assert not (tmp_path / "r.html").exists()


def test_report_through_the_cli(tmp_path: Path) -> None:
    db = str(tmp_path / "cli.db")
    folder = write_articles(tmp_path / "a", ARTICLES)
    done = runner.invoke(app, ["ingest", "--db", db, str(folder), "-q"])
    assert done.exit_code == 0, done.output
    out, charts = tmp_path / "out" / "report.html", tmp_path / "charts"
    done = runner.invoke(
        app, ["report", "--db", db, "--out", str(out), "--png", str(charts), "--lang", "vi"]
    )
    assert done.exit_code == 0, done.output
    assert "report.html" in done.output
    assert "Xếp hạng các quốc gia" in out.read_text(encoding="utf-8")
    assert (charts / "ranking.png").read_bytes().startswith(PNG)
    refused = runner.invoke(app, ["report", "--db", db, "--out", str(out), "--lang", "fr"])
    assert refused.exit_code == 2 and "fr" in refused.output
