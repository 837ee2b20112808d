"""The SQLite database opens in a real datasette with the metadata airace writes."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from typer.testing import CliRunner

from airace.cli import app
from airace.service.datasette import TABLES

SAMPLES = Path(__file__).resolve().parents[2] / "airace" / "samples" / "articles"


def test_datasette_serves_every_table_and_the_view_with_their_titles(tmp_path: Path) -> None:
    from datasette.app import Datasette

    runner = CliRunner()
    db = tmp_path / "airace.db"
    assert runner.invoke(app, ["ingest", "--db", str(db), str(SAMPLES)]).exit_code == 0
    metadata = tmp_path / "metadata.json"
    done = runner.invoke(app, ["export", "datasette", "--db", str(db), "--out", str(metadata)])
    assert done.exit_code == 0, done.output
    written = json.loads(metadata.read_text(encoding="utf-8"))
    assert set(written["databases"]["airace"]["tables"]) == set(TABLES)

    async def browse() -> tuple[dict[str, object], list[dict[str, object]], list[str]]:
        datasette = Datasette(files=[str(db)], metadata=written)
        tables = (await datasette.client.get("/airace.json")).json()
        rows = (
            await datasette.client.get(
                "/airace/claims_with_documents.json?_shape=array&metric=gpu_count"
            )
        ).json()
        page = (await datasette.client.get("/airace/claims_with_documents")).text
        return tables, rows, [page]

    tables, rows, [page] = asyncio.run(browse())
    names = {t["name"] for t in tables["tables"]} | {v["name"] for v in tables["views"]}
    assert {"documents", "claims", "claim_reviews", "claims_with_documents"} <= names
    assert rows and all(row["metric"] == "gpu_count" and row["document_title"] for row in rows)
    assert "Claims with their documents" in page
