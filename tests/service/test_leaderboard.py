"""The GPU leaderboard: holders from reconciled observations, chip models from the claims."""

from __future__ import annotations

from pathlib import Path

from airace.config import Settings
from airace.model import Review, ReviewStatus
from airace.service.leaderboard import gpu_leaderboard
from airace.service.pipeline import ingest
from airace.store.repository import Store

ENGLISH = "London, 5 March 2024. In 2024, Meta owns 350,000 H100 GPUs.\n"
VIETNAMESE = (
    "Hà Nội, 2/1/2025. Năm 2025, Tập đoàn FPT sở hữu 4.000 GPU H100 của Nvidia. "
    "Năm 2025, Việt Nam hiện có 50.000 GPU.\n"
)


def ingest_texts(tmp_path: Path, store: Store, **texts: str) -> None:
    folder = tmp_path / "articles"
    folder.mkdir(exist_ok=True)
    for name, text in texts.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    assert ingest([str(folder)], store, Settings()).failed == 0


def claim_id(store: Store, subject: str, value: float) -> int:
    [found] = [c.id for c in store.list_claims() if c.subject == subject and c.value == value]
    assert found is not None
    return found


def test_organisations_and_countries_are_ranked_by_gpus_held(tmp_path: Path, store: Store) -> None:
    ingest_texts(tmp_path, store, en=ENGLISH, vi=VIETNAMESE)
    board = gpu_leaderboard(store)
    rows = {row.entity: row for row in board.rows}
    assert {"Meta", "FPT", "VN"} <= set(rows)
    assert [row.value for row in board.rows] == sorted((r.value for r in board.rows), reverse=True)
    meta, fpt, vietnam = rows["Meta"], rows["FPT"], rows["VN"]
    assert (meta.kind, meta.home, meta.value, meta.period) == (
        "organisation",
        "US",
        350_000,
        "2024",
    )
    assert meta.claim_ids == (claim_id(store, "Meta", 350_000),) and meta.documents == 1
    assert (fpt.kind, fpt.home, fpt.value) == ("organisation", "VN", 4_000)
    assert (vietnam.kind, vietnam.home, vietnam.name, vietnam.value) == (
        "country", None, "Vietnam", 50_000,
    )  # fmt: skip
    assert not meta.conflict and not vietnam.rollup
    # the United States report no figure of their own: their total is Meta's
    assert rows["US"].rollup and rows["US"].value == 350_000 and rows["US"].kind == "country"


def test_chip_models_come_from_the_claims(tmp_path: Path, store: Store) -> None:
    ingest_texts(tmp_path, store, en=ENGLISH, vi=VIETNAMESE)
    chips = gpu_leaderboard(store).by_chip
    assert [(row.chip, row.entity, row.value) for row in chips] == [
        ("H100", "Meta", 350_000),
        ("H100", "FPT", 4_000),
    ]  # Vietnam's 50,000 GPUs name no chip
    assert chips[0].claim_id == claim_id(store, "Meta", 350_000)
    assert "350,000 H100" in chips[0].quote


def test_disagreeing_reports_show_their_spread(tmp_path: Path, store: Store) -> None:
    ingest_texts(
        tmp_path, store, en=ENGLISH, vi2="Seoul, 9/5/2024. Năm 2024, Meta có khoảng 600.000 GPU.\n"
    )
    [meta] = [row for row in gpu_leaderboard(store).rows if row.entity == "Meta"]
    assert meta.conflict and (meta.low, meta.high) == (350_000, 600_000)
    assert meta.documents == 2 and len(meta.claim_ids) == 2


def test_each_holder_shows_its_latest_period(tmp_path: Path, store: Store) -> None:
    ingest_texts(
        tmp_path,
        store,
        vi=VIETNAMESE,
        old="Hà Nội, 3/6/2023. Năm 2023, Việt Nam hiện có 9.000 GPU.\n",
    )
    [vietnam] = [row for row in gpu_leaderboard(store).rows if row.entity == "VN"]
    assert (vietnam.period, vietnam.value) == ("2025", 50_000)


def test_a_rejected_claim_leaves_the_leaderboard_and_the_chips(
    tmp_path: Path, store: Store
) -> None:
    ingest_texts(tmp_path, store, en=ENGLISH, vi=VIETNAMESE)
    store.add_review(Review(claim_id(store, "Meta", 350_000), ReviewStatus.REJECTED))
    board = gpu_leaderboard(store)
    assert "Meta" not in {row.entity for row in board.rows}
    assert [row.entity for row in board.by_chip] == ["FPT"]


def test_a_corrected_claim_counts_as_corrected(tmp_path: Path, store: Store) -> None:
    ingest_texts(tmp_path, store, en=ENGLISH)
    store.add_review(
        Review(claim_id(store, "Meta", 350_000), ReviewStatus.CORRECTED, value=340_000)
    )
    board = gpu_leaderboard(store)
    assert [row.value for row in board.rows if row.entity == "Meta"] == [340_000]
    assert [row.value for row in board.by_chip] == [340_000]


def test_an_empty_store_has_an_empty_leaderboard(store: Store) -> None:
    board = gpu_leaderboard(store)
    assert board.rows == () and board.by_chip == () and board.unit == "GPU"
