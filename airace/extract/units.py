"""Stage 2, units: what each quantity of a sentence counts or costs.

``read_units`` turns a sentence's quantities into ``Reading``s: the unit written with each
number (a currency symbol or word around it, a rate such as ``/GPU-hr``, a power unit, a
counting word up to a few words on, a chip model), then the decisions that reach across
numbers, each a named function below:

* a number with no unit of its own takes the unit written after the next one when only a
  list joiner lies between ("1.200 và 900 công ty");
* a number right after a reading, with no unit, repeats that reading's unit ("4.000, 3.500");
* an amount right after a rate in its currency is a rate too ("$3.90/GPU-hr, down from $7.57");
* a bracketed amount in another currency is a conversion, kept as ``alt`` ("500 tỷ NDT (69,7
  tỷ USD)");
* vague amounts ("hàng trăm"), durations ("5 năm") and ratios ("gấp 3 lần") are not read.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from airace.extract.ranks import bare_score
from airace.extract.sentences import Span, clause_bounds, skip_space, skip_space_back

if TYPE_CHECKING:
    from airace.extract.context import Context
    from airace.extract.lexicon import Lexicon
    from airace.extract.numbers import Quantity
    from airace.model import Claim

# Chip and accelerator model codes written after a count ("350.000 GPU H100", "H-100").
CHIP_MODEL = re.compile(
    r"(?<!\w)(?:GB|GH|[HABLV]|MI|TPU\s?v?)-?\d{1,3}[A-Za-z]{0,3}(?!\w)|(?<!\w)(?:Blackwell|Hopper|Ampere|Rubin|Trainium\d?|Inferentia\d?|Gaudi\s?\d?|Ascend\s?\d{3}[A-Z]?|Kunlun(?:\s?P?\d{3})?|Maia(?:\s?\d{3})?|Instinct)(?!\w)"
)
# Between two numbers that share the unit written after the second: "1.200 và 900 công ty".
_SHARED_UNIT_GAP = re.compile(r"\s*(?:,|và|hoặc|hay|đến|and|or|to|-|–)\s*", re.IGNORECASE)
# How far a counting word may follow its number: "400,000 of Nvidia's GB200 chips".
_MAX_UNIT_GAP = 32
_MAX_UNIT_WORDS = 4
_UNIT_STOP = re.compile(r"[,.;:()\d]")  # what a counting word is not read across
_MAX_UNIT_LENGTH = 24  # characters of the longest counting word or phrase
_CHIP_MASK = "\x00"  # what a chip model's characters read as while a counting word is sought
_SHORT_ASIDE = re.compile(r"\([^\W\d_]{1,8}\)")  # "(AI)", "(GW)": an abbreviation in brackets
# How far a number without a unit may follow the reading whose unit it repeats.
_REPEAT_REACH = 200
# A person's age in apposition: a small number between commas right after a capitalised name.
_AGE_AFTER_NAME = re.compile(r"[A-ZÀ-Ỹ][\w'’-]*,\s*$")
_AGE_CLOSE = re.compile(r"\s*[,)]")
_OLDEST = 120
_OUT_OF = re.compile(r"\s*(?:out of|trên tổng số|trong tổng số|trên thang|/)\s*", re.IGNORECASE)
# A bare number that goes on a count is at least this ("Amazon at 196,000"), not a small figure.
_LEAST_COUNT = 100
# A word right after a number is what it counts, unless it only joins or dates the figure.
_OWN_NOUN = re.compile(r"\s*[^\W\d_]")
_GOES_ON = re.compile(
    r"\s*(?:and|or|while|whereas|but|respectively|each|in|by|to|from|at|for|of|than|against|"
    r"và|hoặc|hay|còn|nhưng|trong|lần lượt|mỗi|năm|vào|đến|tới|lên|từ|tại|ở|của|so với|hơn)\b",
    re.IGNORECASE,
)
_NEXT_WORD = re.compile(r"\S+\s+")
_YEARLIKE = re.compile(r"(?:19|20)\d\d")  # a bare year the number reader let through
_PHRASE_END = re.compile(r"[,.;:)]|$")
_DISTRIBUTIVE_AFTER = re.compile(r"(?:each|apiece|mỗi bên|mỗi nơi)\b", re.IGNORECASE)
# Counts that are the AI race's only where the field is named: talent and companies.
_FIELD_COUNTS = frozenset({"person", "company"})
# Below this, a count in words is a few things, not a figure ("ba nhà nghiên cứu").
_FEW = 10
# How long a calendar word before a number may be ("September").
_CALENDAR_REACH = 12
# How far after a number a chip model may follow its maker's name, in characters and words.
_BRAND_REACH = 30
_BRAND_WORDS = 2
# How far an amount may follow a rate in its currency to be a rate too.
_RATE_REACH = 40
# How far back an "anaphoric" count ("con số này") may find a counting word for its unit.
_ANAPHOR_REACH = 400
_CONVERSION_GAP = re.compile(
    r"\s*(?:\(\s*(?:khoảng|tương đương|about|around|or|~|≈)?"
    r"|,?\s*(?:tương đương(?: với)?|tức|equivalent to|or about|or roughly|or around))\s*",
    re.I,
)  # "500 tỷ NDT (69,7 tỷ USD)", "2.060 USD mỗi tháng, tương đương 50 triệu đồng"
# ISO codes the lexicon's currency words map to; a "(...)" after money in another one of these
# is a conversion of the same amount.
CURRENCIES = frozenset(
    {"USD", "EUR", "CNY", "JPY", "KRW", "VND", "GBP", "HKD", "TWD", "SGD", "INR", "AUD", "CAD"}
    | {"CHF", "SEK", "AED", "SAR", "MYR", "THB", "IDR", "PHP", "BRL", "RUB"}
)


@dataclass(frozen=True, slots=True)
class Reading:
    """What one quantity means in its sentence, before it becomes a claim."""

    quantity: Quantity
    unit: str | None
    metric: str | None
    end: int  # end of the quantity with its unit words
    value: float
    value_max: float | None
    qualifier: str | None = None
    alt: tuple[tuple[float, str], ...] = ()
    inherited: bool = False


def read_units(
    context: Context,
    sentence: Span,
    quantities: Sequence[Quantity],
    earlier: Claim | None = None,
) -> list[Reading]:
    """Read the unit of every quantity of a sentence (see the module docstring); ``earlier``
    is the paragraph's latest claim before the sentence, whose count a bare number goes on."""
    text, lex = context.text, context.lex
    own = _share_units_backwards(
        text, quantities, [read_unit(text, q, sentence[1], lex) for q in quantities]
    )
    readings: list[Reading] = []
    last_read = -2
    for number, q in enumerate(quantities):
        if not _countable(context, q, sentence):
            continue
        reading = own[number]
        if reading is None and readings and last_read == number - 1:
            reading = _repeated_unit(text, q, readings[-1])
        if reading is None and not readings and earlier is not None:
            reading = _count_goes_on(context, q, earlier, sentence)
        if reading is None:
            reading = _framed_count(context, q, sentence)
        if reading is None and bare_score(
            context,
            q,
            quantities[number - 1] if number else None,
            quantities[number + 1] if number + 1 < len(quantities) else None,
        ):
            reading = Reading(q, "point", "score", q.end, q.value, q.value_max)
        if (
            reading is None
            or _few_in_words(lex, reading)
            or _count_of_no_field(context, reading, sentence)
        ):
            continue
        last_read = number
        if reading.unit == "anaphoric":
            reading = _anaphoric_count(context, reading, readings, sentence)
            if reading is None:
                continue
        if readings:
            reading = _rate_continued(reading, readings[-1])
            if is_conversion(text, lex, reading, readings[-1]):
                previous = readings.pop()
                alt = (*previous.alt, (reading.value, reading.unit or ""))
                readings.append(replace(previous, alt=alt, end=reading.end))
                continue
        readings.append(reading)
    return readings


def _countable(context: Context, q: Quantity, sentence: Span) -> bool:
    """Tell whether a quantity can be a claim's value: not vague, not a date's day, month or
    quarter, not a duration or ratio."""
    if q.vague or _calendar_before(context, q, sentence):  # "hàng trăm"; "vào tháng 8"
        return False
    after = skip_space(context.text, q.end, sentence[1])
    lex = context.lex
    # "5 năm", "for 3 years": a duration; "12 times", "gấp 3 lần": a ratio
    return lex.durations.match_at(context.text, after) is None and (
        lex.ratios.match_at(context.text, after) is None
    )


def _calendar_before(context: Context, q: Quantity, sentence: Span) -> bool:
    """Tell whether a calendar word stands right before a quantity ("tháng 8", "March 3")."""
    text = context.text
    back = skip_space_back(text, q.start, sentence[0])
    if back == q.start:
        return False
    found = context.lex.calendar.nearest_before(
        text, max(sentence[0], back - _CALENDAR_REACH), back
    )
    return found is not None and found.end == back


def _few_in_words(lex: Lexicon, reading: Reading) -> bool:
    """Tell whether a count is a few things named in words ("hai đơn vị", "two people", "Bốn
    startup"): the people and firms a story is about, not a figure it reports; or fewer than
    its metric's ``least`` (``data/metrics.yaml``)."""
    q = reading.quantity
    in_words = not any(c.isdigit() for c in q.text)
    if (reading.unit or "").split("/")[0] in lex.currencies:
        return in_words and reading.value < _FEW  # "hai đô", "a dollar": a turn of phrase
    metric = lex.metric_units.get(reading.unit or "")
    if metric is None:
        return False
    if reading.value < lex.metric_least.get(metric, 0.0):
        return True  # "a team running 10 H100s": a machine, not a holding
    return q.value < _FEW and in_words


def _count_of_no_field(context: Context, reading: Reading, sentence: Span) -> bool:
    """Tell whether people or firms are counted by a word that names no field in a clause that
    names none either ("560.000 lao động CNTT", "10 doanh nghiệp thiết kế vi mạch", "the sector
    employs 2 million workers")."""
    if reading.unit not in _FIELD_COUNTS:
        return False
    text, lex = context.text, context.lex
    if lex.generic_counts.first(text, reading.quantity.end, reading.end) is None:
        return False
    clause = clause_bounds(text, sentence[0], sentence[1], reading.quantity.start)
    return lex.field_words.first(text, clause[0], clause[1]) is None


def _share_units_backwards(
    text: str, quantities: Sequence[Quantity], own: list[Reading | None]
) -> list[Reading | None]:
    """Give a number without a unit the unit of the next one across a list joiner."""
    for number in range(len(quantities) - 2, -1, -1):
        following = own[number + 1]
        if own[number] is None and following is not None and following.unit not in (None, "rank"):
            gap = text[quantities[number].end : quantities[number + 1].start]
            if _SHARED_UNIT_GAP.fullmatch(gap):
                q = quantities[number]
                own[number] = _in_unit_of(following, q, q.end)
    return own


def _count_goes_on(context: Context, q: Quantity, earlier: Claim, sentence: Span) -> Reading | None:
    """Read a bare count that ends its phrase as one more of the paragraph's latest count
    ("Meta at 224,000.", "Naver Cloud will take about 60,000.", "230,000 each")."""
    text = context.text
    if earlier.unit not in context.lex.metric_units or q.kind != "cardinal":
        return None
    if (
        q.value < _LEAST_COUNT
        or not any(c.isdigit() for c in q.text)
        or _YEARLIKE.fullmatch(q.text)
    ):
        return None
    after = skip_space(text, q.end, sentence[1])
    if not (_PHRASE_END.match(text, after) or _DISTRIBUTIVE_AFTER.match(text, after)):
        return None
    return Reading(q, earlier.unit, earlier.metric, q.end, q.value, q.value_max, inherited=True)


def _framed_count(context: Context, q: Quantity, sentence: Span) -> Reading | None:
    """Read a bare number as a count that its clause named before it ("the installed base of
    AI GPUs from roughly 65,000 to more than 300,000", "số GPU AI ... tăng từ 65.000")."""
    text, lex = context.text, context.lex
    if q.kind != "cardinal" or q.value < _LEAST_COUNT or not any(c.isdigit() for c in q.text):
        return None
    if _OWN_NOUN.match(text, q.end) and not _GOES_ON.match(text, q.end):
        return None
    clause = clause_bounds(text, sentence[0], sentence[1], q.start)
    for frame in reversed(list(lex.count_frames.finditer(text, clause[0], q.start))):
        after = skip_space(text, frame.end, q.start)
        unit = lex.units.match_at(text, after)
        word = _NEXT_WORD.match(text, after, q.start)
        if unit is None and word is not None:  # "the installed base of AI GPUs"
            unit = lex.units.match_at(text, word.end())
        metric = lex.metric_units.get(unit.key) if unit is not None else None
        if unit is not None and metric is not None and unit.end <= q.start:
            return Reading(q, unit.key, metric, q.end, q.value, q.value_max, inherited=True)
    return None


def _repeated_unit(text: str, q: Quantity, previous: Reading) -> Reading | None:
    """Read a number without a unit right after a reading as one more in its unit."""
    if previous.unit in (None, "percent", "rank") or not any(c.isdigit() for c in q.text):
        return None  # "đứng đầu cả ba": a number in words with no unit counts something else
    if _YEARLIKE.fullmatch(q.text):
        return None  # "1 gigawatt of compute online in 2025"
    gap = text[previous.end : q.start]
    if len(gap) >= _REPEAT_REACH or _OUT_OF.fullmatch(gap):
        return None  # "84.80 out of 100": the scale, not another value
    if q.value < _OLDEST and _AGE_AFTER_NAME.search(gap) and _AGE_CLOSE.match(text, q.end):
        return None  # "chief executive Tareq Amin, 52, told": an age, not an amount
    if _OWN_NOUN.match(text, q.end) and not _GOES_ON.match(text, q.end):
        return None  # "140 MW và khoảng 10.000 tủ rack": a count of something else
    return replace(_in_unit_of(previous, q, q.end), alt=(), inherited=True)


def _in_unit_of(reading: Reading, q: Quantity, end: int) -> Reading:
    """Read a quantity in another reading's unit, scaled as that one is ("1,2 và 2 GW": MW)."""
    factor = reading.value / reading.quantity.value if reading.quantity.value else 1.0
    value_max = q.value_max * factor if q.value_max is not None else None
    return replace(reading, quantity=q, end=end, value=q.value * factor, value_max=value_max)


def _anaphoric_count(
    context: Context, reading: Reading, readings: Sequence[Reading], sentence: Span
) -> Reading | None:
    """Read "con số này là 1.000" as a GPU count when GPUs were counted just before."""
    unit_reading = next((r for r in reversed(readings) if r.unit == "GPU"), None)
    if unit_reading is None and context.lex.units.first(
        context.text, max(0, sentence[0] - _ANAPHOR_REACH), sentence[0]
    ):
        unit_reading = replace(reading, unit="GPU", metric="gpu_count")
    if unit_reading is None:
        return None
    return replace(reading, unit="GPU", metric="gpu_count", qualifier=unit_reading.qualifier)


def _rate_continued(reading: Reading, previous: Reading) -> Reading:
    """Read an amount right after a rate in its currency as a rate too."""
    if (
        reading.unit is not None
        and (previous.unit or "").startswith(f"{reading.unit}/")
        and reading.quantity.start - previous.end < _RATE_REACH
    ):
        return replace(reading, unit=previous.unit, metric=previous.metric)
    return reading


def is_conversion(text: str, lex: Lexicon, reading: Reading, previous: Reading) -> bool:
    """Tell whether a money reading is a conversion in parentheses of the previous one."""
    if previous.unit is None or reading.unit is None or previous.unit == reading.unit:
        return False
    if (
        previous.unit.split("/")[0] not in CURRENCIES
        or reading.unit.split("/")[0] not in CURRENCIES
    ):
        return False
    gap = text[previous.end : reading.quantity.start]
    for symbol in lex.currency_symbols.finditer(gap):  # "($13.8 billion)", "(US$2.13 billion)"
        if symbol.end == len(gap):
            gap = gap[: symbol.start]
            break
    return bool(_CONVERSION_GAP.fullmatch(gap))


def read_unit(text: str, q: Quantity, limit: int, lex: Lexicon) -> Reading | None:
    """Read the unit written with a quantity: currency, rate, power, counting word, chip model.

    A hedge written after the unit ("5 tỷ USD trở lên", "10,000 GPUs or more") lies inside the
    quantity's span, so the unit is first sought right after the number itself.
    """
    if q.kind == "percent":
        return Reading(q, "percent", None, q.end, q.value, q.value_max)
    if q.kind == "ordinal":
        return Reading(q, "rank", "rank", q.end, q.value, q.value_max)
    inner = q.number_span[1]
    if inner < q.end and text[inner : q.end].strip()[:1].isalpha():
        early = _unit_after(text, q, inner, q.end, lex)
        if early is not None:
            return replace(early, end=max(early.end, q.end))
    return _unit_after(text, q, q.end, limit, lex)


def _unit_after(text: str, q: Quantity, start: int, limit: int, lex: Lexicon) -> Reading | None:
    """Read the unit written from ``start`` on (see ``read_unit``)."""
    money = _money_unit(text, q, start, limit, lex)
    if money is not None:
        return money
    position = skip_space(text, start, limit)
    if text.startswith(("-", "–"), position):  # "a 5-gigawatt site", "10-GPU cluster"
        position += 1
    power = lex.power.match_at(text, position)
    if power is not None:
        factor = lex.power_factor.get(power.key, 1.0)
        scaled_max = q.value_max * factor if q.value_max is not None else None
        return Reading(q, "MW", "power_capacity", power.end, q.value * factor, scaled_max)
    counted = _counting_word(text, q, position, limit, lex)
    if counted is not None:
        return counted
    model = _chip_model_named(text, position, limit)
    if model is not None:
        qualifier = model_name(model.group())
        return Reading(q, "GPU", "gpu_count", model.end(), q.value, q.value_max, qualifier)
    anaphor = lex.anaphoric.match_at(text, position)
    if anaphor is not None:
        return Reading(q, "anaphoric", None, anaphor.end, q.value, q.value_max)
    return None


def _money_unit(text: str, q: Quantity, start: int, limit: int, lex: Lexicon) -> Reading | None:
    """Read a currency symbol before the number or a currency word after it, and a rate."""
    number_start = q.number_span[0]
    # "$1.5bn", "HK$59.4 billion", and a space after a symbol in letters: "Rs 67", "Rp 5"
    before = text[max(0, number_start - 5) : number_start]
    currency = None
    for match in lex.currency_symbols.finditer(before):
        rest = before[match.end :]
        if not rest or (rest == " " and match.text[-1:].isalpha()):
            currency = match.key
    position = skip_space(text, start, limit)
    word = lex.currency_words.match_at(text, position)
    if word is not None:
        currency = word.key
        position = word.end
    if currency is None:
        return None
    end = position if word is not None else start
    per = lex.per.match_at(text, skip_space(text, end, limit))
    unit = currency
    if per is not None:
        unit = f"{currency}/{per.key}"
        end = per.end
    return Reading(q, unit, None, end, q.value, q.value_max)


def _counting_word(
    text: str, q: Quantity, position: int, limit: int, lex: Lexicon
) -> Reading | None:
    """Read the counting word that may start up to ``_MAX_UNIT_GAP`` characters on.

    It is read across at most ``_MAX_UNIT_WORDS`` words and a short aside in brackets ("3,170
    artificial intelligence (AI) companies"), but not across other punctuation or another
    number; the digits of a chip model are not another number ("400,000 of Nvidia's GB200").
    """
    window_end = min(limit, position + _MAX_UNIT_GAP + _MAX_UNIT_LENGTH)
    gap_end = window_end
    window = _SHORT_ASIDE.sub(lambda aside: " " * len(aside.group()), text[position:window_end])
    window = CHIP_MODEL.sub(lambda chip: _CHIP_MASK * len(chip.group()), window)
    stop = _UNIT_STOP.search(window)
    if stop is not None:
        gap_end = position + stop.start()
    count = lex.units.first(text, position, gap_end)
    if count is None or _inside_not_unit(text, count.start, count.end, lex):
        return None
    words = [w for w in window[: count.start - position].split() if w.strip(_CHIP_MASK)]
    if count.start - position > _MAX_UNIT_GAP or len(words) > _MAX_UNIT_WORDS:
        return None  # a chip model between is not a word: "18,000 of its GB300 Grace chips"
    qualifier = None
    if count.key == "GPU":
        qualifier = chip_model_after(text, count.end, limit)
        between = CHIP_MODEL.search(text, position, count.start)
        if qualifier is None and between is not None:
            qualifier = model_name(between.group())
    metric = lex.metric_units.get(count.key, "score" if count.key == "point" else None)
    return Reading(q, count.key, metric, count.end, q.value, q.value_max, qualifier=qualifier)


def _chip_model_named(text: str, position: int, limit: int) -> re.Match[str] | None:
    """Find a chip model written right after a number, or after its maker's name ("100,000
    H100s", "100,000 Nvidia H100s", "50,000 AMD MI450 accelerators")."""
    model = CHIP_MODEL.search(text, position, min(limit, position + _BRAND_REACH))
    if model is None:
        return None
    words = text[position : model.start()].split()
    if len(words) > _BRAND_WORDS or not all(word[:1].isupper() for word in words):
        return None
    return model


def _inside_not_unit(text: str, start: int, end: int, lex: Lexicon) -> bool:
    """Tell whether a counting word lies inside a word that counts nothing ("thí điểm")."""
    reach = _MAX_UNIT_LENGTH
    return any(
        m.start <= start and end <= m.end
        for m in lex.not_units.finditer(text, max(0, start - reach), min(len(text), end + reach))
    )


def model_name(code: str) -> str:
    """Normalise a chip model code: ``H-100`` -> ``H100``, the plural ``H100s`` -> ``H100``."""
    if not re.search(r"\d", code):
        return code
    return re.sub(r"(?<=[\dA-Z])s$", "", re.sub(r"[-\s]", "", code))


def chip_model_after(text: str, start: int, end: int) -> str | None:
    """Return the chip model named right after a GPU word, if any."""
    found = CHIP_MODEL.match(text, skip_space(text, start, end))
    return model_name(found.group()) if found else None
