"""Publication dates in article heads and feet, and dates in metadata values."""

from __future__ import annotations

import time
import unicodedata
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from airace.errors import AiraceError
from airace.ingest.dates import (
    EARLIEST_YEAR,
    HEAD_LINES,
    find_published_date,
    load_calendar,
    parse_date,
)

CALENDAR = load_calendar()
TITLE = "Cuộc đua trí tuệ nhân tạo bước sang giai đoạn mới"
BODY = (
    "Các tập đoàn công nghệ tiếp tục tăng chi cho hạ tầng tính toán trong năm nay, theo một "
    "báo cáo mới được công bố. Nhiều quốc gia có thu nhập từ 2.150 đến 14.720 đô la mỗi người "
    "đang tìm cách bắt kịp, và mục tiêu đặt ra cho năm 2030 là tự chủ về chip.\n"
)


def article(dateline: str, body: str = BODY) -> str:
    """Return a made-up article: title, a dateline, then the body."""
    return f"{TITLE}\n\n{dateline}\n\n{body}"


@pytest.mark.parametrize(
    ("dateline", "expected"),
    [
        ("Minh Anh | 16:00 29/06/2023", date(2023, 6, 29)),
        ("Thứ Hai, 03/11/2025", date(2025, 11, 3)),
        ("Thứ hai, 3/11/2025, 10:00 (GMT+7)", date(2025, 11, 3)),
        ("29/6/2023", date(2023, 6, 29)),
        ("29-06-2023", date(2023, 6, 29)),
        ("29.06.2023", date(2023, 6, 29)),
        ("ngày 29 tháng 6 năm 2023", date(2023, 6, 29)),
        ("Cập nhật ngày 29 tháng 06 năm 2023", date(2023, 6, 29)),
        ("29 tháng 6, 2023", date(2023, 6, 29)),
        ("29 tháng 10, 2023", date(2023, 10, 29)),
        ("ngày 5 tháng Mười Hai năm 2023", date(2023, 12, 5)),
        ("June 29, 2023", date(2023, 6, 29)),
        ("Jun 29, 2023", date(2023, 6, 29)),
        ("Sept. 9, 2023", date(2023, 9, 9)),
        ("29 June 2023", date(2023, 6, 29)),
        ("By Jane Doe, June 29th, 2023 at 10:30 a.m.", date(2023, 6, 29)),
        ("Monday, June 29, 2023", date(2023, 6, 29)),
        ("Wed, 02 Oct 2002 13:00:00 GMT", date(2002, 10, 2)),
        ("2023-06-29", date(2023, 6, 29)),
        ("2023/06/29", date(2023, 6, 29)),
        ("Published 2023-06-29T10:00:00+07:00", date(2023, 6, 29)),
        ("Le 1er juin 2023", date(2023, 6, 1)),
        ("29. Juni 2023", date(2023, 6, 29)),
        ("29 de junio de 2023", date(2023, 6, 29)),
        ("THỨ BẢY, 29 THÁNG 6, 2024", date(2024, 6, 29)),
    ],
)
def test_dateline_formats_are_found_in_the_head(dateline: str, expected: date) -> None:
    assert find_published_date(article(dateline)) == expected


def test_numeric_dates_are_read_day_first() -> None:
    assert find_published_date(article("03/11/2025")) == date(2025, 11, 3)
    assert find_published_date(article("12/01/2024")) == date(2024, 1, 12)


def test_decomposed_tone_marks_still_match_month_names() -> None:
    text = unicodedata.normalize("NFD", article("ngày 5 tháng Mười Hai năm 2023"))
    assert find_published_date(text) == date(2023, 12, 5)


@pytest.mark.parametrize("dateline", ["31/02/2023", "29/02/2023", "30 tháng 2, 2023", "2023-13-01"])
def test_impossible_dates_are_rejected(dateline: str) -> None:
    assert find_published_date(article(dateline)) is None


def test_leap_day_is_accepted() -> None:
    assert find_published_date(article("29/02/2024")) == date(2024, 2, 29)


def test_years_before_the_earliest_are_rejected() -> None:
    assert find_published_date(article(f"01/06/{EARLIEST_YEAR - 1}")) is None
    assert find_published_date(article(f"01/06/{EARLIEST_YEAR}")) == date(EARLIEST_YEAR, 6, 1)


def test_dates_more_than_a_year_ahead_are_rejected() -> None:
    soon = date.today() + timedelta(days=300)
    far = date.today() + timedelta(days=400)
    assert find_published_date(article(soon.strftime("%d/%m/%Y"))) == soon
    assert find_published_date(article(far.strftime("%d/%m/%Y"))) is None


@pytest.mark.parametrize(
    "sentence",
    [
        "Thu nhập từ 2.150 đến 14.720 đô la mỗi năm.",
        "Mục tiêu đến năm 2030 là làm chủ công nghệ.",
        "Dự án khởi công vào tháng 6 năm 2023.",
        "The plan was announced in June 2023.",
        "Giá cổ phiếu tăng 2.150.2023 điểm, tỷ lệ 12/2023 và 3-5 lần.",
        "Bản 12.1.20234 của phần mềm, mã số 123/06/2023/NĐ-CP, tệp 29/06/2023/a.txt.",
        "Năm 2023 và 2024 là hai năm quan trọng.",
    ],
)
def test_numbers_in_sentences_are_not_dates(sentence: str) -> None:
    assert find_published_date(article(sentence)) is None


def test_text_without_any_date_has_none() -> None:
    assert find_published_date(article("Minh Anh")) is None
    assert find_published_date("") is None


def test_date_deep_in_the_body_is_not_a_publication_date() -> None:
    filler = "".join(f"Đoạn văn thứ {number} không có ngày tháng nào cả.\n" for number in range(40))
    text = f"{TITLE}\n{filler}Sự kiện diễn ra ngày 15/03/2023 tại Hà Nội.\n{filler}"
    assert find_published_date(text) is None


def test_date_after_the_head_lines_is_not_in_the_head() -> None:
    lines = [f"Dòng {number} của phần mở đầu." for number in range(HEAD_LINES)]
    text = "\n".join([*lines, "16:00 29/06/2023", *(["Nội dung bài viết."] * 30), "Hết."])
    assert find_published_date(text) is None
    text = "\n".join([*lines[:-1], "16:00 29/06/2023", *(["Nội dung bài viết."] * 30), "Hết."])
    assert find_published_date(text) == date(2023, 6, 29)


def test_date_in_the_last_lines_is_found_when_the_head_has_none() -> None:
    body = BODY * 20
    text = f"{TITLE}\n\n{body}\nCập nhật lúc 08:15 ngày 04/07/2023\nNguồn: Báo Mẫu\n"
    assert find_published_date(text) == date(2023, 7, 4)


def test_date_in_the_head_wins_over_one_in_the_foot() -> None:
    text = article("12/05/2023", BODY * 20) + "\nCập nhật 04/07/2023\n"
    assert find_published_date(text) == date(2023, 5, 12)


def test_dateline_wins_over_a_date_in_a_sentence() -> None:
    sentence = (
        "Hôm 15/03/2023, công ty đã công bố mô hình mới và cho biết sẽ mở rộng sang các thị "
        "trường châu Á trong những tháng tới."
    )
    text = f"{TITLE}\n{sentence}\nMinh Anh | 29/06/2023\n{BODY}"
    assert find_published_date(text) == date(2023, 6, 29)


def test_date_with_a_time_wins_over_an_earlier_short_line_date() -> None:
    text = f"Hội thảo 15/03/2023: nhìn lại\nMinh Anh | 16:00 29/06/2023\n{BODY}"
    assert find_published_date(text) == date(2023, 6, 29)


def test_first_of_equally_placed_dates_wins() -> None:
    text = f"{TITLE}\n12/05/2023\n13/05/2023\n{BODY}"
    assert find_published_date(text) == date(2023, 5, 12)


def test_a_date_cut_by_the_head_limit_is_not_misread() -> None:
    text = "x" * 1990 + " 2023-06-29 and more text on the same line\n" + BODY
    assert find_published_date(text) is None


def test_a_number_glued_to_a_date_is_not_read_even_next_to_another_year() -> None:
    assert find_published_date(article("2023" + " " * 8 + "1/6/20245")) is None


def weekday_names() -> list[str]:
    """Return every weekday name of the calendar."""
    return sorted(CALENDAR.weekdays)


@pytest.mark.parametrize("weekday", weekday_names())
def test_every_weekday_name_marks_a_dateline(weekday: str) -> None:
    long_line = "Bài viết này được cập nhật nhiều lần bởi ban biên tập trong suốt quá trình"
    text = (
        f"{TITLE}\n{long_line} 12/05/2023 và sau đó.\n"
        f"{long_line}, {weekday.title()}, 29/06/2023 và sau đó.\n{BODY}"
    )
    assert find_published_date(text) == date(2023, 6, 29)


@pytest.mark.parametrize("weekday", weekday_names())
def test_every_weekday_name_may_prefix_a_metadata_date(weekday: str) -> None:
    assert parse_date(f"{weekday.upper()}, 29/06/2023") == date(2023, 6, 29)


def month_names() -> list[tuple[str, int]]:
    """Return every month name of the calendar with its month."""
    return sorted(CALENDAR.months.items())


@pytest.mark.parametrize(("name", "month"), month_names())
def test_every_month_name_is_read_day_first_and_month_first(name: str, month: int) -> None:
    expected = date(2023, month, 12)
    assert parse_date(f"12 {name} 2023") == expected
    assert parse_date(f"{name.title()} 12, 2023") == expected
    assert find_published_date(article(f"12 {name.upper()} 2023")) == expected


def date_word_cases() -> list[str]:
    """Return a date using each day word, year word, ordinal suffix and joiner of the calendar."""
    return [
        *(f"{word} 12 June 2023" for word in CALENDAR.day_words),
        *(f"12 June {word} 2023" for word in CALENDAR.year_words),
        *(f"12{suffix} June 2023" for suffix in CALENDAR.ordinal_suffixes),
        *(f"June 12{suffix}, 2023" for suffix in CALENDAR.ordinal_suffixes),
        *(f"12 {word} June {word} 2023" for word in CALENDAR.joiners),
    ]


@pytest.mark.parametrize("value", date_word_cases())
def test_every_date_word_of_the_calendar_is_understood(value: str) -> None:
    assert parse_date(value) == date(2023, 6, 12)
    assert find_published_date(article(value)) == date(2023, 6, 12)


def test_every_kind_of_date_word_has_a_case() -> None:
    assert CALENDAR.day_words and CALENDAR.year_words
    assert CALENDAR.ordinal_suffixes and CALENDAR.joiners


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2023-06-29", date(2023, 6, 29)),
        ("2023-06-29T10:00:00+07:00", date(2023, 6, 29)),
        ("2023-06-29T23:30:00-05:00", date(2023, 6, 29)),
        ("2023-06-29T10:00:00Z", date(2023, 6, 29)),
        ("2023-06-29 10:00", date(2023, 6, 29)),
        ("20230629", date(2023, 6, 29)),
        ("Wed, 02 Oct 2002 13:00:00 GMT", date(2002, 10, 2)),
        ("Thu, 29 Jun 2023 08:00:00 +0700", date(2023, 6, 29)),
        ("  29/06/2023  ", date(2023, 6, 29)),
        ("16:00 29/06/2023", date(2023, 6, 29)),
        ("29/06/2023 16:00", date(2023, 6, 29)),
        ("Thứ Năm, 29/06/2023, 16:00 (GMT+7)", date(2023, 6, 29)),
        ("ngày 29 tháng 6 năm 2023", date(2023, 6, 29)),
        ("June 29, 2023", date(2023, 6, 29)),
        ("Monday, June 29, 2023", date(2023, 6, 29)),
        ("2023/06/29", date(2023, 6, 29)),
    ],
)
def test_metadata_dates_are_parsed(value: str, expected: date) -> None:
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "",
        "   ",
        "hello",
        "2023",
        "1136",
        "năm 2030",
        "June 2023",
        "31/02/2023",
        "2023-02-31",
        "2023-06-29T25:00:00",
        "Blursday, 29 June 2023",
        "29 June 2023 and then some words",
        "from 29/06/2023",
        "01/01/1985",
        "12345678",
        "29/06/2023" * 20,
    ],
)
def test_values_that_are_not_plausible_dates_parse_to_none(value: str) -> None:
    assert parse_date(value) is None


dates = st.dates(min_value=date(EARLIEST_YEAR, 1, 1), max_value=date.today())


@st.composite
def rendered_dates(draw: st.DrawFn) -> tuple[date, str]:
    """Draw a date and render it in one of the supported formats, with calendar names."""
    day = draw(dates)
    name = draw(st.sampled_from(sorted(n for n, m in CALENDAR.months.items() if m == day.month)))
    weekday = draw(st.sampled_from(sorted(CALENDAR.weekdays)))
    d, m, y = day.day, day.month, day.year
    formats = [
        f"{d}/{m}/{y}",
        f"{d:02}/{m:02}/{y}",
        f"16:00 {d:02}/{m:02}/{y}",
        f"{d:02}-{m:02}-{y}",
        f"{d}.{m}.{y}",
        f"{y}-{m:02}-{d:02}",
        f"{y}/{m:02}/{d:02}",
        f"{y}-{m:02}-{d:02}T10:00:00+07:00",
        f"{weekday}, {d:02}/{m:02}/{y}",
        f"ngày {d} tháng {m} năm {y}",
        f"{d} tháng {m}, {y}",
        f"{d} {name} {y}",
        f"{d} {name}, {y}",
        f"{name} {d}, {y}",
        f"{weekday}, {name} {d}, {y}",
        f"{weekday}, {d:02} {name} {y} 13:00:00 GMT",
    ]
    return day, draw(st.sampled_from(formats))


@given(rendered_dates())
@settings(max_examples=500, deadline=None)
def test_a_date_rendered_in_any_supported_format_parses_back_to_itself(
    case: tuple[date, str],
) -> None:
    day, rendered = case
    assert parse_date(rendered) == day
    assert find_published_date(article(rendered)) == day


@given(st.text(max_size=500))
@settings(max_examples=300, deadline=None)
def test_arbitrary_text_gives_none_or_a_plausible_date(text: str) -> None:
    for found in (find_published_date(text), parse_date(text)):
        assert found is None or date(EARLIEST_YEAR, 1, 1) <= found


def test_cost_is_bounded_for_long_texts() -> None:
    long = article("Minh Anh", BODY * 5000)
    start = time.perf_counter()
    assert find_published_date(long) is None
    assert time.perf_counter() - start < 0.5


def write_calendar(tmp_path: Path, text: str) -> Path:
    """Write a calendar file and return its path."""
    path = tmp_path / "calendar.yaml"
    path.write_text(text, encoding="utf-8")
    return path


MONTHS = "\n".join(f"    {number}: [m{number}]" for number in range(1, 13))
WEEKDAYS = "\n".join(f"    {number}: [w{number}]" for number in range(1, 8))


def test_a_well_formed_calendar_file_loads() -> None:
    assert CALENDAR.months["tháng sáu"] == 6
    assert CALENDAR.months["june"] == 6
    assert CALENDAR.weekdays["chủ nhật"] == 7


@pytest.mark.parametrize(
    ("text", "key"),
    [
        (f"xx:\n  months:\n{MONTHS}\n  weekdays:\n{WEEKDAYS}\n  colours: [red]\n", "xx"),
        (f"xx:\n  months:\n{MONTHS}\n", "xx"),
        (f"xx:\n  months:\n{MONTHS}\n    13: [m13]\n  weekdays:\n{WEEKDAYS}\n", "xx.months"),
        (
            f"xx:\n  months:\n{MONTHS.replace('[m3]', '[]')}\n  weekdays:\n{WEEKDAYS}\n",
            "xx.months.3",
        ),
        (
            f"xx:\n  months:\n{MONTHS.replace('[m3]', '[m2]')}\n  weekdays:\n{WEEKDAYS}\n",
            "xx.months.3",
        ),
        (f"xx:\n  months:\n{MONTHS}\n  weekdays:\n{WEEKDAYS}\n  joiners: [1]\n", "xx.joiners"),
        ("xx: [a, b]\n", "xx"),
    ],
)
def test_malformed_calendar_file_is_an_error_naming_the_key(
    tmp_path: Path, text: str, key: str
) -> None:
    path = write_calendar(tmp_path, text)
    with pytest.raises(AiraceError) as caught:
        load_calendar(path)
    assert caught.value.key == key
    assert caught.value.path == str(path)


@pytest.mark.parametrize("text", ["", "just a string\n", "a: [unclosed\n"])
def test_calendar_file_that_is_not_a_mapping_is_an_error(tmp_path: Path, text: str) -> None:
    with pytest.raises(AiraceError):
        load_calendar(write_calendar(tmp_path, text))
