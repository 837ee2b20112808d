"""The number layer: numerals, number words, scales, hedges, ranges, ranks, and what is no number.

Every phrase here was written for these tests. ``CASES`` states, per language, the complete list
of quantities a text holds; a data-driven test then checks that every entry of both
``numbers.yaml`` files is used by at least one case.
"""

from __future__ import annotations

import math
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from airace.errors import LexiconError
from airace.extract import lexicon, number_lexicon, number_patterns, numbers, numerals, quantities
from airace.extract.numbers import (
    Quantity,
    find_quantities,
    number_entries,
    parse_number,
    render_number,
)

LANGS = ("vi", "en")


@dataclass(frozen=True)
class Q:
    """An expected quantity; every field is compared."""

    text: str
    value: float
    kind: str = "cardinal"
    value_max: float | None = None
    approx: bool = False
    bound: str | None = None
    change_from: float | None = None
    from_to: bool = False
    vague: bool = False


def approx_q(text: str, value: float, kind: str = "cardinal") -> Q:
    return Q(text, value, kind, approx=True)


def lower(text: str, value: float, kind: str = "cardinal") -> Q:
    return Q(text, value, kind, approx=True, bound="lower")


def upper(text: str, value: float, kind: str = "cardinal") -> Q:
    return Q(text, value, kind, approx=True, bound="upper")


def up_to(text: str, value: float, kind: str = "cardinal") -> Q:
    return Q(text, value, kind, bound="upper")


def rank(text: str, value: float) -> Q:
    return Q(text, value, "ordinal")


def vague(text: str, value: float) -> Q:
    return Q(text, value, approx=True, bound="lower", vague=True)


def pct(text: str, value: float) -> Q:
    return Q(text, value, "percent")


def series(words: str, start: int, step: int = 1, make: type[Q] | None = None) -> list[Q]:
    """Quantities for a comma-separated list of number words counting up from ``start``."""
    build = make or Q
    return [build(w, start + i * step) for i, w in enumerate(words.split(", "))]


def ranks(words: str, start: int) -> list[Q]:
    return [rank(w, start + i) for i, w in enumerate(words.split(", "))]


PRODUCTS = (
    "Ascend 910C, Kunlun 2, Gaudi 3, Trainium 2, Inferentia 2, Maia 100, Xeon 6, Ryzen 9, "
    "Snapdragon 8, Exynos 2400, iPhone 16, Pixel 9, Windows 11, Android 15, iOS 18, Llama 3.1, "
    "Claude 3.5, Gemini 2.5, Gemma 3, GPT 5, Qwen 2.5, Grok 4, Ernie 4.5, Hunyuan 2, Kimi 2"
)

# fmt: off
CASES: list[tuple[str, str, list[Q]]] = [
    # --- Vietnamese: numerals and separators
    ("vi", "Tập đoàn này vận hành 240.000 GPU.", [Q("240.000", 240_000)]),
    # A scale word hyphenated as an adjective ("a $10-billion deal"); a range is not one.
    ("en", "a $10-billion deal", [Q("10-billion", 1e10)]),
    ("en", "a C$725-million project", [Q("725-million", 7.25e8)]),
    ("vi", "từ 1-2 triệu USD", [Q("1-2 triệu", 1e6, value_max=2e6)]),
    ("vi", "Doanh thu đạt 1.234,5 tỷ đồng.", [Q("1.234,5 tỷ", 1.2345e12)]),
    ("vi", "Thị phần giữ ở 45,8% và 3.170 công ty.", [pct("45,8%", 45.8), Q("3.170", 3170)]),
    ("vi", "Giá 2.500 đồng, quỹ 1.250.000 đồng.", [Q("2.500", 2500), Q("1.250.000", 1.25e6)]),
    ("vi", "Mô hình cũ 1.5 triệu tham số.", [Q("1.5 triệu", 1.5e6)]),
    # scales
    ("vi", "Các quỹ góp 2,5 nghìn tỷ won và 1,8 ngàn tỉ won.",
     [Q("2,5 nghìn tỷ", 2.5e12), Q("1,8 ngàn tỉ", 1.8e12)]),
    ("vi", "Thêm 3 ngàn tỷ đồng rồi 4 nghìn tỉ đồng.",
     [Q("3 ngàn tỷ", 3e12), Q("4 nghìn tỉ", 4e12)]),
    ("vi", "Quy mô 5 triệu tỷ và 6 triệu tỉ đồng.", [Q("5 triệu tỷ", 5e15), Q("6 triệu tỉ", 6e15)]),
    ("vi", "Có 12 nghìn kỹ sư, 7 ngàn người, 40 tỷ USD và 3 tỉ USD.",
     [Q("12 nghìn", 12e3), Q("7 ngàn", 7e3), Q("40 tỷ", 40e9), Q("3 tỉ", 3e9)]),
    ("vi", "Lương 50k một giờ, giá 10tr một chiếc.", [Q("50k", 5e4), Q("10tr", 1e7)]),
    ("vi", "Ấn Độ chi 10.372 crore rupee và 5 lakh rupee.",
     [Q("10.372 crore", 1.0372e11), Q("5 lakh", 5e5)]),
    ("vi", "Khoản vay 2 tỷ 300 triệu đồng.", [Q("2 tỷ 300 triệu", 2.3e9)]),
    ("vi", "Thu 5 trăm nghìn đồng.", [Q("5 trăm nghìn", 5e5)]),
    ("vi", "Quỹ 2,5 nghìn  tỷ\nwon.", [Q("2,5 nghìn  tỷ", 2.5e12)]),
    ("vi", "năm 2025 tỷ lệ 25%, có 2 tỷ phú và 3 tỉ phú, 4 tỷ trọng, 5 tỉ trọng, 6 tỷ giá, "
           "7 tỉ giá, 8 tỉ lệ", [pct("25%", 25), *series("2, 3, 4, 5, 6, 7, 8", 2)]),
    # number words
    ("vi", "hai, ba, bốn", series("hai, ba, bốn", 2)),
    ("vi", "sáu, bảy, tám, chín, mười", series("sáu, bảy, tám, chín, mười", 6)),
    ("vi", "ba mươi sáu công ty, bốn trăm bảy mươi tám người, chín nghìn, bẩy trăm, tám tỷ",
     [Q("ba mươi sáu", 36), Q("bốn trăm bảy mươi tám", 478), Q("chín nghìn", 9000),
      Q("bẩy trăm", 700), Q("tám tỷ", 8e9)]),
    ("vi", "hai chục chuyên gia, hai tá chip, mười lăm, hai mươi mốt, hai mươi tư",
     [Q("hai chục", 20), Q("hai tá", 24), Q("mười lăm", 15), Q("hai mươi mốt", 21),
      Q("hai mươi tư", 24)]),
    ("vi", "năm triệu, một triệu, một trăm linh hai, hai trăm lẻ tám",
     [Q("năm triệu", 5e6), Q("một triệu", 1e6), Q("một trăm linh hai", 102),
      Q("hai trăm lẻ tám", 208)]),
    ("vi", "hơn một nửa tổng chi, nửa triệu người",
     [lower("hơn một nửa", 50, "percent"), Q("nửa triệu", 5e5)]),
    # ambiguous words alone are no numbers
    ("vi", "Năm nay một công ty tư nhân, nửa đầu năm, ngày mốt, hàng năm, mười năm",
     [Q("mười", 10)]),
    ("vi", "hai mươi năm qua", [Q("hai mươi", 20)]),
    # vague plurals
    ("vi", "vài trăm GPU, một vài nghìn người, hàng chục nghìn kỹ sư, hàng tá dự án",
     [vague("vài trăm", 200), vague("một vài nghìn", 2000), vague("hàng chục nghìn", 20_000),
      vague("hàng tá", 24)]),
    ("vi", "hàng trăm, hàng nghìn, hàng ngàn, hàng triệu, hàng tỷ, hàng tỉ",
     [vague("hàng trăm", 200), vague("hàng nghìn", 2000), vague("hàng ngàn", 2000),
      vague("hàng triệu", 2e6), vague("hàng tỷ", 2e9), vague("hàng tỉ", 2e9)]),
    # percent
    ("vi", "ba mươi phần trăm, tăng 2 điểm phần trăm, giảm 1,5 điểm %",
     [pct("ba mươi phần trăm", 30), Q("2 điểm phần trăm", 2, "percent_point"),
      Q("1,5 điểm %", 1.5, "percent_point")]),
    # hedges
    ("vi", "khoảng 10, khoảng chừng 20, tầm 30, gần 40, xấp xỉ 50, chừng 60",
     [approx_q("khoảng 10", 10), approx_q("khoảng chừng 20", 20), approx_q("tầm 30", 30),
      approx_q("gần 40", 40), approx_q("xấp xỉ 50", 50), approx_q("chừng 60", 60)]),
    ("vi", "ước 70 tỷ, ước tính 80 người, ước đạt 2,5 nghìn tỷ, trên dưới 100 người, ngót 1.000",
     [approx_q("ước 70 tỷ", 70e9), approx_q("ước tính 80", 80),
      approx_q("ước đạt 2,5 nghìn tỷ", 2.5e12), approx_q("trên dưới 100", 100),
      approx_q("ngót 1.000", 1000)]),
    ("vi", "giá ~3 USD", [approx_q("~3", 3)]),
    ("vi", "hơn 38.000 đơn, trên 100 dự án, ít nhất 5, tối thiểu 6, vượt 1.000 tỷ",
     [lower("hơn 38.000", 38_000), lower("trên 100", 100), lower("ít nhất 5", 5),
      lower("tối thiểu 6", 6), lower("vượt 1.000 tỷ", 1e12)]),
    ("vi", "vượt quá 7%, vượt mốc 200 tỷ USD, từ 13.846 đô la trở lên",
     [lower("vượt quá 7%", 7, "percent"), lower("vượt mốc 200 tỷ", 2e11),
      lower("13.846 đô la trở lên", 13_846)]),
    ("vi", "dưới 5%, chưa đến 10 người, chưa tới 20, không tới 30, 40 tuổi trở xuống",
     [upper("dưới 5%", 5, "percent"), upper("chưa đến 10", 10), upper("chưa tới 20", 20),
      upper("không tới 30", 30), upper("40 tuổi trở xuống", 40)]),
    ("vi", "lên tới 1 triệu, lên đến 1,3 triệu USD, chiếm tới 32%, tăng đến 40%",
     [up_to("lên tới 1 triệu", 1e6), up_to("lên đến 1,3 triệu", 1.3e6),
      up_to("tới 32%", 32, "percent"), up_to("đến 40%", 40, "percent")]),
    ("vi", "tối đa 8 GPU, không quá 9 giờ", [up_to("tối đa 8", 8), up_to("không quá 9", 9)]),
    # comparisons are not bounds
    ("vi", "cao hơn 8-12,5%, thấp hơn 3%, nhiều hơn 4 lần, ít hơn 5 người, lớn hơn 6",
     [Q("8-12,5%", 8, "percent", value_max=12.5), pct("3%", 3), Q("4", 4), Q("5", 5),
      Q("6", 6)]),
    ("vi", "nhỏ hơn 7, rẻ hơn 8%, đắt hơn 9%, nhanh hơn 10 lần, chậm hơn 11 ngày",
     [Q("7", 7), pct("8%", 8), pct("9%", 9), Q("10", 10), Q("11", 11)]),
    ("vi", "cao hơn tới 44% so với năm trước", [up_to("tới 44%", 44, "percent")]),
    # ranges and changes
    ("vi", "vào khoảng 7 đến 8 NDT mỗi giờ", [Q("khoảng 7 đến 8", 7, value_max=8, approx=True)]),
    ("vi", "từ 5 tới 6 người, 2 - 3 tuần, 10–20 triệu",
     [Q("từ 5 tới 6", 5, value_max=6, from_to=True), Q("2 - 3", 2, value_max=3),
      Q("10–20 triệu", 10e6, value_max=20e6)]),
    ("vi", "3 tới 4 giờ", [Q("3 tới 4", 3, value_max=4)]),
    ("vi", "lương từ 100.000 đến 375.000 USD mỗi năm",
     [Q("từ 100.000 đến 375.000", 1e5, value_max=3.75e5, from_to=True)]),
    ("vi", "tỷ lệ tăng từ 31% năm 2000 lên 57% năm 2023",
     [Q("từ 31% năm 2000 lên 57%", 57, "percent", change_from=31)]),
    ("vi", "công suất đi từ khoảng 103 GW lên 200 GW",
     [Q("từ khoảng 103 GW lên 200", 200, change_from=103, approx=True)]),
    ("vi", "giá giảm từ 9 xuống 7 USD", [Q("từ 9 xuống 7", 7, change_from=9)]),
    ("vi", "đạt 57%, tăng từ 31% và 20%, giảm từ 25%",
     [Q("57%, tăng từ 31%", 57, "percent", change_from=31),
      Q("20%, giảm từ 25%", 20, "percent", change_from=25)]),
    # ranks
    ("vi", "xếp thứ 22, hạng 3, vị trí thứ 5, lọt top 10, tốp 5",
     [rank("thứ 22", 22), rank("hạng 3", 3), rank("vị trí thứ 5", 5),
      Q("top 10", 10, "ordinal", bound="upper"), Q("tốp 5", 5, "ordinal", bound="upper")]),
    ("vi", "đứng thứ nhất, hạng nhì, thứ hai, thứ ba, thứ tư, thứ năm, thứ mười hai",
     [rank("thứ nhất", 1), rank("hạng nhì", 2), rank("thứ hai", 2), rank("thứ ba", 3),
      rank("thứ tư", 4), rank("thứ năm", 5), rank("thứ mười hai", 12)]),
    ("vi", "đứng thứ 33 trên 38 quốc gia", [rank("thứ 33", 33), Q("38", 38)]),
    ("vi", "ở vị trí 55, giữ vị trí số 1", [rank("vị trí 55", 55), rank("vị trí số 1", 1)]),
    # a rank band: a range beside a band word, or a number with "+" after one
    ("vi", "ở nhóm 761-770, nhóm 1.401+, nhóm 50 doanh nghiệp",
     [Q("nhóm 761-770", 761, "ordinal", value_max=770), rank("nhóm 1.401", 1401), Q("50", 50)]),
    # a place and the size of its ranking after a slash; a date is still no number
    ("vi", "đứng thứ 5/10 nước ASEAN, xếp thứ 36/500", [rank("thứ 5", 5), rank("thứ 36", 36)]),
    ("vi", "ngày thứ 5, 29/06/2023", []),
    ("vi", "nhảy từ vị trí thứ 13 năm 2023 lên vị trí thứ 5",
     [Q("từ vị trí thứ 13 năm 2023 lên vị trí thứ 5", 5, "ordinal", change_from=13)]),
    ("vi", "Họp vào thứ Hai, Thứ 2, 29/06/2023 và thứ Năm", []),
    # years
    ("vi", "Năm 2023, những năm 1960, giai đoạn 2024–2026, niên khóa 2022, thập niên 2020", []),
    ("vi", "đến năm 2030 và 2031, kế hoạch 2025.", []),
    ("vi", "khoảng 2000 GPU", [approx_q("khoảng 2000", 2000)]),
    ("vi", "từ 2019 đến 2023 doanh thu tăng", []),
    # not quantities
    ("vi", "chip H100, A-100, H-100, mạng 5G, in 3D, tiến trình 3nm, visa H-1B", []),
    ("vi", "lúc 16:00 ngày 29/06/2023, tháng 6/2023, Quyết định 127/QĐ-TTg, gọi 0912 345 678", []),

    # --- English: numerals and separators
    ("en", "Meta runs 350,000 GPUs worth 26.6 billion dollars.",
     [Q("350,000", 350_000), Q("26.6 billion", 2.66e10)]),
    ("en", "It listed 3.170 and 1,234.5 and 3,5.",
     [Q("3.170", 3.17), Q("1,234.5", 1234.5), Q("3,5", 3.5)]),
    # scales
    ("en", "A $1.5bn round, $20m, 10k GPUs, $70B, $1.2 trillion, 20 m of cable.",
     [Q("1.5bn", 1.5e9), Q("20m", 2e7), Q("10k", 1e4), Q("70B", 7e10),
      Q("1.2 trillion", 1.2e12), Q("20", 20)]),
    ("en", "2 mn, 4 bn, 5b, 6 tn, 7trn, 8 thousand, 9 million, 3 quadrillion",
     [Q("2 mn", 2e6), Q("4 bn", 4e9), Q("5b", 5e9), Q("6 tn", 6e12), Q("7trn", 7e12),
      Q("8 thousand", 8e3), Q("9 million", 9e6), Q("3 quadrillion", 3e15)]),
    ("en", "IndiaAI spends ₹10,372 crore and Rs 7 lakh.",
     [Q("10,372 crore", 1.0372e11), Q("7 lakh", 7e5)]),
    # number words
    ("en", "one, two, three, four, five, six, seven, eight, nine, ten",
     series("one, two, three, four, five, six, seven, eight, nine, ten", 1)),
    ("en", "eleven, twelve, thirteen, fourteen, fifteen, sixteen, seventeen, eighteen, nineteen",
     series("eleven, twelve, thirteen, fourteen, fifteen, sixteen, seventeen, eighteen, nineteen",
            11)),
    ("en", "twenty, thirty, forty, fifty, sixty, seventy, eighty, ninety",
     series("twenty, thirty, forty, fifty, sixty, seventy, eighty, ninety", 20, 10)),
    ("en", "a million chips, an hundred, half a billion, two dozen, one hundred and twenty",
     [Q("a million", 1e6), Q("an hundred", 100), Q("half a billion", 5e8), Q("two dozen", 24),
      Q("one hundred and twenty", 120)]),
    ("en", "twenty-five labs, two million three hundred thousand",
     [Q("twenty-five", 25), Q("two million three hundred thousand", 2.3e6)]),
    ("en", "a new model, an idea, half the price", []),
    # vague plurals
    ("en", "a couple of hundred, a few labs, tens of thousands of GPUs, dozens of start-ups",
     [vague("a couple of hundred", 200), vague("a few", 2), vague("tens of thousands of", 20_000),
      vague("dozens of", 24)]),
    ("en", "hundreds of, thousands of, millions of, billions of",
     [vague("hundreds of", 200), vague("thousands of", 2000), vague("millions of", 2e6),
      vague("billions of", 2e9)]),
    # percent
    ("en", "8.12%, 5 percent, 6 per cent, 7 pct, 2 percentage points, 1 percentage point, 3pp",
     [pct("8.12%", 8.12), pct("5 percent", 5), pct("6 per cent", 6), pct("7 pct", 7),
      Q("2 percentage points", 2, "percent_point"), Q("1 percentage point", 1, "percent_point"),
      Q("3pp", 3, "percent_point")]),
    # hedges
    ("en", "about 1, around 2, roughly 3, nearly 4, almost 5, some 6, approximately 7",
     [approx_q("about 1", 1), approx_q("around 2", 2), approx_q("roughly 3", 3),
      approx_q("nearly 4", 4), approx_q("almost 5", 5), approx_q("some 6", 6),
      approx_q("approximately 7", 7)]),
    ("en", "an estimated 300, estimated 400, close to 500, circa 600, ~$3.90, 100 or so labs",
     [approx_q("an estimated 300", 300), approx_q("estimated 400", 400),
      approx_q("close to 500", 500), approx_q("circa 600", 600), approx_q("~$3.90", 3.9),
      approx_q("100 or so", 100)]),
    ("en", "more than 1, over 2, above 3, at least 4, exceeding $1 trillion, beyond 6",
     [lower("more than 1", 1), lower("over 2", 2), lower("above 3", 3), lower("at least 4", 4),
      lower("exceeding $1 trillion", 1e12), lower("beyond 6", 6)]),
    ("en", "in excess of 10%, upwards of 500, north of $2bn, just over 30, well over 40",
     [lower("in excess of 10%", 10, "percent"), lower("upwards of 500", 500),
      lower("north of $2bn", 2e9), lower("just over 30", 30), lower("well over 40", 40)]),
    ("en", "greater than 5, 6 or more, 100 and above, 10,000-plus, 10,000+",
     [lower("greater than 5", 5), lower("6 or more", 6), lower("100 and above", 100),
      lower("10,000-plus", 10_000), lower("10,000+", 10_000)]),
    ("en", "less than 1, under 2, below 3, fewer than 4, just under 5, 6 or less, 7 or fewer",
     [upper("less than 1", 1), upper("under 2", 2), upper("below 3", 3),
      upper("fewer than 4", 4), upper("just under 5", 5), upper("6 or less", 6),
      upper("7 or fewer", 7)]),
    ("en", "up to $500 billion, as many as 6, as much as 7%, at most 8, no more than 9",
     [up_to("up to $500 billion", 5e11), up_to("as many as 6", 6),
      up_to("as much as 7%", 7, "percent"), up_to("at most 8", 8), up_to("no more than 9", 9)]),
    ("en", "three times more than 2,000", [Q("three", 3), Q("2,000", 2000)]),
    ("en", "more  than\n5 GPUs", [lower("more  than\n5", 5)]),
    # ranges and changes
    ("en", "7 to 8 yuan, between 7 and 8, between two and three, 12 to 15 percent",
     [Q("7 to 8", 7, value_max=8), Q("between 7 and 8", 7, value_max=8),
      Q("between two and three", 2, value_max=3), Q("12 to 15 percent", 12, "percent", 15)]),
    ("en", "~$2.00–$2.50/GPU-hr, 5-7 days",
     [Q("~$2.00–$2.50", 2, value_max=2.5, approx=True), Q("5-7", 5, value_max=7)]),
    ("en", "from $100,000 to $375,000 a year, from 10 to 20 million",
     [Q("from $100,000 to $375,000", 1e5, value_max=3.75e5, from_to=True),
      Q("from 10 to 20 million", 1e7, value_max=2e7, from_to=True)]),
    ("en", "it rose from 5% to 10%, grew from 2 to 3, increased from 4 to 6",
     [Q("rose from 5% to 10%", 10, "percent", change_from=5),
      Q("grew from 2 to 3", 3, change_from=2), Q("increased from 4 to 6", 6, change_from=4)]),
    ("en", "fell from 30% to 20%, dropped from 9 to 7",
     [Q("fell from 30% to 20%", 20, "percent", change_from=30),
      Q("dropped from 9 to 7", 7, change_from=9)]),
    ("en", "57%, up from 31%, and 20%, down from 25%",
     [Q("57%, up from 31%", 57, "percent", change_from=31),
      Q("20%, down from 25%", 20, "percent", change_from=25)]),
    ("en", "revenue rose 5% to $10 billion", [pct("5%", 5), Q("10 billion", 1e10)]),
    # ranks
    ("en", "first, second, third, fourth, fifth, sixth, seventh, eighth, ninth, tenth",
     ranks("first, second, third, fourth, fifth, sixth, seventh, eighth, ninth, tenth", 1)),
    ("en", "eleventh, twelfth, thirteenth, fourteenth, fifteenth, sixteenth, seventeenth",
     ranks("eleventh, twelfth, thirteenth, fourteenth, fifteenth, sixteenth, seventeenth", 11)),
    ("en", "eighteenth, nineteenth, twentieth, thirtieth, fortieth, fiftieth, sixtieth",
     [rank("eighteenth", 18), rank("nineteenth", 19), rank("twentieth", 20),
      rank("thirtieth", 30), rank("fortieth", 40), rank("fiftieth", 50), rank("sixtieth", 60)]),
    ("en", "seventieth, eightieth, ninetieth, one hundredth, twenty-first",
     [rank("seventieth", 70), rank("eightieth", 80), rank("ninetieth", 90),
      rank("one hundredth", 100), rank("twenty-first", 21)]),
    ("en", "ranked 5th, ranks 12th, rank 3, number one, No. 1, #2, 1st, 2nd, 33rd",
     [rank("ranked 5th", 5), rank("ranks 12th", 12), rank("rank 3", 3), rank("number one", 1),
      rank("No. 1", 1), rank("#2", 2), rank("1st", 1), rank("2nd", 2), rank("33rd", 33)]),
    ("en", "the top ten, the top 1%", [Q("top ten", 10, "ordinal", bound="upper"), pct("1%", 1)]),
    # a number right after a product name is its model or version
    ("en", PRODUCTS + " and 12 more", [Q("12", 12)]),
    ("vi", "chip " + PRODUCTS + " và 12 mẫu khác", [Q("12", 12)]),
    ("en", "in the 761-770 band, the 1201-1400 bracket, 50 bands",
     [Q("761-770", 761, "ordinal", value_max=770), Q("1201-1400", 1201, "ordinal", value_max=1400),
      Q("50", 50)]),
    # years
    ("en", "in 2024, by 2030, since 2014, until 2027, through 2022, from 2019 to 2023", []),
    ("en", "before 2020, after 2021, during 2022, early 2023, late 2024, mid 2025, fiscal 2024",
     []),
    ("en", "January 2025, February 2025, March 2026, April 2024, May 2024, June 2025", []),
    ("en", "July 2023, August 2023, September 2023, October 2023, November 2023, December 2023",
     []),
    ("en", "the first half of 2025 sales, the 2020s, in 2023 and 2024 they", [rank("first", 1)]),
    ("en", "Vision 2030. About 1950 people", [approx_q("About 1950", 1950)]),
    ("en", "between 2019 and 2023 sales, in 2024-25 the", []),
    # not quantities
    ("en", "H100, A100, GB200, B200, GPT-4, GPT-3.5, COVID-19, H-1B, Llama-3-70B, GPT-4o", []),
    ("en", "5G, 3D, 3nm, 2023-06-29, mid-2025, 16:00, 1738814362667.png, +84 24 3825 1234", []),
]
# fmt: on


def _fields(q: Quantity) -> Q:
    return Q(
        q.text, q.value, q.kind, q.value_max, q.approx, q.bound, q.change_from, q.from_to, q.vague
    )


def _close(expected: Q, found: Q) -> bool:
    def same(a: float | None, b: float | None) -> bool:
        return a is b if a is None or b is None else math.isclose(a, b, rel_tol=1e-9)

    return (
        same(expected.value, found.value)
        and same(expected.value_max, found.value_max)
        and same(expected.change_from, found.change_from)
        and (expected.text, expected.kind, expected.approx, expected.bound)
        == (found.text, found.kind, found.approx, found.bound)
        and (expected.from_to, expected.vague) == (found.from_to, found.vague)
    )


@pytest.mark.parametrize(
    ("lang", "text", "expected"), CASES, ids=[f"{c[0]}-{c[1][:40]}" for c in CASES]
)
def test_phrase_yields_exactly_these_quantities(lang: str, text: str, expected: list[Q]) -> None:
    found = [_fields(q) for q in find_quantities(text, lang)]
    assert len(found) == len(expected), found
    for want, got in zip(expected, found, strict=True):
        assert _close(want, got), (want, got)


# --- behaviours, one by one


def _one(text: str, lang: str) -> Quantity:
    found = find_quantities(text, lang)
    assert len(found) == 1, found
    return found[0]


def test_vietnamese_thousands_dot_is_not_a_decimal_point() -> None:
    assert _one("sở hữu 350.000 GPU", "vi").value == 350_000
    assert _one("có 9.265 bằng sáng chế", "vi").value == 9265
    assert _one("chi 7.000 tỷ USD", "vi").value == 7e12


def test_english_reads_the_same_digits_the_other_way() -> None:
    assert _one("owns 350,000 GPUs", "en").value == 350_000
    assert _one("it fell 350.000 points", "en").value == 350.0
    assert _one("tỷ lệ 69,7 phần trăm", "vi").value == pytest.approx(69.7)


def test_a_lone_separator_that_cannot_group_is_a_decimal_mark() -> None:
    assert _one("khoảng 1.5 triệu", "vi").value == 1.5e6
    assert _one("about 1,5 million", "en").value == 1.5e6
    assert find_quantities("version 1.2.3 and 10.0.0.1", "en") == []


def test_scale_words_compose_with_decimals() -> None:
    assert _one("1,46 nghìn tỉ won", "vi").value == pytest.approx(1.46e12)
    assert _one("26.6 billion dollars", "en").value == pytest.approx(2.66e10)


def test_glued_abbreviations_are_scales_only_when_glued() -> None:
    assert _one("$20m", "en").value == 2e7
    assert _one("a 20 m cable", "en").value == 20
    assert _one("10k", "en").value == 1e4


def test_currency_symbols_stay_outside_the_number() -> None:
    quantity = _one("raised $1.5bn", "en")
    assert (quantity.text, quantity.number_span) == ("1.5bn", (8, 13))
    hedged = _one("around $15 billion", "en")
    assert hedged.text == "around $15 billion"
    assert "around $15 billion"[slice(*hedged.number_span)] == "15 billion"


def test_number_span_covers_numerals_and_scale_words_only() -> None:
    text = "chi khoảng 1,46 nghìn tỷ won"
    quantity = _one(text, "vi")
    assert quantity.text == "khoảng 1,46 nghìn tỷ"
    assert text[slice(*quantity.number_span)] == "1,46 nghìn tỷ"
    share = "đạt 57%"
    assert share[slice(*_one(share, "vi").number_span)] == "57"


def test_product_codes_are_not_quantities() -> None:
    text = "H100, A-100, H-100, GB200, B200, GPT-4, GPT-3.5, COVID-19, H-1B, Llama-3-70B, V3"
    assert find_quantities(text, "en") == []
    assert find_quantities("Hàn Quốc có khoảng 2.000 H-100", "vi")[0].value == 2000


def test_a_version_after_a_listed_product_name_is_no_quantity_but_after_others_it_is() -> None:
    assert find_quantities("Claude 3.5 Sonnet", "en") == []
    assert _one("Falcon 3 models", "en").value == 3  # not a listed product name
    assert _one("the Ascend team hired 40 people", "en").value == 40


def test_dates_times_and_decree_numbers_are_not_quantities() -> None:
    text = "lúc 16:00 ngày 29/06/2023 (tháng 6/2023) theo 127/QĐ-TTg và 13/2023/NĐ-CP"
    assert find_quantities(text, "vi") == []
    assert find_quantities("on 2023-06-29 at 09:30", "en") == []


def test_rates_after_a_slash_are_quantities() -> None:
    assert _one("$3.90/GPU-hr", "en").value == 3.9


def test_telephone_numbers_are_not_quantities() -> None:
    assert find_quantities("gọi 0912 345 678 hoặc +84 24 3825 1234", "vi") == []


def test_years_are_skipped_not_read_as_quantities() -> None:
    assert find_quantities("năm 2023, in 2024, đến năm 2030, giai đoạn 2024–2026", "vi") == []
    assert find_quantities("by 2030 and 2031, the 2020s, (2023)", "en") == []
    assert _one("khoảng 2000 GPU", "vi").value == 2000  # a hedge makes it a count
    assert _one("1950 người", "vi").value == 1950  # no year word, a word follows


def test_nam_is_five_only_before_a_number_word() -> None:
    assert find_quantities("Năm quốc gia, năm nay, năm 2023, hàng năm", "vi") == []
    assert _one("năm triệu người", "vi").value == 5e6
    assert _one("năm mươi người", "vi").value == 50
    assert _one("đứng thứ năm", "vi").kind == "ordinal"


def test_mot_alone_is_the_article() -> None:
    assert find_quantities("một công ty, một số ước tính", "vi") == []
    assert _one("một tỷ USD", "vi").value == 1e9


def test_range_with_den_gives_value_and_value_max() -> None:
    quantity = _one("vào khoảng 7 đến 8 NDT", "vi")
    assert (quantity.value, quantity.value_max, quantity.approx) == (7, 8, True)


def test_range_inherits_scale_and_percent_from_its_second_number() -> None:
    assert (_one("10 to 20 million", "en").value, _one("10 to 20 million", "en").value_max) == (
        1e7,
        2e7,
    )
    share = _one("8-12,5%", "vi")
    assert (share.kind, share.value, share.value_max) == ("percent", 8, 12.5)
    wide = _one("between 500 and 2 million", "en")
    assert (wide.value, wide.value_max) == (500, 2e6)


def test_a_descending_dash_pair_is_no_range_and_no_quantity() -> None:
    assert find_quantities("call 1800-1234 now", "en") == []


def test_tu_x_len_y_is_a_change_with_the_later_value_current() -> None:
    quantity = _one("tăng từ 31% lên 57%", "vi")
    assert (quantity.value, quantity.change_from, quantity.kind) == (57, 31, "percent")
    assert quantity.value_max is None


def test_from_x_to_y_is_marked_from_to() -> None:
    quantity = _one("from 7 to 8 yuan", "en")
    assert (quantity.value, quantity.value_max, quantity.from_to) == (7, 8, True)
    assert _one("7 to 8 yuan", "en").from_to is False


def test_more_than_is_an_approximate_lower_bound_as_in_the_gold() -> None:
    for text, lang in [("hơn 50.000 đơn", "vi"), ("more than 50,000 people", "en")]:
        quantity = _one(text, lang)
        assert (quantity.approx, quantity.bound) == (True, "lower")


def test_up_to_is_an_exact_upper_bound_as_in_the_gold() -> None:
    for text, lang in [("lên đến 1,3 triệu USD", "vi"), ("up to $500 billion", "en")]:
        quantity = _one(text, lang)
        assert (quantity.approx, quantity.bound) == (False, "upper")


def test_about_and_khoang_are_approximate_without_a_bound() -> None:
    for text, lang in [("khoảng 2.500", "vi"), ("about 2,500", "en"), ("gần 1.000", "vi")]:
        quantity = _one(text, lang)
        assert (quantity.approx, quantity.bound) == (True, None)


def test_comparative_hon_is_not_a_bound() -> None:
    quantity = _one("được trả cao hơn 8-12,5%", "vi")
    assert (quantity.approx, quantity.bound, quantity.text) == (False, None, "8-12,5%")


def test_a_hedge_right_after_a_number_is_not_a_hedge() -> None:
    found = find_quantities("đứng thứ 33 trên 38 nước", "vi")
    assert [(q.text, q.bound) for q in found] == [("thứ 33", None), ("38", None)]


def test_ranks_are_ordinals() -> None:
    for text, lang, value in [
        ("xếp thứ 22", "vi", 22),
        ("hạng nhì", "vi", 2),
        ("vị trí thứ 5", "vi", 5),
        ("ranked fifth", "en", 5),
        ("the 33rd", "en", 33),
    ]:
        quantity = _one(text, lang)
        assert (quantity.kind, quantity.value) == ("ordinal", value)
    assert _one("lọt top 10", "vi").bound == "upper"


def test_weekdays_are_not_ranks() -> None:
    assert find_quantities("vào thứ Hai và Thứ Năm, Thứ 2, 29/06/2023", "vi") == []


def test_vague_plurals_give_their_least_value() -> None:
    quantity = _one("hàng trăm GPU", "vi")
    assert (quantity.value, quantity.vague, quantity.approx, quantity.bound) == (
        200,
        True,
        True,
        "lower",
    )
    assert _one("dozens of labs", "en").value == 24


def test_half_alone_is_a_share_and_before_a_scale_a_factor() -> None:
    assert (_one("một nửa", "vi").kind, _one("một nửa", "vi").value) == ("percent", 50)
    assert _one("half a million", "en").value == 5e5


# --- parse_number and render_number


@pytest.mark.parametrize(
    ("token", "lang", "value"),
    [
        ("350.000", "vi", 350_000),
        ("1.234,5", "vi", 1234.5),
        ("69,7", "vi", 69.7),
        ("7.000 tỷ", "vi", 7e12),
        ("2.500", "vi", 2500),
        ("1,46 nghìn tỉ", "vi", 1.46e12),
        ("9.265", "vi", 9265),
        ("hai triệu", "vi", 2e6),
        ("350,000", "en", 350_000),
        ("26.6 billion", "en", 2.66e10),
        ("1.5bn", "en", 1.5e9),
        ("1.2 trillion", "en", 1.2e12),
        ("10k", "en", 1e4),
        ("two", "en", 2),
        ("3.170", "en", 3.17),
        (" -4,5 ", "vi", -4.5),
    ],
)
def test_parse_number_reads_one_numeral(token: str, lang: str, value: float) -> None:
    assert parse_number(token, lang) == pytest.approx(value)


@pytest.mark.parametrize(
    "token", ["", "abc", "5%", "khoảng 5", "5 đến 6", "thứ 5", "5th", "1.2.3", "H100", "5 6"]
)
def test_parse_number_refuses_anything_but_one_numeral(token: str) -> None:
    assert parse_number(token, "vi") is None
    assert parse_number(token, "en") is None


def test_render_number_writes_each_language_style() -> None:
    assert render_number(1234.5, "vi") == "1.234,5"
    assert render_number(1234.5, "en") == "1,234.5"
    assert render_number(1.46e12, "vi", scale=True) == "1,46 nghìn tỷ"
    assert render_number(2.66e10, "en", scale=True) == "26.6 billion"
    assert render_number(-350000, "en") == "-350,000"
    with pytest.raises(ValueError):
        render_number(math.inf, "en")


# News figures: up to a quadrillion, to a millionth (a numeral has at most 30 digits).
finite = st.floats(min_value=-1e15, max_value=1e15, allow_nan=False).map(lambda v: round(v, 6))


@given(value=finite, lang=st.sampled_from(LANGS), scale=st.booleans())
@example(value=3.17, lang="en", scale=False)
@example(value=1.46e12, lang="vi", scale=True)
@example(value=1e-6, lang="vi", scale=False)
def test_rendered_number_parses_back_to_itself(value: float, lang: str, scale: bool) -> None:
    parsed = parse_number(render_number(value, lang, scale=scale), lang)
    assert parsed is not None
    assert math.isclose(parsed, value, rel_tol=1e-12, abs_tol=1e-300)


# --- hostile text


def _check_spans(text: str, lang: str) -> None:
    previous_end = 0
    for quantity in find_quantities(text, lang):
        assert text[quantity.start : quantity.end] == quantity.text
        assert previous_end <= quantity.start < quantity.end
        assert quantity.start <= quantity.number_span[0] <= quantity.number_span[1]
        assert quantity.number_span[1] <= quantity.end
        assert math.isfinite(quantity.value)
        previous_end = quantity.end


numberish = st.lists(
    st.sampled_from(
        [
            *"0123456789.,-–/:%$~+# ()",
            *["khoảng ", "hơn ", "đến ", "từ ", " lên ", "thứ ", "năm ", "tỷ ", "nghìn  tỷ "],
            *["about ", "more\nthan ", " to ", "between ", " and ", "billion ", "bn", "k", "th "],
            *["hai ", "mươi ", "trăm ", "one ", "hundred ", "dozens of ", "H", "GPT-", "Ω", "漢"],
        ]
    ),
    max_size=60,
).map("".join)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.one_of(st.text(max_size=200), numberish), lang=st.sampled_from(LANGS))
def test_find_quantities_never_raises_and_spans_slice_to_their_text(text: str, lang: str) -> None:
    _check_spans(text, lang)


HOSTILE = [
    "1" * 10_000,
    "1." * 5_000 + "5",
    "1,000," * 2_000,
    "(" * 5_000 + "42" + ")" * 5_000,
    "khoảng " * 3_000 + "5",
    "hai " * 5_000,
    "one " * 5_000,
    "- 1 " * 3_000,
    "từ 1 đến " * 2_000,
    "thứ " * 3_000,
    "2023-" * 3_000,
    "0" + " 12" * 4_000,
    "Ωمرحبا漢字🙂 123,4 tỷ " * 500,
    "\u0301" * 1_000 + "5",
    "İ5 TỶ",
]


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
@pytest.mark.parametrize("lang", LANGS)
def test_hostile_text_is_read_without_error(text: str, lang: str) -> None:
    _check_spans(text, lang)


@pytest.mark.parametrize("lang", LANGS)
def test_a_megabyte_of_adversarial_text_takes_linear_time(lang: str) -> None:
    """Ten times the text may cost at most ~30 times the time: a guard against super-linear
    backtracking that holds on slow and fast machines alike (not a speed target)."""
    unit = "".join(HOSTILE[:12]) + " ".join(c[1] for c in CASES)

    def seconds(size: int) -> float:
        text = (unit * (size // len(unit) + 1))[:size]
        started = time.perf_counter()
        find_quantities(text, lang)
        return time.perf_counter() - started

    small = min(seconds(100_000) for _ in range(2))
    assert seconds(1_000_000) < 30 * small + 0.5


# --- the lexicon files


# Entries whose work is to keep something from being a quantity: they are used when a case's
# text holds them (and the case's expected list shows the effect).
SUPPRESSORS = ("years.", "identifiers.", "comparatives", "ambiguous.")
GLUED = (".glued", "ordinals.suffixes", "years.decade_suffixes", "identifiers.glued_suffixes")


def _uses(entry: str, key: str, text: str) -> bool:
    words = r"\s+".join(re.escape(w) for w in entry.split())
    if key.endswith(GLUED):
        pattern = rf"\d{words}(?!\w)"
        return re.search(pattern, text) is not None  # case matters for glued suffixes
    head = r"(?<![^\W\d_])" if entry[0].isalnum() else ""  # "3pp", "7trn": after a digit
    tail = r"(?!\w)" if entry[-1].isalnum() else ""
    return re.search(head + words + tail, text, re.IGNORECASE) is not None


@pytest.mark.parametrize("lang", LANGS)
def test_every_lexicon_entry_is_exercised_by_a_case(lang: str) -> None:
    texts = [text for case_lang, text, _ in CASES if case_lang == lang]
    quoted = [q.text for case_lang, _, expected in CASES if case_lang == lang for q in expected]
    unused = []
    for key, entries in number_entries(lang).items():
        # a band word after its range ("the 761-770 band") is outside the quantity's text
        outside = key.endswith((".compounds", "marker.band"))
        pool = texts if key.startswith(SUPPRESSORS) or outside else quoted
        unused += [f"{key}: {e}" for e in entries if not any(_uses(e, key, t) for t in pool)]
    assert unused == []


# Sections keyed by a value or a surface word, which languages fill differently, and optional
# keys (a language may glue no abbreviation to a number, or have no postfix hedge).
OWN_KEYS = ("cardinals", "multipliers", "ambiguous", "ordinals.words")
OPTIONAL_KEYS = ("glued", "compounds", "after", "suffixes", "decade_suffixes")


def _key_paths(node: object, where: str = "") -> set[str]:
    if not isinstance(node, dict) or where.rstrip(".") in OWN_KEYS:
        return set()
    paths = set()
    for key, value in node.items():
        if key not in OPTIONAL_KEYS:
            paths |= {where + key} | _key_paths(value, f"{where}{key}.")
    return paths


def test_both_languages_have_the_same_keys() -> None:
    vi, en = (lexicon.read_concern(lang, "numbers") for lang in LANGS)
    assert _key_paths(vi) == _key_paths(en)
    assert len(_key_paths(vi)) > 40


@pytest.mark.parametrize(
    ("broken", "key"),
    [
        ({"separators": {"decimal": ",", "thousands": ","}}, "separators"),
        ({"extra": []}, "extra"),
        ({"scales": {"scale.thousand": {"multiplier": 1000, "words": []}}}, "scales."),
        ({"ambiguous": {"năm": "sometimes"}}, "ambiguous.năm"),
        ({"ranges": {"range.span": [["", ""]]}}, "ranges."),
    ],
)
def test_malformed_lexicon_raises_lexicon_error_naming_the_key(
    monkeypatch: pytest.MonkeyPatch, broken: dict[str, object], key: str
) -> None:
    good = dict(lexicon.read_concern("vi", "numbers"))
    monkeypatch.setattr(number_lexicon, "read_concern", lambda lang, concern: {**good, **broken})
    numbers._compiled.cache_clear()
    try:
        with pytest.raises(LexiconError) as error:
            find_quantities("5", "vi")
        assert error.value.key is not None and error.value.key.startswith(key)
        assert error.value.path is not None and error.value.path.endswith("numbers.yaml")
    finally:
        monkeypatch.undo()
        numbers._compiled.cache_clear()


def test_nothing_is_compiled_at_import() -> None:
    code = "import airace.extract.numbers as n; print(n._compiled.cache_info().currsize)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "0"


@pytest.mark.parametrize("module", [numbers, number_lexicon, number_patterns, numerals, quantities])
def test_code_never_tests_a_language_code(module: ModuleType) -> None:
    source = Path(str(module.__file__)).read_text(encoding="utf-8")
    assert re.search(r"\blang\s*(?:==|!=|\bin\b)", source) is None
