"""Phrase sets: case-insensitive matching on lower-cased text keeps the original's offsets."""

from __future__ import annotations

from airace.extract.scan import PhraseSet


def spans(phrases: PhraseSet, text: str) -> list[tuple[int, int, str, str]]:
    return [(m.start, m.end, m.key, m.text) for m in phrases.finditer(text)]


def test_matching_ignores_case_and_reports_the_text_as_written() -> None:
    phrases = PhraseSet({"rank": ["xếp hạng"], "money": ["Đầu tư"]})
    text = "XẾP HẠNG mới; đầu tư lớn"
    assert spans(phrases, text) == [(0, 8, "rank", "XẾP HẠNG"), (14, 20, "money", "đầu tư")]


def test_a_text_whose_lower_case_changes_length_still_matches_at_its_offsets() -> None:
    phrases = PhraseSet({"city": ["istanbul"]})
    text = "İzmir and Istanbul"  # "İ".lower() is two characters
    assert spans(phrases, text) == [(10, 18, "city", "Istanbul")]
    assert spans(phrases, "Istanbul") == [(0, 8, "city", "Istanbul")]


def test_case_sensitive_sets_match_only_as_written() -> None:
    phrases = PhraseSet({"org": ["AI"]}, case_sensitive=True)
    assert spans(phrases, "ai and AI") == [(7, 9, "org", "AI")]


def test_match_at_reads_only_at_the_position() -> None:
    phrases = PhraseSet({"rank": ["xếp hạng"]})
    found = phrases.match_at("Việt Nam Xếp hạng 5", 9)
    assert found is not None and (found.start, found.end, found.text) == (9, 17, "Xếp hạng")
    assert phrases.match_at("Việt Nam Xếp hạng 5", 8) is None


def test_a_phrase_starts_only_at_a_word_start_the_text_start_included() -> None:
    phrases = PhraseSet({"money": ["soft", "đầu tư"], "unit": ["%"]})
    assert spans(phrases, "soft Microsoft tái đầu tư 5%") == [
        (0, 4, "money", "soft"),
        (19, 25, "money", "đầu tư"),
        (27, 28, "unit", "%"),
    ]
    assert spans(phrases, "Microsofts") == []
