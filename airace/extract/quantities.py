"""Quantities: the number expressions of a text, each with its hedges, range and rank.

``Scanner.scan`` makes one pass over a text. One ``search`` loop finds anchors: digit runs,
number-word sequences, and rank markers before a word that is a number only after a marker
(``thứ tư``); the numeral reader (``numerals.py``) reads the number at each. Everything else is
read outward from the anchor with anchored ``match`` calls: a range's connector and second
number, postfix hedges after it; hedges, rank markers, range openers and year words before it,
by matching reversed patterns against the reversed 64 characters before the anchor. Each
expression starts at or after the end of the last one, so quantities never overlap.

Years are skipped, not returned (``time.py`` reads them): a bare four-digit 1900–2100 with no
separator, sign, scale, percent or hedge is a year when a year word precedes it (``năm 2023``,
``in 2024``), a decade suffix follows it (``2020s``), punctuation or the end of the text follows
it, it closes a year range (``2024–2026``, ``2019 to 2023``) or it follows another year in a list.
News writes counts of a thousand and more with a separator, so a bare ``2000`` followed by a word
and no year word stays a number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from airace.extract.number_lexicon import Bound, Hedge, Kind, NumberLexicon, lookup_key
from airace.extract.number_patterns import Patterns
from airace.extract.numerals import Number, NumberReader, Skip


@dataclass(frozen=True)
class Quantity:
    """A number expression found in a text.

    ``text == source[start:end]`` always. ``number_span`` covers the numerals and scale words
    (no hedge, percent sign or currency before the first number): for a range both numbers,
    for a change the current one. ``kind`` is ``percent_point`` for "percentage points" and
    "điểm phần trăm". ``bound`` says the value is a floor or a ceiling ("more than", "up to");
    ``approx`` follows the gold format (true for "khoảng", "hơn", "about", "more than"; false
    for "up to", "lên đến"). ``from_to`` marks "from X to Y"/"từ X đến Y", held as a range
    (value X, value_max Y) that the sentence may show to be a change. ``vague`` marks a plural
    with no count ("hàng trăm", "dozens of"): the value is the least it can mean (200, 24).
    """

    start: int
    end: int
    value: float
    value_max: float | None
    kind: Kind
    approx: bool
    bound: Bound | None
    change_from: float | None
    number_span: tuple[int, int]
    text: str
    from_to: bool = False
    vague: bool = False


# A place and the size of its ranking after a slash: "thứ 5/10" (not a date: no second slash).
_RANK_OF_TOTAL = re.compile(r"(\d{1,3})/\d{1,4}(?![/\d.,])")
# Characters before an anchor searched for hedges, markers and openers; the longest real prefix
# ("từ khoảng hơn vị trí thứ") is under half of it.
_WINDOW = 64
# A year this close after another one (", ", " và ", " and ") continues a list of years.
_YEAR_LIST_GAP = 6

_WEEKDAY_DATE = re.compile(r"\s*,?\s*\d{1,2}/\d{1,2}")
_SPACE = re.compile(r"\s")
_WORD_NEXT = re.compile(r"\s*\w")


@dataclass(slots=True)
class _Prefix:
    """What stands before a number: hedges, a rank marker, a range opener, a year word."""

    start: int  # where the expression starts (the number itself when nothing precedes it)
    hedges: list[Hedge] = field(default_factory=list)
    marker: bool = False
    top: bool = False
    band: bool = False  # a band word: the range after it is a rank band
    opener: str = ""
    opener_start: int = 0
    year_word: bool = False


@dataclass(slots=True)
class _Range:
    """A range's second number, its concept and the hedges before the second number."""

    concept: str
    second: Number
    hedges: list[Hedge]
    opener: bool
    skip: bool = False


class Scanner:
    """One pass over one text; patterns run on ``low``, the lower-cased text (same offsets)."""

    def __init__(self, text: str, lex: NumberLexicon, patterns: Patterns) -> None:
        self.reader = NumberReader(text, lex, patterns)
        self.text, self.low, self.lex, self.p = text, self.reader.low, lex, patterns
        self.floor = 0  # end of the last quantity: the next one may not start before it
        self.year_end = -_YEAR_LIST_GAP - 1  # end of the last year skipped

    def scan(self) -> list[Quantity]:
        """Return the text's quantities, in order, without overlaps."""
        found: list[Quantity] = []
        pos = 0
        while (match := self.p.master.search(self.low, pos)) is not None:
            quantity, resume = self.read_at(match)
            if quantity is not None:
                found.append(quantity)
                self.floor = resume = quantity.end
            pos = max(resume, match.start() + 1)
        return found

    # -- around the number

    def prefix(self, start: int) -> _Prefix:
        """Read hedges, a rank marker and a range opener before ``start``, from ``floor`` on."""
        p = self.p
        low = max(0, start - _WINDOW)
        if low > 0:  # start at a space, not inside a cut word
            cut = _SPACE.search(self.low, low, start)
            low = cut.start() if cut else start
        rev = self.low[low:start][::-1]
        if p.any_reversed.match(rev) is None:
            return _Prefix(start)
        prefix = _Prefix(start, year_word=p.year_reversed.match(rev) is not None)
        gap = p.gap_reversed.match(self.text[low:start][::-1])
        pos = gap.end() if gap else 0
        marker = p.marker_reversed.match(rev, pos)
        if marker is not None and start - marker.end() >= self.floor:
            prefix.marker = True
            prefix.top = self.lex.markers.get(
                lookup_key(marker.group("w") or marker.group("s"))[::-1], False
            )
            pos = marker.end()
            prefix.start = start - pos
        elif p.band_reversed is not None:
            band = p.band_reversed.match(rev, pos)
            if band is not None and start - band.end() >= self.floor:
                prefix.band = True
                pos = band.end()
                prefix.start = start - pos
        for _ in range(3):
            hedge = p.hedge_reversed.match(rev, pos)
            if hedge is None or start - hedge.end() < self.floor:
                break
            if p.comparative_reversed.match(rev, hedge.end()) is not None:
                break  # "cao hơn 8%", "thứ 33 trên 38": a comparison, not a bound
            found = self.lex.before.get(lookup_key(hedge.group("w") or hedge.group("s"))[::-1])
            if found is None:
                break
            prefix.hedges.append(found)
            pos = hedge.end()
            prefix.start = start - pos
        opener = p.opener_reversed.match(rev, pos)
        if opener is not None and start - opener.end() >= self.floor:
            prefix.opener = lookup_key(opener.group("w"))[::-1]
            prefix.opener_start = start - opener.end()
        return prefix

    def range(self, first: Number, prefix: _Prefix) -> _Range | None:
        """Read a connector and a second number after ``first`` when they make a range."""
        p, low = self.p, self.low
        match = p.connector.match(low, first.outer)
        gap = match is None and bool(prefix.opener)
        if gap:
            match = p.connector_after_gap.match(low, first.outer)
        if match is None:
            return None
        connector = lookup_key(match.group("c"))
        concept = self.lex.frames.get((prefix.opener, connector)) if prefix.opener else None
        opener = concept is not None
        if concept is None and not gap:
            concept = self.lex.frames.get(("", connector))
        if concept is None or (match.group("comma") and concept != "range.change_back"):
            return None
        pos = match.end()
        hedges: list[Hedge] = []
        for _ in range(2):
            hedge = p.hedge_forward.match(low, pos)
            if hedge is None:
                break
            found = self.lex.before.get(lookup_key(hedge.group("w") or hedge.group("s")))
            if found is None:
                break
            hedges.append(found)
            pos = hedge.end()
        currency = p.currency_forward.match(self.text, pos)
        pos = currency.end() if currency else pos
        if first.ordinal and (marker := p.marker_forward.match(low, pos)) is not None:
            pos = marker.end()  # "từ vị trí thứ 13 lên vị trí thứ 5"
        second = self.reader.number_at(pos)
        if not isinstance(second, Number) or second.vague or second.fraction_alone:
            return None
        if first.ordinal or second.ordinal:
            if second.percent or second.factor != 1 or not (first.ordinal or first.bare):
                return None
            second.ordinal = True
        spans = concept in ("range.span", "range.from_to")
        if first.percent is None and second.percent is not None:
            if spans and first.value > second.value:
                return None
            first.percent = second.percent  # "8-12,5%"
        elif first.percent != second.percent:
            return None  # "rose 5% to $10 billion"
        inherits = first.factor == 1 and second.factor != 1 and abs(first.raw) < 1000
        if inherits and (not spans or first.raw <= second.raw):
            first.value = first.raw * second.factor  # "10 to 20 million"
        if concept == "range.span" and first.value > second.value:
            if connector[-1].isalnum():
                return None
            return _Range(concept, second, hedges, opener, skip=True)  # 1800-1234, 2024-25
        if second.year_like and not first.year_like:
            return None  # "5 tỷ, đến 2030"
        return _Range(concept, second, hedges, opener)

    def postfix(self, end: int) -> tuple[Hedge, int] | None:
        """Read a hedge written after a number ("trở lên", "or more") and where it ends."""
        match = self.p.postfix.match(self.low, end)
        if match is None:
            return None
        hedge = self.lex.after.get(lookup_key(match.group("w") or match.group("s")))
        return (hedge, match.end()) if hedge is not None else None

    # -- years

    def is_year(self, number: Number, prefix: _Prefix) -> bool:
        """Tell whether a number is a year to skip (see the module docstring)."""
        if not number.year_like or prefix.hedges or prefix.marker:
            return False
        return (
            prefix.year_word
            or self.p.decade_suffix.match(self.low, number.end) is not None
            or number.start - self.year_end <= _YEAR_LIST_GAP
            or _WORD_NEXT.match(self.low, number.end) is None
        )

    def skip_year(self, number: Number) -> int:
        """Return the end of a year and of a year range after it ("2024–2026", "2019 to 2023")."""
        end = number.end
        decade = self.p.decade_suffix.match(self.low, end)
        end = decade.end() if decade else end
        connector = self.p.connector.match(self.low, end)
        if connector is not None and not connector.group("comma"):
            second = self.reader.number_at(connector.end())
            dash = not connector.group("c")[-1].isalnum()
            if isinstance(second, Number) and (
                second.year_like or (dash and second.bare and second.end - second.start == 2)
            ):
                end = second.end  # "2019 to 2023", "2024-25"
        self.year_end = end
        return end

    def rank_of_total(self, start: int) -> Number | None:
        """Read "thứ 5/10", "No. 36/500" after a rank marker: the place, the total after it."""
        found = _RANK_OF_TOTAL.match(self.low, start)
        if found is None or not self.prefix(start).marker:
            return None
        end = found.end(1)
        value = float(found.group(1))
        return Number(start, end, end, value, value, bare=True)

    def band(
        self, number: Number, found: _Range | None, prefix: _Prefix
    ) -> tuple[_Range | None, _Prefix]:
        """Read a rank band beside a band word: "nhóm 761-770", "nhóm 1.401+", "the 801-850
        band" are places; "nhóm 50 doanh nghiệp" is a count, and the word is not part of it."""
        plain = not (number.percent or number.factor != 1 or number.vague)
        if plain and found is not None and found.concept == "range.span":
            number.ordinal = found.second.ordinal = True
            return found, prefix
        if plain and found is None and self.text.startswith("+", number.outer):
            number.ordinal = True
            return found, prefix
        return found, _Prefix(number.start)

    # -- one expression

    def read_at(self, match: re.Match[str]) -> tuple[Quantity | None, int]:
        """Read the expression around one anchor: the quantity or None, and where to go on."""
        text = self.text
        number: Number | Skip | None
        if match.lastgroup == "num":
            number = self.reader.numeral(match)
            if isinstance(number, Skip):
                number = self.rank_of_total(match.start("num")) or number
        elif match.lastgroup == "ordw":
            number = self.reader.number_at(match.start("word"))  # "thứ năm mươi"
            if not isinstance(number, Number):
                end = match.end("word")
                value = self.lex.marker_words.get(lookup_key(match.group("word")), 0.0)
                number = Number(match.start("word"), end, end, value, value, words=True)
            number.ordinal = True
        else:
            number = self.reader.words(match)
            if number is not None:
                self.reader.percent(number)
        if number is None:
            return None, match.end()
        if isinstance(number, Skip):
            return None, number.end
        if _is_note_marker(text, number):
            return None, number.end + 1
        prefix = self.prefix(number.start)
        if prefix.marker and (
            (self.lex.capitalised_is_name and number.words and text[number.start].isupper())
            or _WEEKDAY_DATE.match(self.low, number.outer)
        ):
            return None, number.outer  # "thứ Hai", "Thứ 2, 29/06/2023": a weekday
        if self.is_year(number, prefix):
            return None, self.skip_year(number)
        if prefix.marker and not (number.percent or number.factor != 1 or number.vague):
            number.ordinal = True
        elif prefix.marker:  # "top 1%": a share; the marker and what precedes it are not ours
            prefix = _Prefix(number.start)
        found = self.range(number, prefix)
        if prefix.band or (
            found is not None
            and self.p.band_forward is not None
            and self.p.band_forward.match(self.low, found.second.outer) is not None
        ):
            found, prefix = self.band(number, found, prefix)
        if found is not None and found.skip:
            return None, found.second.outer
        if found is not None and number.year_like and found.second.year_like:
            self.year_end = found.second.outer
            return None, found.second.outer  # "từ 2019 đến 2023": a period
        end = found.second.outer if found else number.outer
        hedges = list(prefix.hedges) + (found.hedges if found else [])
        postfix = self.postfix(end)
        if postfix is not None:
            hedges.insert(0, postfix[0])
            end = postfix[1]
        start = prefix.opener_start if found is not None and found.opener else prefix.start
        return _quantity(text, start, end, number, found, hedges, prefix.top), end


def _is_note_marker(text: str, number: Number) -> bool:
    """A bare number of one to three digits alone in brackets: a footnote or reference marker
    after a figure ("$67.2 billion in 2023 (3)", "GPUs.[2]") or a list item's number ("(1)
    tăng đầu tư"), not a quantity. A bracketed figure with a unit, scale, separator or words
    ("(2.000 GPU)", "(5%)") stays one, and a place in a ranking is written with its marker
    or a dash ("(Nhật Bản – 5)")."""
    start, end = number.start, number.end
    return (
        number.bare
        and end - start <= 3
        and number.outer == end
        and start > 0
        and end < len(text)
        and (text[start - 1], text[end]) in (("(", ")"), ("[", "]"))
    )


def _quantity(
    text: str,
    start: int,
    end: int,
    number: Number,
    found: _Range | None,
    hedges: list[Hedge],
    top: bool,
) -> Quantity:
    """Build the quantity of an expression from its number, range and hedges."""
    value, value_max, change_from = number.value, None, None
    number_span = (number.start, number.end)
    kind: Kind = "ordinal" if number.ordinal else number.percent or "cardinal"
    if number.fraction_alone:
        value, kind = value * 100, "percent"  # "một nửa": half of a whole
    concept = found.concept if found is not None else ""
    if found is not None:
        second = found.second
        if concept == "range.change":
            value, change_from = second.value, number.value
            number_span = (second.start, second.end)
        elif concept == "range.change_back":
            change_from = second.value
        else:
            value_max = second.value
            number_span = (number.start, second.end)
    bound = next((h.bound for h in hedges if h.bound), None)
    if bound is None and (number.vague or top):
        bound = "upper" if top else "lower"  # "top 10": rank 10 at most
    return Quantity(
        start=start,
        end=end,
        value=value,
        value_max=value_max,
        kind=kind,
        approx=number.vague or any(h.approx for h in hedges),
        bound=bound,
        change_from=change_from,
        number_span=number_span,
        text=text[start:end],
        from_to=concept == "range.from_to",
        vague=number.vague,
    )
