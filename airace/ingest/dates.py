"""Find the publication date of an article, and read dates in metadata.

News pages print their date in the head of the article (a dateline such as ``Minh Anh | 16:00
29/06/2023`` or ``Thứ Hai, 03/11/2025, 10:00 (GMT+7)``) or, less often, at its end. So only the
head (the first :data:`HEAD_LINES` non-empty lines, at most :data:`HEAD_CHARS` characters) is
searched, then the last :data:`TAIL_LINES` lines; the body, full of dates of events and of
numbers (``từ 2.150 đến 14.720 đô la``, ``năm 2030``), is never looked at.

A date needs a day, a month and a four-digit year: a bare year or a month and year is not a
publication date. Numeric dates are read day first (``29/6/2023``, ``29-06-2023``, as in
Vietnam and most of the world) unless they start with the year (``2023/06/29``, ISO 8601).
Impossible dates (31/02) and implausible ones (before :data:`EARLIEST_YEAR`, or more than a year
from today) are rejected. When the head holds several dates, the one on a short line (a
dateline, not a sentence) and next to a time or a weekday wins, and then the first.

Month and weekday names are language knowledge and live in ``airace/data/calendar.yaml``; all
its languages are loaded together, so no code here knows which language a text is in.
"""

from __future__ import annotations

import functools
import importlib.resources
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from airace.errors import AiraceError

# The head of an article: where datelines are printed, above the body text.
HEAD_LINES = 15
HEAD_CHARS = 2000

# The foot of an article: some sites print the date (or "updated ...") after the text.
TAIL_LINES = 5
TAIL_CHARS = 1000

# No article we ingest was published before the web carried news.
EARLIEST_YEAR = 1990

# How far in the future a date may be: clocks and time zones, not year-long embargoes.
_FUTURE_MARGIN = timedelta(days=366)

# A line this short is a dateline or byline rather than a sentence of the article.
_SHORT_LINE = 80

# How close to a date a weekday (before it) or a time (either side) must be to count.
_WEEKDAY_REACH = 24
_TIME_REACH = 30

# The longest a date reaches before its year ("ngày 29 tháng mười hai năm ", "Wednesday, 29th
# of September, ") and after it ("-06-29" and two characters of look-ahead).
_BEFORE_YEAR = 64
_AFTER_YEAR = 16

# Metadata values longer than this are text, not a date.
_MAX_VALUE = 100

_CALENDAR_FILE = "calendar.yaml"
_REQUIRED_KEYS = frozenset({"months", "weekdays"})
_OPTIONAL_KEYS = frozenset({"day_words", "year_words", "ordinal_suffixes", "joiners"})


@dataclass(frozen=True, slots=True)
class Calendar:
    """The names of months and weekdays and the date words of all languages, merged.

    Names are lower-case and NFC; ``months`` maps each name to its month (1-12), ``weekdays``
    each name to its ISO weekday (1 = Monday).
    """

    months: Mapping[str, int]
    weekdays: Mapping[str, int]
    day_words: tuple[str, ...] = ()
    year_words: tuple[str, ...] = ()
    ordinal_suffixes: tuple[str, ...] = ()
    joiners: tuple[str, ...] = ()


def find_published_date(text: str) -> date | None:
    """Return the publication date printed in the head of an article, else in its foot.

    Args:
        text: the article text, title first.

    Returns:
        The date, or None when neither the head nor the foot holds a plausible full date.
    """
    head, tail = _head_and_tail(text)
    for lines in (head, tail):
        found = _best_date(lines)
        if found is not None:
            return found
    return None


def parse_date(value: str) -> date | None:
    """Read a date from a metadata value.

    Accepts ISO 8601 dates and date-times, RFC 822 dates as in RSS (``Wed, 02 Oct 2002 13:00:00
    GMT``) and the formats of :func:`find_published_date`, each optionally with a weekday before
    it and a time and time zone before or after it. The date is the one written, in the time
    zone it is written in.

    Args:
        value: the whole metadata value; it must be a date and nothing else.

    Returns:
        The date, or None when the value is not a plausible date.
    """
    value = unicodedata.normalize("NFC", value).strip()
    if not value or len(value) > _MAX_VALUE:
        return None
    patterns = _patterns()
    if patterns.iso.fullmatch(value):
        try:
            return _plausible(datetime.fromisoformat(value).date())
        except ValueError:
            pass
    for pattern in patterns.full:
        match = pattern.fullmatch(value)
        if match is not None:
            return _date_of(match)
    return None


def load_calendar(path: Path | None = None) -> Calendar:
    """Load and check month and weekday names, once per path.

    Args:
        path: a calendar file; by default the one shipped in ``airace/data``.

    Returns:
        The names of all languages in the file, merged.

    Raises:
        AiraceError: when the file is missing, is not YAML, breaks the schema described at its
            top, or gives one name to two months or two weekdays.
    """
    return _load_calendar(path)


@functools.cache
def _load_calendar(path: Path | None) -> Calendar:
    """Load and check a calendar file (cached per path)."""
    import yaml

    origin = str(path) if path is not None else f"airace/data/{_CALENDAR_FILE}"
    try:
        if path is None:
            raw = (
                importlib.resources.files("airace")
                .joinpath("data", _CALENDAR_FILE)
                .read_text(encoding="utf-8")
            )
        else:
            raw = path.read_text(encoding="utf-8")
        data = yaml.safe_load(raw)
    except (OSError, yaml.YAMLError) as error:
        raise AiraceError(f"cannot read calendar data: {error}", path=origin) from error
    if not isinstance(data, dict) or not data:
        raise AiraceError("calendar data must map language codes to names", path=origin)
    months: dict[str, int] = {}
    weekdays: dict[str, int] = {}
    words: dict[str, list[str]] = {key: [] for key in _OPTIONAL_KEYS}
    for language, entry in data.items():
        where = str(language)
        if not isinstance(entry, dict):
            raise AiraceError("a language must map keys to names", path=origin, key=where)
        unknown = set(entry) - _REQUIRED_KEYS - _OPTIONAL_KEYS
        missing = _REQUIRED_KEYS - set(entry)
        if unknown or missing:
            problem = f"unknown keys {sorted(unknown)}" if unknown else f"missing {sorted(missing)}"
            raise AiraceError(f"bad calendar entry: {problem}", path=origin, key=where)
        _merge_numbered(months, entry["months"], 12, origin, f"{where}.months")
        _merge_numbered(weekdays, entry["weekdays"], 7, origin, f"{where}.weekdays")
        for key in _OPTIONAL_KEYS & set(entry):
            words[key].extend(_names(entry[key], origin, f"{where}.{key}"))
    return Calendar(
        months=months,
        weekdays=weekdays,
        **{key: tuple(dict.fromkeys(names)) for key, names in words.items()},
    )


def _merge_numbered(
    into: dict[str, int], section: Any, count: int, origin: str, where: str
) -> None:
    """Add the names of a months or weekdays section, numbered 1..count, to a merged map."""
    if not isinstance(section, dict) or set(section) != set(range(1, count + 1)):
        raise AiraceError(f"must map each of 1..{count} to names", path=origin, key=where)
    for number, entries in section.items():
        for name in _names(entries, origin, f"{where}.{number}"):
            if into.setdefault(name, number) != number:
                raise AiraceError(
                    f"{name!r} means both {into[name]} and {number}",
                    path=origin,
                    key=f"{where}.{number}",
                )


def _names(entries: Any, origin: str, where: str) -> list[str]:
    """Return a non-empty list of names as lower-case NFC, or raise naming the key."""
    if not isinstance(entries, list) or not entries:
        raise AiraceError("must be a non-empty list of names", path=origin, key=where)
    names: list[str] = []
    for entry in entries:
        if not isinstance(entry, str) or not entry.strip():
            raise AiraceError(f"{entry!r} is not a name", path=origin, key=where)
        names.append(" ".join(unicodedata.normalize("NFC", entry).lower().split()))
    return names


class _Patterns:
    """The compiled date patterns, built from the calendar's names."""

    def __init__(self, calendar: Calendar) -> None:
        self.calendar = calendar
        months = _alternation(calendar.months)
        ordinal = _optional(calendar.ordinal_suffixes, "")
        day_word = _optional(calendar.day_words, r"\s+")
        joiner = _optional(calendar.joiners, r"\s+")
        year_word = _optional((*calendar.joiners, *calendar.year_words), r"\s+")
        day = r"(?P<d>[0-3]?[0-9])"
        year = r"(?P<y>[12][0-9]{3})"
        # A numeric date glued to other digits or separators is part of a number ("2.150.2023")
        # or of a code or path ("123/06/2023/NĐ-CP").
        numeric_start = r"(?<![\w.,/-])"
        numeric_end = r"(?![0-9]|[.,][0-9]|[/-]\w)"
        dates = (
            rf"{numeric_start}{day}(?P<sep>[/.-])(?P<m>[01]?[0-9])(?P=sep){year}"
            rf"{numeric_end}(?!\w)",
            rf"{numeric_start}{year}(?P<sep>[/.-])(?P<m>[01]?[0-9])(?P=sep)(?P<d>[0-3]?[0-9])"
            rf"{numeric_end}(?:(?=T[0-9])|(?!\w))",
            rf"(?<![\w.,]){day_word}{day}{ordinal}\.?\s*{joiner}(?P<mn>{months})(?!\w)\.?"
            rf"(?:\s*,\s*|\s+){year_word}{year}(?!\w)",
            rf"(?<!\w)(?P<mn>{months})(?!\w)\.?\s+{day}{ordinal}(?!\w)"
            rf"(?:\s*,\s*|\s+){year}(?!\w)",
        )
        flags = re.IGNORECASE
        self.dates = tuple(re.compile(pattern, flags) for pattern in dates)
        clock = (
            r"(?:[01]?[0-9]|2[0-3])[:h][0-5][0-9](?::[0-5][0-9](?:\.[0-9]+)?)?"
            r"(?:\s*[ap]\.?m\.?)?"
        )
        zone = (
            r"(?:Z|[+-][0-9]{2}:?[0-9]{2}|\(?(?:GMT|UTC)(?:\s*[+-]\s*[0-9]{1,2}(?::?[0-9]{2})?)?\)?"
            r"|(?-i:[A-Z]{2,5}))"
        )
        weekday = rf"(?:{_alternation(calendar.weekdays)})(?!\w)\.?"
        self.time = re.compile(rf"(?<![\w:]){clock}(?![0-9])", flags)
        self.weekday = re.compile(rf"(?<!\w){weekday}", flags)
        prefix = rf"(?:{weekday}\s*,?\s*)?(?:{clock}\s*(?:[,|-]\s*)?)?"
        suffix = rf"(?:(?:\s*,\s*|\s+|T){clock}(?:\s*{zone})?)?"
        self.full = tuple(re.compile(prefix + pattern + suffix, flags) for pattern in dates)
        self.year = re.compile(r"(?<![0-9])[12][0-9]{3}(?![0-9])")
        self.line = re.compile(r"[^\r\n]+")
        self.iso = re.compile(r"[0-9]{4}-?[0-9]{2}-?[0-9]{2}(?:[T ][0-9:.,+\-Z ]+)?")


@functools.cache
def _patterns() -> _Patterns:
    """Compile the date patterns once, at first use."""
    return _Patterns(load_calendar())


def _alternation(names: Iterable[str]) -> str:
    """Return a regular-expression alternation of names, longest first, spaces flexible."""
    ordered = sorted(set(names), key=lambda name: (-len(name), name))
    return "|".join(r"\s+".join(re.escape(word) for word in name.split()) for name in ordered)


def _optional(words: Iterable[str], after: str) -> str:
    """Return an optional group of words followed by a pattern, or nothing when no words."""
    words = tuple(words)
    if not words:
        return ""
    return f"(?:(?:{_alternation(words)}){after})?"


def _head_and_tail(text: str) -> tuple[list[str], list[str]]:
    """Return the non-empty lines of the head and of the foot of a text, NFC."""
    line_pattern = _patterns().line
    head: list[str] = []
    head_end = 0
    for match in line_pattern.finditer(text, 0, HEAD_CHARS):
        if match.end() == HEAD_CHARS < len(text) and text[HEAD_CHARS] not in "\r\n":
            break  # cut in the middle: a date there could be misread ("2023-06-2")
        if match.group().strip():
            head.append(match.group())
            head_end = match.end()
            if len(head) == HEAD_LINES:
                break
    start = max(head_end, len(text) - TAIL_CHARS)
    tail: list[str] = []
    for match in line_pattern.finditer(text, start):
        if match.start() == start > head_end and text[start - 1] not in "\r\n":
            continue  # cut in the middle, as above
        if match.group().strip():
            tail.append(match.group())
    return _nfc(head), _nfc(tail[-TAIL_LINES:])


def _nfc(lines: list[str]) -> list[str]:
    """Return lines in NFC, so that decomposed tone marks match the calendar's names."""
    return [unicodedata.normalize("NFC", line) for line in lines]


def _best_date(lines: list[str]) -> date | None:
    """Return the date of the best-placed candidate in lines, first among equals."""
    best: tuple[int, date] | None = None
    for line in lines:
        for score, found in _candidates(line):
            if best is None or score > best[0]:
                best = (score, found)
    return best[1] if best is not None else None


def _candidates(line: str) -> Iterator[tuple[int, date]]:
    """Yield each plausible date in a line with its dateline score, in reading order."""
    patterns = _patterns()
    # Every date holds a four-digit year, so dates are only looked for around years, which keeps
    # the cost of a long line of prose low; the year group must be that year, so that no match
    # relies on a look-ahead cut short by the window.
    matches: dict[tuple[int, int], re.Match[str]] = {}
    for year in patterns.year.finditer(line):
        low = max(0, year.start() - _BEFORE_YEAR)
        high = min(len(line), year.end() + _AFTER_YEAR)
        for pattern in patterns.dates:
            for match in pattern.finditer(line, low, high):
                if match.span("y") == year.span():
                    matches.setdefault(match.span(), match)
    short = len(line.strip()) <= _SHORT_LINE
    for _, match in sorted(matches.items()):
        found = _date_of(match)
        if found is None:
            continue
        start, end = match.span()
        before = line[max(0, start - _WEEKDAY_REACH) : start]
        near = line[max(0, start - _TIME_REACH) : end + _TIME_REACH]
        score = 2 * short + bool(patterns.weekday.search(before))
        score += bool(patterns.time.search(near))
        yield score, found


def _date_of(match: re.Match[str]) -> date | None:
    """Return the plausible date a date pattern matched, or None."""
    groups = match.groupdict()
    if groups.get("mn") is not None:
        name = " ".join(unicodedata.normalize("NFC", groups["mn"]).lower().split())
        month = _patterns().calendar.months.get(name)
    else:
        month = int(groups["m"])
    if month is None:
        return None
    try:
        return _plausible(date(int(groups["y"]), month, int(groups["d"])))
    except ValueError:
        return None


def _plausible(found: date) -> date | None:
    """Return a date when it is in the plausible publication range, else None."""
    if found.year < EARLIEST_YEAR or found > date.today() + _FUTURE_MARGIN:
        return None
    return found
