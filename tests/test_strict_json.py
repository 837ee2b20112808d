"""Every JSON the CLI and the API write parses with a strict parser: no NaN, no Infinity.

Python's ``json`` reads NaN by default, so these tests parse with ``parse_constant`` refusing
them, as JavaScript's ``JSON.parse`` and most other languages' parsers do.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from airace.cli import app
from airace.config import Settings
from airace.jsondata import dumps
from airace.server import create_app

SAMPLES = Path(__file__).resolve().parent.parent / "airace" / "samples" / "articles"
runner = CliRunner()


def strict(text: str) -> Any:
    def refuse(constant: str) -> None:
        raise ValueError(f"not JSON: {constant}")

    return json.loads(text, parse_constant=refuse)


def test_dumps_writes_null_for_numbers_that_do_not_exist() -> None:
    data = {"score": float("nan"), "high": float("inf"), "rows": [1.5, float("-inf")]}
    assert strict(dumps(data)) == {"score": None, "high": None, "rows": [1.5, None]}
    with pytest.raises(ValueError, match="NaN"):
        strict(json.dumps({"score": float("nan")}))  # the check itself can fail


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = str(tmp_path_factory.mktemp("strict") / "x.db")
    done = runner.invoke(app, ["ingest", "--db", path, str(SAMPLES)])
    assert done.exit_code == 0, done.output
    return path


@pytest.mark.parametrize(
    "args",
    [
        ["rank", "-f", "json", "--replications", "20"],
        ["rank", "-f", "json", "--no-uncertainty", "--per-capita"],
        ["matrix", "-f", "json"],
        ["compare", "-f", "json"],
        ["history", "KR", "-f", "json"],
        ["rank", "-f", "json", "--no-uncertainty", "--year", "2019"],
        ["factcheck", "--all", "-f", "json"],
    ],
)
def test_cli_json_outputs_are_strict(db: str, args: list[str]) -> None:
    done = runner.invoke(app, [*args, "--db", db])
    assert done.exit_code == 0, done.output
    data = strict(done.stdout)
    assert data


@pytest.mark.parametrize("args", [["claims", "-f", "jsonl"], ["observations", "-f", "jsonl"]])
def test_cli_jsonl_outputs_are_strict(db: str, args: list[str]) -> None:
    done = runner.invoke(app, [*args, "--db", db])
    assert done.exit_code == 0, done.output
    lines = done.stdout.splitlines()
    assert lines and all(strict(line) for line in lines)


def test_every_api_read_is_strict(db: str) -> None:
    with TestClient(create_app(Settings(db=db)), raise_server_exceptions=False) as client:
        schema = client.get("/openapi.json")
        assert schema.status_code == 200
        paths = strict(schema.text)["paths"]
        plain_reads = [p for p, ops in paths.items() if "get" in ops and "{" not in p]
        assert "/api/rankings" in plain_reads
        for path in plain_reads:
            response = client.get(path)
            if response.headers.get("content-type", "").startswith("application/json"):
                assert response.status_code == 200, (path, response.text)
                strict(response.text)
