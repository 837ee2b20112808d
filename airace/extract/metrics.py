"""Stage 3, metric: what kind of figure a reading is.

A count's metric follows from its unit (``data/metrics.yaml``: GPUs are ``gpu_count``). A
percentage is a ``share`` unless a change word leads to it ("tăng 44%", "rose 44%"). An ordinal
is a ``rank`` only next to a ranking word ("xếp thứ", "ranked"). Money and rates take the metric
of the nearest trigger word of their kind in the clause (``lexicons/<lang>/metrics.yaml``),
with the decisions below when no trigger decides:

* a bare amount on a short line under a heading that names a rate is a rate ("price per
  GPU-hour:" over "Lambda Labs $2.99");
* a second amount in the same currency later in the sentence, with no metric word of its own
  and no name after it, is the same kind of figure as the claim before it;
* money a country spends is its ``budget`` when a government body is named and a spending verb
  leads to the amount (``public_spending``).
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from airace.extract.ranks import ends_place, is_place
from airace.extract.sentences import Span, clause_bounds

if TYPE_CHECKING:
    from airace.extract.context import Context
    from airace.extract.entities import Mention
    from airace.extract.units import Reading
    from airace.model import Claim

# How far before an ordinal a ranking word may stand.
_RANK_REACH = 40
_PLACE_TAIL = 12
# How far before a percentage a change word makes it a change ("tăng tới 44%").
_CHANGE_REACH = 30
_CHANGE_AFTER = 16
# How far after a claim a second amount in its unit, with no metric word of its own, is
# read as the same kind of figure.
_SIBLING_REACH = 120
# How far after a rate in the sentence before an amount in its currency goes on as that rate.
RATE_REACH = 160
# A capitalised word right after an amount names what it is ("$12B Quarterly Loss"): its own.
_NAMED_AFTER = re.compile(r"\s+[A-ZÀ-Ỹ][a-zà-ỹ]")
# How far above a table row its heading may be, in lines and characters; a row is a short line.
_TABLE_LINES = 15
_TABLE_REACH = 800
_ROW_LENGTH = 100
# How far before an amount a spending verb may stand.
_SPENDING_REACH = 40


def choose_metric(
    context: Context, reading: Reading, sentence: Span, clause: Span
) -> tuple[Reading, str | None]:
    """Return a reading's metric, and the reading itself re-read as a rate where a table says so."""
    metric = reading.metric
    if metric == "rank":
        ranked = (
            _has_rank_trigger(context, reading, clause) and ends_place(context, reading)
        ) or is_place(context, reading)
        # an ordinal range is a band ("nhóm 761-770", "the 801-850 band") in a ranking document
        band = reading.quantity.value_max is not None and context.ranking
        return reading, "rank" if ranked or band else None
    if metric is not None:
        return reading, metric
    if reading.unit == "percent":
        return reading, _metric_for_percent(context, reading, clause)
    metric = _metric_for_money(context, reading, clause)
    if metric is None and reading.unit is not None and "/" not in reading.unit:
        rated = _table_rate(context, reading, sentence)
        if rated is not None:  # a row under "price per GPU-hour:"
            return rated, _metric_for_money(context, rated, clause)
    return reading, metric


def sibling_metric(
    context: Context, reading: Reading, latest: Claim | None, reach: int = 0
) -> tuple[Reading, str | None]:
    """Return the metric of the claim just before when this amount repeats its kind, and the
    reading in that claim's unit (a rate keeps its period).

    "đầu tư AI của Mỹ lên 26,6 tỷ USD, còn của Trung Quốc mới là 4 tỷ USD": the same kind of
    amount said again of another entity in the same sentence; "1.176 USD mỗi tháng, còn sinh
    viên mới ra trường nhận trung bình 480 USD": another rate. ``reach`` lets a rate go on from
    a sentence before ("... 2.060 USD mỗi tháng. Kỹ sư dữ liệu ... ở mức 1.210-2.380 USD").
    """
    if (
        latest is None
        or reading.unit not in context.lex.currencies
        or reading.quantity.start - latest.end >= (reach or _SIBLING_REACH)
        or _NAMED_AFTER.match(context.text, reading.end)
    ):
        return reading, None
    if latest.unit == reading.unit and not reach:
        return reading, latest.metric
    if latest.unit.startswith(f"{reading.unit}/"):
        return replace(reading, unit=latest.unit), latest.metric
    return reading, None


def _metric_for_money(context: Context, reading: Reading, clause: Span) -> str | None:
    """Choose the metric of a money amount or rate from the trigger words of its clause.

    The nearest trigger of the right kind (money metrics for amounts, rate metrics for
    ``USD/hour``-style units) on either side wins; one before the number wins a tie.
    """
    unit = reading.unit or ""
    wanted = (
        ("rate", "money")
        if unit.endswith(("/year", "/month"))
        else ("rate",)
        if "/" in unit
        else ("money",)
    )
    kinds = context.lex.metric_kinds
    start = reading.quantity.start
    before = [m for m in context.triggers.between(clause[0], start) if kinds.get(m.key) in wanted]
    after = [
        m for m in context.triggers.between(reading.end, clause[1]) if kinds.get(m.key) in wanted
    ]
    candidates = [(start - m.end, m.key) for m in before[-1:]]
    candidates += [(m.start - reading.end + 1, m.key) for m in after[:1]]
    if candidates:
        return min(candidates)[1]
    if unit.endswith(("/hour", "/mtok")):
        return "price"
    if unit.endswith(("/year", "/month")):
        return "salary"
    return None


def _metric_for_percent(context: Context, reading: Reading, clause: Span) -> str | None:
    """A percentage is a share unless a change word leads to it ("tăng 44%", "rose 44%") with no
    level word between ("rose to 60%" is a share), or follows it ("closed 9.2% higher", "a 44%
    increase")."""
    start, end = reading.quantity.start, reading.end
    before = context.change_words.between(max(clause[0], start - _CHANGE_REACH), start)
    changes = [m for m in before if m.key == "change"]
    change = changes[-1] if changes else None
    if change is not None and any(m.key == "level" and m.start >= change.end for m in before):
        change = None  # "rose to 60%", "giảm từ 95% xuống còn 50%": levels
    after = context.change_words.first_between(end, min(clause[1], end + _CHANGE_AFTER))
    if after is not None and (after.key != "change" or context.text[end : after.start].strip()):
        after = None  # only a change word right after the figure
    return None if change is not None or after is not None else "share"


def _has_rank_trigger(context: Context, reading: Reading, clause: Span) -> bool:
    """Tell whether an ordinal is a place in a ranking: a ranking word before it (``xếp thứ``,
    ``vị trí``, ``ranked``) or right after it (``first place``)."""
    q = reading.quantity
    window = context.triggers.between(max(clause[0], q.start - _RANK_REACH), q.end)
    if any(match.key == "rank" for match in window):
        return True
    # "took first place", "in second position": the ranking word right after the ordinal
    after = context.triggers.first_between(q.end, q.end + _PLACE_TAIL)
    return (
        after is not None and after.key == "rank" and not context.text[q.end : after.start].strip()
    )


def _table_rate(context: Context, reading: Reading, sentence: Span) -> Reading | None:
    """Read a bare amount on a short line as a rate when the heading of its table or list
    names one: the nearest line above, in the same block of short lines, with a ``per``."""
    text, lex = context.text, context.lex
    start = text.rfind("\n", 0, sentence[0]) + 1
    end = text.find("\n", sentence[1])
    if (end if end >= 0 else len(text)) - start > _ROW_LENGTH:
        return None
    line_end = start - 1
    for _ in range(_TABLE_LINES):
        if line_end <= 0 or start - line_end > _TABLE_REACH:
            return None
        line_start = text.rfind("\n", 0, line_end) + 1
        if line_end - line_start > _ROW_LENGTH:
            return None  # a paragraph: the rows' block has ended without a heading
        per = lex.per.first(text, line_start, line_end)
        if per is not None:
            return replace(reading, unit=f"{reading.unit}/{per.key}")
        line_end = line_start - 1
    return None


def public_money(context: Context, subject: Mention, reading: Reading, sentence: Span) -> bool:
    """Tell whether money a country spends is its public budget.

    A government body (ministry, party) is named in the sentence, the verb before the amount
    is a spending verb of the language's ``public_spending`` list, and no investment word comes
    between ("LDP muốn dành 1.000 tỷ yen", "the ministry said Japan has spent ¥5.7 trillion";
    not "Mỹ chi tiêu AI 300 tỷ USD", a nation's spending, nor "đầu tư 50 tỷ USD").
    """
    if context.facts.kinds.get(subject.entity_id) != "country":
        return False
    if not any(sentence[0] <= start < sentence[1] for start in context.state_bodies):
        return False
    start = reading.quantity.start
    clause = clause_bounds(context.text, sentence[0], sentence[1], start)
    spending = context.public_spending.last_between(max(clause[0], start - _SPENDING_REACH), start)
    if spending is None:
        return False
    trigger = context.triggers.last_between(clause[0], start)
    return trigger is None or trigger.end <= spending.end
