"""Money to US dollars at the claim's date.

Rates come from the ECB reference-rate history bundled with ``currencyconverter`` (daily since
1999, ~40 currencies). Currencies the ECB does not quote (VND, TWD, SAR, ...) use the yearly
averages in ``data/reference/exchange_rates.yaml``, each with its source; the nearest year is
used outside their range. A rate like ``CNY/hour`` converts its currency part.

The date of a claim is the middle of its as-of period (``2024`` -> 1 July 2024, ``2024-03`` ->
15 March) unless that is after the document's publication (a forecast for 2030 converts at the
rate the article was written at), else the publication date, else the latest rate known.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from airace.errors import LexiconError
from airace.extract.lexicon import check_keys, read_mapping

if TYPE_CHECKING:
    from currency_converter import CurrencyConverter

    from airace.model import Claim

RATES_FILE = Path(__file__).resolve().parent.parent / "data" / "reference" / "exchange_rates.yaml"


@cache
def _converter() -> CurrencyConverter:
    from currency_converter import CurrencyConverter

    return CurrencyConverter(fallback_on_missing_rate=True, fallback_on_wrong_date=True)


@cache
def fallback_rates(path: Path = RATES_FILE) -> dict[str, dict[int, float]]:
    """Read the yearly average rates (units of currency per US dollar) ECB lacks.

    Raises:
        LexiconError: the file is malformed; the message names file and key.
    """
    if not path.is_file():
        return {}
    data = read_mapping(path, "exchange-rate file")
    where = str(path)
    check_keys(data, required=["currencies"], optional=["unit"], path=where)
    rates: dict[str, dict[int, float]] = {}
    for code, entry in data["currencies"].items():
        at = f"currencies.{code}."
        check_keys(entry, required=["source", "rates"], optional=["note"], path=where, where=at)
        yearly: dict[int, float] = {}
        for year, rate in entry["rates"].items():
            if not isinstance(rate, int | float) or rate <= 0:
                raise LexiconError("rate must be a positive number", path=where, key=f"{at}{year}")
            yearly[int(year)] = float(rate)
        rates[str(code)] = yearly
    return rates


def currency_of(unit: str) -> str | None:
    """Return the ISO 4217 code a money or rate unit is in (``CNY/hour`` -> CNY), or None."""
    code = unit.split("/", 1)[0]
    return code if code in _iso_currencies() else None


@cache
def _iso_currencies() -> frozenset[str]:
    import pycountry

    return frozenset(currency.alpha_3 for currency in pycountry.currencies)


def to_usd(amount: float, currency: str, on: date | None) -> float | None:
    """Convert an amount to US dollars at the rate of a day; None for an unknown currency."""
    if currency == "USD":
        return amount
    converter = _converter()
    if currency in converter.currencies:
        when = on or converter.bounds[currency].last_date
        return float(converter.convert(amount, currency, "USD", date=when))
    yearly = fallback_rates().get(currency)
    if not yearly:
        return None
    year = on.year if on else max(yearly)
    nearest = min(yearly, key=lambda known: (abs(known - year), -known))
    return amount / yearly[nearest]


def claim_date(as_of: str | None, published: date | None) -> date | None:
    """Return the day a claim's money is converted at (see the module docstring)."""
    period = _period_middle(as_of) if as_of else None
    if period is not None and (published is None or period <= published):
        return period
    return published


def _period_middle(as_of: str) -> date | None:
    try:
        if len(as_of) == 4:
            return date(int(as_of), 7, 1)
        if len(as_of) == 7:
            return date(int(as_of[:4]), int(as_of[5:7]), 15)
    except ValueError:
        return None
    return None


def claim_value_usd(claim: Claim, published: date | None) -> float | None:
    """Return a money claim's value in US dollars (a range's lower end), else None."""
    code = currency_of(claim.unit)
    if code is None:
        return None
    return to_usd(claim.value, code, claim_date(claim.as_of, published))


def with_value_usd(claims: list[Claim], published: date | None) -> list[Claim]:
    """Return the claims with ``value_usd`` set where they are money."""
    from dataclasses import replace

    return [replace(claim, value_usd=claim_value_usd(claim, published)) for claim in claims]
