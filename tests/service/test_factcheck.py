"""Fact-checks of claimed ranks and scores against the published tables (bundled reference)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from airace.extract import extract_claims
from airace.model import Document
from airace.service.compare import reference_indices, reference_values
from airace.service.factcheck import (
    AGREES,
    DISAGREES,
    UNCHECKED,
    FactCheck,
    factcheck_documents,
    factcheck_files,
)


def checks(text: str, lang: str, published: date | None = date(2025, 1, 10)) -> list[FactCheck]:
    document = Document(
        origin="test", text=text, content_hash="x", language=lang, published=published
    )
    claims = extract_claims(text, lang, published=published)
    return factcheck_documents([(document, claims)])


def by_value(found: list[FactCheck]) -> dict[float, FactCheck]:
    return {check.value: check for check in found}


def test_a_vietnamese_readiness_rank_and_score_agree_and_a_regional_rank_is_unchecked() -> None:
    found = by_value(
        checks(
            "Việt Nam trên bản đồ AI\n\nTheo Chỉ số sẵn sàng AI của chính phủ 2023 do Oxford "
            "Insights công bố, Việt Nam đạt 54,48 điểm, đứng thứ 59/193 quốc gia và vùng lãnh "
            "thổ, xếp thứ 5 trong ASEAN.",
            "vi",
        )
    )
    assert found[54.48].verdict == AGREES and found[54.48].edition == "2023"
    assert found[59].verdict == AGREES and found[59].index == "gov_ai_readiness"
    assert found[5].verdict == UNCHECKED and "region" in found[5].reason


def test_an_english_rank_agrees_or_disagrees_with_the_official_figure() -> None:
    found = by_value(
        checks(
            "The AI race\n\nIndia was ranked 10th in the Global AI Index 2024 by Tortoise "
            "Media. Israel was ranked 7th in the Global AI Index in 2021.",
            "en",
        )
    )
    assert found[10].verdict == AGREES and found[10].edition == "2024"
    israel = found[7]
    official = reference_values(reference_indices()["tortoise_2021"])["IL"]
    assert israel.edition == "2021" and israel.official == official
    assert israel.verdict == (AGREES if official == 7 else DISAGREES)


def test_the_edition_defaults_to_the_articles_year_and_the_one_before() -> None:
    # no year written: an article of early 2024 may cite the 2023 table (Việt Nam 59th in 2023)
    found = checks(
        "Xếp hạng\n\nTheo Oxford Insights, Việt Nam đứng thứ 59 về mức độ sẵn sàng AI.",
        "vi",
        published=date(2024, 2, 1),
    )
    [rank] = [c for c in found if c.metric == "rank"]
    assert rank.verdict == AGREES and rank.edition == "2023"


def test_claims_without_a_known_index_or_edition_are_unchecked() -> None:
    found = checks(
        "Chips\n\nKorea ranked 3rd in chip exports.\n\nJapan was ranked 12th in the Global AI "
        "Index 2017.",
        "en",
    )
    reasons = {check.value: check.reason for check in found if check.verdict == UNCHECKED}
    assert "no known index" in reasons[3]
    assert "edition" in reasons[12]


def test_a_pillar_rank_is_checked_against_the_pillars_table() -> None:
    found = by_value(
        checks("Talent\n\nIn the Global AI Index 2021, Singapore ranked 4th for talent.", "en")
    )
    check = found[4]
    assert check.pillar == "talent" and check.edition == "2021"
    assert check.official is not None and check.verdict in (AGREES, DISAGREES)


def test_files_are_checked_and_a_missing_one_is_reported(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text(
        "Xếp hạng\n\nHà Nội, 9/12/2024. Theo Chỉ số AI toàn cầu 2024, Hàn Quốc hiện xếp thứ 6.\n",
        encoding="utf-8",
    )
    found, errors = factcheck_files([str(article), str(tmp_path / "missing.txt")])
    assert [c.verdict for c in found if c.subject == "KR"] == [AGREES]
    assert len(errors) == 1 and "missing.txt" in str(errors[0])
