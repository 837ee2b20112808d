"""Reconciliation rules on constructed claims: duplicates merge, conflicts are kept and flagged."""

from __future__ import annotations

from datetime import date

import pytest

from airace.extract.entities import load_entities
from airace.model import UNDATED, Claim, Modality, Review, ReviewStatus
from airace.reconcile import reconcile_observations
from airace.reconcile.indicators import load_indicators

INDICATORS = load_indicators()
ENTITIES = load_entities()


def claim(
    claim_id: int,
    value: float,
    *,
    subject: str = "KR",
    metric: str = "gpu_count",
    unit: str = "GPU",
    document: int | None = None,
    **fields: object,
) -> Claim:
    fields.setdefault("as_of", "2024")  # the year the text gives; as_of=None: it gives none
    return Claim(
        start=0, end=1, quote=f"q{claim_id}", subject=subject, metric=metric, value=value,
        unit=unit, id=claim_id, document_id=document if document is not None else claim_id,
        **fields,  # type: ignore[arg-type]
    )  # fmt: skip


def observe(
    claims: list[tuple[Claim, date | None]], reviews: dict[int, Review] | None = None
) -> list:  # type: ignore[type-arg]
    return reconcile_observations(claims, INDICATORS, ENTITIES, reviews=reviews)


PUBLISHED = date(2024, 6, 1)


def test_the_same_figure_from_several_documents_is_one_observation_with_all_evidence() -> None:
    found = observe([(claim(1, 2000), PUBLISHED), (claim(2, 2000), PUBLISHED),
                     (claim(3, 2010), date(2024, 7, 1))])  # fmt: skip
    assert len(found) == 1
    observation = found[0]
    assert (observation.entity, observation.indicator, observation.period) == ("KR", "gpu_count",
                                                                              "2024")  # fmt: skip
    assert observation.value == 2000
    assert not observation.conflict
    assert observation.documents == 3
    assert {e.claim_id for e in observation.evidence} == {1, 2, 3}
    assert observation.chosen_by == "agreement"


def test_disagreeing_figures_are_a_conflict_with_their_spread() -> None:
    found = observe([(claim(1, 2000), PUBLISHED), (claim(2, 10000, approx=True), PUBLISHED)])
    observation = found[0]
    assert observation.conflict
    assert (observation.low, observation.high) == (2000, 10000)
    assert len(observation.evidence) == 2
    assert observation.value == 2000
    assert observation.chosen_by == "precise"


def test_approximate_figures_agree_within_a_wider_tolerance() -> None:
    precise = observe([(claim(1, 10000), PUBLISHED), (claim(2, 10400), PUBLISHED)])
    assert precise[0].conflict
    hedged = observe([(claim(1, 10000), PUBLISHED), (claim(2, 10400, approx=True), PUBLISHED)])
    assert not hedged[0].conflict


@pytest.mark.parametrize(
    ("first", "second", "winner", "rule"),
    [
        ({"as_of": "2024-11"}, {"as_of": "2024-03"}, 1, "recency"),
        ({}, {"source": "Stanford HAI"}, 2, "primary source"),
        ({"approx": True}, {}, 2, "precise"),
    ],
)
def test_best_estimate_follows_the_documented_rules(
    first: dict[str, object], second: dict[str, object], winner: int, rule: str
) -> None:
    found = observe([(claim(1, 5000, **first), PUBLISHED), (claim(2, 9000, **second), PUBLISHED)])
    observation = found[0]
    assert observation.value == (5000 if winner == 1 else 9000)
    assert observation.chosen_by == rule


def test_agreement_across_documents_beats_a_lone_figure() -> None:
    found = observe([(claim(1, 5000), PUBLISHED), (claim(2, 9000), PUBLISHED),
                     (claim(3, 9000), PUBLISHED)])  # fmt: skip
    assert found[0].value == 9000
    assert found[0].chosen_by == "agreement"


def test_a_later_report_wins_when_nothing_else_differs() -> None:
    found = observe([(claim(1, 5000), date(2024, 2, 1)), (claim(2, 9000), date(2024, 9, 1))])
    assert found[0].value == 9000
    assert found[0].chosen_by == "latest report"


def test_rejected_claims_drop_out_and_accepted_ones_win() -> None:
    claims = [(claim(1, 2000), PUBLISHED), (claim(2, 10000, approx=True), PUBLISHED)]
    rejected = observe(claims, {1: Review(claim_id=1, status=ReviewStatus.REJECTED)})
    assert len(rejected) == 1
    assert rejected[0].value == 10000
    assert not rejected[0].conflict
    accepted = observe(claims, {2: Review(claim_id=2, status=ReviewStatus.ACCEPTED)})
    assert accepted[0].value == 10000
    assert accepted[0].conflict
    assert accepted[0].chosen_by == "reviewed"


def test_a_correction_replaces_the_fields_it_gives() -> None:
    corrected = observe(
        [(claim(1, 2000), PUBLISHED)],
        {1: Review(claim_id=1, status=ReviewStatus.CORRECTED, value=2500, subject="JP")},
    )
    assert [(o.entity, o.value) for o in corrected] == [("JP", 2500)]
    assert corrected[0].evidence[0].reviewed


def test_plans_and_forecasts_are_not_holdings() -> None:
    found = observe([(claim(1, 2000), PUBLISHED),
                     (claim(2, 50000, modality=Modality.PLAN, as_of="2024"), PUBLISHED),
                     (claim(3, 90000, modality=Modality.FORECAST), PUBLISHED)])  # fmt: skip
    assert [(o.value, o.conflict) for o in found] == [(2000, False)]


def test_period_is_the_year_the_text_gives_never_the_publication_year() -> None:
    found = observe([(claim(1, 1000, as_of="2023-05"), PUBLISHED),
                     (claim(2, 3000, as_of=None), PUBLISHED),
                     (claim(3, 3000, as_of=None), None)])  # fmt: skip
    assert [(o.period, o.value) for o in found] == [(UNDATED, 3000), ("2023", 1000)]
    assert {e.claim_id for e in found[0].evidence} == {2, 3}


def test_money_is_compared_in_us_dollars_at_the_claims_date() -> None:
    won = claim(1, 1.46e12, metric="ai_investment", unit="KRW", as_of="2024")
    dollars = claim(2, 1.0e9, metric="ai_investment", unit="USD", as_of="2024")
    found = observe([(won, PUBLISHED), (dollars, PUBLISHED)])
    assert len(found) == 1
    usd = {e.claim_id: e.value for e in found[0].evidence}
    assert usd[2] == 1.0e9
    assert 1.0e9 < usd[1] < 1.12e9  # 1.46 trillion won at June 2024 rates (~1,380 won/$)


def test_a_unit_the_indicator_cannot_compare_is_left_out() -> None:
    found = observe([(claim(1, 2000, unit="person"), PUBLISHED),
                     (claim(2, 5, metric="ai_investment", unit="XXX"), PUBLISHED)])  # fmt: skip
    assert found == []


def test_a_range_counts_at_its_midpoint() -> None:
    found = observe([(claim(1, 1000, value_max=3000), PUBLISHED)])
    assert found[0].value == 2000


def test_organisations_roll_up_to_their_country_only_where_it_has_no_figure() -> None:
    found = observe([(claim(1, 350000, subject="Meta"), PUBLISHED),
                     (claim(2, 100000, subject="xAI"), PUBLISHED),
                     (claim(3, 1000, subject="Samsung Electronics"), PUBLISHED),
                     (claim(4, 2000, subject="KR"), PUBLISHED)])  # fmt: skip
    by_entity = {o.entity: o for o in found}
    assert by_entity["US"].rollup and by_entity["US"].value == 450000
    assert {e.subject for e in by_entity["US"].evidence} == {"Meta", "xAI"}
    assert not by_entity["KR"].rollup and by_entity["KR"].value == 2000


def test_indicators_without_rollup_do_not_sum_companies() -> None:
    found = observe([(claim(1, 5e9, subject="Meta", metric="ai_investment", unit="USD"),
                      PUBLISHED)])  # fmt: skip
    assert [o.entity for o in found] == ["Meta"]
