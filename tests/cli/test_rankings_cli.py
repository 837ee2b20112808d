"""``airace rank``, ``matrix``, ``scenario`` and ``explain`` on a real store."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from airace.cli import app

runner = CliRunner()


def test_rank_json_ranks_real_countries_with_intervals(tmp_path: Path) -> None:
    db = str(tmp_path / "x.db")
    args = ["rank", "--db", db, "-f", "json", "--replications", "50", "--seed", "3"]
    done = runner.invoke(app, args)
    assert done.exit_code == 0, done.output
    ranking = json.loads(done.stdout)
    rows = ranking["rows"]
    assert len(rows) >= 30 and rows[0]["entity"] == "US"
    assert all(row["low_rank"] <= row["rank"] <= row["high_rank"] for row in rows[:5])
    again = runner.invoke(app, args)
    assert json.loads(again.stdout) == ranking  # seeded: the same intervals


def test_weights_and_per_capita_change_the_ranking(tmp_path: Path) -> None:
    db = str(tmp_path / "x.db")

    def order(*extra: str) -> list[str]:
        done = runner.invoke(app, ["rank", "--db", db, "-f", "json", "--no-uncertainty", *extra])
        assert done.exit_code == 0, done.output
        return [row["entity"] for row in json.loads(done.stdout)["rows"]]

    base = order()
    assert order("--weights", "government=20") != base
    assert order("--per-capita") != base
    bad = runner.invoke(app, ["rank", "--db", db, "--weights", "luck=2"])
    assert bad.exit_code == 2 and "unknown pillar 'luck'" in bad.output


def test_a_broken_methodology_file_is_named(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text("name: mine\n", encoding="utf-8")
    done = runner.invoke(app, ["rank", "--db", str(tmp_path / "x.db"), "--methodology", str(path)])
    assert done.exit_code == 2
    assert "mine.yaml" in done.output


def test_matrix_scenario_and_explain(tmp_path: Path) -> None:
    db = str(tmp_path / "x.db")
    matrix = runner.invoke(app, ["matrix", "--db", db, "-f", "json"])
    assert matrix.exit_code == 0, matrix.output
    archetypes = {row["entity"]: row["archetype"] for row in json.loads(matrix.stdout)}
    assert archetypes["US"] == "pioneers"
    assert len(set(archetypes.values())) >= 3

    scenario = runner.invoke(app, ["scenario", "--db", db, "VN.ai_papers *= 100", "-n", "200"])
    assert scenario.exit_code == 0, scenario.output
    [line] = [line for line in scenario.output.splitlines() if " VN " in line]
    assert "+" in line  # VN moved up
    wrong = runner.invoke(app, ["scenario", "--db", db, "VN.luck += 1"])
    assert wrong.exit_code == 2 and "unknown indicator 'luck'" in wrong.output

    explained = runner.invoke(app, ["explain", "--db", db, "Hàn Quốc"], env={"COLUMNS": "200"})
    assert explained.exit_code == 0, explained.output
    assert "South Korea (KR): rank" in explained.output
    assert "normalised" in explained.output and "top500_systems" in explained.output
    unknown = runner.invoke(app, ["explain", "--db", db, "Atlantis"])
    assert unknown.exit_code == 2 and "Atlantis" in unknown.output
