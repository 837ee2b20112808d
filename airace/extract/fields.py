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


# How close before a held cue a plan cue makes it part of the plan ("will be deployed",
# "sẽ được lắp đặt", "plans to own").
_PLAN_REACH = 25
_NOT_YET = frozenset({"plan", "target", "forecast", "order"})
# How far after a number a cue may stand and still be about it ("100,000 GPUs planned"); a
# cue further on starts another part of the clause ("... đã đi vào hoạt động, từ khởi công").
_AFTER_REACH = 20


def modality(context: Context, clause: Span, at: int, end: int) -> Modality | None:
    """Return where the number at ``[at, end)`` stands in time: the cue nearest before it in
    its clause (right after it, when none is before); an estimate only when nothing else is
    said.

    The nearest cue, not the strongest in the clause: in "hiện có 2.000 GPU và đặt mục tiêu
    50.000" the first figure is held and the second a target; an act already done ("đã chi",
    "has spent") is a plain fact whatever aim the clause names before it."""
    cues = context.modality.between(clause[0], clause[1])
    timed = [cue for cue in cues if cue.key != "estimate"]
    before = [cue for cue in timed if cue.end <= at]
    if before:
        chosen = before[-1]
        if chosen.key not in _NOT_YET and len(before) > 1:
            previous = before[-2]
            if previous.key in _NOT_YET and chosen.start - previous.end <= _PLAN_REACH:
                chosen = previous
        return None if chosen.key == "done" else Modality(chosen.key)
    after = next((cue for cue in timed if end <= cue.start <= end + _AFTER_REACH), None)
    if after is not None:
        return None if after.key == "done" else Modality(after.key)
    if any(cue.key == "estimate" for cue in cues):
        return Modality.ESTIMATE
    return None


def rank_total(text: str, end: int) -> float | None:
    """Return the size of the ranking a rank is out of ("thứ 33 trong số 38", "5th of 38")."""
    found = _RANK_TOTAL.match(text, end)
    return float(found.group(1)) if found else None
