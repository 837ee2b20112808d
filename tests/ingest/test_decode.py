"""Decoding bytes to text: byte-order marks, UTF-8, declared and guessed code pages, mojibake."""

from __future__ import annotations

import codecs
import unicodedata

import charset_normalizer
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from airace.errors import SourceError
from airace.ingest.decode import decode_bytes, is_probably_binary, repair_mojibake

# Made-up news sentences; long enough for a statistical guess of the code page.
VI_TEXT = (
    "Hà Nội, ngày 12 tháng 3: Tập đoàn công nghệ Việt công bố kế hoạch xây dựng trung tâm dữ "
    "liệu trí tuệ nhân tạo với hơn 4.000 bộ xử lý đồ họa. Đại diện doanh nghiệp cho biết việc "
    "đầu tư sẽ giúp rút ngắn khoảng cách với các nước dẫn đầu. Các chuyên gia nhận định thị "
    "trường nhân lực vẫn là điểm nghẽn lớn nhất, trong khi nguồn vốn ngoại ngày càng dồi dào. "
    "Người phát ngôn khẳng định dự án được khởi động trước cuối năm và sẽ mở cửa cho các viện "
    "nghiên cứu, trường đại học và những công ty khởi nghiệp muốn thử nghiệm mô hình ngôn ngữ."
)
EN_TEXT = (
    "The lab’s “frontier” model — trained on 20,000 accelerators — cost about €1.2 billion, "
    "according to people familiar with the matter. Analysts said the café-sized start-up now "
    "rivals its much larger competitors in Zürich and São Paulo."
)
FR_TEXT = (
    "Le président a annoncé un investissement de plusieurs milliards d'euros dans "
    "l'intelligence artificielle. Les centres de données seront construits près de Marseille, "
    "selon le ministère, et l'électricité viendra en priorité des énergies décarbonées."
)

RU_TEXT = "Компания объявила о новом центре обработки данных"


@pytest.fixture
def no_detection(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make charset detection fail the test, to prove that it was not needed."""

    def refuse(data: bytes) -> None:
        raise AssertionError("charset detection was used")

    monkeypatch.setattr(charset_normalizer, "from_bytes", refuse)


# Marks that Windows-1258 holds precomposed with their vowel (â, ă, ơ...); tone marks it writes
# as combining characters after the letter.
_SHAPE_MARKS = frozenset({"\u0302", "\u0306", "\u031b"})  # circumflex, breve, horn


def to_cp1258(text: str) -> bytes:
    """Encode Vietnamese as Windows-1258 does: base and shape mark precomposed, tones combining."""
    clusters: list[list[str]] = []
    for char in unicodedata.normalize("NFD", text):
        if unicodedata.combining(char) and clusters:
            clusters[-1].append(char)
        else:
            clusters.append([char])
    pieces = []
    for base, *marks in clusters:
        shapes = "".join(mark for mark in marks if mark in _SHAPE_MARKS)
        tones = "".join(mark for mark in marks if mark not in _SHAPE_MARKS)
        pieces.append(unicodedata.normalize("NFC", base + shapes) + tones)
    return "".join(pieces).encode("cp1258")


def damage(text: str, codec: str = "cp1252") -> str:
    """Return text as a program that read its UTF-8 bytes as codec shows it."""
    chars = []
    for byte in text.encode("utf-8"):
        try:
            chars.append(bytes([byte]).decode(codec))
        except UnicodeDecodeError:
            chars.append(chr(byte))  # bytes undefined in cp1252 come through as C1 controls
    return "".join(chars)


def test_utf8_text_decodes_unchanged() -> None:
    assert decode_bytes(VI_TEXT.encode("utf-8"), "a.txt") == VI_TEXT


def test_decomposed_utf8_is_returned_nfc() -> None:
    data = unicodedata.normalize("NFD", VI_TEXT).encode("utf-8")
    assert decode_bytes(data, "a.txt") == VI_TEXT


@pytest.mark.parametrize(
    ("bom", "codec"),
    [
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
    ],
)
def test_byte_order_mark_selects_the_encoding_and_is_dropped(bom: bytes, codec: str) -> None:
    assert decode_bytes(bom + VI_TEXT.encode(codec), "a.txt") == VI_TEXT


def test_windows_1258_vietnamese_decodes_equal_to_utf8() -> None:
    data = to_cp1258(VI_TEXT)
    assert b"\xcc" in data or b"\xec" in data  # tone marks really are combining in the test data
    assert decode_bytes(data, "old.txt") == VI_TEXT


@pytest.mark.parametrize("codec", ["cp1252", "latin-1"])
def test_western_code_page_text_decodes(codec: str) -> None:
    assert decode_bytes(FR_TEXT.encode(codec), "fr.txt") == FR_TEXT


def test_windows_1252_punctuation_is_not_read_as_an_exotic_code_page() -> None:
    assert decode_bytes(EN_TEXT.encode("cp1252"), "en.txt") == EN_TEXT


@pytest.mark.usefixtures("no_detection")
def test_declared_encoding_is_used_when_it_decodes() -> None:
    assert decode_bytes(RU_TEXT.encode("cp1251"), "ru.txt", declared="windows-1251") == RU_TEXT


@pytest.mark.usefixtures("no_detection")
def test_declared_charset_may_be_a_whole_content_type() -> None:
    data = RU_TEXT.encode("koi8-r")
    assert decode_bytes(data, "u", declared='text/html; charset="KOI8-R"') == RU_TEXT


def test_cyrillic_code_page_is_detected_without_declaration() -> None:
    assert decode_bytes((RU_TEXT + ". " + RU_TEXT).encode("cp1251"), "ru.txt") == (
        RU_TEXT + ". " + RU_TEXT
    )


@pytest.mark.usefixtures("no_detection")
def test_declared_latin1_is_read_as_windows_1252() -> None:
    data = "the “frontier” model".encode("cp1252")
    assert decode_bytes(data, "u", declared="ISO-8859-1") == "the “frontier” model"


@pytest.mark.usefixtures("no_detection")
def test_utf8_wins_over_a_wrong_declaration() -> None:
    assert decode_bytes(VI_TEXT.encode("utf-8"), "a.txt", declared="windows-1252") == VI_TEXT


@pytest.mark.parametrize(
    "declared", ["no-such-charset", "base64", "rot13", "", "utf-8;;", "x" * 200]
)
def test_bogus_declared_encoding_is_ignored(declared: str) -> None:
    assert decode_bytes(VI_TEXT.encode("utf-8"), "a.txt", declared=declared) == VI_TEXT
    assert decode_bytes(to_cp1258(VI_TEXT), "a.txt", declared=declared) == VI_TEXT


def test_declared_encoding_that_fails_to_decode_falls_back_to_detection() -> None:
    assert decode_bytes(to_cp1258(VI_TEXT), "a.txt", declared="utf-8") == VI_TEXT


@pytest.mark.usefixtures("no_detection")
def test_declared_utf16_without_byte_order_mark_decodes() -> None:
    data = EN_TEXT.encode("utf-16-le")
    assert decode_bytes(data, "a.txt", declared="utf-16-le") == EN_TEXT


def test_declared_utf16_is_ignored_for_bytes_without_nul() -> None:
    assert decode_bytes(VI_TEXT.encode("utf-8"), "a.txt", declared="utf-16") == VI_TEXT


@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n ", codecs.BOM_UTF8, "  \n".encode("utf-16")])
def test_empty_or_whitespace_input_is_an_empty_file_error(data: bytes) -> None:
    with pytest.raises(SourceError, match="empty file") as caught:
        decode_bytes(data, "blank.txt")
    assert caught.value.path == "blank.txt"


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj",
        b"header\x00\x01\x02\x03 text with a NUL",
        bytes([1, 2, 3, 4, 5, 6, 7, 8, 14, 15, 16]) * 20 + b"some letters",
    ],
)
def test_binary_input_is_a_binary_file_error(data: bytes) -> None:
    with pytest.raises(SourceError, match="binary file, not text") as caught:
        decode_bytes(data, "blob.bin")
    assert caught.value.path == "blob.bin"


def test_invalid_bytes_after_a_utf8_byte_order_mark_cannot_be_decoded() -> None:
    with pytest.raises(SourceError, match="cannot decode text") as caught:
        decode_bytes(codecs.BOM_UTF8 + b"ok \xff\xfe\xfd broken", "bad.txt")
    assert caught.value.path == "bad.txt"


def test_utf16_text_with_byte_order_mark_is_not_binary() -> None:
    assert not is_probably_binary(VI_TEXT.encode("utf-16"))
    assert not is_probably_binary(VI_TEXT.encode("utf-32"))


def test_utf16_text_without_byte_order_mark_looks_binary() -> None:
    assert is_probably_binary(VI_TEXT.encode("utf-16-le"))


@pytest.mark.parametrize("codec", ["utf-8", "cp1252"])
def test_text_with_tabs_and_form_feeds_is_not_binary(codec: str) -> None:
    assert not is_probably_binary(("col\tcol\r\n\f" + FR_TEXT).encode(codec))


def test_empty_bytes_are_not_binary() -> None:
    assert not is_probably_binary(b"")


def test_mojibake_of_vietnamese_is_repaired() -> None:
    assert repair_mojibake("H\u00c3\u00a0 N\u00e1\u00bb\u2122i") == "Hà Nội"
    assert repair_mojibake("\u00c4\u2018\u00e1\u00bb\u2122ng l\u00e1\u00bb\u00b1c") == "động lực"


def test_mojibake_of_typographic_quotes_is_repaired() -> None:
    assert repair_mojibake("\u00e2\u20ac\u0153AI\u00e2\u20ac\u009d race") == "“AI” race"


def test_mojibake_read_as_latin1_is_repaired() -> None:
    assert repair_mojibake(damage(VI_TEXT, "latin-1")) == VI_TEXT


def test_text_damaged_twice_is_repaired() -> None:
    assert repair_mojibake(damage(damage(VI_TEXT))) == VI_TEXT


def test_mojibake_inside_otherwise_correct_text_is_repaired() -> None:
    mixed = "Tiêu đề đúng — " + damage("nội dung bị lỗi mã hóa") + " — phần cuối ổn."
    assert repair_mojibake(mixed) == "Tiêu đề đúng — nội dung bị lỗi mã hóa — phần cuối ổn."


@pytest.mark.parametrize(
    "text",
    [
        "CAFÉ—the new lab",  # É + em dash are valid UTF-8 bytes (U+0257), but not mojibake
        "naïve café résumé in Zürich, £300 ± 5 °C",
        "THE DÉJÀ VU’S END",
        "Ã is a letter; so is Ä.",
        "Prix: 10 €, « très » cher",
    ],
)
def test_correct_text_with_latin1_letters_is_left_alone(text: str) -> None:
    assert repair_mojibake(text) == text


def test_capitals_next_to_punctuation_are_left_alone() -> None:
    # "Ã”" and "Ã–" are also the mojibake of "Ô" and "Ö"; alone, they are taken as written.
    assert repair_mojibake("HỌ ĐÃ” ra mắt, ĐÃ– rồi") == "HỌ ĐÃ” ra mắt, ĐÃ– rồi"


def test_capital_mojibake_is_repaired_next_to_unambiguous_mojibake() -> None:
    assert repair_mojibake(damage("CÔNG NGHỆ")) == "CÔNG NGHỆ"
    assert repair_mojibake(damage("ĐÔ")) == "ĐÔ"  # two pairs in one run are evidence enough


def test_short_text_damaged_twice_is_repaired() -> None:
    assert repair_mojibake(damage(damage("năm"))) == "năm"


def test_repair_never_produces_a_lone_control_character() -> None:
    # "Â’" is the byte pair C2 92, valid UTF-8 for the control U+0092, but no text means that.
    assert repair_mojibake("VÂ’s") == "VÂ’s"


def test_repair_that_trades_one_marker_pair_for_another_is_not_kept() -> None:
    # "Ãƒ" decodes to "Ã", which with the "©" after it is again a mojibake marker pair.
    assert repair_mojibake("xÃƒ©y") == "xÃƒ©y"


def test_repair_returns_the_same_object_when_nothing_is_damaged() -> None:
    assert repair_mojibake(VI_TEXT) is VI_TEXT


def test_decode_bytes_repairs_mojibake_saved_as_utf8() -> None:
    assert decode_bytes(damage(VI_TEXT).encode("utf-8"), "a.txt") == VI_TEXT


# Words for property tests: Vietnamese (with every tone and shape), English, names, numbers.
WORDS = [
    "Hà",
    "Nội",
    "đường",
    "Nguyễn",
    "Trãi",
    "ưu",
    "tiên",
    "những",
    "người",
    "được",
    "đào",
    "tạo",
    "chuyên",
    "sâu",
    "về",
    "trí",
    "tuệ",
    "nhân",
    "tạo",
    "các",
    "công",
    "ty",
    "Việt",
    "đã",
    "đầu",
    "tư",
    "mạnh",
    "hơn",
    "năm",
    "ngoái",
    "thậm",
    "chí",
    "gấp",
    "đôi",
    "quỹ",
    "khởi",
    "nghiệp",
    "ở",
    "Đà",
    "Nẵng",
    "Huế",
    "Cần",
    "Thơ",
    "chữ",
    "số",
    "ý",
    "kiến",
    "ổn",
    "định",
    "hỗ",
    "trợ",
    "lỗi",
    "ẩn",
    "giấu",
    "thuở",
    "ấy",
    "tuổi",
    "trẻ",
    "khuyến",
    "khích",
    "quyết",
    "định",
    "nghĩa",
    "vụ",
    "bão",
    "lũ",
    "mãi",
    "mãi",
    "ngã",
    "rẽ",
    "the",
    "company’s",
    "frontier",
    "model",
    "naïve",
    "café",
    "résumé",
    "Zürich",
    "São",
    "Paulo",
    "OpenAI",
    "Google",
    "DeepMind",
    "Nvidia",
    "H100",
    "GPU",
    "120.000",
    "2,5",
    "tỷ",
    "USD",
    "2023",
]
SEPARATORS = (" ", " ", " ", ", ", ". ", " – ", " — ", ": ", "; ", "\n", " “", "” ", "… ")

vietnamese_english = st.lists(
    st.tuples(st.sampled_from(WORDS), st.sampled_from(SEPARATORS)), min_size=1, max_size=40
).map(lambda pairs: "".join(word + separator for word, separator in pairs))


@given(vietnamese_english)
@settings(max_examples=300, deadline=None)
def test_correct_vietnamese_and_english_text_comes_back_unchanged(text: str) -> None:
    assert repair_mojibake(text) == text


@given(vietnamese_english, st.sampled_from(["cp1252", "latin-1"]))
@settings(max_examples=300, deadline=None)
def test_repair_of_text_damaged_by_a_code_page_round_trip_gives_the_original(
    text: str, codec: str
) -> None:
    assert repair_mojibake(damage(text, codec)) == text


@given(st.text(max_size=200))
@settings(max_examples=300, deadline=None)
def test_repair_never_fails_on_arbitrary_text(text: str) -> None:
    repaired = repair_mojibake(text)
    assert isinstance(repaired, str)
    assert repair_mojibake(text) == repaired  # deterministic


@given(st.binary(max_size=300))
@settings(max_examples=300, deadline=None)
def test_decode_bytes_returns_nfc_text_or_raises_source_error(data: bytes) -> None:
    try:
        text = decode_bytes(data, "fuzz.bin")
    except SourceError as error:
        assert error.path == "fuzz.bin"
    else:
        assert text.strip()
        assert unicodedata.is_normalized("NFC", text)
