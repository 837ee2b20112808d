"""Tests of airace.ingest.clean: normal form, boilerplate removal and content hash.

Every page below is made up in the style of pasted forum and news pages: a title, a head of
bylines and widgets, the article, and a tail of attributions and site chrome.
"""

from __future__ import annotations

import subprocess
import sys
import time
import unicodedata
from importlib import resources

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from airace.errors import AiraceError
from airace.ingest.clean import (
    NORMALISER_VERSION,
    _parse_vocabulary,
    clean_text,
    content_hash,
    normalise_text,
    remove_boilerplate,
)

TITLE = "Cuộc đua hạ tầng AI tại châu Á tăng tốc trong năm nay"
P1 = (
    "Các phòng thí nghiệm AI ở châu Á đang mở rộng năng lực tính toán với tốc độ chưa từng "
    "thấy, theo một báo cáo công bố hôm thứ Hai."
)
P2 = (
    "Một hãng phân tích ước tính khu vực này sẽ lắp đặt thêm khoảng 40.000 bộ xử lý đồ họa "
    "trước cuối năm, gấp đôi so với năm ngoái."
)
P3 = (
    "Start-ups in the region raised about 2 billion dollars for model training in the first "
    "half of the year, analysts said."
)


def page(*lines: str) -> str:
    """Join lines as a pasted page does, one blank line between them."""
    return "\n\n".join(lines)


def kept_lines(text: str) -> list[str]:
    """Clean a page and return its non-blank lines."""
    return [line for line in clean_text(text).split("\n") if line]


# --- normalise_text: Vietnamese tone marks --------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("hoà", "hòa"),
        ("thuý", "thúy"),
        ("khoẻ", "khỏe"),
        ("tuỳ", "tùy"),
        ("loà", "lòa"),
        ("HOÀ", "HÒA"),
        ("Hoà", "Hòa"),
        ("hoạ", "họa"),
        ("xoã", "xõa"),
        ("uỷ", "ủy"),
        ("oà", "òa"),
        ("Thuỵ", "Thụy"),
        ("nguỵ", "ngụy"),
        ("luỹ", "lũy"),
    ],
)
def test_old_and_new_tone_styles_compare_equal(old: str, new: str) -> None:
    assert normalise_text(old) == normalise_text(new) == new


def test_old_style_words_in_a_sentence_take_the_new_style() -> None:
    old = "Hoà bình, sức khoẻ và tuỳ chọn của Uỷ ban được thuý giữ."
    assert normalise_text(old) == "Hòa bình, sức khỏe và tùy chọn của Ủy ban được thúy giữ."


@pytest.mark.parametrize("word", ["hoàng", "thuyết", "ngoài", "xoáy", "khuya", "hoạch", "huỳnh"])
def test_syllables_with_a_final_consonant_or_vowel_keep_their_tone(word: str) -> None:
    assert normalise_text(word) == word


@pytest.mark.parametrize("word", ["quý", "quả", "quá", "quỳ", "Quý", "QUẢ"])
def test_qu_clusters_keep_their_tone(word: str) -> None:
    assert normalise_text(word) == word


@pytest.mark.parametrize(
    "text", ["Noé", "Chloé", "Zoé", "café", "José", "Goiás", "naïve résumé", "Paraguay"]
)
def test_non_vietnamese_words_are_left_alone(text: str) -> None:
    assert normalise_text(text) == text


def test_decomposed_text_is_composed() -> None:
    decomposed = unicodedata.normalize("NFD", "Nghiên cứu trí tuệ nhân tạo")
    assert decomposed != "Nghiên cứu trí tuệ nhân tạo"
    assert normalise_text(decomposed) == "Nghiên cứu trí tuệ nhân tạo"


def test_decomposed_old_style_reaches_the_new_style() -> None:
    assert normalise_text(unicodedata.normalize("NFD", "sức khoẻ, tuỳ")) == "sức khỏe, tùy"


def test_tone_followed_by_a_stray_combining_mark_is_not_moved() -> None:
    text = "hoạ\u0300"  # a mark that cannot compose with "ạ": the syllable is not open
    assert normalise_text(text) == text


# --- normalise_text: characters and lines --------------------------------------------------


@pytest.mark.parametrize("newline", ["\r\n", "\r", "\u2028", "\u2029", "\x85", "\x0c"])
def test_line_breaks_become_newlines(newline: str) -> None:
    assert normalise_text(f"một{newline}hai") == "một\nhai"


@pytest.mark.parametrize("invisible", ["\u200b", "\ufeff", "\u00ad", "\u200d", "\u200e"])
def test_invisible_characters_are_removed(invisible: str) -> None:
    assert normalise_text(f"{invisible}GPU{invisible}s") == "GPUs"


@pytest.mark.parametrize("space", ["\u00a0", "\u202f", "\u2009", "\u3000"])
def test_unicode_spaces_become_plain_spaces(space: str) -> None:
    assert normalise_text(f"10{space}000 GPU") == "10 000 GPU"


def test_control_characters_are_removed_but_tabs_are_kept() -> None:
    assert normalise_text("a\x00b\x07c\x1bd\x7fe\x9ff\tg") == "abcdef\tg"


def test_lone_surrogates_are_removed() -> None:
    undecodable = b"GPU\xff".decode("utf-8", errors="surrogateescape")
    assert normalise_text(undecodable) == "GPU"


def test_trailing_spaces_are_stripped() -> None:
    assert normalise_text("dòng một  \t\ndòng hai \u00a0") == "dòng một\ndòng hai"


def test_runs_of_blank_lines_collapse_to_one() -> None:
    assert normalise_text("a\n\n\n\n\nb\n\n\nc\n\nd") == "a\n\nb\n\nc\n\nd"


def test_whitespace_only_lines_count_as_blank() -> None:
    assert normalise_text("a\n \n\u00a0\n\t\nb") == "a\n\nb"


def test_leading_and_trailing_blank_lines_are_removed() -> None:
    assert normalise_text("\n\n  \nTiêu đề\n\nThân bài\n\n\n") == "Tiêu đề\n\nThân bài"


def test_leading_indentation_is_kept() -> None:
    assert normalise_text("  thụt lề") == "  thụt lề"


def test_plain_ascii_text_is_unchanged() -> None:
    text = "OpenAI trained the model on 25,000 GPUs.\n\nCosts rose 40%."
    assert normalise_text(text) == text


_NASTY = [
    *"oaeuyqhkOAUY \t\n\r.:|()0",
    *"àáảãạèéẻẽẹỳýỷỹỵÀÁẢÃẠÈÉẺẼẸỲÝỶỸỴòóúùđĐ",
    *"\u0300\u0301\u0309\u0303\u0323\u0308",
    *"\u00a0\u200b\ufeff\u00ad\u2028\u2029\x85\x0c\x1c\x00\x7f",
]
nasty_text = st.text(alphabet=st.one_of(st.sampled_from(_NASTY), st.characters()), max_size=80)


@settings(max_examples=300)
@given(nasty_text)
def test_normalise_text_is_idempotent(text: str) -> None:
    once = normalise_text(text)
    assert normalise_text(once) == once


# --- remove_boilerplate: lines dropped anywhere ---------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "1699999999999.png",
        "  600x-2-15-.jpg ",
        "anh-minh-hoa.webp",
        "BANNER.GIF",
        "photo_2024.jpeg",
        "chart.png?w=800",
    ],
)
def test_image_file_name_on_its_own_line_is_removed(name: str) -> None:
    assert kept_lines(page(TITLE, P1, name, P2)) == [TITLE, P1, P2]


def test_sentence_mentioning_an_image_file_is_kept() -> None:
    line = "Biểu đồ trong tệp chart.png cho thấy chi tiêu tăng"
    assert line in kept_lines(page(TITLE, P1, line, P2))


@pytest.mark.parametrize(
    "line",
    [
        "https://example.com/bai-viet/ai-chau-a-12345.html",
        "http://ads.example.vn/?click=aGVsbG8td29ybGQtdGhpcy1pcy1ub3QtcmVhbA",
        "www.example.org/news",
        "Link: https://example.com/a/very/long/path/to/a/story/about/gpus",
    ],
)
def test_link_lines_are_removed(line: str) -> None:
    assert kept_lines(page(TITLE, P1, line, P2)) == [TITLE, P1, P2]


def test_prose_with_a_link_inside_is_kept() -> None:
    line = (
        "Báo cáo đầy đủ được đăng tại https://example.org/r và có thể tải miễn phí cho mọi người."
    )
    assert line in kept_lines(page(TITLE, P1, line, P2))


def test_title_repeated_at_the_bottom_is_removed() -> None:
    assert kept_lines(page(TITLE, P1, P2, TITLE)) == [TITLE, P1, P2]


def test_title_repeated_under_itself_is_removed() -> None:
    assert kept_lines(page(TITLE, TITLE, P1, P2)) == [TITLE, P1, P2]


def test_repeats_are_found_after_whitespace_and_case_folding() -> None:
    again = "  " + P1.upper().replace(" ", "   ")
    assert kept_lines(page(TITLE, P1, P2, again)) == [TITLE, P1, P2]


def test_repeated_paragraph_in_the_body_is_kept_once() -> None:
    assert kept_lines(page(TITLE, P1, P2, P1, P3)) == [TITLE, P1, P2, P3]


@pytest.mark.parametrize(
    "widget",
    [
        "Phản hồi: 3",
        "(2) Bình luận",
        "45 comments",
        "Lượt xem: 12.408",
        "Share 7",
        "Bình luận (0) | 1.234 lượt xem",
        "Likes: 1,2k",
    ],
)
def test_counter_widgets_are_removed_anywhere(widget: str) -> None:
    assert kept_lines(page(TITLE, P1, widget, P2)) == [TITLE, P1, P2]


@pytest.mark.parametrize("line", ["Số GPU: 10.000", "Top 10", "Năm 2024: 3 tỷ USD"])
def test_figures_that_look_like_counters_are_kept(line: str) -> None:
    assert line in kept_lines(page(TITLE, P1, line, P2))


@pytest.mark.parametrize(
    "row", ["Facebook Twitter Email", "Chia sẻ Zalo", "Share: Facebook | LinkedIn"]
)
def test_share_rows_are_removed_anywhere(row: str) -> None:
    assert kept_lines(page(TITLE, P1, row, P2)) == [TITLE, P1, P2]


@pytest.mark.parametrize(
    "line",
    [
        "Tin liên quan",
        "Bài liên quan:",
        "Xem thêm: Nhật Bản công bố gói đầu tư mới cho trung tâm dữ liệu",
        "Read more: Chipmakers race to expand packaging capacity",
        "Related articles",
    ],
)
def test_links_to_other_articles_are_removed_anywhere(line: str) -> None:
    assert kept_lines(page(TITLE, P1, line, P2)) == [TITLE, P1, P2]


# --- remove_boilerplate: head and tail ------------------------------------------------------


def test_byline_repeated_in_the_head_is_removed_entirely() -> None:
    text = page(TITLE, "Trần Bảo Ngọc", "Trần Bảo Ngọc", "Phản hồi: 0", P1, P2)
    assert kept_lines(text) == [TITLE, P1, P2]


def test_head_line_repeated_as_a_body_heading_stays_in_the_head() -> None:
    text = page(TITLE, "Bối cảnh khu vực", P1, "Bối cảnh khu vực", P2)
    assert kept_lines(text) == [TITLE, "Bối cảnh khu vực", P1, P2]


def test_single_byline_with_a_date_is_kept() -> None:
    byline = "Minh Anh | 09:15 12/03/2024"
    assert kept_lines(page(TITLE, byline, P1, P2)) == [TITLE, byline, P1, P2]


@pytest.mark.parametrize("line", ["Staff Writer", "Top", "Menu", "Biên tập"])
def test_one_and_two_word_lines_at_the_edges_are_removed(line: str) -> None:
    assert kept_lines(page(TITLE, line, P1, P2, line + " ")) == [TITLE, P1, P2]


@pytest.mark.parametrize(
    "line",
    [
        "Đăng nhập để tham gia thảo luận",
        "Thành viên mới gửi bài",
        "Bạn cần đăng ký tài khoản trước",
        "Sign in to join the conversation",
        "Subscribe to our daily newsletter",
        "Theo dõi chúng tôi trên mạng xã hội",
        "Xem thêm các bài khác của tác giả",
        "Nội dung quảng cáo do đối tác cung cấp",
        "Trending stories this week",
    ],
)
def test_interface_lines_in_the_tail_are_removed(line: str) -> None:
    assert kept_lines(page(TITLE, P1, P2, line)) == [TITLE, P1, P2]


def test_interface_line_in_the_head_is_removed() -> None:
    assert kept_lines(page(TITLE, "Đăng nhập để bình luận bài viết", P1)) == [TITLE, P1]


@pytest.mark.parametrize("line", ["BUILT WITH NEWSCMS 4 - A STUDIO PRODUCT", "TIN NÓNG HÔM NAY"])
def test_all_caps_lines_at_the_edges_are_removed(line: str) -> None:
    assert kept_lines(page(TITLE, line, P1, P2, line.replace("4", "5"))) == [TITLE, P1, P2]


@pytest.mark.parametrize(
    "line",
    [
        "Theo Financial Times",
        "Tham khảo Reuters",
        "Source: Reuters",
        "Nguồn: Vnexpress.net",
        "Nguồn:Chinhphu.vn",
        "(Theo Nikkei Asia)",
        "Nguồn: Facebook của ông Huang",
        "THEO REUTERS",
    ],
)
def test_attribution_line_in_tail_is_kept(line: str) -> None:
    assert kept_lines(page(TITLE, P1, P2, line, "Top")) == [TITLE, P1, P2, line]


@pytest.mark.parametrize(
    "heading",
    [
        "Chia sẻ dữ liệu giữa các phòng thí nghiệm",
        "Cuộc đua chip",
        "Bình luận của giới phân tích",
        "GPU",
    ],
)
def test_headings_in_the_middle_of_the_article_are_kept(heading: str) -> None:
    assert kept_lines(page(TITLE, P1, heading, P2)) == [TITLE, P1, heading, P2]


def test_short_caption_in_the_middle_is_kept() -> None:
    text = f"{TITLE}\n\n{P1}\n\n1700000000000.png\nLisa Chen,\n\n{P2}"
    assert kept_lines(text) == [TITLE, P1, "Lisa Chen,", P2]


def test_short_question_ends_the_head() -> None:
    text = page(TITLE, "Ai sẽ dẫn đầu?", "Ghi chú", P1)
    assert kept_lines(text) == [TITLE, "Ai sẽ dẫn đầu?", "Ghi chú", P1]


def test_first_line_is_kept_as_title_even_when_short() -> None:
    assert kept_lines(page("Top", P1)) == ["Top", P1]


def test_text_without_paragraphs_keeps_its_title() -> None:
    assert clean_text("Tiêu đề ngắn\nTop\nPhản hồi: 0") == "Tiêu đề ngắn"


@pytest.mark.parametrize("text", ["", "\n\n", "   "])
def test_empty_text_stays_empty(text: str) -> None:
    assert clean_text(text) == ""


# --- remove_boilerplate: structure ----------------------------------------------------------


def test_kept_lines_are_byte_identical() -> None:
    odd = "Giá  thuê   GPU\tgiảm mạnh, còn khoảng 2 USD mỗi giờ theo một sàn giao dịch lớn."
    assert odd in remove_boilerplate(page(TITLE, odd, P2)).split("\n")


def test_one_blank_line_separates_paragraphs_around_a_removed_line() -> None:
    text = f"{TITLE}\n\n{P1}\n\n1700000000000.png\n\n\n{P2}"
    assert remove_boilerplate(text) == f"{TITLE}\n\n{P1}\n\n{P2}"


def test_lines_without_a_blank_between_stay_adjacent() -> None:
    text = f"{TITLE}\n{P1}\n1700000000000.png\n{P2}\n{P3}"
    assert remove_boilerplate(text) == f"{TITLE}\n{P1}\n{P2}\n{P3}"


def test_no_blank_line_is_left_at_either_end() -> None:
    text = f"{TITLE}\n\n{P1}\n\nTop\n\nPhản hồi: 0\n"
    assert remove_boilerplate(text) == f"{TITLE}\n\n{P1}"


def test_a_whole_pasted_forum_page_is_cleaned() -> None:
    text = "\n".join(
        [
            TITLE,
            "",
            "Lê Hải Đăng",
            "Lê Hải Đăng",
            "Phản hồi: 2",
            "",
            "Contributing Editor",
            P1,
            "",
            "1712345678901.png",
            "",
            "",
            "Hạ tầng đi trước",
            "",
            P2,
            "\u00a0",
            "",
            "Đăng nhập để xem thêm thảo luận",
            "Thành viên mới đăng",
            "https://track.example.vn/?r=bG9uZy10cmFja2luZy1wYXlsb2Fk",
            "Top",
        ]
    )
    assert clean_text(text) == f"{TITLE}\n\n{P1}\n\nHạ tầng đi trước\n\n{P2}"


def test_clean_text_normalises_before_removing() -> None:
    widget = unicodedata.normalize("NFD", "(4) Bình luận")
    text = page(TITLE, P1, widget, "Sức khoẻ của thị trường chip", P2)
    assert kept_lines(text) == [TITLE, P1, "Sức khỏe của thị trường chip", P2]


@settings(max_examples=200)
@given(st.lists(st.one_of(st.sampled_from([TITLE, P1, P2, "", "Top", "1.png"]), nasty_text)))
def test_clean_text_only_keeps_lines_of_the_normalised_input(parts: list[str]) -> None:
    text = "\n".join(parts)
    source = normalise_text(text).split("\n")
    position = 0
    for line in clean_text(text).split("\n"):
        position = source.index(line, position) + 1  # ValueError: a line that was not there


@settings(max_examples=300)
@given(nasty_text)
def test_cleaning_and_hashing_never_fail_on_hostile_text(text: str) -> None:
    assert content_hash(clean_text(text)).startswith(f"{NORMALISER_VERSION}:")


# --- content_hash ---------------------------------------------------------------------------


def test_content_hash_carries_the_normaliser_version() -> None:
    version, digest = content_hash(clean_text(page(TITLE, P1))).split(":")
    assert version == NORMALISER_VERSION
    assert len(digest) == 64 and int(digest, 16) >= 0


def test_content_hash_ignores_rewrapping() -> None:
    cleaned = clean_text(page(TITLE, P1, P2))
    rewrapped = cleaned.replace(", ", ",\n").replace("\n\n", "\n")
    assert content_hash(rewrapped) == content_hash(cleaned)


def test_content_hash_tells_different_texts_apart() -> None:
    assert content_hash(P1) != content_hash(P2)


def test_texts_in_either_tone_style_get_one_hash() -> None:
    assert content_hash(clean_text("Hoà bình")) == content_hash(clean_text("Hòa bình"))


@given(st.lists(st.text(min_size=1), max_size=8), st.lists(st.sampled_from([" ", "\n", "\t"])))
def test_content_hash_is_stable_under_rewrapping(words: list[str], gaps: list[str]) -> None:
    tokens = [token for word in words for token in word.split()]
    plain = " ".join(tokens)
    wrapped = "".join(
        token + (gaps[i % len(gaps)] * (1 + i % 3) if gaps else " ")
        for i, token in enumerate(tokens)
    )
    assert content_hash("\n " + wrapped) == content_hash(plain)


# --- the vocabulary file --------------------------------------------------------------------


def _vocabulary_entries(key: str) -> list[str]:
    """Read one key's entries, all groups, from the bundled vocabulary file."""
    text = resources.files("airace").joinpath("data/boilerplate.yaml").read_text("utf-8")
    return [entry for group in yaml.safe_load(text)[key].values() for entry in group]


@pytest.mark.parametrize("entry", _vocabulary_entries("chrome"))
def test_every_chrome_entry_marks_a_tail_line_as_chrome(entry: str) -> None:
    line = f"Nhấn vào {entry} tại đây"
    assert kept_lines(page(TITLE, P1, line)) == [TITLE, P1]


@pytest.mark.parametrize("entry", _vocabulary_entries("counters"))
def test_every_counter_label_makes_a_counter_widget(entry: str) -> None:
    assert kept_lines(page(TITLE, P1, f"{entry}: 12", f"(3) {entry}", P2)) == [TITLE, P1, P2]


@pytest.mark.parametrize("entry", _vocabulary_entries("social"))
def test_every_social_entry_makes_a_share_row(entry: str) -> None:
    assert kept_lines(page(TITLE, P1, f"Chia sẻ {entry}", P2)) == [TITLE, P1, P2]


@pytest.mark.parametrize("entry", _vocabulary_entries("attribution"))
def test_every_attribution_entry_keeps_a_tail_line(entry: str) -> None:
    line = f"{entry.capitalize()} Reuters"
    assert kept_lines(page(TITLE, P1, line, "Top")) == [TITLE, P1, line]


@pytest.mark.parametrize("entry", _vocabulary_entries("lead_ins"))
def test_every_lead_in_marks_a_link_to_another_article(entry: str) -> None:
    line = f"{entry.capitalize()}: Hàn Quốc mua thêm siêu máy tính"
    assert kept_lines(page(TITLE, P1, line, P2)) == [TITLE, P1, P2]


def test_vocabulary_with_an_unknown_key_is_rejected() -> None:
    with pytest.raises(AiraceError) as raised:
        _parse_vocabulary({"chrome": {"en": ["login"]}, "chrom": {"en": ["x"]}}, "b.yaml")
    assert raised.value.key == "chrom" and raised.value.path == "b.yaml"


def test_vocabulary_with_an_empty_group_is_rejected() -> None:
    data = {key: {"en": ["x"]} for key in ("chrome", "social", "attribution", "lead_ins")}
    data["counters"] = {"vi": []}
    with pytest.raises(AiraceError) as raised:
        _parse_vocabulary(data, "b.yaml")
    assert raised.value.key == "counters.vi"


def test_vocabulary_with_a_missing_key_is_rejected() -> None:
    with pytest.raises(AiraceError) as raised:
        _parse_vocabulary({"chrome": {"en": ["login"]}}, "b.yaml")
    assert raised.value.key == "social"


# --- cost -----------------------------------------------------------------------------------


def test_importing_the_module_compiles_nothing() -> None:
    code = (
        "import airace.ingest.clean as c; "
        "caches = [c._char_rule, c._tone_rule, c._vocabulary, c._patterns]; "
        "assert all(f.cache_info().currsize == 0 for f in caches)"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_cleaning_a_3_kb_page_takes_well_under_a_millisecond() -> None:
    body = [P1, "Chuyện của sức khoẻ thị trường", P2, "1700000000000.png", P3] * 5
    text = page(TITLE, "Lê Hải Đăng", "Phản hồi: 0", *body, "Theo Reuters", "Top")
    assert 2_500 <= len(text.encode("utf-8")) <= 3_500
    clean_text(text)
    rounds = 200
    start = time.perf_counter()
    for _ in range(rounds):
        clean_text(text)
    per_document = (time.perf_counter() - start) / rounds
    assert per_document < 0.002  # measured ~0.15 ms; the bound leaves room for slow machines
