"""A self-contained HTML report: the ranking, the maturity matrix, GPU holdings and conflicts,
with the quotes every figure was read from.

The report is one file that opens anywhere, offline: CSS is inline, the charts are inline SVG
rendered with vl-convert, and it neither loads nor links to anything outside itself (chart marks
link to anchors within the page; reference sources are cited as text). Everything that comes
from documents, claims or entities is escaped by the template (Jinja2 with autoescape), so an
article containing markup shows it as text. The file is written to a temporary name beside the
target and moved into place, so a failure never leaves half a report.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from airace.errors import AiraceError

if TYPE_CHECKING:
    import jinja2

    from airace.index import Methodology
    from airace.model import Claim, Document, Observation
    from airace.store.repository import Store

LANGUAGES = ("en", "vi")
TOP_HOLDERS = 30  # the report is read, not searched: the largest holders and claims suffice
TOP_CONFLICTS = 25

HEADINGS: Mapping[str, Mapping[str, str]] = {
    "en": {
        "title": "The global AI race: report",
        "generated": "Generated",
        "methodology": "Methodology",
        "digest": "digest",
        "replications": "Monte Carlo replications",
        "seed": "seed",
        "ranking": "Ranking of countries",
        "ranking_note": "Composite index scores (0–100 on the default scale); the 90 % interval "
        "is the range of ranks over the Monte Carlo replications of the methodology's choices.",
        "rank": "Rank",
        "country": "Country",
        "score": "Score",
        "interval": "90 % interval",
        "coverage": "Coverage",
        "unranked": "Too little data to rank",
        "matrix": "Maturity matrix",
        "matrix_note": "Capacity (x) against activity (y); the colour is the readiness tier, "
        "set by the index score.",
        "gpus": "GPU holdings",
        "gpus_note": "The latest reported figure per country and organisation; a range marks "
        "reports that disagree. A country total summed from its organisations is marked Σ.",
        "holder": "Holder",
        "kind": "Kind",
        "home": "Home",
        "value": "GPUs",
        "range": "Range",
        "period": "Period",
        "year_unknown": "year unknown",
        "documents": "Documents",
        "claims": "Claims",
        "chips": "GPUs by chip model",
        "chip": "Chip",
        "conflicts": "Conflicting figures",
        "conflicts_note": "Observations whose sources disagree, widest spread first, with the "
        "value chosen and the rule that chose it.",
        "indicator": "Indicator",
        "chosen": "Chosen",
        "chosen_by": "chosen by",
        "sources": "Where the figures come from",
        "sources_note": "Figures are claims read out of {documents} stored news documents and "
        "reconciled into observations, plus curated reference data. Each quote is the exact "
        "text its figure was read from.",
        "claim": "Claim",
        "quote": "Quote",
        "document": "Document",
        "published": "Published",
        "reference": "Reference data",
        "none": "None.",
        "country_kind": "country",
        "organisation_kind": "organisation",
    },
    "vi": {
        "title": "Cuộc đua AI toàn cầu: báo cáo",
        "generated": "Ngày lập",
        "methodology": "Phương pháp",
        "digest": "mã băm",
        "replications": "Số lần mô phỏng Monte Carlo",
        "seed": "hạt giống",
        "ranking": "Xếp hạng các quốc gia",
        "ranking_note": "Điểm chỉ số tổng hợp (thang mặc định 0–100); khoảng 90 % là phạm vi "
        "thứ hạng qua các lần mô phỏng Monte Carlo các lựa chọn của phương pháp.",
        "rank": "Hạng",
        "country": "Quốc gia",
        "score": "Điểm",
        "interval": "Khoảng 90 %",
        "coverage": "Độ phủ",
        "unranked": "Chưa đủ dữ liệu để xếp hạng",
        "matrix": "Ma trận mức độ trưởng thành",
        "matrix_note": "Năng lực (trục x) so với hoạt động (trục y); màu là nhóm mức độ sẵn sàng, "
        "theo điểm chỉ số.",
        "gpus": "Số GPU nắm giữ",
        "gpus_note": "Số liệu mới nhất của từng quốc gia và tổ chức; một khoảng giá trị cho thấy "
        "các nguồn không thống nhất. Tổng của quốc gia cộng từ các tổ chức được đánh dấu Σ.",
        "holder": "Đơn vị sở hữu",
        "kind": "Loại",
        "home": "Quốc gia gốc",
        "value": "Số GPU",
        "range": "Khoảng",
        "period": "Kỳ",
        "year_unknown": "không rõ năm",
        "documents": "Tài liệu",
        "claims": "Nhận định",
        "chips": "GPU theo dòng chip",
        "chip": "Dòng chip",
        "conflicts": "Số liệu mâu thuẫn",
        "conflicts_note": "Các quan sát mà nguồn không thống nhất, chênh lệch lớn nhất trước, "
        "cùng giá trị được chọn và quy tắc đã chọn nó.",
        "indicator": "Chỉ tiêu",
        "chosen": "Giá trị chọn",
        "chosen_by": "chọn theo",
        "sources": "Nguồn gốc số liệu",
        "sources_note": "Số liệu là các nhận định đọc từ {documents} tài liệu tin tức đã lưu và "
        "được đối chiếu thành quan sát, cùng dữ liệu tham chiếu được tuyển chọn. Mỗi trích dẫn "
        "là nguyên văn đoạn chữ mà số liệu được đọc ra.",
        "claim": "Nhận định",
        "quote": "Trích dẫn",
        "document": "Tài liệu",
        "published": "Ngày đăng",
        "reference": "Dữ liệu tham chiếu",
        "none": "Không có.",
        "country_kind": "quốc gia",
        "organisation_kind": "tổ chức",
    },
}


@dataclass(frozen=True, slots=True)
class ReportSummary:
    """What a report holds and where it was written."""

    path: Path
    language: str
    ranked: int
    holders: int
    conflicts: int
    claims: int
    charts: tuple[str, ...]
    png: tuple[Path, ...]
    size: int


@dataclass(frozen=True, slots=True)
class _Source:
    """A claim cited by the report, with the document it was read from."""

    claim: Claim
    document: Document | None


def write_report(
    store: Store,
    methodology: Methodology,
    out: Path,
    *,
    png_dir: Path | None = None,
    language: str = "en",
    today: date | None = None,
) -> ReportSummary:
    """Write the report as one self-contained HTML file (and, if asked, each chart as PNG).

    Args:
        store: where the documents and claims are.
        methodology: what the ranking and the matrix are computed with.
        out: the HTML file; its folder is created if missing, an existing file is replaced.
        png_dir: a folder for ``<chart>.png`` files (created if missing).
        language: ``en`` or ``vi``: headings, chart titles and number format.
        today: the date the report is stamped with (default: today).

    Returns:
        What was written.

    Raises:
        AiraceError: an unknown language, or a file that cannot be written.
    """
    from airace.reconcile.reference import load_reference
    from airace.service.leaderboard import gpu_leaderboard
    from airace.service.observations import list_conflicts
    from airace.service.rankings import country_matrix, rank_countries
    from airace.web import charts

    if language not in LANGUAGES:
        raise AiraceError(f"unknown report language {language!r}", hint="use en or vi")
    labels = charts.LABELS[language]
    from airace.web.text import localised, pillar_names

    ranking = localised(rank_countries(store, methodology), language)
    matrix = localised(country_matrix(store, methodology), language)
    leaderboard = localised(gpu_leaderboard(store), language)
    holders = leaderboard.rows[:TOP_HOLDERS]
    chips = leaderboard.by_chip[:TOP_HOLDERS]
    conflicts = list_conflicts(store)[:TOP_CONFLICTS]
    specs = {
        "ranking": charts.ranking_chart(
            ranking, lambda row: f"#{anchor('country', row.entity)}", labels=labels
        ),
        "matrix": charts.matrix_chart(
            matrix, methodology, lambda row: f"#{anchor('country', row.entity)}", labels=labels
        ),
        "gpus": charts.leaderboard_chart(
            leaderboard,
            lambda row: f"#{anchor('holder', row.entity)}",
            labels=labels,
            top=TOP_HOLDERS,
        ),
        "chips": charts.chip_chart(
            leaderboard, lambda row: f"#claim-{row.claim_id}", labels=labels, top=TOP_HOLDERS
        ),
    }
    if not leaderboard.by_chip:
        del specs["chips"]
    if not leaderboard.rows:
        del specs["gpus"]
    svgs = {name: charts.render_svg(spec, language=language) for name, spec in specs.items()}
    cited = _cited_claims(
        [*(i for row in holders for i in row.claim_ids), *(row.claim_id for row in chips)],
        conflicts,
    )
    sources = _sources(store, cited)
    page = (
        _environment(language)
        .from_string(_TEMPLATE)
        .render(
            h=HEADINGS[language],
            language=language,
            today=today or date.today(),
            methodology=methodology,
            pillar_names=pillar_names(methodology, language),
            ranking=ranking,
            matrix=matrix,
            holders=holders,
            chips=chips,
            conflicts=conflicts,
            sources=sources,
            documents=store.count_documents(),
            reference=sorted(
                {(s.publisher, s.title, s.url or "") for s in load_reference().sources.values()}
            ),
            svgs=svgs,
            style=_STYLE,
        )
    )
    written = []
    if png_dir is not None:
        png_dir.mkdir(parents=True, exist_ok=True)
        for name, spec in specs.items():
            path = png_dir / f"{name}.png"
            _write_atomic(path, charts.render_png(spec, language=language))
            written.append(path)
    data = page.encode("utf-8")
    _write_atomic(out, data)
    return ReportSummary(
        path=out,
        language=language,
        ranked=len(ranking.rows),
        holders=len(leaderboard.rows),
        conflicts=len(conflicts),
        claims=len(sources),
        charts=tuple(specs),
        png=tuple(written),
        size=len(data),
    )


def anchor(prefix: str, key: str) -> str:
    """Return an HTML id for an entity or claim ("country-KR", "holder-Amazon-Web-Services")."""
    return f"{prefix}-{re.sub(r'[^A-Za-z0-9_-]+', '-', key).strip('-')}"


def format_number(value: float | None, language: str, digits: int | None = None) -> str:
    """Format a number the way the language writes it: 1,234.5 in English, 1.234,5 in
    Vietnamese; a missing value (None or NaN) is a dash. Without ``digits``, whole numbers
    and figures of 1,000 or more have none and others one (two below 1)."""
    if value is None or value != value:
        return "–"
    if digits is None:
        digits = (
            0 if float(value).is_integer() or abs(value) >= 1000 else 1 if abs(value) >= 1 else 2
        )
    text = f"{value:,.{digits}f}"
    return text.translate(str.maketrans(",.", ".,")) if language == "vi" else text


def _cited_claims(claim_ids: Iterable[int], conflicts: Iterable[Observation]) -> list[int]:
    """Return the distinct ids of the claims the report quotes, in order of first citation."""
    cited = dict.fromkeys(claim_ids)
    for observation in conflicts:
        cited.update(dict.fromkeys(e.claim_id for e in observation.evidence if e.claim_id))
    return [claim_id for claim_id in cited if claim_id is not None]


def _sources(store: Store, claim_ids: Iterable[int]) -> list[_Source]:
    """Read the cited claims and their documents (each document once)."""
    documents: dict[int, Document | None] = {}
    sources = []
    for claim_id in claim_ids:
        claim = store.get_claim(claim_id)
        if claim is None:
            continue
        document = None
        if claim.document_id is not None:
            if claim.document_id not in documents:
                documents[claim.document_id] = store.get_document(claim.document_id)
            document = documents[claim.document_id]
        sources.append(_Source(claim, document))
    return sources


def _environment(language: str) -> jinja2.Environment:
    """Return a Jinja2 environment that escapes everything and formats numbers for a language."""
    import jinja2

    from airace.service.rankings import entity_name

    def number(value: float | None, digits: int | None = None) -> str:
        return format_number(value, language, digits)

    def day(value: date) -> str:
        return value.strftime("%d/%m/%Y") if language == "vi" else value.isoformat()

    environment = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    environment.filters.update(
        num=number,
        day=day,
        name=lambda entity: entity_name(entity, language),
        anchor=lambda key, prefix: anchor(prefix, key),
    )
    return environment


def _write_atomic(path: Path, data: bytes) -> None:
    """Write a file through a temporary file beside it, so it is whole or untouched.

    Raises:
        AiraceError: the folder cannot be created or written.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(data)
                file.flush()
                os.fsync(file.fileno())
            os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes it private; a report is not
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as error:
        raise AiraceError(
            f"cannot write {path}: {error.strerror or error}",
            path=str(path),
            hint="choose a folder you can write to",
        ) from error


def _umask() -> int:
    """Return the process's file-creation mask (reading it means setting it, then back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_STYLE = """
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;
color:#1d232a;max-width:1100px;margin:2rem auto;padding:0 1rem}
h1{font-size:1.8rem;margin-bottom:.2rem}h2{margin-top:2.5rem;border-bottom:1px solid #ccd;
padding-bottom:.2rem}.meta,.note{color:#556}table{border-collapse:collapse;width:100%;
margin:1rem 0;font-size:.9rem}th,td{padding:.25rem .5rem;border-bottom:1px solid #e3e6ea;
text-align:left;vertical-align:top}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
tr:target{background:#fff6d6}figure{margin:1rem 0;overflow-x:auto}svg{max-width:100%;height:auto}
blockquote{margin:.3rem 0 .3rem 1rem;padding-left:.6rem;border-left:3px solid #c8ced6}
code{font-size:.85rem;word-break:break-all}.conflict{color:#a33}
"""

_TEMPLATE = """<!DOCTYPE html>
<html lang="{{ language }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ h.title }}</title>
<style>{{ style }}</style>
</head>
<body>
<header>
<h1>{{ h.title }}</h1>
<p class="meta">{{ h.generated }}: {{ today | day }} ·
{{ h.methodology }}: {{ methodology.name }} {{ methodology.version }}
({{ h.digest }} <code>{{ ranking.digest }}</code>)
{%- if ranking.replications %} · {{ h.replications }}: {{ ranking.replications | num }},
{{ h.seed }} {{ ranking.seed }}{% endif %}</p>
{% if methodology.description %}<p class="note">{{ methodology.description }}</p>{% endif %}
</header>

<section id="ranking">
<h2>{{ h.ranking }}</h2>
<p class="note">{{ h.ranking_note }}</p>
<figure>{{ svgs.ranking | safe }}</figure>
<table>
<thead><tr><th class="n">{{ h.rank }}</th><th>{{ h.country }}</th><th class="n">{{ h.score }}</th>
{% for pillar in methodology.pillars %}<th class="n">{{ pillar_names[pillar.id] }}</th>{% endfor %}
<th class="n">{{ h.interval }}</th><th class="n">{{ h.coverage }}</th></tr></thead>
<tbody>
{% for row in ranking.rows %}
<tr id="{{ row.entity | anchor('country') }}"><td class="n">{{ row.rank }}</td>
<td>{{ row.name }} <code>{{ row.entity }}</code></td><td class="n">{{ row.score | num(1) }}</td>
{% for pillar in methodology.pillars %}<td class="n">{{ row.pillars.get(pillar.id) | num(1) }}</td>
{% endfor %}
<td class="n">{% if row.low_rank is not none %}{{ row.low_rank | num }}–{{ row.high_rank | num }}
{%- else %}–{% endif %}</td><td class="n">{{ (row.coverage * 100) | num }} %</td></tr>
{% endfor %}
</tbody>
</table>
{% if ranking.unranked %}<p class="note">{{ h.unranked }}:
{{ ranking.unranked | join(", ") }}</p>{% endif %}
</section>

<section id="matrix">
<h2>{{ h.matrix }}</h2>
<p class="note">{{ h.matrix_note }}</p>
<figure>{{ svgs.matrix | safe }}</figure>
</section>

<section id="gpus">
<h2>{{ h.gpus }}</h2>
<p class="note">{{ h.gpus_note }}</p>
{% if holders %}
<figure>{{ svgs.gpus | safe }}</figure>
<table>
<thead><tr><th>{{ h.holder }}</th><th>{{ h.kind }}</th><th>{{ h.home }}</th>
<th class="n">{{ h.value }}</th><th class="n">{{ h.range }}</th><th>{{ h.period }}</th>
<th class="n">{{ h.documents }}</th><th>{{ h.claims }}</th></tr></thead>
<tbody>
{% for row in holders %}
<tr id="{{ row.entity | anchor('holder') }}"><td>{{ row.name }}{% if row.rollup %} Σ{% endif %}</td>
<td>{{ h[row.kind ~ "_kind"] }}</td><td>{{ row.home or "" }}</td>
<td class="n">{{ row.value | num }}</td>
<td class="n{% if row.conflict %} conflict{% endif %}">{% if row.conflict -%}
{{ row.low | num }}–{{ row.high | num }}{% endif %}</td>
<td>{{ row.period or h.year_unknown }}</td><td class="n">{{ row.documents }}</td>
<td>{% for claim_id in row.claim_ids %}<a href="#claim-{{ claim_id }}">#{{ claim_id }}</a>
{% endfor %}</td></tr>
{% endfor %}
</tbody>
</table>
{% else %}<p>{{ h.none }}</p>{% endif %}
{% if chips %}
<h3>{{ h.chips }}</h3>
<figure>{{ svgs.chips | safe }}</figure>
<table>
<thead><tr><th>{{ h.chip }}</th><th>{{ h.holder }}</th><th class="n">{{ h.value }}</th>
<th>{{ h.period }}</th><th>{{ h.claim }}</th></tr></thead>
<tbody>
{% for row in chips %}
<tr><td>{{ row.chip }}</td><td>{{ row.name }}</td><td class="n">{{ row.value | num }}</td>
<td>{{ row.period or h.year_unknown }}</td>
<td><a href="#claim-{{ row.claim_id }}">#{{ row.claim_id }}</a></td></tr>
{% endfor %}
</tbody>
</table>
{% endif %}
</section>

<section id="conflicts">
<h2>{{ h.conflicts }}</h2>
<p class="note">{{ h.conflicts_note }}</p>
{% for o in conflicts %}
<article>
<h3>{{ o.entity | name }} · {{ o.indicator }} · {{ o.period or h.year_unknown }}</h3>
<p>{{ h.chosen }}: <strong>{{ o.value | num }}</strong> {{ o.unit }} ({{ h.chosen_by }}
{{ o.chosen_by }}); {{ h.range }}:
<span class="conflict">{{ o.low | num }}–{{ o.high | num }}</span></p>
{% for e in o.evidence %}
<blockquote>{{ e.point | num }} · {{ e.period or h.year_unknown }}{% if e.claim_id %} ·
<a href="#claim-{{ e.claim_id }}">#{{ e.claim_id }}</a>{% endif %}{% if e.quote %}<br>
“{{ e.quote }}”{% elif e.source %}<br>{{ e.source }}{% endif %}</blockquote>
{% endfor %}
</article>
{% else %}<p>{{ h.none }}</p>{% endfor %}
</section>

<section id="sources">
<h2>{{ h.sources }}</h2>
<p class="note">{{ h.sources_note.format(documents=documents | num) }}</p>
{% if sources %}
<table>
<thead><tr><th>{{ h.claim }}</th><th>{{ h.quote }}</th><th>{{ h.document }}</th>
<th>{{ h.published }}</th></tr></thead>
<tbody>
{% for s in sources %}
<tr id="claim-{{ s.claim.id }}"><td>#{{ s.claim.id }}</td><td>“{{ s.claim.quote }}”</td>
<td>{% if s.document %}{{ s.document.title or "" }} <code>{{ s.document.origin }}</code>
{% endif %}</td>
<td>{% if s.document and s.document.published %}{{ s.document.published | day }}{% endif %}</td>
</tr>
{% endfor %}
</tbody>
</table>
{% endif %}
<h3>{{ h.reference }}</h3>
<ul>
{% for publisher, title, url in reference %}
<li>{{ publisher }}: {{ title }}{% if url %} <code>{{ url }}</code>{% endif %}</li>
{% endfor %}
</ul>
</section>
</body>
</html>
"""
