"""Stage 6, secondary fields: the year a figure refers to, its modality, a rank's total.

``as_of`` is the year nearest the number in its clause that a year word, a target word or a
"tháng N/" / "Q2/" prefix introduces ("năm 2024", "by 2030", "quý 2/2024"); a year after
"since" / "kể từ" starts a span and is not the period; relative years ("năm ngoái", "last
year") resolve against the publication date. A target word before the year ("by 2030", "vào
năm 2027") makes the figure a forecast unless the clause says otherwise.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from airace.extract.sentences import Span
from airace.model import Modality

if TYPE_CHECKING:
    from airace.extract.context import Context
    from airace.extract.units import Reading

YEAR = re.compile(r"(?<![\d.,/])(19[89]\d|20\d\d)(?![\d.,]\d)")
_MONTH_OR_QUARTER = re.compile(r"(?:tháng|quý|Q)\s*\d{1,2}\s*/\s*$", re.I)
_RANK_TOTAL = re.compile(
    r"(?:\s*(?:trong số|trên|trong tổng số|out of|of)\s+|/)(\d+)", re.IGNORECASE
)  # "thứ 33 trong số 38", "33rd of 38", "thứ 5/10"
# How many characters before a year its introducing word may start.
_YEAR_LEAD = 16


def as_of(context: Context, reading: Reading, clause: Span) -> tuple[str | None, bool]:
    """Return the year a number refers to and whether it is a forecast target."""
    text = context.text
    q = reading.quantity
    best: tuple[int, str, bool] | None = None
    for found in YEAR.finditer(text, clause[0], clause[1]):
        if q.start <= found.start() < q.end:
            continue
        introduced = _year_introduced(
            context, text[max(clause[0], found.start() - _YEAR_LEAD) : found.start()]
        )
        if introduced is None:
            continue
        if found.start() >= reading.end:
            distance = found.start() - reading.end
        else:
            distance = q.start - found.end()
        if best is None or distance < best[0]:
            best = (distance, found.group(1), introduced)
    if context.published is not None:
        for match in context.relative_years.between(clause[0], clause[1]):
            distance = abs(match.start - reading.end)
            if best is None or distance < best[0]:
                best = (distance, str(context.published.year + int(match.key)), False)
    if best is None:
        return None, False
    return best[1], best[2]


def _year_introduced(context: Context, lead: str) -> bool | None:
    """Tell how the words before a year introduce it: ``None`` when they do not (or say
    "since"), else whether a target word ("by", "vào năm") leads straight to it."""
    lex = context.lex
    since = lex.since_words.nearest_before(lead, 0, len(lead))
    if since is not None and not lead[since.end :].strip():
        return None  # "kể từ năm 2014", "since 2014": the start of a span
    target = lex.target_words.nearest_before(lead, 0, len(lead))
    year_word = lex.year_words.nearest_before(lead, 0, len(lead))
    if target is None and year_word is None and _MONTH_OR_QUARTER.search(lead) is None:
        return None
    return bool(target and lead.rstrip().endswith(target.text))


def modality(context: Context, clause: Span) -> Modality | None:
    """Return the strongest modality word of a clause."""
    found = {match.key for match in context.modality.between(clause[0], clause[1])}
    for name in ("forecast", "plan", "estimate"):
        if name in found:
            return Modality(name)
    return None


def rank_total(text: str, end: int) -> float | None:
    """Return the size of the ranking a rank is out of ("thứ 33 trong số 38", "5th of 38")."""
    found = _RANK_TOTAL.match(text, end)
    return float(found.group(1)) if found else None
