"""Charts: Vega-Lite specs that render to SVG with marks, titles in the caller's language, and a
link from every mark to its evidence."""

from __future__ import annotations

import json
import math
import re
from typing import Any

import pytest

from airace.index import Methodology
from airace.model import Evidence, Observation
from airace.service.leaderboard import ChipRow, Leaderboard, LeaderboardRow
from airace.service.rankings import MatrixRow, RankedEntity, Ranking, resolve_methodology
from airace.web import charts

PILLARS = ("infrastructure", "talent")


def ranked(entity: str, rank: int, score: float, talent: float = 40.0) -> RankedEntity:
    return RankedEntity(
        entity=entity, name=f"Name of {entity}", rank=rank, score=score,
        pillars={"infrastructure": score, "talent": talent}, coverage=1.0,
        median_rank=float(rank), low_rank=float(rank), high_rank=float(rank + 2),
    )  # fmt: skip


@pytest.fixture
def ranking() -> Ranking:
    rows = (ranked("US", 1, 90.0), ranked("CN", 2, 70.0), ranked("VN", 3, 20.0))
    return Ranking(
        methodology="test", version="1", digest="abc", per_capita=False, pillars=PILLARS,
        pillar_weights={"infrastructure": 0.5, "talent": 0.5}, rows=rows, unranked=(),
    )  # fmt: skip


@pytest.fixture
def leaderboard() -> Leaderboard:
    rows = (
        LeaderboardRow("Meta", "Meta", "organisation", "US", 350_000, 350_000, 600_000, True,
                       "2024", (1, 4), 2),
        LeaderboardRow("VN", "Vietnam", "country", None, 50_000, 50_000, 50_000, False,
                       "2025", (3,), 1),
    )  # fmt: skip
    chips = (
        ChipRow("H100", "Meta", "Meta", 350_000, "2024", 1, "Meta owns 350,000 H100", 1),
        ChipRow("H200", "xAI", "xAI", 100_000, "2024", 5, "xAI has 100,000 H200", 2),
    )
    return Leaderboard("gpu_count", "GPU", rows, chips)


@pytest.fixture(scope="module")
def methodology() -> Methodology:
    return resolve_methodology()


def data(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """Every inline data row of a spec, layers included (Altair names inline datasets)."""
    found: list[dict[str, Any]] = []
    for part in [spec, *spec.get("layer", [])]:
        source = part.get("data", {})
        found.extend(source.get("values") or spec.get("datasets", {}).get(source.get("name"), []))
    return found


def links(svg: str) -> list[str]:
    return re.findall(r'xlink:href="([^"]*)"', svg)


def test_ranking_chart_links_each_bar_to_its_country_and_renders_bars(ranking: Ranking) -> None:
    spec = charts.ranking_chart(ranking, lambda row: f"/countries/{row.entity}")
    json.dumps(spec)  # JSON-serialisable as the dashboard embeds it
    assert {row["href"] for row in data(spec)} == {
        "/countries/US",
        "/countries/CN",
        "/countries/VN",
    }
    svg = charts.render_svg(spec)
    assert "<path" in svg and "role-mark" in svg
    assert sorted(links(svg)) == ["/countries/CN", "/countries/US", "/countries/VN"]
    assert "Index score" in svg and "Name of CN" in svg


def test_ranking_chart_lists_the_best_first_with_the_rank_interval(ranking: Ranking) -> None:
    shuffled = Ranking(**{**_fields(ranking), "rows": tuple(reversed(ranking.rows))})
    spec = charts.ranking_chart(shuffled, lambda row: "#")
    assert spec["encoding"]["y"]["sort"][0] == "Name of US"
    svg = charts.render_svg(spec)
    # the y axis draws its labels top to bottom: the best country at the top
    assert re.findall(r">(Name of \w+)<", svg) == ["Name of US", "Name of CN", "Name of VN"]
    assert {row["interval"] for row in data(spec)} == {"1–3", "2–4", "3–5"}


def test_axis_titles_come_from_the_labels_given(ranking: Ranking) -> None:
    svg = charts.render_svg(
        charts.ranking_chart(ranking, lambda r: "#", labels=charts.LABELS["vi"])
    )
    assert "Điểm chỉ số" in svg and "Quốc gia" in svg
    assert "Index score" not in svg


def test_matrix_chart_draws_points_coloured_by_tier(
    methodology: Methodology,
) -> None:
    rows = [
        MatrixRow("US", "United States", 90.0, 80.0, "pioneers", "AI pioneers", 1),
        MatrixRow("VN", "Vietnam", 20.0, 30.0, "emergents", "AI emergents", 9),
    ]
    spec = charts.matrix_chart(rows, methodology, lambda row: f"#country-{row.entity}")
    [points] = [layer for layer in spec["layer"] if layer["mark"]["type"] == "circle"]
    assert points["encoding"]["color"]["field"] == "archetype"
    svg = charts.render_svg(spec)
    assert "mark-symbol" in svg
    assert sorted(links(svg)) == ["#country-US", "#country-VN"]
    assert "AI pioneers" in svg and methodology.matrix.x_label in svg


def test_pillar_chart_leaves_out_pillars_without_a_score(ranking: Ranking) -> None:
    row = ranked("KR", 4, 55.0, talent=math.nan)
    spec = charts.pillar_chart(row, names={"infrastructure": "Hạ tầng"}, href=lambda p: f"#{p}")
    assert [v["pillar"] for v in data(spec)] == ["infrastructure"]
    assert spec["encoding"]["x"]["scale"]["domain"] == [0, 100]
    svg = charts.render_svg(spec)
    assert "Hạ tầng" in svg and "<path" in svg and links(svg) == ["#infrastructure"]


def test_history_chart_shows_a_conflict_as_a_low_high_rule() -> None:
    evidence = (Evidence(value=1.0, subject="KR", period="2024", claim_id=7, document_id=3),)
    observations = [
        Observation("KR", "gpu_count", "2023", 1_000, "GPU", evidence),
        Observation("KR", "gpu_count", "2024", 2_000, "GPU", evidence, conflict=True,
                    low=2_000, high=10_000),
    ]  # fmt: skip
    spec = charts.history_chart(observations, href=lambda o: f"#claim-{o.evidence[0].claim_id}")
    svg = charts.render_svg(spec)
    assert svg.count('class="mark-rule role-mark') == 1
    spread = re.search(r'class="mark-rule role-mark[^"]*".*?</g>', svg, re.S)
    assert spread and spread.group().count("<line") == 1  # only the conflicting period
    assert set(links(svg)) == {"#claim-7"}
    assert "2023" in svg and "2024" in svg


def test_leaderboard_chart_links_holders_and_formats_numbers_per_language(
    leaderboard: Leaderboard,
) -> None:
    spec = charts.leaderboard_chart(leaderboard, lambda row: f"#holder-{row.entity}")
    english, vietnamese = charts.render_svg(spec), charts.render_svg(spec, language="vi")
    assert "<path" in english
    assert "#holder-Meta" in links(english) and "#holder-VN" in links(english)
    assert "100,000" in english and "100.000" in vietnamese
    assert "GPUs held" in english


def test_chip_chart_links_each_claim(leaderboard: Leaderboard) -> None:
    spec = charts.chip_chart(leaderboard, lambda row: f"#claim-{row.claim_id}")
    assert {row["href"] for row in data(spec)} == {"#claim-1", "#claim-5"}
    svg = charts.render_svg(spec, language="vi")
    assert sorted(links(svg)) == ["#claim-1", "#claim-5"]
    assert "H100" in svg and "H200" in svg


def test_a_link_of_an_unsafe_scheme_is_dropped(ranking: Ranking) -> None:
    spec = charts.ranking_chart(ranking, lambda row: "javascript:alert(1)")
    assert {row["href"] for row in data(spec)} == {"#"}
    assert "javascript" not in charts.render_svg(spec)


def test_render_png_writes_a_png(leaderboard: Leaderboard) -> None:
    png = charts.render_png(charts.chip_chart(leaderboard, lambda row: "#"))
    assert png.startswith(b"\x89PNG\r\n\x1a\n")


def _fields(ranking: Ranking) -> dict[str, Any]:
    return {name: getattr(ranking, name) for name in Ranking.__dataclass_fields__}
