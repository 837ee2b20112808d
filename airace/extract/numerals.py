"""Numerals: the number written at one position of a text, in digits or in words.

A numeral is digits with the language's separators (``1.234,5`` in Vietnamese, ``1,234.5`` in
English), the scale words after them (``2 tỷ 300 triệu``, ``10k``) and a percent sign or word;
or a sequence of number words (``hai mươi lăm``, ``two hundred and six``, ``hàng trăm``). The
reader gives its value fully scaled; hedges, rank markers, ranges and years around it are the
scanner's (``quantities.py``).

What is not a quantity is decided by mechanisms rather than lists. Digits glued after letters,
or after a letter and a hyphen, are names (``H100``, ``GB200``, ``GPT-4``, ``GPT-3.5``,
``COVID-19``, ``H-1B``, ``Llama-3-70B``), as are digits glued to a suffix listed under
``identifiers`` (``5G``, ``3nm``) or to letters and digits again (``3B2``). Digits joined by ``/``
or ``:`` are dates, times, fractions or decree numbers (``29/06/2023``, ``16:00``,
``127/QĐ-TTg``); three hyphenated digit groups are a date (``2023-06-29``); a leading zero, or a
``+`` before digit groups, is a telephone number; a numeral with an impossible grouping
(``1.2.3``) is a version or an address. Digit runs are capped at thirty digits. A number right
after a product name of ``identifiers`` (``Ascend 910C``, ``Llama 3.1``, ``Gaudi 3``) is its model
or version.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from airace.extract.number_lexicon import Kind, NumberLexicon, Role, lookup_key
from airace.extract.number_patterns import Patterns

# How far before a number a product name may end ("Snapdragon 8"), and a model's glued tail.
_PRODUCT_REACH = 16
_MODEL_TAIL = re.compile(r"[\w.]*")
# Longer digit runs are hashes, identifiers or hostile input, never a reported figure; the cap
# also keeps float() away from absurd strings.
_MAX_DIGITS = 30
# Bare four-digit integers in this range may be years.
_YEAR_MIN, _YEAR_MAX = 1900, 2100


@dataclass(slots=True)
class Number:
    """One number read at an anchor, before hedges and ranges are considered."""

    start: int
    end: int  # end of the numerals and scale words
    outer: int  # end including a percent sign or an ordinal suffix
    value: float
    raw: float  # the value before scale words
    factor: float = 1.0  # product of the scale words
    percent: Kind | None = None
    ordinal: bool = False
    vague: bool = False
    fraction_alone: bool = False
    words: bool = False
    bare: bool = False  # digits only: no sign, separator, scale, suffix or percent

    @property
    def year_like(self) -> bool:
        """Tell whether the number may be a year: four bare digits from 1900 to 2100."""
        return self.bare and self.end - self.start == 4 and _YEAR_MIN <= self.value <= _YEAR_MAX


@dataclass(frozen=True)
class Skip:
    """Digits that are not a quantity (a date, a name, a telephone number) ending at ``end``."""

    end: int


_DATE_CHAIN = re.compile(r"(?:[-/:.]\d+)+")
_DECREE = re.compile(r"/[^\W\d_]+-(?P<head>[^\W\d_])\w*")
_PHONE = re.compile(r"(?:[ .-]\d{2,4}(?!\d))+")
_HYPHEN_CHAIN = re.compile(r"(?:-\d+){2,}")
_GLUED_NAME = re.compile(r"[^\W\d_]+\d\w*|\.[^\W\d_]\w*")
_COMPOUND = re.compile(r"\s+(?P<n>[1-9]\d{0,2})(?![\d.,])")


def _numeral_value(body: str, decimal: str, thousands: str) -> float | None:
    """Return the value of digits with separators by the language's convention, or None."""
    points, commas = body.count("."), body.count(",")
    if not points and not commas:
        return float(body)
    if points and commas:
        last = max(body.rfind("."), body.rfind(","))
        mark = body[last]
        if body.count(mark) != 1:
            return None
        parts = body[:last].split("," if mark == "." else ".")
        return float("".join(parts) + "." + body[last + 1 :]) if _grouped(parts) else None
    parts = body.split("." if points else ",")
    if len(parts) > 2:
        return float("".join(parts)) if _grouped(parts) else None
    if body[len(parts[0])] == thousands and _grouped(parts):
        return float(parts[0] + parts[1])
    # The decimal mark, or a thousands mark that cannot group ("1.5 triệu" in Vietnamese).
    return float(parts[0] + "." + parts[1])


def _grouped(parts: list[str]) -> bool:
    """Whether parts are thousands groups: 1-3 digits (no leading zero), then 3 each."""
    return (
        1 <= len(parts[0]) <= 3
        and not parts[0].startswith("0")
        and all(len(p) == 3 for p in parts[1:])
    )


class NumberReader:
    """Reads the number at a position of one text; patterns run on ``low``, the lower-cased text."""

    def __init__(self, text: str, lex: NumberLexicon, patterns: Patterns) -> None:
        low = text.lower()
        if len(low) != len(text):  # a letter whose lower case is longer ("İ"): keep it
            low = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
        self.text, self.low, self.lex, self.p = text, low, lex, patterns

    def numeral(self, match: re.Match[str]) -> Number | Skip:
        """Read the digits an anchor matched, with the scale words and percent sign after them."""
        text, low, p = self.text, self.low, self.p
        raw = match.group("num")
        start, end = match.start("num"), match.end("num")
        sign = raw[0] if raw[0] in "+-−" else ""
        body = raw[len(sign) :]
        if len(body) - body.count(".") - body.count(",") > _MAX_DIGITS:
            return Skip(end)
        after = low[end : end + 2]  # the cheap tests on it spare most pattern calls
        if after[:1] in ("/", ":"):
            if after[1:].isdigit():
                chain = _DATE_CHAIN.match(low, end)
                return Skip(chain.end() if chain else end)  # 29/06/2023, 16:00, 6/2023, 1/3
            decree = _DECREE.match(text, end)
            if decree is not None and decree.group("head").isupper():
                return Skip(decree.end())  # 127/QĐ-TTg
        elif after[:1] == "-" and (chain := _HYPHEN_CHAIN.match(low, end)) is not None:
            return Skip(chain.end())  # 2023-06-29
        if (body[0] == "0" and body[1:2].isdigit()) or sign == "+":
            phone = _PHONE.match(low, end)  # 0912 345 678, +84 24 3825 1234
            if phone is not None or sign != "+":
                return Skip(phone.end() if phone else end)
        product = p.product_before
        if product is not None and product.search(text, max(0, start - _PRODUCT_REACH), start):
            tail = _MODEL_TAIL.match(text, end)
            return Skip(tail.end() if tail else end)  # Ascend 910C, Llama 3.1, Gaudi 3
        value = _numeral_value(body, self.lex.decimal, self.lex.thousands)
        if value is None:
            return Skip(end)  # 1.2.3: a version or an address, not a number
        value = -value if sign in ("-", "−") else value
        number = Number(start, end, end, value, value, bare=not sign and body.isdigit())
        glued = after[:1].isalpha()
        if glued and (suffix := p.ordinal_suffix.match(low, end)) is not None:
            number.ordinal, number.outer, number.bare = True, suffix.end(), False
            return number
        if glued and (identifier := p.identifier_suffix.match(text, end)) is not None:
            return Skip(identifier.end())  # 5G, 3nm
        if glued or after[:1].isspace() or after[:1] == "-":  # "$10-billion deal"
            self.scales(number)
        if number.end == end and (glued or after[:1] == "."):
            name = _GLUED_NAME.match(low, end)
            if name is not None:
                return Skip(name.end())  # 3B2, 1738814362667.png
        self.percent(number)
        return number

    def scales(self, number: Number) -> None:
        """Extend a numeral with the scale words after it, "2 tỷ 300 triệu" included."""
        last = 0.0
        while (match := self.p.scale_tail.match(self.low, number.end)) is not None:
            word = self.lex.tails.get(lookup_key(match.group("w") or match.group("g")))
            if word is None or (last and (word.role == "multiplier" or word.value <= last)):
                break
            number.factor *= word.value
            number.value *= word.value
            number.end = number.outer = match.end()
            number.bare = False
            last = word.value if word.role == "scale" else last
        while last and (compound := _COMPOUND.match(self.low, number.end)) is not None:
            match = self.p.scale_tail.match(self.low, compound.end())
            if match is None or not match.group("w"):
                break
            word = self.lex.tails.get(lookup_key(match.group("w")))
            if word is None or word.role != "scale" or word.value >= last:
                break
            number.value += math.copysign(float(compound.group("n")) * word.value, number.value)
            number.end = number.outer = match.end()
            last = word.value

    def percent(self, number: Number) -> None:
        """Extend a number with the percent sign or word after it."""
        match = self.p.percent_tail.match(self.low, number.outer)
        if match is not None:
            number.percent = self.lex.percent.get(lookup_key(match.group("p")))
            number.outer = match.end()
            number.bare = False

    def words(self, match: re.Match[str]) -> Number | None:
        """Evaluate a sequence of number words; None when it does not make a number."""
        total = group = last = largest = vague = 0.0
        fraction = 1.0
        previous: tuple[Role, float] | None = None
        start = end = match.start("words")
        for token in self.p.token.finditer(self.low, start, match.end("words")):
            word = self.lex.words.get(lookup_key(token.group()))
            if word is None or word.role == "filler":
                continue
            role, value = word.role, word.value
            if vague:
                if role not in ("multiplier", "scale", "vague"):
                    break
                vague *= value  # "hàng chục nghìn", "tens of thousands of"
            elif role in ("fraction", "vague"):
                if previous is not None:
                    break
                fraction, vague = (value, 0.0) if role == "fraction" else (1.0, value)
            elif role in ("cardinal", "ordinal"):
                if role == "ordinal" and value >= 100 and last:
                    group, last = group + last * (value - 1), 0.0  # "one hundredth"
                elif previous is not None and previous[0] in ("cardinal", "ordinal"):
                    if not (previous[1] >= 10 and previous[1] % 10 == 0 and value < 10):
                        break  # "hai ba", "one two": a list, not one number
                    group, last = group + value, last + value  # "twenty five", "mười lăm"
                else:
                    group, last = group + value, value
            elif role == "multiplier":
                if not last:
                    break
                group, last = group + last * (value - 1), 0.0  # "hai mươi", "two hundred"
            else:  # a scale word
                if not group and not total and fraction != 1.0:
                    group = 1.0  # "nửa triệu"
                if not group:
                    break
                total = (total + group) * value if value > largest > 0 else total + group * value
                largest, group, last = max(largest, value), 0.0, 0.0
            previous = (role, value)
            end = token.end()
            if role == "ordinal":
                break
        if previous is None:
            return None
        if vague:
            return Number(start, end, end, 2 * vague, 2 * vague, vague=True, words=True)
        value = fraction * (total + group)
        if not value:
            if fraction == 1.0:
                return None
            return Number(start, end, end, fraction, fraction, fraction_alone=True, words=True)
        number = Number(start, end, end, value, value, ordinal=previous[0] == "ordinal")
        number.words = True
        if largest:
            number.factor, number.raw = largest, value / largest
        return number

    def number_at(self, pos: int) -> Number | Skip | None:
        """Read the number that starts exactly at ``pos``."""
        match = self.p.core.match(self.low, pos)
        if match is None:
            return None
        if match.lastgroup == "num":
            return self.numeral(match)
        number = self.words(match)
        if number is not None:
            self.percent(number)
        return number
