"""Money to US dollars: ECB history, fallback yearly rates, the claim's date."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from airace.errors import LexiconError
from airace.reconcile.currency import claim_date, currency_of, fallback_rates, to_usd


def test_claim_date_is_the_middle_of_its_period_unless_after_publication() -> None:
    assert claim_date("2023", date(2024, 5, 1)) == date(2023, 7, 1)
    assert claim_date("2023-03", None) == date(2023, 3, 15)
    assert claim_date("2030", date(2025, 2, 1)) == date(2025, 2, 1)  # a forecast
    assert claim_date(None, date(2025, 2, 1)) == date(2025, 2, 1)
    assert claim_date(None, None) is None


def test_currency_of_reads_money_and_rates() -> None:
    assert currency_of("CNY/hour") == "CNY"
    assert currency_of("EUR") == "EUR"
    assert currency_of("GPU") is None


def test_ecb_rates_depend_on_the_date() -> None:
    early = to_usd(1000.0, "EUR", date(2001, 7, 2))
    late = to_usd(1000.0, "EUR", date(2024, 7, 1))
    assert early is not None and late is not None
    assert 800 < early < 950  # the euro was below the dollar in 2001
    assert 1000 < late < 1150
    assert to_usd(5.0, "USD", None) == 5.0


def test_unknown_currency_has_no_rate() -> None:
    assert to_usd(1.0, "XYZ", date(2024, 1, 1)) is None


def test_fallback_rates_use_the_nearest_year(tmp_path: Path) -> None:
    path = tmp_path / "rates.yaml"
    path.write_text(
        "currencies:\n  VND:\n    source: test\n    rates: {2020: 23000, 2024: 25000}\n",
        encoding="utf-8",
    )
    rates = fallback_rates(path)
    assert rates == {"VND": {2020: 23000.0, 2024: 25000.0}}


def test_vietnamese_dong_converts_through_the_fallback_table() -> None:
    usd = to_usd(25_000_000_000.0, "VND", date(2024, 7, 1))
    assert usd is not None
    assert 0.9e6 < usd < 1.1e6  # about 25,000 dong to the dollar in 2024


def test_malformed_rate_file_names_the_key(tmp_path: Path) -> None:
    path = tmp_path / "rates.yaml"
    path.write_text(
        "currencies:\n  VND:\n    source: test\n    rates: {2020: -1}\n", encoding="utf-8"
    )
    with pytest.raises(LexiconError) as caught:
        fallback_rates(path)
    assert "currencies.VND.2020" in str(caught.value)
