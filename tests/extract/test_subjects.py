"""Subject choice as a scored choice: role cues overrule nearness, and only where words say so."""

from __future__ import annotations

from pathlib import Path

import pytest

from airace.errors import LexiconError
from airace.extract import extract_claims
from airace.extract.entities import Mention
from airace.extract.roles import load_roles, subject_weights
from airace.extract.subjects import Candidate, best_candidate


def subjects(text: str, lang: str) -> list[tuple[str, float]]:
    return [(c.subject, c.value) for c in extract_claims(text, lang)]


@pytest.mark.parametrize(
    ("text", "lang", "owner"),
    [
        ("AMD will ship 40,000 accelerators to Japan next year.", "en", "JP"),
        ("Nvidia sold 30,000 H20 chips to ByteDance in the quarter.", "en", "ByteDance"),
        ("Nvidia công bố sẽ cung cấp hơn 260.000 GPU thế hệ Blackwell cho Hàn Quốc.", "vi", "KR"),
        ("AMD sẽ cung cấp 40.000 bộ tăng tốc cho Nhật Bản.", "vi", "JP"),
    ],
)
def test_a_supplied_count_is_the_buyers(text: str, lang: str, owner: str) -> None:
    assert [s for s, _ in subjects(text, lang)] == [owner]


@pytest.mark.parametrize(
    ("text", "lang", "owner"),
    [
        ("Nvidia has 40,000 GPUs in its own clusters for Japan.", "en", "Nvidia"),
        ("Nvidia sở hữu 40.000 GPU cho Nhật Bản.", "vi", "Nvidia"),
    ],
)
def test_without_a_supply_verb_a_recipient_word_changes_nothing(
    text: str, lang: str, owner: str
) -> None:
    assert [s for s, _ in subjects(text, lang)] == [owner]


def test_an_investor_leading_a_round_does_not_own_the_round() -> None:
    text = "Sequoia dẫn đầu vòng gọi vốn 600 triệu USD vào OpenAI."
    assert subjects(text, "vi") == [("OpenAI", 6e8)]
    assert subjects("Thrive Capital led the $6.6 billion round in OpenAI.", "en") == [
        ("OpenAI", 6.6e9)
    ]


def test_leading_a_ranking_is_not_investing() -> None:
    assert subjects("Amazon dẫn đầu với 9.265 visa H-1B.", "vi") == [("Amazon", 9265)]


def test_a_chip_maker_after_the_counting_word_names_the_chips_not_the_owner() -> None:
    assert subjects("Hệ thống gồm 8.192 chip Nvidia H100.", "vi") == []
    assert subjects("Viettel mua 8.192 chip Nvidia H100.", "vi") == [("Viettel", 8192)]


def mention(name: str, start: int) -> Mention:
    return Mention(start, start + len(name), name, name)


def test_the_best_score_wins_and_a_tie_goes_to_the_nearer() -> None:
    weights = {**subject_weights(), "item": 30.0, "nearest": 5.0, "distance": 0.01}
    far, near = mention("A", 0), mention("B", 10)
    found = [Candidate(far, frozenset({"item"}), 40), Candidate(near, frozenset({"item"}), 20)]
    assert best_candidate(found, weights) == near
    found.append(Candidate(far, frozenset({"item", "nearest"}), 40))
    assert best_candidate(found, weights) == far


def test_no_subject_when_the_best_scores_below_the_minimum() -> None:
    weights = subject_weights()
    brand = Candidate(mention("Nvidia", 0), frozenset({"after", "brand"}), 1)
    assert best_candidate([brand], weights) is None
    assert best_candidate([], weights) is None


def test_weights_file_must_name_every_cue(tmp_path: Path) -> None:
    path = tmp_path / "weights.yaml"
    path.write_text("weights: {item: 1}\n")
    with pytest.raises(LexiconError, match="missing key"):
        subject_weights(path)
    path.write_text("weights: {" + ", ".join(f"{c}: 1" for c in subject_weights()) + ", x: 1}\n")
    with pytest.raises(LexiconError, match="unknown key"):
        subject_weights(path)


def test_every_language_has_role_words() -> None:
    for lang in ("en", "vi"):
        roles = load_roles(lang)
        found = roles.words.match_at("ship" if lang == "en" else "cung cấp", 0)
        assert found is not None and found.key == "supply"


def test_a_figure_in_a_paragraph_naming_nobody_belongs_to_the_headlines_subject() -> None:
    assert subjects("Nvidia báo doanh thu kỷ lục\n\nDoanh thu quý đạt 57 tỷ USD.", "vi") == [
        ("Nvidia", 57e9)
    ]
    text = "Nvidia reports record results\n\nQuarterly revenue reached $57 billion."
    assert subjects(text, "en") == [("Nvidia", 57e9)]


def test_a_headline_naming_several_entities_gives_no_subject() -> None:
    text = "Nvidia and AMD report results\n\nQuarterly revenue reached $57 billion."
    assert subjects(text, "en") == []


def test_the_one_entity_a_paragraph_names_later_owns_its_earlier_figures() -> None:
    text = (
        "Việt Nam đặt mục tiêu lớn\n\nNăm 2023, khoảng 65% người nhận visa H-1B làm việc trong"
        " lĩnh vực AI. Điều này cho thấy Mỹ đang thu hút nhân tài."
    )
    assert subjects(text, "vi") == [("US", 65)]


def test_a_paragraph_naming_several_entities_does_not_fall_back_to_the_headline() -> None:
    text = (
        "Việt Nam đặt mục tiêu lớn\n\nNăm 2023, khoảng 65% người nhận visa H-1B làm việc trong"
        " lĩnh vực AI. Điều này cho thấy Mỹ và Canada đang thu hút nhân tài."
    )
    assert subjects(text, "vi") == []


def test_every_member_of_a_list_of_investors_is_an_investor() -> None:
    text = (
        "Anthropic raised $13 billion in a round led by ICONIQ, with Fidelity and Lightspeed"
        " co-leading, at a $183 billion post-money valuation."
    )
    assert subjects(text, "en") == [("Anthropic", 13e9), ("Anthropic", 183e9)]
    text = "OpenAI được định giá 300 tỷ USD; SoftBank và Thrive Capital dẫn đầu vòng gọi vốn."
    assert subjects(text, "vi") == [("OpenAI", 300e9)]


def test_the_world_after_an_organisation_qualifies_it_only_through_a_possessive() -> None:
    assert subjects("IDC expects worldwide AI spending to reach $632 billion in 2028.", "en") == [
        ("WORLD", 632e9)
    ]
    assert subjects("Nvidia's global revenue reached $130 billion in 2024.", "en") == [
        ("Nvidia", 130e9)
    ]


def test_a_place_after_a_possessive_qualifies_the_noun_after_it() -> None:
    assert subjects("Nvidia's China revenue fell to $2.8 billion.", "en") == [("Nvidia", 2.8e9)]
    assert subjects("China's AI spending reached $7.8 billion.", "en") == [("CN", 7.8e9)]
