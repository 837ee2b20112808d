"""Language detection: Vietnamese full of English names, English, other news languages."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lingua import LanguageDetector, LanguageDetectorBuilder

from airace.ingest import language
from airace.ingest.language import (
    MIN_LETTERS,
    NEWS_LANGUAGES,
    SAMPLE_LETTERS,
    TRIGRAM_ONLY_LETTERS,
    detect_language,
    supported_languages,
)

# Made-up sentences in the style of AI-race news.
VI_WITH_ENGLISH_NAMES = (
    "Theo khảo sát của Compute Census, Microsoft Azure vận hành 120.000 GPU B200, còn Oracle "
    "Cloud và CoreWeave mỗi bên có khoảng 45.000 chiếc, trong khi Mistral AI thuê thêm 8.000."
)
VI_PARAGRAPH = (
    "Chính phủ vừa phê duyệt chiến lược quốc gia về trí tuệ nhân tạo, trong đó ưu tiên đào tạo "
    "kỹ sư và xây dựng hạ tầng tính toán. Các doanh nghiệp trong nước được khuyến khích hợp tác "
    "với viện nghiên cứu để phát triển mô hình ngôn ngữ tiếng Việt."
)
EN_PARAGRAPH = (
    "The startup said on Tuesday that it had raised fresh funding to build a new data centre, "
    "as competition for chips and electricity intensifies among the largest technology groups."
)
OTHER_LANGUAGES = {
    "fr": "Le gouvernement a présenté mardi un plan pour développer l'intelligence artificielle.",
    "de": "Die Regierung hat am Dienstag einen Plan für künstliche Intelligenz vorgestellt.",
    "es": "El gobierno presentó el martes un plan para impulsar la inteligencia artificial.",
    "zh": "政府周二公布了一项发展人工智能的计划，将投资建设新的数据中心和培养工程师。",
    "ja": "政府は火曜日、人工知能を発展させるための新しい計画を発表しました。",
    "ko": "정부는 화요일 인공지능 산업을 육성하기 위한 새로운 계획을 발표했습니다.",
    "ru": "Правительство во вторник представило план развития искусственного интеллекта.",
}


@pytest.mark.parametrize(
    "text",
    [
        VI_WITH_ENGLISH_NAMES,
        "Nvidia Blackwell B200, AMD Instinct MI325X và Intel Gaudi 3 cạnh tranh gay gắt",
        "CEO Sam Altman của OpenAI nói rằng Stargate sẽ cần hàng triệu GPU",
    ],
)
def test_vietnamese_full_of_english_names_is_vietnamese(text: str) -> None:
    assert detect_language(text) == "vi"


def test_vietnamese_paragraph_is_vietnamese() -> None:
    assert detect_language(VI_PARAGRAPH) == "vi"


def test_english_paragraph_is_english() -> None:
    assert detect_language(EN_PARAGRAPH) == "en"


def test_english_with_vietnamese_place_names_is_english() -> None:
    text = "Officials in Hà Nội and Đà Nẵng said the new cluster would open to universities soon."
    assert detect_language(text) == "en"


@pytest.mark.parametrize(("code", "text"), sorted(OTHER_LANGUAGES.items()))
def test_other_news_languages_are_recognised(code: str, text: str) -> None:
    assert detect_language(text) == code


def test_decomposed_vietnamese_is_still_vietnamese() -> None:
    import unicodedata

    assert detect_language(unicodedata.normalize("NFD", VI_PARAGRAPH)) == "vi"


@pytest.mark.parametrize(
    "text", ["", "   ", "OK", "GPU H100", "120.000 / 8.000 = 15", "https://example.com/a/b/c"]
)
def test_text_with_too_few_letters_has_no_language(text: str) -> None:
    assert detect_language(text) is None


def test_addresses_do_not_count_as_letters() -> None:
    text = "xem https://example.org/tin-tuc/tri-tue-nhan-tao và lienhe@example.org"
    assert detect_language(text) is None


def test_only_the_head_of_a_long_text_is_examined() -> None:
    letters = sum(char.isalpha() for char in EN_PARAGRAPH)
    text = EN_PARAGRAPH * (SAMPLE_LETTERS // letters + 1) + VI_PARAGRAPH * 200
    assert detect_language(text) == "en"


def test_long_text_costs_about_the_same_as_a_sample() -> None:
    short = VI_PARAGRAPH * 10
    long = VI_PARAGRAPH * 1000
    detect_language(short)

    def cost(text: str) -> float:
        start = time.perf_counter()
        for _ in range(5):
            detect_language(text)
        return time.perf_counter() - start

    assert cost(long) < 5 * cost(short) + 0.05


def test_supported_languages_are_the_news_languages_lingua_knows() -> None:
    supported = supported_languages()
    assert supported[:2] == ("vi", "en")
    assert set(supported) <= set(NEWS_LANGUAGES)
    assert len(supported) >= 18


def test_detector_is_built_lazily_and_once(monkeypatch: pytest.MonkeyPatch) -> None:
    language._detector.cache_clear()
    built = []
    real_build = LanguageDetectorBuilder.build

    def counting_build(self: LanguageDetectorBuilder) -> LanguageDetector:
        built.append(1)
        return real_build(self)

    monkeypatch.setattr(LanguageDetectorBuilder, "build", counting_build)
    try:
        assert built == []
        detect_language(VI_PARAGRAPH)
        detect_language(EN_PARAGRAPH)
        assert built == [1]
        detect_language("Chính phủ công bố chiến lược")  # short: the full detector
        detect_language("Hội nghị thượng đỉnh về trí tuệ")
        assert built == [1, 1]
    finally:
        language._detector.cache_clear()


def first_letters(text: str, count: int) -> str:
    """Return the shortest prefix of text, repeated as needed, that holds count letters."""
    source = f"{text} " * (count // sum(char.isalpha() for char in text) + 1)
    seen = 0
    for index, char in enumerate(source):
        seen += char.isalpha()
        if seen == count:
            return source[: index + 1]
    raise AssertionError("not enough letters")


@pytest.mark.parametrize(
    "text", [VI_PARAGRAPH, EN_PARAGRAPH, VI_WITH_ENGLISH_NAMES, *OTHER_LANGUAGES.values()]
)
def test_low_accuracy_detector_agrees_from_the_trigram_only_length(text: str) -> None:
    sample = first_letters(text, TRIGRAM_ONLY_LETTERS)

    def confidences(low_accuracy: bool) -> list[tuple[str, float]]:
        detector = language._detector(low_accuracy=low_accuracy)
        values = detector.compute_language_confidence_values(sample)
        return [(value.language.name, round(value.value, 9)) for value in values]

    assert confidences(True) == confidences(False)


def test_a_phrase_below_the_letter_minimum_has_no_language_until_it_grows() -> None:
    phrase = "Trí tuệ nhân tạo"
    assert sum(char.isalpha() for char in phrase) < MIN_LETTERS
    assert detect_language(phrase) is None
    assert detect_language(f"{phrase} đang thay đổi cách doanh nghiệp làm việc") == "vi"


def test_importing_the_module_neither_imports_lingua_nor_builds_the_detector() -> None:
    code = (
        "import airace.ingest.language as language\n"
        "import sys\n"
        "assert language._detector.cache_info().currsize == 0\n"
        "assert 'lingua' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).parents[2])


@given(st.text(max_size=300))
@settings(max_examples=200, deadline=None)
def test_any_text_gives_a_supported_code_or_none(text: str) -> None:
    code = detect_language(text)
    assert code is None or code in NEWS_LANGUAGES
