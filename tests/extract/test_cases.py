"""Language rules as data: each phrase in cases/<lang>.yaml must yield its claims."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from airace.extract import extract_claims
from airace.model import Claim

CASES = Path(__file__).parent / "cases"


def load_cases() -> list[Any]:
    params = []
    for path in sorted(CASES.glob("*.yaml")):
        lang = path.stem
        for number, case in enumerate(yaml.safe_load(path.read_text()), 1):
            marks = (
                [pytest.mark.xfail(reason=case["xfail"], strict=True)] if case.get("xfail") else []
            )
            params.append(pytest.param(lang, case, id=f"{lang}-{number}", marks=marks))
    return params


def agrees(claim: Claim, want: dict[str, Any]) -> bool:
    for key, expected in want.items():
        got = getattr(claim, key)
        if key == "alt":
            got = [{"value": v, "unit": u} for v, u in got]
            if len(got) != len(expected) or any(
                g["unit"] != e["unit"] or g["value"] != pytest.approx(e["value"], rel=1e-6)
                for g, e in zip(got, expected, strict=True)
            ):
                return False
        elif isinstance(expected, float | int) and not isinstance(expected, bool):
            if got is None or got != pytest.approx(expected, rel=1e-6):
                return False
        elif got != expected and str(got) != str(expected):
            return False
    return True


@pytest.mark.parametrize(("lang", "case"), load_cases())
def test_phrase_yields_its_claims(lang: str, case: dict[str, Any]) -> None:
    published = date.fromisoformat(case["published"]) if case.get("published") else None
    claims = extract_claims(case["text"], lang, published=published)
    for claim in claims:
        assert case["text"][claim.start : claim.end] == claim.quote
    for want in case["claims"]:
        assert any(agrees(claim, want) for claim in claims), (want, claims)
    if case.get("exact"):
        assert len(claims) == len(case["claims"]), claims
