"""What the CLI prints reads well: figures in human units, tables one line per row that fit
the terminal (80 columns here), whatever the quotes' length."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from airace.cli.render import amount


@pytest.mark.parametrize(
    ("value", "english", "vietnamese"),
    [
        (1.01e13, "10.1 trillion", "10,1 nghìn tỷ"),
        (7.26e9, "7.26 billion", "7,26 tỷ"),
        (1_234_567, "1.23 million", "1,23 triệu"),
        (350_000, "350,000", "350.000"),
        (2.99, "2.99", "2,99"),
    ],
)
def test_figures_print_in_human_units(value: float, english: str, vietnamese: str) -> None:
    assert (amount(value), amount(value, "vi")) == (english, vietnamese)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> str:
    db = str(tmp_path_factory.mktemp("fit") / "demo.db")
    subprocess.run([sys.executable, "-m", "airace", "demo", "--db", db], check=True,
                   capture_output=True)  # fmt: skip
    return db


@pytest.mark.parametrize(
    "command", [["claims"], ["claims", "--subject", "KR"], ["observations", "--entity", "KR"]]
)
def test_tables_fit_an_80_column_terminal(demo: str, command: list[str]) -> None:
    env = {**os.environ, "COLUMNS": "80"}
    done = subprocess.run(
        [sys.executable, "-m", "airace", *command, "--db", demo],
        capture_output=True, text=True, env=env, check=True,
    )  # fmt: skip
    lines = done.stdout.splitlines()
    assert len(lines) > 3
    assert max(len(line) for line in lines) <= 80
    assert "e+" not in done.stdout  # no 1.01e+13
    if command[0] == "claims":
        rows = lines[1:]
        assert all(row.split()[0].isdigit() for row in rows)  # one line per claim, id first
