"""Charts of rankings, the maturity matrix, GPU holdings and observations, as Vega-Lite specs.

Every chart function is pure: it takes service results and returns a JSON-serialisable Vega-Lite
spec (a dict), which the dashboard embeds and the report renders to SVG or PNG with vl-convert.
Each mark links to its evidence through the Vega-Lite ``href`` channel: the caller passes a
function giving the URL of a row (a country page, a claim's quote), so the same chart links to
dashboard pages in one place and to anchors of a self-contained report in another. Axis titles
come from ``labels`` (keys of ``LABELS["en"]``; ``matrix_x``/``matrix_y`` override the
methodology's axis names), so a page can show them in any language.

Altair and vl-convert are imported inside the functions: importing this module stays cheap.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from airace.model import UNDATED

if TYPE_CHECKING:
    import altair as alt

    from airace.index import Methodology
    from airace.model import Observation
    from airace.service.leaderboard import ChipRow, Leaderboard, LeaderboardRow
    from airace.service.rankings import Explanation, MatrixRow, RankedEntity, Ranking

Spec = dict[str, Any]
Row = dict[str, Any]

# Axis and legend titles, per language. A chart takes any mapping with (some of) these keys.
LABELS: Mapping[str, Mapping[str, str]] = {
    "en": {
        "country": "Country",
        "entity": "Holder",
        "score": "Index score",
        "rank": "Rank",
        "interval": "90% rank interval",
        "archetype": "Archetype",
        "pillar": "Pillar",
        "pillar_score": "Pillar score (0–100)",
        "gpus": "GPUs held",
        "kind": "Kind",
        "chip": "Chip model",
        "period": "Period",
        "value": "Value",
        "low": "Lowest figure",
        "high": "Highest figure",
        "quote": "Quote",
        "kind.country": "country",
        "kind.organisation": "organisation",
    },
    "vi": {
        "country": "Quốc gia",
        "entity": "Đơn vị sở hữu",
        "score": "Điểm chỉ số",
        "rank": "Hạng",
        "interval": "Khoảng hạng 90%",
        "archetype": "Nhóm",
        "pillar": "Trụ cột",
        "pillar_score": "Điểm trụ cột (0–100)",
        "gpus": "Số GPU",
        "kind": "Loại",
        "chip": "Dòng chip",
        "period": "Kỳ",
        "value": "Giá trị",
        "low": "Số liệu thấp nhất",
        "high": "Số liệu cao nhất",
        "quote": "Trích dẫn",
        "kind.country": "quốc gia",
        "kind.organisation": "tổ chức",
        "matrix_x": "Năng lực",
        "matrix_y": "Hoạt động",
    },
}

# d3-format locales for rendering: Vietnamese writes 1.234,5 (vl-convert has no vi-VN).
FORMAT_LOCALES: Mapping[str, Mapping[str, Any]] = {
    "en": {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["$", ""]},
    "vi": {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["", "\u00a0₫"]},
}

# vl-convert resolves relative links against this base; rendered charts keep them relative.
_RENDER_BASE = "https://vega.github.io/vega-datasets/"
_WIDTH = 520
_STEP = 18  # pixels per bar


def ranking_chart(
    ranking: Ranking,
    href: Callable[[RankedEntity], str],
    *,
    labels: Mapping[str, str] | None = None,
    top: int | None = None,
) -> Spec:
    """Draw the index score of each ranked country as a horizontal bar, best first.

    Args:
        ranking: from ``rank_countries``.
        href: the URL a country's bar links to.
        labels: axis titles (keys of ``LABELS["en"]``).
        top: only the first ``top`` countries.

    Returns:
        A Vega-Lite spec; the tooltip holds the rank and the 90 % rank interval.
    """
    import altair as alt

    text = _labels(labels)
    rows = sorted(ranking.rows, key=lambda row: row.rank)[:top]
    values: list[Row] = [
        {
            "entity": row.entity,
            "name": row.name,
            "rank": row.rank,
            "score": row.score,
            "interval": _interval(row),
            "href": _safe(href(row)),
        }
        for row in rows
    ]
    chart = (
        alt.Chart(_data(values))
        .mark_bar(color="#3b6ea5")
        .encode(
            x=alt.X("score:Q", title=text["score"]),
            y=alt.Y("name:N", title=text["country"], sort=[row.name for row in rows]),
            href=alt.Href("href:N"),
            tooltip=[
                alt.Tooltip("rank:Q", title=text["rank"]),
                alt.Tooltip("name:N", title=text["country"]),
                alt.Tooltip("score:Q", title=text["score"], format=",.1f"),
                alt.Tooltip("interval:N", title=text["interval"]),
            ],
        )
        .properties(width=_WIDTH, height=alt.Step(_STEP))
    )
    return _spec(chart)


def matrix_chart(
    rows: Sequence[MatrixRow],
    methodology: Methodology,
    href: Callable[[MatrixRow], str],
    *,
    labels: Mapping[str, str] | None = None,
) -> Spec:
    """Place countries in the maturity matrix: capacity (x) against activity (y).

    Args:
        rows: from ``country_matrix``.
        methodology: gives the axes' names.
        href: the URL a country's point links to.
        labels: titles; ``matrix_x``/``matrix_y`` override the methodology's axis names.

    Returns:
        A Vega-Lite spec, one point per country coloured by readiness tier.
    """
    import altair as alt

    text = _labels(labels)
    spec = methodology.matrix
    values: list[Row] = [
        {
            "entity": row.entity,
            "name": row.name,
            "x": row.x,
            "y": row.y,
            "archetype": row.archetype_name,
            "rank": row.rank,
            "href": _safe(href(row)),
        }
        for row in rows
    ]
    x_title = text.get("matrix_x", spec.x_label)
    y_title = text.get("matrix_y", spec.y_label)
    base = alt.Chart(_data(values)).encode(
        x=alt.X("x:Q", title=x_title), y=alt.Y("y:Q", title=y_title)
    )
    points = base.mark_circle(size=90, opacity=0.85).encode(
        color=alt.Color("archetype:N", title=text["archetype"]),
        href=alt.Href("href:N"),
        tooltip=[
            alt.Tooltip("name:N", title=text["country"]),
            alt.Tooltip("rank:Q", title=text["rank"]),
            alt.Tooltip("archetype:N", title=text["archetype"]),
            alt.Tooltip("x:Q", title=x_title, format=",.1f"),
            alt.Tooltip("y:Q", title=y_title, format=",.1f"),
        ],
    )
    names = base.mark_text(align="left", dx=6, fontSize=9, color="#444").encode(text="entity:N")
    chart = alt.layer(points, names).properties(width=_WIDTH, height=380)
    return _spec(chart)


def pillar_chart(
    profile: Explanation | RankedEntity,
    *,
    labels: Mapping[str, str] | None = None,
    names: Mapping[str, str] | None = None,
    href: Callable[[str], str] | None = None,
) -> Spec:
    """Draw a country's pillar profile: one bar per pillar score.

    Args:
        profile: an ``Explanation`` (from ``explain_entity``) or a ranking row.
        labels: axis titles (keys of ``LABELS["en"]``).
        names: display names of the pillars by id (an explanation carries its own).
        href: the URL a pillar's bar links to, given the pillar id.

    Returns:
        A Vega-Lite spec on a 0..100 axis (when the scores are on that scale). Pillars
        without a score are left out.
    """
    import altair as alt

    from airace.service.rankings import Explanation

    text = _labels(labels)
    shown = names or {}
    if isinstance(profile, Explanation):
        scores = [(p.pillar, shown.get(p.pillar, p.name), p.score) for p in profile.pillars]
    else:
        scores = [(p, shown.get(p, p), score) for p, score in profile.pillars.items()]
    values: list[Row] = [
        {
            "pillar": pillar,
            "name": name,
            "score": score,
            "href": _safe(href(pillar) if href else ""),
        }
        for pillar, name, score in scores
        if score is not None and score == score  # NaN: no score
    ]
    on_scale = all(0 <= v["score"] <= 100 for v in values)
    scale = alt.Scale(domain=[0, 100]) if on_scale else alt.Scale()
    encoding: dict[str, Any] = {
        "x": alt.X("score:Q", title=text["pillar_score"], scale=scale),
        "y": alt.Y("name:N", title=text["pillar"], sort=[str(v["name"]) for v in values]),
        "tooltip": [
            alt.Tooltip("name:N", title=text["pillar"]),
            alt.Tooltip("score:Q", title=text["pillar_score"], format=",.1f"),
        ],
    }
    if href is not None:
        encoding["href"] = alt.Href("href:N")
    chart = (
        alt.Chart(_data(values))
        .mark_bar(color="#5a9367")
        .encode(**encoding)
        .properties(width=_WIDTH, height=alt.Step(_STEP + 4))
    )
    return _spec(chart)


def history_chart(
    observations: Sequence[Observation],
    *,
    labels: Mapping[str, str] | None = None,
    href: Callable[[Observation], str] | None = None,
) -> Spec:
    """Draw an indicator's observations over periods: a line and points per entity, and a
    low–high rule where the figures of a period disagree.

    Args:
        observations: of one indicator (one or several entities).
        labels: axis titles (keys of ``LABELS["en"]``); ``value`` titles the y axis.
        href: the URL a point links to (the observation's evidence).

    Returns:
        A Vega-Lite spec.
    """
    import altair as alt

    text = _labels(labels)
    values: list[Row] = [
        {
            "entity": o.entity,
            "period": o.period,
            "value": o.value,
            "low": o.low if o.conflict else None,
            "high": o.high if o.conflict else None,
            "conflict": o.conflict,
            "documents": o.documents,
            "href": _safe(href(o) if href else ""),
        }
        for o in sorted(observations, key=lambda o: (o.entity, o.period))
        if o.period != UNDATED  # a figure with no year is no point in time
    ]
    periods = sorted({o.period for o in observations if o.period != UNDATED})
    base = alt.Chart(_data(values)).encode(
        x=alt.X("period:O", title=text["period"], sort=periods),
        color=alt.Color("entity:N", title=text["entity"]),
    )
    line = base.mark_line().encode(y=alt.Y("value:Q", title=text["value"]))
    tooltip = [
        alt.Tooltip("entity:N", title=text["entity"]),
        alt.Tooltip("period:O", title=text["period"]),
        alt.Tooltip("value:Q", title=text["value"], format=",.4~r"),
        alt.Tooltip("low:Q", title=text["low"], format=",.4~r"),
        alt.Tooltip("high:Q", title=text["high"], format=",.4~r"),
    ]
    point_encoding: dict[str, Any] = {"y": "value:Q", "tooltip": tooltip}
    if href is not None:
        point_encoding["href"] = alt.Href("href:N")
    points = base.mark_point(filled=True, size=60).encode(**point_encoding)
    spreads = (
        base.transform_filter("datum.conflict")
        .mark_rule(strokeWidth=2, opacity=0.6)
        .encode(y="low:Q", y2="high:Q", tooltip=tooltip)
    )
    chart = alt.layer(spreads, line, points).properties(width=_WIDTH, height=260)
    return _spec(chart)


def leaderboard_chart(
    leaderboard: Leaderboard,
    href: Callable[[LeaderboardRow], str],
    *,
    labels: Mapping[str, str] | None = None,
    top: int | None = 25,
) -> Spec:
    """Draw the GPU holdings of countries and organisations as bars, largest first, with the
    low–high spread of conflicting figures as a rule over the bar.

    Args:
        leaderboard: from ``gpu_leaderboard``.
        href: the URL a holder's bar links to (its evidence).
        labels: axis titles (keys of ``LABELS["en"]``).
        top: only the largest ``top`` holders.

    Returns:
        A Vega-Lite spec, bars coloured by kind (country or organisation).
    """
    import altair as alt

    text = _labels(labels)
    rows = leaderboard.rows[:top] if top is not None else leaderboard.rows
    values: list[Row] = [
        {
            "entity": row.entity,
            "name": row.name,
            "kind": text.get(f"kind.{row.kind}", row.kind),
            "value": row.value,
            "low": row.low if row.conflict else None,
            "high": row.high if row.conflict else None,
            "conflict": row.conflict,
            "period": row.period,
            "documents": row.documents,
            "href": _safe(href(row)),
        }
        for row in rows
    ]
    order = list(dict.fromkeys(row.name for row in rows))
    base = alt.Chart(_data(values)).encode(y=alt.Y("name:N", title=text["entity"], sort=order))
    tooltip = [
        alt.Tooltip("name:N", title=text["entity"]),
        alt.Tooltip("kind:N", title=text["kind"]),
        alt.Tooltip("period:N", title=text["period"]),
        alt.Tooltip("value:Q", title=text["gpus"], format=",.0f"),
        alt.Tooltip("low:Q", title=text["low"], format=",.0f"),
        alt.Tooltip("high:Q", title=text["high"], format=",.0f"),
    ]
    bars = base.mark_bar().encode(
        x=alt.X("value:Q", title=text["gpus"]),
        color=alt.Color("kind:N", title=text["kind"]),
        href=alt.Href("href:N"),
        tooltip=tooltip,
    )
    spreads = (
        base.transform_filter("datum.conflict")
        .mark_rule(color="#222", strokeWidth=2)
        .encode(x="low:Q", x2="high:Q", tooltip=tooltip)
    )
    chart = alt.layer(bars, spreads).properties(width=_WIDTH, height=alt.Step(_STEP))
    return _spec(chart)


def chip_chart(
    leaderboard: Leaderboard,
    href: Callable[[ChipRow], str],
    *,
    labels: Mapping[str, str] | None = None,
    top: int | None = 25,
) -> Spec:
    """Draw the GPU counts reported per chip model and holder, one bar per claim.

    Several claims about the same holder and chip overlap on one line rather than add up:
    they are reports of one holding, not separate purchases.

    Args:
        leaderboard: from ``gpu_leaderboard``.
        href: the URL a claim's bar links to (its quote).
        labels: axis titles (keys of ``LABELS["en"]``).
        top: only the largest ``top`` claims.

    Returns:
        A Vega-Lite spec, bars coloured by chip model.
    """
    import altair as alt

    text = _labels(labels)
    rows = leaderboard.by_chip[:top] if top is not None else leaderboard.by_chip
    values: list[Row] = [
        {
            "label": f"{row.name} · {row.chip}",
            "chip": row.chip,
            "name": row.name,
            "value": row.value,
            "period": row.period,
            "claim": row.claim_id,
            "quote": row.quote,
            "href": _safe(href(row)),
        }
        for row in rows
    ]
    chart = (
        alt.Chart(_data(values))
        .mark_bar(opacity=0.8)
        .encode(
            x=alt.X("value:Q", title=text["gpus"], stack=None),
            y=alt.Y(
                "label:N",
                title=f"{text['entity']} · {text['chip']}",
                sort=list(dict.fromkeys(str(v["label"]) for v in values)),
            ),
            color=alt.Color("chip:N", title=text["chip"]),
            href=alt.Href("href:N"),
            tooltip=[
                alt.Tooltip("name:N", title=text["entity"]),
                alt.Tooltip("chip:N", title=text["chip"]),
                alt.Tooltip("value:Q", title=text["gpus"], format=",.0f"),
                alt.Tooltip("period:N", title=text["period"]),
                alt.Tooltip("quote:N", title=text["quote"]),
            ],
        )
        .properties(width=_WIDTH, height=alt.Step(_STEP))
    )
    return _spec(chart)


def render_svg(spec: Spec, *, language: str = "en") -> str:
    """Render a spec to SVG with the language's number format; links stay as given."""
    import vl_convert

    svg = vl_convert.vegalite_to_svg(spec, format_locale=_format_locale(language))
    return svg.replace(f'xlink:href="{_RENDER_BASE}', 'xlink:href="')


def render_png(spec: Spec, *, language: str = "en", scale: float = 2.0) -> bytes:
    """Render a spec to PNG with the language's number format."""
    import vl_convert

    return vl_convert.vegalite_to_png(spec, scale=scale, format_locale=_format_locale(language))


def _labels(labels: Mapping[str, str] | None) -> dict[str, str]:
    """Return the English titles overridden by the given ones."""
    return {**LABELS["en"], **(labels or {})}


def _format_locale(language: str) -> dict[str, Any]:
    return dict(FORMAT_LOCALES.get(language, FORMAT_LOCALES["en"]))


def _interval(row: RankedEntity) -> str:
    """Return the 90 % rank interval as text ("3–7"), empty without uncertainty."""
    if row.low_rank is None or row.high_rank is None:
        return ""
    return f"{row.low_rank:.0f}–{row.high_rank:.0f}"


def _safe(url: str) -> str:
    """Return a link of a harmless scheme (http, https, or relative), else an empty anchor."""
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return "#"
    return url if url and scheme in ("", "http", "https") else "#"


def _data(values: list[Row]) -> alt.InlineData:
    """Return rows as inline data, so a spec carries everything it draws."""
    import altair as alt

    return alt.InlineData(values=values)


def _spec(chart: alt.TopLevelMixin) -> Spec:
    """Return the chart's Vega-Lite dict, with data inline and no external theme."""
    spec: Spec = chart.to_dict()
    return spec
